"""Writes for contacts, support reports and month locks. Each runs in one transaction.

A contact is the legal record of the service: every change is kept in its history, and once the month has
been locked for billing a change to its contacts or its report carries a written reason in that history. A
record entered by mistake is withdrawn with a reason, never deleted (core.retention).
"""

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Client, Office, User
from cases.signals import announce
from core.dates import month_end, month_start
from core.forms import REASON_MAX_LENGTH
from core.locking import check_version
from core.permissions import CLAIM, REVIEW, can, roles_with

from . import selectors
from .models import (
    ContactKind,
    ContactLog,
    MonthLock,
    ShareMethod,
    SupportReport,
    Topic,
    face_to_face_for,
)
from .signals import announce_contacts

CONTACT_FIELDS = (
    "on",
    "started_at",
    "minutes",
    "kind",
    "face_to_face",
    "employer_met",
    "place",
    "topics",
    "narrative",
    "next_actions",
)


def _validate_contact(*, client: Client, on: date, kind: str, topics) -> None:
    errors = {}
    if client.archived:
        errors.setdefault("client", []).append(_("アーカイブ済みの利用者には支援記録を登録できません。"))
    if on > timezone.localdate():
        errors.setdefault("on", []).append(_("未来の日付では記録できません。"))
    first_hire = client.employments.order_by("hired_on").values_list("hired_on", flat=True).first()
    if first_hire is None:
        errors.setdefault("client", []).append(_("雇用が登録されていないため、支援記録を登録できません。"))
    elif on < first_hire:
        errors.setdefault("on", []).append(
            _("最初の雇用開始日（%(hired)s）より前の日付では記録できません。")
            % {"hired": f"{first_hire:%Y年%-m月%-d日}"}
        )
    if kind not in ContactKind.values:
        errors.setdefault("kind", []).append(_("種別を選んでください。"))
    unknown = [t for t in topics or [] if t not in Topic.values]
    if unknown:
        errors.setdefault("topics", []).append(_("不明な話題があります。"))
    if errors:
        raise ValidationError(errors)


def _check_reason_length(reason: str) -> None:
    if len((reason or "").strip()) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("理由は%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH}}
        )


def _require_reason_if_locked(*, office_id: int, days, reason: str) -> None:
    _check_reason_length(reason)
    if any(selectors.month_is_locked(office_id, day) for day in days) and not reason.strip():
        raise ValidationError(
            {"reason": _("請求済みで締められた月の記録です。変更の理由を入力してください。")}
        )


@transaction.atomic
def contact_log_create(
    *,
    actor: User,
    client: Client,
    on: date,
    kind: str,
    started_at: time | None = None,
    minutes: int | None = None,
    face_to_face: bool = False,
    employer_met: bool = False,
    place: str = "",
    topics: list[str] | None = None,
    narrative: str = "",
    next_actions: str = "",
    reason: str = "",
) -> ContactLog:
    """Record a contact by `actor`. 対面 follows the kind; only a case meeting may be ticked in person."""
    topics = list(topics or [])
    _validate_contact(client=client, on=on, kind=kind, topics=topics)
    _require_reason_if_locked(office_id=client.office_id, days=[on], reason=reason)
    contact = ContactLog(
        client=client,
        staff=actor,
        on=on,
        kind=kind,
        started_at=started_at,
        minutes=minutes,
        face_to_face=face_to_face_for(kind, face_to_face),
        employer_met=employer_met or kind == ContactKind.EMPLOYER_VISIT,
        place=place,
        topics=topics,
        narrative=narrative.strip(),
        next_actions=next_actions,
    )
    contact._history_user = actor
    if reason.strip():
        contact._change_reason = reason.strip()
    contact.save()
    announce_contacts(client, [contact.on])
    return contact


def _check_may_edit(actor: User, contact: ContactLog) -> None:
    membership = contact.client.office.memberships.filter(user=actor).first()
    if not selectors.can_edit_contact(membership, contact):
        raise PermissionDenied(_("この記録を変更する権限がありません。"))


