"""Validator specification: Hard rule 7, minimum staffing.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import check, explain, move, of_rule, rules, team, trainer

# ---------------------------------------------------------------- rule 7: staffing

def test_rule7_too_many_team_members_away_during_a_shift_is_flagged(sc, sd):
    team(sc, "skiftlag-1")["min_staffing"] = 5  # only 1 of 6 may leave; S1, S2, S3 take 2 each
    report = check(sc, sd)
    assert rules(report) == {7}, explain(report)
    assert sorted(v.entities["shift_date"] for v in of_rule(report, 7)) == ["2026-03-12", "2026-03-23", "2026-04-01"]
    assert all(v.entities["team"] == "skiftlag-1" for v in of_rule(report, 7))


def test_rule7_team_off_duty_may_all_be_in_training(sc, sd):
    team(sc, "skiftlag-2")["min_staffing"] = 6  # none may leave a shift - but S1..S3 are on its days off
    assert check(sc, sd).violations == []


def test_rule7_night_shift_that_started_the_day_before_counts(sc, sd):
    sc["calendar"]["start_times"].append("05:00")
    del trainer(sc, "T-ERIK")["available"]
    trainer(sc, "T-ERIK")["unavailable"] = []
    team(sc, "skiftlag-1")["min_staffing"] = 5
    # Tue 03-17 05:00-07:00: skiftlag-1's night shift of Mon 03-16 runs until 06:00
    move(sd, "S1", "2026-03-17T05:00:00+01:00", "2026-03-17T07:00:00+01:00")
    report = check(sc, sd)
    found = [v for v in of_rule(report, 7) if v.entities["shift_date"] == "2026-03-16"]
    assert found and found[0].entities["team"] == "skiftlag-1" and found[0].entities["sessions"] == ["S1"], \
        explain(report)


# ---------------------------------------------------------------- rule 7: a team's blocked periods

def test_rule7_a_session_inside_a_teams_blocked_period_is_flagged(sc, sd):
    # skiftlag-2 is off duty on 2026-03-12 (S1 is fine by the slack), but blocked that week
    team(sc, "skiftlag-2")["blocked"] = [{"start": "2026-03-09", "end": "2026-03-13", "reason": "inventering"}]
    report = check(sc, sd)
    assert rules(report) == {7}, explain(report)
    (v,) = of_rule(report, 7)
    assert v.entities["sessions"] == ["S1"] and v.entities["team"] == "skiftlag-2"
    assert v.entities["participants"] == ["HP-BRUK-1-skiftlag-2-1", "HP-BRUK-1-skiftlag-2-2"]
    assert "S1" in v.message and "team skiftlag-2 (W-BRUK)" in v.message
    assert "during its blocked period 2026-03-09..2026-03-13 (inventering)" in v.message


def test_rule7_a_session_moved_by_hand_into_a_blocked_afternoon_is_flagged(sc, sd):
    team(sc, "skiftlag-1")["blocked"] = ["2026-03-20", {"start": "2026-03-24T13:00", "end": "2026-03-24T17:00"}]
    assert check(sc, sd).violations == []  # no session in them yet
    move(sd, "S2", "2026-03-24T14:00:00+01:00", "2026-03-24T16:00:00+01:00")
    report = check(sc, sd)
    assert {v.entities.get("blocked") for v in of_rule(report, 7)} == {"2026-03-24T13:00..2026-03-24T17:00"}, \
        explain(report)


def test_rule7_a_blocked_period_touching_a_session_end_to_end_is_no_violation(sc, sd):
    team(sc, "skiftlag-1")["blocked"] = [{"start": "2026-03-12T10:00", "end": "2026-03-12T12:00"},
                                         {"start": "2026-03-11", "end": "2026-03-12T08:00"}]
    assert check(sc, sd).violations == []
