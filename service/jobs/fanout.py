"""Independent parts of one solve, fanned out over the Celery workers (issue 16).

A programme made of independent parts (no shared person or resource:
``scheduler.solve.parts.split_scenario``) is solved part by part and the schedules merged
(``solve_in_parts``). With Celery configured (``REDIS_URL``) a job's solve passes
``CeleryPartRunner`` as the parts' runner (``SolveParams.part_runner``): each part but one goes
to the workers as a ``modulplan.solve_part`` task on the parts queue, and the job's own process
solves the biggest part itself.

* **Queue and deadlock.** A job task waits for its parts, so parts must never wait behind
  jobs: ``solve_part`` has a queue of its own (``<job queue>.parts``) that ``modulplan worker``
  consumes besides the job queue (``--queues``). That alone does not help a single worker whose
  only slot holds the job, hence the second half: the job keeps one part at home, and a part no
  worker has started within ``start_wait`` seconds is taken back (revoked) and solved at home
  too. So a solve always advances, with one worker or with none free.
* **Progress, cancel, time limit.** The task reports through its state (``update_state``,
  state ``PROGRESS``: its worker, a beat counter, the part's latest progress tuple), which the
  runner polls and passes on. Cancel: the runner sets a Redis key the task watches; the part
  stops and returns its best schedule. The part has the job's time budget; a part that has not
  answered some seconds after it is asked to stop is given up.
* **A worker that dies.** A started part whose beat stops for ``stale`` seconds (its worker was
  killed) or whose task failed is revoked and solved again in the job's process for the time
  left, so the solve is never lost. A part's message expires a minute after its time limit, so
  Redis's redelivery of a dead worker's message (after the visibility timeout) finds nothing to
  do: the job has redone the part long before.

Each part's schedule names who solved it (``x-part.worker``); the job records the list in its
final progress as ``parts_workers``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import Any

from celery import Celery, Task

from service.jobs.child import ChildFailed, ChildLimits, run_in_child

log = logging.getLogger("modulplan.service.fanout")

#: the part task: solve one independent part's scenario document, return its schedule
PART_TASK = "modulplan.solve_part"
CANCEL_PREFIX = "modulplan:part-cancel:"
BEAT_SECONDS = 0.5  # how often a running part writes its state
POLL_SECONDS = 0.2  # how often the job looks at its parts


def parts_queue(job_queue: str | None = None) -> str:
    """The queue of part tasks: ``MODULPLAN_PARTS_QUEUE``, else ``<job queue>.parts``."""
    job_queue = job_queue or os.environ.get("MODULPLAN_QUEUE", "modulplan")
    return os.environ.get("MODULPLAN_PARTS_QUEUE") or f"{job_queue}.parts"


def register_part_task(app: Celery, memory_mb: float) -> None:
    """Register ``modulplan.solve_part`` in a worker's app. The part is solved in a child
    process (``service.jobs.child``: memory and wall-clock limits, cancel), like a job."""

    @app.task(name=PART_TASK, bind=True, acks_late=True, reject_on_worker_lost=False, ignore_result=False)
    def solve_part_task(self: Task, scenario: dict, params: dict, index: int, cancel_key: str) -> dict:
        worker, task_id = str(self.request.hostname or "worker"), self.request.id  # the request is per thread
        log.info("part %d of a solve (%d action plans) on %s", index, len(scenario.get("action_plans", [])), worker)
        cancel = threading.Event()
        stopped = threading.Event()
        latest: dict[str, Any] = {"worker": worker, "beat": 0, "progress": None}
        redis = _redis(app)

        def beat() -> None:  # the only thread that writes the task's state while it runs
            while not stopped.is_set():
                latest["beat"] += 1
                try:
                    self.update_state(task_id=task_id, state="PROGRESS", meta=dict(latest))
                    if redis.exists(cancel_key):
                        cancel.set()
                except Exception:  # noqa: BLE001 - a lost beat: the next one retries
                    log.exception("part %d: its state could not be written", index)
                stopped.wait(BEAT_SECONDS)

        def on_message(item: Any) -> None:
            latest["progress"] = list(item)

        beater = threading.Thread(target=beat, daemon=True, name=f"part-{index}-beat")
        beater.start()
        limits = ChildLimits(memory_mb=memory_mb, wall_seconds=float(params.get("time_limit", 60.0)) + 30.0)
        try:
            schedule = run_in_child(solve_part_in_child, (scenario, params, index), limits=limits, cancel=cancel,
                                    on_message=on_message, what=f"part {index} of the solve")
        except ChildFailed as exc:
            log.warning("part %d on %s failed: %s", index, worker, exc)
            raise
        finally:
            stopped.set()
            beater.join(5)
            redis.close()
        schedule.setdefault("x-part", {})["worker"] = worker
        log.info("part %d solved on %s: objective %s", index, worker, schedule.get("objective"))
        return schedule


def solve_part_in_child(scenario: dict, params: dict, index: int, *, send, cancel) -> dict:
    """In the part's child process: the product's solve of one part (``scheduler.solve.parts``)."""
    from scheduler.solve.parts import solve_part  # OR-Tools: preloaded in the child's forkserver only

    class _Progress:
        def put(self, item: tuple) -> None:
            send(item)

    return solve_part(scenario, params, _Progress(), index, cancel_event=cancel)


def _redis(app: Celery):
    """A Redis client on the app's broker (the cancel keys)."""
    import redis

    return redis.Redis.from_url(str(app.conf.broker_url))


