#include "rkb_fmacros.h"
#include "rkb_resp.h"

#include <string.h>

/* Reads "<prefix><decimal>\r\n" at *pos. @returns 1, 0 (incomplete), -1. */
static int read_header(const char *buf, size_t len, size_t *pos, char prefix,
                       unsigned long long *value) {
    size_t i = *pos;
    if (i >= len) {
        return 0;
    }
    if (buf[i] != prefix) {
        return -1;
    }
    unsigned long long v = 0;
    size_t digits = 0;
    for (i++; i < len && buf[i] >= '0' && buf[i] <= '9'; i++, digits++) {
        if (digits == 18) {
            return -1;
        }
        v = v * 10 + (unsigned long long)(buf[i] - '0');
    }
    if (i + 1 >= len) {
        return 0;
    }
    if (digits == 0 || buf[i] != '\r' || buf[i + 1] != '\n') {
        return -1;
    }
    *pos = i + 2;
    *value = v;
    return 1;
}

long rkb_resp_parse_command(const char *buf, size_t len, rkb_resp_arg_t *args,
                            size_t max_args, size_t *argc) {
    size_t pos = 0;
    unsigned long long n, blen;
    int rc = read_header(buf, len, &pos, '*', &n);
    if (rc <= 0) {
        return rc;
    }
    for (unsigned long long i = 0; i < n; i++) {
        rc = read_header(buf, len, &pos, '$', &blen);
        if (rc <= 0) {
            return rc;
        }
        if (blen > len - pos || len - pos - blen < 2) {
            return 0;
        }
        if (buf[pos + blen] != '\r' || buf[pos + blen + 1] != '\n') {
            return -1;
        }
        if (i < max_args) {
            args[i].p = buf + pos;
            args[i].len = blen;
        }
        pos += blen + 2;
    }
    *argc = n;
    return (long)pos;
}
