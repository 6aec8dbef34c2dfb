"""What-if variants: a scenario derived from another by a list of changes, with its lineage.

A changes document is a list of changes, or ``{"name": ..., "changes": [...]}``. Each change
is an object with a ``type``:

* ``unavailable``: one of ``trainer``/``interpreter``/``room``, ``start``, ``end`` (dates or local
  date-times); adds the period to its ``unavailable`` list.
* ``add_trainer`` / ``add_interpreter`` / ``add_room``: ``trainer`` / ``interpreter`` / ``room``, the
  whole entity; adds it.
* ``remove_trainer`` / ``remove_interpreter`` / ``remove_room``: ``trainer`` / ``interpreter`` /
  ``room``, its id; removes it.
* ``add_participants``: ``action_plan``, ``participants`` (entries as in a plan); adds them; a counted
  entry of a team (and language) already counted raises that count.
* ``remove_participants``: ``action_plan``, ``participants`` (ids, or ``{team, count[, language]}``);
  removes named ones, lowers counts.
* ``plan_dates``: ``action_plan`` and any of ``earliest``, ``deadline``, ``target``; sets the plan's dates.
* ``weights``: ``weights``, an object; sets those objective weights (``move_session`` too).
* ``close``: ``start``, ``end``, ``reason``; adds a closed period to the calendar.
* ``reopen``: ``start``, ``end``; removes the closed periods lying within these dates.
* ``block_team``: ``workplace``, ``team``, ``start``, ``end`` (dates or local date-times), ``reason``
  (optional); adds the period to the team's ``blocked`` list (the team releases nobody for training).
* ``unblock_team``: ``workplace``, ``team``, and ``start``, ``end`` or neither; removes the team's
  blocked periods lying within start..end, or all of them when neither is given.
* ``merge_patch``: ``patch``, a JSON merge patch (RFC 7386); applied to the whole scenario.

The variant keeps its parent's ``id`` (calendar UIDs follow it, so re-planned sessions update
subscribed calendars in place) and records its lineage in ``x-variant``: the parent's id,
name and SHA-256, the parent's own lineage, and the changes. The result is checked by the
scenario schemas; every problem is reported at once, with the JSON path of the change that
caused it (``$.changes[2].trainer: unknown trainer 'T9'``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from scheduler.format import FieldError, ScenarioInvalid, load_scenario
from scheduler.format.values import period_within

ENTITY_LISTS = {"trainer": "trainers", "interpreter": "interpreters", "room": "rooms"}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: objects merge recursively, null removes a key, anything
    else (lists included) replaces the target."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def document_sha256(doc: dict) -> str:
    """A stable fingerprint of a JSON document (sorted keys)."""
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class _Change:
    """One change being applied: its path, its fields, and the errors found in it."""

    def __init__(self, doc: dict, change: dict, path: str, errors: list[FieldError], moved: list):
        self.doc, self.change, self.path, self.errors, self.moved = doc, change, path, errors, moved

    def error(self, key: str | None, message: str) -> None:
        self.errors.append(FieldError(f"{self.path}.{key}" if key else self.path, message))

    def need(self, key: str, kind: type | tuple = str, what: str = "a text") -> Any:
        value = self.change.get(key)
        if value is None:
            self.error(key, f"is required for a {self.change['type']} change")
        elif not isinstance(value, kind) or isinstance(value, bool):
            self.error(key, f"must be {what}")
        else:
            return value
        return None

    def find(self, list_key: str, ident: Any, key: str, noun: str) -> tuple[int, dict] | None:
        for n, item in enumerate(self.doc.get(list_key) or []):
            if isinstance(item, dict) and item.get("id") == ident:
                return n, item
        self.error(key, f"unknown {noun} '{ident}'")
        return None


def _only_fields(c: _Change, allowed: set[str]) -> None:
    for key in c.change:
        if key not in allowed | {"type", "note"}:
            c.error(key, f"is not a field of a {c.change['type']} change (fields: {', '.join(sorted(allowed))})")


def _unavailable(c: _Change) -> None:
    """A trainer, interpreter or room is unavailable from start to end."""
    _only_fields(c, {"trainer", "interpreter", "room", "start", "end", "reason"})
    given = [k for k in ENTITY_LISTS if k in c.change]
    if len(given) != 1:
        c.error(None, "name exactly one of trainer, interpreter or room")
        return
    kind = given[0]
    start, end = c.need("start", str, "a date or local date-time"), c.need("end", str, "a date or local date-time")
    found = c.find(ENTITY_LISTS[kind], c.change[kind], kind, kind)
    if found is None or start is None or end is None:
        return
    n, item = found
    periods = item.setdefault("unavailable", [])
    periods.append({"start": start, "end": end})
    c.moved.append((f"$.{ENTITY_LISTS[kind]}[{n}].unavailable[{len(periods) - 1}]", c.path))


def _adder(kind: str) -> Callable[[_Change], None]:
    def add(c: _Change) -> None:
        _only_fields(c, {kind})
        entity = c.need(kind, dict, f"a {kind} object")
        if entity is None:
            return
        items = c.doc.setdefault(ENTITY_LISTS[kind], [])
        if any(isinstance(x, dict) and x.get("id") == entity.get("id") for x in items):
            c.error(f"{kind}.id", f"there is already a {kind} '{entity.get('id')}'")
            return
        items.append(copy.deepcopy(entity))
        c.moved.append((f"$.{ENTITY_LISTS[kind]}[{len(items) - 1}]", f"{c.path}.{kind}"))
    add.__doc__ = f"Adds a {kind}."
    return add


def _remover(kind: str) -> Callable[[_Change], None]:
    def remove(c: _Change) -> None:
        _only_fields(c, {kind})
        ident = c.need(kind, str, f"a {kind} id")
        found = ident is not None and c.find(ENTITY_LISTS[kind], ident, kind, kind)
        if found:
            c.doc[ENTITY_LISTS[kind]].pop(found[0])
    remove.__doc__ = f"Removes a {kind}."
    return remove


def _plan(c: _Change) -> tuple[int, dict] | None:
    ident = c.need("action_plan", str, "an action plan id")
    return None if ident is None else c.find("action_plans", ident, "action_plan", "action plan")


def _add_participants(c: _Change) -> None:
    """More participants in an action plan; counted entries of a team already counted add up."""
    _only_fields(c, {"action_plan", "participants"})
    found, entries = _plan(c), c.need("participants", list, "a list of participant entries")
    if found is None or entries is None:
        return
    n, plan = found
    mine = plan.setdefault("participants", [])
    for m, entry in enumerate(entries):
        if not isinstance(entry, dict):
            c.error(f"participants[{m}]", "must be an object ({id, team} or {team, count})")
            continue
        same = next((p for p in mine if isinstance(p, dict) and "count" in p and "count" in entry
                     and p.get("team") == entry.get("team") and p.get("language") == entry.get("language")), None)
        if same is not None and isinstance(entry.get("count"), int) and isinstance(same.get("count"), int):
            same["count"] += entry["count"]
            c.moved.append((f"$.action_plans[{n}].participants", f"{c.path}.participants"))
            continue
        mine.append(copy.deepcopy(entry))
        c.moved.append((f"$.action_plans[{n}].participants[{len(mine) - 1}]", f"{c.path}.participants[{m}]"))


def _remove_participants(c: _Change) -> None:
    """Fewer participants in an action plan: named ids, or {team, count} from a counted entry."""
    _only_fields(c, {"action_plan", "participants"})
    found, entries = _plan(c), c.need("participants", list, "a list of ids or {team, count} objects")
    if found is None or entries is None:
        return
    _, plan = found
    mine = plan.get("participants") or []
    for m, entry in enumerate(entries):
        where = f"participants[{m}]"
        if isinstance(entry, str):
            hit = next((p for p in mine if isinstance(p, dict) and p.get("id") == entry), None)
            if hit is None:
                c.error(where, f"action plan {plan.get('id')} has no participant '{entry}'")
            else:
                mine.remove(hit)
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("count"), int) or entry["count"] < 1:
            c.error(where, "must be a participant id or {team, count} with a count of at least 1")
            continue
        hit = next((p for p in mine if isinstance(p, dict) and "count" in p and p.get("team") == entry.get("team")
                    and p.get("language") == entry.get("language")), None)
        if hit is None or not isinstance(hit.get("count"), int) or hit["count"] < entry["count"]:
            have = hit.get("count") if hit else 0
            c.error(where, f"action plan {plan.get('id')} counts {have} participants of team {entry.get('team')}"
                           f"{' with language ' + str(entry.get('language')) if entry.get('language') else ''}, "
                           f"fewer than {entry['count']}")
            continue
        hit["count"] -= entry["count"]
        if hit["count"] == 0:
            mine.remove(hit)


def _plan_dates(c: _Change) -> None:
    """New earliest / deadline / target dates for an action plan."""
    keys = {"earliest", "deadline", "target"}
    _only_fields(c, keys | {"action_plan"})
    found = _plan(c)
    if not keys & set(c.change):
        c.error(None, "give at least one of earliest, deadline, target")
    if found is None:
        return
    n, plan = found
    for key in sorted(keys & set(c.change)):
        plan[key] = c.change[key]
        c.moved.append((f"$.action_plans[{n}].{key}", f"{c.path}.{key}"))


def _weights(c: _Change) -> None:
    """New objective weights (the others stay)."""
    _only_fields(c, {"weights"})
    weights = c.need("weights", dict, "an object of weights")
    if weights is not None:
        c.doc["weights"] = {**(c.doc.get("weights") or {}), **weights}
        for key in weights:
            c.moved.append((f"$.weights.{key}", f"{c.path}.weights.{key}"))


def _close(c: _Change) -> None:
    """A closed period in the calendar (a shutdown, a holiday week)."""
    _only_fields(c, {"start", "end", "reason"})
    start, end = c.need("start", str, "a date"), c.need("end", str, "a date")
    if start is None or end is None:
        return
    closed = c.doc.setdefault("calendar", {}).setdefault("closed", [])
    closed.append({"start": start, "end": end, **({"reason": c.change["reason"]} if "reason" in c.change else {})})
    c.moved.append((f"$.calendar.closed[{len(closed) - 1}]", c.path))


def _reopen(c: _Change) -> None:
    """Removes the closed periods that lie within start..end (dates, inclusive)."""
    _only_fields(c, {"start", "end"})
    start, end = c.need("start", str, "a date"), c.need("end", str, "a date")
    if start is None or end is None:
        return
    closed = (c.doc.get("calendar") or {}).get("closed") or []
    keep = [p for p in closed
            if not (isinstance(p, dict) and start <= str(p.get("start")) and str(p.get("end")) <= end)]
    if len(keep) == len(closed):
        c.error(None, f"no closed period lies within {start}..{end}")
        return
    c.doc["calendar"]["closed"] = keep


def _team(c: _Change) -> tuple[str, dict] | None:
    """The change's team (``workplace`` and ``team`` ids): its JSON path and its object."""
    wid, tid = c.need("workplace", str, "a workplace id"), c.need("team", str, "a team id")
    found = None if wid is None else c.find("workplaces", wid, "workplace", "workplace")
    if found is None or tid is None:
        return None
    n, workplace = found
    for m, team in enumerate(workplace.get("teams") or []):
        if isinstance(team, dict) and team.get("id") == tid:
            return f"$.workplaces[{n}].teams[{m}]", team
    c.error("team", f"workplace {wid} has no team '{tid}'")
    return None


