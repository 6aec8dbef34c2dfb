"""The VTIMEZONE of a calendar: in the yearly-RRULE form Outlook reads whenever the zone has one."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} in scenario") from exc



@dataclass(frozen=True)
class _Transition:
    instant: datetime  # UTC, first instant of the new offset
    offset_from: timedelta
    offset_to: timedelta
    tzname: str

    @property
    def onset(self) -> datetime:
        """Local onset in the *previous* offset, as RFC 5545 wants it."""
        return (self.instant + self.offset_from).replace(tzinfo=None)


def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    """All UTC-offset changes of ``zone`` in the years first..last (inclusive)."""
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    found: list[_Transition] = []
    t = start
    off = t.astimezone(zone).utcoffset()
    while t < stop:
        nxt = t + step
        nxt_off = nxt.astimezone(zone).utcoffset()
        if nxt_off != off:
            lo, hi = t, nxt  # offset(lo) == off, offset(hi) != off
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(zone).utcoffset() == off:
                    lo = mid
                else:
                    hi = mid
            after = hi.astimezone(zone)
            assert off is not None and nxt_off is not None
            found.append(_Transition(hi, off, after.utcoffset() or nxt_off, after.tzname() or ""))
            off = after.utcoffset()
            # the offset may have changed again before nxt (not in practice)
            if off != nxt_off:
                t = hi
                continue
        t, off = nxt, nxt_off
    return found


def _byday(days: list[date]) -> str | None:
    """An RRULE BYDAY like ``-1SU`` or ``2SU`` that matches every date, or None."""
    weekdays = {d.weekday() for d in days}
    if len(weekdays) != 1:
        return None
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekdays.pop()]
    from_end = {-((_calendar.monthrange(d.year, d.month)[1] - d.day) // 7 + 1) for d in days}
    from_start = {(d.day - 1) // 7 + 1 for d in days}
    if from_end == {-1}:
        return f"-1{code}"
    if len(from_start) == 1:
        return f"{from_start.pop()}{code}"
    if len(from_end) == 1:
        return f"{from_end.pop()}{code}"
    return None


def _observance(kind: str, tr: _Transition, rrule: dict[str, Any] | None) -> icalendar.Component:
    sub: icalendar.Component = (
        icalendar.TimezoneDaylight() if kind == "DAYLIGHT" else icalendar.TimezoneStandard()
    )
    sub.add("DTSTART", tr.onset)
    if rrule is not None:
        sub.add("RRULE", rrule)
    sub.add("TZOFFSETFROM", tr.offset_from)
    sub.add("TZOFFSETTO", tr.offset_to)
    if tr.tzname:
        sub.add("TZNAME", tr.tzname)
    return sub


def _rrule_vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone | None:
    """A VTIMEZONE in the yearly-RRULE form, or None if the zone has no such rule.

    Returns a single STANDARD observance for zones without offset changes in
    the period, and one STANDARD plus one DAYLIGHT observance, each with a
    yearly RRULE, for zones whose two yearly changes follow a fixed rule in
    every year of the period. DTSTARTs lie in ``first_year``.
    """
    zone = time_zone(tzid)
    transitions = _transitions(zone, first_year, last_year)
    vtz = icalendar.Timezone()
    vtz.add("TZID", tzid)
    if not transitions:
        moment = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(zone)
        offset = moment.utcoffset() or timedelta(0)
        fixed = _Transition(
            datetime(first_year, 1, 1, tzinfo=UTC) - offset,
            offset,
            offset,
            moment.tzname() or "",
        )
        vtz.add_component(_observance("STANDARD", fixed, None))
        return vtz
    groups: dict[tuple[timedelta, timedelta, str], list[_Transition]] = {}
    for tr in transitions:
        groups.setdefault((tr.offset_from, tr.offset_to, tr.tzname), []).append(tr)
    if len(groups) != 2:
        return None
    years = list(range(first_year, last_year + 1))
    observances = []
    for trs in groups.values():
        onsets = [tr.onset for tr in trs]
        if [o.year for o in onsets] != years:
            return None
        if len({(o.month, o.time()) for o in onsets}) != 1:
            return None
        byday = _byday([o.date() for o in onsets])
        if byday is None:
            return None
        observances.append((trs[0], {"FREQ": "YEARLY", "BYMONTH": onsets[0].month, "BYDAY": byday}))
    (a, ra), (b, rb) = sorted(observances, key=lambda x: x[0].instant)
    if a.offset_to == b.offset_to or a.offset_from != b.offset_to or b.offset_from != a.offset_to:
        return None
    # the observance with the larger UTC offset is daylight saving time
    for tr, rule in sorted(((a, ra), (b, rb)), key=lambda x: x[0].offset_to):
        kind = "DAYLIGHT" if tr.offset_to == max(a.offset_to, b.offset_to) else "STANDARD"
        vtz.add_component(_observance(kind, tr, rule))
    return vtz


def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    vtz = _rrule_vtimezone(tzid, first_year, last_year)
    if vtz is None:  # irregular zone: icalendar's RDATE form, exact for the period
        vtz = icalendar.Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
        )
    return vtz


