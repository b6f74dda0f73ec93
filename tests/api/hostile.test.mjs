// hostile.test.mjs: a database that cannot be written (issue 8, "hostile conditions").
// A read-only node (dvk serve --read-only) and a node with a size cap (--max-db-mb)
// run beside a normal one on the same database: their writes get a clear 503 / 507,
// nothing already accepted is lost, reads keep working, and the normal node (the
// same database once space is freed or maintenance ends) writes again.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, startNode, runDvk, runDvkStatus, createToken } from '../lib/server.mjs';
import { api, createModel, validModel } from '../lib/http.mjs';
import { signIn, signInOk, page, errorText } from '../lib/session.mjs';
import { sqlJson } from '../lib/sqlite.mjs';
import { PG } from '../lib/pg.mjs';

let srv;
const accepted = []; // every model a node answered 201 for
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

async function readBackAll(base) {
  for (const m of accepted) {
    const g = await api(base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.status, 200, `model ${m.id} lost: ${g.text}`);
    assert.equal(g.json.title, m.title);
    assert.equal(g.json.version, m.version);
  }
}

describe('a read-only database', () => {
  let ro;
  before(async () => {
    for (let i = 0; i < 5; i++) accepted.push(await createModel(srv.base, { title: `Trước khi chỉ đọc ${i}` }));
    ro = await startNode(srv, ['--read-only']);
  });
  after(async () => { if (ro) await ro.stop(); });

  test('an API write gets 503 read_only with Retry-After, in the asked language', async () => {
    const r = await api(ro.base, 'POST', '/api/v1/models', {
      body: validModel({ title: 'Không được lưu' }), headers: { 'Accept-Language': 'en' },
    });
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.error.code, 'read_only');
    assert.equal(r.headers.get('retry-after'), '60');
    assert.match(r.json.error.message, /read-only/);
    const vi = await api(ro.base, 'PATCH', `/api/v1/models/${accepted[0].id}`, {
      body: { title: 'Sửa không được' }, headers: { 'If-Match': '"1"', 'Accept-Language': 'vi' },
    });
    assert.equal(vi.status, 503, vi.text);
    assert.equal(vi.json.error.code, 'read_only');
    assert.match(vi.json.error.message, /chỉ đọc/);
  });

  test('a page write gets an HTML 503 in Vietnamese', async () => {
    const r = await signIn(ro.base, 'admin', srv.adminPassword);
    assert.equal(r.status, 503, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(errorText(r.text) || r.text, /chỉ đọc/);
    assert.equal(r.session, undefined, 'no session cookie for a session that was not stored');
  });

  test('reads keep working, with a session made elsewhere too', async () => {
    const s = await signInOk(srv.base, 'admin', srv.adminPassword);
    const list = await api(ro.base, 'GET', '/api/v1/models?limit=50');
    assert.equal(list.status, 200, list.text);
    const p = await page(ro.base, 'GET', '/models', { session: s });
    assert.equal(p.status, 200);
    const rep = await api(ro.base, 'GET', '/api/v1/reports/summary');
    assert.equal(rep.status, 200, rep.text);
    await readBackAll(ro.base);
  });

  test('nothing was written, and the normal node writes', async () => {
    const n = await sqlJson(srv.dbPath, "SELECT count(*) AS n FROM models WHERE title IN ('Không được lưu', 'Sửa không được')");
    assert.equal(n[0].n, 0);
    accepted.push(await createModel(srv.base, { title: 'Sau khi hết bảo trì' }));
    await readBackAll(srv.base);
  });
});

// SQLite's own: a cap in pages (PostgreSQL's quota is the server's: a tablespace on its own volume)
describe('a database at its size cap (full)', { skip: PG ? 'SQLite only: --max-db-mb' : false }, () => {
  let capped;
  before(async () => {
    // the cap: about 1 MB above what the database holds now
    const [{ bytes }] = await sqlJson(srv.dbPath, 'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()');
    capped = await startNode(srv, ['--max-db-mb', String(Math.ceil(bytes / 1048576) + 1)]);
  });
  after(async () => { if (capped) await capped.stop(); });

  test('writes are accepted until the cap, then get 507 storage_full; nothing half-written', async () => {
    const big = 'Nội dung dài để làm đầy cơ sở dữ liệu. '.repeat(400); // ~16 KB a model
    let full = null;
    for (let i = 0; i < 400 && !full; i++) {
      const title = `Đầy dần ${i}`;
      const r = await api(capped.base, 'POST', '/api/v1/models', {
        body: validModel({ title, description: big, content: big }), headers: { 'Accept-Language': 'en' },
      });
      if (r.status === 201) accepted.push(r.json);
      else full = r;
    }
    assert.ok(full, 'the cap was never reached');
    assert.ok(accepted.length > 20, `only ${accepted.length} models before the cap`);
    assert.equal(full.status, 507, full.text);
    assert.equal(full.json.error.code, 'storage_full');
    assert.match(full.json.error.message, /full/);
    // once full, it stays full: a second write gets the same answer, in Swedish when asked
    const again = await api(capped.base, 'POST', '/api/v1/models', {
      body: validModel({ title: 'Không vừa', description: big, content: big }), headers: { 'Accept-Language': 'sv' },
    });
    assert.equal(again.status, 507, again.text);
    assert.equal(again.json.error.code, 'storage_full');
    assert.doesNotMatch(again.json.error.message, /The database/);
    const half = await sqlJson(srv.dbPath, "SELECT count(*) AS n FROM models WHERE title = 'Không vừa'");
    assert.equal(half[0].n, 0);
  });

  test('reads keep working on the full node, and every accepted write is there', async () => {
    const list = await api(capped.base, 'GET', '/api/v1/models?limit=10');
    assert.equal(list.status, 200, list.text);
    await readBackAll(capped.base);
  });

  test('after space is freed (no cap), writes work again', async () => {
    accepted.push(await createModel(srv.base, { title: 'Sau khi giải phóng chỗ' }));
    await readBackAll(srv.base);
  });
});

