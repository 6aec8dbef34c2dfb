"""ITC-2007 Track 3 as a CP-SAT model: builder, rules, constructive start, solve.

In the scheduler's terms a course's lectures are sessions, each held in one start slot
(period) and one room; curricula and teachers (trainers) are conflicting groups; course
unavailability removes start slots. `Itc2007Model` owns every solver variable:

  x[c, p]      bool: course c has a lecture in period p (only periods c is available in)
  z[c, p, r]   bool: ... and it is held in room r;  sum_r z[c, p, r] = x[c, p]
  y[c, r]      bool: course c uses room r at least once (room stability)
  on_day[c, d] bool: course c has a lecture on day d (counted up to MinWorkingDays)
  short[c]     int:  missing working days of course c
  iso[g, p]    bool: curriculum g has an isolated lecture in period p

Hard rules (one function each below): lecture count, conflicting groups, room occupancy.
Objective (the official weights): RoomCapacity + 5 MinWorkingDays + 2 CurriculumCompactness
+ RoomStability. Curricula with the same set of courses are merged into one group whose
compactness weight is multiplied (the official cost counts each curriculum).

A solve: a constructive timetable (most-constrained course first, with ejection when
stuck), given to CP-SAT as a complete hint; then CP-SAT on the whole model for a share of
the time and a large-neighbourhood search (LNS) on the rest: a few days, curricula or rooms
are freed, everything else is fixed to the best solution, and the sub-model is solved
hinted. The solution is reported with the model's cost breakdown; the independent
evaluator (`evaluate.py`) re-checks it.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from .instance import Instance, Lecture

log = logging.getLogger("modulplan.itc2007")

WEIGHTS = {"RoomCapacity": 1, "MinWorkingDays": 5, "CurriculumCompactness": 2, "RoomStability": 1}


# -- the problem in index form ------------------------------------------------------------


class Problem:
    """Indexes and derived facts the model and the constructive timetable share."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.C, self.R, self.P = len(inst.courses), len(inst.rooms), inst.periods
        self.ppd, self.days = inst.periods_per_day, inst.days
        cidx = {c.id: k for k, c in enumerate(inst.courses)}
        self.lectures = [c.lectures for c in inst.courses]
        self.students = [c.students for c in inst.courses]
        self.mwd = [c.min_working_days for c in inst.courses]
        self.capacity = [r.capacity for r in inst.rooms]
        #: penalty[c][r]: students of c without a seat in r, per lecture
        self.penalty = [[max(0, s - cap) for cap in self.capacity] for s in self.students]
        self.allowed = [[p for p in range(self.P) if (c.id, p) not in inst.unavailable] for c in inst.courses]
        # Curricula as sets of course indexes; identical sets merged with a multiplicity.
        mult: dict[frozenset[int], int] = defaultdict(int)
        for q in inst.curricula:
            mult[frozenset(cidx[c] for c in q.courses)] += 1
        self.curricula = sorted((tuple(sorted(g)), w) for g, w in mult.items())
        by_teacher: dict[str, set[int]] = defaultdict(set)
        for k, c in enumerate(inst.courses):
            by_teacher[c.teacher].add(k)
        # Conflicting groups (curricula and teachers) without duplicates and subsets.
        groups = {frozenset(g) for g, _ in self.curricula} | {frozenset(g) for g in by_teacher.values()}
        groups = {g for g in groups if len(g) > 1}
        self.groups = sorted(tuple(sorted(g)) for g in groups if not any(g < h for h in groups))
        self.neighbours: list[set[int]] = [set() for _ in range(self.C)]
        for g in groups:
            for a in g:
                self.neighbours[a] |= g - {a}
        self.curricula_of: list[list[int]] = [[] for _ in range(self.C)]
        for gi, (g, _) in enumerate(self.curricula):
            for c in g:
                self.curricula_of[c].append(gi)

    def day(self, p: int) -> int:
        return p // self.ppd

    def day_periods(self, d: int) -> range:
        return range(d * self.ppd, (d + 1) * self.ppd)

    def same_day_neighbours(self, p: int) -> list[int]:
        s = p % self.ppd
        return [q for q, ok in ((p - 1, s > 0), (p + 1, s < self.ppd - 1)) if ok]


#: A timetable: (course index, period) -> room index
Timetable = dict[tuple[int, int], int]


