"""Busy times from calendars: an .ics file or feed (RFC 5545) -> ``unavailable`` periods.

Trainers' and rooms' bookings already live in calendars (Outlook, Google, booking
systems). :func:`busy_periods` reads one calendar and returns the periods in which its
owner is busy inside the scenario's horizon, as the scenario's ``unavailable`` entries
(local times in the scenario's time zone); :func:`add_unavailable` puts them on a
trainer, interpreter or room of a scenario.

How events are read:

* Recurring events are expanded with ``recurring-ical-events`` (RRULE, RDATE, EXDATE and
  moved single occurrences with RECURRENCE-ID).  Occurrences keep their local wall time
  across daylight-saving changes, as RFC 5545 says; each one is then converted through
  UTC to the scenario's zone, so an event in another time zone lands at the right local
  time.
* Google exports that only name their zone in ``X-WR-TIMEZONE`` are repaired first
  (``x-wr-timezone``).
* ``STATUS:CANCELLED`` events (and cancelled occurrences) are ignored, and so are
  ``TRANSP:TRANSPARENT`` ones (shown as "free": they do not block anyone).
* An all-day event (``DTSTART;VALUE=DATE``) makes its days unavailable; they are written
  as bare dates ``{"start": first day, "end": last day}`` (``DTEND`` is exclusive).
* A timed event becomes ``{"start": "YYYY-MM-DDTHH:MM", "end": ...}``: the start rounded
  down and the end rounded up to the minute.  A floating time (no zone) is read in the
  scenario's zone.
* Only occurrences that overlap the horizon (its first day 00:00 to the day after its
  last day) are kept.  Overlapping or touching periods are merged, and the result is
  sorted.

A known limit of the scenario format: a local date-time that occurs twice (the autumn
change, 02:00-03:00) is read as its first occurrence, so a busy period that starts or ends
inside the repeated hour is widened to cover both occurrences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.format import FieldError, ScenarioInvalid, load_scenario

__all__ = ["CalendarInvalid", "busy_periods", "add_unavailable", "read_calendar", "OWNER_KINDS"]

#: Scenario lists that carry ``unavailable`` periods, by the kind of their owner.
OWNER_KINDS = {"trainer": "trainers", "room": "rooms", "interpreter": "interpreters"}


class CalendarInvalid(ScenarioInvalid):
    """The calendar cannot be read; ``errors`` say why (path ``calendar`` or the event's UID)."""


def read_calendar(source: str | bytes | Path):
    """Parse .ics text, bytes or a file into an ``icalendar.Calendar`` (X-WR-TIMEZONE repaired)."""
    import icalendar
    import x_wr_timezone

    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, str):
        source = source.encode("utf-8")
    if not source.strip():
        raise CalendarInvalid([FieldError("calendar", "the calendar is empty")])
    try:
        cal = icalendar.Calendar.from_ical(source)
    except Exception as exc:  # icalendar raises ValueError and friends for malformed content
        raise CalendarInvalid([FieldError("calendar", f"is not an iCalendar file: {exc}")]) from None
    if cal.name != "VCALENDAR":
        raise CalendarInvalid([FieldError("calendar", f"starts with {cal.name}, not VCALENDAR")])
    problems = [FieldError(f"calendar event {c.get('UID', '?')}", f"cannot be read: {err}")
                for c in cal.walk("VEVENT") for _, err in getattr(c, "errors", [])]
    if problems:
        raise CalendarInvalid(problems)
    return x_wr_timezone.to_standard(cal)


_SUB_DAILY = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}


def _refuse_sub_daily(cal) -> None:
    """Busy times repeat at most daily: an event repeating every second, minute or hour is
    refused before anything is expanded (a 200-byte file must not expand to millions)."""
    problems = []
    for event in cal.walk("VEVENT"):
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = (rule.get("FREQ") or [""])[0]
            if str(freq).upper() in _SUB_DAILY:
                problems.append(FieldError(f"calendar event {event.get('UID', '?')}",
                                           f"repeats every {_SUB_DAILY[str(freq).upper()]}; busy times that repeat "
                                           "more often than daily cannot be imported"))
    if problems:
        raise CalendarInvalid(problems)


