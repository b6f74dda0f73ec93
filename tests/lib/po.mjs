// po.mjs: the translations the server renders with (web/po/LANG.po), so that
// browser tests can assert the visible Vietnamese text without copying it.
//
//   const t = translations('vi');  t('Recognized')  // 'Đã công nhận' (the msgid when untranslated)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.mjs';

/* The string of a run of "..." lines of a .po file (C escapes undone). */
function unquote(lines) {
  return lines.map((l) => JSON.parse(l.trim())).join('');
}

/* msgid -> msgstr of web/po/LANG.po (plural and context entries are skipped). */
export function loadPo(lang) {
  const text = readFileSync(path.join(ROOT, 'web', 'po', `${lang}.po`), 'utf8');
  const map = new Map();
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => !l.startsWith('#'));
    let cur = null;
    const parts = { msgid: [], msgstr: [], msgctxt: [], msgid_plural: [] };
    for (const l of lines) {
      const m = /^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+(".*")\s*$/.exec(l);
      if (m) {
        cur = m[1].startsWith('msgstr[') ? 'skip' : m[1];
        if (cur !== 'skip') parts[cur].push(m[2]);
      } else if (/^\s*".*"\s*$/.test(l) && cur && cur !== 'skip') {
        parts[cur].push(l);
      }
    }
    if (!parts.msgid.length || parts.msgctxt.length || parts.msgid_plural.length) continue;
    const id = unquote(parts.msgid);
    const str = unquote(parts.msgstr);
    if (id) map.set(id, str);
  }
  return map;
}

/* A translator: t(msgid) is what the server shows in LANG (the msgid itself when untranslated). */
export function translations(lang) {
  const map = loadPo(lang);
  return (id) => {
    const s = map.get(id);
    return s ? s : id;
  };
}
