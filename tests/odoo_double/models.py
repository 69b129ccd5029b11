"""The record store: tables of plain dicts, searching, reading, writing.

Rows keep stored values only, in their stored form (many2one as an id or
``False``, many2many as a list of ids, dates and datetimes as Odoo strings).
Computed fields (``done``, ``display_name``, ``duration`` in 19...) are
derived when read or searched. Each table keeps its ids in ascending order so
the default orders of 100k-row tables need no sorting, and search results are
cached per store generation (bumped on every change) so paging is cheap.

All functions expect the caller to hold ``store.lock`` (one RPC = one
transaction); validation always happens before anything is changed.
"""

import base64
import bisect
import datetime as dt
import hashlib
import html
import re
import threading

import errors
import schema
from clock import DATETIME_FORMAT, parse_datetime
from domain import compile_domain, mentions_field

# Record rules of Odoo's maintenance module for users outside its groups:
# they see the requests they own or are assigned, and their own equipment.
RECORD_RULES = {
    "maintenance.request": lambda uid: ["|", ["owner_user_id", "=", uid], ["user_id", "=", uid]],
    "maintenance.equipment": lambda uid: ["|", ["owner_user_id", "=", uid],
                                          ["technician_user_id", "=", uid]],
}
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OPERATION_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}
SEARCH_CACHE_SIZE = 16


def is_empty(value):
    """False, None and "" are Odoo's empty values (0 is not)."""
    return value is False or value is None or (isinstance(value, str) and value == "")


class Table:
    """The rows of one model, by id, plus the ids in ascending order."""

    def __init__(self, model):
        self.model = model
        self.name = model.name
        self.rows = {}
        self.ids = []
        self.next_id = 1

    def insert(self, row):
        """Store ``row`` (its ``id`` is assigned unless present); returns the id."""
        if not row.get("id"):
            row["id"] = self.next_id
        rid = row["id"]
        self.next_id = max(self.next_id, rid + 1)
        self.rows[rid] = row
        if not self.ids or self.ids[-1] < rid:
            self.ids.append(rid)
        else:
            bisect.insort(self.ids, rid)
        return rid

    def remove(self, ids):
        gone = set(ids)
        for rid in gone:
            self.rows.pop(rid, None)
        self.ids = [rid for rid in self.ids if rid not in gone]


class Store:
    """All tables of one database, with the clock that stamps writes."""

    def __init__(self, version, clock):
        self.version = version
        self.clock = clock
        self.lock = threading.RLock()
        self.models = schema.models_for(version)
        self.tables = {name: Table(model) for name, model in self.models.items()}
        self.generation = 0
        self._search_cache = {}
        self._counts = (-1, None)

    def has_model(self, model):
        return model in self.tables

    def schema(self, model):
        return self.models[model]

    def table(self, model):
        return self.tables[model]

    def row(self, model, rid):
        if not rid:
            return None
        return self.tables[model].rows.get(rid)

    def touch(self):
        """Record that something changed (invalidates search caches)."""
        self.generation += 1

    def display_name(self, model, rid):
        row = self.row(model, rid)
        if row is None:
            return False
        return self.models[model].fields["display_name"].compute(self, row)

    def request_counts(self):
        """({equipment: requests}, {equipment: open requests}), cached per generation."""
        generation, counts = self._counts
        if generation == self.generation:
            return counts
        stages = self.tables["maintenance.stage"].rows
        total, open_ = {}, {}
        for row in self.tables["maintenance.request"].rows.values():
            equipment = row.get("equipment_id")
            if not equipment:
                continue
            total[equipment] = total.get(equipment, 0) + 1
            stage = stages.get(row.get("stage_id"))
            if not (stage and stage.get("done")):
                open_[equipment] = open_.get(equipment, 0) + 1
        self._counts = (self.generation, (total, open_))
        return total, open_

    def cached_search(self, key, compute):
        if self._search_cache.get("generation") != self.generation:
            self._search_cache = {"generation": self.generation}
        if key not in self._search_cache:
            if len(self._search_cache) > SEARCH_CACHE_SIZE:
                self._search_cache = {"generation": self.generation}
            self._search_cache[key] = compute()
        return self._search_cache[key]


