"""scenarios/generate.py: the builders reproduce the committed example scenarios byte for byte,
and the witness (the project's constructive schedule, checked by the independent validator)
proves a scenario feasible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios import generate

SCENARIOS_DIR = Path(generate.__file__).resolve().parent


@pytest.mark.parametrize("fname", sorted(generate.SCENARIOS))
def test_builder_reproduces_the_committed_file_byte_for_byte(fname):
    built = generate.dump(generate.SCENARIOS[fname]())
    assert built == (SCENARIOS_DIR / fname).read_text(encoding="utf-8")


def test_builders_are_deterministic():
    build = generate.SCENARIOS["learning_centre_network.json"]
    assert build() == build()


def test_witness_proves_the_industrial_plant_feasible():
    scn = json.loads((SCENARIOS_DIR / "industrial_plant_5shift.json").read_text(encoding="utf-8"))
    w = generate.witness(scn)
    assert w.unscheduled == 0
    assert w.unassigned == 0
    assert w.report.ok, [str(v) for v in w.report.violations]
    assert w.proves_feasible
    assert w.schedule["kpis"]["sessions_scheduled"] == 136


def test_check_prints_the_figures_and_finds_no_problem() -> None:
    scn = json.loads((SCENARIOS_DIR / "learning_centre_network.json").read_text(encoding="utf-8"))
    lines: list[str] = []
    figures = generate.check(scn, out=lines.append)
    assert (figures["persons"], figures["entries"], figures["sessions"], figures["problems"]) == (219, 219, 111, 0)
    assert figures["cohorts"] > 0
    text = "\n".join(lines)
    assert "219 persons" in text
    assert "ALL" in text  # the trainer load table ends with the total


def test_command_writes_the_witness_schedule(tmp_path, capsys):
    rc = generate.main(["--check", "--only", "industrial_plant_5shift.json", "--witness-out", str(tmp_path)])
    assert rc == 0
    written = json.loads((tmp_path / "industrial_plant_5shift.witness-schedule.json").read_text(encoding="utf-8"))
    assert written["format"] == "modulplan/schedule-1"
    assert written["unscheduled"] == []
    assert "0 unscheduled" in capsys.readouterr().out
