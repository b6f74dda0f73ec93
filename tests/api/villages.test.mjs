// villages.test.mjs: villages added locally under a commune (POST /api/v1/units/{code}/villages).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, assertFieldError, createModel, listModels, token } from '../lib/http.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const add = (code, body, h = 2024) => api(srv.base, 'POST', `/api/v1/units/${code}/villages?hierarchy=${h}`, { body });
const children = async (code, h = 2024) =>
  (await api(srv.base, 'GET', `/api/v1/units/${code}/children?hierarchy=${h}`)).json.items;

test('a village gets the next code under its commune and is listed as a child', async () => {
  const r = await add('20368', { name: 'Thôn An Thiện' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { code: '20368-01', name: 'Thôn An Thiện', type: 'village', level: 4, parent_code: '20368', hierarchy: 2024 });
  assert.equal(r.headers.get('location'), '/api/v1/units/20368-01?hierarchy=2024');
  const r2 = await add('20368', { name: 'Thôn Phú Lộc' });
  assert.equal(r2.json.code, '20368-02');
  assert.deepEqual((await children('20368')).map((u) => u.code).sort(), ['20368-01', '20368-02']);
  const got = await api(srv.base, 'GET', '/api/v1/units/20368-01?hierarchy=2024');
  assert.deepEqual(got.json.path.map((u) => u.code), ['49', '518', '20368']);
});

test('concurrent additions get distinct codes', async () => {
  const rs = await Promise.all([...Array(8)].map((_, i) => add('20380', { name: `Thôn ${i} ${token()}` }, 2025)));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(rs.map((r) => r.json.code)).size, 8);
  assert.equal((await children('20380', 2025)).length, 8);
});

test('a model in a village is found under its commune, district and new province', async () => {
  const v = await add('20368', { name: `Thôn Mới ${token()}` });
  const tok = token();
  const m = await createModel(srv.base, { title: `Mô hình thôn ${tok}`, unit_code: v.json.code, hierarchy: 2024 });
  for (const [unit, h] of [['20368', 2024], ['518', 2024], ['48', 2025], [v.json.code, 2024]]) {
    const p = await listModels(srv.base, { q: tok, unit, hierarchy: String(h) });
    assert.deepEqual(p.items.map((x) => x.id), [m.id], `unit=${unit}&hierarchy=${h}`);
  }
});

test('bad village requests change nothing', async () => {
  const before = (await children('20362')).length;
  assertFieldError(await add('20362', { name: '' }), 'name', 'empty name');
  assertFieldError(await add('20362', { name: 'x'.repeat(101) }), 'name', 'long name');
  await add('20362', { name: 'Thôn Kim Đới' });
  assertFieldError(await add('20362', { name: 'THON KIM DOI' }), 'name', 'same name without diacritics');
  assertError(await add('20362', { name: 'a', other: 1 }), 400, 'unknown field');
  assertError(await add('20362', { name: 5 }), 400, 'wrong type');
  assertError(await add('20362', '{"name":'), 400, 'malformed JSON');
  assertError(await add('99999', { name: 'Thôn X' }), 404, 'unknown commune');
  assertFieldError(await add('518', { name: 'Thôn X' }), 'code', 'a district is not a commune');
  assertError(await add('20362', { name: 'Thôn X' }, 2023), 400, 'bad hierarchy');
  assert.equal((await children('20362')).length, before + 1);
});
