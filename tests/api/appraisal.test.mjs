// appraisal.test.mjs: appraisals (issue 4): weighted scoring with exact totals
// on the default and on a province's own catalogue, pass marks (the nearest up
// the unit tree applies), validation, who may appraise and in which states.
//
// score = 100 × Σ(weight × score / max) / Σ weight, rounded to 2 decimals;
// passed = score ≥ the pass mark in force (default 70).
// Default catalogue: effectiveness 30, consensus 25, practicality 15,
// replicability 15, sustainability 15, each scored out of 10.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api, assertError, assertFieldError, token } from '../lib/http.mjs';
import { PASSING, as, isoDay, modelIn, provinceUsers, snapshot } from '../lib/lifecycle.mjs';

let srv;
let U;

// Bắc Kạn (2024: 06) > Huyện Chợ Đồn (064) > Xã Đại Sảo (02068), Xã Yên Mỹ (02077);
// Huyện Ba Bể (061) > Xã Bành Trạch (01891). Bắc Kạn became part of Thái Nguyên (2025: 19).
const BK = { province: '06', district: '064', commune: '02068', sibling: '02077', otherDistrictCommune: '01891' };

before(async () => {
  srv = await startServer();
  U = await provinceUsers(srv, 'ap');
  U.admin = { login: 'admin', token: srv.adminToken };
  U.bkStaffP = await addUser(srv, 'ap_bk_staffp', 'staff', BK.province, 2024);
  U.bkStaffD = await addUser(srv, 'ap_bk_staffd', 'staff', BK.district, 2024);
  U.bkStaffC = await addUser(srv, 'ap_bk_staffc', 'staff', BK.commune, 2024);
  U.bkOfficer = await addUser(srv, 'ap_bk_officer', 'officer', BK.commune, 2024);
  U.bkAppraiser = await addUser(srv, 'ap_bk_appraiser', 'appraiser', BK.province, 2024);
});
after(async () => { if (srv) await srv.stop(); });

const MEMBERS = 'Nguyễn Văn An, Phó Trưởng ban Dân vận\nLò Thị Bình, chuyên viên';

function appraisalBody(scores, over = {}) {
  return { visit_date: '2024-06-12', members: MEMBERS, findings: 'Mô hình duy trì đều đặn.', conclusion: 'Đạt yêu cầu.', scores, ...over };
}

function postAppraisal(id, body, tok) {
  return api(srv.base, 'POST', `/api/v1/models/${id}/appraisals`, { body, headers: tok ? as(tok) : { 'Accept-Language': 'en' } });
}

