// import-bulk.test.mjs: a large first import (issue 5) builds the models' indexes, the search
// index, the search words and the report tally once, at the end, instead of row by row
// (store_sqlite_import.c: s_defer_indexes, s_bulk). Whatever way it took, the database must be
// the one the row-by-row path makes: the same rows imported as one large file and as small ones
// (each under the size that defers) are compared table by table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvk } from '../lib/server.mjs';
import { sqlJson, isPg } from '../lib/sqlite.mjs';
import { PG, createDatabase, dropDatabase } from '../lib/pg.mjs';

let dir;
const dbs = [];
const N = 10000;
// communes of the demo catalogue (dvk init --demo), some with a person as owner
const UNITS = ['07201', '07207', '07210', '07213', '07216'];
const FIELDS = ['Kinh tế', 'Văn hóa - xã hội', 'Quốc phòng - an ninh', 'Xây dựng hệ thống chính trị'];
const STATUSES = ['Đã đăng ký', 'Đã công nhận'];

/* Rows from..to; bump > 0 changes their results (rows of stored models imported again). */
function rowsCsv(from, to, bump = 0) {
  const lines = ['Mã tham chiếu,Tên mô hình,Lĩnh vực,Tập thể/Cá nhân,Mã đơn vị,Ngày đăng ký,Chủ mô hình,Tóm tắt,Tình trạng,Điển hình,Số hộ tham gia 2023,Năng suất 2024'];
  for (let i = from; i < to; i++) {
    const typical = i % 7 === 0;
    lines.push([
      `BULK-${i}`,
      `Mô hình số ${i} "Dân vận khéo" đường làng ${i % 13}`,
      FIELDS[i % FIELDS.length],
      i % 3 ? 'Tập thể' : 'Cá nhân',
      UNITS[i % UNITS.length],
      `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${2021 + (i % 4)}`,
      i % 3 ? `Chi hội phụ nữ thôn ${i % 17}` : `Nguyễn Văn Đức ${i % 11}`,
      // long enough that N rows make a file that defers (about 150 bytes a row or more)
      `"Bà con góp ${i % 90} ngày công, hiến ${i % 500} m² đất, làm ${i % 9} km đường bê tông liên thôn; khoản ${i} đồng; tổ tự quản giữ vệ sinh, thắp sáng đường quê và trồng cây xanh hai bên"`,
      typical ? STATUSES[1] : STATUSES[0],
      typical ? 'x' : '',
      i % 5 ? String(((i * 7) % 300) + bump) : '',
      i % 4 ? String((i % 9) + 1 + bump) : '',
    ].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

async function freshDb(name) {
  const db = PG ? await createDatabase() : path.join(dir, `${name}.db`);
  dbs.push(db);
  await runDvk(['init', '--db', db, '--admin-password-file', path.join(dir, 'pw'), '--demo']);
  return db;
}

async function importFile(db, name, text) {
  const f = path.join(dir, name);
  await writeFile(f, text);
  const out = await runDvk(['import', '--db', db, '--lang', 'en', f]);
  assert.match(out.stdout, /Imported: [\d,]+ rows/, out.stdout + out.stderr);
  return out;
}

const TALLY = 'SELECT status, p24, p25, year, ryear, field, kind, registration_level, typical, n FROM model_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9';
const MODELS = `SELECT id, code, title, title_fold, title_key, search_fold, public_fold, status, typical, p24, d24, c24, p25, c25,
  registered_on, ext_key FROM models ORDER BY id`;

let oneFile, twoFiles;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dvk-bulk-'));
  await writeFile(path.join(dir, 'pw'), 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
  oneFile = await freshDb('one');
  twoFiles = await freshDb('two');
  // a few rows first, row by row, in both: the large import then adds to tally groups that exist
  const first = rowsCsv(N, N + 300);
  await importFile(oneFile, 'first.csv', first);
  await importFile(twoFiles, 'first.csv', first);
  // the large file also brings new values for the first rows' models (stored ones)
  const all = rowsCsv(0, N) + rowsCsv(N, N + 50, 3).split('\r\n').slice(1).join('\r\n');
  // the size that defers (import_service.c): a file whose rows, at 150 bytes each, are 2,000
  // or more, and more than the table holds
  const DEFERS = 150 * 2000;
  assert.ok(Buffer.byteLength(all) >= DEFERS, `${Buffer.byteLength(all)} bytes`);
  await importFile(oneFile, 'all.csv', all);
  // the same rows in pieces that each stay under it: row by row
  const STEP = 700;
  for (let from = 0; from < N; from += STEP) {
    let piece = rowsCsv(from, Math.min(from + STEP, N));
    if (from + STEP >= N) piece += rowsCsv(N, N + 50, 3).split('\r\n').slice(1).join('\r\n');
    assert.ok(Buffer.byteLength(piece) < DEFERS, `${Buffer.byteLength(piece)} bytes`);
    await importFile(twoFiles, `piece-${from}.csv`, piece);
  }
});

after(async () => {
  for (const db of dbs) if (isPg(db)) await dropDatabase(db);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('one large file and small ones make the same models and the same report tally', async () => {
  const [a, b] = [await sqlJson(oneFile, MODELS), await sqlJson(twoFiles, MODELS)];
  assert.equal(a.length, N + 300 + 22);
  assert.deepEqual(a, b);
  const [ta, tb] = [await sqlJson(oneFile, TALLY), await sqlJson(twoFiles, TALLY)];
  assert.ok(ta.length > 10, `${ta.length} tally groups`);
  assert.deepEqual(ta, tb);
  assert.equal(ta.reduce((s, r) => s + Number(r.n), 0), N + 300 + 22);
  assert.ok(ta.some((r) => r.status === 'recognized' && Number(r.typical) === 1));
});

const RESULTS = 'SELECT year, status, indicator, field, kind, p24, p25, n, total FROM result_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7';
const RESULTS_DIRECT = `SELECT r.year, m.status, r.indicator, m.field, m.kind, coalesce(m.p24, '') p24, coalesce(m.p25, '') p25,
  count(*) n, sum(r.value) total FROM model_results r JOIN models m ON m.id = r.model_id GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;

test('one large file and small ones make the same results tally, the GROUP BY of the values', async () => {
  const norm = (r) => ({ ...r, year: Number(r.year), n: Number(r.n), total: Math.round(Number(r.total) * 1e6) / 1e6 });
  const [ra, rb, direct] = [(await sqlJson(oneFile, RESULTS)).map(norm), (await sqlJson(twoFiles, RESULTS)).map(norm),
    (await sqlJson(oneFile, RESULTS_DIRECT)).map(norm)];
  assert.ok(ra.length > 10, `${ra.length} result groups`);
  assert.deepEqual(ra, direct, 'the large import\'s tally is its values');
  assert.deepEqual(ra, rb);
  // the stored models' new values are there, the old ones gone
  const v = await sqlJson(oneFile, "SELECT r.value FROM model_results r JOIN models m ON m.id = r.model_id WHERE m.ext_key = 'BULK-" + (N + 1) + "' AND r.indicator = 'households'");
  assert.deepEqual(v.map((x) => Number(x.value)), [((N + 1) * 7) % 300 + 3]);
});

test('the models\' indexes and insert triggers are all back after a large import', async () => {
  const q = isPg(oneFile)
    ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'models' ORDER BY 1"
    : "SELECT type || ' ' || name AS name FROM sqlite_master WHERE tbl_name = 'models' AND type IN ('index', 'trigger') ORDER BY 1";
  assert.deepEqual(await sqlJson(oneFile, q), await sqlJson(twoFiles, q));
  if (!isPg(oneFile)) {
    const t = await sqlJson(oneFile, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name IN ('models_fts_insert', 'models_tally_insert') OR name LIKE 'result_tally%') ORDER BY 1");
    assert.deepEqual(t.map((r) => r.name), ['models_fts_insert', 'models_tally_insert', 'result_tally_delete', 'result_tally_insert',
      'result_tally_model', 'result_tally_model_delete', 'result_tally_update']);
    const ic = await sqlJson(oneFile, 'PRAGMA integrity_check');
    assert.deepEqual(ic, [{ integrity_check: 'ok' }]);
  }
});

test('the search index and its words are those that row-by-row inserts make', { skip: !!PG && 'SQLite\'s FTS5 tables' }, async () => {
  // every (term, model, column) of the full-text index, through fts5vocab
  const vocab = async (db) => sqlJson(db, `CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, model_fts, instance);
    SELECT term, doc, col, count(*) AS n FROM temp.v GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const [va, vb] = [await vocab(oneFile), await vocab(twoFiles)];
  assert.ok(va.length > N * 10, `${va.length} index entries`);
  assert.deepEqual(va.length, vb.length);
  assert.deepEqual(va, vb);
  const words = 'SELECT word FROM search_words ORDER BY 1';
  const [wa, wb] = [await sqlJson(oneFile, words), await sqlJson(twoFiles, words)];
  assert.ok(wa.some((r) => r.word === 'duc') && wa.some((r) => r.word === '.duong'), 'folded words and title words');
  assert.deepEqual(wa, wb);
  // the search index writes and merges as before once the import is done (FTS5's defaults:
  // 1 MB held in memory, 4 segments of a level merged, 16 at most), and is whole
  const cfg = async (k) => sqlJson(oneFile, `SELECT v FROM model_fts_config WHERE k = '${k}'`);
  for (const [k, v] of [['hashsize', 1048576], ['automerge', 4], ['crisismerge', 16]]) {
    const got = await cfg(k);
    assert.ok(got.length === 0 || Number(got[0].v) === v, `${k}: ${JSON.stringify(got)}`);
  }
  await sqlJson(oneFile, "INSERT INTO model_fts (model_fts, rank) VALUES ('integrity-check', 0)");
  // and a search finds the imported models by a folded, unaccented word of their titles
  const lang = `SELECT count(*) AS n FROM model_fts WHERE model_fts MATCH 'title:".lang"'`;
  const [ha, hb] = [await sqlJson(oneFile, lang), await sqlJson(twoFiles, lang)];
  assert.ok(ha[0].n >= N, `${ha[0].n} hits`);
  assert.deepEqual(ha, hb);
});
