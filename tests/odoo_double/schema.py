"""Field definitions of the models the double serves, per Odoo major version (16 to 19).

What differs between versions, as in Odoo's own ``addons/maintenance``:

* 19: ``schedule_end`` on requests, ``duration`` computed from the two dates
  (read-only); equipment has no ``location``.
* 16 to 18: no ``schedule_end``; ``duration`` is a plain editable float (hours);
  equipment keeps a free-text ``location``.

A field is stored (a key in the record dict) unless it has a ``compute``;
computed fields are derived on read and in domains from ``compute(store, row)``.
Defaults are values or ``default(env)`` callables.
"""

import datetime as dt

from clock import parse_datetime

PRIORITIES = [("0", "Very Low"), ("1", "Low"), ("2", "Normal"), ("3", "High")]
KANBAN_STATES = [("normal", "In Progress"), ("blocked", "Blocked"), ("done", "Ready for next stage")]
MAINTENANCE_TYPES = [("corrective", "Corrective"), ("preventive", "Preventive")]
INSTRUCTION_TYPES = [("pdf", "PDF"), ("google_slide", "Google Slide"), ("text", "Text")]
REPEAT_UNITS = [("day", "Days"), ("week", "Weeks"), ("month", "Months"), ("year", "Years")]
REPEAT_TYPES = [("forever", "Forever"), ("until", "Until")]
ATTACHMENT_TYPES = [("url", "URL"), ("binary", "File")]
MESSAGE_TYPES = [("email", "Incoming Email"), ("comment", "Comment"),
                 ("email_outgoing", "Outgoing Email"), ("notification", "System notification"),
                 ("auto_comment", "Automated Targeted Notification"),
                 ("user_notification", "User Specific Notification")]


class Field:
    """One field of a model, with the few attributes the double needs."""

    def __init__(self, type_, string, required=False, readonly=False, relation=None,
                 selection=None, default=None, compute=None, fast=None):
        self.name = None            # set by Model
        self.type = type_
        self.string = string
        self.required = required
        self.relation = relation
        self.selection = selection
        self.default = default
        self.compute = compute
        self.fast = fast            # optional store -> (row -> value) for bulk use
        self.readonly = readonly or compute is not None

    @property
    def stored(self):
        return self.compute is None

    def describe(self):
        """The ``fields_get`` description of this field."""
        info = {"type": self.type, "string": self.string, "required": self.required,
                "readonly": self.readonly, "store": self.stored, "searchable": True,
                "sortable": self.stored}
        if self.relation:
            info["relation"] = self.relation
        if self.selection:
            info["selection"] = [list(pair) for pair in self.selection]
        return info


class Model:
    """A model: name, description, default order and its fields."""

    def __init__(self, name, description, fields, order="id"):
        self.name = name
        self.description = description
        self.order = order
        self.fields = dict(magic_fields(name))
        self.fields.update(fields)
        for fname, field in self.fields.items():
            field.name = fname
        self.stored_fields = [f for f in self.fields.values() if f.stored and f.name != "id"]


# --- computed values --------------------------------------------------------

def name_of(store, row):
    return row.get("name") or False


def equipment_display_name(store, row):
    if row.get("serial_no"):
        return "%s/%s" % (row.get("name") or "", row["serial_no"])
    return row.get("name") or False


def request_done(store, row):
    stage = store.row("maintenance.stage", row.get("stage_id"))
    return bool(stage and stage.get("done"))


def request_done_getter(store):
    """Fast ``done`` for scanning many rows: the done stages are looked up once."""
    done_ids = {sid for sid, stage in store.table("maintenance.stage").rows.items()
                if stage.get("done")}
    return lambda row: row.get("stage_id") in done_ids


def request_category(store, row):
    equipment = store.row("maintenance.equipment", row.get("equipment_id"))
    return (equipment and equipment.get("category_id")) or False


def request_duration(store, row):
    """Odoo 19: hours between schedule_date and schedule_end (0.0 if either is unset)."""
    start, end = row.get("schedule_date"), row.get("schedule_end")
    if not start or not end:
        return 0.0
    return (parse_datetime(end) - parse_datetime(start)).total_seconds() / 3600.0


def equipment_count(store, row):
    return store.request_counts()[0].get(row["id"], 0)


def equipment_open_count(store, row):
    return store.request_counts()[1].get(row["id"], 0)


def zero(store, row):
    return 0


def nothing(store, row):
    return False


def no_properties(store, row):
    return []


# --- defaults ---------------------------------------------------------------

def today(env):
    return env.clock.today_str()


def current_user(env):
    return env.uid


def first_stage(env):
    stages = env.store.table("maintenance.stage")
    ordered = sorted(stages.rows.values(), key=lambda r: (r.get("sequence") or 0, r["id"]))
    return ordered[0]["id"] if ordered else False


