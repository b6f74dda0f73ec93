// lifecycle.test.mjs: THE LIFECYCLE MATRIX (issue 4) and the rules around it.
//
// Every from-status × to-status × role, for models registered with the commune,
// the district and the province committee, is tried through
// POST /api/v1/models/{id}/transitions and must answer exactly what the tables
// below say (written from DESIGN.md and the issue, never read from the server):
//   404  the user's scope does not hold the model (it does not exist for them)
//   422  the step does not exist from that status (error.allowed lists the steps
//        the user can take, error.status the current status); also for
//        implementing → appraised without an appraisal
//   403  the step exists but the user's role and level may not take it
//   200  the step is taken (on a fresh model), and recorded in the history
// Every refused request must leave status, version, typical and history as they
// were. Each level's matrix is printed as a table (t.diagnostic): "200", or
// "403≠200" when the server answered 403 where 200 was expected.
//
// Then: reasons, decisions (number, date, not in the future), recognition and
// the latest appraisal, the history's content, bulk steps (all or none), If-Match,
// and the typical flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, assertFieldError, createModel, listModels, token, validModel } from '../lib/http.mjs';
import { sqlOk } from '../lib/sqlite.mjs';
import { page, signInOk } from '../lib/session.mjs';
import {
  STATUSES, FAILING, PASSING, appraise, as, fullStep, history, isoDay, modelIn, provinceUsers, snapshot, transition, walk,
} from '../lib/lifecycle.mjs';

let srv;
let U; // users by role key, plus admin

before(async () => {
  srv = await startServer();
  U = await provinceUsers(srv, 'lc');
  U.admin = { login: 'admin', token: srv.adminToken };
});
after(async () => { if (srv) await srv.stop(); });

// ---- the specification ----------------------------------------------------------------
// by: R = the registrant (admin, staff or officer whose scope holds the model),
//     C = the committee the model is registered with.
const RULES = {
  'draft>registered': { by: 'RC' },
  'registered>draft': { by: 'C', reason: true },
  'registered>selected': { by: 'C', decision: true },
  'registered>rejected': { by: 'C', reason: true },
  'selected>implementing': { by: 'RC' },
  'implementing>appraised': { by: 'C', appraisal: true },
  'appraised>recognized': { by: 'C', decision: true, passing: true },
  'appraised>not_recognized': { by: 'C', reason: true },
  'recognized>not_recognized': { by: 'C', reason: true, decision: true },
};
for (const s of STATUSES) if (s !== 'withdrawn') RULES[`${s}>withdrawn`] = { by: 'RC', reason: true };

const LEVELS = ['commune', 'district', 'province'];

/* Roles: inside = the scope holds a model of Xã Tam An (20368, 2024); registrant;
 * committee(level) = a member of the committee of that registration level. */
const ROLES = {
  admin: { inside: true, registrant: true, committee: () => true },
  staffC: { inside: true, registrant: true, committee: (l) => l === 'commune' },
  staffC25: { inside: true, registrant: true, committee: (l) => l === 'commune' },
  staffD: { inside: true, registrant: true, committee: (l) => l === 'district' },
  staffP: { inside: true, registrant: true, committee: (l) => l === 'province' },
  // after the merger the 2025 province decides for the districts that became part of it
  staffP25: { inside: true, registrant: true, committee: (l) => l === 'district' || l === 'province' },
  staffX: { inside: false },
  officer: { inside: true, registrant: true, committee: (l) => l === 'commune' },
  officerX: { inside: false },
  appraiser: { inside: true, registrant: false, committee: () => false },
  viewer: { inside: true, registrant: false, committee: () => false },
};

function mayTake(role, level, rule) {
  const r = ROLES[role];
  return (rule.by.includes('R') && r.registrant) || (rule.by.includes('C') && r.committee(level));
}

/* The steps `role` may take from `from` (what error.allowed must list). */
function allowedFor(role, level, from) {
  return STATUSES.filter((to) => RULES[`${from}>${to}`] && mayTake(role, level, RULES[`${from}>${to}`]));
}

function expected(role, level, from, to) {
  if (!ROLES[role].inside) return 404;
  const rule = RULES[`${from}>${to}`];
  if (!rule) return 422;
  if (!mayTake(role, level, rule)) return 403;
  if (rule.appraisal) return 422; // a fresh implementing model has no appraisal yet
  return 200;
}

// ---- the matrix ---------------------------------------------------------------------------
const probes = new Map(); // `${level}/${from}` -> model id (refused requests never move it)
async function probe(level, from) {
  const k = `${level}/${from}`;
  if (!probes.has(k)) probes.set(k, (await modelIn(srv.base, from, { registration_level: level, title: `Probe ${k} ${token()}` })).id);
  return probes.get(k);
}

const tables = new Map(); // level -> rows

for (const level of LEVELS) {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      test(`matrix ${level}: ${from} → ${to}, every role`, { timeout: 120000 }, async (t) => {
        const id = await probe(level, from);
        const cells = [];
        const failures = [];
        for (const role of Object.keys(ROLES)) {
          const want = expected(role, level, from, to);
          const user = U[role];
          const body = fullStep(to);
          let r;
          let target = id;
          if (want === 200) {
            const m = await modelIn(srv.base, from, { registration_level: level, title: `Step ${level} ${from}>${to} ${role} ${token()}` });
            target = m.id;
          }
          const before = await snapshot(srv.base, target);
          r = await transition(srv.base, target, body, { tok: user.token });
          cells.push(r.status === want ? String(want) : `${r.status}≠${want}`);
          try {
            assert.equal(r.status, want, `${role}: expected ${want}, got ${r.status}: ${r.text}`);
            if (want === 200) {
              assert.equal(r.json.status, to, `${role}: the model's status`);
              assert.equal(r.json.version, before.version + 1, `${role}: the version goes up by one`);
              assert.equal(r.headers.get('etag'), `"${r.json.version}"`, `${role}: ETag of the new version`);
              const items = await history(srv.base, target);
              assert.equal(items.length, before.history + 1, `${role}: one more history entry`);
              const e = items.at(-1);
              assert.equal(e.login, user.login, `${role}: history login`);
              assert.equal(e.from, from);
              assert.equal(e.to, to);
              assert.equal(e.comment, body.comment, `${role}: history comment`);
              assert.equal(e.decision_no, body.decision_no, `${role}: history decision_no`);
              assert.equal(e.decision_date, body.decision_date, `${role}: history decision_date`);
            } else {
              const err = assertError(r, want, role);
              if (want === 404) assert.equal(err.code, 'not_found', role);
              if (want === 403) {
                assert.equal(err.code, 'forbidden', role);
                if (RULES[`${from}>${to}`].by === 'C') assert.match(err.message, /steering committee/i, `${role}: says who decides`);
              }
              if (want === 422) {
                assert.equal(err.code, 'validation_failed', role);
                assert.ok(err.fields.some((f) => f.field === 'to'), `${role}: a fields[] entry for "to": ${r.text}`);
                assert.equal(err.status, from, `${role}: error.status`);
                assert.deepEqual([...err.allowed].sort(), allowedFor(role, level, from).sort(), `${role}: error.allowed`);
              }
              assert.deepEqual(await snapshot(srv.base, target), before, `${role}: a refused step changed the model`);
            }
          } catch (e) {
            failures.push(e);
          }
        }
        const rows = tables.get(level) || [];
        rows.push(`${from.padEnd(15)}→ ${to.padEnd(15)}${cells.map((c) => c.padEnd(9)).join('')}`);
        tables.set(level, rows);
        if (failures.length) {
          throw new assert.AssertionError({ message: failures.map((e) => e.message).join('\n---\n') });
        }
      });
    }
  }
  test(`matrix ${level}: table`, (t) => {
    t.diagnostic(`level ${level}; columns: ${Object.keys(ROLES).join(' ')}`);
    for (const row of tables.get(level) || []) t.diagnostic(row);
  });
}

