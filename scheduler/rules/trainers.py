"""Rule 3, trainers: one qualified, available trainer per session, never in two places at
once (travel time between sites included), within their sessions per day and minutes per week.

Qualification and availability are in the candidate starts (`PlanningProblem._options` lists,
per session, the trainers free at each start); "exactly one trainer" is in the variables
(`ModelBuilder`). Here: each trainer's time (`trainer_time`) and limits (`trainer_limits`),
one function per trainer so that the conflict search can put each behind its own literal.
"""

from __future__ import annotations

from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, gated, gated_intervals
from scheduler.rules.travel import most_per_day, with_travel


def trainer_time(problem: PlanningProblem, mb: ModelBuilder, trainer_id: str, enforce: Enforce = None) -> None:
    """Rule 3 for one trainer's time: never two sessions at once, and travel time between
    sessions at different sites. With `enforce`, only while that literal is true."""
    items = mb.trainer_intervals[trainer_id]
    items, lits = gated_intervals(mb, items, {i: mb.teaches[i, trainer_id] for i, _ in items}, enforce)
    mb.model.add_no_overlap(with_travel(problem, mb, items, lits, problem.scenario.trainers[trainer_id].home_site,
                                        problem.trainer_pads.get(trainer_id)))


def trainer_limits(problem: PlanningProblem, mb: ModelBuilder, trainer_id: str, enforce: Enforce = None) -> None:
    """Rule 3 for one trainer's limits: at most max_sessions_per_day sessions per local start
    date and max_minutes_per_week session minutes per ISO week (each left out where it can
    never bind). With `enforce`, only while that literal is true."""
    m = mb.model
    trainer = problem.scenario.trainers[trainer_id]
    items = mb.trainer_intervals[trainer_id]
    lits: dict = {}

    def lit(i: int):
        if i not in lits:
            lits[i] = gated(mb, mb.teaches[i, trainer_id], enforce)
        return lits[i]

    if trainer.max_sessions_per_day is not None and trainer.max_sessions_per_day < most_per_day(
            problem, [i for i, _ in items]):
        ivs = [m.new_optional_fixed_size_interval_var(mb.day(i), 1, lit(i), f"tday[{i},{trainer_id}]")
               for i, _ in items]
        m.add_cumulative(ivs, [1] * len(ivs), trainer.max_sessions_per_day)
    if trainer.max_minutes_per_week is not None:
        durs = [problem.sessions[i].duration for i, _ in items]
        if sum(durs) > trainer.max_minutes_per_week:
            ivs = [m.new_optional_fixed_size_interval_var(mb.week(i), 1, lit(i), f"tweek[{i},{trainer_id}]")
                   for i, _ in items]
            m.add_cumulative(ivs, durs, trainer.max_minutes_per_week)


def trainer_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 3: one qualified, available trainer per session (in the candidates and the
    exactly-one choice); a trainer is never in two places at once, keeps travel time between
    sessions at different sites, and keeps max_sessions_per_day and max_minutes_per_week
    (`trainer_time` and `trainer_limits` for every trainer). With `enforce`, only while it is true."""
    for trainer_id in mb.trainer_intervals:
        trainer_time(problem, mb, trainer_id, enforce)
        trainer_limits(problem, mb, trainer_id, enforce)
