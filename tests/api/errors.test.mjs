// errors.test.mjs: every error path of POST /api/v1/models answers its exact
// status with {"error":{"code","message"}} and writes nothing; messages follow
// the request's language (issue 2, §7 and §8).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, rawRequest, assertError, assertFieldError, validModel, totalModels, createModel } from '../lib/http.mjs';

let srv;
before(async () => {
  srv = await startServer();
  // One stored model, so that "nothing written" compares against a non-empty list.
  await createModel(srv.base, { title: 'Mô hình có sẵn' });
});
after(async () => { if (srv) await srv.stop(); });

const post = (body, headers = {}, path = '/api/v1/models') => api(srv.base, 'POST', path, { body, headers });

/* Runs fn (which must make exactly the failing request) and checks the total did not move. */
async function unchanged(fn) {
  const before = await totalModels(srv.base);
  const r = await fn();
  const after = await totalModels(srv.base);
  assert.equal(after, before, `the list total changed from ${before} to ${after}: something was written`);
  return r;
}

const without = (k) => { const b = validModel(); delete b[k]; return b; };
const validJson = JSON.stringify(validModel());

describe('400: malformed JSON', () => {
  for (const [name, text] of [
    ['truncated', validJson.slice(0, -5)],
    ['unquoted keys', '{title: "x"}'],
    ['empty body', ''],
    ['not JSON', 'title=x&field=economic'],
    ['trailing garbage', validJson + '}'],
    ['two objects', validJson + validJson],
    ['single quotes', "{'title': 'x'}"],
    ['trailing comma', validJson.slice(0, -1) + ',}'],
  ]) {
    test(name, async () => {
      assertError(await unchanged(() => post(text)), 400, name);
    });
  }
});

describe('400: invalid UTF-8 in the body', () => {
  const withBytes = (bytes) => {
    const [a, b] = JSON.stringify(validModel({ title: 'ab@@cd' })).split('@@');
    return Buffer.concat([Buffer.from(a, 'utf8'), Buffer.from(bytes), Buffer.from(b, 'utf8')]);
  };
  for (const [name, bytes] of [
    ['C3 28 (bad continuation)', [0xc3, 0x28]],
    ['lone C3 at the end of the string', [0xc3]],
    ['FF', [0xff]],
    ['overlong C0 AF', [0xc0, 0xaf]],
    ['UTF-16 surrogate ED A0 80', [0xed, 0xa0, 0x80]],
  ]) {
    test(name, async () => {
      assertError(await unchanged(() => post(withBytes(bytes))), 400, name);
    });
  }
  test('an escaped NUL \\u0000', async () => {
    const text = JSON.stringify(validModel({ title: 'abXcd' })).replace('abXcd', 'ab\\u0000cd');
    assertError(await unchanged(() => post(text)), 400, 'NUL');
  });
  test('an escaped lone surrogate \\ud800', async () => {
    const text = JSON.stringify(validModel({ title: 'abXcd' })).replace('abXcd', 'ab\\ud800cd');
    assertError(await unchanged(() => post(text)), 400, 'lone surrogate');
  });
  test('invalid UTF-8 in a tag', async () => {
    const [a, b] = JSON.stringify(validModel({ tags: ['x@@y'] })).split('@@');
    const buf = Buffer.concat([Buffer.from(a), Buffer.from([0xc3, 0x28]), Buffer.from(b)]);
    assertError(await unchanged(() => post(buf)), 400, 'tag');
  });
});

describe('400: not an object', () => {
  for (const text of ['[]', '[{"title":"x"}]', '"title"', '5', 'null', 'true', '['.repeat(100000), '{"a":'.repeat(50000)]) {
    test(text.slice(0, 20), async () => {
      assertError(await unchanged(() => post(text)), 400, text.slice(0, 20));
    });
  }
});

describe('400: unknown fields', () => {
  for (const [name, body] of [
    ['top level', validModel({ colour: 'red' })],
    ['misspelt', validModel({ titel: 'x' })],
    ['inside a result', validModel({ results: [{ year: 2024, indicator: 'households', value: 1, note: 'x' }] })],
  ]) {
    test(name, async () => {
      assertError(await unchanged(() => post(body)), 400, name);
    });
  }
});

describe('400: wrong types', () => {
  for (const [name, over] of [
    ['title: 5', { title: 5 }],
    ['title: object', { title: { vi: 'x' } }],
    ['hierarchy: "x"', { hierarchy: 'x' }],
    ['hierarchy: "2024" (a string)', { hierarchy: '2024' }],
    ['tags: "a"', { tags: 'a' }],
    ['tags: [1]', { tags: [1] }],
    ['results: "x"', { results: 'x' }],
    ['results: [5]', { results: [5] }],
    ['result year "2024"', { results: [{ year: '2024', indicator: 'households', value: 1 }] }],
    ['result value "1"', { results: [{ year: 2024, indicator: 'households', value: '1' }] }],
    ['registered_on: 20240315', { registered_on: 20240315 }],
    ['field: 1', { field: 1 }],
    ['summary: true', { summary: true }],
    ['owner: []', { owner: [] }],
  ]) {
    test(name, async () => {
      assertError(await unchanged(() => post(validModel(over))), 400, name);
    });
  }
});

