"""What-if variants: changes in domain words and JSON merge patches (scheduler/variants.py)."""

from __future__ import annotations

import copy

import pytest

from scheduler.format import ScenarioInvalid, load_scenario
from scheduler.whatif.variants import lineage_of, make_variant, merge_patch
from tests.scenario_factory import counted, interpreter, named, plan, room, scenario_factory, trainer


@pytest.fixture
def parent() -> dict:
    return scenario_factory(trainers=[trainer("T1"), trainer("T2")], rooms=[room("R1"), room("R2")],
                            interpreters=[interpreter("I1")],
                            action_plans=[plan("HP1", participants=[counted("lag-1", 3), named("p-anna")])])


def errors_of(parent: dict, changes) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioInvalid) as exc:
        make_variant(parent, changes)
    return [(e.path, e.message) for e in exc.value.errors]


def by_id(items: list[dict], ident: str) -> dict:
    return next(x for x in items if x["id"] == ident)


# -- changes in domain words ------------------------------------------------------

def test_a_trainer_becomes_unavailable_for_a_period(parent):
    v = make_variant(parent, [{"type": "unavailable", "trainer": "T1", "start": "2027-04-05", "end": "2027-04-09"}])
    assert by_id(v["trainers"], "T1")["unavailable"] == [{"start": "2027-04-05", "end": "2027-04-09"}]


@pytest.mark.parametrize("kind,list_key,ident", [("interpreter", "interpreters", "I1"), ("room", "rooms", "R2")])
def test_an_interpreter_or_room_becomes_unavailable_for_a_period(parent, kind, list_key, ident):
    v = make_variant(parent, [{"type": "unavailable", kind: ident, "start": "2027-04-05T08:00",
                               "end": "2027-04-05T12:00"}])
    assert by_id(v[list_key], ident)["unavailable"][-1] == {"start": "2027-04-05T08:00", "end": "2027-04-05T12:00"}


def test_a_trainer_is_added_and_another_removed(parent):
    v = make_variant(parent, [{"type": "add_trainer", "trainer": trainer("T9")}, {"type": "remove_trainer",
                                                                                  "trainer": "T2"}])
    assert [t["id"] for t in v["trainers"]] == ["T1", "T9"]


def test_a_room_is_added_and_another_removed(parent):
    v = make_variant(parent, [{"type": "add_room", "room": room("R9", capacity=20)}, {"type": "remove_room",
                                                                                      "room": "R1"}])
    assert [r["id"] for r in v["rooms"]] == ["R2", "R9"]


def test_added_counted_participants_raise_the_teams_count(parent):
    v = make_variant(parent, [{"type": "add_participants", "action_plan": "HP1",
                               "participants": [{"team": "lag-1", "count": 5}]}])
    assert by_id(v["action_plans"], "HP1")["participants"] == [counted("lag-1", 8), named("p-anna")]


def test_too_many_added_participants_are_reported_at_the_change(parent):
    [(path, message)] = errors_of(parent, [{"type": "add_participants", "action_plan": "HP1",
                                            "participants": [{"team": "lag-1", "count": 20}]}])
    assert path == "$[0].participants" and "headcount of 10" in message


def test_removed_participants_leave_the_plan(parent):
    v = make_variant(parent, [{"type": "remove_participants", "action_plan": "HP1",
                               "participants": ["p-anna", {"team": "lag-1", "count": 1}]}])
    assert by_id(v["action_plans"], "HP1")["participants"] == [counted("lag-1", 2)]


def test_an_action_plans_dates_change(parent):
    v = make_variant(parent, [{"type": "plan_dates", "action_plan": "HP1", "deadline": "2027-04-14",
                               "target": "2027-04-12"}])
    hp1 = by_id(v["action_plans"], "HP1")
    assert (hp1["deadline"], hp1["target"]) == ("2027-04-14", "2027-04-12")


