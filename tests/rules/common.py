"""Shared helpers of the per-rule tests (moved from tests/test_solver_rules.py): breaking a
solver schedule by hand, asking the validator which rules it breaks, small shared scenarios.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.cohorts import SessionKey
from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.validate import format_report, validate
from tests.scenario_factory import H0, counted, plan, room, scenario_factory, shift_type, team, workplace

TZ = ZoneInfo("Europe/Stockholm")


def D(s: str) -> date:
    return date.fromisoformat(s)


def move_to(session: dict, day: str, hhmm: str) -> None:
    """Move a schedule session to local ``day`` ``hhmm``, keeping its real duration."""
    dur = datetime.fromisoformat(session["end"]) - datetime.fromisoformat(session["start"])
    a = datetime.combine(D(day), time.fromisoformat(hhmm), tzinfo=TZ)
    b = (a.astimezone(UTC) + dur).astimezone(TZ)
    session["start"], session["end"] = a.isoformat(), b.isoformat()


def broken_rules(scenario: dict, schedule: dict) -> tuple[set[int], str]:
    """The hard rules (and format, rule 0) the validator finds broken; KPIs are not compared
    (a hand-edited schedule keeps its now stale kpis)."""
    report = validate(scenario, schedule, check_kpis=False)
    return {v.rule for v in report.violations}, format_report(report)


def assert_only_rule(scenario: dict, schedule: dict, rule: int) -> None:
    rules, text = broken_rules(scenario, schedule)
    assert rules == {rule}, text


def two_plans(**kw) -> list[dict]:
    """Plans HP1 and HP2 of workplace W1 (3 counted participants each), target on day 1."""
    kw.setdefault("target", H0)
    return [plan("HP1", **kw), plan("HP2", **kw)]


ROOMY_TEAM = [workplace(teams=[team(headcount=20, min_staffing=2)])]  # slack 18: staffing never binds


def cohort_sizes(schedule: dict) -> list[int]:
    return sorted(len(c["participants"]) for c in schedule["cohorts"])


def two_sites(start_times: list[str]) -> dict:
    """Cohorts at two workplaces 60 minutes apart, each trained at its own site, one trainer."""
    return scenario_factory(
        start_times=start_times,
        sites=[{"id": "S-W"}, {"id": "S-X"}],
        travel={"default_minutes": 30, "pairs": [{"from": "S-W", "to": "S-X", "minutes": 60}]},
        workplaces=[workplace("W1", "S-W", [team("lag-1")]), workplace("W2", "S-X", [team("lag-2")])],
        rooms=[room("R1", site="S-W"), room("R2", site="S-X")],
        module={"location": "workplace"},
        action_plans=[plan("HP1", "W1", participants=[counted("lag-1", 3)], target=H0),
                      plan("HP2", "W2", participants=[counted("lag-2", 3)], target=H0)],
    )


NIGHT = dict(shift_types=[shift_type("N", "22:00", "06:00")])


# ----------------------------------------------------------------------------- model level

def model_of(sc: dict) -> ModelBuilder:
    """The variables of the model of scenario `sc` (no rule added yet)."""
    return ModelBuilder(PlanningProblem(build_scenario(load_scenario(copy.deepcopy(sc)))))


def solvable(mb: ModelBuilder) -> bool:
    """Whether the model so far has a solution (one worker, a few seconds at most)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(mb.model)
    assert status != cp_model.UNKNOWN, "the small model was not decided in time"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def session(mb: ModelBuilder, cohort: str, module: str = "M1", index: int = 1) -> int:
    """The index of a cohort session in the model's problem."""
    return mb.problem.session_index[SessionKey(cohort, module, index)]


def at_start(mb: ModelBuilder, i: int, day: str, hhmm: str) -> None:
    """Force session i to be scheduled at local `day` `hhmm` (infeasible if that is no candidate)."""
    minute = mb.problem.timeline.clock.at(date.fromisoformat(day), time.fromisoformat(hhmm))
    mb.model.add(mb.present[i] == 1)
    mb.model.add(mb.start[i] == minute)


def switch(mb: ModelBuilder, on: bool):
    """A new enforcement literal, fixed to `on`."""
    lit = mb.model.new_bool_var("enforce")
    mb.model.add(lit == int(on))
    return lit
