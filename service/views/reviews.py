"""Review before publishing (issue 15): a coordinator sends a draft schedule (a proposal) to
the managers of its workplaces; each manager sees their workplace's sessions (who, when,
where) and the staffing load per shift, and answers: accept, or the periods when a team
cannot release anyone, with a comment. The marks become a what-if variant's ``block_team``
changes, which the coordinator re-plans against the proposal (``POST
/scenarios/{variant}/replan`` with ``baseline``), compares and publishes.

* ``POST /schedules/{id}/review`` (coordinator): send the draft for review (409 when it is
  under review already, or published).
* ``GET /schedules/{id}/review``: a coordinator or planner gets every workplace's latest
  answer, who has not answered and the whole history; a manager only their workplace's
  answer and history and their workplace's view of the proposal.
* ``PUT /schedules/{id}/review/answers/{workplace}`` (that workplace's manager, or a
  coordinator): a new answer; every earlier one is kept.
* ``POST /schedules/{id}/review/variant`` (coordinator): the variant of the managers' marks.
* ``POST /schedules/{id}/review/close`` (coordinator), ``GET /reviews`` (the open reviews the
  caller may answer or read: the managers' start page lists them).

A manager never learns anything of another workplace here: a review, an answer or a
workplace that is not theirs is a 404, as is a schedule that is not under review.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import marshmallow as ma
from flask import url_for
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields

from scheduler.format import FieldError, field_problems
from scheduler.format.fields import BaseSchema, Id, ListOf, LocalDateTime, Obj, Text
from scheduler.format.values import parse_date, parse_local_datetime
from service.auth import Principal, require
from service.board.data import board_document
from service.problems import Problem, problem
from service.schemas import Passthrough
from service.store.db import ScenarioRow, ScheduleRow
from service.store.reviews import (
    ANSWERS,
    AlreadyUnderReview,
    ReviewAnswerRow,
    ReviewRow,
    add_answer,
    answer_history,
    close_review,
    current_review,
    latest_answers,
    note_variant,
    open_review,
    open_reviews,
)
from service.views.common import db, json_body
from service.views.schedules import stored_schedule
from service.views.whatif import VariantSchema, store_variant

blp = Blueprint("reviews", __name__, url_prefix="/api/v1",
                description="Review before publishing: managers accept a proposal or mark when a team cannot "
                            "release anyone; their marks become a what-if variant")

MAX_COMMENT = 4000
MAX_REASON = 500
MAX_BLOCKED = 200


# ---------------------------------------------------------------------------- schemas

class BlockedPeriodRequestSchema(BaseSchema):
    team = Id(required=True, metadata={"description": "a team of the workplace"})
    start = LocalDateTime(required=True)
    end = LocalDateTime(required=True)
    reason = Text(load_default="", validate=ma.validate.Length(max=MAX_REASON))


class AnswerRequestSchema(BaseSchema):
    answer = Text(required=True, validate=ma.validate.OneOf(ANSWERS, error="must be accept or changes"))
    blocked = ListOf(Obj(BlockedPeriodRequestSchema), load_default=list,
                     validate=ma.validate.Length(max=MAX_BLOCKED))
    comment = Text(load_default="", validate=ma.validate.Length(max=MAX_COMMENT))


ANSWER_BODY = {"type": "object", "required": ["answer"], "properties": {
    "answer": {"type": "string", "enum": list(ANSWERS)},
    "blocked": {"type": "array", "items": {"type": "object", "required": ["team", "start", "end"], "properties": {
        "team": {"type": "string"}, "start": {"type": "string", "example": "2026-03-16"},
        "end": {"type": "string", "example": "2026-03-20"}, "reason": {"type": "string"}}}},
    "comment": {"type": "string"}}}


class AnswerSchema(Passthrough, ma.Schema):
    workplace = fields.String()
    answer = fields.String(metadata={"description": "accept or changes"})
    blocked = fields.List(fields.Dict(), metadata={"description": "[{team, start, end, reason}]"})
    comment = fields.String()
    answered_at = fields.String()
    answered_by = fields.String(metadata={"description": "the token id of who answered"})


class ReviewSchema(Passthrough, ma.Schema):
    id = fields.String()
    schedule = fields.String()
    scenario = fields.String()
    status = fields.String(metadata={"description": "open or closed"})
    sent_at = fields.String()
    workplaces = fields.List(fields.Dict(), metadata={"description": "every workplace asked, with its latest answer"})
    unanswered = fields.List(fields.String())
    history = fields.List(fields.Nested(AnswerSchema), metadata={"description": "every answer, oldest first"})
    proposal = fields.Dict(metadata={"description": "a manager's view of the proposal: their sessions, names and "
                                                    "staffing per team and shift (the board's document)"})
    links = fields.Dict(keys=fields.String(), values=fields.String())


class ReviewVariantSchema(VariantSchema):
    review = fields.String()
    replan = fields.Dict(metadata={"description": "how to re-plan the variant against the reviewed schedule: "
                                                 "{method, href, body: {baseline}}"})


# ---------------------------------------------------------------------------- loading

def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _review_for(schedule: str, principal: Principal) -> tuple[ScheduleRow, ScenarioRow, ReviewRow]:
    """The schedule's review as the caller may see it: a manager only one that asks their
    workplace (else 404, the same answer as for a schedule that does not exist)."""
    if principal.is_manager:
        try:
            row, scen, _ = stored_schedule(schedule)
        except Problem:
            raise _not_for_you(schedule) from None
        review = current_review(db(), row.id)
        if review is None or principal.workplace not in review.workplaces:
            raise _not_for_you(schedule)
        return row, scen, review
    row, scen, _ = stored_schedule(schedule)
    review = current_review(db(), row.id)
    if review is None:
        raise problem(404, "Not Found", f"schedule {schedule} has not been sent for review")
    return row, scen, review


def _not_for_you(schedule: str):
    return problem(404, "Not Found", f"there is no review of schedule {schedule} for your workplace")


def reviewed_workplaces(scenario: dict) -> list[str]:
    """The workplaces asked to answer: those with action plans, in the scenario's order."""
    planned = {str(p.get("workplace")) for p in scenario.get("action_plans") or [] if isinstance(p, dict)}
    return [str(w["id"]) for w in scenario.get("workplaces") or []
            if isinstance(w, dict) and str(w.get("id")) in planned]


