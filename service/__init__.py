"""modulplan as a service: a Flask API (flask-smorest) over persistent scenarios, solve jobs
and calendar feeds; see docs/service.md.

The layers, top to bottom (checked by import-linter, pyproject.toml): ``cli`` and ``wsgi``
(entry points) > ``app`` (``create_app``, the application factory) > ``views`` (one blueprint
per resource) > ``board`` (the planning board's data and texts) | ``jobs`` (submitting and
running solve jobs) > ``auth`` | ``schemas`` > ``extensions`` | ``store`` (the database) >
``problems`` | ``config``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.app import ServiceState, create_app

__all__ = ["ServiceState", "create_app"]


def __getattr__(name: str) -> Any:
    """``service.create_app`` on first use: ``import service.cli`` (every ``modulplan`` command
    loads it) and the solver's child processes (``service.jobs.child``) stay light."""
    if name in __all__:
        from service import app

        return getattr(app, name)
    raise AttributeError(f"module 'service' has no attribute {name!r}")
