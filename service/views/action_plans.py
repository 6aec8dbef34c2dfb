"""Action plans over the API (issue 15): each workplace's manager enters their plans for a
programme, the coordinators see who has submitted and compile the submitted plans into the
programme's next scenario and its solve.

* ``/scenarios/<id>/action-plans``: the plans of the programme ``<id>`` belongs to (any stored
  version of it names the programme); ``.../<plan>`` one plan, ``/submit``, ``/withdraw``,
  ``/history``; ``/overview`` and ``/compile`` for coordinators.
* Roles: a manager reads and writes only their workplace's plans (another workplace's plan is a
  404, so that its existence does not leak; a body naming another workplace is a 403), a
  planner reads everything and writes nothing, a coordinator does everything.
* Status: a new plan is a draft; ``submit`` hands it to the coordinators, ``withdraw`` takes it
  back; changing a submitted plan makes it a draft again. Every change is kept (``history``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, request, url_for
from flask_smorest import Blueprint

from scheduler.explain.messages import choose_language
from scheduler.format import load_scenario
from service.auth import Principal, require
from service.jobs.submit import solve_options, submit_job
from service.problems import Problem, problem
from service.schemas import SolveOptionsSchema
from service.store.action_plans import (
    Author,
    change_plan,
    create_plan,
    get_plan,
    latest_scenario,
    list_plans,
    next_plan_id,
    plan_history,
)
from service.store.db import ActionPlanRow, ScenarioRow, VariantRow
from service.views.action_plan_checks import (
    check_plan,
    compile_errors,
    compiled_document,
    diagnosis,
    participants,
    plan_feedback,
)
from service.views.action_plan_schemas import (
    ActionPlanHistorySchema,
    ActionPlanInputSchema,
    ActionPlanResourceSchema,
    CompiledSchema,
    LanguageQuerySchema,
    OverviewSchema,
)
from service.views.common import db, json_body, state
from service.views.jobs import job_dict
from service.views.scenarios import load_row, store_document

blp = Blueprint("action_plans", __name__, url_prefix="/api/v1/scenarios",
                description="Action plans: each workplace's plans for a programme, submitted, compiled and solved")

READERS = ("coordinator", "planner", "manager")
WRITERS = ("coordinator", "manager")
PLAN_BODY = {"required": True, "content": {"application/json": {"schema": ActionPlanInputSchema}}}


# ---------------------------------------------------------------------------- helpers

def programme_of(scenario: str, principal: Principal) -> tuple[ScenarioRow, ScenarioRow]:
    """(the scenario named in the path, the programme's latest scenario). A manager must see the
    scenario (their workplace is in it: else 403, as for the scenario itself)."""
    row = load_row(scenario, principal)
    with db().Session() as s:
        variant = s.get(VariantRow, row.id)
    if variant is not None:
        raise problem(422, "Invalid request", "a what-if variant has no action plans: give a scenario of the "
                      "programme", errors=[{"path": "$path.scenario", "message": "is a what-if variant"}])
    latest = latest_scenario(db(), row.lineage) or row
    return row, latest


def load_plan(scenario: str, plan: str, principal: Principal,
              deleted: bool = False) -> tuple[ScenarioRow, ScenarioRow, ActionPlanRow]:
    """The plan, or a 404 when it is not the programme's, deleted (unless ``deleted``), or (for a
    manager) another workplace's: the same answer, so that a manager cannot tell them apart."""
    row, latest = programme_of(scenario, principal)
    found = get_plan(db(), row.lineage, plan, deleted=deleted)
    if found is None or (principal.is_manager and found.workplace != principal.workplace):
        raise problem(404, "Not Found", f"there is no action plan {plan} in this programme")
    return row, latest, found


def etag(row: ActionPlanRow) -> str:
    """The plan's version as an HTTP entity tag: what a client sends back in If-Match."""
    return f'"v{row.version}"'


def _send_etag(row: ActionPlanRow) -> None:
    tag = etag(row)

    @after_this_request
    def add(response):
        response.headers["ETag"] = tag
        return response


def _unchanged_since_read(found: ActionPlanRow) -> None:
    """With ``If-Match`` (the ETag of the plan as the client read it), a change to a plan that
    someone else changed meanwhile is refused with 412 instead of overwriting their work."""
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    if etag(found) not in tags:
        raise problem(412, "Precondition Failed",
                      f"action plan {found.document.get('id')} was changed by someone else since you read it "
                      f"(it is at version {found.version} now): load it again and redo your change")


def _language() -> str:
    return choose_language(request.args.get("lang"), request.headers.get("Accept-Language"))


def _by(token: str | None, role: str) -> dict:
    return {"token": token, "role": role}


