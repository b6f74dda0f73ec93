// generation.test.mjs: on PostgreSQL, data_generation (the answer cache's "something was
// committed" number, migrations/pg/018 and 023) moves once per writing transaction however
// many statements it runs, once per statement outside one, and not for a rollback or a
// rolled-back savepoint. Needs the cluster of DVK_TEST_PG (the api-pg run of tests/run.sh);
// on SQLite the number is the engine's own (PRAGMA data_version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvk } from '../lib/server.mjs';
import { PG, createDatabase, dropDatabase, psql } from '../lib/pg.mjs';

test('data_generation moves once per writing transaction', { skip: PG ? false : 'needs DVK_TEST_PG (tests/run.sh, api-pg)' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-gen-'));
  const url = await createDatabase();
  try {
    const pw = path.join(dir, 'pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    await runDvk(['init', '--db', url, '--admin-password-file', pw]);
    const run = async (sql) => {
      const r = await psql(url, sql);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    };
    const gen = async () => Number(await run('SELECT n FROM data_generation'));
    const ind = (i) => `INSERT INTO indicators (code, name, unit, sort) VALUES ('g${i}', 'Chỉ số ${i}', 'hộ', ${100 + i})`;
    const g0 = await gen();
    // 202 statements (inserts, an update, a delete) in one transaction: one step
    const many = Array.from({ length: 200 }, (_, i) => ind(i)).join(';\n');
    await run(`BEGIN;\n${many};\nUPDATE indicators SET name = name || '.' WHERE code LIKE 'g%';\nDELETE FROM indicators WHERE code = 'g0';\nCOMMIT`);
    assert.equal(await gen(), g0 + 1, 'a transaction of 202 statements');
    // each statement on its own is its own transaction
    await run(`${ind(500)};\n${ind(501)}`);
    assert.equal(await gen(), g0 + 3, 'two statements without a transaction');
    // a rollback leaves it
    await run(`BEGIN;\n${ind(600)};\nROLLBACK`);
    assert.equal(await gen(), g0 + 3, 'a rolled-back transaction');
    // a bump undone with its savepoint is made again by the next change of the transaction
    await run(`BEGIN;\nSAVEPOINT a;\n${ind(700)};\nROLLBACK TO SAVEPOINT a;\n${ind(701)};\nCOMMIT`);
    assert.equal(await gen(), g0 + 4, 'a transaction whose first change was rolled back to a savepoint');
    assert.equal(await run("SELECT count(*) FROM indicators WHERE code IN ('g700', 'g701')"), '1');
  } finally {
    await dropDatabase(url);
    await rm(dir, { recursive: true, force: true });
  }
});
