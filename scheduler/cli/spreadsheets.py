"""Command-line subcommands for spreadsheets, calendars and reports.

``modulplan template OUT.xlsx [--from SCENARIO.json]`` · ``modulplan import WORKBOOK.xlsx --out
SCENARIO.json`` · ``modulplan export SCENARIO.json SCHEDULE.json --xlsx OUT.xlsx [--csv DIR]`` ·
``modulplan report esf SCENARIO.json SCHEDULE.json --out REPORT.xlsx [--csv FILE]`` ·
``modulplan import-calendar SCENARIO.json --trainer ID|--room ID|--interpreter ID FILE.ics
--out SCENARIO2.json``.  Exit codes as in :mod:`scheduler.cli`: 0 done, 1 internal error,
2 invalid input (every problem listed, with its sheet, row and column or JSON path).
"""

from __future__ import annotations

import sys
from pathlib import Path

from scheduler.cli.common import EXIT_INVALID, EXIT_OK
from scheduler.cli.common import print_errors as _errors
from scheduler.cli.common import print_warnings as _warnings
from scheduler.cli.common import write_json as _write_json


def _load_pair(args):
    """(scenario, schedule) both validated (warnings printed), or raise ScenarioInvalid tagged with its file."""
    from scheduler.cli.common import load_scenario_file, load_schedule_file

    scenario = load_scenario_file(args.scenario)
    try:
        schedule = load_schedule_file(args.schedule)
    except Exception as exc:
        exc.file = args.schedule
        raise
    return scenario, schedule


def cmd_template(args) -> int:
    """Write the action-plan workbook: the built-in example, or a given scenario."""
    from scheduler.format import ScenarioInvalid, load_json_file, load_scenario_with_warnings
    from scheduler.io.workbook import template_workbook, write_workbook

    if args.source:
        try:
            doc = load_json_file(args.source)
            _warnings(args.source, load_scenario_with_warnings(doc)[1])
            body = write_workbook(doc)
        except ScenarioInvalid as exc:
            return _errors(args.source, exc)
    else:
        body = template_workbook()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    print(f"wrote {out}")
    return EXIT_OK


def cmd_import(args) -> int:
    """Read an action-plan workbook into a scenario JSON."""
    from scheduler.format import ScenarioInvalid
    from scheduler.io.workbook import read_workbook_with_warnings

    try:
        scenario, warnings = read_workbook_with_warnings(args.workbook)
    except ScenarioInvalid as exc:
        return _errors(args.workbook, exc)
    _warnings(args.workbook, warnings)
    _write_json(args.out, scenario)
    n = sum(len(p["participants"]) for p in scenario["action_plans"])
    print(f"{args.workbook}: scenario '{scenario['id']}' with {len(scenario['action_plans'])} action plans "
          f"({n} participant rows); wrote {args.out}")
    return EXIT_OK


def cmd_export(args) -> int:
    """The schedule as an .xlsx workbook and/or CSV files."""
    from scheduler.format import ScenarioInvalid
    from scheduler.io.tables import schedule_tables, write_csv_dir, write_xlsx

    if not args.xlsx and not args.csv:
        print("export: give --xlsx OUT.xlsx and/or --csv DIR", file=sys.stderr)
        return EXIT_INVALID
    try:
        scenario, schedule = _load_pair(args)
    except ScenarioInvalid as exc:
        return _errors(getattr(exc, "file", args.scenario), exc)
    tables = schedule_tables(scenario, schedule)
    if args.xlsx:
        print(f"wrote {write_xlsx(tables, args.xlsx)} ({len(tables)} sheets, {len(tables[0].rows)} sessions)")
    if args.csv:
        paths = write_csv_dir(tables, args.csv, args.csv_dialect)
        print(f"wrote {len(paths)} CSV files to {args.csv}")
    return EXIT_OK