async function appraisals(id) {
  const r = await api(srv.base, 'GET', `/api/v1/models/${id}/appraisals`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

async function scoring(unit, h = 2024, headers = { 'Accept-Language': 'en' }) {
  const r = await api(srv.base, 'GET', `/api/v1/scoring?unit=${unit}&hierarchy=${h}`, { headers });
  assert.equal(r.status, 200, `scoring ${unit}/${h}: ${r.text}`);
  return r.json;
}

const DEFAULT = [
  { code: 'effectiveness', name: 'Effectiveness', weight: 30, max_score: 10 },
  { code: 'consensus', name: "People's consensus", weight: 25, max_score: 10 },
  { code: 'practicality', name: 'Practicality', weight: 15, max_score: 10 },
  { code: 'replicability', name: 'Replicability', weight: 15, max_score: 10 },
  { code: 'sustainability', name: 'Sustainability', weight: 15, max_score: 10 },
];
const d = (e, c, p, r, s) => ({ effectiveness: e, consensus: c, practicality: p, replicability: r, sustainability: s });

// ---- the default catalogue ----------------------------------------------------------------
test('the default catalogue and pass mark', async () => {
  const s = await scoring('20368');
  assert.deepEqual(s, { criteria: DEFAULT, pass_score: 70 });
  // a 2025 unit too; the default hierarchy is 2025
  assert.deepEqual(await scoring('20380', 2025), { criteria: DEFAULT, pass_score: 70 });
  const r = await api(srv.base, 'GET', '/api/v1/scoring?unit=20380', { headers: { 'Accept-Language': 'en' } });
  assert.deepEqual(r.json, { criteria: DEFAULT, pass_score: 70 });
  // names in the user's language
  const vi = await scoring('20368', 2024, { 'Accept-Language': 'vi' });
  assert.deepEqual(vi.criteria.map((c) => c.code), DEFAULT.map((c) => c.code));
  assert.notEqual(vi.criteria[0].name, 'Effectiveness', 'the default criteria are named in Vietnamese for a Vietnamese user');
});

test('scoring arithmetic on the default catalogue: exact totals and pass/fail at 70', async () => {
  const m = await modelIn(srv.base, 'implementing', { title: `Chấm điểm ${token()}` });
  const cases = [
    [d(10, 10, 10, 10, 10), 100, true],
    [d(0, 0, 0, 0, 0), 0, false],
    [d(8, 7, 9, 6, 7), 74.5, true],          // 24 + 17.5 + 13.5 + 9 + 10.5
    [d(7, 7, 7, 7, 7), 70, true],            // exactly the pass mark
    [d(6.99, 6.99, 6.99, 6.99, 6.99), 69.9, false],
    [d(10, 0, 0, 0, 0), 30, false],
    [d(0, 10, 0, 0, 0), 25, false],
    [d(0, 0, 10, 10, 10), 45, false],
    [d(9.5, 8.25, 7, 6.5, 10), 84.38, true], // 84.375 rounds half up
    [d(9, 8, 8, 7, 8), 81.5, true],
    [d(5, 6, 6, 5, 5), 54, false],
    [d(10, 10, 3.3, 0, 0), 59.95, false],
    [d(7.3, 6.9, 7.1, 6.8, 7.0), 70.5, true],   // 21.9 + 17.25 + 10.65 + 10.2 + 10.5
  ];
  let n = 0;
  for (const [scores, want, passed] of cases) {
    const r = await postAppraisal(m.id, appraisalBody(scores));
    assert.equal(r.status, 201, `${JSON.stringify(scores)}: ${r.text}`);
    n++;
    assert.equal(r.json.score, want, `${JSON.stringify(scores)}: score`);
    assert.equal(r.json.passed, passed, `${JSON.stringify(scores)}: passed`);
    assert.equal(r.json.pass_score, 70);
    assert.equal(r.json.model_id, m.id);
    assert.equal(r.headers.get('location'), `/api/v1/models/${m.id}/appraisals`);
    assert.deepEqual(r.json.scores.map((x) => [x.code, x.name, x.weight, x.max_score, x.score]),
      DEFAULT.map((c) => [c.code, c.name, c.weight, c.max_score, scores[c.code]]));
  }
  const items = await appraisals(m.id);
  assert.equal(items.length, n);
  assert.deepEqual(items.map((a) => a.score), cases.map((c) => c[1]), 'listed in the order recorded, scores as computed');
  const a = items[2];
  assert.equal(a.visit_date, '2024-06-12');
  assert.equal(a.members, MEMBERS);
  assert.equal(a.findings, 'Mô hình duy trì đều đặn.');
  assert.equal(a.conclusion, 'Đạt yêu cầu.');
  assert.equal(a.login, 'admin');
  assert.match(a.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.ok(items.every((x, i) => i === 0 || x.id > items[i - 1].id), 'ids increase');
  // the first appraisal moved the model to appraised, once
  const s = await snapshot(srv.base, m.id);
  assert.equal(s.status, 'appraised');
  assert.equal(s.history, 3);
});

test('an appraisal with a dd/mm/yyyy visit date, no findings and no conclusion', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const r = await postAppraisal(m.id, { visit_date: '03/07/2024', members: 'Tổ công tác huyện', scores: PASSING });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.visit_date, '2024-07-03');
  assert.equal(r.json.findings, null);
  assert.equal(r.json.conclusion, null);
});

// ---- validation ----------------------------------------------------------------------------
test('invalid appraisals are refused with the field named, and change nothing', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const before = await snapshot(srv.base, m.id);
  const ok = appraisalBody(PASSING);
  const { effectiveness, ...missingOne } = PASSING;
  const cases = [
    ['a criterion missing', { ...ok, scores: missingOne }, 'scores'],
    ['no scores at all', { ...ok, scores: {} }, 'scores'],
    ['an unknown criterion', { ...ok, scores: { ...PASSING, creativity: 5 } }, 'scores'],
    ['an unknown criterion instead of one', { ...ok, scores: { ...missingOne, Effectiveness: 9 } }, 'scores'],
    ['a negative score', { ...ok, scores: { ...PASSING, consensus: -1 } }, 'scores'],
    ['a score above the maximum', { ...ok, scores: { ...PASSING, consensus: 10.01 } }, 'scores'],
    ['a score of 100', { ...ok, scores: { ...PASSING, sustainability: 100 } }, 'scores'],
    ['no visit date', { ...ok, visit_date: undefined }, 'visit_date'],
    ['an empty visit date', { ...ok, visit_date: '' }, 'visit_date'],
    ['30 February', { ...ok, visit_date: '2024-02-30' }, 'visit_date'],
    ['not a date', { ...ok, visit_date: 'tuần trước' }, 'visit_date'],
    ['a date with time', { ...ok, visit_date: '2024-06-12T08:00:00' }, 'visit_date'],
    ['no members', { ...ok, members: undefined }, 'members'],
    ['empty members', { ...ok, members: '' }, 'members'],
    ['members of 2,001 characters', { ...ok, members: 'ư'.repeat(2001) }, 'members'],
    ['findings of 20,001 characters', { ...ok, findings: 'a'.repeat(20001) }, 'findings'],
    ['a conclusion of 20,001 characters', { ...ok, conclusion: 'a'.repeat(20001) }, 'conclusion'],
  ];
  for (const [what, body, field] of cases) {
    assertFieldError(await postAppraisal(m.id, body), field, what);
  }
  const bad = [
    ['scores as a list', { ...ok, scores: [9, 8, 8, 7, 8] }],
    ['no scores member', { ...ok, scores: undefined }],
    ['a score as text', { ...ok, scores: { ...PASSING, consensus: '8' } }],
    ['a null score', { ...ok, scores: { ...PASSING, consensus: null } }],
    ['a boolean score', { ...ok, scores: { ...PASSING, consensus: true } }],
    ['members as a list', { ...ok, members: ['A', 'B'] }],
    ['visit date as a number', { ...ok, visit_date: 20240612 }],
    ['an unknown member', { ...ok, score: 90 }],
    ['a criterion twice', `{"visit_date":"2024-06-12","members":"A","scores":{"effectiveness":9,"effectiveness":1,"consensus":8,"practicality":8,"replicability":7,"sustainability":8}}`],
    ['broken JSON', '{"visit_date":'],
  ];
  for (const [what, body] of bad) assertError(await postAppraisal(m.id, body), 400, what);
  assert.deepEqual(await appraisals(m.id), [], 'a refused appraisal was stored');
  assert.deepEqual(await snapshot(srv.base, m.id), before, 'a refused appraisal moved the model');
});

