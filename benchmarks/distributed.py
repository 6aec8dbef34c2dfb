#!/usr/bin/env python3
"""One solve on 1, 2, 4 ... Celery worker processes (issue 16): time to a complete schedule
and the objective at given moments (default 5 and 10 minutes).

    .venv/bin/python benchmarks/planted.py --size XL --seed 1 --family mixed --out /tmp/xl
    .venv/bin/python benchmarks/distributed.py --scenario /tmp/xl/scenario.json \\
        --workers 1 2 4 --time-limit 600 --marks 300 600

For each worker count the script starts the service as it is deployed, on this machine:
`modulplan serve` (the API) and that many `modulplan worker --concurrency 1` processes on the
local Redis (a queue of their own) and PostgreSQL (a fresh schema of the database `test`,
dropped at the end; `--database-url` for another). It uploads the scenario, asks for one
solve with the time limit and follows the job once a second: the schedule is complete at
the first report with every session placed; the objective at a mark is the best reported at
or before it (the progress's elapsed time counts from the solve's start, as the time limit
does). The stored schedule is checked by the independent validator. One worker runs the job
alone (the search in its own process, as without Redis); with more, each round of the
search sends a region of the schedule to each other worker (docs/scale.md). All workers
share this machine's cores: with more worker processes than cores they take turns.

The table (markdown) goes to `--out-dir`/distributed.md and the raw samples to
distributed.json; a row is printed as each solve ends.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PG = ("127.0.0.1", 5432, "test")


@dataclass
class Run:
    """One solve on `workers` worker processes: what was seen of it."""

    workers: int
    time_limit: float
    samples: list = field(default_factory=list)  # [elapsed, objective, placed, total] once a second
    state: str = ""
    complete_at: float | None = None
    at_marks: dict = field(default_factory=dict)  # mark (s) -> best objective reported by then
    final_objective: float | None = None
    unscheduled: int | None = None
    valid: bool | None = None
    rounds: list = field(default_factory=list)  # the job's search_workers
    peak_mb: float = 0.0  # resident memory of every worker and its processes together, at its highest
    wall: float = 0.0


# -- processes -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """`modulplan ARGS` in a process group of its own (stopped with everything it started)."""
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "scheduler.cli", *args], env=env, cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


def workers_mb(procs: list[subprocess.Popen]) -> float:
    from service.jobs.child import resident_mb

    return sum(resident_mb(p.pid) for p in procs if p.poll() is None)


def fresh_schema() -> tuple[str, str, str]:
    """A new schema in the local PostgreSQL's `test` database: (URL, user, schema)."""
    import psycopg

    host, port, db = PG
    for user in ("root", "postgres"):
        try:
            with psycopg.connect(host=host, port=port, dbname=db, user=user, autocommit=True, connect_timeout=3) as c:
                schema = f"mpbench_{uuid.uuid4().hex[:10]}"
                c.execute(f'CREATE SCHEMA "{schema}"')
                return (f"postgresql+psycopg://{user}@{host}:{port}/{db}?options=-csearch_path%3D{schema}", user,
                        schema)
        except psycopg.Error:
            continue
    raise SystemExit(f"PostgreSQL is not reachable at {host}:{port} (database {db}); pass --database-url")


def drop_schema(user: str, schema: str) -> None:
    import psycopg

    host, port, db = PG
    with psycopg.connect(host=host, port=port, dbname=db, user=user, autocommit=True) as c:
        c.execute(f'DROP SCHEMA "{schema}" CASCADE')


# -- one solve -------------------------------------------------------------------------------
def solve_on(n: int, scenario: dict, args, database_url: str, logs: Path) -> Run:
    """The scenario solved once by the service with `n` worker processes (module docstring)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, REDIS_URL=args.redis_url, PYTHONUNBUFFERED="1",
               MODULPLAN_QUEUE=f"mpbench-{uuid.uuid4().hex[:8]}", MODULPLAN_PROGRESS_INTERVAL="1",
               MODULPLAN_MAX_BODY_BYTES=str(64 * 1024 * 1024))  # a national programme is a few MB of JSON
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = start(["serve", "--host", "127.0.0.1", "--port", str(port)], env, logs / f"api-{n}.log")
    workers = [start(["worker", "--concurrency", "1", "--hostname", f"b{n}-{i}@%h", "--loglevel", "INFO"], env,
                     logs / f"worker-{n}-{i}.log") for i in range(n)]
    run = Run(n, args.time_limit)
    try:
        _wait_for(lambda: _alive(base) == n, 120, f"{n} workers did not come up (logs in {logs})")
        token = subprocess.run([sys.executable, "-m", "scheduler.cli", "token", "create", "--role", "coordinator"],
                               env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()[-1]
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        sid = http.post(base + "/api/v1/scenarios", json=scenario, timeout=300).json()["id"]
        r = http.post(f"{base}/api/v1/scenarios/{sid}/solve",
                      json={"time_limit": args.time_limit, "workers": args.solver_workers}, timeout=60)
        r.raise_for_status()
        job_id = r.json()["id"]
        began = time.monotonic()
        job = _follow(http, base, job_id, run, workers, args.time_limit)
        run.wall = time.monotonic() - began
        _conclude(http, base, scenario, job, run, args.marks)
    finally:
        for p in workers + [api]:
            stop(p)
    return run


def _alive(base: str) -> int:
    try:
        return int(requests.get(base + "/api/v1/health", timeout=5).json()["workers"]["alive"])
    except (requests.RequestException, ValueError, KeyError, TypeError):
        return -1


def _wait_for(what, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.5)
    raise SystemExit(message)


def _follow(http: requests.Session, base: str, job_id: str, run: Run, workers: list, time_limit: float) -> dict:
    """Poll the job once a second until it ends: its progress samples and the workers' memory."""
    deadline = time.monotonic() + time_limit + 900  # preparation, validation and storing at national size
    while True:
        job = http.get(f"{base}/api/v1/jobs/{job_id}", timeout=30).json()
        p = job.get("progress") or {}
        if p.get("elapsed") is not None:
            run.samples.append([p["elapsed"], p.get("objective"), p.get("sessions_placed"), p.get("sessions_total")])
        run.peak_mb = max(run.peak_mb, workers_mb(workers))
        if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(1.0)


