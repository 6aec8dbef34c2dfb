"""Cohort repair: single participants moved and swapped between a pool's cohorts until each
could meet, as far as can be seen before scheduling (windows, rooms, staffing, shifts)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from functools import cached_property

from scheduler.domain import ActionPlan, Scenario, TeamKey
from scheduler.prepare.cohort_pools import track_span_days, window_span
from scheduler.prepare.cohort_shaper import CohortShaper
from scheduler.prepare.timeline import Timeline


class GroupRepair:
    """Moves and swaps of single participants between a pool's cohorts until each cohort can
    meet at all, as far as can be seen before scheduling: the common window of its members'
    plans holds the whole track, a module held at the workplace has a room big enough at one
    of the cohort's workplaces, no team has more on-shift-only members in it than its staffing
    slack, and the on-shift members' shifts share start times. The dealing that made the
    groups looks at teams and languages only; in a mixed-workplace pool the members' windows,
    sites and rooms differ, and a cohort that breaks one of these can never be scheduled.
    Among groupings that keep all of them, fewer interpreters needed per cohort (they are
    scarce: `need_of` gives each member's, see `interpreter_needs`; a need weighs more in a
    cohort whose window barely holds the track, `tightness`) and roomier windows are preferred."""

    HARD = 1000.0
    MAX_EVALUATIONS = 4000
    GATHER_TRIES = 8  # places tried per speaker when gathering (a national programme has hundreds of pools)
    TIGHT_DAYS = 30  # days to spare in a cohort's window below which its interpreter needs weigh more

    def __init__(self, shaper, track, members, plans_of, team_of, need_of, gmin: int, gmax: int):
        sc = shaper.sc
        self.shaper, self.sc, self.track = shaper, sc, track
        self.team_of, self.need_of = team_of, need_of
        self.gmin, self.gmax = gmin, gmax
        self.need = track_span_days(sc, track)
        self.window = {}
        self.site = {}
        for pid, plan in members:
            plans = plans_of[pid]
            self.window[pid] = (max(q.earliest for q in plans), min(q.deadline for q in plans))
            self.site[pid] = sc.workplaces[plan.workplace].site
        # per workplace-held module: the largest fitting room per site
        self.room_by_site: list[dict[str, int]] = []
        for mid in track.modules:
            m = sc.modules[mid]
            if m.location != "workplace":
                continue
            best: dict[str, int] = {}
            for r in sc.rooms.values():
                if m.room_features <= r.features:
                    best[r.site] = max(best.get(r.site, 0), r.capacity)
            self.room_by_site.append(best)
        self._span_cache: dict[tuple, int] = {}
        # per member: (team, may train on shift, may train off shift), as the rules judge them
        self.flags = {pid: (team_of[pid], all(q.allow_on_shift for q in plans_of[pid]),
                            all(q.allow_off_shift for q in plans_of[pid])) for pid, _ in members}
        e0 = min(w[0] for w in self.window.values())
        d0 = max(w[1] for w in self.window.values())
        by_duration: dict[int, int] = {}
        for mid in track.modules:
            m = sc.modules[mid]
            by_duration[m.duration_minutes] = max(by_duration.get(m.duration_minutes, 0), m.sessions)
        self.ranges = [(dur, *shaper.slot_range(e0, d0, dur), n) for dur, n in sorted(by_duration.items())]
        spans: dict[TeamKey, tuple] = {}
        for pid, _plan in members:
            t, (e, d) = team_of[pid], self.window[pid]
            old = spans.get(t)
            spans[t] = (e, d) if old is None else (min(old[0], e), max(old[1], d))
        self.team_range = {(t, dur): shaper.slot_range(e, d, dur) for t, (e, d) in spans.items() for dur in by_duration}

    @cached_property
    def taught(self) -> set[str]:
        """The languages the track can be taught in by its own trainers (`_taught_in`)."""
        return _taught_in(self.sc, self.track.id)

    def _span(self, e, d) -> int:
        key = (e, d)
        if key not in self._span_cache:
            self._span_cache[key] = window_span(self.sc, self.track, e, d, self.shaper.open_days)
        return self._span_cache[key]

    def window_mask(self, e, d, duration: int, first: int, last: int) -> int:
        lo, hi = self.shaper.slot_range(e, d, duration)
        lo, hi = max(lo, first), min(hi, last)
        return ((1 << hi) - (1 << lo)) if hi > lo else 0

    def penalty(self, group: list[str]) -> float:
        """How far the cohort is from one that can meet (HARD per unit), plus preferences."""
        if not group:
            return 0.0
        hard = 0.0
        e = max(self.window[p][0] for p in group)
        d = min(self.window[p][1] for p in group)
        span = self._span(e, d)
        if span < self.need:
            hard += 5 + min(self.need, self.need - span)
        size = len(group)
        if self.room_by_site:
            sites = {self.site[p] for p in group}
            for best in self.room_by_site:
                cap = max((best.get(x, 0) for x in sites), default=0)
                if cap < size:
                    hard += 3 + (size - cap)
        # rules 7-9 for every member at once: the start slots the whole cohort could use
        groups = Counter(self.flags[p] for p in group)
        fewest = None
        for duration, first, last, sessions in self.ranges:
            mask = self.window_mask(e, d, duration, first, last)
            for (team, on_ok, off_ok), n in groups.items():
                if not mask:
                    break
                # the team's members' windows: beyond them the mask is 0 anyway
                lo, hi = self.team_range[team, duration]
                mask &= self.shaper.team_mask(team, duration, on_ok, off_ok,
                                              n > self.sc.teams[team].staffing_slack, lo, hi)
            free = mask.bit_count()
            if free < sessions:
                hard += 5 + (sessions - free)
            fewest = free if fewest is None else min(fewest, free)
        return (self.HARD * hard + self.interpreter_needs(group) * (1 + self._tight(span - self.need))
                - 0.01 * min(span - self.need, 30) - 0.01 * min(fewest or 0, 50))

    def interpreter_needs(self, group: list[str]) -> int:
        """How many interpreters the cohort needs at each session (one of the languages the
        track's trainers teach in needs none)."""
        needs = {self.need_of[p] for p in group if self.need_of[p]}
        return len(needs) - (1 if needs and not needs.isdisjoint(self.taught) else 0)

    def tightness(self, group: list[str]) -> float:
        """0 for a cohort whose common window holds the track with TIGHT_DAYS to spare, up to 1
        for one that holds it with none. Why it weighs interpreter needs: each interpreter's
        hours must meet the cohort's at every session, and a track that barely fits its window
        has no sessions to spare for the starts they remove (planted care M 62: the cohort of
        the plans ending 25 October also held a Thai and a Tigrinya speaker whose plans ran to
        January; three interpreters at once met on Tuesday to Friday afternoons only, and its
        last module never fitted. With those two in cohorts of long windows instead, the
        search placed every session)."""
        e = max(self.window[p][0] for p in group)
        d = min(self.window[p][1] for p in group)
        return self._tight(self._span(e, d) - self.need)

    @classmethod
    def _tight(cls, spare_days: int) -> float:
        """`tightness` of a common window with `spare_days` beyond the track's span."""
        return max(0, cls.TIGHT_DAYS - max(0, spare_days)) / cls.TIGHT_DAYS

    @classmethod
    def _no_harder(cls, after: float, before: float) -> bool:
        """Whether a penalty `after` a swap is no further from a cohort that can meet than
        `before` (in whole HARD units: a cohort that could meet still can, one that could not is
        no worse off). Why the second: a cohort of plans whose windows are shorter than the
        track's span with slack counts as one that cannot meet whatever its members, yet it is
        the one whose interpreter needs matter most (planted care M 62)."""
        return round(after / cls.HARD) <= max(0, round(before / cls.HARD))

    def repair(self, groups: list[list[str]]) -> list[list[str]]:
        groups = [list(g) for g in groups]
        pen = [self.penalty(g) for g in groups]
        if max(pen) < self.HARD / 2:  # the preferences move a penalty by less than that
            return self.gather_speakers(groups, pen)
        rng = random.Random(len(groups) * 7919 + sum(len(g) for g in groups))
        evaluations = 0
        improved = True
        while improved and evaluations < self.MAX_EVALUATIONS:
            improved = False
            bad = [j for j in range(len(groups)) if pen[j] >= self.HARD / 2]
            if not bad:
                break
            rng.shuffle(bad)
            for a in bad:
                best = None  # (gain, kind, x, b, y)
                members = list(groups[a])
                rng.shuffle(members)
                for x in members:
                    for b in range(len(groups)):
                        if b == a:
                            continue
                        # move x from a to b
                        if len(groups[a]) > self.gmin and len(groups[b]) < self.gmax:
                            na = [p for p in groups[a] if p != x]
                            nb = groups[b] + [x]
                            gain = pen[a] + pen[b] - self.penalty(na) - self.penalty(nb)
                            evaluations += 1
                            if gain > 1e-9 and (best is None or gain > best[0]):
                                best = (gain, na, b, nb)
                        # swap x with y of b
                        for y in groups[b]:
                            na = [p for p in groups[a] if p != x] + [y]
                            nb = [p for p in groups[b] if p != y] + [x]
                            gain = pen[a] + pen[b] - self.penalty(na) - self.penalty(nb)
                            evaluations += 1
                            if gain > 1e-9 and (best is None or gain > best[0]):
                                best = (gain, na, b, nb)
                    if best is not None and best[0] >= self.HARD / 2:
                        break  # a hard fault mended: take it (first improvement keeps it fast)
                    if evaluations >= self.MAX_EVALUATIONS:
                        break
                if best is not None:
                    _gain, na, b, nb = best
                    groups[a], groups[b] = na, nb
                    pen[a], pen[b] = self.penalty(na), self.penalty(nb)
                    improved = True
                if evaluations >= self.MAX_EVALUATIONS:
                    break
        return self.gather_speakers(groups, pen) if max(pen) < self.HARD / 2 else groups

    def gather_speakers(self, groups: list[list[str]], pen: list[float]) -> list[list[str]]:
        """Members who need the same interpreters brought into as few of the pool's cohorts as
        the rules let (every cohort with one of them needs an interpreter at each of its
        sessions, and interpreters are few): each is swapped with a member of the cohort with
        most of them (of those, the one with most days to spare) when both cohorts can still
        meet, their penalty drops and neither takes on a need it did not have (a cohort that
        needs three interpreters at once is harder to place than two that need one each);
        then needs leave the cohorts whose windows barely hold the track (`ease_tight`). Why:
        on a planted network programme the dealing left the one interpreter of three languages
        with 11 sessions more than the witness's cohorts give her. Sizes stay: on planted care
        S 6 a speaker moved alone (9 and 8 became 10 and 7) left the smaller cohort one the
        search could not place in 8 s."""
        need = self.need_of
        classes = Counter(need[p] for g in groups for p in g if need[p])
        if len(groups) < 2 or not classes:
            return groups
        groups, pen = [list(g) for g in groups], list(pen)
        evaluations = 0
        for cls, _n in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
            if sum(any(need[p] == cls for p in g) for g in groups) < 2:
                continue  # together already
            # of the cohorts with most of them, the one with most days to spare
            home = max(range(len(groups)), key=lambda j: (sum(need[p] == cls for p in groups[j]),
                                                          -self.tightness(groups[j]), -j))
            for j in range(len(groups)):
                if j == home:
                    continue
                for x in [p for p in groups[j] if need[p] == cls]:
                    if evaluations >= self.MAX_EVALUATIONS:
                        return groups
                    # swapped (the sizes stay): a member of the same team first (the teams'
                    # shares stay too), one who needs no interpreter first
                    options = sorted((y for y in groups[home] if need[y] != cls),
                                     key=lambda y: (self.team_of[y] != self.team_of[x], bool(need[y]), y))
                    best = None
                    for y in options[:self.GATHER_TRIES]:
                        if need[y] and not any(need[p] == need[y] for p in groups[j]):
                            continue  # no cohort takes on a need it did not have
                        nh = [p for p in groups[home] if p != y] + [x]
                        nj = [p for p in groups[j] if p != x] + [y]
                        ph, pj = self.penalty(nh), self.penalty(nj)
                        evaluations += 1
                        gain = pen[home] + pen[j] - ph - pj
                        if ph < self.HARD / 2 and pj < self.HARD / 2 and gain > 1e-9 and (
                                best is None or gain > best[0]):
                            best = (gain, nh, nj, ph, pj)
                    if best is not None:
                        _gain, groups[home], groups[j], pen[home], pen[j] = best
        return self.ease_tight(groups, pen, self.MAX_EVALUATIONS - evaluations)

    def ease_tight(self, groups: list[list[str]], pen: list[float], budget: int,
                   across: bool = False) -> list[list[str]]:
        """A cohort whose window barely holds the track (`tightness`) swaps a member who alone
        brings an interpreter need into it for a member of another cohort who brings none it
        lacks, when both can still meet and the penalties drop: the need goes where there are
        days to spare (sizes stay; the number of cohorts needing that interpreter stays).
        `across` (the cohorts of several window pools, `eased_across_pools`): not into a cohort
        that the member's own window would make tighter, which moves the trouble instead of
        easing it (the public M-network-seed7: a Tigrinya speaker of a plan of 30 days left one
        tight cohort for another pool's cohort of a window of three months, as tight then).
        Within a pool the windows are alike by construction, and there the same test made
        care M 62 worse (measured, session 33)."""
        need = self.need_of
        for a in sorted(range(len(groups)), key=lambda j: -self.tightness(groups[j])):
            if self.tightness(groups[a]) <= 0:
                break
            for x in [p for p in groups[a] if need[p] and sum(need[q] == need[p] for q in groups[a]) == 1]:
                if x not in groups[a]:
                    continue
                best = None
                there = {need[p] for p in groups[a]}
                for b in range(len(groups)):
                    if b == a:
                        continue
                    options = sorted((y for y in groups[b] if not need[y] or need[y] in there),
                                     key=lambda y: (bool(need[y]), self.team_of[y] != self.team_of[x], y))
                    for y in options[:self.GATHER_TRIES]:
                        if budget <= 0:
                            return groups
                        budget -= 1
                        na = [p for p in groups[a] if p != x] + [y]
                        nb = [p for p in groups[b] if p != y] + [x]
                        if across and self.tightness(nb) > self.tightness(groups[b]) + 1e-9:
                            continue  # x's own window would make b tight in turn: the need goes nowhere easier
                        pa, pb = self.penalty(na), self.penalty(nb)
                        gain = pen[a] + pen[b] - pa - pb
                        if (self._no_harder(pa, pen[a]) and self._no_harder(pb, pen[b]) and gain > 1e-9
                                and (best is None or gain > best[0])):
                            best = (gain, b, na, nb, pa, pb)
                if best is not None:
                    _gain, b, groups[a], groups[b], pen[a], pen[b] = best
        return groups


def repair_groups(scenario: Scenario, timeline: Timeline, track_id: str, groups: list[list[str]],
                  team_cache: dict | None = None, shaper: CohortShaper | None = None) -> list[list[str]]:
    """`groups` (participants of one track) with members moved and swapped until each group
    could meet as far as can be seen before scheduling (`GroupRepair`); sizes stay within the
    track's group sizes."""
    shaper = shaper or CohortShaper(scenario, timeline, team_cache)
    return _repair_of(scenario, shaper, track_id, groups).repair(groups)


def gathered(scenario: Scenario, shaper: CohortShaper, track_id: str, groups: list[list[str]]) -> list[list[str]]:
    """`groups` with the members who need the same interpreters brought together where the
    rules let (`GroupRepair.gather_speakers`); the groups themselves when at most one of them
    needs an interpreter. For the splits that are not dealt by the repair (the search's cohort
    moves form cohorts by starts, crews and windows too)."""
    if sum(any(scenario.participants[p].language for p in g) for g in groups) < 2:
        return groups  # (asked first: a national programme offers thousands of splits)
    rep = _repair_of(scenario, shaper, track_id, groups)
    return rep.gather_speakers(groups, [rep.penalty(g) for g in groups])


def eased_across_pools(scenario: Scenario, shaper: CohortShaper, track_id: str,
                       groups: list[list[str]]) -> list[list[str]]:
    """`groups` (all cohorts of a mixed-workplace track, of every window pool) with
    `GroupRepair.ease_tight` run over them all: a cohort whose window barely holds the track
    swaps a member who alone brings it an interpreter need for a member of another pool's
    cohort who brings none it lacks, where both can still meet. Why: the window pools
    (`cohort_pools.window_pools`) put a plan whose window is too short for any pool's into
    the pool it shrinks least, and the easing within that pool may find no cohort to swap
    with (planted care M 62: the pool of one cohort that held the plans ending 25 October
    with a Polish and a Thai speaker whose plans ran to December and November; with the
    Persian speaker who had to stay, three interpreters at every session)."""
    if len(groups) < 2 or not any(scenario.participants[p].language for g in groups for p in g):
        return groups  # (asked first: a national programme has thousands of cohorts)
    rep = _repair_of(scenario, shaper, track_id, groups)
    groups = [list(g) for g in groups]
    return rep.ease_tight(groups, [rep.penalty(g) for g in groups], rep.MAX_EVALUATIONS, across=True)


def cannot_meet(scenario: Scenario, shaper: CohortShaper, track_id: str, groups: list[list[str]]) -> list[bool]:
    """For each group of the track's participants: True when it could never meet, as far as
    can be seen before scheduling (`GroupRepair.penalty`'s hard part: the common window holds
    the track, a room big enough, the staffing slack, shared start times)."""
    rep = _repair_of(scenario, shaper, track_id, groups)
    return [rep.penalty(g) >= GroupRepair.HARD / 2 for g in groups]


def _repair_of(scenario: Scenario, shaper: CohortShaper, track_id: str, groups: list[list[str]]) -> GroupRepair:
    track = scenario.tracks[track_id]
    people = {pid for g in groups for pid in g}
    plans_of: dict[str, list[ActionPlan]] = defaultdict(list)
    for plan in scenario.plans_of_track(track_id):
        for pid in plan.participants:
            if pid in people and plan not in plans_of[pid]:
                plans_of[pid].append(plan)
    members = [(pid, plans_of[pid][0]) for g in groups for pid in g]
    team_of = {pid: scenario.participants[pid].team for pid, _ in members}
    need_of = interpreter_needs(scenario, {pid: scenario.participants[pid].language or "" for pid, _ in members},
                                track_id)
    return GroupRepair(shaper, track, members, plans_of, team_of, need_of, track.min_group, track.max_group)


def interpreter_needs(scenario: Scenario, lang_of: dict[str, str], track_id: str) -> dict[str, str]:
    """Per participant, who could interpret for them ("" when nobody needs to): the ids of the
    interpreters who speak their language, or the language when none does. Speakers of
    languages one interpreter covers alike (she speaks Arabic, Bosnian and Thai) need the
    same person, and a cohort that has them all needs her once. But a language that, for
    every module of `track_id`, a qualified trainer speaks is its own need: a cohort of its
    speakers alone can be taught with no interpreter at all, while one that mixes it with
    another of her languages needs her at every session (planted care M 58: the one
    interpreter of Spanish and Somali, Tuesday to Friday 12-21; a nutrition cohort with both
    could not place its 4-hour module, the witness's cohorts with one each could)."""
    languages = set(lang_of.values()) - {""}
    taught_in = _taught_in(scenario, track_id) if languages else set()
    by_language: dict[str, str] = {}
    for lang in languages:
        speakers = sorted(i.id for i in scenario.interpreters.values() if lang in i.languages)
        by_language[lang] = lang if lang in taught_in or not speakers else "+".join(speakers)
    return {pid: by_language.get(lang, "") for pid, lang in lang_of.items()}


def _taught_in(scenario: Scenario, track_id: str) -> set[str]:
    """The languages in which every module of the track has a qualified trainer."""
    out: set[str] | None = None
    for mid in scenario.tracks[track_id].modules:
        q = scenario.modules[mid].qualification
        spoken = {lang for t in scenario.trainers.values() if q in t.qualifications for lang in t.languages}
        out = spoken if out is None else out & spoken
    return out or set()
