"""Independent parts: plans that share no person, team, trainer, room or interpreter are
solved separately (in worker processes) and merged into one valid schedule."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.solve.parts import find_parts, merge_schedules, split_scenario
from scheduler.validate import validate

from .scenario_factory import (
    module,
    plan,
    room,
    scenario_factory,
    solve,
    solve_checked,
    team,
    track,
    trainer,
    workplace,
)

ROOT = Path(__file__).resolve().parents[1]


def two_programmes(**changes) -> dict:
    """Two workplaces at two sites, each with its own track, trainer and workplace room."""
    data = scenario_factory(
        sites=[{"id": "S-W", "name": "Väst"}, {"id": "S-O", "name": "Öst"}],
        workplaces=[workplace("W1", "S-W", [team("lag-1")]), workplace("W2", "S-O", [team("lag-2")])],
        rooms=[room("R1", "S-W"), room("R2", "S-O")],
        trainers=[trainer("T1", ("M1",), home_site="S-W"), trainer("T2", ("M2",), home_site="S-O")],
        modules=[module("M1", sessions=2, location="workplace"), module("M2", sessions=2, location="workplace")],
        tracks=[track("K1", ("M1",)), track("K2", ("M2",))],
        action_plans=[plan("HP1", "W1", "K1", [{"team": "lag-1", "count": 4}]),
                      plan("HP2", "W2", "K2", [{"team": "lag-2", "count": 3}])],
    )
    for key, value in changes.items():
        data[key] = value
    return data


def parts_of(data: dict) -> list[list[str]]:
    return find_parts(build_scenario(load_scenario(copy.deepcopy(data))))


def test_plans_that_share_nothing_are_separate_parts():
    assert parts_of(two_programmes()) == [["HP1"], ["HP2"]]


def test_a_trainer_qualified_for_both_tracks_joins_the_parts():
    data = two_programmes(trainers=[trainer("T1", ("M1", "M2"), home_site="S-W"),
                                    trainer("T2", ("M2",), home_site="S-O")])
    assert parts_of(data) == [["HP1", "HP2"]]


def test_a_room_both_could_use_joins_the_parts():
    data = two_programmes(modules=[module("M1", sessions=2), module("M2", sessions=2)])  # any room
    assert parts_of(data) == [["HP1", "HP2"]]


def test_a_team_in_both_plans_joins_the_parts():
    data = two_programmes()
    data["action_plans"][1]["participants"].append({"team": "lag-1", "count": 1})
    assert parts_of(data) == [["HP1", "HP2"]]


def test_a_part_keeps_only_its_own_plans_workplaces_and_resources():
    parts = split_scenario(load_scenario(two_programmes()))
    second = parts[1].scenario
    assert [p["id"] for p in second["action_plans"]] == ["HP2"]
    assert [w["id"] for w in second["workplaces"]] == ["W2"]
    assert [t["id"] for t in second["trainers"]] == ["T2"]
    assert [r["id"] for r in second["rooms"]] == ["R2"]
    assert second["modules"] == parts[0].scenario["modules"]  # shared definitions stay whole


def test_solving_in_parts_gives_a_valid_schedule_of_the_whole():
    schedule = solve_checked(two_programmes(), time_limit=10)
    assert schedule["unscheduled"] == []
    assert {s["trainer"] for s in schedule["sessions"]} == {"T1", "T2"}
    assert schedule["objective"] == sum(schedule["kpis"]["objective_breakdown"].values())


def test_parts_cost_what_the_whole_costs_when_both_are_optimal():
    data = two_programmes()
    in_parts = solve(data, time_limit=10)
    from scheduler.solve import SolveParams, solve_scenario

    whole = solve_scenario(copy.deepcopy(data), SolveParams(time_limit=10, workers=2, split_parts=False))
    assert in_parts.stats["mode"] == "parts" and whole.stats["mode"] != "parts"
    assert in_parts.status.value == whole.status.value == "optimal"
    assert in_parts.objective == whole.objective
    assert sorted(c["id"] for c in in_parts.schedule["cohorts"]) == sorted(c["id"] for c in whole.schedule["cohorts"])


def test_the_worker_command_solves_one_part_from_standard_input():
    doc = load_scenario(two_programmes())
    part = split_scenario(doc)[0]
    request = json.dumps({"scenario": part.scenario, "params": {"time_limit": 5, "workers": 1}, "index": 0})
    done = subprocess.run([sys.executable, "-m", "scheduler.solve.parts"], input=request, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    schedule = json.loads(done.stdout)
    schedule.pop("x-part")
    assert validate(part.scenario, schedule).ok
    assert {s["trainer"] for s in schedule["sessions"]} == {"T1"}
    assert "@progress" in done.stderr  # progress lines for whoever fans the parts out


def test_merging_adds_up_costs_and_counts():
    doc = load_scenario(two_programmes())
    a = {"objective": 10, "bound": 8, "status": "optimal", "sessions": [], "unscheduled": [], "cohorts": [],
         "unassigned_participants": [], "kpis": {"sessions_total": 2, "objective_breakdown": {"x": 10},
                                                 "trainer_hours": {"T1": 2}}}
    b = {"objective": 5.5, "bound": None, "status": "feasible", "sessions": [], "unscheduled": [], "cohorts": [],
         "unassigned_participants": [], "kpis": {"sessions_total": 3, "objective_breakdown": {"x": 5.5},
                                                 "trainer_hours": {"T2": 1}}}
    merged = merge_schedules(doc, [a, b])
    assert merged["objective"] == 15.5 and merged["bound"] is None and merged["status"] == "feasible"
    assert merged["kpis"]["sessions_total"] == 5
    assert merged["kpis"]["objective_breakdown"] == {"x": 15.5}
    assert merged["kpis"]["trainer_hours"] == {"T1": 2, "T2": 1}


def test_a_job_queue_can_run_the_parts_elsewhere():
    # The runner stands for a queue that ships each part's request to another machine: here
    # it calls solve_part in this process and records what it was given.
    from scheduler.solve import SolveParams
    from scheduler.solve.parts import solve_in_parts, solve_part

    shipped = []

    def runner(part, params, report):
        shipped.append((part.index, json.loads(json.dumps(part.scenario)), params))
        return solve_part(part.scenario, params, part_index=part.index)

    data = two_programmes()
    whole, parts, _ = solve_in_parts(data, SolveParams(time_limit=6, workers=2), runner=runner)
    assert sorted(i for i, _, _ in shipped) == [0, 1]
    assert all(p["workers"] == 1 for _, _, p in shipped)  # the cores shared out
    assert validate(data, whole).ok
    assert whole["unscheduled"] == []
