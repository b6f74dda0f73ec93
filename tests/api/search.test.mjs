// search.test.mjs: full-text search (issue 5): what q finds (case and diacritics ignored,
// owners, tags and place names), title matches first, marked matches, paging across the
// two groups, filters with q, the showcase, and similar models nearby (the duplicate
// warning: GET /api/v1/models/similar and the registration form without JavaScript).
//
// Every test puts a unique ASCII token in its titles and searches with it, so that it
// sees exactly its own models whatever the other tests created.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api, assertError, createModel as create, listModels, listAll, token } from '../lib/http.mjs';
import { page, signInOk } from '../lib/session.mjs';
import { sqlOk } from '../lib/sqlite.mjs';

// Results are not what these tests are about; leave them out.
const createModel = (base, over) => create(base, { results: [], ...over });

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const ids = (items) => items.map((m) => m.id);
const sorted = (a) => [...a].sort((x, y) => x - y);

/* Every id matching query (following next), in the order given. */
async function find(query) {
  const { pages, items } = await listAll(srv.base, query);
  for (const p of pages) {
    assert.equal(p.total, items.length, `${JSON.stringify(query)}: total ${p.total} but ${items.length} items`);
    assert.equal(p.total_capped, false, `${JSON.stringify(query)}: total_capped`);
  }
  return ids(items);
}

/* The code points of s from start to end: what a highlight range covers. */
const slice = (s, [start, end]) => [...s].slice(start, end).join('');

describe('what q finds', () => {
  let tok; let duong; let dvk; let owner; let tagged; let other;
  before(async () => {
    tok = token('sq');
    // summaries, owners and tags of their own: each word that a case looks for is where the case says
    duong = await createModel(srv.base, { title: `Đường hoa thôn Đông ${tok}`, summary: 'Mỗi hộ trồng hoa trước nhà.', owner: 'Chi bộ thôn Đông', tags: [] });
    dvk = await createModel(srv.base, { title: `Dân vận khéo trong cải cách hành chính ${tok}`, summary: 'Một cửa thân thiện.', owner: 'Ủy ban xã', tags: [] });
    owner = await createModel(srv.base, {
      title: `Nuôi bò sinh sản ${tok}`, summary: 'Hỗ trợ hộ nghèo nuôi bò.', kind: 'individual', owner_type: 'person',
      owner: 'Nguyễn Thị Hồng Nhung', tags: [],
    });
    tagged = await createModel(srv.base, { title: `Thanh toán không tiền mặt ${tok}`, summary: 'Hướng dẫn quét mã QR.', owner: 'Hội Phụ nữ xã', tags: ['Chuyển đổi số'] });
    // in Xã Tam Lộc (20377), not Tam An like the others
    other = await createModel(srv.base, { title: `Camera an ninh ${tok}`, summary: 'Lắp camera ở ngã ba.', unit_code: '20377', owner: 'Công an xã', tags: [] });
  });

  const cases = [
    ['dan van kheo', () => [dvk]],
    ['DÂN VẬN', () => [dvk]],
    ['Dân Vận Khéo', () => [dvk]],
    ['d', () => [duong, dvk, owner, tagged, other]], // Đường, Dân, dẫn, and every code (DVK-…)
    ['đ', () => [duong, dvk, owner, tagged, other]],
    ['du', () => [duong]], // only "Đường" starts with du
    ['đư', () => [duong]],
    ['ĐƯ', () => [duong]],
    ['đường hoa', () => [duong]],
    ['duong hoa', () => [duong]],
    ['Đu\u031Bo\u031B\u0300ng hoa', () => [duong]], // "Đường" with decomposed marks
    ['Đường hoa'.normalize('NFD'), () => [duong]],
    ['khe\u0301o', () => [dvk]],
    ['hong nhung', () => [owner]], // the owner's name
    ['nguyen thi', () => [owner]],
    ['chuyen doi so', () => [tagged]], // a tag
    ['tam loc', () => [other]], // the commune's name
    ['phu ninh', () => [duong, dvk, owner, tagged, other]], // the district's name
    ['quang nam', () => [duong, dvk, owner, tagged, other]], // the province's name
    ['cam', () => [other]], // a prefix
    ['camera an ninh', () => [other]],
    ['zzqxw', () => []],
    ['hoa zzqxw', () => []],
  ];
  for (const [q, want] of cases) {
    test(`q=${JSON.stringify(q)}`, async () => {
      assert.deepEqual(sorted(await find({ q: `${q} ${tok}` })), sorted(ids(want())));
    });
  }

  test('only starts of words match: "an" does not find "Thanh"', async () => {
    const t2 = token('sq');
    const thanh = await createModel(srv.base, { title: `Thanh niên tình nguyện ${t2}`, unit_code: '20368', owner: 'Đoàn xã', tags: [] });
    // Tam An is in the unit path of every model here; search the title words only through a word no place has
    assert.deepEqual(await find({ q: `thanh ${t2}` }), [thanh.id]);
    assert.deepEqual(await find({ q: `hanh ${t2}` }), []);
  });

  test('the code finds a model, whole or by its number', async () => {
    assert.deepEqual(await find({ q: duong.code }), [duong.id]);
    assert.deepEqual(await find({ q: `${duong.code.split('-')[2]} ${tok}` }), [duong.id]);
    assert.deepEqual(await find({ q: duong.code.toLowerCase().replace(/-/g, ' ') }), [duong.id]);
  });

  test('a search text of only punctuation is no search', async () => {
    const p = await listModels(srv.base, { q: '!!! ...', limit: '1' });
    assert.ok(p.total >= 5);
  });

  test('a text longer than 200 characters is 400', async () => {
    assertError(await api(srv.base, 'GET', `/api/v1/models?q=${'a'.repeat(201)}`), 400, 'long q');
  });
});

