// report_xlsx.test.mjs: reports as the XLSX an office hands in (issue 6).
//
// For several reports, in Vietnamese and English, through the API and through
// `dvk report`, LibreOffice (headless) reads the XLSX and converts it to CSV; its table
// part must equal dvk's own CSV of the same report cell by cell (labels as text,
// numbers as numbers: dvk writes "2.500.000.000" and "4,6" in Vietnamese, LibreOffice
// "2,500,000,000" and "4.6"). The heading block (36-HD/VPTW: issuing body, "*",
// "Số 12-BC/BDVTU", "ĐẢNG CỘNG SẢN VIỆT NAM", place and date) and the title are checked
// on their own, and the file's XML for the frozen header, number formats, the bold
// totals row and the print setup. Runs on the demo database, with replications added
// so that coverage has decimals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, runDvk, runDvkStatus, ROOT } from '../lib/server.mjs';
import { api, assertError } from '../lib/http.mjs';
import { csvRows, parseCsv } from '../lib/data.mjs';
import { libreofficeCsv, readXlsx, ref } from '../lib/xlsx.mjs';

let srv;
let dir;
const PERIOD = 'from=2015-01-01&to=2026-12-31&status=all';
const PERIOD_ARGS = ['--from', '2015-01-01', '--to', '2026-12-31', '--status', 'all'];

/* The cases: a report, its unit and hierarchy, and what the file must show. */
const CASES = [
  { name: 'summary', hierarchy: 2024, unit: '49', number: '12' },        // inferred Party heading of a province
  { name: 'by_unit', hierarchy: 2024, unit: '502', number: '5' },        // a "not assigned" row; a stored state heading
  { name: 'results', hierarchy: 2025 },                                   // two tables, decimal sums, the country
  { name: 'replication', hierarchy: 2025 },                               // percentages
  { name: 'commendation', hierarchy: 2024, unit: '49' },
  { name: 'by_level', hierarchy: 2025, unit: '25' },
  { name: 'timeseries', hierarchy: 2025 },
];
const LANGS = ['vi', 'en'];

const qs = (c, lang, format) => `/api/v1/reports/${c.name}?${PERIOD}&hierarchy=${c.hierarchy}` +
  `${c.unit ? `&unit=${c.unit}` : ''}&format=${format}&lang=${lang}${c.number && format === 'xlsx' ? `&number=${c.number}` : ''}`;
const cliArgs = (c, lang, format, out) => ['report', c.name, '--db', srv.dbPath, ...PERIOD_ARGS, '--hierarchy', String(c.hierarchy),
  ...(c.unit ? ['--unit', c.unit] : []), '--format', format, '--lang', lang, '--out', out,
  ...(c.number && format === 'xlsx' ? ['--number', c.number] : [])];

