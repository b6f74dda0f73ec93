/* log.c: timestamped lines on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include "util/date.h"
#include "util/log.h"

static void vlog(const char *level, const char *fmt, va_list ap)
{
    char now[21];
    date_now_iso(now);
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "%s %s %s\n", now, level, line);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error", fmt, ap);
    va_end(ap);
}
