"""The one definition of the scenario and schedule formats (spec: scenario-v1.md).

The marshmallow schemas below are what the CLI, the Flask API, the spreadsheet import
and the OpenAPI document all use, so the format is written down exactly once.

Entry points
============

``load_scenario(data) -> dict``
    Validates a ``modulplan/scenario-1`` document and returns a *normalized copy*:
    the same keys as the spec, with every default filled in (see "Defaults" below).
    Raises :class:`ScenarioInvalid` with **all** errors at once.
``load_scenario_with_warnings(data) -> (dict, [FieldError])``
    The same, and the warnings: fields the format does not know, which were ignored
    (see "Unknown fields" below).  ``ScenarioInvalid.warnings`` holds them when it raises.
``load_schedule(data) -> dict`` / ``load_schedule_with_warnings(data)``
    Validates a ``modulplan/schedule-1`` document (shape plus internal references).
``load_json_file(path) -> dict``
    Reads a JSON file; a syntax error becomes :class:`ScenarioInvalid` at path ``$``
    with line and column in the message.
``field_errors(messages, data)`` / ``field_problems(messages, data) -> (errors, warnings)``
    Turns a marshmallow ``ValidationError.messages`` dict into sorted
    :class:`FieldError`\\ s (for an API error handler that uses the schemas directly);
    ``field_errors`` leaves out the warnings (unknown fields that are only ignored).

Every error is a :class:`FieldError` with a JSON path (``$.workplaces[1].teams[0].min_staffing``;
indexes count from 0) and a plain English sentence that names the entities by their ids
(``min_staffing (9) is larger than headcount (8) of team vard-dag``; entries without an id
are counted from 1 in the sentence, e.g. "closed period number 1 of calendar").  Errors are
sorted by where their path appears in the document.  Sentences carry no final full stop.

Choices where the spec leaves room
==================================

* **Values stay JSON.**  The normalized scenario keeps dates, times and date-times as the
  validated strings (so it can be dumped, stored and served as it is); only weekday names
  and the holiday country code are rewritten to their canonical form.  Integer fields accept
  integral floats (``8.0`` becomes ``8``: spreadsheets produce them) but never strings or
  booleans; number fields accept ints and finite floats; booleans must be ``true``/``false``.
* **Unknown fields.**  Names starting with ``x-`` or ``x_`` (lower case) are extensions: not
  checked, kept in the normalized copy.  Any other field an object does not know is a
  **warning** ("team W1 has a field "name" that modulplan does not use; it is ignored") and is
  left out of the normalized copy -- programmes written by other tools carry such fields --
  *unless* it is a likely misspelling of one of that same object's fields (the same name up to
  case, spaces and hyphens, or ``difflib`` similarity >= :data:`MISSPELLING_CUTOFF`, e.g.
  ``min_stafing``, ``headcont``): that stays an **error** with "did you mean 'min_staffing'?".
  A few names that mean something elsewhere are errors with a hint (``weights.trainer_cost``:
  trainer cost is each trainer's ``cost_per_hour``).  The check is marshmallow's own unknown-
  field check: each schema's ``unknown`` message carries its known field names
  (:class:`_UnknownField`), and :func:`field_problems` sorts the findings into errors and
  warnings.  ``kpis`` of a schedule (and its ``objective_breakdown``) accept any extra key.
* **Required scenario keys:** ``format``, ``id``, ``horizon``, ``shift_types``,
  ``shift_patterns``, ``sites``, ``workplaces``, ``modules``, ``tracks``, ``action_plans``
  (lists may be empty).  Optional with defaults: ``name`` (= ``id``), ``timezone``,
  ``calendar``, ``travel``, ``rooms``, ``trainers``, ``interpreters``, ``weights``.
  Within entities the spec fields without a documented default are required, except
  ``name`` (defaults to the entity's id), ``home_site`` (null: no travel is counted),
  ``language`` (null) and the list/limit fields listed under Defaults.
  ``team.offset_days`` defaults to 0; ``team.min_staffing`` and ``track.min_group`` /
  ``max_group`` are required (the spec gives them no default).
* **Defaults:** timezone ``Europe/Stockholm``; calendar ``holidays "SE"`` (null: none),
  ``closed []`` (``reason ""``), weekdays mon..fri, ``start_times ["08:00", "13:00"]``,
  ``daily_rest_hours 11``; travel ``default_minutes 30``, ``pairs []``; rooms
  ``features []``, ``unavailable []``; trainers ``qualifications []``, ``languages []``,
  ``home_site null``, ``available null`` (= always; ``[]`` = never; an explicit null is
  read as missing), ``unavailable []``, ``max_minutes_per_week null``,
  ``max_sessions_per_day null``, ``cost_per_hour 0``; interpreters likewise; modules
  ``qualification`` = module id, ``room_features []``, ``location "any"``,
  ``min_gap_days 1``, ``max_gap_days null``; tracks ``mix_workplaces false``; action plans
  ``earliest`` = horizon start, ``deadline`` = horizon end, ``target`` = deadline,
  ``allow_on_shift true``, ``allow_off_shift false``; participants ``language null``
  (participants are kept as given, counts are *not* expanded); weights: all seven of
  :data:`DEFAULT_WEIGHTS`.  Trainer cost is each trainer's ``cost_per_hour``, not a weight;
  a misspelt weight name is an error, any other unknown weight name a warning (ignored).
* **Times** are ``HH:MM`` from 00:00 to 23:59.  ``24:00`` is rejected with a hint: an end
  that is not after its start already means "the next day", so ``00:00`` is midnight.
* **Date-times** in ``unavailable`` are local ``YYYY-MM-DDTHH:MM`` or a bare ``YYYY-MM-DD``
  (whole day: as a start it means 00:00, as an end the following midnight).  The original
  strings are kept; only ``end`` before ``start`` is an error (a zero-length period is not).
  An ``unavailable`` entry may also be a bare date string ``"2027-05-14"`` (that whole day);
  it is normalized to ``{"start": "2027-05-14", "end": "2027-05-14"}``.
* **Weekdays:** ``mon``..``sun``; Swedish ``mån tis ons tor fre lör sön`` (and the
  ASCII spellings ``man lor son``) and any letter case are accepted and normalized to the
  English lower-case names.  A weekday or start time listed twice in ``calendar`` is an
  error, as is an empty ``weekdays`` or ``start_times`` list.
* **Holidays:** any code of ``holidays.list_supported_countries()`` (2- or 3-letter, any
  case, normalized to upper case) or null.
* **Cross-checks** (all reported together with the field errors): duplicate ids in every
  entity list (teams: within their workplace; the same team id in two workplaces is fine);
  the shift type id ``-`` (reserved for "off"); every reference (pattern, cycle entries,
  sites, travel pairs, track modules, plan workplace and track, participant team: first in
  the plan's workplace, then in any workplace); a travel pair from a site to itself or given
  twice (either direction); a module listed twice in one track; a named participant listed
  twice in one plan; a team counted in two entries of one plan (their generated ids would
  clash); counted ids that clash with other participant ids; one named participant placed
  in different teams by different plans; more participants of a team in one plan than its
  headcount; plan ``earliest`` after ``deadline`` and ``target`` before ``earliest`` (after
  filling defaults).  Feasibility questions (no room at a workplace site, a deadline outside
  the horizon, min_staffing equal to headcount) are *not* format errors.
* **Schedule:** all spec keys are required (``objective`` and ``bound`` may be null;
  ``room`` may be null or missing, ``interpreters`` defaults to ``[]``).  Optional extra
  top-level keys ``moved``, ``added``, ``cancelled`` (lists) and ``progress`` (any JSON)
  are reserved for what-if runs and progress reports.  Checked: status values, offset
  date-times, session end after start, unique cohort and session ids, and that sessions and
  unscheduled entries name a listed cohort.  Whether a schedule obeys the hard rules is
  ``validate.py``'s business, not the format's.

Works with marshmallow 3.21+ and 4.x.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

__all__ = [
    "SCENARIO_FORMAT",
    "SCHEDULE_FORMAT",
    "DEFAULT_WEIGHTS",
    "OBJECTIVE_TERMS",
    "KPI_KEYS",
    "WEEKDAYS",
    "LOCATIONS",
    "STATUSES",
    "FieldError",
    "ScenarioInvalid",
    "MISSPELLING_CUTOFF",
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
    "ScenarioSchema",
    "ScheduleSchema",
]

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

_WEEKDAY_ALIASES: dict[str, str] = {
    **{d: d for d in WEEKDAYS},
    "mån": "mon", "man": "mon",
    "tis": "tue",
    "ons": "wed",
    "tor": "thu",
    "fre": "fri",
    "lör": "sat", "lor": "sat",
    "sön": "sun", "son": "sun",
}


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    """One problem in a document: where (a JSON path) and what (a plain sentence)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ScenarioInvalid(Exception):
    """A scenario or schedule document is not valid; ``errors`` lists every problem.

    ``warnings`` lists what was found besides (fields that would only have been ignored), so
    that a caller can show both at once.
    """

    def __init__(self, errors: Iterable[FieldError], warnings: Iterable[FieldError] = (), *,
                 beyond_limits: bool = False):
        self.errors: list[FieldError] = list(errors)
        self.warnings: list[FieldError] = list(warnings)
        # The document exceeds `scheduler.format.limits` (checked before anything else; the API says 413).
        self.beyond_limits = beyond_limits
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return head + "".join(f"\n  {e}" for e in self.errors)

    def as_dicts(self) -> list[dict[str, str]]:
        """The errors as ``[{"path": ..., "message": ...}]`` (for JSON responses)."""
        return problem_dicts(self.errors)

    def warning_dicts(self) -> list[dict[str, str]]:
        """The warnings as ``[{"path": ..., "message": ...}]``."""
        return problem_dicts(self.warnings)


