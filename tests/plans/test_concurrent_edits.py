"""Two people edit the same plan or review: the second save is refused and nothing is lost."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from cases.models import Role
from plans.models import ReviewDecision

from ..factories import ClientFactory, MembershipFactory, PlanReviewFactory, SupportPlanFactory, agreed_plan

pytestmark = pytest.mark.django_db


def plan_post(plan, **changes):
    data = {
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "long_term_goal": plan.long_term_goal,
        "short_term_goals": plan.short_term_goals,
        "support_content": plan.support_content,
        "interview_frequency": plan.interview_frequency,
        "workplace_visit_frequency": plan.workplace_visit_frequency,
        "employer_contact_frequency": plan.employer_contact_frequency,
        "accommodations": plan.accommodations,
        "lock_version": plan.lock_version,
    }
    return {**data, **changes}


def logged_in(user):
    browser = HttpClient()
    browser.force_login(user)
    return browser


def test_second_plan_save_is_refused_with_both_texts(office):
    alice = MembershipFactory(office=office, role=Role.STAFF).user
    bob = MembershipFactory(office=office, role=Role.MANAGER).user
    plan = SupportPlanFactory(client=ClientFactory(office=office), drafted_by=alice)
    url = reverse("plans:plan_edit", args=[plan.pk])
    # both open the form at the same version
    alice_form = plan_post(plan, support_content="アリスの支援内容")
    bob_form = plan_post(plan, support_content="ボブの支援内容")

    first = logged_in(alice).post(url, alice_form)
    second = logged_in(bob).post(url, bob_form)

    plan.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 409
    assert plan.support_content == "アリスの支援内容"  # the first save stands
    body = second.content.decode()
    assert "ほかの人がこの内容を更新しました" in body
    assert "アリスの支援内容" in body  # the other person's current value, shown beside...
    assert "ボブの支援内容" in body  # ...bob's own text, still in the form
    assert second.context["form"]["support_content"].value() == "ボブの支援内容"
    assert second.context["conflict"] == [("支援内容", "アリスの支援内容", "ボブの支援内容")]

    # bob reconciles and saves again from the refused form: now against the current version
    retry = dict(bob_form, support_content="アリスとボブの支援内容")
    retry["lock_version"] = second.context["form"].data["lock_version"]
    third = logged_in(bob).post(url, retry)
    plan.refresh_from_db()
    assert third.status_code == 302
    assert plan.support_content == "アリスとボブの支援内容"


def test_second_review_save_is_refused(office):
    first_manager = MembershipFactory(office=office, role=Role.MANAGER).user
    second_manager = MembershipFactory(office=office, role=Role.MANAGER).user
    plan = agreed_plan(client=ClientFactory(office=office), manager=first_manager)
    review = PlanReviewFactory(plan=plan, reviewer=first_manager)
    url = reverse("plans:review_edit", args=[review.pk])
    base = {
        "reviewed_on": "2025-10-01",
        "findings": review.findings,
        "client_view": "",
        "employer_view": "",
        "decision": ReviewDecision.KEEP,
        "lock_version": review.lock_version,
    }
    assert logged_in(first_manager).post(url, {**base, "client_view": "本人: 順調"}).status_code == 302
    refused = logged_in(second_manager).post(url, {**base, "employer_view": "企業: 問題なし"})
    review.refresh_from_db()
    assert refused.status_code == 409
    assert review.client_view == "本人: 順調" and review.employer_view == ""
    body = refused.content.decode()
    assert "本人: 順調" in body and "企業: 問題なし" in body
    assert review.lock_version == 2


def test_service_refuses_stale_version_directly(office):
    from plans import services

    staff = MembershipFactory(office=office, role=Role.STAFF).user
    plan = SupportPlanFactory(client=ClientFactory(office=office), drafted_by=staff)
    services.plan_update(actor=staff, plan=plan, lock_version=1, long_term_goal="新しい目標")
    with pytest.raises(services.StaleEdit) as raised:
        services.plan_update(actor=staff, plan=plan, lock_version=1, long_term_goal="古い画面から")
    assert raised.value.current.long_term_goal == "新しい目標"
    assert raised.value.current.lock_version == 2
