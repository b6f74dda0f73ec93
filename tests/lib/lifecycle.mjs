// lifecycle.mjs: helpers for the lifecycle, appraisal and spread tests: moving a
// model to a given status through the API, the users of a test province, and a
// snapshot of what a refused request must leave unchanged.
//
//   const m = await modelIn(srv.base, 'appraised', { registration_level: 'district' });
//   const before = await snapshot(srv.base, m.id);
//   ... a refused request ...
//   assert.deepEqual(await snapshot(srv.base, m.id), before);
import assert from 'node:assert/strict';
import { api, createModel } from './http.mjs';
import { addUser } from './server.mjs';

/* Headers that act as the user holding tok (and ask for English messages). */
export function as(tok, extra = {}) {
  return { Authorization: `Bearer ${tok}`, 'Accept-Language': 'en', ...extra };
}

/* The statuses of the API, in lifecycle order. */
export const STATUSES = ['draft', 'registered', 'selected', 'rejected', 'implementing', 'appraised', 'recognized',
  'not_recognized', 'withdrawn'];

/* Scores on the default catalogue (weights 30/25/15/15/15, each out of 10). */
export const PASSING = { effectiveness: 9, consensus: 8, practicality: 8, replicability: 7, sustainability: 8 }; // 81.5
export const FAILING = { effectiveness: 5, consensus: 6, practicality: 6, replicability: 5, sustainability: 5 }; // 54

/* YYYY-MM-DD of today (UTC) plus days. */
export function isoDay(days = 0) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

/* POST /api/v1/models/{id}/transitions; tok: a bearer token (default: the administrator's). */
export function transition(base, id, body, { tok, headers = {} } = {}) {
  const h = tok ? as(tok, headers) : { 'Accept-Language': 'en', ...headers };
  return api(base, 'POST', `/api/v1/models/${id}/transitions`, { body, headers: h });
}

/* A body that satisfies every requirement of any step to `to` (reason, decision). */
export function fullStep(to, over = {}) {
  return { to, comment: `Lý do / ý kiến: chuyển sang ${to}`, decision_no: '12-QĐ/BDVTU', decision_date: '2024-04-01', ...over };
}

/* POSTs an appraisal as the administrator (or tok) and asserts 201. */
export async function appraise(base, id, scores = PASSING, { tok, over = {} } = {}) {
  const body = { visit_date: '2024-06-01', members: 'Nguyễn Văn A, Trưởng đoàn\nTrần Thị B, thành viên', scores, ...over };
  const r = await api(base, 'POST', `/api/v1/models/${id}/appraisals`, { body, headers: tok ? as(tok) : {} });
  assert.equal(r.status, 201, `POST appraisal on ${id}: ${r.status} ${r.text}`);
  return r.json;
}

/* How to reach each status from a new registration, as the administrator. */
const PATHS = {
  draft: [],
  registered: [],
  selected: ['selected'],
  rejected: ['rejected'],
  implementing: ['selected', 'implementing'],
  appraised: ['selected', 'implementing', 'APPRAISAL'],
  recognized: ['selected', 'implementing', 'APPRAISAL', 'recognized'],
  not_recognized: ['selected', 'implementing', 'APPRAISAL', 'not_recognized'],
  withdrawn: ['withdrawn'],
};

/* Moves model id along steps (status names, or APPRAISAL for a passing appraisal). */
export async function walk(base, id, steps) {
  for (const s of steps) {
    if (s === 'APPRAISAL') {
      await appraise(base, id, PASSING);
      continue;
    }
    const r = await transition(base, id, fullStep(s));
    assert.equal(r.status, 200, `setting up ${id}: step to ${s}: ${r.status} ${r.text}`);
    assert.equal(r.json.status, s);
  }
}

/* A new model (validModel + over) brought to `status` by the administrator. */
export async function modelIn(base, status, over = {}) {
  const m = await createModel(base, { ...over, status: status === 'draft' || status === 'withdrawn' ? 'draft' : 'registered' });
  await walk(base, m.id, PATHS[status]);
  const g = await api(base, 'GET', `/api/v1/models/${m.id}`);
  assert.equal(g.json.status, status, `setting up ${m.id}: ended in ${g.json.status}, not ${status}`);
  return g.json;
}

/* What a refused request must not change: status, version, typical, history, appraisals. */
export async function snapshot(base, id) {
  const m = await api(base, 'GET', `/api/v1/models/${id}`);
  assert.equal(m.status, 200, `GET model ${id}: ${m.text}`);
  const h = await api(base, 'GET', `/api/v1/models/${id}/history`);
  assert.equal(h.status, 200, `GET history ${id}: ${h.text}`);
  return {
    status: m.json.status, version: m.json.version, typical: m.json.typical, typical_reason: m.json.typical_reason,
    updated_at: m.json.updated_at, history: h.json.items.length,
  };
}

/* GET /api/v1/models/{id}/history as the administrator: the items. */
export async function history(base, id) {
  const h = await api(base, 'GET', `/api/v1/models/${id}/history`);
  assert.equal(h.status, 200, h.text);
  return h.json.items;
}

/* The users of the test province (2024 Tỉnh Quảng Nam 49 > Huyện Phú Ninh 518 > Xã Tam An 20368,
 * which merged whole into the 2025 Xã Tây Hồ 20380 of Thành phố Đà Nẵng 48), and outsiders.
 * prefix keeps logins unique when several suites share a server. */
export async function provinceUsers(srv, prefix = 'u') {
  const spec = {
    staffC: ['staff', '20368', 2024],     // the commune's commission staff (commune committee)
    staffC25: ['staff', '20380', 2025],   // staff of the 2025 commune Tam An merged into
    staffD: ['staff', '518', 2024],       // the district commission (district committee)
    staffP: ['staff', '49', 2024],        // the 2024 province commission
    staffP25: ['staff', '48', 2025],      // the 2025 province Quảng Nam became part of
    staffX: ['staff', '01', 2024],        // another province: Hà Nội
    officer: ['officer', '20368', 2024],  // the commune officer
    officerX: ['officer', '20365', 2024], // the officer of the neighbouring commune Tam Thành
    appraiser: ['appraiser', '518', 2024],
    viewer: ['viewer', '49', 2024],
  };
  const out = {};
  for (const [k, [role, unit, h]] of Object.entries(spec)) {
    out[k] = await addUser(srv, `${prefix}_${k.toLowerCase()}`, role, unit, h);
  }
  return out;
}
