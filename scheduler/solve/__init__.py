"""Solving a scenario: the single entry point `solve_scenario`.

It reads the scenario (a document goes through the schemas) and takes one of two ways:

* in parts (`parts.py`): a programme whose action plans fall into independent parts (no shared
  person or resource) is solved part by part in parallel processes, and the schedules merged;
* as a whole (`whole.py`): prepare -> constructive schedule -> search -> CP-SAT (hinted) ->
  schedule. A stable re-plan against a published baseline (`replan.py`) is a mode of this way.

Either way the schedule keeps every hard rule: sessions the optimizer cannot place are
reported as unscheduled with a reason. The options, progress reports and result are in
`params.py`, re-exported here.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

from scheduler.domain import Scenario
from scheduler.solve.params import Progress, ProgressFn, SolveOutcome, SolveParams, SolveResult
from scheduler.solve.parts import solve_by_parts, split_scenario
from scheduler.solve.replan import ReplanRequest
from scheduler.solve.whole import read_scenario, solve_whole

__all__ = ["solve_scenario", "SolveParams", "SolveResult", "SolveOutcome", "Progress", "ProgressFn"]


def solve_scenario(data: dict | Scenario, params: SolveParams | None = None, *,
                   on_progress: ProgressFn | None = None, cancel: threading.Event | None = None,
                   baseline: dict | None = None, freeze_until: date | None = None,
                   move_weight: float | None = None) -> SolveResult:
    """Solve a scenario. With `baseline` (a schedule-1 dict of the same scenario id) it is a
    stable re-plan (`replan.py`): sessions before `freeze_until` stay exactly as they are, and
    every other baseline session that moves costs `move_weight` (default: the scenario's
    weights.move_session, else 500)."""
    params = params or SolveParams()
    started = time.monotonic()
    loaded, scenario = read_scenario(data)
    if loaded is not None and baseline is None and params.split_parts:
        parts = split_scenario(loaded, scenario)
        if len(parts) > 1:  # independent parts: each solved on its own, in parallel
            # (the regions' runner serves one connected programme: its workers know only the whole document)
            return solve_by_parts(loaded, parts, replace(params, search_runner=None), started, on_progress, cancel)
    replan = None if baseline is None else ReplanRequest(baseline, freeze_until, move_weight,
                                                         weights=(loaded or {}).get("weights"))
    return solve_whole(scenario, params, started=started, on_progress=on_progress, cancel=cancel, replan=replan)
