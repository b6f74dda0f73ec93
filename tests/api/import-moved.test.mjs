// import-moved.test.mjs: importing a province's spreadsheet of before its move into a shared
// database (dvk migrate-db). A model that came in with a new code (or without its reference,
// taken here) is still named by the code and reference of its old database (moved_rows): the
// row means the model the importer may read, or of two, the one in the unit the row gives;
// a row that does not say which is refused, naming both. Both engines (DVK_TEST_PG); the
// move is written into moved_rows by hand, as store_copy.c writes it: ten provinces had
// the same first code (each province's database numbers from 000001), so the one of
// province B is the last of ten candidates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api, setDefaultToken, token, createModel } from '../lib/http.mjs';
import { sqlOk, sqlJson, q } from '../lib/sqlite.mjs';
import { csv, writeCsv, importCli, line, apiImport } from '../lib/sheets.mjs';

let srv;
let x; // province A's model, holding the code and the reference
let y; // province B's model: it had x's code and reference in B's database
let others; // eight more provinces' models that had x's code too (all in Huế's A Lưới here)
let officerB;
before(async () => {
  srv = await startServer();
  setDefaultToken(srv.adminToken);
  const t = token('mv');
  x = await createModel(srv.base, { title: `${t} của tỉnh A`, unit_code: '20368', hierarchy: 2024, registered_on: '2024-02-01' });
  others = [];
  for (let i = 0; i < 8; i++) {
    others.push(await createModel(srv.base, { title: `${t} của tỉnh thứ ${i + 3}`, unit_code: '20047', hierarchy: 2024, registered_on: '2024-02-01' }));
  }
  y = await createModel(srv.base, { title: `${t} của tỉnh B`, unit_code: '07201', hierarchy: 2024, registered_on: '2024-02-01' });
  const moved = [...others, y].map((m, i) => `('tinh-${i}', 'models', 1, ${m.id}, ${q(x.code)}, ${q(m.code)})`).join(', ');
  await sqlOk(srv.dbPath, `UPDATE models SET ext_key = 'SO-CU-7' WHERE id = ${x.id};
    INSERT INTO moved_rows (origin, tbl, old_id, new_id, old_key, new_key) VALUES ${moved};
    INSERT INTO moved_rows (origin, tbl, old_id, new_id, old_key, new_key) VALUES ('tinh-b', 'models.ext_key', 1, ${y.id}, 'SO-CU-7', NULL);`);
  officerB = await addUser(srv, 'vanphong-bac-giang', 'staff', '24', 2024);
});
after(async () => { if (srv) await srv.stop(); });

const summaries = async () => Object.fromEntries((await sqlJson(srv.dbPath,
  `SELECT id, summary FROM models WHERE id IN (${x.id}, ${y.id}) ORDER BY id;`)).map((r) => [Number(r.id), r.summary]));
let n = 0;
const cli = async (rows, opts = {}) => importCli(srv.dbPath, await writeCsv(srv.dir, `mv${++n}.csv`, rows), opts);
// an office's sheet names a model and its unit: here by the unit's code, left empty when not given
const sheet = (key, rows) => [[key, 'Tên mô hình', 'Mã đơn vị', 'Tóm tắt'], ...rows];
const titleOf = (m) => m.title;

test('staff of the moved province names its model by the old code or the old reference', async () => {
  const before = await summaries();
  const byCode = await apiImport(srv.base, csv(sheet('Mã mô hình', [[x.code, titleOf(y), '', 'sổ cũ theo mã']])),
    { headers: { Authorization: `Bearer ${officerB.token}`, 'Accept-Language': 'en' } });
  assert.equal(byCode.post.status, 202, byCode.post.text);
  assert.deepEqual(byCode.job.report.problems, [], JSON.stringify(byCode.job.report));
  assert.equal(byCode.job.report.updated, 1, JSON.stringify(byCode.job.report));
  const s1 = await summaries();
  assert.equal(s1[y.id], 'sổ cũ theo mã', 'the moved model took the row');
  assert.equal(s1[x.id], before[x.id], 'the model holding the code here is untouched');
  const byRef = await apiImport(srv.base, csv(sheet('Mã tham chiếu', [['SO-CU-7', titleOf(y), '', 'sổ cũ theo tham chiếu']])),
    { headers: { Authorization: `Bearer ${officerB.token}`, 'Accept-Language': 'en' } });
  assert.deepEqual(byRef.job.report.problems, [], JSON.stringify(byRef.job.report));
  assert.equal(byRef.job.report.updated, 1);
  const s2 = await summaries();
  assert.equal(s2[y.id], 'sổ cũ theo tham chiếu');
  assert.equal(s2[x.id], before[x.id]);
});

