"""A lower bound on the objective of *every* valid schedule of a programme.

CP-SAT's bound is a bound for the cohorts the solver fixed up front; who studies with whom
is itself a decision, so that figure is not a bound for the programme. This module proves one
that is: for every way of forming cohorts, with any number of unscheduled sessions and
unassigned participants, the spec's objective (scenario-v1.md, "Objective") is at least
:func:`programme_lower_bound`'s ``total``.

The argument
============

Notation: ``Us`` = weight ``unscheduled_session``, ``Up`` = ``unassigned_participant``.
A *unit* is one person in one track (one person in two plans of a track is one unit: they are
in at most one cohort of the track). A *pool* is a set of units that may share a cohort: all
units of a ``mix_workplaces`` track, otherwise the units whose plans of the track are at one
workplace (rule 5: a cohort's workplaces are those of its members' plans, one without mixing),
joined where one person has plans at several. Merging pools only relaxes the bound, so doing
it where in doubt is safe.

Every objective term is a sum over units, cohorts or sessions, so the objective is the sum,
over units and cohorts, of what is charged to them below; we bound each piece from below and
take the minimum over every choice the schedule could make, *per pool* (pools are coupled
only through trainers, see 8), so no cost is counted twice.

1. **Per unit and module** (``att``). A scheduled session of module m that unit u attends
   starts at a calendar slot (rule 2) inside the windows of all of u's plans of the track,
   fitting u's shifts (rule 8, u's first plan of the track as the validator reads it), not
   overlapping u's team's shifts if the team has no staffing slack (rule 7: with
   ``headcount == min_staffing`` no member may be in a session while on shift), with a
   qualified trainer available for all of it (rule 3), a room with the features (at a site of
   the pool for ``workplace`` modules) not unavailable (rule 4), and language support for u
   (rule 10). Among those slots the participant cost of u (session minutes inside the union of
   u's shifts at ``backfill_per_hour``, the rest at ``overtime_per_hour``) is at least
   ``att[u,m]``, the minimum over them (+inf if there is none). Daily rest is deliberately
   *not* used: a session that breaks the rest alone may be legal next to another session
   (blocks merge and the rule's exemption is judged per window), so it is no proof.
2. **Unscheduled sessions are shared.** A cohort has at most ``G = max(max_group,
   min_group - 1)`` members, so the ``Us`` of an unscheduled cohort-session is at least
   ``G * Us / G``; we charge each member ``a[u,m] = min(Us / G, att[u,m])`` per session of m
   -- whether the session is scheduled (then u pays ``att >= a``) or not (``Us`` pays it).
   What is left of an unscheduled session's ``Us`` after its members' ``a`` is at least
   ``slack[m](n) = Us - (the n largest a[u,m] of the pool)`` for a cohort of n members.
3. **Per cohort** (``rho``). A scheduled cohort-session of m costs its trainer's
   ``cost_per_hour`` x hours, plus a share of travel: a trainer's travel on a day is split
   equally over that day's sessions (the shares add up to exactly the travel). A trainer whose
   home is not at any site where the pool's module m may be held (no fitting room there; not
   a remote module) travels at least home -> x and x -> home that
   day, i.e. ``2 * dist(home, x)`` (shortest chain of trips: the table need not keep the
   triangle inequality) for the session's site x among the fitting rooms' sites, shared by at most
   ``cap_t`` sessions (``max_sessions_per_day`` and the start slots of a day at which the
   trainer is available). ``rho[m]`` is the minimum of cost + travel share over the qualified
   trainers available at some slot admissible for some unit of the pool. A cohort whose
   sessions are *all* scheduled ("full") is also ``late_per_day`` x days late at least as
   much as its least-late member allows: its sessions, in track order with ``min_gap_days``
   (max gaps ignored), lie on slots admissible for each member, so its last session is no
   earlier than the greedy earliest chain ``E[u]`` of any member, and its target is at most
   each member's; ``L`` = the smallest such lateness in its component (5). Hence a full cohort costs,
   beyond its members' ``a``, at least ``opt_all = sum_m sessions_m * rho[m] + L``, and it can
   have at most ``Gs = min(G, largest fitting room of each room module)`` members. A cohort
   with some unscheduled session ("broken", n members) costs at least ``opt_some(n)``: per
   session the min of ``rho`` and ``slack(n)`` (just ``slack`` when the room is too small for
   n), and at least one session at ``slack`` (no lateness counted).
4. **Staffing within a full cohort** (rule 7). All members of a team work the same shifts. If
   a cohort session overlaps team θ's shifts, at most ``s_θ = headcount - min_staffing`` of
   θ's members are in it. Members whose plan forbids off-shift training must sit inside their
   shift, so a full cohort holds at most ``s_θ`` of them: K full cohorts hold at most
   ``K * s_θ``. Members that may train on or off shift ("flex") beyond ``K * s_θ`` (with θ's
   other on-shift-capable members) train off shift for the whole track: each pays at least
   ``Δ_θ`` more, the smallest (cheapest fully off-shift track) - (sum of its ``a``) over θ's
   flex units.
   **Crews.** In one session at slot s the members on shift number at most the sum of
   ``min(s_θ, θ's units in the pool)`` over the teams whose shift overlaps s (rotating crews
   are rarely on shift together); ``C[m]`` is the most over m's possible slots. So of f flex
   members in K full cohorts at least ``f - K * C[m]`` sit each session of m fully off shift,
   paying at least the least (cheapest fully-off-shift cost - ``a``). This and the per-team
   extra charge the same kind of cost, so only the larger of the two is counted.
   **Anchoring.** A full cohort holding a member v whose plan forbids off-shift training
   holds every session at a slot admissible for v, so each other member u pays at least her
   cheapest cost over the slots admissible for both (an evening worker in a day workers'
   cohort pays overtime). Per u the least such sum over the possible anchors of its component,
   minus u's ``a``-sum, is u's *anchor extra*; full cohorts are anchored (K_a of them, each
   with an anchor, so K_a <= anchors in them) or free (none), and the z others in anchored
   cohorts pay at least the z smallest extras (see :func:`_full_cost_anchored`).
5. **Compatibility.** Two profiles (units alike in team, flags, window, language) can sit in
   one full cohort only if, for every module, some slot is admissible for both; so a full
   cohort lies inside one connected component of that relation, and the full cohorts' cost is
   the cheapest split of their members over the components (a min-plus convolution).
6. **The pool's choice.** The schedule picks the assigned units (the others cost ``Up`` per
   plan), how many members sit in broken cohorts (m) and in full ones (x), and the number K of
   full cohorts. For given numbers, the cheapest choice of assigned units are those with the
   smallest ``sum a - Up``; broken cohorts cost at least ``B(m)``, the cheapest split of m into
   sizes <= G under ``opt_some``; full cohorts at least ``K * opt_all`` plus the staffing
   extras, with ``K >= ceil(x / Gs)`` and ``K >= ceil(on_θ / s_θ)``, where the counts of each
   team's members among x are bounded below by ``x - (eligible units not of θ)``. Only units
   with a finite ``att`` for every module and a finite ``E`` can be in full cohorts. The pool's
   bound is the minimum over a, m and K of the sum: every valid schedule is one of these
   choices and costs at least its value.
7. **Cohort relaxation (CP-SAT), where it can add.** For small pools whose profiles' cheapest
   slots differ, a relaxed model of the pool that lets each full cohort pick one *slot class*
   per module (see :func:`_pool_cpsat`) is given CP-SAT for a fraction of a second; its
   *proven* bound (floored to 1/60) replaces the pool's bound when higher. It is a bound of a
   relaxation, so valid whether or not CP-SAT finished.
8. **Trainer capacity (Lagrangian).** A trainer teaches at most ``Cap_t`` minutes in the
   horizon (per ISO week ``max_minutes_per_week``, per day ``min(max_sessions_per_day, start
   slots the trainer is free at) x`` the longest module). For any prices ``λ_t >= 0`` per
   minute, objective >= (the bound computed with ``cost_per_hour / 60 + λ_t`` per minute)
   ``- sum_t λ_t Cap_t``, since the priced minutes never exceed ``Cap_t``. A few subgradient
   steps on λ (from 0, so never below the unpriced bound) keep the best value. The CP-SAT pool
   bounds are computed at λ = 0, which only lowers them (prices add cost), so they stay valid
   inside this sum.

**Interpreters.** A full cohort holding a member who needs language L, in a module none of
the pool's qualified trainers speaks L, has an interpreter speaking L at every session, who
travels home -> site -> home that day like a trainer (shares as in 3). At least
``ceil(x_L / Gs)`` full cohorts hold one of the x_L such members; since one interpreter may
speak several languages, only the dearest language is counted.

The total is the sum of the pools' bounds; trainer changes are counted as 0 (allowed: every
term is >= 0). ``terms`` splits the total by objective term *as the
minimising choice charges it* (participant costs of the cheapest slots, trainer cost and
travel of ``rho``, lateness ``L``, the unscheduled shares and slack, the unassigned
penalties, the staffing extra and what the CP-SAT relaxation adds as overtime, the capacity
prices off the trainer cost); they add up to ``total``, but each is *not* on its
own a bound on that term of a schedule (the minimum may trade one term against another).

Cost: numpy over the calendar slots, per (team, duration), (person, duration) and per
profile (units with the same team, plan window, flags, language and pool); O(P^2) per pool of
P units for the choice, vectorised.
"""

