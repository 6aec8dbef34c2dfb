"""A connected programme's search spread over the Celery workers (issue 16).

A programme that is one part (its plans share trainers, rooms or teams) cannot be split; its
search can. With Celery configured (``REDIS_URL``) a job's solve passes ``CeleryRegionRunner``
as the search's runner (``SolveParams.search_runner``). The search then runs in rounds
(``scheduler.search.engine._improve_over_workers``): each round the job's process (the
coordinator) cuts the schedule into regions (whole cohort pools, neighbours by site), keeps
one and sends every other one to the workers as a ``modulplan.improve_region`` task on the
parts queue; each worker improves its region of the same schedule, the coordinator merges
what comes back (``scheduler.search.regions.merge_results``) and the merged schedule starts
the next round.

* **The scenario once per job.** The runner puts the scenario document in Redis under its
  hash (``modulplan:search-doc:<sha256>``, kept for the job's time limit and an hour); a task
  carries only the hash and the round's schedule (cohorts, placement rows). A worker reads the
  document once and keeps it prepared in its search host (``search_host.py``) for the next
  rounds; at the start of a solve the runner sends a warm-up task per worker so that the
  workers prepare the scenario while the job's process does.
* **How many workers.** One region per other live worker (a Celery ping; the job's own worker
  answers too), at most ``MODULPLAN_SEARCH_WORKERS`` when that is set. With no other worker
  the search stays in the job's process as without Redis.
* **Time limit, cancel, a worker that dies.** A region's search ends where the round does
  (an absolute time); the runner waits for the answers until then and a grace of
  ``MODULPLAN_REGION_GRACE`` seconds (2), then revokes what has not answered: a worker that
  died, is busy with another job or is late is simply left out of that round (its region stays
  as it was) and the schedule so far is never lost. A cancel sets a Redis key the task
  watches: the region's search stops and answers with its best. Messages expire a minute after
  their round, so a dead worker's message redelivered later does nothing.
* **Visible.** Each worker logs ``region N of a search (K cohorts) on <node>`` and ``region N
  improved on <node>``; the finished job's progress lists each round's workers:
  ``"search_workers": [{"round": 1, "workers": ["w0@host", "w1@host"], "dropped": 0,
  "merged": 1}, ...]`` (the job's own worker first).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import uuid
from typing import Any

from celery import Celery, Task

from service.jobs.fanout import CANCEL_PREFIX, _redis
from service.jobs.search_host import HostFailed, host

log = logging.getLogger("modulplan.service.region_search")

#: the region task: improve one region of a round's schedule, return its placement rows
REGION_TASK = "modulplan.improve_region"
DOC_PREFIX = "modulplan:search-doc:"
BEAT_SECONDS = 0.5
POLL_SECONDS = 0.2
MAX_SEARCHES = 15  # regions sent out per round at most (more workers than that take turns)


def document_hash(document: dict) -> str:
    """The name the scenario document is kept under (sha-256 of its canonical JSON)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def register_region_task(app: Celery, memory_mb: float) -> None:
    """Register ``modulplan.improve_region`` in a worker's app: a round's region searched in
    this thread's search host (``search_host.py``) under the job's memory limit."""

    @app.task(name=REGION_TASK, bind=True, acks_late=True, reject_on_worker_lost=False, ignore_result=False)
    def improve_region_task(self: Task, digest: str, request: dict | None, index: int, until: float,
                            cancel_key: str) -> dict:
        worker, task_id = str(self.request.hostname or "worker"), self.request.id
        what = "warm-up" if request is None else f"region {index + 1}"
        if request is not None:
            log.info("region %d of a search (%d cohorts) on %s", index + 1, len(request["regions"][index]), worker)
        redis = _redis(app)
        cancel, stopped = threading.Event(), threading.Event()

        def beat() -> None:  # the task's state, for whoever watches; and the cancel key
            n = 0
            while not stopped.is_set():
                n += 1
                try:
                    self.update_state(task_id=task_id, state="PROGRESS",
                                      meta={"worker": worker, "beat": n, "region": index, "warm": request is None})
                    if redis.exists(cancel_key):
                        cancel.set()
                except Exception:  # noqa: BLE001 - a lost beat: the next one retries
                    log.exception("%s: its state could not be written", what)
                stopped.wait(BEAT_SECONDS)

        def document() -> dict:
            raw = redis.get(DOC_PREFIX + digest)
            if raw is None:
                raise LookupError("the search's scenario is no longer in Redis")
            return json.loads(raw)

        beater = threading.Thread(target=beat, daemon=True, name=f"region-{index}-beat")
        beater.start()
        try:
            if request is None:
                host().ask("warm", digest, document, None, until=until, cancel=cancel, memory_mb=memory_mb)
                return {"worker": worker}
            answer = host().ask("round", digest, document, (request, index, until), until=until, cancel=cancel,
                                memory_mb=memory_mb)
        except HostFailed as exc:
            log.warning("%s on %s failed: %s", what, worker, exc)
            raise
        finally:
            stopped.set()
            beater.join(5)
            redis.close()
        log.info("region %d improved on %s: %d steps, %d better", index + 1, worker, answer.get("steps", 0),
                 answer.get("improved", 0))
        return dict(answer, worker=worker)