def timetable_cost(pb: Problem, tt: Timetable) -> dict[str, int]:
    """The objective terms of a timetable as the model defines them (weighted); used for the
    constructive timetable and to pick LNS neighbourhoods. (The evaluator is separate.)"""
    periods: list[set[int]] = [set() for _ in range(pb.C)]
    rooms: list[set[int]] = [set() for _ in range(pb.C)]
    cap = 0
    for (c, p), r in tt.items():
        periods[c].add(p)
        rooms[c].add(r)
        cap += pb.penalty[c][r]
    mwd = sum(max(0, pb.mwd[c] - len({pb.day(p) for p in periods[c]})) for c in range(pb.C))
    iso = 0
    for g, w in pb.curricula:
        busy = set().union(*(periods[c] for c in g))
        iso += w * sum(1 for p in busy if not any(q in busy for q in pb.same_day_neighbours(p)))
    stab = sum(max(0, len(rs) - 1) for rs in rooms)
    return {"RoomCapacity": cap, "MinWorkingDays": 5 * mwd, "CurriculumCompactness": 2 * iso, "RoomStability": stab}


# -- the builder -----------------------------------------------------------------------


@dataclass
class Term:
    name: str
    expr: object
    coef: int


class Itc2007Model:
    """Owns the CP-SAT model and all its variables (see the module docstring)."""

    def __init__(self, pb: Problem):
        self.pb = pb
        self.model = cp_model.CpModel()
        m = self.model
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.z: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.on_day: dict[tuple[int, int], cp_model.IntVar] = {}
        self.short: dict[int, cp_model.IntVar] = {}
        self.iso: dict[tuple[int, int], cp_model.IntVar] = {}
        self.terms: list[Term] = []
        for c in range(pb.C):
            for r in range(pb.R):
                self.y[c, r] = m.new_bool_var(f"y[{c},{r}]")
            for p in pb.allowed[c]:
                self.x[c, p] = m.new_bool_var(f"x[{c},{p}]")
                for r in range(pb.R):
                    self.z[c, p, r] = m.new_bool_var(f"z[{c},{p},{r}]")
                m.add(sum(self.z[c, p, r] for r in range(pb.R)) == self.x[c, p])

    def x_at(self, c: int, p: int):
        """x[c, p], or 0 where c is unavailable."""
        return self.x.get((c, p), 0)

    def add_term(self, name: str, expr, coef: int) -> None:
        if coef:
            self.terms.append(Term(name, expr, int(coef)))

    def set_objective(self) -> None:
        self.model.minimize(cp_model.LinearExpr.weighted_sum([t.expr for t in self.terms],
                                                             [t.coef for t in self.terms]))

    def term_totals(self, value) -> dict[str, int]:
        out = dict.fromkeys(WEIGHTS, 0)
        for t in self.terms:
            out[t.name] += t.coef * value(t.expr)
        return out

    def timetable(self, solver) -> Timetable:
        """The timetable of a solution (`solver`: a CpSolver or a solution callback)."""
        return {(c, p): r for (c, p, r), v in self.z.items() if solver.boolean_value(v)}

    def hint(self, tt: Timetable) -> list[tuple[object, int]]:
        """The decisions (x and z) of a timetable, as (variable, value) pairs."""
        out = []
        for (c, p), v in self.x.items():
            out.append((v, int((c, p) in tt)))
        for (c, p, r), v in self.z.items():
            out.append((v, int(tt.get((c, p)) == r)))
        return out


# -- hard rules ----------------------------------------------------------------------------


def lectures_rule(pb: Problem, mb: Itc2007Model) -> None:
    """Lectures: every course has exactly its number of lectures, in distinct periods it is
    available in (x only exists for those periods; one x per period makes them distinct)."""
    for c in range(pb.C):
        mb.model.add(sum(mb.x[c, p] for p in pb.allowed[c]) == pb.lectures[c])


def conflicts_rule(pb: Problem, mb: Itc2007Model) -> None:
    """Conflicts: courses of one curriculum, or taught by one teacher, never share a period."""
    for g in pb.groups:
        for p in range(pb.P):
            lits = [mb.x[c, p] for c in g if (c, p) in mb.x]
            if len(lits) > 1:
                mb.model.add_at_most_one(lits)


