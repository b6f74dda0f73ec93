// guide.test.mjs: the user guide, /guide, open to everyone and linked from every page: the
// Vietnamese guide for Vietnamese, the English one for English and Swedish (marked lang="en"
// inside a Swedish page, so a screen reader reads it as English).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { if (srv) await srv.stop(); });

const get = (p) => fetch(srv.base + p, { redirect: 'manual' }).then(async (r) => ({ status: r.status, text: await r.text() }));

test('the guide in Vietnamese and English, linked from the footer of every page', async () => {
  const vi = await get('/guide');
  assert.equal(vi.status, 200);
  assert.match(vi.text, /<html lang="vi">/);
  assert.match(vi.text, /<div class="guide" lang="vi"><h1>Hướng dẫn sử dụng dvk/);
  assert.match(vi.text, /<h2 id="s\d+">Đăng nhập<\/h2>/);
  assert.match(vi.text, /<table class="guide"><thead><tr><th scope="col">vai trò<\/th>/);
  assert.match(vi.text, /<strong>Đăng nhập<\/strong>/, 'bold in the Markdown is bold');
  assert.ok(!/\*\*/.test(vi.text), 'no Markdown left over');
  const en = await get('/guide?lang=en');
  assert.match(en.text, /<div class="guide" lang="en"><h1>/);
  const sv = await get('/guide?lang=sv');
  assert.match(sv.text, /<html lang="sv">/);
  assert.match(sv.text, /<div class="guide" lang="en">/, 'the English guide, marked as English');
  for (const p of ['/public', '/login', '/guide']) {
    const r = await get(p);
    assert.match(r.text, /<footer><p><a class="guide-link" href="\/guide">/, `${p} links the guide`);
  }
});