describe('ranking: title matches first, newest first in each group', () => {
  let tok; let expected;
  before(async () => {
    tok = token('rk');
    // registration dates interleave the two groups, so that only the grouping orders them
    const dates = ['2024-01-05', '2024-02-05', '2024-03-05', '2024-04-05', '2024-05-05', '2024-06-05', '2024-07-05',
      '2024-08-05', '2024-09-05', '2024-10-05', '2024-11-05'];
    const inTitle = [];
    const inSummary = [];
    for (const [i, d] of dates.entries()) {
      const period = { registered_on: d, period_from: d, period_to: '2025-12-31' };
      if (i % 2 === 0) {
        inTitle.push(await createModel(srv.base, { title: `Thắp sáng đường quê ${tok} ${i}`, summary: 'Lắp đèn.', ...period }));
      } else {
        inSummary.push(await createModel(srv.base, {
          title: `Tổ tự quản ${tok} ${i}`, summary: 'Vận động thắp sáng đường quê bằng đèn năng lượng mặt trời.', ...period,
        }));
      }
    }
    const byDateDesc = (a, b) => (a.registered_on < b.registered_on ? 1 : a.registered_on > b.registered_on ? -1 : b.id - a.id);
    expected = [...inTitle.sort(byDateDesc), ...inSummary.sort(byDateDesc)].map((m) => m.id);
  });

  test('one page: every title match before the summary matches', async () => {
    const p = await listModels(srv.base, { q: `thap sang ${tok}`, limit: '50' });
    assert.deepEqual(ids(p.items), expected);
    assert.equal(p.total, expected.length);
    assert.equal(p.next, null);
  });

  for (const limit of [1, 2, 3, 5, 6]) {
    test(`paging by ${limit}: no duplicate, no gap, the same order`, async () => {
      const got = await find({ q: `thap sang ${tok}`, limit: String(limit) });
      assert.deepEqual(got, expected);
    });
  }

  test('an explicit order keeps its order (oldest first, by name, by code)', async () => {
    const all = await Promise.all(expected.map(async (id) => (await api(srv.base, 'GET', `/api/v1/models/${id}`)).json));
    const asc = [...all].sort((a, b) => (a.registered_on < b.registered_on ? -1 : a.registered_on > b.registered_on ? 1 : a.id - b.id));
    assert.deepEqual(await find({ q: `thap sang ${tok}`, sort: 'registered_on', limit: '4' }), ids(asc));
    const byCode = [...all].sort((a, b) => (a.code < b.code ? -1 : 1));
    assert.deepEqual(await find({ q: `thap sang ${tok}`, sort: 'code', limit: '4' }), ids(byCode));
    // by name, in Vietnamese order: "Th…" before "Tổ…" (h comes before ô)
    const byTitle = await find({ q: `thap sang ${tok}`, sort: 'title', limit: '4' });
    assert.deepEqual(sorted(byTitle), sorted(expected));
    const titles = byTitle.map((id) => all.find((m) => m.id === id).title);
    assert.ok(titles.slice(0, 6).every((t) => t.startsWith('Thắp')), `by name: ${titles}`);
    assert.ok(titles.slice(6).every((t) => t.startsWith('Tổ')), `by name: ${titles}`);
  });

  test('a page link of another search is refused, not misread', async () => {
    const p = await listModels(srv.base, { limit: '1' }); // no q: a date cursor
    assert.ok(p.next);
    assertError(await api(srv.base, 'GET', `/api/v1/models?q=${tok}&cursor=${p.next}`), 400, 'cursor of a list without q');
    assertError(await api(srv.base, 'GET', `/api/v1/models?q=${tok}&cursor=zz`), 400, 'not hex');
  });
});