def room_occupancy_rule(pb: Problem, mb: Itc2007Model) -> None:
    """RoomOccupancy: at most one lecture per room per period (and so at most as many
    lectures in a period as there are rooms)."""
    for p in range(pb.P):
        here = [c for c in range(pb.C) if (c, p) in mb.x]
        for r in range(pb.R):
            lits = [mb.z[c, p, r] for c in here]
            if len(lits) > 1:
                mb.model.add_at_most_one(lits)
        if len(here) > pb.R:
            mb.model.add(sum(mb.x[c, p] for c in here) <= pb.R)


HARD_RULES = [lectures_rule, conflicts_rule, room_occupancy_rule]


# -- objective terms -------------------------------------------------------------------


def room_capacity_cost(pb: Problem, mb: Itc2007Model) -> None:
    """RoomCapacity: each lecture costs the number of its students without a seat."""
    for (c, p, r), v in mb.z.items():
        mb.add_term("RoomCapacity", v, pb.penalty[c][r] * WEIGHTS["RoomCapacity"])


def min_working_days_cost(pb: Problem, mb: Itc2007Model) -> None:
    """MinWorkingDays: 5 per day a course's lectures fall short of its minimum number of
    distinct days. on_day[c, d] can be true only if c has a lecture on day d."""
    m = mb.model
    for c in range(pb.C):
        if pb.mwd[c] <= 1:
            continue  # one lecture anywhere gives one day
        days = []
        for d in range(pb.days):
            lits = [mb.x[c, p] for p in pb.day_periods(d) if (c, p) in mb.x]
            if not lits:
                continue
            v = m.new_bool_var(f"on_day[{c},{d}]")
            m.add_bool_or(lits).only_enforce_if(v)
            mb.on_day[c, d] = v
            days.append(v)
        need = min(pb.mwd[c], pb.lectures[c], len(days)) if days else 0
        floor = pb.mwd[c] - need  # days that can never be reached: a constant cost
        if floor:
            mb.add_term("MinWorkingDays", floor, WEIGHTS["MinWorkingDays"])  # constant
        if need:
            s = m.new_int_var(0, need, f"short[{c}]")
            m.add(s >= need - sum(days))
            mb.short[c] = s
            mb.add_term("MinWorkingDays", s, WEIGHTS["MinWorkingDays"])


def compactness_cost(pb: Problem, mb: Itc2007Model) -> None:
    """CurriculumCompactness: 2 per lecture of a curriculum with no lecture of the same
    curriculum in the period just before or just after on the same day (per curriculum)."""
    m = mb.model
    for gi, (g, w) in enumerate(pb.curricula):
        busy = {p: sum(mb.x_at(c, p) for c in g) for p in range(pb.P)}
        for p in range(pb.P):
            if not any((c, p) in mb.x for c in g):
                continue
            v = m.new_bool_var(f"iso[{gi},{p}]")
            nb = [busy[q] for q in pb.same_day_neighbours(p)]
            m.add(v >= busy[p] - sum(nb))
            mb.iso[gi, p] = v
            mb.add_term("CurriculumCompactness", v, WEIGHTS["CurriculumCompactness"] * w)


def room_stability_cost(pb: Problem, mb: Itc2007Model) -> None:
    """RoomStability: 1 per room a course uses beyond its first. y[c, r] is true when any
    lecture of c is in room r."""
    m = mb.model
    for (c, p, r), v in mb.z.items():
        m.add_implication(v, mb.y[c, r])
    for c in range(pb.C):
        ys = [mb.y[c, r] for r in range(pb.R)]
        m.add_bool_or(ys)
        mb.add_term("RoomStability", sum(ys) - 1, WEIGHTS["RoomStability"])


OBJECTIVE = [room_capacity_cost, min_working_days_cost, compactness_cost, room_stability_cost]


def build_model(pb: Problem) -> Itc2007Model:
    mb = Itc2007Model(pb)
    for rule in HARD_RULES:
        rule(pb, mb)
    for term in OBJECTIVE:
        term(pb, mb)
    mb.set_objective()
    return mb


# -- constructive timetable ---------------------------------------------------------------


