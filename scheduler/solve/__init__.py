"""Solving a scenario: prepare -> constructive schedule -> CP-SAT (hinted) -> schedule.

`solve_scenario` always returns a schedule that keeps every hard rule: sessions the
optimizer cannot place are reported as unscheduled with a reason. The constructive
schedule's objective, the final objective and the proven lower bound are reported
so the gain from optimizing and the distance to optimal are visible.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ortools.sat.python import cp_model

from scheduler.domain import Scenario, build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.cohorts import cohorts_forced
from scheduler.prepare.problem import PlanningProblem
from scheduler.rules import build_model
from scheduler.rules.builder import SCALE, ModelBuilder, complete_hint_status
from scheduler.search.bound import programme_lower_bound
from scheduler.search.construct import Bookings, Placement, complete, construct
from scheduler.search.engine import improve, improve_in_parallel, schedulable_cohorts
from scheduler.solve.parts import solve_in_parts, split_scenario
from scheduler.solve.result import build_schedule, exact_costs

log = logging.getLogger("modulplan.solve")

PRESOLVE_LIMIT = 5_000  # model variables above which CP-SAT's presolve is skipped (see solve_scenario)
# Candidate starts up to which the whole CP-SAT model follows the search (it can prove
# optimality there); above it the search alone ("neighbourhoods") uses all of the time.
FULL_MODEL_LIMIT = 4_000
# Sessions up to which a second search runs in a forked process: the child shares the problem
# copy-on-write, but Python's reference counts touch every page it reads, so at national size
# the copy would double the memory.
PORTFOLIO_LIMIT = 4_000


@dataclass(frozen=True)
class SolveParams:
    """Solver options, with their defaults in one place."""

    time_limit: float = 60.0  # seconds of wall time for the whole solve
    workers: int = 0  # 0: one per core (at most 8)
    random_seed: int = 0
    relative_gap: float = 0.0  # stop when (objective - bound) / objective is below this
    log_search: bool = False  # CP-SAT's own log into logging (logger modulplan.solve)
    split_parts: bool = True  # solve independent parts (no shared person or resource) separately

    @property
    def num_workers(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1))


class SolveOutcome(str, Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Progress:
    phase: str  # "prepare" | "construct" | "optimize" | "done"
    elapsed: float
    objective: float | None
    bound: float | None
    sessions_placed: int
    sessions_total: int


@dataclass
class SolveResult:
    schedule: dict
    status: SolveOutcome
    constructive_objective: float
    objective: float
    bound: float | None
    stats: dict = field(default_factory=dict)


ProgressFn = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, mb: ModelBuilder, started: float, total: int, on_progress: ProgressFn | None,
                 cancel: threading.Event | None):
        super().__init__()
        self.mb, self.started, self.total = mb, started, total
        self.on_progress, self.cancel = on_progress, cancel
        self.floor = 0.0  # a bound known before the search (the simple lower bound)
        self.best: dict[int, Placement] = {}
        self.best_objective: float | None = None
        self.solutions = 0

    def on_solution_callback(self) -> None:
        """Keep the best solution by the EXACT objective (the model estimates travel)."""
        self.solutions += 1
        found = _extract(self.mb, self.mb.problem, self)
        exact = exact_costs(self.mb.problem, found)["objective"]
        if self.best_objective is None or exact < self.best_objective:
            self.best, self.best_objective = found, exact
        if self.on_progress:
            self.on_progress(Progress("optimize", time.monotonic() - self.started, self.best_objective,
                                      max(self.floor, self.best_objective_bound / SCALE), len(self.best), self.total))
        if self.cancel is not None and self.cancel.is_set():
            self.stop_search()


def solve_scenario(data: dict | Scenario, params: SolveParams | None = None, *,
                   on_progress: ProgressFn | None = None, cancel: threading.Event | None = None,
                   baseline: dict | None = None, freeze_until: date | None = None,
                   move_weight: float | None = None) -> SolveResult:
    """Solve a scenario. With `baseline` (a schedule-1 dict of the same scenario id) it is a
    stable re-plan (`replan.py`): sessions before `freeze_until` stay exactly as they are, and
    every other baseline session that moves costs `move_weight` (default: the scenario's
    weights.move_session, else 500)."""
    params = params or SolveParams()
    started = time.monotonic()
    # A dict goes through the schemas first (defaults, Swedish weekday names, ...): they are
    # the one definition of the format. Raises ScenarioInvalid for bad input.
    loaded = None if isinstance(data, Scenario) else load_scenario(data)
    scenario = data if loaded is None else build_scenario(loaded)
    if loaded is not None and baseline is None and params.split_parts:
        parts = split_scenario(loaded, scenario)
        if len(parts) > 1:  # independent parts: each solved on its own, in parallel (parts.py)
            return _solve_parts(loaded, parts, params, started, on_progress, cancel)
    problem = PlanningProblem(scenario)
    if baseline is not None:
        from scheduler.solve.replan import baseline_cohorts, prepare_replan

        problem = baseline_cohorts(problem, baseline)
        prepare_replan(problem, baseline, freeze_until=freeze_until, move_weight=move_weight,
                       weights=(loaded or {}).get("weights"))
    problem = schedulable_cohorts(problem, deadline=started + params.time_limit / 4)
    total = len(problem.sessions)
    # Time kept for what follows the search (final check, reasons, the document): it grows
    # with the programme (measured: about 1 s per 1 000 sessions, more with many unscheduled).
    reserve = max(0.3, 0.02 * params.time_limit, 0.0015 * total)
    deadline = started + params.time_limit - reserve
    prepared = time.monotonic()

    def report(phase, objective, bound, placed, sessions=None):
        if on_progress:
            on_progress(Progress(phase, time.monotonic() - started, objective, bound, placed, sessions or total))

    report("prepare", None, None, 0)
    placed = first = construct(problem) if baseline is None else _construct_replan(problem)
    constructive = exact_costs(problem, placed)["objective"]
    report("construct", constructive, None, len(placed))
    constructed = time.monotonic()

    status, stats = SolveOutcome.FEASIBLE, {}
    # A bound for the programme itself (every way of forming cohorts), not for these cohorts.
    proven = programme_lower_bound(scenario, problem.timeline,
                                   deadline=time.monotonic() + min(15.0, 0.1 * params.time_limit))
    bound = proven.total
    stats["bound_seconds"] = round(proven.seconds, 3)
    literals = sum(len(o.candidates) for o in problem.options)
    stats["candidate_starts"] = literals
    small = literals <= FULL_MODEL_LIMIT
    stats["mode"] = "search + full model" if small else "neighbourhoods"
    if problem.sessions and time.monotonic() < deadline - 0.2 and not (cancel and cancel.is_set()):
        # Ruin and recreate first (scheduler/search): complete and cheap fast. On a small
        # programme it hands over to the CP-SAT model once it stops finding better schedules
        # (or at the latest after half the time), which can prove optimality.
        def on_step(best, cost, sessions):
            report("optimize", cost, bound, len(best), sessions)

        share = deadline if not small else time.monotonic() + (deadline - time.monotonic()) / 2
        patience = (200 + 20 * len(problem.by_cohort)) if small else None
        if small:  # a few seconds of one search, then CP-SAT (on the other core too)
            searched, placed, search_stats = improve(problem, placed, deadline=share, seed=params.random_seed,
                                                     cancel=cancel, patience=patience, on_step=on_step)
            if len(placed) < len(searched.sessions) and time.monotonic() < deadline - 0.2:
                # Still incomplete: CP-SAT cannot change the cohorts, the search can; it keeps the time.
                searched, placed, more = improve(searched, placed, deadline=deadline, seed=params.random_seed + 1,
                                                 cancel=cancel, on_step=on_step)
                search_stats["search_steps"] += more["search_steps"]
        else:
            searched, placed, search_stats = improve_in_parallel(
                problem, placed, deadline=share, seed=params.random_seed,
                searches=min(2, params.num_workers) if total <= PORTFOLIO_LIMIT else 1,
                cancel=cancel, on_step=on_step)
        if searched is not problem:  # cohorts moved: the constructive schedule belongs to the old ones
            problem, first, total = searched, None, len(searched.sessions)
        stats.update(search_stats)
    if small and problem.sessions and time.monotonic() < deadline - 0.5 and not (cancel and cancel.is_set()):
        placed, status, bound = _full_model(problem, placed, params, started, deadline, bound, stats,
                                            on_progress, cancel, report, total)
    placed, dropped = _keep_valid(problem, placed)
    stats["dropped_by_final_check"] = dropped
    final = exact_costs(problem, placed)["objective"]
    if final > constructive and first is not None:  # the repair could not win back what the check removed
        placed, _ = _keep_valid(problem, first)
        final = exact_costs(problem, placed)["objective"]
    if status is SolveOutcome.OPTIMAL and (bound is None or final > bound + 1e-6):
        status = SolveOutcome.FEASIBLE  # optimal for the model's travel estimate, not proven for the exact cost
    if bound is not None and final <= bound + 1e-6 and not (cancel and cancel.is_set()):
        status = SolveOutcome.OPTIMAL  # the schedule costs what no schedule of the programme can undercut
    seconds = time.monotonic() - started
    stats.update(prepare_seconds=round(prepared - started, 3), construct_seconds=round(constructed - prepared, 3))
    schedule = build_schedule(problem, placed, status=status.value, bound=bound, solve_seconds=seconds)
    if baseline is not None:
        from scheduler.solve.replan import annotate

        annotate(problem, schedule)
    report("done", final, bound, len(placed))
    return SolveResult(schedule, status, constructive, final, schedule["bound"], stats)


def _full_model(problem: PlanningProblem, placed: dict[int, Placement], params: SolveParams, started: float,
                deadline: float, bound: float, stats: dict, on_progress, cancel, report, total: int):
    """CP-SAT on the whole model, hinted with `placed`, until the deadline; returns the better
    schedule by the exact objective, the status and the bound."""
    status = SolveOutcome.FEASIBLE
    before = exact_costs(problem, placed)["objective"]
    mb = build_model(problem)
    decisions = _hint(mb, problem, placed)
    stats["hint_complete"] = _complete_hint(mb, decisions, min(5.0, params.time_limit / 10))
    built = time.monotonic()
    remaining = deadline - built
    stats.update(variables=len(mb.model.proto.variables), constraints=len(mb.model.proto.constraints),
                 build_seconds=round(built - started, 3))
    if remaining <= 0.2:
        return placed, status, bound
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = params.num_workers
    solver.parameters.random_seed = params.random_seed
    if len(mb.model.proto.variables) > PRESOLVE_LIMIT:
        # Measured: on ~100k-variable models CP-SAT's presolve spends tens of seconds
        # of wall time (PresolveToFixPoint) before the hinted schedule is even loaded;
        # without it the hint is the first solution within a second.
        solver.parameters.cp_model_presolve = False
    if params.relative_gap:
        solver.parameters.relative_gap_limit = params.relative_gap
    if params.log_search:
        solver.parameters.log_search_progress = True
        solver.log_callback = log.info
    watcher = _Watcher(mb, started, total, on_progress, cancel)
    watcher.floor = bound
    if on_progress:
        def on_bound(b):
            report("optimize", watcher.best_objective, bound, len(watcher.best))
        solver.best_bound_callback = on_bound
    stopper = _stop_on_cancel(solver, cancel)
    code = solver.solve(mb.model, watcher)
    if stopper:
        stopper.set()
    stats.update(cp_status=solver.status_name(code), solutions=watcher.solutions,
                 model_objective=solver.objective_value / SCALE if watcher.solutions else None)
    # The model's bound holds for the cohorts as formed; it bounds the programme only when no
    # other way of forming them exists, and only with exact travel gaps.
    exact = all(g.exact for g in (*problem.trainer_pads.values(), *problem.interpreter_pads.values()))
    stats["travel_exact"] = exact
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        proven = exact and cohorts_forced(problem)
        if proven:
            bound = max(bound, solver.best_objective_bound / SCALE)
        if watcher.best_objective is not None and watcher.best_objective <= before:
            placed = watcher.best
        if code == cp_model.OPTIMAL and proven and not (cancel and cancel.is_set()):
            status = SolveOutcome.OPTIMAL
    elif code == cp_model.INFEASIBLE:
        log.error("the model is infeasible although 'nothing scheduled' is always allowed: a bug")
    return placed, status, bound


def _construct_replan(problem: PlanningProblem) -> dict[int, Placement]:
    """The constructive schedule of a re-plan: starts from the baseline (`replan.py`)."""
    from scheduler.solve.replan import construct_replan

    return construct_replan(problem)


def _solve_parts(doc: dict, parts: list, params: SolveParams, started: float, on_progress: ProgressFn | None,
                 cancel: threading.Event | None) -> SolveResult:
    """Independent parts in parallel processes, merged into one schedule (see parts.py)."""
    from dataclasses import replace

    left = replace(params, time_limit=max(1.0, params.time_limit - (time.monotonic() - started)), split_parts=False)
    schedule, parts, schedules = solve_in_parts(doc, left, on_progress=on_progress, cancel=cancel, parts=parts)
    status = SolveOutcome.OPTIMAL if schedule["status"] == "optimal" else SolveOutcome.FEASIBLE
    stats = {"mode": "parts", "parts": schedule.pop("x-parts")}
    constructive = sum(p["constructive_objective"] for p in stats["parts"])
    if on_progress:
        on_progress(Progress("done", time.monotonic() - started, schedule["objective"], schedule["bound"],
                             len(schedule["sessions"]), len(schedule["sessions"]) + len(schedule["unscheduled"])))
    return SolveResult(schedule, status, constructive, schedule["objective"], schedule["bound"], stats)


def _stop_on_cancel(solver: cp_model.CpSolver, cancel: threading.Event | None) -> threading.Event | None:
    """Stop the search when `cancel` is set; keep asking, since a stop before the search
    starts is ignored (google/or-tools#3621)."""
    if cancel is None:
        return None
    done = threading.Event()

    def run():
        while not done.is_set():
            if cancel.wait(0.1):
                while not done.is_set():
                    solver.stop_search()
                    done.wait(0.1)

    threading.Thread(target=run, daemon=True).start()
    return done


def _hint(mb: ModelBuilder, problem: PlanningProblem, placed: dict[int, Placement]) -> list[tuple[object, int]]:
    """Hint the decisions of the constructive schedule; returns them."""
    decisions: list[tuple[object, int]] = []
    for i in mb.schedulable:
        pl = placed.get(i)
        o = mb.options[i]
        chosen = 0 if i in mb.pinned else (pl.candidate if pl else None)
        decisions.append((mb.present[i], int(pl is not None)))
        decisions += [(x, int(k == chosen)) for k, x in enumerate(mb.pick[i])]
        decisions += [(mb.teaches[i, t], int(bool(pl and pl.trainer == t))) for t in o.trainers]
        if o.needs_room:
            decisions += [(mb.in_room[i, r], int(bool(pl and pl.room == r))) for r in o.rooms]
        decisions += [(mb.interprets[i, j], int(bool(pl and j in pl.interpreters))) for j in o.interpreters]
    for var, value in decisions:
        mb.model.add_hint(var, value)
    return decisions


def _complete_hint(mb: ModelBuilder, decisions: list[tuple[object, int]], seconds: float,
                   stats: dict | None = None) -> bool:
    status = complete_hint_status(mb.model, decisions, seconds)
    if stats is not None:
        stats[f"hint_{status}"] = stats.get(f"hint_{status}", 0) + 1
    if status == "complete":
        return True
    if status == "timeout":
        log.info("the starting schedule could not be turned into a complete hint within %.1f s", seconds)
    else:
        log.warning("the starting schedule is not a solution of the model; CP-SAT starts without it")
    return False


def _extract(mb: ModelBuilder, problem: PlanningProblem, solver, pinned: dict | None = None) -> dict[int, Placement]:
    """The placements of a solution (`solver` is a CpSolver or a solution callback);
    pinned sessions keep their given placements."""
    out = dict(pinned or {})
    for i in mb.schedulable:
        if i in mb.pinned or not solver.boolean_value(mb.present[i]):
            continue
        o = mb.options[i]
        trainer = next(t for t in o.trainers if solver.boolean_value(mb.teaches[i, t]))
        room = next((r for r in o.rooms if solver.boolean_value(mb.in_room[i, r])), None) if o.needs_room else None
        interps = tuple(j for j in o.interpreters if solver.boolean_value(mb.interprets[i, j]))
        k = next(k for k, x in enumerate(mb.pick[i]) if solver.boolean_value(x))
        out[i] = Placement(i, k, trainer, room, interps)
    return out


def _keep_valid(problem: PlanningProblem, placed: dict[int, Placement]) -> tuple[dict[int, Placement], int]:
    """A last line of defence: replay the placements in time order against every rule the
    bookings know (this also covers daily rest between two sessions, which the model only
    sees through the candidates); a session that fails, and the rest of its cohort's track,
    become unscheduled rather than break a rule."""
    book = Bookings(problem)
    kept: dict[int, Placement] = {}
    stopped: set[str] = set()
    order = sorted(placed, key=lambda i: problem.options[i].candidates[placed[i].candidate].start)
    for i in order:
        pl, s = placed[i], problem.sessions[i]
        if s.key.cohort in stopped:
            continue
        c = problem.options[i].candidates[pl.candidate]
        a, b = c.start, c.end
        site = problem.site_of_room(pl.room) if pl.room else None
        sc = problem.scenario
        checks = {
            "participants": lambda: book.people_ok(s.cohort.participants, a, b),
            "staffing": lambda: book.staffing_ok(s.cohort.team_counts, a, b),
            "room": lambda: pl.room is None or book.room_ok(pl.room, a, b),
            "trainer": lambda: book.trainer_ok(pl.trainer, a, b, site or sc.trainers[pl.trainer].home_site,
                                               c.slot.day_number, c.slot.week_number, s.duration),
            "interpreter": lambda: all(book.interpreter_ok(j, a, b, site or sc.interpreters[j].home_site)
                                       for j in pl.interpreters),
        }
        failed = next((name for name, check in checks.items() if not check()), None)
        if failed:
            stopped.add(s.key.cohort)
            log.warning("final check (%s): %s %s could not be kept", failed, s.key.cohort, s.key.label)
            continue
        book.book(pl)
        kept[i] = pl
    # Sessions after a dropped one in the same cohort go too (track order) ...
    for cid in stopped:
        idxs = problem.by_cohort[cid]
        first_missing = next(k for k, i in enumerate(idxs) if i not in kept)
        for i in idxs[first_missing:]:
            if i in kept:
                book.book(kept.pop(i), -1)
    # ... and are placed again where the rules allow, after the kept ones.
    dropped = len(placed) - len(kept)
    if dropped:
        kept = complete(problem, book, kept)
    return kept, dropped
