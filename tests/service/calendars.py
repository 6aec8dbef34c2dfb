"""Checks a served calendar against the schedule JSON it came from."""

from __future__ import annotations

from datetime import datetime

import icalendar

from scheduler.io.ics import session_uid


def check_calendar(ics: bytes, scenario: dict, schedule: dict, *, kind: str, entity_id: str,
                   programme: str | None = None) -> int:
    """Every VEVENT is a session of ``schedule`` (by UID: scoped by the service's ``programme``,
    else by the scenario id) at the same instants, and every session of that entity is there.
    Returns the number of live events."""
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal.get("METHOD")) == "PUBLISH"
    assert cal.get("X-WR-CALNAME")
    assert cal.walk("VTIMEZONE"), "no VTIMEZONE"
    cohorts = {c["id"]: c for c in schedule["cohorts"]}

    def selected(s):
        if kind == "workplace":
            return entity_id in cohorts[s["cohort"]]["workplaces"]
        if kind == "interpreter":
            return entity_id in s["interpreters"]
        return s.get(kind) == entity_id

    expected = {session_uid(programme or scenario["id"], s): s for s in schedule["sessions"] if selected(s)}
    live = {}
    for ev in cal.walk("VEVENT"):
        if str(ev.get("STATUS")) == "CANCELLED":
            continue
        uid = str(ev.get("UID"))
        assert uid in expected, f"event {uid} is not a session of this {kind}'s schedule"
        s = expected[uid]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert start.tzinfo is not None and end.tzinfo is not None, "floating time"
        assert start == datetime.fromisoformat(s["start"]), (uid, start, s["start"])
        assert end == datetime.fromisoformat(s["end"]), (uid, end, s["end"])
        assert uid not in live, f"UID {uid} twice"
        live[uid] = ev
    assert set(live) == set(expected), f"missing events: {set(expected) - set(live)}"
    return len(live)
