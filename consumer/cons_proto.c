/* cons_proto.c -- parse replica input (RESP arrays, inline commands) and
 * classify the commands. See cons_proto.h. */
#include "rkb_fmacros.h"
#include "cons_proto.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cons_proto_s {
    rkb_buf_t in;
    size_t used; /* bytes of the command last returned, dropped lazily so
                  * that its argv stays valid until the next call */
    rkb_err_t err;
    char errstr[128];
};

cons_proto_t *cons_proto_new(void) {
    return rkb_calloc(1, sizeof(cons_proto_t));
}

void cons_proto_destroy(cons_proto_t *cp) {
    if (cp == NULL) {
        return;
    }
    rkb_buf_free(&cp->in);
    free(cp);
}

static void drop_used(cons_proto_t *cp) {
    if (cp->used > 0) {
        rkb_buf_consume(&cp->in, cp->used);
        cp->used = 0;
    }
}

void cons_proto_feed(cons_proto_t *cp, const char *buf, size_t len) {
    drop_used(cp);
    if (cp->err == RKB_OK) {
        rkb_buf_append(&cp->in, buf, len);
    }
}

const char *cons_proto_errstr(const cons_proto_t *cp) {
    return cp->errstr;
}

size_t cons_proto_pending(const cons_proto_t *cp) {
    return cp->in.len - cp->used;
}

static rkb_err_t fail(cons_proto_t *cp, const char *why) {
    cp->err = RKB_EPROTO;
    snprintf(cp->errstr, sizeof(cp->errstr), "%s", why);
    return RKB_EPROTO;
}

/* Reads a decimal integer line "<digits>\r\n" at p[0..n) (after the type
 * byte). @returns bytes used including CRLF, 0 if incomplete, -1 if bad. */
static long read_int_line(const char *p, size_t n, long long max,
                          long long *out) {
    const char *nl = memchr(p, '\n', n);
    size_t i = 0;
    long long v = 0;
    int neg = 0;
    if (nl == NULL) {
        return n > 24 ? -1 : 0;
    }
    size_t end = (size_t)(nl - p);
    if (end == 0 || p[end - 1] != '\r') {
        return -1;
    }
    end--;
    if (end > 0 && p[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == end || end - i > 18) {
        return -1;
    }
    for (; i < end; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return -1;
        }
        v = v * 10 + (p[i] - '0');
    }
    if (v > max) {
        return -1;
    }
    *out = neg ? -v : v;
    return (long)(end + 2);
}

/* A RESP array at p[0..n). @returns bytes used, 0 if incomplete, or -1
 * with cp's error set. */
static long parse_array(cons_proto_t *cp, const char *p, size_t n,
                        cons_cmd_t *cmd) {
    long long count, blen;
    size_t pos = 1;
    long used = read_int_line(p + pos, n - pos, CONS_PROTO_MAX_ARGS, &count);
    if (used < 0) {
        fail(cp, "invalid multibulk length");
        return -1;
    }
    if (used == 0) {
        return 0;
    }
    pos += (size_t)used;
    if (count <= 0) {
        /* "*0" and "*-1" are empty commands: Redis skips them too */
        cmd->argc = 0;
        return (long)pos;
    }
    cmd->argc = 0;
    for (long long i = 0; i < count; i++) {
        if (pos >= n) {
            return 0;
        }
        if (p[pos] != '$') {
            fail(cp, "expected '$' in a multibulk command");
            return -1;
        }
        pos++;
        used = read_int_line(p + pos, n - pos, CONS_PROTO_MAX_BULK, &blen);
        if (used < 0 || (used > 0 && blen < 0)) {
            fail(cp, "invalid bulk length");
            return -1;
        }
        if (used == 0) {
            return 0;
        }
        pos += (size_t)used;
        if (n - pos < (size_t)blen + 2) {
            return 0;
        }
        const char *crlf = p + pos + (size_t)blen;
        if (crlf[0] != '\r' || crlf[1] != '\n') {
            fail(cp, "bulk string not followed by CRLF");
            return -1;
        }
        cmd->argv[cmd->argc].p = p + pos;
        cmd->argv[cmd->argc].len = (size_t)blen;
        cmd->argc++;
        pos += (size_t)blen + 2;
    }
    return (long)pos;
}

