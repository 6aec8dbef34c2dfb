"""What the service keeps: scenarios, schedules with their calendar revisions, feeds.

Drafts and publishing: a solve stores a *draft*; the feeds change only when a coordinator
publishes a schedule into its programme's *lineage* (``ScenarioRow.lineage``). A lineage
belongs to a programme (created by its first upload), never to a document id that anyone
could post again.

Calendar identity: a session's UID comes from (lineage, cohort, module, index)
(``scheduler.io.ics.session_uid`` with the lineage as its scope), so it is the same
across re-solves of the programme. Each lineage keeps the last published state of every
session; publishing raises a session's SEQUENCE when its start, end, room, trainer or
interpreters change, and sessions that disappeared are published as cancelled with a
raised SEQUENCE.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scheduler.io.ics import build_calendar, calendar_bytes, session_key
from service.store.db import (
    ApiTokenRow,
    Database,
    FeedRow,
    LineageRow,
    ScheduleRow,
    SessionRevisionRow,
    SettingRow,
    VariantRow,
    utcnow,
)

FEED_KINDS = ("workplace", "trainer", "room", "cohort", "interpreter")


# ---------------------------------------------------------------------------- secret

def secret_key(db: Database, configured: str | None) -> bytes:
    if configured:
        return configured.encode("utf-8")
    with db.write_lock, db.Session.begin() as s:
        row = s.get(SettingRow, "feed_secret")
        if row is None:
            row = SettingRow(key="feed_secret", value=secrets.token_hex(32))
            s.add(row)
        return row.value.encode("utf-8")


# ---------------------------------------------------------------------------- programmes

def new_programme(scenario_row_id: str) -> str:
    """The lineage of a programme whose first scenario is ``scenario_row_id``."""
    return f"programme:{scenario_row_id}"


def publish_lineage(s, scenario_row) -> str:
    """Where a scenario's schedules are published: its programme's lineage, or for a what-if
    variant the lineage its chain of variants started from."""
    v = s.get(VariantRow, scenario_row.id)
    return v.root_lineage if v else scenario_row.lineage


# ---------------------------------------------------------------------------- schedules

def _fingerprint(session: dict) -> str:
    return json.dumps([session.get("start"), session.get("end"), session.get("room"), session.get("trainer"),
                       sorted(session.get("interpreters") or [])])


def _participant_workplaces(scenario: dict) -> dict[str, set[str]]:
    """participant id -> workplace ids (from the action plans; counted ids expanded)."""
    out: dict[str, set[str]] = {}
    for plan in scenario.get("action_plans") or []:
        for p in plan.get("participants") or []:
            ids = ([p["id"]] if "id" in p
                   else [f"{plan['id']}-{p['team']}-{n}" for n in range(1, int(p.get("count", 0)) + 1)])
            for pid in ids:
                out.setdefault(str(pid), set()).add(str(plan.get("workplace")))
    return out


def _revisions(known: dict, schedule: dict, now: datetime) -> tuple[dict, list, dict]:
    """What publishing ``schedule`` does to a lineage whose sessions' last published states are
    ``known`` (key -> SessionRevisionRow): the SEQUENCE of every session (raised when its
    start, end, room, trainer or interpreters changed, or it comes back), the sessions that
    disappear (cancelled, SEQUENCE raised) and the rows' new values (key -> sequence,
    fingerprint, session, active). Pure: drafts preview it, publishing applies it."""
    cohorts = {c["id"]: c for c in schedule.get("cohorts") or []}
    sequences: dict[str, int] = {}
    updates: dict[str, tuple] = {}
    live: set[str] = set()
    for sess in schedule.get("sessions") or []:
        key = session_key(sess)
        live.add(key)
        cohort = cohorts.get(sess["cohort"], {})
        stored = dict(sess, track=cohort.get("track"), workplaces=cohort.get("workplaces") or [],
                      participants=cohort.get("participants") or [])
        fp = _fingerprint(sess)
        row = known.get(key)
        if row is None:
            seq = 0
        elif row.fingerprint != fp or not row.active:
            seq = row.sequence + 1
        else:
            seq = row.sequence
        updates[key] = (seq, fp, stored, True)
        sequences[key] = seq
    cancelled = []
    for key, row in known.items():
        if key in live:
            continue
        if row.active:
            # when it was cancelled: feeds show it as CANCELLED for a grace period (issue 5)
            gone = dict(row.session, cancelled_at=now.isoformat())
            updates[key] = (row.sequence + 1, row.fingerprint, gone, False)
        else:
            gone = dict(row.session)
        cancelled.append(gone)
        sequences[key] = updates[key][0] if key in updates else row.sequence
    return sequences, cancelled, updates


def _known(s, lineage: str) -> dict:
    return {r.key: r for r in s.scalars(select(SessionRevisionRow).where(SessionRevisionRow.lineage == lineage))}


def store_draft(db: Database, *, scenario_row, schedule: dict, job_id: str | None) -> ScheduleRow:
    """Store a solve's schedule as a draft of its programme: nothing a subscriber sees changes.
    Its SEQUENCEs preview what publishing it would give (its own calendar downloads use them)."""
    with db.Session.begin() as s:
        sequences, _cancelled, _ = _revisions(_known(s, publish_lineage(s, scenario_row)), schedule, utcnow())
        sched = ScheduleRow(scenario_id=scenario_row.id, lineage=scenario_row.lineage, job_id=job_id,
                            status=schedule["status"], objective=schedule.get("objective"), document=schedule,
                            sequences=sequences, cancelled=[], revision=None)
        s.add(sched)
    return sched


def publish_schedule(db: Database, schedule_id: str, *, lineage: str, scenario_id: str,
                     published_by: str | None) -> ScheduleRow:
    """Make a stored schedule what every feed of ``lineage`` shows, in one transaction: number
    it (the lineage's next revision), raise the SEQUENCE of every session that changed and
    publish the sessions that disappeared as cancelled. A draft of the lineage becomes the
    published revision itself; a schedule from elsewhere (a what-if variant, or an earlier
    revision published again) is copied into the lineage under ``scenario_id``."""
    _ensure_lineage(db, lineage)
    with db.write_lock, db.Session.begin() as s:
        lin = s.scalar(select(LineageRow).where(LineageRow.lineage == lineage).with_for_update())
        source = s.get(ScheduleRow, schedule_id)
        if lin is None or source is None:  # _ensure_lineage made the one; the caller loaded the other
            raise LookupError(f"cannot publish schedule {schedule_id} into {lineage}: one of them is not stored")
        now = utcnow()
        known = _known(s, lineage)
        sequences, cancelled, updates = _revisions(known, source.document, now)
        for key, (seq, fp, stored, active) in updates.items():
            row = known.get(key)
            if row is None:
                s.add(SessionRevisionRow(lineage=lineage, key=key, sequence=seq, fingerprint=fp, session=stored,
                                         active=active))
            else:
                row.sequence, row.fingerprint, row.session, row.active = seq, fp, stored, active
        lin.revision += 1
        if source.lineage == lineage and source.published_at is None:
            target = source
        else:
            target = ScheduleRow(scenario_id=scenario_id, lineage=lineage, job_id=source.job_id,
                                 status=source.status, objective=source.objective, document=source.document)
            s.add(target)
        target.sequences, target.cancelled, target.revision = sequences, cancelled, lin.revision
        target.published_at, target.published_by = now, published_by
        s.flush()
        lin.latest_schedule_id = target.id
    return target


def _ensure_lineage(db: Database, lineage: str) -> None:
    """The lineage's row exists (its lock serialises publishing). Created in a transaction of its
    own: two processes publishing a programme's first schedule at once must not both insert it."""
    with db.Session() as s:
        if s.get(LineageRow, lineage) is not None:
            return
    try:
        with db.Session.begin() as s:
            s.add(LineageRow(lineage=lineage, revision=0))
    except IntegrityError:
        pass  # the other one was first


def store_schedule(db: Database, *, scenario_row, schedule: dict, job_id: str | None,
                   published_by: str | None = None) -> ScheduleRow:
    """Store a schedule and publish it at once (the command line's `board load --publish`, tests)."""
    draft = store_draft(db, scenario_row=scenario_row, schedule=schedule, job_id=job_id)
    return publish_schedule(db, draft.id, lineage=scenario_row.lineage, scenario_id=scenario_row.id,
                            published_by=published_by)


def published_head(db: Database, lineage: str) -> tuple[str, datetime] | None:
    """(id, publication time) of the lineage's published schedule, without its documents (a
    feed request answered from the cache reads no more than this)."""
    with db.Session() as s:
        got = s.execute(select(ScheduleRow.id, ScheduleRow.published_at, ScheduleRow.created_at)
                        .join(LineageRow, LineageRow.latest_schedule_id == ScheduleRow.id)
                        .where(LineageRow.lineage == lineage)).first()
    return None if got is None else (got[0], got[1] or got[2])


# ---------------------------------------------------------------------------- manager views

MANAGER_HIDDEN = ("objective", "bound", "kpis", "solve_seconds", "solver", "replan")


def manager_schedule_view(scenario: dict, schedule: dict, workplace: str) -> dict:
    """The schedule as a manager of ``workplace`` may see it: only cohorts with participants of
    that workplace, their participant lists cut to that workplace, only those cohorts' sessions,
    unscheduled sessions and unassigned participants of that workplace, and as figures only
    their session counts (no objective, bound, costs or other workplaces' totals)."""
    wp_of = _participant_workplaces(scenario)
    plans = {p["id"]: str(p.get("workplace")) for p in scenario.get("action_plans") or []}
    cohorts = []
    for c in schedule.get("cohorts") or []:
        if workplace not in [str(w) for w in c.get("workplaces") or []]:
            continue
        mine = [p for p in c.get("participants") or [] if workplace in wp_of.get(str(p), set())]
        cohorts.append(dict(c, participants=mine, workplaces=[workplace]))
    keep = {c["id"] for c in cohorts}
    # The programme's figures (objective, bound, costs, trainer hours, totals) are the
    # coordinators' business: a manager sees their workplace's sessions and counts only.
    view = {k: v for k, v in schedule.items() if k not in MANAGER_HIDDEN}
    view["cohorts"] = cohorts
    view["sessions"] = [x for x in schedule.get("sessions") or [] if x["cohort"] in keep]
    view["unscheduled"] = [x for x in schedule.get("unscheduled") or [] if x["cohort"] in keep]
    view["unassigned_participants"] = [x for x in schedule.get("unassigned_participants") or []
                                       if plans.get(x.get("action_plan")) == workplace]
    view["kpis"] = {"sessions_total": len(view["sessions"]) + len(view["unscheduled"]),
                    "sessions_scheduled": len(view["sessions"])}
    return view


def scenario_workplaces(scenario: dict) -> list[str]:
    return [str(w["id"]) for w in scenario.get("workplaces") or [] if isinstance(w, dict) and "id" in w]


# ---------------------------------------------------------------------------- feeds

def _feed_token(secret: bytes, feed: FeedRow) -> str:
    msg = "\0".join(["feed", feed.lineage, feed.kind, feed.entity_id, feed.salt]).encode("utf-8")
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()[:40]


def feed_token(db: Database, secret: bytes, lineage: str, kind: str, entity_id: str,
               owner_token_id: str | None = None) -> str:
    """The URL token of the (lineage, kind, entity) feed, created on first use; a manager's
    (``owner_token_id``) feed is their own and is revoked with their token."""
    with db.write_lock, db.Session.begin() as s:
        rows = s.scalars(select(FeedRow).where(FeedRow.lineage == lineage, FeedRow.kind == kind,
                                               FeedRow.entity_id == entity_id, FeedRow.revoked_at.is_(None),
                                               FeedRow.owner_token_id.is_(None) if owner_token_id is None
                                               else FeedRow.owner_token_id == owner_token_id))
        for row in rows:
            if row.token:
                return row.token
            legacy = _feed_token(secret, row)  # made before tokens were kept: derived from the key
            if hashlib.sha256(legacy.encode()).hexdigest() == row.token_hash:
                row.token = legacy
                return legacy
            # the key was rotated since: the old URL keeps working, a new one is made below
        token = secrets.token_urlsafe(30)
        s.add(FeedRow(lineage=lineage, kind=kind, entity_id=entity_id, salt=secrets.token_hex(8), token=token,
                      token_hash=hashlib.sha256(token.encode()).hexdigest(), owner_token_id=owner_token_id))
        return token


def find_feed(db: Database, token: str) -> FeedRow | None:
    """The live feed with this URL token: not revoked, and when it was handed to a manager,
    that manager's access not revoked either."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    with db.Session() as s:
        row = s.scalar(select(FeedRow).where(FeedRow.token_hash == digest))
        if row is None or row.revoked_at is not None:
            return None
        if row.owner_token_id is not None:
            owner = s.get(ApiTokenRow, row.owner_token_id)
            if owner is None or owner.revoked_at is not None:
                return None
    return row


def revoke_feed(db: Database, token: str) -> FeedRow | None:
    """Revoke the feed with this URL token (its URL answers 404 from now on); None if unknown."""
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest() if token and len(token) <= 200 else ""
    with db.write_lock, db.Session.begin() as s:
        row = s.scalar(select(FeedRow).where(FeedRow.token_hash == digest))
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
        return row


def calendar_entities(scenario: dict, schedule: dict) -> dict[str, list[str]]:
    """Every entity that can have a calendar, by kind."""
    return {
        "workplace": scenario_workplaces(scenario),
        "trainer": [t["id"] for t in scenario.get("trainers") or []],
        "room": [r["id"] for r in scenario.get("rooms") or []],
        "interpreter": [i["id"] for i in scenario.get("interpreters") or []],
        "cohort": [c["id"] for c in schedule.get("cohorts") or []],
    }


def within_grace(cancelled: list[dict], grace_days: float | None, now: datetime | None = None) -> list[dict]:
    """The cancelled sessions still to be shown: those cancelled less than ``grace_days`` ago
    (all of them when grace_days is None; a session without a cancellation time stays)."""
    if grace_days is None:
        return list(cancelled)
    limit = (now or utcnow()) - timedelta(days=grace_days)
    return [c for c in cancelled if not c.get("cancelled_at") or datetime.fromisoformat(c["cancelled_at"]) >= limit]


def grace_ends(cancelled: list[dict], grace_days: float | None, now: datetime) -> datetime | None:
    """When the first of the cancelled sessions still shown leaves the grace period (then a
    rendered feed is out of date), or None."""
    if grace_days is None:
        return None
    ends = [datetime.fromisoformat(c["cancelled_at"]) + timedelta(days=grace_days)
            for c in within_grace(cancelled, grace_days, now) if c.get("cancelled_at")]
    return min(ends) if ends else None


def render_calendar(scenario: dict, sched: ScheduleRow, kind: str, entity_id: str,
                    grace_days: float | None = None, *, lineage: str) -> bytes:
    """One calendar of a stored schedule. A workplace's calendar is always that workplace's
    view (other workplaces' participants are not counted in it), so its feed URL is safe to
    hand to the workplace's manager. Cancelled sessions are shown for ``grace_days``. The UIDs
    are scoped by the programme's ``lineage``. Trainers and interpreters are named only where
    the scenario's ``publication`` allows it (a trainer's own calendar names them)."""
    document = sched.document
    cancelled = within_grace(sched.cancelled, grace_days)
    if kind == "workplace":
        document = manager_schedule_view(scenario, document, entity_id)
        cancelled = [c for c in cancelled if entity_id in (c.get("workplaces") or [])]
    generated: datetime = sched.created_at
    publication = scenario.get("publication")
    allowed = publication if isinstance(publication, dict) else {}
    named = frozenset(k for k in ("trainer", "interpreter") if allowed.get(f"{k}_names") is True)
    cal = build_calendar(scenario, document, kind=kind, entity_id=entity_id, sequences=sched.sequences,
                         cancelled=cancelled, generated_at=generated, uid_scope=lineage, named=named)
    return calendar_bytes(cal)


def utc_now():
    return utcnow()
