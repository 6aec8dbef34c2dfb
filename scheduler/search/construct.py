"""A fast constructive schedule: what a careful coordinator would do by hand.

Cohort by cohort (the tightest first), each session in track order goes to the best
candidate start that keeps every rule given what is already booked: trainers,
rooms, interpreters, team staffing, the participants' other sessions and their
daily rest. It gives the optimizer a valid starting point (a hint) within seconds,
and with `strategy="first-fit"` it is the first-fit baseline of the benchmarks.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from weakref import WeakKeyDictionary

from scheduler.prepare.problem import Candidate, Placement, PlanningProblem  # Placement re-exported for callers
from scheduler.prepare.shiftfit import rest_ok
from scheduler.prepare.timeline import intervals_near

DAY = 24 * 60


class Busy:
    """One resource's booked blocks (start, end, ...), bucketed by day so that a check looks
    only at the blocks near the time in question, not at the whole horizon."""

    __slots__ = ("buckets", "longest")

    def __init__(self) -> None:
        self.buckets: dict[int, list[tuple]] = defaultdict(list)
        self.longest = 0

    def append(self, item: tuple) -> None:
        self.buckets[item[0] // DAY].append(item)
        self.longest = max(self.longest, item[1] - item[0])

    def remove(self, item: tuple) -> None:
        self.buckets[item[0] // DAY].remove(item)

    def copy(self) -> Busy:
        twin = Busy()
        twin.buckets.update((day, list(items)) for day, items in self.buckets.items() if items)
        twin.longest = self.longest
        return twin

    def near(self, a: int, b: int, pad: int = 0) -> list[tuple]:
        """Blocks that overlap [a - pad, b + pad)."""
        out = []
        for day in range((a - pad - self.longest) // DAY, (b + pad) // DAY + 1):
            for item in self.buckets.get(day, ()):
                if item[0] < b + pad and a - pad < item[1]:
                    out.append(item)
        return out


class Bookings:
    """Who is busy when, so every placement can be checked against the rules."""

    def __init__(self, problem: PlanningProblem):
        self.p = problem
        self.trainer: dict[str, Busy] = defaultdict(Busy)  # (start, end, site)
        self.interp: dict[str, Busy] = defaultdict(Busy)  # (start, end, site)
        self.room: dict[str, Busy] = defaultdict(Busy)  # (start, end)
        self.team: dict = defaultdict(Busy)  # (start, end, members)
        self.person: dict[str, Busy] = defaultdict(Busy)  # (start, end)
        # A fingerprint of each person's booked blocks (sum of the blocks' hashes): people of
        # one team with the same sessions (most of a cohort) are checked once, not each.
        self.person_sig: Counter = Counter()
        self._rest_memo: dict = {}  # (team, blocks near, a, b) -> daily rest kept
        # (table, key) of the blocks this object alone holds; None: all (never copied)
        self._own: set | None = None
        self.trainer_day: Counter = Counter()
        self.trainer_week: Counter = Counter()
        sc = problem.scenario
        # The longest travel that can separate two sessions: blocks further away never clash.
        self.reach = max([sc.travel_default, *sc.travel_pairs.values()], default=0)

    def copy(self) -> Bookings:
        """Bookings of their own with the same blocks (faster than booking every placement
        again: a cohort move at national size works on its own copy of the schedule). The
        two share each resource's blocks until one of them books there (copy on write:
        a move touches a few hundred of the 13 000 resources of a national programme)."""
        twin = Bookings.__new__(Bookings)
        twin.p = self.p
        for name in ("trainer", "interp", "room", "team", "person"):
            theirs: dict = defaultdict(Busy)
            theirs.update(getattr(self, name))
            setattr(twin, name, theirs)
        self._own = set()  # every block list is shared now, on both sides
        twin._own = set()
        twin.person_sig = Counter(self.person_sig)
        twin._rest_memo = self._rest_memo  # answers by what was asked: the same for both
        twin.trainer_day = Counter(self.trainer_day)
        twin.trainer_week = Counter(self.trainer_week)
        twin.reach = self.reach
        return twin

    # -- checks -----------------------------------------------------------------
    def _traveller_free(self, items, a: int, b: int, site: str | None) -> bool:
        """Free, with the travel time kept between this session and the person's sessions at
        other sites (on any day: stricter than the rule only across midnight). The rule itself,
        not the model's summary of it (`TravelGaps` lists only the pairs that can bind for
        the sessions of one problem; the search places cohorts through sub-problems and moves
        cohorts between problems, where such a list would miss pairs)."""
        sc = self.p.scenario
        for x, y, s in items.near(a, b, self.reach):
            travel = sc.travel_minutes(site, s)
            if x < b + travel and a < y + travel:
                return False
        return True

    def trainer_ok(self, t: str, a: int, b: int, site, day: int, week: int, dur: int) -> bool:
        return self.trainer_limits_ok(t, day, week, dur) and self._traveller_free(self.trainer[t], a, b, site)

    def trainer_limits_ok(self, t: str, day: int, week: int, dur: int) -> bool:
        """The trainer's daily session and weekly minute limits leave room for one more session."""
        tr = self.p.scenario.trainers[t]
        if tr.max_sessions_per_day is not None and self.trainer_day[t, day] >= tr.max_sessions_per_day:
            return False
        if tr.max_minutes_per_week is not None and self.trainer_week[t, week] + dur > tr.max_minutes_per_week:
            return False
        return True

    def traveller_near(self, kind: str, who: str, a: int, b: int) -> list[tuple] | None:
        """The person's blocks near [a, b), or None when one overlaps it (busy wherever the
        session is held): asked once per person, then `travel_clear` per site."""
        near = (self.trainer if kind == "trainer" else self.interp)[who].near(a, b, self.reach)
        if any(x < b and a < y for x, y, _ in near):
            return None
        return near

    def travel_clear(self, near: list[tuple], a: int, b: int, site: str | None) -> bool:
        """`_traveller_free` on blocks already fetched by `traveller_near`."""
        sc = self.p.scenario
        for x, y, s in near:
            travel = sc.travel_minutes(site, s)
            if x < b + travel and a < y + travel:
                return False
        return True

    def interpreter_ok(self, j: str, a: int, b: int, site) -> bool:
        return self._traveller_free(self.interp[j], a, b, site)

    def room_ok(self, r: str, a: int, b: int) -> bool:
        return not self.room[r].near(a, b)

    def people_ok(self, participants, a: int, b: int) -> bool:
        """No participant is in another session then, and each keeps their daily rest (rule 9).
        People of one team whose booked sessions are the same give the same answer: each such
        group is asked once."""
        p, rest = self.p, self.p.rest_minutes
        people, sig = p.scenario.participants, self.person_sig
        seen = set()
        for pid in participants:
            team = people[pid].team
            key = (team, sig[pid])
            if key in seen:
                continue
            seen.add(key)
            near = self.person[pid].near(a, b, 2 * DAY)
            if any(x < b and a < y for x, y in near):
                return False
            if rest and near:
                memo_key = (team, tuple(near), a, b)
                kept = self._rest_memo.get(memo_key)
                if kept is None:
                    if len(self._rest_memo) > 200_000:
                        self._rest_memo.clear()
                    kept = self._rest_memo[memo_key] = rest_ok(p.timeline.shift_union[team], near + [(a, b)], rest)
                if not kept:
                    return False
        return True

    def staffing_ok(self, team_counts, a: int, b: int) -> bool:
        teams = self.p.scenario.teams
        for team, n in team_counts:
            busy = self.team[team].near(a, b)
            if not busy:
                continue
            shifts = [(x, y) for x, y in intervals_near(self.p.timeline.shift_union[team], a, b) if x < b and a < y]
            if not shifts:
                continue
            cuts = sorted({a, b, *[v for x, y, _ in busy for v in (x, y) if a < v < b],
                           *[v for x, y in shifts for v in (x, y) if a < v < b]})
            for lo, hi in zip(cuts, cuts[1:]):
                if not any(x < hi and lo < y for x, y in shifts):
                    continue
                use = sum(k for x, y, k in busy if x < hi and lo < y)
                if use + n > teams[team].staffing_slack:
                    return False
        return True

    def broken_rule(self, pl: Placement) -> str | None:
        """The first rule a placement breaks given what is booked ("participants", "staffing",
        "room", "trainer", "interpreter"), or None: the final check of every schedule."""
        p, sc = self.p, self.p.scenario
        s = p.sessions[pl.session]
        c = p.options[pl.session].candidates[pl.candidate]
        a, b = c.start, c.end
        site = p.site_of_room(pl.room) if pl.room else None
        if not self.people_ok(s.cohort.participants, a, b):
            return "participants"
        if not self.staffing_ok(s.cohort.team_counts, a, b):
            return "staffing"
        if pl.room is not None and not self.room_ok(pl.room, a, b):
            return "room"
        if not self.trainer_ok(pl.trainer, a, b, site or sc.trainers[pl.trainer].home_site, c.slot.day_number,
                               c.slot.week_number, s.duration):
            return "trainer"
        if not all(self.interpreter_ok(j, a, b, site or sc.interpreters[j].home_site) for j in pl.interpreters):
            return "interpreter"
        return None

    # -- booking ------------------------------------------------------------------
    def _held(self, table: dict, key) -> Busy:
        """The blocks of `key` in `table`, this object's own to change (copied first when
        shared with a copy of these bookings)."""
        own = self._own
        if own is None:
            return table[key]
        mark = (id(table), key)
        if mark not in own:
            table[key] = table[key].copy()
            own.add(mark)
        return table[key]

    def book(self, pl: Placement, sign: int = 1) -> None:
        p = self.p
        s = p.sessions[pl.session]
        c: Candidate = p.options[pl.session].candidates[pl.candidate]
        a, b = c.start, c.end
        room_site = p.site_of_room(pl.room) if pl.room else None
        t_site = room_site or p.scenario.trainers[pl.trainer].home_site
        held = self._held
        entries = [
            (held(self.trainer, pl.trainer), (a, b, t_site)),
            *[(held(self.interp, j), (a, b, room_site or p.scenario.interpreters[j].home_site))
              for j in pl.interpreters],
            *([(held(self.room, pl.room), (a, b))] if pl.room else []),
            *[(held(self.team, team), (a, b, n)) for team, n in s.cohort.team_counts],
            *[(held(self.person, pid), (a, b)) for pid in s.cohort.participants],
        ]
        for lst, item in entries:
            lst.append(item) if sign > 0 else lst.remove(item)
        mark = sign * hash((a, b))
        for pid in s.cohort.participants:
            self.person_sig[pid] += mark
        self.trainer_day[pl.trainer, c.slot.day_number] += sign
        self.trainer_week[pl.trainer, c.slot.week_number] += sign * s.duration


