"""The objective: what a schedule costs, as weighted terms of the model (soft, never a rule).

Each function adds one kind of term through `ModelBuilder.add_term`, named by its weight
(the breakdown names of the schedule format). The model's terms are exact except travel,
which is charged per session so that the proven bound stays a true bound; the reported
objective is recomputed exactly on the final schedule (`scheduler.rules.costs.exact_costs`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from scheduler.domain import Interpreter, Trainer
from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import SCALE, ModelBuilder
from scheduler.rules.travel import most_per_day


def unscheduled_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `unscheduled_session` per session left unscheduled."""
    w = problem.scenario.weights["unscheduled_session"] * SCALE
    for i in mb.schedulable:
        mb.add_term("unscheduled_session", 1 - mb.present[i], w)


def participant_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: backfill (participant-hours on shift), overtime (off shift) and lateness
    (days a cohort's last session lies after its target), exact per candidate start."""
    sc = problem.scenario
    w = sc.weights
    for i in mb.schedulable:
        costs = [round(c.backfill_minutes * w["backfill_per_hour"] + c.overtime_minutes * w["overtime_per_hour"]
                       + c.late_days * w["late_per_day"] * SCALE) for c in mb.options[i].candidates]
        for x, cost in zip(mb.pick[i], costs):
            mb.add_term("participants", x, cost)


def trainer_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: each trainer's cost_per_hour for every session hour they teach."""
    sc = problem.scenario
    for (i, t), lit in mb.teaches.items():
        mb.add_term("trainer_cost", lit, round(sc.trainers[t].cost_per_hour * problem.sessions[i].duration))


def travel_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `travel_per_minute` for trainers' and interpreters' travel. The model charges each
    session the round trip home -> site -> home divided by the most sessions the person can hold
    in one day: never more than the real day's travel, so the proven bound stays a true bound;
    the reported objective uses the exact travel of the final schedule."""
    sc = problem.scenario
    w = sc.weights["travel_per_minute"] * SCALE
    if not w:
        return
    people: list[tuple[dict, Mapping[str, Trainer | Interpreter]]] = [
        (mb.teaches, sc.trainers), (mb.interprets, sc.interpreters)]
    for lits, persons in people:
        for (i, pid), lit in lits.items():
            home = persons[pid].home_site
            if home is None or not mb.options[i].needs_room:
                continue  # remote: held at home
            per_day = most_per_day(problem, [i], getattr(persons[pid], "max_sessions_per_day", None))
            for site in sorted(mb.sites_of(i, home)):
                coef = int(2 * sc.travel_minutes(home, site) * w // per_day)
                if coef:
                    mb.add_term("travel_per_minute", mb.at_site(i, lit, site), coef)


def trainer_change_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft: `trainer_change` for each trainer beyond the first a cohort meets within a module."""
    w = problem.scenario.weights["trainer_change"] * SCALE
    if not w:
        return
    m = mb.model
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in mb.schedulable:
        s = problem.sessions[i]
        groups[s.key.cohort, s.module_id].append(i)
    for (cohort, module), idxs in groups.items():
        if len(idxs) < 2:
            continue
        trainers = sorted({t for i in idxs for t in mb.options[i].trainers})
        if len(trainers) < 2:
            continue
        used = []
        for t in trainers:
            u = m.new_bool_var(f"meets[{cohort},{module},{t}]")
            for i in idxs:
                if (i, t) in mb.teaches:
                    m.add_implication(mb.teaches[i, t], u)
            used.append(u)
        mb.add_term("trainer_change", sum(used) - mb.present[idxs[0]], w)


def move_session_cost(problem: PlanningProblem, mb: ModelBuilder) -> None:
    """Soft, re-planning only (`replan.py`): `move_session` for each baseline session that is
    scheduled at another start, with another trainer or in another room. `stay[i]` may be
    true only at the baseline's start, trainer and room; the cost is present[i] - stay[i]."""
    rp = getattr(problem, "replan", None)
    if rp is None or not rp.weight:
        return
    m, w = mb.model, round(rp.weight * SCALE)
    for i, home in rp.home.items():
        if i not in mb.present or i in mb.pinned:
            continue
        o = mb.options[i]
        k = next((k for k, c in enumerate(o.candidates) if c.start == home.start), None)
        stay = m.new_bool_var(f"stay[{i}]")
        if k is None or (i, home.trainer) not in mb.teaches or (home.room and (i, home.room) not in mb.in_room):
            m.add(stay == 0)
        else:
            m.add_implication(stay, mb.pick[i][k])
            m.add_implication(stay, mb.teaches[i, home.trainer])
            if home.room:
                m.add_implication(stay, mb.in_room[i, home.room])
        mb.add_term("move_session", mb.present[i] - stay, w)


OBJECTIVE = [unscheduled_cost, participant_cost, trainer_cost, travel_cost, trainer_change_cost, move_session_cost]
