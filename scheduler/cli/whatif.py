"""The what-if commands of `modulplan`: `variant`, `compare`, and the re-plan options of `solve`.

    modulplan variant SCENARIO.json --changes CHANGES.json --out VARIANT.json
    modulplan solve VARIANT.json --baseline SCHEDULE.json [--freeze-until DATE] --out NEW.json
    modulplan compare SCENARIO.json SCHEDULE.json... [--json]

`compare` takes scenario and schedule files in one list: each schedule is compared under
the scenario listed last before it, so variants can be compared with their own scenarios
(`modulplan compare base.json base.sched.json v1.json v1.sched.json`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scheduler.cli.common import EXIT_INVALID, EXIT_OK
from scheduler.cli.common import print_errors as _errors
from scheduler.cli.common import print_warnings as _warnings
from scheduler.cli.common import write_json as _write


def cmd_variant(args) -> int:
    """A variant scenario from a scenario and a changes document."""
    from scheduler.format import ScenarioInvalid, load_json_file, load_scenario_with_warnings
    from scheduler.whatif.variants import make_variant

    try:
        parent = load_json_file(args.scenario)
    except ScenarioInvalid as exc:
        return _errors(args.scenario, exc)
    try:
        _warnings(args.scenario, load_scenario_with_warnings(parent)[1])
    except ScenarioInvalid:
        pass  # make_variant reports the parent's errors
    try:
        changes = json.loads(Path(args.changes).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as err:
        print(f"{args.changes}: not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}", file=sys.stderr)
        return EXIT_INVALID
    try:
        variant = make_variant(parent, changes, name=args.name)
    except ScenarioInvalid as exc:
        return _errors(args.changes, exc)
    out = _write(args.out, variant)
    n = len(variant["x-variant"]["changes"])
    print(f"variant of '{parent.get('id')}' with {n} change{'s' if n != 1 else ''}: {variant['name']}")
    print(f"wrote {out}")
    return EXIT_OK


def replan_options(args) -> tuple[dict | None, dict]:
    """(baseline schedule, keyword arguments for solve_scenario) from `solve`'s options;
    raises ScenarioInvalid for a bad baseline file or freeze date."""
    from scheduler.format import ScenarioInvalid, load_json_file, load_schedule_with_warnings
    from scheduler.solve.replan import parse_freeze_until

    if not getattr(args, "baseline", None):
        if args.freeze_until or args.move_weight is not None:
            from scheduler.format import FieldError

            raise ScenarioInvalid([FieldError("--freeze-until", "--freeze-until and --move-weight need --baseline")])
        return None, {}
    baseline = load_json_file(args.baseline)
    try:
        _warnings(args.baseline, load_schedule_with_warnings(baseline)[1])
    except ScenarioInvalid:
        pass  # the re-plan reports the baseline's errors (with $baseline paths)
    return baseline, {"baseline": baseline, "freeze_until": parse_freeze_until(args.freeze_until),
                      "move_weight": args.move_weight}


def print_replan(schedule: dict) -> None:
    """The re-plan's summary: frozen, moved, added, cancelled, with the first reasons."""
    rp = schedule.get("replan") or {}
    print(f"  re-plan: {len(rp.get('frozen') or [])} frozen before {rp.get('freeze_until') or '(no freeze date)'}, "
          f"{len(schedule.get('moved') or [])} moved, {len(schedule.get('added') or [])} added, "
          f"{len(schedule.get('cancelled') or [])} cancelled (move_session {rp.get('move_weight'):g} each)")
    for e in (rp.get("sessions") or [])[:10]:
        print(f"    {e['change']} {e['id']}: {e['reason']}")
    if len(rp.get("sessions") or []) > 10:
        print(f"    ... and {len(rp['sessions']) - 10} more (see replan.sessions in the schedule)")


def cmd_compare(args) -> int:
    """KPIs of several schedules side by side (recomputed by the validator) and their differences."""
    from scheduler.format import (
        ScenarioInvalid,
        load_json_file,
        load_scenario_with_warnings,
        load_schedule_with_warnings,
    )
    from scheduler.whatif.compare import compare, render_text

    entries, scenario = [], None
    for path in args.files:
        try:
            doc = load_json_file(path)
            if doc.get("format") == "modulplan/scenario-1":
                _warnings(path, load_scenario_with_warnings(doc)[1])
                scenario = doc
                continue
            schedule, warnings = load_schedule_with_warnings(doc)
            _warnings(path, warnings)
        except ScenarioInvalid as exc:
            return _errors(path, exc)
        if scenario is None:
            print(f"{path}: a schedule needs a scenario file before it in the list", file=sys.stderr)
            return EXIT_INVALID
        entries.append((scenario, schedule, Path(path).stem))
    if not entries:
        print("give a scenario and at least one schedule", file=sys.stderr)
        return EXIT_INVALID
    result = compare(entries)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return EXIT_OK


def add_subcommands(sub) -> None:
    p = sub.add_parser("variant", help="make a what-if variant of a scenario from a list of changes")
    p.add_argument("scenario")
    p.add_argument("--changes", required=True, help="JSON: a list of changes or {\"name\", \"changes\": [...]}")
    p.add_argument("--out", required=True, help="where to write the variant scenario")
    p.add_argument("--name", help="the variant's name (default: the parent's name + ' (variant)')")
    p.set_defaults(func=cmd_variant)

    p = sub.add_parser("compare", help="KPIs of schedules side by side, and their session-level differences")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="SCENARIO.json SCHEDULE.json...; a further scenario applies to the schedules after it")
    p.add_argument("--json", action="store_true", help="the comparison as JSON")
    p.set_defaults(func=cmd_compare)


def add_solve_options(p) -> None:
    p.add_argument("--baseline", help="re-plan against this schedule: few sessions move (see --freeze-until)")
    p.add_argument("--freeze-until", help="YYYY-MM-DD: baseline sessions before this date stay exactly as they are")
    p.add_argument("--move-weight", type=float, help="cost of each moved baseline session (default: the scenario's "
                                                     "weights.move_session, else 500)")