/* GET with the administrator's token, as bytes. */
async function getBytes(p) {
  const r = await fetch(srv.base + p, { headers: { Authorization: `Bearer ${srv.adminToken}` }, signal: AbortSignal.timeout(30000) });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

/* A number as dvk writes it in lang ("1.234,5" vi, "1,234.5" en), or NaN. */
function dvkNumber(s, lang) {
  const t = lang === 'en' ? s.replace(/,/g, '') : s.replace(/\./g, '').replace(/[\u00a0 ]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}
/* A number as LibreOffice shows it in en-US ("1,234.5", with the format's trailing space), or NaN. */
function loNumber(s) {
  const t = s.trim().replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

const trimRow = (r) => {
  const x = [...r];
  while (x.length && x[x.length - 1] === '') x.pop();
  return x;
};
const nonEmpty = (rows) => rows.map(trimRow).filter((r) => r.length);

/* Today's date in Vietnam (UTC+7), as YYYY-MM-DD. */
const vnToday = () => new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
/* The date line: "Quảng Nam, ngày 05 tháng 4 năm 2025" (36-HD: days below 10 and months 1, 2 with a zero). */
function dateLine(place, day, lang) {
  const [y, m, d] = day.split('-');
  if (lang === 'vi') return `${place}, ngày ${d} tháng ${Number(m) <= 2 ? m : String(Number(m))} năm ${y}`;
  return `${place}, ${d}/${m}/${y}`;
}

/* Compares LibreOffice's rows of an XLSX with dvk's CSV of the same report; checks the
 * heading block against h ({superior, body, symbol, place, style}) and number. */
function compare(lo, csvText, lang, h, number, days, what) {
  const csv = csvRows(csvText);
  const rows = lo.map(trimRow);
  // ---- the heading block: rows 0..3, left half from column 0, right half after it
  const right = (r) => rows[r].slice(1).filter((x) => x !== '');
  assert.equal(rows[0][0], h.superior, `${what}: superior body`);
  assert.equal(rows[1][0], h.body, `${what}: issuing body`);
  const no = number || '';
  if (h.style === 'state') {
    assert.deepEqual(right(0), [lang === 'vi' ? 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' : 'SOCIALIST REPUBLIC OF VIETNAM'], `${what}: motto`);
    assert.deepEqual(right(1), [lang === 'vi' ? 'Độc lập - Tự do - Hạnh phúc' : 'Independence - Freedom - Happiness'], `${what}: motto`);
    assert.match(rows[3][0], new RegExp(`^${lang === 'vi' ? 'Số' : 'No\\.'}: +${no}/BC-${h.symbol}$`), `${what}: number line`);
    assert.ok(days.some((d) => right(3)[0] === dateLine(h.place, d, lang)), `${what}: date line ${right(3)[0]}`);
  } else {
    assert.deepEqual(right(0), [lang === 'vi' ? 'ĐẢNG CỘNG SẢN VIỆT NAM' : 'COMMUNIST PARTY OF VIETNAM'], `${what}: Party heading`);
    assert.ok(days.some((d) => right(1)[0] === dateLine(h.place, d, lang)), `${what}: date line ${right(1)[0]}`);
    assert.equal(rows[2][0], '*', `${what}: the asterisk under the body`);
    // "Số 12-BC/BDVTU": no colon in the Party's format
    assert.match(rows[3][0], new RegExp(`^${lang === 'vi' ? 'Số' : 'No\\.'} +${no}-BC/${h.symbol}$`), `${what}: number line`);
  }
  // ---- the title: BÁO CÁO, the report's title and its unit and period, as the CSV's first lines
  const k = rows.findIndex((r) => r[0] === (lang === 'vi' ? 'BÁO CÁO' : 'REPORT'));
  assert.ok(k > 3, `${what}: the document type line`);
  assert.deepEqual(rows[k + 1], csv[0], `${what}: title`);
  assert.deepEqual(rows[k + 2], csv[1], `${what}: unit and period`);
  // ---- the tables, cell by cell
  const mine = nonEmpty(rows.slice(k + 3));
  const theirs = nonEmpty(csv.slice(2));
  assert.equal(mine.length, theirs.length, `${what}: rows\n${JSON.stringify(mine)}\n${JSON.stringify(theirs)}`);
  let numbers = 0;
  for (let i = 0; i < theirs.length; i++) {
    assert.equal(mine[i].length, theirs[i].length, `${what}: cells of row ${i}: ${mine[i]} / ${theirs[i]}`);
    for (let j = 0; j < theirs[i].length; j++) {
      const want = dvkNumber(theirs[i][j], lang);
      if (j > 0 && !Number.isNaN(want)) {
        assert.equal(loNumber(mine[i][j]), want, `${what}: row ${i} column ${j}: ${mine[i][j]} / ${theirs[i][j]}`);
        numbers++;
      } else {
        assert.equal(mine[i][j], theirs[i][j], `${what}: row ${i} column ${j}`);
      }
    }
  }
  assert.ok(numbers > 0, `${what}: some numbers compared`);
}

/* The heading dvk shows for a unit (dvk heading show). */
async function heading(hierarchy, unit) {
  const { stdout } = await runDvk(['heading', 'show', '--db', srv.dbPath, '--hierarchy', String(hierarchy), ...(unit ? ['--unit', unit] : [])]);
  return Object.fromEntries(stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
}

const files = []; // { what, lang, case, xlsx (path), csv (text), heading, source }
let lo;            // LibreOffice's rows, per file
let days;

before(async () => {
  srv = await startServer({ demo: true });
  dir = await mkdtemp(path.join(tmpdir(), 'dvk-rx-'));
  days = [vnToday()];

  // replications, so that coverage is a fraction: a recognized demo model of the 2025
  // province 24 (Bắc Ninh) spread to two other communes of it
  const all = await api(srv.base, 'GET', '/api/v1/models?limit=200&hierarchy=2025&unit=24&status=recognized');
  assert.equal(all.status, 200, all.text);
  const model = all.json.items[0];
  assert.ok(model, 'a recognized demo model in Bắc Ninh');
  const units25 = parseCsv(readFileSync(path.join(ROOT, 'data', 'demo', 'units-2025.csv'), 'utf8'));
  let added = 0;
  for (const u of units25.filter((x) => x.parent_code === '24' && x.level === '2')) {
    if (added === 2) break;
    const r = await api(srv.base, 'POST', `/api/v1/models/${model.id}/replications`,
      { body: { hierarchy: 2025, unit_code: u.code, since: '2025-08-01', note: 'nhân rộng' } });
    if (r.status === 422 && r.json.error.fields[0].field === 'unit_code') continue; // the model's own commune
    assert.equal(r.status, 201, r.text);
    added++;
  }

  // a stored heading in the state's format for Tam Kỳ (names are stored in capitals)
  const { stdout } = await runDvk(['heading', 'set', '--db', srv.dbPath, '--hierarchy', '2024', '--unit', '502',
    '--superior', 'Ủy ban nhân dân thành phố Tam Kỳ', '--body', 'Phòng Nội vụ', '--symbol', 'pnv', '--place', 'Tam Kỳ',
    '--style', 'state']);
  assert.match(stdout, /^superior: ỦY BAN NHÂN DÂN THÀNH PHỐ TAM KỲ\nbody: PHÒNG NỘI VỤ\nsymbol: PNV\nplace: Tam Kỳ\nstyle: state$/m);

  // every case through the API, and four through the command line
  for (const c of CASES) {
    const h = await heading(c.hierarchy, c.unit);
    for (const lang of LANGS) {
      const x = await getBytes(qs(c, lang, 'xlsx'));
      assert.equal(x.status, 200, `${c.name} ${lang}: ${x.bytes.toString('utf8').slice(0, 300)}`);
      assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.equal(x.headers.get('content-disposition'), `attachment; filename="dvk-${c.name}.xlsx"`);
      assert.equal(x.headers.get('cache-control'), 'private, no-store');
      const xlsx = path.join(dir, `api-${c.name}-${lang}.xlsx`);
      await writeFile(xlsx, x.bytes);
      const csv = await getBytes(qs(c, lang, 'csv'));
      assert.equal(csv.status, 200);
      files.push({ what: `API ${c.name} ${lang}`, lang, c, xlsx, csv: csv.bytes.toString('utf8'), heading: h });
      if (VIA_CLI.includes(c.name)) {
        const cx = path.join(dir, `cli-${c.name}-${lang}.xlsx`);
        const cc = path.join(dir, `cli-${c.name}-${lang}.csv`);
        await runDvk(cliArgs(c, lang, 'xlsx', cx));
        await runDvk(cliArgs(c, lang, 'csv', cc));
        files.push({ what: `CLI ${c.name} ${lang}`, lang, c, xlsx: cx, csv: await readFile(cc, 'utf8'), heading: h });
      }
    }
  }
  days.push(vnToday()); // the files were dated between the two
  lo = await libreofficeCsv(files.map((f) => f.xlsx));
});
after(async () => {
  if (srv) await srv.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const VIA_CLI = ['summary', 'by_unit', 'results', 'replication'];
for (const c of CASES) {
  for (const lang of LANGS) {
    for (const via of VIA_CLI.includes(c.name) ? ['API', 'CLI'] : ['API']) {
      const what = `${via} ${c.name} ${lang}`;
      test(`LibreOffice reads the XLSX as the CSV, cell by cell, and the heading block: ${what}`, () => {
        const i = files.findIndex((f) => f.what === what);
        assert.ok(i >= 0 && lo[i], what);
        compare(lo[i], files[i].csv, lang, files[i].heading, c.number, days, what);
      });
    }
  }
}

test('the data the comparison rests on: a not-assigned row, decimal sums, percentages', () => {
  const csv = (what) => csvRows(files.find((f) => f.what === what).csv);
  assert.ok(csv('API by_unit vi').some((r) => r[0] === 'Chưa xác định'), 'by_unit 502 has its not-assigned row');
  assert.ok(csv('API by_unit en').some((r) => r[0] === 'Not assigned'));
  assert.ok(csv('API results vi').some((r) => r.includes('4,6')), 'results have a decimal sum');
  assert.ok(csv('API results vi').some((r) => r.includes('2.500.000.000')), 'results have thousands');
  const rep = csv('CLI replication en');
  // a coverage that is not a whole percentage (the demo's replications and the two above)
  assert.ok(rep.some((r) => r[0] === 'Tỉnh Bắc Ninh' && /^\d+\.\d+$/.test(r[3])), `a decimal coverage: ${JSON.stringify(rep)}`);
});

test('the inferred and the stored headings are the ones the files carry', () => {
  const h = (what) => files.find((f) => f.what === what).heading;
  assert.deepEqual(h('API summary vi'), { superior: 'TỈNH ỦY QUẢNG NAM', body: 'BAN DÂN VẬN', symbol: 'BDVTU', place: 'Quảng Nam', style: 'party' });
  assert.deepEqual(h('API results vi'), { superior: 'BAN CHẤP HÀNH TRUNG ƯƠNG', body: 'BAN TUYÊN GIÁO VÀ DÂN VẬN', symbol: 'BTGDVTW', place: 'Hà Nội', style: 'party' });
  assert.equal(h('API by_unit vi').style, 'state');
});

test('the XLSX freezes its header, formats numbers, bolds the totals and prints on A4', async () => {
  for (const f of files.filter((x) => x.what.startsWith('API'))) {
    const x = readXlsx(await readFile(f.xlsx));
    // the first table's header row: the row whose first cell is the CSV's header label
    const csv = nonEmpty(csvRows(f.csv).slice(2));
    const headLabel = csv[f.c.name === 'results' || f.c.name === 'commendation' ? 1 : 0][0];
    const headRow = [...x.cells.entries()].find(([r, c]) => /^A\d+$/.test(r) && c.v === headLabel)[0].slice(1);
    assert.match(x.sheet, new RegExp(`<pane ySplit="${headRow}" topLeftCell="A${Number(headRow) + 1}" activePane="bottomLeft" state="frozen"/>`), f.what);
    assert.equal(x.cell(`A${headRow}`).style.bold, true, `${f.what}: bold header`);
    // totals rows: bold label and numbers; every number cell shows its decimals, no more
    const total = f.lang === 'vi' ? 'Tổng số' : 'Total';
    const totals = [...x.cells.entries()].filter(([r, c]) => /^A\d+$/.test(r) && c.v === total && Number(r.slice(1)) > Number(headRow));
    assert.ok(totals.length >= 1, `${f.what}: a totals row`);
    for (const [r] of totals) {
      const row = Number(r.slice(1));
      assert.equal(x.cell(`A${row}`).style.bold, true, `${f.what}: bold totals label`);
      assert.equal(x.cell(ref(row - 1, 1)).style.bold, true, `${f.what}: bold total`);
      assert.equal(x.cell(ref(row - 1, 1)).t, undefined, `${f.what}: a total is a number`);
    }
    for (const [r, c] of x.cells) {
      if (typeof c.v !== 'number' || r.startsWith('A')) continue;
      assert.equal(c.style.numFmt, Number.isInteger(c.v) ? '#,##0_)' : '#,##0.0#_)', `${f.what} ${r}: ${c.v}`);
      assert.equal(Math.round(c.v * 100) / 100, c.v, `${f.what} ${r}: at most the CSV's two decimals`);
    }
    assert.match(x.sheet, /<pageSetup paperSize="9"[^>]*fitToHeight="0"/, `${f.what}: A4, one page wide`);
    assert.match(x.text('xl/workbook.xml'), new RegExp(`<definedName name="_xlnm.Print_Titles"[^>]*>[^<]*\\$${headRow}:\\$${headRow}<`), `${f.what}: header repeated on each page`);
    assert.match(x.text('xl/workbook.xml'), /<sheet name="[^"[\]:*?/\\]{1,31}"/, `${f.what}: a valid sheet name`);
  }
});

test('the not-assigned row is in italics', async () => {
  const x = readXlsx(await readFile(files.find((f) => f.what === 'API by_unit vi').xlsx));
  const [r] = [...x.cells.entries()].find(([k, c]) => k.startsWith('A') && c.v === 'Chưa xác định');
  assert.equal(x.cell(r).style.italic, true);
});

test('bad input: a clear error and no file', async () => {
  assertError(await api(srv.base, 'GET', `/api/v1/reports/summary?format=pdf`), 400);
  let r = await api(srv.base, 'GET', `/api/v1/reports/summary?format=xlsx&number=12a`);
  assertError(r, 400);
  assert.equal(r.json.error.field, 'number');
  r = await api(srv.base, 'GET', `/api/v1/reports/summary?format=xlsx&number=1234567`);
  assert.equal(r.json.error.field, 'number');
  assertError(await api(srv.base, 'GET', `/api/v1/reports/nope?format=xlsx`), 404);
  r = await api(srv.base, 'GET', `/api/v1/reports/summary?format=xlsx&unit=99999`);
  assertError(r, 400);
  assert.equal(r.json.error.field, 'unit');

  const out = path.join(dir, 'bad.xlsx');
  const db = ['--db', srv.dbPath];
  let c = await runDvkStatus(['report', 'summary', ...db, '--format', 'xlsx']);
  assert.equal(c.code, 2, 'xlsx needs --out');
  c = await runDvkStatus(['report', 'summary', ...db, '--format', 'xlsx', '--out', out, '--number', 'mười', '--lang', 'en']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--number: The number is 1 to 6 digits\./);
  c = await runDvkStatus(['report', 'summary', ...db, '--format', 'xlsx', '--out', path.join(dir, 'no', 'such', 'dir.xlsx'), '--lang', 'en']);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /The file could not be written\./);

  c = await runDvkStatus(['heading', 'set', ...db, '--hierarchy', '2024', '--unit', '49', '--body', 'Ban Dân vận', '--place', 'Tam Kỳ', '--style', 'royal', '--lang', 'en']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--style: Unknown value\./);
  c = await runDvkStatus(['heading', 'set', ...db, '--hierarchy', '2024', '--unit', '49', '--body', '', '--place', 'Tam Kỳ', '--symbol', 'BDV/TU', '--lang', 'en']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--body: Name the issuing body\./);
  assert.match(c.stderr, /--symbol: A symbol is one word/);
  c = await runDvkStatus(['heading', 'set', ...db, '--hierarchy', '2024', '--unit', '99999', '--body', 'X', '--place', 'Y', '--lang', 'en']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /--unit: Unknown unit\./);
  c = await runDvkStatus(['heading', 'set', ...db, '--hierarchy', '2026', '--body', 'X', '--place', 'Y', '--lang', 'en']);
  assert.equal(c.code, 2);
  // nothing of those was stored: Quảng Nam keeps its inferred heading
  const h = await runDvk(['heading', 'show', ...db, '--hierarchy', '2024', '--unit', '49', '--lang', 'en']);
  assert.match(h.stdout, /^body: BAN DÂN VẬN$/m);
  assert.match(h.stderr, /Not stored: inferred from the unit's name\./);
});
