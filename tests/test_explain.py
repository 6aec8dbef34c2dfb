"""Explanations (`scheduler/explain`, `modulplan explain`): each purpose-built scenario has one
planted cause; the first finding must name that cause (rule and entities), the cause must
really leave sessions unscheduled, and its first suggested change, applied, must make the
scenario schedulable (solved and passed through the independent validator). Plus: a conflict
between requirements that are each satisfiable, the cost breakdown summing exactly to the
objective, the texts in Swedish and English, and the diagnosis's speed on the largest example.
"""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pytest

from scheduler.cli import main
from scheduler.explain.conflicts import explain_conflicts
from scheduler.explain.costs import cost_breakdown
from scheduler.explain.diagnose import diagnose
from scheduler.explain.findings import ChangeError, apply_changes, apply_suggestion
from scheduler.explain.messages import Texts, choose_language
from scheduler.explain.report import explain
from scheduler.format import load_json_file, load_scenario
from scheduler.whatif.variants import make_variant
from tests.conftest import repo_root
from tests.scenario_factory import (
    counted,
    interpreter,
    module,
    named,
    plan,
    room,
    scenario_factory,
    solve_checked,
    team,
    track,
    trainer,
    workplace,
)

# ----------------------------------------------------------------------------- planted causes


def unqualified_trainers() -> dict:
    """Module M1 needs qualification SAFE-LIFT; the only trainer holds M1 and M2, not it."""
    return scenario_factory(module={"qualification": "SAFE-LIFT"}, trainer={"qualifications": ["M1", "M2"]})


def staffing_too_tight() -> dict:
    """Team lag-1 has headcount 10 and minimum staffing 10; plan HP1 trains only on shift."""
    return scenario_factory(team={"min_staffing": 10})


def deadline_too_short() -> dict:
    """M1 is three sessions at least two days apart; HP1's window is Monday to Wednesday."""
    return scenario_factory(module={"sessions": 3, "min_gap_days": 2}, deadline="2027-04-07")


def missing_interpreter_language() -> dict:
    """One participant needs Tigrinya; the trainer speaks Swedish, the interpreter Arabic."""
    return scenario_factory(participants=[named("p1"), named("p2"), named("p3", language="ti")],
                            interpreters=[interpreter("I1", languages=("ar", "sv"))])


def room_too_small() -> dict:
    """Eight participants who must study together (the track's smallest group is eight); the only
    room has six seats. (With a smaller minimum the cohorts would simply be formed to fit the room.)"""
    return scenario_factory(participants=8, room={"capacity": 6}, team={"headcount": 20},
                            track={"min_group": 8})


def trainer_hours_short() -> dict:
    """Six sessions in one week, but the one qualified trainer holds at most one a day."""
    return scenario_factory(module={"sessions": 6, "min_gap_days": 0}, trainer={"max_sessions_per_day": 1},
                            horizon=("2027-04-05", "2027-04-09"))


def staffing_load_too_high() -> dict:
    """Three on-shift participants of a team with slack 1, four sessions each in one week: 12
    participant-hours, but one person away at a time leaves room for 10."""
    return scenario_factory(team={"min_staffing": 9}, module={"sessions": 4, "min_gap_days": 0},
                            horizon=("2027-04-05", "2027-04-09"),
                            trainers=[trainer("T1"), trainer("T2")])


def interpreter_hours_short() -> dict:
    """Three sessions need Arabic; the one Arabic interpreter is free only on Monday mornings."""
    return scenario_factory(participants=[named("p1", language="ar"), named("p2")],
                            module={"sessions": 3},
                            interpreters=[interpreter("I1", languages=("ar",), available=[
                                {"weekday": "mon", "start": "07:00", "end": "12:00"}])])


def team_blocked_all_window() -> dict:
    """Team lag-1 releases nobody for training during HP1's whole window (the horizon): stocktaking."""
    return scenario_factory(team={"blocked": [{"start": "2027-04-05", "end": "2027-04-16", "reason": "inventering"}]})


