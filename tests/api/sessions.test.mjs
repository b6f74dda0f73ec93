// sessions.test.mjs: signing in and out, session cookies, CSRF, session fixation,
// idle and absolute expiry, API tokens, sign-in throttling, the redirect after
// sign-in, and that no secret reaches the server's log (issue 3).
// Sessions and tokens are aged by editing the SQLite file with the sqlite3 shell
// while the server runs. Throttling runs on a second server of its own, since
// every failed sign-in of this file comes from 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFile } from 'node:fs/promises';
import { startServer, startNode, addUser, createTokenWithId, runDvk } from '../lib/server.mjs';
import { api, setDefaultToken, token, validModel } from '../lib/http.mjs';
import {
  signIn, signInOk, page, loginForm, errorText, setCookieLine, cookieAttributes, cookieFrom, cookieHeaders, csrfOfSession,
} from '../lib/session.mjs';
import { sql, sqlOk, sha256hex, q, now, dumpTables } from '../lib/sqlite.mjs';

let srv;   // the main server
let tsrv;  // throttling only
const secrets = new Set(); // every password, token, cookie value and csrf token used: none may reach stderr

before(async () => {
  tsrv = await startServer();
  srv = await startServer();
  setDefaultToken(srv.adminToken);
  secrets.add(srv.adminPassword).add(srv.adminToken).add(tsrv.adminToken);
});
after(async () => {
  if (srv) await srv.stop();
  if (tsrv) await tsrv.stop();
});

