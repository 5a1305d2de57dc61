"""Details from the phone walkthrough: the message after recording speaks of the contact's month and
links to its report; an ended client's contact says it can't be billed; 「保存して共有」 on the report
editor; the current page is marked in the navigation; a favicon; the error summary script is served."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import ClientStatus

from ..factories import SupportReportFactory, client_in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = reverse("visits:contact_create")


def _record(as_staff, client, on, kind="interview"):
    return as_staff.post(URL, {"client": client.pk, "on": on, "kind": kind, "narrative": "様子を聞いた。"}, follow=True)


def test_a_late_contact_speaks_of_its_own_month_and_links_to_that_report(as_staff, office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    text = _record(as_staff, client, "2025-08-28").content.decode()
    assert "記録しました。2025年8月はまだ算定できません" in text
    report_url = reverse("visits:report_detail", args=[client.pk, 2025, 8])
    assert f'href="{report_url}">レポートを作成</a>' in text


def test_this_months_contact_says_this_month(as_staff, office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    assert "記録しました。今月はまだ算定できません" in _record(as_staff, client, "2025-09-20").content.decode()


def test_a_contact_for_an_ended_client_says_it_cannot_be_billed_and_why(as_staff, office, staff):
    client = client_in_service(office=office, primary_staff=staff, status=ClientStatus.ENDED)
    text = _record(as_staff, client, "2025-09-19").content.decode()
    assert f"{client.full_name}さんは支援が「終了」のため、この記録では算定できません。" in text


def test_save_and_share_goes_on_to_the_sharing_form(as_staff, office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    SupportReportFactory(client=client, created_by=staff, month=date(2025, 9, 1))
    edit = reverse("visits:report_edit", args=[client.pk, 2025, 9])
    assert "保存して共有" in as_staff.get(edit).content.decode()
    response = as_staff.post(edit, {"work_situation": "安定", "and_share": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:report_share", args=[client.pk, 2025, 9])


def test_the_current_page_is_marked_and_the_favicon_linked(as_staff):
    body = as_staff.get(reverse("visits:my_month")).content.decode()
    assert 'class="nav-link text-nowrap active" aria-current="page" href="/visits/mine/"' in body
    assert body.count('aria-current="page"') == 1
    assert 'rel="icon"' in body and "favicon" in body
