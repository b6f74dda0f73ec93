// spread.test.mjs: replication and coverage on the real unit catalogue, and
// commendation (conferences and awards) — issue 4.
//
// Coverage ("8/8 villages", "100% of the villages of two communes") is counted
// against the hierarchy: for each parent unit of the units a model is in (its
// own and those it spread to), covered/total children of that level. Totals of
// real districts come from ../shared/data/units-2024.csv, never hard-coded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, assertFieldError, createModel, token } from '../lib/http.mjs';
import { units } from '../lib/data.mjs';
import { as, isoDay, modelIn, provinceUsers } from '../lib/lifecycle.mjs';

let srv;
let U;
before(async () => {
  srv = await startServer();
  U = await provinceUsers(srv, 'sp');
  U.admin = { login: 'admin', token: srv.adminToken };
});
after(async () => { if (srv) await srv.stop(); });

const U24 = units(2024);
const byCode24 = new Map(U24.map((u) => [u.code, u]));
/* The communes (level 3) of a 2024 district, from the CSV. */
const communesOf = (district) => U24.filter((u) => u.parent_code === district && u.level === 3);

const hdr = (tok) => (tok ? as(tok) : { 'Accept-Language': 'en' });
const addRep = (id, body, tok) => api(srv.base, 'POST', `/api/v1/models/${id}/replications`, { body, headers: hdr(tok) });
const delRep = (id, rid, tok) => api(srv.base, 'DELETE', `/api/v1/models/${id}/replications/${rid}`, { headers: hdr(tok) });
async function reps(id, tok) {
  const r = await api(srv.base, 'GET', `/api/v1/models/${id}/replications`, { headers: hdr(tok) });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function addVillage(commune, name = `Thôn ${token()}`) {
  const r = await api(srv.base, 'POST', `/api/v1/units/${commune}/villages?hierarchy=2024`, { body: { name } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
/* The coverage line of one parent (exactly one must exist). */
function line(cov, parent, h = 2024) {
  const ls = cov.filter((c) => c.parent_code === parent && c.hierarchy === h);
  assert.equal(ls.length, 1, `one coverage line for ${parent}/${h}: ${JSON.stringify(cov)}`);
  return ls[0];
}

// ---- coverage --------------------------------------------------------------------------------
test('a model in one village spreading to all the others covers n/n villages of its commune', async () => {
  const commune = '20374'; // 2024 Xã Tam Đàn, Huyện Phú Ninh
  const vs = [];
  for (let i = 1; i <= 8; i++) vs.push(await addVillage(commune, `Thôn ${i} Tam Đàn ${token()}`));
  const m = await createModel(srv.base, { unit_code: vs[0].code, title: `Tám thôn ${token()}` });
  let c = line((await reps(m.id)).coverage, commune);
  assert.deepEqual(c, { hierarchy: 2024, parent_code: commune, parent_name: 'Xã Tam Đàn', child_level: 4, covered: 1, total: 8, percent: 12.5 });
  const ids = [];
  for (let i = 1; i < vs.length; i++) {
    const r = await addRep(m.id, { hierarchy: 2024, unit_code: vs[i].code, since: `2024-0${(i % 9) + 1}-15`, note: `Đợt ${i}` });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.unit_code, vs[i].code);
    assert.equal(r.json.unit_name, vs[i].name);
    assert.equal(r.json.parent_code, commune);
    assert.equal(r.json.level, 4);
    assert.equal(r.json.hierarchy, 2024);
    assert.equal(r.json.note, `Đợt ${i}`);
    assert.equal(r.json.replica_model_id, null);
    assert.equal(r.json.login, 'admin');
    ids.push(r.json.id);
    c = line((await reps(m.id)).coverage, commune);
    assert.deepEqual([c.covered, c.total], [i + 1, 8], `after ${i} replications`);
    assert.equal(c.percent, (100 * (i + 1)) / 8);
  }
  const all = await reps(m.id);
  assert.equal(all.items.length, 7);
  assert.deepEqual(all.coverage, [{ hierarchy: 2024, parent_code: commune, parent_name: 'Xã Tam Đàn', child_level: 4, covered: 8, total: 8, percent: 100 }]);
  // a new village is counted at once: 8/9
  await addVillage(commune);
  c = line((await reps(m.id)).coverage, commune);
  assert.deepEqual([c.covered, c.total], [8, 9]);
  // removing one replication: 7/9
  const d = await delRep(m.id, ids[0]);
  assert.equal(d.status, 204, d.text);
  c = line((await reps(m.id)).coverage, commune);
  assert.deepEqual([c.covered, c.total], [7, 9]);
  assertError(await delRep(m.id, ids[0]), 404, 'deleting twice');
  assert.equal((await reps(m.id)).items.length, 6);
});

test('a model spreading to the communes of a real district: covered/total against the catalogue', async () => {
  for (const [district, home] of [['518', '20368'], ['064', '02068']]) { // Phú Ninh (Quảng Nam), Chợ Đồn (Bắc Kạn)
    const communes = communesOf(district);
    assert.ok(communes.length >= 5, `the CSV lists the communes of ${district}`);
    assert.ok(communes.some((u) => u.code === home));
    const m = await createModel(srv.base, { unit_code: home, title: `Lan tỏa ${district} ${token()}` });
    let c = line((await reps(m.id)).coverage, district);
    assert.deepEqual(c, {
      hierarchy: 2024, parent_code: district, parent_name: byCode24.get(district).name, child_level: 3,
      covered: 1, total: communes.length, percent: 100 / communes.length,
    });
    let covered = 1;
    for (const u of communes) {
      if (u.code === home) continue;
      const r = await addRep(m.id, { hierarchy: 2024, unit_code: u.code, since: '2024-09-01' });
      assert.equal(r.status, 201, `${u.code}: ${r.text}`);
      covered++;
      if (covered === Math.ceil(communes.length / 2) || covered === communes.length) {
        c = line((await reps(m.id)).coverage, district);
        assert.deepEqual([c.covered, c.total], [covered, communes.length]);
        assert.equal(c.percent, (100 * covered) / communes.length);
      }
    }
    const all = await reps(m.id);
    assert.equal(all.items.length, communes.length - 1);
    assert.deepEqual(all.items.map((x) => x.unit_code).sort(), communes.map((u) => u.code).filter((x) => x !== home).sort());
    assert.ok(all.items.every((x) => x.parent_code === district && x.level === 3));
    assert.equal(all.items.find((x) => x.unit_code === communes.find((u) => u.code !== home).code).unit_name,
      communes.find((u) => u.code !== home).name);
    assert.deepEqual(line(all.coverage, district).covered, communes.length);
    assert.equal(line(all.coverage, district).percent, 100);
  }
});

test('100% of the villages of two communes: one line per commune', async () => {
  const [a, b] = ['20377', '20386']; // Xã Tam Lộc, Xã Tam Thái
  const va = [await addVillage(a), await addVillage(a), await addVillage(a)];
  const vb = [await addVillage(b), await addVillage(b)];
  const m = await createModel(srv.base, { unit_code: va[0].code });
  for (const v of [...va.slice(1), ...vb]) {
    const r = await addRep(m.id, { hierarchy: 2024, unit_code: v.code, since: '2024-10-01' });
    assert.equal(r.status, 201, r.text);
  }
  const cov = (await reps(m.id)).coverage;
  assert.deepEqual([line(cov, a).covered, line(cov, a).total, line(cov, a).percent], [3, 3, 100]);
  assert.deepEqual([line(cov, b).covered, line(cov, b).total, line(cov, b).percent], [2, 2, 100]);
  assert.equal(line(cov, a).parent_name, byCode24.get(a).name);
});

test('a commune counts as covered when the model is in one of its villages', async () => {
  // a model in a village of Xã Tam Phước spreads to the commune Xã Tam Dân: it is in two communes of Phú Ninh
  const v = await addVillage('20380');
  const m = await createModel(srv.base, { unit_code: v.code });
  const r = await addRep(m.id, { hierarchy: 2024, unit_code: '20392', since: '2024-10-01' });
  assert.equal(r.status, 201, r.text);
  const c = line((await reps(m.id)).coverage, '518');
  assert.deepEqual([c.covered, c.total], [2, communesOf('518').length],
    'Phú Ninh: the model is in Xã Tam Phước (through its village) and in Xã Tam Dân');
});

test('a model already in a unit cannot spread to it: duplicates and its own unit are refused', async () => {
  const m = await createModel(srv.base, { unit_code: '20395' }); // Xã Tam Lãnh
  const r = await addRep(m.id, { hierarchy: 2024, unit_code: '20387', since: '2024-05-01' });
  assert.equal(r.status, 201, r.text);
  assertFieldError(await addRep(m.id, { hierarchy: 2024, unit_code: '20387', since: '2024-06-01' }), 'unit_code', 'the same unit twice');
  assertFieldError(await addRep(m.id, { hierarchy: 2024, unit_code: '20395', since: '2024-06-01' }), 'unit_code', 'its own unit');
  assert.equal((await reps(m.id)).items.length, 1);
  // concurrent duplicates: exactly one is stored
  const rs = await Promise.all([1, 2, 3, 4].map(() => addRep(m.id, { hierarchy: 2024, unit_code: '20364', since: '2024-05-01' })));
  assert.deepEqual(rs.map((x) => x.status).sort(), [201, 422, 422, 422]);
  assert.equal((await reps(m.id)).items.length, 2);
});

test('the 2025 commune a model\'s own commune merged into whole is its own unit too', async () => {
  // 2024 Xã Tam An (20368) merged whole into 2025 Xã Tây Hồ (20380): a Tam An model is already there
  const m = await createModel(srv.base, { unit_code: '20368' });
  const r = await addRep(m.id, { hierarchy: 2025, unit_code: '20380', since: '2025-08-01' });
  assertFieldError(r, 'unit_code', 'spreading to the model\'s own commune as of 2025');
  assert.equal((await reps(m.id)).items.length, 0);
});

test('replications: validation', async () => {
  const m = await createModel(srv.base, { unit_code: '20365' });
  const other = await createModel(srv.base, { unit_code: '00004', title: `Hà Nội ${token()}` });
  const ok = { hierarchy: 2024, unit_code: '20374', since: '2024-05-01' };
  for (const [what, body, field] of [
    ['an unknown unit', { ...ok, unit_code: '99999' }, 'unit_code'],
    ['no unit', { ...ok, unit_code: undefined }, 'unit_code'],
    ['an empty unit', { ...ok, unit_code: '' }, 'unit_code'],
    ['a unit code of 40 characters', { ...ok, unit_code: '1'.repeat(40) }, 'unit_code'],
    ['a unit of the other hierarchy\'s codes', { ...ok, hierarchy: 2025, unit_code: '20374' }, 'unit_code'],
    ['hierarchy 2023', { ...ok, hierarchy: 2023 }, 'hierarchy'],
    ['no since', { ...ok, since: undefined }, 'since'],
    ['since 31 April', { ...ok, since: '2024-04-31' }, 'since'],
    ['since not a date', { ...ok, since: 'năm ngoái' }, 'since'],
    ['since in the future', { ...ok, since: isoDay(3) }, 'since'],
    ['a note of 2,001 characters', { ...ok, note: 'ơ'.repeat(2001) }, 'note'],
    ['itself as replica', { ...ok, replica_model_id: m.id }, 'replica_model_id'],
    ['no such replica', { ...ok, replica_model_id: 99999999 }, 'replica_model_id'],
  ]) {
    assertFieldError(await addRep(m.id, body), field, what);
  }
  // a replica the user cannot see does not exist for them
  const mine = await createModel(srv.base, { unit_code: '20368' });
  assertFieldError(await addRep(mine.id, { ...ok, replica_model_id: other.id }, U.officer.token), 'replica_model_id', 'a replica outside the officer\'s scope');
  assert.equal((await reps(mine.id)).items.length, 0);
  for (const [what, body] of [
    ['an unknown member', { ...ok, model_id: 5 }],
    ['hierarchy as text', { ...ok, hierarchy: '2024' }],
    ['unit as a number', { ...ok, unit_code: 20374 }],
    ['replica as text', { ...ok, replica_model_id: String(other.id) }],
    ['broken JSON', '{"unit_code":'],
  ]) assertError(await addRep(m.id, body), 400, what);
  assert.equal((await reps(m.id)).items.length, 0, 'a refused replication was stored');
  assertError(await addRep(99999999, ok), 404, 'no such model');
  assertError(await api(srv.base, 'GET', '/api/v1/models/99999999/replications'), 404, 'no such model (GET)');
  // dd/mm/yyyy is read; since today is fine
  let r = await addRep(m.id, { ...ok, since: '01/05/2024' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.since, '2024-05-01');
  r = await addRep(m.id, { ...ok, unit_code: '20377', since: isoDay(0) });
  assert.equal(r.status, 201, r.text);
});

test('a replica model of its own, linked to its source', async () => {
  const src = await createModel(srv.base, { unit_code: '20368', title: `Nguồn ${token()}` });
  const replica = await createModel(srv.base, { unit_code: '20365', title: `Nhân rộng ${token()}` });
  const r = await addRep(src.id, { hierarchy: 2024, unit_code: '20365', since: '2024-07-01', replica_model_id: replica.id, note: 'Xã Tam Thành học tập' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.replica_model_id, replica.id);
  const list = await reps(src.id);
  assert.deepEqual(list.items.map((x) => [x.unit_code, x.replica_model_id]), [['20365', replica.id]]);
  const c = line(list.coverage, '518');
  assert.deepEqual([c.covered, c.total], [2, communesOf('518').length]);
});

test('a replica model must lie in the unit it is recorded for', async () => {
  const src = await createModel(srv.base, { unit_code: '20368' });
  const elsewhere = await createModel(srv.base, { unit_code: '20374', title: `Ở Tam Đàn ${token()}` });
  // recorded as the model of Xã Tam Thành, but it is a model of Xã Tam Đàn
  const r = await addRep(src.id, { hierarchy: 2024, unit_code: '20365', since: '2024-07-01', replica_model_id: elsewhere.id });
  assertFieldError(r, 'replica_model_id', 'a replica in another unit');
  assert.equal((await reps(src.id)).items.length, 0);
});

test('replications: who may record, remove and read them', async () => {
  const m = await modelIn(srv.base, 'recognized', { unit_code: '20368', registration_level: 'district' });
  const candidates = communesOf('518').filter((u) => u.code !== '20368').map((u) => u.code);
  const want = {
    admin: 201, staffC: 201, staffC25: 201, staffD: 201, staffP: 201, staffP25: 201, officer: 201,
    appraiser: 403, viewer: 403, staffX: 404, officerX: 404,
  };
  const got = {};
  let n = 0;
  const made = {};
  for (const [k, status] of Object.entries(want)) {
    const unit = candidates[n];
    const r = await addRep(m.id, { hierarchy: 2024, unit_code: unit, since: '2024-08-01' }, U[k].token);
    got[k] = r.status;
    if (r.status === 201) {
      n++;
      made[k] = r.json.id;
      assert.equal(r.json.login, U[k].login);
    } else assertError(r, status, k);
  }
  assert.deepEqual(got, want);
  assert.equal((await reps(m.id)).items.length, n);
  for (const k of ['viewer', 'appraiser', 'officer']) assert.equal((await reps(m.id, U[k].token)).items.length, n, k);
  for (const k of ['staffX', 'officerX']) assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/replications`, { headers: as(U[k].token) }), 404, k);
  // removing
  for (const [k, status] of [['viewer', 403], ['appraiser', 403], ['staffX', 404], ['officerX', 404]]) {
    assertError(await delRep(m.id, made.admin, U[k].token), status, `${k} removing`);
  }
  assert.equal((await reps(m.id)).items.length, n);
  assert.equal((await delRep(m.id, made.admin, U.officer.token)).status, 204);
  assert.equal((await delRep(m.id, made.officer, U.staffD.token)).status, 204);
  assert.equal((await reps(m.id)).items.length, n - 2);
  // a replication of another model is not found through this one
  const other = await createModel(srv.base, { unit_code: '20368' });
  assertError(await delRep(other.id, made.staffD), 404, 'through another model');
  assertError(await delRep(m.id, 'abc'), 404, 'not an id');
  assertError(await api(srv.base, 'POST', `/api/v1/models/${m.id}/replications`, { body: { hierarchy: 2024, unit_code: candidates[9] || '20364', since: '2024-08-01' }, headers: { Authorization: '' } }), 401, 'anonymous');
});

// ---- conferences ---------------------------------------------------------------------------
const conf = (over = {}) => ({
  title: 'Hội nghị tổng kết 5 năm phong trào thi đua "Dân vận khéo" tỉnh Quảng Nam', kind: 'final', span_years: 5,
  hierarchy: 2024, unit_code: '49', level: 'province', held_on: '2024-12-10', period_from: '2020-01-01', period_to: '2024-12-31', ...over,
});
const addConf = (body, tok) => api(srv.base, 'POST', '/api/v1/conferences', { body, headers: hdr(tok) });
async function confs(tok) {
  const r = await api(srv.base, 'GET', '/api/v1/conferences', { headers: hdr(tok) });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('conferences: recorded by the commission of their unit, listed within scope', async () => {
  const tk = token();
  const p = await addConf(conf({ title: `Tổng kết tỉnh ${tk}` }), U.staffP.token);
  assert.equal(p.status, 201, p.text);
  const { id, created_at, ...rest } = p.json;
  assert.deepEqual(rest, {
    title: `Tổng kết tỉnh ${tk}`, kind: 'final', span_years: 5, hierarchy: 2024, unit_code: '49', unit_name: 'Tỉnh Quảng Nam',
    level: 'province', held_on: '2024-12-10', period_from: '2020-01-01', period_to: '2024-12-31', login: 'sp_staffp',
  });
  assert.equal(p.headers.get('location'), `/api/v1/conferences/${id}/awards`);
  const dist = await addConf(conf({ title: `Sơ kết huyện ${tk}`, kind: 'interim', span_years: 2, unit_code: '518', level: 'district', held_on: '05/01/2024', period_from: '2022-01-01', period_to: '2023-12-31' }), U.staffD.token);
  assert.equal(dist.status, 201, dist.text);
  assert.equal(dist.json.held_on, '2024-01-05');
  const com = await addConf(conf({ title: `Sơ kết xã ${tk}`, kind: 'interim', span_years: 1, unit_code: '20368', level: 'commune', period_from: '2024-01-01', period_to: '2024-12-31' }), U.staffC.token);
  assert.equal(com.status, 201, com.text);
  const mine = (items) => items.filter((e) => e.title.endsWith(tk)).map((e) => e.title).sort();
  assert.deepEqual(mine(await confs(U.viewer.token)), [`Sơ kết huyện ${tk}`, `Sơ kết xã ${tk}`, `Tổng kết tỉnh ${tk}`], 'the province sees all three');
  assert.deepEqual(mine(await confs(U.staffP25.token)), [`Sơ kết huyện ${tk}`, `Sơ kết xã ${tk}`, `Tổng kết tỉnh ${tk}`], 'so does the 2025 province');
  assert.deepEqual(mine(await confs(U.staffD.token)), [`Sơ kết huyện ${tk}`, `Sơ kết xã ${tk}`], 'the district sees its own and its communes\'');
  assert.deepEqual(mine(await confs(U.officer.token)), [`Sơ kết xã ${tk}`], 'the commune sees its own');
  assert.deepEqual(mine(await confs(U.officerX.token)), [], 'the neighbouring commune sees none');
  assert.deepEqual(mine(await confs(U.staffX.token)), [], 'another province sees none');
  assert.deepEqual(mine(await confs()), [`Sơ kết huyện ${tk}`, `Sơ kết xã ${tk}`, `Tổng kết tỉnh ${tk}`], 'the administrator sees all');
  assertError(await api(srv.base, 'GET', '/api/v1/conferences', { headers: { Authorization: '' } }), 401, 'anonymous');
});

test('conferences: who may record them', async () => {
  const want = [
    ['officer', conf({ unit_code: '20368', level: 'commune' }), 403],
    ['appraiser', conf({ unit_code: '518', level: 'district' }), 403],
    ['viewer', conf(), 403],
    ['staffD', conf(), 403],                                        // a district for its province
    ['staffC', conf({ unit_code: '518', level: 'district' }), 403], // a commune for its district
    ['staffX', conf(), 403],                                        // another province
    ['officerX', conf({ unit_code: '20365', level: 'commune' }), 403],
    ['staffP25', conf(), 201],                                      // the 2025 province for the old one
    ['staffP', conf({ unit_code: '20365', level: 'commune' }), 201],
  ];
  const before = (await confs()).length;
  let n = 0;
  for (const [k, body, status] of want) {
    const r = await addConf(body, U[k].token);
    if (status === 201) { assert.equal(r.status, 201, `${k}: ${r.text}`); n++; } else assertError(r, status, k);
  }
  assert.equal((await confs()).length, before + n);
});

test('conferences: validation', async () => {
  const before = (await confs()).length;
  for (const [what, body, field] of [
    ['no title', conf({ title: undefined }), 'title'],
    ['an empty title', conf({ title: '' }), 'title'],
    ['a title of 301 characters', conf({ title: 'ộ'.repeat(301) }), 'title'],
    ['an unknown kind', conf({ kind: 'annual' }), 'kind'],
    ['no kind', conf({ kind: undefined }), 'kind'],
    ['a span of 4 years', conf({ span_years: 4 }), 'span_years'],
    ['a span of 0 years', conf({ span_years: 0 }), 'span_years'],
    ['a span of 20 years', conf({ span_years: 20 }), 'span_years'],
    ['no span', conf({ span_years: undefined }), 'span_years'],
    ['an unknown level', conf({ level: 'national' }), 'level'],
    ['a province called a district', conf({ level: 'district' }), 'level'],
    ['a district called a province', conf({ unit_code: '518' }), 'level'],
    ['a commune called a district', conf({ unit_code: '20368', level: 'district' }), 'level'],
    ['an unknown unit', conf({ unit_code: '99' }), 'unit_code'],
    ['no unit', conf({ unit_code: undefined }), 'unit_code'],
    ['a 2024 code in the 2025 tree', conf({ hierarchy: 2025, unit_code: '49' }), 'unit_code'],
    ['held on 30 February', conf({ held_on: '2024-02-30' }), 'held_on'],
    ['held in the future', conf({ held_on: isoDay(5) }), 'held_on'],
    ['no held_on', conf({ held_on: undefined }), 'held_on'],
    ['a bad period start', conf({ period_from: '2020-13-01' }), 'period_from'],
    ['no period end', conf({ period_to: undefined }), 'period_to'],
    ['a period that ends before it starts', conf({ period_from: '2024-12-31', period_to: '2020-01-01' }), 'period_to'],
    ['a period of 16 years', conf({ span_years: 15, period_from: '2008-01-01', period_to: '2024-12-31' }), 'period_to'],
  ]) {
    assertFieldError(await addConf(body), field, what);
  }
  for (const [what, body] of [
    ['span as text', conf({ span_years: '5' })],
    ['hierarchy as text', conf({ hierarchy: '2024' })],
    ['title as a number', conf({ title: 5 })],
    ['an unknown member', conf({ budget: 1 })],
    ['broken JSON', '{"title":'],
  ]) assertError(await addConf(body), 400, what);
  assert.equal((await confs()).length, before, 'a refused conference was stored');
  // 15 years exactly is fine
  const r = await addConf(conf({ span_years: 15, period_from: '2009-01-01', period_to: '2023-12-31' }));
  assert.equal(r.status, 201, r.text);
});

// ---- awards ------------------------------------------------------------------------------------
const addAward = (body, tok) => api(srv.base, 'POST', '/api/v1/awards', { body, headers: hdr(tok) });
async function awardsOf(kind, id, tok) {
  const r = await api(srv.base, 'GET', `/api/v1/${kind}/${id}/awards`, { headers: hdr(tok) });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('awards to a model, an organization and a person, at a conference or not', async () => {
  const m = await modelIn(srv.base, 'recognized', { unit_code: '20368', registration_level: 'province', title: `Khen ${token()}` });
  const ev = (await addConf(conf({ title: `Tổng kết ${token()}` }), U.staffP.token)).json;
  let r = await addAward({ event_id: ev.id, recipient_type: 'model', model_id: m.id, form: 'certificate_of_merit', issuer: 'Chủ tịch UBND tỉnh Quảng Nam', decision_no: '2345/QĐ-UBND', decision_date: '2024-12-05', amount_vnd: 5000000 }, U.staffP.token);
  assert.equal(r.status, 201, r.text);
  const { id: a1, created_at: c1, ...a1rest } = r.json;
  assert.deepEqual(a1rest, {
    recipient_type: 'model', recipient_name: m.title, form: 'certificate_of_merit', issuer: 'Chủ tịch UBND tỉnh Quảng Nam',
    hierarchy: 2024, unit_code: '20368', login: 'sp_staffp', event_id: ev.id, model_id: m.id,
    decision_no: '2345/QĐ-UBND', decision_date: '2024-12-05', amount_vnd: 5000000,
  });
  r = await addAward({ event_id: ev.id, recipient_type: 'organization', recipient_name: 'Hội Phụ nữ xã Tam An', form: 'certificate', issuer: 'Chủ tịch UBND huyện Phú Ninh', hierarchy: 2024, unit_code: '20368', amount_vnd: 0 }, U.staffP.token);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.amount_vnd, 0);
  assert.equal(r.json.model_id, null);
  r = await addAward({ recipient_type: 'person', recipient_name: 'Bà Nguyễn Thị Hoa', form: 'other', issuer: 'Ban Thường vụ Huyện ủy', decision_no: '12-QĐ/HU', decision_date: '20/11/2024', hierarchy: 2024, unit_code: '518' }, U.staffD.token);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decision_date, '2024-11-20');
  assert.equal(r.json.event_id, null);
  assert.equal(r.json.amount_vnd, null);
  // listed with the model and with the conference
  assert.deepEqual((await awardsOf('models', m.id)).map((a) => a.id), [a1]);
  assert.deepEqual((await awardsOf('models', m.id, U.viewer.token)).map((a) => a.id), [a1]);
  assert.deepEqual((await awardsOf('conferences', ev.id)).map((a) => a.recipient_type).sort(), ['model', 'organization']);
  assert.equal((await awardsOf('conferences', ev.id, U.staffP25.token)).length, 2);
});

test('awards: validation', async () => {
  const m = await modelIn(srv.base, 'recognized', { unit_code: '20368', registration_level: 'province' });
  const far = await createModel(srv.base, { unit_code: '00004', title: `Hà Nội ${token()}` });
  const farEv = (await addConf(conf({ title: `Hà Nội ${token()}`, unit_code: '01' }))).json;
  const ok = { recipient_type: 'model', model_id: m.id, form: 'certificate_of_merit', issuer: 'UBND tỉnh', decision_no: '1/QĐ', decision_date: '2024-12-01' };
  const org = { recipient_type: 'organization', recipient_name: 'Đoàn Thanh niên xã', form: 'certificate', issuer: 'UBND huyện', hierarchy: 2024, unit_code: '20368' };
  const before = (await awardsOf('models', m.id)).length;
  for (const [what, body, field, tok] of [
    ['no recipient type', { ...ok, recipient_type: undefined }, 'recipient_type'],
    ['an unknown recipient type', { ...ok, recipient_type: 'village' }, 'recipient_type'],
    ['a model award without a model', { ...ok, model_id: undefined }, 'model_id'],
    ['no such model', { ...ok, model_id: 99999999 }, 'model_id'],
    ['a model outside the scope', { ...ok, model_id: far.id }, 'model_id', U.staffP.token],
    ['an organization without a name', { ...org, recipient_name: undefined }, 'recipient_name'],
    ['a person with an empty name', { ...org, recipient_type: 'person', recipient_name: '' }, 'recipient_name'],
    ['a name of 301 characters', { ...org, recipient_name: 'ư'.repeat(301) }, 'recipient_name'],
    ['an unknown form', { ...ok, form: 'medal' }, 'form'],
    ['no form', { ...ok, form: undefined }, 'form'],
    ['no issuer', { ...ok, issuer: undefined }, 'issuer'],
    ['an empty issuer', { ...ok, issuer: '' }, 'issuer'],
    ['an issuer of 301 characters', { ...ok, issuer: 'ư'.repeat(301) }, 'issuer'],
    ['a date without a number', { ...ok, decision_no: undefined }, 'decision_no'],
    ['an invalid date', { ...ok, decision_date: '2024-11-31' }, 'decision_date'],
    ['a future date', { ...ok, decision_date: isoDay(2) }, 'decision_date'],
    ['a negative amount', { ...ok, amount_vnd: -1 }, 'amount_vnd'],
    ['an absurd amount', { ...ok, amount_vnd: 1e14 }, 'amount_vnd'],
    ['no such conference', { ...ok, event_id: 99999999 }, 'event_id'],
    ['a conference outside the scope', { ...ok, event_id: farEv.id }, 'event_id', U.staffP.token],
    ['an organization in no unit', { ...org, unit_code: undefined }, 'unit_code'],
    ['an organization in an unknown unit', { ...org, unit_code: '99999' }, 'unit_code'],
  ]) {
    assertFieldError(await addAward(body, tok), field, what);
  }
  for (const [what, body] of [
    ['amount as text', { ...ok, amount_vnd: '5000000' }],
    ['model id as text', { ...ok, model_id: String(m.id) }],
    ['an unknown member', { ...ok, reason: 'x' }],
    ['broken JSON', '{"form":'],
  ]) assertError(await addAward(body), 400, what);
  assert.equal((await awardsOf('models', m.id)).length, before, 'a refused award was stored');
});

test('awards: recorded by the commission of the recipient\'s unit only', async () => {
  const m = await modelIn(srv.base, 'recognized', { unit_code: '20368', registration_level: 'district' });
  const body = { recipient_type: 'model', model_id: m.id, form: 'certificate', issuer: 'UBND huyện Phú Ninh' };
  const want = {
    officer: 403, appraiser: 403, viewer: 403, staffX: 422, officerX: 422,
    staffC: 201, staffD: 201, staffP: 201, staffP25: 201, admin: 201,
  };
  const got = {};
  for (const [k, status] of Object.entries(want)) {
    const r = await addAward(body, U[k].token);
    got[k] = r.status;
    if (status === 422) assertFieldError(r, 'model_id', `${k}: the model does not exist for them`);
  }
  assert.deepEqual(got, want);
  assert.equal((await awardsOf('models', m.id)).length, 5);
  // an organization outside the user's scope
  const r = await addAward({ recipient_type: 'organization', recipient_name: 'UBND phường Trúc Bạch', form: 'certificate', issuer: 'UBND quận', hierarchy: 2024, unit_code: '00004' }, U.staffP.token);
  assertError(r, 403, 'an organization in another province');
  // reading
  for (const k of ['staffX', 'officerX']) {
    assertError(await api(srv.base, 'GET', `/api/v1/models/${m.id}/awards`, { headers: as(U[k].token) }), 404, k);
  }
  const ev = (await addConf(conf({ title: `Quảng Nam ${token()}` }), U.staffP.token)).json;
  assertError(await api(srv.base, 'GET', `/api/v1/conferences/${ev.id}/awards`, { headers: as(U.staffX.token) }), 404, 'a conference of another province');
  assertError(await api(srv.base, 'GET', '/api/v1/conferences/99999999/awards'), 404, 'no such conference');
  assertError(await api(srv.base, 'GET', '/api/v1/models/99999999/awards'), 404, 'no such model');
  assertError(await api(srv.base, 'POST', '/api/v1/awards', { body, headers: { Authorization: '' } }), 401, 'anonymous');
});

test('a replica model points back to the model it spread from', async () => {
  const src = await createModel(srv.base, { title: `Nguồn ${token()}` });
  const replica = await createModel(srv.base, { title: `Bản nhân rộng ${token()}`, unit_code: '20374' });
  const r = await addRep(src.id, { hierarchy: 2024, unit_code: '20374', since: '2024-05-01', replica_model_id: replica.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.replica_model_id, replica.id);
  const back = await api(srv.base, 'GET', `/api/v1/models/${replica.id}/replications`);
  assert.deepEqual(back.json.replica_of, [src.id]);
  const fromSrc = await api(srv.base, 'GET', `/api/v1/models/${src.id}/replications`);
  assert.deepEqual(fromSrc.json.replica_of, []);
});
