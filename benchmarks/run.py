#!/usr/bin/env python3
"""Benchmarks: solve generated programmes of growing size with fixed time limits.

    python benchmarks/run.py                          # S M L at 60 s, 2 workers
    python benchmarks/run.py --sizes S M --time-limit 60 300
    python benchmarks/run.py --xl                     # S M L XL (XL: a long, memory-hungry solve)
    python benchmarks/run.py --sizes XL --baseline-only   # XL: generate, prepare, construct only
    python benchmarks/run.py --sizes M --profile      # also cProfile both children (profile-*.txt)

Every measurement runs in a child process of its own, so its peak memory (the child's
ru_maxrss, from os.wait4) belongs to that run alone:

* the **baseline** child: generate the scenario, build the `PlanningProblem` (prepare),
  the first-fit schedule (`construct(problem, "first-fit")`) and the constructive schedule
  the solver starts from (`construct(problem)`), both timed and costed with `exact_costs`,
  the simple lower bound, and the validator on the first-fit schedule;
* the **solve** child (one per time limit): `solve_scenario` with the progress callback
  (the trace), then the validator on the final schedule.

Output (in --out-dir, default benchmarks/results): `bench.csv` (one row per size x time
limit; rows of earlier runs with other sizes or limits are kept), `trace-<size>-<limit>.csv`,
`objective-<size>.png` (needs matplotlib: `pip install matplotlib`, the `bench` extra) and
`report.md`. What every column means: benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
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

    from scheduler.construct import construct
    from scheduler.domain import build_scenario
    from scheduler.problem import PlanningProblem
    from scheduler.result import build_schedule, exact_costs
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
    ap.add_argument("mode", choices=["baseline", "solve"])
    ap.add_argument("size")
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
             f"Generated by `benchmarks/run.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. "
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
# Main
# ------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", nargs="+", type=str.upper, choices=ORDER, help="default: S M L (with --xl: + XL)")
    ap.add_argument("--xl", action="store_true", help="also run XL (8 000 persons)")
    ap.add_argument("--time-limit", nargs="+", type=float, default=[60.0], help="seconds; several allowed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1, help="scenario seed (generate.py)")
    ap.add_argument("--baseline-only", action="store_true", help="generate, prepare and construct only; no solve")
    ap.add_argument("--no-regional-rooms", action="store_true", help="see generate.py")
    ap.add_argument("--no-validate-baseline", action="store_true", help="skip the validator on the first-fit schedule")
    ap.add_argument("--profile", action="store_true", help="cProfile each child into profile-<size>-<phase>.txt")
    ap.add_argument("--no-parts", action="store_true",
                    help="solve as one problem even when it splits into independent parts")
    ap.add_argument("--out-dir", default=str(HERE / "results"))
    ap.add_argument("--report-only", action="store_true", help="only redraw the plots and report.md from bench.csv")
    a = ap.parse_args(argv)
    sizes = [] if a.report_only else (a.sizes or (["S", "M", "L"] + (["XL"] if a.xl else [])))
    out_dir = Path(a.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    _say(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; OR-Tools {info['ortools']}")
    bench = out_dir / "bench.csv"
    rows = read_rows(bench)
    common = ["--seed", str(a.seed)] + (["--no-regional-rooms"] if a.no_regional_rooms else [])
    failed = 0
    for size in sizes:
        _say(f"== {size} (seed {a.seed})")
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
            row.update(size=size, seed=a.seed, time_limit="" if limit is None else limit, workers=a.workers,
                       started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
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
                        row["removed_share_by_search"] = (base["constructive_objective"] - res["final_objective"]) / (ff - lb)
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
            rows = [r for r in rows if not (r["size"] == size and str(r["seed"]) == str(a.seed)
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


if __name__ == "__main__":
    sys.exit(main())
