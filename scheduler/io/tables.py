"""The schedule as tables: an .xlsx workbook and CSV files, sorted by date.

``schedule_tables(scenario, schedule)`` gives the tables (one row per session, local
Swedish wall time of the scenario's zone): ``Översikt`` (every session), one table per
workplace (the sessions with its participants; the participant count is that
workplace's), one per trainer, and ``Ej schemalagt`` (unscheduled sessions and
unassigned participants with their reasons) when there are any.  ``write_xlsx`` and
``write_csv_dir`` write them.  Participant ids never appear, only counts.

Both scenario and schedule are the raw JSON documents; times are read the way the
independent validator reads them (``validate.build_context``), so the hours here are the
hours it checks.
"""

# Why not pandas here (issue #14 asks for pandas "where it is the natural tool"): these tables
# are lists of typed cells - dates, times, ints that may be None, text - written cell by cell
# into xlsx and CSV, and every sheet is the same session row, only the participant count
# differs per workplace. One pass over the sessions with a Counter fills all sheets. A
# DataFrame would turn None into NaN (an int column into floats) and dates/times into
# Timestamps, which would have to be converted back before writing, and the grouping it would
# replace is three lines. The ESF report (scheduler/io/esf.py), which sums and counts per
# workplace and month, is where pandas earns its place.

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from scheduler.validate import build_context

__all__ = ["Table", "SESSION_COLUMNS", "schedule_tables", "write_xlsx", "xlsx_bytes", "write_csv_dir",
           "csv_text", "CSV_DIALECTS", "safe_sheet_title", "safe_file_part", "cells_as_text"]

#: CSV dialects: (field separator, decimal mark). "sv" is what Swedish Excel splits and reads
#: (semicolon, decimal comma; UTF-8 with a byte-order mark); "comma" is RFC 4180 with a point.
CSV_DIALECTS = {"sv": (";", ","), "comma": (",", ".")}

# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

WEEKDAYS_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")

#: (header, kind) of a session row; kind decides the cell format.
SESSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Datum", "date"), ("Veckodag", "text"), ("Start", "time"), ("Slut", "time"), ("Timmar", "hours"),
    ("Modul", "text"), ("Modulnamn", "text"), ("Tillfälle", "int"), ("Av", "int"), ("Grupp", "text"),
    ("Spår", "text"), ("Arbetsplatser", "text"), ("Deltagare", "int"), ("Utbildare", "text"),
    ("Utbildarens namn", "text"), ("Lokal", "text"), ("Lokalnamn", "text"), ("Plats", "text"),
    ("Tolkar", "text"), ("Tillfällets id", "text"),
)


@dataclass
class Table:
    """A named table: a title (sheet name / file name), headers with kinds, and rows."""

    title: str
    columns: tuple[tuple[str, str], ...]
    rows: list[list[Any]] = field(default_factory=list)
    file: str = ""


def _names(items) -> dict[str, str]:
    return {x["id"]: x.get("name") or x["id"] for x in items or [] if isinstance(x, Mapping) and "id" in x}


def participant_workplace(ctx, pid: str) -> str | None:
    """The workplace a participant works at: their team's workplace (else their first plan's)."""
    person = ctx.persons.get(pid)
    if person is None:
        return None
    if person.team is not None:
        return person.team[0]
    for plan_id in person.plans:
        if ctx.plans[plan_id].workplace is not None:
            return ctx.plans[plan_id].workplace
    return None


def _session_row(ctx, s, count: int, names: Mapping[str, Mapping[str, str]]) -> list[Any]:
    local_start, local_end = ctx.to_local(s.a), ctx.to_local(s.b)
    module = s.module or {}
    room = ctx.rooms.get(s.room) if isinstance(s.room, str) else None
    cohort = s.cohort
    workplaces = sorted(cohort.workplaces) if cohort else []
    place = (names["sites"].get(room.get("site"), room.get("site")) if room
             else "Distans" if s.location == "remote" else "")
    return [
        local_start.date(), WEEKDAYS_SV[local_start.weekday()], local_start.time().replace(tzinfo=None),
        local_end.time().replace(tzinfo=None), round((s.b - s.a) / 3600.0, 4),
        s.module_id, module.get("name") or s.module_id, s.index, module.get("sessions"), s.cohort_id,
        cohort.track_id if cohort else None, ", ".join(workplaces), count,
        s.trainer, names["trainers"].get(s.trainer, ""), s.room or "", names["rooms"].get(s.room, "") if s.room else "",
        place, ", ".join(s.interpreters), s.id,
    ]


