"""Odoo search domains compiled into Python predicates over stored rows.

Supports Polish-notation domains with ``&``, ``|`` and ``!`` (consecutive
terms are implicitly and-ed), leaves ``(path, operator, value)`` where the path
may follow many2one fields (``stage_id.done``), and the operators
``= != < <= > >= in, not in, like, not like, ilike, not ilike, =like, =ilike,
=?, any, not any``. NULL semantics follow PostgreSQL as Odoo uses them:
``!=`` and ``not in`` also match empty values, comparisons never do.

The one deliberate oddity: on datetime fields ``(f, '>', X)`` means
``(f, '>=', X + 1 s)`` exactly like Odoo (values have whole-second precision).
"""

import datetime as dt
import re

import errors
from clock import DATETIME_FORMAT

OPERATOR_ALIASES = {"==": "=", "<>": "!="}
OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "not like", "ilike",
             "not ilike", "=like", "=ilike", "=?", "any", "not any"}
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?$")
TRUE_LEAF, FALSE_LEAF = (1, "=", 1), (0, "=", 1)


def always(row):
    return True


def never(row):
    return False


def mentions_field(domain, name):
    """True if a leaf of ``domain`` starts with field ``name`` (e.g. ``active``)."""
    for term in domain or []:
        if isinstance(term, (list, tuple)) and term and isinstance(term[0], str):
            if term[0].split(".")[0] == name:
                return True
    return False


def compile_domain(store, model, domain, method="search"):
    """A predicate ``row -> bool`` for ``domain`` on ``model``, or None for "all rows"."""
    terms = list(domain or [])
    if not terms:
        return None
    nodes, pos = [], 0
    while pos < len(terms):
        node, pos = _parse(store, model, terms, pos, method)
        nodes.append(node)
    return _all_of(nodes)


def _parse(store, model, terms, pos, method):
    term = terms[pos]
    if term == "!":
        inner, pos = _parse(store, model, terms, pos + 1, method)
        return (lambda row: not inner(row)), pos
    if term in ("&", "|"):
        left, pos = _parse(store, model, terms, pos + 1, method)
        right, pos = _parse(store, model, terms, pos, method)
        if term == "&":
            return (lambda row: left(row) and right(row)), pos
        return (lambda row: left(row) or right(row)), pos
    return compile_leaf(store, model, term, method), pos + 1


def _all_of(nodes):
    if len(nodes) == 1:
        return nodes[0]
    if len(nodes) == 2:
        first, second = nodes
        return lambda row: first(row) and second(row)

    def every(row):
        for node in nodes:
            if not node(row):
                return False
        return True
    return every


def _bad_domain(domain_repr):
    return errors.value_error("Invalid domain: %s" % domain_repr, "search")


def compile_leaf(store, model, leaf, method):
    if not isinstance(leaf, (list, tuple)) or len(leaf) != 3:
        raise _bad_domain(repr(leaf))
    path, operator, value = leaf
    if tuple(leaf) == TRUE_LEAF:
        return always
    if tuple(leaf) == FALSE_LEAF:
        return never
    condition = (path, operator, value)
    if not isinstance(path, str) or not isinstance(operator, str):
        raise _bad_domain(repr(condition))
    operator = OPERATOR_ALIASES.get(operator.lower(), operator.lower())
    if operator not in OPERATORS:
        raise errors.value_error("Invalid operator %r in condition %r" % (operator, condition),
                                 method)
    field, getter = resolve_path(store, model, path, condition, method)
    return _predicate(store, field, getter, operator, value, condition, method)


def resolve_path(store, model, path, condition, method):
    """(last field, getter row -> value) for a possibly dotted ``path``."""
    parts = path.split(".")
    field = _field(store, model, parts[0], condition, method)
    getter = _getter(store, field)
    for part in parts[1:]:
        if field.type != "many2one":
            raise errors.value_error("Invalid path %r in condition %r" % (path, condition),
                                     method)
        sub_field = _field(store, field.relation, part, condition, method)
        getter = _chain(store.table(field.relation), getter, _getter(store, sub_field))
        field = sub_field
    return field, getter


