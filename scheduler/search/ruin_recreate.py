"""Ruin and recreate: the search that turns a first schedule into a complete, cheap one.

Each step removes a related chunk of the schedule (a *ruin*) and puts it back greedily with
the exact cost in view (`recreate.py`); a step is kept by Late Acceptance (Burke & Bykov):
when the schedule is no more expensive than it was `history` (8) steps ago, or than now. The
objective is the spec's, with every unscheduled session at its 100 000, so completeness
comes first on its own weight.

Ruins, in the spirit of Schrimpf et al. and SISR (Christiaens & Vanden Berghe):

* **blocked** (completeness first): a cohort with unplaced sessions and the sessions that
  occupy what its first unplaced session needs at its possible starts (its qualified
  trainers, fitting rooms, its teams' staffing, its people) are removed; the blocked cohort
  goes back first.
* **squeeze** (completeness first): a cohort whose placed part leaves no room for the rest
  in its window goes back whole, earliest first, after some sessions in that window that
  share a trainer it could have, an interpreter it needs, a team or a person with it are
  taken out.
* **kick** (completeness first): an ejection chain of one link per session. An incomplete
  cohort's track goes back (from its first unplaced session, or whole and earliest first);
  a session that would fit nowhere, or slip days past its earliest start, takes one of its
  starts, and the few sessions in the way are taken out *alone* and put back between their
  own cohort's neighbours (`Recreator.place_between`): a track spread thin by a scarce
  interpreter or trainer is packed again without uprooting the tracks around it.
* **near**: the sessions around a random session in time that share its trainer, team,
  room or site, with the rest of their cohorts' tracks.
* **cohorts**: a few whole cohorts (their tracks after a random point).

Only sessions that may move are removed: in a re-plan the frozen sessions (and with them
the start of their cohort's track) stay where they are.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.prepare.problem import Candidate, PlanningProblem
from scheduler.search.construct import Bookings, Placement, _lookahead
from scheduler.search.ledger import Ledger
from scheduler.search.recreate import Recreator

log = logging.getLogger("modulplan.search")

DAY = 24 * 60
KICK_SHARE = 0.5  # of the eject steps, the share that takes out only the sessions in the way (`_kick`)
SLIDE_SHARE = 0.3  # of the near steps, the share that moves a few sessions alone (`_slide`)


@dataclass
class SearchStats:
    steps: int = 0
    accepted: int = 0
    improved: int = 0
    seconds: float = 0.0
    by_ruin: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # tried, accepted, improved

    def as_dict(self) -> dict:
        return {"search_steps": self.steps, "search_accepted": self.accepted, "search_improved": self.improved,
                "search_steps_per_second": round(self.steps / self.seconds, 1) if self.seconds else None,
                "search_ruins": {k: {"tried": v[0], "accepted": v[1], "improved": v[2]}
                                 for k, v in self.by_ruin.items()}}


def sessions_without_start(problem: PlanningProblem) -> int:
    """How many sessions can never be placed with the cohorts as they are: those without any
    candidate start (no time in the window when the cohort may meet...), qualified trainer or
    room that fits, and every later session of their cohort's track (none is scheduled without
    its predecessor, rule 1). No neighbourhood can place them; only a change of members can."""
    def never(i: int) -> bool:
        o = problem.options[i]
        return not o.candidates or not o.trainers or (o.needs_room and not o.rooms)

    count = 0
    for idxs in problem.by_cohort.values():
        first = next((q for q, i in enumerate(idxs) if never(i)), None)
        count += 0 if first is None else len(idxs) - first
    return count


class Schedule:
    """The search state: placements, the bookings that check them, the exact cost."""

    def __init__(self, problem: PlanningProblem, placed: dict[int, Placement]):
        self.p = problem
        self.book = Bookings(problem)
        self.ledger = Ledger(problem)
        self.placed: dict[int, Placement] = {}
        self.on_day: dict[int, set[int]] = defaultdict(set)
        replan = getattr(problem, "replan", None)
        self.frozen = set(replan.frozen) if replan is not None else set()
        # The first position of each cohort's track that the search may move.
        self.movable_from = {}
        for cid, idxs in problem.by_cohort.items():
            q = 0
            while q < len(idxs) and idxs[q] in self.frozen:
                q += 1
            self.movable_from[cid] = q
        # Cohorts with a session not placed (and some start for their first), kept up to date
        # by add/remove: asked every step, and a national programme has thousands of cohorts.
        self._order = {cid: n for n, cid in enumerate(problem.by_cohort)}
        self._placeable = {cid for cid, idxs in problem.by_cohort.items()
                           if idxs and problem.options[idxs[0]].candidates}
        self._missing = Counter({cid: len(idxs) for cid, idxs in problem.by_cohort.items() if cid in self._placeable})
        self._incomplete = set(self._missing)
        for i in sorted(placed, key=lambda i: problem.options[i].candidates[placed[i].candidate].start):
            self.add(placed[i])

    def copy(self) -> Schedule:
        """A schedule of its own with the same placements, bookings and cost."""
        ledger = self.ledger.copy()
        if ledger is None:  # objective terms of the problem's own: counted anew
            return Schedule(self.p, self.placed)
        twin = Schedule.__new__(Schedule)
        twin.__dict__.update(self.__dict__)  # the problem and what follows from it alone are shared
        twin.book = self.book.copy()
        twin.ledger = ledger
        twin.placed = dict(self.placed)
        twin.on_day = defaultdict(set, ((d, set(v)) for d, v in self.on_day.items()))
        twin._missing = Counter(self._missing)
        twin._incomplete = set(self._incomplete)
        return twin

    @property
    def cost(self) -> float:
        return self.ledger.total

    def day_of(self, pl: Placement) -> int:
        return self.p.options[pl.session].candidates[pl.candidate].slot.day_number

    def add(self, pl: Placement, book: bool = True) -> None:
        if book:
            self.book.book(pl)
        self.ledger.add(pl)
        self.placed_here(pl)

    def placed_here(self, pl: Placement) -> None:
        """Record a placement already booked and counted (the recreate books as it places)."""
        self.placed[pl.session] = pl
        self.on_day[self.day_of(pl)].add(pl.session)
        cid = self.p.sessions[pl.session].key.cohort
        if cid in self._placeable:
            self._missing[cid] -= 1
            if not self._missing[cid]:
                self._incomplete.discard(cid)

    def remove(self, i: int) -> Placement:
        pl = self.placed.pop(i)
        self.book.book(pl, -1)
        self.ledger.remove(pl)
        self.on_day[self.day_of(pl)].discard(i)
        cid = self.p.sessions[i].key.cohort
        if cid in self._placeable:
            self._missing[cid] += 1
            self._incomplete.add(cid)
        return pl

    def first_missing(self, cid: str) -> int | None:
        idxs = self.p.by_cohort[cid]
        return next((q for q, i in enumerate(idxs) if i not in self.placed), None)

    def incomplete(self) -> list[str]:
        """The cohorts with a session not placed whose first session has some start, in the
        problem's order."""
        return sorted(self._incomplete, key=self._order.__getitem__)

    def hopeless(self) -> list[str]:
        """The cohorts whose first session has no start at all (their members' windows do not
        meet, say): no neighbourhood can place them, only a change of members can."""
        return [cid for cid, idxs in self.p.by_cohort.items() if idxs and cid not in self._placeable]


