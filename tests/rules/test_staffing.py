"""Rule 7, staffing: at most headcount - min_staffing of a team away during its shifts.
"""

from __future__ import annotations

from scheduler.rules.staffing import staffing_demand, staffing_rule, team_staffing
from tests.rules.common import (
    NIGHT,
    D,
    assert_only_rule,
    at_start,
    cohort_sizes,
    model_of,
    move_to,
    session,
    solvable,
    switch,
)
from tests.scenario_factory import (
    H0,
    counted,
    day_of,
    hm,
    module,
    overlaps,
    pattern,
    plan,
    room,
    scenario_factory,
    sessions_of,
    sessions_with,
    solve_checked,
    team,
    trainer,
    workplace,
)


def sc_staffing_slack_one() -> dict:
    return scenario_factory(
        participants=3,
        workplaces=[workplace(teams=[team(headcount=4, min_staffing=3)])],
        trainers=[trainer("T1"), trainer("T2"), trainer("T3")],
        rooms=[room("R1"), room("R2"), room("R3")],
        target=H0,
    )


def test_rule7_staffing_slack_one_keeps_on_shift_sessions_of_a_team_apart():
    # headcount 4, min_staffing 3: one member at a time may train on shift; three trainers
    # and rooms, so only staffing keeps the three one-person cohorts apart
    sd = solve_checked(sc_staffing_slack_one())
    assert cohort_sizes(sd) == [1, 1, 1]
    ss = sessions_of(sd)
    assert len(ss) == 3
    assert not any(overlaps(a, b) for i, a in enumerate(ss) for b in ss[i + 1:])


def test_rule7_cohort_larger_than_the_slack_cannot_meet_on_shift_and_is_unscheduled_with_a_reason():
    sc = scenario_factory(participants=3, track={"min_group": 3},
                          workplaces=[workplace(teams=[team(headcount=4, min_staffing=3)])])
    sd = solve_checked(sc)
    assert cohort_sizes(sd) == [3] and sd["sessions"] == []
    (u,) = sd["unscheduled"]
    assert "staffing" in u["reason"] and "lag-1" in u["reason"]


