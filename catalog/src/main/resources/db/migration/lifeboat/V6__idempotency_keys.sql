-- The Idempotency-Key of each POST that started a run: the same key sent again by the same
-- caller with the same request answers that run instead of starting another one. Keys are
-- remembered for seven days (IdempotencyKeyStore.RETENTION): an older row is taken over by the
-- next request with its key, as if the key were new. Nothing deletes rows; each is a few hundred
-- bytes.
CREATE TABLE idempotency_keys (
    -- keys are the caller's own: two callers using the same key do not collide
    principal   text        NOT NULL,
    key         text        NOT NULL,
    -- SHA-256 (hex) of the endpoint and the request body re-serialised canonically
    fingerprint text        NOT NULL,
    -- no foreign key: the key is reserved before the run is recorded, and a request that failed
    -- in between leaves a key whose run the next request with that key starts
    run_id      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- the status the first request answered, replayed to later ones; null until it answered
    status      integer,
    PRIMARY KEY (principal, key)
);
