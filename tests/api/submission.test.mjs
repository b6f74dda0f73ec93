// submission.test.mjs: a new model is created once per submission. The registration form
// carries a random token that its draft keeps on the device; an API client may name a
// sending with an Idempotency-Key. The same token sent again (the answer to the first was
// lost, the button was pressed twice, a saved form's draft was restored and sent) leads to
// the model the first sending created, and writes nothing. Both engines (DVK_TEST_PG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../lib/server.mjs';
import { api, setDefaultToken, token, validModel } from '../lib/http.mjs';
import { signInOk, page, errorText } from '../lib/session.mjs';
import { loadPo } from '../lib/po.mjs';

let srv;
before(async () => {
  srv = await startServer();
  setDefaultToken(srv.adminToken);
});
after(async () => { if (srv) await srv.stop(); });

const vi = loadPo('vi');
const total = async () => (await api(srv.base, 'GET', '/api/v1/models?limit=1')).json.total;
const auditTop = async () => {
  const r = await api(srv.base, 'GET', '/api/v1/audit?limit=1');
  assert.equal(r.status, 200, r.text);
  return r.json.items.length ? r.json.items[0].id : 0;
};
const post = (body, key, tok) => api(srv.base, 'POST', '/api/v1/models', {
  body,
  headers: { ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...(tok ? { Authorization: `Bearer ${tok}` } : {}) },
});
let seq = 0;
const officer = async () => addUser(srv, `sub-${++seq}`, 'officer', '20368', 2024);

test('API: the same Idempotency-Key sent again answers 200 with the first model, and writes nothing', async () => {
  const key = token('idem');
  const body = validModel({ title: `${token('ik')} tổ tự quản` });
  const n0 = await total();
  const first = await post(body, key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const top = await auditTop();
  const again = await post(body, key);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.headers.get('location'), `/api/v1/models/${first.json.id}`);
  assert.equal(again.headers.get('etag'), '"1"');
  assert.deepEqual(again.json, first.json, 'the replay answers the stored model');
  // another body under the same key is still the first sending's model
  const other = await post(validModel({ title: `${token('ik')} khác hẳn` }), key);
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.id, first.json.id);
  assert.equal(await total(), n0 + 1, 'one model for three sendings');
  assert.equal(await auditTop(), top, 'a replay appended an audit entry');
});

test('API: without a key every sending is a model of its own, as before', async () => {
  const body = validModel({ title: `${token('nk')} không khóa` });
  const n0 = await total();
  const a = await post(body);
  const b = await post(body);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(await total(), n0 + 2);
});

test('API: keys are per user: another user\'s same key creates that user\'s own model', async () => {
  const key = token('shared');
  const u1 = await officer();
  const u2 = await officer();
  const a = await post(validModel({ title: `${token('pu')} của người một` }), key, u1.token);
  const b = await post(validModel({ title: `${token('pu')} của người hai` }), key, u2.token);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal((await post(validModel(), key, u2.token)).json.id, b.json.id);
});

test('API: a bad Idempotency-Key is a 400 in Vietnamese and changes nothing', async () => {
  const n0 = await total();
  const top = await auditTop();
  for (const bad of ['x'.repeat(101), 'caf\u00e9', 'a b', '\t']) {
    const r = await post(validModel({ title: `${token('bk')} khóa hỏng` }), bad);
    assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
    assert.equal(r.json?.error?.code, 'bad_idempotency_key', r.text);
    assert.equal(r.json.error.message, vi.get('The Idempotency-Key header must be 1 to 100 visible ASCII characters.'));
  }
  assert.equal((await post(validModel({ title: `${token('bk')} dài đúng` }), 'k'.repeat(100))).status, 201);
  assert.equal(await total(), n0 + 1);
  assert.ok(await auditTop() > top);
});

test('API: the same key sent eight times at once makes one model, and every answer names it', async () => {
  const key = token('race');
  const body = validModel({ title: `${token('rc')} gửi cùng lúc` });
  const n0 = await total();
  const rs = await Promise.all(Array.from({ length: 8 }, () => post(body, key)));
  const statuses = rs.map((r) => r.status).sort();
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
  assert.equal(statuses.filter((s) => s === 200).length, 7, `statuses ${statuses}`);
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 1, 'every answer names the same model');
  assert.equal(await total(), n0 + 1);
});

