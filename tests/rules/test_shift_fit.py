"""Rule 8, shift fit: on-shift / off-shift training only where the plan allows it.
Enforced only in the candidate starts (see scheduler.rules.catalogue).
"""

from __future__ import annotations

from datetime import time, timedelta

from tests.rules.common import NIGHT, D, assert_only_rule, at_start, model_of, move_to, solvable
from tests.scenario_factory import (
    H0,
    day_of,
    end_of,
    hm,
    pattern,
    scenario_factory,
    solve_checked,
    start_of,
    team,
    workplace,
)


def sc_off_shift_only() -> dict:
    return scenario_factory(start_times=["08:00", "16:30"], allow_on_shift=False, allow_off_shift=True, target=H0)


def test_rule8_allow_on_shift_false_puts_sessions_outside_the_shift():
    # backfill (on shift) is cheaper than overtime, but the plan forbids training on shift
    sd = solve_checked(sc_off_shift_only())
    assert [hm(s) for s in sd["sessions"]] == ["16:30"]
    assert sd["kpis"]["backfill_hours"] == 0


def test_rule8_allow_off_shift_false_keeps_sessions_inside_the_own_shift():
    # the team is off on Mondays; lateness is dear, so without the rule Monday would win
    sc = scenario_factory(shift_patterns=[pattern("dag", ["-", "D", "D", "D", "D", "-", "-"])],
                          weights={"late_per_day": 5000}, target=H0)
    sd = solve_checked(sc)
    (s,) = sd["sessions"]
    assert day_of(s) == D("2027-04-06")
    assert time(7) <= start_of(s).time() and end_of(s).time() <= time(16)
    assert sd["kpis"]["overtime_hours"] == 0


def test_rule8_night_team_on_shift_only_trains_inside_the_night_shift():
    # overtime is free and backfill dear, so 08:00 (off shift) would be cheapest; the plan
    # allows only on-shift training, so sessions start 22:30 or 00:30 inside a night shift
    sc = scenario_factory(
        **NIGHT, shift_patterns=[pattern("natt", ["N", "N", "N", "N", "N", "-", "-"])],
        workplaces=[workplace(teams=[team(pattern="natt")])],
        start_times=["08:00", "22:30", "00:30"], module={"sessions": 2},
        weights={"backfill_per_hour": 1000, "overtime_per_hour": 0},
    )
    sd = solve_checked(sc)
    assert len(sd["sessions"]) == 2
    assert {hm(s) for s in sd["sessions"]} <= {"22:30", "00:30"}
    for s in sd["sessions"]:
        st = start_of(s)
        night_began = st.date() - timedelta(days=1) if st.hour < 12 else st.date()
        assert night_began.weekday() < 5  # the pattern's nights start Mon-Fri
    assert sd["kpis"]["overtime_hours"] == 0


def test_rule8_validator_catches_an_on_shift_session_when_only_off_shift_is_allowed():
    sc = sc_off_shift_only()
    sd = solve_checked(sc)
    s = sd["sessions"][0]
    move_to(s, day_of(s).isoformat(), "08:00")
    assert_only_rule(sc, sd, 8)


# ============================================================================ model level (candidate starts)

def test_rule8_candidate_starts_leave_out_on_shift_starts_where_the_plan_forbids_them():
    mb = model_of(sc_off_shift_only())
    (i,) = mb.schedulable
    assert {c.slot.start_time.strftime("%H:%M") for c in mb.options[i].candidates} == {"16:30"}
    at_start(mb, i, H0, "08:00")
    assert not solvable(mb)


def test_rule8_model_allows_an_off_shift_start():
    mb = model_of(sc_off_shift_only())
    (i,) = mb.schedulable
    at_start(mb, i, H0, "16:30")
    assert solvable(mb)
