"""Conformance of the stand-in Odoo with the real one: every request captured
in ``tests/odoo_fixtures`` is replayed against the double, and its answer is
compared with the captured one — HTTP status, error name (JSON-2 ``name``,
XML-RPC fault code and exception type) and the shape of the result (keys,
JSON types, many2one pairs, list lengths; Odoo's ``false`` stands for an empty
value inside a record).

Most fixtures are answers only: ``CASES`` holds the request that produced
each of them (see the fixtures' README). A fixture that no case covers fails
``test_every_fixture_is_replayed``, so a capture added later cannot be
forgotten.

    cd tests/odoo_double && python3 -m unittest -q test_conformance
"""

import json
import os
import re
import unittest
import xmlrpc.client

from test_double import FIXTURES, KEY, Client, fixture, fixture_error, options

import server

BASIC_KEY = "basic-user-key"


def shape(value):
    """The shape of a decoded JSON or XML-RPC value."""
    if value is False:
        return "false"
    if value is True:
        return "true"
    if value is None:
        return "null"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        if len(value) == 2 and type(value[0]) is int and isinstance(value[1], str):
            return "m2o"
        return [shape(v) for v in value]
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    return type(value).__name__


SCALARS = {"str", "int", "float", "m2o", "true", "false"}


def differences(expected, actual, path="$", in_record=False):
    """Where ``actual`` does not have the shape of ``expected`` (empty list: same)."""
    if in_record and (expected == "false" or actual == "false"):
        if (expected in SCALARS or expected == []) and (actual in SCALARS or actual == []):
            return []       # an empty value in one answer, a value in the other
    if in_record and expected in ("true", "false") and actual in ("true", "false"):
        return []
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        if list(expected) != list(actual):
            out.append("%s: keys %s != %s" % (path, list(expected), list(actual)))
        for key in expected:
            if key in actual:
                out += differences(expected[key], actual[key], "%s.%s" % (path, key), True)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return ["%s: %d items != %d" % (path, len(expected), len(actual))]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += differences(e, a, "%s[%d]" % (path, i), in_record)
        return out
    if expected != actual:
        return ["%s: %s != %s" % (path, expected, actual)]
    return []


def by_id(records):
    return sorted(records, key=lambda r: r.get("id", 0)) if all(
        isinstance(r, dict) for r in records) else records


# --- what a captured answer says --------------------------------------------------

class Answer:
    """Status, error name and value of one answer, captured or replayed."""

    def __init__(self, status, error=None, value=None, html=False):
        self.status, self.error, self.value, self.html = status, error, value, html

    def __repr__(self):
        return "Answer(%s, %s)" % (self.status, self.error)


def fault_name(fault):
    """Fault code and, for fault 1, the exception type of the traceback's last line."""
    if fault.faultCode != 1:
        return "fault %d" % fault.faultCode
    last = fault.faultString.rstrip("\n").splitlines()[-1]
    return "fault 1 %s" % last.split(":", 1)[0]


def xml_answer(text):
    try:
        return Answer(200, value=xmlrpc.client.loads(text, use_builtin_types=True)[0][0])
    except xmlrpc.client.Fault as fault:
        return Answer(200, error=fault_name(fault))


def captured(name):
    if name.endswith(".xml"):
        return xml_answer(fixture(name))
    if name.endswith(".txt"):
        head, body = fixture(name).split("\n\n", 1)
        status = int(head.splitlines()[0].split()[1])
        if "text/html" in head:
            return Answer(status, error="html", value=body, html=True)
        status, _, body = fixture_error(name)
        return Answer(status, error=body["name"])
    value = json.loads(fixture(name))
    if isinstance(value, dict) and {"name", "message", "debug"} <= set(value):
        # A JSON-2 error body saved on its own: the status is in the file name.
        status = int(re.search(r"_(\d{3})(_|\.)", name).group(1))
        return Answer(status, error=value["name"])
    return Answer(200, value=value)


# --- replaying ------------------------------------------------------------------------

