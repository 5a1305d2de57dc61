"""A real Celery worker on the Redis server: a task sent with .delay() through the broker writes the flags.

Needs Redis and PostgreSQL (the worker subprocess must reach the test database, which SQLite's in-memory
test database cannot offer). Uses Redis database 14 unless FLAGS_TEST_REDIS_URL says otherwise, and a queue
of its own so nothing else on that server is consumed.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from flags.models import Flag

from ..factories import client_in_service

REDIS_URL = os.environ.get("FLAGS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def redis_app():
    """The project's Celery app pointed at Redis /14 and a private queue for the duration of the test."""
    from config.celery import app

    queue = f"flags-test-{uuid.uuid4().hex[:8]}"
    keys = ("broker_url", "result_backend", "broker_transport_options", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=None,
        broker_transport_options={"visibility_timeout": 2 * 60 * 60},
        task_default_queue=queue,
    )
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app, queue
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def worker(redis_app):
    _, queue = redis_app
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
    }
    log = tempfile.NamedTemporaryFile("w+", prefix=f"{queue}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    process.log = log
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        os.unlink(log.name)


def test_worker_runs_the_flag_tasks_sent_through_redis(office, staff, redis_app, worker):
    from flags.tasks import flag_office_deadlines, flag_office_months

    client = client_in_service(office=office, primary_staff=staff)  # committed: transaction=True

    flag_office_months.delay(office.pk, "2025-09-25")
    flag_office_deadlines.delay(office.pk, "2026-05-06")  # 60 days before the decision ends

    deadline = time.monotonic() + WAIT_SECONDS
    wanted = {("no_contact_yet", date(2025, 9, 1)), ("decision_renewal", date(2026, 7, 5))}
    found = set()
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            worker.log.seek(0)
            pytest.fail(f"the Celery worker exited early:\n{worker.log.read()[-3000:]}")
        found = set(Flag.objects.filter(client=client).values_list("kind", "period"))
        if wanted <= found:
            break
        time.sleep(0.5)
    if not wanted <= found:
        worker.log.seek(0)
        pytest.fail(
            f"flags not written by the worker within {WAIT_SECONDS}s: {found}\n{worker.log.read()[-3000:]}"
        )
