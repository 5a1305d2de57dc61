"""支援レポート: drafted from the month's contacts, shared with the client (and the employer only where
the client works disclosed and consented), printable."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Employment
from plans.models import Consent, ConsentPurpose
from visits import services
from visits.grid import month_rows
from visits.models import SupportReport
from visits.selectors import employer_sharing_allowed

from ..factories import ContactLogFactory, SupportReportFactory, client_in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
SEPT = date(2025, 9, 1)


def consent(client, user, given_on=date(2025, 7, 1), withdrawn_on=None):
    return Consent.objects.create(
        client=client,
        purpose=ConsentPurpose.REPORT_TO_EMPLOYER,
        given_on=given_on,
        withdrawn_on=withdrawn_on,
        recorded_by=user,
    )


def test_draft_in_one_click_from_the_months_contacts(as_staff, office, staff):
    client = client_in_service(office=office)
    ContactLogFactory(
        client=client,
        staff=staff,
        on=date(2025, 9, 3),
        topics=["workload"],
        narrative="作業量が増えて疲れ気味。",
        next_actions="上司と業務量を相談する。",
    )
    ContactLogFactory(
        client=client,
        staff=staff,
        on=date(2025, 9, 10),
        kind="phone",
        topics=["health"],
        narrative="通院を続けている。",
    )
    ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 30), narrative="先月の記録")

    response = as_staff.post(reverse("visits:report_draft", args=[client.pk, 2025, 9]))

    report = SupportReport.objects.get(client=client, month=SEPT)
    assert response.url == reverse("visits:report_edit", args=[client.pk, 2025, 9])
    assert "9/3 本人面談: 作業量が増えて疲れ気味。" in report.support_given
    assert "9/10 電話: 通院を続けている。" in report.support_given
    assert "先月の記録" not in report.support_given
    assert "作業量" in report.work_situation and "通院" in report.life_situation
    assert report.next_steps == "上司と業務量を相談する。"
    assert report.created_by == staff


def test_draft_does_not_overwrite_edited_text(office, staff):
    client = client_in_service(office=office)
    SupportReportFactory(client=client, created_by=staff, support_given="手で書いた内容")
    ContactLogFactory(client=client, staff=staff, narrative="記録")
    report = services.support_report_draft(actor=staff, client=client, month=SEPT)
    assert report.support_given == "手で書いた内容"
    assert SupportReport.objects.count() == 1


def test_sharing_with_the_client_makes_the_month_billable(as_staff, office, staff):
    client = client_in_service(office=office)
    ContactLogFactory(client=client, staff=staff, on=date(2025, 9, 3))
    SupportReportFactory(client=client, created_by=staff)
    assert not month_rows(office.pk, SEPT)[0].verdict.billable

    response = as_staff.post(
        reverse("visits:report_share", args=[client.pk, 2025, 9]),
        {"shared_with_client_on": "2025-09-19", "share_method": "handed"},
    )

    assert response.status_code == 302
    row = month_rows(office.pk, SEPT)[0]
    assert row.verdict.billable and row.report_shared_on == date(2025, 9, 19)


def test_employer_sharing_needs_disclosure_and_standing_consent(office, staff):
    client = client_in_service(office=office)  # works disclosed (オープン)
    report = SupportReportFactory(client=client, created_by=staff)
    kwargs = dict(actor=staff, report=report, shared_with_client_on=date(2025, 9, 19), share_method="handed")

    with pytest.raises(ValidationError) as error:
        services.support_report_share(**kwargs, shared_with_employer_on=date(2025, 9, 19))
    assert "同意" in str(error.value.message_dict["shared_with_employer_on"])

    consent(client, staff)
    services.support_report_share(**kwargs, shared_with_employer_on=date(2025, 9, 19))
    report.refresh_from_db()
    assert report.shared_with_employer_on == date(2025, 9, 19)


@pytest.mark.parametrize(
    "disclosed, given_on, withdrawn_on, allowed",
    [
        (True, date(2025, 9, 19), None, True),  # consent given that very day
        (True, date(2025, 9, 20), None, False),  # consent only after the day
        (True, date(2025, 7, 1), date(2025, 9, 19), False),  # withdrawn on the day
        (True, date(2025, 7, 1), date(2025, 9, 20), True),  # withdrawn later
        (False, date(2025, 7, 1), None, False),  # クローズ: never to the employer
    ],
)
def test_employer_sharing_rule(office, staff, disclosed, given_on, withdrawn_on, allowed):
    client = client_in_service(office=office)
    Employment.objects.filter(client=client).update(disclosed=disclosed)
    consent(client, staff, given_on, withdrawn_on)
    assert employer_sharing_allowed(client, date(2025, 9, 19)) is allowed


def test_share_date_cannot_be_in_the_future(office, staff):
    report = SupportReportFactory(client=client_in_service(office=office), created_by=staff)
    with pytest.raises(ValidationError):
        services.support_report_share(
            actor=staff, report=report, shared_with_client_on=date(2025, 9, 21), share_method="handed"
        )


def test_report_prints_on_a4_with_the_print_helper(as_manager, office, staff):
    client = client_in_service(office=office)
    SupportReportFactory(client=client, created_by=staff, support_given="職場訪問を実施")
    response = as_manager.get(reverse("visits:report_detail", args=[client.pk, 2025, 9]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "js-print" in html and "職場訪問を実施" in html
    assert "<script>" not in html and "onclick" not in html


def test_another_offices_report_is_not_found(as_manager, other_office):
    client = client_in_service(office=other_office)
    assert as_manager.get(reverse("visits:report_detail", args=[client.pk, 2025, 9])).status_code == 404
