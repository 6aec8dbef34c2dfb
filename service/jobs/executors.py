"""Who runs solve jobs: a thread pool in the API process (the embedded default), Celery
workers behind Redis (scale-out), or nobody (``EXECUTOR=none``); and the reaper thread that
hands jobs whose worker died, or whose message was lost, to the executor again.

Every executor has the same small interface: ``submit``, ``cancel``, ``pending``,
``workers``, ``shutdown`` (``Executor`` below).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from service.jobs.runner import Settings, lost_queued_jobs, reap, run_job
from service.store.db import Database

log = logging.getLogger("modulplan.service.jobs")


class Executor(Protocol):
    """What the API needs of whoever runs jobs."""

    kind: str

    def submit(self, job_id: str) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def pending(self) -> set[str] | None: ...

    def workers(self) -> dict[str, Any]: ...

    def shutdown(self) -> None: ...


class InProcessExecutor:
    """Embedded default: a thread pool in the API process."""

    kind = "inprocess"

    def __init__(self, db: Database, settings: Settings, threads: int = 2):
        self.db, self.settings = db, settings
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="solve")
        self.cancels: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def submit(self, job_id: str) -> None:
        with self.lock:
            event = self.cancels.setdefault(job_id, threading.Event())
        self.pool.submit(self._run, job_id, event)

    def _run(self, job_id: str, event: threading.Event) -> None:
        try:
            run_job(self.db, job_id, self.settings, cancel=event)
        finally:
            with self.lock:
                self.cancels.pop(job_id, None)

    def cancel(self, job_id: str) -> None:
        with self.lock:
            event = self.cancels.get(job_id)
        if event is not None:
            event.set()

    def pending(self) -> set[str]:
        """Jobs handed to the pool and not finished (a queued job not among them was lost)."""
        with self.lock:
            return set(self.cancels)

    def workers(self) -> dict[str, Any]:
        return {"threads": self.pool._max_workers, "alive": not self.pool._shutdown}

    def shutdown(self, wait: float = 15.0) -> None:
        """Cancel what runs, drop what waits, and give running jobs ``wait`` seconds to record that.

        Waiting (bounded) matters: a job thread still inside a database transaction when the engine
        is disposed would leave its connection to the garbage collector, open.
        """
        for event in list(self.cancels.values()):
            event.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + wait
        for thread in list(getattr(self.pool, "_threads", ())):
            thread.join(max(0.0, deadline - time.monotonic()))


class CeleryExecutor:
    """Scale-out: the job id goes to Celery (Redis broker); workers run ``run_job``."""

    kind = "celery"

    def __init__(self, redis_url: str | None):
        from service.jobs.broker import SOLVE_TASK, make_celery  # Celery loads only when this executor is chosen

        self.celery = make_celery(redis_url)
        self.task = SOLVE_TASK
        self._workers: tuple[float, dict[str, Any]] | None = None

    def submit(self, job_id: str) -> None:
        self.celery.send_task(self.task, args=[job_id])

    def cancel(self, job_id: str) -> None:  # the worker's heartbeat reads the flag
        pass

    def pending(self) -> set[str] | None:
        """Job ids whose message Redis holds: in the queue, or taken by a worker and not yet
        acknowledged. None when the broker cannot be read."""
        try:
            with self.celery.connection_for_read() as conn:
                client = conn.default_channel.client
                queue = self.celery.conf.task_default_queue
                raw = list(client.lrange(queue, 0, -1)) + list(client.hvals("unacked"))
        except Exception:  # noqa: BLE001 - an unreadable broker: nothing is judged lost
            log.exception("the broker's queue cannot be read")
            return None
        ids = set()
        for item in raw:
            try:
                message = json.loads(item)
                if isinstance(message, list):  # unacked: [message, exchange, routing key]
                    message = message[0]
                ids.add(str(message["headers"]["argsrepr"]).strip("[]()',\" "))
            except (ValueError, KeyError, TypeError, IndexError):
                continue
        return ids

    def workers(self) -> dict[str, Any]:
        """The Celery workers that answer a ping within a second (cached for a few seconds)."""
        cached = self._workers
        if cached is not None and time.monotonic() - cached[0] < 5.0:
            return cached[1]
        try:
            replies = self.celery.control.ping(timeout=1.0) or []
        except Exception:  # noqa: BLE001 - the broker is down: no worker can be reached
            replies = []
        found = {"alive": len(replies), "names": sorted(name for reply in replies for name in reply)}
        self._workers = (time.monotonic(), found)
        return found

    def shutdown(self) -> None:
        pass


class NoExecutor:
    """``EXECUTOR=none``: jobs stay queued (an API that only serves stored schedules)."""

    kind = "none"

    def submit(self, job_id: str) -> None:
        pass

    def cancel(self, job_id: str) -> None:
        pass

    def pending(self) -> set[str] | None:
        return None

    def workers(self) -> dict[str, Any]:
        return {"alive": 0}

    def shutdown(self) -> None:
        pass


class Background(threading.Thread):
    """The reaper: re-queues jobs whose worker died and hands them to the executor again."""

    def __init__(self, db: Database, settings: Settings, executor: Executor, interval: float):
        super().__init__(daemon=True, name="modulplan-reaper")
        self.db, self.settings, self.executor, self.interval = db, settings, executor, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                for job_id in reap(self.db, self.settings):
                    log.warning("job %s re-queued: its worker stopped", job_id)
                    self.executor.submit(job_id)
                for job_id in lost_queued_jobs(self.db, self.settings, self.executor.pending()):
                    self.executor.submit(job_id)
            except Exception:
                log.exception("reaper pass failed")
