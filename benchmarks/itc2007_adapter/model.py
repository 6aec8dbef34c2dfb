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
The auxiliary variables are defined exactly (both directions), so the objective of every
solution, not only of an optimal one, is its cost.
Objective (the official weights): RoomCapacity + 5 MinWorkingDays + 2 CurriculumCompactness
+ RoomStability. Curricula with the same set of courses are merged into one group whose
compactness weight is multiplied (the official cost counts each curriculum).

The same builder makes the whole model and the neighbourhood models of the search: given a
base timetable and a `Neighbourhood`, only the free lectures get variables and the fixed
ones enter as constants, so every model's objective is the total cost.

A solve (`solve`):
1. Constructive timetable (`construct`): periods by most-constrained course first, scored
   by what each lecture adds (working days, curriculum neighbours, seats left in the
   period), with ejection when stuck; rooms largest course first (`assign_rooms`), which
   gives the least seat cost per period and mostly one room per course. Milliseconds.
2. Small instances (at most FULL_MODEL_LIMIT room literals: comp01, comp11): CP-SAT on the
   whole model for 40% of the time, with the constructive timetable as a complete hint
   (`_complete_hint`, as in `scheduler.solve.whole`).
3. Large-neighbourhood search (`_lns`) for the rest: one thread per worker picks a
   neighbourhood of the best timetable (`pick_neighbourhood`: a few related courses over the
   week or over two days, with or without the rooms they share, a few periods, a few rooms),
   solves its model with a one-worker CP-SAT from a complete hint for at most 0.4 s, and
   keeps the result if it is no worse; now and then a room-swap pass (`polish_rooms`).
The solution is reported with the model's cost breakdown; the independent evaluator
(`evaluate.py`) re-checks it.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from benchmarks.itc2007_adapter.instance import Instance, Lecture
from scheduler.rules.builder import complete_hint

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
        """The periods just before and just after p on the same day."""
        return self._adjacent[p]

    @cached_property
    def _adjacent(self) -> list[list[int]]:
        return [[q for q, ok in ((p - 1, p % self.ppd > 0), (p + 1, p % self.ppd < self.ppd - 1)) if ok]
                for p in range(self.P)]


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


@dataclass(frozen=True)
class Neighbourhood:
    """What a (sub-)model may change: the lectures of `courses` that lie in `periods` and in
    `rooms` (None: any room) are free: they move within `periods` and between the rooms of
    `rooms` that fixed lectures leave free; with `rooms_only` they keep their periods and
    only their rooms change. Other lectures held in `swap_rooms` keep their periods but may
    change rooms (so a free lecture can take their room). Everything else stays as in the
    base timetable."""

    courses: frozenset[int]
    periods: frozenset[int]
    rooms: frozenset[int] | None = None
    rooms_only: bool = False
    swap_rooms: frozenset[int] | None = None
    kind: str = "all"

    def frees(self, c: int, p: int, r: int) -> bool:
        return c in self.courses and p in self.periods and (self.rooms is None or r in self.rooms)

    def swaps(self, c: int, p: int, r: int) -> bool:
        return self.swap_rooms is not None and r in self.swap_rooms and not self.frees(c, p, r)


@dataclass
class Term:
    name: str
    expr: object
    coef: int