PLANTED = {
    "unqualified trainers": (unqualified_trainers, "trainer_qualification",
                             {"qualifications": ["SAFE-LIFT"], "modules": ["M1"], "plans": ["HP1"]}),
    "staffing too tight": (staffing_too_tight, "staffing", {"teams": ["W1/lag-1"], "plans": ["HP1"]}),
    "deadline too short": (deadline_too_short, "plan_window", {"plans": ["HP1"], "tracks": ["K1"]}),
    "missing interpreter language": (missing_interpreter_language, "language_support",
                                     {"languages": ["ti"], "participants": ["p3"], "plans": ["HP1"]}),
    "room too small": (room_too_small, "room_capacity", {"rooms": ["R1"], "modules": ["M1"], "plans": ["HP1"]}),
    "trainer hours short": (trainer_hours_short, "trainer_capacity",
                            {"qualifications": ["M1"], "trainers": ["T1"], "plans": ["HP1"]}),
    "staffing load too high": (staffing_load_too_high, "staffing_capacity",
                               {"teams": ["W1/lag-1"], "plans": ["HP1"]}),
    "interpreter hours short": (interpreter_hours_short, "interpreter_capacity",
                                {"languages": ["ar"], "interpreters": ["I1"], "plans": ["HP1"]}),
    "team blocked all window": (team_blocked_all_window, "no_admissible_start",
                                {"teams": ["W1/lag-1"], "plans": ["HP1"], "blocked": ["2027-04-05/2027-04-16"]}),
}


@pytest.mark.parametrize("name", list(PLANTED))
def test_first_finding_names_the_planted_cause_and_its_entities(name):
    make, rule, entities = PLANTED[name]
    findings = diagnose(load_scenario(make()), "en")
    assert findings, "no finding at all"
    first = findings[0]
    assert first.rule == rule, [f.as_dict() for f in findings]
    for kind, ids in entities.items():
        assert set(ids) <= set(first.entities.get(kind, [])), (kind, first.entities)
    assert first.severity == "error" and first.message and first.suggestions


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_cause_leaves_sessions_unscheduled_and_first_suggestion_resolves_it(name):
    make, _, _ = PLANTED[name]
    data = make()
    before = solve_checked(data, time_limit=3)
    assert before["unscheduled"] or before["unassigned_participants"], "the planted cause does not bite"
    first = diagnose(load_scenario(data), "en")[0]
    fixed = apply_suggestion(data, first.suggestions[0].as_dict())
    after = solve_checked(fixed, time_limit=3)
    assert after["unscheduled"] == [] and after["unassigned_participants"] == [], first.suggestions[0].message


def test_a_suggestion_that_resolves_its_finding_is_marked_verified():
    first = diagnose(load_scenario(room_too_small()), "en")[0]
    assert first.suggestions[0].verified is True


def test_a_team_blocked_for_the_whole_window_is_named_with_its_period_and_lifting_it_is_a_variant():
    data = team_blocked_all_window()
    en, sv = (diagnose(load_scenario(data), lang)[0] for lang in ("en", "sv"))
    assert "team lag-1 releases nobody for training then" in en.message
    assert "5 April 2027 – 16 April 2027 (inventering)" in en.message
    assert "arbetslaget lag-1" in sv.message and "spärrad period: 5 april 2027 – 16 april 2027 (inventering)" in sv.message
    lift = en.suggestions[0]
    assert lift.verified is True and "Lift team lag-1's blocked period(s)" in lift.message
    assert lift.changes == [{"type": "unblock_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-05",
                             "end": "2027-04-16"}]
    variant = make_variant(data, lift.changes)
    assert "blocked" not in variant["workplaces"][0]["teams"][0]
    after = solve_checked(variant, time_limit=3)
    assert after["unscheduled"] == [] and after["unassigned_participants"] == []


