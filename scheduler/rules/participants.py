"""Rule 5 (its coupling part), participants: no participant is in two sessions at once.

The rest of rule 5 (group sizes, workplaces kept apart without `mix_workplaces`) is settled
when cohorts are formed (`scheduler.prepare.cohorts.form_cohorts`), before the model."""

from __future__ import annotations

from collections import defaultdict

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, gated_intervals


def participant_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 5 (part): no participant is in two sessions at once. Within a cohort the order
    rule already keeps sessions apart; people in several cohorts get a no-overlap over all.
    With `enforce`, only while that literal is true."""
    cohorts_of: dict[str, set[str]] = defaultdict(set)
    for c in problem.cohorts:
        for pid in c.participants:
            cohorts_of[pid].add(c.id)
    for group in {frozenset(v) for v in cohorts_of.values() if len(v) > 1}:
        items = [(i, mb.interval[i]) for c in sorted(group) for i in problem.by_cohort[c] if i in mb.interval]
        if len(items) > 1:
            items, _ = gated_intervals(mb, items, {i: mb.present[i] for i, _ in items}, enforce)
            mb.model.add_no_overlap([iv for _, iv in items])
