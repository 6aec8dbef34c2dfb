"""Validator specification: Hard rule 6, order of sessions and modules.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import check, explain, move, of_rule, rules

# ---------------------------------------------------------------- rule 6: order

def test_rule6_later_module_before_earlier_module_ends_is_flagged(sc, sd):
    move(sd, "S3", "2026-03-13T08:00:00+01:00", "2026-03-13T11:00:00+01:00")  # SAK2 before SAK1#2 (03-23)
    report = check(sc, sd)
    assert rules(report) == {6}, explain(report)
    v, = of_rule(report, 6)
    assert sorted(v.entities["sessions"]) == ["S2", "S3"] and v.entities["modules"] == ["SAK1", "SAK2"]


def test_rule6_indexes_out_of_order_are_flagged(sc, sd):
    move(sd, "S1", "2026-03-23T08:00:00+01:00", "2026-03-23T10:00:00+01:00")
    move(sd, "S2", "2026-03-12T08:00:00+01:00", "2026-03-12T10:00:00+01:00")
    report = check(sc, sd)
    assert rules(report) == {6}, explain(report)
    assert any("starts before" in v.message for v in of_rule(report, 6))


def test_rule6_gap_below_min_gap_days_is_flagged(sc, sd):
    move(sd, "S2", "2026-03-13T08:00:00+01:00", "2026-03-13T10:00:00+01:00")  # 1 day after S1, min 2
    report = check(sc, sd)
    assert rules(report) == {6}, explain(report)
    assert "at least 2" in of_rule(report, 6)[0].message


def test_rule6_gap_above_max_gap_days_is_flagged(sc, sd):
    move(sd, "S2", "2026-03-30T08:00:00+02:00", "2026-03-30T10:00:00+02:00")  # 18 days after S1, max 14
    report = check(sc, sd)
    assert rules(report) == {6}, explain(report)
    assert "at most 14" in of_rule(report, 6)[0].message


def test_rule6_default_min_gap_is_one_day(sc, sd):
    # VARD1 has no min_gap_days: two sessions on one day break the default of 1
    move(sd, "S5", "2026-03-17T13:00:00+01:00", "2026-03-17T14:30:00+01:00")
    report = check(sc, sd)
    assert any(sorted(v.entities["sessions"]) == ["S4", "S5"] and "at least 1" in v.message
               for v in of_rule(report, 6)), explain(report)
