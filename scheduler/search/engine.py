"""The search's entry points for the solve: cohorts that can be scheduled, then ruin and recreate.

`schedulable_cohorts` re-forms the cohorts that cannot be scheduled even alone
(`cohort_moves.py`); `improve` runs the ruin-and-recreate search (`ruin_recreate.py`)
from a first schedule until the deadline, a cancel, or until it has stopped finding
anything better for a long while on a small programme (the CP-SAT model then proves or
polishes what is left).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import threading
import time
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from contextlib import nullcontext

from scheduler.prepare.cohort_pools import spans_at_floor
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.rules.costs import exact_costs
from scheduler.search.cohort_moves import merge, merge_candidates, reform, regroup, unplaceable
from scheduler.search.construct import construct
from scheduler.search.member_moves import dissolve, move_member
from scheduler.search.regions import (
    RegionRunner,
    choose_regions,
    cohorts_from_json,
    cohorts_to_json,
    fewer_changes,
    merge_results,
    placement_rows,
    placements_from_rows,
    placements_in,
    problem_with,
    unassigned_from_json,
    unassigned_to_json,
)
from scheduler.search.reseat import reseat_sweep, thin_out_sweep
from scheduler.search.ruin_recreate import RuinRecreate, forget_built_schedule, sessions_without_start

log = logging.getLogger("modulplan.search")

# Sessions up to which complete schedules also try other groupings for cost, and incomplete
# ones share out other cohorts of their tracks. A try builds the new cohorts' problem (0.01 s
# at 3 200 sessions, 0.04 s at 12 600 with `reuse`) and copies the schedule (0.35 s at 12 600);
# a move kept starts the search anew (0.3 s). Measured (session 22): L-seed3 twice over (3 164
# sessions) at 120 s 0.951 of first-fit without these moves, 0.924 with; eight times over
# (12 626) at 300 s 0.957 and 0.953.
REGROUP_FOR_COST_LIMIT = 20_000
# Seconds before the deadline after which no cohort move for cost begins: 0.25 s and this
# much per session, at most COST_MOVE_MARGIN (or 8 % of the search's time, if more).
COST_MOVE_MARGIN = 2.0
COST_MOVE_MARGIN_PER_SESSION = 0.001
# Sessions up to which a search may start from cohorts formed the other way: preparing again
# takes tens of seconds at national size.
FORM_OTHERWISE_LIMIT = 3_000


def schedulable_cohorts(problem: PlanningProblem, deadline: float | None = None) -> PlanningProblem:
    """The problem with every cohort that cannot be scheduled even alone formed again with
    its pool (when some split can); unchanged when all can, or in a re-plan (the baseline's
    cohorts stay)."""
    if getattr(problem, "replan", None) is not None:
        return problem
    known: dict = {}  # cohort -> placeable alone, over the rounds
    for _round in range(3):  # a pool's best split may leave one cohort for the next round
        bad = unplaceable(problem, deadline=deadline, known=known)
        if not bad or (deadline is not None and time.monotonic() > deadline):
            break
        better = reform(problem, bad, deadline=deadline, known=known)
        if better is None:
            break
        log.info("cohorts formed again so that each can be scheduled: %s", ", ".join(bad))
        problem = better
    return problem


def improve(problem: PlanningProblem, placed: dict[int, Placement], *, deadline: float, seed: int = 0,
            cancel: threading.Event | None = None, patience: int | None = None,
            on_step: Callable[[dict[int, Placement], float, int], None] | None = None,
            region: set[str] | None = None, cohort_moves: bool = True
            ) -> tuple[PlanningProblem, dict[int, Placement], dict]:
    """Ruin and recreate from `placed` until `deadline` (time.monotonic()), a cancel, or
    `patience` steps without a better schedule; cohorts the search leaves incomplete are
    formed again with their pool when that places more (`cohort_moves.regroup`). Returns
    the problem (its cohorts may have changed), the best schedule and statistics.
    `region`: only these cohorts are ruined (a region of a distributed search, `regions.py`);
    without `cohort_moves` the cohorts stay as they are (a worker's region: its result then
    merges with the others')."""
    stats: dict = {"cohort_moves": 0}
    replan = getattr(problem, "replan", None) is not None
    rr = RuinRecreate(problem, placed, seed=seed, region=region)
    if not cohort_moves:
        rr.run(deadline, cancel=cancel, patience=patience, on_improve=_reporting(on_step, rr))
        stats.update(rr.stats.as_dict())
        return problem, rr.best, stats
    started = time.monotonic()
    phase = max(1.0, (deadline - started) / 8)
    tried: set[str] = set()
    ever_tried: set[str] = set()  # cohorts a cohort move has been tried for (`tried` is reset)
    merges_tried: set[tuple] = set()  # pairs of cohorts (by members) merged in vain
    trades_tried: set[tuple] = set()  # thinning trades (by the new groups) that did not fit
    retries = 0
    # Sessions missing from the start are the first target: a short first phase, then the
    # cohort moves (when time is short, a full phase could leave none for them).
    run_for = phase / 4 if len(placed) < len(problem.sessions) and not replan else phase
    # A search stopped for patience first gives the cohort moves one round (for cost: fewer
    # cohorts pay fewer trainer hours), and another after each one that changed the cohorts.
    # Why: on a small programme the search used to stop before any; planted care S 51 kept
    # three cohorts of a mixed pool of 14 (1.052 of the planted cost), two placed 0.941.
    moves_due, last = True, rr
    while True:
        now = time.monotonic()
        if now >= deadline - 0.05 or (cancel is not None and cancel.is_set()):
            break
        if rr is not last:
            moves_due, last = True, rr
        rr.run(min(deadline, now + run_for), cancel=cancel, patience=patience,
               on_improve=_reporting(on_step, rr))
        if (patience is not None and rr.stats.steps and time.monotonic() < min(deadline, now + run_for) - 0.05
                and _as_complete_as_can_be(rr, ever_tried, replan)):
            if not moves_due:
                break  # stopped for patience: complete, and nothing better for a long while
            moves_due = False
        run_for = phase
        # Cohorts that cannot even start (members whose windows never meet) are no target of
        # the neighbourhoods; their members are: each is tried once more after every move.
        still_missing = set() if replan else (set(rr.state.incomplete())
                                              | {c for c in rr.state.hopeless() if c not in tried})
        # A region's search forms only its own cohorts anew (a pool lies in one region), so that
        # the other regions' results still fit the cohorts it leaves.
        incomplete = [c for c in sorted(still_missing) if c not in tried and (rr.region is None or c in rr.region)]
        if not replan and not still_missing and len(problem.sessions) <= REGROUP_FOR_COST_LIMIT:
            # Complete: try whether other groupings of a few pools cost less (fewer cohorts
            # pay fewer trainer hours; other mixes fit shifts better), judged in the schedule.
            incomplete = _regroup_targets(problem, rr.rng, tried, rr.region)
        moved = False
        # A cohort move builds problems and places whole pools: not in the last moments, unless
        # sessions are missing (each costs more than any saving; the move keeps its deadline).
        # For cost the moments kept grow with the programme: on a small one a move takes
        # milliseconds, and a fixed 2 s left none at all to a search that became complete
        # late (planted care S 91 at 10 s: two cohorts of its ethics track where one costs
        # 10 % less, in 3 runs of 4).
        margin = (max(0.5, 0.04 * (deadline - started)) if still_missing
                  else max(min(COST_MOVE_MARGIN, 0.25 + COST_MOVE_MARGIN_PER_SESSION * len(problem.sessions)),
                           0.08 * (deadline - started)))
        if (not replan and not still_missing and len(problem.sessions) <= REGROUP_FOR_COST_LIMIT
                and time.monotonic() < deadline - margin):
            until = min(deadline - margin, time.monotonic() + 0.15 * phase)
            problem, best, shared, _cost = _sweep_while(_dissolve_sweep, problem, rr.best, until, cancel,
                                                        rr.rng, until, rr.region)
            if shared:
                stats["cohorts_dissolved"] = stats.get("cohorts_dissolved", 0) + shared
                log.info("%d cohorts shared out among the others: %d cohorts now", shared, len(problem.cohorts))
                rr = _carry_on(rr, problem, best, seed)
                continue
            # Two cohorts as one, placed anew: its own share of the time (the sweep above may
            # have used all of its own looking for a cohort to share out).
            merge_until = min(deadline - margin, time.monotonic() + 0.1 * phase)
            merged, cost = 0, None
            if rr.region is None:  # a merge may join cohorts of two regions
                problem, best, merged, cost = _sweep_while(_merge_sweep, problem, best, merge_until, cancel,
                                                           rr.rng, merge_until, merges_tried)
            if merged:
                stats["cohorts_merged"] = stats.get("cohorts_merged", 0) + merged
                log.info("%d pairs of cohorts merged, each placed anew: %.0f -> %.0f", merged, rr.best_cost, cost)
                rr = _carry_on(rr, problem, best, seed)
                continue
            if rr.region is None:  # reseating and thinning look at every cohort of a track
                before, changed = rr.best_cost, False
                got = reseat_sweep(problem, best, min(deadline - margin, time.monotonic() + 0.15 * phase))
                if got is not None:
                    problem, best, cost = got
                    stats["reseats"] = stats.get("reseats", 0) + 1
                    log.info("participants reseated where they train on shift: %.0f -> %.0f", before, cost)
                    before, changed = cost, True
                # After the reseats (which keep times): a cohort over a team's slack thinned out and
                # placed anew, the two moves do not stand in each other's way.
                got = thin_out_sweep(problem, best, before, min(deadline - margin, time.monotonic() + 0.1 * phase),
                                     rr.rng, trades_tried)
                if got is not None:
                    problem, best, cost = got
                    stats["thinned"] = stats.get("thinned", 0) + 1
                    log.info("a cohort over a team's slack thinned out to meet on shift: %.0f -> %.0f", before, cost)
                    changed = True
                if changed:
                    rr = _carry_on(rr, problem, best, seed)
                    continue
        # Cohorts left incomplete: moves one after another for up to a third of a phase (at
        # national size hundreds wait, and each move that places one is worth a whole
        # neighbourhood step); for cost, at most three tries and the first gain.
        until = min(deadline - margin, time.monotonic() + (phase / 3 if still_missing else phase))
        best = rr.best
        placed_by_moves: set[str] = set()
        for n, cid in enumerate(incomplete):
            if (time.monotonic() >= until or (n >= 3 and not still_missing) or (moved and not still_missing)
                    or (cancel is not None and cancel.is_set())):
                break
            if cid not in problem.cohort_by_id:
                continue  # gone in an earlier move of this round
            tried.add(cid)
            ever_tried.add(cid)
            got = _cohort_move(problem, best, cid, cid in still_missing, seed + retries, deadline - margin, stats,
                               retries, repair=rr.region is None)
            if got is not None:
                problem, best, _cost = got
                stats["cohort_moves"] += 1
                log.info("cohort %s formed again with its pool: %d sessions unscheduled now",
                         cid, len(problem.sessions) - len(best))
                placed_by_moves.add(cid)
                moved = True
        if (still_missing and not moved and len(problem.sessions) <= REGROUP_FOR_COST_LIMIT
                and time.monotonic() < until and not (cancel is not None and cancel.is_set())):
            # A track whose qualified trainers are all taken: one cohort fewer of it, its members
            # shared out among the others where they meet, frees a whole track of trainer time.
            # (Each try copies the whole schedule: 0.35 s at 12 600 sessions; `until` bounds the sweep.)
            tracks = {problem.cohort_by_id[c].track for c in still_missing if c in problem.cohort_by_id}
            got = _dissolve_sweep(problem, best, rr.rng, until, rr.region, tracks=tracks, skip=still_missing,
                                  replace_receivers=True)
            if got is not None:
                problem, best, _cost = got
                stats["cohorts_dissolved"] = stats.get("cohorts_dissolved", 0) + 1
                log.info("a cohort of a track with sessions missing shared out among the others: "
                         "%d sessions unscheduled now", len(problem.sessions) - len(best))
                moved = True
        if moved:
            rr = _carry_on(rr, problem, best, seed)
            tried = placed_by_moves  # the others may fare differently among the new cohorts
        elif still_missing and not incomplete:
            # Every missing cohort was tried and none placed: try them again after the next
            # phase (the schedule around them has moved on; the moves draw anew), rather than
            # leave sessions out for good because a move once ran short of time.
            tried, retries = set(), retries + 1
        if not moved and not incomplete and patience is None and time.monotonic() >= deadline - 0.05:
            break
    stats.update(rr.stats.as_dict())
    forget_built_schedule()
    return problem, rr.best, stats


def _as_complete_as_can_be(rr: RuinRecreate, tried: AbstractSet[str], replan: bool) -> bool:
    """Whether the search's best schedule misses only sessions without any start, and (but in
    a re-plan, whose cohorts stay) each of their cohorts has had its cohort moves tried: then
    only cost is left to gain, and patience may end the search as on a complete schedule."""
    if len(rr.best) + rr.without_start < len(rr.p.sessions):
        return False
    if len(rr.best) == len(rr.p.sessions) or replan:
        return True
    missing = {rr.p.sessions[i].key.cohort for i in range(len(rr.p.sessions)) if i not in rr.best}
    return missing <= tried


def _cohort_move(problem: PlanningProblem, placed: dict[int, Placement], cid: str, missing: bool, seed: int,
                 deadline: float, stats: dict, retry: int = 0, repair: bool = True):
    """The cohort moves for one cohort, cheapest first: its members shared out or one moved,
    its pool split anew, then (incomplete) with every cohort it could mix with, then by itself.
    A missing cohort tried again (`retry`) starts one move further on: when time is short the
    first moves can use it all, and the move that places it may be a later one. `repair`: see
    `cohort_moves.regroup` (False in a region's search)."""
    if not missing:
        got = _member_moves(problem, placed, cid, missing, seed, deadline, stats)
        return got if got is not None else regroup(problem, placed, cid, seed=seed, deadline=deadline, budget=8,
                                                   workplace=True, repair=repair)
    # Splits into as many cohorts as now come first, and a regroup tried again goes on to the
    # splits after those it judged the time before (the one that places the cohort may lie
    # deep in the list).
    moves = [
        lambda: _member_moves(problem, placed, cid, missing, seed, deadline, stats),
        lambda: regroup(problem, placed, cid, seed=seed, deadline=deadline, budget=18, grow=True, retry=retry,
                        as_now_first=True, repair=repair),
        # with every cohort it could mix with
        lambda: regroup(problem, placed, cid, seed=seed, deadline=deadline, wide=True, budget=18, retry=retry,
                        as_now_first=True, repair=repair),
        # by itself: smaller cohorts meet at more starts
        lambda: regroup(problem, placed, cid, seed=seed, deadline=deadline, alone=True, budget=8, retry=retry,
                        repair=repair),
    ]
    first = retry % len(moves)
    for move in moves[first:] + moves[:first]:
        got = move()
        if got is not None:
            return got
    return None


def _dissolve_sweep(problem: PlanningProblem, placed: dict[int, Placement], rng, until: float,
                    region: set[str] | None = None, tracks: set[str] | None = None,
                    skip: AbstractSet[str] = frozenset(), replace_receivers: bool = False):
    """The smallest cohorts first (ties in random order; of `tracks` only, none in `skip`), the
    first that can be shared out among the others for a better schedule (fewer sessions
    unscheduled, or as many at a lower cost), until `until`."""
    cohorts = [c for c in problem.cohorts if (region is None or c.id in region)
               and (tracks is None or c.track in tracks) and c.id not in skip]
    for c in sorted(cohorts, key=lambda c: (c.size, rng.random())):
        if time.monotonic() >= until:
            break
        got = dissolve(problem, placed, c.id, deadline=until, replace_receivers=replace_receivers)
        if got is not None:
            return got
    return None


def _sweep_while(sweep: Callable, problem: PlanningProblem, placed: dict[int, Placement], until: float,
                 cancel: threading.Event | None, *args
                 ) -> tuple[PlanningProblem, dict[int, Placement], int, float | None]:
    """`sweep(problem, placed, *args)` again on its own result while it finds a better schedule
    and the time lasts: (problem, placements, how many it found, the last cost or None)."""
    found, cost = 0, None
    while time.monotonic() < until and not (cancel is not None and cancel.is_set()):
        got = sweep(problem, placed, *args)
        if got is None:
            break
        problem, placed, cost = got
        found += 1
    return problem, placed, found, cost


def _merge_sweep(problem: PlanningProblem, placed: dict[int, Placement], rng, until: float,
                 tried: set[tuple]):
    """Pairs of cohorts that could be one (`cohort_moves.merge_candidates`, smallest first), the
    first whose merged cohort placed anew makes a cheaper schedule, until `until`. Pairs tried
    in vain are remembered in `tried` (with the members they had) and not tried again."""
    for a, b in merge_candidates(problem, rng):
        if time.monotonic() >= until:
            break
        key = (problem.cohort_by_id[a].participants, problem.cohort_by_id[b].participants)
        if key in tried:
            continue
        tried.add(key)
        got = merge(problem, placed, a, b, seed=rng.randrange(1 << 30), deadline=until)
        if got is not None:
            return got
    return None


def _member_moves(problem: PlanningProblem, placed: dict[int, Placement], cid: str, missing: bool, seed: int,
                  deadline: float, stats: dict):
    """The cheap cohort moves first: the cohort's members shared out among the others (it
    disappears), else, for a cohort left incomplete, one member moved or swapped."""
    got = dissolve(problem, placed, cid, deadline=deadline)
    if got is not None:
        stats["cohorts_dissolved"] = stats.get("cohorts_dissolved", 0) + 1
        return got
    if missing:
        got = move_member(problem, placed, cid, seed=seed, deadline=deadline)
        if got is not None:
            stats["member_moves"] = stats.get("member_moves", 0) + 1
    return got


def _carry_on(rr: RuinRecreate, problem: PlanningProblem, placed: dict[int, Placement], seed: int) -> RuinRecreate:
    """A search on the re-formed problem that keeps the counters of the one before (and its
    region, with the cohorts formed since)."""
    region = rr.region
    if region is not None:
        region = (region | set(problem.by_cohort)) - (set(rr.p.by_cohort) - region)
    new = RuinRecreate(problem, placed, seed=seed + rr.stats.steps, region=region)
    new.stats = rr.stats
    return new


def _regroup_targets(problem: PlanningProblem, rng, tried: set[str], region: set[str] | None = None) -> list[str]:
    """Cohorts whose pool could be grouped otherwise, those in pools with more cohorts than
    the group size needs first (a merge saves a whole cohort's trainer hours)."""
    sc = problem.scenario
    pools: dict[tuple, list] = {}
    for c in problem.cohorts:
        if region is not None and c.id not in region:
            continue
        pools.setdefault((c.track, c.workplaces if not sc.tracks[c.track].mix_workplaces else c.track), []).append(c)
    scored = []
    for cohorts in pools.values():
        n = sum(c.size for c in cohorts)
        spare = len(cohorts) - -(-n // sc.tracks[cohorts[0].track].max_group)
        cid = rng.choice(cohorts).id
        if cid not in tried:
            scored.append((-spare, rng.random(), cid))
    scored.sort()
    return [cid for _, _, cid in scored[:2]]


# -- both cores --------------------------------------------------------------------------
def _reporting(on_step: Callable[[dict[int, Placement], float, int], None] | None,
               rr: RuinRecreate) -> Callable[[dict[int, Placement], float], None] | None:
    """`on_step` as the search's `on_improve`: with the session count of the search's problem."""
    if on_step is None:
        return None
    return lambda best, cost: on_step(best, cost, len(rr.p.sessions))


def improve_in_parallel(problem: PlanningProblem, placed: dict[int, Placement], *, deadline: float, seed: int = 0,
                        searches: int = 2, cancel: threading.Event | None = None,
                        on_step: Callable[[dict[int, Placement], float, int], None] | None = None,
                        runner: RegionRunner | None = None
                        ) -> tuple[PlanningProblem, dict[int, Placement], dict]:
    """`improve` in `searches` processes at once, in rounds: each round every search starts
    from the best schedule so far with a seed of its own, and the best of the round is where
    the next one starts. Measured on four M programmes (two public, two planted): independent
    searches compared only at the end gave the second core almost nothing (0.917 of first-fit
    with one search, 0.916 with two, at 20 s); rounds of 10 s at 60 s gave 0.902 against 0.907,
    and planted network L 6 unscheduled sessions against 9 (L-seed3 0.958 against 0.956).
    The other searches run in forked children that share the prepared problem copy-on-write
    and send back their cohorts and placements; progress is reported from this process's own
    search.

    With `runner` (several machines: the service's Celery workers) the rounds are spread
    instead: every worker improves a region of the schedule of its own and the round's
    results are merged (`_improve_over_workers`, `regions.py`)."""
    if runner is not None and runner.searches > 0 and getattr(problem, "replan", None) is None:
        return _improve_over_workers(problem, placed, deadline=deadline, seed=seed, runner=runner, cancel=cancel,
                                     on_step=on_step)
    if searches <= 1 or "fork" not in mp.get_all_start_methods():
        return improve(problem, placed, deadline=deadline, seed=seed, cancel=cancel, on_step=on_step)
    started = time.monotonic()
    rounds = max(1, min(MAX_ROUNDS, int((deadline - started) / ROUND_SECONDS)))
    totals: dict = {}
    runner_up: tuple[PlanningProblem, dict[int, Placement]] | None = None
    for r in range(rounds):
        end = deadline if r == rounds - 1 else started + (deadline - started) * (r + 1) / rounds
        if runner_up is not None:
            totals["two_lines_rounds"] = totals.get("two_lines_rounds", 0) + 1
        problem, placed, stats, second = _round(problem, placed, end, seed + 7919 * r, searches, cancel, on_step,
                                                other_cohorts=r == 0 and _may_form_otherwise(problem),
                                                other_start=runner_up)
        # While the best schedule still misses sessions that could have a start, the second
        # search goes on from the round's runner-up instead of the best: two lines of search,
        # each with its own chance to place the last cohorts. Why: on planted network M 8 a
        # solve either completes or stays stuck at 8 missing sessions for its last 35 s, about
        # half and half by seed, and both searches of a round started from the same stuck
        # schedule. Once complete, every round starts from the best again (that pays for cost).
        runner_up = second if second is not None and _misses_placeable(problem, placed) else None
        for key, value in stats.items():  # counts add up over the rounds; the rest is the last round's
            totals[key] = totals.get(key, 0) + value if key in SUMMED else value
        if cancel is not None and cancel.is_set():
            break
    totals["search_rounds"] = rounds
    return problem, placed, totals


def _misses_placeable(problem: PlanningProblem, placed: dict[int, Placement]) -> bool:
    """Whether `placed` leaves out a session that has a start at all (one without any can
    never be placed, and does not make the searches worth keeping apart)."""
    missing = len(problem.sessions) - len(placed)
    return missing > 0 and missing > sessions_without_start(problem)


SUMMED = ("search_steps", "search_accepted", "search_improved", "cohort_moves", "cohorts_dissolved", "cohorts_merged",
          "member_moves", "reseats", "thinned", "best_search")
MAX_ROUNDS = 8
ROUND_SECONDS = 10.0  # rounds last at least this long (each starts searches anew: they need time to pay)


def _may_form_otherwise(problem: PlanningProblem) -> bool:
    """Whether a search may start from cohorts formed the other way (`_child_search`): not in
    a re-plan (the baseline's cohorts stay), not for a problem with objective terms of its
    own (built by its caller, not from the scenario), not at national size (preparing again
    takes tens of seconds there)."""
    return (getattr(problem, "replan", None) is None and not problem.objective_terms
            and len(problem.sessions) <= FORM_OTHERWISE_LIMIT)


def _round(problem: PlanningProblem, placed: dict[int, Placement], deadline: float, seed: int, searches: int,
           cancel: threading.Event | None, on_step, other_cohorts: bool = False,
           other_start: tuple[PlanningProblem, dict[int, Placement]] | None = None
           ) -> tuple[PlanningProblem, dict[int, Placement], dict, tuple[PlanningProblem, dict[int, Placement]] | None]:
    """One round of the parallel search: this process and `searches - 1` forked children, all
    from the same schedule (with `other_cohorts`, the first child from cohorts formed at the
    track's floor instead; with `other_start`, the first child from that problem and
    schedule); the best result and the runner-up (None with one search, or when no other
    search sent one back)."""
    ctx = mp.get_context("fork")
    stop = ctx.Event()
    children = []
    # The children stop a little earlier: their schedule must still be sent and, when it wins,
    # its cohorts' problem rebuilt here before the round's end.
    child_deadline = deadline - max(0.3, 0.04 * (deadline - time.monotonic()))
    for n in range(1, searches):
        here, there = ctx.Pipe(duplex=False)
        start_problem, start = other_start if other_start is not None and n == 1 else (problem, placed)
        proc = ctx.Process(target=_child_search, args=(start_problem, start, child_deadline, seed + 7919 * n, stop,
                                                          there, other_cohorts and n == 1 and other_start is None),
                           daemon=True)
        proc.start()
        there.close()
        children.append((proc, here))
    watcher = None
    if cancel is not None:
        def mirror():
            while not stop.is_set():
                if cancel.wait(0.2):
                    stop.set()
        watcher = threading.Thread(target=mirror, daemon=True)
        watcher.start()
    try:
        best_problem, best, stats = improve(problem, placed, deadline=deadline, seed=seed, cancel=cancel,
                                            on_step=on_step)
    finally:
        stop.set()
    stats["searches"] = searches
    results = [((len(best_problem.sessions) - len(best), _cost(best_problem, best)), 0, best_problem, best)]
    for n, (proc, pipe) in enumerate(children, start=1):
        # The child was told to stop before the deadline; one that is still busy then is left out.
        got = pipe.recv() if pipe.poll(max(0.0, deadline - time.monotonic()) + 0.3) else None
        proc.join(timeout=0.2)
        if proc.is_alive():
            proc.kill()
        if got is None:
            continue
        other_problem, other = _rebuild(problem, *got[:2])
        results.append(((len(other_problem.sessions) - len(other), _cost(other_problem, other)), n, other_problem,
                        other))
    results.sort(key=lambda r: (r[0], r[1]))  # ties: this process's own search first
    _key, who, best_problem, best = results[0]
    if who:
        stats["best_search"] = stats.get("best_search", 0) + 1
    second = (results[1][2], results[1][3]) if len(results) > 1 else None
    return best_problem, best, stats, second


def _cost(problem: PlanningProblem, placed: dict[int, Placement]) -> float:
    """The exact objective of `placed` (the definition in scheduler.rules.costs), with the
    problem's own objective terms when it has some."""
    cost = exact_costs(problem, placed)["objective"]
    for make in problem.objective_terms:
        term = make(problem)
        cost += sum(term.change(pl, +1) for pl in placed.values())
    return cost


def _child_search(problem, placed, deadline, seed, stop, pipe, at_floor: bool = False) -> None:
    """A forked search: improve, then send back (cohorts, placements by session key and slot).

    `at_floor`: the cohorts are formed anew with the track's floor as the days a window must
    hold (`prepare.cohort_pools.spans_at_floor`; the same participants in cohorts, or this
    is not done), and the search starts from their constructive schedule. Why: neither way
    is better everywhere. On planted M at 60 s the floor completed mixed M 2, network M 3 and
    mixed L 3 and lost care M 4 and network M 4 (docs/scale.md, session 14); as one search of
    the first round, the better start goes on."""
    try:
        with spans_at_floor() if at_floor else nullcontext():
            if at_floor:
                problem, placed = _formed_at_floor(problem, placed, deadline)
            found, best, _stats = improve(problem, placed, deadline=deadline, seed=seed, cancel=stop)
        rows = [(found.sessions[i].key, found.options[i].candidates[pl.candidate].slot.index, pl.trainer, pl.room,
                 pl.interpreters) for i, pl in best.items()]
        pipe.send((found.cohorts, rows))
    except Exception:  # noqa: BLE001 - the parent's own search stands; say why this one did not
        log.exception("a parallel search failed")
        pipe.send(None)
    finally:
        pipe.close()


def _formed_at_floor(problem: PlanningProblem, placed: dict[int, Placement], deadline: float
                     ) -> tuple[PlanningProblem, dict[int, Placement]]:
    """The problem with its cohorts formed anew (inside `spans_at_floor`) and their
    constructive schedule, when that assigns the same participants and forms other cohorts;
    else the problem and schedule as given. A quarter of the time left at most."""
    other = schedulable_cohorts(PlanningProblem(problem.scenario),
                                deadline=time.monotonic() + (deadline - time.monotonic()) / 4)
    same_people = {u.participant for u in other.unassigned} == {u.participant for u in problem.unassigned}
    if not same_people or sorted(c.participants for c in other.cohorts) == sorted(
            c.participants for c in problem.cohorts):
        return problem, placed
    placed = construct(other)
    log.info("a search starts from cohorts formed at the tracks' floor: %d cohorts, %d sessions unscheduled",
             len(other.cohorts), len(other.sessions) - len(placed))
    return other, placed


def _rebuild(problem: PlanningProblem, cohorts, rows) -> tuple[PlanningProblem, dict[int, Placement]]:
    """The child's schedule in this process: its cohorts (options shared where unchanged),
    its placements mapped by session key and start slot."""
    if cohorts != problem.cohorts:
        problem = PlanningProblem(problem.scenario, cohorts=list(cohorts), unassigned=problem.unassigned,
                                  reuse=problem)
    placed: dict[int, Placement] = {}
    for key, slot, trainer, room, interps in rows:
        i = problem.session_index[key]
        k = next(k for k, c in enumerate(problem.options[i].candidates) if c.slot.index == slot)
        placed[i] = Placement(i, k, trainer, room, tuple(interps))
    return problem, placed


# -- several machines ----------------------------------------------------------------------
DISTRIBUTED_ROUND_SECONDS = 5.0  # a round sends the schedule out and merges what comes back
# ... which costs a few seconds at national size (the bookings of 11 000 sessions built on each
# side): rounds of about 34 s there. Shorter rounds drift apart less, so more of them merge.
ROUND_SECONDS_PER_SESSION = 0.003
DISTRIBUTED_MAX_ROUNDS = 16


def _improve_over_workers(problem: PlanningProblem, placed: dict[int, Placement], *, deadline: float, seed: int,
                          runner: RegionRunner, cancel: threading.Event | None, on_step
                          ) -> tuple[PlanningProblem, dict[int, Placement], dict]:
    """Rounds of region searches: this process and the runner's workers each improve a region
    of the same schedule (`regions.choose_regions`, new cuts every round), the results are
    merged (`regions.merge_results`) and the merged schedule starts the next round. Which
    workers answered in each round is in the statistics (`search_workers`); a worker that
    failed, died or was late just leaves its region as it was."""
    started = time.monotonic()
    length = max(DISTRIBUTED_ROUND_SECONDS, ROUND_SECONDS_PER_SESSION * len(problem.sessions))
    rounds = max(1, min(DISTRIBUTED_MAX_ROUNDS, int((deadline - started) / length)))
    totals: dict = {}
    record: list[dict] = []
    for r in range(rounds):
        end = deadline if r == rounds - 1 else started + (deadline - started) * (r + 1) / rounds
        problem, placed, stats, who = _region_round(problem, placed, end, seed + 7919 * r, runner, cancel, on_step)
        record.append(dict(round=r + 1, **who))
        for key, value in stats.items():
            totals[key] = totals.get(key, 0) + value if key in SUMMED else value
        if cancel is not None and cancel.is_set():
            break
    totals.update(search_rounds=len(record), search_workers=record)
    return problem, placed, totals


def _region_round(problem: PlanningProblem, placed: dict[int, Placement], deadline: float, seed: int,
                  runner: RegionRunner, cancel: threading.Event | None, on_step
                  ) -> tuple[PlanningProblem, dict[int, Placement], dict, dict]:
    """One round over the workers: region 0 here, the others sent out, then the merge.
    Returns the problem, the schedule, this process's search statistics and who took part
    (`workers`: "home" for this process, then the workers that answered; `dropped`: regions
    with no answer in time; `merged`: results whose cohorts were taken over)."""
    regions = choose_regions(problem, runner.searches + 1, seed, placed)
    # The workers stop a little before the round's end: their schedules must still come back,
    # be read here and merged.
    margin = max(0.5, 0.08 * (deadline - time.monotonic()))
    until = deadline - margin
    answers: list[list[dict | None]] = []
    thread = None
    if len(regions) > 1:
        request = {"cohorts": cohorts_to_json(problem.cohorts), "unassigned": unassigned_to_json(problem.unassigned),
                   "rows": placement_rows(problem, placed), "regions": [sorted(r) for r in regions[1:]],
                   "seed": seed}
        thread = threading.Thread(target=_ask_workers, args=(runner, request, until, cancel, answers), daemon=True,
                                  name="region-round")
        thread.start()
    found, best, stats = improve(problem, placed, deadline=until, seed=seed, cancel=cancel, on_step=on_step,
                                 region=regions[0] if len(regions) > 1 else None)
    if found is problem:
        best = fewer_changes(problem, placed, best)
    if thread is not None:
        thread.join(max(0.0, deadline - time.monotonic()) + 2.0)  # the runner keeps to `until` and a grace
    results, workers, dropped = [(found, best)], ["home"], 0
    for region, answer in zip(regions[1:], answers[0] if answers else [None] * (len(regions) - 1)):
        got = _read_answer(problem, placed, region, answer)
        if got is None:
            dropped += 1
            continue
        results.append(got)
        workers.append(str(answer["worker"]) if answer else "?")
    merged_problem, merged, taken = merge_results(problem, placed, results)
    if on_step is not None and merged:
        on_step(merged, exact_costs(merged_problem, merged)["objective"], len(merged_problem.sessions))
    return merged_problem, merged, stats, {"workers": workers, "dropped": dropped, "merged": taken}


def _ask_workers(runner: RegionRunner, request: dict, until: float, cancel, answers: list) -> None:
    """The runner's answers for a round (in a thread beside this process's own search); none
    when the runner fails (the broker is gone): the round is then this process's alone."""
    wall_until = time.time() + (until - time.monotonic())
    try:
        answers.append(runner.run_round(request, wall_until, cancel))
    except Exception:  # noqa: BLE001 - the workers' part of the round is lost, not the solve
        log.exception("the region searches of a round could not be run")
        answers.append([None] * len(request["regions"]))


def _read_answer(problem: PlanningProblem, start: dict[int, Placement], region: set[str],
                 answer: dict | None) -> tuple[PlanningProblem, dict[int, Placement]] | None:
    """A worker's schedule in this process: the round's start with the region as the worker
    left it (`solve.regions.RegionSearch.run` sends the region's placements, and its cohorts
    when it formed some anew), or None when there is no answer or it does not fit."""
    if answer is None:
        return None
    try:
        other = problem
        if answer.get("cohorts") is not None:
            other = problem_with(problem, cohorts_from_json(answer["cohorts"]),
                                 unassigned_from_json(answer.get("unassigned", [])))
        now = set(answer.get("region", region))
        theirs = placements_from_rows(other, answer["rows"])
    except (KeyError, StopIteration, ValueError, TypeError):
        log.exception("a region search's answer does not fit the schedule; left out")
        return None
    outside = {cid for cid in problem.by_cohort if cid not in region}
    if any(other.sessions[i].key.cohort not in now for i in theirs) or not outside.isdisjoint(now) or (
            other is not problem and any(problem.cohort_by_id[c] != other.cohort_by_id.get(c) for c in outside)):
        log.warning("a region search changed cohorts outside its region; left out")
        return None
    placed = placements_in(other, problem, start, outside)
    placed.update(theirs)
    return other, placed
