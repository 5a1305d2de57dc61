"""A plan goes draft → approved → agreed → delivered in the browser; new versions keep history."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from cases.models import Role
from plans.models import ConsentPurpose, PlanStatus, SupportPlan

from ..factories import ClientFactory, ConsentFactory, MembershipFactory, SupportPlanFactory, agreed_plan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)

PLAN_POST = {
    "starts_on": "2026-12-01",
    "ends_on": "2027-05-31",
    "long_term_goal": "事務職として長く働く",
    "short_term_goals": "遅刻をしない",
    "support_content": "月1回の面談",
    "interview_frequency": "月1回",
    "workplace_visit_frequency": "月1回",
    "employer_contact_frequency": "月1回",
    "accommodations": "通院日の休暇",
}


@time_machine.travel(TODAY)
def test_full_flow_in_the_browser(client, office):
    staff = MembershipFactory(office=office, role=Role.STAFF).user
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    person = ClientFactory(office=office)

    client.force_login(staff)
    response = client.post(reverse("plans:plan_create", args=[person.pk]), PLAN_POST)
    plan = SupportPlan.objects.get(client=person)
    assert response.status_code == 302
    assert (plan.version, plan.status, plan.drafted_by) == (1, PlanStatus.DRAFT, staff)

    # staff cannot approve
    response = client.post(
        reverse("plans:plan_step", args=[plan.pk, "approve"]), {"approved_on": "2026-11-23"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    client.force_login(manager)
    client.post(reverse("plans:plan_step", args=[plan.pk, "approve"]), {"approved_on": "2026-11-23"})
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.approved_on) == (PlanStatus.APPROVED, manager, TODAY)

    client.force_login(staff)
    client.post(reverse("plans:plan_step", args=[plan.pk, "consent"]), {"agreed_on": "2026-11-24"})
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_on) == (PlanStatus.AGREED, date(2026, 11, 24))

    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "有効な同意がありません" in page  # no consent to send the plan to the 相談支援事業所

    client.post(reverse("plans:plan_step", args=[plan.pk, "deliver"]), {"delivered_on": "2026-11-24"})
    plan.refresh_from_db()
    assert (plan.status, plan.delivered_on) == (PlanStatus.DELIVERED, date(2026, 11, 24))


@time_machine.travel(TODAY)
def test_steps_out_of_order_are_refused(as_manager, office, manager):
    plan = SupportPlanFactory(client=ClientFactory(office=office), drafted_by=manager)
    as_manager.post(reverse("plans:plan_step", args=[plan.pk, "deliver"]), {"delivered_on": "2026-11-23"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.delivered_on is None


@time_machine.travel(TODAY)
def test_delivery_page_shows_standing_consent(as_manager, office, manager):
    person = ClientFactory(office=office)
    plan = agreed_plan(client=person, manager=manager, status=PlanStatus.AGREED)  # agreed, to be delivered
    ConsentFactory(client=person, purpose=ConsentPurpose.PLAN_TO_CONSULTATION, given_on=date(2026, 1, 1))
    page = as_manager.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "計画の交付について、本人の同意があります" in page


@time_machine.travel(TODAY)
def test_new_version_copies_and_never_overwrites(as_staff, office, manager):
    person = ClientFactory(office=office)
    first = agreed_plan(
        client=person, manager=manager, version=1, accommodations="静かな席", status=PlanStatus.AGREED
    )
    response = as_staff.post(reverse("plans:plan_create", args=[person.pk]), {"copy": "1"})
    second = SupportPlan.objects.get(client=person, version=2)
    assert response.status_code == 302
    assert second.status == PlanStatus.DRAFT
    assert second.accommodations == "静かな席" and second.long_term_goal == first.long_term_goal

    post = {
        **PLAN_POST,
        "accommodations": "静かな席\n休憩を1時間ごとに5分",
        "lock_version": second.lock_version,
    }
    as_staff.post(reverse("plans:plan_edit", args=[second.pk]), post)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.accommodations == "静かな席" and first.status == PlanStatus.AGREED
    assert "休憩を1時間ごとに5分" in second.accommodations

    versions = as_staff.get(reverse("plans:plan_versions", args=[person.pk])).content.decode()
    assert "第1版" in versions and "第2版" in versions

    diff = as_staff.get(reverse("plans:plan_compare", args=[person.pk]), {"a": 1, "b": 2})
    changes = {c.label: c for c in diff.context["changes"]}
    assert ("+", "休憩を1時間ごとに5分") in changes["企業の配慮事項"].lines
    assert "長期目標" in changes  # changed by the edit too


def test_agreed_plan_cannot_be_edited(as_staff, office, manager):
    plan = agreed_plan(client=ClientFactory(office=office), manager=manager)
    post = {**PLAN_POST, "lock_version": plan.lock_version}
    response = as_staff.post(reverse("plans:plan_edit", args=[plan.pk]), post)
    plan.refresh_from_db()
    assert response.status_code == 302
    assert plan.long_term_goal == "安定して働き続ける"


def test_second_draft_is_refused(as_staff, office, staff):
    person = ClientFactory(office=office)
    SupportPlanFactory(client=person, version=1, drafted_by=staff)
    as_staff.post(reverse("plans:plan_create", args=[person.pk]), {"copy": "1"})
    assert SupportPlan.objects.filter(client=person).count() == 1


def test_other_offices_plan_is_404(as_manager, other_office):
    plan = SupportPlanFactory(client=ClientFactory(office=other_office))
    assert as_manager.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404
    assert as_manager.get(reverse("plans:plan_print", args=[plan.pk])).status_code == 404
    assert as_manager.get(reverse("plans:plan_versions", args=[plan.client_id])).status_code == 404
    response = as_manager.post(
        reverse("plans:plan_step", args=[plan.pk, "approve"]), {"approved_on": "2026-11-23"}
    )
    assert response.status_code == 404


def test_admin_role_cannot_write_plans(as_admin, office):
    person = ClientFactory(office=office)
    assert as_admin.post(reverse("plans:plan_create", args=[person.pk]), PLAN_POST).status_code == 403


def test_printable_plan_has_signature_places(as_staff, office, manager):
    plan = agreed_plan(client=ClientFactory(office=office), manager=manager)
    page = as_staff.get(reverse("plans:plan_print", args=[plan.pk])).content.decode()
    assert "就労定着支援計画書" in page
    assert "利用者署名" in page and "signature-line" in page
    assert "2025年7月6日" in page  # agreed on
    assert "<script>" not in page and "style=" not in page


def test_client_page_lists_versions_and_panels(as_staff, office, manager):
    person = ClientFactory(office=office)
    agreed_plan(client=person, manager=manager, version=1)
    SupportPlanFactory(client=person, version=2, drafted_by=manager)
    page = as_staff.get(reverse("cases:client_detail", args=[person.pk])).content.decode()
    assert "第1版" in page and "第2版" in page
    assert "引継ぎの記録はありません" in page
    assert "情報提供への同意" in page


@pytest.mark.parametrize("versions", [1, 6])
def test_client_page_queries_do_not_grow_with_versions(
    as_manager, office, manager, versions, django_assert_max_num_queries
):
    from ..factories import PlanReviewFactory

    person = ClientFactory(office=office)
    for v in range(1, versions + 1):
        plan = agreed_plan(client=person, manager=manager, version=v)
        PlanReviewFactory(plan=plan, reviewer=manager)
    with django_assert_max_num_queries(15):
        assert as_manager.get(reverse("cases:client_detail", args=[person.pk])).status_code == 200
