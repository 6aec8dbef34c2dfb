"""The OpenAPI document drives a bounded schemathesis run: no response is a 5xx."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402


@pytest.fixture(scope="module")
def api(tmp_path_factory, tiny_scenario_doc):
    from service import create_app
    from service.auth import create_token

    path = tmp_path_factory.mktemp("st") / "st.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "EXECUTOR": "inprocess", "REDIS_URL": None,
                      "MAX_TIME_LIMIT": 1.0, "MAX_CONTENT_LENGTH": 64 * 1024})
    token = create_token(app.extensions["modulplan"].db, "coordinator")[0]
    c = app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    sid = c.post("/api/v1/scenarios", json=tiny_scenario_doc, headers=h).get_json()["id"]
    c.post(f"/api/v1/scenarios/{sid}/solve", json={"time_limit": 0.5}, headers=h)
    yield app, token
    app.extensions["modulplan"].close()


def test_no_server_errors(api):
    app, token = api
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    count = 0
    for op in schema.get_all_operations():
        operation = op.ok()

        @settings(max_examples=15, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal count
            count += 1
            for auth in (f"Bearer {token}", None):
                headers = {"Authorization": auth} if auth else {}
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append((case.method, case.formatted_path, response.status_code, response.text[:300]))
                case.validate_response(response, checks=[not_a_server_error])

        try:
            run()
        except Exception as exc:  # collected below with the case
            failures.append((operation.method, operation.path, "check", str(exc)[:500]))
    assert count > 50
    assert not failures, failures
