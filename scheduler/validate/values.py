"""Single raw JSON values (numbers, dates, clock times, weekdays), intervals, and message words.

The scenario and schedule arrive as raw dicts, so every value may be missing or of the
wrong type; these helpers return None for what they cannot read instead of raising.
Instants are plain ``float`` seconds since the Unix epoch.  The last helpers write numbers and
lists of ids the way violation messages show them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

DAY_SECONDS = 86400.0
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Swedish spellings users write in their own data (with and without diacritics)
WEEKDAYS_SV = {"mån": 0, "man": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "lor": 5, "sön": 6, "son": 6}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EPS = 1e-6  # seconds; instants are exact to the second in practice


def nonempty_str(x: Any) -> str | None:
    """A non-empty string, else None."""
    return x if isinstance(x, str) and x else None


def number(x: Any) -> float | None:
    """A finite JSON number (not a boolean) as float, else None."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return float(x)


def integer(x: Any) -> int | None:
    """A JSON integer (or a float with no fraction; not a boolean), else None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return x
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return None


def clock_minutes(s: Any) -> int | None:
    """'HH:MM' (or 'HH:MM:SS') -> minutes after midnight; '24:00' -> 1440."""
    if not isinstance(s, str):
        return None
    parts = s.strip().split(":")
    if len(parts) < 2:
        return None
    try:
        h, m = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m != 0):
        return None
    return h * 60 + m


def iso_date(s: Any) -> date | None:
    """An ISO date 'YYYY-MM-DD' (or a date object), else None."""
    if isinstance(s, date) and not isinstance(s, datetime):
        return s
    if not isinstance(s, str) or len(s.strip()) != 10:
        return None
    try:
        return date.fromisoformat(s.strip())
    except ValueError:
        return None


def weekday_number(s: Any) -> int | None:
    """Monday = 0 .. Sunday = 6 from an English or Swedish day name (first three letters)."""
    if not isinstance(s, str) or len(s) < 3:
        return None
    key = s.strip().lower()[:3]
    if key in WEEKDAYS:
        return WEEKDAYS.index(key)
    return WEEKDAYS_SV.get(key)


def days_from_to(d0: date, d1: date) -> Iterable[date]:
    """Every date from d0 to d1, both included."""
    d = d0
    while d <= d1:
        yield d
        d += timedelta(days=1)


def merge_intervals(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merge overlapping or touching intervals (input need not be sorted)."""
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def longest_free(starts: list[float], ends: list[float], w: float, we: float) -> float:
    """Longest stretch inside [w, we) not covered by the merged, sorted blocks.

    Free time at either edge of the window counts (it is free time inside the
    window); blocks are clipped to the window.
    """
    j = bisect_right(ends, w)  # first block that ends after the window opens
    cursor = w
    best = 0.0
    n = len(starts)
    while j < n and starts[j] < we:
        st = starts[j]
        if st > cursor:
            best = max(best, st - cursor)
        if ends[j] > cursor:
            cursor = ends[j]
        if cursor >= we:
            return best
        j += 1
    return max(best, we - cursor)


def plural(n: int, word: str) -> str:
    """'1 session', '2 sessions'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def fmt_num(x: float) -> str:
    """A number as messages show it: whole numbers without decimals, others with two."""
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.2f}"


def id_list(items: Iterable[str], limit: int = 8) -> str:
    """Ids joined by commas; beyond ``limit`` of them, '... and N more'."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