def test_weights_change_and_the_others_stay(parent):
    parent["weights"] = {"backfill_per_hour": 400}
    v = make_variant(parent, [{"type": "weights", "weights": {"overtime_per_hour": 300, "move_session": 50}}])
    assert v["weights"] == {"backfill_per_hour": 400, "overtime_per_hour": 300, "move_session": 50}


def test_the_summer_shutdown_moves(parent):
    parent["calendar"]["closed"] = [{"start": "2027-04-12", "end": "2027-04-13", "reason": "shutdown"}]
    v = make_variant(parent, [{"type": "reopen", "start": "2027-04-12", "end": "2027-04-13"},
                              {"type": "close", "start": "2027-04-15", "end": "2027-04-16", "reason": "shutdown"}])
    assert v["calendar"]["closed"] == [{"start": "2027-04-15", "end": "2027-04-16", "reason": "shutdown"}]


def _blocked(v: dict) -> list:
    return v["workplaces"][0]["teams"][0].get("blocked")


def test_a_team_is_blocked_for_a_week(parent):
    v = make_variant(parent, [{"type": "block_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-12",
                               "end": "2027-04-16", "reason": "inventering"}])
    assert _blocked(v) == [{"start": "2027-04-12", "end": "2027-04-16", "reason": "inventering"}]
    assert load_scenario(v)["workplaces"][0]["teams"][0]["blocked"][0]["reason"] == "inventering"
    assert "blocked" not in parent["workplaces"][0]["teams"][0]  # the parent is untouched


def test_unblock_team_removes_the_periods_within_its_dates_or_all_of_them(parent):
    parent["workplaces"][0]["teams"][0]["blocked"] = [
        {"start": "2027-04-05T08:00", "end": "2027-04-05T12:00", "reason": "APT"}, "2027-04-07",
        {"start": "2027-04-12", "end": "2027-04-16", "reason": "inventering"}]
    v = make_variant(parent, [{"type": "unblock_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-05",
                               "end": "2027-04-07"}])
    assert _blocked(v) == [{"start": "2027-04-12", "end": "2027-04-16", "reason": "inventering"}]
    v = make_variant(parent, [{"type": "unblock_team", "workplace": "W1", "team": "lag-1"}])
    assert _blocked(v) is None


def test_block_and_unblock_team_errors_name_the_changes_path(parent):
    assert errors_of(parent, [{"type": "block_team", "workplace": "W9", "team": "lag-1", "start": "2027-04-12",
                               "end": "2027-04-16"},
                              {"type": "block_team", "workplace": "W1", "team": "lag-9", "start": "2027-04-12",
                               "end": "2027-04-16"},
                              {"type": "block_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-12"},
                              {"type": "unblock_team", "workplace": "W1", "team": "lag-1"},
                              {"type": "unblock_team", "workplace": "W1", "team": "lag-1", "reason": "x"}]) == [
        ("$[0].workplace", "unknown workplace 'W9'"),
        ("$[1].team", "workplace W1 has no team 'lag-9'"),
        ("$[2].end", "is required for a block_team change"),
        ("$[3]", "team lag-1 of workplace W1 has no blocked period"),
        ("$[4].reason", "is not a field of a unblock_team change (fields: end, start, team, workplace)"),
        ("$[4]", "team lag-1 of workplace W1 has no blocked period")]


def test_a_blocked_period_ending_before_it_starts_is_reported_at_the_change(parent):
    [(path, message)] = errors_of(parent, [{"type": "block_team", "workplace": "W1", "team": "lag-1",
                                            "start": "2027-04-16", "end": "2027-04-12"}])
    assert path == "$[0].end" and "is before its start" in message and "blocked period" in message


