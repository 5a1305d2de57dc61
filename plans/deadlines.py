"""The deadline engine: every deadline of a client on a day, as pure functions of plain values.

One module holds the thresholds, the kinds (`DeadlineKind`) and the table of cases (`CASES`). The facts
come from one selector per office and day (`plans.selectors.deadline_facts`); the manager's dashboard
(`plans.selectors.dashboard`) and the flag job (`flags.services.flag_deadlines`) are two views of
`deadlines(facts, today)`, and `plans.links.deadline_fix_url` is the one map from a kind to the page where
it is fixed. domain.md: "Support plans", "The end of service and handover", "Applications and renewals".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.rules import Window
from core.dates import after_months, latest_day_before, month_start

from .rules import PlanFact, months_without_plan, next_review_due, plan_in_effect

# --- thresholds (each written here only) ---
REVIEW_DUE_SOON_DAYS = 14  # a review is due soon from 14 days before its due day
RENEWAL_ALERT_DAYS = 60  # a 支給決定 with no following one: alert 60 days before ends_on …
RENEWAL_URGENT_DAYS = 30  # … urgent from 30 days before, and after ends_on until renewed
APPLICATION_FROM_MONTH = 2  # the first application: from month 2 of employment …
APPLICATION_URGENT_FROM_MONTH = 5  # … urgent from month 5, and after the possible start until decided
HANDOVER_SHARE_MONTHS_BEFORE_END = 3  # information shared with the receiver ≥ 3 months before the end
HANDOVER_ALERT_DAYS = 60  # alert from 60 days before that sharing deadline …
HANDOVER_URGENT_DAYS = 14  # … urgent from 14 days before; after it, the 10% reduction applies

# --- severities (the flags use the same codes) ---
INFO = "info"
WARNING = "warning"
URGENT = "urgent"


class DeadlineKind(models.TextChoices):
    """Every deadline the dashboard lists and the flag job raises, in the dashboard's order."""

    REVIEW_OVERDUE = "review_overdue", gettext_lazy("モニタリング期限超過")
    REVIEW_DUE_SOON = "review_due_soon", gettext_lazy("モニタリング期限間近")
    PLAN_MISSING = "plan_missing", gettext_lazy("有効な計画のない利用者（減算）")
    PLAN_AWAITING_APPROVAL = "plan_awaiting_approval", gettext_lazy("承認待ちの計画")
    PLAN_AWAITING_CONSENT = "plan_awaiting_consent", gettext_lazy("本人同意待ちの計画")
    PLAN_AWAITING_DELIVERY = "plan_awaiting_delivery", gettext_lazy("交付待ちの計画")
    DECISION_RENEWAL = "decision_renewal", gettext_lazy("支給決定の更新")
    DECISION_MISSING = "decision_missing", gettext_lazy("支給決定のない月")
    APPLICATION_PREPARATION = "application_preparation", gettext_lazy("受給者証の申請準備")
    HANDOVER_SHARING = "handover_sharing", gettext_lazy("引継ぎ先への情報共有")


@dataclass(frozen=True)
class Decision:
    starts_on: date
    ends_on: date
    id: int | None = None


@dataclass(frozen=True)
class PlanState:
    """A plan version with its workflow status (plans.models.PlanStatus codes)."""

    id: int | None
    version: int
    status: str
    starts_on: date
    ends_on: date
    agreed_on: date | None = None
    delivered_on: date | None = None

    @property
    def fact(self) -> PlanFact:
        delivered = self.delivered_on if self.status == "delivered" else None
        return PlanFact(self.version, self.starts_on, self.ends_on, self.agreed_on, delivered)


@dataclass(frozen=True)
class DeadlineFacts:
    """Plain values for one client's deadlines (plans.selectors.deadline_facts)."""

    client_id: int
    window: Window | None
    hired_on: date | None = None  # H: the first hire of the qualifying job
    decisions: Sequence[Decision] = ()
    plans: Sequence[PlanState] = ()
    review_days: Sequence[date] = ()  # the client's reviews of any plan version
    info_shared_on: date | None = None  # handover: information shared with the receiving organisation
    handed_over: bool = False  # support handed over: only the handover's own record still matters


@dataclass(frozen=True)
class Due:
    """One deadline of one client: (client_id, kind, due_on) identifies it."""

    client_id: int
    kind: str
    due_on: date
    severity: str
    message: str
    object_id: int | None = None  # the plan / decision it is about, where there is one

    @property
    def urgent(self) -> bool:
        return self.severity == URGENT


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _in_service(facts: DeadlineFacts, today: date) -> bool:
    return facts.window is not None and facts.window.contains(today)


# --- the cases ---


def review_status(due_on: date, today: date) -> str:
    """REVIEW_OVERDUE after the due day; REVIEW_DUE_SOON from 14 days before it, the due day included."""
    if today > due_on:
        return DeadlineKind.REVIEW_OVERDUE
    if (due_on - today).days <= REVIEW_DUE_SOON_DAYS:
        return DeadlineKind.REVIEW_DUE_SOON
    return ""


