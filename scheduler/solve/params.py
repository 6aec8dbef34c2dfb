"""What a solve is given and what it gives back: its options, its progress reports, its result.

Both ways of solving (the whole model, `whole.py`, and independent parts, `parts.py`) take
`SolveParams`, report `Progress` and return a `SolveResult`; `scheduler.solve` re-exports them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.search.regions import RegionRunner


@dataclass(frozen=True)
class SolveParams:
    """Solver options, with their defaults in one place."""

    time_limit: float = 60.0  # seconds of wall time for the whole solve
    workers: int = 0  # 0: one per core (at most 8)
    random_seed: int = 0
    relative_gap: float = 0.0  # stop when (objective - bound) / objective is below this
    log_search: bool = False  # CP-SAT's own log into logging (logger modulplan.solve)
    split_parts: bool = True  # solve independent parts (no shared person or resource) separately
    # Who solves the independent parts: None = worker processes on this machine; else a
    # callable `runner(part, params, report)` (see `parts.solve_in_parts`), e.g. the service's
    # Celery fan-out (service/jobs/fanout.py). Not compared: it says where, not what is solved.
    part_runner: Callable[..., dict | None] | None = field(default=None, compare=False, repr=False)
    # Who searches the other regions of a connected programme's schedule: None = forked
    # processes on this machine; else a `search.regions.RegionRunner`, e.g. the service's Celery
    # workers (service/jobs/region_search.py). Only a whole solve uses it (not its parts, not a re-plan).
    search_runner: RegionRunner | None = field(default=None, compare=False, repr=False)

    @property
    def num_workers(self) -> int:
        return self.workers or max(1, min(8, os.cpu_count() or 1))


class SolveOutcome(str, Enum):  # noqa: UP042 - not StrEnum: str() and format() of a member stay as they were
    """How good the schedule is known to be: proven optimal, or only feasible."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Progress:
    """One progress report of a running solve (the live line of `modulplan solve`, the job's status)."""

    phase: str  # "prepare" | "construct" | "optimize" | "done"
    elapsed: float
    objective: float | None
    bound: float | None
    sessions_placed: int
    sessions_total: int


@dataclass
class SolveResult:
    """The schedule document with its status, the constructive schedule's objective (the
    starting point), the final objective, the proven lower bound and the solver's figures."""

    schedule: dict
    status: SolveOutcome
    constructive_objective: float
    objective: float
    bound: float | None
    stats: dict = field(default_factory=dict)


ProgressFn = Callable[[Progress], None]
