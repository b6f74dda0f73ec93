// server.mjs: starts a real `dvk serve` on a free port against a fresh
// temporary database (full 2024/2025 unit catalogues and the old->new commune
// mapping from ../shared/data), for the black-box API and browser tests.
//
//   const srv = await startServer();   // { base, dbPath, dir, stop(), stderr() }
//   ... fetch(srv.base + '/healthz') ...
//   await srv.stop();                   // throws on a sanitizer report or a bad exit
//
// DVK_BIN (env) picks the binary, default build/asan/dvk, relative to the repo root.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setDefaultToken } from './http.mjs';
import { PG, createDatabase, dropDatabase, isPg } from './pg.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA = path.resolve(ROOT, '..', 'shared', 'data');
export const BIN = path.resolve(ROOT, process.env.DVK_BIN || 'build/asan/dvk');

// A sanitizer report anywhere in stderr fails the run, whatever the exit code.
const SANITIZER = /ERROR: (?:Address|Leak|UndefinedBehavior|Thread|Memory)Sanitizer|runtime error:|AddressSanitizer:DEADLYSIGNAL/;

const HEALTH_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 15000;

function sanitizerEnv() {
  const env = { ...process.env };
  // tests/run.sh sets these; repeat them so a direct `node --test` behaves the same.
  if (!env.ASAN_OPTIONS) env.ASAN_OPTIONS = 'detect_leaks=1';
  if (!env.UBSAN_OPTIONS) env.UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1';
  if (!env.LSAN_OPTIONS) env.LSAN_OPTIONS = `suppressions=${path.join(ROOT, 'tests', 'lsan.supp')}:print_suppressions=0`;
  return env;
}

export function hasSanitizerReport(text) {
  return SANITIZER.test(text);
}

