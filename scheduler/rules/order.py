"""Rule 6, order: a cohort's sessions follow the track's module order and each module's index
order, and consecutive sessions of a module keep the module's gap bounds (in days).

The conflict search keeps the order itself hard (a coordinator does not reorder a track) but
puts each module's gap bounds behind their own literal (`gaps`)."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, only_if


def order_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None,
               gaps: Callable[[str], cp_model.IntVar] | None = None) -> None:
    """Rule 6: sessions follow the track's module order and each module's index order;
    a later session starts no earlier than the previous one ends; consecutive sessions of a
    module are min_gap_days..max_gap_days calendar days apart (start date to start date).
    With `enforce`, all of it only while that literal is true; `gaps(module id)` gives the
    literal under which that module's gap bounds hold (in addition to `enforce`)."""
    sc, m = problem.scenario, mb.model
    for idxs in problem.by_cohort.values():
        if problem.sessions[idxs[0]].key.cohort in mb.fixed_cohorts:
            continue
        for i, j in zip(idxs, idxs[1:]):
            if i not in mb.present or j not in mb.present:
                continue
            pj = mb.present[j]
            only_if(m.add(mb.start[j] >= mb.end(i)), pj, enforce)
            si, sj = problem.sessions[i], problem.sessions[j]
            if si.module_id == sj.module_id:
                mod = sc.modules[si.module_id]
                gap = gaps(mod.id) if gaps is not None else None
                if mod.min_gap_days > 0:
                    only_if(m.add(mb.day(j) - mb.day(i) >= mod.min_gap_days), pj, enforce, gap)
                if mod.max_gap_days is not None:
                    only_if(m.add(mb.day(j) - mb.day(i) <= mod.max_gap_days), pj, enforce, gap)
