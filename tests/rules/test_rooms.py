"""Rule 4, rooms: seats, features, site, bookings, one session at a time.
"""

from __future__ import annotations

from scheduler.rules.rooms import room_rule, room_time
from tests.rules.common import (
    ROOMY_TEAM,
    D,
    assert_only_rule,
    at_start,
    cohort_sizes,
    model_of,
    session,
    solvable,
    switch,
    two_plans,
)
from tests.scenario_factory import (
    H0,
    day_of,
    hm,
    room,
    scenario_factory,
    sessions_of,
    shift_type,
    solve_checked,
    team,
    trainer,
    workplace,
)


def sc_room_capacity() -> dict:
    return scenario_factory(
        participants=6, workplaces=ROOMY_TEAM,
        sites=[{"id": "S-W"}, {"id": "S-LC"}],
        rooms=[room("R-small", site="S-W", capacity=4), room("R-big", site="S-LC", capacity=8)],
        target=H0,
    )


def test_rule4_room_too_small_for_the_cohort_is_not_used():
    # the small room is at the trainer's home (no travel), but 6 do not fit in 4 seats
    sd = solve_checked(sc_room_capacity())
    assert cohort_sizes(sd) == [6]
    assert [s["room"] for s in sd["sessions"]] == ["R-big"]


def test_rule4_no_room_big_enough_leaves_the_session_unscheduled_with_a_reason():
    # groups of exactly 12 (min_group 12), so the cohort cannot be split to fit the room
    sc = scenario_factory(participants=12, track={"min_group": 12, "max_group": 12},
                          workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    sd = solve_checked(sc)
    assert sd["sessions"] == []
    (u,) = sd["unscheduled"]
    assert u["module"] == "M1" and "M1" in u["reason"] and "12 seats" in u["reason"]
    assert "ingen lokal har 12 platser" in u["reason_sv"], u["reason_sv"]
    assert sd["kpis"]["objective_breakdown"]["unscheduled_session"] == 100000


def test_rule4_a_group_larger_than_every_room_is_split_into_cohorts_that_fit():
    # max_group 12 but the largest room has 8 seats: two cohorts of 6 meet instead of none
    sc = scenario_factory(participants=12, track={"max_group": 12},
                          workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    sd = solve_checked(sc)
    assert sd["unscheduled"] == [] and sorted(cohort_sizes(sd)) == [6, 6]


def test_rule4_unavailable_room_period_is_avoided():
    # a morning team (07-12): 08:00 is on shift and cheapest, but the room is taken that morning;
    # lateness is dear, so the session moves to 13:00 the same day
    sc = scenario_factory(
        shift_types=[shift_type("D", "07:00", "12:00")],
        allow_off_shift=True, target=H0, weights={"late_per_day": 5000},
        room={"unavailable": [{"start": "2027-04-05T07:00", "end": "2027-04-05T12:00"}]},
    )
    sd = solve_checked(sc)
    assert [(day_of(s), hm(s)) for s in sd["sessions"]] == [(D(H0), "13:00")]


def test_rule4_workplace_module_uses_a_room_at_the_workplace_site():
    # the learning-centre room is at the trainer's home, but the module is held at the workplace
    sc = scenario_factory(sites=[{"id": "S-W"}, {"id": "S-LC"}],
                          rooms=[room("R-LC", site="S-LC"), room("R-W", site="S-W")],
                          trainer={"home_site": "S-LC"}, module={"location": "workplace"})
    sd = solve_checked(sc)
    assert [s["room"] for s in sd["sessions"]] == ["R-W"]
    assert sd["kpis"]["travel_minutes"] == 60


def test_rule4_room_without_a_required_feature_is_not_used():
    sc = scenario_factory(sites=[{"id": "S-W"}, {"id": "S-LC"}],
                          rooms=[room("R1", site="S-W"), room("R-DATA", site="S-LC", features=["datorer"])],
                          module={"room_features": ["datorer"]})
    sd = solve_checked(sc)
    assert [s["room"] for s in sd["sessions"]] == ["R-DATA"]


def test_rule4_room_hosts_one_session_at_a_time():
    # two cohorts of three (a group of at most three: the search may not merge them into one)
    sc = scenario_factory(start_times=["08:00"], trainers=[trainer("T1"), trainer("T2")], action_plans=two_plans(),
                          workplaces=ROOMY_TEAM, track={"max_group": 3})
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert a["room"] == b["room"] == "R1" and day_of(a) != day_of(b)


def test_rule4_remote_session_has_no_room():
    sd = solve_checked(scenario_factory(module={"location": "remote"}, rooms=[]))
    assert [s["room"] for s in sd["sessions"]] == [None]


def test_rule4_validator_catches_a_room_that_is_too_small():
    sc = sc_room_capacity()
    sd = solve_checked(sc)
    sd["sessions"][0]["room"] = "R-small"
    assert_only_rule(sc, sd, 4)


# ============================================================================ model level

def _two_trainers_one_room() -> dict:
    return scenario_factory(start_times=["08:00"], trainers=[trainer("T1"), trainer("T2")], action_plans=two_plans(),
                            workplaces=ROOMY_TEAM)


def test_rule4_model_hosts_one_session_at_a_time_per_room_unless_switched_off():
    for enforce, expected in ((None, False), (True, False), (False, True)):
        mb = model_of(_two_trainers_one_room())
        room_time(mb.problem, mb, "R1", None if enforce is None else switch(mb, enforce))
        at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
        at_start(mb, session(mb, "C-HP2-1"), H0, "08:00")
        assert solvable(mb) is expected, enforce


def test_rule4_model_allows_the_room_on_two_days():
    mb = model_of(_two_trainers_one_room())
    room_rule(mb.problem, mb)
    at_start(mb, session(mb, "C-HP1-1"), H0, "08:00")
    at_start(mb, session(mb, "C-HP2-1"), "2027-04-06", "08:00")
    assert solvable(mb)
