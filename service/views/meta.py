from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import text

from .common import db, state

blp = Blueprint("meta", __name__, url_prefix="/api/v1", description="Service health")


@blp.route("/health")
@blp.doc(security=[])
@blp.response(200)
def health():
    """Liveness and readiness: the database answers."""
    with db().engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "executor": state().executor.kind, "database": db().engine.dialect.name}
