// register.test.mjs: registers a model through the server-rendered form in
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// picks its unit with the no-JS unit search, and finds it in the list by a
// search without diacritics; once with JavaScript on and once with it off.
// Screenshots go to tests/out/. Every HTML page must be under 100 KB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { api, createModel, fold, token } from '../lib/http.mjs';

const OUT = path.join(ROOT, 'tests', 'out');
const PAGE_LIMIT = 100 * 1024;
// Chromium must never reach the internet: no background services, and every
// request that is not for the test server is aborted and fails the test.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let srv;
let browser;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/* A page that records every HTML document's size, foreign requests and JS errors. */
async function openPage(javaScriptEnabled) {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'vi-VN', viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  const log = { docs: [], pending: [], foreign: [], jsErrors: [], bodyErrors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(srv.base + '/') || url === srv.base) return route.continue();
    if (url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    log.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('pageerror', (e) => log.jsErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document') return;
    const s = r.status();
    if (s >= 300 && s < 400) { log.docs.push({ url: r.url(), status: s, bytes: 0 }); return; }
    log.pending.push(r.body().then(
      (b) => log.docs.push({ url: r.url(), status: s, bytes: b.length, type: r.headers()['content-type'] }),
      (e) => log.bodyErrors.push(`${r.url()}: ${e.message}`),
    ));
  });
  // Reads the bodies of the documents seen so far (before the next navigation).
  const settle = async () => { await Promise.all(log.pending.splice(0)); };
  // Every page but the showcase needs a signed-in user: sign in through the form.
  await page.goto(`${srv.base}/models`);
  assert.match(page.url(), /\/login\?next=%2Fmodels$/, 'an anonymous visitor is sent to sign in');
  await page.fill('input[name="login"]', 'admin');
  await page.fill('input[name="password"]', srv.adminPassword);
  await Promise.all([page.waitForURL(`${srv.base}/models`), page.click('form.login button[type="submit"]')]);
  await settle();
  return { context, page, log, settle };
}

