"""The monthly ESF report: training hours per workplace and month.

ESF-funded projects report every month, for each workplace, how many of its staff were
trained and how many hours they spent in training.  :func:`esf_report` computes, from the
scenario and the schedule alone (never from the solver), one row per workplace and month:

* ``participants_trained``: distinct participants of the workplace with at least one
  session that month;
* ``hours_on_shift``: participant-hours of session inside the participant's own shifts
  (the schedule's *backfill* hours: someone covers for them);
* ``hours_off_shift``: participant-hours outside them (*overtime*);
* ``trainer_hours``: session hours, each session shared between the workplaces of its
  participants in proportion to their number (so the workplaces add up to the total);
* ``sessions``: sessions with at least one participant of the workplace;
* ``validation_sessions``: those of them that belong to a validation module.

Readings where the reporting rules leave room: a session belongs to the month of its
local start date (scenario time zone); a participant belongs to the workplace of their
team (the team is looked up in the plan's workplace first, as the validator does).  A
module counts as *validation* when it says so with the extension field
``"x-validation": true`` (``false`` says it is not), otherwise when its id,
qualification or name contains "valid" (validering, validation), or when the caller names
it in ``validation_modules``.

The on-shift/off-shift hours use the independent validator's own shift arithmetic
(``validate.Context.shift_seconds_inside``): their sums over all rows are the validator's
recomputed ``backfill_hours`` and ``overtime_hours``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.io.tables import Table, csv_text, participant_workplace, xlsx_bytes
from scheduler.validate import build_context

__all__ = ["EsfRow", "esf_report", "esf_tables", "esf_xlsx", "esf_csv", "is_validation_module", "REPORT_COLUMNS"]

#: (Swedish header, field, kind) of the report table.
REPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Arbetsplats", "workplace", "text"),
    ("Arbetsplatsens namn", "workplace_name", "text"),
    ("Månad", "month", "text"),
    ("Deltagare utbildade", "participants_trained", "int"),
    ("Deltagartimmar på arbetstid", "hours_on_shift", "num"),
    ("Deltagartimmar utanför arbetstid", "hours_off_shift", "num"),
    ("Deltagartimmar totalt", "participant_hours", "num"),
    ("Utbildartimmar", "trainer_hours", "num"),
    ("Utbildningstillfällen", "sessions", "int"),
    ("Valideringstillfällen", "validation_sessions", "int"),
)


@dataclass
class EsfRow:
    """One workplace in one month."""

    workplace: str
    workplace_name: str
    month: str  # YYYY-MM
    participants: set = field(default_factory=set)
    hours_on_shift: float = 0.0
    hours_off_shift: float = 0.0
    trainer_hours: float = 0.0
    sessions: int = 0
    validation_sessions: int = 0

    @property
    def participants_trained(self) -> int:
        return len(self.participants)

    @property
    def participant_hours(self) -> float:
        return self.hours_on_shift + self.hours_off_shift

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for _, key, _ in REPORT_COLUMNS}


_VALIDATION_WORD = re.compile(r"valid", re.IGNORECASE)


def is_validation_module(module: Mapping, named: Iterable[str] = ()) -> bool:
    """Whether a module is a validation (see the module docstring for the rule)."""
    if module.get("id") in set(named):
        return True
    flag = module.get("x-validation", module.get("x_validation"))
    if isinstance(flag, bool):
        return flag
    text = " ".join(str(module.get(k) or "") for k in ("id", "qualification", "name"))
    return bool(_VALIDATION_WORD.search(text))


def esf_report(scenario: Mapping, schedule: Mapping, *, validation_modules: Iterable[str] = (),
               workplaces: Iterable[str] | None = None) -> list[EsfRow]:
    """The report's rows, sorted by workplace (scenario order) and month.

    ``workplaces`` limits the rows to those workplaces (a manager's view).
    """
    ctx = build_context(dict(scenario), dict(schedule))
    names = {w["id"]: w.get("name") or w["id"] for w in scenario.get("workplaces") or []}
    order = {wid: i for i, wid in enumerate(names)}
    validation = {mid for mid, m in ctx.modules.items() if is_validation_module(m, validation_modules)}
    rows: dict[tuple[str, str], EsfRow] = {}

    def row(wid: str, month: str) -> EsfRow:
        key = (wid, month)
        if key not in rows:
            rows[key] = EsfRow(wid, names.get(wid, wid), month)
        return rows[key]

    for s in ctx.timed:
        hours = (s.b - s.a) / 3600.0
        month = f"{s.local.year:04d}-{s.local.month:02d}"
        counted = [m for m in s.members if m in ctx.persons]
        by_workplace: dict[str, list[str]] = defaultdict(list)
        for m in counted:
            by_workplace[participant_workplace(ctx, m) or "?"].append(m)
        for wid, members in by_workplace.items():
            r = row(wid, month)
            for m in members:
                inside = ctx.shift_seconds_inside(ctx.persons[m].team, s.a, s.b) / 3600.0
                r.hours_on_shift += inside
                r.hours_off_shift += hours - inside
                r.participants.add(m)
            r.trainer_hours += hours * len(members) / len(counted)
            r.sessions += 1
            if s.module_id in validation:
                r.validation_sessions += 1
    keep = set(workplaces) if workplaces is not None else None
    out = [r for r in rows.values() if keep is None or r.workplace in keep]
    return sorted(out, key=lambda r: (order.get(r.workplace, len(order)), r.workplace, r.month))


def _table(title: str, rows: list[EsfRow], file: str) -> Table:
    table = Table(title, tuple((h, kind) for h, _, kind in REPORT_COLUMNS), file=file)
    for r in rows:
        values = r.as_dict()
        table.rows.append([values[key] if kind != "num" else round(values[key], 4)
                           for _, key, kind in REPORT_COLUMNS])
    return table


def _totals(rows: list[EsfRow]) -> list[EsfRow]:
    """One row per workplace over all months (month "totalt"), then one for everything."""
    per: dict[str, EsfRow] = {}
    grand = EsfRow("Totalt", "alla arbetsplatser", "totalt")
    for r in rows:
        t = per.setdefault(r.workplace, EsfRow(r.workplace, r.workplace_name, "totalt"))
        for target in (t, grand):
            target.participants |= {(r.workplace, p) for p in r.participants} if target is grand else r.participants
            target.hours_on_shift += r.hours_on_shift
            target.hours_off_shift += r.hours_off_shift
            target.trainer_hours += r.trainer_hours
            target.sessions += r.sessions
            target.validation_sessions += r.validation_sessions
    return [*per.values(), grand]


def esf_tables(scenario: Mapping, schedule: Mapping, **kwargs) -> list[Table]:
    """The report as tables: per workplace and month, per workplace in total, definitions."""
    rows = esf_report(scenario, schedule, **kwargs)
    about = Table("Om rapporten", (("Kolumn", "text"), ("Betydelse", "text")), file="om-rapporten.csv")
    about.rows = [
        ["Scenario", f"{scenario.get('id')} – {scenario.get('name') or ''}"],
        ["Schema", f"status {schedule.get('status')}, {len(schedule.get('sessions') or [])} tillfällen"],
        ["Månad", "månaden då tillfället börjar (lokal tid, " + (scenario.get("timezone") or "Europe/Stockholm") + ")"],
        ["Deltagare utbildade", "olika deltagare från arbetsplatsen med minst ett tillfälle under månaden"],
        ["Deltagartimmar på arbetstid", "deltagartimmar inom deltagarens eget skift (ersättare behövs)"],
        ["Deltagartimmar utanför arbetstid", "deltagartimmar utanför det egna skiftet (övertid)"],
        ["Utbildartimmar", "tillfällets längd, delad mellan arbetsplatserna efter antal deltagare"],
        ["Utbildningstillfällen", "tillfällen med minst en deltagare från arbetsplatsen"],
        ["Valideringstillfällen", "av dem: tillfällen i en valideringsmodul"],
    ]
    return [_table("ESF per månad", rows, "esf-per-manad.csv"),
            _table("Per arbetsplats", _totals(rows), "esf-per-arbetsplats.csv"), about]


def esf_xlsx(scenario: Mapping, schedule: Mapping, **kwargs) -> bytes:
    return xlsx_bytes(esf_tables(scenario, schedule, **kwargs))


def esf_csv(scenario: Mapping, schedule: Mapping, dialect: str = "sv", **kwargs) -> str:
    """The per-workplace-and-month table as CSV (``dialect``: see ``exports.tables.csv_text``)."""
    return csv_text(esf_tables(scenario, schedule, **kwargs)[0], dialect)


def write_esf(scenario: Mapping, schedule: Mapping, out: str | Path | None = None,
              csv_path: str | Path | None = None, dialect: str = "sv", **kwargs) -> list[Path]:
    tables = esf_tables(scenario, schedule, **kwargs)
    written = []
    if out:
        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(xlsx_bytes(tables))
        written.append(p)
    if csv_path:
        p = Path(csv_path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(csv_text(tables[0], dialect), encoding="utf-8-sig", newline="")
        written.append(p)
    return written