class Env:
    """Who is calling, with which context and rights (like ``odoo.api.Environment``)."""

    def __init__(self, store, uid, context=None, readonly=False, deny=False, su=False,
                 restricted=False):
        self.store = store
        self.uid = uid
        self.context = dict(context or {})
        self.readonly = readonly
        self.deny = deny
        self.su = su
        # Not in the maintenance groups: record rules hide what is not theirs.
        self.restricted = restricted

    @property
    def clock(self):
        return self.store.clock

    def with_context(self, context):
        merged = dict(self.context)
        merged.update(context or {})
        return Env(self.store, self.uid, merged, self.readonly, self.deny, self.su,
                   self.restricted)

    def has_access(self, model, operation):
        """The model's access rights (ACL) only, like ``has_access`` on an empty recordset."""
        if self.su:
            return True
        return not (self.deny or (operation != "read" and self.readonly))

    def rule_domain(self, model):
        """The record rules that apply to the caller on ``model`` (None: none)."""
        if self.su or not self.restricted or model not in RECORD_RULES:
            return None
        return RECORD_RULES[model](self.uid)

    def check_rules(self, model, ids, operation):
        """Raise Odoo's record-rule ``AccessError`` if a record of ``ids`` is hidden."""
        domain = self.rule_domain(model)
        if domain is None or not ids:
            return
        predicate = compile_domain(self.store, model, domain)
        rows = self.store.table(model).rows
        if any(rid in rows and not predicate(rows[rid]) for rid in ids):
            user = self.store.row("res.users", self.uid) or {}
            raise errors.record_rule_error(user.get("name") or "?", self.uid, operation,
                                           self.store.schema(model).description, model)

    def check_access(self, model, operation):
        """Raise ``AccessError`` when the caller may not do ``operation`` on ``model``."""
        if self.su:
            return
        if self.deny or (operation != "read" and self.readonly):
            description = self.store.schema(model).description
            raise errors.AccessError(
                "You are not allowed to %s '%s' (%s) records.\n\n"
                "This operation is allowed for the following groups:\n"
                "\t- Maintenance/Equipment Manager\n\n"
                "Contact your administrator to request access if necessary."
                % (OPERATION_VERBS[operation], description, model),
                errors.method_frame("check_access"))


# --- searching --------------------------------------------------------------

def search_ids(env, model, domain=None, offset=0, limit=None, order=None, method="search"):
    """Ids matching ``domain`` in ``order``, sliced by offset/limit."""
    store, table = env.store, env.store.table(model)
    domain = _with_active_test(env, model, domain, method)
    rules = env.rule_domain(model)
    if rules is not None:
        domain = rules + domain
    terms = parse_order(store, model, order or store.schema(model).order)
    key = (model, repr(domain), tuple(terms))

    def compute():
        predicate = compile_domain(store, model, domain, method)
        rows = table.rows
        ids = table.ids if predicate is None else [i for i in table.ids if predicate(rows[i])]
        return sort_ids(store, table, ids, terms)

    ordered = store.cached_search(key, compute)
    offset = int(offset or 0)
    if limit is None or limit is False:
        return list(ordered[offset:])
    return list(ordered[offset:offset + int(limit)])


def _with_active_test(env, model, domain, method):
    if domain is not None and not isinstance(domain, (list, tuple)):
        raise errors.value_error("Invalid domain: %r" % (domain,), method)
    domain = [list(t) if isinstance(t, tuple) else t for t in (domain or [])]
    fields = env.store.schema(model).fields
    if ("active" in fields and env.context.get("active_test", True)
            and not mentions_field(domain, "active")):
        return [["active", "=", True]] + domain
    return domain


def parse_order(store, model, order):
    """``"write_date desc, id"`` -> [(field, descending, nulls_first)]."""
    fields = store.schema(model).fields
    terms = []
    for part in str(order).split(","):
        words = part.strip().lower().split()
        if not words:
            continue
        name = part.strip().split()[0]
        field = fields.get(name)
        if (field is None or not field.stored or len(words) > 4
                or (len(words) > 1 and words[1] not in ("asc", "desc"))):
            raise errors.value_error(
                'Invalid "order" specified (%s). A valid "order" specification is a '
                'comma-separated list of valid field names (optionally followed by '
                'asc/desc for the direction)' % order, "search")
        descending = len(words) > 1 and words[1] == "desc"
        nulls_first = descending
        if len(words) == 4 and words[2] == "nulls":
            nulls_first = words[3] == "first"
        terms.append((name, descending, nulls_first))
    return terms


