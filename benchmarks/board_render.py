"""How fast the planning board draws the largest example scenario in headless Chromium.

    .venv/bin/python benchmarks/board_render.py [--schedule out/elderly_care_municipality.schedule.json] [--runs 5]

1. a fresh `modulplan serve` (embedded SQLite in a temporary folder) on a free port;
2. scenarios/elderly_care_municipality.json (446 sessions) and a schedule of it are loaded with
   `modulplan board load` (the schedule: --schedule, else out/…schedule.json from `./dev demo`
   if it is there, else a 3-second solve), validated on the way;
3. headless Chromium (Debian `chromium` + `chromium-driver`) opens the schedule page --runs
   times; each time it records the milliseconds from the start of navigation until the
   timeline is drawn (the page's own mark, `body[data-render-ms]`) and the wall time seen by
   the driver, then the time to redraw the timeline at month zoom and to draw the list of all
   sessions and the staffing view.

Prints one JSON object (and writes it with --out). The issue's bound: under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.board_driver import open_page, start_chromium, stop_chromium, wait_for  # noqa: E402

SCENARIO = ROOT / "scenarios" / "elderly_care_municipality.json"
DEMO_SCHEDULE = ROOT / "out" / "elderly_care_municipality.schedule.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def modulplan(*args: str, env: dict) -> str:
    out = subprocess.run([sys.executable, "-m", "scheduler.cli", *args], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"modulplan {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def schedule_file(given: str | None, tmp: Path, env: dict) -> Path:
    """The schedule to draw: the given one, the demo's, or a 3-second solve."""
    if given:
        return Path(given)
    if DEMO_SCHEDULE.exists():
        return DEMO_SCHEDULE
    path = tmp / "elderly.schedule.json"
    modulplan("solve", str(SCENARIO), "--out", str(path), "--time-limit", "3", "--workers", "1", env=env)
    return path


def measure_once(driver, base: str, schedule_id: str) -> dict:
    started = time.monotonic()
    open_page(driver, base, f"/board/schedules/{schedule_id}", timeout=60)
    wait_for(driver, "document.querySelector('#tl-canvas svg')")
    wall = time.monotonic() - started
    drawn = int(driver.execute_script("return document.body.dataset.renderMs"))
    script = int(driver.execute_script("return document.body.dataset.scriptMs"))
    week_sessions = int(driver.execute_script("return document.getElementById('tl-canvas').dataset.sessions"))
    t0 = time.monotonic()
    driver.execute_script("const z = document.getElementById('tl-zoom'); z.value = 'month'; z.dispatchEvent(new Event('change'));")
    month_ms = int(driver.execute_script("return document.getElementById('tl-canvas').dataset.renderMs"))
    month_sessions = int(driver.execute_script("return document.getElementById('tl-canvas').dataset.sessions"))
    month_wall = time.monotonic() - t0
    t0 = time.monotonic()
    driver.execute_script("document.getElementById('tab-agenda').click()")
    wait_for(driver, "document.querySelectorAll('#agenda-table tbody tr').length > 0")
    agenda_wall = time.monotonic() - t0
    rows = int(driver.execute_script("return document.querySelectorAll('#agenda-table tbody tr').length"))
    t0 = time.monotonic()
    driver.execute_script("document.getElementById('tab-staffing').click()")
    wait_for(driver, "document.querySelector('#shift-table')")
    staffing_wall = time.monotonic() - t0
    return {"drawn_ms_after_navigation_start": drawn, "page_script_ms": script, "wall_s": round(wall, 3),
            "week_sessions_drawn": week_sessions, "month_redraw_ms": month_ms, "month_sessions_drawn": month_sessions,
            "month_redraw_wall_s": round(month_wall, 3), "list_rows": rows, "list_wall_s": round(agenda_wall, 3),
            "staffing_wall_s": round(staffing_wall, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schedule", help="a schedule of scenarios/elderly_care_municipality.json")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="board-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(MODULPLAN_DATA_DIR=str(tmp / "data"), PYTHONUNBUFFERED="1")
        sched_path = schedule_file(args.schedule, tmp, env)
        loaded = modulplan("board", "load", str(SCENARIO), str(sched_path), env=env)
        schedule_id = loaded.split("schedule ", 1)[1].split()[0]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        link = modulplan("board", "link", "--base", base, env=env).strip()
        token = link.split("#token=", 1)[1]
        log = open(tmp / "serve.log", "wb")
        server = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        driver = None
        try:
            import requests

            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + "/api/v1/health", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the service did not start: " + (tmp / "serve.log").read_text()[-2000:])
                time.sleep(0.3)
            driver = start_chromium()
            open_page(driver, base, "/board/", token)  # signs in (the token goes to the browser's storage)
            runs = [measure_once(driver, base, schedule_id) for _ in range(args.runs)]
        finally:
            if driver is not None:
                stop_chromium(driver)
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
            log.close()
    sessions = len(json.loads(sched_path.read_text(encoding="utf-8"))["sessions"])
    drawn = [r["drawn_ms_after_navigation_start"] for r in runs]
    result = {"scenario": SCENARIO.name, "sessions": sessions, "runs": runs,
              "median_drawn_ms": statistics.median(drawn), "max_drawn_ms": max(drawn),
              "max_wall_s": max(r["wall_s"] for r in runs), "under_3_s": max(r["wall_s"] for r in runs) < 3.0}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0 if result["under_3_s"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
