"""A scenario written by another team to the contract (tests/data/foreign-scenario.json):
features our own examples do not use (Saturdays, a night pattern starting mid-cycle, a
trainer window running over midnight, bare-date bookings, a remote module, one person in
two tracks, a mixed cohort, an impossible language need) must all come out right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler.format import load_scenario, load_schedule
from scheduler.solve import SolveParams, solve_scenario
from scheduler.validate import format_report, validate

DATA = Path(__file__).parent / "data" / "foreign-scenario.json"


@pytest.fixture(scope="module")
def solved():
    scenario = load_scenario(json.loads(DATA.read_text(encoding="utf-8")))
    return scenario, solve_scenario(scenario, SolveParams(time_limit=5, workers=2)).schedule


def test_foreign_scenario_schedule_breaks_no_rule(solved):
    scenario, schedule = solved
    report = validate(scenario, schedule)
    assert report.ok, format_report(report)


def test_foreign_scenario_schedule_follows_the_contract(solved):
    _, schedule = solved
    load_schedule(schedule)  # raises on any missing or mistyped field
    assert set(schedule) >= {"format", "scenario", "status", "objective", "bound", "solve_seconds", "cohorts",
                             "sessions", "unscheduled", "unassigned_participants", "kpis"}
    for s in schedule["sessions"]:
        assert set(s) == {"id", "cohort", "module", "index", "start", "end", "trainer", "room", "interpreters"}


def test_person_in_two_tracks_is_never_in_two_sessions_at_once(solved):
    _, schedule = solved
    anna = sorted((s["start"], s["end"]) for s in schedule["sessions"]
                  for c in schedule["cohorts"] if c["id"] == s["cohort"] and "p-anna" in c["participants"])
    assert len(anna) >= 4
    assert all(a[1] <= b[0] for a, b in zip(anna, anna[1:]))


def test_impossible_language_need_is_explained_in_words(solved):
    _, schedule = solved
    dig = [u for u in schedule["unscheduled"] if u["module"] == "DIG"]
    assert dig and "language ar" in dig[0]["reason"] and "no interpreter" in dig[0]["reason"]


def test_everything_else_is_scheduled(solved):
    _, schedule = solved
    assert [(u["module"], u["index"]) for u in schedule["unscheduled"]] == [("DIG", 1)]
