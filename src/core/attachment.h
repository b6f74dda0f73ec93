/* attachment.h: evidence files (photos, documents) attached to models, appraisals and awards. No I/O. */
#ifndef DVK_ATTACHMENT_H
#define DVK_ATTACHMENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACHMENT_MAX_BYTES (10 * 1024 * 1024)

enum file_kind { FILE_UNKNOWN, FILE_PNG, FILE_JPEG, FILE_WEBP, FILE_PDF, FILE_DOCX, FILE_XLSX, FILE_KIND_COUNT };
extern const char *const file_kind_mime[FILE_KIND_COUNT];
extern const char *const file_kind_ext[FILE_KIND_COUNT];

/* What the bytes are, by their content alone (a name or a declared type is never trusted). */
int file_sniff(const unsigned char *data, size_t len);
bool file_is_image(int kind);

struct attachment {
    int64_t id;
    char entity[16];     /* model, appraisal, award */
    int64_t entity_id;
    int64_t model_id;    /* the model it belongs to, for scope (0 for an award to a person or organization) */
    char sha256[65];
    int64_t size;
    int kind;
    char name[256];      /* as uploaded, for display and download only */
    bool has_thumb;
    char created_at[21];
    char login[64];
};

#endif
