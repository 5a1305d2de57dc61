"""Every office's claim at once agrees with each office's claim, in a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Office
from claims.models import CapManagementResult, ClientClaimProfile, OfficeReduction
from claims.selectors import all_office_totals, office_claim
from plans.services import plan_withdraw

from ..factories import MembershipFactory, OfficeFactory, client_in_service
from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def withdraw_plans(client, manager):
    """Plans are retained records: they are withdrawn, never deleted, and then count as no plan."""
    for plan in client.plans.all():
        plan_withdraw(actor=manager, plan=plan, reason="テストのため取消")


def build(n_offices: int, per_office: int):
    offices = []
    for index in range(n_offices):
        office = OfficeFactory()
        staff = MembershipFactory(office=office, role="staff").user
        manager = MembershipFactory(office=office, role="manager").user
        if index % 3 != 2:  # every third office has no settings: its claim stops
            ready_office(office, manager, codes=False)
        if index % 2:
            OfficeReduction.objects.create(
                office=office, code="handover_system", starts_month=date(2025, 1, 1)
            )
        for n in range(per_office):
            client = billable_client(office, staff, manager, special_area=n % 2 == 0)
            if n == 1:
                withdraw_plans(client, manager)  # no agreed plan: the reduction's third-month step
            if n == 2:  # another office manages the cap: its result (3) sets the burden; one office lacks it
                ClientClaimProfile.objects.filter(client=client).update(
                    cap_management="other_office", cap_manager_provider_number="1399999999"
                )
                if index != 1:
                    CapManagementResult.objects.create(client=client, month=SEPT, result=3, amount=500)
        client_in_service(office=office)  # not billable
        ClientClaimProfile.objects.create(
            client=client_in_service(office=office), municipality_number="131041"
        )
        offices.append(office)
    return offices


def test_totals_agree_with_each_office_claim():
    offices = build(4, 3)
    everyone = all_office_totals(SEPT, Office.objects.filter(pk__in=[o.pk for o in offices]))
    for office in offices:
        claim = office_claim(office, SEPT)
        mine = everyone[office.pk]
        assert mine.totals == claim.totals, office
        assert mine.stops == len(claim.stops)
        assert mine.not_billable == len(claim.not_billable)
    assert sum(t.totals.count for t in everyone.values()) > 0


def test_queries_do_not_grow_with_offices():
    def count(offices):
        with CaptureQueriesContext(connection) as queries:
            all_office_totals(SEPT, Office.objects.filter(pk__in=[o.pk for o in offices]))
        return len(queries.captured_queries)

    small = count(build(1, 1))
    large = count(build(5, 3))
    # the months before (the no-plan reduction's steps) are read by the same query as the month
    assert large == small, (small, large)


def test_the_pages_claim_without_days_agrees_with_the_full_claim():
    """office_claim(with_days=False) (the claim page: verdicts from the month facts, claim details as
    values) gives each client the same verdict, lines, amounts and stops as the full claim."""
    offices = build(4, 3)
    for office in offices:
        full, page = office_claim(office, SEPT), office_claim(office, SEPT, with_days=False)
        assert [r.client.pk for r in page.rows] == [r.client.pk for r in full.rows]
        for mine, theirs in zip(page.rows, full.rows, strict=True):
            assert mine.client.full_name == theirs.client.full_name
            assert mine.client.recipient_number == theirs.client.recipient_number
            assert mine.month.verdict.billable == theirs.month.verdict.billable
            assert mine.month.verdict.reasons == theirs.month.verdict.reasons
            assert (mine.lines, mine.amounts, mine.reductions, mine.warnings) == (
                theirs.lines,
                theirs.amounts,
                theirs.reductions,
                theirs.warnings,
            )
            assert mine.special_area == theirs.special_area
        assert [(s.message, s.url, s.client and s.client.pk) for s in page.stops] == [
            (s.message, s.url, s.client and s.client.pk) for s in full.stops
        ]
        assert (page.totals, page.region, page.unit_price, page.tier) == (
            full.totals,
            full.region,
            full.unit_price,
            full.tier,
        )
    assert any(r.billable for r in page.rows) and any(not r.billable for r in page.rows)


def test_the_files_and_sheets_refuse_a_claim_without_days():
    from claims.claim_files import office_month_input
    from claims.record_sheet import sheets_html

    [office] = build(1, 1)
    claim = office_claim(office, SEPT, with_days=False)
    with pytest.raises(ValueError, match="support days"):
        office_month_input(claim, processing_month=date(2025, 10, 1))
    with pytest.raises(ValueError, match="support days"):
        sheets_html(claim, claim.billable)
