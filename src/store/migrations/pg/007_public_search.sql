-- 007_public_search.sql: the showcase searches a text without the names of persons who own models. (PostgreSQL)
ALTER TABLE models ADD COLUMN public_fold TEXT NOT NULL DEFAULT '';
UPDATE models SET public_fold = ' ' || title_fold || ' ';