def test_a_merge_patch_follows_rfc_7386(parent):
    v = make_variant(parent, [{"type": "merge_patch", "patch": {"calendar": {"start_times": ["09:00"],
                                                                             "daily_rest_hours": None}}}])
    assert v["calendar"]["start_times"] == ["09:00"] and "daily_rest_hours" not in v["calendar"]
    assert v["calendar"]["weekdays"] == parent["calendar"]["weekdays"]


def test_merge_patch_examples_of_the_rfc():
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch(["a", "b"], ["c", "d"]) == ["c", "d"]
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}


# -- lineage ---------------------------------------------------------------------------

def test_a_variant_is_a_valid_scenario_with_its_parents_id(parent):
    v = make_variant(parent, [{"type": "remove_room", "room": "R2"}])
    assert load_scenario(v)["id"] == parent["id"]


def test_a_variant_records_its_parent_and_changes(parent):
    changes = [{"type": "remove_room", "room": "R2"}]
    v = make_variant(parent, {"name": "no R2", "changes": changes})
    assert v["name"] == "no R2"
    assert lineage_of(v) == [{"id": parent["id"], "name": parent["name"], "sha256": v["x-variant"]["parent"]["sha256"],
                              "changes": changes}]


def test_a_variant_of_a_variant_keeps_the_whole_lineage(parent):
    first = make_variant(parent, [{"type": "remove_room", "room": "R2"}])
    second = make_variant(first, [{"type": "remove_trainer", "trainer": "T2"}])
    assert [step["changes"][0]["type"] for step in lineage_of(second)] == ["remove_trainer", "remove_room"]


def test_making_a_variant_leaves_the_parent_untouched(parent):
    before = copy.deepcopy(parent)
    make_variant(parent, [{"type": "unavailable", "trainer": "T1", "start": "2027-04-05", "end": "2027-04-09"}])
    assert parent == before


# -- errors ------------------------------------------------------------------------------

def test_an_unknown_trainer_is_named_with_the_changes_path(parent):
    assert errors_of(parent, {"changes": [{"type": "weights", "weights": {}}, {"type": "remove_room", "room": "R1"},
                                          {"type": "unavailable", "trainer": "T9", "start": "2027-04-05",
                                           "end": "2027-04-06"}]}) == [
        ("$.changes[2].trainer", "unknown trainer 'T9'")]


def test_every_error_in_the_changes_is_reported_at_once(parent):
    paths = [p for p, _ in errors_of(parent, [{"type": "teleport"}, {"type": "remove_room", "room": "R7"},
                                              {"type": "plan_dates", "action_plan": "HP1"}, "not a change"])]
    assert paths == ["$[0].type", "$[1].room", "$[2]", "$[3]"]


def test_an_unknown_field_of_a_change_is_an_error(parent):
    assert errors_of(parent, [{"type": "remove_room", "room": "R1", "colour": "red"}]) == [
        ("$[0].colour", "is not a field of a remove_room change (fields: room)")]


def test_an_invalid_value_a_change_brings_is_reported_at_the_change(parent):
    errors = errors_of(parent, [{"type": "add_trainer", "trainer": dict(trainer("T9"), qualifications="M1")},
                                {"type": "weights", "weights": {"overtime_per_hour": -1}}])
    assert [p for p, _ in errors] == ["$[0].trainer.qualifications", "$[1].weights.overtime_per_hour"]
    assert "must not be negative" in errors[1][1]


def test_removing_more_counted_participants_than_there_are_is_an_error(parent):
    [(path, message)] = errors_of(parent, [{"type": "remove_participants", "action_plan": "HP1",
                                            "participants": [{"team": "lag-1", "count": 5}]}])
    assert path == "$[0].participants[0]" and "counts 3" in message


def test_a_merge_patch_may_not_change_the_id(parent):
    assert errors_of(parent, [{"type": "merge_patch", "patch": {"id": "other"}}])[0][0] == "$[0].patch.id"


def test_a_changes_document_must_be_a_list_or_hold_one(parent):
    assert errors_of(parent, {"changez": []})[0][0] == "$"
