"""Validator specification: Hard rule 3, trainers.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import check, explain, move, of_rule, rules, sess, trainer

# ---------------------------------------------------------------- rule 3: trainer

def test_rule3_trainer_without_the_qualification_is_flagged(sc, sd):
    sess(sd, "S3")["trainer"] = "T-SARA"  # Sara lacks SAK2
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert "SAK2" in v.message and v.entities == {"sessions": ["S3"], "trainer": "T-SARA", "qualification": "SAK2"}


def test_rule3_trainer_teaching_two_sessions_at_once_is_flagged(sc, sd):
    s2 = move(sd, "S2", "2026-03-23T14:30:00+01:00", "2026-03-23T16:30:00+01:00")
    s2["trainer"] = "T-SARA"  # she teaches S6 14:30-15:30 the same day
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert sorted(v.entities["sessions"]) == ["S2", "S6"] and v.entities["trainer"] == "T-SARA"
    assert "same time" in v.message and "Mon 2026-03-23 14:30" in v.message


def test_rule3_too_little_travel_time_between_sessions_of_a_day_is_flagged(sc, sd):
    sess(sd, "S2")["trainer"] = "T-SARA"  # S-BRUK 08-10, then S6 remote (her home S-VARD) at 14:30
    for p in sc["travel"]["pairs"]:
        if {p["from"], p["to"]} == {"S-BRUK", "S-VARD"}:
            p["minutes"] = 300
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert sorted(v.entities["sessions"]) == ["S2", "S6"] and "300 minutes" in v.message


def test_rule3_enough_travel_time_is_fine(sc, sd):
    sess(sd, "S2")["trainer"] = "T-SARA"  # 40 minutes needed, 270 available
    assert check(sc, sd).violations == []


def test_rule3_trainer_on_a_bare_unavailable_date_is_flagged(sc, sd):
    trainer(sc, "T-ERIK")["unavailable"].append("2026-03-12")
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert v.entities["sessions"] == ["S1"] and "unavailable" in v.message


def test_rule3_trainer_outside_weekly_window_is_flagged(sc, sd):
    by_weekday = {w["weekday"]: w for w in trainer(sc, "T-ERIK")["available"]}
    by_weekday["thu"]["start"] = "09:00"
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    assert of_rule(report, 3)[0].entities["sessions"] == ["S1"]


def test_rule3_chained_weekly_windows_cover_a_session(sc, sd):
    avail = trainer(sc, "T-ERIK")["available"]
    avail[:] = [w for w in avail if w["weekday"] != "thu"]
    avail += [{"weekday": "thu", "start": "06:00", "end": "09:00"},
              {"weekday": "thu", "start": "09:00", "end": "18:00"}]
    assert check(sc, sd).violations == []


def test_rule3_overnight_window_runs_into_next_day(sc, sd):
    avail = trainer(sc, "T-ERIK")["available"]
    avail[:] = [w for w in avail if w["weekday"] != "thu"]
    avail.append({"weekday": "wed", "start": "20:00", "end": "12:00"})  # Wed 20:00 -> Thu 12:00
    assert check(sc, sd).violations == []


def test_rule3_available_empty_list_means_never(sc, sd):
    trainer(sc, "T-SARA")["available"] = []
    report = check(sc, sd)
    assert {tuple(v.entities["sessions"]) for v in of_rule(report, 3)} == {("S4",), ("S5",), ("S6",)}


def test_rule3_missing_available_means_always(sc, sd):
    del trainer(sc, "T-SARA")["available"]
    move(sd, "S6", "2026-03-23T14:30:00+01:00", "2026-03-23T15:30:00+01:00")
    assert check(sc, sd).violations == []


def test_rule3_weekly_minute_limit_is_flagged(sc, sd):
    trainer(sc, "T-ERIK")["max_minutes_per_week"] = 150
    report = check(sc, sd)  # S3 is 180 minutes in ISO week 14
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert v.entities["week"] == "2026-W14" and v.entities["sessions"] == ["S3"]


def test_rule3_daily_session_limit_is_flagged(sc, sd):
    trainer(sc, "T-SARA")["max_sessions_per_day"] = 1
    sess(sd, "S2")["trainer"] = "T-SARA"  # two sessions on Mon 03-23
    report = check(sc, sd)
    assert rules(report) == {3}, explain(report)
    v, = of_rule(report, 3)
    assert v.entities["date"] == "2026-03-23" and sorted(v.entities["sessions"]) == ["S2", "S6"]


def test_rule3_unknown_trainer_is_flagged_not_a_crash(sc, sd):
    sess(sd, "S1")["trainer"] = "T-NOBODY"
    report = check(sc, sd)
    assert any(v.entities.get("trainer") == "T-NOBODY" for v in of_rule(report, 3)), explain(report)


def test_rule3_session_without_trainer_is_flagged(sc, sd):
    sess(sd, "S1")["trainer"] = None
    report = check(sc, sd)
    assert of_rule(report, 3) and of_rule(report, 3)[0].entities["sessions"] == ["S1"]
