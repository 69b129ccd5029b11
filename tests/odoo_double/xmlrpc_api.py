"""XML-RPC endpoints: ``/xmlrpc/2/common``, ``/xmlrpc/2/object`` and ``/xmlrpc/2/db``.

Answers are always HTTP 200; errors are ``<fault>`` with Odoo's codes (3 bad
credentials, 4 access error, 2 user/validation/missing record, 1 anything
else with a server traceback). Responses are marshalled with
``allow_none=False`` like Odoo, so a method returning None answers fault 1
"cannot marshal None" after its work was committed.
"""

import traceback
import xmlrpc.client

import auth
import errors
import methods
from faults import run_call
from web import Response

HEADER = '<?xml version="1.0"?>\n<methodResponse>\n'
FOOTER = "\n</methodResponse>\n"
DB_FRAME = '''\
  File "/opt/odoo/odoo/sql_db.py", line 689, in borrow
    result = psycopg2.connect(
             ^^^^^^^^^^^^^^^^^
'''


def encode(value):
    """The methodResponse document for a result or a Fault, as Odoo prints it."""
    marshaller = xmlrpc.client.Marshaller("utf-8", allow_none=False)
    payload = value if isinstance(value, xmlrpc.client.Fault) else (value,)
    return HEADER + marshaller.dumps(payload) + FOOTER


def xml_response(value):
    return Response(200, encode(value), "text/xml; charset=utf-8")


def fault_for(exc, service):
    """The Fault Odoo sends for ``exc`` raised while serving ``service``."""
    if exc.fault_code != 1:
        return xmlrpc.client.Fault(exc.fault_code, exc.message)
    object_frames = ""
    if service == "object":
        object_frames = errors.XMLRPC_DISPATCH_FRAMES
        if not getattr(exc, "in_call_kw", False):
            object_frames += errors.CALL_KW_METHOD_FRAME
    frames = errors.XMLRPC_FRAMES + object_frames
    return xmlrpc.client.Fault(1, exc.traceback(frames))


def handle(app, service, body):
    """Serve one XML-RPC POST to ``service``."""
    try:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
    except Exception as exc:  # malformed XML: Odoo answers a fault 1
        error = errors.PythonError(type(exc).__name__, str(exc))
        return xml_response(fault_for(error, service))
    call = app.calls.begin("xmlrpc", service, *_call_summary(service, method, params))
    render = lambda exc: xml_response(fault_for(exc, service))
    return run_call(app, call, lambda: _execute(app, service, method, params, call), render)


def _call_summary(service, method, params):
    """(model, method, ids, params) for the call log, without credentials."""
    if service == "object" and method in ("execute_kw", "execute") and len(params) >= 5:
        rest = list(params[5:])
        args = rest[0] if method == "execute_kw" and rest else rest
        kwargs = rest[1] if method == "execute_kw" and len(rest) > 1 else {}
        model, model_method = params[3], params[4]
        ids = args[0] if args and methods.takes_ids(model, model_method) else None
        return model, model_method, ids, {"args": args, "kwargs": kwargs}
    if service == "common" and method in ("authenticate", "login") and len(params) >= 2:
        return None, method, None, {"db": params[0], "login": params[1]}
    return None, method, None, None


def _execute(app, service, method, params, call):
    try:
        result = dispatch(app, service, method, params, call)
    except Exception as exc:
        error = _as_error(exc)
        call.update(outcome="fault", fault_code=error.fault_code)
        return xml_response(fault_for(error, service))
    call.update(outcome="ok", committed=True)
    try:
        return Response(200, encode(result), "text/xml; charset=utf-8")
    except TypeError as exc:
        call.update(outcome="marshal_error", fault_code=1)
        error = errors.PythonError("TypeError", str(exc))
        marshal = xmlrpc.client.Fault(1, error.traceback(errors.XMLRPC_MARSHAL_FRAMES))
        return xml_response(marshal)


def _as_error(exc):
    if isinstance(exc, errors.OdooError):
        return exc
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return errors.PythonError(type(exc).__name__, str(exc), frames)


def dispatch(app, service, method, params, call):
    handlers = SERVICES.get(service, {})
    handler = handlers.get(method)
    if handler is None:
        raise errors.PythonError("KeyError", repr("exp_%s" % method),
                                 errors.method_frame("dispatch"))
    return handler(app, call, *params)


def check_db(app, db):
    if db != app.options.db:
        raise errors.PythonError(
            "psycopg2.OperationalError",
            'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
            'FATAL:  database "%s" does not exist' % db, DB_FRAME)


# --- common -------------------------------------------------------------------

def version(app, call):
    return app.version_info()


def authenticate(app, call, db, login, password, user_agent_env=None):
    check_db(app, db)
    with app.store.lock:
        uid = auth.authenticate(app.store, app.credentials, login, password)
    call["uid"] = uid
    return uid if uid is not None else False


def login(app, call, db, login_, password):
    return authenticate(app, call, db, login_, password, {})


# --- object -------------------------------------------------------------------

def execute_kw(app, call, db, uid, password, model, method, args=None, kwargs=None):
    check_db(app, db)
    with app.store.lock:
        if not auth.uid_is_active(app.store, uid) or not app.credentials.check(uid, password):
            raise errors.AccessDenied()
        call["uid"] = uid
        env = app.env_for(uid)
        return methods.call_kw(env, model, method, args or [], kwargs or {})


def execute(app, call, db, uid, password, model, method, *args):
    return execute_kw(app, call, db, uid, password, model, method, list(args), {})


# --- db -------------------------------------------------------------------------

def db_list(app, call, *args):
    return [app.options.db]


def db_exist(app, call, name):
    return name == app.options.db


def server_version(app, call):
    return app.version_info()["server_version"]


SERVICES = {
    "common": {"version": version, "authenticate": authenticate, "login": login},
    "object": {"execute_kw": execute_kw, "execute": execute},
    "db": {"list": db_list, "db_exist": db_exist, "server_version": server_version},
}