def cmd_report(args) -> int:
    """`report esf`: the monthly ESF report as .xlsx and/or CSV."""
    from scheduler.format import ScenarioInvalid
    from scheduler.io.esf import esf_report, write_esf

    try:
        scenario, schedule = _load_pair(args)
    except ScenarioInvalid as exc:
        return _errors(getattr(exc, "file", args.scenario), exc)
    named = [m.strip() for m in (args.validation_modules or "").split(",") if m.strip()]
    for path in write_esf(scenario, schedule, args.out, args.csv, args.csv_dialect, validation_modules=named):
        print(f"wrote {path}")
    rows = esf_report(scenario, schedule, validation_modules=named)
    on, off = sum(r.hours_on_shift for r in rows), sum(r.hours_off_shift for r in rows)
    print(f"{len(rows)} rows (workplace x month): {on:.2f} participant hours on shift, {off:.2f} off shift")
    return EXIT_OK


def cmd_import_calendar(args) -> int:
    """Add a calendar's busy times to a trainer's, room's or interpreter's unavailable periods."""
    from scheduler.format import ScenarioInvalid, load_json_file, load_scenario_with_warnings
    from scheduler.io.calendar_import import add_unavailable

    kind, owner = next((k, getattr(args, k)) for k in ("trainer", "room", "interpreter") if getattr(args, k))
    try:
        scenario = load_json_file(args.scenario)
    except ScenarioInvalid as exc:
        return _errors(args.scenario, exc)
    try:
        result = add_unavailable(scenario, kind, owner, Path(args.calendar), replace=args.replace)
    except ScenarioInvalid as exc:
        return _errors(args.calendar if exc.errors and exc.errors[0].path.startswith("calendar") else args.scenario,
                       exc)
    _warnings(args.scenario, load_scenario_with_warnings(scenario)[1])
    things = {t["id"]: t for t in result[f"{kind}s"]}
    before = {t["id"]: t for t in scenario.get(f"{kind}s") or [] if isinstance(t, dict)}
    kept = 0 if args.replace else len(before.get(owner, {}).get("unavailable") or [])
    added = len(things[owner]["unavailable"]) - kept
    _write_json(args.out, result)
    print(f"{kind} {owner}: {len(things[owner]['unavailable'])} unavailable periods "
          f"({added} {'from the calendar' if args.replace else 'added'}); wrote {args.out}")
    return EXIT_OK


def add_subcommands(sub) -> None:
    """Register template, import, export, report and import-calendar on the `modulplan` parser."""
    p = sub.add_parser("template", help="write the action-plan workbook (.xlsx) with an example, or a scenario")
    p.add_argument("out", help="the .xlsx to write")
    p.add_argument("--from", dest="source", metavar="SCENARIO.json",
                   help="write this scenario instead of the example")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="read an action-plan workbook into a scenario JSON")
    p.add_argument("workbook")
    p.add_argument("--out", required=True, help="where to write the scenario JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="the schedule as .xlsx (overview, per workplace, per trainer) and CSV")
    p.add_argument("scenario")
    p.add_argument("schedule")
    p.add_argument("--xlsx", help="the workbook to write")
    p.add_argument("--csv", help="a folder for one CSV file per sheet")
    p.add_argument("--csv-dialect", choices=["sv", "comma"], default="sv",
                   help="sv (default): semicolons and decimal commas, as Swedish Excel reads; comma: RFC 4180")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="reports from a schedule: `report esf` (monthly ESF figures)")
    kinds = p.add_subparsers(dest="report", required=True)
    q = kinds.add_parser("esf", help="participants and hours per workplace and month")
    q.add_argument("scenario")
    q.add_argument("schedule")
    q.add_argument("--out", help="the .xlsx to write")
    q.add_argument("--csv", help="also (or only) this CSV file")
    q.add_argument("--csv-dialect", choices=["sv", "comma"], default="sv",
                   help="sv (default): semicolons and decimal commas; comma: RFC 4180")
    q.add_argument("--validation-modules", help="comma-separated module ids that count as validation")
    q.set_defaults(func=cmd_report)

    p = sub.add_parser("import-calendar", help="turn an .ics calendar into unavailable periods")
    p.add_argument("scenario")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--trainer", metavar="ID")
    who.add_argument("--room", metavar="ID")
    who.add_argument("--interpreter", metavar="ID")
    p.add_argument("calendar", help="the .ics file (an export or a saved feed)")
    p.add_argument("--out", required=True, help="where to write the new scenario JSON")
    p.add_argument("--replace", action="store_true", help="replace the existing unavailable periods")
    p.set_defaults(func=cmd_import_calendar)
