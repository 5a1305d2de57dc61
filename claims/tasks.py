"""Celery tasks of the claims app: thin wrappers over services, taking ids."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="claims.render_record_sheets", bind=True, **RETRY)
def render_record_sheets(self, job_id: int) -> dict:
    """Render every office's 実績記録票 of the job (idempotent: a rerun renders the ZIP again)."""
    job = services.record_sheet_job_run(job_id=job_id, task_id=self.request.id or "")
    return {"job": job_id, "status": job.status if job else "gone"}
