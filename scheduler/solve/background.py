"""The programme's lower bound worked out beside the solve, on the other core.

At national size the search runs in one process (a second would double the memory, see
`whole.PORTFOLIO_LIMIT`), so one core is idle while the problem is prepared, the cohorts are
formed and the first schedule is built; the bound (`scheduler.search.bound`) needs only the
scenario and took 15-40 s of the solve's own time there. A forked process works it out from
the start instead, and the solve picks it up when it needs it.
"""

from __future__ import annotations

import logging
import math
import multiprocessing as mp
import time

from scheduler.domain import Scenario
from scheduler.search.bound import ProgrammeBound, programme_lower_bound

log = logging.getLogger("modulplan.solve")

# Sessions (estimated from the plans) from which the bound is worked out beside the solve.
BACKGROUND_FROM_SESSIONS = 4_000


def estimated_sessions(scenario: Scenario) -> int:
    """About how many sessions the programme will have: each plan's participants in cohorts of
    the track's largest size, times the track's sessions (cohorts mixing plans make fewer)."""
    total = 0
    for plan in scenario.action_plans.values():
        track = scenario.tracks.get(plan.track)
        if track is None or not plan.participants:
            continue
        per_cohort = sum(scenario.modules[m].sessions for m in track.modules if m in scenario.modules)
        total += math.ceil(len(plan.participants) / max(1, track.max_group)) * per_cohort
    return total


class BoundBeside:
    """A forked process working out `programme_lower_bound(scenario)` for up to `seconds`."""

    def __init__(self, scenario: Scenario, seconds: float):
        ctx = mp.get_context("fork")
        self._answer, sent = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_work_out, args=(scenario, seconds, sent), daemon=True)
        self._proc.start()
        sent.close()
        self._deadline = time.monotonic() + seconds

    @classmethod
    def start(cls, scenario: Scenario, seconds: float) -> BoundBeside | None:
        """The bound beside the solve when the programme is large and this system can fork;
        else None (the solve works it out itself)."""
        if "fork" not in mp.get_all_start_methods() or estimated_sessions(scenario) < BACKGROUND_FROM_SESSIONS:
            return None
        try:
            return cls(scenario, seconds)
        except OSError:  # no process to be had: the solve does it itself
            log.warning("the lower bound could not be worked out beside the solve", exc_info=True)
            return None

    def result(self) -> ProgrammeBound | None:
        """The bound, waiting at most until its deadline (and a little for the answer to
        arrive); None when the process failed. The process is ended either way."""
        try:
            if self._answer.poll(max(0.0, self._deadline - time.monotonic()) + 2.0):
                got = self._answer.recv()
                return got if isinstance(got, ProgrammeBound) else None
            return None
        except (EOFError, OSError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join(timeout=1.0)
        self._answer.close()


def _work_out(scenario: Scenario, seconds: float, sent) -> None:
    try:
        sent.send(programme_lower_bound(scenario, deadline=time.monotonic() + seconds))
    except Exception:  # noqa: BLE001 - the solve works the bound out itself; say why
        log.exception("the lower bound beside the solve failed")
        sent.send(None)
    finally:
        sent.close()
