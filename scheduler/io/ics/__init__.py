"""iCalendar (RFC 5545) export of a ``modulplan/schedule-1`` schedule.

One calendar per entity: a workplace, a trainer, a room, a cohort or an
interpreter. The calendars are meant to be *published* (downloaded or
subscribed to) and to work in Outlook, Google Calendar and Apple Calendar:

* ``METHOD:PUBLISH`` (never REQUEST: Outlook would treat the file as an
  invitation), ``REFRESH-INTERVAL;VALUE=DURATION:PT1H`` and
  ``X-PUBLISHED-TTL:PT1H`` so subscribers refresh hourly, ``X-WR-CALNAME``,
  ``X-WR-TIMEZONE``.
* Times are written as TZID-qualified local times in the scenario's
  ``timezone`` (default ``Europe/Stockholm``), never floating, together with a
  ``VTIMEZONE`` that has both a STANDARD and a DAYLIGHT observance. Whenever
  the zone follows a fixed yearly rule (as all of Europe does) the VTIMEZONE
  is written in the RRULE form that Google itself exports, because Outlook
  desktop misreads the RDATE-only form (iCalcreator/iCalcreator#86, #106);
  otherwise icalendar's own ``Timezone.from_tzid`` (RDATE form) is used.
  ``add_missing_timezones()`` is called afterwards and an empty
  ``get_missing_tzids()`` is enforced.
* Every VEVENT's UID is derived from the session's *identity* (scenario id,
  cohort, module, index), never from the session id or its times, so
  re-rendering a re-planned schedule updates events instead of duplicating
  them. SEQUENCE comes from the caller (``sequences``), default 0.
* The output is deterministic: the same input gives the same bytes (good for
  ETags). DTSTAMP is therefore not "now": it is ``generated_at`` when the
  caller passes it (e.g. the time the schedule was produced), otherwise the
  fixed :data:`DEFAULT_DTSTAMP`. Events are ordered by start instant, then UID.
* Text is Swedish (the users are Swedish workplaces): the SUMMARY reads
  ``"<modulnamn> – tillfälle n av m"``, remote sessions are ``"Distans"``,
  cancelled events are prefixed ``"INSTÄLLT: "`` and carry
  ``STATUS:CANCELLED``.
* Privacy: participant ids never appear in any calendar, only counts.

The package: ``identity`` (session keys and UIDs), ``timezones`` (the VTIMEZONE),
``calendars`` (one calendar: selection, texts, events), ``files`` (a folder of them).
"""

from scheduler.io.ics.calendars import DEFAULT_DTSTAMP, DEFAULT_TIMEZONE, KINDS, PRODID, build_calendar, calendar_bytes
from scheduler.io.ics.files import write_ics_dir
from scheduler.io.ics.identity import NAMESPACE, session_key, session_uid

__all__ = [
    "DEFAULT_DTSTAMP",
    "DEFAULT_TIMEZONE",
    "KINDS",
    "NAMESPACE",
    "PRODID",
    "build_calendar",
    "calendar_bytes",
    "session_key",
    "session_uid",
    "write_ics_dir",
]
