"""Initial data: ``none`` (what a fresh database holds), ``demo`` (like Odoo's
demo data, ids matching the captured fixtures) and ``bulk:R:E`` (R requests
and E equipment, built fast for volume tests).

Rows are inserted directly (no validation) from a per-model template of
defaults, so 100,000 requests take about a second.
"""

import datetime as dt

from clock import DATETIME_FORMAT, parse_datetime
from models import Env

ADMIN_UID, DEMO_UID, READONLY_UID, BASIC_UID = 2, 5, 6, 7

INSTRUCTIONS_PRESS = (
    "<p>Quarterly inspection of the hydraulic press.</p><ol>"
    "<li>Lock out and tag out the main power (LOTO).</li>"
    "<li>Check the hydraulic oil level; record it in litres.</li>"
    "<li>Inspect hoses for cracks or leaks.</li>"
    "<li>Measure the pump pressure at idle (bar).</li>"
    "<li>Remove the lock and run a test cycle.</li></ol>"
    "<p><b>Safety:</b> wear gloves and eye protection.</p>")
INSTRUCTIONS_COMPRESSOR = (
    "<p>Monthly oil change of the air compressor.</p><ol>"
    "<li>Switch off and vent the air tank.</li>"
    "<li>Drain the old oil into the waste container.</li>"
    "<li>Refill with 1.2 litres of compressor oil.</li>"
    "<li>Run for five minutes and check for leaks.</li></ol>"
    "<p><b>Safety:</b> the pump may still be hot; wear gloves.</p>")
INSTRUCTIONS_SAFETY = (
    "<p>Annual safety inspection.</p><ol>"
    "<li>Test the emergency stop buttons.</li>"
    "<li>Check the light curtain with the test rod.</li>"
    "<li>Verify the guards are fixed and undamaged.</li></ol>"
    "<p><b>Safety:</b> never bypass an interlock.</p>")


class Seeder:
    """Inserts rows with defaults filled in, stamped with the clock's now."""

    def __init__(self, store):
        self.store = store
        self.env = Env(store, ADMIN_UID, su=True)
        self.now = store.clock.now().replace(microsecond=0)
        self.stamp = self.now.strftime(DATETIME_FORMAT)
        self._templates = {}

    def day(self, offset):
        return (self.now + dt.timedelta(days=offset)).strftime("%Y-%m-%d")

    def at(self, days, hour, minute=0):
        when = (self.now + dt.timedelta(days=days)).replace(hour=hour, minute=minute, second=0)
        return when.strftime(DATETIME_FORMAT)

    def template(self, model):
        if model not in self._templates:
            row = {}
            for field in self.store.schema(model).stored_fields:
                default = field.default(self.env) if callable(field.default) else field.default
                row[field.name] = default if default is not None else False
            row.update(create_date=self.stamp, write_date=self.stamp,
                       create_uid=ADMIN_UID, write_uid=ADMIN_UID)
            self._templates[model] = row
        return self._templates[model]

    def add(self, model_name, /, **values):
        row = dict(self.template(model_name))
        if model_name == "maintenance.request" and self.store.version < 19:
            end = values.pop("schedule_end", False)
            if end and values.get("schedule_date"):
                hours = (parse_datetime(end) - parse_datetime(values["schedule_date"]))
                values["duration"] = hours.total_seconds() / 3600.0
        row.update(values)
        return self.store.table(model_name).insert(row)


def load(store, kind, admin_login="admin"):
    """Fill ``store`` with the seed ``kind``: none, demo or bulk:R:E."""
    seeder = Seeder(store)
    base(seeder, admin_login)
    if kind == "demo":
        categories(seeder)
        demo_equipment(seeder)
        demo_requests(seeder)
    elif kind.startswith("bulk:"):
        _, requests, equipment = kind.split(":")
        categories(seeder)
        bulk(seeder, int(requests), int(equipment))
    elif kind != "none":
        raise ValueError("unknown seed %r (none, demo or bulk:R:E)" % kind)
    store.touch()


