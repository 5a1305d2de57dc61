"""Reads for plans, reviews, consents and handovers, and the deadline selectors behind the dashboard.

Every deadline selector takes an office and an `as_of` date (and optionally a staff member) and returns a
list of `Deadline` rows: the client, the due date and what is late. Each runs a fixed number of queries
whatever the office size, so the dashboard and the flag jobs can both call them.
"""

import difflib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, Max, Min, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import clients_visible_to
from cases.models import BenefitDecision, Client, ClientStatus, Membership, Office

from . import rules
from .coverage import plan_coverage, plan_missing_month_counts  # noqa: F401  (other apps read them here)
from .models import Consent, ConsentPurpose, Handover, PlanReview, PlanStatus, SupportPlan
from .services import PLAN_CONTENT_FIELDS

IN_EFFECT = (PlanStatus.AGREED, PlanStatus.DELIVERED)

# Deadline kinds (stable codes for flags) and what they mean on screen.
REVIEW_OVERDUE = "review_overdue"
REVIEW_DUE_SOON = "review_due_soon"
PLAN_AWAITING_APPROVAL = "plan_awaiting_approval"
PLAN_AWAITING_CONSENT = "plan_awaiting_consent"
NO_AGREED_PLAN = "no_agreed_plan"
DECISION_RENEWAL = "decision_renewal"
HANDOVER_SHARING = "handover_sharing"
APPLICATION_PREPARATION = "application_preparation"


@dataclass(frozen=True)
class Deadline:
    kind: str
    client_id: int
    client_name: str
    staff_id: int | None
    due_on: date
    late: str  # what is late / due, in words
    urgent: bool = False
    object_id: int | None = None  # the plan / decision the row is about, where there is one

    @property
    def fix_url(self) -> str:
        """The page where this row is dealt with."""
        if self.kind in (REVIEW_OVERDUE, REVIEW_DUE_SOON):
            return reverse("plans:review_create", args=[self.object_id])
        if self.kind in (PLAN_AWAITING_APPROVAL, PLAN_AWAITING_CONSENT):
            return reverse("plans:plan_detail", args=[self.object_id])
        if self.kind == NO_AGREED_PLAN:
            return reverse("plans:plan_versions", args=[self.client_id])
        if self.kind == HANDOVER_SHARING:
            return reverse("plans:handover_edit", args=[self.client_id])
        return reverse("cases:decision_create", args=[self.client_id])


# --- visibility ---


def plans_visible_to(membership: Membership):
    return SupportPlan.objects.filter(client__in=clients_visible_to(membership)).select_related(
        "client", "drafted_by", "approved_by"
    )


def reviews_visible_to(membership: Membership):
    return PlanReview.objects.filter(plan__client__in=clients_visible_to(membership)).select_related(
        "plan__client", "reviewer"
    )


def consents_visible_to(membership: Membership):
    return Consent.objects.filter(client__in=clients_visible_to(membership)).select_related("client")


def plan_for_page(membership: Membership, pk: int) -> SupportPlan:
    return get_object_or_404(plans_visible_to(membership).select_related("client__office"), pk=pk)


# --- consent ---


def consent_stands(client: Client | int, purpose: str, on: date) -> bool:
    """Whether the client's consent for `purpose` was given on or before `on` and not withdrawn by then."""
    client_id = client if isinstance(client, int) else client.pk
    return (
        Consent.objects.filter(client_id=client_id, purpose=purpose, given_on__lte=on)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .exists()
    )


def consent_summary(client: Client, on: date) -> list[tuple[str, str, bool]]:
    """(purpose code, label, stands) for every purpose, from one query."""
    rows = list(client.consents.all())
    standing = {
        c.purpose for c in rows if c.given_on <= on and (c.withdrawn_on is None or c.withdrawn_on > on)
    }
    return [(code, label, code in standing) for code, label in ConsentPurpose.choices]


# --- the client page panel ---


@dataclass(frozen=True)
class ClientPlansPanel:
    plans: list
    current: SupportPlan | None
    reviews: list
    next_review_on: date | None
    review_state: str | None
    consents: list
    consent_summary: list
    handover: Handover | None


