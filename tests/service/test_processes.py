"""The real thing: the API and Celery workers as processes on localhost, against PostgreSQL and
Redis; and `modulplan serve` with the embedded defaults (SQLite, in-process executor)."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import repo_root

from .calendars import check_calendar
from .conftest import cli, service_env, start_api, start_worker

DONE = ("succeeded", "failed", "cancelled")


class Http:
    def __init__(self, base: str, token: str):
        self.base, self.s = base, requests.Session()
        self.s.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        return self.s.get(self.base + path, timeout=30, **kw)

    def post(self, path, **kw):
        return self.s.post(self.base + path, timeout=30, **kw)

    def wait(self, job_id, timeout=90.0, until=DONE) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/api/v1/jobs/{job_id}").json()
            if job["state"] in until or time.monotonic() > deadline:
                return job
            time.sleep(0.25)


def _token(env, role="coordinator", workplace=None) -> str:
    args = ["token", "create", "--role", role] + (["--workplace", workplace] if workplace else [])
    r = cli(*args, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def _flow(http: Http, scenario: dict, manager: Http) -> None:
    r = http.post("/api/v1/scenarios", json=scenario)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    r = http.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 3, "workers": 1})
    assert r.status_code == 202, r.text
    job = http.wait(r.json()["id"])
    assert job["state"] == "succeeded", job
    assert job["progress"]["sessions_placed"] == 6
    sched_id = job["schedule_id"]
    schedule = http.get(f"/api/v1/schedules/{sched_id}").json()
    assert http.post(f"/api/v1/schedules/{sched_id}/publish").status_code == 201  # a solve is a draft till then
    programme = http.get(f"/api/v1/scenarios/{sid}").json()["programme"]
    feeds = http.get(f"/api/v1/schedules/{sched_id}/calendars").json()["feeds"]
    assert len(feeds) >= 2 + 2 + 2 + 1 + len(schedule["cohorts"])
    for f in feeds:
        r = requests.get(f["url"], timeout=30)  # no header: subscribable
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/calendar; charset=utf-8"
        check_calendar(r.content, scenario, schedule, kind=f["kind"], entity_id=f["entity_id"], programme=programme)
        assert requests.get(f["url"], headers={"If-None-Match": r.headers["ETag"]}, timeout=30).status_code == 304
        r2 = http.get(f"/api/v1/schedules/{sched_id}/calendar.ics", params={f["kind"]: f["entity_id"]})
        assert r2.status_code == 200 and r2.content == r.content
    # the manager
    view = manager.get(f"/api/v1/schedules/{sched_id}").json()
    assert {p for c in view["cohorts"] for p in c["participants"]} == {"v-101", "v-102", "v-103"}
    assert manager.get(f"/api/v1/schedules/{sched_id}/calendar.ics", params={"workplace": "W-BRUK"}).status_code == 403
    assert manager.post("/api/v1/scenarios", json=scenario).status_code == 403


@pytest.fixture
def pg_redis_env(pg_url, redis_url):
    return service_env(DATABASE_URL=pg_url, REDIS_URL=redis_url, MODULPLAN_QUEUE=f"mpt-{uuid.uuid4().hex[:8]}")


def test_embedded_serve_flow(tmp_path, tiny):
    """`modulplan serve` with nothing set: SQLite in the data dir, in-process executor."""
    env = service_env(MODULPLAN_DATA_DIR=str(tmp_path / "data"))
    api, base = start_api(env, tmp_path)
    try:
        health = requests.get(base + "/api/v1/health", timeout=10).json()
        assert {k: health[k] for k in ("status", "executor", "database")} == {
            "status": "ok", "executor": "inprocess", "database": "sqlite"}
        assert health["workers"]["alive"] is True
        http = Http(base, _token(env))
        _flow(http, tiny, Http(base, _token(env, "manager", "W-VARD")))
        assert (tmp_path / "data" / "modulplan.db").exists()
        spec = requests.get(base + "/api/v1/openapi.json", timeout=10).json()
        assert "/api/v1/scenarios" in spec["paths"]
    finally:
        api.kill()


def test_celery_flow_and_concurrency(tmp_path, tiny, pg_redis_env):
    env = pg_redis_env
    api, base = start_api(env, tmp_path)
    workers = [start_worker(env, tmp_path, f"w{i}-{uuid.uuid4().hex[:6]}", concurrency=1) for i in range(2)]
    try:
        # /health is 503 "degraded" until a worker answers, then ok (with one worker while the
        # other still starts: on a slow machine the poll sees that too)
        deadline = time.monotonic() + 60
        while True:
            r = requests.get(base + "/api/v1/health", timeout=10)
            if r.status_code == 200 and r.json()["workers"]["alive"] == 2 or time.monotonic() > deadline:
                break
            alive = r.json()["workers"].get("alive", 0)
            assert (r.status_code, r.json()["status"]) == ((200, "ok") if alive else (503, "degraded")), r.text
            time.sleep(1)
        assert r.json()["executor"] == "celery" and r.json()["workers"]["alive"] == 2, r.text
        http = Http(base, _token(env))
        _flow(http, tiny, Http(base, _token(env, "manager", "W-VARD")))

        # 20 concurrent solve requests, all finish
        sid = http.post("/api/v1/scenarios", json=tiny).json()["id"]

        def submit(_):
            r = requests.post(f"{base}/api/v1/scenarios/{sid}/solve", json={"time_limit": 0.5, "workers": 1},
                              headers=http.s.headers, timeout=30)
            assert r.status_code == 202, r.text
            return r.json()["id"]

        with ThreadPoolExecutor(20) as pool:
            ids = list(pool.map(submit, range(20)))
        assert len(set(ids)) == 20
        deadline = time.monotonic() + 120
        states = {}
        while time.monotonic() < deadline:
            states = {j: http.get(f"/api/v1/jobs/{j}").json()["state"] for j in ids}
            if all(s in DONE for s in states.values()):
                break
            time.sleep(1)
        assert all(s == "succeeded" for s in states.values()), states
        workers_used = {http.get(f"/api/v1/jobs/{j}").json().get("attempts") for j in ids}
        assert workers_used == {1}
        drafts = http.get(f"/api/v1/scenarios/{sid}/schedules").json()
        assert len(drafts) == 20 and all(d["draft"] and d["revision"] is None for d in drafts)

        def publish(d):  # 20 concurrent publishes: numbered under the lineage's lock
            r = requests.post(f"{base}/api/v1/schedules/{d['id']}/publish", headers=http.s.headers, timeout=30)
            assert r.status_code == 201, r.text
            return r.json()["revision"]

        with ThreadPoolExecutor(20) as pool:
            revisions = list(pool.map(publish, drafts))
        assert sorted(revisions) == list(range(1, 21))  # numbered without gaps
    finally:
        for w in workers:
            w.kill()
        api.kill()


def test_killed_worker_loses_no_job(tmp_path, pg_redis_env):
    """A worker dies (SIGKILL, whole process group) in the middle of a solve: the job is re-queued
    and finished by another worker, with attempts = 2."""
    env = pg_redis_env
    scenario = json.loads((repo_root() / "scenarios" / "industrial_plant_5shift.json").read_text(encoding="utf-8"))
    api, base = start_api(env, tmp_path)
    first = start_worker(env, tmp_path, f"doomed-{uuid.uuid4().hex[:6]}")
    second = None
    try:
        http = Http(base, _token(env))
        sid = http.post("/api/v1/scenarios", json=scenario).json()["id"]
        job_id = http.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 6, "workers": 1}).json()["id"]
        job = http.wait(job_id, timeout=90, until=("running", *DONE))
        assert job["state"] == "running", (job, first.output())
        second = start_worker(env, tmp_path, f"spare-{uuid.uuid4().hex[:6]}")
        time.sleep(1.5)
        first.kill()  # SIGKILL to the worker and its pool children
        job = http.wait(job_id, timeout=150)
        assert job["state"] == "succeeded", (job, second.output())
        assert job["attempts"] == 2
        assert job["schedule_id"]
    finally:
        first.kill()
        if second:
            second.kill()
        api.kill()
