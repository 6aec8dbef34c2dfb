"""Celery: Redis as broker, one task that runs the same job code as the in-process executor.

``acks_late`` + ``reject_on_worker_lost``: a job whose worker process dies is delivered
again; the job row's claim decides whether it runs again (its heartbeat stopped) or fails
with the reason after ``MAX_ATTEMPTS``. The API's reaper re-queues jobs whose whole worker
machine vanished. Start a worker with ``modulplan worker`` (reads DATABASE_URL, REDIS_URL).
"""

from __future__ import annotations

import os

from celery import Celery

_app: Celery | None = None


def make_celery(redis_url: str | None = None) -> Celery:
    redis_url = redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    app = Celery("modulplan", broker=redis_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": int(os.environ.get("MODULPLAN_VISIBILITY_TIMEOUT", "3600"))},
        worker_hijack_root_logger=False,
        task_default_queue=os.environ.get("MODULPLAN_QUEUE", "modulplan"),
    )

    @app.task(name="modulplan.solve_job", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def solve_job(self, job_id: str) -> str:
        db, settings = _worker_state()
        from service.jobs import run_job

        state = run_job(db, job_id, settings)
        if state == "busy":  # another worker's heartbeat is still fresh: look again when it may be stale
            raise self.retry(countdown=max(1.0, settings.heartbeat_stale / 2))
        return state

    return app


_state = None


def _worker_state():
    global _state
    if _state is None:
        from service.config import DEFAULTS, database_url, from_environment
        from service.jobs import Settings
        from service.store.db import Database

        config = dict(DEFAULTS, **from_environment())
        db = Database(database_url(config["DATABASE_URL"]))
        db.upgrade()
        _state = (db, Settings.from_config(config))
    return _state


def get_app() -> Celery:
    global _app
    if _app is None:
        _app = make_celery()
    return _app


#: for the celery command line: ``celery -A service.jobs.celery_app inspect ping``
celery = get_app()
