// split.test.mjs: a model of a 2024 commune that was split between several 2025 communes
// has no 2025 commune until one is chosen (DESIGN.md); until then the 2025 reports show it
// in the "not assigned (split commune)" row, and afterwards under the chosen commune.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, DATA } from '../lib/server.mjs';
import { parseCsv, units } from '../lib/data.mjs';
import { api, assertFieldError, createModel, token } from '../lib/http.mjs';
import { apiImport } from '../lib/sheets.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

// the first old commune of the real mapping that went into more than one new commune
const mapping = parseCsv(readFileSync(path.join(DATA, 'commune-2024-to-2025.csv'), 'utf8'));
const news = new Map();
for (const m of mapping) news.set(m.old_code, [...(news.get(m.old_code) || []), m.new_code]);
const [oldCode, newCodes] = [...news].find(([, v]) => v.length > 1);
const u25 = new Map(units(2025).map((u) => [u.code, u]));
const province25 = u25.get(newCodes[0]).parent_code;
const byUnit = async () => (await api(srv.base, 'GET',
  `/api/v1/reports/by_unit?hierarchy=2025&unit=${province25}&status=all&from=2024-01-01&to=2024-12-31`)).json.tables[0];
const rowOf = (t, key) => t.rows.find((r) => r.key === key);

test('a model of a split commune is not assigned until its new commune is chosen', async () => {
  const before = await byUnit();
  const m = await createModel(srv.base, { title: `Mô hình xã tách ${token()}`, unit_code: oldCode, hierarchy: 2024,
    registered_on: '2024-05-02' });
  assert.equal(m.commune_2025, '');
  let t = await byUnit();
  const un = t.rows.find((r) => r.unassigned);
  assert.ok(un, 'the not-assigned row appears');
  assert.equal(un.total, (before.rows.find((r) => r.unassigned)?.total || 0) + 1);
  assert.equal(t.total.total, before.total.total + 1);

  // a commune the old one did not go into is refused, and nothing changes
  const other = units(2025).find((u) => u.level === 2 && !newCodes.includes(u.code)).code;
  assertFieldError(await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
    { body: { commune_2025: other }, headers: { 'If-Match': '1' } }), 'commune_2025', 'not one of its new communes');
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json.version, 1);

  const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
    { body: { commune_2025: newCodes[1] }, headers: { 'If-Match': '1' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.commune_2025, newCodes[1]);
  t = await byUnit();
  assert.equal(rowOf(t, newCodes[1]).total, rowOf(before, newCodes[1]).total + 1);
  assert.equal(t.rows.find((x) => x.unassigned)?.total || 0, before.rows.find((x) => x.unassigned)?.total || 0);
  assert.equal(t.total.total, before.total.total + 1);
  // the 2024 report still counts it under its old commune's district
  const d = await api(srv.base, 'GET', `/api/v1/models?hierarchy=2025&unit=${newCodes[1]}&q=${encodeURIComponent(m.title)}`);
  assert.deepEqual(d.json.items.map((x) => x.id), [m.id]);
});

test('the model page offers the new communes in a form', async () => {
  const m = await createModel(srv.base, { title: `Mô hình trang ${token()}`, unit_code: oldCode, hierarchy: 2024 });
  const page = await api(srv.base, 'GET', `/models/${m.id}`);
  assert.equal(page.status, 200);
  for (const c of newCodes) assert.match(page.text, new RegExp(`<option value="${c}"`));
  assert.match(page.text, /action="\/models\/\d+\/commune-2025"/);
});

test('a model of a 2025 commune has nothing to choose', async () => {
  const c = units(2025).find((u) => u.level === 2).code;
  const r = await api(srv.base, 'POST', '/api/v1/models', {
    body: { ...(await import('../lib/http.mjs')).validModel({ unit_code: c, hierarchy: 2025 }), commune_2025: c } });
  assertFieldError(r, 'commune_2025', '2025 model');
});

test('chosen communes survive an export and the import of that file', async () => {
  // three models of the same split commune: two new communes chosen, one not, so that
  // whatever their order in the file, one is placed after another of the same old commune
  const tok = token();
  const ms = [];
  for (const [day, choice] of [['2024-06-02', newCodes[1]], ['2024-06-03', newCodes[0]], ['2024-06-04', '']]) {
    const m = await createModel(srv.base, { title: `Mô hình xuất nhập ${tok} ${day}`, unit_code: oldCode,
      hierarchy: 2024, registered_on: day });
    if (choice) {
      const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
        { body: { commune_2025: choice }, headers: { 'If-Match': '1' } });
      assert.equal(r.status, 200, r.text);
    }
    ms.push([m.id, choice]);
  }
  const before = await byUnit();
  const file = await fetch(`${srv.base}/api/v1/models/export?format=csv&q=${tok}`,
    { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(file.status, 200);
  // an edited file: every title changed, so every row is written again (and placed again)
  const edited = (await file.text()).replaceAll(`Mô hình xuất nhập ${tok}`, `Mô hình xuất nhập đã sửa ${tok}`);
  const { job } = await apiImport(srv.base, Buffer.from(edited), { name: 'split.csv' });
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.report?.updated ?? job.updated, 3, JSON.stringify(job));
  for (const [id, choice] of ms) {
    const got = (await api(srv.base, 'GET', `/api/v1/models/${id}`)).json;
    assert.equal(got.commune_2025, choice, `model ${id}`);
  }
  const after = await byUnit();
  for (const c of newCodes) assert.equal(rowOf(after, c).total, rowOf(before, c).total, c);
  assert.equal(after.rows.find((x) => x.unassigned)?.total || 0, before.rows.find((x) => x.unassigned)?.total || 0);
});
