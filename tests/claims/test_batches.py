"""The monthly claim batch: regular, 月遅れ and correction end to end, one live claim per client-month,
a finalized batch that cannot change, and the files read back by the validator."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.interface import validate_claim_files
from claims.interface.validator import validate_claim_file
from claims.models import ClaimBatch, ClaimItem, OfficeInterfaceSetting
from visits.models import MonthLock

from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
AUG = date(2025, 8, 1)


def claim_ready(office, admin_user, staff, manager, n=2, month=SEPT):
    ready_office(office, admin_user)
    OfficeInterfaceSetting.objects.create(office=office, form_type_number="0101")
    return [
        billable_client(office, staff, manager, month=month, service_started_on=date(2025, 7, 7))
        for _ in range(n)
    ]


def finalize_and_write(batch, actor):
    assert services.claim_batch_check(actor=actor, batch=batch) == []
    services.claim_batch_finalize(actor=actor, batch=batch)
    return services.claim_batch_write_files(actor=actor, batch=batch)


def test_a_regular_claim_from_draft_to_files(office, staff, manager, admin_user):
    clients = claim_ready(office, admin_user, staff, manager)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    assert batch.state == ClaimBatch.State.DRAFT
    assert batch.processing_month == date(2025, 10, 1)
    assert {i.client_id for i in batch.items.all()} == {c.pk for c in clients}
    files = finalize_and_write(batch, admin_user)
    batch.refresh_from_db()
    assert batch.state == ClaimBatch.State.WRITTEN
    assert batch.finalized_by == admin_user and batch.finalized_at is not None
    assert MonthLock.objects.filter(office=office, month=SEPT).exists()
    assert sorted(f.name for f in files) == ["JISSEKI.CSV", "MEISAI.CSV", "SEIKYU.CSV"]
    # the kept content is what was written: hash, size, and the validator reads it back clean
    for f in files:
        content = bytes(f.content)
        assert f.size == len(content)
        assert validate_claim_file(content, name=f.name) == []
    assert validate_claim_files([(f.name, bytes(f.content)) for f in files]) == []
    meisai = next(bytes(f.content) for f in files if f.name == "MEISAI.CSV").decode("cp932")
    assert clients[0].recipient_number in meisai and "20250707" in meisai
    # the state changes are in the history
    states = [h.state for h in batch.history.order_by("history_date")]
    assert states[0] == "draft" and states[-1] == "written" and "finalized" in states


def test_the_error_list_names_what_to_set(office, staff, manager, admin_user):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)  # no 利用開始日, and the office set no 様式種別番号
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    errors = services.claim_batch_check(actor=admin_user, batch=batch)
    words = " ".join(e.message for e in errors)
    assert "利用開始日" in words and "様式種別番号" in words
    assert all(e.url for e in errors)
    batch.refresh_from_db()
    assert batch.state == ClaimBatch.State.DRAFT
    with pytest.raises(ValidationError):
        services.claim_batch_finalize(actor=admin_user, batch=batch)
    assert not MonthLock.objects.filter(office=office, month=SEPT).exists()


def test_a_finalized_batch_cannot_change(office, staff, manager, admin_user):
    claim_ready(office, admin_user, staff, manager, n=1)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    services.claim_batch_check(actor=admin_user, batch=batch)
    services.claim_batch_finalize(actor=admin_user, batch=batch)
    for change in (services.claim_batch_check, services.claim_batch_finalize, services.claim_batch_discard):
        with pytest.raises(ValidationError, match="確定した請求は変更できません"):
            change(actor=admin_user, batch=batch)
    assert ClaimBatch.objects.filter(pk=batch.pk, state="finalized").exists()


def test_a_late_claim_carries_a_missed_client_month(office, staff, manager, admin_user):
    (first,) = claim_ready(office, admin_user, staff, manager, n=1)
    regular = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    services.claim_batch_exclude(actor=admin_user, batch=regular, client=first)
    late_client = first
    late = services.claim_batch_create_late(
        actor=admin_user, office=office, month=SEPT, clients=[late_client]
    )
    assert late.kind == ClaimBatch.Kind.LATE and late.processing_month == date(2025, 10, 1)
    files = finalize_and_write(late, admin_user)
    assert validate_claim_files([(f.name, bytes(f.content)) for f in files]) == []
    # taken back into the regular draft, the client is not claimed twice: it is live in the late claim
    services.claim_batch_exclude(actor=admin_user, batch=regular, client=first, excluded=False)
    assert not regular.items.exists()


def test_a_returned_client_month_goes_to_a_late_claim(office, staff, manager, admin_user):
    (client,) = claim_ready(office, admin_user, staff, manager, n=1)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    finalize_and_write(batch, admin_user)
    with pytest.raises(ValidationError, match="過誤再請求"):
        services.claim_batch_create_late(actor=admin_user, office=office, month=SEPT, clients=[client])
    item = batch.items.get()
    services.claim_item_return(actor=admin_user, item=item, reason="受給者証番号の誤り")
    late = services.claim_batch_create_late(actor=admin_user, office=office, month=SEPT, clients=[client])
    finalize_and_write(late, admin_user)
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.RETURNED and not item.live
    assert ClaimItem.objects.get(client=client, service_month=SEPT, live=True).batch == late


def test_a_correction_cancels_the_earlier_claim_when_finalized(office, staff, manager, admin_user):
    (client,) = claim_ready(office, admin_user, staff, manager, n=1)
    regular = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    finalize_and_write(regular, admin_user)
    with pytest.raises(ValidationError, match="月遅れ"):
        services.claim_batch_create_late(
            actor=admin_user, office=office, month=AUG, clients=[client], kind=ClaimBatch.Kind.CORRECTION
        )
    correction = services.claim_batch_create_late(
        actor=admin_user, office=office, month=SEPT, clients=[client], kind=ClaimBatch.Kind.CORRECTION
    )
    old = regular.items.get()
    assert ClaimItem.objects.get(client=client, service_month=SEPT, live=True) == old  # until finalized
    with pytest.raises(ValidationError, match="作成中の過誤再請求"):
        services.claim_batch_create_late(
            actor=admin_user, office=office, month=SEPT, clients=[client], kind=ClaimBatch.Kind.CORRECTION
        )
    files = finalize_and_write(correction, admin_user)
    assert validate_claim_files([(f.name, bytes(f.content)) for f in files]) == []
    old.refresh_from_db()
    assert old.status == ClaimItem.Status.CANCELLED and not old.live
    new = correction.items.get()
    assert new.live and new.replaces == old


def test_a_client_month_cannot_be_claimed_twice(office, staff, manager, admin_user):
    (client,) = claim_ready(office, admin_user, staff, manager, n=1)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    assert services.claim_batch_create(actor=admin_user, office=office, month=SEPT) == batch
    with pytest.raises(ValidationError, match="過誤再請求"):
        services.claim_batch_create_late(actor=admin_user, office=office, month=SEPT, clients=[client])
    other = ClaimBatch.objects.create(
        office=office,
        kind="late",
        service_month=SEPT,
        processing_month=date(2025, 11, 1),
        created_by=admin_user,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimItem.objects.create(batch=other, client=client, service_month=SEPT)


def test_a_month_not_over_cannot_be_claimed(office, admin_user):
    with pytest.raises(ValidationError, match="まだ終わっていない月"):
        services.claim_batch_create(actor=admin_user, office=office, month=date(2025, 10, 1))


def test_files_changed_after_finalizing_are_refused(office, staff, manager, admin_user):
    (client,) = claim_ready(office, admin_user, staff, manager, n=1)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    services.claim_batch_check(actor=admin_user, batch=batch)
    services.claim_batch_finalize(actor=admin_user, batch=batch)
    client.claim_profile.service_started_on = date(2025, 7, 8)
    client.claim_profile.save()
    with pytest.raises(ValidationError, match="確定した後に請求の内容が変わりました"):
        services.claim_batch_write_files(actor=admin_user, batch=batch)


def test_a_claim_finalized_after_the_tenth_is_sent_next_month(office, staff, manager, admin_user):
    claim_ready(office, admin_user, staff, manager, n=1)
    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    with time_machine.travel(date(2025, 10, 14), tick=False):
        services.claim_batch_check(actor=admin_user, batch=batch)
        services.claim_batch_finalize(actor=admin_user, batch=batch)
        files = services.claim_batch_write_files(actor=admin_user, batch=batch)
    batch.refresh_from_db()
    assert batch.processing_month == date(2025, 11, 1)
    # the control record's 処理対象年月 (item 10) is the month it is sent
    first_line = bytes(files[0].content).split(b"\r\n")[0].decode("cp932").split(",")
    assert first_line[9] == "202511"
