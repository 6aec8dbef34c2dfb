"""Rule 10, languages: a trainer who speaks each needed language, or an interpreter who is
available and never in two places at once.
"""

from __future__ import annotations

from scheduler.rules.languages import interpreter_time, language_cover, language_rule
from tests.rules.common import ROOMY_TEAM, D, assert_only_rule, at_start, model_of, session, solvable, switch, two_sites
from tests.scenario_factory import (
    H0,
    day_of,
    interpreter,
    named,
    overlaps,
    plan,
    room,
    scenario_factory,
    sessions_of,
    solve_checked,
    trainer,
)


def sc_interpreter() -> dict:
    return scenario_factory(participants=[named("a-1", language="ar"), named("a-2"), named("a-3")],
                            interpreters=[interpreter("I1")], target=H0)


def test_rule10_interpreter_is_assigned_when_the_trainer_lacks_the_language():
    sd = solve_checked(sc_interpreter())
    assert [s["interpreters"] for s in sd["sessions"]] == [["I1"]]


def test_rule10_unavailable_interpreter_moves_the_session_to_another_day():
    sc = scenario_factory(participants=[named("a-1", language="ar"), named("a-2")], target=H0,
                          interpreters=[interpreter("I1", unavailable=["2027-04-05"])])
    sd = solve_checked(sc)
    (s,) = sd["sessions"]
    assert day_of(s) == D("2027-04-06") and s["interpreters"] == ["I1"]


def test_rule10_trainer_who_speaks_the_language_is_chosen_when_there_is_no_interpreter():
    sc = scenario_factory(participants=[named("a-1", language="ar"), named("a-2")],
                          trainers=[trainer("T-SV", cost_per_hour=100),
                                    trainer("T-AR", languages=["sv", "ar"], cost_per_hour=900)])
    sd = solve_checked(sc)
    assert [(s["trainer"], s["interpreters"]) for s in sd["sessions"]] == [("T-AR", [])]


def test_rule10_interpreter_is_never_in_two_sessions_at_once():
    sc = scenario_factory(
        start_times=["08:00"], trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")],
        interpreters=[interpreter("I1")], workplaces=ROOMY_TEAM,
        # every participant needs Arabic (so each cohort, however formed, needs I1), at most
        # two to a group (two cohorts)
        action_plans=[plan("HP1", participants=[named("a-1", language="ar"), named("a-2", language="ar")], target=H0),
                      plan("HP2", participants=[named("b-1", language="ar"), named("b-2", language="ar")], target=H0)],
        track={"max_group": 2},
    )
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert a["interpreters"] == b["interpreters"] == ["I1"]
    assert not overlaps(a, b) and day_of(a) != day_of(b)


def test_rule10_interpreter_keeps_travel_time_between_sites():
    # one trainer at each site, but one interpreter for both: 30 minutes for a 60-minute journey
    sc = two_sites(["08:00", "09:30"])
    sc["trainers"] = [trainer("T1", home_site="S-W"), trainer("T2", home_site="S-X")]
    sc["interpreters"] = [interpreter("I1", home_site="S-W")]
    sc["action_plans"][0]["participants"] = [named("a-1", "lag-1", "ar"), named("a-2", "lag-1")]
    sc["action_plans"][1]["participants"] = [named("b-1", "lag-2", "ar"), named("b-2", "lag-2")]
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert a["interpreters"] == b["interpreters"] == ["I1"] and a["trainer"] != b["trainer"]
    assert day_of(a) != day_of(b)


def test_rule10_no_interpreter_and_no_speaking_trainer_leaves_the_session_unscheduled_with_a_reason():
    sc = scenario_factory(participants=[named("a-1", language="ar"), named("a-2")])
    sd = solve_checked(sc)
    assert sd["sessions"] == []
    (u,) = sd["unscheduled"]
    assert "interpreter" in u["reason"] and "ar" in u["reason"] and "M1" in u["reason"]
    assert "behöver språket ar" in u["reason_sv"] and "ingen tolk" in u["reason_sv"], u["reason_sv"]


def test_rule10_validator_catches_a_missing_interpreter():
    sc = sc_interpreter()
    sd = solve_checked(sc)
    sd["sessions"][0]["interpreters"] = []
    assert_only_rule(sc, sd, 10)


# ============================================================================ model level

def test_rule10_model_covers_a_needed_language_unless_switched_off():
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(sc_interpreter())
        language_cover(mb.problem, mb, None if enforce is None else switch(mb, enforce))
        (i,) = mb.schedulable
        mb.model.add(mb.present[i] == 1)
        mb.model.add(mb.interprets[i, "I1"] == 0)
        assert solvable(mb) is expected, enforce


def _one_interpreter_two_cohorts() -> dict:
    return scenario_factory(
        start_times=["08:00"], trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")],
        interpreters=[interpreter("I1")], workplaces=ROOMY_TEAM,
        action_plans=[plan("HP1", participants=[named("a-1", language="ar"), named("a-2")], target=H0),
                      plan("HP2", participants=[named("b-1", language="ar"), named("b-2")], target=H0)],
    )


def test_rule10_model_keeps_an_interpreter_out_of_two_sessions_at_once_unless_switched_off():
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(_one_interpreter_two_cohorts())
        language_cover(mb.problem, mb)
        interpreter_time(mb.problem, mb, "I1", None if enforce is None else switch(mb, enforce))
        at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
        at_start(mb, session(mb, "C-HP2-1"), H0, "08:00")
        assert solvable(mb) is expected, enforce


def test_rule10_language_rule_allows_the_interpreter_on_two_days():
    mb = model_of(_one_interpreter_two_cohorts())
    language_rule(mb.problem, mb)
    at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
    at_start(mb, session(mb, "C-HP2-1"), "2027-04-06", "08:00")
    assert solvable(mb)
