"""One flask-smorest blueprint per resource; ``register_blueprints`` puts them on the API."""

from __future__ import annotations

from flask_smorest import Api

from service.views import (
    action_plans,
    board,
    explanations,
    feeds,
    jobs,
    meta,
    reviews,
    scenarios,
    schedules,
    whatif,
    workbooks,
)


def register_blueprints(api: Api) -> None:
    for module in (meta, scenarios, jobs, schedules, feeds, workbooks, explanations):
        api.register_blueprint(module.blp)
    api.register_blueprint(whatif.blp)  # what-if variants, re-plans, publishing, comparison (issue 5)
    api.register_blueprint(action_plans.blp)  # action plans entered, submitted, compiled and solved (issue 15)
    api.register_blueprint(reviews.blp)  # review before publishing (issue 15)
    board.register(api)  # the planning board (issue 8): HTML pages under /board/ and their data
    api._app.add_url_rule("/", "root", meta.root)
