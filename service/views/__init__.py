"""One flask-smorest blueprint per resource."""


def register_blueprints(api) -> None:
    from service.views import explanations, feeds, jobs, meta, scenarios, schedules, workbooks

    for module in (meta, scenarios, jobs, schedules, feeds, workbooks, explanations):
        api.register_blueprint(module.blp)
    from service.views import whatif  # what-if variants, re-plans, publishing, comparison (issue 5)

    api.register_blueprint(whatif.blp)
    from service.views import board  # the planning board (issue 8): HTML pages under /board/ and their data

    board.register(api)
    api._app.add_url_rule("/", "root", meta.root)
