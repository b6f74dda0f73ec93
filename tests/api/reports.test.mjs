// reports.test.mjs: the seven reports of issue 6 against an independent count (a property test).
//
// A seeded generator makes a few hundred models through the API on the demo catalogue (both
// hierarchies, villages, a commune split by the mapping, units of every level), moves them
// through the lifecycle with decision dates, edits them afterwards (field, kind, unit, dates,
// typical, results), and records replications, conferences and awards. The test keeps its own
// ledger of what it made, places every record in both hierarchies from the catalogue CSVs and
// the mapping (data/demo/), and for many random parameter sets (the country and units of every
// level of both hierarchies, whole, partial and spanning periods, statuses, field and kind)
// counts every report itself and compares each cell and totals row with
// GET /api/v1/reports/{name}. It also checks that the stored rows are the ledger, that
// model_tally is the GROUP BY of the models, that `dvk report` prints the same JSON and that
// the CSV carries the same numbers; then the error cases.
//
// The seed is new on every run and printed with every failure; DVK_SEED=N reproduces a run
// (on the same day: dates are drawn up to yesterday). DVK_REPORT_MODELS (300) and
// DVK_REPORT_QUERIES (40 per report) make a run larger, to search more widely by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, addUser, runDvk, runDvkStatus, ROOT } from '../lib/server.mjs';
import { api, assertError, validModel } from '../lib/http.mjs';
import { parseCsv } from '../lib/data.mjs';
import { isoDay, PASSING } from '../lib/lifecycle.mjs';
import { sqlJson } from '../lib/sqlite.mjs';
import { loadPo } from '../lib/po.mjs';
import { signInOk, cookieHeaders } from '../lib/session.mjs';

const SEED = process.env.DVK_SEED ? Number(process.env.DVK_SEED) : Math.floor(Math.random() * 2 ** 31);
const N_MODELS = Number(process.env.DVK_REPORT_MODELS || 300);
const N_QUERIES = Number(process.env.DVK_REPORT_QUERIES || 40); // per report
console.log(`# reports.test.mjs: DVK_SEED=${SEED} (set DVK_SEED=${SEED} to run this case again)`);
const seedNote = `(DVK_SEED=${SEED})`;

// ---- seeded random numbers (the mulberry32 generator) ----------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* Each model draws from a stream of its own, so that the models made at once (in any order)
 * make the same choices for the same seed. */
