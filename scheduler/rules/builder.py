"""The CP-SAT model. `ModelBuilder` owns every solver variable; the rules in
`scheduler.rules` add constraints and objective terms through it.

Variables per cohort session i (only sessions with at least one candidate start):
  present[i]      bool: the session is scheduled
  pick[i][k]      bool per candidate start k (see `problem.SessionOptions`); sum = present[i]
  start[i]        int minutes, = sum_k start_k * pick[i][k]
  day[i], week[i] date ordinal / running ISO week of the start (linear in pick, made on demand)
  interval[i]     optional interval [start, start + duration), present[i]
  teaches[i, t]   bool per qualified trainer; with an optional interval per trainer
  in_room[i, r]   bool per fitting room; with an optional interval per room
  interprets[i,j] bool per interpreter speaking a needed language; optional interval
All costs are integers in 1/60 of a currency unit (`SCALE`) so hourly rates per
minute stay exact.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from scheduler.prepare.problem import PlanningProblem

SCALE = 60  # objective unit: 1/60 currency unit, so rate-per-hour x minutes is exact


@dataclass
class Term:
    """One weighted objective term: coefficient x literal/int var, with its name."""

    name: str
    expr: object
    coef: int


class ModelBuilder:
    """Owns every CP-SAT variable of one model.

    `options` may replace the problem's session options (for a neighbourhood of a large
    problem): sessions with no candidates are left out, and the `pinned`
    sessions keep their one given candidate, trainer, room and interpreters: they are part
    of the model only as fixed occupancy of the resources the free sessions might use."""

    def __init__(self, problem: PlanningProblem, options: list | None = None, pinned: frozenset[int] = frozenset()):
        self.problem = problem
        self.options = options if options is not None else problem.options
        self.pinned = pinned
        self.fixed_cohorts = {problem.sessions[i].key.cohort for i in pinned}
        self.model = cp_model.CpModel()
        m = self.model
        self.present: dict[int, cp_model.IntVar] = {}
        self.pick: dict[int, list[cp_model.IntVar]] = {}
        self.start: dict[int, cp_model.IntVar] = {}
        self.interval: dict[int, cp_model.IntervalVar] = {}
        self._day: dict[int, cp_model.IntVar] = {}
        self._week: dict[int, cp_model.IntVar] = {}
        self.teaches: dict[tuple[int, str], cp_model.IntVar] = {}
        self.in_room: dict[tuple[int, str], cp_model.IntVar] = {}
        self.interprets: dict[tuple[int, str], cp_model.IntVar] = {}
        self.trainer_intervals: dict[str, list[tuple[int, cp_model.IntervalVar]]] = {}
        self.room_intervals: dict[str, list[tuple[int, cp_model.IntervalVar]]] = {}
        self.interpreter_intervals: dict[str, list[tuple[int, cp_model.IntervalVar]]] = {}
        self.terms: list[Term] = []
        self._at_site: dict = {}
        self._sites: dict = {}
        self.schedulable = [i for i, o in enumerate(self.options) if o.candidates]
        for i in self.schedulable:
            self._session_vars(i)
            if i in pinned:
                m.add(self.present[i] == 1)

    # -- variables --------------------------------------------------------------
    def _session_vars(self, i: int) -> None:
        m, o = self.model, self.options[i]
        s = o.session
        name = f"{s.key.cohort},{s.key.label}"
        p = m.new_bool_var(f"present[{name}]")
        # One literal per candidate start: costs, days and weeks become linear in them,
        # and "trainer t only at the starts t can do" is one linear constraint.
        x = [m.new_bool_var(f"at[{name},{k}]") for k in range(len(o.candidates))]
        m.add(sum(x) == p)
        starts = [c.start for c in o.candidates]
        start = m.new_int_var_from_domain(cp_model.Domain.from_values(sorted(set(starts))), f"start[{name}]")
        m.add(start == self._linear(x, starts, p))
        self.present[i], self.pick[i], self.start[i] = p, x, start
        self.interval[i] = m.new_optional_fixed_size_interval_var(start, s.duration, p, f"session[{i}]")
        for t, allowed in o.trainers.items():
            lit = m.new_bool_var(f"teaches[{i},{t}]")
            self._restrict(x, allowed, lit)
            self.teaches[i, t] = lit
            self.trainer_intervals.setdefault(t, []).append(
                (i, m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"trainer[{i},{t}]")))
        m.add_exactly_one([self.teaches[i, t] for t in o.trainers] + [p.Not()])
        if o.needs_room:
            for r, allowed in o.rooms.items():
                lit = m.new_bool_var(f"in_room[{i},{r}]")
                self._restrict(x, allowed, lit)
                self.in_room[i, r] = lit
                self.room_intervals.setdefault(r, []).append(
                    (i, m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"room[{i},{r}]")))
            m.add_exactly_one([self.in_room[i, r] for r in o.rooms] + [p.Not()])
        for j, allowed in o.interpreters.items():
            lit = m.new_bool_var(f"interprets[{i},{j}]")
            m.add_implication(lit, p)
            self._restrict(x, allowed, lit)
            self.interprets[i, j] = lit
            self.interpreter_intervals.setdefault(j, []).append(
                (i, m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"interpreter[{i},{j}]")))

    @staticmethod
    def _linear(x, values, present):
        """sum(values[k] * x[k]), and values[0] when the session is not scheduled."""
        base = values[0]
        return base + sum((v - base) * xk for v, xk in zip(values, x) if v != base)

    def _restrict(self, x, allowed: Collection[int], lit) -> None:
        if len(allowed) < len(x):
            self.model.add(lit <= sum(x[k] for k in sorted(allowed)))

    def end(self, i: int):
        return self.start[i] + self.problem.sessions[i].duration

    def day(self, i: int):
        """The local date (ordinal) of session i's start."""
        if i not in self._day:
            self._day[i] = self._derived(i, [c.slot.day_number for c in self.options[i].candidates], "day")
        return self._day[i]

    def week(self, i: int):
        """The running ISO week of session i's local start date."""
        if i not in self._week:
            self._week[i] = self._derived(i, [c.slot.week_number for c in self.options[i].candidates], "week")
        return self._week[i]

    def _derived(self, i: int, values: list[int], name: str):
        v = self.model.new_int_var_from_domain(cp_model.Domain.from_values(sorted(set(values))), f"{name}[{i}]")
        self.model.add(v == self._linear(self.pick[i], values, self.present[i]))
        return v

    def sites_of(self, i: int, home: str | None) -> frozenset:
        """Where session i may take place for a person living at `home`."""
        o = self.options[i]
        if not o.needs_room:
            return frozenset([home])
        hit = self._sites.get(i)
        if hit is None:
            hit = self._sites[i] = frozenset(self.problem.site_of_room(r) for r in o.rooms)
        return hit

    def at_site(self, i: int, lit, site: str):
        """A literal: `lit` (someone's assignment to session i) and the session is at `site`."""
        sites = self.sites_of(i, None) if self.options[i].needs_room else None
        if sites is None or len(sites) == 1:
            return lit
        key = (i, lit.index, site)
        if key not in self._at_site:
            here = [self.in_room[i, r] for r in self.options[i].rooms if self.problem.site_of_room(r) == site]
            both = self.model.new_bool_var(f"at_site[{i},{site}]")
            self.model.add(both >= lit + sum(here) - 1)
            self.model.add_implication(both, lit)
            self.model.add(both <= sum(here))
            self._at_site[key] = both
        return self._at_site[key]

    # -- objective --------------------------------------------------------------
    def add_term(self, name: str, expr, coef: float) -> None:
        """Add `coef` x `expr` to the objective as term `name` (coef rounded down to an integer; 0: left out)."""
        if coef:
            self.terms.append(Term(name, expr, int(coef)))

    def set_objective(self) -> None:
        self.model.minimize(cp_model.LinearExpr.weighted_sum([t.expr for t in self.terms],
                                                             [t.coef for t in self.terms]))

    def term_totals(self, value) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.terms:
            out[t.name] = out.get(t.name, 0) + t.coef * value(t.expr)
        return out


