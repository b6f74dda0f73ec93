// import-phase.test.mjs: a large import says what it does after its last row (issue 5: large
// files show progress). Once every row is read and good, a real import still builds its indexes
// and search index and commits (about a minute for a million rows): the job's "phase" says
// "saving" then, the page shows it, and `dvk import` prints it under the bar on a terminal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';
import { page, signInOk } from '../lib/session.mjs';
import { PG } from '../lib/pg.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

/* A file large enough that a first import builds the indexes at its end (20,000 rows of
 * about 150 bytes or more: store_sqlite_import.c), so that the saving lasts a while. */
function bigFile(n) {
  const lines = ['Mã tham chiếu,Tên mô hình,Lĩnh vực,Loại,Mã đơn vị,Ngày đăng ký,Tóm tắt,Số hộ tham gia'];
  for (let i = 0; i < n; i++) {
    lines.push(`PHA-${i},Mô hình lưu số ${i},Kinh tế,Tập thể,20368,15/03/2024,` +
      `Bà con góp ngày công hiến đất làm đường bê tông liên thôn thắp sáng đường quê trồng cây xanh hai bên đường số ${i},${i % 500}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/* Polls a job until it ends: the phases seen in order (runs of one phase as one), and the end. */
async function phases(url, onPoll = async () => {}) {
  const seen = [];
  for (;;) {
    const job = (await api(srv.base, 'GET', url)).json;
    if (seen[seen.length - 1] !== job.phase) seen.push(job.phase);
    if (job.state !== 'running') return { seen, job };
    await onPoll(job);
    await new Promise((res) => setTimeout(res, 3));
  }
}

// On PostgreSQL an import writes its rows' indexes as it goes: the saving is only the commit,
// too short to be seen by polling (and the phase is set by the same code for both engines).
test('a real import reads, then saves, then is finished; a dry run never saves', { skip: !!PG && 'the saving is too short to see' }, async () => {
  const body = bigFile(21000);
  assert.ok(body.length >= 150 * 20000, `${body.length} bytes`);
  const dry = await api(srv.base, 'POST', '/api/v1/imports?dry_run=true&name=pha.csv', { body, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(dry.status, 202, dry.text);
  const d = await phases(dry.json.url);
  assert.equal(d.job.state, 'done');
  assert.equal(d.job.report.problems_total, 0);
  assert.ok(!d.seen.includes('saving'), JSON.stringify(d.seen));
  assert.equal(d.seen[d.seen.length - 1], 'finished');

  const s = await signInOk(srv.base, 'admin', srv.adminPassword);
  const real = await api(srv.base, 'POST', '/api/v1/imports?name=pha.csv', { body, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(real.status, 202, real.text);
  let shown = null;
  const r = await phases(real.json.url, async (job) => {
    if (job.phase === 'saving' && !shown) {
      shown = await page(srv.base, 'GET', `/models/import/${real.json.id}`, { session: s });
      shown.rows = job.rows;
    }
  });
  assert.equal(r.job.state, 'done');
  assert.equal(r.job.report.written, true);
  assert.equal(r.job.report.created, 21000);
  // reading (unless the first poll came late), saving, finished: never back
  assert.deepEqual(r.seen.filter((p) => p !== 'reading'), ['saving', 'finished'], JSON.stringify(r.seen));
  assert.ok(r.seen.indexOf('reading') < r.seen.indexOf('saving'));
  // every row was read before the saving began
  assert.equal(shown.rows, 21000);
  // the page while it saved: the words, every row counted, a bar without a value, and it refreshes
  assert.equal(shown.status, 200);
  assert.equal(shown.headers.get('refresh'), '1');
  assert.match(shown.text, /<p class="progress" role="status" aria-live="polite">Đang lưu: lập chỉ mục và chỉ mục tìm kiếm… · 21\.000 dòng<\/p><progress><\/progress>/);
});
