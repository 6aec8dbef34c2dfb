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
