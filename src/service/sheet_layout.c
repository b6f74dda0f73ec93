/* sheet_layout.c: the columns of a models spreadsheet and the words offices write in them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/i18n.h"
#include "service/sheet_layout.h"
#include "util/buf.h"
#include "util/text.h"

/* Headers as offices write them (GUIDANCE.md §2.4, the registration forms). The
 * translations of the msgids are the export's headers; the aliases are other names
 * met in provinces' files, folded. */
const struct sheet_coldef sheet_cols[] = {
    {COL_CODE, N_("Model code"), "ma mo hinh|ma so mo hinh|ma|ma so|code|model code|id"},
    {COL_REF, N_("Reference"), "ma tham chieu|ma goc|so hieu|so tham chieu|reference|ref|external key|key"},
    {COL_TITLE, N_("Model name"), "ten mo hinh|ten mo hinh dien hinh|mo hinh|ten mo hinh dan van kheo|ten|title|name|model"},
    {COL_FIELD, N_("Field"), "linh vuc|field|sector"},
    {COL_KIND, N_("Collective or individual"), "tap the ca nhan|loai|loai mo hinh|hinh thuc|kind"},
    {COL_LEVEL, N_("Registration level"), "cap dang ky|cap|level"},
    {COL_STATUS, N_("Status"), "trang thai|tinh trang|status"},
    {COL_TYPICAL, N_("Typical"), "dien hinh|la dien hinh|mo hinh dien hinh|typical"},
    {COL_TYPICAL_REASON, N_("Reason for typical status"), "ly do dien hinh|ly do|typical reason"},
    {COL_PUBLIC, N_("Public"), "cong khai|public"},
    {COL_HIERARCHY, N_("Unit catalogue"), "danh muc don vi|danh muc|he thong don vi|hierarchy|catalogue"},
    {COL_UNIT_CODE, N_("Unit code"), "ma don vi|ma dia ban|ma xa|ma dvhc|ma don vi hanh chinh|unit code"},
    {COL_PROVINCE, N_("Province or city"), "tinh|tinh thanh|tinh thanh pho|tinh tp|province"},
    {COL_DISTRICT, N_("District (before 2025)"), "huyen|quan huyen|huyen quan|huyen thi xa thanh pho|district"},
    {COL_COMMUNE, N_("Commune or ward"), "xa|xa phuong|xa phuong thi tran|phuong xa|xa phuong dac khu|don vi|dia ban|commune|ward"},
    {COL_REGISTERED, N_("Registered on"), "ngay dang ky|thoi gian dang ky|ngay|registered|date"},
    {COL_OWNER_TYPE, N_("Owner type"), "loai chu the|chu the la|owner type"},
    {COL_OWNER, N_("Owner of the model"), "chu mo hinh|chu the|don vi ca nhan thuc hien|don vi thuc hien|to chuc ca nhan|tap the ca nhan thuc hien|owner"},
    {COL_FROM, N_("Start date"), "tu ngay|ngay bat dau|bat dau|thoi gian bat dau|start|from"},
    {COL_TO, N_("End date"), "den ngay|ngay ket thuc|ket thuc|thoi gian ket thuc|end|to"},
    {COL_SUMMARY, N_("Summary"), "tom tat|noi dung tom tat|summary"},
    {COL_DESCRIPTION, N_("Description"), "mo ta|description"},
    {COL_SITUATION, N_("Situation and reasons"), "thuc trang|ly do xay dung|situation"},
    {COL_OBJECTIVES, N_("Objectives and criteria"), "muc tieu|tieu chi|objectives"},
    {COL_CONTENT, N_("Content and method"), "noi dung|cach thuc thuc hien|noi dung cach thuc|content"},
    {COL_AREA, N_("Area and beneficiaries"), "dia ban doi tuong|doi tuong|area"},
    {COL_FORCES, N_("Forces taking part"), "luc luong|luc luong thuc hien|forces"},
    {COL_RESOURCES, N_("Resources"), "nguon luc|nguon luc thuc hien|kinh phi thuc hien|resources"},
    {COL_OUTPUTS, N_("Outputs"), "san pham|ket qua dau ra|san pham ket qua dau ra|outputs"},
    {COL_SUSTAIN, N_("Sustainability and replication"), "kha nang duy tri|kha nang nhan rong|kha nang duy tri nhan rong|sustainability"},
    {COL_TAGS, N_("Tags"), "tu khoa|nhan|the|tags|keywords"},
    {COL_RESULT_YEAR, N_("Results year"), "nam ket qua|nam|year|results year"},
};
const int sheet_ncols = sizeof sheet_cols / sizeof sheet_cols[0];

