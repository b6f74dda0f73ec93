// attachments.test.mjs: evidence files (issue 4, item 8): types decided by content, pictures
// decoded, size limits, names that cannot escape the data folder, safe downloads, scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, addUser } from '../lib/server.mjs';
import { api, createModel, assertError, assertFieldError } from '../lib/http.mjs';

let srv;
let model;
before(async () => {
  srv = await startServer();
  model = await createModel(srv.base, { title: 'Mô hình có minh chứng' });
});
after(async () => { if (srv) await srv.stop(); });

/* A real w×h RGB PNG (decodable), built here so no file is committed. */
function png(w, h, declaredW = w, declaredH = h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(declaredW, 0); ihdr.writeUInt32BE(declaredH, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, y * 40)]));
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/* multipart/form-data with one file part (and optional extra text parts). */
function multipart(filename, bytes, extra = {}) {
  const b = 'dvkTestBoundary7MA4YWxk';
  const parts = [];
  for (const [k, v] of Object.entries(extra)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`));
  parts.push(bytes, Buffer.from(`\r\n--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

async function upload(filename, bytes, { token, id = model.id } = {}) {
  const m = multipart(filename, bytes);
  const headers = { 'Content-Type': m.type };
  if (token) headers.Authorization = `Bearer ${token}`;
  return api(srv.base, 'POST', `/api/v1/models/${id}/attachments`, { body: m.body, headers });
}

const count = async () => (await api(srv.base, 'GET', `/api/v1/models/${model.id}/attachments`)).json.items.length;

test('a real picture is accepted, typed by its content, and gets a thumbnail', async () => {
  const bytes = png(640, 480);
  const r = await upload('ảnh hiện trường.png', bytes);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.type, 'image/png');
  assert.equal(r.json.size, bytes.length);
  assert.equal(r.json.name, 'ảnh hiện trường.png');
  assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
  assert.equal(r.json.thumbnail_url, `/attachments/${r.json.id}/thumb`);
  const f = await fetch(srv.base + r.json.url, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(f.status, 200);
  assert.equal(f.headers.get('content-type'), 'image/png');
  assert.equal(f.headers.get('x-content-type-options'), 'nosniff');
  assert.match(f.headers.get('content-security-policy'), /sandbox/);
  assert.match(f.headers.get('content-disposition'), /filename\*=UTF-8''%E1%BA%A3nh%20hi%E1%BB%87n%20tr%C6%B0%E1%BB%9Dng\.png/);
  assert.deepEqual(Buffer.from(await f.arrayBuffer()), bytes);
  const t = await fetch(srv.base + r.json.thumbnail_url, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(t.status, 200);
  assert.equal(t.headers.get('content-type'), 'image/jpeg');
  const jpg = Buffer.from(await t.arrayBuffer());
  assert.deepEqual([...jpg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  // 320 px wide: the SOF0 marker holds height then width
  const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
  assert.equal(jpg.readUInt16BE(sof + 7), 320);
  assert.equal(jpg.readUInt16BE(sof + 5), 240);
  // stored under the data folder by digest
  const stored = path.join(srv.dir, 'files', r.json.sha256.slice(0, 2), r.json.sha256);
  assert.deepEqual(readFileSync(stored), bytes);
});

test('a file that claims to be a PNG and is not is refused, and nothing is stored', async () => {
  const before = await count();
  const cases = [
    ['text named .png', Buffer.from('this is not a picture')],
    ['PNG signature then garbage', Buffer.concat([png(4, 4).subarray(0, 33), Buffer.from('garbage garbage garbage')])],
    ['truncated PNG', png(64, 64).subarray(0, 80)],
    ['empty file', Buffer.alloc(0)],
    ['HTML', Buffer.from('<html><script>alert(1)</script></html>')],
  ];
  for (const [what, bytes] of cases) {
    const r = await upload('photo.png', bytes);
    assertFieldError(r, 'file', what);
  }
  assert.equal(await count(), before);
});

test('a picture declaring a huge size is refused before it is decoded', async () => {
  const r = await upload('bomb.png', png(2, 2, 100000, 100000));
  assertFieldError(r, 'file');
  assert.match(r.json.error.fields[0].message, /40/);
});

test('PDF, Word and Excel documents are accepted by their content', async () => {
  const pdf = await upload('quyet-dinh.pdf', Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'));
  assert.equal(pdf.status, 201, pdf.text);
  assert.equal(pdf.json.type, 'application/pdf');
  assert.equal(pdf.json.thumbnail_url, null);
  const zipLike = (folder) => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26),
    Buffer.from(`[Content_Types].xml${folder}document.xml`)]);
  const docx = await upload('bao-cao.docx', zipLike('word/'));
  assert.equal(docx.json.type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const xlsx = await upload('so-lieu.xlsx', zipLike('xl/'));
  assert.equal(xlsx.json.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const zip = await upload('other.zip', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]));
  assertFieldError(zip, 'file', 'a plain zip');
});

test('names cannot escape the data folder; the same bytes are kept once', async () => {
  const bytes = png(8, 8);
  const names = ['../../../../etc/dvk-escape.png', '..\\..\\dvk-escape2.png', '/tmp/dvk-escape3.png'];
  const digests = new Set();
  for (const n of names) {
    const r = await upload(n, bytes);
    assert.equal(r.status, 201, r.text);
    assert.ok(!r.json.name.includes('/') && !r.json.name.includes('\\'), r.json.name);
    digests.add(r.json.sha256);
  }
  assert.equal(digests.size, 1);
  assert.equal(existsSync('/etc/dvk-escape.png'), false);
  assert.equal(existsSync('/tmp/dvk-escape3.png'), false);
  const dir = path.join(srv.dir, 'files', [...digests][0].slice(0, 2));
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith([...digests][0]) && !f.endsWith('.thumb')), [[...digests][0]]);
});

test('size limits: over 10 MB refused by content, over the route limit by the server', async () => {
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
  assertFieldError(await upload('big.pdf', big), 'file');
  const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(12 * 1024 * 1024, 0x20)]);
  assertError(await upload('huge.pdf', huge), 413);
});

