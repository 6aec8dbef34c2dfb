"""The cohort shaper: what the teams' shifts, the calendar and the rooms allow each start
slot, as cached bit masks, asked while cohorts are formed and re-formed (`cohort_split`,
`cohort_repair`, `search/cohort_moves`)."""

from __future__ import annotations

import bisect

from scheduler.domain import ActionPlan, Scenario, TeamKey
from scheduler.prepare.shiftfit import team_fit_at
from scheduler.prepare.timeline import Timeline, overlap_minutes


class CohortShaper:
    """The start-slot facts of the teams that cohort forming asks again and again (see
    `cohort_split.split_pool` for the splitting itself)."""

    SAMPLE_DAYS = 42

    def __init__(self, scenario: Scenario, timeline: Timeline, team_cache: dict | None = None):
        self.sc, self.tl = scenario, timeline
        slots = timeline.slots
        days = sorted({s.day for s in slots})[: self.SAMPLE_DAYS]
        self.sample = [s for s in slots if s.day in set(days)]
        durations = [m.duration_minutes for m in scenario.modules.values()] or [60]
        self.probe = min(durations)
        self.open_days = sorted({s.day for s in slots})  # days on which sessions may start
        self._fit: dict[tuple[str, int], frozenset[int]] = {}  # per rota
        self._always_on: dict[tuple[str, int], bool] = {}  # per rota
        # (rota, a, b) -> (minutes on shift, inside one shift, rest kept), shared with the
        # planning problem's candidate starts (the same question, asked again there)
        self.team_cache: dict = team_cache if team_cache is not None else {}
        self._instances: dict[TeamKey, list] = {}
        self._slot_minutes = [sl.minute for sl in slots]
        self._rest_minutes = int(round(scenario.calendar.daily_rest_hours * 60))
        self._masks: dict[tuple, int] = {}

    def fits(self, team: TeamKey) -> frozenset[int]:
        """The sampled start slots at which a short session lies inside one of the team's shifts."""
        rota = self.tl.rota_of[team]  # one answer per rota
        if rota not in self._fit:
            inst = sorted((x.start, x.end) for x in self.tl.shift_instances[team])
            starts = [a for a, _ in inst]
            longest = max((b - a for a, b in inst), default=0)
            fit = set()
            for s in self.sample:
                # the shifts that start before the slot and could still cover it
                hi = bisect.bisect_right(starts, s.minute)
                lo = bisect.bisect_left(starts, s.minute - longest)
                if any(s.minute + self.probe <= inst[j][1] for j in range(lo, hi)):
                    fit.add(s.index)
            self._fit[rota] = frozenset(fit)
        return self._fit[rota]

    def always_on_shift(self, team: TeamKey) -> bool:
        """Day workers: at (nearly) every start time they are at work, so their sessions are on shift."""
        cache = self._always_on
        rota = self.tl.rota_of[team]  # one answer per rota
        if rota not in cache:
            union = self.tl.shift_union[team]  # merged and sorted: one bisect per sample slot
            hits = 0
            for s in self.sample:
                a, b = s.minute, s.minute + self.probe
                k = bisect.bisect_left(union, (b,))  # shifts starting before the probe ends
                if k and union[k - 1][1] > a:
                    hits += 1
            cache[rota] = bool(self.sample) and hits >= 0.95 * len(self.sample)
        return cache[rota]

    def slot_range(self, earliest, deadline, duration: int) -> tuple[int, int]:
        """Indices [first, last) of the slots at which a session of `duration` lies inside the
        days earliest..deadline (slots are in time order)."""
        tl = self.tl
        first = bisect.bisect_left(self._slot_minutes, tl.day_start(earliest))
        last = bisect.bisect_right(self._slot_minutes, tl.day_end(deadline) - duration)
        return first, max(first, last)

    def team_mask(self, team: TeamKey, duration: int, on_ok: bool, off_ok: bool, over_slack: bool,
                  first: int, last: int) -> int:
        """Bit k set when team members (as many as `over_slack` says) may be in a session of
        `duration` starting at slot k, by rules 7-9 for them alone, the team's blocked periods
        included (the same test as the candidate starts'); slots outside first..last are left unset."""
        blocked = self.tl.team_blocked.get(team)  # rule 7: the team releases nobody then
        rota = self.tl.rota_of[team]
        # teams on one rota share a mask unless one has blocked periods of its own
        key = (team if blocked else rota, duration, on_ok, off_ok, over_slack, first, last)
        hit = self._masks.get(key)
        if hit is None:
            inst = self._instances.get(team)
            if inst is None:
                inst = self._instances[team] = [(x.start, x.end) for x in self.tl.shift_instances[team]]
            union = self.tl.shift_union[team]
            cache = self.team_cache
            hit = 0
            for k in range(first, last):
                a = self._slot_minutes[k]
                b = a + duration
                if blocked and overlap_minutes(blocked, a, b):
                    continue
                fit = cache.get((rota, a, b))
                if fit is None:
                    fit = cache[(rota, a, b)] = team_fit_at(union, inst, self._rest_minutes, a, b)
                on, inside, rest = fit
                if (on and (not on_ok or over_slack)) or (not off_ok and not inside) or not rest:
                    continue
                hit |= 1 << k
            self._masks[key] = hit
        return hit

    def room_capacity(self, track, pool: list[ActionPlan]) -> int:
        """The largest cohort every module of the track has a room for: a module held in a room
        needs one with its features (at one of the pool's workplaces for `workplace`), and a
        cohort larger than every such room could never meet."""
        sc = self.sc
        sites = {sc.workplaces[p.workplace].site for p in pool}
        cap = track.max_group
        for mid in track.modules:
            m = sc.modules[mid]
            if m.location == "remote":
                continue
            fitting = [r.capacity for r in sc.rooms.values() if m.room_features <= r.features
                       and (m.location != "workplace" or r.site in sites)]
            if fitting:
                cap = min(cap, max(fitting))
        return cap

    def shift_classes(self, teams: list[TeamKey]) -> dict[TeamKey, int]:
        """Teams whose shifts share most start slots: cohorts that must meet on shift stay within one class."""
        classes: list[list] = []
        out = {}
        for t in sorted(teams, key=lambda k: (-len(self.fits(k)), k)):
            sig = self.fits(t)
            for n, c in enumerate(classes):
                common = c[0] & sig
                if len(common) >= 0.6 * max(1, len(sig)) and len(common) >= 0.5 * max(1, len(c[0])):
                    c[0] = common
                    out[t] = n
                    break
            else:
                classes.append([sig])
                out[t] = len(classes) - 1
        return out
