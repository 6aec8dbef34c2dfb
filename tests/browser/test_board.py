"""The planning board in headless Chromium against a real running service: each page loads,
the solve -> variant -> compare flow works by clicking, and what the pages show equals what
the API answers. Every view's screenshot is saved to out/screenshots/."""

from __future__ import annotations

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.board_driver import open_page, wait_for
from tests.browser.conftest import number, screenshot
from tests.conftest import repo_root

pytestmark = pytest.mark.usefixtures("chromium")


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def card(driver, key: str) -> tuple[str, str]:
    """(data-value, shown text) of a KPI card."""
    el = driver.find_element(By.CSS_SELECTOR, f".kpi[data-kpi='{key}']")
    return el.get_attribute("data-value"), el.find_element(By.CSS_SELECTOR, ".kpi-value").text


def show_tab(driver, name: str) -> None:
    driver.find_element(By.ID, f"tab-{name}").click()
    wait_for(driver, f"!document.getElementById('panel-{name}').hidden")


def set_value(driver, element_id: str, value: str) -> None:
    """Set a form field the way a user's typing ends (date inputs differ per browser locale)."""
    js(driver, "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
               "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
       element_id, value)


# ------------------------------------------------------------------ the scenario list

def test_the_scenario_list_shows_every_stored_scenario_with_a_link_to_its_newest_schedule(board, tiny_solved, browser):
    open_page(browser, board.base, "/board/", board.tokens["coordinator"])
    rows = browser.find_elements(By.CSS_SELECTOR, "#scenario-table tbody tr")
    listed = board.get("/scenarios?limit=200")
    assert [r.get_attribute("data-scenario") for r in rows] == [s["id"] for s in listed]
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-scenario='{tiny_solved['scenario']}']")
    assert tiny_solved["document"]["name"] in row.text
    link = row.find_element(By.CSS_SELECTOR, "a.open-schedule").get_attribute("href")
    assert link.endswith(f"/board/schedules/{board.get('/scenarios/' + tiny_solved['scenario'])['latest_schedule_id']}")
    screenshot(browser, "01-scenarios")


def test_a_wrong_token_gets_the_sign_in_form_with_the_reason(board, browser):
    open_page(browser, board.base, "/board/", "mp_not-a-token")
    assert browser.find_element(By.ID, "signin").is_displayed()
    assert "unknown or revoked" in browser.find_element(By.ID, "signin").text
    assert js(browser, "return localStorage.getItem('modulplan.board.token')") is None


# ------------------------------------------------------------------ solve -> variant -> compare

