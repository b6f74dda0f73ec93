// offline.test.mjs: the connection dies in the middle of sending the registration form.
// A commune officer on a 390×844 phone, the network throttled through the DevTools
// protocol (400 kbit/s, 400 ms round trip), fills in the whole form and saves.
//  1. The line is cut while the form is on its way: a TCP proxy between the phone and dvk
//     passes the headers and the first 1,000 bytes of the body, then resets both sockets
//     and refuses connections. Nothing is saved from half a form; back on line, the form
//     offers the draft kept on the device, restoring it gives back every field as typed,
//     and saving registers the model once.
//  2. The answer is lost after dvk saved: the network goes offline
//     (Network.emulateNetworkConditions) between the write and its answer. The draft is
//     offered back whole with the form's submission token, and saving it again leads to
//     the saved model, with a notice, instead of registering it twice; what was typed
//     after the first sending stays on the device as a draft without the token (an
//     unchanged one is done with).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';
import { startServer, addUser, ROOT } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';
import { loadPo } from '../lib/po.mjs';

const vi = loadPo('vi');

const OUT = path.join(ROOT, 'tests', 'out');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SLOW = { offline: false, latency: 400, downloadThroughput: 400000 / 8, uploadThroughput: 400000 / 8 };

let srv;
let browser;
let officer;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer({ demo: true });
  officer = await addUser(srv, 'canbo.matmang', 'officer', '20335', 2025);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const TEXT = {
  '#i-title': 'Tổ nhân dân tự quản "Xóm điện sáng" — Thôn Kim Đới',
  '#i-summary': 'Mỗi hộ góp 200.000 đ, cả thôn lắp 40 bóng đèn năng lượng mặt trời trên 2 km đường.',
  '#i-owner': 'Chi hội Phụ nữ thôn Kim Đới',
  '#i-tags': 'nông thôn mới, an ninh',
  '#i-situation': 'Đường liên thôn tối, người đi làm về khuya dễ gặp tai nạn.\nDòng thứ hai: có ký tự <b>&</b>.',
  '#i-objectives': 'Thắp sáng 100% đường liên thôn trong năm 2026.',
  '#i-outputs': '40 bóng đèn; 2 km đường sáng.',
};
const SELECT = { '#f-field': 'economic', '#f-kind': 'collective', '#f-registration_level': 'commune' };

async function values(page) {
  const got = {};
  for (const sel of [...Object.keys(TEXT), ...Object.keys(SELECT), '#i-registered_on'])
    got[sel] = await page.inputValue(sel);
  got.unit_code = await page.inputValue('input[name="unit_code"]');
  return got;
}

/* A TCP proxy in front of the server that can cut the line: once armed, the next POST to
 * /models/new is passed on up to its headers and the first 1,000 bytes of its body, then
 * both sockets are destroyed, and every connection after that is refused at once (the
 * line is down) until up() is called. */
function lineProxy(port) {
  const state = { armed: false, down: false, cut: 0, socks: new Set() };
  const server = net.createServer((client) => {
    if (state.down) { client.destroy(); return; }
    const up = net.connect(port, '127.0.0.1');
    state.socks.add(client);
    state.socks.add(up);
    const drop = () => { client.destroy(); up.destroy(); state.socks.delete(client); state.socks.delete(up); };
    client.on('error', drop);
    up.on('error', drop);
    client.on('close', drop);
    up.on('close', drop);
    up.on('data', (d) => client.write(d));
    let pending = Buffer.alloc(0); // the start of an armed POST whose headers are not all in yet
    let left = -1; // bytes of its body still to pass before the cut (-1: not cutting)
    const cut = () => {
      state.cut++;
      state.down = true;
      state.armed = false;
      setTimeout(() => { for (const x of state.socks) x.destroy(); }, 100);
    };
    client.on('data', (d) => {
      if (state.down || left === 0) return;
      if (left > 0) {
        const pass = Math.min(d.length, left);
        left -= pass;
        up.write(d.subarray(0, pass));
        if (left === 0) cut();
        return;
      }
      if (!state.armed) { up.write(d); return; }
      const buf = Buffer.concat([pending, d]);
      pending = Buffer.alloc(0);
      const at = buf.indexOf('POST /models/new ');
      if (at < 0) { up.write(buf); return; }
      up.write(buf.subarray(0, at));
      const end = buf.indexOf('\r\n\r\n', at);
      if (end < 0) { pending = buf.subarray(at); return; }
      const pass = Math.min(buf.length, end + 4 + 1000);
      up.write(buf.subarray(at, pass));
      left = 1000 - (pass - end - 4);
      if (left === 0) cut();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    base: `http://127.0.0.1:${server.address().port}`,
    state,
    up() { state.down = false; },
    close() { for (const x of state.socks) x.destroy(); return new Promise((r) => server.close(r)); },
  })));
}

