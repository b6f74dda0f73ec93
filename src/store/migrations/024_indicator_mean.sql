-- 024_indicator_mean.sql: how a report totals an indicator. Counts and amounts add up
-- (households, VND, m² of land); a rate does not: the yields of 200 farms summed are no
-- yield. aggregate 'mean' reports the mean of the values in a cell (each model's value of
-- each year once), and the totals row the mean of all of them.
ALTER TABLE indicators ADD COLUMN aggregate TEXT NOT NULL DEFAULT 'sum' CHECK (aggregate IN ('sum', 'mean'));
UPDATE indicators SET aggregate = 'mean' WHERE code = 'yield_t_ha';
