"""Action plans entered over the API (issue 15): each workplace's plans for a programme, their
status (draft, submitted, withdrawn) and every change with who made it and when.

A plan belongs to a programme (a lineage, ``programme:<id>``), not to one stored version of
it: a new version of the programme keeps its plans. Every change writes the plan's new state
and an event with the document after it (``ActionPlanEventRow``); a deleted plan keeps its
row and history. Nothing here checks roles or validates documents: the views do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from service.store.db import ActionPlanEventRow, ActionPlanRow, Database, ScenarioRow, VariantRow, utcnow

STATUSES = ("draft", "submitted", "withdrawn")


@dataclass(frozen=True)
class Author:
    """Who makes a change: the API token's id and its role."""

    token_id: str | None
    role: str


def _event(row: ActionPlanRow, author: Author, action: str) -> ActionPlanEventRow:
    return ActionPlanEventRow(plan_id=row.id, version=row.version, at=row.updated_at, by=author.token_id,
                              role=author.role, action=action, status=row.status, document=row.document)


def list_plans(db: Database, lineage: str, workplace: str | None = None) -> list[ActionPlanRow]:
    """The programme's live (not deleted) plans, oldest first; only ``workplace``'s when given."""
    with db.Session() as s:
        query = select(ActionPlanRow).where(ActionPlanRow.lineage == lineage, ActionPlanRow.deleted_at.is_(None))
        if workplace is not None:
            query = query.where(ActionPlanRow.workplace == workplace)
        return list(s.scalars(query.order_by(ActionPlanRow.created_at, ActionPlanRow.id)))


def get_plan(db: Database, lineage: str, plan: str, *, deleted: bool = False) -> ActionPlanRow | None:
    """The programme's live plan with this resource id (with ``deleted``, a deleted one too), or None."""
    if len(plan) > 64:
        return None
    with db.Session() as s:
        row = s.get(ActionPlanRow, plan)
    if row is None or row.lineage != lineage or (row.deleted_at is not None and not deleted):
        return None
    return row


def next_plan_id(db: Database, lineage: str, workplace: str) -> str:
    """``<workplace>-<n>`` for the workplace's next plan: n counts every plan it ever had in the
    programme (deleted ones too), so an id is never handed out twice."""
    with db.Session() as s:
        taken = {str(r.document.get("id")) for r in s.scalars(
            select(ActionPlanRow).where(ActionPlanRow.lineage == lineage))}
        n = 1 + len(list(s.scalars(select(ActionPlanRow.id).where(ActionPlanRow.lineage == lineage,
                                                                   ActionPlanRow.workplace == workplace))))
    while f"{workplace}-{n}" in taken:
        n += 1
    return f"{workplace}-{n}"


def create_plan(db: Database, *, lineage: str, workplace: str, document: dict, author: Author) -> ActionPlanRow:
    """Store a new draft plan and its "created" event."""
    now = utcnow()
    row = ActionPlanRow(lineage=lineage, workplace=workplace, status="draft", document=document, version=1,
                        created_at=now, created_by=author.token_id, created_role=author.role, updated_at=now,
                        updated_by=author.token_id, updated_role=author.role)
    with db.write_lock, db.Session.begin() as s:
        s.add(row)
        s.flush()
        s.add(_event(row, author, "created"))
    return row


def change_plan(db: Database, plan_id: str, author: Author, action: str, *, status: str,
                document: dict | None = None) -> ActionPlanRow | None:
    """Apply one change (``updated``, ``submitted``, ``withdrawn``, ``deleted``) to a live plan:
    its new status (and document), a raised version, and the event. None when the plan is gone."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    with db.write_lock, db.Session.begin() as s:
        row = s.get(ActionPlanRow, plan_id, with_for_update=True)
        if row is None or row.deleted_at is not None:
            return None
        now = utcnow()
        row.status = status
        if document is not None:
            row.document = document
        row.version += 1
        row.updated_at, row.updated_by, row.updated_role = now, author.token_id, author.role
        if action == "deleted":
            row.deleted_at = now
        s.add(_event(row, author, action))
    return row


def plan_history(db: Database, plan_id: str) -> list[ActionPlanEventRow]:
    """Every change of a plan, oldest first."""
    with db.Session() as s:
        return list(s.scalars(select(ActionPlanEventRow).where(ActionPlanEventRow.plan_id == plan_id)
                              .order_by(ActionPlanEventRow.version, ActionPlanEventRow.at)))


def latest_scenario(db: Database, lineage: str) -> ScenarioRow | None:
    """The newest stored scenario of the programme (not a what-if variant): what its plans are
    checked against and what compiling them starts from."""
    with db.Session() as s:
        variants = select(VariantRow.scenario_id)
        return s.scalars(select(ScenarioRow).where(ScenarioRow.lineage == lineage, ScenarioRow.id.not_in(variants))
                         .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id.desc()).limit(1)).first()
