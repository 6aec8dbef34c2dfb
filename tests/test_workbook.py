"""The action-plan workbook: template, import with every error at once, round trips."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.format import ScenarioInvalid, load_scenario
from scheduler.io.workbook import (
    SHEETS,
    example_scenario,
    read_workbook,
    read_workbook_with_warnings,
    template_workbook,
    write_workbook,
)
from tests.conftest import repo_root
from tests.scenario_factory import solve_checked

SCENARIOS = sorted((repo_root() / "scenarios").glob("*.json"))
LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_LIBREOFFICE = ("LibreOffice is not installed (Debian package libreoffice-calc-nogui: "
                  "apt-get install -y libreoffice-calc-nogui)")


def open_template():
    return load_workbook(io.BytesIO(template_workbook()))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def set_cell(wb, sheet: str, row: int, header: str, value) -> None:
    ws = wb[sheet]
    ws.cell(row, column(ws, header)).value = value


def errors_of(body: bytes) -> list:
    with pytest.raises(ScenarioInvalid) as info:
        read_workbook(body)
    return info.value.errors


def libreoffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert a file with LibreOffice headless (its own profile, so parallel runs do not clash)."""
    profile = outdir / "lo-profile"
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=120)
    return outdir / (src.stem + "." + fmt.split(":")[0])


# ------------------------------------------------------------------ template and round trips


def test_template_holds_the_example_scenario():
    assert read_workbook(template_workbook()) == load_scenario(example_scenario())


def test_template_has_one_sheet_per_entity_with_swedish_headers():
    wb = open_template()
    for name in ("Arbetsplatser", "Lag", "Skiftscheman", "Deltagare", "Utbildningsspår", "Moduler", "Utbildare",
                 "Lokaler", "Tolkar", "Handlingsplaner", "Kalender"):
        assert name in wb.sheetnames
    assert [c.value for c in wb["Deltagare"][1]] == ["Handlingsplan", "Id", "Lag", "Antal", "Språk"]
    assert wb["Deltagare"].max_row > 1  # the filled example


def test_id_and_fixed_value_columns_have_drop_down_lists():
    wb = open_template()
    lag = wb["Deltagare"].data_validations.dataValidation
    assert any("'Lag'!$B$2" in (dv.formula1 or "") and "C2" in str(dv.sqref) for dv in lag)
    plans = wb["Handlingsplaner"].data_validations.dataValidation
    assert any(dv.formula1 == '"ja,nej"' for dv in plans)
    modules = wb["Moduler"].data_validations.dataValidation
    assert any("distans" in (dv.formula1 or "") for dv in modules)


@pytest.mark.parametrize("path", [*SCENARIOS, repo_root() / "tests" / "data" / "foreign-scenario.json"],
                         ids=lambda p: p.stem)