from __future__ import annotations

import heapq
import math
import time as _time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from scheduler.domain import Scenario
from scheduler.prepare.timeline import Timeline

TERMS = ("unscheduled_session", "unassigned_participant", "backfill_per_hour", "overtime_per_hour",
         "trainer_cost", "travel_per_minute", "late_per_day", "trainer_change")
INF = math.inf
CP_MAX_UNITS = 16  # the cohort relaxation is built for pools up to this many units
CP_MAX_POOLS = 64  # and for at most this many pools (those whose members' cheapest slots differ most)
CP_SECONDS = 0.1  # per pool
CP_BUDGET = 0.25  # in all (or as long as the rest took, if longer)
LAGRANGE_STEPS = 30  # subgradient steps on the trainers' capacity prices
SCALE = 60  # the relaxation's integer costs: 1/60 of a currency unit, rounded down


@dataclass(frozen=True)
class ProgrammeBound:
    """``total`` <= the objective of every valid schedule of the programme; ``terms`` is how
    the bound's minimising choice charges it to the objective terms (they sum to ``total``;
    see the module docstring: not a bound per term); ``notes`` say what was left out."""

    total: float
    terms: dict[str, float]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    pools: int = 0
    cohorts: int = 0  # cohorts in the bound's cheapest choice (for the record)


@dataclass
class _Unit:
    pid: str
    track: str
    team: tuple
    plans: list
    kind: str  # "on": must lie inside a shift; "flex": on or off; "off": never on shift
    profile: tuple = ()
    key: float = 0.0  # sum a - Up penalty
    upen: float = 0.0
    asum: float = 0.0
    eligible: bool = False
    late: float = INF
    delta: float = INF
    comp: int = 0  # compatibility component within the pool
    anchor_extra: float = 0.0  # extra cost in a full cohort with an inside-shift member
    off_extra: dict = field(default_factory=dict)  # per module: fully off shift - a
    attr: dict = field(default_factory=dict)


class _Slots:
    """Calendar slots as numpy arrays, and per-slot facts computed once per key."""

    def __init__(self, scenario: Scenario, tl: Timeline):
        self.sc, self.tl = scenario, tl
        slots = tl.slots
        order = sorted(range(len(slots)), key=lambda i: slots[i].minute)
        self.slots = [slots[i] for i in order]
        self.start = np.array([s.minute for s in self.slots], dtype=np.int64)
        self.day = np.array([s.day.toordinal() for s in self.slots], dtype=np.int64)
        self._team: dict = {}
        self._free: dict = {}
        self._room: dict = {}

    def team(self, key, d: int):
        """(minutes on shift, inside one shift instance) per slot for a session of d minutes."""
        hit = self._team.get((key, d))
        if hit is None:
            a, b = self.start, self.start + d
            union = self.tl.shift_union.get(key, [])
            if union:
                us = np.array([x for x, _ in union], dtype=np.int64)
                ue = np.array([y for _, y in union], dtype=np.int64)
                cum = np.concatenate(([0], np.cumsum(ue - us)))

                def before(t):
                    i = np.searchsorted(us, t, side="right") - 1
                    ok = i >= 0
                    ic = np.maximum(i, 0)
                    return np.where(ok, cum[ic] + np.clip(t - us[ic], 0, ue[ic] - us[ic]), 0)

                on = before(b) - before(a)
            else:
                on = np.zeros(len(a), dtype=np.int64)
            inst = self.tl.shift_instances.get(key, [])
            if inst:
                ist = sorted((s.start, s.end) for s in inst)
                ps = np.array([x for x, _ in ist], dtype=np.int64)
                pe = np.maximum.accumulate(np.array([y for _, y in ist], dtype=np.int64))
                i = np.searchsorted(ps, a, side="right") - 1
                inside = (i >= 0) & (pe[np.maximum(i, 0)] >= b)
            else:
                inside = np.zeros(len(a), dtype=bool)
            hit = self._team[(key, d)] = (on, inside)
        return hit

    def free(self, kind: str, person, d: int) -> np.ndarray:
        """Per slot: the trainer/interpreter is available for all of [start, start + d)."""
        key = (kind, person.id, d)
        hit = self._free.get(key)
        if hit is None:
            av = self.tl.availability(person)
            if not av:
                hit = np.zeros(len(self.start), dtype=bool)
            else:
                s0 = np.array([x for x, _ in av], dtype=np.int64)
                e0 = np.array([y for _, y in av], dtype=np.int64)
                i = np.searchsorted(s0, self.start, side="right") - 1
                hit = (i >= 0) & (e0[np.maximum(i, 0)] >= self.start + d)
            self._free[key] = hit
        return hit

    def room_free(self, room, d: int) -> np.ndarray:
        key = (room.id, d)
        hit = self._room.get(key)
        if hit is None:
            from scheduler.prepare.timeline import merge_intervals
            blocked = merge_intervals([self.tl.period(p) for p in room.unavailable])
            if not blocked:
                hit = np.ones(len(self.start), dtype=bool)
            else:
                bs = np.array([x for x, _ in blocked], dtype=np.int64)
                be = np.array([y for _, y in blocked], dtype=np.int64)
                i = np.searchsorted(bs, self.start + d, side="left") - 1
                hit = ~((i >= 0) & (be[np.maximum(i, 0)] > self.start))
            self._room[key] = hit
        return hit