class Itc2007Model:
    """Owns the CP-SAT model and all its variables (see the module docstring).

    Without a neighbourhood every lecture is free (the whole problem). With one, the
    lectures outside it are fixed to `base`: they become constants (a room taken, a period
    blocked for conflicting courses, a curriculum busy, a working day or a room already
    used), and only the free lectures get variables. The objective always adds the fixed
    part as constants, so it is the total cost of the timetable in both cases."""

    def __init__(self, pb: Problem, base: Timetable | None = None, hood: Neighbourhood | None = None):
        self.pb = pb
        if hood is None:
            hood, base = Neighbourhood(frozenset(range(pb.C)), frozenset(range(pb.P))), {}
        self.hood, self.base = hood, base
        self.model = cp_model.CpModel()
        m = self.model
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.z: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.on_day: dict[tuple[int, int], cp_model.IntVar] = {}
        self.short: dict[int, cp_model.IntVar] = {}
        self.reach: dict[int, int] = {}  # short[c] = max(0, reach[c] - days reached by free lectures)
        self.iso: dict[tuple[int, int], cp_model.IntVar] = {}
        self.terms: list[Term] = []
        self.constant = dict.fromkeys(WEIGHTS, 0)
        # The fixed part.
        F, W = hood.courses, hood.periods
        self.fixed: Timetable = {(c, p): r for (c, p), r in base.items()
                                 if not hood.frees(c, p, r) and not hood.swaps(c, p, r)}
        #: lectures that keep their period but may change room, per course
        self.room_free: dict[int, list[int]] = defaultdict(list)
        for (c, p), r in base.items():
            if hood.swaps(c, p, r) or (hood.rooms_only and hood.frees(c, p, r)):
                self.room_free[c].append(p)
        self.fixed_periods: list[set[int]] = [set() for _ in range(pb.C)]
        self.fixed_rooms_of: list[set[int]] = [set() for _ in range(pb.C)]
        taken: dict[int, set[int]] = defaultdict(set)
        for (c, p), r in self.fixed.items():
            self.fixed_periods[c].add(p)
            self.fixed_rooms_of[c].add(r)
            taken[p].add(r)
        usable = range(pb.R) if hood.rooms is None and hood.swap_rooms is None else sorted(
            set(hood.rooms if hood.rooms is not None else range(pb.R)) | set(hood.swap_rooms or ()))
        self.free_rooms = {p: [r for r in usable if r not in taken[p]] for p in range(pb.P)}
        # Periods held by lectures that keep their period (fixed or room-free): blocked for
        # conflicting courses.
        self._at: dict[int, set[int]] = defaultdict(set)
        for (c, p) in self.fixed:
            self._at[p].add(c)
        for c, ps in self.room_free.items():
            for p in ps:
                self._at[p].add(c)
        #: lectures each course places freely in time (the others keep their periods)
        self.need = {c: 0 if hood.rooms_only else
                     pb.lectures[c] - len(self.fixed_periods[c]) - len(self.room_free.get(c, ()))
                     for c in sorted(F)}
        #: periods that stay busy for each course (fixed and room-free lectures)
        self.kept_periods = [self.fixed_periods[c] | set(self.room_free.get(c, ())) for c in range(pb.C)]
        moving = {c for c in F if self.need[c] > 0} | set(self.room_free)
        self.moving = sorted(moving)
        self.x_periods: dict[int, list[int]] = defaultdict(list)  # periods with an x, per course
        self.timed: dict[int, list[int]] = defaultdict(list)  # periods with a time-free x, per course
        self.z_by_room: dict[tuple[int, int], list] = defaultdict(list)  # z literals per (course, room)
        for c in self.moving:
            keep = set(self.room_free.get(c, ()))
            periods = sorted(keep)
            if self.need.get(c, 0) > 0:
                periods += [p for p in pb.allowed[c] if p in W and p not in self.fixed_periods[c] and p not in keep
                            and not (pb.neighbours[c] & self._at[p])]
            for p in periods:
                rooms = self.free_rooms[p]
                if not rooms:
                    continue
                v = m.new_bool_var(f"x[{c},{p}]")
                self.x[c, p] = v
                self.x_periods[c].append(p)
                zs = []
                for r in rooms:
                    self.z[c, p, r] = m.new_bool_var(f"z[{c},{p},{r}]")
                    self.z_by_room[c, r].append(self.z[c, p, r])
                    zs.append(self.z[c, p, r])
                m.add(sum(zs) == v)
                if p in keep:
                    m.add(v == 1)
                else:
                    self.timed[c].append(p)

    def add_term(self, name: str, expr, coef: int) -> None:
        if not coef:
            return
        if isinstance(expr, int):
            self.constant[name] += coef * expr
        else:
            self.terms.append(Term(name, expr, int(coef)))

    def set_objective(self) -> None:
        self.model.minimize(cp_model.LinearExpr.weighted_sum([t.expr for t in self.terms],
                                                             [t.coef for t in self.terms])
                            + sum(self.constant.values()))

    def term_totals(self, value) -> dict[str, int]:
        out = dict(self.constant)
        for t in self.terms:
            out[t.name] += t.coef * value(t.expr)
        return out

    def timetable(self, solver) -> Timetable:
        """The whole timetable of a solution (`solver`: a CpSolver or a solution callback)."""
        tt = dict(self.fixed)
        tt.update({(c, p): r for (c, p, r), v in self.z.items() if solver.boolean_value(v)})
        return tt

    def decisions(self, tt: Timetable) -> list[tuple[object, int]]:
        """The decisions (x and z) that reproduce timetable `tt`, as (variable, value) pairs."""
        out = [(v, int((c, p) in tt)) for (c, p), v in self.x.items()]
        out += [(v, int(tt.get((c, p)) == r)) for (c, p, r), v in self.z.items()]
        return out

    def full_hint(self, tt: Timetable) -> None:
        """Hint every variable with its value in `tt` (which must agree with the fixed part):
        a complete hint computed directly, for the neighbourhood models."""
        pb, m = self.pb, self.model
        m.clear_hints()
        for var, value in self.decisions(tt):
            m.add_hint(var, value)
        periods: dict[int, set[int]] = defaultdict(set)
        rooms: dict[int, set[int]] = defaultdict(set)
        for (c, p), r in tt.items():
            periods[c].add(p)
            rooms[c].add(r)
        for (c, r), v in self.y.items():
            m.add_hint(v, int(r in rooms[c]))
        for (c, d), v in self.on_day.items():
            m.add_hint(v, int(any(pb.day(p) == d for p in periods[c])))
        for c, v in self.short.items():
            new_days = {pb.day(p) for p in periods[c]} - {pb.day(p) for p in self.kept_periods[c]}
            m.add_hint(v, max(0, self.reach[c] - len(new_days)))
        for (gi, p), v in self.iso.items():
            g = pb.curricula[gi][0]
            busy = lambda q: any(q in periods[c] for c in g)  # noqa: E731, B023 - used at once, in this iteration
            m.add_hint(v, int(busy(p) and not any(busy(q) for q in pb.same_day_neighbours(p))))