def _block_team(c: _Change) -> None:
    """A period when a team releases nobody for training ("v. 12: inventering")."""
    _only_fields(c, {"workplace", "team", "start", "end", "reason"})
    found = _team(c)
    start, end = c.need("start", str, "a date or local date-time"), c.need("end", str, "a date or local date-time")
    if found is None or start is None or end is None:
        return
    path, team = found
    periods = team.setdefault("blocked", [])
    periods.append({"start": start, "end": end, **({"reason": c.change["reason"]} if "reason" in c.change else {})})
    c.moved.append((f"{path}.blocked[{len(periods) - 1}]", c.path))


def _unblock_team(c: _Change) -> None:
    """Removes a team's blocked periods lying within start..end, or all of them without start and end."""
    _only_fields(c, {"workplace", "team", "start", "end"})
    found = _team(c)
    bounds = [k for k in ("start", "end") if k in c.change]
    start = end = None
    if bounds:
        start, end = c.need("start", str, "a date or local date-time"), c.need("end", str, "a date or local date-time")
    if found is None or (bounds and (start is None or end is None)):
        return
    _, team = found
    periods = team.get("blocked") or []

    keep = [p for p in periods if not period_within(p, start, end)]
    if len(keep) == len(periods):
        where = f" within {start}..{end}" if bounds else ""
        c.error(None, f"team {team.get('id')} of workplace {c.change['workplace']} has no blocked period{where}")
        return
    if keep:
        team["blocked"] = keep
    else:
        team.pop("blocked", None)


