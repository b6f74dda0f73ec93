// utf8.test.mjs: text at the edge (issue 5, part 5). Bytes that are not UTF-8 text —
// broken sequences, overlong forms, surrogates, code points past U+10FFFF, control
// characters — are refused with a 400 at every entry point (query, path, JSON body
// and the strings inside it, form fields, upload parts and file names), with the
// JSON error on /api/ and an error page in the reader's language elsewhere; nothing
// changes. Text that is stored comes back in NFC whatever form it was sent in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, runDvk } from '../lib/server.mjs';
import { api, assertError, createModel, token, totalModels, validModel } from '../lib/http.mjs';
import { page, signInOk, signIn, errorText } from '../lib/session.mjs';
import { translations } from '../lib/po.mjs';

let srv;
let admin; // a signed-in session
before(async () => {
  srv = await startServer();
  admin = await signInOk(srv.base, 'admin', srv.adminPassword);
});
after(async () => { if (srv) await srv.stop(); });

const vi = translations('vi');
const sv = translations('sv');
const EN = { 'Accept-Language': 'en' };
const ADDRESS = 'The address contains invalid characters (it must be UTF-8 text).';
const FORM = 'The form contains invalid characters (it must be UTF-8 text).';
const UPLOAD = 'The upload has a file name or field with invalid characters (it must be UTF-8 text).';

/* Byte sequences that are not UTF-8 text, percent-encoded, with what they are. */
const BAD = [
  ['%C3%28', 'a lead byte without its continuation'],
  ['%FF', 'FF'],
  ['%80', 'a lone continuation byte'],
  ['%C3', 'a truncated sequence'],
  ['%C0%AF', 'an overlong "/"'],
  ['%E0%80%AF', 'an overlong "/" in 3 bytes'],
  ['%ED%A0%80', 'the surrogate U+D800'],
  ['%F4%90%80%80', 'U+110000'],
  ['%01', 'a control character'],
  ['%1B', 'escape'],
  ['%7F', 'DEL'],
  ['%C2%85', 'the C1 control NEL'],
  ['%00', 'NUL'],
];
const bytes = (pct) => Buffer.from(pct.split('%').slice(1).map((h) => parseInt(h, 16)));

const NFD = (s) => s.normalize('NFD');
const isNFC = (s) => s === s.normalize('NFC');

/* A JSON body with the raw bytes b in place of the marker string. */
function jsonWith(obj, marker, b) {
  const [head, tail] = JSON.stringify(obj).split(marker);
  return Buffer.concat([Buffer.from(head), b, Buffer.from(tail)]);
}

