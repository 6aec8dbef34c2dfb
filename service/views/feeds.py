from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint

from service.auth import require
from service.problems import problem
from service.store import find_feed, grace_ends, published_head, render_calendar, revoke_feed
from service.store.db import ScenarioRow, ScheduleRow, utcnow
from service.store.feedcache import FeedCache, RenderedFeed
from service.views.common import db, state

blp = Blueprint("feeds", __name__, url_prefix="/api/v1/feeds",
                description="Calendar feeds for subscription (the token in the URL is the credential)")


@blp.route("/<token>.ics", endpoint="feed")
@blp.doc(security=[])
@blp.response(200, content_type="text/calendar", description="an iCalendar feed (ETag, Last-Modified; 304)")
def feed(token: str):
    """The published schedule of a programme as one calendar (drafts never show here). Calendar
    apps poll this URL; the token is unguessable and needs no header. SEQUENCE rises when a
    session changes. Served from a cache per published revision (``service/store/feedcache.py``):
    a matching ``If-None-Match`` is a 304 without rendering."""
    d, st = db(), state()
    row = find_feed(d, token)
    if row is None:
        raise problem(404, "Not Found", "no calendar feed has this address (it may have been revoked)")
    head = published_head(d, row.lineage)
    if head is None:
        raise problem(404, "Not Found", "this programme has no published schedule yet")
    schedule_id, published_at = head
    grace = st.config.get("CANCELLED_GRACE_DAYS")
    cache: FeedCache = st.feeds
    key = (schedule_id, row.kind, row.entity_id, grace)
    now = utcnow()
    hit = cache.get(key, now)
    if hit is None:
        with d.Session() as s:
            sched = s.get(ScheduleRow, schedule_id)
            scen = s.get(ScenarioRow, sched.scenario_id)
        try:
            body = render_calendar(scen.document, sched, row.kind, row.entity_id, grace_days=grace,
                                   lineage=row.lineage)
        except ValueError as exc:
            raise problem(404, "Not Found", str(exc)) from None
        hit = cache.put(key, body, published_at, grace_ends(sched.cancelled, grace, now))
    return feed_response(hit, f"{row.kind}-{row.entity_id}.ics")


def feed_response(feed: RenderedFeed, filename: str) -> Response:
    resp = Response(feed.body, status=200)
    resp.headers["Content-Type"] = "text/calendar; charset=utf-8"
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    resp.set_etag(feed.etag)
    resp.last_modified = feed.last_modified
    resp.cache_control.no_cache = True
    resp.cache_control.private = True
    resp.make_conditional(request)  # 304 when the client's copy is current (changes resp itself)
    return resp


@blp.route("/<token>.ics", methods=["DELETE"], endpoint="revoke")
@blp.response(204)
@blp.alt_response(404, schema="ProblemDetails", description="no feed has this address")
def revoke(token: str):
    """Revoke a feed (coordinators): its URL answers 404 from now on; listing the calendars
    again hands out a new URL. (A manager's feeds are revoked with their API token.)"""
    require("coordinator")
    if revoke_feed(db(), token) is None:
        raise problem(404, "Not Found", "no calendar feed has this address")
    return ""