def _merge_patch(c: _Change) -> None:
    """A JSON merge patch (RFC 7386) on the whole scenario."""
    _only_fields(c, {"patch"})
    patch = c.need("patch", dict, "a JSON object (a merge patch)")
    if patch is None:
        return
    if "id" in patch:
        c.error("patch.id", "a variant keeps its parent's id (calendar UIDs follow it)")
        return
    merged = merge_patch(c.doc, patch)
    c.doc.clear()
    c.doc.update(merged)
    for key in patch:
        c.moved.append((f"$.{key}", f"{c.path}.patch.{key}"))


CHANGES: dict[str, Callable[[_Change], None]] = {
    "unavailable": _unavailable,
    **{f"add_{k}": _adder(k) for k in ENTITY_LISTS},
    **{f"remove_{k}": _remover(k) for k in ENTITY_LISTS},
    "add_participants": _add_participants,
    "remove_participants": _remove_participants,
    "plan_dates": _plan_dates,
    "weights": _weights,
    "close": _close,
    "reopen": _reopen,
    "block_team": _block_team,
    "unblock_team": _unblock_team,
    "merge_patch": _merge_patch,
}


def read_changes(changes_doc: Any) -> tuple[list, str, str | None]:
    """(changes, JSON path of the list, variant name or None) of a changes document."""
    if isinstance(changes_doc, list):
        return changes_doc, "$", None
    if isinstance(changes_doc, dict) and isinstance(changes_doc.get("changes"), list):
        extra = sorted(set(changes_doc) - {"changes", "name"})
        if extra:
            raise ScenarioInvalid([FieldError(f"$.{k}", "is not a field of a changes document (changes, name)")
                                   for k in extra])
        name = changes_doc.get("name")
        return changes_doc["changes"], "$.changes", name if isinstance(name, str) else None
    raise ScenarioInvalid([FieldError("$", "a changes document is a list of changes or {\"changes\": [...]}")])