// ---- reasons ----------------------------------------------------------------------------
test('every refusal, return, non-recognition and withdrawal needs a reason; blank ones are refused', async () => {
  const reasonRules = Object.entries(RULES).filter(([, r]) => r.reason).map(([k]) => k.split('>'));
  assert.equal(reasonRules.length, 12);
  const byFrom = new Map();
  for (const [from, to] of reasonRules) {
    if (!byFrom.has(from)) byFrom.set(from, (await modelIn(srv.base, from)).id);
    const id = byFrom.get(from);
    const before = await snapshot(srv.base, id);
    const base = { to, decision_no: '7-QĐ/BDVTU', decision_date: '2024-05-02' };
    for (const [what, body] of [
      ['no comment', base],
      ['null comment', { ...base, comment: null }],
      ['empty comment', { ...base, comment: '' }],
    ]) {
      const r = await transition(srv.base, id, body);
      const { err } = assertFieldError(r, 'comment', `${from} → ${to}, ${what}`);
      assert.equal(err.status, from);
      assert.deepEqual(await snapshot(srv.base, id), before, `${from} → ${to}, ${what}: changed the model`);
    }
  }
});

test('a reason made only of spaces is no reason: refused on every step that needs one', async () => {
  const failures = [];
  for (const [from, to] of Object.entries(RULES).filter(([, r]) => r.reason).map(([k]) => k.split('>'))) {
    const id = (await modelIn(srv.base, from)).id;
    const before = await snapshot(srv.base, id);
    for (const comment of ['   ', '\t\n', '\u00a0\u3000']) {
      const r = await transition(srv.base, id, { to, comment, decision_no: '7-QĐ/BDVTU', decision_date: '2024-05-02' });
      try {
        assertFieldError(r, 'comment', `${from} → ${to}, comment ${JSON.stringify(comment)}`);
        assert.deepEqual(await snapshot(srv.base, id), before, `${from} → ${to}: changed the model`);
      } catch (e) {
        failures.push(`${from} → ${to}, comment ${JSON.stringify(comment)}: HTTP ${r.status}, status now ${(await snapshot(srv.base, id)).status}`);
        break; // the model moved: the next tries would test another state
      }
    }
  }
  // and in a batch
  const ids = [(await modelIn(srv.base, 'registered')).id, (await modelIn(srv.base, 'registered')).id];
  const r = await api(srv.base, 'POST', '/api/v1/transitions', { body: { ids, to: 'rejected', comment: '  ' } });
  if (r.status !== 422) failures.push(`bulk registered → rejected, comment "  ": HTTP ${r.status} ${r.text}`);
  assert.deepEqual(failures, [], 'blank reasons accepted');
});

test('steps that need no reason are taken without a comment (stored as null)', async () => {
  const m = await modelIn(srv.base, 'draft');
  let r = await transition(srv.base, m.id, { to: 'registered' });
  assert.equal(r.status, 200, r.text);
  r = await transition(srv.base, m.id, { to: 'selected', decision_no: '3-QĐ', decision_date: '2024-04-02' });
  assert.equal(r.status, 200, r.text);
  r = await transition(srv.base, m.id, { to: 'implementing', comment: '' });
  assert.equal(r.status, 200, r.text);
  const items = await history(srv.base, m.id);
  assert.deepEqual(items.map((e) => e.comment), [null, null, null]);
  assert.deepEqual(items.map((e) => e.decision_no), [null, '3-QĐ', null]);
});

test('the registration cannot be moved after a decision on it; up to its day it can', async () => {
  const m = await modelIn(srv.base, 'draft');
  assert.equal((await transition(srv.base, m.id, { to: 'registered' })).status, 200);
  let r = await transition(srv.base, m.id, { to: 'selected', decision_no: '4-QĐ', decision_date: '2024-04-02' });
  assert.equal(r.status, 200, r.text);
  const before = await snapshot(srv.base, m.id);
  const patch = (day, lang = 'vi') => api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, {
    body: { registered_on: day }, headers: { 'If-Match': `"${before.version}"`, 'Accept-Language': lang },
  });
  r = await patch('2024-04-03', 'en');
  assertFieldError(r, 'registered_on', 'a day after the selection decision');
  assert.match(JSON.stringify(r.json), /after a decision/);
  r = await patch('2024-04-03');
  assertFieldError(r, 'registered_on', 'in Vietnamese');
  assert.match(JSON.stringify(r.json), /sau ngày quyết định/);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json.registered_on, '2024-03-15');
  r = await patch('2024-04-02');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.registered_on, '2024-04-02');
});

test('a comment of more than 2,000 characters is refused; 2,000 are accepted', async () => {
  const m = await modelIn(srv.base, 'registered');
  const before = await snapshot(srv.base, m.id);
  let r = await transition(srv.base, m.id, { to: 'rejected', comment: 'ệ'.repeat(2001) });
  assertFieldError(r, 'comment', '2,001 characters');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  r = await transition(srv.base, m.id, { to: 'rejected', comment: 'ệ'.repeat(2000) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await history(srv.base, m.id)).at(-1).comment, 'ệ'.repeat(2000));
});

