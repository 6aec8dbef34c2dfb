"""A worker's search host: one long-lived child process that keeps a job's scenario prepared
between the rounds of a search spread over the workers (issue 16; ``region_search.py``).

A round's region search is short (seconds to a minute) while reading the scenario and
preparing its problem takes up to a minute at national size, so the worker does not start a
fresh process per round as it does for a whole part (``child.run_in_child``). It keeps one
host per task thread, started from the same forkserver (the solver preloaded), which holds
the latest scenario (``scheduler.solve.regions.RegionSearch``, by the document's hash) and
answers one request at a time. The watcher here keeps the limits that ``run_in_child``
keeps: the host's memory (killed past the job's limit), a stop at the round's end and a kill
a few seconds after it, a stop on cancel. A host idle for ``IDLE_SECONDS`` ends itself (its
memory goes back); one that was killed or crashed is started again by the next request.
"""

from __future__ import annotations

import itertools
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from service.jobs.child import GRACE_SECONDS, _kill, _mp, resident_mb

log = logging.getLogger("modulplan.service.search_host")

IDLE_SECONDS = 600.0  # a host with nothing to do this long ends (the memory of its scenario goes back)
POLL_SECONDS = 0.1


class HostFailed(Exception):
    """The host did not answer: ``reason`` is "memory", "time", "cancelled" or "crashed"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _host_main(conn) -> None:
    """In the host: requests ``(id, kind, digest, payload)`` one after another ("document":
    read a scenario; "warm": prepare its problem; "round": search a region), each answered
    ``("done", id, value)`` or ``("error", id, why)``; ``("stop", id)`` stops that request's
    search (it then answers with its best). Ends when idle, or when its worker is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from scheduler.solve.regions import RegionSearch  # preloaded in the forkserver

    inbox: queue.Queue = queue.Queue()
    cancel = threading.Event()
    current: dict[str, Any] = {"id": None, "stopped": set()}
    lock = threading.Lock()

    def listen() -> None:
        try:
            while True:
                message = conn.recv()
                if message[0] == "stop":
                    with lock:
                        current["stopped"].add(message[1])
                        if current["id"] == message[1]:
                            cancel.set()
                else:
                    inbox.put(message)
        except (EOFError, OSError):  # the worker is gone: stop whatever runs, then end
            cancel.set()
            inbox.put(None)

    threading.Thread(target=listen, daemon=True, name="host-listen").start()
    searches: dict[str, RegionSearch] = {}
    while True:
        try:
            message = inbox.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            break
        if message is None:
            break
        rid, kind, digest, payload = message
        with lock:
            current["id"] = rid
            if rid in current["stopped"]:
                cancel.set()
            else:
                cancel.clear()
        try:
            if kind == "document":
                searches = {digest: RegionSearch(payload)}  # one scenario at a time: the latest job's
                value = None
            elif kind == "warm":
                searches[digest].warm()
                value = None
            else:
                request, index, until = payload
                value = searches[digest].run(request, index, until, cancel)
            conn.send(("done", rid, value))
        except MemoryError:
            conn.send(("error", rid, "memory"))
            break
        except Exception as exc:  # noqa: BLE001 - answered; the host serves the next request
            log.exception("a region search failed")
            conn.send(("error", rid, type(exc).__name__))
    conn.close()


class SearchHost:
    """The worker's side of one host: starts it when needed and asks it (``ask``)."""

    _ids = itertools.count(1)

    def __init__(self) -> None:
        self.proc: Any = None
        self.conn: Any = None
        self.digest: str | None = None  # the scenario the host holds

    def _alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def _start(self) -> None:
        ctx = _mp()
        here, there = ctx.Pipe()
        self.proc = ctx.Process(target=_host_main, args=(there,), daemon=False, name="search-host")
        self.proc.start()
        there.close()
        self.conn, self.digest = here, None

    def stop(self) -> None:
        """Kill the host (its scenario is gone with it; the next request starts another)."""
        if self.proc is not None:
            if self.proc.is_alive():
                _kill(self.proc.pid)
            self.proc.join(2)
            self.conn.close()
        self.proc = self.conn = self.digest = None

    def ask(self, kind: str, digest: str, document: Callable[[], dict], payload: Any, *, until: float,
            cancel: threading.Event, memory_mb: float) -> Any:
        """Request `kind` of the scenario `digest` (sent first from `document()` when the host
        does not hold it); waits for the answer under the limits (module docstring): asked to
        stop at `until` (time.time()) or on `cancel`, killed GRACE_SECONDS later. Returns
        the answer's value, or raises HostFailed."""
        if not self._alive():
            if self.proc is not None:
                self.stop()
            self._start()
        if self.digest != digest:
            self.conn.send((next(self._ids), "document", digest, document()))
            self.digest = digest
        rid = next(self._ids)
        self.conn.send((rid, kind, digest, payload))
        stop_asked: float | None = None
        why = ("time", "the region search ran past its round")
        while True:
            try:
                ready = self.conn.poll(POLL_SECONDS)
            except (EOFError, OSError):
                ready = False
            if ready:
                try:
                    answer, got_id, value = self.conn.recv()
                except (EOFError, OSError):
                    self.stop()
                    raise HostFailed("crashed", "the search host stopped unexpectedly") from None
                if got_id != rid:
                    continue  # the document's answer, or a late answer to an earlier request
                if answer == "done":
                    return value
                if value == "memory":
                    self.stop()
                    raise HostFailed("memory", "the region search ran out of memory")
                raise HostFailed("crashed", f"the region search failed ({value}); it is logged")
            if not self._alive():
                self.stop()
                raise HostFailed("crashed", "the search host stopped unexpectedly")
            if resident_mb(self.proc.pid) > memory_mb:
                self.stop()
                raise HostFailed("memory", f"the region search needed more than {memory_mb:.0f} MB; it was stopped")
            if stop_asked is None and (cancel.is_set() or time.time() > until):
                if cancel.is_set():
                    why = ("cancelled", "the region search was cancelled")
                self.conn.send(("stop", rid))
                stop_asked = time.monotonic()
            elif stop_asked is not None and time.monotonic() - stop_asked > GRACE_SECONDS:
                self.stop()
                raise HostFailed(*why)


_local = threading.local()


def host() -> SearchHost:
    """This thread's search host (a worker of concurrency N has up to N)."""
    if getattr(_local, "host", None) is None:
        _local.host = SearchHost()
    return _local.host
