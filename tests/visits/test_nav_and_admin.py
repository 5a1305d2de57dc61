"""Navigation links by role and the Django admin for the visits models."""

import pytest
from django.urls import reverse

from ..factories import ContactLogFactory, SupportReportFactory, UserFactory, client_in_service, verify_otp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_staff_nav_has_record_this_month_and_month_but_not_billing(as_staff):
    html = as_staff.get(reverse("cases:caseload")).content.decode()
    assert reverse("visits:contact_create") in html
    assert reverse("visits:my_month") in html and reverse("visits:office_month") in html
    assert reverse("visits:billing") not in html


def test_admin_nav_has_billing(as_admin):
    html = as_admin.get(reverse("cases:caseload")).content.decode()
    assert reverse("visits:billing") in html and reverse("visits:office_month") in html


def test_django_admin_lists_and_shows_history(client, office):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    verify_otp(client, superuser)
    contact = ContactLogFactory(client=client_in_service(office=office))
    SupportReportFactory(client=contact.client)
    for name in ("contactlog", "supportreport", "monthlock"):
        assert client.get(reverse(f"admin:visits_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:visits_contactlog_history", args=[contact.pk])).status_code == 200
