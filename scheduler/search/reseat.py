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

import time

from scheduler.prepare.cohorts import Cohort
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.cohort_moves import _cohort, sizes_break
from scheduler.search.ledger import Ledger
from scheduler.search.member_moves import _can_meet, _plans, _plans_by_person, _same_place, with_changed_cohorts
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
            if mine and all(p.allow_on_shift and p.allow_off_shift for p in mine):
                off = _off_minutes(problem, placed, pid, c)
                if off:
                    out.append((pid, off))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


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


__all__ = ["reseat_sweep"]
