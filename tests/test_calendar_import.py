"""Busy times from .ics calendars become unavailable periods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler.format import ScenarioInvalid
from scheduler.io.calendar_import import CalendarInvalid, add_unavailable, busy_periods
from tests.scenario_factory import day_of, scenario_factory, solve_checked

SPRING = {"start": "2026-03-02", "end": "2026-05-29"}  # DST starts Sun 2026-03-29

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Stockholm
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
"""


def ics(*events: str, timezone: str = VTIMEZONE) -> str:
    body = "".join(f"BEGIN:VEVENT\nDTSTAMP:20260101T000000Z\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//modulplan//SV\n{timezone}{body}END:VCALENDAR\n"


WEEKLY_OVER_DST_WITH_EXDATE = """
UID:handledning
SUMMARY:Handledning
DTSTART;TZID=Europe/Stockholm:20260316T090000
DTEND;TZID=Europe/Stockholm:20260316T110000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Stockholm:20260323T090000
"""


def test_weekly_rule_over_the_dst_change_with_an_exdate_gives_exactly_its_periods():
    assert busy_periods(ics(WEEKLY_OVER_DST_WITH_EXDATE), SPRING) == [
        {"start": "2026-03-16T09:00", "end": "2026-03-16T11:00"},
        # 2026-03-23 is excluded; the clocks go forward on the 29th: still 09:00 local
        {"start": "2026-03-30T09:00", "end": "2026-03-30T11:00"},
        {"start": "2026-04-06T09:00", "end": "2026-04-06T11:00"},
    ]


def test_a_weekly_event_fixed_in_utc_moves_an_hour_in_local_time_after_the_dst_change():
    event = "UID:utc\nDTSTART:20260324T080000Z\nDTEND:20260324T090000Z\nRRULE:FREQ=WEEKLY;COUNT=2"
    assert busy_periods(ics(event), SPRING) == [
        {"start": "2026-03-24T09:00", "end": "2026-03-24T10:00"},
        {"start": "2026-03-31T10:00", "end": "2026-03-31T11:00"},
    ]


def test_all_day_events_become_whole_days():
    event = "UID:konferens\nDTSTART;VALUE=DATE:20260408\nDTEND;VALUE=DATE:20260410"
    assert busy_periods(ics(event), SPRING) == [{"start": "2026-04-08", "end": "2026-04-09"}]


def test_an_event_in_another_time_zone_lands_at_the_right_local_time():
    event = "UID:ny\nDTSTART;TZID=America/New_York:20260420T090000\nDTEND;TZID=America/New_York:20260420T100000"
    assert busy_periods(ics(event), SPRING) == [{"start": "2026-04-20T15:00", "end": "2026-04-20T16:00"}]


def test_cancelled_and_free_events_are_ignored():
    cancelled = "UID:c\nSTATUS:CANCELLED\nDTSTART:20260421T080000Z\nDTEND:20260421T090000Z"
    free = "UID:f\nTRANSP:TRANSPARENT\nDTSTART:20260422T080000Z\nDTEND:20260422T090000Z"
    busy = "UID:b\nDTSTART:20260423T080000Z\nDTEND:20260423T090000Z"
    assert busy_periods(ics(cancelled, free, busy), SPRING) == [{"start": "2026-04-23T10:00", "end": "2026-04-23T11:00"}]


def test_a_cancelled_occurrence_of_a_series_is_ignored():
    series = WEEKLY_OVER_DST_WITH_EXDATE
    cancelled = """
UID:handledning
RECURRENCE-ID;TZID=Europe/Stockholm:20260330T090000
STATUS:CANCELLED
DTSTART;TZID=Europe/Stockholm:20260330T090000
DTEND;TZID=Europe/Stockholm:20260330T110000
"""
    starts = [p["start"] for p in busy_periods(ics(series, cancelled), SPRING)]
    assert starts == ["2026-03-16T09:00", "2026-04-06T09:00"]


def test_events_outside_the_horizon_are_left_out_and_those_across_its_edge_are_cut():
    before = "UID:a\nDTSTART;VALUE=DATE:20260201\nDTEND;VALUE=DATE:20260202"
    across = "UID:b\nDTSTART;VALUE=DATE:20260528\nDTEND;VALUE=DATE:20260603"
    assert busy_periods(ics(before, across), SPRING) == [{"start": "2026-05-28", "end": "2026-05-29"}]


def test_overlapping_events_merge_into_one_period():
    a = "UID:a\nDTSTART:20260414T070000Z\nDTEND:20260414T090000Z"
    b = "UID:b\nDTSTART:20260414T080000Z\nDTEND:20260414T100000Z"
    assert busy_periods(ics(a, b), SPRING) == [{"start": "2026-04-14T09:00", "end": "2026-04-14T12:00"}]


def test_a_google_export_that_names_its_zone_only_in_x_wr_timezone_is_read_in_that_zone():
    event = "UID:g\nDTSTART:20260415T090000\nDTEND:20260415T100000"
    body = ics(event, timezone="X-WR-TIMEZONE:America/New_York\n")
    assert busy_periods(body, SPRING) == [{"start": "2026-04-15T15:00", "end": "2026-04-15T16:00"}]


def test_a_file_that_is_not_a_calendar_is_an_error_naming_the_calendar():
    with pytest.raises(CalendarInvalid) as info:
        busy_periods("hello, I am not a calendar", SPRING)
    assert info.value.errors[0].path == "calendar"


def test_an_unknown_trainer_is_an_error_naming_it(tiny_example_scenario):
    with pytest.raises(ScenarioInvalid) as info:
        add_unavailable(tiny_example_scenario, "trainer", "T-NOBODY", ics(WEEKLY_OVER_DST_WITH_EXDATE))
    assert "T-NOBODY" in info.value.errors[0].message


def test_busy_periods_are_added_to_a_room_and_keep_its_own(tiny_example_scenario):
    out = add_unavailable(tiny_example_scenario, "room", "R-LC", ics(WEEKLY_OVER_DST_WITH_EXDATE))
    room = next(r for r in out["rooms"] if r["id"] == "R-LC")
    assert room["unavailable"][0] == {"start": "2026-03-24T08:00", "end": "2026-03-24T17:00"}
    assert len(room["unavailable"]) == 4


def test_the_solver_keeps_clear_of_a_trainers_calendar():
    data = scenario_factory(participants=2)  # horizon Mon 2027-04-05 .. Fri 2027-04-16
    week_one = "UID:semester\nDTSTART;VALUE=DATE:20270405\nDTEND;VALUE=DATE:20270410"
    scenario = add_unavailable(data, "trainer", "T1", ics(week_one))
    schedule = solve_checked(scenario, time_limit=3)
    assert schedule["sessions"]
    assert all(str(day_of(s)) >= "2027-04-12" for s in schedule["sessions"])


def test_cli_import_calendar_writes_the_new_scenario(tmp_path, tiny_example_scenario):
    from scheduler.cli import main

    (tmp_path / "s.json").write_text(json.dumps(tiny_example_scenario), encoding="utf-8")
    (tmp_path / "erik.ics").write_text(ics(WEEKLY_OVER_DST_WITH_EXDATE), encoding="utf-8")
    code = main(["import-calendar", str(tmp_path / "s.json"), "--trainer", "T-ERIK", str(tmp_path / "erik.ics"),
                 "--out", str(tmp_path / "s2.json")])
    assert code == 0
    out = json.loads(Path(tmp_path / "s2.json").read_text(encoding="utf-8"))
    erik = next(t for t in out["trainers"] if t["id"] == "T-ERIK")
    assert {"start": "2026-03-30T09:00", "end": "2026-03-30T11:00"} in erik["unavailable"]
