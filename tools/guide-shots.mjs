// guide-shots.mjs: `make guide-shots` — the screenshots of the user guides, docs/img/vi-*.webp
// for docs/user-guide.vi.md and docs/img/en-*.webp for docs/user-guide.en.md.
// Starts the release build (DVK_BIN, default build/dvk) on a fresh `dvk init --demo` database,
// adds a commune officer of Phường Bàn Thạch (2025) and a staff member of the Ban Dân vận of
// Thành phố Đà Nẵng, and in Debian's Chromium (playwright-core) on a 390×844 phone goes
// through the steps the guides describe, once with the pages in Vietnamese and once in
// English: sign in, the dashboard, the registration form filled in, the duplicate warning,
// the registered model, entering a result, searching the list, a report and the A4 profile.
// Each picture is a part of the page (a phone's width, at most MAX_HEIGHT CSS pixels high;
// the A4 profile an A4 page's width) taken by Chromium itself as a lossy WebP
// (Page.captureScreenshot) at 1.5 pixels a CSS pixel: sharp on a phone, 4–40 KB. The script
// fails when one is over MAX_BYTES (tests/api/guide.test.mjs checks the same).
// GUIDE_PREVIEW=DIR also writes each picture as a PNG into DIR, to look at.
// The model's data stays Vietnamese in both: it is what an officer types.
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
// the release build unless DVK_BIN says otherwise: set before server.mjs is loaded, which
// reads it then (a static import would run first and pick the sanitizer build)
process.env.DVK_BIN ||= 'build/dvk';
const { startServer, runDvk, ROOT } = await import('../tests/lib/server.mjs');

const OUT = path.join(ROOT, 'docs', 'img');
const PREVIEW = process.env.GUIDE_PREVIEW || '';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];
const PHONE = { width: 390, height: 844 };
const A4 = { width: 794, height: 1123 };
const SCALE = Number(process.env.GUIDE_SCALE || 1.5);     // pixels per CSS pixel in the files
const QUALITY = Number(process.env.GUIDE_QUALITY || 55);  // WebP quality: text stays legible, files small
const MAX_BYTES = 40 * 1024;                              // the target per picture
const MAX_HEIGHT = 1000;

// What the officer types: a realistic registration of a ward in Đà Nẵng (2025).
const MODEL = {
  title: 'Tổ tự quản “Đường hoa – ánh sáng” khu phố Tân Thạnh',
  summary: 'Mỗi hộ trồng và chăm hoa trước nhà, cùng góp tiền lắp đèn chiếu sáng cho 1,2 km đường khu phố.',
  field: 'cultural_social',
  kind: 'collective',
  level: 'commune',
  owner: 'Ban công tác Mặt trận khu phố Tân Thạnh',
  tags: 'Đô thị văn minh, Chiếu sáng công cộng',
};
// a name like the demo's "Tổ tự quản “5 trong 1” xã Tam Thăng", now in the officer's ward
const DUPLICATE = 'Tổ tự quản 5 trong 1 phường Bàn Thạch';

/* A user with a password of a fixed length (the sign-in picture shows its dots). */
async function addUser(srv, login, role, unit, hierarchy) {
  const password = 'mat-khau-guide-shots';
  const file = path.join(srv.dir, `${login}.pw`);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await runDvk(['user', 'add', '--db', srv.dbPath, '--login', login, '--role', role, '--password-file', file,
    '--unit', unit, '--hierarchy', String(hierarchy)]);
  return { login, password };
}

/* The picture of the part of the page from y0 to y1 (CSS pixels, the whole width), at
 * scale pixels a CSS pixel. */
async function shot(p, name, y0, y1, width = PHONE.width, scale = SCALE) {
  const height = Math.ceil(Math.min(y1 - y0, width === PHONE.width ? MAX_HEIGHT : y1));
  const clip = { x: 0, y: Math.max(0, Math.floor(y0)), width, height, scale };
  // no blinking caret or focus ring: the same pages give the same files
  await p.page.evaluate(() => document.activeElement && document.activeElement.blur());
  await p.page.evaluate(() => document.fonts.ready);
  const { data } = await p.cdp.send('Page.captureScreenshot',
    { format: 'webp', quality: QUALITY, clip, captureBeyondViewport: true });
  const buf = Buffer.from(data, 'base64');
  const file = `${p.lang}-${name}.webp`;
  writeFileSync(path.join(OUT, file), buf);
  if (PREVIEW) {
    // the WebP as a browser shows it (its artefacts included), one pixel for one pixel
    const view = await p.context.browser().newContext({ viewport: { width: Math.ceil(width * scale), height: 200 } });
    const vp = await view.newPage();
    await vp.setContent(`<body style="margin:0"><img style="display:block" src="data:image/webp;base64,${data}">`);
    await vp.screenshot({ path: path.join(PREVIEW, `${p.lang}-${name}.png`), fullPage: true });
    await view.close();
  }
  p.made.push({ file, bytes: buf.length, css: `${width}×${height}` });
  if (buf.length > MAX_BYTES) p.over.push(`${file}: ${buf.length} bytes`);
}