# The schedule last built for a cohort move: (problem, placements, schedule). The moves of
# one phase all start from the same best schedule; at national size building it costs about
# a second (12 000 placements booked and counted), copying it a fraction of that.
_LAST_BUILT: list[tuple[PlanningProblem, dict[int, Placement], Schedule]] = []


def schedule_to_change(problem: PlanningProblem, placed: dict[int, Placement]) -> Schedule:
    """A `Schedule` of `placed` of the caller's own, to change freely: a copy of the one built
    for the same problem and placements (the same objects, unchanged) when there is one."""
    if _LAST_BUILT:
        p, pl, built = _LAST_BUILT[0]
        if p is problem and pl is placed and len(built.placed) == len(placed):
            return built.copy()
    built = Schedule(problem, placed)
    _LAST_BUILT[:] = [(problem, placed, built)]
    return built.copy()


def forget_built_schedule() -> None:
    """Let the schedule kept by `schedule_to_change` go (its problem may be large)."""
    _LAST_BUILT.clear()


class RuinRecreate:
    """Late-acceptance ruin-and-recreate over a `Schedule`."""

    def __init__(self, problem: PlanningProblem, placed: dict[int, Placement], *, seed: int = 0,
                 history: int = 8, region: set[str] | None = None):
        """`region`: the cohorts this search may ruin (None: all); the other cohorts stay as
        they are (one region per worker of a distributed search, `search/regions.py`).
        `history`: Late Acceptance's length. Measured (session 22, solver seeds 0 and 1): 60
        gave L-seed3 0.927 / 0.928 of first-fit at 60 s, M-seed3 0.935 / 0.936 and
        M-network-seed7 0.842 / 0.848 at 20 s; 20 gave 0.925 / 0.925, 0.932 / 0.927, 0.835 /
        0.836; 8 gave 0.922, 0.920 / 0.932, 0.834 / 0.839; 3 gave 0.919, 0.935 / 0.931, 0.840 /
        0.834. The search's steps are large (a ruin and a greedy recreate), and the rounds and
        the second search restart it: diversity comes from there."""
        self.p = problem
        self.region = region
        self.rng = random.Random(seed)
        self.state = Schedule(problem, placed)
        self.recreator = Recreator(problem, self.state.book, self.state.ledger, self.rng)
        self.history = [self.state.cost] * history
        self.best_cost = self.state.cost
        self.best = dict(self.state.placed)
        self.stats = SearchStats()
        self.cohort_ids = sorted(c for c in problem.by_cohort if region is None or c in region)
        self.cohorts_of_team: dict = defaultdict(set)
        for c in problem.cohorts:
            for t, _ in c.team_counts:
                self.cohorts_of_team[t].add(c.id)
        self.people_of = {c.id: set(c.participants) for c in problem.cohorts}
        self.without_start = sessions_without_start(problem)

    # -- ruins -----------------------------------------------------------------------------
    def _missing_seed(self) -> tuple[str, list[int], int, int] | None:
        """A random incomplete cohort: (its id, its sessions, the position and index of its
        first unplaced session)."""
        incomplete = [c for c in self.state.incomplete() if self.region is None or c in self.region]
        if not incomplete:
            return None
        cid = self.rng.choice(incomplete)
        idxs = self.p.by_cohort[cid]
        q = self.state.first_missing(cid)
        if q is None:  # not so for an incomplete cohort
            return None
        return cid, idxs, q, idxs[q]

    def _blocked(self) -> tuple[dict[str, int], list[str]] | None:
        """An incomplete cohort and the sessions in the way of its first unplaced session."""
        st, p, rng = self.state, self.p, self.rng
        seed = self._missing_seed()
        if seed is None:
            return None
        cid, idxs, q, i = seed
        o, s = p.options[i], p.sessions[i]
        teams = {t for t, _ in s.cohort.team_counts}
        people = self.people_of[cid]
        blockers: set[int] = set()
        cands = o.candidates
        picks = rng.sample(range(len(cands)), min(len(cands), 6))
        for k in picks:
            c = cands[k]
            for j in st.on_day.get(c.slot.day_number, ()):
                if p.sessions[j].key.cohort == cid:
                    continue
                pl = st.placed[j]
                cj = p.options[j].candidates[pl.candidate]
                if not (cj.start < c.end + 120 and c.start < cj.end + 120):
                    continue
                sj = p.sessions[j]
                if (pl.trainer in o.trainers or (pl.room is not None and pl.room in o.rooms)
                        or any(t in teams for t, _ in sj.cohort.team_counts)
                        or not people.isdisjoint(self.people_of[sj.key.cohort])
                        or any(x in o.interpreters for x in pl.interpreters)):
                    blockers.add(j)
        if rng.random() < 0.25:  # the whole track again, earliest first: a window too tight for cheapest-first
            ruin = {cid: st.movable_from[cid]}
            self.recreator.earliest.add(cid)
        else:
            ruin = {cid: max(st.movable_from[cid], q - rng.choice((0, 0, 1, 2)))}
        for j in rng.sample(sorted(blockers), min(len(blockers), rng.randint(1, 4))):
            other = p.sessions[j].key.cohort
            pos = max(st.movable_from[other], p.sessions[j].position)
            ruin[other] = min(ruin.get(other, pos), pos)
        order = [cid] + [c for c in ruin if c != cid]
        rng.shuffle(order[1:])
        return ruin, order

    def _eject(self) -> tuple[dict[str, int], list[str]] | None:
        """An incomplete cohort's first unplaced session at one of its possible starts, with a
        trainer and room it could have there: everything in the way of exactly that placement
        (the trainer's and room's sessions around it, sessions of the same people or teams at
        that time, the trainer's other sessions that day when at the daily limit) is removed,
        and the session goes back first (iterative forward search, as UniTime does)."""
        st, p, rng = self.state, self.p, self.rng
        seed = self._missing_seed()
        if seed is None:
            return None
        cid, idxs, q, i = seed
        prev = None
        if q > 0:
            pi = idxs[q - 1]
            prev = (pi, p.options[pi].candidates[st.placed[pi].candidate])
        allowed = self.recreator.order(i, prev)
        if not allowed:  # nothing fits after the placed part: move that part too
            return ({cid: st.movable_from[cid]}, [cid]) if q > st.movable_from[cid] else None
        k = rng.choice(allowed[: max(3, len(allowed) // 2)])
        o = p.options[i]
        trainers = [t for t, ok in o.trainers.items() if ok.row[k]]
        rooms = [r for r, ok in o.rooms.items() if ok.row[k]] if o.needs_room else [None]
        if not trainers or not rooms:
            return None
        t, r = rng.choice(trainers), rng.choice(rooms)
        tr = p.scenario.trainers[t]
        ruin = {cid: q}
        hits, same_day_of_t = self._in_the_way(cid, i, k, t, r)
        if tr.max_sessions_per_day is not None and len(same_day_of_t) >= tr.max_sessions_per_day:
            hits.append(rng.choice(same_day_of_t))
        for j in hits + self._over_the_week(cid, i, k, t):
            self._from_session_on(ruin, j)
        others = [x for x in ruin if x != cid]
        rng.shuffle(others)
        return ruin, [cid] + others

    def _from_session_on(self, ruin: dict[str, int], j: int) -> None:
        """Add to `ruin` session j's cohort from j on (nothing when j itself may not move)."""
        sj = self.p.sessions[j]
        other = sj.key.cohort
        if self.state.movable_from[other] <= sj.position:
            ruin[other] = min(ruin.get(other, sj.position), sj.position)

    def _in_the_way(self, cid: str, i: int, k: int, t: str, r: str | None) -> tuple[list[int], list[int]]:
        """The other cohorts' sessions in the way of session i of cohort `cid` at start k with
        trainer t and room r: the trainer's and the interpreters' it needs (with travel), the
        room's and its teams' at that time, its people's within their daily rest; and,
        apart, the trainer's other sessions that day (its daily limit)."""
        st, p = self.state, self.p
        o, s = p.options[i], p.sessions[i]
        c = o.candidates[k]
        teams = {x for x, _ in s.cohort.team_counts}
        people = self.people_of[cid]
        reach, rest, day = st.book.reach, p.rest_minutes, c.slot.day_number
        hits, same_day_of_t = [], []
        for d in range(day - 1, day + 2):
            for j in st.on_day.get(d, ()):
                pl = st.placed[j]
                cj = p.options[j].candidates[pl.candidate]
                sj = p.sessions[j]
                if sj.key.cohort == cid:
                    continue
                if pl.trainer == t and cj.slot.day_number == day:
                    same_day_of_t.append(j)
                if ((pl.trainer == t and cj.start < c.end + reach and c.start < cj.end + reach)
                        or (r is not None and pl.room == r and cj.start < c.end and c.start < cj.end)
                        or (cj.start < c.end and c.start < cj.end
                            and any(x in teams for x, _ in sj.cohort.team_counts))
                        or (o.languages and cj.start < c.end + reach and c.start < cj.end + reach
                            and any(x in o.interpreters for x in pl.interpreters))
                        or (cj.start < c.end + rest and c.start < cj.end + rest
                            and not people.isdisjoint(self.people_of[sj.key.cohort]))):
                    hits.append(j)
        return hits, same_day_of_t

    def _over_the_week(self, cid: str, i: int, k: int, t: str) -> list[int]:
        """Trainer t's sessions of other cohorts in the week of session i's start k, drawn at
        random until the minutes they free make room for it under the trainer's weekly limit
        (none when there is room). Why: a trainer at the limit blocks a start without any
        session near it in time (planted care S 73: the one trainer of a module at 360 minutes
        a week, the last session of a cohort out because two others held that week)."""
        st, p = self.state, self.p
        limit = p.scenario.trainers[t].max_minutes_per_week
        c = p.options[i].candidates[k]
        dur = p.sessions[i].duration
        week, day = c.slot.week_number, c.slot.day_number
        if limit is None or st.book.trainer_week[t, week] + dur <= limit:
            return []
        theirs = [j for d in range(day - 6, day + 7) for j in sorted(st.on_day.get(d, ()))
                  if st.placed[j].trainer == t and p.sessions[j].key.cohort != cid
                  and p.options[j].candidates[st.placed[j].candidate].slot.week_number == week]
        self.rng.shuffle(theirs)
        out, excess = [], st.book.trainer_week[t, week] + dur - limit
        for j in theirs:
            if excess <= 0:
                break
            out.append(j)
            excess -= p.sessions[j].duration
        return out

    def _crowd(self) -> tuple[dict[str, int], list[str]] | None:
        """An incomplete cohort and every placed session inside its first unplaced session's
        window that needs the same kind of trainer (the same module or a trainer it could
        have) or an interpreter it needs: the crowd it cannot get into, rebuilt with the tightest cohorts first."""
        st, p, rng = self.state, self.p, self.rng
        seed = self._missing_seed()
        if seed is None:
            return None
        cid, _idxs, q, i = seed
        o = p.options[i]
        if not o.candidates:
            return None
        lo, hi = o.candidates[0].slot.day_number, o.candidates[-1].slot.day_number
        interpreters = set(o.interpreters) if o.languages else set()
        crowd = []
        for d in range(lo, hi + 1):
            for j in st.on_day.get(d, ()):
                pl = st.placed[j]
                if p.sessions[j].key.cohort != cid and (p.sessions[j].module_id == p.sessions[i].module_id
                                                          or pl.trainer in o.trainers
                                                          or not interpreters.isdisjoint(pl.interpreters)):
                    crowd.append(j)
        if not crowd:
            return None
        return self._with_crowd(cid, max(st.movable_from[cid], q - rng.choice((0, 1))), crowd, 3, 12)

    def _squeeze(self) -> tuple[dict[str, int], list[str]] | None:
        """An incomplete cohort whose placed part leaves no room for the rest inside its
        plans' window: its whole track (what may move) goes back earliest first, into room
        made by taking out some of the sessions inside that window that share a trainer it
        could have, an interpreter it needs, a team or a person with it (a track that fits
        alone, but not behind the others)."""
        st, p = self.state, self.p
        seed = self._missing_seed()
        if seed is None:
            return None
        cid, idxs, _q, _i = seed
        lo = st.movable_from[cid]
        mine = [k for k in idxs[lo:] if p.options[k].candidates]
        if not mine:
            return None
        first_day = min(p.options[k].candidates[0].slot.day_number for k in mine)
        last_day = max(p.options[k].candidates[-1].slot.day_number for k in mine)
        trainers = {t for k in mine for t in p.options[k].trainers}
        interpreters = {x for k in mine if p.options[k].languages for x in p.options[k].interpreters}
        teams = {t for t, _ in p.sessions[mine[0]].cohort.team_counts}
        people = self.people_of[cid]
        crowd = []
        for d in range(first_day, last_day + 1):
            for j in st.on_day.get(d, ()):
                sj = p.sessions[j]
                if sj.key.cohort != cid and (st.placed[j].trainer in trainers
                                             or not interpreters.isdisjoint(st.placed[j].interpreters)
                                             or any(t in teams for t, _ in sj.cohort.team_counts)
                                             or not people.isdisjoint(self.people_of[sj.key.cohort])):
                    crowd.append(j)
        self.recreator.earliest.add(cid)
        return self._with_crowd(cid, lo, crowd, 4, 16)

    def _with_crowd(self, cid: str, start: int, crowd: list[int], fewest: int, most: int
                    ) -> tuple[dict[str, int], list[str]]:
        """The ruin of cohort `cid` from position `start` and of `fewest`..`most` sessions of
        `crowd` (with the rest of their tracks); `cid` goes back first, then the cohorts with
        the fewest possible starts."""
        st, p, rng = self.state, self.p, self.rng
        ruin = {cid: start}
        for j in rng.sample(crowd, min(len(crowd), rng.randint(fewest, most))):
            other = p.sessions[j].key.cohort
            pos = max(st.movable_from[other], p.sessions[j].position)
            ruin[other] = min(ruin.get(other, pos), pos)
        tight = {c: min(len(p.options[k].candidates) for k in p.by_cohort[c]) for c in ruin}
        order = [cid] + sorted((c for c in ruin if c != cid), key=lambda c: (tight[c], rng.random()))
        return ruin, order

    def _near(self) -> tuple[dict[str, int], list[str]] | None:
        """Sessions near a random session in time that share a resource or site with it."""
        st, p, rng = self.state, self.p, self.rng
        if not st.placed:
            return None
        seeds = list(st.placed) if self.region is None else [j for j in st.placed
                                                              if p.sessions[j].key.cohort in self.region]
        if not seeds:
            return None
        i = rng.choice(seeds)
        pl = st.placed[i]
        s = p.sessions[i]
        day = st.day_of(pl)
        teams = {t for t, _ in s.cohort.team_counts}
        site = p.site_of_room(pl.room) if pl.room else None
        span = rng.choice((0, 1, 2, 3, 7))
        near = []
        for d in range(day - span, day + span + 1):
            for j in st.on_day.get(d, ()):
                if j == i:
                    continue
                pj, sj = st.placed[j], p.sessions[j]
                if (pj.trainer == pl.trainer or (pj.room and pj.room == pl.room)
                        or (site and pj.room and p.site_of_room(pj.room) == site)
                        or any(t in teams for t, _ in sj.cohort.team_counts)
                        or any(x in pl.interpreters for x in pj.interpreters)):
                    near.append(j)
        ruin: dict[str, int] = {}
        for j in [i] + rng.sample(near, min(len(near), rng.randint(1, 5))):
            cid = p.sessions[j].key.cohort
            pos = max(st.movable_from[cid], p.sessions[j].position - rng.choice((0, 0, 0, 1)))
            ruin[cid] = min(ruin.get(cid, pos), pos)
        order = list(ruin)
        rng.shuffle(order)
        return ruin, order

    def _cohorts(self) -> tuple[dict[str, int], list[str]] | None:
        st, p, rng = self.state, self.p, self.rng
        ruin = {}
        for cid in rng.sample(self.cohort_ids, min(len(self.cohort_ids), rng.randint(1, 3))):
            n = len(p.by_cohort[cid])
            lo = st.movable_from[cid]
            if lo >= n:
                continue
            ruin[cid] = rng.choice((lo, lo, rng.randrange(lo, n)))
        order = list(ruin)
        rng.shuffle(order)
        return (ruin, order) if ruin else None

    def _kick(self) -> bool:
        """Ejection chains of one link (completeness first): an incomplete cohort's track goes
        back from its first unplaced session (or whole, earliest first: a prefix spread too
        thin leaves no room for the rest), session by session; a session that fits nowhere
        takes one of its possible starts, with a trainer and room it could have there, and
        the few sessions in the way of exactly that placement are taken out *alone* (not with
        the rest of their tracks, as the other ruins do) and go back between their own
        cohort's neighbours, where they have slack. False when there is nothing to try."""
        st, p, rng = self.state, self.p, self.rng
        seed = self._missing_seed()
        if seed is None:
            return False
        cid, idxs, q, _i = seed
        whole = rng.random() < 0.5
        if whole:
            q = st.movable_from[cid]
            self.recreator.earliest.add(cid)
        before, missing_before = st.cost, len(p.sessions) - len(st.placed)
        removed = [st.remove(x) for x in reversed(idxs[q:]) if x in st.placed]
        added: list[Placement] = []
        trainers = {p.sessions[x].module_id: st.placed[x].trainer for x in idxs[:q]}
        ahead = _lookahead(p)
        for pos in range(q, len(idxs)):
            i = idxs[pos]
            prev = None
            if pos > 0:
                pi = idxs[pos - 1]
                prev = (pi, p.options[pi].candidates[st.placed[pi].candidate])
            todo = self.recreator.order(i, prev)
            cands = p.options[i].candidates
            preferred = trainers.get(p.sessions[i].module_id)
            pl = self.recreator.choose(i, list(todo), preferred, ahead)
            # Earliest first, a session that would slip days past its earliest start (or fit
            # nowhere) pushes what is in the way of an earlier one aside instead.
            until = cands[pl.candidate].slot.day_number if pl is not None else None
            if todo and (until is None or (whole and until > cands[todo[0]].slot.day_number + 1)):
                early = [k for k in todo[:12] if ahead.ok(i, cands[k].slot.day_number)
                         and (until is None or cands[k].slot.day_number < until)]
                pushed = self._eject_for(cid, i, early, preferred, removed, added) if early else None
                if pushed is not None:
                    pl = None
                    trainers[p.sessions[i].module_id] = pushed.trainer
                    continue
            if pl is None:
                break
            st.add(pl)
            added.append(pl)
            trainers[p.sessions[i].module_id] = pl.trainer
        self.recreator.earliest.discard(cid)
        self._judge("kick", before, missing_before, removed, added)
        return True

    def _eject_for(self, cid: str, i: int, starts: list[int], preferred: str | None,
                   removed: list[Placement], added: list[Placement]) -> Placement | None:
        """Session i of cohort `cid` at one of `starts`, with the few sessions in the way taken
        out alone and put back between their neighbours (one link of an ejection chain);
        records what it moves in `removed` and `added`. None, with nothing changed, when no
        start works so."""
        st, p, rng = self.state, self.p, self.rng
        o = p.options[i]
        for k in rng.sample(starts, min(len(starts), 3)):
            trainers = [t for t, ok in o.trainers.items() if ok.row[k]]
            rooms = [r for r, ok in o.rooms.items() if ok.row[k]] if o.needs_room else [None]
            if not trainers or not rooms:
                continue
            t = preferred if preferred in trainers and rng.random() < 0.5 else rng.choice(trainers)
            r = rng.choice(rooms)
            in_the_way, _same_day = self._in_the_way(cid, i, k, t, r)
            ok = all(p.sessions[j].position >= st.movable_from[p.sessions[j].key.cohort]
                     and (self.region is None or p.sessions[j].key.cohort in self.region)
                     for j in in_the_way)  # none frozen, none another region's
            if not ok or not in_the_way or len(in_the_way) > 4:
                continue
            out = [st.remove(j) for j in in_the_way]
            mine = self.recreator.choose(i, [k], preferred, None)
            back: list[Placement] = []
            if mine is not None:
                st.add(mine)
                rng.shuffle(in_the_way)
                for j in in_the_way:
                    got = self._between(j)
                    if got is None:
                        break
                    st.placed_here(got)
                    back.append(got)
            if mine is not None and len(back) == len(in_the_way):
                removed.extend(out)
                added.append(mine)
                added.extend(back)
                return mine
            self._undo(out, back + ([mine] if mine is not None else []))
        return None

    def _slide(self) -> bool:
        """A few sessions near a random one in time that share its trainer, team, room or
        site, each taken out *alone* and put back between its own cohort's neighbours (to
        another time, trainer or room that costs less there); the step is dropped when one
        no longer fits. False when there is nothing to try."""
        st, p, rng = self.state, self.p, self.rng
        if not st.placed:
            return False
        i = rng.choice(list(st.placed))
        s = p.sessions[i]
        if (s.position < st.movable_from[s.key.cohort]
                or (self.region is not None and s.key.cohort not in self.region)):
            return False
        pl = st.placed[i]
        day = st.day_of(pl)
        teams = {t for t, _ in s.cohort.team_counts}
        span = rng.choice((0, 1, 2, 7))
        near = []
        for d in range(day - span, day + span + 1):
            for j in st.on_day.get(d, ()):
                pj, sj = st.placed[j], p.sessions[j]
                if (j != i and sj.position >= st.movable_from[sj.key.cohort]
                        and (self.region is None or sj.key.cohort in self.region)
                        and (pj.trainer == pl.trainer or (pj.room and pj.room == pl.room)
                             or any(t in teams for t, _ in sj.cohort.team_counts)
                             or any(x in pl.interpreters for x in pj.interpreters))):
                    near.append(j)
        moving = [i] + rng.sample(near, min(len(near), rng.randint(0, 3)))
        before, missing_before = st.cost, len(p.sessions) - len(st.placed)
        removed = [st.remove(j) for j in moving]
        added: list[Placement] = []
        rng.shuffle(moving)
        for j in moving:
            got = self._between(j)
            if got is None:
                self._undo(removed, added)
                self.stats.steps += 1
                self.stats.by_ruin["slide"][0] += 1
                return True
            st.placed_here(got)
            added.append(got)
        self._judge("slide", before, missing_before, removed, added)
        return True

    def _between(self, j: int) -> Placement | None:
        """Session j back between its cohort's placed neighbours (its module's trainer first)."""
        st, p = self.state, self.p
        sj = p.sessions[j]
        idxs = p.by_cohort[sj.key.cohort]
        pos = sj.position
        neighbours: list[tuple[int, Candidate] | None] = []
        for x in (idxs[pos - 1] if pos > 0 else -1, idxs[pos + 1] if pos + 1 < len(idxs) else -1):
            pl = st.placed.get(x)
            neighbours.append((x, p.options[x].candidates[pl.candidate]) if pl is not None else None)
        preferred = next((st.placed[x[0]].trainer for x in neighbours
                          if x is not None and p.sessions[x[0]].module_id == sj.module_id), None)
        return self.recreator.place_between(j, neighbours[0], neighbours[1], preferred)

    # -- one step ---------------------------------------------------------------------------
    def step(self) -> None:
        st, p, rng = self.state, self.p, self.rng
        # While sessions are missing, most steps go for them; then most improve the cost.
        r = rng.random() * (0.8 if len(st.placed) < len(p.sessions) else 1.0) + (
            0 if len(st.placed) < len(p.sessions) else 0.55)
        kind = ("eject" if r < 0.3 else "blocked" if r < 0.5 else "crowd" if r < 0.6 else "squeeze" if r < 0.7
                else "near" if rng.random() < 0.7 else "cohorts")
        if kind == "eject" and rng.random() < KICK_SHARE and self._kick():
            return
        if kind == "near" and rng.random() < SLIDE_SHARE and self._slide():
            return
        ruins = {"eject": self._eject, "blocked": self._blocked, "crowd": self._crowd, "squeeze": self._squeeze}
        got = ruins[kind]() if kind in ruins else None
        if got is None and kind in ruins:
            kind = "near"
        if got is None:
            kind = "near" if kind != "cohorts" else kind
            got = self._near() if kind == "near" else self._cohorts()
        if got is None:
            return
        ruin, order = got
        if self.region is not None:  # blockers and neighbours outside the region stay where they are
            ruin = {c: q for c, q in ruin.items() if c in self.region}
            order = [c for c in order if c in ruin]
            if not ruin:
                return
        before = st.cost
        missing_before = len(p.sessions) - len(st.placed)
        removed: list[Placement] = []
        starts: dict[str, int] = {}
        for cid, q in ruin.items():
            idxs = p.by_cohort[cid]
            missing = st.first_missing(cid)
            q = q if missing is None else min(q, missing)
            starts[cid] = q
            for i in reversed(idxs[q:]):
                if i in st.placed:
                    removed.append(st.remove(i))
        added: list[Placement] = []
        for cid in order:
            q = starts[cid]
            idxs = p.by_cohort[cid]
            prev = None
            if q > 0:
                pi = idxs[q - 1]
                prev = (pi, p.options[pi].candidates[st.placed[pi].candidate])
            trainers = {p.sessions[i].module_id: st.placed[i].trainer for i in idxs[:q]}
            got_pl = self.recreator.place(idxs[q:], prev, trainers)
            for pl in got_pl.values():
                st.placed_here(pl)
                added.append(pl)
        self.recreator.earliest.clear()
        self._judge(kind, before, missing_before, removed, added)

    def _judge(self, kind: str, before: float, missing_before: int, removed: list[Placement],
               added: list[Placement]) -> None:
        """Keep the step's schedule (Late Acceptance; while sessions are missing, any step that
        leaves no more of them missing) or put back what it `removed` in place of what it `added`."""
        st, p = self.state, self.p
        after = st.cost
        n = self.stats.steps
        slot = n % len(self.history)
        rec = self.stats.by_ruin[kind]
        rec[0] += 1
        self.stats.steps += 1
        missing = len(p.sessions) - len(st.placed)
        if missing > 0:
            # Completeness first: while sessions are missing, any step that leaves no more of
            # them missing is taken, whatever it costs (the holes may wander to where they fill).
            take = missing <= missing_before
        else:
            take = after <= before + 1e-6 or after <= self.history[slot] + 1e-6
        if take:
            self.stats.accepted += 1
            rec[1] += 1
            if after < self.best_cost - 1e-6:
                self.best_cost = after
                self.best = dict(st.placed)
                self.stats.improved += 1
                rec[2] += 1
        else:
            self._undo(removed, added)
        self.history[slot] = st.cost

    def _undo(self, removed: list[Placement], added: list[Placement]) -> None:
        """Every session a step touched back where it was before the step. `removed` is in the
        order taken out, so a session's first entry is that place (an ejection chain may move
        a session twice)."""
        st = self.state
        before_step: dict[int, Placement] = {}
        for pl in removed:
            before_step.setdefault(pl.session, pl)
        for i in {pl.session for pl in added} | set(before_step):
            if i in st.placed:
                st.remove(i)
        for pl in before_step.values():
            st.add(pl)

    def run(self, deadline: float, *, cancel: threading.Event | None = None,
            on_improve: Callable[[dict[int, Placement], float], None] | None = None,
            report_every: float = 0.5, patience: int | None = None) -> dict[int, Placement]:
        """Search until `deadline` (time.monotonic()), a cancel, or `patience` steps in a row
        without a better schedule; returns the best schedule."""
        started = last_report = time.monotonic()
        reported = self.best_cost
        last_better, best_seen = 0, self.best_cost
        while True:
            now = time.monotonic()
            if now >= deadline or (cancel is not None and cancel.is_set()):
                break
            if (patience is not None and self.stats.steps - last_better > patience
                    and len(self.best) + self.without_start == len(self.p.sessions)):
                # complete, but for sessions without any start, and nothing better for a long
                # while (never stop while a session that has a start is missing)
                break
            self.step()
            if self.best_cost < best_seen:
                best_seen, last_better = self.best_cost, self.stats.steps
            if on_improve and self.best_cost < reported and now - last_report >= report_every:
                on_improve(self.best, self.best_cost)
                reported, last_report = self.best_cost, now
        self.stats.seconds += time.monotonic() - started
        if on_improve and self.best_cost < reported:
            on_improve(self.best, self.best_cost)
        log.info("search: %d steps (%.0f/s), %d accepted, %d improving; best %.0f",
                 self.stats.steps, self.stats.steps / max(1e-9, self.stats.seconds), self.stats.accepted,
                 self.stats.improved, self.best_cost)
        return self.best