def plan_dict(scenario: str, row: ActionPlanRow) -> dict:
    links = {name: url_for(f"action_plans.{name}", scenario=scenario, plan=row.id)
             for name in ("plan", "submit", "withdraw", "history")}
    links["self"] = links.pop("plan")
    return {"id": row.id, "programme": row.lineage, "plan_id": row.plan_id, "workplace": row.workplace,
            "status": row.status, "version": row.version, "document": row.document,
            "created_at": row.created_at, "created_by": _by(row.created_by, row.created_role),
            "updated_at": row.updated_at, "updated_by": _by(row.updated_by, row.updated_role), "links": links}


def _author(principal: Principal) -> Author:
    return Author(principal.token_id, principal.role)


def _checked_body(principal: Principal, latest: ScenarioRow, lineage: str,
                  existing: ActionPlanRow | None) -> tuple[dict, dict, list[dict]]:
    """The request's plan, checked: (the plan with ``id`` and ``workplace``, the normalized
    candidate scenario, warnings). 403 when it names a workplace the manager does not manage;
    422 with every error, paths in the plan."""
    body = dict(json_body("an action plan (a JSON object)"))
    errors: list[dict] = []
    workplace = body.get("workplace", existing.workplace if existing else None)
    if principal.is_manager:
        if workplace is None:
            workplace = principal.workplace
        if workplace != principal.workplace:
            raise problem(403, "Forbidden", "a manager enters plans of their own workplace only",
                          errors=[{"path": "$.workplace", "message": f"must be your workplace {principal.workplace}"}])
    if workplace is None:
        workplace = ""  # the format says that it is missing
    elif existing is not None and workplace != existing.workplace:
        errors.append({"path": "$.workplace", "message": f"a plan stays with its workplace ({existing.workplace}); "
                                                         "enter a new plan for another workplace"})
    if not isinstance(workplace, str):
        workplace = ""  # the format names the wrong type
    plan_id = body.get("id")
    if plan_id is None:
        plan_id = existing.plan_id if existing else next_plan_id(db(), lineage, workplace or "plan")
    elif isinstance(plan_id, str):
        others = [r for r in list_plans(db(), lineage) if existing is None or r.id != existing.id]
        if any(r.plan_id == plan_id for r in others):
            errors.append({"path": "$.id", "message": f"the programme already has an action plan {plan_id}"})
    plan = {"id": plan_id, "workplace": body.get("workplace", workplace), **body}
    plan["id"] = plan_id
    if not plan["workplace"]:
        plan.pop("workplace")
    normalized, warnings = check_plan(latest.document, plan, errors)
    return plan, normalized, warnings


def _feedback(normalized: dict, plan: dict) -> dict:
    mine = next(p for p in reversed(normalized["action_plans"]) if p["id"] == plan["id"])
    return plan_feedback(normalized, mine, _language())


def _writable(principal: Principal) -> None:
    if principal.role not in WRITERS:
        raise problem(403, "Forbidden", f"the {principal.role} role may read action plans but not change them "
                                        "(needs coordinator or manager)")


# ---------------------------------------------------------------------------- the plans

@blp.route("/<scenario>/action-plans", methods=["GET"], endpoint="plans")
@blp.response(200, ActionPlanResourceSchema(many=True))
def list_(scenario: str):
    """The programme's plans, oldest first (a manager: their workplace's)."""
    principal = require(*READERS)
    row, _ = programme_of(scenario, principal)
    rows = list_plans(db(), row.lineage, principal.workplace if principal.is_manager else None)
    return [plan_dict(scenario, r) for r in rows]


@blp.route("/<scenario>/action-plans", methods=["POST"], endpoint="create")
@blp.arguments(LanguageQuerySchema, location="query")
@blp.doc(requestBody=PLAN_BODY)
@blp.response(201, ActionPlanResourceSchema)
@blp.alt_response(403, schema="ProblemDetails", description="a planner, or a plan of another workplace than "
                                                            "the manager's")
@blp.alt_response(422, schema="ProblemDetails", description="not a valid plan; errors name every field")
def create(query: dict, scenario: str):
    """Enter a plan (a draft): checked against the programme's latest scenario with the format's
    own rules, every error at once with its path in the plan; the answer carries ``feedback``
    (staffing slack of its teams, the diagnosis's findings about it)."""
    principal = require(*READERS)
    _writable(principal)
    row, latest = programme_of(scenario, principal)
    plan, normalized, warnings = _checked_body(principal, latest, row.lineage, None)
    stored = create_plan(db(), lineage=row.lineage, workplace=plan["workplace"], document=plan,
                         author=_author(principal))
    body = {**plan_dict(scenario, stored), "warnings": warnings, "feedback": _feedback(normalized, plan)}
    return body, 201, {"Location": body["links"]["self"]}


