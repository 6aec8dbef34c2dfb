"""One published calendar (a workplace's, trainer's, room's, cohort's or interpreter's sessions) as iCalendar."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from scheduler.io.ics.identity import session_key, session_uid
from scheduler.io.ics.timezones import time_zone, vtimezone

PRODID = "-//modulplan//modulplan iCalendar export//SV"
DEFAULT_TIMEZONE = "Europe/Stockholm"
#: DTSTAMP used when no ``generated_at`` is given: a fixed value keeps the
#: output byte-identical for identical input (stable ETags).
DEFAULT_DTSTAMP = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ("workplace", "trainer", "room", "cohort", "interpreter")

_REFRESH = timedelta(hours=1)
_EN_DASH = "\u2013"
_REMOTE = "Distans"
_CANCELLED_PREFIX = "INSTÄLLT: "
_KIND_LABEL = {
    "workplace": None,  # "modulplan – Vårdboendet Linden"
    "trainer": "utbildare",
    "room": "lokal",
    "cohort": "grupp",
    "interpreter": "tolk",
}



def _parse_instant(value: str, what: str) -> datetime:
    """Parse an ISO 8601 date-time that must carry a UTC offset (or ``Z``)."""
    text = value.strip()
    if text.endswith(("Z", "z")):  # Python 3.11 accepts Z, be explicit anyway
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{what}: {value!r} is not an ISO 8601 date-time") from exc
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what}: {value!r} has no UTC offset")
    return dt


def _utc_stamp(generated_at: datetime | None) -> datetime:
    if generated_at is None:
        return DEFAULT_DTSTAMP
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise ValueError("generated_at must be timezone-aware")
    return generated_at.astimezone(UTC).replace(microsecond=0)



class _Index:
    def __init__(self, scenario: Mapping[str, Any], schedule: Mapping[str, Any]) -> None:
        def by_id(key: str, source: Mapping[str, Any] = scenario) -> dict[str, Mapping[str, Any]]:
            return {str(x["id"]): x for x in source.get(key) or []}

        self.scenario_id = str(scenario.get("id") or schedule.get("scenario") or "")
        if not self.scenario_id:
            raise ValueError("scenario has no id")
        self.scenario_name = str(scenario.get("name") or self.scenario_id)
        self.tzid = str(scenario.get("timezone") or DEFAULT_TIMEZONE)
        self.zone = time_zone(self.tzid)
        self.sites = by_id("sites")
        self.workplaces = by_id("workplaces")
        self.rooms = by_id("rooms")
        self.trainers = by_id("trainers")
        self.interpreters = by_id("interpreters")
        self.modules = by_id("modules")
        self.tracks = by_id("tracks")
        self.cohorts = by_id("cohorts", schedule)
        # participant ids per (workplace, track), from the action plans
        self.plan_members: dict[tuple[str, str], set[str]] = {}
        for plan in scenario.get("action_plans") or []:
            key = (str(plan.get("workplace")), str(plan.get("track")))
            members = self.plan_members.setdefault(key, set())
            for p in plan.get("participants") or []:
                if "id" in p:
                    members.add(str(p["id"]))
                else:
                    for n in range(1, int(p.get("count", 0)) + 1):
                        members.add(f"{plan['id']}-{p['team']}-{n}")

    @staticmethod
    def name(table: Mapping[str, Mapping[str, Any]], ident: str | None) -> str:
        if ident is None:
            return ""
        entry = table.get(str(ident))
        return str(entry.get("name") or ident) if entry else str(ident)

    def entity_name(self, kind: str, ident: str) -> str:
        table = {
            "workplace": self.workplaces,
            "trainer": self.trainers,
            "room": self.rooms,
            "interpreter": self.interpreters,
            "cohort": self.cohorts,
        }[kind]
        if ident not in table:
            raise ValueError(f"unknown {kind} {ident!r}")
        return self.name(table, ident)

    def location(self, room_id: str | None) -> str:
        if room_id is None:
            return _REMOTE
        room = self.rooms.get(str(room_id))
        if room is None:
            return str(room_id)
        room_name = str(room.get("name") or room_id)
        site_name = self.name(self.sites, room.get("site")) if room.get("site") else ""
        if site_name and site_name.casefold() not in room_name.casefold():
            return f"{room_name}, {site_name}"
        return room_name

    def workplace_count(self, cohort: Mapping[str, Any], workplace_id: str) -> int | None:
        """How many of the cohort's participants come from that workplace."""
        participants = [str(p) for p in cohort.get("participants") or []]
        members = self.plan_members.get((workplace_id, str(cohort.get("track"))))
        if members is not None:
            return sum(1 for p in participants if p in members)
        if list(cohort.get("workplaces") or []) == [workplace_id]:
            return len(participants)
        return None


def _cohort_of(index: _Index, session: Mapping[str, Any]) -> Mapping[str, Any]:
    cohort = index.cohorts.get(str(session["cohort"]))
    if cohort is not None:
        return cohort
    # a cancelled session's cohort may be gone from the new schedule: the
    # session dict itself may then carry "workplaces"/"participants"/"track"
    return {
        "id": session["cohort"],
        "track": session.get("track"),
        "workplaces": session.get("workplaces") or [],
        "participants": session.get("participants") or [],
    }


