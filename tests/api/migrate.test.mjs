// migrate.test.mjs: dvk migrate-db moves a province's SQLite database into PostgreSQL
// (issue 7): every row, verified by counts and checksums; a second run changes nothing;
// the same answers from a node on either database; new rows get new ids. Needs the
// cluster of DVK_TEST_PG (the api-pg run of tests/run.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvk, runDvkStatus, serveOn, createToken } from '../lib/server.mjs';
import { api, validModel } from '../lib/http.mjs';
import { PG, createDatabase, dropDatabase } from '../lib/pg.mjs';
import { sqlOk } from '../lib/sqlite.mjs';

test('dvk migrate-db copies a SQLite database into PostgreSQL, checks it, and changes nothing the second time', { skip: PG ? false : 'needs DVK_TEST_PG (tests/run.sh, api-pg)' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-migrate-'));
  const url = await createDatabase();
  const nodes = [];
  try {
    const pw = path.join(dir, 'admin.pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    const file = path.join(dir, 'p.db');
    await runDvk(['init', '--db', file, '--admin-password-file', pw, '--demo']);
    const tok = await createToken(file, 'admin'); // a token row, usable on both sides afterwards

    const first = await runDvkStatus(['migrate-db', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /^models +22 rows +22 copied +([0-9a-f]{16}) \1 +same$/m);
    assert.match(first.stdout, /^api_tokens +1 rows +1 copied/m);
    assert.doesNotMatch(first.stdout, /DIFFERENT/);
    const second = await runDvkStatus(['migrate-db', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.match(second.stdout, / 0 copied now; both sides hold the same rows$/m);
    assert.equal(second.stdout.replace(/ +\d+ copied/g, ''), first.stdout.replace(/ +\d+ copied/g, '').replace(/\d+ copied now/, '0 copied now'),
      'the same counts and checksums');

    // a node on each database answers alike, with the token made before the move
    const a = await serveOn(dir, file);
    nodes.push(a);
    const b = await serveOn(dir, url, ['--data', path.join(dir, 'files')]);
    nodes.push(b);
    const headers = { Authorization: `Bearer ${tok}` };
    for (const q of ['/api/v1/models?limit=100', '/api/v1/reports/summary?lang=en', '/api/v1/reports/replication?lang=en']) {
      const [ra, rb] = await Promise.all([a, b].map((n) => api(n.base, 'GET', q, { headers })));
      assert.equal(ra.status, 200, ra.text);
      assert.deepEqual(rb.json, ra.json, q);
    }
    // PostgreSQL hands out ids after the copied ones
    const before = Number((await sqlOk(url, 'SELECT max(id) FROM models;')).trim());
    const some = (await api(b.base, 'GET', '/api/v1/models?limit=1', { headers })).json.items[0];
    const m = await api(b.base, 'POST', '/api/v1/models', { headers,
      body: validModel({ title: 'Mô hình sau khi chuyển', unit_code: some.unit_code, hierarchy: some.hierarchy, registered_on: '2025-08-01' }) });
    assert.equal(m.status, 201, m.text);
    assert.ok(m.json.id > before, `new id ${m.json.id} after ${before}`);

    // the target now holds a row the source lacks: the check says so
    const third = await runDvkStatus(['migrate-db', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(third.code, 1, third.stdout);
    assert.match(third.stdout, /^models +22 rows .* DIFFERENT$/m);
  } finally {
    for (const n of nodes) await n.stop();
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(url);
  }
});

test('dvk migrate-db: missing or wrong arguments are refused', async () => {
  for (const args of [[], ['--from', 'sqlite:x.db'], ['--from', 'sqlite:x.db', '--to', 'x.db']]) {
    const r = await runDvkStatus(['migrate-db', ...args]);
    assert.equal(r.code, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, /^dvk migrate-db: /);
  }
});
