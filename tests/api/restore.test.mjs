// restore.test.mjs: the restore drill of docs/operations.md ("Backups", PostgreSQL), as a
// test: pg_dump of a live database, pg_restore into a new one, a node on the copy answers
// as the original did, and goes on from where it was (new ids, the same sessions and
// tokens). Needs PostgreSQL (the api-pg run of tests/run.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startServer, serveOn } from '../lib/server.mjs';
import { api, createModel, validModel, token } from '../lib/http.mjs';
import { PG, psql, pgUrl } from '../lib/pg.mjs';

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 120000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${cmd} ${args.join(' ')}: ${err.message} ${stderr}`));
      resolve(stdout);
    });
  });
}

test('a pg_dump of a live database restores into a database that a node serves as before', { skip: PG ? false : 'needs PostgreSQL (tests/run.sh, api-pg)' }, async () => {
  const srv = await startServer();
  const name = `t_restore_${process.pid}`;
  const copy = pgUrl(name);
  let node;
  try {
    const headers = { Authorization: `Bearer ${srv.adminToken}` };
    for (let i = 0; i < 3; i++) await createModel(srv.base, { title: `${token('bk')} sao lưu ${i}` });
    const dump = path.join(srv.dir, 'dvk.dump');
    // the backup, while the node runs (one consistent snapshot)
    await run('pg_dump', ['-Fc', '-f', dump, '-d', srv.dbPath]);
    // the drill: a new database in C collation, the dump restored into it
    const c = await psql(PG, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    assert.equal(c.code, 0, c.stderr);
    await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', copy, dump]);
    node = await serveOn(srv.dir, copy, ['--data', path.join(srv.dir, 'files')]);
    for (const q of ['/api/v1/models?limit=100', '/api/v1/reports/summary?lang=en', '/api/v1/audit?limit=200', '/api/v1/me']) {
      const [a, b] = await Promise.all([srv, node].map((n) => api(n.base, 'GET', q, { headers })));
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(b.json, a.json, q);
    }
    // the copy goes on: a new model gets the next id and code on it
    const last = (await api(node.base, 'GET', '/api/v1/models?limit=1', { headers })).json.items[0];
    const m = await api(node.base, 'POST', '/api/v1/models', { headers, body: validModel({ title: `${token('bk')} sau khi khôi phục` }) });
    assert.equal(m.status, 201, m.text);
    assert.ok(m.json.id > last.id, `id ${m.json.id} after ${last.id}`);
  } finally {
    if (node) await node.stop();
    await srv.stop();
    await psql(PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
