// authz.test.mjs: THE AUTHORIZATION MATRIX (issue 3).
//
// Users of every role are scoped to (a) the 2024 commune 20368 Xã Tam An
// (Huyện Phú Ninh, Tỉnh Quảng Nam), (b) the 2025 commune 20380 Xã Tây Hồ that
// Tam An merged into, (c) the 2024 district 518 Huyện Phú Ninh, (d) the 2025
// city 48 Thành phố Đà Nẵng (which took in all of Quảng Nam), plus an officer
// of a commune elsewhere (2024 00004 Phường Trúc Bạch, Hà Nội), the built-in
// administrator (the whole country), an anonymous client and a bad token.
// Models lie in and out of those scopes in both hierarchies. Every endpoint and
// page is tried by every actor on every object, asserting the exact status; the
// expectation comes from the hand-written places below, never from the server.
// Each matrix is printed as a table (t.diagnostic): a cell reads "200", or
// "403≠200" when the server answered 403 where 200 was expected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api, createModel, token, validModel } from '../lib/http.mjs';
import { signInOk, page, csrfFrom } from '../lib/session.mjs';
import { sqlOk } from '../lib/sqlite.mjs';

let srv;

/* Units used by the fixtures, with the place columns a model there gets: a model
 * is in a scope (or a list filter) exactly when it carries the scope's tag. */
const UNITS = {
  tamAn: { code: '20368', h: 2024, label: '20368/24 Tam An', places: ['c24:20368', 'd24:518', 'p24:49', 'c25:20380', 'p25:48'] },
  tamDan: { code: '20374', h: 2024, label: '20374/24 Tam Đàn', places: ['c24:20374', 'd24:518', 'p24:49', 'c25:20364', 'p25:48'] },
  // 2025 Xã Tây Hồ = old 20365, 20368, 20377, 20380, all in district 518: no single old commune.
  tayHo: { code: '20380', h: 2025, label: '20380/25 Tây Hồ', places: ['c25:20380', 'p25:48', 'd24:518', 'p24:49'] },
  // 2025 Phường Hải Vân = old wards/communes of Đà Nẵng's districts 490 and 497: no single old district.
  haiVan: { code: '20194', h: 2025, label: '20194/25 Hải Vân', places: ['c25:20194', 'p25:48', 'p24:48'] },
  // elsewhere: Hà Nội
  trucBach: { code: '00004', h: 2024, label: '00004/24 Trúc Bạch', places: ['c24:00004', 'd24:001', 'p24:01', 'c25:00004', 'p25:01'] },
  baDinh: { code: '00004', h: 2025, label: '00004/25 Ba Đình', places: ['c25:00004', 'p25:01', 'p24:01'] },
};

/* The fixture models: [key, unit, status]. Statuses other than draft/registered are set with sqlite3
 * (only later work — selection — produces them). */
const MODEL_DEFS = [
  ['tamAn', 'tamAn', 'registered'],
  ['tamAn-draft', 'tamAn', 'draft'],
  ['tamAn-selected', 'tamAn', 'selected'],
  ['tamDan', 'tamDan', 'registered'],
  ['tayHo', 'tayHo', 'registered'],
  ['haiVan', 'haiVan', 'registered'],
  ['trucBach', 'trucBach', 'registered'],
  ['baDinh', 'baDinh', 'registered'],
];

const SCOPES = {
  country: { unit: null, h: 2025, tag: null },
  c24: { unit: '20368', h: 2024, tag: 'c24:20368' },
  c25: { unit: '20380', h: 2025, tag: 'c25:20380' },
  d24: { unit: '518', h: 2024, tag: 'd24:518' },
  p25: { unit: '48', h: 2025, tag: 'p25:48' },
  far: { unit: '00004', h: 2024, tag: 'c24:00004' },
};
const ROLES = ['admin', 'staff', 'officer', 'appraiser', 'viewer'];

/* List filters (unit, hierarchy) and the tag a model must carry to match. */
const FILTERS = [
  { unit: '20368', h: 2024, tag: 'c24:20368' },
  { unit: '20374', h: 2024, tag: 'c24:20374' },
  { unit: '518', h: 2024, tag: 'd24:518' },
  { unit: '49', h: 2024, tag: 'p24:49' },
  { unit: '00004', h: 2024, tag: 'c24:00004' },
  { unit: '20380', h: 2025, tag: 'c25:20380' },
  { unit: '20194', h: 2025, tag: 'c25:20194' },
  { unit: '48', h: 2025, tag: 'p25:48' },
  { unit: '00004', h: 2025, tag: 'c25:00004' },
  { unit: '01', h: 2025, tag: 'p25:01' },
];