# -- hard rules ----------------------------------------------------------------------------


def lectures_rule(pb: Problem, mb: Itc2007Model) -> None:
    """Lectures: every course has exactly its number of lectures, in distinct periods it is
    available in (x only exists for those periods; one x per period makes them distinct)."""
    for c in mb.moving:
        if mb.need.get(c, 0) > 0:
            mb.model.add(sum(mb.x[c, p] for p in mb.timed[c]) == mb.need[c])


def conflicts_rule(pb: Problem, mb: Itc2007Model) -> None:
    """Conflicts: courses of one curriculum, or taught by one teacher, never share a period.
    (A period with a fixed lecture of a conflicting course has no x at all.)"""
    moving = set(mb.moving)
    for g in pb.groups:
        free = [c for c in g if c in moving]
        if len(free) < 2:
            continue
        for p in range(pb.P):
            lits = [mb.x[c, p] for c in free if (c, p) in mb.x]
            if len(lits) > 1:
                mb.model.add_at_most_one(lits)


def room_occupancy_rule(pb: Problem, mb: Itc2007Model) -> None:
    """RoomOccupancy: at most one lecture per room per period (free lectures only get the
    rooms fixed lectures leave free), so at most as many lectures in a period as rooms."""
    for p in range(pb.P):
        here = [c for c in mb.moving if (c, p) in mb.x]
        if len(here) < 2:
            continue
        for r in mb.free_rooms[p]:
            lits = [mb.z[c, p, r] for c in here if (c, p, r) in mb.z]
            if len(lits) > 1:
                mb.model.add_at_most_one(lits)
        if len(here) > len(mb.free_rooms[p]):
            mb.model.add(sum(mb.x[c, p] for c in here) <= len(mb.free_rooms[p]))


HARD_RULES = [lectures_rule, conflicts_rule, room_occupancy_rule]


# -- objective terms -------------------------------------------------------------------


def room_capacity_cost(pb: Problem, mb: Itc2007Model) -> None:
    """RoomCapacity: each lecture costs the number of its students without a seat."""
    w = WEIGHTS["RoomCapacity"]
    mb.add_term("RoomCapacity", sum(pb.penalty[c][r] for (c, p), r in mb.fixed.items()), w)
    for (c, _p, r), v in mb.z.items():
        mb.add_term("RoomCapacity", v, pb.penalty[c][r] * w)


def min_working_days_cost(pb: Problem, mb: Itc2007Model) -> None:
    """MinWorkingDays: 5 per day a course's lectures fall short of its minimum number of
    distinct days. on_day[c, d] can be true only if c has a lecture on day d."""
    m, w = mb.model, WEIGHTS["MinWorkingDays"]
    for c in range(pb.C):
        fixed_days = {pb.day(p) for p in mb.kept_periods[c]}
        if not mb.timed.get(c) or len(fixed_days) >= pb.mwd[c]:
            mb.add_term("MinWorkingDays", max(0, pb.mwd[c] - len(fixed_days)), w)
            continue
        days = []
        for d in range(pb.days):
            if d in fixed_days:
                continue
            lits = [mb.x[c, p] for p in pb.day_periods(d) if p in mb.timed[c]]
            if not lits:
                continue
            v = m.new_bool_var(f"on_day[{c},{d}]")
            m.add_bool_or(lits).only_enforce_if(v)
            for lit in lits:
                m.add_implication(lit, v)
            mb.on_day[c, d] = v
            days.append(v)
        gap = pb.mwd[c] - len(fixed_days)  # days still missing
        reach = min(gap, mb.need.get(c, 0), len(days))
        mb.add_term("MinWorkingDays", gap - reach, w)  # days that can never be reached
        if reach:
            s = m.new_int_var(0, reach, f"short[{c}]")
            m.add_max_equality(s, [0, reach - sum(days)])
            mb.short[c] = s
            mb.reach[c] = reach
            mb.add_term("MinWorkingDays", s, w)


