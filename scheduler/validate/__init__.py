"""Independent validator for ``modulplan/schedule-1`` answers.

The validator re-checks a schedule against its scenario, both given as the raw
JSON dicts of the data contract (``shared/spec/scenario-v1.md``).  It is
deliberately written from the contract alone: it imports nothing from the rest
of :mod:`scheduler`, only the standard library and the ``holidays`` package, so
that a bug in the optimizer's own model cannot hide itself here.

Usage::

    report = validate(scenario, schedule)
    if not report.ok:
        print(format_report(report))

Where things are (one module per hard rule, numbered as in the contract):

* :mod:`~scheduler.validate.report` - :class:`Violation`, :class:`ValidationReport`,
  :func:`format_report`, rule names and objective terms;
* :mod:`~scheduler.validate.values` and :mod:`~scheduler.validate.parsed` - reading raw
  values, and the validator's own entities (sessions, cohorts, shifts, ...);
* :mod:`~scheduler.validate.reading` - :class:`Context`, the scenario and schedule read once
  (rule 0 'format': :func:`check_format`);
* ``r01_completeness`` .. ``r10_language`` - one ``check_*`` function per hard rule, listed in
  rule order in :data:`RULE_CHECKS` and named in :data:`RULE_CHECK_NAMES`;
  :mod:`~scheduler.validate.overlaps` holds the "two places at once" test rules 3, 4, 5 and 10
  share;
* :mod:`~scheduler.validate.kpis` - :func:`compute_kpis` recomputes the objective and
  :func:`check_kpis` compares it with what the schedule claims;
* :mod:`~scheduler.validate.replan` - :func:`check_replan`, a re-plan against its baseline;
* :mod:`~scheduler.validate.validation` - :func:`validate`, which runs them all in order.
"""

from __future__ import annotations

from scheduler.validate.kpis import check_kpis, compute_kpis
from scheduler.validate.parsed import Cohort, Person, Plan, Session, Shift, TimedSession
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
from scheduler.validate.reading import (
    DEFAULT_START_TIMES,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKDAYS,
    Context,
    build_context,
    check_format,
)
from scheduler.validate.replan import MOVE_SESSION_DEFAULT, REPLAN_RULE_NAME, check_replan
from scheduler.validate.report import (
    BREAKDOWN_TERMS,
    DEFAULT_WEIGHTS,
    FORMAT_RULE_NAME,
    KPI_RULE_NAME,
    RULE_NAMES,
    ValidationReport,
    Violation,
    format_report,
)
from scheduler.validate.validation import RULE_CHECKS, validate

__all__ = [
    "Violation",
    "ValidationReport",
    "validate",
    "format_report",
    "build_context",
    "Context",
    "compute_kpis",
    "check_kpis",
    "check_format",
    "check_completeness",
    "check_calendar",
    "check_trainers",
    "check_rooms",
    "check_cohorts",
    "check_order",
    "check_staffing",
    "check_shift_fit",
    "check_daily_rest",
    "check_language",
    "check_replan",
    "RULE_CHECKS",
    "RULE_CHECK_NAMES",
    "RULE_NAMES",
    "KPI_RULE_NAME",
    "FORMAT_RULE_NAME",
    "REPLAN_RULE_NAME",
    "MOVE_SESSION_DEFAULT",
    "DEFAULT_WEIGHTS",
    "BREAKDOWN_TERMS",
    "DEFAULT_TIMEZONE",
    "DEFAULT_START_TIMES",
    "DEFAULT_WEEKDAYS",
    "Person",
    "Plan",
    "Cohort",
    "Shift",
    "Session",
    "TimedSession",
]

#: Hard rule number -> the dotted name of the validator's check for it, so that other parts
#: of the project (the rules catalogue) can name "the validator check for rule N" without
#: importing the validator.  Each name is re-exported here and is ``RULE_CHECKS[N - 1]``.
RULE_CHECK_NAMES: dict[int, str] = {
    1: "scheduler.validate.check_completeness",
    2: "scheduler.validate.check_calendar",
    3: "scheduler.validate.check_trainers",
    4: "scheduler.validate.check_rooms",
    5: "scheduler.validate.check_cohorts",
    6: "scheduler.validate.check_order",
    7: "scheduler.validate.check_staffing",
    8: "scheduler.validate.check_shift_fit",
    9: "scheduler.validate.check_daily_rest",
    10: "scheduler.validate.check_language",
}
