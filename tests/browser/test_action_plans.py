"""The action-plan loop in the board, in headless Chromium against a real running service
(issue 15): two managers (the tiny example's two workplaces) each enter and submit a plan on a
phone-sized screen; one cannot see the other's plans; the coordinator sees both in the overview,
compiles and solves, and the job ends with a schedule the validator accepts; a programme is set
up from a JSON upload with errors (all shown, nothing stored) and then a valid one, and its
catalogue is edited. A screenshot of every step goes to $MODULPLAN_SCREENSHOTS (default
out/screenshots/)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.browser.board_driver import open_page, wait_for
from tests.conftest import find_examples_dir, repo_root
from tests.service.conftest import cli

# The tests tell one story in order (a manager submits, the other cannot see it, the
# coordinator compiles) on one module-scoped programme: `./dev test` keeps a file in one
# test process (--dist loadfile).
pytestmark = pytest.mark.usefixtures("chromium")

PHONE = (375, 812)


def shot(driver, name: str) -> Path:
    """A screenshot of the whole page (at the window's width) to $MODULPLAN_SCREENSHOTS."""
    folder = Path(os.environ.get("MODULPLAN_SCREENSHOTS") or repo_root() / "out" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    full = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 5000)")
    driver.set_window_size(width, max(600, full + 120))
    path = folder / f"action-plans-{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def set_value(driver, selector: str, value: str) -> None:
    """Set a field as a user's typing ends (date inputs differ per browser locale)."""
    js(driver, "const e = document.querySelector(arguments[0]); e.value = arguments[1];"
               "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
       selector, value)


def no_horizontal_scroll(driver) -> bool:
    return js(driver, "return document.documentElement.scrollWidth <= window.innerWidth")


def tiny() -> dict:
    return json.loads((find_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programme(board) -> dict:
    """A fresh programme of the tiny example (its own plans) and a manager token for each workplace."""
    doc = tiny()
    doc["name"] = "Handlingsplaner våren 2026"
    resp = board.api("POST", "/scenarios", json=doc)
    assert resp.status_code == 201, resp.text
    out = cli("token", "create", "--role", "manager", "--workplace", "W-BRUK", env=board.env)
    assert out.returncode == 0, out.stderr
    return {"scenario": resp.json()["id"], "managers": {"W-VARD": board.tokens["manager"], "W-BRUK": out.stdout.strip()}}


PLANS = {
    "W-VARD": {"track": "K-VARD", "rows": [("vard-dag", "3", "ar")], "earliest": "2026-03-02", "deadline": "2026-04-30",
               "off_shift": False, "note": "Tre undersköterskor, en behöver tolk."},
    "W-BRUK": {"track": "K-SAK", "rows": [("skiftlag-1", "2", ""), ("skiftlag-2", "2", "")], "earliest": "2026-03-09",
               "deadline": "2026-05-29", "off_shift": True, "note": "Helst under dagpass."},
}


def fill_plan(driver, plan: dict) -> None:
    """Fill the open plan form: track, participant rows (team, count, language), dates, permissions, note."""
    set_value(driver, "#p-track", plan["track"])
    while len(driver.find_elements(By.CSS_SELECTOR, "#participants .participant-row")) < len(plan["rows"]):
        driver.find_element(By.ID, "add-participants").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#participants .participant-row")
    for i, (team, count, language) in enumerate(plan["rows"]):
        base = f"#participants .participant-row:nth-child({i + 1})"
        set_value(driver, f"{base} [name=team]", team)
        set_value(driver, f"{base} [name=kind]", "count")
        set_value(driver, f"{base} [name=value]", count)
        set_value(driver, f"{base} [name=language]", language)
    assert len(rows) == len(plan["rows"])
    set_value(driver, "#p-earliest", plan["earliest"])
    set_value(driver, "#p-deadline", plan["deadline"])
    if driver.find_element(By.ID, "p-off-shift").is_selected() != plan["off_shift"]:
        driver.find_element(By.ID, "p-off-shift").click()
    set_value(driver, "#p-note", plan["note"])


def open_my_plans(driver, board, programme, workplace: str) -> None:
    """From the manager's start page to their workplace's action plans, by clicking."""
    open_page(driver, board.base, "/board/", programme["managers"][workplace])
    row = driver.find_element(By.CSS_SELECTOR, f"tr[data-scenario='{programme['scenario']}']")
    row.find_element(By.CSS_SELECTOR, "a.open-plans").click()
    wait_for(driver, "document.body.dataset.ready === '1' && document.body.dataset.page === 'action_plans'")


# ------------------------------------------------------------------ managers

@pytest.mark.parametrize("workplace", ["W-VARD", "W-BRUK"])
def test_a_manager_enters_and_submits_a_plan_on_a_phone(board, programme, browser, workplace):
    browser.set_window_size(*PHONE)
    open_my_plans(browser, board, programme, workplace)
    names = {w["id"]: w["name"] for w in tiny()["workplaces"]}
    assert names[workplace] in browser.find_element(By.ID, "page-title").text
    teams = {li.get_attribute("data-team") for li in browser.find_elements(By.CSS_SELECTOR, "#team-list li.team")}
    expected = {t["id"] for w in tiny()["workplaces"] if w["id"] == workplace for t in w["teams"]}
    assert teams == expected
    assert no_horizontal_scroll(browser)
    shot(browser, f"01-{workplace}-start")

    # a count of 0 is refused: the error is shown at the participant's count, nothing is stored
    browser.find_element(By.ID, "plan-new").click()
    wait_for(browser, "!document.getElementById('plan-editor').hidden")
    plan = PLANS[workplace]
    fill_plan(browser, plan)
    set_value(browser, "#participants .participant-row:nth-child(1) [name=value]", "0")
    browser.find_element(By.ID, "plan-save").click()
    wait_for(browser, "document.querySelector('#plan-form .field-error')", 30)
    error = browser.find_element(By.CSS_SELECTOR, "[data-path='$.participants[0].count'] .field-error")
    assert error.is_displayed() and error.text
    assert all(p["workplace"] != workplace for p in board.get(f"/scenarios/{programme['scenario']}/action-plans"))
    assert no_horizontal_scroll(browser)
    shot(browser, f"02-{workplace}-error")

    # corrected, saved as a draft: feedback of the pre-solve diagnosis, a history entry
    set_value(browser, "#participants .participant-row:nth-child(1) [name=value]", plan["rows"][0][1])
    browser.find_element(By.ID, "plan-save").click()
    wait_for(browser, "document.getElementById('plan-editor').dataset.status === 'draft'", 30)
    assert not browser.find_elements(By.CSS_SELECTOR, "#plan-form .field-error")
    feedback = browser.find_element(By.ID, "plan-feedback").text
    assert "bemanningsmarginal" in feedback
    wait_for(browser, "document.querySelectorAll('#plan-history li').length >= 1")
    shot(browser, f"03-{workplace}-draft")

    # submitted (once the buttons are enabled again after the save: a click before is lost)
    wait_for(browser, "!document.getElementById('plan-submit').disabled", 30)
    browser.find_element(By.ID, "plan-submit").click()
    wait_for(browser, "document.getElementById('plan-editor').dataset.status === 'submitted'", 30)
    wait_for(browser, "[...document.querySelectorAll('#plan-history li')].some((li) => li.dataset.action === 'submitted')")
    wait_for(browser, "document.querySelector('#plan-list li[data-status=submitted]')")
    assert "Inskickad" in browser.find_element(By.ID, "plan-history").text
    assert not browser.find_element(By.ID, "plan-withdraw").get_attribute("hidden")
    assert no_horizontal_scroll(browser)
    shot(browser, f"04-{workplace}-submitted")

    stored = [p for p in board.get(f"/scenarios/{programme['scenario']}/action-plans") if p["workplace"] == workplace]
    assert [p["status"] for p in stored] == ["submitted"]
    doc = stored[0]["document"]
    assert doc["track"] == plan["track"] and doc["earliest"] == plan["earliest"] and doc["deadline"] == plan["deadline"]
    assert doc["participants"][0]["count"] == int(plan["rows"][0][1]) and doc["note"] == plan["note"]
    assert doc["allow_off_shift"] is plan["off_shift"]


def test_a_manager_cannot_see_the_other_workplaces_plans(board, programme, browser):
    plans = board.get(f"/scenarios/{programme['scenario']}/action-plans")
    bruk = [p for p in plans if p["workplace"] == "W-BRUK"]
    assert bruk, "the W-BRUK manager's plan is stored"
    browser.set_window_size(*PHONE)
    open_page(browser, board.base, f"/board/scenarios/{programme['scenario']}/action-plans?workplace=W-BRUK",
              programme["managers"]["W-VARD"])
    shown = [li.get_attribute("data-plan") for li in browser.find_elements(By.CSS_SELECTOR, "#plan-list li")]
    mine = [p["id"] for p in plans if p["workplace"] == "W-VARD"]
    assert shown == mine
    text = browser.find_element(By.TAG_NAME, "body").text
    assert bruk[0]["plan_id"] not in text and "skiftlag" not in text and "Bruket" not in text
    assert browser.find_element(By.ID, "workplace-choice").get_attribute("hidden") is not None
    shot(browser, "05-W-VARD-only-own")


# ------------------------------------------------------------------ the coordinator

def test_the_coordinator_sees_both_plans_compiles_and_solves(board, programme, browser):
    open_page(browser, board.base, "/board/", board.tokens["coordinator"])
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-scenario='{programme['scenario']}']")
    row.find_element(By.CSS_SELECTOR, "a.open-overview").click()
    wait_for(browser, "document.body.dataset.ready === '1' && document.body.dataset.page === 'plans_overview'")
    for workplace in ("W-VARD", "W-BRUK"):
        tr = browser.find_element(By.CSS_SELECTOR, f"#overview-table tr[data-workplace='{workplace}']")
        assert tr.get_attribute("data-missing") == "0"
        assert tr.find_element(By.CSS_SELECTOR, "[data-count=submitted]").text == "1"
    tracks = {tr.get_attribute("data-track"): tr.find_element(By.CSS_SELECTOR, "td.num").get_attribute("data-value")
              for tr in browser.find_elements(By.CSS_SELECTOR, "#track-table tbody tr")}
    assert tracks == {"K-VARD": "3", "K-SAK": "4"}
    shot(browser, "06-overview")

    set_value(browser, "#compile-time", "2")
    browser.find_element(By.ID, "compile-button").click()
    wait_for(browser, "document.getElementById('compile-progress').dataset.state === 'succeeded'", 90)
    wait_for(browser, "document.getElementById('compile-progress-done')")
    new_scenario = browser.find_element(By.ID, "compile-scenario").get_attribute("data-scenario")
    job = board.get(f"/jobs/{browser.find_element(By.ID, 'compile-progress').get_attribute('data-job')}")
    assert job["scenario"] == new_scenario
    scenario, schedule = board.checked_schedule(job["schedule_id"])
    plan_ids = {p["plan_id"] for p in board.get(f"/scenarios/{programme['scenario']}/action-plans")}
    assert plan_ids <= {p["id"] for p in scenario["action_plans"]}
    assert board.get(f"/scenarios/{new_scenario}")["programme"] == board.get(f"/scenarios/{programme['scenario']}")["programme"]
    shot(browser, "07-compiled-and-solved")


# ------------------------------------------------------------------ programme set-up

def test_a_programme_is_set_up_from_a_json_upload_errors_first(board, browser, tmp_path):
    broken = tiny()
    broken["name"] = "Trasig omgång"
    del broken["horizon"]
    broken["workplaces"][0]["teams"][0]["min_staffing"] = 99
    (tmp_path / "trasig.json").write_text(json.dumps(broken), encoding="utf-8")
    good = tiny()
    good["name"] = "Hösten 2026"
    (tmp_path / "host.json").write_text(json.dumps(good), encoding="utf-8")
    refused = board.api("POST", "/scenarios", json=broken)  # 422: the errors the board must show, nothing stored
    assert refused.status_code == 422, refused.text
    before = len(board.get("/scenarios?limit=200"))

    open_page(browser, board.base, "/board/", board.tokens["coordinator"])
    browser.find_element(By.ID, "setup-file").send_keys(str(tmp_path / "trasig.json"))
    browser.find_element(By.ID, "setup-upload-button").click()
    wait_for(browser, "document.getElementById('setup-errors')")
    shown = [li.get_attribute("data-path") for li in browser.find_elements(By.CSS_SELECTOR, "#setup-errors li")]
    assert shown == [e["path"] for e in refused.json()["errors"]]
    assert "$.horizon" in shown and any(p.startswith("$.workplaces[0].teams[0]") for p in shown), shown
    assert len(board.get("/scenarios?limit=200")) == before
    shot(browser, "08-setup-errors")

    browser.find_element(By.ID, "setup-file").send_keys(str(tmp_path / "host.json"))
    browser.find_element(By.ID, "setup-upload-button").click()
    wait_for(browser, "!document.getElementById('setup-done').hidden")
    created = browser.find_element(By.ID, "setup-done").get_attribute("data-scenario")
    assert board.get(f"/scenarios/{created}")["name"] == "Hösten 2026"
    assert len(board.get("/scenarios?limit=200")) == before + 1
    assert not browser.find_elements(By.CSS_SELECTOR, "#setup-errors li")
    shot(browser, "09-setup-created")

    # the catalogue: an error at its section (nothing stored), then a new version of the programme
    browser.find_element(By.ID, "setup-open-catalogue").click()
    wait_for(browser, "document.body.dataset.ready === '1' && document.body.dataset.page === 'catalogue'")
    tracks = json.loads(browser.find_element(By.ID, "json-tracks").get_attribute("value"))
    tracks[0]["min_group"] = 0
    set_value(browser, "#json-tracks", json.dumps(tracks, ensure_ascii=False, indent=2))
    browser.find_element(By.ID, "save-tracks").click()
    wait_for(browser, "document.querySelector('#section-tracks .field-error')")
    assert "$.tracks[0].min_group" in browser.find_element(By.ID, "section-tracks").text
    assert len(board.get("/scenarios?limit=200")) == before + 1
    shot(browser, "10-catalogue-error")
    tracks[0]["min_group"] = 2
    set_value(browser, "#json-tracks", json.dumps(tracks, ensure_ascii=False, indent=2))
    browser.find_element(By.ID, "save-tracks").click()
    wait_for(browser, "!document.getElementById('catalogue-done').hidden")
    version = browser.find_element(By.ID, "catalogue-done").get_attribute("data-scenario")
    stored = board.get(f"/scenarios/{version}")
    assert stored["document"]["tracks"][0]["min_group"] == 2
    assert stored["programme"] == board.get(f"/scenarios/{created}")["programme"]
    shot(browser, "11-catalogue-saved")