class CeleryRegionRunner:
    """The search's runner (``scheduler.search.regions.RegionRunner``) on the Celery workers:
    ``prepare`` publishes the scenario, counts the workers and warms them up; ``run_round``
    sends a round's regions and collects the answers (module docstring). ``cancel`` is the
    job's cancel event."""

    def __init__(self, redis_url: str, queue: str, document: dict, *, cancel: threading.Event | None = None,
                 searches: int | None = None, grace: float | None = None):
        self.redis_url, self.queue, self.document, self.cancel = redis_url, queue, document, cancel
        self.digest = document_hash(document)
        limit = os.environ.get("MODULPLAN_SEARCH_WORKERS")
        self.most = searches if searches is not None else (int(limit) if limit else MAX_SEARCHES)
        self.searches = 0  # known after prepare()
        self.grace = grace if grace is not None else float(os.environ.get("MODULPLAN_REGION_GRACE", "2"))
        self._app: Celery | None = None

    def app(self) -> Celery:
        if self._app is None:
            from service.jobs.broker import make_celery

            self._app = make_celery(self.redis_url)
        return self._app

    def prepare(self) -> None:
        """The scenario into Redis, one region per other live worker, a warm-up task each.
        Without a broker the search stays at home (``searches`` 0)."""
        try:
            app = self.app()
            redis = _redis(app)
            try:
                redis.set(DOC_PREFIX + self.digest, json.dumps(self.document), ex=7200)
            finally:
                redis.close()
            others = max(0, len(app.control.ping(timeout=1.0)) - 1)  # the job's own worker answers too
            self.searches = min(self.most, others)
            for n in range(self.searches):
                app.send_task(REGION_TASK, args=[self.digest, None, n, time.time() + 600.0, ""], queue=self.queue,
                              expires=600.0, ignore_result=True)
        except Exception:  # noqa: BLE001 - the workers cannot be reached: the search stays here
            log.exception("the search's workers could not be prepared; it runs in the job's process")
            self.searches = 0
        log.info("search over %d other workers", self.searches)

    def run_round(self, request: dict, until: float, cancel=None) -> list[dict | None]:
        """Send each region of `request` as a task; the answers in region order (None for a
        region with no answer by `until` and the grace)."""
        app = self.app()
        cancel = cancel or self.cancel
        n = len(request["regions"])
        ids = [str(uuid.uuid4()) for _ in range(n)]
        results = [app.send_task(REGION_TASK, args=[self.digest, request, k, until, CANCEL_PREFIX + ids[k]],
                                 task_id=ids[k], queue=self.queue, expires=max(1.0, until - time.time()) + 60.0)
                   for k in range(n)]
        answers: list[dict | None] = [None] * n
        pending = set(range(n))
        redis = _redis(app)
        stop_asked = False
        try:
            while pending:
                for k in sorted(pending):
                    meta = app.backend.get_task_meta(ids[k])
                    state = meta.get("status")
                    if state == "SUCCESS":
                        answers[k] = _answer(meta.get("result"))
                        pending.discard(k)
                    elif state in ("FAILURE", "REVOKED"):
                        log.warning("region %d failed on the workers (%s: %s)", k + 1, state, meta.get("result"))
                        pending.discard(k)
                now = time.time()
                if not stop_asked and cancel is not None and cancel.is_set():
                    for k in pending:  # the searches stop and answer with their best
                        redis.set(CANCEL_PREFIX + ids[k], "1", ex=3600)
                    stop_asked, until = True, min(until, now)
                if not pending or now > until + self.grace:
                    break
                time.sleep(POLL_SECONDS)
        finally:
            for k in pending:  # late or gone: a late start finds it revoked; its region stays as it was
                log.warning("region %d: no answer by the end of its round; left out", k + 1)
                redis.set(CANCEL_PREFIX + ids[k], "1", ex=3600)
                results[k].revoke()
            for k, result in enumerate(results):
                result.forget()
                if k not in pending:
                    redis.delete(CANCEL_PREFIX + ids[k])
            redis.close()
        return answers

    def search_workers(self, rounds: list[dict], home: str) -> list[dict]:
        """The rounds' workers (``SolveResult.stats["search_workers"]``) with the job's own
        worker named (the search calls it "home")."""
        return [dict(r, workers=[home if w == "home" else w for w in r.get("workers", [])]) for r in rounds]


def _answer(value: Any) -> dict | None:
    """A task's result as the search reads it (a dict with rows and the worker), else None."""
    return value if isinstance(value, dict) and "rows" in value else None