def sort_ids(store, table, ids, terms):
    """Sort ``ids`` (ascending on entry) by the order terms, stably, last term first."""
    if terms and terms[-1] == ("id", False, False):
        terms = terms[:-1]              # ids are already ascending
    if not terms:
        return ids
    if terms == [("id", True, True)]:
        return ids[::-1]
    ordered = list(ids)
    for name, descending, nulls_first in reversed(terms):
        if name == "id":
            ordered.sort(reverse=descending)
            continue
        keys = _sort_keys(store, table, name, descending == nulls_first, ordered)
        position = sorted(range(len(ordered)), key=keys.__getitem__, reverse=descending)
        ordered = [ordered[i] for i in position]
    return ordered


def _sort_keys(store, table, name, null_high, ids):
    """The sort key of every id in ``ids``: (null rank, value)."""
    field = table.model.fields[name]
    rows = table.rows
    values = [rows[rid].get(name) for rid in ids]
    null_rank, value_rank = (1, 0) if null_high else (0, 1)
    if field.type == "boolean":
        return [(value_rank, bool(v)) for v in values]
    if field.type == "many2one":
        related = store.table(field.relation)
        rel_key = _related_key(store, related)
        memo = {rid: (value_rank, rel_key(rid)) for rid in set(values) if rid in related.rows}
        return [memo.get(v, (null_rank, ())) for v in values]
    if not any(v is False or v is None for v in values):
        return values                   # no NULLs: the values themselves sort right
    blank = 0 if field.type in ("integer", "float") else ""
    return [(null_rank, blank) if v is False or v is None else (value_rank, v) for v in values]


def _related_key(store, table):
    names = [t[0] for t in parse_order(store, table.name, table.model.order)]
    names = [n for n in names if table.model.fields[n].type != "many2one"]

    def key(rid):
        row = table.rows[rid]
        return tuple(_plain(row.get(n)) for n in names)
    return key


def _plain(value):
    if value is False or value is None:
        return ""
    return value


def search_count(env, model, domain=None, limit=None):
    count = len(search_ids(env, model, domain, order="id", method="search_count"))
    return min(count, int(limit)) if limit else count


# --- reading ----------------------------------------------------------------

def ensure_exist(env, model, ids, method="read"):
    rows = env.store.table(model).rows
    missing = [rid for rid in ids if rid not in rows]
    if missing:
        raise errors.missing_record(model, missing, env.uid, method)


def read(env, model, ids, fields=None, load="_classic_read"):
    """Records as Odoo's ``read`` returns them: ``id`` first, then ``fields``.
    Deleted ids are left out of the answer (no error); a record hidden by a
    record rule fails the whole call with ``AccessError``."""
    readers = field_readers(env, model, fields, load)
    env.check_rules(model, ids, "read")
    rows = env.store.table(model).rows
    result = []
    for rid in ids:
        row = rows.get(rid)
        if row is None:
            continue
        record = {"id": rid}
        for name, reader in readers:
            record[name] = reader(row)
        result.append(record)
    return result


def field_readers(env, model, fields, load):
    schema_fields = env.store.schema(model).fields
    names = list(fields) if fields else [n for n in schema_fields if n != "id"]
    readers = []
    for name in names:
        if not isinstance(name, str) or name not in schema_fields:
            raise errors.value_error("Invalid field %r on model %r" % (name, model), "read")
        if name != "id":
            readers.append((name, _reader(env.store, schema_fields[name], load)))
    return readers


def _reader(store, field, load):
    name, ftype = field.name, field.type
    raw = (lambda row: field.compute(store, row)) if field.compute else (
        lambda row: row.get(name, False))
    if ftype == "many2one":
        related = store.table(field.relation)
        memo = {}

        def many2one(row):
            rid = raw(row)
            if not rid or rid not in related.rows:
                return False
            if load != "_classic_read":
                return rid
            if rid not in memo:
                memo[rid] = store.display_name(field.relation, rid)
            return [rid, memo[rid]]
        return many2one
    if ftype in ("many2many", "one2many"):
        return lambda row: list(raw(row) or [])
    if ftype == "boolean":
        return lambda row: bool(raw(row))
    if ftype == "integer":
        return lambda row: int(raw(row) or 0)
    if ftype == "float":
        return lambda row: float(raw(row) or 0.0)
    if ftype == "properties":
        return lambda row: raw(row) or []

    def plain(row):
        value = raw(row)
        return False if is_empty(value) else value
    return plain


# --- converting written values ------------------------------------------------