const streamOf = (k) => rng((SEED ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
const R = streamOf(-1); // the plan's own choices (conferences, awards, replication counts)
const chance = (p, r = R) => r() < p;
const int = (lo, hi, r = R) => lo + Math.floor(r() * (hi - lo + 1));
const pick = (xs, r = R) => xs[Math.floor(r() * xs.length)];
/* pick by weights: [[w, value], ...] */
function weighted(pairs, r = R) {
  let x = r() * pairs.reduce((s, [w]) => s + w, 0);
  for (const [w, v] of pairs) if ((x -= w) < 0) return v;
  return pairs[pairs.length - 1][1];
}

// ---- dates ---------------------------------------------------------------------------------------
const DAY = 86400000;
const toDay = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
const YESTERDAY = isoDay(-1);
const yearOf = (d) => Number(d.slice(0, 4));
const minD = (a, b) => (a < b ? a : b);
const maxD = (a, b) => (a > b ? a : b);
/* A day in [lo, hi]; one in ten is the first or last day of a year, to probe the edges. */
function randDate(lo, hi, r = R) {
  if (chance(0.1, r)) {
    const y = int(yearOf(lo), yearOf(hi), r);
    const d = chance(0.5, r) ? `${y}-01-01` : `${y}-12-31`;
    if (d >= lo && d <= hi) return d;
  }
  return fromDay(int(toDay(lo), toDay(hi), r));
}

// ---- the demo catalogue and mapping, from the files dvk init --demo loads -------------------
const DEMO = path.join(ROOT, 'data', 'demo');
const readDemo = (f) => parseCsv(readFileSync(path.join(DEMO, f), 'utf8'));
const CAT = { 2024: new Map(), 2025: new Map() };
const KIDS = { 2024: new Map(), 2025: new Map() };
for (const h of [2024, 2025]) {
  for (const u of readDemo(`units-${h}.csv`)) {
    const unit = { code: u.code, name: u.name, parent: u.parent_code, level: Number(u.level) };
    CAT[h].set(u.code, unit);
    if (!KIDS[h].has(unit.parent)) KIDS[h].set(unit.parent, []);
    KIDS[h].get(unit.parent).push(u.code);
  }
}
const COMMUNE = { 2024: 3, 2025: 2 };
const kids = (h, code) => KIDS[h].get(code) || [];
const NEW_OF = new Map();
const OLD_OF = new Map();
function addMapping(o, n) {
  if (!NEW_OF.has(o)) NEW_OF.set(o, new Set());
  if (!OLD_OF.has(n)) OLD_OF.set(n, new Set());
  NEW_OF.get(o).add(n);
  OLD_OF.get(n).add(o);
}
for (const m of readDemo('mapping.csv')) addMapping(m.old_code, m.new_code);
// villages the test adds through the API before anything else (the next code under their commune)
const NEW_VILLAGES = [{ h: 2024, parent: '20368', code: '20368-02', name: 'Thôn Tam An Mới' },
  { h: 2025, parent: '07282', code: '07282-01', name: 'Thôn Đồng Kỳ Mới' }];
for (const v of NEW_VILLAGES) {
  CAT[v.h].set(v.code, { code: v.code, name: v.name, parent: v.parent, level: COMMUNE[v.h] + 1 });
  KIDS[v.h].get(v.parent)?.push(v.code) ?? KIDS[v.h].set(v.parent, [v.code]);
}
const sorted = (set) => [...(set || [])].sort();
const levelName = (h, lv) => (lv === 1 ? 'province' : h === 2024 && lv === 2 ? 'district' : lv === COMMUNE[h] ? 'commune' : 'village');
const unitsAt = (h, kind) => [...CAT[h].values()].filter((u) => levelName(h, u.level) === kind).map((u) => u.code);

/* Where a record of unit (h, code) lies in both hierarchies, as the columns p24 d24 c24 p25 c25
 * ('' where unknown): its ancestors, and the other hierarchy through the mapping (a new commune
 * only when the old one maps to exactly one; the 2024 places that all old communes share). */
function place(h, code) {
  const p = { p24: '', d24: '', c24: '', p25: '', c25: '' };
  for (let u = CAT[h].get(code); u; u = CAT[h].get(u.parent)) {
    const k = levelName(h, u.level);
    if (k === 'province') p[h === 2024 ? 'p24' : 'p25'] = u.code;
    else if (k === 'district') p.d24 = u.code;
    else if (k === 'commune') p[h === 2024 ? 'c24' : 'c25'] = u.code;
  }
  if (h === 2024) {
    const nw = sorted(NEW_OF.get(p.c24));
    if (p.c24 && nw.length) {
      if (nw.length === 1) p.c25 = nw[0];
      p.p25 = CAT[2025].get(nw[0]).parent;
    } else if (p.p24) {
      // provinces merged whole: every old commune of p24 went to the same new province
      const ps = new Set();
      for (const d of kids(2024, p.p24)) for (const c of kids(2024, d)) for (const n of NEW_OF.get(c) || []) ps.add(CAT[2025].get(n).parent);
      assert.ok(ps.size <= 1, `demo catalogue: 2024 province ${p.p24} went to ${[...ps]}`);
      p.p25 = [...ps][0] || '';
    }
  } else if (p.c25) {
    const old = sorted(OLD_OF.get(p.c25));
    if (old.length) {
      const ds = new Set(old.map((c) => CAT[2024].get(c).parent));
      const ps = new Set([...ds].map((d) => CAT[2024].get(d).parent));
      if (old.length === 1) p.c24 = old[0];
      if (ds.size === 1) p.d24 = [...ds][0];
      if (ps.size === 1) p.p24 = [...ps][0];
    }
  }
  return p;
}

// ---- the vocabulary --------------------------------------------------------------------------------
const FIELDS = ['economic', 'cultural_social', 'defense_security', 'political_system'];
const KINDS = ['collective', 'individual'];
const LEVELS = ['province', 'district', 'commune'];
const STATUSES = ['draft', 'registered', 'selected', 'rejected', 'implementing', 'appraised', 'recognized', 'not_recognized', 'withdrawn'];
const INDICATORS = ['households', 'people', 'land_m2', 'money_vnd', 'working_days', 'road_km', 'lighting_km', 'area_ha',
  'yield_t_ha', 'houses', 'cameras', 'members'];
const FORMS = ['certificate_of_merit', 'certificate', 'emulation_flag', 'other'];

// ---- the ledger: what the test made, as it should be stored --------------------------------------
const models = [];   // { id, h, unit, place, field, kind, level, reg, status, recOn, typical, results: Map 'y|ind' -> v }
const reps = [];     // { id, model (ledger entry), h, unit, place, since }
const events = [];   // { id, h, unit, place, level, kind, held }
const awards = [];   // { id, type, model, h, unit, place, form, event, decisionDate, amount, created }
const byPlan = [];   // the models made by the test, by their index in the plan

function placeAll() {
  for (const x of [...models, ...reps, ...events, ...awards]) x.place = place(x.h, x.unit);
}

// ---- HTTP helpers ----------------------------------------------------------------------------------
let srv;
const U = {};
const EN = { 'Accept-Language': 'en' };
async function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${r.status}: ${r.text} ${seedNote}`);
  return r.json;
}
const post = (p, body) => api(srv.base, 'POST', p, { body, headers: EN });
async function getModel(id) {
  return ok(await api(srv.base, 'GET', `/api/v1/models/${id}`, { headers: EN }), 200, `GET model ${id}`);
}
async function patch(m, body) {
  const cur = await getModel(m.id);
  const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body, headers: { ...EN, 'If-Match': `"${cur.version}"` } });
  return ok(r, 200, `PATCH model ${m.id} ${JSON.stringify(body)}`);
}
async function step(m, to, decisionDate, extra = {}) {
  const body = { to, comment: `Ý kiến: chuyển sang ${to}`, decision_no: `${m.id}-QĐ/BDV`, ...extra };
  if (decisionDate) body.decision_date = decisionDate;
  const j = await ok(await post(`/api/v1/models/${m.id}/transitions`, body), 200, `model ${m.id}: ${m.status} -> ${to}`);
  assert.equal(j.status, to);
  m.status = to;
  m.recOn = to === 'recognized' ? decisionDate : null;
  if (to !== 'recognized') m.typical = false;
}
async function appraise(m) {
  const body = { visit_date: randDateFor(m), members: 'Nguyễn Văn A, Trưởng đoàn\nTrần Thị B', scores: PASSING };
  await ok(await post(`/api/v1/models/${m.id}/appraisals`, body), 201, `appraisal of ${m.id}`);
  if (m.status === 'implementing') m.status = 'appraised';
}
/* Runs fn over items, n at a time. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all([...Array(n)].map(async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

// ---- the plan: every random choice is made before anything runs, so ids and timing change nothing ---
const U24 = { village: unitsAt(2024, 'village'), commune: unitsAt(2024, 'commune'), district: unitsAt(2024, 'district'), province: unitsAt(2024, 'province') };
const U25 = { village: unitsAt(2025, 'village'), commune: unitsAt(2025, 'commune'), province: unitsAt(2025, 'province') };
// The commune the test splits (07285 Xã An Thượng, 2024, went to 07264; it gets 07282 too),
// its village, and the new communes: models, replications, conferences and awards are put there.
const SPLIT = { old: '07285', village: '07285-01', into: '07264', also: '07282' };
const HOT24 = [SPLIT.old, SPLIT.village, '07264', '07282', '20368', '20368-01', '20368-02'];
const HOT25 = ['07264', '07282', '07264-01', '07282-01', '20380', '20380-01'];
function randUnit(h, r = R) {
  const [hot, from] = h === 2024 ? [HOT24, U24] : [HOT25, U25];
  const level = weighted([[6, 'hot'], [10, 'village'], [60, 'commune'], [h === 2024 ? 6 : 0, 'district'], [3, 'province']], r);
  return pick(level === 'hot' ? hot : from[level], r);
}
function randReg(h, r = R) {
  if (h === 2024) return randDate('2019-01-01', '2025-06-30', r);
  return chance(0.7, r) ? randDate('2025-07-01', YESTERDAY, r) : randDate('2019-01-01', '2025-06-30', r);
}
const randDateFor = (m) => randDate(m.reg, YESTERDAY, m.plan.r);
function randResults(r = R) {
  const out = [];
  const seen = new Set();
  for (let i = int(0, 4, r); i > 0; i--) {
    const y = int(2019, 2026, r);
    const ind = pick(INDICATORS, r);
    if (seen.has(`${y}|${ind}`)) continue;
    seen.add(`${y}|${ind}`);
    out.push({ year: y, indicator: ind, value: int(0, 4000, r) / 2 });
  }
  return out;
}
const PATHS = {
  registered: [], selected: ['selected'], rejected: ['rejected'], implementing: ['selected', 'implementing'],
  appraised: ['selected', 'implementing', 'APPRAISAL'], recognized: ['selected', 'implementing', 'APPRAISAL', 'recognized'],
};
function planModel(i) {
  const r = streamOf(i);
  const [chance_, pick_, weighted_] = [(x) => chance(x, r), (xs) => pick(xs, r), (ps) => weighted(ps, r)];
  const h = chance_(0.55) ? 2024 : 2025;
  const p = {
    i, r, h, unit: randUnit(h, r), field: pick_(FIELDS), kind: pick_(KINDS), level: pick_(LEVELS), reg: randReg(h, r), results: randResults(r),
  };
  p.target = weighted_([[8, 'draft'], [9, 'registered'], [7, 'selected'], [6, 'rejected'], [7, 'implementing'], [7, 'appraised'],
    [36, 'recognized'], [8, 'not_recognized'], [12, 'withdrawn']]);
  // a draft edited before it is sent: the unit (maybe in the other hierarchy), field, kind, level, date
  if (chance_(0.15)) {
    const h2 = chance_(0.7) ? h : 4049 - h;
    p.draftEdit = { hierarchy: h2, unit_code: randUnit(h2, r), field: pick_(FIELDS), kind: pick_(KINDS), registration_level: pick_(LEVELS), registered_on: randReg(h2, r) };
  }
  // a registration returned to the sender, corrected and sent again
  if (p.target !== 'draft' && chance_(0.1)) p.returned = { field: pick_(FIELDS) }; // and a new unit and date, drawn when it runs
  if (p.target === 'not_recognized') p.via = chance_(0.5) ? 'recognized' : 'appraised';
  if (p.target === 'withdrawn') p.before = pick_(['draft', 'registered', 'selected', 'rejected', 'implementing', 'appraised', 'recognized']);
  p.typical = chance_(0.45);
  p.dates = [...Array(4)].map(() => r()); // where in [registration, yesterday] each decision falls
  // an edit once the lifecycle is done: field, kind, registration date, results
  if (chance_(0.2)) {
    p.lateEdit = {};
    if (chance_(0.5)) p.lateEdit.field = pick_(FIELDS);
    if (chance_(0.4)) p.lateEdit.kind = pick_(KINDS);
    if (chance_(0.4)) p.lateEdit.registered_on = null; // chosen when it runs (it depends on the final hierarchy)
    if (chance_(0.4)) p.lateEdit.results = randResults(r);
  }
  return p;
}
const dateAt = (m, f) => fromDay(toDay(m.reg) + Math.floor(f * (toDay(YESTERDAY) - toDay(m.reg) + 1)));

async function runModel(p) {
  const body = validModel({
    title: `Mô hình ${p.i} ${SEED}`, field: p.field, kind: p.kind, unit_code: p.unit, hierarchy: p.h, registration_level: p.level,
    registered_on: p.reg, results: p.results, status: p.draftEdit || p.target === 'draft' || (p.target === 'withdrawn' && p.before === 'draft') ? 'draft' : 'registered',
    period_from: undefined, period_to: undefined,
  });
  delete body.period_from;
  delete body.period_to;
  const j = await ok(await post('/api/v1/models', body), 201, `POST model ${p.i}`);
  const m = {
    id: j.id, h: p.h, unit: p.unit, field: p.field, kind: p.kind, level: p.level, reg: p.reg, status: body.status, recOn: null,
    typical: false, results: new Map(p.results.map((r) => [`${r.year}|${r.indicator}`, r.value])), plan: p,
  };
  models.push(m);
  byPlan[p.i] = m;
  if (p.draftEdit) {
    await patch(m, p.draftEdit);
    Object.assign(m, { h: p.draftEdit.hierarchy, unit: p.draftEdit.unit_code, field: p.draftEdit.field, kind: p.draftEdit.kind,
      level: p.draftEdit.registration_level, reg: p.draftEdit.registered_on });
  }
  if (p.target === 'draft' || (p.target === 'withdrawn' && p.before === 'draft')) {
    if (p.target === 'withdrawn') await step(m, 'withdrawn');
    return;
  }
  if (m.status === 'draft') await step(m, 'registered');
  if (p.returned) {
    await step(m, 'draft');
    const fix = { field: p.returned.field, registered_on: randReg(m.h, p.r), unit_code: randUnit(m.h, p.r) };
    await patch(m, fix);
    Object.assign(m, { field: fix.field, reg: fix.registered_on, unit: fix.unit_code });
    await step(m, 'registered');
  }
  const target = p.target === 'withdrawn' ? p.before : p.target === 'not_recognized' ? p.via : p.target;
  const steps = PATHS[target] || [];
  let k = 0;
  for (const s of steps) {
    if (s === 'APPRAISAL') await appraise(m);
    else await step(m, s, dateAt(m, p.dates[k++ % 4]));
  }
  if (m.status === 'recognized' && p.typical) {
    await patch(m, { typical: true, typical_reason: 'Hiệu quả, được nhân dân đồng tình' });
    m.typical = true;
  }
  if (p.target === 'not_recognized') await step(m, 'not_recognized', dateAt(m, p.dates[3]));
  if (p.target === 'withdrawn') await step(m, 'withdrawn');
}

async function lateEdit(m) {
  const e = m.plan.lateEdit;
  const body = {};
  if (e.field) body.field = e.field;
  if (e.kind) body.kind = e.kind;
  if ('registered_on' in e) body.registered_on = m.h === 2024 ? randDate('2019-01-01', '2025-06-30', m.plan.r) : randDate('2019-01-01', YESTERDAY, m.plan.r);
  if (e.results) body.results = e.results;
  if (!Object.keys(body).length) return;
  await patch(m, body);
  if (body.field) m.field = body.field;
  if (body.kind) m.kind = body.kind;
  if (body.registered_on) m.reg = body.registered_on;
  if (body.results) m.results = new Map(body.results.map((r) => [`${r.year}|${r.indicator}`, r.value]));
}

async function addReplications(m, n) {
  const r = m.plan.r;
  for (let i = 0; i < n; i++) {
    const h = chance(0.5, r) ? 2024 : 2025;
    const unit = chance(5 / 17, r) ? pick(h === 2024 ? HOT24 : HOT25, r) : randUnit(h, r);
    const own = (h === m.h && unit === m.unit) || (h === 2024 && unit === m.place.c24) || (h === 2025 && unit === m.place.c25);
    if (own || reps.some((r) => r.model === m && r.h === h && r.unit === unit)) continue;
    const since = randDate('2019-01-01', YESTERDAY, r);
    const j = await ok(await post(`/api/v1/models/${m.id}/replications`, { hierarchy: h, unit_code: unit, since }), 201,
      `replication of ${m.id} to ${h}/${unit}`);
    reps.push({ id: j.id, model: m, h, unit, since });
  }
}

function planEvent() {
  const h = chance(0.5) ? 2024 : 2025;
  const level = h === 2024 ? weighted([[2, 'province'], [3, 'district'], [5, 'commune']]) : weighted([[3, 'province'], [7, 'commune']]);
  const from = h === 2024 ? U24 : U25;
  const unit = level === 'commune' && chance(0.3) ? (h === 2024 ? SPLIT.old : SPLIT.into) : pick(from[level]);
  const held = randDate('2019-01-01', YESTERDAY);
  const span = pick([1, 2, 3, 5, 10, 15]);
  return { h, unit, level, kind: pick(['interim', 'final']), held, span };
}
async function addEvent(e) {
  const pf = `${Math.max(2000, yearOf(e.held) - e.span)}-01-01`;
  const body = { title: `Hội nghị ${e.kind} ${e.unit} ${SEED}`, kind: e.kind, span_years: e.span, hierarchy: e.h, unit_code: e.unit,
    level: e.level, held_on: e.held, period_from: pf, period_to: e.held };
  const j = await ok(await post('/api/v1/conferences', body), 201, `conference ${JSON.stringify(body)}`);
  events.push({ id: j.id, h: e.h, unit: e.unit, level: e.level, kind: e.kind, held: e.held });
}
function planAward() {
  const type = weighted([[5, 'model'], [3, 'organization'], [2, 'person']]);
  const a = { type, form: pick(FORMS), eventIx: chance(0.5) ? int(0, 1 << 20) : -1, decision: chance(0.6) ? R() : null,
    amount: chance(0.6) ? int(0, 40) * 500000 : null, modelIx: int(0, 1 << 20) };
  if (type !== 'model') {
    a.h = chance(0.5) ? 2024 : 2025;
    a.unit = chance(0.2) ? (a.h === 2024 ? SPLIT.village : SPLIT.into) : randUnit(a.h);
  }
  return a;
}
async function addAward(a) {
  const body = { recipient_type: a.type, form: a.form, issuer: 'Ban Thường vụ Tỉnh ủy' };
  const ev = a.eventIx >= 0 && events.length ? events[a.eventIx % events.length] : null;
  let m = null;
  if (a.type === 'model') {
    m = byPlan[a.modelIx % byPlan.length];
    body.model_id = m.id;
  } else {
    body.recipient_name = a.type === 'person' ? 'Ông Nguyễn Văn Ba' : 'Hội Nông dân xã';
    body.hierarchy = a.h;
    body.unit_code = a.unit;
  }
  if (ev) body.event_id = ev.id;
  let decisionDate = null;
  if (a.decision !== null) {
    decisionDate = fromDay(toDay('2019-01-01') + Math.floor(a.decision * (toDay(YESTERDAY) - toDay('2019-01-01') + 1)));
    body.decision_no = '15-QĐ/TU';
    body.decision_date = decisionDate;
  }
  if (a.amount !== null) body.amount_vnd = a.amount;
  const j = await ok(await post('/api/v1/awards', body), 201, `award ${JSON.stringify(body)}`);
  awards.push({ id: j.id, type: a.type, model: m, h: m ? m.h : a.h, unit: m ? m.unit : a.unit, form: a.form, event: ev,
    decisionDate, amount: a.amount, created: j.created_at.slice(0, 10) });
}

// ---- cases made every run, whatever the seed (regressions) -----------------------------------------
const FIXED = {};
async function fixedCases() {
  // recognized in 2022, then its registration date corrected to 2023: counted in 2022 in the
  // province's time series as in the country's (the province's once required registration <= the period)
  const j = await ok(await post('/api/v1/models', validModel({ title: `Sửa ngày đăng ký ${SEED}`, unit_code: '20368', hierarchy: 2024,
    registered_on: '2021-03-01', results: [{ year: 2022, indicator: 'road_km', value: 2.5 }], field: 'economic', kind: 'collective' })), 201, 'fixed model');
  const m = { id: j.id, h: 2024, unit: '20368', field: 'economic', kind: 'collective', level: 'commune', reg: '2021-03-01', status: 'registered',
    recOn: null, typical: false, results: new Map([['2022|road_km', 2.5]]), plan: { r: streamOf(-2) } };
  models.push(m);
  m.place = place(m.h, m.unit);
  await step(m, 'selected', '2021-04-01');
  await step(m, 'implementing');
  await appraise(m);
  await step(m, 'recognized', '2022-05-10');
  await patch(m, { registered_on: '2023-02-01' });
  m.reg = '2023-02-01';
  FIXED.late = m;
  // a replication, a conference and an award in the commune that is split below
  const rj = await ok(await post(`/api/v1/models/${m.id}/replications`, { hierarchy: 2024, unit_code: SPLIT.old, since: '2024-05-05' }), 201, 'fixed replication');
  reps.push({ id: rj.id, model: m, h: 2024, unit: SPLIT.old, since: '2024-05-05' });
  await addEvent({ h: 2024, unit: SPLIT.old, level: 'commune', kind: 'interim', held: '2024-06-06', span: 3 });
  const aj = await ok(await post('/api/v1/awards', { recipient_type: 'organization', recipient_name: 'Chi hội Phụ nữ thôn Tân An', form: 'certificate',
    issuer: 'UBND huyện Yên Thế', decision_no: '7-QĐ/UBND', decision_date: '2024-07-07', hierarchy: 2024, unit_code: SPLIT.village }), 201, 'fixed award');
  awards.push({ id: aj.id, type: 'organization', model: null, h: 2024, unit: SPLIT.village, form: 'certificate', event: null,
    decisionDate: '2024-07-07', amount: null, created: aj.created_at.slice(0, 10) });
  FIXED.split = { rep: rj.id, event: events[events.length - 1].id, award: aj.id };
}

// ---- setup ------------------------------------------------------------------------------------------
const plans = [...Array(N_MODELS)].map((_, i) => planModel(i));
const eventPlans = [...Array(24)].map(planEvent);
const awardPlans = [...Array(60)].map(planAward);
const repCounts = plans.map(() => (chance(0.3) ? int(1, 3) : 0));
const afterSplit = plans.map(() => chance(0.08)); // a second round of edits once the commune is split

before(async () => {
  srv = await startServer({ demo: true });
  // the demo models (dvk init --demo): recorded as recognized or in progress, without a transition
  const demo = JSON.parse(readFileSync(path.join(DEMO, 'models.json'), 'utf8'));
  const ids = await sqlJson(srv.dbPath, 'SELECT id, title FROM models ORDER BY id');
  assert.equal(ids.length, demo.length);
  for (const d of demo) {
    const row = ids.find((x) => x.title === d.title);
    models.push({
      id: row.id, h: d.hierarchy, unit: d.unit_code, field: d.field, kind: d.kind, level: d.registration_level, reg: d.registered_on,
      status: d.status, recOn: null, typical: !!d.typical, demo: true,
      results: new Map((d.results || []).map((r) => [`${r.year}|${r.indicator}`, r.value])),
    });
  }
  // the demo's replications, conferences and awards (data/demo/spread.json), read back as stored
  const byId = new Map(models.map((m) => [m.id, m]));
  for (const r of await sqlJson(srv.dbPath, 'SELECT id, model_id, hierarchy, unit_code, since FROM replications ORDER BY id')) {
    reps.push({ id: r.id, model: byId.get(r.model_id), h: r.hierarchy, unit: r.unit_code, since: r.since });
  }
  for (const e of await sqlJson(srv.dbPath, 'SELECT id, hierarchy, unit_code, level, kind, held_on FROM commendation_events ORDER BY id')) {
    events.push({ id: e.id, h: e.hierarchy, unit: e.unit_code, level: e.level, kind: e.kind, held: e.held_on });
  }
  for (const a of await sqlJson(srv.dbPath, `SELECT id, recipient_type, model_id, hierarchy, unit_code, form, event_id,
      decision_date, amount_vnd, created_at FROM awards ORDER BY id`)) {
    awards.push({ id: a.id, type: a.recipient_type, model: a.model_id ? byId.get(a.model_id) : null, h: a.hierarchy,
      unit: a.unit_code, form: a.form, event: a.event_id ? events.find((e) => e.id === a.event_id) : null,
      decisionDate: a.decision_date, amount: a.amount_vnd, created: a.created_at.slice(0, 10) });
  }
  const t0 = Date.now();
  for (const v of NEW_VILLAGES) {
    const r = await ok(await post(`/api/v1/units/${v.parent}/villages?hierarchy=${v.h}`, { name: v.name }), 201, `village under ${v.parent}`);
    assert.equal(r.code, v.code, 'the next village code under the commune');
  }
  await pool(plans, 6, runModel);
  placeAll();
  await pool(byPlan.filter((m) => m.plan.lateEdit), 6, lateEdit);
  await pool(byPlan.filter((m) => repCounts[m.plan.i]), 6, (m) => addReplications(m, repCounts[m.plan.i]));
  for (const e of eventPlans) await addEvent(e);
  for (const a of awardPlans) await addAward(a);
  await fixedCases();
  // the split: 07285 now goes to two new communes; its models, replications, conferences and
  // awards lose their 2025 commune (the province stays: provinces merged whole)
  const extra = path.join(srv.dir, 'split.csv');
  await writeFile(extra, `old_code,new_code\n${SPLIT.old},${SPLIT.also}\n`);
  await runDvk(['units', 'import', '--db', srv.dbPath, '--mapping', extra]);
  addMapping(SPLIT.old, SPLIT.also);
  placeAll();
  // and edits after it, so that the triggers see places computed with the new mapping
  await pool(byPlan.filter((m) => afterSplit[m.plan.i]), 6, async (m) => {
    if (m.status === 'recognized') {
      if (m.typical) {
        await patch(m, { typical: false, typical_reason: '' });
        m.typical = false;
      } else await step(m, 'not_recognized', randDateFor(m));
    } else if (m.status === 'draft') {
      const unit = chance(0.5, m.plan.r) ? SPLIT.village : SPLIT.old;
      await patch(m, { hierarchy: 2024, unit_code: unit, registered_on: '2025-06-30' });
      Object.assign(m, { h: 2024, unit, reg: '2025-06-30', place: place(2024, unit) });
    } else {
      const f = pick(FIELDS, m.plan.r);
      await patch(m, { field: f });
      m.field = f;
    }
  });
  U.officer = await addUser(srv, 'rp_officer', 'officer', '20368', 2024); // Xã Tam An, Tỉnh Quảng Nam (2024)
  console.log(`# reports.test.mjs: ${models.length} models, ${reps.length} replications, ${events.length} conferences, `
    + `${awards.length} awards made in ${Date.now() - t0} ms`);
});
after(async () => { if (srv) await srv.stop(); });