@transaction.atomic
def contact_log_update(
    *, actor: User, contact: ContactLog, reason: str = "", lock_version: int | None = None, **fields
) -> ContactLog:
    """Change a contact. Staff change their own contacts, managers any; a locked month needs a reason."""
    unknown = set(fields) - set(CONTACT_FIELDS) - {"client"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    fields.pop("client", None)  # a contact never moves to another client
    _check_may_edit(actor, contact)
    if contact.withdrawn:
        raise ValidationError(_("取り消された記録は変更できません。"))
    check_version(contact, lock_version)
    # The stored date, not the instance's: a ModelForm may already have put the new values on it.
    old_on = ContactLog.objects.filter(pk=contact.pk).values_list("on", flat=True).get()
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.topics = list(contact.topics or [])
    contact.narrative = (contact.narrative or "").strip()
    _validate_contact(client=contact.client, on=contact.on, kind=contact.kind, topics=contact.topics)
    contact.face_to_face = face_to_face_for(contact.kind, contact.face_to_face)
    if contact.kind == ContactKind.EMPLOYER_VISIT:
        contact.employer_met = True
    _require_reason_if_locked(office_id=contact.client.office_id, days=[old_on, contact.on], reason=reason)
    contact._history_user = actor
    if reason.strip():
        contact._change_reason = reason.strip()
    contact.save()
    announce_contacts(contact.client, [old_on, contact.on])
    return contact


@transaction.atomic
def contact_log_withdraw(*, actor: User, contact: ContactLog, reason: str) -> ContactLog:
    """Withdraw a contact entered by mistake: always with a written reason. The record is kept (a legal
    record, RECORD_RETENTION_YEARS), shown as withdrawn and left out of the month's verdict."""
    _check_may_edit(actor, contact)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("取消の理由を入力してください。")})
    _check_reason_length(reason)
    if contact.withdrawn:
        raise ValidationError(_("この記録は既に取り消されています。"))
    contact.withdrawn_at = timezone.now()
    contact.withdrawn_by = actor
    contact.withdrawal_reason = reason.strip()
    contact._history_user = actor
    contact._change_reason = reason.strip()
    contact.save()
    announce_contacts(contact.client, [contact.on])
    return contact


# --- support reports ------------------------------------------------------------------------------

WORK_TOPICS = {Topic.WORKLOAD, Topic.RELATIONSHIPS, Topic.ACCOMMODATION, Topic.CAREER}
LIFE_TOPICS = {Topic.HEALTH, Topic.RHYTHM, Topic.MONEY}


def _draft_texts(contacts: list[ContactLog]) -> dict[str, str]:
    labels = dict(ContactKind.choices)

    def line(c):
        return f"{c.on:%-m/%-d} {labels.get(c.kind, c.kind)}: {c.narrative.strip()}"

    with_text = [c for c in contacts if c.narrative.strip()]
    work = [line(c) for c in with_text if WORK_TOPICS & set(c.topics)]
    life = [line(c) for c in with_text if LIFE_TOPICS & set(c.topics)]
    next_steps = [c.next_actions.strip() for c in contacts if c.next_actions.strip()]
    return {
        "work_situation": "\n".join(work),
        "life_situation": "\n".join(life),
        "support_given": "\n".join(line(c) for c in with_text),
        "next_steps": next_steps[-1] if next_steps else "",
    }


@transaction.atomic
def support_report_draft(*, actor: User, client: Client, month: date) -> SupportReport:
    """Create the month's report (or fill its empty texts) from the month's contact notes, in one step."""
    month = month_start(month)
    if month > timezone.localdate():
        raise ValidationError(_("未来の月の支援レポートは作成できません。"))
    if selectors.month_is_locked(client.office_id, month):
        raise ValidationError(
            _("締められた月の支援レポートは下書きできません。編集画面で変更の理由を添えて修正してください。")
        )
    report, _created = SupportReport.objects.select_for_update().get_or_create(
        client=client, month=month, withdrawn_at=None, defaults={"created_by": actor}
    )
    contacts = selectors.month_contacts(client, month)
    changed = False
    for name, text in _draft_texts(contacts).items():
        if text and not getattr(report, name).strip():
            setattr(report, name, text)
            changed = True
    if changed:
        report._history_user = actor
        report._change_reason = _("今月の支援記録から下書き")
        report.save()
    return report


REPORT_TEXT_FIELDS = ("work_situation", "life_situation", "issues", "support_given", "next_steps")


