"""Writes for clients, employers, employments and benefit decisions. Each runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locking import check_version

from . import rules
from .models import BenefitDecision, Client, Employer, Employment, Office, User

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
    "primary_staff",
    "status",
    "note",
)


def assign_fields(instance, fields: dict, allowed: tuple[str, ...]):
    """Set `fields` on `instance`; a name outside `allowed` is a programming error."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


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


def client_refresh_window(client: Client) -> rules.Window | None:
    """Recompute the stored eligibility window from the client's employments."""
    jobs = [
        rules.Job(hired_on, left_on)
        for hired_on, left_on in client.employments.values_list("hired_on", "left_on")
    ]
    window = rules.eligibility_window(jobs)
    client.window_starts_on = window.starts_on if window else None
    client.window_ends_on = window.ends_on if window else None
    client.window_end_reason = (window.end_reason or "") if window else ""
    Client.objects.filter(pk=client.pk).update(
        window_starts_on=client.window_starts_on,
        window_ends_on=client.window_ends_on,
        window_end_reason=client.window_end_reason,
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


def _flags_changed(client: Client):
    from flags.services import client_changed  # here: flags reads cases

    client_changed(client=client)


EMPLOYMENT_FIELDS = ("employer", "hired_on", "left_on", "job_title", "weekly_hours", "disclosed")


def _validate_employment(employment: Employment):
    errors = {}
    if employment.left_on and employment.hired_on and employment.left_on < employment.hired_on:
        errors["left_on"] = _("離職日が雇用開始日より前になっています。")
    if employment.employer_id and employment.employer.office_id != employment.client.office_id:
        errors["employer"] = _("この事業所に登録された企業を選んでください。")
    if employment.left_on is None:
        others_open = employment.client.employments.filter(left_on__isnull=True).exclude(pk=employment.pk)
        if others_open.exists():
            errors["left_on"] = _("在職中の雇用が既にあります。先に前の雇用の離職日を入力してください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def employment_save(
    *, actor: User, client: Client, employment: Employment | None = None, lock_version: int | None = None, **fields
) -> Employment:
    employment = employment or Employment(client=client)
    check_version(employment, lock_version)
    assign_fields(employment, fields, EMPLOYMENT_FIELDS)
    _validate_employment(employment)
    _save_with_history(employment, actor=actor)
    client_refresh_window(client)
    _flags_changed(client)
    return employment


DECISION_FIELDS = (
    "starts_on",
    "ends_on",
    "municipality",
    "decided_on",
    "employment_proof",
    "employment_proof_seen_on",
)


def _validate_decision(decision: BenefitDecision):
    errors = {}
    if decision.starts_on and decision.ends_on:
        if decision.ends_on < decision.starts_on:
            errors["ends_on"] = _("終了日が開始日より前になっています。")
        elif decision.ends_on > rules.max_decision_end(decision.starts_on):
            errors["ends_on"] = _("支給決定期間は1年以内です（最長 %(last)s まで）。") % {
                "last": rules.max_decision_end(decision.starts_on).isoformat()
            }
        else:
            overlapping = decision.client.decisions.filter(
                starts_on__lte=decision.ends_on, ends_on__gte=decision.starts_on
            ).exclude(pk=decision.pk)
            clash = overlapping.first()
            if clash:
                errors["starts_on"] = _("既存の支給決定（%(start)s〜%(end)s）と期間が重なっています。") % {
                    "start": clash.starts_on.isoformat(),
                    "end": clash.ends_on.isoformat(),
                }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def benefit_decision_save(
    *, actor: User, client: Client, decision: BenefitDecision | None = None, lock_version: int | None = None,
    **fields,
) -> BenefitDecision:
    decision = decision or BenefitDecision(client=client)
    check_version(decision, lock_version)
    assign_fields(decision, fields, DECISION_FIELDS)
    _validate_decision(decision)
    _save_with_history(decision, actor=actor)
    _flags_changed(client)
    return decision
