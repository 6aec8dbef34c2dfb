"""Rule 1, completeness: every session is scheduled once or reported unscheduled.

"Once" is built into the variables (`ModelBuilder`: one start chosen exactly when the session
is present); "every participant in one cohort or unassigned with a reason" is settled before
the model, when cohorts are formed (`scheduler.prepare.cohorts.form_cohorts`). What this
module adds is the part that couples sessions: a track is taken in order, so a session whose
predecessor is not scheduled is not scheduled either.
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, only_if


def completeness_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 1: every session is scheduled once or reported unscheduled. A session
    whose predecessor in the track is not scheduled cannot be scheduled either
    (a cohort does not take module 3 without module 2). With `enforce`, only while it is true."""
    for idxs in problem.by_cohort.values():
        if problem.sessions[idxs[0]].key.cohort in mb.fixed_cohorts:
            continue
        for prev, nxt in zip(idxs, idxs[1:]):
            if nxt not in mb.present:
                continue
            if prev not in mb.present:
                only_if(mb.model.add(mb.present[nxt] == 0), enforce)
            else:
                only_if(mb.model.add_implication(mb.present[nxt], mb.present[prev]), enforce)
