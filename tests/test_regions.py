"""A connected programme's search over several workers (issue 16): the regions each worker
improves, and the merge of their results (scheduler/search/regions.py), without Celery.

Every merged schedule goes through the independent validator."""

from __future__ import annotations

import copy
import dataclasses
import threading
import time

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.construct import Bookings, construct
from scheduler.search.engine import improve_in_parallel
from scheduler.search.regions import (
    changed_cohorts,
    choose_regions,
    cohorts_from_json,
    cohorts_to_json,
    fewer_changes,
    merge_results,
    placement_rows,
    placements_from_rows,
)
from scheduler.solve.regions import RegionSearch
from scheduler.solve.result import build_schedule, exact_costs
from scheduler.validate import format_report, validate
from tests.scenario_factory import module, plan, room, scenario_factory, team, track, trainer, workplace


def connected_programme(workplaces: int = 6, per_team: int = 4, weeks: int = 6) -> dict:
    """Workplaces at two sites whose plans share two trainers and every room: one part (no
    independent pieces), a cohort pool per plan."""
    sites = ("S-W", "S-O")
    wps = [workplace(f"W{n}", sites[n % 2], [team(f"lag-{n}", headcount=12, min_staffing=6)])
           for n in range(workplaces)]
    end = {4: "2027-04-30", 6: "2027-05-14", 8: "2027-05-28"}[weeks]
    return scenario_factory(
        horizon=("2027-04-05", end),
        sites=[{"id": s, "name": s} for s in sites],
        workplaces=wps,
        rooms=[room("R1", "S-W", capacity=12), room("R2", "S-O", capacity=12)],
        trainers=[trainer("T1", ("M1", "M2"), home_site="S-W"), trainer("T2", ("M1", "M2"), home_site="S-O",
                                                                          cost_per_hour=650)],
        modules=[module("M1", sessions=2, duration_minutes=120), module("M2", sessions=2, duration_minutes=120,
                                                                        min_gap_days=1)],
        tracks=[track("K1", ("M1", "M2"), max_group=per_team)],
        action_plans=[plan(f"HP{n}", f"W{n}", "K1", [{"team": f"lag-{n}", "count": per_team}])
                      for n in range(workplaces)],
    )


def problem_of(data: dict) -> PlanningProblem:
    return PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))


def assert_valid(data: dict, problem: PlanningProblem, placed: dict) -> None:
    schedule = build_schedule(problem, placed, status="feasible", bound=None, solve_seconds=0)
    report = validate(data, schedule)
    assert report.ok, format_report(report)


def _fits(book: Bookings, problem: PlanningProblem, placed: dict, i: int, trainer: str) -> list[Placement]:
    """Placements of session i (the last of its track, `placed` holding the one before) with
    `trainer` that break no rule given `book`: after the session before it with the module's
    gap, no double booking."""
    o, s = problem.options[i], problem.sessions[i]
    j = problem.by_cohort[s.key.cohort][s.position - 1]
    before = problem.options[j].candidates[placed[j].candidate]
    gap = problem.scenario.modules[s.module_id].min_gap_days if problem.sessions[j].module_id == s.module_id else 0
    out = []
    for k in sorted(o.trainers.get(trainer, ())):
        c = o.candidates[k]
        room = next((r for r, ok in o.rooms.items() if k in ok), None)
        if c.start < before.end or c.slot.day_number < before.slot.day_number + gap or (o.needs_room and not room):
            continue
        pl = Placement(i, k, trainer, room if o.needs_room else None, ())
        if book.broken_rule(pl) is None:
            out.append(pl)
    return out


def _setup():
    """A schedule of two cohorts with the last session of each left out, and the problem."""
    data = connected_programme(workplaces=2, weeks=4)
    problem = problem_of(data)
    full = construct(problem)
    assert len(full) == len(problem.sessions)
    a, b = sorted(problem.by_cohort)
    last_a, last_b = problem.by_cohort[a][-1], problem.by_cohort[b][-1]
    start = {i: pl for i, pl in full.items() if i not in (last_a, last_b)}
    return data, problem, start, (a, last_a), (b, last_b)


def test_regions_are_disjoint_whole_pools_that_cover_every_cohort_and_turn_with_the_seed():
    problem = problem_of(connected_programme(workplaces=6))
    cuts = {}
    for seed in range(6):
        regions = choose_regions(problem, 3, seed, construct(problem) if seed % 2 else None)
        assert len(regions) == 3
        assert sum(len(r) for r in regions) == len(problem.cohorts)
        assert set().union(*regions) == set(problem.by_cohort)
        cuts[seed] = tuple(tuple(sorted(r)) for r in regions)
    assert len(set(cuts.values())) > 1  # the borders move from round to round
    assert len(choose_regions(problem, 50, 0)) == len(problem.cohorts)  # never more regions than pools


def test_the_wire_format_gives_back_the_same_cohorts_and_placements():
    data, problem, start, *_ = _setup()
    cohorts = cohorts_from_json(cohorts_to_json(problem.cohorts))
    assert cohorts == problem.cohorts
    again = PlanningProblem(problem.scenario, cohorts=cohorts, unassigned=problem.unassigned)
    assert placements_from_rows(again, placement_rows(problem, start)) == start


