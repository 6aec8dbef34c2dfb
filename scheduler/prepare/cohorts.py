"""Cohorts: who studies together.

Cohorts are formed BEFORE the optimization, deterministically, from each action
plan (or, with `mix_workplaces`, from all plans of the track). Why before: the
participant-to-cohort choice multiplies the model (every participant times every
cohort times every session) while a few simple principles already give cohorts
that the optimizer can schedule well:

* Participants who must train inside their own shifts ("on": the plan forbids
  off-shift training, or they are day workers who are at work at every start time)
  are grouped by shift class (teams whose shifts cover the same start times, since a
  session must lie inside every member's shift) and dealt round robin into as few
  cohorts as the group size and the staffing slack allow: no cohort holds more of a
  team's members than the team's slack, or it could never meet on shift.
* Participants who may train off shift ("flex": rotating crews) are sorted by rota
  phase and cut into contiguous cohorts, so crews adjacent in the rota (free on the
  same days, without breaking each other's daily rest) study together.
* Group sizes always stay within min_group..max_group (rule 5); participants that
  no valid split can hold are reported as unassigned with the reason.

The cohort ids are stable for the same scenario (`C-<plan>-<n>` or `C-<track>-<n>`),
so calendar UIDs stay the same across re-solves.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from scheduler.domain import ActionPlan, Scenario, TeamKey
from scheduler.prepare.shiftfit import team_fit_at


@dataclass(frozen=True)
class Cohort:
    id: str
    track: str
    plans: tuple[str, ...]
    workplaces: tuple[str, ...]
    participants: tuple[str, ...]
    team_counts: tuple[tuple[TeamKey, int], ...]  # members per team
    languages: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.participants)


@dataclass(frozen=True)
class SessionKey:
    cohort: str
    module: str
    index: int

    @property
    def label(self) -> str:
        return f"{self.module} #{self.index}"


@dataclass(frozen=True)
class CohortSession:
    """One meeting a cohort must have: module `module`, session `index` of `of`."""

    key: SessionKey
    cohort: Cohort
    module_id: str
    index: int
    of: int
    position: int  # 0-based position in the cohort's whole sequence of sessions
    duration: int


@dataclass(frozen=True)
class Unassigned:
    participant: str
    action_plan: str
    reason: str


def form_cohorts(scenario: Scenario, timeline, team_cache: dict | None = None,
                 shaper: CohortShaper | None = None) -> tuple[list[Cohort], list[Unassigned]]:
    """All cohorts of the scenario, and the participants no valid cohort can hold.

    A person listed in several plans of one track is one participant of that track: they
    join a cohort in the pool of the first plan that lists them, and the cohort then
    answers to all of their plans (windows, targets, shift-fit flags)."""
    shaper = shaper or CohortShaper(scenario, timeline, team_cache)
    cohorts: list[Cohort] = []
    left_out: list[Unassigned] = []
    for track in scenario.tracks.values():
        plans = scenario.plans_of_track(track.id)
        if not plans:
            continue
        plans_of: dict[str, list[ActionPlan]] = defaultdict(list)
        for plan in plans:
            for pid in plan.participants:
                if plan not in plans_of[pid]:
                    plans_of[pid].append(plan)
        if track.mix_workplaces:
            pools = window_pools(scenario, track, plans, plans_of, shaper.open_days)
            prefixes = [f"C-{track.id}"] if len(pools) == 1 else [f"C-{track.id}-{pool[0].id}" for pool in pools]
        else:
            pools = _plans_sharing_people(plans, plans_of)
            prefixes = [f"C-{pool[0].id}" for pool in pools]
        for pool, prefix in zip(pools, prefixes):
            made, out = shaper.split(track.id, pool, prefix, plans_of)
            cohorts += made
            left_out += out
    return cohorts, left_out


class CohortShaper:
    """Splits a pool of participants into cohorts (see the module docstring)."""

    SAMPLE_DAYS = 42

    def __init__(self, scenario: Scenario, timeline, team_cache: dict | None = None):
        self.sc, self.tl = scenario, timeline
        slots = timeline.slots
        days = sorted({s.day for s in slots})[: self.SAMPLE_DAYS]
        self.sample = [s for s in slots if s.day in set(days)]
        durations = [m.duration_minutes for m in scenario.modules.values()] or [60]
        self.probe = min(durations)
        self.open_days = sorted({s.day for s in slots})  # days on which sessions may start
        self._fit: dict[TeamKey, frozenset[int]] = {}
        self._always_on: dict[TeamKey, bool] = {}
        # (team, a, b) -> (minutes on shift, inside one shift, rest kept), shared with the
        # planning problem's candidate starts (the same question, asked again there)
        self.team_cache: dict = team_cache if team_cache is not None else {}
        self._instances: dict[TeamKey, list] = {}
        self._slot_minutes = [sl.minute for sl in slots]
        self._rest_minutes = int(round(scenario.calendar.daily_rest_hours * 60))
        self._masks: dict[tuple, int] = {}

    def fits(self, team: TeamKey) -> frozenset[int]:
        """The sampled start slots at which a short session lies inside one of the team's shifts."""
        if team not in self._fit:
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
            self._fit[team] = frozenset(fit)
        return self._fit[team]

    def always_on_shift(self, team: TeamKey) -> bool:
        """Day workers: at (nearly) every start time they are at work, so their sessions are on shift."""
        cache = self._always_on
        if team not in cache:
            union = self.tl.shift_union[team]  # merged and sorted: one bisect per sample slot
            hits = 0
            for s in self.sample:
                a, b = s.minute, s.minute + self.probe
                k = bisect.bisect_left(union, (b,))  # shifts starting before the probe ends
                if k and union[k - 1][1] > a:
                    hits += 1
            cache[team] = bool(self.sample) and hits >= 0.95 * len(self.sample)
        return cache[team]

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
        `duration` starting at slot k, by rules 7-9 for them alone (the same test as the
        candidate starts'); slots outside first..last are left unset."""
        key = (team, duration, on_ok, off_ok, over_slack, first, last)
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
                fit = cache.get((team, a, b))
                if fit is None:
                    fit = cache[(team, a, b)] = team_fit_at(union, inst, self._rest_minutes, a, b)
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

    def split(self, track_id: str, pool: list[ActionPlan], prefix: str,
              plans_of: dict[str, list[ActionPlan]]) -> tuple[list[Cohort], list[Unassigned]]:
        sc = self.sc
        track = sc.tracks[track_id]
        teams = sc.teams
        members = _members(pool, plans_of)
        if not members:
            return [], []
        plan_of = {pid: plan for pid, plan in members}
        team_of = {pid: sc.participants[pid].team for pid, _ in members}
        lang_of = {pid: sc.participants[pid].language or "" for pid, _ in members}
        gmin, gmax = track.min_group, track.max_group
        gmax = max(gmin, min(gmax, self.room_capacity(track, pool)))
        groups: list[list[str]] = []
        left: list[str] = []
        on: list[str] = []
        if len(members) < gmin:
            groups = [[pid for pid, _ in members]]  # the one smaller cohort the rules allow
        else:
            # "on": must train inside their shifts (plan forbids off-shift, or day workers who are
            # always at work): staffing slack caps each team's share of a cohort.
            # "flex": may meet off shift: kept together by rota phase (adjacent crews).
            on = [pid for pid, _ in members
                  if not all(p.allow_off_shift for p in plans_of[pid]) or self.always_on_shift(team_of[pid])]
            flex = [pid for pid, plan in members if pid not in set(on)]
            spread_in: list[str] = []  # "on" people too few for a cohort: spread over the flex cohorts
            if on and len(on) < gmin and flex:
                spread_in, on = on, []
            if flex and len(flex) < gmin and on:
                on, flex = on + flex, []
            classes: dict[int, list[str]] = defaultdict(list)
            cls = self.shift_classes(sorted({team_of[p] for p in on}))
            for pid in on:
                classes[cls[team_of[pid]]].append(pid)
            small = [c for c, v in classes.items() if len(v) < gmin]
            if small and len(classes) > 1:
                big = max(classes, key=lambda c: len(classes[c]))
                for c in small:
                    if c != big:
                        classes[big] += classes.pop(c)
            for c in sorted(classes):
                rs = sorted(classes[c], key=lambda p: (team_of[p], lang_of[p], p))
                per_team = Counter(team_of[p] for p in rs)
                k = max(math.ceil(len(rs) / gmax),
                        max(math.ceil(n / max(1, teams[t].staffing_slack)) for t, n in per_team.items()))
                k = _valid_count(len(rs), gmin, gmax, k)
                bins = _deal(rs, k, team_of, lang_of, teams)
                cap = k * gmax
                groups += bins
                left += [p for b in bins for p in b[gmax:]] if cap < len(rs) else []
            if flex:
                def phase(p):
                    t = teams[team_of[p]]
                    cycle = len(sc.shift_patterns[t.pattern].cycle)
                    return (t.pattern, t.offset_days % cycle, team_of[p], lang_of[p], p)

                rs = sorted(flex, key=phase)
                spread_in.sort(key=lambda p: (team_of[p], lang_of[p], p))
                total = len(rs) + len(spread_in)
                k = max(math.ceil(total / gmax),
                        max((math.ceil(n / max(1, teams[t].staffing_slack))
                             for t, n in Counter(team_of[p] for p in spread_in).items()), default=1))
                k = _valid_count(total, gmin, gmax, k)
                sizes = [total // k + (1 if n < total % k else 0) for n in range(k)]
                if not spread_in:  # crews whole where the group sizes allow (they are off together)
                    sizes = _crew_sizes([team_of[p] for p in rs], k, gmin, gmax) or sizes
                bins = [spread_in[n::k] for n in range(k)]  # round robin first, then fill by rota phase
                pos = 0
                for n, size in enumerate(sizes):
                    take = max(0, size - len(bins[n]))
                    bins[n] += rs[pos:pos + take]
                    pos += take
                bins[-1] += rs[pos:]
                for b in bins:
                    groups.append(b[:gmax])
                    left += b[gmax:]
        left_set = set(left)
        groups = [[p for p in g if p not in left_set] for g in groups]
        groups = [g for g in groups if g]
        if len(groups) > 1 or len(members) >= 2 * gmin:
            groups = _GroupRepair(self, track, members, plans_of, team_of, lang_of,
                                  gmin, gmax).repair(groups)
        out = []
        for n, g in enumerate((g for g in groups if g), start=1):
            ids = tuple(sorted(p for p in g if p not in left_set))
            if not ids:
                continue
            counts = Counter(team_of[p] for p in ids)
            out.append(Cohort(
                id=f"{prefix}-{n}", track=track_id, plans=tuple(sorted({q.id for p in ids for q in plans_of[p]})),
                workplaces=tuple(sorted({plan_of[p].workplace for p in ids})), participants=ids,
                team_counts=tuple(sorted(counts.items())),
                languages=frozenset(lang_of[p] for p in ids if lang_of[p]),
            ))
        reason = (f"the {len(members)} participants of track {track.name} cannot all be split into groups "
                  f"of {gmin} to {gmax}")
        return out, [Unassigned(p, q.id, reason) for p in sorted(left_set) for q in plans_of[p]]


class _GroupRepair:
    """Moves and swaps of single participants between a pool's cohorts until each cohort can
    meet at all, as far as can be seen before scheduling: the common window of its members'
    plans holds the whole track, a module held at the workplace has a room big enough at one
    of the cohort's workplaces, no team has more on-shift-only members in it than its staffing
    slack, and the on-shift members' shifts share start times. The dealing that made the
    groups looks at teams and languages only; in a mixed-workplace pool the members' windows,
    sites and rooms differ, and a cohort that breaks one of these can never be scheduled.
    Among groupings that keep all of them, fewer languages per cohort (interpreters are
    scarce) and roomier windows are preferred."""

    HARD = 1000.0
    MAX_EVALUATIONS = 4000

    def __init__(self, shaper, track, members, plans_of, team_of, lang_of, gmin: int, gmax: int):
        sc = shaper.sc
        self.shaper, self.sc, self.track = shaper, sc, track
        self.team_of, self.lang_of = team_of, lang_of
        self.gmin, self.gmax = gmin, gmax
        self.need = track_span_days(sc, track)
        self.window = {}
        self.site = {}
        for pid, plan in members:
            plans = plans_of[pid]
            self.window[pid] = (max(q.earliest for q in plans), min(q.deadline for q in plans))
            self.site[pid] = sc.workplaces[plan.workplace].site
        # per workplace-held module: the largest fitting room per site
        self.room_by_site: list[dict[str, int]] = []
        for mid in track.modules:
            m = sc.modules[mid]
            if m.location != "workplace":
                continue
            best: dict[str, int] = {}
            for r in sc.rooms.values():
                if m.room_features <= r.features:
                    best[r.site] = max(best.get(r.site, 0), r.capacity)
            self.room_by_site.append(best)
        self._span_cache: dict[tuple, int] = {}
        # per member: (team, may train on shift, may train off shift), as the rules judge them
        self.flags = {pid: (team_of[pid], all(q.allow_on_shift for q in plans_of[pid]),
                            all(q.allow_off_shift for q in plans_of[pid])) for pid, _ in members}
        e0 = min(w[0] for w in self.window.values())
        d0 = max(w[1] for w in self.window.values())
        by_duration: dict[int, int] = {}
        for mid in track.modules:
            m = sc.modules[mid]
            by_duration[m.duration_minutes] = max(by_duration.get(m.duration_minutes, 0), m.sessions)
        self.ranges = [(dur, *shaper.slot_range(e0, d0, dur), n) for dur, n in sorted(by_duration.items())]
        spans: dict[TeamKey, tuple] = {}
        for pid, _plan in members:
            t, (e, d) = team_of[pid], self.window[pid]
            old = spans.get(t)
            spans[t] = (e, d) if old is None else (min(old[0], e), max(old[1], d))
        self.team_range = {(t, dur): shaper.slot_range(e, d, dur) for t, (e, d) in spans.items() for dur in by_duration}

    def _span(self, e, d) -> int:
        key = (e, d)
        if key not in self._span_cache:
            self._span_cache[key] = window_span(self.sc, self.track, e, d, self.shaper.open_days)
        return self._span_cache[key]

    def window_mask(self, e, d, duration: int, first: int, last: int) -> int:
        lo, hi = self.shaper.slot_range(e, d, duration)
        lo, hi = max(lo, first), min(hi, last)
        return ((1 << hi) - (1 << lo)) if hi > lo else 0

    def penalty(self, group: list[str]) -> float:
        """How far the cohort is from one that can meet (HARD per unit), plus preferences."""
        if not group:
            return 0.0
        hard = 0.0
        e = max(self.window[p][0] for p in group)
        d = min(self.window[p][1] for p in group)
        span = self._span(e, d)
        if span < self.need:
            hard += 5 + min(self.need, self.need - span)
        size = len(group)
        if self.room_by_site:
            sites = {self.site[p] for p in group}
            for best in self.room_by_site:
                cap = max((best.get(x, 0) for x in sites), default=0)
                if cap < size:
                    hard += 3 + (size - cap)
        # rules 7-9 for every member at once: the start slots the whole cohort could use
        groups = Counter(self.flags[p] for p in group)
        fewest = None
        for duration, first, last, sessions in self.ranges:
            mask = self.window_mask(e, d, duration, first, last)
            for (team, on_ok, off_ok), n in groups.items():
                if not mask:
                    break
                lo, hi = self.team_range[team, duration]  # the team's members' windows: beyond them the mask is 0 anyway
                mask &= self.shaper.team_mask(team, duration, on_ok, off_ok,
                                              n > self.sc.teams[team].staffing_slack, lo, hi)
            free = mask.bit_count()
            if free < sessions:
                hard += 5 + (sessions - free)
            fewest = free if fewest is None else min(fewest, free)
        langs = len({self.lang_of[p] for p in group if self.lang_of[p]})
        return self.HARD * hard + langs - 0.01 * min(span - self.need, 30) - 0.01 * min(fewest or 0, 50)

    def repair(self, groups: list[list[str]]) -> list[list[str]]:
        groups = [list(g) for g in groups]
        pen = [self.penalty(g) for g in groups]
        if max(pen) < self.HARD / 2:  # the preferences move a penalty by less than that
            return groups
        rng = random.Random(len(groups) * 7919 + sum(len(g) for g in groups))
        evaluations = 0
        improved = True
        while improved and evaluations < self.MAX_EVALUATIONS:
            improved = False
            bad = [j for j in range(len(groups)) if pen[j] >= self.HARD / 2]
            if not bad:
                break
            rng.shuffle(bad)
            for a in bad:
                best = None  # (gain, kind, x, b, y)
                members = list(groups[a])
                rng.shuffle(members)
                for x in members:
                    for b in range(len(groups)):
                        if b == a:
                            continue
                        # move x from a to b
                        if len(groups[a]) > self.gmin and len(groups[b]) < self.gmax:
                            na = [p for p in groups[a] if p != x]
                            nb = groups[b] + [x]
                            gain = pen[a] + pen[b] - self.penalty(na) - self.penalty(nb)
                            evaluations += 1
                            if gain > 1e-9 and (best is None or gain > best[0]):
                                best = (gain, na, b, nb)
                        # swap x with y of b
                        for y in groups[b]:
                            na = [p for p in groups[a] if p != x] + [y]
                            nb = [p for p in groups[b] if p != y] + [x]
                            gain = pen[a] + pen[b] - self.penalty(na) - self.penalty(nb)
                            evaluations += 1
                            if gain > 1e-9 and (best is None or gain > best[0]):
                                best = (gain, na, b, nb)
                    if best is not None and best[0] >= self.HARD / 2:
                        break  # a hard fault mended: take it (first improvement keeps it fast)
                    if evaluations >= self.MAX_EVALUATIONS:
                        break
                if best is not None:
                    _gain, na, b, nb = best
                    groups[a], groups[b] = na, nb
                    pen[a], pen[b] = self.penalty(na), self.penalty(nb)
                    improved = True
                if evaluations >= self.MAX_EVALUATIONS:
                    break
        return groups


def repair_groups(scenario: Scenario, timeline, track_id: str, groups: list[list[str]],
                  team_cache: dict | None = None, shaper: CohortShaper | None = None) -> list[list[str]]:
    """`groups` (participants of one track) with members moved and swapped until each group
    could meet as far as can be seen before scheduling (`_GroupRepair`); sizes stay within the
    track's group sizes."""
    track = scenario.tracks[track_id]
    shaper = shaper or CohortShaper(scenario, timeline, team_cache)
    people = {pid for g in groups for pid in g}
    plans_of: dict[str, list[ActionPlan]] = defaultdict(list)
    for plan in scenario.plans_of_track(track_id):
        for pid in plan.participants:
            if pid in people and plan not in plans_of[pid]:
                plans_of[pid].append(plan)
    members = [(pid, plans_of[pid][0]) for g in groups for pid in g]
    team_of = {pid: scenario.participants[pid].team for pid, _ in members}
    lang_of = {pid: scenario.participants[pid].language or "" for pid, _ in members}
    return _GroupRepair(shaper, track, members, plans_of, team_of, lang_of,
                        track.min_group, track.max_group).repair(groups)


def track_span_days(scenario: Scenario, track) -> int:
    """The fewest calendar days a cohort needs from its first session to its last: every
    module's sessions kept apart by their minimum gap, a day per module, and weekends."""
    work_days = 0
    for mid in track.modules:
        m = scenario.modules[mid]
        work_days += (m.sessions - 1) * max(1, m.min_gap_days) + 1
    per_week = max(1, len(scenario.calendar.weekdays))
    return math.ceil(work_days * 7 / per_week)


def window_span(scenario: Scenario, track, e, d, open_days: list | None = None) -> int:
    """Calendar days of a common window e..d, 0 when the track's sessions cannot follow each
    other on its open days with their minimum gaps (a window across the summer closure is
    long but empty)."""
    days = (d - e).days + 1
    if open_days is None or days <= 0:
        return days
    day = e
    for mid in track.modules:
        m = scenario.modules[mid]
        for n in range(m.sessions):
            at = bisect.bisect_left(open_days, day)
            if at == len(open_days) or open_days[at] > d:
                return 0
            day = open_days[at] + timedelta(days=max(1, m.min_gap_days) if n < m.sessions - 1 else 1)
    return days


def window_pools(scenario: Scenario, track, plans: list[ActionPlan],
                 plans_of: dict[str, list[ActionPlan]], open_days: list | None = None) -> list[list[ActionPlan]]:
    """Pools of a mixed-workplace track: plans whose windows leave room for the whole track
    together. A cohort must meet inside the windows of all its plans, so mixing plans whose
    windows barely overlap gives cohorts that can never be scheduled. Plans are taken in
    window order and join the pool whose common window stays longest (and at least the
    track's span with some slack); pools too small for a cohort of `min_group` join the pool
    whose common window they shrink least (rule 5 allows a small cohort only when the whole
    track is small). Plans that share a person stay in one pool."""
    need = track_span_days(scenario, track)
    linked = _plans_sharing_people(plans, plans_of)
    groups = sorted(linked, key=lambda g: (max(p.earliest for p in g), min(p.deadline for p in g), g[0].id))

    def window(g):
        return max(p.earliest for p in g), min(p.deadline for p in g)

    def span(e, d):
        return window_span(scenario, track, e, d, open_days)

    def size(g):
        return len({pid for p in g for pid in p.participants})

    pools: list[list[ActionPlan]] = []
    for g in groups:
        e, d = window(g)
        best, best_span = None, -1
        for pool in pools:
            pe, pd = window(pool)
            s = span(max(e, pe), min(d, pd))
            if s >= need and s > best_span:
                best, best_span = pool, s
        if best is None:
            pools.append(list(g))
        else:
            best += g
    workplace_modules = [scenario.modules[m] for m in track.modules if scenario.modules[m].location == "workplace"]

    def roomless(pool) -> bool:
        """A module held at the workplace has no room with its features at any of the pool's
        workplaces: the pool's people can only meet together with another workplace's."""
        sites = {scenario.workplaces[p.workplace].site for p in pool}
        return any(not any(m.room_features <= r.features and r.site in sites and r.capacity >= track.min_group
                           for r in scenario.rooms.values()) for m in workplace_modules)

    def overfull(pool) -> bool:
        """More members of a team who may only train on shift than the team's slack lets the
        pool's cohorts hold: with few members they must meet with other workplaces' people."""
        kmax = max(1, size(pool) // max(1, track.min_group))
        on_only = Counter(scenario.participants[pid].team for p in pool if not p.allow_off_shift
                          for pid in p.participants)
        return any(n > scenario.teams[t].staffing_slack * kmax for t, n in on_only.items())

    while len(pools) > 1:
        stuck = [pool for pool in pools if size(pool) < track.min_group or roomless(pool) or overfull(pool)]
        if not stuck:
            break
        pool = min(stuck, key=size)
        pools.remove(pool)
        e, d = window(pool)
        other = max(pools, key=lambda q: (not (roomless(pool) and roomless(q)), not overfull(q + pool),
                                          span(max(e, window(q)[0]), min(d, window(q)[1])), -size(q)))
        other += pool
    return [sorted(pool, key=lambda p: plans.index(p)) for pool in pools]


def _plans_sharing_people(plans: list[ActionPlan], plans_of: dict[str, list[ActionPlan]]) -> list[list[ActionPlan]]:
    """Pools without mixing: each plan on its own, except that plans sharing a person form one
    pool (the person can only be in one cohort of the track, which then serves both plans)."""
    pool_of = {p.id: i for i, p in enumerate(plans)}
    for shared in plans_of.values():
        if len(shared) > 1:
            target = pool_of[shared[0].id]
            for other in shared[1:]:
                old = pool_of[other.id]
                for pid, pool in pool_of.items():
                    if pool == old:
                        pool_of[pid] = target
    pools: dict[int, list[ActionPlan]] = defaultdict(list)
    for p in plans:
        pools[pool_of[p.id]].append(p)
    return list(pools.values())


def _members(pool: list[ActionPlan], plans_of: dict[str, list[ActionPlan]]) -> list[tuple[str, ActionPlan]]:
    """The pool's participants with the plan that holds them: a person in several plans of the
    track belongs to the pool of the first of those plans only."""
    seen, out = set(), []
    for plan in pool:
        for pid in plan.participants:
            if pid not in seen and plans_of[pid][0] is plan:
                seen.add(pid)
                out.append((pid, plan))
    return out


def _deal(people: list[str], k: int, team_of: dict, lang_of: dict, teams: dict) -> list[list[str]]:
    """Deal `people` (sorted by team) round robin into k cohorts, so each team is spread evenly
    (a team's share of a cohort meeting on shift is capped by its staffing slack); then bring
    those who need the same language together by swapping them with members of their own team
    (a swap keeps every cohort's size and team shares): every cohort with a speaker of a
    language needs an interpreter for every session, and interpreters are few."""
    bins: list[list[str]] = [[] for _ in range(k)]
    for n, pid in enumerate(people):
        bins[n % k].append(pid)
    speakers = Counter(lang_of[p] for p in people if lang_of[p])
    for lang, _ in sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0])):
        home = max(range(k), key=lambda j: (sum(lang_of[p] == lang for p in bins[j]), -j))
        for j in range(k):
            if j == home:
                continue
            for pid in [p for p in bins[j] if lang_of[p] == lang]:
                # a member of the same team in the home cohort who does not need this language
                # (one who needs none first)
                swap = sorted((q for q in bins[home] if team_of[q] == team_of[pid] and lang_of[q] != lang),
                              key=lambda q: (bool(lang_of[q]), q))
                if swap:
                    q = swap[0]
                    bins[home][bins[home].index(q)] = pid
                    bins[j][bins[j].index(pid)] = q
    return bins


