"""Rule 2, calendar: allowed days and start times, inside the plans' windows, across DST.
Enforced only in the candidate starts (see scheduler.rules.catalogue).
"""

from __future__ import annotations

from datetime import timedelta

from scheduler.validate import format_report, validate
from tests.rules.common import NIGHT, D, assert_only_rule, at_start, model_of, move_to, solvable
from tests.scenario_factory import (
    H0,
    WEEKDAYS,
    day_of,
    hm,
    named,
    pattern,
    plan,
    scenario_factory,
    sessions_of,
    solve,
    solve_checked,
    start_of,
    team,
    workplace,
)


def test_rule2_ascension_day_is_skipped():
    # Ascension Day 2027 is Thu 05-06; the plan starts that day and wants to finish at once
    sc = scenario_factory(horizon=("2027-05-03", "2027-05-14"),
                          earliest="2027-05-06", target="2027-05-06")
    sd = solve_checked(sc)
    assert [day_of(s) for s in sd["sessions"]] == [D("2027-05-07")]


def test_rule2_national_day_is_skipped_even_when_sundays_are_training_days():
    # 2027-06-06 (national day) is a Sunday; a team working every day, sessions allowed all week
    sc = scenario_factory(horizon=("2027-06-04", "2027-06-11"), calendar={"weekdays": list(WEEKDAYS)},
                          shift_patterns=[pattern("dag", ["D"])], earliest="2027-06-06", target="2027-06-06")
    sd = solve_checked(sc)
    assert [day_of(s) for s in sd["sessions"]] == [D("2027-06-07")]


def test_rule2_closed_period_is_skipped():
    sc = scenario_factory(calendar={"closed": [{"start": "2027-04-05", "end": "2027-04-07", "reason": "studiedagar"}]},
                          target=H0)
    sd = solve_checked(sc)
    assert [day_of(s) for s in sd["sessions"]] == [D("2027-04-08")]


def test_rule2_only_allowed_weekdays_and_start_times_are_used():
    sc = scenario_factory(calendar={"weekdays": ["tue", "thu"]}, start_times=["09:15", "14:45"],
                          module={"sessions": 2}, target=H0)
    sd = solve_checked(sc)
    days = [day_of(s) for s in sd["sessions"]]
    assert days == [D("2027-04-06"), D("2027-04-08")]  # Tue, Thu: Monday would be cheaper
    assert {hm(s) for s in sd["sessions"]} <= {"09:15", "14:45"}


def test_rule2_session_of_a_mixed_cohort_lies_inside_every_plan_window():
    # one mixed cohort of HP1 (from 04-07) and HP2 (until 04-08, target 04-05): 04-07 is the
    # earliest day both windows allow
    sc = scenario_factory(
        track={"mix_workplaces": True},
        action_plans=[plan("HP1", participants=2, earliest="2027-04-07", target="2027-04-07"),
                      plan("HP2", participants=2, deadline="2027-04-08", target=H0)],
    )
    sd = solve_checked(sc)
    assert len(sd["cohorts"]) == 1 and len(sd["cohorts"][0]["participants"]) == 4
    assert [day_of(s) for s in sd["sessions"]] == [D("2027-04-07")]


def test_rule2_session_without_any_start_in_the_plan_window_is_unscheduled_with_a_reason():
    # the only trainer is away exactly while the plan's window is open
    sc = scenario_factory(earliest="2027-04-12", trainer={"unavailable": [{"start": "2027-04-12", "end": "2027-04-16"}]})
    sd = solve_checked(sc)
    assert sd["sessions"] == []
    (u,) = sd["unscheduled"]
    assert "M1" in u["reason"] and "2027-04-12" in u["reason"]


def test_rule2_sessions_keep_0800_local_time_across_the_spring_dst_change():
    # Thu 03-25 (+01:00); Good Friday 03-26, the weekend (DST on Sun 03-28) and Easter
    # Monday 03-29 are closed; the second session is Tue 03-30 (+02:00)
    sc = scenario_factory(horizon=("2027-03-22", "2027-04-02"), start_times=["08:00"],
                          module={"sessions": 2}, earliest="2027-03-25", target="2027-03-25")
    sd = solve_checked(sc)
    assert [(s["start"], s["end"]) for s in sessions_of(sd)] == [
        ("2027-03-25T08:00:00+01:00", "2027-03-25T09:00:00+01:00"),
        ("2027-03-30T08:00:00+02:00", "2027-03-30T09:00:00+02:00"),
    ]