def convert_vals(env, model, vals, method):
    """Validate ``vals`` and bring them to their stored form (writes to
    computed or magic fields are ignored, as Odoo ignores them)."""
    if not isinstance(vals, dict):
        raise errors.value_error("Invalid values %r for %s.%s" % (vals, model, method), method)
    fields = env.store.schema(model).fields
    clean = {}
    for name, value in vals.items():
        field = fields.get(name)
        if field is None:
            raise errors.value_error("Invalid field %r on model %r" % (name, model), method)
        if field.readonly:
            continue
        clean[name] = convert_value(env, model, field, value, method)
    return clean


def convert_value(env, model, field, value, method):
    ftype = field.type
    if value is None:
        value = False
    if ftype in ("char", "text", "html"):
        return False if is_empty(value) else str(value)
    if ftype == "selection":
        return _selection(model, field, value, method)
    if ftype == "boolean":
        return bool(value)
    if ftype == "integer":
        return int(value or 0)
    if ftype == "float":
        return float(value or 0.0)
    if ftype == "date":
        return _date(value, method)
    if ftype == "datetime":
        return _datetime(value, method)
    if ftype == "many2one":
        return _many2one(env, model, field, value, method)
    if ftype == "many2many":
        return ("m2m", _m2m_commands(env, model, field, value, method))
    if ftype == "binary":
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        return value or False
    return value


def _selection(model, field, value, method):
    if value is False:
        return False
    if value not in [key for key, _label in field.selection]:
        raise errors.value_error("Wrong value for %s.%s: %r" % (model, field.name, value), method)
    return value


def _date(value, method):
    if value is False:
        return False
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value)[:10]
    try:
        dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise errors.value_error("time data %r does not match format '%%Y-%%m-%%d'"
                                 % str(value), method) from None
    return text


def _datetime(value, method):
    """Only ``YYYY-MM-DD HH:MM:SS`` (or a bare date) is accepted, as in Odoo."""
    if value is False:
        return False
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)
    text = str(value)
    if DATE_RE.match(text):
        text += " 00:00:00"
    try:
        if not DATETIME_RE.match(text):
            raise ValueError
        parse_datetime(text)
    except ValueError:
        raise errors.value_error("time data %r does not match format '%%Y-%%m-%%d %%H:%%M:%%S'"
                                 % str(value), method) from None
    return text


def _many2one(env, model, field, value, method):
    if value is False:
        return False
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.value_error("Wrong value for %s.%s: %r" % (model, field.name, value), method)
    if env.store.row(field.relation, value) is None:
        raise _fk_error(env, model, field)
    return value


def _fk_error(env, model, field):
    return errors.ValidationError(
        "The operation cannot be completed: a referenced record does not exist.\n\n"
        "Model: %s (%s)\nField: %s (%s)\nValue does not exist in %s"
        % (env.store.schema(model).description, model, field.string, field.name,
           field.relation), errors.method_frame("write"))


def _m2m_commands(env, model, field, value, method):
    """Normalise x2many commands: (6, 0, ids), (4, id), (3, id), (5,) or a list of ids."""
    if value is False:
        return [(5,)]
    if not isinstance(value, (list, tuple)):
        raise errors.value_error("Wrong value for %s.%s: %r" % (model, field.name, value), method)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        value = [(6, 0, list(value))]
    commands = []
    for command in value:
        if not isinstance(command, (list, tuple)) or not command or command[0] not in (3, 4, 5, 6):
            raise errors.value_error("Invalid command %r for %s.%s" % (command, model, field.name),
                                     method)
        ids = list(command[2]) if command[0] == 6 else [command[1]] if command[0] in (3, 4) else []
        for rid in ids:
            if env.store.row(field.relation, rid) is None:
                raise _fk_error(env, model, field)
        commands.append((command[0], ids))
    return commands


def _apply_m2m(current, commands):
    ids = list(current or [])
    for code, values in commands:
        if code == 5:
            ids = []
        elif code == 6:
            ids = list(dict.fromkeys(values))
        elif code == 4:
            ids += [v for v in values if v not in ids]
        elif code == 3:
            ids = [v for v in ids if v not in values]
    return ids


def _apply(row, clean):
    for name, value in clean.items():
        if isinstance(value, tuple) and value and value[0] == "m2m":
            row[name] = _apply_m2m(row.get(name), value[1])
        else:
            row[name] = value


# --- creating, writing, deleting ----------------------------------------------

def create(env, model, vals_list):
    """Create records from a list of dicts; returns their ids (all or nothing)."""
    env.check_access(model, "create")
    prepared = [_prepare_create(env, model, vals) for vals in vals_list]
    table, now = env.store.table(model), env.clock.now_str()
    ids = []
    for row in prepared:
        row.update(create_date=now, write_date=now, create_uid=env.uid, write_uid=env.uid)
        ids.append(table.insert(row))
    env.store.touch()
    return ids


