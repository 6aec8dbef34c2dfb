"""The planning problem: everything the optimizer and the heuristics need, precomputed.

For each cohort session this finds its *candidate starts*: the calendar slots at
which the session could be held if it were the only session in the world. A slot
survives only if it keeps every rule that depends on the session alone:
the calendar and plan windows (rule 2), shift fit (rule 8), daily rest against
the participants' own shifts (rule 9), the team staffing slack for this cohort
alone and its teams' blocked periods (rule 7), and at least one qualified available trainer, one fitting room
and the needed language support (rules 3, 4, 10). The rules that couple sessions
(no double booking, order, weekly limits, staffing sums) are the model's job.

Each candidate also carries its exact participant cost (backfill and overtime
hours at their weights) and, for a cohort's last session, its lateness.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np

from scheduler.domain import BlockedPeriod, Scenario, Team, TeamKey
from scheduler.prepare.cohorts import Cohort, CohortSession, CohortShaper, cohort_sessions, form_cohorts
from scheduler.prepare.shiftfit import shift_fit_rows, team_fit_at
from scheduler.prepare.timeline import Slot, Timeline, covers, merge_intervals

# Answers of `_fitting_slots` kept for a problem and those re-formed from it: enough for the
# cohorts that re-forming tries over and over, and a bounded memory on a national programme.
FIT_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Candidate:
    slot: Slot
    start: int
    end: int
    backfill_minutes: int  # participant-minutes inside own shifts
    overtime_minutes: int  # participant-minutes outside
    late_days: int
    cost: int  # backfill + overtime + lateness at the scenario's weights (rounded)


@dataclass(frozen=True)
class Placement:
    """A placed session: the candidate start chosen for it and who and where holds it.
    Every stage above (search, model, result) speaks of a schedule as these, by session index."""

    session: int  # index into problem.sessions
    candidate: int  # position in problem.options[session].candidates
    trainer: str
    room: str | None
    interpreters: tuple[str, ...]


class Positions(Collection[int]):
    """The candidate positions of one session at which a trainer, room or interpreter is free:
    one byte per candidate (1 free, 0 not), shared by everyone free at the same starts. A
    frozenset of ints per person and session took about 50 bytes per position: at national
    size, with hundreds of rooms per session, most of the memory (planted network XL: 4 GB of
    planning problem). Hot loops read `row[k]` (1 when free) rather than `k in`: a
    Python-level `__contains__` costs about three times a set lookup."""

    __slots__ = ("row", "_count")

    def __init__(self, row: bytes) -> None:
        self.row = row
        self._count = row.count(1)

    def __contains__(self, k: object) -> bool:
        try:  # anything but a position (None, a string) is simply not in
            return k >= 0 and self.row[k] == 1  # type: ignore[operator, call-overload]
        except (IndexError, TypeError):
            return False

    def __iter__(self) -> Iterator[int]:
        return (k for k, free in enumerate(self.row) if free)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"Positions({list(self)})"

    @classmethod
    def of(cls, positions: Iterable[int], count: int) -> Positions:
        """The set of `positions` among `count` candidates."""
        row = bytearray(count)
        for k in positions:
            row[k] = 1
        return cls(bytes(row))


@dataclass
class SessionOptions:
    session: CohortSession
    candidates: list[Candidate] = field(default_factory=list)
    trainers: dict[str, Positions] = field(default_factory=dict)  # trainer -> candidate positions allowed
    rooms: dict[str, Positions] = field(default_factory=dict)
    interpreters: dict[str, Positions] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    needs_room: bool = True
    rejected: Counter = field(default_factory=Counter)  # why slots were ruled out


@dataclass(frozen=True)
class TravelGaps:
    """How long a person keeps free between sessions at two different sites.

    Exact mode (`pairs`): after a session at S, a session at S' starts at least travel(S, S')
    later; only the pairs where this can bind are listed. Summed-up mode (`per_site`, when a
    person could go between more than MAX_PAIRS site pairs): after a session at S, a session at
    any other site starts at least the longest such trip from S later — a little stricter than
    the rule, but one constraint per site instead of one per pair."""

    MAX_PAIRS = 40
    pairs: dict
    per_site: dict | None

    @property
    def exact(self) -> bool:
        return self.per_site is None

    def after(self, site: str | None, other: str | None, travel: int) -> int:
        """Minutes to keep free after a session at `site` before one at `other`."""
        if site == other:
            return 0
        if self.per_site is not None:
            return max(travel, self.per_site.get(site, 0))
        return travel


class Baseline(Protocol):
    """What the stages below the solve know of a re-plan against a published baseline
    (`scheduler.solve.replan.Replan`, attached by `prepare_replan` as `PlanningProblem.replan`):
    the frozen placements, where every other baseline session was (`home`: session index ->
    its start, trainer, room and interpreters), the weight of moving one, and that cost."""

    frozen: dict[int, Placement]
    home: dict[int, Any]
    weight: float

    def move_cost(self, placed: dict[int, Placement]) -> float: ...


def _positions(people: tuple[str, ...], free: np.ndarray, cand_slots: np.ndarray,
               every: Positions) -> dict[str, Positions]:
    """Per person (or room) free at some candidate start: the candidate positions at which
    they are free (`free`: people x calendar slots; `cand_slots`: each candidate's slot), in
    the order they first turn up (by position, then as `people` lists them). People free at
    the same starts share one set (at national size these sets are most of the memory)."""
    if not len(cand_slots) or not len(people):
        return {}
    sub = free[:, cand_slots]
    rows = np.flatnonzero(sub.any(axis=1))
    if not len(rows):
        return {}
    first = sub[rows].argmax(axis=1)
    full = np.asarray(sub.all(axis=1), dtype=bool)
    sets: dict[bytes, Positions] = {}
    out: dict[str, Positions] = {}
    for n in rows[np.lexsort((rows, first))]:
        if full[n]:
            out[people[n]] = every
            continue
        key = (sub[n] != 0).astype(np.uint8).tobytes()
        hit = sets.get(key)
        if hit is None:
            hit = sets[key] = Positions(key)
        out[people[n]] = hit
    return out


def _ring_by_ring(rings: list[list[str]], by_site: dict[str, list[str]], scenario: Scenario) -> Iterator[str]:
    """The rooms of each ring of sites in turn; within a ring the smallest first (then by id)."""
    for ring in rings:
        if len(ring) == 1:
            yield from by_site.get(ring[0], ())
        else:
            yield from sorted((r for site in ring for r in by_site.get(site, ())),
                              key=lambda r: (scenario.rooms[r].capacity, r))


def _rooms_by_site(scenario: Scenario) -> dict[str, list]:
    """Each site's rooms as (position in the scenario's list, room)."""
    out: dict[str, list] = defaultdict(list)
    for n, r in enumerate(scenario.rooms.values()):
        out[r.site].append((n, r))
    return dict(out)


class PlanningProblem:
    """A scenario with its timeline, cohorts, sessions and their candidate starts."""

    replan: Baseline | None = None  # set by a re-plan (scheduler/solve/replan.py)
    # Costs beyond the spec's, brought by a client of the engine (benchmarks/itc2007_adapter):
    # factories `problem -> term`, each with `add_delta(pl)` and `change(pl, sign)`; the
    # search's ledger counts them with the spec's terms (search/ledger.py, ObjectiveTerm).
    objective_terms: tuple[Callable[[PlanningProblem], Any], ...] = ()

    def __init__(self, scenario: Scenario, timeline: Timeline | None = None, cohorts: list[Cohort] | None = None,
                 *, unassigned: list | None = None, reuse: PlanningProblem | None = None):
        """`reuse`: a problem of the same scenario whose cohorts were formed otherwise (the
        search re-forms some): the options of every unchanged cohort are taken from it, and
        its per-team and per-person caches are shared."""
        self.scenario = scenario
        if reuse is not None:
            self.objective_terms = reuse.objective_terms
        self.timeline: Timeline = timeline or (reuse.timeline if reuse is not None else Timeline(scenario))
        self._team_cache: dict = reuse._team_cache if reuse is not None else {}
        self._pads_cache: dict = reuse._pads_cache if reuse is not None else {}
        self._longest_cache: dict = reuse._longest_cache if reuse is not None else {}
        # The cohort shaper's slot masks serve every later re-forming of cohorts (search/cohort_moves).
        self.shaper: CohortShaper = (reuse.shaper if reuse is not None
                                     else CohortShaper(scenario, self.timeline, self._team_cache))
        if cohorts is None:
            cohorts, self.unassigned = form_cohorts(scenario, self.timeline, shaper=self.shaper)
        else:
            self.unassigned = list(unassigned or [])
        self.cohorts = cohorts
        self.cohort_by_id = {c.id: c for c in self.cohorts}
        if len(self.cohort_by_id) != len(self.cohorts):
            raise ValueError("two cohorts share an id")  # their sessions would merge: a bug upstream
        self.sessions: list[CohortSession] = cohort_sessions(scenario, self.cohorts)
        self.session_index = {s.key: i for i, s in enumerate(self.sessions)}
        self.by_cohort: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sessions):
            self.by_cohort[s.key.cohort].append(i)
        self.rest_minutes = int(round(scenario.calendar.daily_rest_hours * 60))
        self._team_instances: dict = reuse._team_instances if reuse is not None else {
            k: [(s.start, s.end) for s in v] for k, v in self.timeline.shift_instances.items()}
        self.availability: dict
        self.interp_availability: dict
        self.room_blocked: dict
        if reuse is not None:  # the people and rooms are the same: only the cohorts differ
            self.availability, self.interp_availability = reuse.availability, reuse.interp_availability
            self.room_blocked = reuse.room_blocked
        else:
            self.availability = {p.id: self.timeline.availability(p) for p in scenario.trainers.values()}
            self.interp_availability = {p.id: self.timeline.availability(p) for p in scenario.interpreters.values()}
            self.room_blocked = {r.id: merge_intervals([self.timeline.period(p) for p in r.unavailable])
                                 for r in scenario.rooms.values()}
        self._free_cache: dict = reuse._free_cache if reuse is not None else {}
        self._fit_cache: dict = reuse._fit_cache if reuse is not None else {}
        self._times_cache: dict = {}
        self._sites_cache: dict = {}
        self._who_cache: dict = reuse._who_cache if reuse is not None else {}
        # (module, sites of a workplace module, cohort size) -> fitting rooms: the same few
        # answers for thousands of cohorts; rooms by site for the workplace modules.
        self._rooms_cache: dict = reuse._rooms_cache if reuse is not None else {}
        self._rooms_at: dict[str, list] = reuse._rooms_at if reuse is not None else _rooms_by_site(scenario)
        # id(a session's room map) -> {home site: its rooms, nearest first}: per problem, whose
        # options keep those maps alive (see room_order)
        self._room_order: dict[int, tuple[dict, tuple[dict, frozenset]]] = {}
        # id(a session's trainer map) -> (that map, its trainers cheapest first, then by id)
        self._trainer_order: dict[int, tuple[dict, list[str]]] = {}
        # room ids -> (their rooms by site, smallest first; the sites), for every problem of the lineage
        self._room_sites: dict = reuse._room_sites if reuse is not None else {}
        # (sites, home) -> the sites in rings of equal travel from home, nearest first
        self._site_rings: dict = reuse._site_rings if reuse is not None else {}
        # (track, person, plans) -> the start slots of each session a cohort of just them could
        # use: the search's member moves ask it often, and it depends on neither cohort nor schedule.
        self.alone_starts: dict = reuse.alone_starts if reuse is not None else {}
        self._slot_minutes = [sl.minute for sl in self.timeline.slots]
        self._slot_array = np.asarray(self._slot_minutes, dtype=np.int64)
        self._slots_in_order = all(x <= y for x, y in zip(self._slot_minutes, self._slot_minutes[1:]))
        self.options: list[SessionOptions] = []
        same_as: dict[tuple[str, str], SessionOptions] = {}  # a module's sessions share their starts
        for s in self.sessions:
            last = s.position == len(self.by_cohort[s.key.cohort]) - 1
            key = (s.key.cohort, s.module_id)
            old = reuse.session_index.get(s.key) if reuse is not None else None
            if reuse is not None and old is not None and reuse.sessions[old].cohort == s.cohort:
                t = reuse.options[old]
                self.options.append(SessionOptions(s, t.candidates, t.trainers, t.rooms, t.interpreters, t.languages,
                                                   t.needs_room, t.rejected))
                continue
            if not last and key in same_as:
                t = same_as[key]
                self.options.append(SessionOptions(s, t.candidates, t.trainers, t.rooms, t.interpreters, t.languages,
                                                   t.needs_room, t.rejected))
                continue
            o = self._options(s)
            if not last:
                same_as[key] = o
            self.options.append(o)

    # The travel gaps are the model's business (rules.py, the conflict search): the search and
    # the bookings keep the travel rule itself, so a programme that never builds a model (the
    # large ones) never pays for them.
    @cached_property
    def trainer_pads(self) -> dict[str, TravelGaps]:
        """Per trainer, the travel gaps between the sites of the sessions they may hold."""
        return self._pads("trainer")

    @cached_property
    def interpreter_pads(self) -> dict[str, TravelGaps]:
        """Per interpreter, the travel gaps between the sites of the sessions they may serve."""
        return self._pads("interpreter")

    def _pads(self, kind: str) -> dict[str, TravelGaps]:
        people = self.scenario.trainers if kind == "trainer" else self.scenario.interpreters
        can: dict[str, list[int]] = defaultdict(list)
        for i, o in enumerate(self.options):
            for who in (o.trainers if kind == "trainer" else o.interpreters):
                can[who].append(i)
        return {who: self.travel_pads(people[who].home_site, v) for who, v in can.items()}

    # -- participants -------------------------------------------------------
    def plans_of(self, cohort: Cohort, pid: str) -> list:
        """The cohort's plans that list this participant (one person may be in several)."""
        plans = self.scenario.action_plans
        return [plans[p] for p in cohort.plans if pid in plans[p].participants]

    def member_groups(self, cohort: Cohort) -> list[tuple[TeamKey, bool, bool, int]]:
        """(team, allow_on_shift, allow_off_shift, members) groups of a cohort; a member in
        several plans gets what all of them allow."""
        cnt: Counter = Counter()
        for pid in cohort.participants:
            plans = self.plans_of(cohort, pid)
            cnt[(self.scenario.participants[pid].team, all(p.allow_on_shift for p in plans),
                 all(p.allow_off_shift for p in plans))] += 1
        return [(t, on, off, n) for (t, on, off), n in sorted(cnt.items())]

    def sites_of(self, i: int, home: str | None) -> frozenset:
        """Where session i may take place for a person living at `home`."""
        o = self.options[i]
        if not o.needs_room:
            return frozenset([home])
        hit = self._sites_cache.get(id(o.rooms))  # sessions sharing a room list share the answer
        if hit is None or hit[0] is not o.rooms:
            hit = self._sites_cache[id(o.rooms)] = (o.rooms, frozenset(self.scenario.rooms[r].site for r in o.rooms))
        return hit[1]

    def travel_pads(self, home: str | None, idxs: list[int]) -> TravelGaps:
        """For a person who may hold sessions `idxs`: the ordered site pairs (S, S') for which
        a session at S' could start, the same day, sooner after a session at S than the travel
        time between them. With start times hours apart there are none (no travel can ever
        bind); only these pairs need a constraint in the model. When a person could go
        between very many sites, the pairs are summed up per site (see `TravelGaps`)."""
        classes: dict[tuple, frozenset] = {}
        for i in idxs:
            key = (self._start_times_of(i), self.sessions[i].duration)
            classes[key] = classes.get(key, frozenset()) | self.sites_of(i, home)
        closest: dict[tuple, int] = {}  # (class, class) -> shortest same-day gap between them
        for (t1s, d1), _ in classes.items():
            for (t2s, d2), _ in classes.items():
                gaps = [t2 - (t1 + d1) for t1 in t1s for t2 in t2s if t2 >= t1 + d1]
                if gaps:
                    closest[(t1s, d1), (t2s, d2)] = min(gaps)
        memo = (home, frozenset(classes.items()))  # the same question again after cohorts moved
        hit = self._pads_cache.get(memo)
        if hit is None:
            hit = self._pads_cache[memo] = self._travel_pads(classes, closest)
        return hit

    def _travel_pads(self, classes: dict, closest: dict) -> TravelGaps:
        sc = self.scenario
        pads: dict[tuple[str, str], int] = {}
        nbrs, default = sc.travel_neighbours, sc.travel_default
        for (k1, k2), gap in closest.items():
            sites1, sites2 = classes[k1], classes[k2]
            if default > gap:
                # Every pair without a travel time of its own binds: when these alone are too
                # many, the summed-up form follows without listing them.
                surely = sum(max(0, len(sites2) - 1 - (None in sites2) - len(nbrs.get(a, ())))
                             for a in sites1 if a is not None)
                if surely > TravelGaps.MAX_PAIRS:
                    return self._travel_per_site(classes, closest)
                for a in sites1:
                    for b in sites2:
                        need = sc.travel_minutes(a, b)
                        if a != b and need > gap:
                            pads[a, b] = need
            else:  # only pairs with a travel time of their own can bind
                for a in sites1:
                    for b, need in nbrs.get(a, {}).items() if a is not None else ():
                        if need > gap and b in sites2:
                            pads[a, b] = need
            if len(pads) > TravelGaps.MAX_PAIRS:
                return self._travel_per_site(classes, closest)
        return TravelGaps(pads, None)

    def _travel_per_site(self, classes: dict, closest: dict) -> TravelGaps:
        """The summed-up form of `travel_pads`: per site, the longest travel to a site that
        could follow it too soon (computed per site, without listing the pairs)."""
        sc = self.scenario
        per_site: dict[str, int] = {}
        longest = self._longest_cache
        for (k1, k2), gap in closest.items():
            others = classes[k2]
            for a in classes[k1]:
                need = longest.get((a, others))
                if need is None:
                    need = longest[a, others] = sc.longest_travel(a, others)
                if need > gap and a is not None:
                    per_site[a] = max(per_site.get(a, 0), need)
        return TravelGaps({}, per_site)

    def _start_times_of(self, i: int) -> frozenset:
        """The clock times (minutes after midnight) at which session i may start; sessions
        sharing a candidate list share the answer."""
        cands = self.options[i].candidates
        hit = self._times_cache.get(id(cands))
        if hit is None:
            hit = frozenset({c.slot.start_time for c in cands})
            hit = frozenset(t.hour * 60 + t.minute for t in hit)
            self._times_cache[id(cands)] = hit
        return hit

    def site_of_room(self, room_id: str) -> str:
        return self.scenario.rooms[room_id].site

    def blocked_team_at(self, cohort: Cohort, a: int, b: int) -> tuple[Team, BlockedPeriod] | None:
        """A team of the cohort and its ``blocked`` period that [a, b) overlaps (rule 7: the
        team releases nobody then), or None; for telling why a start is ruled out."""
        tl = self.timeline
        for key, _ in cohort.team_counts:
            team = self.scenario.teams[key]
            for p in team.blocked:
                lo, hi = tl.period(p)
                if lo < b and a < hi:
                    return team, p
        return None

    # -- candidates ---------------------------------------------------------
    def _team_fit(self, team: TeamKey, a: int, b: int):
        """(minutes on shift, lies inside one shift, daily rest kept) for a team member."""
        key = (self.timeline.rota_of[team], a, b)  # the same answer for every team on the rota
        hit = self._team_cache.get(key)
        if hit is None:
            hit = team_fit_at(self.timeline.shift_union[team], self._team_instances[team], self.rest_minutes, a, b)
            self._team_cache[key] = hit
        return hit

    def language_slots(self, language: str, duration: int, trainers: tuple[str, ...]) -> int:
        """Bit k set when someone could speak `language` in a session of this length starting
        at slot k: an interpreter of it, or one of `trainers` who speaks it, is available then
        (rule 10 for a participant alone; bookings aside)."""
        sc = self.scenario
        speakers = tuple(sorted([("interpreter", i.id) for i in sc.interpreters.values() if language in i.languages]
                                + [("trainer", t) for t in trainers if language in sc.trainers[t].languages]))
        key = ("language", speakers, duration)
        hit = self._who_cache.get(key)
        if hit is None:
            frees = [self._free_slots(kind, pid, duration) for kind, pid in speakers]
            hit = sum(1 << k for k in range(len(self.timeline.slots)) if any(free[k] for free in frees))
            self._who_cache[key] = hit
        return hit

    def _free_slots(self, kind: str, person: str, duration: int) -> bytearray:
        """Per slot: 1 when the trainer/interpreter is available for a session of this length
        starting there (computed once per person and length)."""
        key = (kind, person, duration)
        free = self._free_cache.get(key)
        if free is None:
            avail = (self.availability if kind == "trainer" else self.interp_availability)[person]
            free = bytearray(covers(avail, sl.minute, sl.minute + duration) for sl in self.timeline.slots)
            self._free_cache[key] = free
        return free

    def _who_is_free(self, kind: str, people: tuple[str, ...], duration: int) -> list[tuple[str, ...]]:
        """Per slot, which of `people` are available for a session of this length starting
        there; shared by every session asking about the same people and length."""
        key = (kind, people, duration)
        hit = self._who_cache.get(key)
        if hit is None:
            frees = [(pid, self._free_slots(kind, pid, duration)) for pid in people]
            equal: dict[tuple, tuple] = {}  # equal answers are one object (see _by_answer)
            hit = [equal.setdefault(t, t) for t in (tuple(pid for pid, free in frees if free[k])
                                                    for k in range(len(self.timeline.slots)))]
            self._who_cache[key] = hit
        return hit

    def _free_matrix(self, kind: str, people: tuple[str, ...], duration: int) -> np.ndarray:
        """People x calendar slots: True where the trainer/interpreter is available for a
        session of this length starting there."""
        key = ("matrix", kind, people, duration)
        hit = self._who_cache.get(key)
        if hit is None:
            n = len(self.timeline.slots)
            hit = np.zeros((len(people), n), dtype=bool)
            for row, pid in enumerate(people):
                hit[row] = np.frombuffer(bytes(self._free_slots(kind, pid, duration)), dtype=np.uint8).astype(bool)
            self._who_cache[key] = hit
        return hit

    def _rooms_matrix(self, rooms: tuple[str, ...], duration: int) -> np.ndarray:
        """Rooms x calendar slots: True where the room is not closed for a session of this
        length starting there. Made for each session anew (a room list of a national
        programme's module held anywhere has hundreds of rooms, one list per cohort size):
        only the rows of rooms with closures are kept, per room and length."""
        out = np.ones((len(rooms), len(self.timeline.slots)), dtype=bool)
        for row, r in enumerate(rooms):
            if self.room_blocked[r]:
                out[row] = self._room_open(r, duration)
        return out

    def _room_open(self, room: str, duration: int) -> np.ndarray:
        """Per calendar slot: the room is not closed for a session of this length starting there."""
        key = ("room-open", room, duration)
        hit = self._who_cache.get(key)
        if hit is None:
            hit = np.ones(len(self.timeline.slots), dtype=bool)
            starts = np.asarray(self._slot_minutes, dtype=np.int64)
            for x, y in self.room_blocked[room]:  # a start overlapping a closure is out
                hit &= ~((starts < y) & (starts + duration > x))
            self._who_cache[key] = hit
        return hit

    def _options(self, s: CohortSession) -> SessionOptions:
        sc, tl = self.scenario, self.timeline
        cohort, module = s.cohort, sc.modules[s.module_id]
        opts = SessionOptions(session=s, languages=cohort.languages, needs_room=module.location != "remote")
        plans = [sc.action_plans[p] for p in cohort.plans]
        earliest = tl.day_start(max(p.earliest for p in plans))
        deadline = tl.day_end(min(p.deadline for p in plans))
        target = min(p.target for p in plans)
        is_last = s.position == len(self.by_cohort[cohort.id]) - 1
        groups = self.member_groups(cohort)
        w = sc.weights
        qualified = [t for t in sc.trainers.values() if module.qualification in t.qualifications]
        rooms = self._room_choices(cohort, module) if opts.needs_room else []
        if not qualified:
            opts.rejected["no_qualified_trainer"] = len(tl.slots)
            return opts
        if opts.needs_room and not rooms:
            opts.rejected["no_room"] = len(tl.slots)
            return opts
        for lang in sorted(cohort.languages):
            if not any(lang in t.languages for t in qualified) and not any(
                    lang in i.languages for i in sc.interpreters.values()):
                opts.rejected[f"no_language_support:{lang}"] = len(tl.slots)
                return opts
        # Only the slots inside the plans' window are looked at (slots are in time order).
        first, last = 0, len(tl.slots)
        if self._slots_in_order:
            first = bisect.bisect_left(self._slot_minutes, earliest)
            last = bisect.bisect_right(self._slot_minutes, deadline - s.duration)
            opts.rejected["plan_window"] += len(tl.slots) - max(0, last - first)
        interpreters = [i for i in sc.interpreters.values() if i.languages & cohort.languages]
        trainers_at = self._who_is_free("trainer", tuple(t.id for t in qualified), s.duration)
        interps_at = self._who_is_free("interpreter", tuple(i.id for i in interpreters), s.duration)
        room_free = self._rooms_matrix(tuple(rooms), s.duration) if opts.needs_room else None
        some_room = np.asarray(room_free.any(axis=0), dtype=bool) if room_free is not None else None
        fitting, refused = self._fitting_slots(groups, first, last, earliest, deadline, s.duration)
        for reason, n in refused:
            opts.rejected[reason] += n
        slots = tl.slots
        spoken: dict[tuple[int, int], bool] = {}  # (who teaches, who interprets) -> every language served
        for k, backfill, overtime in zip(*(column.tolist() for column in fitting)):
            slot = slots[k]
            a = slot.minute
            b = a + s.duration
            trainers = trainers_at[slot.index]
            if not trainers:
                opts.rejected["trainer_unavailable"] += 1
                continue
            if some_room is not None and not some_room[slot.index]:
                opts.rejected["room_unavailable"] += 1
                continue
            if cohort.languages:
                interp = interps_at[slot.index]
                key = (id(trainers), id(interp))  # equal answers of `_who_is_free` are one object
                served = spoken.get(key)
                if served is None:
                    served = spoken[key] = all(any(lang in sc.trainers[t].languages for t in trainers)
                                               or any(lang in sc.interpreters[i].languages for i in interp)
                                               for lang in cohort.languages)
                if not served:
                    opts.rejected["no_interpreter"] += 1
                    continue
            late = max(0, (slot.day - target).days) if is_last else 0
            cost = round((backfill * w["backfill_per_hour"] + overtime * w["overtime_per_hour"]) / 60
                         + late * w["late_per_day"])
            opts.candidates.append(Candidate(slot, a, b, backfill, overtime, late, cost))
        # Who is free at which candidate start: a matrix per (people, length), one row each.
        cand_slots = np.fromiter((c.slot.index for c in opts.candidates), dtype=np.int64, count=len(opts.candidates))
        every = Positions(b"\x01" * len(opts.candidates))
        trainer_ids, interp_ids = tuple(t.id for t in qualified), tuple(i.id for i in interpreters)
        opts.trainers = _positions(trainer_ids, self._free_matrix("trainer", trainer_ids, s.duration), cand_slots,
                                   every)
        opts.interpreters = _positions(interp_ids, self._free_matrix("interpreter", interp_ids, s.duration),
                                       cand_slots, every)
        if room_free is not None:
            opts.rooms = _positions(tuple(rooms), room_free, cand_slots, every)
        return opts

    def _fitting_slots(self, groups: list, first: int, last: int, earliest: int, deadline: int, duration: int
                       ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[tuple[str, int], ...]]:
        """The slots (by position) in [first, last) where a cohort of these member groups may
        hold a session of this length inside its plans' window (rules 2 and 7-9), and their
        backfill and overtime participant-minutes (three arrays, shared: not to be changed);
        and how many were refused for each reason.
        The answer depends on the groups, not on who they are: a track's modules of one length
        and every cohort of the same teams and plans' window share it (re-forming cohorts asks
        again and again), so it is kept, for the most recent questions, across the lineage."""
        key = (tuple(groups), first, last, earliest, deadline, duration)
        hit = self._fit_cache.get(key)
        if hit is not None:
            return hit
        last = max(first, last)
        starts = self._slot_array[first:last]
        alive = (starts >= earliest) & (starts + duration <= deadline)
        outside = int(len(alive) - alive.sum())
        fits, backfill, overtime, refused = shift_fit_rows(
            groups, lambda team: self._team_rows(team, duration, first, last), self.scenario.teams, duration, alive)
        if outside:
            refused = Counter({"plan_window": outside, **refused})
        at = np.flatnonzero(fits)
        # kept as arrays: a national programme's answers hold thousands of starts each
        hit = ((at + first, backfill[at], overtime[at]), tuple(refused.items()))
        while len(self._fit_cache) >= FIT_CACHE_SIZE:  # the oldest questions go first
            del self._fit_cache[next(iter(self._fit_cache))]
        self._fit_cache[key] = hit
        return hit

    def _team_rows(self, team: TeamKey, duration: int, first: int, last: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """For a member of the team in a session of this length starting at each slot of
        [first, last): minutes on shift, lies inside one shift, daily rest kept, and (None for
        a team without ``blocked`` periods) the team releases nobody then. Kept per rota and
        length for every slot of the calendar (teams on one rota share all but the blocks)."""
        key = ("team-rows", self.timeline.rota_of[team], duration)
        rows = self._who_cache.get(key)
        if rows is None:
            fits = [self._team_fit(team, a, a + duration) for a in self._slot_minutes]
            rows = self._who_cache[key] = (np.fromiter((f[0] for f in fits), dtype=np.int64, count=len(fits)),
                                           np.fromiter((f[1] for f in fits), dtype=bool, count=len(fits)),
                                           np.fromiter((f[2] for f in fits), dtype=bool, count=len(fits)))
        blocked = self.timeline.team_blocked.get(team)
        out = None
        if blocked:
            starts = self._slot_array[first:last]
            out = np.zeros(len(starts), dtype=bool)
            for x, y in blocked:  # a start whose session overlaps a block is out
                out |= (starts < y) & (starts + duration > x)
        return rows[0][first:last], rows[1][first:last], rows[2][first:last], out

    def _room_choices(self, cohort: Cohort, module) -> list[str]:
        sc = self.scenario
        sites = (tuple(sorted({sc.workplaces[w].site for w in cohort.workplaces}))
                 if module.location == "workplace" else None)
        key = (module.id, sites, cohort.size)
        hit = self._rooms_cache.get(key)
        if hit is None:
            if sites is None:
                rooms = list(sc.rooms.values())
            else:  # in the scenario's order, as everywhere else
                rooms = [r for _, r in sorted(x for site in sites for x in self._rooms_at.get(site, ()))]
            hit = self._rooms_cache[key] = [r.id for r in rooms
                                            if r.capacity >= cohort.size and module.room_features <= r.features]
        return list(hit)

    def trainers_by_cost(self, i: int) -> list[str]:
        """Session i's qualified trainers, cheapest first (then by id): the order the
        constructive schedule tries them in. Per trainer map, which many sessions share."""
        trainers = self.options[i].trainers
        entry = self._trainer_order.get(id(trainers))
        if entry is None or entry[0] is not trainers:
            sc = self.scenario
            order = sorted(trainers, key=lambda t: (sc.trainers[t].cost_per_hour, t))
            entry = self._trainer_order[id(trainers)] = (trainers, order)
        return entry[1]

    def room_order(self, i: int, home: str | None) -> Iterable[str]:
        """Session i's rooms, nearest to `home` first, then the smallest (then by id): the
        order a trainer living at `home` tries them in. Lazily, ring by ring of equally
        distant sites: the first free room is usually near, and a module held anywhere has
        hundreds of rooms at national size."""
        rooms = self.options[i].rooms
        entry = self._room_order.get(id(rooms))
        if entry is None or entry[0] is not rooms:
            key = tuple(rooms)  # sessions with the same rooms share their grouping by site
            shared = self._room_sites.get(key)
            if shared is None:
                sc = self.scenario
                by_site: dict[str, list[str]] = defaultdict(list)
                for r in rooms:
                    by_site[self.site_of_room(r)].append(r)
                for v in by_site.values():
                    v.sort(key=lambda r: (sc.rooms[r].capacity, r))
                shared = self._room_sites[key] = (dict(by_site), frozenset(by_site))
            entry = self._room_order[id(rooms)] = (rooms, shared)
        by_site, sites = entry[1]
        if len(by_site) == 1:
            return next(iter(by_site.values()))
        rings = self._site_rings.get((sites, home))
        if rings is None:
            groups: dict[float, list[str]] = defaultdict(list)
            for site in sites:
                groups[self.scenario.travel_minutes(home, site)].append(site)
            rings = self._site_rings[(sites, home)] = [sorted(groups[t]) for t in sorted(groups)]
        return _ring_by_ring(rings, by_site, self.scenario)
