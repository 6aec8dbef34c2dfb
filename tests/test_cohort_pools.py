"""How many days a track needs: the span with slack that cohorts are formed on
(`track_span_days`) and the floor (`track_floor_days`), which one of the parallel searches
forms its cohorts on (`spans_at_floor`). The floor must never be above what a schedule can
do: a window it calls too short is never tried.
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.prepare.cohort_pools import spans_at_floor, track_floor_days, track_span_days
from scheduler.solve.whole import read_scenario
from tests.scenario_factory import H0, module, scenario_factory, solve_checked, track, trainer


def _weekly_then_daily(**overrides) -> dict:
    """A track of a weekly module (4 sessions, 7 days apart) and then a daily one (3 sessions)."""
    return scenario_factory(
        modules=[module("M1", sessions=4, min_gap_days=7), module("M2", sessions=3)],
        tracks=[track(modules=("M1", "M2"))],
        trainers=[trainer(qualifications=("M1", "M2"))],
        horizon=(H0, "2027-05-28"),
        **overrides,
    )


def _floor(data: dict) -> int:
    _, scenario = read_scenario(data)
    return track_floor_days(scenario, scenario.tracks["K1"])


def _span(data: dict) -> int:
    _, scenario = read_scenario(data)
    return track_span_days(scenario, scenario.tracks["K1"])


def test_a_tracks_floor_counts_its_gaps_as_calendar_days_and_lets_the_next_module_start_the_same_day():
    # Monday, +7, +7, +7 (Monday of week 4), M2 the same Monday at a later start, Tuesday,
    # Wednesday: 24 days. Counting the gaps as working days and adding weekends on top gave 35.
    assert _floor(_weekly_then_daily()) == 24


def test_cohorts_are_formed_on_a_span_with_slack_and_at_the_floor_only_inside_spans_at_floor():
    data = _weekly_then_daily()
    # (3 x 7 + 1) + (2 x 1 + 1) = 25 working days, weekends on top: 35 calendar days
    assert _span(data) == 35
    with spans_at_floor():
        assert _span(data) == 24
    assert _span(data) == 35


def test_with_one_start_time_a_day_the_next_module_begins_the_day_after():
    assert _floor(_weekly_then_daily(start_times=["08:00"])) == 25


def test_a_window_exactly_as_long_as_the_floor_holds_the_whole_track():
    first = date.fromisoformat(H0)
    assert first.weekday() == 0  # the floor's best start is a Monday here
    last = first + timedelta(days=_floor(_weekly_then_daily()) - 1)
    sd = solve_checked(_weekly_then_daily(earliest=H0, deadline=last.isoformat(), target=last.isoformat()))
    assert sd["unscheduled"] == [] and len(sd["sessions"]) == 7
    days = sorted(s["start"][:10] for s in sd["sessions"])
    assert days[0] == H0 and days[-1] == last.isoformat()
