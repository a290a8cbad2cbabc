-- Snapshots Lifeboat made, per region, as the workflows recorded them: the history outlives both
-- Temporal's retention and the snapshots themselves (deleted ones keep their row, with deleted_at).
CREATE TABLE snapshot_inventory (
  region       text        NOT NULL,
  snapshot_id  text        NOT NULL,
  instance     text        NOT NULL,
  status       text        NOT NULL,
  started_at   timestamptz,
  stopped_at   timestamptz,
  bytes        bigint      NOT NULL DEFAULT 0,
  tags         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  run_id       text,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz,
  PRIMARY KEY (region, snapshot_id)
);

CREATE INDEX snapshot_inventory_instance ON snapshot_inventory (instance, stopped_at DESC);
