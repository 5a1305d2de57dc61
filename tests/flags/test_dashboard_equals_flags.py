"""The dashboard and the deadline flags are two views of one engine: for the demo office and for random
offices on random days, the dashboard's items are exactly the open deadline flags (kind, client, due day,
severity, words and the record they point at)."""

import random
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from cases.models import Client, ClientStatus, Office
from flags import rules
from flags.models import Flag
from flags.services import flag_deadlines
from plans import selectors
from plans.models import Handover, PlanReview, PlanStatus, SupportPlan

from ..factories import (
    BenefitDecisionFactory,
    ClientFactory,
    EmploymentFactory,
    OfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def dashboard_items(office, today):
    return sorted(
        (row.client_id, kind, row.due_on, row.urgent, row.late, row.object_id)
        for kind, _label, rows in selectors.dashboard(office, today)
        for row in rows
    )


def open_deadline_flags(office):
    return sorted(
        (client_id, kind, period, severity == rules.URGENT, message, object_id)
        for client_id, kind, period, severity, message, object_id in Flag.objects.filter(
            office=office, kind__in=rules.DEADLINE_KINDS, resolved_at__isnull=True
        ).values_list("client_id", "kind", "period", "severity", "message", "object_id")
    )


def assert_same(office, today):
    flag_deadlines(office=office, today=today)
    items = dashboard_items(office, today)
    assert items == open_deadline_flags(office), today
    return items


def test_the_demo_office_on_its_day_and_on_random_days():
    today = date(2026, 11, 23)
    with time_machine.travel(today):
        call_command("seed_demo", stdout=StringIO())
    office = Office.objects.get()
    assert assert_same(office, today)  # the demo has deadlines to show
    rng = random.Random(13)
    for _ in range(8):
        assert_same(office, today + timedelta(days=rng.randint(-400, 400)))


def random_office(rng, today):
    office = OfficeFactory()
    user = UserFactory()
    for _ in range(12):
        client = ClientFactory(office=office)
        hired_on = today - timedelta(days=rng.randint(20, 1400))
        EmploymentFactory(client=client, hired_on=hired_on)
        client.refresh_from_db()
        window = client.window
        if window and rng.random() < 0.8:
            start = window.starts_on + timedelta(days=rng.choice([0, 0, 0, 20, -5]))
            while start <= window.ends_on and rng.random() < 0.85:
                ends = start + timedelta(days=rng.randint(150, 364))
                BenefitDecisionFactory(client=client, starts_on=start, ends_on=ends)
                start = ends + timedelta(days=rng.choice([1, 1, 1, 20]))
        if window:
            for version in range(1, rng.randint(1, 3) + 1):
                status = rng.choice(list(PlanStatus))
                if status == PlanStatus.DRAFT and version > 1:
                    status = PlanStatus.APPROVED  # one draft per client at most
                starts = window.starts_on + timedelta(days=rng.randint(-10, 500))
                dated = {
                    "approved_on": starts if status != PlanStatus.DRAFT else None,
                    "agreed_on": starts if status in (PlanStatus.AGREED, PlanStatus.DELIVERED) else None,
                    "delivered_on": starts + timedelta(days=3) if status == PlanStatus.DELIVERED else None,
                }
                plan = SupportPlan.objects.create(
                    client=client,
                    version=version,
                    status=status,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.randint(60, 365)),
                    drafted_by=user,
                    approved_by=user if status != PlanStatus.DRAFT else None,
                    **dated,
                )
                if rng.random() < 0.5:
                    PlanReview.objects.create(
                        plan=plan,
                        reviewed_on=starts + timedelta(days=rng.randint(20, 200)),
                        reviewer=user,
                        decision="keep",
                    )
            if rng.random() < 0.3:
                shared = window.ends_on - timedelta(days=rng.randint(30, 150))
                Handover.objects.create(
                    client=client,
                    receiver_name="なかぽつ",
                    receiver_kind="nakapotsu",
                    consent_on=shared - timedelta(days=5),
                    info_shared_on=shared,
                    recorded_by=user,
                )
        change = rng.random()
        if change < 0.1:
            Client.objects.filter(pk=client.pk).update(status=ClientStatus.HANDED_OVER)
        elif change < 0.15:
            Client.objects.filter(pk=client.pk).update(archived=True)
        elif change < 0.2:
            Client.objects.filter(pk=client.pk).update(status=ClientStatus.ENDED)
    return office


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_offices_on_random_days(seed):
    rng = random.Random(seed)
    today = date(2026, 6, 15)
    offices = [random_office(rng, today) for _ in range(2)]
    seen = 0
    for office in offices:
        for _ in range(10):
            seen += len(assert_same(office, today + timedelta(days=rng.randint(-500, 500))))
    assert seen  # the draws do reach deadlines
    # The two offices never see each other's clients.
    for office in offices:
        assert {client_id for client_id, *_ in dashboard_items(office, today)} <= set(
            Client.objects.filter(office=office).values_list("pk", flat=True)
        )


def test_handover_day_by_day_with_time_frozen(office):
    """Window ends 2027-09-30: sharing due by 2027-06-30. The job and the dashboard, run on each frozen
    day around the thresholds, agree and move from nothing to a warning, to urgent, to the reduction."""
    from django.utils import timezone

    from plans.deadlines import DeadlineKind

    from ..factories import client_in_service

    client = client_in_service(office=office, hired_on=date(2024, 3, 31))
    assert client.window_ends_on == date(2027, 9, 30)
    expected = {
        date(2027, 4, 30): None,  # 61 days before the sharing deadline
        date(2027, 5, 1): "warning",  # 60 days before
        date(2027, 6, 15): "warning",
        date(2027, 6, 16): "urgent",  # 14 days before
        date(2027, 6, 30): "urgent",  # the deadline
        date(2027, 7, 1): "urgent",  # the reduction from the next day, not a mere warning
        date(2027, 9, 30): "urgent",  # standing to the end of the window
    }
    for day, severity in expected.items():
        with time_machine.travel(day, tick=False):
            flag_deadlines(office=office)
            today = timezone.localdate()
            assert dashboard_items(office, today) == open_deadline_flags(office), day
        flag = Flag.objects.filter(client=client, kind=DeadlineKind.HANDOVER_SHARING, resolved_at__isnull=True)
        assert [f.severity for f in flag] == ([severity] if severity else []), day
        if day >= date(2027, 7, 1):
            assert flag.get().message.startswith("減算の対象"), day