/* multipart/form-data from parts [{ name, filename?, data }] (names and data may be Buffers). */
function multipart(parts) {
  const b = 'dvkUtf8Boundary5xQ';
  const out = [];
  for (const p of parts) {
    const disp = [Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="`), Buffer.from(p.name), Buffer.from('"')];
    if (p.filename !== undefined) disp.push(Buffer.from('; filename="'), Buffer.from(p.filename), Buffer.from('"'));
    out.push(...disp, Buffer.from(p.filename !== undefined ? '\r\nContent-Type: application/pdf\r\n\r\n' : '\r\n\r\n'),
      Buffer.from(p.data), Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(out), type: `multipart/form-data; boundary=${b}` };
}
const PDF = Buffer.from('%PDF-1.4\n% biên bản\n');

// ---- API: the query string -------------------------------------------------------------------------
test('API: a query value or key that is not UTF-8 text is a 400 invalid_query, in the caller\'s language', async () => {
  for (const [pct, what] of BAD) {
    for (const p of [`/api/v1/models?q=${pct}`, `/api/v1/units?q=x${pct}y&hierarchy=2024`, `/api/v1/models?${pct}=1`]) {
      const e = assertError(await api(srv.base, 'GET', p, { headers: EN }), 400, `${what}: ${p}`);
      assert.equal(e.code, 'invalid_query', `${what}: ${p}`);
      assert.equal(e.message, ADDRESS, `${what}: ${p}`);
    }
  }
  let e = assertError(await api(srv.base, 'GET', '/api/v1/models?q=%FF', { headers: { 'Accept-Language': 'vi' } }), 400, 'vi');
  assert.equal(e.message, vi(ADDRESS));
  assert.notEqual(e.message, ADDRESS, 'the message is translated');
  e = assertError(await api(srv.base, 'GET', '/api/v1/models?lang=sv&q=%C3%28'), 400, 'sv');
  assert.equal(e.message, sv(ADDRESS));
  // the same words, well formed, are fine
  assert.equal((await api(srv.base, 'GET', '/api/v1/models?q=%C3%A2n')).status, 200);
});

// ---- API: path segments ----------------------------------------------------------------------------
test('API: a path segment that is not UTF-8 text is a 400 invalid_query, and nothing is created', async () => {
  const children = async () => (await api(srv.base, 'GET', '/api/v1/units/20368/children?hierarchy=2024')).json.items.length;
  const before = await children();
  for (const [pct, what] of BAD) {
    for (const [method, p, body] of [
      ['GET', `/api/v1/models/${pct}`],
      ['GET', `/api/v1/units/2036${pct}/children?hierarchy=2024`],
      ['POST', `/api/v1/units/${pct}/villages?hierarchy=2024`, { name: 'Thôn Mới' }],
      ['DELETE', `/api/v1/models/1/replications/${pct}`],
    ]) {
      const e = assertError(await api(srv.base, method, p, { body, headers: EN }), 400, `${what}: ${method} ${p}`);
      assert.equal(e.code, 'invalid_query', `${what}: ${p}`);
      assert.equal(e.message, ADDRESS);
    }
  }
  assert.equal(await children(), before);
});

// ---- API: JSON bodies ------------------------------------------------------------------------------
test('API: a JSON body with bytes that are not UTF-8 is a 400 invalid_utf8; nothing is written', async () => {
  const total = await totalModels(srv.base);
  const marker = 'MARKER-0d1f';
  for (const [pct, what] of BAD) {
    if (pct === '%00') continue; // a raw NUL inside a JSON string is invalid JSON first of all
    const r = await api(srv.base, 'POST', '/api/v1/models', { body: jsonWith(validModel({ title: marker }), marker, bytes(pct)), headers: EN });
    const e = assertError(r, 400, what);
    assert.equal(e.code, 'invalid_utf8', what);
    assert.equal(e.message, 'The body is not valid UTF-8 text.');
  }
  // in the name of a village, and in Vietnamese
  const r = await api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024',
    { body: jsonWith({ name: 'Thôn X' }, 'X', bytes('%C3%28')), headers: { 'Accept-Language': 'vi' } });
  const e = assertError(r, 400, 'village');
  assert.equal(e.code, 'invalid_utf8');
  assert.equal(e.message, vi('The body is not valid UTF-8 text.'));
  assert.equal(await totalModels(srv.base), total);
});

test('API: control characters written as JSON escapes are refused in every member, nested ones too', async () => {
  const total = await totalModels(srv.base);
  const children = async () => (await api(srv.base, 'GET', '/api/v1/units/20368/children?hierarchy=2024')).json.items.length;
  const villages = await children();
  for (const esc of ['\\u0001', '\\u001b', '\\u007f', '\\u0085', '\\u009f']) {
    const at = (obj, marker) => Buffer.from(JSON.stringify(obj).replace(marker, esc));
    const cases = [
      ['model title', '/api/v1/models', 'POST', at(validModel({ title: 'Tổ MARK' }), 'MARK'), 'title'],
      ['a tag', '/api/v1/models', 'POST', at(validModel({ tags: ['an ninh', 'MARK'] }), 'MARK'), 'tags'],
      ['a result indicator', '/api/v1/models', 'POST',
        at(validModel({ results: [{ year: 2024, indicator: 'MARK', value: 1 }] }), 'MARK'), 'results'],
      ['a village name', '/api/v1/units/20368/villages?hierarchy=2024', 'POST', at({ name: 'Thôn MARK' }, 'MARK'), 'name'],
      ['a criterion name', '/api/v1/provinces/49/criteria?hierarchy=2024', 'PUT',
        at({ criteria: [{ code: 'a', name: 'Tiêu chí MARK', weight: 1, max_score: 10 }] }, 'MARK'), 'criteria'],
    ];
    for (const [what, p, method, body, field] of cases) {
      const e = assertError(await api(srv.base, method, p, { body, headers: EN }), 400, `${what} ${esc}`);
      assert.equal(e.code, 'invalid_text', `${what} ${esc}`);
      assert.equal(e.field, field, `${what} ${esc}`);
      assert.equal(e.message, 'This field contains control characters.');
    }
  }
  // a lone surrogate or NUL written as an escape is not JSON text
  for (const esc of ['\\ud800', '\\udfff', '\\u0000']) {
    const body = Buffer.from(JSON.stringify(validModel({ title: 'Tổ MARK' })).replace('MARK', esc));
    assert.equal(assertError(await api(srv.base, 'POST', '/api/v1/models', { body, headers: EN }), 400, esc).code, 'bad_json');
  }
  assert.equal(await totalModels(srv.base), total);
  assert.equal(await children(), villages);
  // the default criteria are still in force for Quảng Nam
  const s = await api(srv.base, 'GET', '/api/v1/scoring?unit=49&hierarchy=2024', { headers: EN });
  assert.equal(s.json.criteria[0].code, 'effectiveness');
});

// ---- API: uploads ----------------------------------------------------------------------------------
test('API: an upload whose file name, field name or text part is not UTF-8 text is a 400 invalid_utf8', async () => {
  const m = await createModel(srv.base, { title: `Tải lên ${token()}` });
  const url = `/api/v1/models/${m.id}/attachments`;
  const count = async () => (await api(srv.base, 'GET', url)).json.items.length;
  for (const [pct, what] of BAD) {
    if (pct === '%00') continue;
    const b = bytes(pct);
    for (const [where, parts] of [
      ['file name', [{ name: 'file', filename: Buffer.concat([Buffer.from('biên bản'), b, Buffer.from('.pdf')]), data: PDF }]],
      ['field name', [{ name: Buffer.concat([Buffer.from('ghi'), b]), data: 'x' }, { name: 'file', filename: 'a.pdf', data: PDF }]],
      ['text part', [{ name: 'note', data: Buffer.concat([Buffer.from('ghi chú '), b]) }, { name: 'file', filename: 'a.pdf', data: PDF }]],
    ]) {
      const mp = multipart(parts);
      const r = await api(srv.base, 'POST', url, { body: mp.body, headers: { 'Content-Type': mp.type, ...EN } });
      const e = assertError(r, 400, `${what} in the ${where}`);
      assert.equal(e.code, 'invalid_utf8', `${what} in the ${where}`);
      assert.equal(e.message, UPLOAD);
    }
  }
  assert.equal(await count(), 0);
  // a malformed body is still bad_multipart
  const r = await api(srv.base, 'POST', url, { body: '--x\r\nnothing', headers: { 'Content-Type': 'multipart/form-data; boundary=x', ...EN } });
  assert.equal(assertError(r, 400, 'malformed').code, 'bad_multipart');
});

// ---- pages -------------------------------------------------------------------------------------------
test('pages: an address that is not UTF-8 text gets a 400 page in the reader\'s language', async () => {
  for (const [pct, what] of BAD) {
    for (const p of [`/models?q=${pct}`, `/models/${pct}`, `/public?q=${pct}`]) {
      const r = await page(srv.base, 'GET', p, { session: admin });
      assert.equal(r.status, 400, `${what}: ${p}`);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      assert.equal(errorText(r.text), vi(ADDRESS), `${what}: ${p}`); // pages are Vietnamese unless asked
    }
  }
  let r = await page(srv.base, 'GET', '/models?q=%FF', { session: admin, cookie: 'lang=en' });
  assert.equal(errorText(r.text), ADDRESS);
  r = await page(srv.base, 'GET', '/models?lang=sv&q=%FF', { session: admin });
  assert.equal(errorText(r.text), sv(ADDRESS));
});

test('pages: a form field that is not UTF-8 text gets a 400 page and changes nothing', async () => {
  const total = await totalModels(srv.base);
  for (const [pct, what] of BAD) {
    for (const form of [
      `csrf=${admin.csrf}&title=T%E1%BB%95+${pct}&field=cultural_social&kind=collective&hierarchy=2024&unit_code=20368`,
      `csrf=${admin.csrf}&${pct}=1&title=T%E1%BB%95`,
    ]) {
      const r = await page(srv.base, 'POST', '/models/new', { session: admin, form });
      assert.equal(r.status, 400, `${what}: ${form}`);
      assert.equal(errorText(r.text), vi(FORM), what);
    }
  }
  const r = await page(srv.base, 'POST', '/models/new', { session: admin, cookie: 'lang=sv', form: `csrf=${admin.csrf}&title=%C3%28` });
  assert.equal(r.status, 400);
  assert.equal(errorText(r.text), sv(FORM));
  // the sign-in form too, before anyone is known
  const s = await page(srv.base, 'POST', '/login', { form: 'login=admin&password=%ED%A0%80xxxxxxxxxx' });
  assert.equal(s.status, 400);
  assert.equal(errorText(s.text), vi(FORM));
  assert.equal(await totalModels(srv.base), total);
});

test('pages: an upload with a file name that is not UTF-8 text gets a 400 page', async () => {
  const m = await createModel(srv.base, { title: `Tải lên trang ${token()}` });
  const mp = multipart([{ name: 'csrf', data: admin.csrf }, { name: 'file', filename: Buffer.concat([Buffer.from('a'), bytes('%FF'), Buffer.from('.pdf')]), data: PDF }]);
  const r = await fetch(`${srv.base}/models/${m.id}/attachments`, {
    method: 'POST', body: mp.body, redirect: 'manual',
    headers: { 'Content-Type': mp.type, Cookie: `dvk_session=${admin.value}; lang=en` },
  });
  assert.equal(r.status, 400);
  assert.equal(errorText(await r.text()), UPLOAD);
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}/attachments`)).json.items.length, 0);
});

// ---- NFC ---------------------------------------------------------------------------------------------
test('a model sent in decomposed form (NFD) is stored and returned in NFC, and found either way', async () => {
  const tok = token();
  const title = `Tổ tự quản Đường Khéo Nguyễn Thị Ánh ${tok}`;
  const tags = ['an ninh trật tự', 'Thừa Thiên Huế'];
  const sent = validModel({ title: NFD(title), tags: tags.map(NFD), summary: NFD('Người dân tự tuần tra.'), owner: NFD('Công an xã Tam Ân') });
  assert.notEqual(sent.title, title);
  const r = await api(srv.base, 'POST', '/api/v1/models', { body: sent });
  assert.equal(r.status, 201, r.text);
  const got = (await api(srv.base, 'GET', `/api/v1/models/${r.json.id}`)).json;
  assert.equal(got.title, title);
  assert.deepEqual(got.tags, tags);
  assert.equal(got.summary, 'Người dân tự tuần tra.');
  assert.equal(got.owner, 'Công an xã Tam Ân');
  for (const k of Object.keys(got)) if (typeof got[k] === 'string') assert.ok(isNFC(got[k]), `${k} is not NFC`);
  // PATCH too
  const p = await api(srv.base, 'PATCH', `/api/v1/models/${r.json.id}`,
    { body: { title: NFD(`Mô hình Đặng Ấp Bắc ${tok}`) }, headers: { 'If-Match': String(got.version) } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.title, `Mô hình Đặng Ấp Bắc ${tok}`);
  // found with composed and decomposed words alike
  for (const q of ['Đặng Ấp', NFD('Đặng Ấp'), 'dang ap', 'ĐẶNG ẤP']) {
    const l = await api(srv.base, 'GET', `/api/v1/models?q=${encodeURIComponent(`${q} ${tok}`)}`);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json.items.map((x) => x.id), [r.json.id], q);
  }
});

test('a village name sent in NFD is stored in NFC, listed in NFC and counts as the same name', async () => {
  const name = `Thôn Đông Ấp Bắc ${token()}`;
  const r = await api(srv.base, 'POST', '/api/v1/units/20362/villages?hierarchy=2024', { body: { name: NFD(name) } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, name);
  const kids = (await api(srv.base, 'GET', '/api/v1/units/20362/children?hierarchy=2024')).json.items;
  assert.ok(kids.some((u) => u.name === name), JSON.stringify(kids));
  const one = await api(srv.base, 'GET', `/api/v1/units/${r.json.code}?hierarchy=2024`);
  assert.equal(one.json.name, name);
  // the composed spelling is the same village
  const again = await api(srv.base, 'POST', '/api/v1/units/20362/villages?hierarchy=2024', { body: { name } });
  assert.equal(again.status, 422, again.text);
});

test('criteria names, conference titles and file names sent in NFD come back in NFC', async () => {
  const crit = [{ code: 'hieu-qua', name: 'Hiệu quả thiết thực', weight: 60, max_score: 10 },
    { code: 'dong-thuan', name: 'Sự đồng thuận của Nhân dân', weight: 40, max_score: 10 }];
  const put = await api(srv.base, 'PUT', '/api/v1/provinces/01/criteria?hierarchy=2024',
    { body: { criteria: crit.map((c) => ({ ...c, name: NFD(c.name) })) } });
  assert.equal(put.status, 200, put.text);
  const s = await api(srv.base, 'GET', '/api/v1/scoring?unit=01&hierarchy=2024');
  assert.deepEqual(s.json.criteria.map((c) => c.name), crit.map((c) => c.name));

  const title = `Hội nghị điển hình tiên tiến Đà Nẵng ${token()}`;
  const c = await api(srv.base, 'POST', '/api/v1/conferences', {
    body: { title: NFD(title), kind: 'final', span_years: 5, hierarchy: 2024, unit_code: '49', level: 'province',
      held_on: '2024-12-10', period_from: '2020-01-01', period_to: '2024-12-31' },
  });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.title, title);

  const m = await createModel(srv.base, { title: `Tệp NFD ${token()}` });
  const name = 'Biên bản nghiệm thu Ấp Bắc.pdf';
  const mp = multipart([{ name: 'file', filename: NFD(name), data: PDF }]);
  const u = await api(srv.base, 'POST', `/api/v1/models/${m.id}/attachments`, { body: mp.body, headers: { 'Content-Type': mp.type } });
  assert.equal(u.status, 201, u.text);
  assert.equal(u.json.name, name);
});

test('a password is compared as typed: one set in NFD signs in only in NFD', async () => {
  const pw = NFD('Mật khẩu Đường dài lắm');
  const file = path.join(srv.dir, 'nfd.pw');
  await writeFile(file, `${pw}\n`, { mode: 0o600 });
  await runDvk(['user', 'add', '--db', srv.dbPath, '--login', 'nfd-user', '--role', 'viewer', '--password-file', file,
    '--unit', '49', '--hierarchy', '2024']);
  const nfc = await signIn(srv.base, 'nfd-user', pw.normalize('NFC'));
  assert.equal(nfc.status, 401, 'another spelling of the password is another password');
  const ok = await signIn(srv.base, 'nfd-user', pw);
  assert.equal(ok.status, 303, errorText(ok.text) || ok.text.slice(0, 200));
});