static const char *const rownum_aliases = "stt|tt|so tt|so thu tu|no|#";

/* Other names of the result indicators (codes of the indicators table). */
static const struct {
    const char *code, *aliases;
} indicator_aliases[] = {
    {"households", "so ho|ho tham gia|so ho tham gia|ho"},
    {"people", "so nguoi|nguoi tham gia|so nguoi tham gia|luot nguoi"},
    {"land_m2", "dat hien|dien tich dat hien|hien dat|dat hien m2"},
    {"money_vnd", "so tien|tien|kinh phi|gia tri|tien va tai san|huy dong|kinh phi huy dong"},
    {"working_days", "ngay cong|so ngay cong"},
    {"road_km", "duong|km duong|duong giao thong|lam duong"},
    {"lighting_km", "den chieu sang|chieu sang|duong den"},
    {"area_ha", "dien tich"},
    {"yield_t_ha", "nang suat"},
    {"houses", "nha|so nha|nha o|nha dai doan ket"},
    {"cameras", "camera|so camera"},
    {"members", "thanh vien|so thanh vien"},
};

/* Whether the folded header h is name or starts with name followed by a space;
 * the length of name on a match, else 0. */
static size_t word_prefix(const char *h, const char *name, size_t n)
{
    if (n == 0 || strncmp(h, name, n) != 0)
        return 0;
    return h[n] == 0 || h[n] == ' ' ? n : 0;
}

/* The longest of the '|'-separated aliases that h starts with. */
static size_t best_alias(const char *h, const char *aliases)
{
    size_t best = 0;
    for (const char *p = aliases; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t m = word_prefix(h, p, n);
        if (m > best)
            best = m;
        p += n + (e ? 1 : 0);
    }
    return best;
}

/* The longest of a msgid's translations (folded) that h starts with. */
static size_t best_label(const char *h, const char *msgid)
{
    size_t best = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        char *f = text_fold(T(l, msgid));
        size_t m = word_prefix(h, f, strlen(f));
        if (m > best)
            best = m;
        free(f);
    }
    return best;
}

/* A year written in the header ("Số hộ 2024"): taken out of h. */
static int take_year(char *h)
{
    char *p = h;
    while ((p = strpbrk(p, "12"))) {
        bool start = p == h || p[-1] == ' ';
        if (start && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            (p[4] == 0 || p[4] == ' ')) {
            int y = atoi(p);
            if (y >= 1990 && y <= 2100) {
                memmove(p, p + 4, strlen(p + 4) + 1);
                size_t n = strlen(h);
                while (n && h[n - 1] == ' ')
                    h[--n] = 0;
                if (h[0] == ' ')
                    memmove(h, h + 1, n);
                /* squeeze a double space left inside */
                char *d = strstr(h, "  ");
                if (d)
                    memmove(d, d + 1, strlen(d));
                return y;
            }
        }
        p++;
    }
    return 0;
}

int sheet_col_of(const char *h, const struct indicator *ind, int nind, char indicator[32], int *year)
{
    int strength;
    return sheet_col_match(h, ind, nind, indicator, year, &strength);
}