def replay_json2(client, model, method, body, key=KEY, headers=None):
    status, resp_headers, data = client.json2(model, method, body, key, headers)
    if status == 200:
        return Answer(200, value=data)
    if not resp_headers.get("Content-Type", "").startswith("application/json"):
        return Answer(status, error="html", value=data, html=True)
    return Answer(status, error=data["name"])


def replay_xml(client, service, method, params):
    return xml_answer(client.xml_raw(service, method, params))


def replay_raw_xml(client, request_fixture):
    """A captured methodCall as sent (database and key put back)."""
    text = fixture(request_fixture).replace("<api-key>", KEY)
    text = text.replace("<string>cmms</string>", "<string>odoo</string>", 1)
    status, _, data = client.request("POST", "/xmlrpc/2/object", text.encode(),
                                     {"Content-Type": "text/xml"})
    assert status == 200, status
    return xml_answer(data.decode())


def fields_of(name, index=0):
    value = captured(name).value
    return [k for k in value[index] if k != "id"]


def ids_of(name):
    return [r["id"] for r in captured(name).value]


def search_read_case(name, model, order="id"):
    def run(c):
        return replay_json2(c, model, "search_read", {
            "domain": [["id", "in", ids_of(name)]], "fields": fields_of(name), "order": order})
    return run


def xml_search_read_case(name, model):
    def run(c):
        return replay_xml(c, "object", "execute_kw", [
            "odoo", 2, KEY, model, "search_read", [[["id", "in", ids_of(name)]]],
            {"fields": fields_of(name), "order": "id"}])
    return run


def with_basic_key(run):
    def wrapped(c):
        c.control("api_key", {"add": {"login": "basic", "key": BASIC_KEY}})
        return run(c)
    return wrapped


def attachment_create(c):
    return replay_json2(c, "ir.attachment", "create",
                        json.loads(fixture("json2_attachment_create_request.json")))


def attachment_then(step):
    def run(c):
        attachment = attachment_create(c).value[0]
        return step(c, attachment)
    return run


def attachment_read(c, attachment):
    return replay_json2(c, "ir.attachment", "read", {
        "ids": [attachment], "fields": fields_of("json2_attachment_read.json")})


def attachment_find(c, attachment):
    checksum = captured("json2_attachment_read.json").value[0]["checksum"]
    return replay_json2(c, "ir.attachment", "search_read", {
        "domain": [["checksum", "=", checksum]], "fields": ["name", "checksum"]})


def message_post(c, attachment):
    body = json.loads(fixture("json2_message_post_with_attachment_request.json"))
    body["attachment_ids"] = [attachment]
    return replay_json2(c, "maintenance.request", "message_post", body)


def message_read(c, attachment):
    message = message_post(c, attachment).value[0]
    return replay_json2(c, "mail.message", "read", {
        "ids": [message], "fields": fields_of("json2_message_with_attachment_read.json")})


def read_deleted(c):
    c.control("unlink", {"ids": [20]})
    return replay_json2(c, "maintenance.request", "read", {"ids": [20], "fields": ["name"]})


