"""The action-plan workbook's layout: its sheets, their columns, and the Swedish words of its cells."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.format import DEFAULT_WEIGHTS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

YES, NO = "ja", "nej"
BOOL_WORDS = {"ja": True, "j": True, "yes": True, "y": True, "true": True, "sant": True, "x": True,
               "nej": False, "n": False, "no": False, "false": False, "falskt": False}
LOCATION_SV = {"workplace": "arbetsplats", "any": "valfri", "remote": "distans"}
LOCATION_IN = {**{v: k for k, v in LOCATION_SV.items()}, **{k: k for k in LOCATION_SV}}
WEEKDAY_SV = {"mon": "mån", "tue": "tis", "wed": "ons", "thu": "tor", "fri": "fre", "sat": "lör", "sun": "sön"}
WEEKDAY_IN = {**{v: k for k, v in WEEKDAY_SV.items()}, **{k: k for k in WEEKDAY_SV},
               "man": "mon", "lor": "sat", "son": "sun",
               "måndag": "mon", "tisdag": "tue", "onsdag": "wed", "torsdag": "thu", "fredag": "fri",
               "lördag": "sat", "söndag": "sun", "monday": "mon", "tuesday": "tue", "wednesday": "wed",
               "thursday": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun"}
NEVER = "aldrig"
KIND_SV = {"trainer": "utbildare", "interpreter": "tolk", "room": "lokal"}
KIND_IN = {**{v: k for k, v in KIND_SV.items()}, **{k: k for k in KIND_SV}}
KIND_LIST = {"trainer": "trainers", "interpreter": "interpreters", "room": "rooms"}


@dataclass(frozen=True)
class Column:
    """One column of a table sheet (or one row of a field/value sheet).

    ``key`` is the spec's field name (also accepted as the header), ``sv`` the Swedish
    header; ``kind`` says how cells are read and written: id, text, int, num, bool, date,
    time, datetime (a date-time or a bare date), list (comma separated), location,
    weekday, kind (utbildare/tolk/lokal).  ``ref`` names the sheet whose first column
    feeds the drop-down list.
    """

    key: str
    sv: str
    kind: str = "text"
    ref: str | None = None
    note: str = ""
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    key: str
    sv: str
    en: str
    columns: tuple[Column, ...]
    needed: bool = False  # every scenario needs this sheet, with at least one row
    fields: bool = False  # a two-column field/value sheet
    note: str = ""


def _c(key, sv, kind="text", ref=None, note="", width=16) -> Column:
    return Column(key, sv, kind, ref, note, width)


_ID = _c("id", "Id", "id", note="unik kod, t.ex. W-VARD", width=14)
_NAME = _c("name", "Namn", width=28)

WEIGHT_SV = {
    "unscheduled_session": "Vikt: ej schemalagt tillfälle",
    "unassigned_participant": "Vikt: deltagare utan grupp",
    "backfill_per_hour": "Vikt: ersättare per timme",
    "overtime_per_hour": "Vikt: övertid per timme",
    "travel_per_minute": "Vikt: restid per minut",
    "late_per_day": "Vikt: försening per dag",
    "trainer_change": "Vikt: byte av utbildare",
    "move_session": "Vikt: flyttat tillfälle (omplanering)",
}
WEIGHT_PREFIX = "vikt:"

SHEETS: tuple[Sheet, ...] = (
    Sheet("scenario", "Scenario", "Scenario", (
        _c("id", "Id", "id", note="scenariots id"),
        _c("name", "Namn"),
        _c("timezone", "Tidszon", note="IANA-namn, Europe/Stockholm om tomt"),
        _c("horizon.start", "Planeringsperiod från", "date"),
        _c("horizon.end", "Planeringsperiod till", "date"),
        _c("travel.default_minutes", "Restid utan angivet par (minuter)", "int"),
        *(_c(f"weights.{k}", v, "num", note=f"standard {DEFAULT_WEIGHTS[k]}" if k in DEFAULT_WEIGHTS else "")
          for k, v in WEIGHT_SV.items()),
    ), needed=True, fields=True, note="scenariots namn, period och vikter"),
    Sheet("calendar", "Kalender", "Calendar", (
        _c("calendar.holidays", "Helgdagar (land)", note="landskod, t.ex. SE; ingen = inga helgdagar"),
        _c("calendar.weekdays", "Veckodagar", "list", note="t.ex. mån, tis, ons, tor, fre"),
        _c("calendar.start_times", "Starttider", "list", note="t.ex. 08:00, 13:00"),
        _c("calendar.daily_rest_hours", "Dygnsvila (timmar)", "num", note="0 stänger av regeln"),
    ), fields=True, note="veckodagar, starttider, helgdagar, dygnsvila"),
    Sheet("closed", "Stängt", "Closed", (
        _c("start", "Från", "date"), _c("end", "Till", "date"), _c("reason", "Anledning", width=30),
    ), note="stängda perioder (sommaruppehåll, jul)"),
    Sheet("sites", "Platser", "Sites", (_ID, _NAME), needed=True,
          note="platser: arbetsplatser, lärcentrum, testcenter"),
    Sheet("travel", "Restider", "Travel", (
        _c("from", "Från plats", "id", ref="sites"), _c("to", "Till plats", "id", ref="sites"),
        _c("minutes", "Minuter", "int"),
    ), note="restid mellan två platser (gäller båda hållen)"),
    Sheet("shift_types", "Skifttyper", "Shift types", (
        _ID, _c("start", "Början", "time"), _c("end", "Slut", "time", note="slut före början = nästa dag"),
    ), needed=True, note="skift, t.ex. F 06:00-14:00"),
    Sheet("shift_patterns", "Skiftscheman", "Shift patterns", (
        _ID, _c("anchor", "Dag 0 (datum)", "date"),
        _c("cycle", "Cykel", "list", note="skifttyper per dag, - = ledig, t.ex. F, F, E, E, -, -", width=40),
    ), needed=True, note="skiftscheman som upprepas"),
    Sheet("workplaces", "Arbetsplatser", "Workplaces", (
        _ID, _NAME, _c("site", "Plats", "id", ref="sites"),
    ), needed=True, note="arbetsplatser"),
    Sheet("teams", "Lag", "Teams", (
        _c("workplace", "Arbetsplats", "id", ref="workplaces"), _ID,
        _c("pattern", "Skiftschema", "id", ref="shift_patterns"),
        _c("offset_days", "Förskjutning (dagar)", "int"),
        _c("headcount", "Antal per skift", "int"),
        _c("min_staffing", "Minimibemanning", "int"),
    ), needed=True, note="arbetslag och minimibemanning"),
    Sheet("blocked", "Spärrade perioder", "Blocked periods", (
        _c("workplace", "Arbetsplats", "id", ref="workplaces"),
        _c("team", "Lag", "id", ref="teams"),
        _c("start", "Från", "datetime", width=18), _c("end", "Till", "datetime", width=18),
        _c("reason", "Anledning", width=30),
    ), note="perioder då ett arbetslag inte släpper iväg någon på utbildning (t.ex. inventering)"),
    Sheet("rooms", "Lokaler", "Rooms", (
        _ID, _NAME, _c("site", "Plats", "id", ref="sites"), _c("capacity", "Platser (antal)", "int"),
        _c("features", "Utrustning", "list", note="t.ex. projektor, datorer"),
    ), note="lokaler"),
    Sheet("trainers", "Utbildare", "Trainers", (
        _ID, _NAME, _c("qualifications", "Behörigheter", "list", width=24),
        _c("languages", "Språk", "list"), _c("home_site", "Hemmaplats", "id", ref="sites"),
        _c("max_minutes_per_week", "Max minuter per vecka", "int"),
        _c("max_sessions_per_day", "Max tillfällen per dag", "int"),
        _c("cost_per_hour", "Kostnad per timme", "num"),
    ), note="utbildare och testledare"),
    Sheet("interpreters", "Tolkar", "Interpreters", (
        _ID, _NAME, _c("languages", "Språk", "list"), _c("home_site", "Hemmaplats", "id", ref="sites"),
    ), note="tolkar och språkstöd"),
    Sheet("available", "Tillgänglighet", "Availability", (
        _c("kind", "Typ", "kind"), _c("owner", "Id", "id"),
        _c("weekday", "Veckodag", "weekday", note="mån..sön, eller aldrig"),
        _c("start", "Från", "time"), _c("end", "Till", "time"),
    ), note="veckotider då utbildare/tolkar kan (inga rader = alltid)"),
    Sheet("unavailable", "Ej tillgänglig", "Unavailable", (
        _c("kind", "Typ", "kind"), _c("owner", "Id", "id"),
        _c("start", "Från", "datetime", width=18), _c("end", "Till", "datetime", width=18),
    ), note="upptagen tid för utbildare, tolkar och lokaler"),
    Sheet("modules", "Moduler", "Modules", (
        _ID, _NAME, _c("sessions", "Antal tillfällen", "int"),
        _c("duration_minutes", "Längd (minuter)", "int"),
        _c("qualification", "Behörighet", note="tomt = modulens id"),
        _c("room_features", "Lokalkrav", "list"),
        _c("location", "Plats", "location", note="arbetsplats, valfri eller distans"),
        _c("min_gap_days", "Minst dagar mellan", "int"),
        _c("max_gap_days", "Högst dagar mellan", "int"),
    ), needed=True, note="utbildningsmoduler"),
    Sheet("tracks", "Utbildningsspår", "Tracks", (
        _ID, _NAME, _c("modules", "Moduler (i ordning)", "list", width=30),
        _c("min_group", "Minsta grupp", "int"), _c("max_group", "Största grupp", "int"),
        _c("mix_workplaces", "Blanda arbetsplatser", "bool"),
    ), needed=True, note="utbildningsspår: moduler i ordning"),
    Sheet("action_plans", "Handlingsplaner", "Action plans", (
        _ID, _c("workplace", "Arbetsplats", "id", ref="workplaces"),
        _c("track", "Utbildningsspår", "id", ref="tracks"),
        _c("earliest", "Tidigast", "date"), _c("deadline", "Senast", "date"), _c("target", "Mål", "date"),
        _c("allow_on_shift", "På arbetstid", "bool"), _c("allow_off_shift", "Utanför arbetstid", "bool"),
    ), needed=True, note="handlingsplaner"),
    Sheet("participants", "Deltagare", "Participants", (
        _c("action_plan", "Handlingsplan", "id", ref="action_plans"),
        _c("id", "Id", "id", note="namngiven deltagare (eller Antal)"),
        _c("team", "Lag", "id", ref="teams"),
        _c("count", "Antal", "int", note="antal deltagare från laget (i stället för Id)"),
        _c("language", "Språk", note="språk som behöver tolk/stöd"),
    ), needed=True, note="deltagare per handlingsplan"),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
ENTITY_LISTS = ("sites", "shift_types", "shift_patterns", "workplaces", "rooms", "trainers", "interpreters",
                 "modules", "tracks", "action_plans")