/* Runs `dvk ARGS...` to completion; rejects with its output on failure. */
export function runDvk(args, { timeout = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(BIN, args, { cwd: ROOT, env: sanitizerEnv(), timeout, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const cmd = `dvk ${args.join(' ')}`;
        if (hasSanitizerReport(stderr)) {
          reject(new Error(`${cmd}: sanitizer report\n--- stderr ---\n${stderr}`));
        } else if (err) {
          reject(new Error(`${cmd}: ${err.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        } else {
          resolve({ stdout, stderr });
        }
      });
  });
}

/* Runs `dvk ARGS...` to completion whatever its exit status, for commands expected to fail:
 * resolves to { code, stdout, stderr }; rejects only on a sanitizer report, a signal or a timeout.
 * env: variables to set (or, as '', to clear) for this run. */
export function runDvkStatus(args, { timeout = 120000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    execFile(BIN, args, { cwd: ROOT, env: { ...sanitizerEnv(), ...env }, timeout, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const cmd = `dvk ${args.join(' ')}`;
        if (hasSanitizerReport(stderr)) {
          reject(new Error(`${cmd}: sanitizer report\n--- stderr ---\n${stderr}`));
        } else if (err && typeof err.code !== 'number') {
          reject(new Error(`${cmd}: ${err.message} (signal ${err.signal})\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        } else {
          resolve({ code: err ? err.code : 0, stdout, stderr });
        }
      });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* Creates DIR/t.db with the admin password from DIR/admin.pw and imports the catalogues.
 * demo: `dvk init --demo` instead (the demo catalogue and models; no full catalogues). */
async function prepareDb(dir, demo = false) {
  // with DVK_TEST_PG (pg.mjs): a fresh database of the throwaway cluster
  const dbPath = PG ? await createDatabase() : path.join(dir, 't.db');
  const pwFile = path.join(dir, 'admin.pw');
  await writeFile(pwFile, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
  if (demo) {
    await runDvk(['init', '--db', dbPath, '--admin-password-file', pwFile, '--demo']);
    return dbPath;
  }
  await runDvk(['init', '--db', dbPath, '--admin-password-file', pwFile]);
  await runDvk(['units', 'import', '--db', dbPath, '--hierarchy', '2024', '../shared/data/units-2024.csv']);
  await runDvk(['units', 'import', '--db', dbPath, '--hierarchy', '2025', '../shared/data/units-2025.csv']);
  await runDvk(['units', 'import', '--db', dbPath, '--mapping', '../shared/data/commune-2024-to-2025.csv']);
  return dbPath;
}

/* A bearer token for an existing user (dvk token create prints it on stdout). */
export async function createToken(dbPath, login, extra = []) {
  const { stdout } = await runDvk(['token', 'create', '--db', dbPath, '--user', login, ...extra]);
  return stdout.trim();
}

/* Adds a user with a password and returns { login, password, token }. */
export async function addUser(srv, login, role, unit, hierarchy = 2024) {
  const pwFile = path.join(srv.dir, `${login}.pw`);
  const password = `mk-${Math.random().toString(36).slice(2)}-du-dai`;
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  const args = ['user', 'add', '--db', srv.dbPath, '--login', login, '--role', role, '--password-file', pwFile];
  if (unit) args.push('--unit', unit, '--hierarchy', String(hierarchy));
  await runDvk(args);
  return { login, password, token: await createToken(srv.dbPath, login) };
}



/* Starts the server once; resolves to the handle or rejects (the caller may retry). */
async function launch(dir, dbPath, port, args = [], { bare = false, env = {} } = {}) {
  // a PostgreSQL database has no folder of its own: its files go in the test's
  const dataArgs = isPg(dbPath) && !args.includes('--data') ? ['--data', path.join(dir, 'files')] : [];
  // bare: args are all of dvk serve's options (a settings file may give the others)
  const argv = bare ? ['serve', ...args]
    : ['serve', '--db', dbPath, '--listen', '127.0.0.1', '--port', String(port), ...dataArgs, ...args];
  const child = spawn(BIN, argv, { cwd: ROOT, env: { ...sanitizerEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  let exited = null;
  const exitP = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
    child.on('error', (e) => { exited = { code: -1, signal: null, error: e }; resolve(exited); });
  });
  const base = `http://127.0.0.1:${port}`;
  const describe = () => `--- dvk serve stdout ---\n${out}\n--- dvk serve stderr ---\n${err}`;

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastStatus = 'no answer';
  while (Date.now() < deadline) {
    if (exited) {
      const e = new Error(`dvk serve exited before answering /healthz (${JSON.stringify(exited)})\n${describe()}`);
      e.addressInUse = /in use|EADDRINUSE/i.test(err);
      throw e;
    }
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
      lastStatus = `status ${r.status}`;
    } catch (e) {
      lastStatus = e.cause?.code || e.message;
    }
    await sleep(100);
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL');
    await exitP;
    throw new Error(`dvk serve: GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS} ms (last: ${lastStatus})\n${describe()}`);
  }

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    let how;
    if (exited) {
      how = exited;
      throw new Error(`dvk serve died during the tests (${JSON.stringify(how)})\n${describe()}`);
    }
    child.kill('SIGTERM');
    let timer;
    const t = new Promise((r) => { timer = setTimeout(() => r(null), STOP_TIMEOUT_MS); });
    how = await Promise.race([exitP, t]);
    clearTimeout(timer);
    if (!how) {
      child.kill('SIGKILL');
      await exitP;
      throw new Error(`dvk serve did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n${describe()}`);
    }
    if (hasSanitizerReport(err)) {
      throw new Error(`dvk serve: sanitizer report\n${describe()}`);
    }
    // Exiting 0 after SIGTERM, or being ended by it, are both fine; anything else is not.
    if (!(how.code === 0 || (how.code === null && how.signal === 'SIGTERM'))) {
      throw new Error(`dvk serve exited badly after SIGTERM (${JSON.stringify(how)})\n${describe()}`);
    }
  }
  return {
    base, port, dbPath, dir, stop,
    /* Ends the process at once (SIGKILL: no clean-up of any kind); resolves when it is gone. */
    kill: async () => {
      stopped = true;
      if (!exited) child.kill('SIGKILL');
      return exitP;
    },
    stderr: () => err,
    stdout: () => out,
    alive: () => !exited,
    describe,
  };
}

/* Temp dir + init + imports + serve. Options: { keep: true } keeps the temp dir;
 * { demo: true } starts on a `dvk init --demo` database (demo catalogue and models). */
export async function startServer({ keep = !!process.env.DVK_KEEP_TMP, demo = false } = {}) {
  if (!existsSync(BIN)) throw new Error(`dvk binary not found: ${BIN} (build it with make build/asan/dvk, or set DVK_BIN)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-test-'));
  let srv;
  try {
    const dbPath = await prepareDb(dir, demo);
    for (let attempt = 1; ; attempt++) {
      try {
        srv = await launch(dir, dbPath, await freePort());
        break;
      } catch (e) {
        if (!e.addressInUse || attempt >= 3) throw e;
      }
    }
  } catch (e) {
    if (!keep) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  srv.adminPassword = 'test-quan-tri-mat-khau-1234';
  srv.adminToken = await createToken(srv.dbPath, 'admin');
  setDefaultToken(srv.adminToken);
  const stopServer = srv.stop;
  srv.stop = async () => {
    try {
      await stopServer();
    } finally {
      if (!keep) await rm(dir, { recursive: true, force: true });
      if (!keep && isPg(srv.dbPath)) await dropDatabase(srv.dbPath);
    }
  };
  return srv;
}

/* A bearer token and its id (for `dvk token revoke --id`): { token, id }. */
export async function createTokenWithId(dbPath, login, extra = []) {
  const { stdout, stderr } = await runDvk(['token', 'create', '--db', dbPath, '--user', login, ...extra]);
  const m = /^dvk token (\d+):/m.exec(stderr);
  if (!m) throw new Error(`dvk token create: no token id in stderr: ${stderr}`);
  return { token: stdout.trim(), id: Number(m[1]) };
}

/* `dvk serve` on an existing database (dbPath, its files in dir), for tests that stop and
 * start the server themselves (the crash test). Resolves to launch()'s handle. */
export async function serveOn(dir, dbPath, args = []) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(dir, dbPath, await freePort(), args);
    } catch (e) {
      if (!e.addressInUse || attempt >= 3) throw e;
    }
  }
}

/* `dvk serve ARGS...` with only the options in args (none added: --config, DVK_DB and the like
 * give the database), expected to answer on port; env: variables to set for it. Resolves to
 * launch()'s handle; dir is where the handle says its files are. */
export async function serveBare(dir, port, args, env = {}) {
  return launch(dir, '', port, args, { bare: true, env });
}

/* A free TCP port on 127.0.0.1 (another process may take it before it is used). */
export { freePort };

/* A second `dvk serve` node on the database of a running server (sessions and
 * throttling live in the store, so they must work across nodes), with extra
 * `dvk serve` options in args. Resolves to a handle like launch()'s:
 * { base, port, stop(), stderr(), ... }. */
export async function startNode(srv, args = []) {
  return serveOn(srv.dir, srv.dbPath, args);
}