// ---- decisions ----------------------------------------------------------------------------
const DECISION_RULES = Object.entries(RULES).filter(([, r]) => r.decision).map(([k]) => k.split('>'));

test('selection, recognition and removal need a decision number and a valid, past date', async () => {
  assert.deepEqual(DECISION_RULES.map((x) => x.join('>')).sort(),
    ['appraised>recognized', 'recognized>not_recognized', 'registered>selected']);
  for (const [from, to] of DECISION_RULES) {
    const m = await modelIn(srv.base, from);
    const before = await snapshot(srv.base, m.id);
    const ok = { to, comment: 'Đánh giá hằng năm', decision_no: '15-QĐ/BDVTU', decision_date: '2024-06-10' };
    const cases = [
      ['no number', { ...ok, decision_no: undefined }, 'decision_no'],
      ['empty number', { ...ok, decision_no: '' }, 'decision_no'],
      ['a number of 64 characters', { ...ok, decision_no: 'Q'.repeat(64) }, 'decision_no'],
      ['no date', { ...ok, decision_date: undefined }, 'decision_date'],
      ['empty date', { ...ok, decision_date: '' }, 'decision_date'],
      ['30 February', { ...ok, decision_date: '2024-02-30' }, 'decision_date'],
      ['not a date', { ...ok, decision_date: 'hôm qua' }, 'decision_date'],
      ['month 13', { ...ok, decision_date: '13/13/2024' }, 'decision_date'],
      ['the day after tomorrow', { ...ok, decision_date: isoDay(2) }, 'decision_date'],
      ['next year', { ...ok, decision_date: `${Number(isoDay(0).slice(0, 4)) + 1}-01-01` }, 'decision_date'],
    ];
    for (const [what, body, field] of cases) {
      const r = await transition(srv.base, m.id, body);
      assertFieldError(r, field, `${from} → ${to}: ${what}`);
      assert.deepEqual(await snapshot(srv.base, m.id), before, `${from} → ${to}: ${what}: changed the model`);
    }
  }
});

test('a decision number made only of spaces is no number', async () => {
  const failures = [];
  for (const [from, to] of DECISION_RULES) {
    const m = await modelIn(srv.base, from);
    const before = await snapshot(srv.base, m.id);
    const r = await transition(srv.base, m.id, { to, comment: 'Đánh giá', decision_no: '   ', decision_date: '2024-06-10' });
    try {
      assertFieldError(r, 'decision_no', `${from} → ${to}`);
      assert.deepEqual(await snapshot(srv.base, m.id), before);
    } catch (e) {
      failures.push(`${from} → ${to}: HTTP ${r.status}, status now ${(await snapshot(srv.base, m.id)).status}`);
    }
  }
  assert.deepEqual(failures, [], 'blank decision numbers accepted');
});

test('a decision dated today is accepted; dd/mm/yyyy is read and stored as ISO', async () => {
  const a = await modelIn(srv.base, 'registered');
  let r = await transition(srv.base, a.id, { to: 'selected', decision_no: '1-QĐ', decision_date: isoDay(0) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await history(srv.base, a.id)).at(-1).decision_date, isoDay(0));
  const b = await modelIn(srv.base, 'registered');
  r = await transition(srv.base, b.id, { to: 'selected', decision_no: '2-QĐ', decision_date: '05/04/2024' });
  assert.equal(r.status, 200, r.text);
  const e = (await history(srv.base, b.id)).at(-1);
  assert.equal(e.decision_date, '2024-04-05');
  assert.equal(e.decision_no, '2-QĐ');
});

test('a decision given on a step that needs none is still checked (no future or invalid date)', async () => {
  const m = await modelIn(srv.base, 'draft');
  const before = await snapshot(srv.base, m.id);
  assertFieldError(await transition(srv.base, m.id, { to: 'registered', decision_no: '9', decision_date: isoDay(3) }), 'decision_date', 'future');
  assertFieldError(await transition(srv.base, m.id, { to: 'registered', decision_no: '9', decision_date: '2024-13-01' }), 'decision_date', 'invalid');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  const r = await transition(srv.base, m.id, { to: 'registered', decision_no: '9-CV', decision_date: '2024-03-20' });
  assert.equal(r.status, 200, r.text);
  const e = (await history(srv.base, m.id)).at(-1);
  assert.equal(e.decision_no, '9-CV');
  assert.equal(e.decision_date, '2024-03-20');
});

// ---- recognition needs a passing latest appraisal ---------------------------------------
test('recognition is refused without an appraisal (even when the model is marked appraised)', async () => {
  const m = await modelIn(srv.base, 'appraised');
  // an appraised model whose appraisal is gone (e.g. removed by an administrator in the database)
  await sqlOk(srv.dbPath, `DELETE FROM appraisal_scores WHERE appraisal_id IN (SELECT id FROM appraisals WHERE model_id = ${m.id});
    DELETE FROM appraisals WHERE model_id = ${m.id};`);
  const before = await snapshot(srv.base, m.id);
  const r = await transition(srv.base, m.id, fullStep('recognized'));
  const { hit } = assertFieldError(r, 'to', 'no appraisal');
  assert.match(hit.message, /appraisal/i);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  // not recognizing also rests on an appraisal
  assertFieldError(await transition(srv.base, m.id, fullStep('not_recognized')), 'to', 'no appraisal, not recognized');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
});

test('implementing → appraised by hand needs an appraisal; with one on record the committee may take it', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const before = await snapshot(srv.base, m.id);
  const r = await transition(srv.base, m.id, { to: 'appraised' });
  assert.match(assertFieldError(r, 'to').hit.message, /appraisal/i);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  // a model sent back to implementing after an appraisal (set in the database: no route does that)
  const n = await modelIn(srv.base, 'appraised');
  await sqlOk(srv.dbPath, `UPDATE models SET status = 'implementing' WHERE id = ${n.id};`);
  const r2 = await transition(srv.base, n.id, { to: 'appraised', comment: 'Đã có biên bản thẩm định' });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json.status, 'appraised');
});