# name → (the request as a function of a client, fixtures it answers,
#         server variant, how records pair up)
CASES = {
    "xmlrpc version": (lambda c: replay_xml(c, "common", "version", []),
                       ["xmlrpc_common_version.xml"]),
    "xmlrpc authenticate": (
        lambda c: replay_xml(c, "common", "authenticate", ["odoo", "admin", KEY, {}]),
        ["xmlrpc_authenticate_ok.xml"]),
    "xmlrpc authenticate refused": (
        lambda c: replay_xml(c, "common", "authenticate", ["odoo", "admin", "wrong", {}]),
        ["xmlrpc_authenticate_bad.xml"]),
    "xmlrpc create, values positional": (
        lambda c: replay_raw_xml(c, "xmlrpc_create_positional_request.xml"),
        ["xmlrpc_create_positional_ok.xml", "xmlrpc_create_positional_request.xml"]),
    "xmlrpc create, values as keyword only": (
        lambda c: replay_raw_xml(c, "xmlrpc_create_with_kwargs_only_request.xml"),
        ["xmlrpc_create_with_kwargs_only_fault.xml", "xmlrpc_create_with_kwargs_only_request.xml"]),
    "xmlrpc requests": (xml_search_read_case("xmlrpc_request_search_read.xml",
                                             "maintenance.request"),
                        ["xmlrpc_request_search_read.xml"]),
    "xmlrpc equipment": (xml_search_read_case("xmlrpc_equipment_search_read.xml",
                                              "maintenance.equipment"),
                         ["xmlrpc_equipment_search_read.xml"]),
    "xmlrpc bad credentials": (
        lambda c: replay_xml(c, "object", "execute_kw", ["odoo", 2, "wrong", "maintenance.request",
                                                         "search_read", [[]], {}]),
        ["xmlrpc_fault_access_denied.xml"]),
    "xmlrpc write on a missing record": (
        lambda c: replay_xml(c, "object", "execute_kw", ["odoo", 2, KEY, "maintenance.request",
                                                         "write", [[999999], {"name": "x"}], {}]),
        ["xmlrpc_fault_missing_record.xml"]),
    "xmlrpc unknown field in a domain": (
        lambda c: replay_xml(c, "object", "execute_kw", ["odoo", 2, KEY, "maintenance.request",
                                                         "search_read", [[["nope", "=", 1]]], {}]),
        ["xmlrpc_fault_unknown_field.xml"]),
    "json2 requests": (search_read_case("json2_request_search_read.json", "maintenance.request"),
                       ["json2_request_search_read.json"]),
    "json2 equipment": (search_read_case("json2_equipment_search_read.json",
                                         "maintenance.equipment"),
                        ["json2_equipment_search_read.json"]),
    "json2 stages": (search_read_case("json2_stage_search_read.json", "maintenance.stage"),
                     ["json2_stage_search_read.json"]),
    "json2 teams": (search_read_case("json2_team_search_read.json", "maintenance.team"),
                    ["json2_team_search_read.json"]),
    "json2 categories": (search_read_case("json2_category_search_read.json",
                                          "maintenance.equipment.category"),
                         ["json2_category_search_read.json"]),
    "json2 request with instructions": (
        lambda c: replay_json2(c, "maintenance.request", "read", {
            "ids": [6], "fields": fields_of("json2_request_with_instructions.json")}),
        ["json2_request_with_instructions.json"], "default", "position"),
    "json2 bad key": (lambda c: replay_json2(c, "maintenance.request", "search_read", {}, "bad"),
                      ["json2_error_401_bad_key.txt"]),
    "json2 write on a missing record": (
        lambda c: replay_json2(c, "maintenance.request", "write",
                               {"ids": [999999], "vals": {"name": "x"}}),
        ["json2_error_404_missing_record.txt"]),
    "json2 unknown model": (lambda c: replay_json2(c, "maintenance.nope", "search_read", {}),
                            ["json2_error_404_unknown_model.txt"]),
    "json2 missing argument": (
        lambda c: replay_json2(c, "maintenance.request", "write", {"ids": [1]}),
        ["json2_error_422_missing_argument.txt"]),
    "json2 unknown field in a domain": (
        lambda c: replay_json2(c, "maintenance.request", "search_read",
                               {"domain": [["nope", "=", 1]]}),
        ["json2_error_500_unknown_field.txt"]),
    "json2 several databases, no header": (
        lambda c: replay_json2(c, "maintenance.stage", "search_read", {}),
        ["json2_error_404_no_database_selected.txt"], "several databases"),
    "json2 user without maintenance rights: search_read": (
        with_basic_key(lambda c: replay_json2(c, "maintenance.request", "search_read",
                                              {"domain": [], "fields": ["name"]}, BASIC_KEY)),
        ["json2_search_read_user_without_maintenance_rights.json"]),
    "json2 user without maintenance rights: has_access": (
        with_basic_key(lambda c: replay_json2(c, "maintenance.request", "has_access",
                                              {"operation": "read"}, BASIC_KEY)),
        ["json2_has_access_user_without_maintenance_rights.json"]),
    "json2 user without maintenance rights: read of hidden ids": (
        with_basic_key(lambda c: replay_json2(c, "maintenance.request", "read",
                                              {"ids": [1], "fields": ["name"]}, BASIC_KEY)),
        ["json2_read_hidden_by_record_rules_403.json"]),
    "json2 read of a deleted id": (read_deleted, ["json2_read_deleted_id.json"]),
    "json2 attachment create": (attachment_create, ["json2_attachment_create.json",
                                                    "json2_attachment_create_request.json"]),
    "json2 attachment read": (attachment_then(attachment_read), ["json2_attachment_read.json"],
                              "default", "position"),
    "json2 attachment found by checksum": (attachment_then(attachment_find),
                                           ["json2_attachment_find_by_checksum.json"],
                                           "default", "position"),
    "json2 message_post with an attachment": (
        attachment_then(message_post), ["json2_message_post_with_attachment.json",
                                        "json2_message_post_with_attachment_request.json"]),
    "json2 the note with its attachment": (attachment_then(message_read),
                                           ["json2_message_with_attachment_read.json"],
                                           "default", "position"),
    "json2 a machine without documents": (
        lambda c: replay_json2(c, "ir.attachment", "search_read", {
            "domain": [["res_model", "=", "maintenance.equipment"], ["res_id", "=", 9]],
            "fields": ["name", "mimetype", "file_size"]}),
        ["json2_equipment_attachments_search_read.json"]),
}

