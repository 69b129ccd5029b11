-- Records Visor unlinked because the CMMS deleted them, by their former CMMS
-- id: when such a record comes back (a wrong deletion undone, a restore from
-- a backup), the pull links it to the same local record again — the machine
-- keeps its QR code, the task its id and history.
CREATE TABLE cmms_unlinked (
  model TEXT NOT NULL,
  cmms_id BIGINT NOT NULL,
  local_id BIGINT NOT NULL,
  unlinked_at BIGINT NOT NULL,
  CONSTRAINT cmms_unlinked_pkey PRIMARY KEY (model, cmms_id)
);
