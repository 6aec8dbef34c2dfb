"""The validator's own reading of a scenario and a schedule (:class:`Context`).

Everything is parsed and expanded once - calendar, shift instances of every team, rooms,
people and their plans, cohorts, sessions - and shared by every check.  Written from the
contract alone, independent of the solver's reading.  Entries of the schedule that cannot be
read become rule-0 'format' violations (:func:`check_format`).

Conventions: instants are ``float`` seconds since the Unix epoch; a local time that does not
exist (spring change) is read with the offset before the change and one that occurs twice
(autumn) as its first occurrence (``fold=0``); intervals are half-open ``[start, end)``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays as _holidays

from scheduler.validate.parsed import Cohort, Person, Plan, Session, Shift, TimedSession
from scheduler.validate.report import DEFAULT_WEIGHTS, Violation, format_violation
from scheduler.validate.values import (
    DAY_NAMES,
    clock_minutes,
    days_from_to,
    integer,
    iso_date,
    merge_intervals,
    number,
    weekday_number,
)

DEFAULT_TIMEZONE = "Europe/Stockholm"
DEFAULT_START_TIMES = ("08:00", "13:00")
DEFAULT_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


class Context:
    """Scenario and schedule parsed once, shared by every check."""

    def __init__(self, scenario: dict, schedule: dict):
        self.scenario = scenario if isinstance(scenario, dict) else {}
        self.schedule = schedule if isinstance(schedule, dict) else {}
        self.format_violations: list[Violation] = []
        #: the schedule a re-plan started from (set by ``validate``); None when not a re-plan
        self.baseline: dict[str, Any] | None = None
        if not isinstance(schedule, dict):
            self.format_violations.append(format_violation("The schedule is not a JSON object."))
        sc = self.scenario

        # ---- time and calendar
        self.tz = ZoneInfo(sc.get("timezone") or DEFAULT_TIMEZONE)
        hz = sc.get("horizon") or {}
        self.horizon_start = iso_date(hz.get("start")) or date.min
        self.horizon_end = iso_date(hz.get("end")) or date.max
        cal = sc.get("calendar") or {}
        wd = cal.get("weekdays")
        if wd is None:
            wd = DEFAULT_WEEKDAYS
        self.weekdays = {w for w in (weekday_number(x) for x in wd) if w is not None}
        st = cal.get("start_times")
        if st is None:
            st = DEFAULT_START_TIMES
        self.start_times = {m for m in (clock_minutes(x) for x in st) if m is not None}
        self.start_times_text = ", ".join(str(x) for x in st)
        self.closed = []
        for c in cal.get("closed") or []:
            if isinstance(c, dict):
                c0, c1 = iso_date(c.get("start")), iso_date(c.get("end"))
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
        r = number(cal.get("daily_rest_hours"))
        self.rest_hours = 11.0 if r is None else r

        # ---- shifts
        self.shift_types: dict[str, tuple[int, int]] = {}
        for s in sc.get("shift_types") or []:
            s0, s1 = clock_minutes(s.get("start")), clock_minutes(s.get("end"))
            if s.get("id") is not None and s0 is not None and s1 is not None:
                self.shift_types[s["id"]] = (s0, s1)
        self.patterns: dict[Any, tuple[date, list[Any]]] = {}  # id as written -> (anchor, cycle)
        for p in sc.get("shift_patterns") or []:
            anchor = iso_date(p.get("anchor"))
            if p.get("id") is not None and anchor and p.get("cycle"):
                self.patterns[p["id"]] = (anchor, list(p["cycle"]))

        # ---- places
        self.sites = {s["id"]: s for s in sc.get("sites") or [] if "id" in s}
        tr = sc.get("travel") or {}
        dm = number(tr.get("default_minutes"))
        self.travel_default = 30.0 if dm is None else dm
        self.travel_pairs: dict[frozenset, float] = {}
        for p in tr.get("pairs") or []:
            m = number(p.get("minutes"))
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
            n = number(v)
            if n is not None:
                w[k] = n
        self.weights = w

        # ---- caches
        self._lt_cache: dict[tuple[date, int], float] = {}
        self._shift_cache: dict[tuple, Shift | None] = {}
        self._avail_cache: dict[tuple[str, str], Any] = {}

        self._build_people()
        self._build_schedule()
        #: per team, its ``blocked`` periods (modulplan's optional field: the team releases
        #: nobody for training then) as (start, end, as written, reason), unreadable ones left out
        self.team_blocked: dict[tuple[str, str], list[tuple[float, float, str, str]]] = {
            key: self._read_periods(t.get("blocked")) for key, t in self.teams.items() if t.get("blocked")}

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
        return f"{DAY_NAMES[d.weekday()]} {d:%Y-%m-%d %H:%M}"

    def fmt_span(self, a: float, b: float) -> str:
        da, db = self.to_local(a), self.to_local(b)
        if da.date() == db.date():
            return f"{DAY_NAMES[da.weekday()]} {da:%Y-%m-%d %H:%M}-{db:%H:%M}"
        return f"{self.fmt(a)} - {self.fmt(b)}"

    def parse_local(self, s: Any, end_of_day: bool = False) -> float | None:
        """A scenario date-time (local) or bare date; a bare date as an end
        means the end of that day."""
        d = iso_date(s)
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

    def site_for(self, s: Session, person: dict) -> Any:
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
    def shift_on(self, team_key: tuple | None, d: date) -> Shift | None:
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
                off = integer(team.get("offset_days")) or 0
                st = cycle[(d - timedelta(days=off) - anchor).days % len(cycle)]
                if st != "-" and st in self.shift_types:
                    s0, s1 = self.shift_types[st]
                    end_day = d + timedelta(days=1) if s1 <= s0 else d
                    inst = Shift(self.local_ts(d, s0), self.local_ts(end_day, s1), st, d)
        self._shift_cache[key] = inst
        return inst

    def shifts_overlapping(self, team_key: tuple | None, a: float, b: float) -> list[Shift]:
        """Shift instances of a team that overlap [a, b) in real time, sorted.

        A shift starts on some date d and ends at most a day later, so only the
        dates from local_date(a) - 1 to local_date(b) can overlap."""
        if team_key is None or team_key not in self.teams:
            return []
        out = []
        for d in days_from_to(self.local_date(a) - timedelta(days=1), self.local_date(b)):
            sh = self.shift_on(team_key, d)
            if sh is not None and sh.start < b and sh.end > a:
                out.append(sh)
        return out

    def shift_seconds_inside(self, team_key: tuple | None, a: float, b: float) -> float:
        """Seconds of [a, b) that lie inside the union of the team's shifts."""
        iv = [(max(a, s.start), min(b, s.end)) for s in self.shifts_overlapping(team_key, a, b)]
        return sum(y - x for x, y in merge_intervals(iv) if y > x)

    # ------------------------------------------------------------ availability
    def _read_periods(self, entries: Any) -> list[tuple[float, float, str, str]]:
        """Periods written as ``{start, end[, reason]}`` (local date-times or bare dates) or a
        bare date for that whole day: (start, end, label, reason), end after start."""
        out: list[tuple[float, float, str, str]] = []
        for u in entries if isinstance(entries, list) else []:
            if isinstance(u, dict):
                a, b = self.parse_local(u.get("start")), self.parse_local(u.get("end"), end_of_day=True)
                label = f"{u.get('start')}..{u.get('end')}" if u.get("start") != u.get("end") else str(u.get("start"))
                reason = u["reason"] if isinstance(u.get("reason"), str) else ""
            else:
                a, b = self.parse_local(u), self.parse_local(u, end_of_day=True)
                label, reason = str(u), ""
            if a is not None and b is not None and b > a:
                out.append((a, b, label, reason))
        return out

    def availability_windows(self, kind: str, pid: str, person: dict):
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
                    wd = weekday_number(w.get("weekday"))
                    s0, s1 = clock_minutes(w.get("start")), clock_minutes(w.get("end"))
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
        windows, unav = self.availability_windows(kind, pid, person)
        if windows is not None:
            iv = []
            for d in days_from_to(self.local_date(a) - timedelta(days=1), self.local_date(b)):
                for s0, s1 in windows.get(d.weekday(), ()):
                    end_day = d + timedelta(days=1) if s1 <= s0 else d
                    iv.append((self.local_ts(d, s0), self.local_ts(end_day, s1)))
            if not any(x <= a and b <= y for x, y in merge_intervals(iv)):
                d = self.local_date(a)
                todays = windows.get(d.weekday(), [])
                if todays:
                    hours = ", ".join(f"{s0 // 60:02d}:{s0 % 60:02d}-{s1 // 60:02d}:{s1 % 60:02d}" for s0, s1 in todays)
                    return f"is available on {DAY_NAMES[d.weekday()]} only {hours}"
                return f"is not available on {DAY_NAMES[d.weekday()]}s" if windows else "is never available"
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
        self.persons: dict[str, Person] = {}
        self.plans: dict[str, Plan] = {}
        self.plan_team: dict[tuple[str, str], tuple | None] = {}
        self.plans_of: dict[tuple[str, str | None], list[str]] = defaultdict(list)  # (pid, track) -> plans
        self.plans_by_track: dict[str | None, list[str]] = defaultdict(list)
        for p in self.scenario.get("action_plans") or []:
            plan_id = p.get("id")
            wp, track = p.get("workplace"), p.get("track")
            earliest = iso_date(p.get("earliest")) or self.horizon_start
            deadline = iso_date(p.get("deadline")) or self.horizon_end
            target = iso_date(p.get("target")) or deadline
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
                    for _ in range(max(0, integer(spec.get("count")) or 0)):
                        counters[team_id] += 1
                        ids.append(f"{plan_id}-{team_id}-{counters[team_id]}")
                else:
                    ids = [str(spec.get("id"))]
                team_key = self.resolve_team(wp, team_id)
                for pid in ids:
                    person = self.persons.get(pid)
                    if person is None:
                        person = self.persons[pid] = Person(pid, team_key)
                    if spec.get("language"):
                        person.languages.add(spec["language"])
                    if plan_id not in person.plans:
                        person.plans.append(plan_id)
                    self.plan_team.setdefault((pid, plan_id), team_key)
                    if pid not in seen:
                        seen.add(pid)
                        members.append(pid)
                        self.plans_of[(pid, track)].append(plan_id)
            self.plans[plan_id] = Plan(
                plan_id, wp, track, earliest, deadline, target,
                p.get("allow_on_shift", True) is not False,
                p.get("allow_off_shift", False) is True,
                members,
            )
            self.plans_by_track[track].append(plan_id)

    # ------------------------------------------------------------ schedule
    def entries(self, key: str) -> list:
        v = self.schedule.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.format_violations.append(format_violation(f"The schedule's '{key}' is not a list.", field=key))
            return []
        return v

    def _parse_instant(self, sid: str, which: str, value: Any) -> float | None:
        if not isinstance(value, str):
            self.format_violations.append(
                format_violation(f"Session {sid} has no readable {which} time ({value!r}).", sessions=[sid]))
            return None
        try:
            dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            self.format_violations.append(
                format_violation(f"Session {sid} has an unreadable {which} time '{value}'.", sessions=[sid]))
            return None
        if dt.tzinfo is None:
            self.format_violations.append(
                format_violation(f"Session {sid} {which} time '{value}' has no UTC offset; it is read as local time.",
                                 sessions=[sid]))
            dt = dt.replace(tzinfo=self.tz, fold=0)
        return dt.timestamp()

    def _build_schedule(self) -> None:
        # cohorts
        self.cohorts: list[Cohort] = []
        self.cohort_by_id: dict[str, Cohort] = {}
        self.duplicate_cohort_ids: list[str] = []
        for pos, raw in enumerate(self.entries("cohorts")):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), (str, int)):
                self.format_violations.append(format_violation(f"Cohort entry number {pos + 1} "
                                                               f"has no id.", position=pos))
                continue
            cid = str(raw["id"])
            parts = raw.get("participants")
            if not isinstance(parts, list):
                self.format_violations.append(format_violation(f"Cohort {cid} has no participant list.", cohort=cid))
                parts = []
            members, dups, seen = [], [], set()
            for x in parts:
                if not isinstance(x, (str, int)):
                    self.format_violations.append(
                        format_violation(f"Cohort {cid} lists an unreadable participant {x!r}.", cohort=cid))
                    continue
                x = str(x)
                if x in seen:
                    dups.append(x)
                else:
                    seen.add(x)
                    members.append(x)
            track_id = raw.get("track") if isinstance(raw.get("track"), str) else None
            c = Cohort(cid, pos, raw, track_id, self.tracks.get(track_id), members, dups)
            for m in members:
                for pl in self.plans_of.get((m, track_id), ()):
                    if pl not in c.plans:
                        c.plans.append(pl)
                    workplace = self.plans[pl].workplace
                    if workplace is not None:
                        c.workplaces.add(workplace)
            self.cohorts.append(c)
            if cid in self.cohort_by_id:
                self.duplicate_cohort_ids.append(cid)
            else:
                self.cohort_by_id[cid] = c

        # sessions
        self.sessions: list[Session] = []
        seen_ids: set[str] = set()
        for pos, raw in enumerate(self.entries("sessions")):
            if not isinstance(raw, dict):
                self.format_violations.append(format_violation(f"Session entry number {pos + 1} "
                                                               f"is not an object.", position=pos))
                continue
            rid = raw.get("id")
            if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid):
                sid = str(rid)
            else:
                sid = f"#{pos + 1}"
                self.format_violations.append(format_violation(f"Session entry number {pos + 1} "
                                                               f"has no id.", sessions=[sid]))
            if sid in seen_ids:
                self.format_violations.append(format_violation(f"Session id {sid} is used more "
                                                               f"than once.", sessions=[sid]))
            seen_ids.add(sid)
            cohort_id = raw.get("cohort") if isinstance(raw.get("cohort"), str) else None
            module_id = raw.get("module") if isinstance(raw.get("module"), str) else None
            index = integer(raw.get("index"))
            a = self._parse_instant(sid, "start", raw.get("start"))
            b = self._parse_instant(sid, "end", raw.get("end"))
            times: tuple[float, float] | None = None
            if a is not None and b is not None:
                if b <= a:
                    self.format_violations.append(
                        format_violation(f"Session {sid} ends ({raw.get('end')}) "
                                         f"before it starts ({raw.get('start')}).",
                                         sessions=[sid]))
                else:
                    times = (a, b)
            room = raw.get("room")
            interp = raw.get("interpreters")
            if interp is None:
                interp = []
            elif not isinstance(interp, list):
                self.format_violations.append(
                    format_violation(f"Session {sid} has an interpreter field that is not a list.", sessions=[sid]))
                interp = []
            cohort = self.cohort_by_id.get(cohort_id) if cohort_id is not None else None
            module = self.modules.get(module_id) if module_id is not None else None
            key_valid = False
            if cohort is not None and cohort.track is not None and module is not None:
                n = integer(module.get("sessions")) or 0
                key_valid = (module_id in (cohort.track.get("modules") or [])
                             and index is not None and 1 <= index <= n)
            fields: dict[str, Any] = {
                "trainer": raw.get("trainer"),
                "room": room if room is None or isinstance(room, str) else repr(room),
                "interpreters": list(dict.fromkeys(i if isinstance(i, str) else repr(i) for i in interp)),
                "cohort": cohort,
                "module": module,
                "key_valid": key_valid,
            }
            s: Session
            if times is None:
                s = Session(pos, sid, raw, cohort_id, module_id, index, **fields)
            else:
                local = self.to_local(times[0])
                s = TimedSession(pos, sid, raw, cohort_id, module_id, index, **fields,
                                 a=times[0], b=times[1], local=local, ldate=local.date())
            self.sessions.append(s)

        self.timed: list[TimedSession] = sorted((s for s in self.sessions if isinstance(s, TimedSession)),
                                                key=lambda s: (s.a, s.b, s.pos))

        # the (cohort, module, index) keys every cohort must cover
        self.required: list[tuple[str, str, int]] = []
        for c in self.cohorts:
            if c.track is None or self.cohort_by_id.get(c.id) is not c:
                continue
            for mid in c.track.get("modules") or []:
                module = self.modules.get(mid)
                for i in range(1, (integer(module.get("sessions")) or 0) + 1 if module else 1):
                    self.required.append((c.id, mid, i))
        self.scheduled_by_key: dict[tuple, list[Session]] = defaultdict(list)
        for s in self.sessions:
            if s.key_valid:
                self.scheduled_by_key[s.key].append(s)

        # every person's timed sessions, sorted
        self.person_sessions: dict[str, list[TimedSession]] = defaultdict(list)
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

    def sdesc(self, s: Session) -> str:
        what = f"{s.cohort_id} {s.module_id}#{s.index}"
        if isinstance(s, TimedSession):
            return f"{s.id} ({what}, {self.fmt_span(s.a, s.b)})"
        return f"{s.id} ({what})"

    def team_label(self, key: tuple | None) -> str:
        if key is None:
            return "no team"
        return f"team {key[1]} ({key[0]})"


def build_context(scenario: dict, schedule: dict) -> Context:
    """Parse and expand the scenario and schedule once for all checks."""
    return Context(scenario, schedule)


def check_format(ctx: Context) -> list[Violation]:
    """Rule 0 'format': every schedule entry can be read (ids, ISO 8601 times
    with UTC offset, end after start, lists where lists belong)."""
    return list(ctx.format_violations)
