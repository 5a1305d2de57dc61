"""Writes of meetings: the organisation directory, meetings with attendees, follow-ups, the tier."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Client, Membership, Office, Role
from plans.models import SupportPlan

from .models import (
    Attendee,
    FollowUp,
    Meeting,
    OfficeDesignation,
    OfficeTierConfirmation,
    Organisation,
    Presenter,
    RetentionTier,
    StillEmployed,
)

MEETING_FIELDS = (
    "kind",
    "held_on",
    "online",
    "place",
    "presenter_role",
    "presenter",
    "reported_to_manager_on",
    "discussed",
    "decided",
    "plan_changes",
    "new_plan",
)


@transaction.atomic
def organisation_create(
    *, actor, office: Office, name: str, kind: str, phone: str = "", note: str = ""
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("機関名を入力してください。")})
    if Organisation.objects.filter(office=office, name=name).exists():
        raise ValidationError({"name": _("この名前の関係機関は既に登録されています。")})
    return Organisation.objects.create(office=office, name=name, kind=kind, phone=phone, note=note)


def _organisation_for(office: Office, attendee: dict) -> Organisation | None:
    """The attendee's organisation: chosen from the directory, or added to it by name."""
    organisation = attendee.get("organisation")
    if organisation is not None:
        if organisation.office_id != office.pk:
            raise ValidationError(_("ほかの事業所の関係機関は選べません。"))
        return organisation
    name = (attendee.get("new_organisation_name") or "").strip()
    if not name:
        return None
    kind = attendee.get("new_organisation_kind")
    if not kind:
        raise ValidationError(_("新しい関係機関「%(n)s」の種別を選んでください。") % {"n": name})
    existing = Organisation.objects.filter(office=office, name=name).first()
    return existing or Organisation.objects.create(office=office, name=name, kind=kind)


def _validate(client: Client, data: dict) -> None:
    errors = {}
    today = timezone.localdate()
    held_on = data.get("held_on")
    if held_on is None:
        errors["held_on"] = _("開催日を入力してください。")
    elif held_on > today:
        errors["held_on"] = _("開催日に未来の日付は入力できません。")
    reported = data.get("reported_to_manager_on")
    if data.get("presenter_role") == Presenter.MANAGER and reported:
        errors["reported_to_manager_on"] = _("サービス管理責任者が説明した会議には報告日は不要です。")
    elif reported and held_on and reported < held_on:
        errors["reported_to_manager_on"] = _("サービス管理責任者への報告日は開催日以降の日付にしてください。")
    elif reported and reported > today:
        errors["reported_to_manager_on"] = _("報告日に未来の日付は入力できません。")
    presenter = data.get("presenter")
    if presenter is not None:
        role = (
            Membership.objects.filter(user=presenter, office_id=client.office_id)
            .values_list("role", flat=True)
            .first()
        )
        if role is None:
            errors["presenter"] = _("この事業所の職員を選んでください。")
        elif data.get("presenter_role") == Presenter.MANAGER and role != Role.MANAGER:
            errors["presenter"] = _("サービス管理責任者として登録されている職員を選んでください。")
    plan = data.get("new_plan")
    if plan is not None and plan.client_id != client.pk:
        errors["new_plan"] = _("この利用者の計画を選んでください。")
    if plan is not None and not data.get("plan_changes"):
        errors["new_plan"] = _("計画を変更する場合にチェックを入れてください。")
    if errors:
        raise ValidationError(errors)


def _write_attendees(meeting: Meeting, attendees: list[dict]) -> None:
    rows = [a for a in attendees if (a.get("name") or "").strip()]
    if not rows:
        raise ValidationError(_("出席者を1人以上入力してください。"))
    office = meeting.client.office
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create(
        [
            Attendee(
                meeting=meeting,
                name=a["name"].strip(),
                organisation=_organisation_for(office, a),
                role=(a.get("role") or "").strip(),
            )
            for a in rows
        ]
    )


