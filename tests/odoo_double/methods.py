"""The model methods clients may call, with Odoo's Python signatures.

Signatures matter: JSON-2 binds the request body to them with
``inspect.signature(func).bind(records, **params)`` (a failure is a 422 with
Python's own message, e.g. ``missing a required argument: 'vals'``), and
XML-RPC calls them like Odoo's ``call_kw``: ``args[0]`` holds the ids for
record methods, the rest of ``args`` and ``kwargs`` go to the method.

``@model_api`` marks methods that take no ids (``@api.model`` in Odoo),
``@public`` record methods; anything else is not callable remotely.
``@versions(first, last)`` limits a method to some Odoo versions. Odoo 16's
``search``/``search_count`` name their domain ``args`` (``domain`` from 17):
``V16`` overrides them, and ``message_post`` (no ``body_is_html`` before 17).
"""

import inspect

import errors
import models
import schema


def public(func):
    func.public = True
    return func


def model_api(func):
    func.public, func.api = True, "model"
    return func


def model_create(func):
    func.public, func.api = True, "model_create"
    return func


def versions(first=0, last=999):
    def mark(func):
        func.first_version, func.last_version = first, last
        return func
    return mark


def available(func, version):
    return (getattr(func, "public", False) and getattr(func, "first_version", 0) <= version
            <= getattr(func, "last_version", 999))


class BaseModel:
    """A recordset: a model name, ids and the caller's environment."""

    def __init__(self, env, name, ids=()):
        self.env = env
        self._name = name
        self.ids = list(ids)

    def __repr__(self):
        return "%s%r" % (self._name, tuple(self.ids))

    def browse(self, ids):
        return type(self)(self.env, self._name, ids)

    def with_context(self, context):
        return type(self)(self.env.with_context(context), self._name, self.ids)

    def ensure_one(self):
        if len(self.ids) != 1:
            raise errors.PythonError("ValueError", "Expected singleton: %r" % self,
                                     errors.method_frame("ensure_one"))

    # -- reading ---------------------------------------------------------------

    @model_api
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None,
                    **read_kwargs):
        self.env.check_access(self._name, "read")
        ids = models.search_ids(self.env, self._name, domain, offset, limit or None, order,
                                method="search_read")
        return self.browse(ids).read(fields, **read_kwargs)

    @model_api
    def search(self, domain, offset=0, limit=None, order=None):
        self.env.check_access(self._name, "read")
        return models.search_ids(self.env, self._name, domain, offset, limit or None, order)

    @model_api
    def search_count(self, domain, limit=None):
        self.env.check_access(self._name, "read")
        return models.search_count(self.env, self._name, domain, limit)

    @public
    def read(self, fields=None, load="_classic_read"):
        self.env.check_access(self._name, "read")
        return models.read(self.env, self._name, self.ids, fields, load)

    @model_api
    def name_search(self, name="", domain=None, operator="ilike", limit=100):
        self.env.check_access(self._name, "read")
        domain = list(domain or [])
        if name:
            searched = "name" if "name" in self._fields() else "display_name"
            domain = [[searched, operator, name]] + domain
        ids = models.search_ids(self.env, self._name, domain, 0, limit or None, None)
        return [[rid, self.env.store.display_name(self._name, rid)] for rid in ids]

    @model_api
    def fields_get(self, allfields=None, attributes=None):
        self.env.check_access(self._name, "read")
        result = {}
        for name, field in self._fields().items():
            if allfields and name not in allfields:
                continue
            info = field.describe()
            if attributes:
                info = {k: v for k, v in info.items() if k in attributes}
            result[name] = info
        return result

    @public
    @versions(18)
    def has_access(self, operation):
        """Odoo 18+: the model's rights, and for records also the record rules."""
        if not self.env.has_access(self._name, operation):
            return False
        try:
            self.env.check_rules(self._name, self.ids, operation)
        except errors.AccessError:
            return False
        return True

    @model_api
    @versions(0, 18)
    def check_access_rights(self, operation, raise_exception=True):
        if self.env.has_access(self._name, operation):
            return True
        if raise_exception:
            self.env.check_access(self._name, operation)
        return False

    def _fields(self):
        return self.env.store.schema(self._name).fields

    # -- writing ---------------------------------------------------------------

    @model_create
    def create(self, vals_list):
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        if not isinstance(vals_list, list):
            raise errors.value_error("create() expects a dict or a list of dicts", "create")
        return models.create(self.env, self._name, vals_list)

    @public
    def write(self, vals):
        return models.write(self.env, self._name, self.ids, vals)

    @public
    def unlink(self):
        return models.unlink(self.env, self._name, self.ids)


