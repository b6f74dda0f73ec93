// list.test.mjs: GET /api/v1/models filters, subtree in both hierarchies,
// diacritic-free search, sorting and cursor paging (issue 2, §7).
//
// Every test puts a unique ASCII token in its titles and filters with q=token,
// so that it sees exactly its own models whatever the other tests created.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { api, assertError, createModel as create, listModels, listAll, token } from '../lib/http.mjs';

// Results are not what these tests are about; leave them out.
const createModel = (base, over) => create(base, { results: [], ...over });

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

const ids = (items) => items.map((m) => m.id).sort((a, b) => a - b);
const idsOf = (...ms) => ms.map((m) => m.id).sort((a, b) => a - b);

function assertPage(p, what) {
  assert.ok(p && typeof p === 'object', `${what}: not an object`);
  assert.ok(Array.isArray(p.items), `${what}: items must be an array: ${JSON.stringify(p)}`);
  assert.equal(typeof p.total, 'number', `${what}: total must be a number`);
  assert.ok('next' in p, `${what}: no next`);
  assert.ok(p.next === null || typeof p.next === 'string', `${what}: next must be a string or null`);
}

/* ids matching query (all pages). */
async function find(query) {
  const { pages, items } = await listAll(srv.base, query);
  for (const [i, p] of pages.entries()) {
    assertPage(p, `${JSON.stringify(query)} page ${i}`);
    assert.equal(p.total, items.length, `${JSON.stringify(query)}: total ${p.total} but ${items.length} items`);
  }
  return ids(items);
}

describe('list shape', () => {
  test('items carry the model fields; total counts matches', async () => {
    const tok = token();
    const m = await createModel(srv.base, { title: `Hình dạng danh sách ${tok}` });
    const p = await listModels(srv.base, { q: tok });
    assertPage(p, 'shape');
    assert.equal(p.total, 1);
    assert.equal(p.next, null);
    assert.equal(p.items.length, 1);
    const it = p.items[0];
    for (const k of ['id', 'code', 'title', 'field', 'kind', 'status', 'unit_code', 'hierarchy', 'registered_on', 'typical', 'unit_name']) {
      assert.deepEqual(it[k], m[k], `list item field ${k}`);
    }
  });

  test('the unfiltered list answers 200 with total ≥ the models created', async () => {
    const p = await listModels(srv.base, {});
    assertPage(p, 'unfiltered');
    assert.ok(p.total >= 1);
    assert.ok(p.items.length <= p.total);
  });
});

describe('q ignores case and diacritics', () => {
  test('dan van kheo finds "Dân vận khéo …"', async () => {
    const tok = token();
    const m = await createModel(srv.base, { title: `Dân vận khéo xây dựng đường làng ${tok}` });
    const other = await createModel(srv.base, { title: `Tổ tự quản ${tok}` });
    for (const q of ['dan van kheo', 'DAN VAN KHEO', 'Dân Vận Khéo', 'dân vận khéo', 'duong lang']) {
      const got = await find({ q });
      assert.ok(got.includes(m.id), `q=${q} did not find model ${m.id}`);
      assert.ok(!got.includes(other.id), `q=${q} found the unrelated model ${other.id}`);
    }
    assert.deepEqual(await find({ q: `dan van kheo xay dung duong lang ${tok}` }), [m.id]);
    assert.deepEqual(await find({ q: tok }), idsOf(m, other));
    assert.deepEqual(await find({ q: `${tok} zzqxwvnomatch` }), []);
  });

  test('q with decomposed (NFD) text finds the composed title', async () => {
    const tok = token();
    const m = await createModel(srv.base, { title: `Khéo léo thôn Đông ${tok}` });
    assert.deepEqual(await find({ q: `kheo leo thon dong ${tok}` }), [m.id]);
    assert.deepEqual(await find({ q: `Khéo léo thôn Đông ${tok}`.normalize('NFD') }), [m.id]);
  });
});

