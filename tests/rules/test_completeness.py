"""Rule 1, completeness (see scheduler.rules.catalogue): every participant in one cohort or
unassigned, every session scheduled once or unscheduled, each with a reason.
"""

from __future__ import annotations

from scheduler.rules.completeness import completeness_rule
from tests.rules.common import ROOMY_TEAM, assert_only_rule, cohort_sizes, model_of, session, solvable, switch
from tests.scenario_factory import named, plan, scenario_factory, sessions_of, solve_checked


def sc_three_sessions() -> dict:
    return scenario_factory(module={"sessions": 3}, participants=7, track={"max_group": 4, "min_group": 2},
                            workplaces=ROOMY_TEAM)


def test_rule1_every_participant_is_in_exactly_one_cohort_and_every_session_scheduled_once():
    sc = sc_three_sessions()
    sd = solve_checked(sc)
    ids = [f"HP1-lag-1-{n}" for n in range(1, 8)]
    members = [p for c in sd["cohorts"] for p in c["participants"]]
    assert sorted(members) == sorted(ids)  # each exactly once
    assert sd["unassigned_participants"] == [] and sd["unscheduled"] == []
    keys = [(s["cohort"], s["module"], s["index"]) for s in sd["sessions"]]
    assert len(keys) == len(set(keys)) == 3 * len(sd["cohorts"])
    for c in sd["cohorts"]:
        assert [s["index"] for s in sessions_of(sd, cohort=c["id"])] == [1, 2, 3]
    assert sd["kpis"]["sessions_scheduled"] == sd["kpis"]["sessions_total"] == len(keys)


def test_rule1_participants_no_valid_cohort_can_hold_are_unassigned_with_a_reason():
    # 5 participants, groups of 3..4: one cohort of 4, the fifth cannot be placed anywhere
    sc = scenario_factory(participants=5, track={"min_group": 3, "max_group": 4}, workplaces=ROOMY_TEAM)
    sd = solve_checked(sc)
    assert cohort_sizes(sd) == [4]
    assert len(sd["unassigned_participants"]) == 1
    u = sd["unassigned_participants"][0]
    assert u["action_plan"] == "HP1" and u["participant"].startswith("HP1-lag-1-")
    assert "3 to 4" in u["reason"] and "K1" in u["reason"]
    assert sd["kpis"]["objective_breakdown"]["unassigned_participant"] == 100000


def test_rule1_sessions_not_worth_scheduling_are_listed_unscheduled_with_a_reason():
    # leaving a session out costs nothing here, so the optimum schedules nothing; every
    # session must still be accounted for
    sc = scenario_factory(module={"sessions": 2}, weights={"unscheduled_session": 0})
    sd = solve_checked(sc)
    assert sd["sessions"] == []
    assert sorted((u["cohort"], u["module"], u["index"]) for u in sd["unscheduled"]) == [
        ("C-HP1-1", "M1", 1), ("C-HP1-1", "M1", 2)]
    assert all(u["reason"] and "M1" in u["reason"] for u in sd["unscheduled"])


def test_rule1_validator_catches_a_dropped_session_in_a_solver_schedule():
    sc = sc_three_sessions()
    sd = solve_checked(sc)
    last = sessions_of(sd, cohort=sd["cohorts"][0]["id"])[-1]
    sd["sessions"].remove(last)
    assert_only_rule(sc, sd, 1)


def test_rule1_validator_catches_a_participant_left_out_of_every_cohort():
    sc = sc_three_sessions()
    sd = solve_checked(sc)
    sd["cohorts"][0]["participants"].pop()
    assert_only_rule(sc, sd, 1)


def test_person_in_two_plans_of_one_track_is_in_exactly_one_cohort():
    sc = scenario_factory(action_plans=[plan("HP1", participants=[named("p-1"), named("p-2")]),
                                        plan("HP2", participants=[named("p-1"), named("p-3")])])
    sd = solve_checked(sc)
    assert sum("p-1" in c["participants"] for c in sd["cohorts"]) == 1


# ============================================================================ model level

def test_rule1_model_schedules_no_session_without_its_predecessor_unless_switched_off():
    sc = scenario_factory(module={"sessions": 2})
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(sc)
        first, second = session(mb, "C-HP1-1", "M1", 1), session(mb, "C-HP1-1", "M1", 2)
        completeness_rule(mb.problem, mb, None if enforce is None else switch(mb, enforce))
        mb.model.add(mb.present[first] == 0)
        mb.model.add(mb.present[second] == 1)
        assert solvable(mb) is expected, enforce


def test_rule1_model_schedules_a_track_in_sequence():
    mb = model_of(scenario_factory(module={"sessions": 2}))
    completeness_rule(mb.problem, mb)
    for i in mb.schedulable:
        mb.model.add(mb.present[i] == 1)
    assert solvable(mb)
