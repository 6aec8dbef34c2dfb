"""Large-neighbourhood search: improving a schedule too large for one CP-SAT model.

Each step frees a neighbourhood of cohorts (a seed cohort and cohorts that share its
teams or trainers), pins every other placed session that touches the same trainers,
rooms, interpreters, teams or participants as fixed occupancy, and re-optimizes the
free cohorts in a small model hinted with the current schedule. A step is kept when the
exact objective of the whole schedule goes down. The model of one step is small
whatever the size of the programme, so memory and build time stay bounded.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import random
import threading
import time
from collections import defaultdict
from typing import Callable

from ortools.sat.python import cp_model

from .construct import Placement
from .model import SCALE
from .problem import PlanningProblem, SessionOptions
from .result import exact_costs
from .rules import build_model

log = logging.getLogger("modulplan.lns")


def simple_lower_bound(problem: PlanningProblem) -> float:
    """A valid lower bound without a model: every session at its cheapest candidate start
    (backfill/overtime/lateness) with its cheapest qualified trainer, no travel, no trainer
    changes — or its unscheduled penalty if that is cheaper — plus unassigned participants."""
    sc = problem.scenario
    w = sc.weights
    total = len(problem.unassigned) * w["unassigned_participant"]
    for i, o in enumerate(problem.options):
        best = w["unscheduled_session"]
        if o.candidates:
            cand = min(c.backfill_minutes * w["backfill_per_hour"] + c.overtime_minutes * w["overtime_per_hour"]
                       + c.late_days * w["late_per_day"] * SCALE for c in o.candidates) / SCALE
            trainer = min(sc.trainers[t].cost_per_hour for t in o.trainers) * problem.sessions[i].duration / 60
            best = min(best, cand + trainer)
        total += best
    return total


class Neighbourhoods:
    """Chooses which cohorts to free in a step."""

    def __init__(self, problem: PlanningProblem, rng: random.Random, max_sessions: int):
        self.p, self.rng, self.max_sessions = problem, rng, max_sessions
        self.cohorts_of_team: dict = defaultdict(set)
        for c in problem.cohorts:
            for t, _ in c.team_counts:
                self.cohorts_of_team[t].add(c.id)

    def pick(self, placed: dict[int, Placement]) -> set[str]:
        p = self.p
        missing = {p.sessions[i].key.cohort for i in range(len(p.sessions))
                   if i not in placed and p.options[i].candidates}
        ids = sorted(p.by_cohort)
        seed = self.rng.choice(sorted(missing)) if missing and self.rng.random() < 0.5 else self.rng.choice(ids)
        trainers_of: dict[str, set[str]] = defaultdict(set)
        cohorts_of_trainer: dict[str, set[str]] = defaultdict(set)
        for i, pl in placed.items():
            cid = p.sessions[i].key.cohort
            trainers_of[cid].add(pl.trainer)
            cohorts_of_trainer[pl.trainer].add(cid)
        free, frontier, size = {seed}, [seed], len(p.by_cohort[seed])
        while frontier and size < self.max_sessions:
            cid = frontier.pop(self.rng.randrange(len(frontier)))
            near = set()
            for t, _ in p.cohort_by_id[cid].team_counts:
                near |= self.cohorts_of_team[t]
            for t in trainers_of[cid]:
                near |= cohorts_of_trainer[t]
            for other in sorted(near - free, key=lambda _: self.rng.random()):
                if size + len(p.by_cohort[other]) > self.max_sessions:
                    continue
                free.add(other)
                frontier.append(other)
                size += len(p.by_cohort[other])
        return free


def _restrict_trainers(problem: PlanningProblem, placed: dict[int, Placement], free: set[str],
                       rng: random.Random | None, keep: int) -> dict[int, SessionOptions]:
    """Free sessions' options with at most `keep` trainers each: the trainers the free cohorts
    have now, then the cheapest others (hourly cost, then the trip from home to the session's
    sites), one of them drawn at random for variety. With 26 qualified trainers per session
    (a national programme) every trainer's whole year would be pinned into each step; with
    a handful the step stays small, and other steps try other trainers."""
    sc = problem.scenario
    current: dict[str, set[str]] = defaultdict(set)
    for c in free:
        for i in problem.by_cohort[c]:
            if i in placed:
                current[c].add(placed[i].trainer)
    out: dict[int, SessionOptions] = {}
    for c in free:
        for i in problem.by_cohort[c]:
            o = problem.options[i]
            if len(o.trainers) <= keep:
                continue
            sites = problem.sites_of(i, None) if o.needs_room else frozenset()
            own = [placed[i].trainer] if i in placed else []  # the hint needs it
            mine = own + [t for t in sorted(current[c]) if t in o.trainers and t not in own]

            def price(t):
                tr = sc.trainers[t]
                return (tr.cost_per_hour, min((sc.travel_minutes(tr.home_site, x) for x in sites), default=0), t)

            others = sorted((t for t in o.trainers if t not in mine), key=price)
            chosen = mine[:keep]
            room_left = keep - len(chosen)
            if room_left > 0 and others:
                pick = others[:max(0, room_left - 1)]
                rest = others[len(pick):]
                if rest:
                    pick.append(rng.choice(rest) if rng is not None else rest[0])
                chosen += pick
            out[i] = SessionOptions(o.session, o.candidates, {t: o.trainers[t] for t in chosen}, o.rooms,
                                    o.interpreters, o.languages, o.needs_room, o.rejected)
    return out


def neighbourhood_view(problem: PlanningProblem, placed: dict[int, Placement], free: set[str],
                       rng: random.Random | None = None, max_trainers: int | None = None):
    """Session options for one step: free cohorts keep all their candidates (and, with
    `max_trainers`, a few of their trainers); placed sessions that share a resource, team or
    participant with them are pinned; the rest is left out."""
    free_idx = {i for c in free for i in problem.by_cohort[c]}
    narrowed = _restrict_trainers(problem, placed, free, rng, max_trainers) if max_trainers else {}
    trainers, rooms, interps, teams, people = set(), set(), set(), set(), set()
    for i in free_idx:
        o = narrowed.get(i, problem.options[i])
        trainers |= set(o.trainers)
        rooms |= set(o.rooms)
        interps |= set(o.interpreters)
        teams |= {t for t, _ in o.session.cohort.team_counts}
        people |= set(o.session.cohort.participants)
    options: list[SessionOptions] = []
    pinned: dict[int, Placement] = {}
    for i, o in enumerate(problem.options):
        if i in free_idx:
            options.append(narrowed.get(i, o))
            continue
        pl = placed.get(i)
        cohort = o.session.cohort
        if pl is None or not (pl.trainer in trainers or pl.room in rooms or interps.intersection(pl.interpreters)
                              or teams.intersection(t for t, _ in cohort.team_counts)
                              or people.intersection(cohort.participants)):
            options.append(SessionOptions(session=o.session, needs_room=o.needs_room))
            continue
        pinned[i] = pl
        options.append(SessionOptions(
            session=o.session, candidates=[o.candidates[pl.candidate]], trainers={pl.trainer: frozenset([0])},
            rooms={pl.room: frozenset([0])} if pl.room else {},
            interpreters={j: frozenset([0]) for j in pl.interpreters}, languages=o.languages, needs_room=o.needs_room))
    return options, pinned, free_idx


def _release_memory() -> None:
    """Give the memory of the last step's model back to the system. CP-SAT and the model
    builder allocate hundreds of MB per step at national size; without this the process
    keeps every step's high-water mark (measured: 3 GB -> 11 GB over an XL run)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def improve(problem: PlanningProblem, placed: dict[int, Placement], *, deadline: float, workers: int,
            seed: int = 0, step_seconds: float = 8.0, max_sessions: int = 160, max_trainers: int | None = 4,
            on_step: Callable[[dict[int, Placement], float], None] | None = None,
            cancel: threading.Event | None = None) -> tuple[dict[int, Placement], dict]:
    """Improve `placed` by neighbourhood steps until `deadline` (time.monotonic())."""
    from .solve import PRESOLVE_LIMIT, _complete_hint, _extract, _hint  # the same as the full model

    rng = random.Random(seed)
    hoods = Neighbourhoods(problem, rng, max_sessions)
    best = dict(placed)
    best_cost = exact_costs(problem, best)["objective"]
    stats = {"steps": 0, "improving_steps": 0}
    last_build = 1.0  # a step's model building takes about as long as the previous one's
    mb = solver = None
    while time.monotonic() + last_build + 1.0 < deadline and not (cancel and cancel.is_set()):
        if mb is not None:
            mb = solver = None  # the last step's model goes before the next one is built
            _release_memory()
        step_started = time.monotonic()
        free = hoods.pick(best)
        options, pinned, free_idx = neighbourhood_view(problem, best, free, rng, max_trainers)
        mb = build_model(problem, options, frozenset(pinned))
        decisions = _hint(mb, problem, best)
        # Completing the hint is propagation over the whole step model: at national size it
        # needs seconds, so it gets a share of the time left rather than a fixed cap.
        left = deadline - time.monotonic() - 0.5
        if not _complete_hint(mb, decisions, max(0.1, min(max(2.0, 0.1 * left), 15.0, left)), stats):
            continue
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, min(step_seconds, deadline - time.monotonic() - 0.5))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = rng.randrange(1 << 30)
        if len(mb.model.proto.variables) > PRESOLVE_LIMIT:
            solver.parameters.cp_model_presolve = False
        built = time.monotonic()
        last_build = built - step_started
        if deadline - built < 0.5:
            break
        solver.parameters.max_time_in_seconds = min(step_seconds, deadline - built)
        code = solver.solve(mb.model)
        stats["steps"] += 1
        log.debug("step: %d free sessions, %d pinned, %d vars, build %.1fs, solve %.1fs, %s", len(free_idx),
                  len(pinned), len(mb.model.proto.variables), built - step_started, time.monotonic() - built,
                  solver.status_name(code))
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        found = _extract(mb, problem, solver, pinned)
        candidate = {i: pl for i, pl in best.items() if i not in free_idx} | {i: found[i] for i in free_idx if i in found}
        cost = exact_costs(problem, candidate)["objective"]
        if cost < best_cost - 1e-6:
            best, best_cost = candidate, cost
            stats["improving_steps"] += 1
            if on_step:
                on_step(best, best_cost)
    return best, stats