const ADMIN = () => ({ Authorization: `Bearer ${srv.adminToken}` });
let userSeq = 0;
/* A fresh officer of Tam An on server s (default: the main one); its password and token are secrets. */
async function user(prefix, s = srv, role = 'officer') {
  userSeq += 1;
  const u = await addUser(s, `${prefix}-${userSeq}`, role, '20368', 2024);
  secrets.add(u.password).add(u.token);
  return u;
}
async function session(u, s = srv) {
  const x = await signInOk(s.base, u.login, u.password);
  secrets.add(x.value).add(x.csrf);
  return x;
}
const me = (s, sess) => api(s.base, 'GET', '/api/v1/me', { headers: cookieHeaders(sess) });
const meBearer = (s, tok) => api(s.base, 'GET', '/api/v1/me', { headers: { Authorization: `Bearer ${tok}` } });
const sessionRow = async (s, value) => (await sqlOk(s.dbPath, `SELECT created_at, last_seen, expires_at FROM sessions WHERE id_hash = ${q(sha256hex(value))};`)).trim();
const auditTop = async () => {
  const r = await api(srv.base, 'GET', '/api/v1/audit?limit=1', { headers: ADMIN() });
  assert.equal(r.status, 200);
  return r.json.items.length ? r.json.items[0].id : 0;
};
const totalModels = async () => (await api(srv.base, 'GET', '/api/v1/models?limit=1', { headers: ADMIN() })).json.total;
const adminModel = async (id) => (await api(srv.base, 'GET', `/api/v1/models/${id}`, { headers: ADMIN() })).json;
const newModel = async () => {
  const r = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('se')} mô hình` }), headers: ADMIN() });
  assert.equal(r.status, 201, r.text);
  return r.json;
};

/* ---- sign-in --------------------------------------------------------------------- */

test('sign-in: 303 to next with a new HttpOnly, SameSite=Strict session cookie (no Secure over plain HTTP); dvk_pre is cleared', async () => {
  const u = await user('si');
  const r = await signIn(srv.base, u.login, u.password, { next: '/models?field=economic' });
  assert.equal(r.status, 303, errorText(r.text));
  assert.equal(r.location, '/models?field=economic');
  const line = setCookieLine(r.headers, 'dvk_session');
  assert.ok(line, 'no Set-Cookie for dvk_session');
  const attrs = cookieAttributes(line);
  assert.equal(attrs.httponly, true, line);
  assert.equal(attrs.samesite, 'Strict', line);
  assert.equal(attrs.path, '/', line);
  assert.equal(attrs.secure, undefined, `Secure over plain HTTP: ${line}`);
  assert.match(r.session, /^[A-Za-z0-9_-]{32,}$/, 'the session id is long and URL-safe');
  secrets.add(r.session);
  const pre = setCookieLine(r.headers, 'dvk_pre');
  assert.ok(pre, 'dvk_pre is not cleared');
  assert.equal(cookieFrom(r.headers, 'dvk_pre'), '');
  assert.equal(cookieAttributes(pre)['max-age'], '0', pre);
  const who = await me(srv, r.session);
  assert.equal(who.status, 200, who.text);
  assert.equal(who.json.login, u.login);
  const row = (await sqlOk(srv.dbPath, `SELECT expires_at - created_at, CASE WHEN last_seen = created_at THEN 1 ELSE 0 END FROM sessions WHERE id_hash = ${q(sha256hex(r.session))};`)).trim();
  assert.equal(row, '43200|1', 'a session lasts 12 h from sign-in; the store keys it by the digest of the cookie');
});

test('GET /login sets an HttpOnly, SameSite=Strict dvk_pre cookie equal to the form\'s hidden csrf field', async () => {
  const f = await loginForm(srv.base);
  assert.equal(f.status, 200);
  assert.ok(f.pre && f.pre.length >= 20, `dvk_pre: ${f.pre}`);
  assert.equal(f.formCsrf, f.pre);
  const attrs = cookieAttributes(setCookieLine(f.headers, 'dvk_pre'));
  assert.equal(attrs.httponly, true);
  assert.equal(attrs.samesite, 'Strict');
  const f2 = await loginForm(srv.base);
  assert.notEqual(f2.pre, f.pre, 'each form gets its own token');
});

test('behind TLS (X-Forwarded-Proto: https) the cookies are Secure', async () => {
  const u = await user('tls');
  const headers = { 'X-Forwarded-Proto': 'https' };
  const f = await loginForm(srv.base, { headers });
  assert.equal(cookieAttributes(setCookieLine(f.headers, 'dvk_pre')).secure, true, 'dvk_pre without Secure');
  const r = await page(srv.base, 'POST', '/login', {
    cookie: `dvk_pre=${f.pre}`, headers, form: { login: u.login, password: u.password, csrf: f.pre },
  });
  assert.equal(r.status, 303, errorText(r.text));
  const attrs = cookieAttributes(setCookieLine(r.headers, 'dvk_session'));
  assert.equal(attrs.secure, true, 'dvk_session without Secure');
  assert.equal(attrs.httponly, true);
  assert.equal(attrs.samesite, 'Strict');
  secrets.add(cookieFrom(r.headers, 'dvk_session'));
});

test('a failed sign-in is 401 with one message for an unknown login, a wrong password and a disabled user; no session', async () => {
  const u = await user('fail');
  const d = await user('disabled');
  await runDvk(['user', 'disable', '--db', srv.dbPath, '--login', d.login]);
  const cases = [
    ['unknown login', `khong-co-${u.login}`, u.password],
    ['wrong password', u.login, `${u.password}-sai`],
    ['disabled user, right password', d.login, d.password],
    ['empty password', u.login, ''],
  ];
  const messages = new Map();
  for (const [what, login, password] of cases) {
    if (password) secrets.add(password);
    const r = await signIn(srv.base, login, password);
    assert.equal(r.status, 401, `${what}: ${r.status}`);
    assert.equal(r.session, undefined, `${what}: a session cookie was set`);
    assert.equal(r.location, null, `${what}: redirected`);
    const msg = errorText(r.text);
    assert.ok(msg && msg.trim(), `${what}: no error message`);
    if (password) assert.ok(!r.text.includes(password), `${what}: the page repeats the password`);
    messages.set(what, msg);
  }
  assert.equal(new Set(messages.values()).size, 1, `different messages: ${JSON.stringify([...messages])}`);
  // the wrong attempts did not lock the real user out (5 are free)
  assert.equal((await signIn(srv.base, u.login, u.password)).status, 303);
});

test('the sign-in form needs its double-submit token: without the dvk_pre cookie, with a wrong or no csrf field → 403, no session', async () => {
  const u = await user('pre');
  const f = await loginForm(srv.base);
  const other = await loginForm(srv.base);
  const cases = [
    ['no cookie', undefined, { csrf: f.pre }],
    ['no field', `dvk_pre=${f.pre}`, {}],
    ['wrong field', `dvk_pre=${f.pre}`, { csrf: `${f.pre}x` }],
    ['another form\'s token', `dvk_pre=${f.pre}`, { csrf: other.pre }],
    ['an empty dvk_pre cookie and an empty csrf field', 'dvk_pre=', { csrf: '' }],
  ];
  for (const [what, cookie, extra] of cases) {
    const r = await page(srv.base, 'POST', '/login', { cookie, form: { login: u.login, password: u.password, ...extra } });
    assert.equal(r.status, 403, `${what}: ${r.status}`);
    assert.equal(cookieFrom(r.headers, 'dvk_session'), undefined, `${what}: a session cookie was set`);
  }
});

/* ---- session fixation ------------------------------------------------------------- */

test('session fixation: a dvk_session value planted before sign-in is replaced and never signs anyone in', async () => {
  const u = await user('fix');
  const planted = `planted${'Ab1_'.repeat(9)}`;
  const r = await signIn(srv.base, u.login, u.password, { cookie: `dvk_session=${planted}` });
  assert.equal(r.status, 303);
  assert.ok(r.session, 'no new session cookie');
  assert.notEqual(r.session, planted);
  secrets.add(r.session);
  assert.equal((await me(srv, planted)).status, 401, 'the planted id signs in');
  assert.equal((await me(srv, r.session)).status, 200);
  assert.equal((await sqlOk(srv.dbPath, `SELECT count(*) FROM sessions WHERE id_hash = ${q(sha256hex(planted))};`)).trim(), '0');
});

test('signing in again gives a new id and ends the session the browser had; other devices keep theirs', async () => {
  const u = await user('again');
  const phone = await session(u);
  const s1 = await session(u);
  const r = await signIn(srv.base, u.login, u.password, { cookie: s1.cookie });
  assert.equal(r.status, 303);
  assert.ok(r.session && r.session !== s1.value, 'the id was not renewed');
  secrets.add(r.session);
  assert.equal((await me(srv, s1.value)).status, 401, 'the old session still works');
  assert.equal((await me(srv, r.session)).status, 200);
  assert.equal((await me(srv, phone.value)).status, 200, 'another device\'s session was ended');
  // another user's sign-in on the same browser ends the first user's session too
  const v = await user('again2');
  const r2 = await signIn(srv.base, v.login, v.password, { cookie: `dvk_session=${r.session}` });
  assert.equal(r2.status, 303);
  secrets.add(r2.session);
  assert.equal((await me(srv, r.session)).status, 401);
  assert.equal((await me(srv, r2.session)).json.login, v.login);
});

test('sessions live in the store: a session from one node works on another, and signing out on either ends it', async () => {
  const nodeB = await startNode(srv);
  try {
    const u = await user('nodes');
    const s = await session(u);
    const onB = await me(nodeB, s);
    assert.equal(onB.status, 200, `node B does not know node A's session: ${onB.text}`);
    assert.equal(onB.json.login, u.login);
    const csrfB = await csrfOfSession(nodeB.base, s);
    assert.equal(csrfB, s.csrf, 'the CSRF token differs between nodes');
    const lo = await page(nodeB.base, 'POST', '/logout', { session: s, form: { csrf: csrfB } });
    assert.equal(lo.status, 303);
    assert.equal((await me(srv, s)).status, 401, 'signed out on node B, still signed in on node A');
    assert.ok(!nodeB.stderr().includes(s.value), 'node B logged the cookie');
  } finally {
    await nodeB.stop();
  }
});