/* The top and bottom of the first element matching sel, in page coordinates. */
async function box(page, sel) {
  // measured once the font is in: its lines are not as tall as the system font's
  await page.evaluate(() => document.fonts.ready);
  return page.locator(sel).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
  });
}

/* The page from the top down to below the element sel (plus a margin). */
async function topTo(p, name, sel, margin = 16) {
  const b = await box(p.page, sel);
  await shot(p, name, 0, b.bottom + margin);
}

/* The part of the page from above the element from to below the element to. */
async function around(p, name, from, to, margin = 12) {
  const a = await box(p.page, from);
  const b = await box(p.page, to || from);
  await shot(p, name, a.top - margin, b.bottom + margin);
}

async function open(browser, srv, lang) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // the language the pages stay in (a cookie, as when a user presses VI or EN)
  await page.goto(`${srv.base}/public?lang=${lang}`);
  // the font's four files in the cache: with font-display: optional a page draws with the
  // system font what is not there within 0.1 s, and pictures would differ from run to run
  await page.evaluate(() => Promise.all(['400', '600'].map((w) => document.fonts.load(`${w} 16px "Be Vietnam Pro"`, 'aăđ'))));
  return { context, page, cdp, lang, srv, errors, made: [], over: [] };
}

async function signIn(p, user, picture) {
  const { page, srv } = p;
  await page.goto(`${srv.base}/login`);
  await page.fill('input[name="login"]', user.login);
  await page.fill('input[name="password"]', user.password);
  if (picture) await topTo(p, 'login', 'form.login');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.login button[type="submit"]')]);
}

const submit = (page, sel) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(sel)]);

/* The officer's steps: sign in, register a model (the form and the duplicate warning), the
 * model's page, a result entered on a recognized model of the ward. */
async function officerSteps(browser, srv, officer, lang) {
  const p = await open(browser, srv, lang);
  const { page } = p;
  try {
    await signIn(p, officer, true);

    // the form, filled in as an officer would (the ward is chosen already)
    await page.goto(`${srv.base}/models/new`);
    await page.fill('#i-title', MODEL.title);
    await page.fill('#i-summary', MODEL.summary);
    await page.selectOption('select[name="field"]', MODEL.field);
    await page.selectOption('select[name="kind"]', MODEL.kind);
    await page.selectOption('select[name="registration_level"]', MODEL.level);
    await page.selectOption('select[name="owner_type"]', { index: 1 });
    await page.fill('#i-owner', MODEL.owner);
    await page.fill('input[name="tags"]', MODEL.tags);
    // let the similar-name check (app.js, while typing) answer before the picture
    await page.waitForTimeout(800);
    await page.locator('#i-owner').blur();
    await around(p, 'register', 'main h1', '#unit');
    await submit(page, '.actions button[value="save"]');
    // names sharing words with the ward's models: the officer confirms it is another model
    if (await page.locator('#i-similar_ok').count()) {
      await page.check('#i-similar_ok');
      await submit(page, '.actions button[value="save"]');
    }
    if (!/\/models\/\d+$/.test(new URL(page.url()).pathname)) throw new Error(`not registered: ${page.url()}`);
    const id = /\/models\/(\d+)$/.exec(new URL(page.url()).pathname)[1];
    // the duplicate warning: a name like that of a model of the ward. Taken after the
    // registration, whose form would otherwise offer this one's draft back
    await page.goto(`${srv.base}/models/new`);
    await page.fill('#i-title', DUPLICATE);
    await page.locator('#similar a').first().waitFor({ timeout: 10000 });
    await page.locator('#i-title').blur();
    await around(p, 'duplicate', 'label[for="i-title"]', '#similar');

    await page.goto(`${srv.base}/models/${id}`);
    // the model's page: its code and status, and (further down) its history and next steps
    await topTo(p, 'model', 'main dl.facts dd:nth-of-type(4)');
    // its history and next steps: from the heading "History" to the block after "Next step"
    const hist = await box(page, `h2:text-is("${lang === 'vi' ? 'Lịch sử xử lý' : 'History'}")`);
    const next = await box(page, `h2:text-is("${lang === 'vi' ? 'Bước tiếp theo' : 'Next step'}") + *`);
    await shot(p, 'steps', hist.top - 12, next.bottom + 16);

    // a result, on the ward's recognized model (the demo's Tam Thăng, now in Bàn Thạch)
    await page.goto(`${srv.base}/models?q=${encodeURIComponent('5 trong 1 Tam Thăng')}`);
    await submit(page, 'main a[href^="/models/"]:not([href*="?"])');
    await page.click('details.results-form summary');
    await page.fill('#r-year', String(new Date().getFullYear()));
    await page.selectOption('#r-ind', 'households');
    await page.fill('#r-value', '186');
    await around(p, 'result', 'details.results-form');
    await submit(page, 'details.results-form button[type="submit"]:not(.secondary)');
    await around(p, 'results', 'h2:has(+ table.results)', 'table.results');
  } finally {
    await p.context.close();
  }
  return p;
}

