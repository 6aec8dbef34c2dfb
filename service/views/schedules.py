from __future__ import annotations

import hashlib

from flask import Response, request, url_for
from flask_smorest import Blueprint

from service.auth import Principal, require
from service.problems import problem
from service.schemas import CalendarQuerySchema, FeedListSchema, ScheduleDocument
from service.store import (
    calendar_entities,
    feed_token,
    manager_schedule_view,
    publish_lineage,
    render_calendar,
    secret_key,
)
from service.store.db import ScenarioRow, ScheduleRow
from service.views.common import db, public_url, state

blp = Blueprint("schedules", __name__, url_prefix="/api/v1/schedules",
                description="Schedules (modulplan/schedule-1) and their calendars")


def load(schedule: str, principal: Principal) -> tuple[ScheduleRow, ScenarioRow]:
    """A stored schedule and its scenario, as far as the caller may see them (else 404 / 403)."""
    row, scen, _ = load_with_programme(schedule, principal)
    return row, scen


def stored_schedule(schedule: str) -> tuple[ScheduleRow, ScenarioRow, str]:
    """A stored schedule, its scenario and its programme (lineage), whoever asks (404 when unknown)."""
    with db().Session() as s:
        row = s.get(ScheduleRow, schedule) if len(schedule) <= 64 else None
        scen = s.get(ScenarioRow, row.scenario_id) if row else None
        programme = publish_lineage(s, scen) if scen is not None else ""
    if row is None or scen is None:
        raise problem(404, "Not Found", f"there is no schedule {schedule}")
    return row, scen, programme


def load_with_programme(schedule: str, principal: Principal) -> tuple[ScheduleRow, ScenarioRow, str]:
    """``load`` and the programme (lineage) where the schedule's calendars are published."""
    row, scen, programme = stored_schedule(schedule)
    if principal.is_manager and principal.workplace not in (scen.workplaces or []):
        raise problem(403, "Forbidden", "this schedule has no plans of your workplace")
    if principal.is_manager and row.is_draft:
        raise problem(403, "Forbidden", "this schedule is a draft: managers see a schedule once it is published")
    return row, scen, programme


def calendar_response(body: bytes, sched: ScheduleRow, filename: str) -> Response:
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    resp.set_etag(hashlib.sha256(body).hexdigest()[:32])
    resp.last_modified = sched.created_at
    resp.cache_control.no_cache = True
    resp.cache_control.private = True
    resp.make_conditional(request)  # 304 when the client's copy is current (changes resp itself)
    return resp


@blp.route("/<schedule>", endpoint="schedule")
@blp.response(200, ScheduleDocument)
def get(schedule: str):
    """The schedule-1 document (a manager sees only their workplace's cohorts, participants and sessions)."""
    principal = require()
    row, scen = load(schedule, principal)
    if principal.is_manager:
        return manager_schedule_view(scen.document, row.document, principal.managed_workplace)
    return row.document


@blp.route("/<schedule>/calendar.ics", endpoint="calendar")
@blp.arguments(CalendarQuerySchema, location="query")
@blp.response(200, content_type="text/calendar", description="an iCalendar file (ETag, Last-Modified; 304)")
def calendar(query: dict, schedule: str):
    """One calendar of this schedule: ?workplace=ID, ?trainer=ID, ?room=ID, ?cohort=ID or ?interpreter=ID."""
    principal = require()
    row, scen, programme = load_with_programme(schedule, principal)
    (kind, entity_id), = query.items()
    if principal.is_manager and not (kind == "workplace" and entity_id == principal.workplace):
        raise problem(403, "Forbidden", "a manager may read only their own workplace's calendar")
    if entity_id not in calendar_entities(scen.document, row.document)[kind]:
        raise problem(404, "Not Found", f"schedule {schedule} has no {kind} {entity_id}")
    body = render_calendar(scen.document, row, kind, entity_id, grace_days=state().config.get("CANCELLED_GRACE_DAYS"),
                           lineage=programme)
    return calendar_response(body, row, f"{kind}-{entity_id}.ics")


@blp.route("/<schedule>/calendars", endpoint="calendars")
@blp.response(200, FeedListSchema)
def calendars(schedule: str):
    """Subscribable feed URLs of this schedule's programme, as far as the caller's role may see them.
    A feed always shows the programme's published schedule (not this one, if it is a draft);
    its URL carries its own secret token. A manager's feed is their own: it stops working when
    their API token is revoked. Coordinators revoke a feed with ``DELETE /feeds/{token}``."""
    principal = require()
    row, scen, programme = load_with_programme(schedule, principal)
    st = state()
    secret = secret_key(st.db, st.config.get("SECRET_KEY"))
    entities = calendar_entities(scen.document, row.document)
    if principal.is_manager:
        entities = {"workplace": [principal.managed_workplace]}
    names = {k: {x["id"]: x.get("name") or x["id"] for x in scen.document.get(k + "s") or [] if isinstance(x, dict)}
             for k in ("workplace", "trainer", "room", "interpreter")}
    base = public_url()
    feeds = []
    for kind, ids in entities.items():
        for entity_id in ids:
            token = feed_token(st.db, secret, programme, kind, entity_id,
                               owner_token_id=principal.token_id if principal.is_manager else None)
            feeds.append({"kind": kind, "entity_id": entity_id, "name": names.get(kind, {}).get(entity_id, entity_id),
                          "url": base + url_for("feeds.feed", token=token)})
    return {"schedule": row.id, "scenario_id": str(row.document.get("scenario")), "programme": programme,
            "draft": row.is_draft, "feeds": feeds}
