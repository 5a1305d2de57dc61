"""The daily digest mail (once per user, office and day) and the run_flags command."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from flags.digest import send_office_digest
from flags.models import DigestSent, Flag

from ..factories import ClientFactory, FlagFactory, MembershipFactory, client_in_service

pytestmark = pytest.mark.django_db


def test_digest_mails_each_member_their_open_flags_once_a_day(office, other_office):
    alice = MembershipFactory(office=office, user__email="alice@example.jp").user
    bob = MembershipFactory(office=office, user__email="bob@example.jp").user
    MembershipFactory(office=office, user__email="idle@example.jp")  # no flags: no mail
    FlagFactory(client=ClientFactory(office=office, primary_staff=alice), message="アリスの利用者の件")
    FlagFactory(
        client=ClientFactory(office=office, primary_staff=alice), kind="review_due", message="期限間近"
    )
    FlagFactory(client=ClientFactory(office=office, primary_staff=bob), message="ボブの件")
    FlagFactory(
        client=ClientFactory(office=office, primary_staff=bob), message="済んだ件", resolved_at=timezone.now()
    )

    assert send_office_digest(office=office, day=date(2025, 9, 25)) == 2
    assert send_office_digest(office=office, day=date(2025, 9, 25)) == 0  # not repeated

    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"alice@example.jp", "bob@example.jp"}
    assert (
        "アリスの利用者の件" in by_to["alice@example.jp"].body
        and "期限間近" in by_to["alice@example.jp"].body
    )
    assert "ボブの件" not in by_to["alice@example.jp"].body
    assert "済んだ件" not in by_to["bob@example.jp"].body
    assert "2件" in by_to["alice@example.jp"].subject
    assert DigestSent.objects.get(user=alice, day=date(2025, 9, 25)).flag_count == 2

    assert send_office_digest(office=office, day=date(2025, 9, 26)) == 2  # the next day again


def test_run_flags_prints_what_it_created_and_resolved(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    out = StringIO()
    call_command("run_flags", office=office.provider_number, month="2025-09", today="2025-09-25", stdout=out)
    text = out.getvalue()
    assert "months 2025-09: created 4" in text
    assert f"created no_contact_yet 2025-09-01 client={client.pk}" in text
    assert "deadlines 2025-09-25:" in text
    assert "claims 2025-09-25: created 0" in text  # August had nothing billable

    out = StringIO()
    call_command("run_flags", "--office", office.provider_number, "--today", "2025-10-01", stdout=out)
    text = out.getvalue()
    assert "months 2025-09:" in text and "months 2025-10:" in text
    assert f"resolved no_contact_yet 2025-09-01 client={client.pk}" in text
    assert Flag.objects.filter(client=client, kind="month_not_billable", resolved_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "9999999999"], "事業所番号 '9999999999' の事業所はありません"),
        (["--month", "2025-13"], "--month は YYYY-MM の形式"),
        (["--today", "25/09/2025"], "--today は YYYY-MM-DD の形式"),
    ],
)
def test_run_flags_rejects_bad_input(office, args, message):
    if "--office" not in args:
        args = ["--office", office.provider_number, *args]
    with pytest.raises(CommandError, match=message):
        call_command("run_flags", *args)