MESSAGE_POST_EXTRA = {"email_layout_xmlid", "email_add_signature", "mail_auto_delete",
                      "model_description", "record_name", "reply_to", "outgoing_type"}


class MailThread(BaseModel):
    """Models with a chatter."""

    @public
    def message_post(self, *, body="", subject=None, message_type="notification",
                     email_from=None, author_id=None, parent_id=False, subtype_xmlid=None,
                     subtype_id=False, partner_ids=None, attachments=None,
                     attachment_ids=None, body_is_html=False, **kwargs):
        unsupported = sorted(set(kwargs) - MESSAGE_POST_EXTRA)
        if unsupported:
            raise errors.value_error("message_post doesn't support the following "
                                     "parameters: %s" % ", ".join(unsupported), "message_post")
        return self._post(body, body_is_html, message_type, subtype_xmlid, subject,
                          attachment_ids)

    def _post(self, body, body_is_html, message_type, subtype_xmlid, subject, attachment_ids):
        self.ensure_one()
        self.env.check_access(self._name, "write")
        models.ensure_exist(self.env, self._name, self.ids, "message_post")
        self.env.check_rules(self._name, self.ids, "write")
        message_id = models.post_message(self.env, self._name, self.ids[0], body, body_is_html,
                                         message_type, subtype_xmlid, subject, attachment_ids)
        # Odoo 19 returns the mail.message recordset (-> [id]); up to 18
        # @api.returns made it the id.
        return [message_id] if self.env.store.version >= 19 else message_id


class MaintenanceRequest(MailThread):
    """Buttons of the request form that really return None in Odoo (so that
    XML-RPC answers "cannot marshal None" after committing them)."""

    @public
    def archive_equipment_request(self):
        models.write(self.env, self._name, self.ids,
                     {"archive": True, "recurring_maintenance": False})

    @public
    def reset_equipment_request(self):
        models.write(self.env, self._name, self.ids,
                     {"archive": False, "stage_id": schema.first_stage(self.env)})


CLASSES = {
    "maintenance.request": MaintenanceRequest,
    "maintenance.equipment": MailThread,
    "maintenance.team": MailThread,
}


class V16:
    """Odoo 16's signatures where they differ from 17+."""

    @model_api
    def search(self, args, offset=0, limit=None, order=None, count=False):
        if count:
            return BaseModel.search_count(self, args)
        return BaseModel.search(self, args, offset, limit, order)

    @model_api
    def search_count(self, args, limit=None):
        return BaseModel.search_count(self, args, limit)

    @public
    def message_post(self, *, body="", subject=None, message_type="notification",
                     email_from=None, author_id=None, parent_id=False, subtype_xmlid=None,
                     subtype_id=False, partner_ids=None, attachments=None,
                     attachment_ids=None, add_sign=True, record_name=False, **kwargs):
        # 16 has no body_is_html: a body is HTML; unknown keywords go unused.
        return self._post(body, True, message_type, subtype_xmlid, subject, attachment_ids)


_VERSIONED = {}


def class_for(model, version):
    base = CLASSES.get(model, BaseModel)
    if version > 16:
        return base
    key = (base, version)
    if key not in _VERSIONED:
        members = {name: value for name, value in vars(V16).items()
                   if name == "search" or name == "search_count"
                   or (name == "message_post" and issubclass(base, MailThread))}
        _VERSIONED[key] = type(base.__name__ + "16", (base,), members)
    return _VERSIONED[key]


