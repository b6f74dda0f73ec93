// replica.test.mjs: dvk serve --db-read (issue 7): lists and reports come from a streaming
// replica, everything else from the primary. A primary and its real replica (hot standby)
// are made for this test with tools/pg-cluster.sh. Needs PostgreSQL (the api-pg run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runDvk, serveOn, createToken } from '../lib/server.mjs';
import { api, validModel } from '../lib/http.mjs';
import { PG, psql, pgUrl } from '../lib/pg.mjs';

function cluster(...args) {
  return new Promise((resolve, reject) => {
    execFile('sh', ['tools/pg-cluster.sh', ...args], { cwd: ROOT, timeout: 120000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`pg-cluster.sh ${args.join(' ')}: ${err.message} ${stderr}`));
      resolve(stdout.trim());
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('dvk serve --db-read: lists and reports from a streaming replica, writes and the rest from the primary', { skip: PG ? false : 'needs PostgreSQL (tests/run.sh, api-pg)' }, async () => {
  // short folders: a socket's path holds at most 107 bytes
  const dir = await mkdtemp('/tmp/dvkr-');
  await chmod(dir, 0o755); // as root the clusters run as postgres, who must reach their folders
  const pdir = path.join(dir, 'p');
  const rdir = path.join(dir, 'r');
  const nodes = [];
  try {
    const primary = pgUrl('dvk', await cluster('start', pdir));
    const created = await psql(pgUrl('postgres', primary), "CREATE DATABASE dvk TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    assert.equal(created.code, 0, created.stderr);
    const pw = path.join(dir, 'admin.pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    await runDvk(['init', '--db', primary, '--admin-password-file', pw, '--demo']);
    const replica = pgUrl('dvk', await cluster('replica', rdir, pdir));
    const headers = { Authorization: `Bearer ${await createToken(primary, 'admin')}` };

    const node = await serveOn(dir, primary, ['--db-read', replica, '--data', path.join(dir, 'files')]);
    nodes.push(node);
    const plain = await serveOn(dir, primary, ['--data', path.join(dir, 'files')]);
    nodes.push(plain);
    // the node keeps connections to the replica
    const conns = await psql(replica, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'dvk' AND backend_type = 'client backend' AND pid <> pg_backend_pid()");
    assert.ok(Number(conns.stdout.trim()) >= 1, `connections on the replica: ${conns.stdout}`);

    // a write goes to the primary (the replica refuses writes) and reaches the lists once streamed
    const before = (await api(node.base, 'GET', '/api/v1/models', { headers })).json.total;
    const some = (await api(node.base, 'GET', '/api/v1/models?limit=1', { headers })).json.items[0];
    const m = await api(node.base, 'POST', '/api/v1/models', { headers,
      body: validModel({ title: 'Mô hình qua bản sao', unit_code: some.unit_code, hierarchy: some.hierarchy }) });
    assert.equal(m.status, 201, m.text);
    let total = before;
    for (let i = 0; i < 100 && total === before; i++) {
      await sleep(100);
      total = (await api(node.base, 'GET', '/api/v1/models', { headers })).json.total;
    }
    assert.equal(total, before + 1, 'the list shows the new model once the replica has it');
    // the reports from the replica equal the primary's
    for (const name of ['summary', 'by_unit', 'replication']) {
      const [a, b] = await Promise.all([node, plain].map((n) => api(n.base, 'GET', `/api/v1/reports/${name}?lang=en`, { headers })));
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(a.json, b.json, name);
    }

    // without the replica, lists fail and the rest goes on: the lists were read there
    await cluster('stop', rdir);
    const list = await api(node.base, 'GET', '/api/v1/models', { headers });
    assert.ok(list.status >= 500, `list without the replica: ${list.status}`);
    const one = await api(node.base, 'GET', `/api/v1/models/${m.json.id}`, { headers });
    assert.equal(one.status, 200, one.text);
  } finally {
    for (const n of nodes) await n.stop().catch(() => {});
    await cluster('stop', rdir).catch(() => {});
    await cluster('stop', pdir).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});
