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

Every hard rule of the contract has one small function below (``check_*``),
listed in :data:`RULE_CHECKS`; :func:`compute_kpis` recomputes the objective and
:func:`check_kpis` compares it with what the schedule claims.

Conventions used throughout:

* Instants are plain ``float`` seconds since the Unix epoch (real, elapsed
  time).  Converting to them once removes every daylight-saving pitfall of
  wall-clock arithmetic; local wall time is only used for rules on dates and
  clock times.
* A local time that does not exist (spring change) is read with the offset
  before the change and one that occurs twice (autumn) as its first occurrence:
  that is exactly ``fold=0`` in :mod:`zoneinfo`.
* Intervals are half-open ``[start, end)``: sessions that touch do not overlap.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays as _holidays

__all__ = [
    "Violation",
    "ValidationReport",
    "validate",
    "format_report",
    "build_context",
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
    "RULE_NAMES",
    "DEFAULT_WEIGHTS",
]

# --------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------

RULE_NAMES = {
    1: "completeness",
    2: "calendar",
    3: "trainer",
    4: "room",
    5: "cohort",
    6: "order",
    7: "staffing",
    8: "shift_fit",
    9: "daily_rest",
    10: "language",
}
#: rule 0 has two names: "kpis" (claimed KPIs/objective disagree with the
#: recomputed ones) and "format" (a schedule entry that cannot be read).
KPI_RULE_NAME = "kpis"
FORMAT_RULE_NAME = "format"

DEFAULT_WEIGHTS = {
    "unscheduled_session": 100000.0,
    "unassigned_participant": 100000.0,
    "backfill_per_hour": 450.0,
    "overtime_per_hour": 650.0,
    "travel_per_minute": 8.0,
    "late_per_day": 200.0,
    "trainer_change": 300.0,
}
BREAKDOWN_TERMS = (
    "unscheduled_session",
    "unassigned_participant",
    "backfill_per_hour",
    "overtime_per_hour",
    "trainer_cost",
    "travel_per_minute",
    "late_per_day",
    "trainer_change",
)

DEFAULT_TIMEZONE = "Europe/Stockholm"
DEFAULT_START_TIMES = ("08:00", "13:00")
DEFAULT_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

_DAY = 86400.0
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Swedish spellings users write in their own data (with and without diacritics)
_WEEKDAYS_SV = {"mån": 0, "man": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "lor": 5, "sön": 6, "son": 6}
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPS = 1e-6  # seconds; instants are exact to the second in practice


@dataclass(frozen=True)
class Violation:
    """One broken rule, told so that a coordinator understands it."""

    rule: int  # 1..10 per the contract; 0 for KPI mismatches and unreadable entries
    rule_name: str
    message: str
    entities: dict = field(default_factory=dict, hash=False, compare=True)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return f"[rule {self.rule} {self.rule_name}] {self.message}"


@dataclass
class ValidationReport:
    violations: list[Violation]
    kpis: dict

    @property
    def ok(self) -> bool:
        """True when the schedule breaks no rule (KPI mismatches included)."""
        return not self.violations

    def by_rule(self, rule: int) -> list[Violation]:
        return [v for v in self.violations if v.rule == rule]

    @property
    def rules(self) -> set[int]:
        return {v.rule for v in self.violations}


def _v(rule: int, message: str, **entities: Any) -> Violation:
    """A violation of hard rule ``rule`` (0: a KPI/objective mismatch)."""
    return Violation(rule, RULE_NAMES.get(rule, KPI_RULE_NAME), message, entities)


def _fv(message: str, **entities: Any) -> Violation:
    """A rule-0 'format' violation: a schedule entry that cannot be read."""
    return Violation(0, FORMAT_RULE_NAME, message, entities)


# --------------------------------------------------------------------------
# Small parsing helpers
# --------------------------------------------------------------------------


def _str(x: Any) -> str | None:
    return x if isinstance(x, str) and x else None


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return float(x)


def _int(x: Any) -> int | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return x
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return None


def _hm(s: Any) -> int | None:
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


def _date(s: Any) -> date | None:
    if isinstance(s, date) and not isinstance(s, datetime):
        return s
    if not isinstance(s, str) or len(s.strip()) != 10:
        return None
    try:
        return date.fromisoformat(s.strip())
    except ValueError:
        return None


def _weekday(s: Any) -> int | None:
    if not isinstance(s, str) or len(s) < 3:
        return None
    key = s.strip().lower()[:3]
    if key in _WEEKDAYS:
        return _WEEKDAYS.index(key)
    return _WEEKDAYS_SV.get(key)


def _dates(d0: date, d1: date) -> Iterable[date]:
    d = d0
    while d <= d1:
        yield d
        d += timedelta(days=1)


