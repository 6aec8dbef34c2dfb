"""The search (scheduler/search): what it optimizes, how it forms cohorts, what it keeps.

Every schedule here goes through the independent validator.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import time
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain import build_scenario
from scheduler.format import load_scenario
from scheduler.prepare.cohort_repair import _repair_of
from scheduler.prepare.cohorts import form_cohorts
from scheduler.prepare.problem import Placement, PlanningProblem
from scheduler.prepare.timeline import Timeline
from scheduler.search import cohort_moves
from scheduler.search.cohort_moves import (
    _cohort,
    _meeting,
    _named,
    _splits,
    carry_over,
    placeable_alone,
    reform,
    regroup,
)
from scheduler.search.construct import construct
from scheduler.search.engine import improve, schedulable_cohorts
from scheduler.search.ruin_recreate import RuinRecreate
from scheduler.solve.result import build_schedule, exact_costs
from scheduler.validate import format_report, validate
from tests.scenario_factory import (
    H0,
    MON_FRI,
    counted,
    interpreter,
    named,
    pattern,
    plan,
    room,
    scenario_factory,
    shift_type,
    solve_checked,
    team,
    trainer,
    weekly,
    workplace,
)

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def problem_of(data: dict) -> PlanningProblem:
    return PlanningProblem(build_scenario(load_scenario(copy.deepcopy(data))))


def assert_valid(data: dict, problem: PlanningProblem, placed: dict) -> dict:
    schedule = build_schedule(problem, placed, status="feasible", bound=None, solve_seconds=0)
    report = validate(data, schedule)
    assert report.ok, format_report(report)
    return schedule


# ----------------------------------------------------------------------------- the objective

def test_the_search_minimises_the_objective_as_the_spec_counts_it_travel_per_person_and_day_included():
    data = json.loads((SCENARIOS / "learning_centre_network.json").read_text(encoding="utf-8"))
    problem = problem_of(data)
    rr = RuinRecreate(problem, construct(problem), seed=3)
    start = rr.state.cost
    best = rr.run(time.monotonic() + 3)
    # The ledger the search steers by is the exact objective of what it returns ...
    assert rr.best_cost == pytest.approx(exact_costs(problem, best)["objective"], abs=1e-3)
    # ... and of its current state (kept up to date move by move, through accepted and undone steps).
    assert rr.state.cost == pytest.approx(exact_costs(problem, rr.state.placed)["objective"], abs=1e-3)
    assert rr.best_cost <= start and rr.stats.steps > 50
    schedule = assert_valid(data, problem, best)
    assert schedule["objective"] == pytest.approx(rr.best_cost, abs=1e-3)


def test_a_trip_to_a_far_site_is_avoided_when_a_trainer_from_there_can_teach():
    # T-far lives by the room; T-home is cheaper per hour but would travel 2 x 90 min (8/min).
    sc = scenario_factory(
        sites=[{"id": "S-W", "name": "W"}, {"id": "S-X", "name": "X"}],
        travel={"default_minutes": 90},
        rooms=[room("R1", site="S-X")],
        trainers=[trainer("T-home", home_site="S-W", cost_per_hour=500),
                  trainer("T-far", home_site="S-X", cost_per_hour=700)],
    )
    sd = solve_checked(sc)
    assert [s["trainer"] for s in sd["sessions"]] == ["T-far"]
    assert sd["kpis"]["travel_minutes"] == 0


# ----------------------------------------------------------------------------- cohorts

def test_plans_of_a_mixed_track_whose_windows_do_not_meet_are_never_in_one_cohort():
    sc = scenario_factory(
        track={"mix_workplaces": True, "min_group": 2},
        horizon=("2027-04-05", "2027-04-30"),
        action_plans=[plan("HP1", participants=2, earliest="2027-04-05", deadline="2027-04-09", target="2027-04-09"),
                      plan("HP2", participants=2, earliest="2027-04-19", deadline="2027-04-23", target="2027-04-23")],
    )
    sd = solve_checked(sc)
    assert sd["unscheduled"] == []
    assert sorted(len(c["participants"]) for c in sd["cohorts"]) == [2, 2]


def mixed_track_of(plans: list[tuple[str, int, str, str]], min_group: int, max_group: int) -> dict:
    """A mixed-workplace track of two sessions a week apart, April-May 2027; per plan (id,
    people, earliest, deadline) a workplace of its own, the target at the deadline."""
    return scenario_factory(
        track={"mix_workplaces": True, "min_group": min_group, "max_group": max_group},
        module={"sessions": 2, "min_gap_days": 7},
        horizon=("2027-04-05", "2027-05-28"),
        workplaces=[workplace(f"W{n}") for n in range(1, len(plans) + 1)],
        action_plans=[plan(pid, workplace=f"W{n}", participants=people, earliest=e, deadline=d, target=d)
                      for n, (pid, people, e, d) in enumerate(plans, start=1)],
    )


def test_a_late_plan_that_fits_no_pool_takes_companions_of_its_own_time():
    # B (one person, late window) cannot meet with A1's people (their windows share 5 days, the
    # track needs two sessions a week apart); A2's person may train at any time. B must get A2,
    # not be put with A1 into a cohort whose window is too short to hold the track.
    sc = mixed_track_of([("A1", 2, "2027-04-05", "2027-04-30"), ("A2", 1, "2027-04-05", "2027-05-28"),
                         ("B", 1, "2027-04-26", "2027-05-28")], min_group=2, max_group=4)
    problem = problem_of(sc)
    assert sorted(c.plans for c in problem.cohorts) == [("A1",), ("A2", "B")]
    sd = solve_checked(sc)
    assert sd["unscheduled"] == [] and sd["unassigned_participants"] == []


def test_a_plan_too_small_for_a_cohort_joins_the_pool_whose_people_share_its_window():
    """S (one person, 26 April-14 May) finds no pool of its own size. The early pool's common
    window closes on 20 April (A1's), but A2's four people may train until 28 May; the late
    pool's (L1, L2) opens on 10 May, five days before S's closes, and the track needs two
    sessions a week apart. S joins the early pool, where a cohort with A2's people can meet,
    not the late one."""
    sc = mixed_track_of([("A1", 1, "2027-04-05", "2027-04-20"), ("A2", 4, "2027-04-05", "2027-05-28"),
                         ("S", 1, "2027-04-26", "2027-05-14"), ("L1", 2, "2027-05-10", "2027-05-28"),
                         ("L2", 1, "2027-05-10", "2027-05-28")], min_group=3, max_group=8)
    problem = problem_of(sc)
    (with_s,) = [c.plans for c in problem.cohorts if "S" in c.plans]
    assert "A2" in with_s and not {"L1", "L2"} & set(with_s)
    sd = solve_checked(sc)
    assert sd["unscheduled"] == [] and sd["unassigned_participants"] == []


def test_speakers_of_one_language_study_together_when_the_teams_allow():
    # 6 of one team, 2 of them need Arabic; slack 3 makes two cohorts of 3 (on shift only):
    # both speakers in one cohort means one cohort needs the interpreter, not two.
    sc = scenario_factory(
        participants=[named("p1", language="ar"), named("p2"), named("p3"), named("p4"), named("p5"),
                      named("p6", language="ar")],
        workplaces=[workplace(teams=[team(headcount=10, min_staffing=7)])],
    )
    problem = problem_of(sc)
    with_ar = [c for c in problem.cohorts if "ar" in c.languages]
    assert len(problem.cohorts) == 2 and len(with_ar) == 1
    assert {"p1", "p6"} <= set(with_ar[0].participants)


def test_speakers_whom_one_interpreter_serves_study_together_across_teams():
    """Teams of 6 and 5 (slack 3 each: at most 3 of a team in a cohort that meets on shift); one
    member of each needs an interpreter, one Arabic, one Thai, and one interpreter speaks both.
    The two cohorts are formed so that one of them needs her, not both."""
    sc = scenario_factory(
        participants=[named("a1", "lag-1", language="ar"), *[named(f"a{n}", "lag-1") for n in range(2, 7)],
                      named("b1", "lag-2", language="th"), *[named(f"b{n}", "lag-2") for n in range(2, 6)]],
        workplaces=[workplace(teams=[team("lag-1", headcount=10, min_staffing=7),
                                     team("lag-2", headcount=10, min_staffing=7)])],
        track={"max_group": 6},
        interpreters=[interpreter("I1", languages=("ar", "th", "sv"))],
    )
    problem = problem_of(sc)
    needing = [c for c in problem.cohorts if c.languages]
    assert len(problem.cohorts) >= 2 and len(needing) == 1
    assert {"a1", "b1"} <= set(needing[0].participants)
    assert all(max(n for _, n in c.team_counts) <= 3 for c in problem.cohorts)
    solve_checked(sc, time_limit=3)


def two_teams_an_arabic_and_a_thai_speaker(trainer_languages=()) -> dict:
    """Teams of 6 and 5 (slack 3 each); a1 needs Arabic, b1 Thai, and one interpreter speaks
    both; a trainer of the track for each of `trainer_languages`."""
    trainers = [trainer(f"T-{lang}", languages=("sv", lang)) for lang in trainer_languages] or [trainer()]
    return scenario_factory(
        participants=[named("a1", "lag-1", language="ar"), *[named(f"a{n}", "lag-1") for n in range(2, 7)],
                      named("b1", "lag-2", language="th"), *[named(f"b{n}", "lag-2") for n in range(2, 6)]],
        workplaces=[workplace(teams=[team("lag-1", headcount=10, min_staffing=7),
                                     team("lag-2", headcount=10, min_staffing=7)])],
        track={"max_group": 6},
        trainers=trainers,
        interpreters=[interpreter("I1", languages=("ar", "th", "sv"))],
    )


def test_speakers_whom_trainers_of_the_track_can_teach_are_not_gathered_under_one_interpreter():
    """The same two teams and interpreter, but the track has a trainer who speaks Arabic and
    one who speaks Thai. A cohort with both speakers needs her at every session (nobody
    teaches in both); a cohort of each language's speakers needs nobody with its trainer.
    So the speakers are not brought together: Arabic and Thai are each their own need."""
    sc = two_teams_an_arabic_and_a_thai_speaker(("ar", "th"))
    problem = problem_of(sc)
    assert not any({"a1", "b1"} <= set(c.participants) for c in problem.cohorts)
    assert solve_checked(sc, time_limit=3)["unscheduled"] == []


@pytest.mark.parametrize("trainer_languages, needs_of_a_cohort_with_a1", [((), 1), (("ar", "th"), 0)])
def test_a_cohort_whose_only_language_its_trainers_speak_counts_no_interpreter_need(
        trainer_languages, needs_of_a_cohort_with_a1):
    """When cohorts are mended, a cohort with the Arabic speaker counts one interpreter need
    more than one without, unless a trainer of every module speaks Arabic; with both
    speakers it needs one either way (a trainer covers one language, the interpreter the other)."""
    sc = two_teams_an_arabic_and_a_thai_speaker(trainer_languages)
    problem = problem_of(sc)
    rep = _repair_of(problem.scenario, problem.shaper, "K1", [[f"a{n}" for n in range(1, 7)]])
    assert rep.interpreter_needs(["a1", "a2", "a3"]) - rep.interpreter_needs(["a4", "a5", "a6"]) == (
        needs_of_a_cohort_with_a1)
    penalty_of_the_need = rep.penalty(["a1", "a2", "a3"]) - rep.penalty(["a4", "a5", "a6"])
    assert (penalty_of_the_need >= 1) if needs_of_a_cohort_with_a1 else penalty_of_the_need == pytest.approx(0)
    rep = _repair_of(problem.scenario, problem.shaper, "K1", [["a1", "a2", "b1", "b2"]])
    assert rep.interpreter_needs(["a1", "b1"]) - rep.interpreter_needs(["a2", "b2"]) == 1


def one_person_per_workplace_two_speakers() -> dict:
    """Twelve workplaces send one person each (p1..p12) to a mixed-workplace track of cohorts of
    six; p1 needs Arabic and p10 Thai, and one interpreter speaks both."""
    places = [workplace(f"W{n}", teams=[team(headcount=10, min_staffing=2)]) for n in range(1, 13)]
    langs = {1: "ar", 10: "th"}
    plans = [plan(f"HP{n}", workplace=f"W{n}", participants=[named(f"p{n}", language=langs.get(n))])
             for n in range(1, 13)]
    return scenario_factory(workplaces=places, action_plans=plans, track={"max_group": 6, "mix_workplaces": True},
                            interpreters=[interpreter("I1", languages=("ar", "th", "sv"))])


def test_speakers_whom_one_interpreter_serves_are_gathered_in_a_mixed_track_of_one_person_per_workplace():
    """Twelve workplaces send one person each to a mixed-workplace track of cohorts of six; two of
    them need Arabic and Thai, which one interpreter speaks. No team has a second member
    to swap with, yet the two end in one cohort: only it needs her."""
    sc = one_person_per_workplace_two_speakers()
    problem = problem_of(sc)
    needing = [c for c in problem.cohorts if c.languages]
    assert len(problem.cohorts) == 2 and len(needing) == 1
    assert {"p1", "p10"} <= set(needing[0].participants)
    solve_checked(sc, time_limit=3)


def twelve_one_person_plans(short: int, deadline: str, langs: dict[int, str]) -> dict:
    """Twelve workplaces send one person each (p1..p12) to a mixed-workplace track (cohorts of
    four to six) of one module of four weekly sessions, 21 days from first to last. The plans
    of p1..p`short` end on `deadline`, the others at the end of June; `langs`: who needs which
    language (Arabic and Thai have an interpreter each)."""
    places = [workplace(f"W{n}", teams=[team(headcount=10, min_staffing=2)]) for n in range(1, 13)]
    plans = [plan(f"HP{n}", workplace=f"W{n}", participants=[named(f"p{n}", language=langs.get(n))],
                  earliest="2027-04-05", deadline=deadline if n <= short else "2027-06-30")
             for n in range(1, 13)]
    return scenario_factory(horizon=("2027-04-05", "2027-06-30"), workplaces=places, action_plans=plans,
                            module={"sessions": 4, "min_gap_days": 7, "max_gap_days": 10},
                            track={"min_group": 4, "max_group": 6, "mix_workplaces": True},
                            interpreters=[interpreter("I-ar", languages=("ar", "sv")),
                                          interpreter("I-th", languages=("th", "sv"))])


def test_an_interpreter_need_weighs_more_in_a_cohort_whose_window_barely_holds_the_track():
    """Mending cohorts counts each interpreter a cohort needs; in a cohort whose common window
    holds the track with few days to spare the same need counts more (each interpreter's
    hours remove starts that such a cohort cannot do without)."""
    problem = problem_of(tight_window_and_two_speakers_of_long_plans())
    rep = _repair_of(problem.scenario, problem.shaper, "K1", [[f"p{n}" for n in range(1, 13)]])
    in_tight = rep.penalty(["p1", "p2", "p3", "p5"]) - rep.penalty(["p1", "p2", "p6", "p5"])
    in_long = rep.penalty(["p7", "p8", "p3", "p5"]) - rep.penalty(["p7", "p8", "p6", "p5"])
    assert in_long == pytest.approx(1)
    assert in_tight > in_long + 0.5


def test_speakers_of_long_plans_leave_a_cohort_whose_window_barely_holds_the_track():
    """Two cohorts of six: the one with the plans ending 7 May also holds both speakers,
    whose plans run to June, and so needs two interpreters within its short window. Mending
    swaps each speaker for a member of the other cohort who needs none: the interpreters then
    serve the cohort with weeks to spare, and the tight one needs nobody."""
    problem = problem_of(tight_window_and_two_speakers_of_long_plans())
    groups = [["p1", "p2", "p3", "p4", "p5", "p6"], ["p7", "p8", "p9", "p10", "p11", "p12"]]
    rep = _repair_of(problem.scenario, problem.shaper, "K1", groups)
    mended = rep.gather_speakers(groups, [rep.penalty(g) for g in groups])
    (tight,) = [g for g in mended if "p1" in g]
    assert "p2" in tight and len(tight) == 6
    assert not {"p3", "p4"} & set(tight)
    assert sorted(len(g) for g in mended) == [6, 6]


def test_the_cohort_of_the_short_plans_is_formed_without_the_speakers_of_long_ones():
    """Forming the cohorts of the same twelve: the cohort with the plans ending 7 May needs
    no interpreter, and the schedule is complete."""
    sc = tight_window_and_two_speakers_of_long_plans()
    problem = problem_of(sc)
    (tight,) = [c for c in problem.cohorts if "p1" in c.participants]
    assert "p2" in tight.participants and not tight.languages
    assert solve_checked(sc, time_limit=5)["unscheduled"] == []


def tight_window_and_two_speakers_of_long_plans() -> dict:
    """The plans of p1 and p2 end on 7 May: their window barely holds the track; the others run
    to the end of June. p3 needs Arabic and p4 Thai, each a different interpreter."""
    return twelve_one_person_plans(2, "2027-05-07", {3: "ar", 4: "th"})


def speakers_of_long_plans_pulled_into_the_pool_of_short_ones() -> dict:
    """The plans of p1..p4 end on 3 May, too soon for the track's span with slack, so each is a
    window pool of its own at first; too small for a cohort, the first takes plans of the long
    pool into it, and the first of those are p5 (Arabic) and p6 (Thai), whose plans run to June."""
    return twelve_one_person_plans(4, "2027-05-03", {5: "ar", 6: "th"})


def test_speakers_of_long_plans_leave_the_cohort_of_a_short_plans_pool_for_another_pools():
    """The window pools put p5 and p6 with p1, whose plan ends on 3 May; the easing of tight
    cohorts runs over the cohorts of all the track's pools, so they swap places with members
    of a cohort of the long plans, who need no interpreter: the short plan's cohort needs
    none, every cohort keeps its size, and the schedule is complete."""
    sc = speakers_of_long_plans_pulled_into_the_pool_of_short_ones()
    problem = problem_of(sc)
    assert len({c.id.rsplit("-", 1)[0] for c in problem.cohorts}) > 1  # more than one window pool
    (short,) = [c for c in problem.cohorts if "p1" in c.participants]
    assert not short.languages
    assert {"p5", "p6"} <= set(next(c for c in problem.cohorts if "p5" in c.participants).participants)
    assert sorted(c.size for c in problem.cohorts) == [4, 4, 4]
    assert solve_checked(sc, time_limit=5)["unscheduled"] == []


def test_across_pools_a_speaker_does_not_leave_a_tight_cohort_for_one_their_own_window_would_make_tight():
    """Across window pools a tight cohort sheds a need only where that eases it. p2 speaks
    Arabic and her plan ends on 14 May, as p1's: her window is the tight cohort's. Swapped into
    the cohort of June plans that has an Arabic speaker already, she would take its need along
    but make that cohort as tight: within a pool (windows alike) the mending may do it, across
    pools it does not (the public M-network-seed7)."""
    sc = tight_window_and_two_speakers_of_long_plans()
    sc["interpreters"].append(interpreter("I-so", languages=("so", "sv")))
    langs = {2: "ar", 3: "th", 4: "so", 9: "ar"}
    for n, pl in enumerate(sc["action_plans"], start=1):
        pl["participants"][0]["language"] = langs.get(n)
        pl["deadline"] = "2027-05-14" if n <= 2 else "2027-06-30"
    problem = problem_of(sc)
    groups = [["p1", "p2", "p3", "p4", "p5", "p6"], ["p7", "p8", "p9", "p10", "p11", "p12"]]
    rep = _repair_of(problem.scenario, problem.shaper, "K1", groups)
    assert rep.tightness(groups[0]) > 0 and rep.tightness(groups[1]) == 0

    def eased(across: bool) -> list[list[str]]:
        return rep.ease_tight([list(g) for g in groups], [rep.penalty(g) for g in groups], 1000, across=across)

    assert "p2" in eased(True)[0]
    assert "p2" in eased(False)[1]


def test_a_start_no_interpreter_can_serve_is_taught_by_a_trainer_who_speaks_the_language():
    """The Arabic interpreter never works; of two qualified trainers only the dearer speaks
    Arabic. Every session of the cohort with an Arabic speaker is placed, with her: the
    recreate turns a start away for want of an interpreter only when no trainer of the
    session speaks the language (`Recreator._without_interpreter`)."""
    sc = scenario_factory(participants=[named("p1", language="ar"), named("p2"), named("p3")],
                          module={"sessions": 3, "min_gap_days": 1},
                          trainers=[trainer("T-sv", cost_per_hour=400),
                                    trainer("T-ar", languages=("sv", "ar"), cost_per_hour=900)],
                          interpreters=[interpreter("I-ar", available=weekly(["sun"], "08:00", "09:00"))])
    out = solve_checked(sc, time_limit=3)
    assert out["unscheduled"] == []
    assert {s["trainer"] for s in out["sessions"]} == {"T-ar"}
    assert all(s["interpreters"] == [] for s in out["sessions"])


def test_every_split_the_cohort_moves_offer_keeps_those_whom_one_interpreter_serves_together():
    """The same twelve workplaces: when the search forms the pool anew (by shared starts, by
    crews, windows, cuts and deals), each split it offers has both speakers in one cohort."""
    sc = one_person_per_workplace_two_speakers()
    problem = problem_of(sc)
    splits = [groups for groups in _splits(problem, problem.cohorts) if len(groups) > 1]
    assert len(splits) >= 3
    for groups in splits:
        assert any({"p1", "p10"} <= set(g) for g in groups), groups


def test_in_a_pool_judged_by_slot_masks_a_speaker_has_starts_only_when_someone_speaks_their_language(
        monkeypatch):
    """The same twelve workplaces, the interpreter at work on Tuesday afternoons only. A pool
    too large for each member's exact starts is judged by slot masks (`_own_starts`): the two
    who need her may meet only then, the others on every weekday (planted care M 58: a scarce
    interpreter's hours part the speakers from the rest, and splits blind to them mixed three
    languages into cohorts that found no time)."""
    sc = one_person_per_workplace_two_speakers()
    sc["interpreters"][0]["available"] = weekly(["tue"], "12:00", "21:00")
    problem = problem_of(sc)
    monkeypatch.setattr(cohort_moves, "EXACT_STARTS_LIMIT", 0)
    members = sorted(pid for c in problem.cohorts for pid in c.participants)
    plans_of = {pid: [p.id for p in problem.scenario.action_plans.values() if pid in p.participants]
                for pid in members}
    starts = cohort_moves._own_starts(problem, members, plans_of, problem.cohorts[0].track)
    slots = problem.timeline.slots

    def weekdays_and_hours(bits: int) -> set[tuple[int, int]]:
        return {(sl.day.weekday(), sl.start_time.hour) for sl in slots if bits >> sl.index & 1}

    for speaker in ("p1", "p10"):
        seen = weekdays_and_hours(starts[speaker])
        assert seen and all(day == 1 and hour >= 12 for day, hour in seen), seen
    assert {day for day, _ in weekdays_and_hours(starts["p2"])} == {0, 1, 2, 3, 4}


def test_a_cohort_that_cannot_meet_even_alone_is_formed_again_with_its_pool():
    data = scenario_factory(participants=6, track={"max_group": 6},
                            workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_of(data)
    (only,) = problem.cohorts
    # Force a cohort no room can hold: every room has 4 seats (the cohort former knew 10).
    small = copy.deepcopy(data)
    small["rooms"] = [room("R1", capacity=4), room("R2", capacity=4)]
    problem = PlanningProblem(build_scenario(load_scenario(small)), cohorts=problem.cohorts)
    assert not placeable_alone(problem, only.id)
    better = schedulable_cohorts(problem)
    assert sorted(c.size for c in better.cohorts) == [3, 3]
    assert all(placeable_alone(better, c.id) for c in better.cohorts)
    assert_valid(small, better, construct(better))


def test_of_the_splits_whose_cohorts_each_fit_alone_the_one_whose_cohorts_fit_together_is_chosen(monkeypatch):
    """Forming a pool again: two cohorts that can each be scheduled alone may still not both
    fit (here one room and one start on the day both windows share); a split whose cohorts
    the constructive schedule places together wins over one offered before it."""
    sc = scenario_factory(
        action_plans=[plan("HP1", participants=[counted(count=3)], earliest="2027-04-05", deadline="2027-04-06"),
                      plan("HP2", participants=[counted(count=3)], earliest="2027-04-06", deadline="2027-04-06")],
        track={"max_group": 6}, rooms=[room("R1", capacity=3)], start_times=["08:00"])
    problem = problem_of(sc)
    early = [f"HP1-lag-1-{n}" for n in (1, 2, 3)]
    late = [f"HP2-lag-1-{n}" for n in (1, 2, 3)]
    whole = _cohort(problem, "C1", "K1", early + late, ["HP1", "HP2"])
    problem = PlanningProblem(problem.scenario, cohorts=[whole], reuse=problem)
    assert not placeable_alone(problem, "C1")  # six in a room of three
    mixed, apart = [early[:2] + late[:1], early[2:] + late[1:]], [early, late]
    monkeypatch.setattr(cohort_moves, "_splits", lambda *a, **k: iter([mixed, apart]))
    better = reform(problem, ["C1"])
    assert better is not None
    assert all(placeable_alone(better, c.id) for c in better.cohorts)
    assert sorted(c.participants for c in better.cohorts) == sorted(tuple(sorted(g)) for g in apart)
    assert_valid(sc, better, construct(better))


def test_cohorts_whose_members_do_not_change_keep_their_ids_and_placements():
    sc = scenario_factory(
        action_plans=[plan("HP1", participants=[counted(count=6)]), plan("HP2", participants=[counted(count=3)])],
        track={"max_group": 6},
    )
    problem = problem_of(sc)
    placed = construct(problem)
    hp2 = [c for c in problem.cohorts if c.plans == ("HP2",)]
    target = next(c.id for c in problem.cohorts if c.plans == ("HP1",))
    moved = reform(problem, [target]) or problem
    for c in hp2:
        assert moved.cohort_by_id[c.id] == c
    kept = carry_over(problem, moved, placed)
    assert {moved.sessions[i].key.cohort for i in kept} >= {c.id for c in hp2}


def test_a_pool_split_again_and_again_gets_ids_no_other_cohort_has():
    sc = scenario_factory(participants=9, track={"max_group": 9},
                          workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    problem = problem_of(sc)
    members = sorted(p for c in problem.cohorts for p in c.participants)
    for groups in ([members[:5], members[5:]], [members[:3], members[3:6], members[6:]],
                   [members[:2], members[2:4], members[4:6], members[6:]]):
        pool = list(problem.cohorts)
        new = _named(problem, pool, groups, sorted(c.id for c in pool), ["HP1"])
        problem = PlanningProblem(problem.scenario, cohorts=new, reuse=problem)
        assert len({c.id for c in new}) == len(new) == len(groups)
        assert sorted(p for c in problem.cohorts for p in c.participants) == members


# ----------------------------------------------------------------------------- completeness, limits

def test_the_search_fills_what_the_first_schedule_left_out(tiny_example_scenario):
    data = copy.deepcopy(tiny_example_scenario)
    problem = problem_of(data)
    first = construct(problem)
    # Leave one whole cohort out of the starting schedule: the search must put it back.
    cid = problem.sessions[next(iter(first))].key.cohort
    start = {i: pl for i, pl in first.items() if problem.sessions[i].key.cohort != cid}
    problem2, best, stats = improve(problem, start, deadline=time.monotonic() + 3, seed=1)
    assert len(best) == len(problem2.sessions)
    assert_valid(data, problem2, best)


def test_a_solve_ends_inside_its_time_limit_and_reports_the_search():
    from scheduler.solve import SolveParams, solve_scenario

    data = json.loads((SCENARIOS / "industrial_plant_5shift.json").read_text(encoding="utf-8"))
    started = time.monotonic()
    result = solve_scenario(data, SolveParams(time_limit=6, workers=2))
    assert time.monotonic() - started <= 6.5
    assert result.stats["search_steps"] > 0 and result.schedule["unscheduled"] == []
    report = validate(data, result.schedule)
    assert report.ok, format_report(report)


def test_a_solve_stops_early_when_only_sessions_that_can_never_be_placed_are_missing(tiny_example_scenario):
    from scheduler.solve import SolveParams, solve_scenario

    # Nobody may teach SAK1: the safety track can never start (and SAK2 waits for it); the
    # care track is placed, and once the search finds nothing cheaper it stops, as on a
    # complete programme, instead of searching the whole time limit for what cannot be.
    data = copy.deepcopy(tiny_example_scenario)
    next(m for m in data["modules"] if m["id"] == "SAK1")["qualification"] = "SAK1-NOBODY"
    started = time.monotonic()
    result = solve_scenario(data, SolveParams(time_limit=20, workers=2))
    assert time.monotonic() - started < 10
    missing = {u["module"] for u in result.schedule["unscheduled"]}
    assert missing == {"SAK1", "SAK2"}
    assert {s["module"] for s in result.schedule["sessions"]} == {"VARD1", "VARD2"}
    report = validate(data, result.schedule)
    assert report.ok, format_report(report)


def test_while_sessions_are_missing_the_second_search_goes_on_from_the_runner_up(monkeypatch):
    # Six sessions in one week, the one trainer holds one a day: the sixth always has starts
    # but never a place. Every round but the last leaves the best schedule incomplete, so the
    # next round keeps two lines of search (the best, and the runner-up for the second search).
    import scheduler.search.engine as engine

    monkeypatch.setattr(engine, "ROUND_SECONDS", 1.0)
    data = scenario_factory(module={"sessions": 6, "min_gap_days": 0}, trainer={"max_sessions_per_day": 1},
                            horizon=("2027-04-05", "2027-04-09"))
    problem = problem_of(data)
    first = construct(problem)
    assert len(first) == 5
    problem2, best, stats = engine.improve_in_parallel(problem, first, deadline=time.monotonic() + 3.5, searches=2)
    assert stats["search_rounds"] == 3 and stats["two_lines_rounds"] == 2
    assert len(best) == 5
    assert_valid(data, problem2, best)


def test_a_complete_schedule_is_where_every_search_of_the_next_round_starts(monkeypatch, tiny_example_scenario):
    import scheduler.search.engine as engine

    monkeypatch.setattr(engine, "ROUND_SECONDS", 1.0)
    data = copy.deepcopy(tiny_example_scenario)
    problem = problem_of(data)
    first = construct(problem)
    assert len(first) == len(problem.sessions)
    problem2, best, stats = engine.improve_in_parallel(problem, first, deadline=time.monotonic() + 3.5, searches=2)
    assert stats["search_rounds"] == 3 and "two_lines_rounds" not in stats
    assert len(best) == len(problem2.sessions)
    assert_valid(data, problem2, best)


def test_cohorts_are_formed_deterministically():
    data = json.loads((SCENARIOS / "elderly_care_municipality.json").read_text(encoding="utf-8"))
    sc = build_scenario(load_scenario(copy.deepcopy(data)))
    first, _ = form_cohorts(sc, Timeline(sc))
    again, _ = form_cohorts(sc, Timeline(sc))
    assert first == again


def test_a_replan_keeps_the_cohorts_of_its_baseline_even_where_the_search_formed_them():
    from scheduler.solve.replan import baseline_cohorts

    sc = scenario_factory(participants=6, track={"min_group": 2, "max_group": 6},
                          workplaces=[workplace(teams=[team(headcount=20, min_staffing=2)])])
    fresh = problem_of(sc)
    members = sorted(p for c in fresh.cohorts for p in c.participants)
    assert len(fresh.cohorts) == 1  # formed from scratch: one cohort of six
    baseline = {"cohorts": [{"id": "C-HP1-1", "track": "K1", "participants": members[:3]},
                            {"id": "C-HP1-1-r1", "track": "K1", "participants": members[3:5]}]}
    problem = baseline_cohorts(fresh, baseline)
    # The baseline's grouping stays; the one member it had in no cohort joins a cohort with room.
    assert sorted(c.id for c in problem.cohorts) == ["C-HP1-1", "C-HP1-1-r1"]
    assert sorted(p for c in problem.cohorts for p in c.participants) == members
    assert set(members[:3]) <= set(problem.cohort_by_id["C-HP1-1"].participants)
    assert set(members[3:5]) <= set(problem.cohort_by_id["C-HP1-1-r1"].participants)


def test_crews_stay_whole_when_the_group_sizes_allow():
    """Members sorted by rota phase are cut between crews, not inside one: three of crew A and
    five of crew C (groups of 3 to 12, two cohorts) become 3 + 5, not 4 + 4."""
    from scheduler.prepare.cohorts import _crew_sizes

    assert _crew_sizes(list("AAACCCCC"), 2, 3, 12) == [3, 5]
    assert _crew_sizes(list("AAAAABBBBBBCC"), 2, 3, 8) == [5, 8]
    # no cut without splitting a crew: as few crews cut as possible, then as even as possible
    assert _crew_sizes(list("AAAAAAAA"), 2, 3, 8) == [4, 4]
    assert _crew_sizes(list("AAAA"), 2, 3, 8) is None  # two cohorts of at least 3 need 6


def test_a_pool_of_rota_crews_can_be_split_one_cohort_per_crew():
    """Off-shift-only plans of 5-shift crews: four crews together have no free time in common
    (each day three of five crews work), so re-forming offers one cohort per crew, as many
    cohorts as there are crews even beyond the usual one or two more."""
    from scheduler.search.cohort_moves import _splits

    five_shift = {"id": "5skift", "anchor": H0, "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]}
    crews = [team(f"skiftlag-{c}", pattern="5skift", headcount=20, min_staffing=16, offset_days=2 * n)
             for n, c in enumerate("ABCD")]
    data = scenario_factory(
        workplaces=[workplace(teams=crews)], track={"min_group": 2, "max_group": 9},
        participants=[counted(t["id"], 2) for t in crews])
    data["shift_types"] += [{"id": "F", "start": "06:00", "end": "14:00"}, {"id": "E", "start": "14:00", "end": "22:00"},
                            {"id": "N", "start": "22:00", "end": "06:00"}]
    data["shift_patterns"].append(five_shift)
    data["action_plans"][0].update(allow_on_shift=False, allow_off_shift=True)
    problem = problem_of(data)
    (only,) = problem.cohorts
    per_crew = sorted(sorted(g) for g in ([p for p in only.participants if f"skiftlag-{c}" in p] for c in "ABCD"))
    offered = [sorted(sorted(g) for g in groups) for groups in _splits(problem, problem.cohorts)]
    assert per_crew in offered
    assert all(len(g) >= 2 for groups in offered for g in groups)  # never below the group size


def test_a_pool_of_rota_crews_is_offered_one_cohort_per_crew_even_with_speakers_in_two_crews():
    """Three crews of a 5-shift rota, off shift only, four people each; one of crew B and one of
    crew C need the same interpreter. The split by crew is offered as it is: gathering the two
    speakers would put one of them with the other crew, at work whenever that cohort meets
    (planted mixed L 52: every split offered mixed the crews, none could be scheduled even
    alone, and a cohort stayed out)."""
    from scheduler.search.cohort_moves import _splits

    five_shift = {"id": "5skift", "anchor": H0, "cycle": ["F", "F", "E", "E", "N", "N", "-", "-", "-", "-"]}
    crews = [team(f"skiftlag-{c}", pattern="5skift", headcount=20, min_staffing=16, offset_days=2 * n)
             for n, c in enumerate("ABC")]
    speaks = {"B1": "so", "C1": "so"}
    data = scenario_factory(
        workplaces=[workplace(teams=crews)], track={"min_group": 4, "max_group": 10},
        participants=[named(f"{c}{n}", f"skiftlag-{c}", language=speaks.get(f"{c}{n}"))
                      for c in "ABC" for n in range(1, 5)],
        interpreters=[interpreter("I1", languages=("so", "sv"))])
    data["shift_types"] += [{"id": "F", "start": "06:00", "end": "14:00"}, {"id": "E", "start": "14:00", "end": "22:00"},
                            {"id": "N", "start": "22:00", "end": "06:00"}]
    data["shift_patterns"].append(five_shift)
    data["action_plans"][0].update(allow_on_shift=False, allow_off_shift=True)
    problem = problem_of(data)
    per_crew = sorted([f"{c}{n}" for n in range(1, 5)] for c in "ABC")
    offered = [sorted(sorted(g) for g in groups) for groups in _splits(problem, problem.cohorts)]
    assert per_crew in offered, offered


def test_a_regroup_tried_again_judges_the_splits_after_those_it_judged_before(monkeypatch):
    """The splits that place a left-out cohort may lie deep in the list (the 30th, on a network
    programme of three times M's size), and each try is judged with the same few first: a
    regroup tried again passes over the splits the try before judged (its budget), and one whose
    earlier tries judged them all starts from the first again."""
    from scheduler.search import cohort_moves

    crews = [team(f"skiftlag-{c}", headcount=20, min_staffing=16, offset_days=n) for n, c in enumerate("ABCD")]
    data = scenario_factory(workplaces=[workplace(teams=crews)], track={"min_group": 2, "max_group": 9},
                            participants=[counted(t["id"], 2) for t in crews])
    problem = problem_of(data)
    (only,) = problem.cohorts
    offered = list(cohort_moves._splits(problem, problem.cohorts))
    assert len(offered) > 3
    judged: list[list] = []
    monkeypatch.setattr(cohort_moves, "_best_split", lambda problem, placed, pool, splits, **kw: judged.append(list(splits)))
    cohort_moves.regroup(problem, {}, only.id, budget=2, retry=1)  # the first try judged two
    cohort_moves.regroup(problem, {}, only.id, budget=len(offered), retry=1)
    assert judged == [offered[2:], offered]


def test_a_cohort_of_a_split_that_finds_no_time_is_cut_in_two_and_judged_next():
    """What a coordinator does with a group that finds no time: halve it. A split whose new
    cohort is left incomplete is judged again, right after, with that cohort cut in two in
    team order (one crew's people stay together where they can: eight of A and two of B become
    five of A, and three of A with the two of B); the cohorts that were placed stay whole, and
    a cohort too small for two of the group size is left as it is."""
    from scheduler.search.cohort_moves import _halve, _halved_first

    crews = [team(f"skiftlag-{c}", headcount=20, min_staffing=8, offset_days=n) for n, c in enumerate("AB")]
    data = scenario_factory(workplaces=[workplace(teams=crews)], track={"min_group": 2, "max_group": 10},
                            participants=[counted("skiftlag-A", 8), counted("skiftlag-B", 6)])
    problem = problem_of(data)
    pool = list(problem.cohorts)
    ids, plans = [c.id for c in pool], sorted({p for c in pool for p in c.plans})
    people = [pid for c in pool for pid in c.participants]
    team_of = {pid: problem.scenario.participants[pid].team for pid in people}
    a = sorted(pid for pid in people if "skiftlag-A" in str(team_of[pid]))
    b = sorted(pid for pid in people if "skiftlag-B" in str(team_of[pid]))
    assert (len(a), len(b)) == (8, 6)
    first = [b[:2] + a, b[2:]]  # ten (two of B first in the list, eight of A) and four of B
    named = _named(problem, pool, first, ids, plans)
    tens, fours = (c for c in named if len(c.participants) == 10), (c for c in named if len(c.participants) == 4)
    ten, four = next(tens), next(fours)
    cut = _halve(problem, named, [ten])
    assert sorted(map(sorted, cut)) == sorted([a[:5], a[5:] + b[:2], sorted(four.participants)])
    assert _halve(problem, named, [four]) is not None  # four of B: two and two
    three = _named(problem, pool, [a[:3], a[3:] + b], ids, plans)
    assert _halve(problem, three, [c for c in three if len(c.participants) == 3]) is None  # 3 < 2 x 2

    # judged next: the halved split comes before the next split offered
    pending: list = []
    order = []
    for groups in _halved_first(pending, iter(["first", "second"])):
        order.append(groups)
        if groups == "first":
            pending.append("first halved")
    assert order == ["first", "first halved", "second"]


@pytest.mark.parametrize("seconds, patience, ends_within", [(20, 200 + 20 * 2, 10), (2.5, None, 2.6)],
                         ids=["stopped for patience", "short search"])
def test_a_small_programmes_search_gives_the_cohort_moves_for_cost_their_round(seconds, patience, ends_within):
    """Two plans of three at one workplace, formed as two cohorts, become one cohort (one
    trainer hour instead of two) before the search ends:
    - a small programme's search stops when it finds nothing better for a while; before it
      ends, the cohort moves for cost get their round, and it still ends well before its deadline;
    - the moments before the deadline in which no cohort move for cost begins grow with the
      programme (a small one's moves take milliseconds): with 2.5 s of search (a 10 s solve
      that became complete late) the moves still run. A fixed 2 s kept every move out
      (planted care S 91: 3 runs of 4 kept two cohorts, 10 % dearer)."""
    data = scenario_factory(action_plans=[plan("HP1", participants=3), plan("HP2", participants=3)],
                            team={"headcount": 20, "min_staffing": 2})
    problem = problem_of(data)
    assert len(problem.cohorts) == 2
    placed = construct(problem)
    started = time.monotonic()
    after, best, stats = improve(problem, placed, deadline=started + seconds, patience=patience)
    assert time.monotonic() - started < ends_within
    assert len(after.cohorts) == 1 and len(best) == len(after.sessions) == 1
    assert stats.get("cohorts_merged", 0) + stats.get("cohorts_dissolved", 0) + stats["cohort_moves"] >= 1
    assert exact_costs(after, best)["objective"] < exact_costs(problem, placed)["objective"]
    assert_valid(data, after, best)


def test_a_pool_is_also_cut_where_its_plans_windows_open_furthest_apart():
    """When one scarce trainer must teach a pool's cohorts one after another, the cohort of the
    early plans has to start early: besides equal cuts, the pool is cut between plans whose
    windows open on different days, furthest apart first, sizes within the group size (eight
    people of plans opening on the 5th, 8th and 9th: three | five, not four | four through a plan)."""
    from scheduler.search.cohort_moves import _window_cuts

    plans = [plan("HP1", participants=3, earliest="2027-04-05", deadline="2027-04-16"),
             plan("HP2", participants=3, earliest="2027-04-08", deadline="2027-04-16"),
             plan("HP3", participants=2, earliest="2027-04-09", deadline="2027-04-16")]
    data = scenario_factory(action_plans=plans, track={"min_group": 2, "max_group": 8},
                            team={"headcount": 20, "min_staffing": 5})
    problem = problem_of(data)
    sc = problem.scenario
    first = list(problem.cohorts)
    people = sorted(p for c in first for p in c.participants)
    by_plan = {pl: sorted(p for p in people if p in sc.action_plans[pl].participants) for pl in ("HP1", "HP2", "HP3")}
    two = _named(problem, first, [people[:4], people[4:]], [c.id for c in first], sorted({p for c in first for p in c.plans}))
    problem = PlanningProblem(sc, cohorts=two, reuse=problem)
    offered = [sorted(map(sorted, groups)) for groups in _splits(problem, problem.cohorts)]
    assert sorted([by_plan["HP1"], by_plan["HP2"] + by_plan["HP3"]]) in offered

    day = [date(2027, 4, d) for d in (5, 5, 5, 8, 8, 8, 9, 9)]
    assert _window_cuts(day, 2, 2, 8) == [(3,), (6,)]  # three days apart first, then one
    assert _window_cuts(day, 2, 3, 8) == [(3,)]  # 6 | 2 would leave a cohort below the group size
    assert _window_cuts(day, 2, 4, 8) == []  # and 3 | 5 too
    assert _window_cuts(day, 3, 2, 8) == [(3, 6)]
    assert _window_cuts([date(2027, 4, 5)] * 8, 2, 2, 8) == []  # one window: nothing to cut between


def test_a_cohort_whose_window_is_shorter_than_the_tracks_span_with_slack_may_still_join_others():
    """Cohorts are pooled, merged and joined where their shared window holds the track's span
    with some slack. A plan whose own window is shorter than that (but long enough for the
    track) has the slack with nobody; what it needs is partners whose windows share the
    track's floor with it: they are in its wide pool and among the merges (on planted care S
    64 such a cohort found nobody, its trainers had no room for it alone, and nine sessions
    stayed out; on planted mixed L 54 the partners shared 17 of a plan's 18 days, the floor
    being 11, and a cohort stayed out)."""
    from scheduler.prepare.cohorts import span_to_share, track_span_days
    from scheduler.search.cohort_moves import _pool, merge_candidates

    data = scenario_factory(
        track={"mix_workplaces": True, "min_group": 2, "max_group": 8},
        module={"sessions": 4, "min_gap_days": 7},  # a floor of 22 days; with slack 31
        horizon=("2027-04-05", "2027-05-28"),
        team={"headcount": 20, "min_staffing": 5},
        workplaces=[workplace("W1"), workplace("W2"), workplace("W3")],
        action_plans=[plan("A", workplace="W1", participants=3, earliest="2027-04-05", deadline="2027-05-07"),
                      plan("B", workplace="W2", participants=2, earliest="2027-04-06", deadline="2027-05-05"),
                      plan("C", workplace="W3", participants=2, earliest="2027-04-26", deadline="2027-05-28")])
    problem = problem_of(data)
    sc = problem.scenario
    track = sc.tracks["K1"]
    assert track_span_days(sc, track) == 31
    assert span_to_share(sc, track) == 31
    assert span_to_share(sc, track, 30, 33) == 22  # B's own 30 days cannot have the slack: the floor
    assert span_to_share(sc, track, 10) == 22  # never below the floor
    cohort_of_plan = {c.plans[0]: c.id for c in problem.cohorts}
    assert sorted(cohort_of_plan) == ["A", "B", "C"]  # B's window is too short to be pooled at first
    assert cohort_of_plan["A"] in {c.id for c in _pool(problem, cohort_of_plan["B"], wide=True)}
    assert cohort_of_plan["C"] not in {c.id for c in _pool(problem, cohort_of_plan["B"], wide=True)}  # 10 days shared
    pairs = {frozenset(pair) for pair in merge_candidates(problem, random.Random(0))}
    assert frozenset((cohort_of_plan["A"], cohort_of_plan["B"])) in pairs
    assert frozenset((cohort_of_plan["B"], cohort_of_plan["C"])) not in pairs


def test_a_pool_of_a_few_plans_is_offered_every_cut_in_two_by_plan():
    """Where one trainer takes a whole track, who may study with whom depends on the order the
    trainer takes the cohorts in, which no heuristic split sees. A pool of a few plans with
    sessions left out is therefore also offered every cut into two cohorts that keeps each
    plan's people together, within the group sizes."""
    plans = [plan("HP1", workplace="W1", participants=2), plan("HP2", workplace="W2", participants=2),
             plan("HP3", workplace="W3", participants=3), plan("HP4", workplace="W4", participants=1)]
    data = scenario_factory(workplaces=[workplace(w, teams=[team(headcount=20, min_staffing=2)])
                                        for w in ("W1", "W2", "W3", "W4")],
                            action_plans=plans, track={"mix_workplaces": True, "min_group": 2, "max_group": 6})
    problem = problem_of(data)
    sc = problem.scenario
    people = {pl: sorted(sc.action_plans[pl].participants) for pl in ("HP1", "HP2", "HP3", "HP4")}
    def offered_of(**how):
        return {tuple(sorted(tuple(sorted(g)) for g in groups)) for groups in _splits(problem, problem.cohorts, **how)}

    offered = offered_of(as_now_first=True)  # the splits for a pool with sessions left out
    expected = set()
    for first in itertools.chain.from_iterable(itertools.combinations(people, r) for r in (1, 2, 3)):
        a = sorted(p for pl in first for p in people[pl])
        b = sorted(p for pl in people if pl not in first for p in people[pl])
        if 2 <= len(a) <= 6 and 2 <= len(b) <= 6:
            expected.add(tuple(sorted((tuple(a), tuple(b)))))
    assert len(expected) == 6  # HP4's one person never alone; HP3 + HP4 | HP1 + HP2 and so on
    assert expected <= offered
    assert not expected <= offered_of()  # for cost they are not offered: they crowd out better moves


def test_a_pool_with_sessions_left_out_is_offered_as_many_cohorts_as_it_has_first():
    """For cost, fewer cohorts come first (each pays a whole track of trainer hours); for a
    pool with a cohort left out, the number it has first, then more, then fewer: the shape it
    has nearly fits, and fewer, larger cohorts rarely meet at more times."""
    from scheduler.search.cohort_moves import _named, _splits

    crews = [team(f"skiftlag-{c}", headcount=20, min_staffing=10, offset_days=n) for n, c in enumerate("ABCD")]
    data = scenario_factory(workplaces=[workplace(teams=crews)], track={"min_group": 2, "max_group": 9},
                            participants=[counted(t["id"], 3) for t in crews])
    problem = problem_of(data)
    first = list(problem.cohorts)
    people = sorted(p for c in first for p in c.participants)
    four = [people[k::4] for k in range(4)]  # the pool as four cohorts of three
    pool = _named(problem, first, four, [c.id for c in first], sorted({p for c in first for p in c.plans}))
    problem = PlanningProblem(problem.scenario, cohorts=pool, reuse=problem)
    assert len(problem.cohorts) == 4

    def counts(splits):
        return list(dict.fromkeys(len(groups) for groups in splits))

    assert counts(_splits(problem, problem.cohorts))[:2] == [2, 3]  # fewest first
    assert counts(_splits(problem, problem.cohorts, as_now_first=True))[0] == 4


def _planted_care_s73():
    """Planted care S 73 prepared as the solve prepares it, with its constructive schedule and
    the pool of its ethics track (one qualified trainer for the last module, 360 minutes a week)."""
    from benchmarks.planted import planted

    data, witness = planted("S", 73, "care")
    problem = schedulable_cohorts(problem_of(data))
    placed = construct(problem)
    pool = [c for c in problem.cohorts if c.track == "K-ETIK"]
    return data, witness, problem, placed, pool


def test_splits_whose_cohorts_could_never_meet_do_not_use_up_a_regroups_budget():
    """A regroup judges a budget of splits. Splits that put people into cohorts that could
    never meet are dropped before they count: on planted care S 73 the first eighteen splits of
    the ethics track's pool were into four to six cohorts, most of them unable to meet, and the
    splits into three (which its one trainer of the last module needs) came after them."""

    _data, _witness, problem, _placed, pool = _planted_care_s73()
    assert len(pool) == 4
    raw = list(itertools.islice(_splits(problem, pool, True, True), 18))
    meeting = list(itertools.islice(_meeting(problem, pool, lambda: _splits(problem, pool, True, True), "t")(), 18))
    assert all(len(groups) >= 4 for groups in raw)
    assert any(len(groups) == 3 for groups in meeting)


def test_a_split_that_fits_only_once_other_sessions_make_way_is_searched_on_before_it_is_dropped(monkeypatch):
    """A split is judged by placing its new cohorts into the schedule as it is. The planted
    cohorts of care S 73's ethics track, placed so, leave two sessions out against one now, and
    would be dropped; a short search of the whole programme around them places every session,
    and the regroup takes it (not in a region's search of a distributed solve)."""
    from scheduler.search import cohort_moves
    from scheduler.search.cohort_moves import _best_split

    monkeypatch.setattr(cohort_moves, "REPAIR_SECONDS", 1.5)  # steps enough on a loaded test machine too
    data, witness, problem, placed, pool = _planted_care_s73()
    assert len(placed) == len(problem.sessions) - 1
    planted_groups = [c["participants"] for c in witness["cohorts"] if c["track"] == "K-ETIK"]
    # a region's search (which may move only its own cohorts) does not search on
    assert _best_split(problem, placed, pool, iter([planted_groups]), seed=0, budget=1,
                       deadline=time.monotonic() + 5, label="planted", repair=False) is None
    got = _best_split(problem, placed, pool, iter([planted_groups]), seed=0, budget=1,
                      deadline=time.monotonic() + 5, label="planted")
    assert got is not None
    trial, best, cost = got
    assert len(best) == len(trial.sessions)
    assert sorted(c.participants for c in trial.cohorts if c.track == "K-ETIK") == sorted(
        tuple(sorted(g)) for g in planted_groups)
    assert cost == pytest.approx(exact_costs(trial, best)["objective"], abs=1e-3)
    assert_valid(data, trial, best)


def test_a_pool_is_grown_into_cohorts_each_of_which_can_meet():
    """A mixed track held at the workplace: only W1 has a room, so a cohort can meet only with
    a W1 member in it, and a W2 or W3 member alone never can. The first split offered for two
    cohorts is grown member by member, each cohort kept schedulable: both have a W1 member (the
    other splits go by rota and shared starts, and put W2 and W3 together)."""
    problem, pool = room_only_at_the_first_of_three_workplaces()
    two = next(groups for groups in _splits(problem, pool) if len(groups) == 2)
    assert sorted(sum(p.startswith("W1") for p in g) for g in two) == [1, 1]
    probe = PlanningProblem(problem.scenario, cohorts=_named(problem, pool, two, [c.id for c in pool],
                                                               sorted({p for c in pool for p in c.plans})),
                            reuse=problem)
    assert all(placeable_alone(probe, c.id) for c in probe.cohorts)
    alone = PlanningProblem(problem.scenario, cohorts=_named(problem, pool, [["W2-1"]], [c.id for c in pool],
                                                               ["HP2"]), reuse=problem)
    assert not placeable_alone(alone, alone.cohorts[0].id)


def room_only_at_the_first_of_three_workplaces():
    """Two people at each of W1-W3 on one mixed track held at the workplace, the only room at
    W1's site: the problem and the track's cohorts."""
    sites = [{"id": s, "name": s} for s in ("S-1", "S-2", "S-3")]
    data = scenario_factory(
        sites=sites, rooms=[room("R1", site="S-1", capacity=6)],
        workplaces=[workplace(w, site=s, teams=[team(headcount=20, min_staffing=2, offset_days=0 if w == "W1" else 1)])
                    for w, s in (("W1", "S-1"), ("W2", "S-2"), ("W3", "S-3"))],
        trainers=[trainer(home_site="S-1")],
        modules=[{"id": "M1", "name": "M1", "sessions": 1, "duration_minutes": 60, "location": "workplace"}],
        tracks=[{"id": "K1", "name": "K1", "modules": ["M1"], "min_group": 2, "max_group": 3, "mix_workplaces": True}],
        action_plans=[plan(f"HP{n}", workplace=w, participants=[named(f"{w}-{k}") for k in (1, 2)])
                      for n, w in enumerate(("W1", "W2", "W3"), start=1)])
    problem = problem_of(data)
    return problem, [c for c in problem.cohorts if c.track == "K1"]


def test_splits_asked_for_past_the_deadline_are_not_grown_by_exact_checks(monkeypatch):
    """Growing a split checks each candidate cohort exactly (a problem of its own each), up
    to 150 of them: past the move's deadline it makes none, so a solve ends in its time."""
    problem, pool = room_only_at_the_first_of_three_workplaces()
    checks = []
    real = cohort_moves.placeable_alone
    monkeypatch.setattr(cohort_moves, "placeable_alone", lambda p, cid, **k: checks.append(cid) or real(p, cid, **k))
    list(_splits(problem, pool, deadline=time.monotonic() - 1))
    assert checks == []
    list(_splits(problem, pool, deadline=time.monotonic() + 60))
    assert checks


def test_a_regroup_past_its_deadline_checks_no_more_splits():
    """Each split a regroup judges is first checked (a problem of its new cohorts); one tried
    again passes over the splits judged before: past the deadline it checks none."""
    problem, pool = room_only_at_the_first_of_three_workplaces()
    def offered(deadline):
        return list(_meeting(problem, pool, lambda: _splits(problem, pool), "t", deadline)())
    assert offered(time.monotonic() - 1) == []
    assert offered(time.monotonic() + 60)


def _cohorts_a_and_b(data: dict):
    """The problem, the cohorts of plans HPA and HPB, and a placement of a session on a day
    (trainer T1, room R1)."""
    problem = problem_of(data)
    a, b = (next(c.id for c in problem.cohorts if c.plans == (p,)) for p in ("HPA", "HPB"))

    def on(i: int, day: str) -> Placement:
        k = next(k for k, c in enumerate(problem.options[i].candidates) if c.slot.day.isoformat() == day)
        return Placement(i, k, "T1", "R1", ())

    return problem, a, b, on


def test_a_track_with_no_room_left_in_its_window_goes_back_whole_into_room_made_for_it():
    """One trainer, one session a day. Cohort A (window Mon-Fri) holds Wednesday and Friday;
    cohort B may only train Wednesday to Friday and needs two days a day apart: B cannot be
    placed behind A. The squeeze ruin takes B's whole track and A's sessions in B's window
    out and puts B back first, earliest first, so that A moves to the days B does not need."""
    one_a_day = trainer(max_sessions_per_day=1)
    data = scenario_factory(
        trainers=[one_a_day], start_times=["08:00"], horizon=(H0, "2027-04-09"),
        modules=[{"id": "M1", "name": "M1", "sessions": 2, "duration_minutes": 60, "location": "any"}],
        workplaces=[workplace("W1", teams=[team(headcount=20, min_staffing=2)]),
                    workplace("W2", teams=[team(headcount=20, min_staffing=2)])],
        action_plans=[plan("HPA", workplace="W1", participants=2),
                      plan("HPB", workplace="W2", participants=2, earliest="2027-04-07")])
    problem, a, b, on = _cohorts_a_and_b(data)
    first, second = problem.by_cohort[a]
    rr = RuinRecreate(problem, {first: on(first, "2027-04-07"), second: on(second, "2027-04-09")}, seed=1)
    assert rr.state.incomplete() == [b]
    ruin, order = rr._squeeze()
    assert ruin == {b: 0, a: 0} and order[0] == b and b in rr.recreator.earliest
    best = rr.run(time.monotonic() + 2)
    assert len(best) == len(problem.sessions)
    assert_valid(data, problem, best)


def test_a_session_in_the_way_is_pushed_aside_alone_into_its_own_slack():
    """One trainer, one start a day. Cohort A's three sessions sit on Monday, Wednesday and
    Friday (1-3 days apart); cohort B may only train on Wednesday. The kick puts B on
    Wednesday and only A's middle session moves, to Tuesday or Thursday between its own
    neighbours: A's other sessions stay where they were."""
    data = scenario_factory(
        trainers=[trainer(qualifications=("MA", "MB"))], start_times=["08:00"], horizon=(H0, "2027-04-09"),
        modules=[{"id": "MA", "name": "MA", "sessions": 3, "duration_minutes": 60, "location": "any",
                  "min_gap_days": 1, "max_gap_days": 3},
                 {"id": "MB", "name": "MB", "sessions": 1, "duration_minutes": 60, "location": "any"}],
        tracks=[{"id": "KA", "name": "KA", "modules": ["MA"], "min_group": 1, "max_group": 8,
                 "mix_workplaces": False},
                {"id": "KB", "name": "KB", "modules": ["MB"], "min_group": 1, "max_group": 8,
                 "mix_workplaces": False}],
        workplaces=[workplace("W1", teams=[team(headcount=20, min_staffing=2)]),
                    workplace("W2", teams=[team(headcount=20, min_staffing=2)])],
        action_plans=[plan("HPA", workplace="W1", track="KA", participants=2),
                      plan("HPB", workplace="W2", track="KB", participants=2, earliest="2027-04-07",
                           deadline="2027-04-07")])
    problem = problem_of(data)
    a, b = (next(c.id for c in problem.cohorts if c.plans == (p,)) for p in ("HPA", "HPB"))

    def on(i: int, day: str):
        k = next(k for k, c in enumerate(problem.options[i].candidates) if c.slot.day.isoformat() == day)
        return Placement(i, k, "T1", "R1", ())

    first, middle, last = problem.by_cohort[a]
    start = {first: on(first, "2027-04-05"), middle: on(middle, "2027-04-07"), last: on(last, "2027-04-09")}
    rr = RuinRecreate(problem, start, seed=2)
    assert rr.state.incomplete() == [b]
    assert rr._kick()
    placed = rr.state.placed
    assert len(placed) == len(problem.sessions)
    assert placed[first] == start[first] and placed[last] == start[last]

    def day(i: int) -> str:
        return problem.options[i].candidates[placed[i].candidate].slot.day.isoformat()

    assert day(problem.by_cohort[b][0]) == "2027-04-07" and day(middle) in ("2027-04-06", "2027-04-08")
    assert rr.state.cost == pytest.approx(exact_costs(problem, placed)["objective"], abs=1e-3)
    assert_valid(data, problem, placed)


def test_a_trainer_at_the_weekly_limit_has_a_session_of_that_week_taken_out_for_the_missing_one():
    """One trainer, at most 120 minutes a week. Cohort A's two hours sit in the first week;
    cohort B must train in that week too. Nothing of A is near B's starts in time, yet the
    trainer's week is full: the ejection takes one of A's sessions of that week out with B's,
    and both go back, A into the second week."""
    data = scenario_factory(
        trainers=[trainer(max_minutes_per_week=120)], start_times=["08:00"], horizon=(H0, "2027-04-16"),
        module={"sessions": 2, "min_gap_days": 1},
        workplaces=[workplace("W1", teams=[team(headcount=20, min_staffing=2)]),
                    workplace("W2", teams=[team(headcount=20, min_staffing=2)])],
        action_plans=[plan("HPA", workplace="W1", participants=2),
                      plan("HPB", workplace="W2", participants=2, deadline="2027-04-09")])
    problem, a, b, on = _cohorts_a_and_b(data)
    first, second = problem.by_cohort[a]
    rr = RuinRecreate(problem, {first: on(first, "2027-04-05"), second: on(second, "2027-04-07")}, seed=3)
    assert rr.state.incomplete() == [b]
    ruin, order = rr._eject()
    assert order[0] == b and a in ruin
    best = rr.run(time.monotonic() + 2)
    assert len(best) == len(problem.sessions)
    assert_valid(data, problem, best)


def test_a_rejected_ejection_chain_puts_every_session_back_where_it_was():
    """A step that ends with more sessions missing is undone: each session moved, however
    often within the step, is back at its place from before the step."""
    from benchmarks.planted import planted

    data, _witness = planted("S", 1, "mixed")
    problem = problem_of(copy.deepcopy(data))
    rr = RuinRecreate(problem, construct(problem), seed=5)
    assert rr.state.incomplete(), "the case needs sessions missing, for the chains to have a target"
    undone = 0
    for _ in range(60):
        before = dict(rr.state.placed)
        cost = rr.state.cost
        steps = rr.stats.steps
        accepted = rr.stats.accepted
        if not rr._kick():
            break
        if rr.stats.steps > steps and rr.stats.accepted == accepted:  # tried and undone
            assert rr.state.placed == before and rr.state.cost == pytest.approx(cost, abs=1e-6)
            undone += 1
    assert undone > 0
    assert rr.state.cost == pytest.approx(exact_costs(problem, rr.state.placed)["objective"], abs=1e-3)
    assert_valid(data, problem, rr.state.placed)


def test_sessions_moved_alone_keep_their_tracks_order_and_the_ledger_exact():
    """The slide takes a few sessions out alone and puts each back between its own cohort's
    neighbours: however many such steps are kept or undone, the schedule keeps every rule
    and the cost the search steers by is the objective as the spec counts it."""
    data = json.loads((SCENARIOS / "learning_centre_network.json").read_text(encoding="utf-8"))
    problem = problem_of(data)
    rr = RuinRecreate(problem, construct(problem), seed=4)
    start = rr.state.cost
    for _ in range(300):
        rr._slide()
    tried, kept, _better = rr.stats.by_ruin["slide"]
    assert tried == 300 and kept > 0
    assert rr.state.cost == pytest.approx(exact_costs(problem, rr.state.placed)["objective"], abs=1e-3)
    assert rr.best_cost <= start
    assert_valid(data, problem, rr.state.placed)


def test_a_pool_whose_windows_part_is_offered_cohorts_that_part_with_them():
    # Three spring participants and seven summer ones, dealt into two cohorts that can never
    # meet; the group size is 3-5. Two cohorts cannot hold them (spring alone is three): among
    # the splits re-forming tries (its budget, 16) is one with as many cohorts as the windows
    # call for, each within one window.
    spring = {"earliest": "2027-04-05", "deadline": "2027-04-16", "target": "2027-04-16"}
    summer = {"earliest": "2027-05-10", "deadline": "2027-05-21", "target": "2027-05-21"}
    early = [named(f"s{n}") for n in range(1, 4)]
    late = [named(f"u{n}") for n in range(1, 8)]
    data = scenario_factory(
        horizon=("2027-04-05", "2027-05-21"), track={"mix_workplaces": True, "min_group": 3, "max_group": 5},
        workplaces=[workplace("W1", teams=[team(headcount=20, min_staffing=2)]),
                    workplace("W2", teams=[team(headcount=20, min_staffing=2)])],
        action_plans=[plan("HP1", participants=early, **spring), plan("HP2", workplace="W2", participants=late, **summer)])
    first = problem_of(data)
    problem = PlanningProblem(first.scenario, cohorts=[
        _cohort(first, "C-1", "K1", ["s1", "s2", "u1", "u2", "u3"], ["HP1", "HP2"]),
        _cohort(first, "C-2", "K1", ["s3", "u4", "u5", "u6", "u7"], ["HP1", "HP2"])], reuse=first)
    assert not placeable_alone(problem, "C-1") and not placeable_alone(problem, "C-2")

    offered = list(itertools.islice(_splits(problem, list(problem.cohorts)), 16))

    apart = [groups for groups in offered if all(len({p[0] for p in g}) == 1 for g in groups)]
    assert apart, offered
    groups = apart[0]
    assert sorted(len(g) for g in groups) == [3, 3, 4]
    cohorts = [_cohort(problem, f"C-{n}", "K1", g, ["HP1", "HP2"]) for n, g in enumerate(groups)]
    split = PlanningProblem(problem.scenario, cohorts=cohorts, reuse=problem)
    placed = construct(split)
    assert len(placed) == len(split.sessions)
    assert_valid(data, split, placed)


def test_a_regrouping_never_puts_people_who_can_meet_into_a_cohort_that_never_can():
    # Day workers (on shift 07-16) and evening workers (15-23) of a mixed track, on shift only;
    # the trainer works days, so the evening cohort never gets a trainer. One cohort of all
    # four would be "as incomplete, and cheaper" (placed nowhere: no trainer hour paid), but
    # day and evening workers share no start: the complete day cohort must not be swallowed.
    data = scenario_factory(
        start_times=["08:00", "17:00"],
        shift_types=[shift_type("D", "07:00", "16:00"), shift_type("E", "15:00", "23:00")],
        shift_patterns=[pattern("dag", ["D"] * 5 + ["-", "-"]), pattern("kvall", ["E"] * 5 + ["-", "-"])],
        track={"mix_workplaces": True, "min_group": 2, "max_group": 4},
        trainers=[trainer(available=weekly(MON_FRI, "07:00", "16:00"))],
        workplaces=[workplace("W1", teams=[team("lag-1", headcount=20, min_staffing=2)]),
                    workplace("W2", teams=[team("lag-2", pattern="kvall", headcount=20, min_staffing=2)])],
        action_plans=[plan("HP1", workplace="W1", participants=[named("a1"), named("a2")]),
                      plan("HP2", workplace="W2", participants=[named("b1", "lag-2"), named("b2", "lag-2")])])
    first = problem_of(data)
    problem = PlanningProblem(first.scenario, cohorts=[_cohort(first, "C-a", "K1", ["a1", "a2"], ["HP1"]),
                                                       _cohort(first, "C-b", "K1", ["b1", "b2"], ["HP2"])], reuse=first)
    placed = construct(problem)
    assert [problem.sessions[i].key.cohort for i in placed] == ["C-a"]

    got = regroup(problem, placed, "C-b", wide=True, budget=18)

    if got is not None:  # whatever else it may find, the day workers still meet
        moved, after, _cost = got
        a = next(c for c in moved.cohorts if "a1" in c.participants)
        assert all(i in after for i in moved.by_cohort[a.id])
        assert_valid(data, moved, after)


def test_sessions_missing_from_the_first_schedule_are_the_searchs_first_target_even_when_time_is_short():
    """With only a few seconds for the search (a slow machine, a short limit), the cohort
    moves that place a missing cohort come first, not after a long phase of moves that only
    cost: on this small planted programme a cohort fits only once formed with others."""
    from benchmarks.planted import planted

    data, _witness = planted("S", 4, "mixed")
    problem = problem_of(copy.deepcopy(data))
    placed = construct(problem)
    assert len(placed) < len(problem.sessions), "the case needs a first schedule that leaves sessions out"
    searched, best, _stats = improve(problem, placed, deadline=time.monotonic() + 2.5, seed=0)
    assert len(best) == len(searched.sessions)
    assert_valid(data, searched, best)


def test_a_track_its_members_free_days_cannot_hold_is_found_unschedulable_without_a_search(monkeypatch):
    """The team works Mondays only and trains inside its shifts; the two weeks hold two
    Mondays, the track needs four sessions on three days (three of M1 a day apart, then M2).
    Every session has starts, but none of the first leaves the others a start after it: the
    exact check says no before trying any placement."""
    import scheduler.search.cohort_moves as cohort_moves

    def mondays_only(m1_sessions: int) -> dict:
        modules = [{"id": "M1", "name": "M1", "sessions": m1_sessions, "duration_minutes": 60},
                   {"id": "M2", "name": "M2", "sessions": 1, "duration_minutes": 60}]
        return scenario_factory(
            modules=modules, tracks=[{"id": "K1", "name": "K1", "modules": ["M1", "M2"], "min_group": 2, "max_group": 6}],
            trainers=[trainer("T1", qualifications=("M1", "M2"))],
            shift_patterns=[pattern("dag", ["D", "-", "-", "-", "-", "-", "-"])],
            team=team(headcount=20, min_staffing=2))

    problem = problem_of(mondays_only(3))
    (only,) = problem.cohorts
    assert all(problem.options[i].candidates for i in problem.by_cohort[only.id])
    tried = []
    real_fit = cohort_moves._fit
    monkeypatch.setattr(cohort_moves, "_fit", lambda *a, **k: tried.append(a) or real_fit(*a, **k))
    assert not placeable_alone(problem, only.id)
    assert tried == []
    # two sessions of M1 fit those two Mondays (M2 after the second, the same day): found so
    two = problem_of(mondays_only(2))
    assert placeable_alone(two, two.cohorts[0].id)


def test_cohorts_already_checked_are_not_checked_again_when_cohorts_are_formed_anew(monkeypatch):
    """Forming cohorts again runs in rounds; a cohort (by track, plans and members) found
    schedulable alone in one round is not checked again in the next."""
    import scheduler.search.cohort_moves as cohort_moves

    sc = scenario_factory(
        action_plans=[plan("HP1", participants=[counted(count=6)]), plan("HP2", participants=[counted(count=3)])],
        track={"max_group": 6})
    problem = problem_of(sc)
    checked = []
    real = cohort_moves.placeable_alone
    monkeypatch.setattr(cohort_moves, "placeable_alone", lambda p, cid, **k: checked.append(cid) or real(p, cid, **k))
    known: dict = {}
    assert cohort_moves.unplaceable(problem, known=known) == []
    assert sorted(checked) == sorted(c.id for c in problem.cohorts)
    checked.clear()
    assert cohort_moves.unplaceable(problem, known=known) == []
    assert checked == []


def test_a_copy_of_the_search_state_is_its_own_and_counts_as_one_built_anew():
    """Cohort moves work on a copy of the schedule (building it anew costs a second at national
    size): the copy has the same placements, bookings and cost, and what is taken out of it
    stays in the original."""
    from scheduler.search.ruin_recreate import Schedule, schedule_to_change

    sc = scenario_factory(
        action_plans=[plan("HP1", participants=[counted(count=6)]), plan("HP2", participants=[counted(count=3)])],
        track={"max_group": 6})
    problem = problem_of(sc)
    placed = construct(problem)
    original = Schedule(problem, placed)
    twin = original.copy()
    assert twin.placed == original.placed and twin.cost == original.cost
    i = min(placed)
    pl = twin.remove(i)
    rest = {k: v for k, v in placed.items() if k != i}
    assert twin.cost == pytest.approx(Schedule(problem, rest).cost)
    assert original.cost == pytest.approx(Schedule(problem, placed).cost) and i in original.placed
    assert twin.book.broken_rule(pl) is None  # free again in the copy
    assert original.book.broken_rule(pl) is not None  # still booked in the original
    assert twin.incomplete() and not original.incomplete()
    # the other way round: what the original lets go stays booked in the copy
    j = max(placed)
    gone = original.remove(j)
    assert original.book.broken_rule(gone) is None and twin.book.broken_rule(gone) is not None
    original.add(gone)

    first = schedule_to_change(problem, placed)
    first.remove(i)
    again = schedule_to_change(problem, placed)
    assert i in again.placed and again.cost == pytest.approx(original.cost)
