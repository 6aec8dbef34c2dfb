"""Moving single participants between cohorts, judged in the schedule.

A cohort the search cannot complete is often held back by one or two of its members: the
one whose shifts, staffing or rest rule out most of the starts at which its trainers and
rooms are still free. `move_member` finds such members (removing which frees the most
starts for the cohort's first missing session, in the schedule as it stands) and moves one
to another cohort of the track that can take them where it already meets: the receiving
cohort keeps its times, trainers and rooms; the lighter cohort is placed again. When the
receiving cohort is full, one of its members who can meet at the lighter cohort's times is
swapped back, or, when no swap places more, the full cohort splits in two around the newcomer
(the other half is a new cohort, placed anew). The cohorts keep their ids (calendar UIDs follow
the cohort, and only these cohorts' members change).

Cheap at any size: only the cohorts moved get a problem of their own while a move is judged.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict

from scheduler.prepare.cohorts import Cohort, span_to_share
from scheduler.prepare.problem import PlanningProblem
from scheduler.search.cohort_moves import _cohort, _replace, carry_over, sizes_break
from scheduler.search.construct import Bookings, Placement, _fit, _interpreters
from scheduler.search.ledger import Ledger
from scheduler.search.recreate import Recreator
from scheduler.search.ruin_recreate import Schedule, schedule_to_change

log = logging.getLogger("modulplan.search")

SWAPS_TRIED = 4  # members of a full receiving cohort offered back in exchange
REPLACED_TRIED = 4  # cohorts tried, placed anew, for a member no cohort can take where it meets


def move_member(problem: PlanningProblem, placed: dict[int, Placement], cid: str, *, seed: int = 0,
                members: int = 4, targets: int = 8, deadline: float | None = None):
    """Move one member of cohort `cid` (or swap one with a member of another cohort, or move
    one into a full cohort that splits in two) so that more sessions get placed, or as many
    at a lower cost. Returns (problem, placements, cost) of the best move found, or None."""
    sc = problem.scenario
    a = problem.cohort_by_id[cid]
    track = sc.tracks[a.track]
    here = schedule_to_change(problem, placed)
    base_key = (len(problem.sessions) - len(placed), here.cost)
    us = sc.weights["unscheduled_session"]
    plans_of = _plans_by_person(problem, a.track)

    def late() -> bool:
        return deadline is not None and time.monotonic() > deadline

    gap = here.first_missing(cid)
    if gap is None:
        return None
    a_old = {i: here.remove(i) for i in problem.by_cohort[cid] if i in here.placed}
    ranked = _blocking_members(problem, here.book, a, plans_of, gap)[:members]
    receivers = [c for c in problem.cohorts if c.track == a.track and c.id != a.id
                 and all(i in here.placed for i in problem.by_cohort[c.id])]
    rng = random.Random(seed)
    best: tuple | None = None
    best_key = base_key
    log.debug("member move for %s: members %s, %d receivers", cid, ranked, len(receivers))
    for pid in ranked:
        own_workplaces = {sc.action_plans[p].workplace for p in plans_of[pid]}
        fitting = [b for b in receivers
                   if track.mix_workplaces or set(b.workplaces) == own_workplaces]
        can_meet = _can_meet(problem, here.placed, a, pid, plans_of[pid], fitting)
        choices = {b.id: _swap_choices(problem, a, b, pid, track, plans_of, rng) for b in can_meet}
        # Cohorts with room first, then those with a member to send back whose plans leave the
        # lighter cohort the longest window (a member is often moved for their short window:
        # one of the same window back would change nothing).
        for b in sorted(can_meet, key=lambda b: (b.size >= track.max_group,
                                                 -_window_days(problem, [*a.participants, *choices[b.id][0]],
                                                               pid, plans_of), b.id))[:targets]:
            if late():
                return _finish(problem, placed, best)
            placed_more = False
            for back in choices[b.id]:
                new_a = _cohort(problem, a.id, a.track, [x for x in a.participants if x != pid] + back,
                                _plans(plans_of, [x for x in a.participants if x != pid] + back))
                new_b = _cohort(problem, b.id, b.track, [x for x in b.participants if x not in back] + [pid],
                                _plans(plans_of, [x for x in b.participants if x not in back] + [pid]))
                if sizes_break(problem, [a, b], [new_a, new_b]):
                    continue
                key, rows = _judge(problem, here, a, b, new_a, new_b, a_old, rng, us)
                log.debug("  %s -> %s (back %s): %s vs %s", pid, b.id, back, key if rows else "no", base_key)
                if rows is not None and key < best_key:
                    best, best_key = ((a, b), (new_a, new_b), rows, key[1]), key
                if rows is not None:
                    placed_more = key[0] < base_key[0]
                    break  # the plain move (or the first swap that works) is enough for this pair
            if not placed_more:
                split = _split_receiver(problem, a, b, pid, track, plans_of)
                if split is not None:
                    new_a, new_b, new_c = split
                    key, rows = _judge(problem, here, a, b, new_a, new_b, a_old, rng, us, new_c)
                    log.debug("  %s -> %s split in two: %s vs %s", pid, b.id, key if rows else "no", base_key)
                    if rows is not None and key < best_key:
                        best, best_key = ((a, b), (new_a, new_b, new_c), rows, key[1]), key
    return _finish(problem, placed, best)


def _split_receiver(problem: PlanningProblem, a: Cohort, b: Cohort, pid: str, track, plans_of: dict
                    ) -> tuple[Cohort, Cohort, Cohort] | None:
    """`pid` leaves `a` for the full cohort `b`, which splits in two: `pid` with the members of
    `b` who share most with them (their plans, then their team) at `b`'s times, the rest as a
    new cohort placed anew. Why: a member held back by a short window can often meet only
    with the cohorts of their own window, and those may all be full (planted network XL: a
    pool of 100 people of one window in eleven cohorts of 9, the hundredth in a cohort of a
    longer window that her window closed; swapping one back closed it again). None when the
    sizes do not allow two cohorts."""
    if a.size - 1 < track.min_group or b.size + 1 < 2 * track.min_group:
        return None
    team = problem.scenario.participants[pid].team
    ranked = sorted(b.participants, key=lambda q: (not set(plans_of[q]) & set(plans_of[pid]),
                                                   problem.scenario.participants[q].team != team, q))
    with_pid = (b.size + 2) // 2 - 1
    stay, go = [pid, *ranked[:with_pid]], ranked[with_pid:]
    rest = [x for x in a.participants if x != pid]
    taken = {c.id for c in problem.cohorts}
    n = 2
    while f"{b.id}-{n}" in taken:
        n += 1
    new_a = _cohort(problem, a.id, a.track, rest, _plans(plans_of, rest))
    new_b = _cohort(problem, b.id, b.track, stay, _plans(plans_of, stay))
    new_c = _cohort(problem, f"{b.id}-{n}", b.track, go, _plans(plans_of, go))
    if sizes_break(problem, [a, b], [new_a, new_b, new_c]):
        return None
    return new_a, new_b, new_c


def _can_meet(problem: PlanningProblem, placed: dict[int, Placement], a: Cohort, pid: str, plans: list[str],
              cohorts: list[Cohort]) -> list[Cohort]:
    """The cohorts whose every session, where it is placed now, is a start the person could
    attend on their own (window, shifts, staffing slack, the modules' rules)."""
    key = (a.track, pid, tuple(plans))
    starts = problem.alone_starts.get(key)
    if starts is None:
        alone = _cohort(problem, f"{a.id}-probe", a.track, [pid], plans)
        probe = PlanningProblem(problem.scenario, cohorts=[alone], reuse=problem)
        starts = problem.alone_starts[key] = [frozenset(c.slot.index for c in probe.options[i].candidates)
                                              for i in probe.by_cohort[alone.id]]
    out = []
    for b in cohorts:
        idxs = problem.by_cohort[b.id]
        if len(idxs) == len(starts) and all(
                problem.options[i].candidates[placed[i].candidate].slot.index in starts[q]
                for q, i in enumerate(idxs)):
            out.append(b)
    return out


def dissolve(problem: PlanningProblem, placed: dict[int, Placement], cid: str, *,
             deadline: float | None = None, replace_receivers: bool = True):
    """Share out every member of cohort `cid` among the track's other complete cohorts, each
    to one that can take them where it already meets (its times, and where the rules allow
    its trainers and rooms), within the group sizes: the cohort and its sessions are gone.
    With `replace_receivers`, a member no cohort can take where it meets may join one that
    is then placed anew. Places a cohort that can never meet (its members' windows barely
    touch) and saves a whole cohort's trainer hours. Returns (problem, placements, cost)
    when every member found a place and the schedule is better for it (fewer unscheduled,
    or as many at a lower cost), else None."""
    sc = problem.scenario
    a = problem.cohort_by_id[cid]
    track = sc.tracks[a.track]
    receivers = [c for c in problem.cohorts if c.track == a.track and c.id != a.id
                 and all(i in placed for i in problem.by_cohort[c.id])]
    if sum(track.max_group - c.size for c in receivers) < a.size:
        return None
    plans_of = _plans_by_person(problem, a.track)
    fitting = {}
    choices = {}
    for pid in a.participants:  # cheap checks first: most cohorts cannot be shared out
        own = {sc.action_plans[p].workplace for p in plans_of[pid]}
        fitting[pid] = [b for b in receivers if track.mix_workplaces or set(b.workplaces) == own]
        choices[pid] = _can_meet(problem, placed, a, pid, plans_of[pid], fitting[pid])
        if not choices[pid] and not replace_receivers:
            return None
    here = schedule_to_change(problem, placed)  # this move's own copy: changed freely below
    base_key = (len(problem.sessions) - len(placed), here.cost)
    for i in [i for i in problem.by_cohort[cid] if i in here.placed]:
        here.remove(i)
    # Each receiver as it grows: its cohort, its problem, its placements (booked in `here.book`).
    grown: dict[str, tuple[Cohort, PlanningProblem, list[Placement]]] = {}
    rng = random.Random(len(placed))
    for pid in sorted(a.participants, key=lambda pid: (len(choices[pid]) or 10**6, pid)):
        if deadline is not None and time.monotonic() > deadline:
            return None
        # Where it meets now, else (fewest members first) placed anew with the member.
        taken = any(_grow(problem, here, grown, b, pid, plans_of, track, None, a)
                    for b in sorted(choices[pid], key=lambda b: (_size(grown, b), b.id)))
        if not taken:
            taken = any(_grow(problem, here, grown, b, pid, plans_of, track, rng, a)
                        for b in _by_common_window(problem, fitting[pid], plans_of[pid])[:REPLACED_TRIED])
        if not taken:
            return None
    if sizes_break(problem, [a, *(problem.cohort_by_id[c] for c in grown)], [c for c, _, _ in grown.values()]):
        return None
    trial, out = with_changed_cohorts(problem, placed, grown, gone={a.id})
    after = Schedule(trial, out)
    key = (len(trial.sessions) - len(out), after.cost)
    log.debug("dissolve %s into %s: %s vs %s", cid, sorted(grown), key, base_key)
    if key >= base_key:
        return None
    return trial, out, after.cost


def _by_common_window(problem: PlanningProblem, cohorts: list[Cohort], plans: list[str]) -> list[Cohort]:
    """The cohorts whose window, shared with the person's plans, leaves room for the whole
    track, the longest shared window first."""
    sc = problem.scenario
    own = _shared_days(problem, plans) if plans else None
    out = []
    for c in cohorts:
        days = _shared_days(problem, {*c.plans, *plans})
        if days >= span_to_share(sc, sc.tracks[c.track], _shared_days(problem, c.plans), *([own] if own else [])):
            out.append((-days, c.size, c.id, c))
    return [c for *_, c in sorted(out)]


def with_changed_cohorts(problem: PlanningProblem, placed: dict[int, Placement],
                         changed: dict[str, tuple[Cohort, PlanningProblem, list[Placement]]],
                         gone: frozenset[str] | set[str] = frozenset()) -> tuple[PlanningProblem, dict[int, Placement]]:
    """The programme with some cohorts' members changed (each with the small problem and the
    placements it was judged with) and the cohorts in `gone` left out: the new problem, and
    every placement mapped into it (the unchanged cohorts' as they were)."""
    cohorts = [changed[c.id][0] if c.id in changed else c for c in problem.cohorts if c.id not in gone]
    trial = PlanningProblem(problem.scenario, cohorts=cohorts, unassigned=problem.unassigned, reuse=problem)
    out = {i: pl for i, pl in carry_over(problem, trial, placed).items()
           if trial.sessions[i].key.cohort not in changed}
    for _c, sub, pls in changed.values():
        for pl in pls:
            i = trial.session_index[sub.sessions[pl.session].key]
            slot = sub.options[pl.session].candidates[pl.candidate].slot.index
            k = next(k for k, c in enumerate(trial.options[i].candidates) if c.slot.index == slot)
            out[i] = Placement(i, k, pl.trainer, pl.room, pl.interpreters)
    return trial, out


def _size(grown: dict, b: Cohort) -> int:
    return grown[b.id][0].size if b.id in grown else b.size


def _grow(problem: PlanningProblem, here: Schedule, grown: dict, b: Cohort, pid: str, plans_of: dict, track,
          rng: random.Random | None, leaving: Cohort) -> bool:
    """Cohort `b` (as grown so far) with `pid` too: at its times (rng None) or placed anew by
    the search's recreate (all its sessions, or it is not taken). Books the grown cohort in
    `here.book` and records it in `grown`; True when taken, else everything is as it was.
    `leaving`: the cohort being shared out (gone when the group sizes are judged)."""
    now, now_p, now_pls = grown.get(b.id) or (b, problem, [here.placed[i] for i in problem.by_cohort[b.id]])
    if now.size >= track.max_group:
        return False
    members = [*now.participants, pid]
    bigger = _cohort(problem, b.id, b.track, members, _plans(plans_of, members))
    if bigger.size < track.min_group and sizes_break(problem, [leaving, b], [bigger]):
        return False  # a small plan's cohort takes in no one from a larger plan (`leaving` is going)
    sub = PlanningProblem(problem.scenario, cohorts=[bigger], reuse=problem)
    idxs = sub.by_cohort[b.id]
    if rng is not None and not all(sub.options[i].candidates for i in idxs):
        return False
    _unbook(here, now_p, now_pls, problem)
    book = here.book
    book.p = sub
    new_pls: list[Placement] = []
    if rng is None:
        for q, pl_old in enumerate(now_pls):
            pl = _same_place(now_p, sub, book, idxs[q], pl_old)
            if pl is None:
                break
            book.book(pl)
            new_pls.append(pl)
    else:
        rec = Recreator(sub, book, Ledger(sub), rng)
        new_pls = list(rec.place(idxs, None, {}).values())
        if len(new_pls) < len(idxs):
            for pl in new_pls:
                book.book(pl, -1)
            rec.earliest.add(b.id)
            new_pls = list(rec.place(idxs, None, {}).values())
    if len(new_pls) == len(idxs):
        book.p = problem
        grown[b.id] = (bigger, sub, sorted(new_pls, key=lambda pl: pl.session))
        return True
    for pl in new_pls:
        book.book(pl, -1)
    book.p = now_p
    for pl in now_pls:
        book.book(pl)
    book.p = problem
    return False


def _unbook(here: Schedule, owner: PlanningProblem, pls: list[Placement], problem: PlanningProblem) -> None:
    """Take placements of `owner`'s sessions out of the bookings (their cohort is growing)."""
    here.book.p = owner
    for pl in pls:
        here.book.book(pl, -1)
    here.book.p = problem


def _plans_by_person(problem: PlanningProblem, track: str) -> dict[str, list[str]]:
    """Each participant of the track: the ids of their plans of it."""
    out: dict[str, list[str]] = defaultdict(list)
    for plan in problem.scenario.plans_of_track(track):
        for pid in plan.participants:
            out[pid].append(plan.id)
    return out


def _plans(plans_of: dict[str, list[str]], ids: list[str]) -> list[str]:
    return sorted({p for pid in ids for p in plans_of[pid]})


def _swap_choices(problem: PlanningProblem, a: Cohort, b: Cohort, pid: str, track, plans_of: dict,
                  rng: random.Random) -> list[list[str]]:
    """Who goes back from `b` to `a` with `pid` moving: nobody when both stay within the group
    sizes, else a few of `b`'s members in turn (a swap), those whose plans leave `a` the
    longest shared window first (ties in random order)."""
    plain = a.size - 1 >= track.min_group and b.size + 1 <= track.max_group
    if plain:
        return [[]]
    ranked = sorted(b.participants, key=lambda q: (-_window_days(problem, [*a.participants, q], pid, plans_of),
                                                   rng.random()))
    return [[q] for q in ranked[:SWAPS_TRIED]]


def _window_days(problem: PlanningProblem, members: list[str], leaving: str, plans_of: dict) -> int:
    """Days of the window the plans of `members` but `leaving` share (negative: none)."""
    plans = _plans(plans_of, [m for m in members if m != leaving])
    return _shared_days(problem, plans) if plans else 0


def _shared_days(problem: PlanningProblem, plan_ids) -> int:
    """Days of the window the plans `plan_ids` share (negative: none)."""
    ps = [problem.scenario.action_plans[p] for p in plan_ids]
    return (min(p.deadline for p in ps) - max(p.earliest for p in ps)).days + 1


def _blocking_members(problem: PlanningProblem, book: Bookings, a: Cohort, plans_of, gap: int) -> list[str]:
    """`a`'s members, those whose leaving frees most starts of its first missing session (at
    position `gap` of its track) first: starts at which, in the schedule as it stands, the
    session would fit whole; then those whose leaving opens starts the rules allow (where
    everything is booked now, or the members' windows never meet). Members whose leaving
    frees none are left out."""

    def fits(p: PlanningProblem, cohort: Cohort) -> tuple[int, int]:
        i = p.by_cohort[cohort.id][gap]
        book.p = p
        try:
            starts = len(p.options[i].candidates)
            return sum(_fit(p, book, i, k, None) is not None for k in range(starts)), starts
        finally:
            book.p = problem

    if len(a.participants) < 2:
        return []  # its only member leaving is the cohort going: that is `dissolve`'s move
    now_fit, now_starts = fits(problem, a)
    gains = []
    for pid in a.participants:
        rest = [x for x in a.participants if x != pid]
        lighter = _cohort(problem, a.id, a.track, rest, _plans(plans_of, rest))
        fit, starts = fits(PlanningProblem(problem.scenario, cohorts=[lighter], reuse=problem), lighter)
        if fit > now_fit or starts > now_starts:
            gains.append((-(fit - now_fit), -(starts - now_starts), pid))
    return [pid for *_, pid in sorted(gains)]


def _judge(problem: PlanningProblem, here: Schedule, a: Cohort, b: Cohort, new_a: Cohort, new_b: Cohort,
           a_old: dict[int, Placement], rng: random.Random, us: float, new_c: Cohort | None = None):
    """The schedule's (unscheduled, cost) with `new_b` at `b`'s times and `new_a` placed: its
    sessions kept where `a`'s were placed and the rest placed after them, or all placed anew,
    whichever places more (then costs less); `here` holds everything but `a`. With the rows
    of both cohorts, or None when `new_b` cannot meet where `b` meets. `new_c` (the other
    half of a split `b`) is placed anew after `new_a`. `here` is left as it was."""
    b_old = {i: here.remove(i) for i in problem.by_cohort[b.id]}
    others_missing = len(problem.sessions) - len(problem.by_cohort[a.id]) - len(b_old) - len(here.placed)
    others_cost = here.cost - (len(problem.by_cohort[a.id]) + len(b_old)) * us
    sub = PlanningProblem(problem.scenario, cohorts=[new_a, new_b, *([new_c] if new_c else [])], reuse=problem)
    book = here.book
    book.p = sub
    kept_b: list[Placement] = []
    ledger = Ledger(sub)
    try:
        for i_old, pl_old in sorted(b_old.items()):
            pl = _same_place(problem, sub, book, sub.session_index[problem.sessions[i_old].key], pl_old)
            if pl is None:
                return (len(problem.sessions) + 1, 0.0), None
            book.book(pl)
            ledger.add(pl)
            kept_b.append(pl)
        best_key, best_rows = (len(problem.sessions) + 1, 0.0), None
        for keep in (True, False):
            got = _place_lighter(problem, sub, book, ledger, new_a, a_old if keep else {}, rng)
            if got is not None and new_c is not None:  # the other half around them (they are booked)
                got.update(_place_lighter(problem, sub, book, ledger, new_c, {}, rng) or {})
            if got is not None:
                key = (others_missing + len(sub.sessions) - len(kept_b) - len(got), others_cost + ledger.total)
                if key < best_key:
                    best_key = key
                    best_rows = [(sub.sessions[pl.session].key,
                                  sub.options[pl.session].candidates[pl.candidate].slot.index,
                                  pl.trainer, pl.room, pl.interpreters) for pl in [*kept_b, *got.values()]]
                for pl in got.values():
                    book.book(pl, -1)
                    ledger.remove(pl)
        return best_key, best_rows
    finally:
        for pl in kept_b:
            book.book(pl, -1)
        book.p = problem
        for pl in b_old.values():
            here.add(pl)


def _place_lighter(problem: PlanningProblem, sub: PlanningProblem, book: Bookings, ledger: Ledger, new_a: Cohort,
                   a_old: dict[int, Placement], rng: random.Random) -> dict[int, Placement] | None:
    """`new_a`'s sessions booked: those of `a_old` where they were (while they still fit; None
    when keeping them was asked for and the first cannot stay), the rest by the search's
    recreate, earliest first when the cheapest order leaves some out."""
    idxs = sub.by_cohort[new_a.id]
    got: dict[int, Placement] = {}
    prev = None
    trainers: dict[str, str] = {}
    for q, i_old in enumerate(problem.by_cohort.get(new_a.id, ())):
        if i_old not in a_old:
            break
        pl = _same_place(problem, sub, book, idxs[q], a_old[i_old])
        if pl is None:
            break
        book.book(pl)
        ledger.add(pl)
        got[pl.session] = pl
        prev = (pl.session, sub.options[pl.session].candidates[pl.candidate])
        trainers[sub.sessions[pl.session].module_id] = pl.trainer
    if a_old and not got:
        return None
    rest = idxs[len(got):]
    rec = Recreator(sub, book, ledger, rng)
    more = rec.place(rest, prev, dict(trainers))
    if len(more) < len(rest):  # earliest first for a tight window
        for pl in more.values():
            book.book(pl, -1)
            ledger.remove(pl)
        rec.earliest.add(new_a.id)
        more = rec.place(rest, prev, dict(trainers))
    got.update(more)
    return got


def _same_place(problem: PlanningProblem, sub: PlanningProblem, book: Bookings, j: int,
                pl_old: Placement) -> Placement | None:
    """Session j of the grown cohort where the old session was: the same start, trainer, room
    and interpreters when the rules allow, else the same start with whatever fits."""
    slot = problem.options[pl_old.session].candidates[pl_old.candidate].slot.index
    o = sub.options[j]
    k = next((k for k, c in enumerate(o.candidates) if c.slot.index == slot), None)
    if k is None:
        return None
    same_room = pl_old.room is None or k in o.rooms.get(pl_old.room, ())
    if k in o.trainers.get(pl_old.trainer, ()) and same_room:
        interps = pl_old.interpreters
        if o.languages:
            interps = _interpreters(sub, book, j, k, pl_old.trainer, pl_old.room)
        if interps is not None:
            pl = Placement(j, k, pl_old.trainer, pl_old.room, interps)
            if book.broken_rule(pl) is None:
                return pl
    return _fit(sub, book, j, k, pl_old.trainer)


def _finish(problem: PlanningProblem, placed: dict[int, Placement], best):
    if best is None:
        return None
    old, new, rows, cost = best
    cohorts = _replace(_replace(problem.cohorts, [old[0]], [new[0]]), [old[1]], list(new[1:]))
    trial = PlanningProblem(problem.scenario, cohorts=cohorts, unassigned=problem.unassigned, reuse=problem)
    fresh = {c.id for c in new}
    out = {i: pl for i, pl in carry_over(problem, trial, placed).items() if trial.sessions[i].key.cohort not in fresh}
    for key, slot, trainer, room, interps in rows:
        i = trial.session_index[key]
        k = next(k for k, c in enumerate(trial.options[i].candidates) if c.slot.index == slot)
        out[i] = Placement(i, k, trainer, room, interps)
    return trial, out, cost


__all__ = ["dissolve", "move_member", "with_changed_cohorts"]
