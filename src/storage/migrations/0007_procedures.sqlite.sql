-- Issue 14: typed steps, procedures (templates, versions, the snapshot a
-- task keeps), sign-off, follow-ups, meters and their rules, failure codes
-- (the default catalogue, in the spirit of ISO 14224). Keep in step with
-- 0007_procedures.postgres.sql: same tables, columns, constraint and index names.
-- Decimal values (expected ranges, readings, rule values) are stored in
-- millionths (BIGINT): exact, ordered and the same on both backends.

ALTER TABLE steps ADD COLUMN kind TEXT NOT NULL DEFAULT 'instruction';
ALTER TABLE steps ADD COLUMN required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE steps ADD COLUMN min_micro INTEGER;
ALTER TABLE steps ADD COLUMN max_micro INTEGER;
ALTER TABLE steps ADD COLUMN options TEXT NOT NULL DEFAULT '';
ALTER TABLE steps ADD COLUMN meter TEXT NOT NULL DEFAULT '';
ALTER TABLE steps ADD COLUMN origin TEXT NOT NULL DEFAULT 'instructions';
-- Steps that asked for a value before steps had types are number steps.
UPDATE steps SET kind = 'number' WHERE wants_value <> 0;

CREATE TABLE procedures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
  equipment_id INTEGER REFERENCES equipment(id) ON DELETE SET NULL,
  type TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX procedures_category_idx ON procedures (category_id);
CREATE INDEX procedures_equipment_idx ON procedures (equipment_id);

CREATE TABLE procedure_versions (
  procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT procedure_versions_pkey PRIMARY KEY (procedure_id, version)
) WITHOUT ROWID;

-- The procedure a task's steps were built from (its snapshot once started).
CREATE TABLE task_procedures (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  procedure_id INTEGER REFERENCES procedures(id) ON DELETE SET NULL,
  version INTEGER NOT NULL DEFAULT 0,
  signoff TEXT NOT NULL DEFAULT 'none'
);
CREATE INDEX task_procedures_procedure_idx ON task_procedures (procedure_id);

CREATE TABLE task_signoffs (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  signature TEXT NOT NULL DEFAULT '',
  signed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  signed_at INTEGER,
  approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  approved_at INTEGER,
  approval_comment TEXT NOT NULL DEFAULT ''
);

