// data.mjs: reads the shared unit catalogues (../shared/data/*.csv) so that
// tests compare the API with the source files instead of hard-coded counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA } from './server.mjs';

/* RFC 4180 rows (arrays of cells: quotes, doubled quotes, commas and newlines in quotes),
 * a leading byte-order mark dropped. */
export function csvRows(text) {
  text = text.replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/* RFC 4180 CSV with a header line, as objects keyed by the header. */
export function parseCsv(text) {
  const [head, ...body] = csvRows(text);
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

const cache = new Map();
function load(name) {
  if (!cache.has(name)) cache.set(name, parseCsv(readFileSync(path.join(DATA, name), 'utf8')));
  return cache.get(name);
}

/* Units of one hierarchy: [{code, name, type, parent_code, level (number)}]. */
export function units(h) {
  return load(`units-${h}.csv`).map((u) => ({ ...u, level: Number(u.level) }));
}

/* Rows of commune-2024-to-2025-detail.csv. */
export function mappingDetail() {
  return load('commune-2024-to-2025-detail.csv');
}
