"""Beat entries from one table (created by a migration), Celery settings, and tasks sent after commit."""

from datetime import date
from unittest import mock

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from flags import tasks
from flags.models import Flag
from flags.schedules import SCHEDULES, ensure_schedules

from ..factories import OfficeFactory, client_in_service

pytestmark = pytest.mark.django_db


def test_migration_created_the_beat_entries_in_tokyo_time_with_expiry():
    entries = {t.task: t for t in PeriodicTask.objects.select_related("crontab")}
    months = entries["flags.flag_all_months"]
    assert (months.crontab.minute, months.crontab.hour, str(months.crontab.timezone)) == (
        "5",
        "7-21",
        "Asia/Tokyo",
    )
    assert 0 < months.expire_seconds <= 60 * 60
    deadlines = entries["flags.flag_all_deadlines"]
    assert (deadlines.crontab.minute, deadlines.crontab.hour, str(deadlines.crontab.timezone)) == (
        "0",
        "6",
        "Asia/Tokyo",
    )
    assert deadlines.expire_seconds
    assert entries["flags.send_all_digests"].expire_seconds
    assert len(SCHEDULES) == 3


def test_ensure_schedules_is_idempotent():
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    ensure_schedules(CrontabSchedule, PeriodicTask, PeriodicTasks)
    ensure_schedules(CrontabSchedule, PeriodicTask, PeriodicTasks)
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == before


def test_every_scheduled_task_is_registered():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in SCHEDULES:
        assert entry["task"] in app.tasks


def test_without_redis_url_settings_use_the_filesystem_broker():
    # The test run has no REDIS_URL unless one is exported; check what settings produce without it.
    import importlib
    import os

    import config.settings as module

    with mock.patch.dict(os.environ, {"REDIS_URL": "", "DEBUG": "1"}):
        fresh = importlib.reload(module)
        try:
            assert fresh.CELERY_BROKER_URL == "filesystem://"
            assert fresh.CELERY_RESULT_BACKEND is None
            assert fresh.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"].endswith("queue")
            assert os.path.isdir(fresh.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])  # kombu needs it
            assert os.path.isdir(fresh.CELERY_BROKER_TRANSPORT_OPTIONS["processed_folder"])
            assert fresh.CELERY_TASK_ACKS_LATE and fresh.CELERY_TASK_REJECT_ON_WORKER_LOST
        finally:
            importlib.reload(module)


def test_retry_delays_stay_well_under_the_redis_visibility_timeout():
    with mock.patch.dict("os.environ", {"REDIS_URL": "redis://127.0.0.1:6379/14", "DEBUG": "1"}):
        import importlib

        import config.settings as module

        fresh = importlib.reload(module)
        try:
            visibility = fresh.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        finally:
            importlib.reload(module)
    assert tasks.MAX_RETRY_DELAY_SECONDS * 4 <= visibility
    for task in (
        tasks.flag_office_months,
        tasks.flag_office_deadlines,
        tasks.send_office_digest,
        tasks.flag_all_months,
    ):
        assert task.acks_late and task.max_retries and task.autoretry_for and task.retry_backoff


def test_fan_out_sends_one_task_per_office_only_after_commit(django_capture_on_commit_callbacks):
    offices = [OfficeFactory(), OfficeFactory()]
    with mock.patch.object(tasks.flag_office_deadlines, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert tasks.flag_all_deadlines("2025-09-25") == 2
        assert delay.call_count == 0  # nothing sent before the commit
        for callback in callbacks:
            callback()
    assert sorted(call.args for call in delay.call_args_list) == sorted((o.pk, "2025-09-25") for o in offices)


def test_office_task_runs_the_jobs(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    result = tasks.flag_office_months.apply(args=[office.pk, "2025-09-25"]).get()
    assert result["office"] == office.pk
    tasks.flag_office_deadlines.apply(args=[office.pk, "2025-09-25"]).get()
    assert Flag.objects.filter(client=client, kind="no_contact_yet", period=date(2025, 9, 1)).exists()
    assert tasks.flag_office_months.apply(args=[999999]).get() == {"office": 999999, "skipped": "gone"}
