// backup.test.mjs: dvk backup, the restore drill of docs/operations.md for SQLite (issue 7).
// The copy is taken while a client keeps creating models through the server; then a node
// serves the copy: every model acknowledged before the backup started is there, the copy
// passes integrity_check, and new models continue its codes. Bad arguments change nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, serveOn, runDvk, runDvkStatus } from '../lib/server.mjs';
import { api, createModel } from '../lib/http.mjs';
import { sqlOk } from '../lib/sqlite.mjs';
import { PG } from '../lib/pg.mjs';

describe('dvk backup', { skip: PG ? 'SQLite only: on PostgreSQL the drill is pg_dump (restore.test.mjs)' : false }, () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.stop(); });

  test('a copy taken during writes holds every acknowledged model and serves them', async () => {
    const before = [];
    for (let i = 0; i < 20; i++) before.push(await createModel(srv.base, { title: `Trước sao lưu ${i}` }));
    // a writer that goes on during the backup
    let writing = true;
    const during = [];
    const writer = (async () => {
      for (let i = 0; writing; i++) during.push(await createModel(srv.base, { title: `Trong khi sao lưu ${i}` }));
    })();
    const out = path.join(srv.dir, 'copy.db');
    const { stderr } = await runDvk(['backup', '--db', srv.dbPath, '--out', out, '--lang', 'vi']);
    writing = false;
    await writer;
    assert.match(stderr, /Đã sao chép và kiểm tra/);
    assert.ok(!existsSync(`${out}.partial`), 'no partial file left');
    assert.equal((await sqlOk(out, 'PRAGMA integrity_check;')).trim(), 'ok');

    const node = await serveOn(srv.dir, out, ['--data', path.join(srv.dir, 'files')]);
    try {
      for (const m of before) {
        const r = await api(node.base, 'GET', `/api/v1/models/${m.id}`);
        assert.equal(r.status, 200, `model ${m.id} missing from the copy`);
        assert.equal(r.json.title, m.title);
        assert.equal(r.json.code, m.code);
      }
      // the copy is a moment of the database: the models of that moment, no half of one
      const ids = (await sqlOk(out, 'SELECT id FROM models ORDER BY id;')).trim().split('\n').map(Number);
      assert.ok(ids.length >= before.length, `${ids.length} models in the copy`);
      const tags = Number((await sqlOk(out, 'SELECT count(DISTINCT model_id) FROM model_tags;')).trim());
      assert.equal(tags, ids.length, 'every model in the copy has its tags');
      // new models continue the copy's codes, not the original's
      const fresh = await createModel(node.base, { title: 'Sau khi khôi phục' });
      assert.ok(fresh.id > Math.max(...ids), `${fresh.id} after ${Math.max(...ids)}`);
    } finally {
      await node.stop();
    }
    assert.ok(during.length > 0, 'the writer wrote during the backup');
  });

  test('an existing file is never overwritten; a wrong database writes nothing', async () => {
    const out = path.join(srv.dir, 'exists.db');
    writeFileSync(out, 'giữ nguyên');
    let r = await runDvkStatus(['backup', '--db', srv.dbPath, '--out', out, '--lang', 'en']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /exists already/);
    assert.equal(statSync(out).size, Buffer.byteLength('giữ nguyên'));

    const missing = path.join(srv.dir, 'khong-co.db');
    const out2 = path.join(srv.dir, 'never.db');
    r = await runDvkStatus(['backup', '--db', missing, '--out', out2, '--lang', 'en']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No dvk database here/);
    assert.ok(!existsSync(missing), 'no database created at a mistyped path');
    assert.ok(!existsSync(out2));

    r = await runDvkStatus(['backup', '--db', out, '--out', out2, '--lang', 'vi']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Không có cơ sở dữ liệu dvk/);
    assert.ok(!existsSync(out2));

    r = await runDvkStatus(['backup', '--db', 'postgresql://dvk@/dvk', '--out', out2, '--lang', 'en']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pg_dump/);
    r = await runDvkStatus(['backup', '--db', srv.dbPath, '--lang', 'en']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: dvk backup/);
    // the usage in the user's language: --lang, else the locale's
    r = await runDvkStatus(['backup', '--db', srv.dbPath, '--lang', 'vi']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cách dùng: dvk backup .*\nSao chép cơ sở dữ liệu SQLite/);
    r = await runDvkStatus(['backup', '--db', srv.dbPath], { env: { LANG: 'sv_SE.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /användning: dvk backup .*\nKopierar SQLite-databasen/);
    r = await runDvkStatus(['backup', '--db', srv.dbPath, '--out', out2, '--lang', 'fr'],
      { env: { LANG: 'sv_SE.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--lang tar vi, en eller sv/);
    assert.ok(!existsSync(out2));
  });
});
