"""The service itself: health, the API's documentation pages, and what the planning board
needs to know of the model (the objective terms and their names)."""

from __future__ import annotations

from pathlib import Path

from flask import redirect, send_from_directory
from flask_smorest import Blueprint
from sqlalchemy import text

from scheduler.format.vocabulary import OBJECTIVE_TERMS, REPLAN_TERM
from service.auth import require
from service.board.i18n import TEXTS
from service.problems import problem
from service.schemas import ObjectiveTermsSchema
from service.views.common import db, state

blp = Blueprint("meta", __name__, url_prefix="/api/v1",
                description="Service health, and what the planning board needs to know of the model")

#: every term a schedule's objective_breakdown may have: the solver's terms, then a re-plan's
#: cost of moved baseline sessions (scheduler.rules.objective.move_session_cost)
BOARD_TERMS: tuple[str, ...] = (*OBJECTIVE_TERMS, REPLAN_TERM)

REDOC_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "redoc"


def _swagger_ui_dir() -> str:
    from swagger_ui_bundle import swagger_ui_path  # only when someone opens the docs

    return swagger_ui_path


@blp.route("/docs/assets/<path:name>")
@blp.doc(hide=True)
def swagger_ui_asset(name: str):
    """Swagger UI's scripts and styles, from the installed `swagger-ui-bundle` package."""
    if not name.endswith((".js", ".css", ".png")):
        raise problem(404, "Not Found", f"no such file: {name}")
    return send_from_directory(_swagger_ui_dir(), name, max_age=86400)


@blp.route("/redoc/assets/<path:name>")
@blp.doc(hide=True)
def redoc_asset(name: str):
    """ReDoc's standalone script (vendored under service/static/vendor/redoc, MIT)."""
    if name != "redoc.standalone.js":
        raise problem(404, "Not Found", f"no such file: {name}")
    return send_from_directory(REDOC_DIR, name, max_age=86400)


def root():
    """``/``: people who open the service's address land on the planning board."""
    return redirect("/board/", code=302)


@blp.route("/health")
@blp.doc(security=[])
@blp.response(200)
def health():
    """Readiness: the database answers and someone can run jobs. With Celery, the workers that
    answer a ping; none alive is "degraded" with 503 (jobs would wait in the queue forever)."""
    with db().engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    executor = state().executor
    workers = executor.workers()
    ok = executor.kind != "celery" or workers.get("alive", 0) > 0
    body = {"status": "ok" if ok else "degraded", "executor": executor.kind, "database": db().engine.dialect.name,
            "workers": workers}
    if not ok:
        body["detail"] = "no Celery worker answers: solve jobs wait until one is started (`modulplan worker`)"
    return body, 200 if ok else 503


@blp.route("/meta/objective-terms", endpoint="objective_terms")
@blp.response(200, ObjectiveTermsSchema)
def objective_terms():
    """The objective terms (the keys of a schedule's ``kpis.objective_breakdown``), in the order
    the planning board lists them, with their names in Swedish and English."""
    require()
    return {"terms": [{"term": term, "labels": {lang: TEXTS[lang][f"term_{term}"] for lang in TEXTS}}
                      for term in BOARD_TERMS]}
