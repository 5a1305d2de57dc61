"""Plans in effect month by month (plans.rules.plan_in_effect) and the run of months without one that
the claim's 個別支援計画未作成減算 reads (plans.selectors.plan_missing_month_counts: 70% for the 1st and 2nd
month, 50% from the 3rd)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from plans.models import PlanStatus
from plans.rules import PlanFact, months_without_plan, plan_in_effect
from plans.selectors import plan_missing_month_counts

from ..factories import ClientFactory, PlanReviewFactory, agreed_plan, client_in_service

D = date
JUNE = D(2025, 6, 1)


APRIL, NEXT_MARCH = D(2025, 4, 1), D(2026, 3, 31)


def plan(starts_on=APRIL, ends_on=NEXT_MARCH, agreed_on=APRIL, delivered_on=APRIL):
    return PlanFact(1, starts_on, ends_on, agreed_on, delivered_on)


@pytest.mark.parametrize(
    ("plans", "reviews", "month", "expected"),
    [
        ([plan()], [], JUNE, True),  # review due 06-30, the month's last day: not overdue yet
        ([plan()], [], D(2025, 7, 1), False),  # no review by 06-30: overdue in July
        ([plan()], [D(2025, 6, 20)], D(2025, 7, 1), True),  # reviewed: next due 09-20
        ([plan(agreed_on=D(2025, 6, 30), delivered_on=D(2025, 6, 30))], [], JUNE, True),  # on the last day
        ([plan(agreed_on=D(2025, 6, 10), delivered_on=D(2025, 7, 1))], [], JUNE, False),  # delivered after
        ([plan(agreed_on=D(2025, 6, 10), delivered_on=None)], [], JUNE, False),  # agreed, never delivered
        ([plan(ends_on=D(2025, 5, 31))], [], JUNE, False),  # its period is over
        ([plan(starts_on=D(2025, 6, 15), agreed_on=D(2025, 6, 1))], [], JUNE, True),  # period from mid-month
        ([plan(starts_on=D(2025, 7, 1), agreed_on=D(2025, 6, 1))], [], JUNE, False),  # period not begun
        ([], [], JUNE, False),
    ],
)
def test_plan_in_effect(plans, reviews, month, expected):
    assert plan_in_effect(month, plans, reviews) is expected


@pytest.mark.parametrize(
    ("month", "covered", "n"),
    [
        (D(2025, 7, 1), set(), 1),  # the first month of service
        (D(2025, 8, 1), set(), 2),
        (D(2025, 9, 1), set(), 3),  # 50% from here
        (D(2025, 9, 1), {D(2025, 7, 1)}, 2),
        (D(2025, 9, 1), {D(2025, 9, 1)}, 0),
        (D(2025, 6, 1), set(), 0),  # before the service
    ],
)
def test_months_without_plan_count_consecutively(month, covered, n):
    assert months_without_plan(month, D(2025, 7, 1), covered) == n


@pytest.mark.django_db
def test_plan_missing_month_counts_per_client(office, manager, django_assert_max_num_queries):
    none = client_in_service(office=office)  # window from 2025-07-06
    covered = client_in_service(office=office)
    agreed_plan(client=covered, manager=manager, starts_on=D(2025, 7, 6), ends_on=D(2026, 7, 5))
    PlanReviewFactory(plan=covered.plans.get(), reviewer=manager, reviewed_on=D(2025, 9, 1))
    lapsed = client_in_service(office=office)  # a plan never reviewed: overdue from October
    agreed_plan(client=lapsed, manager=manager, starts_on=D(2025, 7, 6), ends_on=D(2026, 7, 5))
    only_agreed = client_in_service(office=office)
    agreed_plan(client=only_agreed, manager=manager, starts_on=D(2025, 7, 6), status=PlanStatus.AGREED)
    outside = ClientFactory(office=office)  # no job, no window

    clients = [none, covered, lapsed, only_agreed, outside]
    with django_assert_max_num_queries(2):
        counts = plan_missing_month_counts(clients, D(2025, 11, 1))
    assert counts == {
        none.pk: 5,  # July … November
        covered.pk: 0,
        lapsed.pk: 2,  # review due 10-05 passed: October and November
        only_agreed.pk: 5,
        outside.pk: 0,
    }


@pytest.mark.django_db
@time_machine.travel(D(2025, 9, 20))
def test_the_client_page_and_its_grid_show_the_count(as_staff, office):
    client = client_in_service(office=office)  # in service from 2025-07-06, no plan
    html = as_staff.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert "計画未作成 3か月目（減算）" in html  # this month (September)
    for n in (1, 2, 3):
        assert f"計画なし{n}か月目" in html


# --- a plan or review entered by mistake is withdrawn, not deleted ---


@pytest.mark.django_db
@time_machine.travel(D(2025, 9, 20))
def test_a_withdrawn_plan_is_kept_shown_and_no_plan_in_effect(as_manager, office, manager):
    from cases.models import Client
    from plans import selectors
    from plans.deadlines import DeadlineKind
    from visits.facts import month_verdicts

    client = client_in_service(office=office)
    plan = agreed_plan(client=client, manager=manager, starts_on=D(2025, 7, 6), ends_on=D(2026, 7, 5))
    assert plan_missing_month_counts([client], D(2025, 9, 1)) == {client.pk: 0}
    url = reverse("plans:plan_withdraw", args=[plan.pk])
    as_manager.post(url, {"reason": ""})
    plan.refresh_from_db()
    assert not plan.withdrawn  # a reason is needed
    as_manager.post(url, {"reason": "別の利用者の計画を登録していた"})
    plan.refresh_from_db()
    assert plan.withdrawn and plan.withdrawal_reason == "別の利用者の計画を登録していた"
    assert plan.history.first().history_change_reason == "別の利用者の計画を登録していた"

    assert plan_missing_month_counts([client], D(2025, 9, 1)) == {client.pk: 3}
    verdict = month_verdicts(Client.objects.filter(pk=client.pk), D(2025, 9, 1))[client.pk]
    assert "no_agreed_plan" in verdict.warnings
    kinds = {kind for kind, _label, rows in selectors.dashboard(office, D(2025, 9, 20)) for r in rows}
    assert DeadlineKind.PLAN_MISSING in kinds
    page = as_manager.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "取消済み" in page
    assert as_manager.post(reverse("plans:plan_step", args=[plan.pk, "deliver"]), {}).status_code == 302
    plan.refresh_from_db()
    assert plan.withdrawn  # nothing more happens to a withdrawn version


@pytest.mark.django_db
@time_machine.travel(D(2025, 11, 10))
def test_a_withdrawn_review_no_longer_counts(as_manager, office, manager):
    from plans import selectors
    from plans.deadlines import DeadlineKind

    client = client_in_service(office=office)
    plan = agreed_plan(client=client, manager=manager, starts_on=D(2025, 7, 6), ends_on=D(2026, 7, 5))
    review = PlanReviewFactory(plan=plan, reviewer=manager, reviewed_on=D(2025, 10, 1))

    def overdue():
        lists = {kind: rows for kind, _label, rows in selectors.dashboard(office, D(2025, 11, 10))}
        return {r.client_id for r in lists[DeadlineKind.REVIEW_OVERDUE]}

    assert overdue() == set()
    as_manager.post(
        reverse("plans:review_withdraw", args=[review.pk]), {"reason": "日付の誤り（実施していない）"}
    )
    review.refresh_from_db()
    assert review.withdrawn
    assert overdue() == {client.pk}  # due 2025-10-05 without the review
    assert plan_missing_month_counts([client], D(2025, 11, 1)) == {client.pk: 2}
