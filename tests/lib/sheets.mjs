// sheets.mjs: spreadsheets made for the import tests (CSV written here, XLSX through the
// fixture tool build/tests/mkxlsx), and `dvk import` / the import API run on them.
//
//   const f = await writeCsv(dir, 'a.csv', [['Tên mô hình', 'Mã đơn vị'], ['Mô hình A', '20368']]);
//   const r = await importCli(db, f, { dry: true });   // { code, problems: [lines], ignored, summary }
//   assert.deepEqual(r.problems, [line(7, 'C (Lĩnh vực)', 'Kinh tệ', UNKNOWN_FIELD)]);
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { api } from './http.mjs';
import { ROOT, runDvkStatus } from './server.mjs';

export const MKXLSX = path.join(ROOT, 'build', 'tests', 'mkxlsx');

/* One CSV field: quoted when it must be (delimiter, quote, line break). A Buffer is written
 * as its bytes (for invalid UTF-8); null and undefined are empty. */
function field(v, delim) {
  if (Buffer.isBuffer(v)) return v;
  const s = v === null || v === undefined ? '' : String(v);
  return Buffer.from(/["\r\n]/.test(s) || s.includes(delim) ? `"${s.replace(/"/g, '""')}"` : s, 'utf8');
}

/* CSV bytes of rows (arrays of cells). Options: delim (','), bom (false), eol ('\r\n'). */
export function csv(rows, { delim = ',', bom = false, eol = '\r\n' } = {}) {
  const parts = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  for (const row of rows) {
    row.forEach((c, i) => {
      if (i) parts.push(Buffer.from(delim));
      parts.push(field(c, delim));
    });
    parts.push(Buffer.from(eol));
  }
  return Buffer.concat(parts);
}

/* Writes CSV rows (or bytes as they are) to dir/name; resolves to the path. */
export async function writeCsv(dir, name, rows, opts = {}) {
  const p = path.join(dir, name);
  await writeFile(p, Buffer.isBuffer(rows) || typeof rows === 'string' ? rows : csv(rows, opts));
  return p;
}

/* Writes an .xlsx workbook described as mkxlsx reads it ({sheets: [{name, rows, merges, hidden}]},
 * see tests/tools/mkxlsx.c); resolves to the path. make test builds the tool; a run of
 * tests/run.sh after building only the binaries builds it here. */
export function writeXlsx(dir, name, desc) {
  if (!existsSync(MKXLSX)) execFileSync('make', ['--no-print-directory', 'build/tests/mkxlsx'], { cwd: ROOT, stdio: 'ignore' });
  const p = path.join(dir, name);
  return new Promise((resolve, reject) => {
    const child = execFile(MKXLSX, [p], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`mkxlsx ${name}: ${err.message}\n${stderr}`));
      else resolve(p);
    });
    child.stdin.end(JSON.stringify(desc));
  });
}

/* Lines of `dvk import` that are not problems. */
const NOT_PROBLEM = /^(Column not used|Cột không dùng|Kolumn som inte används): |^(Check only, nothing written|Imported|Nothing imported|Chỉ kiểm tra, chưa ghi gì|Đã nhập|Không nhập gì)[^:]*: /;

/* Runs dvk import; resolves to { code, stdout, stderr, problems (the problem lines, in order),
 * ignored (labels of the columns not used), summary (the last line) }. lang: 'en' unless given;
 * '' gives no --lang, and the locale variables of env (default: none set) decide. */
export async function importCli(db, file, { dry = false, lang = 'en', env = { LC_ALL: '', LC_MESSAGES: '', LANG: '' } } = {}) {
  const args = ['import', '--db', db];
  if (dry) args.push('--dry-run');
  if (lang) args.push('--lang', lang);
  args.push(file);
  const r = await runDvkStatus(args, { env });
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return {
    ...r,
    problems: lines.filter((l) => !NOT_PROBLEM.test(l)),
    ignored: lines.filter((l) => /^(Column not used|Cột không dùng): /.test(l)).map((l) => l.replace(/^[^:]*: /, '')),
    summary: lines[lines.length - 1] || '',
  };
}

/* The summary line of an English run: "Imported: 3 rows, 3 new, 0 updated, 0 unchanged, 0 problems." */
export function summary(kind, rows, created, updated, unchanged, problems) {
  const head = { dry: 'Check only, nothing written', done: 'Imported', none: 'Nothing imported' }[kind];
  return `${head}: ${rows} rows, ${created} new, ${updated} updated, ${unchanged} unchanged, ${problems} problems.`;
}

/* A problem as the English CLI prints it: "Row 7, column C (Field): «x» Message (detail)".
 * row 0 is the file itself (no row, no column). */
export function line(row, column, value, message, detail = '') {
  let s = '';
  if (row > 0) {
    s += `Row ${row.toLocaleString('en-US')}`;
    if (column) s += `, column ${column}`;
    s += ': ';
  }
  if (value) s += `«${value}» `;
  s += message;
  if (detail) s += ` (${detail})`;
  return s;
}

/* The English messages of the importer (its msgids), to write expected problems with. */
export const MSG = {
  field: 'Unknown field: write Kinh tế, Văn hóa - xã hội, Quốc phòng - an ninh or Xây dựng hệ thống chính trị.',
  kind: 'Unknown kind: write Tập thể or Cá nhân.',
  status: 'Unknown status.',
  bool: 'Write x or Có for yes; leave empty or write Không for no.',
  date: 'Not a date: write dd/mm/yyyy.',
  number: 'Not a number.',
  utf8: 'The text is not valid UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel).',
  ambiguous: 'Several units have this name: give the district or the unit code.',
  noName: 'No unit of this name was found in the catalogue.',
  noCode: 'No unit has this code in the catalogue (or not in the province named).',
  split: 'This old commune was split after the 2025 merger: give the new commune.',
  district: 'Districts were abolished on 1 July 2025: give the commune or the province.',
  duplicate: 'The same model is already on another row of the file (row shown).',
  scope: 'This unit is outside your scope.',
  decide: 'Only the committee of this unit records this status.',
  typical: 'Only a recognized model can be typical.',
  noHeader: "No header row was found: one of the first rows must name the columns, at least the model's name (Tên mô hình) and its unit.",
  xls: 'The file is an old .xls workbook or a password-protected one; save it as .xlsx or CSV UTF-8.',
  xlsx: 'The file is not a readable XLSX workbook.',
  unitMissing: 'The unit is missing: give its code or its name.',
};

/* Polls GET url until the job is no longer running; resolves to the last answer's JSON. */
export async function waitJob(base, url, { headers = {}, timeoutMs = 60000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(base, 'GET', url, { headers });
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text}`);
    if (r.json.state !== 'running') return r.json;
    if (Date.now() > deadline) throw new Error(`GET ${url}: still running after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/* POST /api/v1/imports with the file's bytes, then waits for the job: resolves to
 * { post (the 202 answer), job (the finished job's JSON) }. */
export async function apiImport(base, bytes, { name = 'upload.csv', dry = false, headers = {} } = {}) {
  const q = `?dry_run=${dry}&name=${encodeURIComponent(name)}`;
  const post = await api(base, 'POST', `/api/v1/imports${q}`, {
    body: bytes, headers: { 'Content-Type': 'application/octet-stream', ...headers },
  });
  if (post.status !== 202) return { post, job: null };
  return { post, job: await waitJob(base, post.json.url, { headers }) };
}
