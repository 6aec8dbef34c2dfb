"""The application factory: ``create_app`` puts the Flask app together (configuration, the
store, the job executor, the API with its blueprints, authentication, the reaper). See
docs/service.md. ``service.create_app`` is the same function."""

from __future__ import annotations

import atexit
import logging
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, g, request
from flask.json.provider import DefaultJSONProvider

from scheduler.format import ScenarioSchema, ScheduleSchema
from service.auth import authenticate
from service.config import DEFAULTS, database_url, executor_kind, from_environment
from service.extensions import Api
from service.jobs.executors import Background, CeleryExecutor, Executor, InProcessExecutor, NoExecutor
from service.jobs.runner import Settings, queued_job_ids, reap
from service.store.db import Database
from service.store.feedcache import FeedCache
from service.views import register_blueprints
from service.views.common import guard_json_request

log = logging.getLogger("modulplan.service")

#: paths anyone may open without a token (a feed's URL is its own key)
PUBLIC_PATHS = ("/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/redoc", "/api/v1/feeds/")


@dataclass
class ServiceState:
    """What the views need beyond Flask's config: ``app.extensions["modulplan"]``."""

    db: Database
    executor: Executor
    config: Any  # the app's flask.Config
    background: Background | None = None
    extras: dict = field(default_factory=dict)
    feeds: FeedCache | None = None  # rendered feeds of this process (service/store/feedcache.py)

    def close(self) -> None:
        if self.background is not None:
            self.background.stopped.set()
            if self.background.is_alive():
                self.background.join(10.0)  # a reaper pass in flight holds a connection
        self.executor.shutdown()
        self.db.dispose()


def make_executor(kind: str, db: Database, settings: Settings, config: Any) -> Executor:
    """The executor the configuration asks for: Celery, none, or threads in this process."""
    if kind == "celery":
        return CeleryExecutor(config["REDIS_URL"])
    if kind == "none":
        return NoExecutor()
    return InProcessExecutor(db, settings, config["EXECUTOR_THREADS"])


def create_app(test_config: dict | None = None) -> Flask:
    """Defaults, then the environment, then ``test_config``."""
    # "service", not __name__: the app's name, root path and instance folder are the package's
    app = Flask("service", instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.sort_keys = False

    db = Database(database_url(app.config["DATABASE_URL"]))
    if app.config["AUTO_MIGRATE"]:
        db.upgrade()
    settings = Settings.from_config(app.config)
    kind = executor_kind(app.config)
    executor = make_executor(kind, db, settings, app.config)
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

    @app.before_request
    def _authenticate():
        """401 before anything else is looked at (body, parameters, ids)."""
        path = request.path
        if path.startswith("/api/v1/") and request.method != "OPTIONS" and (
                not path.startswith(PUBLIC_PATHS) or (path.startswith("/api/v1/feeds/") and request.method != "GET")):
            g.principal = authenticate()

    app.before_request(guard_json_request)  # after the token: then the body, once, within the limits

    if app.config["START_BACKGROUND"] and kind != "none":
        # jobs whose worker died go back to the queue; queued jobs of an earlier run are enqueued again
        for job_id in dict.fromkeys(reap(db, settings) + queued_job_ids(db)):
            executor.submit(job_id)
        st.background = Background(db, settings, executor, app.config["REAPER_INTERVAL"])
        st.background.start()
    atexit.register(st.close)
    return app
