"""The constructive schedule (the optimizer's starting point at every size, and the whole
answer when the programme is too large for one model) must not walk into dead ends that a
coordinator would see: a module with a maximum gap placed just before a closed period,
or a trainer who is booked on the only day the next session could take."""

from __future__ import annotations

import copy

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.problem import PlanningProblem, Positions
from scheduler.search.construct import construct

from .scenario_factory import module, pattern, plan, scenario_factory, solve_checked, track, trainer

# The horizon starts on Wednesday 2027-04-07, the cheapest and the earliest start: the team
# works Wednesday to Friday (a session on shift costs backfill, Monday and Tuesday overtime).
# Both greedy orders (cheapest first, earliest first) take it unless they look ahead.
WED_TO_FRI = pattern("dag", ["-", "-", "D", "D", "D", "-", "-"])


def trap(**changes) -> dict:
    data = scenario_factory(
        horizon=("2027-04-07", "2027-04-23"),
        shift_patterns=[WED_TO_FRI],
        modules=[module("M1", sessions=2, max_gap_days=5), module("M2")],
        tracks=[track("K1", ("M1",)), track("K2", ("M2",))],
        trainers=[trainer("T1", ("M1", "M2"), max_sessions_per_day=1)],
        weights={"overtime_per_hour": 900, "backfill_per_hour": 300},
        action_plans=[plan("HP1", allow_off_shift=True)],
    )
    data.update(changes)
    return data


def constructive(data: dict):
    problem = PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))
    return problem, construct(problem)


def test_a_module_is_not_started_where_its_next_session_cannot_follow_before_a_closure():
    # The next session must come within 5 days of Wednesday 7 April, all of them closed:
    # the constructive schedule starts the module after the closure.
    data = trap()
    data["calendar"]["closed"] = [{"start": "2027-04-08", "end": "2027-04-12", "reason": "stängt"}]
    problem, placed = constructive(data)
    assert len(placed) == len(problem.sessions) == 2
    schedule = solve_checked(data, time_limit=5)
    assert schedule["unscheduled"] == []


def test_an_earlier_session_moves_when_the_next_one_finds_its_trainer_booked():
    # Only Monday 12 April can follow a start on Wednesday 7 April (Thu/Fri closed, gap at
    # most 5 days), and plan HP2, tighter, takes trainer T1 (one session a day) that Monday.
    # Greedy would start HP1 on the 7th and strand its second session; backtracking moves
    # the first session to a start whose successor fits.
    data = trap()
    data["calendar"]["closed"] = [{"start": "2027-04-08", "end": "2027-04-09", "reason": "stängt"}]
    data["action_plans"].append(plan("HP2", track="K2", participants=2, earliest="2027-04-12",
                                     deadline="2027-04-12", allow_off_shift=True))
    problem, placed = constructive(data)
    assert len(placed) == len(problem.sessions) == 3
    days = sorted(problem.options[i].candidates[pl.candidate].slot.day.isoformat() for i, pl in placed.items())
    assert "2027-04-12" in days  # HP2 kept its only day
    schedule = solve_checked(data, time_limit=5)
    assert schedule["unscheduled"] == []


def test_the_starts_at_which_someone_is_free_answer_as_a_set_of_positions_does():
    """A session's candidate positions per trainer, room or interpreter are kept one byte per
    candidate (national size); they must still answer membership, count and order as a set."""
    free = Positions(bytes([1, 0, 0, 1, 1]))
    assert [k for k in range(-1, 7) if k in free] == [0, 3, 4]
    assert list(free) == [0, 3, 4] and len(free) == 3 and sorted(free) == [0, 3, 4]
    assert None not in free and "3" not in free
    assert len(Positions(bytes(4))) == 0 and not list(Positions(bytes(4)))
    assert Positions.of([4, 0, 3], 5).row == free.row


def test_every_trainer_listed_for_a_session_is_free_at_some_of_its_starts_and_no_more():
    data = scenario_factory()
    problem = PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))
    assert problem.options
    for o in problem.options:
        for table in (o.trainers, o.rooms, o.interpreters):
            for positions in table.values():
                assert 0 < len(positions) <= len(o.candidates)
                assert all(0 <= k < len(o.candidates) for k in positions)
