"""Domain objects: plain frozen dataclasses built from a (normalized) scenario dict.

Nothing here knows about the solver. Every id is the scenario's own string id.
Times of day are `datetime.time`, dates are `datetime.date`, local date-times
are naive `datetime.datetime` in the scenario's time zone (see `timeline.Clock`
for the conversion to real elapsed time).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

# The format's constants have one definition: the schemas.
from scheduler.format import DEFAULT_WEIGHTS, OBJECTIVE_TERMS, WEEKDAYS  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class ShiftType:
    id: str
    start: time
    end: time  # end <= start: the shift ends the next day


@dataclass(frozen=True)
class ShiftPattern:
    id: str
    anchor: date
    cycle: tuple[str | None, ...]  # shift type id per cycle day, None = off

    def shift_on(self, day: date) -> str | None:
        return self.cycle[(day - self.anchor).days % len(self.cycle)]


@dataclass(frozen=True)
class Period:
    """A local date-time period [start, end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class BlockedPeriod(Period):
    """A period when a team releases nobody for training (the team's ``blocked`` list, with
    the manager's reason, e.g. "inventering"): hard rule 7 keeps every session with a member
    of the team out of it."""

    reason: str = ""


TeamKey = tuple[str, str]  # (workplace id, team id): team ids are unique within a workplace


@dataclass(frozen=True)
class Team:
    id: str
    workplace: str
    pattern: str
    offset_days: int
    headcount: int
    min_staffing: int
    blocked: tuple[BlockedPeriod, ...] = ()  # no member may be in a session during these

    @property
    def key(self) -> TeamKey:
        return (self.workplace, self.id)

    @property
    def staffing_slack(self) -> int:
        """How many of the team's members may be away in training during a shift."""
        return self.headcount - self.min_staffing


@dataclass(frozen=True)
class Workplace:
    id: str
    name: str
    site: str
    teams: tuple[Team, ...]


@dataclass(frozen=True)
class Site:
    id: str
    name: str


@dataclass(frozen=True)
class WeeklyWindow:
    weekday: int  # 0 = Monday
    start: time
    end: time  # end <= start: runs into the next day


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    site: str
    capacity: int
    features: frozenset[str]
    unavailable: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Trainer:
    id: str
    name: str
    qualifications: frozenset[str]
    languages: frozenset[str]
    home_site: str | None
    available: tuple[WeeklyWindow, ...] | None  # None: always available
    unavailable: tuple[Period, ...]
    max_minutes_per_week: int | None
    max_sessions_per_day: int | None
    cost_per_hour: float


@dataclass(frozen=True)
class Interpreter:
    id: str
    name: str
    languages: frozenset[str]
    home_site: str | None
    available: tuple[WeeklyWindow, ...] | None
    unavailable: tuple[Period, ...]


@dataclass(frozen=True)
class Module:
    id: str
    name: str
    sessions: int
    duration_minutes: int
    qualification: str
    room_features: frozenset[str]
    location: str  # "workplace" | "any" | "remote"
    min_gap_days: int
    max_gap_days: int | None


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    modules: tuple[str, ...]
    min_group: int
    max_group: int
    mix_workplaces: bool


@dataclass(frozen=True)
class Participant:
    id: str
    team: TeamKey
    language: str | None


@dataclass(frozen=True)
class ActionPlan:
    id: str
    workplace: str
    track: str
    participants: tuple[str, ...]
    earliest: date
    deadline: date
    target: date
    allow_on_shift: bool
    allow_off_shift: bool


@dataclass(frozen=True)
class Calendar:
    holidays: str | None
    closed: tuple[tuple[date, date, str], ...]
    weekdays: frozenset[int]
    start_times: tuple[time, ...]
    daily_rest_hours: float


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    timezone: str
    horizon_start: date
    horizon_end: date
    calendar: Calendar
    shift_types: dict[str, ShiftType]
    shift_patterns: dict[str, ShiftPattern]
    sites: dict[str, Site]
    travel_default: int
    travel_pairs: dict[frozenset[str], int]
    workplaces: dict[str, Workplace]
    rooms: dict[str, Room]
    trainers: dict[str, Trainer]
    interpreters: dict[str, Interpreter]
    modules: dict[str, Module]
    tracks: dict[str, Track]
    action_plans: dict[str, ActionPlan]
    participants: dict[str, Participant]
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @cached_property  # asked for in inner loops; the scenario is immutable
    def teams(self) -> dict[TeamKey, Team]:
        return {t.key: t for w in self.workplaces.values() for t in w.teams}

    @cached_property
    def travel_neighbours(self) -> dict[str, dict[str, int]]:
        """Per site, the sites with a travel time of their own (others take the default)."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for pair, minutes in self.travel_pairs.items():
            if len(pair) == 2:
                a, b = tuple(pair)
                out[a][b] = out[b][a] = minutes
        return out

    def longest_travel(self, site: str | None, others: frozenset) -> int:
        """The longest travel time from `site` to any other site in `others`."""
        if site is None:
            return 0
        nbrs = self.travel_neighbours.get(site, {})
        if len(nbrs) <= len(others):
            explicit = [m for b, m in nbrs.items() if b in others]
        else:
            explicit = [nbrs[b] for b in others if b in nbrs]
        rest = len(others) - (site in others) - len(explicit) - sum(1 for b in others if b is None)
        return max([*explicit, *([self.travel_default] if rest > 0 else [])], default=0)

    def travel_minutes(self, a: str | None, b: str | None) -> int:
        """Travel time between two sites; same site (or an unknown home) is 0."""
        if a is None or b is None or a == b:
            return 0
        return self.travel_pairs.get(frozenset((a, b)), self.travel_default)

    def plans_of_track(self, track_id: str) -> list[ActionPlan]:
        return [p for p in self.action_plans.values() if p.track == track_id]


# --------------------------------------------------------------------------
# Building the domain from a scenario dict (already checked by the schemas;
# defaults are applied here too so a raw spec-conformant dict also works).


def _time(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def _date(s: str) -> date:
    return date.fromisoformat(s)


def _local_dt(s: str, *, end: bool = False) -> datetime:
    """A local date-time; a bare date covers the whole day (as start: 00:00, as end: next 00:00)."""
    if "T" not in s:
        d = _date(s)
        return datetime.combine(d + timedelta(days=1) if end else d, time())
    return datetime.fromisoformat(s)


def _periods(items) -> tuple[Period, ...]:
    out = []
    for it in items or ():
        if isinstance(it, str):  # a bare date: the whole day
            out.append(Period(_local_dt(it), _local_dt(it, end=True)))
        else:
            out.append(Period(_local_dt(it["start"]), _local_dt(it["end"], end=True)))
    return tuple(out)


def _blocked(items) -> tuple[BlockedPeriod, ...]:
    """A team's ``blocked`` periods, read like ``unavailable`` ones (a bare date: that whole day)."""
    out = []
    for it in items or ():
        start, end = (it, it) if isinstance(it, str) else (it["start"], it["end"])
        reason = "" if isinstance(it, str) else it.get("reason") or ""
        out.append(BlockedPeriod(_local_dt(start), _local_dt(end, end=True), reason))
    return tuple(out)


def _weekday(name: str) -> int:
    return WEEKDAYS.index(name[:3].lower())


def _windows(items) -> tuple[WeeklyWindow, ...] | None:
    if items is None:
        return None
    return tuple(WeeklyWindow(_weekday(w["weekday"]), _time(w["start"]), _time(w["end"])) for w in items)


def expand_participants(plan: dict) -> list[dict]:
    """Named participants as given; counted ones become `<plan>-<team>-<n>`."""
    out = []
    for entry in plan.get("participants", []):
        if "count" in entry and "id" not in entry:
            for n in range(1, int(entry["count"]) + 1):
                out.append({"id": f"{plan['id']}-{entry['team']}-{n}", "team": entry["team"],
                            "language": entry.get("language")})
        else:
            out.append({"id": entry["id"], "team": entry["team"], "language": entry.get("language")})
    return out


def build_scenario(data: dict) -> Scenario:
    cal = data.get("calendar") or {}
    horizon = data["horizon"]
    calendar = Calendar(
        holidays=cal.get("holidays", "SE"),
        closed=tuple((_date(c["start"]), _date(c["end"]), c.get("reason", "")) for c in cal.get("closed", [])),
        weekdays=frozenset(_weekday(d) for d in cal.get("weekdays", WEEKDAYS[:5])),
        start_times=tuple(sorted({_time(t) for t in cal.get("start_times", ["08:00", "13:00"])})),
        daily_rest_hours=float(cal.get("daily_rest_hours", 11)),
    )
    shift_types = {s["id"]: ShiftType(s["id"], _time(s["start"]), _time(s["end"])) for s in data.get("shift_types", [])}
    shift_patterns = {
        p["id"]: ShiftPattern(p["id"], _date(p["anchor"]), tuple(None if c == "-" else c for c in p["cycle"]))
        for p in data.get("shift_patterns", [])
    }
    sites = {s["id"]: Site(s["id"], s.get("name", s["id"])) for s in data.get("sites", [])}
    travel = data.get("travel") or {}
    travel_pairs = {frozenset((p["from"], p["to"])): int(p["minutes"]) for p in travel.get("pairs", [])}
    workplaces = {}
    for w in data.get("workplaces", []):
        teams = tuple(
            Team(t["id"], w["id"], t["pattern"], int(t.get("offset_days", 0)), int(t["headcount"]),
                 int(t["min_staffing"]), _blocked(t.get("blocked")))
            for t in w.get("teams", [])
        )
        workplaces[w["id"]] = Workplace(w["id"], w.get("name", w["id"]), w["site"], teams)
    rooms = {
        r["id"]: Room(r["id"], r.get("name", r["id"]), r["site"], int(r["capacity"]),
                      frozenset(r.get("features", [])), _periods(r.get("unavailable")))
        for r in data.get("rooms", [])
    }
    trainers = {
        t["id"]: Trainer(
            t["id"], t.get("name", t["id"]), frozenset(t.get("qualifications", [])),
            frozenset(t.get("languages", [])), t.get("home_site"), _windows(t.get("available")),
            _periods(t.get("unavailable")), t.get("max_minutes_per_week"), t.get("max_sessions_per_day"),
            float(t.get("cost_per_hour", 0) or 0),
        )
        for t in data.get("trainers", [])
    }
    interpreters = {
        i["id"]: Interpreter(i["id"], i.get("name", i["id"]), frozenset(i.get("languages", [])), i.get("home_site"),
                             _windows(i.get("available")), _periods(i.get("unavailable")))
        for i in data.get("interpreters", [])
    }
    modules = {
        m["id"]: Module(
            m["id"], m.get("name", m["id"]), int(m["sessions"]), int(m["duration_minutes"]),
            m.get("qualification") or m["id"], frozenset(m.get("room_features", [])), m.get("location", "any"),
            int(m.get("min_gap_days", 1) if m.get("min_gap_days") is not None else 1), m.get("max_gap_days"),
        )
        for m in data.get("modules", [])
    }
    tracks = {
        t["id"]: Track(t["id"], t.get("name", t["id"]), tuple(t["modules"]), int(t["min_group"]), int(t["max_group"]),
                       bool(t.get("mix_workplaces", False)))
        for t in data.get("tracks", [])
    }
    team_index: dict[str, list[TeamKey]] = {}
    for w in workplaces.values():
        for t in w.teams:
            team_index.setdefault(t.id, []).append(t.key)

    participants: dict[str, Participant] = {}
    plans = {}
    h_start, h_end = _date(horizon["start"]), _date(horizon["end"])
    for p in data.get("action_plans", []):
        ids = []
        for entry in expand_participants(p):
            # A participant's team is looked up in the plan's workplace first.
            keys = team_index.get(entry["team"], [])
            key = (p["workplace"], entry["team"]) if (p["workplace"], entry["team"]) in keys else keys[0]
            participants.setdefault(entry["id"], Participant(entry["id"], key, entry.get("language")))
            ids.append(entry["id"])
        deadline = _date(p["deadline"]) if p.get("deadline") else h_end
        plans[p["id"]] = ActionPlan(
            p["id"], p["workplace"], p["track"], tuple(ids),
            _date(p["earliest"]) if p.get("earliest") else h_start, deadline,
            _date(p["target"]) if p.get("target") else deadline,
            bool(p.get("allow_on_shift", True)), bool(p.get("allow_off_shift", False)),
        )
    weights: dict[str, float] = dict(DEFAULT_WEIGHTS)
    weights.update({k: v for k, v in (data.get("weights") or {}).items() if k in DEFAULT_WEIGHTS})
    return Scenario(
        id=data["id"], name=data.get("name", data["id"]), timezone=data.get("timezone") or "Europe/Stockholm",
        horizon_start=h_start, horizon_end=h_end, calendar=calendar, shift_types=shift_types,
        shift_patterns=shift_patterns, sites=sites, travel_default=int(travel.get("default_minutes", 30)),
        travel_pairs=travel_pairs, workplaces=workplaces, rooms=rooms, trainers=trainers,
        interpreters=interpreters, modules=modules, tracks=tracks, action_plans=plans,
        participants=participants, weights=weights,
    )
