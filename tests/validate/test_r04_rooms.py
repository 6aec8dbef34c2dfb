"""Validator specification: Hard rule 4, rooms.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import by_id, check, explain, move, of_rule, rules, sess

# ---------------------------------------------------------------- rule 4: room

def test_rule4_workplace_session_in_a_learning_centre_room_is_flagged(sc, sd):
    sess(sd, "S1")["room"] = "R-LC"
    report = check(sc, sd)
    assert rules(report) == {4}, explain(report)
    v, = of_rule(report, 4)
    assert v.entities["sessions"] == ["S1"] and v.entities["room"] == "R-LC" and "workplace" in v.message


def test_rule4_room_without_required_feature_is_flagged(sc, sd):
    sess(sd, "S3")["room"] = "R-BRUK"  # SAK2 needs 'datorer'
    report = check(sc, sd)
    assert rules(report) == {4}, explain(report)
    assert "datorer" in of_rule(report, 4)[0].message


def test_rule4_room_too_small_is_flagged(sc, sd):
    by_id(sc["rooms"], "R-BRUK")["capacity"] = 3
    report = check(sc, sd)
    assert rules(report) == {4}, explain(report)
    assert {v.entities["sessions"][0] for v in of_rule(report, 4)} == {"S1", "S2"}


def test_rule4_room_while_unavailable_is_flagged(sc, sd):
    by_id(sc["rooms"], "R-LC")["unavailable"].append({"start": "2026-03-17T09:00", "end": "2026-03-17T12:00"})
    report = check(sc, sd)
    assert rules(report) == {4}, explain(report)
    assert of_rule(report, 4)[0].entities["sessions"] == ["S4"]


def test_rule4_room_hosting_two_sessions_at_once_is_flagged(sc, sd):
    # S5 (Thu 03-19 08:00-09:30, R-LC) and a SAK2 session put at the same time in R-LC
    s3 = move(sd, "S3", "2026-03-19T08:00:00+01:00", "2026-03-19T11:00:00+01:00")
    s3["trainer"] = "T-NOBODY"
    report = check(sc, sd)
    assert any(sorted(v.entities.get("sessions", [])) == ["S3", "S5"] and v.entities.get("room") == "R-LC"
               for v in of_rule(report, 4)), explain(report)


def test_rule4_remote_session_with_a_room_is_flagged(sc, sd):
    sess(sd, "S6")["room"] = "R-LC"
    report = check(sc, sd)
    assert 4 in rules(report), explain(report)
    assert of_rule(report, 4)[0].entities["sessions"] == ["S6"]


def test_rule4_room_session_without_room_is_flagged(sc, sd):
    sess(sd, "S4")["room"] = None
    report = check(sc, sd)
    assert [v.entities["sessions"] for v in of_rule(report, 4)] == [["S4"]], explain(report)


def test_rule4_unknown_room_is_flagged_not_a_crash(sc, sd):
    sess(sd, "S4")["room"] = "R-NOWHERE"
    report = check(sc, sd)
    assert [v.entities["room"] for v in of_rule(report, 4)] == ["R-NOWHERE"], explain(report)
