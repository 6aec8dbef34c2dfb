"""Cohorts: who studies together.

Cohorts are formed BEFORE the optimization, deterministically, from each action
plan (or, with `mix_workplaces`, from all plans of the track). Why before: the
participant-to-cohort choice multiplies the model (every participant times every
cohort times every session) while a few simple principles already give cohorts
that the optimizer can schedule well:

* Participants who must train inside their own shifts ("on": the plan forbids
  off-shift training, or they are day workers who are at work at every start time)
  are grouped by shift class (teams whose shifts cover the same start times, since a
  session must lie inside every member's shift) and dealt round robin into as few
  cohorts as the group size and the staffing slack allow: no cohort holds more of a
  team's members than the team's slack, or it could never meet on shift.
* Participants who may train off shift ("flex": rotating crews) are sorted by rota
  phase and cut into contiguous cohorts, so crews adjacent in the rota (free on the
  same days, without breaking each other's daily rest) study together.
* Group sizes always stay within min_group..max_group (rule 5); participants that
  no valid split can hold are reported as unassigned with the reason.

The cohort ids are stable for the same scenario (`C-<plan>-<n>` or `C-<track>-<n>`),
so calendar UIDs stay the same across re-solves.

Modules:

* `cohort_records` - what a cohort is (`Cohort`, `SessionKey`, `CohortSession`, `Unassigned`);
* `cohort_pools`   - which plans may share cohorts, and the days a track needs;
* `cohort_shaper`  - the start slots each team's shifts allow, as cached bit masks;
* `cohort_split`   - one pool split into cohorts by the principles above;
* `cohort_repair`  - members moved and swapped until each cohort could meet;
* `cohorts` (here) - `form_cohorts` over the whole scenario, and `cohorts_forced`.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import ActionPlan, Scenario
from scheduler.prepare.cohort_pools import (
    plans_sharing_people,
    span_to_share,
    track_span_days,
    window_pools,
    window_span,
)
from scheduler.prepare.cohort_records import Cohort, CohortSession, SessionKey, Unassigned, cohort_of, cohort_sessions
from scheduler.prepare.cohort_repair import GroupRepair, eased_across_pools, repair_groups
from scheduler.prepare.cohort_shaper import CohortShaper
from scheduler.prepare.cohort_split import _crew_sizes, split_pool
from scheduler.prepare.timeline import Timeline

# The names of the cohort modules, importable from here (`_crew_sizes` for its test).
__all__ = [
    "Cohort", "CohortSession", "CohortShaper", "GroupRepair", "SessionKey", "Unassigned", "_crew_sizes",
    "cohort_sessions", "cohorts_forced", "form_cohorts", "plans_sharing_people", "repair_groups", "split_pool",
    "span_to_share", "track_span_days", "window_pools", "window_span",
]


def form_cohorts(scenario: Scenario, timeline: Timeline, team_cache: dict | None = None,
                 shaper: CohortShaper | None = None) -> tuple[list[Cohort], list[Unassigned]]:
    """All cohorts of the scenario, and the participants no valid cohort can hold.

    A person listed in several plans of one track is one participant of that track: they
    join a cohort in the pool of the first plan that lists them, and the cohort then
    answers to all of their plans (windows, targets, shift-fit flags)."""
    shaper = shaper or CohortShaper(scenario, timeline, team_cache)
    cohorts: list[Cohort] = []
    left_out: list[Unassigned] = []
    for track in scenario.tracks.values():
        plans = scenario.plans_of_track(track.id)
        if not plans:
            continue
        plans_of: dict[str, list[ActionPlan]] = defaultdict(list)
        for plan in plans:
            for pid in plan.participants:
                if plan not in plans_of[pid]:
                    plans_of[pid].append(plan)
        if track.mix_workplaces:
            pools = window_pools(scenario, track, plans, plans_of, shaper.open_days)
            prefixes = [f"C-{track.id}"] if len(pools) == 1 else [f"C-{track.id}-{pool[0].id}" for pool in pools]
        else:
            pools = plans_sharing_people(plans, plans_of)
            prefixes = [f"C-{pool[0].id}" for pool in pools]
        made_here: list[Cohort] = []
        for pool, prefix in zip(pools, prefixes):
            made, out = split_pool(shaper, track.id, pool, prefix, plans_of)
            made_here += made
            left_out += out
        if track.mix_workplaces and len(pools) > 1:
            made_here = _eased(scenario, shaper, track.id, made_here, plans_of)
        cohorts += made_here
    return cohorts, left_out


def _eased(scenario: Scenario, shaper: CohortShaper, track_id: str, made: list[Cohort],
           plans_of: dict[str, list[ActionPlan]]) -> list[Cohort]:
    """The cohorts of a mixed track's window pools after `eased_across_pools`: the same ids and
    sizes, members swapped between pools where a tight cohort sheds an interpreter need."""
    groups = eased_across_pools(scenario, shaper, track_id, [list(c.participants) for c in made])
    return [c if tuple(sorted(g)) == c.participants
            else cohort_of(scenario, c.id, track_id, g, {q.id for p in g for q in plans_of[p]})
            for c, g in zip(made, groups)]


def cohorts_forced(problem) -> bool:
    """True when no other way of forming the cohorts exists: every pool is too small for two
    cohorts of `min_group` (so a bound proven for these cohorts bounds the programme)."""
    sc = problem.scenario
    if problem.unassigned:
        return False
    for track in sc.tracks.values():
        plans = sc.plans_of_track(track.id)
        people = [pid for p in plans for pid in p.participants]
        if track.mix_workplaces or len(people) != len(set(people)):
            if len(set(people)) >= 2 * track.min_group:
                return False
        elif any(len(p.participants) >= 2 * track.min_group for p in plans):
            return False
    return True
