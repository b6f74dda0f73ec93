# md2html.awk: the user guides (docs/user-guide.*.md) as an HTML fragment for the /guide page.
# Usage: awk -v images=build/gen/guide/images.txt -f tools/md2html.awk docs/user-guide.vi.md > build/gen/guide/guide-vi.html
# Only the Markdown the guides use: # headings, paragraphs, "- " and "1. " lists (with
# continuation lines), | tables |, **bold**, `code`, and pictures ![alt](img/NAME) of docs/img/.
# Every text is HTML-escaped first, so the fragment holds no markup but this script's own.
# Generated output: do not edit.
# A picture becomes <img> with its content-hashed name under /static/ (it is one of the web
# assets), its width and height (so the page keeps its room) and loading="lazy". The names,
# hashed names and sizes come from the file `images` (lines "name hashed width height", made
# by `embed --image docs/img/*`); a picture missing there, or without alt text, is an error.
BEGIN {
    if (images != "") {
        while ((getline line < images) > 0) {
            split(line, f, " ")
            img_hashed[f[1]] = f[2]; img_w[f[1]] = f[3]; img_h[f[1]] = f[4]
        }
        close(images)
    }
}
function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
    exit 1
}
# ![alt](img/NAME) in an escaped text: the alt text is escaped already (esc runs first)
function pictures(s,    out, m, alt, name, cut) {
    while (match(s, /!\[[^\]]*\]\([^)]*\)/)) {
        m = substr(s, RSTART, RLENGTH)
        cut = index(m, "](")
        alt = substr(m, 3, cut - 3)
        name = substr(m, cut + 2, length(m) - cut - 2)
        if (name !~ /^img\/[A-Za-z0-9._-]+$/) fail("a picture must be img/NAME of docs/img/: " name)
        sub(/^img\//, "", name)
        if (!(name in img_hashed)) fail("no picture docs/img/" name)
        if (alt ~ /^[ \t]*$/) fail("the picture " name " has no alt text")
        if (alt ~ /[*`]/) fail("the alt text of " name " is plain text: no ** or `")
        # wider than a phone's screenshot (585 pixels): a page (the A4 profile), shown wider
        out = out substr(s, 1, RSTART - 1) "<img" (img_w[name] + 0 > 600 ? " class=\"wide\"" : "") \
            " src=\"/static/" img_hashed[name] "\" alt=\"" alt "\" width=\"" img_w[name] \
            "\" height=\"" img_h[name] "\" loading=\"lazy\" decoding=\"async\">"
        s = substr(s, RSTART + RLENGTH)
    }
    return out s
}
function esc(s) {
    gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
    return s
}
function inline(s,    out) {
    s = pictures(esc(s))
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
    # a paragraph that is one picture alone is the screenshot of the text before it
    if (para ~ /^!\[[^\]]*\]\([^)]*\)$/) { print "<p class=\"shot\">" inline(para) "</p>"; para = "" }
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
END { if (!failed) close_blocks() }