/* ---- CSRF ----------------------------------------------------------------------------- */

test('CSRF on forms: without, with a wrong, or with another session\'s csrf → 403 and nothing changes; with it → 303', async () => {
  const u = await user('csrf');
  const s = await session(u);
  const other = await session(await user('csrf-other'));
  assert.notEqual(s.csrf, other.csrf);
  const m = await newModel();
  const form = (extra) => ({
    op: 'save', title: `${token('cf')} qua biểu mẫu`, field: 'economic', kind: 'collective', registration_level: 'commune',
    registered_on: '01/02/2024', hierarchy: '2024', unit_code: '20368', owner_type: 'organization', owner: 'Hội Nông dân xã', ...extra,
  });
  const bad = [['no csrf', {}], ['wrong csrf', { csrf: `${s.csrf}x` }], ['another session\'s csrf', { csrf: other.csrf }], ['empty csrf', { csrf: '' }]];
  for (const [what, extra] of bad) {
    const total = await totalModels();
    const top = await auditTop();
    const r = await page(srv.base, 'POST', '/models/new', { session: s, form: form(extra) });
    assert.equal(r.status, 403, `POST /models/new, ${what}: ${r.status}`);
    assert.equal(await totalModels(), total, `POST /models/new, ${what}: a model was stored`);
    const e = await page(srv.base, 'POST', `/models/${m.id}/edit`, { session: s, form: { ...extra, version: m.version, op: 'save', summary: 'đổi trái phép' } });
    assert.equal(e.status, 403, `POST /models/{id}/edit, ${what}: ${e.status}`);
    const after1 = await adminModel(m.id);
    assert.equal(after1.version, m.version, `POST /models/{id}/edit, ${what}: changed`);
    assert.equal(after1.summary, m.summary);
    const lo = await page(srv.base, 'POST', '/logout', { session: s, form: extra });
    assert.equal(lo.status, 403, `POST /logout, ${what}: ${lo.status}`);
    assert.equal((await me(srv, s)).status, 200, `POST /logout, ${what}: the session ended`);
    assert.equal(await auditTop(), top, `${what}: an audit entry was appended`);
  }
  const ok = await page(srv.base, 'POST', '/models/new', { session: s, form: form({ csrf: s.csrf }) });
  assert.equal(ok.status, 303, errorText(ok.text) || ok.text.slice(0, 300));
  assert.match(ok.location, /^\/models\/\d+$/);
  const e = await page(srv.base, 'POST', `/models/${m.id}/edit`, { session: s, form: { csrf: s.csrf, version: m.version, op: 'save', summary: 'đổi hợp lệ' } });
  assert.equal(e.status, 303);
  assert.equal((await adminModel(m.id)).summary, 'đổi hợp lệ');
});

