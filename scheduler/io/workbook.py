"""The action-plan workbook: a scenario as an .xlsx that coordinators fill in, and back.

``write_workbook(scenario) -> bytes`` writes one sheet per entity (Swedish sheet names and
headers, drop-down lists for ids and fixed values, dates and times as real spreadsheet
dates and times); ``template_workbook()`` is that for the built-in example.
``read_workbook(source) -> dict`` reads a workbook back into a normalized
``modulplan/scenario-1`` document through the same schemas as JSON (``schemas.load_scenario``)
and raises :class:`~scheduler.format.ScenarioInvalid` with **every** problem at once. Each
error's ``path`` names the place in the workbook: ``sheet 'Deltagare', row 7, column 'Lag'``.
``read_workbook_with_warnings(source) -> (dict, [FieldError])`` also returns the warnings
(columns and fields the workbook does not know, which are ignored), placed the same way.

How the sheets map to the format (docs: README "Spreadsheets and reports"):

* ``Scenario`` and ``Kalender`` are two-column sheets (Fält, Värde): id, name, time zone,
  planning period, default travel time, the objective weights; holidays, weekdays, start
  times, daily rest.
* Every other sheet is a table: row 1 holds the headers, each further row one entry.
  Teams name their workplace (``Lag``), participants their action plan (``Deltagare``),
  weekly availability windows (``Tillgänglighet``) and unavailable periods
  (``Ej tillgänglig``) their trainer, interpreter or room.
* A list in one cell (shift cycle, a track's modules, qualifications, languages, room
  features, weekdays, start times) is written with commas: ``F, F, E, E, -, -``.
* Yes/no cells are ``ja``/``nej``; a module's place is ``arbetsplats``, ``valfri`` or
  ``distans``; weekdays ``mån`` .. ``sön``; kinds ``utbildare``, ``tolk``, ``lokal``.
  English (``yes``, ``any``, ``mon``, ``trainer``, spec field names as headers, English
  sheet names) is accepted everywhere on import.
* A trainer or interpreter without rows in ``Tillgänglighet`` is always available; one row
  with the weekday ``aldrig`` (never) and no times means never available.

Choices where the format leaves room: an empty cell leaves the field out (its default
applies); numbers written as text ("8", "1,5") are read as numbers; ids typed as numbers
become text ("101"); text cells are trimmed; a text date must be written ``YYYY-MM-DD``
(other spellings such as ``2/3 2026`` are reported, with the ISO date they would
probably mean, because ``2/3`` is 2 March in Sweden and 3 February elsewhere); times may
be ``8:00`` or ``08.00``.  Merged cells, repeated headers, values under an empty header,
missing sheets that every scenario needs and such sheets without rows are errors; columns
whose header starts with ``#`` are comments and ignored.  An unknown column header (or an
unknown field in ``Scenario``/``Kalender``) is a **warning** and the column is ignored, unless
it is a likely misspelling of one of that sheet's headers (``schemas.likely_meant``, as for
JSON fields): that is an error with "did you mean 'Minimibemanning'?".  Extension fields
(``x-…``) of the JSON are not carried by the workbook.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from scheduler.format import (
    DEFAULT_WEIGHTS,
    SCENARIO_FORMAT,
    FieldError,
    ScenarioInvalid,
    likely_meant,
    load_scenario,
    load_scenario_with_warnings,
    parse_date,
)
from scheduler.io.tables import cells_as_text

__all__ = [
    "SHEETS",
    "XLSX_MIME",
    "example_scenario",
    "read_workbook",
    "read_workbook_with_warnings",
    "template_workbook",
    "write_workbook",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --------------------------------------------------------------------------------------
# The layout: sheets and columns
# --------------------------------------------------------------------------------------

YES, NO = "ja", "nej"
_BOOL_WORDS = {"ja": True, "j": True, "yes": True, "y": True, "true": True, "sant": True, "x": True,
               "nej": False, "n": False, "no": False, "false": False, "falskt": False}
LOCATION_SV = {"workplace": "arbetsplats", "any": "valfri", "remote": "distans"}
_LOCATION_IN = {**{v: k for k, v in LOCATION_SV.items()}, **{k: k for k in LOCATION_SV}}
WEEKDAY_SV = {"mon": "mån", "tue": "tis", "wed": "ons", "thu": "tor", "fri": "fre", "sat": "lör", "sun": "sön"}
_WEEKDAY_IN = {**{v: k for k, v in WEEKDAY_SV.items()}, **{k: k for k in WEEKDAY_SV},
               "man": "mon", "lor": "sat", "son": "sun",
               "måndag": "mon", "tisdag": "tue", "onsdag": "wed", "torsdag": "thu", "fredag": "fri",
               "lördag": "sat", "söndag": "sun", "monday": "mon", "tuesday": "tue", "wednesday": "wed",
               "thursday": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun"}
NEVER = "aldrig"
KIND_SV = {"trainer": "utbildare", "interpreter": "tolk", "room": "lokal"}
_KIND_IN = {**{v: k for k, v in KIND_SV.items()}, **{k: k for k in KIND_SV}}
_KIND_LIST = {"trainer": "trainers", "interpreter": "interpreters", "room": "rooms"}


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

_WEIGHT_SV = {
    "unscheduled_session": "Vikt: ej schemalagt tillfälle",
    "unassigned_participant": "Vikt: deltagare utan grupp",
    "backfill_per_hour": "Vikt: ersättare per timme",
    "overtime_per_hour": "Vikt: övertid per timme",
    "travel_per_minute": "Vikt: restid per minut",
    "late_per_day": "Vikt: försening per dag",
    "trainer_change": "Vikt: byte av utbildare",
    "move_session": "Vikt: flyttat tillfälle (omplanering)",
}
_WEIGHT_PREFIX = "vikt:"

SHEETS: tuple[Sheet, ...] = (
    Sheet("scenario", "Scenario", "Scenario", (
        _c("id", "Id", "id", note="scenariots id"),
        _c("name", "Namn"),
        _c("timezone", "Tidszon", note="IANA-namn, Europe/Stockholm om tomt"),
        _c("horizon.start", "Planeringsperiod från", "date"),
        _c("horizon.end", "Planeringsperiod till", "date"),
        _c("travel.default_minutes", "Restid utan angivet par (minuter)", "int"),
        *(_c(f"weights.{k}", v, "num", note=f"standard {DEFAULT_WEIGHTS[k]}" if k in DEFAULT_WEIGHTS else "")
          for k, v in _WEIGHT_SV.items()),
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
    Sheet("sites", "Platser", "Sites", (_ID, _NAME), needed=True, note="platser: arbetsplatser, lärcentrum, testcenter"),
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
_SHEET = {s.key: s for s in SHEETS}
_ENTITY_LISTS = ("sites", "shift_types", "shift_patterns", "workplaces", "rooms", "trainers", "interpreters",
                 "modules", "tracks", "action_plans")


# --------------------------------------------------------------------------------------
# The example behind `modulplan template`
# --------------------------------------------------------------------------------------


def example_scenario() -> dict:
    """A small, complete scenario (a paper mill's crews and a care home) for the template."""
    day = [{"weekday": d, "start": "07:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
    return {
        "format": SCENARIO_FORMAT, "id": "exempel-1", "name": "Exempel: bruk och vårdboende, vår 2026",
        "timezone": "Europe/Stockholm", "horizon": {"start": "2026-03-02", "end": "2026-05-29"},
        "calendar": {"holidays": "SE", "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                     "closed": [{"start": "2026-04-13", "end": "2026-04-17", "reason": "påsklov"}],
                     "start_times": ["07:00", "08:00", "13:00", "14:30"], "daily_rest_hours": 11},
        "shift_types": [{"id": "F", "start": "06:00", "end": "14:00"}, {"id": "E", "start": "14:00", "end": "22:00"},
                        {"id": "N", "start": "22:00", "end": "06:00"}],
        "shift_patterns": [
            {"id": "tvaskift", "anchor": "2026-03-02", "cycle": ["F"] * 5 + ["-"] * 2 + ["E"] * 5 + ["-"] * 2},
            {"id": "femskift", "anchor": "2026-03-02", "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]}],
        "sites": [{"id": "S-BRUK", "name": "Bruket"}, {"id": "S-VARD", "name": "Vårdboendet Linden"},
                  {"id": "S-LC", "name": "Lärcentrum"}],
        "travel": {"default_minutes": 30, "pairs": [{"from": "S-BRUK", "to": "S-LC", "minutes": 25},
                                                    {"from": "S-VARD", "to": "S-LC", "minutes": 15}]},
        "workplaces": [
            {"id": "W-BRUK", "name": "Bruket", "site": "S-BRUK", "teams": [
                {"id": "skiftlag-1", "pattern": "femskift", "offset_days": 0, "headcount": 6, "min_staffing": 4},
                {"id": "skiftlag-2", "pattern": "femskift", "offset_days": 2, "headcount": 6, "min_staffing": 4}]},
            {"id": "W-VARD", "name": "Vårdboendet Linden", "site": "S-VARD", "teams": [
                {"id": "vard-dag", "pattern": "tvaskift", "offset_days": 0, "headcount": 8, "min_staffing": 5}]}],
        "rooms": [
            {"id": "R-BRUK", "name": "Konferensrummet, Bruket", "site": "S-BRUK", "capacity": 8,
             "features": ["projektor"]},
            {"id": "R-LC", "name": "Sal 1, Lärcentrum", "site": "S-LC", "capacity": 12,
             "features": ["projektor", "datorer"],
             "unavailable": [{"start": "2026-03-24T08:00", "end": "2026-03-24T17:00"}]}],
        "trainers": [
            {"id": "T-ERIK", "name": "Erik", "qualifications": ["SAK1", "SAK2"], "languages": ["sv", "en"],
             "home_site": "S-LC", "max_minutes_per_week": 600, "max_sessions_per_day": 2, "available": day,
             "unavailable": [{"start": "2026-03-16", "end": "2026-03-20"}], "cost_per_hour": 650},
            {"id": "T-SARA", "name": "Sara", "qualifications": ["VARD1", "VARD2", "SAK1"], "languages": ["sv"],
             "home_site": "S-VARD", "max_minutes_per_week": 480, "max_sessions_per_day": 2,
             "available": day[:4], "cost_per_hour": 600}],
        "interpreters": [{"id": "I-AMAL", "name": "Amal", "languages": ["ar", "sv"], "home_site": "S-LC",
                          "available": day}],
        "modules": [
            {"id": "SAK1", "name": "Säkerhet grund", "sessions": 2, "duration_minutes": 120,
             "room_features": ["projektor"], "location": "workplace", "min_gap_days": 2, "max_gap_days": 14},
            {"id": "SAK2", "name": "Säkerhet fördjupning", "sessions": 1, "duration_minutes": 180,
             "room_features": ["datorer"], "location": "any"},
            {"id": "VARD1", "name": "Basal vård", "sessions": 2, "duration_minutes": 90, "location": "any"},
            {"id": "VARD2", "name": "Dokumentation", "sessions": 1, "duration_minutes": 60, "location": "remote"}],
        "tracks": [
            {"id": "K-SAK", "name": "Säkerhetsspåret", "modules": ["SAK1", "SAK2"], "min_group": 3, "max_group": 6},
            {"id": "K-VARD", "name": "Vårdspåret", "modules": ["VARD1", "VARD2"], "min_group": 2, "max_group": 5,
             "mix_workplaces": True}],
        "action_plans": [
            {"id": "HP-BRUK-1", "workplace": "W-BRUK", "track": "K-SAK",
             "participants": [{"team": "skiftlag-1", "count": 2}, {"team": "skiftlag-2", "count": 2}],
             "earliest": "2026-03-02", "deadline": "2026-05-29", "target": "2026-04-30",
             "allow_on_shift": True, "allow_off_shift": True},
            {"id": "HP-VARD-1", "workplace": "W-VARD", "track": "K-VARD",
             "participants": [{"id": "v-101", "team": "vard-dag", "language": "ar"},
                              {"id": "v-102", "team": "vard-dag"}, {"id": "v-103", "team": "vard-dag"}],
             "earliest": "2026-03-02", "deadline": "2026-04-30", "target": "2026-03-20"}],
    }


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _cell_value(col: Column, value: Any) -> Any:
    """A scenario value as the spreadsheet cell shows it (dates as dates, lists joined)."""
    if value is None:
        return None
    kind = col.kind
    if kind == "bool":
        return YES if value else NO
    if kind == "list":
        return ", ".join(WEEKDAY_SV.get(v, v) if col.key == "calendar.weekdays" else str(v) for v in value)
    if kind == "location":
        return LOCATION_SV.get(value, value)
    if kind == "weekday":
        return WEEKDAY_SV.get(value, value)
    if kind == "kind":
        return KIND_SV.get(value, value)
    if kind == "date" and parse_date(value):
        return date.fromisoformat(value)
    if kind == "time" and isinstance(value, str) and re.match(r"^\d\d:\d\d$", value):
        return time(int(value[:2]), int(value[3:]))
    if kind == "datetime" and isinstance(value, str):
        if parse_date(value):
            return date.fromisoformat(value)
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm"}


def _number_format(col: Column, value: Any) -> str | None:
    if col.kind == "datetime":
        return "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
    return _FORMATS.get(col.kind)


def _rows_of(scenario: Mapping, sheet: Sheet) -> list[dict]:
    """The entries of one table sheet, as dicts keyed by column key."""
    key = sheet.key
    if key in _ENTITY_LISTS:
        return [dict(item) for item in scenario.get(key) or []]
    if key == "closed":
        return list((scenario.get("calendar") or {}).get("closed") or [])
    if key == "travel":
        return list((scenario.get("travel") or {}).get("pairs") or [])
    if key == "teams":
        return [{"workplace": w["id"], **t} for w in scenario.get("workplaces") or [] for t in w.get("teams") or []]
    if key == "participants":
        return [{"action_plan": p["id"], **x} for p in scenario.get("action_plans") or []
                for x in p.get("participants") or []]
    if key == "available":
        rows = []
        for kind in ("trainer", "interpreter"):
            for person in scenario.get(_KIND_LIST[kind]) or []:
                windows = person.get("available")
                if windows is not None and not windows:
                    rows.append({"kind": kind, "owner": person["id"], "weekday": NEVER})
                rows += [{"kind": kind, "owner": person["id"], **w} for w in windows or []]
        return rows
    if key == "unavailable":
        rows = []
        for kind in ("trainer", "interpreter", "room"):
            for thing in scenario.get(_KIND_LIST[kind]) or []:
                for u in thing.get("unavailable") or []:
                    period = {"start": u, "end": u} if isinstance(u, str) else u
                    rows.append({"kind": kind, "owner": thing["id"], **period})
        return rows
    raise KeyError(key)


def _field_value(scenario: Mapping, dotted: str) -> Any:
    node: Any = scenario
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _readme_rows() -> list[tuple[str, str]]:
    return [
        ("modulplan – handlingsplaner i kalkylblad", ""),
        ("", ""),
        ("Så fungerar det", "Varje flik är en sorts uppgift. Rad 1 är rubriker, varje rad under är en post. "
                            "Fyll i, spara som .xlsx och läs in med `modulplan import ARBETSBOK.xlsx --out "
                            "SCENARIO.json` (eller ladda upp i tjänsten). Alla fel visas på en gång med flik, "
                            "rad och kolumn."),
        ("Listor", "Flera värden i en cell skrivs med komma: F, F, E, E, -, -"),
        ("Datum och tider", "Datum som datum eller som text 2026-03-02; tider som 08:00. "
                            "Slå inte ihop celler."),
        ("Ja/nej", "ja eller nej (yes/no går också)."),
        ("Rullistor", "Id-kolumner och fasta värden har rullistor; egna värden är tillåtna men kontrolleras vid "
                      "inläsning."),
        ("Kommentarer", "En kolumn vars rubrik börjar med # läses inte in."),
        ("", ""),
        ("Flik", "Innehåll"),
        *((s.sv + (" (krävs)" if s.needed else ""), s.note) for s in SHEETS),
    ]


def write_workbook(scenario: Mapping, *, validate: bool = True) -> bytes:
    """The scenario as an action-plan workbook (.xlsx bytes).

    The scenario is normalized first (``validate=True``) so that every default is
    written out and the workbook reads back to the same scenario.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    data = load_scenario(dict(scenario)) if validate else scenario
    wb = Workbook()
    readme = wb.active
    readme.title = "Läs mig"
    for row in _readme_rows():
        readme.append(list(row))
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 24
    readme.column_dimensions["B"].width = 100
    for row in readme.iter_rows(min_row=3):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    positions = {s.key: _sheet_first_column(s) for s in SHEETS}
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.sv)
        if sheet.fields:
            ws.append(["Fält", "Värde", "Förklaring"])
            for col in sheet.columns:
                value = _field_value(data, col.key)
                if col.key == "calendar.holidays" and value is None:
                    value = "ingen"
                cell_value = _cell_value(col, value)
                ws.append([col.sv, cell_value, col.note])
                fmt = _number_format(col, cell_value)
                if fmt:
                    ws.cell(ws.max_row, 2).number_format = fmt
            if sheet.key == "scenario":  # weights this layout has no row for (added to the format later)
                for key, value in (data.get("weights") or {}).items():
                    if key not in _WEIGHT_SV:
                        ws.append([f"Vikt: {key}", value, ""])
            widths = (34, 30, 50)
        else:
            ws.append([c.sv for c in sheet.columns])
            for entry in _rows_of(data, sheet):
                values = [_cell_value(c, entry.get(c.key)) for c in sheet.columns]
                ws.append(values)
                for j, (c, v) in enumerate(zip(sheet.columns, values), start=1):
                    fmt = _number_format(c, v)
                    if fmt and v is not None:
                        ws.cell(ws.max_row, j).number_format = fmt
            widths = tuple(c.width for c in sheet.columns)
            for j, c in enumerate(sheet.columns, start=1):
                ws.cell(1, j).comment = Comment(f"{c.key}" + (f": {c.note}" if c.note else ""), "modulplan")
            _add_drop_downs(ws, sheet, positions, DataValidation)
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, j).column_letter].width = width
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
        ws.freeze_panes = "A2" if not sheet.fields else "B2"
    out = io.BytesIO()
    for ws in wb.worksheets:
        cells_as_text(ws)  # names typed as =HYPERLINK(...) stay text
    wb.save(out)
    return out.getvalue()


def _sheet_first_column(sheet: Sheet) -> str:
    """Where a sheet's ids are, for drop-downs: ``'Lag'!$B$2:$B$2000``."""
    index = next((i for i, c in enumerate(sheet.columns) if c.key == "id"), 0)
    letter = chr(ord("A") + index)
    return f"'{sheet.sv}'!${letter}$2:${letter}$2000"


_ENUM_CHOICES = {
    "bool": (YES, NO),
    "location": tuple(LOCATION_SV.values()),
    "weekday": (*WEEKDAY_SV.values(), NEVER),
    "kind": tuple(KIND_SV.values()),
}


def _add_drop_downs(ws, sheet: Sheet, positions: Mapping[str, str], DataValidation) -> None:
    """Drop-down lists on id references and fixed values (warnings only: other values may be typed)."""
    for j, col in enumerate(sheet.columns, start=1):
        if col.ref:
            formula = "=" + positions[col.ref]
        elif col.kind in _ENUM_CHOICES:
            formula = '"' + ",".join(_ENUM_CHOICES[col.kind]) + '"'
        else:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning",
                            showErrorMessage=True, error="Värdet finns inte i listan", errorTitle=col.sv)
        letter = ws.cell(1, j).column_letter
        dv.add(f"{letter}2:{letter}2000")
        ws.add_data_validation(dv)


def template_workbook() -> bytes:
    """The action-plan workbook filled with the built-in example."""
    return write_workbook(example_scenario())


# --------------------------------------------------------------------------------------
# Reading: cells to values
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A place in the workbook: a sheet, and maybe a row and a column header."""

    sheet: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        out = f"sheet '{self.sheet}'"
        if self.row is not None:
            out += f", row {self.row}"
        if self.column is not None:
            out += f", column '{self.column}'"
        return out

    def order(self) -> tuple:
        sheet_pos = next((i for i, s in enumerate(SHEETS) if s.sv == self.sheet), len(SHEETS))
        return (sheet_pos, self.row or 0)


class CellProblem(ValueError):
    """A cell that cannot be read as its column's kind; the message says what is wrong."""


_SV_MONTHS = {"jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4, "april": 4,
              "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8, "sep": 9,
              "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12,
              "december": 12}


def _guess_swedish_date(text: str) -> date | None:
    """What a non-ISO date written the Swedish way most likely means (d/m, d.m.y, "2 mars 2026")."""
    m = re.match(r"^(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.\s]\s*(\d{2,4}))?$", text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = re.match(r"^(\d{1,2})\s+([a-zåäö]+)\.?\s*(\d{4})?$", text.lower())
        if not m or m.group(2) not in _SV_MONTHS:
            m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
            if not m:
                return None
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
        day, month, year = int(m.group(1)), _SV_MONTHS[m.group(2)], m.group(3)
    if year is None:
        return None
    y = int(year)
    if y < 100:
        y += 2000
    try:
        return date(y, month, day)
    except ValueError:
        return None


def _date_text(value: Any) -> str:
    """A date cell or ``YYYY-MM-DD`` text -> ``YYYY-MM-DD``."""
    if isinstance(value, datetime):
        if value.time() != time(0, 0):
            raise CellProblem(f"must be a date without a time of day (got {value:%Y-%m-%d %H:%M})")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if parse_date(value):
            return value
        guess = _guess_swedish_date(value)
        if guess is not None:
            raise CellProblem(f'is the text {_shown(value)}, not a date; write {guess.isoformat()} (YYYY-MM-DD) '
                              "or enter it as a date")
        raise CellProblem(f'must be a date written YYYY-MM-DD (got {_shown(value)})')
    raise CellProblem(f"must be a date written YYYY-MM-DD (got {_shown(value)})")


def _minute(value: time | datetime) -> tuple[int, int]:
    """Hour and minute, rounded to the nearest minute (spreadsheet times are fractions of a day)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    minutes = int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
    return divmod(minutes % 1440, 60)


def _time_text(value: Any) -> str:
    """A time cell, a fraction of a day, or ``8:00`` / ``08.00`` text -> ``HH:MM``."""
    if isinstance(value, (time, datetime)):
        h, m = _minute(value)
        return f"{h:02d}:{m:02d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 1440)
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    if isinstance(value, str):
        m = re.match(r"^(\d{1,2})[:.](\d{2})(?::00)?$", value)
        if m and int(m.group(1)) <= 23 and int(m.group(2)) <= 59:
            return f"{int(m.group(1)):02d}:{m.group(2)}"
        if value == "24:00" or value == "24.00":
            raise CellProblem('must be a time from 00:00 to 23:59; write 00:00 for midnight '
                              "(an end not after its start means the next day)")
    raise CellProblem(f"must be a time written HH:MM, such as 08:00 (got {_shown(value)})")


def _datetime_text(value: Any, number_format: str) -> str:
    """A date-time cell, a date cell (whole day) or text -> ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, datetime):
        has_clock = "h" in (number_format or "").lower()
        if value.time() == time(0, 0) and not has_clock:
            return value.date().isoformat()
        h, m = _minute(value)
        return f"{value.date().isoformat()}T{h:02d}:{m:02d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", value) else value
        if parse_date(text):
            return text
        m = re.match(r"^(\d{4}-\d\d-\d\d)T(\d{1,2}[:.]\d\d)$", text)
        if m and parse_date(m.group(1)):
            return f"{m.group(1)}T{_time_text(m.group(2))}"
        guess = _guess_swedish_date(value.split(" ")[0])
        if guess is not None:
            raise CellProblem(f'is the text {_shown(value)}, not a date; write {guess.isoformat()} or '
                              f"{guess.isoformat()} 08:00 (YYYY-MM-DD HH:MM), or enter it as a date")
    raise CellProblem("must be a date (whole day) or a date and time written YYYY-MM-DD HH:MM "
                      f"(got {_shown(value)})")


def _shown(value: Any, limit: int = 60) -> str:
    """A cell's value as an error sentence quotes it: shortened (a 300 MB cell is not echoed back)."""
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 2] + ('…"' if isinstance(value, str) else "…")


_NUMBER_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def _number(value: Any) -> Any:
    """Numbers stay numbers; number text ("8", "1,5") becomes one; other text is left for the schema."""
    if isinstance(value, str) and _NUMBER_TEXT.match(value.replace("\u00a0", "").replace(" ", "")):
        text = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return float(text) if "." in text else int(text)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _id_text(value: Any) -> Any:
    """Ids typed as numbers become text ("101"); dates are shown as text, then refused by the schema."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _choice(value: Any, table: Mapping[str, str], what: str) -> str:
    if isinstance(value, str) and value.lower() in table:
        return table[value.lower()]
    raise CellProblem(f"must be {what} (got {_shown(value)})")


def _split_list(value: Any) -> list:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;\n]", value) if part.strip()]
    return [_id_text(value)]


def read_cell(col: Column, value: Any, number_format: str = "") -> Any:
    """One cell's value as the scenario's JSON value (raises :class:`CellProblem`)."""
    kind = col.kind
    if kind == "id":
        return _id_text(value)
    if kind in ("int", "num"):
        return _number(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        return _choice(value, _BOOL_WORDS, "ja or nej (yes or no)")
    if kind == "date":
        return _date_text(value)
    if kind == "time":
        return _time_text(value)
    if kind == "datetime":
        return _datetime_text(value, number_format)
    if kind == "list":
        items = _split_list(value)
        if col.key == "calendar.start_times":
            return [_time_text(x) for x in items]
        if col.key == "calendar.weekdays":
            return [_choice(x, _WEEKDAY_IN, "weekdays such as mån, tis, ons (or mon, tue, wed)") for x in items]
        return items
    if kind == "location":
        return _choice(value, _LOCATION_IN, "arbetsplats, valfri or distans (workplace, any, remote)")
    if kind == "weekday":
        if isinstance(value, str) and value.lower() in (NEVER, "never"):
            return NEVER
        return _choice(value, _WEEKDAY_IN, "a weekday mån .. sön (mon .. sun), or aldrig")
    if kind == "kind":
        return _choice(value, _KIND_IN, "utbildare, tolk or lokal (trainer, interpreter, room)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _id_text(value)  # a name or a language typed as a number is still text
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------------------
# Reading: sheets to rows
# --------------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    """Header/sheet/field names compared loosely: case, spaces, underscores, accents kept."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    return re.sub(r"[\s_]+", " ", text)


@dataclass
class Row:
    """One data row: values by column key, and where each came from."""

    sheet: Sheet
    number: int
    values: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # column key -> the header as written

    def where(self, key: str | None = None) -> Where:
        column = None
        if key is not None:
            column = self.headers.get(key) or next((c.sv for c in self.sheet.columns if c.key == key), key)
        return Where(self.sheet.sv, self.number, column)


class _Reader:
    """Collects rows and cell problems from an openpyxl workbook."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.errors: list[tuple[Where, str]] = []
        self.warnings: list[tuple[Where, str]] = []
        self.bad_cells: set[Where] = set()
        self.by_name = {_norm(name): name for name in wb.sheetnames}

    def problem(self, where: Where, message: str) -> None:
        self.errors.append((where, message))
        self.bad_cells.add(where)

    def unknown_name(self, where: Where, name: str, known: Mapping[str, str], what: str, listing: str) -> None:
        """A header or field name the sheet does not know: an error when it is a likely
        misspelling of one of ``known`` (normalized name -> name as shown), else a warning."""
        meant = likely_meant(_norm(name), list(known))
        subject = f"{_shown(name)} " if what == "field" else ""  # a header is named by the place already
        if meant is not None:
            self.problem(where, f"{subject}is not a {what} of this sheet; did you mean '{known[meant]}'?")
        else:
            self.warnings.append((where, f"{subject}is not a {what} of this sheet, so it is ignored; the {what}s are "
                                         f"{listing} (a name starting with \"#\" marks a comment)"))

    def worksheet(self, sheet: Sheet):
        for name in (sheet.sv, sheet.en, sheet.key):
            found = self.by_name.get(_norm(name))
            if found is not None:
                return self.wb[found]
        if sheet.needed:
            self.problem(Where(sheet.sv), f"is missing; every scenario needs it ({sheet.note})")
        return None

    def grid(self, ws) -> list[list[Any]]:
        """The sheet's values with every merged range reported once and filled from its first cell."""
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for rng in list(ws.merged_cells.ranges):
            self.problem(Where(ws.title, rng.min_row),
                         f"cells {rng.coord} are merged; unmerge them and write the value in every cell")
            first = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else None
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = first
        return rows

    def formats(self, ws, row: int, col: int) -> str:
        return ws.cell(row, col).number_format or ""

    def table(self, sheet: Sheet) -> list[Row]:
        ws = self.worksheet(sheet)
        if ws is None:
            return []
        grid = self.grid(ws)
        if not grid or all(_blank(v) for v in grid[0]):
            self.problem(Where(ws.title), "is empty: row 1 must hold the headers "
                                          + ", ".join(c.sv for c in sheet.columns))
            return []
        known = {}
        for c in sheet.columns:
            known[_norm(c.sv)] = c
            known[_norm(c.key)] = c
        if sheet.key == "participants":
            known[_norm("participant")] = known[_norm("id")]
        if sheet.key in ("available", "unavailable"):
            known[_norm("who")] = known[_norm("owner")]
        columns: dict[int, Column] = {}
        headers: dict[str, str] = {}
        for j, header in enumerate(grid[0]):
            if _blank(header):
                if any(j < len(r) and not _blank(r[j]) for r in grid[1:]):
                    self.problem(Where(ws.title, 1, _letter(j)), "has values below it but no header")
                continue
            text = str(header).strip()
            if text.startswith("#"):
                continue
            col = known.get(_norm(text))
            if col is None:
                shown = {name: (c.sv if name == _norm(c.sv) else c.key) for name, c in known.items()}
                self.unknown_name(Where(ws.title, 1, text), text, shown, "column",
                                  ", ".join(c.sv for c in sheet.columns))
                continue
            if col.key in headers:
                self.problem(Where(ws.title, 1, text), f"repeats the column '{headers[col.key]}'")
                continue
            columns[j] = col
            headers[col.key] = text
        rows: list[Row] = []
        for i, values in enumerate(grid[1:], start=2):
            if all(_blank(v) for v in values):
                continue
            row = Row(sheet, i, headers=headers)
            for j, col in columns.items():
                raw = values[j] if j < len(values) else None
                if _blank(raw):
                    continue
                if isinstance(raw, str):
                    raw = raw.strip()
                try:
                    row.values[col.key] = read_cell(col, raw, self.formats(ws, i, j + 1))
                except CellProblem as exc:
                    self.problem(row.where(col.key), str(exc))
                    row.values[col.key] = _Bad()
            rows.append(row)
        if not rows and sheet.needed:
            self.problem(Where(ws.title), f"has no rows; a scenario needs at least one ({sheet.note})")
        return rows

    def fields(self, sheet: Sheet) -> list[Row]:
        """A field/value sheet as one Row per field (row numbers of the workbook)."""
        ws = self.worksheet(sheet)
        if ws is None:
            return []
        grid = self.grid(ws)
        if not grid:
            self.problem(Where(ws.title), "is empty: column A must name the fields, column B hold their values")
            return []
        known = {}
        for c in sheet.columns:
            known[_norm(c.sv)] = c
            known[_norm(c.key)] = c
            known[_norm(c.key.split(".")[-1])] = c
        out = []
        for i, values in enumerate(grid, start=1):
            name = values[0] if values else None
            if _blank(name) or (i == 1 and _norm(name) in ("fält", "field")):
                continue
            col = known.get(_norm(name))
            if col is None and sheet.key == "scenario" and _norm(name).startswith(_WEIGHT_PREFIX):
                key = _norm(name)[len(_WEIGHT_PREFIX):].strip().replace(" ", "_")
                col = _c(f"weights.{key}", str(name).strip(), "num")
            if col is None:
                if str(name).strip().startswith("#"):
                    continue
                shown = {key: (c.sv if key == _norm(c.sv) else c.key) for key, c in known.items()}
                self.unknown_name(Where(ws.title, i, "Fält"), str(name).strip(), shown, "field",
                                  ", ".join(c.sv for c in sheet.columns))
                continue
            raw = values[1] if len(values) > 1 else None
            row = Row(sheet, i, headers={col.key: "Värde"})
            if not _blank(raw):
                if isinstance(raw, str):
                    raw = raw.strip()
                try:
                    row.values[col.key] = read_cell(col, raw, self.formats(ws, i, 2))
                except CellProblem as exc:
                    self.problem(row.where(col.key), str(exc))
                    row.values[col.key] = _Bad()
            out.append(row)
        return out


class _Bad:
    """Stands for a cell already reported: the field is left out of the document."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --------------------------------------------------------------------------------------
# Reading: rows to the scenario document
# --------------------------------------------------------------------------------------


class _Builder:
    """Builds the scenario document and remembers where every JSON path came from."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.where: dict[tuple, Where] = {}

    def put(self, target: dict, path: tuple, row: Row, keys: Iterable[str]) -> None:
        """Copy ``row``'s readable values for ``keys`` into ``target`` (at JSON ``path``)."""
        self.where[path] = row.where()
        for key in keys:
            self.where[(*path, key)] = row.where(key)
            value = row.values.get(key)
            if value is not None and not isinstance(value, _Bad):
                target[key] = value

    def unknown(self, row: Row, key: str, sheet_key: str, value: Any) -> None:
        self.reader.problem(row.where(key), f"{_shown(value)[1:-1] if isinstance(value, str) else value} is not in sheet '{_SHEET[sheet_key].sv}'")


def _keys(sheet_key: str, *skip: str) -> list[str]:
    return [c.key for c in _SHEET[sheet_key].columns if c.key not in skip]


def _set_dotted(doc: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = doc
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _document(reader: _Reader) -> tuple[dict, dict[tuple, Where]]:
    """All sheets -> the scenario dict, and the workbook place of every JSON path."""
    b = _Builder(reader)
    doc: dict[str, Any] = {"format": SCENARIO_FORMAT}
    for key in ("scenario", "calendar"):
        sheet = _SHEET[key]
        rows = reader.fields(sheet)
        b.where.setdefault(() if key == "scenario" else ("calendar",), Where(sheet.sv))
        for row in rows:
            for col_key, value in row.values.items():
                path = tuple(col_key.split("."))
                b.where[path] = row.where(col_key)
                if col_key == "calendar.holidays" and _norm(value) in ("", "ingen", "inga", "none", "null"):
                    value = None
                if not isinstance(value, _Bad):
                    _set_dotted(doc, col_key, value)
        for col in sheet.columns:  # a required field without its row: point at the sheet
            b.where.setdefault(tuple(col.key.split(".")), Where(sheet.sv, None, col.sv))
    closed = []
    for row in reader.table(_SHEET["closed"]):
        item: dict = {}
        b.put(item, ("calendar", "closed", len(closed)), row, _keys("closed"))
        closed.append(item)
    if closed:
        doc.setdefault("calendar", {})["closed"] = closed

    for key in _ENTITY_LISTS:
        items: list[dict] = []
        for row in reader.table(_SHEET[key]):
            item = {}
            b.put(item, (key, len(items)), row, _keys(key))
            items.append(item)
        b.where.setdefault((key,), Where(_SHEET[key].sv))
        doc[key] = items
    pairs = []
    for row in reader.table(_SHEET["travel"]):
        item = {}
        b.put(item, ("travel", "pairs", len(pairs)), row, _keys("travel"))
        pairs.append(item)
    if pairs:
        doc.setdefault("travel", {})["pairs"] = pairs

    _attach(b, reader, doc, "teams", "workplaces", "workplace", "teams", skip=("workplace",))
    _attach(b, reader, doc, "participants", "action_plans", "action_plan", "participants", skip=("action_plan",))
    _attach_availability(b, reader, doc)
    return doc, b.where


def _index(items: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = item.get("id")
        if isinstance(ident, str):
            out.setdefault(ident, i)
    return out


def _attach(b: _Builder, reader: _Reader, doc: dict, sheet_key: str, parent_key: str, ref: str, child: str,
            skip: tuple) -> None:
    """Rows of a child sheet (teams, participants) go into the list of the parent they name."""
    parents = doc[parent_key]
    index = _index(parents)
    for parent in parents:
        parent[child] = []
    for row in reader.table(_SHEET[sheet_key]):
        owner = row.values.get(ref)
        if isinstance(owner, _Bad):
            continue
        if owner is None:
            reader.problem(row.where(ref), f"is empty; say which {_SHEET[parent_key].sv.lower()} entry this row "
                                           "belongs to")
            continue
        if owner not in index:
            b.unknown(row, ref, parent_key, owner)
            continue
        i = index[owner]
        items = parents[i][child]
        item: dict = {}
        b.put(item, (parent_key, i, child, len(items)), row, _keys(sheet_key, *skip))
        items.append(item)


def _attach_availability(b: _Builder, reader: _Reader, doc: dict) -> None:
    """Weekly windows and unavailable periods go to the trainer, interpreter or room they name."""
    for sheet_key in ("available", "unavailable"):
        for row in reader.table(_SHEET[sheet_key]):
            kind, owner = row.values.get("kind"), row.values.get("owner")
            if isinstance(kind, _Bad) or isinstance(owner, _Bad):
                continue
            if kind is None or owner is None:
                missing = "kind" if kind is None else "owner"
                reader.problem(row.where(missing), "is empty; every row names a trainer, interpreter"
                                                   + (" or room" if sheet_key == "unavailable" else ""))
                continue
            if sheet_key == "available" and kind == "room":
                reader.problem(row.where("kind"), "rooms have no weekly hours; give their busy times in sheet "
                                                  f"'{_SHEET['unavailable'].sv}'")
                continue
            list_key = _KIND_LIST[kind]
            index = _index(doc[list_key])
            if owner not in index:
                b.unknown(row, "owner", list_key, owner)
                continue
            i = index[owner]
            thing = doc[list_key][i]
            if sheet_key == "available" and row.values.get("weekday") == NEVER:
                thing.setdefault("available", [])
                b.where[(list_key, i, "available")] = row.where("weekday")
                continue
            items = thing.setdefault(sheet_key, [])
            item: dict = {}
            b.put(item, (list_key, i, sheet_key, len(items)), row, _keys(sheet_key, "kind", "owner"))
            items.append(item)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def _parse_path(path: str) -> tuple:
    """``$.action_plans[0].participants[1].team`` -> ("action_plans", 0, "participants", 1, "team")."""
    import json

    out: list = []
    for m in _PATH_TOKEN.finditer(path[1:] if path.startswith("$") else path):
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append(int(m.group(2)))
        else:
            out.append(json.loads(m.group(3)))
    return tuple(out)


def _place(where: Mapping[tuple, Where], path: tuple) -> Where:
    """The workbook place of a JSON path: the longest prefix that came from a cell or row."""
    for n in range(len(path), -1, -1):
        if path[:n] in where:
            return where[path[:n]]
    return Where(SHEETS[0].sv)


def _open(source: str | Path | bytes | io.IOBase):
    from openpyxl import load_workbook

    from scheduler.format.limits import workbook_problems

    raw = bytes(source) if isinstance(source, (bytes, bytearray)) else None
    if raw is None and isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    elif raw is None:
        raw = source.read()
    beyond = workbook_problems(raw)
    if beyond:
        raise ScenarioInvalid([FieldError(place, message) for place, message in beyond], beyond_limits=True)
    name = Path(source).name if isinstance(source, (str, Path)) else "the workbook"
    source = io.BytesIO(raw)
    try:
        return load_workbook(source, data_only=True)
    except OSError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise ScenarioInvalid([FieldError(
            "workbook", f"{name} cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
                        "save it from the spreadsheet program as Excel 2007-365 (.xlsx)")]) from None


def _placed(problems: list[tuple[Where, str]]) -> list[FieldError]:
    ordered = sorted(enumerate(problems), key=lambda p: (p[1][0].order(), p[0]))
    return [FieldError(str(w), msg) for _, (w, msg) in ordered]


def read_workbook_with_warnings(source: str | Path | bytes | io.IOBase) -> tuple[dict, list[FieldError]]:
    """Read an action-plan workbook: (normalized scenario, warnings).

    Warnings name what is ignored (an unknown column or field, an unknown weight); raises
    :class:`ScenarioInvalid` listing every problem (and the warnings), each with ``path`` =
    ``sheet 'Deltagare', row 7, column 'Lag'`` (or a shorter place) and a sentence.
    """
    reader = _Reader(_open(source))
    doc, where = _document(reader)
    problems: list[tuple[Where, str]] = list(reader.errors)
    warnings: list[tuple[Where, str]] = list(reader.warnings)
    try:
        normalized, found = load_scenario_with_warnings(doc)
    except ScenarioInvalid as exc:
        for err in exc.errors:
            place = _place(where, _parse_path(err.path))
            if place in reader.bad_cells:
                continue  # this cell is already reported with a spreadsheet-specific message
            problems.append((place, err.message))
        normalized, found = None, exc.warnings
    warnings += [(_place(where, _parse_path(w.path)), w.message) for w in found]
    if problems:
        raise ScenarioInvalid(_placed(problems), _placed(warnings))
    return normalized, _placed(warnings)


def read_workbook(source: str | Path | bytes | io.IOBase) -> dict:
    """Read an action-plan workbook into a normalized scenario (``schemas.load_scenario``);
    :func:`read_workbook_with_warnings` without the warnings.

    Raises :class:`ScenarioInvalid` listing every problem, each with ``path`` =
    ``sheet 'Deltagare', row 7, column 'Lag'`` (or a shorter place) and a sentence.
    """
    return read_workbook_with_warnings(source)[0]
