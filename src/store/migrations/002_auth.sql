-- 002_auth.sql: sessions, API tokens, sign-in throttling, the audit trail, public showcase flag.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,            -- SHA-256 of the cookie value; the value itself is never stored
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,            -- unix seconds
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL             -- absolute limit
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL UNIQUE,        -- SHA-256 of the token
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER,                     -- NULL: no expiry
    revoked_at INTEGER,
    last_used  INTEGER
);

CREATE TABLE signin_throttle (
    key          TEXT PRIMARY KEY,          -- 'login:NAME' or 'addr:IP'
    failures     INTEGER NOT NULL,
    last_failure INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

-- Append-only: dvk has no code path that updates or deletes a row here.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    login     TEXT NOT NULL,
    address   TEXT NOT NULL DEFAULT '',
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,                          -- JSON
    after     TEXT                           -- JSON
);
CREATE INDEX audit_entity ON audit (entity, entity_id, id);
CREATE INDEX audit_at ON audit (at, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

ALTER TABLE models ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
CREATE INDEX models_public ON models (public, typical, status);
