"""Rule 6, order: module and index order, gap bounds.
"""

from __future__ import annotations

from datetime import timedelta

from scheduler.rules.order import order_rule
from tests.rules.common import D, assert_only_rule, at_start, model_of, move_to, session, solvable, switch
from tests.scenario_factory import (
    H0,
    day_of,
    end_of,
    hm,
    module,
    scenario_factory,
    sessions_of,
    solve_checked,
    start_of,
    trainer,
)


def sc_min_gap() -> dict:
    return scenario_factory(module={"sessions": 2, "min_gap_days": 3}, target=H0)


def test_rule6_min_gap_days_separates_sessions_of_a_module():
    sd = solve_checked(sc_min_gap())
    a, b = sessions_of(sd)
    assert (a["index"], b["index"]) == (1, 2)
    assert (day_of(b) - day_of(a)).days == 3  # at least 3; lateness makes it exactly 3


def test_rule6_max_gap_days_keeps_sessions_close_together():
    # the trainer is away Tue-Fri of week 1: 04-05 + 04-12 would be cheapest, but is 7 days apart
    sc = scenario_factory(module={"sessions": 2, "max_gap_days": 2}, target=H0,
                          trainer={"unavailable": [{"start": "2027-04-06", "end": "2027-04-09"}]})
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    assert 1 <= (day_of(b) - day_of(a)).days <= 2
    assert day_of(a) >= D("2027-04-12")


def test_rule6_later_module_starts_after_the_earlier_module_ends():
    # M1's trainer is away until Wed; M2 could run Monday, but must wait for M1
    sc = scenario_factory(
        modules=[module("M1"), module("M2")], track={"modules": ["M1", "M2"]},
        trainers=[trainer("T1", ["M1"], unavailable=[{"start": "2027-04-05", "end": "2027-04-06"}]),
                  trainer("T2", ["M2"])],
        target=H0,
    )
    sd = solve_checked(sc)
    (m1,) = sessions_of(sd, module="M1")
    (m2,) = sessions_of(sd, module="M2")
    assert day_of(m1) == D("2027-04-07")
    assert start_of(m2) >= end_of(m1)


def test_rule6_validator_catches_sessions_closer_than_min_gap_days():
    sc = sc_min_gap()
    sd = solve_checked(sc)
    a, b = sessions_of(sd)
    move_to(b, (day_of(a) + timedelta(days=1)).isoformat(), hm(a))
    assert_only_rule(sc, sd, 6)


# ============================================================================ model level

def test_rule6_model_keeps_min_gap_days_unless_switched_off():
    cases = ((None, None, "2027-04-06", False), (True, None, "2027-04-06", False), (False, None, "2027-04-06", True),
             (None, False, "2027-04-06", True), (None, True, "2027-04-06", False), (None, None, "2027-04-08", True))
    for enforce, gap, second_day, expected in cases:
        mb = model_of(sc_min_gap())
        gaps = None if gap is None else (lambda module, on=gap, mb=mb: switch(mb, on))
        order_rule(mb.problem, mb, None if enforce is None else switch(mb, enforce), gaps)
        at_start(mb, session(mb, "C-HP1-1", "M1", 1), H0, "08:00")
        at_start(mb, session(mb, "C-HP1-1", "M1", 2), second_day, "08:00")
        assert solvable(mb) is expected, (enforce, gap, second_day)


def test_rule6_model_keeps_index_order():
    mb = model_of(sc_min_gap())
    order_rule(mb.problem, mb)
    at_start(mb, session(mb, "C-HP1-1", "M1", 1), "2027-04-12", "08:00")
    at_start(mb, session(mb, "C-HP1-1", "M1", 2), H0, "08:00")
    assert not solvable(mb)
