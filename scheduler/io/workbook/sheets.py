"""Reading the workbook's sheets into rows: headers matched loosely, merged cells and unknown columns reported."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scheduler.format import likely_meant
from scheduler.io.workbook.cells import CellProblem, Where, read_cell, shown_value
from scheduler.io.workbook.layout import WEIGHT_PREFIX, Column, Sheet


def loose_name(text: Any) -> str:
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


class SheetReader:
    """Collects rows and cell problems from an openpyxl workbook."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.errors: list[tuple[Where, str]] = []
        self.warnings: list[tuple[Where, str]] = []
        self.bad_cells: set[Where] = set()
        self.by_name = {loose_name(name): name for name in wb.sheetnames}

    def problem(self, where: Where, message: str) -> None:
        self.errors.append((where, message))
        self.bad_cells.add(where)

    def unknown_name(self, where: Where, name: str, known: Mapping[str, str], what: str, listing: str) -> None:
        """A header or field name the sheet does not know: an error when it is a likely
        misspelling of one of ``known`` (normalized name -> name as shown), else a warning."""
        meant = likely_meant(loose_name(name), list(known))
        subject = f"{shown_value(name)} " if what == "field" else ""  # a header is named by the place already
        if meant is not None:
            self.problem(where, f"{subject}is not a {what} of this sheet; did you mean '{known[meant]}'?")
        else:
            self.warnings.append((where, f"{subject}is not a {what} of this sheet, so it is ignored; the {what}s are "
                                         f"{listing} (a name starting with \"#\" marks a comment)"))

    def worksheet(self, sheet: Sheet):
        for name in (sheet.sv, sheet.en, sheet.key):
            found = self.by_name.get(loose_name(name))
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
        if not grid or all(is_blank(v) for v in grid[0]):
            self.problem(Where(ws.title), "is empty: row 1 must hold the headers "
                                          + ", ".join(c.sv for c in sheet.columns))
            return []
        known = {}
        for c in sheet.columns:
            known[loose_name(c.sv)] = c
            known[loose_name(c.key)] = c
        if sheet.key == "participants":
            known[loose_name("participant")] = known[loose_name("id")]
        if sheet.key in ("available", "unavailable"):
            known[loose_name("who")] = known[loose_name("owner")]
        columns: dict[int, Column] = {}
        headers: dict[str, str] = {}
        for j, header in enumerate(grid[0]):
            if is_blank(header):
                if any(j < len(r) and not is_blank(r[j]) for r in grid[1:]):
                    self.problem(Where(ws.title, 1, _letter(j)), "has values below it but no header")
                continue
            text = str(header).strip()
            if text.startswith("#"):
                continue
            col = known.get(loose_name(text))
            if col is None:
                shown = {name: (c.sv if name == loose_name(c.sv) else c.key) for name, c in known.items()}
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
            if all(is_blank(v) for v in values):
                continue
            row = Row(sheet, i, headers=headers)
            for j, col in columns.items():
                raw = values[j] if j < len(values) else None
                if is_blank(raw):
                    continue
                if isinstance(raw, str):
                    raw = raw.strip()
                try:
                    row.values[col.key] = read_cell(col, raw, self.formats(ws, i, j + 1))
                except CellProblem as exc:
                    self.problem(row.where(col.key), str(exc))
                    row.values[col.key] = UnreadCell()
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
            known[loose_name(c.sv)] = c
            known[loose_name(c.key)] = c
            known[loose_name(c.key.split(".")[-1])] = c
        out = []
        for i, values in enumerate(grid, start=1):
            name = values[0] if values else None
            if is_blank(name) or (i == 1 and loose_name(name) in ("fält", "field")):
                continue
            col = known.get(loose_name(name))
            if col is None and sheet.key == "scenario" and loose_name(name).startswith(WEIGHT_PREFIX):
                key = loose_name(name)[len(WEIGHT_PREFIX):].strip().replace(" ", "_")
                col = Column(f"weights.{key}", str(name).strip(), "num")
            if col is None:
                if str(name).strip().startswith("#"):
                    continue
                shown = {key: (c.sv if key == loose_name(c.sv) else c.key) for key, c in known.items()}
                self.unknown_name(Where(ws.title, i, "Fält"), str(name).strip(), shown, "field",
                                  ", ".join(c.sv for c in sheet.columns))
                continue
            raw = values[1] if len(values) > 1 else None
            row = Row(sheet, i, headers={col.key: "Värde"})
            if not is_blank(raw):
                if isinstance(raw, str):
                    raw = raw.strip()
                try:
                    row.values[col.key] = read_cell(col, raw, self.formats(ws, i, 2))
                except CellProblem as exc:
                    self.problem(row.where(col.key), str(exc))
                    row.values[col.key] = UnreadCell()
            out.append(row)
        return out


class UnreadCell:
    """Stands for a cell already reported: the field is left out of the document."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)

