"""Cohorts inside the search: who studies with whom is changed where it decides schedulability.

The first cohorts come from `cohorts.form_cohorts` (a few principles, no search). A cohort
that cannot be scheduled even alone, or that the search leaves incomplete, is formed again
together with the other cohorts of its pool (the cohorts of the same track that share an
action plan with it): their participants are split anew in several ways — each team's
members together in rota order (crews free at the same times), teams spread round robin
(staffing slack), by action plan (windows), with one or two more cohorts (smaller groups
fit tighter rooms, slack and windows) — within the track's group sizes (rule 5) and
without mixing workplaces where the track does not allow it. The first split whose every
cohort can be scheduled alone is taken (fewest cohorts first: every cohort costs trainer
hours); cohorts whose membership does not change keep their ids (calendar UIDs).
"""

from __future__ import annotations

import itertools
import logging
import math
import random
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterator

from scheduler.prepare.cohort_records import cohort_of, group_size_breaks
from scheduler.prepare.cohort_repair import cannot_meet, gathered
from scheduler.prepare.cohorts import Cohort, repair_groups, span_to_share, track_span_days
from scheduler.prepare.problem import PlanningProblem
from scheduler.search.construct import (
    Bookings,
    Placement,
    _fit,
    _lookahead,
    _ordered_candidates,
    _place_cohort,
    construct,
)
from scheduler.search.ledger import Ledger
from scheduler.search.recreate import Recreator
from scheduler.search.ruin_recreate import RuinRecreate, schedule_to_change

log = logging.getLogger("modulplan.search")

WIDE_POOL_GROUPS = 4  # a mixed track's wide pool: at most this many cohorts' worth of people
# Pools of up to this many people judge who fits with whom by each one's exact candidate
# starts (a problem of single-person cohorts); larger ones by the shaper's slot masks.
EXACT_STARTS_LIMIT = 24
# Members tried per seat when a cohort is grown by exact checks (each a problem of one cohort),
# and the checks one offer of splits may spend on growing.
GROW_TRIES = 6
GROW_CHECKS = 150
# Programmes up to which splits are also grown by exact checks. At national size the checks
# cost seconds per pool and re-forming has hundreds of pools within its deadline: measured on
# the planted XL programme, 382 sessions left by the constructive schedule instead of 107.
GROW_SESSIONS_LIMIT = 4_000
# How many times its budget of splits `reform` tries for a pool none of them has helped yet.
RETRY_FACTOR = 3
# Pools of up to this many plans (or sets of plans one person shares) are also offered every
# cut into two cohorts by plan (`_plan_cuts`): 2^6 - 1 = 63 at most.
PLAN_CUTS_LIMIT = 7
# A split that leaves more sessions out when placed greedily gets a short search of its own
# (`_repaired`): the best few of a move, for this long each, on programmes up to this size.
REPAIRED_SPLITS = 2
REPAIR_SECONDS = 0.3
REPAIR_MISSING_SLACK = 2  # sessions a split may leave out beyond the schedule's and still be searched on
REPAIR_SESSIONS_LIMIT = 4_000


def placeable_alone(problem: PlanningProblem, cid: str, *, nodes: int = 400) -> bool:
    """Can the cohort's whole track be scheduled when nothing else is booked? The greedy
    placer first; when it fails, a depth-first search over the track's candidate starts
    (earliest first, its own sessions booked as it goes: order, gaps, daily rest between
    them, trainers' daily limits), up to `nodes` placements tried."""
    idxs = problem.by_cohort[cid]
    if not idxs or any(not problem.options[i].candidates for i in idxs):
        return False
    ahead = _lookahead(problem)

    def followed(i: int, k: int) -> bool:
        """Start k of session i leaves the rest of the track a start after it, bookings
        aside (latest starts and the reachable days of the gap rules): no later start can
        do better, so a track that fails here everywhere fails without a search."""
        c = problem.options[i].candidates[k]
        last_day, last_start = ahead.latest_start(i)
        return c.slot.day_number <= last_day and c.start <= last_start and ahead.ok(i, c.slot.day_number)

    if not any(followed(idxs[0], k) for k in range(len(problem.options[idxs[0]].candidates))):
        return False
    if len(_place_cohort(problem, Bookings(problem), idxs, "cheapest", backtracks=20)) == len(idxs):
        return True
    book = Bookings(problem)
    budget = [nodes]

    def dfs(j: int, prev) -> bool:
        if j == len(idxs):
            return True
        i = idxs[j]
        o = problem.options[i]
        for k in _ordered_candidates(problem, i, "earliest", prev):
            if not followed(i, k):
                continue
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            pl = _fit(problem, book, i, k, None)
            if pl is None:
                continue
            book.book(pl)
            if dfs(j + 1, (i, o.candidates[k])):
                return True
            book.book(pl, -1)
        return False

    return dfs(0, None)


def _window(problem: PlanningProblem, c: Cohort):
    plans = [problem.scenario.action_plans[p] for p in c.plans]
    return max(p.earliest for p in plans), min(p.deadline for p in plans)


def _pool(problem: PlanningProblem, cid: str, wide: bool = False, workplace: bool = False) -> list[Cohort]:
    """The cohorts of the same track linked to `cid` through shared action plans and, where
    the track mixes workplaces, those whose common window leaves room for the track together
    with this one's (their people could study together). `workplace` (a track that does not
    mix them): those of the same workplace whose common window leaves room for the track,
    whatever their plans (the first cohorts are formed plan by plan)."""
    c0 = problem.cohort_by_id[cid]
    same_track = [c for c in problem.cohorts if c.track == c0.track]
    mixed = problem.scenario.tracks[c0.track].mix_workplaces
    if workplace and not mixed:
        same_track = [c for c in same_track if c.workplaces == c0.workplaces]
    if (wide and mixed) or (workplace and not mixed):
        track = problem.scenario.tracks[c0.track]
        own = [(problem.scenario.action_plans[p].earliest, problem.scenario.action_plans[p].deadline) for p in c0.plans]
        near = []
        for c in same_track:
            e, d = _window(problem, c)
            # the days one of this cohort's plans shares with the other cohort, against the
            # span the two windows can hold with slack (a plan's own short window: no slack)
            shares = [((min(d, d0) - max(e, e0)).days + 1,
                       span_to_share(problem.scenario, track, (d0 - e0).days + 1, (d - e).days + 1)) for e0, d0 in own]
            if c.id != c0.id and any(days >= need for days, need in shares):
                near.append((-max(days for days, _ in shares), c.id, c))
        # The closest in window first, up to a few cohorts' worth of people: splitting a pool
        # of hundreds costs more than it can win in one move.
        pool = {c0.id: c0}
        room = WIDE_POOL_GROUPS * problem.scenario.tracks[c0.track].max_group - c0.size
        for _, _, c in sorted(near):
            if c.size > room:
                break
            pool[c.id] = c
            room -= c.size
        return list(pool.values())
    pool = {c0.id: c0}
    plans, grew = {p for c in pool.values() for p in c.plans}, True
    while grew:
        grew = False
        for c in same_track:
            if c.id not in pool and plans & set(c.plans):
                pool[c.id] = c
                plans |= set(c.plans)
                grew = True
    return list(pool.values())