describe('unit filter: the whole subtree, in either hierarchy', () => {
  // Xã Tam An (2024 code 20368, Huyện Phú Ninh 518, Tỉnh Quảng Nam 49) merged
  // whole into Xã Tây Hồ (2025 code 20380) of Thành phố Đà Nẵng (48).
  let tok; let tamAn; let congVi; let baDinh;
  before(async () => {
    tok = token();
    tamAn = await createModel(srv.base, { title: `Tam An ${tok}`, unit_code: '20368', hierarchy: 2024 });
    // Phường Cống Vị (2024 00007, Quận Ba Đình 001, Hà Nội 01) was split
    // between 2025 00008 and 00025, both in Hà Nội (01).
    congVi = await createModel(srv.base, { title: `Cống Vị ${tok}`, unit_code: '00007', hierarchy: 2024 });
    baDinh = await createModel(srv.base, {
      title: `Ba Đình ${tok}`, unit_code: '00004', hierarchy: 2025, registered_on: '2025-09-01',
      period_from: '2025-09-01', period_to: '2026-09-01',
    });
  });

  const cases = [
    ['48', 2025, () => [tamAn]], // new province of a 2024 commune
    ['20380', 2025, () => [tamAn]], // its new commune (full merge)
    ['49', 2024, () => [tamAn]], // its own 2024 province
    ['518', 2024, () => [tamAn]], // its 2024 district
    ['20368', 2024, () => [tamAn]], // the commune itself
    ['01', 2025, () => [congVi, baDinh]], // a split commune still rolls up to its province
    ['001', 2024, () => [congVi]],
    ['00004', 2025, () => [baDinh]],
    // 2025 Phường Ba Đình was formed only from 2024 Hà Nội wards (of three districts),
    // so as of 2024 it lies in Hà Nội, though in no single district.
    ['01', 2024, () => [congVi, baDinh]],
    ['48', 2024, () => []], // 2024 Đà Nẵng did not contain Quảng Nam
    ['20380', 2024, () => []], // 2024 Xã Tam Phước, a neighbour
    ['79', 2025, () => []], // unrelated province
    ['02', 2024, () => []], // unrelated 2024 province
  ];
  for (const [unit, h, want] of cases) {
    test(`unit=${unit}&hierarchy=${h}`, async () => {
      assert.deepEqual(await find({ q: tok, unit, hierarchy: String(h) }), idsOf(...want()));
    });
  }

  test('unit=48 without hierarchy means 2025', async () => {
    assert.deepEqual(await find({ q: tok, unit: '48' }), idsOf(tamAn));
  });

  test('a bad hierarchy is 400', async () => {
    assertError(await api(srv.base, 'GET', '/api/v1/models?unit=48&hierarchy=2023'), 400, 'hierarchy 2023');
  });
});

describe('field, kind, status, typical, from, to', () => {
  let tok; let a; let b; let c; let d; let e;
  before(async () => {
    tok = token();
    a = await createModel(srv.base, { title: `A ${tok}`, field: 'economic', kind: 'collective', registered_on: '2023-12-31', period_from: '2023-12-01' });
    b = await createModel(srv.base, { title: `B ${tok}`, field: 'cultural_social', kind: 'individual', owner_type: 'person', owner: 'Trần Thị B', status: 'draft', registered_on: '2024-01-01' });
    c = await createModel(srv.base, { title: `C ${tok}`, field: 'defense_security', kind: 'collective', registered_on: '2024-06-30' });
    d = await createModel(srv.base, { title: `D ${tok}`, field: 'political_system', kind: 'individual', owner_type: 'person', owner: 'Lê Văn D', registered_on: '2024-07-01' });
    e = await createModel(srv.base, { title: `E ${tok}`, field: 'economic', kind: 'individual', owner_type: 'person', owner: 'Phạm E', registered_on: '2025-01-01', period_from: '2025-01-01' });
  });

  const cases = [
    [{ field: 'economic' }, () => [a, e]],
    [{ field: 'cultural_social' }, () => [b]],
    [{ field: 'defense_security' }, () => [c]],
    [{ field: 'political_system' }, () => [d]],
    [{ kind: 'collective' }, () => [a, c]],
    [{ kind: 'individual' }, () => [b, d, e]],
    [{ field: 'economic', kind: 'individual' }, () => [e]],
    [{ status: 'draft' }, () => [b]],
    [{ status: 'registered' }, () => [a, c, d, e]],
    [{ typical: 'false' }, () => [a, b, c, d, e]],
    [{ typical: 'true' }, () => []],
    [{ from: '2024-01-01', to: '2024-06-30' }, () => [b, c]], // inclusive at both ends
    [{ from: '2024-07-01' }, () => [d, e]],
    [{ to: '2023-12-31' }, () => [a]],
    [{ from: '2024-01-01', to: '2024-12-31', kind: 'individual' }, () => [b, d]],
  ];
  for (const [q, want] of cases) {
    test(new URLSearchParams(q).toString(), async () => {
      assert.deepEqual(await find({ q: tok, ...q }), idsOf(...want()));
    });
  }
});

