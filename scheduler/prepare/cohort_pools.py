"""Which plans of a track may share cohorts (*pools*), and how many days a track needs: plans
that share a person stay together, and a mixed-workplace track is cut into pools whose common
windows leave room for the whole track."""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta

from scheduler.domain import ActionPlan, Scenario

# Which span `track_span_days` answers with in this process (see `spans_at_floor`).
_AT_FLOOR = False


@contextmanager
def spans_at_floor():
    """Within this block `track_span_days` is the floor: cohorts are pooled, mended and
    regrouped on windows the track only just fits. Neither way of forming cohorts is better
    everywhere (docs/scale.md, session 14): the parallel search forms them this way in one of
    its searches (`search.engine`), and the better schedule goes on."""
    global _AT_FLOOR
    before, _AT_FLOOR = _AT_FLOOR, True
    try:
        yield
    finally:
        _AT_FLOOR = before


def track_span_days(scenario: Scenario, track) -> int:
    """The calendar days a common window should hold for a cohort of the track: every
    module's sessions kept apart by their minimum gap, a day per module, and weekends on
    top. Not the fewest days: the gaps are calendar days already, so for weekly modules this
    is about 40 % above the floor (planted mixed L 3's K-SV: 48 against 32); that slack keeps
    cohorts clear of windows they only just fit. Inside `spans_at_floor`: `track_floor_days`."""
    if _AT_FLOOR:
        return track_floor_days(scenario, track)
    work_days = 0
    for mid in track.modules:
        m = scenario.modules[mid]
        work_days += (m.sessions - 1) * max(1, m.min_gap_days) + 1
    per_week = max(1, len(scenario.calendar.weekdays))
    return math.ceil(work_days * 7 / per_week)


def span_to_share(scenario: Scenario, track, *own_days: int) -> int:
    """The calendar days a window shared by cohorts (or a person and a cohort) should hold
    for them to study together: the track's span with its slack (`track_span_days`); when one
    of their own windows is shorter than that, the track's floor. Why: a plan whose own window
    is shorter than the span with slack meets nobody with the slack anyway; what it needs is
    partners with whom it shares the days the track takes (planted care S 64: three people
    with 40 days for a span of 42 found no cohort to join, and their track's trainers had no
    room for a cohort of their own; planted mixed L 54: a plan of 18 days, the cohorts near it
    sharing 17, the floor 11, and asked to share all 18 it found none)."""
    need = track_span_days(scenario, track)
    if own_days and min(own_days) < need:
        need = track_floor_days(scenario, track)
    return need


def track_floor_days(scenario: Scenario, track) -> int:
    """The fewest calendar days from a cohort's first session to its last: each module's
    sessions their minimum gap apart (calendar days, start date to start date), each on a
    weekday of the calendar, the next module on the day the last one ended when the day has a
    later start time (else the day after), beginning on the best weekday. Holidays and
    closures are left out (`window_span` walks a window's own days): no shorter window can
    hold the track."""
    weekdays = scenario.calendar.weekdays or frozenset(range(7))
    between = 0 if len(scenario.calendar.start_times) > 1 else 1
    best = None
    for first in weekdays:
        day = first
        for n_mod, mid in enumerate(track.modules):
            m = scenario.modules[mid]
            for n in range(m.sessions):
                if n:
                    day += max(1, m.min_gap_days)
                elif n_mod:
                    day += between
                while day % 7 not in weekdays:
                    day += 1
        span = day - first + 1
        best = span if best is None else min(best, span)
    return best or 0


