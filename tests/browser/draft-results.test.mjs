// draft-results.test.mjs: the result form of a model (a year, an indicator, a value) keeps a
// draft on the device like the registration form: typed and left (a closed tab), the model's
// page offers it back, opening the folded form, and restoring gives back what was typed;
// once saved, the model's page does not offer it again. On a `dvk init --demo` database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let srv;
let browser;
before(async () => {
  srv = await startServer({ demo: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('a result typed and left is offered back on the model\'s page, and dropped once saved', { timeout: 120000 }, async () => {
  const list = await api(srv.base, 'GET', '/api/v1/models?status=recognized&limit=1');
  const id = list.json.items[0].id;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  await context.route('**/*', (route) => (route.request().url().startsWith(srv.base) ? route.continue() : route.abort()));
  const page = await context.newPage();
  try {
    await page.goto(`${srv.base}/login`);
    await page.fill('input[name="login"]', 'admin');
    await page.fill('input[name="password"]', srv.adminPassword);
    await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
    await page.goto(`${srv.base}/models/${id}`);
    await page.click('details.results-form summary');
    await page.fill('#r-year', '2025');
    await page.selectOption('#r-ind', 'households');
    await page.fill('#r-value', '137');
    // the tab is closed and the model opened again
    await page.goto(`${srv.base}/models/${id}`);
    await page.waitForSelector('details.results-form .draft-offer');
    assert.equal(await page.evaluate(() => document.querySelector('details.results-form').open), true, 'the form is unfolded');
    assert.equal(await page.inputValue('#r-value'), '');
    await page.click('details.results-form .draft-offer button:not(.secondary)');
    assert.equal(await page.inputValue('#r-year'), '2025');
    assert.equal(await page.inputValue('#r-ind'), 'households');
    assert.equal(await page.inputValue('#r-value'), '137');
    await Promise.all([page.waitForURL(new RegExp(`/models/${id}$`)), page.click('details.results-form button[type="submit"]:not(.secondary)')]);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.draft-offer').count(), 0, 'a saved result is not offered back');
    const m = await api(srv.base, 'GET', `/api/v1/models/${id}`);
    assert.ok(m.json.results.some((x) => x.year === 2025 && x.indicator === 'households' && x.value === 137), JSON.stringify(m.json.results));
  } finally {
    await context.close();
  }
});
