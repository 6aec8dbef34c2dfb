"""Time: real elapsed minutes, the session start slots, shift instances, availability.

All instants inside the optimizer are integer minutes of real elapsed time since
`Clock.epoch` (local midnight two days before the horizon, as UTC). Converting
every local wall time to UTC first is what makes daylight saving come out right:
a night shift over the spring change is one hour shorter, an 08:00 session is
08:00 local on both sides of the change.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holidays_pkg

from scheduler.domain import Interpreter, Period, Scenario, Team, Trainer, WeeklyWindow

Interval = tuple[int, int]  # [start, end) in minutes


class Clock:
    """Converts between local wall time in the scenario's zone and elapsed minutes."""

    def __init__(self, tz_name: str, first_day: date):
        self.tz = ZoneInfo(tz_name)
        self.epoch = datetime.combine(first_day, time()).replace(tzinfo=self.tz).astimezone(UTC)
        # (date, time) -> minutes: shifts, windows and slots ask for the same few thousand
        # instants millions of times at national size (3 400 teams' rotas).
        self._at: dict[tuple[date, time], int] = {}

    def minute(self, local: datetime) -> int:
        """Local naive wall time -> minutes. A non-existent time (spring) takes the
        offset before the change and an ambiguous one (autumn) the first occurrence:
        that is zoneinfo's fold=0."""
        utc = local.replace(tzinfo=self.tz, fold=0).astimezone(UTC)
        return int((utc - self.epoch).total_seconds() // 60)

    def at(self, day: date, t: time) -> int:
        key = (day, t)
        got = self._at.get(key)
        if got is None:
            got = self._at[key] = self.minute(datetime.combine(day, t))
        return got

    def local(self, minute: int) -> datetime:
        """Minutes -> aware local datetime (with the correct UTC offset)."""
        return (self.epoch + timedelta(minutes=minute)).astimezone(self.tz)

    def iso(self, minute: int) -> str:
        return self.local(minute).isoformat(timespec="seconds")

    def local_date(self, minute: int) -> date:
        return self.local(minute).date()


@dataclass(frozen=True)
class Slot:
    """One allowed session start: a date and a start time of the calendar."""

    index: int
    day: date
    start_time: time
    minute: int
    # Derived once (the search asks for them millions of times): the day's ordinal, and a
    # running ISO-week number (weeks since 0001-01-01's Monday).
    day_number: int = field(init=False, compare=False, repr=False)
    week_number: int = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "day_number", self.day.toordinal())
        object.__setattr__(self, "week_number", (self.day.toordinal() - self.day.weekday()) // 7)


@dataclass(frozen=True)
class ShiftInstance:
    team: tuple[str, str]
    shift_type: str
    day: date  # the date the shift starts on
    start: int
    end: int


def closed_days(scenario: Scenario) -> dict[date, str]:
    """Every date on which no session may start, with the reason in words."""
    out: dict[date, str] = {}
    cal = scenario.calendar
    if cal.holidays:
        years = range(scenario.horizon_start.year - 1, scenario.horizon_end.year + 2)
        for d, name in holidays_pkg.country_holidays(cal.holidays, years=years).items():
            out[d] = f"public holiday ({name})"
    for start, end, reason in cal.closed:
        d = start
        while d <= end:
            out.setdefault(d, f"closed ({reason})" if reason else "closed period")
            d += timedelta(days=1)
    return out


class Timeline:
    """The scenario's time facts, computed once and shared by the model and heuristics."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.clock = Clock(scenario.timezone, scenario.horizon_start - timedelta(days=2))
        self.closed = closed_days(scenario)
        self._rotas: dict[tuple, list[tuple]] = {}  # see _rota

    # -- calendar ---------------------------------------------------------
    @cached_property
    def slots(self) -> list[Slot]:
        """Rule 2's allowed starts: horizon dates on allowed weekdays, not holidays or closed, at a start time."""
        sc = self.scenario
        out: list[Slot] = []
        d = sc.horizon_start
        while d <= sc.horizon_end:
            if d.weekday() in sc.calendar.weekdays and d not in self.closed:
                for t in sc.calendar.start_times:
                    minute = self.clock.at(d, t)
                    if self.clock.local(minute).time() != t:
                        continue  # this wall time does not exist on that date (the spring DST gap)
                    out.append(Slot(len(out), d, t, minute))
            d += timedelta(days=1)
        return out

    def day_end(self, day: date) -> int:
        """The instant 24:00 of a local date."""
        return self.clock.at(day + timedelta(days=1), time())

    def day_start(self, day: date) -> int:
        return self.clock.at(day, time())

    # -- shifts -----------------------------------------------------------
    @cached_property
    def shift_instances(self) -> dict[tuple[str, str], list[ShiftInstance]]:
        """Every team's shifts from its pattern and offset, one day beyond the horizon on each side."""
        sc = self.scenario
        out: dict[tuple[str, str], list[ShiftInstance]] = {}
        first, last = sc.horizon_start - timedelta(days=2), sc.horizon_end + timedelta(days=2)
        for team in sc.teams.values():
            out[team.key] = self._team_shifts(team, first, last)
        return out

    def _team_shifts(self, team: Team, first: date, last: date) -> list[ShiftInstance]:
        return [ShiftInstance(team.key, code, d, a, b) for code, d, a, b in self._rota(team.pattern, team.offset_days,
                                                                                       first, last)]

    def _rota(self, pattern_id: str, offset_days: int, first: date, last: date) -> list[tuple]:
        """(shift code, date, start, end) of a pattern at an offset: the same for every team
        that shares them (national programmes have thousands of teams on a few rotas)."""
        key = (pattern_id, offset_days, first, last)
        if key in self._rotas:
            return self._rotas[key]
        sc = self.scenario
        pattern = sc.shift_patterns[pattern_id]
        shifts, d = [], first
        while d <= last:
            code = pattern.shift_on(d - timedelta(days=offset_days))
            if code is not None:
                st = sc.shift_types[code]
                end_day = d + timedelta(days=1) if st.end <= st.start else d
                shifts.append((code, d, self.clock.at(d, st.start), self.clock.at(end_day, st.end)))
            d += timedelta(days=1)
        self._rotas[key] = shifts
        return shifts

    @cached_property
    def rota_of(self) -> dict[tuple[str, str], tuple[str, int]]:
        """Each team's rota, (pattern, offset in days): teams on one rota work the same shifts,
        so every answer that depends only on the shifts (fit, rest, masks) is shared by them."""
        return {t.key: (t.pattern, t.offset_days) for t in self.scenario.teams.values()}

    @cached_property
    def shift_union(self) -> dict[tuple[str, str], list[Interval]]:
        """Each team's shifts as sorted, merged intervals (touching shifts merge); teams on the
        same rota share one list (never changed in place)."""
        by_rota: dict[tuple[str, int], list[Interval]] = {}
        out = {}
        for team in self.scenario.teams.values():
            rota = (team.pattern, team.offset_days)
            if rota not in by_rota:
                by_rota[rota] = merge_intervals([(s.start, s.end) for s in self.shift_instances[team.key]])
            out[team.key] = by_rota[rota]
        return out

    @cached_property
    def team_blocked(self) -> dict[tuple[str, str], list[Interval]]:
        """Each team's ``blocked`` periods (when it releases nobody for training, rule 7) as
        sorted, merged intervals; teams without any are left out."""
        return {t.key: merge_intervals([self.period(p) for p in t.blocked])
                for t in self.scenario.teams.values() if t.blocked}

    # -- availability -------------------------------------------------------
    def availability(self, person: Trainer | Interpreter) -> list[Interval]:
        """When a trainer or interpreter may teach: weekly windows minus unavailable periods, merged."""
        sc = self.scenario
        first, last = sc.horizon_start - timedelta(days=2), sc.horizon_end + timedelta(days=2)
        if person.available is None:
            base = [(self.clock.at(first, time()), self.clock.at(last, time()))]
        else:
            base = []
            d = first
            while d <= last:
                for w in person.available:
                    if w.weekday == d.weekday():
                        base.append(self._window(d, w))
                d += timedelta(days=1)
            base = merge_intervals(base)
        blocked = merge_intervals([self.period(p) for p in person.unavailable])
        return subtract_intervals(base, blocked)

    def _window(self, day: date, w: WeeklyWindow) -> Interval:
        end_day = day + timedelta(days=1) if w.end <= w.start else day
        return (self.clock.at(day, w.start), self.clock.at(end_day, w.end))

    def period(self, p: Period) -> Interval:
        return (self.clock.minute(p.start), self.clock.minute(p.end))


# -- interval helpers ---------------------------------------------------------

def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def subtract_intervals(base: list[Interval], cut: list[Interval]) -> list[Interval]:
    out = []
    for a, b in base:
        cur = a
        for c, d in cut:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
        if cur < b:
            out.append((cur, b))
    return out


def covers(merged: list[Interval], a: int, b: int) -> bool:
    """True if [a, b) lies inside one of the merged intervals."""
    i = bisect.bisect_right(merged, (a, float("inf"))) - 1
    return i >= 0 and merged[i][0] <= a and b <= merged[i][1]


def overlap_minutes(merged: list[Interval], a: int, b: int) -> int:
    """Minutes of [a, b) inside the union of merged intervals."""
    total = 0
    i = max(0, bisect.bisect_right(merged, (a, float("inf"))) - 1)
    while i < len(merged) and merged[i][0] < b:
        lo, hi = max(a, merged[i][0]), min(b, merged[i][1])
        if hi > lo:
            total += hi - lo
        i += 1
    return total


def intervals_near(merged: list[Interval], a: int, b: int) -> list[Interval]:
    """The intervals that intersect [a, b]."""
    i = max(0, bisect.bisect_right(merged, (a, float("inf"))) - 1)
    out = []
    while i < len(merged) and merged[i][0] <= b:
        if merged[i][1] >= a:
            out.append(merged[i])
        i += 1
    return out
