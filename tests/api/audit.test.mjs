// audit.test.mjs: the audit trail (issue 3). Every change appends exactly one
// entry (who, when, from which address, entity, action, before and after) in the
// same transaction as the change; a refused change appends nothing; only
// administrators read it (API, page, CSV export); nothing in dvk edits it, and
// the database itself refuses UPDATE and DELETE on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, addUser, createTokenWithId, runDvk } from '../lib/server.mjs';
import { api, createModel, token, validModel } from '../lib/http.mjs';
import { parseCsv } from '../lib/data.mjs';
import { signIn, signInOk, page } from '../lib/session.mjs';
import { sql, sqlOk, failTrigger, dropFailTrigger } from '../lib/sqlite.mjs';

let srv;
let officer; // Tam An officer: { login, password, token }
let viewer;
let farOfficer; // Hà Nội

before(async () => {
  srv = await startServer();
  officer = await addUser(srv, 'au-officer', 'officer', '20368', 2024);
  viewer = await addUser(srv, 'au-viewer', 'viewer', '20368', 2024);
  farOfficer = await addUser(srv, 'au-far', 'officer', '00004', 2024);
});
after(async () => { if (srv) await srv.stop(); });

const bearer = (u) => ({ Authorization: `Bearer ${u.token}` });
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/* The whole trail, newest first (as the API orders it). */
async function trail(query = '') {
  const r = await api(srv.base, 'GET', `/api/v1/audit?limit=10000${query ? `&${query}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}
async function topId() {
  const r = await api(srv.base, 'GET', '/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.json.items.length ? r.json.items[0].id : 0;
}
/* Entries appended after id `since`, oldest first. */
async function since(id) {
  return (await trail()).filter((e) => e.id > id).reverse();
}
/* Runs fn and returns the entries it appended. */
async function appended(fn) {
  const t = await topId();
  const out = await fn();
  return { entries: await since(t), out };
}
function assertEntry(e, want, what) {
  for (const [k, v] of Object.entries(want)) assert.deepEqual(e[k], v, `${what}: ${k} of ${JSON.stringify(e).slice(0, 400)}`);
  assert.match(e.at, ISO, `${what}: at`);
  assert.ok(Math.abs(Date.parse(e.at) - Date.now()) < 5 * 60 * 1000, `${what}: at ${e.at} is not now`);
  assert.equal(typeof e.id, 'number');
}

/* ---- each change, one entry -------------------------------------------------------- */

test('registering a model (API) appends one entry: who, 127.0.0.1, model/create, no before, the stored model after', async () => {
  const title = `${token('au')} ghi nhật ký`;
  const { entries, out: r } = await appended(() => api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title }), headers: bearer(officer) }));
  assert.equal(r.status, 201, r.text);
  assert.equal(entries.length, 1, JSON.stringify(entries));
  const [e] = entries;
  assertEntry(e, { login: officer.login, address: '127.0.0.1', entity: 'model', entity_id: String(r.json.id), action: 'create', before: null }, 'create');
  assert.equal(e.after.id, r.json.id);
  assert.equal(e.after.title, title);
  assert.equal(e.after.code, r.json.code);
  assert.equal(e.after.unit_code, '20368');
  assert.equal(e.after.version, 1);
});

test('editing a model (API) appends one entry with the model before and after', async () => {
  const m = await createModel(srv.base, { title: `${token('au')} sửa` });
  const { entries, out: r } = await appended(() => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, {
    body: { summary: 'Tóm tắt mới' }, headers: { ...bearer(officer), 'If-Match': `"${m.version}"` },
  }));
  assert.equal(r.status, 200, r.text);
  assert.equal(entries.length, 1, JSON.stringify(entries));
  const [e] = entries;
  assertEntry(e, { login: officer.login, address: '127.0.0.1', entity: 'model', entity_id: String(m.id), action: 'update' }, 'update');
  assert.equal(e.before.summary, m.summary);
  assert.equal(e.before.version, m.version);
  assert.equal(e.after.summary, 'Tóm tắt mới');
  assert.equal(e.after.version, m.version + 1);
  assert.equal(e.after.title, m.title);
});

