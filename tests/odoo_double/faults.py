"""Fault injection and the log of received RPC calls.

Faults apply to RPC endpoints only (XML-RPC and JSON-2, never ``/__control``):

* latency: sleep before handling every call;
* failure rules: the next N matching calls fail, either *before* running
  (nothing committed) or *after* running (committed, but the client gets a
  failure: the case that tests exactly-once delivery). A failure is an Odoo
  server error (JSON-2 HTTP 500 / XML-RPC fault 1), a bare HTTP status as a
  reverse proxy would answer, or a dropped connection;
* deny access: every model method raises ``AccessError``.
"""

import datetime as dt
import threading
import time

import errors
from web import DROP, Response

INJECTED_MESSAGE = "odoo_double: injected failure"
MODES = ("error", "http", "drop")
WHEN = ("before", "after")


class Faults:
    """The current fault settings (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self.latency_ms = 0
            self.deny_access = False
            self.rules = []

    def set_latency(self, ms):
        with self._lock:
            self.latency_ms = max(0, int(ms))

    def set_deny(self, on):
        with self._lock:
            self.deny_access = bool(on)

    def add_rule(self, count=1, mode="error", when="before", status=500, model=None,
                 method=None, protocol=None):
        if mode not in MODES or when not in WHEN:
            raise ValueError("mode must be one of %s and when one of %s" % (MODES, WHEN))
        rule = {"count": int(count), "mode": mode, "when": when, "status": int(status),
                "model": model, "method": method, "protocol": protocol}
        with self._lock:
            if rule["count"] > 0:
                self.rules.append(rule)
        return rule

    def take(self, call):
        """Consume one failure of the first rule matching ``call`` (or None)."""
        with self._lock:
            for rule in self.rules:
                if all(rule[k] in (None, call.get(k)) for k in ("model", "method", "protocol")):
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self.rules.remove(rule)
                    return dict(rule)
        return None

    def describe(self):
        with self._lock:
            return {"latency_ms": self.latency_ms, "deny_access": self.deny_access,
                    "rules": [dict(r) for r in self.rules]}


class CallLog:
    """Every RPC call received, in order, with its outcome."""

    def __init__(self, clock):
        self._lock = threading.Lock()
        self._clock = clock
        self.reset()

    def reset(self):
        with self._lock:
            self.entries = []
            self.seq = 0

    def begin(self, protocol, service, model=None, method=None, ids=None, params=None):
        with self._lock:
            self.seq += 1
            entry = {"seq": self.seq, "protocol": protocol, "service": service,
                     "model": model, "method": method, "ids": summarize(ids),
                     "params": summarize(params), "uid": None,
                     "received_at": self._clock.now().isoformat(sep=" "),
                     "outcome": "pending", "committed": False}
            self.entries.append(entry)
            return entry

    def list(self, **filters):
        with self._lock:
            return [dict(e) for e in self.entries
                    if all(v in (None, "") or str(e.get(k)) == str(v) for k, v in filters.items())
                    ]


def summarize(value, depth=0):
    """A JSON-safe, bounded copy of call arguments for the log."""
    if isinstance(value, dict):
        return {str(k): summarize(v, depth + 1) for k, v in list(value.items())[:100]}
    if isinstance(value, (list, tuple)):
        items = [summarize(v, depth + 1) for v in list(value)[:100]]
        if len(value) > 100:
            items.append("... %d more" % (len(value) - 100))
        return items
    if isinstance(value, str):
        return value if len(value) <= 2000 else value[:2000] + "..."
    if isinstance(value, (bytes, bytearray)):
        return "<%d bytes>" % len(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return repr(value)


def injected_error():
    return errors.PythonError("RuntimeError", INJECTED_MESSAGE, errors.method_frame("execute"))


def run_call(app, call, execute, render_error):
    """Apply latency and failure rules around ``execute()`` for one RPC call.

    ``execute()`` does the work and returns a Response (it marks
    ``call["committed"]``); ``render_error(OdooError)`` renders an error the
    way the protocol does.
    """
    latency = app.faults.latency_ms
    if latency:
        time.sleep(latency / 1000.0)
    rule = app.faults.take(call)
    if rule and rule["when"] == "before":
        call["outcome"] = "injected_%s_before" % rule["mode"]
        return _injected(rule, render_error)
    response = execute()
    if rule:
        call["outcome"] = "injected_%s_after" % rule["mode"]
        return _injected(rule, render_error)
    return response


def _injected(rule, render_error):
    if rule["mode"] == "drop":
        return DROP
    if rule["mode"] == "http":
        return Response(rule["status"], "injected HTTP %d\n" % rule["status"])
    return render_error(injected_error())
