"""Action plans over the API (issue 15): managers enter their workplace's plans, coordinators
see who has submitted, compile the submitted plans into the programme's next scenario and solve it.

Roles: a manager reads and writes only their own workplace's plans (another workplace's plan
is a 404 through every endpoint), a planner reads everything and writes nothing, a coordinator
does everything. Every change is kept in the plan's history."""

from __future__ import annotations

import pytest

BASE = "/api/v1/scenarios"

# W-VARD's team vard-dag: headcount 8, minimum staffing 5, so a staffing slack of 3
VARD_PLAN = {"track": "K-VARD", "participants": [{"id": "v-201", "team": "vard-dag"},
                                                 {"id": "v-202", "team": "vard-dag", "language": "ar"}],
             "earliest": "2026-03-02", "deadline": "2026-05-29", "target": "2026-04-30",
             "allow_on_shift": True, "allow_off_shift": False, "note": "Ta det lugnt i mars"}


def _put(client, path, role, **kw):
    return client.http.put(path, headers=client.h(role), buffered=True, **kw)


def _delete(client, path, role):
    return client.http.delete(path, headers=client.h(role), buffered=True)


@pytest.fixture
def programme(client, tiny) -> str:
    r = client.post(BASE, json=tiny)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()["id"]


def _enter(client, scenario: str, plan: dict | None = None, role: str = "manager") -> dict:
    r = client.post(f"{BASE}/{scenario}/action-plans", json=plan or VARD_PLAN, role=role)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def test_a_manager_enters_changes_submits_withdraws_and_deletes_a_plan_and_every_change_is_kept(client, programme):
    created = _enter(client, programme)
    assert created["status"] == "draft" and created["workplace"] == "W-VARD"
    assert created["plan_id"] == "W-VARD-1"  # <workplace>-<n> when the plan names no id
    assert created["document"]["note"] == "Ta det lugnt i mars"
    assert created["created_by"]["role"] == "manager" and created["warnings"] == []
    url = created["links"]["self"]

    got = client.get(url, role="manager").get_json()
    assert got["document"] == created["document"] and got["feedback"]["complete"] is True
    listed = client.get(f"{BASE}/{programme}/action-plans", role="manager").get_json()
    assert [p["id"] for p in listed] == [created["id"]]

    changed = dict(VARD_PLAN, deadline="2026-05-15")
    r = _put(client, url, "manager", json=changed)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["document"]["deadline"] == "2026-05-15" and r.get_json()["version"] == 2
    assert r.get_json()["plan_id"] == "W-VARD-1"  # the id stays when the body names none

    r = client.post(created["links"]["submit"], role="manager")
    assert r.status_code == 200 and r.get_json()["status"] == "submitted"
    assert client.post(created["links"]["submit"], role="manager").status_code == 409  # already submitted
    r = client.post(created["links"]["withdraw"], role="manager")
    assert r.status_code == 200 and r.get_json()["status"] == "withdrawn"
    assert client.post(created["links"]["withdraw"], role="manager").status_code == 409  # not submitted
    client.post(created["links"]["submit"], role="manager")
    r = _put(client, url, "manager", json=dict(changed, note="ändrad"))  # editing a submitted plan: a draft again
    assert r.get_json()["status"] == "draft"

    assert _delete(client, url, "manager").status_code == 204
    assert client.get(url, role="manager").status_code == 404
    assert client.get(f"{BASE}/{programme}/action-plans", role="manager").get_json() == []
    history = client.get(created["links"]["history"]).get_json()  # a coordinator reads a deleted plan's history
    assert history["deleted"] is True
    assert [e["action"] for e in history["events"]] == ["created", "updated", "submitted", "withdrawn", "submitted",
                                                        "updated", "deleted"]
    assert [e["status"] for e in history["events"]] == ["draft", "draft", "submitted", "withdrawn", "submitted",
                                                         "draft", "draft"]
    assert history["events"][1]["document"]["deadline"] == "2026-05-15"
    assert {e["by"]["role"] for e in history["events"]} == {"manager"}
    assert [e["version"] for e in history["events"]] == list(range(1, 8))