def _merge(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merge overlapping or touching intervals (input need not be sorted)."""
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _longest_free(starts: list[float], ends: list[float], w: float, we: float) -> float:
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fmt_num(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.2f}"


def _ids(items: Iterable[str], limit: int = 8) -> str:
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


# --------------------------------------------------------------------------
# The shared context: everything parsed and expanded once
# --------------------------------------------------------------------------


@dataclass
class _Person:
    id: str
    team: tuple[str, str] | None = None  # (workplace id, team id) of the first listing
    languages: set = field(default_factory=set)
    plans: list = field(default_factory=list)


@dataclass
class _Plan:
    id: str
    workplace: str | None
    track: str | None
    earliest: date
    deadline: date
    target: date
    allow_on_shift: bool
    allow_off_shift: bool
    members: list  # unique participant ids in listing order


@dataclass
class _Cohort:
    id: str
    pos: int
    raw: dict
    track_id: str | None
    track: dict | None
    members: list  # unique ids, listing order
    duplicates: list  # ids listed more than once
    plans: list = field(default_factory=list)  # plans (of this track) of its members
    workplaces: set = field(default_factory=set)  # workplaces of those plans


@dataclass
class _Shift:
    start: float
    end: float
    type: str
    date: date


@dataclass(eq=False)
class _Session:
    pos: int
    id: str
    raw: dict
    cohort_id: str | None
    module_id: str | None
    index: int | None
    a: float | None = None  # start, epoch seconds
    b: float | None = None  # end
    local: datetime | None = None  # local start
    ldate: date | None = None  # local start date
    trainer: Any = None
    room: Any = None
    interpreters: list = field(default_factory=list)
    cohort: _Cohort | None = None
    module: dict | None = None  # the scenario module, if it exists at all
    key_valid: bool = False  # cohort exists, module in its track, index in range

    @property
    def timed(self) -> bool:
        return self.a is not None

    @property
    def members(self) -> list:
        return self.cohort.members if self.cohort is not None else []

    @property
    def location(self) -> str | None:
        if self.module is None:
            return None
        return self.module.get("location") or "any"

    @property
    def key(self):
        return (self.cohort_id, self.module_id, self.index)


class Context:
    """Scenario and schedule parsed once, shared by every check."""

    def __init__(self, scenario: dict, schedule: dict):
        self.scenario = scenario if isinstance(scenario, dict) else {}
        self.schedule = schedule if isinstance(schedule, dict) else {}
        self.format_violations: list[Violation] = []
        if not isinstance(schedule, dict):
            self.format_violations.append(_fv("The schedule is not a JSON object."))
        sc = self.scenario

        # ---- time and calendar
        self.tz = ZoneInfo(sc.get("timezone") or DEFAULT_TIMEZONE)
        hz = sc.get("horizon") or {}
        self.horizon_start = _date(hz.get("start")) or date.min
        self.horizon_end = _date(hz.get("end")) or date.max
        cal = sc.get("calendar") or {}
        wd = cal.get("weekdays")
        if wd is None:
            wd = DEFAULT_WEEKDAYS
        self.weekdays = {w for w in (_weekday(x) for x in wd) if w is not None}
        st = cal.get("start_times")
        if st is None:
            st = DEFAULT_START_TIMES
        self.start_times = {m for m in (_hm(x) for x in st) if m is not None}
        self.start_times_text = ", ".join(str(x) for x in st)
        self.closed = []
        for c in cal.get("closed") or []:
            if isinstance(c, dict):
                c0, c1 = _date(c.get("start")), _date(c.get("end"))
                if c0 and c1:
                    self.closed.append((c0, c1, c.get("reason") or ""))
        code = cal.get("holidays", "SE")
        self.holiday_code = code.strip().upper() if isinstance(code, str) else code
        self._holidays = None
        self.holiday_error = None
        if self.holiday_code:
            try:
                self._holidays = _holidays.country_holidays(self.holiday_code)
            except (NotImplementedError, KeyError, AttributeError, ValueError, TypeError) as exc:
                self.holiday_error = str(exc) or repr(exc)
        r = _num(cal.get("daily_rest_hours"))
        self.rest_hours = 11.0 if r is None else r

        # ---- shifts
        self.shift_types: dict[str, tuple[int, int]] = {}
        for s in sc.get("shift_types") or []:
            s0, s1 = _hm(s.get("start")), _hm(s.get("end"))
            if s.get("id") is not None and s0 is not None and s1 is not None:
                self.shift_types[s["id"]] = (s0, s1)
        self.patterns: dict[str, tuple[date, list]] = {}
        for p in sc.get("shift_patterns") or []:
            anchor = _date(p.get("anchor"))
            if p.get("id") is not None and anchor and p.get("cycle"):
                self.patterns[p["id"]] = (anchor, list(p["cycle"]))

        # ---- places
        self.sites = {s["id"]: s for s in sc.get("sites") or [] if "id" in s}
        tr = sc.get("travel") or {}
        dm = _num(tr.get("default_minutes"))
        self.travel_default = 30.0 if dm is None else dm
        self.travel_pairs: dict[frozenset, float] = {}
        for p in tr.get("pairs") or []:
            m = _num(p.get("minutes"))
            if m is not None and p.get("from") is not None and p.get("to") is not None:
                self.travel_pairs[frozenset((p["from"], p["to"]))] = m
        self.workplaces = {w["id"]: w for w in sc.get("workplaces") or [] if "id" in w}
        self.teams: dict[tuple[str, str], dict] = {}
        self._teams_by_id: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for w in sc.get("workplaces") or []:
            for t in w.get("teams") or []:
                key = (w.get("id"), t.get("id"))
                self.teams[key] = t
                self._teams_by_id[t.get("id")].append(key)
        self.rooms = {r["id"]: r for r in sc.get("rooms") or [] if "id" in r}
        self.trainers = {t["id"]: t for t in sc.get("trainers") or [] if "id" in t}
        self.interpreters = {i["id"]: i for i in sc.get("interpreters") or [] if "id" in i}
        self.modules = {m["id"]: m for m in sc.get("modules") or [] if "id" in m}
        self.tracks = {t["id"]: t for t in sc.get("tracks") or [] if "id" in t}

        # ---- weights
        w = dict(DEFAULT_WEIGHTS)
        for k, v in (sc.get("weights") or {}).items():
            n = _num(v)
            if n is not None:
                w[k] = n
        self.weights = w

        # ---- caches
        self._lt_cache: dict[tuple[date, int], float] = {}
        self._shift_cache: dict[tuple, _Shift | None] = {}
        self._avail_cache: dict[tuple[str, str], Any] = {}

        self._build_people()
        self._build_schedule()

    # ------------------------------------------------------------ time helpers
    def local_ts(self, d: date, minutes: int) -> float:
        """Instant of local wall time ``d`` + ``minutes`` (fold=0 semantics)."""
        key = (d, minutes)
        v = self._lt_cache.get(key)
        if v is None:
            extra, m = divmod(minutes, 1440)
            dd = d + timedelta(days=extra) if extra else d
            v = datetime(dd.year, dd.month, dd.day, m // 60, m % 60, tzinfo=self.tz).timestamp()
            self._lt_cache[key] = v
        return v

    def to_local(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)

    def local_date(self, ts: float) -> date:
        return datetime.fromtimestamp(ts, self.tz).date()

    def fmt(self, ts: float) -> str:
        d = self.to_local(ts)
        return f"{_DAY_NAMES[d.weekday()]} {d:%Y-%m-%d %H:%M}"

    def fmt_span(self, a: float, b: float) -> str:
        da, db = self.to_local(a), self.to_local(b)
        if da.date() == db.date():
            return f"{_DAY_NAMES[da.weekday()]} {da:%Y-%m-%d %H:%M}-{db:%H:%M}"
        return f"{self.fmt(a)} - {self.fmt(b)}"

    def parse_local(self, s: Any, end_of_day: bool = False) -> float | None:
        """A scenario date-time (local) or bare date; a bare date as an end
        means the end of that day."""
        d = _date(s)
        if d is not None:
            return self.local_ts(d + timedelta(days=1), 0) if end_of_day else self.local_ts(d, 0)
        if not isinstance(s, str):
            return None
        try:
            dt = datetime.fromisoformat(s.strip())
        except ValueError:
            return None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=self.tz, fold=0)
        return dt.timestamp()

    def is_holiday(self, d: date) -> str | None:
        if self._holidays is None:
            return None
        name = self._holidays.get(d)
        return name if name else None

    # ------------------------------------------------------------ travel
    def travel(self, x: Any, y: Any) -> float | None:
        """Minutes between two sites; None when a site is unknown."""
        if x is None or y is None:
            return None
        if x == y:
            return 0.0
        try:
            return self.travel_pairs.get(frozenset((x, y)), self.travel_default)
        except TypeError:
            return None

    def site_for(self, s: _Session, person: dict) -> Any:
        """Where ``person`` (trainer/interpreter) is during session ``s``: the
        room's site; a remote session (or one without room) is at home."""
        if s.location == "remote":
            return person.get("home_site")
        room = self.rooms.get(s.room) if isinstance(s.room, str) else None
        if room is not None:
            return room.get("site")
        if s.room is None:
            return person.get("home_site")
        return None

    # ------------------------------------------------------------ shifts
    def shift_on(self, team_key: tuple | None, d: date) -> _Shift | None:
        """The shift instance that team ``team_key`` starts on local date ``d``."""
        if team_key is None:
            return None
        key = (team_key, d)
        if key in self._shift_cache:
            return self._shift_cache[key]
        inst = None
        team = self.teams.get(team_key)
        if team is not None:
            pat = self.patterns.get(team.get("pattern"))
            if pat is not None:
                anchor, cycle = pat
                off = _int(team.get("offset_days")) or 0
                st = cycle[(d - timedelta(days=off) - anchor).days % len(cycle)]
                if st != "-" and st in self.shift_types:
                    s0, s1 = self.shift_types[st]
                    end_day = d + timedelta(days=1) if s1 <= s0 else d
                    inst = _Shift(self.local_ts(d, s0), self.local_ts(end_day, s1), st, d)
        self._shift_cache[key] = inst
        return inst

    def shifts_overlapping(self, team_key: tuple | None, a: float, b: float) -> list[_Shift]:
        """Shift instances of a team that overlap [a, b) in real time, sorted.

        A shift starts on some date d and ends at most a day later, so only the
        dates from local_date(a) - 1 to local_date(b) can overlap."""
        if team_key is None or team_key not in self.teams:
            return []
        out = []
        for d in _dates(self.local_date(a) - timedelta(days=1), self.local_date(b)):
            sh = self.shift_on(team_key, d)
            if sh is not None and sh.start < b and sh.end > a:
                out.append(sh)
        return out

    def shift_seconds_inside(self, team_key: tuple | None, a: float, b: float) -> float:
        """Seconds of [a, b) that lie inside the union of the team's shifts."""
        iv = [(max(a, s.start), min(b, s.end)) for s in self.shifts_overlapping(team_key, a, b)]
        return sum(y - x for x, y in _merge(iv) if y > x)

    # ------------------------------------------------------------ availability
    def _windows(self, kind: str, pid: str, person: dict):
        key = (kind, pid)
        if key not in self._avail_cache:
            avail = person.get("available")
            if avail is None:
                windows = None
            else:
                windows = defaultdict(list)
                for w in avail:
                    if not isinstance(w, dict):
                        continue
                    wd, s0, s1 = _weekday(w.get("weekday")), _hm(w.get("start")), _hm(w.get("end"))
                    if wd is not None and s0 is not None and s1 is not None:
                        windows[wd].append((s0, s1))
            unav = []
            for u in person.get("unavailable") or []:
                if isinstance(u, dict):
                    a = self.parse_local(u.get("start"))
                    b = self.parse_local(u.get("end"), end_of_day=True)
                    label = f"{u.get('start')} to {u.get('end')}"
                else:
                    a = self.parse_local(u)
                    b = self.parse_local(u, end_of_day=True)
                    label = str(u)
                if a is not None and b is not None and b > a:
                    unav.append((a, b, label))
            self._avail_cache[key] = (windows, unav)
        return self._avail_cache[key]

    def availability_problem(self, kind: str, pid: str, person: dict, a: float, b: float) -> str | None:
        """Why ``person`` cannot take [a, b), or None when they can.

        Weekly windows (a window whose end is not after its start runs into
        the next day; windows chain) must cover the whole session, and no
        ``unavailable`` period (a bare date = that whole day) may overlap it."""
        windows, unav = self._windows(kind, pid, person)
        if windows is not None:
            iv = []
            for d in _dates(self.local_date(a) - timedelta(days=1), self.local_date(b)):
                for s0, s1 in windows.get(d.weekday(), ()):
                    end_day = d + timedelta(days=1) if s1 <= s0 else d
                    iv.append((self.local_ts(d, s0), self.local_ts(end_day, s1)))
            if not any(x <= a and b <= y for x, y in _merge(iv)):
                d = self.local_date(a)
                todays = windows.get(d.weekday(), [])
                if todays:
                    hours = ", ".join(f"{s0 // 60:02d}:{s0 % 60:02d}-{s1 // 60:02d}:{s1 % 60:02d}" for s0, s1 in todays)
                    return f"is available on {_DAY_NAMES[d.weekday()]} only {hours}"
                return f"is not available on {_DAY_NAMES[d.weekday()]}s" if windows else "is never available"
        for x, y, label in unav:
            if x < b and a < y:
                return f"is unavailable {label}"
        return None

    # ------------------------------------------------------------ people
    def resolve_team(self, workplace: Any, team_id: Any) -> tuple[str, str] | None:
        if (workplace, team_id) in self.teams:
            return (workplace, team_id)
        keys = self._teams_by_id.get(team_id)
        return keys[0] if keys else None

    def _build_people(self) -> None:
        self.persons: dict[str, _Person] = {}
        self.plans: dict[str, _Plan] = {}
        self.plan_team: dict[tuple[str, str], tuple | None] = {}
        self.plans_of: dict[tuple[str, str], list[str]] = defaultdict(list)  # (pid, track) -> plans
        self.plans_by_track: dict[str, list[str]] = defaultdict(list)
        for p in self.scenario.get("action_plans") or []:
            plan_id = p.get("id")
            wp, track = p.get("workplace"), p.get("track")
            earliest = _date(p.get("earliest")) or self.horizon_start
            deadline = _date(p.get("deadline")) or self.horizon_end
            target = _date(p.get("target")) or deadline
            members: list[str] = []
            seen: set[str] = set()
            counters: Counter = Counter()
            for spec in p.get("participants") or []:
                if not isinstance(spec, dict):
                    continue
                team_id = spec.get("team")
                if spec.get("id") is None and spec.get("count") is not None:
                    # Counted participants: <plan>-<team>-<n>, n from 1; two
                    # counted entries for one team keep numbering upwards.
                    ids = []
                    for _ in range(max(0, _int(spec.get("count")) or 0)):
                        counters[team_id] += 1
                        ids.append(f"{plan_id}-{team_id}-{counters[team_id]}")
                else:
                    ids = [str(spec.get("id"))]
                team_key = self.resolve_team(wp, team_id)
                for pid in ids:
                    person = self.persons.get(pid)
                    if person is None:
                        person = self.persons[pid] = _Person(pid, team_key)
                    if spec.get("language"):
                        person.languages.add(spec["language"])
                    if plan_id not in person.plans:
                        person.plans.append(plan_id)
                    self.plan_team.setdefault((pid, plan_id), team_key)
                    if pid not in seen:
                        seen.add(pid)
                        members.append(pid)
                        self.plans_of[(pid, track)].append(plan_id)
            self.plans[plan_id] = _Plan(
                plan_id, wp, track, earliest, deadline, target,
                p.get("allow_on_shift", True) is not False,
                p.get("allow_off_shift", False) is True,
                members,
            )
            self.plans_by_track[track].append(plan_id)

    # ------------------------------------------------------------ schedule
    def _list(self, key: str) -> list:
        v = self.schedule.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.format_violations.append(_fv(f"The schedule's '{key}' is not a list.", field=key))
            return []
        return v

    def _parse_instant(self, sid: str, which: str, value: Any) -> float | None:
        if not isinstance(value, str):
            self.format_violations.append(
                _fv(f"Session {sid} has no readable {which} time ({value!r}).", sessions=[sid]))
            return None
        try:
            dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            self.format_violations.append(
                _fv(f"Session {sid} has an unreadable {which} time '{value}'.", sessions=[sid]))
            return None
        if dt.tzinfo is None:
            self.format_violations.append(
                _fv(f"Session {sid} {which} time '{value}' has no UTC offset; it is read as local time.",
                    sessions=[sid]))
            dt = dt.replace(tzinfo=self.tz, fold=0)
        return dt.timestamp()

    def _build_schedule(self) -> None:
        # cohorts
        self.cohorts: list[_Cohort] = []
        self.cohort_by_id: dict[str, _Cohort] = {}
        self.duplicate_cohort_ids: list[str] = []
        for pos, raw in enumerate(self._list("cohorts")):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), (str, int)):
                self.format_violations.append(_fv(f"Cohort entry number {pos + 1} has no id.", position=pos))
                continue
            cid = str(raw["id"])
            parts = raw.get("participants")
            if not isinstance(parts, list):
                self.format_violations.append(_fv(f"Cohort {cid} has no participant list.", cohort=cid))
                parts = []
            members, dups, seen = [], [], set()
            for x in parts:
                if not isinstance(x, (str, int)):
                    self.format_violations.append(
                        _fv(f"Cohort {cid} lists an unreadable participant {x!r}.", cohort=cid))
                    continue
                x = str(x)
                if x in seen:
                    dups.append(x)
                else:
                    seen.add(x)
                    members.append(x)
            track_id = raw.get("track") if isinstance(raw.get("track"), str) else None
            c = _Cohort(cid, pos, raw, track_id, self.tracks.get(track_id), members, dups)
            for m in members:
                for pl in self.plans_of.get((m, track_id), ()):
                    if pl not in c.plans:
                        c.plans.append(pl)
                    if self.plans[pl].workplace is not None:
                        c.workplaces.add(self.plans[pl].workplace)
            self.cohorts.append(c)
            if cid in self.cohort_by_id:
                self.duplicate_cohort_ids.append(cid)
            else:
                self.cohort_by_id[cid] = c

        # sessions
        self.sessions: list[_Session] = []
        seen_ids: set[str] = set()
        for pos, raw in enumerate(self._list("sessions")):
            if not isinstance(raw, dict):
                self.format_violations.append(_fv(f"Session entry number {pos + 1} is not an object.", position=pos))
                continue
            rid = raw.get("id")
            if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid):
                sid = str(rid)
            else:
                sid = f"#{pos + 1}"
                self.format_violations.append(_fv(f"Session entry number {pos + 1} has no id.", sessions=[sid]))
            if sid in seen_ids:
                self.format_violations.append(_fv(f"Session id {sid} is used more than once.", sessions=[sid]))
            seen_ids.add(sid)
            cohort_id = raw.get("cohort") if isinstance(raw.get("cohort"), str) else None
            module_id = raw.get("module") if isinstance(raw.get("module"), str) else None
            s = _Session(pos, sid, raw, cohort_id, module_id, _int(raw.get("index")))
            a = self._parse_instant(sid, "start", raw.get("start"))
            b = self._parse_instant(sid, "end", raw.get("end"))
            if a is not None and b is not None:
                if b <= a:
                    self.format_violations.append(
                        _fv(f"Session {sid} ends ({raw.get('end')}) before it starts ({raw.get('start')}).",
                            sessions=[sid]))
                else:
                    s.a, s.b = a, b
                    s.local = self.to_local(a)
                    s.ldate = s.local.date()
            s.trainer = raw.get("trainer")
            room = raw.get("room")
            s.room = room if room is None or isinstance(room, str) else repr(room)
            interp = raw.get("interpreters")
            if interp is None:
                interp = []
            elif not isinstance(interp, list):
                self.format_violations.append(
                    _fv(f"Session {sid} has an interpreter field that is not a list.", sessions=[sid]))
                interp = []
            s.interpreters = list(dict.fromkeys(i if isinstance(i, str) else repr(i) for i in interp))
            s.cohort = self.cohort_by_id.get(cohort_id) if cohort_id is not None else None
            s.module = self.modules.get(module_id) if module_id is not None else None
            if s.cohort is not None and s.cohort.track is not None and s.module is not None:
                n = _int(s.module.get("sessions")) or 0
                s.key_valid = (module_id in (s.cohort.track.get("modules") or [])
                               and s.index is not None and 1 <= s.index <= n)
            self.sessions.append(s)

        self.timed = sorted((s for s in self.sessions if s.timed), key=lambda s: (s.a, s.b, s.pos))

        # the (cohort, module, index) keys every cohort must cover
        self.required: list[tuple[str, str, int]] = []
        for c in self.cohorts:
            if c.track is None or self.cohort_by_id.get(c.id) is not c:
                continue
            for mid in c.track.get("modules") or []:
                m = self.modules.get(mid)
                for i in range(1, (_int(m.get("sessions")) or 0) + 1 if m else 1):
                    self.required.append((c.id, mid, i))
        self.scheduled_by_key: dict[tuple, list[_Session]] = defaultdict(list)
        for s in self.sessions:
            if s.key_valid:
                self.scheduled_by_key[s.key].append(s)

        # every person's timed sessions, sorted
        self.person_sessions: dict[str, list[_Session]] = defaultdict(list)
        for s in self.timed:
            for m in s.members:
                self.person_sessions[m].append(s)

    # ------------------------------------------------------------ labels
    def label(self, kind: str, pid: Any) -> str:
        table = {"trainer": self.trainers, "interpreter": self.interpreters, "room": self.rooms}.get(kind, {})
        obj = table.get(pid) if isinstance(pid, str) else None
        title = kind.capitalize()
        if obj is not None and obj.get("name"):
            return f"{title} {pid} ({obj['name']})"
        return f"{title} {pid}"

    def sdesc(self, s: _Session) -> str:
        what = f"{s.cohort_id} {s.module_id}#{s.index}"
        if s.timed:
            return f"{s.id} ({what}, {self.fmt_span(s.a, s.b)})"
        return f"{s.id} ({what})"

    def team_label(self, key: tuple | None) -> str:
        if key is None:
            return "no team"
        return f"team {key[1]} ({key[0]})"


