"""Writing a scenario as an action-plan workbook (.xlsx): one sheet per entity, drop-down lists, typed cells."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from scheduler.format import (
    load_scenario,
    parse_date,
)
from scheduler.io.tables import cells_as_text
from scheduler.io.workbook.example import example_scenario
from scheduler.io.workbook.layout import (
    ENTITY_LISTS,
    KIND_LIST,
    KIND_SV,
    LOCATION_SV,
    NEVER,
    NO,
    SHEETS,
    WEEKDAY_SV,
    WEIGHT_SV,
    YES,
    Column,
    Sheet,
)


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
    if key in ENTITY_LISTS:
        return [dict(item) for item in scenario.get(key) or []]
    if key == "closed":
        return list((scenario.get("calendar") or {}).get("closed") or [])
    if key == "travel":
        return list((scenario.get("travel") or {}).get("pairs") or [])
    if key == "teams":
        return [{"workplace": w["id"], **t} for w in scenario.get("workplaces") or [] for t in w.get("teams") or []]
    if key == "blocked":
        return [{"workplace": w["id"], "team": t["id"], **({"start": p, "end": p} if isinstance(p, str) else p)}
                for w in scenario.get("workplaces") or [] for t in w.get("teams") or [] for p in t.get("blocked") or []]
    if key == "participants":
        return [{"action_plan": p["id"], **x} for p in scenario.get("action_plans") or []
                for x in p.get("participants") or []]
    if key == "available":
        rows = []
        for kind in ("trainer", "interpreter"):
            for person in scenario.get(KIND_LIST[kind]) or []:
                windows = person.get("available")
                if windows is not None and not windows:
                    rows.append({"kind": kind, "owner": person["id"], "weekday": NEVER})
                rows += [{"kind": kind, "owner": person["id"], **w} for w in windows or []]
        return rows
    if key == "unavailable":
        rows = []
        for kind in ("trainer", "interpreter", "room"):
            for thing in scenario.get(KIND_LIST[kind]) or []:
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
                    if key not in WEIGHT_SV:
                        ws.append([f"Vikt: {key}", value, ""])
            widths: tuple[int, ...] = (34, 30, 50)
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

