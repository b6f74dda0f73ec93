// cli_lang.test.mjs: the command line speaks the user's language (Vietnamese first, English,
// Swedish), chosen by the locale (LC_ALL, LC_MESSAGES, LANG) as for dvk serve; the ids and
// values a script reads stay as they are ("dvk token N:", role names, logins).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDvkStatus } from '../lib/server.mjs';

const env = (lang) => ({ LANG: lang, LC_ALL: '', LC_MESSAGES: '' });
let dir;
let db;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dvk-cli-lang-'));
  db = path.join(dir, 'x.db');
});
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

test('init, user, token and units answer in the locale\'s language', async () => {
  let r = await runDvkStatus(['init', '--db', db, '--demo'], { env: env('sv_SE.UTF-8') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dvk: skapad, med demodata: .*x\.db \(22 modeller\)$/m);
  assert.match(r.stdout, /^dvk: administratörens inloggning: admin {2}lösenord: \S{16} {2}\(visas en gång; spara det\)$/m);
  r = await runDvkStatus(['init', '--db', db], { env: env('vi_VN.UTF-8') });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cơ sở dữ liệu này đã có quản trị viên; không có gì thay đổi/);

  const pw = path.join(dir, 'pw');
  await writeFile(pw, 'mat-khau-rat-dai-12345\n', { mode: 0o600 });
  r = await runDvkStatus(['user', 'add', '--db', db, '--login', 'can.bo', '--role', 'staff', '--unit', '49',
    '--hierarchy', '2024', '--password-file', pw], { env: env('vi_VN.UTF-8') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dvk: người dùng can\.bo: đã thêm$/m);
  r = await runDvkStatus(['user', 'add', '--db', db, '--login', 'x', '--role', 'staff', '--hierarchy', '2030'], { env: env('sv_SE.UTF-8') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--hierarchy måste vara 2024 eller 2025/);

  r = await runDvkStatus(['token', 'create', '--db', db, '--user', 'can.bo'], { env: env('sv_SE.UTF-8') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^dvk token (\d+): för användaren can\.bo, utan utgångsdatum \(visas en gång; håll den hemlig\)$/m);
  r = await runDvkStatus(['token', 'revoke', '--db', db, '--id', '999'], { env: env('en_GB.UTF-8') });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^dvk token: 999: no active token has this id$/m);

  r = await runDvkStatus(['units', 'import', '--db', db, '--hierarchy', '2024', path.join(dir, 'khong-co.csv')], { env: env('vi_VN.UTF-8') });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /khong-co\.csv: không đọc được tệp/);
});

test('usage, help and unknown commands are translated', async () => {
  let r = await runDvkStatus(['token', '--help'], { env: env('vi_VN.UTF-8') });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^cách dùng: dvk token create /);
  assert.match(r.stdout, /chỉ lưu mã băm SHA-256/);
  r = await runDvkStatus([], { env: env('sv_SE.UTF-8') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^användning: dvk COMMAND/);
  assert.match(r.stderr, /backup --db PATH --out FILE +en kontrollerad kopia/);
  r = await runDvkStatus(['sao-luu'], { env: env('vi_VN.UTF-8') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dvk: không có lệnh "sao-luu"/);
  r = await runDvkStatus(['user', 'list', '--db', db, '--thua'], { env: env('en_US.UTF-8') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dvk user: unexpected argument "--thua" \(see dvk user --help\)$/m);
  // no locale (or C): Vietnamese
  r = await runDvkStatus(['init'], { env: { LANG: '', LC_ALL: 'C.UTF-8', LC_MESSAGES: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cần có --db PATH/);
});
