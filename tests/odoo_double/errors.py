"""Odoo-like exceptions and the server tracebacks that travel with them.

Real Odoo reports errors differently on each protocol:

* XML-RPC answers HTTP 200 with a ``<fault>``: code 3 for bad credentials
  (``AccessDenied``), 4 for ``AccessError``, 2 for ``UserError`` and its
  subclasses (``ValidationError``, ``MissingError``) and 1 for anything else,
  in which case the fault string is the full server traceback.
* JSON-2 answers an HTTP status with ``{"name", "message", "arguments",
  "context", "debug"}`` where ``debug`` holds the traceback.

Every exception here knows its JSON-2 ``name``/status and XML-RPC fault code,
and can render a traceback that looks like the captured fixtures.
"""

# Frames copied from the captured fixtures (paths already anonymised there).
JSON2_FRAMES = '''\
  File "/opt/odoo/odoo/http.py", line 2275, in _serve_db
    return service_model.retrying(serve_func, env=self.env)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/service/model.py", line 184, in retrying
    result = func()
             ^^^^^^
  File "/opt/odoo/odoo/http.py", line 2330, in _serve_ir_http
    response = self.dispatcher.dispatch(rule.endpoint, args)
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/http.py", line 2610, in dispatch
    result = self.request.registry['ir.http']._dispatch(endpoint)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/addons/base/models/ir_http.py", line 357, in _dispatch
    result = endpoint(**request.params)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/http.py", line 788, in route_wrapper
    result = endpoint(self, *args, **params_ok)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
'''

JSON2_CALL_FRAME = '''\
  File "/opt/odoo/addons/rpc/controllers/json2.py", line 86, in web_json_2_rpc
    result = func(records, **kwargs)
             ^^^^^^^^^^^^^^^^^^^^^^^
'''

XMLRPC_FRAMES = '''\
  File "/opt/odoo/addons/rpc/controllers/xmlrpc.py", line 162, in xmlrpc_2
    response = self._xmlrpc(service)
               ^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/addons/rpc/controllers/xmlrpc.py", line 134, in _xmlrpc
    result = dispatch_rpc(service, method, params)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/http.py", line 439, in dispatch_rpc
    return dispatch(method, params)
           ^^^^^^^^^^^^^^^^^^^^^^^^
'''

XMLRPC_DISPATCH_FRAMES = '''\
  File "/opt/odoo/odoo/service/model.py", line 129, in dispatch
    res = execute_cr(cr, uid, model, method_, args, kw)
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/service/model.py", line 146, in execute_cr
    result = retrying(partial(call_kw, recs, method, args, kw), env)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/service/model.py", line 184, in retrying
    result = func()
             ^^^^^^
'''

CALL_KW_METHOD_FRAME = '''\
  File "/opt/odoo/odoo/service/model.py", line 93, in call_kw
    result = method(recs, *args, **kwargs)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
'''

XMLRPC_OBJECT_FRAMES = XMLRPC_DISPATCH_FRAMES + CALL_KW_METHOD_FRAME

# call_kw's own line for `create`: it reads args[0] to answer one id or a list.
CALL_KW_CREATE_FRAME = '''\
  File "/opt/odoo/odoo/service/model.py", line 98, in call_kw
    result = result.id if isinstance(args[0], Mapping) else result.ids
                                     ~~~~^^^
'''

# call_kw's own line for a record method called without its ids.
CALL_KW_IDS_FRAME = '''\
  File "/opt/odoo/odoo/service/model.py", line 88, in call_kw
    ids, args = args[0], args[1:]
                ~~~~^^^
'''

RECORD_RULE_FRAMES = '''\
  File "/opt/odoo/odoo/orm/models.py", line 3486, in read
    self._origin.fetch(fields)
  File "/opt/odoo/odoo/orm/models.py", line 3815, in fetch
    raise self.env['ir.rule']._make_access_error('read', forbidden)
'''

RECORD_RULE_MESSAGE = (
    "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"
    "Sorry, %s (id=%d) doesn't have '%s' access to:\n- %s (%s)\n\n"
    "If you really, really need access, perhaps you can win over your friendly "
    "administrator with a batch of freshly baked cookies.")

XMLRPC_MARSHAL_FRAMES = '''\
  File "/opt/odoo/addons/rpc/controllers/xmlrpc.py", line 162, in xmlrpc_2
    response = self._xmlrpc(service)
               ^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/addons/rpc/controllers/xmlrpc.py", line 135, in _xmlrpc
    return dumps((result,), methodresponse=1, allow_none=False)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/xmlrpc/client.py", line 1028, in dumps
    data = m.dumps(params)
           ^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/xmlrpc/client.py", line 521, in dump_nil
    raise TypeError("cannot marshal None unless allow_none is enabled")
'''

