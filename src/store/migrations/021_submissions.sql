-- 021_submissions.sql: a new model is created once per submission. The registration form
-- carries a random token (and keeps it in the draft app.js saves on the device); an API
-- client may send one as its Idempotency-Key. When a token comes back (the answer to the
-- first send was lost on a slow connection, the button was pressed twice, a saved draft
-- was offered again and sent), the model it created is answered and nothing is written.
-- Tokens are per user: one user's token never names another user's model.
CREATE TABLE model_submissions (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token    TEXT NOT NULL,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    PRIMARY KEY (user_id, token)
) WITHOUT ROWID;