def schedule_tables(scenario: Mapping, schedule: Mapping) -> list[Table]:
    """Översikt, one table per workplace and per trainer, and Ej schemalagt (if needed)."""
    ctx = build_context(dict(scenario), dict(schedule))
    names = {k: _names(scenario.get(k)) for k in ("workplaces", "trainers", "rooms", "sites")}
    sessions = sorted(ctx.timed, key=lambda s: (s.a, s.b, s.id))
    overview = Table("Översikt", SESSION_COLUMNS, file="schema.csv")
    per_workplace: dict[str, Table] = {}
    per_trainer: dict[str, Table] = {}
    for wid in names["workplaces"]:
        per_workplace[wid] = Table(f"Arbetsplats {wid}", SESSION_COLUMNS, file=f"arbetsplats-{safe_file_part(wid)}.csv")
    for tid in names["trainers"]:
        per_trainer[tid] = Table(f"Utbildare {tid}", SESSION_COLUMNS, file=f"utbildare-{safe_file_part(tid)}.csv")
    for s in sessions:
        overview.rows.append(_session_row(ctx, s, len(s.members), names))
        by_wp = Counter(participant_workplace(ctx, m) for m in s.members)
        for workplace, n in by_wp.items():
            if workplace in per_workplace:
                per_workplace[workplace].rows.append(_session_row(ctx, s, n, names))
        if isinstance(s.trainer, str) and s.trainer in per_trainer:
            per_trainer[s.trainer].rows.append(_session_row(ctx, s, len(s.members), names))
    tables = [overview, *(t for t in per_workplace.values() if t.rows), *(t for t in per_trainer.values() if t.rows)]
    missing = Table("Ej schemalagt", (("Vad", "text"), ("Grupp / deltagare", "text"), ("Modul / handlingsplan", "text"),
                                       ("Tillfälle", "int"), ("Anledning", "text")), file="ej-schemalagt.csv")
    for u in schedule.get("unscheduled") or []:
        missing.rows.append(["tillfälle", u.get("cohort"), u.get("module"), u.get("index"),
                             u.get("reason_sv") or u.get("reason")])
    for u in schedule.get("unassigned_participants") or []:
        missing.rows.append(["deltagare", u.get("participant"), u.get("action_plan"), None, u.get("reason")])
    if missing.rows:
        tables.append(missing)
    return tables


def safe_sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in ``taken``."""
    base = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text)).strip("_") or "x"


_XLSX_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm", "hours": "0.00", "num": "0.00"}


def write_sheet(ws, table: Table) -> None:
    """One table into an openpyxl worksheet: bold frozen headers, typed cells, widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([h for h, _ in table.columns])
    for row in table.rows:
        ws.append(row)
    cells_as_text(ws)
    for j, (header, kind) in enumerate(table.columns, start=1):
        fmt = _XLSX_FORMATS.get(kind)
        if fmt:
            for r in range(2, ws.max_row + 1):
                ws.cell(r, j).number_format = fmt
        width = max([len(header)] + [len(str(r[j - 1])) for r in table.rows[:200] if r[j - 1] is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 50)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = ws.dimensions


def cells_as_text(ws) -> None:
    """Every cell that would be a formula (a name like ``=HYPERLINK(...)`` typed by someone)
    is stored as the text it is: an export never carries live formulas."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def xlsx_bytes(tables: list[Table]) -> bytes:
    """Tables as an .xlsx workbook, one sheet each, in order."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in tables:
        write_sheet(wb.create_sheet(safe_sheet_title(table.title, taken)), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(tables: list[Table], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xlsx_bytes(tables))
    return path


def _csv_value(value: Any, kind: str, decimal: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        text = f"{value:.2f}" if kind in ("hours", "num") else repr(value)
        return text.replace(".", decimal)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run as a formula (OWASP: CSV injection)
    return value


def csv_text(table: Table, dialect: str = "sv") -> str:
    """One table as CSV: dates YYYY-MM-DD, times HH:MM; ``dialect`` "sv" (default: semicolons
    and decimal commas, what Swedish Excel reads) or "comma" (RFC 4180, decimal point). Text
    that a spreadsheet would run as a formula is quoted with a leading apostrophe. Written
    as UTF-8 with a byte-order mark (``write_csv_dir``, the API's downloads)."""
    sep, decimal = CSV_DIALECTS[dialect]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow([h for h, _ in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(v, kind, decimal) for v, (_, kind) in zip(row, table.columns)])
    return out.getvalue()


def write_csv_dir(tables: list[Table], directory: str | Path, dialect: str = "sv") -> list[Path]:
    """One UTF-8 CSV file per table (with a byte-order mark, so Excel reads å ä ö)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in tables:
        path = directory / (table.file or f"{safe_file_part(table.title)}.csv")
        path.write_text(csv_text(table, dialect), encoding="utf-8-sig", newline="")
        paths.append(path)
    return paths
