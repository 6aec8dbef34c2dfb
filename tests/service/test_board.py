"""The planning board's server side: its data document (sessions with names, sizes, sites and
teams; staffing per team and shift), role filtering, the pages' language and security headers,
the texts, and `modulplan board load`. No solver runs: the spec's hand-checked tiny schedule is
stored directly (and passed through the independent validator first)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from scheduler.validate import build_context, validate
from service.board.data import board_document
from service.board.i18n import TEXTS
from tests.conftest import find_examples_dir


@pytest.fixture(scope="module")
def tiny_pair() -> tuple[dict, dict]:
    d = find_examples_dir()
    scenario = json.loads((d / "tiny-scenario.json").read_text(encoding="utf-8"))
    schedule = json.loads((d / "tiny-schedule.json").read_text(encoding="utf-8"))
    assert validate(scenario, schedule).ok
    return scenario, schedule


@pytest.fixture
def stored(client, tiny_pair):
    """The tiny scenario posted through the API and its schedule stored in the same lineage."""
    from service.store import store_schedule

    scenario, schedule = tiny_pair
    resp = client.post("/api/v1/scenarios", json=scenario)
    assert resp.status_code == 201, resp.get_json()
    row = resp.get_json()
    sched = store_schedule(client.app.extensions["modulplan"].db,
                           scenario_row=SimpleNamespace(id=row["id"], lineage=row["scenario_id"]),
                           schedule=schedule, job_id=None)
    return SimpleNamespace(scenario=row["id"], schedule=sched.id)


# ------------------------------------------------------------------ the data document

def test_every_session_comes_with_module_name_n_of_m_cohort_size_and_site(tiny_pair):
    scenario, schedule = tiny_pair
    doc = board_document(scenario, schedule, {"id": "x"})
    modules = {m["id"]: m for m in scenario["modules"]}
    rooms = {r["id"]: r for r in scenario["rooms"]}
    sizes = {c["id"]: len(c["participants"]) for c in schedule["cohorts"]}
    assert sorted(s["id"] for s in doc["sessions"]) == sorted(s["id"] for s in schedule["sessions"])
    for s in doc["sessions"]:
        assert s["of"] == modules[s["module"]]["sessions"]
        assert doc["names"]["modules"][s["module"]] == modules[s["module"]]["name"]
        assert s["size"] == sizes[s["cohort"]]
        assert s["site"] == (rooms[s["room"]]["site"] if s["room"] else None)
    assert [s["start"] for s in doc["sessions"]] == sorted(s["start"] for s in doc["sessions"])


def _members_in_training_at(ctx, team, instant) -> int:
    """Independent count: participants of ``team`` in a session at ``instant``."""
    return len({m for s in ctx.timed if s.a <= instant < s.b for m in s.members
                if ctx.persons[m].team == team})


def test_staffing_load_is_the_peak_number_of_team_members_in_training_during_each_shift(tiny_pair):
    scenario, schedule = tiny_pair
    doc = board_document(scenario, schedule, {"id": "x"})
    ctx = build_context(scenario, schedule)
    assert doc["staffing"], "the tiny schedule has training during shifts"
    for team in doc["staffing"]:
        key = (team["workplace"], team["team"])
        t = ctx.teams[key]
        assert team["slack"] == t["headcount"] - t["min_staffing"]
        for row in team["shifts"]:
            from datetime import datetime

            a, b = datetime.fromisoformat(row["start"]).timestamp(), datetime.fromisoformat(row["end"]).timestamp()
            starts = [a] + [s.a for s in ctx.timed if a <= s.a < b]
            assert row["load"] == max(_members_in_training_at(ctx, key, x) for x in starts)
            assert row["margin"] == team["slack"] - row["load"] >= 0  # the schedule keeps rule 7
        assert team["tightest_margin"] == min((r["margin"] for r in team["shifts"]), default=None)
    assert any(team["shifts"] for team in doc["staffing"])


def test_a_workplace_view_has_only_that_workplaces_sessions_teams_and_no_costs(tiny_pair):
    scenario, schedule = tiny_pair
    doc = board_document(scenario, schedule, {"id": "x"}, workplace="W-VARD")
    assert doc["sessions"] and all(s["workplaces"] == ["W-VARD"] for s in doc["sessions"])
    assert {t["workplace"] for t in doc["staffing"]} == {"W-VARD"}
    assert "kpis" not in doc and "objective" not in doc


# ------------------------------------------------------------------ the API

def test_the_board_endpoint_answers_with_the_board_document(client, stored, tiny_pair):
    resp = client.get(f"/api/v1/board/schedules/{stored.schedule}")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["schedule"]["id"] == stored.schedule and body["schedule"]["scenario"] == stored.scenario
    assert body["kpis"] == tiny_pair[1]["kpis"] and body["objective"] == tiny_pair[1]["objective"]
    assert len(body["sessions"]) == len(tiny_pair[1]["sessions"])


def test_a_manager_gets_their_workplace_and_another_workplaces_manager_only_theirs(client, stored):
    mine = client.get(f"/api/v1/board/schedules/{stored.schedule}", role="manager").get_json()
    bruk = client.get(f"/api/v1/board/schedules/{stored.schedule}", role="manager_bruk").get_json()
    assert mine["workplace"] == "W-VARD" and bruk["workplace"] == "W-BRUK"
    assert {w for s in mine["sessions"] for w in s["workplaces"]} == {"W-VARD"}
    assert not {s["id"] for s in mine["sessions"]} & {s["id"] for s in bruk["sessions"]}
    assert client.get("/api/v1/board/me", role="manager").get_json() == {"role": "manager", "workplace": "W-VARD"}


def test_the_board_endpoint_needs_a_token_and_knows_unknown_schedules(client, stored):
    assert client.get(f"/api/v1/board/schedules/{stored.schedule}", role=None).status_code == 401
    resp = client.get("/api/v1/board/schedules/no-such-schedule")
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


# ------------------------------------------------------------------ the pages

@pytest.mark.parametrize("path", ["/board/", "/board/scenarios/x", "/board/schedules/x", "/board/compare?schedules=a,b"])
def test_every_page_is_served_without_a_token_and_forbids_other_hosts(client, path):
    resp = client.get(path, role=None)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert not re.search(r"(src|href)=\"(https?:)?//", resp.get_data(as_text=True))


def test_a_page_speaks_the_language_asked_for_else_the_browsers_else_swedish(client):
    assert client.get("/board/?lang=en", role=None).headers["Content-Language"] == "en"
    assert client.get("/board/", role=None, headers={"Accept-Language": "en-GB,en;q=0.8"}).headers["Content-Language"] == "en"
    page = client.get("/board/", role=None)
    assert page.headers["Content-Language"] == "sv" and '<html lang="sv">' in page.get_data(as_text=True)


def test_every_script_and_style_the_pages_use_is_served(client):
    for name in ("board.css", "js/core.js", "js/timeline.js", "js/charts.js", "js/progress.js",
                 "pages/index.js", "pages/scenario.js", "pages/schedule.js", "pages/compare.js"):
        resp = client.get(f"/board/static/{name}", role=None)
        assert resp.status_code == 200, name
        if name.endswith(".js"):
            for imported in re.findall(r'from "(\.\.?/[^"]+)"', resp.get_data(as_text=True)):
                base = name.rsplit("/", 1)[0]
                target = (imported[3:] if imported.startswith("../") else f"{base}/{imported[2:]}")
                assert client.get(f"/board/static/{target}", role=None).status_code == 200, (name, imported)


def test_every_text_exists_in_swedish_and_english_with_the_same_placeholders():
    assert TEXTS["sv"].keys() == TEXTS["en"].keys()
    for key in TEXTS["sv"]:
        assert set(re.findall(r"\{\w+\}", TEXTS["sv"][key])) == set(re.findall(r"\{\w+\}", TEXTS["en"][key])), key


def test_every_text_key_the_scripts_use_exists(client):
    used = set()
    for name in ("js/core.js", "js/timeline.js", "js/charts.js", "js/progress.js", "pages/index.js",
                 "pages/scenario.js", "pages/schedule.js", "pages/compare.js"):
        used |= set(re.findall(r'\bt\("(\w+)"', client.get(f"/board/static/{name}", role=None).get_data(as_text=True)))
    assert used and used <= TEXTS["sv"].keys(), used - TEXTS["sv"].keys()


# ------------------------------------------------------------------ `modulplan board load`

def test_the_objective_terms_come_from_the_model_with_their_names_not_from_a_list_in_the_scripts(client):
    from scheduler.domain import OBJECTIVE_TERMS

    assert client.get("/api/v1/meta/objective-terms", role=None).status_code == 401
    terms = client.get("/api/v1/meta/objective-terms", role="manager").get_json()["terms"]
    assert [t["term"] for t in terms] == [*OBJECTIVE_TERMS, "move_session"]
    for t in terms:
        assert t["labels"] == {lang: TEXTS[lang][f"term_{t['term']}"] for lang in ("sv", "en")}
    for name in ("js/core.js", "pages/schedule.js", "pages/compare.js"):
        script = client.get(f"/board/static/{name}", role=None).get_data(as_text=True)
        assert '"backfill_per_hour"' not in script and '"unscheduled_session"' not in script, name
    assert "/meta/objective-terms" in client.get("/board/static/js/core.js", role=None).get_data(as_text=True)


def test_board_load_stores_a_scenario_and_its_schedule_once(tmp_path, tiny_pair):
    from tests.service.conftest import cli, service_env

    d = find_examples_dir()
    env = service_env(MODULPLAN_DATA_DIR=str(tmp_path))
    first = cli("board", "load", str(d / "tiny-scenario.json"), str(d / "tiny-schedule.json"), env=env)
    again = cli("board", "load", str(d / "tiny-scenario.json"), str(d / "tiny-schedule.json"), env=env)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert "already stored" not in first.stdout and again.stdout.count("already stored") == 2
    assert first.stdout.split()[1] == again.stdout.split()[1]
    link = cli("board", "link", "--role", "manager", "--workplace", "W-VARD", "--base", "http://h:1", env=env)
    assert re.fullmatch(r"http://h:1/board/#token=mp_[\w-]+\n", link.stdout)


def test_board_load_refuses_a_schedule_that_breaks_the_rules(tmp_path, tiny_pair):
    from tests.service.conftest import cli, service_env

    scenario, schedule = tiny_pair
    broken = dict(schedule, sessions=[dict(s, trainer="T-NOBODY") for s in schedule["sessions"]])
    (tmp_path / "s.json").write_text(json.dumps(scenario), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(broken), encoding="utf-8")
    out = cli("board", "load", str(tmp_path / "s.json"), str(tmp_path / "b.json"),
              env=service_env(MODULPLAN_DATA_DIR=str(tmp_path / "data")))
    assert out.returncode == 1 and "T-NOBODY" in out.stderr


# ------------------------------------------------------------------ contrast

def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_of_the_board_have_at_least_wcag_aa_contrast(client):
    css = client.get("/board/static/board.css", role=None).get_data(as_text=True)
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    header = re.search(r"\.top \{[^}]*background: (#[0-9a-fA-F]{6})", css).group(1)
    pairs = [("fg", "bg"), ("muted", "bg"), ("muted", "panel"), ("fg", "panel"), ("accent", "bg"), ("accent-fg", "accent"),
             ("alert", "alert-bg"), ("fg", "alert-bg"), ("ok", "bg"), ("alert", "bg")]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, contrast(var[fg], var[bg]))
    assert contrast("#ffffff", header) >= 4.5
    for light in re.search(r"const PALETTE = \[([^\]]+)\]", client.get("/board/static/js/timeline.js", role=None)
                           .get_data(as_text=True)).group(1).replace('"', "").split(", "):
        assert contrast("#111111", light) >= 4.5, light  # session text on its module's colour


# ------------------------------------------------------------------ progress history

def test_a_jobs_progress_history_keeps_each_change_and_stays_short():
    from service.jobs import record_history

    history: list = []
    for n in range(1000):
        record_history(history, SimpleNamespace(elapsed=n / 10, objective=5000 - n // 2, bound=1000 + n // 4))
    assert len(history) <= 240
    assert history[0] == [0.0, 5000, 1000] and history[-1] == [99.8, 4501, 1249]  # the last change
    assert [h[0] for h in history] == sorted(h[0] for h in history)
    before = list(history)
    record_history(history, SimpleNamespace(elapsed=200.0, objective=4501, bound=1249))  # nothing changed
    assert history == before


# ------------------------------------------------------------------ the action-plan pages (issue 15)

PLAN_PAGES = ("pages/action_plans.js", "pages/plans_overview.js", "pages/catalogue.js", "js/plans.js", "js/setup.js")


@pytest.mark.parametrize("path", ["/board/scenarios/x/action-plans", "/board/scenarios/x/overview",
                                  "/board/scenarios/x/catalogue"])
def test_the_action_plan_pages_are_served_in_swedish_without_other_hosts(client, path):
    resp = client.get(path, role=None)
    assert resp.status_code == 200 and resp.headers["Content-Language"] == "sv"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert not re.search(r"(src|href)=\"(https?:)?//", resp.get_data(as_text=True))


def test_the_action_plan_scripts_are_served_and_use_only_known_texts(client):
    used = set()
    for name in PLAN_PAGES:
        resp = client.get(f"/board/static/{name}", role=None)
        assert resp.status_code == 200, name
        script = resp.get_data(as_text=True)
        for imported in re.findall(r'from "(\.\.?/[^"]+)"', script):
            base = name.rsplit("/", 1)[0]
            target = imported[3:] if imported.startswith("../") else f"{base}/{imported[2:]}"
            assert client.get(f"/board/static/{target}", role=None).status_code == 200, (name, imported)
        used |= set(re.findall(r'\bt\("(\w+)"', script))
    assert used and used <= TEXTS["sv"].keys(), used - TEXTS["sv"].keys()
    for prefix in ("plan_status_", "plan_action_", "section_"):
        assert any(k.startswith(prefix) for k in TEXTS["sv"]), prefix


def test_the_plan_context_shows_a_manager_their_own_workplace_only(client, stored, tiny_pair):
    scenario, _ = tiny_pair
    mine = client.get(f"/api/v1/board/scenarios/{stored.scenario}/plan-context", role="manager").get_json()
    assert mine["workplace"]["id"] == "W-VARD" and [w["id"] for w in mine["workplaces"]] == ["W-VARD"]
    team = mine["workplace"]["teams"][0]
    assert (team["id"], team["headcount"], team["min_staffing"], team["slack"]) == ("vard-dag", 8, 5, 3)
    assert team["cycle"][:5] == ["F"] * 5 and {s["id"] for s in team["shifts"]} == {"F", "E"}
    assert [t["id"] for t in mine["tracks"]] == [t["id"] for t in scenario["tracks"]]
    assert "W-BRUK" not in json.dumps(mine) and "skiftlag" not in json.dumps(mine)
    # a manager cannot ask for another workplace
    other = client.get(f"/api/v1/board/scenarios/{stored.scenario}/plan-context?workplace=W-BRUK", role="manager")
    assert other.get_json()["workplace"]["id"] == "W-VARD"
    coordinator = client.get(f"/api/v1/board/scenarios/{stored.scenario}/plan-context?workplace=W-BRUK").get_json()
    assert coordinator["workplace"]["id"] == "W-BRUK" and len(coordinator["workplaces"]) == 2
    assert client.get(f"/api/v1/board/scenarios/{stored.scenario}/plan-context", role=None).status_code == 401


def test_a_manager_sees_the_current_versions_plans_of_their_workplace_and_can_take_one_in(client, stored, tiny_pair):
    """The plan page lists the workplace's plans as the programme's current version has them;
    taking one in makes it a draft of the workplace with the same id (the next compile would
    otherwise replace the workplace's plans by its submitted ones only)."""
    scenario, _ = tiny_pair
    ctx = client.get(f"/api/v1/board/scenarios/{stored.scenario}/plan-context", role="manager").get_json()
    current = ctx["workplace"]["current_plans"]
    expected = [p["id"] for p in scenario["action_plans"] if p["workplace"] == "W-VARD"]
    assert [p["id"] for p in current] == expected and expected
    first = current[0]
    assert sum(first["participants_per_team"].values()) > 0 and first["document"]["workplace"] == "W-VARD"
    taken = client.post(f"/api/v1/scenarios/{stored.scenario}/action-plans", json=first["document"], role="manager")
    assert taken.status_code == 201, taken.get_json()
    body = taken.get_json()
    assert body["plan_id"] == first["id"] and body["status"] == "draft" and body["workplace"] == "W-VARD"