def build_context(scenario: dict, schedule: dict) -> Context:
    """Parse and expand the scenario and schedule once for all checks."""
    return Context(scenario, schedule)


# --------------------------------------------------------------------------
# Rule 0 (format) and rules 1..10
# --------------------------------------------------------------------------


def check_format(ctx: Context) -> list[Violation]:
    """Rule 0 'format': every schedule entry can be read (ids, ISO 8601 times
    with UTC offset, end after start, lists where lists belong)."""
    return list(ctx.format_violations)


def check_completeness(ctx: Context) -> list[Violation]:
    """Rule 1. Every participant of every action plan is in exactly one cohort
    of that plan's track, or listed (with a reason) as unassigned; every session
    of every cohort (each module of its track, each index 1..sessions) is
    scheduled exactly once, or listed (with a reason) as unscheduled.  Entries
    that name a cohort, module, index or participant that does not exist are
    wrong too."""
    out: list[Violation] = []

    for cid in dict.fromkeys(ctx.duplicate_cohort_ids):
        out.append(_v(1, f"Cohort id {cid} is used for more than one cohort.", cohort=cid))

    # cohorts and their members
    in_cohorts: dict[tuple[str, str], list[str]] = defaultdict(list)  # (pid, track) -> cohorts
    for c in ctx.cohorts:
        if c.track is None:
            out.append(_v(1, f"Cohort {c.id} belongs to track {c.track_id!r}, which does not exist.",
                          cohort=c.id, track=c.track_id))
            continue
        for x in dict.fromkeys(c.duplicates):
            out.append(_v(1, f"Cohort {c.id} lists participant {x} more than once.", cohort=c.id, participants=[x]))
        strangers = []
        for m in c.members:
            in_cohorts[(m, c.track_id)].append(c.id)
            if not ctx.plans_of.get((m, c.track_id)):
                strangers.append(m)
        if strangers:
            out.append(_v(1, f"Cohort {c.id} holds {_ids(strangers)}, who "
                             f"{'is' if len(strangers) == 1 else 'are'} not in any action plan of track {c.track_id}.",
                          cohort=c.id, participants=strangers))

    # unassigned participants
    unassigned: dict[tuple[str, str | None], int] = Counter()
    for pos, u in enumerate(ctx._list("unassigned_participants")):
        if not isinstance(u, dict):
            out.append(_v(1, f"Entry number {pos + 1} of unassigned_participants cannot be read.", position=pos))
            continue
        pid, plan_id = u.get("participant"), u.get("action_plan")
        pid = str(pid) if isinstance(pid, (str, int)) else None
        plan_id = plan_id if isinstance(plan_id, str) else None
        if pid is None:
            out.append(_v(1, f"Entry number {pos + 1} of unassigned_participants names no participant.", position=pos))
            continue
        if plan_id is not None and plan_id not in ctx.plans:
            out.append(_v(1, f"Participant {pid} is listed as unassigned from action plan {plan_id}, which does not exist.",
                          participants=[pid], action_plan=plan_id))
            continue
        plans = [plan_id] if plan_id is not None else list(ctx.persons[pid].plans if pid in ctx.persons else [])
        plans = [p for p in plans if pid in ctx.plans[p].members]
        if not plans:
            where = f"action plan {plan_id}" if plan_id else "any action plan"
            out.append(_v(1, f"Participant {pid} is listed as unassigned but is not in {where}.",
                          participants=[pid], action_plan=plan_id))
            continue
        if not _str(u.get("reason")):
            out.append(_v(1, f"Participant {pid} is listed as unassigned without a reason.", participants=[pid]))
        for p in plans:
            unassigned[(pid, p)] += 1

    for plan in ctx.plans.values():
        forgotten = []
        for pid in plan.members:
            cs = in_cohorts.get((pid, plan.track), [])
            u = unassigned.get((pid, plan.id), 0)
            ent = dict(participants=[pid], action_plan=plan.id)
            if u > 1:
                out.append(_v(1, f"Participant {pid} of action plan {plan.id} is listed as unassigned {u} times.", **ent))
            if len(cs) > 1:
                out.append(_v(1, f"Participant {pid} of action plan {plan.id} is in {len(cs)} cohorts of track "
                                 f"{plan.track}: {', '.join(cs)}.", cohorts=cs, **ent))
            elif cs and u:
                out.append(_v(1, f"Participant {pid} of action plan {plan.id} is in cohort {cs[0]} and also listed "
                                 f"as unassigned.", cohorts=cs, **ent))
            elif not cs and not u:
                forgotten.append(pid)
        if forgotten:
            out.append(_v(1, f"{'Participant' if len(forgotten) == 1 else 'Participants'} {_ids(forgotten)} of action "
                             f"plan {plan.id} {'is' if len(forgotten) == 1 else 'are'} in no cohort of track "
                             f"{plan.track} and not listed as unassigned.",
                          participants=forgotten, action_plan=plan.id))

    # sessions that do not belong to any required (cohort, module, index)
    for s in ctx.sessions:
        if s.key_valid:
            continue
        ent = dict(sessions=[s.id], cohort=s.cohort_id, module=s.module_id, index=s.index)
        if s.cohort is None:
            out.append(_v(1, f"Session {s.id} belongs to cohort {s.cohort_id!r}, which is not in the schedule.", **ent))
        elif s.cohort.track is None:
            continue  # the cohort itself was reported above
        elif s.module is None or s.module_id not in (s.cohort.track.get("modules") or []):
            out.append(_v(1, f"Session {s.id} is for module {s.module_id!r}, which is not part of track "
                             f"{s.cohort.track_id} of cohort {s.cohort_id}.", **ent))
        else:
            out.append(_v(1, f"Session {s.id} has index {s.raw.get('index')!r}, but module {s.module_id} has "
                             f"sessions 1..{_int(s.module.get('sessions')) or 0}.", **ent))
    for key, lst in ctx.scheduled_by_key.items():
        if len(lst) > 1:
            out.append(_v(1, f"Session {key[1]}#{key[2]} of cohort {key[0]} is scheduled {len(lst)} times: "
                             f"{', '.join(s.id for s in lst)}.",
                          sessions=[s.id for s in lst], cohort=key[0], module=key[1], index=key[2]))

    # unscheduled entries
    required = set(ctx.required)
    unscheduled: Counter = Counter()
    for pos, u in enumerate(ctx._list("unscheduled")):
        if not isinstance(u, dict):
            out.append(_v(1, f"Entry number {pos + 1} of unscheduled cannot be read.", position=pos))
            continue
        key = (u.get("cohort"), u.get("module"), _int(u.get("index")))
        try:
            known = key in required
        except TypeError:
            known = False
        if not known:
            out.append(_v(1, f"Unscheduled entry {key[0]!r} {key[1]!r}#{u.get('index')!r} is not a session of any "
                             f"cohort in the schedule.", cohort=key[0], module=key[1], index=u.get("index")))
            continue
        if not _str(u.get("reason")):
            out.append(_v(1, f"Session {key[1]}#{key[2]} of cohort {key[0]} is listed as unscheduled without a reason.",
                          cohort=key[0], module=key[1], index=key[2]))
        unscheduled[key] += 1
    for key in ctx.required:
        n_s, n_u = len(ctx.scheduled_by_key.get(key, ())), unscheduled.get(key, 0)
        ent = dict(cohort=key[0], module=key[1], index=key[2])
        what = f"Session {key[1]}#{key[2]} of cohort {key[0]}"
        if n_u > 1:
            out.append(_v(1, f"{what} is listed as unscheduled {n_u} times.", **ent))
        if n_s and n_u:
            out.append(_v(1, f"{what} is both scheduled ({ctx.scheduled_by_key[key][0].id}) and listed as unscheduled.",
                          sessions=[s.id for s in ctx.scheduled_by_key[key]], **ent))
        elif not n_s and not n_u:
            out.append(_v(1, f"{what} is neither scheduled nor listed as unscheduled.", **ent))
    return out


