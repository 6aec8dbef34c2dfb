"""Schedule exports (.xlsx, CSV) and the monthly ESF report."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from scheduler.io.esf import esf_report, esf_tables, esf_xlsx, is_validation_module
from scheduler.io.tables import csv_text, schedule_tables, xlsx_bytes
from scheduler.validate import build_context, compute_kpis
from tests.scenario_factory import counted, module, plan, scenario_factory, solve_checked, track, trainer
from tests.test_workbook import LIBREOFFICE, NO_LIBREOFFICE, libreoffice_convert

LO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1"


@pytest.fixture(scope="module")
def solved_tiny(_tiny_example):
    """The contract's tiny scenario (two workplaces, on- and off-shift plans), solved and validated."""
    scenario = copy.deepcopy(_tiny_example[0])
    return scenario, solve_checked(scenario, time_limit=3)


def plan_participants(scenario: dict, workplace: str) -> set[str]:
    """Participant ids of the action plans of one workplace (counted ids expanded)."""
    out = set()
    for p in scenario["action_plans"]:
        if p["workplace"] != workplace:
            continue
        for x in p["participants"]:
            out |= {x["id"]} if "id" in x else {f"{p['id']}-{x['team']}-{n}" for n in range(1, x["count"] + 1)}
    return out


def validator_hours_of(scenario: dict, schedule: dict, workplace: str) -> tuple[float, float]:
    """The validator's backfill and overtime hours for one workplace's participants only."""
    mine = plan_participants(scenario, workplace)
    cut = copy.deepcopy(schedule)
    for c in cut["cohorts"]:
        c["participants"] = [m for m in c["participants"] if m in mine]
    k = compute_kpis(build_context(scenario, cut))
    return k["backfill_hours"], k["overtime_hours"]


def totals_by_workplace(rows) -> dict[str, tuple[float, float]]:
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        out[r.workplace][0] += r.hours_on_shift
        out[r.workplace][1] += r.hours_off_shift
    return {k: (a, b) for k, (a, b) in out.items()}


# ------------------------------------------------------------------ ESF figures


def test_esf_hours_agree_with_the_validators_backfill_and_overtime_per_workplace(solved_tiny):
    scenario, schedule = solved_tiny
    per_workplace = totals_by_workplace(esf_report(scenario, schedule))
    assert set(per_workplace) == {"W-BRUK", "W-VARD"}
    for wid, (on_shift, off_shift) in per_workplace.items():
        backfill, overtime = validator_hours_of(scenario, schedule, wid)
        assert on_shift == pytest.approx(backfill, abs=1e-6)
        assert off_shift == pytest.approx(overtime, abs=1e-6)


def test_esf_hours_add_up_to_the_schedules_kpis(solved_tiny):
    scenario, schedule = solved_tiny
    rows = esf_report(scenario, schedule)
    assert sum(r.hours_on_shift for r in rows) == pytest.approx(schedule["kpis"]["backfill_hours"], abs=0.01)
    assert sum(r.hours_off_shift for r in rows) == pytest.approx(schedule["kpis"]["overtime_hours"], abs=0.01)


def test_esf_counts_each_participant_once_per_workplace_and_month(tiny_example_scenario, examples_dir):
    schedule = json.loads((examples_dir / "tiny-schedule.json").read_text(encoding="utf-8"))
    rows = {(r.workplace, r.month): r for r in esf_report(tiny_example_scenario, schedule)}
    # the hand-checked example: the mill's 4 crew members train in March and April, the care home's 3 in March
    assert rows[("W-BRUK", "2026-03")].participants_trained == 4
    assert rows[("W-BRUK", "2026-04")].participants_trained == 4
    assert rows[("W-VARD", "2026-03")].participants_trained == 3
    assert ("W-VARD", "2026-04") not in rows


