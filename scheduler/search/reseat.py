"""Reseating: a participant moved to another cohort of the track that meets while they are at
work, the times of both cohorts unchanged.

An hour of training inside a person's shift costs backfill (450 by default), outside it
overtime (650): where a plan allows both, which cohort a rotating worker sits in decides
which they pay. The time-moving search cannot see that (it moves whole cohorts, whose
members' rotas differ); this sweep looks at each person who trains off shift and at the
other cohorts of the track, meeting where they could attend, whose sessions lie more inside
their shifts. A move is kept when the two cohorts, at the same starts (and where the rules
allow, the same trainers and rooms), cost less as the objective counts it; several moves of
different cohorts are made in one sweep and the schedule is then checked whole.
"""

from __future__ import annotations

import random
import time
from collections import Counter

from scheduler.prepare.cohorts import Cohort
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.cohort_moves import _cohort, carry_over, sizes_break
from scheduler.search.ledger import Ledger
from scheduler.search.member_moves import (
    _can_meet,
    _plans,
    _plans_by_person,
    _same_place,
    _shared_days,
    with_changed_cohorts,
)
from scheduler.search.recreate import Recreator
from scheduler.search.ruin_recreate import Schedule, schedule_to_change

RECEIVERS_JUDGED = 3  # per person: the cohorts with the most of their sessions on the person's shifts


def reseat_sweep(problem: PlanningProblem, placed: dict[int, Placement], until: float):
    """Participants moved between complete cohorts where that costs less, until `until`.
    Returns (problem, placements, cost) when the schedule got cheaper, else None."""
    if len(placed) < len(problem.sessions):
        return None
    sc = problem.scenario
    here = schedule_to_change(problem, placed)
    base = here.cost
    cohort_of = {pid: c for c in problem.cohorts for pid in c.participants}
    touched: set[str] = set()
    changed: dict[str, tuple[Cohort, PlanningProblem, list[Placement]]] = {}
    plans_by_track = {t: _plans_by_person(problem, t) for t in sc.tracks}
    for pid, _off in _off_shift_people(problem, placed):
        if time.monotonic() >= until:
            break
        a = cohort_of[pid]
        track = sc.tracks[a.track]
        if a.id in touched or a.size - 1 < track.min_group:
            continue
        plans_of = plans_by_track[a.track]
        own = {sc.action_plans[p].workplace for p in plans_of[pid]}
        others = [b for b in problem.cohorts if b.track == a.track and b.id != a.id and b.id not in touched
                  and b.size < track.max_group and (track.mix_workplaces or set(b.workplaces) == own)]
        ranked = sorted(((_off_minutes(problem, placed, pid, b), b.id, b)
                         for b in _can_meet(problem, placed, a, pid, plans_of[pid], others)), key=lambda x: x[:2])
        mine = _off_minutes(problem, placed, pid, a)
        for off, _bid, b in ranked[:RECEIVERS_JUDGED]:
            if off >= mine:
                break
            got = _try(problem, here, a, b, pid, plans_of)
            if got is not None:
                changed.update(got)
                touched |= {a.id, b.id}
                break
    if not changed:
        return None
    # each move kept the group sizes on its own; all of them together must too
    if sizes_break(problem, [problem.cohort_by_id[c] for c in changed], [c for c, _, _ in changed.values()]):
        return None
    trial, out = with_changed_cohorts(problem, placed, changed)
    if len(out) < len(trial.sessions):
        return None
    cost = Schedule(trial, out).cost
    return (trial, out, cost) if cost < base - 1e-6 else None


def _off_shift_people(problem: PlanningProblem, placed: dict[int, Placement]) -> list[tuple[str, int]]:
    """Participants whose plans allow both on and off shift and who train off shift now, the
    most minutes off shift first."""
    sc = problem.scenario
    out = []
    for c in problem.cohorts:
        plans = [sc.action_plans[p] for p in c.plans]
        if not any(p.allow_on_shift and p.allow_off_shift for p in plans):
            continue
        for pid in c.participants:
            mine = [p for p in plans if pid in p.participants]
            if _either_way(mine):
                off = _off_minutes(problem, placed, pid, c)
                if off:
                    out.append((pid, off))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def _either_way(plans) -> bool:
    """Whether the plans (at least one) all allow training both on and off shift."""
    return bool(plans) and all(p.allow_on_shift and p.allow_off_shift for p in plans)


def _off_minutes(problem: PlanningProblem, placed: dict[int, Placement], pid: str, cohort: Cohort) -> int:
    """Minutes of `cohort`'s placed sessions outside the person's shifts."""
    team = problem.scenario.participants[pid].team
    total = 0
    for i in problem.by_cohort[cohort.id]:
        pl = placed.get(i)
        if pl is None:
            continue
        c = problem.options[i].candidates[pl.candidate]
        on = problem._team_fit(team, c.start, c.end)[0]
        total += c.end - c.start - on
    return total