def window_span(scenario: Scenario, track, e, d, open_days: list | None = None) -> int:
    """Calendar days of a common window e..d, 0 when the track's sessions cannot follow each
    other on its open days with their minimum gaps (a window across the summer closure is
    long but empty)."""
    days = (d - e).days + 1
    if open_days is None or days <= 0:
        return days
    # The next module may begin on the day the last one ends, at a later start time.
    between = 0 if len(scenario.calendar.start_times) > 1 else 1
    day = e
    for mid in track.modules:
        m = scenario.modules[mid]
        for n in range(m.sessions):
            at = bisect.bisect_left(open_days, day)
            if at == len(open_days) or open_days[at] > d:
                return 0
            day = open_days[at] + timedelta(days=max(1, m.min_gap_days) if n < m.sessions - 1 else between)
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
    linked = plans_sharing_people(plans, plans_of)
    groups = sorted(linked, key=lambda g: (max(p.earliest for p in g), min(p.deadline for p in g), g[0].id))

    def window(g):
        return max(p.earliest for p in g), min(p.deadline for p in g)

    spans: dict[tuple, int] = {}  # windows repeat: plans of one programme share their dates

    def span(e, d):
        if (e, d) not in spans:
            spans[e, d] = window_span(scenario, track, e, d, open_days)
        return spans[e, d]

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

    def stuck_pool(pool) -> bool:
        return size(pool) < track.min_group or roomless(pool) or overfull(pool)

    def pull(pool) -> bool:
        """A pool too small for a cohort takes plans (with the plans sharing their people)
        from other pools, whose windows leave room for the track together with its own and
        whose pools stay large enough without them: a late plan then gets companions of its
        own time instead of joining a pool whose window it would close."""
        e, d = window(pool)
        # A pool whose own window is tighter than the track's span with slack takes only
        # plans that leave its window whole.
        enough = min(need, span(e, d))
        if enough <= 0:
            return False
        while size(pool) < track.min_group:
            best = None
            for q in pools:
                if q is pool:
                    continue
                in_q = {x.id for x in q}  # plans compared by id: a plan's __eq__ compares every field
                for g in linked:
                    if g[0].id not in in_q:
                        continue
                    ge, gd = window(g)
                    s = span(max(e, ge), min(d, gd))
                    if s < enough:
                        continue
                    in_g = {x.id for x in g}
                    rest = [x for x in q if x.id not in in_g]
                    if not rest or stuck_pool(rest):
                        continue
                    if best is None or (s, -size(g)) > best[0]:
                        best = ((s, -size(g)), q, g)
            if best is None:
                return False
            _, q, g = best
            in_g = {x.id for x in g}
            q[:] = [x for x in q if x.id not in in_g]
            pool += g
            e, d = window(pool)
        return True

    def partners(pool, q) -> bool:
        """q has, together with `pool`, `min_group` people whose own windows share the track's
        span with the pool's window: q's common window may have closed long before (planted
        network L 56: a plan of one person, 14 May-5 June, joined the pool whose common
        window with it was 5 days, of a track of 7 days at least, and not the pool of plans
        running from late April to June, whose common window was 1-10 May)."""
        e, d = window(pool)
        near = sum(len(x.participants) for x in q if span(max(e, x.earliest), min(d, x.deadline)) >= need)
        return near + size(pool) >= track.min_group

    while len(pools) > 1:
        stuck = [pool for pool in pools if stuck_pool(pool)]
        if not stuck:
            break
        pool = min(stuck, key=size)
        if size(pool) < track.min_group and not roomless(pool) and not overfull(pool):
            before = list(pool)
            if pull(pool) and not stuck_pool(pool):
                continue
            _give_back(pools, pool, before)
        pools[:] = [q for q in pools if q is not pool]
        e, d = window(pool)
        other = max(pools, key=lambda q: (not (roomless(pool) and roomless(q)), not overfull(q + pool),
                                          partners(pool, q), span(max(e, window(q)[0]), min(d, window(q)[1])),
                                          -size(q)))
        other += pool
    position = {p.id: n for n, p in enumerate(plans)}
    return [sorted(pool, key=lambda p: position[p.id]) for pool in pools]


def _give_back(pools: list[list[ActionPlan]], pool: list[ActionPlan], before: list[ActionPlan]) -> None:
    """Undo a `pull` that did not make the pool large enough: the plans it took go back to the
    pools they came from (recorded by their absence from `before`)."""
    # The taken plans were removed from their pools; they return as one pool of their own,
    # which the merging step then joins where it fits best.
    kept = {x.id for x in before}
    taken = [x for x in pool if x.id not in kept]
    del pool[len(before):]
    if taken:
        pools.append(taken)


def plans_sharing_people(plans: list[ActionPlan], plans_of: dict[str, list[ActionPlan]]) -> list[list[ActionPlan]]:
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