def compactness_cost(pb: Problem, mb: Itc2007Model) -> None:
    """CurriculumCompactness: 2 per lecture of a curriculum with no lecture of the same
    curriculum in the period just before or just after on the same day (per curriculum;
    curricula with the same courses count with their multiplicity)."""
    m, wt = mb.model, WEIGHTS["CurriculumCompactness"]
    moving = set(mb.moving)
    adjacent = pb.same_day_neighbours
    for gi, (g, w) in enumerate(pb.curricula):
        fixed_busy = set().union(*(mb.kept_periods[c] for c in g))
        lits_at: dict[int, list] = defaultdict(list)
        for c in g:
            if c in moving:
                for p in mb.timed.get(c, ()):
                    lits_at[p].append(mb.x[c, p])
        if not lits_at:
            mb.add_term("CurriculumCompactness",
                        sum(1 for p in fixed_busy if not any(q in fixed_busy for q in adjacent(p))), wt * w)
            continue

        def busy(p):
            return int(p in fixed_busy), lits_at.get(p, [])  # noqa: B023 - used at once, in this iteration

        for p in sorted(fixed_busy | set(lits_at)):
            fixed, lits = busy(p)
            nb = [busy(q) for q in adjacent(p)]
            if fixed and any(f for f, _ in nb):
                continue  # never isolated
            if not lits and not any(ls for _, ls in nb):
                mb.add_term("CurriculumCompactness", int(not any(f for f, _ in nb)) * fixed, wt * w)
                continue
            v = m.new_bool_var(f"iso[{gi},{p}]")
            m.add(v >= fixed + sum(lits) - sum(f + sum(ls) for f, ls in nb))
            # ... and only then, so every solution's objective is its exact cost.
            m.add(v <= fixed + sum(lits))
            for f, ls in nb:
                m.add(v <= 1 - f - sum(ls))
            mb.iso[gi, p] = v
            mb.add_term("CurriculumCompactness", v, wt * w)


def room_stability_cost(pb: Problem, mb: Itc2007Model) -> None:
    """RoomStability: 1 per room a course uses beyond its first. y[c, r] is true when a free
    lecture of c is in room r (rooms of its fixed lectures count as constants)."""
    m, w = mb.model, WEIGHTS["RoomStability"]
    moving = set(mb.moving)
    for c in range(pb.C):
        fixed = mb.fixed_rooms_of[c]
        if c not in moving:
            mb.add_term("RoomStability", max(0, len(fixed) - 1), w)
            continue
        for r in range(pb.R):
            if r in fixed:
                continue
            zs = mb.z_by_room.get((c, r))
            if not zs:
                continue
            y = m.new_bool_var(f"y[{c},{r}]")
            for v in zs:
                m.add_implication(v, y)
            m.add_bool_or(zs).only_enforce_if(y)
            mb.y[c, r] = y
        ys = [mb.y[c, r] for r in range(pb.R) if (c, r) in mb.y]
        if not fixed:
            m.add_bool_or(ys)
            mb.add_term("RoomStability", sum(ys) - 1, w)
        else:
            mb.add_term("RoomStability", len(fixed) - 1, w)
            if ys:
                mb.add_term("RoomStability", sum(ys), w)


OBJECTIVE = [room_capacity_cost, min_working_days_cost, compactness_cost, room_stability_cost]


def build_model(pb: Problem, base: Timetable | None = None, hood: Neighbourhood | None = None) -> Itc2007Model:
    """The whole problem (no `hood`) or the neighbourhood `hood` of timetable `base`."""
    mb = Itc2007Model(pb, base, hood)
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
    working days, next to lectures of its curricula, where the period's courses still fit
    the rooms' seats, in a lightly loaded period). When a
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

    caps = sorted(pb.capacity, reverse=True)

    def seat_cost(students: list[int]) -> int:
        """Students without a seat in the best room assignment of one period: the largest
        course in the largest room, and so on (optimal for this cost)."""
        return sum(max(0, a - b) for a, b in zip(sorted(students, reverse=True), caps))

    def score(c: int, p: int) -> float:
        """Roughly the cost this lecture adds in period p (lower is better)."""
        s = 0.0
        d = pb.day(p)
        days = {pb.day(q) for q in periods[c]}
        if d in days:
            s += 5 if len(days) < pb.mwd[c] else 1
        for gi in pb.curricula_of[c]:
            w = pb.curricula[gi][1]
            if any(cur_busy[gi][q] for q in pb.same_day_neighbours(p)):
                s -= 1.5 * w
        here = [pb.students[k] for k in at[p]]
        s += seat_cost(here + [pb.students[c]]) - seat_cost(here)
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
    """Rooms for fixed periods (at most as many lectures per period as rooms). Courses go
    largest first; in each period a course takes a free room with enough seats, preferring
    its home room (the seat-fitting room free in most of its periods) and then rooms it
    already uses; with no such room, the largest free room. Largest first, any room with
    enough seats leaves rooms that seat every smaller course, so the seat cost of each period
    is the least possible; the home room keeps most courses in one room."""
    taken: list[set[int]] = [set() for _ in range(pb.P)]
    tt: Timetable = {}
    for c in sorted(range(pb.C), key=lambda k: (-pb.students[k], -pb.lectures[k], k)):
        ps = sorted(periods[c])
        fits = [r for r in range(pb.R) if pb.capacity[r] >= pb.students[c]]
        home = max(fits, key=lambda r: (sum(1 for p in ps if r not in taken[p]), -pb.capacity[r]), default=None)
        used: set[int] = set()
        for p in ps:
            free = [r for r in fits if r not in taken[p]]
            if home in free:
                r = home
            elif free:
                r = min(free, key=lambda r: (r not in used, pb.capacity[r]))
            else:
                r = max((r for r in range(pb.R) if r not in taken[p]),
                        key=lambda r: (pb.capacity[r], r in used))
            taken[p].add(r)
            used.add(r)
            tt[c, p] = r
    return tt


