// pg.mjs: the PostgreSQL side of the tests (issue 7). When DVK_TEST_PG holds the URL of a
// throwaway cluster's superuser (tools/pg-cluster.sh start prints it; tests/run.sh sets it
// for the second run of the API suites), every test's dvk gets a database of its own in
// that cluster instead of a SQLite file, and the SQL helpers (sqlite.mjs) speak to it
// through psql.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const PG = process.env.DVK_TEST_PG || '';

/* True when dbPath names a PostgreSQL database. */
export function isPg(dbPath) {
  return /^postgres(?:ql)?:\/\//.test(String(dbPath));
}

/* The URL of database name in the cluster of base. */
export function pgUrl(name, base = PG) {
  return base.replace(/^(postgres(?:ql)?:\/\/[^/]*)\/[^?]*/, `$1/${name}`);
}

/* Runs SQL through psql on url: resolves to { code, stdout, stderr }, rows as a|b|c lines
 * as the sqlite3 shell prints them. Stops at the first error (exit 3). */
export function psql(url, statements) {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      // sqlite3 prints nothing for a statement without rows; psql neither with -t, but keep
      // its notices out of stderr (they are not errors)
      stderr = stderr.split('\n').filter((l) => l && !/^(NOTICE|WARNING):/.test(l)).join('\n');
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(`SET client_min_messages = warning;\n${statements}${/;\s*$/.test(statements) ? '' : ';'}\n`);
  });
}

/* A fresh, empty database in the cluster (C collation, as dvk asks); resolves to its URL. */
export async function createDatabase() {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const r = await psql(PG, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  if (r.code !== 0) throw new Error(`psql: CREATE DATABASE ${name}: ${r.stderr}`);
  return pgUrl(name);
}

/* Drops the database at url (its connections are ended first). */
export async function dropDatabase(url) {
  const name = /^postgres(?:ql)?:\/\/[^/]*\/([^?]*)/.exec(url)?.[1];
  if (!name || !/^t_[0-9a-f]+$/.test(name)) return;
  await psql(PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export { execFile };