def test_two_disjoint_improvements_combine():
    data, problem, start, (a, ia), (b, ib) = _setup()
    book = Bookings(problem)
    for pl in start.values():
        book.book(pl)
    pa = _fits(book, problem, start, ia, start[problem.by_cohort[a][0]].trainer)[0]
    book.book(pa)
    pb = _fits(book, problem, start, ib, start[problem.by_cohort[b][0]].trainer)[0]  # fits beside a's too
    only_a, only_b = {**start, ia: pa}, {**start, ib: pb}
    assert changed_cohorts(problem, start, only_a) == {a}
    merged_problem, merged, taken = merge_results(problem, start, [(problem, only_a), (problem, only_b)])
    assert merged_problem is problem and taken == 1
    assert merged[ia] == pa and merged[ib] == pb and len(merged) == len(problem.sessions)
    cost = exact_costs(problem, merged)["objective"]
    assert cost < min(exact_costs(problem, x)["objective"] for x in (only_a, only_b))
    assert_valid(data, problem, merged)


def test_an_improvement_of_a_cohort_already_changed_is_not_applied():
    data, problem, start, (a, ia), (b, ib) = _setup()
    book = Bookings(problem)
    for pl in start.values():
        book.book(pl)
    pb = _fits(book, problem, start, ib, start[problem.by_cohort[b][0]].trainer)[0]
    book.book(pb)
    mine = start[problem.by_cohort[a][0]].trainer
    other = next(t for t in problem.options[ia].trainers if t != mine)  # a trainer change costs
    cheap, dear = _fits(book, problem, start, ia, mine)[0], _fits(book, problem, start, ia, other)[0]
    both = {**start, ia: dear, ib: pb}  # the best result (two sessions placed), a's the dearer way
    a_cheaper = {**start, ia: cheap}  # a's the cheaper way: it would lower the cost, but a is taken
    assert (exact_costs(problem, {**both, ia: cheap})["objective"]
            < exact_costs(problem, both)["objective"])
    _p, merged, taken = merge_results(problem, start, [(problem, a_cheaper), (problem, both)])
    assert taken == 0 and merged == both


def test_an_improvement_that_would_break_a_rule_beside_the_others_is_not_applied():
    data, problem, start, (a, ia), (b, ib) = _setup()
    book = Bookings(problem)
    for pl in start.values():
        book.book(pl)
    trainer = start[problem.by_cohort[a][0]].trainer
    pa = _fits(book, problem, start, ia, trainer)[0]
    # b's last session at a's very start with the same trainer: fine alone, a double booking beside a's
    slot = problem.options[ia].candidates[pa.candidate].slot.index
    clash = [pl for pl in _fits(book, problem, start, ib, trainer)
             if problem.options[ib].candidates[pl.candidate].slot.index == slot]
    assert clash, "the test needs b's session to be possible at a's start"
    only_a, clashing_b = {**start, ia: pa}, {**start, ib: clash[0]}
    for alone in (only_a, clashing_b):
        assert_valid(data, problem, alone)
    _p, merged, taken = merge_results(problem, start, [(problem, only_a), (problem, clashing_b)])
    assert taken == 0 and len(merged) == len(start) + 1
    assert_valid(data, problem, merged)


def _replayed(problem: PlanningProblem, placed: dict) -> bool:
    """Whether every placement keeps the resource rules beside the others (time order)."""
    book = Bookings(problem)
    for pl in sorted(placed.values(), key=lambda pl: problem.options[pl.session].candidates[pl.candidate].start):
        if book.broken_rule(pl) is not None:
            return False
        book.book(pl)
    return True


def test_cohorts_the_best_result_kept_as_they_were_still_take_improvements_from_the_others():
    data, problem, start, (a, ia), (b, ib) = _setup()
    start.pop(problem.by_cohort[b][-2])  # b misses its last two sessions
    # the best result formed cohort b anew (as the coordinator's cohort moves do) and placed all of it ...
    reformed = PlanningProblem(problem.scenario, cohorts=[c if c.id != b else dataclasses.replace(c, id=f"{b}-new")
                                                          for c in problem.cohorts],
                               unassigned=problem.unassigned, reuse=problem)
    again = construct(reformed)
    best = {i: pl for i, pl in again.items() if reformed.sessions[i].key.cohort == f"{b}-new"}
    best.update({reformed.session_index[problem.sessions[i].key]: dataclasses.replace(
        pl, session=reformed.session_index[problem.sessions[i].key]) for i, pl in start.items()
        if problem.sessions[i].key.cohort == a})
    assert len(best) == len(reformed.sessions) - 1 and _replayed(reformed, best)  # a's last session missing
    # ... while another search, on the round's cohorts, placed a's missing session
    book = Bookings(problem)
    for pl in start.values():
        book.book(pl)
    only_a = {**start, ia: _fits(book, problem, start, ia, start[problem.by_cohort[a][0]].trainer)[0]}
    merged_problem, merged, taken = merge_results(problem, start, [(problem, only_a), (reformed, best)])
    assert merged_problem is reformed and taken == 1
    assert len(merged) == len(reformed.sessions)  # a's track from the other search, b as the best formed it
    assert _replayed(reformed, merged)
    assert exact_costs(reformed, merged)["objective"] < exact_costs(reformed, best)["objective"]


