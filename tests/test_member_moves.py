"""Cohorts inside the search, member by member: a cohort shared out among the others, a member
moved to a cohort that meets when they can. Every schedule passes the independent validator."""

from __future__ import annotations

import copy
import random
import time
from datetime import date

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.cohort_records import group_size_breaks
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.search.cohort_moves import _cohort, merge, merge_candidates, regroup, sizes_break
from scheduler.search.construct import construct
from scheduler.search.engine import _dissolve_sweep, _merge_sweep, improve
from scheduler.search.member_moves import dissolve, move_member
from scheduler.search.reseat import reseat_sweep, thin_out_sweep
from scheduler.search.ruin_recreate import Schedule
from scheduler.solve.result import build_schedule
from scheduler.validate import format_report, validate
from tests.scenario_factory import named, pattern, plan, scenario_factory, shift_type, team, trainer, workplace


def problem_with_cohorts(data: dict, groups: dict[str, list[str]]) -> PlanningProblem:
    """The scenario's problem with the cohorts given by hand (id -> members), as the search
    might have left them."""
    scenario = build_scenario(load_scenario(copy.deepcopy(data)))
    first = PlanningProblem(scenario)
    cohorts = [_cohort(first, cid, "K1", members, ["HP1"]) for cid, members in groups.items()]
    return PlanningProblem(scenario, cohorts=cohorts, reuse=first)


def day_and_evening(participants: list[dict], headcount: int = 20, **overrides) -> dict:
    """One workplace with a day team (lag-1, 07-16) and an evening team (lag-2, 15-23), each of
    `headcount` with 2 needed at work, start times 08:00 (day shift) and 17:00 (evening shift)."""
    return scenario_factory(
        start_times=["08:00", "17:00"],
        shift_types=[shift_type("D", "07:00", "16:00"), shift_type("E", "15:00", "23:00")],
        shift_patterns=[pattern("dag", ["D"] * 5 + ["-", "-"]), pattern("kvall", ["E"] * 5 + ["-", "-"])],
        workplaces=[workplace(teams=[team("lag-1", headcount=headcount, min_staffing=2),
                                     team("lag-2", pattern="kvall", headcount=headcount, min_staffing=2)])],
        participants=participants, **overrides)


def assert_valid(data: dict, problem: PlanningProblem, placed: dict) -> None:
    schedule = build_schedule(problem, placed, status="feasible", bound=None, solve_seconds=0)
    report = validate(data, schedule)
    assert report.ok, format_report(report)


