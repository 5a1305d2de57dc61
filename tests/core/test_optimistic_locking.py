"""Two people edit the same record: the second, stale save is refused (409) with both values shown and
the second person's text kept in the form; the first save stays. One mechanism (core/locking.py) for the
client file, employments, decisions, contacts, support reports and handovers (plans and reviews:
tests/plans/test_concurrent_edits.py)."""

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from cases.forms import BenefitDecisionForm, ClientForm, EmploymentForm
from cases.models import Role
from plans.forms import HandoverForm
from visits.forms import ContactForm, ReportForm

from ..factories import (
    ContactLogFactory,
    HandoverFactory,
    MembershipFactory,
    SupportReportFactory,
    client_in_service,
)

pytestmark = pytest.mark.django_db


def _form_data(form) -> dict:
    """What the browser would post back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(value)
    return data


def _client_record(office):
    client = client_in_service(office=office)
    return (
        reverse("cases:client_update", args=[client.pk]),
        ClientForm(instance=client, office=office),
        "municipality",
        lambda: type(client).objects.get(pk=client.pk).municipality,
    )


def _employment(office):
    client = client_in_service(office=office)
    job = client.employments.get()
    return (
        reverse("cases:employment_update", args=[client.pk, job.pk]),
        EmploymentForm(instance=job, client=client),
        "job_title",
        lambda: type(job).objects.get(pk=job.pk).job_title,
    )


def _decision(office):
    client = client_in_service(office=office)
    decision = client.decisions.get()
    return (
        reverse("cases:decision_update", args=[client.pk, decision.pk]),
        BenefitDecisionForm(instance=decision, client=client),
        "municipality",
        lambda: type(decision).objects.get(pk=decision.pk).municipality,
    )


def _contact(office):
    contact = ContactLogFactory(client=client_in_service(office=office), on=date(2025, 9, 3))
    return (
        reverse("visits:contact_update", args=[contact.pk]),
        ContactForm(instance=contact, editing=True),
        "narrative",
        lambda: type(contact).objects.get(pk=contact.pk).narrative,
    )


def _report(office):
    report = SupportReportFactory(client=client_in_service(office=office), month=date(2025, 9, 1))
    return (
        reverse("visits:report_edit", args=[report.client_id, 2025, 9]),
        ReportForm(instance=report),
        "issues",
        lambda: type(report).objects.get(pk=report.pk).issues,
    )


def _handover(office):
    handover = HandoverFactory(client=client_in_service(office=office))
    return (
        reverse("plans:handover_edit", args=[handover.client_id]),
        HandoverForm(instance=handover),
        "content",
        lambda: type(handover).objects.get(pk=handover.pk).content,
    )


RECORDS = {
    "client": _client_record,
    "employment": _employment,
    "decision": _decision,
    "contact": _contact,
    "report": _report,
    "handover": _handover,
}


def _browser(office):
    browser = HttpClient()
    browser.force_login(MembershipFactory(office=office, role=Role.MANAGER).user)
    return browser


@pytest.mark.parametrize("record", sorted(RECORDS))
def test_the_second_of_two_stale_edits_is_refused_and_nothing_is_lost(office, record):
    url, form, field, saved_value = RECORDS[record](office)
    read = _form_data(form)  # both opened the page at the same version
    assert "lock_version" in read
    alice, bob = _browser(office), _browser(office)
    assert alice.get(url).status_code == 200 and bob.get(url).status_code == 200

    first = alice.post(url, {**read, field: "アリスの変更"})
    assert first.status_code == 302, first.content.decode()[:2000]
    second = bob.post(url, {**read, field: "ボブの変更"})

    assert second.status_code == 409
    body = second.content.decode()
    assert "ほかの人がこの内容を更新しました" in body
    assert "アリスの変更" in body  # the saved value, in the comparison
    assert body.count("ボブの変更") >= 2  # in the comparison and still in the form
    assert saved_value() == "アリスの変更"

    # Bob re-saves from the refused page (it now carries the version on record): accepted
    again = bob.post(url, {**read, field: "ボブの変更", "lock_version": str(int(read["lock_version"]) + 1)})
    assert again.status_code == 302
    assert saved_value() == "ボブの変更"


def test_a_save_without_a_version_still_moves_the_version_on(office, manager):
    from cases import services

    url, form, field, saved_value = _client_record(office)
    read = _form_data(form)
    client = form.instance
    services.client_update(actor=manager, client=client, municipality="世田谷区")  # e.g. an import
    browser = _browser(office)
    assert browser.post(url, {**read, field: "古い画面から"}).status_code == 409
    assert saved_value() == "世田谷区"
