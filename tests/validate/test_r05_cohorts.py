"""Validator specification: Hard rule 5, cohorts.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

import copy

from tests.validate.helpers import by_id, check, explain, move, of_rule, rules

# ---------------------------------------------------------------- rule 5: cohort

def test_rule5_cohort_above_max_group_is_flagged(sc, sd):
    by_id(sc["tracks"], "K-SAK")["max_group"] = 3
    report = check(sc, sd)
    assert rules(report) == {5}, explain(report)
    assert of_rule(report, 5)[0].entities["cohort"] == "C-SAK-1"


def test_rule5_small_plan_may_form_one_smaller_cohort(sc, sd):
    by_id(sc["tracks"], "K-SAK")["min_group"] = 5  # HP-BRUK-1 has only 4 participants
    assert check(sc, sd).violations == []


def test_rule5_cohort_below_min_group_of_a_large_enough_plan_is_flagged(sc, sd):
    by_id(sc["tracks"], "K-SAK")["min_group"] = 4
    by_id(sd["cohorts"], "C-SAK-1")["participants"].remove("HP-BRUK-1-skiftlag-2-2")
    sd["unassigned_participants"] = [{"participant": "HP-BRUK-1-skiftlag-2-2", "action_plan": "HP-BRUK-1",
                                      "reason": "works nights during the whole spring"}]
    report = check(sc, sd)
    assert rules(report) == {5}, explain(report)
    assert of_rule(report, 5)[0].entities["cohort"] == "C-SAK-1"


def test_rule5_mixed_track_below_min_group_may_form_its_only_cohort(sc, sd):
    by_id(sc["tracks"], "K-VARD")["min_group"] = 4  # the whole track has 3 participants
    assert check(sc, sd).violations == []


def test_rule5_cohort_mixing_workplaces_without_permission_is_flagged(sc, sd):
    by_id(sc["tracks"], "K-VARD")["mix_workplaces"] = False
    vard = by_id(sc["action_plans"], "HP-VARD-1")
    vard["participants"] = [p for p in vard["participants"] if p.get("id") != "v-103"]
    other = copy.deepcopy(vard)
    other.update(id="HP-VARD-2", workplace="W-BRUK", participants=[{"id": "v-103", "team": "vard-dag"}])
    sc["action_plans"].append(other)
    report = check(sc, sd)
    assert rules(report) == {5}, explain(report)
    v, = of_rule(report, 5)
    assert v.entities["workplaces"] == ["W-BRUK", "W-VARD"]


def test_rule5_cohort_mixing_workplaces_is_fine_when_allowed(sc, sd):
    vard = by_id(sc["action_plans"], "HP-VARD-1")
    vard["participants"] = [p for p in vard["participants"] if p.get("id") != "v-103"]
    other = copy.deepcopy(vard)
    other.update(id="HP-VARD-2", workplace="W-BRUK", participants=[{"id": "v-103", "team": "vard-dag"}])
    sc["action_plans"].append(other)
    assert check(sc, sd).violations == []


def test_team_is_looked_up_in_the_plans_workplace_first(sc, sd):
    # another workplace, listed first, also has a "skiftlag-1" - on F every day, nobody may leave
    sc["shift_patterns"].append({"id": "alltid-F", "anchor": "2026-03-02", "cycle": ["F"]})
    sc["workplaces"].insert(0, {"id": "W-ANNAN", "name": "Annan", "site": "S-LC", "teams": [
        {"id": "skiftlag-1", "pattern": "alltid-F", "offset_days": 0, "headcount": 4, "min_staffing": 4}]})
    report = check(sc, sd)
    assert report.violations == [], explain(report)


def test_rule5_participant_in_two_sessions_at_once_is_flagged(sc, sd):
    # v-103 is also in the mill's plan (one person in two tracks) ...
    by_id(sc["action_plans"], "HP-BRUK-1")["participants"].append({"id": "v-103", "team": "vard-dag"})
    by_id(sd["cohorts"], "C-SAK-1")["participants"].append("v-103")
    # ... and SAK1#2 now runs while v-103 is in VARD2 (S6, 14:30-15:30)
    move(sd, "S2", "2026-03-23T14:30:00+01:00", "2026-03-23T16:30:00+01:00")
    report = check(sc, sd)
    v, = [v for v in of_rule(report, 5) if "same time" in v.message]
    assert sorted(v.entities["sessions"]) == ["S2", "S6"] and v.entities["participants"] == ["v-103"]
