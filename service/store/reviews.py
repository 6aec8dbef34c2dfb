"""Review before publishing (issue 15): a draft schedule sent to the workplaces' managers, and
their answers.

A ``ReviewRow`` is one round of review of one stored schedule: sent by a coordinator, open
until a coordinator closes it (a schedule has at most one open review: ``open_schedule_id``
carries the schedule id while the review is open and is unique, so two coordinators sending
the same draft at once get one review and one 409). Each workplace's manager answers
``accept`` or ``changes`` (periods when a team cannot release anyone, and a comment); every
answer is a new ``ReviewAnswerRow``, never an update: the latest row of a workplace is its
answer, the earlier ones are its history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from service.store.db import Base, Database, UTCDateTime, new_id, utcnow

REVIEW_STATUSES = ("open", "closed")
ANSWERS = ("accept", "changes")


class ReviewRow(Base):
    """One round of review of a stored schedule (a proposal) by the managers of its workplaces."""

    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    schedule_id: Mapped[str] = mapped_column(ForeignKey("schedules.id"), index=True)
    programme: Mapped[str] = mapped_column(String(200), index=True)  # the lineage it would be published into
    workplaces: Mapped[list] = mapped_column(JSON)  # workplace ids asked to answer
    status: Mapped[str] = mapped_column(String(20), default="open")
    # the schedule id while the review is open, NULL once closed: unique, so one open review per schedule
    open_schedule_id: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_by: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the coordinator's token id
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    variant_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the newest variant made from it


class ReviewAnswerRow(Base):
    """One answer of one workplace to a review; a later row of the same workplace supersedes it."""

    __tablename__ = "review_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    workplace: Mapped[str] = mapped_column(String(200), index=True)
    answer: Mapped[str] = mapped_column(String(20))
    blocked: Mapped[list] = mapped_column(JSON)  # [{team, start, end, reason}]
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_by: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the token id (manager or coordinator)


class AlreadyUnderReview(Exception):
    """The schedule has an open review already."""


def open_review(db: Database, *, schedule_id: str, programme: str, workplaces: list[str],
                sent_by: str | None) -> ReviewRow:
    """Send a schedule for review; AlreadyUnderReview when it has an open review."""
    row = ReviewRow(schedule_id=schedule_id, programme=programme, workplaces=list(workplaces), status="open",
                    open_schedule_id=schedule_id, sent_by=sent_by, sent_at=utcnow())
    try:
        with db.write_lock, db.Session.begin() as s:
            if s.scalar(select(ReviewRow.id).where(ReviewRow.open_schedule_id == schedule_id)) is not None:
                raise AlreadyUnderReview(schedule_id)
            s.add(row)
    except IntegrityError:  # another process opened one between the check and the insert
        raise AlreadyUnderReview(schedule_id) from None
    return row


def current_review(db: Database, schedule_id: str) -> ReviewRow | None:
    """The schedule's open review, else its most recent closed one, else None."""
    with db.Session() as s:
        rows = list(s.scalars(select(ReviewRow).where(ReviewRow.schedule_id == schedule_id)
                              .order_by(ReviewRow.sent_at.desc())))
    return next((r for r in rows if r.status == "open"), rows[0] if rows else None)


def open_reviews(db: Database) -> list[ReviewRow]:
    """Every open review, newest first."""
    with db.Session() as s:
        return list(s.scalars(select(ReviewRow).where(ReviewRow.status == "open").order_by(ReviewRow.sent_at.desc())))


def answer_history(db: Database, review_id: str, workplace: str | None = None) -> list[ReviewAnswerRow]:
    """Every answer to a review (of one workplace, when given), oldest first."""
    query = select(ReviewAnswerRow).where(ReviewAnswerRow.review_id == review_id)
    if workplace is not None:
        query = query.where(ReviewAnswerRow.workplace == workplace)
    with db.Session() as s:
        return list(s.scalars(query.order_by(ReviewAnswerRow.id)))


def latest_answers(db: Database, review_id: str) -> dict[str, ReviewAnswerRow]:
    """workplace -> its latest answer to the review."""
    return {a.workplace: a for a in answer_history(db, review_id)}


def add_answer(db: Database, review_id: str, *, workplace: str, answer: str, blocked: list[dict], comment: str,
               answered_by: str | None) -> ReviewAnswerRow | None:
    """Store a workplace's (new) answer; None when the review is not open (any more)."""
    with db.write_lock, db.Session.begin() as s:
        review = s.get(ReviewRow, review_id)
        if review is None or review.status != "open":
            return None
        row = ReviewAnswerRow(review_id=review_id, workplace=workplace, answer=answer, blocked=blocked,
                              comment=comment, answered_by=answered_by, answered_at=utcnow())
        s.add(row)
    return row


def close_review(db: Database, review_id: str, *, closed_by: str | None) -> ReviewRow | None:
    """Close an open review (answers are kept); None when it is not open."""
    with db.write_lock, db.Session.begin() as s:
        review = s.get(ReviewRow, review_id)
        if review is None or review.status != "open":
            return None
        review.status, review.open_schedule_id = "closed", None
        review.closed_at, review.closed_by = utcnow(), closed_by
    return review


def note_variant(db: Database, review_id: str, variant_id: str) -> None:
    """Remember the newest what-if variant made from the review's answers."""
    with db.write_lock, db.Session.begin() as s:
        review = s.get(ReviewRow, review_id)
        if review is not None:
            review.variant_id = variant_id