/* An inline command: one line, arguments separated by blanks. */
static long parse_inline(cons_proto_t *cp, const char *p, size_t n,
                         cons_cmd_t *cmd) {
    const char *nl = memchr(p, '\n', n);
    if (nl == NULL) {
        if (n > CONS_PROTO_MAX_INLINE) {
            fail(cp, "too big inline request");
            return -1;
        }
        return 0;
    }
    size_t end = (size_t)(nl - p), i = 0;
    if (end > CONS_PROTO_MAX_INLINE) {
        fail(cp, "too big inline request");
        return -1;
    }
    if (end > 0 && p[end - 1] == '\r') {
        end--;
    }
    cmd->argc = 0;
    while (i < end) {
        while (i < end && (p[i] == ' ' || p[i] == '\t')) {
            i++;
        }
        if (i == end) {
            break;
        }
        size_t start = i;
        while (i < end && p[i] != ' ' && p[i] != '\t') {
            i++;
        }
        if (cmd->argc == CONS_PROTO_MAX_ARGS) {
            fail(cp, "too many arguments in an inline request");
            return -1;
        }
        cmd->argv[cmd->argc].p = p + start;
        cmd->argv[cmd->argc].len = i - start;
        cmd->argc++;
    }
    cmd->is_inline = 1;
    return (long)(nl - p) + 1;
}

rkb_err_t cons_proto_next(cons_proto_t *cp, cons_cmd_t *cmd) {
    drop_used(cp);
    if (cp->err) {
        return cp->err;
    }
    for (;;) {
        const char *p = cp->in.data;
        size_t n = cp->in.len;
        long used;
        if (n == 0) {
            return RKB_EAGAIN;
        }
        memset(cmd, 0, sizeof(*cmd));
        if (p[0] == '*') {
            used = parse_array(cp, p, n, cmd);
        } else {
            used = parse_inline(cp, p, n, cmd);
        }
        if (used < 0) {
            return RKB_EPROTO;
        }
        if (used == 0) {
            return RKB_EAGAIN;
        }
        if (cmd->argc == 0 && !cmd->is_inline) {
            rkb_buf_consume(&cp->in, (size_t)used);
            continue;
        }
        cp->used = (size_t)used;
        cons_proto_classify(cmd);
        return RKB_OK;
    }
}

/* ---- classification ---- */

static int arg_is(const cons_arg_t *a, const char *s) {
    size_t len = strlen(s);
    return a->len == len && strncasecmp(a->p, s, len) == 0;
}

/* A decimal integer argument, optionally negative. @returns 0 or -1. */
static int arg_ll(const cons_arg_t *a, long long *out) {
    char tmp[24];
    char *end;
    if (a->len == 0 || a->len >= sizeof(tmp)) {
        return -1;
    }
    memcpy(tmp, a->p, a->len);
    tmp[a->len] = '\0';
    for (size_t i = 0; i < a->len; i++) {
        if (!((tmp[i] >= '0' && tmp[i] <= '9') || (i == 0 && tmp[i] == '-'))) {
            return -1;
        }
    }
    errno = 0;
    *out = strtoll(tmp, &end, 10);
    return errno || *end ? -1 : 0;
}

static void bad(cons_cmd_t *cmd, const char *why) {
    cmd->type = CONS_CMD_BADARGS;
    cmd->badargs = why;
}

