-- 024_indicator_mean.sql: how a report totals an indicator (../024_indicator_mean.sql).
-- (PostgreSQL)
ALTER TABLE indicators ADD COLUMN aggregate TEXT NOT NULL DEFAULT 'sum' CHECK (aggregate IN ('sum', 'mean'));
UPDATE indicators SET aggregate = 'mean' WHERE code = 'yield_t_ha';