def _teams(scenario: dict, workplace: str) -> list[dict]:
    for w in scenario.get("workplaces") or []:
        if isinstance(w, dict) and str(w.get("id")) == workplace:
            return [t for t in w.get("teams") or [] if isinstance(t, dict)]
    return []


# ---------------------------------------------------------------------------- answers

def answer_dict(a: ReviewAnswerRow) -> dict:
    return {"workplace": a.workplace, "answer": a.answer, "blocked": a.blocked, "comment": a.comment,
            "answered_at": _iso(a.answered_at), "answered_by": a.answered_by}


def answer_problems(data: dict, scenario: dict, workplace: str) -> list[FieldError]:
    """Every problem of an answer, with its JSON path: the shape (answer, blocked periods, comment),
    then what only the scenario can tell: an unknown team of the workplace, an end before its
    start, a period outside the horizon, blocked periods on an accept."""
    try:
        AnswerRequestSchema().load(data)
        errors: list[FieldError] = []
    except ValidationError as err:
        errs, unused = field_problems(err.messages, data, document="request")
        # a field the answer does not have is an error here, not a warning
        errors = errs + [FieldError(u.path, "is not a field of an answer (answer, blocked: [{team, start, end, "
                                            "reason}], comment)") for u in unused]
    teams = [str(t.get("id")) for t in _teams(scenario, workplace)]
    horizon = scenario.get("horizon") or {}
    h_start, h_end = parse_date(horizon.get("start")), parse_date(horizon.get("end"))
    blocked = data.get("blocked")
    periods = blocked if isinstance(blocked, list) else []
    for n, item in enumerate(periods):
        if not isinstance(item, dict):
            continue
        path = f"$.blocked[{n}]"
        team = item.get("team")
        if isinstance(team, str) and team.strip() and team not in teams:
            errors.append(FieldError(f"{path}.team", f"unknown team '{team}' of workplace {workplace} "
                                                     f"(its teams: {', '.join(teams) or 'none'})"))
        start, end = parse_local_datetime(item.get("start")), parse_local_datetime(item.get("end"), end=True)
        if start and end and end <= start:
            errors.append(FieldError(f"{path}.end", f"end ({item['end']}) is not after its start ({item['start']})"))
        if start and h_start and start < datetime.combine(h_start, time(0, 0)):
            errors.append(FieldError(f"{path}.start", f"is before the start of the horizon ({h_start.isoformat()})"))
        if end and h_end and end > datetime.combine(h_end + timedelta(days=1), time(0, 0)):
            errors.append(FieldError(f"{path}.end", f"is after the end of the horizon ({h_end.isoformat()})"))
    if data.get("answer") == "accept" and periods:
        errors.append(FieldError("$.blocked", "must be empty when the answer is accept (answer changes to mark "
                                              "periods)"))
    if data.get("answer") == "changes" and isinstance(blocked, (list, type(None))) and not periods and not (
            isinstance(data.get("comment"), str) and data["comment"].strip()):
        errors.append(FieldError("$.blocked", "name at least one period when a team cannot release anyone, "
                                              "or write a comment"))
    return list(dict.fromkeys(errors))


