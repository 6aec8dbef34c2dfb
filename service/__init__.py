"""modulplan as a service: a Flask API (flask-smorest) over persistent scenarios, solve jobs
and calendar feeds. ``create_app`` is the application factory; see docs/service.md."""

from __future__ import annotations

import atexit
import logging
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from service.config import DEFAULTS, database_url, executor_kind, from_environment
from service.store.db import Database

log = logging.getLogger("modulplan.service")


@dataclass
class ServiceState:
    db: Database
    executor: Any
    config: dict
    background: Any = None
    extras: dict = field(default_factory=dict)
    feeds: Any = None  # rendered feeds of this process (service/feedcache.py)

    def close(self) -> None:
        if self.background is not None:
            self.background.stopped.set()
        self.executor.shutdown()
        self.db.dispose()


def create_app(test_config: dict | None = None) -> Flask:
    """Defaults, then the environment, then ``test_config``."""
    from scheduler.format import ScenarioSchema, ScheduleSchema
    from service.extensions import Api
    from service.jobs import Background, CeleryExecutor, InProcessExecutor, NoExecutor, Settings, queued_job_ids, reap
    from service.views import register_blueprints

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False

    db = Database(database_url(app.config["DATABASE_URL"]))
    if app.config["AUTO_MIGRATE"]:
        db.upgrade()
    settings = Settings.from_config(app.config)
    kind = executor_kind(app.config)
    if kind == "celery":
        executor = CeleryExecutor(app.config["REDIS_URL"])
    elif kind == "none":
        executor = NoExecutor()
    else:
        executor = InProcessExecutor(db, settings, app.config["EXECUTOR_THREADS"])
    from service.store.feedcache import FeedCache

    st = ServiceState(db=db, executor=executor, config=app.config, feeds=FeedCache(app.config["FEED_CACHE_BYTES"]))
    app.extensions["modulplan"] = st

    api = Api(app, spec_kwargs={
        "security": [{"bearerAuth": []}],
        "info": {"description": "Training schedules for workplace-learning programmes. Send "
                                "'Authorization: Bearer <token>' (tokens: `modulplan token create`)."},
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.schema("Scenario", schema=ScenarioSchema)
    api.spec.components.schema("Schedule", schema=ScheduleSchema)
    register_blueprints(api)

    from flask import g, request

    from service.auth import authenticate

    public = ("/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/redoc", "/api/v1/feeds/")

    @app.before_request
    def _authenticate():
        """401 before anything else is looked at (body, parameters, ids)."""
        path = request.path
        if path.startswith("/api/v1/") and request.method != "OPTIONS" and (
                not path.startswith(public) or (path.startswith("/api/v1/feeds/") and request.method != "GET")):
            g.principal = authenticate()

    from service.views.common import guard_json_request

    app.before_request(guard_json_request)  # after the token: then the body, once, within the limits

    if app.config["START_BACKGROUND"] and kind != "none":
        # jobs whose worker died go back to the queue; queued jobs of an earlier run are enqueued again
        for job_id in dict.fromkeys(reap(db, settings) + queued_job_ids(db)):
            executor.submit(job_id)
        st.background = Background(db, settings, executor, app.config["REAPER_INTERVAL"])
        st.background.start()
    atexit.register(st.close)
    return app