// ---- the stored rows are the ledger ---------------------------------------------------------------
const placeOf = (row) => ({ p24: row.p24, d24: row.d24, c24: row.c24, p25: row.p25, c25: row.c25 });
const PLACE_SQL = "coalesce(p24, '') p24, coalesce(d24, '') d24, coalesce(c24, '') c24, coalesce(p25, '') p25, coalesce(c25, '') c25";

test('the stored models, results, replications, conferences and awards are what the test made, placed by the catalogue and the mapping', async () => {
  const rows = await sqlJson(srv.dbPath, `SELECT id, hierarchy, unit_code, field, kind, registration_level, status, registered_on,
    recognized_on, typical, ${PLACE_SQL} FROM models ORDER BY id`);
  assert.equal(rows.length, models.length);
  const byId = new Map(models.map((m) => [m.id, m]));
  for (const r of rows) {
    const m = byId.get(r.id);
    assert.ok(m, `model ${r.id} is not in the ledger`);
    assert.deepEqual(
      { h: r.hierarchy, unit: r.unit_code, field: r.field, kind: r.kind, level: r.registration_level, status: r.status, reg: r.registered_on,
        recOn: r.recognized_on, typical: !!r.typical, place: placeOf(r) },
      { h: m.h, unit: m.unit, field: m.field, kind: m.kind, level: m.level, status: m.status, reg: m.reg, recOn: m.recOn,
        typical: m.typical, place: m.place },
      `model ${r.id} ${seedNote}`);
  }
  const res = await sqlJson(srv.dbPath, 'SELECT model_id, year, indicator, value FROM model_results');
  const want = models.flatMap((m) => [...m.results].map(([k, v]) => `${m.id}|${k}|${v}`)).sort();
  assert.deepEqual(res.map((r) => `${r.model_id}|${r.year}|${r.indicator}|${r.value}`).sort(), want, `results ${seedNote}`);
  const check = async (table, cols, list, fn) => {
    const got = await sqlJson(srv.dbPath, `SELECT id, ${cols}, ${PLACE_SQL} FROM ${table} ORDER BY id`);
    assert.deepEqual(got.map((r) => ({ ...r, place: placeOf(r), p24: undefined, d24: undefined, c24: undefined, p25: undefined, c25: undefined })),
      [...list].sort((a, b) => a.id - b.id).map((x) => ({ id: x.id, ...fn(x), place: x.place, p24: undefined, d24: undefined, c24: undefined, p25: undefined, c25: undefined })),
      `${table} ${seedNote}`);
  };
  await check('replications', 'model_id, hierarchy, unit_code, since', reps, (x) => ({ model_id: x.model.id, hierarchy: x.h, unit_code: x.unit, since: x.since }));
  await check('commendation_events', 'hierarchy, unit_code, level, kind, held_on', events, (x) => ({ hierarchy: x.h, unit_code: x.unit, level: x.level, kind: x.kind, held_on: x.held }));
  await check('awards', 'hierarchy, unit_code, recipient_type, form, event_id, decision_date, amount_vnd', awards, (x) => ({
    hierarchy: x.h, unit_code: x.unit, recipient_type: x.type, form: x.form, event_id: x.event ? x.event.id : null,
    decision_date: x.decisionDate, amount_vnd: x.amount }));
});

