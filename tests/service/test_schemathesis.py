"""The OpenAPI document drives a bounded schemathesis run: no response is a 5xx.

Every operation is exercised from the published document, with random ids and with real
ones. The request body of ``POST /scenarios`` (the whole scenario-1 format) is too large
for schema-driven generation inside the time budget, so it is fuzzed by mutating the
contract's tiny scenario (every field in turn replaced by arbitrary JSON, or removed).
"""

from __future__ import annotations

import copy
import json

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SCENARIOS_POST = ("POST", "/api/v1/scenarios")


@pytest.fixture(scope="module")
def api(tmp_path_factory, tiny_scenario_doc):
    import time

    from service import create_app
    from service.auth import create_token

    path = tmp_path_factory.mktemp("st") / "st.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "EXECUTOR": "inprocess", "REDIS_URL": None,
                      "MAX_TIME_LIMIT": 1.0, "MAX_CONTENT_LENGTH": 64 * 1024})
    token = create_token(app.extensions["modulplan"].db, "coordinator")[0]
    c = app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    sid = c.post("/api/v1/scenarios", json=tiny_scenario_doc, headers=h).get_json()["id"]
    job = c.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 0.5}, headers=h).get_json()["id"]
    deadline = time.monotonic() + 60
    while c.get(f"/api/v1/jobs/{job}", headers=h).get_json()["state"] != "succeeded" and time.monotonic() < deadline:
        time.sleep(0.2)
    sched = c.get(f"/api/v1/jobs/{job}", headers=h).get_json()["schedule_id"]
    feed = c.get(f"/api/v1/schedules/{sched}/calendars", headers=h).get_json()["feeds"][0]["url"]
    ids = {"scenario": sid, "job": job, "schedule": sched, "token": feed.rsplit("/", 1)[1][:-4]}
    yield app, token, ids
    app.extensions["modulplan"].close()


def test_no_server_errors_from_the_openapi_document(api):
    app, token, ids = api
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, count = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) == SCENARIOS_POST:
            continue

        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal count
            variants = [dict(case.path_parameters or {})]
            if case.path_parameters:
                variants.append({k: ids.get(k, v) for k, v in case.path_parameters.items()})
            for params in variants:
                case.path_parameters = params
                for auth in (f"Bearer {token}", None):
                    count += 1
                    response = case.call(headers={"Authorization": auth} if auth else {})
                    if response.status_code >= 500:
                        failures.append((case.method, case.formatted_path, case.query, case.body,
                                         response.status_code, response.text[:300]))

        run()
    print(f"schemathesis: {count} requests")
    assert count >= 2000  # issue 13: at least 2 000 requests, zero 5xx
    assert not failures, failures[:5]


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
                    | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


def test_no_server_errors_for_mutated_scenarios(api, tiny_scenario_doc):
    app, token, _ = api
    c = app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    paths = [p for p in _paths(tiny_scenario_doc) if p]
    failures = []

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(paths), value=JSON, remove=st.booleans())
    def run(path, value, remove):
        doc = copy.deepcopy(tiny_scenario_doc)
        node = doc
        for seg in path[:-1]:
            node = node[seg]
        if remove:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        r = c.post("/api/v1/scenarios", data=json.dumps(doc), headers={**h, "Content-Type": "application/json"})
        if r.status_code >= 500:
            failures.append((path, value, remove, r.get_data(as_text=True)[:300]))
        assert r.status_code in (201, 400, 413, 422), (path, value, remove, r.status_code)

    run()
    assert not failures, failures[:5]
