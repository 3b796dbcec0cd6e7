#include "rkb_fmacros.h"
#include "rkb_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char log_role = '?';
static int log_level = RKB_LOG_NOTICE;

void rkb_log_init(char role, int level) {
    log_role = role;
    log_level = level;
}

int rkb_log_level(void) {
    return log_level;
}

int rkb_log_level_parse(const char *name) {
    static const char *const names[] = {"err", "warn", "notice", "info",
                                        "debug"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(name, names[i]) == 0) {
            return RKB_LOG_ERR + (int)i;
        }
    }
    return -1;
}

void rkb_log_write(int level, const char *module, const char *fmt, ...) {
    static const char level_chars[] = "EEEEWNID";
    char line[1024];
    struct timeval tv;
    struct tm tm;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    int n = snprintf(line, sizeof(line),
                     "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %d %c %c %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000),
                     (int)getpid(), log_role,
                     level_chars[level < 0 ? 0 : level > 7 ? 7 : level],
                     module);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per line so lines from several processes never interleave. */
    size_t len = strlen(line);
    for (size_t i = (size_t)n; i < len; i++) {
        if (line[i] == '\n' || line[i] == '\r') {
            line[i] = ' ';
        }
    }
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

char *rkb_escape(char *out, size_t out_size, const void *p, size_t n) {
    const unsigned char *s = p;
    size_t o = 0;
    if (out_size < 8) {
        if (out_size) {
            out[0] = '\0';
        }
        return out;
    }
    for (size_t i = 0; i < n; i++) {
        char tmp[5];
        size_t tl;
        unsigned char c = s[i];
        switch (c) {
        case '\n': memcpy(tmp, "\\n", tl = 2); break;
        case '\r': memcpy(tmp, "\\r", tl = 2); break;
        case '\t': memcpy(tmp, "\\t", tl = 2); break;
        case '\\': memcpy(tmp, "\\\\", tl = 2); break;
        case '"': memcpy(tmp, "\\\"", tl = 2); break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                tmp[0] = (char)c;
                tl = 1;
            } else {
                snprintf(tmp, sizeof(tmp), "\\x%02x", c);
                tl = 4;
            }
        }
        if (o + tl + 4 > out_size) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    out[o] = '\0';
    return out;
}
