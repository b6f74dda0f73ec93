// guide.test.mjs: the user guide, /guide, open to everyone and linked from every page: the
// Vietnamese guide for Vietnamese, the English one for English and Swedish (marked lang="en"
// inside a Swedish page, so a screen reader reads it as English). Its screenshots
// (docs/img/, `make guide-shots`) are served as hashed static files with alt text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, ROOT } from '../lib/server.mjs';

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

/* The <img> tags of an HTML text: [{ src, alt, width, height, loading, cls }]. */
function pictures(html) {
  const out = [];
  for (const m of html.matchAll(/<img\b([^>]*)>/g)) {
    const a = {};
    for (const x of m[1].matchAll(/([a-z-]+)="([^"]*)"/g)) a[x[1]] = x[2];
    out.push(a);
  }
  return out;
}

/* The size in pixels written in a WebP file's header (VP8, VP8L or VP8X), or null. */
function webpSize(b) {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return null;
  const kind = b.toString('latin1', 12, 16);
  if (kind === 'VP8 ') return { w: b.readUInt16LE(26) & 0x3fff, h: b.readUInt16LE(28) & 0x3fff };
  if (kind === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { w: (bits & 0x3fff) + 1, h: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { w: b.readUIntLE(24, 3) + 1, h: b.readUIntLE(27, 3) + 1 };
  return null;
}

test('the guides are illustrated: every picture served as a year-cached WebP of the size the page says, with alt text in the guide\'s language', async () => {
  const seen = {};
  for (const lang of ['vi', 'en']) {
    const page = await get(`/guide?lang=${lang}`);
    assert.equal(page.status, 200);
    const imgs = pictures(page.text);
    assert.ok(imgs.length >= 10, `${lang}: ${imgs.length} pictures`);
    seen[lang] = new Set();
    for (const img of imgs) {
      const m = /^\/static\/((vi|en)-[a-z0-9-]+)\.[0-9a-f]{12}\.webp$/.exec(img.src || '');
      assert.ok(m, `${lang}: a picture at ${img.src}, not a content-hashed /static/ name`);
      assert.equal(m[2], lang, `${lang}: ${img.src} is a picture of the other language's pages`);
      seen[lang].add(m[1].slice(3));
      assert.ok(img.alt && img.alt.trim().length >= 20, `${img.src}: alt text "${img.alt}"`);
      if (lang === 'vi') assert.match(img.alt, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `${img.src}: the alt text is Vietnamese`);
      assert.equal(img.loading, 'lazy', `${img.src} loads lazily`);
      assert.match(img.width || '', /^\d+$/, `${img.src}: width`);
      assert.match(img.height || '', /^\d+$/, `${img.src}: height`);
      const r = await fetch(srv.base + img.src);
      assert.equal(r.status, 200, img.src);
      assert.equal(r.headers.get('content-type'), 'image/webp', img.src);
      assert.match(r.headers.get('cache-control') || '', /max-age=31536000.*immutable/, `${img.src}: kept a year`);
      assert.equal(r.headers.get('content-encoding'), null, `${img.src}: not gzipped again`);
      const body = Buffer.from(await r.arrayBuffer());
      assert.ok(body.length <= 40 * 1024, `${img.src}: ${body.length} bytes, over 40 KB`);
      const size = webpSize(body);
      assert.ok(size, `${img.src}: a WebP file`);
      assert.deepEqual(size, { w: Number(img.width), h: Number(img.height) }, `${img.src}: its width and height attributes`);
    }
  }
  // the two guides show the same screens, each in its own language
  assert.deepEqual([...seen.en].sort(), [...seen.vi].sort(), 'the same pictures in both guides');
  // and every picture of docs/img/ is in a guide (none compiled into dvk for nothing)
  const files = readdirSync(path.join(ROOT, 'docs', 'img'));
  for (const f of files) {
    const m = /^(vi|en)-([a-z0-9-]+)\.webp$/.exec(f);
    assert.ok(m, `docs/img/${f}: named LANG-NAME.webp`);
    assert.ok(seen[m[1]].has(m[2]), `docs/img/${f} is in no guide`);
  }
});

test('the guide is light before its pictures: HTML, CSS and JS under 100 KB gzipped, and no picture before it is scrolled to', async () => {
  for (const lang of ['vi', 'en']) {
    const page = await get(`/guide?lang=${lang}`);
    let total = gzipSync(page.text).length;
    for (const m of page.text.matchAll(/(?:href|src)="(\/static\/[^"]+\.(?:css|js))"/g)) {
      total += gzipSync(Buffer.from(await (await fetch(srv.base + m[1])).arrayBuffer())).length;
    }
    assert.ok(total < 100 * 1024, `${lang}: ${total} bytes`);
    assert.ok(!/<img(?![^>]*loading="lazy")/.test(page.text), 'every picture lazy');
  }
});
