from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from sqlalchemy import select

from scheduler.format import ScenarioInvalid, load_scenario_with_warnings, problem_dicts
from service.auth import WRITE_ROLES, require
from service.jobs.submit import solve_options, submit_job
from service.problems import problem
from service.schemas import (
    CreateScenarioQuerySchema,
    JobSchema,
    ListQuerySchema,
    ScenarioResourceSchema,
    ScenarioSummarySchema,
    ScheduleSummarySchema,
    SolveOptionsSchema,
)
from service.store import new_programme, publish_lineage, scenario_workplaces
from service.store.db import LineageRow, ScenarioRow, ScheduleRow, VariantRow, new_id
from service.store.erase import erase_participants
from service.views.common import db, json_body, state
from service.views.jobs import job_dict

blp = Blueprint("scenarios", __name__, url_prefix="/api/v1/scenarios",
                description="Scenarios (modulplan/scenario-1 documents) and their solves")


def scenario_dict(row: ScenarioRow, latest: str | None, *, with_document: bool) -> dict:
    doc_id = row.document.get("id") if isinstance(row.document, dict) else None
    out = {"id": row.id, "scenario_id": str(doc_id), "programme": row.lineage, "name": row.name,
           "workplaces": row.workplaces,
           "created_at": row.created_at, "latest_schedule_id": latest,
           "links": {"self": url_for("scenarios.scenario", scenario=row.id),
                     "solve": url_for("scenarios.solve", scenario=row.id),
                     "schedules": url_for("scenarios.schedules", scenario=row.id)}}
    if with_document:
        out["document"] = row.document
    return out


def load_row(scenario: str, principal) -> ScenarioRow:
    with db().Session() as s:
        row = s.get(ScenarioRow, scenario) if len(scenario) <= 64 else None
    if row is None:
        raise problem(404, "Not Found", f"there is no scenario {scenario}")
    if principal.is_manager and principal.workplace not in (row.workplaces or []):
        raise problem(403, "Forbidden", "this scenario has no plans of your workplace")
    return row


def _latest(s, lineage: str) -> str | None:
    lin = s.get(LineageRow, lineage)
    return lin.latest_schedule_id if lin else None


@blp.route("", methods=["POST"])
@blp.arguments(CreateScenarioQuerySchema, location="query", as_kwargs=True)
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": "Scenario"}}})
@blp.response(201, ScenarioResourceSchema)
@blp.alt_response(400, schema="ProblemDetails", description="malformed JSON")
@blp.alt_response(413, schema="ProblemDetails", description="body too large")
@blp.alt_response(422, schema="ProblemDetails", description="not a valid scenario; errors name every field")
def create(programme: str | None = None):
    """Store a scenario. Every problem in the document is reported at once with its JSON path.

    A new upload starts a new programme, whatever its document id: its schedules and feeds are
    its own. ``?programme=<scenario>`` stores it as a new version of that scenario's programme
    (the same calendars, once one of its schedules is published).

    A field the format does not know is a warning (``warnings`` in the answer) and is ignored;
    a likely misspelling of a known field ("min_stafing") is an error with "did you mean"."""
    principal = require(*WRITE_ROLES)
    lineage = None
    if programme is not None:
        with db().Session() as s:
            base = s.get(ScenarioRow, programme)
            variant = s.get(VariantRow, programme) if base else None
        if base is None:
            raise problem(422, "Invalid request", f"there is no scenario {programme}",
                          errors=[{"path": "$query.programme", "message": f"unknown scenario {programme}"}])
        if variant is not None:
            raise problem(422, "Invalid request", "a what-if variant is not a programme; give the programme's "
                          "own scenario", errors=[{"path": "$query.programme", "message": "is a variant"}])
        lineage = base.lineage
    data = json_body("a modulplan/scenario-1 JSON object")
    return store_document(data, principal, lineage=lineage)


