"""The cost of the full cohorts of a component (steps 4 and 5 of the package docstring): for
x members in full cohorts, the fewest cohorts the group sizes and the teams' staffing slack
allow and the staffing extras of members who must then train off shift; with anchoring, the
extra of members who share a cohort with someone who must train inside her shift."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from scheduler.domain import Scenario, TeamKey
from scheduler.search.bound.slots import INF
from scheduler.search.bound.units import Unit

# Per number of members x = 0..n: (least cost, full cohorts behind it, staffing extra in it).
CostTables = tuple[np.ndarray, np.ndarray, np.ndarray]


def cost_tables(people: int) -> CostTables:
    """Empty tables per number of members x = 0..people: least cost F (0 for nobody, else not yet
    known), cohorts Fk and extra Fx behind it."""
    F = np.full(people + 1, INF)
    F[0] = 0.0
    return F, np.zeros(people + 1, dtype=np.int64), np.zeros(people + 1)


def full_cohort_cost(elig: list[Unit], Gs: int, opt_all: float, sc: Scenario,
                     crew: dict[str, tuple[int, int]] | None = None) -> CostTables:
    """For x = 0..len(elig) members (of these eligible units) in full cohorts: the least cost
    of K full cohorts beyond the members' ``a`` (K * opt_all + the staffing extras, step 4),
    with the K that gives it and the extra. With `crew` (module -> (sessions, C)): in every
    session at most C members are on shift, so of f flex members in K cohorts at least
    f - K * C are fully off shift, each paying at least the least `off_extra`; this and the
    per-team extra both charge off-shift members, so only the larger of the two counts."""
    PE = len(elig)
    flex = [u for u in elig if u.kind == "flex" and u.off_extra]
    crew_terms: list[tuple[float, int]] = []
    for mid, (n_s, C) in (crew or {}).items():
        dm = min((u.off_extra.get(mid, INF) for u in flex), default=INF)
        if flex and math.isfinite(dm) and dm > 0:
            crew_terms.append((n_s * dm, C))
    not_flex = PE - len(flex)
    teams: dict[TeamKey, list] = defaultdict(lambda: [0, 0, INF])  # team -> [on units, on+flex units, min delta]
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
    F, Fk, Fx = cost_tables(PE)
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
            for s, _not_on, not_all, dm in tl:
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


def anchored_full_cohort_cost(elig: list[Unit], Gs: int, opt_all: float, sc: Scenario,
                              crew: dict[str, tuple[int, int]] | None = None) -> CostTables:
    """`full_cohort_cost` with anchoring (step 4b): full cohorts are *anchored* (they hold a member
    who must train inside her shift: an "on" unit) or *free* (none). The x members split into
    x_O "on" units and z others in anchored cohorts and y others in free ones. Anchored
    cohorts: K_a >= ceil((x_O + z) / Gs), >= ceil(on_θ / s_θ) per team, <= x_O; the z others
    pay at least the z smallest anchor extras. Free cohorts: `full_cohort_cost` of the others alone
    (their own staffing extras). The staffing extras of others inside anchored cohorts are
    left out (a lower bound may leave costs out, never count them twice)."""
    on_units = [u for u in elig if u.kind == "on"]
    others = [u for u in elig if u.kind != "on"]
    if not on_units or not others or not any(u.anchor_extra > 0 for u in others):
        return full_cohort_cost(elig, Gs, opt_all, sc, crew)
    PE, PO, PR = len(elig), len(on_units), len(others)
    F, Fk, Fx = cost_tables(PE)
    if not math.isfinite(opt_all) or Gs < 1:
        return F, Fk, Fx
    Fr, Fkr, Fxr = full_cohort_cost(others, Gs, opt_all, sc, crew)
    ex = sorted(u.anchor_extra for u in others)
    ER = np.concatenate(([0.0], np.cumsum(ex)))
    ER[~np.isfinite(ER)] = INF
    o_teams: dict[TeamKey, int] = defaultdict(int)
    for u in on_units:
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
