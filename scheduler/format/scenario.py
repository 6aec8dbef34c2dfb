"""The ``modulplan/scenario-1`` document as marshmallow schemas: one schema per object,
from the horizon down to a participant, and :class:`ScenarioSchema` for the whole.

Each field says its type, whether it is required and its default; the checks inside one
object (end before start, min_staffing above headcount, min_group above max_group ...) sit
on the object's schema. The checks across objects (references, repeated ids) are in
``scheduler.format.crosschecks`` and run from :meth:`ScenarioSchema._cross_check`.
docs/format.md describes the same format in words.
"""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import ValidationError, post_load, validates_schema

from scheduler.format.crosschecks import cross_check_scenario
from scheduler.format.fields import (
    BaseSchema,
    Bool,
    ClockTime,
    FormatTag,
    HolidayCountry,
    Id,
    Int,
    IsoDate,
    ListOf,
    LocalDateTime,
    Num,
    Obj,
    Text,
    TimeZoneName,
    Weekday,
    at_least,
    between,
    id_list,
    nested_list,
    not_empty,
    one_of,
    text_list,
)
from scheduler.format.problems import ErrorTree, Sentence
from scheduler.format.values import parse_date, parse_local_datetime, parse_time
from scheduler.format.vocabulary import (
    DEFAULT_START_TIMES,
    DEFAULT_TIMEZONE,
    DEFAULT_WEIGHTS,
    LOCATIONS,
    SCENARIO_FORMAT,
    SCHEDULE_FORMAT,
    WEEKDAY_ALIASES,
    WEEKDAYS,
)


class HorizonSchema(BaseSchema):
    start = IsoDate(required=True, metadata={"description": "first planning day (inclusive)"})
    end = IsoDate(required=True, metadata={"description": "last planning day (inclusive)"})

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        _check_date_order(data)


def _check_date_order(data: Mapping) -> None:
    start, end = parse_date(data.get("start")), parse_date(data.get("end"))
    if start and end and end < start:
        raise ValidationError(
            {"end": [Sentence("end ({end}){of} is before its start ({start})",
                               end=data["end"], start=data["start"])]}
        )


class ClosedPeriodSchema(BaseSchema):
    start = IsoDate(required=True)
    end = IsoDate(required=True)
    reason = Text(load_default="")

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        _check_date_order(data)


class CalendarSchema(BaseSchema):
    holidays = HolidayCountry(load_default="SE", allow_none=True,
                              metadata={"description": "country code of public holidays, null for none"})
    closed = nested_list(ClosedPeriodSchema, load_default=list)
    weekdays = ListOf(Weekday(), load_default=lambda: list(WEEKDAYS[:5]), validate=not_empty("weekday"))
    start_times = ListOf(ClockTime(), load_default=lambda: list(DEFAULT_START_TIMES),
                         validate=not_empty("start time"))
    daily_rest_hours = Num(load_default=11, validate=between(0, 24))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _check_repeats(self, data: dict, original: object, **kwargs: object) -> None:
        if not isinstance(original, Mapping):
            return
        errors = ErrorTree()
        for key, canon in (("weekdays", lambda v: WEEKDAY_ALIASES.get(v.strip().lower())),
                           ("start_times", lambda v: v if parse_time(v) else None)):
            seen: set[str] = set()
            values = original.get(key)
            if not isinstance(values, list):
                continue
            for i, value in enumerate(values):
                norm = canon(value) if isinstance(value, str) else None
                if norm is None:
                    continue
                if norm in seen:
                    errors.add((key, i), Sentence("{owner} repeats {value}, which is listed earlier", value=norm))
                seen.add(norm)
        errors.raise_if_any()


class ShiftTypeSchema(BaseSchema):
    id = Id(required=True)
    start = ClockTime(required=True)
    end = ClockTime(required=True, metadata={"description": "an end not after start means the next day"})