test('the rows recorded in a commune before it was found split lose its new commune, not their province', async () => {
  const got = await sqlJson(srv.dbPath, `SELECT 'r' t, ${PLACE_SQL} FROM replications WHERE id = ${FIXED.split.rep}
    UNION ALL SELECT 'e', ${PLACE_SQL} FROM commendation_events WHERE id = ${FIXED.split.event}
    UNION ALL SELECT 'a', ${PLACE_SQL} FROM awards WHERE id = ${FIXED.split.award}`);
  assert.deepEqual(got.map((r) => [r.t, r.c25, r.p25, r.c24]), [['r', '', '24', SPLIT.old], ['e', '', '24', SPLIT.old], ['a', '', '24', SPLIT.old]]);
  // so the new commune's report no longer counts them, and the new province shows them as not assigned
  const q = { from: '2024-01-01', to: '2024-12-31', status: 'all' };
  for (const [name, key] of [['replication', 'replications'], ['commendation', 'interim'], ['commendation', 'awards']]) {
    const into = await report(name, { ...q, h: 2025, unit: SPLIT.into });
    const prov = await report(name, { ...q, h: 2025, unit: '24' });
    const un = prov.tables.find((t) => t.name === 'by_unit').rows.find((r) => r.unassigned);
    assert.ok(un && un[key] >= 1, `${name}: the 2025 province 24 has a "not assigned" row with ${key}: ${JSON.stringify(un)}`);
    const d = diff(actual(into), expected(name, { ...q, h: 2025, unit: SPLIT.into }));
    assert.ok(!d, `${name} of ${SPLIT.into}: ${d}`);
  }
});

