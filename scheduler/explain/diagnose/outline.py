"""The outline of the planning problem the diagnosis reads: timeline, cohorts (formed as for
the solve), their sessions, people's availability, and per session whether *one* start exists."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict

from scheduler.domain import Scenario, TeamKey
from scheduler.prepare.cohorts import cohort_sessions, form_cohorts
from scheduler.prepare.shiftfit import rest_ok, shift_fit
from scheduler.prepare.timeline import Timeline, covers, merge_intervals, overlap_minutes


class Outline:
    """The part of the planning problem the diagnosis needs: timeline, cohorts (formed exactly as
    for the solve, so the ids agree), their sessions and the people's availability. Instead of
    every candidate start (`PlanningProblem`), it asks per cohort and module only whether *one*
    start exists, stopping at the first: seconds, not minutes, on large programmes."""

    def __init__(self, scenario: Scenario):
        self.scenario = sc = scenario
        self.timeline = tl = Timeline(scenario)
        self.cohorts, self.unassigned = form_cohorts(scenario, tl)
        self.cohort_by_id = {c.id: c for c in self.cohorts}
        self.sessions = cohort_sessions(scenario, self.cohorts)
        self.by_cohort: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sessions):
            self.by_cohort[s.key.cohort].append(i)
        self.rest_minutes = int(round(sc.calendar.daily_rest_hours * 60))
        self.availability = {p.id: tl.availability(p) for p in sc.trainers.values()}
        self.interp_availability = {p.id: tl.availability(p) for p in sc.interpreters.values()}
        self.room_blocked = {r.id: merge_intervals([tl.period(p) for p in r.unavailable]) for r in sc.rooms.values()}
        self._instances = {k: [(x.start, x.end) for x in v] for k, v in tl.shift_instances.items()}
        self._fit: dict = {}
        self._starts: dict = {}

    def member_groups(self, cohort) -> list[tuple]:
        """(team, allow_on_shift, allow_off_shift, members) of a cohort, as the candidates see them
        (a member in several plans gets what all of them allow)."""
        sc = self.scenario
        cnt: Counter[tuple[TeamKey, bool, bool]] = Counter()
        for pid in cohort.participants:
            plans = [sc.action_plans[p] for p in cohort.plans if pid in sc.action_plans[p].participants]
            cnt[(sc.participants[pid].team, all(p.allow_on_shift for p in plans),
                 all(p.allow_off_shift for p in plans))] += 1
        return [(t, on, off, n) for (t, on, off), n in sorted(cnt.items())]

    def _team_fit(self, team, a: int, b: int):
        key = (team, a, b)
        if key not in self._fit:
            union = self.timeline.shift_union.get(team, [])
            inst = self._instances.get(team, [])
            i = bisect.bisect_right(inst, (a, float("inf"))) - 1
            inside = any(inst[j][0] <= a and b <= inst[j][1] for j in range(max(0, i - 1), i + 1))
            self._fit[key] = (overlap_minutes(union, a, b), inside, rest_ok(union, [(a, b)], self.rest_minutes))
        return self._fit[key]

    def rejections(self, i: int) -> Counter | None:
        """None if session i has at least one start at which it could be held on its own (the rules
        of `problem.py`'s candidates); otherwise why each start time is ruled out, counted."""
        s = self.sessions[i]
        key = (s.key.cohort, s.module_id)
        if key not in self._starts:
            self._starts[key] = self._first_start(s)
        return self._starts[key]

    def _first_start(self, s) -> Counter | None:
        sc, tl = self.scenario, self.timeline
        cohort, module = s.cohort, sc.modules[s.module_id]
        why: Counter = Counter()
        plans = [sc.action_plans[p] for p in cohort.plans]
        earliest, deadline = tl.day_start(max(p.earliest for p in plans)), tl.day_end(min(p.deadline for p in plans))
        qualified = [t for t in sc.trainers.values() if module.qualification in t.qualifications]
        needs_room = module.location != "remote"
        sites = {sc.workplaces[w].site for w in cohort.workplaces}
        rooms = [r.id for r in sc.rooms.values() if r.capacity >= cohort.size and module.room_features <= r.features
                 and (module.location != "workplace" or r.site in sites)]
        total = len(tl.slots)
        if not qualified:
            return Counter(no_qualified_trainer=total)
        if needs_room and not rooms:
            return Counter(no_room=total)
        groups = self.member_groups(cohort)
        teams = sc.teams
        for slot in tl.slots:
            a, b = slot.minute, slot.minute + s.duration
            if a < earliest or b > deadline:
                why["plan_window"] += 1
                continue
            reason, _, _ = shift_fit(groups, self._team_fit, teams, a, b, tl.team_blocked)
            if reason:
                why[reason] += 1
                continue
            trainers = [t.id for t in qualified if covers(self.availability[t.id], a, b)]
            if not trainers:
                why["trainer_unavailable"] += 1
                continue
            if needs_room and all(overlap_minutes(self.room_blocked[r], a, b) for r in rooms):
                why["room_unavailable"] += 1
                continue
            interp = [j for j in sc.interpreters.values()
                      if j.languages & cohort.languages and covers(self.interp_availability[j.id], a, b)]
            if any(not any(lang in sc.trainers[t].languages for t in trainers)
                   and not any(lang in j.languages for j in interp) for lang in cohort.languages):
                why["no_interpreter"] += 1
                continue
            return None
        return why