/* Signs the officer in on a throttled phone; fills the whole form; returns what was typed. */
async function fillForm(title, base = srv.base) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    locale: 'vi-VN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW);
  const net = { posts: [], failed: [] };
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.method === 'POST' && e.request.url.endsWith('/models/new')) net.posts.push(e.requestId);
  });
  page.on('requestfailed', (rq) => {
    if (rq.method() === 'POST') net.failed.push(`${rq.url()}: ${rq.failure().errorText}`);
  });
  await page.goto(`${base}/login`);
  await page.fill('input[name="login"]', officer.login);
  await page.fill('input[name="password"]', officer.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.login button[type="submit"]')]);
  await page.goto(`${base}/models/new`);
  assert.equal(await page.inputValue('input[name="unit_code"]'), '20335', 'the form starts from the officer\'s ward');
  await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  for (const [sel, v] of Object.entries({ ...TEXT, '#i-title': title })) await page.fill(sel, v);
  for (const [sel, v] of Object.entries(SELECT)) await page.selectOption(sel, v);
  await page.fill('#i-registered_on', '20/11/2025');
  await page.fill('#i-description', 'Nhân dân đồng thuận, góp công góp của; '.repeat(100));
  return { context, page, cdp, net, base, typed: await values(page) };
}

/* The phone shows the browser's own error page: the answer never came. */
async function lost(t, what) {
  for (let i = 0; i < 100 && !t.page.url().startsWith('chrome-error:'); i++) await t.page.waitForTimeout(100);
  const url = t.page.url();
  const text = await t.page.evaluate(() => document.documentElement.innerText).catch((e) => String(e));
  assert.ok(url.startsWith('chrome-error:') || /ERR_INTERNET_DISCONNECTED/.test(text), `${what}: ${url} ${text.slice(0, 300)}`);
}

