#!/bin/sh
# i18n-extract.sh: rebuilds web/po/dvk.pot from the C sources and the indicator
# catalogue, then merges it into web/po/vi.po and web/po/sv.po (creating them
# if missing). Run from anywhere; needs GNU gettext (xgettext, msgmerge, msginit).
#
# Marked strings (English msgids): N_("…"), T(lang, "…"), verrs_add(v, f, "…"),
# bad(e, code, "…", d), api_error(r, st, code, "…", d), page_error(r, st, "…").
# Indicator names live in the database (src/store/migrations/*.sql, the `name`
# column of `indicators`) and are translated at display time with T().
set -eu
cd "$(dirname "$0")/.."

po_dir=web/po
# POT_ONLY=FILE writes the template there and stops (tests/run.sh checks the
# catalogue against the sources this way, without touching web/po).
pot=${POT_ONLY:-$po_dir/dvk.pot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$po_dir"

# 1. Strings marked in the C sources.
xgettext --from-code=UTF-8 -L C \
    --keyword=N_ --keyword=T:2 --keyword=verrs_add:3 --keyword=bad:3 \
    --keyword=api_error:4 --keyword=page_error:3 \
    --package-name=dvk --msgid-bugs-address="the dvk issue tracker" \
    --add-comments=TRANSLATORS: \
    -o "$pot" src/*/*.c

# 2. Indicator names. They are read from the INSERT INTO indicators rows of the
#    migrations (second quoted value of each row); the list below is the
#    fallback and is always included, so nothing is lost if the SQL changes shape.
{
    printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    awk '
        FNR == 1 { inside = 0 }
        /INSERT[ \t]+INTO[ \t]+indicators/ { inside = 1 }
        inside && /^[ \t]*\(/ {
            line = $0
            # split on single quotes: 1 (  2 code  3 ,  4 name  ...
            n = split(line, f, "\047")
            if (n >= 5 && f[4] != "") {
                gsub(/\\/, "\\\\", f[4]); gsub(/"/, "\\\"", f[4])
                printf "#. TRANSLATORS: name of a result indicator (table indicators)\n"
                printf "#: %s:%d\nmsgid \"%s\"\nmsgstr \"\"\n\n", FILENAME, FNR, f[4]
            }
        }
        inside && /;[ \t]*$/ { inside = 0 }
        # the default appraisal criteria: rows (0, '\'''\'', '\''code'\'', '\''Name'\'', ...); a doubled quote inside a name is a quote
        FNR == 1 { incrit = 0 }
        /INSERT[ \t]+INTO[ \t]+criteria/ { incrit = 1 }
        incrit && /^[ \t]*\(/ {
            line = $0
            gsub(/\047\047/, "\001", line)
            n = split(line, f, "\047")
            if (n >= 5 && f[4] != "") {
                name = f[4]
                gsub(/\001/, "\047", name)
                gsub(/"/, "\\\"", name)
                printf "#. TRANSLATORS: a default appraisal criterion (table criteria)\n"
                printf "#: %s:%d\nmsgid \"%s\"\nmsgstr \"\"\n\n", FILENAME, FNR, name
            }
        }
        incrit && /;[ \t]*$/ { incrit = 0 }
        # units set later: UPDATE indicators SET unit = '''households''' ...
        /^UPDATE[ \t]+indicators[ \t]+SET[ \t]+unit/ {
            n = split($0, f, "\047")
            if (n >= 3 && f[2] != "") {
                printf "#. TRANSLATORS: unit of a result indicator (table indicators)\n"
                printf "#: %s:%d\nmsgid \"%s\"\nmsgstr \"\"\n\n", FILENAME, FNR, f[2]
            }
        }
    ' src/store/migrations/*.sql
    for name in 'Households taking part' 'People taking part' 'Land donated' \
                'Money and assets' 'Working days' 'Road built' 'Lighting installed' \
                'Area' 'Yield' 'Houses built' 'Cameras installed' 'Members'; do
        printf '#. TRANSLATORS: name of a result indicator (table indicators)\n'
        printf '#: src/store/migrations/001_init.sql\nmsgid "%s"\nmsgstr ""\n\n' "$name"
    done
} > "$tmp/indicators.po"
# msguniq folds the fallback list into the rows found in the SQL.
msguniq --use-first -o "$tmp/indicators-uniq.po" "$tmp/indicators.po"
xgettext --from-code=UTF-8 -L PO --join-existing -o "$pot" \
    --package-name=dvk --msgid-bugs-address="the dvk issue tracker" "$tmp/indicators-uniq.po"

[ -z "${POT_ONLY:-}" ] || exit 0

# 3. Merge into each language, creating the file if needed.
for lang in vi sv; do
    po=$po_dir/$lang.po
    case $lang in
        vi) plural='nplurals=1; plural=0;'; team='Vietnamese' ;;
        sv) plural='nplurals=2; plural=(n != 1);'; team='Swedish' ;;
    esac
    if [ ! -s "$po" ]; then
        msginit --no-translator --no-wrap --locale="$lang" -i "$pot" -o "$po" >/dev/null 2>&1
        # msginit guesses some header fields from the locale database: pin them.
        sed -i \
            -e 's/^"Language: .*\\n"$/"Language: '"$lang"'\\n"/' \
            -e 's/^"Language-Team: .*\\n"$/"Language-Team: '"$team"'\\n"/' \
            -e 's/^"Content-Type: .*\\n"$/"Content-Type: text\/plain; charset=UTF-8\\n"/' \
            -e 's/^"Plural-Forms: .*\\n"$/"Plural-Forms: '"$plural"'\\n"/' \
            "$po"
        grep -q '^"Plural-Forms:' "$po" ||
            sed -i 's/^"Content-Transfer-Encoding: 8bit\\n"$/&\n"Plural-Forms: '"$plural"'\\n"/' "$po"
        echo "i18n-extract: created $po"
    fi
    msgmerge --quiet --update --backup=none --no-wrap "$po" "$pot"
    # Work-around for tools/po2c.awk: it flushes a file's last entry only on
    # a blank line or at the start of the next file, by which time FILENAME
    # names the next file, so vi.po's last msgstr would be filed under sv.
    # A trailing blank line makes the flush happen inside the right file.
    [ -z "$(tail -n 1 "$po")" ] || printf '\n' >> "$po"
done

total=$(grep -c '^msgid "' "$pot" || true)
echo "i18n-extract: $pot has $((total - 1)) msgids; merged into $po_dir/vi.po and $po_dir/sv.po"
