"""From placements to a `modulplan/schedule-1` document, with exact KPIs.

The KPIs here are computed from the placed sessions (the optimizer's own view);
the validator recomputes them independently from the raw scenario and flags any
disagreement.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import OBJECTIVE_TERMS
from scheduler.prepare.problem import PlanningProblem
from scheduler.search.construct import Placement
from scheduler.solve.reasons import unscheduled_reason


def _round(x: float) -> float:
    r = round(x, 4)
    return int(r) if r == int(r) else r


def exact_costs(problem: PlanningProblem, placed: dict[int, Placement]) -> dict:
    """The objective breakdown, backfill/overtime hours and travel minutes of a placement set."""
    sc = problem.scenario
    w = sc.weights
    backfill = overtime = trainer_cost = 0.0
    person_days: dict[tuple[str, str, object], list[tuple[int, str | None]]] = defaultdict(list)
    last_day: dict[str, object] = {}
    trainers_met: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i, pl in placed.items():
        s = problem.sessions[i]
        c = problem.options[i].candidates[pl.candidate]
        backfill += c.backfill_minutes / 60
        overtime += c.overtime_minutes / 60
        tr = sc.trainers[pl.trainer]
        trainer_cost += tr.cost_per_hour * s.duration / 60
        room_site = problem.site_of_room(pl.room) if pl.room else None
        day = c.slot.day
        person_days[("trainer", pl.trainer, day)].append((c.start, room_site or tr.home_site))
        for j in pl.interpreters:
            person_days[("interpreter", j, day)].append((c.start, room_site or sc.interpreters[j].home_site))
        cid = s.key.cohort
        if cid not in last_day or day > last_day[cid]:
            last_day[cid] = day
        trainers_met[cid, s.module_id].add(pl.trainer)
    travel = 0
    for (kind, pid, _day), visits in person_days.items():
        home = (sc.trainers[pid] if kind == "trainer" else sc.interpreters[pid]).home_site
        stops = [home] + [site for _, site in sorted(visits)] + [home]
        travel += sum(sc.travel_minutes(a, b) for a, b in zip(stops, stops[1:]))
    late_days = 0
    for cid, day in last_day.items():
        cohort = problem.cohort_by_id[cid]
        target = min(sc.action_plans[p].target for p in cohort.plans)
        late_days += max(0, (day - target).days)
    changes = sum(len(v) - 1 for v in trainers_met.values())
    unscheduled = len(problem.sessions) - len(placed)
    breakdown = {
        "unscheduled_session": unscheduled * w["unscheduled_session"],
        "unassigned_participant": len(problem.unassigned) * w["unassigned_participant"],
        "backfill_per_hour": backfill * w["backfill_per_hour"],
        "overtime_per_hour": overtime * w["overtime_per_hour"],
        "trainer_cost": trainer_cost,
        "travel_per_minute": travel * w["travel_per_minute"],
        "late_per_day": late_days * w["late_per_day"],
        "trainer_change": changes * w["trainer_change"],
    }
    breakdown = {k: _round(breakdown[k]) for k in OBJECTIVE_TERMS}
    if getattr(problem, "replan", None) is not None:  # re-planning: moved baseline sessions cost too
        breakdown["move_session"] = _round(problem.replan.move_cost(placed))
    return {
        "objective": _round(sum(breakdown.values())),
        "breakdown": breakdown,
        "backfill_hours": _round(backfill),
        "overtime_hours": _round(overtime),
        "travel_minutes": travel,
        "late_days": late_days,
        "trainer_changes": changes,
    }


def build_schedule(problem: PlanningProblem, placed: dict[int, Placement], *, status: str,
                   bound: float | None, solve_seconds: float, extra: dict | None = None) -> dict:
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
    unscheduled = [
        {"cohort": s.key.cohort, "module": s.module_id, "index": s.index,
         "reason": unscheduled_reason(problem, i, placed)}
        for i, s in enumerate(problem.sessions) if i not in placed
    ]
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
        "trainer_hours": {t: _round(m / 60) for t, m in sorted(trainer_minutes.items())},
    }
    if bound is not None:
        bound = min(_round(bound), costs["objective"])
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
