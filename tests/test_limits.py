"""The limits (scheduler/limits.py): checked on the raw document, in one cheap pass, before
anything else; each configurable from the environment."""

from __future__ import annotations

import copy
import time

import pytest

from scheduler.format import ScenarioInvalid, load_scenario
from scheduler.format.limits import Limits, limit_problems, needed_sessions


def test_the_examples_are_well_within_the_limits(tiny_example_scenario):
    assert limit_problems(tiny_example_scenario) == []
    assert needed_sessions(tiny_example_scenario) > 0


def test_limits_come_from_the_environment():
    limits = Limits.from_environment({"MODULPLAN_LIMIT_PARTICIPANTS": "10", "MODULPLAN_LIMIT_NUMBER": "1e3"})
    assert (limits.participants, limits.number, limits.horizon_days) == (10, 1000.0, Limits().horizon_days)


def test_a_document_beyond_the_limits_is_refused_at_once_with_every_place_named(tiny_example_scenario, monkeypatch):
    monkeypatch.setenv("MODULPLAN_LIMIT_PARTICIPANTS", "3")
    with pytest.raises(ScenarioInvalid) as err:
        load_scenario(tiny_example_scenario)
    assert err.value.beyond_limits
    (error,) = err.value.errors
    assert error.path.startswith("$.action_plans[") and "more than 3 participants" in error.message


def test_deep_nesting_long_texts_and_huge_numbers_are_found_without_recursion(tiny_example_scenario):
    doc = copy.deepcopy(tiny_example_scenario)
    deep = node = {}
    for _ in range(50_000):
        node["a"] = {}
        node = node["a"]
    doc["x-deep"] = deep
    doc["name"] = "x" * 5_000
    doc["weights"] = {"travel_per_minute": 1e20}
    started = time.monotonic()
    found = dict(limit_problems(doc))
    assert time.monotonic() - started < 1.0
    assert "nested deeper" in found["$.x-deep.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"]
    assert "5 000 characters" in found["$.name"]
    assert "limit of 1 000 000 000" in found["$.weights.travel_per_minute"]


def test_sessions_needed_count_one_cohort_per_min_group(tiny_example_scenario):
    doc = copy.deepcopy(tiny_example_scenario)
    track = doc["tracks"][0]
    per_cohort = sum(m["sessions"] for m in doc["modules"] if m["id"] in track["modules"])
    people = sum(p.get("count", 1) for plan in doc["action_plans"] if plan["track"] == track["id"]
                 for p in plan["participants"])
    before = needed_sessions(doc)
    extra = 10 * track["min_group"]
    doc["action_plans"].append({"id": "EXTRA", "workplace": doc["action_plans"][0]["workplace"],
                                "track": track["id"], "participants": [{"team": "x", "count": extra}]})
    assert needed_sessions(doc) - before == per_cohort * (-(-(people + 10 * track["min_group"]) // track["min_group"])
                                                          - -(-people // track["min_group"]))