test('CSRF on the API with a cookie: no or a wrong X-CSRF-Token → 403 "csrf" and nothing changes; the right one → OK; bearer tokens need none', async () => {
  const u = await user('apicsrf');
  const s = await session(u);
  const other = await session(await user('apicsrf-other'));
  const m = await newModel();
  const bad = [['no header', {}], ['wrong header', { 'X-CSRF-Token': `${s.csrf}x` }], ['another session\'s token', { 'X-CSRF-Token': other.csrf }], ['empty header', { 'X-CSRF-Token': ' ' }]];
  for (const [what, extra] of bad) {
    const total = await totalModels();
    const top = await auditTop();
    const p = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'đổi' }, headers: cookieHeaders(s, { 'If-Match': `"${m.version}"`, ...extra }) });
    assert.equal(p.status, 403, `PATCH, ${what}: ${p.status} ${p.text}`);
    assert.equal(p.json?.error?.code, 'csrf', `PATCH, ${what}: ${p.text}`);
    const c = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('ac')} x` }), headers: cookieHeaders(s, extra) });
    assert.equal(c.status, 403, `POST, ${what}: ${c.status}`);
    assert.equal(c.json?.error?.code, 'csrf');
    const v = await api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name: `Thôn ${token('cv')}` }, headers: cookieHeaders(s, extra) });
    assert.equal(v.status, 403, `POST villages, ${what}: ${v.status}`);
    assert.equal((await adminModel(m.id)).version, m.version, `${what}: the model changed`);
    assert.equal(await totalModels(), total, `${what}: a model was stored`);
    assert.equal(await auditTop(), top, `${what}: an audit entry was appended`);
  }
  // a safe method needs no token
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}`, { headers: cookieHeaders(s) })).status, 200);
  const p = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'đổi có token' }, headers: cookieHeaders(s, { 'If-Match': `"${m.version}"`, 'X-CSRF-Token': s.csrf }) });
  assert.equal(p.status, 200, p.text);
  const c = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('ac')} có token` }), headers: cookieHeaders(s, { 'X-CSRF-Token': s.csrf }) });
  assert.equal(c.status, 201, c.text);
  const b = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('ab')} bearer` }), headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(b.status, 201, `a bearer token needs no CSRF token: ${b.text}`);
});

/* ---- sign-out and expiry ----------------------------------------------------------- */

