"""Rule 10, languages: every language a participant needs that the trainer does not speak is
covered by an assigned interpreter, who is available and never in two places at once (with
the same travel rule as trainers).

Availability is in the candidate starts (`PlanningProblem._options` lists the interpreters
free at each start, and keeps only starts where every needed language can be covered). Here:
the cover itself (`language_cover`) and each interpreter's time (`interpreter_time`), one
function per interpreter so that the conflict search can put each behind its own literal.
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, gated_intervals, only_if
from scheduler.rules.travel import with_travel


def language_cover(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 10 (part): a scheduled session has, for every language its participants need, a
    trainer who speaks it or an assigned interpreter who does. With `enforce`, only while
    that literal is true."""
    sc, m = problem.scenario, mb.model
    for i in mb.schedulable:
        o = mb.options[i]
        for lang in sorted(o.languages):
            speakers = [mb.teaches[i, t] for t in o.trainers if lang in sc.trainers[t].languages]
            interps = [mb.interprets[i, j] for j in o.interpreters if lang in sc.interpreters[j].languages]
            only_if(m.add(sum(interps) + sum(speakers) >= mb.present[i]), enforce)


def interpreter_time(problem: PlanningProblem, mb: ModelBuilder, interpreter_id: str,
                     enforce: Enforce = None) -> None:
    """Rule 10 for one interpreter's time: never two sessions at once, and travel time between
    sessions at different sites. With `enforce`, only while that literal is true."""
    items = mb.interpreter_intervals[interpreter_id]
    items, lits = gated_intervals(mb, items, {i: mb.interprets[i, interpreter_id] for i, _ in items}, enforce)
    mb.model.add_no_overlap(with_travel(problem, mb, items, lits,
                                        problem.scenario.interpreters[interpreter_id].home_site,
                                        problem.interpreter_pads.get(interpreter_id)))


def language_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 10: every language a participant needs that the trainer does not speak is covered
    by an assigned interpreter, who is available and never in two places at once
    (`language_cover`, and `interpreter_time` for every interpreter). With `enforce`, only
    while that literal is true."""
    language_cover(problem, mb, enforce)
    for interpreter_id in mb.interpreter_intervals:
        interpreter_time(problem, mb, interpreter_id, enforce)
