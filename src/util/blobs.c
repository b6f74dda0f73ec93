/* blobs.c: content-addressed files under the data directory. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/blobs.h"
#include "util/buf.h"

bool blob_name_valid(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

void blob_digest(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int path_of(const char *dir, const char *sha, const char *suffix, char *out, size_t outsz, char *sub,
                   size_t subsz)
{
    if (!blob_name_valid(sha) || (suffix && strcmp(suffix, "") && strcmp(suffix, ".thumb"))) {
        errno = EINVAL;
        return -1;
    }
    snprintf(sub, subsz, "%s/%.2s", dir, sha);
    snprintf(out, outsz, "%s/%s%s", sub, sha, suffix ? suffix : "");
    return 0;
}

int blob_put(const char *dir, const char *sha, const char *suffix, const void *data, size_t len)
{
    char path[4096], sub[4096], tmp[4200];
    if (path_of(dir, sha, suffix, path, sizeof path, sub, sizeof sub))
        return -1;
    if (access(path, F_OK) == 0)
        return 0; /* the same bytes are there already */
    if ((mkdir(dir, 0750) && errno != EEXIST) || (mkdir(sub, 0750) && errno != EEXIST))
        return -1;
    /* unique per call: two threads storing the same bytes never share a temporary file */
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            errno = e;
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) || close(fd) || rename(tmp, path)) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    /* the directory entry too, so the file survives a power cut */
    int dfd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int blob_get(const char *dir, const char *sha, const char *suffix, char **out, size_t *len)
{
    char path[4096], sub[4096];
    if (path_of(dir, sha, suffix, path, sizeof path, sub, sizeof sub))
        return -1;
    struct buf b = BUF_INIT;
    if (buf_add_file(&b, path)) {
        buf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = buf_detach(&b);
    return 0;
}
