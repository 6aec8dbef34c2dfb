"""API tokens with roles, and the checks the views use.

Roles: ``coordinator`` (everything), ``planner`` (scenarios, solves, what-if, read),
``manager`` (read-only, and only their own workplace's schedule and calendars).
A token is ``mp_`` + 43 random URL-safe characters; only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app, g, request
from sqlalchemy import select

from service.problems import problem
from service.store.db import ApiTokenRow, Database, utcnow

ROLES = ("coordinator", "planner", "manager")
WRITE_ROLES = ("coordinator", "planner")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Database, role: str, workplace: str | None = None,
                 label: str | None = None) -> tuple[str, ApiTokenRow]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "manager" and not workplace:
        raise ValueError("a manager token needs --workplace (the workplace id the manager may see)")
    if role != "manager" and workplace:
        raise ValueError("--workplace is only for manager tokens")
    token = "mp_" + secrets.token_urlsafe(32)
    row = ApiTokenRow(token_hash=hash_token(token), role=role, workplace=workplace, label=label)
    with db.Session.begin() as s:
        s.add(row)
    return token, row


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: str
    workplace: str | None

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def managed_workplace(self) -> str:
        """A manager's workplace (every manager token has one; ``create_token`` checks it)."""
        if self.workplace is None:
            raise ValueError(f"token {self.token_id} ({self.role}) has no workplace")
        return self.workplace


def _db() -> Database:
    return current_app.extensions["modulplan"].db


def authenticate() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise problem(401, "Authentication required",
                      "send an API token as 'Authorization: Bearer <token>' (create one with `modulplan token create`)",
                      headers={"WWW-Authenticate": 'Bearer realm="modulplan"'})
    with _db().Session() as s:
        row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token.strip())))
    if row is None or row.revoked_at is not None:
        raise problem(401, "Invalid token", "the API token is unknown or revoked",
                      headers={"WWW-Authenticate": 'Bearer realm="modulplan", error="invalid_token"'})
    return Principal(row.id, row.role, row.workplace)


def require(*roles: str) -> Principal:
    """The caller, who must hold one of ``roles`` (401 without a valid token, 403 outside them)."""
    principal = getattr(g, "principal", None) or authenticate()
    g.principal = principal
    if roles and principal.role not in roles:
        raise problem(403, "Forbidden", f"the {principal.role} role may not do this (needs {' or '.join(roles)})")
    return principal


def touch_revoked(db: Database, token_id: str) -> None:
    with db.Session.begin() as s:
        row = s.get(ApiTokenRow, token_id)
        if row is not None:
            row.revoked_at = utcnow()
