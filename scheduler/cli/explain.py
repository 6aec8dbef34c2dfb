"""`modulplan explain SCENARIO.json [SCHEDULE.json] [--lang sv|en] [--json]`."""

from __future__ import annotations

import json
import os
import sys

from scheduler.cli.common import EXIT_INVALID, EXIT_OK


def add_subcommand(sub) -> None:
    p = sub.add_parser("explain", help="why sessions cannot be placed, what the plan costs, and what to change")
    p.add_argument("scenario")
    p.add_argument("schedule", nargs="?",
                   help="a schedule of this scenario: explain its unscheduled sessions and costs")
    p.add_argument("--lang", choices=["sv", "en"], help="language of the texts (default: from $LANG, else sv)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON (rule, entities, message, "
                                                        "suggestions, most important first)")
    p.add_argument("--conflicts", action="store_true",
                   help="without a schedule: also search for conflicting requirements with the solver")
    p.add_argument("--time-limit", type=float, default=20.0, help="seconds for the conflict search (default 20)")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args) -> int:
    from scheduler.explain.messages import choose_language
    from scheduler.explain.report import explain, format_text
    from scheduler.format import ScenarioInvalid, load_json_file, load_scenario, load_schedule

    try:
        data = load_scenario(load_json_file(args.scenario))
    except ScenarioInvalid as exc:
        _errors(args.scenario, exc)
        return EXIT_INVALID
    schedule = None
    if args.schedule:
        try:
            schedule = load_schedule(load_json_file(args.schedule))
        except ScenarioInvalid as exc:
            _errors(args.schedule, exc)
            return EXIT_INVALID
        if schedule.get("scenario") != data["id"]:
            print(f"{args.schedule}: $.scenario: the schedule is for scenario {schedule.get('scenario')!r}, "
                  f"not {data['id']!r}", file=sys.stderr)
            return EXIT_INVALID
    lang = choose_language(args.lang, os.environ.get("LC_ALL") or os.environ.get("LANG"))
    report = explain(data, schedule, lang, conflicts=True if args.conflicts else None, time_limit=args.time_limit)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_text(report))
    return EXIT_OK


def _errors(path: str, exc) -> None:
    """The scenario's or schedule's errors, without the warnings (explain reads the files strictly and
    lists no warnings, unlike the other commands' ``common.print_errors``)."""
    print(f"{path}: {len(exc.errors)} error(s):", file=sys.stderr)
    for e in exc.errors:
        print(f"  {e.path}: {e.message}", file=sys.stderr)
