"""The one definition of the scenario and schedule formats (``modulplan/scenario-1`` and
``modulplan/schedule-1``; docs/format.md describes them in words).

The marshmallow schemas are what the command line, the Flask API, the spreadsheet import
and the OpenAPI document all use, so the format is written down exactly once. This package
only gathers the public names; the parts are:

=================  ===========================================================================
``vocabulary``     the fixed words: format tags, default weights, objective terms, weekdays
``values``         reading single raw values (dates, times, ids, whole numbers, list items)
``problems``       :class:`FieldError`, :class:`ScenarioInvalid`, the "did you mean" guess
``fields``         modulplan's marshmallow fields and the base schema (unknown fields, ``x-``)
``scenario``       the scenario schemas, one per object, and :class:`ScenarioSchema`
``crosschecks``    the checks across records: unique ids, references, participants, plan dates
``schedule``       the schedule schemas and :class:`ScheduleSchema`
``sentences``      marshmallow's error dict -> sorted FieldErrors in plain words
``limits``         the size limits checked before anything else (``MODULPLAN_LIMIT_*``)
``loading``        the entry points below
=================  ===========================================================================

Entry points
============

``load_scenario(data) -> dict``
    Validates a ``modulplan/scenario-1`` document and returns a *normalized copy*: the same
    keys, every default filled in. Raises :class:`ScenarioInvalid` with **all** errors at once.
``load_scenario_with_warnings(data) -> (dict, [FieldError])``
    The same, and the warnings: fields the format does not know, which were ignored.
    ``ScenarioInvalid.warnings`` holds them when it raises.
``load_schedule(data) -> dict`` / ``load_schedule_with_warnings(data)``
    Validates a ``modulplan/schedule-1`` document (shape plus internal references).
``load_json_file(path) -> dict``
    Reads a JSON file; a syntax error becomes :class:`ScenarioInvalid` at path ``$`` with
    line and column in the message.
``field_errors(messages, data)`` / ``field_problems(messages, data) -> (errors, warnings)``
    Turns a marshmallow ``ValidationError.messages`` dict into sorted :class:`FieldError`\\ s
    (for an API error handler that uses the schemas directly); ``field_errors`` leaves out
    the warnings (unknown fields that are only ignored).

Works with marshmallow 3.21+ and 4.x.
"""

from __future__ import annotations

from scheduler.format.fields import BaseSchema
from scheduler.format.loading import (
    load_json_file,
    load_scenario,
    load_scenario_with_warnings,
    load_schedule,
    load_schedule_with_warnings,
)
from scheduler.format.problems import (
    MISSPELLING_CUTOFF,
    UNKNOWN_FIELD,
    FieldError,
    ScenarioInvalid,
    likely_meant,
    problem_dicts,
)
from scheduler.format.scenario import ScenarioSchema
from scheduler.format.schedule import ScheduleSchema
from scheduler.format.sentences import field_errors, field_problems
from scheduler.format.values import parse_date, parse_local_datetime, parse_time
from scheduler.format.vocabulary import (
    DEFAULT_START_TIMES,
    DEFAULT_TIMEZONE,
    DEFAULT_WEIGHTS,
    KPI_KEYS,
    LOCATIONS,
    OBJECTIVE_TERMS,
    OFF_DAY,
    SCENARIO_FORMAT,
    SCHEDULE_FORMAT,
    STATUSES,
    WEEKDAYS,
)

__all__ = [
    "SCENARIO_FORMAT",
    "SCHEDULE_FORMAT",
    "DEFAULT_WEIGHTS",
    "DEFAULT_TIMEZONE",
    "DEFAULT_START_TIMES",
    "OFF_DAY",
    "OBJECTIVE_TERMS",
    "KPI_KEYS",
    "WEEKDAYS",
    "LOCATIONS",
    "STATUSES",
    "FieldError",
    "ScenarioInvalid",
    "MISSPELLING_CUTOFF",
    "UNKNOWN_FIELD",
    "load_scenario",
    "load_scenario_with_warnings",
    "load_schedule",
    "load_schedule_with_warnings",
    "load_json_file",
    "field_errors",
    "field_problems",
    "likely_meant",
    "problem_dicts",
    "parse_date",
    "parse_time",
    "parse_local_datetime",
    "BaseSchema",
    "ScenarioSchema",
    "ScheduleSchema",
]