def first_team(env):
    teams = env.store.table("maintenance.team")
    return teams.ids[0] if teams.ids else False


def main_company(env):
    return 1 if env.store.row("res.company", 1) else False


# --- models -----------------------------------------------------------------

def magic_fields(model):
    display = equipment_display_name if model == "maintenance.equipment" else name_of
    return {
        "id": Field("integer", "ID", readonly=True),
        "display_name": Field("char", "Display Name", compute=display),
        "create_date": Field("datetime", "Created on", readonly=True),
        "create_uid": Field("many2one", "Created by", readonly=True, relation="res.users"),
        "write_date": Field("datetime", "Last Updated on", readonly=True),
        "write_uid": Field("many2one", "Last Updated by", readonly=True, relation="res.users"),
    }


def request_model(version):
    fields = {
        "name": Field("char", "Subjects", required=True),
        "description": Field("html", "Description"),
        "request_date": Field("date", "Request Date", default=today),
        "close_date": Field("date", "Close Date"),
        "schedule_date": Field("datetime", "Scheduled Date"),
        "priority": Field("selection", "Priority", selection=PRIORITIES),
        "kanban_state": Field("selection", "Kanban State", required=True,
                              selection=KANBAN_STATES, default="normal"),
        "stage_id": Field("many2one", "Stage", relation="maintenance.stage", default=first_stage),
        "done": Field("boolean", "Done", compute=request_done, fast=request_done_getter),
        "user_id": Field("many2one", "Technician", relation="res.users"),
        "owner_user_id": Field("many2one", "Created by User", relation="res.users",
                               default=current_user),
        "equipment_id": Field("many2one", "Equipment", relation="maintenance.equipment"),
        "category_id": Field("many2one", "Category", relation="maintenance.equipment.category",
                             compute=request_category),
        "maintenance_team_id": Field("many2one", "Team", required=True,
                                     relation="maintenance.team", default=first_team),
        "company_id": Field("many2one", "Company", required=True, relation="res.company",
                            default=main_company),
        "maintenance_type": Field("selection", "Maintenance Type", selection=MAINTENANCE_TYPES,
                                  default="corrective"),
        "archive": Field("boolean", "Archive", default=False),
        "instruction_type": Field("selection", "Instruction", selection=INSTRUCTION_TYPES,
                                  default="text"),
        "instruction_text": Field("html", "Text"),
        "instruction_pdf": Field("binary", "PDF"),
        "instruction_google_slide": Field("char", "Google Slide"),
        "recurring_maintenance": Field("boolean", "Recurrent", default=False),
        "repeat_interval": Field("integer", "Repeat Every", default=1),
        "repeat_unit": Field("selection", "Frequency", selection=REPEAT_UNITS, default="week"),
        "repeat_type": Field("selection", "Until", selection=REPEAT_TYPES, default="forever"),
        "repeat_until": Field("date", "End Date"),
    }
    if version >= 19:
        fields["schedule_end"] = Field("datetime", "Scheduled End")
        fields["duration"] = Field("float", "Duration", compute=request_duration)
    else:
        fields["duration"] = Field("float", "Duration", default=0.0)
    return Model("maintenance.request", "Maintenance Request", fields, order="id desc")


def equipment_model(version):
    fields = {
        "name": Field("char", "Equipment Name", required=True),
        "active": Field("boolean", "Active", default=True),
        "serial_no": Field("char", "Serial Number"),
        "model": Field("char", "Model"),
        "category_id": Field("many2one", "Equipment Category",
                             relation="maintenance.equipment.category"),
        "owner_user_id": Field("many2one", "Owner", relation="res.users"),
        "technician_user_id": Field("many2one", "Technician", relation="res.users"),
        "maintenance_team_id": Field("many2one", "Maintenance Team", relation="maintenance.team"),
        "company_id": Field("many2one", "Company", relation="res.company", default=main_company),
        "partner_id": Field("many2one", "Vendor", relation="res.partner"),
        "partner_ref": Field("char", "Vendor Reference"),
        "assign_date": Field("date", "Assigned Date"),
        "effective_date": Field("date", "Effective Date", required=True, default=today),
        "warranty_date": Field("date", "Warranty Expiration Date"),
        "scrap_date": Field("date", "Scrap Date"),
        "cost": Field("float", "Cost", default=0.0),
        "note": Field("html", "Note"),
        "expected_mtbf": Field("integer", "Expected MTBF", default=0),
        "maintenance_count": Field("integer", "Maintenance Count", compute=equipment_count),
        "maintenance_open_count": Field("integer", "Current Maintenance",
                                        compute=equipment_open_count),
        "equipment_properties": Field("properties", "Properties", compute=no_properties),
        "mtbf": Field("integer", "Mean Time Between Failure", compute=zero),
        "mttr": Field("integer", "Mean Time To Repair", compute=zero),
        "latest_failure_date": Field("date", "Latest Failure Date", compute=nothing),
        "estimated_next_failure": Field("date", "Estimated time before next failure",
                                        compute=nothing),
    }
    if version < 19:
        fields["location"] = Field("char", "Location")
    return Model("maintenance.equipment", "Maintenance Equipment", fields)


