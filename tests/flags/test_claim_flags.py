"""Claim deadline flags: from the 1st a client-month not in written files is flagged (urgent from the 8th);
after the 10th, or once returned, it is flagged until a 月遅れ batch carries it."""

from datetime import date

import pytest
import time_machine

from claims import services
from claims.models import OfficeInterfaceSetting
from flags import rules
from flags.models import Flag
from flags.services import flag_claims
from tests.claims.factories import SEPT, billable_client, ready_office

F = rules.ClaimFacts
OCT = date(2025, 10, 1)


@pytest.mark.parametrize(
    "today, facts, expected",
    [
        (date(2025, 9, 30), F(), []),  # the month is not over
        (date(2025, 10, 1), F(), [(rules.CLAIM_NOT_SENT, rules.WARNING)]),
        (date(2025, 10, 7), F(), [(rules.CLAIM_NOT_SENT, rules.WARNING)]),
        (date(2025, 10, 8), F(), [(rules.CLAIM_NOT_SENT, rules.URGENT)]),
        (date(2025, 10, 10), F(finalized=True), [(rules.CLAIM_NOT_SENT, rules.URGENT)]),  # no file yet
        (date(2025, 10, 9), F(finalized=True, written_on=date(2025, 10, 9)), []),
        (date(2025, 10, 11), F(finalized=True, written_on=date(2025, 10, 10)), []),  # sent on time
        (date(2025, 10, 11), F(), [(rules.CLAIM_LATE, rules.URGENT)]),
        (
            date(2025, 10, 12),
            F(finalized=True, written_on=date(2025, 10, 12)),
            [(rules.CLAIM_LATE, rules.URGENT)],
        ),
        (date(2026, 3, 1), F(), [(rules.CLAIM_LATE, rules.URGENT)]),  # stays until a late claim
        (date(2025, 10, 11), F(in_late_batch=True), []),
        (
            date(2025, 10, 5),
            F(returned=True, written_on=date(2025, 10, 3)),
            [(rules.CLAIM_LATE, rules.URGENT)],
        ),
        (date(2025, 11, 5), F(in_late_batch=True, finalized=True), []),
    ],
)
def test_claim_flag_rule(today, facts, expected):
    got = rules.claim_flags(SEPT, today, facts)
    assert [(d.kind, d.severity) for d in got] == expected
    assert all(d.period == SEPT for d in got)


def test_the_deadline_is_the_tenth_of_the_next_month():
    assert rules.claim_deadline(date(2025, 12, 1)) == date(2026, 1, 10)


def _open(kind=None):
    flags = Flag.objects.open()
    return flags.filter(kind=kind) if kind else flags.filter(kind__in=rules.CLAIM_KINDS)


@pytest.mark.django_db
def test_claim_flags_follow_the_batch(office, staff, manager, admin_user):
    with time_machine.travel(date(2025, 10, 3), tick=False):
        ready_office(office, admin_user)
        OfficeInterfaceSetting.objects.create(office=office, form_type_number="0101")
        client = billable_client(office, staff, manager, service_started_on=date(2025, 7, 7))
        flag_claims(office=office)
        (flag,) = _open()
        assert (flag.client, flag.kind, flag.period, flag.severity) == (
            client,
            "claim_not_sent",
            SEPT,
            "warning",
        )
    with time_machine.travel(date(2025, 10, 8), tick=False):
        flag_claims(office=office)
        assert _open().get().severity == "urgent"
        batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
        services.claim_batch_check(actor=admin_user, batch=batch)
        services.claim_batch_finalize(actor=admin_user, batch=batch)
        assert "確定済み" in _open().get().message  # the files are still to be written
        services.claim_batch_write_files(actor=admin_user, batch=batch)  # the services refresh the flags
        assert not _open().exists()
    with time_machine.travel(date(2025, 10, 20), tick=False):
        services.claim_item_return(actor=admin_user, item=batch.items.get(), reason="返戻")
        (late,) = _open()
        assert late.kind == "claim_late" and "返戻" in late.message
        services.claim_batch_create_late(actor=admin_user, office=office, month=SEPT, clients=[client])
        assert not _open().exists()


@pytest.mark.django_db
def test_after_the_tenth_a_missed_month_stays_flagged_until_a_late_batch(office, staff, manager, admin_user):
    with time_machine.travel(date(2025, 10, 3), tick=False):
        ready_office(office, admin_user)
        OfficeInterfaceSetting.objects.create(office=office, form_type_number="0101")
        billable_client(office, staff, manager, service_started_on=date(2025, 7, 7))  # claimed on time
        second = billable_client(office, staff, manager, service_started_on=date(2025, 7, 7))
        batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
        services.claim_batch_exclude(actor=admin_user, batch=batch, client=second)
        services.claim_batch_check(actor=admin_user, batch=batch)
        services.claim_batch_finalize(actor=admin_user, batch=batch)
        services.claim_batch_write_files(actor=admin_user, batch=batch)
        assert list(_open().values_list("client", flat=True)) == [second.pk]
    with time_machine.travel(date(2025, 11, 4), tick=False):
        # in November: September is an earlier month (the office claims through teichaku since then)
        flag_claims(office=office)
        # (October has no contact: not billable, so nothing to claim for it)
        assert list(_open().values_list("client", "kind", "period")) == [(second.pk, "claim_late", SEPT)]
        services.claim_batch_create_late(actor=admin_user, office=office, month=SEPT, clients=[second])
        assert not _open().exists()
