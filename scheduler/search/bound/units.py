"""Units and pools (steps 1 and 6 of the argument in the package docstring): a *unit* is one
person in one track, a *pool* the units that may share a cohort; and per unit the cheapest
participant cost of each module over the slots admissible for it alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from scheduler.domain import ActionPlan, Module, Scenario, TeamKey
from scheduler.search.bound.inputs import BoundInputs
from scheduler.search.bound.slots import INF

# Per module id: (admissible slots, participant cost per slot, minutes on shift per slot).
SlotCosts = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
# Units alike in everything the per-unit bound looks at: (team, allow_on_shift,
# allow_off_shift, window in minutes, language).
ProfileKey = tuple[TeamKey, bool, bool, tuple[int, int], str | None]
# A profile's facts: per module the cheapest cost `att` and the cheapest fully off shift,
# the local date (ordinal) of the greedy earliest last session (None: no chain), per module
# the (backfill, overtime) split at the cheapest slot, and the per-slot costs.
ProfileFacts = tuple[dict[str, float], dict[str, float], int | None, dict[str, tuple[float, float]], SlotCosts]


@dataclass
class Unit:
    """One person in one track; the fields below `kind` are filled in as the bound is computed."""

    pid: str
    track: str
    team: TeamKey
    plans: list[ActionPlan]
    kind: str  # "on": must lie inside a shift; "flex": on or off; "off": never on shift
    pool_node: Hashable = ()  # the node of the pool's union-find this unit joined
    key: float = 0.0  # sum a - Up penalty
    upen: float = 0.0
    asum: float = 0.0
    eligible: bool = False
    late: float = INF
    delta: float = INF
    comp: int = 0  # compatibility component within the pool
    anchor_extra: float = 0.0  # extra cost in a full cohort with an inside-shift member
    off_extra: dict[str, float] = field(default_factory=dict)  # per module: fully off shift - a
    attr: dict[str, float] = field(default_factory=dict)  # the unit's share of the terms


def units_and_pools(sc: Scenario) -> list[list[Unit]]:
    """Every unit of the programme, grouped into pools: all units of a `mix_workplaces` track,
    otherwise the units of a track at one workplace, joined where one person has plans at several."""
    units: list[Unit] = []
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for track in sc.tracks.values():
        plans = sc.plans_of_track(track.id)
        by_pid: dict[str, list[ActionPlan]] = defaultdict(list)
        for pl in plans:
            for pid in dict.fromkeys(pl.participants):
                by_pid[pid].append(pl)
        for pid, pls in by_pid.items():
            first = pls[0]
            kind = "on" if not first.allow_off_shift else ("flex" if first.allow_on_shift else "off")
            u = Unit(pid, track.id, sc.participants[pid].team, pls, kind)
            units.append(u)
            nodes: list[Hashable] = ([("T", track.id)] if track.mix_workplaces
                                     else [("W", track.id, p.workplace) for p in pls])
            for n in nodes[1:]:
                parent[find(n)] = find(nodes[0])
            u.pool_node = nodes[0]
    pools: dict[Hashable, list[Unit]] = defaultdict(list)
    for u in units:
        pools[find(u.pool_node)].append(u)
    return list(pools.values())


def unit_profile(inputs: BoundInputs, u: Unit, mods: list[Module], sites: frozenset[str], lang: str | None,
                 win: tuple[int, int], union_mask: dict[str, np.ndarray],
                 ) -> ProfileFacts:
    """Per module: the cheapest participant cost over the slots admissible for u alone
    (`att`), the cheapest one fully off shift (`att_off`), the local date of the greedy
    earliest last session of the track (ordinal, or None), and the (backfill, overtime) cost
    split at the cheapest slot."""
    sc, S, resources = inputs.sc, inputs.slots, inputs.resources
    wb, wo = inputs.wb, inputs.wo
    first = u.plans[0]
    team = sc.teams.get(u.team)
    slack = team.staffing_slack if team is not None else 0
    e0, e1 = win
    att: dict[str, float] = {}
    att_off: dict[str, float] = {}
    costs: dict[str, tuple[float, float]] = {}
    vec: SlotCosts = {}
    chain_ok = True
    prev_end, prev_day, placed = -(1 << 60), 0, False  # the chain's last session so far
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
            prev_end, prev_day, placed = int(st[p]) + d, int(dy[p]), True
    return att, att_off, (prev_day if chain_ok and placed else None), costs, vec
