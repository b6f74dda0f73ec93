// units.test.mjs: GET /healthz and the administrative-unit API (issue 2, §7).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, fold } from '../lib/http.mjs';
import { units } from '../lib/data.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const get = (p, headers) => api(srv.base, 'GET', p, { headers });

/* The unit as the API must show it, from the CSV row. */
function expected(h, code) {
  const u = units(h).find((x) => x.code === code);
  assert.ok(u, `test data: ${code} not in units-${h}.csv`);
  return { code: u.code, name: u.name, type: u.type, level: u.level, parent_code: u.parent_code, hierarchy: h };
}

/* Asserts the six documented keys with exact values (a root's parent_code may be "" or null). */
function assertUnit(got, want, what) {
  assert.ok(got && typeof got === 'object', `${what}: not an object: ${JSON.stringify(got)}`);
  for (const k of ['code', 'name', 'type', 'level', 'hierarchy']) {
    assert.deepEqual(got[k], want[k], `${what}: ${k}: ${JSON.stringify(got)}`);
  }
  assert.ok('parent_code' in got, `${what}: no parent_code: ${JSON.stringify(got)}`);
  if (want.parent_code === '') assert.ok(got.parent_code === '' || got.parent_code === null, `${what}: root parent_code: ${JSON.stringify(got.parent_code)}`);
  else assert.equal(got.parent_code, want.parent_code, `${what}: parent_code`);
}

