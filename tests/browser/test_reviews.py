"""Review before publishing in the board (issue 15), in Swedish, against a real service: the
coordinator sends a draft for review from the schedule page, each manager finds it on their
start page, sees their sessions and staffing, and answers (one accepts, one marks a blocked
week, after first being told what is wrong with a bad period); the coordinator sees the
answers, makes the variant and re-plans it against the proposal. A screenshot of every step
goes to $MODULPLAN_SCREENSHOTS (default out/screenshots/)."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from scheduler.validate import validate
from tests.browser.board_driver import open_page, wait_for
from tests.conftest import find_examples_dir, repo_root
from tests.service.conftest import cli

pytestmark = pytest.mark.usefixtures("chromium")


def shot(driver, name: str) -> Path:
    """A whole-page screenshot of one step, to $MODULPLAN_SCREENSHOTS (default out/screenshots/)."""
    folder = Path(os.environ.get("MODULPLAN_SCREENSHOTS") or repo_root() / "out" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
    driver.set_window_size(driver.get_window_size()["width"], max(600, height + 120))
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def set_value(driver, element_id: str, value: str) -> None:
    driver.execute_script("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                          "e.dispatchEvent(new Event('input', {bubbles: true}));"
                          "e.dispatchEvent(new Event('change', {bubbles: true}));", element_id, value)


def vard_week(schedule: dict) -> tuple[str, str]:
    """Monday..Friday of the week of the draft's first session of the Linden cohort."""
    linden = {c["id"] for c in schedule["cohorts"] if "W-VARD" in c["workplaces"]}
    first = min(s["start"] for s in schedule["sessions"] if s["cohort"] in linden)
    day = datetime.fromisoformat(first).date()
    monday = day - timedelta(days=day.weekday())
    return monday.isoformat(), (monday + timedelta(days=4)).isoformat()


def in_week(schedule: dict, first: str, last: str) -> list[str]:
    lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    linden = {c["id"] for c in schedule["cohorts"] if "W-VARD" in c["workplaces"]}
    return [s["id"] for s in schedule["sessions"] if s["cohort"] in linden
            and lo <= datetime.fromisoformat(s["start"]).date() <= hi]


@pytest.fixture(scope="module")
def draft(board) -> dict:
    """The tiny example stored as a programme of its own and solved: a draft, not published."""
    doc = json.loads((find_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))
    resp = board.api("POST", "/scenarios", json=doc)
    assert resp.status_code == 201, resp.text
    job = board.solve(resp.json()["id"], 2.0)
    assert job["state"] == "succeeded", job
    out = cli("token", "create", "--role", "manager", "--workplace", "W-BRUK", env=board.env)
    assert out.returncode == 0, out.stderr
    board.tokens.setdefault("manager_bruk", out.stdout.strip())
    return {"scenario": resp.json()["id"], "schedule": job["schedule_id"],
            "document": board.get(f"/schedules/{job['schedule_id']}")}