def _try(problem: PlanningProblem, here: Schedule, a: Cohort, b: Cohort, pid: str, plans_of):
    """`pid` from `a` to `b`, both at their starts: {cohort id: (cohort, problem, placements)}
    for both when it costs less (the two cohorts' sessions counted on their own), else None.
    When taken, the bookings hold the new placements."""
    old = {i: here.placed[i] for c in (a, b) for i in problem.by_cohort[c.id]}
    before = Ledger(problem)
    before_empty = before.total
    for pl in old.values():
        before.add(pl)
    rest_a = [x for x in a.participants if x != pid]
    more_b = [*b.participants, pid]
    new_a = _cohort(problem, a.id, a.track, rest_a, _plans(plans_of, rest_a))
    new_b = _cohort(problem, b.id, b.track, more_b, _plans(plans_of, more_b))
    if sizes_break(problem, [a, b], [new_a, new_b]):
        return None
    sub = PlanningProblem(problem.scenario, cohorts=[new_a, new_b], reuse=problem)
    book = here.book
    for i in old:
        here.remove(i)
    book.p = sub
    new: list[Placement] = []
    ok = True
    for i_old, pl_old in sorted(old.items(), key=lambda x: problem.options[x[0]].candidates[x[1].candidate].start):
        kept = _same_place(problem, sub, book, sub.session_index[problem.sessions[i_old].key], pl_old)
        if kept is None:
            ok = False
            break
        book.book(kept)
        new.append(kept)
    after = Ledger(sub)
    after_empty = after.total
    for pl in new:
        after.add(pl)
    if ok and after.total - after_empty < before.total - before_empty - 1e-6:
        book.p = problem
        return {a.id: (new_a, sub, [pl for pl in new if sub.sessions[pl.session].key.cohort == a.id]),
                b.id: (new_b, sub, [pl for pl in new if sub.sessions[pl.session].key.cohort == b.id])}
    for pl in new:
        book.book(pl, -1)
    book.p = problem
    for pl in old.values():
        here.add(pl)
    return None


# -- thinning: a team's members beyond its slack sit elsewhere, and the cohort meets on shift --
THINNING_TRIES = 3  # recreates of the two cohorts compared per move
THINNING_RECEIVERS = 3  # cohorts tried per cohort over a team's slack
# Sessions up to which the sweep runs: each try books the whole schedule anew (0.18 s at
# 1 400 sessions, seconds at 12 000, where one try would outlast its share of the time).
THINNING_LIMIT = 4_000


def thin_out_sweep(problem: PlanningProblem, placed: dict[int, Placement], cost: float, until: float,
                   rng: random.Random, tried: set | None = None):
    """A cohort holding more members of one team than the team can spare at once (its
    staffing slack) can never meet while that team is at work: all of them train off shift,
    at overtime, even where their plans allow both. The members beyond the slack (of those
    whose plans allow both) move to another cohort of the track with room for them under
    the slack, which sends back members of other teams where the group sizes need it; both
    cohorts are then placed anew (the thinned one may now meet on shift). Kept when the
    whole schedule costs less.

    Reseating one person at a time cannot find this: while the team is still over its slack
    the cohort's times stay off shift, so no single move pays. Returns (problem, placements,
    cost) for the first move that pays, else None. `cost`: what `placed` costs now. `tried`: the trades that did not fit
    (by their two new groups), not tried again (the sweep runs in every phase of the search)."""
    if len(placed) < len(problem.sessions) or len(problem.sessions) > THINNING_LIMIT:
        return None
    tried = set() if tried is None else tried
    plans_by_track: dict[str, dict[str, list[str]]] = {}
    for a, team, excess in _over_team_slack(problem, placed):
        plans_of = plans_by_track.setdefault(a.track, _plans_by_person(problem, a.track))
        for b, new_a, new_b in _rebalances(problem, a, team, excess, plans_of, rng):
            if time.monotonic() >= until:
                return None
            key = (frozenset(new_a), frozenset(new_b))
            if key in tried:
                continue
            got = _placed_anew(problem, placed, {a.id: new_a, b.id: new_b}, plans_of, rng)
            if got is None:
                tried.add(key)
                continue
            if got[2] < cost - 1e-6:
                return got
    return None


