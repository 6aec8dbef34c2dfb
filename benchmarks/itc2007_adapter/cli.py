"""`modulplan itc2007 INSTANCE.ctt --time-limit SECONDS --out SOLUTION.sol [--workers N] [--seed S]`

Solves an ITC-2007 Track 3 instance with modulplan's own engine (the instance as a programme
of the spec, `engine_input.py`; the product's constructive schedule and search, `solve.py`),
writes the solution in the competition format, and prints the official cost breakdown as the
independent evaluator computes it, the hard violations (0 for a valid timetable) and the ratio
to the best known value.

Exit codes: 0 done (no hard violation); 1 a hard violation or an internal error; 2 invalid
input.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BROKEN, EXIT_INVALID = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="modulplan itc2007",
                                description="Solve an ITC-2007 Track 3 (curriculum-based course timetabling) instance.")
    p.add_argument("instance", help="the .ctt file")
    p.add_argument("--out", required=True, help="where to write the solution (.sol)")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--workers", type=int, default=0, help="searches at once, one process each (default: one per core)")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--log", action="store_true", help="show the search's log")
    return p


class _ProgressLine:
    """Progress on stderr: at most one line every 2 s, plus the phase changes."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.last, self.phase = stream, 0.0, None

    def __call__(self, p) -> None:
        now = time.monotonic()
        if p.phase == self.phase and p.phase != "done" and now - self.last < 2.0:
            return
        self.last, self.phase = now, p.phase
        missing = f"  {p.unscheduled} lectures not placed" if p.unscheduled else ""
        self.stream.write(f"[{p.elapsed:6.1f}s] {p.phase:<9} cost {p.cost if p.cost is not None else '-':>6}{missing}\n")
        self.stream.flush()


def run(argv: list[str] | None = None) -> int:
    """Solve an ITC-2007 Track 3 (curriculum-based course timetabling) instance."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.log else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from benchmarks.itc2007_adapter.evaluate import best_known, evaluate, format_evaluation, ratio
    from benchmarks.itc2007_adapter.instance import InstanceError, format_solution, load_instance
    from benchmarks.itc2007_adapter.solve import SolveParams, solve

    try:
        inst = load_instance(args.instance)
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        result = solve(inst, SolveParams(time_limit=args.time_limit, workers=args.workers, seed=args.seed),
                       on_progress=None if args.quiet else _ProgressLine())
    except Exception as exc:  # an internal error: say so plainly, keep the trace for developers
        logging.getLogger("modulplan").exception("internal error: %s", exc)
        return EXIT_BROKEN
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(format_solution(result.lectures), encoding="utf-8")

    ev = evaluate(inst, out)
    print(f"instance {inst.name} ({Path(args.instance).name}): {len(inst.courses)} courses, {len(inst.rooms)} rooms, "
          f"{inst.days} days x {inst.periods_per_day} periods, {inst.total_lectures} lectures")
    print(f"solved in {result.seconds:.1f} s; first complete timetable after {result.first_feasible_seconds:.2f} s"
          if result.first_feasible_seconds is not None else f"solved in {result.seconds:.1f} s")
    if result.constructive_cost is not None:
        print(f"  constructive timetable cost: {result.constructive_cost}")
    print(f"  engine's cost:               {result.cost}"
          + (f"  ({result.unscheduled} lectures not placed)" if result.unscheduled else ""))
    print("official evaluation (independent evaluator):")
    print("  " + format_evaluation(ev).replace("\n", "\n  "))
    for w in ev.warnings[:10]:
        print(f"  warning: {w}")
    if ev.cost != result.cost and not ev.violations:
        print(f"  note: the evaluator's cost {ev.cost} differs from the engine's {result.cost}")
    known = best_known(inst.name, args.instance)
    if known:
        key, value, proven = known
        r = ratio(ev.cost, value)
        shown = f"{r:.2f}" if r is not None else ("1.00" if ev.cost == 0 else "inf (best known is 0)")
        print(f"best known for {key}: {value}{' (optimal)' if proven else ''}; ratio cost / best known: {shown}")
    print(f"wrote {out}")
    return EXIT_OK if ev.violations == 0 else EXIT_BROKEN


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