-- A corrective task raised from a step of another: one per step.
CREATE TABLE follow_ups (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  origin_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  origin_step INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX follow_ups_origin_key ON follow_ups (origin_id, origin_step);

CREATE TABLE meters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  equipment_id INTEGER NOT NULL REFERENCES equipment(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX meters_equipment_name_key ON meters (equipment_id, name);

CREATE TABLE meter_readings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
  value_micro INTEGER NOT NULL,
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
  step INTEGER,
  client_action_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meter_readings_meter_idx ON meter_readings (meter_id, at, id);
CREATE UNIQUE INDEX meter_readings_client_action_key ON meter_readings (meter_id, client_action_id)
  WHERE client_action_id <> '';

CREATE TABLE meter_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value_micro INTEGER NOT NULL,
  next_due_micro INTEGER,
  title TEXT NOT NULL DEFAULT '',
  priority INTEGER NOT NULL DEFAULT 2,
  active INTEGER NOT NULL DEFAULT 1,
  last_task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
  last_fired_at INTEGER,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX meter_rules_meter_idx ON meter_rules (meter_id);

CREATE TABLE failure_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  code TEXT NOT NULL,
  label_en TEXT NOT NULL,
  label_fr TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX failure_codes_kind_code_key ON failure_codes (kind, code);

CREATE TABLE task_failures (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  problem_id INTEGER REFERENCES failure_codes(id) ON DELETE SET NULL,
  cause_id INTEGER REFERENCES failure_codes(id) ON DELETE SET NULL,
  remedy_id INTEGER REFERENCES failure_codes(id) ON DELETE SET NULL,
  recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX task_failures_problem_idx ON task_failures (problem_id);

-- The default catalogue: problems (failure modes), causes (failure
-- mechanisms and root causes, numbered as in ISO 14224) and remedies
-- (maintenance activities). Planners edit it in the console.
INSERT INTO failure_codes (kind, code, label_en, label_fr, position) VALUES
  ('problem', 'AIR', 'Abnormal instrument reading', 'Lecture d’instrument anormale', 10),
  ('problem', 'BRD', 'Breakdown', 'Panne complète', 20),
  ('problem', 'ELP', 'External leakage – process medium', 'Fuite externe – fluide de procédé', 30),
  ('problem', 'ELU', 'External leakage – utility medium', 'Fuite externe – fluide auxiliaire', 40),
  ('problem', 'ERO', 'Erratic output', 'Fonctionnement erratique', 50),
  ('problem', 'FTS', 'Fails to start on demand', 'Ne démarre pas à la demande', 60),
  ('problem', 'STP', 'Fails to stop on demand', 'Ne s’arrête pas à la demande', 70),
  ('problem', 'UST', 'Spurious stop', 'Arrêt intempestif', 80),
  ('problem', 'HIO', 'High output', 'Sortie trop élevée', 90),
  ('problem', 'LOO', 'Low output', 'Sortie trop faible', 100),
  ('problem', 'INL', 'Internal leakage', 'Fuite interne', 110),
  ('problem', 'NOI', 'Noise', 'Bruit anormal', 120),
  ('problem', 'OHE', 'Overheating', 'Surchauffe', 130),
  ('problem', 'PDE', 'Parameter deviation', 'Dérive de paramètre', 140),
  ('problem', 'PLU', 'Plugged or choked', 'Bouché ou obstrué', 150),
  ('problem', 'SER', 'Minor in-service problems', 'Problèmes mineurs en service', 160),
  ('problem', 'STD', 'Structural deficiency', 'Défaut structurel', 170),
  ('problem', 'VIB', 'Vibration', 'Vibrations', 180),
  ('problem', 'OTH', 'Other', 'Autre', 190),
  ('problem', 'UNK', 'Unknown', 'Inconnu', 200),
  ('cause', '1.1', 'Leakage', 'Fuite', 10),
  ('cause', '1.2', 'Vibration', 'Vibration', 20),
  ('cause', '1.3', 'Clearance or alignment failure', 'Jeu ou défaut d’alignement', 30),
  ('cause', '1.4', 'Deformation', 'Déformation', 40),
  ('cause', '1.5', 'Looseness', 'Desserrage', 50),
  ('cause', '1.6', 'Sticking', 'Grippage', 60),
  ('cause', '2.1', 'Cavitation', 'Cavitation', 70),
  ('cause', '2.2', 'Corrosion', 'Corrosion', 80),
  ('cause', '2.3', 'Erosion', 'Érosion', 90),
  ('cause', '2.4', 'Wear', 'Usure', 100),
  ('cause', '2.5', 'Breakage', 'Rupture', 110),
  ('cause', '2.6', 'Fatigue', 'Fatigue', 120),
  ('cause', '2.7', 'Overheating', 'Échauffement', 130),
  ('cause', '2.8', 'Burst', 'Éclatement', 140),
  ('cause', '3.1', 'Instrument failure', 'Défaillance d’instrument', 150),
  ('cause', '3.2', 'Control failure', 'Défaillance de commande', 160),
  ('cause', '3.3', 'No signal', 'Absence de signal', 170),
  ('cause', '3.4', 'Faulty signal', 'Signal erroné', 180),
  ('cause', '3.5', 'Out of adjustment', 'Déréglage', 190),
  ('cause', '3.6', 'Software failure', 'Défaillance logicielle', 200),
  ('cause', '4.1', 'Short circuit', 'Court-circuit', 210),
  ('cause', '4.2', 'Open circuit', 'Circuit ouvert', 220),
  ('cause', '4.3', 'No power', 'Absence d’alimentation', 230),
  ('cause', '4.4', 'Faulty power supply', 'Alimentation défectueuse', 240),
  ('cause', '4.5', 'Earth or insulation fault', 'Défaut de terre ou d’isolement', 250),
  ('cause', '5.1', 'Blockage', 'Obstruction', 260),
  ('cause', '5.2', 'Contamination', 'Contamination', 270),
  ('cause', '6.1', 'Operating error', 'Erreur d’exploitation', 280),
  ('cause', '6.2', 'Maintenance error', 'Erreur de maintenance', 290),
  ('cause', '6.3', 'Design or installation error', 'Erreur de conception ou d’installation', 300),
  ('cause', '6.4', 'Combined causes', 'Causes multiples', 310),
  ('cause', '6.5', 'Other', 'Autre', 320),
  ('cause', '6.6', 'Unknown', 'Inconnue', 330),
  ('remedy', 'REPL', 'Replace', 'Remplacement', 10),
  ('remedy', 'REP', 'Repair', 'Réparation', 20),
  ('remedy', 'MOD', 'Modify', 'Modification', 30),
  ('remedy', 'ADJ', 'Adjust', 'Réglage', 40),
  ('remedy', 'REF', 'Refit', 'Remontage', 50),
  ('remedy', 'CHK', 'Check', 'Contrôle', 60),
  ('remedy', 'SVC', 'Service', 'Entretien', 70),
  ('remedy', 'TST', 'Test', 'Essai', 80),
  ('remedy', 'INS', 'Inspection', 'Inspection', 90),
  ('remedy', 'OVH', 'Overhaul', 'Révision générale', 100),
  ('remedy', 'CMB', 'Combination', 'Actions combinées', 110),
  ('remedy', 'OTH', 'Other', 'Autre', 120);
