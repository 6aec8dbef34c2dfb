"""Validator specification: Hard rule 8, shift fit.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import by_id, check, explain, move, of_rule, rules

# ---------------------------------------------------------------- rule 8: shift fit

def test_rule8_session_outside_own_shift_when_off_shift_not_allowed_is_flagged(sc, sd):
    move(sd, "S6", "2026-03-23T13:00:00+01:00", "2026-03-23T14:00:00+01:00")  # vard-dag works E 14-22
    report = check(sc, sd)
    assert rules(report) == {8}, explain(report)
    v, = of_rule(report, 8)
    assert v.entities["sessions"] == ["S6"] and v.entities["action_plan"] == "HP-VARD-1"
    assert sorted(v.entities["participants"]) == ["v-101", "v-102", "v-103"]


def test_rule8_session_on_shift_when_on_shift_not_allowed_is_flagged(sc, sd):
    by_id(sc["action_plans"], "HP-BRUK-1")["allow_on_shift"] = False
    report = check(sc, sd)
    assert rules(report) == {8}, explain(report)
    # skiftlag-1 works F on all three days; skiftlag-2 is off
    assert {(v.entities["sessions"][0], v.entities["team"]) for v in of_rule(report, 8)} == \
        {("S1", "skiftlag-1"), ("S2", "skiftlag-1"), ("S3", "skiftlag-1")}


def test_rule8_off_shift_default_is_not_allowed(sc, sd):
    del by_id(sc["action_plans"], "HP-BRUK-1")["allow_off_shift"]
    report = check(sc, sd)
    assert rules(report) == {8}, explain(report)
    assert {v.entities["team"] for v in of_rule(report, 8)} == {"skiftlag-2"}