# ---------------------------------------------------------------------------- documents

def _links(schedule_id: str, review: ReviewRow) -> dict:
    links = {"self": url_for("reviews.review", schedule=schedule_id),
             "schedule": url_for("schedules.schedule", schedule=schedule_id),
             "board": url_for("board.review", schedule=schedule_id)}
    if review.variant_id:
        links["variant"] = url_for("whatif.variant", scenario=review.variant_id)
    return links


def review_dict(review: ReviewRow, scen: ScenarioRow) -> dict:
    """The whole review, for coordinators and planners."""
    names = {str(w.get("id")): str(w.get("name") or w.get("id")) for w in scen.document.get("workplaces") or []
             if isinstance(w, dict)}
    latest = latest_answers(db(), review.id)
    return {"id": review.id, "schedule": review.schedule_id, "scenario": scen.id, "programme": review.programme,
            "status": review.status, "sent_at": _iso(review.sent_at), "sent_by": review.sent_by,
            "closed_at": _iso(review.closed_at), "variant": review.variant_id,
            "workplaces": [{"workplace": w, "name": names.get(w, w),
                            "answer": answer_dict(latest[w]) if w in latest else None} for w in review.workplaces],
            "unanswered": [w for w in review.workplaces if w not in latest],
            "history": [answer_dict(a) for a in answer_history(db(), review.id)],
            "links": _links(review.schedule_id, review)}


def manager_review_dict(review: ReviewRow, row: ScheduleRow, scen: ScenarioRow, workplace: str) -> dict:
    """A manager's review: their workplace's answer and history, their teams, and their
    workplace's view of the proposal (sessions with who/when/where, staffing per team and shift)."""
    history = answer_history(db(), review.id, workplace)
    meta = {"id": row.id, "scenario": scen.id, "scenario_id": scen.document.get("id"), "created_at": row.created_at,
            "status": row.status, "published": not row.is_draft, "revision": row.revision}
    proposal = board_document(scen.document, row.document, meta, workplace=workplace)
    teams = [{"id": str(t.get("id")), "headcount": t.get("headcount"), "min_staffing": t.get("min_staffing"),
              "slack": (t["headcount"] - t["min_staffing"]) if isinstance(t.get("headcount"), int)
              and isinstance(t.get("min_staffing"), int) else None}
             for t in _teams(scen.document, workplace)]
    return {"id": review.id, "schedule": row.id, "scenario": scen.id, "status": review.status,
            "sent_at": _iso(review.sent_at), "workplace": workplace, "teams": teams,
            "answer": answer_dict(history[-1]) if history else None, "history": [answer_dict(a) for a in history],
            "proposal": proposal, "links": {"self": url_for("reviews.review", schedule=row.id),
                                            "answer": url_for("reviews.answer", schedule=row.id, workplace=workplace),
                                            "board": url_for("board.review", schedule=row.id)}}