# The frames of search_read down to the domain check, as in the fixtures.
SEARCH_DOMAIN_FRAMES = '''\
  File "/opt/odoo/odoo/orm/models.py", line 5768, in search_read
    records = self.search_fetch(domain or [], fields, offset=offset, limit=limit, order=order)
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/models.py", line 1408, in search_fetch
    query = self._search(domain, offset=offset, limit=limit, order=order or self._order)
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/models.py", line 5361, in _search
    domain = domain.optimize_full(self)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/domains.py", line 445, in optimize_full
    return self._optimize(model, OptimizationLevel.FULL)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/domains.py", line 459, in _optimize
    previous, domain = domain, domain._optimize_step(model, next_level)
                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/domains.py", line 938, in _optimize_step
    field, property_name = self.__get_field(model)
                           ^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/domains.py", line 916, in __get_field
    self._raise("Invalid field %s.%s", model._name, field_name)
  File "/opt/odoo/odoo/orm/domains.py", line 901, in _raise
    raise error(message % (*args, self.field_expr, self.operator, self.value))
'''

UNKNOWN_FIELD_CAUSE = '''\
Traceback (most recent call last):
  File "/opt/odoo/odoo/orm/domains.py", line 914, in __get_field
    field = model._fields[field_name]
            ~~~~~~~~~~~~~^^^^^^^^^^^^
KeyError: {key!r}

During handling of the above exception, another exception occurred:

'''

BIND_CAUSE = '''\
Traceback (most recent call last):
  File "/opt/odoo/addons/rpc/controllers/json2.py", line 82, in web_json_2_rpc
    signature.bind(records, **kwargs)
  File "/usr/lib/python3.11/inspect.py", line 3211, in bind
    return self._bind(args, kwargs)
           ^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/inspect.py", line 3126, in _bind
    raise TypeError(msg) from None
TypeError: {message}

During handling of the above exception, another exception occurred:

'''

BIND_FRAME = '''\
  File "/opt/odoo/addons/rpc/controllers/json2.py", line 84, in web_json_2_rpc
    raise UnprocessableEntity(exc.args[0])
'''

AUTH_FRAMES = '''\
  File "/opt/odoo/odoo/http.py", line 2275, in _serve_db
    return service_model.retrying(serve_func, env=self.env)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/service/model.py", line 184, in retrying
    result = func()
             ^^^^^^
  File "/opt/odoo/odoo/http.py", line 2328, in _serve_ir_http
    self.registry['ir.http']._authenticate(rule.endpoint)
  File "/opt/odoo/odoo/addons/base/models/ir_http.py", line 277, in _authenticate
    cls._authenticate_explicit(auth)
  File "/opt/odoo/odoo/addons/base/models/ir_http.py", line 286, in _authenticate_explicit
    getattr(cls, f'_auth_method_{auth}')()
  File "/opt/odoo/odoo/addons/base/models/ir_http.py", line 244, in _auth_method_bearer
    raise Unauthorized(e, www_authenticate=WWWAuthenticate('bearer'))
'''

UNKNOWN_MODEL_CAUSE = '''\
Traceback (most recent call last):
  File "/opt/odoo/addons/rpc/controllers/json2.py", line 66, in web_json_2_rpc
    Model = request.env[__model__].with_context(context)
            ~~~~~~~~~~~^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/environments.py", line 107, in __getitem__
    return self.registry[model_name](self, (), ())
           ~~~~~~~~~~~~~^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/registry.py", line 322, in __getitem__
    return self.models[model_name]
           ~~~~~~~~~~~^^^^^^^^^^^^
KeyError: {key!r}

The above exception was the direct cause of the following exception:

'''

UNKNOWN_MODEL_FRAME = '''\
  File "/opt/odoo/addons/rpc/controllers/json2.py", line 69, in web_json_2_rpc
    raise NotFound(e) from exc
'''

MISSING_ON_WRITE_FRAMES = '''\
  File "/opt/odoo/addons/maintenance/models/maintenance.py", line 350, in write
    res = super(MaintenanceRequest, self).write(vals)
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/addons/mail/models/mail_thread.py", line 380, in write
    self._track_prepare(self._fields)
  File "/opt/odoo/addons/mail/models/mail_thread.py", line 539, in _track_prepare
    else record[fname]
         ~~~~~~^^^^^^^
  File "/opt/odoo/odoo/orm/models.py", line 6680, in __getitem__
    return self._fields[key].__get__(self)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/fields_relational.py", line 45, in __get__
    return super().__get__(records, owner)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/opt/odoo/odoo/orm/fields.py", line 1705, in __get__
    raise MissingError("\\n".join([
'''

TB_HEAD = "Traceback (most recent call last):\n"


def method_frame(method):
    """A plausible ORM frame for an error raised inside ``method``."""
    return ('  File "/opt/odoo/odoo/orm/models.py", line 4242, in %s\n'
            '    raise error\n' % method)


