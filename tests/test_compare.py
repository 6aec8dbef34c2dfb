"""Comparing schedules side by side (scheduler/compare.py, `modulplan compare`)."""

from __future__ import annotations

import json

import pytest

from scheduler.cli import main
from scheduler.solve.replan import diff_sessions
from scheduler.validate import BREAKDOWN_TERMS, validate
from scheduler.whatif.compare import compare, render_text
from scheduler.whatif.variants import make_variant
from tests.whatif_scenarios import FREEZE, away_changes, programme, solve

KPIS = ("objective", "objective_breakdown", "sessions_total", "sessions_scheduled", "unscheduled",
        "participants_unassigned", "backfill_hours", "overtime_hours", "travel_minutes", "late_days",
        "trainer_changes", "trainer_hours", "completion")


@pytest.fixture(scope="module")
def three() -> list[tuple[dict, dict, str]]:
    """The programme's schedule and two re-planned variants: T1 away, overtime cheaper."""
    base = programme()
    base_schedule = solve(base)
    away = make_variant(base, away_changes())
    cheap = make_variant(base, [{"type": "weights", "weights": {"overtime_per_hour": 100}}])
    return [(base, base_schedule, "base"),
            (away, solve(away, baseline=base_schedule, freeze_until=FREEZE), "away"),
            (cheap, solve(cheap, baseline=base_schedule), "cheap-overtime")]


@pytest.fixture(scope="module")
def result(three) -> dict:
    return compare(three)


def test_every_kpi_is_there_for_every_schedule(result):
    assert len(result["schedules"]) == 3
    for row in result["schedules"]:
        assert set(KPIS) <= set(row)
        assert set(BREAKDOWN_TERMS) <= set(row["objective_breakdown"])


def test_the_numbers_are_the_validators(three, result):
    for (scenario, schedule, _), row in zip(three, result["schedules"]):
        k = validate(scenario, schedule).kpis
        assert row["objective"] == k["objective"]
        assert row["objective_breakdown"] == k["objective_breakdown"]
        assert (row["backfill_hours"], row["overtime_hours"], row["unscheduled"]) == (
            k["backfill_hours"], k["overtime_hours"], k["sessions_unscheduled"])


def test_the_validators_numbers_agree_with_what_each_schedule_claims(three, result):
    for (_, schedule, _), row in zip(three, result["schedules"]):
        assert row["claims_agree"] and row["valid"], row["violations"]
        assert row["objective"] == pytest.approx(schedule["objective"], abs=0.5)
        for term, value in schedule["kpis"]["objective_breakdown"].items():
            assert row["objective_breakdown"][term] == pytest.approx(value, abs=0.5)


def test_re_plans_show_their_move_cost(result):
    assert [("move_session" in r["objective_breakdown"]) for r in result["schedules"]] == [False, True, True]


def test_trainer_hours_add_up_to_the_scheduled_session_hours(three, result):
    for (_, schedule, _), row in zip(three, result["schedules"]):
        assert sum(row["trainer_hours"].values()) == pytest.approx(3 * len(schedule["sessions"]))


def test_every_action_plan_has_a_completion_date_within_its_window(three, result):
    plans = {p["id"]: p for p in three[0][0]["action_plans"]}
    for row in result["schedules"]:
        assert set(row["completion"]) == set(plans)
        assert all(plans[p]["earliest"] <= d <= plans[p]["deadline"] for p, d in row["completion"].items())


def test_differences_are_taken_against_the_first_schedule(three, result):
    assert [(d["from"], d["to"]) for d in result["differences"]] == [("base", "away"), ("base", "cheap-overtime")]
    for (_, schedule, _), d in zip(three[1:], result["differences"]):
        assert {k: d[k] for k in ("moved", "added", "cancelled")} == diff_sessions(three[0][1], schedule)


def test_the_text_table_has_a_row_per_kpi_and_a_column_per_schedule(result):
    text = render_text(result)
    for row in ("objective", "move_session", "backfill hours", "overtime hours", "unscheduled",
                "trainer hours T1", "completed HP1", "valid (validator)"):
        assert row in text
    assert "away against base" in text


def test_the_command_line_compares_variants_under_their_own_scenarios(three, tmp_path, capsys):
    files = []
    for scenario, schedule, label in three:
        (tmp_path / f"{label}.json").write_text(json.dumps(scenario), encoding="utf-8")
        (tmp_path / f"{label}.schedule.json").write_text(json.dumps(schedule), encoding="utf-8")
        files += [str(tmp_path / f"{label}.json"), str(tmp_path / f"{label}.schedule.json")]
    assert main(["compare", *files, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["objective"] for r in out["schedules"]] == [validate(sc, s).kpis["objective"] for sc, s, _ in three]


def test_the_command_line_needs_a_scenario_before_a_schedule(three, tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(three[0][1]), encoding="utf-8")
    assert main(["compare", str(path)]) == 2
    assert "needs a scenario" in capsys.readouterr().err