def polish_rooms(pb: Problem, tt: Timetable) -> Timetable:
    """Room swaps with the periods fixed: a lecture moves to another room of its course, and
    the lecture in that room at that period (if any) takes its place, whenever that lowers
    RoomCapacity + RoomStability. Repeats until no swap helps. (The CP-SAT room neighbourhoods
    prove slow on exactly these chains of swaps; this greedy pass is cheap.)"""
    tt = dict(tt)
    occupant = {(p, r): c for (c, p), r in tt.items()}
    count: list[dict[int, int]] = [defaultdict(int) for _ in range(pb.C)]
    for (c, _p), r in tt.items():
        count[c][r] += 1

    def stab(c: int, gain: int, lose: int) -> int:
        """Change in course c's number of rooms if it gains a lecture in `gain`, loses one in `lose`."""
        if gain == lose:
            return 0
        return (count[c][gain] == 0) - (count[c][lose] == 1)

    improved, passes = True, 0
    while improved and passes < 100:  # every swap lowers the cost, so this ends anyway
        improved, passes = False, passes + 1
        for c, p in sorted(tt):
            r0 = tt[c, p]  # fresh: an earlier swap in this pass may have moved it
            if len([r for r, n in count[c].items() if n]) < 2 and not pb.penalty[c][r0]:
                continue
            for r in sorted((r for r, n in count[c].items() if n and r != r0), key=lambda r: -count[c][r]) or []:
                d = occupant.get((p, r))
                delta = pb.penalty[c][r] - pb.penalty[c][r0] + stab(c, r, r0)
                if d is not None:
                    delta += pb.penalty[d][r0] - pb.penalty[d][r] + stab(d, r0, r)
                if delta < 0:
                    tt[c, p] = r
                    count[c][r0] -= 1
                    count[c][r] += 1
                    occupant[p, r] = c
                    if d is not None:
                        tt[d, p] = r0
                        count[d][r] -= 1
                        count[d][r0] += 1
                        occupant[p, r0] = d
                    else:
                        del occupant[p, r0]
                    improved = True
                    break
    return tt


# -- large-neighbourhood search ---------------------------------------------------------------


def course_blame(pb: Problem, tt: Timetable) -> list[int]:
    """How much of the cost each course takes part in (to pick neighbourhoods where it hurts)."""
    periods: list[set[int]] = [set() for _ in range(pb.C)]
    rooms: list[set[int]] = [set() for _ in range(pb.C)]
    blame = [0] * pb.C
    for (c, p), r in tt.items():
        periods[c].add(p)
        rooms[c].add(r)
        blame[c] += pb.penalty[c][r]
    for c in range(pb.C):
        blame[c] += 5 * max(0, pb.mwd[c] - len({pb.day(p) for p in periods[c]})) + len(rooms[c]) - 1
    for g, w in pb.curricula:
        for c in g:
            for p in periods[c]:
                if not any(q in periods[k] for k in g for q in pb.same_day_neighbours(p)):
                    blame[c] += 2 * w
    return blame


