"""Rule 7, staffing: during every shift of a team at most headcount - min_staffing of its
members are in sessions.

One cohort alone never takes more of a team than its slack: the candidate starts already
see to that (`scheduler.prepare.shiftfit.shift_fit`). What couples sessions is the sum over
the cohorts of a team, one cumulative per team here; the conflict search gives each team its
own literal."""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import TeamKey
from scheduler.prepare.problem import PlanningProblem
from scheduler.rules.builder import ModelBuilder
from scheduler.rules.enforce import Enforce, gated_intervals

#: team -> [(session, members of the team in it)]
StaffingDemand = dict[TeamKey, list[tuple[int, int]]]


def staffing_demand(problem: PlanningProblem, mb: ModelBuilder) -> StaffingDemand:
    """For each team, the schedulable sessions its members are in, with how many of them."""
    demand: StaffingDemand = defaultdict(list)
    for i in mb.schedulable:
        for team, n in problem.sessions[i].cohort.team_counts:
            demand[team].append((i, n))
    return demand


def team_staffing(problem: PlanningProblem, mb: ModelBuilder, team_key: TeamKey, uses: list[tuple[int, int]],
                  enforce: Enforce = None) -> None:
    """Rule 7 for one team: a cumulative whose free capacity is the staffing slack during the
    team's shifts and unlimited (all its participants) outside them. `uses` is the team's entry
    of `staffing_demand`. With `enforce`, only while that literal is true."""
    sc, m = problem.scenario, mb.model
    team = sc.teams[team_key]
    total = sum(n for c in problem.cohorts for t, n in c.team_counts if t == team_key)
    slack = team.staffing_slack
    if slack >= total:
        return  # can never bind
    lo = min(mb.options[i].candidates[0].start for i, _ in uses)
    hi = max(mb.options[i].candidates[-1].end for i, _ in uses)
    shifts = [(a, b) for a, b in problem.timeline.shift_union[team_key] if b > lo and a < hi]
    if not shifts:
        return
    sessions, _ = gated_intervals(mb, [(i, mb.interval[i]) for i, _ in uses], {i: mb.present[i] for i, _ in uses},
                                  enforce)
    ivs = [iv for _, iv in sessions] + [m.new_fixed_size_interval_var(a, b - a, f"shift[{team.id},{a}]")
                                        for a, b in shifts]
    m.add_cumulative(ivs, [n for _, n in uses] + [total - max(slack, 0)] * len(shifts), total)


def staffing_rule(problem: PlanningProblem, mb: ModelBuilder, enforce: Enforce = None) -> None:
    """Rule 7: during every shift of a team at most headcount - min_staffing of its members
    are in sessions (`team_staffing` for every team). With `enforce`, only while it is true."""
    for team_key, uses in staffing_demand(problem, mb).items():
        team_staffing(problem, mb, team_key, uses, enforce)