class CeleryPartRunner:
    """The parts' runner for ``solve_in_parts`` when Celery is configured: the biggest part is
    kept at home (returns None: solved by a local process), every other one is sent as a
    ``solve_part`` task and watched (module docstring). ``cancel`` is the job's cancel event."""

    parts_at_once = True

    def __init__(self, redis_url: str, queue: str, *, cancel: threading.Event | None = None,
                 stale: float | None = None, start_wait: float | None = None, grace: float = 10.0):
        self.redis_url, self.queue, self.cancel = redis_url, queue, cancel
        self.stale = stale if stale is not None else float(os.environ.get("MODULPLAN_PART_STALE", "6"))
        self.start_wait = start_wait
        self.grace = grace
        self.kept_home = False
        self.redone: set[int] = set()  # parts sent out and then solved here (their worker failed them)
        self.lock = threading.Lock()
        self._app: Celery | None = None

    def app(self) -> Celery:
        with self.lock:
            if self._app is None:
                from service.jobs.broker import make_celery

                self._app = make_celery(self.redis_url)
            return self._app

    def __call__(self, part, params: dict, report) -> dict | None:
        with self.lock:  # parts come biggest first: the first one stays at home
            home, self.kept_home = not self.kept_home, True
        if home:
            return None
        try:
            schedule = self._remote(part, params, report)
        except Exception:  # noqa: BLE001 - the broker or backend failed: the part is solved here
            log.exception("part %d could not be run by the workers; solved here", part.index)
            schedule = None
        if schedule is None:
            with self.lock:
                self.redone.add(part.index)
        return schedule

    def parts_workers(self, parts: list[dict], home: str) -> list[dict]:
        """Who solved each part (``SolveResult.stats["parts"]``): a worker's node name, or
        ``home`` (the job's worker) for a part kept or redone there."""
        return [{"part": p["index"], "worker": p.get("worker") or home, "redone": p["index"] in self.redone}
                for p in parts]

    def _remote(self, part, params: dict, report) -> dict | None:
        app = self.app()
        task_id = str(uuid.uuid4())
        cancel_key = CANCEL_PREFIX + task_id
        time_limit = float(params.get("time_limit", 60.0))
        start_wait = self.start_wait if self.start_wait is not None else max(5.0, 0.25 * time_limit)
        sent = time.monotonic()
        result = app.send_task(PART_TASK, args=[part.scenario, params, part.index, cancel_key], task_id=task_id,
                               queue=self.queue, expires=time_limit + 60.0)
        redis = _redis(app)
        beat, beat_seen, started, stop_asked = None, sent, None, None
        try:
            while True:
                now = time.monotonic()
                meta = app.backend.get_task_meta(task_id)  # one read: the state and its payload together
                state, info = meta.get("status"), meta.get("result")
                if state == "SUCCESS":
                    return dict(info)
                if state in ("FAILURE", "REVOKED"):
                    log.warning("part %d failed on the workers (%s: %s); solved here", part.index, state, info)
                    return None
                if state == "PROGRESS" and isinstance(info, dict):
                    if info.get("beat") != beat:
                        beat, beat_seen = info.get("beat"), now
                        started = started or now
                        if info.get("progress"):
                            report(tuple(info["progress"]))
                if started is None and now - sent > start_wait:
                    log.warning("part %d: no worker took it within %.0f s; solved here", part.index, start_wait)
                    return None
                if started is not None and now - beat_seen > self.stale:
                    log.warning("part %d: its worker %s stopped answering; solved here", part.index,
                                (info or {}).get("worker") if isinstance(info, dict) else None)
                    return None
                if stop_asked is None and ((self.cancel is not None and self.cancel.is_set())
                                           or now - sent > time_limit + self.grace):
                    redis.set(cancel_key, "1", ex=3600)
                    stop_asked = now
                if stop_asked is not None and now - stop_asked > self.grace:
                    log.warning("part %d did not stop when asked; solved here", part.index)
                    return None
                time.sleep(POLL_SECONDS)
        finally:
            if app.backend.get_task_meta(task_id).get("status") != "SUCCESS":
                result.revoke()  # a late start finds it revoked; its part is being solved here
            result.forget()
            redis.delete(cancel_key)
            redis.close()