describe('highlight', () => {
  test('ranges in code points of the title and the summary', async () => {
    const tok = token('hl');
    const title = `Dân vận khéo: Đường hoa “xanh” ${tok}`;
    const summary = 'Vận động nhân dân trồng hoa; đường làng sạch đẹp.';
    const m = await createModel(srv.base, { title, summary });
    const p = await listModels(srv.base, { q: `dan van duong ${tok}` });
    assert.deepEqual(ids(p.items), [m.id]);
    const h = p.items[0].highlight;
    assert.ok(h && Array.isArray(h.title) && Array.isArray(h.summary), JSON.stringify(p.items[0]));
    assert.deepEqual(h.title.map((r) => slice(title, r)), ['Dân vận', 'Đường', tok]);
    assert.deepEqual(h.title[0], [0, 7]);
    assert.deepEqual(h.summary.map((r) => slice(summary, r)), ['Vận', 'dân', 'đường']);
    // without q there is no highlight
    const plain = await listModels(srv.base, { limit: '1' });
    assert.equal(plain.items[0].highlight, undefined);
  });

  test('characters outside the BMP count as one code point', async () => {
    const tok = token('hl');
    const title = `😀 Nhà văn hóa ${tok}`;
    await createModel(srv.base, { title });
    const p = await listModels(srv.base, { q: `nha van ${tok}` });
    assert.deepEqual(p.items[0].highlight.title.map((r) => slice(title, r)), ['Nhà văn', tok]);
    assert.deepEqual(p.items[0].highlight.title[0], [2, 9]);
  });

  test('the list page marks the matches, escaped', async () => {
    const tok = token('hl');
    const m = await createModel(srv.base, { title: `<b>Đường</b> & hoa ${tok}`, summary: 'Đường làng <i>sạch</i>.' });
    const s = await signInOk(srv.base, 'admin', srv.adminPassword);
    const r = await page(srv.base, 'GET', `/models?q=${encodeURIComponent(`duong ${tok}`)}`, { session: s });
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`href="/models/${m.id}">&lt;b&gt;<mark>Đường</mark>&lt;/b&gt; &amp; hoa <mark>${tok}</mark></a>`), r.text);
    assert.ok(r.text.includes('<small class="snippet"><mark>Đường</mark> làng &lt;i&gt;sạch&lt;/i&gt;.</small>'), 'snippet');
    assert.ok(!r.text.includes('<b>Đường'));
  });
});

