"""Rule 9, daily rest: R hours free in every 24 hours around a participant's sessions.
Enforced in the candidate starts and the final replay (see scheduler.rules.catalogue).
"""

from __future__ import annotations

from tests.rules.common import D, assert_only_rule, at_start, model_of, move_to, solvable
from tests.scenario_factory import (
    H0,
    day_of,
    hm,
    pattern,
    scenario_factory,
    sessions_of,
    shift_type,
    solve_checked,
    team,
    weekly,
    workplace,
)

EVENING = dict(shift_types=[shift_type("E", "14:00", "22:00")],
               shift_patterns=[pattern("kvall", ["E", "E", "E", "E", "E", "-", "-"])],
               workplaces=[workplace(teams=[team(pattern="kvall")])])


def sc_evening_rest(rest_hours: float = 11) -> dict:
    """An evening team (14-22 Mon-Fri), off-shift training allowed, a trainer who only teaches
    mornings: an 08:00 session after an evening shift leaves 10 h of rest."""
    return scenario_factory(
        **EVENING,
        start_times=["08:00", "14:00"],
        calendar={"daily_rest_hours": rest_hours},
        allow_on_shift=True, allow_off_shift=True, target=H0,
        module={"sessions": 2, "min_gap_days": 1},
        trainer={"available": weekly(["mon", "tue", "wed", "thu", "fri"], "07:00", "12:00")},
    )


def test_rule9_no_morning_session_after_an_evening_shift():
    # Mon 08:00 is fine (weekend before); Tue-Fri 08:00 would leave 10 h after the 22:00 end
    sd = solve_checked(sc_evening_rest())
    a, b = sessions_of(sd)
    assert (day_of(a), hm(a)) == (D(H0), "08:00")
    assert (day_of(b), hm(b)) == (D("2027-04-12"), "08:00")  # next Monday, not Tue 04-06


def test_rule9_without_daily_rest_the_morning_after_an_evening_shift_is_used():
    # the control of the test above: with daily_rest_hours 0 the second session is Tuesday
    sd = solve_checked(sc_evening_rest(rest_hours=0))
    a, b = sessions_of(sd)
    assert day_of(b) == D("2027-04-06")


def test_rule9_rest_is_kept_between_two_sessions_of_a_person_without_shifts():
    # no shifts at all; four-hour sessions Mon 19:00-23:00 then Tue 06:00-10:00 would leave at
    # most 9 h free in the 24 h from Mon 19:00; the trainer only teaches Mon evenings, Tue mornings
    sc = scenario_factory(
        shift_patterns=[pattern("dag", ["-"])], allow_off_shift=True, target=H0,
        start_times=["06:00", "19:00"], module={"sessions": 2, "duration_minutes": 240},
        trainer={"available": weekly(["mon"], "18:00", "23:30") + weekly(["tue"], "05:00", "11:00")},
    )
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert (day_of(b) - day_of(a)).days > 1


def test_rule9_validator_catches_a_morning_session_after_an_evening_shift():
    sc = sc_evening_rest()
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    move_to(b, "2027-04-06", "08:00")
    assert_only_rule(sc, sd, 9)


# ============================================================================ model level (candidate starts)

def test_rule9_candidate_starts_leave_out_a_morning_after_an_evening_shift():
    mb = model_of(sc_evening_rest())
    i = mb.schedulable[0]
    at_start(mb, i, "2027-04-06", "08:00")
    assert not solvable(mb)


def test_rule9_model_allows_the_morning_after_a_free_day_or_without_daily_rest():
    for rest_hours, day in ((11, H0), (0, "2027-04-06")):
        mb = model_of(sc_evening_rest(rest_hours=rest_hours))
        at_start(mb, mb.schedulable[0], day, "08:00")
        assert solvable(mb), (rest_hours, day)
