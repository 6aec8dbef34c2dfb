"""Rule 5, cohorts: group sizes, workplaces, no participant in two sessions at once.
"""

from __future__ import annotations

from scheduler.rules.participants import participant_rule
from tests.rules.common import ROOMY_TEAM, assert_only_rule, at_start, cohort_sizes, model_of, session, solvable, switch
from tests.scenario_factory import (
    H0,
    counted,
    day_of,
    module,
    named,
    overlaps,
    plan,
    room,
    scenario_factory,
    sessions_with,
    solve_checked,
    team,
    track,
    trainer,
    workplace,
)


def sc_seven_max_four() -> dict:
    return scenario_factory(participants=7, track={"min_group": 2, "max_group": 4}, workplaces=ROOMY_TEAM, target=H0)


def test_rule5_seven_participants_with_max_group_four_form_cohorts_of_three_and_four():
    sd = solve_checked(sc_seven_max_four())
    assert cohort_sizes(sd) == [3, 4]
    assert sd["unassigned_participants"] == []
    assert len(sd["sessions"]) == 2


def test_rule5_plan_smaller_than_min_group_forms_one_smaller_cohort():
    sd = solve_checked(scenario_factory(participants=2, track={"min_group": 3, "max_group": 6}))
    assert cohort_sizes(sd) == [2]
    assert sd["unassigned_participants"] == [] and len(sd["sessions"]) == 1


def _two_workplaces(mix: bool) -> dict:
    return scenario_factory(
        workplaces=[workplace("W1", "S-W", [team("lag-1")]), workplace("W2", "S-W", [team("lag-2")])],
        track={"mix_workplaces": mix},
        action_plans=[plan("HP1", "W1", participants=[counted("lag-1", 2)]),
                      plan("HP2", "W2", participants=[counted("lag-2", 2)])],
    )


def test_rule5_cohorts_do_not_mix_workplaces_without_mix_workplaces():
    # one cohort of 4 would halve the trainer cost, but the track keeps workplaces apart
    sd = solve_checked(_two_workplaces(mix=False))
    assert sorted(tuple(c["workplaces"]) for c in sd["cohorts"]) == [("W1",), ("W2",)]
    assert cohort_sizes(sd) == [2, 2]


def test_rule5_mix_workplaces_lets_one_cohort_hold_both_workplaces():
    sd = solve_checked(_two_workplaces(mix=True))
    assert [sorted(c["workplaces"]) for c in sd["cohorts"]] == [["W1", "W2"]]


def test_rule5_person_in_two_tracks_is_never_in_two_sessions_at_once():
    sc = scenario_factory(
        start_times=["08:00"],
        modules=[module("M1"), module("M2")],
        tracks=[track("K1", ["M1"]), track("K2", ["M2"])],
        trainers=[trainer("T1", ["M1"]), trainer("T2", ["M2"])],
        rooms=[room("R1"), room("R2")],
        action_plans=[plan("HP1", track="K1", participants=[named("p-1"), named("p-2")], target=H0),
                      plan("HP2", track="K2", participants=[named("p-1"), named("p-3")], target=H0)],
    )
    sd = solve_checked(sc)
    a, b = sessions_with(sd, "p-1")
    assert {a["module"], b["module"]} == {"M1", "M2"}
    assert not overlaps(a, b) and day_of(a) != day_of(b)


def test_rule5_validator_catches_a_cohort_above_max_group():
    sc = sc_seven_max_four()
    sd = solve_checked(sc)
    small, big = sorted(sd["cohorts"], key=lambda c: len(c["participants"]))
    big["participants"].append(small["participants"].pop())
    assert_only_rule(sc, sd, 5)


def test_plans_sharing_a_person_study_together_when_apart_they_would_be_too_small():
    sc = scenario_factory(track={"min_group": 2},
                          action_plans=[plan("HP1", participants=[named("p-1"), named("p-2")]),
                                        plan("HP2", participants=[named("p-1"), named("p-3")])])
    sd = solve_checked(sc)  # HP2 without p-1 would be a cohort of one: below min_group
    assert all(len(c["participants"]) >= 2 for c in sd["cohorts"])
    assert sorted(p for c in sd["cohorts"] for p in c["participants"]) == ["p-1", "p-2", "p-3"]


# ============================================================================ model level

def _person_in_two_tracks() -> dict:
    return scenario_factory(
        start_times=["08:00"], modules=[module("M1"), module("M2")],
        tracks=[track("K1", ["M1"]), track("K2", ["M2"])],
        trainers=[trainer("T1", ["M1"]), trainer("T2", ["M2"])], rooms=[room("R1"), room("R2")],
        action_plans=[plan("HP1", track="K1", participants=[named("p-1"), named("p-2")], target=H0),
                      plan("HP2", track="K2", participants=[named("p-1"), named("p-3")], target=H0)],
    )


def test_rule5_model_keeps_a_person_out_of_two_sessions_at_once_unless_switched_off():
    for enforce, expected, day in ((None, False, H0), (True, False, H0), (False, True, H0), (None, True, "2027-04-06")):
        mb = model_of(_person_in_two_tracks())
        participant_rule(mb.problem, mb, None if enforce is None else switch(mb, enforce))
        at_start(mb, session(mb, "C-HP1-1", "M1"), H0, "08:00")
        at_start(mb, session(mb, "C-HP2-1", "M2"), day, "08:00")
        assert solvable(mb) is expected, (enforce, day)