def test_trainer_hours_of_a_mixed_cohort_are_shared_by_participants():
    data = scenario_factory(
        workplaces=[{"id": "W1", "site": "S-W", "teams": [{"id": "lag-1", "pattern": "dag", "headcount": 10,
                                                            "min_staffing": 5}]},
                    {"id": "W2", "site": "S-W", "teams": [{"id": "lag-2", "pattern": "dag", "headcount": 10,
                                                            "min_staffing": 5}]}],
        tracks=[track(mix_workplaces=True)],
        action_plans=[plan("HP1", "W1", participants=[counted("lag-1", 3)]),
                      plan("HP2", "W2", participants=[counted("lag-2", 1)])])
    schedule = solve_checked(data, time_limit=3)
    assert len(schedule["cohorts"]) == 1
    rows = {r.workplace: r for r in esf_report(data, schedule)}
    assert rows["W1"].trainer_hours == pytest.approx(0.75)  # one 60-minute session, 3 of its 4 participants
    assert rows["W2"].trainer_hours == pytest.approx(0.25)


def test_validation_sessions_are_counted_for_validation_modules():
    data = scenario_factory(modules=[module("VALID", sessions=2, name="Validering undersköterska")],
                            tracks=[track(modules=("VALID",))], trainers=[trainer(qualifications=("VALID",))])
    schedule = solve_checked(data, time_limit=3)
    rows = esf_report(data, schedule)
    assert sum(r.validation_sessions for r in rows) == 2


def test_a_module_is_validation_by_its_flag_before_its_name():
    assert is_validation_module({"id": "VAL", "name": "Validering"})
    assert not is_validation_module({"id": "VAL", "name": "Validering", "x-validation": False})
    assert is_validation_module({"id": "M7", "name": "Kartläggning", "x-validation": True})
    assert not is_validation_module({"id": "M1", "name": "Basal hygien"})
    assert is_validation_module({"id": "M1", "name": "Basal hygien"}, named=["M1"])


def test_esf_rows_can_be_limited_to_one_workplace(solved_tiny):
    scenario, schedule = solved_tiny
    assert {r.workplace for r in esf_report(scenario, schedule, workplaces=["W-VARD"])} == {"W-VARD"}


def test_esf_totals_are_the_sums_of_the_monthly_rows(solved_tiny):
    scenario, schedule = solved_tiny
    months, totals, _ = esf_tables(scenario, schedule)
    per_workplace: dict[str, list[float]] = defaultdict(lambda: [0.0] * 5)
    for row in months.rows:
        for i, j in enumerate((4, 5, 7, 8, 9)):
            per_workplace[row[0]][i] += row[j]
    *per, grand = totals.rows
    assert [r[0] for r in per] == list(per_workplace)  # scenario order, as in the monthly table
    for r in per:
        assert [r[4], r[5], r[7], r[8], r[9]] == pytest.approx(per_workplace[r[0]], abs=1e-3)
        mine = esf_report(scenario, schedule, workplaces=[r[0]])
        assert r[3] == len({p for x in mine for p in x.participants})
    assert grand[:3] == ["Totalt", "alla arbetsplatser", "totalt"]
    assert grand[3] == sum(r[3] for r in per)  # a participant counts once per workplace
    for j in (4, 5, 6, 7, 8, 9):
        assert grand[j] == pytest.approx(sum(r[j] for r in per), abs=1e-3)


def test_esf_of_a_schedule_without_sessions_has_only_a_zero_grand_total(solved_tiny):
    scenario, schedule = solved_tiny
    empty = {**schedule, "sessions": []}
    assert esf_report(scenario, empty) == []
    months, totals, _ = esf_tables(scenario, empty)
    assert months.rows == []
    assert totals.rows == [["Totalt", "alla arbetsplatser", "totalt", 0, 0.0, 0.0, 0.0, 0.0, 0, 0]]


def test_esf_trainer_hours_add_up_to_the_session_hours(solved_tiny):
    scenario, schedule = solved_tiny
    ctx = build_context(scenario, schedule)
    hours = sum(s.b - s.a for s in ctx.timed if any(m in ctx.persons for m in s.members)) / 3600.0
    assert sum(r.trainer_hours for r in esf_report(scenario, schedule)) == pytest.approx(hours)