def test_a_block_over_part_of_the_window_is_offered_for_lifting_next_to_the_main_cause():
    data = scenario_factory(team={"blocked": [{"start": "2027-04-05", "end": "2027-04-12", "reason": "inventering"}]},
                            trainer={"unavailable": [{"start": "2027-04-13", "end": "2027-04-16"}]})
    first = diagnose(load_scenario(data), "en")[0]
    assert first.entities["reasons"] == {"team_blocked": 12, "trainer_unavailable": 8}
    assert "(blocked: lag-1: 5 April 2027 – 12 April 2027 (inventering))" in first.message
    lift = next(s for s in first.suggestions if s.changes[0].get("type") == "unblock_team")
    assert lift.verified is True
    assert solve_checked(apply_suggestion(data, lift), time_limit=3)["unscheduled"] == []


def test_a_scenario_without_problems_has_no_findings():
    assert diagnose(load_scenario(scenario_factory()), "en") == []


def test_diagnosis_of_the_largest_example_takes_under_five_seconds():
    data = load_scenario(load_json_file(repo_root() / "scenarios" / "elderly_care_municipality.json"))
    started = time.monotonic()
    diagnose(data, "sv")
    assert time.monotonic() - started < 5.0


# ----------------------------------------------------------------------------- conflicts


def trainer_and_windows_conflict() -> dict:
    """One trainer T1 for M1 (HP1: three sessions, Monday-Tuesday) and M2 (HP2: two sessions,
    Monday only): five sessions for T1's four start times. Each plan alone fits, and per
    qualification the hours suffice, so the pre-solve checks see nothing."""
    return scenario_factory(
        modules=[module("M1", sessions=3, min_gap_days=0), module("M2", sessions=2, min_gap_days=0)],
        tracks=[track("K1", modules=["M1"]), track("K2", modules=["M2"])],
        trainers=[trainer("T1", qualifications=["M1", "M2"])],
        rooms=[room("R1"), room("R2")],
        workplaces=[workplace("W1", teams=[team("lag-1"), team("lag-2")])],
        action_plans=[plan("HP1", track="K1", participants=[counted("lag-1", 2)], deadline="2027-04-06"),
                      plan("HP2", track="K2", participants=[counted("lag-2", 2)], deadline="2027-04-05")],
    )


def test_conflict_between_a_trainer_and_plan_windows_is_named_with_its_relaxations():
    data = load_scenario(trainer_and_windows_conflict())
    assert diagnose(data, "en") == []
    schedule = solve_checked(data, time_limit=3)
    assert schedule["unscheduled"]
    findings = explain_conflicts(data, schedule, "en", time_limit=10)
    assert [f.rule for f in findings] == ["conflict"]
    groups = {(g["kind"], g["id"]) for g in findings[0].entities["groups"]}
    assert ("trainer", "T1") in groups and groups & {("window", "HP1"), ("window", "HP2")}
    for suggestion in findings[0].suggestions:
        fixed = solve_checked(apply_suggestion(data, suggestion.as_dict()), time_limit=3)
        assert fixed["unscheduled"] == [], suggestion.message


def test_explain_with_a_schedule_puts_the_conflict_first_and_adds_the_costs():
    data = load_scenario(trainer_and_windows_conflict())
    schedule = solve_checked(data, time_limit=3)
    report = explain(data, schedule, "en", time_limit=10)
    assert report["findings"][0]["rule"] == "conflict"
    assert set(report["findings"][0]) >= {"rule", "entities", "message", "suggestions"}
    assert report["costs"]["objective"] == schedule["objective"]


# ----------------------------------------------------------------------------- costs


