"""`modulplan board load` and `modulplan board link`: put solved scenarios into the service's
store and hand out a link to the planning board (used by `./dev demo`).

    modulplan board load SCENARIO.json [SCHEDULE.json]   # stores both (the schedule validated first)
    modulplan board link [--role coordinator|planner|manager] [--workplace W] [--base URL]

Loading the same scenario document again reuses the stored one (another document starts a new
programme, even with the same id), and a schedule identical to one already stored for it is not
stored twice, so repeated demos do not pile up copies. A schedule loaded here is published at
once (the command runs on the server, as its operator): its programme's feeds show it.

Like ``service.cli``, the functions import the store and the scheduler where they are used
(start-up speed of every other ``modulplan`` command).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

from service.cli.common import open_database


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("board", help="the planning board: load solved scenarios into the store, print a link")
    bsub = p.add_subparsers(dest="board_command", required=True)
    ld = bsub.add_parser("load", help="store a scenario and (optionally) its schedule in the service's database")
    ld.add_argument("scenario")
    ld.add_argument("schedule", nargs="?")
    ld.set_defaults(func=cmd_load)
    ln = bsub.add_parser("link", help="create a token and print the board's URL with it")
    ln.add_argument("--role", default="coordinator", choices=["coordinator", "planner", "manager"])
    ln.add_argument("--workplace", help="the workplace a manager sees (manager links only)")
    ln.add_argument("--base", default="http://127.0.0.1:8000", help="where the service runs (default %(default)s)")
    ln.add_argument("--lang", choices=["sv", "en"], help="the page's language (default: the browser's)")
    ln.add_argument("--page", help="a board page to open, e.g. scenarios/<id>/action-plans (default: the start page)")
    ln.set_defaults(func=cmd_link)


def _read_json(path: str, what: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"modulplan board load: cannot read the {what} {path}: {exc}", file=sys.stderr)
        return None


def stored_scenario(db, document: dict):
    """The stored scenario row with exactly this document, or a new one (the document validated)."""
    from sqlalchemy import select

    from scheduler.format import load_scenario
    from service.store import new_programme, scenario_workplaces
    from service.store.db import ScenarioRow, VariantRow, new_id

    normalized = load_scenario(document)
    name = str(normalized.get("name") or normalized["id"])[:500]
    with db.Session() as s:
        for row in s.scalars(select(ScenarioRow).where(ScenarioRow.name == name)):
            if row.document == document and s.get(VariantRow, row.id) is None:
                return row, False
    row_id = new_id()
    row = ScenarioRow(id=row_id, lineage=new_programme(row_id), name=name,
                      workplaces=scenario_workplaces(normalized), document=document, created_by=None)
    with db.Session.begin() as s:
        s.add(row)
    return row, True


def stored_schedule(db, scenario_row, schedule: dict):
    """The stored schedule of this scenario row with exactly this document, or a new one."""
    from sqlalchemy import select

    from service.store import store_schedule
    from service.store.db import ScheduleRow

    with db.Session() as s:
        for row in s.scalars(select(ScheduleRow).where(ScheduleRow.scenario_id == scenario_row.id)):
            if row.document == schedule:
                return row, False
    row = store_schedule(db, scenario_row=SimpleNamespace(id=scenario_row.id, lineage=scenario_row.lineage),
                         schedule=schedule, job_id=None)
    return row, True


def cmd_load(args) -> int:
    from scheduler.format import ScenarioInvalid
    from scheduler.validate import format_report, validate

    scenario = _read_json(args.scenario, "scenario")
    schedule = _read_json(args.schedule, "schedule") if args.schedule else None
    if scenario is None or (args.schedule and schedule is None):
        return 2
    if schedule is not None:
        report = validate(scenario, schedule)
        if not report.ok:
            print(f"modulplan board load: {args.schedule} breaks the rules of {args.scenario}:\n"
                  + format_report(report), file=sys.stderr)
            return 1
    from scheduler.cli.common import print_warnings
    from scheduler.format import load_scenario_with_warnings

    try:
        print_warnings(args.scenario, load_scenario_with_warnings(scenario)[1])  # ignored fields
    except ScenarioInvalid:
        pass  # reported below, with the errors
    with open_database() as db:
        try:
            row, new = stored_scenario(db, scenario)
        except ScenarioInvalid as exc:
            print(f"modulplan board load: {args.scenario} is not a valid scenario: {exc}", file=sys.stderr)
            return 2
        print(f"scenario {row.id} ({row.name}){'' if new else ' already stored'}")
        if schedule is not None:
            sched, new = stored_schedule(db, row, schedule)
            print(f"schedule {sched.id} (revision {sched.revision}){'' if new else ' already stored'}")
    return 0


def cmd_link(args) -> int:
    from service.auth import create_token

    try:
        with open_database() as db:
            token, _ = create_token(db, args.role, args.workplace, label="board link")
    except ValueError as exc:
        print(f"modulplan board link: {exc}", file=sys.stderr)
        return 2
    query = f"?lang={args.lang}" if args.lang else ""
    page = (args.page or "").strip("/")
    print(f"{args.base.rstrip('/')}/board/{page}{query}#token={token}")
    return 0
