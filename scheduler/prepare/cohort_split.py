"""Splitting one pool into cohorts (see `cohorts.py`'s docstring for the principles): the
participants who must train inside their shifts dealt round robin by shift class, those who
may train off shift cut by rota phase, sizes within min_group..max_group, then repaired."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from scheduler.domain import ActionPlan
from scheduler.prepare.cohort_records import Cohort, Unassigned
from scheduler.prepare.cohort_repair import GroupRepair, interpreter_needs
from scheduler.prepare.cohort_shaper import CohortShaper


def split_pool(shaper: CohortShaper, track_id: str, pool: list[ActionPlan], prefix: str,
               plans_of: dict[str, list[ActionPlan]]) -> tuple[list[Cohort], list[Unassigned]]:
    """The cohorts of one pool of track `track_id` (ids `<prefix>-<n>`), and the participants
    no valid split can hold."""
    sc = shaper.sc
    track = sc.tracks[track_id]
    teams = sc.teams
    members = members_of_pool(pool, plans_of)
    if not members:
        return [], []
    plan_of = {pid: plan for pid, plan in members}
    team_of = {pid: sc.participants[pid].team for pid, _ in members}
    lang_of = {pid: sc.participants[pid].language or "" for pid, _ in members}
    need_of = interpreter_needs(sc, lang_of, track_id)  # speakers whom one interpreter serves deal as one
    gmin, gmax = track.min_group, track.max_group
    gmax = max(gmin, min(gmax, shaper.room_capacity(track, pool)))
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
              if not all(p.allow_off_shift for p in plans_of[pid]) or shaper.always_on_shift(team_of[pid])]
        flex = [pid for pid, plan in members if pid not in set(on)]
        spread_in: list[str] = []  # "on" people too few for a cohort: spread over the flex cohorts
        if on and len(on) < gmin and flex:
            spread_in, on = on, []
        if flex and len(flex) < gmin and on:
            on, flex = on + flex, []
        classes: dict[int, list[str]] = defaultdict(list)
        cls = shaper.shift_classes(sorted({team_of[p] for p in on}))
        for pid in on:
            classes[cls[team_of[pid]]].append(pid)
        small = [c for c, v in classes.items() if len(v) < gmin]
        if small and len(classes) > 1:
            big = max(classes, key=lambda c: len(classes[c]))
            for c in small:
                if c != big:
                    classes[big] += classes.pop(c)
        for c in sorted(classes):
            rs = sorted(classes[c], key=lambda p: (team_of[p], need_of[p], p))
            per_team = Counter(team_of[p] for p in rs)
            k = max(math.ceil(len(rs) / gmax),
                    max(math.ceil(n / max(1, teams[t].staffing_slack)) for t, n in per_team.items()))
            k = _valid_count(len(rs), gmin, gmax, k)
            bins = _deal(rs, k, team_of, need_of, teams)
            cap = k * gmax
            groups += bins
            left += [p for b in bins for p in b[gmax:]] if cap < len(rs) else []
        if flex:
            def phase(p):
                t = teams[team_of[p]]
                cycle = len(sc.shift_patterns[t.pattern].cycle)
                return (t.pattern, t.offset_days % cycle, team_of[p], need_of[p], p)

            rs = sorted(flex, key=phase)
            spread_in.sort(key=lambda p: (team_of[p], need_of[p], p))
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
        groups = GroupRepair(shaper, track, members, plans_of, team_of, need_of,
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



def members_of_pool(pool: list[ActionPlan], plans_of: dict[str, list[ActionPlan]]) -> list[tuple[str, ActionPlan]]:
    """The pool's participants with the plan that holds them: a person in several plans of the
    track belongs to the pool of the first of those plans only."""
    seen, out = set(), []
    for plan in pool:
        for pid in plan.participants:
            if pid not in seen and plans_of[pid][0] is plan:
                seen.add(pid)
                out.append((pid, plan))
    return out


def _deal(people: list[str], k: int, team_of: dict, need_of: dict, teams: dict) -> list[list[str]]:
    """Deal `people` (sorted by team) round robin into k cohorts, so each team is spread evenly
    (a team's share of a cohort meeting on shift is capped by its staffing slack); then bring
    those who need the same interpreters (`need_of`, from `interpreter_needs`) together by
    swapping them with members of their own team (a swap keeps every cohort's size and team
    shares): every cohort with a speaker of a language needs an interpreter for every
    session, and interpreters are few."""
    bins: list[list[str]] = [[] for _ in range(k)]
    for n, pid in enumerate(people):
        bins[n % k].append(pid)
    speakers = Counter(need_of[p] for p in people if need_of[p])
    for lang, _ in sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0])):
        home = max(range(k), key=lambda j: (sum(need_of[p] == lang for p in bins[j]), -j))
        for j in range(k):
            if j == home:
                continue
            for pid in [p for p in bins[j] if need_of[p] == lang]:
                # a member of the same team in the home cohort who does not need this language
                # (one who needs none first)
                swap = sorted((q for q in bins[home] if team_of[q] == team_of[pid] and need_of[q] != lang),
                              key=lambda q: (bool(need_of[q]), q))
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