def base(s, admin_login):
    """Company, users, stages and the default team (module data, not demo)."""
    s.add("res.partner", id=1, name="YourCompany", is_company=True)
    s.add("res.partner", id=2, name="OdooBot")
    s.add("res.partner", id=3, name="Mitchell Admin", email="admin@yourcompany.example.com")
    s.add("res.partner", id=4, name="Marc Demo", email="mark.brown23@example.com")
    s.add("res.partner", id=5, name="Read-only Technician", email="readonly@example.com")
    s.add("res.partner", id=6, name="Wood Corner", is_company=True)
    s.add("res.partner", id=7, name="CMMS Basic", email="basic@example.com")
    s.add("res.company", id=1, name="YourCompany", partner_id=1)
    s.add("res.users", id=1, name="OdooBot", login="__system__", active=False, partner_id=2)
    s.add("res.users", id=ADMIN_UID, name="Mitchell Admin", login=admin_login,
          email="admin@yourcompany.example.com", partner_id=3)
    s.add("res.users", id=3, name="Default User Template", login="default", active=False)
    s.add("res.users", id=4, name="Public user", login="public", active=False, share=True)
    s.add("res.users", id=DEMO_UID, name="Marc Demo", login="demo",
          email="mark.brown23@example.com", partner_id=4)
    s.add("res.users", id=READONLY_UID, name="Read-only Technician", login="readonly",
          email="readonly@example.com", partner_id=5)
    # An internal user outside the maintenance groups: its key gets empty answers.
    s.add("res.users", id=BASIC_UID, name="CMMS Basic", login="basic",
          email="basic@example.com", partner_id=7)
    s.add("mail.message.subtype", id=1, name="Discussions")
    s.add("mail.message.subtype", id=2, name="Note", internal=True)
    for sid, name, done in ((1, "New Request", False), (2, "In Progress", False),
                            (3, "Repaired", True), (4, "Scrap", True)):
        s.add("maintenance.stage", id=sid, name=name, sequence=sid, fold=done, done=done)
    s.add("maintenance.team", id=1, name="Internal Maintenance", member_ids=[])
    s.add("maintenance.team", id=2, name="Metrology", member_ids=[])
    s.add("maintenance.team", id=3, name="Subcontractor", member_ids=[])


def categories(s):
    for cid, name, tech in ((1, "Computers", 1), (2, "Software", 1), (3, "Printers", 1),
                            (4, "Monitors", 2), (5, "Phones", 2), (6, "Machine Tools", 5)):
        s.add("maintenance.equipment.category", id=cid, name=name, technician_user_id=tech)


def demo_equipment(s):
    rows = [
        (1, 'Samsung Monitor 15"', "MT/122/11112222", "NP300E5X", 4, 2, 2, -14),
        (2, 'Samsung Monitor 15"', "MT/125/22778837", "NP355E5X", 4, 2, 2, -300),
        (3, 'Samsung Monitor 15"', "MT/127/18291018", "NP355E5X", 4, 5, 5, -270),
        (4, "Acer Laptop", "LP/203/19281928", "NE56R", 1, 5, 2, -240),
        (5, "Acer Laptop", "LP/205/12928291", "V5131", 1, 2, 5, -210),
        (6, "HP Laptop", "LP/303/28292090", "17-j059nr", 1, 2, 5, -13),
        (7, "HP Laptop", "LP/305/17281718", False, 1, 5, 5, -180),
        (8, "HP Inkjet printer", "PR/011/2928191889", False, 3, False, 5, None),
    ]
    for eid, name, serial, model, category, owner, tech, assigned in rows:
        s.add("maintenance.equipment", id=eid, name=name, serial_no=serial, model=model,
              category_id=category, owner_user_id=owner, technician_user_id=tech,
              assign_date=s.day(assigned) if assigned is not None else False,
              effective_date=s.day(0))
    s.add("maintenance.equipment", id=9, name="Hydraulic Press 3", serial_no="HP3/2019/0042",
          model="HPX-200", category_id=6, technician_user_id=5, maintenance_team_id=1,
          partner_id=6, partner_ref="WC-88123", assign_date=s.day(-700), cost=48500.0,
          effective_date=s.day(-700), warranty_date=s.day(365),
          note="<p>Main press of line 3. Oil: HLP 46.</p>", expected_mtbf=90)
    s.add("maintenance.equipment", id=10, name="Air Compressor", category_id=6,
          technician_user_id=5, maintenance_team_id=1, effective_date=s.day(-400))
    s.add("maintenance.equipment", id=11, name="Old Lathe", serial_no="LT/1998/7", active=False,
          category_id=6, effective_date=s.day(-9000), scrap_date=s.day(-30))


