/* blobs.h: files kept by their SHA-256 under a data directory (DIR/ab/abcdef…).
 * A name never reaches the file system: only hex digests do. */
#ifndef DVK_BLOBS_H
#define DVK_BLOBS_H
#include <stdbool.h>
#include <stddef.h>

/* Writes data under dir as sha256 (+ suffix, e.g. ".thumb"), atomically (temp file,
 * fsync, rename). Returns 0, or -1 with errno set (ENOSPC, EROFS… reach the caller). */
int blob_put(const char *dir, const char *sha256, const char *suffix, const void *data, size_t len);
/* Reads the blob into *out (malloc'd, caller frees); -1 when missing or unreadable. */
int blob_get(const char *dir, const char *sha256, const char *suffix, char **out, size_t *len);
/* SHA-256 of data as 64 hex digits. */
void blob_digest(const void *data, size_t len, char out[65]);
/* True when s is 64 lowercase hex digits. */
bool blob_name_valid(const char *s);

#endif
