-- 006_attachments.sql: evidence files, stored by SHA-256 under the data directory; only metadata here.
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('model', 'appraisal', 'award')),
    entity_id  INTEGER NOT NULL,
    model_id   INTEGER REFERENCES models (id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    has_thumb  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    login      TEXT NOT NULL
);
CREATE INDEX attachments_entity ON attachments (entity, entity_id);
CREATE INDEX attachments_model ON attachments (model_id);
