"""A locked month freezes the 支給決定 and the plan facts its verdict used: a change that touches it
needs a written reason (Japanese message when missing), kept in history, from the pages and the admin
alike (cases.locks; visits registers the lock lookup)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.services import benefit_decision_save, benefit_decision_withdraw
from plans import services as plan_services
from plans.models import PlanStatus
from visits.services import month_lock

from ..factories import (
    ClientFactory,
    EmploymentFactory,
    SupportPlanFactory,
    UserFactory,
    client_in_service,
    verify_otp,
)

pytestmark = pytest.mark.django_db
AUG = date(2025, 8, 1)
LOCKED_MESSAGE = "請求済みで締められた月の算定に使われた記録です。変更の理由を入力してください。"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 9, 20), tick=False):
        yield


@pytest.fixture
def locked(office, admin_user):
    """August 2025 of the office locked for billing; a client in service from 2025-07-06."""
    client = client_in_service(office=office)
    month_lock(actor=admin_user, office=office, month=AUG)
    return client


def reason_error(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["reason"])


def test_a_decisions_period_touching_a_locked_month_changes_only_with_a_reason(locked, manager):
    decision = locked.decisions.get()  # 2025-07-06 .. 2026-07-05
    with pytest.raises(ValidationError) as excinfo:
        benefit_decision_save(actor=manager, client=locked, decision=decision, starts_on=date(2025, 8, 10))
    assert reason_error(excinfo) == LOCKED_MESSAGE
    decision.refresh_from_db()
    assert decision.starts_on == date(2025, 7, 6)
    benefit_decision_save(
        actor=manager,
        client=locked,
        decision=decision,
        starts_on=date(2025, 8, 10),
        reason="受給者証の記載と照合",
    )
    assert decision.history.first().history_change_reason == "受給者証の記載と照合"
    # What the verdict does not read changes freely.
    benefit_decision_save(actor=manager, client=locked, decision=decision, municipality="中野区")


def test_a_new_decision_over_a_locked_month_needs_a_reason_one_after_it_does_not(office, locked, manager):
    other = ClientFactory(office=office)
    EmploymentFactory(client=other, hired_on=date(2025, 1, 6))
    other.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        benefit_decision_save(
            actor=manager,
            client=other,
            starts_on=date(2025, 8, 1),
            ends_on=date(2026, 7, 31),
            municipality="新宿区",
        )
    assert reason_error(excinfo) == LOCKED_MESSAGE
    assert not other.decisions.exists()
    later = benefit_decision_save(
        actor=manager,
        client=other,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
        municipality="新宿区",
    )
    assert later.pk


def test_withdrawing_a_decision_of_a_locked_month_keeps_its_reason(locked, manager):
    decision = benefit_decision_withdraw(actor=manager, decision=locked.decisions.get(), reason="別人の決定")
    assert decision.history.first().history_change_reason == "別人の決定"


def test_the_decision_page_asks_for_the_reason(as_manager, locked):
    decision = locked.decisions.get()
    url = reverse("cases:decision_update", args=[locked.pk, decision.pk])
    data = {"starts_on": "2025-07-06", "ends_on": "2026-06-30", "municipality": decision.municipality}
    data["lock_version"] = decision.lock_version
    response = as_manager.post(url, data)
    assert response.status_code == 200
    assert response.content.decode().count(LOCKED_MESSAGE) == 1
    assert as_manager.post(url, {**data, "reason": "終了日の誤記"}).status_code == 302
    decision.refresh_from_db()
    assert decision.ends_on == date(2026, 6, 30)
    assert decision.history.first().history_change_reason == "終了日の誤記"


@pytest.fixture
def superuser_client(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    return client


def test_the_admin_asks_for_the_decisions_reason_too(superuser_client, locked):
    decision = locked.decisions.get()
    url = reverse("admin:cases_benefitdecision_change", args=[decision.pk])
    data = {
        "client": locked.pk,
        "starts_on": "2025-07-06",
        "ends_on": "2026-06-30",
        "municipality": decision.municipality,
        "decided_on": "",
        "employment_proof": "",
        "employment_proof_seen_on": "",
        "withdrawn_at_0": "",
        "withdrawn_at_1": "",
        "withdrawn_by": "",
        "withdrawal_reason": "",
        "change_reason": "",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and LOCKED_MESSAGE in response.content.decode()
    decision.refresh_from_db()
    assert decision.ends_on == date(2026, 7, 5)
    assert superuser_client.post(url, {**data, "change_reason": "原本と照合"}).status_code == 302
    decision.refresh_from_db()
    assert decision.ends_on == date(2026, 6, 30)
    assert decision.history.first().history_change_reason == "原本と照合"


def agreed(client, manager, starts_on=date(2025, 7, 6)):
    return SupportPlanFactory(
        client=client,
        drafted_by=manager,
        status=PlanStatus.AGREED,
        starts_on=starts_on,
        ends_on=date(2026, 7, 5),
        approved_by=manager,
        approved_on=starts_on,
        agreed_on=starts_on,
    )


def test_a_delivery_that_puts_a_locked_month_under_a_plan_needs_a_reason(locked, manager):
    plan = agreed(locked, manager)
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_record_delivery(actor=manager, plan=plan, delivered_on=date(2025, 8, 20))
    assert reason_error(excinfo) == LOCKED_MESSAGE
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    plan = plan_services.plan_record_delivery(
        actor=manager, plan=plan, delivered_on=date(2025, 8, 20), reason="交付記録の記入漏れ"
    )
    assert plan.history.first().history_change_reason == "交付記録の記入漏れ"


def test_a_delivery_after_the_locked_month_changes_nothing_it_used(locked, manager):
    plan = agreed(locked, manager)
    plan = plan_services.plan_record_delivery(actor=manager, plan=plan, delivered_on=date(2025, 9, 2))
    assert plan.status == PlanStatus.DELIVERED


def test_a_review_that_changes_a_locked_months_plan_in_effect_needs_a_reason(locked, manager):
    # A plan from 2025-05-01 with no review is overdue from 2025-08-01: August had no plan in effect.
    plan = agreed(locked, manager, starts_on=date(2025, 5, 1))
    plan = plan_services.plan_record_delivery(actor=manager, plan=plan, delivered_on=date(2025, 5, 1))
    fields = {"findings": "順調", "client_view": "", "employer_view": "", "decision": "keep"}
    with pytest.raises(ValidationError) as excinfo:
        plan_services.plan_review_complete(actor=manager, plan=plan, reviewed_on=date(2025, 7, 20), **fields)
    assert reason_error(excinfo) == LOCKED_MESSAGE
    assert not plan.reviews.exists()
    review = plan_services.plan_review_complete(
        actor=manager, plan=plan, reviewed_on=date(2025, 7, 20), reason="紙の記録から転記", **fields
    )
    assert review.history.first().history_change_reason == "紙の記録から転記"
    # Moving the review past August takes the plan out of effect there again: a reason once more.
    with pytest.raises(ValidationError):
        plan_services.plan_review_update(
            actor=manager, review=review, lock_version=review.lock_version, reviewed_on=date(2025, 9, 5)
        )
    # A review of September leaves August as it was.
    review.refresh_from_db()
    plan_services.plan_review_update(
        actor=manager,
        review=review,
        lock_version=review.lock_version,
        reviewed_on=date(2025, 7, 21),
        reason="日付の訂正",
    )
    second = plan_services.plan_review_complete(
        actor=manager, plan=plan, reviewed_on=date(2025, 9, 10), **fields
    )
    assert second.pk


def test_the_plan_step_page_asks_for_the_reason(as_manager, locked, manager):
    plan = agreed(locked, manager)
    url = reverse("plans:plan_step", args=[plan.pk, "deliver"])
    response = as_manager.post(url, {"delivered_on": "2025-08-20"}, follow=True)
    assert LOCKED_MESSAGE in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    as_manager.post(url, {"delivered_on": "2025-08-20", "reason": "交付の記入漏れ"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DELIVERED
    assert plan.history.first().history_change_reason == "交付の記入漏れ"


def test_the_admin_asks_for_a_plans_reason_too(superuser_client, locked, manager):
    plan = agreed(locked, manager)
    plan = plan_services.plan_record_delivery(
        actor=manager, plan=plan, delivered_on=date(2025, 7, 6), reason="交付の記入漏れ"
    )
    url = reverse("admin:plans_supportplan_change", args=[plan.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"delivered_on": "2025-09-01", "change_reason": ""})  # August loses its plan
    for key in ("withdrawn_at",):
        data.pop(key, None)
        data[f"{key}_0"], data[f"{key}_1"] = "", ""
    data.update({"reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0"})
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and LOCKED_MESSAGE in response.content.decode()
    plan.refresh_from_db()
    assert plan.delivered_on == date(2025, 7, 6)
    assert superuser_client.post(url, {**data, "change_reason": "交付日の訂正"}).status_code == 302
    plan.refresh_from_db()
    assert plan.delivered_on == date(2025, 9, 1)
    assert plan.history.first().history_change_reason == "交付日の訂正"
