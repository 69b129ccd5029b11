"""Who may call: user passwords, API keys (which can expire), read-only users
and users without maintenance rights.

As in Odoo, an API key works both as the XML-RPC password of its user and as
the JSON-2 bearer token.
"""

import threading


class Credentials:
    """Passwords by uid, API keys by secret, and the set of read-only uids."""

    def __init__(self):
        self._lock = threading.Lock()
        self.passwords = {}
        self.keys = {}
        self.readonly_uids = set()
        self.restricted_uids = set()

    def add_user(self, uid, password, readonly=False, restricted=False):
        """``restricted``: an internal user outside the maintenance groups (record
        rules hide the requests and equipment that are not theirs)."""
        with self._lock:
            self.passwords[uid] = password
            if readonly:
                self.readonly_uids.add(uid)
            if restricted:
                self.restricted_uids.add(uid)

    def add_key(self, key, uid):
        with self._lock:
            self.keys[key] = {"uid": uid, "expired": False}

    def set_expired(self, expired, key=None):
        """Expire (or restore) one key, or every key when ``key`` is None."""
        with self._lock:
            for secret, info in self.keys.items():
                if key is None or secret == key:
                    info["expired"] = bool(expired)

    def key_uid(self, secret):
        """The uid of a valid (not expired) API key, else None."""
        with self._lock:
            info = self.keys.get(secret)
            if info and not info["expired"]:
                return info["uid"]
            return None

    def check(self, uid, secret):
        """True if ``secret`` is the password or a valid API key of ``uid``."""
        if not isinstance(secret, str) or not secret:
            return False
        with self._lock:
            if self.passwords.get(uid) == secret:
                return True
        return self.key_uid(secret) == uid

    def is_readonly(self, uid):
        return uid in self.readonly_uids

    def is_restricted(self, uid):
        return uid in self.restricted_uids

    def describe(self):
        with self._lock:
            return {"users": sorted(self.passwords),
                    "readonly_uids": sorted(self.readonly_uids),
                    "restricted_uids": sorted(self.restricted_uids),
                    "keys": [{"uid": info["uid"], "expired": info["expired"],
                              "key_prefix": secret[:4]} for secret, info in self.keys.items()]}


def login_uid(store, login):
    """The uid of the active user with this login, else None."""
    if not isinstance(login, str):
        return None
    users = store.table("res.users")
    for uid in users.ids:
        row = users.rows[uid]
        if row.get("login") == login and row.get("active"):
            return uid
    return None


def authenticate(store, credentials, login, secret):
    """Odoo's ``common.authenticate``: the uid, or None."""
    uid = login_uid(store, login)
    if uid is not None and credentials.check(uid, secret):
        return uid
    return None


def uid_is_active(store, uid):
    row = store.row("res.users", uid) if isinstance(uid, int) and not isinstance(uid, bool) else None
    return bool(row and row.get("active"))
