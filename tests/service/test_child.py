"""Work in a child process under limits that always hold (service/child.py): memory, wall
clock, cancel, a crash; the process that asked keeps answering."""

from __future__ import annotations

import os
import threading
import time

import pytest

from service.jobs.child import ChildFailed, ChildLimits, resident_mb, run_in_child

ROOMY = ChildLimits(memory_mb=4000, wall_seconds=30)


def _answer(x, *, send, cancel):
    send({"step": 1})
    return x * 2


def _hog(mb, *, send, cancel):
    blocks = []
    while True:  # grows until it is stopped
        blocks.append(bytearray(mb * 1_000_000 // 20))
        time.sleep(0.01)


def _stubborn(*, send, cancel):
    while True:  # ignores the stop request
        time.sleep(0.05)


def _polite(*, send, cancel):
    cancel.wait(30)
    return "stopped early"


def _crash(*, send, cancel):
    os._exit(3)


def test_a_child_returns_its_result_and_its_messages():
    seen = []
    assert run_in_child(_answer, (21,), limits=ROOMY, on_message=seen.append) == 42
    assert seen == [{"step": 1}]


def _own_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def test_a_child_past_its_memory_limit_is_killed_and_says_memory():
    started, before = time.monotonic(), _own_mb()
    with pytest.raises(ChildFailed) as err:
        run_in_child(_hog, (400,), limits=ChildLimits(memory_mb=300, wall_seconds=60))
    assert err.value.reason == "memory" and "300 MB" in str(err.value)
    assert time.monotonic() - started < 10
    assert _own_mb() - before < 100  # the asking process never held it


def test_memory_is_measured_over_the_child_and_its_children():
    assert resident_mb(os.getpid()) >= _own_mb() > 0


def test_a_child_that_ignores_its_time_limit_is_killed():
    started = time.monotonic()
    with pytest.raises(ChildFailed) as err:
        run_in_child(_stubborn, (), limits=ChildLimits(memory_mb=4000, wall_seconds=0.5), grace=0.5)
    assert err.value.reason == "time" and time.monotonic() - started < 5


def test_a_child_asked_to_stop_in_time_returns_what_it_has():
    assert run_in_child(_polite, (), limits=ChildLimits(memory_mb=4000, wall_seconds=0.5), grace=5) == "stopped early"


def test_cancel_always_works_even_when_the_child_does_not_listen():
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(ChildFailed) as err:
        run_in_child(_stubborn, (), limits=ROOMY, cancel=cancel, grace=0.5)
    assert err.value.reason == "cancelled"


def test_a_crashing_child_is_reported_not_re_run():
    with pytest.raises(ChildFailed) as err:
        run_in_child(_crash, (), limits=ROOMY)
    assert err.value.reason == "crashed" and "exit 3" in str(err.value)


def test_a_result_sent_just_before_the_child_ends_is_never_taken_for_a_crash(monkeypatch):
    """The child may send its result and exit between two looks of the watcher; the result is
    still in the pipe and must be read. A slow look at the process makes that moment certain."""
    from multiprocessing.process import BaseProcess

    is_alive = BaseProcess.is_alive

    def slow_is_alive(self):
        time.sleep(0.05)  # the child finishes meanwhile
        return is_alive(self)

    monkeypatch.setattr("service.jobs.child.SAMPLE_SECONDS", 0)
    monkeypatch.setattr(BaseProcess, "is_alive", slow_is_alive)
    for x in range(5):
        assert run_in_child(_answer, (x,), limits=ROOMY) == 2 * x