def test_a_coordinator_enters_a_plan_for_any_workplace_with_an_id_of_their_choice(client, programme):
    plan = {"id": "HP-BRUK-2", "workplace": "W-BRUK", "track": "K-SAK",
            "participants": [{"team": "skiftlag-1", "count": 3}], "allow_off_shift": True}
    created = _enter(client, programme, plan, role="coordinator")
    assert created["plan_id"] == "HP-BRUK-2" and created["workplace"] == "W-BRUK"
    assert created["created_by"]["role"] == "coordinator"
    # the manager of W-BRUK sees it, the one of W-VARD does not
    assert [p["id"] for p in client.get(f"{BASE}/{programme}/action-plans", role="manager_bruk").get_json()] \
        == [created["id"]]
    assert client.get(f"{BASE}/{programme}/action-plans", role="manager").get_json() == []
    # an id is used once per programme
    r = client.post(f"{BASE}/{programme}/action-plans", json=plan, role="coordinator")
    assert r.status_code == 422 and {"path": "$.id", "message": "the programme already has an action plan "
                                                                "HP-BRUK-2"} in r.get_json()["errors"]


def test_a_plan_with_several_errors_is_refused_with_every_error_named_by_its_path_in_the_plan(client, programme):
    bad = {"track": "K-NOPE", "earliest": "2026-06-01", "deadline": "2026-03-01", "allow_on_shift": "ja",
           "participants": [{"team": "natt"}, {"id": "v-9", "team": "vard-dag", "count": 2}],
           "note": 12, "mystery": 1}
    r = client.post(f"{BASE}/{programme}/action-plans", json=bad, role="manager")
    assert r.status_code == 422
    body = r.get_json()
    assert r.mimetype == "application/problem+json" and body["title"] == "Invalid action plan"
    paths = {e["path"] for e in body["errors"]}
    assert {"$.track", "$.deadline", "$.allow_on_shift", "$.participants[0]", "$.participants[0].team",
            "$.participants[1]", "$.note"} <= paths
    assert all(not p.startswith("$.action_plans") for p in paths)
    assert any("K-NOPE" in e["message"] for e in body["errors"])
    assert {"path": "$.mystery"} == {"path": body["warnings"][0]["path"]}  # an unknown field, as for scenarios
    assert client.get(f"{BASE}/{programme}/action-plans").get_json() == []  # nothing stored

    # a PUT is checked the same way, and changes nothing
    created = _enter(client, programme)
    r = _put(client, created["links"]["self"], "manager", json=bad)
    assert r.status_code == 422 and {e["path"] for e in r.get_json()["errors"]} == paths
    assert client.get(created["links"]["self"], role="manager").get_json()["version"] == 1


def test_the_feedback_names_the_staffing_slack_and_the_diagnosis_of_the_plan_in_swedish_and_english(client, tiny):
    # vard-dag: headcount 8, minimum staffing 7, so one of them may be away during a shift; three on track
    # K-VARD (groups of 2..5) only during their shifts cannot be split into cohorts of one
    tiny["workplaces"][1]["teams"][0]["min_staffing"] = 7
    programme = client.post(BASE, json=tiny).get_json()["id"]
    plan = {"track": "K-VARD", "participants": [{"team": "vard-dag", "count": 3}], "allow_on_shift": True,
            "allow_off_shift": False}
    created = _enter(client, programme, plan)
    en = client.get(created["links"]["self"] + "?lang=en", role="manager").get_json()["feedback"]
    assert en["language"] == "en" and en["complete"] is True
    [team] = en["teams"]
    assert (team["team"], team["staffing_slack"], team["participants"], team["severity"]) == ("vard-dag", 1, 3,
                                                                                              "warning")
    assert "staffing slack of 1: at most 1 of its members can be in training at a time" in team["message"]
    staffing = [f for f in en["findings"] if f["rule"] == "staffing"]
    assert staffing and created["plan_id"] in staffing[0]["entities"]["plans"], en["findings"]
    assert all(created["plan_id"] in f["entities"].get("plans", [created["plan_id"]]) for f in en["findings"])
    sv = client.get(created["links"]["self"], role="manager", headers={"Accept-Language": "sv"}).get_json()
    assert sv["feedback"]["language"] == "sv" and "bemanningsmarginal på 1" in sv["feedback"]["teams"][0]["message"]
    assert "Arbetslaget vard-dag" in [f for f in sv["feedback"]["findings"] if f["rule"] == "staffing"][0]["message"]