def _usable(trainer, d: int) -> bool:
    if trainer.max_sessions_per_day is not None and trainer.max_sessions_per_day < 1:
        return False
    return trainer.max_minutes_per_week is None or trainer.max_minutes_per_week >= d


def programme_lower_bound(scenario: Scenario, timeline: Timeline | None = None, *,
                          deadline: float | None = None) -> ProgrammeBound:
    """A lower bound on the objective of every valid schedule of `scenario` (see the module
    docstring for the proof). `deadline` is a `time.monotonic()` instant: pools not reached by
    then count 0 (still a bound) and a note says so."""
    t0 = _time.monotonic()
    sc = scenario
    tl = timeline if timeline is not None else Timeline(sc)
    W = sc.weights
    Us, Up = float(W["unscheduled_session"]), float(W["unassigned_participant"])
    wb, wo = float(W["backfill_per_hour"]), float(W["overtime_per_hour"])
    wt, wl = float(W["travel_per_minute"]), float(W["late_per_day"])
    S = _Slots(sc, tl)
    nslots = len(S.start)
    notes: list[str] = []
    terms = dict.fromkeys(TERMS, 0.0)

    # ---- units and pools -------------------------------------------------------------
    units: list[_Unit] = []
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for track in sc.tracks.values():
        plans = sc.plans_of_track(track.id)
        by_pid: dict[str, list] = defaultdict(list)
        for pl in plans:
            for pid in dict.fromkeys(pl.participants):
                by_pid[pid].append(pl)
        for pid, pls in by_pid.items():
            first = pls[0]
            kind = "on" if not first.allow_off_shift else ("flex" if first.allow_on_shift else "off")
            u = _Unit(pid, track.id, sc.participants[pid].team, pls, kind)
            units.append(u)
            nodes = [("T", track.id)] if track.mix_workplaces else [("W", track.id, p.workplace) for p in pls]
            for n in nodes[1:]:
                parent[find(n)] = find(nodes[0])
            u.profile = nodes[0]
    pools: dict = defaultdict(list)
    for u in units:
        pools[find(u.profile)].append(u)

    # ---- per module and pool: resources per slot -------------------------------------
    room_sites = frozenset(r.site for r in sc.rooms.values())
    start_times = len(sc.calendar.start_times)
    trainer_cap: dict[str, int] = {}

    def cap_of(t) -> int:
        """Most sessions trainer t can hold on one local date."""
        hit = trainer_cap.get(t.id)
        if hit is None:
            ds = [m.duration_minutes for m in sc.modules.values() if m.qualification in t.qualifications]
            per_day = 0
            if ds:
                f = S.free("trainer", t, min(ds))
                if f.any():
                    per_day = int(np.bincount(S.day[f] - S.day.min()).max())
            hit = min(per_day or start_times, t.max_sessions_per_day or start_times, start_times)
            trainer_cap[t.id] = max(1, hit)
        return trainer_cap[t.id]

    interp_cap: dict = {}
    d_min = min((m.duration_minutes for m in sc.modules.values()), default=60)

    def cap_of_interpreter(i) -> int:
        """Most sessions interpreter i can attend on one local date."""
        if i.id not in interp_cap:
            f = S.free("interpreter", i, d_min)
            per_day = int(np.bincount(S.day[f] - S.day.min()).max()) if f.any() else 0
            interp_cap[i.id] = max(1, min(per_day or start_times, start_times))
        return interp_cap[i.id]

    # shortest travel between sites over any chain of trips (the travel table need not keep
    # the triangle inequality): a day's route through x is at least home -> x -> home of these
    site_ids = sorted({*sc.sites, *room_sites, *(t.home_site for t in sc.trainers.values() if t.home_site),
                       *(i.home_site for i in sc.interpreters.values() if i.home_site)})
    pos = {x: i for i, x in enumerate(site_ids)}
    D = np.array([[sc.travel_minutes(a, b) for b in site_ids] for a in site_ids], dtype=float)
    for k in range(len(site_ids)):
        np.minimum(D, D[:, k:k + 1] + D[k:k + 1, :], out=D)

    def dist(a, b) -> float:
        return float(D[pos[a], pos[b]]) if a != b else 0.0

    def trainer_minutes(t) -> float:
        """Most session minutes trainer t can teach in the horizon: per ISO week at most
        max_minutes_per_week, per day at most (sessions a day) x (longest module)."""
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

    res_cache: dict = {}

    def resources(m, sites: frozenset, lang):
        """(slot mask where module m can be held for a cohort of the pool with language lang,
        fitting rooms, qualified usable trainers)."""
        key = (m.id, sites if m.location == "workplace" else None, lang)
        hit = res_cache.get(key)
        if hit is None:
            d = m.duration_minutes
            qual = [t for t in sc.trainers.values() if m.qualification in t.qualifications and _usable(t, d)]
            mask = np.zeros(nslots, dtype=bool)
            for t in qual:
                mask |= S.free("trainer", t, d)
            rooms = []
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
            hit = res_cache[key] = (mask, rooms, qual)
        return hit

    day_start_cache: dict = {}

    def window(u: _Unit):
        e = max(p.earliest for p in u.plans)
        dl = min(p.deadline for p in u.plans)
        k = (e, dl)
        if k not in day_start_cache:
            day_start_cache[k] = (tl.day_start(e), tl.day_end(dl))
        return day_start_cache[k]

    n_pools = 0
    skipped = 0
    pool_data: list = []
    cp_input: list = []
    for members in pools.values():
        if deadline is not None and _time.monotonic() > deadline:
            skipped += len(members)
            continue
        n_pools += 1
        track = sc.tracks[members[0].track]
        mods = [sc.modules[m] for m in track.modules]
        wps = {p.workplace for u in members for p in u.plans}
        sites = frozenset(sc.workplaces[w].site for w in wps if w in sc.workplaces)
        G = max(track.max_group, track.min_group - 1, 1)
        share = Us / G
        # profiles: units alike in everything the per-unit bound looks at
        prof: dict = {}
        groups: dict = defaultdict(list)
        union_mask = {m.id: np.zeros(nslots, dtype=bool) for m in mods}
        for u in members:
            lang = sc.participants[u.pid].language
            first = u.plans[0]
            pk = (u.team, first.allow_on_shift, first.allow_off_shift, window(u), lang)
            res = prof.get(pk)
            if res is None:
                res = prof[pk] = _profile(sc, S, u, mods, sites, lang, window(u), resources, wb, wo, union_mask)
            att, att_off, chain_day, costs, _ = res
            groups[pk].append(u)
            a = {m.id: min(share, att[m.id]) for m in mods}
            u.asum = sum(a[m.id] * m.sessions for m in mods)
            u.upen = Up * len(u.plans)
            u.key = u.asum - u.upen
            target = min(p.target for p in u.plans)
            u.eligible = all(math.isfinite(att[m.id]) for m in mods) and chain_day is not None
            if u.eligible:
                u.late = max(0, chain_day - target.toordinal()) * wl
                if u.kind == "flex":
                    off = sum(att_off[m.id] * m.sessions for m in mods)
                    u.delta = max(0.0, off - u.asum) if math.isfinite(off) else INF
                    u.off_extra = {m.id: max(0.0, att_off[m.id] - a[m.id]) for m in mods}
            attr = defaultdict(float)
            for m in mods:
                if att[m.id] <= share:
                    bf, ot = costs[m.id]
                    attr["backfill_per_hour"] += bf * m.sessions
                    attr["overtime_per_hour"] += ot * m.sessions
                else:
                    attr["unscheduled_session"] += share * m.sessions
            u.attr = attr
        # compatibility: two profiles may share a full cohort only if, for every module, some
        # slot is admissible for both; full cohorts lie inside a connected component
        keys = [pk for pk in groups if groups[pk][0].eligible]
        comp = {pk: i for i, pk in enumerate(keys)}

        def root(i):
            while comp_parent[i] != i:
                comp_parent[i] = comp_parent[comp_parent[i]]
                i = comp_parent[i]
            return i

        comp_parent = list(range(len(keys)))
        for i in range(len(keys)):
            vi = prof[keys[i]][4]
            for j in range(i + 1, len(keys)):
                if root(i) == root(j):
                    continue
                vj = prof[keys[j]][4]
                if all((vi[m.id][0] & vj[m.id][0]).any() for m in mods):
                    comp_parent[root(j)] = root(i)
        for pk in keys:
            for u in groups[pk]:
                u.comp = root(comp[pk])
        # anchoring: a full cohort holding a member v who must train inside her shift has
        # every session at a slot admissible for v, so another member u pays at least her
        # cheapest cost among the slots admissible for both; over the possible anchors v of
        # u's component that is u's anchored cost, the extra over u's a-sum is `anchor_extra`
        anchors = [pk for pk in keys if groups[pk][0].kind == "on"]
        for pk in keys:
            us = groups[pk]
            if us[0].kind == "on" or not anchors:
                continue
            vu = prof[pk][4]
            best = INF
            for pv in anchors:
                if root(comp[pv]) != root(comp[pk]):
                    continue
                vv = prof[pv][4]
                tot = 0.0
                for m in mods:
                    both = vu[m.id][0] & vv[m.id][0]
                    if not both.any():
                        tot = INF
                        break
                    tot += m.sessions * float(vu[m.id][1][both].min())
                best = min(best, tot)
            for u in us:
                u.anchor_extra = max(0.0, best - u.asum) if math.isfinite(best) else INF
        # per module: the largest possible sum of the members' a in a cohort of n (the n
        # largest a of the pool), n = 0..G
        amax = {}
        for m in mods:
            vals = sorted((min(share, prof[pk][0][m.id]) for pk, us in groups.items() for _ in us), reverse=True)
            top = np.concatenate(([0.0], np.cumsum(vals[:G])))
            if len(top) < G + 1:
                top = np.concatenate((top, np.full(G + 1 - len(top), top[-1])))
            amax[m.id] = top
        # per module: the qualified trainers who could teach it for this pool, with their
        # cost and travel share per session
        options: dict = {}
        caps: dict = {}
        for m in mods:
            d = m.duration_minutes
            _, rooms, qual = resources(m, sites, None)
            room_sites_m = {r.site for r in rooms}
            caps[m.id] = max((r.capacity for r in rooms), default=0) if m.location != "remote" else G
            opts = []
            for t in qual:
                if not (S.free("trainer", t, d) & union_mask[m.id]).any():
                    continue
                trav = 0.0
                if m.location != "remote" and t.home_site is not None and room_sites_m:
                    trip = min(dist(t.home_site, x) for x in room_sites_m)
                    trav = 2 * trip * wt / cap_of(t)
                opts.append((t.id, t.cost_per_hour * d / 60.0, trav, d))
            options[m.id] = opts
        # interpreters: a full cohort with a member needing language L, for a module no
        # qualified trainer of the pool speaks L in, has an interpreter speaking L at every
        # session, who travels home -> the session's site -> home that day (shares as for
        # trainers); per language the least such travel over the track
        lang_cost: dict = {}
        for lang in {sc.participants[u.pid].language for u in members} - {None}:
            total_l = 0.0
            for m in mods:
                if m.location == "remote":
                    continue
                if any(lang in sc.trainers[o[0]].languages for o in options[m.id]):
                    continue
                _, rooms, _ = resources(m, sites, None)
                room_sites_m = {r.site for r in rooms}
                best = INF
                for i in sc.interpreters.values():
                    if lang not in i.languages:
                        continue
                    if i.home_site is None or not room_sites_m:
                        best = 0.0
                        break
                    trip = min(dist(i.home_site, x) for x in room_sites_m)
                    best = min(best, 2 * trip * wt / cap_of_interpreter(i))
                if math.isfinite(best):
                    total_l += best * m.sessions
            if total_l > 0:
                lang_cost[lang] = total_l
        # crews: in one session at slot s, the members on shift number at most the slack of
        # the pool's teams whose shift overlaps s; C[m] = the most over m's possible slots
        team_n: dict = defaultdict(int)
        for u in members:
            if u.kind != "off":
                team_n[u.team] += 1
        crew: dict = {}
        for m in mods:
            if not union_mask[m.id].any():
                continue
            capv = np.zeros(nslots, dtype=np.int64)
            for t, n_t in team_n.items():
                sl = sc.teams[t].staffing_slack if t in sc.teams else 0
                if sl > 0:
                    capv += (S.team(t, m.duration_minutes)[0] > 0) * min(sl, n_t)
            crew[m.id] = (m.sessions, int(capv[union_mask[m.id]].max()))
        caps = dict(caps, __crew__=crew)
        pool_data.append((members, mods, G, share, Us, amax, options, caps, lang_cost))
        ci = (len(pool_data) - 1, prof, groups, mods, G, Us, amax, options, caps)
        gain = _conflict(ci)
        if gain > 0 and len(members) <= CP_MAX_UNITS:
            heapq.heappush(cp_input, (gain, len(pool_data), ci))
            if len(cp_input) > CP_MAX_POOLS:
                heapq.heappop(cp_input)

    # ---- the pools' bounds, and trainer capacity priced in (Lagrangian) ----------------
    capacity = {t.id: trainer_minutes(t) for t in sc.trainers.values()}

    # the cohort relaxation (CP-SAT) on the pools where members' cheapest slots differ
    cp_bound: dict[int, float] = {}
    t_base = _time.monotonic() - t0
    cp_stop = _time.monotonic() + min(max(CP_BUDGET, 0.25 * t_base), 2.0)
    if deadline is not None:
        cp_stop = min(cp_stop, deadline)
    for gain, _, ci in sorted(cp_input, key=lambda x: -x[0]):
        if _time.monotonic() > cp_stop:
            break
        v = _pool_cpsat(ci, sc, wl, min(CP_SECONDS, cp_stop - _time.monotonic()))
        if v is not None:
            cp_bound[ci[0]] = v
    del cp_input

    pool_trainers = [sorted({o[0] for opts in pd[6].values() for o in opts}) for pd in pool_data]
    pool_cache: dict = {}

    def evaluate(price):
        tot, attr, use = 0.0, defaultdict(float), defaultdict(float)
        for i, pd in enumerate(pool_data):
            key = (i, tuple(price.get(t, 0.0) for t in pool_trainers[i]))
            hit = pool_cache.get(key)
            if hit is None:  # a pool's bound depends on the prices of its trainers only
                hit = pool_cache[key] = _pool_bound(*pd, price, sc)
            b, pattr, puse = hit
            pattr = defaultdict(float, pattr)
            cp = cp_bound.get(i)
            if cp is not None and cp > b:  # valid at any price >= 0 (prices only add cost)
                pattr["overtime_per_hour"] += cp - b
                b = cp
            tot += b
            for k, v in pattr.items():
                attr[k] += v
            for k, v in puse.items():
                use[k] += v
        lag = sum(price[t] * capacity[t] for t in price)
        return tot - lag, attr, use, lag

    price: dict = {}
    best_total, best_attr, use, lag = evaluate(price)
    best_price = dict(price)
    over = {t: u - capacity[t] for t, u in use.items() if t is not None and u > capacity[t]}
    cohorts = int(use.get(None, 0))
    iters = 0
    if over:
        # subgradient steps on the prices of trainers used beyond their capacity
        base_cost = {t.id: t.cost_per_hour / 60.0 for t in sc.trainers.values()}
        step = 0.5 * (sum(base_cost.values()) / max(1, len(base_cost)))
        # a fixed number of steps (the same bound on every run), unless that takes far
        # longer than everything before it
        stop = t0 + 1.0 + 3.0 * (_time.monotonic() - t0)
        if deadline is not None:
            stop = min(stop, deadline)
        while iters < LAGRANGE_STEPS and _time.monotonic() < stop:
            iters += 1
            g = {t: use.get(t, 0.0) - capacity[t] for t in capacity}
            for t, v in g.items():
                rel = max(-1.0, min(1.0, v / max(1.0, capacity[t], use.get(t, 0.0))))
                p = max(0.0, price.get(t, 0.0) + step * rel / iters ** 0.5)
                if p > 0:
                    price[t] = p
                else:
                    price.pop(t, None)
            val, attr, use, lag = evaluate(price)
            if val > best_total:
                best_total, best_attr, best_price = val, attr, dict(price)
                cohorts = int(use.get(None, 0))
            if all(use.get(t, 0) <= capacity[t] for t in capacity) and not price:
                break
    terms = dict.fromkeys(TERMS, 0.0)
    for k, v in best_attr.items():
        terms[k] += v
    if best_price:
        # the priced-in capacity is charged to the trainers' cost
        terms["trainer_cost"] -= sum(best_price[t] * capacity[t] for t in best_price)
        notes.append(f"trainer capacity priced in ({len(best_price)} trainers, {iters} steps)")
    terms = {k: float(v) for k, v in terms.items()}
    total = sum(terms.values())
    if skipped:
        notes.append(f"deadline reached: {skipped} participants' pools were not bounded (counted 0)")
    notes.append("trainer changes and daily rest are not used (counted 0 / ignored); interpreter travel only "
                 "where no qualified trainer speaks the language")
    return ProgrammeBound(total=total, terms=terms, notes=tuple(notes), seconds=_time.monotonic() - t0,
                          pools=n_pools, cohorts=cohorts)


