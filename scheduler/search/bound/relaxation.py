"""The cohort relaxation (step 7 of the package docstring): for a small pool whose members'
cheapest slots differ, a relaxed model of its cohorts given to CP-SAT for a fraction of a
second; its proven bound is a bound for the pool whether or not CP-SAT finished."""

from __future__ import annotations

import math

import numpy as np
from ortools.sat.python import cp_model

from scheduler.domain import Scenario, TeamKey
from scheduler.search.bound.pool_choice import broken_cohort
from scheduler.search.bound.pools import PoolProfiles
from scheduler.search.bound.slots import INF

CP_SECONDS = 0.1  # per pool (and CP-SAT's deterministic time, so the bound is the same on every run)
SCALE = 60  # the relaxation's integer costs: 1/60 of a currency unit, rounded down
NO_SLOT = 1 << 40  # a slot class's cost for a profile it is not admissible for


def relaxation_gain(pool: PoolProfiles) -> float:
    """How much more than the sum of its members' cheapest slots one cohort of the whole pool
    would pay at common slots (inf when some module has no common slot): where this is 0 the
    cohort relaxation cannot add anything to the per-unit bound."""
    prof, groups, mods = pool.prof, pool.groups, pool.facts.mods
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
        joint = np.zeros(len(common))
        for pk, n in live:
            joint = joint + n * prof[pk][4][m.id][1]
        gain += m.sessions * (float(joint[common].min()) - own)
    return gain


def pool_relaxation_bound(pool: PoolProfiles, sc: Scenario, seconds: float) -> float | None:
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
    prof, groups = pool.prof, pool.groups
    facts = pool.facts
    mods, G, options, caps = facts.mods, facts.G, facts.options, facts.caps
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
    rho: dict[str, float] = {}
    for m in mods:
        rho[m.id] = min((c + t for _, c, t, _ in options[m.id]), default=INF)
    # the smallest broken-cohort residual over sizes 1..G (as opt_some in `pool_choice.pool_bound`)
    os_min = min((broken_cohort(facts, rho, size_n).cost for size_n in range(1, G + 1)), default=INF)
    room_mods = [m for m in mods if m.location != "remote"]
    Gs = min([G] + [caps[m.id] for m in room_mods])
    full_ok = Gs >= 1 and all(math.isfinite(rho[m.id]) for m in mods)
    # slot classes per module
    classes: dict[str, list[tuple[list[int], list[TeamKey]]]] = {}
    for m in mods:
        vecs = [prof[pk][4][m.id] for pk in live]
        union = np.logical_or.reduce([v[0] for v in vecs])
        if not union.any():
            classes[m.id] = []
            continue
        idx = np.flatnonzero(union)
        cost_cols = [np.where(v[0][idx], np.floor(v[1][idx] * SCALE), NO_SLOT) for v in vecs]
        team_on: dict[TeamKey, np.ndarray] = {}
        for pi, t in enumerate(team_of):
            team_on.setdefault(t, vecs[pi][2][idx] > 0)
        cols = cost_cols + [team_on[t].astype(np.int64) for t in teams]
        mat = np.unique(np.stack(cols, axis=1).astype(np.int64), axis=0)
        # drop dominated classes (another is no dearer for anyone and overlaps no more shifts)
        keep: list[np.ndarray] = []
        for i in range(len(mat)):
            dom = np.all(mat <= mat[i], axis=1) & np.any(mat < mat[i], axis=1)
            if not dom.any():
                keep.append(mat[i])
        if len(keep) > 24:
            return None
        classes[m.id] = [([int(c) for c in r[:len(live)]], [teams[j] for j, f in enumerate(r[len(live):]) if f])
                         for r in keep]
    model = cp_model.CpModel()
    K = P
    obj: list[cp_model.LinearExprT] = []
    size_prev: cp_model.LinearExprT | None = None
    ns: list[list[cp_model.IntVar]] = []
    for _ in range(K):
        n = [model.new_int_var(0, N[p], "") for p in range(len(live))]
        ns.append(n)
        full = model.new_bool_var("")
        broken = model.new_bool_var("")
        model.add(full + broken <= 1)
        size = sum(n)
        model.add(size <= G * full + G * broken)
        model.add(size >= 1).only_enforce_if(full)
        model.add(size >= 1).only_enforce_if(broken)
        if size_prev is not None:
            model.add(size <= size_prev)  # cohorts in order of size (symmetry)
        size_prev = size
        # broken: members' a sums + the smallest residual
        for p in range(len(live)):
            w = model.new_int_var(0, N[p], "")
            model.add(w >= n[p] - N[p] * (1 - broken))
            obj.append(int(math.floor(A[p] * SCALE)) * w)
        obj.append(int(math.floor(os_min * SCALE)) * broken)
        if not full_ok:
            model.add(full == 0)
            continue
        model.add(size <= Gs).only_enforce_if(full)
        obj.append(int(math.floor(sum(rho[m.id] * m.sessions for m in mods) * SCALE)) * full)
        lk = model.new_int_var(0, int(max([x for x in late if math.isfinite(x)] + [0]) * SCALE) + 1, "")
        obj.append(lk)
        for p in range(len(live)):
            if not math.isfinite(late[p]):
                model.add(n[p] == 0).only_enforce_if(full)
                continue
            has = model.new_bool_var("")
            model.add(n[p] <= N[p] * has)
            lp = int(math.floor(late[p] * SCALE))
            if lp > 0:
                model.add(lk >= lp).only_enforce_if([has, full])
        for m in mods:
            cls = classes[m.id]
            if not cls:
                model.add(full == 0)
                continue
            ys = [model.new_bool_var("") for _ in cls]
            model.add(sum(ys) == full)
            for y, (costs, overlapped) in zip(ys, cls):
                for p in range(len(live)):
                    if costs[p] >= NO_SLOT:
                        model.add(n[p] == 0).only_enforce_if(y)
                    elif costs[p] > 0:
                        z = model.new_int_var(0, N[p], "")
                        model.add(z >= n[p] - N[p] * (1 - y))
                        obj.append(int(costs[p]) * m.sessions * z)
                for t in overlapped:
                    members_t = [n[p] for p in range(len(live)) if team_of[p] == t]
                    model.add(sum(members_t) <= slack[t]).only_enforce_if(y)
    # everyone is in one cohort or unassigned
    for p in range(len(live)):
        un = model.new_int_var(0, N[p], "")
        model.add(sum(n[p] for n in ns) + un == N[p])
        model.add_hint(un, N[p])
        for n in ns:
            model.add_hint(n[p], 0)
        obj.append(int(math.floor(upen[p] * SCALE)) * un)
    model.minimize(sum(obj))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.max_deterministic_time = CP_SECONDS  # the same bound on every run
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return math.floor(solver.best_objective_bound) / SCALE
