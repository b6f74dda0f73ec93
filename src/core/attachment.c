/* attachment.c: recognizing files by their content. */
#include <string.h>
#include "core/attachment.h"

const char *const file_kind_mime[FILE_KIND_COUNT] = {
    "application/octet-stream", "image/png", "image/jpeg", "image/webp", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
const char *const file_kind_ext[FILE_KIND_COUNT] = {"", "png", "jpg", "webp", "pdf", "docx", "xlsx"};

/* A zip whose first entries name an Office Open XML part of the given folder. */
static bool ooxml(const unsigned char *d, size_t len, const char *folder)
{
    if (len < 30 || memcmp(d, "PK\x03\x04", 4) != 0)
        return false;
    size_t scan = len < 65536 ? len : 65536;
    return memmem(d, scan, "[Content_Types].xml", 19) && memmem(d, scan, folder, strlen(folder));
}

int file_sniff(const unsigned char *d, size_t len)
{
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return FILE_PNG;
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return FILE_JPEG;
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return FILE_WEBP;
    if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
        return FILE_PDF;
    if (ooxml(d, len, "word/"))
        return FILE_DOCX;
    if (ooxml(d, len, "xl/"))
        return FILE_XLSX;
    return FILE_UNKNOWN;
}

bool file_is_image(int kind)
{
    return kind == FILE_PNG || kind == FILE_JPEG || kind == FILE_WEBP;
}
