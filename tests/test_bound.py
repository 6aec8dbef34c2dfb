"""The programme lower bound (scheduler/search/bound/) never exceeds the objective of a
known valid schedule: the hand-checked tiny example, a micro case whose optimum is known
exactly, the example scenarios (solved briefly, checked by the validator) and the three
public programmes with their complete schedules. It is > 0 and the tightness is printed."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.timeline import Timeline
from scheduler.search.bound import ProgrammeBound, programme_lower_bound
from scheduler.validate import build_context, compute_kpis, format_report, validate

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "scenarios" / "examples"  # the format's hand-checked examples
PROGRAMMES = Path("/work/shared/bench/programmes")


def _load(data: dict):
    data = copy.deepcopy(data)
    for w in data.get("workplaces", []):
        for t in w.get("teams", []):
            t.pop("name", None)  # M-seed3 / L-seed3 name their teams; the format does not
    return data, build_scenario(load_scenario(data))


def _bound(sc) -> tuple[ProgrammeBound, float]:
    t0 = time.monotonic()
    b = programme_lower_bound(sc, Timeline(sc))
    return b, time.monotonic() - t0


def _true_objective(data: dict, schedule: dict) -> float:
    """The spec's objective of the schedule, recomputed by the validator."""
    return compute_kpis(build_context(data, schedule))["objective"]


def _check(name: str, sc, known: float) -> ProgrammeBound:
    b, secs = _bound(sc)
    print(f"\n{name}: bound {b.total:,.0f} vs known {known:,.0f} ({b.total / known:.0%}) in {secs:.2f} s")
    assert 0 < b.total <= known + 1e-6
    assert sum(b.terms.values()) == pytest.approx(b.total)
    return b


def test_tiny_example_bound_below_the_hand_checked_schedule():
    data, sc = _load(json.loads((SPEC / "tiny-scenario.json").read_text()))
    schedule = json.loads((SPEC / "tiny-schedule.json").read_text())
    assert validate(data, schedule).ok
    _check("tiny", sc, _true_objective(data, schedule))


MICRO = {
    "format": "modulplan/scenario-1", "id": "micro",
    "horizon": {"start": "2027-03-01", "end": "2027-03-12"},
    "calendar": {"holidays": None, "start_times": ["08:00", "13:00"]},
    "shift_types": [{"id": "D", "start": "07:00", "end": "16:00"}],
    "shift_patterns": [{"id": "day", "anchor": "2027-03-01", "cycle": ["D", "D", "D", "D", "D", "-", "-"]}],
    "sites": [{"id": "S1"}, {"id": "S2"}],
    "travel": {"default_minutes": 30, "pairs": []},
    "workplaces": [{"id": "W", "site": "S1",
                    "teams": [{"id": "A", "pattern": "day", "headcount": 10, "min_staffing": 7}]}],
    "rooms": [{"id": "R", "site": "S1", "capacity": 10, "features": []}],
    "trainers": [{"id": "T", "qualifications": ["M"], "home_site": "S2", "cost_per_hour": 600,
                  "max_sessions_per_day": 1}],
    "modules": [{"id": "M", "sessions": 2, "duration_minutes": 120, "location": "workplace"}],
    "tracks": [{"id": "TR", "modules": ["M"], "min_group": 1, "max_group": 3}],
    "action_plans": [{"id": "P", "workplace": "W", "track": "TR", "participants": [{"team": "A", "count": 3}],
                      "target": "2027-03-02"}],
}


def test_micro_case_bound_is_the_exact_optimum():
    """Three day workers (slack 3), one module of two 2-hour sessions a day apart, one trainer
    (600/h, one session a day, living 30 minutes away) and a target on the second day: the
    optimum is one cohort on Mon and Tue at 08:00 -- 3 x 4 h backfill (5 400) + 4 h trainer
    (2 400) + two round trips (960) -- and the bound proves exactly that."""
    _, sc = _load(MICRO)
    b, _ = _bound(sc)
    assert b.total == pytest.approx(5400 + 2400 + 960)
    assert b.terms["backfill_per_hour"] == pytest.approx(5400)
    assert b.terms["travel_per_minute"] == pytest.approx(960)


def test_micro_case_counts_the_cohorts_the_staffing_slack_forces():
    """With slack 1 and no off-shift training, three members of one team need three cohorts:
    the trainer cost triples (and one trainer-session a day makes them late)."""
    data = copy.deepcopy(MICRO)
    data["workplaces"][0]["teams"][0]["min_staffing"] = 9
    _, sc = _load(data)
    b, _ = _bound(sc)
    assert b.terms["trainer_cost"] == pytest.approx(3 * 2400)