def construct(pb: Problem, seed: int = 0, max_steps: int = 50_000) -> Timetable | None:
    """A complete timetable that keeps every hard rule, or None if none was found.

    Periods first: repeatedly the course with the least slack (free periods minus lectures
    still to place) gets a lecture in its best free period (a new day while it is short of
    working days, next to lectures of its curricula, in a lightly loaded period). When a
    course has no free period left, the period with the fewest clashing lectures is taken
    and those lectures are put back in the queue (ejection); recently ejected placements are
    tabu for a while. Rooms second: largest courses first, each in the cheapest room free
    in all its periods (no stability cost), else lecture by lecture in the cheapest free room.
    """
    rng = random.Random(seed)
    C, P, R = pb.C, pb.P, pb.R
    periods: list[set[int]] = [set() for _ in range(C)]
    at: list[set[int]] = [set() for _ in range(P)]
    blocked = [[0] * P for _ in range(C)]  # placed neighbours (conflicting courses) per period
    remaining = list(pb.lectures)
    tabu: dict[tuple[int, int], int] = {}
    cur_busy = [[0] * P for _ in range(len(pb.curricula))]

    def place(c: int, p: int, sign: int) -> None:
        (periods[c].add if sign > 0 else periods[c].discard)(p)
        (at[p].add if sign > 0 else at[p].discard)(c)
        remaining[c] -= sign
        for n in pb.neighbours[c]:
            blocked[n][p] += sign
        for gi in pb.curricula_of[c]:
            cur_busy[gi][p] += sign

    def free(c: int, p: int) -> bool:
        return p not in periods[c] and not blocked[c][p] and len(at[p]) < R

    def score(c: int, p: int) -> float:
        s = 0.0
        d = pb.day(p)
        days = {pb.day(q) for q in periods[c]}
        if d in days:
            s += 5 if len(days) < pb.mwd[c] else 1
        for gi in pb.curricula_of[c]:
            w = pb.curricula[gi][1]
            if any(cur_busy[gi][q] for q in pb.same_day_neighbours(p)):
                s -= 1.5 * w
        s += 0.3 * len(at[p]) / R
        return s + rng.random() * 0.5

    step = 0
    while step < max_steps:
        todo = [c for c in range(C) if remaining[c] > 0]
        if not todo:
            break
        step += 1
        slack = {c: sum(1 for p in pb.allowed[c] if free(c, p)) - remaining[c] for c in todo}
        c = min(todo, key=lambda k: (slack[k], -len(pb.neighbours[k]), rng.random()))
        options = [p for p in pb.allowed[c] if free(c, p)]
        if options:
            place(c, min(options, key=lambda p: score(c, p)), +1)
            continue
        # Ejection: the available period with the fewest clashing lectures.
        best, best_cost = None, None
        for p in pb.allowed[c]:
            if p in periods[c]:
                continue
            clash = [n for n in at[p] if n in pb.neighbours[c]]
            cost = len(clash) + (1 if len(at[p]) - len(clash) >= R else 0)
            cost += 10 * sum(1 for n in clash if tabu.get((n, p), -1) > step)
            cost += rng.random()
            if best_cost is None or cost < best_cost:
                best, best_cost = p, cost
        if best is None:
            return None  # more lectures than available periods
        p = best
        out = [n for n in at[p] if n in pb.neighbours[c]]
        if len(at[p]) - len(out) >= R:
            rest = [n for n in at[p] if n not in out]
            out.append(rng.choice(rest))
        for n in out:
            place(n, p, -1)
            tabu[n, p] = step + 10 + rng.randrange(10)
        place(c, p, +1)
        tabu[c, p] = step + 5
    if any(remaining):
        return None
    return assign_rooms(pb, periods)


def assign_rooms(pb: Problem, periods: list[set[int]]) -> Timetable:
    """Rooms for fixed periods (at most as many lectures per period as rooms): largest courses
    first, each in the cheapest room free in all its periods, else lecture by lecture."""
    taken: list[set[int]] = [set() for _ in range(pb.P)]
    tt: Timetable = {}
    by_cost = lambda c: sorted(range(pb.R), key=lambda r: (pb.penalty[c][r], pb.capacity[r]))  # noqa: E731
    later = []
    for c in sorted(range(pb.C), key=lambda k: (-pb.students[k], -pb.lectures[k])):
        home = next((r for r in by_cost(c) if all(r not in taken[p] for p in periods[c])), None)
        if home is None:
            later.append(c)
            continue
        for p in periods[c]:
            taken[p].add(home)
            tt[c, p] = home
    for c in later:
        order = by_cost(c)
        for p in sorted(periods[c]):
            r = next(r for r in order if r not in taken[p])
            taken[p].add(r)
            tt[c, p] = r
    return tt