def _field(store, model, name, condition, method):
    field = store.schema(model).fields.get(name)
    if field is None:
        raise errors.unknown_domain_field(model, name, condition, method)
    return field


def _getter(store, field):
    name = field.name
    if field.fast is not None:
        return field.fast(store)
    if field.compute is not None:
        compute = field.compute
        return lambda row: compute(store, row)
    if field.type == "boolean":
        return lambda row: bool(row.get(name))
    get = lambda row: row.get(name, False)
    get.stored_name = name
    return get


def _chain(table, outer, inner):
    def get(row):
        rel_id = outer(row)
        related = table.rows.get(rel_id) if rel_id else None
        return inner(related) if related is not None else False
    return get


def _empty(value):
    return value is False or value is None or value == []


def _predicate(store, field, get, op, value, condition, method):
    if op in ("any", "not any"):
        return _any(store, field, get, op, value, method)
    if op == "=?":
        if value is False or value is None:
            return always
        op = "="
    if field.type in ("many2many", "one2many"):
        return _x2many(store, field, get, op, value)
    if op in ("like", "not like", "ilike", "not ilike", "=like", "=ilike"):
        return _like(store, field, get, op, value)
    value = _normalize(store, field, op, value, condition, method)
    if op in ("in", "not in"):
        return _membership(field, get, op, value)
    if op in ("=", "!="):
        return _equality(field, get, op, value)
    return _ordering(field, get, op, value)


def _normalize(store, field, op, value, condition, method):
    """Bring a domain value to the stored representation of ``field``."""
    if op in ("in", "not in"):
        values = value if isinstance(value, (list, tuple, set)) else [value]
        result = []
        for item in values:
            result.extend(_normalize_many(store, field, item, condition, method))
        return result
    if field.type == "many2one" and isinstance(value, str):
        return _name_matches(store, field, value, exact=True)
    return _normalize_one(field, value, condition, method)


def _normalize_many(store, field, value, condition, method):
    if field.type == "many2one" and isinstance(value, str):
        return list(_name_matches(store, field, value, exact=True))
    return [_normalize_one(field, value, condition, method)]


def _normalize_one(field, value, condition, method):
    if value is None or value is False:
        return False
    if field.type == "datetime":
        return _datetime_value(value, condition, method)
    if field.type == "date":
        text = value.strftime("%Y-%m-%d") if isinstance(value, dt.date) else str(value)[:10]
        return text
    if field.type == "boolean":
        return bool(value)
    if field.type == "many2one" and isinstance(value, (list, tuple)) and value:
        return value[0]
    return value


def _datetime_value(value, condition, method):
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00:00")
    text = str(value)
    if not DATETIME_RE.match(text):
        raise errors.value_error("time data %r does not match format '%%Y-%%m-%%d %%H:%%M:%%S'"
                                 " (in condition %r)" % (text, condition), method)
    if len(text) == 10:
        return text + " 00:00:00"
    return text[:19]


def _name_matches(store, field, text, exact=False):
    """Ids of ``field.relation`` records whose display name is (exact) or
    contains (case-insensitively) ``text``."""
    table = store.table(field.relation)
    needle = text if exact else text.casefold()
    found = set()
    for rel_id in table.ids:
        name = store.display_name(field.relation, rel_id) or ""
        if (name == needle) if exact else (needle in name.casefold()):
            found.add(rel_id)
    return found


