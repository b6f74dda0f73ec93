#!/usr/bin/env python3
# po-set.py: sets translations in web/po/*.po from the command line, clearing fuzzy flags.
# Usage: tools/po-set.py LANG 'msgid' 'msgstr' ['msgid' 'msgstr' ...]
import re, sys

def esc(s):
    return s.replace('\\', '\\\\').replace('"', '\\"')

lang, pairs = sys.argv[1], sys.argv[2:]
tr = {esc(pairs[i]): esc(pairs[i + 1]) for i in range(0, len(pairs), 2)}
path = f'web/po/{lang}.po'
entries = open(path, encoding='utf-8').read().split('\n\n')
done = set()
for k, e in enumerate(entries):
    m = re.search(r'^msgid "(.*)"$', e, re.M)
    if not m or m.group(1) not in tr:
        continue
    keep, skip = [], False
    for line in e.split('\n'):
        if line.startswith('#|'):
            continue
        if line.startswith('#, '):
            flags = [f for f in line[3:].split(', ') if f != 'fuzzy']
            if not flags:
                continue
            line = '#, ' + ', '.join(flags)
        if line.startswith('msgstr'):
            skip = True
            continue
        if skip and line.startswith('"'):
            continue
        skip = False
        keep.append(line)
    keep.append('msgstr "%s"' % tr[m.group(1)])
    entries[k] = '\n'.join(keep)
    done.add(m.group(1))
open(path, 'w', encoding='utf-8').write('\n\n'.join(entries))
missing = set(tr) - done
if missing:
    sys.exit('po-set: not in %s: %s' % (path, ', '.join(sorted(missing))))
