// reports.test.mjs: the dashboard and the report pages in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core), on a `dvk init --demo` database.
// A signed-in administrator lands on the dashboard, whose tiles equal the JSON API's
// figures; the summary and by-unit reports are asked for through their forms (the second
// without JavaScript) and show the API's figures; the CSV link downloads the report; a
// bad date answers 400 with the message beside the field. On a 390 px phone no page
// scrolls sideways (wide tables scroll in their own box) and what is tapped is at least
// 44 px high. Screenshots (phone and desktop) and an A4 PDF of the print layout go to
// tests/out/, or to DVK_SHOTS when set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';

const OUT = process.env.DVK_SHOTS || path.join(ROOT, 'tests', 'out');
const PAGE_LIMIT = 100 * 1024;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let srv;
let browser;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer({ demo: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/* A signed-in page that records foreign requests, JS errors and the size of each HTML page. */
async function openPage({ javaScriptEnabled = true, viewport = PHONE } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport, acceptDownloads: true });
  const page = await context.newPage();
  const log = { foreign: [], jsErrors: [], sizes: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(srv.base + '/') || url === srv.base || url.startsWith('data:')) return route.continue();
    log.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('pageerror', (e) => log.jsErrors.push(String(e)));
  page.on('response', async (r) => {
    if (r.request().resourceType() !== 'document' || r.status() >= 300) return;
    try { log.sizes.push((await r.body()).length); } catch { /* a page left before its body was read */ }
  });
  await page.goto(`${srv.base}/login`);
  await page.fill('input[name="login"]', 'admin');
  await page.fill('input[name="password"]', srv.adminPassword);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  return { context, page, log };
}

function assertLog(log) {
  assert.deepEqual(log.foreign, [], 'requests outside the test server');
  assert.deepEqual(log.jsErrors, [], 'JavaScript errors');
  for (const n of log.sizes) assert.ok(n < PAGE_LIMIT, `a page of ${n} bytes`);
}

/* "2.500.000.000" or "19,7" or "15,05%" (Vietnamese) as a number */
const vn = (s) => Number(s.trim().replace('%', '').replace(/\./g, '').replace(',', '.'));
const round2 = (x) => Math.round(x * 100) / 100;

/* The JSON of the page's own "JSON data" link, fetched with the page's session. */
async function pageJson(page) {
  const href = await page.locator('ul.downloads a[href^="/api/v1/reports/"]:not([href*="format="])').getAttribute('href');
  const r = await page.request.get(srv.base + href);
  assert.equal(r.status(), 200, href);
  return r.json();
}

/* The report tables as shown: [{ rows: [{ label, total, values }] }]. */
async function shownTables(page) {
  return page.$$eval('table.report', (tables) => tables.map((t) => ({
    heads: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => ({
      label: tr.querySelector('th').textContent.replace(/\s*\*$/, '').trim(),
      total: tr.classList.contains('total'),
      unassigned: tr.classList.contains('unassigned'),
      values: [...tr.querySelectorAll('td')].map((td) => td.textContent),
    })),
  })));
}

async function assertSameFigures(page, what, json = null) {
  json = json || await pageJson(page);
  const shown = await shownTables(page);
  assert.equal(shown.length, json.tables.length, `${what}: tables`);
  json.tables.forEach((jt, i) => {
    assert.deepEqual(shown[i].heads.slice(1), jt.columns.map((c) => c.label), `${what}: columns`);
    const body = shown[i].rows.filter((r) => !r.total);
    assert.deepEqual(body.map((r) => r.label), jt.rows.map((r) => r.name), `${what}: rows`);
    jt.rows.forEach((jr, k) => assert.deepEqual(body[k].values.map(vn), jt.columns.map((c) => round2(jr[c.key])), `${what}: ${jr.name}`));
    const tot = shown[i].rows.filter((r) => r.total);
    assert.equal(tot.length, 1, `${what}: the totals row`);
    assert.deepEqual(tot[0].values.map(vn), jt.columns.map((c) => round2(jt.total[c.key])), `${what}: totals`);
  });
  return json;
}

