// showcase.test.mjs: the public showcase (issue 3): /public and /public/models/{id}
// need no credentials, show only models that are recognized AND typical AND marked
// public, never name a person who owns a model, and answer 404 for anything else.
// Runs on a `dvk init --demo` database (16 recognized typical public demo models)
// plus models of this test whose status and flags are set with sqlite3, since
// recognition is later work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, createModel, token } from '../lib/http.mjs';
import { page, signInOk, setCookieLine } from '../lib/session.mjs';
import { sqlOk } from '../lib/sqlite.mjs';

let srv;
const shown = new Map();   // id -> model (JSON from the admin API) that the showcase must show
const hidden = new Map();  // id -> model it must not show
let person;                // a showcase model owned by a person
let org;                   // a showcase model owned by an organization
const ownerName = `Bà Nguyễn Thị ${token('Rieng')}`;

/* Creates a model in Tam An (demo catalogue) and sets status and flags directly in the database. */
async function make(label, { status, typical, isPublic, ownerType = 'organization', owner = 'Hội Phụ nữ xã Tam An' }) {
  const title = `${token('sc')} ${label}`;
  const m = await createModel(srv.base, {
    title, kind: ownerType === 'person' ? 'individual' : 'collective', owner_type: ownerType, owner,
    summary: `Mô hình ${label}.`, description: 'Mô tả công khai.', content: 'Nội dung và cách làm.',
  });
  await sqlOk(srv.dbPath, `UPDATE models SET status = '${status}', typical = ${typical ? 1 : 0}, public = ${isPublic ? 1 : 0}` +
    `${typical ? ", typical_reason = 'Điển hình vì hiệu quả.'" : ''} WHERE id = ${m.id};`);
  const got = (await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json;
  assert.equal(got.status, status);
  assert.equal(got.typical, typical);
  assert.equal(got.public, isPublic);
  return got;
}

before(async () => {
  srv = await startServer({ demo: true });
  const all = await api(srv.base, 'GET', '/api/v1/models?limit=200');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.next, null);
  for (const m of all.json.items) {
    (m.status === 'recognized' && m.typical && m.public ? shown : hidden).set(m.id, m);
  }
  assert.equal(shown.size, 16, 'the demo has 16 recognized typical public models');
  assert.ok(hidden.size >= 6, 'the demo has models that are not in the showcase');
  person = await make('cá nhân công khai', { status: 'recognized', typical: true, isPublic: true, ownerType: 'person', owner: ownerName });
  org = await make('tổ chức công khai', { status: 'recognized', typical: true, isPublic: true });
  shown.set(person.id, person).set(org.id, org);
  for (const [label, flags] of [
    ['không công khai', { status: 'recognized', typical: true, isPublic: false }],
    ['không điển hình', { status: 'recognized', typical: false, isPublic: true }],
    ['chưa công nhận', { status: 'registered', typical: true, isPublic: true }],
    ['đang triển khai', { status: 'implementing', typical: true, isPublic: true }],
    ['không được công nhận', { status: 'not_recognized', typical: true, isPublic: true }],
    ['đã rút', { status: 'withdrawn', typical: true, isPublic: true }],
    ['cá nhân không công khai', { status: 'recognized', typical: true, isPublic: false, ownerType: 'person', owner: `${ownerName} Khác` }],
  ]) {
    const m = await make(label, flags);
    hidden.set(m.id, m);
  }
  // a registered model created through the API asking to be public is still not shown
  const reg = await createModel(srv.base, { title: `${token('sc')} đăng ký công khai`, public: true });
  hidden.set(reg.id, reg);
});
after(async () => { if (srv) await srv.stop(); });

/* Whether an HTML page contains a text, raw or HTML-escaped. */
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const hasText = (html, t) => [t, esc(t), esc(t).replace(/"/g, '&quot;'), esc(t).replace(/"/g, '&#34;')].some((x) => html.includes(x));
const linkedIds = (html) => new Set([...html.matchAll(/href="\/public\/models\/(\d+)"/g)].map((m) => Number(m[1])));