test('a registration date corrected after the recognition: counted in the year of the recognition, in a province as in the country', async () => {
  const m = FIXED.late;
  for (const unit of [null, '49', '518', '20368', '48', '20380']) {
    const h = unit && ['48', '20380'].includes(unit) ? 2025 : 2024;
    const j = await report('timeseries', { h, unit, from: '2022-01-01', to: '2022-12-31', status: 'all' });
    const want = expected('timeseries', { h, unit, from: '2022-01-01', to: '2022-12-31', status: 'all' });
    assert.ok(!diff(actual(j), want), `timeseries ${h} ${unit}: ${diff(actual(j), want)}`);
    assert.ok(j.tables[0].rows.find((r) => r.key === '2022').recognized >= 1, `${unit}: ${m.id} recognized in 2022`);
  }
});

test('results: columns and rows carry the catalogue\'s indicator names and units in the reader\'s language', async () => {
  for (const lang of ['vi', 'en', 'sv']) {
    const ind = (await ok(await api(srv.base, 'GET', '/api/v1/indicators', { headers: { 'Accept-Language': lang } }), 200, 'indicators')).items;
    const mean = lang === 'en' ? 'mean' : loadPo(lang).get('mean');
    assert.deepEqual(ind.filter((x) => x.aggregate === 'mean').map((x) => x.code), ['yield_t_ha'], 'a yield is averaged');
    assert.ok(ind.every((x) => x.aggregate === 'mean' || x.aggregate === 'sum'));
    const labels = ind.map((x) => (x.aggregate === 'mean' ? `${x.name} (${x.unit}, ${mean})` : `${x.name} (${x.unit})`));
    const j = await report('results', { h: 2024, unit: '49', from: '2019-01-01', to: '2026-12-31', status: 'all' }, { 'Accept-Language': lang });
    const byUnit = j.tables.find((t) => t.name === 'by_unit');
    const byField = j.tables.find((t) => t.name === 'by_field');
    assert.deepEqual(byUnit.columns.map((c) => c.label), labels, `${lang}: by_unit columns`);
    assert.deepEqual(byField.rows.map((r) => r.name), labels, `${lang}: by_field rows`);
    assert.deepEqual(byUnit.columns.map((c) => c.key), INDICATORS);
  }
  const vi = (await ok(await api(srv.base, 'GET', '/api/v1/indicators', { headers: { 'Accept-Language': 'vi' } }), 200, 'indicators')).items;
  assert.equal(vi.find((x) => x.code === 'households').unit, 'hộ');
});