test('sign-out: POST /logout with csrf → 303 /login, the cookie is cleared and the session no longer works', async () => {
  const u = await user('out');
  const s = await session(u);
  const r = await page(srv.base, 'POST', '/logout', { session: s, form: { csrf: s.csrf } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/login');
  const line = setCookieLine(r.headers, 'dvk_session');
  assert.ok(line, 'the cookie is not cleared');
  assert.equal(cookieFrom(r.headers, 'dvk_session'), '');
  assert.equal(cookieAttributes(line)['max-age'], '0');
  assert.equal((await me(srv, s)).status, 401);
  const p = await page(srv.base, 'GET', '/models', { session: s });
  assert.equal(p.status, 303);
  assert.equal(p.location, '/login?next=%2Fmodels');
  assert.equal(await sessionRow(srv, s.value), '', 'the session row is still stored');
});

test('idle timeout: a session unused for more than 2 h is over; one used within 2 h goes on and is touched', async () => {
  const u = await user('idle');
  const s = await session(u);
  const live = await session(u);
  await sqlOk(srv.dbPath, `UPDATE sessions SET last_seen = ${now() - 7000} WHERE id_hash = ${q(sha256hex(live.value))};`);
  assert.equal((await me(srv, live)).status, 200, 'a session idle for 1 h 57 min ended');
  const seen = Number((await sessionRow(srv, live.value)).split('|')[1]);
  assert.ok(seen >= now() - 60, `last_seen was not renewed: ${seen}`);
  await sqlOk(srv.dbPath, `UPDATE sessions SET last_seen = ${now() - 7260} WHERE id_hash = ${q(sha256hex(s.value))};`);
  const r = await me(srv, s);
  assert.equal(r.status, 401, `a session idle for 2 h 1 min still works: ${r.text}`);
  assert.equal(r.json?.error?.code, 'unauthenticated');
  const p = await page(srv.base, 'GET', '/models/new', { session: s });
  assert.equal(p.status, 303);
  assert.equal(p.location, '/login?next=%2Fmodels%2Fnew');
  assert.equal(await sessionRow(srv, s.value), '', 'the expired row is kept');
});

test('absolute timeout: a session ends 12 h after sign-in even when in constant use', async () => {
  const u = await user('abs');
  const s = await session(u);
  const t0 = now();
  await sqlOk(srv.dbPath, `UPDATE sessions SET created_at = ${t0 - 43210}, expires_at = ${t0 - 10}, last_seen = ${t0 - 5} WHERE id_hash = ${q(sha256hex(s.value))};`);
  const r = await me(srv, s);
  assert.equal(r.status, 401, r.text);
  const f = await page(srv.base, 'POST', '/models/new', { session: s, form: { csrf: s.csrf, op: 'save', title: 'x' } });
  assert.equal(f.status, 303);
  assert.equal(f.location, '/login?next=%2Fmodels');
  // a session 11 h 50 min old still works
  const s2 = await session(u);
  await sqlOk(srv.dbPath, `UPDATE sessions SET created_at = ${t0 - 42600}, expires_at = ${t0 + 600} WHERE id_hash = ${q(sha256hex(s2.value))};`);
  assert.equal((await me(srv, s2)).status, 200);
});

test('an administrator\'s password reset and disabling a user end that user\'s sessions', async () => {
  const u = await user('reset');
  const s = await session(u);
  const newPw = `mk-moi-${Math.random().toString(36).slice(2)}-dai-hon`;
  secrets.add(newPw);
  const file = `${srv.dir}/${u.login}.new.pw`;
  await writeFile(file, `${newPw}\n`, { mode: 0o600 });
  await runDvk(['user', 'passwd', '--db', srv.dbPath, '--login', u.login, '--password-file', file]);
  assert.equal((await me(srv, s)).status, 401, 'the session outlived a password reset');
  assert.equal((await signIn(srv.base, u.login, u.password)).status, 401, 'the old password still works');
  const s2 = await signInOk(srv.base, u.login, newPw);
  secrets.add(s2.value).add(s2.csrf);
  assert.equal((await me(srv, s2)).status, 200);
  await runDvk(['user', 'disable', '--db', srv.dbPath, '--login', u.login]);
  assert.equal((await me(srv, s2)).status, 401, 'the session outlived disabling the user');
  assert.equal((await meBearer(srv, u.token)).status, 401, 'the token of a disabled user still works');
  assert.equal((await signIn(srv.base, u.login, newPw)).status, 401);
});

/* ---- tokens -------------------------------------------------------------------------- */

test('API tokens: revoked, expired, unknown or malformed → 401; a live one works; only their digest is stored', async () => {
  const u = await user('tok');
  const a = await createTokenWithId(srv.dbPath, u.login);
  const b = await createTokenWithId(srv.dbPath, u.login, ['--expires', '1']);
  const c = await createTokenWithId(srv.dbPath, u.login, ['--expires', '30']);
  for (const x of [a, b, c]) secrets.add(x.token);
  for (const x of [a, b, c]) assert.equal((await meBearer(srv, x.token)).status, 200);
  await runDvk(['token', 'revoke', '--db', srv.dbPath, '--id', String(a.id)]);
  const r = await meBearer(srv, a.token);
  assert.equal(r.status, 401, 'a revoked token works');
  assert.equal(r.json?.error?.code, 'unauthenticated');
  assert.equal((await meBearer(srv, u.token)).status, 200, 'revoking one token revoked another');
  await sqlOk(srv.dbPath, `UPDATE api_tokens SET expires_at = ${now() - 5} WHERE id = ${b.id};`);
  assert.equal((await meBearer(srv, b.token)).status, 401, 'an expired token works');
  assert.equal((await meBearer(srv, c.token)).status, 200, 'a token with 30 days left does not work');
  const list = await runDvk(['token', 'list', '--db', srv.dbPath]);
  assert.match(list.stdout, new RegExp(`^${a.id} .*revoked`, 'm'));
  assert.match(list.stdout, new RegExp(`^${b.id} .*expired`, 'm'));
  for (const t of [`dvk_${'x'.repeat(43)}`, 'dvk_', 'khong-phai-token', `${u.token}x`, u.token.slice(0, -1), `${u.token.slice(0, 10)} ${u.token.slice(10)}`]) {
    const rr = await meBearer(srv, t);
    assert.equal(rr.status, 401, `token ${JSON.stringify(t.slice(0, 12))}…: ${rr.status}`);
  }
  for (const h of ['Bearer', 'Bearer ', `Basic ${Buffer.from(`${u.login}:${u.password}`).toString('base64')}`, `Token ${u.token}`]) {
    const rr = await api(srv.base, 'GET', '/api/v1/me', { headers: { Authorization: h } });
    assert.equal(rr.status, 401, `Authorization: ${h.slice(0, 10)}…: ${rr.status}`);
  }
  // the database holds no token, password or cookie in clear
  const dump = await dumpTables(srv.dbPath, ['users', 'api_tokens', 'sessions', 'audit', 'signin_throttle']);
  assert.match(dump, /INSERT INTO api_tokens/);
  for (const x of [a.token, b.token, c.token, u.token, u.password]) assert.ok(!dump.includes(x), 'a secret is stored in clear');
});

test('the token of a disabled user → 401', async () => {
  const u = await user('tokdis');
  assert.equal((await meBearer(srv, u.token)).status, 200);
  await runDvk(['user', 'disable', '--db', srv.dbPath, '--login', u.login]);
  assert.equal((await meBearer(srv, u.token)).status, 401);
  const p = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('td')} x` }), headers: { Authorization: `Bearer ${u.token}` } });
  assert.equal(p.status, 401);
});

/* ---- /api/v1 without credentials --------------------------------------------------------- */

test('/api/v1 without a token or session → 401 "unauthenticated" on every route', async () => {
  const m = await newModel();
  const routes = [
    ['GET', '/api/v1/me'], ['GET', '/api/v1/indicators'], ['GET', '/api/v1/units'], ['GET', '/api/v1/units/20368?hierarchy=2024'],
    ['GET', '/api/v1/units/20368/children?hierarchy=2024'], ['POST', '/api/v1/units/20368/villages?hierarchy=2024', { name: 'Thôn X' }],
    ['GET', '/api/v1/models'], ['GET', '/api/v1/models?unit=49&hierarchy=2024'], ['POST', '/api/v1/models', validModel()],
    ['GET', '/api/v1/models?q=to%20tu%20quan'], ['GET', `/api/v1/models/similar?title=${encodeURIComponent(m.title)}`],
    ['GET', `/api/v1/models/${m.id}`], ['PATCH', `/api/v1/models/${m.id}`, { summary: 'x' }], ['GET', '/api/v1/audit'],
  ];
  const creds = [
    ['nothing', { Authorization: '' }],
    ['an unknown session cookie', { Authorization: '', Cookie: `dvk_session=${'Z'.repeat(43)}` }],
    ['an empty session cookie', { Authorization: '', Cookie: 'dvk_session=' }],
  ];
  for (const [what, headers] of creds) {
    for (const [method, path, body] of routes) {
      const r = await api(srv.base, method, path, { body, headers: method === 'PATCH' ? { ...headers, 'If-Match': '"1"' } : headers });
      assert.equal(r.status, 401, `${method} ${path} with ${what}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.json?.error?.code, 'unauthenticated', `${method} ${path}: ${r.text}`);
      assert.ok(!r.text.includes(m.title), `${method} ${path}: the 401 shows data`);
    }
  }
  assert.equal((await adminModel(m.id)).version, m.version);
});