describe('the command line on a read-only database file', { skip: PG ? 'SQLite only: a database file' : false }, () => {
  test('a write says why, in the chosen language, and exits non-zero', async () => {
    // As root, permissions are not enforced: SQLite's immutable URI makes the file read-only for this run.
    const r = await runDvkStatus(['user', 'add', '--db', `file:${srv.dbPath}?mode=ro`, '--login', 'khong.luu',
      '--role', 'admin', '--password-file', `${srv.dir}/admin.pw`], { env: { LANG: 'vi_VN.UTF-8', LC_ALL: '' } });
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /chỉ đọc|read-only/, r.stderr);
  });
});

// A genuine full disk: the database on a small tmpfs, nearly filled by a ballast file.
// Mounting needs root with CAP_SYS_ADMIN; where that is refused the test is skipped.
describe('a genuinely full disk (tmpfs)', () => {
  let dir, mnt, node, tok, mounted = false;
  const models = [];
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dvk-full-'));
    mnt = path.join(dir, 'disk');
    execFileSync('mkdir', ['-p', mnt]);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { stdio: 'ignore' });
      mounted = true;
    } catch { return; }
    const dbPath = path.join(mnt, 't.db');
    await writeFile(path.join(dir, 'admin.pw'), 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    await runDvk(['init', '--db', dbPath, '--admin-password-file', path.join(dir, 'admin.pw'), '--demo']);
    tok = await createToken(dbPath, 'admin');
    node = await startNode({ dir, dbPath });
    // leave about 1.5 MB free
    const df = execFileSync('df', ['-B1', '--output=avail', mnt], { encoding: 'utf8' }).trim().split('\n')[1];
    await writeFile(path.join(mnt, 'ballast'), Buffer.alloc(Math.max(0, Number(df) - 1536 * 1024)));
  });
  after(async () => {
    if (node) await node.stop();
    if (mounted) execFileSync('umount', [mnt]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('writes get 507 when the disk fills, nothing accepted is lost, and they work again once space is freed', async (t) => {
    if (!mounted) return t.skip('cannot mount a tmpfs here (not root with CAP_SYS_ADMIN)');
    const auth = { Authorization: `Bearer ${tok}`, 'Accept-Language': 'en' };
    const big = 'Ổ đĩa đầy dần theo từng mô hình được đăng ký. '.repeat(300);
    let full = null;
    for (let i = 0; i < 300 && !full; i++) {
      const r = await api(node.base, 'POST', '/api/v1/models', { body: validModel({ title: `Đĩa ${i}`, description: big }), headers: auth });
      if (r.status === 201) models.push(r.json);
      else full = r;
    }
    assert.ok(full, 'the disk never filled');
    assert.ok(models.length > 3, `only ${models.length} models before the disk filled`);
    assert.equal(full.status, 507, full.text);
    assert.equal(full.json.error.code, 'storage_full');
    const list = await api(node.base, 'GET', '/api/v1/models?limit=10', { headers: auth });
    assert.equal(list.status, 200, list.text);
    for (const m of models) {
      const g = await api(node.base, 'GET', `/api/v1/models/${m.id}`, { headers: auth });
      assert.equal(g.status, 200, `model ${m.id} lost: ${g.text}`);
      assert.equal(g.json.title, m.title);
    }
    await unlink(path.join(mnt, 'ballast'));
    const again = await api(node.base, 'POST', '/api/v1/models', { body: validModel({ title: 'Sau khi dọn đĩa' }), headers: auth });
    assert.equal(again.status, 201, again.text);
  });
});
