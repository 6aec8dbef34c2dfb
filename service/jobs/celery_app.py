"""The Celery worker's application: the broker's configuration (``service.jobs.broker``) with
three tasks: the job, which runs the same job code as the in-process executor (``run_job``),
one independent part of a job's solve (``service.jobs.fanout``, on the parts queue) and one
region of a connected programme's search (``service.jobs.region_search``, on the parts queue).

Start a worker with ``modulplan worker`` (reads DATABASE_URL, REDIS_URL). The API's reaper
re-queues jobs whose whole worker machine vanished. For the celery command line:
``celery -A service.jobs.celery_app inspect ping``.
"""

from __future__ import annotations

from celery import Celery, Task

from service.config import DEFAULTS, database_url, from_environment
from service.jobs.broker import SOLVE_TASK, make_celery
from service.jobs.fanout import parts_queue, register_part_task
from service.jobs.region_search import register_region_task
from service.jobs.runner import Settings, run_job
from service.store.db import Database

_app: Celery | None = None
_state: tuple[Database, Settings] | None = None


def make_worker_app(redis_url: str | None = None) -> Celery:
    """A Celery app with the solve task and the part task (``service.jobs.fanout``) registered
    (what a worker runs)."""
    app = make_celery(redis_url)
    config = dict(DEFAULTS, **from_environment())
    register_part_task(app, float(config["JOB_MEMORY_MB"]))
    register_region_task(app, float(config["JOB_MEMORY_MB"]))

    @app.task(name=SOLVE_TASK, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def solve_job(self: Task, job_id: str) -> str:
        db, settings = worker_state()
        fanout = {"redis_url": str(app.conf.broker_url), "queue": parts_queue(app.conf.task_default_queue),
                  "home": str(self.request.hostname or "job")}
        state = run_job(db, job_id, settings, fanout=fanout)
        if state == "busy":  # another worker's heartbeat is still fresh: look again when it may be stale
            raise self.retry(countdown=max(1.0, settings.heartbeat_stale / 2))
        return state

    return app


def worker_state() -> tuple[Database, Settings]:
    """The worker's database (migrated) and job settings, made once per process."""
    global _state
    if _state is None:
        config = dict(DEFAULTS, **from_environment())
        db = Database(database_url(config["DATABASE_URL"]))
        db.upgrade()
        _state = (db, Settings.from_config(config))
    return _state


def get_app() -> Celery:
    global _app
    if _app is None:
        _app = make_worker_app()
    return _app


#: for the celery command line: ``celery -A service.jobs.celery_app inspect ping``
celery = get_app()
