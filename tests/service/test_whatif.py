"""What-if planning in the API: variants with lineage, re-plan jobs, publishing into the
feeds (same UID, higher SEQUENCE, CANCELLED for a grace period), comparison."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest

from scheduler.io.ics import session_uid
from scheduler.validate import validate
from service.store import within_grace

from .calendars import check_calendar

AWAY = [{"type": "unavailable", "trainer": "T-SARA", "start": "2026-03-03", "end": "2026-03-03"}]
OPTIONS = {"time_limit": 1.5, "workers": 1}


def _post(client, path, body, status):
    r = client.post(path, json=body)
    assert r.status_code == status, r.get_data(as_text=True)
    return r.get_json()


def _solved(client, job: dict) -> dict:
    job = client.wait_job(job["id"], timeout=90)
    assert job["state"] == "succeeded", job
    return client.get(f"/api/v1/schedules/{job['schedule_id']}").get_json() | {"_id": job["schedule_id"]}


def _events(client, url: str) -> dict[str, icalendar.Event]:
    r = client.get(urlsplit(url).path, role=None)
    assert r.status_code == 200
    return {str(ev["UID"]): ev for ev in icalendar.Calendar.from_ical(r.data).walk("VEVENT")}


@pytest.fixture
def published(client, tiny):
    """The tiny scenario stored, solved and published: (scenario id, its published schedule)."""
    sid = _post(client, "/api/v1/scenarios", tiny, 201)["id"]
    schedule = _solved(client, _post(client, f"/api/v1/scenarios/{sid}/solve", OPTIONS, 202))
    client.publish(schedule["_id"])
    return sid, schedule


def _feed(client, schedule_id: str, kind: str, entity: str) -> str:
    feeds = client.get(f"/api/v1/schedules/{schedule_id}/calendars").get_json()["feeds"]
    return next(f["url"] for f in feeds if (f["kind"], f["entity_id"]) == (kind, entity))


def test_a_variant_is_stored_with_its_parent_and_changes(client, published):
    sid, _ = published
    v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"name": "Sara sick", "changes": AWAY}, 201)
    assert (v["parent"], v["changes"], v["name"]) == (sid, AWAY, "Sara sick")
    assert v["document"]["id"] == "tiny-1"
    listed = client.get(f"/api/v1/scenarios/{sid}/variants").get_json()
    assert [x["id"] for x in listed] == [v["id"]]
    again = _post(client, f"/api/v1/scenarios/{v['id']}/variants", {"changes": [{"type": "remove_room",
                                                                                 "room": "R-BRUK"}]}, 201)
    assert [a["changes"] for a in again["ancestors"]] == [[{"type": "remove_room", "room": "R-BRUK"}], AWAY]
    assert again["root_lineage"] == client.programme(sid)


def test_a_variant_of_a_scenario_with_unused_fields_carries_the_warnings(client, tiny):
    tiny["workplaces"][0]["teams"][0]["name"] = "Skiftlag 1"
    sid = _post(client, "/api/v1/scenarios", tiny, 201)["id"]
    v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": AWAY}, 201)
    assert [w["path"] for w in v["warnings"]] == ["$.workplaces[0].teams[0].name"]


def test_invalid_changes_are_a_422_naming_each_change(client, published):
    sid, _ = published
    r = client.post(f"/api/v1/scenarios/{sid}/variants", json={"changes": [
        {"type": "remove_room", "room": "R-BRUK"}, {"type": "unavailable", "trainer": "T9", "start": "2026-03-03",
                                                    "end": "2026-03-04"}, {"type": "teleport"}]})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert [e["path"] for e in r.get_json()["errors"]] == ["$.changes[1].trainer", "$.changes[2].type"]
    assert "unknown trainer 'T9'" in r.get_json()["errors"][0]["message"]


def test_a_replan_job_keeps_frozen_sessions_and_lists_what_moved(client, tiny, published):
    sid, base = published
    v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": AWAY}, 201)
    new = _solved(client, _post(client, f"/api/v1/scenarios/{v['id']}/replan",
                                {**OPTIONS, "freeze_until": "2026-03-03"}, 202))
    assert validate(v["document"], new, baseline=base).ok
    sara = {s["id"] for s in base["sessions"] if s["trainer"] == "T-SARA" and s["start"].startswith("2026-03-03")}
    assert sara and sara <= set(new["moved"])
    assert set(new["replan"]["frozen"]) == {s["id"] for s in base["sessions"] if s["start"] < "2026-03-03"}


def test_a_replan_does_not_touch_the_published_calendars_until_published(client, published):
    sid, base = published
    url = _feed(client, base["_id"], "trainer", "T-SARA")
    before = client.get(urlsplit(url).path, role=None).data
    v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": AWAY}, 201)
    _solved(client, _post(client, f"/api/v1/scenarios/{v['id']}/replan", OPTIONS, 202))
    assert client.get(urlsplit(url).path, role=None).data == before


def test_after_publishing_feeds_show_moved_sessions_with_the_same_uid_and_a_higher_sequence(client, tiny, published):
    sid, base = published
    url = _feed(client, base["_id"], "trainer", "T-SARA")
    before = _events(client, url)
    v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": AWAY}, 201)
    new = _solved(client, _post(client, f"/api/v1/scenarios/{v['id']}/replan", OPTIONS, 202))
    pub = _post(client, f"/api/v1/schedules/{new['_id']}/publish", None, 201)
    assert sorted(pub["moved"]) == sorted(new["moved"])
    after = _events(client, url)
    programme = client.programme(sid)
    check_calendar(client.get(urlsplit(url).path, role=None).data, tiny, new, kind="trainer", entity_id="T-SARA",
                   programme=programme)
    moved_uids = {session_uid(programme, s) for s in new["sessions"] if s["id"] in new["moved"]
                  and s["trainer"] == "T-SARA"}
    assert moved_uids and moved_uids <= set(before)
    for uid in moved_uids:
        assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    for uid in set(before) & set(after) - moved_uids:
        assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"])


def test_after_publishing_removed_sessions_are_cancelled_in_the_feeds_for_the_grace_period(client, tiny, published):
    sid, base = published
    url = _feed(client, base["_id"], "workplace", "W-VARD")
    vard = {c["id"] for c in base["cohorts"] if "v-101" in c["participants"]}  # plan HP-VARD-1's cohort
    gone = [s for s in base["sessions"] if s["cohort"] in vard]
    assert gone
    keep = [p for p in tiny["action_plans"] if p["id"] != "HP-VARD-1"]
    v = _post(client, f"/api/v1/scenarios/{sid}/variants",
              {"changes": [{"type": "merge_patch", "patch": {"action_plans": keep}}]}, 201)
    new = _solved(client, _post(client, f"/api/v1/scenarios/{v['id']}/replan", OPTIONS, 202))
    assert set(new["cancelled"]) == {s["id"] for s in gone}
    _post(client, f"/api/v1/schedules/{new['_id']}/publish", None, 201)
    events = _events(client, url)
    for s in gone:
        ev = events[session_uid(client.programme(sid), s)]
        assert str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) >= 1
    client.app.config["CANCELLED_GRACE_DAYS"] = 0
    assert not any(session_uid(client.programme(sid), s) in _events(client, url) for s in gone)


def test_cancellations_older_than_the_grace_period_are_left_out():
    now = datetime(2026, 3, 10, tzinfo=UTC)
    fresh = {"id": "a", "cancelled_at": (now - timedelta(days=2)).isoformat()}
    old = {"id": "b", "cancelled_at": (now - timedelta(days=30)).isoformat()}
    assert within_grace([fresh, old, {"id": "c"}], 28, now) == [fresh, {"id": "c"}]


def test_several_variants_are_solved_in_parallel_as_separate_jobs(client, published):
    sid, base = published
    jobs = []
    for changes in (AWAY, [{"type": "weights", "weights": {"overtime_per_hour": 100}}]):
        v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": changes}, 201)
        jobs.append(_post(client, f"/api/v1/scenarios/{v['id']}/replan", OPTIONS, 202))
    assert len({j["id"] for j in jobs}) == 2
    assert all(_solved(client, j)["replan"] for j in jobs)


def test_compare_shows_every_kpi_of_three_schedules_as_the_validator_computes_them(client, tiny, published):
    sid, base = published
    ids, docs = [base["_id"]], [(tiny, base)]
    for changes in (AWAY, [{"type": "weights", "weights": {"overtime_per_hour": 100}}]):
        v = _post(client, f"/api/v1/scenarios/{sid}/variants", {"changes": changes}, 201)
        new = _solved(client, _post(client, f"/api/v1/scenarios/{v['id']}/replan", OPTIONS, 202))
        ids.append(new["_id"])
        docs.append((v["document"], {k: x for k, x in new.items() if k != "_id"}))
    r = client.get(f"/api/v1/compare?schedules={','.join(ids)}")
    assert r.status_code == 200, r.get_data(as_text=True)
    out = r.get_json()
    assert out["ids"] == ids
    assert [row["label"] for row in out["schedules"]] == ids
    for row, (scenario, schedule) in zip(out["schedules"], docs):
        k = validate(scenario, schedule).kpis
        assert row["objective"] == pytest.approx(k["objective"])
        assert row["objective_breakdown"] == pytest.approx(k["objective_breakdown"])
        assert {"trainer_hours", "completion", "backfill_hours", "overtime_hours", "unscheduled"} <= set(row)
    assert [d["to"] for d in out["differences"]] == ids[1:]


def test_compare_with_an_unknown_schedule_is_a_404_problem(client, published):
    r = client.get(f"/api/v1/compare?schedules={published[1]['_id']},nope")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_a_replan_without_a_published_baseline_is_a_422(client, tiny):
    doc = copy.deepcopy(tiny)
    doc["id"] = "never-solved"
    sid = _post(client, "/api/v1/scenarios", doc, 201)["id"]
    r = client.post(f"/api/v1/scenarios/{sid}/replan", json=OPTIONS)
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "$.baseline"
