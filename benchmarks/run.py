#!/usr/bin/env python3
"""Benchmarks: modulplan against the first-fit schedule that comes with each programme.

    python benchmarks/run.py                              # public + planted S M L, 60 s, 2 workers
    python benchmarks/run.py --time-limit 10 60 120 300   # four solves per programme
    python benchmarks/run.py --programmes public          # only ../shared/bench/programmes/*/
    python benchmarks/run.py --programmes planted --sizes S M --families mixed care --seeds 1 2
    python benchmarks/run.py --programmes tiled --sizes L XL --time-limit 60 300   # the public makes at L and XL
    python benchmarks/run.py --scenario S.json --reference first-fit.json --time-limit 10
    python benchmarks/run.py --programmes generated --sizes S M   # the generate.py figures (bench.csv)

Each programme comes with a reference schedule made by simple code (`first-fit.json`,
`planted.json`, or the witness of `benchmarks/planted.py`) that proves it feasible; its
objective is the figure to beat. For every programme and time limit, `modulplan solve` runs
in a child process of its own (its peak memory, ru_maxrss from os.wait4, belongs to that solve
alone), and the independent validator (scheduler/validate/) checks the schedule it wrote.
A table row is printed as each solve ends, the whole table at the end; `engine.md` and
`engine.csv` in --out-dir (default benchmarks/results) hold the same with the machine. The
exit status is 1 when a solve failed or the validator rejected a solved schedule.

`--programmes generated` is the older runner on generated programmes (generate.py): a baseline
child (prepare, first-fit, constructive, lower bounds) and a solve child per time limit,
`bench.csv`, `trace-<size>-<limit>.csv`, `objective-<size>.png` (matplotlib) and `report.md`.
What every column means: benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

ORDER = ["S", "M", "L", "XL"]
COLUMNS = [
    "size", "seed", "time_limit", "workers", "persons", "plans", "trainers", "rooms", "cohorts", "sessions",
    "unassigned_participants", "candidates_per_session", "trainers_per_session", "rooms_per_session",
    "generate_s", "prepare_s",
    "firstfit_s", "firstfit_objective", "firstfit_unscheduled", "firstfit_valid", "construct_s",
    "constructive_objective", "constructive_unscheduled", "baseline_peak_mb",
    "simple_lb", "candidate_lb",
    "first_valid_s", "zero_unscheduled_s", "final_objective", "bound", "gap", "final_unscheduled",
    "removed_share", "removed_share_by_search", "removed_share_candidate_lb", "status", "solve_wall_s", "hint_complete", "variables",
    "constraints", "build_s", "solutions", "dropped_by_final_check", "solve_peak_mb", "valid", "violations",
    "validate_s", "mode", "cp_status", "candidate_starts", "load_before", "load_after", "started", "commit",
]


# ------------------------------------------------------------------------------------------
# Lower bounds
# ------------------------------------------------------------------------------------------

def simple_lower_bound(problem) -> float:
    """Every participant-hour at its cheapest admissible rate (backfill if the plan allows
    on-shift training, overtime if it allows off-shift, the cheaper of those allowed), the
    cheapest qualified trainer per session-hour, no travel, no lateness, no trainer changes;
    plus the participants the cohort former could not place (fixed before the optimization)."""
    sc = problem.scenario
    w = sc.weights
    total = len(problem.unassigned) * w["unassigned_participant"]
    per_hour: dict[str, float] = {}  # cohort -> participant cost per session hour
    for s in problem.sessions:
        c = s.cohort
        if c.id not in per_hour:
            cost = 0.0
            # (team, allow_on_shift, allow_off_shift, members): a member in several plans of the
            # track gets what all of them allow
            for _team, on, off, n in problem.member_groups(c):
                rates = ([w["backfill_per_hour"]] if on else []) + ([w["overtime_per_hour"]] if off else [])
                cost += n * (min(rates) if rates else 0.0)
            per_hour[c.id] = cost
        hours = s.duration / 60
        total += per_hour[c.id] * hours
        qual = sc.modules[s.module_id].qualification
        costs = [t.cost_per_hour for t in sc.trainers.values() if qual in t.qualifications]
        total += (min(costs) if costs else 0.0) * hours
    return total


def candidate_lower_bound(problem) -> float:
    """A tighter bound from the candidates: per session the cheapest of its candidate starts
    (exact backfill/overtime/lateness of that start) or, when it has none, the unscheduled
    penalty; plus the cheapest trainer able to teach it at any start."""
    sc = problem.scenario
    w = sc.weights
    total = len(problem.unassigned) * w["unassigned_participant"]
    for s, o in zip(problem.sessions, problem.options):
        if not o.candidates:
            total += w["unscheduled_session"]
            continue
        trainer = min(sc.trainers[t].cost_per_hour for t in o.trainers) * s.duration / 60
        total += min(min(c.cost for c in o.candidates) + trainer, w["unscheduled_session"])
    return total


# ------------------------------------------------------------------------------------------
# Children
# ------------------------------------------------------------------------------------------

def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _say(msg: str) -> None:
    print(msg, flush=True)


def child_baseline(size: str, seed: int, regional: bool, validate_it: bool) -> dict:
    from generate import generate

    from scheduler.domain import build_scenario
    from scheduler.prepare.problem import PlanningProblem
    from scheduler.search.construct import construct
    from scheduler.solve.result import build_schedule, exact_costs
    from scheduler.validate import validate

    out: dict = {}
    t = time.monotonic()
    data = generate(size, seed, regional_rooms=regional)
    out["generate_s"] = time.monotonic() - t
    x = data.get("x-benchmark", {})
    out.update(persons=x.get("persons"), plans=len(data["action_plans"]), trainers=len(data["trainers"]),
               rooms=len(data["rooms"]))
    t = time.monotonic()
    problem = PlanningProblem(build_scenario(data))
    out["prepare_s"] = time.monotonic() - t
    out["prepare_peak_mb"] = _rss_mb()
    n = len(problem.sessions)
    cands = sum(len(o.candidates) for o in problem.options)
    out.update(cohorts=len(problem.cohorts), sessions=n, unassigned_participants=len(problem.unassigned),
               candidates_per_session=cands / max(1, n),
               trainers_per_session=sum(len(o.trainers) for o in problem.options) / max(1, n),
               rooms_per_session=sum(len(o.rooms) for o in problem.options) / max(1, n),
               sessions_without_candidates=sum(1 for o in problem.options if not o.candidates))
    _say(f"  [{size}] prepared in {out['prepare_s']:.1f} s: {n} sessions, {len(problem.cohorts)} cohorts, "
         f"{out['candidates_per_session']:.0f} candidates/session, peak {out['prepare_peak_mb']:.0f} MB")
    t = time.monotonic()
    ff = construct(problem, "first-fit")
    ff_costs = exact_costs(problem, ff)
    out["firstfit_s"] = time.monotonic() - t
    out.update(firstfit_objective=ff_costs["objective"], firstfit_unscheduled=n - len(ff))
    _say(f"  [{size}] first-fit: {len(ff)}/{n} placed, objective {ff_costs['objective']:,.0f} "
         f"in {out['firstfit_s']:.1f} s")
    t = time.monotonic()
    cs = construct(problem)
    cs_costs = exact_costs(problem, cs)
    out["construct_s"] = time.monotonic() - t
    out.update(constructive_objective=cs_costs["objective"], constructive_unscheduled=n - len(cs))
    _say(f"  [{size}] constructive: {len(cs)}/{n} placed, objective {cs_costs['objective']:,.0f} "
         f"in {out['construct_s']:.1f} s")
    t = time.monotonic()
    out["simple_lb"] = simple_lower_bound(problem)
    out["candidate_lb"] = candidate_lower_bound(problem)
    out["lb_s"] = time.monotonic() - t
    _say(f"  [{size}] lower bounds: simple {out['simple_lb']:,.0f}, candidates {out['candidate_lb']:,.0f}")
    if validate_it:
        t = time.monotonic()
        doc = build_schedule(problem, ff, status="feasible", bound=None, solve_seconds=out["firstfit_s"])
        rep = validate(data, doc)
        out["firstfit_valid"] = bool(rep.ok)
        out["firstfit_violations"] = len(rep.violations)
        out["firstfit_validate_s"] = time.monotonic() - t
        _say(f"  [{size}] validator on first-fit: {'ok' if rep.ok else f'{len(rep.violations)} violations'} "
             f"({out['firstfit_validate_s']:.1f} s)")
    out["baseline_self_peak_mb"] = _rss_mb()
    return out


def child_solve(size: str, seed: int, regional: bool, limit: float, workers: int, trace_path: str,
                parts: bool = True) -> dict:
    from generate import generate

    from scheduler.solve import SolveParams, solve_scenario
    from scheduler.validate import validate

    data = generate(size, seed, regional_rooms=regional)
    trace: list[dict] = []
    last_print = [0.0]

    def on_progress(p):
        row = {"elapsed": round(p.elapsed, 3), "phase": p.phase, "objective": p.objective, "bound": p.bound,
               "sessions_placed": p.sessions_placed, "sessions_total": p.sessions_total}
        trace.append(row)
        if p.phase != "optimize" or p.elapsed - last_print[0] >= 5:
            last_print[0] = p.elapsed
            obj = f"{p.objective:,.0f}" if p.objective is not None else "-"
            bnd = f"{p.bound:,.0f}" if p.bound is not None else "-"
            _say(f"  [{size} {limit:g}s] {p.elapsed:7.1f} s  {p.phase:<9} objective {obj:>14}  bound {bnd:>14}  "
                 f"placed {p.sessions_placed}/{p.sessions_total}")

    t = time.monotonic()
    res = solve_scenario(data, SolveParams(time_limit=limit, workers=workers, random_seed=0, split_parts=parts),
                         on_progress=on_progress)
    wall = time.monotonic() - t
    with open(trace_path, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=["elapsed", "phase", "objective", "bound", "sessions_placed",
                                           "sessions_total"])
        wr.writeheader()
        wr.writerows(trace)
    total = trace[-1]["sessions_total"] if trace else 0
    first_valid = next((r["elapsed"] for r in trace if r["phase"] == "construct"), None)
    zero = next((r["elapsed"] for r in trace if r["phase"] in ("construct", "optimize", "done")
                 and r["sessions_placed"] == r["sessions_total"]), None)
    t = time.monotonic()
    rep = validate(data, res.schedule)
    vt = time.monotonic() - t
    kp = res.schedule["kpis"]
    out = {
        "first_valid_s": first_valid, "zero_unscheduled_s": zero, "final_objective": res.objective,
        "bound": res.bound, "status": res.status.value, "solve_wall_s": wall,
        "final_unscheduled": kp["sessions_total"] - kp["sessions_scheduled"],
        "constructive_objective_solver": res.constructive_objective,
        "hint_complete": res.stats.get("hint_complete"), "variables": res.stats.get("variables"),
        "constraints": res.stats.get("constraints"), "build_s": res.stats.get("build_seconds"),
        "solutions": res.stats.get("solutions"), "dropped_by_final_check": res.stats.get("dropped_by_final_check"),
        "solver_prepare_s": res.stats.get("prepare_seconds"), "solver_construct_s": res.stats.get("construct_seconds"),
        "cp_status": res.stats.get("cp_status"), "mode": res.stats.get("mode"),
        "candidate_starts": res.stats.get("candidate_starts"), "stats": res.stats, "valid": bool(rep.ok), "violations": len(rep.violations),
        "violation_samples": [str(getattr(v, "message", v)) for v in rep.violations[:5]],
        "validate_s": vt, "sessions_total": total, "self_peak_mb": _rss_mb(),
    }
    _say(f"  [{size} {limit:g}s] done: objective {res.objective:,.0f}, bound "
         f"{'-' if res.bound is None else f'{res.bound:,.0f}'}, {out['final_unscheduled']} unscheduled, "
         f"validator {'ok' if rep.ok else f'{len(rep.violations)} violations'} ({vt:.1f} s)")
    return out


def child_main(argv) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["baseline", "solve", "firstfit"])
    ap.add_argument("size", help="the size; with firstfit: the scenario file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-regional-rooms", action="store_true")
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--trace")
    ap.add_argument("--result", required=True)
    ap.add_argument("--profile")
    ap.add_argument("--no-parts", action="store_true")
    a = ap.parse_args(argv)
    regional = not a.no_regional_rooms

    def work():
        if a.mode == "firstfit":
            return child_firstfit(a.size)
        if a.mode == "baseline":
            return child_baseline(a.size, a.seed, regional, not a.no_validate)
        return child_solve(a.size, a.seed, regional, a.limit, a.workers, a.trace, parts=not a.no_parts)

    if a.profile:
        import cProfile
        import io
        import pstats
        prof = cProfile.Profile()
        out = prof.runcall(work)
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf).sort_stats("cumulative")
        st.print_stats(45)
        buf.write("\n\n==== by own time ====\n")
        st.sort_stats("tottime").print_stats(30)
        Path(a.profile).write_text(buf.getvalue())
    else:
        out = work()
    Path(a.result).write_text(json.dumps(out, default=str))
    return 0


def run_child(args: list[str]) -> tuple[dict | None, float, float, int]:
    """Run this script as a child; returns (its result, its peak RSS in MB from os.wait4, wall s, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as tmp:
        result_path = tmp.name
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args, "--result", result_path]
    t = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=str(ROOT))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    try:
        result = json.loads(Path(result_path).read_text()) if proc.returncode == 0 else None
    except (OSError, ValueError):
        result = None
    finally:
        Path(result_path).unlink(missing_ok=True)
    return result, peak, wall, proc.returncode