def costly_scenario() -> dict:
    """Two plans at two workplaces, two trainers at other sites (travel), an interpreter, a
    target that makes one cohort late and a weekly limit that forces a trainer change."""
    return scenario_factory(
        sites=[{"id": "S-W", "name": "W"}, {"id": "S-V", "name": "V"}, {"id": "S-LC", "name": "LC"}],
        workplaces=[workplace("W1", site="S-W"), workplace("W2", site="S-V", teams=[team("lag-2")])],
        modules=[module("M1", sessions=3, duration_minutes=90, location="workplace"), module("M2", sessions=1)],
        tracks=[track("K1", modules=["M1", "M2"])],
        trainers=[trainer("T1", qualifications=["M1", "M2"], home_site="S-LC", max_minutes_per_week=180),
                  trainer("T2", qualifications=["M1"], home_site="S-LC", cost_per_hour=550.5)],
        interpreters=[interpreter("I1", languages=("ar",), home_site="S-LC")],
        rooms=[room("R1", site="S-W"), room("R2", site="S-V"), room("R3", site="S-LC")],
        action_plans=[plan("HP1", participants=[named("a1"), named("a2", language="ar")], target="2027-04-05"),
                      plan("HP2", workplace="W2", participants=[counted("lag-2", 3)], allow_off_shift=True)],
    )


def test_cost_breakdown_sums_exactly_to_the_objective_by_term_and_by_every_dimension():
    data = load_scenario(costly_scenario())
    schedule = solve_checked(data, time_limit=3)
    costs = cost_breakdown(data, schedule, "en")
    assert costs["objective"] == schedule["objective"] and costs["matches_schedule"]
    terms = {row["term"]: row["amount"] for row in costs["terms"]}
    assert terms == {k: v for k, v in schedule["kpis"]["objective_breakdown"].items()}
    assert sum(Decimal(str(v)) for v in terms.values()) == Decimal(str(schedule["objective"]))
    nonzero = [row for row in costs["terms"] if row["amount"]]
    assert len(nonzero) >= 4
    for row in costs["terms"]:
        for dim, shares in row["by"].items():
            assert sum(Decimal(str(s["amount"])) for s in shares) == Decimal(str(row["amount"])), (row["term"], dim)


def test_cost_breakdown_attributes_participant_hours_to_their_plans_and_lists_largest_first():
    data = load_scenario(costly_scenario())
    schedule = solve_checked(data, time_limit=3)
    costs = cost_breakdown(data, schedule, "en")
    plans = {r["key"] for r in costs["by"]["action_plan"]}
    assert {"HP1", "HP2"} <= plans
    amounts = [Decimal(str(r["amount"])) for r in costs["by"]["action_plan"]]
    assert amounts == sorted(amounts, reverse=True)
    travel = next(r for r in costs["terms"] if r["term"] == "travel_per_minute")
    assert {s["key"] for s in travel["by"]["trainer"]} <= {"T1", "T2", "-"}


def test_unscheduled_sessions_cost_is_charged_to_the_plan_that_waits():
    data = load_scenario(unqualified_trainers())
    schedule = solve_checked(data, time_limit=3)
    costs = cost_breakdown(data, schedule, "en")
    row = next(r for r in costs["terms"] if r["term"] == "unscheduled_session")
    assert row["by"]["action_plan"] == [{"key": "HP1", "amount": schedule["kpis"]["objective_breakdown"][
        "unscheduled_session"]}]


# ----------------------------------------------------------------------------- texts


def test_swedish_texts_use_swedish_numbers_dates_and_weeks():
    t = Texts("sv")
    assert t.num(12345.5) == "12 345,5"
    assert t.date(date(2027, 3, 12)) == "12 mars 2027"
    assert t.week(date(2027, 3, 24)) == "v. 12"
    assert t.weeks(date(2027, 3, 8), date(2027, 4, 9)) == "v. 10–14"


def test_english_texts_use_english_numbers_dates_and_weeks():
    t = Texts("en")
    assert t.num(12345.5) == "12,345.5"
    assert t.date(date(2027, 3, 12)) == "12 March 2027"
    assert t.weeks(date(2027, 3, 8), date(2027, 4, 9)) == "weeks 10–14"


def test_the_same_finding_reads_in_swedish_and_in_english():
    data = load_scenario(deadline_too_short())
    sv, en = diagnose(data, "sv")[0], diagnose(data, "en")[0]
    assert sv.rule == en.rule and sv.entities == en.entities
    assert "7 april 2027" in sv.message and "Handlingsplan HP1" in sv.message
    assert "7 April 2027" in en.message and "Plan HP1" in en.message
    assert sv.suggestions[0].changes == en.suggestions[0].changes