def construct(problem: PlanningProblem, strategy: str = "cheapest") -> dict[int, Placement]:
    """The better of two greedy orders: cohort by cohort (keeps each cohort's track compact)
    and interleaved (every cohort's first session, then every second, ...: shares the tight
    teams and trainers fairly). Sessions missing from the result are unscheduled.
    `strategy="first-fit"` is the benchmarks' baseline, the way it is done by hand: cohort by
    cohort, each session at its earliest start that breaks no rule given what is booked,
    without looking ahead or going back."""
    by_cohort = _construct_by_cohort(problem, strategy)
    if strategy in ("earliest", "first-fit"):
        return by_cohort
    interleaved = _construct_interleaved(problem)

    def score(placed):
        return (-len(placed), sum(problem.options[i].candidates[p.candidate].cost for i, p in placed.items()))

    return min(by_cohort, interleaved, key=score)


def _construct_interleaved(problem: PlanningProblem) -> dict[int, Placement]:
    book = Bookings(problem)
    placed: dict[int, Placement] = {}
    state: dict[str, tuple] = {}  # cohort -> (prev, module trainers)
    before: dict[tuple[str, int], tuple] = {}  # (cohort, position) -> its state before placing it
    stopped: set[str] = set()
    longest = max((len(v) for v in problem.by_cohort.values()), default=0)
    order = sorted(problem.by_cohort, key=lambda c: (min((len(problem.options[i].candidates)
                                                          for i in problem.by_cohort[c]), default=0), c))
    for pos in range(longest):
        for cid in order:
            idxs = problem.by_cohort[cid]
            if pos >= len(idxs) or cid in stopped:
                continue
            prev, trainers = state.get(cid, (None, {}))
            before[cid, pos] = (prev, trainers)
            got = _place_cohort(problem, book, [idxs[pos]], "cheapest", prev, trainers)
            if not got:
                got = _replace_module_run(problem, book, placed, idxs, pos, before)
            if not got:
                stopped.add(cid)
                continue
            for i, pl in got.items():
                placed[i] = pl
                trainers = {**trainers, problem.sessions[i].module_id: pl.trainer}
            i = idxs[pos]
            state[cid] = ((i, problem.options[i].candidates[placed[i].candidate]), trainers)
    return placed