def other_models():
    return [
        Model("maintenance.stage", "Maintenance Stage", {
            "name": Field("char", "Name", required=True),
            "sequence": Field("integer", "Sequence", default=20),
            "fold": Field("boolean", "Folded in Maintenance Pipe", default=False),
            "done": Field("boolean", "Request Done", default=False),
        }, order="sequence, id"),
        Model("maintenance.team", "Maintenance Teams", {
            "name": Field("char", "Team Name", required=True),
            "active": Field("boolean", "Active", default=True),
            "member_ids": Field("many2many", "Team Members", relation="res.users",
                                default=lambda env: []),
            "company_id": Field("many2one", "Company", relation="res.company",
                                default=main_company),
        }),
        Model("maintenance.equipment.category", "Maintenance Equipment Category", {
            "name": Field("char", "Category Name", required=True),
            "technician_user_id": Field("many2one", "Responsible", relation="res.users",
                                        default=current_user),
            "company_id": Field("many2one", "Company", relation="res.company",
                                default=main_company),
            "note": Field("html", "Comments"),
        }),
        Model("res.users", "User", {
            "name": Field("char", "Name", required=True),
            "login": Field("char", "Login", required=True),
            "email": Field("char", "Email"),
            "active": Field("boolean", "Active", default=True),
            "share": Field("boolean", "Share User", default=False),
            "company_id": Field("many2one", "Company", relation="res.company",
                                default=main_company),
            "partner_id": Field("many2one", "Related Partner", relation="res.partner"),
        }, order="name, login"),
        Model("res.company", "Companies", {
            "name": Field("char", "Company Name", required=True),
            "partner_id": Field("many2one", "Partner", relation="res.partner"),
        }, order="name"),
        Model("res.partner", "Contact", {
            "name": Field("char", "Name"),
            "email": Field("char", "Email"),
            "is_company": Field("boolean", "Is a Company", default=False),
            "active": Field("boolean", "Active", default=True),
        }, order="name, id"),
        Model("mail.message", "Message", {
            "model": Field("char", "Related Document Model"),
            "res_id": Field("integer", "Related Document ID", default=0),
            "subject": Field("char", "Subject"),
            "body": Field("html", "Contents"),
            "message_type": Field("selection", "Type", selection=MESSAGE_TYPES,
                                  default="notification"),
            "subtype_xmlid": Field("char", "Subtype"),
            "subtype_id": Field("many2one", "Subtype", relation="mail.message.subtype"),
            "author_id": Field("many2one", "Author", relation="res.partner"),
            "date": Field("datetime", "Date"),
            "attachment_ids": Field("many2many", "Attachments", relation="ir.attachment",
                                    default=lambda env: []),
        }, order="id desc"),
        Model("mail.message.subtype", "Message subtypes", {
            "name": Field("char", "Message Type", required=True),
            "internal": Field("boolean", "Internal Only", default=False),
        }),
        Model("ir.attachment", "Attachment", {
            "name": Field("char", "Name", required=True),
            "description": Field("text", "Description"),
            "res_model": Field("char", "Resource Model"),
            "res_id": Field("integer", "Resource ID", default=0),
            "type": Field("selection", "Type", selection=ATTACHMENT_TYPES, default="binary"),
            "datas": Field("binary", "File Content (base64)"),
            "mimetype": Field("char", "Mime Type"),
            "file_size": Field("integer", "File Size", readonly=True),
            "checksum": Field("char", "Checksum/SHA1", readonly=True),
            "company_id": Field("many2one", "Company", relation="res.company",
                                default=main_company),
        }, order="id desc"),
    ]


def models_for(version):
    """All models of the given Odoo major version, by name."""
    models = [request_model(version), equipment_model(version)] + other_models()
    return {m.name: m for m in models}


def shift(when, unit, interval):
    """``when`` plus ``interval`` days/weeks/months/years (month ends clamp)."""
    if unit == "day":
        return when + dt.timedelta(days=interval)
    if unit == "week":
        return when + dt.timedelta(weeks=interval)
    months = interval * (12 if unit == "year" else 1)
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, days_in_month(year, month))
    return when.replace(year=year, month=month, day=day)


def days_in_month(year, month):
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_next - dt.timedelta(days=1)).day