def test_solve_then_variant_then_compare_by_clicking(board, tiny_solved, browser):
    """Solve with live progress, derive a variant in the change form (the trainer of the first
    session away that day), re-plan it, open the comparison: every figure is the API's."""
    scenario = tiny_solved["scenario"]
    open_page(browser, board.base, f"/board/scenarios/{scenario}", board.tokens["planner"])
    before = len(browser.find_elements(By.CSS_SELECTOR, "#schedule-table tbody tr"))
    set_value(browser, "time-limit", "2")
    browser.find_element(By.ID, "solve-button").click()
    wait_for(browser, "document.getElementById('progress').dataset.state === 'succeeded'", 60)
    wait_for(browser, "document.getElementById('progress-done')")
    job = board.get(f"/jobs/{browser.find_element(By.ID, 'progress').get_attribute('data-job')}")
    board.checked_schedule(job["schedule_id"])
    shown = browser.find_element(By.CSS_SELECTOR, "#progress [data-figure='objective']")
    assert float(shown.get_attribute("data-value")) == job["progress"]["objective"]
    assert number(shown.text) == round(job["progress"]["objective"])
    assert job["progress"]["history"], "the job records objective and bound over time"
    assert int(browser.find_element(By.ID, "progress").get_attribute("data-points")) >= len(job["progress"]["history"])
    assert browser.find_elements(By.CSS_SELECTOR, "#progress-chart svg path.objective")
    wait_for(browser, f"document.querySelectorAll('#schedule-table tbody tr').length === {before + 1}")
    screenshot(browser, "02-scenario-solved")

    # the variant: the first session's trainer is away on its day
    baseline = board.get(f"/scenarios/{scenario}")["latest_schedule_id"]
    _, base_doc = board.checked_schedule(baseline)
    first = min(base_doc["sessions"], key=lambda s: s["start"])
    day = datetime.fromisoformat(first["start"]).astimezone(ZoneInfo("Europe/Stockholm")).date().isoformat()
    set_value(browser, "v-name", "Erik borta")
    set_value(browser, "v-type", "unavailable")
    set_value(browser, "v-trainer", first["trainer"])
    set_value(browser, "v-start", day)
    set_value(browser, "v-end", day)
    set_value(browser, "v-time", "2")
    browser.find_element(By.ID, "variant-submit").click()
    wait_for(browser, "document.getElementById('variant-progress').dataset.state === 'succeeded'", 60)
    compare_link = wait_for(browser, "document.getElementById('variant-progress-compare')")
    variant = browser.find_element(By.ID, "variant-progress").get_attribute("data-variant")
    change, = board.get(f"/variants/{variant}")["changes"]
    assert {k: change.get(k) for k in ("type", "trainer", "start", "end")} == {
        "type": "unavailable", "trainer": first["trainer"], "start": day, "end": day}
    new_id = board.get(f"/jobs/{browser.find_element(By.ID, 'variant-progress').get_attribute('data-job')}")["schedule_id"]
    board.checked_schedule(new_id)
    assert browser.find_element(By.CSS_SELECTOR, f"#variant-list li[data-variant='{variant}']")
    screenshot(browser, "03-variant-replanned")

    compare_link.click()
    wait_for(browser, "document.body.dataset.ready === '1' && document.getElementById('compare-table')", 30)
    api = board.get(f"/compare?schedules={baseline},{new_id}")
    for key in ("objective", "backfill_hours", "overtime_hours", "travel_minutes", "unscheduled", "sessions_scheduled"):
        cells = browser.find_elements(By.CSS_SELECTOR, f"tr[data-kpi='{key}'] td")
        assert [float(c.get_attribute("data-value")) for c in cells] == [float(r[key]) for r in api["schedules"]], key
        assert all(abs(number(c.text) - float(r[key])) <= 0.05 + (0.5 if key in ("objective", "travel_minutes") else 0)
                   for c, r in zip(cells, api["schedules"])), key
    for term, amount in api["schedules"][1]["objective_breakdown"].items():
        cell = browser.find_elements(By.CSS_SELECTOR, f"tr[data-kpi='term:{term}'] td")[1]
        assert float(cell.get_attribute("data-value")) == amount
    diff = api["differences"][0]
    assert first["id"] in diff["moved"] + diff["cancelled"], "the away trainer's session must change"
    shown = {r.get_attribute("data-session"): r.get_attribute("data-change")
             for r in browser.find_elements(By.CSS_SELECTOR, ".diff-table tr.change")}
    assert shown == {s["id"]: s["change"] for s in diff["sessions"]}
    highlighted = {g.get_attribute("data-id") for g in browser.find_elements(By.CSS_SELECTOR, "#compare-tl-0 g.session.moved")}
    assert highlighted and highlighted <= set(diff["moved"]) | set(diff["added"])
    screenshot(browser, "04-compare")


# ------------------------------------------------------------------ the schedule page