test('recognition is refused when the latest appraisal fails, and allowed once a later one passes', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const a = await appraise(srv.base, m.id, FAILING);
  assert.equal(a.passed, false);
  assert.equal(a.score, 54);
  assert.equal((await api(srv.base, 'GET', `/api/v1/models/${m.id}`)).json.status, 'appraised', 'an appraisal moves an implementing model to appraised');
  const before = await snapshot(srv.base, m.id);
  const r = await transition(srv.base, m.id, fullStep('recognized'));
  const { hit, err } = assertFieldError(r, 'to', 'failing appraisal');
  assert.match(hit.message, /pass mark/i);
  assert.equal(err.status, 'appraised');
  assert.ok(err.allowed.includes('recognized'), 'recognizing is a step the committee has, just not now');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  // a second, passing appraisal: the model is already appraised, so it stays there
  const b = await appraise(srv.base, m.id, PASSING);
  assert.equal(b.passed, true);
  assert.equal(b.score, 81.5);
  const after = await snapshot(srv.base, m.id);
  assert.equal(after.status, 'appraised');
  assert.equal(after.history, before.history, 'a second appraisal adds no step');
  const ok = await transition(srv.base, m.id, fullStep('recognized'));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'recognized');
});

test('only the latest appraisal counts: passing, then failing → refused; not recognizing is still possible', async () => {
  const m = await modelIn(srv.base, 'appraised'); // one passing appraisal
  await appraise(srv.base, m.id, FAILING, { over: { visit_date: '2024-07-01' } });
  const before = await snapshot(srv.base, m.id);
  assertFieldError(await transition(srv.base, m.id, fullStep('recognized')), 'to', 'latest failing');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  const r = await transition(srv.base, m.id, { to: 'not_recognized', comment: 'Chưa đạt điểm chuẩn khi kiểm tra lại' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'not_recognized');
});

test('recognition cannot skip the appraisal: implementing → recognized does not exist', async () => {
  const m = await modelIn(srv.base, 'implementing');
  const before = await snapshot(srv.base, m.id);
  const r = await transition(srv.base, m.id, fullStep('recognized'));
  const { err } = assertFieldError(r, 'to');
  assert.deepEqual([...err.allowed].sort(), ['appraised', 'withdrawn']);
  assert.deepEqual(await snapshot(srv.base, m.id), before);
});

// ---- history ---------------------------------------------------------------------------------
test('the history records actor, time, comment and decision of every step, in order', async () => {
  const t0 = Date.now();
  const m = await createModel(srv.base, { status: 'draft', registration_level: 'district', title: `Lịch sử ${token()}` });
  const steps = [
    [U.officer, { to: 'registered', comment: 'Xã gửi đăng ký' }],
    [U.staffD, { to: 'draft', comment: 'Thiếu nguồn lực thực hiện, đề nghị bổ sung' }],
    [U.officer, { to: 'registered', comment: 'Đã bổ sung' }],
    [U.staffD, { to: 'selected', comment: 'Lựa chọn', decision_no: '45-QĐ/HU', decision_date: '2024-04-15' }],
    [U.officer, { to: 'implementing' }],
  ];
  for (const [u, body] of steps) {
    const r = await transition(srv.base, m.id, body, { tok: u.token });
    assert.equal(r.status, 200, `${u.login} → ${body.to}: ${r.text}`);
  }
  await appraise(srv.base, m.id, PASSING, { tok: U.appraiser.token });
  const r = await transition(srv.base, m.id, { to: 'recognized', comment: 'Công nhận', decision_no: '88-QĐ/HU', decision_date: '15/09/2024' }, { tok: U.staffP25.token });
  assert.equal(r.status, 200, r.text);
  const t1 = Date.now();

  const items = await history(srv.base, m.id);
  const want = [
    ['lc_officer', 'draft', 'registered', 'Xã gửi đăng ký', null, null],
    ['lc_staffd', 'registered', 'draft', 'Thiếu nguồn lực thực hiện, đề nghị bổ sung', null, null],
    ['lc_officer', 'draft', 'registered', 'Đã bổ sung', null, null],
    ['lc_staffd', 'registered', 'selected', 'Lựa chọn', '45-QĐ/HU', '2024-04-15'],
    ['lc_officer', 'selected', 'implementing', null, null, null],
    ['lc_appraiser', 'implementing', 'appraised', undefined, null, null], // the appraisal's own step
    ['lc_staffp25', 'appraised', 'recognized', 'Công nhận', '88-QĐ/HU', '2024-09-15'],
  ];
  assert.equal(items.length, want.length, JSON.stringify(items));
  let lastAt = '';
  let lastId = 0;
  items.forEach((e, i) => {
    const [login, from, to, comment, dno, ddate] = want[i];
    assert.equal(e.login, login, `entry ${i} login`);
    assert.equal(e.from, from, `entry ${i} from`);
    assert.equal(e.to, to, `entry ${i} to`);
    if (comment !== undefined) assert.equal(e.comment, comment, `entry ${i} comment`);
    assert.equal(e.decision_no, dno, `entry ${i} decision_no`);
    assert.equal(e.decision_date, ddate, `entry ${i} decision_date`);
    assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `entry ${i} at`);
    const at = Date.parse(e.at);
    assert.ok(at >= Math.floor(t0 / 1000) * 1000 && at <= t1 + 1000, `entry ${i} at ${e.at} is not the time of the step`);
    assert.ok(e.at >= lastAt, 'entries in time order');
    assert.ok(e.id > lastId, 'entries in id order');
    lastAt = e.at;
    lastId = e.id;
  });
  // the appraisal's step says what happened
  assert.ok(items[5].comment && items[5].comment.trim().length > 0, 'the automatic step carries a comment');
  // everyone in scope reads it; outside the scope it does not exist
  for (const k of ['viewer', 'appraiser', 'officer', 'staffC25']) {
    const h = await api(srv.base, 'GET', `/api/v1/models/${m.id}/history`, { headers: as(U[k].token) });
    assert.equal(h.status, 200, `${k}: ${h.text}`);
    assert.equal(h.json.items.length, want.length);
  }
  for (const k of ['staffX', 'officerX']) {
    assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/history`, { headers: as(U[k].token) }), 404, k);
  }
  assertError(await api(srv.base, 'GET', '/api/v1/models/99999999/history'), 404, 'no such model');
  assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/history`, { headers: { Authorization: '' } }), 401, 'anonymous');
});

