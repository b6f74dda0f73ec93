// sqlite.mjs: the sqlite3 shell (psql for a PostgreSQL test database: pg.mjs) on a test database, for what no route may do
// (ageing a session or a token, changing a status that only later work sets,
// proving that triggers refuse changes to the audit trail).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { isPg, psql } from './pg.mjs';

/* Runs one or more SQL statements; resolves to { code, stdout, stderr } (never rejects on an SQL error). */
export function sql(dbPath, statements) {
  if (isPg(dbPath)) return psql(dbPath, statements);
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-bail', '-cmd', '.timeout 10000', dbPath, statements], { timeout: 30000, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? err.code : 0, stdout, stderr });
      });
  });
}

/* Runs SQL that must succeed; resolves to its stdout (rows as a|b|c lines). */
export async function sqlOk(dbPath, statements) {
  const r = await sql(dbPath, statements);
  if (r.code !== 0 || r.stderr.trim()) throw new Error(`sqlite3 ${statements}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/* SHA-256 hex of s: the sessions table keys rows by the digest of the cookie value. */
export function sha256hex(s) {
  return createHash('sha256').update(s).digest('hex');
}

/* A string as an SQL literal. */
export function q(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

export const now = () => Math.floor(Date.now() / 1000);

/* Rows of one query as objects (sqlite3 -json); resolves to [] when there are none. */
export function sqlJson(dbPath, statement) {
  if (isPg(dbPath)) {
    return psql(dbPath, `SELECT coalesce(json_agg(dvk_row), '[]') FROM (${statement.replace(/;\s*$/, '')}) dvk_row`).then((r) => {
      if (r.code !== 0 || r.stderr.trim()) throw new Error(`psql ${statement}: exit ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    });
  }
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-bail', '-json', '-cmd', '.timeout 10000', dbPath, statement], { timeout: 30000, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        if (err || stderr.trim()) return reject(new Error(`sqlite3 ${statement}: ${err ? err.message : ''} ${stderr}`));
        resolve(stdout.trim() ? JSON.parse(stdout) : []);
      });
  });
}

/* ---- what differs between the engines (pg.mjs) --------------------------------------------- */
export { isPg };

/* Makes every INSERT into table whose new row satisfies when (SQL on NEW) fail with message,
 * until dropFailTrigger(dbPath, name, table): a trigger in either engine's dialect. */
export function failTrigger(dbPath, name, table, when, message) {
  if (isPg(dbPath)) {
    return sqlOk(dbPath, `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION ${q(message)}; END $$;
      CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}();`);
  }
  return sqlOk(dbPath, `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, ${q(message)}); END;`);
}

export function dropFailTrigger(dbPath, name, table) {
  if (isPg(dbPath)) return sqlOk(dbPath, `DROP TRIGGER ${name} ON ${table}; DROP FUNCTION ${name}();`);
  return sqlOk(dbPath, `DROP TRIGGER ${name};`);
}

/* The rows of tables as INSERT statements (sqlite3's .dump; pg_dump --inserts on PostgreSQL,
 * with the schema name left out so that both read "INSERT INTO table"). */
export function dumpTables(dbPath, tables) {
  if (!isPg(dbPath)) return sqlOk(dbPath, `.dump ${tables.join(' ')}`);
  return new Promise((resolve, reject) => {
    execFile('pg_dump', ['--data-only', '--inserts', ...tables.flatMap((t) => ['-t', t]), '-d', dbPath],
      { timeout: 30000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`pg_dump: ${err.message} ${stderr}`));
        resolve(stdout.replace(/INSERT INTO public\./g, 'INSERT INTO '));
      });
  });
}

/* SQL joining column col of the rows in order, with sep (group_concat / string_agg). */
export function joinedSql(dbPath, col, sep, order) {
  return isPg(dbPath) ? `string_agg(${col}, ${q(sep)} ORDER BY ${order})` : `group_concat(${col}, ${q(sep)})`;
}
