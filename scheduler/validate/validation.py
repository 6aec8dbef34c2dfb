"""The validator's entry point: every check in the contract's order, then the KPIs.

:data:`RULE_CHECKS` lists the checks of hard rules 1..10 in rule order; :func:`validate`
runs the format check, those, the re-plan check (with a baseline) and the KPI comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scheduler.validate.kpis import check_kpis, compute_kpis
from scheduler.validate.r01_completeness import check_completeness
from scheduler.validate.r02_calendar import check_calendar
from scheduler.validate.r03_trainers import check_trainers
from scheduler.validate.r04_rooms import check_rooms
from scheduler.validate.r05_cohorts import check_cohorts
from scheduler.validate.r06_order import check_order
from scheduler.validate.r07_staffing import check_staffing
from scheduler.validate.r08_shift_fit import check_shift_fit
from scheduler.validate.r09_daily_rest import check_daily_rest
from scheduler.validate.r10_language import check_language
from scheduler.validate.reading import Context, build_context, check_format
from scheduler.validate.replan import check_replan
from scheduler.validate.report import ValidationReport, Violation

RULE_CHECKS: list[Callable[[Context], list[Violation]]] = [
    check_completeness,
    check_calendar,
    check_trainers,
    check_rooms,
    check_cohorts,
    check_order,
    check_staffing,
    check_shift_fit,
    check_daily_rest,
    check_language,
]


def validate(scenario: dict, schedule: dict, *, check_kpis: bool = True, tolerance: float = 1e-6,
             baseline: dict | None = None, freeze_until: date | None = None) -> ValidationReport:
    """Check ``schedule`` against ``scenario`` (both raw JSON dicts).

    Returns every violation found (rule 0 for unreadable entries and, when
    ``check_kpis`` is true, for KPIs/objective that disagree with the
    recomputed ones) and the recomputed KPIs.  ``tolerance`` is a relative
    tolerance added to the absolute ones used for KPI comparison."""
    ctx = build_context(scenario, schedule)
    ctx.baseline = baseline if isinstance(baseline, dict) else None
    violations = check_format(ctx)
    for check in RULE_CHECKS:
        violations.extend(check(ctx))
    if ctx.baseline is not None:
        violations.extend(check_replan(ctx, freeze_until))
    kpis = compute_kpis(ctx)
    if check_kpis:
        violations.extend(_check_kpis(ctx, kpis, tolerance))
    return ValidationReport(violations, kpis)


_check_kpis = check_kpis  # ``validate`` has a keyword argument of the same name
