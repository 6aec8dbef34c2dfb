"""What every pool's bound looks up, computed once for the programme: the weights, the slot
arrays, the sessions a trainer or interpreter can hold in a day, the shortest travel between
sites, a trainer's minutes in the horizon, and per module the slots at which it can be held."""

from __future__ import annotations

from datetime import date

import numpy as np

from scheduler.domain import ActionPlan, Interpreter, Module, Room, Scenario, Trainer
from scheduler.prepare.timeline import Timeline
from scheduler.search.bound.slots import SlotArrays, trainer_usable

# (slot mask where the module can be held, fitting rooms, qualified usable trainers)
ModuleResources = tuple[np.ndarray, list[Room], list[Trainer]]


class BoundInputs:
    """The programme-wide facts of the bound (see the package docstring), cached per key."""

    def __init__(self, scenario: Scenario, timeline: Timeline):
        sc = self.sc = scenario
        self.tl = timeline
        W = sc.weights
        self.Us, self.Up = float(W["unscheduled_session"]), float(W["unassigned_participant"])
        self.wb, self.wo = float(W["backfill_per_hour"]), float(W["overtime_per_hour"])
        self.wt, self.wl = float(W["travel_per_minute"]), float(W["late_per_day"])
        self.slots = SlotArrays(sc, timeline)
        self.nslots = len(self.slots.start)
        room_sites = frozenset(r.site for r in sc.rooms.values())
        self.start_times = len(sc.calendar.start_times)
        self.d_min = min((m.duration_minutes for m in sc.modules.values()), default=60)
        self._trainer_cap: dict[str, int] = {}
        self._interp_cap: dict[str, int] = {}
        self._resources: dict[tuple, ModuleResources] = {}
        self._day_window: dict[tuple[date, date], tuple[int, int]] = {}
        # shortest travel between sites over any chain of trips (the travel table need not keep
        # the triangle inequality): a day's route through x is at least home -> x -> home of these
        site_ids = sorted({*sc.sites, *room_sites, *(t.home_site for t in sc.trainers.values() if t.home_site),
                           *(i.home_site for i in sc.interpreters.values() if i.home_site)})
        self._pos = {x: i for i, x in enumerate(site_ids)}
        D = np.array([[sc.travel_minutes(a, b) for b in site_ids] for a in site_ids], dtype=float)
        for k in range(len(site_ids)):
            np.minimum(D, D[:, k:k + 1] + D[k:k + 1, :], out=D)
        self._dist = D

    def cap_of(self, t: Trainer) -> int:
        """Most sessions trainer t can hold on one local date."""
        sc, S, start_times = self.sc, self.slots, self.start_times
        hit = self._trainer_cap.get(t.id)
        if hit is None:
            ds = [m.duration_minutes for m in sc.modules.values() if m.qualification in t.qualifications]
            per_day = 0
            if ds:
                f = S.free("trainer", t, min(ds))
                if f.any():
                    per_day = int(np.bincount(S.day[f] - S.day.min()).max())
            hit = min(per_day or start_times, t.max_sessions_per_day or start_times, start_times)
            self._trainer_cap[t.id] = max(1, hit)
        return self._trainer_cap[t.id]

    def cap_of_interpreter(self, i: Interpreter) -> int:
        """Most sessions interpreter i can attend on one local date."""
        S, start_times = self.slots, self.start_times
        if i.id not in self._interp_cap:
            f = S.free("interpreter", i, self.d_min)
            per_day = int(np.bincount(S.day[f] - S.day.min()).max()) if f.any() else 0
            self._interp_cap[i.id] = max(1, min(per_day or start_times, start_times))
        return self._interp_cap[i.id]

    def dist(self, a: str, b: str) -> float:
        """The shortest travel in minutes from site a to site b over any chain of trips."""
        return float(self._dist[self._pos[a], self._pos[b]]) if a != b else 0.0

    def trainer_minutes(self, t: Trainer) -> float:
        """Most session minutes trainer t can teach in the horizon: per ISO week at most
        max_minutes_per_week, per day at most (sessions a day) x (longest module)."""
        sc, S = self.sc, self.slots
        ds = [m.duration_minutes for m in sc.modules.values() if m.qualification in t.qualifications]
        if not ds:
            return 0.0
        f = S.free("trainer", t, min(ds))
        if not f.any():
            return 0.0
        days, counts = np.unique(S.day[f], return_counts=True)
        if t.max_sessions_per_day is not None:
            counts = np.minimum(counts, t.max_sessions_per_day)
        per_day = counts * max(ds)
        weeks = (days - (days - 1) % 7)  # ordinal 1 is a Monday
        total = 0.0
        for w in np.unique(weeks):
            v = float(per_day[weeks == w].sum())
            if t.max_minutes_per_week is not None:
                v = min(v, float(t.max_minutes_per_week))
            total += v
        return total

    def resources(self, m: Module, sites: frozenset[str], lang: str | None) -> ModuleResources:
        """(slot mask where module m can be held for a cohort of the pool with language lang,
        fitting rooms, qualified usable trainers)."""
        sc, S, nslots = self.sc, self.slots, self.nslots
        key = (m.id, sites if m.location == "workplace" else None, lang)
        hit = self._resources.get(key)
        if hit is None:
            d = m.duration_minutes
            qual = [t for t in sc.trainers.values() if m.qualification in t.qualifications and trainer_usable(t, d)]
            mask = np.zeros(nslots, dtype=bool)
            for t in qual:
                mask |= S.free("trainer", t, d)
            rooms: list[Room] = []
            if m.location != "remote":
                rooms = [r for r in sc.rooms.values() if r.capacity >= 1 and m.room_features <= r.features
                         and (m.location != "workplace" or r.site in sites)]
                rm = np.zeros(nslots, dtype=bool)
                for r in rooms:
                    rm |= S.room_free(r, d)
                mask &= rm
            if lang is not None:
                lm = np.zeros(nslots, dtype=bool)
                for t in qual:
                    if lang in t.languages:
                        lm |= S.free("trainer", t, d)
                for i in sc.interpreters.values():
                    if lang in i.languages:
                        lm |= S.free("interpreter", i, d)
                mask &= lm
            hit = self._resources[key] = (mask, rooms, qual)
        return hit

    def window(self, plans: list[ActionPlan]) -> tuple[int, int]:
        """The minutes of the first and past the last day inside the windows of all `plans`."""
        e = max(p.earliest for p in plans)
        dl = min(p.deadline for p in plans)
        k = (e, dl)
        if k not in self._day_window:
            self._day_window[k] = (self.tl.day_start(e), self.tl.day_end(dl))
        return self._day_window[k]
