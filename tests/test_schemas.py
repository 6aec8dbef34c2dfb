"""The scenario and schedule formats (scheduler/format): loading, defaults, errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from marshmallow import ValidationError

from scheduler.format import (
    DEFAULT_WEIGHTS,
    FieldError,
    ScenarioInvalid,
    ScenarioSchema,
    ScheduleSchema,
    field_errors,
    field_problems,
    likely_meant,
    load_json_file,
    load_scenario,
    load_scenario_with_warnings,
    load_schedule,
    load_schedule_with_warnings,
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "scenarios" / "examples"  # the format's hand-checked examples


def _example(name: str) -> dict:
    if not (EXAMPLES / name).is_file():
        pytest.fail(f"example {name} not found in {EXAMPLES}")
    return load_json_file(EXAMPLES / name)


@pytest.fixture(scope="module")
def _tiny_scenario() -> dict:
    return _example("tiny-scenario.json")


@pytest.fixture(scope="module")
def _tiny_schedule() -> dict:
    return _example("tiny-schedule.json")


@pytest.fixture
def tiny(_tiny_scenario) -> dict:
    return copy.deepcopy(_tiny_scenario)


@pytest.fixture
def schedule(_tiny_schedule) -> dict:
    return copy.deepcopy(_tiny_schedule)


def minimal() -> dict:
    """The smallest valid scenario: one team, one module, one plan, no optional sections."""
    return {
        "format": "modulplan/scenario-1",
        "id": "mini",
        "horizon": {"start": "2026-03-02", "end": "2026-03-27"},
        "shift_types": [{"id": "D", "start": "07:00", "end": "16:00"}],
        "shift_patterns": [{"id": "dag", "anchor": "2026-03-02", "cycle": ["D", "D", "D", "D", "D", "-", "-"]}],
        "sites": [{"id": "S1"}],
        "workplaces": [{"id": "W1", "site": "S1", "teams": [
            {"id": "lag", "pattern": "dag", "headcount": 5, "min_staffing": 3}]}],
        "modules": [{"id": "M1", "sessions": 2, "duration_minutes": 60}],
        "tracks": [{"id": "K1", "modules": ["M1"], "min_group": 1, "max_group": 4}],
        "action_plans": [{"id": "HP1", "workplace": "W1", "track": "K1",
                          "participants": [{"team": "lag", "count": 2}]}],
    }


def errors_of(data: dict) -> list[FieldError]:
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(data)
    assert isinstance(info.value.errors, list)
    return info.value.errors


def paths_of(data: dict) -> list[str]:
    return [e.path for e in errors_of(data)]


def only_error(data: dict) -> FieldError:
    errors = errors_of(data)
    assert len(errors) == 1, errors
    return errors[0]


# --------------------------------------------------------------------------------------
# Loading and normalizing
# --------------------------------------------------------------------------------------


def test_tiny_scenario_loads(tiny):
    scenario = load_scenario(tiny)
    assert scenario["id"] == "tiny-1"
    assert [m["id"] for m in scenario["modules"]] == ["SAK1", "SAK2", "VARD1", "VARD2"]


def test_tiny_scenario_module_defaults_are_filled(tiny):
    modules = {m["id"]: m for m in load_scenario(tiny)["modules"]}
    assert modules["VARD2"]["qualification"] == "VARD2"
    assert modules["SAK2"]["qualification"] == "SAK2"
    assert modules["SAK1"]["qualification"] == "SAK1"
    assert modules["SAK2"]["min_gap_days"] == 1
    assert modules["SAK2"]["max_gap_days"] is None
    assert modules["VARD2"]["room_features"] == []
    assert modules["SAK1"]["min_gap_days"] == 2


def test_tiny_scenario_empty_weights_get_all_defaults(tiny):
    assert load_scenario(tiny)["weights"] == DEFAULT_WEIGHTS


def test_normalized_keys_keep_the_spec_order(tiny):
    module = load_scenario(tiny)["modules"][3]
    assert list(module) == ["id", "name", "sessions", "duration_minutes", "qualification",
                            "room_features", "location", "min_gap_days", "max_gap_days"]


def test_missing_optional_sections_get_spec_defaults():
    scenario = load_scenario(minimal())
    assert scenario["name"] == "mini"
    assert scenario["timezone"] == "Europe/Stockholm"
    assert scenario["calendar"] == {
        "holidays": "SE", "closed": [], "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "start_times": ["08:00", "13:00"], "daily_rest_hours": 11,
    }
    assert scenario["travel"] == {"default_minutes": 30, "pairs": []}
    assert scenario["rooms"] == [] and scenario["trainers"] == [] and scenario["interpreters"] == []
    assert scenario["weights"] == DEFAULT_WEIGHTS
    assert scenario["sites"] == [{"id": "S1", "name": "S1"}]
    assert scenario["workplaces"][0]["teams"][0]["offset_days"] == 0
    assert scenario["modules"][0]["location"] == "any"
    assert scenario["tracks"][0]["mix_workplaces"] is False


def test_partial_calendar_keeps_given_values_and_fills_the_rest():
    data = minimal()
    data["calendar"] = {"holidays": None, "closed": [{"start": "2026-03-09", "end": "2026-03-09"}]}
    calendar = load_scenario(data)["calendar"]
    assert calendar["holidays"] is None
    assert calendar["closed"] == [{"start": "2026-03-09", "end": "2026-03-09", "reason": ""}]
    assert calendar["start_times"] == ["08:00", "13:00"]


def test_action_plan_dates_default_to_horizon_and_target_to_deadline():
    data = minimal()
    data["action_plans"].append({"id": "HP2", "workplace": "W1", "track": "K1",
                                 "participants": [{"id": "p1", "team": "lag"}], "deadline": "2026-03-20"})
    plans = load_scenario(data)["action_plans"]
    dates = [(p["earliest"], p["deadline"], p["target"]) for p in plans]
    assert dates == [("2026-03-02", "2026-03-27", "2026-03-27"), ("2026-03-02", "2026-03-20", "2026-03-20")]
    assert plans[0]["allow_on_shift"] is True and plans[0]["allow_off_shift"] is False


def test_participants_are_kept_as_given_not_expanded(tiny):
    plans = load_scenario(tiny)["action_plans"]
    assert plans[0]["participants"] == [
        {"team": "skiftlag-1", "count": 2, "language": None},
        {"team": "skiftlag-2", "count": 2, "language": None},
    ]
    assert plans[1]["participants"][0] == {"id": "v-101", "team": "vard-dag", "language": "ar"}


def test_trainer_without_limits_gets_none_and_always_available():
    data = minimal()
    data["trainers"] = [{"id": "T1"}, {"id": "T2", "available": []}, {"id": "T3", "available": None}]
    t1, t2, t3 = load_scenario(data)["trainers"]
    assert t1 == {"id": "T1", "name": "T1", "qualifications": [], "languages": [], "home_site": None,
                  "max_minutes_per_week": None, "max_sessions_per_day": None, "available": None,
                  "unavailable": [], "cost_per_hour": 0}
    assert t2["available"] == []  # never
    assert t3["available"] is None  # explicit null reads as missing: always


def test_interpreter_defaults():
    data = minimal()
    data["interpreters"] = [{"id": "I1", "languages": ["ar"]}]
    assert load_scenario(data)["interpreters"] == [
        {"id": "I1", "name": "I1", "languages": ["ar"], "home_site": None, "available": None, "unavailable": []}
    ]


def test_load_scenario_does_not_modify_its_input(tiny):
    before = copy.deepcopy(tiny)
    load_scenario(tiny)
    assert tiny == before


def test_normalized_scenario_is_json_and_loads_to_itself(tiny):
    once = load_scenario(tiny)
    twice = load_scenario(json.loads(json.dumps(once)))
    assert twice == once


def test_scenario_schema_loads_the_same_as_load_scenario(tiny):
    assert ScenarioSchema().load(tiny) == load_scenario(tiny)


def test_integral_float_is_accepted_as_whole_number():
    data = minimal()
    data["workplaces"][0]["teams"][0]["headcount"] = 5.0
    assert load_scenario(data)["workplaces"][0]["teams"][0]["headcount"] == 5


def test_unavailable_accepts_bare_dates_and_keeps_the_strings():
    data = minimal()
    data["trainers"] = [{"id": "T1", "unavailable": [{"start": "2026-03-10", "end": "2026-03-10"},
                                                     {"start": "2026-03-11T13:00", "end": "2026-03-12"}]}]
    assert load_scenario(data)["trainers"][0]["unavailable"] == [
        {"start": "2026-03-10", "end": "2026-03-10"}, {"start": "2026-03-11T13:00", "end": "2026-03-12"}]


def test_unavailable_entry_may_be_a_bare_date_for_the_whole_day():
    data = minimal()
    data["interpreters"] = [{"id": "I1", "unavailable": ["2026-03-13"]}]
    assert load_scenario(data)["interpreters"][0]["unavailable"] == [{"start": "2026-03-13", "end": "2026-03-13"}]


@pytest.mark.parametrize("entry", ["2026-03-13T08:00", "fredag", 5])
def test_unavailable_entry_that_is_neither_period_nor_date_is_reported(entry):
    data = minimal()
    data["interpreters"] = [{"id": "I1", "unavailable": [entry]}]
    assert only_error(data) == FieldError(
        "$.interpreters[0].unavailable[0]",
        "unavailable period number 1 of interpreter I1 must be a period with start and end, "
        f"or a date written YYYY-MM-DD for the whole day (got {json.dumps(entry)})")


def test_a_teams_blocked_periods_are_read_with_their_reasons():
    data = minimal()
    data["workplaces"][0]["teams"][0]["blocked"] = [
        {"start": "2026-03-16", "end": "2026-03-20", "reason": "inventering"},
        {"start": "2026-03-24T08:00", "end": "2026-03-24T12:00"}, "2026-03-26"]
    assert load_scenario(data)["workplaces"][0]["teams"][0]["blocked"] == [
        {"start": "2026-03-16", "end": "2026-03-20", "reason": "inventering"},
        {"start": "2026-03-24T08:00", "end": "2026-03-24T12:00", "reason": ""},
        {"start": "2026-03-26", "end": "2026-03-26", "reason": ""}]


def test_a_team_without_blocked_periods_loads_without_the_field():
    assert "blocked" not in load_scenario(minimal())["workplaces"][0]["teams"][0]


def test_bad_blocked_periods_are_refused_naming_their_path():
    data = minimal()
    data["workplaces"][0]["teams"][0]["blocked"] = [
        {"start": "2026-03-20", "end": "2026-03-16", "reason": "inventering"}, "vecka 12",
        {"start": "2026-03-24T08:00+01:00", "end": "2026-03-24"}, {"end": "2026-03-24", "reason": 12}]
    assert errors_of(data) == [
        FieldError("$.workplaces[0].teams[0].blocked[0].end",
                   "end (2026-03-16) of blocked period number 1 of team lag is before its start (2026-03-20)"),
        FieldError("$.workplaces[0].teams[0].blocked[1]",
                   "blocked period number 2 of team lag must be a period with start and end, "
                   'or a date written YYYY-MM-DD for the whole day (got "vecka 12")'),
        FieldError("$.workplaces[0].teams[0].blocked[2].start",
                   "start of blocked period number 3 of team lag must be a local date-time without a UTC offset "
                   '(the scenario\'s timezone applies), written YYYY-MM-DDTHH:MM (got "2026-03-24T08:00+01:00")'),
        FieldError("$.workplaces[0].teams[0].blocked[3].reason",
                   "reason of blocked period number 4 of team lag must be text (got 12)"),
        FieldError("$.workplaces[0].teams[0].blocked[3].start",
                   "start of blocked period number 4 of team lag is required"),
    ]


def test_tiny_schedule_loads(schedule):
    loaded = load_schedule(schedule)
    assert loaded["status"] == "feasible"
    assert len(loaded["sessions"]) == 6
    assert loaded["sessions"][5]["room"] is None
    assert loaded["kpis"]["objective_breakdown"]["trainer_cost"] == 6950


def test_schedule_schema_loads_the_same_as_load_schedule(schedule):
    assert ScheduleSchema().load(schedule) == load_schedule(schedule)


# --------------------------------------------------------------------------------------
# All errors at once
# --------------------------------------------------------------------------------------


def test_six_different_errors_are_all_reported_with_exact_paths(tiny):
    tiny["timezone"] = "Europe/Stokholm"                                   # unknown time zone
    tiny["horizon"]["end"] = "2026-02-01"                                  # end before start
    tiny["workplaces"][0]["teams"][1]["headcount"] = "sex"                 # wrong type
    tiny["workplaces"][1]["teams"][0]["min_staffing"] = 9                  # min_staffing > headcount
    tiny["tracks"][1]["min_group"] = 6                                     # min_group > max_group
    tiny["action_plans"][1]["participants"][2]["team"] = "vard-natt"       # unknown team
    assert paths_of(tiny) == [
        "$.timezone",
        "$.horizon.end",
        "$.workplaces[0].teams[1].headcount",
        "$.workplaces[1].teams[0].min_staffing",
        "$.tracks[1].min_group",
        "$.action_plans[1].participants[2].team",
    ]


def test_exception_carries_a_list_of_every_error_not_only_the_first():
    data = minimal()
    data["id"] = 7
    data["modules"][0]["sessions"] = "två"
    data["tracks"][0]["max_group"] = None
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(data)
    assert isinstance(info.value.errors, list)
    assert all(isinstance(e, FieldError) for e in info.value.errors)
    assert [e.path for e in info.value.errors] == ["$.id", "$.modules[0].sessions", "$.tracks[0].max_group"]


def test_errors_are_sorted_by_where_they_appear_in_the_document():
    data = minimal()
    data["action_plans"][0]["track"] = "K9"   # last list in the document
    data["id"] = ""                           # second key
    data["sites"][0]["name"] = 3              # in between
    assert paths_of(data) == ["$.id", "$.sites[0].name", "$.action_plans[0].track"]


def test_missing_required_fields_are_listed_in_spec_order():
    assert paths_of({"format": "modulplan/scenario-1"}) == [
        "$.id", "$.horizon", "$.shift_types", "$.shift_patterns", "$.sites",
        "$.workplaces", "$.modules", "$.tracks", "$.action_plans",
    ]


def test_non_object_document_is_one_error_at_the_root():
    error = only_error([])  # type: ignore[arg-type]
    assert error == FieldError("$", "the scenario must be a JSON object (got a list)")


# --------------------------------------------------------------------------------------
# Error classes, one by one
# --------------------------------------------------------------------------------------


def test_wrong_type_names_field_owner_and_value():
    data = minimal()
    data["workplaces"][0]["teams"][0]["headcount"] = "fem"
    assert only_error(data) == FieldError(
        "$.workplaces[0].teams[0].headcount", 'headcount of team lag must be a whole number (got "fem")')


@pytest.mark.parametrize("value", [True, "5", 5.5, None])
def test_booleans_strings_fractions_and_null_are_not_whole_numbers(value):
    data = minimal()
    data["workplaces"][0]["teams"][0]["headcount"] = value
    assert only_error(data).path == "$.workplaces[0].teams[0].headcount"


def test_boolean_field_rejects_yes():
    data = minimal()
    data["tracks"][0]["mix_workplaces"] = "yes"
    assert only_error(data).message == 'mix_workplaces of track K1 must be true or false (got "yes")'


def test_list_field_rejects_an_object():
    data = minimal()
    data["modules"] = {"M1": {}}
    error = only_error(data)
    assert (error.path, error.message) == ("$.modules", "modules must be a list")


def test_missing_required_field_is_reported():
    data = minimal()
    del data["workplaces"][0]["teams"][0]["min_staffing"]
    assert only_error(data) == FieldError(
        "$.workplaces[0].teams[0].min_staffing", "min_staffing of team lag is required")


def test_wrong_format_string_is_reported():
    data = minimal()
    data["format"] = "modulplan/scenario-2"
    assert only_error(data) == FieldError(
        "$.format", 'format must be "modulplan/scenario-1" (got "modulplan/scenario-2")')


def test_schedule_given_as_scenario_says_so(schedule):
    errors = errors_of(schedule)
    assert errors[0].path == "$.format"
    assert "this document is a schedule" in errors[0].message


def test_unknown_field_is_a_warning_and_ignored():
    data = minimal()
    data["modules"][0]["colour"] = "blå"
    scenario, warnings = load_scenario_with_warnings(data)
    assert warnings == [FieldError(
        "$.modules[0].colour", 'module M1 has a field "colour" that modulplan does not use; it is ignored')]
    assert "colour" not in scenario["modules"][0]
    assert data["modules"][0]["colour"] == "blå"  # the caller's document is not touched
    assert load_scenario(data) == scenario


def test_unknown_top_level_field_is_a_warning():
    data = minimal()
    data["kommentar"] = "test"
    scenario, [warning] = load_scenario_with_warnings(data)
    assert warning.path == "$.kommentar"
    assert warning.message.startswith('the scenario has a field "kommentar" that modulplan does not use')
    assert "kommentar" not in scenario


def test_a_team_name_written_by_another_tool_is_a_warning_and_the_scenario_loads():
    data = minimal()
    data["workplaces"][0]["teams"][0]["name"] = "Dagslaget"
    scenario, warnings = load_scenario_with_warnings(data)
    assert warnings == [FieldError("$.workplaces[0].teams[0].name",
                                   'team lag has a field "name" that modulplan does not use; it is ignored')]
    assert scenario["workplaces"][0]["teams"][0] == {"id": "lag", "pattern": "dag", "offset_days": 0,
                                                      "headcount": 5, "min_staffing": 3}


def test_a_misspelt_field_is_an_error_with_did_you_mean():
    data = minimal()
    team = data["workplaces"][0]["teams"][0]
    team["min_stafing"] = team.pop("min_staffing")
    # The misspelling names the field it meant: no second error that min_staffing is missing.
    assert only_error(data) == FieldError(
        "$.workplaces[0].teams[0].min_stafing",
        "team lag has an unknown field \"min_stafing\"; did you mean 'min_staffing'?")


@pytest.mark.parametrize("key, meant", [("headcont", "headcount"), ("Headcount", "headcount"),
                                        ("min-staffing", "min_staffing"), ("offset_day", "offset_days"),
                                        ("patern", "pattern")])
def test_likely_misspellings_of_a_team_field_are_errors(key, meant):
    data = minimal()
    data["workplaces"][0]["teams"][0][key] = 1
    error = only_error(data)
    assert error.path == f"$.workplaces[0].teams[0].{key}" or error.path.endswith(f'["{key}"]')
    assert f"did you mean '{meant}'?" in error.message


@pytest.mark.parametrize("key", ["name", "description", "notes", "site", "capacity", "state", "färg"])
def test_fields_unlike_any_team_field_are_warnings(key):
    data = minimal()
    data["workplaces"][0]["teams"][0][key] = "x"
    _, [warning] = load_scenario_with_warnings(data)
    assert "does not use; it is ignored" in warning.message


def test_likely_meant_compares_within_the_given_fields_only():
    assert likely_meant("min_stafing", ["id", "min_staffing"]) == "min_staffing"
    assert likely_meant("min_stafing", ["id", "headcount"]) is None
    assert likely_meant("workplaces", ["id", "mix_workplaces"]) is None  # a track's workplaces list is not a typo
    assert likely_meant("cuont", ["id", "count"]) == "count"  # two letters swapped
    assert likely_meant("size", ["id", "site"]) is None  # a word of its own, one letter apart


def test_errors_and_warnings_are_reported_together():
    data = minimal()
    data["workplaces"][0]["teams"][0]["name"] = "Dagslaget"
    data["modules"][0]["sessions"] = "två"
    data["tracks"][0]["min_grop"] = 1
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(data)
    assert [e.path for e in info.value.errors] == ["$.modules[0].sessions", "$.tracks[0].min_grop"]
    assert [w.path for w in info.value.warnings] == ["$.workplaces[0].teams[0].name"]
    assert info.value.warning_dicts()[0]["path"] == "$.workplaces[0].teams[0].name"


def test_a_misspelt_field_inside_a_list_entry_and_a_misspelt_weight_are_errors():
    data = minimal()
    data["action_plans"][0]["participants"][0]["cuont"] = 2
    data["weights"] = {"late_per_dya": 5}
    assert [(e.path, e.message.split("; ")[-1]) for e in errors_of(data)] == [
        ("$.action_plans[0].participants[0].cuont", "did you mean 'count'?"),
        ("$.weights.late_per_dya", "did you mean 'late_per_day'?")]


def test_extension_fields_are_allowed_and_kept():
    data = minimal()
    data["x-source"] = {"file": "plan.xlsx"}
    data["modules"][0]["x_row"] = 12
    scenario = load_scenario(data)
    assert scenario["x-source"] == {"file": "plan.xlsx"}
    assert scenario["modules"][0]["x_row"] == 12


def test_unknown_weight_name_is_an_unknown_field():
    data = minimal()
    data["weights"] = {"late_per_day": 50, "trainer_cost": 1}
    error = only_error(data)
    assert error.path == "$.weights.trainer_cost"
    assert "unknown field" in error.message
    assert "cost_per_hour" in error.message  # trainer cost is not a weight: say where it is set


def test_an_unrelated_unknown_weight_is_a_warning():
    data = minimal()
    data["weights"] = {"late_per_day": 50, "co2_per_km": 3}
    scenario, [warning] = load_scenario_with_warnings(data)
    assert warning == FieldError("$.weights.co2_per_km",
                                 'weights has a field "co2_per_km" that modulplan does not use; it is ignored')
    assert scenario["weights"] == {**DEFAULT_WEIGHTS, "late_per_day": 50}


def test_given_weight_overrides_its_default_only():
    data = minimal()
    data["weights"] = {"late_per_day": 50}
    assert load_scenario(data)["weights"] == {**DEFAULT_WEIGHTS, "late_per_day": 50}


@pytest.mark.parametrize("value", ["2026-02-30", "2026-3-2", "02/03/2026", 20260302])
def test_date_that_does_not_parse_is_reported(value):
    data = minimal()
    data["horizon"]["start"] = value
    error = only_error(data)
    assert error.path == "$.horizon.start"
    assert "must be a date written YYYY-MM-DD" in error.message


@pytest.mark.parametrize("value", ["7:00", "07:60", "25:00", "07:00:00", 700])
def test_time_that_does_not_parse_is_reported(value):
    data = minimal()
    data["shift_types"][0]["start"] = value
    error = only_error(data)
    assert error.path == "$.shift_types[0].start"
    assert "must be a time written HH:MM" in error.message


def test_time_24_00_is_rejected_with_a_hint():
    data = minimal()
    data["shift_types"][0]["end"] = "24:00"
    error = only_error(data)
    assert error.path == "$.shift_types[0].end"
    assert 'write "00:00" for midnight' in error.message


def test_start_time_not_hh_mm_is_reported():
    data = minimal()
    data["calendar"] = {"start_times": ["08:00", "13.00"]}
    assert only_error(data).path == "$.calendar.start_times[1]"


@pytest.mark.parametrize("value", ["2026-03-10 08:00", "2026-03-10T08:00+01:00", "2026-03-10T08", "2026-03-10T24:00"])
def test_unavailable_date_time_that_does_not_parse_is_reported(value):
    data = minimal()
    data["rooms"] = [{"id": "R1", "site": "S1", "capacity": 4, "unavailable": [{"start": value, "end": "2026-03-11"}]}]
    assert only_error(data).path == "$.rooms[0].unavailable[0].start"


def test_unknown_time_zone_is_reported():
    data = minimal()
    data["timezone"] = "Stockholm"
    assert only_error(data) == FieldError(
        "$.timezone", 'timezone must be an IANA time zone name such as "Europe/Stockholm" (got "Stockholm")')


def test_unknown_weekday_is_reported():
    data = minimal()
    data["calendar"] = {"weekdays": ["mon", "funday"]}
    error = only_error(data)
    assert error.path == "$.calendar.weekdays[1]"
    assert "must be a weekday" in error.message


def test_swedish_and_capitalized_weekdays_are_normalized_to_english():
    data = minimal()
    data["calendar"] = {"weekdays": ["Mån", "tis", "ons", "tor", "fre", "lör", "SÖN"]}
    data["trainers"] = [{"id": "T1", "available": [{"weekday": "fre", "start": "08:00", "end": "12:00"}]}]
    scenario = load_scenario(data)
    assert scenario["calendar"]["weekdays"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert scenario["trainers"][0]["available"][0]["weekday"] == "fri"


def test_weekday_listed_twice_is_reported():
    data = minimal()
    data["calendar"] = {"weekdays": ["mon", "tue", "mån"]}
    assert only_error(data) == FieldError(
        "$.calendar.weekdays[2]", "entry 3 of weekdays of calendar repeats mon, which is listed earlier")


def test_unknown_holiday_country_is_reported():
    data = minimal()
    data["calendar"] = {"holidays": "XX"}
    error = only_error(data)
    assert error.path == "$.calendar.holidays"
    assert "country code known to the holidays package" in error.message


def test_holiday_country_code_is_upper_cased():
    data = minimal()
    data["calendar"] = {"holidays": "no"}
    assert load_scenario(data)["calendar"]["holidays"] == "NO"


@pytest.mark.parametrize(
    "key", ["shift_types", "shift_patterns", "sites", "workplaces", "modules", "tracks", "action_plans"])
def test_duplicate_id_within_an_entity_list_is_reported(key):
    data = minimal()
    data[key].append(copy.deepcopy(data[key][0]))
    errors = errors_of(data)
    assert f"$.{key}[1].id" in [e.path for e in errors]
    assert any("is used twice" in e.message for e in errors)


@pytest.mark.parametrize("key", ["rooms", "trainers", "interpreters"])
def test_duplicate_resource_id_is_reported(key):
    data = minimal()
    item = {"id": "X1", "site": "S1", "capacity": 3} if key == "rooms" else {"id": "X1"}
    data[key] = [item, copy.deepcopy(item)]
    assert only_error(data).path == f"$.{key}[1].id"


def test_duplicate_team_within_a_workplace_is_reported():
    data = minimal()
    data["workplaces"][0]["teams"].append(copy.deepcopy(data["workplaces"][0]["teams"][0]))
    assert only_error(data).path == "$.workplaces[0].teams[1].id"


def test_same_team_id_in_two_workplaces_is_allowed():
    data = minimal()
    data["workplaces"].append({"id": "W2", "site": "S1", "teams": [
        {"id": "lag", "pattern": "dag", "headcount": 2, "min_staffing": 1}]})
    load_scenario(data)


def _add_resources(data: dict) -> dict:
    data["rooms"] = [{"id": "R1", "site": "S1", "capacity": 4}]
    data["trainers"] = [{"id": "T1", "home_site": "S1"}]
    data["interpreters"] = [{"id": "I1", "home_site": "S1"}]
    data["sites"].append({"id": "S2"})
    data["travel"] = {"pairs": [{"from": "S1", "to": "S2", "minutes": 10}]}
    return data


@pytest.mark.parametrize(("where", "path"), [
    (lambda d: d["workplaces"][0]["teams"][0].update(pattern="natt"), "$.workplaces[0].teams[0].pattern"),
    (lambda d: d["shift_patterns"][0]["cycle"].__setitem__(2, "N"), "$.shift_patterns[0].cycle[2]"),
    (lambda d: d["workplaces"][0].update(site="S9"), "$.workplaces[0].site"),
    (lambda d: d["rooms"][0].update(site="S9"), "$.rooms[0].site"),
    (lambda d: d["trainers"][0].update(home_site="S9"), "$.trainers[0].home_site"),
    (lambda d: d["interpreters"][0].update(home_site="S9"), "$.interpreters[0].home_site"),
    (lambda d: d["travel"]["pairs"][0].update({"from": "S9"}), "$.travel.pairs[0].from"),
    (lambda d: d["travel"]["pairs"][0].update(to="S9"), "$.travel.pairs[0].to"),
    (lambda d: d["tracks"][0]["modules"].append("M9"), "$.tracks[0].modules[1]"),
    (lambda d: d["action_plans"][0].update(workplace="W9"), "$.action_plans[0].workplace"),
    (lambda d: d["action_plans"][0].update(track="K9"), "$.action_plans[0].track"),
    (lambda d: d["action_plans"][0]["participants"][0].update(team="natt"), "$.action_plans[0].participants[0].team"),
])
def test_unknown_reference_is_reported(where, path):
    data = _add_resources(minimal())
    load_scenario(data)  # valid before the change
    where(data)
    error = only_error(data)
    assert error.path == path
    assert "which is not in" in error.message or "has a team" in error.message


def test_unknown_team_message_names_plan_and_workplace():
    data = minimal()
    data["action_plans"][0]["participants"][0]["team"] = "natt"
    assert only_error(data).message == (
        "action plan HP1 has participants from team natt, "
        "but neither workplace W1 nor any other workplace has a team natt")


def test_participant_team_is_found_in_another_workplace():
    data = minimal()
    data["workplaces"].append({"id": "W2", "site": "S1", "teams": [
        {"id": "natt", "pattern": "dag", "headcount": 2, "min_staffing": 0}]})
    data["action_plans"][0]["participants"].append({"id": "p1", "team": "natt"})
    load_scenario(data)


def test_cycle_entry_names_the_pattern_and_the_dash():
    data = minimal()
    data["shift_patterns"][0]["cycle"][0] = "X"
    assert only_error(data).message == (
        'shift pattern dag uses shift type X on cycle day 0, which is not in shift_types (use "-" for a day off)')


def test_shift_type_id_dash_is_reserved():
    data = minimal()
    data["shift_types"].append({"id": "-", "start": "08:00", "end": "09:00"})
    assert only_error(data).path == "$.shift_types[1].id"


def test_min_staffing_larger_than_headcount_is_reported():
    data = minimal()
    data["workplaces"][0]["teams"][0].update(id="vard-dag", headcount=8, min_staffing=9)
    data["action_plans"][0]["participants"][0]["team"] = "vard-dag"
    assert only_error(data) == FieldError(
        "$.workplaces[0].teams[0].min_staffing", "min_staffing (9) is larger than headcount (8) of team vard-dag")


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for seg in path[:-1]:
        node = node[seg]
    node[path[-1]] = value


_TEAM = ("workplaces", 0, "teams", 0)


@pytest.mark.parametrize(("path", "value", "phrase"), [
    ((*_TEAM, "min_staffing"), -1, "must not be negative"),
    ((*_TEAM, "headcount"), 0, "must be at least 1"),
    (("tracks", 0, "min_group"), 0, "must be at least 1"),
    (("modules", 0, "sessions"), 0, "must be at least 1"),
    (("modules", 0, "duration_minutes"), 0, "must be at least 1"),
    (("modules", 0, "min_gap_days"), -2, "must not be negative"),
    (("action_plans", 0, "participants", 0, "count"), 0, "must be at least 1"),
    (("travel", "default_minutes"), -5, "must not be negative"),
    (("calendar", "daily_rest_hours"), 25, "must be between 0 and 24"),
    (("weights", "late_per_day"), -1, "must not be negative"),
    (("trainers", 0, "cost_per_hour"), -600, "must not be negative"),
    (("rooms", 0, "capacity"), 0, "must be at least 1"),
])
def test_impossible_number_is_reported(path, value, phrase):
    data = minimal()
    data.update(travel={}, calendar={}, weights={}, trainers=[{"id": "T1"}],
                rooms=[{"id": "R1", "site": "S1", "capacity": 4}])
    if path == (*_TEAM, "headcount"):
        _set(data, (*_TEAM, "min_staffing"), 0)
    _set(data, path, value)
    error = only_error(data)
    assert error.path == "$" + "".join(f"[{seg}]" if isinstance(seg, int) else f".{seg}" for seg in path)
    assert phrase in error.message


def test_min_group_larger_than_max_group_is_reported():
    data = minimal()
    data["tracks"][0].update(min_group=5, max_group=4)
    assert only_error(data) == FieldError(
        "$.tracks[0].min_group", "min_group (5) is larger than max_group (4) of track K1")


def test_min_gap_days_larger_than_max_gap_days_is_reported():
    data = minimal()
    data["modules"][0].update(min_gap_days=3, max_gap_days=2)
    assert only_error(data) == FieldError(
        "$.modules[0].min_gap_days", "min_gap_days (3) is larger than max_gap_days (2) of module M1")


def test_horizon_end_before_start_is_reported():
    data = minimal()
    data["horizon"]["end"] = "2026-03-01"
    assert only_error(data) == FieldError(
        "$.horizon.end", "end (2026-03-01) of horizon is before its start (2026-03-02)")


def test_closed_period_end_before_start_is_reported():
    data = minimal()
    data["calendar"] = {"closed": [{"start": "2026-03-10", "end": "2026-03-09", "reason": "sportlov"}]}
    assert only_error(data) == FieldError(
        "$.calendar.closed[0].end",
        "end (2026-03-09) of closed period number 1 of calendar is before its start (2026-03-10)")


def test_unavailable_period_end_before_start_is_reported():
    data = minimal()
    data["trainers"] = [{"id": "T1", "unavailable": [{"start": "2026-03-10T13:00", "end": "2026-03-10T08:00"}]}]
    assert only_error(data) == FieldError(
        "$.trainers[0].unavailable[0].end",
        "end (2026-03-10T08:00) of unavailable period number 1 of trainer T1 is before its start (2026-03-10T13:00)")


def test_bare_end_date_covers_its_whole_day():
    data = minimal()
    data["trainers"] = [{"id": "T1", "unavailable": [{"start": "2026-03-10T13:00", "end": "2026-03-10"}]}]
    load_scenario(data)


def test_plan_earliest_after_deadline_is_reported():
    data = minimal()
    data["action_plans"][0].update(earliest="2026-03-20", deadline="2026-03-10")
    assert only_error(data) == FieldError(
        "$.action_plans[0].deadline",
        "deadline (2026-03-10) of action plan HP1 is before its earliest date (2026-03-20)")


def test_plan_earliest_after_defaulted_deadline_is_reported():
    data = minimal()
    data["action_plans"][0]["earliest"] = "2026-04-01"
    error = only_error(data)
    assert error.path == "$.action_plans[0].earliest"
    assert "the horizon end" in error.message


def test_plan_target_before_earliest_is_reported():
    data = minimal()
    data["action_plans"][0].update(earliest="2026-03-10", target="2026-03-05")
    assert only_error(data).path == "$.action_plans[0].target"


def test_empty_cycle_is_reported():
    data = minimal()
    data["shift_patterns"][0]["cycle"] = []
    assert only_error(data) == FieldError(
        "$.shift_patterns[0].cycle", 'cycle of shift pattern dag must list at least one shift type id or "-"')


def test_unknown_location_is_reported():
    data = minimal()
    data["modules"][0]["location"] = "kontoret"
    assert only_error(data) == FieldError(
        "$.modules[0].location", 'location of module M1 must be one of workplace, any, remote (got "kontoret")')


def test_named_participant_twice_in_one_plan_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"id": "p1", "team": "lag"}, {"id": "p1", "team": "lag"}]
    assert only_error(data) == FieldError(
        "$.action_plans[0].participants[1].id", "participant p1 is listed twice in action plan HP1")


def test_named_participant_in_two_plans_is_allowed():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"id": "p1", "team": "lag"}]
    data["action_plans"].append({"id": "HP2", "workplace": "W1", "track": "K1",
                                 "participants": [{"id": "p1", "team": "lag"}]})
    load_scenario(data)


def test_one_person_in_two_teams_is_reported():
    data = minimal()
    data["workplaces"][0]["teams"].append({"id": "lag2", "pattern": "dag", "headcount": 3, "min_staffing": 1})
    data["action_plans"][0]["participants"] = [{"id": "p1", "team": "lag"}]
    data["action_plans"].append({"id": "HP2", "workplace": "W1", "track": "K1",
                                 "participants": [{"id": "p1", "team": "lag2"}]})
    assert only_error(data).path == "$.action_plans[1].participants[0].team"


def test_more_participants_of_a_team_than_its_headcount_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"team": "lag", "count": 4}, {"id": "p1", "team": "lag"},
                                               {"id": "p2", "team": "lag"}]
    assert only_error(data) == FieldError(
        "$.action_plans[0].participants",
        "action plan HP1 has 6 participants from team lag, more than the team's headcount of 5")


def test_participant_needs_an_id_or_a_count():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"team": "lag"}]
    assert only_error(data) == FieldError(
        "$.action_plans[0].participants[0]",
        "participant number 1 of action plan HP1 needs either an id (a named participant) "
        "or a count (counted participants)")


def test_participant_with_both_id_and_count_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"id": "p1", "team": "lag", "count": 2}]
    assert only_error(data).path == "$.action_plans[0].participants[0]"


def test_team_counted_in_two_entries_of_one_plan_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"] = [{"team": "lag", "count": 1}, {"team": "lag", "count": 1}]
    assert only_error(data).path == "$.action_plans[0].participants[1].team"


def test_counted_id_clashing_with_a_named_id_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"].append({"id": "HP1-lag-1", "team": "lag"})
    assert "HP1-lag-1" in only_error(data).message


def test_empty_participant_list_is_reported():
    data = minimal()
    data["action_plans"][0]["participants"] = []
    assert only_error(data).path == "$.action_plans[0].participants"


def test_travel_pair_given_twice_is_reported():
    data = _add_resources(minimal())
    data["travel"]["pairs"].append({"from": "S2", "to": "S1", "minutes": 12})
    assert only_error(data).path == "$.travel.pairs[1]"


def test_travel_pair_from_a_site_to_itself_is_reported():
    data = _add_resources(minimal())
    data["travel"]["pairs"][0]["to"] = "S1"
    assert only_error(data).path == "$.travel.pairs[0].to"


def test_module_listed_twice_in_a_track_is_reported():
    data = minimal()
    data["tracks"][0]["modules"] = ["M1", "M1"]
    assert only_error(data) == FieldError("$.tracks[0].modules[1]", "track K1 lists module M1 twice")


def test_id_with_surrounding_space_is_reported():
    data = minimal()
    data["modules"][0]["id"] = "M1 "
    data["tracks"][0]["modules"] = ["M1 "]
    errors = errors_of(data)
    assert [e.path for e in errors] == ["$.modules[0].id", "$.tracks[0].modules[0]"]
    assert all("space" in e.message for e in errors)


def test_messages_are_sentences_without_marshmallow_jargon(tiny):
    tiny["id"] = None
    tiny["horizon"] = {"start": 5}
    tiny["rooms"][0]["capacity"] = "tolv"
    tiny["rooms"][1]["features"] = "projektor"
    tiny["trainers"][0]["languages"] = [1]
    tiny["modules"][0]["sessions"] = 2.5
    tiny["tracks"][0]["max_grupp"] = 1  # a misspelt field (an unrelated one is only a warning)
    tiny["tracks"][0]["junk"] = 1
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(tiny)
    errors = info.value.errors
    assert len(errors) == 8
    assert [w.path for w in info.value.warnings] == ["$.tracks[0].junk"]
    for error in errors + info.value.warnings:
        for jargon in ("Not a valid", "Missing data", "Field may not", "Unknown field", "_schema", "Invalid"):
            assert jargon not in error.message, error


def test_field_errors_converts_a_schema_validation_error():
    data = minimal()
    data["modules"][0]["sessions"] = "två"
    with pytest.raises(ValidationError) as info:
        ScenarioSchema().load(data)
    assert field_errors(info.value.messages, data) == [
        FieldError("$.modules[0].sessions", 'sessions of module M1 must be a whole number (got "två")')]


def test_field_problems_sorts_errors_from_warnings():
    data = minimal()
    data["modules"][0]["sessions"] = "två"
    data["modules"][0]["colour"] = "blå"
    with pytest.raises(ValidationError) as info:
        ScenarioSchema().load(data)
    errors, warnings = field_problems(info.value.messages, data)
    assert [e.path for e in errors] == ["$.modules[0].sessions"]
    assert [w.path for w in warnings] == ["$.modules[0].colour"]
    assert field_errors(info.value.messages, data) == errors


# --------------------------------------------------------------------------------------
# JSON files
# --------------------------------------------------------------------------------------


def test_json_syntax_error_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "modulplan/scenario-1",\n  "id": "x",\n}\n', encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as info:
        load_json_file(path)
    [error] = info.value.errors
    assert error.path == "$"
    assert "line 4, column 1" in error.message
    assert "broken.json" in error.message


def test_json_file_with_a_list_at_the_top_is_reported(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as info:
        load_json_file(path)
    assert info.value.errors[0].path == "$"


def test_json_file_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + json.dumps(minimal()).encode())
    assert load_scenario(load_json_file(path))["id"] == "mini"


def test_json_nan_is_reported(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"a": NaN}', encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as info:
        load_json_file(path)
    assert "NaN" in info.value.errors[0].message


# --------------------------------------------------------------------------------------
# Schedule
# --------------------------------------------------------------------------------------


def schedule_errors(data: dict) -> list[FieldError]:
    with pytest.raises(ScenarioInvalid) as info:
        load_schedule(data)
    return info.value.errors


def test_schedule_with_unknown_status_is_reported(schedule):
    schedule["status"] = "done"
    [error] = schedule_errors(schedule)
    assert error == FieldError(
        "$.status", 'status must be one of optimal, feasible, infeasible, unknown (got "done")')


def test_schedule_time_without_utc_offset_is_reported(schedule):
    schedule["sessions"][0]["start"] = "2026-03-12T08:00"
    [error] = schedule_errors(schedule)
    assert error.path == "$.sessions[0].start"
    assert "UTC offset" in error.message


def test_schedule_session_ending_before_it_starts_is_reported(schedule):
    schedule["sessions"][1]["end"] = "2026-03-23T07:00:00+01:00"
    assert [e.path for e in schedule_errors(schedule)] == ["$.sessions[1].end"]


def test_schedule_session_of_unknown_cohort_is_reported(schedule):
    schedule["sessions"][2]["cohort"] = "C-X"
    schedule["unscheduled"].append({"cohort": "C-Y", "module": "SAK2", "index": 1, "reason": "no room"})
    assert [e.path for e in schedule_errors(schedule)] == ["$.sessions[2].cohort", "$.unscheduled[0].cohort"]


def test_schedule_duplicate_session_id_is_reported(schedule):
    schedule["sessions"][1]["id"] = "S1"
    assert [e.path for e in schedule_errors(schedule)] == ["$.sessions[1].id"]


def test_schedule_missing_breakdown_term_is_reported(schedule):
    del schedule["kpis"]["objective_breakdown"]["trainer_cost"]
    assert [e.path for e in schedule_errors(schedule)] == ["$.kpis.objective_breakdown.trainer_cost"]


def test_schedule_infeasible_with_null_objective_loads(schedule):
    schedule.update(status="infeasible", objective=None, bound=None, cohorts=[], sessions=[])
    assert load_schedule(schedule)["objective"] is None


def test_schedule_optional_extras_and_extra_kpis_are_allowed(schedule):
    schedule.update(moved=[{"session": "S1"}], added=[], cancelled=["S2"], progress={"gap": 0.1})
    schedule["kpis"]["participants_total"] = 7
    schedule["x-solver"] = "cp-sat"
    loaded = load_schedule(schedule)
    assert loaded["cancelled"] == ["S2"]
    assert loaded["kpis"]["participants_total"] == 7
    assert loaded["x-solver"] == "cp-sat"


def test_schedule_unknown_top_level_field_is_a_warning(schedule):
    schedule["score"] = 1
    loaded, [warning] = load_schedule_with_warnings(schedule)
    assert warning.message.startswith('the schedule has a field "score" that modulplan does not use')
    assert "score" not in loaded


def test_schedule_misspelt_field_is_reported(schedule):
    schedule["sessions"][0]["trainr"] = "T1"
    [error] = schedule_errors(schedule)
    assert error.path == "$.sessions[0].trainr"
    assert "did you mean 'trainer'?" in error.message


def test_schedule_session_interpreters_default_to_empty(schedule):
    del schedule["sessions"][0]["interpreters"]
    assert load_schedule(schedule)["sessions"][0]["interpreters"] == []