def _equality(field, get, op, value):
    if isinstance(value, set):        # many2one compared with a name
        if op == "=":
            return lambda row: get(row) in value
        return lambda row: get(row) not in value
    if field.type == "boolean":
        wanted = bool(value)
        if op == "=":
            return lambda row: bool(get(row)) == wanted
        return lambda row: bool(get(row)) != wanted
    if value is False:
        if op == "=":
            return lambda row: _empty(get(row))
        return lambda row: not _empty(get(row))
    name = getattr(get, "stored_name", None)
    if name is not None:                          # inlined for speed on big tables
        if op == "=":
            return lambda row: row.get(name, False) == value
        return lambda row: row.get(name, False) != value
    if op == "=":
        return lambda row: get(row) == value
    return lambda row: get(row) != value          # NULLs included, like Odoo


def _membership(field, get, op, values):
    if field.type == "boolean":
        wanted = {bool(v) for v in values}
        test = lambda row: bool(get(row)) in wanted
    else:
        with_empty = any(v is False for v in values)
        wanted = {v for v in values if v is not False}
        def test(row):
            current = get(row)
            if _empty(current):
                return with_empty
            return current in wanted
    if op == "in":
        return test
    return lambda row: not test(row)


def _ordering(field, get, op, value):
    if value is False or value is None:
        return never
    if field.type == "datetime" and op == ">":
        # Odoo: write_date > X  ==  write_date >= X + 1 second.
        op = ">="
        value = (dt.datetime.strptime(value[:19], DATETIME_FORMAT)
                 + dt.timedelta(seconds=1)).strftime(DATETIME_FORMAT)
    compare = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
               ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}[op]

    def test(row):
        current = get(row)
        if _empty(current) and field.type not in ("integer", "float", "boolean"):
            return False
        try:
            return compare(current, value)
        except TypeError:
            return False
    return test


def like_regex(pattern, case_insensitive):
    """SQL LIKE pattern to an anchored regular expression."""
    out = []
    for char in pattern:
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
    return re.compile("^%s$" % "".join(out), re.DOTALL | (re.I if case_insensitive else 0))


def _like(store, field, get, op, value):
    negate = op.startswith("not ")
    base = op[4:] if negate else op
    if value is False or value is None:
        test = lambda row: _empty(get(row))
        return (lambda row: not test(row)) if negate else test
    text = str(value)
    if base in ("=like", "=ilike"):
        regex = like_regex(text, base == "=ilike")
        match = lambda s: bool(regex.match(s))
    elif base == "ilike":
        needle = text.casefold()
        match = lambda s: needle in s.casefold()
    else:
        match = lambda s: text in s
    if field.type == "many2one":
        relation = field.relation
        to_text = lambda v: store.display_name(relation, v) or ""
    else:
        to_text = str

    def test(row):
        current = get(row)
        if _empty(current):
            return False
        return match(to_text(current))
    if negate:
        return lambda row: _empty(get(row)) or not test(row)
    return test


def _x2many(store, field, get, op, value):
    if op in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
        ids = _name_matches(store, field, str(value))
        op = "not in" if op.startswith("not") else "in"
        value = list(ids)
    values = value if isinstance(value, (list, tuple, set)) else [value]
    if op in ("=", "!=") and value is False:
        test = lambda row: not get(row)
        return test if op == "=" else (lambda row: not test(row))
    wanted = {v for v in values if v is not False}
    test = lambda row: bool(wanted.intersection(get(row) or []))
    if op in ("=", "in"):
        return test
    if op in ("!=", "not in"):
        return lambda row: not test(row)
    return never


def _any(store, field, get, op, subdomain, method):
    if field.type not in ("many2one", "many2many", "one2many"):
        raise errors.value_error("Operator %r needs a relational field" % op, method)
    sub = compile_domain(store, field.relation, subdomain, method) or always
    table = store.table(field.relation)

    def related_rows(row):
        current = get(row)
        ids = current if isinstance(current, list) else ([current] if current else [])
        return [table.rows[i] for i in ids if i in table.rows]

    test = lambda row: any(sub(r) for r in related_rows(row))
    return test if op == "any" else (lambda row: not test(row))