class OdooError(Exception):
    """Base of every error the double reports to a client."""

    name = "odoo.exceptions.UserError"   # JSON-2 "name"
    status = 422                         # JSON-2 HTTP status
    fault_code = 2                       # XML-RPC faultCode
    werkzeug = False                     # werkzeug errors carry the status in args

    def __init__(self, message, frames="", cause=""):
        super().__init__(message)
        self.message = message
        self.frames = frames or ""
        self.cause = cause or ""

    @property
    def arguments(self):
        if self.werkzeug:
            return [self.message, self.status]
        return [self.message]

    def last_line(self):
        """The final traceback line, as Python prints the exception."""
        if self.werkzeug:
            return "%s: %d %s: %s" % (self.name, self.status, self.reason, self.message)
        short = self.name[len("builtins."):] if self.name.startswith("builtins.") else self.name
        return "%s: %s" % (short, self.message)

    def traceback(self, protocol_frames):
        """A server traceback ending with this error, behind the given frames."""
        return "%s%s%s%s%s\n" % (self.cause, TB_HEAD, protocol_frames, self.frames,
                                 self.last_line())


class UserError(OdooError):
    name = "odoo.exceptions.UserError"


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    status = 404


class AccessError(OdooError):
    name = "odoo.exceptions.AccessError"
    status = 403
    fault_code = 4


class AccessDenied(OdooError):
    name = "odoo.exceptions.AccessDenied"
    status = 401
    fault_code = 3

    def __init__(self, message="Access Denied"):
        super().__init__(message)


class PythonError(OdooError):
    """A plain Python exception (ValueError, TypeError...): HTTP 500 / fault 1.
    ``in_call_kw``: raised by call_kw itself, not by the model method."""

    status = 500
    fault_code = 1

    def __init__(self, exc_type, message, frames="", cause="", in_call_kw=False):
        super().__init__(message, frames, cause)
        self.name = "builtins." + exc_type
        self.in_call_kw = in_call_kw


class HttpError(OdooError):
    """A werkzeug HTTP exception raised by the JSON-2 controller."""

    werkzeug = True
    fault_code = 1
    reason = "Error"

    def __init__(self, message, frames="", cause=""):
        super().__init__(message, frames, cause)


class BadRequest(HttpError):
    name, status, reason = "werkzeug.exceptions.BadRequest", 400, "Bad Request"


class Unauthorized(HttpError):
    name, status, reason = "werkzeug.exceptions.Unauthorized", 401, "Unauthorized"


class NotFound(HttpError):
    name, status, reason = "werkzeug.exceptions.NotFound", 404, "Not Found"


class UnprocessableEntity(HttpError):
    name, status, reason = ("werkzeug.exceptions.UnprocessableEntity", 422,
                            "Unprocessable Entity")


def value_error(message, method="write"):
    return PythonError("ValueError", message, method_frame(method))


def unknown_domain_field(model, field, condition, method):
    """The ValueError Odoo raises for ``('nope', '=', 1)`` in a domain."""
    message = "Invalid field %s.%s in condition %r" % (model, field, condition)
    frames = SEARCH_DOMAIN_FRAMES if method == "search_read" else method_frame(method)
    return PythonError("ValueError", message, frames,
                       UNKNOWN_FIELD_CAUSE.format(key=field.split(".")[-1]))


def missing_record(model, ids, uid, method="read"):
    """``MissingError`` with Odoo's record repr, e.g. ``maintenance.request(7,)``."""
    frames = (MISSING_ON_WRITE_FRAMES if (model, method) == ("maintenance.request", "write")
              else method_frame(method))
    return MissingError("Record does not exist or has been deleted.\n"
                        "(Record: %s%r, User: %d)" % (model, tuple(ids), uid), frames)


def unknown_model(model):
    return NotFound("the model %r does not exist" % model, UNKNOWN_MODEL_FRAME,
                    UNKNOWN_MODEL_CAUSE.format(key=model))


def invalid_apikey():
    return Unauthorized("Invalid apikey", AUTH_FRAMES)


def as_odoo_error(exc, method="call"):
    """Wrap any exception into an ``OdooError`` (unexpected ones become 500)."""
    if isinstance(exc, OdooError):
        return exc
    return PythonError(type(exc).__name__, str(exc), method_frame(method))


def call_kw_index_error(frame):
    """The IndexError of Odoo's call_kw when ``args`` lacks what it reads first."""
    return PythonError("IndexError", "list index out of range", frame, in_call_kw=True)


def record_rule_error(user_name, uid, operation, description, model):
    """The ``AccessError`` of a record hidden from the caller by a record rule."""
    message = RECORD_RULE_MESSAGE % (user_name, uid, operation, description, model)
    return AccessError(message, RECORD_RULE_FRAMES if operation == "read"
                       else method_frame(operation))
