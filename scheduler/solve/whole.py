"""The whole-model solve: prepare -> constructive schedule -> search -> CP-SAT (hinted) -> schedule.

`solve_whole` always returns a schedule that keeps every hard rule: sessions the optimizer
cannot place are reported as unscheduled with a reason. Its steps, in order:

1. prepare: the planning problem (with a re-plan's baseline, `replan.py`), cohorts that can
   be scheduled (`search.engine.schedulable_cohorts`), the deadline;
2. construct: a first valid schedule (`search.construct`, or from the baseline in a re-plan);
3. bound: a lower bound for the programme itself (`search.bound`);
4. search: ruin and recreate (`search.engine`); on a small programme (FULL_MODEL_LIMIT) for
   part of the time, then
5. the CP-SAT model of the whole programme (`rules`), hinted with the best schedule, which can
   prove optimality;
6. the final check (`_keep_valid`) and the schedule document (`result.py`).

The constructive schedule's objective, the final objective and the proven lower bound are
reported so the gain from optimizing and the distance to optimal are visible.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import cast

from ortools.sat.python import cp_model

from scheduler.domain import Scenario, build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.cohorts import cohorts_forced
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.rules import build_model
from scheduler.rules.builder import SCALE, ModelBuilder, complete_hint_status
from scheduler.rules.costs import exact_costs
from scheduler.search.bound import programme_lower_bound
from scheduler.search.construct import Bookings, complete, construct
from scheduler.search.engine import improve, improve_in_parallel, schedulable_cohorts
from scheduler.search.ruin_recreate import sessions_without_start
from scheduler.solve.params import Progress, ProgressFn, SolveOutcome, SolveParams, SolveResult
from scheduler.solve.replan import ReplanRequest, annotate, construct_replan, replan_problem
from scheduler.solve.result import build_schedule

log = logging.getLogger("modulplan.solve")

PRESOLVE_LIMIT = 5_000  # model variables above which CP-SAT's presolve is skipped (see _solver)
# Candidate starts up to which the whole CP-SAT model follows the search (it can prove
# optimality there); above it the search alone ("neighbourhoods") uses all of the time.
FULL_MODEL_LIMIT = 4_000
# Sessions up to which a second search runs in a forked process: the child shares the problem
# copy-on-write, but Python's reference counts touch every page it reads, so it costs up to as
# much memory again. Measured on planted mixed XL 1 (12 204 sessions, 300 s): peak 2.1 GB (PSS,
# both processes) against 1.2 GB with one search, and 45-50 sessions unscheduled against 99-135.
PORTFOLIO_LIMIT = 15_000
# Seconds per session kept after the search for the final check, reasons and the document
# (at least 2 % of the time limit; see `_begin`).
RESERVE_PER_SESSION = 0.0008


def read_scenario(data: dict | Scenario) -> tuple[dict | None, Scenario]:
    """The scenario document as the schemas load it (None when given a Scenario) and the
    Scenario. A dict goes through the schemas first (defaults, Swedish weekday names, ...):
    they are the one definition of the format. Raises ScenarioInvalid for bad input."""
    if isinstance(data, Scenario):
        return None, data
    loaded = load_scenario(data)
    return loaded, build_scenario(loaded)


@dataclass
class _Run:
    """One whole-model solve under way: its options, clock, deadline, size, figures, and
    where it reports progress and hears a cancel."""

    params: SolveParams
    started: float
    deadline: float  # the search and the model stop here; the rest is kept for the document
    total: int  # sessions of the problem (changes when the search forms cohorts again)
    on_progress: ProgressFn | None
    cancel: threading.Event | None
    prepared: float = 0.0  # when the preparation ended (time.monotonic())
    constructed: float = 0.0  # when the constructive schedule was ready
    stats: dict = field(default_factory=dict)

    def report(self, phase: str, objective: float | None, bound: float | None, placed: int,
               sessions: int | None = None) -> None:
        if self.on_progress:
            self.on_progress(Progress(phase, time.monotonic() - self.started, objective, bound, placed,
                                      sessions or self.total))

    def cancelled(self) -> bool:
        return bool(self.cancel and self.cancel.is_set())

    def time_left(self, margin: float) -> bool:
        """More than `margin` seconds before the deadline."""
        return time.monotonic() < self.deadline - margin


def solve_whole(scenario: Scenario, params: SolveParams, *, started: float | None = None,
                on_progress: ProgressFn | None = None, cancel: threading.Event | None = None,
                replan: ReplanRequest | None = None) -> SolveResult:
    """Solve the whole scenario as one programme (the steps in the module docstring). With
    `replan` it is a stable re-plan against a baseline (`replan.py`). `started` is when the
    solve began (time.monotonic(); the time limit counts from there)."""
    started = time.monotonic() if started is None else started
    if params.search_runner is not None and replan is None:
        params.search_runner.prepare()  # the workers read and prepare the scenario while this process does
    problem = _prepare(scenario, params, started, replan)
    run = _begin(problem, params, started, on_progress, cancel)
    placed, constructive = _construct(run, problem, replan)
    first: dict[int, Placement] | None = placed
    status = SolveOutcome.FEASIBLE
    bound = _programme_bound(run, scenario, problem)
    small = _choose_mode(run, problem)
    if problem.sessions and run.time_left(0.2) and not run.cancelled():
        searched, placed = _search(run, problem, placed, bound, small)
        if searched is not problem:  # cohorts moved: the constructive schedule belongs to the old ones
            problem, first, run.total = searched, None, len(searched.sessions)
    if small and problem.sessions and run.time_left(0.5) and not run.cancelled():
        placed, status, bound = _full_model(run, problem, placed, bound)
        if run.time_left(1.0) and not run.cancelled() and exact_costs(problem, placed)["objective"] > bound + 1e-6:
            searched, placed = _search_on(run, problem, placed, bound)
            if searched is not problem:
                problem, first, run.total = searched, None, len(searched.sessions)
    placed, final = _final_check(run, problem, placed, first, constructive)
    status = _settle_status(run, status, final, bound)
    return _result(run, problem, placed, status, constructive, final, bound, replan)


def _prepare(scenario: Scenario, params: SolveParams, started: float,
             replan: ReplanRequest | None) -> PlanningProblem:
    """The planning problem (a re-plan's with the baseline's cohorts and frozen sessions),
    with every cohort formed so that it can be scheduled."""
    problem = PlanningProblem(scenario)
    if replan is not None:
        problem = replan_problem(problem, replan)
    return schedulable_cohorts(problem, deadline=started + params.time_limit / 4)


def _begin(problem: PlanningProblem, params: SolveParams, started: float, on_progress: ProgressFn | None,
           cancel: threading.Event | None) -> _Run:
    """The run's deadline: the time limit less the time kept for what follows the search (final
    check, reasons, the document), which grows with the programme. Measured (session 29, an
    XL of the first-fit make, 12 626 sessions): 1.3 s final check and 0.6 s document with 2
    unscheduled, 0.6 s and 0.7 s with 250; at 300 s the final check and document of planted
    mixed XL 1 took 4 s. 0.8 ms a session keeps 10 s at XL. (It was 1.5 ms: at 60 s the
    first-fit make's XL searched for 18 s and ended at 43 s with 6 unscheduled.)"""
    total = len(problem.sessions)
    reserve = max(0.3, 0.02 * params.time_limit, RESERVE_PER_SESSION * total)
    deadline = started + params.time_limit - reserve
    return _Run(params, started, deadline, total, on_progress, cancel, prepared=time.monotonic())


def _construct(run: _Run, problem: PlanningProblem, replan: ReplanRequest | None) -> tuple[dict[int, Placement], float]:
    """The constructive schedule (a re-plan's starts from the baseline) and its exact objective."""
    run.report("prepare", None, None, 0)
    placed = construct(problem) if replan is None else construct_replan(problem)
    constructive = exact_costs(problem, placed)["objective"]
    run.report("construct", constructive, None, len(placed))
    run.constructed = time.monotonic()
    return placed, constructive


def _programme_bound(run: _Run, scenario: Scenario, problem: PlanningProblem) -> float:
    """A bound for the programme itself (every way of forming cohorts), not for these cohorts."""
    proven = programme_lower_bound(scenario, problem.timeline,
                                   deadline=time.monotonic() + min(15.0, 0.1 * run.params.time_limit))
    run.stats["bound_seconds"] = round(proven.seconds, 3)
    return proven.total


def _choose_mode(run: _Run, problem: PlanningProblem) -> bool:
    """True when the whole CP-SAT model follows the search (at most FULL_MODEL_LIMIT candidate
    starts); above it the search's neighbourhoods have all of the time."""
    literals = sum(len(o.candidates) for o in problem.options)
    run.stats["candidate_starts"] = literals
    small = literals <= FULL_MODEL_LIMIT
    run.stats["mode"] = "search + full model" if small else "neighbourhoods"
    return small


def _search(run: _Run, problem: PlanningProblem, placed: dict[int, Placement], bound: float,
            small: bool) -> tuple[PlanningProblem, dict[int, Placement]]:
    """Ruin and recreate first (scheduler/search): complete and cheap fast. On a small
    programme it hands over to the CP-SAT model once it stops finding better schedules (or at
    the latest after half the time), which can prove optimality. Returns the problem (its
    cohorts may have moved) and the best schedule."""
    on_step = _reporter(run, bound)
    deadline, seed = run.deadline, run.params.random_seed
    share = deadline if not small else time.monotonic() + (deadline - time.monotonic()) / 2
    patience = (200 + 20 * len(problem.by_cohort)) if small else None
    if small:  # a few seconds of one search, then CP-SAT (on the other core too)
        searched, placed, search_stats = improve(problem, placed, deadline=share, seed=seed,
                                                 cancel=run.cancel, patience=patience, on_step=on_step)
        if len(placed) + sessions_without_start(searched) < len(searched.sessions) and run.time_left(0.2):
            # Still incomplete: CP-SAT cannot change the cohorts, the search can; it keeps the time.
            searched, placed, more = improve(searched, placed, deadline=deadline, seed=seed + 1,
                                             cancel=run.cancel, on_step=on_step)
            search_stats["search_steps"] += more["search_steps"]
    else:
        searched, placed, search_stats = improve_in_parallel(
            problem, placed, deadline=share, seed=seed,
            searches=min(2, run.params.num_workers) if run.total <= PORTFOLIO_LIMIT else 1,
            cancel=run.cancel, on_step=on_step, runner=run.params.search_runner)
    run.stats.update(search_stats)
    return searched, placed


def _reporter(run: _Run, bound: float):
    """A search's `on_step`: its best schedule so far as the solve's progress."""
    def on_step(best, cost, sessions):
        run.report("optimize", cost, bound, len(best), sessions)
    return on_step


def _search_on(run: _Run, problem: PlanningProblem, placed: dict[int, Placement],
               bound: float) -> tuple[PlanningProblem, dict[int, Placement]]:
    """The search again, from the CP-SAT model's schedule to the deadline, when the model
    stopped early without proving the programme's optimum: it proves the optimum of *its*
    model, whose travel is an estimate and whose cohorts are fixed. Why: planted network S 45
    stopped at 1.7 s of 10 with 1.018 of the planted schedule's cost; searching on, 0.96."""
    # It too stops when it finds nothing better for long (as on a complete programme, or one
    # whose missing sessions can never be placed), but it waits twenty times the first search's
    # patience: five times stopped it at 4-6 s of 10 between 0.951 and 1.005 of that cost.
    patience = 20 * (200 + 20 * len(problem.by_cohort))
    searched, placed, stats = improve(problem, placed, deadline=run.deadline, seed=run.params.random_seed + 2,
                                      cancel=run.cancel, patience=patience, on_step=_reporter(run, bound))
    run.stats["search_steps_after_model"] = stats.get("search_steps", 0)
    return searched, placed


def _final_check(run: _Run, problem: PlanningProblem, placed: dict[int, Placement],
                 first: dict[int, Placement] | None, constructive: float) -> tuple[dict[int, Placement], float]:
    """The schedule after the final check (`_keep_valid`) and its exact objective; the
    constructive schedule's instead when the repair could not win back what the check removed."""
    placed, dropped = _keep_valid(problem, placed)
    run.stats["dropped_by_final_check"] = dropped
    final = exact_costs(problem, placed)["objective"]
    if final > constructive and first is not None:  # the repair could not win back what the check removed
        placed, _ = _keep_valid(problem, first)
        final = exact_costs(problem, placed)["objective"]
    return placed, final


def _settle_status(run: _Run, status: SolveOutcome, final: float, bound: float | None) -> SolveOutcome:
    """Optimal exactly when the final schedule's exact cost meets the proven bound."""
    if status is SolveOutcome.OPTIMAL and (bound is None or final > bound + 1e-6):
        status = SolveOutcome.FEASIBLE  # optimal for the model's travel estimate, not proven for the exact cost
    if bound is not None and final <= bound + 1e-6 and not run.cancelled():
        status = SolveOutcome.OPTIMAL  # the schedule costs what no schedule of the programme can undercut
    return status


def _result(run: _Run, problem: PlanningProblem, placed: dict[int, Placement], status: SolveOutcome,
            constructive: float, final: float, bound: float | None, replan: ReplanRequest | None) -> SolveResult:
    """The schedule document (a re-plan's says what moved and why) and the solve's figures."""
    seconds = time.monotonic() - run.started
    run.stats.update(prepare_seconds=round(run.prepared - run.started, 3),
                     construct_seconds=round(run.constructed - run.prepared, 3))
    schedule = build_schedule(problem, placed, status=status.value, bound=bound, solve_seconds=seconds)
    if replan is not None:
        annotate(problem, schedule)
    run.report("done", final, bound, len(placed))
    return SolveResult(schedule, status, constructive, final, schedule["bound"], run.stats)


# ---------------------------------------------------------------------------------- the CP-SAT model

class _Watcher(cp_model.CpSolverSolutionCallback):
    """Follows CP-SAT's solutions: keeps the best by the exact objective, reports, stops on a cancel."""

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


def _full_model(run: _Run, problem: PlanningProblem, placed: dict[int, Placement],
                bound: float) -> tuple[dict[int, Placement], SolveOutcome, float]:
    """CP-SAT on the whole model, hinted with `placed`, until the deadline; returns the better
    schedule by the exact objective, the status and the bound."""
    before = exact_costs(problem, placed)["objective"]
    mb, built = _hinted_model(run, problem, placed)
    remaining = run.deadline - built
    if remaining <= 0.2:
        return placed, SolveOutcome.FEASIBLE, bound
    solver = _solver(run.params, mb, remaining)
    watcher = _Watcher(mb, run.started, run.total, run.on_progress, run.cancel)
    watcher.floor = bound
    if run.on_progress:
        def on_bound(b):
            run.report("optimize", watcher.best_objective, bound, len(watcher.best))
        solver.best_bound_callback = on_bound
    stopper = _stop_on_cancel(solver, run.cancel)
    code = solver.solve(mb.model, watcher)
    if stopper:
        stopper.set()
    run.stats.update(cp_status=solver.status_name(code), solutions=watcher.solutions,
                     model_objective=solver.objective_value / SCALE if watcher.solutions else None)
    return _model_outcome(run, problem, placed, before, bound, solver, code, watcher)


def _hinted_model(run: _Run, problem: PlanningProblem, placed: dict[int, Placement]) -> tuple[ModelBuilder, float]:
    """The CP-SAT model of the problem with `placed` as its (completed) hint, and when it was ready."""
    mb = build_model(problem)
    decisions = _hint(mb, problem, placed)
    run.stats["hint_complete"] = _complete_hint(mb, decisions, min(5.0, run.params.time_limit / 10))
    built = time.monotonic()
    run.stats.update(variables=len(mb.model.proto.variables), constraints=len(mb.model.proto.constraints),
                     build_seconds=round(built - run.started, 3))
    return mb, built


def _solver(params: SolveParams, mb: ModelBuilder, seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the solve's options for `seconds`."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
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
    return solver


def _model_outcome(run: _Run, problem: PlanningProblem, placed: dict[int, Placement], before: float, bound: float,
                   solver: cp_model.CpSolver, code, watcher: _Watcher
                   ) -> tuple[dict[int, Placement], SolveOutcome, float]:
    """What the model's search gives: its best schedule when not dearer than `placed` (exact
    objective), and its bound and optimality when they hold for the programme."""
    status = SolveOutcome.FEASIBLE
    # The model's bound holds for the cohorts as formed; it bounds the programme only when no
    # other way of forming them exists, and only with exact travel gaps.
    exact = all(g.exact for g in (*problem.trainer_pads.values(), *problem.interpreter_pads.values()))
    run.stats["travel_exact"] = exact
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        proven = exact and cohorts_forced(problem)
        if proven:
            bound = max(bound, solver.best_objective_bound / SCALE)
        if watcher.best_objective is not None and watcher.best_objective <= before:
            if _replays(problem, watcher.best):
                placed = watcher.best
            else:  # the model sees daily rest between two sessions only through the candidates
                run.stats["model_schedule_not_replayed"] = True
                log.info("the model's schedule breaks a rule the bookings know: the search's is kept")
        if code == cp_model.OPTIMAL and proven and not run.cancelled():
            status = SolveOutcome.OPTIMAL
    elif code == cp_model.INFEASIBLE:
        log.error("the model is infeasible although 'nothing scheduled' is always allowed: a bug")
    return placed, status, bound


def _replays(problem: PlanningProblem, placed: dict[int, Placement]) -> bool:
    """Whether `placed`, replayed in time order, keeps every rule the bookings know (as the
    final check will ask). Why: the model sees daily rest between two sessions only through
    the candidates; on planted industry S 58 its schedule lost a session to the final check
    (1 out, 1.20 of the planted cost) where the search's was complete."""
    book = Bookings(problem)
    for i in _in_time_order(problem, placed):
        if book.broken_rule(placed[i]):
            return False
        book.book(placed[i])
    return True


def _in_time_order(problem: PlanningProblem, placed: dict[int, Placement]) -> list[int]:
    """The placed sessions by start, as the final check replays them."""
    return sorted(placed, key=lambda i: problem.options[i].candidates[placed[i].candidate].start)


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
        mb.model.add_hint(cast(cp_model.IntVar, var), value)  # every decision is one of the model's 0-1 variables
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
    for i in _in_time_order(problem, placed):
        pl, s = placed[i], problem.sessions[i]
        if s.key.cohort in stopped:
            continue
        failed = book.broken_rule(pl)
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
