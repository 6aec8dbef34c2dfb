"""Rule 3, trainers: qualified, available, never in two places at once (with travel), within
their daily and weekly limits.
"""

from __future__ import annotations

from datetime import timedelta

from scheduler.rules.trainers import trainer_limits, trainer_rule, trainer_time
from tests.rules.common import (
    ROOMY_TEAM,
    D,
    assert_only_rule,
    at_start,
    model_of,
    move_to,
    session,
    solvable,
    switch,
    two_plans,
    two_sites,
)
from tests.scenario_factory import (
    H0,
    day_of,
    end_of,
    hm,
    module,
    overlaps,
    plan,
    room,
    scenario_factory,
    sessions_of,
    solve_checked,
    start_of,
    track,
    trainer,
    weekly,
)


def sc_trainer_one_per_day() -> dict:
    # two cohorts of three (a group of at most three: the search may not merge them into one)
    return scenario_factory(trainer={"max_sessions_per_day": 1}, action_plans=two_plans(), workplaces=ROOMY_TEAM,
                            track={"max_group": 3})


def test_rule3_max_sessions_per_day_puts_two_cohorts_on_different_days():
    sd = solve_checked(sc_trainer_one_per_day())
    days = [day_of(s) for s in sd["sessions"]]
    assert len(days) == 2 and len(set(days)) == 2
    assert min(days) == D(H0)


def test_rule3_a_session_kept_out_by_a_busy_trainer_says_so_and_names_the_qualified_trainers():
    # one start in the window, two cohorts of three, rooms for both but one trainer
    sc = scenario_factory(action_plans=two_plans(earliest=H0, deadline=H0), start_times=["08:00"], track={"max_group": 3},
                          rooms=[room("R1"), room("R2")], workplaces=ROOMY_TEAM)
    sd = solve_checked(sc, time_limit=1.5)  # the one left out has starts: the search runs its time
    assert len(sd["sessions"]) == 1
    (u,) = sd["unscheduled"]
    assert "at 1 every qualified trainer (Trainer T1) is teaching, travelling or at a daily or weekly limit" \
        in u["reason"], u["reason"]


def test_rule3_trainer_never_teaches_two_sessions_at_once():
    # two rooms but one trainer and one start time a day; two cohorts that may not merge
    sc = scenario_factory(start_times=["08:00"], rooms=[room("R1"), room("R2")], action_plans=two_plans(),
                          workplaces=ROOMY_TEAM, track={"max_group": 3})
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert not overlaps(a, b) and day_of(a) != day_of(b)


def test_rule3_travel_time_between_sites_forces_another_day():
    # 08:00-09:00 at S-W then 09:30 at S-X leaves 30 minutes for a 60-minute journey
    sd = solve_checked(two_sites(["08:00", "09:30"]))
    a, b = sessions_of(sd)
    assert a["trainer"] == b["trainer"] == "T1"
    assert {a["room"], b["room"]} == {"R1", "R2"}
    assert day_of(a) != day_of(b)


def test_rule3_travel_time_that_fits_between_start_times_allows_the_same_day():
    # the control of the test above: 90 minutes between sessions is enough for the journey
    sd = solve_checked(two_sites(["08:00", "10:30"]))
    a, b = sessions_of(sd)
    assert day_of(a) == day_of(b) == D(H0)
    assert (start_of(b) - end_of(a)) >= timedelta(minutes=60)


def _remote_then_workplace(travel_minutes: int) -> dict:
    """One trainer living at S-LC: a remote module (held at home) and a workplace module at S-W."""
    return scenario_factory(
        sites=[{"id": "S-W"}, {"id": "S-LC"}], travel={"default_minutes": travel_minutes, "pairs": []},
        start_times=["08:00", "09:30"], workplaces=ROOMY_TEAM,
        modules=[module("M1", location="remote"), module("M2", location="workplace")],
        tracks=[track("K1", ["M1"]), track("K2", ["M2"])],
        trainer={"home_site": "S-LC", "qualifications": ["M1", "M2"]},
        action_plans=[plan("HP1", track="K1", target=H0), plan("HP2", track="K2", target=H0)],
    )


def test_rule3_remote_session_is_held_at_home_for_the_travel_rule():
    # remote at home (S-LC) 08:00-09:00, then S-W at 09:30 with a 60-minute journey: not one day
    sd = solve_checked(_remote_then_workplace(60))
    remote, onsite = sessions_of(sd, module="M1") + sessions_of(sd, module="M2")
    assert remote["room"] is None and onsite["room"] == "R1"
    assert day_of(remote) != day_of(onsite)


