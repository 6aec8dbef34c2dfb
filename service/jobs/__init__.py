"""Solve jobs: submitting them (``submit``), running one (``runner``: claim, heartbeat, the
solve in a child process, the reaper's passes), who runs them (``executors``: in-process
threads or Celery workers), the Celery worker's app (``celery_app``, ``broker``) and the fan-out
of a solve's independent parts over the workers (``fanout``).

A job row moves queued -> running -> succeeded | failed | cancelled. Claiming is a
conditional UPDATE, so a job runs once however often it is delivered. While it runs, a
heartbeat thread writes the progress (throttled) and the heartbeat, and reads the
cancel flag. A running job whose heartbeat stops (its process died) is re-queued by the
reaper until it has run ``MAX_ATTEMPTS`` times, then failed with the reason.

This package's ``__init__`` only re-exports; its modules import each other directly.
"""

from __future__ import annotations

from service.jobs.executors import Background, CeleryExecutor, Executor, InProcessExecutor, NoExecutor
from service.jobs.runner import (
    DONE,
    STATES,
    Settings,
    claim,
    lost_queued_jobs,
    queued_job_ids,
    reap,
    record_history,
    replan_arguments,
    run_job,
    solve_in_child,
    worker_name,
)
from service.jobs.submit import replan_options, solve_options, submit_job

__all__ = ["DONE", "STATES", "Background", "CeleryExecutor", "Executor", "InProcessExecutor", "NoExecutor",
           "Settings", "claim", "lost_queued_jobs", "queued_job_ids", "reap", "record_history", "replan_arguments",
           "replan_options", "run_job", "solve_in_child", "solve_options", "submit_job", "worker_name"]
