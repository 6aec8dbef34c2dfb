"""Running one solve job: the one piece of job code, run by the in-process executor or a
Celery worker (``service.jobs.executors``, ``service.jobs.celery_app``).

A job row moves queued -> running -> succeeded | failed | cancelled. Claiming is a
conditional UPDATE, so a job runs once however often it is delivered. While it runs, a
heartbeat thread writes the progress (throttled) and the heartbeat, and reads the
cancel flag. A running job whose heartbeat stops (its process died) is re-queued by the
reaper until it has run ``MAX_ATTEMPTS`` times, then failed with the reason.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from scheduler.format import ScenarioInvalid, load_scenario
from service.jobs.child import ChildFailed, ChildLimits, run_in_child
from service.store import store_draft
from service.store.db import Database, JobRow, ScenarioRow, ScheduleRow, utcnow

log = logging.getLogger("modulplan.service.jobs")

STATES = ("queued", "running", "succeeded", "failed", "cancelled")
DONE = ("succeeded", "failed", "cancelled")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Settings:
    """The job-related settings (a plain object: the worker has no Flask app)."""

    def __init__(self, progress_interval=1.0, heartbeat_stale=30.0, max_attempts=2, validate=True,
                 memory_mb=6000.0, queued_grace=60.0, max_sends=3):
        self.progress_interval = progress_interval
        self.heartbeat_stale = heartbeat_stale
        self.max_attempts = max_attempts
        self.validate = validate
        self.memory_mb = memory_mb  # one job's solve process and its children (service/jobs/child.py)
        self.queued_grace = queued_grace  # seconds before a queued job missing from the broker is sent again
        self.max_sends = max_sends

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(config["PROGRESS_INTERVAL"], config["HEARTBEAT_STALE"], config["MAX_ATTEMPTS"],
                   config["VALIDATE_SCHEDULES"], config["JOB_MEMORY_MB"], config["QUEUED_GRACE"])


def claim(db: Database, job_id: str, settings: Settings) -> str:
    """Try to take the job. Returns 'claimed', 'busy' (another live worker has it) or its final state."""
    now = utcnow()
    stale = now - timedelta(seconds=settings.heartbeat_stale)
    with db.write_lock, db.Session.begin() as s:
        job = s.get(JobRow, job_id)
        if job is None:
            return "missing"
        if job.state in DONE:
            return job.state
        if job.cancel_requested:
            job.state, job.finished_at, job.error = "cancelled", now, None
            return "cancelled"
        if job.state == "running" and job.heartbeat_at and job.heartbeat_at > stale:
            return "busy"
        if job.state == "running" and job.attempts >= settings.max_attempts:
            job.state, job.finished_at = "failed", now
            log.warning("job %s failed: its worker %s stopped, %d attempts", job_id, job.worker, job.attempts)
            job.error = f"the worker running this job stopped; it was tried {job.attempts} times"
            return "failed"
        res = cast(CursorResult[Any], s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == job.state,
                                             JobRow.attempts == job.attempts)
                        .values(state="running", attempts=job.attempts + 1, started_at=now, heartbeat_at=now,
                                worker=worker_name(), error=None)))
        return "claimed" if res.rowcount == 1 else "busy"


def _finish(db: Database, job_id: str, **values) -> None:
    with db.write_lock, db.Session.begin() as s:
        s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "running")
                  .values(finished_at=utcnow(), **values))


class _Heartbeat(threading.Thread):
    """Writes progress and heartbeat every ``interval`` seconds; sets ``cancel`` when asked."""

    def __init__(self, db: Database, job_id: str, interval: float, cancel: threading.Event):
        super().__init__(daemon=True, name=f"heartbeat-{job_id[:8]}")
        self.db, self.job_id, self.interval, self.cancel = db, job_id, interval, cancel
        self.latest: dict | None = None
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.beat()

    def beat(self) -> None:
        try:
            with self.db.write_lock, self.db.Session.begin() as s:
                values: dict[str, Any] = {"heartbeat_at": utcnow()}
                if self.latest is not None:
                    values["progress"] = dict(self.latest)
                s.execute(update(JobRow).where(JobRow.id == self.job_id, JobRow.state == "running").values(**values))
                if s.scalar(select(JobRow.cancel_requested).where(JobRow.id == self.job_id)):
                    self.cancel.set()
        except Exception:  # a lost beat is not fatal; the next one retries
            log.exception("heartbeat of job %s failed", self.job_id)


def run_job(db: Database, job_id: str, settings: Settings, *, cancel: threading.Event | None = None,
            on_claimed: Callable[[], None] | None = None, fanout: dict | None = None) -> str:
    """Run one solve job to its end; returns the job's state afterwards ('busy': not ours to run).
    ``fanout`` (a Celery worker's job: ``redis_url``, ``queue``, ``home``): independent parts of
    the programme go to the workers as tasks (``service.jobs.fanout``)."""
    from scheduler.solve import SolveParams  # OR-Tools: loaded when a job runs, not when the API starts

    state = claim(db, job_id, settings)
    if state != "claimed":
        return state
    if on_claimed:
        on_claimed()
    cancel = cancel or threading.Event()
    hb = _Heartbeat(db, job_id, settings.progress_interval, cancel)
    with db.Session() as s:
        job = s.get(JobRow, job_id)
        scenario_row = s.get(ScenarioRow, job.scenario_id) if job is not None else None
        options = dict(job.options or {}) if job is not None else {}
    if scenario_row is None:  # the claim found the job; its scenario is never deleted, but say so if it were
        _finish(db, job_id, state="failed", error="the job's scenario is no longer stored")
        return "failed"
    hb.start()
    try:
        try:
            data = load_scenario(scenario_row.document)
        except ScenarioInvalid as exc:  # stored scenarios were valid; a newer rule may disagree
            _finish(db, job_id, state="failed", error=f"the scenario is no longer valid: {exc}")
            return "failed"

        history: list = []  # [elapsed, objective, bound] at each change: the board draws it (issue 8)

        def on_progress(p) -> None:
            hb.latest = {"phase": p.phase, "elapsed": round(p.elapsed, 3), "objective": p.objective,
                         "bound": p.bound, "sessions_placed": p.sessions_placed, "sessions_total": p.sessions_total,
                         "history": record_history(history, p)}

        params = SolveParams(time_limit=float(options.get("time_limit", 60.0)), workers=int(options.get("workers", 1)),
                             random_seed=int(options.get("random_seed", 0)))
        replan = replan_arguments(db, options)  # a what-if re-plan against a stored baseline (issue 5)
        limits = ChildLimits(memory_mb=settings.memory_mb,
                             wall_seconds=params.time_limit + max(30.0, 0.25 * params.time_limit))
        try:
            outcome = run_in_child(solve_in_child, (data, params, replan, settings.validate, fanout), limits=limits,
                                   cancel=cancel, on_message=on_progress)
        except ChildFailed as exc:  # memory, time, a crash: failed with the reason, never re-run into it
            if exc.reason == "cancelled":
                _finish(db, job_id, state="cancelled", progress=hb.latest)
                return "cancelled"
            log.warning("job %s failed: %s (%s)", job_id, exc, exc.reason)
            _finish(db, job_id, state="failed", progress=hb.latest, error=str(exc))
            return "failed"
        if cancel.is_set():
            _finish(db, job_id, state="cancelled", progress=hb.latest)
            return "cancelled"
        if "invalid" in outcome:  # the baseline does not fit the scenario (frozen sessions)
            _finish(db, job_id, state="failed", progress=hb.latest,
                    error=f"the baseline does not fit: {outcome['invalid']}")
            return "failed"
        if outcome["violations"]:
            _finish(db, job_id, state="failed", progress=hb.latest,
                    error="the solver's schedule failed the independent check: " + "; ".join(outcome["violations"]))
            return "failed"
        schedule = outcome["schedule"]
        row = store_draft(db, scenario_row=scenario_row, schedule=schedule, job_id=job_id)  # published on request only
        final = dict(hb.latest or {}, phase="done", objective=outcome["objective"], bound=outcome["bound"],
                     sessions_placed=schedule["kpis"]["sessions_scheduled"],
                     sessions_total=schedule["kpis"]["sessions_total"])
        if outcome.get("parts_workers"):  # the parts fanned out: who solved which (issue 16)
            final["parts_workers"] = outcome["parts_workers"]
        if outcome.get("search_workers"):  # the search spread over the workers: who took part, round by round
            final["search_workers"] = outcome["search_workers"]
        _finish(db, job_id, state="succeeded", schedule_id=row.id, progress=final)
        return "succeeded"
    except Exception:
        log.exception("job %s failed", job_id)  # the details stay in the log, not in the answer
        _finish(db, job_id, state="failed", progress=hb.latest,
                error=f"an internal error stopped this solve; it is logged under job {job_id}")
        return "failed"
    finally:
        hb.stopped.set()


def solve_in_child(data: dict, params, replan: dict, validate: bool, fanout: dict | None = None, *, send,
                   cancel) -> dict:
    """A job's solve (and the independent check of its schedule), in the job's child process
    (``service.jobs.child``): the schedule, objective, bound and the violations found, if any.
    With ``fanout`` the independent parts go to the Celery workers (``service.jobs.fanout``), and
    a connected programme's search is spread over them (``service.jobs.region_search``)."""
    from dataclasses import replace

    from scheduler.solve import solve_scenario  # OR-Tools: preloaded in the child's forkserver only

    runner = regions = None
    if fanout:
        from service.jobs.fanout import CeleryPartRunner
        from service.jobs.region_search import CeleryRegionRunner

        runner = CeleryPartRunner(fanout["redis_url"], fanout["queue"], cancel=cancel)
        regions = CeleryRegionRunner(fanout["redis_url"], fanout["queue"], data, cancel=cancel)
        params = replace(params, part_runner=runner, search_runner=regions)
    try:
        result = solve_scenario(data, params, on_progress=send, cancel=cancel, **replan)
    except ScenarioInvalid as exc:
        return {"invalid": str(exc)}
    violations = []
    if validate and not cancel.is_set():
        from scheduler.validate import validate as check  # preloaded in the child's forkserver only

        report = check(data, result.schedule, baseline=replan.get("baseline"))
        violations = [str(v.message) for v in report.violations[:5]]
    outcome = {"schedule": result.schedule, "objective": result.objective, "bound": result.bound,
               "violations": violations}
    if runner is not None and result.stats.get("mode") == "parts":
        outcome["parts_workers"] = runner.parts_workers(result.stats["parts"], (fanout or {}).get("home") or "job")
    if regions is not None and result.stats.get("search_workers"):
        outcome["search_workers"] = regions.search_workers(result.stats["search_workers"],
                                                           (fanout or {}).get("home") or "job")
    return outcome


def record_history(history: list, p, limit: int = 240) -> list:
    """Add a progress report to ``history`` ([elapsed, objective, bound] lists) when the objective
    or bound changed; beyond ``limit`` points every second one is dropped (first and last kept).
    Returns a copy to store with the progress."""
    point = [round(p.elapsed, 3), p.objective, p.bound]
    if p.objective is None and p.bound is None:
        return list(history)
    if not history or history[-1][1:] != point[1:]:
        history.append(point)
    if len(history) > limit:
        history[:] = history[:-1:2] + history[-1:]
    return list(history)


def replan_arguments(db: Database, options: dict) -> dict:
    """solve_scenario's re-plan arguments from a job's options (``baseline_schedule_id``,
    ``freeze_until``, ``move_weight``); empty for an ordinary solve."""
    if not options.get("baseline_schedule_id"):
        return {}
    with db.Session() as s:
        row = s.get(ScheduleRow, options["baseline_schedule_id"])
    if row is None:  # checked when the job was submitted; a failed job (logged) if it has gone since
        raise LookupError(f"the baseline schedule {options['baseline_schedule_id']} is no longer stored")
    freeze = options.get("freeze_until")
    return {"baseline": row.document, "freeze_until": date.fromisoformat(freeze) if freeze else None,
            "move_weight": options.get("move_weight")}


def reap(db: Database, settings: Settings) -> list[str]:
    """Running jobs whose heartbeat stopped: back to queued (or failed after MAX_ATTEMPTS).
    Returns the ids of the jobs put back in the queue (the caller enqueues them)."""
    stale = utcnow() - timedelta(seconds=settings.heartbeat_stale)
    requeued = []
    with db.write_lock, db.Session.begin() as s:
        for job in s.scalars(select(JobRow).where(JobRow.state == "running", JobRow.heartbeat_at < stale)):
            if job.cancel_requested:
                job.state, job.finished_at = "cancelled", utcnow()
            elif job.attempts >= settings.max_attempts:
                job.state, job.finished_at = "failed", utcnow()
                job.error = f"the worker running this job stopped and it was tried {job.attempts} times"
                log.warning("job %s failed: its worker %s stopped, %d attempts", job.id, job.worker, job.attempts)
            else:
                job.state = "queued"
                job.error = "re-queued: the worker running it stopped"
                log.warning("job %s re-queued: its worker %s stopped", job.id, job.worker)
                requeued.append(job.id)
    return requeued


def lost_queued_jobs(db: Database, settings: Settings, pending: set[str] | None) -> list[str]:
    """Queued jobs whose message the broker no longer holds (``pending``: the job ids in the
    broker's queue or taken by a worker; None when the executor cannot tell): sent again, up
    to ``MAX_SENDS`` times, then failed with the reason. A job is judged only after
    ``QUEUED_GRACE`` seconds (a message being delivered is in neither place for a moment)."""
    if pending is None:
        return []
    now = utcnow()
    grace = now - timedelta(seconds=settings.queued_grace)
    resend = []
    with db.write_lock, db.Session.begin() as s:
        for job in s.scalars(select(JobRow).where(JobRow.state == "queued")):
            if job.id in pending or (job.sent_at or job.created_at) > grace:
                continue
            if job.cancel_requested:
                job.state, job.finished_at = "cancelled", now
            elif job.sends >= settings.max_sends:
                job.state, job.finished_at = "failed", now
                job.error = f"no worker received this job; it was sent {job.sends} times"
                log.warning("job %s failed: its message was lost %d times", job.id, job.sends)
            else:
                job.sends, job.sent_at = job.sends + 1, now
                job.error = "sent to the workers again: the first message was lost"
                log.warning("job %s sent again: the broker no longer held its message", job.id)
                resend.append(job.id)
    return resend


def queued_job_ids(db: Database) -> list[str]:
    with db.Session() as s:
        return list(s.scalars(select(JobRow.id).where(JobRow.state == "queued").order_by(JobRow.created_at)))

