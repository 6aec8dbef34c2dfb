"""The whole CP-SAT model: every hard rule the model enforces and every objective term.

The rules, in the order they are added, each in its own module (the list of all ten rules,
with where each is enforced and checked, is `scheduler.rules.catalogue.CATALOGUE`).
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem, SessionOptions
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.completeness import completeness_rule
from scheduler.rules.languages import language_rule
from scheduler.rules.objective import OBJECTIVE
from scheduler.rules.order import order_rule
from scheduler.rules.participants import participant_rule
from scheduler.rules.rooms import room_rule
from scheduler.rules.staffing import staffing_rule
from scheduler.rules.trainers import trainer_rule

#: The hard-rule functions of the model, in the order `build_model` adds them.
HARD_RULES = [completeness_rule, order_rule, participant_rule, staffing_rule, trainer_rule, room_rule, language_rule]


def build_model(problem: PlanningProblem, options: list[SessionOptions] | None = None,
                pinned: frozenset[int] = frozenset()) -> ModelBuilder:
    """The whole model: every hard rule and every objective term (see `ModelBuilder` for
    `options` and `pinned`)."""
    mb = ModelBuilder(problem, options, pinned)
    for rule in HARD_RULES:
        rule(problem, mb)
    for term in OBJECTIVE:
        term(problem, mb)
    mb.set_objective()
    return mb