def _selected(kind: str, entity_id: str, session: Mapping[str, Any], cohort: Mapping[str, Any]) -> bool:
    if kind == "workplace":
        return entity_id in [str(w) for w in cohort.get("workplaces") or []]
    if kind == "trainer":
        return session.get("trainer") is not None and str(session["trainer"]) == entity_id
    if kind == "room":
        return session.get("room") is not None and str(session["room"]) == entity_id
    if kind == "cohort":
        return str(session["cohort"]) == entity_id
    if kind == "interpreter":
        return entity_id in [str(i) for i in session.get("interpreters") or []]
    raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


def _calendar_name(index: _Index, kind: str, entity_id: str) -> str:
    name = index.entity_name(kind, entity_id)
    if kind == "workplace":
        return f"modulplan {_EN_DASH} {name}"
    if kind == "cohort":
        track = index.name(index.tracks, index.cohorts[entity_id].get("track"))
        return f"modulplan {_EN_DASH} grupp {name} ({track})"
    return f"modulplan {_EN_DASH} {name} ({_KIND_LABEL[kind]})"


def _description(
    index: _Index,
    kind: str,
    entity_id: str,
    session: Mapping[str, Any],
    cohort: Mapping[str, Any],
    participant_filter: set[str] | None,
    cancelled: bool,
    named: frozenset[str] = frozenset({"trainer", "interpreter"}),
) -> str:
    module = index.modules.get(str(session["module"]), {})
    participants = [str(p) for p in cohort.get("participants") or []]
    lines = []
    if cancelled:
        lines.append("Inställt: tillfället har tagits bort ur planen.")
    lines.append(f"Utbildningsspår: {index.name(index.tracks, cohort.get('track'))}")
    lines.append(f"Modul: {module.get('name') or session['module']}")
    lines.append(f"Grupp: {session['cohort']}")
    lines.append(f"Deltagare: {len(participants)}")
    if kind == "workplace":
        count = index.workplace_count(cohort, entity_id)
        if count is not None:
            lines.append(f"Varav från {index.name(index.workplaces, entity_id)}: {count}")
    if participant_filter is not None:
        lines.append(f"Varav i urvalet: {sum(1 for p in participants if p in participant_filter)}")
    workplaces = [index.name(index.workplaces, w) for w in cohort.get("workplaces") or []]
    if workplaces:
        label = "Arbetsplats" if len(workplaces) == 1 else "Arbetsplatser"
        lines.append(f"{label}: {', '.join(workplaces)}")
    if session.get("trainer") is not None and ("trainer" in named or kind == "trainer"):
        lines.append(f"Utbildare: {index.name(index.trainers, session['trainer'])}")
    interpreters = [index.name(index.interpreters, i) for i in session.get("interpreters") or []]
    if interpreters and ("interpreter" in named or kind == "interpreter"):
        lines.append(f"Tolk: {', '.join(interpreters)}")
    elif interpreters:
        lines.append("Med tolk.")
    if session.get("room") is None:
        lines.append("Distansutbildning (ingen lokal).")
    return "\n".join(lines)


def _summary(index: _Index, session: Mapping[str, Any], cancelled: bool) -> str:
    module = index.modules.get(str(session["module"]), {})
    name = str(module.get("name") or session["module"])
    n = int(session["index"])
    total = module.get("sessions")
    text = f"{name} {_EN_DASH} tillfälle {n} av {int(total)}" if total else f"{name} {_EN_DASH} tillfälle {n}"
    return _CANCELLED_PREFIX + text if cancelled else text


def _sequence(sequences: Mapping[str, int] | None, uid: str, key: str) -> int:
    if not sequences:
        return 0
    value = sequences.get(uid, sequences.get(key, 0))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"SEQUENCE for {key} must be a non-negative int, not {value!r}")
    return value