// ---- malformed requests ------------------------------------------------------------------
test('malformed transition requests are refused and change nothing', async () => {
  const m = await modelIn(srv.base, 'registered');
  const before = await snapshot(srv.base, m.id);
  const post = (body, headers) => api(srv.base, 'POST', `/api/v1/models/${m.id}/transitions`, { body, headers });
  assertError(await post({ comment: 'x' }), 400, 'no "to"');
  assertError(await post({ to: null }), 400, '"to" null');
  assertError(await post({ to: 5 }), 400, '"to" a number');
  assertError(await post({ to: 'selected', decision_no: 12, decision_date: '2024-01-01' }), 400, 'decision_no a number');
  assertError(await post({ to: 'rejected', comment: ['x'] }), 400, 'comment an array');
  assertError(await post({ to: 'rejected', comment: 'x', status: 'recognized' }), 400, 'an unknown member');
  assertError(await post('{"to":'), 400, 'broken JSON');
  assertError(await post('["rejected"]'), 400, 'not an object');
  assertError(await post({ to: 'rejected', comment: 'x' }, { Authorization: '' }), 401, 'anonymous');
  assertError(await post({ to: 'rejected', comment: 'x' }, { Authorization: 'Bearer nope' }), 401, 'bad token');
  const { err } = assertFieldError(await post({ to: 'approved' }), 'to', 'unknown status');
  assert.equal(err.status, 'registered');
  assertFieldError(await post({ to: 'Selected', decision_no: '1', decision_date: '2024-01-01' }), 'to', 'status names are exact');
  assertFieldError(await post({ to: '' }), 'to', 'empty status');
  assertFieldError(await post({ to: 'registered' }), 'to', 'the same status again');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  assertError(await api(srv.base, 'POST', '/api/v1/models/99999999/transitions', { body: fullStep('selected') }), 404, 'no such model');
  assertError(await api(srv.base, 'POST', '/api/v1/models/abc/transitions', { body: fullStep('selected') }), 404, 'not an id');
  assertError(await api(srv.base, 'POST', '/api/v1/models/0/transitions', { body: fullStep('selected') }), 404, 'id 0');
});

// ---- If-Match ------------------------------------------------------------------------------
test('a transition with a stale If-Match is refused with 409 and changes nothing; the current one is accepted', async () => {
  const m = await modelIn(srv.base, 'registered');
  const v = m.version;
  const before = await snapshot(srv.base, m.id);
  for (const im of [`"${v - 1}"`, `"${v + 1}"`, `W/"${v + 5}"`, `"0"`]) {
    const r = await transition(srv.base, m.id, fullStep('selected'), { headers: { 'If-Match': im } });
    const err = assertError(r, 409, `If-Match ${im}`);
    assert.equal(err.code, 'version_conflict');
    assert.deepEqual(await snapshot(srv.base, m.id), before, `If-Match ${im}: changed the model`);
  }
  // a stale version on a step the user may not take is still a 403 or 422, never a move
  const r0 = await transition(srv.base, m.id, fullStep('recognized'), { headers: { 'If-Match': `"${v - 1}"` } });
  assert.equal(r0.status, 422, r0.text);
  let r = await transition(srv.base, m.id, fullStep('selected'), { headers: { 'If-Match': `"${v}"` } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, v + 1);
  assert.equal(r.headers.get('etag'), `"${v + 1}"`);
  // the old version is now stale
  r = await transition(srv.base, m.id, fullStep('implementing'), { headers: { 'If-Match': `"${v}"` } });
  assertError(r, 409, 'the version just used');
  r = await transition(srv.base, m.id, fullStep('implementing'), { headers: { 'If-Match': `W/"${v + 1}"` } });
  assert.equal(r.status, 200, r.text);
  // an edit through PATCH bumps the version: a transition prepared before it is stale
  const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
  const p = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: 'Đã cập nhật' }, headers: { 'If-Match': `"${g.json.version}"` } });
  assert.equal(p.status, 200, p.text);
  const before2 = await snapshot(srv.base, m.id);
  assertError(await transition(srv.base, m.id, fullStep('withdrawn'), { headers: { 'If-Match': `"${g.json.version}"` } }), 409, 'stale after PATCH');
  assert.deepEqual(await snapshot(srv.base, m.id), before2);
});

// ---- bulk -------------------------------------------------------------------------------------
const bulk = (body, tok) => api(srv.base, 'POST', '/api/v1/transitions', { body, headers: tok ? as(tok) : { 'Accept-Language': 'en' } });

test('bulk: selecting many registrations moves them all, each with its own history entry', async () => {
  const ms = [];
  for (let i = 0; i < 5; i++) ms.push(await modelIn(srv.base, 'registered', { registration_level: 'district', title: `Bulk ${i} ${token()}` }));
  const r = await bulk({ ids: ms.map((m) => m.id), to: 'selected', comment: 'Đợt 1', decision_no: '30-QĐ/HU', decision_date: '2024-04-20' }, U.staffD.token);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { moved: 5, to: 'selected' });
  for (const m of ms) {
    const s = await snapshot(srv.base, m.id);
    assert.equal(s.status, 'selected');
    assert.equal(s.version, m.version + 1);
    const e = (await history(srv.base, m.id)).at(-1);
    assert.deepEqual([e.login, e.from, e.to, e.comment, e.decision_no, e.decision_date],
      ['lc_staffd', 'registered', 'selected', 'Đợt 1', '30-QĐ/HU', '2024-04-20']);
  }
  // rejecting many, with the reason
  const rs = [];
  for (let i = 0; i < 3; i++) rs.push(await modelIn(srv.base, 'registered', { registration_level: 'district' }));
  const r2 = await bulk({ ids: rs.map((m) => m.id), to: 'rejected', comment: 'Không phù hợp tiêu chí' }, U.staffD.token);
  assert.deepEqual(r2.json, { moved: 3, to: 'rejected' });
  for (const m of rs) assert.equal((await snapshot(srv.base, m.id)).status, 'rejected');
});

async function bulkRefused(what, ids, body, tok, status, culprit) {
  const before = [];
  for (const id of ids) before.push(id > 9e7 ? null : await snapshot(srv.base, id));
  const r = await bulk({ ids, ...body }, tok);
  const err = assertError(r, status, what);
  if (culprit !== undefined) assert.equal(err.model_id, culprit, `${what}: error.model_id`);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] > 9e7) continue;
    assert.deepEqual(await snapshot(srv.base, ids[i]), before[i], `${what}: model ${ids[i]} changed although the batch was refused`);
  }
  return err;
}

