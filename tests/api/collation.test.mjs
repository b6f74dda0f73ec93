// collation.test.mjs: names come out in Vietnamese alphabetical order (issue 5, part 4)
// wherever they are listed: provinces, a unit's children, the unit picker's search,
// models sorted by title (API and page, across pages), a model's replications.
// The order is the dictionaries': word by word, a ă â b c d đ e ê … o ô ơ … u ư …,
// each word's tone right after its letters, numbers by value, lower case before
// upper case last. The expected lists are written out by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, createModel, listAll, token } from '../lib/http.mjs';
import { page, signInOk } from '../lib/session.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const NFD = (s) => s.normalize('NFD');
/* A copy of list in another order (reversed, then halves swapped), so storage order proves nothing. */
const shuffled = (list) => { const r = [...list].reverse(); const h = r.length >> 1; return [...r.slice(h), ...r.slice(0, h)]; };

async function addVillage(commune, name) {
  const r = await api(srv.base, 'POST', `/api/v1/units/${commune}/villages?hierarchy=2024`, { body: { name } });
  assert.equal(r.status, 201, `${name}: ${r.text}`);
  return r.json;
}
async function children(code, h = 2024) {
  const r = await api(srv.base, 'GET', `/api/v1/units/${code}/children?hierarchy=${h}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('provinces are listed in Vietnamese order (2025 and 2024 catalogues)', async () => {
  const city = (n) => `Thành phố ${n}`;
  const prov = (n) => `Tỉnh ${n}`;
  // "Thành" before "Tỉnh" (h < i); Hà Nội < Hải Phòng ("ha" is the shorter word); Đắk < Điện (ă < i);
  // Lạng < Lào < Lâm (n < o, then a < â); Cà < Cao (a shorter word first)
  const want2025 = [
    ...['Cần Thơ', 'Đà Nẵng', 'Hà Nội', 'Hải Phòng', 'Hồ Chí Minh', 'Huế'].map(city),
    ...['An Giang', 'Bắc Ninh', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Điện Biên', 'Đồng Nai', 'Đồng Tháp', 'Gia Lai',
      'Hà Tĩnh', 'Hưng Yên', 'Khánh Hòa', 'Lai Châu', 'Lạng Sơn', 'Lào Cai', 'Lâm Đồng', 'Nghệ An', 'Ninh Bình',
      'Phú Thọ', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sơn La', 'Tây Ninh', 'Thái Nguyên', 'Thanh Hóa',
      'Tuyên Quang', 'Vĩnh Long'].map(prov),
  ];
  const want2024 = [
    ...['Cần Thơ', 'Đà Nẵng', 'Hà Nội', 'Hải Phòng', 'Hồ Chí Minh', 'Huế'].map(city),
    ...['An Giang', 'Bà Rịa - Vũng Tàu', 'Bạc Liêu', 'Bắc Giang', 'Bắc Kạn', 'Bắc Ninh', 'Bến Tre', 'Bình Dương',
      'Bình Định', 'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Đắk Nông', 'Điện Biên', 'Đồng Nai',
      'Đồng Tháp', 'Gia Lai', 'Hà Giang', 'Hà Nam', 'Hà Tĩnh', 'Hải Dương', 'Hậu Giang', 'Hoà Bình', 'Hưng Yên',
      'Khánh Hòa', 'Kiên Giang', 'Kon Tum', 'Lai Châu', 'Lạng Sơn', 'Lào Cai', 'Lâm Đồng', 'Long An', 'Nam Định',
      'Nghệ An', 'Ninh Bình', 'Ninh Thuận', 'Phú Thọ', 'Phú Yên', 'Quảng Bình', 'Quảng Nam', 'Quảng Ngãi',
      'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng', 'Sơn La', 'Tây Ninh', 'Thái Bình', 'Thái Nguyên', 'Thanh Hóa',
      'Tiền Giang', 'Trà Vinh', 'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái'].map(prov),
  ];
  assert.equal(want2024.length, 63);
  for (const [h, want] of [[2025, want2025], [2024, want2024]]) {
    const r = await api(srv.base, 'GET', `/api/v1/units?hierarchy=${h}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((u) => u.name), want, `provinces of ${h}`);
  }
});

