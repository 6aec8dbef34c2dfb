"""Request and response schemas of the action-plan endpoints (issue 15), for the OpenAPI
document. The body of a plan is checked by the format's own code (``action_plan_checks``),
so that every error comes back at once in the scenario's error format."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from scheduler.explain.messages import LANGUAGES
from scheduler.format.fields import Id, Text
from scheduler.format.scenario import ActionPlanSchema
from service.extensions import FieldErrorSchema
from service.schemas import JobSchema, ScenarioResourceSchema
from service.views.explanations import FindingSchema


class ActionPlanInputSchema(ActionPlanSchema):
    """A plan as a manager or coordinator sends it: the format's action plan, whose ``id`` and
    ``workplace`` may be left out, plus a ``note``."""

    id = Id(metadata={"description": "the plan's id in the programme's scenario (default: <workplace>-<n>)"})
    workplace = Id(metadata={"description": "whose plan it is (default for a manager: their own workplace; "
                                            "another workplace is a 403)"})
    note = Text(validate=validate.Length(max=4000), metadata={"description": "free text for the coordinators"})


class LanguageQuerySchema(ma.Schema):
    lang = fields.String(validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "sv or en for the feedback (default: Accept-Language, else sv)"})


class ByWhomSchema(ma.Schema):
    token = fields.String(allow_none=True, metadata={"description": "id of the API token (not the token)"})
    role = fields.String()


class TeamNoteSchema(ma.Schema):
    team = fields.String()
    workplace = fields.String()
    headcount = fields.Integer()
    min_staffing = fields.Integer()
    staffing_slack = fields.Integer(metadata={"description": "how many of the team may be away during a shift"})
    participants = fields.Integer(metadata={"description": "the plan's participants from this team"})
    severity = fields.String(validate=validate.OneOf(["info", "warning"]))
    message = fields.String()


class FeedbackSchema(ma.Schema):
    language = fields.String()
    complete = fields.Boolean(metadata={"description": "false: the diagnosis did not finish in time (see note); "
                                                       "only the team notes are given"})
    note = fields.String(allow_none=True)
    teams = fields.List(fields.Nested(TeamNoteSchema))
    findings = fields.List(fields.Nested(FindingSchema), metadata={
        "description": "the pre-solve diagnosis's findings about this plan (as GET /scenarios/{id}/explanation)"})


class ActionPlanResourceSchema(ma.Schema):
    id = fields.String(metadata={"description": "resource id of the plan"})
    programme = fields.String()
    plan_id = fields.String(metadata={"description": "the plan's id in the programme's scenario"})
    workplace = fields.String()
    status = fields.String(validate=validate.OneOf(["draft", "submitted", "withdrawn"]))
    version = fields.Integer(metadata={"description": "raised by every change (see history)"})
    document = fields.Dict(metadata={"description": "the plan: the format's action plan plus note"})
    created_at = fields.DateTime()
    created_by = fields.Nested(ByWhomSchema)
    updated_at = fields.DateTime()
    updated_by = fields.Nested(ByWhomSchema)
    links = fields.Dict(keys=fields.String(), values=fields.String())
    warnings = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "when the plan is stored: fields that are ignored"})
    feedback = fields.Nested(FeedbackSchema)


class ActionPlanEventSchema(ma.Schema):
    version = fields.Integer()
    at = fields.DateTime()
    by = fields.Nested(ByWhomSchema)
    action = fields.String(validate=validate.OneOf(["created", "updated", "submitted", "withdrawn", "deleted"]))
    status = fields.String()
    document = fields.Dict(metadata={"description": "the plan after this change"})


class ActionPlanHistorySchema(ma.Schema):
    id = fields.String()
    plan_id = fields.String()
    workplace = fields.String()
    deleted = fields.Boolean()
    events = fields.List(fields.Nested(ActionPlanEventSchema))


class PlanRefSchema(ma.Schema):
    id = fields.String()
    plan_id = fields.String()
    status = fields.String()
    track = fields.String()
    participants = fields.Integer()
    updated_at = fields.DateTime()


class WorkplaceOverviewSchema(ma.Schema):
    workplace = fields.String()
    name = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "draft, submitted, withdrawn"})
    missing = fields.Boolean(metadata={"description": "no draft and no submitted plan"})
    plans = fields.List(fields.Nested(PlanRefSchema))
    in_scenario = fields.List(fields.String(), metadata={
        "description": "the workplace's plan ids in the programme's latest scenario"})


class TrackOverviewSchema(ma.Schema):
    track = fields.String()
    participants = fields.Integer()
    plans = fields.List(fields.String())


class OverviewSchema(ma.Schema):
    programme = fields.String()
    scenario = fields.String(metadata={"description": "the programme's latest scenario (what compiling starts from)"})
    language = fields.String()
    workplaces = fields.List(fields.Nested(WorkplaceOverviewSchema))
    missing = fields.List(fields.String(), metadata={"description": "workplaces with no draft or submitted plan"})
    tracks = fields.List(fields.Nested(TrackOverviewSchema), metadata={"description": "submitted plans"})
    complete = fields.Boolean(metadata={"description": "false: the diagnosis did not run or finish (see note)"})
    note = fields.String(allow_none=True)
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "what would keep the submitted plans from compiling"})
    warnings = fields.List(fields.Nested(FindingSchema), metadata={
        "description": "the diagnosis of the compiled programme (capacity warnings and errors)"})


class CompiledSchema(ma.Schema):
    scenario = fields.Nested(ScenarioResourceSchema, metadata={"description": "the programme's new version"})
    job = fields.Nested(JobSchema, metadata={"description": "its solve"})
    plans = fields.List(fields.String(), metadata={"description": "resource ids of the plans compiled"})
