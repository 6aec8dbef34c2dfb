"""The search's entry points for the solve: cohorts that can be scheduled, then ruin and recreate.

`schedulable_cohorts` re-forms the cohorts that cannot be scheduled even alone
(`cohort_moves.py`); `improve` runs the ruin-and-recreate search (`ruin_recreate.py`)
from a first schedule until the deadline, a cancel, or until it has stopped finding
anything better for a long while on a small programme (the CP-SAT model then proves or
polishes what is left).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from ..construct import Placement
from ..problem import PlanningProblem
from .cohort_moves import reform, unplaceable
from .ruin_recreate import RuinRecreate

log = logging.getLogger("modulplan.search")


def schedulable_cohorts(problem: PlanningProblem, deadline: float | None = None) -> PlanningProblem:
    """The problem with every cohort that cannot be scheduled even alone formed again with
    its pool (when some split can); unchanged when all can, or in a re-plan (the baseline's
    cohorts stay)."""
    if getattr(problem, "replan", None) is not None:
        return problem
    bad = unplaceable(problem)
    if not bad or (deadline is not None and time.monotonic() > deadline):
        return problem
    better = reform(problem, bad)
    if better is None:
        return problem
    log.info("cohorts formed again so that each can be scheduled: %s", ", ".join(bad))
    return better


def improve(problem: PlanningProblem, placed: dict[int, Placement], *, deadline: float, seed: int = 0,
            cancel: threading.Event | None = None, patience: int | None = None,
            on_step: Callable[[dict[int, Placement], float], None] | None = None) -> tuple[dict[int, Placement], dict]:
    """Ruin and recreate from `placed` until `deadline` (time.monotonic()), a cancel, or
    `patience` steps without a better schedule. Returns the best schedule and statistics."""
    rr = RuinRecreate(problem, placed, seed=seed)
    best = rr.run(deadline, cancel=cancel, on_improve=on_step, patience=patience)
    return best, rr.stats.as_dict()