int sheet_col_match(const char *h, const struct indicator *ind, int nind, char indicator[32], int *year, int *strength)
{
    char *f = text_fold(h);
    int best_col = COL_NONE;
    size_t best = 0;
    bool whole = false;
    indicator[0] = 0;
    *year = 0;
    *strength = 0;
    if (!*f) {
        free(f);
        return COL_NONE;
    }
    if (best_alias(f, rownum_aliases) == strlen(f)) {
        free(f);
        *strength = 1 << 16;
        return COL_ROWNUM;
    }
    for (int i = 0; i < sheet_ncols; i++) {
        size_t m = best_alias(f, sheet_cols[i].aliases);
        size_t l = best_label(f, sheet_cols[i].header);
        if (l > m)
            m = l;
        if (m > best) {
            best = m;
            best_col = sheet_cols[i].id;
            whole = m == strlen(f);
        }
    }
    /* results: "Số hộ tham gia (hộ) 2024" */
    char *g = xstrdup(f);
    int y = take_year(g);
    for (int i = 0; i < nind; i++) {
        size_t m = best_label(g, ind[i].name);
        size_t c = word_prefix(g, ind[i].code, strlen(ind[i].code));
        if (c > m)
            m = c;
        for (size_t k = 0; k < sizeof indicator_aliases / sizeof indicator_aliases[0]; k++)
            if (strcmp(indicator_aliases[k].code, ind[i].code) == 0) {
                size_t a = best_alias(g, indicator_aliases[k].aliases);
                if (a > m)
                    m = a;
            }
        /* a whole-header match of an indicator beats a column name that is only its start */
        if (m > best || (m && m == best && m == strlen(g))) {
            best = m;
            best_col = COL_RESULT;
            snprintf(indicator, 32, "%s", ind[i].code);
            *year = y;
            whole = m == strlen(g);
        }
    }
    free(g);
    free(f);
    if (best_col != COL_NONE)
        *strength = (whole ? 1 << 16 : 0) + (int)best;
    return best_col;
}

int sheet_enum_of(const char *s, const char *const *names, const char *const *labels, int count,
                  const char *const *aliases)
{
    char *f = text_fold(s);
    int found = 0;
    for (int i = 1; i < count && !found && *f; i++) {
        char *n = text_fold(names[i]);
        if (strcmp(f, n) == 0)
            found = i;
        free(n);
        for (int l = 0; l < LANG_COUNT && !found; l++) {
            char *t = text_fold(T(l, labels[i]));
            if (strcmp(f, t) == 0)
                found = i;
            free(t);
        }
        if (!found && aliases && aliases[i]) {
            size_t fl = strlen(f);
            for (const char *p = aliases[i]; *p && !found;) {
                const char *e = strchr(p, '|');
                size_t n2 = e ? (size_t)(e - p) : strlen(p);
                if (n2 == fl && strncmp(p, f, n2) == 0)
                    found = i;
                p += n2 + (e ? 1 : 0);
            }
        }
    }
    free(f);
    return found;
}

static const char *const place_words[] = {
    "thanh pho truc thuoc trung uong", "thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa",
    "phuong", "dac khu", "tp", "tx", "tt", "h", "q", "p", NULL,
};

char *sheet_place_key(const char *s)
{
    char *f = text_fold(s);
    /* drop leading type words ("thanh pho ho chi minh" keeps its name: only one word group goes) */
    for (int i = 0; place_words[i]; i++) {
        size_t n = strlen(place_words[i]);
        if (strncmp(f, place_words[i], n) == 0 && f[n] == ' ' && f[n + 1]) {
            memmove(f, f + n + 1, strlen(f + n + 1) + 1);
            break;
        }
    }
    /* numbers without leading zeros: "phuong 01" and "phuong 1" */
    struct buf b = BUF_INIT;
    for (const char *p = f; *p; p++) {
        bool starts = isdigit((unsigned char)*p) && (p == f || !isdigit((unsigned char)p[-1]));
        if (starts)
            while (*p == '0' && isdigit((unsigned char)p[1]))
                p++;
        buf_putc(&b, *p);
    }
    free(f);
    return buf_detach(&b);
}
