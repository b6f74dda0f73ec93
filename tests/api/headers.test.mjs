// headers.test.mjs: security headers on every kind of response (issue 3):
// a Content-Security-Policy that allows no inline script and no framing
// (frame-ancestors 'none'), X-Content-Type-Options: nosniff and a
// Referrer-Policy that does not leak paths to other sites; on pages, API
// answers, errors, redirects, static files and exports. Pages must also work
// under that policy: no inline script, event-handler attribute or inline style.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, addUser } from '../lib/server.mjs';
import { api, createModel, rawRequest, validModel } from '../lib/http.mjs';
import { page, signInOk, loginForm } from '../lib/session.mjs';

let srv;
let admin;   // admin session
let viewer;  // { login, password, token } + session
let model;

before(async () => {
  srv = await startServer();
  model = await createModel(srv.base, {});
  admin = await signInOk(srv.base, 'admin', srv.adminPassword);
  viewer = await addUser(srv, 'hd-viewer', 'viewer', '20368', 2024);
  viewer.session = await signInOk(srv.base, viewer.login, viewer.password);
});
after(async () => { if (srv) await srv.stop(); });

const GOOD_REFERRER = new Set(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']);

function header(h, name) {
  return typeof h.get === 'function' ? h.get(name) : h[name.toLowerCase()];
}

/* The directives of a CSP: { 'script-src': ["'self'"], ... }. */
function parseCsp(csp) {
  const out = {};
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

/* Asserts the security headers of one response. */
function assertSecurityHeaders(h, what) {
  const csp = header(h, 'content-security-policy');
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  assert.ok(!csp.includes(','), `${what}: more than one Content-Security-Policy: ${csp}`);
  const d = parseCsp(csp);
  const scripts = d['script-src'] || d['default-src'];
  assert.ok(scripts, `${what}: the CSP limits no scripts: ${csp}`);
  for (const src of scripts) {
    assert.ok(src === "'self'" || src === "'none'" || /^'(nonce|sha256|sha384|sha512)-/.test(src) || src === "'strict-dynamic'",
      `${what}: script source ${src} allows inline or foreign script: ${csp}`);
  }
  if (d['script-src-attr']) assert.deepEqual(d['script-src-attr'], ["'none'"], `${what}: script-src-attr`);
  assert.deepEqual(d['frame-ancestors'], ["'none'"], `${what}: frame-ancestors: ${csp}`);
  const objects = d['object-src'] || d['default-src'];
  assert.ok(objects && objects.every((s) => s === "'none'" || s === "'self'"), `${what}: object-src: ${csp}`);
  assert.ok(d['base-uri'] && d['base-uri'].every((s) => s === "'none'" || s === "'self'"), `${what}: base-uri: ${csp}`);
  assert.equal(header(h, 'x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  const rp = header(h, 'referrer-policy');
  assert.ok(rp, `${what}: no Referrer-Policy`);
  assert.ok(GOOD_REFERRER.has(rp.split(',').pop().trim()), `${what}: Referrer-Policy ${rp}`);
  assert.ok(header(h, 'content-type'), `${what}: no Content-Type`);
}

/* Asserts that an HTML page runs under that CSP: no inline script of any kind, no inline style. */
function assertNoInline(html, what) {
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1], /\bsrc="\/static\/[^"]+"/, `${what}: a script without src: ${m[0].slice(0, 120)}`);
    assert.equal(m[2].trim(), '', `${what}: an inline script: ${m[0].slice(0, 120)}`);
  }
  const handler = /<[^>]*\son[a-z]+\s*=/i.exec(html);
  assert.equal(handler, null, `${what}: an inline event handler: ${handler && handler[0].slice(0, 120)}`);
  assert.ok(!/(href|src|action|formaction)\s*=\s*"\s*javascript:/i.test(html), `${what}: a javascript: URL`);
  assert.ok(!/<style\b/i.test(html), `${what}: an inline <style> element (blocked by style-src 'self')`);
  const style = /<[^>]*\sstyle\s*=/i.exec(html);
  assert.equal(style, null, `${what}: an inline style attribute (blocked by style-src 'self'): ${style && style[0].slice(0, 120)}`);
}

test('pages: sign-in form, showcase, list, model, edit form, registration form, audit', async () => {
  const pages = [
    ['GET /login', () => page(srv.base, 'GET', '/login'), 200],
    ['GET /public', () => page(srv.base, 'GET', '/public'), 200],
    ['GET /models', () => page(srv.base, 'GET', '/models', { session: admin }), 200],
    ['GET /models?q=…', () => page(srv.base, 'GET', '/models?q=tam+an&field=defense_security', { session: admin }), 200],
    ['GET /models/{id}', () => page(srv.base, 'GET', `/models/${model.id}`, { session: admin }), 200],
    ['GET /models/{id}/edit', () => page(srv.base, 'GET', `/models/${model.id}/edit`, { session: admin }), 200],
    ['GET /models/new', () => page(srv.base, 'GET', '/models/new', { session: admin }), 200],
    ['POST /models/new (unit search)', () => page(srv.base, 'POST', '/models/new', { session: admin, form: { csrf: admin.csrf, op: 'unit_search', unit_q: 'tam an' } }), 200],
    ['POST /models/new (invalid)', () => page(srv.base, 'POST', '/models/new', { session: admin, form: { csrf: admin.csrf, op: 'save', title: '' } }), 422],
    ['GET /admin/audit', () => page(srv.base, 'GET', '/admin/audit', { session: admin }), 200],
  ];
  for (const [what, fn, status] of pages) {
    const r = await fn();
    assert.equal(r.status, status, `${what}: ${r.status}`);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/i, what);
    assertSecurityHeaders(r.headers, what);
    assertNoInline(r.text, what);
  }
});

test('API answers: 200, 201 and list', async () => {
  const calls = [
    ['GET /api/v1/me', () => api(srv.base, 'GET', '/api/v1/me'), 200],
    ['GET /api/v1/models', () => api(srv.base, 'GET', '/api/v1/models'), 200],
    ['GET /api/v1/models/{id}', () => api(srv.base, 'GET', `/api/v1/models/${model.id}`), 200],
    ['POST /api/v1/models', () => api(srv.base, 'POST', '/api/v1/models', { body: validModel() }), 201],
    ['GET /api/v1/units', () => api(srv.base, 'GET', '/api/v1/units?q=tam%20an'), 200],
    ['GET /api/v1/audit', () => api(srv.base, 'GET', '/api/v1/audit?limit=2'), 200],
    ['GET /healthz', () => api(srv.base, 'GET', '/healthz', { headers: { Authorization: '' } }), 200],
  ];
  for (const [what, fn, status] of calls) {
    const r = await fn();
    if (status) assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
    assertSecurityHeaders(r.headers, `${what} (${r.status})`);
  }
});

test('errors: API 400/401/403/404/405/409/413/422/428 and pages 400/401/403/404/405', async () => {
  const big = Buffer.alloc(2 * 1024 * 1024, 'x');
  const cases = [
    ['API 401', () => api(srv.base, 'GET', '/api/v1/models', { headers: { Authorization: '' } }), 401],
    ['API 401 bad token', () => api(srv.base, 'GET', '/api/v1/me', { headers: { Authorization: 'Bearer dvk_nope' } }), 401],
    ['API 403', () => api(srv.base, 'GET', '/api/v1/audit', { headers: { Authorization: `Bearer ${viewer.token}` } }), 403],
    ['API 403 csrf', () => api(srv.base, 'POST', '/api/v1/models', { body: {}, headers: { Authorization: '', Cookie: admin.cookie } }), 403],
    ['API 404 model', () => api(srv.base, 'GET', '/api/v1/models/987654'), 404],
    ['API 404 route', () => api(srv.base, 'GET', '/api/v1/nothing-here'), 404],
    ['API 405', () => api(srv.base, 'DELETE', `/api/v1/models/${model.id}`), 405],
    ['API 400', () => api(srv.base, 'POST', '/api/v1/models', { body: '{"title":' }), 400],
    ['API 400 query', () => api(srv.base, 'GET', '/api/v1/models?nope=1'), 400],
    ['API 409', () => api(srv.base, 'PATCH', `/api/v1/models/${model.id}`, { body: { summary: 'x' }, headers: { 'If-Match': '"99"' } }), 409],
    ['API 422', () => api(srv.base, 'POST', '/api/v1/models', { body: { title: '' } }), 422],
    ['API 428', () => api(srv.base, 'PATCH', `/api/v1/models/${model.id}`, { body: { summary: 'x' } }), 428],
    ['API 413', () => rawRequest(srv.base, 'POST', '/api/v1/models', { body: big, headers: { 'Content-Type': 'application/json' } }), 413],
    ['page 303 to sign in', () => page(srv.base, 'GET', '/models'), 303],
    ['page 303 home', () => page(srv.base, 'GET', '/'), 303],
    ['page 401 failed sign-in', async () => {
      const f = await loginForm(srv.base);
      return page(srv.base, 'POST', '/login', { cookie: `dvk_pre=${f.pre}`, form: { csrf: f.pre, login: 'khong-co-ai', password: 'sai-mat-khau-1' } });
    }, 401],
    ['page 403 form expired', () => page(srv.base, 'POST', '/login', { form: { login: 'x', password: 'y' } }), 403],
    ['page 403 role', () => page(srv.base, 'GET', '/admin/audit', { session: viewer.session }), 403],
    ['page 404', () => page(srv.base, 'GET', '/models/987654', { session: admin }), 404],
    ['page 404 route', () => page(srv.base, 'GET', '/khong-co-trang-nay'), 404],
    ['page 404 public', () => page(srv.base, 'GET', `/public/models/${model.id}`), 404],
    ['page 405', () => page(srv.base, 'DELETE', '/models'), 405],
    ['page 400 query', () => page(srv.base, 'GET', '/models?q=%FF', { session: admin }), 400],
  ];
  for (const [what, fn, status] of cases) {
    const r = await fn();
    assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}`);
    assertSecurityHeaders(r.headers, what);
    if (/^text\/html/.test(header(r.headers, 'content-type') || '')) assertNoInline(r.text, what);
  }
});

/* Sends only the head of a request declaring a 40 MB body: h2o refuses it on the
 * Content-Length alone with its own 413. Resolves to { status, headers (lower-case) }. */
function hugeHead() {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('error', () => {});
    sock.on('close', () => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no answer: ${JSON.stringify(data.slice(0, 200))}`));
      const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
      const headers = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: data.slice(end + 4) });
    });
    setTimeout(() => sock.destroy(), 10000);
    sock.write(`POST /api/v1/models HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${srv.adminToken}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n{"title":`);
  });
}

