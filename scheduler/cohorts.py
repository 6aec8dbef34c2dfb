"""Cohorts: who studies together.

Cohorts are formed BEFORE the optimization, deterministically, from each action
plan (or, with `mix_workplaces`, from all plans of the track). Why before: the
participant-to-cohort choice multiplies the model (every participant times every
cohort times every session) while a few simple principles already give cohorts
that the optimizer can schedule well:

* as few cohorts as the group sizes allow (every extra cohort costs trainer hours),
* but enough that no cohort holds more of a team's members than the team's
  staffing slack, when the plan trains on shift: otherwise the cohort could only
  ever meet while that team is off (or never, if off-shift training is not allowed),
* members who work the same rota together (their sessions must fit inside all of
  their shifts when off-shift training is not allowed),
* participants who need the same language together (one interpreter serves them).

The cohort ids are stable for the same scenario (`C-<plan>-<n>` or `C-<track>-<n>`),
so calendar UIDs stay the same across re-solves.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .domain import ActionPlan, Scenario, TeamKey


@dataclass(frozen=True)
class Cohort:
    id: str
    track: str
    plans: tuple[str, ...]
    workplaces: tuple[str, ...]
    participants: tuple[str, ...]
    team_counts: tuple[tuple[TeamKey, int], ...]  # members per team
    languages: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.participants)


@dataclass(frozen=True)
class SessionKey:
    cohort: str
    module: str
    index: int

    @property
    def label(self) -> str:
        return f"{self.module} #{self.index}"


@dataclass(frozen=True)
class CohortSession:
    """One meeting a cohort must have: module `module`, session `index` of `of`."""

    key: SessionKey
    cohort: Cohort
    module_id: str
    index: int
    of: int
    position: int  # 0-based position in the cohort's whole sequence of sessions
    duration: int


def form_cohorts(scenario: Scenario) -> list[Cohort]:
    cohorts: list[Cohort] = []
    for track in scenario.tracks.values():
        plans = scenario.plans_of_track(track.id)
        if not plans:
            continue
        pools = [plans] if track.mix_workplaces else [[p] for p in plans]
        for pool in pools:
            prefix = f"C-{track.id}" if track.mix_workplaces else f"C-{pool[0].id}"
            cohorts.extend(_split_pool(scenario, track.id, pool, prefix))
    return cohorts


def _members(scenario: Scenario, pool: list[ActionPlan]) -> list[tuple[str, ActionPlan]]:
    seen, out = set(), []
    for plan in pool:
        for pid in plan.participants:
            if pid not in seen:  # one person once per track
                seen.add(pid)
                out.append((pid, plan))
    return out


def _split_pool(scenario: Scenario, track_id: str, pool: list[ActionPlan], prefix: str) -> list[Cohort]:
    track = scenario.tracks[track_id]
    teams = scenario.teams
    members = _members(scenario, pool)
    n = len(members)
    if n == 0:
        return []
    on_shift_only = all(not p.allow_off_shift for p in pool)
    trains_on_shift = any(p.allow_on_shift for p in pool)

    if n < track.min_group:
        k = 1  # the one smaller cohort the rules allow
    else:
        k_min = math.ceil(n / track.max_group)
        k_max = max(1, n // track.min_group)
        k_staff = 1
        if trains_on_shift:
            per_team = Counter(scenario.participants[pid].team for pid, _ in members)
            for key, count in per_team.items():
                slack = max(teams[key].staffing_slack, 1)
                k_staff = max(k_staff, math.ceil(count / slack))
        k = min(max(k_min, k_staff), k_max)
        k = max(k, k_min)

    targets = [n // k + (1 if i < n % k else 0) for i in range(k)]

    def signature(pid: str):
        team = teams[scenario.participants[pid].team]
        return (team.pattern, team.offset_days % len(scenario.shift_patterns[team.pattern].cycle))

    order = sorted(members, key=lambda m: (signature(m[0]), scenario.participants[m[0]].team,
                                           scenario.participants[m[0]].language or "", m[0]))
    groups: list[list[str]] = [[] for _ in range(k)]
    team_count = [Counter() for _ in range(k)]
    sigs = [Counter() for _ in range(k)]
    langs = [Counter() for _ in range(k)]
    for pid, _plan in order:
        p = scenario.participants[pid]
        sig = signature(pid)
        best, best_cost = None, None
        for i in range(k):
            if len(groups[i]) >= targets[i]:
                continue
            cost = 0.0
            if trains_on_shift and team_count[i][p.team] + 1 > teams[p.team].staffing_slack:
                cost += 1000
            if on_shift_only:
                cost += 100 * sum(1 for s in sigs[i] if s != sig)
            if p.language:
                cost += -5 if langs[i][p.language] else (3 if langs[i] else 0)
            cost -= 0.5 * sigs[i][sig]  # keep a rota together
            cost += 0.01 * i
            if best_cost is None or cost < best_cost:
                best, best_cost = i, cost
        groups[best].append(pid)
        team_count[best][p.team] += 1
        sigs[best][sig] += 1
        if p.language:
            langs[best][p.language] += 1

    plan_of = {pid: plan for pid, plan in members}
    out = []
    for i, g in enumerate(groups, start=1):
        ids = tuple(sorted(g))
        plans = tuple(sorted({plan_of[pid].id for pid in ids}))
        wps = tuple(sorted({plan_of[pid].workplace for pid in ids}))
        counts = Counter(scenario.participants[pid].team for pid in ids)
        out.append(Cohort(
            id=f"{prefix}-{i}", track=track_id, plans=plans, workplaces=wps, participants=ids,
            team_counts=tuple(sorted(counts.items())),
            languages=frozenset(scenario.participants[pid].language for pid in ids if scenario.participants[pid].language),
        ))
    return out


def cohort_sessions(scenario: Scenario, cohorts: list[Cohort]) -> list[CohortSession]:
    """Every session every cohort must have, in track order."""
    out = []
    for c in cohorts:
        pos = 0
        for mid in scenario.tracks[c.track].modules:
            m = scenario.modules[mid]
            for idx in range(1, m.sessions + 1):
                out.append(CohortSession(SessionKey(c.id, mid, idx), c, mid, idx, m.sessions, pos, m.duration_minutes))
                pos += 1
    return out
