// nodes.test.mjs: two `dvk serve` processes on one database (issue 7: several nodes on one
// PostgreSQL primary; in the SQLite run, two processes on one file). Conflicting edits
// through both: one wins, the other gets 409, nothing is lost; a session and a token work
// on both; the reports are the same on both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startNode, addUser } from '../lib/server.mjs';
import { api, createModel, assertError, token, validModel } from '../lib/http.mjs';
import { signInOk, cookieHeaders } from '../lib/session.mjs';

let srv;
let node2;
before(async () => {
  srv = await startServer();
  node2 = await startNode(srv);
});
after(async () => {
  if (node2) await node2.stop();
  if (srv) await srv.stop();
});

const nodes = () => [srv, node2];

test('conflicting edits through both nodes: exactly one wins, the others get 409, no update is lost', async () => {
  const m = await createModel(srv.base, { title: `${token('hai')} hai máy` });
  const rs = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    api(nodes()[i % 2].base, 'PATCH', `/api/v1/models/${m.id}`, { body: { summary: `Bản ${i}` }, headers: { 'If-Match': '1' } })));
  const ok = rs.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, `statuses: ${rs.map((r) => r.status)}`);
  for (const r of rs) if (r.status !== 200) assertError(r, 409, 'loser');
  for (const n of nodes()) {
    const g = await api(n.base, 'GET', `/api/v1/models/${m.id}`);
    assert.equal(g.json.version, 2);
    assert.equal(g.json.summary, ok[0].json.summary);
  }
  // edits in turn, each naming the version the other node answered: every one is kept
  let version = 2;
  for (let i = 0; i < 6; i++) {
    const r = await api(nodes()[i % 2].base, 'PATCH', `/api/v1/models/${m.id}`,
      { body: { summary: `Lượt ${i}` }, headers: { 'If-Match': `"${version}"` } });
    assert.equal(r.status, 200, r.text);
    version = r.json.version;
  }
  const g = await api(node2.base, 'GET', `/api/v1/models/${m.id}`);
  assert.equal(g.json.version, 8);
  assert.equal(g.json.summary, 'Lượt 5');
});

test('models registered through both nodes at once get distinct codes', async () => {
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    api(nodes()[i % 2].base, 'POST', '/api/v1/models', { body: validModel({ title: `${token('ma')} song song ${i}` }) })));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(rs.map((r) => r.json.code)).size, 12, 'codes');
});

test('a session opened on one node and a token made on the command line work on both', async () => {
  const u = await addUser(srv, `hai.may.${token('u').toLowerCase()}`.slice(0, 40), 'staff', '20368', 2024);
  const s = await signInOk(srv.base, u.login, u.password);
  for (const n of nodes()) {
    const me = await api(n.base, 'GET', '/api/v1/me', { headers: cookieHeaders(s) });
    assert.equal(me.status, 200, `session on ${n.base}: ${me.text}`);
    assert.equal(me.json.login, u.login);
    const mt = await api(n.base, 'GET', '/api/v1/me', { headers: { Authorization: `Bearer ${u.token}` } });
    assert.equal(mt.status, 200, `token on ${n.base}: ${mt.text}`);
    assert.equal(mt.json.login, u.login);
  }
});

test('the reports are the same on both nodes', async () => {
  for (let i = 0; i < 3; i++) await createModel(node2.base, { title: `${token('bc')} báo cáo ${i}` });
  for (const name of ['summary', 'by_unit', 'by_level', 'results', 'commendation', 'replication', 'timeseries']) {
    const [a, b] = await Promise.all(nodes().map((n) => api(n.base, 'GET', `/api/v1/reports/${name}?lang=en`)));
    assert.equal(a.status, 200, `${name}: ${a.text}`);
    assert.equal(b.status, 200, `${name}: ${b.text}`);
    assert.deepEqual(b.json, a.json, name);
  }
});