def test_a_manager_cannot_read_or_change_another_workplaces_plans_through_any_endpoint(client, programme):
    vard = _enter(client, programme)
    client.post(vard["links"]["submit"], role="manager")
    plan_url = vard["links"]["self"]
    attempts = [
        ("GET", plan_url, None), ("PUT", plan_url, VARD_PLAN), ("PUT", plan_url, dict(VARD_PLAN, workplace="W-BRUK")),
        ("DELETE", plan_url, None), ("POST", vard["links"]["submit"], None), ("POST", vard["links"]["withdraw"], None),
        ("GET", vard["links"]["history"], None),
        ("POST", f"{BASE}/{programme}/action-plans", dict(VARD_PLAN, workplace="W-VARD")),
        ("GET", f"{BASE}/{programme}/action-plans/overview", None),
        ("POST", f"{BASE}/{programme}/action-plans/compile", {}),
    ]
    for method, url, body in attempts:
        for role in ("manager_bruk", None):
            r = client.http.open(url, method=method, json=body, headers=client.h(role), buffered=True)
            assert r.status_code in (401, 403, 404), (method, url, role, r.status_code, r.get_data(as_text=True))
            if role and url.startswith(plan_url):
                assert r.status_code == 404, (method, url)  # existence does not leak
    r = client.post(f"{BASE}/{programme}/action-plans", json=dict(VARD_PLAN, workplace="W-VARD"), role="manager_bruk")
    assert r.get_json()["errors"] == [{"path": "$.workplace", "message": "must be your workplace W-BRUK"}]
    # the list shows the manager only their own workplace's plans
    assert client.get(f"{BASE}/{programme}/action-plans", role="manager_bruk").get_json() == []
    # and W-VARD's plan is as it was
    after = client.get(plan_url, role="manager").get_json()
    assert (after["status"], after["version"], after["document"]) == ("submitted", 2, vard["document"])
    history = client.get(vard["links"]["history"], role="manager").get_json()
    assert [e["action"] for e in history["events"]] == ["created", "submitted"]


def test_a_planner_reads_every_plan_and_the_overview_but_cannot_write(client, programme):
    vard = _enter(client, programme)
    assert [p["id"] for p in client.get(f"{BASE}/{programme}/action-plans", role="planner").get_json()] == [vard["id"]]
    assert client.get(vard["links"]["self"], role="planner").status_code == 200
    assert client.get(vard["links"]["history"], role="planner").status_code == 200
    assert client.get(f"{BASE}/{programme}/action-plans/overview", role="planner").status_code == 200
    refused = [client.post(f"{BASE}/{programme}/action-plans", json=dict(VARD_PLAN, workplace="W-VARD"),
                           role="planner"),
               _put(client, vard["links"]["self"], "planner", json=VARD_PLAN),
               _delete(client, vard["links"]["self"], "planner"),
               client.post(vard["links"]["submit"], role="planner"),
               client.post(vard["links"]["withdraw"], role="planner"),
               client.post(f"{BASE}/{programme}/action-plans/compile", json={}, role="planner")]
    assert [r.status_code for r in refused] == [403] * 6
    assert client.get(vard["links"]["self"], role="planner").get_json()["version"] == 1


def test_the_overview_shows_each_workplace_and_the_participants_per_track(client, programme):
    vard = _enter(client, programme)
    client.post(vard["links"]["submit"], role="manager")
    _enter(client, programme, dict(VARD_PLAN, participants=[{"id": "v-301", "team": "vard-dag"}]))
    r = client.get(f"{BASE}/{programme}/action-plans/overview?lang=en")
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    by_wp = {w["workplace"]: w for w in body["workplaces"]}
    assert by_wp["W-VARD"]["counts"] == {"draft": 1, "submitted": 1, "withdrawn": 0}
    assert by_wp["W-BRUK"]["missing"] is True and body["missing"] == ["W-BRUK"]
    assert by_wp["W-BRUK"]["in_scenario"] == ["HP-BRUK-1"]
    assert body["tracks"] == [{"track": "K-VARD", "participants": 2, "plans": ["W-VARD-1"]}]
    assert body["complete"] is True and body["errors"] == []


