// report_pages.test.mjs: the report pages (/reports, /reports/{name}), their print layout
// and the dashboard, read as HTML with a session cookie and checked against the JSON API
// (GET /api/v1/reports/{name}) for the same parameters: the page shows the same figures,
// escapes what users typed, answers 400 beside the field for a bad value and 403 for a
// unit outside the reader's area. Runs on a `dvk init --demo` database, whose
// replications, conferences and awards make every report non-zero.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';
import { page, signInOk } from '../lib/session.mjs';

const REPORTS = ['summary', 'by_unit', 'by_level', 'results', 'commendation', 'replication', 'timeseries'];

let srv;
let admin;   // national administrator (session)
let pt;      // commission staff of Tỉnh Phú Thọ (2024 code 25)
before(async () => {
  srv = await startServer({ demo: true });
  admin = await signInOk(srv.base, 'admin', srv.adminPassword);
  const u = await addUser(srv, 'rp_pt_staff', 'staff', '25', 2024);
  pt = await signInOk(srv.base, u.login, u.password);
});
after(async () => { if (srv) await srv.stop(); });

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&amp;/g, '&');
const text = (html) => unescape(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
/* "2.500.000.000" or "19,7" (Vietnamese) as a number */
const vnNumber = (s) => (s === '–' ? null : Number(s.replace(/\./g, '').replace(',', '.'))); // "–": a mean of no value
const round2 = (x) => (x === null ? null : Math.round(x * 100) / 100);

/* The report tables of a page: [{ heads: [..], rows: [{ label, cls, values: [..] }] }]. */
function pageTables(html) {
  const out = [];
  for (const m of html.matchAll(/<table class="report">([\s\S]*?)<\/table>/g)) {
    const heads = [...m[1].matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map((h) => text(h[1]));
    const rows = [];
    for (const r of m[1].matchAll(/<tr( class="([^"]*)")?><th scope="row">([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g)) {
      const values = [...r[4].matchAll(/<td>([^<]*)<\/td>/g)].map((c) => vnNumber(c[1]));
      rows.push({ cls: r[2] || '', label: text(r[3]).replace(/ \*$/, ''), values });
    }
    out.push({ heads, rows });
  }
  return out;
}

/* Asserts that the page's tables hold the API's figures, row by row and in the totals. */
function assertSameFigures(html, json, what) {
  const tables = pageTables(html);
  assert.equal(tables.length, json.tables.length, `${what}: number of tables`);
  json.tables.forEach((jt, i) => {
    const pt = tables[i];
    assert.deepEqual(pt.heads.slice(1), jt.columns.map((c) => c.label), `${what}: columns of ${jt.name}`);
    const body = pt.rows.filter((r) => r.cls !== 'total');
    assert.equal(body.length, jt.rows.length, `${what}: rows of ${jt.name}`);
    jt.rows.forEach((jr, k) => {
      assert.equal(body[k].label, jr.name, `${what}: row ${k} of ${jt.name}`);
      assert.equal(body[k].cls === 'unassigned', !!jr.unassigned, `${what}: the not-assigned row is marked`);
      assert.deepEqual(body[k].values, jt.columns.map((c) => round2(jr[c.key])), `${what}: ${jr.name}`);
    });
    const total = pt.rows.filter((r) => r.cls === 'total');
    if (jt.total) {
      assert.equal(total.length, 1, `${what}: one totals row in ${jt.name}`);
      assert.deepEqual(total[0].values, jt.columns.map((c) => round2(jt.total[c.key])), `${what}: totals of ${jt.name}`);
    }
  });
}

const get = (session, path) => page(srv.base, 'GET', path, { session });

test('signed-in readers get /reports with the seven reports; the others are sent to sign in', async () => {
  const r = await get(admin, '/reports');
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="vi">/);
  for (const n of REPORTS) assert.ok(r.text.includes(`href="/reports/${n}"`), n);
  assert.ok(r.text.includes('href="/reports"'), 'the menu has Reports');
  assert.ok(r.text.includes('href="/dashboard"'), 'the menu has the dashboard');
  const anon = await page(srv.base, 'GET', '/reports/summary');
  assert.equal(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=/);
  assert.equal((await page(srv.base, 'GET', '/dashboard')).status, 303);
  const home = await get(admin, '/');
  assert.equal(home.status, 303);
  assert.equal(home.location, '/dashboard');
});

test('every report page shows the figures of the JSON API for the same parameters', async () => {
  const cases = [];
  for (const n of REPORTS) {
    cases.push(`/reports/${n}?from=2000-01-01&to=2025-12-31&hierarchy=2024&status=all`);
    cases.push(`/reports/${n}?from=01/01/2000&to=31/12/2025&hierarchy=2025`);
  }
  cases.push('/reports/by_unit?unit=25&from=2000-01-01&hierarchy=2024&status=all');
  cases.push('/reports/by_unit?unit=48&from=2000-01-01&hierarchy=2025&status=all');
  cases.push('/reports/replication?unit=20380&from=2000-01-01&hierarchy=2025&status=all');
  cases.push('/reports/summary?from=2000-01-01&field=economic&kind=individual');
  for (const path of cases) {
    const r = await get(admin, path);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    // the API link of the page carries the report's parameters, written out in full
    const m = [...r.text.matchAll(/href="\/api\/v1\/reports\/([a-z_]+)\?([^"]*)"/g)].find((x) => !x[2].includes('format='));
    assert.ok(m, `${path}: a JSON link`);
    const q = unescape(m[2]);
    assert.match(q, /hierarchy=202[45]&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&status=/);
    const j = await api(srv.base, 'GET', `/api/v1/reports/${m[1]}?${q}`);
    assert.equal(j.status, 200, j.text);
    assertSameFigures(r.text, j.json, path);
    // a chart for each table that has one to draw, with a text alternative
    assert.ok(r.text.includes('<svg xmlns="http://www.w3.org/2000/svg" class="chart"'), `${path}: a chart`);
    assert.ok(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-\d-t" aria-describedby="chart-\d-d"/.test(r.text), `${path}: an accessible chart`);
    const qa = q.replace(/&/g, '&amp;');
    assert.ok(r.text.includes(`href="/api/v1/reports/${m[1]}?${qa}&amp;format=csv"`), `${path}: CSV link`);
    assert.ok(r.text.includes(`href="/api/v1/reports/${m[1]}?${qa}&amp;format=xlsx"`), `${path}: XLSX link`);
    assert.ok(r.text.includes(`href="/reports/${m[1]}?${qa}&amp;print=1"`), `${path}: print link`);
  }
});

test('the demo has replications and awards: those reports are not all zeros', async () => {
  for (const [n, key] of [['replication', 'replications'], ['commendation', 'awards']]) {
    const j = await api(srv.base, 'GET', `/api/v1/reports/${n}?from=2000-01-01&hierarchy=2024&status=all`);
    assert.equal(j.status, 200);
    assert.ok(j.json.tables[0].total[key] > 5, `${n}: ${JSON.stringify(j.json.tables[0].total)}`);
  }
});

test('bad values answer 400 with the message beside their field, and the form keeps what was typed', async () => {
  for (const [q, field, typed] of [['from=31/02/2025', 'from', '31/02/2025'], ['to=hôm nay', 'to', 'hôm nay'],
    ['from=2025-06-01&to=2025-01-01', 'to', '01/01/2025'], ['status=maybe', 'status', null], ['field=sports', 'field', null],
    ['kind=team', 'kind', null], ['hierarchy=2023', 'hierarchy', null], ['unit=99999', 'unit', null]]) {
    const r = await get(admin, `/reports/summary?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.status}`);
    assert.match(r.text, /<p class="error" role="alert">/);
    const box = new RegExp(`<div class="field( wide)? invalid">(<label for="f-${field}">[^<]*</label>)?<p class="msg"[^>]*role="alert">[^<]+</p>`);
    assert.match(r.text, box, `${q}: the message beside ${field}`);
    if (typed) assert.ok(r.text.includes(`id="f-${field}" name="${field}" inputmode="numeric" placeholder="dd/mm/yyyy" value="${typed}"`), `${q}: typed value kept`);
    assert.ok(!r.text.includes('<table class="report">'), `${q}: no table`);
  }
  const d = await get(admin, '/dashboard?year=1789');
  assert.equal(d.status, 400);
  assert.match(d.text, /<div class="field invalid"><label for="f-year">[^<]*<\/label><p class="msg" id="e-year" role="alert">/);
  assert.equal((await get(admin, '/reports/nonsense')).status, 404);
});

test('a unit outside the reader\'s area is refused with 403; the reader\'s own is the default', async () => {
  const own = await get(pt, '/reports/by_unit?from=2000-01-01&status=all');
  assert.equal(own.status, 200);
  assert.ok(own.text.includes('<strong>Tỉnh Phú Thọ</strong>'), 'the staff member\'s province by default');
  assert.ok(own.text.includes('Huyện Đoan Hùng'), 'its districts are the rows');
  for (const path of ['/reports/summary?unit=49&hierarchy=2024', '/reports/summary?unit=20368&hierarchy=2024',
    '/reports/by_unit?unit=48&hierarchy=2025', '/dashboard?unit=49&hierarchy=2024', '/reports/summary?hierarchy=2024&unit=']) {
    const r = await get(pt, path);
    if (path.endsWith('unit=')) { assert.equal(r.status, 200, path); continue; } // blank: the reader's own
    assert.equal(r.status, 403, `${path}: ${r.status}`);
    assert.ok(!r.text.includes('<table class="report">'), `${path}: nothing of the unit shown`);
  }
  // the unit picker lists the reader's own unit and the units under it, nothing above
  const picker = /<select id="f-unit" name="unit">([\s\S]*?)<\/select>/.exec(own.text)[1];
  assert.ok(!picker.includes('<option value=""'), 'no "whole country" for a province reader');
  assert.ok(picker.includes('<option value="25" selected>Tỉnh Phú Thọ</option>'), picker.slice(0, 200));
  assert.ok(picker.includes('<option value="230">Huyện Đoan Hùng</option>'));
});

test('as of the other hierarchy a reader gets the unit that holds the area, counting the area\'s models only', async () => {
  const mine = await api(srv.base, 'GET', '/api/v1/reports/summary?unit=25&hierarchy=2024&from=2000-01-01&status=all');
  // 2024 Phú Thọ went into 2025 Phú Thọ with two other provinces
  const r = await get(pt, '/reports/by_unit?hierarchy=2025&from=2000-01-01&status=all');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('<strong>Tỉnh Phú Thọ</strong>'));
  assert.match(r.text, /<p class="notice">[^<]+<\/p>/, 'the page says only the reader\'s models count');
  const total = pageTables(r.text)[0].rows.find((x) => x.cls === 'total').values[0];
  assert.equal(total, mine.json.total, 'the same models as the 2024 report of the province');
  // every unit it links to (and lists on the form) opens, with no refusal
  const links = [...r.text.matchAll(/<a href="(\/reports\/by_unit\?[^"]*)">/g)].map((m) => unescape(m[1]));
  assert.ok(links.length > 0, 'units to open');
  for (const l of links) assert.equal((await get(pt, l)).status, 200, l);
  const picker = /<select id="f-unit" name="unit">([\s\S]*?)<\/select>/.exec(r.text)[1];
  for (const m of picker.matchAll(/<option value="([^"]*)"/g))
    assert.equal((await get(pt, `/reports/summary?hierarchy=2025&unit=${m[1]}`)).status, 200, `option ${m[1]}`);
  // a unit that does not hold the area is still refused
  assert.equal((await get(pt, '/reports/summary?hierarchy=2025&unit=48')).status, 403);
  const d = await get(pt, '/dashboard?hierarchy=2025&year=all');
  assert.equal(d.status, 200);
  assert.ok(d.text.includes(`data-figure="models">${mine.json.total}<`), 'the dashboard counts the same models');
  // the reader's own hierarchy: the whole province is the reader's, no note
  const own = await get(pt, '/reports/by_unit?hierarchy=2024&from=2000-01-01&status=all');
  assert.ok(!own.text.includes('<p class="notice">'));
});

test('changing the hierarchy on the form keeps the place: a 2024 province becomes its 2025 province', async () => {
  const r = await get(admin, '/reports/summary?unit=49&uh=2024&hierarchy=2025&from=2000-01-01');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('<strong>Thành phố Đà Nẵng</strong>'), 'Quảng Nam (2024) lies in Đà Nẵng (2025)');
  const same = await get(admin, '/reports/summary?unit=49&uh=2024&hierarchy=2024&from=2000-01-01');
  assert.ok(same.text.includes('<strong>Tỉnh Quảng Nam</strong>'));
});