test('model_tally is the GROUP BY of the models after every insert and update', async () => {
  const tally = await sqlJson(srv.dbPath, `SELECT status, p24, p25, year, ryear, field, kind, registration_level, typical, sum(n) n
    FROM model_tally GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
  const direct = await sqlJson(srv.dbPath, `SELECT status, coalesce(p24, '') p24, coalesce(p25, '') p25,
    CAST(substr(registered_on, 1, 4) AS INTEGER) AS year,
    CASE WHEN status = 'recognized' THEN CAST(substr(coalesce(recognized_on, registered_on), 1, 4) AS INTEGER) ELSE 0 END AS ryear,
    field, kind, registration_level, typical, count(*) n FROM models GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
  assert.deepEqual(tally, direct, seedNote);
  const neg = await sqlJson(srv.dbPath, 'SELECT * FROM model_tally WHERE n < 0');
  assert.deepEqual(neg, [], `negative counts in model_tally ${seedNote}`);
});

test('result_tally is the GROUP BY of the values and their models after every insert and update', async () => {
  const tally = await sqlJson(srv.dbPath, `SELECT year, status, indicator, field, kind, p24, p25, sum(n) n, sum(total) total
    FROM result_tally GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`);
  const direct = await sqlJson(srv.dbPath, `SELECT r.year, m.status, r.indicator, m.field, m.kind, coalesce(m.p24, '') p24,
    coalesce(m.p25, '') p25, count(*) n, sum(r.value) total FROM model_results r JOIN models m ON m.id = r.model_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`);
  assert.ok(direct.length > 20, `the test made values: ${direct.length} groups`);
  // sums kept by additions and subtractions: equal to a millionth
  const norm = (r) => ({ ...r, year: Number(r.year), n: Number(r.n), total: Math.round(Number(r.total) * 1e6) / 1e6 });
  assert.deepEqual(tally.map(norm), direct.map(norm), seedNote);
  const off = await sqlJson(srv.dbPath, 'SELECT * FROM result_tally WHERE n < 0 OR (n = 0 AND abs(total) > 1e-6)');
  assert.deepEqual(off, [], `negative or stray counts in result_tally ${seedNote}`);
});

// ---- the independent count -------------------------------------------------------------------------
/* The subtree of a report's unit: the column that holds it, the column of the rows, the rows. */
function spec(h, code) {
  if (!code) return { h, code: null, col: null, group: h === 2024 ? 'p24' : 'p25', rows: unitsAt(h, 'province') };
  const k = levelName(h, CAT[h].get(code).level);
  if (k === 'province') return { h, code, col: h === 2024 ? 'p24' : 'p25', group: h === 2024 ? 'd24' : 'c25', rows: kids(h, code) };
  if (k === 'district') return { h, code, col: 'd24', group: 'c24', rows: kids(h, code) };
  if (k === 'commune') return { h, code, col: h === 2024 ? 'c24' : 'c25', group: 'unit', rows: [code, ...kids(h, code)] };
  return { h, code, col: 'unit', group: 'unit', rows: [code, ...kids(h, code)] };
}
/* In the subtree of the report's unit, and in the reader's scope (s.scope: { col, code }) when there is one. */
const inSub = (x, s) => (!s.col || (s.col === 'unit' ? x.h === s.h && x.unit === s.code : x.place[s.col] === s.code))
  && (!s.scope || (s.scope.col === 'unit' ? x.h === s.scope.h && x.unit === s.scope.code : x.place[s.scope.col] === s.scope.code));
const communeCol = (h) => (h === 2024 ? 'c24' : 'c25');
function keyOf(x, s) {
  if (s.group !== 'unit') {
    if (x.place[s.group]) return x.place[s.group];
    // a record of the report's unit itself (a province's own conference): its own row
    return s.code && x.h === s.h && x.unit === s.code ? s.code : '';
  }
  const c = x.place[communeCol(s.h)];
  return x.h === s.h && x.unit !== c ? x.unit : c;
}
/* The row of a record: its child unit, the report's unit itself, or '' (not assigned). */
const rowOf = (x, s) => { const k = keyOf(x, s); return s.rows.includes(k) || (k && k === s.code) ? k : ''; };
const statusOk = (m, st) => (st === 'all' ? m.status !== 'draft' : m.status === (st || 'recognized'));
const modelOk = (m, q, s) => statusOk(m, q.status) && (!q.field || m.field === q.field) && (!q.kind || m.kind === q.kind) && inSub(m, s);

/* A table being counted: rows by key, each a map of column -> number. */
/* mean(rowKey, col): a cell that holds the mean of the values added to it (rowKey null: the
 * totals row, the mean of every value of its column); the others hold sums. */
class Tab {
  constructor(cols, keys, { total = true, keepEmpty = false, mean = () => false } = {}) {
    this.cols = cols;
    this.total = total;
    this.mean = mean;
    this.rows = new Map(keys.map((k) => [k, this.zero()]));
    this.counts = new Map();
    this.fixed = new Set(keys); // rows always shown; the others ('' and the unit itself) only when not empty
    this.keepEmpty = keepEmpty;
  }
  zero() { return Object.fromEntries(this.cols.map((c) => [c, 0])); }
  row(k) { if (!this.rows.has(k)) this.rows.set(k, this.zero()); return this.rows.get(k); }
  count(k) { if (!this.counts.has(k)) this.counts.set(k, this.zero()); return this.counts.get(k); }
  add(k, col, v = 1) { this.row(k)[col] += v; this.count(k)[col] += 1; }
  done() {
    const rows = {};
    const n = this.zero();
    for (const [k, v] of this.rows) {
      // only when something fell in it (a value of a mean, 0 as it may be, is something)
      if (!this.fixed.has(k) && !this.cols.some((c) => v[c] !== 0 || (this.mean(k, c) && this.count(k)[c] > 0))) continue;
      rows[k] = v;
    }
    const out = { rows };
    if (this.total) {
      out.total = this.zero();
      for (const [k, v] of Object.entries(rows)) {
        for (const c of this.cols) { out.total[c] += v[c]; n[c] += this.count(k)[c]; }
      }
      for (const c of this.cols) if (this.mean(null, c)) out.total[c] = n[c] ? out.total[c] / n[c] : null;
    }
    for (const [k, v] of Object.entries(rows)) {
      // a mean of no value is no number: null
      for (const c of this.cols) if (this.mean(k, c)) v[c] = this.count(k)[c] ? v[c] / this.count(k)[c] : null;
    }
    return out;
  }
}

function expected(name, q, scope = null) {
  const s = { ...spec(q.h, q.unit), scope };
  const { from, to } = q;
  if (name === 'summary' || name === 'by_unit' || name === 'by_level') {
    const ms = models.filter((m) => modelOk(m, q, s) && m.reg >= from && m.reg <= to);
    if (name === 'summary') {
      const t = new Tab(['collective', 'individual', 'total', 'typical'], FIELDS);
      const top = { total: 0, by_field: {}, by_kind: {}, by_field_kind: {}, typical: 0 };
      for (const f of FIELDS) { top.by_field[f] = 0; top.by_field_kind[f] = { collective: 0, individual: 0 }; }
      for (const k of KINDS) top.by_kind[k] = 0;
      for (const m of ms) {
        top.total++; top.by_field[m.field]++; top.by_kind[m.kind]++; top.by_field_kind[m.field][m.kind]++; top.typical += m.typical ? 1 : 0;
        t.add(m.field, m.kind); t.add(m.field, 'total'); if (m.typical) t.add(m.field, 'typical');
      }
      return { top, tables: { summary: t.done() } };
    }
    if (name === 'by_unit') {
      const t = new Tab(['total', ...FIELDS, 'collective', 'individual', 'typical'], s.rows);
      for (const m of ms) {
        const k = rowOf(m, s);
        t.add(k, 'total'); t.add(k, m.field); t.add(k, m.kind); if (m.typical) t.add(k, 'typical');
      }
      return { tables: { by_unit: t.done() } };
    }
    const t = new Tab(['total', 'collective', 'individual', 'typical'], LEVELS);
    for (const m of ms) { t.add(m.level, 'total'); t.add(m.level, m.kind); if (m.typical) t.add(m.level, 'typical'); }
    return { tables: { by_level: t.done() } };
  }
  if (name === 'results') {
    // a yield is reported as the mean of its values (migration 024), the others as sums
    const bf = new Tab([...FIELDS, 'total'], INDICATORS, { total: false, mean: (k) => k === 'yield_t_ha' });
    const bu = new Tab(INDICATORS, s.rows, { mean: (k, c) => c === 'yield_t_ha' });
    for (const m of models.filter((x) => modelOk(x, q, s))) {
      for (const [k, v] of m.results) {
        const [y, ind] = k.split('|');
        if (Number(y) < yearOf(from) || Number(y) > yearOf(to)) continue;
        bf.add(ind, m.field, v); bf.add(ind, 'total', v);
        bu.add(rowOf(m, s), ind, v);
      }
    }
    return { tables: { by_field: bf.done(), by_unit: bu.done() } };
  }
  if (name === 'commendation') {
    const cols = ['interim', 'final', 'awards', 'models', 'organizations', 'people', ...FORMS, 'amount_vnd'];
    const bl = new Tab(cols, [...LEVELS, 'none']);
    const bu = new Tab(cols, s.rows);
    for (const e of events.filter((x) => x.held >= from && x.held <= to && inSub(x, s))) {
      bl.add(e.level, e.kind); bu.add(rowOf(e, s), e.kind);
    }
    for (const a of awards) {
      const day = a.decisionDate || (a.event && a.event.held) || a.created;
      if (day < from || day > to || !inSub(a, s)) continue;
      const who = a.type === 'model' ? 'models' : a.type === 'person' ? 'people' : 'organizations';
      for (const [t, k] of [[bl, a.event ? a.event.level : 'none'], [bu, rowOf(a, s)]]) {
        t.add(k, 'awards'); t.add(k, who); t.add(k, a.form); t.add(k, 'amount_vnd', a.amount || 0);
      }
    }
    return { tables: { by_level: bl.done(), by_unit: bu.done() } };
  }
  if (name === 'replication') {
    const t = new Tab(['units', 'reached', 'coverage', 'replications'], s.rows);
    // units: the communes under each row (a commune's report: itself and its villages, one each)
    for (const k of s.rows) {
      let n = 1;
      if (s.group === 'p24') n = kids(2024, k).reduce((a, d) => a + kids(2024, d).filter((c) => CAT[2024].get(c).level === 3).length, 0);
      else if (s.group === 'd24' || s.group === 'p25') n = kids(s.h, k).filter((c) => CAT[s.h].get(c).level === COMMUNE[s.h]).length;
      t.add(k, 'units', n);
    }
    const reached = new Map();
    for (const r of reps.filter((x) => x.since >= from && x.since <= to && inSub(x, s) && modelOk(x.model, q, { col: null }))) {
      const k = rowOf(r, s);
      t.add(k, 'replications');
      const c = s.group === 'unit' ? keyOf(r, s) : r.place[communeCol(s.h)];
      if (k !== '' && c) {
        if (!reached.has(k)) reached.set(k, new Set());
        reached.get(k).add(c);
      }
    }
    for (const [k, set] of reached) t.add(k, 'reached', set.size);
    const out = t.done();
    for (const v of [...Object.values(out.rows), out.total]) v.coverage = v.units > 0 ? (100 * v.reached) / v.units : 0;
    return { tables: { by_unit: out } };
  }
  if (name === 'timeseries') {
    const years = [];
    for (let y = yearOf(from); y <= yearOf(to); y++) years.push(String(y));
    const t = new Tab(['registered', 'recognized', 'typical'], years);
    const base = { ...q, status: 'all' };
    for (const m of models.filter((x) => modelOk(x, base, s))) {
      if (years.includes(m.reg.slice(0, 4))) t.add(m.reg.slice(0, 4), 'registered');
      const ry = (m.recOn || m.reg).slice(0, 4);
      if (m.status === 'recognized' && years.includes(ry)) { t.add(ry, 'recognized'); if (m.typical) t.add(ry, 'typical'); }
    }
    return { tables: { by_year: t.done() } };
  }
  throw new Error(name);
}

/* The numbers of a report's JSON in the shape expected() gives. */
function actual(j) {
  const tables = {};
  for (const t of j.tables) {
    const rows = {};
    for (const r of t.rows) {
      assert.equal(!!r.unassigned, r.key === '', `row ${JSON.stringify(r)}: only the "not assigned" row has an empty key`);
      assert.ok(!(r.key in rows), `table ${t.name}: row ${r.key} twice`);
      rows[r.key] = Object.fromEntries(t.columns.map((c) => [c.key, r[c.key]]));
    }
    tables[t.name] = { rows };
    if ('total' in t) tables[t.name].total = t.total;
  }
  const out = { tables };
  if (j.report === 'summary') out.top = { total: j.total, by_field: j.by_field, by_kind: j.by_kind, by_field_kind: j.by_field_kind, typical: j.typical };
  return out;
}

/* Floats within 1e-6 (results and amounts are sums of halves; coverage is a quotient). */
function close(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && close(a[k], b[k]));
  }
  return a === b;
}
/* The first difference between got and want, as a path, for the failure message. */
function diff(got, want, at = '') {
  if (close(got, want)) return null;
  if (got && want && typeof got === 'object' && typeof want === 'object') {
    for (const k of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const d = diff(got[k], want[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
}

const REPORTS = ['summary', 'by_unit', 'by_level', 'results', 'commendation', 'replication', 'timeseries'];
const queryString = (q) => new URLSearchParams(Object.entries({ unit: q.unit, from: q.from, to: q.to, hierarchy: String(q.h),
  status: q.status, field: q.field, kind: q.kind }).filter(([, v]) => v !== undefined && v !== null)).toString();

/* A random parameter set. The country comes often, with whole, partial and spanning periods
 * (whole years are counted from model_tally, the rest from the models). */
const Q = rng(SEED ^ 0x5bd1e995);
const qchance = (p) => Q() < p;
const qpick = (xs) => xs[Math.floor(Q() * xs.length)];
const qint = (lo, hi) => lo + Math.floor(Q() * (hi - lo + 1));
const qday = (y) => fromDay(qint(toDay(`${y}-01-01`), toDay(`${y}-12-31`)));
function randQuery() {
  const h = qchance(0.5) ? 2024 : 2025;
  // units where things are, most of the time
  const used = [...new Set([...models, ...reps, ...events, ...awards].flatMap((x) => (x.h === h ? [x.unit] : [])).concat(
    [...models, ...reps].flatMap((x) => Object.values(x.place)).filter((c) => CAT[h].has(c))))].sort();
  const kind = qpick(['country', 'country', 'province', 'district', 'commune', 'commune', 'village', 'used', 'used']);
  let unit = null;
  if (kind === 'used') unit = qpick(used);
  else if (kind === 'district' && h === 2024) unit = qpick(U24.district);
  else if (kind !== 'country') {
    const list = (h === 2024 ? U24 : U25)[kind === 'district' ? 'province' : kind];
    unit = qpick(list);
  }
  if (unit && qchance(0.15)) unit = qpick([SPLIT.old, SPLIT.village, SPLIT.into, SPLIT.also, '24', '25']);
  if (unit && !CAT[h].has(unit)) unit = null;
  const y1 = qint(2019, 2026), y2 = qint(y1, Math.min(2026, y1 + qpick([0, 0, 1, 2, 7])));
  let from, to;
  switch (qpick(['whole', 'whole', 'years', 'partial', 'spanning', 'spanning', 'head', 'tail', 'day', 'wide'])) {
    case 'whole': from = `${y1}-01-01`; to = `${y1}-12-31`; break;
    case 'years': from = `${y1}-01-01`; to = `${y2}-12-31`; break;
    case 'partial': from = qday(y1); to = qday(y1); if (from > to) [from, to] = [to, from]; break;
    case 'spanning': from = qday(y1); to = qday(Math.min(2026, y1 + qint(1, 3))); break;
    case 'head': from = `${y1}-01-01`; to = qday(y2); break;
    case 'tail': from = qday(y1); to = `${y2}-12-31`; break;
    case 'day': from = to = qday(y1); break;
    default: from = '2000-01-01'; to = '2030-12-31';
  }
  if (from > to) [from, to] = [to, from];
  const status = qchance(0.35) ? undefined : qchance(0.45) ? 'all' : qpick(STATUSES);
  return { h, unit, from, to, status, field: qchance(0.25) ? qpick(FIELDS) : undefined, kind: qchance(0.25) ? qpick(KINDS) : undefined };
}

/* GET of a CSV report: { status, type, text } with the bytes as sent (fetch's text() drops a BOM). */
async function csvReport(name, q) {
  const r = await fetch(`${srv.base}/api/v1/reports/${name}?${queryString(q)}&format=csv&lang=en`,
    { headers: { Authorization: `Bearer ${srv.adminToken}` }, signal: AbortSignal.timeout(15000) });
  return { status: r.status, type: r.headers.get('content-type'), text: Buffer.from(await r.arrayBuffer()).toString('utf8') };
}

async function report(name, q, headers = EN) {
  const r = await api(srv.base, 'GET', `/api/v1/reports/${name}?${queryString(q)}`, { headers });
  return ok(r, 200, `GET /api/v1/reports/${name}?${queryString(q)}`);
}

/* Checks one report of one parameter set; returns its JSON. */
async function checkOne(name, q, headers = EN) {
  const j = await report(name, q, headers);
  const what = `${name}?${queryString(q)} ${seedNote}`;
  assert.equal(j.report, name, what);
  assert.equal(j.unit, q.unit || null, what);
  assert.equal(j.hierarchy, q.h, what);
  assert.deepEqual([j.from, j.to], [q.from, q.to], what);
  // conferences and awards have no status, and the time series counts every status and the
  // recognized in columns of their own: no status filter applies to them, and they say "all"
  assert.equal(j.status, name === 'commendation' || name === 'timeseries' ? 'all' : q.status || 'recognized', what);
  assert.deepEqual([j.field, j.kind], [q.field || null, q.kind || null], what);
  const want = expected(name, q);
  const got = actual(j);
  const d = diff(got, want);
  assert.ok(!d, `${what}: ${d}`);
  return j;
}

const QUERIES = new Map();
for (const name of REPORTS) {
  const qs = [...Array(N_QUERIES)].map(() => null); // filled once the ledger exists (units are picked from it)
  QUERIES.set(name, qs);
}
function queriesOf(name) {
  const qs = QUERIES.get(name);
  for (let i = 0; i < qs.length; i++) if (!qs[i]) qs[i] = randQuery();
  return qs;
}

for (const name of REPORTS) {
  test(`${name}: every cell and total equals the count over the ledger (${N_QUERIES} random parameter sets, and the country)`, async () => {
    // the country with whole years, partial years and both, in each hierarchy
    const fixed = [];
    for (const h of [2024, 2025]) {
      fixed.push({ h, from: '2021-01-01', to: '2023-12-31', status: 'all' }, { h, from: '2022-03-15', to: '2022-11-02' },
        { h, from: '2020-06-01', to: '2025-03-31', status: 'all' }, { h, from: '2025-01-01', to: '2025-12-31' },
        { h, from: '2019-01-01', to: '2026-12-31', status: 'recognized', field: 'economic' }, { h, from: '2023-12-31', to: '2024-01-01', status: 'all' });
    }
    const qs = [...fixed, ...queriesOf(name)];
    await pool(qs, 4, (q) => checkOne(name, q));
  });
}

/* Readers with a scope, and the column and code of their scope. */
const SCOPED = [['staff', '49', 2024, 'p24'], ['staff', '215', 2024, 'd24'], ['officer', '20368', 2024, 'c24'], ['staff', '07264', 2025, 'c25'],
  ['viewer', '24', 2025, 'p25'], ['officer', '20368-01', 2024, 'unit']];

/* Whether unit q.unit of hierarchy q.h holds the reader's own unit as seen from that
 * hierarchy (a report "as of" the other hierarchy than the reader's): allowed, limited to
 * the reader's scope. The reader's unit there is its commune (one new commune) or else its
 * province; the country holds every unit. */
function holdsHome(scope, q) {
  if (scope.h === q.h) return false;
  if (!q.unit) return true;
  const p = place(scope.h, scope.code);
  const home = q.h === 2025 ? (p.c25 || p.p25) : (p.c24 || p.p24);
  for (let u = CAT[q.h].get(home); u; u = CAT[q.h].get(u.parent)) if (u.code === q.unit) return true;
  return false;
}

test('readers with a scope: 403 for a unit outside it, else the count over the ledger inside both the unit and the scope', async () => {
  const users = [];
  for (const [role, unit, h, col] of SCOPED) {
    const u = await addUser(srv, `rp_${role}_${unit}`, role, unit, h);
    users.push({ ...u, scope: { col, code: unit, h } });
  }
  const qs = [];
  for (const name of REPORTS) {
    for (const q of queriesOf(name).filter((x) => x.unit).slice(0, 12)) qs.push([name, q]);
    // units inside the scopes, so that the filter itself is checked, not only the 403
    for (const [unit, h] of [['49', 2024], ['518', 2024], ['20368', 2024], ['215', 2024], [SPLIT.old, 2024], ['20380', 2025], ['07264', 2025],
      ['07264-01', 2025], ['24', 2025], ['07282', 2025], ['20368-01', 2024]]) qs.push([name, { h, unit, from: '2019-01-01', to: '2026-12-31', status: 'all' }]);
  }
  let allowed = 0, refused = 0;
  await pool(qs, 4, async ([name, q]) => {
    for (const u of users) {
      const headers = { ...EN, Authorization: `Bearer ${u.token}` };
      const inScope = u.scope.col === 'unit' ? q.h === u.scope.h && q.unit === u.scope.code : place(q.h, q.unit)[u.scope.col] === u.scope.code;
      const holds = holdsHome(u.scope, q);
      const what = `${u.login}: ${name}?${queryString(q)} ${seedNote}`;
      if (!inScope && !holds) {
        assertError(await api(srv.base, 'GET', `/api/v1/reports/${name}?${queryString(q)}`, { headers }), 403, what);
        refused++;
        continue;
      }
      const j = await report(name, q, headers);
      assert.equal(j.limited_to_scope, !inScope, `${what}: limited_to_scope`);
      const d = diff(actual(j), expected(name, q, u.scope));
      assert.ok(!d, `${what}: ${d}`);
      allowed++;
    }
  });
  assert.ok(allowed > 50 && refused > 50, `both answers were checked: ${allowed} allowed, ${refused} refused`);
});

test('without from and to: this year; without status: recognized models', async () => {
  const y = new Date().getUTCFullYear();
  for (const name of REPORTS) {
    for (const [h, unit] of [[2024, '49'], [2025, '24'], [2025, null]]) {
      const j = await report(name, { h, unit, from: null, to: null });
      assert.deepEqual([j.from, j.to, j.status], [`${y}-01-01`, `${y}-12-31`, name === 'commendation' || name === 'timeseries' ? 'all' : 'recognized']);
      const d = diff(actual(j), expected(name, { h, unit, from: `${y}-01-01`, to: `${y}-12-31` }));
      assert.ok(!d, `${name} ${h} ${unit}: ${d}`);
    }
  }
});

// ---- the command line and CSV -------------------------------------------------------------------------
function cliArgs(name, q, format = 'json') {
  const a = ['report', name, '--db', srv.dbPath, '--from', q.from, '--to', q.to, '--hierarchy', String(q.h), '--format', format, '--lang', 'en'];
  for (const k of ['unit', 'status', 'field', 'kind']) if (q[k]) a.push(`--${k}`, q[k]);
  return a;
}

test('dvk report prints the JSON of the API, and the same CSV', async () => {
  for (const name of REPORTS) {
    const q = queriesOf(name)[0];
    const j = await checkOne(name, q);
    const { stdout } = await runDvk(cliArgs(name, q));
    assert.deepEqual(JSON.parse(stdout), j, `dvk ${cliArgs(name, q).join(' ')} ${seedNote}`);
  }
  const q = queriesOf('by_unit')[1];
  const { stdout } = await runDvk(cliArgs('by_unit', q, 'csv'));
  const r = await csvReport('by_unit', q);
  assert.equal(r.status, 200);
  assert.equal(stdout, r.text, 'the CLI and the API write the same CSV');
});

/* Records of a CSV text (quoted cells, CRLF). */
function csvRecords(text) {
  const recs = [];
  let rec = [], cell = '', q = false, any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c;
    } else if (c === '"') { q = true; any = true; }
    else if (c === ',') { rec.push(cell); cell = ''; any = true; }
    else if (c === '\n') { if (any || cell) rec.push(cell); recs.push(rec); rec = []; cell = ''; any = false; }
    else if (c !== '\r') { cell += c; any = true; }
  }
  if (any || cell) { rec.push(cell); recs.push(rec); }
  return recs;
}

test('CSV: the same tables, labels and numbers as the JSON', async () => {
  for (const name of REPORTS) {
    for (const q of queriesOf(name).slice(1, 3)) {
      const j = await report(name, q);
      const r = await csvReport(name, q);
      assert.equal(r.status, 200, r.text);
      assert.match(r.type, /^text\/csv/);
      assert.ok(r.text.startsWith('\ufeff'), 'a BOM for Excel');
      const recs = csvRecords(r.text.slice(1));
      const what = `${name}?${queryString(q)} ${seedNote}`;
      assert.deepEqual(recs[0], [j.title], what);
      let i = 2;
      for (const t of j.tables) {
        assert.deepEqual(recs[i++], [], `${what}: a blank line before table ${t.name}`);
        if (j.tables.length > 1) assert.deepEqual(recs[i++], [t.title], what);
        assert.deepEqual(recs[i++], [t.row_label, ...t.columns.map((c) => c.label)], `${what}: header of ${t.name}`);
        const rows = t.total ? [...t.rows, { name: 'Total', ...t.total }] : t.rows;
        for (const row of rows) {
          const rec = recs[i++];
          assert.equal(rec[0], row.name, `${what}: ${t.name} row label`);
          rec.slice(1).forEach((cell, k) => {
            const v = Number(cell.replace(/,/g, ''));
            const want = row[t.columns[k].key];
            assert.ok(Math.abs(v - want) <= 0.005 + 1e-9, `${what}: ${t.name} ${row.name} ${t.columns[k].key}: CSV ${cell}, JSON ${want}`);
          });
        }
      }
      assert.equal(i, recs.length, `${what}: nothing after the last table`);
    }
  }
});

// ---- errors -------------------------------------------------------------------------------------------
test('API errors: 404 unknown report, 400 naming the parameter, 403 outside the scope, 401 without a token', async () => {
  const get = (p, headers = EN) => api(srv.base, 'GET', `/api/v1/reports/${p}`, { headers });
  assertError(await get('nope?from=2024-01-01'), 404, 'unknown report');
  assertError(await get('Summary'), 404, 'names are exact');
  for (const [qs, field] of [
    ['from=2024-13-01', 'from'], ['from=2024-02-30', 'from'], ['to=yesterday', 'to'], ['from=2025-01-02&to=2025-01-01', 'to'],
    ['hierarchy=2023', 'hierarchy'], ['hierarchy=x', 'hierarchy'], ['status=approved', 'status'], ['status=ALL', 'status'],
    ['field=economy', 'field'], ['kind=group', 'kind'], ['unit=99999&hierarchy=2024', 'unit'], ['unit=49&hierarchy=2025', 'unit'],
    ['unit=%27%20OR%201%3D1--', 'unit'], ['format=pdf', 'format'],
  ]) {
    for (const name of ['summary', 'replication']) {
      const e = assertError(await get(`${name}?${qs}`), 400, `${name}?${qs}`);
      assert.equal(e.field, field, `${name}?${qs}: ${JSON.stringify(e)}`);
    }
  }
  const e = assertError(await get('summary?year=2024'), 400, 'unknown parameter');
  assert.equal(e.code, 'unknown_parameter');
  assert.equal(e.field, 'year');
  // a commune officer of Quảng Nam (2024), signed in, and with a token
  const s = await signInOk(srv.base, U.officer.login, U.officer.password);
  for (const headers of [cookieHeaders(s, EN), { ...EN, Authorization: `Bearer ${U.officer.token}` }]) {
    for (const qs of ['unit=24&hierarchy=2024', 'unit=07285&hierarchy=2024', 'unit=25&hierarchy=2025', 'unit=518&hierarchy=2024']) {
      for (const name of REPORTS) assertError(await get(`${name}?${qs}`, headers), 403, `officer of 20368: ${name}?${qs}`);
    }
    // their own commune, and by default
    const own = await get('summary?unit=20368&hierarchy=2024&from=2019-01-01&to=2026-12-31', headers);
    assert.equal(own.status, 200, own.text);
    const def = await get('by_unit', headers);
    assert.equal(def.status, 200, def.text);
    assert.equal(def.json.unit, '20368');
  }
  for (const name of [...REPORTS, 'nope']) assertError(await get(name, { Authorization: '' }), 401, `${name} without a token`);
  assertError(await get('summary', { Authorization: 'Bearer dvk_not-a-token' }), 401, 'a bad token');
});

test('dvk report: bad arguments exit non-zero with a message, and write nothing', async () => {
  const db = srv.dbPath;
  for (const [args, code, msg] of [
    [['report'], 2, /usage: dvk report/],
    [['report', 'nope', '--db', db], 2, /nope/],
    [['report', 'summary'], 2, /usage/],
    [['report', 'summary', '--db', db, '--from', '2024-02-30'], 2, /--from/],
    [['report', 'summary', '--db', db, '--from', '2025-01-02', '--to', '2025-01-01'], 2, /--to/],
    [['report', 'summary', '--db', db, '--hierarchy', '2023'], 2, /--hierarchy/],
    [['report', 'summary', '--db', db, '--unit', '99999'], 2, /--unit/],
    [['report', 'summary', '--db', db, '--status', 'x'], 2, /--status/],
    [['report', 'summary', '--db', db, '--field', 'x'], 2, /--field/],
    [['report', 'summary', '--db', db, '--kind', 'x'], 2, /--kind/],
    [['report', 'summary', '--db', db, '--format', 'pdf'], 2, /usage/],
    [['report', 'summary', '--db', db, '--bogus', '1'], 2, /--bogus/],
    [['report', 'summary', '--db', db, '--from'], 2, /--from/],
    [['report', 'summary', '--db', path.join(srv.dir, 'typo.db')], 1, /typo\.db/],
  ]) {
    // messages follow the locale: English here, Vietnamese below
    const r = await runDvkStatus(args, { env: { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    assert.equal(r.code, code, `dvk ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, msg, `dvk ${args.join(' ')}`);
    assert.equal(r.stdout, '', `dvk ${args.join(' ')} printed on stdout`);
  }
  const vi = await runDvkStatus(['report'], { env: { LANG: 'vi_VN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
  assert.equal(vi.code, 2);
  assert.match(vi.stderr, /^cách dùng: dvk report NAME/);
  assert.match(vi.stderr, /Không có --unit: toàn quốc/);
  const { existsSync } = await import('node:fs');
  assert.ok(!existsSync(path.join(srv.dir, 'typo.db')), 'a report on a mistyped path creates no database');
});