def _replace_module_run(problem: PlanningProblem, book: Bookings, placed: dict[int, Placement], idxs: list[int],
                        pos: int, before: dict) -> dict[int, Placement]:
    """Session `pos` of a cohort found no start: place the module's earlier sessions again
    together with it (with backtracking). On success the new placements are returned (and
    booked); otherwise everything stays as it was and {} is returned."""
    module = problem.sessions[idxs[pos]].module_id
    if problem.scenario.modules[module].max_gap_days is None:
        return {}
    first = pos
    while first > 0 and problem.sessions[idxs[first - 1]].module_id == module:
        first -= 1
    if first == pos:
        return {}
    run = idxs[first:pos + 1]
    old = {i: placed.pop(i) for i in run[:-1]}
    for pl in old.values():
        book.book(pl, -1)
    prev, trainers = before[problem.sessions[idxs[first]].key.cohort, first]
    got = _place_cohort(problem, book, run, "cheapest", prev, trainers)
    if len(got) == len(run):
        return got
    for pl in got.values():
        book.book(pl, -1)
    for i, pl in old.items():
        book.book(pl)
        placed[i] = pl
    return {}


def _construct_by_cohort(problem: PlanningProblem, strategy: str) -> dict[int, Placement]:
    book = Bookings(problem)
    placed: dict[int, Placement] = {}
    order = sorted(problem.by_cohort.items(),
                   key=lambda kv: (min((len(problem.options[i].candidates) for i in kv[1]), default=0), kv[0]))
    strategies = [strategy] if strategy in ("earliest", "first-fit") else [strategy, "earliest"]
    for _cohort, idxs in order:
        best: dict[int, Placement] = {}
        for strat in strategies:
            attempt = _place_cohort(problem, book, idxs, strat)  # books as it goes
            if len(attempt) == len(idxs):
                best = attempt
                break
            for pl in attempt.values():
                book.book(pl, -1)
            if len(attempt) > len(best):
                best = attempt
        else:
            for pl in best.values():
                book.book(pl, 1)
        placed.update(best)
    return placed


