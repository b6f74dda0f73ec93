// fuzz-regressions.test.mjs: faults that the fuzz targets (fuzz/) found, checked again
// through the API of the real server. Each input is also kept in fuzz/regressions/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { if (srv) await srv.stop(); });

// fuzz/regressions/query/results-report-indicator-label-freed: the results report kept
// pointers to the indicator names after freeing them, so its unit table's column labels
// were read from freed memory (a sanitizer report; garbage or missing columns without one).
test('the results report names every indicator column of its unit table', async () => {
  const ind = await api(srv.base, 'GET', '/api/v1/indicators', { headers: { 'Accept-Language': 'en' } });
  assert.equal(ind.status, 200, ind.text);
  const r = await api(srv.base, 'GET', '/api/v1/reports/results?lang=en');
  assert.equal(r.status, 200, r.text);
  const byUnit = r.json.tables.find((t) => t.name === 'by_unit');
  assert.ok(byUnit, 'a by_unit table');
  // an indicator reported as a mean (a yield) says so in its label and its column
  const want = ind.json.items.map((i) => (i.aggregate === 'mean'
    ? { key: i.code, label: `${i.name} (${i.unit}, mean)`, aggregate: 'mean' }
    : { key: i.code, label: i.unit && i.unit !== '%' ? `${i.name} (${i.unit})` : i.unit ? `${i.name} (%)` : i.name }));
  assert.deepEqual(byUnit.columns.slice(0, want.length), want);
});