test('the forms append one entry each, under the signed-in user', async () => {
  const s = await signInOk(srv.base, officer.login, officer.password);
  const title = `${token('au')} qua biểu mẫu`;
  const form = {
    csrf: s.csrf, op: 'save', title, field: 'economic', kind: 'collective', registration_level: 'commune', registered_on: '02/03/2024',
    hierarchy: '2024', unit_code: '20368', owner_type: 'organization', owner: 'Hội Phụ nữ xã Tam An',
  };
  const { entries, out: r } = await appended(() => page(srv.base, 'POST', '/models/new', { session: s, form }));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.location.split('/').pop());
  assert.equal(entries.length, 1, JSON.stringify(entries));
  assertEntry(entries[0], { login: officer.login, address: '127.0.0.1', entity: 'model', entity_id: String(id), action: 'create', before: null }, 'form create');
  assert.equal(entries[0].after.title, title);
  const { entries: e2, out: r2 } = await appended(() => page(srv.base, 'POST', `/models/${id}/edit`, {
    session: s, form: { csrf: s.csrf, version: '1', op: 'save', outputs: 'Kết quả kiểm chứng được' },
  }));
  assert.equal(r2.status, 303);
  assert.equal(e2.length, 1, JSON.stringify(e2));
  assertEntry(e2[0], { login: officer.login, address: '127.0.0.1', entity: 'model', entity_id: String(id), action: 'update' }, 'form update');
  assert.equal(e2[0].before.outputs ?? null, null);
  assert.equal(e2[0].after.outputs, 'Kết quả kiểm chứng được');
});

test('adding a village appends one entry (unit/create)', async () => {
  const name = `Thôn ${token('au')}`;
  const { entries, out: r } = await appended(() => api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name }, headers: bearer(officer) }));
  assert.equal(r.status, 201, r.text);
  assert.equal(entries.length, 1, JSON.stringify(entries));
  assertEntry(entries[0], { login: officer.login, address: '127.0.0.1', entity: 'unit', entity_id: `2024:${r.json.code}`, action: 'create', before: null }, 'village');
  assert.equal(entries[0].after.name, name);
  assert.equal(entries[0].after.parent_code, '20368');
});

test('signing in appends one entry (user/sign_in); a failed sign-in and signing out change nothing in it', async () => {
  const { entries, out: r } = await appended(() => signIn(srv.base, viewer.login, viewer.password));
  assert.equal(r.status, 303);
  assert.equal(entries.length, 1, JSON.stringify(entries));
  assertEntry(entries[0], { login: viewer.login, address: '127.0.0.1', entity: 'user', entity_id: viewer.login, action: 'sign_in' }, 'sign-in');
  const { entries: none } = await appended(() => signIn(srv.base, viewer.login, `${viewer.password}-sai`));
  assert.equal(none.length, 0, `a failed sign-in appended ${JSON.stringify(none)}`);
});

test('users and tokens changed on the command line append one entry each, as "system", without password hashes', async () => {
  const pw = path.join(srv.dir, 'au-cli.pw');
  await writeFile(pw, 'Khong-Lien-Quan-rat-dai-9\n', { mode: 0o600 });
  const steps = [
    ['user add', ['user', 'add', '--db', srv.dbPath, '--login', 'au-cli', '--role', 'staff', '--unit', '518', '--hierarchy', '2024', '--password-file', pw],
      { entity: 'user', entity_id: 'au-cli', action: 'create' }],
    ['user passwd', ['user', 'passwd', '--db', srv.dbPath, '--login', 'au-cli', '--password-file', pw],
      { entity: 'user', entity_id: 'au-cli', action: 'password_reset' }],
    ['user disable', ['user', 'disable', '--db', srv.dbPath, '--login', 'au-cli'],
      { entity: 'user', entity_id: 'au-cli', action: 'disable' }],
  ];
  for (const [what, args, want] of steps) {
    const { entries } = await appended(() => runDvk(args));
    assert.equal(entries.length, 1, `${what}: ${JSON.stringify(entries)}`);
    assertEntry(entries[0], { login: 'system', ...want }, what);
    const text = JSON.stringify(entries[0]);
    assert.ok(!/argon2|password_hash|Khong-Lien-Quan/.test(text), `${what}: a password or its hash is in the audit: ${text}`);
  }
  const dis = (await trail('entity=user&entity_id=au-cli')).find((e) => e.action === 'disable');
  assert.equal(dis.before.disabled, false);
  assert.equal(dis.after.disabled, true);
  const add = (await trail('entity=user&entity_id=au-cli')).find((e) => e.action === 'create');
  assert.equal(add.before, null);
  assert.equal(add.after.role, 'staff');
  assert.equal(add.after.unit_code, '518');
  let tok;
  const { entries: te } = await appended(async () => { tok = await createTokenWithId(srv.dbPath, officer.login); });
  assert.equal(te.length, 1, JSON.stringify(te));
  assertEntry(te[0], { login: 'system', entity: 'api_token', entity_id: String(tok.id), action: 'create' }, 'token create');
  assert.ok(!JSON.stringify(te[0]).includes(tok.token), 'the token is in the audit');
  const { entries: tr } = await appended(() => runDvk(['token', 'revoke', '--db', srv.dbPath, '--id', String(tok.id)]));
  assert.equal(tr.length, 1, JSON.stringify(tr));
  assertEntry(tr[0], { login: 'system', entity: 'api_token', entity_id: String(tok.id), action: 'revoke' }, 'token revoke');
});

