from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from sqlalchemy import select, update

from service.auth import WRITE_ROLES, require
from service.problems import problem
from service.schemas import JobSchema, ListQuerySchema
from service.store.db import JobRow, utcnow
from service.views.common import db, state

blp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs", description="Solve jobs")


def job_dict(job: JobRow) -> dict:
    links = {"self": url_for("jobs.job", job=job.id), "cancel": url_for("jobs.cancel", job=job.id),
             "scenario": url_for("scenarios.scenario", scenario=job.scenario_id)}
    if job.schedule_id:
        links["schedule"] = url_for("schedules.schedule", schedule=job.schedule_id)
    return {"id": job.id, "scenario": job.scenario_id, "state": job.state, "options": job.options,
            "progress": job.progress, "schedule_id": job.schedule_id, "error": job.error, "attempts": job.attempts,
            "cancel_requested": job.cancel_requested, "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at, "links": links}


def _load(job: str) -> JobRow:
    with db().Session() as s:
        row = s.get(JobRow, job) if len(job) <= 64 else None
    if row is None:
        raise problem(404, "Not Found", f"there is no job {job}")
    return row


@blp.route("", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query", as_kwargs=True)
@blp.response(200, JobSchema(many=True))
def list_(limit: int, offset: int):
    """Jobs, newest first."""
    require(*WRITE_ROLES)
    with db().Session() as s:
        rows = s.scalars(select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).limit(limit).offset(offset))
        return [job_dict(j) for j in rows]


@blp.route("/<job>", methods=["GET"], endpoint="job")
@blp.response(200, JobSchema)
def get(job: str):
    """A job's state, live progress (elapsed, objective, bound, sessions placed) and, when done, its schedule."""
    require(*WRITE_ROLES)
    return job_dict(_load(job))


@blp.route("/<job>/cancel", methods=["POST"], endpoint="cancel")
@blp.response(202, JobSchema)
def cancel(job: str):
    """Cancel a job: a queued job is cancelled at once, a running one stops within about a second."""
    require(*WRITE_ROLES)
    row = _load(job)
    if row.state in ("succeeded", "failed", "cancelled"):
        done = row.state if row.state != "cancelled" else "been cancelled"
        raise problem(409, "Conflict", f"job {job} has already {done}")
    d = db()
    with d.write_lock, d.Session.begin() as s:
        s.execute(update(JobRow).where(JobRow.id == job, JobRow.state == "queued")
                  .values(state="cancelled", cancel_requested=True, finished_at=utcnow()))
        s.execute(update(JobRow).where(JobRow.id == job, JobRow.state == "running").values(cancel_requested=True))
    state().executor.cancel(job)
    return job_dict(_load(job))