def test_a_result_that_formed_its_cohorts_anew_goes_over_whole_when_the_best_kept_them():
    data, problem, start, (a, ia), (b, ib) = _setup()
    start.pop(problem.by_cohort[a][-2])  # a misses its last two sessions, b its last one
    # one search formed b anew and placed all of it (a still misses two) ...
    reformed = PlanningProblem(problem.scenario, cohorts=[c if c.id != b else dataclasses.replace(c, id=f"{b}-new")
                                                          for c in problem.cohorts],
                               unassigned=problem.unassigned, reuse=problem)
    again = construct(reformed)
    other = {i: pl for i, pl in again.items() if reformed.sessions[i].key.cohort == f"{b}-new"}
    other.update({reformed.session_index[problem.sessions[i].key]: dataclasses.replace(
        pl, session=reformed.session_index[problem.sessions[i].key]) for i, pl in start.items()
        if problem.sessions[i].key.cohort == a})
    assert _replayed(reformed, other)
    # ... the best placed a in full on the round's cohorts (b still misses one)
    best = dict(start)
    for i in problem.by_cohort[a][-2:]:
        book = Bookings(problem)
        for pl in best.values():
            book.book(pl)
        best[i] = _fits(book, problem, best, i, start[problem.by_cohort[a][0]].trainer)[0]
    assert len(best) == len(problem.sessions) - 1 and len(other) == len(reformed.sessions) - 2
    merged_problem, merged, taken = merge_results(problem, start, [(reformed, other), (problem, best)])
    assert taken == 1 and {c.id for c in merged_problem.cohorts} == {a, f"{b}-new"}
    assert len(merged) == len(merged_problem.sessions) and _replayed(merged_problem, merged)
    # a as the best placed it, b as the other formed and placed it
    assert {merged_problem.sessions[i].key: pl.candidate for i, pl in merged.items()} == {
        **{problem.sessions[i].key: best[i].candidate for i in problem.by_cohort[a]},
        **{reformed.sessions[i].key: other[i].candidate for i in reformed.by_cohort[f"{b}-new"]}}


def test_changes_that_gained_nothing_are_given_back_before_the_merge():
    data, problem, start, (a, ia), (b, ib) = _setup()
    book = Bookings(problem)
    for pl in start.values():
        book.book(pl)
    trainer = start[problem.by_cohort[a][0]].trainer
    placed = {**start, ia: _fits(book, problem, start, ia, trainer)[0]}  # a's last session: the gain
    jb = problem.by_cohort[b][-2]  # b's last placed session moved elsewhere: churn
    book.book(placed[ia])
    book.book(start[jb], -1)
    placed[jb] = next(pl for pl in _fits(book, problem, start, jb, start[jb].trainer)
                      if pl.candidate != start[jb].candidate)
    assert changed_cohorts(problem, start, placed) == {a, b}
    fewer = fewer_changes(problem, start, placed)
    assert changed_cohorts(problem, start, fewer) == {a} and fewer[ia] == placed[ia] and fewer[jb] == start[jb]
    assert exact_costs(problem, fewer)["objective"] <= exact_costs(problem, placed)["objective"]
    assert _replayed(problem, fewer)


class ThreadRunner:
    """Region searches in threads of this process, through the same wire format the Celery
    workers use (a stand-in for the cluster: what crosses a machine boundary is JSON)."""

    def __init__(self, document: dict, searches: int):
        self.document, self.searches = document, searches
        self.rounds: list[int] = []

    def prepare(self) -> None:
        pass

    def run_round(self, request: dict, until: float, cancel) -> list[dict | None]:
        answers: list[dict | None] = [None] * len(request["regions"])

        def one(n: int) -> None:
            got = RegionSearch(self.document).run(request, n, until, cancel)
            answers[n] = dict(got, worker=f"thread-{n}")

        threads = [threading.Thread(target=one, args=(n,)) for n in range(len(request["regions"]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.rounds.append(len(request["regions"]))
        return answers


def test_a_search_over_workers_merges_regions_round_by_round_and_stays_valid():
    data = connected_programme(workplaces=6)
    problem = problem_of(data)
    placed = construct(problem)
    runner = ThreadRunner(load_scenario(copy.deepcopy(data)), searches=1)
    before = exact_costs(problem, placed)["objective"]
    found, best, stats = improve_in_parallel(problem, placed, deadline=time.monotonic() + 11, seed=1, runner=runner)
    assert runner.rounds == [1, 1]  # two rounds of 5 s and more, one region sent out in each
    assert [r["workers"] for r in stats["search_workers"]] == [["home", "thread-0"]] * 2
    assert exact_costs(found, best)["objective"] <= before
    assert_valid(data, found, best)