# ---------------------------------------------------------------------------- endpoints

@blp.route("/schedules/<schedule>/review", methods=["POST"], endpoint="send")
@blp.response(201, ReviewSchema)
@blp.alt_response(409, schema="ProblemDetails", description="already under review, or published")
def send(schedule: str):
    """Send a draft schedule for review by the managers of its workplaces (coordinators only)."""
    principal = require("coordinator")
    row, scen, programme = stored_schedule(schedule)
    if not row.is_draft:
        raise problem(409, "Conflict", f"schedule {schedule} is published already: send a draft for review")
    if row.status in ("infeasible", "unknown"):
        raise problem(409, "Conflict", f"a schedule with status {row.status} has nothing to review")
    try:
        review = open_review(db(), schedule_id=row.id, programme=programme,
                             workplaces=reviewed_workplaces(scen.document), sent_by=principal.token_id)
    except AlreadyUnderReview:
        raise problem(409, "Conflict", f"schedule {schedule} is under review already") from None
    return review_dict(review, scen), 201, {"Location": url_for("reviews.review", schedule=row.id)}


@blp.route("/schedules/<schedule>/review", methods=["GET"], endpoint="review")
@blp.response(200, ReviewSchema)
def get_review(schedule: str):
    """The schedule's review (the open one, else the latest closed one). A coordinator or
    planner gets every workplace's latest answer, the workplaces that have not answered and
    every answer ever given; a manager gets their own workplace's answer and history and
    their workplace's view of the proposal (sessions, staffing load per team and shift)."""
    principal = require()
    row, scen, review = _review_for(schedule, principal)
    if principal.is_manager:
        return manager_review_dict(review, row, scen, principal.managed_workplace)
    return review_dict(review, scen)


@blp.route("/schedules/<schedule>/review/answers/<workplace>", methods=["PUT"], endpoint="answer")
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": ANSWER_BODY}}})
@blp.response(200, AnswerSchema)
@blp.alt_response(422, schema="ProblemDetails", description="every problem of the answer, with its JSON path")
@blp.alt_response(409, schema="ProblemDetails", description="the review is closed")
def put_answer(schedule: str, workplace: str):
    """Answer a review for a workplace (its manager, or a coordinator): ``accept``, or ``changes``
    with the periods when a team cannot release anyone (``blocked: [{team, start, end, reason}]``,
    dates or local date-times as a trainer's ``unavailable``) and a comment. Each answer is
    kept; the latest counts."""
    principal = require("coordinator", "manager")
    if principal.is_manager and workplace != principal.workplace:
        raise _not_for_you(schedule)
    row, scen, review = _review_for(schedule, principal)
    if workplace not in review.workplaces:
        raise problem(404, "Not Found", f"workplace {workplace} is not asked in the review of schedule {schedule}")
    if review.status != "open":
        raise problem(409, "Conflict", f"the review of schedule {schedule} is closed")
    data = json_body("an answer {answer, blocked, comment} (a JSON object)")
    errors = answer_problems(data, scen.document, workplace)
    if errors:
        raise problem(422, "Invalid answer", f"{len(errors)} problem(s) in the answer",
                      errors=[{"path": e.path, "message": e.message} for e in errors])
    blocked = [{"team": b["team"], "start": b["start"], "end": b["end"], "reason": str(b.get("reason") or "")}
               for b in data.get("blocked") or []]
    stored = add_answer(db(), review.id, workplace=workplace, answer=data["answer"], blocked=blocked,
                        comment=str(data.get("comment") or ""), answered_by=principal.token_id)
    if stored is None:
        raise problem(409, "Conflict", f"the review of schedule {schedule} is closed")
    return answer_dict(stored)


