"""The facts of one pool (steps 1-5 and the interpreters of the package docstring): its
units' profiles and cheapest slots, which profiles can share a full cohort (components), the
anchored members' extra, the largest sums of the members' shares, the trainers who could teach
each module with their cost and travel share, the interpreters' travel and the crews."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduler.domain import Module, TeamKey
from scheduler.search.bound.inputs import BoundInputs
from scheduler.search.bound.slots import INF
from scheduler.search.bound.units import ProfileFacts, ProfileKey, Unit, unit_profile

# A trainer who could teach a module to the pool: (trainer id, cost per session, travel share
# per session, session minutes).
TrainerOption = tuple[str, float, float, int]


@dataclass(frozen=True)
class PoolFacts:
    """What the choice of cohorts of one pool (`pool_choice.pool_bound`) needs."""

    members: list[Unit]
    mods: list[Module]
    G: int  # the most members a cohort can have
    share: float  # Us / G: each member's share of an unscheduled session
    Us: float
    amax: dict[str, np.ndarray]  # per module: the largest sum of the members' a in a cohort of n
    options: dict[str, list[TrainerOption]]
    caps: dict[str, int]  # per module: the largest fitting room (G for a remote module)
    crew: dict[str, tuple[int, int]]  # per module: (sessions, most members on shift in one session)
    lang_cost: dict[str, float]  # per language: interpreters' least travel over the track


@dataclass(frozen=True)
class PoolProfiles:
    """A pool's facts with its units grouped by profile, for the cohort relaxation
    (`relaxation.py`); kept only for the pools the relaxation may run on."""

    index: int  # the pool's place among the bounded pools
    facts: PoolFacts
    prof: dict[ProfileKey, ProfileFacts]
    groups: dict[ProfileKey, list[Unit]]


def pool_facts(inputs: BoundInputs, members: list[Unit]
               ) -> tuple[PoolFacts, dict[ProfileKey, ProfileFacts], dict[ProfileKey, list[Unit]]]:
    """The facts of the pool of `members`, and its profiles (their facts and their units)."""
    sc, S, nslots, window = inputs.sc, inputs.slots, inputs.nslots, inputs.window
    resources, dist = inputs.resources, inputs.dist
    Us, Up, wt, wl = inputs.Us, inputs.Up, inputs.wt, inputs.wl
    track = sc.tracks[members[0].track]
    mods = [sc.modules[m] for m in track.modules]
    wps = {p.workplace for u in members for p in u.plans}
    sites = frozenset(sc.workplaces[w].site for w in wps if w in sc.workplaces)
    G = max(track.max_group, track.min_group - 1, 1)
    share = Us / G
    # profiles: units alike in everything the per-unit bound looks at
    prof: dict[ProfileKey, ProfileFacts] = {}
    groups: dict[ProfileKey, list[Unit]] = defaultdict(list)
    union_mask = {m.id: np.zeros(nslots, dtype=bool) for m in mods}
    for u in members:
        lang = sc.participants[u.pid].language
        first = u.plans[0]
        pk: ProfileKey = (u.team, first.allow_on_shift, first.allow_off_shift, window(u.plans), lang)
        res = prof.get(pk)
        if res is None:
            res = prof[pk] = unit_profile(inputs, u, mods, sites, lang, window(u.plans), union_mask)
        att, att_off, chain_day, costs, _ = res
        groups[pk].append(u)
        a = {m.id: min(share, att[m.id]) for m in mods}
        u.asum = sum(a[m.id] * m.sessions for m in mods)
        u.upen = Up * len(u.plans)
        u.key = u.asum - u.upen
        target = min(p.target for p in u.plans)
        u.eligible = all(math.isfinite(att[m.id]) for m in mods) and chain_day is not None
        if u.eligible and chain_day is not None:  # eligible: chain_day is not None
            u.late = max(0, chain_day - target.toordinal()) * wl
            if u.kind == "flex":
                off = sum(att_off[m.id] * m.sessions for m in mods)
                u.delta = max(0.0, off - u.asum) if math.isfinite(off) else INF
                u.off_extra = {m.id: max(0.0, att_off[m.id] - a[m.id]) for m in mods}
        attr: dict[str, float] = defaultdict(float)
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

    def root(i: int) -> int:
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
    amax: dict[str, np.ndarray] = {}
    for m in mods:
        vals = sorted((min(share, prof[pk][0][m.id]) for pk, us in groups.items() for _ in us), reverse=True)
        top = np.concatenate(([0.0], np.cumsum(vals[:G])))
        if len(top) < G + 1:
            top = np.concatenate((top, np.full(G + 1 - len(top), top[-1])))
        amax[m.id] = top
    # per module: the qualified trainers who could teach it for this pool, with their
    # cost and travel share per session
    options: dict[str, list[TrainerOption]] = {}
    caps: dict[str, int] = {}
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
                trav = 2 * trip * wt / inputs.cap_of(t)
            opts.append((t.id, t.cost_per_hour * d / 60.0, trav, d))
        options[m.id] = opts
    # interpreters: a full cohort with a member needing language L, for a module no
    # qualified trainer of the pool speaks L in, has an interpreter speaking L at every
    # session, who travels home -> the session's site -> home that day (shares as for
    # trainers); per language the least such travel over the track
    lang_cost: dict[str, float] = {}
    for lang in {language for u in members if (language := sc.participants[u.pid].language) is not None}:
        total_l = 0.0
        for m in mods:
            if m.location == "remote":
                continue
            if any(lang in sc.trainers[o[0]].languages for o in options[m.id]):
                continue
            _, rooms, _ = resources(m, sites, None)
            room_sites_m = {r.site for r in rooms}
            best = INF
            for interp in sc.interpreters.values():
                if lang not in interp.languages:
                    continue
                if interp.home_site is None or not room_sites_m:
                    best = 0.0
                    break
                trip = min(dist(interp.home_site, x) for x in room_sites_m)
                best = min(best, 2 * trip * wt / inputs.cap_of_interpreter(interp))
            if math.isfinite(best):
                total_l += best * m.sessions
        if total_l > 0:
            lang_cost[lang] = total_l
    # crews: in one session at slot s, the members on shift number at most the slack of
    # the pool's teams whose shift overlaps s; C[m] = the most over m's possible slots
    team_n: dict[TeamKey, int] = defaultdict(int)
    for u in members:
        if u.kind != "off":
            team_n[u.team] += 1
    crew: dict[str, tuple[int, int]] = {}
    for m in mods:
        if not union_mask[m.id].any():
            continue
        capv = np.zeros(nslots, dtype=np.int64)
        for team, n_t in team_n.items():
            sl = sc.teams[team].staffing_slack if team in sc.teams else 0
            if sl > 0:
                capv += (S.team(team, m.duration_minutes)[0] > 0) * min(sl, n_t)
        crew[m.id] = (m.sessions, int(capv[union_mask[m.id]].max()))

    facts = PoolFacts(members, mods, G, share, Us, amax, options, caps, crew, lang_cost)
    return facts, prof, groups
