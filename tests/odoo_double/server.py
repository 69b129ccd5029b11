#!/usr/bin/env python3
"""A stand-in Odoo (16, 17, 18 or 19) for hermetic tests of Visor's connector.

    python3 server.py --port 0 --port-file PATH [--version 16|17|18|19] [--db odoo]
        [--extra-db NAME] [--api-key KEY] [--login admin --password admin]
        [--seed demo|none|bulk:REQUESTS:EQUIPMENT] [--verbose]

Serves XML-RPC (/xmlrpc/2/...), JSON-2 (/json/2/..., version 19 only),
GET /web/version and the test-control API (/__control/...) on 127.0.0.1.
Python 3.11 standard library only. See README.md.
"""

import argparse
import datetime as dt
import email.utils
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import auth  # noqa: E402
import control  # noqa: E402
import json2_api  # noqa: E402
import seed  # noqa: E402
import xmlrpc_api  # noqa: E402
from clock import Clock  # noqa: E402
from faults import CallLog, Faults  # noqa: E402
from models import Env, Store  # noqa: E402
from web import DROP, html_error, json_response  # noqa: E402

XMLRPC_PATHS = {
    "/xmlrpc/2/common": "common", "/xmlrpc/2/object": "object", "/xmlrpc/2/db": "db",
    "/xmlrpc/common": "common", "/xmlrpc/object": "object", "/xmlrpc/db": "db",
}


class App:
    """Everything one double serves: options, store, credentials, faults, log."""

    def __init__(self, options):
        self.options = options
        self.clock = Clock()
        self.faults = Faults()
        self.calls = CallLog(self.clock)
        self.seed_kind = options.seed
        self.reset()

    def reset(self, seed_kind=None):
        """Rebuild the database from a seed; clear faults, log, keys and clock."""
        self.seed_kind = seed_kind or self.seed_kind
        self.clock.reset()
        self.faults.clear()
        self.calls.reset()
        store = Store(self.options.version, self.clock)
        seed.load(store, self.seed_kind, self.options.login)
        credentials = auth.Credentials()
        credentials.add_user(seed.ADMIN_UID, self.options.password)
        credentials.add_user(seed.DEMO_UID, "demo")
        credentials.add_user(seed.READONLY_UID, "readonly", readonly=True)
        credentials.add_user(seed.BASIC_UID, "basic", restricted=True)
        if self.options.api_key:
            credentials.add_key(self.options.api_key, seed.ADMIN_UID)
        self.store, self.credentials = store, credentials

    def env_for(self, uid):
        return Env(self.store, uid, readonly=self.credentials.is_readonly(uid),
                   deny=self.faults.deny_access,
                   restricted=self.credentials.is_restricted(uid))

    def databases(self):
        return [self.options.db] + list(getattr(self.options, "extra_db", None) or [])

    def version_info(self):
        major = self.options.version
        return {"server_version": "%d.0" % major,
                "server_version_info": [major, 0, 0, "final", 0, ""],
                "server_serie": "%d.0" % major, "protocol_version": 1}


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the XML-RPC, JSON-2, version and control handlers."""
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle
    # and the client's delayed ACK add ~40 ms to every call.
    disable_nagle_algorithm = True

    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.11"

    def date_time_string(self, timestamp=None):
        """The Date header from the double's clock (Odoo's clock, as tests set it)."""
        if timestamp is None and hasattr(self.server, "app"):
            now = self.server.app.clock.now()
            return email.utils.format_datetime(now.replace(tzinfo=dt.timezone.utc), usegmt=True)
        return super().date_time_string(timestamp)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_DELETE(self):
        self._serve("DELETE")

    def do_PUT(self):
        self._serve("PUT")

    def _serve(self, http_method):
        app = self.server.app
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        response = self._route(app, http_method, url.path, url.query, body)
        if response is DROP:
            self._drop()
        else:
            self._send(response)

    def _route(self, app, http_method, path, query, body):
        if path.startswith(control.PREFIX):
            if self.client_address[0] not in ("127.0.0.1", "::1"):
                return html_error(404)
            return control.handle(app, http_method, path, query, body)
        if path.startswith(json2_api.PREFIX):
            return json2_api.handle(app, http_method, path, self.headers, body)
        if path.rstrip("/") in XMLRPC_PATHS:
            if http_method != "POST":
                return html_error(405)
            return xmlrpc_api.handle(app, XMLRPC_PATHS[path.rstrip("/")], body)
        if path == "/web/version" and app.options.version >= 19 and http_method == "GET":
            info = app.version_info()
            return json_response({"version": info["server_version"],
                                  "version_info": info["server_version_info"]})
        return html_error(404)

    def _read_body(self):
        """The request body (Content-Length or chunked); None if the client is gone."""
        try:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._read_chunked()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length > 0 else b""
        except (OSError, ValueError):
            self.close_connection = True
            return None

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, response):
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True

    def _drop(self):
        """Close the socket without a byte of answer (fault injection)."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(2)
        except OSError:
            pass

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("odoo_double: %s - %s\n" % (self.address_string(), fmt % args))


class DoubleServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app, port, verbose=False):
        super().__init__(("127.0.0.1", port), Handler)
        self.app = app
        self.verbose = verbose

    @property
    def port(self):
        return self.server_address[1]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Stand-in Odoo for Visor's tests.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--version", type=int, choices=(16, 17, 18, 19), default=19)
    parser.add_argument("--db", default="odoo")
    parser.add_argument("--extra-db", action="append", default=[],
                        help="another database on the server (no dbfilter): JSON-2 calls "
                             "then need X-Odoo-Database")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--seed", default="demo")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


def start(options):
    """Build and start a server in a background thread; returns it (see ``.port``)."""
    server = DoubleServer(App(options), options.port, getattr(options, "verbose", False))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="odoo_double", daemon=True)
    thread.start()
    server.thread = thread
    return server


def stop(server):
    server.shutdown()
    server.server_close()


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as handle:
        handle.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    options = parse_args(argv)
    try:
        server = start(options)
    except ValueError as exc:
        sys.stderr.write("odoo_double: %s\n" % exc)
        return 2
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    if options.port_file:
        write_port_file(options.port_file, server.port)
    print("listening on http://127.0.0.1:%d" % server.port, flush=True)
    while not done.wait(0.1):
        pass
    stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
