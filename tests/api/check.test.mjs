// check.test.mjs: `dvk check` counts again what the reports read (model_tally, result_tally)
// and, on SQLite, indexes again what the search reads (model_fts, search_words), and says what
// differs; --repair makes it again. A tally or an index that drifted (a manual fix in the
// database, a bug) would otherwise give wrong reports and searches for ever. Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, runDvk, runDvkStatus } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';
import { sqlOk, sqlJson, isPg } from '../lib/sqlite.mjs';
import { PG, createDatabase, dropDatabase } from '../lib/pg.mjs';

let srv;
const WORD = 'kiemtrachimuc';
before(async () => {
  srv = await startServer();
  // models of 2023 with values, a word of their own in their titles
  const lines = ['Tên mô hình,Lĩnh vực,Tập thể/Cá nhân,Mã đơn vị,Ngày đăng ký,Số hộ tham gia 2023'];
  for (let i = 0; i < 40; i++) {
    lines.push(`Mô hình ${WORD} số ${i},${i % 2 ? 'Kinh tế' : 'Văn hóa - xã hội'},${i % 3 ? 'Tập thể' : 'Cá nhân'},20368,${String(1 + (i % 28)).padStart(2, '0')}/05/2023,${10 + i}`);
  }
  const f = path.join(srv.dir, 'check.csv');
  await writeFile(f, lines.join('\r\n') + '\r\n');
  await runDvk(['import', '--db', srv.dbPath, '--lang', 'en', f]);
});
after(async () => { if (srv) await srv.stop(); });