describe('filters combine with q', () => {
  let tok; let a; let b; let c;
  before(async () => {
    tok = token('fq');
    a = await createModel(srv.base, { title: `Camera an ninh ${tok}`, field: 'defense_security', registered_on: '2024-02-01', period_from: '2024-02-01' });
    b = await createModel(srv.base, { title: `Camera giao thông ${tok}`, field: 'economic', unit_code: '00004', hierarchy: 2024, registered_on: '2024-06-01', period_from: '2024-06-01' });
    c = await createModel(srv.base, { title: `Camera chợ ${tok}`, field: 'economic', status: 'draft', registered_on: '2023-06-01', period_from: '2023-06-01' });
  });
  const cases = [
    [{}, () => [a, b, c]],
    [{ field: 'economic' }, () => [b, c]],
    [{ status: 'draft' }, () => [c]],
    [{ kind: 'individual' }, () => []],
    [{ typical: 'false' }, () => [a, b, c]],
    [{ unit: '49', hierarchy: '2024' }, () => [a, c]],
    [{ unit: '01', hierarchy: '2025' }, () => [b]],
    [{ unit: '20368', hierarchy: '2024' }, () => [a, c]],
    [{ from: '2024-01-01' }, () => [a, b]],
    [{ to: '31/12/2023' }, () => [c]],
    [{ from: '2024-02-01', to: '2024-02-01' }, () => [a]],
    [{ field: 'economic', from: '2024-01-01', unit: '01' }, () => [b]],
  ];
  for (const [filters, want] of cases) {
    test(JSON.stringify(filters), async () => {
      assert.deepEqual(sorted(await find({ q: `camera ${tok}`, ...filters })), sorted(ids(want())));
    });
  }

  test('a scoped reader finds only what is in scope', async () => {
    const officer = await addUser(srv, `fq${tok}`, 'viewer', '20368');
    const r = await api(srv.base, 'GET', `/api/v1/models?q=camera%20${tok}`, { headers: { Authorization: `Bearer ${officer.token}` } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(sorted(ids(r.json.items)), sorted([a.id, c.id]));
    assert.equal(r.json.total, 2);
  });
});

describe('the showcase', () => {
  test('finds by title and organization, never by the name of a person who owns a model', async () => {
    const tok = token('pub');
    const person = await createModel(srv.base, {
      title: `Nuôi ong lấy mật ${tok}`, kind: 'individual', owner_type: 'person', owner: 'Hoàng Văn Khuyết', summary: 'Nuôi ong dưới tán rừng.',
    });
    const org = await createModel(srv.base, { title: `Bảo tồn hát then ${tok}`, owner: 'Hội Phụ nữ xã Khuyết Tiến' });
    await sqlOk(srv.dbPath, `UPDATE models SET status = 'recognized', typical = 1, public = 1, typical_reason = 'Hiệu quả.' WHERE id IN (${person.id}, ${org.id});`);
    const pub = async (q) => {
      const r = await page(srv.base, 'GET', `/public?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200);
      return [...r.text.matchAll(/href="\/public\/models\/(\d+)"/g)].map((x) => Number(x[1])).sort((x, y) => x - y);
    };
    assert.deepEqual(await pub(`nuoi ong ${tok}`), [person.id]);
    assert.deepEqual(await pub(`khuyet ${tok}`), [org.id], 'the organization is found, the person is not');
    assert.deepEqual(await pub(`hoang van ${tok}`), []);
    // signed-in users find the person's model by the name
    assert.deepEqual(sorted(await find({ q: `khuyet ${tok}` })), sorted([person.id, org.id]));
    const html = (await page(srv.base, 'GET', `/public?q=${encodeURIComponent(`nuoi ong ${tok}`)}`)).text;
    assert.ok(html.includes('<mark>Nuôi ong</mark> lấy mật'), 'the showcase marks matches');
    assert.ok(!html.includes('Hoàng Văn Khuyết'));
  });
});

describe('similar models nearby', () => {
  // Xã Tam An (20368) and Xã Tam Đàn (20374) are in Huyện Phú Ninh (518), Tỉnh Quảng Nam (49);
  // Xã Tam Thăng (20362) is in Quảng Nam, another district; 00004 is in Hà Nội.
  let tok; let same; let district; let province; let far; let unrelated; let village;
  const similar = async (query, headers = {}) => {
    const qs = new URLSearchParams(query).toString();
    const r = await api(srv.base, 'GET', `/api/v1/models/similar?${qs}`, { headers });
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.items));
    return r.json.items;
  };
  before(async () => {
    tok = token('sim');
    same = await createModel(srv.base, { title: `Tổ tự quản phòng cháy chữa cháy thôn Bốn ${tok}`, unit_code: '20368' });
    village = await createModel(srv.base, { title: `Tổ tự quản phòng cháy thôn Năm ${tok}`, unit_code: '20368', owner: 'Chi bộ' });
    district = await createModel(srv.base, { title: `Mô hình tổ tự quản phòng cháy chữa cháy ${tok}`, unit_code: '20374' });
    province = await createModel(srv.base, { title: `Tổ tự quản phòng cháy chữa cháy khu phố ${tok}`, unit_code: '20362' });
    far = await createModel(srv.base, { title: `Tổ tự quản phòng cháy chữa cháy ${tok}`, unit_code: '00004', registered_on: '2024-03-15' });
    unrelated = await createModel(srv.base, { title: `Nuôi bò sinh sản ${tok}`, unit_code: '20368' });
  });

  test('finds the near-duplicates of the commune first, then district and province; not unrelated or far ones', async () => {
    const items = await similar({ title: `Dân vận khéo: tổ tự quản phòng cháy chữa cháy ${tok}`, hierarchy: '2024', unit_code: '20368' });
    const got = items.map((x) => x.id);
    assert.ok(got.includes(same.id) && got.includes(district.id) && got.includes(province.id), JSON.stringify(items));
    assert.ok(!got.includes(unrelated.id), 'an unrelated model of the same commune');
    assert.ok(!got.includes(far.id), 'a model of another province');
    const near = Object.fromEntries(items.map((x) => [x.id, x.proximity]));
    assert.equal(near[same.id], 'commune');
    assert.equal(near[district.id], 'district');
    assert.equal(near[province.id], 'province');
    const order = ['commune', 'district', 'province'];
    for (let i = 1; i < items.length; i++) {
      assert.ok(order.indexOf(items[i - 1].proximity) <= order.indexOf(items[i].proximity), `nearest first: ${JSON.stringify(items)}`);
    }
    assert.ok(items.length <= 5);
    const it = items.find((x) => x.id === same.id);
    assert.equal(it.title, same.title);
    assert.equal(it.code, same.code);
    assert.equal(it.unit_name, 'Xã Tam An');
    assert.equal(typeof it.score, 'number');
  });

  test('the same commune in the 2025 hierarchy (Tam An merged into Tây Hồ, Đà Nẵng)', async () => {
    const items = await similar({ title: `Tổ tự quản phòng cháy chữa cháy ${tok}`, hierarchy: '2025', unit_code: '20380' });
    const near = Object.fromEntries(items.map((x) => [x.id, x.proximity]));
    assert.equal(near[same.id], 'commune');
    assert.ok(!(far.id in near));
  });

  test('an unrelated title finds nothing; filler words alone find nothing', async () => {
    assert.deepEqual(await similar({ title: `Trồng quế hữu cơ ${tok}`, hierarchy: '2024', unit_code: '20368' }), []);
    assert.deepEqual(await similar({ title: 'Mô hình dân vận khéo', hierarchy: '2024', unit_code: '20368' }), []);
    assert.deepEqual(await similar({ title: '' }), []);
  });

  test('without a unit: anywhere the reader may read', async () => {
    const got = (await similar({ title: `Tổ tự quản phòng cháy chữa cháy ${tok}` })).map((x) => x.id);
    assert.ok(got.includes(far.id) || got.length === 5, JSON.stringify(got));
    assert.ok(got.every((id) => [same.id, village.id, district.id, province.id, far.id].includes(id)));
  });

  test('never returns a model the caller may not read', async () => {
    const tamDan = await addUser(srv, `simo${tok}`, 'officer', '20374');
    const hanoi = await addUser(srv, `simh${tok}`, 'staff', '01');
    const title = `Tổ tự quản phòng cháy chữa cháy ${tok}`;
    const asTamDan = await similar({ title, hierarchy: '2024', unit_code: '20368' }, { Authorization: `Bearer ${tamDan.token}` });
    assert.deepEqual(asTamDan.map((x) => x.id), [district.id], 'only the model of Tam Đàn');
    const asHanoi = await similar({ title, hierarchy: '2024', unit_code: '20368' }, { Authorization: `Bearer ${hanoi.token}` });
    assert.deepEqual(asHanoi, []);
    const hanoiOwn = await similar({ title }, { Authorization: `Bearer ${hanoi.token}` });
    assert.deepEqual(hanoiOwn.map((x) => x.id), [far.id]);
    const anon = await api(srv.base, 'GET', `/api/v1/models/similar?title=x`, { headers: { Authorization: '' } });
    assert.equal(anon.status, 401);
  });

  test('bad parameters are 400', async () => {
    assertError(await api(srv.base, 'GET', '/api/v1/models/similar?title=x&unit=20368'), 400, 'unknown parameter');
    assertError(await api(srv.base, 'GET', '/api/v1/models/similar?title=x&unit_code=99999&hierarchy=2024'), 400, 'unknown unit');
    assertError(await api(srv.base, 'GET', '/api/v1/models/similar?title=x&hierarchy=2023'), 400, 'hierarchy');
    assertError(await api(srv.base, 'GET', `/api/v1/models/similar?title=${'x'.repeat(301)}`), 400, 'long title');
  });

  test('POST /api/v1/models registers a near-duplicate without asking (clients call /similar)', async () => {
    const m = await createModel(srv.base, { title: `Tổ tự quản phòng cháy chữa cháy thôn Bốn ${tok}`, unit_code: '20368' });
    assert.ok(m.id > 0);
  });

  test('the form without JavaScript: a warning with everything kept, then registered once confirmed', async () => {
    const s = await signInOk(srv.base, 'admin', srv.adminPassword);
    const title = `Tổ tự quản phòng cháy chữa cháy thôn Sáu ${tok}`;
    const form = {
      csrf: s.csrf, op: 'save', title, summary: 'Tóm tắt <giữ nguyên>', field: 'defense_security', kind: 'collective',
      registration_level: 'commune', registered_on: '02/03/2024', hierarchy: '2024', unit_code: '20368',
      owner_type: 'organization', owner: 'Công an xã Tam An', tags: 'An ninh trật tự, PCCC',
    };
    const before = (await listModels(srv.base, { q: tok, limit: '1' })).total;
    const r = await page(srv.base, 'POST', '/models/new', { session: s, form });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal((await listModels(srv.base, { q: tok, limit: '1' })).total, before, 'nothing registered yet');
    assert.match(r.text, /<div id="similar"[^>]*aria-live="polite"/);
    assert.ok(r.text.includes(`href="/models/${same.id}"`), 'links the similar model');
    assert.ok(!r.text.includes(`href="/models/${unrelated.id}"`));
    assert.match(r.text, /<input type="checkbox" id="i-similar_ok" name="similar_ok" value="1">/);
    assert.ok(r.text.includes(`value="${title}"`), 'the title is kept');
    assert.ok(r.text.includes('Tóm tắt &lt;giữ nguyên&gt;'), 'the summary is kept');
    assert.ok(r.text.includes('value="An ninh trật tự, PCCC"'), 'the tags are kept');
    const ok = await page(srv.base, 'POST', '/models/new', { session: s, form: { ...form, similar_ok: '1' } });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    const id = Number(ok.location.split('/').pop());
    assert.equal((await api(srv.base, 'GET', `/api/v1/models/${id}`)).json.title, title);
  });
});

describe('the index follows every change', () => {
  test('an edit, a status change and a move are found at once', async () => {
    const tok = token('ix');
    const m = await createModel(srv.base, { title: `Tiếng kẻng an ninh ${tok}` });
    const patch = await api(srv.base, 'PATCH', `/api/v1/models/${m.id}`, {
      body: { title: `Tiếng trống khuyến học ${tok}` }, headers: { 'If-Match': `"${m.version}"` },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.deepEqual(await find({ q: `keng ${tok}` }), []);
    assert.deepEqual(await find({ q: `trong khuyen ${tok}` }), [m.id]);
    const tr = await api(srv.base, 'POST', `/api/v1/models/${m.id}/transitions`, {
      body: { to: 'withdrawn', comment: 'Trùng với mô hình khác.' }, headers: { 'If-Match': `"${patch.json.version}"` },
    });
    assert.equal(tr.status, 200, tr.text);
    assert.deepEqual(await find({ q: `trong ${tok}`, status: 'withdrawn' }), [m.id]);
    assert.deepEqual(await find({ q: `trong ${tok}`, status: 'registered' }), []);
  });
});
