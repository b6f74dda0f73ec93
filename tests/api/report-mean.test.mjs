// report-mean.test.mjs: an indicator reported as a mean (the yield, migration 024) in the
// results report: a value of 0 is a value. A province's own model (registered at the
// province itself) with a yield of 0 keeps its row, and the totals are the mean of every
// value, the same in the table by field and in the table by unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, setDefaultToken, token, createModel } from '../lib/http.mjs';
import { sqlOk, sqlJson } from '../lib/sqlite.mjs';

let srv;
before(async () => {
  srv = await startServer();
  setDefaultToken(srv.adminToken);
});
after(async () => { if (srv) await srv.stop(); });

test('a yield of 0 counts in the mean: the province\'s own row stays, and both tables give the same total', async () => {
  const t = token('yield');
  await createModel(srv.base, { title: `${t} của tỉnh`, unit_code: '49', hierarchy: 2024, registration_level: 'province',
    registered_on: '2024-02-01', field: 'economic', results: [{ year: 2024, indicator: 'yield_t_ha', value: 0 }] });
  await createModel(srv.base, { title: `${t} của xã`, unit_code: '20368', hierarchy: 2024, registered_on: '2024-02-01',
    field: 'economic', results: [{ year: 2024, indicator: 'yield_t_ha', value: 50 }] });
  const r = await api(srv.base, 'GET', '/api/v1/reports/results?hierarchy=2024&unit=49&status=all&from=2024-01-01&to=2024-12-31&lang=en');
  assert.equal(r.status, 200, r.text);
  const byUnit = r.json.tables.find((x) => x.name === 'by_unit');
  const byField = r.json.tables.find((x) => x.name === 'by_field');
  const own = byUnit.rows.find((x) => x.key === '49');
  assert.ok(own, `the province's own row was dropped: ${JSON.stringify(byUnit.rows.map((x) => x.key))}`);
  assert.equal(own.yield_t_ha, 0);
  assert.equal(byUnit.total.yield_t_ha, 25);
  const y = byField.rows.find((x) => x.key === 'yield_t_ha');
  assert.equal(y.aggregate, 'mean');
  assert.equal(y.total, 25);
  assert.equal(y.economic, 25);
  assert.equal(y.cultural_social, null, 'a mean of no value');
});

test('result_tally: a group left with no value starts again from 0, so a huge value gone leaves no rounding behind', async () => {
  const t = token('drift');
  const a = await createModel(srv.base, { title: `${t} một`, unit_code: '20368', hierarchy: 2024, registered_on: '2018-02-01', results: [] });
  const b = await createModel(srv.base, { title: `${t} hai`, unit_code: '20368', hierarchy: 2024, registered_on: '2018-02-01', results: [] });
  const group = `year = 2019 AND indicator = 'cameras' AND status = 'registered' AND p24 = '49'`;
  const total = async () => (await sqlJson(srv.dbPath, `SELECT sum(n) AS n, sum(total) AS total FROM result_tally WHERE ${group}`))[0];
  await sqlOk(srv.dbPath, `INSERT INTO model_results (model_id, year, indicator, value) VALUES (${a.id}, 2019, 'cameras', 0.1);
    INSERT INTO model_results (model_id, year, indicator, value) VALUES (${b.id}, 2019, 'cameras', 1e15);
    DELETE FROM model_results WHERE model_id = ${b.id};`);
  // 1e15 + 0.1 is rounded to an eighth: 0.125 stays while 0.1 is there
  assert.equal(Number((await total()).n), 1);
  await sqlOk(srv.dbPath, `DELETE FROM model_results WHERE model_id = ${a.id};
    INSERT INTO model_results (model_id, year, indicator, value) VALUES (${a.id}, 2019, 'cameras', 0.3);`);
  const after = await total();
  assert.equal(Number(after.n), 1);
  assert.equal(Number(after.total), 0.3, 'the rounding of the value gone stayed in the group');
});
