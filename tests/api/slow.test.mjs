// slow.test.mjs: slow clients and idle connections do not starve the others
// (issue 8, "hostile conditions"): h2o's request timeout closes connections whose
// request does not arrive, and dvk's connection limit answers new connections past it 503
// and closes them.
// The servers here run with --timeout 3 so that the test waits seconds, not minutes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, startNode } from '../lib/server.mjs';
import { api } from '../lib/http.mjs';

const TIMEOUT_S = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A TCP connection to base that does nothing (or what the caller makes it do);
 * .gone resolves to the time (ms) when the server closed it. */
function connect(base) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    s.setNoDelay(true);
    const opened = Date.now();
    s.closedAt = null;
    s.gone = new Promise((res) => {
      const done = () => { if (s.closedAt === null) s.closedAt = Date.now() - opened; res(s.closedAt); };
      s.on('end', done);
      s.on('close', done);
      s.on('error', done);
    });
    s.received = '';
    s.on('data', (d) => { s.received += d.toString('utf8'); });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/* Latencies (ms) of n sequential GETs of a page of models. */
async function timedRequests(base, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await api(base, 'GET', '/api/v1/models?limit=20');
    ms.push(performance.now() - t);
    assert.equal(r.status, 200, r.text);
  }
  return ms.sort((a, b) => a - b);
}

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { if (srv) await srv.stop(); });

describe('500 idle and 20 slowloris connections', () => {
  let node;
  const idle = [], slow = [];
  let drip;
  before(async () => { node = await startNode(srv, ['--timeout', String(TIMEOUT_S)]); });
  after(async () => {
    clearInterval(drip);
    for (const s of [...idle, ...slow]) s.destroy();
    if (node) await node.stop();
  });

  test('a normal client still gets quick answers', async (t) => {
    for (let i = 0; i < 500; i++) idle.push(await connect(node.base));
    const head = `GET /api/v1/models HTTP/1.1\r\nHost: x\r\nUser-Agent: ${'s'.repeat(200)}\r\n\r\n`;
    for (let i = 0; i < 20; i++) slow.push(await connect(node.base));
    let at = 0;
    drip = setInterval(() => { // one byte a second on each
      for (const s of slow) if (!s.destroyed && s.closedAt === null) s.write(head[at]);
      at++;
    }, 1000);
    const ms = await timedRequests(node.base, 100);
    const p99 = ms[98], p50 = ms[49];
    t.diagnostic(`100 requests beside 500 idle and 20 slow connections: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    assert.ok(p99 < 1000, `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
  });

  test('the server closes the idle and the slow connections after the timeout', async (t) => {
    const all = [...idle, ...slow];
    assert.equal(all.length, 520);
    const deadline = Date.now() + (TIMEOUT_S + 10) * 1000;
    while (Date.now() < deadline && all.some((s) => s.closedAt === null)) await sleep(200);
    const open = all.filter((s) => s.closedAt === null).length;
    assert.equal(open, 0, `${open} of ${all.length} connections still open ${TIMEOUT_S + 10} s later`);
    const slowest = Math.max(...slow.map((s) => s.closedAt));
    t.diagnostic(`closed after: idle ${Math.min(...idle.map((s) => s.closedAt))}-${Math.max(...idle.map((s) => s.closedAt))} ms, slow up to ${slowest} ms`);
    assert.ok(slowest < (TIMEOUT_S + 5) * 1000, `a slowloris connection lived ${slowest} ms`);
    const r = await api(node.base, 'GET', '/healthz');
    assert.equal(r.status, 200);
  });
});

describe('the connection limit', () => {
  let node;
  const socks = [];
  before(async () => { node = await startNode(srv, ['--timeout', String(TIMEOUT_S), '--max-connections', '50']); });
  after(async () => {
    for (const s of socks) s.destroy();
    if (node) await node.stop();
  });

  test('connections past the limit are answered 503 and closed at once, and count again once closed', async () => {
    for (let i = 0; i < 80; i++) socks.push(await connect(node.base));
    await sleep(1000);
    const refused = socks.filter((s) => s.closedAt !== null);
    assert.ok(refused.length >= 30 && refused.length <= 31, `${refused.length} of 80 closed at once (limit 50)`);
    // each is told why, in the API's error shape (Vietnamese: no request was read to ask another)
    for (const s of refused) {
      const [head, body] = s.received.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 503 /);
      assert.match(head, /\r\nRetry-After: 5\r\n/);
      assert.match(head, /\r\nContent-Language: vi\r\n/);
      const e = JSON.parse(body).error;
      assert.equal(e.code, 'busy');
      assert.equal(e.message, 'Máy chủ đang có quá nhiều kết nối. Vui lòng thử lại sau giây lát.');
      assert.equal(Buffer.byteLength(body), Number(head.match(/Content-Length: (\d+)/)[1]));
    }
    // the ones held got nothing yet: they sent no request
    assert.ok(socks.filter((s) => s.closedAt === null).every((s) => s.received === ''));
    // the timeout frees the 50 held ones; then the limit has room again
    await Promise.all(socks.map((s) => s.gone));
    const ms = await timedRequests(node.base, 20);
    assert.ok(ms[19] < 1000, `slowest ${ms[19].toFixed(1)} ms`);
    const again = [];
    for (let i = 0; i < 45; i++) again.push(await connect(node.base));
    socks.push(...again);
    await sleep(500);
    assert.equal(again.filter((s) => s.closedAt !== null).length, 0, 'the closed connections still count against the limit');
    const r = await api(node.base, 'GET', '/healthz');
    assert.equal(r.status, 200);
  });
});
