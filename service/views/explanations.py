"""Explanations of a stored scenario (pre-solve diagnosis) and of a schedule (its unscheduled
sessions and its costs): findings with rule, entities, message and machine-applicable
suggestions, most important first (`scheduler/explain`). Texts in Swedish or English:
``?lang=sv|en``, else the Accept-Language header, else Swedish."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from scheduler.explain.messages import LANGUAGES, choose_language
from scheduler.format import ScenarioInvalid, load_scenario
from service.auth import WRITE_ROLES, require
from service.jobs.child import ChildFailed, ChildLimits, run_in_child
from service.problems import problem
from service.views.common import state
from service.views.scenarios import load_row
from service.views.schedules import load

blp = Blueprint("explanations", __name__, url_prefix="/api/v1",
                description="Why sessions cannot be placed, why a schedule costs what it costs, what to change")


class ExplainQuerySchema(ma.Schema):
    lang = fields.String(validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "sv or en (default: Accept-Language, else sv)"})
    time_limit = fields.Float(load_default=10.0, validate=validate.Range(min=0.5, max=60), allow_nan=False,
                              metadata={"description": "seconds for the conflict search (default 10)"})
    conflicts = fields.Boolean(load_default=False, metadata={
        "description": "scenario only: also search for conflicting requirements with the solver"})


class SuggestionSchema(ma.Schema):
    message = fields.String()
    changes = fields.List(fields.Dict(), metadata={"description": "structured changes: {op: set|append|add, "
                                                                  "path: [key | {id}], value}"})
    verified = fields.Boolean()


class FindingSchema(ma.Schema):
    rule = fields.String()
    severity = fields.String()
    entities = fields.Dict()
    message = fields.String()
    suggestions = fields.List(fields.Nested(SuggestionSchema))
    sessions = fields.Integer()
    source = fields.String()


class ExplanationSchema(ma.Schema):
    format = fields.String()
    scenario = fields.String()
    language = fields.String()
    findings = fields.List(fields.Nested(FindingSchema))
    costs = fields.Dict(allow_none=True, metadata={"description": "objective by term and by action plan, "
                                                                  "workplace, team, trainer, interpreter, week"})
    seconds = fields.Dict()


def _language(query: dict) -> str:
    return choose_language(query.get("lang"), request.headers.get("Accept-Language"))


def explain_in_child(scenario: dict, schedule: dict | None, lang: str, options: dict, *, send, cancel) -> dict:
    """``scheduler.explain.report.explain`` in a child process (``service.jobs.child``)."""
    from scheduler.explain.report import explain  # OR-Tools and pandas: on first use, not when the API starts

    return explain(scenario, schedule, lang, **options)


def _explained(scenario: dict, schedule: dict | None, lang: str, time_limit: float, **options) -> dict:
    """The explanation, worked out in a child process under the job memory limit and a wall-clock
    limit (the conflict search's time and a margin): a request that would run long or large
    gets a 503 with the reason, and the service keeps answering."""
    limits = ChildLimits(memory_mb=state().config["JOB_MEMORY_MB"], wall_seconds=time_limit + 20.0)
    try:
        return run_in_child(explain_in_child, (scenario, schedule, lang, dict(options, time_limit=time_limit)),
                            limits=limits, what="the explanation", grace=2.0)
    except ChildFailed as exc:
        raise problem(503, "Explanation stopped", str(exc), headers={"Retry-After": "60"}) from None


def _normalized(document: dict) -> dict:
    try:
        return load_scenario(document)
    except ScenarioInvalid as exc:  # stored before a format change: say what no longer fits
        raise problem(422, "Invalid scenario", f"{len(exc.errors)} problem(s) in the stored scenario",
                      errors=exc.as_dicts()) from None


@blp.route("/scenarios/<scenario>/explanation", endpoint="scenario")
@blp.arguments(ExplainQuerySchema, location="query")
@blp.response(200, ExplanationSchema, headers={"Content-Language": {"schema": {"type": "string"}}})
def scenario_explanation(query: dict, scenario: str):
    """The pre-solve diagnosis of a stored scenario (capacity checks, seconds); with
    ``conflicts=true`` also a conflict search. Coordinators and planners."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    lang = _language(query)
    report = _explained(_normalized(row.document), None, lang, query["time_limit"], conflicts=query["conflicts"])
    return report, 200, {"Content-Language": lang, "Vary": "Accept-Language"}


@blp.route("/schedules/<schedule>/explanation", endpoint="schedule")
@blp.arguments(ExplainQuerySchema, location="query")
@blp.response(200, ExplanationSchema, headers={"Content-Language": {"schema": {"type": "string"}}})
def schedule_explanation(query: dict, schedule: str):
    """A schedule explained with its scenario: the diagnosis, why its unscheduled sessions could not
    be placed (conflicting requirements and the relaxations that resolve them) and its cost
    breakdown. Coordinators and planners."""
    principal = require(*WRITE_ROLES)
    row, scen = load(schedule, principal)
    lang = _language(query)
    report = _explained(_normalized(scen.document), row.document, lang, query["time_limit"])
    return report, 200, {"Content-Language": lang, "Vary": "Accept-Language"}
