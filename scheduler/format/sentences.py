"""From marshmallow's nested error dict to sorted :class:`FieldError`\\ s in plain words.

Each message gets a JSON path (``$.workplaces[1].teams[0].min_staffing``, indexes from 0)
and a sentence naming its owner by id ("min_staffing (9) is larger than headcount (8) of
team vard-dag"; entries without an id are counted from 1: "closed period number 1 of
calendar"), with the offending value behind it ("(got "24:00")"). Unknown fields are
sorted into errors (likely misspellings: "did you mean 'min_staffing'?") and warnings
(fields modulplan does not use, ignored). Problems are sorted by where they appear.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from scheduler.format.problems import COMMON_MESSAGES, UNKNOWN_FIELD, FieldError, Sentence, UnknownField

NOUNS = {
    "shift_types": "shift type",
    "shift_patterns": "shift pattern",
    "sites": "site",
    "pairs": "travel pair",
    "workplaces": "workplace",
    "teams": "team",
    "rooms": "room",
    "trainers": "trainer",
    "interpreters": "interpreter",
    "modules": "module",
    "tracks": "track",
    "action_plans": "action plan",
    "participants": "participant",
    "closed": "closed period",
    "unavailable": "unavailable period",
    "blocked": "blocked period",
    "available": "availability window",
    "cohorts": "cohort",
    "sessions": "session",
    "unscheduled": "unscheduled entry",
    "unassigned_participants": "unassigned entry",
}
#: Lists whose items are always described together with their parent.
_QUALIFIED_ITEMS = {"participants", "closed", "unavailable", "blocked", "available", "pairs"}



_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def render_path(path: Iterable) -> str:
    out = "$"
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif _SIMPLE_KEY.match(str(seg)):
            out += f".{seg}"
        else:
            out += f"[{json.dumps(str(seg), ensure_ascii=False)}]"
    return out


def _flatten(messages: Any, path: tuple) -> Iterable[tuple[tuple, str]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            yield from _flatten(value, path if key == "_schema" else (*path, key))
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            yield from _flatten(value, path)
    else:
        yield path, messages


def _lookup(root: Any, path: tuple) -> tuple[bool, Any]:
    node = root
    for seg in path:
        if (isinstance(seg, int) and isinstance(node, list) and 0 <= seg < len(node)) or (
            isinstance(node, Mapping) and seg in node
        ):
            node = node[seg]
        else:
            return False, None
    return True, node


def _order_key(root: Any, path: tuple) -> tuple:
    key = []
    node = root
    for seg in path:
        if isinstance(seg, int):
            key.append(seg)
            node = node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
        elif isinstance(node, Mapping):
            keys = list(node)
            # A missing key (a required field) sorts after the present ones; among
            # themselves missing keys keep marshmallow's order, which is the spec order.
            key.append(keys.index(seg) if seg in node else len(keys))
            node = node.get(seg)
        else:
            key.append(0)
            node = None
    return tuple(key)


def _item_label(root: Any, path: tuple) -> tuple[str, bool]:
    """(label, enough-on-its-own) for the list item at ``path`` (which ends in an index)."""
    index = path[-1]
    list_key = path[-2] if len(path) > 1 and isinstance(path[-2], str) else None
    noun = NOUNS.get(list_key) if list_key else None
    if noun is None:
        return f"entry {index + 1} of {list_key or 'the list'}", False
    _, item = _lookup(root, path)
    ident = item.get("id") if isinstance(item, Mapping) else None
    if isinstance(ident, str) and ident.strip():
        return f"{noun} {ident.strip()}", list_key not in _QUALIFIED_ITEMS
    return f"{noun} number {index + 1}", False


def _owner(root: Any, path: tuple) -> str:
    """Describes the object at ``path``: "team vard-dag", "closed period number 1 of calendar"."""
    labels: list[tuple[str, bool]] = []
    for k in range(1, len(path) + 1):
        seg = path[k - 1]
        if isinstance(seg, int):
            labels.append(_item_label(root, path[:k]))
        elif k == len(path) or not isinstance(path[k], int):
            labels.append((str(seg), True))  # an object under a key: horizon, calendar, kpis ...
    if not labels:
        return ""
    phrase, enough = labels[-1]
    for label, label_enough in reversed(labels[:-1]):
        if enough:
            break
        phrase += f" of {label}"
        enough = label_enough
    return phrase


def _show(value: Any) -> str | None:
    """A short JSON rendering of a scalar, or None (lists and objects are not repeated)."""
    if isinstance(value, (list, Mapping)) or value is None:
        return None
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # a Python caller passed a non-JSON value
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_unused(path: tuple, message: Any) -> bool:
    """An unknown field that is not a likely misspelling: a warning, the field is ignored."""
    return isinstance(message, UnknownField) and bool(path) and message.is_unused(path[-1])


def _sentence(root: Any, path: tuple, message: Any, document: str) -> str:
    leaf_is_key = bool(path) and not isinstance(path[-1], int)
    owner = _owner(root, path[:-1] if leaf_is_key else path)
    if isinstance(message, Sentence):
        return message.render(owner)
    text = str(message)
    if isinstance(message, UnknownField) and leaf_is_key:
        key, who = path[-1], owner or "the " + document
        if key in message.misplaced:
            return f'{who} has an unknown field "{key}"; {message.misplaced[key]}'
        meant = message.meant(key)
        if meant is not None:
            return f'{who} has an unknown field "{key}"; did you mean \'{meant}\'?'
        return f'{who} has a field "{key}" that modulplan does not use; it is ignored'
    if text == UNKNOWN_FIELD and leaf_is_key:
        return (f'{owner or "the " + document} has an unknown field "{path[-1]}"; '
                'extension fields must start with "x-" or "x_"')
    if not path:
        subject = f"the {document}"
    elif leaf_is_key:
        subject = f"{path[-1]} of {owner}" if owner else str(path[-1])
    else:
        subject = owner
    if text.startswith(("must ", "is ")):
        sentence = f"{subject} {text}"
        if text.startswith("must "):
            found, value = _lookup(root, path)
            shown = _show(value) if found else None
            if not path:
                shown = "a list" if isinstance(root, list) else "null" if root is None else _show(root)
            if shown is not None:
                sentence += f" (got {shown})"
        return sentence
    return f"{subject}: {text}"


def errors_and_warnings(messages: Any, data: Any,
                        document: str) -> tuple[list[FieldError], list[tuple[tuple, FieldError]]]:
    """(errors, [(path, warning)]), each sorted by where it appears in ``data``."""
    found: list[tuple[tuple, int, FieldError, tuple, bool]] = []
    seen: set[FieldError] = set()
    flat = list(_flatten(messages, ()))
    # A misspelt field already says which field it meant: no second error that that one is missing.
    meant = {(*path[:-1], message.meant(path[-1])) for path, message in flat
             if isinstance(message, UnknownField) and path and isinstance(path[-1], str)}
    for n, (path, message) in enumerate(flat):
        if path in meant and str(message) == COMMON_MESSAGES["required"]:
            continue
        error = FieldError(render_path(path), _sentence(data, path, message, document))
        if error not in seen:
            seen.add(error)
            found.append((_order_key(data, path), n, error, path, _is_unused(path, message)))
    found.sort(key=lambda item: (item[0], item[1]))
    errors = [error for _, _, error, _, unused in found if not unused]
    warnings = [(path, error) for _, _, error, path, unused in found if unused]
    return errors, warnings


def field_problems(messages: Any, data: Any, *, document: str = "scenario") -> tuple[list[FieldError],
                                                                                     list[FieldError]]:
    """marshmallow error messages -> (errors, warnings), each sorted by where it appears in ``data``.

    Warnings are the unknown fields that are not likely misspellings (docs/format.md, "Unknown fields").
    """
    errors, warnings = errors_and_warnings(messages, data, document)
    return errors, [warning for _, warning in warnings]


def field_errors(messages: Any, data: Any, *, document: str = "scenario") -> list[FieldError]:
    """marshmallow error messages -> FieldErrors sorted by where they appear in ``data``
    (the errors of :func:`field_problems`; warnings are left out)."""
    return field_problems(messages, data, document=document)[0]
