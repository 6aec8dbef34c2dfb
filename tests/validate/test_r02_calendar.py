"""Validator specification: Hard rule 2, calendar (and daylight-saving changes).

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from scheduler.validate import (
    build_context,
    validate,
)
from tests.validate.helpers import by_id, check, explain, move, of_rule, rules

# ---------------------------------------------------------------- rule 2: calendar

def test_rule2_session_on_a_saturday_is_flagged(sc, sd):
    move(sd, "S1", "2026-03-14T08:00:00+01:00", "2026-03-14T10:00:00+01:00")
    report = check(sc, sd)
    assert 2 in rules(report), explain(report)
    assert any("Sat" in v.message and v.entities["sessions"] == ["S1"] for v in of_rule(report, 2))


def test_rule2_session_on_a_public_holiday_is_flagged(sc, sd):
    # May Day, Fri 2026-05-01: everything else about this S3 is fine
    move(sd, "S3", "2026-05-01T08:00:00+02:00", "2026-05-01T11:00:00+02:00")
    report = check(sc, sd)
    assert rules(report) == {2}, explain(report)
    v, = of_rule(report, 2)
    assert "holiday" in v.message and v.entities["sessions"] == ["S3"]


def test_rule2_no_holidays_when_calendar_holidays_is_null(sc, sd):
    sc["calendar"]["holidays"] = None
    move(sd, "S3", "2026-05-01T08:00:00+02:00", "2026-05-01T11:00:00+02:00")
    report = check(sc, sd)
    assert report.violations == [], explain(report)


def test_rule2_session_at_a_time_not_in_start_times_is_flagged(sc, sd):
    move(sd, "S1", "2026-03-12T07:30:00+01:00", "2026-03-12T09:30:00+01:00")
    report = check(sc, sd)
    assert rules(report) == {2}, explain(report)
    v, = of_rule(report, 2)
    assert "07:30" in v.message


def test_rule2_default_start_times_are_0800_and_1300(sc, sd):
    del sc["calendar"]["start_times"]
    report = check(sc, sd)  # S6 starts 14:30, allowed only by the example's own list
    assert rules(report) == {2}, explain(report)
    assert [v.entities["sessions"] for v in of_rule(report, 2)] == [["S6"]]


def test_rule2_session_in_a_closed_period_is_flagged(sc, sd):
    move(sd, "S3", "2026-04-14T08:00:00+02:00", "2026-04-14T11:00:00+02:00")
    report = check(sc, sd)
    assert 2 in rules(report), explain(report)
    assert any("closed" in v.message for v in of_rule(report, 2))


def test_rule2_session_outside_the_horizon_is_flagged(sc, sd):
    sc["horizon"]["end"] = "2026-03-31"
    report = check(sc, sd)  # S3 on 2026-04-01
    assert any(v.entities["sessions"] == ["S3"] and "planning period" in v.message for v in of_rule(report, 2)), \
        explain(report)


def test_rule2_session_after_a_plans_deadline_is_flagged(sc, sd):
    by_id(sc["action_plans"], "HP-VARD-1")["deadline"] = "2026-03-20"
    report = check(sc, sd)  # S6 on 2026-03-23
    assert rules(report) == {2}, explain(report)
    v, = of_rule(report, 2)
    assert v.entities["sessions"] == ["S6"] and v.entities["action_plan"] == "HP-VARD-1"


def test_rule2_deadline_day_itself_is_inside(sc, sd):
    by_id(sc["action_plans"], "HP-VARD-1")["deadline"] = "2026-03-23"
    assert check(sc, sd).violations == []


def test_rule2_session_before_a_plans_earliest_is_flagged(sc, sd):
    by_id(sc["action_plans"], "HP-BRUK-1")["earliest"] = "2026-03-13"
    report = check(sc, sd)  # S1 on 2026-03-12
    assert [v.entities["sessions"] for v in of_rule(report, 2)] == [["S1"]], explain(report)


def test_rule2_session_of_wrong_duration_is_flagged(sc, sd):
    move(sd, "S1", "2026-03-12T08:00:00+01:00", "2026-03-12T10:30:00+01:00")
    report = check(sc, sd)
    assert rules(report) == {2}, explain(report)
    assert "150 minutes" in of_rule(report, 2)[0].message


# ---------------------------------------------------------------- DST

def test_dst_session_written_with_winter_offset_is_a_start_time_violation(sc, sd):
    # 08:00+01:00 on 2026-04-01 is 09:00 local summer time: not an allowed start
    move(sd, "S3", "2026-04-01T08:00:00+01:00", "2026-04-01T11:00:00+01:00")
    report = check(sc, sd)
    assert rules(report) == {2}, explain(report)
    v, = of_rule(report, 2)
    assert "09:00" in v.message and v.entities["sessions"] == ["S3"]


def test_dst_same_instant_written_in_utc_is_accepted(sc, sd):
    move(sd, "S3", "2026-04-01T06:00:00+00:00", "2026-04-01T09:00:00+00:00")
    report = validate(sc, sd)
    assert report.violations == [], explain(report)


def test_dst_night_shift_over_the_spring_change_lasts_seven_hours(sc, sd):
    ctx = build_context(sc, sd)
    sh = ctx.shift_on(("W-BRUK", "skiftlag-2"), date(2026, 3, 28))
    assert sh.type == "N"
    assert sh.end - sh.start == 7 * 3600
    assert ctx.shift_on(("W-BRUK", "skiftlag-2"), date(2026, 3, 29)).end - \
        ctx.shift_on(("W-BRUK", "skiftlag-2"), date(2026, 3, 29)).start == 8 * 3600


def test_dst_nonexistent_local_time_takes_the_offset_before_the_change(sc, sd):
    ctx = build_context(sc, sd)
    ts = ctx.local_ts(date(2026, 3, 29), 2 * 60 + 30)  # 02:30 does not exist that night
    assert datetime.fromtimestamp(ts, ZoneInfo("UTC")).strftime("%H:%M") == "01:30"  # read as +01:00
    ts = ctx.local_ts(date(2026, 10, 25), 2 * 60 + 30)  # 02:30 happens twice: first one (+02:00)
    assert datetime.fromtimestamp(ts, ZoneInfo("UTC")).strftime("%H:%M") == "00:30"
