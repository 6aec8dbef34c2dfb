"""Soak benchmark of the service (not a test): feed latency under load, with and without two
solves running, and the server's memory through the hostile requests of issue 13.

    .venv/bin/python benchmarks/soak.py                 # 100 requests/s for 20 s per phase
    .venv/bin/python benchmarks/soak.py --rate 200 --seconds 30

It starts `modulplan serve` (gunicorn, the embedded default: SQLite, in-process jobs) in a
temporary data folder, publishes the elderly-care example and subscribes to all its feeds, then
in one run, side by side:

0. every feed requested once (the first request renders it; the figure is printed);
1. **idle**: feeds at ``--rate`` requests/s (open loop: requests start on schedule whether or
   not earlier ones have finished), 1 in 4 a conditional GET with the ETag it got before;
2. **two solves**: the same while two 60 s solves of the elderly-care example run;
3. **hostile**: the hostile requests of `tests/service/test_hostile.py` one after the other,
   each with its status and time, the server's resident memory (gunicorn master and workers;
   solves run in their own processes) sampled throughout.

Prints p50/p99/max latency per phase and the ratio of phase 2 to phase 1.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_rss_mb(master: int) -> float:
    """Resident memory of the gunicorn master and its worker processes (not the solves' forkserver)."""
    from service.jobs.child import PAGE

    pids = [master]
    try:
        for task in os.listdir(f"/proc/{master}/task"):
            with open(f"/proc/{master}/task/{task}/children") as f:
                pids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"forkserver" in f.read():
                    continue
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1])
        except OSError:
            continue
    return total * PAGE / 1e6


