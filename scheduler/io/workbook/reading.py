"""Reading an action-plan workbook back into a scenario: rows to the document, every error placed by
sheet, row and column."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from scheduler.format import (
    SCENARIO_FORMAT,
    FieldError,
    ScenarioInvalid,
    load_scenario_with_warnings,
)
from scheduler.io.workbook.cells import Where, shown_value
from scheduler.io.workbook.layout import ENTITY_LISTS, KIND_LIST, NEVER, SHEET_BY_KEY, SHEETS
from scheduler.io.workbook.sheets import Row, SheetReader, UnreadCell, loose_name

#: What a workbook is read from: a file name, the file's bytes, or an open binary file.
WorkbookSource = str | Path | bytes | IO[bytes]

class _Builder:
    """Builds the scenario document and remembers where every JSON path came from."""

    def __init__(self, reader: SheetReader) -> None:
        self.reader = reader
        self.where: dict[tuple, Where] = {}

    def put(self, target: dict, path: tuple, row: Row, keys: Iterable[str]) -> None:
        """Copy ``row``'s readable values for ``keys`` into ``target`` (at JSON ``path``)."""
        self.where[path] = row.where()
        for key in keys:
            self.where[(*path, key)] = row.where(key)
            value = row.values.get(key)
            if value is not None and not isinstance(value, UnreadCell):
                target[key] = value

    def unknown(self, row: Row, key: str, sheet_key: str, value: Any) -> None:
        shown = shown_value(value)[1:-1] if isinstance(value, str) else value
        self.reader.problem(row.where(key), f"{shown} is not in sheet '{SHEET_BY_KEY[sheet_key].sv}'")


def _keys(sheet_key: str, *skip: str) -> list[str]:
    return [c.key for c in SHEET_BY_KEY[sheet_key].columns if c.key not in skip]


