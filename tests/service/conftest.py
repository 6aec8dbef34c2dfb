"""Fixtures of the service tests: backends (SQLite, PostgreSQL), Redis, real processes.

PostgreSQL (127.0.0.1:5432, trust auth, database ``test``, user root or postgres) and Redis
(127.0.0.1:6379) are used when they answer; tests that need them skip with a clear message
only when they are really unreachable. Each run works in its own PostgreSQL schema and its
own Celery queue, and removes them afterwards.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import find_examples_dir, repo_root

PG_HOST, PG_PORT, PG_DB = "127.0.0.1", 5432, "test"
REDIS_URL_BASE = os.environ.get("MODULPLAN_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _pg_user() -> str | None:
    if not _port_open(PG_HOST, PG_PORT):
        return None
    import psycopg

    for user in ("root", "postgres"):
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, connect_timeout=3):
                return user
        except psycopg.Error:
            continue
    return None


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped at the end."""
    user = _pg_user()
    if user is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} (database {PG_DB}, user root or postgres); "
                    "CI starts it (./dev test)")
    import psycopg

    schema = f"mpt_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DB}?options=-csearch_path%3D{schema}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def redis_url():
    """The local Redis, one database per test process: Celery workers answer every ping on
    their broker, so two tests running at once (pytest-xdist's gw0, gw1) must not share one."""
    if not _port_open("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379; CI starts it (./dev test)")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return REDIS_URL_BASE
    return REDIS_URL_BASE.rsplit("/", 1)[0] + f"/{1 + int(worker[2:]) % 15}"


@pytest.fixture(scope="session")
def tiny_scenario_doc() -> dict:
    return json.loads((find_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))


@pytest.fixture
def tiny(tiny_scenario_doc) -> dict:
    return copy.deepcopy(tiny_scenario_doc)


# ------------------------------------------------------------------ in-process app (test client)

@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'modulplan.db'}"
        return
    base = request.getfixturevalue("pg_url")
    # a fresh schema per test keeps the tests independent
    import psycopg

    schema = f"mpt_{uuid.uuid4().hex[:12]}"
    user = base.split("://", 1)[1].split("@", 1)[0]
    with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield base.rsplit("%3D", 1)[0] + "%3D" + schema
    with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


class Client:
    """The Flask test client with tokens for each role."""

    def __init__(self, app):
        from service.auth import create_token

        self.app = app
        self.http = app.test_client()
        db = app.extensions["modulplan"].db
        self.tokens = {
            "coordinator": create_token(db, "coordinator")[0],
            "planner": create_token(db, "planner")[0],
            "manager": create_token(db, "manager", "W-VARD")[0],
            "manager_bruk": create_token(db, "manager", "W-BRUK")[0],
        }

    def h(self, role: str | None) -> dict:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    # buffered: the body is read and the response closed at once (a file response, e.g. a static
    # script, would otherwise keep its file open until garbage collection: a ResourceWarning)
    def get(self, path, role="coordinator", **kw):
        return self.http.get(path, headers={**self.h(role), **kw.pop("headers", {})}, buffered=True, **kw)

    def post(self, path, role="coordinator", **kw):
        return self.http.post(path, headers={**self.h(role), **kw.pop("headers", {})}, buffered=True, **kw)

    def publish(self, schedule_id: str) -> dict:
        """Publish a schedule as the coordinator (a solve only stores a draft)."""
        r = self.post(f"/api/v1/schedules/{schedule_id}/publish")
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.get_json()

    def programme(self, scenario_id: str) -> str:
        """The programme (lineage) a stored scenario belongs to: calendar UIDs are scoped by it."""
        return self.get(f"/api/v1/scenarios/{scenario_id}").get_json()["programme"]

    def wait_job(self, job_id: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/api/v1/jobs/{job_id}").get_json()
            if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
                return job
            time.sleep(0.2)


@pytest.fixture
def client(backend_url):
    from service import create_app

    app = create_app({"DATABASE_URL": backend_url, "TESTING": True, "EXECUTOR": "inprocess", "REDIS_URL": None,
                      "MAX_CONTENT_LENGTH": 256 * 1024, "PROGRESS_INTERVAL": 0.2, "REAPER_INTERVAL": 0.5,
                      "HEARTBEAT_STALE": 3.0})
    c = Client(app)
    yield c
    app.extensions["modulplan"].close()


# ------------------------------------------------------------------ real processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"PYTHONUNBUFFERED": "1", "MODULPLAN_PROGRESS_INTERVAL": "0.3", "MODULPLAN_REAPER_INTERVAL": "1",
                "MODULPLAN_HEARTBEAT_STALE": "4"})
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler.cli", *args], env=env, cwd=repo_root(),
                          capture_output=True, text=True, timeout=120)


class Proc:
    def __init__(self, args: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = open(log, "wb")
        self.p = subprocess.Popen([sys.executable, "-m", "scheduler.cli", *args], env=env, cwd=repo_root(),
                                  stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait(timeout=10)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def start_api(env: dict, tmp: Path, name="api") -> tuple[Proc, str]:
    import requests

    port = free_port()
    proc = Proc(["serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp / f"{name}.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.p.poll() is not None:
            raise RuntimeError(f"the API exited: {proc.output()}")
        try:
            if requests.get(base + "/api/v1/health", timeout=2).status_code in (200, 503):  # 503: no worker yet
                return proc, base
        except requests.RequestException:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the API did not start: {proc.output()}")


def start_worker(env: dict, tmp: Path, name: str, concurrency: int = 1) -> Proc:
    return Proc(["worker", "--concurrency", str(concurrency), "--hostname", f"{name}@%h", "--loglevel", "INFO"],
                env, tmp / f"{name}.log")