def test_the_schedule_page_shows_the_apis_figures(board, tiny_solved, browser):
    sid = tiny_solved["schedule"]
    schedule = board.get(f"/schedules/{sid}")
    data = board.get(f"/board/schedules/{sid}")
    open_page(browser, board.base, f"/board/schedules/{sid}", board.tokens["coordinator"])
    wait_for(browser, "document.querySelector('#tl-canvas svg')")
    in_view = int(browser.find_element(By.ID, "tl-canvas").get_attribute("data-sessions"))
    assert in_view == len(browser.find_elements(By.CSS_SELECTOR, "#tl-canvas g.session")) > 0
    screenshot(browser, "05-schedule-timeline")
    for mode in ("room", "workplace", "team", "cohort"):
        set_value(browser, "tl-rows", mode)
        labels = {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#tl-canvas .rowlabel")}
        assert labels, mode
    set_value(browser, "tl-zoom", "month")
    assert int(browser.find_element(By.ID, "tl-canvas").get_attribute("data-sessions")) >= in_view
    screenshot(browser, "06-schedule-timeline-month")

    show_tab(browser, "agenda")
    rows = browser.find_elements(By.CSS_SELECTOR, "#agenda-table tbody tr")
    assert [r.get_attribute("data-session") for r in rows] == [s["id"] for s in sorted(
        schedule["sessions"], key=lambda s: (s["start"], s["id"]))]
    sizes = {c["id"]: len(c["participants"]) for c in schedule["cohorts"]}
    for r, s in zip(rows, sorted(schedule["sessions"], key=lambda s: (s["start"], s["id"]))):
        assert int(r.find_element(By.CSS_SELECTOR, "td.num").get_attribute("data-value")) == sizes[s["cohort"]]
    screenshot(browser, "07-schedule-list")

    show_tab(browser, "kpis")
    k = schedule["kpis"]
    assert float(card(browser, "objective")[0]) == schedule["objective"]
    assert number(card(browser, "objective")[1]) == round(schedule["objective"])
    for key in ("backfill_hours", "overtime_hours", "travel_minutes", "sessions_scheduled"):
        assert float(card(browser, key)[0]) == k[key], key
    bars = {b.get_attribute("data-term"): float(b.find_element(By.CSS_SELECTOR, ".hbar-value").get_attribute("data-value"))
            for b in browser.find_elements(By.CSS_SELECTOR, "#cost-bars .hbar")}
    assert bars == {t: float(v) for t, v in k["objective_breakdown"].items()}
    browser.find_element(By.ID, "load-cost-details").click()
    wait_for(browser, "document.querySelector('#cost-details details')", 30)
    screenshot(browser, "08-schedule-kpis")

    show_tab(browser, "staffing")
    teams = browser.find_elements(By.CSS_SELECTOR, "#team-table tbody tr")
    assert [t.get_attribute("data-team") for t in teams] == [t["id"] for t in data["staffing"]]
    for row, team in zip(teams, data["staffing"]):
        assert int(row.get_attribute("data-peak")) == team["peak_load"] <= team["slack"]
    shifts = browser.find_elements(By.CSS_SELECTOR, "#shift-table tbody tr")
    assert [(s.get_attribute("data-date"), int(s.get_attribute("data-load"))) for s in shifts] == [
        (r["date"], r["load"]) for r in data["staffing"][0]["shifts"]]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#shift-table tr.tight")) == sum(
        1 for r in data["staffing"][0]["shifts"] if r["margin"] <= 0)
    screenshot(browser, "09-schedule-staffing")

    show_tab(browser, "unscheduled")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#unscheduled-table tbody tr")) == len(schedule["unscheduled"])
    browser.find_element(By.ID, "load-explanations").click()
    wait_for(browser, "document.getElementById('findings').textContent !== '' && "
                      "!document.getElementById('load-explanations').disabled", 30)
    screenshot(browser, "10-schedule-unscheduled")

    show_tab(browser, "feeds")
    wait_for(browser, "document.getElementById('feed-list')")
    feeds = board.get(f"/schedules/{sid}/calendars")["feeds"]
    urls = [e.get_attribute("value") for e in browser.find_elements(By.CSS_SELECTOR, "#feed-list input.feed-url")]
    assert urls == [f["url"] for f in feeds]
    browser.find_element(By.CSS_SELECTOR, "#feed-list button.copy").click()
    wait_for(browser, "document.querySelector('#feed-list button.copy').dataset.copied === '1'")
    screenshot(browser, "11-schedule-feeds")


def test_keyboard_alone_reaches_a_session_and_reads_its_details(board, tiny_solved, browser):
    open_page(browser, board.base, f"/board/schedules/{tiny_solved['schedule']}", board.tokens["coordinator"])
    wait_for(browser, "document.querySelector('#tl-canvas g.session')")
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(40):
        body = browser.switch_to.active_element
        if body.get_attribute("class") == "session":
            break
        body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("class") == "session"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    sid = browser.switch_to.active_element.get_attribute("data-id")
    session = next(s for s in board.get(f"/board/schedules/{tiny_solved['schedule']}")["sessions"] if s["id"] == sid)
    details = browser.find_element(By.ID, "tl-details").text
    assert session["cohort"] in details and f"{session['index']} av {session['of']}" in details


# ------------------------------------------------------------------ roles, languages, offline

def test_a_managers_link_shows_only_their_workplace(board, tiny_solved, browser):
    browser.set_window_size(390, 844)  # a phone
    sid = tiny_solved["schedule"]
    view = board.get(f"/schedules/{sid}", role="manager")
    full = board.get(f"/schedules/{sid}")
    assert 0 < len(view["sessions"]) < len(full["sessions"])
    open_page(browser, board.base, f"/board/schedules/{sid}", board.tokens["manager"])
    assert "W-VARD" in browser.find_element(By.ID, "who").text
    show_tab(browser, "agenda")
    shown = [r.get_attribute("data-session") for r in browser.find_elements(By.CSS_SELECTOR, "#agenda-table tbody tr")]
    assert sorted(shown) == sorted(s["id"] for s in view["sessions"])
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390 + 1
    screenshot(browser, "12-manager-phone-list")
    show_tab(browser, "staffing")
    assert {r.get_attribute("data-team").split("/")[0]
            for r in browser.find_elements(By.CSS_SELECTOR, "#team-table tbody tr")} <= {"W-VARD"}
    show_tab(browser, "kpis")
    assert not browser.find_elements(By.CSS_SELECTOR, ".kpi[data-kpi='objective']")
    assert int(card(browser, "sessions")[0]) == len(view["sessions"])
    screenshot(browser, "13-manager-phone-kpis")
    open_page(browser, board.base, f"/board/scenarios/{tiny_solved['scenario']}")
    assert "inte" in browser.find_element(By.ID, "status").text  # "Din roll får inte se detta."


