// migrate.test.mjs: dvk migrate-db moves a province's SQLite database into PostgreSQL
// (issue 7): every row, verified by counts and checksums; a second run changes nothing;
// the same answers from a node on either database; new rows get new ids. A second province
// moved into the same database: every row of both, under new ids where they collided, with
// every reference following; a login or a shared catalogue row in the way stops the move
// with the target unchanged. Needs the cluster of DVK_TEST_PG (the api-pg run of tests/run.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvk, runDvkStatus, serveOn, createToken } from '../lib/server.mjs';
import { api, setDefaultToken, validModel } from '../lib/http.mjs';
import { PG, createDatabase, dropDatabase, psql } from '../lib/pg.mjs';
import { sqlOk, sqlJson } from '../lib/sqlite.mjs';
import { walk } from '../lib/lifecycle.mjs';

test('dvk migrate-db copies a SQLite database into PostgreSQL, checks it, and changes nothing the second time', { skip: PG ? false : 'needs DVK_TEST_PG (tests/run.sh, api-pg)' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-migrate-'));
  const url = await createDatabase();
  const nodes = [];
  try {
    const pw = path.join(dir, 'admin.pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    const file = path.join(dir, 'p.db');
    await runDvk(['init', '--db', file, '--admin-password-file', pw, '--demo']);
    const tok = await createToken(file, 'admin'); // a token row, usable on both sides afterwards

    const first = await runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /^models +22 rows +22 copied +([0-9a-f]{16}) \1 +same$/m);
    assert.match(first.stdout, /^api_tokens +1 rows +1 copied/m);
    assert.doesNotMatch(first.stdout, /DIFFERENT/);
    const second = await runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.match(second.stdout, / 0 copied now; both sides hold the same rows$/m);
    assert.equal(second.stdout.replace(/ +\d+ copied/g, ''), first.stdout.replace(/ +\d+ copied/g, '').replace(/\d+ copied now/, '0 copied now'),
      'the same counts and checksums');

    // a target copied by a dvk from before moved_rows (019): the same rows under the same ids,
    // no mapping. Recognized as this source's (ids, codes, logins, titles, times alike): claimed, not copied again
    await sqlOk(url, 'DELETE FROM moved_rows;');
    const legacy = await runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(legacy.code, 0, legacy.stderr + legacy.stdout);
    assert.match(legacy.stdout, / 0 copied now; both sides hold the same rows$/m);
    assert.match(legacy.stdout, /: 0 new ids, 0 new model codes, 22 owners merged/);
    assert.equal((await sqlOk(url, "SELECT count(*) FROM moved_rows WHERE tbl = 'models' AND old_id = new_id;")).trim(), '22');

    // a node on each database answers alike, with the token made before the move
    const a = await serveOn(dir, file);
    nodes.push(a);
    const b = await serveOn(dir, url, ['--data', path.join(dir, 'files')]);
    nodes.push(b);
    const headers = { Authorization: `Bearer ${tok}` };
    // (the country's results come from result_tally, which the copy does not carry: the target's
    // triggers count the values as they arrive)
    for (const q of ['/api/v1/models?limit=100', '/api/v1/reports/summary?lang=en', '/api/v1/reports/replication?lang=en',
      '/api/v1/reports/results?lang=en&status=all&from=2000-01-01&to=2030-12-31']) {
      const [ra, rb] = await Promise.all([a, b].map((n) => api(n.base, 'GET', q, { headers })));
      assert.equal(ra.status, 200, ra.text);
      assert.deepEqual(rb.json, ra.json, q);
    }
    // PostgreSQL hands out ids after the copied ones
    const before = Number((await sqlOk(url, 'SELECT max(id) FROM models;')).trim());
    const some = (await api(b.base, 'GET', '/api/v1/models?limit=1', { headers })).json.items[0];
    const m = await api(b.base, 'POST', '/api/v1/models', { headers,
      body: validModel({ title: 'Mô hình sau khi chuyển', unit_code: some.unit_code, hierarchy: some.hierarchy, registered_on: '2025-08-01' }) });
    assert.equal(m.status, 201, m.text);
    assert.ok(m.json.id > before, `new id ${m.json.id} after ${before}`);

    // the target now holds a row the source never had: not the source's, so no change to it
    const third = await runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(third.code, 0, third.stderr + third.stdout);
    assert.match(third.stdout, /^models +22 rows +0 copied +([0-9a-f]{16}) \1 +same$/m);
    // one of the source's rows changed in the target since: the check says so
    await sqlOk(url, `UPDATE models SET title = title || ' (sửa)' WHERE id = ${some.id};`);
    const fourth = await runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url]);
    assert.equal(fourth.code, 1, fourth.stdout);
    assert.match(fourth.stdout, /^models +22 rows +0 copied +[0-9a-f]{16} [0-9a-f]{16} +DIFFERENT$/m);
    assert.match(fourth.stdout, /^model_tags .* same$/m);
  } finally {
    for (const n of nodes) await n.stop();
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(url);
  }
});

