"""The core commands of `modulplan`: `check` a scenario, `solve` it (with a live progress line),
`validate` a schedule against every hard rule.

Exit codes as in :mod:`scheduler.cli.common`: 0 done; 1 the schedule breaks a rule (validate) or an
internal error; 2 invalid input.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from scheduler.cli.common import (
    EXIT_BROKEN,
    EXIT_INVALID,
    EXIT_OK,
    load_scenario_file,
    load_schedule_file,
    print_errors,
)
from scheduler.cli.whatif import add_solve_options, print_replan, replan_options

#: When this process (about) started: `solve`'s time limit covers the whole command.
_STARTED = time.monotonic()


def _num(x) -> str:
    """Numbers the Swedish way: thin groups with a space (12 345)."""
    if x is None:
        return "–"
    return f"{round(x):,}".replace(",", " ")


def cmd_check(args) -> int:
    from scheduler.domain import build_scenario
    from scheduler.format import ScenarioInvalid
    from scheduler.prepare.problem import PlanningProblem

    try:
        data = load_scenario_file(args.scenario)
    except ScenarioInvalid as exc:
        print_errors(args.scenario, exc)
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
        data = load_scenario_file(args.scenario)
    except ScenarioInvalid as exc:
        print_errors(args.scenario, exc)
        return EXIT_INVALID
    # The limit covers the whole command: what starting Python, importing and loading took
    # already counts.
    spent = max(time.monotonic() - _STARTED, _process_age())
    params = SolveParams(time_limit=max(1.0, args.time_limit - spent - 1.0), workers=args.workers,
                         random_seed=args.seed, log_search=args.log)
    try:  # re-planning against a baseline (--baseline, --freeze-until, --move-weight)
        baseline, replan = replan_options(args)
    except ScenarioInvalid as exc:
        print_errors(args.baseline or args.scenario, exc)
        return EXIT_INVALID
    line = None if args.quiet else ProgressLine()
    try:
        result = solve_scenario(data, params, on_progress=line, **replan)
    except ScenarioInvalid as exc:  # the baseline does not fit this scenario
        if line:
            line.close()
        print_errors(args.baseline, exc)
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
    from scheduler.format import ScenarioInvalid
    from scheduler.validate import format_report, validate

    try:
        scenario = load_scenario_file(args.scenario)
    except ScenarioInvalid as exc:
        print_errors(args.scenario, exc)
        return EXIT_INVALID
    try:
        schedule = load_schedule_file(args.schedule)
    except ScenarioInvalid as exc:
        print_errors(args.schedule, exc)
        return EXIT_INVALID
    baseline = None
    if getattr(args, "baseline", None):  # a re-plan: frozen sessions and moved/added/cancelled checked too
        try:
            baseline = load_schedule_file(args.baseline)
        except ScenarioInvalid as exc:
            print_errors(args.baseline, exc)
            return EXIT_INVALID
    report = validate(scenario, schedule, baseline=baseline)
    print(format_report(report))
    return EXIT_OK if report.ok else EXIT_BROKEN


def add_subcommands(sub) -> None:
    """Register check, solve and validate on the `modulplan` parser."""
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
    add_solve_options(p)
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("validate", help="re-check a schedule against every hard rule")
    p.add_argument("scenario")
    p.add_argument("schedule")
    p.add_argument("--baseline",
                   help="the baseline of a re-plan: also check frozen sessions and moved/added/cancelled")
    p.set_defaults(func=cmd_validate)
