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

/* "<prefix><n>\r\n" without printf: this runs once per argument of every
 * command a snapshot load or the stream sends. */
static void append_header(rkb_buf_t *out, char prefix, size_t n) {
    char b[24];
    size_t i = sizeof(b);
    b[--i] = '\n';
    b[--i] = '\r';
    do {
        b[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    b[--i] = prefix;
    rkb_buf_append(out, b + i, sizeof(b) - i);
}

void rkb_resp_append_array(rkb_buf_t *out, size_t n) {
    append_header(out, '*', n);
}

void rkb_resp_append_bulk_header(rkb_buf_t *out, size_t len) {
    append_header(out, '$', len);
}

void rkb_resp_append_bulk(rkb_buf_t *out, const void *p, size_t len) {
    rkb_buf_reserve(out, len + 24);
    append_header(out, '$', len);
    rkb_buf_append(out, p, len);
    rkb_buf_append(out, "\r\n", 2);
}

void rkb_resp_append_command(rkb_buf_t *out, size_t argc,
                             const char *const *argv, const size_t *lens) {
    rkb_resp_append_array(out, argc);
    for (size_t i = 0; i < argc; i++) {
        rkb_resp_append_bulk(out, argv[i], lens ? lens[i] : strlen(argv[i]));
    }
}