def test_compile_takes_only_submitted_plans_and_its_solve_ends_valid(client, programme):
    from scheduler.format import load_scenario
    from scheduler.validate import validate

    submitted = _enter(client, programme)
    client.post(submitted["links"]["submit"], role="manager")
    _enter(client, programme, dict(VARD_PLAN, participants=[{"id": "v-999", "team": "vard-dag"}]))  # a draft
    withdrawn = _enter(client, programme, dict(VARD_PLAN, participants=[{"id": "v-998", "team": "vard-dag"}]))
    client.post(withdrawn["links"]["submit"], role="manager")
    client.post(withdrawn["links"]["withdraw"], role="manager")

    r = client.post(f"{BASE}/{programme}/action-plans/compile", json={"time_limit": 5})
    assert r.status_code == 202, r.get_data(as_text=True)
    body = r.get_json()
    assert body["plans"] == [submitted["id"]]
    scenario = body["scenario"]
    assert scenario["programme"] == client.programme(programme) and scenario["id"] != programme
    plans = {p["id"]: p for p in scenario["document"]["action_plans"]}
    # W-VARD's plans are replaced by its submitted one; W-BRUK submitted nothing and keeps its own
    assert set(plans) == {"HP-BRUK-1", "W-VARD-1"}
    assert plans["W-VARD-1"]["participants"] == VARD_PLAN["participants"] and "note" not in plans["W-VARD-1"]
    assert body["job"]["scenario"] == scenario["id"]

    job = client.wait_job(body["job"]["id"], timeout=120)
    assert job["state"] == "succeeded", job
    schedule = client.get(f"/api/v1/schedules/{job['schedule_id']}").get_json()
    assert validate(load_scenario(scenario["document"]), schedule).ok
    assert any(p in c["participants"] for c in schedule["cohorts"] for p in ("v-201", "v-202"))
    # the next plan goes into the next compile, from any version of the programme
    later = _enter(client, scenario["id"], dict(VARD_PLAN, participants=[{"id": "v-401", "team": "vard-dag"}]))
    client.post(later["links"]["submit"], role="manager")
    r = client.post(f"{BASE}/{programme}/action-plans/compile", json={"time_limit": 1})
    assert r.status_code == 202
    assert {p["id"] for p in r.get_json()["scenario"]["document"]["action_plans"]} == {"HP-BRUK-1", "W-VARD-1",
                                                                                        "W-VARD-4"}
    assert client.wait_job(r.get_json()["job"]["id"], timeout=120)["state"] == "succeeded"


def test_compile_refuses_plans_that_contradict_each_other_naming_the_plans(client, programme):
    one = _enter(client, programme, dict(VARD_PLAN, participants=[{"id": "p-1", "team": "vard-dag"},
                                                                   {"id": "p-2", "team": "vard-dag"}]))
    # the same person in another team (looked up in any workplace): each plan alone is fine
    two = _enter(client, programme, dict(VARD_PLAN, participants=[{"id": "p-1", "team": "skiftlag-1"},
                                                                   {"id": "p-3", "team": "skiftlag-1"}]))
    for p in (one, two):
        assert client.post(p["links"]["submit"], role="manager").status_code == 200
    r = client.post(f"{BASE}/{programme}/action-plans/compile", json={})
    assert r.status_code == 422
    body = r.get_json()
    assert "W-VARD-2" in body["detail"]
    assert any("action plan W-VARD-2" in e["message"] and "W-VARD-1" in e["message"] for e in body["errors"])
    assert client.get(f"{BASE}?limit=1000").get_json()[0]["id"] == programme  # no new version stored


def test_compile_needs_a_coordinator_and_submitted_plans(client, programme):
    r = client.post(f"{BASE}/{programme}/action-plans/compile", json={})
    assert r.status_code == 409 and "no submitted" in r.get_json()["detail"]
    assert client.post(f"{BASE}/{programme}/action-plans/compile", json={}, role="manager").status_code == 403
    assert client.get(f"{BASE}/nope/action-plans").status_code == 404
    assert client.get(f"{BASE}/{programme}/action-plans/nope").status_code == 404


def test_a_change_to_a_plan_someone_else_changed_meanwhile_is_refused_not_lost(client, programme):
    """Two people edit the same plan (a manager on the phone, a coordinator at the desk): the
    one who saves second with the version they read (If-Match) gets 412 and nothing is
    overwritten; without If-Match the last writer wins, as before, and the history keeps both."""
    plan = _enter(client, programme)
    path = f"{BASE}/{programme}/action-plans/{plan['id']}"
    read = client.get(path, role="manager")
    tag = read.headers["ETag"]
    assert tag == f'"v{plan["version"]}"'
    first = client.http.put(path, headers={**client.h("coordinator"), "If-Match": tag}, buffered=True,
                            json={**VARD_PLAN, "note": "samordnarens ändring"})
    assert first.status_code == 200 and first.headers["ETag"] != tag
    second = client.http.put(path, headers={**client.h("manager"), "If-Match": tag}, buffered=True,
                             json={**VARD_PLAN, "note": "chefens ändring"})
    assert second.status_code == 412, second.get_data(as_text=True)
    assert "changed by someone else" in second.get_json()["detail"]
    assert client.get(path, role="manager").get_json()["document"]["note"] == "samordnarens ändring"
    stale = client.http.post(f"{path}/submit", headers={**client.h("manager"), "If-Match": tag}, buffered=True)
    assert stale.status_code == 412
    fresh = client.get(path, role="manager").headers["ETag"]
    done = client.http.post(f"{path}/submit", headers={**client.h("manager"), "If-Match": fresh}, buffered=True)
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
