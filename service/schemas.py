"""Request and response schemas of the API resources. The scenario and schedule documents
themselves are the core's ``ScenarioSchema`` and ``ScheduleSchema`` (scheduler/format)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from scheduler.format import ScenarioSchema, ScheduleSchema
from service.extensions import FieldErrorSchema

WARNINGS_DESCRIPTION = ("what was read but ignored: fields the format does not know (a likely misspelling "
                        "of a known field is an error instead), or for a workbook unknown columns")


class Passthrough:
    """Documented by its fields, but the object is served as it is (it was validated on the way in)."""

    def dump(self, obj, *, many=None):
        return obj


class ScenarioDocument(Passthrough, ScenarioSchema):
    pass


class ScheduleDocument(Passthrough, ScheduleSchema):
    pass


class ObjectiveTermSchema(ma.Schema):
    term = fields.String(metadata={"description": "the term's name in a schedule's kpis.objective_breakdown"})
    labels = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "what the planning board calls it, per language (sv, en)"})


class ObjectiveTermsSchema(ma.Schema):
    terms = fields.List(fields.Nested(ObjectiveTermSchema), metadata={
        "description": "every objective term, in the order the board shows them"})


class ScenarioResourceSchema(ma.Schema):
    id = fields.String(metadata={"description": "resource id of this stored scenario"})
    scenario_id = fields.String(metadata={"description": "the document's own id"})
    programme = fields.String(metadata={
        "description": "the programme (lineage) this scenario belongs to: its published schedule feeds the calendars, "
                       "and calendar UIDs follow it. A new upload starts a programme; `?programme=` adds a new "
                       "version to an existing one"})
    name = fields.String()
    workplaces = fields.List(fields.String())
    created_at = fields.DateTime()
    latest_schedule_id = fields.String(allow_none=True, metadata={
        "description": "the programme's published schedule (what the feeds show), if any"})
    document = fields.Nested(ScenarioDocument, metadata={"description": "the scenario as submitted"})
    links = fields.Dict(keys=fields.String(), values=fields.String())
    warnings = fields.List(fields.Nested(FieldErrorSchema), metadata={
        "description": "when the scenario is created: " + WARNINGS_DESCRIPTION})


class ScenarioSummarySchema(ScenarioResourceSchema):
    class Meta:
        exclude = ("document", "warnings")


class CreateScenarioQuerySchema(ma.Schema):
    programme = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "resource id of a stored scenario: the upload becomes a new version of its programme "
                       "(same calendars once published) instead of a new programme"})


class ListQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**9))


class SolveOptionsSchema(ma.Schema):
    time_limit = fields.Float(validate=validate.Range(min=0.1, max=86400), allow_nan=False,
                              metadata={"description": "seconds of wall time (default 60)"})
    workers = fields.Integer(validate=validate.Range(min=0, max=64),
                             metadata={"description": "solver threads (default 1; 0: one per core)"})
    random_seed = fields.Integer(validate=validate.Range(min=0, max=2**31 - 1))


class PartWorkerSchema(ma.Schema):
    part = fields.Integer(metadata={"description": "the independent part's index"})
    worker = fields.String(metadata={"description": "the Celery worker (node name) that solved it"})
    redone = fields.Boolean(metadata={"description": "its worker failed it and the job's worker solved it again"})


class SearchRoundSchema(ma.Schema):
    round = fields.Integer(metadata={"description": "the search's round, from 1"})
    workers = fields.List(fields.String(), metadata={
        "description": "who searched a region of it and answered: the job's own worker first, then the others"})
    dropped = fields.Integer(metadata={"description": "regions with no answer in time (left as they were)"})
    merged = fields.Integer(metadata={"description": "results whose improved cohorts were merged into the best one"})


class ProgressSchema(ma.Schema):
    phase = fields.String()
    elapsed = fields.Float()
    objective = fields.Float(allow_none=True)
    bound = fields.Float(allow_none=True)
    sessions_placed = fields.Integer()
    sessions_total = fields.Integer()
    history = fields.List(fields.List(fields.Float(allow_none=True)), metadata={
        "description": "[elapsed, objective, bound] whenever objective or bound changed (thinned to a few hundred)"})
    parts_workers = fields.List(fields.Nested(PartWorkerSchema), metadata={
        "description": "with Celery workers, a finished solve of independent parts: who solved each (docs/scale.md)"})
    search_workers = fields.List(fields.Nested(SearchRoundSchema), metadata={
        "description": "with Celery workers, a finished solve of one connected programme: its search's rounds and "
                       "the workers that searched a region of each (docs/scale.md)"})


class JobSchema(ma.Schema):
    id = fields.String()
    scenario = fields.String(metadata={"description": "resource id of the scenario"})
    state = fields.String(validate=validate.OneOf(["queued", "running", "succeeded", "failed", "cancelled"]))
    options = fields.Dict()
    progress = fields.Nested(ProgressSchema, allow_none=True)
    schedule_id = fields.String(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "why it failed, or why it was re-queued"})
    attempts = fields.Integer()
    cancel_requested = fields.Boolean()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class ScheduleSummarySchema(ma.Schema):
    id = fields.String()
    scenario = fields.String()
    scenario_id = fields.String()
    revision = fields.Integer(allow_none=True, metadata={"description": "n-th published schedule; null for a draft"})
    draft = fields.Boolean(metadata={"description": "a solve's result not (yet) published: no feed shows it"})
    published_at = fields.DateTime(allow_none=True)
    status = fields.String()
    objective = fields.Float(allow_none=True)
    created_at = fields.DateTime()


class CalendarQuerySchema(ma.Schema):
    workplace = fields.String(validate=validate.Length(min=1, max=200))
    trainer = fields.String(validate=validate.Length(min=1, max=200))
    room = fields.String(validate=validate.Length(min=1, max=200))
    cohort = fields.String(validate=validate.Length(min=1, max=200))
    interpreter = fields.String(validate=validate.Length(min=1, max=200))

    @ma.validates_schema
    def _exactly_one(self, data, **kwargs):
        if len(data) != 1:
            raise ma.ValidationError("give exactly one of workplace, trainer, room, cohort, interpreter", "_schema")


class FeedSchema(ma.Schema):
    kind = fields.String()
    entity_id = fields.String()
    name = fields.String()
    url = fields.String(metadata={"description": "subscribe to this URL (it carries its own secret token)"})


class FeedListSchema(ma.Schema):
    schedule = fields.String()
    scenario_id = fields.String()
    programme = fields.String(metadata={"description": "the programme whose published schedule the feeds show"})
    draft = fields.Boolean(metadata={"description": "this schedule is a draft: the feeds show the published one"})
    feeds = fields.List(fields.Nested(FeedSchema))
