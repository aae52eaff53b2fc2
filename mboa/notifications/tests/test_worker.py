"""A real Celery worker on Redis sends an outbox message exactly once, across a worker crash.

The worker is a subprocess, so it must open the database the test writes to:

- on PostgreSQL, the test database itself (the test commits: transactional_db);
- on SQLite, the test database lives in this process's memory, which no other process can
  open: the test copies it (sqlite3 backup API) to a file once the message is written,
  points the worker at that file, and reads the outcome from the file.

Either way the worker runs the real code path: Redis broker, task, claim, HTTP gateway.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from mboa.notifications import services
from mboa.notifications.fake_gateway import FakeGateway
from mboa.notifications.models import Message

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


class WorkerDatabase:
    """Where the worker subprocess reads and writes, and how the test reads it back."""

    def __init__(self, tmp_path) -> None:
        self.file = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"

    def publish(self) -> str:
        """Make the test's data visible to another process; return its DATABASE_URL."""
        if self.file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{self.file}"
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def message(self, pk: int) -> dict:
        if self.file is not None:
            with sqlite3.connect(self.file, timeout=20) as db:
                status, attempts = db.execute(
                    "SELECT status, attempts FROM notifications_message WHERE id = ?", [pk]).fetchone()
            return {"status": status, "attempts": attempts}
        row = Message.objects.values("status", "attempts").get(pk=pk)
        return dict(row)


def _start_worker(queue: str, database_url: str, gateway_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE),
        "DATABASE_URL": database_url,
        "MBOA_SMS_GATEWAY_URL": gateway_url,
        "MBOA_NOTIFY_LEASE_SECONDS": "2",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue, "-l", "warning",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"{queue}@%h"],
        cwd=settings.BASE_DIR, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def real_celery():
    """Send tasks to Redis (not eagerly) on a queue of this test run only."""
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
        pytest.skip(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
    queue = f"mboa-test-{uuid.uuid4().hex[:10]}"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved


def test_message_sent_exactly_once_when_the_worker_is_killed_mid_send(
    real_celery, fp_minas, tmp_path, django_capture_on_commit_callbacks
):
    fp_minas.phone = "+237699000111"
    fp_minas.save()
    database = WorkerDatabase(tmp_path)
    # Queue the message but keep its send task: it is sent once the worker can see the row.
    with django_capture_on_commit_callbacks(execute=False):
        [message] = services.notify(recipients=[fp_minas], subject="Charter", body="Mobilisation du GTA",
                                    idempotency_key=f"worker-test-{real_celery}", channel="sms")
    database_url = database.publish()
    gateway = FakeGateway().start()
    gateway.delay = 3.0  # the gateway holds the request: the worker dies waiting for the answer
    workers = []
    try:
        workers.append(_start_worker(real_celery, database_url, gateway.url))
        celery_app.send_task("notifications.send_message", args=[message.pk], queue=real_celery)
        assert gateway.received.wait(60), "the worker never called the gateway"
        _kill(workers[-1])  # SIGKILL in the middle of the send: no chance to write "sent"
        assert database.message(message.pk) == {"status": "sending", "attempts": 1}
        gateway.delay = 0
        # A new worker; after the lease (2 s) the beat sweeper's task sends it again, same key.
        workers.append(_start_worker(real_celery, database_url, gateway.url))
        time.sleep(2.5)
        celery_app.send_task("notifications.send_due", queue=real_celery)
        assert _wait_for(lambda: database.message(message.pk)["status"] == "sent"), "not sent after the restart"
        assert database.message(message.pk)["attempts"] == 2
        # The original task, redelivered after the restart, finds it sent and does nothing.
        result = celery_app.send_task("notifications.send_message", args=[message.pk], queue=real_celery)
        assert result.get(timeout=30) == "nothing to do"
        keyed = [r for r in gateway.requests if r["key"] == message.idempotency_key]
        assert len(keyed) == 2  # posted twice (before and after the crash)...
        assert len(gateway.delivered) == 1  # ...delivered once, thanks to the idempotency key
    finally:
        for worker in workers:
            _kill(worker)
        gateway.stop()
