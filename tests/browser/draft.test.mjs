// draft.test.mjs: nothing typed is lost — the registration form keeps a draft on the device,
// offers it back after a closed tab or a lost connection, and drops it once the model is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from '../lib/server.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.route('**/*', (route) => (route.request().url().startsWith(srv.base) ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('input[name="login"]', 'admin');
  await page.fill('input[name="password"]', srv.adminPassword);
  await Promise.all([page.waitForURL(`${srv.base}/models`), page.click('form.login button[type="submit"]')]);
  return { context, page };
}

test('a closed tab and a lost connection lose nothing; a saved model drops its draft', { timeout: 120000 }, async () => {
  const { context, page } = await signedIn();
  try {
    const title = 'Tổ tự quản đêm trăng — bản nháp';
    await page.goto(`${srv.base}/models/new`);
    await page.fill('#i-title', title);
    await page.fill('#i-summary', 'Tuần tra ban đêm, gõ trên điện thoại.');
    await page.selectOption('#f-field', 'defense_security');
    // the tab is closed and opened again: the draft is offered, and restoring it fills the form
    await page.goto(`${srv.base}/models/new`);
    assert.equal(await page.inputValue('#i-title'), '', 'the server form starts empty');
    await page.waitForSelector('.draft-offer');
    await page.click('.draft-offer button:not(.secondary)');
    assert.equal(await page.inputValue('#i-title'), title);
    assert.equal(await page.inputValue('#i-summary'), 'Tuần tra ban đêm, gõ trên điện thoại.');
    assert.equal(await page.inputValue('#f-field'), 'defense_security');
    await page.screenshot({ path: 'tests/out/draft-restored.png', fullPage: false });
    // the connection dies while saving: the draft is still there afterwards
    await page.route('**/models/new', (route) => (route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue()));
    await page.click('.actions button[value="save"]').catch(() => {});
    await page.waitForTimeout(500);
    await page.unroute('**/models/new');
    await page.goto(`${srv.base}/models/new`);
    await page.waitForSelector('.draft-offer');
    await page.click('.draft-offer button:not(.secondary)');
    assert.equal(await page.inputValue('#i-title'), title, 'the draft survived the lost connection');
    // finish the form and save for real: the model page, and no draft offered any more
    await page.fill('#i-registered_on', '15/08/2025');
    await page.selectOption('#f-kind', 'collective');
    await page.selectOption('#f-registration_level', 'commune');
    await page.fill('#i-unit_q', 'ba dinh');
    await page.click('button[value="unit_search"]');
    await page.click('button[name="unit_pick"][value="00004"]');
    await Promise.all([page.waitForURL(/\/models\/\d+$/), page.click('.actions button[value="save"]')]);
    assert.ok((await page.textContent('h1')).includes(title));
    await page.goto(`${srv.base}/models/new`);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.draft-offer').count(), 0, 'the draft was dropped after saving');
  } finally {
    await context.close();
  }
});