def recordset(env, model, ids=()):
    return class_for(model, env.store.version)(env, model, ids)


def normalize_ids(ids):
    if ids is None or ids is False:
        return []
    if isinstance(ids, bool) or not isinstance(ids, (int, list, tuple)):
        raise errors.PythonError("TypeError", "Invalid ids: %r" % (ids,),
                                 errors.method_frame("browse"))
    ids = [ids] if isinstance(ids, int) else list(ids)
    for rid in ids:
        if isinstance(rid, bool) or not isinstance(rid, int):
            raise errors.PythonError("TypeError", "Invalid ids: %r" % (ids,),
                                     errors.method_frame("browse"))
    return ids


def takes_ids(model_name, method, version=19):
    """True if ``method`` is a public record method (its first argument is ids)."""
    func = getattr(class_for(model_name, version), str(method), None)
    return bool(getattr(func, "public", False)) and not getattr(func, "api", None)


def find_method(model_name, method, not_found, version=19):
    """The public function ``method`` of the model, else raise ``not_found()``."""
    if method.startswith("_"):
        raise errors.AccessError("Private methods (such as '%s.%s') cannot be called remotely."
                                 % (model_name, method))
    func = getattr(class_for(model_name, version), method, None)
    if func is None or not available(func, version):
        raise not_found()
    return func


def call_kw(env, model, method, args, kwargs):
    """Odoo's ``call_kw`` as used by XML-RPC ``execute_kw``: model methods get
    ``args`` and ``kwargs`` as they come; record methods take their ids from
    ``args[0]``; ``create`` answers one id or a list depending on ``args[0]``
    — so a create with its values only in ``kwargs`` fails with IndexError
    (before anything is committed), exactly as in Odoo 16 to 19."""
    if not env.store.has_model(model):
        raise errors.UserError("Object %s doesn't exist" % model)
    func = find_method(model, method, lambda: errors.PythonError(
        "AttributeError", "The method '%s' does not exist on the model '%s'" % (method, model),
        errors.method_frame("call_kw")), env.store.version)
    args, kwargs = list(args or []), dict(kwargs or {})
    context = kwargs.pop("context", None) or {}
    api = getattr(func, "api", None)
    if api:
        recs = recordset(env, model)
    else:
        if not args:
            raise errors.call_kw_index_error(errors.CALL_KW_IDS_FRAME)
        recs = recordset(env, model, normalize_ids(args[0]))
        args = args[1:]
    if api == "model_create" and not args:
        # Odoo runs the create, then reads args[0]: the error rolls it back.
        raise errors.call_kw_index_error(errors.CALL_KW_CREATE_FRAME)
    result = _invoke(func, recs.with_context(context), args, kwargs)
    if api == "model_create" and isinstance(args[0], dict):
        return result[0]
    return result


def call_json2(env, model, method, ids, params):
    """The JSON-2 controller: bind named arguments, then call."""
    if not env.store.has_model(model):
        raise errors.unknown_model(model)
    func = find_method(model, method, lambda: errors.NotFound(
        "the method %r does not exist on the model %r" % (method, model)), env.store.version)
    recs = recordset(env, model, normalize_ids(ids))
    try:
        inspect.signature(func).bind(recs, **params)
    except TypeError as exc:
        raise errors.UnprocessableEntity(
            exc.args[0], errors.BIND_FRAME,
            errors.BIND_CAUSE.format(message=exc.args[0])) from None
    return _invoke(func, recs, [], params)


def _invoke(func, recs, args, kwargs):
    try:
        return func(recs, *args, **kwargs)
    except errors.OdooError:
        raise
    except (TypeError, ValueError) as exc:
        raise errors.PythonError(type(exc).__name__, str(exc),
                                 errors.method_frame(func.__name__)) from exc
