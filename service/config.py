"""Configuration: defaults, then the environment, then the caller's overrides.

Environment variables (all optional; embedded defaults when unset):

* ``DATABASE_URL``   SQLAlchemy URL. Unset: a SQLite file ``modulplan.db`` in the
                     instance folder (``MODULPLAN_DATA_DIR`` or ``./instance``).
                     ``postgres://`` and ``postgresql://`` use the psycopg 3 driver.
* ``REDIS_URL``      set: solve jobs go to Celery workers through Redis;
                     unset: an in-process executor (thread pool) runs them.
* ``MODULPLAN_SECRET_KEY``  key of the calendar feed tokens (HMAC). Unset: one is
                     generated once and kept in the database.
* ``MODULPLAN_MAX_BODY_BYTES``  request bodies above this get 413 (default 5 MiB).
* ``MODULPLAN_EXECUTOR_THREADS``  in-process solves at once (default 2).
* ``MODULPLAN_PUBLIC_URL``  base URL for feed links (default: the request's host).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS = {
    "API_TITLE": "modulplan",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    # Served by the API itself (views/meta.py), never from a CDN: intranets have no internet.
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    "OPENAPI_REDOC_PATH": "redoc",
    "OPENAPI_REDOC_URL": "/api/v1/redoc/assets/redoc.standalone.js",
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    # Memory of one job's solve process (and its children); beyond it the job fails with "memory".
    "JOB_MEMORY_MB": 6000.0,
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "SECRET_KEY": None,
    "PUBLIC_URL": None,
    "AUTO_MIGRATE": True,
    "EXECUTOR": None,  # "inprocess" | "celery" | "none"; None: celery when REDIS_URL is set
    "EXECUTOR_THREADS": 2,
    "START_BACKGROUND": True,  # reaper thread and re-enqueueing of queued jobs
    "DEFAULT_TIME_LIMIT": 60.0,
    "MAX_TIME_LIMIT": 3600.0,
    "DEFAULT_WORKERS": 1,
    "MAX_WORKERS": 8,
    "PROGRESS_INTERVAL": 1.0,  # seconds between progress writes to the job row
    "HEARTBEAT_STALE": 30.0,  # a running job whose heartbeat is older is taken as lost
    "MAX_ATTEMPTS": 2,  # a job whose worker died is re-queued until it ran this often
    "REAPER_INTERVAL": 5.0,
    "QUEUED_GRACE": 60.0,  # a queued job the broker no longer holds is sent again after this long
    "VALIDATE_SCHEDULES": True,
    "CANCELLED_GRACE_DAYS": 28.0,  # feeds show a removed session as CANCELLED this long (issue 5)
    "FEED_CACHE_BYTES": 100_000_000,  # rendered feeds kept per process (service/store/feedcache.py)
}

_ENV = {
    "DATABASE_URL": ("DATABASE_URL", str),
    "REDIS_URL": ("REDIS_URL", str),
    "SECRET_KEY": ("MODULPLAN_SECRET_KEY", str),
    "PUBLIC_URL": ("MODULPLAN_PUBLIC_URL", str),
    "MAX_CONTENT_LENGTH": ("MODULPLAN_MAX_BODY_BYTES", int),
    "JOB_MEMORY_MB": ("MODULPLAN_JOB_MEMORY_MB", float),
    "EXECUTOR": ("MODULPLAN_EXECUTOR", str),
    "EXECUTOR_THREADS": ("MODULPLAN_EXECUTOR_THREADS", int),
    "HEARTBEAT_STALE": ("MODULPLAN_HEARTBEAT_STALE", float),
    "MAX_ATTEMPTS": ("MODULPLAN_MAX_ATTEMPTS", int),
    "REAPER_INTERVAL": ("MODULPLAN_REAPER_INTERVAL", float),
    "QUEUED_GRACE": ("MODULPLAN_QUEUED_GRACE", float),
    "PROGRESS_INTERVAL": ("MODULPLAN_PROGRESS_INTERVAL", float),
    "MAX_TIME_LIMIT": ("MODULPLAN_MAX_TIME_LIMIT", float),
    "CANCELLED_GRACE_DAYS": ("MODULPLAN_CANCELLED_GRACE_DAYS", float),
    "FEED_CACHE_BYTES": ("MODULPLAN_FEED_CACHE_BYTES", int),
}


def from_environment(environ=None) -> dict:
    environ = os.environ if environ is None else environ
    out = {}
    for key, (name, kind) in _ENV.items():
        value = environ.get(name)
        if value not in (None, ""):
            out[key] = kind(value)
    return out


def default_data_dir() -> Path:
    return Path(os.environ.get("MODULPLAN_DATA_DIR") or Path.cwd() / "instance")


def database_url(url: str | None) -> str:
    """The SQLAlchemy URL to use: the given one with the psycopg 3 driver, or the SQLite default."""
    if not url:
        d = default_data_dir()
        d.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{d / 'modulplan.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def executor_kind(config) -> str:
    kind = config.get("EXECUTOR")
    if kind:
        return kind
    return "celery" if config.get("REDIS_URL") else "inprocess"
