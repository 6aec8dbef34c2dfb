"""The Celery application's configuration: Redis as broker, late acknowledgement.

``acks_late`` + ``reject_on_worker_lost``: a job whose worker process dies is delivered
again; the job row's claim decides whether it runs again (its heartbeat stopped) or fails
with the reason after ``MAX_ATTEMPTS``. The API only sends the ``modulplan.solve_job`` task
by name (``service.jobs.executors.CeleryExecutor``); the worker's app, with the task
registered, is ``service.jobs.celery_app``. Redis is also the result backend, used only by the
parts of a solve that fan out over the workers (``service.jobs.fanout``).
"""

from __future__ import annotations

import os

from celery import Celery

#: the one task: run the solve job with this id (service.jobs.celery_app registers it)
SOLVE_TASK = "modulplan.solve_job"


def make_celery(redis_url: str | None = None) -> Celery:
    redis_url = redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    app = Celery("modulplan", broker=redis_url, backend=redis_url)  # results: only the parts' (service.jobs.fanout)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": int(os.environ.get("MODULPLAN_VISIBILITY_TIMEOUT", "3600"))},
        worker_hijack_root_logger=False,
        task_default_queue=os.environ.get("MODULPLAN_QUEUE", "modulplan"),
    )
    return app
