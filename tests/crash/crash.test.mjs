// crash.test.mjs: crash safety (issue 8). dvk is killed with SIGKILL at random moments
// while clients write through the API (models created, patched with If-Match, moved
// through their lifecycle, appraised, replicated, awarded) and import spreadsheets
// (POST /api/v1/imports then its commit, and `dvk import` beside the server), many
// times over one database. After each kill:
//   - PRAGMA integrity_check is ok, no foreign key is broken, the search index is whole;
//   - the domain's invariants hold: each model's stored places agree with its unit, the
//     code counters are ahead of every code given, model_tally equals a count over the
//     models, every replication and award names a model that exists;
//   - an import is all or nothing: each file's rows are all there or none are;
//   - every write the client saw acknowledged (a 2xx with its answer read) is there, at
//     least at the version acknowledged, and so is every import reported written.
// Then the server is started again on the same database and the next round begins.
//
// CRASH_KILLS (default 20; `make crash` runs 200) is the number of kills, CRASH_SEED the
// seed of the random choices (printed, so a failing run can be repeated); DVK_BIN the
// binary (default build/asan/dvk).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, ROOT, runDvk, createToken, serveOn } from '../lib/server.mjs';
import { sqlJson, sqlOk } from '../lib/sqlite.mjs';
import { csv } from '../lib/sheets.mjs';

const KILLS = Number(process.env.CRASH_KILLS || 20);
const SEED = Number(process.env.CRASH_SEED || (Date.now() % 1e9));
const WORKERS = 3;