def test_json_to_workbook_to_json_gives_the_same_scenario(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert read_workbook(write_workbook(data)) == load_scenario(data)


def test_the_contract_example_survives_the_round_trip(tiny_example_scenario):
    assert read_workbook(write_workbook(tiny_example_scenario)) == load_scenario(tiny_example_scenario)


def test_never_available_and_no_holidays_survive_the_round_trip(tiny_example_scenario):
    data = copy.deepcopy(tiny_example_scenario)
    data["trainers"][1]["available"] = []
    data["calendar"]["holidays"] = None
    back = read_workbook(write_workbook(data))
    assert back["trainers"][1]["available"] == []
    assert back["trainers"][0]["available"] is not None
    assert back["calendar"]["holidays"] is None


def test_a_teams_blocked_periods_survive_the_round_trip(tiny_example_scenario):
    data = copy.deepcopy(tiny_example_scenario)
    team = data["workplaces"][0]["teams"][0]
    team["blocked"] = [{"start": "2027-04-12", "end": "2027-04-16", "reason": "inventering"}, "2027-04-20",
                       {"start": "2027-04-21T06:00", "end": "2027-04-21T14:00"}]
    wb = load_workbook(io.BytesIO(write_workbook(data)))
    assert [c.value for c in wb["Spärrade perioder"][1]] == ["Arbetsplats", "Lag", "Från", "Till", "Anledning"]
    assert wb["Spärrade perioder"].max_row == 4
    back = read_workbook(saved(wb))
    assert back == load_scenario(data)
    assert back["workplaces"][0]["teams"][0]["blocked"] == [
        {"start": "2027-04-12", "end": "2027-04-16", "reason": "inventering"},
        {"start": "2027-04-20", "end": "2027-04-20", "reason": ""},
        {"start": "2027-04-21T06:00", "end": "2027-04-21T14:00", "reason": ""}]
    assert [t for w in back["workplaces"] for t in w["teams"] if "blocked" in t] == [back["workplaces"][0]["teams"][0]]


def test_the_template_shows_a_blocked_period():
    wb = open_template()
    rows = list(wb["Spärrade perioder"].iter_rows(min_row=2, values_only=True))
    assert [r[:2] + r[4:] for r in rows] == [("W-BRUK", "skiftlag-2", "inventering")]


def test_english_sheet_names_and_headers_are_accepted():
    wb = open_template()
    ws = wb["Deltagare"]
    ws.title = "Participants"
    for cell, header in zip(ws[1], ["action_plan", "id", "team", "count", "language"]):
        cell.value = header
    assert read_workbook(saved(wb)) == load_scenario(example_scenario())


def test_spreadsheet_spellings_are_read():
    wb = open_template()
    set_cell(wb, "Skifttyper", 2, "Början", "6.00")  # Swedish time with a dot
    set_cell(wb, "Lag", 2, "Antal per skift", "6")  # a number typed as text
    set_cell(wb, "Handlingsplaner", 3, "På arbetstid", "Ja")
    set_cell(wb, "Moduler", 3, "Plats", "any")  # English value
    set_cell(wb, "Handlingsplaner", 2, "Tidigast", "2026-03-02")  # ISO date as text
    assert read_workbook(saved(wb)) == load_scenario(example_scenario())


def test_comment_columns_are_ignored():
    wb = open_template()
    wb["Lag"].cell(1, 10).value = "# anteckning"
    wb["Lag"].cell(2, 10).value = "ring Anna"
    assert read_workbook(saved(wb)) == load_scenario(example_scenario())


# ------------------------------------------------------------------ typical mistakes, every one reported


def _merge_sites(wb):
    wb["Arbetsplatser"].merge_cells("C2:C3")


def _clear_sheet(wb):
    ws = wb["Utbildningsspår"]
    ws.delete_rows(1, ws.max_row)


def _misspelt_header(wb):
    wb["Moduler"].cell(1, 10).value = "Lokalkraav"


def _unknown_trainer(wb):
    wb["Ej tillgänglig"].append(["utbildare", "T-NOBODY", "2026-03-03", "2026-03-04"])


def _blocked_row(row: int, *values):
    def edit(wb):
        for j, value in enumerate(values, start=1):
            wb["Spärrade perioder"].cell(row, j).value = value
    return edit


MISTAKES = {
    "missing id": (lambda wb: set_cell(wb, "Lokaler", 2, "Id", None),
                   "sheet 'Lokaler', row 2, column 'Id'", "is required"),
    "unknown team": (lambda wb: set_cell(wb, "Deltagare", 5, "Lag", "nattlaget"),
                     "sheet 'Deltagare', row 5, column 'Lag'", "nattlaget"),
    "text in a number column": (lambda wb: set_cell(wb, "Lag", 2, "Antal per skift", "sex"),
                                "sheet 'Lag', row 2, column 'Antal per skift'", "whole number"),
    "merged cells": (_merge_sites, "sheet 'Arbetsplatser', row 2", "C2:C3 are merged"),
    "an empty sheet": (_clear_sheet, "sheet 'Utbildningsspår'", "is empty"),
    "a date as text in Swedish format": (lambda wb: set_cell(wb, "Handlingsplaner", 2, "Tidigast", "2/3 2026"),
                                         "sheet 'Handlingsplaner', row 2, column 'Tidigast'", "2026-03-02"),
    "a long Swedish date": (lambda wb: set_cell(wb, "Handlingsplaner", 3, "Senast", "30 april 2026"),
                            "sheet 'Handlingsplaner', row 3, column 'Senast'", "2026-04-30"),
    "a misspelt column": (_misspelt_header, "sheet 'Moduler', row 1, column 'Lokalkraav'",
                          "not a column of this sheet; did you mean 'Lokalkrav'?"),
    "an unknown place of a module": (lambda wb: set_cell(wb, "Moduler", 3, "Plats", "hemma"),
                                     "sheet 'Moduler', row 3, column 'Plats'", "distans"),
    "neither yes nor no": (lambda wb: set_cell(wb, "Handlingsplaner", 3, "Utanför arbetstid", "kanske"),
                           "sheet 'Handlingsplaner', row 3, column 'Utanför arbetstid'", "ja or nej"),
    "min staffing above headcount": (lambda wb: set_cell(wb, "Lag", 4, "Minimibemanning", 9),
                                     "sheet 'Lag', row 4, column 'Minimibemanning'", "larger than headcount"),
    "an id used twice": (lambda wb: set_cell(wb, "Utbildare", 3, "Id", "T-ERIK"),
                         "sheet 'Utbildare', row 3, column 'Id'", "used twice"),
    "an hour that does not exist": (lambda wb: set_cell(wb, "Skifttyper", 2, "Början", "25:00"),
                                    "sheet 'Skifttyper', row 2, column 'Början'", "HH:MM"),
    "a blocked period's date as text in Swedish format": (
        lambda wb: set_cell(wb, "Spärrade perioder", 2, "Från", "16/3 2026"),
        "sheet 'Spärrade perioder', row 2, column 'Från'", "2026-03-16"),
    "a blocked period ending before it starts": (
        _blocked_row(4, "W-BRUK", "skiftlag-1", "2026-03-20", "2026-03-13"),
        "sheet 'Spärrade perioder', row 4, column 'Till'", "before its start"),
    "a blocked period of a team of another workplace": (
        _blocked_row(3, "W-VARD", "skiftlag-1", "2026-03-03", "2026-03-04"),
        "sheet 'Spärrade perioder', row 3, column 'Lag'",
        "skiftlag-1 is not a team of W-VARD in sheet 'Lag'"),
    "busy times of an unknown trainer": (_unknown_trainer, "sheet 'Ej tillgänglig', row 4, column 'Id'",
                                         "T-NOBODY is not in sheet 'Utbildare'"),
}


def _reported(errors, place: str, fragment: str) -> bool:
    return any(e.path == place and fragment in e.message for e in errors)


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_typical_mistake_is_reported_at_its_sheet_row_and_column(mistake):
    edit, place, fragment = MISTAKES[mistake]
    wb = open_template()
    edit(wb)
    errors = errors_of(saved(wb))
    assert _reported(errors, place, fragment), [str(e) for e in errors]


def test_a_workbook_with_a_dozen_mistakes_reports_every_one_at_once():
    wb = open_template()
    for edit, _, _ in MISTAKES.values():
        edit(wb)
    errors = errors_of(saved(wb))
    missed = [name for name, (_, place, fragment) in MISTAKES.items() if not _reported(errors, place, fragment)]
    assert not missed, [str(e) for e in errors]


def test_a_cell_with_a_spreadsheet_error_is_reported_once():
    wb = open_template()
    set_cell(wb, "Handlingsplaner", 2, "Tidigast", "2/3 2026")
    errors = errors_of(saved(wb))
    assert [e.path for e in errors].count("sheet 'Handlingsplaner', row 2, column 'Tidigast'") == 1


def test_a_missing_needed_sheet_is_reported():
    wb = open_template()
    del wb["Moduler"]
    assert any(e.path == "sheet 'Moduler'" and "is missing" in e.message for e in errors_of(saved(wb)))


def test_a_file_that_is_not_a_workbook_is_an_error_not_a_crash():
    errors = errors_of(b"this is not a spreadsheet")
    assert errors[0].path == "workbook" and ".xlsx" in errors[0].message


# ------------------------------------------------------------------ edited by hand, and solved


def test_a_hand_edited_workbook_imports_and_solves_like_the_original():
    wb = load_workbook(io.BytesIO(write_workbook(example_scenario())))
    set_cell(wb, "Lag", 4, "Antal per skift", 9)  # one more carer on each shift
    wb["Deltagare"].append(["HP-VARD-1", "v-104", "vard-dag", None, None])  # a new participant
    scenario = read_workbook(saved(wb))
    assert scenario["workplaces"][1]["teams"][0]["headcount"] == 9
    assert {"id": "v-104", "team": "vard-dag", "language": None} in scenario["action_plans"][1]["participants"]
    schedule = solve_checked(scenario, time_limit=3)
    assert not schedule["unscheduled"] and not schedule["unassigned_participants"]
    assert any("v-104" in c["participants"] for c in schedule["cohorts"])


@pytest.mark.skipif(LIBREOFFICE is None, reason=NO_LIBREOFFICE)
def test_a_workbook_saved_again_by_libreoffice_reads_back_the_same_and_solves(tmp_path):
    src = tmp_path / "handlingsplaner.xlsx"
    src.write_bytes(template_workbook())
    outdir = tmp_path / "lo"
    converted = libreoffice_convert(src, "xlsx:Calc MS Excel 2007 XML", outdir)
    scenario = read_workbook(converted)
    assert scenario == load_scenario(example_scenario())
    schedule = solve_checked(scenario, time_limit=3)
    assert not schedule["unscheduled"]


# ------------------------------------------------------------------ command line


def test_an_unknown_column_is_a_warning_and_ignored():
    wb = open_template()
    wb["Moduler"].cell(1, 10).value = "Kommentar"
    wb["Moduler"].cell(2, 10).value = "bra modul"
    scenario, [warning] = read_workbook_with_warnings(saved(wb))
    assert scenario == load_scenario(example_scenario())
    assert warning.path == "sheet 'Moduler', row 1, column 'Kommentar'"
    assert "is not a column of this sheet, so it is ignored" in warning.message


def test_an_unknown_field_row_and_an_unknown_weight_are_warnings_a_misspelt_field_an_error():
    wb = open_template()
    ws = wb["Scenario"]
    ws.append(["Ansvarig", "Eva"])
    ws.append(["vikt: co2_per_km", 3])
    row = ws.max_row
    scenario, warnings = read_workbook_with_warnings(saved(wb))
    assert scenario == load_scenario(example_scenario())
    assert [(w.path, "ignored" in w.message) for w in warnings] == [
        (f"sheet 'Scenario', row {row - 1}, column 'Fält'", True),
        (f"sheet 'Scenario', row {row}, column 'Värde'", True)]
    ws.append(["Tidzon", "Europe/Stockholm"])
    with pytest.raises(ScenarioInvalid) as info:
        read_workbook(saved(wb))
    [error] = info.value.errors
    assert error.path == f"sheet 'Scenario', row {row + 1}, column 'Fält'"
    assert "did you mean 'Tidszon'?" in error.message
    assert len(info.value.warnings) == 2


def test_cli_import_prints_warnings_and_goes_on(tmp_path, capsys):
    from scheduler.cli import main

    wb = open_template()
    wb["Lag"].cell(1, 10).value = "Lagets namn"
    wb["Lag"].cell(2, 10).value = "Dagslaget"
    (tmp_path / "extra.xlsx").write_bytes(saved(wb))
    assert main(["import", str(tmp_path / "extra.xlsx"), "--out", str(tmp_path / "x.json")]) == 0
    err = capsys.readouterr().err
    assert "1 warning(s)" in err
    assert "warning: sheet 'Lag', row 1, column 'Lagets namn': is not a column of this sheet, so it is ignored" in err
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8")) == load_scenario(example_scenario())


def test_cli_template_and_import_round_trip(tmp_path, tiny_example_scenario):
    from scheduler.cli import main

    src = tmp_path / "tiny.json"
    src.write_text(json.dumps(tiny_example_scenario), encoding="utf-8")
    assert main(["template", str(tmp_path / "t.xlsx"), "--from", str(src)]) == 0
    assert main(["import", str(tmp_path / "t.xlsx"), "--out", str(tmp_path / "back.json")]) == 0
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back == load_scenario(tiny_example_scenario)


def test_cli_import_lists_every_error_and_exits_2(tmp_path, capsys):
    from scheduler.cli import main

    wb = open_template()
    set_cell(wb, "Lag", 2, "Antal per skift", "sex")
    set_cell(wb, "Deltagare", 5, "Lag", "nattlaget")
    (tmp_path / "bad.xlsx").write_bytes(saved(wb))
    assert main(["import", str(tmp_path / "bad.xlsx"), "--out", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "sheet 'Lag', row 2, column 'Antal per skift'" in err
    assert "sheet 'Deltagare', row 5, column 'Lag'" in err
    assert not (tmp_path / "x.json").exists()


def test_every_sheet_of_the_layout_is_in_the_template():
    wb = open_template()
    assert [s.sv for s in SHEETS] == wb.sheetnames[1:]
