-- 001_init.sql: units of both hierarchies, models and their results, users.
CREATE TABLE units (
    hierarchy   INTEGER NOT NULL CHECK (hierarchy IN (2024, 2025)),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_fold   TEXT NOT NULL,
    type        TEXT NOT NULL,
    parent_code TEXT,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (hierarchy, code)
);
CREATE INDEX units_parent ON units (hierarchy, parent_code, name);

-- Old (2024) commune -> new (2025) commune; an old commune split in several has several rows.
CREATE TABLE unit_mapping (
    old_code TEXT NOT NULL,
    new_code TEXT NOT NULL,
    PRIMARY KEY (old_code, new_code)
);
CREATE INDEX unit_mapping_new ON unit_mapping (new_code, old_code);

CREATE TABLE indicators (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    sort INTEGER NOT NULL
);
INSERT INTO indicators (code, name, unit, sort) VALUES
    ('households',   'Households taking part', 'hộ', 1),
    ('people',       'People taking part', 'người', 2),
    ('land_m2',      'Land donated', 'm²', 3),
    ('money_vnd',    'Money and assets', 'VND', 4),
    ('working_days', 'Working days', 'ngày công', 5),
    ('road_km',      'Road built', 'km', 6),
    ('lighting_km',  'Lighting installed', 'km', 7),
    ('area_ha',      'Area', 'ha', 8),
    ('yield_t_ha',   'Yield', 't/ha', 9),
    ('houses',       'Houses built', 'nhà', 10),
    ('cameras',      'Cameras installed', 'camera', 11),
    ('members',      'Members', 'thành viên', 12);

CREATE TABLE owners (
    id        INTEGER PRIMARY KEY,
    type      TEXT NOT NULL CHECK (type IN ('organization', 'person')),
    name      TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    UNIQUE (type, name)
);

CREATE TABLE code_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE models (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    title_fold         TEXT NOT NULL,
    summary            TEXT,
    description        TEXT,
    field              TEXT NOT NULL CHECK (field IN ('economic', 'cultural_social', 'defense_security', 'political_system')),
    kind               TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
    registration_level TEXT NOT NULL CHECK (registration_level IN ('province', 'district', 'commune')),
    status             TEXT NOT NULL,
    hierarchy          INTEGER NOT NULL,
    unit_code          TEXT NOT NULL,
    p24 TEXT, d24 TEXT, c24 TEXT, p25 TEXT, c25 TEXT,
    registered_on      TEXT NOT NULL,
    owner_id           INTEGER REFERENCES owners (id),
    situation TEXT, objectives TEXT, content TEXT, area_target TEXT,
    forces TEXT, resources TEXT, outputs TEXT, sustainability TEXT,
    period_from        TEXT,
    period_to          TEXT,
    typical            INTEGER NOT NULL DEFAULT 0,
    typical_reason     TEXT,
    search_fold        TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    FOREIGN KEY (hierarchy, unit_code) REFERENCES units (hierarchy, code)
);
CREATE INDEX models_registered ON models (registered_on, id);
CREATE INDEX models_title ON models (title_fold, id);
CREATE INDEX models_p24 ON models (p24, field, kind);
CREATE INDEX models_d24 ON models (d24);
CREATE INDEX models_c24 ON models (c24);
CREATE INDEX models_p25 ON models (p25, field, kind);
CREATE INDEX models_c25 ON models (c25);
CREATE INDEX models_unit ON models (hierarchy, unit_code);

CREATE TABLE model_tags (
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    pos      INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    PRIMARY KEY (model_id, pos)
);

CREATE TABLE model_results (
    model_id  INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    year      INTEGER NOT NULL,
    indicator TEXT NOT NULL REFERENCES indicators (code),
    value     REAL NOT NULL CHECK (value >= 0),
    PRIMARY KEY (model_id, year, indicator)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'officer', 'appraiser', 'viewer')),
    hierarchy     INTEGER NOT NULL,
    unit_code     TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