const check = (...args) => runDvkStatus(['check', '--db', srv.dbPath, '--lang', 'en', ...args]);
const summary = async () => {
  const r = await api(srv.base, 'GET', '/api/v1/reports/summary?status=all&from=2023-01-01&to=2023-12-31&hierarchy=2024');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const found = async () => (await api(srv.base, 'GET', `/api/v1/models?q=${WORD}&limit=1`)).json.total;
const TALLY = 'SELECT status, p24, p25, year, ryear, field, kind, registration_level, typical, n FROM model_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9';
const TALLY_DIRECT = `SELECT status, coalesce(p24, '') AS p24, coalesce(p25, '') AS p25, CAST(substr(registered_on, 1, 4) AS INTEGER) AS year,
  CASE WHEN status = 'recognized' THEN CAST(substr(coalesce(recognized_on, registered_on), 1, 4) AS INTEGER) ELSE 0 END AS ryear,
  field, kind, registration_level, typical, count(*) AS n FROM models GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
const norm = (rows) => rows.map((r) => ({ ...r, year: Number(r.year), ryear: Number(r.ryear), typical: Number(r.typical), n: Number(r.n) }));

test('a database as dvk keeps it: everything matches, exit 0', async () => {
  const r = await check();
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines, [
    ...(isPg(srv.dbPath) ? [] : ["Database file (SQLite's quick_check): no damage found"]),
    'Models counted for the reports: matches',
    'Values summed for the reports: matches',
    ...(isPg(srv.dbPath) ? [] : ['Search index and its words: matches']),
    'Everything matches.',
  ]);
  // Vietnamese unless told otherwise
  const vi = await runDvkStatus(['check', '--db', srv.dbPath]);
  assert.equal(vi.code, 0);
  assert.match(vi.stdout, /^Số mô hình đếm sẵn cho báo cáo: khớp$/m);
  assert.match(vi.stdout, /^Tất cả đều khớp\.$/m);
});

test('tallies and search words that drifted are found, the reports and the search show it, and --repair mends them', async () => {
  const truth = await summary();
  assert.ok(truth.total >= 40, JSON.stringify(truth.total));
  assert.equal(await found(), 40);
  // the drift: one group counted 5 too many, one group of values lost, the word list emptied of the word
  await sqlOk(srv.dbPath, `UPDATE model_tally SET n = n + 5 WHERE (status, p24, p25, year, ryear, field, kind, registration_level, typical) IN
      (SELECT status, p24, p25, year, ryear, field, kind, registration_level, typical FROM model_tally WHERE year = 2023 AND n > 0 LIMIT 1);
    DELETE FROM result_tally WHERE year = 2023 AND field = 'cultural_social';
    ${isPg(srv.dbPath) ? '' : `DELETE FROM search_words WHERE word IN ('${WORD}', '.${WORD}');`}
    ${isPg(srv.dbPath) ? 'UPDATE data_generation SET n = n + 1; -- as the writing that drifted would' : ''}`);
  const wrong = await summary();
  assert.equal(wrong.total, truth.total + 5, 'the country report reads the tally');
  if (!isPg(srv.dbPath)) assert.equal(await found(), 0, 'the search expands words through the word list');

  const r = await check();
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^Models counted for the reports: 1 groups differ$/m);
  assert.match(r.stdout, /^Values summed for the reports: [1-9]\d* groups differ$/m);
  if (!isPg(srv.dbPath)) assert.match(r.stdout, /^Search index and its words: 2 rows or words differ$/m);
  assert.match(r.stdout, /^Something differs: dvk check --repair makes it again\.$/m);
  // a check changes nothing
  assert.equal((await summary()).total, truth.total + 5);

  const fix = await check('--repair');
  assert.equal(fix.code, 0, fix.stdout + fix.stderr);
  assert.match(fix.stdout, /^Made again: everything matches\.$/m);
  assert.deepEqual(norm(await sqlJson(srv.dbPath, TALLY)), norm(await sqlJson(srv.dbPath, TALLY_DIRECT)));
  assert.deepEqual((await summary()).by_field_kind, truth.by_field_kind);
  assert.equal(await found(), 40);
  const again = await check();
  assert.equal(again.code, 0, again.stdout);
});

test('a group of values left at 0 models but with a sum, and a sum off by a millionth, are drifts too', async () => {
  const before = await check();
  assert.equal(before.code, 0, before.stdout);
  // the country results report adds up every row's sum, whatever its count
  await sqlOk(srv.dbPath, `UPDATE result_tally SET n = 0 WHERE (year, status, indicator, field, kind, p24, p25) IN
      (SELECT year, status, indicator, field, kind, p24, p25 FROM result_tally WHERE n > 0 LIMIT 1);
    UPDATE result_tally SET total = total * (1 + 1e-6) WHERE (year, status, indicator, field, kind, p24, p25) IN
      (SELECT year, status, indicator, field, kind, p24, p25 FROM result_tally WHERE n > 0 LIMIT 1);`);
  const r = await check();
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /^Values summed for the reports: 2 groups differ$/m);
  assert.equal((await check('--repair')).code, 0);
  assert.equal((await check()).code, 0);
});

test('a search row lost from the index, or emptied, is found or made again (SQLite)', { skip: !!PG && 'PostgreSQL keeps no search index of its own' }, async () => {
  // the index row of one model taken out as the triggers do, with its own texts
  await sqlOk(srv.dbPath, `INSERT INTO model_fts (model_fts, rowid, title, body, pub, facets)
    SELECT 'delete', key, title, body, pub, facets FROM model_search_rows WHERE id = (SELECT min(id) FROM models WHERE title LIKE '%${WORD} số 7');`);
  assert.equal(await found(), 39);
  const r = await check();
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^Search index and its words: 1 rows or words differ$/m);
  assert.equal((await check('--repair')).code, 0);
  assert.equal(await found(), 40);
  // a row that holds nothing under its model's key: the check cannot see what a row holds
  // (the index keeps no text), but --repair makes every row again
  const id = Number((await sqlOk(srv.dbPath, `SELECT min(id) FROM models WHERE title LIKE '%${WORD} số 8'`)).trim());
  await sqlOk(srv.dbPath, `INSERT INTO model_fts (model_fts, rowid, title, body, pub, facets)
      SELECT 'delete', key, title, body, pub, facets FROM model_search_rows WHERE id = ${id};
    INSERT INTO model_fts (rowid, title, body, pub, facets) SELECT key, '', '', '', '' FROM model_search_rows WHERE id = ${id};`);
  assert.equal(await found(), 39);
  assert.equal((await check()).code, 0, 'the same models are indexed');
  assert.equal((await check('--repair')).code, 0);
  assert.equal(await found(), 40);
});

test('a damaged file is said so and left as it is; an empty file is no database (SQLite)', { skip: !!PG && 'files of SQLite' }, async () => {
  const copy = path.join(srv.dir, 'hong.db');
  await sqlOk(srv.dbPath, `VACUUM INTO '${copy}'`);
  // three pages of noise in the middle of the file
  const fd = await open(copy, 'r+');
  const { size } = await fd.stat();
  await fd.write(Buffer.alloc(3 * 4096, 0x5a), 0, 3 * 4096, Math.floor(size / 4096 / 2) * 4096);
  await fd.close();
  const sum = async () => createHash('sha256').update(await readFile(copy)).digest('hex');
  const was = await sum();
  const r = await runDvkStatus(['check', '--db', copy, '--lang', 'en', '--repair']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ["Database file (SQLite's quick_check): damaged",
    'The database file is damaged: restore the last backup (docs/operations.md, Backups).']);
  assert.equal(await sum(), was, 'not written');
  const empty = path.join(srv.dir, 'rong.db');
  await writeFile(empty, '');
  const e = await runDvkStatus(['check', '--db', empty, '--lang', 'en']);
  assert.equal(e.code, 2);
  assert.equal(e.stderr.trim(), `dvk check: ${empty}: No dvk database here.`);
  assert.equal((await stat(empty)).size, 0, 'no database was made of it');
});

test('bad usage: no --db, a path with no database (not created), an unknown option; exit 2', async () => {
  const none = await runDvkStatus(['check', '--lang', 'en']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: dvk check --db PATH/);
  const missing = path.join(srv.dir, 'khong-co.db');
  const m = await runDvkStatus(['check', '--db', missing, '--lang', 'en']);
  assert.equal(m.code, 2);
  assert.equal(m.stderr.trim(), `dvk check: ${missing}: No dvk database here.`);
  assert.ok(!existsSync(missing), 'nothing was created');
  const odd = await runDvkStatus(['check', '--db', srv.dbPath, '--fix']);
  assert.equal(odd.code, 2);
});

test('an empty PostgreSQL database is no dvk database, and is left empty', { skip: !PG && 'PostgreSQL' }, async () => {
  const url = await createDatabase();
  try {
    const r = await runDvkStatus(['check', '--db', url, '--lang', 'en']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trim(), 'dvk check: postgresql: No dvk database here.');
    const tables = await sqlJson(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    assert.deepEqual(tables, []);
  } finally {
    await dropDatabase(url);
  }
});
