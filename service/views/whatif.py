"""What-if planning (issue 5): variants with lineage, re-plans against a published baseline
as jobs, publishing a re-plan into the scenario's calendars, and comparing schedules.

* A variant is stored as a scenario row of its own (its document keeps the parent's ``id``)
  with a private lineage: solving it never touches the published calendars. ``variants`` records its parent and changes.
* ``POST /scenarios/<id>/replan`` starts a job that solves the scenario (a variant or not)
  against a baseline schedule (default: the newest published schedule of its lineage).
  Several variants' jobs run side by side like any jobs.
* ``POST /schedules/<id>/publish`` (coordinators) makes a draft, a variant's schedule or an
  earlier revision the published one of the programme's lineage: every existing feed then shows moved sessions with the
  same UID and a higher SEQUENCE, and removed ones as CANCELLED for the grace period.
* ``GET /compare?schedules=a,b,c``: every KPI side by side (recomputed by the validator)
  and the session-level differences from the first.
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import select

from scheduler.format import ScenarioInvalid, load_scenario_with_warnings, problem_dicts
from scheduler.whatif.variants import lineage_of, make_variant
from service.auth import WRITE_ROLES, require
from service.extensions import FieldErrorSchema
from service.jobs.submit import replan_options, solve_options, submit_job
from service.problems import problem
from service.schemas import WARNINGS_DESCRIPTION, JobSchema, SolveOptionsSchema
from service.store import publish_lineage, publish_schedule, scenario_workplaces
from service.store.db import LineageRow, ScenarioRow, ScheduleRow, VariantRow, new_id
from service.views.common import db, json_body, state
from service.views.jobs import job_dict
from service.views.scenarios import load_row

blp = Blueprint("whatif", __name__, url_prefix="/api/v1",
                description="What-if planning: variants, re-plans against a baseline, publishing, comparison")

MAX_COMPARE = 12


class VariantSchema(ma.Schema):
    id = fields.String(metadata={"description": "resource id of the variant's scenario"})
    scenario_id = fields.String(metadata={"description": "the document's id (the parent's: calendar UIDs follow it)"})
    name = fields.String()
    parent = fields.String(metadata={"description": "resource id of the scenario it was derived from"})
    root_lineage = fields.String(metadata={"description": "the published lineage its re-plans are published into"})
    changes = fields.List(fields.Dict())
    ancestors = fields.List(fields.Dict(), metadata={"description": "parent, grandparent, ... with their changes"})
    created_at = fields.DateTime()
    document = fields.Dict(metadata={"description": "the variant scenario (with x-variant: its lineage)"})
    links = fields.Dict(keys=fields.String(), values=fields.String())
    warnings = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "when the variant is created: " + WARNINGS_DESCRIPTION})


class ReplanOptionsSchema(SolveOptionsSchema):
    baseline = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "schedule id of the baseline (default: the newest published schedule of the lineage)"})
    freeze_until = fields.Date(metadata={"description": "baseline sessions before this date stay exactly as they are"})
    move_weight = fields.Float(validate=validate.Range(min=0, max=1e9), allow_nan=False, metadata={
        "description": "cost of each moved baseline session (default: weights.move_session, else 500)"})


class CompareQuerySchema(ma.Schema):
    schedules = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata={
        "description": "comma-separated schedule ids; differences are taken against the first"})


class PublishedSchema(ma.Schema):
    id = fields.String(metadata={"description": "the published schedule (the draft itself, or a new schedule "
                                               "resource for a variant's schedule or an earlier revision)"})
    source = fields.String(metadata={"description": "the schedule it was published from"})
    scenario_id = fields.String(metadata={"description": "the document's own id"})
    programme = fields.String(metadata={"description": "the programme (lineage) whose calendars now show it"})
    revision = fields.Integer()
    moved = fields.List(fields.String())
    added = fields.List(fields.String())
    cancelled = fields.List(fields.String())
    links = fields.Dict(keys=fields.String(), values=fields.String())


def _variant_row(s, scenario_id: str) -> VariantRow | None:
    return s.get(VariantRow, scenario_id)



def variant_dict(row: ScenarioRow, v: VariantRow, *, with_document: bool) -> dict:
    out = {"id": row.id, "scenario_id": str(row.document.get("id")), "name": row.name, "parent": v.parent_id,
           "root_lineage": v.root_lineage, "changes": v.changes, "ancestors": lineage_of(row.document),
           "created_at": v.created_at,
           "links": {"self": url_for("whatif.variant", scenario=row.id),
                     "scenario": url_for("scenarios.scenario", scenario=row.id),
                     "parent": url_for("scenarios.scenario", scenario=v.parent_id),
                     "replan": url_for("whatif.replan", scenario=row.id),
                     "schedules": url_for("scenarios.schedules", scenario=row.id)}}
    if with_document:
        out["document"] = row.document
    return out


@blp.route("/scenarios/<scenario>/variants", methods=["POST"])
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": {
    "type": "object", "properties": {"name": {"type": "string"}, "changes": {"type": "array", "items": {
        "type": "object"}}}, "required": ["changes"]}}}})
@blp.response(201, VariantSchema)
@blp.alt_response(422, schema="ProblemDetails", description="invalid changes; errors name each change's JSON path")
def create_variant(scenario: str):
    """Derive a variant from a stored scenario by a list of changes (see scheduler/whatif/variants.py
    for the change types). Every problem comes back at once, e.g. ``$.changes[2].trainer:
    unknown trainer 'T9'``."""
    principal = require(*WRITE_ROLES)
    parent = load_row(scenario, principal)
    body = store_variant(parent, json_body('{"changes": [...]} (a JSON object)'), created_by=principal.token_id)
    return body, 201, {"Location": url_for("whatif.variant", scenario=body["id"])}


def store_variant(parent: ScenarioRow, body: dict, *, created_by: str | None) -> dict:
    """Derive and store a variant of ``parent`` by ``body`` (``{"name"?, "changes": [...]}``):
    the variant's answer with its document and warnings, or a 422 naming every bad change.
    ``POST /scenarios/{id}/variants`` and a review's variant (service/views/reviews.py) use it."""
    try:
        doc = make_variant(parent.document, body)
    except ScenarioInvalid as exc:
        raise problem(422, "Invalid changes", f"{len(exc.errors)} problem(s) in the changes",
                      errors=exc.as_dicts()) from None
    normalized, warnings = load_scenario_with_warnings(doc)
    row_id = new_id()
    with db().Session.begin() as s:
        root = publish_lineage(s, parent)
        row = ScenarioRow(id=row_id, lineage=f"variant:{row_id}", name=str(doc["name"])[:500],
                          workplaces=scenario_workplaces(normalized), document=doc, created_by=created_by)
        s.add(row)
        s.flush()
        v = VariantRow(scenario_id=row_id, parent_id=parent.id, root_lineage=root, changes=doc["x-variant"]["changes"])
        s.add(v)
    return {**variant_dict(row, v, with_document=True), "warnings": problem_dicts(warnings)}


