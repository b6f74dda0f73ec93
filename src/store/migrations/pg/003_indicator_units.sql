-- 003_indicator_units.sql: indicator units become English msgids, translated on display like names. (PostgreSQL)
UPDATE indicators SET unit = 'households' WHERE code = 'households';
UPDATE indicators SET unit = 'people' WHERE code = 'people';
UPDATE indicators SET unit = 'working days' WHERE code = 'working_days';
UPDATE indicators SET unit = 'houses' WHERE code = 'houses';
UPDATE indicators SET unit = 'cameras' WHERE code = 'cameras';
UPDATE indicators SET unit = 'members' WHERE code = 'members';
