-- Runs and their steps, as workflows, activities and the API record them. The catalog outlives
-- Temporal's retention, and the API lists and filters from here (the embedded Temporal server has
-- no visibility queries).
CREATE TABLE runs (
    run_id     text PRIMARY KEY,
    kind       text        NOT NULL,
    instance   text,
    requester  text,
    reason     text,
    -- a closed set: a typo in a workflow must fail loudly instead of hiding a run from every filter
    phase      text        NOT NULL CHECK (phase IN ('pending', 'running', 'waiting-approval',
                                                     'succeeded', 'failed', 'cancelled')),
    step       text,
    percent    integer,
    bytes      bigint,
    detail     text,
    request    jsonb,
    endpoint   jsonb,
    result     jsonb,
    error      jsonb,
    started_at timestamptz NOT NULL,
    stopped_at timestamptz,
    expires_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Lists are newest first with a keyset cursor on (started_at, run_id); each filter gets an index
-- that serves both the filter and that order, so a page never sorts the whole table.
CREATE INDEX runs_newest          ON runs (started_at DESC, run_id DESC);
CREATE INDEX runs_kind_newest     ON runs (kind, started_at DESC, run_id DESC);
CREATE INDEX runs_phase_newest    ON runs (phase, started_at DESC, run_id DESC);
CREATE INDEX runs_instance_newest ON runs (instance, started_at DESC, run_id DESC);

CREATE TABLE run_steps (
    run_id     text    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    name       text    NOT NULL,
    status     text    NOT NULL,
    started_at timestamptz,
    stopped_at timestamptz,
    detail     text,
    PRIMARY KEY (run_id, seq)
);
