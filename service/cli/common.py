"""What the service's commands share: the database they work on.

Every ``modulplan`` command loads ``service.cli`` (its subcommands are registered through an
entry point), so the service's commands import SQLAlchemy, Flask and the store inside their
functions: ``modulplan solve`` does not pay for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.store.db import Database


@contextmanager
def open_database() -> Iterator[Database]:
    """The service's database (``DATABASE_URL``, else the embedded default), migrated; its
    connections are closed when the command is done with it."""
    from service.config import database_url  # start-up speed: see the module's docstring
    from service.store.db import Database

    db = Database(database_url(os.environ.get("DATABASE_URL")))
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
