"""A controllable clock: real UTC time, optionally shifted or frozen.

Tests use it (through ``/__control/clock``) to put several writes in the
same second, which is what exposes the ``write_date > X`` rounding of Odoo.
"""

import datetime as dt
import threading

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def parse_datetime(text):
    return dt.datetime.strptime(text, DATETIME_FORMAT)


class Clock:
    """Naive-UTC clock with an offset from real time, or frozen at an instant."""

    def __init__(self):
        self._lock = threading.Lock()
        self._offset = dt.timedelta(0)
        self._frozen_at = None

    def now(self):
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return utcnow() + self._offset

    def now_str(self):
        """Whole-second timestamp as Odoo writes it in ``write_date``."""
        return self.now().strftime(DATETIME_FORMAT)

    def today_str(self):
        return self.now().strftime("%Y-%m-%d")

    @property
    def frozen(self):
        return self._frozen_at is not None

    def set(self, when):
        """Jump to ``when`` (a datetime); keeps the frozen/running state."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = when
            else:
                self._offset = when - utcnow()

    def freeze(self, frozen=True):
        current = self.now()
        with self._lock:
            if frozen:
                self._frozen_at = current
            else:
                self._frozen_at = None
                self._offset = current - utcnow()

    def advance(self, seconds):
        delta = dt.timedelta(seconds=seconds)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    def reset(self):
        with self._lock:
            self._offset = dt.timedelta(0)
            self._frozen_at = None

    def describe(self):
        now = self.now()
        return {"now": now.strftime(DATETIME_FORMAT),
                "now_precise": now.isoformat(sep=" "),
                "frozen": self.frozen}
