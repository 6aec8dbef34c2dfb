"""Spreadsheets, calendars and reports over the API.

* ``GET  /api/v1/workbooks/template``: the action-plan workbook with the built-in example.
* ``POST /api/v1/workbooks``: upload a filled workbook (.xlsx as the body, or as the form
  field ``file``); it becomes a stored scenario exactly as a JSON upload does (201), or
  422 with every problem named by sheet, row and column.
* ``GET  /api/v1/scenarios/{id}/workbook.xlsx``: a stored scenario as a workbook.
* ``POST /api/v1/scenarios/{id}/unavailable?trainer=ID`` (or ``room=``/``interpreter=``):
  an .ics calendar as the body; its busy times become that entity's unavailable periods in
  a new stored scenario (same document id, so it is a what-if of the first).
* ``GET  /api/v1/schedules/{id}/export.xlsx`` and ``export.csv``: the schedule as tables.
* ``GET  /api/v1/schedules/{id}/esf.xlsx`` and ``esf.csv``: the monthly ESF report.

A manager sees exports and reports only through their workplace (as with the schedule).
"""

from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from scheduler.format import ScenarioInvalid, problem_dicts
from scheduler.io import esf
from scheduler.io.calendar_import import add_unavailable
from scheduler.io.tables import csv_text, safe_file_part, schedule_tables, xlsx_bytes
from scheduler.io.workbook import read_workbook_with_warnings, template_workbook, write_workbook
from service.auth import WRITE_ROLES, require
from service.problems import problem
from service.schemas import ScenarioResourceSchema
from service.store import manager_schedule_view
from service.views.scenarios import load_row, store_document
from service.views.schedules import load as load_schedule

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

blp = Blueprint("workbooks", __name__, url_prefix="/api/v1",
                description="Spreadsheets in (action-plan workbook, calendars), tables and the ESF report out")


class OwnerQuerySchema(Schema):
    trainer = fields.String(validate=validate.Length(min=1, max=200))
    room = fields.String(validate=validate.Length(min=1, max=200))
    interpreter = fields.String(validate=validate.Length(min=1, max=200))
    replace = fields.Boolean(load_default=False, metadata={"description": "replace the existing periods"})

    @validates_schema
    def _exactly_one(self, data, **kwargs):
        if len([k for k in ("trainer", "room", "interpreter") if k in data]) != 1:
            raise ValidationError("give exactly one of trainer, room, interpreter", "_schema")


class CsvQuerySchema(Schema):
    dialect = fields.String(load_default="sv", validate=validate.OneOf(["sv", "comma"]), metadata={
        "description": "sv (default): semicolons, decimal commas, UTF-8 with BOM, as Swedish Excel reads; "
                       "comma: RFC 4180 with a decimal point"})


def download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """A file download with a name the browser keeps."""
    data = body.encode("utf-8-sig") if isinstance(body, str) else body
    resp = Response(data, status=200, content_type=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.cache_control.private = True
    return resp


def uploaded_bytes(what: str, accepted: tuple[str, ...]) -> bytes:
    """The uploaded file: the raw body, or the form field ``file``; 400/415 when absent or of the wrong kind."""
    ctype = (request.mimetype or "").lower()
    if ctype == "multipart/form-data":
        f = request.files.get("file")
        if f is None:
            raise problem(400, "Missing file", f"send {what} in the form field 'file'",
                          errors=[{"path": "$form.file", "message": "is missing"}])
        raw = f.read()
    elif ctype in accepted or ctype == "application/octet-stream":
        raw = request.get_data(cache=True)
    else:
        raise problem(415, "Unsupported Media Type",
                      f"send {what} as {accepted[0]} (or application/octet-stream, or multipart form field 'file'), "
                      f"not {ctype or 'no content type'}")
    if not raw:
        raise problem(400, "Empty body", f"the request body must be {what}",
                      errors=[{"path": "$", "message": "the body is empty"}])
    return raw


def _scenario_problem(exc: ScenarioInvalid, title: str) -> Exception:
    if getattr(exc, "beyond_limits", False):  # larger than the service takes on: nothing else was read
        return problem(413, "Too large", f"{len(exc.errors)} part(s) beyond the service's limits "
                       "(docs/service.md, Limits)", errors=exc.as_dicts())
    return problem(422, title, f"{len(exc.errors)} problem(s)", errors=exc.as_dicts(),
                   warnings=exc.warning_dicts())


@blp.route("/workbooks/template", methods=["GET"], endpoint="template")
@blp.response(200, content_type=XLSX, description="the action-plan workbook (.xlsx) with an example")
def template():
    """The action-plan workbook: one sheet per entity, Swedish headers, drop-downs, a filled example."""
    require()
    return download(template_workbook(), XLSX, "handlingsplaner-mall.xlsx")


@blp.route("/workbooks", methods=["POST"], endpoint="upload")
@blp.doc(requestBody={"required": True, "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string",
                                                                                   "format": "binary"}}}}}})
