// phone.mjs: `make bench` (bench/run.sh) — a commune officer on an old phone and a slow
// connection. Starts the release build (DVK_BIN, default build/dvk) on a `dvk init --demo`
// database, adds a commune officer, and in Debian's Chromium (playwright-core) signs in and
// registers a model twice:
//   phone    390×844, touch, the network throttled through the DevTools protocol
//            (Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms round trip)
//   desktop  1280×900, no throttling
// For each page of the way it prints the bytes fetched (encoded, as on the wire, headers
// included: Network.loadingFinished's encodedDataLength), the number of requests and the
// time until the page was usable (DOMContentLoaded: the HTML parsed and the deferred
// script run; from the start of the navigation, redirects included).
// Then the weight of the main pages: HTML + CSS + JS as the browser fetched them (with its
// Accept-Encoding), on a cold cache, against the target of 100 KB each.
// Writes the numbers as JSON to bench/out/phone.json too. Exits 1 if the flow fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
// the release build unless DVK_BIN says otherwise: set before server.mjs is loaded, which
// reads it then (a static import would run first and pick the sanitizer build)
process.env.DVK_BIN ||= 'build/dvk';
const { startServer, addUser, ROOT } = await import('../tests/lib/server.mjs');

const OUT = path.join(ROOT, 'bench', 'out');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SLOW = { offline: false, latency: 400, downloadThroughput: 400000 / 8, uploadThroughput: 400000 / 8 };
const LIMIT = 100 * 1024;

/* A page whose network is counted (and throttled when slow) through a CDP session. */
async function open(browser, srv, { viewport, mobile, slow }) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, locale: 'vi-VN',
    deviceScaleFactor: mobile ? 2 : 1 });
  // no context.route(): intercepting requests turns Chromium's cache off, and the cache is
  // part of what is measured. A request outside the server is counted and fails the run.
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (slow) await cdp.send('Network.emulateNetworkConditions', SLOW);
  // requests: those that went to the network (a page's CSS and JS from the cache are not)
  const net = { bytes: 0, requests: 0, byType: {}, foreign: [] };
  const cached = new Set();
  const fromCache = (id) => {
    if (!cached.has(id)) { cached.add(id); net.requests--; }
  };
  cdp.on('Network.requestServedFromCache', (e) => fromCache(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) fromCache(e.requestId);
  });
  const types = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    net.requests++;
    if (!e.request.url.startsWith(srv.base) && !e.request.url.startsWith('data:')) net.foreign.push(e.request.url);
    types.set(e.requestId, e.type || 'Other');
  });
  cdp.on('Network.loadingFinished', (e) => {
    net.bytes += e.encodedDataLength;
    const t = types.get(e.requestId) || 'Other';
    net.byType[t] = (net.byType[t] || 0) + e.encodedDataLength;
  });
  return { context, page, cdp, net };
}

/* Runs step (a navigation) and measures it: bytes and requests while it ran, and the time
 * from the navigation's start to DOMContentLoaded of the page it ended on. */
async function measure(p, label, step) {
  const b0 = p.net.bytes;
  const r0 = p.net.requests;
  const t0 = Date.now();
  await step();
  await p.page.waitForLoadState('domcontentloaded');
  const usable = await p.page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return n ? n.domContentLoadedEventEnd - n.startTime : -1;
  });
  await p.page.waitForLoadState('load');
  // let the last responses' loadingFinished events arrive
  await p.page.waitForTimeout(50);
  return { page: label, url: new URL(p.page.url()).pathname, bytes: p.net.bytes - b0, requests: p.net.requests - r0,
    usable_ms: Math.round(usable > 0 ? usable : Date.now() - t0) };
}

