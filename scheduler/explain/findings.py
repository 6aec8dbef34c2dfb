"""Findings and machine-applicable suggestions.

A finding is one cause, in a coordinator's words: `rule` (a stable name such as
`trainer_qualification` or `staffing`), `entities` (ids by kind: plans, teams,
trainers, weeks, ...), `message`, and `suggestions`. Each suggestion is a sentence and
a list of structured `changes` on the scenario document that `apply_changes` carries
out, so a program (or a test) can apply it and solve again.

A change is `{"op": "set" | "append" | "add", "path": [...], "value": ...}`; a path is
a list of keys, where `{"id": X}` picks the element of a list whose `id` is X:
  set    ["action_plans", {"id": "HP1"}, "deadline"] = "2027-04-16"
  append ["trainers"] += {...}                      (a new entity)
  add    ["trainers", {"id": "T1"}, "qualifications"] gets "M3" unless it has it

What a path cannot say (taking elements out of a list) a change says in the what-if change
language of `scheduler/whatif/variants.py`, so that the same change also makes a variant:
  {"type": "unblock_team", "workplace": "W1", "team": "lag-1", "start": "2027-04-05", "end": "2027-04-09"}
removes the team's blocked periods lying within start..end (all of them without start and end).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from scheduler.format.values import period_within

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Suggestion:
    message: str
    changes: list[dict]
    verified: bool | None = None  # None: not checked; True: the check that raised the finding passes after it

    def as_dict(self) -> dict:
        out: dict[str, object] = {"message": self.message, "changes": self.changes}
        if self.verified is not None:
            out["verified"] = self.verified
        return out


# What a finding is about: kind (plans, cohorts, modules, ...) -> ids; "reasons" -> {reason:
# how many start times it rules out}.
Entities = dict[str, list | dict[str, int]]


@dataclass
class Finding:
    rule: str
    entities: Entities
    message: str
    suggestions: list[Suggestion] = field(default_factory=list)
    severity: str = "error"  # error: sessions certainly stay unscheduled; warning: tight; info
    sessions: int = 0  # how many sessions it keeps from being scheduled (for the order)
    source: str = "diagnosis"  # diagnosis (pre-solve) | conflict (CP-SAT) | solver

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "entities": self.entities, "message": self.message,
                "suggestions": [s.as_dict() for s in self.suggestions], "sessions": self.sessions,
                "source": self.source}


def by_importance(findings: list[Finding]) -> list[Finding]:
    """Most important first: errors before warnings, then the most sessions affected (stable)."""
    return sorted(findings, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), -f.sessions))


# -- structured changes -----------------------------------------------------------------


class ChangeError(ValueError):
    """A change that does not fit the document (a path that leads nowhere)."""


def _step(node, key, path):
    if isinstance(key, dict):
        if not isinstance(node, list):
            raise ChangeError(f"{path}: {key} selects from a list, but this is not one")
        for item in node:
            if isinstance(item, dict) and item.get("id") == key.get("id"):
                return item
        raise ChangeError(f"{path}: no element with id {key.get('id')!r}")
    if not isinstance(node, dict):
        raise ChangeError(f"{path}: {key!r} needs an object")
    if key not in node:
        raise ChangeError(f"{path}: no key {key!r}")
    return node[key]


def apply_changes(document: dict, changes: list[dict]) -> dict:
    """A copy of the scenario `document` with the suggestion's `changes` carried out."""
    doc = copy.deepcopy(document)
    for ch in changes:
        if "type" in ch:  # a change in the what-if language
            _apply_variant_change(doc, ch)
            continue
        op, path, value = ch["op"], list(ch["path"]), copy.deepcopy(ch.get("value"))
        node = doc
        for n, key in enumerate(path[:-1]):
            if isinstance(key, str) and isinstance(node, dict) and key not in node and op != "set":
                node[key] = {} if isinstance(path[n + 1], str) else []
            node = _step(node, key, path[: n + 1])
        last = path[-1] if path else None
        if op == "set":
            if not isinstance(node, dict) or not isinstance(last, str):
                raise ChangeError(f"{path}: set needs an object key")
            node[last] = value
        elif op == "append":
            target = node.setdefault(last, []) if isinstance(last, str) else _step(node, last, path)
            if not isinstance(target, list):
                raise ChangeError(f"{path}: append needs a list")
            target.append(value)
        elif op == "add":
            target = node.setdefault(last, []) if isinstance(last, str) else _step(node, last, path)
            if not isinstance(target, list):
                raise ChangeError(f"{path}: add needs a list")
            if value not in target:
                target.append(value)
        else:
            raise ChangeError(f"unknown change op {op!r}")
    return doc


def _apply_variant_change(doc: dict, ch: dict) -> None:
    """A suggestion's change in the what-if change language, carried out on `doc` as
    `scheduler/whatif/variants.py` carries it out on a variant (only the types suggestions use)."""
    if ch["type"] != "unblock_team":
        raise ChangeError(f"a suggestion cannot carry a {ch['type']!r} change")
    path: list = ["workplaces", {"id": ch.get("workplace")}, "teams", {"id": ch.get("team")}]
    team = doc
    for n, key in enumerate(path):
        team = _step(team, key, path[: n + 1])
    bounds = "start" in ch or "end" in ch
    start, end = (str(ch.get("start")), str(ch.get("end"))) if bounds else (None, None)

    periods = team.get("blocked") or []
    keep = [p for p in periods if not period_within(p, start, end)]
    if len(keep) == len(periods):
        raise ChangeError(f"{path}: team {ch.get('team')} has no blocked period within {start}..{end}")
    if keep:
        team["blocked"] = keep
    else:
        team.pop("blocked", None)


def apply_suggestion(document: dict, suggestion: dict | Suggestion) -> dict:
    """A copy of the scenario with one suggestion (as a dict from the JSON output, or a Suggestion) applied."""
    changes = suggestion.changes if isinstance(suggestion, Suggestion) else suggestion["changes"]
    return apply_changes(document, changes)


def set_change(path: list, value) -> dict:
    return {"op": "set", "path": path, "value": value}


def append_change(path: list, value) -> dict:
    return {"op": "append", "path": path, "value": value}


def add_change(path: list, value) -> dict:
    return {"op": "add", "path": path, "value": value}


def unblock_team_change(workplace: str, team: str, start: str, end: str) -> dict:
    """The what-if change that lifts a team's blocked periods lying within start..end."""
    return {"type": "unblock_team", "workplace": workplace, "team": team, "start": start, "end": end}


def unique_id(existing, base: str) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not taken."""
    taken = set(existing)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