@blp.route("/schedules/<schedule>/review/variant", methods=["POST"], endpoint="variant")
@blp.response(201, ReviewVariantSchema)
@blp.alt_response(409, schema="ProblemDetails", description="no answer marks a blocked period")
@blp.alt_response(422, schema="ProblemDetails", description="the marks do not fit the scenario any more")
def make_review_variant(schedule: str):
    """A what-if variant of the schedule's scenario whose changes are the managers' blocked
    periods (one ``block_team`` change each, from every workplace's latest answer), made like
    ``POST /scenarios/{id}/variants``; re-plan it against this schedule with
    ``POST /scenarios/{variant}/replan`` and ``{"baseline": "<this schedule>"}``."""
    principal = require("coordinator")
    row, scen, review = _review_for(schedule, principal)
    latest = latest_answers(db(), review.id)
    changes: list[dict[str, Any]] = [
        {"type": "block_team", "workplace": w, "team": b["team"], "start": b["start"], "end": b["end"],
         "reason": b.get("reason") or ""}
        for w in review.workplaces if w in latest and latest[w].answer == "changes"
        for b in latest[w].blocked]
    if not changes:
        raise problem(409, "Conflict", f"no answer to the review of schedule {schedule} marks a blocked period")
    name = f"{scen.name} – granskning {review.sent_at.date().isoformat()}"
    body = store_variant(scen, {"name": name, "changes": changes}, created_by=principal.token_id)
    note_variant(db(), review.id, body["id"])
    replan = url_for("whatif.replan", scenario=body["id"])
    body.update(review=review.id, replan={"method": "POST", "href": replan, "body": {"baseline": row.id}})
    body["links"] = {**body["links"], "replan": replan, "review": url_for("reviews.review", schedule=row.id)}
    return body, 201, {"Location": url_for("whatif.variant", scenario=body["id"])}


@blp.route("/schedules/<schedule>/review/close", methods=["POST"], endpoint="close")
@blp.response(200, ReviewSchema)
@blp.alt_response(409, schema="ProblemDetails", description="the review is closed already")
def close(schedule: str):
    """Close the schedule's open review (coordinators): answers are kept, no new ones are taken,
    and the schedule may be sent for review again."""
    principal = require("coordinator")
    _, scen, review = _review_for(schedule, principal)
    closed = close_review(db(), review.id, closed_by=principal.token_id) if review.status == "open" else None
    if closed is None:
        raise problem(409, "Conflict", f"the review of schedule {schedule} is closed already")
    return review_dict(closed, scen)


@blp.route("/reviews", methods=["GET"], endpoint="reviews")
@blp.response(200)
def list_reviews() -> list[dict]:
    """The open reviews the caller may see, newest first: a manager those that ask their
    workplace (with whether they have answered), coordinators and planners all of them (with
    how many workplaces have answered)."""
    principal = require()
    out = []
    for review in open_reviews(db()):
        if principal.is_manager and principal.workplace not in review.workplaces:
            continue
        with db().Session() as s:
            row = s.get(ScheduleRow, review.schedule_id)
            scen = s.get(ScenarioRow, row.scenario_id) if row else None
        if scen is None:
            continue
        latest = latest_answers(db(), review.id)
        item: dict[str, Any] = {"id": review.id, "schedule": review.schedule_id, "scenario": scen.id,
                                "scenario_name": scen.name, "sent_at": _iso(review.sent_at),
                                "links": {"review": url_for("reviews.review", schedule=review.schedule_id),
                                          "board": url_for("board.review", schedule=review.schedule_id)}}
        if principal.is_manager:
            mine = latest.get(principal.managed_workplace)
            item.update(workplace=principal.workplace, answer=mine.answer if mine else None)
        else:
            item.update(workplaces=len(review.workplaces), answered=len([w for w in review.workplaces if w in latest]))
        out.append(item)
    return out