@blp.route("/<scenario>/action-plans/<plan>", methods=["GET"], endpoint="plan")
@blp.arguments(LanguageQuerySchema, location="query")
@blp.response(200, ActionPlanResourceSchema)
def get(query: dict, scenario: str, plan: str):
    """One plan with its ``feedback`` against the programme's latest scenario."""
    principal = require(*READERS)
    _, latest, found = load_plan(scenario, plan, principal)
    _send_etag(found)
    out = plan_dict(scenario, found)
    try:
        normalized, _ = check_plan(latest.document, found.document)
    except Problem as exc:  # the programme changed under the plan: say what no longer fits
        out["feedback"] = {"language": _language(), "complete": False, "teams": [], "findings": [],
                           "note": f"{exc.detail}: " + "; ".join(f"{e['path']}: {e['message']}"
                                                                 for e in exc.errors or [])}
        return out
    out["feedback"] = _feedback(normalized, found.document)
    return out


@blp.route("/<scenario>/action-plans/<plan>", methods=["PUT"], endpoint="update")
@blp.alt_response(412, schema="ProblemDetails", description="If-Match: the plan changed since it was read")
@blp.arguments(LanguageQuerySchema, location="query")
@blp.doc(requestBody=PLAN_BODY)
@blp.response(200, ActionPlanResourceSchema)
@blp.alt_response(422, schema="ProblemDetails", description="not a valid plan; errors name every field")
def update(query: dict, scenario: str, plan: str):
    """Replace a plan's document (the whole plan). A submitted or withdrawn plan becomes a draft."""
    principal = require(*READERS)
    _writable(principal)
    row, latest, found = load_plan(scenario, plan, principal)
    _unchanged_since_read(found)
    doc, normalized, warnings = _checked_body(principal, latest, row.lineage, found)
    changed = change_plan(db(), found.id, _author(principal), "updated", status="draft", document=doc)
    if changed is None:
        raise problem(404, "Not Found", f"there is no action plan {plan} in this programme")
    _send_etag(changed)
    return {**plan_dict(scenario, changed), "warnings": warnings, "feedback": _feedback(normalized, doc)}


@blp.route("/<scenario>/action-plans/<plan>", methods=["DELETE"], endpoint="delete")
@blp.alt_response(412, schema="ProblemDetails", description="If-Match: the plan changed since it was read")
@blp.response(204)
def delete(scenario: str, plan: str):
    """Delete a plan: it leaves the lists and the next compile; its row and history are kept."""
    principal = require(*READERS)
    _writable(principal)
    _, _, found = load_plan(scenario, plan, principal)
    _unchanged_since_read(found)
    change_plan(db(), found.id, _author(principal), "deleted", status=found.status)
    return None


def _transition(scenario: str, plan: str, action: str, allowed: Callable[[ActionPlanRow], str | None],
                status: str) -> dict:
    principal = require(*READERS)
    _writable(principal)
    _, latest, found = load_plan(scenario, plan, principal)
    _unchanged_since_read(found)
    refused = allowed(found)
    if refused:
        raise problem(409, "Conflict", refused)
    if action == "submitted":  # the programme may have changed since the plan was saved
        check_plan(latest.document, found.document)
    changed = change_plan(db(), found.id, _author(principal), action, status=status)
    if changed is None:
        raise problem(404, "Not Found", f"there is no action plan {plan} in this programme")
    _send_etag(changed)
    return plan_dict(scenario, changed)


@blp.route("/<scenario>/action-plans/<plan>/submit", methods=["POST"], endpoint="submit")
@blp.alt_response(412, schema="ProblemDetails", description="If-Match: the plan changed since it was read")
@blp.response(200, ActionPlanResourceSchema)
@blp.alt_response(409, schema="ProblemDetails", description="already submitted")
@blp.alt_response(422, schema="ProblemDetails", description="the plan no longer fits the programme")
def submit(scenario: str, plan: str):
    """Hand a draft (or withdrawn) plan to the coordinators: the next compile takes it."""
    return _transition(scenario, plan, "submitted",
                       lambda r: "the plan is already submitted" if r.status == "submitted" else None, "submitted")


@blp.route("/<scenario>/action-plans/<plan>/withdraw", methods=["POST"], endpoint="withdraw")
@blp.alt_response(412, schema="ProblemDetails", description="If-Match: the plan changed since it was read")
@blp.response(200, ActionPlanResourceSchema)
@blp.alt_response(409, schema="ProblemDetails", description="the plan is not submitted")
def withdraw(scenario: str, plan: str):
    """Take a submitted plan back (its manager or a coordinator): the next compile leaves it out."""
    return _transition(scenario, plan, "withdrawn",
                       lambda r: None if r.status == "submitted" else f"the plan is {r.status}, not submitted",
                       "withdrawn")


