// xlsx.mjs: reading the workbooks dvk writes, for the report tests: the parts of the
// file (a small ZIP reader: node has zlib but no ZIP), the cells and styles of the
// first sheet, and LibreOffice's own reading of it (headless, converted to CSV).
//
//   const x = readXlsx(bytes);          // { files, sheet, strings, xfs, cells, cell(), text() }
//   x.cell('B12')                       // { v, t, style: { numFmt, bold, italic } } as stored
//   const [rows] = await libreofficeCsv([path]);   // [[cells...]] per file, as LibreOffice shows them
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { csvRows } from './data.mjs';

/* The files of a ZIP archive: name -> Buffer (stored or deflated entries). */
export function unzip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a ZIP file');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(off) !== 0x02014b50) throw new Error('bad ZIP central directory');
    const method = buf.readUInt16LE(off + 10);
    const csize = buf.readUInt32LE(off + 20);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    off += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescape = (s) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);
const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]) : undefined;
};

/* The first sheet of an .xlsx as libxlsxwriter writes it (inline <c> elements, shared strings). */
export function readXlsx(bytes) {
  const files = unzip(bytes);
  const text = (n) => (files.has(n) ? files.get(n).toString('utf8') : '');
  const sheet = text('xl/worksheets/sheet1.xml');
  const stylesXml = text('xl/styles.xml');
  const strings = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const numFmts = new Map([...stylesXml.matchAll(/<numFmt [^>]*>/g)].map((m) => [Number(attr(m[0], 'numFmtId')), attr(m[0], 'formatCode')]));
  const fontsXml = /<fonts[^>]*>([\s\S]*?)<\/fonts>/.exec(stylesXml)[1];
  const fonts = [...fontsXml.matchAll(/<font>([\s\S]*?)<\/font>|<font\/>/g)].map((m) => ({ bold: /<b\/>/.test(m[1] || ''), italic: /<i\/>/.test(m[1] || '') }));
  const xfsXml = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)[1];
  const xfs = [...xfsXml.matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => {
    const numFmtId = Number(attr(m[0], 'numFmtId'));
    const font = fonts[Number(attr(m[0], 'fontId'))] || {};
    return { numFmt: numFmts.get(numFmtId) ?? (numFmtId === 0 ? 'General' : String(numFmtId)), bold: !!font.bold, italic: !!font.italic };
  });
  const cells = new Map();
  for (const m of sheet.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const tag = `<c ${m[1]}>`;
    const ref = attr(tag, 'r');
    const t = attr(tag, 't');
    const vm = /<v>([\s\S]*?)<\/v>/.exec(m[2] || '');
    let v = vm ? vm[1] : undefined;
    if (v !== undefined) v = t === 's' ? strings[Number(v)] : t === 'str' ? unescape(v) : Number(v);
    cells.set(ref, { v, t, style: xfs[Number(attr(tag, 's') || 0)] || {} });
  }
  return { files, sheet, strings, xfs, cells, cell: (ref) => cells.get(ref), text };
}

/* "A1" style reference of a 0-based row and column. */
export function ref(row, col) {
  let s = '';
  for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return `${s}${row + 1}`;
}

/* LibreOffice (Debian's libreoffice-calc) converts each file to CSV as its cells are shown
 * (UTF-8, en-US number formats: "2,500,000,000", "4.6"), with a profile of its own in a
 * temporary folder. Resolves to the rows of each file, in order. */
export async function libreofficeCsv(files) {
  const dir = await mkdtemp(path.join(tmpdir(), 'dvk-lo-'));
  try {
    await new Promise((resolve, reject) => {
      execFile('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`,
        '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', `${dir}/out`, ...files],
      { timeout: 240000, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', LANGUAGE: '' } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`soffice (Debian package libreoffice-calc; make test-deps installs it): ${err.message}\n${stdout}\n${stderr}`));
        else resolve();
      });
    });
    const out = [];
    for (const f of files) {
      const csv = path.join(dir, 'out', `${path.basename(f, '.xlsx')}.csv`);
      out.push(csvRows(await readFile(csv, 'utf8')));
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
