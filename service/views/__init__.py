"""One flask-smorest blueprint per resource."""


def register_blueprints(api) -> None:
    from . import feeds, jobs, meta, scenarios, schedules

    for module in (meta, scenarios, jobs, schedules, feeds):
        api.register_blueprint(module.blp)
