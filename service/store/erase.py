"""Erasing a programme's participant data (the right to erasure, GDPR art. 17).

The format names participants only by an id (which may be a personal identifier) with a team
and a language. Erasing replaces every named participant's id, in every stored document of the
programme — its scenario versions and what-if variants, their schedules (cohorts, unassigned
participants, cancelled sessions), the published sessions' history, the variants' changes —
by a random pseudonym (``anon-…``) that nothing maps back. Structure is kept: the same person
gets the same pseudonym everywhere, so every schedule stays exactly as valid as it was, the
published calendars (which never name participants) are unchanged, and the programme can
still be re-planned. Counted participants carry no identity and stay as they are.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from service.store.db import Database, ScenarioRow, ScheduleRow, SessionRevisionRow, VariantRow

PREFIX = "anon-"


def _named_ids(document: Any) -> set[str]:
    out = set()
    for plan in (document or {}).get("action_plans") or []:
        for p in plan.get("participants") or [] if isinstance(plan, dict) else []:
            if isinstance(p, dict) and isinstance(p.get("id"), str) and not p["id"].startswith(PREFIX):
                out.add(p["id"])
    return out


def _rewrite(node: Any, names: dict[str, str], in_participants: bool = False) -> Any:
    """A copy of a JSON value with participant ids replaced where they stand: entries of a
    ``participants`` list (strings, or objects' ``id``), and ``participant`` fields."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "participants":
                out[key] = _rewrite(value, names, True)
            elif (key == "participant" or (in_participants and key == "id")) and isinstance(value, str):
                out[key] = names.get(value, value)
            else:
                out[key] = _rewrite(value, names, False)
        return out
    if isinstance(node, list):
        return [names.get(x, x) if in_participants and isinstance(x, str) else _rewrite(x, names, in_participants)
                for x in node]
    return node


def erase_participants(db: Database, lineage: str) -> int:
    """Pseudonymise every named participant of the programme ``lineage`` (one transaction);
    returns how many distinct participants were erased."""
    with db.write_lock, db.Session.begin() as s:
        variant_ids = set(s.scalars(select(VariantRow.scenario_id).where(VariantRow.root_lineage == lineage)))
        scenarios = [r for r in s.scalars(select(ScenarioRow)) if r.lineage == lineage or r.id in variant_ids]
        ids = set().union(*(_named_ids(r.document) for r in scenarios)) if scenarios else set()
        if not ids:
            return 0
        names = {pid: PREFIX + secrets.token_hex(8) for pid in sorted(ids)}
        scenario_ids = {r.id for r in scenarios}
        for row in scenarios:
            row.document = _rewrite(row.document, names)
            flag_modified(row, "document")
        for v in s.scalars(select(VariantRow).where(VariantRow.scenario_id.in_(scenario_ids))):
            v.changes = _rewrite(v.changes, names)
            flag_modified(v, "changes")
        for sched in s.scalars(select(ScheduleRow).where(ScheduleRow.scenario_id.in_(scenario_ids))):
            sched.document = _rewrite(sched.document, names)
            sched.cancelled = _rewrite(sched.cancelled, names)
            flag_modified(sched, "document")
            flag_modified(sched, "cancelled")
        lineages = {lineage} | {r.lineage for r in scenarios}
        for rev in s.scalars(select(SessionRevisionRow).where(SessionRevisionRow.lineage.in_(lineages))):
            rev.session = _rewrite(rev.session, names)
            flag_modified(rev, "session")
    return len(names)
