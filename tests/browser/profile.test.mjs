// profile.test.mjs: a model's one-page profile (/models/{id}?print=1), for a commendation
// file or a notice board, printed to PDF on A4 by headless Chromium (Debian's chromium,
// playwright-core) on a `dvk init --demo` database: the demo model with the longest texts
// fits one page, and so does a model whose every text is very long; the model page links
// the profile; the profile has no serious or critical axe-core violation. The PDFs go to
// tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../lib/server.mjs';
import { api, createModel } from '../lib/http.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const OUT = path.join(ROOT, 'tests', 'out');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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

/* The number of pages of a PDF (its /Type /Page objects). */
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;

async function signedIn() {
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
  await context.route('**/*', (route) => (route.request().url().startsWith(srv.base) ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('input[name="login"]', 'admin');
  await page.fill('input[name="password"]', srv.adminPassword);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  return { context, page };
}

test('a model\'s profile prints on one A4 page, however long its texts', { timeout: 180000 }, async () => {
  // the demo's typical model with the most text
  const list = await api(srv.base, 'GET', '/api/v1/models?limit=100');
  assert.equal(list.status, 200, list.text);
  const full = await Promise.all(list.json.items.map((m) => api(srv.base, 'GET', `/api/v1/models/${m.id}`).then((r) => r.json)));
  const size = (m) => JSON.stringify(m).length;
  const longest = full.filter((m) => m.typical).sort((a, b) => size(b) - size(a))[0];
  assert.ok(longest, 'a typical demo model');
  // and one whose every text is far longer than a page
  const long = 'Nhân dân bàn bạc, thống nhất, cùng làm và cùng hưởng thụ thành quả; '.repeat(60);
  const huge = await createModel(srv.base, { title: 'Mô hình có văn bản rất dài để thử bản in một trang', summary: long.slice(0, 1990),
    content: long, outputs: long, situation: long, objectives: long });
  const { context, page } = await signedIn();
  try {
    await page.goto(`${srv.base}/models/${longest.id}`);
    const href = await page.getAttribute('a.print-link', 'href');
    assert.equal(href, `/models/${longest.id}?print=1`, 'the model page links its profile');
    for (const [m, name] of [[longest, 'profile-demo'], [huge, 'profile-long']]) {
      const r = await page.goto(`${srv.base}/models/${m.id}?print=1`);
      assert.equal(r.status(), 200);
      assert.equal(await page.textContent('h1 span'), m.title);
      assert.ok((await page.textContent('main')).includes(m.code), 'the code is on the profile');
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ path: path.join(OUT, `${name}.pdf`), format: 'A4', printBackground: true, preferCSSPageSize: true });
      assert.equal(pdfPages(pdf), 1, `${name}: one A4 page`);
      assert.equal(await page.locator('.noprint').evaluate((el) => getComputedStyle(el).display), 'none', 'no buttons on paper');
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    }
    await page.evaluate(AXE);
    const v = await page.evaluate(async () => (await axe.run(document)).violations // eslint-disable-line no-undef
      .filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.nodes[0].target}`));
    assert.deepEqual(v, [], 'no serious or critical violation on the profile');
  } finally {
    await context.close();
  }
});