@blp.response(201, ScenarioResourceSchema)
@blp.alt_response(400, schema="ProblemDetails", description="no file")
@blp.alt_response(415, schema="ProblemDetails", description="not a workbook upload")
@blp.alt_response(422, schema="ProblemDetails", description="errors name sheet, row and column")
def upload():
    """Store the scenario of a filled action-plan workbook (the same path as a JSON upload).
    An unknown column is a warning (``warnings``, named by sheet and column) and is ignored."""
    principal = require(*WRITE_ROLES)
    raw = uploaded_bytes("an .xlsx workbook", (XLSX,))
    try:
        data, warnings = read_workbook_with_warnings(raw)
    except ScenarioInvalid as exc:
        raise _scenario_problem(exc, "Invalid workbook") from None
    return store_document(data, principal, problem_dicts(warnings))


@blp.route("/scenarios/<scenario>/workbook.xlsx", methods=["GET"], endpoint="scenario_workbook")
@blp.response(200, content_type=XLSX, description="the scenario as an action-plan workbook")
def scenario_workbook(scenario: str):
    """A stored scenario as an action-plan workbook (to edit and upload again)."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    return download(write_workbook(row.document), XLSX, f"{_file_part(str(row.document.get('id')))}.xlsx")


@blp.route("/scenarios/<scenario>/unavailable", methods=["POST"], endpoint="calendar_import")
@blp.arguments(OwnerQuerySchema, location="query")
@blp.doc(requestBody={"required": True, "content": {"text/calendar": {"schema": {"type": "string"}}}})
@blp.response(201, ScenarioResourceSchema)
@blp.alt_response(422, schema="ProblemDetails", description="the calendar cannot be read or the entity is unknown")
def calendar_import(query: dict, scenario: str):
    """Busy times of an .ics calendar become a trainer's, room's or interpreter's unavailable
    periods; the result is stored as a new scenario with the same document id."""
    principal = require(*WRITE_ROLES)
    row = load_row(scenario, principal)
    kind = next(k for k in ("trainer", "room", "interpreter") if k in query)
    raw = uploaded_bytes("an iCalendar (.ics) file", ("text/calendar",))
    try:
        data = add_unavailable(row.document, kind, query[kind], raw, replace=query.get("replace", False))
    except ScenarioInvalid as exc:
        raise _scenario_problem(exc, "Invalid calendar") from None
    return store_document(data, principal)


def _schedule_pair(schedule: str, *, report: bool = False):
    """(scenario document, schedule document, workplaces or None) as the caller may see them.

    A manager's tables show their workplace's view of the schedule; their report is computed
    from the whole schedule (so that shared sessions are shared fairly) and cut to their rows."""
    principal = require()
    row, scen = load_schedule(schedule, principal)
    if not principal.is_manager:
        return scen.document, row.document, None
    if report:
        return scen.document, row.document, [principal.managed_workplace]
    return scen.document, manager_schedule_view(scen.document, row.document, principal.managed_workplace), \
        [principal.managed_workplace]


def _file_part(text: str) -> str:
    return safe_file_part(text)


@blp.route("/schedules/<schedule>/export.xlsx", methods=["GET"], endpoint="export_xlsx")
@blp.response(200, content_type=XLSX, description="overview, one sheet per workplace and per trainer")
def export_xlsx(schedule: str):
    """The schedule as a workbook, sorted by date."""
    scenario, sched, _ = _schedule_pair(schedule)
    return download(xlsx_bytes(schedule_tables(scenario, sched)), XLSX, f"schema-{_file_part(schedule)}.xlsx")


@blp.route("/schedules/<schedule>/export.csv", methods=["GET"], endpoint="export_csv")
@blp.arguments(CsvQuerySchema, location="query", as_kwargs=True)
@blp.response(200, content_type="text/csv", description="every session, sorted by date")
def export_csv(schedule: str, dialect: str = "sv"):
    """The schedule's overview table as CSV: semicolons and decimal commas (what Swedish Excel
    reads) unless ``?dialect=comma``."""
    scenario, sched, _ = _schedule_pair(schedule)
    return download(csv_text(schedule_tables(scenario, sched)[0], dialect), CSV,
                    f"schema-{_file_part(schedule)}.csv")


@blp.route("/schedules/<schedule>/esf.xlsx", methods=["GET"], endpoint="esf_xlsx")
@blp.response(200, content_type=XLSX, description="the monthly ESF report")
def esf_xlsx(schedule: str):
    """The monthly ESF report: per workplace and month, participants trained, hours on and off
    shift, trainer hours and validation sessions."""
    scenario, sched, workplaces = _schedule_pair(schedule, report=True)
    return download(esf.esf_xlsx(scenario, sched, workplaces=workplaces), XLSX, f"esf-{_file_part(schedule)}.xlsx")


@blp.route("/schedules/<schedule>/esf.csv", methods=["GET"], endpoint="esf_csv")
@blp.arguments(CsvQuerySchema, location="query", as_kwargs=True)
@blp.response(200, content_type="text/csv", description="the monthly ESF report (per workplace and month)")
def esf_csv(schedule: str, dialect: str = "sv"):
    """The monthly ESF report as CSV (Swedish dialect unless ``?dialect=comma``)."""
    scenario, sched, workplaces = _schedule_pair(schedule, report=True)
    body = esf.esf_csv(scenario, sched, dialect, workplaces=workplaces)
    return download(body, CSV, f"esf-{_file_part(schedule)}.csv")
