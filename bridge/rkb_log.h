/* rkb_log.h -- one line per event on stderr:
 *   2025-01-31T12:00:00.123Z 4242 P W repl: message
 * (UTC time with ms, pid, role, level, module tag). The level and role are
 * process-wide, set once by main; this is the only state rkb_log keeps. */
#ifndef RKB_LOG_H
#define RKB_LOG_H
#include <stddef.h>

/* Numbered as in syslog. */
#define RKB_LOG_ERR 3
#define RKB_LOG_WARN 4
#define RKB_LOG_NOTICE 5
#define RKB_LOG_INFO 6
#define RKB_LOG_DEBUG 7

/** role: 'P' producer, 'C' consumer, 'T' tool. */
void rkb_log_init(char role, int level);
int rkb_log_level(void);
/** @returns the level for "err", "warn", "notice", "info", "debug", or -1. */
int rkb_log_level_parse(const char *name);

void rkb_log_write(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Checks the level before formatting any argument. */
#define rkb_log(level, module, ...)                                            \
    do {                                                                       \
        if ((level) <= rkb_log_level()) {                                      \
            rkb_log_write((level), (module), __VA_ARGS__);                     \
        }                                                                      \
    } while (0)

/** Writes p[0..n) into out as printable text: \n, \r, \t, \\, \" and \xHH
 *  escapes. Always NUL-terminates; truncates with "..." when out is short.
 *  @returns out. */
char *rkb_escape(char *out, size_t out_size, const void *p, size_t n);

#endif