test('a village name typed by a user is escaped in the table and in the chart', async () => {
  const name = `Thôn <b>Mới</b> & "Xóm" 'Giữa'`;
  const v = await api(srv.base, 'POST', '/api/v1/units/20368/villages?hierarchy=2024', { body: { name } });
  assert.equal(v.status, 201, v.text);
  const r = await get(admin, '/reports/by_unit?unit=20368&hierarchy=2024&from=2000-01-01&status=all');
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('<b>Mới</b>'), 'raw HTML from a user');
  const esc = 'Thôn &lt;b&gt;Mới&lt;/b&gt; &amp; &quot;Xóm&quot; &#39;Giữa&#39;';
  assert.ok(r.text.includes(`>${esc}</a>`), 'escaped in the table');
  assert.ok(r.text.includes(`${esc}: `), 'escaped in the chart\'s description');
});

test('the print layout: an A4 document with the Party heading, the title, unit, period, tables and date line', async () => {
  const r = await get(admin, '/reports/commendation?from=2000-01-01&to=2025-12-31&hierarchy=2024&print=1');
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="vi">/);
  assert.ok(r.text.includes('<body class="doc">'));
  // the heading block is the country's (inferred: no heading stored), as in the XLSX file
  for (const s of ['BAN CHẤP HÀNH TRUNG ƯƠNG', 'BAN DÂN VẬN', 'Số ……-BC/BDVTW', 'ĐẢNG CỘNG SẢN VIỆT NAM', 'BÁO CÁO',
    'Khen thưởng', 'Toàn quốc', '01/01/2000 – 31/12/2025'])
    assert.ok(r.text.includes(s), s);
  assert.match(r.text, /Hà Nội, ngày \d\d tháng (0[12]|[1-9]|1[0-2]) năm \d{4}/);
  // a province's own: its Party committee's commission
  const p = await get(admin, '/reports/summary?from=2000-01-01&to=2025-12-31&hierarchy=2024&unit=49&print=1');
  for (const s of ['TỈNH ỦY QUẢNG NAM', 'BAN DÂN VẬN', 'Số ……-BC/BDVTU']) assert.ok(p.text.includes(s), s);
  assert.match(p.text, /Quảng Nam, ngày \d\d tháng/);
  assert.ok(!r.text.includes('class="filters'), 'no form in print');
  assert.ok(!r.text.includes('<nav class="menu"'), 'no menu in print');
  assert.equal(pageTables(r.text).length, 2);
});

