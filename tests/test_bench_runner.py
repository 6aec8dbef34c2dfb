"""benchmarks/run.py, the engine against first-fit: one tiny programme end to end (3 s limit),
and the validator's verdict deciding the exit status."""

from __future__ import annotations

import argparse
import copy
import csv
import importlib.util
import json
import subprocess
import sys

import pytest

from tests.conftest import repo_root

RUNNER = repo_root() / "benchmarks" / "run.py"
COLUMNS = ["programme", "participants", "sessions", "first-fit", "engine first-fit", "limit s", "objective",
           "unscheduled", "ratio", "gap", "peak MB", "wall s", "validator"]


def _runner():
    spec = importlib.util.spec_from_file_location("bench_run", RUNNER)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclass looks itself up there
    spec.loader.exec_module(mod)
    return mod


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_tiny_programme_table(examples_dir, tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--scenario", str(examples_dir / "tiny-scenario.json"),
         "--reference", str(examples_dir / "tiny-schedule.json"), "--time-limit", "3", "--workers", "1",
         "--out-dir", str(out)],
        cwd=repo_root(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("| programme ") and "validator" in line]
    assert headers, proc.stdout
    head = _cells(lines[headers[-1]])  # the whole table at the end
    assert head == COLUMNS
    row = dict(zip(head, _cells(lines[headers[-1] + 2])))
    assert row["programme"] == "tiny-scenario"
    assert row["first-fit"] == "29 630"  # the hand-checked objective of tiny-schedule.json
    assert row["limit s"] == "3"
    assert row["validator"] == "ok"
    assert row["unscheduled"].endswith("of 6")
    assert 0 < float(row["ratio"]) < 2
    assert float(row["wall s"]) < 30 and float(row["peak MB"]) > 0
    # the row was also printed as soon as its solve ended, before the whole table
    assert any(line.startswith("| tiny-scenario ") for line in lines[:headers[-1]])
    assert "Load average at the start" in (out / "engine.md").read_text()
    with (out / "engine.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 and rows[0]["valid"] == "True" and float(rows[0]["objective"]) > 0
    assert rows[0]["engine_firstfit_objective"] != ""  # modulplan's own first-fit beside the reference


def test_rejected_schedule_fails_the_run(examples_dir, tmp_path, monkeypatch, capsys):
    """A schedule the validator rejects is marked in the table and makes the exit status 1."""
    run = _runner()
    broken = json.loads((examples_dir / "tiny-schedule.json").read_text())
    broken = copy.deepcopy(broken)
    broken["sessions"] = broken["sessions"][1:]  # a session missing: completeness (and the KPIs)

    def fake_solve(prog, limit, workers, out_path, every):
        out_path.write_text(json.dumps(broken))
        return 0, 10.0, 0.1, []

    monkeypatch.setattr(run, "solve_child", fake_solve)
    prog = run.Programme("tiny", "file", examples_dir / "tiny-scenario.json", examples_dir / "tiny-schedule.json",
                         "reference")
    a = argparse.Namespace(time_limit=[3.0], workers=1, no_engine_first_fit=True, progress_every=15.0,
                           argv_shown=[])
    info = {"nproc": 2, "cpu": "?", "memory": "?", "kernel": "?", "python": "?", "ortools": "?", "commit": "?"}
    assert run.run_engine(a, [prog], tmp_path, tmp_path, info) == 1
    printed = capsys.readouterr().out
    assert "REJECTED" in printed
    assert "REJECTED" in (tmp_path / "engine.md").read_text()


@pytest.mark.parametrize("team_field", ["name"])
def test_unknown_team_fields_stripped_only_when_refused(examples_dir, team_field):
    run = _runner()
    data = json.loads((examples_dir / "tiny-scenario.json").read_text())
    data["workplaces"][0]["teams"][0][team_field] = "Skiftlag 1"
    data["workplaces"][0]["teams"][0]["x-note"] = "kept"
    stripped, removed = run._strip_unknown_team_fields(data)
    assert removed == {team_field}
    assert team_field not in stripped["workplaces"][0]["teams"][0]
    assert stripped["workplaces"][0]["teams"][0]["x-note"] == "kept"
    assert team_field in data["workplaces"][0]["teams"][0]  # the original is left alone


def test_planted_programmes_are_written_as_files(examples_dir, tmp_path, monkeypatch):
    """planted(size, seed, family) -> (scenario, witness) becomes a programme with its witness."""
    import types

    run = _runner()
    scenario = json.loads((examples_dir / "tiny-scenario.json").read_text())
    witness = json.loads((examples_dir / "tiny-schedule.json").read_text())
    calls = []

    def planted(size, seed, family="mixed"):
        calls.append((size, seed, family))
        if family == "care":
            raise ValueError("no care today")
        return copy.deepcopy(scenario), copy.deepcopy(witness)

    monkeypatch.setitem(sys.modules, "planted", types.SimpleNamespace(planted=planted))
    progs = run.planted_programmes(["S"], ["mixed", "care"], [1, 2], tmp_path)
    assert [p.name for p in progs] == ["planted-mixed-S-seed1", "planted-mixed-S-seed2", "planted-care-S-seed1",
                                       "planted-care-S-seed2"]
    assert calls == []  # each is generated just before it is solved
    progs[1].make()
    assert calls == [("S", 2, "mixed")]
    assert json.loads(progs[1].reference.read_text())["objective"] == witness["objective"]
    assert json.loads(progs[1].scenario.read_text())["id"] == scenario["id"]
    with pytest.raises(ValueError):
        progs[2].make()


def test_a_programme_that_cannot_be_made_is_a_row_and_fails_the_run(tmp_path, capsys):
    run = _runner()
    prog = run.Programme("broken", "planted", tmp_path / "x.json", tmp_path / "x.witness.json", "witness")

    def make():
        raise RuntimeError("no witness")

    prog.make = make
    a = argparse.Namespace(time_limit=[3.0], workers=1, no_engine_first_fit=True, progress_every=15.0,
                           argv_shown=[])
    info = {"nproc": 2, "cpu": "?", "memory": "?", "kernel": "?", "python": "?", "ortools": "?", "commit": "?"}
    assert run.run_engine(a, [prog], tmp_path, tmp_path, info) == 1
    assert "not loaded (RuntimeError)" in capsys.readouterr().out
    assert "no witness" in (tmp_path / "engine.md").read_text()


def _permute():
    spec = importlib.util.spec_from_file_location("bench_permute", repo_root() / "benchmarks" / "permute.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_a_variant_is_the_same_programme_under_other_names_with_its_reference_still_valid(
        tiny_example_scenario, tiny_example_schedule):
    from scheduler.validate import validate

    new, ref = _permute().variant(tiny_example_scenario, tiny_example_schedule, seed=3)
    old_ids = {p["id"] for p in tiny_example_scenario["action_plans"]} | {t["id"] for t in tiny_example_scenario["trainers"]}
    text = json.dumps(new)
    assert not any(f'"{i}"' in text for i in old_ids)  # every plan and trainer renamed
    assert len(new["action_plans"]) == len(tiny_example_scenario["action_plans"])
    before, after = validate(tiny_example_scenario, tiny_example_schedule), validate(new, ref)
    assert before.ok and after.ok, after.violations
    assert after.kpis["objective_breakdown"] == before.kpis["objective_breakdown"]


def test_a_tiled_programme_holds_every_copy_under_its_own_names_and_their_joined_references_stay_valid(
        tiny_example_scenario, tiny_example_schedule):
    """Three copies side by side: three times the plans, people, trainers and rooms, no id
    shared by two copies, the sites once; the joined reference breaks no rule and costs three
    times what one copy costs (every person, trainer and room in it is one copy's)."""
    from scheduler.validate import validate

    new, ref = _permute().tiled(tiny_example_scenario, tiny_example_schedule, 3)
    for key in ("action_plans", "trainers", "rooms", "workplaces"):
        ids = [x["id"] for x in new[key]]
        assert len(ids) == 3 * len(tiny_example_scenario[key]) == len(set(ids))
    assert new["sites"] == tiny_example_scenario["sites"]
    assert len(ref["sessions"]) == 3 * len(tiny_example_schedule["sessions"])
    report, alone = validate(new, ref), validate(tiny_example_scenario, tiny_example_schedule)
    assert report.ok, report.violations
    assert ref["objective"] == report.kpis["objective"] == 3 * alone.kpis["objective"]


def test_a_sampled_programme_keeps_a_share_of_the_workplaces_with_the_reference_cut_alike(
        tiny_example_scenario, tiny_example_schedule):
    """Half of two workplaces: one stays, with its plans and the reference's cohorts inside it;
    lean, only the trainers and rooms that cohort's sessions use stay; the cut reference breaks
    no rule and costs what those cohorts cost."""
    from scheduler.validate import validate

    new, ref = _permute().sampled(tiny_example_scenario, tiny_example_schedule, 0.5, seed=1, lean=True)
    (place,) = [w["id"] for w in new["workplaces"]]
    assert {p["workplace"] for p in new["action_plans"]} == {place}
    assert all(c["workplaces"] == [place] for c in ref["cohorts"]) and ref["cohorts"]
    assert {t["id"] for t in new["trainers"]} == {s["trainer"] for s in ref["sessions"]}
    assert {r["id"] for r in new["rooms"]} == {s["room"] for s in ref["sessions"] if s["room"]}
    report = validate(new, ref)
    assert report.ok, report.violations
    assert 0 < ref["objective"] == report.kpis["objective"] < validate(
        tiny_example_scenario, tiny_example_schedule).kpis["objective"]


def test_a_sample_of_a_public_programme_is_a_valid_programme_with_its_reference_cut_alike():
    """A third of L-seed3's workplaces, three seeds: every plan left has people, each of them in
    one of the cut reference's cohorts, and the cut reference breaks no rule."""
    from scheduler.validate import validate

    folder = repo_root().parent / "shared" / "bench" / "programmes" / "L-seed3"
    if not (folder / "scenario.json").is_file():
        pytest.skip(f"{folder} is not on this machine")
    scenario = json.loads((folder / "scenario.json").read_text())
    reference = json.loads((folder / "first-fit.json").read_text())
    for seed in (1, 2, 3):
        new, ref = _permute().sampled(scenario, reference, 0.3, seed)
        report = validate(new, ref)
        assert report.ok, report.violations[:3]
        assert len(new["workplaces"]) == round(0.3 * len(scenario["workplaces"]))
        assert all(p["participants"] for p in new["action_plans"])
        people = sum(q.get("count", 1) for p in new["action_plans"] for q in p["participants"])
        assert people == sum(len(c["participants"]) for c in ref["cohorts"]) > 0


def test_a_plan_whose_cohort_reaches_a_workplace_that_went_keeps_its_other_people_by_name(
        tiny_example_scenario, tiny_example_schedule):
    """The tiny plan of four counted people in two cohorts, one of them (as if mixed) reaching
    the other workplace: when that workplace goes, the cohort goes with its people, and the
    plan keeps the other two by their expanded ids (each counted entry is cut in part)."""
    schedule = copy.deepcopy(tiny_example_schedule)
    (sak,) = [c for c in schedule["cohorts"] if c["id"] == "C-SAK-1"]
    kept, gone = sak["participants"][::2], sak["participants"][1::2]  # one of each team's two
    schedule["cohorts"].append({**sak, "id": "C-SAK-2", "workplaces": ["W-BRUK", "W-VARD"], "participants": gone})
    sak["participants"] = kept
    for seed in range(1, 50):  # the seed that keeps W-BRUK alone
        new, ref = _permute().sampled(tiny_example_scenario, schedule, 0.5, seed)
        if [w["id"] for w in new["workplaces"]] == ["W-BRUK"]:
            break
    (plan,) = new["action_plans"]
    assert [q["id"] for q in plan["participants"]] == kept
    assert all("count" not in q and q["team"] for q in plan["participants"])
    assert [c["id"] for c in ref["cohorts"]] == ["C-SAK-1"]


def test_the_benchmark_tiles_public_programmes_to_larger_sizes_with_their_joined_reference(
        tiny_example_scenario, tiny_example_schedule, tmp_path, monkeypatch):
    """`--programmes tiled`: per size, the public programmes named in TILES, copied side by
    side; each is built when its turn comes, its reference valid and three times the cost."""
    from scheduler.validate import validate

    run = _runner()
    monkeypatch.syspath_prepend(str(repo_root() / "benchmarks"))
    public = tmp_path / "public" / "tiny"
    public.mkdir(parents=True)
    (public / "scenario.json").write_text(json.dumps(tiny_example_scenario))
    (public / "first-fit.json").write_text(json.dumps(tiny_example_schedule))
    monkeypatch.setattr(run, "TILES", {"L": [("tiny", 3)], "XL": [("missing", 8)]})
    (prog,) = run.tiled_programmes(tmp_path / "public", ["M", "L"], tmp_path)
    assert (prog.name, prog.source, prog.reference_label) == ("tiny-x3", "tiled", "first-fit")
    prog.make()
    scenario, reference = json.loads(prog.scenario.read_text()), json.loads(prog.reference.read_text())
    assert len(scenario["action_plans"]) == 3 * len(tiny_example_scenario["action_plans"])
    assert validate(scenario, reference).ok
    assert reference["objective"] == 3 * validate(tiny_example_scenario, tiny_example_schedule).kpis["objective"]
    assert run.tiled_programmes(tmp_path / "public", ["XL"], tmp_path) == []  # no such public programme
