// cache.test.mjs: answers kept while nothing has changed (src/http/cache.c, issue 8).
// A GET's answer is sent again only while the database holds the same data, to the
// same reader, in the same language, for the same address. Every other test of the
// suite runs with the cache on too; these ones name the ways it could go wrong: a
// write through this node, another node or the sqlite3 shell; another user, session or
// language; a revoked token; gzip or not; and turning it off.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startNode, addUser, runDvk, runDvkStatus, createTokenWithId } from '../lib/server.mjs';
import { api, createModel } from '../lib/http.mjs';
import { signInOk, page, csrfFrom } from '../lib/session.mjs';
import { sqlOk } from '../lib/sqlite.mjs';

let srv, node;
const LIST = '/api/v1/models?limit=50&sort=-registered_on';

before(async () => {
  srv = await startServer();
  // one event loop: every request meets the same cache
  node = await startNode(srv, ['--threads', '1']);
  await createModel(srv.base, { title: 'Mô hình đầu tiên ở Tam An' });
});
after(async () => {
  if (node) await node.stop();
  if (srv) await srv.stop();
});

const cacheOf = (r) => r.headers.get('x-dvk-cache');
const titles = (r) => r.json.items.map((m) => m.title);

describe('a repeated GET', () => {
  test('is answered from the kept copy, the same bytes, plain and gzip', async () => {
    const first = await api(node.base, 'GET', LIST);
    assert.equal(first.status, 200, first.text);
    assert.equal(cacheOf(first), 'miss');
    const again = await api(node.base, 'GET', LIST);
    assert.equal(cacheOf(again), 'hit');
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
    // fetch asks for gzip and inflates; a client that does not gets the plain bytes
    const plain = await api(node.base, 'GET', LIST, { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(cacheOf(plain), 'hit');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(plain.text, first.text);
    assert.equal(Number(plain.headers.get('content-length')), Buffer.byteLength(first.text));
    const gz = await api(node.base, 'GET', LIST, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.text, first.text);
    assert.match(gz.headers.get('vary') || '', /accept-encoding/i);
  });

  test('is not kept for the health probe nor for errors', async () => {
    const h1 = await api(node.base, 'GET', '/healthz');
    const h2 = await api(node.base, 'GET', '/healthz');
    assert.equal(h2.status, 200);
    assert.equal(cacheOf(h1), null);
    assert.equal(cacheOf(h2), null);
    const n1 = await api(node.base, 'GET', '/api/v1/models/987654');
    const n2 = await api(node.base, 'GET', '/api/v1/models/987654');
    assert.equal(n2.status, 404);
    assert.notEqual(cacheOf(n1), 'hit');
    assert.notEqual(cacheOf(n2), 'hit');
  });
});

describe('a change is seen by the next request', () => {
  test('a model created through this node', async () => {
    await api(node.base, 'GET', LIST);
    assert.equal(cacheOf(await api(node.base, 'GET', LIST)), 'hit');
    const m = await createModel(node.base, { title: 'Tạo qua chính nút này' });
    const r = await api(node.base, 'GET', LIST);
    assert.equal(cacheOf(r), 'miss');
    assert.ok(titles(r).includes(m.title), titles(r).join(' | '));
  });

  test('a model created through another dvk process', async () => {
    await api(node.base, 'GET', LIST);
    assert.equal(cacheOf(await api(node.base, 'GET', LIST)), 'hit');
    const m = await createModel(srv.base, { title: 'Tạo qua một nút khác' });
    const r = await api(node.base, 'GET', LIST);
    assert.ok(titles(r).includes(m.title), titles(r).join(' | '));
  });

  test('a title changed with the sqlite3 shell', async () => {
    const m = await createModel(srv.base, { title: 'Tên trước khi sửa ngoài dvk' });
    const one = `/api/v1/models/${m.id}`;
    await api(node.base, 'GET', one);
    assert.equal(cacheOf(await api(node.base, 'GET', one)), 'hit');
    await sqlOk(srv.dbPath, `UPDATE models SET title = 'Tên sửa bằng sqlite3' WHERE id = ${m.id};`);
    const r = await api(node.base, 'GET', one);
    assert.equal(r.json.title, 'Tên sửa bằng sqlite3');
  });

  test('an edited model page, for a signed-in user', async () => {
    const s = await signInOk(node.base, 'admin', srv.adminPassword);
    const m = await createModel(srv.base, { title: 'Trang trước khi sửa' });
    const before = await page(node.base, 'GET', `/models/${m.id}`, { session: s });
    assert.match(before.text, /Trang trước khi sửa/);
    const p = await api(node.base, 'PATCH', `/api/v1/models/${m.id}`, {
      body: { title: 'Trang sau khi sửa' }, headers: { 'If-Match': `"${m.version}"` },
    });
    assert.equal(p.status, 200, p.text);
    const after = await page(node.base, 'GET', `/models/${m.id}`, { session: s });
    assert.match(after.text, /Trang sau khi sửa/);
    assert.doesNotMatch(after.text, /Trang trước khi sửa/);
  });
});

describe('each reader gets their own answer', () => {
  test("an officer of another commune never gets the administrator's list", async () => {
    const far = await createModel(srv.base, { title: 'Mô hình ở Trúc Bạch', unit_code: '00004' });
    const officer = await addUser(srv, 'cb-trucbach', 'officer', '00004', 2024);
    const admin = await api(node.base, 'GET', LIST);
    assert.ok(titles(admin).includes('Mô hình đầu tiên ở Tam An'));
    const mine = await api(node.base, 'GET', LIST, { headers: { Authorization: `Bearer ${officer.token}` } });
    assert.equal(mine.status, 200, mine.text);
    assert.notEqual(cacheOf(mine), 'hit');
    assert.deepEqual(titles(mine), [far.title]);
    const again = await api(node.base, 'GET', LIST, { headers: { Authorization: `Bearer ${officer.token}` } });
    assert.equal(cacheOf(again), 'hit');
    assert.deepEqual(titles(again), [far.title]);
  });

  test('no token gets 401, whatever was kept for the same address', async () => {
    await api(node.base, 'GET', LIST);
    const r = await api(node.base, 'GET', LIST, { headers: { Authorization: '' } });
    assert.equal(r.status, 401);
  });

  test('a revoked token gets 401 though its answer was kept', async () => {
    const { token, id } = await createTokenWithId(srv.dbPath, 'admin');
    const h = { Authorization: `Bearer ${token}` };
    await api(node.base, 'GET', LIST, { headers: h });
    assert.equal(cacheOf(await api(node.base, 'GET', LIST, { headers: h })), 'hit');
    await runDvk(['token', 'revoke', '--db', srv.dbPath, '--id', String(id)]);
    const r = await api(node.base, 'GET', LIST, { headers: h });
    assert.equal(r.status, 401, r.text);
  });

  test("a disabled user's token gets 401 at once, though it was just checked", async () => {
    const u = await addUser(srv, 'cb-tamthoi', 'viewer', '20368', 2024);
    const h = { Authorization: `Bearer ${u.token}` };
    for (let i = 0; i < 3; i++) assert.equal((await api(node.base, 'GET', '/api/v1/me', { headers: h })).status, 200);
    await runDvk(['user', 'disable', '--db', srv.dbPath, '--login', 'cb-tamthoi']);
    const r = await api(node.base, 'GET', '/api/v1/me', { headers: h });
    assert.equal(r.status, 401, r.text);
    await runDvk(['user', 'enable', '--db', srv.dbPath, '--login', 'cb-tamthoi']);
    assert.equal((await api(node.base, 'GET', '/api/v1/me', { headers: h })).status, 200);
  });

  test("two sessions of one user each get a page with their own form token", async () => {
    const a = await signInOk(node.base, 'admin', srv.adminPassword);
    const b = await signInOk(node.base, 'admin', srv.adminPassword);
    assert.notEqual(a.csrf, b.csrf);
    for (const s of [a, b, a, b]) {
      const r = await page(node.base, 'GET', '/models/new', { session: s });
      assert.equal(r.status, 200);
      assert.equal(csrfFrom(r.text), s.csrf);
    }
  });

  test('each language its own answer', async () => {
    const url = '/api/v1/reports/summary?hierarchy=2024';
    const vi = await api(node.base, 'GET', url, { headers: { 'Accept-Language': 'vi' } });
    const en = await api(node.base, 'GET', url, { headers: { 'Accept-Language': 'en' } });
    assert.equal(vi.status, 200, vi.text);
    assert.notEqual(cacheOf(en), 'hit');
    assert.notEqual(en.json.title, vi.json.title);
    const vi2 = await api(node.base, 'GET', url, { headers: { 'Accept-Language': 'vi' } });
    assert.equal(cacheOf(vi2), 'hit');
    assert.equal(vi2.json.title, vi.json.title);
    const en2 = await api(node.base, 'GET', url, { headers: { 'Accept-Language': 'en' } });
    assert.equal(en2.json.title, en.json.title);
  });
});

describe('dvk serve --cache-mb', () => {
  test('0 keeps nothing', async () => {
    const off = await startNode(srv, ['--threads', '1', '--cache-mb', '0']);
    try {
      const r1 = await api(off.base, 'GET', LIST);
      const r2 = await api(off.base, 'GET', LIST);
      assert.equal(r2.status, 200);
      assert.equal(cacheOf(r1), null);
      assert.equal(cacheOf(r2), null);
      assert.equal(r2.text, r1.text);
    } finally {
      await off.stop();
    }
  });

  test('a value that is not a size is refused', async () => {
    for (const bad of ['-1', 'lots', '70000']) {
      const r = await runDvkStatus(['serve', '--db', srv.dbPath, '--port', '1', '--cache-mb', bad],
        { env: { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
      assert.equal(r.code, 2, `--cache-mb ${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--cache-mb must be 0 to 65536/);
    }
  });
});
