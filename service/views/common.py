from __future__ import annotations

import json

from flask import current_app, g, request

from scheduler.format.limits import current_limits, shape_problems
from service.problems import problem

# Endpoints whose body, when there is one, must be JSON (the uploads take files instead).
JSON_ONLY = ("/solve", "/replan", "/variants", "/publish", "/cancel", "/compile", "/submit", "/withdraw", "/review",
             "/variant", "/close")


def state():
    return current_app.extensions["modulplan"]


def db():
    return state().db


def guard_json_request() -> None:
    """Before any view: a JSON body is parsed once, here, and must be within the limits
    (nesting, numbers, list and text sizes: ``scheduler.format.limits``), else a 4xx naming the
    field; an endpoint that takes only JSON refuses another body with 415 instead of ignoring
    it. The views read the parsed body from ``json_body``."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.path.startswith("/api/v1/"):
        return
    ctype = (request.mimetype or "").lower()
    is_json = ctype == "application/json" or ctype.endswith("+json")
    if not is_json:
        if request.path.endswith(JSON_ONLY) and request.get_data(cache=True).strip():
            raise problem(415, "Unsupported Media Type", f"send the body as application/json, not {ctype or 'untyped'}")
        return
    if not request.get_data(cache=True).strip():
        return
    data = _parse(request.get_data(cache=True))
    beyond = shape_problems(data, current_limits())
    if beyond:
        raise problem(422, "Beyond the limits", f"{len(beyond)} part(s) of the body are beyond the service's limits",
                      errors=[{"path": p, "message": m} for p, m in beyond])
    g.json_body = data


def _parse(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise problem(400, "Malformed JSON", f"the body is not UTF-8 (byte {err.start})",
                      errors=[{"path": "$", "message": "not UTF-8 text"}]) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise problem(400, "Malformed JSON", f"the body is not valid JSON: {err.msg} at line {err.lineno}, "
                      f"column {err.colno}", errors=[{"path": "$", "message": f"{err.msg} at line {err.lineno}, "
                                                                              f"column {err.colno}"}]) from None
    except RecursionError:
        raise problem(422, "Beyond the limits", "the body is nested too deeply",
                      errors=[{"path": "$", "message": "is nested deeper than the service reads"}]) from None
    except ValueError as err:
        raise problem(400, "Malformed JSON", f"the body is not valid JSON: {err}",
                      errors=[{"path": "$", "message": str(err)}]) from None


def json_body(max_depth_hint: str = "a JSON object") -> dict:
    """The request body as a JSON object, or a 4xx problem saying what is wrong with it."""
    ctype = (request.mimetype or "").lower()
    if ctype and ctype != "application/json" and not ctype.endswith("+json"):
        raise problem(415, "Unsupported Media Type", f"send the body as application/json, not {ctype}")
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise problem(400, "Empty body", f"the request body must be {max_depth_hint}",
                      errors=[{"path": "$", "message": "the body is empty"}])
    data = g.json_body if "json_body" in g else _parse(raw)
    if not isinstance(data, dict):
        raise problem(422, "Invalid scenario", f"the body must be {max_depth_hint}",
                      errors=[{"path": "$", "message": f"must be {max_depth_hint}"}])
    return data


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def public_url() -> str:
    base = state().config.get("PUBLIC_URL")
    return (base or request.host_url).rstrip("/")
