"""Running the background tasks in a test: the database backend's own worker, and PDF downloads that
wait for it the way a browser does (the waiting page, then the same address again)."""

from __future__ import annotations

from django.db import transaction
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_worker() -> int:
    """Run every queued task with the database backend's worker (claim, run, record the result, as
    ``manage.py db_worker --batch`` does), in this process; returns how many ran.

    The worker's own loop is not used: between tasks it closes database connections that are inside a
    transaction, which would end the test's transaction on PostgreSQL.
    """
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    ran = 0
    while True:
        with transaction.atomic():
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1


def queued(task_name: str = "") -> int:
    """How many tasks wait for the worker (those whose path ends with ``task_name``)."""
    return sum(1 for path in DBTaskResult.objects.ready().values_list("task_path", flat=True)
               if path.endswith(task_name))


def get(client, url: str, **kwargs):
    """A GET whose on-commit callbacks (queueing a render) run, as they do after a real request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(url, **kwargs)


def download(client, url: str):
    """What the browser ends with: the waiting page, the worker renders, the address again."""
    response = get(client, url)
    if response.status_code == 202:
        run_worker()
        response = get(client, url)
    return response


def content(response) -> bytes:
    """The body of a streamed or plain response."""
    return b"".join(response.streaming_content) if response.streaming else response.content