const models = {};      // key -> { id, key, title, places, status }
const registry = [];    // every model in the database: { id, title, places, status }
const actors = [];      // { label, role, scope, token, session, anonymous, badToken }

const REGISTERS = new Set(['admin', 'staff', 'officer']);
const inScope = (a, places) => !a.anonymous && (a.scope.tag === null || places.includes(a.scope.tag));
const canRead = (a, m) => inScope(a, m.places);
const canEdit = (a, m) => canRead(a, m) && (a.role === 'admin' || a.role === 'staff'
  || (a.role === 'officer' && (m.status === 'draft' || m.status === 'registered')));
/* The audit trail holds every unit's changes: only an administrator of the whole country reads it. */
const canReadAudit = (a) => !a.anonymous && a.role === 'admin' && a.scope.tag === null;
const canCreate = (a, unit) => REGISTERS.has(a.role) && inScope(a, unit.places);

const authHeaders = (a) => ({ Authorization: a.anonymous ? '' : `Bearer ${a.token}` });
const apiAs = (a, method, path, body, extra = {}) => api(srv.base, method, path, { body, headers: { ...authHeaders(a), ...extra } });
const adminGet = async (id) => {
  const r = await api(srv.base, 'GET', `/api/v1/models/${id}`);
  assert.equal(r.status, 200, `admin GET /api/v1/models/${id}: ${r.status} ${r.text}`);
  return r.json;
};

/* The error code an API error body must carry for a status. */
const ERROR_CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };
function apiProblem(r) {
  const code = ERROR_CODE[r.status];
  if (!code) return null;
  if (!r.json || !r.json.error) return `no error object: ${r.text.slice(0, 120)}`;
  if (r.json.error.code !== code) return `error.code ${r.json.error.code}, expected ${code}`;
  return null;
}

/* Renders rows of cells as a fixed-width table. */
function renderTable(title, head, rows) {
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(w[i])).join(' | ');
  return [title, line(head), w.map((n) => '-'.repeat(n)).join('-+-'), ...rows.map(line)].join('\n');
}

/* Runs cell(actor, column) for every actor × column; each actor is a subtest, the whole
 * matrix is printed. cell resolves to { got, want, problem? }. */
async function matrix(t, title, columns, cell, who = actors) {
  const rows = [];
  for (const a of who) {
    const row = [a.label];
    const failures = [];
    for (const c of columns) {
      let res;
      try {
        res = await cell(a, c);
      } catch (e) {
        res = { got: 'ERR', want: '?', problem: e.message.split('\n')[0] };
      }
      const ok = res.got === res.want && !res.problem;
      row.push(ok ? String(res.got) : `${res.got}≠${res.want}${res.problem ? '!' : ''}`);
      if (!ok) failures.push(`${c.label}: expected ${res.want}, got ${res.got}${res.problem ? ` (${res.problem})` : ''}`);
    }
    rows.push(row);
    await t.test(a.label, () => {
      assert.deepEqual(failures, [], `${a.label}:\n  ${failures.join('\n  ')}`);
    });
  }
  for (const line of renderTable(title, ['actor', ...columns.map((c) => c.label)], rows).split('\n')) t.diagnostic(line);
}

const modelColumns = () => MODEL_DEFS.map(([key]) => ({ label: key, m: models[key] }));
const unitColumns = () => Object.values(UNITS).map((u) => ({ label: u.label, u }));