# ------------------------------------------------------------------------------------------
# Machine, CSV, plots, report
# ------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import ortools
    commit = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip() or "?"
        dirty = subprocess.run(["git", "status", "--porcelain", "scheduler"], cwd=ROOT, capture_output=True,
                               text=True, timeout=10).stdout.split("\n")
        changed = [line[3:] for line in dirty if line.strip()]
        if changed:
            commit += f" with uncommitted changes in {', '.join(changed)}"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "ortools": ortools.__version__, "kernel": platform.release(), "commit": commit}


def _fmt(v, digits=0):
    if v is None or v == "":
        return "–"
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            return v
    if digits == 0:
        return f"{v:,.0f}".replace(",", " ")
    return f"{v:,.{digits}f}".replace(",", " ")


def read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict]) -> None:
    rows.sort(key=lambda r: (ORDER.index(r["size"]) if r["size"] in ORDER else 9, int(r["seed"]),
                             float(r["time_limit"] or 0)))
    with path.open("w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        wr.writeheader()
        wr.writerows(rows)


def plot(out_dir: Path, rows: list[dict]) -> list[str]:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        _say("matplotlib is not installed (pip install matplotlib, or the 'bench' extra): no plots")
        return []
    made = []
    by_size: dict[str, list[dict]] = {}
    for r in rows:
        if r.get("time_limit") not in ("", None):
            by_size.setdefault(r["size"], []).append(r)
    for size, rs in by_size.items():
        fig, ax = plt.subplots(figsize=(8, 4.8))
        lo, hi = math.inf, -math.inf
        for r in sorted(rs, key=lambda r: float(r["time_limit"])):
            limit = float(r["time_limit"])
            tr = out_dir / f"trace-{size}-{limit:g}.csv"
            if not tr.exists():
                continue
            pts = read_rows(tr)
            ax.axvline(limit, color="red", linewidth=0.8, alpha=0.5, label=f"time limit {limit:g} s")
            ob = [(float(p["elapsed"]), float(p["objective"])) for p in pts if p["objective"] not in ("", "None")]
            bd = [(float(p["elapsed"]), float(p["bound"])) for p in pts if p["bound"] not in ("", "None")]
            if ob:
                xs, ys = zip(*ob)
                ax.step(xs, ys, where="post", marker=".", label=f"objective ({limit:g} s)")
                lo, hi = min(lo, min(ys)), max(hi, max(ys))
            if bd:
                xs, ys = zip(*bd)
                ax.step(xs, ys, where="post", linestyle="--", marker=".", label=f"proven bound ({limit:g} s)")
                lo, hi = min(lo, min(ys)), max(hi, max(ys))
        r0 = rs[0]
        for key, label, style in (("firstfit_objective", "first-fit", ":"), ("simple_lb", "simple lower bound", "-."),
                                  ("candidate_lb", "candidate lower bound", (0, (1, 3)))):
            if r0.get(key) not in ("", None):
                v = float(r0[key])
                ax.axhline(v, color="grey", linestyle=style, linewidth=1, label=f"{label} {_fmt(v)}")
                lo, hi = min(lo, v), max(hi, v)
        if lo < hi:
            pad = (hi - lo) * 0.05
            ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlabel("seconds since the solve started (prepare included)")
        ax.set_ylabel("objective (exact) / bound")
        ax.set_title(f"{size}: {_fmt(r0.get('persons'))} persons, {_fmt(r0.get('sessions'))} sessions, "
                     f"{r0.get('workers')} workers")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        name = f"objective-{size}.png"
        fig.savefig(out_dir / name, dpi=110)
        plt.close(fig)
        made.append(name)
    return made


def report(out_dir: Path, rows: list[dict], info: dict, plots: list[str], xl_note: str | None) -> None:
    """report.md from the rows; `notes.md` in the same directory (hand-written observations) is
    included when present."""
    lines = ["# modulplan benchmarks", "",
             f"Generated by `benchmarks/run.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
             "What each figure means: [../README.md](../README.md).", "",
             "## Machine", "",
             f"* {info['nproc']} cores (`nproc`), CPU: {info['cpu']}, memory {info['memory']}, "
             f"Linux {info['kernel']}, Python {info['python']}, OR-Tools {info['ortools']}.",
             f"* Code: commit {info['commit']}" + (
                 "" if len({r.get("commit") for r in rows}) <= 1 else
                 f" (rows were taken on commits {', '.join(sorted({r.get('commit') or '?' for r in rows}))}: "
                 "the scheduler changed between them; each row of `bench.csv` names its commit)") + ".",
             "* **Other load was present**: other engineers ran tests and solves on the same 2 cores while "
             "these figures were taken (the 1-minute load average before and after each solve is in "
             "`bench.csv`, columns `load_before`/`load_after`). Times are therefore noisy, and a solve with "
             "2 workers may have had less than 2 cores.", "",
             "## Results", "",
             "| size | limit s | wall s | persons | sessions | cand./session | prepare s | first valid s "
             "| zero unsched. s | first-fit | constructive | final | bound | gap | simple LB | removed "
             "| by search | unsched. | peak MB | valid |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        gap = f"{float(r['gap']) * 100:.1f} %" if r.get("gap") not in ("", None) else "–"
        rem = f"{float(r['removed_share']) * 100:.1f} %" if r.get("removed_share") not in ("", None) else "–"
        srch = f"{float(r['removed_share_by_search']) * 100:.1f} %" \
            if r.get("removed_share_by_search") not in ("", None) else "–"
        valid = {"True": "yes", "False": f"NO ({r.get('violations')})"}.get(r.get("valid"), "–")
        ff = _fmt(r.get("firstfit_objective"))
        if r.get("firstfit_unscheduled") not in ("", None, "0"):
            ff += f" ({r['firstfit_unscheduled']} unsched.)"
        lines.append(
            f"| {r['size']} | {_fmt(r.get('time_limit'))} | {_fmt(r.get('solve_wall_s'), 1)} | {_fmt(r.get('persons'))} "
            f"| {_fmt(r.get('sessions'))} "
            f"| {_fmt(r.get('candidates_per_session'))} | {_fmt(r.get('prepare_s'), 1)} "
            f"| {_fmt(r.get('first_valid_s'), 1)} | {_fmt(r.get('zero_unscheduled_s'), 1)} | {ff} "
            f"| {_fmt(r.get('constructive_objective'))} | {_fmt(r.get('final_objective'))} | {_fmt(r.get('bound'))} "
            f"| {gap} | {_fmt(r.get('simple_lb'))} | {rem} | {srch} | {_fmt(r.get('final_unscheduled'))} "
            f"| {_fmt(r.get('solve_peak_mb') or r.get('baseline_peak_mb'))} | {valid} |")
    lines += ["", "* *first valid*: seconds from the start of the solve (prepare included) to the constructive "
              "schedule; *zero unsched.*: to the first schedule with every session placed (– if never).",
              "* *removed*: the share of the distance between the first-fit objective and the simple lower "
              "bound that the optimizer removed: (first-fit − final) / (first-fit − simple LB); *by search*: the "
              "part of it after the constructive schedule, (constructive − final) / (first-fit − simple LB).",
              "* *wall s*: the solve's wall time (`solve_scenario`, prepare included), to compare with the limit.",
              "* *peak MB*: the solve child's peak resident memory (the baseline child's when there was no "
              "solve).", ""]
    detail = ["## Timings of the phases", "",
              "| size | limit s | generate s | prepare s | first-fit s | constructive s | mode | model build s "
              "| variables | constraints | hint complete | solutions | CP-SAT status | baseline peak MB "
              "| solve peak MB | validate s |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        detail.append(
            f"| {r['size']} | {_fmt(r.get('time_limit'))} | {_fmt(r.get('generate_s'), 1)} | {_fmt(r.get('prepare_s'), 1)} "
            f"| {_fmt(r.get('firstfit_s'), 1)} | {_fmt(r.get('construct_s'), 1)} | {r.get('mode') or '–'} "
            f"| {_fmt(r.get('build_s'), 1)} "
            f"| {_fmt(r.get('variables'))} | {_fmt(r.get('constraints'))} | {r.get('hint_complete') or '–'} "
            f"| {_fmt(r.get('solutions'))} | {r.get('cp_status') or '–'} | {_fmt(r.get('baseline_peak_mb'))} "
            f"| {_fmt(r.get('solve_peak_mb'))} | {_fmt(r.get('validate_s'), 1)} |")
    lines += detail + [""]
    if plots:
        lines += ["## Objective and bound over time", ""]
        lines += [f"![{p}]({p})" for p in plots] + [""]
    xl = [r for r in rows if r["size"] == "XL"]
    if xl_note is None and xl and xl[0].get("prepare_s"):
        r = xl[0]
        xl_note = (f"Generate {_fmt(r['generate_s'], 1)} s, prepare (PlanningProblem) {_fmt(r['prepare_s'], 1)} s, "
                   f"first-fit {_fmt(r['firstfit_s'], 1)} s ({r['firstfit_unscheduled']} unscheduled), constructive "
                   f"{_fmt(r['construct_s'], 1)} s ({r['constructive_unscheduled']} unscheduled), peak memory "
                   f"{_fmt(r['baseline_peak_mb'])} MB (prepare and both constructions); {_fmt(r['sessions'])} "
                   f"sessions, {_fmt(r['cohorts'])} cohorts, {_fmt(r['candidates_per_session'])} candidate starts "
                   f"per session ({_fmt(float(r['candidates_per_session']) * float(r['sessions']))} in all), "
                   f"{_fmt(r.get('trainers_per_session'), 1)} trainers and {_fmt(r.get('rooms_per_session'), 1)} "
                   f"rooms per session. Simple lower bound {_fmt(r['simple_lb'])}, candidate bound "
                   f"{_fmt(r['candidate_lb'])}, first-fit objective {_fmt(r['firstfit_objective'])}, constructive "
                   f"{_fmt(r['constructive_objective'])}.")
    if xl_note:
        lines += ["## XL", "", xl_note, ""]
    notes = out_dir / "notes.md"
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    (out_dir / "report.md").write_text("\n".join(lines))


# ------------------------------------------------------------------------------------------
# The engine against first-fit (the default): programmes that come with a reference schedule
# ------------------------------------------------------------------------------------------

PUBLIC_DIR = ROOT.parent / "shared" / "bench" / "programmes"  # /work/shared beside the project
FAMILIES = ["mixed", "network", "care", "industry"]
TEAM_FIELDS = {"id", "pattern", "offset_days", "headcount", "min_staffing"}
ENGINE_COLUMNS = [
    "programme", "source", "participants", "sessions", "reference", "firstfit_objective", "firstfit_valid",
    "engine_firstfit_objective", "engine_firstfit_unscheduled", "engine_firstfit_sessions", "engine_firstfit_s",
    "engine_firstfit_valid", "engine_firstfit_peak_mb",
    "time_limit", "workers", "objective", "bound", "unscheduled", "sessions_total", "ratio", "gap", "status",
    "peak_mb", "wall_s", "solve_seconds", "valid", "violations", "violation_rules",
    "load_before", "load_after", "started", "commit",
]


@dataclass
class Programme:
    name: str
    source: str  # public | planted | tiled | file
    scenario: Path  # the file the solver reads
    reference: Path | None  # the schedule that comes with it (first-fit.json, planted.json, witness)
    reference_label: str  # first-fit | planted | witness | reference
    notes: list[str] = field(default_factory=list)
    make: Callable[[], None] | None = None  # writes `scenario` and `reference` first (planted)


def child_firstfit(scenario_path: str) -> dict:
    """modulplan's own first-fit (`construct(problem, "first-fit")`) on a scenario file: the
    objective, sessions left out, and the validator's verdict on it."""
    from scheduler.domain import build_scenario
    from scheduler.format import load_json_file, load_scenario
    from scheduler.prepare.problem import PlanningProblem
    from scheduler.search.construct import construct
    from scheduler.solve.result import build_schedule, exact_costs
    from scheduler.validate import validate

    data = load_scenario(load_json_file(scenario_path))
    t = time.monotonic()
    problem = PlanningProblem(build_scenario(data))
    ff = construct(problem, "first-fit")
    costs = exact_costs(problem, ff)
    took = time.monotonic() - t
    n = len(problem.sessions)
    doc = build_schedule(problem, ff, status="feasible", bound=None, solve_seconds=took)
    rep = validate(data, doc)
    return {"engine_firstfit_objective": costs["objective"], "engine_firstfit_unscheduled": n - len(ff),
            "engine_firstfit_sessions": n, "engine_firstfit_s": took, "engine_firstfit_valid": bool(rep.ok)}


def _strip_unknown_team_fields(raw: dict) -> tuple[dict, set[str]]:
    """A copy of `raw` without team fields the format does not list (not `x-` extensions)."""
    data = json.loads(json.dumps(raw))
    removed: set[str] = set()
    for wp in data.get("workplaces") or []:
        for team in (wp.get("teams") or []) if isinstance(wp, dict) else []:
            if isinstance(team, dict):
                for k in [k for k in team if k not in TEAM_FIELDS and not str(k).startswith(("x-", "x_"))]:
                    removed.add(k)
                    del team[k]
    return data, removed


def load_programme_scenario(prog: Programme, work: Path) -> dict:
    """The normalized scenario. Should the loader refuse it only for unknown team fields, they
    are stripped and the solver is given the stripped copy (noted in `prog.notes`)."""
    import scheduler.format as schemas
    from scheduler.format import ScenarioInvalid, load_json_file, load_scenario

    raw = load_json_file(prog.scenario)
    try:
        if hasattr(schemas, "load_scenario_with_warnings"):
            data, warnings = schemas.load_scenario_with_warnings(raw)
            if warnings:
                prog.notes.append(f"the loader ignored {len(warnings)} field(s) the format does not list, e.g. "
                                  f"{warnings[0].path}")
            return data
        return load_scenario(raw)
    except ScenarioInvalid:
        stripped, removed = _strip_unknown_team_fields(raw)
        if not removed:
            raise
        data = load_scenario(stripped)  # anything else wrong: raise
        path = work / f"{prog.name}-stripped.json"
        path.write_text(json.dumps(stripped, ensure_ascii=False))
        prog.scenario = path
        prog.notes.append(f"the loader refused team fields {', '.join(sorted(removed))}: stripped")
        return data


def count_participants(data: dict) -> int:
    """Distinct persons over all action plans (counted participants expanded as the spec says)."""
    ids: set[str] = set()
    for plan in data.get("action_plans", []):
        for p in plan.get("participants", []):
            if p.get("id") is not None:
                ids.add(p["id"])
            else:
                ids.update(f"{plan['id']}-{p['team']}-{i}" for i in range(1, int(p.get("count", 0)) + 1))
    return len(ids)


def check_schedule(data: dict, schedule: dict) -> tuple[bool, int, str, dict, list[str]]:
    """The independent validator (scheduler/validate/): (ok, violations, rules broken, its
    KPIs, the first three violations as sentences)."""
    from scheduler.format import ScenarioInvalid, load_schedule
    from scheduler.validate import validate

    try:
        schedule = load_schedule(schedule)
    except ScenarioInvalid as exc:
        return False, len(exc.errors), "format", {}, [f"{e.path}: {e.message}" for e in exc.errors[:3]]
    rep = validate(data, schedule)
    rules = sorted({v.rule_name for v in rep.violations})
    return (bool(rep.ok), len(rep.violations), " ".join(rules), rep.kpis,
            [f"[{v.rule_name}] {v.message}" for v in rep.violations[:3]])


def public_programmes(folder: Path) -> list[Programme]:
    out = []
    for d in sorted(p for p in folder.glob("*/") if (p / "scenario.json").exists()):
        ref = next((d / f for f in ("first-fit.json", "planted.json", "witness.json") if (d / f).exists()), None)
        out.append(Programme(d.name, "public", d / "scenario.json", ref, ref.stem if ref else "–"))
    return out


def _write_programme(prog: Programme, scenario: dict, reference: dict, how: str, started: float) -> None:
    """A programme built for the run written where its solves read it, and said so."""
    prog.scenario.write_text(json.dumps(scenario, ensure_ascii=False))
    prog.reference.write_text(json.dumps(reference, ensure_ascii=False))
    _say(f"  [{prog.name}] {how} in {time.monotonic() - started:.1f} s")


def planted_programmes(sizes: list[str], families: list[str], seeds: list[int], work: Path) -> list[Programme]:
    """Our planted-feasible families (benchmarks/planted.py). Each is generated just before it
    is solved (`Programme.make`) and written to `work` as files, so that the solve children
    read it like any other programme."""
    try:
        from planted import planted
    except ImportError as exc:
        _say(f"benchmarks/planted.py cannot be imported ({exc}): no planted programmes")
        return []

    def maker(prog: Programme, size: str, seed: int, family: str):
        def make() -> None:
            t = time.monotonic()
            scenario, witness = planted(size, seed, family)
            _write_programme(prog, scenario, witness, f"generated by planted({size!r}, {seed}, {family!r})", t)
        return make

    out = []
    for size in sizes:
        for family in families:
            for seed in seeds:
                name = f"planted-{family}-{size}-seed{seed}"
                prog = Programme(name, "planted", work / f"{name}.json", work / f"{name}.witness.json", "witness")
                prog.make = maker(prog, size, seed, family)
                out.append(prog)
    return out


# Larger programmes of the public makes (`permute.py --tile`): per size, (public programme, copies).
TILES = {"L": [("M-network-seed7", 3), ("M-seed3", 4)], "XL": [("L-seed3", 8), ("M-network-seed7", 20)]}


def tiled_programmes(public: Path, sizes: list[str], work: Path) -> list[Programme]:
    """The public programmes tiled to other sizes (`TILES`, `permute.tiled`): an L of the
    network make and of the first-fit make from their M, XL of both. Each is built just before
    it is solved, its reference the copies' references joined (checked by the validator like
    every reference, `run_engine`)."""
    try:
        from permute import REFERENCES, tiled
    except ImportError as exc:
        _say(f"benchmarks/permute.py cannot be imported ({exc}): no tiled programmes")
        return []

    def maker(prog: Programme, folder: Path, ref_file: Path, copies: int):
        def make() -> None:
            t = time.monotonic()
            scenario, reference = tiled(json.loads((folder / "scenario.json").read_text()),
                                        json.loads(ref_file.read_text()), copies)
            _write_programme(prog, scenario, reference, f"{copies} copies of {folder.name}", t)
        return make

    out = []
    for size in sizes:
        for name, copies in TILES.get(size, []):
            folder = public / name
            ref_file = next((folder / f for f in REFERENCES if (folder / f).exists()), None)
            if not (folder / "scenario.json").exists() or ref_file is None:
                _say(f"{folder} has no scenario.json with a reference: no tiled {size} from it")
                continue
            label = f"{name}-x{copies}"
            prog = Programme(label, "tiled", work / f"{label}.json", work / f"{label}.{ref_file.stem}.json", ref_file.stem)
            prog.make = maker(prog, folder, ref_file, copies)
            out.append(prog)
    return out


def solve_child(prog: Programme, limit: float, workers: int, out_path: Path,
                progress_every: float) -> tuple[int, float, float, list[str]]:
    """`modulplan solve` in a child process (the command as users run it: its time limit
    covers loading too). Echoes its progress lines (every `progress_every` s and at each
    phase change). Returns (exit code, peak RSS MB of the child from os.wait4, wall s, the
    last lines it printed)."""
    cmd = [sys.executable, "-m", "scheduler.cli", "solve", str(prog.scenario), "--out", str(out_path),
           "--time-limit", f"{limit:g}", "--workers", str(workers), "--seed", "0"]
    t = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            bufsize=1)
    # a child that hangs far beyond its limit is killed (by its own pid), so the run goes on
    killer = threading.Timer(2 * limit + 600, proc.kill)
    killer.daemon = True
    killer.start()
    tail: list[str] = []
    last, phase = -1e9, None
    tag = f"  [{prog.name} {limit:g}s]"
    for line in proc.stdout:
        line = line.rstrip("\r\n")
        tail = (tail + [line])[-25:]
        m = re.match(r"\[\s*([\d.]+)s\]\s+(\w+)", line.strip())
        if m:
            now = time.monotonic()
            if m.group(2) != phase or now - last >= progress_every:
                _say(f"{tag} {line.strip()}")
                last, phase = now, m.group(2)
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024, time.monotonic() - t, tail


# the printed table: (header, row key or function)
def _num(v, digits=0) -> str:
    return _fmt(v, digits)


def _pct(v) -> str:
    return "–" if v in (None, "") else f"{float(v) * 100:.1f} %"


def _ratio(v) -> str:
    return "–" if v in (None, "") else f"{float(v):.3f}"


def _verdict(r: dict) -> str:
    if r.get("valid") in (True, "True"):
        return "ok"
    if r.get("valid") in (False, "False"):
        return f"REJECTED ({r.get('violations')}: {r.get('violation_rules')})"
    return r.get("status") or "–"


def _ref_cell(r: dict) -> str:
    s = _num(r.get("firstfit_objective"))
    if r.get("firstfit_valid") in (False, "False"):
        s += " (rejected)"
    return s


def _engine_ff_cell(r: dict) -> str:
    if r.get("engine_firstfit_objective") in (None, ""):
        return "–"
    s = _num(r["engine_firstfit_objective"])
    if str(r.get("engine_firstfit_unscheduled")) not in ("0", "", "None"):
        s += f" ({r['engine_firstfit_unscheduled']} unsch.)"
    return s


def _unsched_cell(r: dict) -> str:
    if r.get("unscheduled") in (None, ""):
        return "–"
    return f"{r['unscheduled']} of {r['sessions_total']}"


TABLE = [
    ("programme", lambda r: r["programme"]),
    ("participants", lambda r: _num(r.get("participants"))),
    ("sessions", lambda r: _num(r.get("sessions"))),
    ("first-fit", _ref_cell),
    ("engine first-fit", _engine_ff_cell),
    ("limit s", lambda r: _num(r.get("time_limit"))),
    ("objective", lambda r: _num(r.get("objective"))),
    ("unscheduled", _unsched_cell),
    ("ratio", lambda r: _ratio(r.get("ratio"))),
    ("gap", lambda r: _pct(r.get("gap"))),
    ("peak MB", lambda r: _num(r.get("peak_mb"))),
    ("wall s", lambda r: _num(r.get("wall_s"), 1)),
    ("validator", _verdict),
]
WIDTHS = [26, 12, 8, 14, 24, 7, 12, 13, 6, 7, 7, 7, 9]


def table_line(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"


def table_lines(rows: list[dict], widths: list[int] | None = None) -> list[str]:
    head = [h for h, _ in TABLE]
    body = [[f(r) for _, f in TABLE] for r in rows]
    if widths is None:
        widths = [max(len(c) for c in col) for col in zip(head, *body)]
    return [table_line(head, widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + \
        [table_line(b, widths) for b in body]


def pivot_lines(rows: list[dict], limits: list[float]) -> list[str]:
    """programme | first-fit | ratio (unscheduled) at each limit: the short form."""
    head = ["programme", "first-fit"] + [f"{lim:g} s" for lim in limits]
    body = []
    for name in dict.fromkeys(r["programme"] for r in rows):
        rs = [r for r in rows if r["programme"] == name]
        cells = [name, _ref_cell(rs[0])]
        for lim in limits:
            r = next((x for x in rs if x.get("time_limit") not in (None, "") and float(x["time_limit"]) == lim), None)
            if r is None or r.get("objective") in (None, ""):
                cells.append("–" if r is None else (r.get("status") or "–"))
                continue
            c = f"{_ratio(r.get('ratio'))} ({r['unscheduled']} unsch.)"
            if r.get("valid") not in (True, "True"):
                c += " REJECTED"
            cells.append(c)
        body.append(cells)
    widths = [max(len(c) for c in col) for col in zip(head, *body)]
    return [table_line(head, widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + \
        [table_line(b, widths) for b in body]


def write_engine_results(out_dir: Path, rows: list[dict], info: dict, load_start: tuple, a, limits) -> None:
    with (out_dir / "engine.csv").open("w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=ENGINE_COLUMNS, extrasaction="ignore")
        wr.writeheader()
        for r in rows:
            wr.writerow({k: ("" if r.get(k) is None else round(r[k], 6) if isinstance(r.get(k), float) else r[k])
                         for k in ENGINE_COLUMNS})
    notes = sorted({f"{r['programme']}: {n}" for r in rows for n in r.get("notes", [])})
    lines = [
        "# modulplan against first-fit", "",
        f"`benchmarks/run.py` ({' '.join(a.argv_shown) or 'defaults'}), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        "one run on one machine. Columns: [../README.md](../README.md#the-engine-against-first-fit-the-default).", "",
        "## Machine", "",
        f"* {info['nproc']} cores (`os.cpu_count()`), CPU: {info['cpu']}, memory {info['memory']}, Linux "
        f"{info['kernel']}, Python {info['python']}, OR-Tools {info['ortools']}.",
        f"* Load average at the start: {load_start[0]:.2f} / {load_start[1]:.2f} / {load_start[2]:.2f} (1 / 5 / 15 "
        "min); each row's 1-minute load before and after its solve is in `engine.csv`.",
        f"* Code: commit {info['commit']}; {a.workers} workers per solve.", "",
        "## Results", "", *table_lines(rows), "",
        "## Ratio to first-fit by time limit", "", *pivot_lines(rows, limits), "",
        "*ratio*: modulplan's objective / the first-fit objective (below 1: cheaper than first-fit); "
        "*unsch.*: sessions modulplan left unscheduled (each costs the `unscheduled_session` weight, "
        "included in the objective).", "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"* {n}" for n in notes], ""]
    (out_dir / "engine.md").write_text("\n".join(lines))


def run_engine(a, progs: list[Programme], out_dir: Path, work: Path, info: dict) -> int:
    limits = a.time_limit
    load_start = os.getloadavg()
    _say(f"load average at start: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}; "
         f"time limits {', '.join(f'{x:g}' for x in limits)} s, {a.workers} workers; {len(progs)} programmes")
    widths = WIDTHS
    rows: list[dict] = []
    failed = 0
    for prog in progs:
        _say(f"== {prog.name} ({prog.source}: {prog.scenario if prog.source != 'planted' else 'planted.py'})")
        try:
            if prog.make is not None:
                prog.make()
            data = load_programme_scenario(prog, work)
        except Exception as exc:  # noqa: BLE001 - report it in the table and go on with the others
            _say(f"  [{prog.name}] cannot be {'made or ' if prog.make else ''}loaded: {type(exc).__name__}: {exc}")
            failed += 1
            rows.append({"programme": prog.name, "source": prog.source, "workers": a.workers, "commit": info["commit"],
                         "status": f"not loaded ({type(exc).__name__})",
                         "notes": [f"cannot be {'made or ' if prog.make else ''}loaded: {type(exc).__name__}: "
                                   f"{str(exc)[:300]}"]})
            continue
        for n in prog.notes:
            _say(f"  [{prog.name}] {n}")
        base = {"programme": prog.name, "source": prog.source, "participants": count_participants(data),
                "reference": prog.reference_label, "notes": prog.notes, "workers": a.workers,
                "commit": info["commit"]}
        if prog.reference is not None:
            ref = json.loads(prog.reference.read_text())
            ok, nviol, rules, kpis, samples = check_schedule(data, ref)
            base.update(sessions=len(ref.get("sessions", [])), firstfit_valid=ok,
                        firstfit_objective=kpis.get("objective", ref.get("objective")))
            _say(f"  [{prog.name}] {prog.reference_label}: objective {_num(base['firstfit_objective'])}, "
                 f"{base['sessions']} sessions, validator {'ok' if ok else f'REJECTED ({nviol}: {rules})'}")
            if not ok:
                prog.notes.append(f"the validator rejects the {prog.reference_label} schedule ({nviol}: {rules}), "
                                  f"e.g. {samples[0]}")
        if not a.no_engine_first_fit:
            res, peak, wall, code = run_child(["firstfit", str(prog.scenario)])
            if res is None:
                _say(f"  [{prog.name}] engine first-fit child failed (exit {code})")
            else:
                base.update(res, engine_firstfit_peak_mb=peak)
                _say(f"  [{prog.name}] engine first-fit: objective {_num(res['engine_firstfit_objective'])}, "
                     f"{res['engine_firstfit_unscheduled']} of {res['engine_firstfit_sessions']} unscheduled, "
                     f"{res['engine_firstfit_s']:.1f} s, validator "
                     f"{'ok' if res['engine_firstfit_valid'] else 'REJECTED'}")
        for limit in limits:
            row = dict(base, time_limit=limit, started=datetime.now(UTC).isoformat(timespec="seconds"),
                       load_before=round(os.getloadavg()[0], 2))
            out_path = work / f"{prog.name}-{limit:g}s.schedule.json"
            code, peak, wall, tail = solve_child(prog, limit, a.workers, out_path, a.progress_every)
            row.update(load_after=round(os.getloadavg()[0], 2), peak_mb=peak, wall_s=wall)
            if code != 0 or not out_path.exists():
                row["status"] = f"failed (exit {code})"
                failed += 1
                _say(f"  [{prog.name} {limit:g}s] modulplan solve failed (exit {code}):")
                for line in tail:
                    _say(f"    {line}")
            else:
                sched = json.loads(out_path.read_text())
                k = sched.get("kpis", {})
                obj, bound = sched.get("objective"), sched.get("bound")
                row.update(objective=obj, bound=bound, status=sched.get("status"),
                           solve_seconds=sched.get("solve_seconds"),
                           sessions_total=k.get("sessions_total"),
                           unscheduled=(k.get("sessions_total", 0) - k.get("sessions_scheduled", 0)))
                if obj and row.get("firstfit_objective"):
                    row["ratio"] = obj / row["firstfit_objective"]
                if obj and bound is not None:
                    row["gap"] = (obj - bound) / obj
                ok, nviol, rules, _k, samples = check_schedule(data, sched)
                row.update(valid=ok, violations=nviol, violation_rules=rules)
                if not ok:
                    failed += 1
                    row["notes"] = row["notes"] + [f"{limit:g} s: the validator rejects the schedule ({nviol}: "
                                                   f"{rules}), e.g. {samples[0]}"]
                    for line in samples:
                        _say(f"  [{prog.name} {limit:g}s] VALIDATOR: {line}")
            rows.append(row)
            if len(rows) == 1:
                _say("")
                for line in table_lines([], widths)[:2]:
                    _say(line)
            _say(table_lines([row], widths)[2])
            write_engine_results(out_dir, rows, info, load_start, a, limits)
    _say("")
    if rows:
        write_engine_results(out_dir, rows, info, load_start, a, limits)
        for line in table_lines(rows):
            _say(line)
        _say("")
        for line in pivot_lines(rows, limits):
            _say(line)
        _say("")
        _say(f"wrote {out_dir / 'engine.md'}, {out_dir / 'engine.csv'}")
    else:
        _say("no programme was solved")
        failed += 1
    return 1 if failed else 0


# ------------------------------------------------------------------------------------------
# The generated programmes (generate.py S/M/L/XL): `--programmes generated`
# ------------------------------------------------------------------------------------------

def run_generated(a, out_dir: Path, info: dict) -> int:
    sizes = [] if a.report_only else (a.sizes or (["S", "M", "L"] + (["XL"] if a.xl else [])))
    bench = out_dir / "bench.csv"
    rows = read_rows(bench)
    failed = 0
    for seed in a.seeds:
        common = ["--seed", str(seed)] + (["--no-regional-rooms"] if a.no_regional_rooms else [])
        for size in sizes:
            _say(f"== {size} (seed {seed})")
            args = ["baseline", size, *common] + (["--no-validate"] if a.no_validate_baseline else [])
            if a.profile:
                args += ["--profile", str(out_dir / f"profile-{size}-baseline.txt")]
            base, base_peak, base_wall, code = run_child(args)
            if base is None:
                _say(f"  [{size}] baseline child failed (exit {code}, peak {base_peak:.0f} MB, {base_wall:.0f} s)")
                failed += 1
                continue
            base["baseline_peak_mb"] = base_peak
            _say(f"  [{size}] baseline child: {base_wall:.1f} s wall, peak {base_peak:.0f} MB")
            limits = [None] if a.baseline_only else a.time_limit
            for limit in limits:
                row = {k: base.get(k) for k in COLUMNS if k in base}
                row.update(size=size, seed=seed, time_limit="" if limit is None else limit, workers=a.workers,
                           started=datetime.now(UTC).isoformat(timespec="seconds"),
                           load_before=round(os.getloadavg()[0], 2), commit=info["commit"])
                if limit is not None:
                    trace = out_dir / f"trace-{size}-{limit:g}.csv"
                    args = ["solve", size, *common, "--limit", str(limit), "--workers", str(a.workers),
                            "--trace", str(trace)] + (["--no-parts"] if a.no_parts else [])
                    if a.profile:
                        args += ["--profile", str(out_dir / f"profile-{size}-solve-{limit:g}.txt")]
                    res, peak, wall, code = run_child(args)
                    row["load_after"] = round(os.getloadavg()[0], 2)
                    if res is None:
                        _say(f"  [{size} {limit:g}s] solve child failed (exit {code}, peak {peak:.0f} MB)")
                        failed += 1
                        row.update(status=f"failed (exit {code})", solve_peak_mb=peak)
                    else:
                        row.update({k: res.get(k) for k in COLUMNS if k in res})
                        (out_dir / f"stats-{size}-{limit:g}.json").write_text(json.dumps(
                            {"baseline": base, "solve": res, "solve_peak_mb": peak}, indent=1, default=str))
                        row["solve_peak_mb"] = peak
                        if res.get("bound") is not None and res["final_objective"]:
                            row["gap"] = (res["final_objective"] - res["bound"]) / res["final_objective"]
                        ff, lb, cl = base["firstfit_objective"], base["simple_lb"], base["candidate_lb"]
                        if ff > lb:
                            row["removed_share"] = (ff - res["final_objective"]) / (ff - lb)
                            row["removed_share_by_search"] = \
                                (base["constructive_objective"] - res["final_objective"]) / (ff - lb)
                        if ff > cl:
                            row["removed_share_candidate_lb"] = (ff - res["final_objective"]) / (ff - cl)
                        if not res["valid"]:
                            failed += 1
                            _say(f"  [{size}] VALIDATOR: {res['violation_samples']}")
                for k in ("generate_s", "prepare_s", "firstfit_s", "construct_s", "candidates_per_session",
                          "trainers_per_session", "rooms_per_session",
                          "simple_lb", "candidate_lb", "gap", "removed_share", "removed_share_candidate_lb",
                          "removed_share_by_search",
                          "solve_wall_s", "validate_s", "baseline_peak_mb", "solve_peak_mb", "first_valid_s",
                          "zero_unscheduled_s"):
                    if isinstance(row.get(k), float):
                        row[k] = round(row[k], 4 if k.startswith(("gap", "removed")) else 2)
                rows = [r for r in rows if not (r["size"] == size and str(r["seed"]) == str(seed)
                                                and str(r["time_limit"]) in (str(row["time_limit"]),
                                                                             f"{row['time_limit']}")
                                                and str(r["workers"]) == str(a.workers))]
                rows.append({k: ("" if row.get(k) is None else row.get(k)) for k in COLUMNS})
                write_rows(bench, rows)
                _say("  " + ", ".join(f"{k}={row.get(k)}" for k in (
                    "time_limit", "first_valid_s", "zero_unscheduled_s", "firstfit_objective", "constructive_objective",
                    "final_objective", "bound", "gap", "simple_lb", "removed_share", "solve_peak_mb", "valid")))
    rows = read_rows(bench)
    plots = plot(out_dir, rows)
    report(out_dir, rows, info, plots, None)
    _say(f"wrote {bench}, {out_dir / 'report.md'}" + (f", {', '.join(plots)}" if plots else ""))
    return 1 if failed else 0


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--programmes", choices=["all", "public", "planted", "tiled", "generated", "none"],
                    help="which programmes (default: all = public + planted; none when --scenario is given; "
                         "tiled: the public ones tiled to L and, with --sizes XL, XL, see TILES)")
    ap.add_argument("--public-dir", default=str(PUBLIC_DIR),
                    help="folders with scenario.json and first-fit.json or planted.json (default: %(default)s)")
    ap.add_argument("--scenario", action="append", default=[], help="also this scenario file (repeatable)")
    ap.add_argument("--reference", action="append", default=[],
                    help="the reference schedule of the --scenario at the same position (repeatable)")
    ap.add_argument("--sizes", nargs="+", type=str.upper, choices=ORDER,
                    help="planted (and generated) sizes; default: S M L (with --xl: + XL)")
    ap.add_argument("--xl", action="store_true", help="also XL")
    ap.add_argument("--families", nargs="+", choices=FAMILIES, default=FAMILIES, help="planted families (default: all)")
    ap.add_argument("--seeds", nargs="+", type=int, default=[1], help="planted (and generated) seeds (default: 1)")
    ap.add_argument("--seed", type=int, help=argparse.SUPPRESS)  # the old spelling: one seed
    ap.add_argument("--time-limit", nargs="+", type=float, default=[60.0],
                    help="seconds, several allowed, e.g. 10 60 120 300 (default: 60)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-engine-first-fit", action="store_true",
                    help="skip modulplan's own first-fit (construct(problem, 'first-fit')) per programme")
    ap.add_argument("--progress-every", type=float, default=15.0,
                    help="seconds between echoed progress lines of a solve (default: %(default)s)")
    ap.add_argument("--keep-work", help="keep the planted programmes and solved schedules in this folder "
                                        "(default: a temporary folder, removed at the end)")
    ap.add_argument("--out-dir", default=str(HERE / "results"))
    g = ap.add_argument_group("--programmes generated (generate.py; results in bench.csv and report.md)")
    g.add_argument("--baseline-only", action="store_true", help="generate, prepare and construct only; no solve")
    g.add_argument("--no-regional-rooms", action="store_true", help="see generate.py")
    g.add_argument("--no-validate-baseline", action="store_true", help="skip the validator on the first-fit schedule")
    g.add_argument("--profile", action="store_true", help="cProfile each child into profile-<size>-<phase>.txt")
    g.add_argument("--no-parts", action="store_true",
                   help="solve as one problem even when it splits into independent parts")
    g.add_argument("--report-only", action="store_true", help="only redraw the plots and report.md from bench.csv")
    a = ap.parse_args(argv)
    a.argv_shown = argv
    if a.seed is not None:
        a.seeds = [a.seed]
    if len(a.reference) > len(a.scenario):
        ap.error("more --reference than --scenario")
    which = a.programmes or ("generated" if a.report_only else "none" if a.scenario else "all")
    out_dir = Path(a.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    _say(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; OR-Tools {info['ortools']}; "
         f"commit {info['commit']}")
    if which == "generated":
        return run_generated(a, out_dir, info)

    sizes = a.sizes or (["S", "M", "L"] + (["XL"] if a.xl else []))
    if a.keep_work:
        work = Path(a.keep_work)
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="modulplan-bench-"))
    try:
        progs: list[Programme] = []
        for i, s in enumerate(a.scenario):
            ref = Path(a.reference[i]) if i < len(a.reference) else None
            progs.append(Programme(Path(s).stem, "file", Path(s), ref, "reference" if ref else "–"))
        if which in ("all", "public"):
            pub = Path(a.public_dir)
            if pub.is_dir():
                progs += public_programmes(pub)
            else:
                _say(f"{pub} does not exist: no public programmes")
        if which in ("all", "planted"):
            progs += planted_programmes(sizes, a.families, a.seeds, work)
        if which == "tiled":
            progs += tiled_programmes(Path(a.public_dir), sizes, work)
        return run_engine(a, progs, out_dir, work, info)
    finally:
        if not a.keep_work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
