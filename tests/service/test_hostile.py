"""Requests a careless or hostile user sends: each gets its 4xx, naming the field and the limit,
within seconds, and the service answers the next request (issue 13). The limits themselves are
``scheduler.format.limits`` (documented in docs/service.md, "Limits")."""

from __future__ import annotations

import copy
import io
import time
import zipfile
from datetime import date

import pytest

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problem(r, status: int, *, path: str | None = None, words: tuple[str, ...] = ()) -> dict:
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:500])
    assert r.mimetype == "application/problem+json"
    body = r.get_json()
    text = " ".join(e["message"] for e in body.get("errors") or []) + " " + (body.get("detail") or "")
    if path is not None:
        assert path in [e["path"] for e in body["errors"]], body
    for w in words:
        assert w in text, (w, body)
    return body


@pytest.fixture
def timed(client):
    """Each hostile request is answered within 5 s, and the next request is answered too."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < 5.0
    assert client.get(f"{API}/health").status_code == 200


@pytest.fixture
def stored(client, tiny):
    r = client.post(f"{API}/scenarios", json=tiny)
    assert r.status_code == 201
    return r.get_json()["id"]


def test_a_counted_group_of_a_hundred_million_is_refused_before_it_is_expanded(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["action_plans"][0]["participants"] = [{"team": doc["action_plans"][0]["participants"][0]["team"],
                                               "count": 10**8}]
    _problem(client.post(f"{API}/scenarios", json=doc), 413, path="$.action_plans[0].participants[0]",
             words=("50 000 participants",))


def test_a_two_hundred_year_horizon_is_refused(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["horizon"] = {"start": "2026-01-01", "end": "2225-12-31"}
    _problem(client.post(f"{API}/scenarios", json=doc), 413, path="$.horizon.end", words=("1 830 days",))


def test_a_start_every_five_minutes_for_years_is_refused(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["horizon"]["end"] = "2030-12-31"
    doc.setdefault("calendar", {})["start_times"] = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(0, 60, 5)]
    _problem(client.post(f"{API}/scenarios", json=doc), 413, path="$.calendar.start_times",
             words=("288 start times a day", "100 000"))


def test_a_module_of_a_hundred_thousand_sessions_is_refused(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["modules"][0]["sessions"] = 10**5
    _problem(client.post(f"{API}/scenarios", json=doc), 413, path="$.modules[0].sessions", words=("limit of 100",))


def test_an_absurd_weight_is_refused_not_stored(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["weights"] = {"late_per_day": 1e308}
    _problem(client.post(f"{API}/scenarios", json=doc), 422, path="$.weights.late_per_day",
             words=("1 000 000 000",))
    assert client.get(f"{API}/scenarios").get_json() == []


@pytest.mark.parametrize("where", ["scenarios", "solve", "replan"])
def test_json_nested_ten_thousand_deep_is_a_422(client, stored, where, timed):
    deep = "[" * 10_000 + "]" * 10_000
    path = {"scenarios": f"{API}/scenarios", "solve": f"{API}/scenarios/{stored}/solve",
            "replan": f"{API}/scenarios/{stored}/replan"}[where]
    for body in (deep, '{"time_limit": 1, "x": ' + deep + "}"):
        _problem(client.post(path, data=body, headers={"Content-Type": "application/json"}), 422, words=("nested",))


@pytest.mark.parametrize("where", ["solve", "replan"])
def test_a_body_that_is_not_json_is_a_415_not_a_default_solve(client, stored, where, timed):
    r = client.post(f"{API}/scenarios/{stored}/{where}", data=b"time_limit=1", headers={"Content-Type": "text/plain"})
    _problem(r, 415)
    assert client.get(f"{API}/jobs").get_json() == []


def zip_bomb(rows: int) -> bytes:
    """The action-plan template with `rows` rows added to a sheet: small on the wire, huge unpacked."""
    from scheduler.io.workbook import template_workbook

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_workbook())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows
                                    + b"</sheetData>")
            dst.writestr(info, data)
    return buf.getvalue()


def test_a_workbook_zip_bomb_is_refused_unread(client, timed):
    bomb = zip_bomb(1_500_000)
    assert len(bomb) < 1_000_000  # small on the wire, 70 MB unpacked
    _problem(client.post(f"{API}/workbooks", data=bomb, headers={"Content-Type": XLSX}), 413,
             words=("unpacks to", "40 000 000"))


def test_a_workbook_of_too_many_rows_is_refused_unread(client, timed):
    _problem(client.post(f"{API}/workbooks", data=zip_bomb(150_000), headers={"Content-Type": XLSX}), 413,
             words=("150 0", "rows, more than the limit of 100 000"))


def test_a_huge_cell_is_not_echoed_back(client, tiny, timed):
    from openpyxl import load_workbook

    from scheduler.io.workbook import write_workbook

    wb = load_workbook(io.BytesIO(write_workbook(tiny)))
    cell = next(c for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for c in row
                if isinstance(c.value, date))
    cell.value = "not a date " * 20_000  # 220 000 characters where a date belongs
    out = io.BytesIO()
    wb.save(out)
    r = client.post(f"{API}/workbooks", data=out.getvalue(), headers={"Content-Type": XLSX})
    assert r.status_code in (413, 422) and len(r.data) < 20_000, (r.status_code, len(r.data))


def test_a_calendar_repeating_every_second_is_refused_unexpanded(client, stored, timed):
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\n"
           b"DTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"
           b"END:VCALENDAR\r\n")
    r = client.post(f"{API}/scenarios/{stored}/unavailable?trainer=T-ERIK", data=ics,
                    headers={"Content-Type": "text/calendar"})
    _problem(r, 422, path="calendar event a@x", words=("every second",))


def test_a_calendar_of_too_many_events_is_refused(client, stored, tiny, timed):
    days = (date.fromisoformat(tiny["horizon"]["end"]) - date.fromisoformat(tiny["horizon"]["start"])).days
    series = 5_000 // days + 2  # daily series, each over the whole horizon: more than 5 000 events
    start = tiny["horizon"]["start"].replace("-", "")
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
           + b"".join(b"BEGIN:VEVENT\r\nUID:%d@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:%sT%02d0000Z\r\n"
                      b"DTEND:%sT%02d0100Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
                      % (i, start.encode(), i % 24, start.encode(), i % 24) for i in range(series))
           + b"END:VCALENDAR\r\n")
    r = client.post(f"{API}/scenarios/{stored}/unavailable?trainer=T-ERIK", data=ics,
                    headers={"Content-Type": "text/calendar"})
    _problem(r, 422, words=("more than 5000 events",))


def test_a_calendar_just_within_the_limit_is_imported(client, stored, tiny, timed):
    days = (date.fromisoformat(tiny["horizon"]["end"]) - date.fromisoformat(tiny["horizon"]["start"])).days
    ics = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1@x\r\n"
           b"DTSTAMP:20260101T000000Z\r\nDTSTART:%sT060000Z\r\nDTEND:%sT063000Z\r\nRRULE:FREQ=DAILY;COUNT=%d\r\n"
           b"END:VEVENT\r\nEND:VCALENDAR\r\n" % (tiny["horizon"]["start"].replace("-", "").encode(),
                                                  tiny["horizon"]["start"].replace("-", "").encode(), days))
    r = client.post(f"{API}/scenarios/{stored}/unavailable?trainer=T-ERIK", data=ics,
                    headers={"Content-Type": "text/calendar"})
    assert r.status_code == 201, r.get_data(as_text=True)[:500]


@pytest.fixture
def small_client(backend_url):
    """The API with a job memory limit of 150 MB (a real solve of the elderly-care example needs more)."""
    from service import create_app

    from .conftest import Client

    app = create_app({"DATABASE_URL": backend_url, "TESTING": True, "EXECUTOR": "inprocess", "REDIS_URL": None,
                      "PROGRESS_INTERVAL": 0.2, "REAPER_INTERVAL": 0.5, "HEARTBEAT_STALE": 3.0,
                      "JOB_MEMORY_MB": 150})
    yield Client(app)
    app.extensions["modulplan"].close()


def test_a_job_past_its_memory_limit_fails_with_memory_and_the_api_answers_throughout(small_client):
    import json

    from tests.conftest import repo_root

    doc = json.loads((repo_root() / "scenarios" / "elderly_care_municipality.json").read_text(encoding="utf-8"))
    sid = small_client.post(f"{API}/scenarios", json=doc).get_json()["id"]
    job = small_client.post(f"{API}/scenarios/{sid}/solve", json={"time_limit": 20}).get_json()
    deadline, state = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        started = time.monotonic()
        assert small_client.get(f"{API}/health").status_code == 200
        assert time.monotonic() - started < 1.0
        state = small_client.get(f"{API}/jobs/{job['id']}").get_json()
        if state["state"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.1)
    assert state["state"] == "failed" and "memory" in state["error"] and "150 MB" in state["error"], state
    assert state["attempts"] == 1


def test_a_queued_job_whose_message_was_lost_is_sent_again_and_runs(backend_url, tiny):
    from service import create_app
    from service.store.db import JobRow

    from .conftest import Client

    app = create_app({"DATABASE_URL": backend_url, "TESTING": True, "EXECUTOR": "inprocess", "REDIS_URL": None,
                      "PROGRESS_INTERVAL": 0.2, "REAPER_INTERVAL": 0.3, "HEARTBEAT_STALE": 3.0, "QUEUED_GRACE": 0.5})
    client = Client(app)
    try:
        sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
        job = JobRow(scenario_id=sid, state="queued", options={"time_limit": 1, "workers": 1}, attempts=0,
                     cancel_requested=False)
        with app.extensions["modulplan"].db.Session.begin() as s:
            s.add(job)  # stored, but its message never reached the executor
        done = client.wait_job(job.id, timeout=30)
        assert done["state"] == "succeeded", done
    finally:
        app.extensions["modulplan"].close()


def test_a_job_whose_message_is_lost_again_and_again_fails_with_the_reason(client, tiny):
    from datetime import timedelta

    from service.jobs import Settings, lost_queued_jobs
    from service.store.db import JobRow, utcnow

    db = client.app.extensions["modulplan"].db
    sid = client.post(f"{API}/scenarios", json=tiny).get_json()["id"]
    job = JobRow(scenario_id=sid, state="queued", options={}, attempts=0, cancel_requested=False,
                 created_at=utcnow() - timedelta(minutes=5))
    with db.Session.begin() as s:
        s.add(job)
    settings = Settings(queued_grace=0.0, max_sends=3)
    assert lost_queued_jobs(db, settings, pending={job.id}) == []  # the broker holds it: left alone
    assert lost_queued_jobs(db, settings, pending=None) == []  # the broker cannot be read: nothing judged
    assert lost_queued_jobs(db, settings, pending=set()) == [job.id]
    assert lost_queued_jobs(db, settings, pending=set()) == [job.id]
    assert lost_queued_jobs(db, settings, pending=set()) == []
    state = client.get(f"{API}/jobs/{job.id}").get_json()
    assert state["state"] == "failed" and "sent 3 times" in state["error"]


def test_an_answer_lists_at_most_a_thousand_problems(client, tiny, timed):
    doc = copy.deepcopy(tiny)
    doc["action_plans"] = [{"id": f"P{i}", "workplace": "X", "track": "Y", "participants": [{"team": "t", "count": 1}]}
                           for i in range(1500)]  # three problems each
    body = _problem(client.post(f"{API}/scenarios", json=doc), 422)
    assert len(body["errors"]) == 1001 and "more problems" in body["errors"][-1]["message"]