def test_language_comes_from_the_explicit_choice_then_accept_language_then_swedish():
    assert choose_language("en", "sv") == "en"
    assert choose_language(None, "de-DE, en;q=0.8, sv;q=0.5") == "en"
    assert choose_language(None, "sv-SE,en;q=0.9") == "sv"
    assert choose_language(None, "de") == "sv"
    assert choose_language("xx", None) == "sv"


# ----------------------------------------------------------------------------- changes


def test_changes_select_list_elements_by_id_and_leave_the_original_alone():
    data = scenario_factory()
    out = apply_changes(data, [
        {"op": "set", "path": ["action_plans", {"id": "HP1"}, "deadline"], "value": "2027-04-09"},
        {"op": "add", "path": ["trainers", {"id": "T1"}, "qualifications"], "value": "M9"},
        {"op": "append", "path": ["rooms"], "value": {"id": "R9", "site": "S-W", "capacity": 4}},
    ])
    assert out["action_plans"][0]["deadline"] == "2027-04-09"
    assert out["trainers"][0]["qualifications"] == ["M1", "M9"]
    assert [r["id"] for r in out["rooms"]] == ["R1", "R9"]
    assert "deadline" not in data["action_plans"][0]


def test_a_change_to_an_unknown_entity_is_an_error_naming_it():
    with pytest.raises(ChangeError, match="T9"):
        apply_changes(scenario_factory(), [{"op": "set", "path": ["trainers", {"id": "T9"}, "name"], "value": "x"}])


def test_a_suggestion_lifting_a_block_takes_out_only_the_periods_within_its_dates():
    data = scenario_factory(team={"blocked": [{"start": "2027-04-05", "end": "2027-04-09"}, "2027-04-14"]})
    lift = {"type": "unblock_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-05", "end": "2027-04-09"}
    assert apply_changes(data, [lift])["workplaces"][0]["teams"][0]["blocked"] == ["2027-04-14"]
    assert "blocked" not in apply_changes(data, [{**lift, "end": "2027-04-14"}])["workplaces"][0]["teams"][0]
    with pytest.raises(ChangeError, match="no blocked period"):
        apply_changes(data, [{**lift, "start": "2027-04-06"}])
    with pytest.raises(ChangeError, match="lag-9"):
        apply_changes(data, [{**lift, "team": "lag-9"}])


# ----------------------------------------------------------------------------- command line


def test_cli_explain_json_lists_findings_most_important_first(tmp_path, capsys):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(room_too_small()), encoding="utf-8")
    assert main(["explain", str(path), "--json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    first = report["findings"][0]
    assert first["rule"] == "room_capacity" and first["suggestions"][0]["changes"]
    assert report["language"] == "en" and report["costs"] is None


def test_cli_explain_with_a_schedule_prints_findings_and_costs_in_swedish(tmp_path, capsys):
    data = unqualified_trainers()
    schedule = solve_checked(data, time_limit=3)
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(schedule), encoding="utf-8")
    assert main(["explain", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert "behörigheten SAFE-LIFT" in out and "Målvärde" in out


def test_cli_explain_rejects_a_schedule_of_another_scenario(tmp_path, capsys):
    data = scenario_factory()
    schedule = solve_checked(data, time_limit=3)
    schedule["scenario"] = "other"
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(schedule), encoding="utf-8")
    assert main(["explain", str(tmp_path / "s.json"), str(tmp_path / "p.json")]) == 2
    assert "$.scenario" in capsys.readouterr().err


def test_without_a_schedule_the_conflict_search_runs_on_request():
    data = load_scenario(trainer_and_windows_conflict())
    assert explain(data, None, "en")["findings"] == []
    report = explain(data, None, "en", conflicts=True, time_limit=10)
    assert report["findings"][0]["rule"] == "conflict"
    assert "T1" in report["findings"][0]["entities"]["trainers"]
