"""The validator's own parsed entities: people, action plans, cohorts, shifts, sessions.

They are built by :mod:`scheduler.validate.reading` from the raw dicts and shared by every
check; they are deliberately not the solver's domain objects.  A session whose start and end
can be read is a :class:`TimedSession` (its instants are then always known).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: a team as (workplace id, team id): team ids are unique only within a workplace
TeamKey = tuple[str, str]


@dataclass(frozen=True)
class Person:
    """A participant of one or more action plans (counted participants get generated ids)."""

    id: str
    team: TeamKey | None = None  # (workplace id, team id) of the first listing
    languages: set[str] = field(default_factory=set)
    plans: list[str] = field(default_factory=list)  # ids of the plans that list them


@dataclass(frozen=True)
class Plan:
    """An action plan: who of which workplace takes which track, and in which period."""

    id: str
    workplace: str | None
    track: str | None
    earliest: date
    deadline: date
    target: date
    allow_on_shift: bool
    allow_off_shift: bool
    members: list[str]  # unique participant ids in listing order


@dataclass(frozen=True)
class Cohort:
    """A cohort of the schedule, with the plans and workplaces its members come from."""

    id: str
    pos: int
    raw: dict[str, Any]
    track_id: str | None
    track: dict[str, Any] | None
    members: list[str]  # unique ids, listing order
    duplicates: list[str]  # ids listed more than once
    plans: list[str] = field(default_factory=list)  # plans (of this track) of its members
    workplaces: set[str] = field(default_factory=set)  # workplaces of those plans


@dataclass(frozen=True)
class Shift:
    """One shift instance of a team: real start and end instants, its type and start date."""

    start: float
    end: float
    type: str
    date: date


@dataclass(frozen=True, eq=False)
class Session:
    """A session entry of the schedule, whether or not its times can be read."""

    pos: int
    id: str
    raw: dict[str, Any]
    cohort_id: str | None
    module_id: str | None
    index: int | None
    trainer: Any = None  # as written: normally a trainer id, but may be anything
    room: str | None = None
    interpreters: list[str] = field(default_factory=list)
    cohort: Cohort | None = None
    module: dict[str, Any] | None = None  # the scenario module, if it exists at all
    key_valid: bool = False  # cohort exists, module in its track, index in range

    @property
    def timed(self) -> bool:
        """True for a :class:`TimedSession` (start and end could be read)."""
        return False

    @property
    def members(self) -> list[str]:
        return self.cohort.members if self.cohort is not None else []

    @property
    def location(self) -> str | None:
        if self.module is None:
            return None
        location: str = self.module.get("location") or "any"
        return location

    @property
    def key(self) -> tuple[str | None, str | None, int | None]:
        return (self.cohort_id, self.module_id, self.index)


@dataclass(frozen=True, eq=False, kw_only=True)
class TimedSession(Session):
    """A session whose start and end were read and whose end is after its start."""

    a: float  # start, epoch seconds
    b: float  # end
    local: datetime  # local start
    ldate: date  # local start date

    @property
    def timed(self) -> bool:
        return True
