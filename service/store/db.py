"""Persistence: SQLAlchemy 2 models and the database handle (no Flask needed, so the
Celery worker and the command line use the same code). The schema is created and
upgraded by Alembic (``service/migrations``), never by ``create_all``.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime):
            value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if isinstance(value, datetime):
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


class Base(DeclarativeBase):
    pass


class ScenarioRow(Base):
    """A stored scenario document. Its ``lineage`` is the programme it belongs to
    (``programme:<id of the programme's first scenario>``; databases from before drafts used
    the document's own "id"): feeds and published revisions follow the lineage, so two
    uploads that happen to carry the same document id never share calendars."""

    __tablename__ = "scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    lineage: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(500))
    workplaces: Mapped[list] = mapped_column(JSON)  # workplace ids, for manager filtering
    document: Mapped[dict] = mapped_column(JSON)  # as submitted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ScheduleRow(Base):
    __tablename__ = "schedules"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    lineage: Mapped[str] = mapped_column(String(200), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    document: Mapped[dict] = mapped_column(JSON)  # schedule-1
    sequences: Mapped[dict] = mapped_column(JSON)  # session key -> SEQUENCE, for this schedule's calendars
    cancelled: Mapped[list] = mapped_column(JSON)  # earlier sessions of the lineage no longer planned
    # n-th published schedule of the lineage; None for a draft (a solve's result before publishing)
    revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the coordinator's token id

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class JobRow(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    options: Mapped[dict] = mapped_column(JSON)
    progress: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    schedule_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A queued job's message to the workers: how often it was sent, and when last (the reaper
    # sends it again when the broker has lost it).
    sends: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token itself is never stored
    role: Mapped[str] = mapped_column(String(20))
    workplace: Mapped[str | None] = mapped_column(String(200), nullable=True)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class FeedRow(Base):
    """A subscribable calendar: one lineage (a programme), one kind, one entity, and for a feed
    handed to a manager that manager's API token (the feed dies with their access).

    The URL token is random; it is found by its SHA-256 and kept (``token``) so that the same
    URL can be listed again. Feeds made before that carry HMAC(secret, lineage, kind, entity,
    salt) and no ``token``. A feed always shows the lineage's published schedule (drafts never
    reach it); a revoked one answers 404.
    """

    __tablename__ = "feeds"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    lineage: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(200))
    salt: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    token: Mapped[str | None] = mapped_column(String(100), nullable=True)
    owner_token_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class LineageRow(Base):
    """One row per lineage: the lock under which published schedules are numbered and
    sequences raised. ``latest_schedule_id`` is the published schedule the feeds show."""

    __tablename__ = "lineages"
    lineage: Mapped[str] = mapped_column(String(200), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    latest_schedule_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SessionRevisionRow(Base):
    """The last published state of one session (cohort/module/index) of a lineage."""

    __tablename__ = "session_revisions"
    lineage: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(600), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(Text)
    session: Mapped[dict] = mapped_column(JSON)  # with track/workplaces/participants, for cancellations
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VariantRow(Base):
    """A what-if variant (issue 5): its scenario row, the scenario it was derived from and the
    changes. The variant's own scenario row has a private lineage (its schedules do not reach
    the feeds); publishing one of its schedules puts it into ``root_lineage``, the lineage of
    the scenario the chain of variants started from."""

    __tablename__ = "variants"
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), primary_key=True)
    parent_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    root_lineage: Mapped[str] = mapped_column(String(200))
    changes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionPlanRow(Base):
    """A workplace's action plan (*handlingsplan*) for a programme, as its manager enters it
    (issue 15): ``document`` is the plan in the format's action-plan shape (``id``, ``workplace``,
    ``track``, ``participants``, dates, permissions) plus a free-text ``note``. ``status`` is
    draft, submitted or withdrawn; compiling a programme takes its submitted plans. A deleted plan
    keeps its row (``deleted_at``) and its history: nothing entered is ever lost."""

    __tablename__ = "action_plans"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    lineage: Mapped[str] = mapped_column(String(200), index=True)  # the programme
    workplace: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    document: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)  # raised by every change
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(32), nullable=True)  # token id
    created_role: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    updated_role: Mapped[str] = mapped_column(String(20))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def plan_id(self) -> str:
        """The plan's id in the programme's scenario (``document.id``)."""
        return str(self.document.get("id"))


class ActionPlanEventRow(Base):
    """One change of an action plan: who (token id and role), when, what (created, updated,
    submitted, withdrawn, deleted) and the plan's document and status after it."""

    __tablename__ = "action_plan_events"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("action_plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the plan's version after this change
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    document: Mapped[dict] = mapped_column(JSON)


class SettingRow(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class Database:
    """An engine, a session factory and the migrations for one URL."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"future": True, "pool_pre_ping": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _):
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.close()
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer; transactions that read then write take this lock in-process
        self.write_lock = threading.RLock()

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (PostgreSQL: under an advisory lock)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(7386673)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        self.engine.dispose()
