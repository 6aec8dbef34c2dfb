"""Regions of one schedule, searched by several workers at once, and the merge of what they found.

A connected programme (one part) can still use several machines: each round of the search
(`engine.improve_in_parallel` with a runner) gives every worker, and the coordinator itself,
a different *region* of the current schedule to improve — a set of cohorts, whole cohort
pools kept together, neighbouring pools (by the site of their workplaces) in the same
region. A region's search ruins only its own cohorts (`RuinRecreate(region=...)`) and forms
only its own pools anew; the rest of the schedule stays where it was, as the rules'
background.

The merge starts from the best result of the round. Every other result brings the cohorts
it changed (against the round's start): such a cohort's whole track is taken over when the
best result and the results taken before did not change that cohort, when every placement
of it still keeps every rule against what is booked (`Bookings.broken_rule`: people, daily
rest, staffing, rooms, trainers with their limits and travel, interpreters; the track's own
order and gaps hold because the track comes whole from one search), and when the exact
objective drops. A result's cohorts are tried all at once first (an improvement may need
two cohorts to move at once), then all whose tracks keep the rules together, then one by
one. Cohorts a result formed anew go over together, in a problem formed anew with them
(`_transplant`), when the best kept the cohorts they replace. The merged schedule is the
next round's start.

Everything that crosses a process or machine boundary is plain JSON: the cohorts
(`cohorts_to_json`), the participants no cohort holds, and placements as rows of session key,
start slot, trainer, room and interpreters (`placement_rows`).
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from scheduler.prepare.cohorts import Cohort, Unassigned
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.rules.costs import exact_costs
from scheduler.search.ruin_recreate import Schedule

log = logging.getLogger("modulplan.search")


class RegionRunner(Protocol):
    """Who searches the other regions of a round (the service's Celery fan-out,
    service/jobs/region_search.py). `searches`: how many regions it takes per round (0: none
    now, the search stays in this process). `run_round` sends the round's `request` (JSON: its
    `regions`, one per search, plus the schedule) and waits at most until `until`
    (time.time()) and a little grace, or a cancel; it returns one answer per region in order
    (`solve.regions.RegionSearch.run`'s, with the `worker` who answered), None for a region
    whose worker failed, died or was late. `prepare` is called when a solve begins (the
    workers can read the scenario meanwhile)."""

    searches: int

    def prepare(self) -> None: ...

    def run_round(self, request: dict, until: float, cancel) -> list[dict | None]: ...


# -- the wire format -----------------------------------------------------------------------
def cohorts_to_json(cohorts: Iterable[Cohort]) -> list[dict]:
    return [{"id": c.id, "track": c.track, "plans": list(c.plans), "workplaces": list(c.workplaces),
             "participants": list(c.participants), "team_counts": [[list(t), n] for t, n in c.team_counts],
             "languages": sorted(c.languages)} for c in cohorts]


def cohorts_from_json(data: list[dict]) -> list[Cohort]:
    return [Cohort(d["id"], d["track"], tuple(d["plans"]), tuple(d["workplaces"]), tuple(d["participants"]),
                   tuple(((t[0], t[1]), n) for t, n in d["team_counts"]), frozenset(d["languages"]))
            for d in data]


def unassigned_to_json(unassigned: Iterable[Unassigned]) -> list[list]:
    return [[u.participant, u.action_plan, u.reason] for u in unassigned]


def unassigned_from_json(data: list[list]) -> list[Unassigned]:
    return [Unassigned(p, q, reason) for p, q, reason in data]


def placement_rows(problem: PlanningProblem, placed: dict[int, Placement]) -> list[list]:
    """Placements by what names them in any copy of the problem: [cohort, module, index, start
    slot, trainer, room, interpreters]."""
    rows = []
    for i, pl in placed.items():
        key = problem.sessions[i].key
        rows.append([key.cohort, key.module, key.index, problem.options[i].candidates[pl.candidate].slot.index,
                     pl.trainer, pl.room, list(pl.interpreters)])
    return rows


def placements_from_rows(problem: PlanningProblem, rows: Iterable) -> dict[int, Placement]:
    """`placement_rows` read back in `problem` (same cohorts): session index and candidate
    position by session key and start slot."""
    index = {(k.cohort, k.module, k.index): i for k, i in problem.session_index.items()}
    placed: dict[int, Placement] = {}
    for cohort, module, n, slot, trainer, room, interps in rows:
        i = index[cohort, module, n]
        k = next(k for k, c in enumerate(problem.options[i].candidates) if c.slot.index == slot)
        placed[i] = Placement(i, k, trainer, room, tuple(interps))
    return placed


def problem_with(problem: PlanningProblem, cohorts: list[Cohort], unassigned: list[Unassigned]) -> PlanningProblem:
    """`problem` itself when the cohorts are its own, else the problem of these cohorts
    (the options of every unchanged cohort are shared)."""
    if cohorts == problem.cohorts:
        return problem
    return PlanningProblem(problem.scenario, cohorts=list(cohorts), unassigned=unassigned, reuse=problem)


# -- the regions -----------------------------------------------------------------------------
def choose_regions(problem: PlanningProblem, n: int, seed: int,
                   placed: dict[int, Placement] | None = None) -> list[set[str]]:
    """`n` regions of about equal sessions made of whole cohort pools (a track's cohorts of
    the same plans, or of the whole track when it mixes workplaces); fewer when there are
    fewer pools. With the round's schedule (`placed`) pools that use the same trainers, rooms,
    interpreters and teams go together (`_by_resources`): two regions that book the same
    trainer at the same free time cannot both be merged. Without it, pools in order of their
    site, cut into `n` runs. Either way the cuts turn with `seed`, so that pools at a border
    are together in another round."""
    sc = problem.scenario
    pools: dict[tuple, list[str]] = {}
    sessions: dict[tuple, int] = {}
    for c in problem.cohorts:
        key = (c.track, c.track if sc.tracks[c.track].mix_workplaces else c.plans)
        pools.setdefault(key, []).append(c.id)
        sessions[key] = sessions.get(key, 0) + len(problem.by_cohort.get(c.id, ()))
    if not pools:
        return []
    n = max(1, min(n, len(pools)))
    if placed is not None:
        return _by_resources(problem, placed, pools, sessions, n, seed)
    order = sorted(pools, key=lambda k: (_site_of(problem, pools[k][0]), str(k)))
    turn = random.Random(seed).randrange(len(order))
    order = order[turn:] + order[:turn]
    total = sum(sessions.values()) or 1
    regions: list[set[str]] = [set() for _ in range(n)]
    done = 0
    for key in order:
        r = min(n - 1, done * n // total)
        regions[r].update(pools[key])
        done += sessions[key]
    return [r for r in regions if r]


def _by_resources(problem: PlanningProblem, placed: dict[int, Placement], pools: dict[tuple, list[str]],
                  sessions: dict[tuple, int], n: int, seed: int) -> list[set[str]]:
    """Pools, biggest first (a little shuffled by `seed`), each to the region whose pools
    share most of what it uses (sessions per trainer, room and interpreter in `placed`, and
    its teams), among the regions with room for it (a tenth above an even share)."""
    rng = random.Random(seed)
    use: dict[tuple, Counter] = {key: Counter() for key in pools}
    pool_of = {cid: key for key, cids in pools.items() for cid in cids}
    for i, pl in placed.items():
        use_ = use[pool_of[problem.sessions[i].key.cohort]]
        use_["t", pl.trainer] += 1
        if pl.room:
            use_["r", pl.room] += 1
        for x in pl.interpreters:
            use_["i", x] += 1
    for key, cids in pools.items():
        for cid in cids:
            for team, _members in problem.cohort_by_id[cid].team_counts:
                use[key]["team", team] += len(problem.by_cohort.get(cid, ()))
    cap = 1.1 * sum(sessions.values()) / n
    regions: list[tuple[set[str], Counter]] = [(set(), Counter()) for _ in range(n)]
    size = [0] * n
    for key in sorted(pools, key=lambda k: -sessions[k] * rng.uniform(0.7, 1.3)):
        fits = [r for r in range(n) if size[r] + sessions[key] <= cap] or [min(range(n), key=size.__getitem__)]
        shared = {r: sum(min(v, regions[r][1][x]) for x, v in use[key].items()) for r in fits}
        r = max(fits, key=lambda r: (shared[r], -size[r], rng.random()))
        regions[r][0].update(pools[key])
        regions[r][1].update(use[key])
        size[r] += sessions[key]
    return [cids for cids, _ in regions if cids]


def _site_of(problem: PlanningProblem, cid: str) -> str:
    sc = problem.scenario
    c = problem.cohort_by_id[cid]
    return min((sc.workplaces[w].site for w in c.workplaces if w in sc.workplaces), default="")


# -- the merge -------------------------------------------------------------------------------
def changed_cohorts(problem: PlanningProblem, start: dict[int, Placement], placed: dict[int, Placement]) -> set[str]:
    """The cohorts with a session placed otherwise (or placed or unplaced) in `placed` than in `start`."""
    return {problem.sessions[i].key.cohort for i in set(start) | set(placed) if start.get(i) != placed.get(i)}


def fewer_changes(problem: PlanningProblem, start: dict[int, Placement], placed: dict[int, Placement]
                  ) -> dict[int, Placement]:
    """`placed` with each changed cohort given back its track of `start` where that keeps the
    rules and costs no more: what is left is what made the result better. A search accepts
    many moves that cost nothing (late acceptance), and every cohort they touch could no
    longer go over to another region's result (measured at L: ~90 cohorts changed per region
    and round, a few of them to any gain)."""
    state = Schedule(problem, placed)
    for cid in sorted(changed_cohorts(problem, start, placed)):
        before = state.cost
        change = _swap(state, start, [cid])
        if change is not None and state.cost > before + 1e-6:
            _undo(state, *change)
    return dict(state.placed)


def merge_results(problem: PlanningProblem, start: dict[int, Placement],
                  results: list[tuple[PlanningProblem, dict[int, Placement]]]
                  ) -> tuple[PlanningProblem, dict[int, Placement], int]:
    """The round's schedule: the best of `results` (by unscheduled sessions, then the exact
    objective) with the cohorts the others improved taken over (module docstring). `problem`
    and `start` are the round's. A result may have formed cohorts of its region anew (cohort
    moves keep to a pool, and a pool to a region): those cohorts then go over together, the
    problem formed anew with them, when the best result kept the cohorts they replace as
    they were. Returns the problem, the placements and how many other results gave cohorts
    to the merge."""
    scored = sorted(((len(p.sessions) - len(pl), exact_costs(p, pl)["objective"], n, p, pl)
                     for n, (p, pl) in enumerate(results)), key=lambda x: x[:3])
    best = scored[0]
    base_problem, base = best[3], best[4]
    state = None
    taken = _altered(problem, base_problem) | changed_cohorts(problem, start,
                                                              placements_in(problem, base_problem, base))
    merged = 0
    for _missing, _cost, _n, other, placed in scored[1:]:
        altered = _altered(problem, other)
        if altered and set(other.unassigned) != set(problem.unassigned):
            continue  # its cohort moves left people out or took them in: not a region's change alone
        wanted = (altered | changed_cohorts(problem, start, placements_in(problem, other, placed))) - taken
        if not wanted or not altered.isdisjoint(taken):
            continue
        if state is None:
            state = Schedule(base_problem, base)
        plain = wanted - altered
        got = _transplant(state, other, placed, altered & wanted, plain) if altered else None
        if got is not None:  # the cohorts it formed anew went over together (and what else fitted)
            base_problem, state, gained = got
        else:
            gained = _take_over(state, placements_in(base_problem, other, placed, plain), plain)
        if gained:
            taken |= gained
            merged += 1
    if not merged or state is None:
        return best[3], best[4], 0
    result = dict(state.placed)
    exact = exact_costs(base_problem, result)["objective"]
    if (len(base_problem.sessions) - len(result), exact) >= best[:2]:  # the ledger agrees with exact_costs; kept honest
        return best[3], best[4], 0
    log.info("regions merged: %d results, %.0f -> %.0f", merged + 1, best[1], exact)
    return base_problem, result, merged


def _transplant(state: Schedule, other: PlanningProblem, placed: dict[int, Placement], formed: set[str],
                plain: set[str]) -> tuple[PlanningProblem, Schedule, set[str]] | None:
    """The schedule of `state` with the cohorts `formed` as `other` forms and places them
    (those gone from `other` go, new ones come; they go together or not at all, since they
    share out the same people; each of their tracks as far as it keeps the rules beside the
    rest), and of the `plain` cohorts (the same in both) those whose track keeps the rules
    beside them: the new problem, schedule and cohorts taken over when the objective drops,
    else None."""
    here = state.p
    kept = [c for c in here.cohorts if c.id not in formed]
    moved = [c for c in other.cohorts if c.id in formed]
    problem = PlanningProblem(here.scenario, cohorts=kept + moved, unassigned=here.unassigned, reuse=here)
    new = Schedule(problem, placements_in(problem, here, state.placed, {c.id for c in kept}))
    stopped: set[str] = set()  # a track stops at its first placement that breaks a rule: the rest waits
    for pl in sorted(placements_in(problem, other, placed, {c.id for c in moved}).values(),
                     key=lambda pl: problem.options[pl.session].candidates[pl.candidate].start):
        cid = problem.sessions[pl.session].key.cohort
        if cid in stopped or new.book.broken_rule(pl) is not None:
            stopped.add(cid)
            continue
        new.add(pl)
    gained = set(formed) | _fitting_tracks(new, placements_in(problem, other, placed, plain), sorted(plain), new.cost)
    if new.cost >= state.cost - 1e-6:
        return None
    return problem, new, gained


def _altered(problem: PlanningProblem, other: PlanningProblem) -> set[str]:
    """Cohorts formed otherwise in `other` than in `problem` (new, gone, or other members)."""
    if other is problem:
        return set()
    mine, theirs = problem.cohort_by_id, other.cohort_by_id
    return {cid for cid in set(mine) | set(theirs) if mine.get(cid) != theirs.get(cid)}


def placements_in(target: PlanningProblem, source: PlanningProblem, placed: dict[int, Placement],
                  cohorts: set[str] | None = None) -> dict[int, Placement]:
    """`placed` (of `source`) as placements of `target`, by session key and start slot: all
    of them, or those of `cohorts` (cohorts that are the same in both)."""
    if target is source:
        return placed if cohorts is None else {i: pl for i, pl in placed.items()
                                               if source.sessions[i].key.cohort in cohorts}
    out: dict[int, Placement] = {}
    for i, pl in placed.items():
        key = source.sessions[i].key
        j = target.session_index.get(key)
        if j is None or (cohorts is not None and key.cohort not in cohorts):
            continue
        slot = source.options[i].candidates[pl.candidate].slot.index
        k = next((k for k, c in enumerate(target.options[j].candidates) if c.slot.index == slot), None)
        if k is not None:
            out[j] = Placement(j, k, pl.trainer, pl.room, pl.interpreters)
    return out


def _take_over(state: Schedule, placed: dict[int, Placement], cohorts: set[str]) -> set[str]:
    """The tracks of `cohorts` from `placed` into `state`, kept only when every placement
    keeps the rules and the objective drops: all at once; else all whose placements keep the
    rules, together (a search's changes pay together: one cohort moved aside for another);
    else one by one. Returns the cohorts taken over."""
    if not cohorts:
        return set()
    order = sorted(cohorts)
    if _try_tracks(state, placed, order):
        return set(cohorts)
    if len(cohorts) == 1:
        return set()
    return _fitting_tracks(state, placed, order, state.cost) or {
        cid for cid in order if _try_tracks(state, placed, [cid])}


def _try_tracks(state: Schedule, placed: dict[int, Placement], cohorts: list[str]) -> bool:
    """Replace the tracks of `cohorts` in `state` by theirs in `placed`; undone (False) when a
    placement breaks a rule or the objective does not drop."""
    before = state.cost
    change = _swap(state, placed, cohorts)
    if change is not None and state.cost < before - 1e-6:
        return True
    if change is not None:
        _undo(state, *change)
    return False


def _fitting_tracks(state: Schedule, placed: dict[int, Placement], cohorts: list[str], target: float) -> set[str]:
    """The tracks of `cohorts` from `placed` into `state`, each as far as its placements keep
    the rules when that places no fewer of its sessions (the others keep their own): the
    cohorts taken over when the objective ends below `target`, else none (all undone)."""
    done, taken = [], set()
    for cid in cohorts:
        change = _swap(state, placed, [cid], partial=True)
        if change is not None:
            done.append(change)
            taken.add(cid)
    if taken and state.cost < target - 1e-6:
        return taken
    for change in reversed(done):
        _undo(state, *change)
    return set()


def _swap(state: Schedule, placed: dict[int, Placement], cohorts: list[str], partial: bool = False
          ) -> tuple[list[Placement], list[Placement]] | None:
    """The tracks of `cohorts` in `state` replaced by theirs in `placed`, in time order:
    (removed, added), or None (and nothing changed) when a placement breaks a rule. With
    `partial` (one cohort) the track goes as far as it keeps the rules (its first sessions:
    order and gaps hold among them), when that places no fewer sessions than it had."""
    p = state.p
    sessions = [i for cid in cohorts for i in p.by_cohort.get(cid, ())]
    removed = [state.remove(i) for i in sessions if i in state.placed]
    added: list[Placement] = []
    for pl in sorted((placed[i] for i in sessions if i in placed),
                     key=lambda pl: p.options[pl.session].candidates[pl.candidate].start):
        if state.book.broken_rule(pl) is not None:
            if partial:
                break
            _undo(state, removed, added)
            return None
        state.add(pl)
        added.append(pl)
    if len(added) < len(removed):
        _undo(state, removed, added)
        return None
    return removed, added


def _undo(state: Schedule, removed: list[Placement], added: list[Placement]) -> None:
    for pl in added:
        state.remove(pl.session)
    for pl in removed:
        state.add(pl)
