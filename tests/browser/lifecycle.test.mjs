// lifecycle.test.mjs: a model's whole life through the server-rendered pages
// (issue 4), in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core), each step signed in as the person who takes it:
//
//   officer    registers the model (form) … returned to draft by the committee,
//              submits it again, starts implementing, records where it spread
//   staff      (the 2025 province committee) returns, selects, recognizes,
//              marks it typical, records a conference and an award
//   appraiser  records the working group's visit with scores
//   the public sees it on the showcase
//
// Once with JavaScript on and once with it off (every core task works without
// it). Every page is Vietnamese (the default); visible text is asserted against
// web/po/vi.po. Screenshots: tests/out/lifecycle-{js,nojs}-NN-step.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, addUser, ROOT } from '../lib/server.mjs';
import { api, token } from '../lib/http.mjs';
import { units } from '../lib/data.mjs';
import { translations } from '../lib/po.mjs';

const OUT = path.join(ROOT, 'tests', 'out');
const PAGE_LIMIT = 100 * 1024;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const t = translations('vi');

// 2025 Xã Tây Hồ (20380) in Thành phố Đà Nẵng (48); it spreads to Xã Phú Ninh (20392).
const HOME = '20380';
const PROVINCE = '48';
const TARGET = '20392';
const U25 = units(2025);
const TARGET_NAME = U25.find((u) => u.code === TARGET).name;
const PROVINCE_NAME = U25.find((u) => u.code === PROVINCE).name;
const COMMUNES_OF_PROVINCE = U25.filter((u) => u.parent_code === PROVINCE && u.level === 2).length;

let srv;
let browser;
let users;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer();
  users = {
    officer: await addUser(srv, 'bl_officer', 'officer', HOME, 2025),
    staff: await addUser(srv, 'bl_staff', 'staff', PROVINCE, 2025),
    appraiser: await addUser(srv, 'bl_appraiser', 'appraiser', PROVINCE, 2025),
  };
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

