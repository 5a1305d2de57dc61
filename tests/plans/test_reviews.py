"""モニタリング by a manager: keep or revise; "revise" starts a new draft version."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from plans.models import PlanReview, PlanStatus, ReviewDecision, SupportPlan

from ..factories import ClientFactory, agreed_plan

pytestmark = pytest.mark.django_db

REVIEW = {
    "reviewed_on": "2026-11-20",
    "findings": "目標1: 達成\n目標2: 継続",
    "client_view": "仕事に慣れてきた",
    "employer_view": "特に問題なし",
}


@time_machine.travel(date(2026, 11, 23))
def test_keep_records_a_review_and_no_new_version(as_manager, office, manager):
    plan = agreed_plan(client=ClientFactory(office=office), manager=manager, version=1)
    response = as_manager.post(
        reverse("plans:review_create", args=[plan.pk]), {**REVIEW, "decision": ReviewDecision.KEEP}
    )
    assert response.status_code == 302
    review = PlanReview.objects.get(plan=plan)
    assert (review.reviewer, review.reviewed_on) == (manager, date(2026, 11, 20))
    assert SupportPlan.objects.filter(client=plan.client).count() == 1


@time_machine.travel(date(2026, 11, 23))
def test_revise_starts_a_new_draft_copying_the_plan(as_manager, office, manager):
    plan = agreed_plan(
        client=ClientFactory(office=office),
        manager=manager,
        version=1,
        accommodations="静かな席",
        status=PlanStatus.AGREED,
    )
    response = as_manager.post(
        reverse("plans:review_create", args=[plan.pk]), {**REVIEW, "decision": ReviewDecision.REVISE}
    )
    draft = SupportPlan.objects.get(client=plan.client, version=2)
    assert response.status_code == 302 and response.url == reverse("plans:plan_edit", args=[draft.pk])
    assert draft.status == PlanStatus.DRAFT and draft.accommodations == "静かな席"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED  # the old version stays in effect until the new one is agreed


def test_staff_cannot_review(as_staff, office, manager):
    plan = agreed_plan(client=ClientFactory(office=office), manager=manager)
    response = as_staff.post(reverse("plans:review_create", args=[plan.pk]), {**REVIEW, "decision": "keep"})
    assert response.status_code == 403
    assert not PlanReview.objects.exists()


def test_draft_cannot_be_reviewed(as_manager, office, manager):
    from ..factories import SupportPlanFactory

    plan = SupportPlanFactory(client=ClientFactory(office=office), drafted_by=manager)
    response = as_manager.post(reverse("plans:review_create", args=[plan.pk]), {**REVIEW, "decision": "keep"})
    assert response.status_code == 200
    assert "この操作はできません" in response.content.decode()
    assert not PlanReview.objects.exists()


@time_machine.travel(date(2026, 11, 23))
def test_client_page_shows_next_review_due_by_the_rules(as_manager, office, manager):
    from ..factories import PlanReviewFactory

    plan = agreed_plan(client=ClientFactory(office=office), manager=manager, starts_on=date(2026, 5, 31))
    PlanReviewFactory(plan=plan, reviewer=manager, reviewed_on=date(2026, 8, 31))
    page = as_manager.get(reverse("cases:client_detail", args=[plan.client_id])).content.decode()
    assert "2026/11/30" in page  # 8/31 + 3 months, clamped to November's end
    assert "まもなく" in page  # 7 days ahead: due soon