describe('sort', () => {
  let tok; let made;
  before(async () => {
    tok = token();
    // Inserted out of order on purpose; ASCII-initial titles give an unambiguous order.
    const spec = [
      ['Delta', '2024-05-05'], ['Alpha', '2025-02-02'], ['Echo', '2023-01-01'], ['Charlie', '2024-12-12'], ['Bravo', '2024-01-10'],
    ];
    made = [];
    for (const [t, date] of spec) {
      made.push(await createModel(srv.base, { title: `${t} ${tok}`, registered_on: date, period_from: '2023-01-01', period_to: '' }));
    }
  });
  const order = async (sort) => (await listAll(srv.base, { q: tok, sort })).items.map((m) => m.title.split(' ')[0]);

  test('sort=registered_on', async () => {
    assert.deepEqual(await order('registered_on'), ['Echo', 'Bravo', 'Delta', 'Charlie', 'Alpha']);
  });
  test('sort=-registered_on', async () => {
    assert.deepEqual(await order('-registered_on'), ['Alpha', 'Charlie', 'Delta', 'Bravo', 'Echo']);
  });
  test('sort=title', async () => {
    assert.deepEqual(await order('title'), ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });
  test('sort=code', async () => {
    const items = (await listAll(srv.base, { q: tok, sort: 'code' })).items;
    const got = items.map((m) => m.code);
    assert.equal(got.length, 5);
    assert.deepEqual(got, [...got].sort());
    assert.deepEqual(ids(items), idsOf(...made));
  });
});

describe('cursor paging', () => {
  async function pageThrough(query, n) {
    const { pages, items } = await listAll(srv.base, { ...query, limit: '2' });
    const what = JSON.stringify(query);
    assert.deepEqual(pages.map((p) => p.items.length), [2, 2, 1], `${what}: page sizes`);
    for (const p of pages) assert.equal(p.total, n, `${what}: total on every page`);
    assert.equal(typeof pages[0].next, 'string');
    assert.equal(typeof pages[1].next, 'string');
    assert.equal(pages[2].next, null, `${what}: next on the last page`);
    const seen = items.map((m) => m.id);
    assert.equal(new Set(seen).size, seen.length, `${what}: duplicates ${seen}`);
    return items;
  }

  test('limit=2 over 5 models: 3 pages, no duplicates, next null at the end (each sort)', async () => {
    const tok = token();
    const made = [];
    for (const [t, date] of [['Mot', '2024-02-01'], ['Hai', '2024-03-01'], ['Ba', '2024-01-01'], ['Bon', '2024-05-01'], ['Nam', '2024-04-01']]) {
      made.push(await createModel(srv.base, { title: `${t} ${tok}`, registered_on: date, period_from: '2024-01-01' }));
    }
    for (const sort of [undefined, 'registered_on', '-registered_on', 'title', 'code']) {
      const q = sort ? { q: tok, sort } : { q: tok };
      const items = await pageThrough(q, 5);
      assert.deepEqual(ids(items), idsOf(...made), `${JSON.stringify(q)}: the same 5 models`);
      if (sort === 'registered_on') assert.deepEqual(items.map((m) => m.title.split(' ')[0]), ['Ba', 'Mot', 'Hai', 'Nam', 'Bon']);
      if (sort === '-registered_on') assert.deepEqual(items.map((m) => m.title.split(' ')[0]), ['Bon', 'Nam', 'Hai', 'Mot', 'Ba']);
    }
  });

  test('paging is stable when the sort key ties (5 models, one date)', async () => {
    const tok = token();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createModel(srv.base, { title: `Cùng ngày ${tok}`, registered_on: '2024-04-04' }));
    for (const sort of ['registered_on', '-registered_on', 'title']) {
      const items = await pageThrough({ q: tok, sort }, 5);
      assert.deepEqual(ids(items), idsOf(...made), `sort=${sort}: the same 5 models`);
    }
  });

  test('paging by title works with long Vietnamese titles (300 characters)', async () => {
    const tok = token();
    const made = [];
    for (const t of ['Echo', 'Alpha', 'Delta', 'Bravo', 'Charlie']) {
      const head = `${t} ${tok} `;
      made.push(await createModel(srv.base, { title: head + 'ệ'.repeat(300 - head.length) }));
    }
    for (const m of made) assert.equal([...m.title].length, 300);
    for (const sort of ['title', 'code', 'registered_on']) {
      const items = await pageThrough({ q: tok, sort }, 5);
      assert.deepEqual(ids(items), idsOf(...made), `sort=${sort}: the same 5 models`);
      if (sort === 'title') assert.deepEqual(items.map((m) => m.title.split(' ')[0]), ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    }
  });

  test('paging by title works with 300-character titles of 4-byte characters', async () => {
    const tok = token();
    const made = [];
    for (const t of ['Echo', 'Alpha', 'Delta', 'Bravo', 'Charlie']) {
      const head = `${t} ${tok} `;
      made.push(await createModel(srv.base, { title: head + '𠀀'.repeat(300 - head.length) }));
    }
    for (const m of made) assert.equal([...m.title].length, 300);
    const items = await pageThrough({ q: tok, sort: 'title' }, 5);
    assert.deepEqual(items.map((m) => m.title.split(' ')[0]), ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });

  test('limit=1 and limit=2 are accepted', async () => {
    for (const limit of ['1', '2']) {
      const r = await api(srv.base, 'GET', `/api/v1/models?limit=${limit}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length <= Number(limit));
    }
  });

  for (const limit of ['0', '1000', 'abc', '-1', '2.5']) {
    test(`limit=${JSON.stringify(limit)} → 400`, async () => {
      assertError(await api(srv.base, 'GET', `/api/v1/models?limit=${limit}`), 400, `limit=${limit}`);
    });
  }
});