def complete_hint(model: cp_model.CpModel, decisions: Sequence[tuple[Any, int]], seconds: float) -> bool:
    """True when `complete_hint_status` completed the hint."""
    return complete_hint_status(model, decisions, seconds) == "complete"


def complete_hint_status(model: cp_model.CpModel, decisions: Sequence[tuple[Any, int]], seconds: float) -> str:
    """Turn a hint of the decisions into a complete one: solve a copy with the decisions fixed
    (pure propagation, so presolve is off: measured, it was most of the time) and hint every
    variable with the result. The objective stays, so auxiliary variables take their exact
    values. `decisions` are (model variable, value) pairs (any variable of `model`: only its
    `index` is used). A complete, feasible hint lets CP-SAT start from the constructive solution;
    presolve can lose a partial one. Returns "complete"; "infeasible" when the decisions are
    not a solution of the model, "timeout" when that was not decided in time (both leave
    the hint as it was)."""
    fixed = model.clone()
    fixed.clear_hints()
    for var, value in decisions:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    code = solver.solve(fixed)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "infeasible" if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID) else "timeout"
    model.clear_hints()
    for k in range(len(model.proto.variables)):
        model.add_hint(model.get_int_var_from_proto_index(k), solver.value(fixed.get_int_var_from_proto_index(k)))
    return "complete"
