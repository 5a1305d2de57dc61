"""Every office's 実績記録票 as a Celery job: queued after commit, progress per office, a ZIP kept by its hash."""

import hashlib
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from claims import tasks
from claims.models import RecordSheetJob

from ..factories import MembershipFactory, OfficeFactory
from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    field = RecordSheetJob._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path))
    return tmp_path


def test_start_queues_one_job_for_every_office_the_admin_runs(
    client, office, staff, manager, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    second = OfficeFactory()
    MembershipFactory(office=second, role="admin", user=admin_user)
    MembershipFactory(office=OfficeFactory(), role="staff", user=admin_user)  # not an admin there
    queued = []
    monkeypatch.setattr(tasks.render_record_sheets, "delay", lambda job_id: queued.append(job_id))
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:record_sheet_job_start"), {"month": "2025-09"})
    job = RecordSheetJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "claims:record_sheet_job", args=[job.pk]
    )
    assert queued == [job.pk]
    assert job.month == SEPT and sorted(job.office_ids) == sorted([office.pk, second.pk])
    html = client.get(reverse("claims:record_sheet_job", args=[job.pk])).content.decode()
    assert "待機中" in html and "0 / 2 事業所" in html and 'http-equiv="refresh"' in html


def test_the_task_renders_a_zip_with_one_pdf_per_office(client, office, staff, manager, admin_user):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)
    other = OfficeFactory()
    MembershipFactory(office=other, role="admin", user=admin_user)
    job = RecordSheetJob.objects.create(
        office=office, created_by=admin_user, month=SEPT, office_ids=[office.pk, other.pk]
    )
    assert tasks.render_record_sheets.apply(args=[job.pk]).get() == {"job": job.pk, "status": "done"}
    job.refresh_from_db()
    assert job.status == "done" and job.done == 2 and job.percent == 100
    client.force_login(admin_user)
    response = client.get(reverse("claims:record_sheet_job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job.sha256
    names = zipfile.ZipFile(BytesIO(content)).namelist()
    assert names == [
        f"jisseki-{office.provider_number}-202509.pdf",
        f"jisseki-{other.provider_number}-202509.pdf",
    ]
    # a rerun renders it again, leaving one file
    tasks.render_record_sheets.apply(args=[job.pk]).get()
    assert RecordSheetJob.objects.get(pk=job.pk).status == "done"


def test_download_before_the_end_says_so(client, office, admin_user):
    job = RecordSheetJob.objects.create(
        office=office, created_by=admin_user, month=SEPT, office_ids=[office.pk]
    )
    client.force_login(admin_user)
    response = client.get(reverse("claims:record_sheet_job_download", args=[job.pk]), follow=True)
    assert "まだ作成中です" in response.content.decode()


def test_a_job_of_another_office_is_not_found(client, admin_user, other_office):
    outsider = MembershipFactory(office=other_office, role="admin").user
    job = RecordSheetJob.objects.create(
        office=other_office, created_by=outsider, month=SEPT, office_ids=[other_office.pk]
    )
    client.force_login(admin_user)
    assert client.get(reverse("claims:record_sheet_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("claims:record_sheet_job_download", args=[job.pk])).status_code == 404


def test_a_failure_is_recorded(office, admin_user, monkeypatch):
    from claims import services

    job = RecordSheetJob.objects.create(
        office=office, created_by=admin_user, month=SEPT, office_ids=[office.pk]
    )

    def broken(claim, rows):
        raise RuntimeError("pango missing")

    monkeypatch.setattr(services.record_sheet, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.record_sheet_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "pango missing" in job.error