def _crew_sizes(crews: list, k: int, gmin: int, gmax: int) -> list[int] | None:
    """Sizes of k contiguous cohorts over members sorted by rota phase (`crews`: each one's
    team, in that order) that cut as few crews as possible, then are as even as possible,
    each within gmin..gmax; None when no such cut exists. A crew cut in two puts people of
    different rota phases together: a cohort whose members may only train off shift then has
    few common free times (on a planted industry programme: 7 starts in three months)."""
    n = len(crews)
    if not gmin * k <= n <= gmax * k:
        return None
    even = n / k
    # best[j][x]: (crews cut, unevenness) of j cohorts over the first x members, and the last cut
    best: list[dict[int, tuple]] = [{0: (0, 0.0, None)}] + [{} for _ in range(k)]
    for j in range(1, k + 1):
        for x, (cuts, uneven, _) in best[j - 1].items():
            for size in range(gmin, gmax + 1):
                y = x + size
                if y > n:
                    break
                cut = 1 if 0 < y < n and crews[y - 1] == crews[y] else 0
                got = (cuts + cut, uneven + (size - even) ** 2, x)
                if y not in best[j] or got[:2] < best[j][y][:2]:
                    best[j][y] = got
    if n not in best[k]:
        return None
    sizes, y = [], n
    for j in range(k, 0, -1):
        x = best[j][y][2]
        sizes.append(y - x)
        y = x
    return sizes[::-1]


