"""Alembic environment: the connection comes from ``Database.upgrade`` (or DATABASE_URL)."""

import os

from alembic import context
from sqlalchemy import create_engine

import service.store.reviews  # noqa: F401  (the review tables on Base.metadata, issue 15)
from service.config import database_url
from service.store.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url(os.environ.get("DATABASE_URL")))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=database_url(os.environ.get("DATABASE_URL")), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