before(async () => {
  srv = await startServer();
  // models
  for (const [key, unitKey, status] of MODEL_DEFS) {
    const u = UNITS[unitKey];
    const title = `${token('az')} ${key}`;
    const m = await createModel(srv.base, {
      title, unit_code: u.code, hierarchy: u.h, status: status === 'draft' ? 'draft' : 'registered',
    });
    if (status !== 'draft' && status !== 'registered') {
      await sqlOk(srv.dbPath, `UPDATE models SET status = '${status}' WHERE id = ${m.id};`);
    }
    models[key] = { id: m.id, key, title, places: u.places, status };
    registry.push(models[key]);
  }
  for (const key of Object.keys(models)) {
    const got = await adminGet(models[key].id);
    assert.equal(got.status, models[key].status, `fixture ${key}: status`);
  }
  // actors
  actors.push({ label: 'admin@country', role: 'admin', scope: SCOPES.country, token: srv.adminToken, login: 'admin', password: srv.adminPassword });
  for (const scopeKey of ['c24', 'c25', 'd24', 'p25']) {
    const s = SCOPES[scopeKey];
    for (const role of ROLES) {
      const login = `${role}-${scopeKey}`;
      const u = await addUser(srv, login, role, s.unit, s.h);
      actors.push({ label: `${role}@${scopeKey}`, role, scope: s, token: u.token, login, password: u.password });
    }
  }
  {
    const u = await addUser(srv, 'officer-far', 'officer', SCOPES.far.unit, SCOPES.far.h);
    actors.push({ label: 'officer@far', role: 'officer', scope: SCOPES.far, token: u.token, login: u.login, password: u.password });
  }
  // sessions for the pages
  for (const a of actors) a.session = await signInOk(srv.base, a.login, a.password);
});

after(async () => { if (srv) await srv.stop(); });

const ANON = { label: 'anonymous', role: 'none', scope: { tag: null }, anonymous: true };
const BADTOKEN = { label: 'bad token', role: 'none', scope: { tag: null }, anonymous: true, badToken: true };
const apiActors = () => [...actors, ANON, BADTOKEN];
const apiHeadersOf = (a) => (a.badToken ? { Authorization: `Bearer dvk_${'A'.repeat(43)}` } : authHeaders(a));
const call = (a, method, path, body, extra = {}) => api(srv.base, method, path, { body, headers: { ...apiHeadersOf(a), ...extra } });

/* ---- the JSON API ------------------------------------------------------------------ */

test('GET /api/v1/me: every actor sees itself; no credentials → 401', async (t) => {
  await matrix(t, 'GET /api/v1/me', [{ label: 'me' }], async (a) => {
    const r = await call(a, 'GET', '/api/v1/me');
    const want = a.anonymous ? 401 : 200;
    let problem = apiProblem(r);
    if (r.status === 200) {
      if (r.json.login !== a.login || r.json.role !== a.role) problem = `body ${r.text}`;
      else if ((r.json.unit_code ?? null) !== a.scope.unit) problem = `unit_code ${r.json.unit_code}, expected ${a.scope.unit}`;
      else if (a.scope.unit && r.json.hierarchy !== a.scope.h) problem = `hierarchy ${r.json.hierarchy}`;
    }
    return { got: r.status, want, problem };
  }, apiActors());
});

test('GET /api/v1/models/{id}: 200 in scope, 404 outside (never 403), 401 without credentials', async (t) => {
  await matrix(t, 'GET /api/v1/models/{id}', modelColumns(), async (a, c) => {
    const r = await call(a, 'GET', `/api/v1/models/${c.m.id}`);
    const want = a.anonymous ? 401 : canRead(a, c.m) ? 200 : 404;
    let problem = apiProblem(r);
    if (r.status === 200 && r.json.id !== c.m.id) problem = `id ${r.json.id}`;
    if (r.status !== 200 && r.text.includes(c.m.title)) problem = 'the error body names the model';
    return { got: r.status, want, problem };
  }, apiActors());
});

test('GET /api/v1/models/{id}/{history,appraisals,replications,awards,attachments}: 200 in scope, 404 outside', async (t) => {
  for (const sub of ['history', 'appraisals', 'replications', 'awards', 'attachments']) {
    await t.test(sub, async (t2) => {
      await matrix(t2, `GET /api/v1/models/{id}/${sub}`, modelColumns(), async (a, c) => {
        const r = await call(a, 'GET', `/api/v1/models/${c.m.id}/${sub}`);
        const want = a.anonymous ? 401 : canRead(a, c.m) ? 200 : 404;
        let problem = apiProblem(r);
        if (r.status !== 200 && r.json && 'items' in r.json) problem = 'a refusal with items';
        return { got: r.status, want, problem };
      }, apiActors());
    });
  }
});