def test_rule7_a_session_kept_out_by_a_team_whose_slack_others_use_names_the_team():
    # one start in the window, slack 1, two one-person cohorts: trainers and rooms for both,
    # so only the team's staffing keeps the second out, and its reason says so
    sc = scenario_factory(participants=2, track={"min_group": 1, "max_group": 1}, start_times=["08:00"],
                          earliest=H0, deadline=H0,
                          workplaces=[workplace(teams=[team(headcount=4, min_staffing=3)])],
                          trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")])
    sd = solve_checked(sc, time_limit=1.5)  # the one left out has starts: the search runs its time
    assert len(sd["sessions"]) == 1
    (u,) = sd["unscheduled"]
    assert "at 1 other sessions already use the staffing slack of lag-1 of Workplace W1" in u["reason"], u["reason"]
    # and in Swedish, which the planning board shows first
    assert "vid 1 använder andra pass redan bemanningsmarginalen hos lag-1 på Workplace W1" in u["reason_sv"], \
        u["reason_sv"]


def test_rule7_off_shift_sessions_do_not_use_the_staffing_slack():
    # the control: off shift, all three may train together although the slack is 1
    sc = scenario_factory(participants=3, start_times=["08:00", "17:00"], allow_on_shift=False, allow_off_shift=True,
                          workplaces=[workplace(teams=[team(headcount=4, min_staffing=3)])])
    sd = solve_checked(sc)
    assert cohort_sizes(sd) == [3]
    assert [hm(s) for s in sd["sessions"]] == ["17:00"]


def test_rule7_night_shift_that_started_the_previous_day_counts_for_staffing():
    # a night team (22-06 every night), slack 1, sessions at 00:30 or 01:00: both lie in the
    # shift that started the evening before, so two one-person cohorts need different nights
    sc = scenario_factory(
        **NIGHT, shift_patterns=[pattern("natt", ["N"])],
        workplaces=[workplace(teams=[team(pattern="natt", headcount=3, min_staffing=2)])],
        participants=2, start_times=["00:30", "01:00"],
        trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")], target=H0,
    )
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert a["cohort"] != b["cohort"]
    assert not overlaps(a, b) and day_of(a) != day_of(b)


def test_rule7_validator_catches_two_members_away_at_once_with_slack_one():
    sc = sc_staffing_slack_one()
    sd = solve_checked(sc)
    a, b = sessions_of(sd)[:2]
    move_to(b, day_of(a).isoformat(), hm(a))
    b["trainer"] = next(t for t in ("T1", "T2", "T3") if t != a["trainer"])
    b["room"] = next(r for r in ("R1", "R2", "R3") if r != a["room"])
    assert_only_rule(sc, sd, 7)


def sc_blocked_week() -> dict:
    """Two teams of W1, a cohort of each (HP1: lag-1, HP2: lag-2; a group of at most three, so
    the search may not merge them), four sessions each on four days of the two weeks; lag-1 is
    blocked in the first week (stocktaking)."""
    return scenario_factory(
        workplaces=[workplace(teams=[team("lag-1"), team("lag-2")])], track={"max_group": 3},
        trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")],
        modules=[module("M1", sessions=4)],
        action_plans=[plan("HP1", participants=[counted("lag-1", 3)], target=H0),
                      plan("HP2", participants=[counted("lag-2", 3)], target=H0)],
        workplaces__0__teams__0__blocked=[{"start": "2027-04-05", "end": "2027-04-09", "reason": "inventering"}],
    )


def test_rule7_a_teams_blocked_week_keeps_its_sessions_out_and_passes_the_validator():
    sd = solve_checked(sc_blocked_week())
    lag1 = sessions_with(sd, "HP1-lag-1-1")
    lag2 = sessions_with(sd, "HP2-lag-2-1")
    assert len(lag1) == 4 and len(lag2) == 4 and sd["unscheduled"] == []
    assert all(day_of(s) >= D("2027-04-12") for s in lag1)
    assert any(day_of(s) < D("2027-04-12") for s in lag2)  # the other team keeps its early target


def test_rule7_blocked_periods_remove_candidate_starts_and_name_themselves_when_nothing_is_left():
    sc = sc_blocked_week()
    mb = model_of(sc)
    o = mb.problem.options[session(mb, "C-HP1-1")]
    assert o.rejected["team_blocked"] == 10  # 5 days x 2 start times
    assert all(c.slot.day >= D("2027-04-12") for c in o.candidates)
    sc["workplaces"][0]["teams"][0]["blocked"].append({"start": "2027-04-12", "end": "2027-04-16"})
    sd = solve_checked(sc, time_limit=2)
    assert not sessions_with(sd, "HP1-lag-1-1") and len(sessions_with(sd, "HP2-lag-2-1")) == 4
    u = sd["unscheduled"][0]
    assert "blocked period" in u["reason"] and "team lag-1 2027-04-05..2027-04-09 (inventering)" in u["reason"], u


# ============================================================================ model level

def test_rule7_model_keeps_the_staffing_slack_unless_switched_off():
    for enforce, second_day, expected in ((None, H0, False), (True, H0, False), (False, H0, True),
                                          (None, "2027-04-06", True)):
        mb = model_of(sc_staffing_slack_one())
        lit = None if enforce is None else switch(mb, enforce)
        for team_key, uses in staffing_demand(mb.problem, mb).items():
            team_staffing(mb.problem, mb, team_key, uses, lit)
        a, b = mb.schedulable[:2]
        at_start(mb, a, H0, "08:00")
        at_start(mb, b, second_day, "08:00")
        assert solvable(mb) is expected, (enforce, second_day)


def test_rule7_staffing_rule_is_team_staffing_for_every_team():
    mb = model_of(sc_staffing_slack_one())
    staffing_rule(mb.problem, mb)
    a, b = mb.schedulable[:2]
    at_start(mb, a, H0, "08:00")
    at_start(mb, b, H0, "08:00")
    assert not solvable(mb)