test('a commune\'s villages are listed in Vietnamese order, whatever the order and form they were added in', async () => {
  const want = ['An Phú', 'Ân Thi', 'Ấp Bắc', 'ẤP ĐÔNG', 'Dương Hòa', 'Đa Lộc', 'Đông Hòa', 'Hoa Lư', 'Hoà An', 'Hòa Bình',
    'Nam', 'Nam Định', 'Thôn 2', 'Thôn 10'];
  for (const [i, name] of shuffled(want).entries()) await addVillage('20365', i % 2 ? NFD(name) : name);
  assert.deepEqual((await children('20365')).map((u) => u.name), want);
});

test('the unit picker\'s search lists equally good matches in Vietnamese order', async () => {
  // same level, same folded length: only the order of the names is left to decide
  const tok = token('xom');
  const words = ['An', 'Ăm', 'Dê', 'Đa', 'Ea', 'Ôn', 'Ơi', 'Uy', 'Ưa'];
  for (const w of shuffled(words)) await addVillage('20362', `${tok} ${w} Xa`);
  const r = await api(srv.base, 'GET', `/api/v1/units?q=${tok}&hierarchy=2024`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((u) => u.name), words.map((w) => `${tok} ${w} Xa`));
  // the same list under the commune
  assert.deepEqual((await children('20362')).map((u) => u.name), words.map((w) => `${tok} ${w} Xa`));
});

const TITLES = ['An', 'Ân', 'Ấp Bắc', 'Bà Rịa', 'Bắc Ninh', 'Cà Mau', 'Cao Bằng', 'Dương', 'Đông', 'ĐÔNG', 'Hoa Lư',
  'Hòa An', 'Thôn 2', 'Thôn 10'];

test('models sorted by title come in Vietnamese order, across pages, in the API and on the list page', async () => {
  const tok = token('td');
  for (const [i, t] of shuffled(TITLES).entries()) await createModel(srv.base, { title: i % 3 ? `${t} ${tok}` : NFD(`${t} ${tok}`) });
  const want = TITLES.map((t) => `${t} ${tok}`);
  const { pages, items } = await listAll(srv.base, { q: tok, sort: 'title', limit: '4' });
  assert.ok(pages.length >= 4, 'the cursor is followed over several pages');
  assert.deepEqual(items.map((m) => m.title), want);

  const admin = await signInOk(srv.base, 'admin', srv.adminPassword);
  const p = await page(srv.base, 'GET', `/models?q=${tok}&sort=title&limit=50`, { session: admin });
  assert.equal(p.status, 200);
  const plain = p.text.replace(/<\/?mark>/g, ''); // the words searched for are marked in the titles
  const at = want.map((t) => plain.indexOf(`>${t}<`));
  assert.ok(at.every((i) => i >= 0), `every title is on the page: ${JSON.stringify(at)}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'the page lists them in the same order');
});

test('a model\'s replications are listed by unit name in Vietnamese order', async () => {
  const names = ['Ấp Bắc', 'An Phú', 'Đông Hòa', 'Dương Hòa', 'Thôn 10', 'Thôn 2', 'Hòa An', 'Hoa Lư'];
  const vs = [];
  for (const n of names) vs.push(await addVillage('20368', n));
  const home = await addVillage('20368', 'Thôn Gốc');
  const m = await createModel(srv.base, { unit_code: home.code, title: `Lan tỏa ${token()}` });
  for (const v of vs) {
    const r = await api(srv.base, 'POST', `/api/v1/models/${m.id}/replications`, { body: { hierarchy: 2024, unit_code: v.code, since: '2024-09-01' } });
    assert.equal(r.status, 201, r.text);
  }
  const r = await api(srv.base, 'GET', `/api/v1/models/${m.id}/replications`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.unit_name),
    ['An Phú', 'Ấp Bắc', 'Dương Hòa', 'Đông Hòa', 'Hoa Lư', 'Hòa An', 'Thôn 2', 'Thôn 10']);
});
