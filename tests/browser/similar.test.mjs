// similar.test.mjs: the duplicate warning of the registration form in headless Chromium.
// A commune officer types the name of a model like one already registered in the commune:
// with JavaScript the similar model is listed live under the name (aria-live) and the box
// "register anyway" is ticked there; without it the server answers the submit with the
// warning and everything typed, and registers on the next submit once the box is ticked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, addUser, ROOT } from '../lib/server.mjs';
import { api, createModel, token } from '../lib/http.mjs';

const OUT = path.join(ROOT, 'tests', 'out');
const PAGE_LIMIT = 100 * 1024;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let srv;
let browser;
let officer;
let existing;
let tok;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  // Xã Tây Hồ (2025 code 20380, Thành phố Đà Nẵng): the officer's commune, chosen on the form already
  officer = await addUser(srv, 'sim_officer', 'officer', '20380', 2025);
  tok = token('bs');
  existing = await createModel(srv.base, {
    title: `Tổ tự quản phòng cháy chữa cháy thôn Bốn ${tok}`, unit_code: '20380', hierarchy: 2025,
    registered_on: '2025-08-01', period_from: '2025-08-01', period_to: '2026-08-01', results: [],
  });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function openPage(javaScriptEnabled) {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width: 412, height: 915 } });
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
  await page.fill('input[name="login"]', officer.login);
  await page.fill('input[name="password"]', officer.password);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  return { context, page, log };
}

const save = (page) => page.locator('button[name="op"][value="save"]:not([aria-hidden="true"])');

async function fillForm(page, title) {
  await page.goto(`${srv.base}/models/new`);
  await page.fill('#i-title', title);
  await page.fill('#i-summary', 'Đội xung kích của thôn, tập huấn và trực phòng cháy.');
  await page.selectOption('select[name="field"]', 'defense_security');
  await page.selectOption('select[name="kind"]', 'collective');
  await page.selectOption('select[name="registration_level"]', 'commune');
  await page.fill('input[name="registered_on"]', '15/09/2025');
  await page.fill('#i-owner', 'Công an xã Tây Hồ');
  assert.ok((await page.textContent('body')).includes('Xã Tây Hồ'), 'the officer\'s commune is chosen already');
}

async function assertKept(page, title) {
  assert.equal(await page.inputValue('#i-title'), title, 'title kept');
  assert.equal(await page.inputValue('#i-summary'), 'Đội xung kích của thôn, tập huấn và trực phòng cháy.', 'summary kept');
  assert.equal(await page.inputValue('select[name="field"]'), 'defense_security');
  assert.equal(await page.inputValue('select[name="kind"]'), 'collective');
  assert.equal(await page.inputValue('select[name="registration_level"]'), 'commune');
  assert.equal(await page.inputValue('input[name="registered_on"]'), '15/09/2025');
  assert.equal(await page.inputValue('#i-owner'), 'Công an xã Tây Hồ');
}

async function registeredAs(page, title) {
  const m = /^\/models\/(\d+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, `after registering the URL is ${page.url()}`);
  const g = await api(srv.base, 'GET', `/api/v1/models/${m[1]}`);
  assert.equal(g.json.title, title);
  assert.equal(g.json.unit_code, '20380');
  return Number(m[1]);
}

function assertLog(log) {
  assert.deepEqual(log.foreign, [], 'requests outside the test server');
  assert.deepEqual(log.jsErrors, [], 'JavaScript errors');
  for (const n of log.sizes) assert.ok(n < PAGE_LIMIT, `a page of ${n} bytes`);
}

test('with JavaScript: similar models are listed live under the name, and confirmed there', { timeout: 120000 }, async () => {
  const { context, page, log } = await openPage(true);
  try {
    const title = `Tổ tự quản phòng cháy chữa cháy thôn Năm ${tok}`;
    await fillForm(page, title);
    const box = page.locator('#similar');
    assert.equal(await box.getAttribute('aria-live'), 'polite');
    const link = box.locator(`a[href="/models/${existing.id}"]`);
    await link.waitFor({ timeout: 10000 });
    assert.equal((await link.textContent()).trim(), existing.title);
    assert.ok((await box.textContent()).includes('Cùng xã/phường'), await box.textContent());
    await page.screenshot({ path: path.join(OUT, 'similar-js-1-live.png'), fullPage: true });
    // an unrelated name: the list goes away
    await page.fill('#i-title', `Nuôi bò sinh sản ${tok}`);
    await page.waitForFunction(() => !document.querySelector('#similar a'), null, { timeout: 10000 });
    await page.fill('#i-title', title);
    await link.waitFor({ timeout: 10000 });
    // confirmed where it is shown: registered at once
    await page.check('#i-similar_ok');
    await Promise.all([page.waitForNavigation(), save(page).click()]);
    await registeredAs(page, title);
    await page.screenshot({ path: path.join(OUT, 'similar-js-2-registered.png'), fullPage: true });
    assertLog(log);
  } finally {
    await context.close();
  }
});

test('without JavaScript: the submit answers with the warning and everything typed; ticking the box registers', { timeout: 120000 }, async () => {
  const { context, page, log } = await openPage(false);
  try {
    const title = `Tổ tự quản phòng cháy chữa cháy thôn Sáu ${tok}`;
    await fillForm(page, title);
    assert.equal(await page.locator('#similar a').count(), 0, 'nothing is listed before the submit');
    await Promise.all([page.waitForNavigation(), save(page).click()]);
    assert.match(new URL(page.url()).pathname, /^\/models\/new$/, 'not registered yet');
    const box = page.locator('#similar');
    assert.equal(await box.locator(`a[href="/models/${existing.id}"]`).count(), 1, 'the similar model is linked');
    assert.equal(await page.locator('#similar [role="alert"]').count(), 1);
    await assertKept(page, title);
    await page.screenshot({ path: path.join(OUT, 'similar-nojs-1-warning.png'), fullPage: true });
    // saving again without ticking the box asks again
    await Promise.all([page.waitForNavigation(), save(page).click()]);
    assert.match(new URL(page.url()).pathname, /^\/models\/new$/);
    await assertKept(page, title);
    await page.check('#i-similar_ok');
    await Promise.all([page.waitForNavigation(), save(page).click()]);
    const id = await registeredAs(page, title);
    assert.notEqual(id, existing.id);
    await page.screenshot({ path: path.join(OUT, 'similar-nojs-2-registered.png'), fullPage: true });
    assertLog(log);
  } finally {
    await context.close();
  }
});