@transaction.atomic
def support_report_update(
    *, actor: User, report: SupportReport, reason: str = "", lock_version: int | None = None, **texts
) -> SupportReport:
    """Change the report's texts; once its month is locked, only with a written reason (kept in history)."""
    unknown = set(texts) - set(REPORT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _refuse_withdrawn_report(report)
    check_version(report, lock_version)
    stored = SupportReport.objects.filter(pk=report.pk).values(*REPORT_TEXT_FIELDS).get()
    changed = any(stored[name] != value for name, value in texts.items())
    if changed:
        _require_reason_if_locked(office_id=report.client.office_id, days=[report.month], reason=reason)
    for name, value in texts.items():
        setattr(report, name, value)
    report._history_user = actor
    if reason.strip():
        report._change_reason = reason.strip()
    report.save()
    if changed:
        announce(report.client, [report.month])
    return report


@transaction.atomic
def support_report_share(
    *,
    actor: User,
    report: SupportReport,
    shared_with_client_on: date | None,
    share_method: str,
    shared_with_employer_on: date | None = None,
    reason: str = "",
) -> SupportReport:
    """Record when and how the report was shared with the client and, where allowed, the employer.

    The employer may receive it only where the client works disclosed (オープン) and consented. Once the
    month is locked, a change of the sharing needs a written reason (kept in history).
    """
    _refuse_withdrawn_report(report)
    errors = {}
    today = timezone.localdate()
    if shared_with_client_on is None:
        errors["shared_with_client_on"] = [_("本人へ共有した日を入力してください。")]
    if share_method not in ShareMethod.values:
        errors["share_method"] = [_("共有方法を選んでください。")]
    for name, day in (
        ("shared_with_client_on", shared_with_client_on),
        ("shared_with_employer_on", shared_with_employer_on),
    ):
        if day is None:
            continue
        if day > today:
            errors.setdefault(name, []).append(_("未来の日付は入力できません。"))
        elif day < report.month:
            errors.setdefault(name, []).append(_("対象月より前の日付は入力できません。"))
    if shared_with_employer_on and "shared_with_employer_on" not in errors:
        if not selectors.employer_sharing_allowed(report.client, shared_with_employer_on):
            errors.setdefault("shared_with_employer_on", []).append(
                _(
                    "企業へは共有できません。障害を開示（オープン）して就労しており、"
                    "企業への共有に本人の同意がある場合のみ共有できます。"
                )
            )
    if errors:
        raise ValidationError(errors)
    sharing = (shared_with_client_on, shared_with_employer_on, share_method)
    if sharing != (report.shared_with_client_on, report.shared_with_employer_on, report.share_method):
        _require_reason_if_locked(office_id=report.client.office_id, days=[report.month], reason=reason)
    report.shared_with_client_on = shared_with_client_on
    report.shared_with_employer_on = shared_with_employer_on
    report.share_method = share_method
    report._history_user = actor
    if reason.strip():
        report._change_reason = reason.strip()
    report.save()
    announce(report.client, [report.month])
    return report


def _refuse_withdrawn_report(report: SupportReport) -> None:
    if SupportReport.objects.filter(pk=report.pk, withdrawn_at__isnull=False).exists():
        raise ValidationError(_("取り消された支援レポートは変更できません。"))


@transaction.atomic
def support_report_withdraw(*, actor: User, report: SupportReport, reason: str) -> SupportReport:
    """Withdraw a report entered by mistake (a manager): kept with the reason, shown as withdrawn, no
    longer counted for the month's verdict or claim; a new report of the month can then be written.
    A locked month's report is withdrawn like any change there: the reason is the one it needs."""
    membership = report.client.office.memberships.filter(user=actor).first()
    if not can(membership, REVIEW):
        raise PermissionDenied(_("支援レポートを取り消せるのはサービス管理責任者だけです。"))
    _check_reason_length(reason)
    report = SupportReport.objects.select_for_update().get(pk=report.pk)
    report.mark_withdrawn(actor=actor, reason=reason)
    report.save()
    announce(report.client, [report.month])
    return report


# --- month locks ----------------------------------------------------------------------------------


@transaction.atomic
def month_lock(*, actor: User, office: Office, month: date) -> MonthLock:
    """Lock an office-month after its billing export: later changes to its contacts and reports need a
    reason. Who locked and when are kept; a month unlocked before is locked again on the same row."""
    month = month_start(month)
    if month_end(month) >= timezone.localdate():
        raise ValidationError(_("まだ終わっていない月は締められません。"))
    lock, created = MonthLock.objects.select_for_update().get_or_create(
        office=office, month=month, defaults={"locked_by": actor}
    )
    if not created and not lock.is_locked:
        lock.locked_by, lock.locked_at = actor, timezone.now()
        lock.unlocked_at, lock.unlocked_by, lock.unlock_reason = None, None, ""
        lock._history_user = actor
        lock._change_reason = _("再締め")
        lock.save()
    return lock


@transaction.atomic
def month_unlock(*, actor: User, lock: MonthLock, reason: str) -> MonthLock:
    """Reopen a locked month: an admin of the office (or a superuser) only, always with a written reason;
    the lock row and its history stay."""
    if not (actor.is_superuser or lock.office.memberships.filter(user=actor, role__in=roles_with(CLAIM)).exists()):
        raise PermissionDenied(_("締めを解除できるのは管理者だけです。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("締めを解除する理由を入力してください。")})
    if not lock.is_locked:
        raise ValidationError(_("この月は締められていません。"))
    lock.unlocked_at, lock.unlocked_by, lock.unlock_reason = timezone.now(), actor, reason.strip()
    lock._history_user = actor
    lock._change_reason = reason.strip()
    lock.save()
    return lock