def test_swedish_pages_use_swedish_formats_and_english_pages_english_ones(board, tiny_solved, browser):
    sid = tiny_solved["schedule"]
    objective = board.get(f"/schedules/{sid}")["objective"]
    assert objective >= 1000
    open_page(browser, board.base, f"/board/schedules/{sid}?lang=sv", board.tokens["coordinator"])
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    show_tab(browser, "kpis")
    sv = card(browser, "objective")[1]
    assert "," not in sv and sv.replace("\u00a0", " ").replace("\u202f", " ") == f"{round(objective):,}".replace(",", " ")
    show_tab(browser, "agenda")
    first = browser.find_element(By.CSS_SELECTOR, "#agenda-table tbody tr td").text
    assert first[:3] in ("mån", "tis", "ons", "tor", "fre", "lör", "sön") and "-" in first  # "tors 2026-03-12"
    open_page(browser, board.base, f"/board/schedules/{sid}?lang=en")
    assert browser.find_element(By.ID, "tab-kpis").text == "KPIs and cost"
    show_tab(browser, "kpis")
    assert card(browser, "objective")[1] == f"{round(objective):,}"
    browser.find_element(By.ID, "lang-link").click()
    wait_for(browser, "document.documentElement.lang === 'sv' && document.body.dataset.ready === '1'")
    assert browser.find_element(By.ID, "tab-kpis").text == "Nyckeltal och kostnad"


def test_pages_load_nothing_from_other_hosts(board, tiny_solved, browser):
    import requests

    resp = requests.get(f"{board.base}/board/schedules/{tiny_solved['schedule']}", timeout=10)
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "http" not in resp.text.split("<body", 1)[0].replace(board.base, "")
    open_page(browser, board.base, f"/board/schedules/{tiny_solved['schedule']}", board.tokens["coordinator"])
    origins = js(browser, "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert origins and set(origins) == {board.base}


# ------------------------------------------------------------------ speed

def test_the_largest_example_scenario_renders_quickly(board, browser):
    """scenarios/elderly_care_municipality.json (about 440 sessions, as many as its cohorts come
    to after the search's cohort moves): solved (3 s), its schedule page
    drawn in headless Chromium; the issue asks for under 3 s (benchmarks/board_render.py prints
    the figure); this test allows twice that on a busy machine."""
    doc = json.loads((repo_root() / "scenarios" / "elderly_care_municipality.json").read_text(encoding="utf-8"))
    resp = board.api("POST", "/scenarios", json=doc)
    assert resp.status_code == 201, resp.text
    job = board.solve(resp.json()["id"], 3.0)
    assert job["state"] == "succeeded", job
    _, schedule = board.checked_schedule(job["schedule_id"])
    assert len(schedule["sessions"]) > 400  # the page draws the whole large programme
    open_page(browser, board.base, "/board/", board.tokens["coordinator"])
    started = time.monotonic()
    open_page(browser, board.base, f"/board/schedules/{job['schedule_id']}", timeout=30)
    wait_for(browser, "document.querySelector('#tl-canvas svg')")
    wall = time.monotonic() - started
    drawn = int(browser.find_element(By.TAG_NAME, "body").get_attribute("data-render-ms"))
    print(f"\nelderly care schedule page: drawn {drawn} ms after navigation start, {wall:.2f} s wall")
    assert drawn < 6000 and wall < 6.0
    screenshot(browser, "14-largest-example")


def test_the_reason_a_session_is_unscheduled_is_shown_in_the_boards_language(board, browser):
    from tests.scenario_factory import scenario_factory

    # M1 asks for a qualification no trainer holds: its one session stays unscheduled
    doc = scenario_factory(module={"qualification": "svetsning"})
    resp = board.api("POST", "/scenarios", json=doc)
    assert resp.status_code == 201, resp.text
    job = board.solve(resp.json()["id"], 2.0)
    assert job["state"] == "succeeded", job
    _, schedule = board.checked_schedule(job["schedule_id"])
    (u,) = schedule["unscheduled"]
    assert "svetsning" in u["reason"] and "svetsning" in u["reason_sv"] and u["reason"] != u["reason_sv"]
    for lang, key in (("sv", "reason_sv"), ("en", "reason")):
        open_page(browser, board.base, f"/board/schedules/{job['schedule_id']}?lang={lang}", board.tokens["coordinator"])
        show_tab(browser, "unscheduled")
        cells = browser.find_elements(By.CSS_SELECTOR, "#unscheduled-table tbody tr td")
        assert cells[-1].text == u[key]
