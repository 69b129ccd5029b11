"""Self-tests of the stand-in Odoo: wire shapes against the captured fixtures,
Odoo's quirks (write_date rounding, singleton, cannot-marshal-None), errors,
business rules and every fault-injection control.

    cd tests/odoo_double && python3 -m unittest -q test_double
"""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xmlrpc.client
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import server  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "odoo_fixtures")
KEY = "test-api-key-0123456789"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
TIMESTAMP_FIELDS = {"request_date", "close_date", "write_date", "create_date", "assign_date",
                    "effective_date"}


def options(**overrides):
    values = dict(port=0, port_file=None, version=19, db="odoo", api_key=KEY, login="admin",
                  password="admin", seed="demo", verbose=False)
    values.update(overrides)
    return SimpleNamespace(**values)


def fixture(name):
    path = os.path.join(FIXTURES, name)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def fixture_error(name):
    """(status, headers dict, body dict) of a captured JSON-2 error."""
    head, body = fixture(name).split("\n\n", 1)
    lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


class Client:
    """Small HTTP helpers around one running double."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=b"", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body, headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def json2(self, model, method, body=None, key=KEY, headers=None):
        hdrs = {"Content-Type": "application/json"}
        if key is not None:
            hdrs["Authorization"] = "bearer %s" % key
        hdrs.update(headers or {})
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        status, resp_headers, data = self.request("POST", "/json/2/%s/%s" % (model, method),
                                                  raw, hdrs)
        if resp_headers.get("Content-Type", "").startswith("application/json"):
            return status, resp_headers, json.loads(data)
        return status, resp_headers, data.decode()

    def ok(self, model, method, body=None, key=KEY):
        status, _, data = self.json2(model, method, body, key)
        if status != 200:
            raise AssertionError("HTTP %d: %s" % (status, data))
        return data

    def xml_raw(self, service, method, params):
        body = xmlrpc.client.dumps(tuple(params), method).encode()
        status, _, data = self.request("POST", "/xmlrpc/2/%s" % service, body,
                                       {"Content-Type": "text/xml"})
        assert status == 200, status
        return data.decode()

    def call(self, service, method, *params):
        url = "http://127.0.0.1:%d/xmlrpc/2/%s" % (self.port, service)
        with xmlrpc.client.ServerProxy(url) as proxy:
            return getattr(proxy, method)(*params)

    def execute(self, model, method, args, kwargs=None, uid=2, password="admin"):
        return self.call("object", "execute_kw", "odoo", uid, password, model, method, args,
                         kwargs or {})

    def control(self, command, body=None, method="POST"):
        raw = json.dumps(body).encode() if body is not None else b""
        status, _, data = self.request(method, "/__control/" + command, raw,
                                       {"Content-Type": "application/json"})
        assert status == 200, (status, data)
        return json.loads(data)

    def state(self, model, rid=None):
        query = "state?model=%s" % model + ("&id=%d" % rid if rid else "")
        return self.control(query, method="GET")["records"]


class DoubleTestCase(unittest.TestCase):
    """One Odoo 19 double for the class, reseeded before every test."""

    @classmethod
    def setUpClass(cls):
        cls.server = server.start(options())
        cls.client = Client(cls.server.port)

    @classmethod
    def tearDownClass(cls):
        server.stop(cls.server)

    def setUp(self):
        self.client.control("reset")

    def assertFault(self, code, call, *args, contains=None):
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            call(*args)
        self.assertEqual(ctx.exception.faultCode, code, ctx.exception.faultString)
        if contains:
            self.assertIn(contains, ctx.exception.faultString)
        return ctx.exception


def without_timestamps(record):
    return {k: v for k, v in record.items() if k not in TIMESTAMP_FIELDS}


def shape(value):
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        return "m2o"
    return type(value).__name__


class FixtureShapes(DoubleTestCase):
    """Answers match the captured Odoo 19 responses."""

    def assertTimestamps(self, record):
        for name in TIMESTAMP_FIELDS & set(record):
            value = record[name]
            if value is not False:
                datetime = name in ("write_date", "create_date")
                self.assertRegex(value, DATETIME_RE if datetime else DATE_RE, name)

    def compare_records(self, expected, actual, exact_ids):
        self.assertEqual([list(r) for r in expected], [list(r) for r in actual])  # key order
        for exp, act in zip(expected, actual):
            self.assertTimestamps(act)
            if exp["id"] in exact_ids:
                self.assertEqual(without_timestamps(exp), without_timestamps(act))
            for name in exp:
                if exp[name] is not False and act[name] is not False:
                    self.assertEqual(shape(exp[name]), shape(act[name]), name)

    def json_fixture_check(self, name, model, ids, exact_ids, order="id asc"):
        expected = [r for r in json.loads(fixture(name)) if r["id"] in ids]
        fields = [k for k in expected[0] if k != "id"]
        actual = self.client.ok(model, "search_read", {
            "domain": [["id", "in", ids]], "fields": fields, "order": order})
        self.compare_records(expected, actual, exact_ids)

    def test_json2_requests(self):
        self.json_fixture_check("json2_request_search_read.json", "maintenance.request",
                                [1, 2, 3, 4, 5], {1, 2, 3, 4, 5})

    def test_json2_equipment(self):
        expected = json.loads(fixture("json2_equipment_search_read.json"))
        counts = ("maintenance_count", "maintenance_open_count")
        fields = [k for k in expected[0] if k != "id"]
        actual = self.client.ok("maintenance.equipment", "search_read",
                                {"fields": fields, "domain": [["id", "<=", 8]]})
        self.assertEqual([list(r) for r in expected], [list(r) for r in actual])
        for exp, act in zip(expected, actual):
            self.assertEqual({k: v for k, v in without_timestamps(exp).items() if k not in counts},
                             {k: v for k, v in without_timestamps(act).items() if k not in counts})

    def test_json2_stages_teams_categories(self):
        for name, model in (("json2_stage_search_read.json", "maintenance.stage"),
                            ("json2_team_search_read.json", "maintenance.team"),
                            ("json2_category_search_read.json", "maintenance.equipment.category")):
            expected = json.loads(fixture(name))
            ids = [r["id"] for r in expected]
            self.json_fixture_check(name, model, ids, set(ids))

    def test_json2_request_with_instructions(self):
        expected = json.loads(fixture("json2_request_with_instructions.json"))[0]
        fields = [k for k in expected if k != "id"]
        actual = self.client.ok("maintenance.request", "read", {"ids": [6], "fields": fields})[0]
        self.assertEqual(list(expected), list(actual))
        self.assertEqual(expected["instruction_text"], actual["instruction_text"])
        self.assertEqual(actual["duration"], 1.5)
        for name in expected:
            self.assertEqual(shape(expected[name]), shape(actual[name]), name)

    def test_xmlrpc_version_and_authenticate_are_byte_identical(self):
        self.assertEqual(fixture("xmlrpc_common_version.xml"),
                         self.client.xml_raw("common", "version", []))
        self.assertEqual(fixture("xmlrpc_authenticate_ok.xml"),
                         self.client.xml_raw("common", "authenticate",
                                             ["odoo", "admin", "admin", {}]))
        self.assertEqual(fixture("xmlrpc_authenticate_bad.xml"),
                         self.client.xml_raw("common", "authenticate",
                                             ["odoo", "admin", "wrong", {}]))

    def test_xmlrpc_faults_are_byte_identical(self):
        self.assertEqual(fixture("xmlrpc_fault_access_denied.xml"),
                         self.client.xml_raw("object", "execute_kw",
                                             ["odoo", 2, "wrong", "maintenance.request",
                                              "search_read", [[]], {}]))
        self.assertEqual(fixture("xmlrpc_fault_missing_record.xml"),
                         self.client.xml_raw("object", "execute_kw",
                                             ["odoo", 2, "admin", "maintenance.request", "write",
                                              [[999999], {"name": "x"}], {}]))
        self.assertEqual(fixture("xmlrpc_fault_unknown_field.xml"),
                         self.client.xml_raw("object", "execute_kw",
                                             ["odoo", 2, KEY, "maintenance.request",
                                              "search_read", [[["nope", "=", 1]]], {}]))

    def test_xmlrpc_search_read_matches_fixture(self):
        text = fixture("xmlrpc_request_search_read.xml")
        expected = [r for r in xmlrpc.client.loads(text)[0][0] if r["id"] <= 5]
        fields = [k for k in expected[0] if k != "id"]
        raw = self.client.xml_raw("object", "execute_kw", [
            "odoo", 2, "admin", "maintenance.request", "search_read",
            [[["id", "<=", 5]]], {"fields": fields, "order": "id"}])
        self.assertTrue(raw.startswith('<?xml version="1.0"?>\n<methodResponse>\n<params>\n'))
        self.assertTrue(raw.endswith("</params>\n\n</methodResponse>\n"))
        self.assertNotIn("dateTime.iso8601", raw)
        self.assertNotIn("<nil/>", raw)
        self.compare_records(expected, xmlrpc.client.loads(raw)[0][0], {1, 2, 3, 4, 5})

    def test_xmlrpc_equipment_matches_fixture(self):
        text = fixture("xmlrpc_equipment_search_read.xml")
        expected = xmlrpc.client.loads(text)[0][0]
        fields = [k for k in expected[0] if k != "id"]
        actual = self.client.execute("maintenance.equipment", "search_read",
                                     [[["id", "in", [r["id"] for r in expected]]]],
                                     {"fields": fields, "order": "id"})
        self.assertEqual([list(r) for r in expected], [list(r) for r in actual])

    def test_json2_errors_match_fixtures(self):
        cases = [
            ("json2_error_401_bad_key.txt", "maintenance.request", "search_read", {}, "bad"),
            ("json2_error_404_unknown_model.txt", "maintenance.nope", "search_read", {}, KEY),
            ("json2_error_404_missing_record.txt", "maintenance.request", "write",
             {"ids": [999999], "vals": {"name": "x"}}, KEY),
            ("json2_error_422_missing_argument.txt", "maintenance.request", "write",
             {"ids": [1]}, KEY),
            ("json2_error_500_unknown_field.txt", "maintenance.request", "search_read",
             {"domain": [["nope", "=", 1]]}, KEY),
        ]
        for name, model, method, body, key in cases:
            with self.subTest(name):
                status, headers, expected = fixture_error(name)
                got_status, got_headers, got = self.client.json2(model, method, body, key)
                self.assertEqual(status, got_status)
                self.assertEqual(expected, got)
                self.assertEqual(headers["Content-Type"], got_headers["Content-Type"])
                if "WWW-Authenticate" in headers:
                    self.assertEqual(headers["WWW-Authenticate"].strip(),
                                     got_headers["WWW-Authenticate"].strip())


class WriteDateRounding(DoubleTestCase):
    """``('write_date', '>', X)`` is ``>= X + 1 s``; several writes share a second."""

    def test_greater_than_misses_rows_of_the_same_second(self):
        clock = self.client.control("clock", {"freeze": True, "set": "2030-01-01 10:00:00"})
        self.assertTrue(clock["frozen"])
        self.client.ok("maintenance.request", "write", {"ids": [1], "vals": {"name": "a"}})
        self.client.control("clock", {"advance": 0.5})
        self.client.ok("maintenance.request", "write", {"ids": [2], "vals": {"name": "b"}})
        stamp = "2030-01-01 10:00:00"
        rows = self.client.ok("maintenance.request", "search_read",
                              {"domain": [["write_date", ">=", stamp]], "fields": ["write_date"]})
        self.assertEqual({1, 2}, {r["id"] for r in rows})
        self.assertEqual({stamp}, {r["write_date"] for r in rows})
        later = self.client.ok("maintenance.request", "search",
                               {"domain": [["write_date", ">", stamp]]})
        self.assertEqual([], later)
        self.client.control("clock", {"advance": 0.5})       # 10:00:01.0
        self.client.control("modify", {"id": 3, "values": {"priority": "1"}})
        later = self.client.ok("maintenance.request", "search",
                               {"domain": [["write_date", ">", stamp]]})
        self.assertEqual([3], later)
        clock = self.client.control("clock", method="GET")
        self.assertEqual("2030-01-01 10:00:01", clock["now"])


class Quirks(DoubleTestCase):

    def test_message_post_needs_exactly_one_record(self):
        body = {"ids": [1, 2], "body": "<p>hi</p>", "body_is_html": True,
                "message_type": "comment", "subtype_xmlid": "mail.mt_note"}
        status, _, error = self.client.json2("maintenance.request", "message_post", body)
        self.assertEqual(500, status)
        self.assertEqual("Expected singleton: maintenance.request(1, 2)", error["message"])
        self.assertEqual("builtins.ValueError", error["name"])
        fault = self.assertFault(1, self.client.execute, "maintenance.request", "message_post",
                                 [[1, 2]], {"body": "x"})
        self.assertIn("ValueError: Expected singleton: maintenance.request(1, 2)",
                      fault.faultString)
        body["ids"] = [1]
        message_ids = self.client.ok("maintenance.request", "message_post", body)
        self.assertEqual(1, len(message_ids))
        messages = self.client.state("mail.message", message_ids[0])
        self.assertEqual("<p>hi</p>", messages[0]["body"])
        self.assertEqual(("maintenance.request", 1), (messages[0]["model"], messages[0]["res_id"]))
        plain = self.client.execute("maintenance.request", "message_post", [[1]],
                                    {"body": "a < b", "message_type": "comment"})
        self.assertEqual("<p>a &lt; b</p>",
                         self.client.state("mail.message", plain[0])[0]["body"])

    def test_none_result_cannot_be_marshalled_but_is_committed(self):
        fault = self.assertFault(1, self.client.execute, "maintenance.request",
                                 "archive_equipment_request", [[2]])
        self.assertTrue(fault.faultString.rstrip().endswith(
            "TypeError: cannot marshal None unless allow_none is enabled"))
        self.assertTrue(self.client.state("maintenance.request", 2)[0]["archive"])
        self.assertIsNone(self.client.ok("maintenance.request", "reset_equipment_request",
                                         {"ids": [2]}))
        self.assertFalse(self.client.state("maintenance.request", 2)[0]["archive"])

    def test_archived_requests_are_returned_inactive_equipment_is_not(self):
        ids = self.client.ok("maintenance.request", "search", {"domain": []})
        self.assertIn(11, ids)
        self.assertEqual(sorted(ids, reverse=True), ids)          # default order id desc
        equipment = self.client.ok("maintenance.equipment", "search", {"domain": []})
        self.assertNotIn(11, equipment)
        with_inactive = self.client.ok("maintenance.equipment", "search",
                                       {"domain": [["active", "in", [True, False]]]})
        self.assertIn(11, with_inactive)
        by_context = self.client.ok("maintenance.equipment", "search",
                                    {"domain": [], "context": {"active_test": False}})
        self.assertIn(11, by_context)
        self.assertEqual("Old Lathe/LT/1998/7", self.client.ok(
            "maintenance.equipment", "read", {"ids": [11], "fields": ["display_name"]})[0][
                "display_name"])
        self.assertEqual("Air Compressor", self.client.ok(
            "maintenance.equipment", "read", {"ids": [10], "fields": ["display_name"]})[0][
                "display_name"])


class Domains(DoubleTestCase):

    def search(self, domain, model="maintenance.request"):
        return sorted(self.client.ok(model, "search", {"domain": domain}))

    def test_operators(self):
        self.assertEqual([1, 2], self.search([["id", "in", [1, 2]]]))
        self.assertEqual([2, 3], self.search(["|", ["id", "=", 2], ["id", "=", 3]]))
        self.assertNotIn(2, self.search(["!", ["id", "=", 2]]))
        self.assertEqual([6, 9, 12, 15], self.search([["maintenance_type", "=", "preventive"]]))
        self.assertEqual([2, 6, 11], self.search([["user_id", "=", 2], ["stage_id", "=", 1]]))
        self.assertEqual([17, 20], self.search([["user_id", "=", False]]))
        self.assertEqual(self.search([["done", "=", True]]),
                         self.search([["stage_id.done", "=", True]]))
        self.assertEqual([1, 3, 10, 14, 19], self.search([["done", "=", True]]))
        self.assertEqual([18], self.search([["name", "ilike", "HYDRAULIC"]]))
        self.assertEqual([], self.search([["name", "like", "HYDRAULIC"]]))
        self.assertEqual([7], self.search([["name", "=like", "Printer%"]]))
        self.assertEqual([7, 18], self.search([["priority", "=", "3"]]))
        self.assertNotIn(7, self.search([["priority", "not in", ["3"]]]))
        self.assertIn(1, self.search([["priority", "not in", ["3"]]]))   # NULL included
        self.assertIn(1, self.search([["priority", "!=", "3"]]))
        self.assertEqual([12], self.search([["maintenance_team_id", "=", 2]]))
        today = self.client.control("clock", method="GET")["now"][:10]
        self.assertEqual([12], self.search([["schedule_date", "<", today]]))
        self.assertEqual([6, 9, 15], self.search([["schedule_date", ">=", today]]))
        self.assertEqual([6, 9, 15, 18],            # Hydraulic Press, Air Compressor
                         self.search([["equipment_id", "ilike", "press"]]))
        self.assertEqual([6, 10, 15, 18],           # inactive equipment 11 still joins
                         self.search([["equipment_id.category_id", "=", 6],
                                      ["equipment_id", "!=", 10]]))

    def test_order_offset_limit_count(self):
        rows = self.client.ok("maintenance.request", "search_read", {
            "domain": [], "fields": ["name"], "order": "name asc", "limit": 3, "offset": 1})
        names = [r["name"] for r in self.client.ok("maintenance.request", "search_read", {
            "fields": ["name"], "order": "name"})]
        self.assertEqual(sorted(names), names)
        self.assertEqual(names[1:4], [r["name"] for r in rows])
        self.assertEqual(20, self.client.ok("maintenance.request", "search_count",
                                            {"domain": []}))
        stages = self.client.ok("maintenance.request", "search_read", {
            "fields": ["stage_id"], "order": "stage_id desc, id"})
        self.assertEqual(4, stages[0]["stage_id"][0])
        self.assertEqual(1, stages[-1]["stage_id"][0])

    def test_bad_domains(self):
        status, _, error = self.client.json2("maintenance.request", "search_read",
                                             {"domain": [["stage_id.nope", "=", 1]]})
        self.assertEqual(500, status)
        self.assertIn("Invalid field maintenance.stage.nope", error["message"])
        status, _, error = self.client.json2("maintenance.request", "search_read",
                                             {"domain": [["id", "~~", 1]]})
        self.assertEqual(500, status)
        status, _, error = self.client.json2("maintenance.request", "search_read",
                                             {"order": "nope desc"})
        self.assertEqual(500, status)


class BusinessRules(DoubleTestCase):

    def read(self, rid, fields):
        return self.client.ok("maintenance.request", "read", {"ids": [rid], "fields": fields})[0]

    def test_stage_change_resets_kanban_and_sets_close_date(self):
        self.assertEqual("blocked", self.read(7, ["kanban_state"])["kanban_state"])
        self.client.ok("maintenance.request", "write", {"ids": [7], "vals": {"stage_id": 3}})
        record = self.read(7, ["kanban_state", "close_date", "done"])
        self.assertEqual("normal", record["kanban_state"])
        self.assertRegex(record["close_date"], DATE_RE)
        self.assertTrue(record["done"])
        self.client.ok("maintenance.request", "write", {"ids": [7], "vals": {"stage_id": 2}})
        self.assertFalse(self.read(7, ["close_date"])["close_date"])

    def test_recurring_request_creates_next_occurrence(self):
        before = self.read(6, ["schedule_date", "schedule_end"])
        self.client.ok("maintenance.request", "write", {"ids": [6], "vals": {"stage_id": 3}})
        new = self.client.ok("maintenance.request", "search_read", {
            "domain": [["name", "=", "Press 3 quarterly inspection"], ["id", "!=", 6]],
            "fields": ["schedule_date", "schedule_end", "stage_id", "close_date", "duration",
                       "instruction_text", "recurring_maintenance"]})
        self.assertEqual(1, len(new))
        start = before["schedule_date"]
        month, year = int(start[5:7]) + 3, int(start[:4])
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        self.assertEqual("%04d-%02d" % (year, month), new[0]["schedule_date"][:7])
        self.assertEqual(start[10:], new[0]["schedule_date"][10:])
        self.assertEqual([1, "New Request"], new[0]["stage_id"])
        self.assertFalse(new[0]["close_date"])
        self.assertEqual(1.5, new[0]["duration"])
        self.assertTrue(new[0]["recurring_maintenance"])

    def test_recurrence_stops_after_repeat_until(self):
        self.client.control("modify", {"id": 9, "values": {"repeat_until": "2000-01-01"}})
        count = self.client.ok("maintenance.request", "search_count", {"domain": []})
        self.client.ok("maintenance.request", "write", {"ids": [9], "vals": {"stage_id": 3}})
        self.assertEqual(count, self.client.ok("maintenance.request", "search_count",
                                               {"domain": []}))

    def test_schedule_end_default_validation_and_duration(self):
        ids = self.client.ok("maintenance.request", "create", {
            "vals_list": {"name": "one", "schedule_date": "2030-05-01 08:00:00"}})
        self.assertEqual(1, len(ids))
        record = self.read(ids[0], ["schedule_end", "duration", "maintenance_team_id",
                                    "company_id", "stage_id", "priority", "kanban_state"])
        self.assertEqual("2030-05-01 09:00:00", record["schedule_end"])
        self.assertEqual(1.0, record["duration"])
        self.assertEqual(1, record["maintenance_team_id"][0])
        self.assertEqual([1, "YourCompany"], record["company_id"])
        self.assertEqual(1, record["stage_id"][0])
        self.assertFalse(record["priority"])
        self.client.ok("maintenance.request", "write", {"ids": ids, "vals": {"duration": 9}})
        self.assertEqual(1.0, self.read(ids[0], ["duration"])["duration"])
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": ids, "vals": {"schedule_end": "2030-05-01 07:00:00"}})
        self.assertEqual(422, status)
        self.assertEqual("odoo.exceptions.ValidationError", error["name"])
        self.client.ok("maintenance.request", "write", {
            "ids": ids, "vals": {"schedule_end": "2030-05-01 10:30:00"}})
        self.assertEqual(2.5, self.read(ids[0], ["duration"])["duration"])

    def test_create_returns_like_odoo(self):
        self.assertIsInstance(self.client.execute("maintenance.request", "create",
                                                  [{"name": "single"}]), int)
        self.assertEqual(2, len(self.client.execute("maintenance.request", "create",
                                                    [[{"name": "a"}, {"name": "b"}]])))
        # Odoo's call_kw reads args[0] after a create: values only in kwargs fail
        # (fixture xmlrpc_create_with_kwargs_only_fault.xml) and nothing is created.
        count = self.client.ok("maintenance.request", "search_count", {"domain": []})
        fault = self.assertFault(1, self.client.execute, "maintenance.request", "create", [],
                                 {"vals_list": [{"name": "kw"}]})
        self.assertEqual(fixture("xmlrpc_create_with_kwargs_only_fault.xml").rstrip("\n"),
                         self.client.xml_raw("object", "execute_kw", [
                             "odoo", 2, "admin", "maintenance.request", "create", [],
                             {"vals_list": [{"name": "kw"}]}]).rstrip("\n"))
        self.assertTrue(fault.faultString.endswith("IndexError: list index out of range\n"))
        self.assertEqual(count, self.client.ok("maintenance.request", "search_count",
                                               {"domain": []}))
        self.assertEqual(2, len(self.client.ok("maintenance.request", "create", {
            "vals_list": [{"name": "c"}, {"name": "d"}]})))
        status, _, error = self.client.json2("maintenance.request", "create",
                                             {"vals_list": [{"description": "no name"}]})
        self.assertEqual(422, status)

    def test_write_unlink_and_missing_records(self):
        self.assertTrue(self.client.execute("maintenance.request", "write",
                                            [[1], {"name": "renamed"}]))
        self.assertTrue(self.client.execute("maintenance.request", "write", [[2]],
                                            {"vals": {"name": "kw"}}))
        self.assertEqual("kw", self.read(2, ["name"])["name"])
        self.assertTrue(self.client.ok("maintenance.request", "unlink", {"ids": [1]}))
        # read leaves deleted ids out (fixture json2_read_deleted_id.json): no error.
        self.assertEqual([], self.client.execute("maintenance.request", "read", [[1]]))
        self.assertEqual([2], [r["id"] for r in self.client.ok(
            "maintenance.request", "read", {"ids": [1, 2], "fields": ["name"]})])
        fault = self.assertFault(2, self.client.execute, "maintenance.request", "write",
                                 [[1], {"name": "gone"}])
        self.assertIn("Record does not exist or has been deleted.", fault.faultString)
        status, _, _ = self.client.json2("maintenance.request", "unlink", {"ids": [1]})
        self.assertEqual(404, status)

    def test_nulls_and_dates_in_writes(self):
        self.client.ok("maintenance.request", "write", {"ids": [6], "vals": {
            "user_id": None, "description": None, "schedule_date": "2030-01-01 10:00:00"}})
        record = self.read(6, ["user_id", "description", "schedule_date", "schedule_end"])
        self.assertFalse(record["user_id"])
        self.assertFalse(record["description"])
        self.assertEqual("2030-01-01 11:30:00", record["schedule_end"])   # keeps 1.5 h
        for bad in ("2026-01-01T10:00:00", "2026-01-01 10:00:00Z",
                    "2026-01-01 10:00:00+00:00"):
            status, _, error = self.client.json2("maintenance.request", "write", {
                "ids": [6], "vals": {"schedule_date": bad}})
            self.assertEqual((500, "builtins.ValueError"), (status, error["name"]), bad)


class ErrorStatuses(DoubleTestCase):

    def test_transport_level_errors(self):
        status, _, _ = self.client.json2("maintenance.request", "search", b"{not json")
        self.assertEqual(400, status)
        status, headers, body = self.client.json2("maintenance.request", "search", {},
                                                  headers={"Content-Type": "text/plain"})
        self.assertEqual(415, status)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        status, headers, body = self.client.json2("maintenance.request", "search", {},
                                                  headers={"X-Odoo-Database": "other"})
        self.assertEqual(404, status)
        self.assertIn("<title>404 Not Found</title>", body)
        status, _, _ = self.client.json2("maintenance.request", "search",
                                         {"domain": []}, headers={"X-Odoo-Database": "odoo"})
        self.assertEqual(200, status)
        status, headers, error = self.client.json2("maintenance.request", "search", {}, key=None)
        self.assertEqual(401, status)
        self.assertEqual("Bearer", headers["WWW-Authenticate"].strip())

    def test_method_level_errors(self):
        status, _, error = self.client.json2("maintenance.request", "nope", {})
        self.assertEqual(404, status)
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": [1], "vals": {"priority": "7"}})
        self.assertEqual((500, "builtins.ValueError"), (status, error["name"]))
        self.assertIn("Wrong value for maintenance.request.priority: '7'", error["message"])
        status, _, error = self.client.json2("maintenance.request", "search_read",
                                             {"domain": [], "nope": 1})
        self.assertEqual((500, "builtins.TypeError"), (status, error["name"]))
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": [1], "vals": {"name": "x"}, "nope": 1})
        self.assertEqual(422, status)
        status, _, error = self.client.json2("maintenance.request", "message_post", {
            "ids": [1], "body": "x", "nope": 1})
        self.assertEqual((500, "builtins.ValueError"), (status, error["name"]))
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": [1], "vals": {"nope": 1}})
        self.assertEqual(500, status)
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": [1], "vals": {"stage_id": 999}})
        self.assertEqual(422, status)

    def test_user_without_maintenance_rights_sees_nothing_and_read_tells_why(self):
        # Fixtures json2_search_read_user_without_maintenance_rights.json,
        # json2_has_access_..., json2_read_hidden_by_record_rules_403.json.
        self.client.control("api_key", {"add": {"login": "basic", "key": "basic-key"}})
        self.assertEqual([], self.client.ok("maintenance.request", "search_read",
                                            {"domain": [], "fields": ["name"]}, key="basic-key"))
        self.assertEqual([], self.client.ok("maintenance.equipment", "search",
                                            {"domain": []}, key="basic-key"))
        self.assertEqual(0, self.client.ok("maintenance.request", "search_count",
                                           {"domain": []}, key="basic-key"))
        self.assertTrue(self.client.ok("maintenance.request", "has_access",
                                       {"operation": "read"}, key="basic-key"))
        self.assertEqual(4, len(self.client.ok("maintenance.stage", "search",
                                               {"domain": []}, key="basic-key")))
        status, _, error = self.client.json2("maintenance.request", "read",
                                             {"ids": [1], "fields": ["name"]}, key="basic-key")
        self.assertEqual((403, "odoo.exceptions.AccessError"), (status, error["name"]))
        self.assertEqual(json.loads(fixture("json2_read_hidden_by_record_rules_403.json")),
                         error)
        self.client.control("unlink", {"ids": [20]})
        self.assertEqual([], self.client.ok("maintenance.request", "read",
                                            {"ids": [20], "fields": ["name"]}, key="basic-key"))
        fault = self.assertFault(4, self.client.execute, "maintenance.request", "read", [[1]],
                                 None, 7, "basic")
        self.assertIn("doesn't have 'read' access", fault.faultString)
        # What is theirs they do see.
        self.client.control("modify", {"id": 4, "values": {"user_id": 7}})
        self.assertEqual([4], self.client.ok("maintenance.request", "search", {"domain": []},
                                             key="basic-key"))

    def test_readonly_user_gets_access_errors(self):
        self.client.control("api_key", {"add": {"login": "readonly", "key": "ro-key"}})
        self.assertTrue(self.client.ok("maintenance.request", "search", {"domain": []},
                                       key="ro-key"))
        status, _, error = self.client.json2("maintenance.request", "write", {
            "ids": [1], "vals": {"name": "x"}}, key="ro-key")
        self.assertEqual((403, "odoo.exceptions.AccessError"), (status, error["name"]))
        self.assertFault(4, self.client.execute, "maintenance.request", "write",
                         [[1], {"name": "x"}], None, 6, "readonly")

    def test_xmlrpc_errors(self):
        self.assertFault(2, self.client.execute, "maintenance.nope", "search", [[]])
        self.assertFault(1, self.client.execute, "maintenance.request", "nope", [[]])
        self.assertFault(4, self.client.execute, "maintenance.request", "_private", [[]])
        self.assertFault(1, self.client.execute, "maintenance.request", "write", [[1]])
        self.assertFault(3, self.client.execute, "maintenance.request", "search", [[]], None,
                         99, "admin")
        fault = self.assertFault(1, self.client.call, "common", "authenticate", "nodb", "admin",
                                 "admin", {})
        self.assertIn('database "nodb" does not exist', fault.faultString)
        self.assertEqual(5, self.client.call("common", "login", "odoo", "demo", "demo"))

    def test_web_version(self):
        status, _, body = self.client.request("GET", "/web/version")
        self.assertEqual(200, status)
        self.assertEqual({"version": "19.0", "version_info": [19, 0, 0, "final", 0, ""]},
                         json.loads(body))


class FaultInjection(DoubleTestCase):

    def search(self):
        return self.client.json2("maintenance.stage", "search", {"domain": []})

    def test_fail_next_calls(self):
        self.client.control("fail", {"count": 2})
        self.assertEqual(500, self.search()[0])
        self.assertFault(1, self.client.execute, "maintenance.stage", "search", [[]],
                         contains="injected failure")
        self.assertEqual(200, self.search()[0])
        self.client.control("fail", {"count": 1, "mode": "http", "status": 503})
        self.assertEqual(503, self.search()[0])

    def test_fail_only_matching_calls(self):
        self.client.control("fail", {"count": 1, "method": "write", "protocol": "json2"})
        self.assertEqual(200, self.search()[0])
        status, _, _ = self.client.json2("maintenance.request", "write",
                                         {"ids": [1], "vals": {"name": "x"}})
        self.assertEqual(500, status)
        self.assertNotEqual("x", self.client.state("maintenance.request", 1)[0]["name"])

    def test_drop_connection_before_and_after(self):
        self.client.control("fail", {"count": 1, "mode": "drop"})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.client.json2("maintenance.request", "write", {"ids": [1], "vals": {"name": "a"}})
        self.assertNotEqual("a", self.client.state("maintenance.request", 1)[0]["name"])
        self.client.control("fail", {"count": 1, "mode": "drop", "when": "after"})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            # raw HTTP: xmlrpc.client.ServerProxy would silently retry a dropped call
            self.client.xml_raw("object", "execute_kw", ["odoo", 2, "admin",
                                                         "maintenance.request", "write",
                                                         [[1], {"name": "b"}], {}])
        self.assertEqual("b", self.client.state("maintenance.request", 1)[0]["name"])
        calls = self.client.control("calls?method=write", method="GET")["calls"]
        self.assertEqual(["injected_drop_before", "injected_drop_after"],
                         [c["outcome"] for c in calls])
        self.assertEqual([False, True], [c["committed"] for c in calls])

    def test_error_after_commit(self):
        self.client.control("fail", {"count": 1, "when": "after", "method": "create"})
        status, _, _ = self.client.json2("maintenance.request", "create",
                                         {"vals_list": [{"name": "ghost"}]})
        self.assertEqual(500, status)
        ids = self.client.ok("maintenance.request", "search",
                             {"domain": [["name", "=", "ghost"]]})
        self.assertEqual(1, len(ids))

    def test_latency(self):
        self.client.control("latency", {"ms": 200})
        start = time.monotonic()
        self.search()
        self.assertGreaterEqual(time.monotonic() - start, 0.19)
        self.client.control("latency", {"ms": 0})

    def test_expired_key(self):
        self.client.control("api_key", {"expired": True})
        status, headers, error = self.search()
        self.assertEqual(401, status)
        self.assertEqual("Invalid apikey", error["message"])
        self.assertFalse(self.client.call("common", "authenticate", "odoo", "admin", KEY, {}))
        self.assertFault(3, self.client.execute, "maintenance.stage", "search", [[]], None,
                         2, KEY)
        self.assertTrue(self.client.execute("maintenance.stage", "search", [[]]))  # password
        self.client.control("api_key", {"expired": False})
        self.assertEqual(200, self.search()[0])

    def test_deny_access(self):
        self.client.control("deny_access", {"on": True})
        status, _, error = self.search()
        self.assertEqual((403, "odoo.exceptions.AccessError"), (status, error["name"]))
        self.assertFault(4, self.client.execute, "maintenance.stage", "search", [[]])
        self.client.control("deny_access", {"on": False})
        self.assertEqual(200, self.search()[0])

    def test_modify_state_calls_and_reset(self):
        before = self.client.state("maintenance.request", 4)[0]
        self.client.control("clock", {"advance": 5})
        self.client.control("modify", {"id": 4, "values": {"stage_id": 3}})
        after = self.client.state("maintenance.request", 4)[0]
        self.assertGreater(after["write_date"], before["write_date"])
        self.assertTrue(after["close_date"])
        self.client.control("calls/reset")
        self.client.ok("maintenance.request", "write", {"ids": [4], "vals": {"name": "x"}})
        self.client.execute("maintenance.request", "read", [[4]], {"fields": ["name"]})
        calls = self.client.control("calls", method="GET")["calls"]
        self.assertEqual([("json2", "write", 2), ("xmlrpc", "read", 2)],
                         [(c["protocol"], c["method"], c["uid"]) for c in calls])
        self.assertEqual({"name": "x"}, calls[0]["params"]["vals"])
        self.assertEqual([[4], [4]], [c["ids"] for c in calls])
        self.assertNotIn("admin", json.dumps(calls[1]["params"]))
        self.client.control("reset")
        self.assertEqual(before["name"], self.client.state("maintenance.request", 4)[0]["name"])
        self.assertEqual(0, self.client.control("calls", method="GET")["count"])
        self.assertEqual(1, len(self.client.state("maintenance.equipment", 11)))


class Version17(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = server.start(options(version=17, seed="none"))
        cls.client = Client(cls.server.port)

    @classmethod
    def tearDownClass(cls):
        server.stop(cls.server)

    def test_v17_differences(self):
        status, _, _ = self.client.json2("maintenance.request", "search", {"domain": []})
        self.assertEqual(404, status)
        self.assertEqual(404, self.client.request("GET", "/web/version")[0])
        self.assertEqual("17.0", self.client.call("common", "version")["server_version"])
        eid = self.client.execute("maintenance.equipment", "create",
                                  [{"name": "Press", "location": "Hall B"}])
        self.assertEqual("Hall B", self.client.execute("maintenance.equipment", "read", [[eid]],
                                                       {"fields": ["location"]})[0]["location"])
        rid = self.client.execute("maintenance.request", "create",
                                  [{"name": "r", "duration": 2.5}])
        self.assertEqual(2.5, self.client.execute("maintenance.request", "read", [[rid]],
                                                  {"fields": ["duration"]})[0]["duration"])
        fields = self.client.execute("maintenance.request", "fields_get", [],
                                     {"attributes": ["type"]})
        self.assertNotIn("schedule_end", fields)      # 19 only
        self.assertFalse(self.client.execute("maintenance.request", "fields_get", [],
                                             {"attributes": ["readonly"]})["duration"]["readonly"])
        message = self.client.execute("maintenance.request", "message_post", [[rid]],
                                      {"body": "x", "body_is_html": True})
        self.assertIsInstance(message, int)
        with self.assertRaises(xmlrpc.client.Fault):   # 18+
            self.client.execute("maintenance.request", "has_access", [[]], {"operation": "read"})
        self.assertTrue(self.client.execute("maintenance.request", "check_access_rights",
                                            ["read"]))


class Versions(unittest.TestCase):
    """What differs between Odoo 16, 17, 18 and 19, as the dialects expect it."""

    def start(self, version):
        srv = server.start(options(version=version))
        self.addCleanup(server.stop, srv)
        return Client(srv.port)

    def test_16_names_the_search_domain_args_and_has_no_body_is_html(self):
        client = self.start(16)
        self.assertEqual("16.0", client.call("common", "version")["server_version"])
        with self.assertRaises(xmlrpc.client.Fault):
            client.execute("maintenance.request", "search", [], {"domain": []})
        self.assertEqual(20, len(client.execute("maintenance.request", "search", [[]])))
        self.assertEqual(20, len(client.execute("maintenance.request", "search", [],
                                                {"args": []})))
        self.assertEqual(20, client.execute("maintenance.request", "search_count", [[]]))
        with self.assertRaises(xmlrpc.client.Fault) as ctx:
            client.execute("maintenance.request", "search_count", [], {"domain": []})
        self.assertIn("TypeError", ctx.exception.faultString)
        message = client.execute("maintenance.request", "message_post", [[1]],
                                 {"body": "<p>a <b>b</b></p>"})
        self.assertEqual("<p>a <b>b</b></p>", client.state("mail.message", message)[0]["body"])
        self.assertIn("location", client.execute("maintenance.equipment", "fields_get", [],
                                                 {"attributes": ["type"]}))

    def test_18_has_access_and_no_schedule_end(self):
        client = self.start(18)
        # Seeded durations come from the demo's end dates: request 9 lasts 2.5 h.
        self.assertEqual(2.5, client.execute("maintenance.request", "read", [[9]],
                                             {"fields": ["duration"]})[0]["duration"])
        self.assertTrue(client.execute("maintenance.request", "has_access", [[]],
                                       {"operation": "read"}))
        fields = client.execute("maintenance.request", "fields_get", [], {"attributes": ["type"]})
        self.assertNotIn("schedule_end", fields)
        self.assertIn("location", client.execute("maintenance.equipment", "fields_get", [],
                                                 {"attributes": ["type"]}))

    def test_19_computes_duration_and_drops_location(self):
        client = self.start(19)
        fields = client.ok("maintenance.request", "fields_get", {"attributes": ["readonly"]})
        self.assertTrue(fields["duration"]["readonly"])
        self.assertIn("schedule_end", fields)
        self.assertNotIn("location", client.ok("maintenance.equipment", "fields_get",
                                               {"attributes": ["type"]}))
        with self.assertRaises(xmlrpc.client.Fault):
            client.execute("maintenance.request", "check_access_rights", ["read"])

    def test_several_databases_need_the_header(self):
        srv = server.start(options(extra_db=["other"]))
        self.addCleanup(server.stop, srv)
        client = Client(srv.port)
        status, headers, body = client.json2("maintenance.stage", "search", {"domain": []})
        self.assertEqual(404, status)
        self.assertEqual(fixture("json2_error_404_no_database_selected.txt").split("\n\n", 1)[1],
                         body)
        status, _, ids = client.json2("maintenance.stage", "search", {"domain": []},
                                      headers={"X-Odoo-Database": "odoo"})
        self.assertEqual((200, 4), (status, len(ids)))

    def test_date_header_follows_the_clock(self):
        client = self.start(19)
        client.control("clock", {"freeze": True, "set": "2030-01-01 10:00:00"})
        _, headers, _ = client.request("GET", "/web/version")
        self.assertEqual("Tue, 01 Jan 2030 10:00:00 GMT", headers["Date"])


class Bulk(unittest.TestCase):

    def test_bulk_seed_paging(self):
        srv = server.start(options(seed="bulk:20000:50"))
        try:
            client = Client(srv.port)
            self.assertEqual(20000, client.ok("maintenance.request", "search_count",
                                              {"domain": []}))
            seen = []
            for offset in range(0, 20000, 5000):
                page = client.ok("maintenance.request", "search_read", {
                    "fields": ["name", "stage_id", "equipment_id", "write_date"],
                    "offset": offset, "limit": 5000})
                seen += [r["id"] for r in page]
            self.assertEqual(list(range(20000, 0, -1)), seen)
            self.assertEqual(50, client.ok("maintenance.equipment", "search_count",
                                           {"domain": []}))
        finally:
            server.stop(srv)


class CommandLine(unittest.TestCase):

    def test_port_file_banner_and_sigterm(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port")
            proc = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "server.py"), "--port", "0",
                 "--port-file", port_file, "--seed", "none", "--api-key", KEY],
                stdout=subprocess.PIPE, text=True)
            try:
                line = proc.stdout.readline()
                with open(port_file) as handle:
                    port = int(handle.read())
                self.assertEqual("listening on http://127.0.0.1:%d\n" % port, line)
                status, _, _ = Client(port).request("GET", "/__control/health")
                self.assertEqual(200, status)
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(0, proc.wait(timeout=5))
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.stdout.close()


if __name__ == "__main__":
    unittest.main()