def client_plans(client: Client) -> list[SupportPlan]:
    """The client's plan versions, newest first; fetched once per client instance (the client page's
    plans panel and its month grid share them)."""
    if not hasattr(client, "_plans_newest_first"):
        client._plans_newest_first = list(
            client.plans.select_related("drafted_by", "approved_by").order_by("-version")
        )
    return client._plans_newest_first


def client_reviews(client: Client) -> list[PlanReview]:
    """The reviews of all the client's plan versions, newest first; fetched once per client instance."""
    if not hasattr(client, "_reviews_newest_first"):
        # By the plan ids in hand (the index on plan_id), not a join back to the client's plans.
        by_id = {p.pk: p for p in client_plans(client)}
        reviews = list(
            PlanReview.objects.filter(plan_id__in=list(by_id))
            .select_related("reviewer")
            .order_by("-reviewed_on")
        )
        for review in reviews:
            review.plan = by_id[review.plan_id]
        client._reviews_newest_first = reviews
    return client._reviews_newest_first


def client_consents(client: Client) -> list[Consent]:
    """The client's consent records; fetched once per client instance."""
    if not hasattr(client, "_consents"):
        client._consents = list(client.consents.select_related("recorded_by"))
    return client._consents


def client_plans_panel(client: Client, today: date) -> ClientPlansPanel:
    plans = client_plans(client)
    current = next((p for p in plans if p.status in IN_EFFECT), None)
    reviews = client_reviews(client)
    next_on = state = None
    if current:
        last = max((r.reviewed_on for r in reviews if r.reviewed_on <= today), default=None)
        next_on = rules.next_review_due(current.starts_on, last)
        state = rules.review_status(next_on, today)
    consents = client_consents(client)
    summary = [
        (
            code,
            label,
            any(
                c.purpose == code
                and c.given_on <= today
                and (c.withdrawn_on is None or c.withdrawn_on > today)
                for c in consents
            ),
        )
        for code, label in ConsentPurpose.choices
    ]
    try:
        handover = client.handover  # select_related by client_for_page; else one query
    except Handover.DoesNotExist:
        handover = None
    return ClientPlansPanel(plans, current, reviews, next_on, state, consents, summary, handover)


# --- what changed between two versions ---


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    lines: list  # [(op, text)] with op in " ", "-", "+"


def plan_diff(old: SupportPlan, new: SupportPlan) -> list[FieldChange]:
    changes = []
    for name in PLAN_CONTENT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        before_text = "" if before is None else str(before)
        after_text = "" if after is None else str(after)
        lines = [
            (line[0], line[2:])
            for line in difflib.ndiff(before_text.splitlines(), after_text.splitlines())
            if line[:1] in (" ", "-", "+")
        ]
        label = str(SupportPlan._meta.get_field(name).verbose_name)
        changes.append(FieldChange(label, before_text, after_text, lines))
    return changes


# --- deadlines ---


def _clients(office: Office | int, staff_id: int | None):
    office_id = office if isinstance(office, int) else office.pk
    queryset = Client.objects.filter(office_id=office_id, archived=False)
    if staff_id:
        queryset = queryset.filter(primary_staff_id=staff_id)
    return queryset


def _in_service(office, as_of: date, staff_id):
    return (
        _clients(office, staff_id)
        .filter(window_starts_on__lte=as_of, window_ends_on__gte=as_of)
        .exclude(status__in=[ClientStatus.HANDED_OVER, ClientStatus.ENDED])
    )


def _review_rows(office, as_of: date, staff_id) -> list[tuple[SupportPlan, date, str]]:
    """The plan in effect of each client in service, with its next review date and status (one query)."""
    newer = SupportPlan.objects.filter(
        client_id=OuterRef("client_id"), status__in=IN_EFFECT, version__gt=OuterRef("version")
    )
    # The client's last review of any version (a "revise" review is recorded on the version it replaces).
    last_review = (
        PlanReview.objects.filter(plan__client_id=OuterRef("client_id"), reviewed_on__lte=as_of)
        .order_by()
        .values("plan__client_id")
        .annotate(last=Max("reviewed_on"))
        .values("last")
    )
    plans = (
        SupportPlan.objects.filter(client__in=_in_service(office, as_of, staff_id), status__in=IN_EFFECT)
        .filter(~Exists(newer))
        .annotate(last_review_on=Subquery(last_review))
        .select_related("client")
        .order_by("client__family_name_kana", "client_id")
    )
    rows = []
    for plan in plans:
        due = rules.next_review_due(plan.starts_on, plan.last_review_on)
        rows.append((plan, due, rules.review_status(due, as_of)))
    return rows