def check_calendar(ctx: Context) -> list[Violation]:
    """Rule 2. Every session starts on a local date inside the horizon, on an
    allowed weekday, not on a public holiday, not in a closed period, at one of
    the allowed start times (local wall clock); it lasts exactly the module's
    duration (real time); and it lies inside earliest 00:00 .. deadline 24:00
    (local) of the action plans of all its participants."""
    out: list[Violation] = []
    if ctx.holiday_error:
        out.append(_v(2, f"Public holidays of {ctx.holiday_code!r} are not known ({ctx.holiday_error}).",
                      holidays=ctx.holiday_code))
    for s in ctx.timed:
        d, loc = s.ldate, s.local
        when = ctx.fmt(s.a)
        ent = dict(sessions=[s.id], date=d.isoformat())
        if not (ctx.horizon_start <= d <= ctx.horizon_end):
            out.append(_v(2, f"Session {s.id} starts {when}, outside the planning period "
                             f"{ctx.horizon_start}..{ctx.horizon_end}.", **ent))
        if d.weekday() not in ctx.weekdays:
            out.append(_v(2, f"Session {s.id} starts on a {_DAY_NAMES[d.weekday()]} ({when}), "
                             f"which is not a training weekday.", **ent))
        hol = ctx.is_holiday(d)
        if hol:
            out.append(_v(2, f"Session {s.id} starts {when}, a public holiday ({hol}).", holiday=hol, **ent))
        for c0, c1, reason in ctx.closed:
            if c0 <= d <= c1:
                why = f" ({reason})" if reason else ""
                out.append(_v(2, f"Session {s.id} starts {when}, inside the closed period {c0}..{c1}{why}.", **ent))
        if loc.hour * 60 + loc.minute not in ctx.start_times or loc.second or loc.microsecond:
            out.append(_v(2, f"Session {s.id} starts at {loc:%H:%M:%S} local time on {when[:14]}, which is not "
                             f"an allowed start time ({ctx.start_times_text}).", **ent))
        if s.module is not None:
            dur = _num(s.module.get("duration_minutes"))
            real = (s.b - s.a) / 60.0
            if dur is not None and abs(real - dur) > 1e-6:
                out.append(_v(2, f"Session {s.id} ({when}) lasts {_fmt_num(real)} minutes, but module "
                                 f"{s.module_id} sessions last {_fmt_num(dur)} minutes.", **ent))
        if s.cohort is not None:
            for pl_id in s.cohort.plans:
                pl = ctx.plans[pl_id]
                lo = ctx.local_ts(pl.earliest, 0)
                hi = ctx.local_ts(pl.deadline + timedelta(days=1), 0)
                if s.a < lo - _EPS or s.b > hi + _EPS:
                    out.append(_v(2, f"Session {s.id} ({ctx.fmt_span(s.a, s.b)}) lies outside action plan {pl_id}'s "
                                     f"period {pl.earliest}..{pl.deadline}.", action_plan=pl_id, **ent))
    return out


