"""Work that can run long or large runs in a child process, under limits that always hold.

A solve, a diagnosis or an explanation runs in a process of its own (a fresh fork of a
forkserver that has the solver imported): the API or worker process that started it only
watches. The watcher

* passes progress messages on (``on_message``);
* measures the memory of the child and of the processes it started (the search's portfolio)
  several times a second, and kills them all when they pass ``memory_mb``: the job fails with
  "memory" in its reason and the service's own memory stays where it was;
* asks the child to stop at ``wall_seconds`` (a solve then returns its best schedule) and kills
  it a few seconds later if it has not: a wall-clock limit that holds whatever the child does;
* does the same when ``cancel`` is set, so a cancel always works.

The child runs ``target(*args, send=..., cancel=...)``: ``send(obj)`` reports progress,
``cancel`` is a ``threading.Event`` set when the watcher asks it to stop.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("modulplan.service.child")

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
GRACE_SECONDS = 5.0  # after a stop request, before the child is killed
SAMPLE_SECONDS = 0.1  # how often memory and time are looked at

_context = None
_context_lock = threading.Lock()


@dataclass(frozen=True)
class ChildLimits:
    memory_mb: float  # resident memory of the child and its children together
    wall_seconds: float  # from start to a stop request; killed GRACE_SECONDS later


class ChildFailed(Exception):
    """The child did not return a result: ``reason`` is "memory", "time", "cancelled" or
    "crashed"; the message says it in the user's words."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _mp():
    """A forkserver context with the solver imported once (children start in milliseconds and
    share nothing with the threads of the process that asks)."""
    global _context
    with _context_lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if "forkserver" in methods:
                ctx.set_forkserver_preload(["scheduler.solve", "scheduler.validate", "service.jobs.child"])
            _context = ctx
        return _context


def _child_main(conn, target: Callable, args: tuple) -> None:
    """In the child: its own process group (so that its children die with it), a thread that
    turns the watcher's stop request into ``cancel``, then the work."""
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal goes to the server, not here
    cancel = threading.Event()
    lock = threading.Lock()

    def send(obj) -> None:
        with lock:
            conn.send(("message", obj))

    def listen() -> None:
        try:
            while conn.recv() == "stop":
                cancel.set()
        except (EOFError, OSError):
            cancel.set()

    threading.Thread(target=listen, daemon=True).start()
    try:
        result = target(*args, send=send, cancel=cancel)
        with lock:
            conn.send(("result", result))
    except MemoryError:
        with lock:
            conn.send(("error", "memory"))
    except BaseException as exc:  # noqa: BLE001 - reported to the watcher, which decides
        log.exception("work in a child process failed")
        with lock:
            conn.send(("error", f"{type(exc).__name__}"))
    finally:
        conn.close()


def _tree(pid: int) -> list[int]:
    """pid and every process below it (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(x) for x in f.read().split())
        except OSError:
            continue
    return out


def resident_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (0 where /proc is absent)."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * PAGE / 1e6


def _kill(pid: int) -> None:
    for sig_target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            sig_target()
            return
        except (ProcessLookupError, PermissionError):
            continue


def _pending(conn) -> bool:
    """Whether something (or the end of the pipe) is waiting to be read, without blocking."""
    try:
        return conn.poll(0)
    except (EOFError, OSError):
        return False


def run_in_child(target: Callable, args: tuple, *, limits: ChildLimits, cancel: threading.Event | None = None,
                 on_message: Callable[[Any], None] | None = None, what: str = "the solve",
                 grace: float = GRACE_SECONDS) -> Any:
    """``target(*args, send=, cancel=)`` in a child process; its return value, or ChildFailed."""
    ctx = _mp()
    here, there = ctx.Pipe()
    proc = ctx.Process(target=_child_main, args=(there, target, args), daemon=False)
    proc.start()
    there.close()
    started = time.monotonic()
    stop_asked: float | None = None
    why: tuple[str, str] | None = None
    peak = 0.0
    closed = False  # the child's end of the pipe is gone: it has ended (or is ending)
    try:
        while True:
            if not closed:
                try:
                    ready = here.poll(SAMPLE_SECONDS)
                except (EOFError, OSError):
                    ready, closed = False, True
                if ready:
                    try:
                        kind, payload = here.recv()
                    except (EOFError, OSError):
                        kind, payload, closed = "gone", None, True
                    if kind == "message":
                        if on_message is not None:
                            on_message(payload)
                        continue
                    if kind == "result":
                        return payload
                    if kind == "error":
                        if payload == "memory":
                            raise ChildFailed("memory", f"{what} ran out of memory")
                        if why is not None:
                            raise ChildFailed(*why)
                        raise ChildFailed("crashed", f"{what} stopped with an internal error ({payload}); "
                                                     "it is logged")
            else:
                proc.join(SAMPLE_SECONDS)
            alive = proc.is_alive()
            if not closed and not alive and _pending(here):
                # It ended between our poll and this look: its last words (the result) are
                # still in the pipe. Read them before deciding it crashed.
                continue
            if closed or not alive:
                proc.join(grace)
                if why is not None:
                    raise ChildFailed(*why)
                if proc.exitcode == -signal.SIGKILL:  # not by us: the kernel's out-of-memory killer
                    raise ChildFailed("memory", f"{what} was stopped by the system for lack of memory")
                raise ChildFailed("crashed", f"{what} stopped unexpectedly (exit {proc.exitcode})")
            now = time.monotonic()
            used = resident_mb(proc.pid)
            peak = max(peak, used)
            if used > limits.memory_mb and why is None:
                why = ("memory", f"{what} needed more than {limits.memory_mb:.0f} MB of memory, the limit for one "
                                 "job (MODULPLAN_JOB_MEMORY_MB); it was stopped")
                _kill(proc.pid)
                continue
            if stop_asked is None:
                if cancel is not None and cancel.is_set():
                    why, stop_asked = ("cancelled", f"{what} was cancelled"), now
                elif now - started > limits.wall_seconds:
                    why, stop_asked = ("time", f"{what} ran past its time limit of {limits.wall_seconds:.0f} s "
                                               "and was stopped"), now
                if stop_asked is not None:
                    try:
                        here.send("stop")
                    except (OSError, ValueError):
                        pass
            elif now - stop_asked > grace:
                _kill(proc.pid)
    finally:
        if proc.is_alive():
            _kill(proc.pid)
        proc.join(2)
        here.close()
        log.debug("%s: child %s peak %.0f MB in %.1f s", what, proc.pid, peak, time.monotonic() - started)
