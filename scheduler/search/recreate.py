"""Recreate: put removed sessions back, judged by the exact cost of the whole schedule.

A cohort's sessions go back in track order through the constructive schedule's own placer
(`construct._place_cohort`: order and gap rules, lookahead over closures, bounded
backtracking), with the search's candidate order and chooser: the candidate starts are
tried cheapest first with a little noise (so repeated recreates explore), and of the first
few starts at which the session fits, with each qualified free trainer (and the nearest
fitting room, the interpreters it then needs), the one that adds least to the objective as
the spec counts it — travel of the trainer's and interpreters' day, lateness and trainer
changes included — is taken.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from scheduler.prepare.problem import PlanningProblem
from scheduler.search.construct import Bookings, Placement, _interpreters, _lookahead, _place_cohort, room_check
from scheduler.search.ledger import Ledger


class Recreator:
    """Places cohorts' sessions into a schedule (bookings + ledger)."""

    def __init__(self, problem: PlanningProblem, book: Bookings, ledger: Ledger, rng: random.Random):
        self.p, self.book, self.ledger, self.rng = problem, book, ledger, rng
        self.noise = 0.1  # relative noise on a candidate's cost when ordering
        self.look = 3  # feasible starts compared per session
        self.trainers_per_start = 3
        self.rooms_per_trainer = 1  # the nearest fitting room: the spec's costs do not depend on which
        if problem.objective_terms:
            # Costs of the problem's own (the room's size, which rooms a course already has, the
            # periods around) depend on the start and the room: compare more of both.
            self.look, self.rooms_per_trainer = 8, 1_000
        self.blink = 0.03  # chance to pass over a start that fits
        self.earliest: set[str] = set()  # cohorts placed earliest first in this step (tight windows)
        # id(a session's trainer map) -> (that map, its trainers grouped by cost, cheapest first)
        self._trainer_groups: dict[int, tuple[dict, list[list[str]]]] = {}
        sc = problem.scenario
        self._late_w = sc.weights["late_per_day"]

    # -- candidate order ------------------------------------------------------------
    def order(self, i: int, prev) -> list[int]:
        p = self.p
        s, o = p.sessions[i], p.options[i]
        last_day, last_start = _lookahead(p).latest_start(i)
        mod = p.scenario.modules[s.module_id]
        lo_day = 0  # read only after a previous session (start_after set)
        hi_day: int | None = None
        start_after = None
        if prev is not None:
            pi, pc = prev
            same = p.sessions[pi].module_id == s.module_id
            start_after = pc.end
            lo_day = pc.slot.day_number + (mod.min_gap_days if same else 0)
            hi_day = pc.slot.day_number + mod.max_gap_days if same and mod.max_gap_days is not None else None
        rnd, noise = self.rng.random, self.noise
        if s.key.cohort in self.earliest:
            return [k for k, c in enumerate(o.candidates) if c.slot.day_number <= last_day and c.start <= last_start
                    and (start_after is None or (
                c.start >= start_after and c.slot.day_number >= lo_day
                and (hi_day is None or c.slot.day_number <= hi_day)))]
        base = prev[1].slot.day_number if prev else 0
        keyed = []
        for k, c in enumerate(o.candidates):
            if c.slot.day_number > last_day or c.start > last_start:
                continue
            if start_after is not None:
                d = c.slot.day_number
                if c.start < start_after or d < lo_day or (hi_day is not None and d > hi_day):
                    continue
            # Waiting costs: a later start drags the cohort's end towards (or past) its target.
            cost = c.cost + (self._late_w * (c.slot.day_number - base) if prev else 0)
            keyed.append((cost * (1 + noise * rnd()) + 50 * rnd(), k))
        keyed.sort()
        return [k for _, k in keyed]

    # -- choosing a placement ----------------------------------------------------------
    def choose(self, i: int, todo: list[int], preferred: str | None, ahead) -> Placement | None:
        p, book, ledger = self.p, self.book, self.ledger
        s, o = p.sessions[i], p.options[i]
        sc = p.scenario
        best, best_delta, fits = None, None, 0
        while todo and fits < self.look:
            k = todo.pop(0)
            c = o.candidates[k]
            if ahead is not None and not ahead.ok(i, c.slot.day_number):
                continue
            a, b = c.start, c.end
            if not book.people_ok(s.cohort.participants, a, b) or not book.staffing_ok(s.cohort.team_counts, a, b):
                continue
            free = room_check(o, book, k, a, b)
            if o.needs_room and not any(free(r) for r in o.rooms):
                continue
            # Languages no interpreter could serve then (each busy, or not working): only a
            # trainer who speaks them can teach this start. Asked once per start, before the
            # trainers and their rooms (a cohort with speakers of three languages whose
            # interpreters share few hours is turned away at most starts).
            own = self._without_interpreter(o, k, a, b) if o.languages else None
            if own and not any(own <= sc.trainers[t].languages for t in o.trainers):
                continue
            trainers = self._trainers_at(o, k, preferred)
            found = 0
            interps_at: dict = {}  # per (site, languages the trainer lacks): the same answer
            for t in trainers:
                tr = sc.trainers[t]
                if own and not own <= tr.languages:
                    continue
                home = tr.home_site
                if not book.trainer_limits_ok(t, c.slot.day_number, c.slot.week_number, s.duration):
                    continue
                near = book.traveller_near("trainer", t, a, b)
                if near is None:
                    continue  # busy then, wherever the session is held
                rooms_seen = 0
                for r in ((r for r in p.room_order(i, home) if free(r)) if o.needs_room else (None,)):
                    site = p.site_of_room(r) if r else home
                    if near and not book.travel_clear(near, a, b, site):
                        continue
                    if o.languages:
                        key = (site if r else None, o.languages - tr.languages)
                        if key not in interps_at:
                            interps_at[key] = _interpreters(p, book, i, k, t, r)
                        interps = interps_at[key]
                    else:
                        interps = ()
                    if interps is None:
                        continue
                    pl = Placement(i, k, t, r, interps)
                    delta = ledger.add_delta(pl)
                    if best_delta is None or delta < best_delta:
                        best, best_delta = pl, delta
                    rooms_seen += 1
                    if rooms_seen >= self.rooms_per_trainer:
                        break
                if rooms_seen:
                    found += 1
                if found >= self.trainers_per_start:
                    break
            if found:
                if best is not None and self.rng.random() < self.blink and todo:
                    continue  # a blink: look at one more start before deciding
                fits += 1
        return best

    def _without_interpreter(self, o, k: int, a: int, b: int) -> frozenset[str]:
        """The session's languages (options `o`) for which no interpreter works at start k and
        is free during [a, b), travel aside: a necessary test, `_interpreters` the exact one."""
        sc, interp = self.p.scenario, self.book.interp
        free = [j for j, ok in o.interpreters.items()
                if ok.row[k] and not any(x < b and a < y for x, y, _ in interp[j].near(a, b))]
        return frozenset(lang for lang in o.languages
                         if not any(lang in sc.interpreters[j].languages for j in free))

    def _trainers_at(self, o, k: int, preferred: str | None) -> Iterator[str]:
        """The trainers free at start k: the preferred one (the module's trainer so far)
        first, then the cheapest, in random order among equally dear ones. Lazily: the
        chooser stops after a few that fit, and a national programme has a hundred qualified."""
        entry = self._trainer_groups.get(id(o.trainers))
        if entry is None or entry[0] is not o.trainers:
            by_cost: dict[float, list[str]] = {}
            for t in o.trainers:
                by_cost.setdefault(self.p.scenario.trainers[t].cost_per_hour, []).append(t)
            entry = self._trainer_groups[id(o.trainers)] = (o.trainers, [by_cost[c] for c in sorted(by_cost)])
        if preferred is not None and k in o.trainers.get(preferred, ()):
            yield preferred
        for group in entry[1]:
            free = [t for t in group if t != preferred and o.trainers[t].row[k]]
            if len(free) > 1:
                self.rng.shuffle(free)
            yield from free

    # -- placing ---------------------------------------------------------------------
    def place_between(self, i: int, prev, nxt, preferred: str | None) -> Placement | None:
        """Place session i alone between its cohort's placed neighbours `prev` and `nxt`
        ((index, candidate) or None), `preferred` trainer first: order and gap rules to both
        kept, judged by the exact cost; books and records it. None when it fits nowhere
        between them."""
        p = self.p
        s, o = p.sessions[i], p.options[i]
        todo = self.order(i, prev)
        if nxt is not None:
            ni, nc = nxt
            mod = p.scenario.modules[s.module_id]
            same = p.sessions[ni].module_id == s.module_id
            lo = nc.slot.day_number - mod.max_gap_days if same and mod.max_gap_days is not None else None
            hi = nc.slot.day_number - (mod.min_gap_days if same else 0)
            todo = [k for k in todo if o.candidates[k].end <= nc.start and o.candidates[k].slot.day_number <= hi
                    and (lo is None or o.candidates[k].slot.day_number >= lo)]
        pl = self.choose(i, todo, preferred, None)
        if pl is not None:
            self.book.book(pl)
            self.ledger.add(pl)
        return pl

    def place(self, idxs: list[int], prev, module_trainer: dict[str, str]) -> dict[int, Placement]:
        """Place idxs (a suffix of one cohort's track) after `prev`; books and records each."""
        book, ledger = self.book, self.ledger

        def choose_and_book(i, todo, preferred, ahead):
            return self.choose(i, todo, preferred, ahead)

        got = _place_cohort(self.p, book, idxs, "cheapest", prev, module_trainer,
                            order=self.order, chooser=choose_and_book)
        for pl in got.values():
            ledger.add(pl)
        return got