def _clashes(ctx: Context, rule: int, kind: str, pid: str, person: dict,
             sessions: list[_Session]) -> list[Violation]:
    """Overlaps, and too little travel time between sessions of one local day."""
    out = []
    lst = sorted(sessions, key=lambda s: (s.a, s.b, s.pos))
    who = ctx.label(kind, pid)
    verb = "teaches" if kind == "trainer" else "interprets in"
    for i, s in enumerate(lst):
        for j in range(i + 1, len(lst)):
            u = lst[j]
            if u.a >= s.b and u.ldate != s.ldate:
                break
            ent = {"sessions": [s.id, u.id], kind: pid}
            if u.a < s.b:
                out.append(_v(rule, f"{who} {verb} {s.id} and {u.id} at the same time on {ctx.fmt(u.a)}.", **ent))
                continue
            x, y = ctx.site_for(s, person), ctx.site_for(u, person)
            need = ctx.travel(x, y)
            gap = (u.a - s.b) / 60.0
            if need is not None and gap + 1e-9 < need:
                out.append(_v(rule, f"{who} has {_fmt_num(gap)} minutes between {s.id} at {x} (ends "
                                    f"{ctx.fmt(s.b)}) and {u.id} at {y} (starts {ctx.to_local(u.a):%H:%M}), "
                                    f"but the journey takes {_fmt_num(need)} minutes.", **ent))
    return out


def check_trainers(ctx: Context) -> list[Violation]:
    """Rule 3. Every session has exactly one trainer, who exists, holds the
    module's qualification, is available for the whole session, is never in two
    places at once (sessions on one local day are at least the travel time
    apart), teaches at most max_sessions_per_day sessions per local start date
    and at most max_minutes_per_week minutes per ISO week."""
    out: list[Violation] = []
    by_trainer: dict[str, list[_Session]] = defaultdict(list)
    for s in ctx.sessions:
        t = s.trainer
        ent = dict(sessions=[s.id], trainer=t if isinstance(t, str) else None)
        if isinstance(t, list):
            out.append(_v(3, f"Session {s.id} has {len(t)} trainers; it needs exactly one.", **ent))
            continue
        if not _str(t):
            out.append(_v(3, f"Session {ctx.sdesc(s)} has no trainer.", **ent))
            continue
        tr = ctx.trainers.get(t)
        if tr is None:
            out.append(_v(3, f"Session {s.id} names trainer {t}, who does not exist.", **ent))
            continue
        if s.module is not None:
            q = s.module.get("qualification") or s.module_id
            if q not in (tr.get("qualifications") or []):
                out.append(_v(3, f"{ctx.label('trainer', t)} does not hold qualification {q} needed for "
                                 f"{ctx.sdesc(s)}.", qualification=q, **ent))
        if s.timed:
            why = ctx.availability_problem("trainer", t, tr, s.a, s.b)
            if why:
                out.append(_v(3, f"{ctx.label('trainer', t)} {why}, but teaches {ctx.sdesc(s)}.", **ent))
            by_trainer[t].append(s)

    for t, lst in by_trainer.items():
        tr = ctx.trainers[t]
        out += _clashes(ctx, 3, "trainer", t, tr, lst)
        max_day = _num(tr.get("max_sessions_per_day"))
        if max_day is not None:
            per_day: dict[date, list[_Session]] = defaultdict(list)
            for s in lst:
                per_day[s.ldate].append(s)
            for d, ss in sorted(per_day.items()):
                if len(ss) > max_day:
                    out.append(_v(3, f"{ctx.label('trainer', t)} teaches {len(ss)} sessions on "
                                     f"{_DAY_NAMES[d.weekday()]} {d} ({', '.join(s.id for s in ss)}); at most "
                                     f"{_fmt_num(max_day)} a day.", sessions=[s.id for s in ss], trainer=t,
                                  date=d.isoformat()))
        max_week = _num(tr.get("max_minutes_per_week"))
        if max_week is not None:
            per_week: dict[tuple, list[_Session]] = defaultdict(list)
            for s in lst:
                per_week[tuple(s.ldate.isocalendar())[:2]].append(s)
            for (y, w), ss in sorted(per_week.items()):
                minutes = sum((s.b - s.a) / 60.0 for s in ss)
                if minutes > max_week + 1e-6:
                    out.append(_v(3, f"{ctx.label('trainer', t)} teaches {_fmt_num(minutes)} minutes in week "
                                     f"{w} of {y} ({', '.join(s.id for s in ss)}); at most {_fmt_num(max_week)}.",
                                  sessions=[s.id for s in ss], trainer=t, week=f"{y}-W{w:02d}"))
    return out


def _overlapping_pairs(lst: list[_Session]) -> Iterable[tuple[_Session, _Session]]:
    lst = sorted(lst, key=lambda s: (s.a, s.b, s.pos))
    for i, s in enumerate(lst):
        for j in range(i + 1, len(lst)):
            if lst[j].a >= s.b:
                break
            yield s, lst[j]


def check_rooms(ctx: Context) -> list[Violation]:
    """Rule 4. A 'workplace' or 'any' session has one existing room with
    capacity for the cohort, every required feature, not unavailable during the
    session and hosting one session at a time; a 'workplace' room is at the site
    of one of the cohort's workplaces.  A 'remote' session has no room."""
    out: list[Violation] = []
    by_room: dict[str, list[_Session]] = defaultdict(list)
    for s in ctx.sessions:
        loc = s.location
        ent = dict(sessions=[s.id], room=s.room)
        if loc == "remote":
            if s.room is not None:
                out.append(_v(4, f"Session {ctx.sdesc(s)} of remote module {s.module_id} has room {s.room}; remote "
                                 f"sessions have no room.", **ent))
            continue
        if s.room is None:
            if loc is not None:
                out.append(_v(4, f"Session {ctx.sdesc(s)} has no room (module {s.module_id} is not remote).", **ent))
            continue
        room = ctx.rooms.get(s.room)
        if room is None:
            out.append(_v(4, f"Session {s.id} names room {s.room}, which does not exist.", **ent))
            continue
        if s.timed:
            by_room[s.room].append(s)
        if loc is None:
            continue
        rl = ctx.label("room", s.room)
        if s.cohort is not None:
            cap = _num(room.get("capacity"))
            size = len(s.cohort.members)
            if cap is not None and size > cap:
                out.append(_v(4, f"{rl} seats {_fmt_num(cap)}, but cohort {s.cohort_id} has {size} participants "
                                 f"in {s.id}.", cohort=s.cohort_id, **ent))
        missing = [f for f in (s.module.get("room_features") or []) if f not in (room.get("features") or [])]
        if missing:
            out.append(_v(4, f"{rl} lacks {', '.join(missing)} needed by module {s.module_id} in {s.id}.",
                          features=missing, **ent))
        if loc == "workplace" and s.cohort is not None:
            wps = set(s.cohort.workplaces)
            if not wps:
                declared = s.cohort.raw.get("workplaces")
                wps = {w for w in declared if isinstance(w, str)} if isinstance(declared, list) else set()
            sites = {ctx.workplaces[w].get("site") for w in wps if w in ctx.workplaces}
            if room.get("site") not in sites:
                out.append(_v(4, f"{rl} is at {room.get('site')}, but {s.id} (module {s.module_id}) must be held at "
                                 f"the workplace ({', '.join(sorted(str(x) for x in sites)) or 'unknown site'}) of "
                                 f"cohort {s.cohort_id}.", cohort=s.cohort_id, **ent))
        if s.timed:
            _, unav = ctx._windows("room", s.room, {"unavailable": room.get("unavailable")})
            for x, y, label in unav:
                if x < s.b and s.a < y:
                    out.append(_v(4, f"{rl} is unavailable {label}, but {ctx.sdesc(s)} uses it.", **ent))
                    break
    for r, lst in by_room.items():
        for s, u in _overlapping_pairs(lst):
            out.append(_v(4, f"{ctx.label('room', r)} hosts {s.id} and {u.id} at the same time on {ctx.fmt(u.a)}.",
                          sessions=[s.id, u.id], room=r))
    return out


