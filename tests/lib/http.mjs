// http.mjs: small HTTP and data helpers shared by the API tests.
import http from 'node:http';
import assert from 'node:assert/strict';

const TIMEOUT_MS = 15000;

/* One request. body: object (sent as JSON), string or Buffer (sent as is).
 * Resolves to { status, headers (Headers), text, json (parsed or undefined) }. */
/* The bearer token sent when a request names no Authorization header
 * (startServer sets the administrator's; pass { Authorization: '' } to send none). */
let defaultToken = '';
export function setDefaultToken(t) { defaultToken = t; }

export async function api(base, method, path, { body, headers = {} } = {}) {
  const h = { ...headers };
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'authorization') && defaultToken) {
    h.Authorization = `Bearer ${defaultToken}`;
  }
  for (const k of Object.keys(h)) if (h[k] === '') delete h[k];
  let payload;
  if (body !== undefined) {
    if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
    else payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const r = await fetch(base + path, {
    method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, text, json };
}

/* A request through node:http that keeps the server's answer even when the
 * server stops reading the body early (as it should for an oversized body). */
export function rawRequest(base, method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(base + path);
    let answered = false;
    // agent: false: a connection of its own, never one the server is closing after an earlier answer
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent: false,
      headers: { ...(defaultToken ? { Authorization: `Bearer ${defaultToken}` } : {}), ...headers, 'Content-Length': body ? body.length : 0 },
    }, (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    // EPIPE/ECONNRESET while writing are expected when the server answers early;
    // the response (if any) still arrives on 'response'.
    req.on('error', (e) => {
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET') return;
      reject(e);
    });
    // the connection ended without any answer: fail instead of waiting forever
    req.on('close', () => { if (!answered) reject(new Error(`${method} ${path}: the connection closed without an answer`)); });
    if (body) req.write(body);
    req.end();
  });
}

/* Folds case and Vietnamese diacritics like a user typing without them. */
export function fold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