def _valid_count(n: int, gmin: int, gmax: int, wanted: int) -> int:
    """A number of cohorts near `wanted` whose sizes can all lie within gmin..gmax (fewer cohorts
    when `wanted` would make them too small)."""
    k = max(1, wanted)
    while k > 1 and n // k < gmin:
        k -= 1
    return k


def cohort_sessions(scenario: Scenario, cohorts: list[Cohort]) -> list[CohortSession]:
    """Every session every cohort must have, in track order."""
    out = []
    for c in cohorts:
        pos = 0
        for mid in scenario.tracks[c.track].modules:
            m = scenario.modules[mid]
            for idx in range(1, m.sessions + 1):
                out.append(CohortSession(SessionKey(c.id, mid, idx), c, mid, idx, m.sessions, pos, m.duration_minutes))
                pos += 1
    return out


def cohorts_forced(problem) -> bool:
    """True when no other way of forming the cohorts exists: every pool is too small for two
    cohorts of `min_group` (so a bound proven for these cohorts bounds the programme)."""
    sc = problem.scenario
    if problem.unassigned:
        return False
    for track in sc.tracks.values():
        plans = sc.plans_of_track(track.id)
        people = [pid for p in plans for pid in p.participants]
        if track.mix_workplaces or len(people) != len(set(people)):
            if len(set(people)) >= 2 * track.min_group:
                return False
        elif any(len(p.participants) >= 2 * track.min_group for p in plans):
            return False
    return True
