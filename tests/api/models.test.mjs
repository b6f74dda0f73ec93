// models.test.mjs: POST, GET and PATCH of /api/v1/models (issue 2, §7).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, assertFieldError, assertEchoes, createModel, validModel, sortResults, totalModels } from '../lib/http.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const CODE = /^DVK-\d{4}-\d{6}$/;

function assertTimestamp(v, what) {
  assert.equal(typeof v, 'string', `${what}: not a string: ${JSON.stringify(v)}`);
  assert.ok(!Number.isNaN(Date.parse(v)), `${what}: not a date: ${v}`);
}

describe('POST /api/v1/models', () => {
  test('a full registration gives 201, Location and the stored model', async () => {
    const body = validModel();
    const r = await api(srv.base, 'POST', '/api/v1/models', { body });
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type') || '', /^application\/json/);
    const m = r.json;
    assert.equal(typeof m.id, 'number');
    assert.ok(Number.isInteger(m.id) && m.id > 0, `id ${m.id}`);
    assert.equal(r.headers.get('location'), `/api/v1/models/${m.id}`);
    assertEchoes(m, body, 'POST');
    assert.match(m.code, CODE);
    assert.equal(m.code.slice(4, 8), '2024', 'code year = registered_on year');
    assert.equal(m.status, 'registered');
    assert.equal(m.version, 1);
    assert.equal(m.typical, false);
    assert.equal(m.unit_name, 'Xã Tam An');
    assertTimestamp(m.created_at, 'created_at');
    assertTimestamp(m.updated_at, 'updated_at');
  });

  test('GET returns the same model with ETag "1"', async () => {
    const body = validModel({ title: 'Năm không, ba có ở Tam Thăng' });
    const created = await createModel(srv.base, body);
    const r = await api(srv.base, 'GET', `/api/v1/models/${created.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.deepEqual(r.json, created, 'GET equals the POST answer');
    assertEchoes(r.json, body, 'GET');
  });

  test('status defaults to registered; draft is kept', async () => {
    const body = validModel({ title: 'Mặc định trạng thái' });
    delete body.status;
    const r = await api(srv.base, 'POST', '/api/v1/models', { body });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'registered');
    const d = await createModel(srv.base, { title: 'Bản nháp', status: 'draft' });
    assert.equal(d.status, 'draft');
    const g = await api(srv.base, 'GET', `/api/v1/models/${d.id}`);
    assert.equal(g.json.status, 'draft');
  });

  test('a 2025 unit: code year follows registered_on, unit_name from the 2025 catalogue', async () => {
    const body = validModel({
      title: 'Tuyến phố văn minh Ba Đình', unit_code: '00004', hierarchy: 2025,
      registered_on: '2025-08-01', period_from: '2025-08-01', period_to: '', field: 'cultural_social',
      kind: 'individual', owner: 'Nguyễn Văn A', owner_type: 'person', registration_level: 'commune',
      results: [], tags: [],
    });
    const m = await createModel(srv.base, body);
    assertEchoes(m, body, '2025 model');
    assert.equal(m.code.slice(4, 8), '2025');
    assert.equal(m.unit_name, 'Phường Ba Đình');
    assert.equal(m.hierarchy, 2025);
  });

  test('the same code 00004 means different units in 2024 and 2025', async () => {
    const a = await createModel(srv.base, { title: 'Trúc Bạch 2024', unit_code: '00004', hierarchy: 2024 });
    assert.equal(a.unit_name, 'Phường Trúc Bạch');
    assert.equal(a.hierarchy, 2024);
  });

  test('every result indicator of the catalogue is accepted and kept', async () => {
    const ind = ['households', 'people', 'land_m2', 'money_vnd', 'working_days', 'road_km', 'lighting_km',
      'area_ha', 'yield_t_ha', 'houses', 'cameras', 'members'];
    const results = ind.map((indicator, i) => ({ year: 2024, indicator, value: i === 3 ? 2500000000 : i + 0.5 }));
    const m = await createModel(srv.base, { title: 'Đủ chỉ số', results });
    assert.deepEqual(sortResults(m.results), sortResults(results));
  });

  test('each model gets its own code', async () => {
    const a = await createModel(srv.base, { title: 'Mã thứ nhất' });
    const b = await createModel(srv.base, { title: 'Mã thứ hai' });
    assert.notEqual(a.code, b.code);
    assert.notEqual(a.id, b.id);
  });

  test('line breaks and tabs in long text are kept', async () => {
    const description = 'Dòng một\nDòng hai\n\n\tThụt lề';
    const m = await createModel(srv.base, { title: 'Nhiều dòng', description });
    assert.equal(m.description, description);
  });

  test('text keeps every UTF-8 character and HTML-ish text as is', async () => {
    const title = 'Ấp <b>"Đoàn kết"</b> & Ỹ 𝕏 — ①'.normalize('NFC');
    const m = await createModel(srv.base, { title });
    assert.equal(m.title, title);
    const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.json.title, title);
  });
});

describe('several clients at once', () => {
  test('20 concurrent registrations all succeed with their own id and code', async () => {
    const before = await totalModels(srv.base);
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `Song song ${i}` }) })));
    for (const r of rs) assert.equal(r.status, 201, r.text);
    assert.equal(new Set(rs.map((r) => r.json.id)).size, 20, 'ids');
    assert.equal(new Set(rs.map((r) => r.json.code)).size, 20, 'codes');
    assert.equal(await totalModels(srv.base), before + 20);
  });

  test('10 concurrent PATCHes with the same If-Match: exactly one wins, the rest get 409', async () => {
    const m = await createModel(srv.base, { title: 'Tranh chấp' });
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: `Bản ${i}` }, headers: { 'If-Match': '1' } })));
    const ok = rs.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, `statuses: ${rs.map((r) => r.status)}`);
    for (const r of rs) if (r.status !== 200) assertError(r, 409, 'loser');
    const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.json.version, 2);
    assert.equal(g.json.summary, ok[0].json.summary);
  });
});

describe('GET /api/v1/models/{id}', () => {
  for (const id of ['999999', '0', 'abc', '-1', '1.5', '1e3', '99999999999999999999999']) {
    test(`id ${id} → 404`, async () => {
      assertError(await api(srv.base, 'GET', `/api/v1/models/${id}`), 404, id);
    });
  }
});

describe('PATCH /api/v1/models/{id}', () => {
  test('If-Match 1 changes only the given fields and bumps the version', async () => {
    const body = validModel({ title: 'Trước khi sửa' });
    const m = await createModel(srv.base, body);
    const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
      { body: { summary: 'Tóm tắt mới', tags: ['cải cách hành chính'] }, headers: { 'If-Match': '1' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.summary, 'Tóm tắt mới');
    assert.deepEqual(r.json.tags, ['cải cách hành chính']);
    assert.equal(r.json.title, 'Trước khi sửa');
    assert.equal(r.json.id, m.id);
    assert.equal(r.json.code, m.code, 'the code never changes');
    assertEchoes(r.json, { ...body, summary: 'Tóm tắt mới', tags: ['cải cách hành chính'] }, 'after PATCH');
    const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.status, 200);
    assert.equal(g.headers.get('etag'), '"2"');
    assert.deepEqual(g.json, r.json, 'GET equals the PATCH answer');
  });

  test('a quoted If-Match ("N") is accepted too', async () => {
    const m = await createModel(srv.base, { title: 'Dấu ngoặc kép' });
    const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
      { body: { title: 'Dấu ngoặc kép (sửa)' }, headers: { 'If-Match': '"1"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.title, 'Dấu ngoặc kép (sửa)');
    const r2 = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
      { body: { title: 'Lần ba' }, headers: { 'If-Match': '"2"' } });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.json.version, 3);
  });

  test('a stale version gives 409 and changes nothing', async () => {
    const m = await createModel(srv.base, { title: 'Phiên bản cũ' });
    const ok = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
      { body: { title: 'Phiên bản hai' }, headers: { 'If-Match': '1' } });
    assert.equal(ok.status, 200, ok.text);
    const before = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    for (const v of ['1', '"1"', '7']) {
      const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
        { body: { title: 'Không được ghi', summary: 'Không được ghi' }, headers: { 'If-Match': v } });
      assertError(r, 409, `If-Match ${v}`);
    }
    const after = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.deepEqual(after.json, before.json);
    assert.equal(after.json.title, 'Phiên bản hai');
    assert.equal(after.json.version, 2);
    assert.equal(after.headers.get('etag'), '"2"');
  });

  test('no If-Match gives 428 and changes nothing', async () => {
    const m = await createModel(srv.base, { title: 'Thiếu If-Match' });
    assertError(await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { title: 'X' } }), 428, 'no If-Match');
    const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.json.title, 'Thiếu If-Match');
    assert.equal(g.json.version, 1);
  });

  test('PATCH of an unknown id gives 404', async () => {
    assertError(await api(srv.base, 'PATCH', '/api/v1/models/999999',
      { body: { title: 'X' }, headers: { 'If-Match': '1' } }), 404, 'unknown');
    assertError(await api(srv.base, 'PATCH', '/api/v1/models/abc',
      { body: { title: 'X' }, headers: { 'If-Match': '1' } }), 404, 'abc');
  });

  test('an invalid PATCH (400 or 422) changes nothing and keeps the version', async () => {
    const m = await createModel(srv.base, { title: 'Sửa sai' });
    const cases = [
      [{ title: '' }, 422, 'title'],
      [{ registered_on: '2024-02-30' }, 422, 'registered_on'],
      [{ unit_code: '99999' }, 422, 'unit_code'],
      [{ period_from: '2025-01-01', period_to: '2024-01-01' }, 422, /^period_(from|to)$/],
      [{ colour: 'red' }, 400],
      [{ title: 5 }, 400],
      ['{"title": "x"', 400],
      [[], 400],
    ];
    const total = await totalModels(srv.base);
    for (const [body, status, field] of cases) {
      const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body, headers: { 'If-Match': '1' } });
      if (status === 422) assertFieldError(r, field, `PATCH ${JSON.stringify(body)}`);
      else assertError(r, status, `PATCH ${JSON.stringify(body)}`);
    }
    const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
    assert.deepEqual(g.json, m);
    assert.equal(await totalModels(srv.base), total);
  });
});