def test_review_loop_manager_blocks_a_week_and_the_coordinator_makes_the_variant(board, draft, browser):
    sched = draft["schedule"]
    # 1. the coordinator sends the draft for review from the schedule page
    open_page(browser, board.base, f"/board/schedules/{sched}", board.tokens["coordinator"])
    wait_for(browser, "document.getElementById('send-review')")
    browser.find_element(By.ID, "send-review").click()
    wait_for(browser, "document.getElementById('review-answers')")
    assert "Skickat för granskning" in browser.find_element(By.ID, "review-panel").text
    assert "Har inte svarat" in browser.find_element(By.ID, "review-unanswered").text
    shot(browser, "review-01-skickat-for-granskning")

    # 2. the manager of Linden finds it on the start page and opens it
    open_page(browser, board.base, "/board/", board.tokens["manager"])
    link = browser.find_element(By.CSS_SELECTOR, f"#open-reviews li[data-schedule='{sched}'] a.open-review")
    assert "Granska" in link.text
    shot(browser, "review-02-chefens-startsida")
    link.click()
    wait_for(browser, "document.body && document.body.dataset.ready === '1' && document.getElementById('answer-form')")
    assert "Granska förslaget" in browser.find_element(By.ID, "page-title").text
    mine = board.get(f"/schedules/{sched}/review", role="manager")
    rows = browser.find_elements(By.CSS_SELECTOR, "#review-session-table tbody tr")
    assert [r.get_attribute("data-session") for r in rows] == [s["id"] for s in mine["proposal"]["sessions"]]
    assert {s["cohort"] for s in mine["proposal"]["sessions"]} == {
        c["id"] for c in draft["document"]["cohorts"] if "W-VARD" in c["workplaces"]}
    assert browser.find_elements(By.CSS_SELECTOR, "#review-staffing-table tbody tr[data-team='vard-dag']")
    shot(browser, "review-03-chefens-pass-och-bemanning")

    # 3. a period that ends before it starts is refused, with the field named
    first, last = vard_week(draft["document"])
    browser.find_element(By.ID, "answer-changes").click()
    browser.find_element(By.ID, "add-period").click()
    Select(browser.find_element(By.ID, "blocked-team-0")).select_by_value("vard-dag")
    set_value(browser, "blocked-start-0", last)
    set_value(browser, "blocked-end-0", first)
    browser.find_element(By.ID, "submit-answer").click()
    wait_for(browser, "document.querySelector('#answer-errors li')")
    assert browser.find_element(By.CSS_SELECTOR, "#answer-errors li").get_attribute("data-path") == "$.blocked[0].end"
    shot(browser, "review-04-fel-i-perioden")

    # 4. the blocked week, with a reason and a comment
    set_value(browser, "blocked-start-0", first)
    set_value(browser, "blocked-end-0", last)
    set_value(browser, "blocked-reason-0", "inventering")
    set_value(browser, "comment", "Vi kan inte släppa någon den veckan.")
    browser.find_element(By.ID, "submit-answer").click()
    wait_for(browser, "document.body.dataset.answerSaved === '1'")
    assert "Svaret är sparat" in browser.find_element(By.ID, "status").text
    shot(browser, "review-05-sparrad-vecka-sparad")
    answer = board.get(f"/schedules/{sched}/review", role="manager")["answer"]
    assert answer["answer"] == "changes"
    assert answer["blocked"] == [{"team": "vard-dag", "start": first, "end": last, "reason": "inventering"}]

    # 5. the second manager (Bruket) accepts (a fresh page: the same address with another token)
    browser.get("about:blank")
    open_page(browser, board.base, f"/board/schedules/{sched}/review", board.tokens["manager_bruk"])
    browser.find_element(By.ID, "answer-accept").click()
    browser.find_element(By.ID, "submit-answer").click()
    wait_for(browser, "document.body.dataset.answerSaved === '1'")
    assert "inventering" not in browser.find_element(By.TAG_NAME, "body").text  # Linden's answer is not theirs
    shot(browser, "review-06-bruket-godkanner")

    # 6. the coordinator sees both answers, makes the variant and re-plans it against the proposal
    open_page(browser, board.base, f"/board/schedules/{sched}", board.tokens["coordinator"])
    wait_for(browser, "document.querySelector('#review-answers tr[data-workplace=\"W-VARD\"][data-answer=\"changes\"]')")
    wait_for(browser, "document.querySelector('#review-answers tr[data-workplace=\"W-BRUK\"][data-answer=\"accept\"]')")
    assert "inventering" in browser.find_element(By.ID, "review-answers").text
    shot(browser, "review-07-samordnaren-ser-svaren")
    browser.find_element(By.ID, "make-variant").click()
    wait_for(browser, "document.querySelector('#variant-changes li')")
    variant = browser.find_element(By.ID, "open-variant").get_attribute("data-variant")
    shot(browser, "review-08-variant-av-svaren")
    browser.find_element(By.ID, "replan-variant").click()
    job_id = wait_for(browser, "document.getElementById('replan-variant').dataset.job")
    job = board.wait_job(job_id)
    assert job["state"] == "succeeded", job
    replanned = board.get(f"/schedules/{job['schedule_id']}")
    v = board.get(f"/variants/{variant}")
    assert v["changes"][0]["type"] == "block_team"
    assert in_week(draft["document"], first, last) and in_week(replanned, first, last) == []
    report = validate(v["document"], replanned, baseline=draft["document"])
    assert report.ok, [str(x) for x in report.violations]
    open_page(browser, board.base, f"/board/compare?schedules={sched},{job['schedule_id']}", board.tokens["coordinator"])
    shot(browser, "review-09-jamforelse")
