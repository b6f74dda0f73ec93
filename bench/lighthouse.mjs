// lighthouse.mjs: `make bench` — Lighthouse (npm lighthouse 12.2.3, in bench/lh/, pointed at
// Debian's /usr/bin/chromium) on its default mobile profile (a mid-range phone, simulated
// slow 4G and a 4× slower CPU) over the pages a commune officer lives in: the list of
// models, a model's page and the registration form, signed in as a commune officer of the
// demo database (release build, DVK_BIN). Prints the performance, accessibility and
// best-practices scores of each page against the target (at least 95 each) and keeps the
// reports, HTML and JSON, in bench/out/lighthouse/. Exits 1 when a score is under 95.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { signInOk } from '../tests/lib/session.mjs';
import { api } from '../tests/lib/http.mjs';
// the release build unless DVK_BIN says otherwise: set before server.mjs is loaded, which
// reads it then (a static import would run first and pick the sanitizer build)
process.env.DVK_BIN ||= 'build/dvk';
const { startServer, addUser, ROOT } = await import('../tests/lib/server.mjs');

const require = createRequire(path.join(ROOT, 'bench', 'lh', 'package.json'));
const OUT = path.join(ROOT, 'bench', 'out', 'lighthouse');
const TARGET = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

async function main() {
  const { default: lighthouse } = await import(require.resolve('lighthouse'));
  const chromeLauncher = await import(require.resolve('chrome-launcher'));
  mkdirSync(OUT, { recursive: true });
  const srv = await startServer({ demo: true });
  let chrome;
  let low = 0;
  try {
    const user = await addUser(srv, 'canbo.lighthouse', 'officer', '20335', 2025);
    const session = await signInOk(srv.base, user.login, user.password);
    // a model of the officer's ward, to have a model page to measure
    const m = await api(srv.base, 'GET', '/api/v1/models?hierarchy=2025&unit=20335&limit=1');
    const id = m.json && m.json.items && m.json.items[0] ? m.json.items[0].id : 1;
    const pages = [['list of models', '/models'], ['a model', `/models/${id}`], ['registration form', '/models/new']];
    chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'] });
    console.log(`\nLighthouse ${require('lighthouse/package.json').version}, mobile profile (simulated slow 4G, 4x CPU), signed in as a commune officer`);
    console.log(`${'page'.padEnd(20)} ${'URL'.padEnd(14)} ${'perf.'.padStart(6)} ${'a11y'.padStart(6)} ${'b.p.'.padStart(6)}  FCP ms  LCP ms  TBT ms   CLS  target`);
    for (const [label, url] of pages) {
      const res = await lighthouse(`${srv.base}${url}`, {
        port: chrome.port, output: ['html', 'json'], logLevel: 'error', onlyCategories: CATEGORIES,
        extraHeaders: { Cookie: session.cookie },
      });
      const name = url.replace(/\//g, '_').replace(/^_/, '').replace(/_\d+$/, '_id');
      writeFileSync(path.join(OUT, `${name}.html`), res.report[0]);
      writeFileSync(path.join(OUT, `${name}.json`), res.report[1]);
      const lhr = res.lhr;
      if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const final = new URL(lhr.finalDisplayedUrl || lhr.finalUrl).pathname;
      if (final !== url) throw new Error(`${url} ended on ${final}: not signed in?`);
      const s = CATEGORIES.map((c) => Math.round(100 * (lhr.categories[c].score || 0)));
      const a = (k) => lhr.audits[k] && lhr.audits[k].numericValue;
      const ok = s.every((x) => x >= TARGET);
      if (!ok) low++;
      console.log(`${label.padEnd(20)} ${url.padEnd(14)} ${String(s[0]).padStart(6)} ${String(s[1]).padStart(6)} ${String(s[2]).padStart(6)}  ${String(Math.round(a('first-contentful-paint'))).padStart(6)}  ${String(Math.round(a('largest-contentful-paint'))).padStart(6)}  ${String(Math.round(a('total-blocking-time'))).padStart(6)}  ${a('cumulative-layout-shift').toFixed(3)}  ${ok ? `all >= ${TARGET}` : `UNDER ${TARGET}`}`);
      for (const c of CATEGORIES) {
        for (const ref of lhr.categories[c].auditRefs) {
          const au = lhr.audits[ref.id];
          if (ref.weight > 0 && au.score !== null && au.score < 0.9)
            console.log(`    ${c}: ${ref.id} ${au.score} ${au.displayValue || ''}`);
        }
      }
    }
    console.log(`(reports in ${path.relative(ROOT, OUT)}/)`);
  } finally {
    if (chrome) await chrome.kill();
    await srv.stop();
  }
  if (low) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench/lighthouse.mjs: ${e.stack || e}`);
  process.exit(1);
});