@blp.route("/scenarios/<scenario>/variants", methods=["GET"], endpoint="variants")
@blp.response(200, VariantSchema(many=True))
def list_variants(scenario: str):
    """The variants derived directly from this scenario, oldest first."""
    principal = require(*WRITE_ROLES)
    parent = load_row(scenario, principal)
    with db().Session() as s:
        pairs = s.execute(select(ScenarioRow, VariantRow).join(VariantRow, VariantRow.scenario_id == ScenarioRow.id)
                          .where(VariantRow.parent_id == parent.id).order_by(VariantRow.created_at)).all()
        return [variant_dict(r, v, with_document=False) for r, v in pairs]


@blp.route("/variants/<scenario>", methods=["GET"], endpoint="variant")
@blp.response(200, VariantSchema)
def get_variant(scenario: str):
    """One variant: its parent, changes, ancestors and document."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    with db().Session() as s:
        v = _variant_row(s, row.id)
    if v is None:
        raise problem(404, "Not Found", f"scenario {scenario} is not a variant")
    return variant_dict(row, v, with_document=True)


@blp.route("/scenarios/<scenario>/replan", methods=["POST"], endpoint="replan")
@blp.arguments(ReplanOptionsSchema, required=False)
@blp.response(202, JobSchema)
@blp.alt_response(422, schema="ProblemDetails", description="no baseline, or one of another scenario")
def replan(options: dict, scenario: str):
    """Re-plan a scenario (typically a variant) against a baseline schedule as a job: baseline
    sessions before ``freeze_until`` stay as they are, every other one that moves costs
    ``move_weight``. The schedule lists ``moved``, ``added`` and ``cancelled`` with reasons."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    with db().Session() as s:
        base_id = options.get("baseline")
        if base_id is None:
            lin = s.get(LineageRow, publish_lineage(s, row))
            base_id = lin.latest_schedule_id if lin else None
            if base_id is None:
                raise problem(422, "Invalid request", "this scenario's lineage has no published schedule yet; "
                              "give a baseline", errors=[{"path": "$.baseline", "message": "is required here"}])
        base = s.get(ScheduleRow, base_id)
    if base is None:
        raise problem(422, "Invalid request", f"there is no schedule {base_id}",
                      errors=[{"path": "$.baseline", "message": f"unknown schedule {base_id}"}])
    if base.document.get("scenario") != row.document.get("id"):
        raise problem(422, "Invalid request", "the baseline is a schedule of scenario "
                      f"'{base.document.get('scenario')}', not '{row.document.get('id')}'",
                      errors=[{"path": "$.baseline", "message": "belongs to another scenario"}])
    opts = {**solve_options(options, state().config),
            **replan_options(base.id, options.get("freeze_until"), options.get("move_weight"))}
    job = submit_job(db(), state().executor, scenario_id=row.id, options=opts, created_by=principal.token_id)
    return job_dict(job), 202, {"Location": url_for("jobs.job", job=job.id)}


