-- 015_split_commune.sql: 440 old communes were split between several new ones in 2025. A (PostgreSQL)
-- model registered in one of them has no 2025 commune until someone chooses it among the
-- communes its old commune went into (DESIGN.md); until then reports show it in the
-- "not assigned (split commune)" row. The choice is kept apart from the derived place
-- columns, which are computed again whenever the model is placed.
ALTER TABLE models ADD COLUMN c25_chosen TEXT;
