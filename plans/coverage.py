"""Plans in effect month by month: the reads behind the billable month's plan fact and the
個別支援計画未作成減算 count. Apart from plans.selectors so that visits can read it (plans.services and
plans.selectors reach the flag jobs)."""

from collections import defaultdict
from datetime import date

from django.db.models import Max

from cases import locks
from core.dates import month_end, month_start, months_between, shift_month
from core.statements import statement

from . import rules
from .models import PlanReview, PlanStatus, SupportPlan


def _candidate_plans(client_ids, first: date, last: date):
    return (
        SupportPlan.objects.filter(
            client_id__any=client_ids,
            status=PlanStatus.DELIVERED,
            withdrawn_at__isnull=True,
            delivered_on__lte=last,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .order_by()
        .values_list("client_id", "version", "starts_on", "ends_on", "agreed_on", "delivered_on")
    )


@statement
def _candidate_plan_rows(*, client_ids: list[int], first: date, last: date):
    return _candidate_plans(client_ids, first, last)


def _standing_reviews(client_ids, last: date, last_only: bool):
    """(client id, review day) of the standing reviews up to `last`; `last_only`: each client's last."""
    reviewed = PlanReview.objects.filter(
        plan__client_id__any=client_ids, reviewed_on__lte=last, withdrawn_at__isnull=True
    ).order_by()
    if last_only:
        return reviewed.values("plan__client_id").annotate(last=Max("reviewed_on")).values_list("plan__client_id", "last")
    return reviewed.values_list("plan__client_id", "reviewed_on")


@statement
def _review_day_rows(*, client_ids: list[int], last: date):
    return _standing_reviews(client_ids, last, False)


@statement
def _last_review_rows(*, client_ids: list[int], last: date):
    return _standing_reviews(client_ids, last, True)


def _plan_facts(client_ids, first: date, last: date) -> dict[int, list[rules.PlanFact]]:
    """{client id: its delivered, standing versions that may be in effect in some month first–last}.
    `client_ids`: a list of ids, or a values("id") queryset used as a subquery."""
    rows = (
        _candidate_plan_rows(client_ids=client_ids, first=first, last=last)
        if isinstance(client_ids, list)
        else _candidate_plans(client_ids, first, last)
    )
    plans = defaultdict(list)
    for client_id, version, starts_on, ends_on, agreed_on, delivered_on in rows:
        plans[client_id].append(rules.PlanFact(version, starts_on, ends_on, agreed_on, delivered_on))
    return plans


def _review_days(client_ids, last: date, *, last_only: bool = False) -> dict[int, list[date]]:
    """{client id: the days of its standing reviews up to `last`}; `last_only`: the last one alone (all the
    rule reads for a single month)."""
    if isinstance(client_ids, list):
        rows = (_last_review_rows if last_only else _review_day_rows)(client_ids=client_ids, last=last)
    else:
        rows = _standing_reviews(client_ids, last, last_only)
    reviews = defaultdict(list)
    for client_id, reviewed_on in rows:
        reviews[client_id].append(reviewed_on)
    return reviews


def plan_coverage(client_ids, first_month: date, last_month: date) -> dict[int, set[date]]:
    """{client id: first days of the months from first_month to last_month with a plan in effect}
    (plans.rules.plan_in_effect), from two queries whatever the number of clients or months.

    `client_ids` is a list of ids or a values("id") queryset (used as a subquery)."""
    first, last = month_start(first_month), month_end(last_month)
    months = [shift_month(first, i) for i in range(months_between(first, last))]
    plans = _plan_facts(client_ids, first, last)
    if not plans:
        return {}
    reviews = _review_days(client_ids, last, last_only=len(months) == 1)
    return {
        client_id: {m for m in months if rules.plan_in_effect(m, client_plans, reviews[client_id])}
        for client_id, client_plans in plans.items()
    }


def plan_missing_month_counts(clients, month: date) -> dict[int, int]:
    """{client id: n} for `clients` (Client objects or a queryset) in `month`: n is the month's place in
    the client's run of consecutive months in service without a plan in effect (1st, 2nd, 3rd …), 0 when
    a plan is in effect or the month is outside the window. For the claim's 個別支援計画未作成減算 (70% for
    the first two months, 50% from the third). Three queries at most."""
    month = month_start(month)
    clients = list(clients)
    in_service = {
        c.pk: month_start(c.window_starts_on)
        for c in clients
        if c.window_starts_on and c.window_starts_on <= month_end(month) and c.window_ends_on >= month
    }
    counts = dict.fromkeys((c.pk for c in clients), 0)
    if not in_service:
        return counts
    earliest = min(in_service.values())
    covered = plan_coverage(list(in_service), earliest, month)
    for client_id, first_month in in_service.items():
        counts[client_id] = rules.months_without_plan(month, first_month, covered.get(client_id, set()))
    return counts


def locked_month_coverage(client, *, plan=None, review=None) -> dict[date, bool]:
    """{first day of each of the client's office's locked months in its window: a plan in effect}, from
    the stored plans and reviews, or with `plan` / `review` (an instance carrying unsaved values, or a
    new one) in place of its stored row. Empty, after one query, where no month of the window is locked.
    A change that alters this needs a written reason (cases.locks)."""
    window = client.window
    if window is None:
        return {}
    months = locks.locked_months(client.office_id, window.starts_on, window.ends_on)
    if not months:
        return {}
    plans = {p.pk: p for p in SupportPlan.objects.filter(client_id=client.pk)}
    reviews = {r.pk: r for r in PlanReview.objects.filter(plan__client_id=client.pk)}
    if plan is not None:
        plans[plan.pk or "new"] = plan
    if review is not None:
        reviews[review.pk or "new"] = review
    facts = [
        rules.PlanFact(p.version, p.starts_on, p.ends_on, p.agreed_on, p.delivered_on)
        for p in plans.values()
        if p.status == PlanStatus.DELIVERED and not p.withdrawn
    ]
    days = [r.reviewed_on for r in reviews.values() if not r.withdrawn and r.reviewed_on]
    return {m: rules.plan_in_effect(m, facts, days) for m in months}


def month_coverage_and_runs(clients, month: date) -> tuple[dict[int, set[date]], dict[int, int]]:
    """For `clients` (Client objects) in `month`: ({client id: {month} when a plan is in effect}, {client
    id: the month's place in its run of months in service without one, 0 when covered or not in
    service}). Two queries; each client's months are judged from `month` back only as far as its run
    goes (plans.rules.months_without_plan), not over the whole window."""
    month = month_start(month)
    last = month_end(month)
    service_first = {
        c.pk: month_start(c.window_starts_on)
        for c in clients
        if c.window_starts_on and c.window_starts_on <= last and c.window_ends_on >= month
    }
    runs = {c.pk: 0 for c in clients}
    if not service_first:
        return {}, runs
    plans = _plan_facts(list(service_first), min(service_first.values()), last)
    reviews = _review_days(list(plans), last) if plans else {}
    coverage = {}
    for client_id, first_month in service_first.items():
        day, count = month, 0
        client_plans, days = plans.get(client_id, []), reviews.get(client_id, [])
        while day >= first_month and not rules.plan_in_effect(day, client_plans, days):
            count += 1
            day = shift_month(day, -1)
        runs[client_id] = count
        if count == 0:
            coverage[client_id] = {month}
    return coverage, runs
