"""ITC-2007 Track 3 benchmark: every competition instance at the given time limits.

    .venv/bin/python benchmarks/itc2007.py [--time-limits 60 300] [--workers 2] [--seed 0]
                                           [--instances comp01 comp07 ...] [--solutions DIR]

For each instance and time limit: solve, score the solution with the independent evaluator
(`benchmarks.itc2007_adapter.evaluate`), and compare with the best known value. Results go to
`benchmarks/results/itc2007.csv` and `benchmarks/results/itc2007.md` (rewritten after every
run, so an interrupted benchmark keeps what it has). Instances are read from
`benchmarks/itc2007_adapter/instances/` (a byte-for-byte copy of the shared benchmark folder).
"""

from __future__ import annotations

import argparse
import csv
import math
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.itc2007_adapter.evaluate import BEST_KNOWN, evaluate, ratio  # noqa: E402
from benchmarks.itc2007_adapter.instance import format_solution, load_instance  # noqa: E402
from benchmarks.itc2007_adapter.model import SolveParams, solve  # noqa: E402

_CANDIDATES = [ROOT / "benchmarks" / "itc2007_adapter" / "instances", ROOT.parent / "shared" / "bench" / "itc2007"]
RESULTS = ROOT / "benchmarks" / "results"
FIELDS = ["instance", "time_limit", "cost", "hard_violations", "best_known", "optimal_known", "ratio",
          "first_feasible_s", "seconds", "model_cost", "constructive_cost", "room_capacity",
          "min_working_days", "curriculum_compactness", "room_stability", "workers", "seed"]


def bench_dir() -> Path:
    for p in _CANDIDATES:
        if (p / "comp01.ctt").exists():
            return p
    raise SystemExit("the ITC-2007 instances are missing: looked in " + ", ".join(map(str, _CANDIDATES)))


def run_one(path: Path, time_limit: float, workers: int, seed: int, solutions: Path | None) -> dict:
    inst = load_instance(path)
    result = solve(inst, SolveParams(time_limit=time_limit, workers=workers, seed=seed))
    if solutions:
        solutions.mkdir(parents=True, exist_ok=True)
        (solutions / f"{path.stem}-{time_limit:g}s.sol").write_text(format_solution(result.lectures))
    ev = evaluate(inst, result.lectures)
    best, proven = BEST_KNOWN[path.stem]
    r = ratio(ev.cost, best)
    return {
        "instance": path.stem, "time_limit": time_limit, "cost": ev.cost, "hard_violations": ev.violations,
        "best_known": best, "optimal_known": proven, "ratio": round(r, 3) if r is not None else "",
        "first_feasible_s": round(result.first_feasible_seconds, 2) if result.first_feasible_seconds is not None else "",
        "seconds": round(result.seconds, 1), "model_cost": result.cost, "constructive_cost": result.constructive_cost,
        "room_capacity": ev.room_capacity, "min_working_days": ev.min_working_days,
        "curriculum_compactness": ev.curriculum_compactness, "room_stability": ev.room_stability,
        "workers": workers, "seed": seed,
    }


def write_results(rows: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "itc2007.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    lines = ["# ITC-2007 Track 3 (curriculum-based course timetabling): modulplan CP-SAT",
             "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}; "
             f"{rows[0]['workers'] if rows else '-'} workers, seed {rows[0]['seed'] if rows else '-'}. "
             "Cost and hard violations are from the independent evaluator (official ITC-2007 definitions); "
             "best known: Udine site as of Oct 2014 (Bettinelli et al. 2015), * = proven optimal. "
             "comp15 is the same instance as comp03. Ratio = cost / best known (comp11: best known 0).",
             "",
             "| instance | time limit (s) | cost | hard violations | best known | ratio | first feasible (s) "
             "| capacity | min days | compactness | stability |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        star = "*" if r["optimal_known"] else ""
        shown = f"{r['ratio']:.2f}" if r["ratio"] != "" else ("1.00" if r["cost"] == 0 else "–")
        lines.append(f"| {r['instance']} | {r['time_limit']:g} | {r['cost']} | {r['hard_violations']} | "
                     f"{r['best_known']}{star} | {shown} | {r['first_feasible_s']} | {r['room_capacity']} | "
                     f"{r['min_working_days']} | {r['curriculum_compactness']} | {r['room_stability']} |")
    lines.append("")
    for limit in sorted({r["time_limit"] for r in rows}):
        these = [r for r in rows if r["time_limit"] == limit]
        valid = sum(1 for r in these if r["hard_violations"] == 0)
        ratios = [r["ratio"] for r in these if r["ratio"] != "" and r["instance"] != "comp15" and r["ratio"] > 0]
        geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios)) if ratios else float("nan")
        lines.append(f"- {limit:g} s: {valid}/{len(these)} instances without hard violations; geometric mean "
                     f"ratio to best known {geo:.2f} over {len(ratios)} instances (comp11 and the duplicate "
                     "comp15 left out).")
    (out / "itc2007.md").write_text("\n".join(lines) + "\n")


def _earlier_rows(path: Path, limits: set[float]) -> list[dict]:
    """Rows of an earlier run for time limits this run does not repeat (typed like fresh rows)."""
    if not path.exists():
        return []
    ints = {"cost", "hard_violations", "best_known", "model_cost", "constructive_cost", "room_capacity",
            "min_working_days", "curriculum_compactness", "room_stability", "workers", "seed"}
    kept = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            row = {k: (int(v) if k in ints and v != "" else v) for k, v in r.items()}
            row["time_limit"] = float(r["time_limit"])
            row["optimal_known"] = r["optimal_known"] == "True"
            row["ratio"] = float(r["ratio"]) if r["ratio"] != "" else ""
            if row["time_limit"] not in limits:
                kept.append(row)
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limits", type=float, nargs="+", default=[60.0, 300.0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--instances", nargs="+", default=[f"comp{k:02d}" for k in range(1, 22)])
    ap.add_argument("--out", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    ap.add_argument("--solutions", type=Path, help="also write the .sol files here")
    ap.add_argument("--merge", action="store_true",
                    help="keep the rows of other time limits already in the results folder's itc2007.csv")
    args = ap.parse_args(argv)
    src = bench_dir()
    rows: list[dict] = _earlier_rows(args.out / "itc2007.csv", set(args.time_limits)) if args.merge else []
    for limit in args.time_limits:
        for name in args.instances:
            t0 = time.monotonic()
            row = run_one(src / f"{name}.ctt", limit, args.workers, args.seed, args.solutions)
            rows.append(row)
            write_results(rows, args.out)
            print(f"{name} {limit:g}s: cost {row['cost']} (model {row['model_cost']}), hard {row['hard_violations']}, "
                  f"best known {row['best_known']}, ratio {row['ratio']}, first feasible {row['first_feasible_s']} s, "
                  f"{time.monotonic() - t0:.1f} s", flush=True)
    bad = [r for r in rows if r["hard_violations"] or r["cost"] != r["model_cost"]]
    for r in bad:
        print(f"PROBLEM {r['instance']} {r['time_limit']:g}s: hard {r['hard_violations']}, "
              f"evaluator {r['cost']} vs model {r['model_cost']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
