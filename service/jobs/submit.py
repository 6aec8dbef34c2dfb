"""Submitting a solve job: the one place where a solve's options are checked against the
service's limits, the job row is stored and the job handed to the executor. Both a solve
(``POST /scenarios/<id>/solve``) and a what-if re-plan (``POST /scenarios/<id>/replan``)
come through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from service.jobs.executors import Executor
from service.problems import problem
from service.store.db import Database, JobRow


def solve_options(options: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """A job's stored options from a request's (``time_limit``, ``workers``, ``random_seed``;
    the configured defaults filled in). A time limit or worker count beyond the service's
    limits is a 422 naming the field."""
    opts = {"time_limit": float(options.get("time_limit", config["DEFAULT_TIME_LIMIT"])),
            "workers": int(options.get("workers", config["DEFAULT_WORKERS"])),
            "random_seed": int(options.get("random_seed", 0))}
    if opts["time_limit"] > config["MAX_TIME_LIMIT"]:
        raise problem(422, "Invalid request", f"time_limit is at most {config['MAX_TIME_LIMIT']:g} s here",
                      errors=[{"path": "$.time_limit", "message": f"must be at most {config['MAX_TIME_LIMIT']:g}"}])
    if opts["workers"] > config["MAX_WORKERS"]:
        raise problem(422, "Invalid request", f"workers is at most {config['MAX_WORKERS']} here",
                      errors=[{"path": "$.workers", "message": f"must be at most {config['MAX_WORKERS']}"}])
    return opts


def replan_options(baseline_schedule_id: str, freeze_until: date | None, move_weight: float | None) -> dict[str, Any]:
    """A re-plan job's options beyond a solve's: the baseline schedule, the freeze date and the
    weight of a moved session (read back by ``service.jobs.runner.replan_arguments``)."""
    return {"baseline_schedule_id": baseline_schedule_id,
            "freeze_until": freeze_until.isoformat() if freeze_until else None,
            "move_weight": move_weight}


def submit_job(db: Database, executor: Executor, *, scenario_id: str, options: dict[str, Any],
               created_by: str | None) -> JobRow:
    """Store a queued job for this scenario and hand it to the executor; returns the job row."""
    job = JobRow(scenario_id=scenario_id, state="queued", options=options, attempts=0, cancel_requested=False,
                 created_by=created_by)
    with db.Session.begin() as s:
        s.add(job)
    executor.submit(job.id)
    return job
