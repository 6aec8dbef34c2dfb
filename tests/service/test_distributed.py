"""One solve spread over two real Celery workers (issue 16): the independent parts of a
programme fan out as ``modulplan.solve_part`` tasks (service/jobs/fanout.py) on the local
Redis; the job's worker solves the biggest part itself and the other worker the rest. A worker
killed in the middle of its part does not lose the solve: the job redoes that part.

A connected programme (one part) spreads its search instead: each round the other worker
improves a region of the schedule as a ``modulplan.improve_region`` task
(service/jobs/region_search.py) while the job's worker searches its own, and the job merges
them. A worker killed in the middle of its region leaves that region as it was."""

from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
import requests

from scheduler.validate import validate
from tests.scenario_factory import module, plan, team, track, trainer, workplace
from tests.test_parts import two_programmes
from tests.test_regions import connected_programme

from .conftest import Proc, service_env, start_api, start_worker
from .test_processes import DONE, Http, _token


@pytest.fixture
def fanout_env(pg_url, redis_url):
    # MODULPLAN_PART_STALE: a part whose worker stops beating for 2 s is redone by the job
    return service_env(DATABASE_URL=pg_url, REDIS_URL=redis_url, MODULPLAN_QUEUE=f"mpt-{uuid.uuid4().hex[:8]}",
                       MODULPLAN_PART_STALE="2")


def slow_two_programmes(plans: int = 10) -> dict:
    """Two independent programmes, each too big to place in full (one trainer, four-hour
    sessions): each part searches for its whole time limit, so a worker can be killed mid-part."""
    teams = {side: [team(f"{side}{i}", headcount=12, min_staffing=8, offset_days=i % 5) for i in range(plans)]
             for side in "ab"}
    return two_programmes(
        workplaces=[workplace("W1", "S-W", teams["a"]), workplace("W2", "S-O", teams["b"])],
        trainers=[trainer("T1", ("M1",), home_site="S-W"), trainer("T2", ("M2",), home_site="S-O")],
        modules=[module(m, sessions=3, location="workplace", duration_minutes=240, min_gap_days=1)
                 for m in ("M1", "M2")],
        tracks=[track("K1", ("M1",), min_group=2, max_group=5), track("K2", ("M2",), min_group=2, max_group=5)],
        action_plans=[plan(f"HP{n}{i}", f"W{n}", f"K{n}", [{"team": f"{side}{i}", "count": 4}])
                      for n, side in ((1, "a"), (2, "b")) for i in range(plans)])


