"""The flask-smorest Api whose errors are RFC 9457 problem details."""

from __future__ import annotations

import logging

import flask_smorest
import marshmallow as ma
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from service.problems import Problem, problem_response, webargs_errors

log = logging.getLogger("modulplan.service")


class FieldErrorSchema(ma.Schema):
    path = ma.fields.String(metadata={"description": "JSON path of the field ($ is the request body; "
                                                     "$query.x / $path.x are parameters)"})
    message = ma.fields.String(metadata={"description": "what is wrong, in a sentence"})


class ProblemDetailsSchema(ma.Schema):
    """RFC 9457 problem details (media type application/problem+json)."""

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))
    warnings = ma.fields.List(ma.fields.Nested(FieldErrorSchema), metadata={
        "description": "found besides the errors: fields the format does not know, which would be ignored"})


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemDetailsSchema

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(Exception, self.handle_unexpected)

    def handle_http_exception(self, error: HTTPException):
        if isinstance(error, Problem):
            return problem_response(error.status, error.title, error.detail, errors=error.errors,
                                    type_=error.type, headers=error.extra_headers, warnings=error.warnings)
        data = getattr(error, "data", None) or {}
        errors = None
        if "messages" in data or "errors" in data:
            errors = webargs_errors(data.get("errors") or data.get("messages"))
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        code = error.code or 500
        if code >= 500:
            log.error("server error: %s", error, exc_info=getattr(error, "original_exception", None))
        detail = data.get("message") or (error.description if code < 500 else "an internal error; it is logged")
        title = {422: "Invalid request"}.get(code, error.name)
        if code == 422 and errors:
            detail = f"{len(errors)} invalid field(s): " + ", ".join(e["path"] for e in errors[:10])
        return problem_response(code, title, detail, errors=errors, headers=headers)

    def handle_unexpected(self, error: Exception):
        if isinstance(error, HTTPException):
            return self.handle_http_exception(error)
        log.exception("unhandled error")
        return problem_response(500, "Internal Server Error", "an internal error; it is logged")