def reviews_overdue(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    return [
        Deadline(
            REVIEW_OVERDUE,
            plan.client_id,
            plan.client.full_name,
            plan.client.primary_staff_id,
            due,
            _("モニタリング期限超過（%(n)s日）") % {"n": (as_of - due).days},
            True,
            plan.pk,
        )
        for plan, due, state in _review_rows(office, as_of, staff_id)
        if state == rules.REVIEW_OVERDUE
    ]


def reviews_due_within(office, as_of: date, days: int = rules.DUE_SOON_DAYS, staff_id: int | None = None):
    return [
        Deadline(
            REVIEW_DUE_SOON,
            plan.client_id,
            plan.client.full_name,
            plan.client.primary_staff_id,
            due,
            _("モニタリング期限まで%(n)s日") % {"n": (due - as_of).days},
            False,
            plan.pk,
        )
        for plan, due, _state in _review_rows(office, as_of, staff_id)
        if as_of <= due <= as_of + timedelta(days=days)
    ]


def _plans_in(office, status, staff_id):
    return (
        SupportPlan.objects.filter(client__in=_clients(office, staff_id), status=status)
        .select_related("client")
        .order_by("starts_on", "client_id")
    )


def plans_awaiting_approval(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    return [
        Deadline(
            PLAN_AWAITING_APPROVAL,
            p.client_id,
            p.client.full_name,
            p.client.primary_staff_id,
            p.starts_on,
            _("第%(v)s版 承認待ち") % {"v": p.version},
            p.starts_on < as_of,
            p.pk,
        )
        for p in _plans_in(office, PlanStatus.DRAFT, staff_id)
    ]


def plans_awaiting_consent(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    return [
        Deadline(
            PLAN_AWAITING_CONSENT,
            p.client_id,
            p.client.full_name,
            p.client.primary_staff_id,
            p.starts_on,
            _("第%(v)s版 本人同意待ち") % {"v": p.version},
            p.starts_on < as_of,
            p.pk,
        )
        for p in _plans_in(office, PlanStatus.APPROVED, staff_id)
    ]


def clients_without_agreed_plan(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    """Clients in service today (window contains as_of, not archived) with no plan agreed by as_of."""
    agreed = SupportPlan.objects.filter(client_id=OuterRef("pk"), status__in=IN_EFFECT, agreed_on__lte=as_of)
    clients = (
        _clients(office, staff_id)
        .filter(window_starts_on__lte=as_of, window_ends_on__gte=as_of)
        .filter(~Exists(agreed))
        .order_by("window_starts_on", "pk")
    )
    return [
        Deadline(
            NO_AGREED_PLAN,
            c.pk,
            c.full_name,
            c.primary_staff_id,
            c.window_starts_on,
            _("同意済みの計画なし"),
            True,
        )
        for c in clients
    ]


def decisions_ending(
    office, as_of: date, days: int = rules.DECISION_RENEWAL_ALERT_DAYS, staff_id: int | None = None
) -> list[Deadline]:
    """支給決定 ending within `days` with no following decision, while the window continues past it."""
    following = BenefitDecision.objects.filter(
        client_id=OuterRef("client_id"), starts_on__gt=OuterRef("ends_on")
    )
    decisions = BenefitDecision.objects.filter(
        client__in=_clients(office, staff_id),
        ends_on__gte=as_of,
        ends_on__lte=as_of + timedelta(days=days),
        client__window_ends_on__gt=F("ends_on"),
    )
    decisions = decisions.filter(~Exists(following)).select_related("client").order_by("ends_on", "client_id")
    rows = []
    for d in decisions:
        state = rules.decision_renewal_alert(d.ends_on, d.client.window_ends_on, False, as_of)
        if state:
            rows.append(
                Deadline(
                    DECISION_RENEWAL,
                    d.client_id,
                    d.client.full_name,
                    d.client.primary_staff_id,
                    d.ends_on,
                    _("支給決定の終了まで%(n)s日（更新未登録）") % {"n": (d.ends_on - as_of).days},
                    state == rules.URGENT,
                    d.pk,
                )
            )
    return rows


def handovers_unshared(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    """Windows ending within 120 days with no information shared yet; urgent under 90 days."""
    shared = Handover.objects.filter(client_id=OuterRef("pk"), info_shared_on__isnull=False)
    clients = (
        _clients(office, staff_id)
        .filter(
            window_ends_on__gte=as_of, window_ends_on__lte=as_of + timedelta(days=rules.HANDOVER_ALERT_DAYS)
        )
        .exclude(status=ClientStatus.HANDED_OVER)
        .filter(~Exists(shared))
        .order_by("window_ends_on", "pk")
    )
    rows = []
    for c in clients:
        state = rules.handover_alert(c.window_ends_on, None, as_of)
        if state:
            days_left = (c.window_ends_on - as_of).days
            rows.append(
                Deadline(
                    HANDOVER_SHARING,
                    c.pk,
                    c.full_name,
                    c.primary_staff_id,
                    rules.handover_share_deadline(c.window_ends_on),
                    _("支援期間終了（%(end)s）まで%(n)s日・引継ぎ先へ情報共有なし")
                    % {"end": f"{c.window_ends_on:%Y/%m/%d}", "n": days_left},
                    state == rules.URGENT,
                )
            )
    return rows


def applications_due(office, as_of: date, staff_id: int | None = None) -> list[Deadline]:
    """Clients in month 2–6 of employment with no 支給決定 starting by H + 6 months (urgent from month 5)."""
    covering = BenefitDecision.objects.filter(
        client_id=OuterRef("pk"),
        starts_on__lte=OuterRef("window_starts_on"),
        ends_on__gte=OuterRef("window_starts_on"),
    )
    clients = (
        _clients(office, staff_id)
        .filter(window_starts_on__gte=as_of, window_starts_on__lte=as_of + timedelta(days=31 * 6))
        .filter(~Exists(covering))
        .annotate(hired_on=Min("employments__hired_on"))
        .order_by("window_starts_on", "pk")
    )
    rows = []
    for c in clients:
        state = rules.application_alert(c.hired_on, False, as_of) if c.hired_on else None
        if state:
            month = rules.employment_month(c.hired_on, as_of)
            rows.append(
                Deadline(
                    APPLICATION_PREPARATION,
                    c.pk,
                    c.full_name,
                    c.primary_staff_id,
                    c.window_starts_on,
                    _("雇用%(m)sか月目・支援開始日からの支給決定なし") % {"m": month},
                    state == rules.URGENT,
                )
            )
    return rows


DASHBOARD_LISTS = (
    (REVIEW_OVERDUE, gettext_lazy("モニタリング期限超過"), reviews_overdue),
    (REVIEW_DUE_SOON, gettext_lazy("モニタリング14日以内"), reviews_due_within),
    (PLAN_AWAITING_APPROVAL, gettext_lazy("承認待ちの計画"), plans_awaiting_approval),
    (PLAN_AWAITING_CONSENT, gettext_lazy("本人同意待ちの計画"), plans_awaiting_consent),
    (NO_AGREED_PLAN, gettext_lazy("同意済み計画のない利用者"), clients_without_agreed_plan),
    (DECISION_RENEWAL, gettext_lazy("支給決定の更新（60日以内）"), decisions_ending),
    (HANDOVER_SHARING, gettext_lazy("引継ぎ先への情報共有（期間終了120日以内）"), handovers_unshared),
    (APPLICATION_PREPARATION, gettext_lazy("受給者証の申請準備（雇用2〜6か月目）"), applications_due),
)


def dashboard(office, as_of: date, staff_id: int | None = None) -> list[tuple[str, str, list[Deadline]]]:
    return [
        (kind, label, selector(office, as_of, staff_id=staff_id)) for kind, label, selector in DASHBOARD_LISTS
    ]
