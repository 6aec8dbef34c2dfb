"""What the validator tells: violations, the report and its text.

A :class:`Violation` is one broken rule told so that a coordinator understands it; the
:class:`ValidationReport` holds them with the recomputed KPIs, and :func:`format_report`
prints one line per violation and a KPI summary.  The rule numbers and names are those of
the contract's hard rules (``shared/spec/scenario-v1.md``); rule 0 is for KPI mismatches
("kpis"), unreadable entries ("format") and re-plan differences ("replan").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from scheduler.validate.values import fmt_num, plural

RULE_NAMES = {
    1: "completeness",
    2: "calendar",
    3: "trainer",
    4: "room",
    5: "cohort",
    6: "order",
    7: "staffing",
    8: "shift_fit",
    9: "daily_rest",
    10: "language",
}
#: rule 0 has two names: "kpis" (claimed KPIs/objective disagree with the
#: recomputed ones) and "format" (a schedule entry that cannot be read).
KPI_RULE_NAME = "kpis"
FORMAT_RULE_NAME = "format"

DEFAULT_WEIGHTS = {
    "unscheduled_session": 100000.0,
    "unassigned_participant": 100000.0,
    "backfill_per_hour": 450.0,
    "overtime_per_hour": 650.0,
    "travel_per_minute": 8.0,
    "late_per_day": 200.0,
    "trainer_change": 300.0,
}
BREAKDOWN_TERMS = (
    "unscheduled_session",
    "unassigned_participant",
    "backfill_per_hour",
    "overtime_per_hour",
    "trainer_cost",
    "travel_per_minute",
    "late_per_day",
    "trainer_change",
)


@dataclass(frozen=True)
class Violation:
    """One broken rule, told so that a coordinator understands it."""

    rule: int  # 1..10 per the contract; 0 for KPI mismatches and unreadable entries
    rule_name: str
    message: str
    entities: dict = field(default_factory=dict, hash=False, compare=True)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return f"[rule {self.rule} {self.rule_name}] {self.message}"


@dataclass
class ValidationReport:
    """Every violation found, in check order, and the recomputed KPIs."""

    violations: list[Violation]
    kpis: dict

    @property
    def ok(self) -> bool:
        """True when the schedule breaks no rule (KPI mismatches included)."""
        return not self.violations

    def by_rule(self, rule: int) -> list[Violation]:
        return [v for v in self.violations if v.rule == rule]

    @property
    def rules(self) -> set[int]:
        return {v.rule for v in self.violations}


def violation(rule: int, message: str, **entities: Any) -> Violation:
    """A violation of hard rule ``rule`` (0: a KPI/objective mismatch)."""
    return Violation(rule, RULE_NAMES.get(rule, KPI_RULE_NAME), message, entities)


def format_violation(message: str, **entities: Any) -> Violation:
    """A rule-0 'format' violation: a schedule entry that cannot be read."""
    return Violation(0, FORMAT_RULE_NAME, message, entities)


def format_report(report: ValidationReport) -> str:
    """One line per violation, then a summary of the recomputed KPIs."""
    lines = []
    for v in report.violations:
        lines.append(f"[rule {v.rule} {v.rule_name}] {v.message}")
    if report.ok:
        lines.append("OK: the schedule breaks no rule.")
    else:
        per_rule = Counter(v.rule for v in report.violations)
        lines.append(f"{plural(len(report.violations), 'violation')} "
                     f"({', '.join(f'rule {r}: {n}' for r, n in sorted(per_rule.items()))}).")
    k = report.kpis
    if k:
        lines.append(f"Sessions scheduled: {k['sessions_scheduled']} of {k['sessions_total']}; backfill "
                     f"{k['backfill_hours']:.2f} h; overtime {k['overtime_hours']:.2f} h; travel "
                     f"{fmt_num(k['travel_minutes'])} min.")
        bd = k["objective_breakdown"]
        terms = [*BREAKDOWN_TERMS, *(["move_session"] if "move_session" in bd else [])]
        lines.append(f"Objective {fmt_num(k['objective'])} = "
                     + " + ".join(f"{t} {fmt_num(bd[t])}" for t in terms) + ".")
    return "\n".join(lines)