def _profile(sc, S: _Slots, u: _Unit, mods, sites, lang, win, resources, wb, wo, union_mask):
    """Per module: the cheapest participant cost over the slots admissible for u alone
    (`att`), the cheapest one fully off shift (`att_off`), the local date of the greedy
    earliest last session of the track (ordinal, or None), and the (backfill, overtime) cost
    split at the cheapest slot."""
    first = u.plans[0]
    team = sc.teams.get(u.team)
    slack = team.staffing_slack if team is not None else 0
    e0, e1 = win
    att, att_off, costs, vec = {}, {}, {}, {}
    chain_ok = True
    prev_end, prev_day = -(1 << 60), None
    for m in mods:
        d = m.duration_minutes
        on, inside = S.team(u.team, d)
        mask = (S.start >= e0) & (S.start + d <= e1)
        mask &= resources(m, sites, lang)[0]
        if not first.allow_on_shift or slack < 1:
            mask &= on == 0
        if not first.allow_off_shift:
            mask &= inside
        union_mask[m.id] |= mask
        cost = on * (wb / 60.0) + (d - on) * (wo / 60.0)
        vec[m.id] = (mask, cost, on)
        if mask.any():
            idx = np.flatnonzero(mask)
            j = idx[np.argmin(cost[idx])]
            att[m.id] = float(cost[j])
            costs[m.id] = (float(on[j] * wb / 60.0), float((d - on[j]) * wo / 60.0))
            offm = mask & (on == 0)
            att_off[m.id] = float(cost[offm].min()) if offm.any() else INF
        else:
            att[m.id], att_off[m.id], costs[m.id] = INF, INF, (0.0, 0.0)
            chain_ok = False
            continue
        if not chain_ok:
            continue
        st, dy = S.start[idx], S.day[idx]
        for k in range(m.sessions):
            p = int(np.searchsorted(st, prev_end, side="left"))
            if k > 0:
                p = max(p, int(np.searchsorted(dy, prev_day + m.min_gap_days, side="left")))
            if p >= len(idx):
                chain_ok = False
                break
            prev_end, prev_day = int(st[p]) + d, int(dy[p])
    return att, att_off, (prev_day if chain_ok else None), costs, vec


