#!/bin/sh
# i18n-check.sh: fails (exit 1) and lists the msgids if web/po/vi.po or
# web/po/sv.po has an untranslated or fuzzy entry or does not pass
# `msgfmt --check`; otherwise prints a one-line summary.
# When web/po/dvk.pot exists, msgids of the template that a catalogue does not
# have yet count as untranslated (run tools/i18n-extract.sh to merge them).
# POSIX sh; needs GNU gettext (msgfmt, msgattrib, msgmerge).
set -u
cd "$(dirname "$0")/.." || exit 2

po_dir=web/po
pot=${POT:-$po_dir/dvk.pot}
tmp=$(mktemp "${TMPDIR:-/tmp}/dvk-i18n.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# Prints the msgids of a PO file, one per line (header left out).
list_msgids() {
    awk '
        function out() { if (inid && id != "") print "    " id; inid = 0; id = "" }
        /^msgid / { out(); s = $0; sub(/^msgid "/, "", s); sub(/"$/, "", s); id = s; inid = 1; next }
        /^"/ && inid { s = $0; sub(/^"/, "", s); sub(/"$/, "", s); id = id s; next }
        { out() }
        END { out() }
    '
}

failed=0
summary=""
for lang in vi sv; do
    po=$po_dir/$lang.po
    if [ ! -s "$po" ]; then
        echo "i18n-check: $po is missing or empty" >&2
        failed=1
        continue
    fi
    if ! msgfmt --check -o /dev/null "$po"; then
        echo "i18n-check: $po does not pass msgfmt --check" >&2
        failed=1
        continue
    fi
    # What the catalogue would be once merged with the template: new msgids
    # show up untranslated (no fuzzy matching, so nothing is guessed).
    if [ -f "$pot" ]; then
        msgmerge --quiet --no-fuzzy-matching -o "$tmp" "$po" "$pot" || { failed=1; continue; }
    else
        cp "$po" "$tmp"
    fi
    stats=$(LC_ALL=C msgfmt --statistics --check -o /dev/null "$tmp" 2>&1) || { echo "$stats" >&2; failed=1; continue; }
    translated=$(printf '%s\n' "$stats" | sed -n 's/^\([0-9][0-9]*\) translated message.*/\1/p')
    fuzzy=$(printf '%s\n' "$stats" | sed -n 's/.* \([0-9][0-9]*\) fuzzy translation.*/\1/p')
    untranslated=$(printf '%s\n' "$stats" | sed -n 's/.* \([0-9][0-9]*\) untranslated message.*/\1/p')
    translated=${translated:-0}
    fuzzy=${fuzzy:-0}
    untranslated=${untranslated:-0}
    total=$((translated + fuzzy + untranslated))
    if [ "$fuzzy" -ne 0 ] || [ "$untranslated" -ne 0 ]; then
        failed=1
        echo "i18n-check: $po: $untranslated untranslated, $fuzzy fuzzy (of $total):"
        if [ "$untranslated" -ne 0 ]; then
            echo "  untranslated:"
            msgattrib --untranslated --no-obsolete --no-wrap "$tmp" | list_msgids
        fi
        if [ "$fuzzy" -ne 0 ]; then
            echo "  fuzzy:"
            msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp" | list_msgids
        fi
    fi
    summary="$summary${summary:+, }$lang $translated/$total"
done

if [ "$failed" -ne 0 ]; then
    echo "i18n-check: FAILED" >&2
    exit 1
fi
echo "i18n-check: ok: all msgids translated ($summary), none fuzzy"
