"""The stored window never goes stale: every path that changes an employment or the prior-service end
recomputes the window, the month grid and the flags in the same transaction (issue: dates as the law
counts them, items 4, 5 and 7)."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from cases import services
from cases.models import BenefitDecision, Client, Employment, WorkplaceKind
from flags.models import Flag
from flags.rules import MONTH_KINDS
from visits.grid import client_month_grid

from ..factories import (
    BenefitDecisionFactory,
    ClientFactory,
    EmployerFactory,
    EmploymentFactory,
    UserFactory,
    verify_otp,
)

pytestmark = pytest.mark.django_db


def open_month_flags(client, month):
    return set(
        Flag.objects.filter(client=client, period=month, kind__in=MONTH_KINDS, resolved_at__isnull=True)
        .values_list("kind", flat=True)
    )


def admin_employment_data(employment, **changes):
    data = {
        "client": employment.client_id,
        "employer": employment.employer_id,
        "workplace_kind": employment.workplace_kind,
        "hired_on": employment.hired_on.isoformat(),
        "left_on": employment.left_on.isoformat() if employment.left_on else "",
        "job_title": employment.job_title,
        "weekly_hours": "",
        "disclosed": "on",
    }
    data.update(changes)
    return data


@time_machine.travel(date(2024, 10, 25), tick=False)
def test_a_hire_date_changed_in_the_admin_moves_the_window_the_grid_and_the_flags(client):
    person = ClientFactory()
    employment = EmploymentFactory(client=person, hired_on=date(2024, 4, 1))
    BenefitDecisionFactory(client=person, starts_on=date(2024, 10, 1))
    services.client_refresh_window(person)
    from flags.services import client_changed

    client_changed(client=person)
    october = date(2024, 10, 1)
    assert open_month_flags(person, october), "October is in service and has no contact yet"
    assert client_month_grid(person)[0].month == october

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    response = client.post(
        reverse("admin:cases_employment_change", args=[employment.pk]),
        admin_employment_data(employment, hired_on="2024-07-01"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    person = Client.objects.get(pk=person.pk)
    assert (person.window_starts_on, person.window_ends_on) == (date(2025, 1, 1), date(2027, 12, 31))
    assert client_month_grid(person)[0].month == date(2025, 1, 1)
    assert open_month_flags(person, october) == set(), "October is no longer in service"


def test_shell_save_and_delete_of_an_employment_recompute_the_window():
    employment = EmploymentFactory(hired_on=date(2024, 3, 31))
    person = Client.objects.get(pk=employment.client_id)
    assert (person.window_starts_on, person.window_ends_on) == (date(2024, 10, 1), date(2027, 9, 30))

    employment.workplace_kind = WorkplaceKind.CONTINUOUS_A
    employment.save()
    person.refresh_from_db()
    assert person.window_starts_on is None, "an A型 job does not start the clock"

    employment.workplace_kind = WorkplaceKind.REGULAR
    employment.save()
    employment.delete()
    person.refresh_from_db()
    assert (person.window_starts_on, person.window_ends_on) == (None, None)


def test_the_prior_service_end_moves_the_window():
    employment = EmploymentFactory(hired_on=date(2024, 4, 1))
    person = Client.objects.get(pk=employment.client_id)
    actor = UserFactory()
    services.client_update(actor=actor, client=person, prior_service_ended_on=date(2024, 6, 30))
    person.refresh_from_db()
    assert (person.window_starts_on, person.window_ends_on) == (date(2025, 1, 1), date(2027, 9, 30))


def test_the_client_form_offers_the_prior_service_end_and_the_employment_form_the_workplace_kind(
    as_manager, office
):
    person = ClientFactory(office=office)
    assert "就労移行支援等の利用終了日" in as_manager.get(reverse("cases:client_update", args=[person.pk])).content.decode()
    page = as_manager.get(reverse("cases:employment_create", args=[person.pk])).content.decode()
    assert "就労先の種類" in page and "就労継続支援A型事業所" in page and "通常の事業所（一般就労）" in page


def test_an_a_type_job_from_the_form_is_shown_and_starts_no_clock(as_manager, office):
    person = ClientFactory(office=office)
    response = as_manager.post(
        reverse("cases:employment_create", args=[person.pk]),
        {
            "employer": EmployerFactory(office=office).pk,
            "workplace_kind": WorkplaceKind.CONTINUOUS_A,
            "hired_on": "2024-04-01",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.window_starts_on is None
    assert "就労継続支援A型事業所" in as_manager.get(reverse("cases:client_detail", args=[person.pk])).content.decode()


@pytest.mark.parametrize("hired_on", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_outside_1900_2100_are_refused_with_a_message(as_manager, office, hired_on):
    person = ClientFactory(office=office)
    response = as_manager.post(
        reverse("cases:employment_create", args=[person.pk]),
        {"employer": EmployerFactory(office=office).pk, "hired_on": hired_on},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1900年1月1日以降" in page or "2100年12月31日以前" in page
    assert not Employment.objects.exists()


def test_a_fourth_year_of_decisions_is_refused(as_manager, office):
    person = ClientFactory(office=office)
    EmploymentFactory(client=person, hired_on=date(2024, 4, 1))
    for start in (date(2024, 10, 1), date(2025, 10, 1), date(2026, 10, 1)):
        BenefitDecisionFactory(client=person, starts_on=start)
    response = as_manager.post(
        reverse("cases:decision_create", args=[person.pk]),
        {"starts_on": "2027-10-01", "ends_on": "2028-03-31", "municipality": "新宿区"},
    )
    assert "支給決定は通算3年" in response.content.decode()
    assert BenefitDecision.objects.filter(client=person).count() == 3


def test_a_decision_reaching_outside_the_window_is_recorded_with_a_warning(as_manager, office):
    person = ClientFactory(office=office)
    EmploymentFactory(client=person, hired_on=date(2024, 4, 1))
    response = as_manager.post(
        reverse("cases:decision_create", args=[person.pk]),
        {"starts_on": "2024-09-01", "ends_on": "2025-08-31", "municipality": "新宿区"},
        follow=True,
    )
    page = response.content.decode()
    assert "支援期間（2024-10-01〜2027-09-30）の外の日を含みます" in page
    assert "支援期間外を含む" in page
    assert BenefitDecision.objects.filter(client=person).count() == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        ("2025-04-01", "2026-04-01", "支給決定期間は1年以内です"),
        ("2025-06-01", "2026-03-31", "期間が重なっています"),
    ],
)
def test_the_admin_applies_the_decision_rules(client, starts_on, ends_on, message):
    person = ClientFactory()
    BenefitDecisionFactory(client=person, starts_on=date(2024, 10, 1))
    BenefitDecisionFactory(client=person, starts_on=date(2025, 10, 1))
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    response = client.post(
        reverse("admin:cases_benefitdecision_add"),
        {"client": person.pk, "starts_on": starts_on, "ends_on": ends_on, "municipality": "新宿区"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BenefitDecision.objects.filter(client=person).count() == 2


def test_a_leap_day_decision_of_one_year_is_accepted(as_manager, office):
    person = ClientFactory(office=office)
    response = as_manager.post(
        reverse("cases:decision_create", args=[person.pk]),
        {"starts_on": "2028-02-29", "ends_on": "2029-02-28", "municipality": "新宿区"},
    )
    assert response.status_code == 302
    assert BenefitDecision.objects.get(client=person).ends_on == date(2029, 2, 28)


def test_recompute_windows_lists_moves_on_dry_run_and_saves_them_otherwise(capsys):
    employment = EmploymentFactory(hired_on=date(2024, 3, 31))
    person = Client.objects.get(pk=employment.client_id)
    # A window stored by the old clamp: one day early, one day short.
    Client.objects.filter(pk=person.pk).update(
        window_starts_on=date(2024, 9, 30), window_ends_on=date(2027, 9, 29)
    )
    call_command("recompute_windows", "--dry-run")
    out = capsys.readouterr().out
    assert "2024-09-30〜2027-09-29\t→\t2024-10-01〜2027-09-30" in out
    assert "1 client window(s) would move." in out
    person.refresh_from_db()
    assert person.window_starts_on == date(2024, 9, 30)

    call_command("recompute_windows")
    person.refresh_from_db()
    assert (person.window_starts_on, person.window_ends_on) == (date(2024, 10, 1), date(2027, 9, 30))
    assert person.history.first().history_change_reason == "支援期間の再計算（民法の期間計算）"
    call_command("recompute_windows", "--dry-run")
    assert "0 client window(s) would move." in capsys.readouterr().out
