"""What a cohort is, for the rest of the pipeline: a `Cohort` (who studies together, in which
track), the `SessionKey` and `CohortSession` of each meeting it must have, and the
`Unassigned` participants no valid cohort can hold."""

from __future__ import annotations

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