/* No sideways scrolling of the page itself, and at least 44 px for what a finger taps. */
async function assertPhoneLayout(page, what) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${what}: the page scrolls sideways (${sw} > ${cw})`);
  const small = await page.$$eval(
    'main a.tile, main ul.downloads a, main button, main select, main input:not([type=hidden]), main summary, ' +
    'table.report tbody th a, main p.more a, section.card h2 a, main .crumbs a, header nav a',
    (els) => els.filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 44)
      .map((e) => `${e.tagName} ${e.textContent.trim().slice(0, 30)} ${Math.round(e.getBoundingClientRect().height)}px`));
  assert.deepEqual(small, [], `${what}: touch targets under 44 px`);
}

/* Opens the form's "more filters" (it is open already when one of them is set). */
async function openMore(page) {
  if (await page.locator('form.report-filters details').getAttribute('open') === null) await page.click('form.report-filters summary');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

test('the dashboard is the home page; its tiles equal the API and open their reports', { timeout: 180000 }, async () => {
  for (const [tag, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page, log } = await openPage({ viewport });
    try {
      await page.goto(`${srv.base}/`);
      assert.match(new URL(page.url()).pathname, /^\/dashboard$/);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      assert.equal((await page.textContent('h1')).trim(), 'Tổng quan');
      // all years: the demo's figures
      await page.selectOption('#f-year', 'all');
      await Promise.all([page.waitForNavigation(), page.click('form.dash-filters button[type="submit"]')]);
      assert.match(page.url(), /year=all/);
      const tiles = await page.$$eval('a.tile', (as) => as.map((a) => ({
        href: a.getAttribute('href'), key: a.querySelector('[data-figure]').dataset.figure,
        value: a.querySelector('[data-figure]').textContent,
      })));
      assert.equal(tiles.length, 9);
      for (const t of tiles) {
        const u = new URL(srv.base + t.href);
        const r = await page.request.get(`${srv.base}/api/v1/reports/${u.pathname.split('/').pop()}${u.search}`);
        const j = await r.json();
        const tb = j.tables[0];
        const want = {
          models: j.total, recognized: j.total, typical: j.typical, collective: j.by_kind?.collective,
          individual: j.by_kind?.individual, coverage: tb.total?.coverage,
          households: tb.rows.find((x) => x.key === 'households')?.total,
          land_m2: tb.rows.find((x) => x.key === 'land_m2')?.total, money_vnd: tb.rows.find((x) => x.key === 'money_vnd')?.total,
        }[t.key];
        assert.equal(vn(t.value), round2(want), `tile ${t.key}`);
      }
      assert.equal(vn(tiles.find((t) => t.key === 'models').value), 22);
      assert.ok(vn(tiles.find((t) => t.key === 'coverage').value) > 0, 'the demo has replications');
      assert.equal(await page.locator('section.card svg[role="img"]').count(), 4, 'four charts');
      if (tag === 'phone') await assertPhoneLayout(page, 'dashboard');
      await shot(page, `reports-dashboard-${tag}`);
      // a tile opens the report behind it, with the same figure
      if (tag === 'phone') {
        await Promise.all([page.waitForNavigation(), page.click('a.tile:has([data-figure="recognized"])')]);
        assert.match(page.url(), /\/reports\/summary\?.*status=recognized/);
        const total = await page.textContent('table.report tr.total td:nth-of-type(3)');
        assert.equal(vn(total), vn(tiles.find((t) => t.key === 'recognized').value));
      }
      assertLog(log);
    } finally {
      await context.close();
    }
  }
});

test('the summary report through its form: the API\'s figures, a chart, a CSV download', { timeout: 180000 }, async () => {
  for (const [tag, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page, log } = await openPage({ viewport });
    try {
      await page.goto(`${srv.base}/reports`);
      await Promise.all([page.waitForNavigation(), page.click('a[href="/reports/summary"]')]);
      await page.fill('#f-from', '01/01/2000');
      await page.fill('#f-to', '31/12/2025');
      await openMore(page);
      await page.selectOption('#f-status', 'all');
      await Promise.all([page.waitForNavigation(), page.click('form.report-filters button[type="submit"]')]);
      assert.equal((await page.textContent('h1')).trim(), 'Mô hình theo lĩnh vực và loại hình');
      assert.ok((await page.textContent('p.period')).includes('01/01/2000 – 31/12/2025'));
      const json = await assertSameFigures(page, `summary ${tag}`);
      assert.equal(json.total, 22);
      // the chart draws every field, with its figures as text
      const desc = await page.textContent('svg.chart desc');
      assert.ok(desc.includes('Kinh tế: Tập thể'), desc);
      if (tag === 'phone') {
        await assertPhoneLayout(page, 'summary');
        // the CSV link downloads the same report
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('ul.downloads a[href*="format=csv"]')]);
        assert.equal(dl.suggestedFilename(), 'dvk-summary.csv');
        const csv = readFileSync(await dl.path(), 'utf8');
        assert.ok(csv.startsWith('\uFEFF"Mô hình theo lĩnh vực và loại hình"'), csv.slice(0, 80));
        assert.ok(csv.includes('"Tổng số","19","3","22","16"'), csv);
      }
      await shot(page, `reports-summary-${tag}`);
      assertLog(log);
    } finally {
      await context.close();
    }
  }
});

test('the by-unit report without JavaScript: a province chosen on the form, then a district from its row', { timeout: 180000 }, async () => {
  for (const [tag, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { context, page, log } = await openPage({ viewport, javaScriptEnabled: false });
    try {
      await page.goto(`${srv.base}/reports/by_unit?from=2000-01-01&status=all`);
      // 2024 units: the form's unit list is redrawn for the hierarchy chosen
      await openMore(page);
      await page.selectOption('#f-hierarchy', '2024');
      await Promise.all([page.waitForNavigation(), page.click('form.report-filters button[type="submit"]')]);
      await page.selectOption('#f-unit', '25');
      await Promise.all([page.waitForNavigation(), page.click('form.report-filters button[type="submit"]')]);
      assert.equal((await page.textContent('p.period strong')).trim(), 'Tỉnh Phú Thọ');
      await assertSameFigures(page, `by_unit Phú Thọ ${tag}`);
      assert.ok(await page.locator('table.report tbody th a', { hasText: 'Huyện Đoan Hùng' }).count());
      if (tag === 'phone') {
        await assertPhoneLayout(page, 'by_unit');
        // the table is wider than a phone: it scrolls in its own box
        const [inner, box] = await page.$eval('div.scroll', (d) => [d.scrollWidth, d.clientWidth]);
        assert.ok(inner > box, `the table fits (${inner} <= ${box})`);
      }
      await shot(page, `reports-by_unit-${tag}`);
      // a unit's name opens the same report for it
      await Promise.all([page.waitForNavigation(), page.click('table.report tbody th a:text("Huyện Đoan Hùng")')]);
      assert.equal((await page.textContent('p.period strong')).trim(), 'Huyện Đoan Hùng');
      await assertSameFigures(page, `by_unit Đoan Hùng ${tag}`);
      assertLog(log);
    } finally {
      await context.close();
    }
  }
});

test('a bad date answers 400 with the message beside the field, with or without JavaScript', { timeout: 120000 }, async () => {
  for (const js of [true, false]) {
    const { context, page, log } = await openPage({ javaScriptEnabled: js });
    try {
      await page.goto(`${srv.base}/reports/replication`);
      await page.fill('#f-from', '31/02/2025');
      const [resp] = await Promise.all([page.waitForNavigation(), page.click('form.report-filters button[type="submit"]')]);
      assert.equal(resp.status(), 400);
      assert.equal(await page.getAttribute('#f-from', 'aria-invalid'), 'true');
      assert.equal((await page.textContent('.field.invalid:has(#f-from) .msg')).trim(), 'Ngày không hợp lệ.');
      assert.equal(await page.inputValue('#f-from'), '31/02/2025', 'what was typed is kept');
      assert.equal(await page.locator('table.report').count(), 0);
      if (!js) await shot(page, 'reports-bad-date-phone');
      assertLog(log);
    } finally {
      await context.close();
    }
  }
});

test('the print layout prints on A4 with the Party heading', { timeout: 120000 }, async () => {
  const { context, page, log } = await openPage({ viewport: DESKTOP });
  try {
    await page.goto(`${srv.base}/reports/by_unit?from=2000-01-01&to=2025-12-31&hierarchy=2024&status=all`);
    await Promise.all([page.waitForNavigation(), page.click('ul.downloads a[href*="print=1"]')]);
    assert.match(page.url(), /print=1/);
    assert.equal((await page.textContent('.party .motto .b')).trim(), 'ĐẢNG CỘNG SẢN VIỆT NAM');
    assert.match(await page.textContent('h1.doctype'), /^BÁO CÁO/);
    // the same figures as the API for the page's own parameters
    const u = new URL(page.url());
    u.searchParams.delete('print');
    const r = await page.request.get(`${srv.base}/api/v1/reports/by_unit?${u.searchParams}`);
    await assertSameFigures(page, 'print', await r.json());
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.noprint').isVisible(), false, 'the print button is not printed');
    await page.pdf({ path: path.join(OUT, 'reports-by_unit-print.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.screenshot({ path: path.join(OUT, 'reports-by_unit-print-media.png'), fullPage: true });
    assertLog(log);
  } finally {
    await context.close();
  }
});
