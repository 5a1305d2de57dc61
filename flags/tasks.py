"""Celery tasks: thin, idempotent, taking ids. Per-office work is fanned out after commit.

Retries back off from 30 s to at most 3 minutes, well below the Redis visibility timeout (15 minutes,
config/settings.py), so a message is never redelivered while its retry is still pending. `acks_late` with
`task_reject_on_worker_lost` (settings) means a killed worker's task runs again, leaving the same rows.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cases.models import Office

from . import digest, services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 30,
    "retry_backoff_max": 3 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
MAX_RETRY_DELAY_SECONDS = RETRY["retry_backoff_max"]


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else timezone.localdate()


def _office_ids() -> list[int]:
    return list(Office.objects.order_by("pk").values_list("pk", flat=True))


@shared_task(name="flags.flag_office_months", **RETRY)
def flag_office_months(office_id: int, today: str | None = None) -> dict:
    """Month flags of one office for the previous (closed) and the current month."""
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return {"office": office_id, "skipped": "gone"}
    day = _day(today)
    counts = {}
    for month in services.months_to_flag(day):
        result = services.flag_months(office=office, month=month, today=day)
        counts[month.isoformat()] = [len(result.created), len(result.reopened), len(result.resolved)]
    return {"office": office_id, "created_reopened_resolved": counts}


@shared_task(name="flags.flag_office_deadlines", **RETRY)
def flag_office_deadlines(office_id: int, today: str | None = None) -> dict:
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return {"office": office_id, "skipped": "gone"}
    result = services.flag_deadlines(office=office, today=_day(today))
    result += services.flag_follow_ups(office=office, today=_day(today))
    result += services.flag_claims(office=office, today=_day(today))
    return {"office": office_id, "created": len(result.created), "resolved": len(result.resolved)}


@shared_task(name="flags.send_office_digest", **RETRY)
def send_office_digest(office_id: int, day: str | None = None) -> int:
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return 0
    return digest.send_office_digest(office=office, day=_day(day))


def _fan_out(task, day: str | None = None) -> int:
    ids = _office_ids()
    for office_id in ids:
        task.delay_on_commit(office_id, day)
    return len(ids)


@shared_task(name="flags.flag_all_months", **RETRY)
def flag_all_months(today: str | None = None) -> dict:
    """Beat entry: month flags of every office at once (set-based: a few queries whatever the size)."""
    day = _day(today)
    counts = {}
    for month in services.months_to_flag(day):
        result = services.flag_months(office=None, month=month, today=day)
        counts[month.isoformat()] = [len(result.created), len(result.reopened), len(result.resolved)]
    return {"created_reopened_resolved": counts}


@shared_task(name="flags.flag_all_deadlines", **RETRY)
def flag_all_deadlines(today: str | None = None) -> int:
    """Beat entry: one deadline task per office."""
    return _fan_out(flag_office_deadlines, today)


@shared_task(name="flags.send_all_digests", **RETRY)
def send_all_digests(day: str | None = None) -> int:
    """Beat entry: one digest task per office; the day is fixed here so a late run mails for that day."""
    return _fan_out(send_office_digest, day or timezone.localdate().isoformat())
