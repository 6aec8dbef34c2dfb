"""The `modulplan` command line.

Exit codes: 0 done; 1 the schedule breaks a rule (validate) or an internal error;
2 invalid input.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BROKEN, EXIT_INVALID = 0, 1, 2
_STARTED = time.monotonic()


def _num(x) -> str:
    """Numbers the Swedish way: thin groups with a space (12 345)."""
    if x is None:
        return "–"
    return f"{round(x):,}".replace(",", " ")


def _load_scenario(path: str) -> dict:
    """The normalized scenario; warnings (ignored fields) are printed on stderr."""
    from scheduler.cli.common import load_scenario_file

    return load_scenario_file(path)


def _print_errors(path: str, exc) -> None:
    from scheduler.cli.common import print_errors

    print_errors(path, exc)


def cmd_check(args) -> int:
    from scheduler.domain import build_scenario
    from scheduler.format import ScenarioInvalid
    from scheduler.prepare.problem import PlanningProblem

    try:
        data = _load_scenario(args.scenario)
    except ScenarioInvalid as exc:
        _print_errors(args.scenario, exc)
        return EXIT_INVALID
    sc = build_scenario(data)
    problem = PlanningProblem(sc)
    hopeless = sum(1 for o in problem.options if not o.candidates)
    print(f"{args.scenario}: valid modulplan/scenario-1 '{sc.id}' ({sc.name})")
    print(f"  {len(sc.participants)} participants in {len(sc.action_plans)} action plans -> "
          f"{len(problem.cohorts)} cohorts, {len(problem.sessions)} sessions; {len(sc.trainers)} trainers, "
          f"{len(sc.rooms)} rooms, {len(sc.interpreters)} interpreters; {len(problem.timeline.slots)} start times")
    if hopeless:
        print(f"  note: {hopeless} sessions have no possible start time at all (see `modulplan solve` reasons)")
    return EXIT_OK


class ProgressLine:
    """A live progress line on stderr (rewritten in place on a terminal)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.last = 0.0
        self.shown = None

    def __call__(self, p) -> None:
        now = time.monotonic()
        if p.phase == "optimize" and not self.tty and now - self.last < 2.0:
            return
        self.last = now
        gap = ""
        if p.objective and p.bound is not None:
            gap = f"  gap {max(0.0, (p.objective - p.bound) / p.objective) * 100:.1f}%"
        text = (f"[{p.elapsed:6.1f}s] {p.phase:<9} objective {_num(p.objective):>12}  bound {_num(p.bound):>12}"
                f"{gap}  sessions {p.sessions_placed}/{p.sessions_total}")
        if self.tty:
            self.stream.write("\r" + text.ljust(100))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 where /proc is not there)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def cmd_solve(args) -> int:
    from scheduler.format import ScenarioInvalid
    from scheduler.solve import SolveParams, solve_scenario

    try:
        data = _load_scenario(args.scenario)
    except ScenarioInvalid as exc:
        _print_errors(args.scenario, exc)
        return EXIT_INVALID
    # The limit covers the whole command: what starting Python, importing and loading took
    # already counts.
    spent = max(time.monotonic() - _STARTED, _process_age())
    params = SolveParams(time_limit=max(1.0, args.time_limit - spent - 1.0), workers=args.workers,
                         random_seed=args.seed, log_search=args.log)
    from scheduler.cli.whatif import print_replan, replan_options

    try:  # re-planning against a baseline (--baseline, --freeze-until, --move-weight)
        baseline, replan = replan_options(args)
    except ScenarioInvalid as exc:
        _print_errors(args.baseline or args.scenario, exc)
        return EXIT_INVALID
    line = None if args.quiet else ProgressLine()
    try:
        result = solve_scenario(data, params, on_progress=line, **replan)
    except ScenarioInvalid as exc:  # the baseline does not fit this scenario
        if line:
            line.close()
        _print_errors(args.baseline, exc)
        return EXIT_INVALID
    if line:
        line.close()
    sched = result.schedule
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(sched, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    k = sched["kpis"]
    c0, c1, lb = result.constructive_objective, result.objective, result.bound
    print(f"scenario {sched['scenario']}: {k['sessions_scheduled']}/{k['sessions_total']} sessions scheduled, "
          f"{len(sched['unscheduled'])} unscheduled, status {sched['status']}, {sched['solve_seconds']:.1f} s")
    print(f"  constructive schedule objective: {_num(c0)}")
    gain = f" ({(c0 - c1) / c0 * 100:.1f}% lower)" if c0 else ""
    print(f"  final objective:                 {_num(c1)}{gain}")
    if lb is not None:
        gap = (c1 - lb) / c1 * 100 if c1 else 0.0
        print(f"  proven lower bound:              {_num(lb)} (at most {gap:.1f}% from optimal)")
    else:
        print("  proven lower bound:              none (no optimizer run)")
    print(f"  backfill {k['backfill_hours']:g} h, overtime {k['overtime_hours']:g} h, travel {k['travel_minutes']} min")
    if baseline is not None:
        print_replan(sched)
    for u in sched["unscheduled"][:10]:
        print(f"  unscheduled: {u['reason']}")
    if len(sched["unscheduled"]) > 10:
        print(f"  ... and {len(sched['unscheduled']) - 10} more unscheduled sessions (see {out})")
    print(f"wrote {out}")
    if args.ics_dir:
        from scheduler.io.ics import write_ics_dir

        paths = write_ics_dir(data, sched, Path(args.ics_dir))
        print(f"wrote {len(paths)} calendars to {args.ics_dir}")
    return EXIT_OK


def cmd_validate(args) -> int:
    from scheduler.cli.common import load_schedule_file
    from scheduler.format import ScenarioInvalid
    from scheduler.validate import format_report, validate

    try:
        scenario = _load_scenario(args.scenario)
    except ScenarioInvalid as exc:
        _print_errors(args.scenario, exc)
        return EXIT_INVALID
    try:
        schedule = load_schedule_file(args.schedule)
    except ScenarioInvalid as exc:
        _print_errors(args.schedule, exc)
        return EXIT_INVALID
    baseline = None
    if getattr(args, "baseline", None):  # a re-plan: frozen sessions and moved/added/cancelled checked too
        try:
            baseline = load_schedule_file(args.baseline)
        except ScenarioInvalid as exc:
            _print_errors(args.baseline, exc)
            return EXIT_INVALID
    report = validate(scenario, schedule, baseline=baseline)
    print(format_report(report))
    return EXIT_OK if report.ok else EXIT_BROKEN


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modulplan", description="Training schedules for workplace-learning programmes.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check a scenario file and list every error")
    p.add_argument("scenario")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("solve", help="solve a scenario into a schedule")
    p.add_argument("scenario")
    p.add_argument("--out", required=True, help="where to write the schedule JSON")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--workers", type=int, default=0, help="solver threads (default: one per core)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, workers and limit: comparable runs)")
    p.add_argument("--ics-dir", help="also write one .ics calendar per workplace, trainer and room here")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--log", action="store_true", help="show the CP-SAT search log")
    from scheduler.cli.whatif import add_solve_options

    add_solve_options(p)
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("validate", help="re-check a schedule against every hard rule")
    p.add_argument("scenario")
    p.add_argument("schedule")
    p.add_argument("--baseline", help="the baseline of a re-plan: also check frozen sessions and moved/added/cancelled")
    p.set_defaults(func=cmd_validate)

    from scheduler.cli.whatif import add_subcommands as add_whatif_subcommands

    add_whatif_subcommands(sub)  # variant, compare

    # Listed here for --help; main() hands their arguments to the program unparsed.
    for name, ep in _plugins("modulplan.programs").items():
        about = (getattr(ep.load(), "__doc__", None) or name).strip().splitlines()[0]
        sub.add_parser(name, help=f"{about} (see `modulplan {name} --help`)", add_help=False)

    from scheduler.cli.spreadsheets import add_subcommands as _add_spreadsheet_subcommands

    _add_spreadsheet_subcommands(sub)  # template, import, export, report esf, import-calendar
    from scheduler.cli.explain import add_subcommand as _add_explain_subcommand

    _add_explain_subcommand(sub)  # explain
    _add_plugin_subcommands(sub)
    return parser


def _plugins(group: str) -> dict:
    """Commands that other installed packages add (entry points of `group`): the service adds
    `serve`, `worker`, `token`, `feed`, `board` (group modulplan.commands), the benchmarks add
    `itc2007` (modulplan.programs, a whole program with its own arguments). The core never
    imports them: it finds them."""
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=group)}


def _add_plugin_subcommands(sub) -> None:
    for ep in _plugins("modulplan.commands").values():
        try:
            add_subcommands = ep.load()
        except ImportError:  # the solver alone, without that package's dependencies
            continue
        add_subcommands(sub)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    programs = _plugins("modulplan.programs")
    if argv[:1] and argv[0] in programs:
        return programs[argv[0]].load()(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose or getattr(args, "log", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_BROKEN
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # an internal error: say so plainly, keep the trace for developers
        logging.getLogger("modulplan").exception("internal error: %s", exc)
        return EXIT_BROKEN


if __name__ == "__main__":
    sys.exit(main())