def test_esf_workbook_has_the_monthly_table_first_and_totals(solved_tiny):
    scenario, schedule = solved_tiny
    wb = load_workbook(io.BytesIO(esf_xlsx(scenario, schedule)))
    assert wb.sheetnames[:2] == ["ESF per månad", "Per arbetsplats"]
    totals = {row[0]: row for row in wb["Per arbetsplats"].iter_rows(min_row=2, values_only=True)}
    assert totals["Totalt"][4] == pytest.approx(schedule["kpis"]["backfill_hours"], abs=0.01)


# ------------------------------------------------------------------ schedule tables


def test_export_has_an_overview_and_a_sheet_per_workplace_and_trainer_sorted_by_date(solved_tiny):
    scenario, schedule = solved_tiny
    tables = schedule_tables(scenario, schedule)
    titles = [t.title for t in tables]
    assert titles[0] == "Översikt"
    assert {"Arbetsplats W-BRUK", "Arbetsplats W-VARD"} <= set(titles)
    assert {f"Utbildare {s['trainer']}" for s in schedule["sessions"]} <= set(titles)
    overview = tables[0]
    assert len(overview.rows) == len(schedule["sessions"])
    keys = [(r[0], r[2]) for r in overview.rows]
    assert keys == sorted(keys)
    wb = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert wb.sheetnames == titles


def test_a_workplace_sheet_counts_only_its_own_participants(solved_tiny):
    scenario, schedule = solved_tiny
    tables = {t.title: t for t in schedule_tables(scenario, schedule)}
    ids = {t.title: [r[-1] for r in t.rows] for t in tables.values()}
    vard = plan_participants(scenario, "W-VARD")
    cohorts = {c["id"]: c for c in schedule["cohorts"]}
    for row in tables["Arbetsplats W-VARD"].rows:
        session = next(s for s in schedule["sessions"] if s["id"] == row[-1])
        assert row[12] == len(set(cohorts[session["cohort"]]["participants"]) & vard)
    assert set(ids["Arbetsplats W-BRUK"]) | set(ids["Arbetsplats W-VARD"]) == set(ids["Översikt"])


def test_csv_export_writes_dates_times_and_hours_plainly(solved_tiny):
    scenario, schedule = solved_tiny
    rows = list(csv.reader(io.StringIO(csv_text(schedule_tables(scenario, schedule)[0], "comma"))))
    assert rows[0][:5] == ["Datum", "Veckodag", "Start", "Slut", "Timmar"]
    first = rows[1]
    assert len(first[0]) == 10 and first[0][4] == "-" and len(first[2]) == 5 and float(first[4]) > 0


def test_csv_is_in_the_swedish_dialect_by_default(solved_tiny):
    scenario, schedule = solved_tiny
    table = schedule_tables(scenario, schedule)[0]
    rows = list(csv.reader(io.StringIO(csv_text(table)), delimiter=";"))
    assert rows[0][:5] == ["Datum", "Veckodag", "Start", "Slut", "Timmar"]
    hours = rows[1][4]
    assert "," in hours and "." not in hours and float(hours.replace(",", ".")) == pytest.approx(table.rows[0][4])


def test_names_that_look_like_formulas_are_exported_as_text(solved_tiny, tmp_path):
    from openpyxl import load_workbook

    from scheduler.io.workbook import write_workbook

    scenario, schedule = json.loads(json.dumps(solved_tiny[0])), solved_tiny[1]
    evil = '=HYPERLINK("http://evil.example","klicka")'
    scenario["trainers"][0]["name"] = evil
    scenario["rooms"][0]["name"] = "+1+2"
    tables = schedule_tables(scenario, schedule)
    wb = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert evil in [c.value for c in cells]  # kept, as text
    for dialect, sep in (("sv", ";"), ("comma", ",")):
        values = [v for row in csv.reader(io.StringIO(csv_text(tables[0], dialect)), delimiter=sep) for v in row]
        assert "'" + evil in values and evil not in values
    template = load_workbook(io.BytesIO(write_workbook(scenario)))
    assert not [c.coordinate for ws in template.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]


