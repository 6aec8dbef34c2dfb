"""The ``modulplan/schedule-1`` document (the solver's answer) as marshmallow schemas.

The format checks the shape and the internal references only (unique cohort and session
ids, sessions and unscheduled entries naming a listed cohort, end after start); whether a
schedule obeys the hard rules is ``scheduler.validate``'s business.
"""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import ValidationError, fields, validate, validates_schema

from scheduler.format.crosschecks import index_ids
from scheduler.format.fields import (
    BaseSchema,
    FormatTag,
    Id,
    Int,
    ListOf,
    Num,
    Obj,
    OffsetDateTime,
    Text,
    at_least,
    id_list,
    nested_list,
    one_of,
)
from scheduler.format.problems import ErrorTree, Sentence
from scheduler.format.sentences import NOUNS
from scheduler.format.values import objects_of, parse_offset_datetime, valid_id
from scheduler.format.vocabulary import SCENARIO_FORMAT, SCHEDULE_FORMAT, STATUSES


class CohortSchema(BaseSchema):
    id = Id(required=True)
    track = Id(required=True)
    workplaces = id_list(required=True)
    participants = id_list(required=True)


class SessionSchema(BaseSchema):
    id = Id(required=True)
    cohort = Id(required=True)
    module = Id(required=True)
    index = Int(required=True, validate=at_least(1))
    start = OffsetDateTime(required=True)
    end = OffsetDateTime(required=True)
    trainer = Id(required=True)
    room = Id(load_default=None, allow_none=True, metadata={"description": "null for remote sessions"})
    interpreters = id_list(load_default=list)

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        start, end = parse_offset_datetime(data.get("start")), parse_offset_datetime(data.get("end"))
        if start and end and end <= start:
            raise ValidationError({"end": [
                Sentence("end ({end}){of} is not after its start ({start})", end=data["end"], start=data["start"])
            ]})


class UnscheduledSchema(BaseSchema):
    cohort = Id(required=True)
    module = Id(required=True)
    index = Int(required=True, validate=at_least(1))
    reason = Text(required=True, validate=validate.Length(min=1, error="must not be empty"))
    reason_sv = Text(metadata={"description": "the reason in Swedish (modulplan's own schedules carry it; the "
                                              "planning board shows it first)"})


class UnassignedParticipantSchema(BaseSchema):
    participant = Id(required=True)
    action_plan = Id(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, error="must not be empty"))


class ObjectiveBreakdownSchema(BaseSchema):
    """Each objective term by name (extra keys are allowed and kept)."""

    class Meta:
        unknown = "include"

    unscheduled_session = Num(required=True)
    unassigned_participant = Num(required=True)
    backfill_per_hour = Num(required=True)
    overtime_per_hour = Num(required=True)
    trainer_cost = Num(required=True)
    travel_per_minute = Num(required=True)
    late_per_day = Num(required=True)
    trainer_change = Num(required=True)


class KpisSchema(BaseSchema):
    """At least the spec's kpis; extra keys are allowed and kept."""

    class Meta:
        unknown = "include"

    sessions_total = Int(required=True, validate=at_least(0))
    sessions_scheduled = Int(required=True, validate=at_least(0))
    backfill_hours = Num(required=True, validate=at_least(0))
    overtime_hours = Num(required=True, validate=at_least(0))
    travel_minutes = Num(required=True, validate=at_least(0))
    objective_breakdown = Obj(ObjectiveBreakdownSchema, required=True)


class ScheduleSchema(BaseSchema):
    """A ``modulplan/schedule-1`` document."""

    format = FormatTag(SCHEDULE_FORMAT, other=SCENARIO_FORMAT, other_name="scenario", required=True)
    scenario = Id(required=True, metadata={"description": "the scenario id"})
    status = Text(required=True, validate=one_of(STATUSES))
    objective = Num(required=True, allow_none=True)
    bound = Num(required=True, allow_none=True, metadata={"description": "best proven lower bound, or null"})
    solve_seconds = Num(required=True, validate=at_least(0))
    cohorts = nested_list(CohortSchema, required=True)
    sessions = nested_list(SessionSchema, required=True)
    unscheduled = nested_list(UnscheduledSchema, required=True)
    unassigned_participants = nested_list(UnassignedParticipantSchema, required=True)
    kpis = Obj(KpisSchema, required=True)
    # Optional, reserved for what-if runs and progress reports.
    moved = ListOf(fields.Raw(), metadata={"description": "what-if: sessions moved from the baseline"})
    added = ListOf(fields.Raw(), metadata={"description": "what-if: sessions added to the baseline"})
    cancelled = ListOf(fields.Raw(), metadata={"description": "what-if: baseline sessions cancelled"})
    progress = fields.Raw(allow_none=True, metadata={"description": "solver progress report"})
    replan = fields.Raw(allow_none=True, metadata={
        "description": "what-if: the baseline, freeze_until, move_session weight and a reason per changed session"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_check(self, data, original, **kwargs):
        if not isinstance(original, Mapping):
            return
        e = ErrorTree()
        cohorts = index_ids(e, original, "cohorts")
        index_ids(e, original, "sessions")
        for key in ("sessions", "unscheduled"):
            for i, item in objects_of(original, key):
                cohort = valid_id(item.get("cohort"))
                if cohort is not None and cohort not in cohorts:
                    e.add((key, i, "cohort"), f"{NOUNS[key]} number {i + 1} names cohort {cohort}, "
                                              "which is not in cohorts")
        e.raise_if_any()
