// schema.test.mjs: the two engines' migrations cannot drift (issue 7). After every migration,
// a SQLite database and a PostgreSQL one hold the same tables with the same columns, apart
// from SQLite's full-text index (FTS5's tables: PostgreSQL searches the folded texts
// themselves, migrations/pg/011_search.sql). The build checks that each numbered migration
// has its twin (tools/migrations-check.sh); this checks what they make. Needs the cluster of
// DVK_TEST_PG (the api-pg run of tests/run.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvk } from '../lib/server.mjs';
import { PG, createDatabase, dropDatabase } from '../lib/pg.mjs';
import { sqlJson } from '../lib/sqlite.mjs';

// SQLite only: the FTS5 index and its shadow tables, and the words it expands prefixes from
const SQLITE_ONLY = /^(model_fts(_.*)?|search_words)$/;

const columns = (rows) => rows.map((r) => `${r.t}.${r.c}`).sort();

test('both engines hold the same tables and columns after their migrations', { skip: PG ? false : 'needs DVK_TEST_PG (tests/run.sh, api-pg)' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-schema-'));
  const url = await createDatabase();
  try {
    const pw = path.join(dir, 'admin.pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    const file = path.join(dir, 's.db');
    await runDvk(['init', '--db', file, '--admin-password-file', pw]);
    await runDvk(['init', '--db', url, '--admin-password-file', pw]);
    const lite = (await sqlJson(file, `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)).filter((r) => !SQLITE_ONLY.test(r.t));
    const pg = await sqlJson(url, `SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`);
    assert.ok(lite.length > 100, `SQLite's columns: ${lite.length}`);
    assert.deepEqual(columns(pg), columns(lite));
    const versions = async (db) => (await sqlJson(db, 'SELECT version, name FROM schema_migrations ORDER BY version'))
      .map((r) => `${r.version} ${r.name}`);
    assert.deepEqual(await versions(url), await versions(file), 'the same migrations, by number and name');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(url);
  }
});