/* ---- refused changes append nothing --------------------------------------------------- */

test('refused changes (400, 401, 403, 404, 409, 422, 428) append nothing and change nothing', async () => {
  const m = await createModel(srv.base, { title: `${token('au')} từ chối` });
  const far = await createModel(srv.base, { title: `${token('au')} Hà Nội`, unit_code: '00004' });
  const selected = await createModel(srv.base, { title: `${token('au')} đã chọn` });
  await sqlOk(srv.dbPath, `UPDATE models SET status = 'selected' WHERE id = ${selected.id};`);
  const s = await signInOk(srv.base, officer.login, officer.password);
  const village = `Thôn ${token('au')}`;
  assert.equal((await api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name: village } })).status, 201);
  const im = (v) => ({ 'If-Match': `"${v}"` });
  const cases = [
    [422, 'POST invalid model', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: '' }), headers: bearer(officer) })],
    [400, 'POST bad JSON', () => api(srv.base, 'POST', '/api/v1/models', { body: '{"title":', headers: bearer(officer) })],
    [400, 'POST unknown field', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel({ nope: 1 }), headers: bearer(officer) })],
    [401, 'POST without credentials', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel(), headers: { Authorization: '' } })],
    [403, 'POST by a viewer', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel(), headers: bearer(viewer) })],
    [403, 'POST outside scope', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel({ unit_code: '00004' }), headers: bearer(officer) })],
    [403, 'PATCH by a viewer', () => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'x' }, headers: { ...bearer(viewer), ...im(1) } })],
    [404, 'PATCH outside scope', () => api(srv.base, 'PATCH', `/api/v1/models/${far.id}`, { body: { summary: 'x' }, headers: { ...bearer(officer), ...im(1) } })],
    [404, 'PATCH unknown id', () => api(srv.base, 'PATCH', '/api/v1/models/987654', { body: { summary: 'x' }, headers: im(1) })],
    [409, 'PATCH stale version', () => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'x' }, headers: im(7) })],
    [428, 'PATCH without If-Match', () => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'x' } })],
    [422, 'PATCH invalid value', () => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { field: 'khong-co' }, headers: im(1) })],
    [403, 'PATCH with a cookie and no X-CSRF-Token', () => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'x' }, headers: { Authorization: '', Cookie: s.cookie, ...im(1) } })],
    [422, 'village with a name already used', () => api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name: village } })],
    [422, 'village without a name', () => api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name: ' ' } })],
    [403, 'village outside scope', () => api(srv.base, 'POST', '/api/v1/units/00004/villages?hierarchy=2024', { body: { name: 'Thôn Mới' }, headers: bearer(officer) })],
    [403, 'village by a viewer', () => api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name: 'Thôn Mới' }, headers: bearer(viewer) })],
    [404, 'village under an unknown unit', () => api(srv.base, 'POST', '/api/v1/units/99999/villages?hierarchy=2024', { body: { name: 'Thôn Mới' } })],
    [403, 'form without csrf', () => page(srv.base, 'POST', '/models/new', { session: s, form: { op: 'save', title: 'x' } })],
    [422, 'form with invalid values', () => page(srv.base, 'POST', '/models/new', { session: s, form: { csrf: s.csrf, op: 'save', title: '' } })],
    [403, 'PATCH of a selected model by an officer', () => api(srv.base, 'PATCH', `/api/v1/models/${selected.id}`, { body: { summary: 'x' }, headers: { ...bearer(officer), ...im(1) } })],
    [403, 'edit form with a wrong csrf', () => page(srv.base, 'POST', `/models/${m.id}/edit`, { session: s, form: { csrf: 'sai', version: '1', op: 'save', summary: 'x' } })],
    [403, 'edit form of a selected model by an officer', () => page(srv.base, 'POST', `/models/${selected.id}/edit`, { session: s, form: { csrf: s.csrf, version: '1', op: 'save', summary: 'x' } })],
    [404, 'edit form outside scope', () => page(srv.base, 'POST', `/models/${far.id}/edit`, { session: s, form: { csrf: s.csrf, version: '1', op: 'save', summary: 'x' } })],
    [409, 'edit form with a stale version', () => page(srv.base, 'POST', `/models/${m.id}/edit`, { session: s, form: { csrf: s.csrf, version: '9', op: 'save', summary: 'x' } })],
  ];
  const totalBefore = (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
  for (const [status, what, fn] of cases) {
    const { entries, out: r } = await appended(fn);
    assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}: ${r.text.slice(0, 200)}`);
    assert.deepEqual(entries, [], `${what} (${r.status}) appended to the audit`);
  }
  assert.equal((await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total, totalBefore, 'a refused create stored a model');
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json.version, 1, 'a refused edit changed the model');
});

/* ---- the change and its entry commit or roll back together ------------------------------ */

test('when the audit entry cannot be written, the change is rolled back (500, nothing stored)', async () => {
  const m = await createModel(srv.base, { title: `${token('au')} rollback` });
  const u = await addUser(srv, 'au-rollback', 'officer', '20368', 2024);
  // make every audit insert for this login fail, as a full disk or a broken audit table would
  await failTrigger(srv.dbPath, 'test_audit_fails', 'audit', "NEW.login = 'au-rollback'", 'test: audit unavailable');
  try {
    const title = `${token('au')} không được lưu`;
    const c = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title }), headers: bearer(u) });
    assert.equal(c.status, 500, `create: ${c.status} ${c.text}`);
    const found = await api(srv.base, 'GET', `/api/v1/models?q=${encodeURIComponent(title.split(' ')[0])}`);
    assert.equal(found.json.total, 0, 'the model was stored without its audit entry');
    const p = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'không được lưu' }, headers: { ...bearer(u), 'If-Match': `"${m.version}"` } });
    assert.equal(p.status, 500, `patch: ${p.status} ${p.text}`);
    const got = (await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json;
    assert.equal(got.version, m.version, 'the edit was stored without its audit entry');
    assert.equal(got.summary, m.summary);
    const name = `Thôn ${token('au')}`;
    const v = await api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name }, headers: bearer(u) });
    assert.equal(v.status, 500, `village: ${v.status} ${v.text}`);
    const kids = (await api(srv.base, 'GET', '/api/v1/units/20368/children?hierarchy=2024')).json.items;
    assert.ok(!kids.some((k) => k.name === name), 'the village was stored without its audit entry');
    const si = await signIn(srv.base, u.login, u.password);
    assert.equal(si.status, 500, `sign-in: ${si.status}`);
    assert.equal(si.session, undefined, 'a session cookie without its audit entry');
    assert.equal((await sqlOk(srv.dbPath, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'au-rollback';`)).trim(), '0',
      'a session was stored without its audit entry');
  } finally {
    await dropFailTrigger(srv.dbPath, 'test_audit_fails', 'audit');
  }
  // and the same requests go through once the audit can be written
  const c = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('au')} sau đó` }), headers: bearer(u) });
  assert.equal(c.status, 201, c.text);
});

test('when the change fails, no audit entry is left behind', async () => {
  await failTrigger(srv.dbPath, 'test_model_fails', 'models', "NEW.title LIKE 'rbm%'", 'test: models unavailable');
  try {
    const title = `${token('rbm')} không lưu`;
    const { entries, out: r } = await appended(() => api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title }), headers: bearer(officer) }));
    assert.equal(r.status, 500, `${r.status} ${r.text}`);
    assert.deepEqual(entries, [], 'an entry for a change that did not happen');
  } finally {
    await dropFailTrigger(srv.dbPath, 'test_model_fails', 'models');
  }
});

/* ---- reading the trail ------------------------------------------------------------------------ */

test('only administrators read the trail: API, page and CSV; everyone else 403, anonymous 401/303', async () => {
  const staff = await addUser(srv, 'au-staff', 'staff', '49', 2024);
  const appraiser = await addUser(srv, 'au-appraiser', 'appraiser', '20368', 2024);
  for (const u of [staff, officer, appraiser, viewer, farOfficer]) {
    const r = await api(srv.base, 'GET', '/api/v1/audit', { headers: bearer(u) });
    assert.equal(r.status, 403, `${u.login}: ${r.status}`);
    assert.equal(r.json?.error?.code, 'forbidden');
    for (const p of ['/admin/audit', '/admin/audit.csv', '/admin/audit?entity=model']) {
      const pr = await page(srv.base, 'GET', p, { headers: bearer(u) });
      assert.equal(pr.status, 403, `${u.login} ${p}: ${pr.status}`);
      assert.ok(!pr.text.includes('sign_in'), `${u.login} ${p}: the refusal shows entries`);
    }
  }
  const anon = await api(srv.base, 'GET', '/api/v1/audit', { headers: { Authorization: '' } });
  assert.equal(anon.status, 401);
  for (const p of ['/admin/audit', '/admin/audit.csv']) {
    const pr = await page(srv.base, 'GET', p);
    assert.equal(pr.status, 303);
    assert.equal(pr.location, `/login?next=${encodeURIComponent(p)}`);
  }
  const ok = await api(srv.base, 'GET', '/api/v1/audit');
  assert.equal(ok.status, 200);
});

test('no route edits the trail: PUT, PATCH, DELETE and POST answer 404 or 405 and the trail is unchanged', async () => {
  const all = await trail();
  const id = all[0].id;
  const paths = ['/api/v1/audit', `/api/v1/audit/${id}`, '/admin/audit', `/admin/audit/${id}`, '/admin/audit.csv'];
  for (const p of paths) {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const r = await api(srv.base, method, p, { body: { login: 'ke-gian', action: 'deleted' }, headers: { 'If-Match': '"1"' } });
      assert.ok(r.status === 404 || r.status === 405, `${method} ${p}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  const now = await trail();
  assert.deepEqual(now.filter((e) => e.id <= id), all, 'the trail changed');
});

