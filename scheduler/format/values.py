"""Reading single values of a raw (not yet validated) document.

The fields, the cross-record checks and the size limits all read the user's document as it
came, before or beside marshmallow: these helpers say whether a value is a date, a time,
an id, a whole number, and which items of a list are objects. Each returns None (or
skips) instead of raising, so that a value that failed its own field check is simply left
out of the checks that build on it. ``parse_date``, ``parse_time`` and
``parse_local_datetime`` are public: the layers above reuse them on normalized data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

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


def parse_offset_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def valid_id(value: Any) -> str | None:
    """The id if it would pass :class:`Id`, else None (cross-checks skip invalid ids)."""
    if isinstance(value, str) and value and value == value.strip():
        return value
    return None


def valid_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None



def objects_of(parent: Any, key: str) -> list[tuple[int, Mapping[Any, Any]]]:
    items = parent.get(key) if isinstance(parent, Mapping) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]


def period_within(period: object, start: str | None, end: str | None) -> bool:
    """Whether a period as written in a document (``{start, end}`` or a bare date) lies within
    start..end (dates or local date-times, compared as written; a bare date as an end stands
    for the end of that day). With no bounds every period is within. Used where blocked
    periods are lifted (what-if changes and the suggestions that carry them)."""
    if start is None and end is None:
        return True
    first: object
    last: object
    if isinstance(period, str):
        first, last = period, period
    elif isinstance(period, dict):
        first, last = period.get("start"), period.get("end")
    else:
        return False
    return (isinstance(first, str) and isinstance(last, str) and str(start) <= first
            and _day_end(last) <= _day_end(str(end)))


def _day_end(value: str) -> str:
    """An end as written, comparable as text: a bare date stands for the end of that day."""
    return value if "T" in value else value + "T~"  # "~" sorts after every digit