@blp.route("/<scenario>/action-plans/<plan>/history", methods=["GET"], endpoint="history")
@blp.response(200, ActionPlanHistorySchema)
def history(scenario: str, plan: str):
    """Every change of the plan, oldest first: who (token id, role), when, what, the plan after it.
    Coordinators and planners also read the history of a deleted plan."""
    principal = require(*READERS)
    _, _, found = load_plan(scenario, plan, principal, deleted=not principal.is_manager)
    events = [{"version": e.version, "at": e.at, "by": _by(e.by, e.role), "action": e.action, "status": e.status,
               "document": e.document} for e in plan_history(db(), found.id)]
    return {"id": found.id, "plan_id": found.plan_id, "workplace": found.workplace,
            "deleted": found.deleted_at is not None, "events": events}


# ---------------------------------------------------------------------------- coordinators

@blp.route("/<scenario>/action-plans/overview", methods=["GET"], endpoint="overview")
@blp.arguments(LanguageQuerySchema, location="query")
@blp.response(200, OverviewSchema)
def overview(query: dict, scenario: str):
    """Per workplace of the programme: its plans by status and whether it has none; participants
    per track of the submitted plans; and the diagnosis of the programme as compiling would
    make it (capacity warnings). Coordinators and planners."""
    principal = require("coordinator", "planner")
    row, latest = programme_of(scenario, principal)
    plans = list_plans(db(), row.lineage)
    names = {str(w.get("id")): str(w.get("name") or w.get("id")) for w in latest.document.get("workplaces") or []
             if isinstance(w, dict)}
    workplaces = []
    for wp in dict.fromkeys([*names, *(p.workplace for p in plans)]):
        mine = [p for p in plans if p.workplace == wp]
        counts = {s: sum(p.status == s for p in mine) for s in ("draft", "submitted", "withdrawn")}
        workplaces.append({
            "workplace": wp, "name": names.get(wp, wp), "counts": counts,
            "missing": not (counts["draft"] or counts["submitted"]),
            "plans": [{"id": p.id, "plan_id": p.plan_id, "status": p.status, "track": str(p.document.get("track")),
                       "participants": participants(p.document), "updated_at": p.updated_at} for p in mine],
            "in_scenario": [str(p.get("id")) for p in latest.document.get("action_plans") or []
                            if isinstance(p, dict) and p.get("workplace") == wp]})
    tracks: dict[str, dict] = {}
    submitted = [p for p in plans if p.status == "submitted"]
    for p in submitted:
        t = tracks.setdefault(str(p.document.get("track")), {"track": str(p.document.get("track")),
                                                             "participants": 0, "plans": []})
        t["participants"] += participants(p.document)
        t["plans"].append(p.plan_id)
    lang = choose_language(query.get("lang"), request.headers.get("Accept-Language"))
    out = {"programme": row.lineage, "scenario": latest.id, "language": lang, "workplaces": workplaces,
           "missing": [w["workplace"] for w in workplaces if w["missing"]], "tracks": list(tracks.values()),
           "complete": False, "note": None, "errors": [], "warnings": []}
    doc, index = compiled_document(latest.document, submitted)
    try:
        compile_errors(doc, index)
    except Problem as exc:
        out["errors"], out["note"] = list(exc.errors or []), exc.detail
        return out
    findings, why = diagnosis(load_scenario(doc), lang)
    out["complete"], out["note"], out["warnings"] = findings is not None, why, findings or []
    return out


@blp.route("/<scenario>/action-plans/compile", methods=["POST"], endpoint="compile")
@blp.arguments(SolveOptionsSchema, required=False)
@blp.response(202, CompiledSchema)
@blp.alt_response(409, schema="ProblemDetails", description="no submitted plans")
@blp.alt_response(422, schema="ProblemDetails", description="the submitted plans do not compile; errors name them")
def compile_(options: dict, scenario: str):
    """Compile and solve (coordinators): the programme's latest scenario with, for every workplace
    that has submitted plans, those plans instead of its own, stored as the programme's next
    version (as ``POST /scenarios?programme=``) and its solve started. Answers 202 with the new
    scenario and the job."""
    principal = require("coordinator")
    row, latest = programme_of(scenario, principal)
    submitted = [p for p in list_plans(db(), row.lineage) if p.status == "submitted"]
    if not submitted:
        raise problem(409, "Nothing to compile", "the programme has no submitted action plans")
    opts = solve_options(options, state().config)
    doc, index = compiled_document(latest.document, submitted)
    compile_errors(doc, index)
    stored, _, _ = store_document(doc, principal, lineage=row.lineage)
    job = submit_job(db(), state().executor, scenario_id=stored["id"], options=opts, created_by=principal.token_id)
    return ({"scenario": stored, "job": job_dict(job), "plans": [p.id for p in submitted]}, 202,
            {"Location": url_for("jobs.job", job=job.id)})