def current_plan(facts: DeadlineFacts, today: date) -> PlanState | None:
    """The newest version agreed on or before today (delivered or not)."""
    agreed = [
        p
        for p in facts.plans
        if p.status in ("agreed", "delivered") and p.agreed_on is not None and p.agreed_on <= today
    ]
    return max(agreed, key=lambda p: p.version, default=None)


def review_case(facts: DeadlineFacts, today: date) -> list[Due]:
    plan = current_plan(facts, today)
    if plan is None or not _in_service(facts, today):
        return []
    due = next_review_due(plan.starts_on, max((d for d in facts.review_days if d <= today), default=None))
    status = review_status(due, today)
    if status == DeadlineKind.REVIEW_OVERDUE:
        message = _("モニタリングの期限（%(d)s）を%(n)s日過ぎています（減算の対象）。") % {
            "d": _ymd(due),
            "n": (today - due).days,
        }
        return [Due(facts.client_id, status, due, URGENT, message, plan.id)]
    if status == DeadlineKind.REVIEW_DUE_SOON:
        message = _("モニタリングの期限は%(d)sです（あと%(n)s日）。") % {
            "d": _ymd(due),
            "n": (due - today).days,
        }
        return [Due(facts.client_id, status, due, WARNING, message, plan.id)]
    return []


def plan_missing_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """In service today with no plan agreed and delivered whose period reaches this month: a reduction
    from the month it starts (the message says which month of the run this is)."""
    if not _in_service(facts, today):
        return []
    month = month_start(today)
    plan_facts = [p.fact for p in facts.plans]
    has_plan = any(
        p.agreed_on
        and p.delivered_on
        and p.agreed_on <= today
        and p.delivered_on <= today
        and p.starts_on <= today
        and p.ends_on >= month
        for p in plan_facts
    )
    if has_plan:
        return []
    first = month_start(facts.window.starts_on)
    covered = set()
    probe = month
    while plan_facts and probe > first:  # the months before this one, back to the start of service
        probe = month_start(probe - timedelta(days=1))
        if plan_in_effect(probe, plan_facts, facts.review_days):
            covered.add(probe)
            break
    n = months_without_plan(month, first, covered)
    message = _("有効な支援計画がありません（計画未作成%(n)sか月目・減算の対象）。") % {"n": n}
    return [Due(facts.client_id, DeadlineKind.PLAN_MISSING, month, URGENT, message)]


def plan_workflow_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """Versions waiting for the next step: urgent once their period has begun."""
    if not any(plan.status in ("draft", "approved", "agreed") for plan in facts.plans):
        return []
    steps = {
        "draft": (DeadlineKind.PLAN_AWAITING_APPROVAL, _("第%(v)s版 承認待ち")),
        "approved": (DeadlineKind.PLAN_AWAITING_CONSENT, _("第%(v)s版 本人同意待ち")),
        "agreed": (
            DeadlineKind.PLAN_AWAITING_DELIVERY,
            _("第%(v)s版 交付待ち（交付するまで計画は有効になりません）"),
        ),
    }
    newest = max((p.version for p in facts.plans if p.status in ("agreed", "delivered")), default=0)
    dues = []
    for plan in facts.plans:
        if plan.status not in steps or (plan.status == "agreed" and plan.version < newest):
            continue
        kind, words = steps[plan.status]
        severity = URGENT if plan.starts_on < today else WARNING
        dues.append(
            Due(facts.client_id, kind, plan.starts_on, severity, words % {"v": plan.version}, plan.id)
        )
    return dues


def _has_following(decision: Decision, decisions: Sequence[Decision]) -> bool:
    return any(o.ends_on > decision.ends_on and o.starts_on > decision.starts_on for o in decisions)


def renewal_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """A decision with no following one while the window goes on past it: from 60 days before its end,
    urgent from 30, and it stays after the end until a following decision is recorded."""
    window = facts.window
    if window is None:
        return []
    dues = []
    for d in facts.decisions:
        if window.ends_on <= d.ends_on or _has_following(d, facts.decisions) or today > window.ends_on:
            continue
        days_left = (d.ends_on - today).days
        if days_left > RENEWAL_ALERT_DAYS:
            continue
        if days_left < 0:
            message = _(
                "支給決定が%(d)sに終了しています（%(n)s日経過）。更新の支給決定を登録してください。"
            ) % {
                "d": _ymd(d.ends_on),
                "n": -days_left,
            }
        else:
            message = _("支給決定が%(d)sに終了します（あと%(n)s日）。更新の申請をしてください。") % {
                "d": _ymd(d.ends_on),
                "n": days_left,
            }
        severity = URGENT if days_left <= RENEWAL_URGENT_DAYS else WARNING
        dues.append(Due(facts.client_id, DeadlineKind.DECISION_RENEWAL, d.ends_on, severity, message, d.id))
    return dues