def problem_dicts(problems: Iterable[FieldError]) -> list[dict[str, str]]:
    """FieldErrors (errors or warnings) as ``[{"path": ..., "message": ...}]`` for JSON."""
    return [{"path": e.path, "message": e.message} for e in problems]


UNKNOWN_FIELD = 'is not a known field (extension fields must start with "x-" or "x_")'

#: How similar (difflib ratio, 0..1) an unknown field name must be to a known field of the
#: same object to count as a misspelling of it (an error) rather than a field of someone
#: else's (a warning).  0.85 takes ``min_stafing``, ``headcont``, ``languge``, ``modules``
#: for ``module``; it leaves ``name`` on a team, ``state`` next to ``start`` or a track's
#: ``workplaces`` next to ``mix_workplaces`` alone.
MISSPELLING_CUTOFF = 0.85


def _normal_key(key: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def likely_meant(key: Any, known: Iterable[str], *, cutoff: float = MISSPELLING_CUTOFF) -> str | None:
    """The field of ``known`` that ``key`` is probably a misspelling of, or None.

    Compared up to case, spaces and hyphens (``Headcount``, ``min-staffing`` are misspellings
    too) and two neighbouring letters swapped (``cuont``), then by
    :func:`difflib.get_close_matches` with ``cutoff``.
    """
    by_norm: dict[str, str] = {}
    for name in known:
        by_norm.setdefault(_normal_key(name), name)
    norm = _normal_key(key)
    if norm in by_norm:
        return by_norm[norm]
    for i in range(len(norm) - 1):
        swapped = norm[:i] + norm[i + 1] + norm[i] + norm[i + 2:]
        if swapped != norm and swapped in by_norm:
            return by_norm[swapped]
    close = difflib.get_close_matches(norm, list(by_norm), n=1, cutoff=cutoff)
    return by_norm[close[0]] if close else None


class _UnknownField(str):
    """marshmallow's "unknown" message of one schema instance.

    As a string it is :data:`UNKNOWN_FIELD`; it also carries the object's known field names
    (and the names that mean something elsewhere, with a hint), so that :func:`field_problems`
    can tell a misspelling (an error) from a field modulplan does not use (a warning).
    """

    known: tuple[str, ...]
    misplaced: dict[str, str]

    def __new__(cls, known: Iterable[str], misplaced: Mapping[str, str]) -> _UnknownField:
        obj = super().__new__(cls, UNKNOWN_FIELD)
        obj.known = tuple(known)
        obj.misplaced = dict(misplaced)
        return obj

    def __reduce__(self):  # schemas are deep-copied (apispec, flask-smorest) and may be pickled
        return (_UnknownField, (self.known, self.misplaced))

    def __copy__(self) -> _UnknownField:
        return self

    def __deepcopy__(self, memo) -> _UnknownField:
        return self

    def meant(self, key: Any) -> str | None:
        return likely_meant(key, self.known)

    def is_unused(self, key: Any) -> bool:
        """True when ``key`` is only a field modulplan does not use (a warning, not an error)."""
        return isinstance(key, str) and key not in self.misplaced and self.meant(key) is None

_COMMON_MESSAGES = {
    "required": "is required",
    "null": "must not be null",
    "validator_failed": "is not valid",
}


class _Sentence(str):
    """A validator message that names its owner when rendered as a :class:`FieldError`.

    As a plain ``str`` (what marshmallow and flask-smorest see) it reads with a neutral
    owner; :func:`field_errors` renders ``template`` with the owner described from the
    document, e.g. ``{of}`` -> `` of team vard-dag``, ``{owner}`` -> ``team vard-dag``.
    """

    template: str | None
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> _Sentence:
        text = template.format(of="", owner="this entry", **params)
        obj = super().__new__(cls, text)
        obj.template = template
        obj.params = params
        return obj

    @classmethod
    def fixed(cls, text: str) -> _Sentence:
        """A complete sentence that already names everything (no placeholders)."""
        obj = super().__new__(cls, text)
        obj.template = None
        obj.params = {}
        return obj

    def render(self, owner: str) -> str:
        if self.template is None:
            return str(self)
        return self.template.format(
            of=f" of {owner}" if owner else "", owner=owner or "this entry", **self.params
        )


# --------------------------------------------------------------------------------------
# Parsing helpers (public: the domain layer may reuse them on normalized data)
# --------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{2}):(\d{2})$")
_LOCAL_DT_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$")


def parse_date(value: Any) -> date | None:
    """``"YYYY-MM-DD"`` -> date, or None when the value is not such a date."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_time(value: Any) -> time | None:
    """``"HH:MM"`` (00:00..23:59) -> time, or None."""
    if not isinstance(value, str):
        return None
    m = _TIME_RE.match(value)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_local_datetime(value: Any, *, end: bool = False) -> datetime | None:
    """A scenario period bound -> naive local datetime, or None.

    ``"YYYY-MM-DDTHH:MM"`` is that moment; a bare ``"YYYY-MM-DD"`` is 00:00 of that day, or
    with ``end=True`` the midnight that ends it (the next day's 00:00).
    """
    if not isinstance(value, str):
        return None
    day = parse_date(value)
    if day is not None:
        start = datetime.combine(day, time(0, 0))
        return start + timedelta(days=1) if end else start
    m = _LOCAL_DT_RE.match(value)
    if not m:
        return None
    day, clock = parse_date(m.group(1)), parse_time(m.group(2))
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock)


def _parse_offset_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _valid_id(value: Any) -> str | None:
    """The id if it would pass :class:`Id`, else None (cross-checks skip invalid ids)."""
    if isinstance(value, str) and value and value == value.strip():
        return value
    return None


def _valid_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@functools.lru_cache(maxsize=1)
def _holiday_countries() -> frozenset[str]:
    import holidays  # imported lazily: it is slow to import

    return frozenset(code.upper() for code in holidays.list_supported_countries())


@functools.lru_cache(maxsize=256)
def _known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError for malformed keys, ...
        return False
    return True


# --------------------------------------------------------------------------------------
# Fields.  Messages are predicates ("must be a whole number"); field_errors() puts the
# field and its owner in front and the offending value behind.
# --------------------------------------------------------------------------------------


class Text(fields.String):
    """Any string (names, reasons, free-text qualifications and features)."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": "must be text", "invalid_utf8": "must be text"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


class Id(Text):
    """An identifier or a reference to one: non-empty, no surrounding spaces."""

    default_error_messages = {
        "invalid": "must be an id written as text",
        "empty": "must not be empty",
        "spaces": "must not begin or end with a space",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not value.strip():
            raise self.make_error("empty")
        if value != value.strip():
            raise self.make_error("spaces")
        return value


class Int(fields.Integer):
    """A whole number; integral floats (8.0) are accepted as ints, strings and booleans not."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": "must be a whole number"}

    def _deserialize(self, value, attr, data, **kwargs):
        result = _valid_int(value)
        if result is None:
            raise self.make_error("invalid")
        return result


class Num(fields.Number):
    """A finite number (int or float, kept as given); strings and booleans are rejected."""

    num_type = float  # for marshmallow's own machinery; loading keeps ints as ints
    default_error_messages = {**_COMMON_MESSAGES, "invalid": "must be a number"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.make_error("invalid")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Bool(fields.Boolean):
    """``true`` or ``false`` only (no "yes", 1 or "true")."""

    default_error_messages = {**_COMMON_MESSAGES, "invalid": "must be true or false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class IsoDate(fields.Date):
    """A date ``YYYY-MM-DD``, kept as the string."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": "must be a date written YYYY-MM-DD",
        "format": "must be a date written YYYY-MM-DD",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if parse_date(value) is None:
            raise self.make_error("invalid")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() if isinstance(value, date) else value


class ClockTime(fields.String):
    """A local time of day ``HH:MM`` (00:00..23:59), kept as the string."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": "must be a time written HH:MM, from 00:00 to 23:59",
        "midnight": (
            'must be a time from 00:00 to 23:59; write "00:00" for midnight '
            "(an end that is not after its start means the next day)"
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "08:00"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "24:00":
            raise self.make_error("midnight")
        if parse_time(value) is None:
            raise self.make_error("invalid")
        return value


class LocalDateTime(fields.String):
    """A local date-time ``YYYY-MM-DDTHH:MM`` or a bare date (whole day), kept as the string."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": (
            "must be a local date-time written YYYY-MM-DDTHH:MM, "
            "or a date YYYY-MM-DD for the whole day"
        ),
        "offset": (
            "must be a local date-time without a UTC offset "
            "(the scenario's timezone applies), written YYYY-MM-DDTHH:MM"
        ),
        "midnight": 'must not use 24:00; write the next day\'s "T00:00" or a bare date for the whole day',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"example": "2026-03-24T08:00"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if parse_local_datetime(value) is not None:
            return value
        if isinstance(value, str) and value.endswith("T24:00"):
            raise self.make_error("midnight")
        if isinstance(value, str) and _parse_offset_datetime(value) is not None:
            raise self.make_error("offset")
        raise self.make_error("invalid")


class OffsetDateTime(fields.String):
    """An ISO 8601 date-time with a UTC offset (schedule times), kept as the string."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": (
            "must be an ISO 8601 date-time with a UTC offset, "
            "such as 2026-03-12T08:00:00+01:00"
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"format": "date-time", "example": "2026-03-12T08:00:00+01:00"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if _parse_offset_datetime(value) is None:
            raise self.make_error("invalid")
        return value


class Weekday(fields.String):
    """``mon``..``sun``; Swedish abbreviations and any case accepted, normalized to English."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": "must be a weekday: mon, tue, wed, thu, fri, sat or sun (Swedish mån .. sön also work)",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"enum": list(WEEKDAYS)})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        day = _WEEKDAY_ALIASES.get(value.strip().lower()) if isinstance(value, str) else None
        if day is None:
            raise self.make_error("invalid")
        return day


class TimeZoneName(fields.String):
    """An IANA time zone name known to ``zoneinfo``."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": 'must be an IANA time zone name such as "Europe/Stockholm"',
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not value or not _known_timezone(value):
            raise self.make_error("invalid")
        return value


class HolidayCountry(fields.String):
    """A country code known to the ``holidays`` package (normalized to upper case)."""

    default_error_messages = {
        **_COMMON_MESSAGES,
        "invalid": (
            'must be a country code known to the holidays package, such as "SE", '
            "or null for no public holidays"
        ),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        code = value.strip().upper() if isinstance(value, str) else None
        if not code or code not in _holiday_countries():
            raise self.make_error("invalid")
        return code


class FormatTag(fields.String):
    """The constant ``format`` string of a document."""

    default_error_messages = {**_COMMON_MESSAGES}

    def __init__(self, expected: str, *, other: str | None = None, other_name: str = "", **kwargs):
        self.expected = expected
        self.other = other
        self.other_name = other_name
        kwargs.setdefault("metadata", {"enum": [expected]})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value == self.expected:
            return value
        message = f'must be "{self.expected}"'
        if self.other is not None and value == self.other:
            message += f" (this document is a {self.other_name})"
        raise ValidationError(message)


class ListOf(fields.List):
    default_error_messages = {**_COMMON_MESSAGES, "invalid": "must be a list"}


class Obj(fields.Nested):
    default_error_messages = {**_COMMON_MESSAGES, "type": "must be a JSON object"}


def _at_least(n: int | float) -> validate.Range:
    return validate.Range(min=n, error="must not be negative" if n == 0 else "must be at least {min}")


def _between(lo: int | float, hi: int | float) -> validate.Range:
    return validate.Range(min=lo, max=hi, error="must be between {min} and {max}")


def _not_empty(what: str) -> validate.Length:
    return validate.Length(min=1, error=f"must list at least one {what}")


def _one_of(choices: Iterable[str]) -> validate.OneOf:
    choices = list(choices)
    return validate.OneOf(choices, error="must be one of " + ", ".join(choices))


def _id_list(**kwargs) -> ListOf:
    return ListOf(Id(), **kwargs)


def _text_list(**kwargs) -> ListOf:
    kwargs.setdefault("load_default", list)
    return ListOf(Text(), **kwargs)


# --------------------------------------------------------------------------------------
# Base schema: unknown fields are errors, x- / x_ extensions pass through untouched.
# --------------------------------------------------------------------------------------


def _is_extension(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(("x-", "x_"))


class _Errors:
    """Collects messages into a marshmallow-style nested error dict, keyed by path."""

    def __init__(self) -> None:
        self.tree: dict = {}

    def __bool__(self) -> bool:
        return bool(self.tree)

    def add(self, path: tuple, message: str) -> None:
        if not isinstance(message, _Sentence):
            message = _Sentence.fixed(message)
        node = self.tree
        for seg in path[:-1]:
            child = node.get(seg)
            if child is None:
                child = node[seg] = {}
            elif isinstance(child, list):
                child = node[seg] = {"_schema": child}
            node = child
        leaf = node.get(path[-1])
        if leaf is None:
            node[path[-1]] = [message]
        elif isinstance(leaf, dict):
            leaf.setdefault("_schema", []).append(message)
        else:
            leaf.append(message)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ValidationError(self.tree)


class BaseSchema(Schema):
    """Common behaviour: unknown fields are reported (misspellings as errors, the rest as
    warnings, see :func:`field_problems`), ``x-`` extensions pass untouched."""

    error_messages = {"type": "must be a JSON object", "unknown": UNKNOWN_FIELD}

    #: Fields whose missing value becomes the entity's own id after loading.
    _default_to_id: tuple[str, ...] = ()
    #: Unknown field names that are mistakes here, with what to write instead (errors).
    _misplaced: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        known = [field.data_key or name for name, field in self.load_fields.items()]
        self.error_messages = {**self.error_messages, "unknown": _UnknownField(known, self._misplaced)}

    @pre_load
    def _drop_extensions(self, data, **kwargs):
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if not _is_extension(k)}
        return data

    @post_load(pass_original=True)
    def _keep_extensions(self, data, original, **kwargs):
        for name in self._default_to_id:
            if data.get(name) is None and "id" in data:
                data[name] = data["id"]
        # Spec order (declaration order), then anything included, then extensions.
        order = [field.attribute or name for name, field in self.load_fields.items()]
        result = {key: data[key] for key in order if key in data}
        result.update((key, value) for key, value in data.items() if key not in result)
        if isinstance(original, Mapping):
            for key, value in original.items():
                if _is_extension(key):
                    result[key] = copy.deepcopy(value)
        return result


def _nested_list(schema: type[Schema], **kwargs) -> ListOf:
    return ListOf(Obj(schema), **kwargs)


# --------------------------------------------------------------------------------------
# Scenario schemas
# --------------------------------------------------------------------------------------


class HorizonSchema(BaseSchema):
    start = IsoDate(required=True, metadata={"description": "first planning day (inclusive)"})
    end = IsoDate(required=True, metadata={"description": "last planning day (inclusive)"})

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        _check_date_order(data)


def _check_date_order(data: Mapping) -> None:
    start, end = parse_date(data.get("start")), parse_date(data.get("end"))
    if start and end and end < start:
        raise ValidationError(
            {"end": [_Sentence("end ({end}){of} is before its start ({start})",
                               end=data["end"], start=data["start"])]}
        )


class ClosedPeriodSchema(BaseSchema):
    start = IsoDate(required=True)
    end = IsoDate(required=True)
    reason = Text(load_default="")

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        _check_date_order(data)


class CalendarSchema(BaseSchema):
    holidays = HolidayCountry(load_default="SE", allow_none=True,
                              metadata={"description": "country code of public holidays, null for none"})
    closed = _nested_list(ClosedPeriodSchema, load_default=list)
    weekdays = ListOf(Weekday(), load_default=lambda: list(WEEKDAYS[:5]), validate=_not_empty("weekday"))
    start_times = ListOf(ClockTime(), load_default=lambda: list(DEFAULT_START_TIMES),
                         validate=_not_empty("start time"))
    daily_rest_hours = Num(load_default=11, validate=_between(0, 24))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _check_repeats(self, data, original, **kwargs):
        if not isinstance(original, Mapping):
            return
        errors = _Errors()
        for key, canon in (("weekdays", lambda v: _WEEKDAY_ALIASES.get(v.strip().lower())),
                           ("start_times", lambda v: v if parse_time(v) else None)):
            seen: set[str] = set()
            values = original.get(key)
            if not isinstance(values, list):
                continue
            for i, value in enumerate(values):
                norm = canon(value) if isinstance(value, str) else None
                if norm is None:
                    continue
                if norm in seen:
                    errors.add((key, i), _Sentence("{owner} repeats {value}, which is listed earlier", value=norm))
                seen.add(norm)
        errors.raise_if_any()


class ShiftTypeSchema(BaseSchema):
    id = Id(required=True)
    start = ClockTime(required=True)
    end = ClockTime(required=True, metadata={"description": "an end not after start means the next day"})


class ShiftPatternSchema(BaseSchema):
    id = Id(required=True)
    anchor = IsoDate(required=True, metadata={"description": "the date of cycle day 0"})
    cycle = ListOf(Id(), required=True, validate=_not_empty('shift type id or "-"'),
                   metadata={"description": 'shift type ids, or "-" for a day off'})


class SiteSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()


class TravelPairSchema(BaseSchema):
    from_ = Id(required=True, data_key="from", attribute="from")
    to = Id(required=True)
    minutes = Int(required=True, validate=_at_least(0))


class TravelSchema(BaseSchema):
    default_minutes = Int(load_default=30, validate=_at_least(0))
    pairs = _nested_list(TravelPairSchema, load_default=list)


class TeamSchema(BaseSchema):
    id = Id(required=True)
    pattern = Id(required=True)
    offset_days = Int(load_default=0)
    headcount = Int(required=True, validate=_at_least(1))
    min_staffing = Int(required=True, validate=_at_least(0))

    @validates_schema(skip_on_field_errors=False)
    def _check_staffing(self, data, **kwargs):
        staffing, headcount = data.get("min_staffing"), data.get("headcount")
        if staffing is not None and headcount is not None and staffing > headcount:
            raise ValidationError({"min_staffing": [
                _Sentence("min_staffing ({ms}) is larger than headcount ({hc}){of}", ms=staffing, hc=headcount)
            ]})


class WorkplaceSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    site = Id(required=True)
    teams = _nested_list(TeamSchema, required=True)


class PeriodSchema(BaseSchema):
    """An ``unavailable`` period: local date-times or bare dates (whole days)."""

    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        start = parse_local_datetime(data.get("start"))
        end = parse_local_datetime(data.get("end"), end=True)
        if start and end and end < start:
            raise ValidationError({"end": [
                _Sentence("end ({end}){of} is before its start ({start})", end=data["end"], start=data["start"])
            ]})


class PeriodEntry(Obj):
    """An ``unavailable`` entry: a :class:`PeriodSchema` object, or a bare date string
    ``"YYYY-MM-DD"`` for that whole day, normalized to ``{"start": d, "end": d}``."""

    default_error_messages = {
        "period": "must be a period with start and end, or a date written YYYY-MM-DD for the whole day",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"description": 'a {start, end} period, or a bare date "YYYY-MM-DD"'})
        super().__init__(PeriodSchema, **kwargs)

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        if isinstance(value, str):
            if parse_date(value) is None:
                raise self.make_error("period")
            return {"start": value, "end": value}
        if not isinstance(value, Mapping):
            raise self.make_error("period")
        return super()._deserialize(value, attr, data, partial=partial, **kwargs)


def _unavailable_list() -> ListOf:
    return ListOf(PeriodEntry(), load_default=list)


class WeeklyWindowSchema(BaseSchema):
    """An ``available`` window; an end not after its start runs into the next day."""

    weekday = Weekday(required=True)
    start = ClockTime(required=True)
    end = ClockTime(required=True)


class RoomSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    site = Id(required=True)
    capacity = Int(required=True, validate=_at_least(1))
    features = _text_list()
    unavailable = _unavailable_list()


class TrainerSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    qualifications = _text_list()
    languages = _text_list()
    home_site = Id(load_default=None, allow_none=True)
    max_minutes_per_week = Int(load_default=None, allow_none=True, validate=_at_least(0))
    max_sessions_per_day = Int(load_default=None, allow_none=True, validate=_at_least(0))
    available = _nested_list(WeeklyWindowSchema, load_default=None, allow_none=True,
                             metadata={"description": "weekly windows; missing or null: always, []: never"})
    unavailable = _unavailable_list()
    cost_per_hour = Num(load_default=0, validate=_at_least(0))


class InterpreterSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    languages = _text_list()
    home_site = Id(load_default=None, allow_none=True)
    available = _nested_list(WeeklyWindowSchema, load_default=None, allow_none=True,
                             metadata={"description": "weekly windows; missing or null: always, []: never"})
    unavailable = _unavailable_list()


class ModuleSchema(BaseSchema):
    _default_to_id = ("name", "qualification")
    id = Id(required=True)
    name = Text()
    sessions = Int(required=True, validate=_at_least(1))
    duration_minutes = Int(required=True, validate=_at_least(1))
    qualification = Text(metadata={"description": "defaults to the module id"})
    room_features = _text_list()
    location = Text(load_default="any", validate=_one_of(LOCATIONS))
    min_gap_days = Int(load_default=1, validate=_at_least(0))
    max_gap_days = Int(load_default=None, allow_none=True, validate=_at_least(0))

    @validates_schema(skip_on_field_errors=False)
    def _check_gaps(self, data, **kwargs):
        lo, hi = data.get("min_gap_days"), data.get("max_gap_days")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError({"min_gap_days": [
                _Sentence("min_gap_days ({lo}) is larger than max_gap_days ({hi}){of}", lo=lo, hi=hi)
            ]})


class TrackSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    modules = _id_list(required=True, validate=_not_empty("module"))
    min_group = Int(required=True, validate=_at_least(1))
    max_group = Int(required=True, validate=_at_least(1))
    mix_workplaces = Bool(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def _check_group(self, data, **kwargs):
        lo, hi = data.get("min_group"), data.get("max_group")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError({"min_group": [
                _Sentence("min_group ({lo}) is larger than max_group ({hi}){of}", lo=lo, hi=hi)
            ]})


class ParticipantSchema(BaseSchema):
    """Named ``{id, team, language}`` or counted ``{team, count, language}``."""

    id = Id(metadata={"description": "a named participant (pseudonymous ids are fine)"})
    team = Id(required=True)
    count = Int(validate=_at_least(1), metadata={"description": "counted participants"})
    language = Text(load_default=None, allow_none=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _check_kind(self, data, original, **kwargs):
        if not isinstance(original, Mapping):
            return
        has_id, has_count = "id" in original, "count" in original
        if has_id and has_count:
            raise ValidationError(_Sentence(
                "{owner} has both an id and a count; give an id for one named participant "
                "or a count for counted participants"))
        if not has_id and not has_count:
            raise ValidationError(_Sentence(
                "{owner} needs either an id (a named participant) or a count (counted participants)"))


class ActionPlanSchema(BaseSchema):
    id = Id(required=True)
    workplace = Id(required=True)
    track = Id(required=True)
    participants = _nested_list(ParticipantSchema, required=True, validate=_not_empty("participant"))
    earliest = IsoDate(metadata={"description": "default: horizon start"})
    deadline = IsoDate(metadata={"description": "default: horizon end"})
    target = IsoDate(metadata={"description": "default: deadline"})
    allow_on_shift = Bool(load_default=True)
    allow_off_shift = Bool(load_default=False)


class WeightsSchema(BaseSchema):
    _misplaced = {"trainer_cost": "trainer cost is each trainer's cost_per_hour, not a weight"}

    unscheduled_session = Num(load_default=DEFAULT_WEIGHTS["unscheduled_session"], validate=_at_least(0))
    unassigned_participant = Num(load_default=DEFAULT_WEIGHTS["unassigned_participant"], validate=_at_least(0))
    backfill_per_hour = Num(load_default=DEFAULT_WEIGHTS["backfill_per_hour"], validate=_at_least(0))
    overtime_per_hour = Num(load_default=DEFAULT_WEIGHTS["overtime_per_hour"], validate=_at_least(0))
    travel_per_minute = Num(load_default=DEFAULT_WEIGHTS["travel_per_minute"], validate=_at_least(0))
    late_per_day = Num(load_default=DEFAULT_WEIGHTS["late_per_day"], validate=_at_least(0))
    trainer_change = Num(load_default=DEFAULT_WEIGHTS["trainer_change"], validate=_at_least(0))
    # Optional, only for re-planning against a baseline (scheduler/replan.py; default 500 there).
    move_session = Num(validate=_at_least(0), metadata={
        "description": "re-planning: cost of each baseline session that moves in time, trainer or room"})


class PublicationSchema(BaseSchema):
    """What the published calendars may show besides sessions, places and counts (an optional
    field modulplan adds to the format). Names of people are shown only where allowed: in the
    calendars a workplace, room or cohort subscribes to, and in a trainer's calendar for the
    interpreters. The command line's own .ics files (the coordinator's) always name them."""

    trainer_names = Bool(load_default=False, metadata={"description": "name the trainer in the service's feeds"})
    interpreter_names = Bool(load_default=False,
                             metadata={"description": "name the interpreters in the service's feeds"})


class ScenarioSchema(BaseSchema):
    """A ``modulplan/scenario-1`` document; ``load`` returns the normalized scenario."""

    _default_to_id = ("name",)
    format = FormatTag(SCENARIO_FORMAT, other=SCHEDULE_FORMAT, other_name="schedule", required=True)
    id = Id(required=True)
    name = Text()
    timezone = TimeZoneName(load_default=DEFAULT_TIMEZONE)
    horizon = Obj(HorizonSchema, required=True)
    calendar = Obj(CalendarSchema, load_default=lambda: CalendarSchema().load({}))
    shift_types = _nested_list(ShiftTypeSchema, required=True)
    shift_patterns = _nested_list(ShiftPatternSchema, required=True)
    sites = _nested_list(SiteSchema, required=True)
    travel = Obj(TravelSchema, load_default=lambda: TravelSchema().load({}))
    workplaces = _nested_list(WorkplaceSchema, required=True)
    rooms = _nested_list(RoomSchema, load_default=list)
    trainers = _nested_list(TrainerSchema, load_default=list)
    interpreters = _nested_list(InterpreterSchema, load_default=list)
    modules = _nested_list(ModuleSchema, required=True)
    tracks = _nested_list(TrackSchema, required=True)
    action_plans = _nested_list(ActionPlanSchema, required=True)
    weights = Obj(WeightsSchema, load_default=lambda: WeightsSchema().load({}))
    publication = Obj(PublicationSchema, load_default=lambda: PublicationSchema().load({}), metadata={
        "description": "optional: whether the service's calendar feeds may name trainers and interpreters"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_check(self, data, original, **kwargs):
        if isinstance(original, Mapping):
            _cross_check_scenario(original).raise_if_any()

    @post_load
    def _fill_plan_dates(self, data, **kwargs):
        horizon = data["horizon"]
        for plan in data["action_plans"]:
            plan.setdefault("earliest", horizon["start"])
            plan.setdefault("deadline", horizon["end"])
            plan.setdefault("target", plan["deadline"])
        return data


# --------------------------------------------------------------------------------------
# Cross-entity checks (on the raw document, so that list indexes are the user's and they
# run even when other parts failed; a value that failed its own field check is skipped).
# --------------------------------------------------------------------------------------

_NOUNS = {
    "shift_types": "shift type",
    "shift_patterns": "shift pattern",
    "sites": "site",
    "pairs": "travel pair",
    "workplaces": "workplace",
    "teams": "team",
    "rooms": "room",
    "trainers": "trainer",
    "interpreters": "interpreter",
    "modules": "module",
    "tracks": "track",
    "action_plans": "action plan",
    "participants": "participant",
    "closed": "closed period",
    "unavailable": "unavailable period",
    "available": "availability window",
    "cohorts": "cohort",
    "sessions": "session",
    "unscheduled": "unscheduled entry",
    "unassigned_participants": "unassigned entry",
}
#: Lists whose items are always described together with their parent.
_QUALIFIED_ITEMS = {"participants", "closed", "unavailable", "available", "pairs"}


def _objects(parent: Any, key: str) -> list[tuple[int, dict]]:
    items = parent.get(key) if isinstance(parent, Mapping) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]


class _Anything(dict):
    """Stands in for an entity list that is missing or not a list: every id is "known",
    so that one broken list does not bring a cascade of unknown-reference errors."""

    def __contains__(self, key: object) -> bool:
        return True


def _index_ids(errors: _Errors, parent: Mapping, key: str, prefix: tuple = ()) -> dict[str, int]:
    """id -> index of its first occurrence in ``parent[key]``; reports repeated ids."""
    noun = _NOUNS[key]
    if not isinstance(parent.get(key), list):
        return _Anything()
    seen: dict[str, int] = {}
    for i, item in _objects(parent, key):
        ident = _valid_id(item.get("id"))
        if ident is None:
            continue
        if ident in seen:
            first = _render_path((*prefix, key, seen[ident]))
            errors.add((*prefix, key, i, "id"),
                       f"{noun} id {ident} is used twice (first at {first}); ids must be unique")
        else:
            seen[ident] = i
    return seen


def _cross_check_scenario(doc: Mapping) -> _Errors:  # noqa: C901, PLR0912, PLR0915
    e = _Errors()

    shift_types = _index_ids(e, doc, "shift_types")
    for i, st in _objects(doc, "shift_types"):
        if st.get("id") == OFF_DAY:
            e.add(("shift_types", i, "id"),
                  f'shift type id "{OFF_DAY}" is reserved: it means a day off in shift pattern cycles')
    patterns = _index_ids(e, doc, "shift_patterns")
    sites = _index_ids(e, doc, "sites")
    workplaces = _index_ids(e, doc, "workplaces")
    _index_ids(e, doc, "rooms")
    _index_ids(e, doc, "trainers")
    _index_ids(e, doc, "interpreters")
    modules = _index_ids(e, doc, "modules")
    tracks = _index_ids(e, doc, "tracks")
    _index_ids(e, doc, "action_plans")

    def site_ref(path: tuple, value: Any, what: str) -> None:
        site = _valid_id(value)
        if site is not None and site not in sites:
            e.add(path, f"{what} site {site}, which is not in sites")

    # Shift patterns use shift types.
    for i, pattern in _objects(doc, "shift_patterns"):
        cycle = pattern.get("cycle")
        pid = _valid_id(pattern.get("id")) or f"number {i + 1}"
        if isinstance(cycle, list):
            for k, entry in enumerate(cycle):
                entry = _valid_id(entry)
                if entry is not None and entry != OFF_DAY and entry not in shift_types:
                    e.add(("shift_patterns", i, "cycle", k),
                          f"shift pattern {pid} uses shift type {entry} on cycle day {k}, which is not "
                          f'in shift_types (use "{OFF_DAY}" for a day off)')

    # Workplaces: site, teams (unique within the workplace), patterns.
    teams_by_wp: dict[int, dict[str, dict]] = {}
    for i, wp in _objects(doc, "workplaces"):
        wid = _valid_id(wp.get("id")) or f"number {i + 1}"
        site_ref(("workplaces", i, "site"), wp.get("site"), f"workplace {wid} is at")
        team_index = _index_ids(e, wp, "teams", ("workplaces", i))
        teams_by_wp[i] = (team_index if isinstance(team_index, _Anything)
                          else {tid: wp["teams"][k] for tid, k in team_index.items()})
        for k, team in _objects(wp, "teams"):
            pattern = _valid_id(team.get("pattern"))
            if pattern is not None and pattern not in patterns:
                tid = _valid_id(team.get("id")) or f"number {k + 1}"
                e.add(("workplaces", i, "teams", k, "pattern"),
                      f"team {tid} of workplace {wid} works shift pattern {pattern}, which is not in shift_patterns")

    for i, room in _objects(doc, "rooms"):
        rid = _valid_id(room.get("id")) or f"number {i + 1}"
        site_ref(("rooms", i, "site"), room.get("site"), f"room {rid} is at")
    for key in ("trainers", "interpreters"):
        for i, person in _objects(doc, key):
            pid = _valid_id(person.get("id")) or f"number {i + 1}"
            if person.get("home_site") is not None:
                site_ref((key, i, "home_site"), person.get("home_site"),
                         f"{_NOUNS[key]} {pid} has as home_site the")

    # Travel pairs.
    travel = doc.get("travel")
    seen_pairs: dict[frozenset, int] = {}
    for i, pair in _objects(travel, "pairs"):
        a, b = _valid_id(pair.get("from")), _valid_id(pair.get("to"))
        site_ref(("travel", "pairs", i, "from"), a, f"travel pair number {i + 1} starts at")
        site_ref(("travel", "pairs", i, "to"), b, f"travel pair number {i + 1} goes to")
        if a is None or b is None:
            continue
        if a == b:
            e.add(("travel", "pairs", i, "to"),
                  f"travel pair number {i + 1} goes from {a} to itself; travel within one site always takes 0 minutes")
            continue
        key = frozenset((a, b))
        if key in seen_pairs:
            e.add(("travel", "pairs", i),
                  f"travel between {a} and {b} is already given by travel pair number {seen_pairs[key] + 1} "
                  "(travel times are symmetric)")
        else:
            seen_pairs[key] = i

    # Tracks list modules.
    for i, track in _objects(doc, "tracks"):
        tid = _valid_id(track.get("id")) or f"number {i + 1}"
        listed = track.get("modules")
        if not isinstance(listed, list):
            continue
        seen_modules: set[str] = set()
        for k, module in enumerate(listed):
            module = _valid_id(module)
            if module is None:
                continue
            if module not in modules:
                e.add(("tracks", i, "modules", k), f"track {tid} lists module {module}, which is not in modules")
            elif module in seen_modules:
                e.add(("tracks", i, "modules", k), f"track {tid} lists module {module} twice")
            seen_modules.add(module)

    # Action plans.
    horizon = doc.get("horizon") if isinstance(doc.get("horizon"), Mapping) else {}
    h_start, h_end = parse_date(horizon.get("start")), parse_date(horizon.get("end"))
    if h_start and h_end and h_end < h_start:  # reported by HorizonSchema; no follow-up errors
        h_start = h_end = None
    wp_ids = {i: _valid_id(wp.get("id")) for i, wp in _objects(doc, "workplaces")}
    person_team: dict[str, tuple[str, str, str]] = {}  # participant id -> (workplace, team, plan)
    named_ids: dict[str, str] = {}  # participant id -> plan id (first seen)
    counted: list[tuple[tuple, str, str, int]] = []  # (path, plan, team, count)

    for i, plan in _objects(doc, "action_plans"):
        pid = _valid_id(plan.get("id")) or f"number {i + 1}"
        workplace = _valid_id(plan.get("workplace"))
        if workplace is not None and workplace not in workplaces:
            e.add(("action_plans", i, "workplace"),
                  f"action plan {pid} is for workplace {workplace}, which is not in workplaces")
        track = _valid_id(plan.get("track"))
        if track is not None and track not in tracks:
            e.add(("action_plans", i, "track"), f"action plan {pid} takes track {track}, which is not in tracks")

        home_wp = workplaces.get(workplace) if workplace is not None else None
        search_order = ([home_wp] if home_wp is not None else []) + [w for w in teams_by_wp if w != home_wp]
        per_team: dict[tuple[int, str], int] = {}
        named_here: set[str] = set()
        counted_teams: set[str] = set()
        for k, part in _objects(plan, "participants"):
            path = ("action_plans", i, "participants", k)
            team = _valid_id(part.get("team"))
            found = None
            if team is not None and isinstance(doc.get("workplaces"), list):
                found = next((w for w in search_order if team in teams_by_wp.get(w, {})), None)
                if found is None:
                    where = (f"neither workplace {workplace} nor any other workplace" if home_wp is not None
                             else "no workplace")
                    e.add((*path, "team"),
                          f"action plan {pid} has participants from team {team}, but {where} has a team {team}")
            name = _valid_id(part.get("id")) if "count" not in part else None
            count = _valid_int(part.get("count")) if "id" not in part else None
            if name is not None:
                if name in named_here:
                    e.add((*path, "id"), f"participant {name} is listed twice in action plan {pid}")
                named_here.add(name)
                named_ids.setdefault(name, pid)
                if found is not None:
                    where = (wp_ids.get(found) or f"number {found + 1}", team, pid)
                    earlier = person_team.setdefault(name, where)
                    if earlier[:2] != where[:2] and earlier[2] != pid:
                        e.add((*path, "team"),
                              f"participant {name} is in team {team} of workplace {where[0]} here, but in team "
                              f"{earlier[1]} of workplace {earlier[0]} in action plan {earlier[2]}; "
                              "one person belongs to one team")
            if count is not None and count >= 1 and team is not None:
                if team in counted_teams:
                    e.add((*path, "team"),
                          f"action plan {pid} counts participants from team {team} in two entries; "
                          "give them as one entry with the total count")
                counted_teams.add(team)
                if _valid_id(plan.get("id")) is not None:
                    counted.append((path, pid, team, count))
            if found is not None:
                n = 1 if name is not None else (count if count is not None and count >= 1 else 0)
                per_team[(found, team)] = per_team.get((found, team), 0) + n
        for (w, team), n in per_team.items():
            team_obj = teams_by_wp[w].get(team)
            headcount = _valid_int(team_obj.get("headcount")) if isinstance(team_obj, Mapping) else None
            if headcount is not None and headcount >= 1 and n > headcount:
                e.add(("action_plans", i, "participants"),
                      f"action plan {pid} has {n} participants from team {team}, "
                      f"more than the team's headcount of {headcount}")

        # Dates, with the defaults filled in as load_scenario will.
        earliest = parse_date(plan["earliest"]) if "earliest" in plan else h_start
        deadline = parse_date(plan["deadline"]) if "deadline" in plan else h_end
        target = parse_date(plan["target"]) if "target" in plan else None
        if earliest and deadline and deadline < earliest:
            if "deadline" in plan:
                note = "" if "earliest" in plan else ", the horizon start"
                e.add(("action_plans", i, "deadline"),
                      f"deadline ({deadline}) of action plan {pid} is before its earliest date ({earliest}{note})")
            else:
                e.add(("action_plans", i, "earliest"),
                      f"earliest ({earliest}) of action plan {pid} is after its deadline ({deadline}, the horizon end)")
        if earliest and target and target < earliest:
            note = "" if "earliest" in plan else ", the horizon start"
            e.add(("action_plans", i, "target"),
                  f"target ({target}) of action plan {pid} is before its earliest date ({earliest}{note})")

    # Counted participants get ids <plan>-<team>-<n>: they must not clash with other ids.
    generated: dict[str, str] = {}
    for path, plan_id, team, count in counted:
        for n in range(1, count + 1):
            pid = f"{plan_id}-{team}-{n}"
            clash = named_ids.get(pid)
            if clash is None and pid in generated and generated[pid] != plan_id:
                clash = generated[pid]
            if clash is not None:
                e.add(path, f"the generated participant id {pid} (count of team {team} in action plan "
                            f"{plan_id}) is also a participant id in action plan {clash}")
                break
            generated[pid] = plan_id
    return e


# --------------------------------------------------------------------------------------
# Schedule schemas
# --------------------------------------------------------------------------------------


class CohortSchema(BaseSchema):
    id = Id(required=True)
    track = Id(required=True)
    workplaces = _id_list(required=True)
    participants = _id_list(required=True)


class SessionSchema(BaseSchema):
    id = Id(required=True)
    cohort = Id(required=True)
    module = Id(required=True)
    index = Int(required=True, validate=_at_least(1))
    start = OffsetDateTime(required=True)
    end = OffsetDateTime(required=True)
    trainer = Id(required=True)
    room = Id(load_default=None, allow_none=True, metadata={"description": "null for remote sessions"})
    interpreters = _id_list(load_default=list)

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        start, end = _parse_offset_datetime(data.get("start")), _parse_offset_datetime(data.get("end"))
        if start and end and end <= start:
            raise ValidationError({"end": [
                _Sentence("end ({end}){of} is not after its start ({start})", end=data["end"], start=data["start"])
            ]})


class UnscheduledSchema(BaseSchema):
    cohort = Id(required=True)
    module = Id(required=True)
    index = Int(required=True, validate=_at_least(1))
    reason = Text(required=True, validate=validate.Length(min=1, error="must not be empty"))


class UnassignedParticipantSchema(BaseSchema):
    participant = Id(required=True)
    action_plan = Id(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, error="must not be empty"))


class ObjectiveBreakdownSchema(BaseSchema):
    """Each objective term by name (extra keys are allowed and kept)."""

    class Meta:
        unknown = "include"

    unscheduled_session = Num(required=True)
    unassigned_participant = Num(required=True)
    backfill_per_hour = Num(required=True)
    overtime_per_hour = Num(required=True)
    trainer_cost = Num(required=True)
    travel_per_minute = Num(required=True)
    late_per_day = Num(required=True)
    trainer_change = Num(required=True)


class KpisSchema(BaseSchema):
    """At least the spec's kpis; extra keys are allowed and kept."""

    class Meta:
        unknown = "include"

    sessions_total = Int(required=True, validate=_at_least(0))
    sessions_scheduled = Int(required=True, validate=_at_least(0))
    backfill_hours = Num(required=True, validate=_at_least(0))
    overtime_hours = Num(required=True, validate=_at_least(0))
    travel_minutes = Num(required=True, validate=_at_least(0))
    objective_breakdown = Obj(ObjectiveBreakdownSchema, required=True)