test('a visit cannot be recorded before it happened (visit date in the future)', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const before = await snapshot(srv.base, m.id);
  assertFieldError(await postAppraisal(m.id, appraisalBody(PASSING, { visit_date: isoDay(2) })), 'visit_date', 'the day after tomorrow');
  assert.deepEqual(await appraisals(m.id), []);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  const r = await postAppraisal(m.id, appraisalBody(PASSING, { visit_date: isoDay(0) }));
  assert.equal(r.status, 201, `today: ${r.text}`);
});

test('a working group made only of spaces is no working group', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const before = await snapshot(srv.base, m.id);
  assertFieldError(await postAppraisal(m.id, appraisalBody(PASSING, { members: '  \n\t ' })), 'members', 'blank members');
  assert.deepEqual(await appraisals(m.id), []);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
});

// ---- who may appraise, and when ------------------------------------------------------------
test('who may appraise: appraisers, staff and administrators in scope; not officers or viewers', async () => {
  const m = await modelIn(srv.base, 'implementing', { registration_level: 'district' });
  const want = {
    admin: 201, appraiser: 201, staffD: 201, staffC: 201, staffC25: 201, staffP: 201, staffP25: 201,
    officer: 403, viewer: 403, staffX: 404, officerX: 404, bkAppraiser: 404, bkStaffP: 404,
  };
  let n = 0;
  const got = {};
  for (const [k, status] of Object.entries(want)) {
    const before = await snapshot(srv.base, m.id);
    const r = await postAppraisal(m.id, appraisalBody(PASSING), U[k].token);
    got[k] = r.status;
    if (r.status === 201) {
      n++;
      assert.equal(r.json.login, U[k].login);
    } else {
      assertError(r, status, k);
      assert.deepEqual(await snapshot(srv.base, m.id), before, `${k}: changed the model`);
    }
    assert.equal((await appraisals(m.id)).length, n, `${k}: appraisals on record`);
  }
  assert.deepEqual(got, want);
  // the appraiser's appraisal moved it to appraised, recorded as the appraiser's step
  const h = (await api(srv.base, 'GET', `/api/v1/models/${m.id}/history`)).json.items;
  assert.deepEqual(h.slice(-1).map((e) => [e.login, e.from, e.to]), [['admin', 'implementing', 'appraised']]);
  // reading appraisals: anyone in scope; outside it the model does not exist
  for (const k of ['viewer', 'officer', 'appraiser']) {
    const r = await api(srv.base, 'GET', `/api/v1/models/${m.id}/appraisals`, { headers: as(U[k].token) });
    assert.equal(r.status, 200, k);
    assert.equal(r.json.items.length, n);
  }
  for (const k of ['staffX', 'officerX', 'bkAppraiser']) {
    assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/appraisals`, { headers: as(U[k].token) }), 404, k);
  }
  assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/appraisals`, { headers: { Authorization: '' } }), 401, 'anonymous');
  assertError(await postAppraisal(99999999, appraisalBody(PASSING)), 404, 'no such model');
});