def make_variant(parent: dict, changes_doc: Any, *, name: str | None = None) -> dict:
    """The variant scenario (a new dict; the parent is not touched). Raises ScenarioInvalid with
    every problem at once: in the changes (paths into the changes document) or in the resulting
    scenario (paths of the change that put the wrong value there where known)."""
    load_scenario(parent)  # the parent itself must be valid: its errors are its own
    changes, root, doc_name = read_changes(changes_doc)
    doc = copy.deepcopy(parent)
    errors: list[FieldError] = []
    moved: list[tuple[str, str]] = []
    for n, change in enumerate(changes):
        path = f"{root}[{n}]"
        if not isinstance(change, dict):
            errors.append(FieldError(path, "a change must be an object with a type"))
            continue
        kind = change.get("type")
        if kind not in CHANGES:
            errors.append(FieldError(f"{path}.type", f"unknown change type {kind!r}; one of: {', '.join(CHANGES)}"))
            continue
        CHANGES[kind](_Change(doc, change, path, errors, moved))
    if errors:
        raise ScenarioInvalid(errors)
    lineage: dict[str, Any] = {"parent": {"id": parent.get("id"), "name": parent.get("name") or parent.get("id"),
                          "sha256": document_sha256(parent)}, "changes": copy.deepcopy(changes)}
    if isinstance(parent.get("x-variant"), dict):
        lineage["parent"]["x-variant"] = parent["x-variant"]
    doc["x-variant"] = lineage
    doc["name"] = name or doc_name or f"{parent.get('name') or parent.get('id')} (variant)"
    try:
        load_scenario(doc)
    except ScenarioInvalid as exc:
        raise ScenarioInvalid([_blame(e, moved) for e in exc.errors]) from None
    return doc


def _blame(error: FieldError, moved: list[tuple[str, str]]) -> FieldError:
    """An error in the variant, moved to the change that put the value there (if one did)."""
    for target, source in reversed(moved):
        if error.path == target or error.path.startswith(target + ".") or error.path.startswith(target + "["):
            return FieldError(source + error.path[len(target):], error.message)
    return FieldError(error.path, f"after the changes: {error.message}")


def lineage_of(doc: dict) -> list[dict]:
    """The chain of ancestors of a variant, nearest first: [{id, name, sha256, changes}, ...]."""
    out = []
    node = doc.get("x-variant")
    while isinstance(node, dict):
        parent = node.get("parent") or {}
        out.append({"id": parent.get("id"), "name": parent.get("name"), "sha256": parent.get("sha256"),
                    "changes": node.get("changes") or []})
        node = parent.get("x-variant")
    return out
