from __future__ import annotations

from flask_smorest import Blueprint

from ..db import ScenarioRow
from ..problems import problem
from ..store import find_feed, latest_schedule, render_calendar
from .common import db, state
from .schedules import calendar_response

blp = Blueprint("feeds", __name__, url_prefix="/api/v1/feeds",
                description="Calendar feeds for subscription (the token in the URL is the credential)")


@blp.route("/<token>.ics", endpoint="feed")
@blp.doc(security=[])
@blp.response(200, content_type="text/calendar", description="an iCalendar feed (ETag, Last-Modified; 304)")
def feed(token: str):
    """The published schedule of a programme as one calendar (drafts never show here). Calendar apps poll this URL; the
    token is unguessable and needs no header. SEQUENCE rises when a session changes."""
    d = db()
    row = find_feed(d, token)
    if row is None:
        raise problem(404, "Not Found", "no calendar feed has this address (it may have been revoked)")
    sched = latest_schedule(d, row.lineage)
    if sched is None:
        raise problem(404, "Not Found", "this programme has no published schedule yet")
    with d.Session() as s:
        scen = s.get(ScenarioRow, sched.scenario_id)
    try:
        body = render_calendar(scen.document, sched, row.kind, row.entity_id,
                               grace_days=state().config.get("CANCELLED_GRACE_DAYS"), lineage=row.lineage)
    except ValueError as exc:
        raise problem(404, "Not Found", str(exc)) from None
    return calendar_response(body, sched, f"{row.kind}-{row.entity_id}.ics")