test('only a model being implemented, appraised or recognized can be appraised', async () => {
  for (const [st, status, after] of [
    ['draft', 422], ['registered', 422], ['selected', 422], ['rejected', 422],
    ['implementing', 201, 'appraised'], ['appraised', 201, 'appraised'], ['recognized', 201, 'recognized'],
    ['not_recognized', 422], ['withdrawn', 422],
  ]) {
    const m = await modelIn(srv.base, st);
    const n0 = (await appraisals(m.id)).length;
    const before = await snapshot(srv.base, m.id);
    const r = await postAppraisal(m.id, appraisalBody(PASSING), U.appraiser.token);
    if (status === 422) {
      assertFieldError(r, 'model', st);
      assert.deepEqual(await snapshot(srv.base, m.id), before, `${st}: changed`);
      assert.equal((await appraisals(m.id)).length, n0);
    } else {
      assert.equal(r.status, 201, `${st}: ${r.text}`);
      assert.equal((await snapshot(srv.base, m.id)).status, after, `${st}: status after the appraisal`);
      assert.equal((await appraisals(m.id)).length, n0 + 1);
    }
  }
});

// ---- pass marks ---------------------------------------------------------------------------
const passMark = (unit, body, tok, h = 2024) => api(srv.base, 'PUT', `/api/v1/units/${unit}/pass-mark?hierarchy=${h}`,
  { body, headers: tok ? as(tok) : { 'Accept-Language': 'en' } });

