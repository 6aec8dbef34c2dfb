"""Enforcement literals: how one rule function serves both the model and the conflict search.

Every hard-rule function takes `enforce=None`. Without it the rule's constraints simply hold
(the model `build_model` solves). With a literal they hold only while that literal is true:
the conflict search (`scheduler.explain.conflicts`) puts each group of requirements (a
trainer's time, a room, a team's staffing, ...) behind one literal and asks CP-SAT which
groups cannot all hold together. Linear and boolean constraints take the literal as an
enforcement literal (`only_enforce_if`); no-overlap and cumulative constraints cannot, so
their intervals are replaced by optional intervals present only when the session uses the
resource *and* the literal is true.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.rules.builder import ModelBuilder

#: A Boolean literal (a bool variable or its negation) that switches a rule on, or None.
Enforce = cp_model.IntVar | None


def only_if(constraint: cp_model.Constraint, *literals) -> cp_model.Constraint:
    """`constraint`, enforced only when all of `literals` that are not None are true."""
    lits = [lit for lit in literals if lit is not None]
    if lits:
        constraint.only_enforce_if(lits[0] if len(lits) == 1 else lits)
    return constraint


def gated(mb: ModelBuilder, lit, enforce: Enforce):
    """`lit` itself without an enforcement literal; else a new literal that is true exactly
    when `lit` and `enforce` both are."""
    if enforce is None:
        return lit
    m = mb.model
    both = m.new_bool_var("")
    m.add_implication(both, lit)
    m.add_implication(both, enforce)
    m.add_bool_or([lit.Not(), enforce.Not(), both])
    return both


def gated_intervals(mb: ModelBuilder, items: list[tuple[int, cp_model.IntervalVar]], lits: dict,
                    enforce: Enforce) -> tuple[list[tuple[int, cp_model.IntervalVar]], dict]:
    """(session, interval) pairs and the session -> literal map of one resource, gated:
    unchanged without `enforce`; else each session's interval is present only when its
    literal and `enforce` are true."""
    if enforce is None:
        return items, lits
    gated_lits = {i: gated(mb, lits[i], enforce) for i, _ in items}
    return [(i, mb.model.new_optional_fixed_size_interval_var(
        mb.start[i], mb.problem.sessions[i].duration, gated_lits[i], "")) for i, _ in items], gated_lits
