"""The test-control API under ``/__control/`` (JSON in and out, no auth, loopback only).

See README.md for every command with curl examples. Control requests are
never logged as calls, delayed or failed by fault injection.
"""

import json
from urllib.parse import parse_qs

import errors
import models
from clock import parse_datetime
from web import json_response

PREFIX = "/__control/"


class ControlError(Exception):
    pass


def handle(app, http_method, path, query, body):
    name = path[len(PREFIX):].strip("/")
    route = ROUTES.get((http_method, name))
    if route is None:
        return json_response({"error": "unknown control command %s %s" % (http_method, name),
                              "commands": sorted("%s %s" % k for k in ROUTES)}, 404)
    try:
        params = json.loads(body.decode("utf-8")) if body and body.strip() else {}
        if not isinstance(params, dict):
            raise ControlError("the body must be a JSON object")
        params.update({k: v[-1] for k, v in parse_qs(query).items()})
        return json_response(route(app, params))
    except (ControlError, ValueError, KeyError, TypeError) as exc:
        return json_response({"error": str(exc)}, 400)
    except errors.OdooError as exc:
        return json_response({"error": exc.message, "name": exc.name}, 400)


def health(app, params):
    return {"ok": True, "version": app.options.version, "db": app.options.db,
            "seed": app.seed_kind}


def reset(app, params):
    """Reseed the database and clear faults, call log, API key state and clock."""
    app.reset(params.get("seed"))
    return {"ok": True, "seed": app.seed_kind}


def latency(app, params):
    app.faults.set_latency(params.get("ms", 0))
    return app.faults.describe()


def fail(app, params):
    app.faults.add_rule(count=params.get("count", 1), mode=params.get("mode", "error"),
                        when=params.get("when", "before"), status=params.get("status", 500),
                        model=params.get("model"), method=params.get("method"),
                        protocol=params.get("protocol"))
    return app.faults.describe()


def clear_faults(app, params):
    app.faults.clear()
    return app.faults.describe()


def deny_access(app, params):
    app.faults.set_deny(params.get("on", True))
    return app.faults.describe()


def api_key(app, params):
    """``expired``: expire/restore keys; ``add``: {"key", "login"} adds a key."""
    if "add" in params:
        uid = _uid_of(app, params["add"].get("login", app.options.login))
        app.credentials.add_key(params["add"]["key"], uid)
    if "expired" in params:
        app.credentials.set_expired(params["expired"], params.get("key"))
    return app.credentials.describe()


def _uid_of(app, login):
    with app.store.lock:
        users = app.store.table("res.users")
        for uid in users.ids:
            if users.rows[uid].get("login") == login:
                return uid
    raise ControlError("no user with login %r" % login)


def clock(app, params):
    """``freeze`` (bool), ``set`` ("YYYY-MM-DD HH:MM:SS"), ``advance`` (seconds)."""
    if "freeze" in params:
        app.clock.freeze(bool(params["freeze"]))
    if params.get("set"):
        app.clock.set(parse_datetime(str(params["set"])[:19]))
    if params.get("advance"):
        app.clock.advance(float(params["advance"]))
    return app.clock.describe()


def get_clock(app, params):
    return app.clock.describe()


def _ids(params):
    ids = params.get("ids", [params["id"]] if "id" in params else None)
    if isinstance(ids, str):
        ids = [part for part in ids.split(",") if part.strip()]
    if not ids:
        raise ControlError("give id or ids")
    return [int(i) for i in ids]


def _model(app, params):
    model = params.get("model", "maintenance.request")
    if not app.store.has_model(model):
        raise ControlError("unknown model %r" % model)
    return model


def _user_env(app, params):
    return models.Env(app.store, int(params.get("uid", 2)), su=True)


def modify(app, params):
    """Write ``values`` on records as an Odoo user would (bumps write_date)."""
    model, ids = _model(app, params), _ids(params)
    with app.store.lock:
        models.write(_user_env(app, params), model, ids, params.get("values") or {})
        rows = app.store.table(model).rows
        return {"ok": True, "write_date": {str(i): rows[i]["write_date"] for i in ids}}


def create(app, params):
    """Create behind Visor's back; ``id`` gives the new record that id (a record
    restored from a backup keeps its id)."""
    model = _model(app, params)
    with app.store.lock:
        rid = models.create(_user_env(app, params), model, [params.get("values") or {}])[0]
        if params.get("id"):
            rid = _rekey(app.store, model, rid, int(params["id"]))
    return {"ok": True, "id": rid}


def _rekey(store, model, old, new):
    table = store.table(model)
    if new in table.rows:
        raise ControlError("%s %d exists" % (model, new))
    row = table.rows.pop(old)
    table.ids.remove(old)
    row["id"] = new
    table.insert(row)
    store.touch()
    return new


def unlink(app, params):
    model, ids = _model(app, params), _ids(params)
    with app.store.lock:
        models.unlink(_user_env(app, params), model, ids)
    return {"ok": True}


def state(app, params):
    """Raw stored rows (archived and inactive included); without ``model``, a summary."""
    with app.store.lock:
        if not params.get("model"):
            return {"models": {name: len(t.ids) for name, t in app.store.tables.items()},
                    "clock": app.clock.describe(), "faults": app.faults.describe(),
                    "credentials": app.credentials.describe(), "version": app.options.version}
        model = _model(app, params)
        table = app.store.table(model)
        ids = _ids(params) if ("id" in params or "ids" in params) else table.ids
        records = []
        for rid in ids:
            if rid in table.rows:
                row = {"id": rid, **table.rows[rid]}
                row["display_name"] = app.store.display_name(model, rid)
                records.append(row)
        return {"model": model, "count": len(records), "records": records}


def calls(app, params):
    """The call log, filtered by model / method / protocol / service / since (seq)."""
    since = int(params.get("since", 0))
    filters = {k: params.get(k) for k in ("model", "method", "protocol", "service")}
    entries = [e for e in app.calls.list(**filters) if e["seq"] > since]
    return {"count": len(entries), "calls": entries}


def reset_calls(app, params):
    app.calls.reset()
    return {"ok": True}


ROUTES = {
    ("GET", "health"): health,
    ("POST", "reset"): reset,
    ("POST", "latency"): latency,
    ("POST", "fail"): fail,
    ("POST", "clear_faults"): clear_faults,
    ("POST", "deny_access"): deny_access,
    ("POST", "api_key"): api_key,
    ("GET", "clock"): get_clock,
    ("POST", "clock"): clock,
    ("POST", "modify"): modify,
    ("POST", "create"): create,
    ("POST", "unlink"): unlink,
    ("GET", "state"): state,
    ("GET", "calls"): calls,
    ("POST", "calls/reset"): reset_calls,
    ("DELETE", "calls"): reset_calls,
}
