"""A small programme for the what-if tests, and helpers to solve and re-plan it checked.

Six cohorts of three (plans HP1..HP6 of team lag-1, windows spread over four weeks of
April 2027), one module M1 of four 3-hour sessions; trainers T1 and T2 (600/h, one session
a day each) and T3 (900/h, the backup); rooms R1 and R2. With T1 away in weeks 2-3 only
T1's sessions of those weeks have to move.
"""

from __future__ import annotations

import copy
from datetime import date, datetime

from scheduler.format import load_schedule
from scheduler.solve import SolveParams, solve_scenario
from scheduler.solve.replan import diff_sessions
from scheduler.validate import format_report, validate
from tests.scenario_factory import module, plan, room, scenario_factory, team, trainer, workplace

WINDOWS = [("2027-04-05", "2027-04-16"), ("2027-04-05", "2027-04-23"), ("2027-04-12", "2027-04-23"),
           ("2027-04-12", "2027-04-30"), ("2027-04-19", "2027-04-30"), ("2027-04-05", "2027-04-30")]
AWAY = ("2027-04-12", "2027-04-25")  # T1's two weeks away
FREEZE = date(2027, 4, 12)


def programme() -> dict:
    return scenario_factory(
        id="whatif",
        horizon=("2027-04-05", "2027-04-30"),
        workplaces=[workplace(teams=[team(headcount=20, min_staffing=10)])],
        trainers=[trainer("T1", max_sessions_per_day=1), trainer("T2", max_sessions_per_day=1),
                  trainer("T3", cost_per_hour=900)],
        rooms=[room("R1"), room("R2")],
        modules=[module("M1", sessions=4, duration_minutes=180, min_gap_days=1, max_gap_days=7)],
        action_plans=[plan(f"HP{n}", participants=3, earliest=e, deadline=d, target=d)
                      for n, (e, d) in enumerate(WINDOWS, 1)],
        # one cohort per plan: these tests are about re-planning sessions, not about forming
        # cohorts (with room for six, a 3 s solve merges plans into three cohorts that all
        # start after the freeze date)
        track={"max_group": 3},
    )


def away_changes(trainer_id: str = "T1", start: str = AWAY[0], end: str = AWAY[1]) -> list[dict]:
    return [{"type": "unavailable", "trainer": trainer_id, "start": start, "end": end, "reason": "sick leave"}]


def checked(scenario: dict, schedule: dict, baseline: dict | None = None) -> dict:
    """The schedule is a valid document and the independent validator finds nothing."""
    load_schedule(copy.deepcopy(schedule))
    report = validate(scenario, schedule, baseline=baseline)
    assert report.ok, format_report(report)
    return schedule


def solve(scenario: dict, time_limit: float = 3, **replan) -> dict:
    """Solve (or re-plan, with baseline=...) and check the result with the validator."""
    result = solve_scenario(copy.deepcopy(scenario), SolveParams(time_limit=time_limit, workers=2), **replan)
    return checked(scenario, result.schedule, replan.get("baseline"))


def local_day(session: dict) -> date:
    return datetime.fromisoformat(session["start"]).date()


def touching(schedule: dict, trainer_id: str, start: str, end: str) -> set[str]:
    """Ids of the sessions the trainer teaches between start and end (dates, inclusive)."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return {s["id"] for s in schedule["sessions"] if s["trainer"] == trainer_id and a <= local_day(s) <= b}


def moved(baseline: dict, schedule: dict) -> set[str]:
    return set(diff_sessions(baseline, schedule)["moved"])
