"""The entry points: read a JSON file, load a scenario or a schedule.

Loading runs, in this order: the size limits (``scheduler.format.limits``; beyond them
nothing else is looked at), the schema with its cross-record checks, and then -- when the
only findings are fields modulplan does not use -- a second load without those fields, so
that they are left out of the normalized copy and handed back as warnings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError

from scheduler.format.limits import current_limits, limit_problems, shape_problems
from scheduler.format.problems import FieldError, ScenarioInvalid
from scheduler.format.scenario import ScenarioSchema
from scheduler.format.schedule import ScheduleSchema
from scheduler.format.sentences import errors_and_warnings


def _without(node: Any, removals: Mapping) -> Any:
    """A copy of ``node`` without the keys in the ``removals`` tree ({key: None} removes key;
    {key: {...}} recurses).  Only the containers on the way are copied."""
    if isinstance(node, Mapping):
        out: Any = dict(node)
    elif isinstance(node, list):
        out = list(node)
    else:
        return node
    for seg, sub in removals.items():
        if sub is None:
            if isinstance(out, dict):
                out.pop(seg, None)
        elif (isinstance(out, dict) and seg in out) or (
                isinstance(out, list) and isinstance(seg, int) and 0 <= seg < len(out)):
            out[seg] = _without(out[seg], sub)
    return out


def _removal_tree(paths: Iterable[tuple]) -> dict:
    tree: dict = {}
    for path in paths:
        node = tree
        for seg in path[:-1]:
            child = node.get(seg)
            if child is None:
                child = node[seg] = {}
            node = child
        node[path[-1]] = None
    return tree


def _load(schema: Schema, data: Any, document: str) -> tuple[dict, list[FieldError]]:
    """(normalized copy, warnings); raises ScenarioInvalid with every error (and the warnings).

    marshmallow reports every unknown field at its path; when those are all only warnings,
    the document is loaded again without them (so they are left out of the normalized copy).
    First of all, the document must be within the limits (``scheduler.format.limits``): beyond them
    nothing else is looked at.
    """
    beyond = (limit_problems(data) if document == "scenario" else shape_problems(data, current_limits()))
    if beyond:
        raise ScenarioInvalid([FieldError(path, message) for path, message in beyond], beyond_limits=True)
    try:
        return schema.load(data), []
    except ValidationError as err:
        errors, unused = errors_and_warnings(err.messages, data, document)
    warnings = [warning for _, warning in unused]
    if errors or not unused:
        raise ScenarioInvalid(errors, warnings)
    try:
        return schema.load(_without(data, _removal_tree(path for path, _ in unused))), warnings
    except ValidationError as err:  # not expected: leaving fields out brought up a new problem
        errors, _ = errors_and_warnings(err.messages, data, document)
        raise ScenarioInvalid(errors or [FieldError("$", f"the {document} cannot be read")], warnings) from None


def load_scenario_with_warnings(data: dict) -> tuple[dict, list[FieldError]]:
    """Validate a scenario document: (normalized copy, warnings).

    Warnings name the fields the format does not know (each is ignored: left out of the
    copy); raises :class:`ScenarioInvalid` with every error (and ``warnings``) otherwise.
    """
    return _load(ScenarioSchema(), data, "scenario")


def load_scenario(data: dict) -> dict:
    """Validate a scenario document and return its normalized copy (defaults filled in).

    Unknown fields that are not misspellings are ignored silently here; use
    :func:`load_scenario_with_warnings` to show them.
    """
    return load_scenario_with_warnings(data)[0]


def load_schedule_with_warnings(data: dict) -> tuple[dict, list[FieldError]]:
    """Validate a schedule document: (normalized copy, warnings), as :func:`load_scenario_with_warnings`."""
    return _load(ScheduleSchema(), data, "schedule")


def load_schedule(data: dict) -> dict:
    """Validate a schedule document; returns a normalized copy (``interpreters``/``room`` filled)."""
    return load_schedule_with_warnings(data)[0]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json_file(path: str | Path) -> dict:
    """Read a JSON document; syntax errors become :class:`ScenarioInvalid` at path ``$``.

    File-system errors (missing file, no permission) propagate as ``OSError``.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} is not UTF-8 text (byte {err.start} cannot be read); save it as UTF-8")]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}")]) from None
    except ValueError as err:
        raise ScenarioInvalid([FieldError("$", f"{path.name} is not valid JSON: {err}")]) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ScenarioInvalid([FieldError(
            "$", f"{path.name} holds {kind}, but a scenario or schedule is a JSON object")])
    return data