test('for one who reads them all, the unit or else the name on the row says which; a row that says neither is refused, naming them', async () => {
  const before = await summaries();
  const all = [x, ...others, y].map((m) => m.code).join(', ');
  const amb = await cli(sheet('Mã mô hình', [[x.code, 'một tên không ai có', '', 'không rõ mô hình nào']]));
  assert.equal(amb.code, 1, amb.stdout + amb.stderr);
  assert.deepEqual(amb.problems, [line(2, 'A (Mã mô hình)', x.code,
    'Several models had this code in the databases their provinces were moved from (their codes now shown): give the code of the model\'s unit (Mã đơn vị) on the row.',
    all)], amb.stdout);
  const ambRef = await cli(sheet('Mã tham chiếu', [['SO-CU-7', 'một tên không ai có', '', 'không rõ']]));
  assert.equal(ambRef.code, 1);
  assert.match(ambRef.problems.join('\n'), /Several models had this reference/);
  // eight models in one unit: the unit does not tell them apart, and the name is nobody's
  const sameUnit = await cli(sheet('Mã mô hình', [[x.code, 'một tên không ai có', '20047', 'không rõ']]));
  assert.equal(sameUnit.code, 1);
  assert.deepEqual(await summaries(), before, 'a refused file changed something');
  // the unit's code on the row: B's unit means B's model, A's unit A's, on two rows of one file
  const both = await cli(sheet('Mã mô hình', [[x.code, titleOf(y), '07201', 'của B, theo đơn vị'], [x.code, titleOf(x), '20368', 'của A, theo đơn vị']]));
  assert.deepEqual(both.problems, [], both.stdout);
  assert.deepEqual(await summaries(), { [x.id]: 'của A, theo đơn vị', [y.id]: 'của B, theo đơn vị' });
  // without the unit, the model's name on the row
  const byName = await cli(sheet('Mã mô hình', [[x.code, titleOf(others[5]), '', 'theo tên']]));
  assert.deepEqual(byName.problems, [], byName.stdout);
  assert.equal((await sqlJson(srv.dbPath, `SELECT summary FROM models WHERE id = ${others[5].id}`))[0].summary, 'theo tên');
  // the same model twice in a file is still refused
  const twice = await cli(sheet('Mã mô hình', [[x.code, titleOf(y), '07201', 'một'], [y.code, titleOf(y), '07201', 'hai']]));
  assert.equal(twice.code, 1);
  assert.match(twice.problems.join('\n'), /Row 3, column A \(Mã mô hình\): «[^»]+» The same model is already on another row of the file \(row shown\). \(2\)/);
  // a code of now that a later province had before: the name tells them apart too
  await sqlOk(srv.dbPath, `INSERT INTO moved_rows (origin, tbl, old_id, new_id, old_key, new_key) VALUES ('tinh-sau', 'models', 2, ${others[0].id}, ${q(y.code)}, ${q(others[0].code)});`);
  const now = await cli(sheet('Mã mô hình', [[y.code, titleOf(y), '', 'mã mới của B']]));
  assert.deepEqual(now.problems, [], now.stdout);
  assert.equal((await summaries())[y.id], 'mã mới của B');
  await sqlOk(srv.dbPath, "DELETE FROM moved_rows WHERE origin = 'tinh-sau';");
});

test('without a move, a code names the model holding it, as before', async () => {
  await sqlOk(srv.dbPath, "DELETE FROM moved_rows WHERE origin = 'tinh-b' OR origin LIKE 'tinh-%';");
  try {
    const r = await cli(sheet('Mã mô hình', [[x.code, titleOf(x), '', 'chỉ một mô hình']]));
    assert.deepEqual(r.problems, [], r.stdout);
    assert.equal((await summaries())[x.id], 'chỉ một mô hình');
    // and B's staff no longer reaches the model through A's code
    const b = await apiImport(srv.base, csv(sheet('Mã mô hình', [[x.code, titleOf(x), '', 'không được']])),
      { headers: { Authorization: `Bearer ${officerB.token}`, 'Accept-Language': 'en' } });
    assert.equal(b.job.report.written, false);
    assert.equal(b.job.report.problems[0].message, 'No model has this code.');
  } finally {
    await sqlOk(srv.dbPath, `INSERT INTO moved_rows (origin, tbl, old_id, new_id, old_key, new_key) VALUES ('tinh-b', 'models', 1, ${y.id}, ${q(x.code)}, ${q(y.code)});`);
  }
});