def _prepare_create(env, model, vals):
    clean = convert_vals(env, model, vals, "create")
    row = {}
    for field in env.store.schema(model).stored_fields:
        if field.name in clean or field.name in ("create_date", "write_date"):
            continue
        default = field.default(env) if callable(field.default) else field.default
        row[field.name] = default if default is not None else False
    _apply(row, clean)
    hooks = HOOKS.get(model)
    if hooks:
        hooks.before_create(env, row)
    _validate(env, model, row)
    return row


def write(env, model, ids, vals):
    """Odoo ``write``: one set of values on every record of ``ids``."""
    env.check_access(model, "write")
    ensure_exist(env, model, ids, "write")
    env.check_rules(model, ids, "write")
    clean = convert_vals(env, model, vals, "write")
    table, hooks = env.store.table(model), HOOKS.get(model)
    new_rows, follow_ups = {}, []
    for rid in ids:
        old = table.rows[rid]
        new = dict(old)
        _apply(new, clean)
        if hooks:
            follow_ups += hooks.on_write(env, old, new, clean)
        _validate(env, model, new)
        new_rows[rid] = new
    now = env.clock.now_str()
    for rid, new in new_rows.items():
        new.update(write_date=now, write_uid=env.uid)
        table.rows[rid] = new
    env.store.touch()
    for vals in follow_ups:
        create(Env(env.store, env.uid, env.context, su=True), model, [vals])
    return True


def unlink(env, model, ids):
    env.check_access(model, "unlink")
    ensure_exist(env, model, ids, "unlink")
    env.check_rules(model, ids, "unlink")
    env.store.table(model).remove(ids)
    _clear_references(env.store, model, set(ids))
    env.store.touch()
    return True


def _clear_references(store, model, ids):
    """Empty the many2one/many2many fields that pointed at deleted records."""
    for other in store.models.values():
        for field in other.stored_fields:
            if field.relation != model or field.name in ("create_uid", "write_uid"):
                continue
            for row in store.table(other.name).rows.values():
                value = row.get(field.name)
                if field.type == "many2one" and value in ids:
                    row[field.name] = False
                elif field.type == "many2many" and value and ids.intersection(value):
                    row[field.name] = [v for v in value if v not in ids]


def _validate(env, model, row):
    model_schema = env.store.schema(model)
    for field in model_schema.stored_fields:
        if field.required and is_empty(row.get(field.name)):
            raise errors.ValidationError(
                "The operation cannot be completed:\n"
                "- Create/update: a mandatory field is not set.\n"
                "- Delete: another model requires the record being deleted. "
                "If possible, archive it instead.\n\n"
                "Model: %s (%s)\nField: %s (%s)"
                % (model_schema.description, model, field.string, field.name),
                errors.method_frame("_validate_fields"))
    hooks = HOOKS.get(model)
    if hooks:
        hooks.check(env, row)


# --- maintenance.request business rules ----------------------------------------

