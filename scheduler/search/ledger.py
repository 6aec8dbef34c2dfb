"""The objective as the spec counts it, kept up to date one placement at a time.

The search changes a few dozen sessions per move and must know the exact cost of the
result: the same terms as `result.exact_costs` (which stays the reference; a test checks
that both agree), but kept per unit so that adding or removing a placement only
recomputes what it touches:

* per session: backfill and overtime hours, the trainer's hourly cost, and (re-planning)
  the move cost;
* per person and local date: the travel of a trainer or interpreter (home, the day's
  sessions in time order, home);
* per cohort: the days its last session lies after the earliest target of its plans;
* per cohort and module: trainers beyond the first;
* and the problem's own `objective_terms`, when a client of the engine brings costs the
  spec does not count (the ITC-2007 adapter: curriculum compactness, room stability, ...).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from typing import Protocol

from scheduler.prepare.problem import PlanningProblem
from scheduler.search.construct import Placement


class ObjectiveTerm(Protocol):
    """A cost beyond the spec's terms, kept placement by placement like them. Made per ledger
    by the factories in `PlanningProblem.objective_terms` (each ledger keeps its own state)."""

    def add_delta(self, pl: Placement) -> float:
        """What adding pl would change this term by (nothing is changed)."""
        ...

    def change(self, pl: Placement, sign: int) -> float:
        """Add (sign +1) or remove (-1) pl; returns the change of this term."""
        ...


class Ledger:
    """Exact objective of a set of placements, updated by `add` and `remove`."""

    def __init__(self, problem: PlanningProblem):
        self.p = problem
        sc = problem.scenario
        self.w = sc.weights
        self.total = 0.0
        self.session_cost: dict[int, float] = {}
        self.visits: dict[tuple, list[tuple[int, str | None]]] = defaultdict(list)  # (kind, id, date) -> stops
        self.travel: dict[tuple, int] = {}
        self.days: dict[str, Counter] = defaultdict(Counter)  # cohort -> local dates of its placed sessions
        self.late: dict[str, int] = {}
        self.met: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (cohort, module) -> trainers
        self.placed_count = 0
        self.targets = {c.id: min(sc.action_plans[p].target for p in c.plans) for c in problem.cohorts}
        replan = getattr(problem, "replan", None)
        self.home = replan.home if replan is not None else {}
        self.move_weight = replan.weight if replan is not None else 0.0
        self.total = (len(problem.sessions) * self.w["unscheduled_session"]
                      + len(problem.unassigned) * self.w["unassigned_participant"])
        self.terms: list[ObjectiveTerm] = [make(problem) for make in problem.objective_terms]
        # Travel priced at 0 (a programme that does not count it) is not followed day by day.
        self.count_travel = bool(self.w["travel_per_minute"])

    def copy(self) -> Ledger | None:
        """A ledger of its own with the same placements counted; None when the problem has
        objective terms of its own (their state is theirs to copy: build anew then)."""
        if self.terms:
            return None
        twin = Ledger.__new__(Ledger)
        twin.__dict__.update(self.__dict__)  # the weights, targets, home and flags are shared
        twin.session_cost = dict(self.session_cost)
        twin.visits = defaultdict(list, ((k, list(v)) for k, v in self.visits.items()))
        twin.travel = dict(self.travel)
        twin.days = defaultdict(Counter, ((k, Counter(v)) for k, v in self.days.items()))
        twin.late = dict(self.late)
        twin.met = defaultdict(Counter, ((k, Counter(v)) for k, v in self.met.items()))
        twin.terms = []
        return twin

    # -- the units --------------------------------------------------------------------
    def own_cost(self, pl: Placement) -> float:
        """What session pl.session costs on its own where pl puts it."""
        p, w = self.p, self.w
        c = p.options[pl.session].candidates[pl.candidate]
        cost = (c.backfill_minutes * w["backfill_per_hour"] + c.overtime_minutes * w["overtime_per_hour"]) / 60
        cost += p.scenario.trainers[pl.trainer].cost_per_hour * p.sessions[pl.session].duration / 60
        h = self.home.get(pl.session)
        if h is not None and (c.start, pl.trainer, pl.room) != (h.start, h.trainer, h.room):
            cost += self.move_weight
        return cost

    def stops(self, pl: Placement) -> list[tuple[tuple, tuple[int, str | None]]]:
        """The (person-day, (start, site)) stops a placement adds to trainers' and interpreters' days."""
        p = self.p
        sc = p.scenario
        c = p.options[pl.session].candidates[pl.candidate]
        room_site = p.site_of_room(pl.room) if pl.room else None
        out = [(("trainer", pl.trainer, c.slot.day), (c.start, room_site or sc.trainers[pl.trainer].home_site))]
        for j in pl.interpreters:
            out.append((("interpreter", j, c.slot.day), (c.start, room_site or sc.interpreters[j].home_site)))
        return out

    def _home(self, key: tuple) -> str | None:
        sc = self.p.scenario
        return (sc.trainers[key[1]] if key[0] == "trainer" else sc.interpreters[key[1]]).home_site

    def route(self, key: tuple, stops: list[tuple[int, str | None]]) -> int:
        """Travel minutes of one person's day: home, the stops in time order, home."""
        if not stops:
            return 0
        sc = self.p.scenario
        home = self._home(key)
        sites = [home] + [s for _, s in stops] + [home]
        return sum(sc.travel_minutes(a, b) for a, b in zip(sites, sites[1:]))

    def _late_days(self, cid: str) -> int:
        days = self.days[cid]
        if not days:
            return 0
        return max(0, (max(days) - self.targets[cid]).days)

    # -- changes -----------------------------------------------------------------------
    def add(self, pl: Placement) -> None:
        self._change(pl, +1)

    def remove(self, pl: Placement) -> None:
        self._change(pl, -1)

    def _change(self, pl: Placement, sign: int) -> None:
        p, w = self.p, self.w
        i = pl.session
        if sign > 0:
            cost = self.session_cost[i] = self.own_cost(pl)
        else:
            cost = self.session_cost.pop(i)
        delta = sign * (cost - w["unscheduled_session"])
        for key, stop in (self.stops(pl) if self.count_travel else ()):
            lst = self.visits[key]
            if sign > 0:
                bisect.insort(lst, stop)
            else:
                lst.remove(stop)
            new = self.route(key, lst)
            delta += (new - self.travel.get(key, 0)) * w["travel_per_minute"]
            if lst:
                self.travel[key] = new
            else:
                self.travel.pop(key, None)
                del self.visits[key]
        s = p.sessions[i]
        cid = s.key.cohort
        day = p.options[i].candidates[pl.candidate].slot.day
        self.days[cid][day] += sign
        if self.days[cid][day] <= 0:
            del self.days[cid][day]
        late = self._late_days(cid)
        delta += (late - self.late.get(cid, 0)) * w["late_per_day"]
        self.late[cid] = late
        met = self.met[cid, s.module_id]
        before = max(0, len(met) - 1)
        met[pl.trainer] += sign
        if met[pl.trainer] <= 0:
            del met[pl.trainer]
        delta += (max(0, len(met) - 1) - before) * w["trainer_change"]
        for term in self.terms:
            delta += term.change(pl, sign)
        self.placed_count += sign
        self.total += delta

    def add_delta(self, pl: Placement) -> float:
        """What adding pl would change the objective by (nothing is changed)."""
        p, w = self.p, self.w
        delta = self.own_cost(pl) - w["unscheduled_session"]
        for key, stop in (self.stops(pl) if self.count_travel else ()):
            lst = self.visits.get(key)
            if not lst:
                delta += self.route(key, [stop]) * w["travel_per_minute"]
                continue
            new = list(lst)
            bisect.insort(new, stop)
            delta += (self.route(key, new) - self.travel.get(key, 0)) * w["travel_per_minute"]
        s = p.sessions[pl.session]
        cid = s.key.cohort
        day = p.options[pl.session].candidates[pl.candidate].slot.day
        days = self.days.get(cid)
        last = max(days) if days else None
        if last is None or day > last:
            new_late = max(0, (day - self.targets[cid]).days)
            delta += (new_late - self.late.get(cid, 0)) * w["late_per_day"]
        met = self.met.get((cid, s.module_id))
        if met and pl.trainer not in met:
            delta += w["trainer_change"]
        for term in self.terms:
            delta += term.add_delta(pl)
        return delta