test('pass marks: the nearest one up the tree applies, per hierarchy', async () => {
  const set = async (unit, p, tok) => {
    const r = await passMark(unit, { pass_score: p }, tok);
    assert.equal(r.status, 200, `${unit} = ${p}: ${r.text}`);
    assert.deepEqual(r.json, { pass_score: p });
  };
  await set(BK.province, 60, U.bkStaffP.token);
  assert.equal((await scoring(BK.commune)).pass_score, 60);
  assert.equal((await scoring(BK.district)).pass_score, 60);
  await set(BK.district, 80, U.bkStaffD.token);
  await set(BK.commune, 50, U.bkStaffC.token);
  const v = await api(srv.base, 'POST', `/api/v1/units/${BK.commune}/villages?hierarchy=2024`, { body: { name: `Thôn Nà Pài ${token()}` } });
  assert.equal(v.status, 201, v.text);
  const expect = [
    [BK.commune, 2024, 50], [v.json.code, 2024, 50], [BK.sibling, 2024, 80], [BK.district, 2024, 80],
    [BK.otherDistrictCommune, 2024, 60], [BK.province, 2024, 60],
    ['20368', 2024, 70], ['518', 2024, 70],     // another province: the default
    ['19', 2025, 70], ['02083', 2025, 70],      // the 2025 units are another tree
  ];
  for (const [unit, h, p] of expect) assert.equal((await scoring(unit, h)).pass_score, p, `${unit}/${h}`);
  // appraisals are judged against the mark of their model's place, and keep it
  const inCommune = await modelIn(srv.base, 'implementing', { unit_code: BK.commune });
  const inSibling = await modelIn(srv.base, 'implementing', { unit_code: BK.sibling });
  let r = await postAppraisal(inCommune.id, appraisalBody(d(5, 5, 5, 5, 6)));      // 51.5 ≥ 50
  assert.deepEqual([r.json.score, r.json.pass_score, r.json.passed], [51.5, 50, true]);
  r = await postAppraisal(inSibling.id, appraisalBody(d(8, 8, 8, 8, 7)));          // 78.5 < 80
  assert.deepEqual([r.json.score, r.json.pass_score, r.json.passed], [78.5, 80, false]);
  r = await postAppraisal(inSibling.id, appraisalBody(d(8, 8, 8, 8, 8)));          // 80 = 80
  assert.deepEqual([r.json.score, r.json.pass_score, r.json.passed], [80, 80, true]);
  // raising the mark later does not rewrite the appraisals on record
  await set(BK.district, 85, U.bkStaffD.token);
  const items = await appraisals(inSibling.id);
  assert.deepEqual(items.map((a) => [a.score, a.pass_score, a.passed]), [[78.5, 80, false], [80, 80, true]]);
  r = await postAppraisal(inSibling.id, appraisalBody(d(8, 8, 8, 8, 8)));
  assert.deepEqual([r.json.score, r.json.pass_score, r.json.passed], [80, 85, false]);
  // 0 and 100 are allowed marks
  await set(BK.otherDistrictCommune, 0, U.bkStaffP.token);
  await set(BK.otherDistrictCommune, 100, U.bkStaffP.token);
  assert.equal((await scoring(BK.otherDistrictCommune)).pass_score, 100);
});

test('pass marks: validation and who may set them', async () => {
  const unit = BK.sibling;
  const before = (await scoring(unit)).pass_score;
  for (const [what, body] of [['-0.01', { pass_score: -0.01 }], ['100.5', { pass_score: 100.5 }], ['1000', { pass_score: 1000 }]]) {
    assertFieldError(await passMark(unit, body), 'pass_score', what);
  }
  for (const [what, body] of [
    ['as text', { pass_score: '70' }], ['null', { pass_score: null }], ['missing', {}],
    ['an unknown member', { pass_score: 70, unit: unit }], ['broken JSON', '{"pass_score":'],
  ]) assertError(await passMark(unit, body), 400, what);
  // not staff, or outside their scope
  for (const k of ['bkOfficer', 'bkAppraiser', 'staffX', 'staffP', 'bkStaffC']) {
    assertError(await passMark(unit, { pass_score: 10 }, U[k].token), 403, k);
  }
  assertError(await passMark(BK.province, { pass_score: 10 }, U.bkStaffD.token), 403, 'a district may not set its province\'s mark');
  assert.equal((await scoring(unit)).pass_score, before, 'a refused change changed the mark');
  assertError(await passMark('99999', { pass_score: 70 }), 404, 'no such unit');
  assertError(await passMark(BK.commune, { pass_score: 70 }, undefined, 2023), 400, 'bad hierarchy');
  assertError(await api(srv.base, 'PUT', `/api/v1/units/${unit}/pass-mark?hierarchy=2024`, { body: { pass_score: 70 }, headers: { Authorization: '' } }), 401, 'anonymous');
});

// ---- a province's own catalogue --------------------------------------------------------------
const putCriteria = (prov, criteria, tok, h = 2024) => api(srv.base, 'PUT', `/api/v1/provinces/${prov}/criteria?hierarchy=${h}`,
  { body: { criteria }, headers: tok ? as(tok) : { 'Accept-Language': 'en' } });

const BK_CATALOGUE = [
  { code: 'hieu-qua', name: 'Hiệu quả thiết thực', weight: 40, max_score: 20 },
  { code: 'dong-thuan', name: 'Sự đồng thuận của Nhân dân', weight: 35, max_score: 20 },
  { code: 'nhan-rong', name: 'Khả năng nhân rộng', weight: 25, max_score: 10 },
];