def demo_requests(s):
    today = s.day(0)
    simple = [
        # id, name, equipment, stage, technician, owner, priority, kanban
        (1, "Resolution is bad", 3, 3, 5, 2, False, "normal"),
        (2, "Some keys are not working", 4, 1, 2, 2, False, "normal"),
        (3, "Motherboard failed", 5, 4, 5, 2, False, "normal"),
        (4, "Battery drains fast", 6, 2, 5, 5, False, "normal"),
        (5, "Touchpad not working", 7, 2, 5, 5, False, "normal"),
        (7, "Printer paper jam", 8, 1, 5, 2, "3", "blocked"),
        (8, "Monitor flickering", 1, 2, 2, 2, "1", "normal"),
        (13, "Laptop fan noisy", 6, 1, 5, 5, False, "normal"),
        (14, "Screen cracked", 2, 4, 2, 2, "2", "normal"),
        (16, "Install new firmware", False, 2, 5, 2, "1", "normal"),
        (17, "Check UPS batteries", False, 1, False, 2, "0", "normal"),
        (18, "Hydraulic leak at press 3", 9, 2, 5, 2, "3", "blocked"),
        (19, "Toner replacement", 8, 3, 5, 2, False, "normal"),
        (20, "Network cable damaged", False, 1, False, 5, False, "normal"),
    ]
    for rid, name, equipment, stage, tech, owner, priority, kanban in simple:
        s.add("maintenance.request", id=rid, name=name, equipment_id=equipment, stage_id=stage,
              user_id=tech, owner_user_id=owner, priority=priority, kanban_state=kanban,
              close_date=today if stage in (3, 4) else False,
              maintenance_team_id=3 if rid == 17 else 1)
    s.add("maintenance.request", id=6, name="Press 3 quarterly inspection", equipment_id=9,
          stage_id=1, user_id=2, priority="2", maintenance_type="preventive",
          schedule_date=s.at(8, 7, 30), schedule_end=s.at(8, 9, 0),
          instruction_text=INSTRUCTIONS_PRESS, recurring_maintenance=True, repeat_interval=3,
          repeat_unit="month")
    s.add("maintenance.request", id=9, name="Compressor oil change", equipment_id=10,
          stage_id=1, user_id=5, priority="2", maintenance_type="preventive",
          schedule_date=s.at(1, 8), schedule_end=s.at(1, 10, 30),
          instruction_text=INSTRUCTIONS_COMPRESSOR, recurring_maintenance=True,
          repeat_interval=1, repeat_unit="month", repeat_type="until",
          repeat_until=s.day(180))
    s.add("maintenance.request", id=10, name="Replace lathe belt", equipment_id=11, stage_id=3,
          user_id=5, close_date=s.day(-40), archive=True)
    s.add("maintenance.request", id=11, name="Old request (archived)", stage_id=1, user_id=2,
          archive=True, description="<p>Duplicate of an older request.</p>")
    s.add("maintenance.request", id=12, name="Calibrate pressure gauge", stage_id=1, user_id=5,
          maintenance_team_id=2, maintenance_type="preventive", priority="0",
          schedule_date=s.at(-1, 9), schedule_end=s.at(-1, 10))
    s.add("maintenance.request", id=15, name="Annual safety inspection", equipment_id=9,
          stage_id=1, user_id=5, priority="2", maintenance_type="preventive",
          schedule_date=s.at(30, 13), schedule_end=s.at(30, 15),
          description="<p>Required by the insurer.</p>", instruction_text=INSTRUCTIONS_SAFETY)


STAGE_CYCLE = (1, 1, 2, 1, 2, 3, 1, 4)
PRIORITY_CYCLE = (False, "0", "1", "2", "3", False)


def bulk(s, requests, equipment):
    """``equipment`` machines and ``requests`` requests, about 100 written per second
    over the last ``requests / 100`` seconds (several rows share each second)."""
    equipment_table = s.store.table("maintenance.equipment")
    template = s.template("maintenance.equipment")
    for i in range(1, equipment + 1):
        row = dict(template)
        row.update(id=i, name="Machine %05d" % i, serial_no="SN-%06d" % i,
                   category_id=1 + i % 6, technician_user_id=5 if i % 2 else 2,
                   maintenance_team_id=1)
        equipment_table.insert(row)
    table, template = s.store.table("maintenance.request"), s.template("maintenance.request")
    today = s.day(0)
    for i in range(1, requests + 1):
        stamp = (s.now - dt.timedelta(seconds=(requests - i) // 100)).strftime(DATETIME_FORMAT)
        stage = STAGE_CYCLE[i % len(STAGE_CYCLE)]
        row = dict(template)
        row.update(id=i, name="Bulk request %06d" % i, stage_id=stage,
                   equipment_id=(1 + i % equipment) if equipment else False,
                   user_id=5 if i % 3 else 2, priority=PRIORITY_CYCLE[i % len(PRIORITY_CYCLE)],
                   close_date=today if stage in (3, 4) else False,
                   create_date=stamp, write_date=stamp)
        if i % 4 == 0:
            row.update(maintenance_type="preventive", schedule_date=s.at(i % 60, 8),
                       schedule_end=s.at(i % 60, 9))
        table.insert(row)
