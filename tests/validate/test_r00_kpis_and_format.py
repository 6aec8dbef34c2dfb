"""Validator specification: Rule 0: recomputed KPIs and objective, and unreadable entries.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

import pytest

from scheduler.validate import (
    validate,
)
from tests.validate.helpers import check, explain, move, rules

# ---------------------------------------------------------------- rule 0: kpis and format

def test_rule0_wrong_objective_is_flagged(sc, sd):
    sd["objective"] = 29000
    report = validate(sc, sd)
    assert rules(report) == {0}, explain(report)
    v, = report.violations
    assert v.rule_name == "kpis" and v.entities["expected"] == pytest.approx(29630)


def test_rule0_wrong_kpi_is_flagged(sc, sd):
    sd["kpis"]["backfill_hours"] = 25
    sd["kpis"]["objective_breakdown"]["travel_per_minute"] = 1000
    report = validate(sc, sd)
    assert {v.entities["kpi"] for v in report.violations} == \
        {"backfill_hours", "objective term travel_per_minute"}, explain(report)


def test_rule0_small_rounding_in_kpis_is_tolerated(sc, sd):
    sd["objective"] = 29630.3
    sd["kpis"]["backfill_hours"] = 26.004
    assert validate(sc, sd).violations == []


def test_rule0_kpis_are_not_checked_when_asked_not_to(sc, sd):
    sd["objective"] = 1
    assert validate(sc, sd, check_kpis=False).violations == []


def test_rule0_time_without_utc_offset_is_a_format_violation(sc, sd):
    move(sd, "S1", "2026-03-12T08:00:00", "2026-03-12T10:00:00")
    report = check(sc, sd)
    assert {v.rule_name for v in report.violations} == {"format"}, explain(report)
