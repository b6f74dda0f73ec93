-- 014_report_headings.sql: the heading block of the report files an office hands in (PostgreSQL)
-- (service/report_heading.c, service/report_xlsx.c).
--
-- The names of bodies and their document symbols are data: they differ between
-- provinces and changed in 2025 (Ban Dân vận merged into Ban Tuyên giáo và Dân vận in
-- many places, the district tier ended). One row per unit whose reports carry a heading
-- other than the one inferred from the unit's name; unit_code '' is the whole country.
CREATE TABLE report_headings (
    hierarchy BIGINT NOT NULL CHECK (hierarchy IN (2024, 2025)),
    unit_code TEXT NOT NULL,
    superior  TEXT NOT NULL DEFAULT '',  -- the body directly above: "TỈNH ỦY QUẢNG NAM"
    body      TEXT NOT NULL,             -- the issuing body: "BAN DÂN VẬN"
    symbol    TEXT NOT NULL DEFAULT '',  -- its document symbol: "BDVTU" (Số 12-BC/BDVTU)
    place     TEXT NOT NULL DEFAULT '',  -- the place name of the date line: "Tam Kỳ"
    style     TEXT NOT NULL DEFAULT 'party' CHECK (style IN ('party', 'state')),
    PRIMARY KEY (hierarchy, unit_code)
);
