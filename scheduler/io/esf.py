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

How it is computed: :func:`attendance_frame` gives one row per participant of each session
(a DataFrame); the monthly rows, the per-workplace totals and the grand total are group sums
and counts of that one frame.  pandas adds floats with compensated summation, so an
unrounded figure may differ in the last bit from adding in session order; the tables
(:func:`esf_tables`, and so the xlsx and CSV files) round to 4 decimals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.io.tables import Table, csv_text, participant_workplace, xlsx_bytes
from scheduler.validate import Context, build_context

__all__ = ["EsfRow", "esf_report", "esf_tables", "esf_xlsx", "esf_csv", "is_validation_module", "REPORT_COLUMNS",
           "attendance_frame", "ATTENDANCE_COLUMNS"]

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


#: The attendance frame: one row per (session, counted participant); see :func:`attendance_frame`.
ATTENDANCE_COLUMNS = ("session", "workplace", "month", "participant", "on_shift", "off_shift",
                      "hours", "counted", "validation")


def attendance_frame(ctx: Context, validation: set[str]) -> pd.DataFrame:
    """One row per participant of each timed session (columns ``ATTENDANCE_COLUMNS``).

    ``session`` is the session's position among the timed sessions, ``workplace`` the
    participant's ("?" if none), ``month`` the session's, ``on_shift``/``off_shift`` the
    participant's hours inside/outside their own shifts, ``hours`` the session's length,
    ``counted`` how many of its participants the scenario knows (only those count) and
    ``validation`` whether its module is one of ``validation``.  The in-shift hours need the
    validator's shift arithmetic per participant, hence the loop; the rest is grouping.
    """
    rows = []
    for number, s in enumerate(ctx.timed):
        hours = (s.b - s.a) / 3600.0
        month = f"{s.local.year:04d}-{s.local.month:02d}"
        counted = [m for m in s.members if m in ctx.persons]
        for m in counted:
            inside = ctx.shift_seconds_inside(ctx.persons[m].team, s.a, s.b) / 3600.0
            rows.append((number, participant_workplace(ctx, m) or "?", month, m, inside, hours - inside,
                         hours, len(counted), s.module_id in validation))
    return pd.DataFrame(rows, columns=list(ATTENDANCE_COLUMNS))


def _figures(attendance: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The report's figures per group of ``by`` (groups in order of first appearance).

    A session shares its hours between the workplaces of its participants in proportion to
    their number, and counts once for each workplace it has participants of.
    """
    session_keys = list(dict.fromkeys(["session", "workplace", *by]))
    per_session = attendance.groupby(session_keys, sort=False).agg(
        members=("participant", "size"), hours=("hours", "first"), counted=("counted", "first"),
        validation=("validation", "first"))
    per_session["trainer_hours"] = per_session["hours"] * per_session["members"] / per_session["counted"]
    sessions = per_session.groupby(level=by, sort=False).agg(
        trainer_hours=("trainer_hours", "sum"), sessions=("members", "size"),
        validation_sessions=("validation", "sum"))
    people = attendance.groupby(by, sort=False).agg(
        participants=("participant", set), hours_on_shift=("on_shift", "sum"),
        hours_off_shift=("off_shift", "sum"))
    return people.join(sessions)


def _filled(row: EsfRow, figures: pd.Series) -> EsfRow:
    """``row`` with the figures of one group of :func:`_figures`."""
    row.participants = set(figures["participants"])
    row.hours_on_shift = float(figures["hours_on_shift"])
    row.hours_off_shift = float(figures["hours_off_shift"])
    row.trainer_hours = float(figures["trainer_hours"])
    row.sessions = int(figures["sessions"])
    row.validation_sessions = int(figures["validation_sessions"])
    return row


def _attendance(scenario: Mapping, schedule: Mapping, validation_modules: Iterable[str] = (),
                workplaces: Iterable[str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The attendance frame (only ``workplaces``' participants, if given) and the workplace
    names in scenario order."""
    ctx = build_context(dict(scenario), dict(schedule))
    names = {w["id"]: w.get("name") or w["id"] for w in scenario.get("workplaces") or []}
    validation = {mid for mid, m in ctx.modules.items() if is_validation_module(m, validation_modules)}
    attendance = attendance_frame(ctx, validation)
    if workplaces is not None:
        attendance = attendance[attendance["workplace"].isin(set(workplaces))]
    return attendance, names


def _in_workplace_order(rows: list[EsfRow], names: Mapping[str, str]) -> list[EsfRow]:
    """Rows sorted by workplace (scenario order, unknown ones last) and month."""
    order = {wid: i for i, wid in enumerate(names)}
    return sorted(rows, key=lambda r: (order.get(r.workplace, len(order)), r.workplace, r.month))


def _monthly(attendance: pd.DataFrame, names: Mapping[str, str]) -> list[EsfRow]:
    """One row per workplace and month."""
    figures = _figures(attendance, ["workplace", "month"])
    return _in_workplace_order([_filled(EsfRow(wid, names.get(wid, wid), month), f)
                                for (wid, month), f in figures.iterrows()], names)


def esf_report(scenario: Mapping, schedule: Mapping, *, validation_modules: Iterable[str] = (),
               workplaces: Iterable[str] | None = None) -> list[EsfRow]:
    """The report's rows, sorted by workplace (scenario order) and month.

    ``workplaces`` limits the rows to those workplaces (a manager's view).
    """
    return _monthly(*_attendance(scenario, schedule, validation_modules, workplaces))


def _table(title: str, rows: list[EsfRow], file: str) -> Table:
    table = Table(title, tuple((h, kind) for h, _, kind in REPORT_COLUMNS), file=file)
    for r in rows:
        values = r.as_dict()
        table.rows.append([values[key] if kind != "num" else round(values[key], 4)
                           for _, key, kind in REPORT_COLUMNS])
    return table


def _totals(attendance: pd.DataFrame, names: Mapping[str, str]) -> list[EsfRow]:
    """One row per workplace over all months (month "totalt"), then one for everything (a
    participant counts once for each workplace they were trained for)."""
    per = _in_workplace_order([_filled(EsfRow(wid, names.get(wid, wid), "totalt"), f)
                               for wid, f in _figures(attendance, ["workplace"]).iterrows()], names)
    grand = EsfRow("Totalt", "alla arbetsplatser", "totalt")
    everyone = attendance.assign(scope="totalt",
                                 participant=list(zip(attendance["workplace"], attendance["participant"])))
    for _, f in _figures(everyone, ["scope"]).iterrows():
        _filled(grand, f)
    return [*per, grand]


def esf_tables(scenario: Mapping, schedule: Mapping, **kwargs) -> list[Table]:
    """The report as tables: per workplace and month, per workplace in total, definitions."""
    attendance, names = _attendance(scenario, schedule, **kwargs)
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
    return [_table("ESF per månad", _monthly(attendance, names), "esf-per-manad.csv"),
            _table("Per arbetsplats", _totals(attendance, names), "esf-per-arbetsplats.csv"), about]


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
