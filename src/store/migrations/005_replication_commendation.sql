-- 005_replication_commendation.sql: where models spread, and the conferences and awards that commend them.
CREATE TABLE replications (
    id               INTEGER PRIMARY KEY,
    model_id         INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    hierarchy        INTEGER NOT NULL,
    unit_code        TEXT NOT NULL,
    since            TEXT NOT NULL,
    replica_model_id INTEGER REFERENCES models (id) ON DELETE SET NULL,
    note             TEXT,
    created_at       TEXT NOT NULL,
    login            TEXT NOT NULL,
    UNIQUE (model_id, hierarchy, unit_code),
    FOREIGN KEY (hierarchy, unit_code) REFERENCES units (hierarchy, code)
);
CREATE INDEX replications_unit ON replications (hierarchy, unit_code);

-- Summary conferences (sơ kết / tổng kết) held by a unit's committee over a span of years.
CREATE TABLE commendation_events (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('interim', 'final')),  -- sơ kết, tổng kết
    span_years  INTEGER NOT NULL CHECK (span_years IN (1, 2, 3, 5, 10, 15)),
    hierarchy   INTEGER NOT NULL,
    unit_code   TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    held_on     TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    p24 TEXT, d24 TEXT, c24 TEXT, p25 TEXT, c25 TEXT,
    created_at  TEXT NOT NULL,
    login       TEXT NOT NULL,
    FOREIGN KEY (hierarchy, unit_code) REFERENCES units (hierarchy, code)
);
CREATE INDEX commendation_events_p25 ON commendation_events (p25, held_on);
CREATE INDEX commendation_events_p24 ON commendation_events (p24, held_on);

CREATE TABLE awards (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER REFERENCES commendation_events (id) ON DELETE SET NULL,
    recipient_type TEXT NOT NULL CHECK (recipient_type IN ('model', 'organization', 'person')),
    model_id       INTEGER REFERENCES models (id) ON DELETE SET NULL,
    recipient_name TEXT NOT NULL,
    form           TEXT NOT NULL CHECK (form IN ('certificate_of_merit', 'certificate', 'emulation_flag', 'other')),
    issuer         TEXT NOT NULL,
    decision_no    TEXT,
    decision_date  TEXT,
    amount_vnd     REAL CHECK (amount_vnd IS NULL OR amount_vnd >= 0),
    hierarchy      INTEGER NOT NULL,
    unit_code      TEXT NOT NULL,
    p24 TEXT, d24 TEXT, c24 TEXT, p25 TEXT, c25 TEXT,
    created_at     TEXT NOT NULL,
    login          TEXT NOT NULL
);
CREATE INDEX awards_model ON awards (model_id);
CREATE INDEX awards_event ON awards (event_id);
