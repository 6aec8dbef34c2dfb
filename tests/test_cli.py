"""The ``modulplan`` command line, run as a subprocess: exit codes (0 done, 1 the schedule
breaks a rule, 2 invalid input), error reporting with JSON paths, and the
solve -> validate round trip on the contract's tiny example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import find_examples_dir, repo_root

ROOT = repo_root()
TIMEOUT = 120


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT)


def explain(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


@pytest.fixture(scope="module")
def tiny_path(examples_dir) -> Path:
    return examples_dir / "tiny-scenario.json"


@pytest.fixture(scope="module")
def solved(tmp_path_factory, tiny_path):
    """One `modulplan solve` of the tiny example (with calendars), shared by the tests below."""
    out = tmp_path_factory.mktemp("solve")
    schedule, ics = out / "schedule.json", out / "ics"
    proc = cli("solve", tiny_path, "--out", schedule, "--time-limit", 5, "--workers", 2, "--ics-dir", ics)
    return proc, schedule, ics


# ----------------------------------------------------------------------------- check

def test_check_accepts_the_tiny_example(tiny_path):
    proc = cli("check", tiny_path)
    assert proc.returncode == 0, explain(proc)
    assert "valid" in proc.stdout and "tiny-1" in proc.stdout


def test_check_reports_five_different_errors_with_their_json_paths_and_exits_2(tmp_path, tiny_path):
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    data["workplaces"][0]["teams"][0]["headcount"] = "six"  # wrong type
    data["action_plans"][1]["participants"][1]["team"] = "vard-natt"  # unknown team
    data["workplaces"][0]["teams"][1]["min_staffing"] = 9  # > headcount 6
    data["tracks"][0]["min_group"] = 7  # > max_group 6
    data["timezone"] = "Europe/Atlantis"  # unknown time zone
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("check", bad)
    assert proc.returncode == 2, explain(proc)
    for path in ("$.workplaces[0].teams[0].headcount",
                 "$.action_plans[1].participants[1].team",
                 "$.workplaces[0].teams[1].min_staffing",
                 "$.tracks[0].min_group",
                 "$.timezone"):
        assert path in proc.stderr, explain(proc)
    assert "5 error" in proc.stderr


def _with_team_names(tiny_path: Path, tmp_path: Path) -> Path:
    """The tiny example with a team ``name`` on every team, as other tools write it."""
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    for wp in data["workplaces"]:
        for team in wp["teams"]:
            team["name"] = f"Lag {team['id']}"
    path = tmp_path / "named-teams.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_check_warns_about_a_field_it_does_not_use_and_exits_0(tmp_path, tiny_path):
    proc = cli("check", _with_team_names(tiny_path, tmp_path))
    assert proc.returncode == 0, explain(proc)
    assert "valid" in proc.stdout
    assert "warning(s)" in proc.stderr
    assert ('warning: $.workplaces[0].teams[0].name: team skiftlag-1 has a field "name" that modulplan '
            "does not use; it is ignored") in proc.stderr, explain(proc)
    assert "error" not in proc.stderr


def test_many_warnings_of_one_kind_are_shown_a_few_times_then_counted(tmp_path, tiny_path):
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    team = data["workplaces"][0]["teams"][0]
    data["workplaces"][0]["teams"] = [dict(team, id=f"lag-{n}", name=f"Lag {n}") for n in range(10)]
    path = tmp_path / "ten-named-teams.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("check", path)
    assert "10 warning(s)" in proc.stderr, explain(proc)
    assert proc.stderr.count('has a field "name" that modulplan does not use') == 3
    assert "... and 7 more like these ($.workplaces[*].teams[*].name)" in proc.stderr


def test_check_reports_a_misspelt_field_with_did_you_mean_and_exits_2(tmp_path, tiny_path):
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    team = data["workplaces"][0]["teams"][0]
    team["min_stafing"] = team.pop("min_staffing")
    team["name"] = "Skiftlag A"
    bad = tmp_path / "misspelt.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("check", bad)
    assert proc.returncode == 2, explain(proc)
    assert "$.workplaces[0].teams[0].min_stafing" in proc.stderr
    assert "did you mean 'min_staffing'?" in proc.stderr
    assert "1 error(s)" in proc.stderr and "1 warning(s)" in proc.stderr  # both shown at once


PUBLIC_PROGRAMMES = Path("/work/shared/bench/programmes")


@pytest.mark.parametrize("name", ["M-seed3", "L-seed3"])
def test_the_public_programmes_with_team_names_pass_check(name):
    path = PUBLIC_PROGRAMMES / name / "scenario.json"
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    proc = cli("check", path)
    assert proc.returncode == 0, explain(proc)
    assert "valid modulplan/scenario-1" in proc.stdout
    assert 'has a field "name" that modulplan does not use; it is ignored' in proc.stderr


def test_a_solve_ends_at_once_with_its_output_flushed_and_its_exit_code_kept(tmp_path, tiny_path):
    """After a solve the command leaves without tearing the interpreter down (`program.run`):
    its printed summary still arrives whole through a pipe, the schedule is on disk, and the
    exit code is the command's (0 done, 2 invalid input)."""
    out = tmp_path / "quick.schedule.json"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a plain shell runs it
    proc = subprocess.run([sys.executable, "-m", "scheduler.cli", "solve", str(tiny_path), "--out", str(out),
                           "--time-limit", "2", "--workers", "1", "--quiet"], cwd=ROOT, env=buffered,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.startswith("scenario ") and proc.stdout.rstrip().endswith(f"wrote {out}")
    assert json.loads(out.read_text(encoding="utf-8"))["sessions"]
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    proc = cli("solve", bad, "--out", tmp_path / "never.json")
    assert proc.returncode == 2, explain(proc)
    assert "error(s)" in proc.stderr and not (tmp_path / "never.json").exists()


def test_solve_and_validate_warn_and_go_on(tmp_path, tiny_path, solved):
    named = _with_team_names(tiny_path, tmp_path)
    out = tmp_path / "named.schedule.json"
    proc = cli("solve", named, "--out", out, "--time-limit", 2, "--workers", 1, "--quiet")
    assert proc.returncode == 0, explain(proc)
    assert "$.workplaces[0].teams[0].name" in proc.stderr and out.exists()
    doc = json.loads(solved[1].read_text(encoding="utf-8"))
    doc["solver_host"] = "build-7"  # a schedule field of another tool
    sched = tmp_path / "extra.schedule.json"
    sched.write_text(json.dumps(doc), encoding="utf-8")
    proc = cli("validate", named, sched)
    assert proc.returncode == 0, explain(proc)
    assert "$.workplaces[0].teams[0].name" in proc.stderr
    assert 'the schedule has a field "solver_host" that modulplan does not use' in proc.stderr


@pytest.mark.parametrize("command", ["check", "solve", "validate"])
def test_invalid_json_file_exits_2(tmp_path, tiny_path, command):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "modulplan/scenario-1", "id": ', encoding="utf-8")
    args = {"check": [broken], "solve": [broken, "--out", tmp_path / "s.json", "--time-limit", 1],
            "validate": [tiny_path, broken]}[command]
    proc = cli(command, *args)
    assert proc.returncode == 2, explain(proc)
    assert "not valid JSON" in proc.stderr


@pytest.mark.parametrize("command", ["check", "solve", "validate"])
def test_a_file_that_is_not_there_is_named_in_a_plain_message_and_exits_2(tmp_path, tiny_path, command):
    missing = tmp_path / "not-there.json"
    args = {"check": [missing], "solve": [missing, "--out", tmp_path / "s.json", "--time-limit", 1],
            "validate": [tiny_path, missing]}[command]
    proc = cli(command, *args)
    assert proc.returncode == 2, explain(proc)
    assert f"cannot use {missing}: No such file or directory" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


# ----------------------------------------------------------------------------- solve and validate

def test_solve_writes_a_schedule_and_reports_constructive_final_and_bound(solved):
    proc, schedule, _ = solved
    assert proc.returncode == 0, explain(proc)
    assert schedule.exists()
    out = proc.stdout.lower()
    for needle in ("constructive", "final objective", "lower bound"):
        assert needle in out, explain(proc)
    doc = json.loads(schedule.read_text(encoding="utf-8"))
    assert doc["format"] == "modulplan/schedule-1" and doc["scenario"] == "tiny-1"
    assert doc["kpis"]["sessions_scheduled"] == doc["kpis"]["sessions_total"] == 6


def test_validate_accepts_the_solved_schedule(solved, tiny_path):
    _, schedule, _ = solved
    proc = cli("validate", tiny_path, schedule)
    assert proc.returncode == 0, explain(proc)
    assert "OK" in proc.stdout


def test_solve_with_ics_dir_writes_calendars(solved):
    proc, _, ics = solved
    assert proc.returncode == 0, explain(proc)
    files = sorted(ics.glob("*.ics"))
    assert files, explain(proc)
    assert all(f.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR") for f in files)
    assert any("BEGIN:VEVENT" in f.read_text(encoding="utf-8") for f in files)


def test_validate_rejects_a_hand_broken_schedule_with_exit_1(solved, tiny_path, tmp_path):
    _, schedule, _ = solved
    doc = json.loads(schedule.read_text(encoding="utf-8"))
    doc["sessions"][0]["trainer"] = "T-NOBODY"  # rule 3: a trainer who does not exist
    broken = tmp_path / "broken-schedule.json"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    proc = cli("validate", tiny_path, broken)
    assert proc.returncode == 1, explain(proc)
    assert "rule 3" in proc.stdout and "T-NOBODY" in proc.stdout


def test_validate_accepts_the_contracts_hand_checked_schedule(tiny_path):
    proc = cli("validate", tiny_path, find_examples_dir() / "tiny-schedule.json")
    assert proc.returncode == 0, explain(proc)


def test_solve_rejects_an_invalid_scenario_with_exit_2_and_writes_nothing(tmp_path, tiny_path):
    data = json.loads(tiny_path.read_text(encoding="utf-8"))
    data["tracks"][0]["min_group"] = 7
    bad, out = tmp_path / "bad.json", tmp_path / "out.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("solve", bad, "--out", out, "--time-limit", 1)
    assert proc.returncode == 2, explain(proc)
    assert "$.tracks[0].min_group" in proc.stderr
    assert not out.exists()


def test_console_script_is_installed(tiny_path):
    script = Path(sys.executable).parent / "modulplan"
    if not script.exists():
        pytest.skip("no modulplan console script next to this interpreter")
    proc = subprocess.run([str(script), "check", str(tiny_path)], capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, explain(proc)