def _splits(problem: PlanningProblem, pool: list[Cohort], grow: bool = True, as_now_first: bool = False,
            deadline: float | None = None):
    """Candidate splits of the pool's participants, fewest cohorts first. `grow`: also the
    splits grown by exact checks (for a pool that cannot be scheduled as it is).
    `as_now_first`: as many cohorts as the pool has first, then more, then fewer (for a pool
    with sessions left out: the shape it has nearly fits, and fewer cohorts than now rarely
    place more; on a network programme of 20 times M's size, the first 18 splits of 29 or 30
    cohorts for a pool of 39 left 239 sessions out, those of 39 cohorts 7). `deadline`
    (time.monotonic()): past it, growing makes no more exact checks (150 of them took a
    60 s solve 5 s past its limit)."""
    sc = problem.scenario
    track = sc.tracks[pool[0].track]
    members = sorted({pid for c in pool for pid in c.participants})
    n = len(members)
    gmin, gmax = track.min_group, track.max_group
    teams = sc.teams

    def rota(pid):
        t = teams[sc.participants[pid].team]
        cycle = len(sc.shift_patterns[t.pattern].cycle) or 1
        return (t.pattern, t.offset_days % cycle, t.workplace, str(t.id), sc.participants[pid].language or "", pid)

    by_rota = sorted(members, key=rota)
    by_team = sorted(members, key=lambda pid: (str(sc.participants[pid].team), pid))
    plans_of = {pid: [p for p in pool_plans(problem, pool) if pid in sc.action_plans[p].participants]
                for pid in members}
    def window_of(pid):
        ps = [sc.action_plans[p] for p in plans_of[pid]]
        return (max(p.earliest for p in ps), min(p.deadline for p in ps)) if ps else (None, None)

    by_plan = sorted(members, key=lambda pid: (window_of(pid), plans_of[pid][0] if plans_of[pid] else "", rota(pid)))
    by_language = sorted(members, key=lambda pid: (sc.participants[pid].language or "", rota(pid)))
    k0 = len(pool)
    lo = max(1, math.ceil(n / gmax))
    seen = set()
    features: dict[str, int] = {}  # per member: bit k set when slot k is one of their own starts

    def compat(sizes: list[int], share: bool = True) -> list[list[str]]:
        """Members who could meet at the same starts together: each member's own starts (as a
        cohort of one), the tightest placed first into the cohort whose common starts it keeps
        most of, within the sizes and the teams' slack."""
        if not features:
            features.update(_own_starts(problem, members, plans_of, pool[0].track))
        k = len(sizes)
        bins: list[list[str]] = [[] for _ in range(k)]
        common: list[int | None] = [None] * k
        for pid in sorted(members, key=lambda pid: (features[pid].bit_count(), pid)):
            f = features[pid]
            best, best_score = None, None
            team = sc.participants[pid].team
            for j in range(k):
                if len(bins[j]) >= sizes[j] or _over_slack(sc, bins[j] + [pid], plans_of):
                    continue
                if sum(sc.participants[x].team == team for x in bins[j]) >= sc.teams[team].staffing_slack:
                    continue  # more of the team than its slack could only ever meet off shift
                # the share of the cohort's common starts this member keeps (an empty cohort: half),
                # or how many common starts are left
                cj = common[j]
                score: float
                if share:
                    score = 0.5 if cj is None else (cj & f).bit_count() / max(1, cj.bit_count())
                else:
                    score = f.bit_count() / 2 if cj is None else (cj & f).bit_count()
                if best_score is None or score > best_score:
                    best, best_score = j, score
            if best is None:
                best = min((j for j in range(k) if len(bins[j]) < sizes[j]), key=lambda j: len(bins[j]))
            bins[best].append(pid)
            cb = common[best]
            common[best] = f if cb is None else cb & f
        return bins

    fits: dict[tuple[str, ...], bool] = {}
    all_plans = pool_plans(problem, pool)

    def fits_alone(group: list[str]) -> bool:
        """The group as a cohort could be scheduled with nothing else booked (exactly:
        `placeable_alone` on a problem of that one cohort)."""
        key = tuple(sorted(group))
        hit = fits.get(key)
        if hit is None and (len(fits) >= GROW_CHECKS or (deadline is not None and time.monotonic() > deadline)):
            return False  # out of checks or of time: taken as not schedulable (grown then gives up)
        if hit is None:
            probe = _cohort(problem, "probe-grown", track.id, list(key), all_plans)
            trial = PlanningProblem(sc, cohorts=[probe], reuse=problem)
            hit = fits[key] = placeable_alone(trial, probe.id, nodes=150)
        return hit

    def grown(sizes: list[int], strict: bool) -> list[list[str]] | None:
        """Cohorts grown one member at a time, kept schedulable on their own where they can
        be: the member with the fewest own starts begins a cohort, which takes, of the few
        members who share most of its common starts (the tightest first), the first with whom
        it can be scheduled exactly (or, while it cannot be yet — a member alone may have no
        room at their own workplace — or is below the group size, the first within the
        slack), up to its size.
        Where the heuristic splits put a tight member with people it can never meet (a short
        window beside other rotas, more of a team than its slack), this finds the cohorts a
        coordinator would. `strict`: a cohort takes only members with whom it can be
        scheduled (from its first member on), and the rest only where a cohort stays
        schedulable. None when the sizes (or, strict, schedulability) cannot be kept."""
        if not features:
            features.update(_own_starts(problem, members, plans_of, pool[0].track))
        left = sorted(members, key=lambda pid: (features[pid].bit_count(), pid))
        groups: list[list[str]] = []
        for size in sizes:
            if not left:
                break
            group = [left.pop(0)]
            common = features[group[0]]
            while len(group) < size and left:
                # most of the common starts kept, then the tightest (the flexible ones fit later cohorts too)
                ranked = sorted(left, key=lambda pid: (-(common & features[pid]).bit_count(),
                                                       features[pid].bit_count(), pid))[:GROW_TRIES]
                within = [pid for pid in ranked if not _over_slack(sc, group + [pid], plans_of)]
                chosen = next((pid for pid in within if fits_alone(group + [pid])), None)
                if chosen is None:
                    if strict or (len(group) >= gmin and fits_alone(group)):
                        break  # schedulable and large enough: the rest go elsewhere
                    chosen = within[0] if within else None
                    if chosen is None:
                        break
                group.append(chosen)
                left.remove(chosen)
                common &= features[chosen]
            groups.append(group)
        for pid in list(left):  # the rest: where the cohort stays schedulable, else the smallest with room
            room = [g for g in sorted(groups, key=len) if len(g) < gmax and not _over_slack(sc, g + [pid], plans_of)]
            home = next((g for g in room if fits_alone(g + [pid])), None if strict or not room else room[0])
            if home is None:
                return None
            home.append(pid)
        if n >= gmin and any(len(g) < gmin for g in groups):
            return None
        return groups

    def flexible() -> list[list[str]] | None:
        """As many cohorts as the members' own starts call for: members in order of their
        window's end, each into the cohort that keeps most common starts while enough remain
        for the whole track (within the group size and, where it can, under the team's
        slack), else into a cohort of their own; cohorts below the group size then take
        members other cohorts can spare, or are shared out. Where windows part (spring and
        summer plans in one pool) the cohorts part with them, whatever the number of cohorts
        the pool had. None when the sizes cannot be kept."""
        if n < gmin:
            return None  # one cohort is all there is
        if not features:
            features.update(_own_starts(problem, members, plans_of, pool[0].track))
        segments = _start_segments(problem, track, exact=len(members) <= EXACT_STARTS_LIMIT)

        def enough(bits: int) -> bool:
            return all((bits & mask).bit_count() >= need for mask, need in segments)

        def fits(group: list[str], pid: str, bits: int) -> bool:
            """`pid` may join: room, a window long enough for the track, enough common starts."""
            if len(group) >= gmax or not enough(bits) or _over_slack(sc, group + [pid], plans_of):
                return False
            windows = [window_of(x) for x in group + [pid]]
            return (min(w[1] for w in windows) - max(w[0] for w in windows)).days + 1 >= need_days

        def under_slack(group: list[str], pid: str) -> bool:
            """Fewer of `pid`'s team than its slack (more could only meet off shift)."""
            team = sc.participants[pid].team
            return sum(sc.participants[x].team == team for x in group) < sc.teams[team].staffing_slack

        need_days = track_span_days(sc, track)
        groups: list[list[str]] = []
        common: list[int] = []
        for pid in sorted(members, key=lambda pid: (window_of(pid)[1], window_of(pid)[0], rota(pid))):
            f = features[pid]
            best, best_score = None, None
            for j, g in enumerate(groups):
                if not fits(g, pid, common[j] & f):
                    continue
                score = (under_slack(g, pid), (common[j] & f).bit_count())
                if best_score is None or score > best_score:
                    best, best_score = j, score
            if best is None:
                groups.append([pid])
                common.append(f)
            else:
                groups[best].append(pid)
                common[best] &= f
        for j in sorted(range(len(groups)), key=lambda j: len(groups[j])):
            g = groups[j]
            while 0 < len(g) < gmin:  # take a member another cohort can spare
                spare = [(-(_common(g, features) & features[x]).bit_count(), x, h) for h in groups
                         if h is not g and len(h) > gmin for x in h if fits(g, x, _common(g + [x], features))]
                if not spare:
                    break
                _, x, h = min(spare)
                h.remove(x)
                g.append(x)
            if 0 < len(g) < gmin:  # share it out
                for x in list(g):
                    home = next((h for h in sorted(groups, key=len) if h is not g and len(h) >= gmin
                                 and fits(h, x, _common(h + [x], features))), None)
                    if home is None:
                        return None
                    g.remove(x)
                    home.append(x)
        groups = [g for g in groups if g]
        if not all(gmin <= len(g) <= gmax for g in groups):
            return None
        # then mended where a cohort could never meet (a team over its slack, say)
        return repair_groups(sc, problem.timeline, track.id, groups, shaper=problem.shaper)

    def offer_flexible():
        """The flexible split, unless offered already or mixing workplaces the track keeps apart."""
        got = flexible()
        key = tuple(sorted(tuple(sorted(g)) for g in got)) if got is not None else None
        if got is not None and key not in seen and (track.mix_workplaces or all(
                len({sc.action_plans[plans_of[p][0]].workplace for p in g}) == 1 for g in got)):
            seen.add(key)
            yield got

    crews = _by_crew(by_rota, lambda pid: rota(pid)[:2], gmin, gmax)
    phases = len({rota(pid)[:2] for pid in members})  # crews of a rota at different points of its cycle
    # The flexible split after those of the first number of cohorts tried (the ways that keep
    # the pool's shape come first: measured, the flexible one first cost sessions on care M 4).
    flexible_due = True
    counts = ([max(lo, k0), k0 + 1, k0 + 2, max(lo, k0 - 1), lo, len(crews)] if as_now_first
              else sorted({max(lo, k0), max(lo, k0 - 1), k0 + 1, k0 + 2, lo, len(crews)}))
    ks = [k for k in dict.fromkeys(counts) if not (k < lo or (n < gmin and k > 1) or (n >= gmin and n // k < gmin))]
    for nk, k in enumerate(ks):
        if nk == 1:
            flexible_due = False
            yield from offer_flexible()
        sizes = [n // k + (1 if j < n % k else 0) for j in range(k)]
        ways = [(members, "compat"), (members, "compat-count"), (by_plan, "repair"), (by_rota, "cut"),
                (by_plan, "cut"), (by_plan, "window-cut"), (by_plan, "window-cut-2"), (by_team, "deal"),
                (by_language, "cut"), (by_rota, "deal")]
        if grow and len(problem.sessions) <= GROW_SESSIONS_LIMIT:
            ways[:0] = [(members, "grown"), (members, "grown-strict")]
        if k == len(crews) > 1:
            ways.insert(0, (by_rota, "crews"))
        for order, how in ways:
            if how == "crews":
                # one cohort per crew (a rota and its offset): crews are free at the same times,
                # and off-shift-only plans of 5-shift crews often have no time for two crews together
                groups = crews
            elif how == "repair":
                # by window, dealt round the cohorts, then mended where a cohort could never meet
                # (windows, rooms at the workplaces, staffing, shifts: `cohorts.repair_groups`)
                groups = repair_groups(sc, problem.timeline, track.id, [order[j::k] for j in range(k)],
                                       shaper=problem.shaper)
            elif how.startswith("grown"):
                got = grown(sizes, strict=how == "grown-strict")
                if got is None:
                    continue
                groups = got
            elif how.startswith("compat"):
                groups = compat(sizes, share=how == "compat")
            elif how.startswith("window-cut"):
                # cut where the plans' windows open furthest apart (uneven sizes): the early plans
                # start together, the late ones after them
                cuts = _window_cuts([window_of(pid)[0] for pid in order], k, gmin, gmax)
                nth = 1 if how == "window-cut-2" else 0
                if len(cuts) <= nth:
                    continue
                bounds = [0, *cuts[nth], n]
                groups = [order[a:b] for a, b in zip(bounds, bounds[1:])]
            elif how == "cut":
                groups, pos = [], 0
                for size in sizes:
                    groups.append(order[pos:pos + size])
                    pos += size
            else:
                groups = [order[j::k] for j in range(k)]
            if how != "repair" and not how.startswith("window-cut") and not (how == "crews" and phases > 1):
                # those whom the same interpreters serve together, as the first cohorts have them
                # (on planted care M 2 a re-formed pool spread three speakers over three cohorts);
                # not in the repair (it gathers them itself), nor in a window cut (it would take a
                # late starter who shares the interpreter into the early cohort), nor in the crews
                # of a rota's phases (a speaker moved to another crew's cohort is at work when it
                # meets, which the quick check of the swap does not see: planted mixed
                # L 52, three crews off shift only, a speaker of one gathered with another's, and
                # no cohort but the untouched crew's could be scheduled even alone)
                groups = gathered(sc, problem.shaper, track.id, groups)
            key = tuple(sorted(tuple(sorted(g)) for g in groups))
            if key in seen:
                continue
            seen.add(key)
            if not track.mix_workplaces and any(len({sc.action_plans[plans_of[p][0]].workplace for p in g}) > 1
                                                for g in groups):
                continue
            if any(_over_slack(sc, g, plans_of) for g in groups):
                continue
            yield groups
    if flexible_due:
        yield from offer_flexible()
    if 2 in ks and as_now_first:  # for a pool with sessions left out: for cost they crowd out better moves
        if not features:
            features.update(_own_starts(problem, members, plans_of, pool[0].track))
        yield from _plan_cuts(sc, track, members, plans_of, features, seen)


def _plan_cuts(sc, track, members: list[str], plans_of: dict, features: dict[str, int], seen: set):
    """Every cut of a pool of a few plans into two cohorts, each plan's people kept together
    (within the group sizes and the teams' slack), those whose cohorts keep most common starts
    (the fewer of the two) first. Why: where one trainer teaches the whole track, who may
    study with whom depends on the order in which that trainer takes the cohorts, which no
    heuristic split sees (planted industry S 68: the planted cut is the 14th of 53 by common
    starts, and no other way offered it). Only for a pool with sessions left out: offered for
    cost too, they made the learning-centre example 1.4 % dearer at 60 s."""
    by_plans: dict[tuple, list[str]] = {}
    for pid in members:
        by_plans.setdefault(tuple(plans_of[pid]), []).append(pid)
    units = sorted(by_plans.values())
    if not 2 <= len(units) <= PLAN_CUTS_LIMIT:
        return
    cuts = []
    for mask in range(1, 1 << (len(units) - 1)):  # the last unit stays in the second cohort
        a = [pid for j, u in enumerate(units) if mask >> j & 1 for pid in u]
        b = [pid for j, u in enumerate(units) if not mask >> j & 1 for pid in u]
        if not all(track.min_group <= len(g) <= track.max_group for g in (a, b)):
            continue
        if any(_over_slack(sc, g, plans_of) for g in (a, b)):
            continue
        kept = min(_common(a, features).bit_count(), _common(b, features).bit_count())
        cuts.append((-kept, mask, [a, b]))
    for _, _, groups in sorted(cuts, key=lambda c: c[:2]):
        key = tuple(sorted(tuple(sorted(g)) for g in groups))
        if key in seen:
            continue
        seen.add(key)
        if not track.mix_workplaces and any(
                len({sc.action_plans[plans_of[p][0]].workplace for p in g}) > 1 for g in groups):
            continue
        yield groups


def _window_cuts(opens: list, k: int, gmin: int, gmax: int, best: int = 2) -> list[tuple[int, ...]]:
    """Where to cut members in window order (`opens`: the day each one's window opens, in
    that order) into `k` cohorts of `gmin`..`gmax`, only between members whose windows open on
    different days: the `best` cuts whose windows lie furthest apart (the sum of the days
    between the two sides of each cut), the more even sizes first among equals. Why: when a
    scarce trainer (a weekly limit, one qualified) must teach a mixed track's cohorts one
    after another, the cohort of the early plans has to start early; equal sizes cut through
    a plan and put late starters in the early cohort (planted care S 45: the pool of 16 cut
    6 / 10 by windows places everything, 8 / 8 leaves a module out)."""
    n = len(opens)
    if k < 2 or n < k * gmin or None in opens:
        return []
    gaps = [((opens[j] - opens[j - 1]).days, j) for j in range(1, n) if opens[j] != opens[j - 1]]
    gaps.sort(key=lambda g: (-g[0], abs(g[1] - n / k)))
    scored = []
    for combo in itertools.combinations(sorted(j for _, j in gaps[:12]), k - 1):
        bounds = [0, *combo, n]
        sizes = [b - a for a, b in zip(bounds, bounds[1:])]
        if all(gmin <= size <= gmax for size in sizes):
            days = sum((opens[j] - opens[j - 1]).days for j in combo)
            scored.append((-days, max(sizes) - min(sizes), combo))
    scored.sort()
    return [combo for _, _, combo in scored[:best]]


def _by_crew(by_rota: list[str], crew_of, gmin: int, gmax: int) -> list[list[str]]:
    """The members (in rota order) a cohort per crew: a crew larger than the group size
    split evenly, one smaller than the minimum joined to the crew before it (or after it);
    [] when some cohort would still be below the minimum."""
    crews: list[list[str]] = []
    for pid in by_rota:
        if crews and crew_of(crews[-1][-1]) == crew_of(pid):
            crews[-1].append(pid)
        else:
            crews.append([pid])
    merged: list[list[str]] = []
    for crew in crews:
        if merged and (len(crew) < gmin or len(merged[-1]) < gmin) and len(merged[-1]) + len(crew) <= gmax:
            merged[-1] = merged[-1] + crew
        else:
            merged.append(crew)
    out: list[list[str]] = []
    for group in merged:
        parts = -(-len(group) // gmax)
        out.extend(group[j::parts] if parts > 1 else group for j in range(parts))
    return out if all(len(g) >= gmin for g in out) else []


def _own_starts(problem: PlanningProblem, members: list[str], plans_of: dict, track: str) -> dict[str, int]:
    """Per member, the start slots (a bit per slot, a block of bits per session length of the
    track) at which they could be in a session by their own window, shifts, staffing and
    rest: the starts a cohort with them in it must choose from."""
    sc, shaper = problem.scenario, problem.shaper
    width = len(problem.timeline.slots)
    if len(members) <= EXACT_STARTS_LIMIT:
        # Exactly: each member as a cohort of one, with every rule a cohort of one meets
        # (trainers' and rooms' availability per module included), a bit per session and slot.
        singles = [_cohort(problem, f"probe-{n}", track, [pid], plans_of[pid]) for n, pid in enumerate(members)]
        probe = PlanningProblem(sc, cohorts=singles, reuse=problem)
        exact = {}
        for pid, c in zip(members, singles):
            bits = 0
            for i in probe.by_cohort[c.id]:
                shift = probe.sessions[i].position * width
                for cand in probe.options[i].candidates:
                    bits |= 1 << (shift + cand.slot.index)
            exact[pid] = bits
        return exact
    # Many members: by their window, shifts, staffing and rest, and by when someone could speak
    # their language (the shaper's slot masks; a scarce interpreter's hours part the speakers
    # from the rest: planted care M 58, 26 members, three cohorts mixing three languages).
    modules = [sc.modules[m] for m in sc.tracks[track].modules]
    durations = sorted({m.duration_minutes for m in modules})
    qualifications = {m.qualification for m in modules}
    trainers = tuple(sorted(t.id for t in sc.trainers.values() if qualifications & set(t.qualifications)))
    out = {}
    for pid in members:
        plans = [sc.action_plans[p] for p in plans_of[pid]]
        if not plans:
            out[pid] = 0
            continue
        e, d = max(p.earliest for p in plans), min(p.deadline for p in plans)
        team = sc.participants[pid].team
        language = sc.participants[pid].language
        on_ok, off_ok = all(p.allow_on_shift for p in plans), all(p.allow_off_shift for p in plans)
        bits = 0
        for j, dur in enumerate(durations):
            lo, hi = shaper.slot_range(e, d, dur)
            mask = shaper.team_mask(team, dur, on_ok, off_ok, False, lo, hi)
            if language:
                mask &= problem.language_slots(language, dur, trainers)
            bits |= mask << (j * width)
        out[pid] = bits
    return out


def _start_segments(problem: PlanningProblem, track, *, exact: bool) -> list[tuple[int, int]]:
    """The blocks of `_own_starts`' bits, each with how many common starts a cohort needs in
    it: exact, a block per session of the track and one start; else a block per session
    length and as many starts as the track has sessions of that length."""
    sc = problem.scenario
    width = len(problem.timeline.slots)
    block = (1 << width) - 1
    if exact:
        count = sum(sc.modules[m].sessions for m in track.modules)
        return [(block << (q * width), 1) for q in range(count)]
    durations = sorted({sc.modules[m].duration_minutes for m in track.modules})
    return [(block << (j * width), sum(sc.modules[m].sessions for m in track.modules
                                       if sc.modules[m].duration_minutes == dur))
            for j, dur in enumerate(durations)]


def _common(group: list[str], features: dict[str, int]) -> int:
    bits = -1
    for pid in group:
        bits &= features[pid]
    return bits


def _over_slack(sc, group: list[str], plans_of: dict) -> bool:
    """More members of one team who may only train on shift than the team's staffing slack:
    such a cohort could never meet (rule 7 with rule 8)."""
    on_only = Counter(sc.participants[pid].team for pid in group
                      if plans_of[pid] and not all(sc.action_plans[p].allow_off_shift for p in plans_of[pid]))
    return any(n > sc.teams[t].staffing_slack for t, n in on_only.items())


def pool_plans(problem: PlanningProblem, pool: list[Cohort]) -> list[str]:
    return sorted({p for c in pool for p in c.plans})


def _cohort(problem: PlanningProblem, cid: str, track: str, ids: list[str], plans: list[str]) -> Cohort:
    return cohort_of(problem.scenario, cid, track, ids, plans)


def reform(problem: PlanningProblem, cohort_ids: list[str], *, budget: int = 16,
           deadline: float | None = None, known: dict[tuple, bool] | None = None) -> PlanningProblem | None:
    """A problem in which the pools of `cohort_ids` are split anew so that each of their
    cohorts can be scheduled alone; None when no split tried does better. `known`: answers
    of earlier checks (`_remembered`), read and added to."""
    done: set[str] = set()
    changes: dict[str, tuple[list[Cohort], list[Cohort]]] = {}  # cohort -> (its old pool, the new split)
    bad_now = set(cohort_ids)
    def late() -> bool:
        return deadline is not None and time.monotonic() > deadline

    for cid in cohort_ids:
        if cid in done:
            continue
        for wide in (False, True):  # its own plans' pool first, then every cohort it could mix with
            if late():
                break
            pool = _pool(problem, cid, wide)
            if any(c.id in done for c in pool):
                break
            old_ids = [c.id for c in sorted(pool, key=lambda c: c.id)]
            old_bad = sum(c.id in bad_now for c in pool)  # the others were found placeable
            plans = pool_plans(problem, pool)
            best, best_bad, best_missing = None, old_bad, 0
            # A pool no split has helped yet gets more tries (not at national size, where the
            # deadline serves hundreds of pools): the first splits have the fewest cohorts, and
            # a tight pool needs more (planted care M 62: the 20th split of a pool of 42, six
            # cohorts, is the first in which each can be scheduled alone).
            tries = budget * (RETRY_FACTOR if len(problem.sessions) <= GROW_SESSIONS_LIMIT else 1)
            for n, groups in enumerate(_splits(problem, pool, deadline=deadline)):
                if (n >= tries or (n >= budget and best is not None) or (best_bad == 0 and best_missing == 0)
                        or (deadline is not None and time.monotonic() > deadline)):
                    break
                new = _named(problem, pool, groups, old_ids, plans)
                if sizes_break(problem, pool, new):
                    continue
                bad = 0
                for c in new:  # stop counting once this split cannot beat the best one
                    # Alone means alone: a problem of just this cohort (cheap, whatever the
                    # programme's size), built only when the count gets this far.
                    bad += not _remembered(known, c, lambda c=c: placeable_alone(
                        PlanningProblem(problem.scenario, cohorts=[c], reuse=problem), c.id))
                    if bad > best_bad or bad == best_bad > 0 or (deadline is not None and time.monotonic() > deadline):
                        break
                else:
                    if bad == 0:
                        # Each can be scheduled alone; together they may still fight over a tight
                        # window's few starts: the split whose cohorts place together wins.
                        missing = _missing_together(problem, new)
                        if best_bad > 0 or missing < best_missing:
                            best, best_bad, best_missing = new, 0, missing
                    elif bad < best_bad:
                        best, best_bad = new, bad
            if best is not None:
                changes[cid] = (pool, best)
                done |= {c.id for c in pool}
                break
    if not changes:
        return None
    cohorts = list(problem.cohorts)
    for pool, new in changes.values():
        cohorts = _replace(cohorts, pool, new)
    return PlanningProblem(problem.scenario, cohorts=cohorts, unassigned=problem.unassigned, reuse=problem)


def _missing_together(problem: PlanningProblem, cohorts: list[Cohort]) -> int:
    """Sessions the constructive schedule leaves out when these cohorts (a pool's split) are
    all there is: two cohorts that can each be scheduled alone may not both fit one tight
    window's starts, interpreters or trainers."""
    trial = PlanningProblem(problem.scenario, cohorts=cohorts, reuse=problem)
    return len(trial.sessions) - len(construct(trial))


def _named(problem: PlanningProblem, pool: list[Cohort], groups: list[list[str]], old_ids: list[str],
           plans: list[str]) -> list[Cohort]:
    """The new cohorts; one whose members are exactly an old cohort's keeps that cohort."""
    old_by_members = {c.participants: c for c in pool}
    free_ids = [i for i in old_ids]
    out: list[Cohort | None] = []
    for g in groups:
        same = old_by_members.get(tuple(sorted(g)))
        if same is not None:
            free_ids.remove(same.id)
        out.append(same)
    taken = set(problem.cohort_by_id)
    extra = 0
    for n, g in enumerate(groups):
        if out[n] is None:
            if free_ids:
                cid = free_ids.pop(0)
            else:  # a new cohort: an id no cohort of the programme has
                extra += 1
                while f"{old_ids[0]}-r{extra}" in taken:
                    extra += 1
                cid = f"{old_ids[0]}-r{extra}"
            taken.add(cid)
            out[n] = _cohort(problem, cid, pool[0].track, g, plans)
    return [c for c in out if c is not None]


def _replace(cohorts: list[Cohort], pool: list[Cohort], new: list[Cohort]) -> list[Cohort]:
    gone = {c.id for c in pool}
    at = next((n for n, c in enumerate(cohorts) if c.id in gone), len(cohorts))
    kept = [c for c in cohorts if c.id not in gone]
    return kept[:at] + new + kept[at:]


def sizes_break(problem: PlanningProblem, old: list[Cohort], new: list[Cohort]) -> bool:
    """Whether replacing `old` by `new` breaks rule 5's group sizes (`group_size_breaks`) for a
    cohort of the tracks concerned that kept them before: a cohort the rule already found
    (a re-plan's baseline, say) does not freeze every other move of its track."""
    tracks = {c.track for c in (*old, *new)}
    after = group_size_breaks(problem.scenario, _replace(problem.cohorts, old, new), tracks)
    if not after:
        return False
    before = set(group_size_breaks(problem.scenario, problem.cohorts, tracks))
    rebuilt = {c.id for c in new}
    return any(cid not in before or cid in rebuilt for cid in after)


def _remembered(known: dict[tuple, bool] | None, c: Cohort, ask) -> bool:
    """Whether cohort `c` can be scheduled alone: from `known` when asked before, else `ask()`
    (and kept there). What decides it is the track, plans and members, not the id, which
    re-forming hands from one group to another."""
    if known is None:
        return ask()
    key = (c.track, c.plans, c.participants)
    ok = known.get(key)
    if ok is None:
        ok = known[key] = ask()
    return ok


def unplaceable(problem: PlanningProblem, deadline: float | None = None,
                known: dict[tuple, bool] | None = None) -> list[str]:
    """Cohorts that cannot be scheduled even alone (with candidates for their sessions); those
    not looked at by `deadline` count as placeable. `known`: answers of earlier calls and of
    `reform` (`_remembered`), kept up to date; a cohort found there is not looked at again
    (re-forming changes a few pools of hundreds)."""
    out = []
    for cid in problem.by_cohort:
        if deadline is not None and time.monotonic() > deadline:
            break
        if not _remembered(known, problem.cohort_by_id[cid], lambda cid=cid: placeable_alone(problem, cid)):
            out.append(cid)
    return out


def carry_over(old: PlanningProblem, new: PlanningProblem, placed: dict) -> dict:
    """Placements of `old` that stay valid in `new`: those of cohorts that did not change."""
    out = {}
    for i, pl in placed.items():
        j = new.session_index.get(old.sessions[i].key)
        if j is None or new.sessions[j].cohort != old.sessions[i].cohort:
            continue
        out[j] = Placement(j, pl.candidate, pl.trainer, pl.room, pl.interpreters)
    return out


def _cannot_meet(problem: PlanningProblem, cohorts: list[Cohort]) -> int:
    """How many participants are in cohorts (of one track, all of `problem`) that could never
    meet: as far as can be seen before scheduling (`prepare.cohort_repair.cannot_meet`, quick
    but on the strict side: it flags cohorts a schedule holds) and confirmed exactly (not
    `placeable_alone`)."""
    if not cohorts:
        return 0
    groups = [list(c.participants) for c in cohorts]
    flags = cannot_meet(problem.scenario, problem.shaper, cohorts[0].track, groups)
    return sum(c.size for c, bad in zip(cohorts, flags) if bad and not placeable_alone(problem, c.id))


def regroup(problem: PlanningProblem, placed: dict, cid: str, *, seed: int = 0, budget: int = 8,
            deadline: float | None = None, wide: bool = False, alone: bool = False, grow: bool = True,
            workplace: bool = False, retry: int = 0, as_now_first: bool = False, repair: bool = True):
    """A cohort move judged in the schedule: the pool of cohort `cid` is split anew in the
    ways `_splits` offers; for each, the pool's new cohorts are placed by the search's
    recreate into the current schedule's bookings with the pool's own sessions taken out
    (everything else stays booked). Only the new cohorts get a problem of their own while a
    split is judged (cheap at any size); their cost is counted on their own (a trainer's
    day shared with other cohorts' sessions is not merged: a little pessimistic). Returns
    (problem, placements, cost) of the best split when it leaves fewer sessions unscheduled,
    or as many at a lower cost, than the schedule as it is; else None. `alone`: the cohort
    by itself is the pool (split in two or three, the others untouched). `grow`: splits grown
    by exact checks too (worth their time for a cohort left incomplete, not for cost).
    `workplace`: the pool is every cohort of the track at the cohort's workplace that could
    meet with it (`_pool`). `retry`: how many times this move was tried before for the cohort;
    it goes on where those left off, past their `budget` splits each (from the first again when
    there are no more). `as_now_first`: splits into as many cohorts as now first (`_splits`).
    `repair`: while sessions are missing, the best splits that did not pass get a short search
    over the whole programme (`_repaired`; not in a region's search, which may move only its own
    cohorts)."""
    pool = [problem.cohort_by_id[cid]] if alone else _pool(problem, cid, wide, workplace)
    label = f"regroup {cid} (wide {wide})"
    splits = _onward(_meeting(problem, pool, lambda: _splits(problem, pool, grow, as_now_first, deadline), label,
                              deadline),
                     budget * retry)
    return _best_split(problem, placed, pool, splits, seed=seed, budget=budget, deadline=deadline, label=label,
                       repair=repair)


def _meeting(problem: PlanningProblem, pool: list[Cohort], splits: Callable[[], Iterator[list[list[str]]]],
             label: str, deadline: float | None = None) -> Callable[[], Iterator[list[list[str]]]]:
    """The splits that put no more people than now into cohorts that could never meet (quick
    to see, `_cannot_meet`): those are never worth placing, and counted among a move's budget
    they crowded out the splits behind them (planted care S 73: eighteen splits into four to
    six cohorts, twelve of them unable to meet, and none into three, which the track's one
    qualified trainer needed). None past `deadline`: a regroup tried again first passes over
    the splits judged before, each checked here (54 of them took a 60 s solve 3 s past its
    limit)."""
    def meeting() -> Iterator[list[list[str]]]:
        old_ids = [c.id for c in sorted(pool, key=lambda c: c.id)]
        plans = pool_plans(problem, pool)
        faulty = _cannot_meet(problem, pool)
        for groups in splits():
            if deadline is not None and time.monotonic() > deadline:
                return
            new = _named(problem, pool, groups, old_ids, plans)
            sub = PlanningProblem(problem.scenario, cohorts=new, reuse=problem)
            if _cannot_meet(sub, new) > faulty:
                log.debug("%s: split %s cannot meet", label, [len(g) for g in groups])
                continue
            yield _Checked(groups, new, sub)
    return meeting


class _Checked(list):
    """A split (its member groups) already found able to meet, with its new cohorts and their
    problem: `_best_split` neither builds nor checks it again."""

    def __init__(self, groups: list[list[str]], cohorts: list[Cohort], sub: PlanningProblem):
        super().__init__(groups)
        self.cohorts, self.sub = cohorts, sub


def _onward(splits: Callable[[], Iterator[list[list[str]]]], skip: int) -> Iterator[list[list[str]]]:
    """The splits from the `skip`-th on, or all from the first when there are no more."""
    rest = itertools.islice(splits(), skip, None)
    first = next(rest, None)
    if first is None:
        yield from splits() if skip else ()
        return
    yield first
    yield from rest


def merge(problem: PlanningProblem, placed: dict, a: str, b: str, *, seed: int = 0,
          deadline: float | None = None):
    """Cohorts `a` and `b` of one track become one cohort, placed anew (at times, trainers and
    rooms of its own) into the schedule without them; judged like `regroup`: returned as
    (problem, placements, cost) when it leaves no more sessions unscheduled at a lower cost.
    Why: a cohort fewer pays a whole track of trainer hours and travel fewer, and two
    cohorts whose members cannot join each other where they meet now (an evening team's
    daily rest after a morning session) may well meet together at other times: sharing
    members out (`member_moves.dissolve`) keeps the receiving cohort's times."""
    pool = [problem.cohort_by_id[a], problem.cohort_by_id[b]]
    members = sorted(pid for c in pool for pid in c.participants)
    return _best_split(problem, placed, pool, iter([[members]]), seed=seed, budget=1, deadline=deadline,
                       label=f"merge {a} + {b}")


def merge_candidates(problem: PlanningProblem, rng: random.Random) -> list[tuple[str, str]]:
    """Pairs of cohorts that may study together as one (rule 5: one track, together within
    its `max_group`, one workplace unless the track mixes them) and whose plans' common window
    holds the track, smallest pairs first (they are where a cohort fewer is likeliest to
    fit)."""
    sc = problem.scenario
    by_track: dict[str, list[Cohort]] = {}
    for c in problem.cohorts:
        by_track.setdefault(c.track, []).append(c)
    out = []
    for track_id, cohorts in by_track.items():
        track = sc.tracks[track_id]
        for n, a in enumerate(cohorts):
            for b in cohorts[n + 1:]:
                if a.size + b.size > track.max_group:
                    continue
                if not track.mix_workplaces and set(a.workplaces) != set(b.workplaces):
                    continue
                (ea, da), (eb, db) = _window(problem, a), _window(problem, b)
                need = span_to_share(sc, track, (da - ea).days + 1, (db - eb).days + 1)
                if (min(da, db) - max(ea, eb)).days + 1 < need:
                    continue
                out.append((a.size + b.size, rng.random(), a.id, b.id))
    out.sort()
    return [(a, b) for _, _, a, b in out]


def _halved_first(halved: list[list[list[str]]], splits) -> Iterator[list[list[str]]]:
    """The splits, each split in `halved` (filled while they are judged) before the next. The
    next split is made only when asked for: a grown one costs exact checks, and the budget may
    end with a halved one."""
    it = iter(splits)
    while True:
        if halved:
            yield halved.pop(0)
            continue
        groups = next(it, None)
        if groups is None:
            return
        yield groups


def _halve(problem: PlanningProblem, cohorts: list[Cohort], short: list[Cohort]) -> list[list[str]] | None:
    """The split `cohorts` with each cohort in `short` (left incomplete when the split was
    judged) cut in two, its members in team order (a crew stays together where it can), the
    others as they are: what a coordinator does with a group that finds no time (the
    reference schedule of planted industry M 32 is such a split; ours kept a cohort of seven
    of one crew and one of another, and left three sessions out at 180 s). None when no
    short cohort is large enough for two."""
    sc = problem.scenario
    gmin = sc.tracks[cohorts[0].track].min_group
    short_ids = {c.id for c in short}
    out, cut = [], False
    for c in cohorts:
        members = list(c.participants)
        if c.id in short_ids and len(members) >= 2 * max(1, gmin):
            members.sort(key=lambda pid: (str(sc.participants[pid].team), pid))
            half = (len(members) + 1) // 2
            out += [members[:half], members[half:]]
            cut = True
        else:
            out.append(members)
    return out if cut else None


def _best_split(problem: PlanningProblem, placed: dict, pool: list[Cohort], splits, *, seed: int, budget: int,
                deadline: float | None, label: str, repair: bool = True):
    """The best of `splits` (lists of member groups) of the cohorts of `pool`, each placed into
    the schedule without the pool (`regroup`'s judge); None when none beats the schedule."""
    pool_ids = {c.id for c in pool}
    old_ids = [c.id for c in sorted(pool, key=lambda c: c.id)]
    plans = pool_plans(problem, pool)
    here = schedule_to_change(problem, placed)
    best_key = (len(problem.sessions) - len(placed), here.cost)
    for i in [i for i in here.placed if problem.sessions[i].key.cohort in pool_ids]:
        here.remove(i)
    us = problem.scenario.weights["unscheduled_session"]
    pool_sessions = sum(len(problem.by_cohort[c]) for c in pool_ids)
    others_missing = len(problem.sessions) - pool_sessions - len(here.placed)
    others_cost = here.cost - pool_sessions * us
    rng = random.Random(seed)
    best = None
    book = here.book
    # A split that places more now (or as many, more cheaply: a cohort placed nowhere costs no
    # trainer) but puts more people in cohorts that can never meet (a window too short for the
    # track, say) is a trap: the search can never place those.
    faulty = _cannot_meet(problem, pool)
    halved: list[list[list[str]]] = []  # splits with their cohorts left incomplete cut in two, judged next
    runners_up: list[tuple] = []  # splits that did not beat the schedule as placed: (key, n, cohorts, rows)
    for n, groups in enumerate(_halved_first(halved, splits)):
        if n >= budget or (deadline is not None and time.monotonic() > deadline):
            break
        checked = groups if isinstance(groups, _Checked) else None
        new = checked.cohorts if checked is not None else _named(problem, pool, groups, old_ids, plans)
        if sorted(c.participants for c in new) == sorted(c.participants for c in pool):
            continue
        if sizes_break(problem, pool, new):
            continue
        if checked is not None:
            sub = checked.sub
        else:
            sub = PlanningProblem(problem.scenario, cohorts=new, reuse=problem)
            if _cannot_meet(sub, new) > faulty:
                log.debug("%s: split %s cannot meet", label, [len(g) for g in groups])
                continue
        ledger = Ledger(sub)
        book.p = sub  # the bookings record and check the new cohorts' sessions
        try:
            rec = Recreator(sub, book, ledger, rng)
            got_all: dict = {}
            for c in sorted(new, key=lambda c: min(len(sub.options[i].candidates) for i in sub.by_cohort[c.id])):
                idxs = sub.by_cohort[c.id]
                got = rec.place(idxs, None, {})
                if len(got) < len(idxs):  # earliest first for a tight window
                    for pl in got.values():
                        book.book(pl, -1)
                        ledger.remove(pl)
                    rec.earliest.add(c.id)
                    got = rec.place(idxs, None, {})
                got_all.update(got)
            key = (others_missing + len(sub.sessions) - len(got_all), others_cost + ledger.total)
            log.debug("%s (%d cohorts): split %s -> %s vs %s", label, len(pool),
                      [len(g) for g in groups], key, best_key)
            rows = [(sub.sessions[i].key, sub.options[i].candidates[pl.candidate].slot.index, pl.trainer,
                     pl.room, pl.interpreters) for i, pl in got_all.items()]
            if key < best_key:
                best_key = key
                best = (new, rows)
            else:
                runners_up.append((key, n, new, rows))
            short = [c for c in new if any(i not in got_all for i in sub.by_cohort[c.id])]
            if short:
                cut = _halve(problem, new, short)
                if cut is not None:
                    halved.append(cut)
            for pl in got_all.values():
                book.book(pl, -1)
        finally:
            book.p = problem
    if best is None:
        if repair and best_key[0] > 0 and len(problem.sessions) <= REPAIR_SESSIONS_LIMIT:
            return _repaired(problem, placed, pool, sorted(runners_up, key=lambda r: r[:2])[:REPAIRED_SPLITS],
                             best_key, seed, deadline, label)
        return None
    return (*_as_trial(problem, placed, pool, *best), best_key[1])


# Per problem (its cohorts as they are): the splits searched on in vain (`_repaired`).
_REPAIRED_IN_VAIN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _as_trial(problem: PlanningProblem, placed: dict, pool: list[Cohort], new: list[Cohort],
              rows: list) -> tuple[PlanningProblem, dict]:
    """The programme with the pool's cohorts replaced by `new`, placed as judged (`rows`), and
    everything else where it was."""
    trial = PlanningProblem(problem.scenario, cohorts=_replace(problem.cohorts, pool, new),
                            unassigned=problem.unassigned, reuse=problem)
    fresh = {c.id for c in new}  # the pool's cohorts were all placed anew while judging the split
    out = {i: pl for i, pl in carry_over(problem, trial, placed).items() if trial.sessions[i].key.cohort not in fresh}
    for key, slot, trainer, room, interps in rows:
        i = trial.session_index[key]
        k = next(k for k, c in enumerate(trial.options[i].candidates) if c.slot.index == slot)
        out[i] = Placement(i, k, trainer, room, interps)
    return trial, out


def _repaired(problem: PlanningProblem, placed: dict, pool: list[Cohort], runners_up: list[tuple],
              best_key: tuple, seed: int, deadline: float | None, label: str):
    """The first of the best splits that did not beat the schedule as placed (each new cohort
    put greedily into the bookings of all the others) that does after a short search around
    it: the others' sessions may move too. Why: a split the track needs may fit only once
    other tracks' sessions make way (planted care S 73: the planted cohorts of its ethics
    track, placed greedily, left two sessions out against one now; 150 steps of the search
    then placed all). Only while sessions are missing: completeness is worth the time; not for
    a split that leaves more than two sessions out beyond the schedule's, nor twice for one
    split among the same cohorts (planted care S 81: the same splits, searched on again and
    again, took the time of the move that placed everything)."""
    tried = _REPAIRED_IN_VAIN.setdefault(problem, set())
    for key, _n, new, rows in runners_up:
        members = tuple(sorted(c.participants for c in new))
        if key[0] > best_key[0] + REPAIR_MISSING_SLACK or members in tried:
            continue  # far from placing more, or searched on in vain already among these cohorts
        tried.add(members)
        until = time.monotonic() + REPAIR_SECONDS
        if deadline is not None:
            until = min(until, deadline)
        if time.monotonic() >= until:
            break
        trial, out = _as_trial(problem, placed, pool, new, rows)
        rr = RuinRecreate(trial, out, seed=seed)
        rr.run(until)
        got = (len(trial.sessions) - len(rr.best), rr.best_cost)
        log.debug("%s: split %s searched on %d steps: %s -> %s vs %s", label, [c.size for c in new],
                  rr.stats.steps, key, got, best_key)
        if got < best_key:
            return trial, dict(rr.best), rr.best_cost
    return None


__all__ = ["carry_over", "merge", "merge_candidates", "placeable_alone", "reform", "regroup", "unplaceable"]
