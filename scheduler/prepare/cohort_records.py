"""What a cohort is, for the rest of the pipeline: a `Cohort` (who studies together, in which
track), the `SessionKey` and `CohortSession` of each meeting it must have, and the
`Unassigned` participants no valid cohort can hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.domain import Scenario, TeamKey


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


@dataclass(frozen=True)
class Unassigned:
    participant: str
    action_plan: str
    reason: str


def cohort_of(scenario: Scenario, cid: str, track: str, ids, plans) -> Cohort:
    """Cohort `cid` of `track` with the participants `ids`: its plans are those of `plans` that
    list one of them, its workplaces theirs (rule 5), its team counts and languages its
    members'."""
    ids_t = tuple(sorted(ids))
    mine = sorted({p for p in plans if any(pid in scenario.action_plans[p].participants for pid in ids_t)})
    counts = Counter(scenario.participants[pid].team for pid in ids_t)
    return Cohort(id=cid, track=track, plans=tuple(mine),
                  workplaces=tuple(sorted({scenario.action_plans[p].workplace for p in mine})), participants=ids_t,
                  team_counts=tuple(sorted(counts.items())),
                  languages=frozenset(lang for pid in ids_t if (lang := scenario.participants[pid].language)))


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


def group_size_breaks(scenario: Scenario, cohorts: Iterable[Cohort], tracks: Iterable[str] | None = None) -> list[str]:
    """Rule 5's group sizes, for the cohorts of `tracks` (default: every track): the ids of
    cohorts that break them. A cohort holds min_group..max_group participants; it may be
    smaller only as the one such cohort of its plans, each of which has fewer than
    min_group participants (with mix_workplaces: the one such cohort of a track that has
    fewer than min_group participants in all). Every move that changes who studies with
    whom keeps this: a small plan's cohort cannot take in a member of a large plan."""
    wanted = None if tracks is None else set(tracks)
    mine = [c for c in cohorts if wanted is None or c.track in wanted]
    small_in_track: Counter[str] = Counter()
    small_in_plan: Counter[str] = Counter()
    for c in mine:
        if c.size < scenario.tracks[c.track].min_group:
            small_in_track[c.track] += 1
            small_in_plan.update(c.plans)
    out = []
    for c in mine:
        track = scenario.tracks[c.track]
        if c.size > track.max_group:
            out.append(c.id)
        elif c.size < track.min_group:
            if track.mix_workplaces:
                total = len({pid for p in scenario.plans_of_track(c.track) for pid in p.participants})
                allowed = total < track.min_group and small_in_track[c.track] == 1
            else:
                allowed = bool(c.plans) and all(
                    len(scenario.action_plans[p].participants) < track.min_group and small_in_plan[p] == 1
                    for p in c.plans)
            if not allowed:
                out.append(c.id)
    return out
