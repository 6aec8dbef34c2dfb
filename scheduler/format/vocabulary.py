"""The fixed words of the format: the two format tags, the weights and their defaults, the
names of the objective terms and kpis, weekdays, module locations and solver statuses.

Every other part of modulplan takes these from here (``scheduler.domain`` re-exports the
ones it needs), so that a weight or a weekday is spelt in one place only.
"""

from __future__ import annotations

SCENARIO_FORMAT = "modulplan/scenario-1"
SCHEDULE_FORMAT = "modulplan/schedule-1"

DEFAULT_WEIGHTS: dict[str, int] = {
    "unscheduled_session": 100000,
    "unassigned_participant": 100000,
    "backfill_per_hour": 450,
    "overtime_per_hour": 650,
    "travel_per_minute": 8,
    "late_per_day": 200,
    "trainer_change": 300,
}
#: The names in a schedule's ``kpis.objective_breakdown``: the weights plus trainer cost.
OBJECTIVE_TERMS: tuple[str, ...] = (
    "unscheduled_session",
    "unassigned_participant",
    "backfill_per_hour",
    "overtime_per_hour",
    "trainer_cost",
    "travel_per_minute",
    "late_per_day",
    "trainer_change",
)
#: The extra term of a stable re-plan's breakdown: the cost of each baseline session that moved.
REPLAN_TERM = "move_session"
KPI_KEYS: tuple[str, ...] = (
    "sessions_total",
    "sessions_scheduled",
    "backfill_hours",
    "overtime_hours",
    "travel_minutes",
    "objective_breakdown",
)
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOCATIONS: tuple[str, ...] = ("workplace", "any", "remote")
STATUSES: tuple[str, ...] = ("optimal", "feasible", "infeasible", "unknown")

DEFAULT_TIMEZONE = "Europe/Stockholm"
DEFAULT_START_TIMES = ("08:00", "13:00")
OFF_DAY = "-"

WEEKDAY_ALIASES: dict[str, str] = {
    **{d: d for d in WEEKDAYS},
    "mån": "mon", "man": "mon",
    "tis": "tue",
    "ons": "wed",
    "tor": "thu",
    "fre": "fri",
    "lör": "sat", "lor": "sat",
    "sön": "sun", "son": "sun",
}