/* The commission staff's steps: the dashboard, a search in the list, a report, a model's A4 profile. */
async function staffSteps(browser, srv, staff, lang) {
  const p = await open(browser, srv, lang);
  const { page } = p;
  try {
    await signIn(p, staff, false);
    await page.goto(`${srv.base}/dashboard?year=all`);
    await around(p, 'dashboard', 'main h1', 'main ul.tiles');
    await page.goto(`${srv.base}/models?q=${encodeURIComponent('to tu quan')}`);
    await topTo(p, 'search', 'main table tbody tr:first-child', 8);
    // the models recognized in the city since 2015: the demo's models are from those years
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${srv.base}/reports/summary?from=2015-01-01&to=${today}`);
    await around(p, 'report', 'main h1', 'main table');
    await page.goto(`${srv.base}/models?q=${encodeURIComponent('5 trong 1 Tam Thăng')}`);
    const href = await page.locator('main a[href^="/models/"]:not([href*="?"])').first().getAttribute('href');
    // the A4 profile on a desktop screen an A4 page wide (96 dpi), with its Print button; the
    // upper part. Signed in still: the session's cookie goes along.
    const context = await browser.newContext({ viewport: A4, deviceScaleFactor: 2,
      storageState: await p.context.storageState() });
    try {
      const desk = { ...p, context, page: await context.newPage() };
      desk.cdp = await context.newCDPSession(desk.page);
      await desk.page.goto(`${srv.base}${href}?print=1`);
      await shot(desk, 'profile', 0, A4.height * 0.55, A4.width, 1);
    } finally {
      await context.close();
    }
  } finally {
    await p.context.close();
  }
  return p;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (PREVIEW) mkdirSync(PREVIEW, { recursive: true });
  // pictures of a former run go: a step that no longer exists leaves no stale file
  for (const f of readdirSync(OUT)) if (/^(vi|en)-.*\.webp$/.test(f)) unlinkSync(path.join(OUT, f));
  const made = [];
  const over = [];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    // each language on a database of its own, so that both guides show the same story
    for (const lang of ['vi', 'en']) {
      const srv = await startServer({ demo: true });
      try {
        const officer = await addUser(srv, 'canbo.banthach', 'officer', '20335', 2025);
        const staff = await addUser(srv, 'bdv.danang', 'staff', '48', 2025);
        for (const p of [await officerSteps(browser, srv, officer, lang), await staffSteps(browser, srv, staff, lang)]) {
          if (p.errors.length) throw new Error(`JavaScript errors: ${p.errors.join(' | ')}`);
          made.push(...p.made);
          over.push(...p.over);
        }
      } finally {
        await srv.stop();
      }
    }
  } finally {
    await browser.close();
  }
  let total = 0;
  for (const m of made) {
    total += m.bytes;
    console.log(`${path.join('docs', 'img', m.file).padEnd(28)} ${String(m.bytes).padStart(7)} bytes  ${m.css} CSS px`);
  }
  console.log(`${made.length} pictures, ${total} bytes`);
  if (over.length) {
    console.error(`over ${MAX_BYTES} bytes: ${over.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`tools/guide-shots.mjs: ${e.stack || e}`);
  process.exit(1);
});