describe('422: validation, with fields[]', () => {
  for (const [name, body, field] of [
    ['missing title', without('title'), 'title'],
    ['empty title', validModel({ title: '' }), 'title'],
    ['title of 5000 characters', validModel({ title: 'Đ'.repeat(5000) }), 'title'],
    ['unknown unit_code', validModel({ unit_code: '99999' }), 'unit_code'],
    ['a 2024 district code in 2025', validModel({ unit_code: '518', hierarchy: 2025 }), 'unit_code'],
    ['missing unit_code', without('unit_code'), 'unit_code'],
    ['registered_on 2024-02-30', validModel({ registered_on: '2024-02-30' }), 'registered_on'],
    ['registered_on 30/02/2024', validModel({ registered_on: '30/02/2024' }), 'registered_on'],
    ['registered_on 2023-02-29', validModel({ registered_on: '2023-02-29' }), 'registered_on'],
    ['registered_on 2024-3-15', validModel({ registered_on: '2024-3-15' }), 'registered_on'],
    ['period_from 2024-13-01', validModel({ period_from: '2024-13-01' }), 'period_from'],
    ['period_to before period_from', validModel({ period_from: '2025-01-01', period_to: '2024-12-31' }), /^period_(to|from)$/],
    ['result value -1', validModel({ results: [{ year: 2024, indicator: 'households', value: -1 }] }), /^results/],
    ['result year 1800', validModel({ results: [{ year: 1800, indicator: 'households', value: 1 }] }), /^results/],
    ['the same indicator and year twice', validModel({ results: [{ year: 2024, indicator: 'households', value: 1 }, { year: 2024, indicator: 'households', value: 2 }] }), /^results/],
    ['unknown indicator', validModel({ results: [{ year: 2024, indicator: 'bananas', value: 1 }] }), /^results/],
    ['field outside the list', validModel({ field: 'sports' }), 'field'],
    ['kind outside the list', validModel({ kind: 'group' }), 'kind'],
    ['registration_level outside the list', validModel({ registration_level: 'village' }), 'registration_level'],
    ['owner_type outside the list', validModel({ owner_type: 'robot' }), 'owner_type'],
    ['status other than draft|registered', validModel({ status: 'recognized' }), 'status'],
    ['hierarchy 2023', validModel({ hierarchy: 2023 }), 'hierarchy'],
  ]) {
    test(name, async () => {
      assertFieldError(await unchanged(() => post(body)), field, name);
    });
  }

  test('several problems are all reported', async () => {
    const body = validModel({ title: '', registered_on: '2024-02-30', kind: 'group' });
    const { err } = assertFieldError(await unchanged(() => post(body)), 'title', 'several');
    const names = err.fields.map((f) => f.field);
    assert.ok(names.includes('registered_on'), `registered_on missing from ${names}`);
    assert.ok(names.includes('kind'), `kind missing from ${names}`);
  });
});

describe('413: body over 1 MiB', () => {
  test('a 1 MiB + 1 KiB JSON body', async () => {
    const body = Buffer.from(JSON.stringify(validModel({ description: 'x'.repeat(1024 * 1024 + 1024) })));
    const r = await unchanged(() => rawRequest(srv.base, 'POST', '/api/v1/models',
      { body, headers: { 'Content-Type': 'application/json' } }));
    assertError(r, 413, '413');
  });
  test('a 2 MiB body of garbage', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const r = await unchanged(() => rawRequest(srv.base, 'POST', '/api/v1/models',
      { body, headers: { 'Content-Type': 'application/json' } }));
    assert.equal(r.status, 413, r.text);
  });
  test('the server still answers after an oversized body', async () => {
    const r = await api(srv.base, 'GET', '/healthz');
    assert.equal(r.status, 200);
  });
});

describe('message language', () => {
  const missingTitle = without('title');
  const msg = async (headers, path) => {
    const r = await unchanged(() => post(missingTitle, headers, path));
    const { err, hit } = assertFieldError(r, 'title', JSON.stringify({ headers, path }));
    return { message: err.message, field: hit.message };
  };
  const ASCII = /^[\x20-\x7e]*$/;
  const NON_ASCII = /[^\x00-\x7f]/;

  test('Vietnamese by default, English with Accept-Language: en, and they differ', async () => {
    const vi = await msg({});
    const en = await msg({ 'Accept-Language': 'en' });
    assert.notEqual(vi.field, en.field, 'field message: vi and en are the same');
    assert.notEqual(vi.message, en.message, 'error message: vi and en are the same');
    assert.match(en.field, ASCII, `English field message is not plain English: ${en.field}`);
    assert.match(vi.field, NON_ASCII, `Vietnamese field message has no Vietnamese letters: ${vi.field}`);
  });

  test('Accept-Language: vi and en-US', async () => {
    const vi = await msg({});
    assert.deepEqual(await msg({ 'Accept-Language': 'vi' }), vi);
    const en = await msg({ 'Accept-Language': 'en' });
    assert.deepEqual(await msg({ 'Accept-Language': 'en-US,en;q=0.9' }), en);
  });

  test('?lang=sv gives Swedish, different from both', async () => {
    const vi = await msg({});
    const en = await msg({ 'Accept-Language': 'en' });
    const sv = await msg({}, '/api/v1/models?lang=sv');
    assert.notEqual(sv.field, en.field, 'sv field message equals English');
    assert.notEqual(sv.field, vi.field, 'sv field message equals Vietnamese');
  });

  test('?lang=en wins over Accept-Language: vi', async () => {
    const en = await msg({ 'Accept-Language': 'en' });
    assert.deepEqual(await msg({ 'Accept-Language': 'vi' }, '/api/v1/models?lang=en'), en);
  });

  test('a 400 message is translated too', async () => {
    const vi = assertError(await unchanged(() => post('{')), 400, 'vi 400');
    const en = assertError(await unchanged(() => post('{', { 'Accept-Language': 'en' })), 400, 'en 400');
    assert.notEqual(vi.message, en.message);
    assert.equal(vi.code, en.code, 'error.code is not translated');
  });
});