def pick_neighbourhood(pb: Problem, tt: Timetable, kind: str, size: int, rng: random.Random) -> Neighbourhood:
    """A neighbourhood of `kind`:
      courses  about `size` courses, grown from a course that takes part in the cost through
               its curricula and teacher; all their lectures move over the whole week
      days     like courses (more of them), but only their lectures on two days move,
               within those two days
      course_rooms  like courses, and the other lectures in the rooms those courses use
               may change rooms (keeping their periods), so a course can gather in one room
      periods  all lectures in `size` periods move between those periods
      rooms    the lectures in `size` rooms (those of a course with a room cost, and rooms of
               similar capacity) keep their periods and swap rooms
    """
    allp = frozenset(range(pb.P))
    allc = frozenset(range(pb.C))
    if kind == "rooms":
        # The rooms of a course that uses several (or sits in too small a room), topped up
        # with rooms of similar capacity: their lectures keep their periods and swap rooms.
        used: dict[int, set[int]] = defaultdict(set)
        for (c, _p), r in tt.items():
            used[c].add(r)
        bad = [c for c in range(pb.C) if len(used[c]) > 1 or any(pb.penalty[c][r] for r in used[c])]
        rooms = set(used[rng.choice(bad)]) if bad else {rng.randrange(pb.R)}
        while len(rooms) < min(size, pb.R):
            r0 = rng.choice(sorted(rooms))
            rooms.add(min((r for r in range(pb.R) if r not in rooms),
                          key=lambda r: (abs(pb.capacity[r] - pb.capacity[r0]), rng.random())))
        return Neighbourhood(allc, allp, frozenset(rooms), rooms_only=True, kind=kind)
    if kind == "periods":
        return Neighbourhood(allc, frozenset(rng.sample(range(pb.P), min(size, pb.P))), kind=kind)
    periods = allp
    if kind == "days":
        days = rng.sample(range(pb.days), min(2, pb.days))
        periods = frozenset(p for d in days for p in pb.day_periods(d))
    blame = course_blame(pb, tt)
    seed = rng.choices(range(pb.C), weights=[1 + b for b in blame])[0]
    chosen = {seed}
    frontier = list(pb.neighbours[seed])
    while len(chosen) < size:
        if not frontier:
            frontier = [c for c in range(pb.C) if c not in chosen]
            if not frontier:
                break
        c = rng.choices(frontier, weights=[1 + blame[k] for k in frontier])[0]
        frontier.remove(c)
        if c in chosen:
            continue
        chosen.add(c)
        frontier += [n for n in pb.neighbours[c] if n not in chosen]
    swap = None
    if kind == "course_rooms":
        swap = frozenset(r for (c, p), r in tt.items() if c in chosen)
    return Neighbourhood(frozenset(chosen), periods, swap_rooms=swap, kind=kind)


# -- solving ---------------------------------------------------------------------------------

#: Above this many room-assignment literals (z) the whole model is not solved directly: its
#: presolve alone takes seconds and CP-SAT's own LNS moves slowly on it (measured on comp07,
#: 65 000 literals: 375 after 60 s against about 230 with the neighbourhood search).
FULL_MODEL_LIMIT = 8_000

#: Neighbourhood kinds, their starting sizes and time limits per sub-solve (seconds).
KINDS = {"courses": (5, 0.4), "days": (10, 0.4), "course_rooms": (3, 0.4), "periods": (2, 0.4),
         "rooms": (4, 0.4)}


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds of wall time for the whole solve
    workers: int = 0  # 0: one per core (at most 8)
    seed: int = 0
    log_search: bool = False  # CP-SAT's log of the whole-model solve into logging

    @property
    def num_workers(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class Progress:
    phase: str  # "construct" | "optimize" (whole model) | "lns" | "done"
    elapsed: float
    cost: int | None
    bound: float | None


@dataclass
class SolveResult:
    lectures: list[Lecture]  # the solution, in the instance's ids
    cost: int  # the model's cost of that solution (the official weights)
    breakdown: dict[str, int]  # the model's cost per term (weighted)
    bound: float | None  # CP-SAT's proven lower bound, if the whole model was solved
    optimal: bool
    constructive_cost: int | None
    first_feasible_seconds: float | None  # when the first complete timetable existed
    seconds: float
    stats: dict = field(default_factory=dict)


ProgressFn = Callable[[Progress], None]


def is_feasible(pb: Problem, tt: Timetable) -> bool:
    """Every hard rule, checked on a timetable (the model's own check, used when two
    neighbourhood results are merged; the evaluator is the independent one)."""
    periods: list[list[int]] = [[] for _ in range(pb.C)]
    rooms_at: set[tuple[int, int]] = set()
    at: list[set[int]] = [set() for _ in range(pb.P)]
    for (c, p), r in tt.items():
        if (p not in pb.allowed[c]) or (r, p) in rooms_at:
            return False
        rooms_at.add((r, p))
        periods[c].append(p)
        at[p].add(c)
    if any(len(periods[c]) != pb.lectures[c] for c in range(pb.C)):
        return False
    return all(not (pb.neighbours[c] & at[p]) for (c, p) in tt)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, mb: Itc2007Model, on_solution: Callable[[Timetable, float], None]):
        super().__init__()
        self.mb, self.on_solution = mb, on_solution
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.on_solution(self.mb.timetable(self), self.best_objective_bound)


