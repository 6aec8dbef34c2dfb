"""RFC 9457 problem details: ``application/problem+json`` with type, title, status,
detail and ``errors: [{path, message}]`` (JSON paths into the request body or
``$query.<name>`` / ``$path.<name>`` for parameters); a problem with an uploaded scenario
also carries ``warnings: [{path, message}]`` (fields that would only have been ignored)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

from scheduler.format import field_errors

PROBLEM_BASE = "https://modulplan.invalid/problems/"
MAX_ERRORS = 1000  # problems listed in one answer; the rest are counted
MIMETYPE = "application/problem+json"


class Problem(HTTPException):
    def __init__(self, status: int, title: str, detail: str | None = None, *,
                 errors: list[dict] | None = None, type_: str | None = None, headers: dict | None = None,
                 warnings: list[dict] | None = None):
        super().__init__(description=detail)
        self.code = status
        self.status = status  # the same, as an int (HTTPException's code may be None)
        self.title = title
        self.detail = detail
        self.errors = errors
        self.warnings = warnings
        self.type = type_
        self.extra_headers = headers or {}


def problem(status: int, title: str, detail: str | None = None, **kwargs) -> Problem:
    return Problem(status, title, detail, **kwargs)


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def problem_response(status: int, title: str, detail: str | None = None, *, errors: list[dict] | None = None,
                     type_: str | None = None, headers: dict | None = None,
                     warnings: list[dict] | None = None) -> Response:
    body: dict[str, Any] = {
        "type": type_ or (PROBLEM_BASE + _slug(title) if status != 500 else "about:blank"),
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        if len(errors) > MAX_ERRORS:  # a sheet of 100 000 bad rows is not answered with 100 000 sentences
            errors = errors[:MAX_ERRORS] + [{"path": "$", "message": f"... and {len(errors) - MAX_ERRORS} more "
                                                                    "problems of the same kinds"}]
        body["errors"] = errors
    if warnings:
        body["warnings"] = warnings
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MIMETYPE)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def webargs_errors(messages: Any) -> list[dict]:
    """webargs' ``{location: {field: [msg]}}`` -> ``[{path, message}]``."""
    out: list[dict] = []
    if not isinstance(messages, dict):
        return [{"path": "$", "message": str(messages)}]
    for location, msgs in messages.items():
        root = "$" if location == "json" else f"${location}"
        for e in field_errors(msgs, None, document="request"):
            path = root + e.path[1:]
            out.append({"path": path, "message": e.message})
    return out
