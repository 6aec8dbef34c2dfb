"""The programme's lower bound, put together (see the package docstring for the proof): the
pools' facts, the cohort relaxation where it can add, and the trainers' capacity priced in by
a few subgradient steps (Lagrangian)."""

from __future__ import annotations

import heapq
import time as _time
from collections import defaultdict
from dataclasses import dataclass

from scheduler.domain import Scenario
from scheduler.format.vocabulary import OBJECTIVE_TERMS
from scheduler.prepare.timeline import Timeline
from scheduler.search.bound.inputs import BoundInputs
from scheduler.search.bound.pool_choice import pool_bound
from scheduler.search.bound.pools import PoolFacts, PoolProfiles, pool_facts
from scheduler.search.bound.relaxation import CP_SECONDS, pool_relaxation_bound, relaxation_gain
from scheduler.search.bound.units import units_and_pools

TERMS = OBJECTIVE_TERMS  # the bound has one part per objective term (defined once, in the format)
CP_MAX_UNITS = 16  # the cohort relaxation is built for pools up to this many units
CP_MAX_POOLS = 64  # and for at most this many pools (those whose members' cheapest slots differ most)
CP_BUDGET = 0.25  # in all (or as long as the rest took, if longer)
LAGRANGE_STEPS = 30  # subgradient steps on the trainers' capacity prices


@dataclass(frozen=True)
class ProgrammeBound:
    """``total`` <= the objective of every valid schedule of the programme; ``terms`` is how
    the bound's minimising choice charges it to the objective terms (they sum to ``total``;
    see the package docstring: not a bound per term); ``notes`` say what was left out."""

    total: float
    terms: dict[str, float]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    pools: int = 0
    cohorts: int = 0  # cohorts in the bound's cheapest choice (for the record)


def programme_lower_bound(scenario: Scenario, timeline: Timeline | None = None, *,
                          deadline: float | None = None) -> ProgrammeBound:
    """A lower bound on the objective of every valid schedule of `scenario` (see the package
    docstring for the proof). `deadline` is a `time.monotonic()` instant: pools not reached by
    then count 0 (still a bound) and a note says so."""
    t0 = _time.monotonic()
    sc = scenario
    tl = timeline if timeline is not None else Timeline(sc)
    inputs = BoundInputs(sc, tl)
    notes: list[str] = []

    # ---- units, pools and each pool's facts -------------------------------------------
    n_pools = 0
    skipped = 0
    pool_data: list[PoolFacts] = []
    cp_input: list[tuple[float, int, PoolProfiles]] = []
    for members in units_and_pools(sc):
        if deadline is not None and _time.monotonic() > deadline:
            skipped += len(members)
            continue
        n_pools += 1
        facts, prof, groups = pool_facts(inputs, members)
        pool_data.append(facts)
        profiles = PoolProfiles(len(pool_data) - 1, facts, prof, groups)
        gain = relaxation_gain(profiles)
        if gain > 0 and len(members) <= CP_MAX_UNITS:
            heapq.heappush(cp_input, (gain, len(pool_data), profiles))
            if len(cp_input) > CP_MAX_POOLS:
                heapq.heappop(cp_input)

    # ---- the pools' bounds, and trainer capacity priced in (Lagrangian) ----------------
    capacity = {t.id: inputs.trainer_minutes(t) for t in sc.trainers.values()}

    # the cohort relaxation (CP-SAT) on the pools where members' cheapest slots differ
    cp_bound: dict[int, float] = {}
    t_base = _time.monotonic() - t0
    cp_stop = _time.monotonic() + min(max(CP_BUDGET, 0.25 * t_base), 2.0)
    if deadline is not None:
        cp_stop = min(cp_stop, deadline)
    for _gain, _, profiles in sorted(cp_input, key=lambda x: -x[0]):
        if _time.monotonic() > cp_stop:
            break
        v = pool_relaxation_bound(profiles, sc, min(CP_SECONDS, cp_stop - _time.monotonic()))
        if v is not None:
            cp_bound[profiles.index] = v
    del cp_input

    pool_trainers = [sorted({o[0] for opts in pd.options.values() for o in opts}) for pd in pool_data]
    pool_cache: dict[tuple[int, tuple[float, ...]], tuple[float, dict[str, float], dict[str | None, float]]] = {}

    def evaluate(price: dict[str, float]) -> tuple[float, dict[str, float], dict[str | None, float], float]:
        """The bound at these prices of the trainers' minutes: the pools' bounds (the relaxation's
        where higher) minus the priced capacity; its terms, the minutes it uses, the price paid."""
        tot = 0.0
        attr: dict[str, float] = defaultdict(float)
        use: dict[str | None, float] = defaultdict(float)
        for i, pd in enumerate(pool_data):
            key = (i, tuple(price.get(t, 0.0) for t in pool_trainers[i]))
            hit = pool_cache.get(key)
            if hit is None:  # a pool's bound depends on the prices of its trainers only
                hit = pool_cache[key] = pool_bound(pd, price, sc)
            b, pattr, puse = hit
            pattr = defaultdict(float, pattr)
            cp = cp_bound.get(i)
            if cp is not None and cp > b:  # valid at any price >= 0 (prices only add cost)
                pattr["overtime_per_hour"] += cp - b
                b = cp
            tot += b
            for k, v in pattr.items():
                attr[k] += v
            for trainer, minutes in puse.items():
                use[trainer] += minutes
        lag = sum(price[t] * capacity[t] for t in price)
        return tot - lag, attr, use, lag

    price: dict[str, float] = {}
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
