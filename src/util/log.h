/* log.h: one-line log records on stderr. Never pass a password, token or cookie value. */
#ifndef DVK_LOG_H
#define DVK_LOG_H
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