function assertItems(r, what) {
  assert.equal(r.status, 200, `${what}: expected 200, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, `${what}: content-type`);
  assert.ok(r.json && Array.isArray(r.json.items), `${what}: no items[]: ${r.text}`);
  return r.json.items;
}

const codes = (items) => items.map((u) => u.code).sort();
// 00004 Phường Ba Đình, 16171 Xã Ba Đình, 21499 Xã Ba Dinh (sic, in the catalogue)
const baDinh2025 = () => units(2025).filter((u) => fold(u.name).includes('ba dinh')).map((u) => u.code).sort();

describe('healthz', () => {
  test('GET /healthz answers 200', async () => {
    const r = await get('/healthz');
    assert.equal(r.status, 200);
  });
});

describe('unit search', () => {
  test('q=truc bach in 2024 finds exactly Phường Trúc Bạch (00004)', async () => {
    const items = assertItems(await get('/api/v1/units?q=truc%20bach&hierarchy=2024'), 'truc bach');
    assert.equal(items.length, 1, `expected 1 unit, got ${JSON.stringify(items)}`);
    assertUnit(items[0], expected(2024, '00004'), 'truc bach');
  });

  test('q=ba dinh in 2025 finds Phường Ba Đình (00004), all items in 2025', async () => {
    const items = assertItems(await get('/api/v1/units?q=ba%20dinh&hierarchy=2025'), 'ba dinh');
    const hit = items.find((u) => u.code === '00004');
    assert.ok(hit, `00004 missing from ${JSON.stringify(items)}`);
    assertUnit(hit, expected(2025, '00004'), 'ba dinh 2025');
    assert.deepEqual(codes(items), baDinh2025(), 'the 2025 units named Ba Đình or Ba Dinh');
    for (const u of items) assert.equal(u.hierarchy, 2025);
  });

  test('hierarchy defaults to 2025', async () => {
    const items = assertItems(await get('/api/v1/units?q=ba%20dinh'), 'ba dinh default');
    assert.deepEqual(codes(items), baDinh2025());
    for (const u of items) assert.equal(u.hierarchy, 2025);
  });

  test('q=ba dinh in 2024 finds Quận Ba Đình and the two Phường Ba Đình, not 2025 units', async () => {
    const items = assertItems(await get('/api/v1/units?q=ba%20dinh&hierarchy=2024'), 'ba dinh 2024');
    for (const c of ['001', '14776', '14812']) assert.ok(items.some((u) => u.code === c), `${c} missing: ${JSON.stringify(codes(items))}`);
    for (const u of items) assert.equal(u.hierarchy, 2024);
    assert.ok(!items.some((u) => u.code === '16171'), '16171 is a 2025 code');
  });

  test('DUONG, đường and duong give the same units, each of them a match', async () => {
    const sets = [];
    for (const q of ['duong', 'DUONG', 'đường', 'ĐƯỜNG', 'Duong', 'dương']) {
      const items = assertItems(await get(`/api/v1/units?q=${encodeURIComponent(q)}&hierarchy=2025`), q);
      assert.ok(items.length > 0, `${q}: no units`);
      for (const u of items) assert.ok(fold(u.name).includes('duong'), `${q}: ${u.name} does not match`);
      sets.push([q, codes(items)]);
    }
    for (const [q, c] of sets.slice(1)) assert.deepEqual(c, sets[0][1], `${q} differs from ${sets[0][0]}`);
  });

  test('duong thuong, DUONG THUONG and đường thượng find exactly Xã Đường Thượng (00865)', async () => {
    for (const q of ['duong thuong', 'DUONG THUONG', 'đường thượng', 'Đường Thượng']) {
      const items = assertItems(await get(`/api/v1/units?q=${encodeURIComponent(q)}&hierarchy=2025`), q);
      assert.deepEqual(codes(items), ['00865'], q);
      assertUnit(items[0], expected(2025, '00865'), q);
    }
  });

  test('decomposed (NFD) input folds like composed input', async () => {
    const q = encodeURIComponent('Trúc Bạch'.normalize('NFD'));
    const items = assertItems(await get(`/api/v1/units?q=${q}&hierarchy=2024`), 'NFD');
    assert.deepEqual(codes(items), ['00004']);
  });

  test('a name that exists nowhere gives an empty list', async () => {
    const items = assertItems(await get('/api/v1/units?q=zzqxwv&hierarchy=2025'), 'nothing');
    assert.deepEqual(items, []);
  });

  test('no q lists the provinces: 34 in 2025, 63 in 2024', async () => {
    for (const [h, n] of [[2025, 34], [2024, 63]]) {
      const items = assertItems(await get(`/api/v1/units?hierarchy=${h}`), `provinces ${h}`);
      assert.equal(items.length, n, `${h}: ${items.length} provinces`);
      const want = units(h).filter((u) => u.level === 1).map((u) => u.code).sort();
      assert.deepEqual(codes(items), want);
      for (const u of items) assertUnit(u, expected(h, u.code), `province ${u.code}`);
    }
  });

  test('no q and no hierarchy lists the 34 provinces of 2025', async () => {
    const items = assertItems(await get('/api/v1/units'), 'provinces default');
    assert.equal(items.length, 34);
  });
});

describe('one unit', () => {
  test('00004 in 2024 is Phường Trúc Bạch with its path from the root', async () => {
    const r = await get('/api/v1/units/00004?hierarchy=2024');
    assert.equal(r.status, 200, r.text);
    assertUnit(r.json, expected(2024, '00004'), '00004/2024');
    assert.ok(Array.isArray(r.json.path), `no path[]: ${r.text}`);
    assert.deepEqual(r.json.path.map((p) => p.code), ['01', '001']);
    assert.deepEqual(r.json.path.map((p) => p.name), ['Thành phố Hà Nội', 'Quận Ba Đình']);
  });

  test('00004 in 2025 is Phường Ba Đình, path [Hà Nội]', async () => {
    const r = await get('/api/v1/units/00004?hierarchy=2025');
    assert.equal(r.status, 200, r.text);
    assertUnit(r.json, expected(2025, '00004'), '00004/2025');
    assert.deepEqual(r.json.path.map((p) => p.code), ['01']);
  });

  test('hierarchy defaults to 2025 (00004 is Phường Ba Đình)', async () => {
    const r = await get('/api/v1/units/00004');
    assert.equal(r.status, 200, r.text);
    assertUnit(r.json, expected(2025, '00004'), '00004/default');
  });

  test('a province has an empty path', async () => {
    const r = await get('/api/v1/units/49?hierarchy=2024');
    assert.equal(r.status, 200, r.text);
    assertUnit(r.json, expected(2024, '49'), '49/2024');
    assert.deepEqual(r.json.path, []);
  });

  test('a 2024 commune has province and district in its path', async () => {
    const r = await get('/api/v1/units/20368?hierarchy=2024');
    assert.equal(r.status, 200, r.text);
    assertUnit(r.json, expected(2024, '20368'), '20368/2024');
    assert.deepEqual(r.json.path.map((p) => p.code), ['49', '518']);
  });

  test('unknown codes give 404 with the error body', async () => {
    assertError(await get('/api/v1/units/99999?hierarchy=2025'), 404, '99999');
    // 49 (Quảng Nam) exists only in 2024; 518 is a 2024 district.
    assertError(await get('/api/v1/units/49?hierarchy=2025'), 404, '49 in 2025');
    assertError(await get('/api/v1/units/518'), 404, '518 in default 2025');
  });
});

describe('children', () => {
  test('children of Quận Ba Đình (001) in 2024 are its 13 wards', async () => {
    const items = assertItems(await get('/api/v1/units/001/children?hierarchy=2024'), '001 children');
    const want = units(2024).filter((u) => u.parent_code === '001');
    assert.equal(want.length, 13);
    assert.deepEqual(codes(items), want.map((u) => u.code).sort());
    for (const u of items) assertUnit(u, expected(2024, u.code), `child ${u.code}`);
  });

  test('children of Hà Nội (01) in 2025 are its 126 communes and wards', async () => {
    const items = assertItems(await get('/api/v1/units/01/children?hierarchy=2025'), '01 children');
    const want = units(2025).filter((u) => u.parent_code === '01');
    assert.equal(items.length, want.length);
    assert.deepEqual(codes(items), want.map((u) => u.code).sort());
  });

  test('children default to 2025', async () => {
    const items = assertItems(await get('/api/v1/units/01/children'), '01 children default');
    assert.equal(items.length, units(2025).filter((u) => u.parent_code === '01').length);
    for (const u of items) assert.equal(u.hierarchy, 2025);
  });

  test('a commune without villages has no children', async () => {
    const items = assertItems(await get('/api/v1/units/00004/children?hierarchy=2024'), '00004 children');
    assert.deepEqual(items, []);
  });

  test('children of an unknown unit give 404', async () => {
    assertError(await get('/api/v1/units/99999/children?hierarchy=2024'), 404, 'unknown children');
  });
});

describe('bad hierarchy', () => {
  for (const p of [
    '/api/v1/units?hierarchy=2023',
    '/api/v1/units?q=ba%20dinh&hierarchy=2023',
    '/api/v1/units?hierarchy=abc',
    '/api/v1/units/00004?hierarchy=2023',
    '/api/v1/units/01/children?hierarchy=2023',
  ]) {
    test(`${p} → 400`, async () => {
      assertError(await get(p), 400, p);
    });
  }
});

describe('invalid UTF-8 in the query (DESIGN: never accept invalid UTF-8)', () => {
  test('q=%C3%28 → 400', async () => {
    assertError(await get('/api/v1/units?q=%C3%28&hierarchy=2025'), 400, 'bad utf-8 q');
  });
});