def _set_dotted(doc: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = doc
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _document(reader: SheetReader) -> tuple[dict, dict[tuple, Where]]:
    """All sheets -> the scenario dict, and the workbook place of every JSON path."""
    b = _Builder(reader)
    doc: dict[str, Any] = {"format": SCENARIO_FORMAT}
    for key in ("scenario", "calendar"):
        sheet = SHEET_BY_KEY[key]
        rows = reader.fields(sheet)
        b.where.setdefault(() if key == "scenario" else ("calendar",), Where(sheet.sv))
        for row in rows:
            for col_key, value in row.values.items():
                path = tuple(col_key.split("."))
                b.where[path] = row.where(col_key)
                if col_key == "calendar.holidays" and loose_name(value) in ("", "ingen", "inga", "none", "null"):
                    value = None
                if not isinstance(value, UnreadCell):
                    _set_dotted(doc, col_key, value)
        for col in sheet.columns:  # a required field without its row: point at the sheet
            b.where.setdefault(tuple(col.key.split(".")), Where(sheet.sv, None, col.sv))
    closed: list[dict] = []
    for row in reader.table(SHEET_BY_KEY["closed"]):
        item: dict = {}
        b.put(item, ("calendar", "closed", len(closed)), row, _keys("closed"))
        closed.append(item)
    if closed:
        doc.setdefault("calendar", {})["closed"] = closed

    for key in ENTITY_LISTS:
        items: list[dict] = []
        for row in reader.table(SHEET_BY_KEY[key]):
            item = {}
            b.put(item, (key, len(items)), row, _keys(key))
            items.append(item)
        b.where.setdefault((key,), Where(SHEET_BY_KEY[key].sv))
        doc[key] = items
    pairs: list[dict] = []
    for row in reader.table(SHEET_BY_KEY["travel"]):
        item = {}
        b.put(item, ("travel", "pairs", len(pairs)), row, _keys("travel"))
        pairs.append(item)
    if pairs:
        doc.setdefault("travel", {})["pairs"] = pairs

    _attach(b, reader, doc, "teams", "workplaces", "workplace", "teams", skip=("workplace",))
    _attach_blocked(b, reader, doc)
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


def _attach(b: _Builder, reader: SheetReader, doc: dict, sheet_key: str, parent_key: str, ref: str, child: str,
            skip: tuple) -> None:
    """Rows of a child sheet (teams, participants) go into the list of the parent they name."""
    parents = doc[parent_key]
    index = _index(parents)
    for parent in parents:
        parent[child] = []
    for row in reader.table(SHEET_BY_KEY[sheet_key]):
        owner = row.values.get(ref)
        if isinstance(owner, UnreadCell):
            continue
        if owner is None:
            reader.problem(row.where(ref), f"is empty; say which {SHEET_BY_KEY[parent_key].sv.lower()} entry this row "
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


def _attach_blocked(b: _Builder, reader: SheetReader, doc: dict) -> None:
    """Blocked periods go to the team they name, by its workplace and its id (team ids are
    unique within a workplace only); a team with no row keeps no ``blocked`` list."""
    workplaces = doc["workplaces"]
    by_workplace = _index(workplaces)
    for row in reader.table(SHEET_BY_KEY["blocked"]):
        workplace, team = row.values.get("workplace"), row.values.get("team")
        if isinstance(workplace, UnreadCell) or isinstance(team, UnreadCell):
            continue
        if workplace is None or team is None:
            reader.problem(row.where("workplace" if workplace is None else "team"),
                           "is empty; every row names a team and its workplace")
            continue
        if workplace not in by_workplace:
            b.unknown(row, "workplace", "workplaces", workplace)
            continue
        w = by_workplace[workplace]
        teams = workplaces[w].get("teams") or []
        by_team = _index(teams)
        if team not in by_team:
            shown = shown_value(team)[1:-1] if isinstance(team, str) else team
            reader.problem(row.where("team"), f"{shown} is not a team of {workplace} in sheet "
                                              f"'{SHEET_BY_KEY['teams'].sv}'")
            continue
        i = by_team[team]
        items = teams[i].setdefault("blocked", [])
        item: dict = {}
        b.put(item, ("workplaces", w, "teams", i, "blocked", len(items)), row, _keys("blocked", "workplace", "team"))
        items.append(item)


def _attach_availability(b: _Builder, reader: SheetReader, doc: dict) -> None:
    """Weekly windows and unavailable periods go to the trainer, interpreter or room they name."""
    for sheet_key in ("available", "unavailable"):
        for row in reader.table(SHEET_BY_KEY[sheet_key]):
            kind, owner = row.values.get("kind"), row.values.get("owner")
            if isinstance(kind, UnreadCell) or isinstance(owner, UnreadCell):
                continue
            if kind is None or owner is None:
                missing = "kind" if kind is None else "owner"
                reader.problem(row.where(missing), "is empty; every row names a trainer, interpreter"
                                                   + (" or room" if sheet_key == "unavailable" else ""))
                continue
            if sheet_key == "available" and kind == "room":
                reader.problem(row.where("kind"), "rooms have no weekly hours; give their busy times in sheet "
                                                  f"'{SHEET_BY_KEY['unavailable'].sv}'")
                continue
            list_key = KIND_LIST[kind]
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


def _open(source: WorkbookSource):
    from openpyxl import load_workbook

    from scheduler.format.limits import workbook_problems

    if isinstance(source, (bytes, bytearray)):
        raw = bytes(source)
    elif isinstance(source, (str, Path)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    beyond = workbook_problems(raw)
    if beyond:
        raise ScenarioInvalid([FieldError(place, message) for place, message in beyond], beyond_limits=True)
    name = Path(source).name if isinstance(source, (str, Path)) else "the workbook"
    try:
        return load_workbook(io.BytesIO(raw), data_only=True)
    except OSError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise ScenarioInvalid([FieldError(
            "workbook", f"{name} cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
                        "save it from the spreadsheet program as Excel 2007-365 (.xlsx)")]) from None


def _placed(problems: list[tuple[Where, str]]) -> list[FieldError]:
    ordered = sorted(enumerate(problems), key=lambda p: (p[1][0].order(), p[0]))
    return [FieldError(str(w), msg) for _, (w, msg) in ordered]


def read_workbook_with_warnings(source: WorkbookSource) -> tuple[dict, list[FieldError]]:
    """Read an action-plan workbook: (normalized scenario, warnings).

    Warnings name what is ignored (an unknown column or field, an unknown weight); raises
    :class:`ScenarioInvalid` listing every problem (and the warnings), each with ``path`` =
    ``sheet 'Deltagare', row 7, column 'Lag'`` (or a shorter place) and a sentence.
    """
    reader = SheetReader(_open(source))
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
    if problems or normalized is None:  # a refused document always leaves a problem (its own or its cell's)
        raise ScenarioInvalid(_placed(problems), _placed(warnings))
    return normalized, _placed(warnings)


def read_workbook(source: WorkbookSource) -> dict:
    """Read an action-plan workbook into a normalized scenario (``schemas.load_scenario``);
    :func:`read_workbook_with_warnings` without the warnings.

    Raises :class:`ScenarioInvalid` listing every problem, each with ``path`` =
    ``sheet 'Deltagare', row 7, column 'Lag'`` (or a shorter place) and a sentence.
    """
    return read_workbook_with_warnings(source)[0]
