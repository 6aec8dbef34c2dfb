"""Helpers shared by the validator's specification tests: the repository root, the contract's
example (kept in the repository: ``scenarios/examples``) and small functions that edit it and read reports."""

from __future__ import annotations

from pathlib import Path

from scheduler.validate import ValidationReport, format_report, validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"


def sess(schedule, sid):
    return next(s for s in schedule["sessions"] if s["id"] == sid)


def move(schedule, sid, start, end):
    s = sess(schedule, sid)
    s["start"], s["end"] = start, end
    return s


def trainer(scenario, tid):
    return next(t for t in scenario["trainers"] if t["id"] == tid)


def team(scenario, tid):
    return next(t for w in scenario["workplaces"] for t in w["teams"] if t["id"] == tid)


def by_id(items, iid):
    return next(x for x in items if x["id"] == iid)


def check(scenario, schedule) -> ValidationReport:
    """Hard rules only: the edited schedules keep the example's (now stale) kpis."""
    return validate(scenario, schedule, check_kpis=False)


def rules(report):
    return {v.rule for v in report.violations}


def of_rule(report, rule):
    return [v for v in report.violations if v.rule == rule]


def explain(report):
    return format_report(report)
