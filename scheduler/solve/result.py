"""From placements to a `modulplan/schedule-1` document, with exact KPIs.

The KPIs here are computed from the placed sessions (the optimizer's own view);
the validator recomputes them independently from the raw scenario and flags any
disagreement.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.rules.costs import exact_costs, rounded
from scheduler.solve.reasons import booked, unscheduled_reasons

__all__ = ["build_schedule", "exact_costs"]  # exact_costs lives in scheduler.rules.costs, re-exported here


def build_schedule(problem: PlanningProblem, placed: dict[int, Placement], *, status: str,
                   bound: float | None, solve_seconds: float, extra: dict | None = None) -> dict:
    """The schedule document of a set of placements: sessions in time order, the unscheduled
    ones with their reasons, cohorts, unassigned participants and the KPIs (`exact_costs`)."""
    sc = problem.scenario
    clock = problem.timeline.clock
    costs = exact_costs(problem, placed)
    sessions = []
    for i in sorted(placed, key=lambda i: (problem.options[i].candidates[placed[i].candidate].start, i)):
        pl, s = placed[i], problem.sessions[i]
        c = problem.options[i].candidates[pl.candidate]
        sessions.append({
            "id": f"S-{s.key.cohort}-{s.module_id}-{s.index}",
            "cohort": s.key.cohort, "module": s.module_id, "index": s.index,
            "start": clock.iso(c.start), "end": clock.iso(c.end),
            "trainer": pl.trainer, "room": pl.room, "interpreters": list(pl.interpreters),
        })
    book = booked(problem, placed) if len(placed) < len(problem.sessions) else None
    unscheduled = []
    for i, s in enumerate(problem.sessions):
        if i not in placed:
            why = unscheduled_reasons(problem, i, placed, book)
            unscheduled.append({"cohort": s.key.cohort, "module": s.module_id, "index": s.index,
                                "reason": why["en"], "reason_sv": why["sv"]})
    participants_total = len({p for c in problem.cohorts for p in c.participants})
    trainer_minutes: dict[str, int] = defaultdict(int)
    for i, pl in placed.items():
        trainer_minutes[pl.trainer] += problem.sessions[i].duration
    kpis = {
        "sessions_total": len(problem.sessions),
        "sessions_scheduled": len(placed),
        "backfill_hours": costs["backfill_hours"],
        "overtime_hours": costs["overtime_hours"],
        "travel_minutes": costs["travel_minutes"],
        "objective_breakdown": costs["breakdown"],
        "participants_total": participants_total,
        "cohorts_total": len(problem.cohorts),
        "late_days": costs["late_days"],
        "trainer_changes": costs["trainer_changes"],
        "trainer_hours": {t: rounded(m / 60) for t, m in sorted(trainer_minutes.items())},
    }
    if bound is not None:
        bound = min(rounded(bound), costs["objective"])
    doc = {
        "format": "modulplan/schedule-1",
        "scenario": sc.id,
        "status": status,
        "objective": costs["objective"],
        "bound": bound,
        "solve_seconds": round(solve_seconds, 3),
        "cohorts": [
            {"id": c.id, "track": c.track, "workplaces": list(c.workplaces), "participants": list(c.participants)}
            for c in problem.cohorts
        ],
        "sessions": sessions,
        "unscheduled": unscheduled,
        "unassigned_participants": [
            {"participant": u.participant, "action_plan": u.action_plan, "reason": u.reason}
            for u in problem.unassigned
        ],
        "kpis": kpis,
    }
    if extra:
        doc.update(extra)
    return doc