async function count(q) {
  const r = await api(srv.base, 'GET', `/api/v1/models?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}

/* Back online: the form offers the draft, and taking it gives back every field as typed. */
async function offeredBack(t, shotName) {
  await t.cdp.send('Network.emulateNetworkConditions', SLOW);
  await t.page.goto(`${t.base}/models/new`);
  await t.page.waitForSelector('.draft-offer');
  assert.equal(await t.page.inputValue('#i-title'), '', 'the server\'s form starts empty');
  await t.page.screenshot({ path: path.join(OUT, shotName) });
  await t.page.click('.draft-offer button:not(.secondary)');
  assert.deepEqual(await values(t.page), t.typed, 'every field as typed');
  assert.equal(await t.page.locator('.draft-offer').count(), 0, 'the offer is gone once taken');
}

test('the connection dies while the form is being sent: the draft comes back whole and saves once', { timeout: 180000 }, async () => {
  const title = 'Tổ nhân dân tự quản "Xóm điện sáng" — Thôn Kim Đới';
  const line = await lineProxy(Number(new URL(srv.base).port));
  const t = await fillForm(title, line.base);
  try {
    const n0 = await count('Xóm điện sáng');
    line.state.armed = true;
    await t.page.click('.actions button[value="save"]', { noWaitAfter: true });
    await lost(t, 'the submission failed');
    assert.equal(line.state.cut, 1, 'the line was cut in the middle of the form');
    assert.equal(await count('Xóm điện sáng'), n0, 'nothing was saved from half a form');
    await t.page.screenshot({ path: path.join(OUT, 'offline-1-lost.png') });
    line.up();
    await offeredBack(t, 'offline-2-offered.png');
    // saving now registers it, once
    await Promise.all([t.page.waitForURL(/\/models\/\d+$/, { timeout: 60000 }), t.page.click('.actions button[value="save"]')]);
    assert.ok((await t.page.textContent('h1')).includes(title));
    assert.equal(await count('Xóm điện sáng'), n0 + 1, 'registered exactly once');
    await t.page.goto(`${t.base}/models/new`);
    await t.page.waitForTimeout(300);
    assert.equal(await t.page.locator('.draft-offer').count(), 0, 'the draft was dropped after saving');
  } finally {
    await t.context.close();
    await line.close();
  }
});

test('the answer is lost after the server saved: the draft comes back, and saving again leads to the saved model', { timeout: 180000 }, async () => {
  const title = 'Câu lạc bộ "Đường hoa thôn Kim Đới" của Chi hội Phụ nữ';
  const t = await fillForm(title);
  try {
    const n0 = await count('Đường hoa');
    // a long round trip: the server has the form well before its answer could arrive
    await t.cdp.send('Network.emulateNetworkConditions', { ...SLOW, latency: 3000 });
    await t.page.click('.actions button[value="save"]', { noWaitAfter: true });
    for (let i = 0; i < 100 && (await count('Đường hoa')) === n0; i++) await t.page.waitForTimeout(50);
    assert.equal(await count('Đường hoa'), n0 + 1, 'the server saved the model');
    await t.cdp.send('Network.emulateNetworkConditions', { ...SLOW, offline: true });
    await t.page.waitForTimeout(1500);
    await lost(t, 'the answer was lost');
    await offeredBack(t, 'offline-3-offered-after-save.png');
    // the officer, not knowing it was saved, adds a line before saving again
    const more = ' Thêm: cả thôn trồng 300 cây hoa giấy.';
    await t.page.fill('#i-summary', TEXT['#i-summary'] + more);
    // the draft brought the form's submission token back: saving again leads to the model
    // the first saving created, and says so, instead of registering it twice
    await Promise.all([t.page.waitForURL(/\/models\/\d+\?again=1$/, { timeout: 60000 }), t.page.click('.actions button[value="save"]')]);
    assert.ok((await t.page.textContent('h1')).includes(title), 'the saved model is shown');
    assert.equal((await t.page.textContent('p.notice')).trim(), vi.get('This form was saved before, as this model. Nothing new was created; to change the model, edit it.'));
    assert.equal(await count('Đường hoa'), n0 + 1, 'not registered twice');
    await t.page.screenshot({ path: path.join(OUT, 'offline-4-saved-before.png') });
    // what was typed after the first sending stays on the device, without the saved form's
    // token: offered as a new form
    const kept = JSON.parse(await t.page.evaluate(() => localStorage.getItem('dvk-draft-new-model')) || 'null');
    assert.ok(kept, 'the draft was dropped: what was typed after the first saving would be lost');
    assert.equal(kept.summary, TEXT['#i-summary'] + more);
    assert.equal(kept.submission, undefined, 'the draft keeps the saved form\'s token');
    assert.equal(await t.page.evaluate(() => localStorage.getItem('dvk-draft-sent')), null, 'the first sending is forgotten');
    await t.page.goto(`${t.base}/models/new`);
    await t.page.waitForSelector('.draft-offer');
    // a form sent again unchanged (a second press, a lost answer): its draft is done with.
    // The device's state of such a case, set by hand: the draft as first sent, then the page.
    const savedId = (await api(srv.base, 'GET', `/api/v1/models?q=${encodeURIComponent('Đường hoa')}`)).json.items[0].id;
    await t.page.evaluate(() => {
      const d = JSON.stringify({ title: 'Bản nháp đã gửi', submission: 'ab'.repeat(16) });
      localStorage.setItem('dvk-draft-new-model', d);
      localStorage.setItem('dvk-draft-sent', JSON.stringify({ token: 'ab'.repeat(16), draft: d }));
      sessionStorage.setItem('dvk-draft-pending', 'dvk-draft-new-model');
    });
    await t.page.goto(`${t.base}/models/${savedId}?again=1`);
    assert.equal(await t.page.evaluate(() => localStorage.getItem('dvk-draft-new-model')), null, 'an unchanged draft of a saved form was kept');
    assert.equal(await t.page.evaluate(() => localStorage.getItem('dvk-draft-sent')), null);
  } finally {
    await t.context.close();
  }
});