/* Known limit: h2o 2.2 answers a declared body above the hard limit (16 MB) itself,
 * before any handler or filter runs, so that one answer cannot carry dvk's headers.
 * What it can be held to: refused, closed, a fixed text that reflects nothing of the
 * request, and no library version. Every smaller oversized body gets dvk's own JSON
 * 413 with all headers (errors.test.mjs, and the routes' limits above). */
test("a body above the server-wide limit gets h2o's own 413: fixed text, closed, no version", async () => {
  const r = await hugeHead();
  assert.equal(r.status, 413);
  const server = r.headers.server;
  assert.equal(server, 'dvk', 'the Server header names no library version');
  assert.match(r.text || '', /^request entity is too large$/i, `a fixed text: ${r.text}`);
  assert.ok(!/40|41943040|api\/v1/.test(r.text || ''), 'nothing of the request is reflected');
});

test('static files and exports: CSS, JS, a missing file, the audit CSV', async () => {
  const cases = [
    ['/static/app.css', /^text\/css/, 200],
    ['/static/app.js', /^text\/javascript|^application\/javascript/, 200],
    ['/static/nothing.js', /^text\/html/, 404],
  ];
  for (const [p, type, status] of cases) {
    const r = await page(srv.base, 'GET', p);
    assert.equal(r.status, status, `${p}: ${r.status}`);
    assert.match(r.headers.get('content-type'), type, p);
    assertSecurityHeaders(r.headers, p);
  }
  const csv = await page(srv.base, 'GET', '/admin/audit.csv', { session: admin });
  assert.equal(csv.status, 200);
  assertSecurityHeaders(csv.headers, '/admin/audit.csv');
  // the script the pages load does not build code from strings either
  const js = await page(srv.base, 'GET', '/static/app.js');
  assert.ok(!/\beval\s*\(|new\s+Function\s*\(|\.innerHTML\s*=|setTimeout\s*\(\s*['"`]/.test(js.text), 'app.js uses eval, new Function, innerHTML or string timers');
});

test('redirects carry the headers too', async () => {
  const f = await loginForm(srv.base);
  const u = await addUser(srv, 'hd-redirect', 'officer', '20368', 2024);
  const r = await page(srv.base, 'POST', '/login', { cookie: `dvk_pre=${f.pre}`, form: { csrf: f.pre, login: u.login, password: u.password } });
  assert.equal(r.status, 303);
  assertSecurityHeaders(r.headers, 'POST /login 303');
  const lo = await page(srv.base, 'POST', '/logout', { session: viewer.session, form: { csrf: viewer.session.csrf } });
  assert.equal(lo.status, 303);
  assertSecurityHeaders(lo.headers, 'POST /logout 303');
});
