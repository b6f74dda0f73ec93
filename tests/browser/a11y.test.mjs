// a11y.test.mjs: axe-core (npm) in headless Chromium over every page of dvk, on a
// `dvk init --demo` database: the public pages, the sign-in form (and its error), every
// signed-in page of an administrator and of a commune officer (dashboard, work queue,
// lists, a model, its edit and appraisal forms, the registration form empty and sent back
// with errors, reports and their print layouts, conferences, spreadsheets, the audit
// trail), on a 390 px phone. No page may have a serious or critical violation; the
// moderate and minor ones are printed (test diagnostics) but do not fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer, addUser } from '../lib/server.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 390, height: 844 };

let srv;
let browser;
let officer;
before(async () => {
  srv = await startServer({ demo: true });
  // a commune officer of the demo's 2024 commune Bình Dương (Thăng Bình, Quảng Nam)
  officer = await addUser(srv, 'canbo.a11y', 'officer', '20368', 2024);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function open(login, password, { viewport = PHONE } = {}) {
  const context = await browser.newContext({ locale: 'vi-VN', viewport });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(srv.base) || url.startsWith('data:') ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  if (login) {
    await page.goto(`${srv.base}/login`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  }
  return { context, page };
}

/* Runs axe on the page as it is; returns the violations, each "impact rule: targets". */
async function axe(page) {
  // the page's CSP allows only its own scripts: axe is added through the DevTools protocol
  await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return res;
}

const failures = [];
async function check(t, page, label) {
  const v = await axe(page);
  const bad = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
  for (const x of v) t.diagnostic(`${label}: ${x.impact} ${x.id} (${x.help}) ${x.nodes.join(', ')}`);
  for (const x of bad) failures.push(`${label}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(', ')}`);
  return bad;
}

async function visit(t, page, url, label) {
  const res = await page.goto(`${srv.base}${url}`);
  assert.ok(res.status() < 400, `${url} answered ${res.status()}`);
  return check(t, page, label || url);
}

test('public pages and the sign-in form have no serious or critical violation', { timeout: 120000 }, async (t) => {
  failures.length = 0;
  const { context, page } = await open(null);
  try {
    await visit(t, page, '/public');
    const first = await page.getAttribute('ul.cards a[href^="/public/models/"]', 'href');
    assert.ok(first, 'the showcase lists a model');
    await visit(t, page, first);
    await visit(t, page, '/public?q=khong-co-gi-ca-xyz', '/public (no match)');
    await visit(t, page, '/login');
    await page.fill('input[name="login"]', 'admin');
    await page.fill('input[name="password"]', 'sai-mat-khau');
    await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
    await check(t, page, '/login (wrong password)');
    await visit(t, page, '/public?lang=en', '/public (English)');
    await visit(t, page, '/guide?lang=vi', '/guide');
    await visit(t, page, '/guide?lang=en', '/guide (English)');
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('every page of an administrator has no serious or critical violation', { timeout: 300000 }, async (t) => {
  failures.length = 0;
  const { context, page } = await open('admin', srv.adminPassword);
  try {
    await visit(t, page, '/dashboard');
    await visit(t, page, '/queue');
    await visit(t, page, '/models');
    await visit(t, page, '/models?q=an+ninh', '/models (search)');
    await visit(t, page, '/models?q=khong-co-gi-ca-xyz', '/models (no match)');
    const href = await page.goto(`${srv.base}/models?status=recognized`).then(() =>
      page.getAttribute('table.list a[href^="/models/"]', 'href'));
    assert.ok(href, 'the list links a model');
    await visit(t, page, href, '/models/{id}');
    await visit(t, page, `${href}?print=1`, '/models/{id}?print=1');
    await visit(t, page, `${href}/edit`, '/models/{id}/edit');
    await visit(t, page, `${href}/appraisals/new`, '/models/{id}/appraisals/new');
    await visit(t, page, '/models/new');
    // the registration form sent back with its errors beside the fields
    await page.click('.actions button[value="save"]');
    await page.waitForLoadState();
    assert.ok(await page.locator('.field.invalid').count() > 0, 'the form came back with errors');
    await check(t, page, '/models/new (errors)');
    await visit(t, page, '/reports');
    for (const name of ['summary', 'by_unit', 'by_level', 'results', 'commendation', 'replication', 'timeseries'])
      await visit(t, page, `/reports/${name}`);
    await visit(t, page, '/reports/summary?print=1', '/reports/summary (print)');
    await visit(t, page, '/reports/by_unit?from=2025-13-01', '/reports/by_unit (bad date)').catch(async () => {
      await check(t, page, '/reports/by_unit (bad date)');
    });
    await visit(t, page, '/conferences');
    await visit(t, page, '/models/import');
    await visit(t, page, '/admin/audit');
    await visit(t, page, '/dashboard?lang=en', '/dashboard (English)');
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('a commune officer\'s pages have no serious or critical violation', { timeout: 180000 }, async (t) => {
  failures.length = 0;
  const { context, page } = await open(officer.login, officer.password);
  try {
    await visit(t, page, '/dashboard');
    await visit(t, page, '/queue');
    await visit(t, page, '/models');
    await visit(t, page, '/models/new');
    // the unit picker: a search, then its list of units
    await page.fill('#i-unit_q', 'an');
    await page.click('button[value="unit_search"]');
    await page.waitForLoadState();
    await check(t, page, '/models/new (unit search)');
    await visit(t, page, '/reports/by_unit');
  } finally {
    await context.close();
  }
  assert.deepEqual(failures, []);
});