test('GET /api/v1/models: lists hold exactly the models in scope, and total counts only those', async (t) => {
  const columns = [{ label: 'all', f: null }, ...FILTERS.map((f) => ({ label: `unit=${f.unit}/${f.h % 100}`, f }))];
  await matrix(t, 'GET /api/v1/models[?unit=…&hierarchy=…] — cells are `total` (expected)', columns, async (a, c) => {
    const qs = new URLSearchParams({ limit: '200' });
    if (c.f) { qs.set('unit', c.f.unit); qs.set('hierarchy', String(c.f.h)); }
    const r = await call(a, 'GET', `/api/v1/models?${qs}`);
    if (a.anonymous) return { got: r.status, want: 401, problem: apiProblem(r) };
    if (r.status !== 200) return { got: r.status, want: 200 };
    const want = registry.filter((m) => canRead(a, m) && (!c.f || m.places.includes(c.f.tag)));
    const wantIds = want.map((m) => m.id).sort((x, y) => x - y);
    const gotIds = r.json.items.map((m) => m.id).sort((x, y) => x - y);
    let problem = null;
    if (JSON.stringify(gotIds) !== JSON.stringify(wantIds)) problem = `ids ${JSON.stringify(gotIds)}, expected ${JSON.stringify(wantIds)}`;
    else if (r.json.next !== null) problem = 'more than one page';
    return { got: r.json.total, want: want.length, problem };
  }, apiActors());
});

test('GET /api/v1/models?q=: a search for an out-of-scope model\'s words finds nothing', async (t) => {
  const columns = MODEL_DEFS.map(([key]) => ({ label: key, m: models[key] }));
  await matrix(t, 'GET /api/v1/models?q=<title word> — cells are `total`', columns, async (a, c) => {
    const word = c.m.title.split(' ')[0];
    const r = await call(a, 'GET', `/api/v1/models?q=${encodeURIComponent(word)}`);
    if (a.anonymous) return { got: r.status, want: 401, problem: apiProblem(r) };
    if (r.status !== 200) return { got: r.status, want: 200 };
    const want = canRead(a, c.m) ? 1 : 0;
    const problem = r.json.items.length !== want ? `${r.json.items.length} items` : null;
    return { got: r.json.total, want, problem };
  }, apiActors());
});

test('GET /api/v1/models/similar: a model is offered as a near-duplicate only to whom may read it', async (t) => {
  const columns = [];
  for (const [key, unitKey] of MODEL_DEFS) {
    columns.push({ label: key, m: models[key] });
    columns.push({ label: `${key} @unit`, m: models[key], u: UNITS[unitKey] });
  }
  await matrix(t, 'GET /api/v1/models/similar?title=<its title>[&unit_code=<its unit>] — cells: is it listed', columns, async (a, c) => {
    const qs = new URLSearchParams({ title: c.m.title });
    if (c.u) { qs.set('unit_code', c.u.code); qs.set('hierarchy', String(c.u.h)); }
    const r = await call(a, 'GET', `/api/v1/models/similar?${qs}`);
    if (a.anonymous) return { got: r.status, want: 401, problem: apiProblem(r) };
    if (r.status !== 200) return { got: r.status, want: 200 };
    const unreadable = r.json.items.filter((it) => { const m = registry.find((x) => x.id === it.id); return !m || !canRead(a, m); });
    const problem = unreadable.length ? `lists unreadable ${JSON.stringify(unreadable.map((x) => x.id))}` : null;
    return { got: r.json.items.some((it) => it.id === c.m.id) ? 1 : 0, want: canRead(a, c.m) ? 1 : 0, problem };
  }, apiActors());
});

test('PATCH /api/v1/models/{id}: admin/staff in scope, officer while draft or registered; 403 in scope otherwise, 404 outside', async (t) => {
  await matrix(t, 'PATCH /api/v1/models/{id}', modelColumns(), async (a, c) => {
    const before = await adminGet(c.m.id);
    const summary = `Sửa bởi ${a.label} ${token('p')}`;
    const r = await call(a, 'PATCH', `/api/v1/models/${c.m.id}`, { summary }, { 'If-Match': `"${before.version}"` });
    const want = a.anonymous ? 401 : !canRead(a, c.m) ? 404 : canEdit(a, c.m) ? 200 : 403;
    let problem = apiProblem(r);
    const afterM = await adminGet(c.m.id);
    if (r.status === 200) {
      if (afterM.summary !== summary || afterM.version !== before.version + 1) problem = `not stored: version ${afterM.version}, summary ${afterM.summary}`;
      if (afterM.status !== c.m.status) problem = `status became ${afterM.status}`;
    } else if (afterM.version !== before.version || afterM.summary !== before.summary) {
      problem = `refused with ${r.status} but changed (version ${before.version} → ${afterM.version})`;
    }
    return { got: r.status, want, problem };
  }, apiActors());
});