@blp.route("/schedules/<schedule>/publish", methods=["POST"], endpoint="publish")
@blp.response(201, PublishedSchema)
@blp.alt_response(409, schema="ProblemDetails", description="the schedule is what the feeds show already")
def publish(schedule: str):
    """Publish a schedule (coordinators only): a draft of the programme, a what-if variant's
    schedule, or an earlier revision again. It becomes what every feed of the programme shows;
    moved sessions keep their UID with a higher SEQUENCE, sessions no longer planned appear as
    CANCELLED for the grace period. Solving never does this by itself."""
    principal = require("coordinator")
    with db().Session() as s:
        row = s.get(ScheduleRow, schedule) if len(schedule) <= 64 else None
        scen = s.get(ScenarioRow, row.scenario_id) if row else None
        root = publish_lineage(s, scen) if scen else None
        lin = s.get(LineageRow, root) if root else None
        previous = s.get(ScheduleRow, lin.latest_schedule_id) if lin and lin.latest_schedule_id else None
    if row is None or scen is None or root is None:
        raise problem(404, "Not Found", f"there is no schedule {schedule}")
    if previous is not None and previous.id == row.id:
        raise problem(409, "Conflict", f"schedule {schedule} is already what the programme's calendars show "
                                       f"(revision {row.revision})")
    if row.status in ("infeasible", "unknown"):
        raise problem(409, "Conflict", f"a schedule with status {row.status} cannot be published")
    published = publish_schedule(db(), row.id, lineage=root, scenario_id=scen.id, published_by=principal.token_id)
    from scheduler.solve.replan import diff_sessions  # OR-Tools: loaded on first use, not when the API starts

    diff = diff_sessions(previous.document if previous else {}, row.document)
    return ({"id": published.id, "source": row.id, "scenario_id": str(row.document.get("scenario")),
             "programme": root, "revision": published.revision, **diff,
             "links": {"schedule": url_for("schedules.schedule", schedule=published.id),
                       "calendars": url_for("schedules.calendars", schedule=published.id)}},
            201, {"Location": url_for("schedules.schedule", schedule=published.id)})


@blp.route("/compare", methods=["GET"], endpoint="compare")
@blp.arguments(CompareQuerySchema, location="query", as_kwargs=True)
@blp.response(200, description="every KPI per schedule (recomputed by the validator) and the differences")
def compare_schedules(schedules: str):
    """KPIs side by side: every objective term, unscheduled, backfill and overtime hours, trainer
    load, completion date per action plan, and the session-level differences from the first."""
    from scheduler.whatif.compare import compare  # OR-Tools (through the solver): on first use

    require(*WRITE_ROLES)
    ids = [x.strip() for x in schedules.split(",") if x.strip()]
    if not ids or len(ids) > MAX_COMPARE:
        raise problem(422, "Invalid request", f"give 1 to {MAX_COMPARE} schedule ids",
                      errors=[{"path": "$query.schedules", "message": f"must list 1 to {MAX_COMPARE} ids"}])
    entries = []
    with db().Session() as s:
        for sid in ids:
            row = s.get(ScheduleRow, sid) if len(sid) <= 64 else None
            scen = s.get(ScenarioRow, row.scenario_id) if row else None
            if row is None or scen is None:
                raise problem(404, "Not Found", f"there is no schedule {sid}",
                              errors=[{"path": "$query.schedules", "message": f"unknown schedule {sid}"}])
            entries.append((scen.document, row.document, sid))
    result = compare(entries)
    return {"ids": ids, **result}  # result["schedules"]: the KPI rows, in the order of `ids`
