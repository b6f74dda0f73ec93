-- 021_submissions.sql: a new model is created once per submission (../021_submissions.sql).
-- (PostgreSQL)
CREATE TABLE model_submissions (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token    TEXT NOT NULL,
    model_id BIGINT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    PRIMARY KEY (user_id, token)
);