test('bulk is all or none: one model that cannot take the step stops the whole batch and is named', async () => {
  const ok = [];
  for (let i = 0; i < 4; i++) ok.push((await modelIn(srv.base, 'registered', { registration_level: 'district' })).id);
  const sel = { to: 'selected', decision_no: '31-QĐ/HU', decision_date: '2024-04-21' };
  // a draft among registrations (last, so that the others were already "moved" inside the transaction)
  const draft = (await modelIn(srv.base, 'draft', { registration_level: 'district' })).id;
  let err = await bulkRefused('a draft', [...ok, draft], sel, U.staffD.token, 422, draft);
  assert.ok(err.fields.some((f) => f.field === 'to'), JSON.stringify(err));
  // the illegal one first
  await bulkRefused('a draft first', [draft, ...ok], sel, U.staffD.token, 422, draft);
  // a commune-level registration: the district may not select it
  const communal = (await modelIn(srv.base, 'registered', { registration_level: 'commune' })).id;
  err = await bulkRefused('another committee\'s model', [...ok, communal], sel, U.staffD.token, 403, communal);
  assert.equal(err.code, 'forbidden');
  // a model the user cannot see
  const far = (await createModel(srv.base, { unit_code: '00004', registration_level: 'district', title: `Hà Nội ${token()}` })).id;
  err = await bulkRefused('a model outside the scope', [...ok, far], sel, U.staffD.token, 404, far);
  assert.equal(err.code, 'not_found');
  // no such model
  await bulkRefused('no such model', [...ok, 99999998], sel, U.staffD.token, 404, 99999998);
  // the same model twice
  await bulkRefused('a model listed twice', [ok[0], ok[1], ok[0]], sel, U.staffD.token, 422, ok[0]);
  // the step's requirements are checked for every model: no decision
  await bulkRefused('no decision', ok, { to: 'selected' }, U.staffD.token, 422);
  await bulkRefused('a future decision', ok, { ...sel, decision_date: isoDay(2) }, U.staffD.token, 422);
  await bulkRefused('rejecting without a reason', ok, { to: 'rejected' }, U.staffD.token, 422);
  // an officer may not select at all
  await bulkRefused('an officer selecting', ok, sel, U.officer.token, 403, ok[0]);
  // and after all that, the batch itself still goes through
  const r = await bulk({ ids: ok, ...sel }, U.staffD.token);
  assert.deepEqual(r.json, { moved: 4, to: 'selected' });
});

test('bulk: malformed batches are refused with 400', async () => {
  const id = (await modelIn(srv.base, 'registered')).id;
  const before = await snapshot(srv.base, id);
  const sel = { to: 'selected', decision_no: '1', decision_date: '2024-04-01' };
  for (const [what, body] of [
    ['no ids', sel],
    ['empty ids', { ...sel, ids: [] }],
    ['ids not a list', { ...sel, ids: id }],
    ['an id as text', { ...sel, ids: [String(id)] }],
    ['id 0', { ...sel, ids: [id, 0] }],
    ['a negative id', { ...sel, ids: [-id] }],
    ['a fractional id', { ...sel, ids: [id + 0.5] }],
    ['1,001 ids', { ...sel, ids: Array.from({ length: 1001 }, (_, i) => i + 1) }],
    ['no "to"', { ids: [id], decision_no: '1', decision_date: '2024-04-01' }],
    ['an unknown member', { ...sel, ids: [id], force: true }],
  ]) {
    assertError(await bulk(body), 400, what);
  }
  assertError(await api(srv.base, 'POST', '/api/v1/transitions', { body: { ids: [id], ...sel }, headers: { Authorization: '' } }), 401, 'anonymous');
  assert.deepEqual(await snapshot(srv.base, id), before);
});

// ---- typical -----------------------------------------------------------------------------------
const patch = (id, version, body, tok) => api(srv.base, 'PATCH', `/api/v1/models/${id}`,
  { body, headers: { ...(tok ? as(tok) : { 'Accept-Language': 'en' }), 'If-Match': `"${version}"` } });

test('typical: only on recognized models, only by the deciding committee, always with a reason', async () => {
  const m = await modelIn(srv.base, 'recognized', { registration_level: 'district', title: `Điển hình ${token()}` });
  const reason = 'Hiệu quả cao, được nhân rộng ra 5 xã';
  // not the committee: 403, nothing changes
  for (const k of ['staffC', 'staffP', 'officer', 'appraiser', 'viewer']) {
    const before = await snapshot(srv.base, m.id);
    const r = await patch(m.id, before.version, { typical: true, typical_reason: reason }, U[k].token);
    assertError(r, 403, k);
    assert.deepEqual(await snapshot(srv.base, m.id), before, `${k}: changed the model`);
  }
  for (const k of ['staffX', 'officerX']) {
    const before = await snapshot(srv.base, m.id);
    assertError(await patch(m.id, before.version, { typical: true, typical_reason: reason }, U[k].token), 404, k);
    assert.deepEqual(await snapshot(srv.base, m.id), before);
  }
  // the committee without a reason: 422
  for (const [what, body] of [
    ['no reason', { typical: true }],
    ['null reason', { typical: true, typical_reason: null }],
    ['empty reason', { typical: true, typical_reason: '' }],
    ['a reason of spaces', { typical: true, typical_reason: '   ' }],
  ]) {
    const before = await snapshot(srv.base, m.id);
    assertFieldError(await patch(m.id, before.version, body, U.staffD.token), 'typical_reason', what);
    assert.deepEqual(await snapshot(srv.base, m.id), before, `${what}: changed the model`);
  }
  // the committee with a reason
  let s = await snapshot(srv.base, m.id);
  let r = await patch(m.id, s.version, { typical: true, typical_reason: reason }, U.staffD.token);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.typical, true);
  assert.equal(r.json.typical_reason, reason);
  assert.equal(r.json.status, 'recognized');
  // shown and filterable
  const tk = m.title.split(' ').at(-1);
  assert.deepEqual((await listModels(srv.base, { q: tk, typical: 'true' })).items.map((x) => x.id), [m.id]);
  assert.deepEqual((await listModels(srv.base, { q: tk, typical: 'false' })).items.map((x) => x.id), []);
  // the 2025 province decides for the former district too: it may clear the flag
  s = await snapshot(srv.base, m.id);
  r = await patch(m.id, s.version, { typical: false }, U.staffP25.token);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.typical, false);
  // a stale version is a conflict
  s = await snapshot(srv.base, m.id);
  assertError(await patch(m.id, s.version - 1, { typical: true, typical_reason: reason }, U.staffD.token), 409, 'stale');
  assert.deepEqual(await snapshot(srv.base, m.id), s);
});