# -- solving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds of wall time for the whole solve
    workers: int = 0  # 0: one per core (at most 8)
    seed: int = 0
    log_search: bool = False

    @property
    def num_workers(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class Progress:
    phase: str  # "construct" | "optimize" | "lns" | "done"
    elapsed: float
    cost: int | None
    bound: float | None


@dataclass
class SolveResult:
    lectures: list[Lecture]  # the solution, in the instance's ids
    cost: int  # the model's objective of that solution (the official weights)
    breakdown: dict[str, int]  # the model's cost per term (weighted)
    bound: float | None  # CP-SAT's proven lower bound on the whole model, if it ran on it
    constructive_cost: int | None
    first_feasible_seconds: float | None  # when the first complete timetable existed
    seconds: float
    stats: dict = field(default_factory=dict)


ProgressFn = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, mb: Itc2007Model, started: float, on_solution: Callable[[Timetable, int], None]):
        super().__init__()
        self.mb, self.started, self.on_solution = mb, started, on_solution
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.on_solution(self.mb.timetable(self), round(self.objective_value))


def _complete_hint(mb: Itc2007Model, decisions: list[tuple[object, int]], seconds: float) -> bool:
    """Turn the hinted decisions into a complete hint: solve a copy with the decisions fixed
    (pure propagation) and hint every variable with the result (as `scheduler.solve` does).
    A complete, feasible hint lets CP-SAT start from the constructive timetable."""
    fixed = mb.model.clone()
    fixed.clear_hints()  # the objective stays: the auxiliary variables take their cheapest values
    for var, value in decisions:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = 1
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.warning("the constructive timetable is not a solution of the model; CP-SAT starts without it")
        return False
    mb.model.clear_hints()
    for k in range(len(mb.model.proto.variables)):
        var = mb.model.get_int_var_from_proto_index(k)
        mb.model.add_hint(var, solver.value(fixed.get_int_var_from_proto_index(k)))
    return True


def to_lectures(inst: Instance, tt: Timetable) -> list[Lecture]:
    ppd = inst.periods_per_day
    return [Lecture(inst.courses[c].id, inst.rooms[r].id, p // ppd, p % ppd) for (c, p), r in sorted(tt.items())]


def solve(inst: Instance, params: SolveParams | None = None, *, on_progress: ProgressFn | None = None) -> SolveResult:
    params = params or SolveParams()
    started = time.monotonic()
    pb = Problem(inst)
    best: dict = {"tt": None, "cost": None, "first": None}

    def report(phase: str, bound=None) -> None:
        if on_progress:
            on_progress(Progress(phase, time.monotonic() - started, best["cost"], bound))

    def offer(tt: Timetable, cost: int) -> None:
        if best["first"] is None:
            best["first"] = time.monotonic() - started
        if best["cost"] is None or cost < best["cost"]:
            best["tt"], best["cost"] = tt, cost

    tt0 = construct(pb, params.seed)
    constructive = None
    if tt0 is not None:
        constructive = sum(timetable_cost(pb, tt0).values())
        offer(tt0, constructive)
    report("construct")

    mb = build_model(pb)
    stats = {"variables": len(mb.model.proto.variables), "constraints": len(mb.model.proto.constraints)}
    if tt0 is not None:
        stats["hint_complete"] = _complete_hint(mb, mb.hint(tt0), min(5.0, params.time_limit / 10))
    stats["build_seconds"] = round(time.monotonic() - started, 2)
    remaining = params.time_limit - (time.monotonic() - started) - 0.2
    bound = None
    if remaining > 0.1:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = remaining
        solver.parameters.num_workers = params.num_workers
        solver.parameters.random_seed = params.seed
        if params.log_search:
            solver.parameters.log_search_progress = True
            solver.parameters.log_to_stdout = False
            solver.log_callback = log.info

        def on_solution(tt, cost):
            offer(tt, cost)
            report("optimize", solver.best_objective_bound if False else None)

        watcher = _Watcher(mb, started, on_solution)
        code = solver.solve(mb.model, watcher)
        stats.update(cp_status=solver.status_name(code), solutions=watcher.solutions)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = solver.best_objective_bound
    if best["tt"] is None:
        raise RuntimeError("no timetable found within the time limit")
    tt = best["tt"]
    breakdown = timetable_cost(pb, tt)
    report("done", bound)
    return SolveResult(to_lectures(inst, tt), sum(breakdown.values()), breakdown, bound, constructive,
                       best["first"], time.monotonic() - started, stats)