def _expansion_bound(cal, lo: datetime, hi: datetime) -> int:
    """At most how many occurrences the calendar's events have between lo and hi: each rule
    counted at its frequency over the window (or its COUNT), each RDATE and plain event once."""
    days = max(1, (hi - lo).days + 1)
    per_period = {"DAILY": days, "WEEKLY": days // 7 + 1, "MONTHLY": days // 28 + 1, "YEARLY": days // 365 + 1}
    total = 0
    for event in cal.walk("VEVENT"):
        total += 1
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            freq = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
            interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
            # BYxxx parts multiply what one period can hold (several days a week, months a year)
            spread = 1
            for part, most in (("BYDAY", 7), ("BYMONTHDAY", 31), ("BYMONTH", 12), ("BYYEARDAY", 366),
                               ("BYWEEKNO", 53), ("BYHOUR", 24), ("BYMINUTE", 60), ("BYSETPOS", 1)):
                if rule.get(part):
                    spread *= min(len(rule[part]), most) if part != "BYSETPOS" else 1
            bound = per_period.get(freq, days) // interval * spread + spread
            count = rule.get("COUNT")
            total += min(bound, int(count[0])) if count else bound
        rdates = event.get("RDATE")
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []:
            total += len(getattr(rdate, "dts", [rdate]))
    return total


def _window(horizon: Mapping[str, str], tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The horizon as aware instants: first day 00:00 to the midnight after the last day."""
    start = datetime.combine(date.fromisoformat(horizon["start"]), time(0), tz)
    end = datetime.combine(date.fromisoformat(horizon["end"]) + timedelta(days=1), time(0), tz)
    return start, end


def _is_busy(event) -> bool:
    """Cancelled and transparent ("free") events do not block anyone."""
    status = str(event.get("STATUS", "")).upper()
    transp = str(event.get("TRANSP", "")).upper()
    return status != "CANCELLED" and transp != "TRANSPARENT"


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    """A floating time is read in the scenario's zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _occurrence_span(event, tz: ZoneInfo) -> tuple[Any, Any]:
    """(start, end) of one occurrence: dates for all-day events, aware datetimes otherwise."""
    start = event["DTSTART"].dt
    if "DTEND" in event:
        end = event["DTEND"].dt
    elif "DURATION" in event:
        end = start + event["DURATION"].dt
    else:  # RFC 5545: a date start without end lasts one day, a date-time start is an instant
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    if isinstance(start, datetime):
        start = _aware(start, tz)
        end = _aware(end, tz) if isinstance(end, datetime) else datetime.combine(end, time(0), tz)
    return start, end


def _floor_minute(dt: datetime) -> datetime:
    return dt.replace(second=0, microsecond=0)


def _ceil_minute(dt: datetime) -> datetime:
    floored = _floor_minute(dt)
    return floored if floored == dt else floored + timedelta(minutes=1)


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[list[datetime]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _as_period(a: datetime, b: datetime, tz: ZoneInfo) -> dict:
    """An instant span as a scenario period: bare dates when it covers whole local days."""
    la, lb = a.astimezone(tz), b.astimezone(tz)
    if la.time() == time(0) and lb.time() == time(0) and lb.date() > la.date():
        return {"start": la.date().isoformat(), "end": (lb.date() - timedelta(days=1)).isoformat()}
    la, lb = _floor_minute(la), _ceil_minute(lb)
    # The scenario reads a repeated local hour as its first occurrence: make sure the
    # written end is not earlier in real time than the event's end.
    if lb.fold == 1:
        lb = lb.replace(fold=0) + timedelta(hours=1)
    return {"start": la.strftime("%Y-%m-%dT%H:%M"), "end": lb.strftime("%Y-%m-%dT%H:%M")}


def busy_periods(source: Any, horizon: Mapping[str, str], timezone_name: str = "Europe/Stockholm") -> list[dict]:
    """The busy periods of one calendar inside the horizon, as ``unavailable`` entries.

    ``source`` is .ics text, bytes, a :class:`~pathlib.Path` or a parsed calendar.
    """
    import recurring_ical_events

    from scheduler.format.limits import current_limits

    tz = ZoneInfo(timezone_name)
    cal = source if hasattr(source, "walk") else read_calendar(source)
    _refuse_sub_daily(cal)
    lo, hi = _window(horizon, tz)
    cap = current_limits().calendar_occurrences
    if _expansion_bound(cal, lo, hi) > cap:  # judged from the rules, before anything is expanded
        raise CalendarInvalid([FieldError("calendar", (
            f"can expand to more than {cap} events inside the horizon, the limit for one calendar; "
            "export only the busy times of the programme's period"))])
    spans: list[tuple[datetime, datetime]] = []
    try:
        occurrences = list(recurring_ical_events.of(cal).between(lo, hi))
    except Exception as exc:  # a broken RRULE and the like
        raise CalendarInvalid([FieldError("calendar", f"its repeating events cannot be expanded: {exc}")]) from None
    for event in occurrences:
        if not _is_busy(event) or "DTSTART" not in event:
            continue
        start, end = _occurrence_span(event, tz)
        if isinstance(start, datetime):
            a, b = start.astimezone(UTC), end.astimezone(UTC)
        else:
            a = datetime.combine(start, time(0), tz).astimezone(UTC)
            b = datetime.combine(end, time(0), tz).astimezone(UTC)
        a, b = max(a, lo.astimezone(UTC)), min(b, hi.astimezone(UTC))
        if b > a:
            spans.append((a, b))
    return [_as_period(a, b, tz) for a, b in _merge(spans)]


def add_unavailable(scenario: Mapping, kind: str, owner: str, source: Any, *, replace: bool = False) -> dict:
    """A copy of ``scenario`` whose trainer/room/interpreter ``owner`` is also busy at the
    calendar's busy times (``replace=True``: only at those).  The result is validated and
    normalized; an unknown owner is a :class:`ScenarioInvalid` naming it."""
    data = load_scenario(dict(scenario))
    list_key = OWNER_KINDS[kind]
    things = data.get(list_key) or []
    target = next((t for t in things if t.get("id") == owner), None)
    if target is None:
        known = ", ".join(t["id"] for t in things) or "none"
        raise ScenarioInvalid([FieldError(f"$.{list_key}", f"there is no {kind} {owner} (known: {known})")])
    periods = busy_periods(source, data["horizon"], data.get("timezone") or "Europe/Stockholm")
    existing = [] if replace else list(target.get("unavailable") or [])
    seen = {(p["start"], p["end"]) for p in existing}
    target["unavailable"] = existing + [p for p in periods if (p["start"], p["end"]) not in seen]
    return load_scenario(data)
