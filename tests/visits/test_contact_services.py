"""visits.services: writing contacts — 対面 from the kind, date and archive checks, edit rights, locks."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Client, Role
from visits import services
from visits.models import ContactLog

from ..factories import (
    ContactLogFactory,
    MembershipFactory,
    MonthLockFactory,
    SupportReportFactory,
    client_in_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.mark.parametrize(
    "kind, ticked, expected",
    [
        ("interview", False, True),
        ("workplace_visit", False, True),
        ("employer_visit", True, False),
        ("phone", True, False),
        ("email", True, False),
        ("family", True, False),
        ("medical", True, False),
        ("online", True, False),
        ("case_meeting", True, True),  # the client attended the meeting in person
        ("case_meeting", False, False),
    ],
)
def test_face_to_face_follows_the_kind(office, staff, kind, ticked, expected):
    client = client_in_service(office=office)
    contact = services.contact_log_create(
        actor=staff, client=client, on=date(2025, 9, 3), kind=kind, face_to_face=ticked
    )
    assert contact.face_to_face is expected


@pytest.mark.parametrize(
    "on, message",
    [
        (date(2025, 9, 21), "未来の日付"),
        (date(2025, 1, 5), "最初の雇用開始日"),
    ],
)
def test_bad_dates_are_refused_in_japanese(office, staff, on, message):
    client = client_in_service(office=office)  # hired 2025-01-06
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(actor=staff, client=client, on=on, kind="interview")
    assert message in str(error.value.message_dict["on"])
    assert not ContactLog.objects.exists()


def test_first_hire_day_and_today_are_allowed(office, staff):
    client = client_in_service(office=office)
    services.contact_log_create(actor=staff, client=client, on=date(2025, 1, 6), kind="phone")
    services.contact_log_create(actor=staff, client=client, on=date(2025, 9, 20), kind="interview")
    assert ContactLog.objects.count() == 2


def test_archived_client_is_refused(office, staff):
    client = client_in_service(office=office, archived=True)
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(actor=staff, client=client, on=date(2025, 9, 3), kind="interview")
    assert "アーカイブ" in str(error.value.message_dict["client"])
    assert not ContactLog.objects.exists()


def test_staff_edit_only_their_own_contacts_managers_any(office, staff, manager):
    client = client_in_service(office=office)
    colleague = MembershipFactory(office=office, role=Role.STAFF).user
    theirs = ContactLogFactory(client=client, staff=colleague)
    with pytest.raises(PermissionDenied):
        services.contact_log_update(actor=staff, contact=theirs, narrative="書き換え")
    services.contact_log_update(actor=manager, contact=theirs, narrative="追記")
    theirs.refresh_from_db()
    assert theirs.narrative == "追記"

    mine = ContactLogFactory(client=client, staff=staff)
    services.contact_log_update(actor=staff, contact=mine, kind="phone")
    mine.refresh_from_db()
    assert mine.kind == "phone" and mine.face_to_face is False
    assert mine.history.count() == 2  # creation and the edit are both kept


def test_locked_month_needs_a_reason_which_is_kept(office, staff, admin_user):
    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 20))
    MonthLockFactory(office=office, month=date(2025, 8, 1), locked_by=admin_user)

    with pytest.raises(ValidationError) as error:
        services.contact_log_update(actor=staff, contact=contact, narrative="後から修正")
    assert "reason" in error.value.message_dict
    contact.refresh_from_db()
    assert contact.narrative == "面談を実施。"

    services.contact_log_update(actor=staff, contact=contact, narrative="後から修正", reason="誤記の訂正")
    latest = contact.history.first()
    assert latest.narrative == "後から修正"
    assert latest.history_change_reason == "誤記の訂正"
    assert latest.history_user == staff


def test_moving_a_contact_out_of_a_locked_month_also_needs_a_reason(office, staff, admin_user):
    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 20))
    MonthLockFactory(office=office, month=date(2025, 8, 1), locked_by=admin_user)
    with pytest.raises(ValidationError):
        services.contact_log_update(actor=staff, contact=contact, on=date(2025, 9, 2))


def test_unlocked_month_edits_need_no_reason(office, staff):
    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 20))
    services.contact_log_update(actor=staff, contact=contact, narrative="修正")
    assert contact.history.first().history_change_reason is None


def test_withdrawal_always_needs_a_reason_and_keeps_the_record(office, staff):
    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, staff=staff)
    pk = contact.pk
    with pytest.raises(ValidationError):
        services.contact_log_withdraw(actor=staff, contact=contact, reason="  ")
    assert not ContactLog.objects.get(pk=pk).withdrawn

    services.contact_log_withdraw(actor=staff, contact=contact, reason="別の利用者の記録だった")
    kept = ContactLog.objects.get(pk=pk)
    assert kept.withdrawn and kept.withdrawn_by == staff and kept.narrative == "面談を実施。"
    assert kept.withdrawal_reason == "別の利用者の記録だった"
    assert ContactLog.history.filter(id=pk).first().history_change_reason == "別の利用者の記録だった"
    with pytest.raises(ValidationError):  # a withdrawn record is not edited any more
        services.contact_log_update(actor=staff, contact=kept, narrative="書き換え")


def test_a_withdrawn_contact_leaves_the_verdict(office, staff):
    from visits.facts import month_verdicts
    from visits.grid import month_rows

    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 20))
    SupportReportFactory(client=client, month=date(2025, 8, 1), shared_with_client_on=date(2025, 8, 29))
    assert month_rows(office.pk, date(2025, 8, 1))[0].verdict.billable
    services.contact_log_withdraw(actor=staff, contact=contact, reason="別の利用者の記録だった")
    [row] = month_rows(office.pk, date(2025, 8, 1))
    assert "no_face_to_face" in row.verdict.reasons
    assert month_verdicts(Client.objects.filter(pk=client.pk), date(2025, 8, 1))[client.pk] == row.verdict