class ScheduleSchema(BaseSchema):
    """A ``modulplan/schedule-1`` document."""

    format = FormatTag(SCHEDULE_FORMAT, other=SCENARIO_FORMAT, other_name="scenario", required=True)
    scenario = Id(required=True, metadata={"description": "the scenario id"})
    status = Text(required=True, validate=_one_of(STATUSES))
    objective = Num(required=True, allow_none=True)
    bound = Num(required=True, allow_none=True, metadata={"description": "best proven lower bound, or null"})
    solve_seconds = Num(required=True, validate=_at_least(0))
    cohorts = _nested_list(CohortSchema, required=True)
    sessions = _nested_list(SessionSchema, required=True)
    unscheduled = _nested_list(UnscheduledSchema, required=True)
    unassigned_participants = _nested_list(UnassignedParticipantSchema, required=True)
    kpis = Obj(KpisSchema, required=True)
    # Optional, reserved for what-if runs and progress reports.
    moved = ListOf(fields.Raw(), metadata={"description": "what-if: sessions moved from the baseline"})
    added = ListOf(fields.Raw(), metadata={"description": "what-if: sessions added to the baseline"})
    cancelled = ListOf(fields.Raw(), metadata={"description": "what-if: baseline sessions cancelled"})
    progress = fields.Raw(allow_none=True, metadata={"description": "solver progress report"})
    replan = fields.Raw(allow_none=True, metadata={
        "description": "what-if: the baseline, freeze_until, move_session weight and a reason per changed session"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_check(self, data, original, **kwargs):
        if not isinstance(original, Mapping):
            return
        e = _Errors()
        cohorts = _index_ids(e, original, "cohorts")
        _index_ids(e, original, "sessions")
        for key in ("sessions", "unscheduled"):
            for i, item in _objects(original, key):
                cohort = _valid_id(item.get("cohort"))
                if cohort is not None and cohort not in cohorts:
                    e.add((key, i, "cohort"), f"{_NOUNS[key]} number {i + 1} names cohort {cohort}, "
                                              "which is not in cohorts")
        e.raise_if_any()


# --------------------------------------------------------------------------------------
# From marshmallow's nested error dict to sorted FieldErrors
# --------------------------------------------------------------------------------------

_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _render_path(path: Iterable) -> str:
    out = "$"
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif _SIMPLE_KEY.match(str(seg)):
            out += f".{seg}"
        else:
            out += f"[{json.dumps(str(seg), ensure_ascii=False)}]"
    return out


def _flatten(messages: Any, path: tuple) -> Iterable[tuple[tuple, str]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _flatten(value, path if key == "_schema" else (*path, key))
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            yield from _flatten(value, path)
    else:
        yield path, messages


def _lookup(root: Any, path: tuple) -> tuple[bool, Any]:
    node = root
    for seg in path:
        if (isinstance(seg, int) and isinstance(node, list) and 0 <= seg < len(node)) or (
            isinstance(node, Mapping) and seg in node
        ):
            node = node[seg]
        else:
            return False, None
    return True, node


def _order_key(root: Any, path: tuple) -> tuple:
    key = []
    node = root
    for seg in path:
        if isinstance(seg, int):
            key.append(seg)
            node = node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
        elif isinstance(node, Mapping):
            keys = list(node)
            # A missing key (a required field) sorts after the present ones; among
            # themselves missing keys keep marshmallow's order, which is the spec order.
            key.append(keys.index(seg) if seg in node else len(keys))
            node = node.get(seg)
        else:
            key.append(0)
            node = None
    return tuple(key)


def _item_label(root: Any, path: tuple) -> tuple[str, bool]:
    """(label, enough-on-its-own) for the list item at ``path`` (which ends in an index)."""
    index = path[-1]
    list_key = path[-2] if len(path) > 1 and isinstance(path[-2], str) else None
    noun = _NOUNS.get(list_key) if list_key else None
    if noun is None:
        return f"entry {index + 1} of {list_key or 'the list'}", False
    _, item = _lookup(root, path)
    ident = item.get("id") if isinstance(item, Mapping) else None
    if isinstance(ident, str) and ident.strip():
        return f"{noun} {ident.strip()}", list_key not in _QUALIFIED_ITEMS
    return f"{noun} number {index + 1}", False


def _owner(root: Any, path: tuple) -> str:
    """Describes the object at ``path``: "team vard-dag", "closed period number 1 of calendar"."""
    labels: list[tuple[str, bool]] = []
    for k in range(1, len(path) + 1):
        seg = path[k - 1]
        if isinstance(seg, int):
            labels.append(_item_label(root, path[:k]))
        elif k == len(path) or not isinstance(path[k], int):
            labels.append((str(seg), True))  # an object under a key: horizon, calendar, kpis ...
    if not labels:
        return ""
    phrase, enough = labels[-1]
    for label, label_enough in reversed(labels[:-1]):
        if enough:
            break
        phrase += f" of {label}"
        enough = label_enough
    return phrase


def _show(value: Any) -> str | None:
    """A short JSON rendering of a scalar, or None (lists and objects are not repeated)."""
    if isinstance(value, (list, Mapping)) or value is None:
        return None
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # a Python caller passed a non-JSON value
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_unused(path: tuple, message: Any) -> bool:
    """An unknown field that is not a likely misspelling: a warning, the field is ignored."""
    return isinstance(message, _UnknownField) and bool(path) and message.is_unused(path[-1])


def _sentence(root: Any, path: tuple, message: Any, document: str) -> str:
    leaf_is_key = bool(path) and not isinstance(path[-1], int)
    owner = _owner(root, path[:-1] if leaf_is_key else path)
    if isinstance(message, _Sentence):
        return message.render(owner)
    text = str(message)
    if isinstance(message, _UnknownField) and leaf_is_key:
        key, who = path[-1], owner or "the " + document
        if key in message.misplaced:
            return f'{who} has an unknown field "{key}"; {message.misplaced[key]}'
        meant = message.meant(key)
        if meant is not None:
            return f'{who} has an unknown field "{key}"; did you mean \'{meant}\'?'
        return f'{who} has a field "{key}" that modulplan does not use; it is ignored'
    if text == UNKNOWN_FIELD and leaf_is_key:
        return (f'{owner or "the " + document} has an unknown field "{path[-1]}"; '
                'extension fields must start with "x-" or "x_"')
    if not path:
        subject = f"the {document}"
    elif leaf_is_key:
        subject = f"{path[-1]} of {owner}" if owner else str(path[-1])
    else:
        subject = owner
    if text.startswith(("must ", "is ")):
        sentence = f"{subject} {text}"
        if text.startswith("must "):
            found, value = _lookup(root, path)
            shown = _show(value) if found else None
            if not path:
                shown = "a list" if isinstance(root, list) else "null" if root is None else _show(root)
            if shown is not None:
                sentence += f" (got {shown})"
        return sentence
    return f"{subject}: {text}"


def _problems(messages: Any, data: Any, document: str) -> tuple[list[FieldError], list[tuple[tuple, FieldError]]]:
    """(errors, [(path, warning)]), each sorted by where it appears in ``data``."""
    found: list[tuple[tuple, int, FieldError, tuple, bool]] = []
    seen: set[FieldError] = set()
    flat = list(_flatten(messages, ()))
    # A misspelt field already says which field it meant: no second error that that one is missing.
    meant = {(*path[:-1], message.meant(path[-1])) for path, message in flat
             if isinstance(message, _UnknownField) and path and isinstance(path[-1], str)}
    for n, (path, message) in enumerate(flat):
        if path in meant and str(message) == _COMMON_MESSAGES["required"]:
            continue
        error = FieldError(_render_path(path), _sentence(data, path, message, document))
        if error not in seen:
            seen.add(error)
            found.append((_order_key(data, path), n, error, path, _is_unused(path, message)))
    found.sort(key=lambda item: (item[0], item[1]))
    errors = [error for _, _, error, _, unused in found if not unused]
    warnings = [(path, error) for _, _, error, path, unused in found if unused]
    return errors, warnings


def field_problems(messages: Any, data: Any, *, document: str = "scenario") -> tuple[list[FieldError],
                                                                                     list[FieldError]]:
    """marshmallow error messages -> (errors, warnings), each sorted by where it appears in ``data``.

    Warnings are the unknown fields that are not likely misspellings (see ``Unknown fields``).
    """
    errors, warnings = _problems(messages, data, document)
    return errors, [warning for _, warning in warnings]


def field_errors(messages: Any, data: Any, *, document: str = "scenario") -> list[FieldError]:
    """marshmallow error messages -> FieldErrors sorted by where they appear in ``data``
    (the errors of :func:`field_problems`; warnings are left out)."""
    return field_problems(messages, data, document=document)[0]


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def _without(node: Any, removals: Mapping) -> Any:
    """A copy of ``node`` without the keys in the ``removals`` tree ({key: None} removes key;
    {key: {...}} recurses).  Only the containers on the way are copied."""
    if isinstance(node, Mapping):
        out: Any = dict(node)
    elif isinstance(node, list):
        out = list(node)
    else:
        return node
    for seg, sub in removals.items():
        if sub is None:
            if isinstance(out, dict):
                out.pop(seg, None)
        elif (isinstance(out, dict) and seg in out) or (
                isinstance(out, list) and isinstance(seg, int) and 0 <= seg < len(out)):
            out[seg] = _without(out[seg], sub)
    return out


def _removal_tree(paths: Iterable[tuple]) -> dict:
    tree: dict = {}
    for path in paths:
        node = tree
        for seg in path[:-1]:
            child = node.get(seg)
            if child is None:
                child = node[seg] = {}
            node = child
        node[path[-1]] = None
    return tree


def _load(schema: Schema, data: Any, document: str) -> tuple[dict, list[FieldError]]:
    """(normalized copy, warnings); raises ScenarioInvalid with every error (and the warnings).

    marshmallow reports every unknown field at its path; when those are all only warnings,
    the document is loaded again without them (so they are left out of the normalized copy).
    First of all, the document must be within the limits (``scheduler.format.limits``): beyond them
    nothing else is looked at.
    """
    from scheduler.format.limits import current_limits, limit_problems, shape_problems

    beyond = (limit_problems(data) if document == "scenario" else shape_problems(data, current_limits()))
    if beyond:
        raise ScenarioInvalid([FieldError(path, message) for path, message in beyond], beyond_limits=True)
    try:
        return schema.load(data), []
    except ValidationError as err:
        errors, unused = _problems(err.messages, data, document)
    warnings = [warning for _, warning in unused]
    if errors or not unused:
        raise ScenarioInvalid(errors, warnings)
    try:
        return schema.load(_without(data, _removal_tree(path for path, _ in unused))), warnings
    except ValidationError as err:  # not expected: leaving fields out brought up a new problem
        errors, _ = _problems(err.messages, data, document)
        raise ScenarioInvalid(errors or [FieldError("$", f"the {document} cannot be read")], warnings) from None


def load_scenario_with_warnings(data: dict) -> tuple[dict, list[FieldError]]:
    """Validate a scenario document: (normalized copy, warnings).

    Warnings name the fields the format does not know (each is ignored: left out of the
    copy); raises :class:`ScenarioInvalid` with every error (and ``warnings``) otherwise.
    """
    return _load(ScenarioSchema(), data, "scenario")


def load_scenario(data: dict) -> dict:
    """Validate a scenario document and return its normalized copy (defaults filled in).

    Unknown fields that are not misspellings are ignored silently here; use
    :func:`load_scenario_with_warnings` to show them.
    """
    return load_scenario_with_warnings(data)[0]


def load_schedule_with_warnings(data: dict) -> tuple[dict, list[FieldError]]:
    """Validate a schedule document: (normalized copy, warnings), as :func:`load_scenario_with_warnings`."""
    return _load(ScheduleSchema(), data, "schedule")


def load_schedule(data: dict) -> dict:
    """Validate a schedule document; returns a normalized copy (``interpreters``/``room`` filled)."""
    return load_schedule_with_warnings(data)[0]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json_file(path: str | Path) -> dict:
    """Read a JSON document; syntax errors become :class:`ScenarioInvalid` at path ``$``.

    File-system errors (missing file, no permission) propagate as ``OSError``.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} is not UTF-8 text (byte {err.start} cannot be read); save it as UTF-8")]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}")]) from None
    except ValueError as err:
        raise ScenarioInvalid([FieldError("$", f"{path.name} is not valid JSON: {err}")]) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} holds {kind}, but a scenario or schedule is a JSON object")])
    return data