def test_unassigning_is_cheaper_than_nothing_when_nothing_fits():
    """A plan window with no session slot: every participant is unassigned or every session
    unscheduled; the bound takes the cheaper and stays positive."""
    data = copy.deepcopy(MICRO)
    plan = data["action_plans"][0]
    plan["earliest"] = plan["deadline"] = plan["target"] = "2027-03-06"  # a Saturday
    _, sc = _load(data)
    b, _ = _bound(sc)
    assert b.total == pytest.approx(min(3 * 100000, 2 * 100000))


@pytest.mark.parametrize("folder", ["M-seed3", "L-seed3", "M-network-seed7"])
def test_public_programme_bound_below_its_complete_schedule(folder):
    d = PROGRAMMES / folder
    if not d.exists():
        pytest.skip("programmes not available")
    raw = json.loads((d / "scenario.json").read_text())
    sched_file = d / ("planted.json" if (d / "planted.json").exists() else "first-fit.json")
    schedule = json.loads(sched_file.read_text())
    _, sc = _load(raw)
    report = validate(raw, schedule)
    assert report.ok, format_report(report)
    known = _true_objective(raw, schedule)
    assert known == pytest.approx(schedule["objective"])
    b = _check(folder, sc, known)
    assert b.total >= 0.6 * known  # worth printing


EXAMPLES = sorted((ROOT / "scenarios").glob("*.json")) + [ROOT / "tests" / "data" / "foreign-scenario.json"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_scenario_bound_below_a_solved_schedule(path):
    """Our example scenarios and the foreign one (an impossible language need: one session
    must stay unscheduled, and the bound must see those 100 000)."""
    from scheduler.solve import SolveParams, solve_scenario

    name = path.stem
    raw = json.loads(path.read_text())
    data, sc = _load(raw)
    schedule = solve_scenario(data, SolveParams(time_limit=5, workers=1)).schedule
    report = validate(data, schedule)
    assert report.ok, format_report(report)
    _check(name, sc, _true_objective(data, schedule))


ANCHOR = {
    "format": "modulplan/scenario-1", "id": "anchor",
    "horizon": {"start": "2027-03-01", "end": "2027-03-05"},
    "calendar": {"holidays": None, "start_times": ["08:00", "16:00"]},
    "shift_types": [{"id": "D", "start": "07:00", "end": "15:00"}, {"id": "E", "start": "15:00", "end": "23:00"}],
    "shift_patterns": [{"id": "day", "anchor": "2027-03-01", "cycle": ["D", "D", "D", "D", "D", "-", "-"]},
                       {"id": "eve", "anchor": "2027-03-01", "cycle": ["E", "E", "E", "E", "E", "-", "-"]}],
    "sites": [{"id": "S1"}],
    "workplaces": [{"id": "W", "site": "S1", "teams": [
        {"id": "A", "pattern": "day", "headcount": 10, "min_staffing": 5},
        {"id": "B", "pattern": "eve", "headcount": 10, "min_staffing": 5}]}],
    "rooms": [{"id": "R", "site": "S1", "capacity": 10, "features": []}],
    "trainers": [{"id": "T", "qualifications": ["M"], "home_site": "S1", "cost_per_hour": 600}],
    "modules": [{"id": "M", "sessions": 1, "duration_minutes": 60, "location": "workplace"}],
    "tracks": [{"id": "TR", "modules": ["M"], "min_group": 1, "max_group": 10}],
    "action_plans": [
        {"id": "P1", "workplace": "W", "track": "TR", "participants": [{"team": "A", "count": 2}]},
        {"id": "P2", "workplace": "W", "track": "TR", "participants": [{"team": "B", "count": 2}],
         "allow_off_shift": True},
    ],
}


def test_anchoring_charges_the_evening_workers_in_a_day_cohort():
    """Two day workers who must train inside their shift and two evening workers who may
    train off shift: one cohort at 08:00 (the evening workers on overtime, 2 800) beats two
    cohorts (3 000); the bound proves 2 800 exactly -- without anchoring it would see each
    person at their own cheapest hour (2 400)."""
    _, sc = _load(ANCHOR)
    b, _ = _bound(sc)
    assert b.total == pytest.approx(2 * 450 + 2 * 650 + 600)


def test_a_passed_deadline_still_gives_a_bound():
    """Pools not reached by the deadline count 0: smaller, still a bound, and said so."""
    _, sc = _load(MICRO)
    b = programme_lower_bound(sc, deadline=time.monotonic() - 1)
    assert b.total == 0 and any("deadline" in n for n in b.notes)


@pytest.mark.parametrize("family", ["mixed", "network", "care", "industry"])
def test_planted_programme_bound_below_its_witness(family):
    """Small planted programmes of every family (benchmarks/planted.py) come with a complete
    schedule: the bound stays below the objective the validator computes for it."""
    planted = pytest.importorskip("benchmarks.planted")
    raw, witness = planted.planted("S", 3, family)
    assert validate(raw, witness).ok
    _, sc = _load(raw)
    _check(f"planted S/{family}", sc, _true_objective(raw, witness))