test('a province\'s own catalogue replaces the default for its units only', async () => {
  const m = await modelIn(srv.base, 'implementing', { unit_code: BK.sibling, title: `Bắc Kạn ${token()}` });
  const early = await postAppraisal(m.id, appraisalBody(PASSING)); // on the default catalogue
  assert.equal(early.status, 201, early.text);
  let r = await putCriteria(BK.province, BK_CATALOGUE, U.bkStaffP.token);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { criteria: 3 });
  for (const unit of [BK.province, BK.district, BK.commune, BK.otherDistrictCommune]) {
    assert.deepEqual((await scoring(unit)).criteria, BK_CATALOGUE, unit);
  }
  // other provinces and the 2025 tree keep the default
  assert.deepEqual((await scoring('20368')).criteria, DEFAULT);
  assert.deepEqual((await scoring('19', 2025)).criteria, DEFAULT);
  // the default codes no longer apply there
  assertFieldError(await postAppraisal(m.id, appraisalBody(PASSING)), 'scores', 'default codes in Bắc Kạn');
  const cases = [
    [{ 'hieu-qua': 15, 'dong-thuan': 18, 'nhan-rong': 7 }, 79],       // 30 + 31.5 + 17.5
    [{ 'hieu-qua': 20, 'dong-thuan': 20, 'nhan-rong': 10 }, 100],
    [{ 'hieu-qua': 0, 'dong-thuan': 0, 'nhan-rong': 10 }, 25],
    [{ 'hieu-qua': 13, 'dong-thuan': 11, 'nhan-rong': 3 }, 52.75],    // 26 + 19.25 + 7.5
    [{ 'hieu-qua': 13.3, 'dong-thuan': 11.1, 'nhan-rong': 3 }, 53.53], // 26.6 + 19.425 + 7.5 = 53.525, half up
  ];
  for (const [scores, want] of cases) {
    r = await postAppraisal(m.id, appraisalBody(scores));
    assert.equal(r.status, 201, `${JSON.stringify(scores)}: ${r.text}`);
    assert.equal(r.json.score, want, JSON.stringify(scores));
    assert.deepEqual(r.json.scores.map((x) => [x.code, x.name, x.weight, x.max_score]),
      BK_CATALOGUE.map((c) => [c.code, c.name, c.weight, c.max_score]));
  }
  assertFieldError(await postAppraisal(m.id, appraisalBody({ 'hieu-qua': 21, 'dong-thuan': 18, 'nhan-rong': 7 })), 'scores', 'above this catalogue\'s max');
  // the appraisal made before keeps its own criteria
  const items = await appraisals(m.id);
  assert.deepEqual(items[0].scores.map((x) => x.code), DEFAULT.map((c) => c.code));
  assert.equal(items[0].score, 81.5);
  // an empty catalogue brings back the default
  r = await putCriteria(BK.province, [], U.bkStaffP.token);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await scoring(BK.commune)).criteria, DEFAULT);
});

test('rounding to two decimals on thirds', async () => {
  const thirds = [
    { code: 'a', name: 'Tiêu chí A', weight: 1, max_score: 3 },
    { code: 'b', name: 'Tiêu chí B', weight: 1, max_score: 3 },
    { code: 'c', name: 'Tiêu chí C', weight: 1, max_score: 3 },
  ];
  let r = await putCriteria(BK.province, thirds, U.admin.token);
  assert.equal(r.status, 200, r.text);
  const m = await modelIn(srv.base, 'implementing', { unit_code: BK.otherDistrictCommune });
  await passMark(BK.otherDistrictCommune, { pass_score: 66.67 }, U.bkStaffP.token);
  for (const [scores, want, passed] of [
    [{ a: 1, b: 1, c: 0 }, 22.22, false],  // 22.222…
    [{ a: 2, b: 2, c: 2 }, 66.67, true],   // 66.666… → 66.67, exactly the mark
    [{ a: 3, b: 2, c: 2 }, 77.78, true],   // 77.777…
    [{ a: 2, b: 2, c: 1.99 }, 66.56, false],
    [{ a: 0.5, b: 0, c: 0 }, 5.56, false], // 5.555…
  ]) {
    r = await postAppraisal(m.id, appraisalBody(scores));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.score, want, JSON.stringify(scores));
    assert.equal(r.json.passed, passed, JSON.stringify(scores));
  }
  r = await putCriteria(BK.province, [], U.admin.token);
  assert.equal(r.status, 200, r.text);
});

