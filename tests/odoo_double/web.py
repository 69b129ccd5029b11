"""HTTP responses of the double, and the werkzeug-style HTML error pages."""

import json

HTML_PAGES = {
    404: ("Not Found", "The requested URL was not found on the server. If you entered the URL "
                       "manually please check your spelling and try again."),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    415: ("Unsupported Media Type",
          "The server does not support the media type transmitted in the request."),
}


class Response:
    """Status, headers and body of one HTTP answer."""

    def __init__(self, status=200, body=b"", content_type="text/plain; charset=utf-8",
                 headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = [("Content-Type", content_type)] + list(headers or [])


class Drop:
    """Close the connection without answering (simulated network failure)."""


DROP = Drop()


def json_response(value, status=200, headers=None):
    body = json.dumps(value, ensure_ascii=False)
    return Response(status, body, "application/json; charset=utf-8", headers)


def html_error(status):
    title, text = HTML_PAGES.get(status, ("Error", "Error."))
    body = ('<!doctype html>\n<html lang=en>\n<title>%d %s</title>\n<h1>%s</h1>\n<p>%s</p>\n'
            % (status, title, title, text))
    return Response(status, body, "text/html; charset=utf-8")


NO_DATABASE_PAGE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide "
    "controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try "
    "again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n")


def no_database_selected():
    """Odoo with several databases and no dbfilter, asked without X-Odoo-Database."""
    return Response(404, NO_DATABASE_PAGE, "text/html; charset=utf-8")
