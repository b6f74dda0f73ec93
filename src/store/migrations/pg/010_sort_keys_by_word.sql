-- 010_sort_keys_by_word.sql: the Vietnamese order became the dictionaries' (word by word, (PostgreSQL)
-- each word's tone right after its letters; numbers by value), so every key is made
-- again: an empty key is refilled when the database is opened (fill_sort_keys).
UPDATE units SET name_key = '';
UPDATE models SET title_key = '';
