"""The API in-process (Flask test client) on SQLite and on PostgreSQL, with the in-process executor."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from tests.conftest import repo_root

from .calendars import check_calendar


def _post_scenario(client, doc, role="coordinator"):
    r = client.post("/api/v1/scenarios", role=role, json=doc)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def _solve(client, scenario_id, **options):
    r = client.post(f"/api/v1/scenarios/{scenario_id}/solve", json=options or {"time_limit": 3})
    assert r.status_code == 202, r.get_json()
    assert r.headers["Location"].endswith(r.get_json()["id"])
    return r.get_json()


def _problem(r, status):
    assert r.status_code == status, (r.status_code, r.data[:500])
    assert r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


def test_openapi_and_docs(client):
    r = client.http.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/scenarios", "/api/v1/scenarios/{scenario}/solve", "/api/v1/jobs/{job}",
                 "/api/v1/jobs/{job}/cancel", "/api/v1/schedules/{schedule}",
                 "/api/v1/schedules/{schedule}/calendar.ics", "/api/v1/schedules/{schedule}/calendars"):
        assert path in spec["paths"], path
    assert "Scenario" in spec["components"]["schemas"] and "Schedule" in spec["components"]["schemas"]
    assert client.http.get("/api/v1/docs").status_code == 200
    assert client.http.get("/api/v1/health").get_json()["status"] == "ok"


def test_the_api_docs_load_with_no_network_and_the_root_leads_to_the_board(client):
    import re

    for page in ("/api/v1/docs", "/api/v1/redoc"):
        html = client.http.get(page).get_data(as_text=True)
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/api/v1/") for a in assets), assets  # nothing from a CDN
        for asset in assets:
            with client.http.get(asset) as r:  # closed: a file response keeps its file open until then
                assert r.status_code == 200 and len(r.data) > 10_000, asset
    assert client.http.get("/api/v1/docs/assets/../../config.py").status_code == 404
    r = client.http.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/board/")


def test_full_flow(client, tiny):
    sid = _post_scenario(client, tiny)
    got = client.get(f"/api/v1/scenarios/{sid}").get_json()
    assert got["document"] == tiny and got["scenario_id"] == "tiny-1"
    programme = got["programme"]
    assert [s["id"] for s in client.get("/api/v1/scenarios").get_json()] == [sid]

    job = _solve(client, sid, time_limit=3, workers=1)
    assert job["state"] in ("queued", "running")
    done = client.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    assert done["progress"]["sessions_placed"] == done["progress"]["sessions_total"] == 6
    assert done["progress"]["objective"] is not None and done["progress"]["elapsed"] > 0

    schedule = client.get(f"/api/v1/schedules/{done['schedule_id']}").get_json()
    assert schedule["format"] == "modulplan/schedule-1" and schedule["scenario"] == "tiny-1"
    from scheduler.format import load_scenario
    from scheduler.validate import validate

    assert validate(load_scenario(tiny), schedule).ok

    base = f"/api/v1/schedules/{done['schedule_id']}"
    for kind, ids in (("workplace", ["W-BRUK", "W-VARD"]), ("trainer", ["T-ERIK", "T-SARA"]),
                      ("room", ["R-BRUK", "R-LC"]), ("interpreter", ["I-AMAL"]),
                      ("cohort", [c["id"] for c in schedule["cohorts"]])):
        for entity in ids:
            r = client.get(f"{base}/calendar.ics?{kind}={entity}")
            assert r.status_code == 200, r.data
            assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
            check_calendar(r.data, tiny, schedule, kind=kind, entity_id=entity, programme=programme)
            etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
            assert client.get(f"{base}/calendar.ics?{kind}={entity}", headers={"If-None-Match": etag}).status_code == 304
            assert client.get(f"{base}/calendar.ics?{kind}={entity}",
                              headers={"If-Modified-Since": modified}).status_code == 304

    feeds = client.get(f"{base}/calendars").get_json()["feeds"]
    assert {(f["kind"], f["entity_id"]) for f in feeds} >= {("workplace", "W-VARD"), ("trainer", "T-ERIK")}
    # a solve is a draft: no feed shows it until the coordinator publishes it
    path = feeds[0]["url"].split("://", 1)[1].split("/", 1)[1]
    assert "no published schedule" in _problem(client.http.get("/" + path), 404)["detail"]
    assert client.publish(done["schedule_id"])["revision"] == 1
    for f in feeds:
        path = f["url"].split("://", 1)[1].split("/", 1)[1]
        r = client.http.get("/" + path)  # no Authorization header: the token in the URL is the credential
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/calendar; charset=utf-8"
        check_calendar(r.data, tiny, schedule, kind=f["kind"], entity_id=f["entity_id"], programme=programme)
        assert client.http.get("/" + path, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    # the same feed URLs are listed again (not new ones), and a guessed token finds nothing
    assert client.get(f"{base}/calendars").get_json()["feeds"] == feeds
    _problem(client.http.get("/api/v1/feeds/" + "0" * 40 + ".ics"), 404)


def test_a_new_version_of_a_programme_keeps_uids_and_its_feed_follows_what_is_published(client, tiny):
    sid = _post_scenario(client, tiny)
    first = client.wait_job(_solve(client, sid, time_limit=2)["id"])
    client.publish(first["schedule_id"])
    feeds = client.get(f"/api/v1/schedules/{first['schedule_id']}/calendars").get_json()["feeds"]
    feed = next(f for f in feeds if f["kind"] == "trainer" and f["entity_id"] == "T-ERIK")
    path = "/" + feed["url"].split("://", 1)[1].split("/", 1)[1]
    ics1 = client.http.get(path).data
    # a changed scenario with the same document id: T-ERIK away on the first session's date
    s1 = client.get(f"/api/v1/schedules/{first['schedule_id']}").get_json()
    erik = [s for s in s1["sessions"] if s["trainer"] == "T-ERIK"]
    day = erik[0]["start"][:10]
    changed = json.loads(json.dumps(tiny))
    for t in changed["trainers"]:
        if t["id"] == "T-ERIK":
            t.setdefault("unavailable", []).append({"start": day, "end": day})
    r = client.post(f"/api/v1/scenarios?programme={sid}", json=changed)  # a new version of the programme
    assert r.status_code == 201 and r.get_json()["programme"] == client.programme(sid), r.get_json()
    second = client.wait_job(_solve(client, r.get_json()["id"], time_limit=2)["id"])
    assert second["state"] == "succeeded", second
    assert client.http.get(path).data == ics1  # a trial solve: the feed does not move
    assert client.publish(second["schedule_id"])["revision"] == 2
    ics2 = client.http.get(path).data
    assert ics2 != ics1
    import icalendar

    def events(b):
        return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(b).walk("VEVENT")}

    e1, e2 = events(ics1), events(ics2)
    moved = [uid for uid in e1 if uid in e2 and e1[uid].decoded("DTSTART") != e2[uid].decoded("DTSTART")]
    assert moved, "the session on the blocked day should have moved"
    for uid in e1:
        if uid in e2:
            seq1, seq2 = int(e1[uid].get("SEQUENCE", 0)), int(e2[uid].get("SEQUENCE", 0))
            if uid in moved:
                assert seq2 > seq1
            else:
                assert seq2 >= seq1
        else:  # no longer this trainer's: not shown (or shown cancelled)
            pass


def _feed_path(client, schedule_id: str, kind: str, entity: str) -> str:
    feeds = client.get(f"/api/v1/schedules/{schedule_id}/calendars").get_json()["feeds"]
    url = next(f["url"] for f in feeds if (f["kind"], f["entity_id"]) == (kind, entity))
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _uids(ics: bytes) -> set[str]:
    import icalendar

    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


def test_two_uploads_with_the_same_document_id_are_two_programmes_with_their_own_calendars(client, tiny):
    a, b = _post_scenario(client, tiny), _post_scenario(client, tiny)  # e.g. two users' copies of a template
    assert client.programme(a) != client.programme(b)
    first = client.wait_job(_solve(client, a, time_limit=2)["id"])
    client.publish(first["schedule_id"])
    path_a = _feed_path(client, first["schedule_id"], "trainer", "T-ERIK")
    ics_a = client.http.get(path_a).data
    other = client.wait_job(_solve(client, b, time_limit=2, random_seed=7)["id"])
    assert client.publish(other["schedule_id"])["revision"] == 1  # its own lineage, numbered from 1
    path_b = _feed_path(client, other["schedule_id"], "trainer", "T-ERIK")
    assert path_b != path_a and client.http.get(path_a).data == ics_a
    assert _uids(ics_a) and not _uids(ics_a) & _uids(client.http.get(path_b).data)


def test_publishing_is_explicit_and_an_earlier_revision_can_be_published_again(client, tiny):
    sid = _post_scenario(client, tiny)
    one = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    two = client.wait_job(_solve(client, sid, time_limit=2, random_seed=3)["id"])["schedule_id"]
    listed = client.get(f"/api/v1/scenarios/{sid}/schedules").get_json()
    assert [(r["id"], r["draft"], r["revision"]) for r in listed] == [(two, True, None), (one, True, None)]
    assert client.publish(one)["id"] == one  # a draft becomes the revision itself
    _problem(client.post(f"/api/v1/schedules/{one}/publish"), 409)  # already what the feeds show
    assert client.publish(two)["revision"] == 2
    again = client.publish(one)  # back to the first: a new revision, a copy
    assert again["revision"] == 3 and again["id"] not in (one, two) and again["source"] == one
    got = client.get(f"/api/v1/scenarios/{sid}").get_json()
    assert got["latest_schedule_id"] == again["id"]


def test_store_schedule_sequences_and_cancellations(client, tiny, examples_dir):
    from scheduler.io.ics import session_key
    from service.store import store_schedule
    from service.store.db import ScenarioRow

    db = client.app.extensions["modulplan"].db
    row = ScenarioRow(lineage="tiny-1", name="t", workplaces=["W-BRUK", "W-VARD"], document=tiny)
    with db.Session.begin() as s:
        s.add(row)
    sched = json.loads((examples_dir / "tiny-schedule.json").read_text())
    a = store_schedule(db, scenario_row=row, schedule=sched, job_id=None)
    assert set(a.sequences.values()) == {0} and a.cancelled == [] and a.revision == 1
    same = store_schedule(db, scenario_row=row, schedule=sched, job_id=None)
    assert same.sequences == a.sequences
    changed = json.loads(json.dumps(sched))
    moved = changed["sessions"][0]
    moved["room"] = "R-LC"
    gone = changed["sessions"].pop()
    b = store_schedule(db, scenario_row=row, schedule=changed, job_id=None)
    assert b.sequences[session_key(moved)] == 1
    assert b.sequences[session_key(gone)] == 1 and [session_key(c) for c in b.cancelled] == [session_key(gone)]
    assert all(v == 0 for k, v in b.sequences.items() if k not in (session_key(moved), session_key(gone)))
    c = store_schedule(db, scenario_row=row, schedule=sched, job_id=None)  # back again: raised once more
    assert c.sequences[session_key(gone)] == 2 and c.cancelled == [] and c.revision == 4


def test_problem_details(client, tiny):
    r = client.post("/api/v1/scenarios", data=b'{"format": ', headers={"Content-Type": "application/json"})
    assert _problem(r, 400)["errors"][0]["path"] == "$"
    body = _problem(client.post("/api/v1/scenarios", json={**tiny, "horizon": {"start": 5}, "timezone": 3}), 422)
    paths = {e["path"] for e in body["errors"]}
    assert "$.timezone" in paths and any(p.startswith("$.horizon") for p in paths), body
    _problem(client.post("/api/v1/scenarios", json=[1, 2]), 422)
    _problem(client.post("/api/v1/scenarios", data="x", headers={"Content-Type": "text/plain"}), 415)
    _problem(client.post("/api/v1/scenarios", data=b" ", headers={"Content-Type": "application/json"}), 400)
    big = {**tiny, "x-padding": "x" * (300 * 1024)}
    _problem(client.post("/api/v1/scenarios", json=big), 413)
    for path in ("/api/v1/scenarios/nope", "/api/v1/jobs/nope", "/api/v1/schedules/nope",
                 "/api/v1/schedules/nope/calendar.ics?room=R", "/api/v1/schedules/nope/calendars", "/api/v1/nothing"):
        _problem(client.get(path), 404)
    _problem(client.post("/api/v1/scenarios/nope/solve", json={}), 404)
    _problem(client.post("/api/v1/jobs/nope/cancel"), 404)
    sid = _post_scenario(client, tiny)
    body = _problem(client.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": "soon", "workers": -1}), 422)
    assert {e["path"] for e in body["errors"]} == {"$.time_limit", "$.workers"}
    _problem(client.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 10**9}), 422)
    _problem(client.post(f"/api/v1/scenarios/{sid}/solve", json={"bogus": 1}), 422)
    _problem(client.get("/api/v1/scenarios?limit=0"), 422)
    _problem(client.http.delete(f"/api/v1/scenarios/{sid}", headers=client.h("coordinator")), 405)


def test_a_field_the_format_does_not_use_is_a_warning_in_the_answer(client, tiny):
    r = client.post("/api/v1/scenarios", json=tiny)
    assert r.status_code == 201 and r.get_json()["warnings"] == []
    for wp in tiny["workplaces"]:
        for team in wp["teams"]:
            team["name"] = f"Lag {team['id']}"  # as other tools write programmes
    r = client.post("/api/v1/scenarios", json=tiny)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert len(body["warnings"]) == 3
    assert body["warnings"][0] == {
        "path": "$.workplaces[0].teams[0].name",
        "message": 'team skiftlag-1 has a field "name" that modulplan does not use; it is ignored'}
    assert client.get(f"/api/v1/scenarios/{body['id']}").get_json()["document"] == tiny  # stored as submitted
    job = _solve(client, body["id"], time_limit=2, workers=1)
    assert client.wait_job(job["id"])["state"] == "succeeded"


def test_a_misspelt_field_is_a_422_with_did_you_mean_and_the_warnings(client, tiny):
    team = tiny["workplaces"][0]["teams"][0]
    team["min_stafing"] = team.pop("min_staffing")
    team["name"] = "Skiftlag 1"
    body = _problem(client.post("/api/v1/scenarios", json=tiny), 422)
    assert body["errors"] == [{
        "path": "$.workplaces[0].teams[0].min_stafing",
        "message": "team skiftlag-1 has an unknown field \"min_stafing\"; did you mean 'min_staffing'?"}]
    assert [w["path"] for w in body["warnings"]] == ["$.workplaces[0].teams[0].name"]


def test_tokens_and_roles(client, tiny):
    _problem(client.get("/api/v1/scenarios", role=None), 401)
    _problem(client.http.get("/api/v1/scenarios", headers={"Authorization": "Bearer mp_wrong"}), 401)
    _problem(client.http.get("/api/v1/scenarios", headers={"Authorization": "Basic abc"}), 401)
    # 401 comes before the body is read
    _problem(client.post("/api/v1/scenarios", role=None, data=b"{", headers={"Content-Type": "application/json"}), 401)

    sid = _post_scenario(client, tiny, role="planner")
    _problem(client.post("/api/v1/scenarios", role="manager", json=tiny), 403)
    _problem(client.post(f"/api/v1/scenarios/{sid}/solve", role="manager", json={}), 403)
    _problem(client.get(f"/api/v1/scenarios/{sid}", role="manager"), 403)  # the document names everybody
    job = client.post(f"/api/v1/scenarios/{sid}/solve", role="planner", json={"time_limit": 2}).get_json()
    _problem(client.get(f"/api/v1/jobs/{job['id']}", role="manager"), 403)
    done = client.wait_job(job["id"])
    sched_id = done["schedule_id"]
    full = client.get(f"/api/v1/schedules/{sched_id}", role="planner").get_json()
    # a draft is the coordinators' and planners' business: managers see it once it is published,
    # and only a coordinator publishes
    _problem(client.get(f"/api/v1/schedules/{sched_id}", role="manager"), 403)
    assert client.get(f"/api/v1/scenarios/{sid}/schedules", role="manager").get_json() == []
    _problem(client.post(f"/api/v1/schedules/{sched_id}/publish", role="planner"), 403)
    _problem(client.post(f"/api/v1/schedules/{sched_id}/publish", role="manager"), 403)
    client.publish(sched_id)

    # a manager sees their workplace only
    assert [s["id"] for s in client.get("/api/v1/scenarios", role="manager").get_json()] == [sid]
    view = client.get(f"/api/v1/schedules/{sched_id}", role="manager").get_json()
    assert view["cohorts"] and all(c["workplaces"] == ["W-VARD"] for c in view["cohorts"])
    participants = {p for c in view["cohorts"] for p in c["participants"]}
    assert participants == {"v-101", "v-102", "v-103"}
    assert not any("BRUK" in p for p in json.dumps(view).split('"') if p.startswith("HP-BRUK"))
    assert "HP-BRUK-1" not in json.dumps(view)
    keep = {c["id"] for c in view["cohorts"]}
    assert {s["id"] for s in view["sessions"]} == {s["id"] for s in full["sessions"] if s["cohort"] in keep}
    r = client.get(f"/api/v1/schedules/{sched_id}/calendar.ics?workplace=W-VARD", role="manager")
    assert r.status_code == 200 and b"HP-BRUK" not in r.data
    _problem(client.get(f"/api/v1/schedules/{sched_id}/calendar.ics?workplace=W-BRUK", role="manager"), 403)
    _problem(client.get(f"/api/v1/schedules/{sched_id}/calendar.ics?trainer=T-ERIK", role="manager"), 403)
    feeds = client.get(f"/api/v1/schedules/{sched_id}/calendars", role="manager").get_json()["feeds"]
    assert [(f["kind"], f["entity_id"]) for f in feeds] == [("workplace", "W-VARD")]

    # a manager of a workplace that is not in the scenario sees nothing of it
    other = json.loads(json.dumps(tiny))
    other["id"] = "tiny-vard-only"
    other["action_plans"] = [p for p in other["action_plans"] if p["workplace"] == "W-VARD"]
    other["workplaces"] = [w for w in other["workplaces"] if w["id"] == "W-VARD"]
    other["rooms"] = [r for r in other["rooms"] if r["site"] != "S-BRUK"]
    sid2 = _post_scenario(client, other)
    d2 = client.wait_job(_solve(client, sid2, time_limit=2)["id"])
    assert d2["state"] == "succeeded", d2
    client.publish(d2["schedule_id"])
    _problem(client.get(f"/api/v1/schedules/{d2['schedule_id']}", role="manager_bruk"), 403)
    _problem(client.get(f"/api/v1/schedules/{d2['schedule_id']}/calendars", role="manager_bruk"), 403)
    _problem(client.get(f"/api/v1/schedules/{d2['schedule_id']}/calendar.ics?workplace=W-VARD",
                        role="manager_bruk"), 403)
    assert sid2 not in [s["id"] for s in client.get("/api/v1/scenarios", role="manager_bruk").get_json()]


def _industrial():
    return json.loads((repo_root() / "scenarios" / "industrial_plant_5shift.json").read_text(encoding="utf-8"))


def test_cancel_running_and_queued(client):
    sid = _post_scenario(client, _industrial())
    job = _solve(client, sid, time_limit=60, workers=1)
    deadline = time.monotonic() + 60
    while client.get(f"/api/v1/jobs/{job['id']}").get_json()["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    r = client.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert r.status_code == 202 and r.get_json()["cancel_requested"]
    t0 = time.monotonic()
    done = client.wait_job(job["id"], timeout=60)
    assert done["state"] == "cancelled", done
    assert time.monotonic() - t0 < 30
    _problem(client.post(f"/api/v1/jobs/{job['id']}/cancel"), 409)


def test_queued_job_survives_restart_and_dead_running_job_is_requeued(backend_url, tiny):
    from service import create_app
    from service.auth import create_token
    from service.store.db import JobRow

    cfg = {"DATABASE_URL": backend_url, "TESTING": True, "REDIS_URL": None, "HEARTBEAT_STALE": 2.0,
           "REAPER_INTERVAL": 0.5, "PROGRESS_INTERVAL": 0.2}
    app1 = create_app({**cfg, "EXECUTOR": "none"})  # an API that dies before running anything
    db1 = app1.extensions["modulplan"].db
    token = create_token(db1, "coordinator")[0]
    h = {"Authorization": f"Bearer {token}"}
    c1 = app1.test_client()
    sid = c1.post("/api/v1/scenarios", json=tiny, headers=h).get_json()["id"]
    queued = c1.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 2}, headers=h).get_json()["id"]
    dead = c1.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 2}, headers=h).get_json()["id"]
    with db1.Session.begin() as s:  # this one was running in a process that died a minute ago
        j = s.get(JobRow, dead)
        j.state, j.attempts, j.worker = "running", 1, "gone:1:1"
        j.heartbeat_at = datetime.now(UTC) - timedelta(minutes=1)
    app1.extensions["modulplan"].close()

    app2 = create_app({**cfg, "EXECUTOR": "inprocess"})
    try:
        c2 = app2.test_client()
        for job_id, attempts in ((queued, 1), (dead, 2)):
            deadline = time.monotonic() + 60
            while True:
                job = c2.get(f"/api/v1/jobs/{job_id}", headers=h).get_json()
                if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert job["state"] == "succeeded", job
            assert job["attempts"] == attempts
    finally:
        app2.extensions["modulplan"].close()


def test_running_job_of_dead_worker_fails_after_max_attempts(backend_url, tiny):
    from service import create_app
    from service.jobs import Settings, reap
    from service.store.db import Database, JobRow, ScenarioRow

    app = create_app({"DATABASE_URL": backend_url, "EXECUTOR": "none", "REDIS_URL": None})
    db: Database = app.extensions["modulplan"].db
    with db.Session.begin() as s:
        row = ScenarioRow(lineage="tiny-1", name="t", workplaces=[], document=tiny)
        s.add(row)
        s.flush()
        s.add(JobRow(id="deadjob", scenario_id=row.id, state="running", options={}, attempts=2, worker="gone:1:1",
                     heartbeat_at=datetime.now(UTC) - timedelta(minutes=5), cancel_requested=False))
    assert reap(db, Settings(heartbeat_stale=10, max_attempts=2)) == []
    with db.Session() as s:
        job = s.get(JobRow, "deadjob")
    assert job.state == "failed" and "stopped" in job.error and "gone:1:1" not in job.error  # no host:pid
    app.extensions["modulplan"].close()


def test_a_feed_is_rendered_once_per_published_revision_and_a_conditional_get_is_a_304(client, tiny, monkeypatch):
    import service.views.feeds as feeds

    sid = _post_scenario(client, tiny)
    first = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    client.publish(first)
    path = _feed_path(client, first, "workplace", "W-VARD")
    rendered = []
    real = feeds.render_calendar
    monkeypatch.setattr(feeds, "render_calendar", lambda *a, **k: rendered.append(1) or real(*a, **k))
    r1, r2 = client.http.get(path), client.http.get(path)
    assert r1.status_code == r2.status_code == 200 and r1.data == r2.data and len(rendered) == 1
    started = time.monotonic()
    r3 = client.http.get(path, headers={"If-None-Match": r1.headers["ETag"]})
    assert r3.status_code == 304 and not r3.data and len(rendered) == 1 and time.monotonic() - started < 0.1
    second = client.wait_job(_solve(client, sid, time_limit=2, random_seed=5)["id"])["schedule_id"]
    assert client.http.get(path).data == r1.data  # a draft changes nothing
    client.publish(second)
    r4 = client.http.get(path, headers={"If-None-Match": r1.headers["ETag"]})
    assert len(rendered) == 2 and r4.status_code in (200, 304)  # rendered anew for the new revision


def test_a_manager_sees_no_costs_objective_or_other_workplaces_figures(client, tiny):
    sid = _post_scenario(client, tiny)
    sched = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    client.publish(sched)
    full = client.get(f"/api/v1/schedules/{sched}").get_json()
    view = client.get(f"/api/v1/schedules/{sched}", role="manager").get_json()
    assert full["objective"] is not None and "objective_breakdown" in full["kpis"]
    assert not {"objective", "bound", "solve_seconds"} & set(view)
    assert view["kpis"] == {"sessions_total": len(view["sessions"]) + len(view["unscheduled"]),
                            "sessions_scheduled": len(view["sessions"])}
    assert [s["workplaces"] for s in client.get("/api/v1/scenarios", role="manager").get_json()] == [["W-VARD"]]
    board = client.get(f"/api/v1/board/schedules/{sched}", role="manager").get_json()
    assert not {"objective", "bound", "kpis"} & set(board)


def test_feeds_can_be_revoked_by_a_coordinator_in_the_api_and_on_the_command_line(client, tiny, backend_url,
                                                                                   monkeypatch):
    from scheduler.cli import main

    sid = _post_scenario(client, tiny)
    sched = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    client.publish(sched)
    path = _feed_path(client, sched, "trainer", "T-ERIK")
    assert client.http.get(path).status_code == 200
    _problem(client.http.delete(path), 401)
    _problem(client.http.delete(path, headers=client.h("planner")), 403)
    assert client.http.delete(path, headers=client.h("coordinator")).status_code == 204
    _problem(client.http.get(path), 404)
    fresh = _feed_path(client, sched, "trainer", "T-ERIK")
    assert fresh != path and client.http.get(fresh).status_code == 200
    monkeypatch.setenv("DATABASE_URL", backend_url)
    assert main(["feed", "revoke", "https://example.invalid" + fresh]) == 0
    _problem(client.http.get(fresh), 404)
    assert main(["feed", "revoke", "no-such-token"]) == 2


def test_a_managers_feed_is_theirs_and_dies_with_their_access(client, tiny):
    from sqlalchemy import select

    from service.auth import hash_token, touch_revoked
    from service.store.db import ApiTokenRow

    sid = _post_scenario(client, tiny)
    sched = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    client.publish(sched)
    theirs = client.get(f"/api/v1/schedules/{sched}/calendars", role="manager").get_json()["feeds"][0]["url"]
    ours = _feed_path(client, sched, "workplace", "W-VARD")
    theirs = "/" + theirs.split("://", 1)[1].split("/", 1)[1]
    assert theirs != ours and client.http.get(theirs).status_code == 200
    db = client.app.extensions["modulplan"].db
    with db.Session() as s:
        manager = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(client.tokens["manager"])))
    touch_revoked(db, manager.id)
    _problem(client.http.get(theirs), 404)
    assert client.http.get(ours).status_code == 200  # the coordinator's copy is not the manager's


def test_feed_links_survive_a_rotation_of_the_secret_key(backend_url, tiny):
    from service import create_app
    from service.store import _feed_token
    from service.store.db import FeedRow

    from .conftest import Client

    def app_with(key):
        return create_app({"DATABASE_URL": backend_url, "TESTING": True, "EXECUTOR": "inprocess", "REDIS_URL": None,
                           "SECRET_KEY": key, "START_BACKGROUND": False})

    first = Client(app_with("first key"))
    rotated = None
    try:
        sid = first.post("/api/v1/scenarios", json=tiny).get_json()["id"]
        sched = first.wait_job(_solve(first, sid, time_limit=2)["id"])["schedule_id"]
        first.publish(sched)
        before = _feed_path(first, sched, "room", "R-LC")
        # a feed made before tokens were kept: derived from the first key, only its hash stored
        db = first.app.extensions["modulplan"].db
        legacy = FeedRow(lineage=first.programme(sid), kind="cohort", entity_id="legacy", salt="00", token_hash="")
        legacy_token = _feed_token(b"first key", legacy)
        import hashlib

        legacy.token_hash = hashlib.sha256(legacy_token.encode()).hexdigest()
        with db.Session.begin() as s:
            s.add(legacy)
        rotated = Client(app_with("second key"))
        rotated.tokens = first.tokens
        assert _feed_path(rotated, sched, "room", "R-LC") == before  # the same link is listed again
        assert rotated.http.get(before).status_code == 200
        from service.store import find_feed

        assert find_feed(rotated.app.extensions["modulplan"].db, legacy_token) is not None  # old links keep working
    finally:  # both apps' connections are closed here, not by the garbage collector in a later test
        first.app.extensions["modulplan"].close()
        if rotated is not None:
            rotated.app.extensions["modulplan"].close()


def test_feeds_name_trainers_and_interpreters_only_where_the_programme_allows_it(client, tiny):
    import copy

    import icalendar

    def descriptions(doc, kind, entity):
        sid = _post_scenario(client, doc)
        sched = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
        client.publish(sched)
        ics = client.http.get(_feed_path(client, sched, kind, entity)).data
        return " ".join(str(e.get("DESCRIPTION")) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT"))

    erik = next(t["name"] for t in tiny["trainers"] if t["id"] == "T-ERIK")
    amal = next(i["name"] for i in tiny["interpreters"] if i["id"] == "I-AMAL")
    hidden = descriptions(tiny, "workplace", "W-BRUK") + descriptions(tiny, "room", "R-LC")
    assert "Utbildare:" not in hidden and amal not in hidden
    assert f"Utbildare: {erik}" in descriptions(tiny, "trainer", "T-ERIK")  # their own calendar
    allowed = copy.deepcopy(tiny)
    allowed["publication"] = {"trainer_names": True, "interpreter_names": True}
    shown = descriptions(allowed, "workplace", "W-BRUK") + descriptions(allowed, "workplace", "W-VARD")
    assert f"Utbildare: {erik}" in shown and f"Tolk: {amal}" in shown


def test_erasing_a_programmes_participants_leaves_no_id_and_keeps_every_schedule_valid(client, tiny):
    from scheduler.validate import validate

    sid = _post_scenario(client, tiny)
    sched = client.wait_job(_solve(client, sid, time_limit=2)["id"])["schedule_id"]
    client.publish(sched)
    feed = _feed_path(client, sched, "workplace", "W-VARD")
    ics = client.http.get(feed).data
    named = {p["id"] for plan in tiny["action_plans"] for p in plan["participants"] if "id" in p}
    assert named
    _problem(client.post(f"/api/v1/scenarios/{sid}/erase-participants", role="planner"), 403)
    r = client.post(f"/api/v1/scenarios/{sid}/erase-participants")
    assert r.status_code == 200 and r.get_json()["participants_erased"] == len(named)
    doc = client.get(f"/api/v1/scenarios/{sid}").get_json()["document"]
    schedule = client.get(f"/api/v1/schedules/{sched}").get_json()
    text = json.dumps(doc) + json.dumps(schedule)
    assert not [pid for pid in named if f'"{pid}"' in text]
    assert validate(doc, schedule).ok
    assert client.http.get(feed).data == ics  # calendars never named participants
    assert client.post(f"/api/v1/scenarios/{sid}/erase-participants").get_json()["participants_erased"] == 0