class ShiftPatternSchema(BaseSchema):
    id = Id(required=True)
    anchor = IsoDate(required=True, metadata={"description": "the date of cycle day 0"})
    cycle = ListOf(Id(), required=True, validate=not_empty('shift type id or "-"'),
                   metadata={"description": 'shift type ids, or "-" for a day off'})


class SiteSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()


class TravelPairSchema(BaseSchema):
    from_ = Id(required=True, data_key="from", attribute="from")
    to = Id(required=True)
    minutes = Int(required=True, validate=at_least(0))


class TravelSchema(BaseSchema):
    default_minutes = Int(load_default=30, validate=at_least(0))
    pairs = nested_list(TravelPairSchema, load_default=list)


class PeriodSchema(BaseSchema):
    """An ``unavailable`` period: local date-times or bare dates (whole days)."""

    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)

    @validates_schema(skip_on_field_errors=False)
    def _check_order(self, data, **kwargs):
        start = parse_local_datetime(data.get("start"))
        end = parse_local_datetime(data.get("end"), end=True)
        if start and end and end < start:
            raise ValidationError({"end": [
                Sentence("end ({end}){of} is before its start ({start})", end=data["end"], start=data["start"])
            ]})


class BlockedPeriodSchema(PeriodSchema):
    """A team's ``blocked`` period (an optional field modulplan adds): a period as for
    ``unavailable``, with the manager's reason ("inventering"). During it the team releases
    nobody for training (hard rule 7)."""

    reason = Text(load_default="")


class PeriodEntry(Obj):
    """An ``unavailable`` entry: a :class:`PeriodSchema` object, or a bare date string
    ``"YYYY-MM-DD"`` for that whole day, normalized to ``{"start": d, "end": d}``
    (a ``blocked`` entry: :class:`BlockedPeriodSchema`, a bare date with ``"reason": ""``)."""

    default_error_messages = {
        "period": "must be a period with start and end, or a date written YYYY-MM-DD for the whole day",
    }

    def __init__(self, schema: type[PeriodSchema] = PeriodSchema, **kwargs):
        kwargs.setdefault("metadata", {"description": 'a {start, end} period, or a bare date "YYYY-MM-DD"'})
        super().__init__(schema, **kwargs)

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        if isinstance(value, str):
            if parse_date(value) is None:
                raise self.make_error("period")
            whole_day = {"start": value, "end": value}
            return {**whole_day, "reason": ""} if self.nested is BlockedPeriodSchema else whole_day
        if not isinstance(value, Mapping):
            raise self.make_error("period")
        return super()._deserialize(value, attr, data, partial=partial, **kwargs)


def _unavailable_list() -> ListOf:
    return ListOf(PeriodEntry(), load_default=list)


def _blocked_list() -> ListOf:
    return ListOf(PeriodEntry(BlockedPeriodSchema), metadata={
        "description": "optional: periods when the team releases nobody for training, "
                       '{start, end, reason} or a bare date "YYYY-MM-DD"'})


class TeamSchema(BaseSchema):
    id = Id(required=True)
    pattern = Id(required=True)
    offset_days = Int(load_default=0)
    headcount = Int(required=True, validate=at_least(1))
    min_staffing = Int(required=True, validate=at_least(0))
    # Added by modulplan, optional: missing stays missing (documents without it load unchanged).
    blocked = _blocked_list()

    @validates_schema(skip_on_field_errors=False)
    def _check_staffing(self, data, **kwargs):
        staffing, headcount = data.get("min_staffing"), data.get("headcount")
        if staffing is not None and headcount is not None and staffing > headcount:
            raise ValidationError({"min_staffing": [
                Sentence("min_staffing ({ms}) is larger than headcount ({hc}){of}", ms=staffing, hc=headcount)
            ]})


class WorkplaceSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    site = Id(required=True)
    teams = nested_list(TeamSchema, required=True)


