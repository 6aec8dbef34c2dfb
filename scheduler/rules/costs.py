"""The objective terms defined once: what a set of placed sessions costs.

`exact_costs` is the definition of the objective (scheduler/domain.py's OBJECTIVE_TERMS
names its terms): the search compares schedules by it, the solve reports it, and the
CP-SAT model (`scheduler.rules`) and the search's ledger are checked against it. Figures
are rounded by `rounded` so that sums of the same costs compare equal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scheduler.format.vocabulary import OBJECTIVE_TERMS, REPLAN_TERM
from scheduler.prepare.problem import Placement, PlanningProblem


def rounded(x: float) -> float:
    """A cost or figure to 4 decimals, as an int when it is whole (JSON shows 12, not 12.0)."""
    r = round(x, 4)
    return int(r) if r == int(r) else r


def exact_costs(problem: PlanningProblem, placed: dict[int, Placement]) -> dict:
    """The objective of a set of placements, term by term (in OBJECTIVE_TERMS' order, plus
    `move_session` in a re-plan), with the backfill/overtime hours, travel minutes, late days
    and trainer changes it is made of. The model's objective and the search's ledger are fast
    versions of this; this one is the reference they are checked against."""
    sc = problem.scenario
    w = sc.weights
    backfill = overtime = trainer_cost = 0.0
    person_days: dict[tuple[str, str, date], list[tuple[int, str | None]]] = defaultdict(list)
    last_day: dict[str, date] = {}
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
    breakdown = {k: rounded(breakdown[k]) for k in OBJECTIVE_TERMS}
    if problem.replan is not None:  # re-planning: moved baseline sessions cost too
        breakdown[REPLAN_TERM] = rounded(problem.replan.move_cost(placed))
    return {
        "objective": rounded(sum(breakdown.values())),
        "breakdown": breakdown,
        "backfill_hours": rounded(backfill),
        "overtime_hours": rounded(overtime),
        "travel_minutes": travel,
        "late_days": late_days,
        "trainer_changes": changes,
    }
