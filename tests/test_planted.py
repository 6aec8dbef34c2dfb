"""The planted-programme generator (benchmarks/planted.py): every witness is a complete schedule
the project's validator accepts with zero violations, its objective is the validator's, and the
same (size, seed, family) gives the same JSON."""

from __future__ import annotations

import json

import pytest

from benchmarks.planted import FAMILIES, planted
from scheduler.validate import format_report, validate


def _complete(scenario: dict, witness: dict) -> None:
    assert witness["unscheduled"] == [] and witness["unassigned_participants"] == []
    assert witness["sessions"], "a planted programme has sessions"
    rep = validate(scenario, witness)
    assert rep.ok, format_report(rep)
    assert rep.kpis["sessions_unscheduled"] == 0 and rep.kpis["participants_unassigned"] == 0
    assert abs(witness["objective"] - rep.kpis["objective"]) < 1.0
    for term, v in rep.kpis["objective_breakdown"].items():
        assert abs(witness["kpis"]["objective_breakdown"][term] - v) < 1.0, term


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_small_witness_is_valid(family: str, seed: int) -> None:
    scenario, witness = planted("S", seed, family)
    _complete(scenario, witness)
    n = len(witness["sessions"])
    assert 5 <= n <= 60, n


@pytest.mark.parametrize("family", ["mixed", "network"])
def test_medium_witness_is_valid(family: str) -> None:
    scenario, witness = planted("M", 3, family)
    _complete(scenario, witness)
    assert len(witness["sessions"]) >= 150
    assert len(scenario["workplaces"]) >= 8


def test_deterministic() -> None:
    for family in FAMILIES:
        a = planted("S", 7, family)
        b = planted("S", 7, family)
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert json.dumps(planted("S", 7, "care")) != json.dumps(planted("S", 8, "care"))


def test_traits_present_in_medium() -> None:
    """The traits the families are meant to carry show up (over the four families at M)."""
    seen = set()
    for family in FAMILIES:
        sc, w = planted("M", 1, family)
        tracks = {t["id"]: t for t in sc["tracks"]}
        mods = {m["id"]: m for m in sc["modules"]}
        wps_per_cohort = max(len(c["workplaces"]) for c in w["cohorts"])
        if wps_per_cohort >= 5:
            seen.add("mixed-workplace cohorts")
        if any(not p["allow_off_shift"] for p in sc["action_plans"]):
            seen.add("on-shift-only plans")
        if any(not p["allow_on_shift"] for p in sc["action_plans"]):
            seen.add("off-shift-only plans")
        if any(t["headcount"] - t["min_staffing"] <= 2 for wp in sc["workplaces"] for t in wp["teams"]):
            seen.add("slack 1-2")
        if any("provstation" in m["room_features"] and m["sessions"] == 1 for m in mods.values()):
            seen.add("validation")
        if sc["interpreters"]:
            seen.add("interpreters")
        if any(m["location"] == "remote" for m in mods.values()):
            seen.add("remote")
        if any(m.get("max_gap_days") for m in mods.values()) and sc["calendar"]["closed"]:
            seen.add("gaps and closures")
        if any(p["pattern"] in ("5skift", "3skift") for p in (t for wp in sc["workplaces"] for t in wp["teams"])):
            seen.add("shift crews")
        if any("count" in e for p in sc["action_plans"] for e in p["participants"]):
            seen.add("counted")
        ids = [e["id"] for p in sc["action_plans"] for e in p["participants"] if "id" in e]
        if len(ids) != len(set(ids)):
            seen.add("two tracks")
        del tracks
    want = {"mixed-workplace cohorts", "on-shift-only plans", "off-shift-only plans", "slack 1-2", "validation",
            "interpreters", "remote", "gaps and closures", "shift crews", "counted", "two tracks"}
    assert want <= seen, want - seen