test('typical cannot be set on a model that is not recognized, even by the committee', async () => {
  for (const st of ['registered', 'selected', 'implementing', 'appraised', 'not_recognized', 'withdrawn']) {
    const m = await modelIn(srv.base, st, { registration_level: 'province' });
    const before = await snapshot(srv.base, m.id);
    for (const k of ['admin', 'staffP']) {
      const r = await patch(m.id, before.version, { typical: true, typical_reason: 'Tiêu biểu' }, U[k].token);
      assertFieldError(r, 'typical', `${st}, ${k}`);
      assert.deepEqual(await snapshot(srv.base, m.id), before, `${st}, ${k}: changed the model`);
    }
  }
  // nor at registration
  const r = await api(srv.base, 'POST', '/api/v1/models', { body: validModel({ typical: true, typical_reason: 'x' }) });
  assertFieldError(r, 'typical', 'a new model marked typical');
});

test('a commune committee (the commune officer) may mark its own recognized model typical', async () => {
  const m = await modelIn(srv.base, 'recognized', { registration_level: 'commune' });
  const s = await snapshot(srv.base, m.id);
  const r = await patch(m.id, s.version, { typical: true, typical_reason: 'Mô hình tiêu biểu của xã' }, U.officer.token);
  assert.equal(r.status, 200, `the officer is the commune committee that recognized it: ${r.text}`);
  assert.equal(r.json.typical, true);
  // and so may the commune's staff
  const m2 = await modelIn(srv.base, 'recognized', { registration_level: 'commune' });
  const s2 = await snapshot(srv.base, m2.id);
  const r2 = await patch(m2.id, s2.version, { typical: true, typical_reason: 'Mô hình tiêu biểu của xã' }, U.staffC.token);
  assert.equal(r2.status, 200, r2.text);
});

test('leaving recognized clears typical (not recognized at the yearly review, or withdrawn)', async () => {
  for (const [to, body] of [
    ['not_recognized', { to: 'not_recognized', comment: 'Không còn hiệu quả', decision_no: '5-QĐ/BDVTU', decision_date: '2024-12-20' }],
    ['withdrawn', { to: 'withdrawn', comment: 'Đơn vị xin rút' }],
  ]) {
    const m = await modelIn(srv.base, 'recognized', { registration_level: 'province', title: `Rời ${to} ${token()}` });
    let s = await snapshot(srv.base, m.id);
    const p = await patch(m.id, s.version, { typical: true, typical_reason: 'Tiêu biểu toàn tỉnh', public: true }, U.staffP.token);
    assert.equal(p.status, 200, p.text);
    const tk = m.title.split(' ').at(-1);
    assert.deepEqual((await listModels(srv.base, { q: tk, typical: 'true' })).items.map((x) => x.id), [m.id]);
    const pub = await fetch(`${srv.base}/public/models/${m.id}`);
    assert.equal(pub.status, 200, 'a public typical recognized model is on the showcase');
    await pub.arrayBuffer();
    const r = await transition(srv.base, m.id, body, { tok: U.staffP.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, to);
    assert.equal(r.json.typical, false, `${to}: typical is cleared`);
    s = await snapshot(srv.base, m.id);
    assert.equal(s.typical, false);
    assert.deepEqual((await listModels(srv.base, { q: tk, typical: 'true' })).items.map((x) => x.id), [], `${to}: still listed as typical`);
    const pub2 = await fetch(`${srv.base}/public/models/${m.id}`);
    await pub2.arrayBuffer();
    assert.equal(pub2.status, 404, `${to}: still on the public showcase`);
  }
});

test('typical: a reason of more than 2,000 characters is refused', async () => {
  const m = await modelIn(srv.base, 'recognized', { registration_level: 'province' });
  const s = await snapshot(srv.base, m.id);
  assertFieldError(await patch(m.id, s.version, { typical: true, typical_reason: 'ạ'.repeat(2001) }, U.staffP.token), 'typical_reason');
  assert.deepEqual(await snapshot(srv.base, m.id), s);
});

test('no one becomes the deciding committee by changing a selected model\'s registration level', async () => {
  // a model the province recognized; the commune's staff may edit it, but not make it a commune model
  const m = await modelIn(srv.base, 'recognized', { registration_level: 'province' });
  const s = await snapshot(srv.base, m.id);
  const r = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`,
    { body: { registration_level: 'commune' }, headers: as(U.staffC.token, { 'If-Match': `"${s.version}"` }) });
  assert.ok(r.status === 403 || r.status === 422, `the commune's staff re-levelled a province-recognized model: ${r.status} ${r.text.slice(0, 300)}`);
  const g = await api(srv.base, 'GET', `/api/v1/models/${m.id}`);
  assert.equal(g.json.registration_level, 'province');
  // and so the province's decisions stay the province's
  const t = await patch(m.id, g.json.version, { typical: true, typical_reason: 'Tự công nhận điển hình' }, U.staffC.token);
  assertError(t, 403, 'the commune marking the province\'s model typical');
  const n = await transition(srv.base, m.id, fullStep('not_recognized'), { tok: U.staffC.token });
  assertError(n, 403, 'the commune removing the province\'s recognition');
  assert.equal((await snapshot(srv.base, m.id)).status, 'recognized');
});

test('concurrent appraisals of an implementing model are all recorded, and it is appraised once', async () => {
  for (let round = 0; round < 6; round++) {
    const m = await modelIn(srv.base, 'implementing');
    const rs = await Promise.all([...Array(10)].map((_, i) => api(srv.base, 'POST', `/api/v1/models/${m.id}/appraisals`,
      { body: { visit_date: '2024-06-01', members: `Tổ ${i}`, scores: PASSING } })));
    const statuses = rs.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409), `round ${round}: ${statuses.join(',')}: ${rs.filter((r) => r.status !== 201).map((r) => r.text).join(' | ')}`);
    const stored = (await api(srv.base, 'GET', `/api/v1/models/${m.id}/appraisals`)).json.items.length;
    assert.equal(stored, statuses.filter((s) => s === 201).length, `round ${round}: appraisals stored`);
    const h = await history(srv.base, m.id);
    assert.equal(h.filter((e) => e.to === 'appraised').length, 1, `round ${round}: appraised once`);
  }
});

