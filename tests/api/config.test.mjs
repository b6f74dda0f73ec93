// config.test.mjs: dvk serve --config FILE (issue 7: the database "also from a config file
// and the DVK_DB environment variable"). A file of `key = value` lines gives any option of
// dvk serve; the command line wins over the environment, which wins over the file. A bad
// line is named by FILE:LINE and nothing is started; a file that holds a database password
// and that every user may read is refused. Messages follow the locale (LANG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { startServer, serveBare, freePort, runDvkStatus } from '../lib/server.mjs';
import { api, createModel, assertError, validModel } from '../lib/http.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const EN = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
// a database that cannot be opened: a dvk started on it stops at once
const NOWHERE = 'sqlite:/nonexistent-dvk-folder/t.db';
let n = 0;
function conf(lines, mode = 0o600) {
  const f = path.join(srv.dir, `dvk-${++n}.conf`);
  writeFileSync(f, lines.join('\n') + '\n');
  chmodSync(f, mode);
  return f;
}
const files = () => path.join(srv.dir, 'files');

/* Serves with args and env; checks that it answers with srv's data (a model made on srv). */
async function servesSrv(port, args, env, check) {
  const node = await serveBare(srv.dir, port, args, env);
  try {
    const m = await createModel(srv.base, { title: `Cấu hình ${n}` });
    const r = await api(node.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.title, m.title);
    if (check) await check(node);
  } finally {
    await node.stop();
  }
}

test('every option from the file: database, address, port, folder, read-only, cache', async () => {
  const port = await freePort();
  const f = conf(['# dvk serve', `db = ${srv.dbPath}`, '', 'listen = 127.0.0.1', `port = ${port}`,
    `data = ${files()}`, 'read-only = yes', '; no answers kept', 'cache-mb = 0', 'threads = 2', 'timeout = 20']);
  await servesSrv(port, ['--config', f], EN, async (node) => {
    const w = await api(node.base, 'POST', '/api/v1/models', { body: validModel({ title: 'không được ghi' }) });
    assertError(w, 503, 'read_only');
    const g = await api(node.base, 'GET', '/api/v1/models?limit=1');
    assert.equal(g.headers.get('x-dvk-cache'), null, 'cache-mb = 0 keeps nothing');
  });
});

test('DVK_DB wins over the file, and --db over DVK_DB', async () => {
  let port = await freePort();
  const f = conf([`db = ${NOWHERE}`, `port = ${port}`, 'listen = 127.0.0.1', `data = ${files()}`]);
  await servesSrv(port, ['--config', f], { ...EN, DVK_DB: srv.dbPath });
  // the file alone names the database that cannot be opened: proof the file was read
  const r = await runDvkStatus(['serve', '--config', f], { env: { ...EN, DVK_DB: '' } });
  assert.equal(r.code, 1, r.stderr);
  await servesSrv(port, ['--config', f, '--db', srv.dbPath], { ...EN, DVK_DB: NOWHERE });
  // and a flag wins over the file for the other options too
  port = await freePort();
  await servesSrv(port, ['--config', f, '--db', srv.dbPath, '--port', String(port)], EN);
});

test('a bad line is named by file and line, exit 2, nothing started', async () => {
  const port = await freePort();
  const cases = [
    [[`db = ${srv.dbPath}`, `port = ${port}`, 'colour = blue'], /:3: unknown setting "colour"/],
    [[`db = ${srv.dbPath}`, `port = ${port}`, 'threads = lots'], /:3: threads must be 1 to 64/],
    [[`db = ${srv.dbPath}`, 'port = 70000'], /:2: port must be 1 to 65535/],
    [[`port = ${port}`, `db = ${srv.dbPath}`, 'read-only = maybe'], /:3: read-only takes yes or no/],
    [[`db = ${srv.dbPath}`, `port = ${port}`, `port = ${port}`], /:3: port is given twice/],
    [[`db = ${srv.dbPath}`, '[serve]', `port = ${port}`], /:3: sections such as \[serve\] are not used/],
    [[`db = ${srv.dbPath}`, `port = ${port}`, 'just words'], /:3: expected key = value/],
    [[`db = ${srv.dbPath}`, `port = ${port}`, 'data ='], /:3: data has no value/],
    [[`port = ${port}`, `data = /${'d'.repeat(300)}`, `db = ${srv.dbPath}`], /:2: the line is longer than 199 bytes/],
  ];
  for (const [lines, msg] of cases) {
    const f = conf(lines);
    const r = await runDvkStatus(['serve', '--config', f], { env: EN });
    assert.equal(r.code, 2, `${lines.join(' | ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${f.replace(/[.]/g, '\\.')}${msg.source}`), lines.join(' | '));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'nothing listens');
  }
  const r = await runDvkStatus(['serve', '--config', path.join(srv.dir, 'none.conf')], { env: EN });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /none\.conf: cannot read the settings file/);
});

test('a database password in a file every user may read is refused', async () => {
  const url = 'postgresql://dvk:mat-khau@/dvk?host=/nonexistent-dvk-socket';
  const open = conf([`db = ${url}`, 'port = 1'], 0o644);
  let r = await runDvkStatus(['serve', '--config', open], { env: EN });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /:1: this file holds a database password and every user may read it/);
  // even when the command line names another database: the file itself is the leak
  r = await runDvkStatus(['serve', '--config', open, '--db', NOWHERE], { env: EN });
  assert.equal(r.code, 2, r.stderr);
  const q = conf([`db-read = postgresql:///dvk?password=mat-khau&host=/nonexistent-dvk-socket`], 0o604);
  r = await runDvkStatus(['serve', '--config', q, '--db', NOWHERE], { env: EN });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /every user may read it/);
  // readable by its owner (and group) only: the file is taken, the database is then tried
  const closed = conf([`db = ${url}`, 'port = 1'], 0o640);
  r = await runDvkStatus(['serve', '--config', closed], { env: EN });
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /every user may read/);
  // a URL without a password may be in a file anyone reads
  const plain = conf(['db = postgresql://dvk@/dvk?host=/nonexistent-dvk-socket', 'port = 1'], 0o644);
  r = await runDvkStatus(['serve', '--config', plain], { env: EN });
  assert.equal(r.code, 1, r.stderr);
});

test('the messages of dvk serve are in the locale\'s language', async () => {
  const f = conf([`db = ${srv.dbPath}`, 'colour = blue']);
  const vi = await runDvkStatus(['serve', '--config', f], { env: { LANG: 'vi_VN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
  assert.equal(vi.code, 2);
  assert.match(vi.stderr, /:2: không có thiết lập "colour"/);
  const sv = await runDvkStatus(['serve', '--db', srv.dbPath, '--port', '0'], { env: { LANG: 'sv_SE.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
  assert.equal(sv.code, 2);
  assert.match(sv.stderr, /--port måste vara 1 till 65535/);
  const none = await runDvkStatus(['serve'], { env: { LANG: 'vi_VN.UTF-8', LC_ALL: '', LC_MESSAGES: '', DVK_DB: '' } });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /cơ sở dữ liệu/);
  const help = await runDvkStatus(['serve', '--help'], { env: EN });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--config FILE/);
});
