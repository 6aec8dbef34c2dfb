"""The explanation resources: a stored scenario's diagnosis and a schedule's explanation
(unscheduled sessions and costs), in Swedish or English, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from tests.scenario_factory import scenario_factory


def unqualified() -> dict:
    """Module M1 needs qualification SAFE-LIFT, which no trainer holds."""
    return scenario_factory(module={"qualification": "SAFE-LIFT"})


def _store(client, doc) -> str:
    r = client.post("/api/v1/scenarios", json=doc)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def _schedule(client, scenario_id: str) -> str:
    r = client.post(f"/api/v1/scenarios/{scenario_id}/solve", json={"time_limit": 3, "workers": 1})
    assert r.status_code == 202, r.get_json()
    job = client.wait_job(r.get_json()["id"])
    assert job["state"] == "succeeded", job
    return job["schedule_id"]


def test_scenario_explanation_names_the_cause_in_the_requested_language(client):
    sid = _store(client, unqualified())
    r = client.get(f"/api/v1/scenarios/{sid}/explanation?lang=en")
    assert r.status_code == 200, r.get_json()
    assert r.headers["Content-Language"] == "en"
    first = r.get_json()["findings"][0]
    assert first["rule"] == "trainer_qualification"
    assert first["entities"]["qualifications"] == ["SAFE-LIFT"]
    assert first["message"].startswith("No trainer holds") and first["suggestions"][0]["changes"]


def test_scenario_explanation_follows_accept_language(client):
    sid = _store(client, unqualified())
    r = client.get(f"/api/v1/scenarios/{sid}/explanation", headers={"Accept-Language": "sv-SE, en;q=0.5"})
    assert r.status_code == 200
    assert r.headers["Content-Language"] == "sv"
    assert r.get_json()["findings"][0]["message"].startswith("Ingen utbildare har behörigheten SAFE-LIFT")


def test_schedule_explanation_adds_costs_that_sum_to_the_schedule_objective(client):
    sid = _store(client, unqualified())
    schedule_id = _schedule(client, sid)
    schedule = client.get(f"/api/v1/schedules/{schedule_id}").get_json()
    r = client.get(f"/api/v1/schedules/{schedule_id}/explanation?lang=sv")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["findings"][0]["rule"] == "trainer_qualification"
    costs = body["costs"]
    assert costs["objective"] == schedule["objective"] and costs["matches_schedule"]
    total = sum(Decimal(str(t["amount"])) for t in costs["terms"])
    assert total == Decimal(str(schedule["objective"]))


def test_explanation_problems_are_4xx_problem_details(client):
    sid = _store(client, unqualified())
    bad = client.get(f"/api/v1/scenarios/{sid}/explanation?lang=de")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert any("lang" in e["path"] for e in bad.get_json()["errors"])
    missing = client.get("/api/v1/scenarios/nope/explanation")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/scenarios/{sid}/explanation", role="manager").status_code == 403
    assert client.get(f"/api/v1/scenarios/{sid}/explanation", role=None).status_code == 401


def test_the_explanation_endpoints_are_in_the_openapi_document(client):
    paths = client.http.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/scenarios/{scenario}/explanation" in paths
    assert "/api/v1/schedules/{schedule}/explanation" in paths

