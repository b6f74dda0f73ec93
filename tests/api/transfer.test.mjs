// transfer.test.mjs: what a slow connection fetches. Text answers (pages, CSS, JS, JSON,
// CSV) are gzipped when the client says Accept-Encoding: gzip, and only then; every such
// answer says Vary: Accept-Encoding. Pages link the static files by content-hashed names,
// served with a year's immutable caching; the plain names still answer, cached an hour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { if (srv) await srv.stop(); });

/* GET through node:http, which never decodes: { status, headers, body (raw bytes) }. */
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.base + path);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', agent: false, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end();
  });
}

test('pages, CSS, JS and JSON are gzipped for a client that takes gzip, and only then', async () => {
  for (const p of ['/public', '/login', '/static/app.css', '/static/app.js']) {
    const plain = await get(p);
    assert.equal(plain.status, 200, p);
    assert.equal(plain.headers['content-encoding'], undefined, `${p}: not compressed unasked`);
    assert.match(plain.headers.vary || '', /accept-encoding/i, `${p}: Vary`);
    const gz = await get(p, { 'Accept-Encoding': 'br, gzip;q=0.8, deflate' });
    assert.equal(gz.status, 200, p);
    assert.equal(gz.headers['content-encoding'], 'gzip', `${p}: gzipped`);
    assert.match(gz.headers.vary || '', /accept-encoding/i, `${p}: Vary`);
    const back = gunzipSync(gz.body);
    if (p.startsWith('/static/')) assert.ok(back.equals(plain.body), `${p}: the same bytes once unzipped`);
    else assert.ok(back.toString('utf8').startsWith('<!doctype html>'), `${p}: a page once unzipped`);
    // a 2 KB page with a random sign-in token compresses to about half, give or take a byte
    assert.ok(gz.body.length < plain.body.length * 0.6, `${p}: ${gz.body.length} bytes gzipped of ${plain.body.length}`);
    assert.equal(Number(gz.headers['content-length'] || gz.body.length), gz.body.length, `${p}: content-length`);
  }
  // refused (q=0), or another coding only: as it is
  for (const ae of ['gzip;q=0', 'br', 'identity', 'gzip;q=0.000, br']) {
    const r = await get('/public', { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${ae}`);
  }
  for (const ae of ['*', 'GZIP', 'deflate, gzip;q=0.5', 'x-gzip, gzip']) {
    const r = await get('/public', { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], 'gzip', `Accept-Encoding: ${ae}`);
  }
  // the JSON API too, when large enough to gain; a short answer is sent as it is
  const auth = { Authorization: `Bearer ${srv.adminToken}` };
  const plainJson = await get('/api/v1/units?hierarchy=2025&limit=100', auth);
  const units = await get('/api/v1/units?hierarchy=2025&limit=100', { ...auth, 'Accept-Encoding': 'gzip' });
  assert.equal(units.status, 200);
  assert.equal(units.headers['content-encoding'], 'gzip', 'a JSON list');
  assert.deepEqual(JSON.parse(gunzipSync(units.body)), JSON.parse(plainJson.body));
  const health = await get('/healthz', { 'Accept-Encoding': 'gzip' });
  assert.equal(health.status, 200);
  assert.equal(health.headers['content-encoding'], undefined, 'a body under 512 bytes is not compressed');
});

test('pages link the static files by content-hashed names, kept a year; the plain names still answer', async () => {
  const html = (await get('/public')).body.toString('utf8');
  const css = /<link rel="stylesheet" href="\/static\/(app\.[0-9a-f]{12}\.css)">/.exec(html);
  const js = /<script src="\/static\/(app\.[0-9a-f]{12}\.js)" defer>/.exec(html);
  assert.ok(css && js, 'hashed names in the page');
  for (const [name, plainName, type] of [[css[1], 'app.css', /^text\/css/], [js[1], 'app.js', /javascript/]]) {
    const h = await get(`/static/${name}`);
    assert.equal(h.status, 200, name);
    assert.match(h.headers['content-type'], type);
    assert.equal(h.headers['cache-control'], 'public, max-age=31536000, immutable', name);
    const p = await get(`/static/${plainName}`);
    assert.equal(p.status, 200);
    assert.equal(p.headers['cache-control'], 'public, max-age=3600', plainName);
    assert.ok(h.body.equals(p.body), `${name} is ${plainName}`);
  }
  // a name that is not the current hash is not found (never a stale file under a new name)
  assert.equal((await get('/static/app.000000000000.css')).status, 404);
  // the print layout of a report links the same files (it needs a session: checked for the redirect)
  const r = await get('/reports/summary?print=1');
  assert.equal(r.status, 303);
});

test('the stylesheet loads Be Vietnam Pro from dvk itself: Vietnamese and Latin subsets, without blocking text', async () => {
  const html = (await get('/public')).body.toString('utf8');
  const cssName = /href="\/static\/(app\.[0-9a-f]{12}\.css)"/.exec(html)[1];
  const css = (await get(`/static/${cssName}`)).body.toString('utf8');
  const faces = css.match(/@font-face\{[^}]*\}/g) || [];
  assert.equal(faces.length, 4, 'two subsets at two weights');
  for (const f of faces) {
    assert.match(f, /font-family:'Be Vietnam Pro'/);
    assert.match(f, /font-display:optional/, 'text shows at once in the system font, and does not move when the font comes');
    assert.match(f, /unicode-range:U\+/, 'only the files a page\'s text needs are fetched');
    const url = /url\(\/static\/(be-vietnam-pro-(vietnamese|latin)-[46]00-normal\.[0-9a-f]{12}\.woff2)\)/.exec(f);
    assert.ok(url, `a hashed woff2 of dvk's own: ${f}`);
    const font = await get(`/static/${url[1]}`, { 'Accept-Encoding': 'gzip' });
    assert.equal(font.status, 200, url[1]);
    assert.equal(font.headers['content-type'], 'font/woff2');
    assert.equal(font.headers['content-encoding'], undefined, 'woff2 is compressed already');
    assert.equal(font.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(font.body.subarray(0, 4).toString('latin1'), 'wOF2', 'a woff2 file');
  }
  assert.match(css, /html\{font-family:"Be Vietnam Pro",system-ui/);
  // the font's licence is served beside it (SIL OFL 1.1)
  const lic = await get('/static/be-vietnam-pro-OFL.txt');
  assert.equal(lic.status, 200);
  assert.match(lic.body.toString('utf8'), /SIL Open Font License/);
});
