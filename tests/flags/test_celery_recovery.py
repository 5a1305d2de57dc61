"""A task a SIGKILLed worker left unacknowledged in Redis runs again within the visibility timeout, which
lies between the tasks' hard time limit and the shortest expiry of a scheduled job.

The kill test runs two real workers one after the other on Redis (database 12 unless
RECOVERY_TEST_REDIS_URL says otherwise, a queue of its own) against the PostgreSQL test database.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date

import pytest
from django.conf import settings

from flags.models import Flag
from flags.schedules import SCHEDULES

from ..factories import client_in_service
from .test_celery_worker import ROOT, _test_database_url

REDIS_URL = os.environ.get("RECOVERY_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
TEST_VISIBILITY_TIMEOUT = 5


def test_visibility_timeout_lies_between_the_time_limit_and_the_shortest_expiry():
    shortest_expiry = min(entry["expire_seconds"] for entry in SCHEDULES if entry.get("expire_seconds"))
    assert settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_VISIBILITY_TIMEOUT < shortest_expiry


def _start_worker(queue, log):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(TEST_VISIBILITY_TIMEOUT),
        "CELERY_RESTORE_INTERVAL": "1",
    }
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL of the whole worker
    )  # fmt: skip


def _wait_for(predicate, seconds, worker, log):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if worker is not None and worker.poll() is not None:
            log.seek(0)
            pytest.fail(f"the worker exited early:\n{log.read()[-3000:]}")
        time.sleep(0.3)
    return False


def _log_has(log, text):
    log.flush()
    log.seek(0)
    return text in log.read()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_left_unacknowledged_by_a_killed_worker_runs_on_the_next_worker(office, staff):
    from config.celery import app
    from flags.tasks import flag_office_months

    queue = f"recovery-test-{uuid.uuid4().hex[:8]}"
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "broker_transport_options")}
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=None,
        broker_transport_options={"visibility_timeout": TEST_VISIBILITY_TIMEOUT},
    )
    app._pool = None
    app.amqp._producer_pool = None
    client = client_in_service(office=office, primary_staff=staff)
    wanted = Flag.objects.filter(client=client, kind="no_contact_yet", period=date(2025, 9, 1))
    log = tempfile.NamedTemporaryFile("w+", prefix=f"{queue}-", suffix=".log", delete=False)  # noqa: SIM115
    first = second = None
    try:
        first = _start_worker(queue, log)
        assert _wait_for(lambda: _log_has(log, "ready."), 60, first, log), "first worker never got ready"
        # an ETA a few seconds ahead: the worker takes the message (unacknowledged) and holds it until then
        flag_office_months.apply_async((office.pk, "2025-09-25"), countdown=4, queue=queue)
        assert _wait_for(lambda: _log_has(log, "] received"), 30, first, log), "the task never arrived"
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker dies before it runs the task
        first.wait(timeout=10)
        assert not wanted.exists()

        second = _start_worker(queue, log)
        found = _wait_for(
            wanted.exists,
            60,
            second,
            log,
        )
        log.seek(0)
        assert found, f"the task was not redelivered:\n{log.read()[-3000:]}"
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None
        log.close()
        os.unlink(log.name)