def _over_team_slack(problem: PlanningProblem, placed: dict[int, Placement]) -> list[tuple[Cohort, tuple, int]]:
    """(cohort, team, members beyond the team's slack) for every cohort with more of a team
    than it can spare (a slack of at least 1), the most member-hours first."""
    sc = problem.scenario
    out = []
    for c in problem.cohorts:
        over = [(team, n, n - slack) for team, n in c.team_counts if 0 < (slack := sc.teams[team].staffing_slack) < n]
        if over:
            minutes = sum(problem.sessions[i].duration for i in problem.by_cohort[c.id] if i in placed)
            out += [(-n * minutes, c.id, c, team, excess) for team, n, excess in over]
    out.sort(key=lambda x: x[:2])
    return [(c, team, excess) for _, _, c, team, excess in out]


def _rebalances(problem: PlanningProblem, a: Cohort, team, excess: int, plans_of: dict[str, list[str]],
                rng: random.Random) -> list[tuple[Cohort, list[str], list[str]]]:
    """Ways to bring cohort `a` within `team`'s slack: (receiving cohort, a's members, its
    members), the receivers whose plans share the longest window with the members they gain
    first. `excess` of a's members of the team whose plans allow both on and off shift move;
    members of other teams come back where the group sizes need it."""
    sc = problem.scenario
    track = sc.tracks[a.track]
    slack = sc.teams[team].staffing_slack

    ours = [pid for pid in a.participants if sc.participants[pid].team == team
            and _either_way([sc.action_plans[p] for p in plans_of[pid]])]
    if len(ours) < excess:
        return []
    options = []
    for b in problem.cohorts:
        if b.track != a.track or b.id == a.id or dict(b.team_counts).get(team, 0) + excess > slack:
            continue
        if not track.mix_workplaces and set(b.workplaces) != set(a.workplaces):
            continue
        movers = sorted(ours, key=lambda pid: (-_shared_days(problem, _plans(plans_of, [*b.participants, pid])),
                                               rng.random()))[:excess]
        back = max(0, track.min_group - (a.size - excess), b.size + excess - track.max_group)
        kept_a = [pid for pid in a.participants if pid not in movers]
        counts = Counter(sc.participants[pid].team for pid in kept_a)
        returning: list[str] = []
        for pid in sorted((x for x in b.participants if sc.participants[x].team != team),
                          key=lambda x: (-_shared_days(problem, _plans(plans_of, [*kept_a, x])), rng.random())):
            if len(returning) == back:
                break
            t = sc.participants[pid].team
            if counts[t] + 1 <= sc.teams[t].staffing_slack:
                returning.append(pid)
                counts[t] += 1
        if len(returning) < back:
            continue
        new_a = kept_a + returning
        new_b = [pid for pid in b.participants if pid not in returning] + movers
        window = min(_shared_days(problem, _plans(plans_of, new_a)), _shared_days(problem, _plans(plans_of, new_b)))
        if window > 0:
            options.append((-window, b.id, b, new_a, new_b))
    options.sort(key=lambda x: x[:2])
    return [(b, new_a, new_b) for _, _, b, new_a, new_b in options[:THINNING_RECEIVERS]]


def _placed_anew(problem: PlanningProblem, placed: dict[int, Placement], members: dict[str, list[str]],
                 plans_of: dict[str, list[str]], rng: random.Random):
    """The schedule with the cohorts of `members` (id -> their new members; ids kept) placed
    anew around all the others (the cheapest of a few recreates, in random order):
    (problem, placements, cost), or None when they do not fit."""
    sc = problem.scenario
    new = {cid: _cohort(problem, cid, problem.cohort_by_id[cid].track, ids, _plans(plans_of, ids))
           for cid, ids in members.items()}
    if sizes_break(problem, [problem.cohort_by_id[cid] for cid in new], list(new.values())):
        return None
    trial = PlanningProblem(sc, cohorts=[new.get(c.id, c) for c in problem.cohorts], unassigned=problem.unassigned,
                            reuse=problem)
    state = Schedule(trial, {i: pl for i, pl in carry_over(problem, trial, placed).items()
                             if trial.sessions[i].key.cohort not in new})
    best: tuple[float, dict[int, Placement]] | None = None
    order = sorted(new)
    for _ in range(THINNING_TRIES):
        rng.shuffle(order)
        recreator = Recreator(trial, state.book, state.ledger, rng)
        got: dict[int, Placement] = {}
        for cid in order:
            got.update(recreator.place(trial.by_cohort[cid], None, {}))
        for pl in got.values():
            state.placed_here(pl)
        if len(got) == sum(len(trial.by_cohort[cid]) for cid in new) and (best is None or state.cost < best[0]):
            best = (state.cost, dict(state.placed))
        for i in list(got):
            state.remove(i)
    if best is None:
        return None
    return trial, best[1], best[0]


__all__ = ["reseat_sweep", "thin_out_sweep"]