static void classify_replconf(cons_cmd_t *cmd) {
    const cons_arg_t *a = cmd->argv;
    if (cmd->argc < 3 && !(cmd->argc == 2 && arg_is(&a[1], "getack"))) {
        bad(cmd, "wrong number of arguments for 'replconf' command");
        return;
    }
    if (arg_is(&a[1], "listening-port")) {
        if (arg_ll(&a[2], &cmd->port) || cmd->port < 0 || cmd->port > 65535) {
            bad(cmd, "invalid listening-port");
            return;
        }
        cmd->type = CONS_CMD_REPLCONF_PORT;
    } else if (arg_is(&a[1], "capa")) {
        for (size_t i = 1; i + 1 < cmd->argc; i += 2) {
            if (!arg_is(&a[i], "capa")) {
                bad(cmd, "syntax error in 'replconf capa'");
                return;
            }
            if (arg_is(&a[i + 1], "eof")) {
                cmd->capa |= CONS_CAPA_EOF;
            } else if (arg_is(&a[i + 1], "psync2")) {
                cmd->capa |= CONS_CAPA_PSYNC2;
            }
        }
        cmd->type = CONS_CMD_REPLCONF_CAPA;
    } else if (arg_is(&a[1], "ack")) {
        if (arg_ll(&a[2], &cmd->offset) || cmd->offset < 0) {
            bad(cmd, "invalid ACK offset");
            return;
        }
        cmd->type = CONS_CMD_REPLCONF_ACK;
    } else if (arg_is(&a[1], "getack")) {
        cmd->type = CONS_CMD_REPLCONF_GETACK;
    } else {
        cmd->type = CONS_CMD_REPLCONF_OTHER;
    }
}

#define HEX "0123456789abcdef"

/* How many of p[0..n) are in set. */
static size_t strspn_n(const char *p, size_t n, const char *set) {
    size_t i = 0;
    while (i < n && p[i] != '\0' && strchr(set, p[i]) != NULL) {
        i++;
    }
    return i;
}

static void classify_psync(cons_cmd_t *cmd) {
    const cons_arg_t *a = cmd->argv;
    if (cmd->argc < 3) {
        bad(cmd, "wrong number of arguments for 'psync' command");
        return;
    }
    if (arg_ll(&a[2], &cmd->offset) || cmd->offset < -1) {
        bad(cmd, "invalid PSYNC offset");
        return;
    }
    if (a[1].len == 1 && a[1].p[0] == '?') {
        cmd->replid[0] = '?';
    } else if (a[1].len == 40 && strspn_n(a[1].p, 40, HEX) == 40) {
        memcpy(cmd->replid, a[1].p, 40);
        cmd->replid[40] = '\0';
    } else {
        /* Like Redis: an id that is not one just cannot match (and peer
         * bytes never reach a log line). */
        cmd->replid[0] = '?';
    }
    cmd->type = CONS_CMD_PSYNC;
}

void cons_proto_classify(cons_cmd_t *cmd) {
    const cons_arg_t *a = cmd->argv;
    cmd->type = CONS_CMD_UNKNOWN;
    if (cmd->argc == 0) {
        cmd->type = CONS_CMD_EMPTY;
    } else if (arg_is(&a[0], "ping")) {
        cmd->type = cmd->argc <= 2 ? CONS_CMD_PING : CONS_CMD_BADARGS;
        if (cmd->argc > 2) {
            bad(cmd, "wrong number of arguments for 'ping' command");
        }
    } else if (arg_is(&a[0], "auth")) {
        if (cmd->argc == 2 || cmd->argc == 3) {
            cmd->type = CONS_CMD_AUTH;
        } else {
            bad(cmd, "wrong number of arguments for 'auth' command");
        }
    } else if (arg_is(&a[0], "replconf")) {
        classify_replconf(cmd);
    } else if (arg_is(&a[0], "psync")) {
        classify_psync(cmd);
    } else if (arg_is(&a[0], "sync")) {
        cmd->type = CONS_CMD_SYNC;
    } else if (arg_is(&a[0], "info")) {
        cmd->type = CONS_CMD_INFO;
    } else if (arg_is(&a[0], "role")) {
        cmd->type = CONS_CMD_ROLE;
    }
}