def test_rule2_sessions_keep_0800_local_time_across_the_autumn_dst_change():
    sc = scenario_factory(horizon=("2027-10-25", "2027-11-05"), start_times=["08:00"],
                          module={"sessions": 2, "min_gap_days": 5}, earliest="2027-10-28", target="2027-10-28")
    sd = solve_checked(sc)
    assert [s["start"] for s in sessions_of(sd)] == ["2027-10-28T08:00:00+02:00", "2027-11-02T08:00:00+01:00"]


def test_rule2_validator_catches_a_session_moved_off_the_allowed_start_times():
    sc = scenario_factory()
    sd = solve_checked(sc)
    s = sd["sessions"][0]
    move_to(s, day_of(s).isoformat(), (start_of(s) + timedelta(minutes=30)).strftime("%H:%M"))
    assert_only_rule(sc, sd, 2)


DST_NIGHT = dict(
    **NIGHT, shift_patterns=[pattern("natt", ["N"])], workplaces=[workplace(teams=[team(pattern="natt")])],
    horizon=("2027-03-26", "2027-04-02"), calendar={"weekdays": list(WEEKDAYS), "holidays": None},
    earliest="2027-03-28", target="2027-03-28",
)


def test_night_session_in_the_spring_dst_night_lasts_its_real_duration():
    # Sun 2027-03-28 01:30+01:00, one real hour later it is 03:30+02:00; the 22-06 night shift
    # of Sat 03-27 is 7 real hours long and holds the session
    sd = solve_checked(scenario_factory(**DST_NIGHT, start_times=["01:30"]))
    (s,) = sd["sessions"]
    assert (s["start"], s["end"]) == ("2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")
    assert sd["kpis"]["backfill_hours"] == 3 and sd["kpis"]["overtime_hours"] == 0


def test_start_time_that_does_not_exist_on_the_spring_dst_day_is_not_used():
    sc = scenario_factory(**DST_NIGHT, start_times=["02:30"])
    result = solve(sc)
    report = validate(sc, result.schedule)
    assert report.ok, format_report(report)


def test_start_time_that_does_not_exist_on_the_spring_dst_day_is_used_on_other_days():
    # the part of the DST story that does work: 02:30 on other nights is fine
    sd = solve_checked(scenario_factory(**{**DST_NIGHT, "earliest": "2027-03-29", "target": "2027-03-29"},
                                        start_times=["02:30"]))
    assert [s["start"] for s in sd["sessions"]] == ["2027-03-29T02:30:00+02:00"]


def test_mixed_cohort_keeps_the_window_of_every_plan_its_members_are_in():
    sc = scenario_factory(track={"mix_workplaces": True},
                          action_plans=[plan("HP1", participants=[named("p-1"), named("p-2")], target=H0),
                                        plan("HP2", participants=[named("p-1")], earliest="2027-04-08")])
    sd = solve_checked(sc)
    assert all(day_of(s) >= D("2027-04-08") for s in sd["sessions"])


# ============================================================================ model level (candidate starts)

CLOSED = {"closed": [{"start": "2027-04-05", "end": "2027-04-07", "reason": "studiedagar"}]}


def test_rule2_candidate_starts_leave_out_closed_days_so_the_model_cannot_use_them():
    mb = model_of(scenario_factory(calendar=CLOSED))
    (i,) = mb.schedulable
    assert min(c.slot.day for c in mb.options[i].candidates) == D("2027-04-08")
    at_start(mb, i, "2027-04-05", "08:00")
    assert not solvable(mb)


def test_rule2_model_allows_an_open_day_at_an_allowed_start_time():
    mb = model_of(scenario_factory(calendar=CLOSED))
    (i,) = mb.schedulable
    at_start(mb, i, "2027-04-08", "13:00")
    assert solvable(mb)