def store_document(data: dict, principal, warnings: list | None = None, lineage: str | None = None):
    """Validate and store a scenario document: the one path of JSON, workbook and calendar uploads.

    The 201 answer carries ``warnings`` (``[{path, message}]``: fields that are ignored, and
    the caller's own ``warnings``, e.g. a workbook's unknown columns); a 422 carries them too."""
    warnings = list(warnings or [])
    try:
        normalized, found = load_scenario_with_warnings(data)
    except ScenarioInvalid as exc:
        if exc.beyond_limits:  # larger than the service takes on: nothing else was looked at
            raise problem(413, "Programme too large", f"{len(exc.errors)} part(s) of the scenario are beyond the "
                          "service's limits (docs/service.md, Limits)", errors=exc.as_dicts()) from None
        raise problem(422, "Invalid scenario", f"{len(exc.errors)} problem(s) in the scenario",
                      errors=exc.as_dicts(), warnings=warnings + exc.warning_dicts()) from None
    warnings += problem_dicts(found)
    if len(str(normalized["id"])) > 200:
        raise problem(422, "Invalid scenario", "the scenario id is too long",
                      errors=[{"path": "$.id", "message": "id must be at most 200 characters"}])
    row_id = new_id()
    row = ScenarioRow(id=row_id, lineage=lineage or new_programme(row_id),
                      name=str(normalized.get("name") or normalized["id"])[:500],
                      workplaces=scenario_workplaces(normalized), document=data, created_by=principal.token_id)
    with db().Session.begin() as s:
        s.add(row)
    body = {**scenario_dict(row, None, with_document=True), "warnings": warnings}
    return body, 201, {"Location": url_for("scenarios.scenario", scenario=row.id)}


@blp.route("", methods=["GET"])
@blp.arguments(ListQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ScenarioSummarySchema(many=True))
def list_(limit: int, offset: int):
    """Stored scenarios, newest first (a manager sees those with plans of their workplace)."""
    principal = require()
    with db().Session() as s:
        rows = list(s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)))
        if principal.is_manager:
            rows = [r for r in rows if principal.workplace in (r.workplaces or [])]
        rows = rows[offset:offset + limit]
        out = [scenario_dict(r, _latest(s, r.lineage), with_document=False) for r in rows]
    if principal.is_manager:  # their own workplace, not the list of every other one
        for item in out:
            item["workplaces"] = [principal.workplace]
    return out


@blp.route("/<scenario>", methods=["GET"], endpoint="scenario")
@blp.response(200, ScenarioResourceSchema)
def get(scenario: str):
    """One stored scenario with its document (not for managers: it names every participant)."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    with db().Session() as s:
        return scenario_dict(row, _latest(s, row.lineage), with_document=True)


@blp.route("/<scenario>/schedules", methods=["GET"], endpoint="schedules")
@blp.response(200, ScheduleSummarySchema(many=True))
def schedules(scenario: str):
    """The schedules solved from this scenario, newest first: drafts (``draft``: no feed shows
    them) and published revisions."""
    principal = require()
    row = load_row(scenario, principal)
    with db().Session() as s:
        query = select(ScheduleRow).where(ScheduleRow.scenario_id == row.id)
        if principal.is_manager:  # a manager sees published schedules only
            query = query.where(ScheduleRow.published_at.is_not(None))
        rows = s.scalars(query.order_by(ScheduleRow.created_at.desc(), ScheduleRow.id))
        return [{"id": r.id, "scenario": r.scenario_id, "scenario_id": str(r.document.get("scenario")),
                 "revision": r.revision, "draft": r.is_draft, "published_at": r.published_at,
                 "status": r.status, "objective": r.objective, "created_at": r.created_at} for r in rows]


@blp.route("/<scenario>/solve", methods=["POST"], endpoint="solve")
@blp.arguments(SolveOptionsSchema, required=False)
@blp.response(202, JobSchema)
def solve(options: dict, scenario: str):
    """Start a solve job; answers 202 with the job (poll ``links.self``)."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    opts = solve_options(options, state().config)
    job = submit_job(db(), state().executor, scenario_id=row.id, options=opts, created_by=principal.token_id)
    return job_dict(job), 202, {"Location": url_for("jobs.job", job=job.id)}


@blp.route("/<scenario>/erase-participants", methods=["POST"], endpoint="erase_participants")
@blp.response(200)
def erase(scenario: str):
    """Erase the participant data of this scenario's whole programme (coordinators): every named
    participant's id, in every stored version, variant, schedule and published session, becomes a
    random pseudonym nothing maps back (``service/store/erase.py``). Schedules, calendars and re-plans
    keep working; it cannot be undone."""
    principal = require("coordinator")
    row = load_row(scenario, principal)
    with db().Session() as s:
        lineage = publish_lineage(s, row)
    return {"programme": lineage, "participants_erased": erase_participants(db(), lineage)}
