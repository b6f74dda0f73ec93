-- 004_lifecycle.sql: the history of every model's steps, and appraisals on a configurable scoring catalogue.
CREATE TABLE model_events (
    id            INTEGER PRIMARY KEY,
    model_id      INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    user_id       INTEGER,
    login         TEXT NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    comment       TEXT,
    decision_no   TEXT,
    decision_date TEXT
);
CREATE INDEX model_events_model ON model_events (model_id, id);

-- Scoring criteria: the default catalogue (province_code '') or a province's own.
CREATE TABLE criteria (
    hierarchy     INTEGER NOT NULL,      -- of province_code; 0 for the default catalogue
    province_code TEXT NOT NULL,         -- '' for the default catalogue
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,         -- an English msgid for the default, the province's own wording otherwise
    weight        REAL NOT NULL CHECK (weight > 0),
    max_score     REAL NOT NULL CHECK (max_score > 0),
    sort          INTEGER NOT NULL,
    PRIMARY KEY (hierarchy, province_code, code)
);
INSERT INTO criteria (hierarchy, province_code, code, name, weight, max_score, sort) VALUES
    (0, '', 'effectiveness',   'Effectiveness',      30, 10, 1),
    (0, '', 'consensus',       'People''s consensus', 25, 10, 2),
    (0, '', 'practicality',    'Practicality',       15, 10, 3),
    (0, '', 'replicability',   'Replicability',      15, 10, 4),
    (0, '', 'sustainability',  'Sustainability',     15, 10, 5);

-- Pass mark (0–100) set by a unit for the models in its subtree; the nearest one up the tree applies.
CREATE TABLE appraisal_thresholds (
    hierarchy  INTEGER NOT NULL,
    unit_code  TEXT NOT NULL,
    pass_score REAL NOT NULL CHECK (pass_score >= 0 AND pass_score <= 100),
    PRIMARY KEY (hierarchy, unit_code)
);

CREATE TABLE appraisals (
    id         INTEGER PRIMARY KEY,
    model_id   INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    visit_date TEXT NOT NULL,
    members    TEXT NOT NULL,             -- the working group, one per line
    findings   TEXT,
    conclusion TEXT,
    score      REAL NOT NULL,             -- 0–100, weighted
    pass_score REAL NOT NULL,             -- the mark in force when it was made
    passed     INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    login      TEXT NOT NULL
);
CREATE INDEX appraisals_model ON appraisals (model_id, id);

CREATE TABLE appraisal_scores (
    appraisal_id INTEGER NOT NULL REFERENCES appraisals (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    weight       REAL NOT NULL,
    max_score    REAL NOT NULL,
    score        REAL NOT NULL,
    PRIMARY KEY (appraisal_id, code)
);
