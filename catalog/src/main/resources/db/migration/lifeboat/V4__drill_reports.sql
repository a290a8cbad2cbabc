-- DR drill reports, one per drill run, whatever its outcome. The whole report is kept as JSON;
-- the columns beside it are what lists, trends and charts read without parsing it.
CREATE TABLE drill_reports (
  -- no foreign key to runs: a report must outlive any clean-up of runs, like the audit trail
  run_id         text        PRIMARY KEY,
  instance       text        NOT NULL,
  region         text        NOT NULL,
  source         text        NOT NULL,
  suite          text,
  passed         boolean     NOT NULL,
  started_at     timestamptz NOT NULL,
  stopped_at     timestamptz,
  rto_ms         bigint,
  rto_target_ms  bigint,
  rto_met        boolean,
  rpo_ms         bigint,
  rpo_target_ms  bigint,
  rpo_met        boolean,
  failed_checks  integer     NOT NULL DEFAULT 0,
  error_type     text,
  report         jsonb       NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- Newest first with a keyset cursor on (started_at, run_id), as runs are listed.
CREATE INDEX drill_reports_newest          ON drill_reports (started_at DESC, run_id DESC);
CREATE INDEX drill_reports_instance_newest ON drill_reports (instance, region, started_at DESC, run_id DESC);