def complete(problem: PlanningProblem, book: Bookings, placed: dict[int, Placement]) -> dict[int, Placement]:
    """Place what is missing after a cohort's placed prefix (repair after a final check)."""
    out = dict(placed)
    for idxs in problem.by_cohort.values():
        done = [i for i in idxs if i in placed]
        rest = idxs[len(done):]
        if not rest:
            continue
        prev = None
        if done:
            last = placed[done[-1]]
            prev = (done[-1], problem.options[done[-1]].candidates[last.candidate])
        trainers = {problem.sessions[i].module_id: placed[i].trainer for i in done}
        out.update(_place_cohort(problem, book, rest, "cheapest", prev, trainers))
    return out


class _Lookahead:
    """Can the rest of a module's sessions still follow a session that starts on a given day?

    Only the candidates are consulted (calendar, windows, shift fit), not the bookings: it
    catches the common trap of a module with a maximum gap placed just before a closed
    period (a session on 16 December whose successor must start within 21 days, across
    the Christmas closure), which a greedy schedule cannot undo later."""

    def __init__(self, problem: PlanningProblem):
        self.p = problem
        self.followers: dict[int, list[int]] = {}
        for idxs in problem.by_cohort.values():
            for pos, i in enumerate(idxs):
                mod = problem.sessions[i].module_id
                rest = []
                for j in idxs[pos + 1:]:
                    if problem.sessions[j].module_id != mod:
                        break
                    rest.append(j)
                self.followers[i] = rest
        self.days: dict[int, list[int]] = {}
        self.memo: dict[tuple[int, int], bool] = {}
        self._latest: dict[int, tuple[float, float]] = {}

    def latest_start(self, i: int) -> tuple[float, float]:
        """(last day, last start minute) at which session i can begin and still leave every
        later session of its cohort a candidate start after it (minimum gaps within a module;
        the next module once this session has ended), bookings aside: a later start would
        strand the end of the track (a validation module squeezed out of the plan window)."""
        hit = self._latest.get(i)
        if hit is None:
            p = self.p
            idxs = p.by_cohort[p.sessions[i].key.cohort]
            limit: tuple[float, float] = (float("inf"), float("inf"))
            for pos in range(len(idxs) - 1, -1, -1):
                j = idxs[pos]
                self._latest[j] = limit
                last = next((c for c in reversed(p.options[j].candidates)
                             if c.slot.day_number <= limit[0] and c.start <= limit[1]), None)
                if pos == 0:
                    break
                if last is None:
                    limit = (-1, -1)
                    continue
                before = p.sessions[idxs[pos - 1]]
                if before.module_id == p.sessions[j].module_id:
                    limit = (last.slot.day_number - p.scenario.modules[before.module_id].min_gap_days, float("inf"))
                else:
                    limit = (last.slot.day_number, last.start - before.duration)
            hit = self._latest[i]
        return hit

    def _candidate_days(self, i: int) -> list[int]:
        days = self.days.get(i)
        if days is None:
            days = self.days[i] = sorted({c.slot.day_number for c in self.p.options[i].candidates})
        return days

    def ok(self, i: int, day: int) -> bool:
        """True when session i on `day` leaves a reachable day for each following session."""
        rest = self.followers.get(i)
        mod = self.p.scenario.modules[self.p.sessions[i].module_id]
        if not rest or mod.max_gap_days is None:
            return True
        key = (i, day)
        if key not in self.memo:
            lo, hi = mod.min_gap_days, mod.max_gap_days
            reach = [day]
            for j in rest:
                if not reach:
                    break
                # Days of session j within [r + lo, r + hi] of some reachable day r.
                nxt = []
                for d in self._candidate_days(j):
                    at = bisect_left(reach, d - hi)
                    if at < len(reach) and reach[at] <= d - lo:
                        nxt.append(d)
                reach = nxt
            self.memo[key] = bool(reach)
        return self.memo[key]


