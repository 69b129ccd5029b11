"""The JSON-2 API of Odoo 19: ``POST /json/2/<model>/<method>``.

Checks happen in Odoo's order: database header (404 HTML), content type
(415 HTML), bearer key (401), JSON body (400), model and method (404),
argument binding (422), then the call itself (403/404/422/500 by exception).
Error bodies are ``{"name", "message", "arguments", "context", "debug"}``.
"""

import json

import errors
import methods
from faults import run_call
from web import html_error, json_response, no_database_selected

PREFIX = "/json/2/"


def handle(app, http_method, path, headers, body):
    """Serve one request whose path starts with ``/json/2/``."""
    if app.options.version < 19:
        return html_error(404)
    parts = path[len(PREFIX):].split("/")
    if len(parts) != 2 or not all(parts):
        return html_error(404)
    if http_method != "POST":
        return html_error(405)
    database = headers.get("X-Odoo-Database")
    if database is not None and database != app.options.db:
        return html_error(404)
    if database is None and len(app.databases()) > 1:
        return no_database_selected()
    if _mimetype(headers.get("Content-Type")) != "application/json":
        return html_error(415)
    model, method = parts
    params = _peek(body)
    call = app.calls.begin("json2", "json2", model, method,
                           params.get("ids") if isinstance(params, dict) else None, params)
    context = params.get("context") if isinstance(params, dict) else None
    render = lambda exc: error_response(exc, context)
    execute = lambda: _execute(app, call, model, method, headers, body, render)
    return run_call(app, call, execute, render)


def _mimetype(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def _peek(body):
    """The parsed body for the call log (None if it is not JSON)."""
    try:
        return json.loads(body or b"null")
    except ValueError:
        return None


def bearer_token(headers):
    value = headers.get("Authorization") or ""
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _execute(app, call, model, method, headers, body, render):
    try:
        result = _run(app, call, model, method, headers, body)
    except Exception as exc:
        error = errors.as_odoo_error(exc, method)
        call.update(outcome="error", status=error.status)
        return render(error)
    call.update(outcome="ok", status=200, committed=True)
    return json_response(result)


def _run(app, call, model, method, headers, body):
    uid = app.credentials.key_uid(bearer_token(headers))
    if uid is None:
        raise errors.invalid_apikey()
    call["uid"] = uid
    params = _parse_body(body)
    ids = params.pop("ids", [])
    context = params.pop("context", None) or {}
    with app.store.lock:
        env = app.env_for(uid).with_context(context)
        return methods.call_json2(env, model, method, ids, params)


def _parse_body(body):
    try:
        params = json.loads(body.decode("utf-8") if body else "")
    except ValueError as exc:
        raise errors.BadRequest("could not parse the body as json: %s" % exc) from None
    if not isinstance(params, dict):
        raise errors.BadRequest("the body must be a json object of named arguments")
    return params


def debug_for(exc):
    """The server traceback of ``exc`` as JSON-2 reports it."""
    if isinstance(exc, errors.Unauthorized):
        return exc.traceback("")
    if isinstance(exc, errors.HttpError):
        return exc.traceback(errors.JSON2_FRAMES)
    return exc.traceback(errors.JSON2_FRAMES + errors.JSON2_CALL_FRAME)


def error_response(exc, context=None):
    body = {"name": exc.name, "message": exc.message, "arguments": exc.arguments,
            "context": context if isinstance(context, dict) else {}, "debug": debug_for(exc)}
    headers = [("WWW-Authenticate", "Bearer ")] if exc.status == 401 else []
    return json_response(body, exc.status, headers)