test('the database refuses UPDATE and DELETE on the audit table (triggers)', async () => {
  const before1 = (await sqlOk(srv.dbPath, 'SELECT id, login, action FROM audit WHERE id = 1;')).trim();
  const count = (await sqlOk(srv.dbPath, 'SELECT count(*) FROM audit;')).trim();
  for (const stmt of ["UPDATE audit SET login = 'ke-gian' WHERE id = 1;", 'DELETE FROM audit WHERE id = 1;', 'DELETE FROM audit;',
    "UPDATE audit SET after = NULL;"]) {
    const r = await sql(srv.dbPath, stmt);
    assert.notEqual(r.code, 0, `${stmt} succeeded`);
    assert.match(r.stderr, /append-only/, `${stmt}: ${r.stderr}`);
  }
  assert.equal((await sqlOk(srv.dbPath, 'SELECT id, login, action FROM audit WHERE id = 1;')).trim(), before1);
  assert.equal((await sqlOk(srv.dbPath, 'SELECT count(*) FROM audit;')).trim(), count);
});

test('filters: entity, entity_id, login, from, to, before (paging), limit; bad values → 400', async () => {
  const m = await createModel(srv.base, { title: `${token('au')} lọc` });
  await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'a' }, headers: { 'If-Match': '"1"' } });
  await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'b' }, headers: { 'If-Match': '"2"' } });
  const byId = await trail(`entity=model&entity_id=${m.id}`);
  assert.deepEqual(byId.map((e) => e.action), ['update', 'update', 'create']);
  assert.ok(byId.every((e) => e.entity === 'model' && e.entity_id === String(m.id)));
  assert.ok(byId[0].id > byId[1].id && byId[1].id > byId[2].id, 'newest first');
  const users = await trail('entity=user');
  assert.ok(users.length > 0 && users.every((e) => e.entity === 'user'));
  const mine = await trail(`login=${officer.login}`);
  assert.ok(mine.length > 0 && mine.every((e) => e.login === officer.login));
  const today = new Date().toISOString().slice(0, 10);
  const all = await trail();
  assert.equal((await trail(`from=${today}&to=${today}`)).length, all.length, 'today holds every entry');
  assert.equal((await trail('to=2000-01-01')).length, 0);
  assert.equal((await trail('from=2199-01-01')).length, 0);
  // paging with limit and before
  const p1 = await api(srv.base, 'GET', '/api/v1/audit?limit=3');
  assert.equal(p1.json.items.length, 3);
  assert.equal(p1.json.next_before, p1.json.items[2].id);
  const p2 = await api(srv.base, 'GET', `/api/v1/audit?limit=3&before=${p1.json.next_before}`);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((e) => e.id), all.slice(0, 6).map((e) => e.id));
  const last = await api(srv.base, 'GET', `/api/v1/audit?limit=10000`);
  assert.equal(last.json.next_before, null);
  for (const bad of ['limit=0', 'limit=x', 'limit=10001', 'before=-1', 'before=abc', 'from=hôm-qua', 'to=2024-13-45']) {
    const r = await api(srv.base, 'GET', `/api/v1/audit?${bad}`);
    assert.equal(r.status, 400, `${bad}: ${r.status}`);
  }
});