/* A signed-in page for one user; records documents, foreign requests and JS errors. */
async function session(user, js) {
  const context = await browser.newContext({ javaScriptEnabled: js, locale: 'vi-VN', viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  const log = { docs: [], pending: [], foreign: [], jsErrors: [], bodyErrors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(srv.base + '/') || url === srv.base || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
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
  const settle = async () => { await Promise.all(log.pending.splice(0)); };
  if (user) {
    await page.goto(`${srv.base}/models`);
    assert.match(page.url(), /\/login\?next=%2Fmodels$/, 'an anonymous visitor is sent to sign in');
    await page.fill('input[name="login"]', user.login);
    await page.fill('input[name="password"]', user.password);
    await Promise.all([page.waitForURL(`${srv.base}/models`), page.click('form.login button[type="submit"]')]);
    await settle();
  }
  return { context, page, log, settle, user };
}

function assertLog(who, log) {
  assert.deepEqual(log.foreign, [], `${who}: requests outside the test server`);
  assert.deepEqual(log.bodyErrors, [], `${who}: documents whose body could not be read`);
  assert.deepEqual(log.jsErrors, [], `${who}: JavaScript errors`);
  for (const d of log.docs) {
    assert.ok(d.status < 400, `${who}: ${d.url} answered ${d.status}`);
    if (d.status >= 300) continue;
    assert.match(d.type || '', /^text\/html/, `${d.url}: content-type ${d.type}`);
    assert.ok(d.bytes < PAGE_LIMIT, `${d.url} is ${d.bytes} bytes (limit ${PAGE_LIMIT})`);
  }
}

async function shot(page, tag, n, name) {
  await page.screenshot({ path: path.join(OUT, `lifecycle-${tag}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function bodyText(page) {
  return (await page.textContent('body')).replace(/\s+/g, ' ');
}

async function submit(s, locator) {
  await s.settle();
  await Promise.all([s.page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  await s.settle();
}

/* Opens the model page as s; asserts 200 and the status shown. */
async function openModel(s, id, status) {
  const r = await s.page.goto(`${srv.base}/models/${id}`);
  assert.equal(r.status(), 200, `${s.user.login}: /models/${id}`);
  await s.settle();
  if (status) assert.equal((await s.page.textContent('p.meta .status')).trim(), t(status), `${s.user.login}: status shown`);
}

/* Takes a lifecycle step through the "Next step" form for target status `to`. */
async function step(s, id, to, fields = {}) {
  const form = s.page.locator(`form[action="/models/${id}/transition"]:has(input[name="to"][value="${to}"])`);
  assert.equal(await form.count(), 1, `${s.user.login}: one form for the step to ${to}; page: ${(await bodyText(s.page)).slice(0, 1500)}`);
  const details = s.page.locator(`details.step:has(input[name="to"][value="${to}"])`);
  await details.locator('summary').click();
  for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
  await submit(s, form.locator('button[type="submit"]'));
  assert.match(new URL(s.page.url()).pathname, new RegExp(`^/models/${id}$`), `${s.user.login}: back on the model after ${to}; page: ${(await bodyText(s.page)).slice(0, 1500)}`);
}

/* The step buttons offered to the user on the model page (target statuses). */
async function offered(page, id) {
  return page.locator(`form[action="/models/${id}/transition"] input[name="to"]`).evaluateAll((xs) => xs.map((x) => x.value).sort());
}

/* The history timeline: one text per entry. */
async function timeline(page) {
  return (await page.locator('ol.timeline > li').allTextContents()).map((x) => x.replace(/\s+/g, ' ').trim());
}

async function lifecycle(js) {
  const tag = js ? 'js' : 'nojs';
  const officer = await session(users.officer, js);
  const staff = await session(users.staff, js);
  const appraiser = await session(users.appraiser, js);
  const anon = await session(null, js);
  const sessions = [officer, staff, appraiser, anon];
  try {
    const tk = token('bl');
    // each run registers in the officer's commune: titles of their own, or the second would
    // be asked to confirm it is not the first (similar.test.mjs tests that warning)
    const title = js ? `Dân vận khéo: nhà sạch, vườn đẹp ${tk}` : `Dân vận khéo: ngõ xóm sáng, xanh ${tk}`;

    // 1. the officer registers the model through the form (the commune is already chosen)
    let r = await officer.page.goto(`${srv.base}/models/new`);
    assert.equal(r.status(), 200);
    await officer.settle();
    const p = officer.page;
    await p.fill('[name="title"]', title);
    await p.fill('[name="summary"]', 'Hội Phụ nữ vận động mỗi hộ giữ nhà sạch, vườn đẹp, đường làng có hoa.');
    await p.selectOption('select[name="field"]', 'cultural_social');
    await p.selectOption('select[name="kind"]', 'collective');
    await p.selectOption('select[name="registration_level"]', 'province');
    await p.fill('input[name="registered_on"]', '15/08/2025');
    await p.fill('[name="owner"]', 'Hội Liên hiệp Phụ nữ xã Tây Hồ');
    await p.check('input[name="public"]');
    assert.ok((await bodyText(p)).includes('Xã Tây Hồ'), 'the officer\'s commune is chosen already');
    await submit(officer, p.locator('button[name="op"][value="save"]:not([aria-hidden="true"])'));
    const m = /^\/models\/(\d+)$/.exec(new URL(p.url()).pathname);
    assert.ok(m, `after registering the URL is ${p.url()}: ${(await bodyText(p)).slice(0, 1500)}`);
    const id = Number(m[1]);
    assert.equal((await p.textContent('p.meta .status')).trim(), t('Registered'));
    assert.ok((await bodyText(p)).includes(title));
    assert.deepEqual(await offered(p, id), ['withdrawn'], 'the officer may only withdraw a registration of the province');
    await shot(p, tag, 1, 'registered');

    // 2. the province committee returns it to the sender, with the reason: draft
    await openModel(staff, id, 'Registered');
    assert.deepEqual(await offered(staff.page, id), ['draft', 'rejected', 'selected', 'withdrawn']);
    const returnReason = 'Đề nghị bổ sung nguồn lực và chỉ tiêu cụ thể';
    await step(staff, id, 'draft', { comment: returnReason });
    assert.equal((await staff.page.textContent('p.meta .status')).trim(), t('Draft'));
    let tl = await timeline(staff.page);
    assert.equal(tl.length, 1);
    assert.ok(tl[0].includes(`${t('Registered')} → ${t('Draft')}`) && tl[0].includes(returnReason) && tl[0].includes('bl_staff'), tl[0]);
    await shot(staff.page, tag, 2, 'returned-to-draft');

    // 3. the officer sees the reason and submits the registration again
    await openModel(officer, id, 'Draft');
    assert.ok((await bodyText(officer.page)).includes(returnReason), 'the officer reads why it came back');
    assert.deepEqual(await offered(officer.page, id), ['registered', 'withdrawn']);
    await step(officer, id, 'registered', { comment: 'Đã bổ sung theo ý kiến' });
    assert.equal((await officer.page.textContent('p.meta .status')).trim(), t('Registered'));
    await shot(officer.page, tag, 3, 'submitted');

    // 4. the committee selects it by decision
    await openModel(staff, id, 'Registered');
    await step(staff, id, 'selected', { decision_no: '125-QĐ/BDVTU', decision_date: '20/08/2025', comment: 'Lựa chọn đợt 2' });
    assert.equal((await staff.page.textContent('p.meta .status')).trim(), t('Selected'));
    tl = await timeline(staff.page);
    assert.equal(tl.length, 3);
    assert.ok(tl[2].includes(`${t('Decision No.')} 125-QĐ/BDVTU`) && tl[2].includes('20/08/2025'), tl[2]);
    await shot(staff.page, tag, 4, 'selected');

    // 5. the officer starts implementing
    await openModel(officer, id, 'Selected');
    await step(officer, id, 'implementing');
    assert.equal((await officer.page.textContent('p.meta .status')).trim(), t('Implementing'));
    assert.equal(await officer.page.locator(`a[href="/models/${id}/appraisals/new"]`).count(), 0, 'an officer does not appraise');
    await shot(officer.page, tag, 5, 'implementing');

    // 6. the appraiser records the working group's visit
    await openModel(appraiser, id, 'Implementing');
    assert.deepEqual(await offered(appraiser.page, id), [], 'an appraiser takes no lifecycle step');
    await submit(appraiser, appraiser.page.locator(`a[href="/models/${id}/appraisals/new"]`));
    assert.equal(new URL(appraiser.page.url()).pathname, `/models/${id}/appraisals/new`);
    const ap = appraiser.page;
    assert.ok((await bodyText(ap)).includes(t('Record an appraisal')));
    await ap.fill('[name="visit_date"]', '10/10/2025');
    await ap.fill('[name="members"]', 'Đ/c Lê Văn Hùng, Phó Trưởng ban\nĐ/c Phạm Thị Lan, chuyên viên');
    const scores = { effectiveness: '9', consensus: '8,5', practicality: '8', replicability: '9', sustainability: '8' };
    for (const [k, v] of Object.entries(scores)) await ap.fill(`[name="score_${k}"]`, v);
    await ap.fill('[name="findings"]', '100% hộ tham gia; 3 km đường hoa.');
    await ap.fill('[name="conclusion"]', 'Đề nghị công nhận.');
    await shot(ap, tag, 6, 'appraisal-form');
    await submit(appraiser, ap.locator('form[action$="/appraisals/new"] button[type="submit"]'));
    assert.equal(new URL(ap.url()).pathname, `/models/${id}`, `after the appraisal: ${(await bodyText(ap)).slice(0, 1500)}`);
    assert.equal((await ap.textContent('p.meta .status')).trim(), t('Appraised'));
    // 30×.9 + 25×.85 + 15×.8 + 15×.9 + 15×.8 = 27 + 21.25 + 12 + 13.5 + 12 = 85.75
    const apText = (await ap.locator('section.appraisal').first().textContent()).replace(/\s+/g, ' ');
    assert.ok(apText.includes('85,75/100') && apText.includes(t('passed')) && apText.includes('10/10/2025'), apText);
    assert.ok(apText.includes('Đ/c Lê Văn Hùng'), apText);
    await shot(ap, tag, 7, 'appraised');

    // 7. the committee recognizes it by decision
    await openModel(staff, id, 'Appraised');
    assert.deepEqual(await offered(staff.page, id), ['not_recognized', 'recognized', 'withdrawn']);
    await step(staff, id, 'recognized', { decision_no: '210-QĐ/BDVTU', decision_date: '01/11/2025' });
    assert.equal((await staff.page.textContent('p.meta .status')).trim(), t('Recognized'));
    await shot(staff.page, tag, 8, 'recognized');

    // 8. and chooses it as a typical model, saying why
    const typicalReason = 'Cách làm dễ nhân rộng, người dân đồng thuận cao';
    const tf = staff.page.locator(`form[action="/models/${id}/typical"]`);
    assert.equal(await tf.count(), 1, 'the committee has the typical form');
    await tf.locator('input[name="typical"]').check();
    await tf.locator('textarea[name="typical_reason"]').fill(typicalReason);
    await submit(staff, tf.locator('button[type="submit"]'));
    assert.equal(new URL(staff.page.url()).pathname, `/models/${id}`, (await bodyText(staff.page)).slice(0, 1500));
    assert.equal((await staff.page.textContent('p.meta .badge')).trim(), t('Typical'));
    let txt = await bodyText(staff.page);
    assert.ok(txt.includes(t('Why it is typical')) && txt.includes(typicalReason), 'the reason is shown');
    assert.equal(await staff.page.locator(`p.meta a[href="/public/models/${id}"]`).count(), 1, 'a link to the public page');
    await shot(staff.page, tag, 9, 'typical');

    // 9. the officer records the commune it spread to
    await openModel(officer, id, 'Recognized');
    assert.equal(await officer.page.locator(`form[action="/models/${id}/typical"]`).count(), 0, 'the officer does not decide typical for the province');
    const rf = officer.page.locator(`form[action="/models/${id}/replications"]`);
    assert.equal(await rf.count(), 1);
    await officer.page.locator(`details:has(form[action="/models/${id}/replications"]) > summary`).click();
    await rf.locator('select[name="unit_code"]').selectOption(TARGET);
    await rf.locator('input[name="since"]').fill('05/11/2025');
    await submit(officer, rf.locator('button[type="submit"]'));
    assert.equal(new URL(officer.page.url()).pathname, `/models/${id}`, (await bodyText(officer.page)).slice(0, 1500));
    const cov = (await officer.page.locator('ul.coverage li').allTextContents()).map((x) => x.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cov.length, 1, JSON.stringify(cov));
    // the model is in Xã Tây Hồ and Xã Phú Ninh: 2 of the communes of Đà Nẵng
    assert.ok(cov[0].startsWith(`2/${COMMUNES_OF_PROVINCE} ${t('communes')} ${t('of')} ${PROVINCE_NAME}`), cov[0]);
    const tree = (await officer.page.locator('ul.tree').textContent()).replace(/\s+/g, ' ');
    assert.ok(tree.includes(TARGET_NAME) && tree.includes('05/11/2025'), tree);
    await shot(officer.page, tag, 10, 'replicated');

    // 10. the committee records the summary conference
    r = await staff.page.goto(`${srv.base}/conferences`);
    assert.equal(r.status(), 200);
    await staff.settle();
    const confTitle = `Hội nghị sơ kết 5 năm phong trào "Dân vận khéo" ${tk}`;
    const cf = staff.page.locator('form[action="/conferences"]');
    await cf.locator('[name="title"]').fill(confTitle);
    await cf.locator('select[name="kind"]').selectOption('interim');
    await cf.locator('select[name="span_years"]').selectOption('5');
    await cf.locator('select[name="level"]').selectOption('province');
    assert.equal(await cf.locator('[name="unit_code"]').inputValue(), PROVINCE, 'the staff\'s own unit is proposed');
    await cf.locator('[name="held_on"]').fill('15/11/2025');
    await cf.locator('[name="period_from"]').fill('01/01/2021');
    await cf.locator('[name="period_to"]').fill('31/10/2025');
    await submit(staff, cf.locator('button[type="submit"]'));
    assert.equal(new URL(staff.page.url()).pathname, '/conferences', (await bodyText(staff.page)).slice(0, 1500));
    txt = await bodyText(staff.page);
    assert.ok(txt.includes(confTitle) && txt.includes('15/11/2025') && txt.includes(PROVINCE_NAME), 'the conference is listed');
    await shot(staff.page, tag, 11, 'conference');

    // 11. and the award to the model, at that conference
    await openModel(staff, id, 'Recognized');
    const af = staff.page.locator(`form[action="/models/${id}/awards"]`);
    await staff.page.locator(`details:has(form[action="/models/${id}/awards"]) > summary`).click();
    await af.locator('select[name="form"]').selectOption('certificate_of_merit');
    await af.locator('[name="issuer"]').fill('Chủ tịch UBND thành phố Đà Nẵng');
    const evOption = af.locator('select[name="event_id"] option', { hasText: confTitle });
    assert.equal(await evOption.count(), 1, 'the conference is offered');
    await af.locator('select[name="event_id"]').selectOption(await evOption.getAttribute('value'));
    await af.locator('[name="decision_no"]').fill('3456/QĐ-UBND');
    await af.locator('[name="decision_date"]').fill('15/11/2025');
    await af.locator('[name="amount_vnd"]').fill('5.000.000');
    await submit(staff, af.locator('button[type="submit"]'));
    assert.equal(new URL(staff.page.url()).pathname, `/models/${id}`, (await bodyText(staff.page)).slice(0, 1500));
    const aw = (await staff.page.locator('ul.awards li').allTextContents()).map((x) => x.replace(/\s+/g, ' ').trim());
    assert.equal(aw.length, 1, JSON.stringify(aw));
    for (const part of [t('Certificate of merit (bằng khen)'), 'Chủ tịch UBND thành phố Đà Nẵng', '3456/QĐ-UBND', '15/11/2025', '5.000.000 VND']) {
      assert.ok(aw[0].includes(part), `the award line shows ${part}: ${aw[0]}`);
    }
    tl = await timeline(staff.page);
    assert.equal(tl.length, 6, JSON.stringify(tl));
    await shot(staff.page, tag, 12, 'awarded');
    // the conference lists the award
    await staff.page.goto(`${srv.base}/conferences`);
    await staff.settle();
    const card = staff.page.locator('ul.cards > li', { hasText: confTitle });
    assert.equal(await card.locator(`a[href="/models/${id}"]`).count(), 1, 'the conference links to the awarded model');

    // 12. the public showcase shows it
    r = await anon.page.goto(`${srv.base}/public`);
    assert.equal(r.status(), 200);
    await anon.settle();
    assert.ok((await bodyText(anon.page)).includes(title), 'the typical model is on the showcase');
    r = await anon.page.goto(`${srv.base}/public/models/${id}`);
    assert.equal(r.status(), 200);
    await anon.settle();
    assert.ok((await bodyText(anon.page)).includes(title));
    await shot(anon.page, tag, 13, 'public');

    // what was stored, through the API
    const g = await api(srv.base, 'GET', `/api/v1/models/${id}`);
    assert.equal(g.json.status, 'recognized');
    assert.equal(g.json.typical, true);
    assert.equal(g.json.typical_reason, typicalReason);
    assert.equal(g.json.hierarchy, 2025);
    assert.equal(g.json.unit_code, HOME);
    assert.equal(g.json.registration_level, 'province');
    const h = (await api(srv.base, 'GET', `/api/v1/models/${id}/history`)).json.items;
    assert.deepEqual(h.map((e) => [e.login, e.from, e.to]), [
      ['bl_staff', 'registered', 'draft'],
      ['bl_officer', 'draft', 'registered'],
      ['bl_staff', 'registered', 'selected'],
      ['bl_officer', 'selected', 'implementing'],
      ['bl_appraiser', 'implementing', 'appraised'],
      ['bl_staff', 'appraised', 'recognized'],
    ].slice(0, h.length));
    assert.equal(h.length, 6);
    assert.deepEqual([h[0].comment, h[2].decision_no, h[2].decision_date, h[5].decision_no, h[5].decision_date],
      [returnReason, '125-QĐ/BDVTU', '2025-08-20', '210-QĐ/BDVTU', '2025-11-01']);
    const a = (await api(srv.base, 'GET', `/api/v1/models/${id}/appraisals`)).json.items;
    assert.deepEqual(a.map((x) => [x.visit_date, x.score, x.passed, x.login]), [['2025-10-10', 85.75, true, 'bl_appraiser']]);
    const rp = (await api(srv.base, 'GET', `/api/v1/models/${id}/replications`)).json;
    assert.deepEqual(rp.items.map((x) => [x.hierarchy, x.unit_code, x.since, x.login]), [[2025, TARGET, '2025-11-05', 'bl_officer']]);
    const awards = (await api(srv.base, 'GET', `/api/v1/models/${id}/awards`)).json.items;
    assert.deepEqual(awards.map((x) => [x.form, x.decision_no, x.decision_date, x.amount_vnd, x.login]),
      [['certificate_of_merit', '3456/QĐ-UBND', '2025-11-15', 5000000, 'bl_staff']]);
    for (const [who, s] of [['officer', officer], ['staff', staff], ['appraiser', appraiser], ['public', anon]]) assertLog(who, s.log);
  } finally {
    for (const s of sessions) await s.context.close();
  }
}

test('from registration (through draft) to a recognized typical model with an appraisal, a replication and an award (JavaScript on)', { timeout: 240000 }, async () => {
  await lifecycle(true);
});

test('the same through the pages with JavaScript off', { timeout: 240000 }, async () => {
  await lifecycle(false);
});
