"""The bound of one pool (step 6 of the package docstring): the cheapest choice of assigned
units, of members in broken cohorts and of full cohorts, at given prices of the trainers'
minutes (step 8), with what that choice charges to each objective term."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

import numpy as np

from scheduler.domain import Scenario
from scheduler.search.bound.full_cohorts import anchored_full_cohort_cost
from scheduler.search.bound.pools import PoolFacts
from scheduler.search.bound.slots import INF
from scheduler.search.bound.units import Unit


class BrokenCohort(NamedTuple):
    """What a broken cohort of n members costs beyond their shares `a` (step 3: ``opt_some(n)``)."""

    cost: float
    slack: dict[str, float]  # per module: slack(n), what is left of an unscheduled session's Us
    scheduled: set[str]  # the modules whose sessions are cheaper held (rho) than left out (slack)
    spare: float | None  # with every module scheduled: the one left out at the least extra


def broken_cohort(pool: PoolFacts, rho: dict[str, float], n: int) -> BrokenCohort:
    """``opt_some(n)``: per session the min of ``rho`` and ``slack(n)`` (just ``slack`` when the
    room is too small for n), and at least one session at ``slack``."""
    base, forced, spare = 0.0, False, INF
    slack: dict[str, float] = {}
    scheduled: set[str] = set()
    for m in pool.mods:
        sl = slack[m.id] = max(0.0, pool.Us - pool.amax[m.id][n])
        f = m.location != "remote" and n > pool.caps[m.id]
        if f or rho[m.id] > sl:
            forced = True
            base += sl * m.sessions
        else:
            base += rho[m.id] * m.sessions
            scheduled.add(m.id)
            spare = min(spare, sl - rho[m.id])
    if forced:
        return BrokenCohort(base, slack, scheduled, None)
    spare = 0.0 if not math.isfinite(spare) else spare
    return BrokenCohort(base + spare, slack, scheduled, spare)


def pool_bound(pool: PoolFacts, price: dict[str, float], sc: Scenario
               ) -> tuple[float, dict[str, float], dict[str | None, float]]:
    """Step 6 of the argument: the cheapest choice of assigned units, broken and full cohorts.
    `price` adds a price per minute to trainers (the Lagrangian of their capacity). Returns the
    bound, its attribution to the terms and the trainer minutes its choice uses (key None: the
    number of cohorts)."""
    members, mods, G = pool.members, pool.mods, pool.G
    options, caps, crew, lang_cost = pool.options, pool.caps, pool.crew, pool.lang_cost
    rho: dict[str, float] = {}
    rho_parts: dict[str, tuple[float, float]] = {}
    who: dict[str, str | None] = {}
    for m in mods:
        best, cheapest, tid = INF, (0.0, 0.0), None
        for trainer_id, cost, trav, d in options[m.id]:
            c = cost + price.get(trainer_id, 0.0) * d
            if c + trav < best:
                best, cheapest, tid = c + trav, (c, trav), trainer_id
        rho[m.id], rho_parts[m.id], who[m.id] = best, cheapest, tid
    use: dict[str | None, float] = defaultdict(float)
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
    some_parts: dict[int, dict[str, float]] = {}
    some_used: dict[int, dict[str, int]] = {}
    for n in range(1, G + 1):
        broken = broken_cohort(pool, rho, n)
        parts: dict[str, float] = defaultdict(float)
        used: dict[str, int] = {}
        for m in mods:
            if m.id in broken.scheduled:
                c, t = rho_parts[m.id]
                parts["trainer_cost"] += c * sess[m.id]
                parts["travel_per_minute"] += t * sess[m.id]
                used[m.id] = sess[m.id]
            else:
                parts["unscheduled_session"] += broken.slack[m.id] * sess[m.id]
        if broken.spare is not None:
            parts["unscheduled_session"] += broken.spare
        opt_some[n] = broken.cost
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
    parts_of: list[tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]] = []  # per component
    splits: list[np.ndarray] = []  # back-pointers of the min-plus convolution
    comps: dict[int, list[Unit]] = defaultdict(list)
    for u in elig:
        comps[u.comp].append(u)
    for cu in comps.values():
        Lc = min(u.late for u in cu)
        oa = full_rho + Lc if math.isfinite(full_rho) else INF
        Fc, Fkc, Fxc = anchored_full_cohort_cost(cu, Gs, oa, sc, crew)
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
    attr: dict[str, float] = defaultdict(float)
    if not math.isfinite(best):  # cannot happen (a = 0 is always possible); keep it safe
        return 0.0, attr, use
    a, in_broken = choice
    for u in order[:a]:
        for k, v in u.attr.items():
            attr[k] += v
    attr["unassigned_participant"] += sum(u.upen for u in order[a:])
    x = in_broken
    while x > 0:
        n = int(Bc[x])
        for k, v in some_parts[n].items():
            attr[k] += v
        use[None] += 1  # a broken cohort
        for mid, cnt in some_used[n].items():
            use[who[mid]] += cnt * sc.modules[mid].duration_minutes
        x -= n
    x = a - in_broken
    for (_Fc, Fkc, Fxc, Lc, Fl), arg in zip(reversed(parts_of), reversed(splits)):
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