test('CSV export: a header row and the same rows as the API, with the same filters', async () => {
  for (const query of ['', 'entity=model', `login=${officer.login}`]) {
    const r = await page(srv.base, 'GET', `/admin/audit.csv${query ? `?${query}` : ''}`, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition') || '', /^attachment/);
    const text = r.text.replace(/^\uFEFF/, '');
    const rows = parseCsv(text.replace(/\r\n/g, '\n'));
    const header = parseCsv(`${text.split('\r\n')[0]}\n`);
    assert.deepEqual(Object.keys(rows[0] || {}), ['id', 'at', 'login', 'address', 'entity', 'entity_id', 'action', 'before', 'after'], 'header row');
    assert.equal(header.length, 0, 'the header is one row');
    const items = await trail(query);
    assert.ok(items.length > 0, `no entries for ${query}`);
    assert.equal(rows.length, items.length, `${query}: ${rows.length} CSV rows, ${items.length} API items`);
    rows.forEach((row, i) => {
      const e = items[i];
      const what = `${query} row ${i + 1}`;
      assert.equal(Number(row.id), e.id, what);
      for (const k of ['at', 'login', 'address', 'entity', 'entity_id', 'action']) assert.equal(row[k], e[k], `${what}: ${k}`);
      assert.deepEqual(row.before === '' ? null : JSON.parse(row.before), e.before, `${what}: before`);
      assert.deepEqual(row.after === '' ? null : JSON.parse(row.after), e.after, `${what}: after`);
    });
  }
});

test('the audit page lists entries with their filters', async () => {
  const m = await createModel(srv.base, { title: `${token('au')} trang` });
  const r = await page(srv.base, 'GET', `/admin/audit?entity=model&entity_id=${m.id}`, { headers: { Authorization: `Bearer ${srv.adminToken}` } });
  assert.equal(r.status, 200);
  const rows = r.text.match(/<tr>.*?<\/tr>/g) || [];
  const body = rows.filter((x) => !x.includes('<th'));
  assert.equal(body.length, 1, `rows: ${body.length}`);
  // the page names entities and actions in the reader's language (the API and the CSV keep model/create)
  assert.ok(body[0].includes(`Mô hình ${m.id}`) && body[0].includes('tạo mới'), body[0]);
  assert.ok(r.text.includes(`/admin/audit.csv?entity=model&amp;entity_id=${m.id}`), 'no CSV link with the same filters');
});
