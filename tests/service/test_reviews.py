"""Review before publishing (issue 15): a draft is sent for review, each workplace's manager
answers (accept, or periods when a team cannot release anyone), every answer is kept, the
marks become a what-if variant, and its re-plan against the proposal keeps the blocked week
free of that team. A manager never reaches another workplace's answer or sessions."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta

import pytest

from scheduler.solve.replan import diff_sessions
from scheduler.validate import validate

OPTIONS = {"time_limit": 1.5, "workers": 1}
HIDDEN_COMMENT = "hemligt: Lindens inventering"


def _solve(client, scenario_id: str, path: str = "solve", **extra) -> dict:
    r = client.post(f"/api/v1/scenarios/{scenario_id}/{path}", json={**OPTIONS, **extra})
    assert r.status_code == 202, r.get_data(as_text=True)
    job = client.wait_job(r.get_json()["id"], timeout=90)
    assert job["state"] == "succeeded", job
    return client.get(f"/api/v1/schedules/{job['schedule_id']}").get_json() | {"_id": job["schedule_id"]}


def _store(client, doc: dict) -> str:
    r = client.post("/api/v1/scenarios", json=doc)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()["id"]


@pytest.fixture
def proposal(client, tiny):
    """The tiny scenario stored and solved: (scenario id, the draft schedule with "_id")."""
    sid = _store(client, tiny)
    return sid, _solve(client, sid)


def _send(client, schedule_id: str) -> dict:
    r = client.post(f"/api/v1/schedules/{schedule_id}/review")
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def _put(client, schedule_id: str, workplace: str, body: dict, role: str = "manager"):
    return client.http.put(f"/api/v1/schedules/{schedule_id}/review/answers/{workplace}", json=body,
                           headers=client.h(role), buffered=True)


def _vard_week(schedule: dict) -> tuple[str, str]:
    """Monday..Friday of the week of the proposal's first session of the Linden cohort."""
    linden = {c["id"] for c in schedule["cohorts"] if "W-VARD" in c["workplaces"]}
    first = min(s["start"] for s in schedule["sessions"] if s["cohort"] in linden)
    day = datetime.fromisoformat(first).date()
    monday = day - timedelta(days=day.weekday())
    return monday.isoformat(), (monday + timedelta(days=4)).isoformat()


BLOCK = {"answer": "changes", "comment": HIDDEN_COMMENT,
         "blocked": [{"team": "vard-dag", "start": "2026-03-16", "end": "2026-03-20", "reason": "inventering"}]}


# ------------------------------------------------------------------ send

def test_sending_a_draft_for_review_asks_every_workplace_with_plans(client, proposal):
    _, draft = proposal
    review = _send(client, draft["_id"])
    assert [w["workplace"] for w in review["workplaces"]] == ["W-BRUK", "W-VARD"]
    assert review["unanswered"] == ["W-BRUK", "W-VARD"] and review["status"] == "open"
    again = client.post(f"/api/v1/schedules/{draft['_id']}/review")
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    for role in ("coordinator", "planner"):
        r = client.get(f"/api/v1/schedules/{draft['_id']}/review", role=role)
        assert r.status_code == 200 and r.get_json()["id"] == review["id"]
    listed = client.get("/api/v1/reviews", role="planner").get_json()
    assert [(x["schedule"], x["answered"], x["workplaces"]) for x in listed] == [(draft["_id"], 0, 2)]


def test_send_errors_are_named(client, proposal):
    _, draft = proposal
    assert client.post("/api/v1/schedules/nope/review").status_code == 404
    assert client.get(f"/api/v1/schedules/{draft['_id']}/review").status_code == 404  # not sent yet
    for role in ("planner", "manager"):
        assert client.post(f"/api/v1/schedules/{draft['_id']}/review", role=role).status_code == 403
    client.publish(draft["_id"])
    r = client.post(f"/api/v1/schedules/{draft['_id']}/review")
    assert r.status_code == 409 and "published" in r.get_json()["detail"]


