"""The building blocks of the schemas: modulplan's marshmallow fields and the base schema.

Field messages are predicates ("must be a whole number"); ``scheduler.format.sentences``
puts the field and its owner in front and the offending value behind. The fields keep
dates and times as the validated strings (a normalized scenario stays JSON); only weekday
names and the holiday country code are rewritten to their canonical form.

:class:`BaseSchema` reports unknown fields (see ``UnknownField``) and lets extension
fields (``x-...`` / ``x_...``) pass through untouched.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from scheduler.format.problems import COMMON_MESSAGES, UNKNOWN_FIELD, UnknownField
from scheduler.format.values import parse_date, parse_local_datetime, parse_offset_datetime, parse_time, valid_int
from scheduler.format.vocabulary import WEEKDAY_ALIASES, WEEKDAYS


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



class Text(fields.String):
    """Any string (names, reasons, free-text qualifications and features)."""

    default_error_messages = {**COMMON_MESSAGES, "invalid": "must be text", "invalid_utf8": "must be text"}

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

    default_error_messages = {**COMMON_MESSAGES, "invalid": "must be a whole number"}

    def _deserialize(self, value, attr, data, **kwargs):
        result = valid_int(value)
        if result is None:
            raise self.make_error("invalid")
        return result


class Num(fields.Number):
    """A finite number (int or float, kept as given); strings and booleans are rejected."""

    num_type = float  # for marshmallow's own machinery; loading keeps ints as ints
    default_error_messages = {**COMMON_MESSAGES, "invalid": "must be a number"}

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

    default_error_messages = {**COMMON_MESSAGES, "invalid": "must be true or false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class IsoDate(fields.Date):
    """A date ``YYYY-MM-DD``, kept as the string."""

    default_error_messages = {
        **COMMON_MESSAGES,
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
        **COMMON_MESSAGES,
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
        **COMMON_MESSAGES,
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
        if isinstance(value, str) and parse_offset_datetime(value) is not None:
            raise self.make_error("offset")
        raise self.make_error("invalid")


class OffsetDateTime(fields.String):
    """An ISO 8601 date-time with a UTC offset (schedule times), kept as the string."""

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": (
            "must be an ISO 8601 date-time with a UTC offset, "
            "such as 2026-03-12T08:00:00+01:00"
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"format": "date-time", "example": "2026-03-12T08:00:00+01:00"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if parse_offset_datetime(value) is None:
            raise self.make_error("invalid")
        return value


class Weekday(fields.String):
    """``mon``..``sun``; Swedish abbreviations and any case accepted, normalized to English."""

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": "must be a weekday: mon, tue, wed, thu, fri, sat or sun (Swedish mån .. sön also work)",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"enum": list(WEEKDAYS)})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        day = WEEKDAY_ALIASES.get(value.strip().lower()) if isinstance(value, str) else None
        if day is None:
            raise self.make_error("invalid")
        return day


class TimeZoneName(fields.String):
    """An IANA time zone name known to ``zoneinfo``."""

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": 'must be an IANA time zone name such as "Europe/Stockholm"',
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not value or not _known_timezone(value):
            raise self.make_error("invalid")
        return value


class HolidayCountry(fields.String):
    """A country code known to the ``holidays`` package (normalized to upper case)."""

    default_error_messages = {
        **COMMON_MESSAGES,
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

    default_error_messages = {**COMMON_MESSAGES}

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
    default_error_messages = {**COMMON_MESSAGES, "invalid": "must be a list"}


class Obj(fields.Nested):
    default_error_messages = {**COMMON_MESSAGES, "type": "must be a JSON object"}


def at_least(n: int | float) -> validate.Range:
    return validate.Range(min=n, error="must not be negative" if n == 0 else "must be at least {min}")


def between(lo: int | float, hi: int | float) -> validate.Range:
    return validate.Range(min=lo, max=hi, error="must be between {min} and {max}")


def not_empty(what: str) -> validate.Length:
    return validate.Length(min=1, error=f"must list at least one {what}")


def one_of(choices: Iterable[str]) -> validate.OneOf:
    choices = list(choices)
    return validate.OneOf(choices, error="must be one of " + ", ".join(choices))


def id_list(**kwargs) -> ListOf:
    return ListOf(Id(), **kwargs)


def text_list(**kwargs) -> ListOf:
    kwargs.setdefault("load_default", list)
    return ListOf(Text(), **kwargs)



def _is_extension(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(("x-", "x_"))



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
        self.error_messages = {**self.error_messages, "unknown": UnknownField(known, self._misplaced)}

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


def nested_list(schema: type[Schema], **kwargs) -> ListOf:
    return ListOf(Obj(schema), **kwargs)
