"""Fixtures of the board's browser tests: a real `modulplan serve` (embedded SQLite, in-process
solves) on a free port, tokens of every role, the tiny example stored and solved through the API,
and one headless Chromium (Debian `chromium` + `chromium-driver`; the tests skip, saying how to
install them, only when they are missing). Screenshots of every view go to out/screenshots/."""

from __future__ import annotations

import json
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scheduler.validate import validate
from tests.browser.board_driver import APT_LINE, find_chromium, start_chromium, stop_chromium
from tests.conftest import find_examples_dir, repo_root
from tests.service.conftest import cli, service_env, start_api

SCREENSHOTS = repo_root() / "out" / "screenshots"


@dataclass
class Board:
    """The running service: its base URL, a token per role, and API calls with them."""

    base: str
    tokens: dict
    env: dict
    cache: dict = field(default_factory=dict)

    def api(self, method: str, path: str, role: str = "coordinator", **kw):
        import requests

        resp = requests.request(method, f"{self.base}/api/v1{path}", timeout=60,
                                headers={"Authorization": f"Bearer {self.tokens[role]}"}, **kw)
        return resp

    def get(self, path: str, role: str = "coordinator"):
        resp = self.api("GET", path, role)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def solve(self, scenario_row: str, time_limit: float = 2.0) -> dict:
        """Solve a stored scenario through the API and wait for the job; returns the finished job."""
        resp = self.api("POST", f"/scenarios/{scenario_row}/solve", json={"time_limit": time_limit, "workers": 1})
        assert resp.status_code == 202, resp.text
        return self.wait_job(resp.json()["id"])

    def wait_job(self, job_id: str, timeout: float = 120.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/jobs/{job_id}")
            if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
                return job
            time.sleep(0.2)

    def checked_schedule(self, schedule_id: str) -> tuple[dict, dict]:
        """(scenario document, schedule) of a stored schedule, after the independent validator accepted it."""
        schedule = self.get(f"/schedules/{schedule_id}")
        board = self.get(f"/board/schedules/{schedule_id}")
        scenario = self.get(f"/scenarios/{board['schedule']['scenario']}")["document"]
        report = validate(scenario, schedule)
        assert report.ok, [str(v.message) for v in report.violations]
        return scenario, schedule


@pytest.fixture(scope="session")
def board(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("board")
    env = service_env(MODULPLAN_DATA_DIR=str(tmp / "data"), MODULPLAN_EXECUTOR_THREADS="2",
                      MODULPLAN_PROGRESS_INTERVAL="0.2")
    proc, base = start_api(env, tmp, name="board-api")
    tokens = {}
    for role, extra in (("coordinator", []), ("planner", []), ("manager", ["--workplace", "W-VARD"])):
        out = cli("token", "create", "--role", role, *extra, env=env)
        assert out.returncode == 0, out.stderr
        tokens[role] = out.stdout.strip()
    try:
        yield Board(base, tokens, env)
    finally:
        proc.kill(signal.SIGTERM)


@pytest.fixture(scope="session")
def tiny_solved(board) -> dict:
    """The tiny example stored, solved (2 s) and published through the API, its schedule validated."""
    doc = json.loads((find_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))
    resp = board.api("POST", "/scenarios", json=doc)
    assert resp.status_code == 201, resp.text
    scenario = resp.json()["id"]
    job = board.solve(scenario, 2.0)
    assert job["state"] == "succeeded", job
    published = board.api("POST", f"/schedules/{job['schedule_id']}/publish")
    assert published.status_code == 201, published.text
    _, schedule = board.checked_schedule(job["schedule_id"])
    return {"scenario": scenario, "schedule": job["schedule_id"], "document": doc, "schedule_doc": schedule}


@pytest.fixture(scope="session")
def chromium():
    if find_chromium() is None:
        pytest.skip(f"headless Chromium is not installed ({APT_LINE}; .ci/run installs it)")
    driver = start_chromium()
    try:
        yield driver
    finally:
        stop_chromium(driver)


@pytest.fixture
def browser(chromium):
    """The shared browser, signed out and at laptop size at the start of each test."""
    chromium.set_window_size(1366, 900)
    chromium.get("about:blank")
    chromium.delete_all_cookies()
    yield chromium


def screenshot(driver, name: str) -> Path:
    """Save a screenshot of the whole page for review (out/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(600, height + 120))
    driver.save_screenshot(str(path))
    return path


def number(text: str) -> float:
    """A number as the page shows it, in either language ("12 345,5", "12,345.5", "3,2 %")."""
    s = re.sub(r"[\s\u00a0\u202f%]", "", text)
    if "," in s and "." not in s and re.search(r",\d{1,2}$", s) and not re.search(r",\d{3}$", s):
        s = s.replace(",", ".")
    return float(s.replace(",", "").replace("\u2212", "-"))
