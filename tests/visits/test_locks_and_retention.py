"""A locked month freezes its contacts and its report (text and sharing) unless a written reason is given,
from the browser or the admin; locks keep who and when, unlock is its own admin step with a reason; no
retained record is deleted by anyone before RECORD_RETENTION_YEARS have passed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.retention import RecordRetained, kept_until
from visits import services
from visits.models import ContactLog, MonthLock, SupportReport
from visits.selectors import month_is_locked

from ..factories import (
    ConsentFactory,
    ContactLogFactory,
    HandoverFactory,
    PlanReviewFactory,
    SupportPlanFactory,
    SupportReportFactory,
    UserFactory,
    client_in_service,
    verify_otp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
AUG = date(2025, 8, 1)


@pytest.fixture
def locked_report(office, staff, admin_user):
    client = client_in_service(office=office)
    report = SupportReportFactory(
        client=client, month=AUG, created_by=staff, shared_with_client_on=date(2025, 9, 2), share_method="handed"
    )
    services.month_lock(actor=admin_user, office=office, month=AUG)
    return report


def test_a_locked_reports_text_changes_only_with_a_reason(staff, locked_report):
    with pytest.raises(ValidationError) as error:
        services.support_report_update(actor=staff, report=locked_report, support_given="書き換え")
    assert "reason" in error.value.message_dict
    assert SupportReport.objects.get(pk=locked_report.pk).support_given != "書き換え"

    services.support_report_update(
        actor=staff, report=locked_report, support_given="訂正した内容", reason="転記の誤り"
    )
    assert locked_report.history.first().history_change_reason == "転記の誤り"


def test_a_locked_reports_sharing_changes_only_with_a_reason(staff, locked_report):
    with pytest.raises(ValidationError):
        services.support_report_share(
            actor=staff, report=locked_report, shared_with_client_on=date(2025, 9, 5), share_method="handed"
        )
    assert SupportReport.objects.get(pk=locked_report.pk).shared_with_client_on == date(2025, 9, 2)
    services.support_report_share(
        actor=staff,
        report=locked_report,
        shared_with_client_on=date(2025, 9, 5),
        share_method="handed",
        reason="共有日の記入誤り",
    )
    assert locked_report.history.first().history_change_reason == "共有日の記入誤り"


def test_a_locked_month_cannot_be_redrafted(staff, locked_report):
    with pytest.raises(ValidationError):
        services.support_report_draft(actor=staff, client=locked_report.client, month=AUG)


def test_the_report_page_asks_for_a_reason_in_a_locked_month(as_staff, locked_report):
    url = reverse("visits:report_edit", args=[locked_report.client_id, 2025, 8])
    data = {"work_situation": "", "life_situation": "", "issues": "", "support_given": "書き換え", "next_steps": ""}
    response = as_staff.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert as_staff.post(url, {**data, "reason": "誤記の訂正"}).status_code == 302
    assert SupportReport.objects.get(pk=locked_report.pk).support_given == "書き換え"


@pytest.fixture
def superuser_client(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    return client


def admin_post(report, **changes):
    data = {
        "client": report.client_id,
        "month": "2025-08-01",
        "work_situation": report.work_situation,
        "life_situation": report.life_situation,
        "issues": report.issues,
        "support_given": report.support_given,
        "next_steps": report.next_steps,
        "shared_with_client_on": "2025-09-02",
        "shared_with_employer_on": "",
        "share_method": "handed",
        "created_by": report.created_by_id,
        "change_reason": "",
    }
    return {**data, **changes}


def test_the_admin_asks_for_a_reason_too(superuser_client, locked_report):
    url = reverse("admin:visits_supportreport_change", args=[locked_report.pk])
    response = superuser_client.post(url, admin_post(locked_report, shared_with_client_on="2025-09-20"))
    assert response.status_code == 200  # the form again, with the error
    assert SupportReport.objects.get(pk=locked_report.pk).shared_with_client_on == date(2025, 9, 2)
    response = superuser_client.post(
        url, admin_post(locked_report, shared_with_client_on="2025-09-20", change_reason="原本と照合して訂正")
    )
    assert response.status_code == 302
    assert locked_report.history.first().history_change_reason == "原本と照合して訂正"


def test_locks_keep_who_and_when_and_unlock_is_a_separate_step_with_a_reason(
    office, staff, admin_user, locked_report
):
    lock = MonthLock.objects.get(office=office, month=AUG)
    assert lock.locked_by == admin_user and lock.locked_at is not None
    with pytest.raises(PermissionDenied):
        services.month_unlock(actor=staff, lock=lock, reason="再請求")
    with pytest.raises(ValidationError):
        services.month_unlock(actor=admin_user, lock=lock, reason=" ")
    services.month_unlock(actor=admin_user, lock=lock, reason="返戻のため再請求")
    lock.refresh_from_db()
    assert not month_is_locked(office.pk, AUG)
    assert (lock.unlocked_by, lock.unlock_reason) == (admin_user, "返戻のため再請求")
    assert lock.history.first().history_change_reason == "返戻のため再請求"
    # Editing is free again; locking again reuses the same row and keeps the history of both steps.
    services.support_report_update(actor=staff, report=locked_report, support_given="再請求のため修正")
    services.month_lock(actor=admin_user, office=office, month=AUG)
    assert MonthLock.objects.filter(office=office, month=AUG).count() == 1
    assert month_is_locked(office.pk, AUG)
    assert lock.history.count() >= 3


def test_the_admin_unlocks_on_its_own_page_and_never_deletes_a_lock(superuser_client, office, locked_report):
    lock = MonthLock.objects.get(office=office, month=AUG)
    change = reverse("admin:visits_monthlock_change", args=[lock.pk])
    assert superuser_client.get(change).status_code == 200
    assert superuser_client.post(reverse("admin:visits_monthlock_delete", args=[lock.pk])).status_code == 403
    unlock = reverse("admin:visits_monthlock_unlock", args=[lock.pk])
    assert superuser_client.post(unlock, {"reason": ""}).status_code == 200
    assert month_is_locked(office.pk, AUG)
    assert superuser_client.post(unlock, {"reason": "請求内容の訂正"}).status_code == 302
    assert not month_is_locked(office.pk, AUG)
    assert MonthLock.objects.filter(pk=lock.pk).exists()


def retained_records(office, staff):
    client = client_in_service(office=office)
    plan = SupportPlanFactory(client=client, drafted_by=staff)
    return {
        "visits_contactlog": ContactLogFactory(client=client, staff=staff),
        "visits_supportreport": SupportReportFactory(client=client, created_by=staff),
        "visits_monthlock": MonthLock.objects.create(office=office, month=AUG, locked_by=staff),
        "plans_supportplan": plan,
        "plans_planreview": PlanReviewFactory(plan=plan, reviewer=staff),
        "plans_handover": HandoverFactory(client=client, recorded_by=staff),
        "plans_consent": ConsentFactory(client=client, recorded_by=staff),
        "cases_benefitdecision": client.decisions.get(),  # a municipal decision, kept like the records
    }


def test_no_retained_record_is_deleted_by_anyone(superuser_client, office, staff):
    for admin_name, record in retained_records(office, staff).items():
        model = type(record)
        assert superuser_client.post(reverse(f"admin:{admin_name}_delete", args=[record.pk])).status_code == 403
        with pytest.raises(RecordRetained):
            record.delete()
        with pytest.raises(RecordRetained):
            model.objects.filter(pk=record.pk).delete()
        assert model.objects.filter(pk=record.pk).exists(), admin_name


def test_the_retention_setting_is_read(settings, office, staff):
    contact = ContactLogFactory(client=client_in_service(office=office), staff=staff, on=date(2025, 1, 10))
    assert kept_until(contact.on) == date(2030, 1, 9)  # 5 years by default
    with pytest.raises(RecordRetained):
        contact.delete()
    settings.RECORD_RETENTION_YEARS = 7
    assert kept_until(contact.on) == date(2032, 1, 9)
    settings.RECORD_RETENTION_YEARS = 0  # a record past its retention may go (2025-01-10 < today)
    contact.delete()
    assert not ContactLog.objects.filter(pk=contact.pk).exists()