_LOOKAHEADS: WeakKeyDictionary[PlanningProblem, _Lookahead] = WeakKeyDictionary()


def _lookahead(problem: PlanningProblem) -> _Lookahead:
    """One lookahead (and its memo) per problem, shared by every construction on it."""
    la = _LOOKAHEADS.get(problem)
    if la is None:
        la = _LOOKAHEADS[problem] = _Lookahead(problem)
    return la


def _ordered_candidates(problem: PlanningProblem, i: int, strategy: str,
                        prev: tuple[int, Candidate] | None) -> list[int]:
    """Session i's candidate starts that may follow `prev` (order and gap rules), best first."""
    sc = problem.scenario
    s, o = problem.sessions[i], problem.options[i]
    mod = sc.modules[s.module_id]
    cands = list(range(len(o.candidates)))
    if prev is not None:
        pi, pc = prev
        same = problem.sessions[pi].module_id == s.module_id
        lo_day = pc.slot.day_number + (mod.min_gap_days if same else 0)
        hi_day = pc.slot.day_number + mod.max_gap_days if same and mod.max_gap_days is not None else None
        cands = [k for k in cands if o.candidates[k].start >= pc.end and o.candidates[k].slot.day_number >= lo_day
                 and (hi_day is None or o.candidates[k].slot.day_number <= hi_day)]
    if strategy in ("earliest", "first-fit"):
        cands.sort(key=lambda k: o.candidates[k].start)
    else:
        w_late = sc.weights["late_per_day"]
        base = prev[1].slot.day_number if prev else 0
        cands.sort(key=lambda k: (o.candidates[k].cost + (w_late * (o.candidates[k].slot.day_number - base)
                                                          if prev else 0), o.candidates[k].start))
    return cands


BACKTRACKS = 40  # per cohort: how often an earlier session of a module may be moved to let the next fit


Chooser = Callable[[int, list, "str | None", "_Lookahead | None"], "Placement | None"]


