"""Tests of the iCalendar export (scheduler/exports/ics.py) on the tiny-1 example."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from scheduler.io.ics import (
    DEFAULT_DTSTAMP,
    build_calendar,
    calendar_bytes,
    session_key,
    session_uid,
    write_ics_dir,
)

_HERE = Path(__file__).resolve().parent
EXAMPLES = _HERE.parent / "scenarios" / "examples"  # the format's hand-checked examples
STOCKHOLM = "Europe/Stockholm"


def _examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def scenario() -> dict:
    return json.loads((_examples_dir() / "tiny-scenario.json").read_text(encoding="utf-8"))


@pytest.fixture
def schedule() -> dict:
    return json.loads((_examples_dir() / "tiny-schedule.json").read_text(encoding="utf-8"))


def _session(schedule: dict, sid: str) -> dict:
    return next(s for s in schedule["sessions"] if s["id"] == sid)


def _roundtrip(cal: icalendar.Calendar) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(calendar_bytes(cal))


def _events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def _by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in _events(cal)}


def _uid(scenario: dict, schedule: dict, sid: str) -> str:
    return session_uid(scenario["id"], _session(schedule, sid))


def _event_of(scenario: dict, schedule: dict, sid: str, **kw) -> icalendar.Event:
    kw.setdefault("kind", "workplace")
    kw.setdefault("entity_id", "W-BRUK")
    cal = _roundtrip(build_calendar(scenario, schedule, **kw))
    return _by_uid(cal)[_uid(scenario, schedule, sid)]


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --------------------------------------------------------------------------
# selection


def test_workplace_calendar_holds_exactly_the_sessions_of_its_cohorts(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))
    expected = {_uid(scenario, schedule, sid) for sid in ("S1", "S2", "S3")}
    assert set(_by_uid(cal)) == expected
    assert len(_events(cal)) == 3


@pytest.mark.parametrize(
    ("kind", "entity_id", "sids"),
    [
        ("workplace", "W-VARD", {"S4", "S5", "S6"}),
        ("trainer", "T-ERIK", {"S1", "S2", "S3"}),
        ("trainer", "T-SARA", {"S4", "S5", "S6"}),
        ("room", "R-BRUK", {"S1", "S2"}),
        ("room", "R-LC", {"S3", "S4", "S5"}),
        ("cohort", "C-VARD-1", {"S4", "S5", "S6"}),
        ("interpreter", "I-AMAL", {"S4", "S5", "S6"}),
    ],
)
def test_each_kind_selects_the_sessions_of_that_entity(scenario, schedule, kind, entity_id, sids):
    cal = _roundtrip(build_calendar(scenario, schedule, kind=kind, entity_id=entity_id))
    assert set(_by_uid(cal)) == {_uid(scenario, schedule, sid) for sid in sids}


def test_unknown_kind_is_rejected(scenario, schedule):
    with pytest.raises(ValueError, match="kind"):
        build_calendar(scenario, schedule, kind="participant", entity_id="v-101")


def test_unknown_entity_is_rejected(scenario, schedule):
    with pytest.raises(ValueError, match="W-NOPE"):
        build_calendar(scenario, schedule, kind="workplace", entity_id="W-NOPE")


def test_participant_filter_keeps_only_sessions_of_those_participants(scenario, schedule):
    cal = _roundtrip(
        build_calendar(
            scenario, schedule, kind="room", entity_id="R-LC", participant_filter={"v-102"}
        )
    )
    assert set(_by_uid(cal)) == {_uid(scenario, schedule, s) for s in ("S4", "S5")}
    assert all("Varav i urvalet: 1" in str(e["DESCRIPTION"]) for e in _events(cal))


# --------------------------------------------------------------------------
# time zones and daylight saving time


def test_session_before_dst_change_is_0800_stockholm_at_plus_0100(scenario, schedule):
    start = _event_of(scenario, schedule, "S1")["DTSTART"]
    assert start.params["TZID"] == STOCKHOLM
    assert start.dt.replace(tzinfo=None) == datetime(2026, 3, 12, 8, 0)
    assert start.dt.utcoffset() == timedelta(hours=1)
    assert start.dt == datetime(2026, 3, 12, 7, 0, tzinfo=UTC)


def test_session_after_dst_change_is_0800_stockholm_at_plus_0200(scenario, schedule):
    start = _event_of(scenario, schedule, "S3")["DTSTART"]
    assert start.params["TZID"] == STOCKHOLM
    assert start.dt.replace(tzinfo=None) == datetime(2026, 4, 1, 8, 0)
    assert start.dt.utcoffset() == timedelta(hours=2)
    assert start.dt == datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


def test_dtstart_and_dtend_are_local_times_with_tzid_never_floating(scenario, schedule):
    text = calendar_bytes(
        build_calendar(scenario, schedule, kind="trainer", entity_id="T-ERIK")
    ).decode("utf-8")
    assert "DTSTART;TZID=Europe/Stockholm:20260312T080000\r\n" in text
    assert "DTEND;TZID=Europe/Stockholm:20260401T110000\r\n" in text
    in_event, checked = False, 0
    for line in text.split("\r\n"):
        if line in ("BEGIN:VEVENT", "END:VEVENT"):
            in_event = line == "BEGIN:VEVENT"
        elif in_event and line.startswith(("DTSTART", "DTEND")):
            assert line.split(":", 1)[0] in ("DTSTART;TZID=Europe/Stockholm", "DTEND;TZID=Europe/Stockholm")
            assert not line.endswith("Z")
            checked += 1
    assert checked == 6


def test_utc_z_session_times_render_at_the_right_local_time(scenario, schedule):
    s1, s3 = _session(schedule, "S1"), _session(schedule, "S3")
    s1["start"], s1["end"] = "2026-03-12T07:00:00Z", "2026-03-12T09:00:00Z"
    s3["start"], s3["end"] = "2026-04-01T06:00:00+00:00", "2026-04-01T09:00:00Z"
    ev1 = _event_of(scenario, schedule, "S1")
    ev3 = _event_of(scenario, schedule, "S3")
    assert ev1["DTSTART"].params["TZID"] == STOCKHOLM
    assert ev1["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 12, 8, 0)
    assert ev1["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 3, 12, 10, 0)
    assert ev3["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 4, 1, 8, 0)
    assert ev3["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 4, 1, 11, 0)
    assert ev3["DTSTART"].dt.utcoffset() == timedelta(hours=2)


def test_session_time_without_utc_offset_is_rejected(scenario, schedule):
    _session(schedule, "S1")["start"] = "2026-03-12T08:00:00"
    with pytest.raises(ValueError, match="UTC offset"):
        build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK")


def test_session_ending_before_it_starts_is_rejected(scenario, schedule):
    _session(schedule, "S1")["end"] = "2026-03-12T07:00:00+01:00"
    with pytest.raises(ValueError, match="before it starts"):
        build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK")


def test_vtimezone_has_standard_and_daylight(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))
    (vtz,) = cal.walk("VTIMEZONE")
    assert str(vtz["TZID"]) == STOCKHOLM
    assert len(vtz.walk("STANDARD")) >= 1
    assert len(vtz.walk("DAYLIGHT")) >= 1


def test_vtimezone_uses_yearly_rrules_that_outlook_understands(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))
    (vtz,) = cal.walk("VTIMEZONE")
    (daylight,) = vtz.walk("DAYLIGHT")
    (standard,) = vtz.walk("STANDARD")
    assert daylight["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert standard["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    # onset is the local time in the offset before the change (RFC 5545 3.6.5)
    assert daylight.decoded("DTSTART").time() == datetime(2000, 1, 1, 2, 0).time()
    assert standard.decoded("DTSTART").time() == datetime(2000, 1, 1, 3, 0).time()
    assert daylight.decoded("TZOFFSETFROM") == timedelta(hours=1)
    assert daylight.decoded("TZOFFSETTO") == timedelta(hours=2)


def test_vtimezone_definition_alone_gives_both_offsets(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))
    (vtz,) = cal.walk("VTIMEZONE")
    own = vtz.to_tz(lookup_tzid=False)  # built from our STANDARD/DAYLIGHT, not tzdata
    assert own.utcoffset(datetime(2026, 3, 12, 8, 0)) == timedelta(hours=1)
    assert own.utcoffset(datetime(2026, 3, 28, 23, 0)) == timedelta(hours=1)
    assert own.utcoffset(datetime(2026, 3, 29, 4, 0)) == timedelta(hours=2)
    assert own.utcoffset(datetime(2026, 4, 1, 8, 0)) == timedelta(hours=2)
    assert own.utcoffset(datetime(2026, 10, 26, 8, 0)) == timedelta(hours=1)


def test_no_timezone_is_missing_from_the_calendar(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="trainer", entity_id="T-SARA"))
    assert cal.get_missing_tzids() == set()


def test_scenario_timezone_is_used_for_local_times(scenario, schedule):
    scenario["timezone"] = "Europe/London"
    ev = _event_of(scenario, schedule, "S3")
    assert ev["DTSTART"].params["TZID"] == "Europe/London"
    assert ev["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 4, 1, 7, 0)
    assert ev["DTSTART"].dt == datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


# --------------------------------------------------------------------------
# calendar headers


def test_calendar_has_publishing_headers(scenario, schedule):
    text = calendar_bytes(
        build_calendar(scenario, schedule, kind="workplace", entity_id="W-VARD")
    ).decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    for expected in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:modulplan – Vårdboendet Linden",
        "X-WR-TIMEZONE:Europe/Stockholm",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ):
        assert expected in lines
    assert any(line.startswith("PRODID:") for line in lines)


def test_entity_name_is_in_calendar_name(scenario, schedule):
    cal = build_calendar(scenario, schedule, kind="trainer", entity_id="T-ERIK")
    assert str(cal["X-WR-CALNAME"]) == "modulplan – Erik (utbildare)"


def test_output_uses_crlf_line_endings(scenario, schedule):
    data = calendar_bytes(build_calendar(scenario, schedule, kind="room", entity_id="R-LC"))
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


# --------------------------------------------------------------------------
# UIDs, SEQUENCE, DTSTAMP, determinism


def test_same_input_gives_identical_bytes(scenario, schedule):
    first = calendar_bytes(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))
    second = calendar_bytes(
        build_calendar(copy.deepcopy(scenario), copy.deepcopy(schedule), kind="workplace", entity_id="W-BRUK")
    )
    assert first == second


def test_uids_are_stable_across_two_builds(scenario, schedule):
    a = _by_uid(_roundtrip(build_calendar(scenario, schedule, kind="room", entity_id="R-LC")))
    b = _by_uid(_roundtrip(build_calendar(scenario, schedule, kind="room", entity_id="R-LC")))
    assert set(a) == set(b)


def test_uids_do_not_change_when_session_ids_are_renamed(scenario, schedule):
    before = set(_by_uid(_roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK"))))
    renamed = copy.deepcopy(schedule)
    for s in renamed["sessions"]:
        s["id"] = f"new-{s['id']}"
    after = set(_by_uid(_roundtrip(build_calendar(scenario, renamed, kind="workplace", entity_id="W-BRUK"))))
    assert before == after


def test_uids_do_not_change_when_a_session_is_moved(scenario, schedule):
    uid = _uid(scenario, schedule, "S2")
    moved = copy.deepcopy(schedule)
    s2 = _session(moved, "S2")
    s2["start"], s2["end"] = "2026-03-24T13:00:00+01:00", "2026-03-24T15:00:00+01:00"
    assert session_uid(scenario["id"], s2) == uid
    cal = _roundtrip(build_calendar(scenario, moved, kind="workplace", entity_id="W-BRUK"))
    assert _by_uid(cal)[uid]["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 3, 24, 13, 0)


def test_different_sessions_get_different_uids(scenario, schedule):
    uids = [session_uid(scenario["id"], s) for s in schedule["sessions"]]
    assert len(set(uids)) == len(uids) == 6


def test_uid_depends_on_scenario_id(schedule):
    s1 = _session(schedule, "S1")
    assert session_uid("tiny-1", s1) != session_uid("tiny-2", s1)


def test_uid_is_pinned_so_published_uids_never_change(schedule):
    # uuid5(NAMESPACE, "tiny-1/C-SAK-1/SAK1/1"); changing it duplicates events for subscribers
    assert session_uid("tiny-1", _session(schedule, "S1")) == "1a79e700-8e25-5e0f-bab2-816f5e27a747@modulplan"


def test_sequence_defaults_to_zero(scenario, schedule):
    assert _event_of(scenario, schedule, "S1").decoded("SEQUENCE") == 0


def test_sequence_is_passed_through_by_uid(scenario, schedule):
    sequences = {_uid(scenario, schedule, "S2"): 3}
    assert _event_of(scenario, schedule, "S2", sequences=sequences).decoded("SEQUENCE") == 3
    assert _event_of(scenario, schedule, "S1", sequences=sequences).decoded("SEQUENCE") == 0


def test_sequence_is_passed_through_by_identity_key(scenario, schedule):
    assert session_key(_session(schedule, "S3")) == "C-SAK-1/SAK2/1"
    ev = _event_of(scenario, schedule, "S3", sequences={"C-SAK-1/SAK2/1": 2})
    assert ev.decoded("SEQUENCE") == 2


def test_negative_sequence_is_rejected(scenario, schedule):
    with pytest.raises(ValueError, match="SEQUENCE"):
        build_calendar(
            scenario, schedule, kind="workplace", entity_id="W-BRUK", sequences={"C-SAK-1/SAK1/1": -1}
        )


def test_dtstamp_is_fixed_without_generated_at(scenario, schedule):
    assert _event_of(scenario, schedule, "S1").decoded("DTSTAMP") == DEFAULT_DTSTAMP


def test_generated_at_becomes_dtstamp_in_utc(scenario, schedule):
    generated = datetime.fromisoformat("2026-03-01T12:30:45.123+01:00")
    stamp_prop = _event_of(scenario, schedule, "S1", generated_at=generated)["DTSTAMP"]
    assert stamp_prop.dt == datetime(2026, 3, 1, 11, 30, 45, tzinfo=UTC)
    assert stamp_prop.to_ical() == b"20260301T113045Z"


def test_events_are_ordered_by_start_instant(scenario, schedule):
    cal = _roundtrip(build_calendar(scenario, schedule, kind="room", entity_id="R-LC"))
    starts = [e["DTSTART"].dt for e in _events(cal)]
    assert starts == sorted(starts)
    assert [str(e["UID"]) for e in _events(cal)] == [
        _uid(scenario, schedule, sid) for sid in ("S4", "S5", "S3")
    ]


def test_events_starting_together_are_ordered_by_uid(scenario, schedule):
    # S5 moved onto S4's start instant, written in UTC; S5's UID sorts before S4's
    s5 = _session(schedule, "S5")
    s5["start"], s5["end"] = "2026-03-17T07:00:00Z", "2026-03-17T08:30:00Z"
    uid4, uid5 = _uid(scenario, schedule, "S4"), _uid(scenario, schedule, "S5")
    assert uid5 < uid4
    cal = _roundtrip(build_calendar(scenario, schedule, kind="cohort", entity_id="C-VARD-1"))
    assert [str(e["UID"]) for e in _events(cal)][:2] == [uid5, uid4]


def test_duplicate_session_identity_is_rejected(scenario, schedule):
    dup = copy.deepcopy(_session(schedule, "S1"))
    dup["id"] = "S1-copy"
    schedule["sessions"].append(dup)
    with pytest.raises(ValueError, match="one UID for two events"):
        build_calendar(scenario, schedule, kind="trainer", entity_id="T-SARA")


# --------------------------------------------------------------------------
# cancellations


def test_cancelled_session_carries_status_cancelled(scenario, schedule):
    removed = _session(schedule, "S2")
    schedule["sessions"].remove(removed)
    cal = _roundtrip(
        build_calendar(
            scenario,
            schedule,
            kind="workplace",
            entity_id="W-BRUK",
            cancelled=[removed],
            sequences={session_key(removed): 1},
        )
    )
    events = _by_uid(cal)
    cancelled = events[session_uid(scenario["id"], removed)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.decoded("SEQUENCE") == 1
    assert str(cancelled["SUMMARY"]).startswith("INSTÄLLT: ")
    others = [e for uid, e in events.items() if uid != session_uid(scenario["id"], removed)]
    assert len(others) == 2
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in others)


def test_cancelled_session_of_a_vanished_cohort_reaches_its_workplace(scenario, schedule):
    gone = dict(_session(schedule, "S1"), cohort="C-SAK-OLD", workplaces=["W-BRUK"], track="K-SAK")
    cal = _roundtrip(build_calendar(scenario, schedule, kind="workplace", entity_id="W-BRUK", cancelled=[gone]))
    assert str(_by_uid(cal)[session_uid(scenario["id"], gone)]["STATUS"]) == "CANCELLED"
    assert len(_events(cal)) == 4


def test_cancelled_session_that_is_still_scheduled_is_rejected(scenario, schedule):
    with pytest.raises(ValueError, match="one UID for two events"):
        build_calendar(
            scenario, schedule, kind="workplace", entity_id="W-BRUK", cancelled=[_session(schedule, "S1")]
        )


# --------------------------------------------------------------------------
# texts


def test_summary_is_swedish_module_name_and_session_n_of_m(scenario, schedule):
    assert str(_event_of(scenario, schedule, "S2")["SUMMARY"]) == "Säkerhet grund – tillfälle 2 av 2"
    assert str(_event_of(scenario, schedule, "S3")["SUMMARY"]) == "Säkerhet fördjupning – tillfälle 1 av 1"


def test_location_is_room_name_with_site(scenario, schedule):
    # room names that already contain the site name are not repeated
    assert str(_event_of(scenario, schedule, "S1")["LOCATION"]) == "Konferensrummet, Bruket"
    scenario["rooms"][1]["name"] = "Sal 1"
    assert str(_event_of(scenario, schedule, "S3")["LOCATION"]) == "Sal 1, Lärcentrum"


def test_location_of_remote_session_is_distans(scenario, schedule):
    ev = _event_of(scenario, schedule, "S6", kind="workplace", entity_id="W-VARD")
    assert str(ev["LOCATION"]) == "Distans"


def test_description_names_track_cohort_size_trainer_and_interpreters(scenario, schedule):
    text = str(_event_of(scenario, schedule, "S4", kind="interpreter", entity_id="I-AMAL")["DESCRIPTION"])
    for expected in ("Vårdspåret", "C-VARD-1", "Deltagare: 3", "Utbildare: Sara", "Tolk: Amal"):
        assert expected in text


def test_workplace_description_counts_its_own_participants(scenario, schedule):
    text = str(_event_of(scenario, schedule, "S1")["DESCRIPTION"])
    assert "Deltagare: 4" in text
    assert "Varav från Bruket: 4" in text


def test_mixed_cohort_counts_each_workplace_separately(scenario, schedule):
    # C-VARD-1 (K-VARD mixes workplaces) gains two mill workers from a new plan
    scenario["action_plans"].append(
        {"id": "HP-BRUK-2", "workplace": "W-BRUK", "track": "K-VARD",
         "participants": [{"id": "b-201", "team": "skiftlag-1"}, {"id": "b-202", "team": "skiftlag-1"}],
         "earliest": "2026-03-02", "deadline": "2026-04-30", "target": "2026-04-30"}
    )
    cohort = next(c for c in schedule["cohorts"] if c["id"] == "C-VARD-1")
    cohort["workplaces"].append("W-BRUK")
    cohort["participants"] += ["b-201", "b-202"]
    bruk = str(_event_of(scenario, schedule, "S4")["DESCRIPTION"])
    vard = str(_event_of(scenario, schedule, "S4", entity_id="W-VARD")["DESCRIPTION"])
    assert "Deltagare: 5" in bruk and "Varav från Bruket: 2" in bruk
    assert "Deltagare: 5" in vard and "Varav från Vårdboendet Linden: 3" in vard


def test_no_participant_ids_in_any_calendar(scenario, schedule, tmp_path):
    participant_ids = [p for c in schedule["cohorts"] for p in c["participants"]]
    for path in write_ics_dir(scenario, schedule, tmp_path):
        text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
        for pid in participant_ids:
            assert pid not in text, (path.name, pid)


# --------------------------------------------------------------------------
# files


def test_write_ics_dir_writes_one_file_per_workplace_trainer_and_room(scenario, schedule, tmp_path):
    paths = write_ics_dir(scenario, schedule, tmp_path / "ics")
    assert [p.name for p in paths] == [
        "workplace-W-BRUK.ics",
        "workplace-W-VARD.ics",
        "trainer-T-ERIK.ics",
        "trainer-T-SARA.ics",
        "room-R-BRUK.ics",
        "room-R-LC.ics",
    ]
    assert sorted(p.name for p in (tmp_path / "ics").iterdir()) == sorted(p.name for p in paths)
    for p in paths:
        assert p.read_bytes() == calendar_bytes(
            build_calendar(scenario, schedule, kind=p.name.split("-", 1)[0], entity_id=p.stem.split("-", 1)[1])
        )


def test_every_written_event_matches_a_schedule_session(scenario, schedule, tmp_path):
    sessions = {session_uid(scenario["id"], s): s for s in schedule["sessions"]}
    seen = set()
    for path in write_ics_dir(scenario, schedule, tmp_path):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert cal.get_missing_tzids() == set()
        for ev in _events(cal):
            session = sessions[str(ev["UID"])]
            assert ev["DTSTART"].dt == _instant(session["start"])
            assert ev["DTEND"].dt == _instant(session["end"])
            seen.add(str(ev["UID"]))
    assert seen == set(sessions)


def test_entity_without_sessions_gets_an_empty_valid_calendar(scenario, schedule, tmp_path):
    scenario["workplaces"].append({"id": "W-KOK", "name": "Köket", "site": "S-VARD", "teams": []})
    scenario["trainers"].append({"id": "T-NY", "name": "Ny", "qualifications": []})
    paths = {p.name: p for p in write_ics_dir(scenario, schedule, tmp_path)}
    for name in ("workplace-W-KOK.ics", "trainer-T-NY.ics"):
        cal = icalendar.Calendar.from_ical(paths[name].read_bytes())
        assert _events(cal) == []
        assert str(cal["METHOD"]) == "PUBLISH"
        assert cal.walk("VTIMEZONE")


def test_unsafe_ids_get_safe_and_distinct_file_names(scenario, schedule, tmp_path):
    scenario["rooms"] += [
        {"id": "../Sal 2", "name": "Sal 2", "site": "S-LC", "capacity": 5},
        {"id": "Sal/2", "name": "Sal 2b", "site": "S-LC", "capacity": 5},
        {"id": "Rum Å", "name": "Rum Å", "site": "S-LC", "capacity": 5},
    ]
    paths = write_ics_dir(scenario, schedule, tmp_path)
    names = [p.name for p in paths]
    assert len(set(names)) == len(names)
    for p in paths:
        assert p.parent == tmp_path
        assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in p.name), p.name