def check_cohorts(ctx: Context) -> list[Violation]:
    """Rule 5. A cohort's size is within its track's min_group..max_group,
    except one smaller cohort for a plan (or, with mix_workplaces, for the whole
    track) that has fewer than min_group participants; without mix_workplaces
    all participants of a cohort come from one workplace; nobody is in two
    sessions at the same time."""
    out: list[Violation] = []
    track_total: dict[str, int] = {}
    for tid in ctx.tracks:
        people = set()
        for pl in ctx.plans_by_track.get(tid, ()):
            people.update(ctx.plans[pl].members)
        track_total[tid] = len(people)

    small_by_track: dict[str, list[_Cohort]] = defaultdict(list)
    small_by_plan: dict[str, list[_Cohort]] = defaultdict(list)
    for c in ctx.cohorts:
        if c.track is None:
            continue
        lo = _num(c.track.get("min_group"))
        if lo is not None and len(c.members) < lo:
            small_by_track[c.track_id].append(c)
            for pl in c.plans:
                small_by_plan[pl].append(c)

    for c in ctx.cohorts:
        if c.track is None:
            continue
        t = c.track
        lo, hi = _num(t.get("min_group")), _num(t.get("max_group"))
        size = len(c.members)
        mix = t.get("mix_workplaces") is True
        ent = dict(cohort=c.id, track=c.track_id)
        if hi is not None and size > hi:
            out.append(_v(5, f"Cohort {c.id} has {size} participants; track {c.track_id} allows at most "
                             f"{_fmt_num(hi)}.", **ent))
        if lo is not None and size < lo:
            if mix:
                allowed = track_total.get(c.track_id, 0) < lo and len(small_by_track[c.track_id]) == 1
                why = (f"track {c.track_id} has {track_total.get(c.track_id, 0)} participants in all and "
                       f"{len(small_by_track[c.track_id])} cohorts below its minimum")
            else:
                allowed = bool(c.plans) and all(
                    len(ctx.plans[p].members) < lo and len(small_by_plan[p]) == 1 for p in c.plans)
                why = "; ".join(f"plan {p} has {len(ctx.plans[p].members)} participants and "
                                f"{len(small_by_plan[p])} cohorts below the minimum" for p in c.plans) or \
                      "none of its participants is in an action plan of the track"
            if not allowed:
                out.append(_v(5, f"Cohort {c.id} has {size} participants; track {c.track_id} needs at least "
                                 f"{_fmt_num(lo)} ({why}).", **ent))
        if not mix and len(c.workplaces) > 1:
            out.append(_v(5, f"Cohort {c.id} mixes participants from workplaces {', '.join(sorted(c.workplaces))}, "
                             f"but track {c.track_id} does not allow mixing workplaces.",
                          workplaces=sorted(c.workplaces), **ent))

    # nobody in two sessions at once; one violation per pair of sessions
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    pair_sessions: dict[tuple[str, str], tuple[_Session, _Session]] = {}
    for pid, lst in ctx.person_sessions.items():
        for s, u in _overlapping_pairs(lst):
            if s is u:
                continue
            key = (s.id, u.id)
            pairs[key].append(pid)
            pair_sessions[key] = (s, u)
    for key, people in pairs.items():
        s, u = pair_sessions[key]
        out.append(_v(5, f"{_ids(people)} {'is' if len(people) == 1 else 'are'} in both {s.id} and {u.id} at the "
                         f"same time on {ctx.fmt(max(s.a, u.a))}.", sessions=[s.id, u.id], participants=people))
    return out


def check_order(ctx: Context) -> list[Violation]:
    """Rule 6. Within a module, a later index starts no earlier than the
    previous index ends, and adjacent indexes are min_gap_days..max_gap_days
    calendar days apart (local start date to local start date); every session
    of a track's module k ends before the first session of any later module
    starts."""
    out: list[Violation] = []
    for c in ctx.cohorts:
        if c.track is None or ctx.cohort_by_id.get(c.id) is not c:
            continue
        spans = []  # (module id, first start session, last end session) in track order
        for mid in c.track.get("modules") or []:
            m = ctx.modules.get(mid)
            if m is None:
                continue
            by_index: dict[int, list[_Session]] = defaultdict(list)
            for i in range(1, (_int(m.get("sessions")) or 0) + 1):
                for s in ctx.scheduled_by_key.get((c.id, mid, i), ()):
                    if s.timed:
                        by_index[i].append(s)
            idx = sorted(by_index)
            gmin = _num(m.get("min_gap_days"))
            gmin = 1.0 if gmin is None else gmin
            gmax = _num(m.get("max_gap_days"))
            for k0, k1 in zip(idx, idx[1:]):
                for s in by_index[k0]:
                    for u in by_index[k1]:
                        ent = dict(sessions=[s.id, u.id], cohort=c.id, module=mid)
                        if u.a < s.b:
                            out.append(_v(6, f"{mid}#{k1} of cohort {c.id} ({u.id}, {ctx.fmt(u.a)}) starts before "
                                             f"{mid}#{k0} ({s.id}) ends ({ctx.fmt(s.b)}).", **ent))
                        if k1 == k0 + 1:
                            gap = (u.ldate - s.ldate).days
                            if gap < gmin:
                                out.append(_v(6, f"{mid}#{k0} and #{k1} of cohort {c.id} ({s.id} {s.ldate}, {u.id} "
                                                 f"{u.ldate}) are {gap} days apart; at least {_fmt_num(gmin)}.", **ent))
                            if gmax is not None and gap > gmax:
                                out.append(_v(6, f"{mid}#{k0} and #{k1} of cohort {c.id} ({s.id} {s.ldate}, {u.id} "
                                                 f"{u.ldate}) are {gap} days apart; at most {_fmt_num(gmax)}.", **ent))
            all_s = [s for ss in by_index.values() for s in ss]
            if all_s:
                first = min(all_s, key=lambda s: s.a)
                last = max(all_s, key=lambda s: s.b)
                spans.append((mid, first, last))
        for i, (m0, _, last0) in enumerate(spans):
            for m1, first1, _ in spans[i + 1:]:
                if first1.a < last0.b:
                    out.append(_v(6, f"Cohort {c.id} starts module {m1} ({first1.id}, {ctx.fmt(first1.a)}) before "
                                     f"module {m0} is finished ({last0.id} ends {ctx.fmt(last0.b)}).",
                                  sessions=[last0.id, first1.id], cohort=c.id, modules=[m0, m1]))
    return out


def check_staffing(ctx: Context) -> list[Violation]:
    """Rule 7. At every moment of every shift of every team (a night shift that
    started the day before included), at most headcount - min_staffing distinct
    members of the team are in a session."""
    out: list[Violation] = []
    events_by_team: dict[tuple, list] = defaultdict(list)
    for s in ctx.timed:
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None or p.team is None:
                continue
            events_by_team[p.team].append((s.a, 1, m, s.id))
            events_by_team[p.team].append((s.b, -1, m, s.id))
    for team_key, events in events_by_team.items():
        team = ctx.teams.get(team_key) or {}
        head, mins = _num(team.get("headcount")), _num(team.get("min_staffing"))
        if head is None or mins is None:
            continue
        allowed = head - mins
        events.sort(key=lambda e: (e[0], e[1]))  # ends before starts at the same instant
        active_people: Counter = Counter()
        active_sessions: Counter = Counter()
        found: dict[date, dict] = {}
        i, n = 0, len(events)
        while i < n:
            t = events[i][0]
            while i < n and events[i][0] == t:
                _, kind, m, sid = events[i]
                active_people[m] += kind
                active_sessions[sid] += kind
                if active_people[m] == 0:
                    del active_people[m]
                if active_sessions[sid] == 0:
                    del active_sessions[sid]
                i += 1
            if i >= n:
                break
            t_next = events[i][0]
            k = len(active_people)
            if k <= allowed or t_next <= t:
                continue
            for sh in ctx.shifts_overlapping(team_key, t, t_next):
                rec = found.get(sh.date)
                if rec is None:
                    rec = found[sh.date] = {"shift": sh, "max": 0, "at": None, "sessions": set(), "people": set()}
                rec["sessions"].update(active_sessions)
                rec["people"].update(active_people)
                if k > rec["max"]:
                    rec["max"], rec["at"] = k, max(t, sh.start)
        for d in sorted(found):
            rec = found[d]
            sh = rec["shift"]
            sids = sorted(rec["sessions"])
            tl = ctx.team_label(team_key)
            out.append(_v(7, f"{tl[:1].upper() + tl[1:]} has {rec['max']} members in training at "
                             f"{ctx.fmt(rec['at'])} during its {sh.type} shift of {_DAY_NAMES[d.weekday()]} {d} "
                             f"({ctx.to_local(sh.start):%H:%M}-{ctx.to_local(sh.end):%H:%M}); with headcount "
                             f"{_fmt_num(head)} and minimum staffing {_fmt_num(mins)} at most {_fmt_num(max(allowed, 0))} "
                             f"may be away (sessions {', '.join(sids)}).",
                          team=team_key[1], workplace=team_key[0], shift_date=d.isoformat(), sessions=sids,
                          participants=sorted(rec["people"])))
    return out