def _place_cohort(problem: PlanningProblem, book: Bookings, idxs: list[int], strategy: str,
                  prev: tuple[int, Candidate] | None = None,
                  module_trainer: dict[str, str] | None = None, *,
                  order: Callable | None = None, chooser: Chooser | None = None,
                  backtracks: int = BACKTRACKS) -> dict[int, Placement]:
    """Place idxs in order, each at its best start that keeps every rule given the bookings.
    When a session of a module with gap rules finds no start, the module's previous session
    is moved to its next-best start and the search goes on from there (a bounded
    backtracking: the greedy choice of 14 December can leave no start for the next
    session before the Christmas closure ends, while 7 December would have).

    The search (`scheduler.search`) passes its own `order` (the candidate starts of a session
    after `prev`, best first) and `chooser` (takes candidates off that list until it has a
    placement, judged by the exact cost of the schedule)."""
    out: dict[int, Placement] = {}
    module_trainer = dict(module_trainer or {})
    careful = strategy != "first-fit"
    ahead = _lookahead(problem) if careful else None
    budget = backtracks if careful else 0
    order = order or (lambda i, prev: _ordered_candidates(problem, i, strategy, prev))
    chooser = chooser or (lambda i, todo, preferred, ahead: _first_fit(problem, book, i, todo, preferred, ahead))
    states: list[tuple] = []  # per position: (prev, module_trainer) before it was placed
    remaining: list[list[int]] = []  # per position: its candidates not tried yet
    j = 0
    while j < len(idxs):
        i = idxs[j]
        s, o = problem.sessions[i], problem.options[i]
        if j == len(remaining):
            states.append((prev, dict(module_trainer)))
            remaining.append(order(i, prev))
        placement = chooser(i, remaining[j], module_trainer.get(s.module_id), ahead)
        if placement is None:
            back = j - 1
            if (budget > 0 and back >= 0 and problem.sessions[idxs[back]].module_id == s.module_id
                    and problem.scenario.modules[s.module_id].max_gap_days is not None):
                budget -= 1
                remaining.pop()
                states.pop()
                book.book(out.pop(idxs[back]), -1)
                prev, module_trainer = states[back][0], dict(states[back][1])
                j = back
                continue
            break  # this and every later session of the cohort stay unscheduled
        book.book(placement)
        out[i] = placement
        module_trainer[s.module_id] = placement.trainer
        prev = (i, o.candidates[placement.candidate])
        j += 1
    return out


def _first_fit(problem: PlanningProblem, book: Bookings, i: int, todo: list[int], preferred: str | None,
               ahead: _Lookahead | None) -> Placement | None:
    """The first of the remaining candidate starts `todo` (taken off the list) at which
    session i keeps every rule, with the first trainer, room and interpreters that fit."""
    o = problem.options[i]
    while todo:
        k = todo.pop(0)
        if ahead is not None and not ahead.ok(i, o.candidates[k].slot.day_number):
            continue
        placement = _fit(problem, book, i, k, preferred)
        if placement:
            return placement
    return None


def _fit(problem: PlanningProblem, book: Bookings, i: int, k: int, preferred: str | None) -> Placement | None:
    """Session i at start k with the first trainer (the preferred one, then the cheapest)
    and, for them, the nearest free fitting room (then the smallest) and the interpreters
    then needed, that keep every rule given the bookings; None when nothing fits there."""
    s, o = problem.sessions[i], problem.options[i]
    c = o.candidates[k]
    a, b = c.start, c.end
    if not book.people_ok(s.cohort.participants, a, b) or not book.staffing_ok(s.cohort.team_counts, a, b):
        return None
    free = room_check(o, book, k, a, b)
    if o.needs_room and not any(free(r) for r in o.rooms):
        return None

    def trainers() -> Iterator[str]:  # free at k: the preferred one, then the cheapest (lazily)
        if preferred is not None and (first := o.trainers.get(preferred)) is not None and first.row[k]:
            yield preferred
        for t in problem.trainers_by_cost(i):
            if t != preferred and o.trainers[t].row[k]:
                yield t

    for t, r, interps in _taught(problem, book, i, k, trainers(), free):
        if interps is not None:
            return Placement(i, k, t, r, interps)
    return None