test('/public lists exactly the recognized, typical, public models, to anyone without credentials', async () => {
  const r = await page(srv.base, 'GET', '/public');
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.equal(setCookieLine(r.headers, 'dvk_session'), undefined, 'the showcase sets a session cookie');
  const ids = linkedIds(r.text);
  assert.deepEqual([...ids].sort((a, b) => a - b), [...shown.keys()].sort((a, b) => a - b));
  for (const m of hidden.values()) {
    assert.ok(!hasText(r.text, m.title) && !r.text.includes(`/models/${m.id}"`), `the list shows hidden model ${m.id} (${m.status}, typical ${m.typical}, public ${m.public})`);
  }
  assert.ok(!/href="\/models\//.test(r.text), 'the showcase links to internal pages');
});

test('/public with a search finds only showcase models', async () => {
  for (const m of hidden.values()) {
    const word = m.title.split(' ')[0];
    if (!word.startsWith('sc')) continue;
    const r = await page(srv.base, 'GET', `/public?q=${encodeURIComponent(word)}`);
    assert.equal(r.status, 200);
    assert.equal(linkedIds(r.text).size, 0, `a search for hidden model ${m.id} finds it`);
  }
  const r = await page(srv.base, 'GET', `/public?q=${encodeURIComponent(org.title.split(' ')[0])}`);
  assert.deepEqual([...linkedIds(r.text)], [org.id]);
});

test('/public/models/{id}: 200 for a showcase model, 404 for every other model and for ids that are not models', async () => {
  for (const m of shown.values()) {
    const r = await page(srv.base, 'GET', `/public/models/${m.id}`);
    assert.equal(r.status, 200, `showcase model ${m.id}: ${r.status}`);
    assert.ok(hasText(r.text, m.title), `model ${m.id}: no title`);
  }
  for (const m of hidden.values()) {
    const r = await page(srv.base, 'GET', `/public/models/${m.id}`);
    assert.equal(r.status, 404, `hidden model ${m.id} (${m.status}, typical ${m.typical}, public ${m.public}): ${r.status}`);
    assert.ok(!hasText(r.text, m.title) && !(m.summary && hasText(r.text, m.summary)), `the 404 of model ${m.id} shows it`);
  }
  for (const id of ['0', '-1', '999999', 'abc', '1.5', '1e3', `${[...shown.keys()][0]}x`, '18446744073709551617']) {
    const r = await page(srv.base, 'GET', `/public/models/${id}`);
    assert.equal(r.status, 404, `/public/models/${id}: ${r.status}`);
  }
});

test('a person who owns a model is not named on the showcase; an organization is', async () => {
  const r = await page(srv.base, 'GET', `/public/models/${person.id}`);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes(ownerName), 'the person\'s name is on the model page');
  assert.ok(!r.text.includes(ownerName.split(' ').pop()), 'part of the person\'s name is on the model page');
  const list = await page(srv.base, 'GET', '/public');
  assert.ok(!list.text.includes(ownerName.split(' ').pop()), 'the person\'s name is on the list');
  const o = await page(srv.base, 'GET', `/public/models/${org.id}`);
  assert.ok(o.text.includes(org.owner), 'an organization owner is not shown');
  // the demo's person-owned models: no owner entry with the name
  for (const m of shown.values()) {
    if (m.owner_type !== 'person' || m.id === person.id) continue;
    const pr = await page(srv.base, 'GET', `/public/models/${m.id}`);
    assert.ok(!pr.text.includes(`<dd>${m.owner}</dd>`), `demo model ${m.id}: the owner entry names the person`);
  }
});

test('the showcase search does not tell which model a person owns', async () => {
  const surname = ownerName.split(' ').pop();
  const r = await page(srv.base, 'GET', `/public?q=${encodeURIComponent(surname)}`);
  assert.equal(r.status, 200);
  assert.deepEqual([...linkedIds(r.text)], [], 'a search for the owner\'s name finds the model that does not show it');
  const full = await page(srv.base, 'GET', `/public?q=${encodeURIComponent(ownerName)}`);
  assert.deepEqual([...linkedIds(full.text)], []);
});

test('signed-in users see the same showcase: hidden models stay 404 there', async () => {
  const s = await signInOk(srv.base, 'admin', srv.adminPassword);
  const r = await page(srv.base, 'GET', '/public', { session: s });
  assert.equal(r.status, 200);
  assert.deepEqual([...linkedIds(r.text)].sort((a, b) => a - b), [...shown.keys()].sort((a, b) => a - b));
  for (const m of [...hidden.values()].slice(0, 4)) {
    assert.equal((await page(srv.base, 'GET', `/public/models/${m.id}`, { session: s })).status, 404);
  }
  // an unknown session cookie does not turn the showcase into a redirect to sign in
  const b = await page(srv.base, 'GET', '/public', { session: 'Z'.repeat(43) });
  assert.equal(b.status, 200);
});

test('the showcase is read-only: other methods → 405', async () => {
  const id = org.id;
  for (const p of ['/public', `/public/models/${id}`]) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await page(srv.base, method, p, { form: { title: 'x' } });
      assert.equal(r.status, 405, `${method} ${p}: ${r.status}`);
    }
  }
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${id}`)).json.version, org.version);
});

test('the home page sends anonymous visitors to the showcase', async () => {
  const r = await page(srv.base, 'GET', '/');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/public');
});