def _until(what, timeout: float, step: float = 0.05):
    """Poll ``what()`` until it is truthy (returned) or ``timeout`` seconds have passed (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(step)
    return None


def _two_workers(env, tmp_path, base) -> list[tuple[str, Proc]]:
    names = [f"w{i}-{uuid.uuid4().hex[:6]}" for i in range(2)]
    workers = [(name, start_worker(env, tmp_path, name)) for name in names]

    def both_alive():
        r = requests.get(base + "/api/v1/health", timeout=10)
        return r.status_code == 200 and r.json()["workers"]["alive"] == 2

    if not _until(both_alive, 60, 0.5):
        outputs = [p.output() for _, p in workers]
        for _, p in workers:  # not left running to answer the next test's pings
            p.kill()
        pytest.fail(f"two workers did not come up: {outputs}")
    return workers


@contextmanager
def _cluster(env, tmp_path):
    """The API and two live workers: (http, workers); everything is killed afterwards."""
    api, base = start_api(env, tmp_path)
    workers: list[tuple[str, Proc]] = []
    try:
        workers = _two_workers(env, tmp_path, base)
        yield Http(base, _token(env)), workers
    finally:
        for _, p in workers:
            p.kill()
        api.kill()


def _solve(http: Http, scenario: dict, time_limit: float) -> str:
    sid = http.post("/api/v1/scenarios", json=scenario).json()["id"]
    r = http.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": time_limit, "workers": 1})
    assert r.status_code == 202, r.text
    return r.json()["id"]


def _valid(http: Http, scenario: dict, job: dict, complete: bool = True) -> None:
    schedule = http.get(f"/api/v1/schedules/{job['schedule_id']}").json()
    report = validate(scenario, schedule)
    assert report.ok, [v.message for v in report.violations[:5]]
    assert schedule["sessions"] and (schedule["unscheduled"] == [] or not complete)


def test_one_solve_uses_both_workers(tmp_path, fanout_env):
    env, scenario = fanout_env, two_programmes()
    with _cluster(env, tmp_path) as (http, workers):
        job = http.wait(_solve(http, scenario, 4), timeout=60)
        assert job["state"] == "succeeded", (job, [p.output() for _, p in workers])
        used = job["progress"].get("parts_workers")
        assert used and len(used) == 2 and not any(u["redone"] for u in used), used
        assert {u["worker"].split("@")[0] for u in used} == {name for name, _ in workers}  # one part on each
        # the worker that did not run the job logged the part it solved (the job's part has no task)
        logged = {name for name, p in workers if "solved on" in p.log_path.read_text(errors="replace")}
        assert len(logged) == 1, [p.output() for _, p in workers]
        _valid(http, scenario, job)


def _part_in_progress(broker) -> dict | None:
    """The progress meta of a part task that is solving now (Celery's PROGRESS state), if any."""
    for key in broker.scan_iter("celery-task-meta-*"):
        meta = json.loads(broker.get(key) or "{}")
        info = meta.get("result") if meta.get("status") == "PROGRESS" else None
        if isinstance(info, dict) and info.get("progress"):
            return info
    return None


def test_a_killed_part_worker_does_not_lose_the_solve(tmp_path, fanout_env):
    env, scenario = fanout_env, slow_two_programmes()
    broker = redis.Redis.from_url(env["REDIS_URL"])
    with _cluster(env, tmp_path) as (http, workers):
        names = {f"{name}@": p for name, p in workers}
        job_id = _solve(http, scenario, 10)

        def solving_part():  # the worker whose part task reports progress (the other one runs the job)
            info = _part_in_progress(broker)
            return None if info is None else next(
                (p for prefix, p in names.items() if info["worker"].startswith(prefix)), None)

        doomed = _until(solving_part, 30, 0.05)
        assert doomed is not None, [p.output() for _, p in workers]
        doomed.kill()  # SIGKILL to the worker's process group, in the middle of its part
        job = http.wait(job_id, timeout=60, until=DONE)
        assert job["state"] == "succeeded", (job, [p.output() for _, p in workers])
        used = job["progress"].get("parts_workers")
        assert used and len(used) == 2 and [u["redone"] for u in used].count(True) == 1, used
        assert len({u["worker"] for u in used}) == 1  # both solved by the job's worker in the end
        _valid(http, scenario, job, complete=False)  # too big to place in full; what is placed keeps every rule


def test_cancel_stops_the_parts_on_the_workers(tmp_path, fanout_env):
    env, scenario = fanout_env, slow_two_programmes()
    broker = redis.Redis.from_url(env["REDIS_URL"])
    with _cluster(env, tmp_path) as (http, workers):
        job_id = _solve(http, scenario, 60)

        assert _until(lambda: _part_in_progress(broker) is not None, 30, 0.05), [p.output() for _, p in workers]
        asked = time.monotonic()
        assert http.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 202
        job = http.wait(job_id, timeout=30, until=DONE)
        assert job["state"] == "cancelled", job
        assert time.monotonic() - asked < 15  # not the 60 s of the time limit
        logs = "".join(p.log_path.read_text(errors="replace") for _, p in workers)
        assert _until(lambda: "solved on" in "".join(p.log_path.read_text(errors="replace") for _, p in workers),
                      10, 0.1), logs  # the remote part stopped and answered with its best schedule


# ------------------------------------------------------------------ one connected programme

def connected() -> dict:
    """One part (two trainers and both rooms serve every plan), 64 sessions: the search's
    neighbourhoods, not the whole CP-SAT model (more than 4 000 candidate starts)."""
    return connected_programme(workplaces=16, weeks=8)


def _region_in_progress(broker) -> dict | None:
    """The state of a region task that is searching now (not a warm-up), if any."""
    for key in broker.scan_iter("celery-task-meta-*"):
        meta = json.loads(broker.get(key) or "{}")
        info = meta.get("result") if meta.get("status") == "PROGRESS" else None
        if isinstance(info, dict) and "region" in info and not info.get("warm"):
            return info
    return None


def test_a_connected_programme_searches_on_both_workers(tmp_path, fanout_env):
    env, scenario = fanout_env, connected()
    with _cluster(env, tmp_path) as (http, workers):
        job = http.wait(_solve(http, scenario, 14), timeout=60)
        assert job["state"] == "succeeded", (job, [p.output() for _, p in workers])
        rounds = job["progress"].get("search_workers")
        assert rounds and "parts_workers" not in job["progress"], job["progress"]  # one part, its search spread
        assert all(len(r["workers"]) == 2 and r["dropped"] == 0 for r in rounds), rounds
        assert {w.split("@")[0] for r in rounds for w in r["workers"]} == {name for name, _ in workers}
        # the worker that did not run the job logged the regions it improved
        logged = {name for name, p in workers if "improved on" in p.log_path.read_text(errors="replace")}
        assert len(logged) == 1 and rounds[0]["workers"][1].startswith(f"{logged.pop()}@"), rounds
        _valid(http, scenario, job)


def test_a_killed_search_worker_does_not_lose_the_solve(tmp_path, fanout_env):
    env, scenario = fanout_env, connected()
    broker = redis.Redis.from_url(env["REDIS_URL"])
    with _cluster(env, tmp_path) as (http, workers):
        names = {f"{name}@": p for name, p in workers}
        job_id = _solve(http, scenario, 14)  # two rounds of the search

        def searching_region():  # the worker whose region task searches (the other one runs the job)
            info = _region_in_progress(broker)
            return None if info is None else next(
                (p for prefix, p in names.items() if info["worker"].startswith(prefix)), None)

        doomed = _until(searching_region, 30, 0.05)
        assert doomed is not None, [p.output() for _, p in workers]
        doomed.kill()  # SIGKILL to the worker's process group (its search host too), mid-region
        job = http.wait(job_id, timeout=60, until=DONE)
        assert job["state"] == "succeeded", (job, [p.output() for _, p in workers])
        rounds = job["progress"].get("search_workers")
        assert rounds and rounds[-1]["dropped"] == 1 and rounds[-1]["workers"] == rounds[0]["workers"][:1], rounds
        _valid(http, scenario, job)  # complete, and every rule kept


def test_cancel_stops_the_regions_on_the_workers(tmp_path, fanout_env):
    env, scenario = fanout_env, connected()
    broker = redis.Redis.from_url(env["REDIS_URL"])
    with _cluster(env, tmp_path) as (http, workers):
        job_id = _solve(http, scenario, 60)

        assert _until(lambda: _region_in_progress(broker) is not None, 30, 0.05), [p.output() for _, p in workers]
        asked = time.monotonic()
        assert http.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 202
        job = http.wait(job_id, timeout=30, until=DONE)
        assert job["state"] == "cancelled", job
        assert time.monotonic() - asked < 15  # not the 60 s of the time limit

        def regions_begun() -> int:
            return sum(p.log_path.read_text(errors="replace").count(" of a search (") for _, p in workers)

        # the region's search stopped too (its task no longer reports), and no round began since
        assert _until(lambda: _region_in_progress(broker) is None, 5, 0.1), _region_in_progress(broker)
        begun = regions_begun()
        time.sleep(3)
        assert regions_begun() == begun