def check_shift_fit(ctx: Context) -> list[Violation]:
    """Rule 8. If the participant's plan (the plan of the session's track) has
    allow_on_shift false, no session overlaps one of their shifts; if it has
    allow_off_shift false, every session lies entirely inside one of their own
    shift instances."""
    out: list[Violation] = []
    for s in ctx.timed:
        if s.cohort is None:
            continue
        groups: dict[tuple, list[str]] = defaultdict(list)
        for m in s.members:
            plans = ctx.plans_of.get((m, s.cohort.track_id))
            if not plans:
                continue
            pl = ctx.plans[plans[0]]
            if pl.allow_on_shift and pl.allow_off_shift:
                continue
            groups[(pl.id, ctx.plan_team.get((m, pl.id)))].append(m)
        for (plan_id, team_key), people in groups.items():
            pl = ctx.plans[plan_id]
            shifts = ctx.shifts_overlapping(team_key, s.a, s.b)
            ent = dict(sessions=[s.id], participants=people, action_plan=plan_id,
                       team=team_key[1] if team_key else None)
            who = f"{_ids(people)} ({ctx.team_label(team_key)}, plan {plan_id})"
            if not pl.allow_on_shift and shifts:
                sh = shifts[0]
                out.append(_v(8, f"{ctx.sdesc(s)} overlaps the {sh.type} shift of {sh.date} "
                                 f"({ctx.fmt_span(sh.start, sh.end)}) of {who}, whose plan does not allow training "
                                 f"on shift.", **ent))
            if not pl.allow_off_shift and not any(sh.start <= s.a and s.b <= sh.end for sh in shifts):
                where = (f"it is not inside one {', '.join(f'{sh.type} {ctx.fmt_span(sh.start, sh.end)}' for sh in shifts)} shift"
                         if shifts else "they have no shift then")
                out.append(_v(8, f"{ctx.sdesc(s)} lies outside the own shift of {who}, whose plan does not allow "
                                 f"training off shift ({where}).", **ent))
    return out


def check_daily_rest(ctx: Context) -> list[Violation]:
    """Rule 9. With daily_rest_hours R > 0, for every participant: their work
    blocks are their shifts plus their sessions (overlapping or touching blocks
    merge).  Every 24-hour window that starts at the start of a block and meets
    one of their sessions must contain a work-free stretch of at least R hours,
    unless the same window already lacks one with the shifts alone."""
    R = ctx.rest_hours
    if not R or R <= 0:
        return []
    need = R * 3600.0 - _EPS
    out: list[Violation] = []
    for pid, sess in ctx.person_sessions.items():
        person = ctx.persons.get(pid)
        if person is None:
            continue  # not a participant of any plan: reported by rule 1
        shifts: dict[date, _Shift] = {}
        if person.team is not None:
            for s in sess:
                for sh in ctx.shifts_overlapping(person.team, s.a - 2 * _DAY, s.b + 2 * _DAY):
                    shifts[sh.date] = sh
        team_blocks = _merge((sh.start, sh.end) for sh in shifts.values())
        t_starts = [x for x, _ in team_blocks]
        t_ends = [y for _, y in team_blocks]
        blocks = _merge(team_blocks + [(s.a, s.b) for s in sess])
        b_starts = [x for x, _ in blocks]
        b_ends = [y for _, y in blocks]
        s_starts = [s.a for s in sess]
        longest = max(s.b - s.a for s in sess)
        reported: set = set()
        for w in b_starts:
            we = w + _DAY
            lo = bisect_left(s_starts, w - longest)
            hi = bisect_left(s_starts, we)
            hit = [s for s in sess[lo:hi] if s.b > w]
            if not hit:
                continue
            free = _longest_free(b_starts, b_ends, w, we)
            if free >= need:
                continue
            if _longest_free(t_starts, t_ends, w, we) < need:
                continue  # the shifts alone already break the rest: not the schedule's fault
            key = tuple(s.id for s in hit)
            if key in reported:
                continue
            reported.add(key)
            out.append(_v(9, f"Participant {pid} ({ctx.team_label(person.team)}) gets at most {free / 3600:.1f} h "
                             f"of rest in the 24 hours from {ctx.fmt(w)} (needs {_fmt_num(R)} h) because of "
                             f"{', '.join(ctx.sdesc(s) for s in hit)}.",
                          participants=[pid], sessions=[s.id for s in hit],
                          window_start=ctx.to_local(w).isoformat()))
    return out


def check_language(ctx: Context) -> list[Violation]:
    """Rule 10. For each language needed by a participant of a session that the
    trainer does not speak, an assigned interpreter speaks it; every assigned
    interpreter exists, is available for the whole session and is never in two
    places at once (same travel rule as trainers)."""
    out: list[Violation] = []
    by_interp: dict[str, list[_Session]] = defaultdict(list)
    for s in ctx.sessions:
        tr = ctx.trainers.get(s.trainer) if isinstance(s.trainer, str) else None
        spoken = set(tr.get("languages") or []) if tr else set()
        covered: set = set()
        for i in s.interpreters:
            ip = ctx.interpreters.get(i)
            if ip is None:
                out.append(_v(10, f"Session {s.id} names interpreter {i}, who does not exist.",
                              sessions=[s.id], interpreter=i))
                continue
            covered.update(ip.get("languages") or [])
            if s.timed:
                why = ctx.availability_problem("interpreter", i, ip, s.a, s.b)
                if why:
                    out.append(_v(10, f"{ctx.label('interpreter', i)} {why}, but is assigned to {ctx.sdesc(s)}.",
                                  sessions=[s.id], interpreter=i))
                by_interp[i].append(s)
        needs: dict[str, list[str]] = defaultdict(list)
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None:
                continue
            for lang in p.languages:
                if lang not in spoken:
                    needs[lang].append(m)
        for lang, people in sorted(needs.items()):
            if lang not in covered:
                who = ctx.label("trainer", s.trainer) if tr else "Trainer"
                out.append(_v(10, f"{_ids(people)} need{'s' if len(people) == 1 else ''} {lang} in {ctx.sdesc(s)}; "
                                  f"t{who[1:]} does not speak it and no assigned interpreter does.",
                              sessions=[s.id], language=lang, participants=people))
    for i, lst in by_interp.items():
        out += _clashes(ctx, 10, "interpreter", i, ctx.interpreters[i], lst)
    return out


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


# --------------------------------------------------------------------------
# KPIs and objective
# --------------------------------------------------------------------------


def compute_kpis(ctx: Context) -> dict:
    """Recompute the schedule's KPIs and objective from scratch.

    backfill = participant-hours of session inside the union of the
    participant's own shifts, overtime = the rest; trainer cost =
    cost_per_hour x session hours; travel per trainer/interpreter and local
    date = home -> first site -> ... -> last site -> home (remote = home);
    lateness = days from the earliest target among the cohort's plans to the
    local date of its last session; trainer_change = distinct trainers - 1 per
    cohort and module."""
    W = ctx.weights
    scheduled_keys = {k for k, v in ctx.scheduled_by_key.items() if v}
    n_unscheduled = sum(1 for k in ctx.required if k not in scheduled_keys)

    in_track: set[tuple[str, str]] = set()
    for c in ctx.cohorts:
        for m in c.members:
            in_track.add((m, c.track_id))
    n_unassigned = sum(1 for pl in ctx.plans.values() for m in pl.members if (m, pl.track) not in in_track)

    backfill = overtime = trainer_cost = 0.0
    inside_cache: dict[tuple, float] = {}
    for s in ctx.timed:
        hours = (s.b - s.a) / 3600.0
        for m in s.members:
            p = ctx.persons.get(m)
            if p is None:
                continue
            key = (p.team, s.pos)
            inside = inside_cache.get(key)
            if inside is None:
                inside = inside_cache[key] = ctx.shift_seconds_inside(p.team, s.a, s.b) / 3600.0
            backfill += inside
            overtime += hours - inside
        tr = ctx.trainers.get(s.trainer) if isinstance(s.trainer, str) else None
        if tr is not None:
            trainer_cost += (_num(tr.get("cost_per_hour")) or 0.0) * hours

    travel = 0.0
    for kind, table, of in (
        ("trainer", ctx.trainers, lambda s: [s.trainer] if isinstance(s.trainer, str) else []),
        ("interpreter", ctx.interpreters, lambda s: s.interpreters),
    ):
        days: dict[tuple[str, date], list[_Session]] = defaultdict(list)
        for s in ctx.timed:
            for pid in of(s):
                if pid in table:
                    days[(pid, s.ldate)].append(s)
        for (pid, _), lst in days.items():
            person = table[pid]
            home = person.get("home_site")
            path = [home] + [ctx.site_for(s, person) for s in sorted(lst, key=lambda s: (s.a, s.pos))] + [home]
            travel += sum(ctx.travel(x, y) or 0.0 for x, y in zip(path, path[1:]))

    late_days = 0
    changes = 0
    by_cohort: dict[str, list[_Session]] = defaultdict(list)
    for s in ctx.sessions:
        if s.key_valid:
            by_cohort[s.cohort_id].append(s)
    for c in ctx.cohorts:
        if ctx.cohort_by_id.get(c.id) is not c:
            continue
        mine = [s for s in by_cohort.get(c.id, ()) if s.timed]
        if mine and c.plans:
            target = min(ctx.plans[p].target for p in c.plans)
            last = max(mine, key=lambda s: (s.a, s.b))
            late_days += max(0, (last.ldate - target).days)
        per_module: dict[str, set] = defaultdict(set)
        for s in by_cohort.get(c.id, ()):
            if isinstance(s.trainer, str):
                per_module[s.module_id].add(s.trainer)
        changes += sum(len(t) - 1 for t in per_module.values() if t)

    breakdown = {
        "unscheduled_session": n_unscheduled * W["unscheduled_session"],
        "unassigned_participant": n_unassigned * W["unassigned_participant"],
        "backfill_per_hour": backfill * W["backfill_per_hour"],
        "overtime_per_hour": overtime * W["overtime_per_hour"],
        "trainer_cost": trainer_cost,
        "travel_per_minute": travel * W["travel_per_minute"],
        "late_per_day": late_days * W["late_per_day"],
        "trainer_change": changes * W["trainer_change"],
    }
    move = _move_term(ctx)
    if move is not None:  # a re-plan against a baseline (see check_replan)
        breakdown["move_session"] = move
    return {
        "sessions_total": len(ctx.required),
        "sessions_scheduled": len(ctx.sessions),
        "sessions_unscheduled": n_unscheduled,
        "participants_unassigned": n_unassigned,
        "backfill_hours": backfill,
        "overtime_hours": overtime,
        "travel_minutes": travel,
        "late_days": late_days,
        "trainer_changes": changes,
        "objective_breakdown": breakdown,
        "objective": sum(breakdown.values()),
    }


