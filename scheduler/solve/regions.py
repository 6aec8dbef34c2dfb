"""A worker's side of a search spread over several machines (issue 16; `search/regions.py`).

A worker is sent the scenario document once per job and, every round, the current schedule
(cohorts and placement rows) and the cohorts of the region it is to improve. Reading the
scenario and preparing its problem is the expensive part (a minute at national size), so a
`RegionSearch` keeps both for the job's next rounds: a round with other cohorts shares the
options of every unchanged cohort (`PlanningProblem(reuse=...)`). The search itself is the
product's search with the region's cohorts only (`improve(region=...)`): ruin and recreate,
and cohort moves of the region's pools (a pool lies in one region), so that the coordinator
can merge the region with the others.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

from scheduler.prepare.problem import PlanningProblem
from scheduler.search.engine import improve
from scheduler.search.regions import (
    cohorts_from_json,
    cohorts_to_json,
    fewer_changes,
    placement_rows,
    placements_from_rows,
    problem_with,
    unassigned_from_json,
    unassigned_to_json,
)
from scheduler.solve.whole import read_scenario


def document_hash(document: dict) -> str:
    """The name a scenario document is sent and kept under (sha-256 of its canonical JSON)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class RegionSearch:
    """One scenario read and prepared, searched region by region (module docstring)."""

    def __init__(self, document: dict):
        _loaded, self.scenario = read_scenario(document)
        self.problem: PlanningProblem | None = None

    def warm(self) -> None:
        """Prepare the problem before the first round arrives (its cohorts as first formed;
        the round's cohorts then share the options of every cohort that is still the same)."""
        if self.problem is None:
            self.problem = PlanningProblem(self.scenario)

    def run(self, request: dict, index: int, until: float, cancel: threading.Event | None = None) -> dict:
        """Improve region `index` of `request` (`engine._region_round`) until `until`
        (time.time()) or a cancel: its sessions moved and its cohorts formed anew where that
        pays (a pool lies in one region). Returns the placement rows of the region's cohorts
        (as the search left them), the cohorts and unassigned participants when they changed,
        and the search's figures."""
        cohorts = cohorts_from_json(request["cohorts"])
        unassigned = unassigned_from_json(request["unassigned"])
        if self.problem is None:
            self.problem = PlanningProblem(self.scenario, cohorts=cohorts, unassigned=unassigned)
        else:
            self.problem = problem_with(self.problem, cohorts, unassigned)
        problem = self.problem
        placed = placements_from_rows(problem, request["rows"])
        region = set(request["regions"][index])
        # what follows the search (fewer changes, the rows) must be done by `until`: about 2 s
        # at national size
        deadline = time.monotonic() + (until - time.time()) - (0.2 + 0.0002 * len(problem.sessions))
        seed = int(request["seed"]) + 104_729 * (index + 1)  # each region's search a seed of its own
        found, best, stats = improve(problem, placed, deadline=deadline, seed=seed, cancel=cancel, region=region)
        answer = {"steps": stats.get("search_steps", 0), "improved": stats.get("search_improved", 0)}
        if found is not problem:  # cohorts formed anew: the region is now what replaced its own
            region = (region | set(found.by_cohort)) - (set(problem.by_cohort) - region)
            answer.update(cohorts=cohorts_to_json(found.cohorts), unassigned=unassigned_to_json(found.unassigned))
        if found is problem:  # only what made it better goes back: it then merges with more of the others
            best = fewer_changes(problem, placed, best)
        mine = {i: pl for i, pl in best.items() if found.sessions[i].key.cohort in region}
        answer["rows"] = placement_rows(found, mine)
        answer["region"] = sorted(region)
        return answer
