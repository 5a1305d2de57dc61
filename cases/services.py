"""Writes for clients, employers, employments and benefit decisions. Each runs in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.forms import REASON_MAX_LENGTH
from core.locking import check_version
from core.permissions import EDIT_CASES, roles_with
from core.services import assign_fields

from . import locks, rules
from .models import BenefitDecision, Client, Employer, Employment, Office, User, WorkplaceKind

CLIENT_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "disability_categories",
    "recipient_number",
    "municipality",
    "burden_category",
    "prior_service",
    "prior_service_ended_on",
    "primary_staff",
    "status",
    "note",
)


def check_reason_length(reason: str) -> None:
    if len((reason or "").strip()) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("理由は%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH}}
        )


def _check_staff_in_office(staff: User | None, office: Office):
    if staff is not None and not staff.memberships.filter(office=office).exists():
        raise ValidationError({"primary_staff": _("担当支援員はこの事業所の職員から選んでください。")})


@transaction.atomic
def client_create(*, actor: User, office: Office, **fields) -> Client:
    client = Client(office=office)
    assign_fields(client, fields, CLIENT_FIELDS)
    _check_staff_in_office(client.primary_staff, office)
    client._history_user = actor
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_update(*, actor: User, client: Client, lock_version: int | None = None, **fields) -> Client:
    check_version(client, lock_version)
    assign_fields(client, fields, CLIENT_FIELDS)
    _check_staff_in_office(client.primary_staff, client.office)
    client._history_user = actor
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_archive(*, actor: User, client: Client, archived: bool = True) -> Client:
    client.archived = archived
    client._history_user = actor
    client.save(update_fields=["archived", "updated_at"])
    return client


def client_window_from_records(client: Client) -> rules.Window | None:
    """The eligibility window the client's employments and prior-service end give today."""
    jobs = [
        rules.Job(hired_on, left_on, kind == WorkplaceKind.REGULAR)
        for hired_on, left_on, kind in client.employments.values_list("hired_on", "left_on", "workplace_kind")
    ]
    return rules.eligibility_window(jobs, client.prior_service_ended_on)


def stored_window(window: rules.Window | None) -> tuple:
    """The client's stored window fields (starts_on, ends_on, end_reason) for a window."""
    return (window.starts_on, window.ends_on, window.end_reason or "") if window else (None, None, "")


def client_refresh_window(client: Client) -> rules.Window | None:
    """Recompute the stored eligibility window; announce the change when it moved."""
    window = client_window_from_records(client)
    stored = (client.window_starts_on, client.window_ends_on, client.window_end_reason or "")
    fresh = stored_window(window)
    client.window_starts_on, client.window_ends_on, client.window_end_reason = fresh
    if fresh != stored:
        Client.objects.filter(pk=client.pk).update(
            window_starts_on=fresh[0], window_ends_on=fresh[1], window_end_reason=fresh[2]
        )
    return window


EMPLOYER_FIELDS = ("name", "industry", "address", "contact_person", "phone")


@transaction.atomic
def employer_create(*, actor: User, office: Office, **fields) -> Employer:
    employer = Employer(office=office)
    assign_fields(employer, fields, EMPLOYER_FIELDS)
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def employer_update(*, actor: User, employer: Employer, **fields) -> Employer:
    assign_fields(employer, fields, EMPLOYER_FIELDS)
    employer.full_clean()
    employer.save()
    return employer


def _save_with_history(record, *, actor: User):
    record._history_user = actor
    record.full_clean()
    record.save()


EMPLOYMENT_FIELDS = (
    "employer",
    "workplace_kind",
    "hired_on",
    "left_on",
    "job_title",
    "weekly_hours",
    "disclosed",
)


@transaction.atomic
def employment_save(
    *, actor: User, client: Client, employment: Employment | None = None, lock_version: int | None = None, **fields
) -> Employment:
    employment = employment or Employment(client=client)
    check_version(employment, lock_version)
    assign_fields(employment, fields, EMPLOYMENT_FIELDS)
    _save_with_history(employment, actor=actor)  # the window and flags follow (cases.signals)
    return employment


DECISION_FIELDS = (
    "starts_on",
    "ends_on",
    "municipality",
    "decided_on",
    "employment_proof",
    "employment_proof_seen_on",
)


@transaction.atomic
def benefit_decision_save(
    *,
    actor: User,
    client: Client,
    decision: BenefitDecision | None = None,
    lock_version: int | None = None,
    reason: str = "",
    **fields,
) -> BenefitDecision:
    """Record or change a 支給決定. A new period, or a changed one, that touches a month locked for
    billing needs a written reason, kept in the decision's history (cases.locks)."""
    decision = decision or BenefitDecision(client=client)
    stored = None
    if decision.pk:
        stored = BenefitDecision.objects.filter(pk=decision.pk).values("starts_on", "ends_on", "withdrawn_at").get()
        if stored.pop("withdrawn_at") is not None:
            raise ValidationError(_("取り消された支給決定は変更できません。"))
    check_version(decision, lock_version)
    assign_fields(decision, fields, DECISION_FIELDS)
    period = (decision.starts_on, decision.ends_on)
    before = (stored["starts_on"], stored["ends_on"]) if stored else None
    if period != before and locks.periods_touch_locked_month(client.office_id, [period, before or (None, None)]):
        decision._change_reason = locks.require_reason(reason)
    elif reason.strip():
        decision._change_reason = locks.check_reason(reason)
    _save_with_history(decision, actor=actor)  # flags follow (cases.signals)
    return decision


@transaction.atomic
def benefit_decision_withdraw(*, actor: User, decision: BenefitDecision, reason: str) -> BenefitDecision:
    """Withdraw a 支給決定 entered by mistake (a manager or an admin): kept with the reason, shown as
    withdrawn, and no longer read by the month verdicts, the deadlines or the claim."""
    if not actor.memberships.filter(office_id=decision.client.office_id, role__in=roles_with(EDIT_CASES)).exists():
        raise PermissionDenied(_("支給決定を取り消せるのは管理者またはサービス管理責任者だけです。"))
    check_reason_length(reason)
    decision = BenefitDecision.objects.select_for_update().get(pk=decision.pk)
    decision.mark_withdrawn(actor=actor, reason=reason)
    decision.save()  # flags follow (cases.signals)
    return decision
