-- The role the caller held when the entry was made (comma-separated when several), next to its
-- name: "who" at 3 a.m. is both. Null for requests refused before authentication.
ALTER TABLE audit_log ADD COLUMN role text;

-- GET /v1/audit filters by action and by time as well.
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_at     ON audit_log (at);
