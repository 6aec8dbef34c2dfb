"""Validator specification: the contract's tiny example, the report's wording, and the validator's independence.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

import importlib

import pytest

from scheduler.validate import (
    RULE_CHECK_NAMES,
    RULE_CHECKS,
    format_report,
    validate,
)
from tests.validate.helpers import ROOT, check, explain, move, of_rule, rules, sess

# ---------------------------------------------------------------- the example

def test_tiny_example_has_no_violations(sc, sd):
    report = validate(sc, sd)
    assert report.violations == [], explain(report)
    assert report.ok


def test_tiny_example_kpis_are_recomputed_as_in_the_readme(sc, sd):
    k = validate(sc, sd).kpis
    assert k["sessions_total"] == 6
    assert k["sessions_scheduled"] == 6
    assert k["backfill_hours"] == pytest.approx(26)
    assert k["overtime_hours"] == pytest.approx(14)
    assert k["travel_minutes"] == pytest.approx(160)
    assert k["objective_breakdown"] == pytest.approx({
        "unscheduled_session": 0,
        "unassigned_participant": 0,
        "backfill_per_hour": 11700,
        "overtime_per_hour": 9100,
        "trainer_cost": 6950,
        "travel_per_minute": 1280,
        "late_per_day": 600,
        "trainer_change": 0,
    })
    assert k["objective"] == pytest.approx(29630)


def test_kpis_follow_a_trainer_change_within_a_module(sc, sd):
    # S2 (SAK1#2, Mon 03-23 08-10 at S-BRUK) taught by T-SARA instead of T-ERIK:
    # one trainer change; T-ERIK saves LC-BRUK-LC (50 min) that day, T-SARA travels
    # VARD-BRUK (40), BRUK-VARD for S6 at home (40), home (0): +80; 2 h at 600 instead of 650
    sess(sd, "S2")["trainer"] = "T-SARA"
    report = validate(sc, sd)
    k = report.kpis
    assert k["objective_breakdown"]["trainer_change"] == pytest.approx(300)
    assert k["travel_minutes"] == pytest.approx(190)
    assert k["objective_breakdown"]["trainer_cost"] == pytest.approx(6850)
    assert k["objective"] == pytest.approx(29630 + 300 + 30 * 8 - 100)
    assert rules(report) == {0}  # the hard rules hold; only the stale kpis disagree


def test_swedish_weekday_names_are_understood(sc, sd):
    sc["calendar"]["weekdays"] = ["mån", "tis", "ons", "tor", "fre"]
    assert check(sc, sd).violations == []
    sc["calendar"]["weekdays"] = ["mån", "tis", "ons", "fre"]
    assert [v.entities["sessions"] for v in of_rule(check(sc, sd), 2)] == [["S1"], ["S5"]]  # Thursdays


def test_rule_checks_are_the_ten_rules_in_order():
    names = [f.__name__ for f in RULE_CHECKS]
    assert names == ["check_completeness", "check_calendar", "check_trainers", "check_rooms", "check_cohorts",
                     "check_order", "check_staffing", "check_shift_fit", "check_daily_rest", "check_language"]
    assert all(f.__doc__ and f.__doc__.strip() for f in RULE_CHECKS)


def test_rule_check_names_name_the_rule_checks_by_their_rule_number():
    """The rules catalogue names "the validator check for rule N" by a dotted name; each name
    resolves to that rule's check, re-exported from scheduler.validate."""
    assert sorted(RULE_CHECK_NAMES) == list(range(1, 11))
    for rule, dotted in RULE_CHECK_NAMES.items():
        module, _, name = dotted.rpartition(".")
        assert module == "scheduler.validate"
        assert getattr(importlib.import_module(module), name) is RULE_CHECKS[rule - 1]


def test_validator_imports_nothing_else_from_scheduler():
    """The validator is independent: its modules import the standard library, `holidays` and
    each other, never the solver (import-linter checks the same in CI)."""
    allowed = {"__future__", "math", "bisect", "collections", "dataclasses", "datetime", "typing", "zoneinfo",
               "holidays"}
    files = sorted((ROOT / "scheduler" / "validate").rglob("*.py"))
    assert files
    for path in files:
        for ln in path.read_text(encoding="utf-8").splitlines():
            if not ln.lstrip().startswith(("import ", "from ")):
                continue
            mod = ln.split()[1]
            assert mod.split(".")[0] in allowed or mod.startswith("scheduler.validate"), f"{path.name}: {ln}"


def test_format_report_has_one_line_per_violation_then_kpis(sc, sd):
    sd["objective"] = 1
    move(sd, "S1", "2026-03-14T08:00:00+01:00", "2026-03-14T10:00:00+01:00")  # a Saturday
    report = validate(sc, sd)
    text = format_report(report)
    lines = text.splitlines()
    for v in report.violations:
        assert any(v.message in ln and ln.startswith(f"[rule {v.rule} {v.rule_name}]") for ln in lines)
    assert "Objective" in text and "backfill" in text
    assert lines[-2].startswith("Sessions scheduled: 6 of 6")


def test_format_report_says_ok_for_a_valid_schedule(sc, sd):
    text = format_report(validate(sc, sd))
    assert text.splitlines()[0].startswith("OK")
    assert "Objective 29630" in text
