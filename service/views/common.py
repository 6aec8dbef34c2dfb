from __future__ import annotations

import json

from flask import current_app, request

from ..problems import problem


def state():
    return current_app.extensions["modulplan"]


def db():
    return state().db


def json_body(max_depth_hint: str = "a JSON object") -> dict:
    """The request body as a JSON object, or a 4xx problem saying what is wrong with it."""
    ctype = (request.mimetype or "").lower()
    if ctype and ctype != "application/json" and not ctype.endswith("+json"):
        raise problem(415, "Unsupported Media Type", f"send the body as application/json, not {ctype}")
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise problem(400, "Empty body", f"the request body must be {max_depth_hint}",
                      errors=[{"path": "$", "message": "the body is empty"}])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise problem(400, "Malformed JSON", f"the body is not UTF-8 (byte {err.start})",
                      errors=[{"path": "$", "message": "not UTF-8 text"}]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise problem(400, "Malformed JSON", f"the body is not valid JSON: {err.msg} at line {err.lineno}, "
                      f"column {err.colno}", errors=[{"path": "$", "message": f"{err.msg} at line {err.lineno}, "
                                                                              f"column {err.colno}"}]) from None
    except (ValueError, RecursionError) as err:
        raise problem(400, "Malformed JSON", f"the body is not valid JSON: {err}",
                      errors=[{"path": "$", "message": str(err)}]) from None
    if not isinstance(data, dict):
        raise problem(422, "Invalid scenario", f"the body must be {max_depth_hint}",
                      errors=[{"path": "$", "message": f"must be {max_depth_hint}"}])
    return data


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def public_url() -> str:
    base = state().config.get("PUBLIC_URL")
    return (base or request.host_url).rstrip("/")
