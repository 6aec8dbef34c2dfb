"""The API's spreadsheets, calendars and reports: workbook template and upload, calendar
import, schedule exports and the ESF report."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from scheduler.format import load_scenario
from scheduler.io.workbook import XLSX_MIME, example_scenario, read_workbook, write_workbook

API = "/api/v1"

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//modulplan//SV
BEGIN:VEVENT
UID:kurs
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260408
DTEND;VALUE=DATE:20260410
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def stored(client, tiny, tiny_example_schedule):
    """A stored scenario (the contract's tiny one) with its hand-checked schedule stored as solved."""
    from service.store import store_schedule
    from service.store.db import ScenarioRow

    sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
    db = client.app.extensions["modulplan"].db
    with db.Session() as s:
        row = s.get(ScenarioRow, sid)
    sched = store_schedule(db, scenario_row=row, schedule=tiny_example_schedule, job_id=None)
    return sid, sched.id


def upload(client, body: bytes, role="coordinator", **kw):
    return client.post(f"{API}/workbooks", data=body, headers={"Content-Type": XLSX_MIME}, role=role, **kw)


def test_the_template_downloads_as_a_workbook_with_the_example(client):
    r = client.get(f"{API}/workbooks/template")
    assert r.status_code == 200 and r.mimetype == XLSX_MIME
    assert "attachment" in r.headers["Content-Disposition"]
    assert read_workbook(r.data) == load_scenario(example_scenario())


def test_an_uploaded_workbook_becomes_a_stored_scenario(client):
    r = upload(client, write_workbook(example_scenario()))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["scenario_id"] == "exempel-1"
    stored = client.get(f"{API}/scenarios/{body['id']}").get_json()["document"]
    assert load_scenario(stored) == load_scenario(example_scenario())


def test_a_workbook_may_come_as_a_form_file(client):
    data = {"file": (io.BytesIO(write_workbook(example_scenario())), "plan.xlsx")}
    r = client.post(f"{API}/workbooks", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()


def test_a_workbook_with_mistakes_is_422_naming_sheet_row_and_column(client):
    wb = load_workbook(io.BytesIO(write_workbook(example_scenario())))
    ws = wb["Lag"]
    ws.cell(2, 5).value = "sex"  # Antal per skift
    out = io.BytesIO()
    wb.save(out)
    r = upload(client, out.getvalue())
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    paths = [e["path"] for e in r.get_json()["errors"]]
    assert "sheet 'Lag', row 2, column 'Antal per skift'" in paths


def test_an_unknown_column_is_a_warning_and_a_misspelt_one_an_error(client):
    wb = load_workbook(io.BytesIO(write_workbook(example_scenario())))
    wb["Lag"].cell(1, 10).value = "Lagets namn"
    wb["Lag"].cell(2, 10).value = "Dagslaget"
    out = io.BytesIO()
    wb.save(out)
    r = upload(client, out.getvalue())
    assert r.status_code == 201, r.get_json()
    [warning] = r.get_json()["warnings"]
    assert warning["path"] == "sheet 'Lag', row 1, column 'Lagets namn'"
    assert "is not a column of this sheet, so it is ignored" in warning["message"]
    wb["Lag"].cell(1, 11).value = "Minimibemaning"
    out = io.BytesIO()
    wb.save(out)
    body = upload(client, out.getvalue()).get_json()
    assert body["status"] == 422
    assert body["errors"] == [{"path": "sheet 'Lag', row 1, column 'Minimibemaning'",
                               "message": "is not a column of this sheet; did you mean 'Minimibemanning'?"}]
    assert [w["path"] for w in body["warnings"]] == ["sheet 'Lag', row 1, column 'Lagets namn'"]


def test_a_body_that_is_not_a_workbook_is_422_not_500(client):
    r = upload(client, b"PK\x03\x04 not really a zip")
    assert r.status_code == 422
    assert r.get_json()["errors"][0]["path"] == "workbook"


def test_a_workbook_sent_as_json_is_415(client):
    r = client.post(f"{API}/workbooks", json={"a": 1})
    assert r.status_code == 415


def test_a_manager_may_not_upload_a_workbook(client):
    assert upload(client, write_workbook(example_scenario()), role="manager").status_code == 403


def test_a_stored_scenario_downloads_as_a_workbook(client, tiny):
    sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
    r = client.get(f"{API}/scenarios/{sid}/workbook.xlsx")
    assert r.status_code == 200
    assert read_workbook(r.data) == load_scenario(tiny)


def test_a_calendar_becomes_unavailable_periods_of_a_new_scenario(client, tiny):
    sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
    r = client.post(f"{API}/scenarios/{sid}/unavailable?trainer=T-SARA", data=ICS,
                    headers={"Content-Type": "text/calendar"})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["id"] != sid and body["scenario_id"] == tiny["id"]
    sara = next(t for t in body["document"]["trainers"] if t["id"] == "T-SARA")
    assert sara["unavailable"] == [{"start": "2026-04-08", "end": "2026-04-09"}]


def test_a_calendar_for_an_unknown_trainer_is_422(client, tiny):
    sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
    r = client.post(f"{API}/scenarios/{sid}/unavailable?trainer=T-NOBODY", data=ICS,
                    headers={"Content-Type": "text/calendar"})
    assert r.status_code == 422 and "T-NOBODY" in r.get_json()["errors"][0]["message"]


def test_the_schedule_exports_as_xlsx_and_csv(client, stored, tiny_example_schedule):
    _, sched = stored
    r = client.get(f"{API}/schedules/{sched}/export.xlsx")
    assert r.status_code == 200 and r.mimetype == XLSX_MIME
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames[0] == "Översikt" and wb["Översikt"].max_row == len(tiny_example_schedule["sessions"]) + 1
    r = client.get(f"{API}/schedules/{sched}/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))  # Swedish Excel's dialect
    assert len(rows) == len(tiny_example_schedule["sessions"]) + 1 and rows[0][:2] == ["Datum", "Veckodag"]
    r = client.get(f"{API}/schedules/{sched}/export.csv?dialect=comma")
    comma = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert [row[:4] for row in comma] == [row[:4] for row in rows]
    assert [row[4] for row in comma[1:]] == [row[4].replace(",", ".") for row in rows[1:]]  # hours: decimal point
    assert client.get(f"{API}/schedules/{sched}/export.csv?dialect=tab").status_code == 422


def test_the_esf_report_downloads_with_the_validators_hours(client, stored, tiny_example_schedule):
    _, sched = stored
    r = client.get(f"{API}/schedules/{sched}/esf.csv?dialect=comma")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    on_shift = sum(float(x["Deltagartimmar på arbetstid"]) for x in rows)
    off_shift = sum(float(x["Deltagartimmar utanför arbetstid"]) for x in rows)
    assert on_shift == pytest.approx(tiny_example_schedule["kpis"]["backfill_hours"], abs=0.01)
    assert off_shift == pytest.approx(tiny_example_schedule["kpis"]["overtime_hours"], abs=0.01)
    assert client.get(f"{API}/schedules/{sched}/esf.xlsx").status_code == 200


def test_a_manager_gets_only_their_workplaces_esf_rows(client, stored):
    _, sched = stored
    r = client.get(f"{API}/schedules/{sched}/esf.csv", role="manager")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    assert rows and {x["Arbetsplats"] for x in rows} == {"W-VARD"}


def test_exports_of_an_unknown_schedule_are_404(client):
    assert client.get(f"{API}/schedules/nope/export.xlsx").status_code == 404
    assert client.get(f"{API}/schedules/nope/esf.csv").status_code == 404