@transaction.atomic
def meeting_create(*, actor, client: Client, attendees: list[dict], **data) -> Meeting:
    """Record a case meeting with its attendees. Whether it counts for the add-on is decided when read
    (meetings.rules.addon_verdicts), so a meeting beyond the limits is recorded all the same."""
    if client.archived:
        raise ValidationError(_("アーカイブ済みの利用者には記録できません。"))
    data = {k: data.get(k) for k in MEETING_FIELDS if k in data}
    _validate(client, data)
    meeting = Meeting.objects.create(client=client, recorded_by=actor, **data)
    _write_attendees(meeting, attendees)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, attendees: list[dict], **data) -> Meeting:
    data = {k: data.get(k) for k in MEETING_FIELDS if k in data}
    _validate(meeting.client, data)
    for key, value in data.items():
        setattr(meeting, key, value)
    meeting.save()
    _write_attendees(meeting, attendees)
    return meeting


def latest_plans(client: Client):
    return SupportPlan.objects.filter(client=client).order_by("-version")


# --- follow-up ---


@transaction.atomic
def follow_up_record(
    *,
    actor,
    client: Client,
    year_end: date,
    still_employed: str,
    learned_on: date,
    learned_by: str = "",
    left_on: date | None = None,
    note: str = "",
    allowed_year_ends=None,
) -> FollowUp:
    """Record (or correct) what was learned about a former client's employment at a fiscal-year end."""
    errors = {}
    today = timezone.localdate()
    if year_end is None or (year_end.month, year_end.day) != (3, 31):
        errors["year_end"] = _("年度末日（3月31日）を指定してください。")
    elif allowed_year_ends is not None and year_end not in allowed_year_ends:
        errors["year_end"] = _("この利用者の確認対象の年度末ではありません。")
    if learned_on is None:
        errors["learned_on"] = _("確認日を入力してください。")
    elif learned_on > today:
        errors["learned_on"] = _("確認日に未来の日付は入力できません。")
    if still_employed != StillEmployed.UNKNOWN and not learned_by:
        errors["learned_by"] = _("確認方法を選んでください。")
    if left_on is not None and still_employed != StillEmployed.NO:
        errors["left_on"] = _("離職日は「雇用先を離職」の場合に入力してください。")
    elif left_on is not None and year_end and left_on > year_end:
        errors["left_on"] = _("離職日は年度末日以前の日付にしてください。")
    if errors:
        raise ValidationError(errors)
    record, _created = FollowUp.objects.update_or_create(
        client=client,
        year_end=year_end,
        defaults={
            "still_employed": still_employed,
            "learned_on": learned_on,
            "learned_by": learned_by,
            "left_on": left_on,
            "note": note,
            "recorded_by": actor,
        },
    )
    return record


# --- the office's tier and designation ---


@transaction.atomic
def tier_confirm(
    *, actor, office: Office, fiscal_year: int, tier: str, rate=None, note: str = ""
) -> OfficeTierConfirmation:
    """The office confirms the 就労定着率 tier it notified for a fiscal year (who and when are kept; a
    correction overwrites it, its earlier value stays in the history)."""
    if tier not in RetentionTier.values:
        raise ValidationError({"tier": _("区分を選んでください。")})
    if not 2000 <= int(fiscal_year) <= 2100:
        raise ValidationError({"fiscal_year": _("年度が正しくありません。")})
    try:
        with transaction.atomic():
            row, _created = OfficeTierConfirmation.objects.update_or_create(
                office=office,
                fiscal_year=fiscal_year,
                defaults={
                    "tier": tier,
                    "rate": rate,
                    "note": note,
                    "confirmed_by": actor,
                    "confirmed_at": timezone.now(),
                },
            )
    except IntegrityError as error:  # two confirmations at the same moment
        raise ValidationError(_("この年度の区分は既に確定しています。")) from error
    return row


@transaction.atomic
def designation_set(*, actor, office: Office, designated_on: date) -> OfficeDesignation:
    if designated_on is None or designated_on > timezone.localdate():
        raise ValidationError({"designated_on": _("指定日を正しく入力してください。")})
    row, _created = OfficeDesignation.objects.update_or_create(
        office=office, defaults={"designated_on": designated_on}
    )
    return row
