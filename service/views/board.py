"""The planning board (issue 8): HTML pages under ``/board/`` and the one JSON document they
need beyond the API, ``GET /api/v1/board/schedules/<id>``.

The pages are shells: Jinja renders the frame and the texts of the chosen language, plain
JavaScript modules (``service/static/board/``, no CDN, no build step) fetch everything with
the user's token from the JSON API, so access is exactly the API's (a manager's pages show
what the API shows a manager: their workplace). The token comes from the link
(``/board/#token=mp_…``, a fragment, so it never reaches a server log) or a sign-in form,
and is kept in the browser's localStorage.
"""

from __future__ import annotations

import json

from flask import Blueprint as FlaskBlueprint
from flask import render_template, request
from flask_smorest import Blueprint
from markupsafe import Markup

from scheduler.explain.messages import choose_language
from service.auth import require
from service.board.data import board_document
from service.board.i18n import texts
from service.board.plans import plan_context, workplace_choices
from service.store.db import JobRow, VariantRow
from service.views.common import db
from service.views.scenarios import load_row
from service.views.schedules import load

blp = Blueprint("board_api", __name__, url_prefix="/api/v1/board",
                description="The planning board's data: a schedule with names, cohort sizes, sites and staffing")

pages = FlaskBlueprint("board", __name__, url_prefix="/board", template_folder="../templates",
                       static_folder="../static/board", static_url_path="/static")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def register(api) -> None:
    """Register the data endpoint with the API and the pages with the app."""
    api.register_blueprint(blp)
    api._app.register_blueprint(pages)


# ---------------------------------------------------------------------------- data

@blp.route("/me", endpoint="me")
@blp.response(200)
def me():
    """The caller's role (and a manager's workplace): which buttons the board shows."""
    principal = require()
    return {"role": principal.role, "workplace": principal.workplace}


def schedule_meta(row, scen) -> dict:
    """Ids, revision and what-if lineage of a stored schedule: its scenario, the variant's
    parent scenario, the baseline schedule it was re-planned against (if any), and whether it
    is published (a draft's revision is null)."""
    with db().Session() as s:
        variant = s.get(VariantRow, scen.id)
        job = s.get(JobRow, row.job_id) if row.job_id else None
    options = (job.options or {}) if job else {}
    return {"id": row.id, "scenario": scen.id, "scenario_id": scen.document.get("id"),
            "lineage": row.lineage, "revision": row.revision, "created_at": row.created_at, "status": row.status,
            "objective": row.objective, "variant_parent": variant.parent_id if variant else None,
            "baseline": options.get("baseline_schedule_id"), "published": not row.is_draft}


@blp.route("/schedules/<schedule>", endpoint="schedule")
@blp.response(200)
def schedule_board(schedule: str):
    """A schedule as the board draws it: sessions with module name, "n of m", cohort size, site,
    teams; names of every entity; staffing per team and shift; for coordinators and planners also
    objective, bound and KPIs. A manager gets only their workplace's cohorts, sessions and teams."""
    principal = require()
    row, scen = load(schedule, principal)
    workplace = principal.workplace if principal.is_manager else None
    return board_document(scen.document, row.document, schedule_meta(row, scen), workplace=workplace)


@blp.route("/scenarios/<scenario>/plan-context", endpoint="plan_context")
@blp.response(200)
def plan_context_view(scenario: str):
    """What the action-plan form shows of a programme: the caller's workplace's teams (a
    manager: their own; others: ``?workplace=``), the catalogue's tracks, languages, horizon."""
    principal = require()
    row = load_row(scenario, principal)
    wanted = principal.workplace if principal.is_manager else request.args.get("workplace")
    out = plan_context(row.document, wanted)
    if principal.is_manager:  # their own workplace, not the list of every other one
        out["workplaces"] = [{"id": wanted, "name": (out["workplace"] or {}).get("name", wanted)}]
    else:
        out["workplaces"] = workplace_choices(row.document)
    return out


# ---------------------------------------------------------------------------- pages

def page_language() -> str:
    """``?lang=``, else Accept-Language, else Swedish."""
    return choose_language(request.args.get("lang"), request.headers.get("Accept-Language"))


def render_page(page: str, title_key: str, **context):
    """One board page: the frame, the texts of the language, the page's module."""
    lang = page_language()
    t = texts(lang)
    payload = Markup(json.dumps({"lang": lang, "page": page, "texts": t, **context}, ensure_ascii=False)
                     .replace("<", "\\u003c"))
    html = render_template(f"board/{page}.html", lang=lang, t=t, title=t[title_key], page=page, payload=payload,
                           other_lang="en" if lang == "sv" else "sv", **context)
    headers = {"Content-Security-Policy": CSP, "Content-Language": lang, "Vary": "Accept-Language",
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
    return html, 200, headers


@pages.route("/", endpoint="index")
def index():
    """The scenario list (a manager sees the scenarios of their workplace)."""
    return render_page("index", "scenarios_title")


@pages.route("/scenarios/<scenario>", endpoint="scenario")
def scenario_page(scenario: str):
    """A scenario: its schedules, solve with live progress, variants and their re-plans."""
    return render_page("scenario", "schedules_title", scenario_ref=scenario)


@pages.route("/schedules/<schedule>", endpoint="schedule")
def schedule_page(schedule: str):
    """A schedule: timeline, list, staffing, KPIs and costs, unscheduled sessions, calendar links."""
    return render_page("schedule", "schedule_title", schedule_ref=schedule)


@pages.route("/compare", endpoint="compare")
def compare_page():
    """Two or more schedules side by side (``?schedules=a,b,c``)."""
    return render_page("compare", "compare_title", schedules_ref=request.args.get("schedules", ""))


@pages.route("/scenarios/<scenario>/action-plans", endpoint="action_plans")
def action_plans_page(scenario: str):
    """A workplace's action plans: its teams, the plans with their status, the plan form with
    live feedback, submit and withdraw, and each plan's history (a manager: their workplace)."""
    return render_page("action_plans", "plans_title", scenario_ref=scenario)


@pages.route("/scenarios/<scenario>/overview", endpoint="plans_overview")
def plans_overview_page(scenario: str):
    """The coordinator's overview of a programme's action plans, and "compile and solve"."""
    return render_page("plans_overview", "overview_title", scenario_ref=scenario)


@pages.route("/scenarios/<scenario>/catalogue", endpoint="catalogue")
def catalogue_page(scenario: str):
    """The programme's catalogue (tracks, modules, trainers, rooms, interpreters, calendar) as
    JSON per section; saving stores a new version of the programme."""
    return render_page("catalogue", "catalogue_title", scenario_ref=scenario)


@pages.route("/schedules/<schedule>/review", endpoint="review")
def review_page(schedule: str):
    """Review of a proposal (issue 15): a manager's sessions, staffing and answer form."""
    return render_page("review", "review_title", schedule_ref=schedule)
