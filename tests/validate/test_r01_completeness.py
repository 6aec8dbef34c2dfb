"""Validator specification: Hard rule 1, completeness: participants in cohorts, sessions scheduled or listed.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

import copy

from tests.validate.helpers import by_id, check, explain, of_rule, rules, sess

# ---------------------------------------------------------------- rule 1: completeness

def test_rule1_session_neither_scheduled_nor_listed_is_flagged(sc, sd):
    sd["sessions"] = [s for s in sd["sessions"] if s["id"] != "S6"]
    report = check(sc, sd)
    assert rules(report) == {1}, explain(report)
    v, = of_rule(report, 1)
    assert v.entities["cohort"] == "C-VARD-1" and v.entities["module"] == "VARD2" and v.entities["index"] == 1


def test_rule1_session_listed_as_unscheduled_with_reason_is_complete(sc, sd):
    sd["sessions"] = [s for s in sd["sessions"] if s["id"] != "S6"]
    sd["unscheduled"] = [{"cohort": "C-VARD-1", "module": "VARD2", "index": 1,
                          "reason": "no trainer for VARD2 is free on the team's shifts before 2026-04-30"}]
    report = check(sc, sd)
    assert report.violations == [], explain(report)
    assert report.kpis["objective_breakdown"]["unscheduled_session"] == 100000


def test_rule1_session_scheduled_twice_is_flagged(sc, sd):
    dup = copy.deepcopy(sess(sd, "S3"))
    dup["id"] = "S3b"
    dup["start"], dup["end"] = "2026-04-02T08:00:00+02:00", "2026-04-02T11:00:00+02:00"
    sd["sessions"].append(dup)
    report = check(sc, sd)
    dups = [v for v in of_rule(report, 1) if set(v.entities.get("sessions", [])) == {"S3", "S3b"}]
    assert dups, explain(report)


def test_rule1_session_of_nonexistent_index_is_flagged(sc, sd):
    extra = copy.deepcopy(sess(sd, "S2"))
    extra.update(id="S2c", index=3, start="2026-03-26T08:00:00+01:00", end="2026-03-26T10:00:00+01:00")
    sd["sessions"].append(extra)
    report = check(sc, sd)
    assert any(v.entities.get("sessions") == ["S2c"] for v in of_rule(report, 1)), explain(report)


def test_rule1_participant_in_no_cohort_and_not_unassigned_is_flagged(sc, sd):
    by_id(sd["cohorts"], "C-VARD-1")["participants"].remove("v-103")
    report = check(sc, sd)
    assert rules(report) == {1}, explain(report)
    v, = of_rule(report, 1)
    assert v.entities["participants"] == ["v-103"] and v.entities["action_plan"] == "HP-VARD-1"


def test_rule1_participant_listed_as_unassigned_with_reason_is_complete(sc, sd):
    by_id(sd["cohorts"], "C-VARD-1")["participants"].remove("v-103")
    sd["unassigned_participants"] = [{"participant": "v-103", "action_plan": "HP-VARD-1",
                                      "reason": "v-103 is on parental leave until June"}]
    report = check(sc, sd)
    assert report.violations == [], explain(report)
    assert report.kpis["objective_breakdown"]["unassigned_participant"] == 100000


def test_rule1_counted_participant_ids_follow_plan_team_n(sc, sd):
    # the example's cohort spells the counted ids; a wrong spelling is a stranger
    parts = by_id(sd["cohorts"], "C-SAK-1")["participants"]
    parts[parts.index("HP-BRUK-1-skiftlag-2-2")] = "HP-BRUK-1-skiftlag-2-0"
    report = check(sc, sd)
    flagged = {p for v in of_rule(report, 1) for p in v.entities.get("participants", [])}
    assert flagged == {"HP-BRUK-1-skiftlag-2-0", "HP-BRUK-1-skiftlag-2-2"}, explain(report)