test('criteria: validation, and only the province\'s staff may set them', async () => {
  const before = (await scoring(BK.commune)).criteria;
  const c = (over) => [{ code: 'hieu-qua', name: 'Hiệu quả', weight: 50, max_score: 10, ...over }, { code: 'ben-vung', name: 'Bền vững', weight: 50, max_score: 10 }];
  for (const [what, list] of [
    ['a code with a space', c({ code: 'hieu qua' })],
    ['an empty code', c({ code: '' })],
    ['a code with diacritics', c({ code: 'hiệu-quả' })],
    ['an empty name', c({ name: '' })],
    ['weight 0', c({ weight: 0 })],
    ['a negative weight', c({ weight: -5 })],
    ['weight 1001', c({ weight: 1001 })],
    ['max 0', c({ max_score: 0 })],
    ['a negative max', c({ max_score: -10 })],
    ['the same code twice', c({ code: 'ben-vung' })],
  ]) {
    assertFieldError(await putCriteria(BK.province, list, U.bkStaffP.token), 'criteria', what);
  }
  for (const [what, body] of [
    ['21 criteria', { criteria: Array.from({ length: 21 }, (_, i) => ({ code: `c${i}`, name: `Tiêu chí ${i}`, weight: 1, max_score: 10 })) }],
    ['a missing member', { criteria: [{ code: 'a', name: 'A', weight: 1 }] }],
    ['an extra member', { criteria: [{ code: 'a', name: 'A', weight: 1, max_score: 10, sort: 1 }] }],
    ['weight as text', { criteria: [{ code: 'a', name: 'A', weight: '1', max_score: 10 }] }],
    ['criteria not a list', { criteria: { code: 'a' } }],
    ['no criteria member', {}],
    ['an unknown member', { criteria: [], province: '06' }],
  ]) {
    const r = await api(srv.base, 'PUT', `/api/v1/provinces/${BK.province}/criteria?hierarchy=2024`, { body });
    assertError(r, 400, what);
  }
  for (const k of ['bkStaffD', 'bkStaffC', 'bkOfficer', 'bkAppraiser', 'staffX', 'staffP', 'viewer']) {
    assertError(await putCriteria(BK.province, BK_CATALOGUE, U[k].token), 403, k);
  }
  assertError(await putCriteria(BK.district, BK_CATALOGUE), 404, 'a district is not a province');
  assertError(await putCriteria(BK.commune, BK_CATALOGUE), 404, 'a commune is not a province');
  assertError(await putCriteria('99', BK_CATALOGUE), 404, 'no such province');
  assertError(await putCriteria(BK.province, BK_CATALOGUE, undefined, 2023), 400, 'bad hierarchy');
  assert.deepEqual((await scoring(BK.commune)).criteria, before, 'a refused change changed the catalogue');
  // the 2025 province sets the 2025 catalogue
  const r = await putCriteria('19', BK_CATALOGUE, U.admin.token, 2025);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await scoring('19', 2025)).criteria, BK_CATALOGUE);
  assert.deepEqual((await scoring(BK.commune)).criteria, before, 'the 2024 province keeps its own');
  await putCriteria('19', [], U.admin.token, 2025);
});

test('scoring: bad queries', async () => {
  assertError(await api(srv.base, 'GET', '/api/v1/scoring'), 400, 'no unit');
  assertError(await api(srv.base, 'GET', '/api/v1/scoring?unit='), 400, 'empty unit');
  assertError(await api(srv.base, 'GET', '/api/v1/scoring?unit=20368&hierarchy=2023'), 400, 'bad hierarchy');
  assertError(await api(srv.base, 'GET', '/api/v1/scoring?unit=99999&hierarchy=2024'), 404, 'no such unit');
  assertError(await api(srv.base, 'GET', '/api/v1/scoring?unit=20368&hierarchy=2024', { headers: { Authorization: '' } }), 401, 'anonymous');
});