function assertLog(log) {
  assert.deepEqual(log.foreign, [], 'requests outside the test server');
  assert.deepEqual(log.bodyErrors, [], 'documents whose body could not be read');
  assert.deepEqual(log.jsErrors, [], 'JavaScript errors');
  assert.ok(log.docs.length >= 5, `too few documents recorded: ${JSON.stringify(log.docs)}`);
  for (const d of log.docs) {
    assert.ok(d.status < 400, `${d.url} answered ${d.status}`);
    if (d.status >= 300) continue;
    assert.match(d.type || '', /^text\/html/, `${d.url}: content-type ${d.type}`);
    assert.ok(d.bytes < PAGE_LIMIT, `${d.url} is ${d.bytes} bytes (limit ${PAGE_LIMIT})`);
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

/* Asserts that the named control exists, is unique and has a label. */
async function control(page, selector, what) {
  const loc = page.locator(selector);
  assert.equal(await loc.count(), 1, `${what}: expected exactly one ${selector}`);
  const labelled = await loc.evaluate((el) => (el.labels && el.labels.length > 0) || !!el.getAttribute('aria-label') || !!el.getAttribute('aria-labelledby'));
  assert.ok(labelled, `${what}: ${selector} has no label`);
  return loc;
}

/* The one visible op=VALUE button (a form may carry a hidden default button first,
 * so that Enter saves; it is aria-hidden and not what a user clicks). */
function button(page, value) {
  return page.locator(`button[name="op"][value="${value}"]:not([aria-hidden="true"])`);
}

async function clickAndWait(page, settle, locator) {
  await settle();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  await settle();
}

async function registerAndFind(js) {
  const tag = js ? 'js' : 'nojs';
  const { context, page, log, settle } = await openPage(js);
  try {
    const tok = token('bt');
    // the two runs register in the same ward: titles of their own, or the second would be
    // asked to confirm it is not the first (similar.test.mjs tests that warning)
    const title = js ? `Dân vận khéo tuyến phố văn minh ${tok}` : `Dân vận khéo ngõ xóm sạch đẹp ${tok}`;

    // 1. the empty form
    const resp = await page.goto(`${srv.base}/models/new`);
    assert.equal(resp.status(), 200, '/models/new status');
    await settle();
    await control(page, 'input[name="title"], textarea[name="title"]', 'title');
    await page.fill('[name="title"]', title);
    await (await control(page, '[name="summary"]', 'summary')).fill('Mỗi tuyến phố một tổ tự quản, vận động người dân giữ vỉa hè thông thoáng.');
    await (await control(page, 'select[name="field"]', 'field')).selectOption('cultural_social');
    await (await control(page, 'select[name="kind"]', 'kind')).selectOption('collective');
    await (await control(page, 'select[name="registration_level"]', 'registration_level')).selectOption('commune');
    await (await control(page, 'input[name="registered_on"]', 'registered_on')).fill('15/08/2025'); // as a Vietnamese officer types it
    await (await control(page, '[name="owner"]', 'owner')).fill('Mặt trận Tổ quốc phường Ba Đình');
    const hier = page.locator('select[name="hierarchy"]');
    if (await hier.count()) await hier.selectOption('2025');
    await (await control(page, 'input[name="unit_q"]', 'unit_q')).fill('ba dinh');
    await shot(page, `register-${tag}-1-form`);

    // 2. the unit search re-renders the form with matching units as buttons
    await clickAndWait(page, settle, button(page, 'unit_search'));
    assert.equal(await page.inputValue('[name="title"]'), title, 'the title survives the unit search');
    const picks = page.locator('button[name="unit_pick"]');
    assert.ok(await picks.count() >= 1, 'no unit_pick buttons after the unit search');
    const pick = picks.filter({ hasText: 'Phường Ba Đình' });
    assert.equal(await pick.count(), 1, `expected one "Phường Ba Đình" button, got: ${await picks.allTextContents()}`);
    await shot(page, `register-${tag}-2-units`);

    // 3. picking the unit keeps everything typed so far
    await clickAndWait(page, settle, pick);
    assert.equal(await page.inputValue('[name="title"]'), title, 'the title survives the unit pick');
    assert.equal(await page.inputValue('select[name="field"]'), 'cultural_social', 'field survives the unit pick');
    assert.equal(await page.inputValue('input[name="registered_on"]'), '15/08/2025', 'date survives the unit pick, shown dd/mm/yyyy');
    assert.ok((await page.content()).includes('Phường Ba Đình'), 'the chosen unit is shown');
    await shot(page, `register-${tag}-3-picked`);

    // 4. save lands on /models/{id} showing the title
    await clickAndWait(page, settle, button(page, 'save'));
    const m = /\/models\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, `after save the URL is ${page.url()}, page: ${(await page.textContent('body')).slice(0, 2000)}`);
    const id = Number(m[1]);
    assert.ok((await page.textContent('body')).includes(title), 'the model page shows the title');
    await shot(page, `register-${tag}-4-model`);

    // what was stored, through the API
    const g = await api(srv.base, 'GET', `/api/v1/models/${id}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.title, title);
    assert.equal(g.json.unit_code, '00004');
    assert.equal(g.json.hierarchy, 2025);
    assert.equal(g.json.unit_name, 'Phường Ba Đình');
    assert.equal(g.json.field, 'cultural_social');
    assert.equal(g.json.kind, 'collective');
    assert.equal(g.json.registration_level, 'commune');
    assert.equal(g.json.registered_on, '2025-08-15');
    assert.equal(g.json.owner, 'Mặt trận Tổ quốc phường Ba Đình');

    // 5. the list finds it by the title without diacritics
    const q = fold(title);
    assert.match(q, /^[\x20-\x7e]+$/, 'the folded title is plain ASCII');
    const lr = await page.goto(`${srv.base}/models?q=${encodeURIComponent(q)}`);
    assert.equal(lr.status(), 200, '/models?q= status');
    await settle();
    assert.ok((await page.textContent('body')).includes(title), `the list for q=${q} does not show the title`);
    const link = page.locator(`a[href$="/models/${id}"]`);
    assert.ok(await link.count() >= 1, `the list has no link to /models/${id}`);
    await shot(page, `register-${tag}-5-list`);

    // and the plain list page
    const all = await page.goto(`${srv.base}/models`);
    assert.equal(all.status(), 200, '/models status');
    await settle();
    assertLog(log);
  } finally {
    await context.close();
  }
}

test('register a model through the form and find it (JavaScript on)', { timeout: 180000 }, async () => {
  await registerAndFind(true);
});

test('register a model through the form and find it (JavaScript off)', { timeout: 180000 }, async () => {
  await registerAndFind(false);
});

test('titles are shown as text, never as markup (model page and list)', { timeout: 120000 }, async () => {
  const { context, page, log, settle } = await openPage(true);
  try {
    const tok = token('xs');
    const title = `<img src=x id=pwned onerror="window.__pwned=1"><b id=bold>Đậm</b> & "ngoặc" ${tok}`;
    const m = await createModel(srv.base, { title, summary: '<script>window.__pwned=2</script>' });
    for (const url of [`/models/${m.id}`, `/models?q=${encodeURIComponent(tok)}`]) {
      const r = await page.goto(srv.base + url);
      assert.equal(r.status(), 200, url);
      await settle();
      assert.equal(await page.locator('#pwned, #bold').count(), 0, `${url}: markup from the title was rendered`);
      assert.equal(await page.evaluate(() => window.__pwned), undefined, `${url}: script from user text ran`);
      assert.ok((await page.textContent('body')).includes(title), `${url}: the title is not shown literally`);
    }
    await shot(page, 'escaping-list');
    await page.goto(srv.base + '/models');
    await settle();
    assert.deepEqual(log.foreign, []);
    assert.deepEqual(log.jsErrors, []);
    for (const d of log.docs) if (d.status < 300) assert.ok(d.bytes < PAGE_LIMIT, `${d.url} is ${d.bytes} bytes`);
  } finally {
    await context.close();
  }
});