test('concurrent steps on one model: exactly one is taken', async () => {
  const m = await modelIn(srv.base, 'registered');
  const rs = await Promise.all([...Array(10)].map((_, i) => transition(srv.base, m.id, fullStep(i % 2 ? 'selected' : 'rejected'))));
  assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.status).join(','));
  assert.ok(rs.every((r) => r.status === 200 || r.status === 422 || r.status === 409), rs.map((r) => r.status).join(','));
  const h = await history(srv.base, m.id);
  assert.equal(h.length, 1, 'a new registration has no step yet; one was taken');
  assert.equal((await snapshot(srv.base, m.id)).status, h.at(-1).to);
});

// ---- the same rules through the pages' forms ------------------------------------------------
test('page forms: refused steps say why and change nothing; allowed ones redirect to the model', async () => {
  const officer = await signInOk(srv.base, U.officer.login, U.officer.password);
  const staff = await signInOk(srv.base, U.staffD.login, U.staffD.password);
  const m = await modelIn(srv.base, 'registered', { registration_level: 'district' });
  const before = await snapshot(srv.base, m.id);
  const post = (s, form) => page(srv.base, 'POST', `/models/${m.id}/transition`, { session: s, form: { csrf: s.csrf, version: before.version, ...form } });
  let r = await post(officer, { to: 'selected', decision_no: '1-QĐ', decision_date: '01/04/2024' });
  assert.equal(r.status, 403, 'the officer may not select for the district');
  assert.match(r.text, /role="alert"/);
  r = await post(staff, { to: 'rejected', comment: '   ' });
  assert.equal(r.status, 422, 'a reason of spaces through the form');
  r = await post(staff, { to: 'selected', decision_no: '1-QĐ', decision_date: '01/04/2024', version: before.version - 1 });
  assert.equal(r.status, 409, 'a stale version');
  r = await post(staff, { to: 'recognized', decision_no: '1-QĐ', decision_date: '01/04/2024' });
  assert.equal(r.status, 422, 'a step that does not exist');
  r = await post(staff, { to: 'selected', decision_no: '1-QĐ', decision_date: '01/04/2024', csrf: 'forged' });
  assert.ok(r.status === 403 || r.status === 400, `a forged CSRF token: ${r.status}`);
  assert.deepEqual(await snapshot(srv.base, m.id), before, 'a refused form changed the model');
  r = await post(staff, { to: 'selected', decision_no: ' 2-QĐ/HU ', decision_date: '02/04/2024', comment: '  Đồng ý  ' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.location, `/models/${m.id}`);
  const e = (await history(srv.base, m.id)).at(-1);
  assert.deepEqual([e.login, e.to, e.decision_no, e.decision_date, e.comment], ['lc_staffd', 'selected', '2-QĐ/HU', '2024-04-02', 'Đồng ý']);
});

test('page forms: a bulk step with one model that cannot take it moves none and names it', async () => {
  const staff = await signInOk(srv.base, U.staffD.login, U.staffD.password);
  const ok = [(await modelIn(srv.base, 'registered', { registration_level: 'district' })).id, (await modelIn(srv.base, 'registered', { registration_level: 'district' })).id];
  const bad = (await modelIn(srv.base, 'selected', { registration_level: 'district' })).id;
  const before = await Promise.all([...ok, bad].map((id) => snapshot(srv.base, id)));
  const form = `csrf=${encodeURIComponent(staff.csrf)}&to=rejected&comment=${encodeURIComponent('Không đạt tiêu chí')}&id=${ok[0]}&id=${bad}&id=${ok[1]}`;
  let r = await page(srv.base, 'POST', '/models/bulk', { session: staff, form });
  assert.equal(r.status, 422, r.text.slice(0, 500));
  assert.ok(r.text.includes(`href="/models/${bad}"`), 'the page links to the model that stopped the batch');
  assert.deepEqual(await Promise.all([...ok, bad].map((id) => snapshot(srv.base, id))), before);
  r = await page(srv.base, 'POST', '/models/bulk', { session: staff, form: `csrf=${encodeURIComponent(staff.csrf)}&to=rejected&comment=x&id=${ok[0]}&id=${ok[1]}&back=%2Fmodels%3Fstatus%3Dregistered` });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.location, '/models?status=registered');
  for (const id of ok) assert.equal((await snapshot(srv.base, id)).status, 'rejected');
  // a redirect only ever goes back into dvk
  const another = (await modelIn(srv.base, 'registered', { registration_level: 'district' })).id;
  r = await page(srv.base, 'POST', '/models/bulk', { session: staff, form: `csrf=${encodeURIComponent(staff.csrf)}&to=rejected&comment=x&id=${another}&back=${encodeURIComponent('//evil.example/')}` });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/models');
});

test('page forms: typical needs the reason and the committee', async () => {
  const staff = await signInOk(srv.base, U.staffD.login, U.staffD.password);
  const prov = await signInOk(srv.base, U.staffP.login, U.staffP.password);
  const m = await modelIn(srv.base, 'recognized', { registration_level: 'district' });
  const before = await snapshot(srv.base, m.id);
  const post = (s, form) => page(srv.base, 'POST', `/models/${m.id}/typical`, { session: s, form: { csrf: s.csrf, version: before.version, ...form } });
  let r = await post(staff, { typical: '1', typical_reason: '  ' });
  assert.equal(r.status, 422, 'no reason');
  r = await post(prov, { typical: '1', typical_reason: 'Tiêu biểu' });
  assert.equal(r.status, 403, 'the 2024 province is not the district committee');
  assert.deepEqual(await snapshot(srv.base, m.id), before);
  r = await post(staff, { typical: '1', typical_reason: 'Tiêu biểu của huyện' });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const s = await snapshot(srv.base, m.id);
  assert.deepEqual([s.typical, s.typical_reason], [true, 'Tiêu biểu của huyện']);
});

test('a decision cannot be dated before the registration', async () => {
  const m = await createModel(srv.base, { registered_on: '2024-03-15' });
  const r = await api(srv.base, 'POST', `/api/v1/models/${m.id}/transitions`, {
    body: { to: 'selected', decision_no: '12-QĐ/BDVTU', decision_date: '2001-01-01' },
  });
  assertFieldError(r, 'decision_date');
  const ok = await api(srv.base, 'POST', `/api/v1/models/${m.id}/transitions`, {
    body: { to: 'selected', decision_no: '12-QĐ/BDVTU', decision_date: '2024-03-15' },
  });
  assert.equal(ok.status, 200, ok.text);
});
