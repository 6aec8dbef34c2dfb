"""Validator specification: Robustness (any garbage is reported, never a crash) and speed.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

import copy
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.validate import (
    Violation,
    format_report,
    validate,
)
from tests.validate.helpers import rules

# ---------------------------------------------------------------- robustness and speed

def test_schedule_full_of_unknown_ids_is_reported_not_a_crash(sc, sd):
    sd["cohorts"].append({"id": "C-X", "track": "K-NONE", "workplaces": ["W-X"], "participants": ["p-x"]})
    sd["sessions"].append({"id": "SX", "cohort": "C-NONE", "module": "M-NONE", "index": "one",
                           "start": "garbage", "end": None, "trainer": ["T-A", "T-B"], "room": {"x": 1},
                           "interpreters": "I-AMAL"})
    sd["sessions"].append({"id": "SY", "cohort": "C-SAK-1", "module": "VARD1", "index": 1,
                           "start": "2026-03-26T08:00:00+01:00", "end": "2026-03-26T09:30:00+01:00",
                           "trainer": "T-NONE", "room": "R-NONE", "interpreters": ["I-NONE"]})
    sd["unscheduled"] = [{"cohort": "C-NONE", "module": "X", "index": 1, "reason": "x"}, "junk"]
    sd["unassigned_participants"] = [{"participant": "nobody", "action_plan": "HP-NONE", "reason": "x"}]
    report = validate(sc, sd)
    assert not report.ok
    assert {0, 1, 3, 4, 10} <= rules(report)
    format_report(report)


_FIELD_VALUES = st.one_of(st.none(), st.integers(-3, 5), st.text(max_size=8), st.just("T-SARA"),
                          st.just("R-LC"), st.just("C-VARD-1"), st.just("SAK2"), st.just([]),
                          st.just(["I-AMAL", "I-AMAL"]), st.just("2026-03-29T02:30:00+01:00"),
                          st.just("2026-10-25T02:30:00Z"), st.just({"a": 1}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 5),
                                st.sampled_from(["id", "cohort", "module", "index", "start", "end", "trainer",
                                                 "room", "interpreters"]),
                                _FIELD_VALUES), max_size=4))
def test_randomly_damaged_schedules_never_crash(_tiny, edits):
    scenario, schedule = _tiny
    sd = copy.deepcopy(schedule)
    for i, key, value in edits:
        sd["sessions"][i][key] = value
    report = validate(scenario, sd)
    assert isinstance(report.ok, bool)
    assert all(isinstance(v, Violation) for v in report.violations)
    format_report(report)


def _large_case(n_people=1000, n_sessions_target=3000, seed=7):
    """A year-long synthetic scenario: 20 workplaces x 5 crews on a 5-shift
    pattern, 1000 participants, ~3000 sessions (not necessarily valid)."""
    rng = random.Random(seed)
    tz = ZoneInfo("Europe/Stockholm")
    sites = [{"id": f"S{w}", "name": f"Site {w}"} for w in range(20)] + [{"id": "LC", "name": "Centre"}]
    workplaces, plans, rooms = [], [], []
    for w in range(20):
        workplaces.append({"id": f"W{w}", "name": f"W{w}", "site": f"S{w}", "teams": [
            {"id": f"W{w}-t{t}", "pattern": "femskift", "offset_days": 2 * t, "headcount": 20, "min_staffing": 12}
            for t in range(5)]})
        rooms.append({"id": f"R{w}", "name": f"Room {w}", "site": f"S{w}", "capacity": 12, "features": []})
        plans.append({"id": f"HP{w}", "workplace": f"W{w}", "track": "K", "participants": [
            {"team": f"W{w}-t{t}", "count": n_people // 100} for t in range(5)],
            "earliest": "2026-01-05", "deadline": "2026-12-18", "allow_on_shift": True, "allow_off_shift": True})
    modules = [{"id": f"M{i}", "name": f"M{i}", "sessions": n, "duration_minutes": 120, "location": "workplace",
                "min_gap_days": 1} for i, n in enumerate([4, 3, 3])]
    trainers = [{"id": f"T{i}", "name": f"T{i}", "qualifications": ["M0", "M1", "M2"], "languages": ["sv"],
                 "home_site": "LC", "max_minutes_per_week": 2400, "max_sessions_per_day": 2, "cost_per_hour": 600,
                 "available": [{"weekday": d, "start": "06:00", "end": "18:00"}
                               for d in ("mon", "tue", "wed", "thu", "fri")]} for i in range(80)]
    scenario = {
        "format": "modulplan/scenario-1", "id": "large", "name": "large", "timezone": "Europe/Stockholm",
        "horizon": {"start": "2026-01-01", "end": "2026-12-31"},
        "calendar": {"holidays": "SE", "start_times": ["08:00", "13:00"], "daily_rest_hours": 11},
        "shift_types": [{"id": "F", "start": "06:00", "end": "14:00"}, {"id": "E", "start": "14:00", "end": "22:00"},
                        {"id": "N", "start": "22:00", "end": "06:00"}],
        "shift_patterns": [{"id": "femskift", "anchor": "2026-01-05",
                            "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]}],
        "sites": sites, "travel": {"default_minutes": 30, "pairs": []}, "workplaces": workplaces, "rooms": rooms,
        "trainers": trainers, "interpreters": [], "modules": modules,
        "tracks": [{"id": "K", "name": "K", "modules": ["M0", "M1", "M2"], "min_group": 2, "max_group": 12}],
        "action_plans": plans, "weights": {},
    }
    days = [date(2026, 1, 5) + timedelta(days=i) for i in range(340)]
    days = [d for d in days if d.weekday() < 5]
    cohorts, sessions = [], []
    per_cohort = sum(m["sessions"] for m in modules)
    n_cohorts = n_sessions_target // per_cohort
    members = {f"HP{w}": [f"HP{w}-W{w}-t{t}-{n}" for t in range(5) for n in range(1, n_people // 100 + 1)]
               for w in range(20)}
    per_wp = n_cohorts // 20
    for c in range(n_cohorts):
        w, j = c % 20, c // 20
        pool = members[f"HP{w}"]
        k = len(pool) // per_wp
        part = pool[j * k:] if j == per_wp - 1 else pool[j * k:(j + 1) * k]
        cid = f"C{c}"
        cohorts.append({"id": cid, "track": "K", "workplaces": [f"W{w}"], "participants": part})
        day_i = rng.randrange(0, len(days) - 40)
        for m in modules:
            for idx in range(1, m["sessions"] + 1):
                day_i += rng.randint(1, 3)
                d = days[day_i]
                hh = rng.choice([8, 13])
                a = datetime(d.year, d.month, d.day, hh, tzinfo=tz)
                sessions.append({"id": f"{cid}-{m['id']}-{idx}", "cohort": cid, "module": m["id"], "index": idx,
                                 "start": a.isoformat(), "end": (a + timedelta(hours=2)).isoformat(),
                                 "trainer": f"T{rng.randrange(80)}", "room": f"R{w}", "interpreters": []})
    schedule = {"format": "modulplan/schedule-1", "scenario": "large", "status": "feasible", "objective": 0,
                "cohorts": cohorts, "sessions": sessions, "unscheduled": [], "unassigned_participants": [],
                "kpis": {}}
    return scenario, schedule


_COHORT_VALUES = st.one_of(st.none(), st.integers(-1, 3), st.text(max_size=6), st.just("K-SAK"), st.just("K-VARD"),
                           st.just(["v-101", "v-101", 7, None]), st.just(["HP-BRUK-1-skiftlag-1-1"]), st.just({}))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["id", "track", "participants", "workplaces"]),
                                _COHORT_VALUES), max_size=3),
       unscheduled=st.lists(st.fixed_dictionaries({"cohort": _COHORT_VALUES, "module": _FIELD_VALUES,
                                                   "index": _FIELD_VALUES, "reason": _FIELD_VALUES}), max_size=2),
       unassigned=st.lists(st.fixed_dictionaries({"participant": _COHORT_VALUES, "action_plan": _FIELD_VALUES}),
                           max_size=2))
def test_randomly_damaged_cohorts_and_lists_never_crash(_tiny, edits, unscheduled, unassigned):
    scenario, schedule = _tiny
    sd = copy.deepcopy(schedule)
    for i, key, value in edits:
        sd["cohorts"][i][key] = value
    sd["unscheduled"] = unscheduled
    sd["unassigned_participants"] = unassigned
    report = validate(scenario, sd)
    assert isinstance(report.ok, bool)
    format_report(report)


def test_large_year_long_schedule_validates_in_a_few_seconds():
    scenario, schedule = _large_case()
    assert len(schedule["sessions"]) >= 2900
    t0 = time.perf_counter()
    report = validate(scenario, schedule)
    elapsed = time.perf_counter() - t0
    format_report(report)
    assert report.kpis["sessions_scheduled"] == len(schedule["sessions"])
    assert not [v for v in report.violations if v.rule == 1 and "no cohort" in v.message]
    assert elapsed < 20, f"validation took {elapsed:.1f} s"
