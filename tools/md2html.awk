# md2html.awk: the user guides (docs/user-guide.*.md) as an HTML fragment for the /guide page.
# Usage: awk -f tools/md2html.awk docs/user-guide.vi.md > build/gen/guide/guide-vi.html
# Only the Markdown the guides use: # headings, paragraphs, "- " and "1. " lists (with
# continuation lines), | tables |, **bold**, `code`. Every text is HTML-escaped first, so the
# fragment holds no markup but this script's own. Generated output: do not edit.
function esc(s) {
    gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
    return s
}
function inline(s,    out) {
    s = esc(s)
    while (match(s, /\*\*[^*]+\*\*/)) {
        out = out substr(s, 1, RSTART - 1) "<strong>" substr(s, RSTART + 2, RLENGTH - 4) "</strong>"
        s = substr(s, RSTART + RLENGTH)
    }
    s = out s; out = ""
    while (match(s, /`[^`]+`/)) {
        out = out substr(s, 1, RSTART - 1) "<code>" substr(s, RSTART + 1, RLENGTH - 2) "</code>"
        s = substr(s, RSTART + RLENGTH)
    }
    return out s
}
function flush() {
    if (para != "") { print "<p>" inline(para) "</p>"; para = "" }
    if (item != "") { print "<li>" inline(item) "</li>"; item = "" }
}
function close_blocks() {
    flush()
    if (list != "") { print "</" list ">"; list = "" }
    if (table) { print "</tbody></table>"; table = 0 }
}
function cells(line, tag,    n, a, i, out) {
    sub(/^\|[ \t]*/, "", line); sub(/[ \t]*\|[ \t]*$/, "", line)
    n = split(line, a, /[ \t]*\|[ \t]*/)
    for (i = 1; i <= n; i++) out = out "<" tag (tag == "th" ? " scope=\"col\"" : "") ">" inline(a[i]) "</" tag ">"
    return "<tr>" out "</tr>"
}
/^[ \t]*$/ { close_blocks(); next }
/^#+ / {
    close_blocks()
    n = index($0, " ") - 1
    text = substr($0, n + 2)
    id = ++sec
    print "<h" n (n > 1 ? " id=\"s" id "\"" : "") ">" inline(text) "</h" n ">"
    next
}
/^\|/ {
    flush()
    if (!table) { print "<table class=\"guide\"><thead>" cells($0, "th") "</thead><tbody>"; table = 1; next }
    if ($0 ~ /^\|[ \t-|]*$/) next
    print cells($0, "td")
    next
}
/^- / || /^[0-9]+\. / {
    flush()
    want = ($0 ~ /^- /) ? "ul" : "ol"
    if (list != want) { if (list != "") print "</" list ">"; print "<" want ">"; list = want }
    item = $0; sub(/^(- |[0-9]+\. )/, "", item)
    next
}
{
    line = $0; sub(/^[ \t]+/, "", line)
    if (item != "") item = item " " line
    else { if (list != "") { print "</" list ">"; list = "" } para = (para == "" ? line : para " " line) }
}
END { close_blocks() }