class RequestRules:
    """What ``maintenance.request`` does on create/write in Odoo."""

    @staticmethod
    def stage_done(env, stage_id):
        stage = env.store.row("maintenance.stage", stage_id)
        return bool(stage and stage.get("done"))

    @staticmethod
    def duration_hours(env, row):
        if env.store.version >= 19:
            return schema.request_duration(env.store, row)
        return float(row.get("duration") or 0.0)

    @classmethod
    def before_create(cls, env, row):
        if row.get("schedule_date") and not row.get("schedule_end"):
            row["schedule_end"] = _add_hours(row["schedule_date"], 1.0)
        done = cls.stage_done(env, row.get("stage_id"))
        if row.get("close_date") and not done:
            row["close_date"] = False
        if not row.get("close_date") and done:
            row["close_date"] = env.clock.today_str()

    @classmethod
    def on_write(cls, env, old, new, clean):
        """Adjust ``new`` like Odoo's write; returns vals of records to create."""
        follow_ups = []
        if "schedule_date" in clean and "schedule_end" not in clean:
            hours = cls.duration_hours(env, old) or 1.0
            start = new.get("schedule_date")
            new["schedule_end"] = _add_hours(start, hours) if start else False
        if "stage_id" in clean:
            if "kanban_state" not in clean:
                new["kanban_state"] = "normal"
            done = cls.stage_done(env, new.get("stage_id"))
            new["close_date"] = env.clock.today_str() if done else False
            if done:
                follow_ups += cls.next_occurrence(env, old)
        return follow_ups

    @classmethod
    def next_occurrence(cls, env, old):
        """Vals of the next request of a recurring preventive one (or nothing)."""
        if old.get("maintenance_type") != "preventive" or not old.get("recurring_maintenance"):
            return []
        start = parse_datetime(old["schedule_date"]) if old.get("schedule_date") else (
            env.clock.now().replace(microsecond=0))
        start = schema.shift(start, old.get("repeat_unit") or "week",
                             int(old.get("repeat_interval") or 1))
        until = old.get("repeat_until")
        if old.get("repeat_type") == "until" and until and start.strftime("%Y-%m-%d") > until:
            return []
        vals = {name: old.get(name) for name in COPIED_REQUEST_FIELDS
                if name in env.store.schema("maintenance.request").fields}
        vals["schedule_date"] = start.strftime(DATETIME_FORMAT)
        vals["schedule_end"] = _add_hours(vals["schedule_date"],
                                          cls.duration_hours(env, old) or 1.0)
        vals["stage_id"] = schema.first_stage(env)
        return [vals]

    @staticmethod
    def check(env, row):
        start, end = row.get("schedule_date"), row.get("schedule_end")
        if start and end and end < start:
            raise errors.ValidationError("The scheduled end cannot be earlier than the "
                                         "scheduled date.", errors.method_frame("_check_dates"))
        if int(row.get("repeat_interval") or 0) < 1:
            raise errors.ValidationError("The repeat interval cannot be less than 1.",
                                         errors.method_frame("_check_repeat_interval"))


COPIED_REQUEST_FIELDS = [
    "name", "description", "priority", "user_id", "owner_user_id", "equipment_id",
    "maintenance_team_id", "company_id", "maintenance_type", "instruction_type",
    "instruction_text", "instruction_pdf", "instruction_google_slide", "recurring_maintenance",
    "repeat_interval", "repeat_unit", "repeat_type", "repeat_until", "duration"]

class AttachmentRules:
    """``ir.attachment`` computes its size and SHA-1 checksum from ``datas``."""

    @staticmethod
    def before_create(env, row):
        AttachmentRules.compute(row)

    @staticmethod
    def on_write(env, old, new, clean):
        if "datas" in clean:
            AttachmentRules.compute(new)
        return []

    @staticmethod
    def compute(row):
        data = row.get("datas")
        raw = base64.b64decode(data) if data else b""
        row["file_size"] = len(raw)
        row["checksum"] = hashlib.sha1(raw).hexdigest() if data else False

    @staticmethod
    def check(env, row):
        pass


HOOKS = {"maintenance.request": RequestRules, "ir.attachment": AttachmentRules}


def _add_hours(text, hours):
    return (parse_datetime(text) + dt.timedelta(hours=hours)).strftime(DATETIME_FORMAT)


# --- chatter ------------------------------------------------------------------

SUBTYPES = {"mail.mt_comment": 1, "mail.mt_note": 2}


def plaintext2html(text):
    """Odoo's ``plaintext2html``: escaped, line breaks kept, in one paragraph."""
    return "<p>%s</p>" % html.escape(text or "").replace("\n", "<br>")


def post_message(env, model, rid, body, body_is_html, message_type, subtype_xmlid, subject,
                 attachment_ids=None):
    """Store a chatter message on one record; returns the message id. Odoo 17+
    escapes a body that is not marked as HTML; 16 takes every body as HTML."""
    if not body_is_html and env.store.version >= 17:
        body = plaintext2html(body)
    attachments = [int(a) for a in (attachment_ids or [])]
    table = env.store.table("ir.attachment")
    if any(a not in table.rows for a in attachments):
        raise errors.missing_record("ir.attachment", [a for a in attachments
                                                      if a not in table.rows], env.uid,
                                    "message_post")
    user = env.store.row("res.users", env.uid) or {}
    row = {"model": model, "res_id": rid, "body": body or False, "subject": subject or False,
           "message_type": message_type, "subtype_xmlid": subtype_xmlid or False,
           "subtype_id": SUBTYPES.get(subtype_xmlid, False),
           "author_id": user.get("partner_id") or False, "date": env.clock.now_str(),
           "attachment_ids": attachments}
    su = Env(env.store, env.uid, su=True)
    message_id = create(su, "mail.message", [row])[0]
    for attachment in attachments:   # attachments move onto the record, as in Odoo
        table.rows[attachment].update(res_model=model, res_id=rid)
    return message_id