def build_calendar(
    scenario: dict,
    schedule: dict,
    *,
    kind: str,
    entity_id: str,
    sequences: dict[str, int] | None = None,
    cancelled: list[dict] | None = None,
    participant_filter: set[str] | None = None,
    generated_at: datetime | None = None,
    uid_scope: str | None = None,
    named: frozenset[str] = frozenset({"trainer", "interpreter"}),
) -> icalendar.Calendar:
    """The calendar of one workplace, trainer, room, cohort or interpreter.

    Sessions are selected by ``kind``: ``workplace`` takes the sessions of
    cohorts whose ``workplaces`` contain ``entity_id``; ``trainer``, ``room``
    and ``cohort`` compare the session's field; ``interpreter`` looks in the
    session's ``interpreters``.

    ``sequences`` maps a session's UID (:func:`session_uid`), or its identity
    key (:func:`session_key`, ``"cohort/module/index"``), to its SEQUENCE
    (default 0); the UID wins if both are present. Raise it whenever start,
    end or location changes (RFC 5546), and for cancellations.

    ``cancelled`` are session dicts (schedule-1 format, typically from the
    previous schedule) emitted with ``STATUS:CANCELLED``. If a cancelled
    session's cohort is no longer in ``schedule``, the dict may carry the
    cohort's ``track``, ``workplaces`` and ``participants`` itself; without
    them it cannot appear in workplace calendars. A cancelled session whose
    UID is also live in ``schedule`` is an error.

    ``participant_filter`` keeps only sessions whose cohort holds at least one
    of those participant ids, and adds their count (never the ids).

    ``generated_at`` becomes every event's DTSTAMP (in UTC); without it the
    fixed :data:`DEFAULT_DTSTAMP` is used, so equal input gives equal bytes.

    ``uid_scope`` replaces the scenario id in the UIDs: the service scopes them by programme,
    so two programmes that happen to share a document id never share an event.

    ``named`` are the kinds of people ("trainer", "interpreter") whose names the events may
    carry; the others are left out (the service follows the scenario's ``publication``).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    index = _Index(scenario, schedule)
    entity_id = str(entity_id)
    cal_name = _calendar_name(index, kind, entity_id)
    stamp = _utc_stamp(generated_at)

    entries: list[tuple[datetime, str, Mapping[str, Any], bool]] = []
    seen: dict[str, str] = {}
    candidates = [(s, False) for s in schedule.get("sessions") or []]
    candidates += [(s, True) for s in cancelled or []]
    for session, is_cancelled in candidates:
        uid = session_uid(uid_scope or index.scenario_id, session)
        label = f"{'cancelled ' if is_cancelled else ''}session {session.get('id', session_key(session))}"
        if uid in seen:
            raise ValueError(
                f"{label} and {seen[uid]} are both {session_key(session)}: one UID for two events"
            )
        seen[uid] = label
        cohort = _cohort_of(index, session)
        if not _selected(kind, entity_id, session, cohort):
            continue
        if participant_filter is not None and not (
            participant_filter & {str(p) for p in cohort.get("participants") or []}
        ):
            continue
        start = _parse_instant(str(session["start"]), f"{label} start")
        end = _parse_instant(str(session["end"]), f"{label} end")
        if end <= start:
            raise ValueError(f"{label} ends ({session['end']}) before it starts ({session['start']})")
        entries.append((start, uid, session, is_cancelled))
    entries.sort(key=lambda e: (e[0].astimezone(UTC), e[1]))

    # period that the VTIMEZONE must describe exactly: horizon and events,
    # one year either side (so it always holds a STANDARD and a DAYLIGHT)
    years: set[int] = set()
    horizon = scenario.get("horizon") or {}
    for key in ("start", "end"):
        if horizon.get(key):
            years.add(date.fromisoformat(str(horizon[key])[:10]).year)
    for start, _, session, _ in entries:
        years.add(start.astimezone(index.zone).year)
        years.add(_parse_instant(str(session["end"]), "end").astimezone(index.zone).year)
    years = years or {stamp.year}
    first_year, last_year = min(years) - 1, max(years) + 1

    cal = icalendar.Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", cal_name)
    cal.add("X-WR-CALNAME", cal_name)
    cal_desc = f"{index.scenario_name} ({index.scenario_id}), skapad av modulplan"
    cal.add("X-WR-CALDESC", cal_desc)
    cal.add("X-WR-TIMEZONE", index.tzid)
    cal.add("REFRESH-INTERVAL", _REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT1H")
    cal.add_component(vtimezone(index.tzid, first_year, last_year))

    for start, uid, session, is_cancelled in entries:
        cohort = _cohort_of(index, session)
        end = _parse_instant(str(session["end"]), "end")
        track_name = index.name(index.tracks, cohort.get("track"))
        event = icalendar.Event()
        event.add("UID", uid)
        event.add("DTSTAMP", stamp)
        event.add("SEQUENCE", _sequence(sequences, uid, session_key(session)))
        event.add("DTSTART", start.astimezone(index.zone))
        event.add("DTEND", end.astimezone(index.zone))
        event.add("SUMMARY", _summary(index, session, is_cancelled))
        event.add("LOCATION", index.location(session.get("room")))
        event.add(
            "DESCRIPTION",
            _description(index, kind, entity_id, session, cohort, participant_filter, is_cancelled, named),
        )
        if track_name:
            event.add("CATEGORIES", [track_name])
        event.add("STATUS", "CANCELLED" if is_cancelled else "CONFIRMED")
        event.add("TRANSP", "TRANSPARENT" if is_cancelled else "OPAQUE")
        cal.add_component(event)

    cal.add_missing_timezones(date(first_year, 1, 1), date(last_year + 1, 1, 1))
    missing = cal.get_missing_tzids()
    if missing:
        raise RuntimeError(f"no VTIMEZONE for {sorted(missing)}: install tzdata")
    return cal


def calendar_bytes(cal: icalendar.Calendar) -> bytes:
    """The calendar as RFC 5545 bytes (UTF-8, CRLF, folded lines).

    Serve them as ``text/calendar; charset=utf-8``.
    """
    return cal.to_ical()


