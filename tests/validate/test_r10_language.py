"""Validator specification: Hard rule 10, language and interpreters.

Each test breaks one thing in a copy of the contract's tiny example and checks that the
validator reports exactly that, or nothing for the allowed cases."""

from __future__ import annotations

from tests.validate.helpers import by_id, check, explain, of_rule, rules, sess, trainer

# ---------------------------------------------------------------- rule 10: language

def test_rule10_missing_interpreter_is_flagged(sc, sd):
    sess(sd, "S4")["interpreters"] = []
    report = check(sc, sd)
    assert rules(report) == {10}, explain(report)
    v, = of_rule(report, 10)
    assert v.entities == {"sessions": ["S4"], "language": "ar", "participants": ["v-101"]}


def test_rule10_no_interpreter_needed_when_the_trainer_speaks_the_language(sc, sd):
    trainer(sc, "T-SARA")["languages"].append("ar")
    for s in sd["sessions"]:
        s["interpreters"] = []
    assert check(sc, sd).violations == []


def test_rule10_interpreter_not_speaking_the_language_is_flagged(sc, sd):
    by_id(sc["interpreters"], "I-AMAL")["languages"] = ["sv", "fi"]
    report = check(sc, sd)
    assert {v.entities["sessions"][0] for v in of_rule(report, 10)} == {"S4", "S5", "S6"}


def test_rule10_unavailable_interpreter_is_flagged(sc, sd):
    for w in by_id(sc["interpreters"], "I-AMAL")["available"]:
        if w["weekday"] == "mon":
            w["end"] = "12:00"
    report = check(sc, sd)
    assert rules(report) == {10}, explain(report)
    v, = of_rule(report, 10)
    assert v.entities == {"sessions": ["S6"], "interpreter": "I-AMAL"}


def test_rule10_unneeded_interpreter_must_still_be_free_and_reach_the_site(sc, sd):
    sess(sd, "S2")["interpreters"] = ["I-AMAL"]  # Mon 03-23 at S-BRUK 08-10; S6 at 14:30 from home (S-LC)
    assert check(sc, sd).violations == []
    for p in sc["travel"]["pairs"]:
        if {p["from"], p["to"]} == {"S-BRUK", "S-LC"}:
            p["minutes"] = 300  # T-ERIK has only S2 that day; I-AMAL cannot make it to S6
    report = check(sc, sd)
    assert rules(report) == {10}, explain(report)
    v, = of_rule(report, 10)
    assert sorted(v.entities["sessions"]) == ["S2", "S6"] and v.entities["interpreter"] == "I-AMAL"


def test_rule10_unknown_interpreter_is_flagged_not_a_crash(sc, sd):
    sess(sd, "S4")["interpreters"] = ["I-NOBODY"]
    report = check(sc, sd)
    assert any(v.entities.get("interpreter") == "I-NOBODY" for v in of_rule(report, 10))
    assert any(v.entities.get("language") == "ar" for v in of_rule(report, 10))