/* ---- the redirect after sign-in ---------------------------------------------------------- */

test('open redirect: next pointing to another site (//host, scheme:, backslashes) goes to /models; a local path is kept', async () => {
  const u = await user('redir');
  const evil = ['//evil.example', '//evil.example/models', 'https://evil.example/', 'http://evil.example', 'HTTPS://evil.example',
    '/\\evil.example', '\\\\evil.example', '\\/evil.example', 'javascript:alert(1)', 'evil.example', ' //evil.example',
    'data:text/html,x', ''];
  for (const next of evil) {
    const r = await signIn(srv.base, u.login, u.password, { next });
    assert.equal(r.status, 303, `next=${JSON.stringify(next)}: ${r.status}`);
    secrets.add(r.session);
    assert.equal(r.location, '/models', `next=${JSON.stringify(next)} → ${r.location}`);
    const f = await loginForm(srv.base, { next });
    assert.equal(f.next, '/models', `GET /login?next=${JSON.stringify(next)}: hidden next ${f.next}`);
  }
  for (const next of ['/models/5', '/models?q=tam+an&field=economic', '/admin/audit']) {
    const r = await signIn(srv.base, u.login, u.password, { next });
    secrets.add(r.session);
    assert.equal(r.location, next, `next=${next}`);
  }
  // a signed-in user opening /login?next=… is sent on, but never away
  const s = await session(u);
  for (const next of ['//evil.example', 'https://evil.example/']) {
    const r = await page(srv.base, 'GET', `/login?next=${encodeURIComponent(next)}`, { session: s });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/models', `signed in, next=${next} → ${r.location}`);
  }
  // an anonymous visit to a page comes back to it after sign-in
  const p = await page(srv.base, 'GET', '/models/new?x=1');
  assert.equal(p.status, 303);
  const nextParam = new URL(p.location, srv.base).searchParams.get('next');
  assert.equal(nextParam, '/models/new');
  const back = await signIn(srv.base, u.login, u.password, { next: nextParam });
  secrets.add(back.session);
  assert.equal(back.location, '/models/new');
});