let seq = 0;
/* A unique ASCII word for titles, so each test can find exactly its own models. */
export function token(prefix = 'tk') {
  seq += 1;
  return `${prefix}${process.pid.toString(36)}x${seq}x${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/* A complete, valid registration (2024 Xã Tam An, Huyện Phú Ninh, Tỉnh Quảng Nam). */
export function validModel(over = {}) {
  return {
    title: 'Tổ an ninh tự quản Tam An',
    field: 'defense_security',
    kind: 'collective',
    unit_code: '20368',
    hierarchy: 2024,
    registration_level: 'commune',
    registered_on: '2024-03-15',
    summary: 'Người dân tự tuần tra, giữ gìn an ninh thôn xóm.',
    description: 'Mô hình do Công an xã và Mặt trận Tổ quốc xã phối hợp xây dựng.',
    owner: 'Công an xã Tam An',
    owner_type: 'organization',
    tags: ['an ninh trật tự', 'nông thôn mới'],
    status: 'registered',
    situation: 'Tình hình trộm cắp vặt ở thôn còn phức tạp.',
    objectives: 'Giảm 50% vụ trộm cắp trong năm.',
    content: 'Tuần tra ban đêm, lắp camera tại các ngã ba.',
    area_target: 'Toàn xã, 8 thôn.',
    forces: 'Công an xã, dân quân, đoàn viên thanh niên.',
    resources: 'Nhân dân đóng góp, ngân sách xã hỗ trợ.',
    outputs: 'Số vụ việc giảm; 12 camera được lắp.',
    sustainability: 'Nhân rộng ra các xã lân cận.',
    period_from: '2024-03-01',
    period_to: '2025-12-31',
    results: [
      { year: 2024, indicator: 'households', value: 130 },
      { year: 2024, indicator: 'cameras', value: 12 },
    ],
    ...over,
  };
}

/* Fields of validModel() that the stored model echoes back unchanged. */
export const ECHOED = [
  'title', 'field', 'kind', 'unit_code', 'hierarchy', 'registration_level', 'registered_on',
  'summary', 'description', 'owner', 'owner_type', 'tags', 'status', 'situation', 'objectives',
  'content', 'area_target', 'forces', 'resources', 'outputs', 'sustainability', 'period_from',
  'period_to', 'results',
];

/* Results in a canonical order (the API may return them by year and indicator). */
export function sortResults(rs) {
  return [...rs].sort((a, b) => a.year - b.year || (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : a.value - b.value));
}

/* Asserts that got carries every ECHOED field of sent unchanged (results in any order). */
export function assertEchoes(got, sent, what = '') {
  for (const k of ECHOED) {
    if (!(k in sent)) continue;
    if (k === 'results') {
      assert.ok(Array.isArray(got.results), `${what}: results is not an array: ${JSON.stringify(got.results)}`);
      assert.deepEqual(sortResults(got.results), sortResults(sent.results), `${what}: field results`);
    } else {
      assert.deepEqual(got[k], sent[k], `${what}: field ${k}`);
    }
  }
}

/* POSTs a model and asserts 201; returns the stored model. */
export async function createModel(base, over = {}) {
  const body = validModel(over);
  const r = await api(base, 'POST', '/api/v1/models', { body });
  assert.equal(r.status, 201, `POST /api/v1/models: expected 201, got ${r.status}: ${r.text}`);
  assert.ok(r.json && typeof r.json.id === 'number', `POST /api/v1/models: no numeric id in ${r.text}`);
  return r.json;
}

/* GET /api/v1/models with query object; asserts 200 and returns the JSON. */
export async function listModels(base, query = {}) {
  const qs = new URLSearchParams(query).toString();
  const r = await api(base, 'GET', `/api/v1/models${qs ? '?' + qs : ''}`);
  assert.equal(r.status, 200, `GET /api/v1/models?${qs}: expected 200, got ${r.status}: ${r.text}`);
  return r.json;
}

/* Follows `next` to the end; returns { pages, items }. */
export async function listAll(base, query, maxPages = 50) {
  const pages = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const q = { ...query };
    if (cursor !== null) q.cursor = cursor;
    const page = await listModels(base, q);
    pages.push(page);
    if (page.next === null) return { pages, items: pages.flatMap((p) => p.items) };
    assert.equal(typeof page.next, 'string', `next must be a string or null, got ${JSON.stringify(page.next)}`);
    assert.notEqual(page.next, '', 'next must not be empty');
    cursor = page.next;
  }
  assert.fail(`paging did not end after ${maxPages} pages`);
}

/* The total of the whole, unfiltered list: used to prove that nothing was written. */
export async function totalModels(base) {
  return (await listModels(base, {})).total;
}

/* Asserts the documented error shape and returns the error object. */
export function assertError(r, status, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}: ${r.text}`);
  assert.ok(r.json, `${what}: error body is not JSON: ${r.text}`);
  assert.equal(typeof r.json.error, 'object', `${what}: no "error" object in ${r.text}`);
  assert.notEqual(r.json.error, null, `${what}: "error" is null`);
  assert.equal(typeof r.json.error.code, 'string', `${what}: error.code must be a string: ${r.text}`);
  assert.ok(r.json.error.code.length > 0, `${what}: error.code is empty`);
  assert.equal(typeof r.json.error.message, 'string', `${what}: error.message must be a string: ${r.text}`);
  assert.ok(r.json.error.message.trim().length > 0, `${what}: error.message is empty`);
  const ct = r.headers.get ? r.headers.get('content-type') : r.headers['content-type'];
  assert.match(ct || '', /^application\/(problem\+)?json/, `${what}: content-type of an error: ${ct}`);
  return r.json.error;
}

/* Asserts a 422 with a fields[] entry for `field` (exact name, or a RegExp). */
export function assertFieldError(r, field, what = '') {
  const err = assertError(r, 422, what);
  assert.ok(Array.isArray(err.fields), `${what}: 422 without error.fields[]: ${r.text}`);
  assert.ok(err.fields.length > 0, `${what}: error.fields is empty`);
  for (const f of err.fields) {
    assert.equal(typeof f.field, 'string', `${what}: fields[].field must be a string: ${r.text}`);
    assert.equal(typeof f.message, 'string', `${what}: fields[].message must be a string: ${r.text}`);
    assert.ok(f.message.trim().length > 0, `${what}: empty fields[].message: ${r.text}`);
  }
  const hit = err.fields.find((f) => (field instanceof RegExp ? field.test(f.field) : f.field === field));
  assert.ok(hit, `${what}: no fields[] entry for ${field}: ${r.text}`);
  return { err, hit };
}