def test_rule3_remote_session_and_a_short_journey_fit_in_one_day():
    # the control: a 20-minute journey fits into the 30 minutes between the sessions
    sd = solve_checked(_remote_then_workplace(20))
    assert {day_of(s) for s in sd["sessions"]} == {D(H0)}


def test_rule3_max_minutes_per_week_pushes_a_session_into_the_next_iso_week():
    sc = scenario_factory(module={"sessions": 3}, trainer={"max_minutes_per_week": 150}, target=H0)
    sd = solve_checked(sc)
    ss = sessions_of(sd)
    weeks = [day_of(s).isocalendar()[1] for s in ss]
    assert weeks.count(14) == 2 and weeks.count(15) == 1
    assert day_of(ss[-1]) == D("2027-04-12")  # Monday of the next ISO week, not Wed 04-07


def test_rule3_cheaper_unqualified_trainer_is_not_used():
    sc = scenario_factory(trainers=[trainer("T-CHEAP", qualifications=["X"], cost_per_hour=100),
                                    trainer("T-QUAL", qualifications=["M1"], cost_per_hour=900)],
                          module={"sessions": 2})
    sd = solve_checked(sc)
    assert {s["trainer"] for s in sd["sessions"]} == {"T-QUAL"}


def test_rule3_weekly_availability_window_is_kept():
    sc = scenario_factory(trainer={"available": weekly(["wed", "thu"], "12:00", "17:00")}, target=H0)
    sd = solve_checked(sc)
    (s,) = sd["sessions"]
    assert (day_of(s), hm(s)) == (D("2027-04-07"), "13:00")


def test_rule3_unavailable_period_of_whole_days_is_avoided():
    sc = scenario_factory(trainer={"unavailable": [{"start": "2027-04-05", "end": "2027-04-07"}]}, target=H0)
    sd = solve_checked(sc)
    assert [day_of(s) for s in sd["sessions"]] == [D("2027-04-08")]


def test_rule3_validator_catches_a_second_session_on_a_one_session_day():
    sc = sc_trainer_one_per_day()
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    move_to(b, day_of(a).isoformat(), "13:00" if hm(a) == "08:00" else "08:00")
    assert_only_rule(sc, sd, 3)


def test_rule3_validator_catches_an_unqualified_trainer():
    sc = scenario_factory(trainers=[trainer("T1"), trainer("T2", qualifications=["X"])])
    sd = solve_checked(sc)
    sd["sessions"][0]["trainer"] = "T2"
    assert_only_rule(sc, sd, 3)


def test_session_without_a_qualified_trainer_is_unscheduled_with_a_reason_naming_the_qualification():
    sc = scenario_factory(modules=[module("M1", qualification="Q-SPECIAL"), module("M2")],
                          track={"modules": ["M1", "M2"]}, trainer={"qualifications": ["M1", "M2"]})
    sd = solve_checked(sc)
    assert sd["sessions"] == []
    by_module = {u["module"]: u["reason"] for u in sd["unscheduled"]}
    assert "Q-SPECIAL" in by_module["M1"] and "M1" in by_module["M1"]
    assert "M1" in by_module["M2"]  # M2 waits for M1
    assert sd["kpis"]["sessions_scheduled"] == 0 and sd["kpis"]["sessions_total"] == 2


# ============================================================================ model level

def _one_trainer_two_rooms() -> dict:
    return scenario_factory(start_times=["08:00"], rooms=[room("R1"), room("R2")], action_plans=two_plans(),
                            workplaces=ROOMY_TEAM)


def test_rule3_model_keeps_a_trainer_out_of_two_sessions_at_once_unless_switched_off():
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(_one_trainer_two_rooms())
        trainer_time(mb.problem, mb, "T1", None if enforce is None else switch(mb, enforce))
        at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
        at_start(mb, session(mb, "C-HP2-1"), H0, "08:00")
        assert solvable(mb) is expected, enforce


def test_rule3_model_keeps_max_sessions_per_day_unless_switched_off():
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(sc_trainer_one_per_day())
        trainer_limits(mb.problem, mb, "T1", None if enforce is None else switch(mb, enforce))
        at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
        at_start(mb, session(mb, "C-HP2-1"), H0, "13:00")
        assert solvable(mb) is expected, enforce


def test_rule3_model_allows_the_trainer_on_two_days():
    mb = model_of(_one_trainer_two_rooms())
    trainer_rule(mb.problem, mb)
    at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
    at_start(mb, session(mb, "C-HP2-1"), "2027-04-06", "08:00")
    assert solvable(mb)
