"""The CP-SAT model. `ModelBuilder` owns every solver variable; the rules in
`scheduler.rules` add constraints and objective terms through it.

Variables per cohort session i (only sessions with at least one candidate start):
  present[i]      bool: the session is scheduled
  pick[i]         int in 0..n_i-1: which candidate start (see `problem.SessionOptions`)
  start[i]        int minutes, = candidates[pick].start (element)
  day[i], week[i] date ordinal / running ISO week of the start (element, made on demand)
  interval[i]     optional interval [start, start + duration), present[i]
  teaches[i, t]   bool per qualified trainer; with an optional interval per trainer
  in_room[i, r]   bool per fitting room; with an optional interval per room
  interprets[i,j] bool per interpreter speaking a needed language; optional interval
All costs are integers in 1/60 of a currency unit (`SCALE`) so hourly rates per
minute stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import PlanningProblem

SCALE = 60  # objective unit: 1/60 currency unit, so rate-per-hour x minutes is exact


@dataclass
class Term:
    """One weighted objective term: coefficient x literal/int var, with its name."""

    name: str
    expr: object
    coef: int


class ModelBuilder:
    def __init__(self, problem: PlanningProblem):
        self.problem = problem
        self.model = cp_model.CpModel()
        m = self.model
        self.present: dict[int, cp_model.IntVar] = {}
        self.pick: dict[int, cp_model.IntVar] = {}
        self.start: dict[int, cp_model.IntVar] = {}
        self.interval: dict[int, cp_model.IntervalVar] = {}
        self._day: dict[int, cp_model.IntVar] = {}
        self._week: dict[int, cp_model.IntVar] = {}
        self.teaches: dict[tuple[int, str], cp_model.IntVar] = {}
        self.in_room: dict[tuple[int, str], cp_model.IntVar] = {}
        self.interprets: dict[tuple[int, str], cp_model.IntVar] = {}
        self.trainer_intervals: dict[str, list[tuple[int, cp_model.IntervalVar]]] = {}
        self.room_intervals: dict[str, list[cp_model.IntervalVar]] = {}
        self.interpreter_intervals: dict[str, list[tuple[int, cp_model.IntervalVar]]] = {}
        self.terms: list[Term] = []
        self._at_site: dict = {}
        self.schedulable = [i for i, o in enumerate(problem.options) if o.candidates]
        for i in self.schedulable:
            self._session_vars(i)

    # -- variables --------------------------------------------------------------
    def _session_vars(self, i: int) -> None:
        m, o = self.model, self.problem.options[i]
        s = o.session
        n = len(o.candidates)
        p = m.new_bool_var(f"present[{s.key.cohort},{s.key.label}]")
        # pick == n is the "not scheduled" position: its start/day/cost entries repeat
        # candidate 0 (cost 0), so element constraints need no enforcement literals.
        pick = m.new_int_var(0, n, f"pick[{s.key.cohort},{s.key.label}]")
        m.add(pick == n).only_enforce_if(p.Not())
        m.add(pick < n).only_enforce_if(p)
        starts = [c.start for c in o.candidates]
        start = m.new_int_var_from_domain(cp_model.Domain.from_values(sorted(set(starts))),
                                          f"start[{s.key.cohort},{s.key.label}]")
        m.add_element(pick, starts + starts[:1], start)
        self.present[i], self.pick[i], self.start[i] = p, pick, start
        self.interval[i] = m.new_optional_fixed_size_interval_var(start, s.duration, p, f"session[{i}]")
        for t, allowed in o.trainers.items():
            lit = m.new_bool_var(f"teaches[{i},{t}]")
            self._restrict(pick, allowed, n, lit)
            self.teaches[i, t] = lit
            self.trainer_intervals.setdefault(t, []).append(
                (i, m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"trainer[{i},{t}]")))
        m.add_exactly_one([self.teaches[i, t] for t in o.trainers] + [p.Not()])
        if o.needs_room:
            for r, allowed in o.rooms.items():
                lit = m.new_bool_var(f"in_room[{i},{r}]")
                self._restrict(pick, allowed, n, lit)
                self.in_room[i, r] = lit
                self.room_intervals.setdefault(r, []).append(
                    m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"room[{i},{r}]"))
            m.add_exactly_one([self.in_room[i, r] for r in o.rooms] + [p.Not()])
        for j, allowed in o.interpreters.items():
            lit = m.new_bool_var(f"interprets[{i},{j}]")
            m.add_implication(lit, p)
            self._restrict(pick, allowed, n, lit)
            self.interprets[i, j] = lit
            self.interpreter_intervals.setdefault(j, []).append(
                (i, m.new_optional_fixed_size_interval_var(start, s.duration, lit, f"interpreter[{i},{j}]")))

    def _restrict(self, pick, allowed: frozenset[int], n: int, lit) -> None:
        if len(allowed) < n:
            self.model.add_linear_expression_in_domain(pick, cp_model.Domain.from_values(sorted(allowed))).only_enforce_if(lit)

    def end(self, i: int):
        return self.start[i] + self.problem.sessions[i].duration

    def day(self, i: int):
        """The local date (ordinal) of session i's start."""
        if i not in self._day:
            days = [c.slot.day_number for c in self.problem.options[i].candidates]
            v = self.model.new_int_var_from_domain(cp_model.Domain.from_values(sorted(set(days))), f"day[{i}]")
            self.model.add_element(self.pick[i], days + days[:1], v)
            self._day[i] = v
        return self._day[i]

    def week(self, i: int):
        """The running ISO week of session i's local start date."""
        if i not in self._week:
            weeks = [c.slot.week_number for c in self.problem.options[i].candidates]
            v = self.model.new_int_var_from_domain(cp_model.Domain.from_values(sorted(set(weeks))), f"week[{i}]")
            self.model.add_element(self.pick[i], weeks + weeks[:1], v)
            self._week[i] = v
        return self._week[i]

    def at_site(self, i: int, lit, site: str):
        """A literal: `lit` (someone's assignment to session i) and the session is at `site`."""
        sites = self.problem.sites_of(i, None) if self.problem.options[i].needs_room else None
        if sites is None or len(sites) == 1:
            return lit
        key = (i, lit.index, site)
        if key not in self._at_site:
            here = [v for (j, r), v in self.in_room.items() if j == i and self.problem.site_of_room(r) == site]
            both = self.model.new_bool_var(f"at_site[{i},{site}]")
            self.model.add(both >= lit + sum(here) - 1)
            self.model.add_implication(both, lit)
            self.model.add(both <= sum(here))
            self._at_site[key] = both
        return self._at_site[key]

    # -- objective --------------------------------------------------------------
    def add_term(self, name: str, expr, coef: int) -> None:
        if coef:
            self.terms.append(Term(name, expr, int(coef)))

    def set_objective(self) -> None:
        self.model.minimize(sum(t.coef * t.expr for t in self.terms))

    def term_totals(self, value) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.terms:
            out[t.name] = out.get(t.name, 0) + t.coef * value(t.expr)
        return out