class WeeklyWindowSchema(BaseSchema):
    """An ``available`` window; an end not after its start runs into the next day."""

    weekday = Weekday(required=True)
    start = ClockTime(required=True)
    end = ClockTime(required=True)


class RoomSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    site = Id(required=True)
    capacity = Int(required=True, validate=at_least(1))
    features = text_list()
    unavailable = _unavailable_list()


class TrainerSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    qualifications = text_list()
    languages = text_list()
    home_site = Id(load_default=None, allow_none=True)
    max_minutes_per_week = Int(load_default=None, allow_none=True, validate=at_least(0))
    max_sessions_per_day = Int(load_default=None, allow_none=True, validate=at_least(0))
    available = nested_list(WeeklyWindowSchema, load_default=None, allow_none=True,
                             metadata={"description": "weekly windows; missing or null: always, []: never"})
    unavailable = _unavailable_list()
    cost_per_hour = Num(load_default=0, validate=at_least(0))


class InterpreterSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    languages = text_list()
    home_site = Id(load_default=None, allow_none=True)
    available = nested_list(WeeklyWindowSchema, load_default=None, allow_none=True,
                             metadata={"description": "weekly windows; missing or null: always, []: never"})
    unavailable = _unavailable_list()


class ModuleSchema(BaseSchema):
    _default_to_id = ("name", "qualification")
    id = Id(required=True)
    name = Text()
    sessions = Int(required=True, validate=at_least(1))
    duration_minutes = Int(required=True, validate=at_least(1))
    qualification = Text(metadata={"description": "defaults to the module id"})
    room_features = text_list()
    location = Text(load_default="any", validate=one_of(LOCATIONS))
    min_gap_days = Int(load_default=1, validate=at_least(0))
    max_gap_days = Int(load_default=None, allow_none=True, validate=at_least(0))

    @validates_schema(skip_on_field_errors=False)
    def _check_gaps(self, data, **kwargs):
        lo, hi = data.get("min_gap_days"), data.get("max_gap_days")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError({"min_gap_days": [
                Sentence("min_gap_days ({lo}) is larger than max_gap_days ({hi}){of}", lo=lo, hi=hi)
            ]})