def test_a_cohort_shared_out_among_the_others_saves_its_trainer_hours():
    data = scenario_factory(participants=[named(f"p{n}") for n in range(1, 9)], track={"max_group": 6},
                            workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_with_cohorts(data, {"C-a": ["p1", "p2", "p3", "p4"], "C-b": ["p5", "p6", "p7"],
                                          "C-c": ["p8"]})
    placed = construct(problem)
    assert len(placed) == len(problem.sessions) == 3
    before = Schedule(problem, placed).cost

    moved, after, cost = dissolve(problem, placed, "C-c")

    assert sorted(c.id for c in moved.cohorts) == ["C-a", "C-b"]  # the receivers keep their ids
    assert sorted(p for c in moved.cohorts for p in c.participants) == [f"p{n}" for n in range(1, 9)]
    assert all(c.size <= 6 for c in moved.cohorts)
    assert len(after) == len(moved.sessions) == 2
    assert cost < before  # one session's trainer hour fewer
    assert_valid(data, moved, after)


def test_a_cohort_is_not_shared_out_beyond_the_group_size():
    data = scenario_factory(participants=[named(f"p{n}") for n in range(1, 8)], track={"max_group": 3},
                            workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_with_cohorts(data, {"C-a": ["p1", "p2", "p3"], "C-b": ["p4", "p5"], "C-c": ["p6", "p7"]})
    placed = construct(problem)
    # C-c's two members would need two free seats; only C-b has one.
    assert dissolve(problem, placed, "C-c") is None


def evening_worker_among_day_workers() -> tuple[dict, PlanningProblem]:
    """Cohort C-day: day workers d1, d2 with evening worker e1 (no start at all); C-eve: e2, e3
    (group size 2-3)."""
    data = day_and_evening(
        [named("d1"), named("d2"), named("e1", "lag-2"), named("e2", "lag-2"), named("e3", "lag-2")],
        track={"min_group": 2, "max_group": 3},
    )
    return data, problem_with_cohorts(data, {"C-day": ["d1", "d2", "e1"], "C-eve": ["e2", "e3"]})


def test_a_member_who_keeps_the_cohort_from_ever_meeting_moves_to_a_cohort_that_meets_when_they_can():
    # Day workers train on shift only at 08:00, evening workers at 17:00: e1 among day workers
    # keeps cohort C-day from any start; C-eve meets at 17:00 and has a seat for e1.
    data, problem = evening_worker_among_day_workers()
    placed = construct(problem)
    assert len(placed) == 1  # C-day cannot meet

    moved, after, _cost = move_member(problem, placed, "C-day")

    assert moved.cohort_by_id["C-day"].participants == ("d1", "d2")
    assert moved.cohort_by_id["C-eve"].participants == ("e1", "e2", "e3")
    assert len(after) == len(moved.sessions) == 2
    assert_valid(data, moved, after)


def test_the_search_moves_the_member_who_keeps_a_cohort_from_any_start_at_all():
    # C-day has no start at all (e1 works evenings, d1 and d2 days): no neighbourhood can
    # place it, so the search itself must turn to its members.
    data, problem = evening_worker_among_day_workers()
    placed = construct(problem)
    assert len(placed) == 1 and not any(problem.options[i].candidates for i in problem.by_cohort["C-day"])

    moved, best, stats = improve(problem, placed, deadline=time.monotonic() + 5, seed=1)

    assert len(best) == len(moved.sessions) == 2
    # the member move (both cohorts keep their ids and calendar UIDs), not a new grouping
    assert stats["member_moves"] == 1
    assert moved.cohort_by_id["C-day"].participants == ("d1", "d2")
    assert moved.cohort_by_id["C-eve"].participants == ("e1", "e2", "e3")
    assert_valid(data, moved, best)


def test_a_member_whose_only_cohorts_are_full_joins_one_that_splits_in_two():
    # e1 (evening) keeps C-day from any start; the only cohort meeting in the evening, C-eve,
    # is full, and any evening worker sent back would keep C-day from meeting again. So C-eve
    # with e1 splits in two: e1 with one of them at C-eve's times, the other two anew.
    data = day_and_evening([named("d1"), named("d2"), *(named(f"e{n}", "lag-2") for n in range(1, 5))],
                           track={"min_group": 2, "max_group": 3})
    problem = problem_with_cohorts(data, {"C-day": ["d1", "d2", "e1"], "C-eve": ["e2", "e3", "e4"]})
    placed = construct(problem)
    assert len(placed) == 1  # C-day cannot meet

    moved, after, _cost = move_member(problem, placed, "C-day")

    assert moved.cohort_by_id["C-day"].participants == ("d1", "d2")
    assert "e1" in moved.cohort_by_id["C-eve"].participants and moved.cohort_by_id["C-eve"].size == 2
    assert sorted(c.id for c in moved.cohorts) == ["C-day", "C-eve", "C-eve-2"]  # the two kept their ids
    assert sorted(p for c in moved.cohorts for p in c.participants) == ["d1", "d2", "e1", "e2", "e3", "e4"]
    assert len(after) == len(moved.sessions) == 3
    assert_valid(data, moved, after)


def test_no_member_move_is_offered_when_nobody_blocks_the_cohort():
    data = scenario_factory(participants=[named(f"p{n}") for n in range(1, 7)], track={"min_group": 2, "max_group": 4},
                            workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_with_cohorts(data, {"C-a": ["p1", "p2", "p3"], "C-b": ["p4", "p5", "p6"]})
    placed = construct(problem)
    assert len(placed) == 2
    assert move_member(problem, placed, "C-a") is None  # complete: nothing to gain


def test_a_participant_who_trains_off_shift_is_reseated_in_a_cohort_that_meets_on_their_shift():
    # The plan allows both; e1 (evening shift) sits with day workers at 08:00 and pays overtime,
    # while C-eve meets at 17:00, inside e1's shift (backfill is cheaper).
    data = day_and_evening(
        [named("d1"), named("d2"), named("e1", "lag-2"), named("e2", "lag-2"), named("e3", "lag-2")],
        allow_off_shift=True,
        track={"min_group": 2, "max_group": 3},
    )
    problem = problem_with_cohorts(data, {"C-day": ["d1", "d2", "e1"], "C-eve": ["e2", "e3"]})
    placed = construct(problem)
    assert len(placed) == 2
    before = Schedule(problem, placed).cost

    moved, after, cost = reseat_sweep(problem, placed, time.monotonic() + 5)

    assert moved.cohort_by_id["C-eve"].participants == ("e1", "e2", "e3")
    assert cost == before - 200  # one hour of overtime (650) became backfill (450)
    assert_valid(data, moved, after)


def test_nobody_is_reseated_when_every_participant_already_trains_on_shift():
    data = scenario_factory(participants=[named(f"p{n}") for n in range(1, 7)], allow_off_shift=True,
                            track={"min_group": 2, "max_group": 4},
                            workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_with_cohorts(data, {"C-a": ["p1", "p2", "p3"], "C-b": ["p4", "p5", "p6"]})
    placed = construct(problem)
    assert reseat_sweep(problem, placed, time.monotonic() + 5) is None


def test_cohorts_over_a_teams_slack_trade_members_so_that_both_meet_on_shift():
    # Each team can spare two people at a time. Three day workers in one cohort can never
    # meet in the day shift, three evening workers never in the evening: all six pay overtime.
    # A day worker and an evening worker trade places: each cohort meets on its majority's
    # shift, four of the six train on shift (4 x 200 less for a one-hour session).
    data = day_and_evening(
        [named("d1"), named("d2"), named("d3"), named("e1", "lag-2"), named("e2", "lag-2"), named("e3", "lag-2")],
        allow_off_shift=True,
        track={"min_group": 3, "max_group": 3},
        headcount=4,
    )
    problem = problem_with_cohorts(data, {"C-day": ["d1", "d2", "d3"], "C-eve": ["e1", "e2", "e3"]})
    placed = construct(problem)
    assert len(placed) == 2
    before = Schedule(problem, placed).cost
    assert reseat_sweep(problem, placed, time.monotonic() + 5) is None  # one person at a time gains nothing

    moved, after, cost = thin_out_sweep(problem, placed, before, time.monotonic() + 5, random.Random(0))

    assert sorted(moved.cohort_by_id) == ["C-day", "C-eve"]  # both keep their ids
    assert all(n <= 2 for c in moved.cohorts for _team, n in c.team_counts)
    assert len(after) == len(moved.sessions) == 2
    assert cost == before - 4 * 200
    assert_valid(data, moved, after)


def test_no_cohort_is_thinned_when_every_team_is_within_its_slack():
    data = day_and_evening([named("d1"), named("d2"), named("e1", "lag-2"), named("e2", "lag-2")],
                           allow_off_shift=True, track={"min_group": 2, "max_group": 2}, headcount=4)
    problem = problem_with_cohorts(data, {"C-day": ["d1", "d2"], "C-eve": ["e1", "e2"]})
    placed = construct(problem)
    assert thin_out_sweep(problem, placed, Schedule(problem, placed).cost, time.monotonic() + 5,
                          random.Random(0)) is None


def test_a_cohort_that_cannot_meet_is_split_by_itself_leaving_the_others_as_they_are():
    # Day and evening workers who may train only on shift never meet together; C-mix is split
    # in two that each meet; C-other keeps its members, id and placement.
    data = day_and_evening(
        [named("d1"), named("d2"), named("e1", "lag-2"), named("e2", "lag-2"), named("d3"), named("d4")],
        track={"min_group": 2, "max_group": 4},
    )
    problem = problem_with_cohorts(data, {"C-mix": ["d1", "d2", "e1", "e2"], "C-other": ["d3", "d4"]})
    placed = construct(problem)
    assert len(placed) == 1

    moved, after, _cost = regroup(problem, placed, "C-mix", alone=True)

    assert moved.cohort_by_id["C-other"] == problem.cohort_by_id["C-other"]
    assert sorted(c.participants for c in moved.cohorts) == [("d1", "d2"), ("d3", "d4"), ("e1", "e2")]
    assert len(after) == len(moved.sessions) == 3
    assert_valid(data, moved, after)


def test_a_track_whose_trainer_is_fully_booked_loses_a_cohort_so_that_the_one_missing_fits():
    # T1 holds one session a day for two days; the track's three cohorts need three. The
    # evening cohort (another workplace's) can be neither shared out nor formed otherwise; the
    # two day cohorts of HP1 can become one, and the day that frees takes the evening cohort.
    window = {"earliest": "2027-04-05", "deadline": "2027-04-06", "target": "2027-04-06"}
    day = [named(f"d{n}") for n in range(1, 5)]
    evening = [named("e1", "lag-2"), named("e2", "lag-2")]
    data = day_and_evening(day, track={"min_group": 2, "max_group": 4}, horizon=("2027-04-05", "2027-04-06"),
                           trainers=[trainer("T1", max_sessions_per_day=1)],
                           action_plans=[plan("HP1", participants=day, **window),
                                         plan("HP2", workplace="W2", participants=evening, **window)])
    day_team, evening_team = data["workplaces"][0]["teams"]
    data["workplaces"] = [workplace("W1", teams=[day_team]), workplace("W2", teams=[evening_team])]
    scenario = build_scenario(load_scenario(copy.deepcopy(data)))
    first = PlanningProblem(scenario)
    problem = PlanningProblem(scenario, cohorts=[_cohort(first, "C-d1", "K1", ["d1", "d2"], ["HP1"]),
                                                 _cohort(first, "C-d2", "K1", ["d3", "d4"], ["HP1"]),
                                                 _cohort(first, "C-eve", "K1", ["e1", "e2"], ["HP2"])], reuse=first)
    placed = {pl.session: pl for pl in (_at(problem, "C-d1", date(2027, 4, 5)), _at(problem, "C-d2", date(2027, 4, 6)))}

    # The search's move while C-eve waits: a cohort of its track, not C-eve, shared out.
    merged, after, _cost = _dissolve_sweep(problem, placed, random.Random(1), time.monotonic() + 5,
                                           tracks={"K1"}, skip={"C-eve"}, replace_receivers=True)
    assert len(merged.cohorts) == 2 and "C-eve" in merged.cohort_by_id
    # ... and the day it frees takes C-eve.
    moved, best, _stats = improve(merged, after, deadline=time.monotonic() + 2, seed=1)
    assert len(best) == len(moved.sessions) == 2
    assert sorted(p for c in moved.cohorts for p in c.participants) == ["d1", "d2", "d3", "d4", "e1", "e2"]
    assert_valid(data, moved, best)


def _at(problem: PlanningProblem, cid: str, day: date) -> Placement:
    """The cohort's one session on `day` (its first start that T1 can hold), in its first room."""
    i = problem.by_cohort[cid][0]
    o = problem.options[i]
    k = next(k for k, c in enumerate(o.candidates) if c.slot.day == day and k in o.trainers["T1"])
    room = next((r for r, ks in o.rooms.items() if k in ks), None) if o.needs_room else None
    return Placement(i, k, "T1", room, ())


def small_plan_beside_a_large_one(**overrides) -> tuple[dict, PlanningProblem]:
    """One workplace, track of 4-5. Plan HP1 (5: day workers d1-d4, evening worker e1) meets
    as C-day; plan HP2 (2 evening workers e2, e3) is the one smaller cohort the rules allow,
    C-eve. Were e1 to join C-eve, it would hold 3 (below 4) with a member of a large plan."""
    data = day_and_evening(
        [named("d1"), named("d2"), named("d3"), named("d4"), named("e1", "lag-2")],
        track={"min_group": 4, "max_group": 5}, **overrides)
    small = dict(data["action_plans"][0], id="HP2", participants=[named("e2", "lag-2"), named("e3", "lag-2")])
    data["action_plans"].append(small)
    scenario = build_scenario(load_scenario(copy.deepcopy(data)))
    first = PlanningProblem(scenario)
    cohorts = [_cohort(first, "C-day", "K1", ["d1", "d2", "d3", "d4", "e1"], ["HP1"]),
               _cohort(first, "C-eve", "K1", ["e2", "e3"], ["HP2"])]
    return data, PlanningProblem(scenario, cohorts=cohorts, reuse=first)


def test_group_sizes_allow_a_small_plan_its_one_smaller_cohort_and_nothing_more():
    data, problem = small_plan_beside_a_large_one()
    sc = problem.scenario
    assert group_size_breaks(sc, problem.cohorts) == []
    joined = _cohort(problem, "C-eve", "K1", ["e1", "e2", "e3"], ["HP1", "HP2"])
    rest = _cohort(problem, "C-day", "K1", ["d1", "d2", "d3", "d4"], ["HP1"])
    assert group_size_breaks(sc, [rest, joined]) == ["C-eve"]  # HP1 has 5: no smaller cohort for it
    halves = [_cohort(problem, "C-e2", "K1", ["e2"], ["HP2"]), _cohort(problem, "C-e3", "K1", ["e3"], ["HP2"])]
    assert group_size_breaks(sc, [problem.cohorts[0], *halves]) == ["C-e2", "C-e3"]  # one smaller cohort, not two
    six = _cohort(problem, "C-day", "K1", ["d1", "d2", "d3", "d4", "e1", "e2"], ["HP1", "HP2"])
    assert group_size_breaks(sc, [six, halves[1]]) == ["C-day"]  # too big; e3 alone is HP2's one smaller cohort


def test_nobody_is_reseated_into_a_small_plans_cohort_that_would_then_break_the_group_sizes():
    # e1 trains off shift with the day workers (overtime) and C-eve meets on the evening shift:
    # reseating e1 would save 200, but leave C-eve at 3 with a member of the five-strong HP1.
    data, problem = small_plan_beside_a_large_one(allow_off_shift=True)
    data["action_plans"][1]["allow_off_shift"] = True
    placed = construct(problem)
    assert len(placed) == len(problem.sessions) == 2

    assert reseat_sweep(problem, placed, time.monotonic() + 5) is None
    assert_valid(data, problem, placed)


def test_no_member_is_moved_into_a_small_plans_cohort_below_the_minimum():
    # e1 (evening) keeps C-day (day workers, on shift only) from every start; C-eve meets in the
    # evening, but taking e1 in would leave it at 3 with a member of a large plan.
    data, problem = small_plan_beside_a_large_one()
    placed = construct(problem)
    assert len(placed) == 1

    got = move_member(problem, placed, "C-day")

    if got is not None:  # a swap that keeps the sizes is fine; the validator says so
        moved, after, _cost = got
        assert group_size_breaks(moved.scenario, moved.cohorts) == []
        assert_valid(data, moved, after)
    solved, best, _stats = improve(problem, placed, deadline=time.monotonic() + 3, seed=1)
    assert_valid(data, solved, best)


def test_a_cohort_already_below_the_minimum_does_not_freeze_the_other_moves_of_its_track():
    # C-eve (2, plan HP2) already holds e1 of the large HP1 as well (a baseline kept, say): a
    # move elsewhere in the track is judged by the breaks it adds, not by that one
    data, problem = small_plan_beside_a_large_one()
    broken = [_cohort(problem, "C-day", "K1", ["d1", "d2", "d3", "d4"], ["HP1"]),
              _cohort(problem, "C-eve", "K1", ["e1", "e2", "e3"], ["HP1", "HP2"])]
    problem = PlanningProblem(problem.scenario, cohorts=broken, reuse=problem)
    assert group_size_breaks(problem.scenario, problem.cohorts) == ["C-eve"]
    day = problem.cohort_by_id["C-day"]
    swapped = _cohort(problem, "C-day", "K1", ["d1", "d2", "d3", "d4"], ["HP1"])
    assert not sizes_break(problem, [day], [swapped])
    # but a move that leaves C-eve as broken as it was, or another cohort broken, is refused
    eve = problem.cohort_by_id["C-eve"]
    assert sizes_break(problem, [eve], [_cohort(problem, "C-eve", "K1", ["e1", "e2"], ["HP1", "HP2"])])
    assert sizes_break(problem, [day, eve], [_cohort(problem, "C-day", "K1", ["d1", "d2", "d3"], ["HP1"]),
                                             _cohort(problem, "C-eve", "K1", ["d4", "e1", "e2", "e3"],
                                                     ["HP1", "HP2"])])


def test_a_small_plans_cohort_may_take_in_the_member_of_another_small_plan_whose_cohort_is_shared_out():
    # HP3 (x1 alone) is its own smaller cohort, C-x; shared out into C-eve (HP2), both plans
    # smaller than the minimum keep one smaller cohort each: the one they now share
    data, problem = small_plan_beside_a_large_one()
    data["action_plans"].append(dict(data["action_plans"][1], id="HP3", participants=[named("x1", "lag-2")]))
    scenario = build_scenario(load_scenario(copy.deepcopy(data)))
    first = PlanningProblem(scenario)
    cohorts = [_cohort(first, "C-day", "K1", ["d1", "d2", "d3", "d4", "e1"], ["HP1"]),
               _cohort(first, "C-eve", "K1", ["e2", "e3"], ["HP2"]), _cohort(first, "C-x", "K1", ["x1"], ["HP3"])]
    problem = PlanningProblem(scenario, cohorts=cohorts, reuse=first)
    placed = construct(problem)
    assert {problem.sessions[i].key.cohort for i in placed} == {"C-eve", "C-x"}  # C-day has no start (e1)

    moved, after, _cost = dissolve(problem, placed, "C-x")

    assert moved.cohort_by_id["C-eve"].participants == ("e2", "e3", "x1")
    assert group_size_breaks(moved.scenario, moved.cohorts) == []
    assert_valid(data, moved, after)


def day_plan_and_evening_plan() -> dict:
    """One workplace, two plans of the track: HP1 three day workers (07-16) who train on shift
    only, HP2 three evening workers (15-23 every day) who may also train off shift. A session
    lasts 3 h; it may start at 08:00, 12:00 or 17:00; the trainer costs 1 000 an hour."""
    data = day_and_evening([], track={"min_group": 2, "max_group": 6}, module={"duration_minutes": 180},
                           trainer={"cost_per_hour": 1000})
    data["shift_patterns"][1] = pattern("kvall", ["E"] * 7)
    data["calendar"]["start_times"] = ["08:00", "12:00", "17:00"]
    data["action_plans"] = [
        plan("HP1", participants=[named(f"d{n}") for n in (1, 2, 3)]),
        plan("HP2", participants=[named(f"e{n}", "lag-2") for n in (1, 2, 3)], allow_off_shift=True),
    ]
    return data


def test_two_cohorts_of_one_workplace_merge_into_one_that_meets_when_both_can():
    # Planned plan by plan, the day workers meet at 08:00 and the evening workers at 17:00, each
    # on their own shift. Together they can meet only at 12:00 (an evening worker at 08:00 has
    # had 9 hours of rest since 23:00; a day worker at 17:00 is off shift, which HP1 forbids),
    # and pay one trainer: 3 000 for 3 hours less, against 1 800 of overtime (three evening
    # workers, 3 hours each, 200 above the backfill).
    data = day_plan_and_evening_plan()
    scenario = build_scenario(load_scenario(copy.deepcopy(data)))
    problem = PlanningProblem(scenario)
    assert sorted(c.participants for c in problem.cohorts) == [("d1", "d2", "d3"), ("e1", "e2", "e3")]
    placed = construct(problem)
    assert len(placed) == 2
    before = Schedule(problem, placed).cost
    a, b = sorted(c.id for c in problem.cohorts)

    assert [sorted(pair) for pair in merge_candidates(problem, random.Random(0))] == [[a, b]]
    merged, after, cost = merge(problem, placed, a, b)

    assert [c.participants for c in merged.cohorts] == [("d1", "d2", "d3", "e1", "e2", "e3")]
    assert merged.cohorts[0].id == a  # the id of one of the two (calendar UIDs)
    assert len(after) == len(merged.sessions) == 1
    start = merged.options[0].candidates[after[0].candidate].slot
    assert start.start_time.strftime("%H:%M") == "12:00"
    assert before - cost == 3000 - 1800
    assert_valid(data, merged, after)


def test_no_merge_is_offered_beyond_the_group_size_or_across_workplaces():
    data = day_plan_and_evening_plan()
    data["tracks"][0]["max_group"] = 5  # six people would be one too many
    problem = PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))
    assert merge_candidates(problem, random.Random(0)) == []

    data = day_plan_and_evening_plan()
    data["workplaces"].append(workplace("W2", teams=[team("lag-3", headcount=20, min_staffing=2)]))
    data["action_plans"][1] = plan("HP2", workplace="W2", participants=[named(f"e{n}", "lag-3") for n in (1, 2, 3)])
    problem = PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))
    assert len(problem.cohorts) == 2
    assert merge_candidates(problem, random.Random(0)) == []


def test_the_merge_sweep_takes_the_first_merge_that_pays_and_tries_no_pair_twice():
    data = day_plan_and_evening_plan()
    problem = PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))
    placed = construct(problem)
    tried: set = set()

    merged, best, _cost = _merge_sweep(problem, placed, random.Random(0), time.monotonic() + 5, tried)

    assert len(merged.cohorts) == 1 and len(best) == 1
    assert_valid(data, merged, best)
    assert len(tried) == 1
    # the same pair, with the same members, is not tried again (nothing else to try)
    assert _merge_sweep(problem, placed, random.Random(0), time.monotonic() + 5, tried) is None