/* ---- the registration form ---------------------------------------------------- */

const TOKEN_FIELD = /<input type="hidden" name="submission" value="([0-9a-f]{32})">/;
const form = (s, extra) => ({
  csrf: s.csrf, op: 'save', title: `${token('fm')} qua biểu mẫu`, field: 'economic', kind: 'collective',
  registration_level: 'commune', registered_on: '01/02/2024', hierarchy: '2024', unit_code: '20368',
  owner_type: 'organization', owner: 'Hội Nông dân xã', similar_ok: '1', ...extra,
});

test('form: each new form has its own token; the same form sent again leads to its model, with a notice', async () => {
  const u = await officer();
  const s = await signInOk(srv.base, u.login, u.password);
  const g1 = await page(srv.base, 'GET', '/models/new', { session: s });
  const g2 = await page(srv.base, 'GET', '/models/new', { session: s });
  assert.equal(g1.status, 200);
  assert.equal(g1.headers.get('cache-control'), 'private, no-store', 'a browser could show the form again with its token');
  const t1 = TOKEN_FIELD.exec(g1.text)?.[1];
  const t2 = TOKEN_FIELD.exec(g2.text)?.[1];
  assert.ok(t1 && t2, 'no submission field on the form');
  assert.notEqual(t1, t2, 'two forms share a token');
  const n0 = await total();
  const f = form(s, { submission: t1 });
  const first = await page(srv.base, 'POST', '/models/new', { session: s, form: f });
  assert.equal(first.status, 303, errorText(first.text) || first.text.slice(0, 300));
  assert.match(first.location, /^\/models\/\d+$/);
  const top = await auditTop();
  // sent again: the answer was lost, or the draft of this form was restored and sent
  for (const again of [f, { ...f, title: `${token('fm')} sửa sau khi khôi phục` }]) {
    const r = await page(srv.base, 'POST', '/models/new', { session: s, form: again });
    assert.equal(r.status, 303, errorText(r.text) || r.text.slice(0, 300));
    assert.equal(r.location, `${first.location}?again=1`);
  }
  assert.equal(await total(), n0 + 1, 'a second model was created');
  assert.equal(await auditTop(), top, 'a replay appended an audit entry');
  const shown = await page(srv.base, 'GET', `${first.location}?again=1`, { session: s });
  assert.equal(shown.status, 200);
  const notice = vi.get('This form was saved before, as this model. Nothing new was created; to change the model, edit it.');
  assert.ok(notice && shown.text.includes(notice), 'the notice is not shown in Vietnamese');
  assert.ok(!(await page(srv.base, 'GET', first.location, { session: s })).text.includes(notice), 'the notice without ?again=1');
  // the form's other token makes a model of its own
  const second = await page(srv.base, 'POST', '/models/new', { session: s, form: form(s, { submission: t2 }) });
  assert.equal(second.status, 303);
  assert.notEqual(second.location, first.location);
  assert.equal(await total(), n0 + 2);
});

test('form: a form sent back with problems keeps its token, and its corrected sending is the one model', async () => {
  const u = await officer();
  const s = await signInOk(srv.base, u.login, u.password);
  const t = TOKEN_FIELD.exec((await page(srv.base, 'GET', '/models/new', { session: s })).text)[1];
  const n0 = await total();
  const bad = await page(srv.base, 'POST', '/models/new', { session: s, form: form(s, { submission: t, title: '' }) });
  assert.equal(bad.status, 422);
  assert.equal(TOKEN_FIELD.exec(bad.text)?.[1], t, 'the form came back with another token');
  const good = form(s, { submission: t });
  const ok = await page(srv.base, 'POST', '/models/new', { session: s, form: good });
  assert.equal(ok.status, 303, errorText(ok.text));
  const again = await page(srv.base, 'POST', '/models/new', { session: s, form: good });
  assert.equal(again.location, `${ok.location}?again=1`);
  assert.equal(await total(), n0 + 1);
  // a form without a token (an old page in a browser's cache) still saves
  const old = await page(srv.base, 'POST', '/models/new', { session: s, form: form(s) });
  assert.equal(old.status, 303, errorText(old.text));
  assert.equal(await total(), n0 + 2);
});