class TrackSchema(BaseSchema):
    _default_to_id = ("name",)
    id = Id(required=True)
    name = Text()
    modules = id_list(required=True, validate=not_empty("module"))
    min_group = Int(required=True, validate=at_least(1))
    max_group = Int(required=True, validate=at_least(1))
    mix_workplaces = Bool(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def _check_group(self, data, **kwargs):
        lo, hi = data.get("min_group"), data.get("max_group")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError({"min_group": [
                Sentence("min_group ({lo}) is larger than max_group ({hi}){of}", lo=lo, hi=hi)
            ]})


class ParticipantSchema(BaseSchema):
    """Named ``{id, team, language}`` or counted ``{team, count, language}``."""

    id = Id(metadata={"description": "a named participant (pseudonymous ids are fine)"})
    team = Id(required=True)
    count = Int(validate=at_least(1), metadata={"description": "counted participants"})
    language = Text(load_default=None, allow_none=True)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _check_kind(self, data, original, **kwargs):
        if not isinstance(original, Mapping):
            return
        has_id, has_count = "id" in original, "count" in original
        if has_id and has_count:
            raise ValidationError(Sentence(
                "{owner} has both an id and a count; give an id for one named participant "
                "or a count for counted participants"))
        if not has_id and not has_count:
            raise ValidationError(Sentence(
                "{owner} needs either an id (a named participant) or a count (counted participants)"))


class ActionPlanSchema(BaseSchema):
    id = Id(required=True)
    workplace = Id(required=True)
    track = Id(required=True)
    participants = nested_list(ParticipantSchema, required=True, validate=not_empty("participant"))
    earliest = IsoDate(metadata={"description": "default: horizon start"})
    deadline = IsoDate(metadata={"description": "default: horizon end"})
    target = IsoDate(metadata={"description": "default: deadline"})
    allow_on_shift = Bool(load_default=True)
    allow_off_shift = Bool(load_default=False)


class WeightsSchema(BaseSchema):
    _misplaced = {"trainer_cost": "trainer cost is each trainer's cost_per_hour, not a weight"}

    unscheduled_session = Num(load_default=DEFAULT_WEIGHTS["unscheduled_session"], validate=at_least(0))
    unassigned_participant = Num(load_default=DEFAULT_WEIGHTS["unassigned_participant"], validate=at_least(0))
    backfill_per_hour = Num(load_default=DEFAULT_WEIGHTS["backfill_per_hour"], validate=at_least(0))
    overtime_per_hour = Num(load_default=DEFAULT_WEIGHTS["overtime_per_hour"], validate=at_least(0))
    travel_per_minute = Num(load_default=DEFAULT_WEIGHTS["travel_per_minute"], validate=at_least(0))
    late_per_day = Num(load_default=DEFAULT_WEIGHTS["late_per_day"], validate=at_least(0))
    trainer_change = Num(load_default=DEFAULT_WEIGHTS["trainer_change"], validate=at_least(0))
    # Optional, only for re-planning against a baseline (scheduler/solve/replan.py; default 500 there).
    move_session = Num(validate=at_least(0), metadata={
        "description": "re-planning: cost of each baseline session that moves in time, trainer or room"})


class PublicationSchema(BaseSchema):
    """What the published calendars may show besides sessions, places and counts (an optional
    field modulplan adds to the format). Names of people are shown only where allowed: in the
    calendars a workplace, room or cohort subscribes to, and in a trainer's calendar for the
    interpreters. The command line's own .ics files (the coordinator's) always name them."""

    trainer_names = Bool(load_default=False, metadata={"description": "name the trainer in the service's feeds"})
    interpreter_names = Bool(load_default=False,
                             metadata={"description": "name the interpreters in the service's feeds"})


class ScenarioSchema(BaseSchema):
    """A ``modulplan/scenario-1`` document; ``load`` returns the normalized scenario."""

    _default_to_id = ("name",)
    format = FormatTag(SCENARIO_FORMAT, other=SCHEDULE_FORMAT, other_name="schedule", required=True)
    id = Id(required=True)
    name = Text()
    timezone = TimeZoneName(load_default=DEFAULT_TIMEZONE)
    horizon = Obj(HorizonSchema, required=True)
    calendar = Obj(CalendarSchema, load_default=lambda: CalendarSchema().load({}))
    shift_types = nested_list(ShiftTypeSchema, required=True)
    shift_patterns = nested_list(ShiftPatternSchema, required=True)
    sites = nested_list(SiteSchema, required=True)
    travel = Obj(TravelSchema, load_default=lambda: TravelSchema().load({}))
    workplaces = nested_list(WorkplaceSchema, required=True)
    rooms = nested_list(RoomSchema, load_default=list)
    trainers = nested_list(TrainerSchema, load_default=list)
    interpreters = nested_list(InterpreterSchema, load_default=list)
    modules = nested_list(ModuleSchema, required=True)
    tracks = nested_list(TrackSchema, required=True)
    action_plans = nested_list(ActionPlanSchema, required=True)
    weights = Obj(WeightsSchema, load_default=lambda: WeightsSchema().load({}))
    publication = Obj(PublicationSchema, load_default=lambda: PublicationSchema().load({}), metadata={
        "description": "optional: whether the service's calendar feeds may name trainers and interpreters"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _cross_check(self, data, original, **kwargs):
        if isinstance(original, Mapping):
            cross_check_scenario(original).raise_if_any()

    @post_load
    def _fill_plan_dates(self, data, **kwargs):
        horizon = data["horizon"]
        for plan in data["action_plans"]:
            plan.setdefault("earliest", horizon["start"])
            plan.setdefault("deadline", horizon["end"])
            plan.setdefault("target", plan["deadline"])
        return data