test('PATCH /api/v1/models/{id} outside scope: 404 whatever the If-Match (no 409/428 that would confirm the id)', async (t) => {
  const out = [models.trucBach, models.baDinh, models.haiVan];
  const columns = [];
  for (const m of out) {
    columns.push({ label: `${m.key} no If-Match`, m, im: null });
    columns.push({ label: `${m.key} stale If-Match`, m, im: '"999"' });
  }
  await matrix(t, 'PATCH out of scope with odd preconditions', columns, async (a, c) => {
    const extra = c.im ? { 'If-Match': c.im } : {};
    const r = await call(a, 'PATCH', `/api/v1/models/${c.m.id}`, { summary: 'x' }, extra);
    const want = a.anonymous ? 401 : canRead(a, c.m) ? (c.im ? 409 : 428) : 404;
    return { got: r.status, want, problem: r.status === 404 || r.status === 401 ? apiProblem(r) : null };
  }, apiActors().filter((a) => a.anonymous || !canRead(a, models.haiVan)));
});

test('POST /api/v1/models: admin/staff/officer inside their scope (201); 403 for a unit outside it or a read-only role', async (t) => {
  await matrix(t, 'POST /api/v1/models (unit of the new model)', unitColumns(), async (a, c) => {
    const title = `${token('cr')} created by ${a.label}`;
    const before = (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
    const r = await call(a, 'POST', '/api/v1/models', validModel({ title, unit_code: c.u.code, hierarchy: c.u.h }));
    const want = a.anonymous ? 401 : canCreate(a, c.u) ? 201 : 403;
    let problem = apiProblem(r);
    const afterTotal = (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
    if (r.status === 201) {
      registry.push({ id: r.json.id, title, places: c.u.places, status: 'registered' });
      if (r.json.unit_code !== c.u.code || r.json.hierarchy !== c.u.h) problem = `stored at ${r.json.unit_code}/${r.json.hierarchy}`;
      if (afterTotal !== before + 1) problem = `total went ${before} → ${afterTotal}`;
    } else if (afterTotal !== before) {
      problem = `refused with ${r.status} but total went ${before} → ${afterTotal}`;
    }
    return { got: r.status, want, problem };
  }, apiActors());
});

test('GET /api/v1/models after the creations: still exactly the models in scope', async (t) => {
  await matrix(t, 'GET /api/v1/models?limit=200 after POSTs — cells are `total`', [{ label: 'all' }], async (a) => {
    const r = await call(a, 'GET', '/api/v1/models?limit=200');
    if (a.anonymous) return { got: r.status, want: 401, problem: apiProblem(r) };
    const want = registry.filter((m) => canRead(a, m)).map((m) => m.id).sort((x, y) => x - y);
    const got = r.json.items.map((m) => m.id).sort((x, y) => x - y);
    return { got: r.json.total, want: want.length, problem: JSON.stringify(got) === JSON.stringify(want) ? null : `ids ${JSON.stringify(got)}, expected ${JSON.stringify(want)}` };
  }, apiActors());
});

test('POST /api/v1/units/{code}/villages: admin/staff/officer with the commune in scope; 403 otherwise', async (t) => {
  await matrix(t, 'POST /api/v1/units/{code}/villages?hierarchy=…', unitColumns(), async (a, c) => {
    const name = `Thôn ${token('v')}`;
    const r = await call(a, 'POST', `/api/v1/units/${c.u.code}/villages?hierarchy=${c.u.h}`, { name });
    const want = a.anonymous ? 401 : canCreate(a, c.u) ? 201 : 403;
    let problem = apiProblem(r);
    const kids = await api(srv.base, 'GET', `/api/v1/units/${c.u.code}/children?hierarchy=${c.u.h}`);
    const present = kids.json.items.some((u) => u.name === name);
    if (r.status === 201 && (!present || r.json.parent_code !== c.u.code)) problem = `village not stored: ${r.text}`;
    if (r.status !== 201 && present) problem = `refused with ${r.status} but the village exists`;
    return { got: r.status, want, problem };
  }, apiActors());
});

test('GET /api/v1/audit: administrators of the whole country only', async (t) => {
  await matrix(t, 'GET /api/v1/audit', [{ label: 'audit' }], async (a) => {
    const r = await call(a, 'GET', '/api/v1/audit?limit=5');
    const want = a.anonymous ? 401 : canReadAudit(a) ? 200 : 403;
    let problem = apiProblem(r);
    if (r.status === 200 && !Array.isArray(r.json.items)) problem = 'no items';
    if (r.status === 403 && r.json && r.json.items) problem = 'a 403 that carries items';
    return { got: r.status, want, problem };
  }, apiActors());
});

test('a scoped administrator\'s audit trail shows nothing about models outside its scope', async (t) => {
  const scopedAdmins = actors.filter((a) => a.role === 'admin' && a.scope.tag !== null);
  await matrix(t, 'GET /api/v1/audit?limit=10000 by scoped admins: entries about out-of-scope models', [{ label: 'leaks' }], async (a) => {
    const r = await call(a, 'GET', '/api/v1/audit?limit=10000');
    if (r.status === 403) return { got: 0, want: 0 };
    if (r.status !== 200) return { got: r.status, want: 200 };
    const outside = registry.filter((m) => !canRead(a, m));
    const ids = new Set(outside.map((m) => String(m.id)));
    const leaked = r.json.items.filter((e) => (e.entity === 'model' && ids.has(e.entity_id))
      || outside.some((m) => JSON.stringify(e.after ?? '').includes(m.title) || JSON.stringify(e.before ?? '').includes(m.title)));
    return { got: leaked.length, want: 0, problem: leaked.length ? `e.g. entry ${leaked[0].id} (${leaked[0].entity} ${leaked[0].entity_id} ${leaked[0].action})` : null };
  }, scopedAdmins);
});

/* ---- pages (session cookie + csrf) ----------------------------------------------------- */

const pageAs = (a, method, path, form) => page(srv.base, method, path, { session: a.anonymous ? undefined : a.session, form });
const pageActors = () => [...actors, ANON];
const loginAt = (path) => `/login?next=${encodeURIComponent(path)}`;

test('GET /models/{id}: 200 in scope, 404 outside; anonymous → 303 to /login', async (t) => {
  await matrix(t, 'GET /models/{id}', modelColumns(), async (a, c) => {
    const path = `/models/${c.m.id}`;
    const r = await pageAs(a, 'GET', path);
    const want = a.anonymous ? 303 : canRead(a, c.m) ? 200 : 404;
    let problem = null;
    if (r.status === 303 && r.location !== loginAt(path)) problem = `location ${r.location}`;
    if (r.status === 200 && !r.text.includes(c.m.title)) problem = 'the page does not show the model';
    if (r.status !== 200 && r.text.includes(c.m.title)) problem = 'the refusal shows the model';
    if (r.status === 200) {
      const hasEdit = r.text.includes(`href="/models/${c.m.id}/edit"`);
      if (hasEdit !== canEdit(a, c.m)) problem = `edit link ${hasEdit ? 'shown' : 'missing'}`;
    }
    return { got: r.status, want, problem };
  }, pageActors());
});

test('GET /models/{id}/edit: the form only for who may edit; 403 in scope otherwise, 404 outside', async (t) => {
  await matrix(t, 'GET /models/{id}/edit', modelColumns(), async (a, c) => {
    const path = `/models/${c.m.id}/edit`;
    const r = await pageAs(a, 'GET', path);
    const want = a.anonymous ? 303 : !canRead(a, c.m) ? 404 : canEdit(a, c.m) ? 200 : 403;
    let problem = null;
    if (r.status === 303 && r.location !== loginAt(path)) problem = `location ${r.location}`;
    if (r.status !== 200 && r.text.includes(c.m.title)) problem = 'the refusal shows the model';
    return { got: r.status, want, problem };
  }, pageActors());
});

test('POST /models/{id}/edit (with csrf): 303 for who may edit, 403 in scope otherwise, 404 outside; nothing changes when refused', async (t) => {
  await matrix(t, 'POST /models/{id}/edit', modelColumns(), async (a, c) => {
    const before = await adminGet(c.m.id);
    const summary = `Sửa qua biểu mẫu bởi ${a.label} ${token('f')}`;
    const r = await pageAs(a, 'POST', `/models/${c.m.id}/edit`, {
      csrf: a.anonymous ? 'x' : a.session.csrf, version: before.version, op: 'save', summary,
    });
    const want = a.anonymous ? 303 : !canRead(a, c.m) ? 404 : canEdit(a, c.m) ? 303 : 403;
    let problem = null;
    const afterM = await adminGet(c.m.id);
    if (a.anonymous) {
      if (r.location !== loginAt('/models')) problem = `location ${r.location}`;
    } else if (r.status === 303) {
      if (r.location !== `/models/${c.m.id}`) problem = `location ${r.location}`;
      if (afterM.summary !== summary) problem = 'not stored';
      if (afterM.status !== c.m.status) problem = `status became ${afterM.status}`;
    }
    if (r.status !== 303 || a.anonymous) {
      if (afterM.version !== before.version || afterM.summary !== before.summary) problem = `refused with ${r.status} but changed`;
    }
    return { got: r.status, want, problem };
  }, pageActors());
});

/* The registration form as the page sends it. The matrix registers titles that differ
 * only in their token in the same units, which the form would flag as similar models
 * nearby: the box that confirms them is ticked (the warning has its own tests). */
function registrationForm(a, u, title) {
  const m = validModel({ title, unit_code: u.code, hierarchy: u.h });
  return {
    csrf: a.anonymous ? 'x' : a.session.csrf, op: 'save', similar_ok: '1',
    title: m.title, summary: m.summary, field: m.field, kind: m.kind, registration_level: m.registration_level,
    registered_on: '15/03/2024', hierarchy: String(u.h), unit_code: u.code, owner_type: m.owner_type, owner: m.owner,
    tags: m.tags.join(', '), situation: m.situation, objectives: m.objectives, content: m.content,
  };
}

test('POST /models/new (with csrf): 303 for admin/staff/officer with the unit in scope; 403 otherwise; nothing stored when refused', async (t) => {
  await matrix(t, 'POST /models/new (unit of the new model)', unitColumns(), async (a, c) => {
    const title = `${token('pg')} page-created by ${a.label}`;
    const beforeTotal = (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
    const r = await pageAs(a, 'POST', '/models/new', registrationForm(a, c.u, title));
    const want = a.anonymous ? 303 : canCreate(a, c.u) ? 303 : 403;
    let problem = null;
    const found = (await api(srv.base, 'GET', `/api/v1/models?q=${encodeURIComponent(title.split(' ')[0])}`)).json;
    const afterTotal = (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
    if (!a.anonymous && r.status === 303) {
      if (found.total !== 1) problem = `${found.total} models with the title`;
      else {
        registry.push({ id: found.items[0].id, title, places: c.u.places, status: 'registered' });
        if (r.location !== `/models/${found.items[0].id}`) problem = `location ${r.location}`;
      }
    } else {
      if (a.anonymous && r.location !== loginAt('/models')) problem = `location ${r.location}`;
      if (found.total !== 0 || afterTotal !== beforeTotal) problem = `refused with ${r.status} but stored`;
    }
    return { got: r.status, want, problem };
  }, pageActors());
});

test('GET /models/new: the registration form only for roles that register', async (t) => {
  await matrix(t, 'GET /models/new', [{ label: 'form' }], async (a) => {
    const r = await pageAs(a, 'GET', '/models/new');
    const want = a.anonymous ? 303 : REGISTERS.has(a.role) ? 200 : 403;
    return { got: r.status, want, problem: r.status === 303 && r.location !== loginAt('/models/new') ? `location ${r.location}` : null };
  }, pageActors());
});

test('POST /models/{id}/edit with a unit-picker step (op=unit_search): the same rights as the edit form', async (t) => {
  await matrix(t, 'POST /models/{id}/edit op=unit_search', modelColumns(), async (a, c) => {
    const before = await adminGet(c.m.id);
    const r = await pageAs(a, 'POST', `/models/${c.m.id}/edit`, {
      csrf: a.anonymous ? 'x' : a.session.csrf, version: before.version, op: 'unit_search', unit_q: 'tam an',
    });
    const want = a.anonymous ? 303 : !canRead(a, c.m) ? 404 : canEdit(a, c.m) ? 200 : 403;
    const afterM = await adminGet(c.m.id);
    let problem = afterM.version !== before.version ? 'a picker step changed the model' : null;
    if (r.status !== 200 && r.text.includes(c.m.title)) problem = 'the refusal shows the model';
    return { got: r.status, want, problem };
  }, pageActors());
});

test('POST /models/new with a unit-picker step (op=unit_search): only for roles that register', async (t) => {
  await matrix(t, 'POST /models/new op=unit_search', [{ label: 'picker' }], async (a) => {
    const r = await pageAs(a, 'POST', '/models/new', { csrf: a.anonymous ? 'x' : a.session.csrf, op: 'unit_search', unit_q: 'tam an', title: 'x' });
    const want = a.anonymous ? 303 : REGISTERS.has(a.role) ? 200 : 403;
    return { got: r.status, want };
  }, pageActors());
});

test('GET /models (the list page): exactly the models in scope, with their count', async (t) => {
  await matrix(t, 'GET /models?limit=200 — cells are the shown count', [{ label: 'list' }], async (a) => {
    const r = await pageAs(a, 'GET', '/models?limit=200');
    if (a.anonymous) return { got: r.status, want: 303, problem: r.location !== loginAt('/models') ? `location ${r.location}` : null };
    if (r.status !== 200) return { got: r.status, want: 200 };
    const want = registry.filter((m) => canRead(a, m));
    const shown = registry.filter((m) => r.text.includes(m.title.split(' ')[0]));
    const extra = shown.filter((m) => !canRead(a, m));
    const missing = want.filter((m) => !shown.includes(m));
    const count = /<p class="count"[^>]*>[\s\S]*?<strong>([^<]*)<\/strong>/.exec(r.text);
    const n = count ? Number(count[1].replace(/[^\d]/g, '')) : NaN;
    let problem = null;
    if (extra.length) problem = `shows out-of-scope models ${extra.map((m) => m.id).join(',')}`;
    else if (missing.length) problem = `misses ${missing.map((m) => m.id).join(',')}`;
    return { got: n, want: want.length, problem };
  }, pageActors());
});

test('GET /admin/audit and /admin/audit.csv: administrators of the whole country only', async (t) => {
  const columns = [{ label: '/admin/audit', path: '/admin/audit' }, { label: '/admin/audit.csv', path: '/admin/audit.csv' }];
  await matrix(t, 'audit pages', columns, async (a, c) => {
    const r = await pageAs(a, 'GET', c.path);
    const want = a.anonymous ? 303 : canReadAudit(a) ? 200 : 403;
    let problem = null;
    if (r.status === 303 && r.location !== loginAt(c.path)) problem = `location ${r.location}`;
    if (r.status === 403 && /sign_in|"action"/.test(r.text)) problem = 'a 403 with audit content';
    return { got: r.status, want, problem };
  }, pageActors());
});

test('every page sent to a signed-in user carries the session\'s csrf token in its forms', async () => {
  for (const a of actors.slice(0, 3)) {
    const r = await pageAs(a, 'GET', `/models/${models.tamAn.id}/edit`);
    assert.equal(r.status, 200);
    assert.equal(csrfFrom(r.text), a.session.csrf, `${a.label}: edit form csrf`);
  }
});

test('moving a model: only inside the editor\'s scope (PATCH and the edit form)', async (t) => {
  const columns = [
    { label: 'PATCH →00004/24', via: 'api', to: UNITS.trucBach },
    { label: 'PATCH →20374/24', via: 'api', to: UNITS.tamDan },
    { label: 'form →00004/24', via: 'form', to: UNITS.trucBach },
    { label: 'form →20374/24', via: 'form', to: UNITS.tamDan },
  ];
  // (a unit changes only while the model is a draft)
  await matrix(t, 'move a draft Tam An model to another unit', columns, async (a, c) => {
    const title = `${token('mv')} mover for ${a.label}`;
    const m = await createModel(srv.base, { title, status: 'draft' });
    const entry = { id: m.id, title, places: UNITS.tamAn.places, status: 'draft' };
    registry.push(entry);
    let r;
    if (c.via === 'api') {
      r = await call(a, 'PATCH', `/api/v1/models/${m.id}`, { unit_code: c.to.code, hierarchy: c.to.h }, { 'If-Match': `"${m.version}"` });
    } else {
      r = await pageAs(a, 'POST', `/models/${m.id}/edit`, {
        csrf: a.anonymous ? 'x' : a.session.csrf, version: m.version, op: 'save', unit_code: c.to.code, hierarchy: String(c.to.h),
      });
    }
    const ok = c.via === 'api' ? 200 : 303;
    const want = a.anonymous ? (c.via === 'api' ? 401 : 303) : !canRead(a, entry) ? 404
      : canEdit(a, entry) && inScope(a, c.to.places) ? ok : 403;
    const afterM = await adminGet(m.id);
    let problem = c.via === 'api' ? apiProblem(r) : null;
    if (r.status === ok && !a.anonymous) {
      if (afterM.unit_code !== c.to.code) problem = `not moved: ${afterM.unit_code}`;
      entry.places = c.to.places;
    } else if (afterM.unit_code !== UNITS.tamAn.code || afterM.version !== m.version) {
      problem = `refused with ${r.status} but moved to ${afterM.unit_code}`;
    }
    return { got: r.status, want, problem };
  }, apiActors().filter((a) => !a.badToken));
});