# The captured answer of a case whose fixtures hold its request too.
ANSWER_OF = {
    "xmlrpc create, values positional": "xmlrpc_create_positional_ok.xml",
    "xmlrpc create, values as keyword only": "xmlrpc_create_with_kwargs_only_fault.xml",
    "json2 attachment create": "json2_attachment_create.json",
    "json2 message_post with an attachment": "json2_message_post_with_attachment.json",
}


def parts(case):
    run, files = case[0], case[1]
    variant = case[2] if len(case) > 2 else "default"
    pairing = case[3] if len(case) > 3 else "id"
    return run, files, variant, pairing


class Conformance(unittest.TestCase):
    """Each captured request, replayed on a freshly seeded Odoo 19 double."""

    @classmethod
    def setUpClass(cls):
        cls.servers = {"default": server.start(options()),
                       "several databases": server.start(options(extra_db=["other"]))}
        cls.clients = {k: Client(s.port) for k, s in cls.servers.items()}

    @classmethod
    def tearDownClass(cls):
        for srv in cls.servers.values():
            server.stop(srv)

    def test_every_fixture_is_replayed(self):
        covered = {f for case in CASES.values() for f in parts(case)[1]}
        present = {f for f in os.listdir(FIXTURES) if f != "README.md"}
        self.assertEqual(set(), present - covered, "fixtures no case replays")
        self.assertEqual(set(), covered - present, "cases naming fixtures that do not exist")

    def test_replayed_answers_match_the_captures(self):
        for name, case in CASES.items():
            run, files, variant, pairing = parts(case)
            with self.subTest(name):
                client = self.clients[variant]
                client.control("reset")
                expected = captured(ANSWER_OF.get(name, files[0]))
                actual = run(client)
                self.assertEqual((expected.status, expected.error), (actual.status, actual.error))
                if expected.html:
                    self.assertEqual(expected.value, actual.value)
                    continue
                if expected.error:
                    continue
                want, got = expected.value, actual.value
                if isinstance(want, list) and pairing == "id":
                    want, got = by_id(want), by_id(got)
                    if want and isinstance(want[0], dict) and "id" in want[0]:
                        self.assertEqual([r["id"] for r in want], [r["id"] for r in got])
                self.assertEqual([], differences(shape(want), shape(got)))

    def test_shape_comparison_catches_what_matters(self):
        # The comparison itself must be able to fail.
        self.assertTrue(differences(shape([1]), shape(1)))
        self.assertTrue(differences(shape(False), shape(2)))            # top level: strict
        self.assertTrue(differences(shape([{"id": 1, "a": 1}]), shape([{"id": 1}])))
        self.assertTrue(differences(shape([{"id": 1, "a": [1, "x"]}]),
                                    shape([{"id": 1, "a": 1}])))
        self.assertTrue(differences(shape([1, 2]), shape([1])))
        self.assertFalse(differences(shape([{"id": 1, "a": False}]),
                                     shape([{"id": 1, "a": [3, "y"]}])))


if __name__ == "__main__":
    unittest.main()