const migrate = (file, url, more = []) => runDvkStatus(['migrate-db', '--lang', 'en', '--from', `sqlite:${file}`, '--to', url, ...more]);

/* Every table of the target: its rows and a digest of them, to show that a refused move wrote nothing. */
async function targetState(url) {
  const tables = (await psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")).stdout.trim().split('\n');
  const out = {};
  for (const t of tables) {
    const r = await psql(url, `SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM "${t}" x`);
    assert.equal(r.code, 0, r.stderr);
    out[t] = r.stdout.trim();
  }
  const seq = await psql(url, "SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename) FROM pg_sequences");
  out['(sequences)'] = seq.stdout.trim();
  return out;
}

test('dvk migrate-db moves a second province into a database holding another: new ids where they collide, every reference following, logins renamed only on request, nothing twice', { skip: PG ? false : 'needs DVK_TEST_PG (tests/run.sh, api-pg)' }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-merge-'));
  const url = await createDatabase();
  const nodes = [];
  try {
    const pw = path.join(dir, 'admin.pw');
    await writeFile(pw, 'test-quan-tri-mat-khau-1234\n', { mode: 0o600 });
    // province A: the demo (22 models, ids 1..22, codes DVK-2005-000001 …)
    const fileA = path.join(dir, 'a.db');
    await runDvk(['init', '--db', fileA, '--admin-password-file', pw, '--demo']);
    const tokA = await createToken(fileA, 'admin');
    // province B: the same catalogue plus Hà Nội's Ba Đình, its own administrator "admin"
    // and officer, its own models (ids 1.., codes that A holds already)
    const fileB = path.join(dir, 'b.db');
    await runDvk(['init', '--db', fileB, '--admin-password-file', pw]);
    const demo24 = await readFile('data/demo/units-2024.csv', 'utf8');
    const hn = ['01,Thành phố Hà Nội,city,,1', '001,Quận Ba Đình,urban_district,01,2', '00001,Phường Phúc Xá,ward,001,3',
      '00004,Phường Trúc Bạch,ward,001,3', '00006,Phường Vĩnh Phúc,ward,001,3'];
    await writeFile(path.join(dir, 'b-2024.csv'), `${demo24.trimEnd()}\n${hn.join('\n')}\n`);
    await runDvk(['units', 'import', '--db', fileB, '--hierarchy', '2024', path.join(dir, 'b-2024.csv')]);
    await runDvk(['units', 'import', '--db', fileB, '--hierarchy', '2025', 'data/demo/units-2025.csv']);
    await runDvk(['units', 'import', '--db', fileB, '--mapping', 'data/demo/mapping.csv']);
    await writeFile(path.join(dir, 'canbo.pw'), 'mat-khau-can-bo-phuc-xa-77\n', { mode: 0o600 });
    await runDvk(['user', 'add', '--db', fileB, '--login', 'canbo_phucxa', '--role', 'officer', '--unit', '00001', '--hierarchy', '2024', '--password-file', path.join(dir, 'canbo.pw')]);
    const tokB = await createToken(fileB, 'admin');
    const tokOfficer = await createToken(fileB, 'canbo_phucxa');
    const na = await serveOn(dir, fileA);
    nodes.push(na);
    const nb = await serveOn(dir, fileB, ['--data', path.join(dir, 'files-b')]);
    nodes.push(nb);
    const asA = { Authorization: `Bearer ${tokA}` };
    const asB = { Authorization: `Bearer ${tokB}` };
    const post = async (p, body, headers = asB) => {
      const r = await api(nb.base, 'POST', p, { body, headers });
      assert.ok(r.status === 201 || r.status === 200, `${p}: ${r.status} ${r.text}`);
      return r.json;
    };
    // a model of the officer, with an owner A has too (one owner afterwards), in 2022 (A holds DVK-2022-000001)
    const b1 = await post('/api/v1/models', validModel({ title: 'Tổ tự quản đường phố Phúc Xá', unit_code: '00001', registered_on: '2022-03-01',
      owner: 'Chi bộ thôn An Thiện', tags: ['đô thị văn minh', 'an ninh trật tự'],
      results: [{ year: 2022, indicator: 'households', value: 210 }, { year: 2023, indicator: 'money_vnd', value: 35000000 }] }),
    { Authorization: `Bearer ${tokOfficer}` });
    // a model walked to recognized (events, an appraisal and its scores), replicated, commended, with a photo
    const b2 = await post('/api/v1/models', validModel({ title: 'Phụ nữ Trúc Bạch giữ phố sạch', unit_code: '00004', registered_on: '2024-03-02',
      owner: 'Hội Phụ nữ phường Trúc Bạch', field: 'cultural_social', tags: ['môi trường'],
      results: [{ year: 2024, indicator: 'people', value: 300 }] }));
    setDefaultToken(tokB); // walk() acts as the default token's holder
    await walk(nb.base, b2.id, ['selected', 'implementing', 'APPRAISAL', 'recognized']);
    setDefaultToken('');
    await post(`/api/v1/models/${b2.id}/replications`, { hierarchy: 2024, unit_code: '00001', since: '2024-09-01', replica_model_id: b1.id, note: 'nhân rộng' });
    const conf = await post('/api/v1/conferences', { title: 'Sơ kết Dân vận khéo quận Ba Đình', kind: 'interim', span_years: 2, hierarchy: 2024, unit_code: '001', level: 'district', held_on: '2024-12-10', period_from: '2023-01-01', period_to: '2024-12-31' });
    await post('/api/v1/awards', { event_id: conf.id, recipient_type: 'model', model_id: b2.id, form: 'certificate', issuer: 'Chủ tịch UBND quận Ba Đình', decision_no: '15/QĐ-UBND', decision_date: '2024-12-10' });
    const bnd = 'dvkMergeBoundary';
    const mp = Buffer.from(`--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="bien-ban.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${bnd}--\r\n`);
    const att = await api(nb.base, 'POST', `/api/v1/models/${b2.id}/attachments`, { body: mp, headers: { ...asB, 'Content-Type': `multipart/form-data; boundary=${bnd}` } });
    assert.equal(att.status, 201, att.text);
    // a person as owner A has too, in a province A has models in, in 2021
    // (sent with an Idempotency-Key: the key moves with its user and model)
    const b3body = validModel({ title: 'Ông Nghiêm và con đường bê tông', unit_code: '20368', registered_on: '2021-06-01',
      owner: 'Ông Hồ Văn Nghiêm', owner_type: 'person', kind: 'individual', tags: [], results: [] });
    const b3 = await post('/api/v1/models', b3body, { ...asB, 'Idempotency-Key': 'b3-mot-lan' });
    const bModels = [b1.id, b2.id, b3.id];
    assert.deepEqual(bModels, [1, 2, 3], 'B\'s ids are A\'s too');
    assert.equal(b1.code, 'DVK-2022-000001');

    // what each province answers before the move
    const read = async (base, headers, id) => {
      const out = {};
      for (const p of ['', '/history', '/appraisals', '/replications', '/awards', '/attachments']) {
        const r = await api(base, 'GET', `/api/v1/models/${id}${p}`, { headers });
        assert.equal(r.status, 200, `${p}: ${r.text}`);
        out[p || 'model'] = r.json;
      }
      // the scores of an appraisal in the order of their codes (SQLite answers in the order they were written)
      for (const a of out['/appraisals'].items) a.scores?.sort((x, y) => (x.code < y.code ? -1 : 1));
      const au = await api(base, 'GET', `/api/v1/audit?entity=model&entity_id=${id}`, { headers });
      assert.equal(au.status, 200, au.text);
      // the entries' JSON bodies are history: kept as written, in the source's ids
      out.audit = au.json.items.map(({ id: _, before, after, ...rest }) => rest);
      return out;
    };
    const REPORTS = ['summary', 'by_unit', 'by_level', 'results', 'commendation', 'replication', 'timeseries'];
    const reports = async (base, headers, unit) => {
      const out = {};
      for (const name of REPORTS) {
        const r = await api(base, 'GET', `/api/v1/reports/${name}?hierarchy=2024&unit=${unit}&lang=en`, { headers });
        assert.equal(r.status, 200, `${name} ${unit}: ${r.text}`);
        out[name] = r.json;
      }
      return out;
    };
    const beforeB = {};
    for (const id of bModels) beforeB[id] = await read(nb.base, asB, id);
    const beforeA = {};
    for (const id of [1, 2, 7, 22]) beforeA[id] = await read(na.base, asA, id);
    const reportsB = await reports(nb.base, asB, '01');
    const reportsA = {};
    for (const p of ['24', '25', '37']) reportsA[p] = await reports(na.base, asA, p);
    const originB = (await sqlJson(fileB, 'SELECT id FROM store_origin'))[0].id;

    // A into the empty database: ids and codes kept
    const a1 = await migrate(fileA, url);
    assert.equal(a1.code, 0, a1.stderr + a1.stdout);
    assert.match(a1.stdout, /^models +22 rows +22 copied +([0-9a-f]{16}) \1 +same$/m);

    // B: its "admin" is not A's: refused, listed, nothing written
    const state0 = await targetState(url);
    const refused = await migrate(fileB, url);
    assert.equal(refused.code, 1, refused.stderr + refused.stdout);
    assert.match(refused.stderr, /--rename-users SUFFIX/);
    assert.match(refused.stderr, /^ {2}admin$/m);
    assert.doesNotMatch(refused.stderr, /canbo_phucxa/);
    assert.deepEqual(await targetState(url), state0, 'a refused move writes nothing');
    // a copy of B whose shared catalogue differs from the target's: refused, nothing written
    const fileB2 = path.join(dir, 'b2.db');
    await copyFile(fileB, fileB2);
    await sqlOk(fileB2, "UPDATE indicators SET name = 'Số hộ tham gia' WHERE code = 'households'; UPDATE units SET name = 'Tỉnh Quảng Nam (cũ)' WHERE hierarchy = 2024 AND code = '49';");
    const conflict = await migrate(fileB2, url, ['--rename-users', '_b']);
    assert.equal(conflict.code, 1, conflict.stderr + conflict.stdout);
    assert.match(conflict.stderr, /shared catalogues/);
    assert.match(conflict.stderr, /^ {2}indicators households$/m);
    assert.match(conflict.stderr, /^ {2}units 2024 49$/m);
    assert.deepEqual(await targetState(url), state0, 'a refused move writes nothing');
    // a suffix that makes no login is refused before anything
    const badSuffix = await migrate(fileB, url, ['--rename-users', 'Ư']);
    assert.equal(badSuffix.code, 2, badSuffix.stderr);

    // B with its taken logins renamed
    const b = await migrate(fileB, url, ['--rename-users', '_b']);
    assert.equal(b.code, 0, b.stderr + b.stdout);
    assert.doesNotMatch(b.stdout, /DIFFERENT/);
    assert.match(b.stdout, /^models +3 rows +3 copied +([0-9a-f]{16}) \1 +same$/m);
    assert.match(b.stdout, /^owners +3 rows +1 copied +([0-9a-f]{16}) \1 +same$/m, 'two owners are A\'s');
    assert.match(b.stdout, /^units +\d+ rows +5 copied +([0-9a-f]{16}) \1 +same$/m, 'the shared catalogue once, Ba Đình added');
    assert.match(b.stdout, /^indicators +12 rows +0 copied/m);
    assert.match(b.stderr, /^ {2}admin admin_b$/m);
    assert.match(b.stdout, / 3 new model codes, 2 owners merged/);

    // every row of both, references intact
    const count = async (t) => Number((await psql(url, `SELECT count(*) FROM ${t}`)).stdout.trim());
    const countLite = async (f, t) => (await sqlJson(f, `SELECT count(*) AS n FROM ${t}`))[0].n;
    for (const t of ['models', 'model_tags', 'model_results', 'model_events', 'appraisals', 'appraisal_scores', 'replications', 'commendation_events', 'awards', 'attachments', 'audit', 'api_tokens', 'users', 'model_submissions']) {
      assert.equal(await count(t), await countLite(fileA, t) + await countLite(fileB, t), t);
    }
    const moved = await sqlJson(url, `SELECT tbl, old_id, new_id, old_key, new_key FROM moved_rows WHERE origin = '${originB}'`);
    const idOf = (tbl, old) => {
      const r = moved.find((x) => x.tbl === tbl && Number(x.old_id) === Number(old));
      assert.ok(r, `${tbl} ${old} is in moved_rows`);
      return Number(r.new_id);
    };
    const codeOf = (old) => moved.find((x) => x.tbl === 'models' && x.old_key === old).new_key;
    const login = (l) => (l === 'admin' ? 'admin_b' : l);
    const np = await serveOn(dir, url, ['--data', path.join(dir, 'files-b')]);
    nodes.push(np);
    // B's admin token works on the shared database, as admin_b
    const me = await api(np.base, 'GET', '/api/v1/me', { headers: asB });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.login, 'admin_b');
    const replay = await api(np.base, 'POST', '/api/v1/models', { body: b3body, headers: { ...asB, 'Idempotency-Key': 'b3-mot-lan' } });
    assert.equal(replay.status, 200, `the key did not follow its model: ${replay.status} ${replay.text}`);
    assert.equal(replay.json.id, idOf('models', 3));
    for (const id of bModels) {
      const nid = idOf('models', id);
      assert.ok(nid > 22, `B's model ${id} is ${nid} now`);
      const want = structuredClone(beforeB[id]);
      want.model.id = nid;
      assert.notEqual(codeOf(want.model.code), want.model.code, 'A held the code');
      want.model.code = codeOf(want.model.code);
      for (const e of want['/history'].items) Object.assign(e, { login: login(e.login) });
      // a field of the source's answer, as the target must answer it
      const remap = (e, table) => {
        const to = { id: table, model_id: 'models', replica_model_id: 'models', event_id: 'commendation_events', appraisal_id: 'appraisals' };
        for (const [k, t] of Object.entries(to)) if (k in e && e[k] !== null) e[k] = idOf(t, e[k]);
        if ('login' in e) e.login = login(e.login);
        if (e.entity === 'model' && 'entity_id' in e) e.entity_id = typeof e.entity_id === 'string' ? String(nid) : nid;
        return e;
      };
      for (const e of want['/appraisals'].items) remap(e, 'appraisals');
      for (const e of want['/replications'].items) remap(e, 'replications');
      want['/replications'].replica_of = want['/replications'].replica_of.map((x) => idOf('models', x));
      for (const e of want['/awards'].items) remap(e, 'awards');
      for (const e of want['/attachments'].items) remap(e, 'attachments');
      for (const e of want.audit) remap(e, null);
      // found by its new code
      const found = await api(np.base, 'GET', `/api/v1/models?q=${encodeURIComponent(want.model.code)}&limit=5`, { headers: asB });
      assert.deepEqual(found.json.items.map((x) => x.id), [nid], `search ${want.model.code}`);
      const got = await read(np.base, asB, nid);
      for (const e of got['/history'].items) assert.ok(e.id > 0);
      const stripEvents = (x) => { x['/history'].items = x['/history'].items.map(({ id: _, ...rest }) => rest); return x; };
      assert.deepEqual(stripEvents(got), stripEvents(want), `B's model ${id}`);
    }
    // A's rows as they were: same ids, same answers
    for (const id of Object.keys(beforeA)) assert.deepEqual(await read(np.base, asA, id), beforeA[id], `A's model ${id}`);
    // reports per province: B's Hà Nội, A's provinces where B has no model
    assert.deepEqual(await reports(np.base, asB, '01'), reportsB, 'B\'s province');
    for (const p of Object.keys(reportsA)) assert.deepEqual(await reports(np.base, asA, p), reportsA[p], `A's province ${p}`);
    // every code's counter is at or past it; a new model of 2022 takes a code nobody holds
    const behind = await sqlJson(url, "SELECT m.code FROM models m LEFT JOIN code_counters c ON c.year = substr(m.code, 5, 4)::int WHERE c.last IS NULL OR c.last < substr(m.code, 10)::int");
    assert.deepEqual(behind, []);
    const n22 = await api(np.base, 'POST', '/api/v1/models', { headers: asB, body: validModel({ title: 'Mô hình mới năm 2022', unit_code: '00004', registered_on: '2022-08-01' }) });
    assert.equal(n22.status, 201, n22.text);

    // a failure halfway (a copy of A given an origin of its own: its token's hash is the
    // target's already, found only when its api_tokens go in, after models and users): nothing written
    const fileA2 = path.join(dir, 'a2.db');
    await copyFile(fileA, fileA2);
    await sqlOk(fileA2, 'UPDATE store_origin SET id = lower(hex(randomblob(16)));');
    const stateHalf = await targetState(url);
    const half = await migrate(fileA2, url, ['--rename-users', '_c']);
    assert.equal(half.code, 1, half.stderr + half.stdout);
    assert.match(half.stderr, /api_tokens: .*duplicate key/);
    assert.match(half.stderr, /The move failed; nothing was changed/);
    assert.deepEqual(await targetState(url), stateHalf, 'a move that fails halfway writes nothing');

    // again, both: nothing copied, nothing changed (B's admin known as admin_b now, without the option too)
    await sqlOk(url, `DELETE FROM model_tags WHERE model_id = ${n22.json.id}; DELETE FROM model_results WHERE model_id = ${n22.json.id};`);
    const state1 = await targetState(url);
    for (const [f, more] of [[fileB, ['--rename-users', '_b']], [fileB, []], [fileA, []]]) {
      const again = await migrate(f, url, more);
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, / 0 copied now; both sides hold the same rows$/m);
      assert.deepEqual(await targetState(url), state1, `${f} ${more}: nothing changed`);
    }
  } finally {
    setDefaultToken('');
    for (const n of nodes) await n.stop();
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(url);
  }
});

test('dvk migrate-db: missing or wrong arguments are refused', async () => {
  for (const args of [[], ['--from', 'sqlite:x.db'], ['--from', 'sqlite:x.db', '--to', 'x.db']]) {
    const r = await runDvkStatus(['migrate-db', ...args]);
    assert.equal(r.code, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, /^dvk migrate-db: /);
  }
});