/* Signs in as the officer and registers a model; returns one row per page. */
async function flow(browser, srv, user, opts, title) {
  const p = await open(browser, srv, opts);
  const rows = [];
  try {
    const { page } = p;
    rows.push(await measure(p, 'sign-in form', () => page.goto(`${srv.base}/login`)));
    await page.fill('input[name="login"]', user.login);
    await page.fill('input[name="password"]', user.password);
    rows.push(await measure(p, 'signed in: models', () =>
      Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.login button[type="submit"]')])));
    rows.push(await measure(p, 'registration form', () =>
      Promise.all([page.waitForURL(/\/models\/new$/), page.click('nav.menu a[href="/models/new"]')])));
        await page.fill('#i-title', title);
    await page.fill('#i-summary', 'Mỗi hộ đóng góp một bóng đèn, cả thôn cùng giữ đường sáng và sạch.');
    await page.selectOption('#f-field', 'economic');
    await page.selectOption('#f-kind', 'collective');
    await page.selectOption('#f-registration_level', 'commune');
    const chosen = await page.locator('input[name="unit_code"]').inputValue().catch(() => '');
    if (!chosen) throw new Error('the officer\'s own unit is not chosen on the form');
    rows.push(await measure(p, 'model registered', async () => {
      await Promise.all([page.waitForNavigation(), page.click('.actions button[value="save"]')]);
      if (!/\/models\/\d+$/.test(new URL(page.url()).pathname))
        throw new Error(`not saved: ${(await page.locator('.error, .msg, [role=alert]').allTextContents()).join(' | ')}`);
    }));
    const h1 = await page.textContent('h1');
    if (!h1.includes(title)) throw new Error(`the model page shows "${h1}"`);
    rows.push(await measure(p, 'dashboard', () =>
      Promise.all([page.waitForURL(/\/dashboard$/), page.click('nav.menu a[href="/dashboard"]')])));
  } finally {
    await p.context.close();
  }
  if (p.net.foreign.length) throw new Error(`requests outside the server: ${p.net.foreign.join(' ')}`);
  return rows;
}

/* The weight of one page on a cold cache: HTML, CSS and JS as fetched (encoded bodies and
 * headers), and images and fonts apart. */
async function weight(browser, srv, user, url) {
  const p = await open(browser, srv, { viewport: { width: 390, height: 844 }, mobile: true, slow: false });
  try {
    if (user) {
      await p.page.goto(`${srv.base}/login`);
      await p.page.fill('input[name="login"]', user.login);
      await p.page.fill('input[name="password"]', user.password);
      await Promise.all([p.page.waitForURL((u) => !u.pathname.startsWith('/login')),
        p.page.click('form.login button[type="submit"]')]);
      // a fresh cache for the page itself
      await p.cdp.send('Network.clearBrowserCache');
      await p.page.waitForTimeout(50);
    }
    p.net.bytes = 0;
    p.net.requests = 0;
    p.net.byType = {};
    await p.page.goto(`${srv.base}${url}`, { waitUntil: 'load' });
    await p.page.waitForTimeout(50);
    const t = p.net.byType;
    const text = (t.Document || 0) + (t.Stylesheet || 0) + (t.Script || 0);
    return { url, text, html: t.Document || 0, css: t.Stylesheet || 0, js: t.Script || 0,
      other: p.net.bytes - text, requests: p.net.requests };
  } finally {
    await p.context.close();
  }
}

const kb = (n) => (n / 1024).toFixed(1);

async function main() {
  mkdirSync(OUT, { recursive: true });
  const srv = await startServer({ demo: true });
  let browser;
  let failed = false;
  try {
    // a commune officer of Phường Bàn Thạch (2025): the form starts from that ward
    const user = await addUser(srv, 'canbo.banthach', 'officer', '20335', 2025);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
    const phone = await flow(browser, srv, user, { viewport: { width: 390, height: 844 }, mobile: true, slow: true },
      'Tổ tự quản đường làng sáng xanh');
    const desk = await flow(browser, srv, user, { viewport: { width: 1280, height: 900 }, mobile: false, slow: false },
      'Câu lạc bộ phụ nữ nuôi gà thả vườn');

    console.log('\nA commune officer signs in and registers a model (demo database, release build)');
    console.log('phone: 390×844, throttled 400 kbit/s down and up, 400 ms round trip; desktop: 1280×900, no throttling');
    console.log('bytes = encoded, on the wire with headers; usable = navigation start to DOMContentLoaded\n');
    console.log(`${'page'.padEnd(24)} ${'phone KB'.padStart(9)} ${'req'.padStart(4)} ${'usable ms'.padStart(10)}   ${'desktop KB'.padStart(10)} ${'req'.padStart(4)} ${'usable ms'.padStart(10)}`);
    const tot = { pb: 0, pr: 0, pt: 0, db: 0, dr: 0, dt: 0 };
    phone.forEach((r, i) => {
      const d = desk[i];
      console.log(`${r.page.padEnd(24)} ${kb(r.bytes).padStart(9)} ${String(r.requests).padStart(4)} ${String(r.usable_ms).padStart(10)}   ${kb(d.bytes).padStart(10)} ${String(d.requests).padStart(4)} ${String(d.usable_ms).padStart(10)}`);
      tot.pb += r.bytes; tot.pr += r.requests; tot.pt += r.usable_ms;
      tot.db += d.bytes; tot.dr += d.requests; tot.dt += d.usable_ms;
    });
    console.log(`${'whole way'.padEnd(24)} ${kb(tot.pb).padStart(9)} ${String(tot.pr).padStart(4)} ${String(tot.pt).padStart(10)}   ${kb(tot.db).padStart(10)} ${String(tot.dr).padStart(4)} ${String(tot.dt).padStart(10)}`);

    const officerPages = ['/dashboard', '/models', '/models/new', '/reports/by_unit'];
    const weights = [];
    weights.push(await weight(browser, srv, null, '/login'));
    weights.push(await weight(browser, srv, null, '/public'));
    // the user guide: its text with the screenshots in the first screen ("other"); the rest
    // of its pictures load lazily, as the reader scrolls
    weights.push(await weight(browser, srv, null, '/guide'));
    const model = await (await fetch(`${srv.base}/public`)).text();
    const m = /href="(\/public\/models\/\d+)"/.exec(model);
    if (m) weights.push(await weight(browser, srv, null, m[1]));
    for (const u of officerPages) weights.push(await weight(browser, srv, user, u));
    console.log('\nPage weight on a cold cache (HTML + CSS + JS as fetched, headers included; target < 100 KB each)\n');
    console.log(`${'page'.padEnd(24)} ${'HTML'.padStart(7)} ${'CSS'.padStart(7)} ${'JS'.padStart(7)} ${'total KB'.padStart(9)} ${'other KB'.padStart(9)}  target`);
    for (const w of weights) {
      const ok = w.text < LIMIT ? 'under 100 KB' : 'OVER 100 KB';
      if (w.text >= LIMIT) failed = true;
      console.log(`${w.url.padEnd(24)} ${kb(w.html).padStart(7)} ${kb(w.css).padStart(7)} ${kb(w.js).padStart(7)} ${kb(w.text).padStart(9)} ${kb(w.other).padStart(9)}  ${ok}`);
    }
    writeFileSync(path.join(OUT, 'phone.json'), JSON.stringify({ network: SLOW, phone, desktop: desk, weights }, null, 2));
    console.log(`\n(numbers also in ${path.relative(ROOT, path.join(OUT, 'phone.json'))})`);
  } finally {
    if (browser) await browser.close();
    await srv.stop();
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench/phone.mjs: ${e.stack || e}`);
  process.exit(1);
});