def _complete_hint(mb: Itc2007Model, decisions: list[tuple[object, int]], seconds: float) -> bool:
    if complete_hint(mb.model, decisions, seconds):
        return True
    log.warning("the constructive timetable is not a solution of the model; CP-SAT starts without it")
    return False


def to_lectures(inst: Instance, tt: Timetable) -> list[Lecture]:
    ppd = inst.periods_per_day
    return [Lecture(inst.courses[c].id, inst.rooms[r].id, p // ppd, p % ppd) for (c, p), r in sorted(tt.items())]


class _Best:
    """The best timetable so far, shared by the search threads."""

    def __init__(self, pb: Problem, started: float, on_progress: ProgressFn | None):
        self.pb, self.started, self.on_progress = pb, started, on_progress
        self.lock = threading.Lock()
        self.tt: Timetable | None = None
        self.cost: int | None = None
        self.version = 0
        self.first: float | None = None
        self.bound: float | None = None

    def offer(self, tt: Timetable, phase: str, allow_equal: bool = False) -> bool:
        """Take `tt` if it is better (or as good, with `allow_equal`); True if taken."""
        cost = sum(timetable_cost(self.pb, tt).values())
        with self.lock:
            if self.first is None:
                self.first = time.monotonic() - self.started
            better = self.cost is None or cost < self.cost
            if better or (allow_equal and cost == self.cost):
                self.tt, self.cost = tt, cost
                self.version += 1
                if better and self.on_progress:
                    self.on_progress(Progress(phase, time.monotonic() - self.started, cost, self.bound))
                return True
            return False


def _solve_whole(pb: Problem, best: _Best, params: SolveParams, seconds: float, stats: dict) -> bool:
    """CP-SAT on the whole model, hinted with the best timetable. True if proven optimal."""
    mb = build_model(pb)
    if best.tt is not None:
        stats["hint_complete"] = _complete_hint(mb, mb.decisions(best.tt), min(5.0, seconds / 5))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = params.num_workers
    solver.parameters.random_seed = params.seed
    if params.log_search:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = log.info

    def on_solution(tt: Timetable, bound: float) -> None:
        best.bound = max(0.0, bound)  # every cost term is >= 0; CP-SAT's early bound can be below
        best.offer(tt, "optimize")

    watcher = _Watcher(mb, on_solution)
    code = solver.solve(mb.model, watcher)
    stats.update(whole_model_status=solver.status_name(code), whole_model_solutions=watcher.solutions,
                 variables=len(mb.model.proto.variables))
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best.bound = max(0.0, solver.best_objective_bound)
        best.offer(mb.timetable(solver), "optimize")
    return code == cp_model.OPTIMAL


def _merge(pb: Problem, current: Timetable, old: Timetable, new: Timetable) -> Timetable | None:
    """Apply the changes from `old` to `new` onto `current` (another thread may have moved
    on meanwhile); None if the result breaks a hard rule."""
    merged = dict(current)
    for key in old.keys() - new.keys():
        if merged.get(key) == old[key]:
            del merged[key]
        else:
            return None
    for key, r in new.items():
        if old.get(key) != r:
            merged[key] = r
    return merged if is_feasible(pb, merged) else None


def _lns(pb: Problem, best: _Best, deadline: float, threads: int, seed: int, stats: dict) -> None:
    """Large-neighbourhood search until `deadline`: `threads` loops, each picking a
    neighbourhood of the best timetable (kinds chosen by their recent gain per second),
    re-optimizing it with a one-worker CP-SAT from a complete hint, and merging the result
    into the best timetable if it is no worse (sideways moves keep the search moving); every
    tenth step is a room-swap pass (`polish_rooms`) instead."""
    gain = {k: 1.0 for k in KINDS}
    size = {k: s for k, (s, _) in KINDS.items()}
    counts = {k: [0, 0] for k in KINDS}  # tried, improved
    lock = threading.Lock()

    def loop(tid: int) -> None:
        rng = random.Random(seed * 1000 + tid)
        n = 0
        while True:
            left = deadline - time.monotonic()
            if left < 0.05:
                return
            n += 1
            if n % 10 == 0:  # a cheap room-swap pass on the best timetable now and then
                with best.lock:
                    base = best.tt
                polished = polish_rooms(pb, base)
                if polished != base:
                    with best.lock:
                        current = best.tt
                    merged = polished if current is base else _merge(pb, current, base, polished)
                    if merged is not None:
                        best.offer(merged, "lns")
            with lock:
                kinds = list(KINDS)
                kind = rng.choices(kinds, weights=[0.05 + gain[k] for k in kinds])[0]
                k_size = size[kind]
            with best.lock:
                base = best.tt
            hood = pick_neighbourhood(pb, base, kind, k_size, rng)
            t0 = time.monotonic()
            mb = build_model(pb, base, hood)
            mb.full_hint(base)
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = max(0.05, min(KINDS[kind][1], deadline - time.monotonic()))
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = rng.randrange(1 << 30)
            # Measured on comp07: without the LP relaxation (weak here) a sub-solve finds
            # better neighbours within the same time.
            solver.parameters.linearization_level = 0
            with lock:
                active[tid] = solver
            code = solver.solve(mb.model)
            with lock:
                active.pop(tid, None)
            took = time.monotonic() - t0
            if took > 3 * KINDS[kind][1] + 1:
                log.warning("a %s sub-solve (%d variables) took %.1f s", kind, len(mb.model.proto.variables), took)
            improved = 0
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = mb.timetable(solver)
                with best.lock:
                    current = best.tt
                merged = new if current is base else _merge(pb, current, base, new)
                if merged is not None:
                    before = best.cost
                    if best.offer(merged, "lns", allow_equal=True):
                        improved = max(0, before - best.cost)
            with lock:
                counts[kind][0] += 1
                counts[kind][1] += improved > 0
                gain[kind] = 0.7 * gain[kind] + 0.3 * improved / max(took, 0.05)
                # Sizes where sub-solves end optimal well within their limit do best (measured).
                fast = code == cp_model.OPTIMAL and took < 0.5 * KINDS[kind][1]
                low, high = {"courses": (3, 15), "days": (4, 30), "course_rooms": (1, 8),
                              "periods": (2, 6)}.get(kind, (0, 0))
                if high:
                    size[kind] = min(high, size[kind] + 1) if fast else (
                        size[kind] if code == cp_model.OPTIMAL else max(low, size[kind] - 1))

    active: dict[int, cp_model.CpSolver] = {}
    workers = [threading.Thread(target=loop, args=(t,), daemon=True) for t in range(threads)]
    for w in workers:
        w.start()
    # A watchdog: CP-SAT has been seen to overrun its time limit (in presolve); past the
    # deadline the running sub-solves are told to stop.
    while any(w.is_alive() for w in workers):
        for w in workers:
            w.join(timeout=0.1)
        if time.monotonic() > deadline + 0.2:
            with lock:
                for solver in active.values():
                    solver.stop_search()
    stats["lns"] = {k: {"tried": a, "improved": b} for k, (a, b) in counts.items()}
    stats["lns_sizes"] = dict(size)


def _first_timetable(pb: Problem, params: SolveParams, deadline: float) -> Timetable | None:
    """The constructive timetable; if it fails, other seeds, then CP-SAT on the whole model
    (first solution) for what time is left."""
    for k in range(5):
        tt = construct(pb, params.seed + k)
        if tt is not None:
            return tt
        if time.monotonic() > deadline:
            return None
    mb = build_model(pb)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = params.num_workers
    solver.parameters.stop_after_first_solution = True
    if solver.solve(mb.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return mb.timetable(solver)
    return None


def solve(inst: Instance, params: SolveParams | None = None, *, on_progress: ProgressFn | None = None) -> SolveResult:
    """Constructive timetable -> CP-SAT on the whole model (small instances) -> LNS.
    Ends within `params.time_limit` seconds (plus the time of one sub-solve at most)."""
    params = params or SolveParams()
    started = time.monotonic()
    deadline = started + params.time_limit
    pb = Problem(inst)
    best = _Best(pb, started, on_progress)
    stats: dict = {}

    tt0 = _first_timetable(pb, params, deadline - 0.1)
    constructive = None
    if tt0 is not None:
        best.offer(tt0, "construct")
        constructive = best.cost
    stats["construct_seconds"] = round(time.monotonic() - started, 3)

    optimal = False
    z_count = sum(len(pb.allowed[c]) * pb.R for c in range(pb.C))
    stats["z_literals"] = z_count
    if z_count <= FULL_MODEL_LIMIT or best.tt is None:
        share = 1.0 if best.tt is None else 0.4
        seconds = (deadline - time.monotonic()) * share
        if seconds > 0.2:
            optimal = _solve_whole(pb, best, params, seconds, stats)
    if best.tt is None:
        raise RuntimeError("no timetable found within the time limit")
    if not optimal and deadline - time.monotonic() > 0.1:
        _lns(pb, best, deadline, params.num_workers, params.seed, stats)

    tt = best.tt
    breakdown = timetable_cost(pb, tt)
    if on_progress:
        on_progress(Progress("done", time.monotonic() - started, best.cost, best.bound))
    return SolveResult(to_lectures(inst, tt), sum(breakdown.values()), breakdown, best.bound, optimal, constructive,
                       best.first, time.monotonic() - started, stats)
