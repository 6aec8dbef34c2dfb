"""Solving an ITC-2007 instance with modulplan's own engine: the programme of `engine_input`,
the constructive schedule and the ruin-and-recreate search the product runs (the same
`construct` and `improve_in_parallel` as `scheduler.solve.whole`), nothing of its own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.itc2007_adapter.engine_input import ItcCosts, lectures_of, planning_problem
from benchmarks.itc2007_adapter.instance import Instance, Lecture
from scheduler.search.construct import construct
from scheduler.search.engine import improve_in_parallel


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds of wall time for the whole solve
    workers: int = 0  # searches at once (processes); 0: one per core (at most 8)
    seed: int = 0
    marks: tuple[float, ...] = ()  # also note the best cost at these seconds (the benchmark's 60 s column)

    @property
    def searches(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class Progress:
    phase: str  # "construct" | "search" | "done"
    elapsed: float
    cost: int | None
    unscheduled: int


@dataclass
class SolveResult:
    lectures: list[Lecture]  # the solution, in the instance's ids
    cost: int  # the engine's cost of that solution (the official weights); unscheduled lectures not included
    breakdown: dict[str, int]
    unscheduled: int  # lectures the engine could not place (0 for a complete timetable)
    constructive_cost: int | None
    first_feasible_seconds: float | None  # when the first complete timetable existed
    seconds: float
    at_marks: dict[float, int | None] = field(default_factory=dict)  # mark -> best complete cost by then
    stats: dict = field(default_factory=dict)
    optimal: bool = False  # the search proves nothing


ProgressFn = Callable[[Progress], None]


def breakdown(inst: Instance, problem, placed) -> dict[str, int]:
    """The four soft costs of a schedule, as the engine's term counts them."""
    costs = ItcCosts(inst, problem)
    for pl in placed.values():
        costs.change(pl, +1)
    return costs.totals()


def solve(inst: Instance, params: SolveParams | None = None, *, on_progress: ProgressFn | None = None) -> SolveResult:
    """Constructive schedule, then the product's search until the time limit."""
    params = params or SolveParams()
    started = time.monotonic()
    deadline = started + params.time_limit
    problem = planning_problem(inst)
    placed = construct(problem)
    n = len(problem.sessions)
    weight = problem.scenario.weights["unscheduled_session"]
    first: list[float | None] = [None]
    marks = sorted(params.marks)
    at_marks: dict[float, int | None] = {}

    def soft(cost: float, count: int) -> int:
        return int(round(cost - (n - count) * weight))

    constructive = soft(sum(ItcCosts(inst, problem).change(pl, 1) for pl in placed.values()), n) \
        if len(placed) == n else None
    if len(placed) == n:
        first[0] = time.monotonic() - started
    if on_progress:
        on_progress(Progress("construct", time.monotonic() - started, constructive, n - len(placed)))
    best: list[int | None] = [constructive]

    def on_step(schedule, cost: float, sessions: int) -> None:
        now = time.monotonic() - started
        while marks and now >= marks[0]:
            at_marks[marks.pop(0)] = best[0]
        if len(schedule) == sessions:
            best[0] = soft(cost, len(schedule))
            if first[0] is None:
                first[0] = now
        if on_progress:
            on_progress(Progress("search", now, best[0], sessions - len(schedule)))

    problem, placed, stats = improve_in_parallel(problem, placed, deadline=deadline, seed=params.seed,
                                                 searches=params.searches, on_step=on_step)
    for m in marks:  # marks the search passed without a better schedule
        if m <= params.time_limit:
            at_marks[m] = best[0]
    parts = breakdown(inst, problem, placed)
    seconds = time.monotonic() - started
    if on_progress:
        on_progress(Progress("done", seconds, sum(parts.values()), n - len(placed)))
    return SolveResult(lectures_of(inst, problem, placed), sum(parts.values()), parts, n - len(placed), constructive,
                       first[0], seconds, at_marks, stats)