def _conclude(http: requests.Session, base: str, scenario: dict, job: dict, run: Run, marks: list[float]) -> None:
    """The run's figures from its samples and its stored schedule (validated)."""
    from scheduler.validate import validate

    run.state = job["state"]
    progress = job.get("progress") or {}
    run.rounds = progress.get("search_workers") or []
    done = [s for s in run.samples if s[2] is not None and s[2] == s[3] and s[1] is not None]
    run.complete_at = done[0][0] if done else None
    for mark in marks:
        seen = [s[1] for s in run.samples if s[0] <= mark and s[1] is not None]
        run.at_marks[mark] = min(seen) if seen else None
    if job.get("schedule_id"):
        schedule = http.get(f"{base}/api/v1/schedules/{job['schedule_id']}", timeout=120).json()
        run.final_objective = schedule.get("objective")
        run.unscheduled = len(schedule.get("unscheduled", []))
        run.valid = validate(scenario, schedule).ok
        if run.complete_at is None and run.unscheduled == 0:
            run.complete_at = progress.get("elapsed")  # complete only in the last report


# -- the table -------------------------------------------------------------------------------
def _num(x) -> str:
    return "–" if x is None else f"{x:,.0f}".replace(",", " ")


def rounds_summary(rounds: list[dict]) -> str:
    """`rounds: regions answered / sent out, results merged` of a run's search."""
    if not rounds:
        return "–"
    answered = sum(len(r["workers"]) - 1 for r in rounds)
    sent = answered + sum(r["dropped"] for r in rounds)
    return f"{len(rounds)}: {answered}/{sent}, {sum(r['merged'] for r in rounds)} merged"


def table(runs: list[Run], marks: list[float]) -> str:
    head = (["worker processes", "complete at (s)"] + [f"objective at {m:g} s" for m in marks]
            + ["final (unscheduled)", "valid", "rounds: regions answered/sent, merged", "peak memory (all workers)"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in runs:
        cells = [str(r.workers), _num(r.complete_at)] + [_num(r.at_marks.get(m)) for m in marks] + [
            f"{_num(r.final_objective)} ({_num(r.unscheduled)})", {True: "yes", False: "NO", None: "–"}[r.valid],
            rounds_summary(r.rounds), f"{r.peak_mb / 1000:.1f} GB"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load {load:.1f} at the end, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, required=True, help="the programme (e.g. planted.py --size XL's)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="worker processes, one solve each")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--marks", type=float, nargs="+", default=[300.0, 600.0], help="seconds: objective by then")
    ap.add_argument("--solver-workers", type=int, default=1, help="the job's `workers` option (solver threads)")
    ap.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                    help="PostgreSQL (default: a fresh schema of the local database `test`, dropped afterwards)")
    ap.add_argument("--out-dir", type=Path, default=HERE / "results")
    a = ap.parse_args(argv)
    scenario = json.loads(a.scenario.read_text(encoding="utf-8"))
    made = None
    database_url = a.database_url
    if not database_url:
        database_url, *made = fresh_schema()
    logs = Path(tempfile.mkdtemp(prefix="mp-distributed-"))
    runs: list[Run] = []
    try:
        for n in a.workers:
            run = solve_on(n, scenario, a, database_url, logs)
            runs.append(run)
            print(f"{n} worker(s): {run.state}, complete at {_num(run.complete_at)} s, "
                  + ", ".join(f"{m:g} s: {_num(v)}" for m, v in run.at_marks.items())
                  + f", final {_num(run.final_objective)} ({_num(run.unscheduled)} unscheduled), valid {run.valid}, "
                  f"rounds {rounds_summary(run.rounds)}, peak {run.peak_mb / 1000:.1f} GB", flush=True)
    finally:
        if made:
            drop_schema(*made)
    text = (f"Scenario `{a.scenario}` ({scenario.get('id')}), time limit {a.time_limit:g} s; {machine()}; "
            f"worker logs in {logs}.\n\n" + table(runs, a.marks) + "\n")
    print("\n" + text)
    a.out_dir.mkdir(parents=True, exist_ok=True)
    (a.out_dir / "distributed.md").write_text(text, encoding="utf-8")
    (a.out_dir / "distributed.json").write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    return 0 if all(r.state == "succeeded" and r.valid for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