def decision_missing_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """This month is in service and no decision covers any of its days of service: flagged from the
    month's first day. (With no decision at all for the service, the application case says it.)"""
    window = facts.window
    if window is None or today < window.starts_on or today > window.ends_on:
        return []
    if not any(d.ends_on >= window.starts_on for d in facts.decisions):
        return []
    month = month_start(today)
    first = max(month, window.starts_on)
    last = min(window.ends_on, after_months(month, 1) - timedelta(days=1))
    if any(d.starts_on <= last and d.ends_on >= first for d in facts.decisions):
        return []
    message = _("%(y)s年%(m)s月をカバーする支給決定がありません（この月は請求できません）。") % {
        "y": month.year,
        "m": month.month,
    }
    return [Due(facts.client_id, DeadlineKind.DECISION_MISSING, month, URGENT, message)]


def employment_month(hired_on: date, today: date) -> int:
    """Ordinal month of employment: month 1 runs from H to the end of the month counted from H (民法 143),
    month 2 from the next day, …; month 7 starts when the first 6 months are over."""
    if today < hired_on:
        return 0
    month = 1
    while after_months(hired_on, month) <= today:
        month += 1
    return month


def application_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """From month 2 of employment, urgent from month 5, while no 支給決定 covers the day service may start;
    after that day it stays (urgent) until a decision for the service is recorded at all."""
    window = facts.window
    if facts.hired_on is None or window is None or today > window.ends_on:
        return []
    start = window.starts_on
    if today < start:
        if any(d.starts_on <= start <= d.ends_on for d in facts.decisions):
            return []
    elif any(d.ends_on >= start for d in facts.decisions):
        return []
    month = employment_month(facts.hired_on, today)
    if month < APPLICATION_FROM_MONTH:
        return []
    if today < start:
        severity = URGENT if month >= APPLICATION_URGENT_FROM_MONTH else WARNING
        message = _(
            "雇用%(m)sか月目・%(d)sから始まる支給決定がありません。受給者証の申請準備を進めてください。"
        ) % {
            "m": month,
            "d": _ymd(start),
        }
    else:
        severity = URGENT
        message = _(
            "支援開始可能日（%(d)s）を過ぎても支給決定がありません。受給者証の申請を急いでください。"
        ) % {"d": _ymd(start)}
    return [Due(facts.client_id, DeadlineKind.APPLICATION_PREPARATION, start, severity, message)]


def handover_share_deadline(window_ends_on: date) -> date:
    """The last day to share information with the receiver: 3 whole months still left before the end."""
    return latest_day_before(window_ends_on, HANDOVER_SHARE_MONTHS_BEFORE_END)


def handover_shared_late(window_ends_on: date | None, info_shared_on: date | None) -> bool:
    return bool(
        window_ends_on and info_shared_on and info_shared_on > handover_share_deadline(window_ends_on)
    )


def handover_case(facts: DeadlineFacts, today: date) -> list[Due]:
    """Keyed to the sharing deadline: from 60 days before it, urgent from 14 days before, then a standing
    「減算の対象」 that a late sharing does not clear (the sharing is shown as late)."""
    window = facts.window
    if window is None or today > window.ends_on:
        return []
    deadline = handover_share_deadline(window.ends_on)
    shared = facts.info_shared_on
    if shared is not None and shared <= deadline:
        return []
    days_left = (deadline - today).days
    if days_left > HANDOVER_ALERT_DAYS:
        return []
    if days_left >= 0:
        severity = URGENT if days_left <= HANDOVER_URGENT_DAYS else WARNING
        message = _("引継ぎ先への情報共有の期限は%(d)sです（あと%(n)s日・支援期間の終了は%(e)s）。") % {
            "d": _ymd(deadline),
            "n": days_left,
            "e": _ymd(window.ends_on),
        }
    elif shared is not None:
        severity = URGENT
        message = _("減算の対象: 情報共有（%(s)s）が期限（%(d)s）後でした（支援体制構築未実施減算）。") % {
            "s": _ymd(shared),
            "d": _ymd(deadline),
        }
    else:
        severity = URGENT
        message = _(
            "減算の対象: 引継ぎ先への情報共有の期限（%(d)s）を過ぎました（支援体制構築未実施減算）。"
        ) % {"d": _ymd(deadline)}
    return [Due(facts.client_id, DeadlineKind.HANDOVER_SHARING, deadline, severity, message)]


# The table of cases: every deadline comes from one of these, in the dashboard's order of kinds.
CASES: tuple[Callable[[DeadlineFacts, date], list[Due]], ...] = (
    review_case,
    plan_missing_case,
    plan_workflow_case,
    renewal_case,
    decision_missing_case,
    application_case,
    handover_case,
)
# Cases that still matter once support was handed over (its record of the sharing).
AFTER_HANDOVER = frozenset({handover_case})


@cache
def _kind_order() -> dict[str, int]:
    return {kind: i for i, kind in enumerate(DeadlineKind.values)}


def deadlines(facts: DeadlineFacts, today: date) -> list[Due]:
    """Every deadline of one client on `today`, ordered by kind (DeadlineKind's order) and due day."""
    order = _kind_order()
    dues = [
        due for case in CASES if not facts.handed_over or case in AFTER_HANDOVER for due in case(facts, today)
    ]
    return sorted(dues, key=lambda d: (order[d.kind], d.due_on))