def test_cli_export_and_esf_report_write_their_files(tmp_path, solved_tiny):
    from scheduler.cli import main

    scenario, schedule = solved_tiny
    (tmp_path / "s.json").write_text(json.dumps(scenario), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(schedule), encoding="utf-8")
    assert main(["export", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "--xlsx", str(tmp_path / "x.xlsx"),
                 "--csv", str(tmp_path / "csv")]) == 0
    assert (tmp_path / "x.xlsx").stat().st_size > 0 and (tmp_path / "csv" / "schema.csv").exists()
    assert main(["report", "esf", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "--out",
                 str(tmp_path / "esf.xlsx"), "--csv", str(tmp_path / "esf.csv")]) == 0
    text = (tmp_path / "esf.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Arbetsplats;") and "W-VARD" in text


# ------------------------------------------------------------------ opened by LibreOffice


def _lo_rows(tmp_path, body: bytes, name: str) -> list[list[str]]:
    src = tmp_path / f"{name}.xlsx"
    src.write_bytes(body)
    out = libreoffice_convert(src, LO_CSV, tmp_path / f"lo-{name}")
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


@pytest.mark.skipif(LIBREOFFICE is None, reason=NO_LIBREOFFICE)
def test_libreoffice_opens_the_exported_schedule_with_the_same_figures(tmp_path, solved_tiny):
    scenario, schedule = solved_tiny
    tables = schedule_tables(scenario, schedule)
    ours = list(csv.reader(io.StringIO(csv_text(tables[0], "comma"))))
    theirs = _lo_rows(tmp_path, xlsx_bytes(tables), "schema")
    assert theirs[0] == ours[0]
    assert len(theirs) == len(ours)
    for a, b in zip(theirs[1:], ours[1:]):
        assert a[:4] == b[:4]  # date, weekday, start, end as shown
        assert float(a[4]) == pytest.approx(float(b[4]))  # hours
        assert a[5:] == b[5:]


@pytest.mark.skipif(LIBREOFFICE is None, reason=NO_LIBREOFFICE)
def test_libreoffice_opens_the_esf_report_with_the_same_figures(tmp_path, solved_tiny):
    scenario, schedule = solved_tiny
    theirs = _lo_rows(tmp_path, esf_xlsx(scenario, schedule), "esf")
    rows = esf_report(scenario, schedule)
    assert len(theirs) == len(rows) + 1
    for line, r in zip(theirs[1:], rows):
        assert line[:4] == [r.workplace, r.workplace_name, r.month, str(r.participants_trained)]
        assert float(line[4]) == pytest.approx(r.hours_on_shift, abs=0.005)
        assert float(line[5]) == pytest.approx(r.hours_off_shift, abs=0.005)
        assert float(line[7]) == pytest.approx(r.trainer_hours, abs=0.005)


def test_esf_tables_explain_their_columns(solved_tiny):
    scenario, schedule = solved_tiny
    about = esf_tables(scenario, schedule)[-1]
    explained = {row[0] for row in about.rows}
    assert {"Deltagartimmar på arbetstid", "Deltagartimmar utanför arbetstid", "Valideringstillfällen"} <= explained


def test_the_export_lists_what_is_unscheduled_with_the_swedish_reason():
    scenario = scenario_factory(module={"qualification": "svetsning"})
    schedule = solve_checked(scenario, time_limit=1)
    (u,) = schedule["unscheduled"]
    missing = next(t for t in schedule_tables(scenario, schedule) if t.title == "Ej schemalagt")
    assert missing.rows == [["tillfälle", u["cohort"], "M1", 1, u["reason_sv"]]]
    assert "ingen utbildare har behörigheten svetsning" in u["reason_sv"]