def check_kpis(ctx: Context, kpis: dict, tolerance: float = 1e-6) -> list[Violation]:
    """Rule 0 'kpis'. The schedule's own kpis and objective agree with the
    recomputed ones: counts exactly; hours and minutes within 0.01; every
    objective term and the objective within 0.5 (plus ``tolerance`` relative
    to the size of the numbers)."""
    out: list[Violation] = []
    claimed = ctx.schedule.get("kpis")

    def close(a: float, b: float, abs_tol: float) -> bool:
        return abs(a - b) <= abs_tol + tolerance * max(abs(a), abs(b))

    def compare(label: str, got: Any, want: float, abs_tol: float, unit: str = "") -> None:
        g = _num(got)
        if g is None:
            out.append(_v(0, f"The schedule's {label} is missing or not a number ({got!r}); recomputed "
                             f"{_fmt_num(want)}{unit}.", kpi=label, expected=want))
        elif not close(g, want, abs_tol):
            out.append(_v(0, f"The schedule claims {label} = {_fmt_num(g)}{unit}, but it is {_fmt_num(want)}{unit}.",
                          kpi=label, claimed=g, expected=want))

    if not isinstance(claimed, dict):
        out.append(_v(0, "The schedule has no kpis.", kpi="kpis"))
    else:
        compare("sessions_total", claimed.get("sessions_total"), kpis["sessions_total"], 0.0)
        compare("sessions_scheduled", claimed.get("sessions_scheduled"), kpis["sessions_scheduled"], 0.0)
        compare("backfill_hours", claimed.get("backfill_hours"), kpis["backfill_hours"], 0.01, " h")
        compare("overtime_hours", claimed.get("overtime_hours"), kpis["overtime_hours"], 0.01, " h")
        compare("travel_minutes", claimed.get("travel_minutes"), kpis["travel_minutes"], 0.01, " min")
        bd = claimed.get("objective_breakdown")
        if not isinstance(bd, dict):
            out.append(_v(0, "The schedule's kpis have no objective_breakdown.", kpi="objective_breakdown"))
        else:
            for term in BREAKDOWN_TERMS:
                compare(f"objective term {term}", bd.get(term), kpis["objective_breakdown"][term], 0.5)
            if "move_session" in kpis["objective_breakdown"]:
                compare("objective term move_session", bd.get("move_session"),
                        kpis["objective_breakdown"]["move_session"], 0.5)
        if "objective" in claimed and claimed.get("objective") is not None:
            compare("kpis objective", claimed.get("objective"), kpis["objective"], 0.5)
    obj = ctx.schedule.get("objective")
    if obj is None and ctx.schedule.get("status") in ("infeasible", "unknown"):
        return out
    compare("objective", obj, kpis["objective"], 0.5)
    return out


# --------------------------------------------------------------------------
# Re-planning against a baseline
# --------------------------------------------------------------------------

MOVE_SESSION_DEFAULT = 500.0
REPLAN_RULE_NAME = "replan"


def _instant(value: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _session_moved(before: dict, after: dict) -> bool:
    """Another start instant, trainer or room than in the baseline."""
    return (_instant(before.get("start")) != _instant(after.get("start")) or before.get("trainer") != after.get("trainer")
            or before.get("room") != after.get("room"))


def _baseline_moved(ctx: Context) -> list[str]:
    """Ids of sessions in both the baseline and the schedule that moved (recomputed)."""
    base = {s.get("id"): s for s in ctx.baseline.get("sessions") or [] if isinstance(s, dict)}
    return sorted(str(s["id"]) for s in ctx._list("sessions")
                  if isinstance(s, dict) and s.get("id") in base and _session_moved(base[s["id"]], s))


def _move_term(ctx: Context) -> float | None:
    """The move_session objective term of a re-plan (a schedule with a ``replan`` section):
    its weight times the moved sessions, recomputed from the baseline when one is given,
    otherwise counted from the schedule's own ``moved`` list."""
    rp = ctx.schedule.get("replan")
    if not isinstance(rp, dict):
        return None
    weight = _num(rp.get("move_weight"))
    if weight is None:
        weight = _num((ctx.scenario.get("weights") or {}).get("move_session"))
    weight = MOVE_SESSION_DEFAULT if weight is None else weight
    if getattr(ctx, "baseline", None) is not None:
        return len(_baseline_moved(ctx)) * weight
    moved = ctx.schedule.get("moved")
    return len(moved if isinstance(moved, list) else []) * weight


def check_replan(ctx: Context, freeze_until: date | None = None) -> list[Violation]:
    """Rule 0 'replan' (only with a baseline): sessions of the baseline that start before
    freeze_until are in the schedule exactly as they were (start, end, trainer, room,
    interpreters); no other session starts before freeze_until; the schedule's ``moved``,
    ``added`` and ``cancelled`` lists are the real differences from the baseline."""
    out: list[Violation] = []
    rp = ctx.schedule.get("replan") if isinstance(ctx.schedule.get("replan"), dict) else {}
    freeze = freeze_until or _date(rp.get("freeze_until"))
    base = {s.get("id"): s for s in ctx.baseline.get("sessions") or [] if isinstance(s, dict)}
    new = {s.get("id"): s for s in ctx._list("sessions") if isinstance(s, dict)}

    def local_day(s: dict) -> date | None:
        ts = _instant(s.get("start"))
        return None if ts is None else ctx.local_date(ts)

    if freeze is not None:
        for sid, b in base.items():
            d = local_day(b)
            if d is None or d >= freeze:
                continue
            after = new.get(sid)
            same = after is not None and not _session_moved(b, after) and _instant(b.get("end")) == _instant(
                after.get("end")) and sorted(b.get("interpreters") or []) == sorted(after.get("interpreters") or [])
            if not same:
                what = "is missing" if after is None else "was changed"
                out.append(Violation(0, REPLAN_RULE_NAME, f"Session {sid} starts before freeze_until {freeze} "
                                     f"({ctx.fmt(_instant(b.get('start')))}) and must stay as it is, but {what}.",
                                     {"sessions": [sid]}))
        for sid, s in new.items():
            d = local_day(s)
            if d is not None and d < freeze and sid not in base:
                out.append(Violation(0, REPLAN_RULE_NAME, f"Session {sid} is new but starts before freeze_until "
                                     f"{freeze} ({ctx.fmt(_instant(s.get('start')))}).", {"sessions": [sid]}))
    want = {"moved": _baseline_moved(ctx), "added": sorted(str(x) for x in set(new) - set(base)),
            "cancelled": sorted(str(x) for x in set(base) - set(new))}
    for key, ids in want.items():
        got = ctx.schedule.get(key)
        got = sorted(str(x) for x in got) if isinstance(got, list) else None
        if got != ids:
            out.append(Violation(0, REPLAN_RULE_NAME, f"The schedule lists {_plural(len(got or []), 'session')} as "
                                 f"{key}, but compared with the baseline {_plural(len(ids), 'session')} "
                                 f"{'is' if len(ids) == 1 else 'are'} {key}: {_ids(ids) or 'none'}.",
                                 {"sessions": ids}))
    return out


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


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


def format_report(report: ValidationReport) -> str:
    """One line per violation, then a summary of the recomputed KPIs."""
    lines = []
    for v in report.violations:
        lines.append(f"[rule {v.rule} {v.rule_name}] {v.message}")
    if report.ok:
        lines.append("OK: the schedule breaks no rule.")
    else:
        per_rule = Counter(v.rule for v in report.violations)
        lines.append(f"{_plural(len(report.violations), 'violation')} "
                     f"({', '.join(f'rule {r}: {n}' for r, n in sorted(per_rule.items()))}).")
    k = report.kpis
    if k:
        lines.append(f"Sessions scheduled: {k['sessions_scheduled']} of {k['sessions_total']}; "
                     f"backfill {k['backfill_hours']:.2f} h; overtime {k['overtime_hours']:.2f} h; "
                     f"travel {_fmt_num(k['travel_minutes'])} min.")
        bd = k["objective_breakdown"]
        terms = [*BREAKDOWN_TERMS, *(["move_session"] if "move_session" in bd else [])]
        lines.append(f"Objective {_fmt_num(k['objective'])} = "
                     + " + ".join(f"{t} {_fmt_num(bd[t])}" for t in terms) + ".")
    return "\n".join(lines)