/* One raw HTTP/1.1 exchange (fetch refuses malformed answers, which is what we look for). */
function rawHttp(s, request) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(s.port, '127.0.0.1');
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('error', reject);
    sock.setTimeout(10000, () => sock.destroy(new Error('timeout')));
    sock.write(request);
  });
}
/* Checks that a raw response's head is well formed and returns its Location value. */
function assertWellFormed(raw, what) {
  const end = raw.indexOf('\r\n\r\n');
  assert.ok(end > 0, `${what}: no end of head`);
  const lines = raw.slice(0, end).split('\r\n');
  assert.match(lines[0], /^HTTP\/1\.1 \d{3} /);
  for (const l of lines.slice(1)) assert.match(l, /^[A-Za-z0-9-]+: /, `${what}: a header line that is not a header: ${JSON.stringify(l)}\n${JSON.stringify(raw.slice(0, 1200))}`);
  const loc = lines.find((l) => /^location: /i.test(l));
  return loc ? loc.replace(/^location: /i, '') : null;
}

const CRLF_PAYLOADS = ['/a\r\nX-Evil yes', '/x\r\n\r\n<h1>injected</h1>', '/y\nX-Evil yes', '/z\rX-Evil yes'];

test('the redirect after sign-in never splits the response: CR/LF in next stays out of the headers (POST /login)', async () => {
  const u = await user('crlf');
  const payloads = CRLF_PAYLOADS;
  for (const next of payloads) {
    const f = await loginForm(srv.base);
    const body = new URLSearchParams({ login: u.login, password: u.password, csrf: f.pre, next }).toString();
    const raw = await rawHttp(srv, `POST /login HTTP/1.1\r\nHost: t\r\nCookie: dvk_pre=${f.pre}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    const m = /dvk_session=([^;\r\n]+)/.exec(raw);
    if (m) secrets.add(m[1]);
    const loc = assertWellFormed(raw, `POST /login next=${JSON.stringify(next)}`);
    assert.ok(loc === '/models' || (!/[\r\n]/.test(loc) && /%0[dDaA]/.test(loc)), `POST /login next=${JSON.stringify(next)}: location ${JSON.stringify(loc)}`);
  }
});

test('the redirect after sign-in never splits the response: CR/LF in next stays out of the headers (GET /login, signed in)', async () => {
  const u = await user('crlf-get');
  const s = await session(u);
  for (const next of CRLF_PAYLOADS) {
    const raw = await rawHttp(srv, `GET /login?next=${encodeURIComponent(next)} HTTP/1.1\r\nHost: t\r\nCookie: ${s.cookie}\r\nConnection: close\r\n\r\n`);
    const loc = assertWellFormed(raw, `GET /login?next=${JSON.stringify(next)} (signed in)`);
    assert.ok(loc === '/models' || (!/[\r\n]/.test(loc) && /%0[dDaA]/.test(loc)), `GET /login next=${JSON.stringify(next)}: location ${JSON.stringify(loc)}`);
  }
});

/* ---- throttling (its own server) ------------------------------------------------------------ */

const throttleRow = async (key) => (await sqlOk(tsrv.dbPath, `SELECT failures, locked_until - last_failure FROM signin_throttle WHERE key = ${q(key)};`)).trim();
const unpause = (key) => sqlOk(tsrv.dbPath, `UPDATE signin_throttle SET locked_until = ${now() - 1} WHERE key = ${q(key)};`);

test('throttling per login: after 5 failures the right password fails too, with the same message; the pause doubles', async () => {
  await sqlOk(tsrv.dbPath, 'DELETE FROM signin_throttle;');
  const u = await user('thr', tsrv);
  const bystander = await user('thr-ok', tsrv);
  let wrongMsg;
  for (let i = 1; i <= 5; i++) {
    const r = await signIn(tsrv.base, u.login, `sai-mat-khau-${i}-xyz`);
    assert.equal(r.status, 401, `failure ${i}`);
    wrongMsg = errorText(r.text);
  }
  assert.equal(await throttleRow(`login:${u.login}`), '5|30', 'after 5 failures a 30 s pause');
  const r = await signIn(tsrv.base, u.login, u.password);
  assert.equal(r.status, 401, 'the right password during the pause signed in');
  assert.equal(r.session, undefined);
  assert.equal(errorText(r.text), wrongMsg, 'a paused login is told apart from a wrong password');
  // a different login from the same address is not paused
  const ok = await signIn(tsrv.base, bystander.login, bystander.password);
  assert.equal(ok.status, 303, 'another login was paused');
  secrets.add(ok.session);
  // an unknown login pauses the same way (no telling which logins exist)
  for (let i = 1; i <= 5; i++) await signIn(tsrv.base, `khong-ton-tai-${userSeq}`, 'sai-mat-khau-abc');
  assert.equal(await throttleRow(`login:khong-ton-tai-${userSeq}`), '5|30');
  // after the pause one more failure pauses for twice as long
  await unpause(`login:${u.login}`);
  assert.equal((await signIn(tsrv.base, u.login, 'van-sai-mat-khau')).status, 401);
  assert.equal(await throttleRow(`login:${u.login}`), '6|60', 'the pause did not double');
  assert.equal((await signIn(tsrv.base, u.login, u.password)).status, 401, 'signed in during the doubled pause');
  await unpause(`login:${u.login}`);
  const back = await signIn(tsrv.base, u.login, u.password);
  assert.equal(back.status, 303, 'the right password after the pause failed');
  secrets.add(back.session);
  assert.equal(await throttleRow(`login:${u.login}`), '', 'a successful sign-in keeps the failure count');
});

test('throttling per address: after 20 failures from one address every login from it pauses, with the same message', async () => {
  await sqlOk(tsrv.dbPath, 'DELETE FROM signin_throttle;');
  const u = await user('addr', tsrv);
  let wrongMsg;
  for (let i = 1; i <= 20; i++) {
    const r = await signIn(tsrv.base, `ke-do-mat-${i}`, 'thu-mat-khau-123');
    assert.equal(r.status, 401);
    wrongMsg = errorText(r.text);
  }
  assert.equal(await throttleRow('addr:127.0.0.1'), '20|30');
  const r = await signIn(tsrv.base, u.login, u.password);
  assert.equal(r.status, 401, 'a right password from a paused address signed in');
  assert.equal(r.session, undefined);
  assert.equal(errorText(r.text), wrongMsg);
  // bearer tokens are not sign-ins: they keep working
  assert.equal((await meBearer(tsrv, u.token)).status, 200);
  await unpause('addr:127.0.0.1');
  const ok = await signIn(tsrv.base, u.login, u.password);
  assert.equal(ok.status, 303);
  secrets.add(ok.session);
  await sqlOk(tsrv.dbPath, 'DELETE FROM signin_throttle;');
});

/* ---- nothing secret in the log --------------------------------------------------------------- */

test('no password, token, cookie value or csrf token appears in the servers\' stderr', async () => {
  // one more of each kind of request that carries a secret, in case a failure path logs it
  const u = await user('log');
  await signIn(srv.base, u.login, `${u.password}-wrong`);
  await api(srv.base, 'GET', '/api/v1/me', { headers: { Authorization: `Bearer ${u.token}x` } });
  const s = await session(u);
  await api(srv.base, 'PATCH', '/api/v1/models/999999', { body: '{bad', headers: cookieHeaders(s, { 'X-CSRF-Token': s.csrf, 'If-Match': '"1"' }) });
  await csrfOfSession(srv.base, s);
  assert.ok(secrets.size > 40, `only ${secrets.size} secrets collected`);
  for (const [name, x] of [['main', srv], ['throttle', tsrv]]) {
    const err = x.stderr();
    for (const secret of secrets) {
      if (!secret) continue;
      assert.ok(!err.includes(secret), `${name} server's stderr contains a secret (${secret.slice(0, 4)}…)`);
    }
  }
});