test('the dashboard: tiles equal the reports they link to', async () => {
  for (const q of ['year=all', '', 'year=2022&hierarchy=2024', 'year=all&unit=25&hierarchy=2024']) {
    const r = await get(admin, `/dashboard?${q}`);
    assert.equal(r.status, 200, `${q}: ${r.status}`);
    const tiles = [...r.text.matchAll(/<a class="tile" href="\/reports\/([a-z_]+)\?([^"]*)"><span class="tile-n" data-figure="([a-z_0-9]+)">([^<]*)<\/span>/g)];
    assert.deepEqual(tiles.map((t) => t[3]), ['models', 'recognized', 'typical', 'coverage', 'collective', 'individual',
      'households', 'land_m2', 'money_vnd'], q);
    for (const [, name, params, key, shown] of tiles) {
      const j = (await api(srv.base, 'GET', `/api/v1/reports/${name}?${unescape(params)}`)).json;
      const t = j.tables[0];
      const want = {
        models: j.total, recognized: j.total, typical: j.typical, collective: j.by_kind?.collective,
        individual: j.by_kind?.individual, coverage: t.total?.coverage,
        households: t.rows.find((x) => x.key === 'households')?.total, land_m2: t.rows.find((x) => x.key === 'land_m2')?.total,
        money_vnd: t.rows.find((x) => x.key === 'money_vnd')?.total,
      }[key];
      assert.equal(vnNumber(shown.replace('%', '')), round2(want), `${q}: tile ${key}`);
      if (key === 'models') assert.match(params, /status=all/);
      if (key === 'recognized') assert.match(params, /status=recognized/);
    }
    // four charts, each headed by a link to its report
    const cards = [...r.text.matchAll(/<section class="card"[^>]*><h2[^>]*><a href="\/reports\/([a-z_]+)\?/g)].map((m) => m[1]);
    assert.deepEqual(cards, ['summary', 'summary', 'timeseries', 'by_unit'], q);
  }
  const all = await get(admin, '/dashboard?year=all');
  assert.ok(/data-figure="models">22</.test(all.text), 'the 22 demo models');
});