test('malformed uploads are 400 and change nothing', async () => {
  const before = await count();
  const bad = [
    [{ 'Content-Type': 'multipart/form-data' }, 'x'],
    [{ 'Content-Type': 'multipart/form-data; boundary=abc' }, '--abc\r\nno headers here'],
    [{ 'Content-Type': 'multipart/form-data; boundary=abc' }, '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nnever closed'],
  ];
  for (const [headers, body] of bad)
    assertError(await api(srv.base, 'POST', `/api/v1/models/${model.id}/attachments`, { body, headers }), 400);
  const m = multipart('a.pdf', Buffer.from('%PDF-1.4'));
  const wrongField = Buffer.from(m.body.toString('latin1').replace('name="file"', 'name="other"'), 'latin1');
  assertError(await api(srv.base, 'POST', `/api/v1/models/${model.id}/attachments`, { body: wrongField, headers: { 'Content-Type': m.type } }), 400);
  assert.equal(await count(), before);
});

test('scope and roles: outsiders see 404, readers cannot upload', async () => {
  const r = await upload('scope.png', png(4, 4));
  assert.equal(r.status, 201);
  const outsider = await addUser(srv, 'att-hanoi', 'staff', '01', 2025);
  const viewer = await addUser(srv, 'att-viewer', 'viewer', '20368', 2024);
  const get = (tok, url) => fetch(srv.base + url, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal((await get(outsider.token, r.json.url)).status, 404);
  assert.equal((await get(outsider.token, r.json.thumbnail_url)).status, 404);
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${model.id}/attachments`, { headers: { Authorization: `Bearer ${outsider.token}` } })).status, 404);
  assert.equal((await get(viewer.token, r.json.url)).status, 200);
  assertError(await upload('v.png', png(4, 4), { token: viewer.token }), 403);
  assertError(await upload('o.png', png(4, 4), { token: outsider.token }), 404);
  assert.equal((await fetch(srv.base + r.json.url, { redirect: 'manual' })).status, 303, 'anonymous: sent to sign in');
});

test('evidence on an appraisal and on an award; the page form returns to the model', async () => {
  const m = await createModel(srv.base, { title: 'Có biên bản thẩm định' });
  const step = (to, extra = {}) => api(srv.base, 'POST', `/api/v1/models/${m.id}/transitions`, { body: { to, ...extra } });
  assert.equal((await step('selected', { decision_no: '1-QĐ/BDV', decision_date: '2024-05-01' })).status, 200);
  assert.equal((await step('implementing')).status, 200);
  const ap = await api(srv.base, 'POST', `/api/v1/models/${m.id}/appraisals`, {
    body: { visit_date: '2024-06-01', members: 'Tổ trưởng', scores: { effectiveness: 9, consensus: 9, practicality: 9, replicability: 9, sustainability: 9 } },
  });
  assert.equal(ap.status, 201, ap.text);
  const mp = multipart('bien-ban.pdf', Buffer.from('%PDF-1.4\n% biên bản\n'));
  const up = await api(srv.base, 'POST', `/api/v1/appraisals/${ap.json.id}/attachments`, { body: mp.body, headers: { 'Content-Type': mp.type } });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.entity, 'appraisal');
  const listed = await api(srv.base, 'GET', `/api/v1/appraisals/${ap.json.id}/attachments`);
  assert.deepEqual(listed.json.items.map((x) => x.id), [up.json.id]);
  const aw = await api(srv.base, 'POST', '/api/v1/awards', {
    body: { recipient_type: 'model', model_id: m.id, form: 'certificate', issuer: 'Chủ tịch UBND huyện' },
  });
  assert.equal(aw.status, 201, aw.text);
  const up2 = await api(srv.base, 'POST', `/api/v1/awards/${aw.json.id}/attachments`, { body: mp.body, headers: { 'Content-Type': mp.type } });
  assert.equal(up2.status, 201, up2.text);
  assertError(await api(srv.base, 'POST', '/api/v1/appraisals/99999999/attachments', { body: mp.body, headers: { 'Content-Type': mp.type } }), 404);
});
