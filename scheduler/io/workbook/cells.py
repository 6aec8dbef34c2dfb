"""Reading one workbook cell: dates, times, numbers, ids, lists and fixed words to the scenario's JSON values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

from scheduler.format import parse_date
from scheduler.io.workbook.layout import BOOL_WORDS, KIND_IN, LOCATION_IN, NEVER, SHEETS, WEEKDAY_IN, Column

_T = TypeVar("_T")

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
            raise CellProblem(f'is the text {shown_value(value)}, not a date; write {guess.isoformat()} (YYYY-MM-DD) '
                              "or enter it as a date")
        raise CellProblem(f'must be a date written YYYY-MM-DD (got {shown_value(value)})')
    raise CellProblem(f"must be a date written YYYY-MM-DD (got {shown_value(value)})")


def _minute(value: time | datetime) -> tuple[int, int]:
    """Hour and minute, rounded to the nearest minute (spreadsheet times are fractions of a day)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    minutes = int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
    return divmod(minutes % 1440, 60)


def _time_text(value: Any) -> str:
    """A time cell, a fraction of a day, or ``8:00`` / ``08.00`` text -> ``HH:MM``."""
    if isinstance(value, (time, datetime)):
        hour, minute = _minute(value)
        return f"{hour:02d}:{minute:02d}"
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
    raise CellProblem(f"must be a time written HH:MM, such as 08:00 (got {shown_value(value)})")


def _datetime_text(value: Any, number_format: str) -> str:
    """A date-time cell, a date cell (whole day) or text -> ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, datetime):
        has_clock = "h" in (number_format or "").lower()
        if value.time() == time(0, 0) and not has_clock:
            return value.date().isoformat()
        hour, minute = _minute(value)
        return f"{value.date().isoformat()}T{hour:02d}:{minute:02d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", value) else value
        if parse_date(text):
            return text
        m = re.match(r"^(\d{4}-\d\d-\d\d)T(\d{1,2}[:.]\d\d)$", text)
        if m and parse_date(m.group(1)):
            return f"{m.group(1)}T{_time_text(m.group(2))}"
        guess = _guess_swedish_date(value) or _guess_swedish_date(value.split(" ")[0])
        if guess is not None:
            raise CellProblem(f'is the text {shown_value(value)}, not a date; write {guess.isoformat()} or '
                              f"{guess.isoformat()} 08:00 (YYYY-MM-DD HH:MM), or enter it as a date")
    raise CellProblem("must be a date (whole day) or a date and time written YYYY-MM-DD HH:MM "
                      f"(got {shown_value(value)})")


def shown_value(value: Any, limit: int = 60) -> str:
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


def _choice(value: Any, table: Mapping[str, _T], what: str) -> _T:
    if isinstance(value, str) and value.lower() in table:
        return table[value.lower()]
    raise CellProblem(f"must be {what} (got {shown_value(value)})")


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
        return _choice(value, BOOL_WORDS, "ja or nej (yes or no)")
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
            return [_choice(x, WEEKDAY_IN, "weekdays such as mån, tis, ons (or mon, tue, wed)") for x in items]
        return items
    if kind == "location":
        return _choice(value, LOCATION_IN, "arbetsplats, valfri or distans (workplace, any, remote)")
    if kind == "weekday":
        if isinstance(value, str) and value.lower() in (NEVER, "never"):
            return NEVER
        return _choice(value, WEEKDAY_IN, "a weekday mån .. sön (mon .. sun), or aldrig")
    if kind == "kind":
        return _choice(value, KIND_IN, "utbildare, tolk or lokal (trainer, interpreter, room)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _id_text(value)  # a name or a language typed as a number is still text
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value