# ------------------------------------------------------------------ answer

def test_answers_are_kept_and_the_latest_counts(client, proposal):
    _, draft = proposal
    _send(client, draft["_id"])
    first = _put(client, draft["_id"], "W-VARD", BLOCK)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["blocked"] == BLOCK["blocked"]
    second = _put(client, draft["_id"], "W-VARD", {"answer": "accept", "comment": "ok ändå"})
    assert second.status_code == 200
    by_coordinator = _put(client, draft["_id"], "W-BRUK", {"answer": "accept"}, role="coordinator")
    assert by_coordinator.status_code == 200
    review = client.get(f"/api/v1/schedules/{draft['_id']}/review").get_json()
    latest = {w["workplace"]: w["answer"]["answer"] for w in review["workplaces"]}
    assert latest == {"W-BRUK": "accept", "W-VARD": "accept"} and review["unanswered"] == []
    assert [(a["workplace"], a["answer"]) for a in review["history"]] == [
        ("W-VARD", "changes"), ("W-VARD", "accept"), ("W-BRUK", "accept")]
    mine = client.get(f"/api/v1/schedules/{draft['_id']}/review", role="manager").get_json()
    assert mine["answer"]["comment"] == "ok ändå" and len(mine["history"]) == 2
    assert _put(client, draft["_id"], "W-VARD", {"answer": "accept"}, role="planner").status_code == 403
    closed = client.post(f"/api/v1/schedules/{draft['_id']}/review/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    late = _put(client, draft["_id"], "W-VARD", {"answer": "accept"})
    assert late.status_code == 409
    assert client.post(f"/api/v1/schedules/{draft['_id']}/review/close").status_code == 409
    assert _send(client, draft["_id"])["history"] == []  # a new round; the old answers stay with the old one


def test_an_invalid_answer_is_a_422_naming_every_error(client, proposal):
    _, draft = proposal
    _send(client, draft["_id"])
    r = _put(client, draft["_id"], "W-VARD", {"answer": "changes", "comment": 7, "colour": "blue", "blocked": [
        {"team": "natt", "start": "2026-03-20", "end": "2026-03-16"},
        {"team": "vard-dag", "start": "2026-01-05", "end": "2026-09-01"},
        {"team": "vard-dag", "start": "16 mars"}]})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    errors = {(e["path"], e["message"]) for e in r.get_json()["errors"]}
    paths = {p for p, _ in errors}
    assert {"$.comment", "$.colour", "$.blocked[0].team", "$.blocked[0].end", "$.blocked[1].start",
            "$.blocked[1].end", "$.blocked[2].start", "$.blocked[2].end"} <= paths
    assert ("$.blocked[0].team", "unknown team 'natt' of workplace W-VARD (its teams: vard-dag)") in errors
    assert ("$.blocked[1].start", "is before the start of the horizon (2026-03-02)") in errors
    assert ("$.blocked[1].end", "is after the end of the horizon (2026-05-29)") in errors
    bad = _put(client, draft["_id"], "W-VARD", {"answer": "maybe"})
    assert [e["path"] for e in bad.get_json()["errors"]] == ["$.answer"]
    both = _put(client, draft["_id"], "W-VARD", {"answer": "accept", "blocked": BLOCK["blocked"]})
    assert [e["path"] for e in both.get_json()["errors"]] == ["$.blocked"]
    empty = _put(client, draft["_id"], "W-VARD", {"answer": "changes"})
    assert [e["path"] for e in empty.get_json()["errors"]] == ["$.blocked"]
    assert _put(client, draft["_id"], "W-VARD", ["accept"]).status_code == 422
    assert client.get(f"/api/v1/schedules/{draft['_id']}/review").get_json()["history"] == []  # nothing stored


# ------------------------------------------------------------------ isolation

def test_a_manager_sees_only_their_workplace_through_every_endpoint(client, proposal):
    _, draft = proposal
    sched = draft["_id"]
    assert client.get(f"/api/v1/schedules/{sched}/review", role="manager").status_code == 404  # not under review
    assert client.get("/api/v1/reviews", role="manager").get_json() == []
    _send(client, sched)
    assert _put(client, sched, "W-VARD", BLOCK).status_code == 200
    bruk = client.get(f"/api/v1/schedules/{sched}/review", role="manager_bruk")
    assert bruk.status_code == 200
    body = bruk.get_json()
    text = json.dumps(body, ensure_ascii=False)
    assert body["workplace"] == "W-BRUK" and body["answer"] is None and body["history"] == []
    assert HIDDEN_COMMENT not in text and "inventering" not in text and "v-101" not in text
    bruk_cohorts = {c["id"] for c in draft["cohorts"] if c["workplaces"] == ["W-BRUK"]}
    assert body["proposal"]["sessions"] and {s["cohort"] for s in body["proposal"]["sessions"]} <= bruk_cohorts
    assert all(t["workplace"] == "W-BRUK" for t in body["proposal"]["staffing"])
    assert [t["id"] for t in body["teams"]] == ["skiftlag-1", "skiftlag-2"]
    # another workplace's answer: never readable or writable, always 404
    for role, other in (("manager_bruk", "W-VARD"), ("manager", "W-BRUK")):
        r = _put(client, sched, other, {"answer": "accept"}, role=role)
        assert r.status_code == 404, r.get_data(as_text=True)
        assert HIDDEN_COMMENT not in r.get_data(as_text=True)
    for role in ("manager", "manager_bruk"):
        for path in ("review/variant", "review/close", "review"):
            r = client.post(f"/api/v1/schedules/{sched}/{path}", role=role)
            assert r.status_code in (403, 404) and HIDDEN_COMMENT not in r.get_data(as_text=True)
        listed = client.get("/api/v1/reviews", role=role)
        assert listed.status_code == 200 and HIDDEN_COMMENT not in listed.get_data(as_text=True)
        assert client.get("/api/v1/schedules/nope/review", role=role).status_code == 404
        assert _put(client, "nope", "W-VARD", {"answer": "accept"}, role=role).status_code == 404
    assert client.get("/api/v1/reviews", role="manager_bruk").get_json()[0]["answer"] is None
    assert client.get("/api/v1/reviews", role="manager").get_json()[0]["answer"] == "changes"
    history = client.get(f"/api/v1/schedules/{sched}/review").get_json()["history"]
    assert [a["workplace"] for a in history] == ["W-VARD"]  # the 404s stored nothing


def test_a_manager_of_a_workplace_without_plans_gets_404_everywhere(client, tiny):
    tiny["action_plans"] = [p for p in tiny["action_plans"] if p["workplace"] == "W-VARD"]
    sid = _store(client, tiny)
    sched = _solve(client, sid)["_id"]
    assert [w["workplace"] for w in _send(client, sched)["workplaces"]] == ["W-VARD"]
    assert client.get(f"/api/v1/schedules/{sched}/review", role="manager_bruk").status_code == 404
    for workplace in ("W-BRUK", "W-VARD"):
        assert _put(client, sched, workplace, {"answer": "accept"}, role="manager_bruk").status_code == 404
    assert client.get("/api/v1/reviews", role="manager_bruk").get_json() == []
    assert _put(client, sched, "W-BRUK", {"answer": "accept"}, role="coordinator").status_code == 404


# ------------------------------------------------------------------ variant and re-plan

def test_the_variant_carries_the_blocked_periods_as_block_team_changes(client, proposal):
    sid, draft = proposal
    _send(client, draft["_id"])
    none = client.post(f"/api/v1/schedules/{draft['_id']}/review/variant")
    assert none.status_code == 409  # nobody marked anything yet
    assert _put(client, draft["_id"], "W-VARD", BLOCK).status_code == 200
    assert _put(client, draft["_id"], "W-BRUK", {"answer": "accept"}).status_code == 404  # not their workplace
    r = client.post(f"/api/v1/schedules/{draft['_id']}/review/variant")
    assert r.status_code == 201, r.get_data(as_text=True)
    v = r.get_json()
    assert v["parent"] == sid
    assert v["changes"] == [{"type": "block_team", "workplace": "W-VARD", "team": "vard-dag", "start": "2026-03-16",
                             "end": "2026-03-20", "reason": "inventering"}]
    assert v["replan"] == {"method": "POST", "href": f"/api/v1/scenarios/{v['id']}/replan",
                           "body": {"baseline": draft["_id"]}}
    team = next(t for w in v["document"]["workplaces"] if w["id"] == "W-VARD" for t in w["teams"])
    assert team["blocked"][-1]["start"] == "2026-03-16"
    assert [x["id"] for x in client.get(f"/api/v1/scenarios/{sid}/variants").get_json()] == [v["id"]]
    assert client.get(f"/api/v1/schedules/{draft['_id']}/review").get_json()["variant"] == v["id"]
    assert client.post(f"/api/v1/schedules/{draft['_id']}/review/variant", role="planner").status_code == 403


def _team_sessions_in(schedule: dict, workplace: str, first: str, last: str) -> list[str]:
    """The sessions of the workplace's cohorts that start from ``first`` to ``last``."""
    lo, hi = date.fromisoformat(first), date.fromisoformat(last)
    cohorts = {c["id"] for c in schedule["cohorts"] if workplace in c["workplaces"]}
    return [s["id"] for s in schedule["sessions"] if s["cohort"] in cohorts
            and lo <= datetime.fromisoformat(s["start"]).date() <= hi]


def test_the_replan_keeps_the_blocked_week_free_and_moves_less_than_a_fresh_solve(client, proposal):
    """Acceptance of issue 15: the manager blocks the week of Linden's first session; after the
    re-plan of the review's variant that week holds none of the team's sessions, the re-plan
    moves fewer sessions than a fresh solve of the variant, and the validator accepts it."""
    _, draft = proposal
    first, last = _vard_week(draft)
    assert _team_sessions_in(draft, "W-VARD", first, last)
    _send(client, draft["_id"])
    body = copy.deepcopy(BLOCK)
    body["blocked"][0].update(start=first, end=last)
    assert _put(client, draft["_id"], "W-VARD", body).status_code == 200
    v = client.post(f"/api/v1/schedules/{draft['_id']}/review/variant").get_json()
    replanned = _solve(client, v["id"], "replan", **v["replan"]["body"])
    fresh = _solve(client, v["id"])
    assert _team_sessions_in(replanned, "W-VARD", first, last) == []
    report = validate(v["document"], replanned, baseline=draft)
    assert report.ok, [str(x) for x in report.violations]
    moved_replan = diff_sessions(draft, replanned)["moved"]
    moved_fresh = diff_sessions(draft, fresh)["moved"]
    assert len(moved_replan) < len(moved_fresh)
    linden = {c["id"] for c in draft["cohorts"] if "W-VARD" in c["workplaces"]}
    moved = {s["id"]: s["cohort"] for s in draft["sessions"] if s["id"] in moved_replan}
    assert set(moved.values()) <= linden  # Bruket's sessions stay where the proposal had them


# ------------------------------------------------------------------ the board's review page

def test_the_review_page_and_its_scripts_are_served_with_every_text(client):
    import re

    from service.board.i18n import TEXTS

    page = client.get("/board/schedules/abc/review", role=None)
    assert page.status_code == 200 and "Granska förslaget" in page.get_data(as_text=True)
    used = set()
    for name in ("js/review_panel.js", "pages/review.js"):
        resp = client.get(f"/board/static/{name}", role=None)
        assert resp.status_code == 200, name
        used |= set(re.findall(r'\bt\("(\w+)"', resp.get_data(as_text=True)))
    used |= {f"review_answered_{a}" for a in ("accept", "changes")}
    assert used <= TEXTS["sv"].keys() and used <= TEXTS["en"].keys(), used - TEXTS["sv"].keys()