def load(urls: list[str], rate: float, seconds: float) -> dict:
    """Open-loop load: request i starts at i / rate seconds; latencies in ms by kind."""
    etags: dict[str, str] = {}
    out = {"200": [], "304": [], "errors": 0}
    lock = threading.Lock()
    local = threading.local()

    def one(i: int, due: float) -> None:
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        session = getattr(local, "s", None) or requests.Session()
        local.s = session
        url = urls[i % len(urls)]
        headers = {"If-None-Match": etags[url]} if i % 4 == 3 and url in etags else {}
        started = time.monotonic()
        try:
            r = session.get(url, headers=headers, timeout=30)
            ms = (time.monotonic() - started) * 1000
            with lock:
                if r.status_code == 200:
                    etags[url] = r.headers.get("ETag", "")
                    out["200"].append(ms)
                elif r.status_code == 304:
                    out["304"].append(ms)
                else:
                    out["errors"] += 1
        except requests.RequestException:
            with lock:
                out["errors"] += 1

    n = int(rate * seconds)
    start = time.monotonic() + 0.5
    with ThreadPoolExecutor(64) as pool:
        for i in range(n):
            pool.submit(one, i, start + i / rate)
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def hostile_requests(base: str, headers: dict, tiny: dict, sid: str) -> list[tuple[str, requests.Response, float]]:
    from tests.service.test_hostile import zip_bomb as bomb

    def variant(change):
        doc = copy.deepcopy(tiny)
        change(doc)
        return doc

    team = tiny["action_plans"][0]["participants"][0]["team"]
    probes = [
        ("counted group of 10^8", "POST", "/api/v1/scenarios", {"json": variant(
            lambda d: d["action_plans"][0].__setitem__("participants", [{"team": team, "count": 10**8}]))}),
        ("200-year horizon", "POST", "/api/v1/scenarios", {"json": variant(
            lambda d: d.__setitem__("horizon", {"start": "2026-01-01", "end": "2225-12-31"}))}),
        ("288 start times a day", "POST", "/api/v1/scenarios", {"json": variant(lambda d: (
            d["horizon"].__setitem__("end", "2030-12-31"),
            d.setdefault("calendar", {}).__setitem__("start_times", [f"{h:02d}:{m:02d}" for h in range(24)
                                                                     for m in range(0, 60, 5)])))}),
        ("module of 10^5 sessions", "POST", "/api/v1/scenarios", {"json": variant(
            lambda d: d["modules"][0].__setitem__("sessions", 10**5))}),
        ("weight 1e308", "POST", "/api/v1/scenarios", {"json": variant(
            lambda d: d.__setitem__("weights", {"late_per_day": 1e308}))}),
        ("JSON 10 000 deep on /solve", "POST", f"/api/v1/scenarios/{sid}/solve", {
            "data": "[" * 10_000 + "]" * 10_000, "headers": {"Content-Type": "application/json"}}),
        ("non-JSON body on /replan", "POST", f"/api/v1/scenarios/{sid}/replan", {
            "data": b"time_limit=1", "headers": {"Content-Type": "text/plain"}}),
        ("workbook zip bomb (8 M rows)", "POST", "/api/v1/workbooks", {
            "data": bomb(8_000_000), "headers": {"Content-Type":
                                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}),
        ("calendar RRULE:FREQ=SECONDLY", "POST", f"/api/v1/scenarios/{sid}/unavailable?trainer=T-ERIK", {
            "data": (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z"
                     b"\r\nDTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"
                     b"END:VCALENDAR\r\n"), "headers": {"Content-Type": "text/calendar"}}),
    ]
    out = []
    for label, method, path, kw in probes:
        h = dict(headers, **kw.pop("headers", {}))
        started = time.monotonic()
        r = requests.request(method, base + path, headers=h, timeout=60, **kw)
        out.append((label, r, time.monotonic() - started))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=100.0, help="feed requests per second (default 100)")
    ap.add_argument("--seconds", type=float, default=20.0, help="seconds per load phase (default 20)")
    args = ap.parse_args(argv)

    from tests.conftest import find_examples_dir

    tiny = json.loads((find_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))
    elderly = json.loads((ROOT / "scenarios" / "elderly_care_municipality.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MODULPLAN_DATA_DIR=tmp, MODULPLAN_MAX_BODY_BYTES=str(5 * 1024 * 1024))
        env.pop("REDIS_URL", None)
        env.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "scheduler.cli"]
        token = subprocess.run(cli + ["token", "create", "--role", "coordinator"], env=env, capture_output=True,
                               text=True, check=True).stdout.strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(cli + ["serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=open(Path(tmp) / "server.log", "w"), start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        h = {"Authorization": f"Bearer {token}"}
        try:
            for _ in range(200):
                try:
                    if requests.get(base + "/api/v1/health", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.2)

            def solve(doc, seconds):
                sid = requests.post(base + "/api/v1/scenarios", json=doc, headers=h, timeout=30).json()["id"]
                job = requests.post(f"{base}/api/v1/scenarios/{sid}/solve", json={"time_limit": seconds, "workers": 1},
                                    headers=h, timeout=30).json()["id"]
                return sid, job

            def wait(job):
                while True:
                    got = requests.get(f"{base}/api/v1/jobs/{job}", headers=h, timeout=30).json()
                    if got["state"] in ("succeeded", "failed", "cancelled"):
                        return got
                    time.sleep(0.5)

            sid, job = solve(elderly, 10)
            sched = wait(job)["schedule_id"]
            requests.post(f"{base}/api/v1/schedules/{sched}/publish", headers=h, timeout=30).raise_for_status()
            feeds = requests.get(f"{base}/api/v1/schedules/{sched}/calendars", headers=h, timeout=30).json()["feeds"]
            urls = [f["url"].replace(f["url"].split("/api/")[0], base) for f in feeds]
            print(f"{len(urls)} feeds of the elderly-care programme; {args.rate:g} requests/s for {args.seconds:g} s "
                  "per phase, 1 in 4 conditional")
            started = time.monotonic()
            for url in urls:  # the first request of each feed renders it; every later one is served from the cache
                requests.get(url, timeout=30)
            print(f"first request of each feed (rendering): {(time.monotonic() - started) / len(urls) * 1000:.1f} ms "
                  "on average")
            phases = {"idle": load(urls, args.rate, args.seconds)}
            busy = [solve(elderly, args.seconds + 40)[1] for _ in range(2)]
            time.sleep(3)  # both solves under way
            running = [requests.get(f"{base}/api/v1/jobs/{j}", headers=h, timeout=30).json()["state"] for j in busy]
            phases["two solves"] = load(urls, args.rate, args.seconds)
            for j in busy:
                requests.post(f"{base}/api/v1/jobs/{j}/cancel", headers=h, timeout=30)
            print("\n| phase | requests | 200 p50 ms | 200 p99 ms | 304 p50 ms | 304 p99 ms | max ms | errors |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for name, got in phases.items():
                every = got["200"] + got["304"]
                print(f"| {name} | {len(every)} | {pct(got['200'], .5):.1f} | {pct(got['200'], .99):.1f} | "
                      f"{pct(got['304'], .5):.1f} | {pct(got['304'], .99):.1f} | {max(every or [0]):.1f} | "
                      f"{got['errors']} |")
            a, b = phases["idle"], phases["two solves"]
            print(f"\nwith two solves running ({', '.join(running)}) / idle: p50 "
                  f"{pct(b['200'] + b['304'], .5) / pct(a['200'] + a['304'], .5):.2f}x, p99 "
                  f"{pct(b['200'] + b['304'], .99) / pct(a['200'] + a['304'], .99):.2f}x")

            tiny_sid = requests.post(base + "/api/v1/scenarios", json=tiny, headers=h, timeout=30).json()["id"]
            peak = [server_rss_mb(server.pid)]
            stop = threading.Event()

            def sample():
                while not stop.wait(0.05):
                    peak.append(server_rss_mb(server.pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            results = hostile_requests(base, h, tiny, tiny_sid)
            stop.set()
            sampler.join()
            alive = requests.get(base + "/api/v1/health", timeout=5).status_code == 200
            print("\n| hostile request | status | seconds |\n|---|---:|---:|")
            for label, r, seconds in results:
                print(f"| {label} | {r.status_code} | {seconds:.2f} |")
            print(f"\nserver (gunicorn master + workers) resident memory: {peak[0]:.0f} MB before, peak "
                  f"{max(peak):.0f} MB through the hostile requests; answering afterwards: {alive}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