def _taught(problem: PlanningProblem, book: Bookings, i: int, k: int, trainers: Iterable[str],
            free: Callable[[str], bool]) -> Iterator[tuple[str, str | None, tuple[str, ...] | None]]:
    """Session i at start k, trainer by trainer (in the order given) and room by room (nearest
    to the trainer first): each (trainer, room, interpreters) at which the trainer keeps the
    daily and weekly limits and the travel around their other sessions, with the room free;
    interpreters None when the languages the trainer does not speak find none free."""
    sc = problem.scenario
    s, o = problem.sessions[i], problem.options[i]
    c = o.candidates[k]
    a, b = c.start, c.end
    # The same answers as asking trainer_ok and _interpreters for every (trainer, room) pair,
    # asked once per trainer (busy, limits) and once per site (travel, interpreters).
    interps_at: dict = {}
    for t in trainers:
        tr = sc.trainers[t]
        if not book.trainer_limits_ok(t, c.slot.day_number, c.slot.week_number, s.duration):
            continue
        near = book.traveller_near("trainer", t, a, b)
        if near is None:
            continue
        for r in (problem.room_order(i, tr.home_site) if o.needs_room else (None,)):
            if r is not None and not free(r):
                continue
            site = problem.site_of_room(r) if r else tr.home_site
            if near and not book.travel_clear(near, a, b, site):
                continue
            key = (site if r else None, o.languages - tr.languages)
            if key not in interps_at:
                interps_at[key] = _interpreters(problem, book, i, k, t, r)
            yield t, r, interps_at[key]


def what_blocks(problem: PlanningProblem, book: Bookings, i: int, k: int) -> tuple[str, object]:
    """What keeps session i from its start k given the bookings, the first of `_fit`'s checks
    that fails: ("participants", None), ("staffing", team), ("room", None), ("trainer", None),
    ("interpreter", None), or ("fits", None) when it would fit. Why a session was left out, in
    the coordinator's words (`solve/reasons.py`)."""
    s, o = problem.sessions[i], problem.options[i]
    c = o.candidates[k]
    a, b = c.start, c.end
    if not book.people_ok(s.cohort.participants, a, b):
        return "participants", None
    for team, n in s.cohort.team_counts:
        if not book.staffing_ok(((team, n),), a, b):
            return "staffing", team
    free = room_check(o, book, k, a, b)
    if o.needs_room and not any(free(r) for r in o.rooms):
        return "room", None
    taught = False
    for _t, _r, interps in _taught(problem, book, i, k, [t for t, ok in o.trainers.items() if ok.row[k]], free):
        if interps is not None:
            return "fits", None
        taught = True
    return ("interpreter", None) if taught else ("trainer", None)


def room_check(o, book: Bookings, k: int, a: int, b: int) -> Callable[[str], bool]:
    """Whether a room of the session (options `o`) may be used at its start k, [a, b): free
    then and fitting. Asked lazily, each room once: at national size a session may have
    hundreds of rooms, and the first free one nearby is the answer."""
    memo: dict[str, bool] = {}

    def free(r: str) -> bool:
        ok = memo.get(r)
        if ok is None:
            ok = memo[r] = bool(o.rooms[r].row[k]) and book.room_ok(r, a, b)
        return ok

    return free


def _interpreters(problem: PlanningProblem, book: Bookings, i: int, k: int, trainer: str, room: str | None):
    sc = problem.scenario
    o = problem.options[i]
    need = {lang for lang in o.languages if lang not in sc.trainers[trainer].languages}
    chosen: list[str] = []
    c = o.candidates[k]
    while need:
        options = []
        for j, ok in o.interpreters.items():
            if not ok.row[k] or j in chosen:
                continue
            covered = need & sc.interpreters[j].languages
            if not covered:
                continue
            site = problem.site_of_room(room) if room else sc.interpreters[j].home_site
            if book.interpreter_ok(j, c.start, c.end, site):
                options.append((-len(covered), sc.travel_minutes(sc.interpreters[j].home_site, site), j, covered))
        if not options:
            return None
        _, _, j, covered = min(options)
        chosen.append(j)
        need -= covered
    return tuple(chosen)