def _pool_bound(members, mods, G, share, Us, amax, options, caps, lang_cost, price, sc):
    """Step 5 of the argument: the cheapest choice of assigned units, broken and full cohorts.
    `price` adds a price per minute to trainers (the Lagrangian of their capacity). Returns the
    bound, its attribution to the terms and the trainer minutes its choice uses."""
    rho, rho_parts, who = {}, {}, {}
    for m in mods:
        best, parts, tid = INF, (0.0, 0.0), None
        for t, cost, trav, d in options[m.id]:
            c = cost + price.get(t, 0.0) * d
            if c + trav < best:
                best, parts, tid = c + trav, (c, trav), t
        rho[m.id], rho_parts[m.id], who[m.id] = best, parts, tid
    use = defaultdict(float)
    P = len(members)
    order = sorted(members, key=lambda u: u.key)
    pref = np.concatenate(([0.0], np.cumsum([u.key for u in order])))
    upen_all = sum(u.upen for u in members)
    elig = [u for u in members if u.eligible]
    PE = len(elig)
    sess = {m.id: m.sessions for m in mods}
    room_mods = [m for m in mods if m.location != "remote"]
    Gs = min([G] + [caps[m.id] for m in room_mods])
    full_rho = sum(rho[m.id] * sess[m.id] for m in mods)

    # broken cohorts: opt_some(n), and the cheapest split B(m)
    opt_some = np.full(G + 1, INF)
    some_parts: dict = {}
    some_used: dict = {}
    for n in range(1, G + 1):
        base, parts, forced, spare = 0.0, defaultdict(float), False, INF
        used = {}
        for m in mods:
            sl = max(0.0, Us - amax[m.id][n])
            f = m.location != "remote" and n > caps[m.id]
            if f or rho[m.id] > sl:
                forced = forced or f or rho[m.id] > sl
                base += sl * sess[m.id]
                parts["unscheduled_session"] += sl * sess[m.id]
            else:
                base += rho[m.id] * sess[m.id]
                c, t = rho_parts[m.id]
                parts["trainer_cost"] += c * sess[m.id]
                parts["travel_per_minute"] += t * sess[m.id]
                used[m.id] = sess[m.id]
                spare = min(spare, sl - rho[m.id])
        if not forced:
            spare = 0.0 if not math.isfinite(spare) else spare
            base += spare
            parts["unscheduled_session"] += spare
        opt_some[n] = base
        some_parts[n] = parts
        some_used[n] = used
    B = np.full(P + 1, INF)
    Bc = np.zeros(P + 1, dtype=np.int64)
    B[0] = 0.0
    for x in range(1, P + 1):
        best, bn = INF, 0
        for n in range(1, min(G, x) + 1):
            v = opt_some[n] + B[x - n]
            if v < best:
                best, bn = v, n
        B[x], Bc[x] = best, bn

    # full cohorts: F(x), x members in full cohorts; a full cohort lies inside one component
    # (its members share a slot for every module), so F is the cheapest split of x over them
    F = np.zeros(1)
    parts_of: list = []  # per component: (F_c, Fk_c, Fx_c)
    splits: list = []  # back-pointers of the min-plus convolution
    comps: dict = defaultdict(list)
    for u in elig:
        comps[u.comp].append(u)
    for cu in comps.values():
        Lc = min(u.late for u in cu)
        oa = full_rho + Lc if math.isfinite(full_rho) else INF
        Fc, Fkc, Fxc = _full_cost_anchored(cu, Gs, oa, sc, caps.get("__crew__", {}))
        # interpreters (see lang_cost): at least ceil(x_L / Gs) full cohorts hold one of the
        # component's L-members; one interpreter may speak several languages, so only the
        # dearest language counts
        Fl = np.zeros(len(Fc))
        if lang_cost and Gs >= 1:
            PEc = len(cu)
            xs = np.arange(len(Fc))
            for lang, cost_l in lang_cost.items():
                n_l = sum(1 for u in cu if sc.participants[u.pid].language == lang)
                if n_l:
                    x_l = np.maximum(0, xs - (PEc - n_l))
                    Fl = np.maximum(Fl, -(-x_l // Gs) * cost_l)
            Fc = Fc + Fl
        parts_of.append((Fc, Fkc, Fxc, Lc, Fl))
        n0, n1 = len(F), len(Fc)
        G2 = np.full(n0 + n1 - 1, INF)
        arg = np.zeros(n0 + n1 - 1, dtype=np.int64)
        for j in range(n1):
            if not math.isfinite(Fc[j]):
                continue
            cand = F + Fc[j]
            seg = G2[j:j + n0]
            better = cand < seg
            seg[better] = cand[better]
            arg[j:j + n0][better] = j
        F = G2
        splits.append(arg)
    if len(F) < P + 1:
        F = np.concatenate((F, np.full(P + 1 - len(F), INF)))

    # the choice: a assigned (cheapest keys), m of them in broken cohorts
    best, choice = INF, (0, 0)
    for a in range(P + 1):
        lo = max(0, a - PE)
        ms = np.arange(lo, a + 1)
        vals = B[ms] + F[a - ms]
        i = int(np.argmin(vals))
        v = pref[a] + upen_all + vals[i]
        if v < best:
            best, choice = v, (a, int(ms[i]))
    attr = defaultdict(float)
    if not math.isfinite(best):  # cannot happen (a = 0 is always possible); keep it safe
        return 0.0, attr, use
    a, m = choice
    for u in order[:a]:
        for k, v in u.attr.items():
            attr[k] += v
    attr["unassigned_participant"] += sum(u.upen for u in order[a:])
    x = m
    while x > 0:
        n = int(Bc[x])
        for k, v in some_parts[n].items():
            attr[k] += v
        use[None] += 1  # a broken cohort
        for mid, cnt in some_used[n].items():
            use[who[mid]] += cnt * sc.modules[mid].duration_minutes
        x -= n
    x = a - m
    for (Fc, Fkc, Fxc, Lc, Fl), arg in zip(reversed(parts_of), reversed(splits)):
        j = int(arg[x]) if x < len(arg) else 0
        x -= j
        if j == 0:
            continue
        K = int(Fkc[j])
        for mm in mods:
            c, t = rho_parts[mm.id]
            attr["trainer_cost"] += K * c * sess[mm.id]
            attr["travel_per_minute"] += K * t * sess[mm.id]
            if who[mm.id] is not None:
                use[who[mm.id]] += K * sess[mm.id] * mm.duration_minutes
        attr["late_per_day"] += K * Lc
        attr["overtime_per_hour"] += float(Fxc[j])
        attr["travel_per_minute"] += float(Fl[j])
        use[None] += K  # full cohorts (counted, not a trainer)
    got = sum(attr.values())
    if abs(got - best) > 1e-6 * max(1.0, abs(best)):  # attribution must add up
        attr["unscheduled_session"] += best - got
    return best, attr, use


def _conflict(ci) -> float:
    """How much more than the sum of its members' cheapest slots one cohort of the whole pool
    would pay at common slots (inf when some module has no common slot): where this is 0 the
    cohort relaxation cannot add anything to the per-unit bound."""
    _, prof, groups, mods, *_ = ci
    live = [(pk, len(groups[pk])) for pk in prof if pk in groups]
    if len(live) < 2:
        return 0.0
    gain = 0.0
    for m in mods:
        masks = [prof[pk][4][m.id][0] for pk, _ in live]
        if not all(mk.any() for mk in masks):
            continue
        common = np.logical_and.reduce(masks)
        own = sum(n * prof[pk][0][m.id] for pk, n in live)
        if not common.any():
            return INF
        joint = sum(n * prof[pk][4][m.id][1] for pk, n in live)
        gain += m.sessions * (float(joint[common].min()) - own)
    return gain


def _pool_cpsat(ci, sc, wl, seconds: float) -> float | None:
    """The cohort relaxation of one pool, solved by CP-SAT; returns its proven bound (or None).

    Cohorts k = 1..P (P units: no schedule has more non-empty cohorts), each empty, *full*
    (every session scheduled) or *broken*. n[k,p] members of profile p (units alike in every
    per-unit fact). A full cohort picks, per module, one *slot class* -- the slots that cost
    every profile the same and overlap the same teams' shifts (dominated classes dropped): the
    cheapest class among those its sessions really use is no dearer than their average, and it
    is admissible for every member (else n = 0) and keeps the staffing slack of every team whose
    shift it overlaps; it pays sessions x (members' costs at the class + rho), its lateness is at
    least that of each member profile, and it has at most Gs members. A broken cohort pays at
    least its members' ``a`` sums and the smallest ``opt_some``. Members not in a cohort cost
    Up per plan (the fewest plans of the profile's units). All costs are floored to 1/60, so
    the model's optimum, and so CP-SAT's proven bound, is a lower bound for the pool."""
    from ortools.sat.python import cp_model

    _, prof, groups, mods, G, Us, amax, options, caps = ci
    live = [pk for pk in prof if pk in groups]
    P = sum(len(groups[pk]) for pk in live)
    N = [len(groups[pk]) for pk in live]
    units = [groups[pk] for pk in live]
    A = [min(u.asum for u in us) for us in units]
    upen = [min(u.upen for u in us) for us in units]
    late = [min(u.late for u in us) for us in units]
    team_of = [us[0].team for us in units]
    teams = sorted(set(team_of))
    slack = {t: (sc.teams[t].staffing_slack if t in sc.teams else 0) for t in teams}
    rho = {}
    for m in mods:
        rho[m.id] = min((c + t for _, c, t, _ in options[m.id]), default=INF)
    # the smallest broken-cohort residual over sizes 1..G (as opt_some in _pool_bound)
    os_min = INF
    for n in range(1, G + 1):
        base, forced, spare = 0.0, False, INF
        for m in mods:
            sl = max(0.0, Us - amax[m.id][n])
            f = m.location != "remote" and n > caps[m.id]
            if f or rho[m.id] > sl:
                forced = True
                base += sl * m.sessions
            else:
                base += rho[m.id] * m.sessions
                spare = min(spare, sl - rho[m.id])
        if not forced:
            base += 0.0 if not math.isfinite(spare) else spare
        os_min = min(os_min, base)
    room_mods = [m for m in mods if m.location != "remote"]
    Gs = min([G] + [caps[m.id] for m in room_mods])
    full_ok = Gs >= 1 and all(math.isfinite(rho[m.id]) for m in mods)
    # slot classes per module
    classes: dict = {}
    for m in mods:
        vecs = [prof[pk][4][m.id] for pk in live]
        union = np.logical_or.reduce([v[0] for v in vecs])
        if not union.any():
            classes[m.id] = []
            continue
        idx = np.flatnonzero(union)
        BIG = 1 << 40
        cost_cols = [np.where(v[0][idx], np.floor(v[1][idx] * SCALE), BIG) for v in vecs]
        team_on = {}
        for pi, t in enumerate(team_of):
            team_on.setdefault(t, vecs[pi][2][idx] > 0)
        cols = cost_cols + [team_on[t].astype(np.int64) for t in teams]
        mat = np.unique(np.stack(cols, axis=1).astype(np.int64), axis=0)
        # drop dominated classes (another is no dearer for anyone and overlaps no more shifts)
        keep = []
        for i in range(len(mat)):
            dom = np.all(mat <= mat[i], axis=1) & np.any(mat < mat[i], axis=1)
            if not dom.any():
                keep.append(mat[i])
        if len(keep) > 24:
            return None
        classes[m.id] = [(list(r[:len(live)]), [teams[j] for j, f in enumerate(r[len(live):]) if f]) for r in keep]
    model = cp_model.CpModel()
    K = P
    obj = []
    size_prev = None
    ns = []
    for _ in range(K):
        n = [model.NewIntVar(0, N[p], "") for p in range(len(live))]
        ns.append(n)
        full = model.NewBoolVar("")
        broken = model.NewBoolVar("")
        model.Add(full + broken <= 1)
        size = sum(n)
        model.Add(size <= G * full + G * broken)
        model.Add(size >= 1).OnlyEnforceIf(full)
        model.Add(size >= 1).OnlyEnforceIf(broken)
        if size_prev is not None:
            model.Add(size <= size_prev)  # cohorts in order of size (symmetry)
        size_prev = size
        # broken: members' a sums + the smallest residual
        for p in range(len(live)):
            w = model.NewIntVar(0, N[p], "")
            model.Add(w >= n[p] - N[p] * (1 - broken))
            obj.append(int(math.floor(A[p] * SCALE)) * w)
        obj.append(int(math.floor(os_min * SCALE)) * broken)
        if not full_ok:
            model.Add(full == 0)
            continue
        model.Add(size <= Gs).OnlyEnforceIf(full)
        obj.append(int(math.floor(sum(rho[m.id] * m.sessions for m in mods) * SCALE)) * full)
        lk = model.NewIntVar(0, int(max([x for x in late if math.isfinite(x)] + [0]) * SCALE) + 1, "")
        obj.append(lk)
        for p in range(len(live)):
            if not math.isfinite(late[p]):
                model.Add(n[p] == 0).OnlyEnforceIf(full)
                continue
            has = model.NewBoolVar("")
            model.Add(n[p] <= N[p] * has)
            lp = int(math.floor(late[p] * SCALE))
            if lp > 0:
                model.Add(lk >= lp).OnlyEnforceIf([has, full])
        for m in mods:
            cls = classes[m.id]
            if not cls:
                model.Add(full == 0)
                continue
            ys = [model.NewBoolVar("") for _ in cls]
            model.Add(sum(ys) == full)
            for y, (costs, overlapped) in zip(ys, cls):
                for p in range(len(live)):
                    if costs[p] >= (1 << 40):
                        model.Add(n[p] == 0).OnlyEnforceIf(y)
                    elif costs[p] > 0:
                        z = model.NewIntVar(0, N[p], "")
                        model.Add(z >= n[p] - N[p] * (1 - y))
                        obj.append(int(costs[p]) * m.sessions * z)
                for t in overlapped:
                    members_t = [n[p] for p in range(len(live)) if team_of[p] == t]
                    model.Add(sum(members_t) <= slack[t]).OnlyEnforceIf(y)
    # everyone is in one cohort or unassigned
    for p in range(len(live)):
        un = model.NewIntVar(0, N[p], "")
        model.Add(sum(n[p] for n in ns) + un == N[p])
        model.AddHint(un, N[p])
        for n in ns:
            model.AddHint(n[p], 0)
        obj.append(int(math.floor(upen[p] * SCALE)) * un)
    model.Minimize(sum(obj))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.max_deterministic_time = CP_SECONDS  # the same bound on every run
    solver.parameters.num_workers = 1
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return math.floor(solver.BestObjectiveBound()) / SCALE


def _cost_tables(people: int):
    """Empty tables per number of members x = 0..people: least cost F (0 for nobody, else not yet
    known), cohorts Fk and extra Fx behind it."""
    F = np.full(people + 1, INF)
    F[0] = 0.0
    return F, np.zeros(people + 1, dtype=np.int64), np.zeros(people + 1)


def _full_cost(elig, Gs, opt_all, sc, crew=None):
    """For x = 0..len(elig) members (of these eligible units) in full cohorts: the least cost
    of K full cohorts beyond the members' ``a`` (K * opt_all + the staffing extras, step 4),
    with the K that gives it and the extra. With `crew` (module -> (sessions, C)): in every
    session at most C members are on shift, so of f flex members in K cohorts at least
    f - K * C are fully off shift, each paying at least the least `off_extra`; this and the
    per-team extra both charge off-shift members, so only the larger of the two counts."""
    PE = len(elig)
    flex = [u for u in elig if u.kind == "flex" and u.off_extra]
    crew_terms = []
    for mid, (n_s, C) in (crew or {}).items():
        dm = min((u.off_extra.get(mid, INF) for u in flex), default=INF)
        if flex and math.isfinite(dm) and dm > 0:
            crew_terms.append((n_s * dm, C))
    not_flex = PE - len(flex)
    teams: dict = defaultdict(lambda: [0, 0, INF])  # team -> [on units, on+flex units, min delta]
    for u in elig:
        if u.kind == "off":
            continue
        tm = teams[u.team]
        tm[1] += 1
        if u.kind == "on" or not math.isfinite(u.delta):
            tm[0] += 1
        else:
            tm[2] = min(tm[2], u.delta)
    slack = {k: (sc.teams[k].staffing_slack if k in sc.teams else 0) for k in teams}
    F, Fk, Fx = _cost_tables(PE)
    if not math.isfinite(opt_all) or Gs < 1:
        return F, Fk, Fx
    tl = [(slack[k], PE - v[0], PE - v[1], v[2]) for k, v in teams.items()]
    for x in range(1, PE + 1):
        K0 = -(-x // Gs)
        ok = True
        for s, not_on, not_all, dm in tl:
            # members who must sit inside their shift: at most s per full cohort; without any
            # flex member able to go off shift, that holds for all of the team
            need = x - (not_all if not math.isfinite(dm) else not_on)
            if need > 0:
                if s < 1:
                    ok = False
                    break
                K0 = max(K0, -(-need // s))
        if not ok or K0 > x:
            continue
        best, bk, bx, prev = INF, 0, 0.0, INF
        for K in range(K0, x + 1):
            extra = 0.0
            for s, not_on, not_all, dm in tl:
                over = x - not_all - K * s
                if over > 0 and math.isfinite(dm):
                    extra += dm * over
            if crew_terms:
                f = x - not_flex
                extra = max(extra, sum(w * max(0, f - K * C) for w, C in crew_terms))
            v = K * opt_all + extra
            if v < best:
                best, bk, bx = v, K, extra
            if v > prev:
                break  # convex in K
            prev = v
        F[x], Fk[x], Fx[x] = best, bk, bx
    return F, Fk, Fx


def _full_cost_anchored(elig, Gs, opt_all, sc, crew=None):
    """`_full_cost` with anchoring (step 4b): full cohorts are *anchored* (they hold a member
    who must train inside her shift: an "on" unit) or *free* (none). The x members split into
    x_O "on" units and z others in anchored cohorts and y others in free ones. Anchored
    cohorts: K_a >= ceil((x_O + z) / Gs), >= ceil(on_θ / s_θ) per team, <= x_O; the z others
    pay at least the z smallest anchor extras. Free cohorts: `_full_cost` of the others alone
    (their own staffing extras). The staffing extras of others inside anchored cohorts are
    left out (a lower bound may leave costs out, never count them twice)."""
    O = [u for u in elig if u.kind == "on"]
    R = [u for u in elig if u.kind != "on"]
    if not O or not R or not any(u.anchor_extra > 0 for u in R):
        return _full_cost(elig, Gs, opt_all, sc, crew)
    PE, PO, PR = len(elig), len(O), len(R)
    F, Fk, Fx = _cost_tables(PE)
    if not math.isfinite(opt_all) or Gs < 1:
        return F, Fk, Fx
    Fr, Fkr, Fxr = _full_cost(R, Gs, opt_all, sc, crew)
    ex = sorted(u.anchor_extra for u in R)
    ER = np.concatenate(([0.0], np.cumsum(ex)))
    ER[~np.isfinite(ER)] = INF
    o_teams: dict = defaultdict(int)
    for u in O:
        o_teams[u.team] += 1
    o_tl = [(sc.teams[k].staffing_slack if k in sc.teams else 0, PO - v) for k, v in o_teams.items()]
    # A[x_O][z]: K_a and cost of the anchored cohorts
    A = np.full((PO + 1, PR + 1), INF)
    Ak = np.zeros((PO + 1, PR + 1), dtype=np.int64)
    A[0, 0] = 0.0
    for xo in range(1, PO + 1):
        k_staff, ok = 1, True
        for s_, not_t in o_tl:
            need = xo - not_t
            if need > 0:
                if s_ < 1:
                    ok = False
                    break
                k_staff = max(k_staff, -(-need // s_))
        if not ok:
            continue
        for z in range(0, PR + 1):
            if not math.isfinite(ER[z]):
                break
            K = max(k_staff, -(-(xo + z) // Gs))
            if K > xo:
                continue
            A[xo, z] = K * opt_all + ER[z]
            Ak[xo, z] = K
    for x in range(1, PE + 1):
        best, bk, bx = INF, 0, 0.0
        for xo in range(max(0, x - PR), min(PO, x) + 1):
            r = x - xo
            zs = np.arange(0, r + 1)
            vals = A[xo, zs] + Fr[r - zs]
            i = int(np.argmin(vals))
            if vals[i] < best:
                z = int(zs[i])
                best = float(vals[i])
                bk = int(Ak[xo, z] + Fkr[r - z])
                bx = float(ER[z] + Fxr[r - z])
        F[x], Fk[x], Fx[x] = best, bk, bx
    return F, Fk, Fx