// ---- random choices, repeatable from the seed ---------------------------------------
let rs = SEED >>> 0;
function rnd() { // mulberry32
  rs = (rs + 0x6d2b79f5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/* A delay from ms to a second, spread evenly over its orders of magnitude. */
const killDelay = () => Math.round(5 * Math.pow(200, rnd()));

// ---- what the clients saw acknowledged ---------------------------------------------
const models = new Map();    // id -> { id, owner, version, status, title } as last acknowledged
const replications = new Set();
const awards = new Set();
const imports = new Map();   // token -> { rows, acked, how }
const stats = { acked: 0, refused: 0, lost: 0, importsAcked: 0, importsTried: 0, cliKilled: 0, midCommit: 0 };

let dir;
let dbPath;
let token;
let srv = null;
let villages = [];

function headers(extra = {}) {
  return { Authorization: `Bearer ${token}`, 'Accept-Language': 'en', ...extra };
}

/* One request. Resolves to { status, json } once the whole answer is read, or null when
 * the connection failed (the server was killed): only the first counts as acknowledged. */
async function call(base, method, url, body, extra = {}) {
  const h = headers(extra);
  let payload;
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  try {
    const r = await fetch(base + url, { method, headers: h, body: payload, signal: AbortSignal.timeout(20000) });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: r.status, json, text };
  } catch {
    stats.lost++;
    return null;
  }
}

const MODEL = {
  field: 'economic', kind: 'collective', unit_code: '20368', hierarchy: 2024, registration_level: 'commune',
  registered_on: '2024-03-15', owner: 'Hội Nông dân xã Tam An', owner_type: 'organization', status: 'registered',
  summary: 'Nông dân góp công, góp đất làm đường nội đồng.', tags: ['nông thôn mới'],
  results: [{ year: 2024, indicator: 'households', value: 120 }],
};
const STEP = { to: '', comment: 'Đủ điều kiện', decision_no: '12-QĐ/BDVTU', decision_date: '2024-04-01' };
const SCORES = { effectiveness: 9, consensus: 8, practicality: 8, replicability: 7, sustainability: 8 };
const NEXT = { registered: 'selected', selected: 'implementing', appraised: 'recognized' };

let serial = 0;
const uniq = () => `${SEED}-${++serial}`;

/* Acknowledges a model as the answer shows it. */
function ackModel(owner, m) {
  models.set(m.id, { id: m.id, owner, version: m.version, status: m.status, title: m.title });
  stats.acked++;
}

/* One write chosen at random among those the worker's models allow. */
async function oneWrite(base, w) {
  const mine = [...models.values()].filter((m) => m.owner === w);
  if (mine.length < 2 || rnd() < 0.2) {
    const r = await call(base, 'POST', '/api/v1/models', { ...MODEL, title: `Mô hình đường nội đồng ${uniq()}` });
    if (r && r.status === 201) ackModel(w, r.json);
    else if (r) stats.refused++;
    return r;
  }
  const m = pick(mine);
  const x = rnd();
  if (x < 0.35) {
    const r = await call(base, 'PATCH', `/api/v1/models/${m.id}`, { title: `Mô hình sửa ${uniq()}`, summary: `Bản ${uniq()}` },
      { 'If-Match': `"${m.version}"` });
    if (r && r.status === 200) ackModel(w, r.json);
    else if (r) stats.refused++;
    return r;
  }
  if (x < 0.7) {
    if (m.status === 'implementing') {
      const r = await call(base, 'POST', `/api/v1/models/${m.id}/appraisals`,
        { visit_date: '2024-06-01', members: 'Nguyễn Văn A, Trưởng đoàn', scores: SCORES });
      if (r && r.status === 201) {
        // the model moved to appraised: its new version is read back (a read, not a write)
        m.status = 'appraised';
        stats.acked++;
        const g = await call(base, 'GET', `/api/v1/models/${m.id}`);
        if (g && g.status === 200) ackModel(w, g.json);
      } else if (r) stats.refused++;
      return r;
    }
    const to = NEXT[m.status];
    if (to) {
      const r = await call(base, 'POST', `/api/v1/models/${m.id}/transitions`, { ...STEP, to }, { 'If-Match': `"${m.version}"` });
      if (r && r.status === 200) ackModel(w, r.json);
      else if (r) stats.refused++;
      return r;
    }
  }
  if (x < 0.85) {
    const unit = pick(villages);
    const r = await call(base, 'POST', `/api/v1/models/${m.id}/replications`,
      { hierarchy: 2024, unit_code: unit, since: '2024-08-01', note: `Nhân rộng ${uniq()}` });
    if (r && r.status === 201) {
      replications.add(r.json.id);
      stats.acked++;
    } else if (r) stats.refused++; // the same unit twice is refused: fine
    return r;
  }
  const r = await call(base, 'POST', '/api/v1/awards', {
    recipient_type: 'model', model_id: m.id, form: 'certificate', issuer: 'UBND huyện Phú Ninh',
    decision_no: `${uniq()}/QĐ-UBND`, decision_date: '2024-12-10',
  });
  if (r && r.status === 201) {
    awards.add(r.json.id);
    stats.acked++;
  } else if (r) stats.refused++;
  return r;
}

async function worker(base, w, state) {
  while (!state.killed) {
    const r = await oneWrite(base, w);
    if (!r) break; // the server is gone
  }
}

const HEAD = ['STT', 'Tên mô hình', 'Lĩnh vực', 'Tập thể/Cá nhân', 'Tỉnh', 'Huyện', 'Xã', 'Ngày đăng ký', 'Số hộ tham gia'];
function importFile(tok, n) {
  const rows = [['UBND TỈNH QUẢNG NAM'], ['DANH SÁCH MÔ HÌNH "DÂN VẬN KHÉO"'], [], HEAD];
  for (let k = 1; k <= n; k++) {
    rows.push([String(k), `${tok} dòng ${k}`, pick(['Kinh tế', 'Văn hóa - xã hội', 'Quốc phòng - an ninh']), 'Tập thể',
      'Tỉnh Quảng Nam', 'Huyện Phú Ninh', 'Xã Tam An', '15/03/2024', String(k % 50)]);
  }
  return csv(rows, { bom: true });
}

/* POST /api/v1/imports (a dry run), then its commit; state.commitAt is set when the
 * commit is sent. Acknowledged when the finished job reports the file written. */
async function apiImport(base, state, n) {
  const tok = `CRASH ${uniq()}`;
  imports.set(tok, { rows: n, acked: false, how: 'api' });
  stats.importsTried++;
  const post = await call(base, 'POST', `/api/v1/imports?dry_run=true&name=${encodeURIComponent(tok)}.csv`,
    importFile(tok, n), { 'Content-Type': 'text/csv' });
  if (!post || post.status !== 202) return;
  let job;
  for (;;) {
    job = await call(base, 'GET', post.json.url);
    if (!job || job.status !== 200) return;
    if (job.json.state !== 'running') break;
    await sleep(20);
  }
  if (job.json.report?.problems_total !== 0) throw new Error(`the import's dry run found problems: ${job.text}`);
  state.commitAt = Date.now();
  const commit = await call(base, 'POST', `/api/v1/imports/${post.json.id}/commit`);
  if (!commit || commit.status !== 202) return;
  for (;;) {
    job = await call(base, 'GET', commit.json.url);
    if (!job || job.status !== 200) return;
    if (job.json.state !== 'running') break;
    await sleep(20);
  }
  if (job.json.report?.written) {
    imports.get(tok).acked = true;
    stats.importsAcked++;
  }
}

/* `dvk import` on the same database, beside the server; killed with it. Acknowledged when
 * it exited 0 before the kill. */
async function cliImport(state, n) {
  const tok = `CRASH ${uniq()}`;
  imports.set(tok, { rows: n, acked: false, how: 'cli' });
  stats.importsTried++;
  const file = path.join(dir, `${serial}.csv`);
  await writeFile(file, importFile(tok, n));
  const child = spawn(BIN, ['import', '--db', dbPath, '--lang', 'en', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  state.cli = child;
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  if (code === 0 && /^Imported/m.test(out)) {
    imports.get(tok).acked = true;
    stats.importsAcked++;
  }
}

// ---- the checks after a kill ----------------------------------------------------------
async function checkDatabase(round) {
  const where = `after kill ${round} (seed ${SEED})`;
  assert.equal((await sqlOk(dbPath, 'PRAGMA integrity_check;')).trim(), 'ok', `integrity_check ${where}`);
  assert.equal((await sqlOk(dbPath, 'PRAGMA foreign_key_check;')).trim(), '', `foreign_key_check ${where}`);
  await sqlOk(dbPath, "INSERT INTO model_fts(model_fts) VALUES ('integrity-check');");

  // each model's places are its unit's ancestors in its own hierarchy
  const units = new Map();
  for (const u of await sqlJson(dbPath, 'SELECT hierarchy, code, level, parent_code FROM units')) units.set(`${u.hierarchy}:${u.code}`, u);
  const rows = await sqlJson(dbPath, 'SELECT id, hierarchy, unit_code, p24, d24, c24, p25, c25, version, status, title FROM models');
  for (const m of rows) {
    const want = { p24: null, d24: null, c24: null, p25: null, c25: null };
    const names = m.hierarchy === 2024 ? { 1: 'p24', 2: 'd24', 3: 'c24' } : { 1: 'p25', 2: 'c25' };
    for (let u = units.get(`${m.hierarchy}:${m.unit_code}`); u; u = units.get(`${m.hierarchy}:${u.parent_code}`)) {
      if (names[u.level]) want[names[u.level]] = u.code;
    }
    for (const col of Object.values(names)) assert.equal(m[col], want[col], `model ${m.id}: ${col} ${where}`);
  }

  // the code counters are ahead of every code given (DVK-YYYY-NNNNNN)
  const behind = await sqlJson(dbPath, `
    SELECT y, top, c.last AS last FROM (
      SELECT CAST(substr(code, 5, 4) AS INTEGER) AS y, max(CAST(substr(code, 10) AS INTEGER)) AS top FROM models GROUP BY y)
    LEFT JOIN code_counters c ON c.year = y WHERE c.last IS NULL OR c.last < top`);
  assert.deepEqual(behind, [], `code counters behind the codes ${where}`);

  // model_tally is the count of the models, group by group
  const groups = `SELECT status, coalesce(p24, '') AS p24, coalesce(p25, '') AS p25,
      CAST(substr(registered_on, 1, 4) AS INTEGER) AS year,
      CASE WHEN status = 'recognized' THEN CAST(substr(coalesce(recognized_on, registered_on), 1, 4) AS INTEGER) ELSE 0 END AS ryear,
      field, kind, registration_level, typical, count(*) AS n FROM models GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  const tally = 'SELECT status, p24, p25, year, ryear, field, kind, registration_level, typical, n FROM model_tally WHERE n <> 0';
  const diff = await sqlJson(dbPath, `SELECT 'missing from model_tally' AS what, * FROM (${groups} EXCEPT ${tally})
    UNION ALL SELECT 'not in the models' AS what, * FROM (${tally} EXCEPT ${groups})`);
  assert.deepEqual(diff, [], `model_tally ${where}`);

  const orphans = await sqlJson(dbPath, `SELECT 'replication' AS what, id FROM replications WHERE model_id NOT IN (SELECT id FROM models)
    UNION ALL SELECT 'award', id FROM awards WHERE model_id IS NOT NULL AND model_id NOT IN (SELECT id FROM models)`);
  assert.deepEqual(orphans, [], `replications or awards without their model ${where}`);

  // imports: all or nothing; acknowledged ones whole
  const counts = new Map();
  for (const r of await sqlJson(dbPath, `SELECT substr(title, 1, instr(title, ' dòng ') - 1) AS tok, count(*) AS n
      FROM models WHERE title LIKE 'CRASH %' GROUP BY tok`)) counts.set(r.tok, r.n);
  for (const [tok, im] of imports) {
    const n = counts.get(tok) || 0;
    assert.ok(n === 0 || n === im.rows, `import ${tok} (${im.how}) is half there: ${n} of ${im.rows} rows ${where}`);
    if (im.acked) assert.equal(n, im.rows, `import ${tok} (${im.how}) was reported written but has ${n} of ${im.rows} rows ${where}`);
  }

  // every acknowledged write, at least at its version
  const stored = new Map(rows.map((m) => [m.id, m]));
  for (const a of models.values()) {
    const m = stored.get(a.id);
    assert.ok(m, `model ${a.id} was acknowledged and is gone ${where}`);
    assert.ok(m.version >= a.version, `model ${a.id}: version ${m.version} < acknowledged ${a.version} ${where}`);
    if (m.version === a.version) {
      assert.equal(m.title, a.title, `model ${a.id}: title at version ${a.version} ${where}`);
      assert.equal(m.status, a.status, `model ${a.id}: status at version ${a.version} ${where}`);
    }
    // what survived is what the next round starts from
    Object.assign(a, { version: m.version, status: m.status, title: m.title });
  }
  const have = async (table, ids) => {
    if (!ids.size) return;
    const found = new Set((await sqlJson(dbPath, `SELECT id FROM ${table} WHERE id IN (${[...ids].join(',')})`)).map((r) => r.id));
    for (const id of ids) assert.ok(found.has(id), `${table} ${id} was acknowledged and is gone ${where}`);
  };
  await have('replications', replications);
  await have('awards', awards);
}

// ---- the rounds ------------------------------------------------------------------------
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dvk-crash-'));
  dbPath = path.join(dir, 'crash.db');
  const pw = path.join(dir, 'admin.pw');
  await writeFile(pw, 'crash-quan-tri-mat-khau-1234\n', { mode: 0o600 });
  await runDvk(['init', '--db', dbPath, '--admin-password-file', pw, '--demo']);
  token = await createToken(dbPath, 'admin');
  villages = (await sqlJson(dbPath, "SELECT code FROM units WHERE hierarchy = 2024 AND level IN (3, 4) AND code <> '20368'")).map((u) => u.code);
  console.log(`crash test: ${KILLS} kills, seed ${SEED} (CRASH_SEED=${SEED} repeats it), ${BIN}`);
});

after(async () => {
  if (srv) await srv.kill();
  console.log(`crash test: ${stats.acked} writes acknowledged, ${stats.refused} refused (conflicts, units used twice),` +
    ` ${stats.lost} requests cut by a kill; imports: ${stats.importsTried} tried, ${stats.importsAcked} acknowledged,` +
    ` ${stats.midCommit} kills during an import's commit, ${stats.cliKilled} kills of dvk import`);
  if (dir && !process.env.DVK_KEEP_TMP) await rm(dir, { recursive: true, force: true });
});

for (let round = 1; round <= KILLS; round++) {
  test(`kill ${round} of ${KILLS}: nothing acknowledged is lost, nothing is torn`, async () => {
    srv = await serveOn(dir, dbPath);
    const state = { killed: false, commitAt: 0, cli: null };
    const load = [];
    for (let w = 0; w < WORKERS; w++) load.push(worker(srv.base, w, state));
    const mode = rnd();
    let delay;
    if (mode < 0.3) {
      // during an import's commit: the kill comes a moment after the commit is sent
      load.push(apiImport(srv.base, state, 200 + Math.floor(rnd() * 1200)));
      const t0 = Date.now();
      while (!state.commitAt && Date.now() - t0 < 8000) await sleep(5);
      delay = Math.floor(rnd() * 600);
      if (state.commitAt) stats.midCommit++;
    } else if (mode < 0.45) {
      load.push(cliImport(state, 100 + Math.floor(rnd() * 800)));
      delay = killDelay();
      stats.cliKilled++;
    } else {
      if (rnd() < 0.3) load.push(apiImport(srv.base, state, 20 + Math.floor(rnd() * 200)));
      delay = killDelay();
    }
    await sleep(delay);
    state.killed = true;
    if (state.cli) state.cli.kill('SIGKILL');
    await srv.kill();
    srv = null;
    await Promise.all(load);
    await checkDatabase(round);
  });
}

test('after every kill, dvk starts and stops cleanly on the database', async () => {
  const s = await serveOn(dir, dbPath);
  const r = await call(s.base, 'GET', '/api/v1/models?limit=1');
  assert.equal(r.status, 200);
  await s.stop();
});
