/* verify.c -- rkbridge verify: compare two Redis instances key by key.
 *
 * Every db that has keys on either side is walked with SCAN on the source
 * (each key: type, absolute expiry, value), then with SCAN on the target
 * for keys the source lacks. Values are compared in batches on both sides,
 * so memory stays bounded by the batch size, not by the size of a key:
 * strings with GETRANGE chunks, lists with LRANGE windows, sets, zsets and
 * hashes by scanning the source and looking the members up on the target
 * (equal cardinality plus every source member present and equal means
 * equal), streams with XRANGE windows, groups, consumers and pending
 * entries. Function libraries are compared once, by name, engine and
 * code. */
#include "rkb_fmacros.h"
#include "rkb_log.h"
#include "rkb_redis.h"
#include "tool.h"

#include <hiredis/hiredis.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERIFY_TIMEOUT_MS 30000
#define VERIFY_SCAN_COUNT "1000"
#define VERIFY_BATCH 500           /* elements per window or lookup */
#define VERIFY_CHUNK (256 * 1024)  /* string bytes per GETRANGE */
#define VERIFY_HEAD 4096           /* string bytes fetched with the page */
#define VERIFY_HEAD_LAST "4095"
#define VERIFY_MAX_DBS 4096
#define VERIFY_MAX_ARGS (2 * VERIFY_BATCH + 8)
#define ESC_SIZE 256

enum { D_MISSING, D_EXTRA, D_TYPE, D_VALUE, D_EXPIRY, D_KINDS };

typedef struct side_s {
    redisContext *c;
    const char *addr; /* as given on the command line */
    char host[256];
    int port;
    const char *user, *password;
} side_t;

typedef struct verify_s {
    side_t src, dst;
    const char *prefix;
    size_t prefix_len;
    long long max_diffs, sample;
    long long diffs[D_KINDS], total_diffs, keys;
    int db;
    /* The key (or, for functions, the library) being compared: every
     * difference line names it. */
    const char *key;
    size_t klen;
    const char *lib;
    /* One command's arguments, built by arg_*() and sent by call*(). */
    int argc;
    const char *argv[VERIFY_MAX_ARGS];
    size_t argl[VERIFY_MAX_ARGS];
} verify_t;

/* ---- small helpers ---- */

static const char *esc(char *buf, const char *p, size_t n) {
    return rkb_escape(buf, ESC_SIZE, p, n);
}

static void arg_reset(verify_t *v) { v->argc = 0; }

static void arg(verify_t *v, const char *p, size_t n) {
    /* Callers size their batches so that this never overflows. */
    if (v->argc < VERIFY_MAX_ARGS) {
        v->argv[v->argc] = p;
        v->argl[v->argc++] = n;
    }
}

static void args(verify_t *v, const char *s) { arg(v, s, strlen(s)); }

static void argkey(verify_t *v, const char *cmd) {
    arg_reset(v);
    args(v, cmd);
    arg(v, v->key, v->klen);
}

/* Reports a difference of the current key or library; prints it while
 * fewer than --max-diffs lines were printed. */
static void diff(verify_t *v, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void diff(verify_t *v, int kind, const char *fmt, ...) {
    char k[ESC_SIZE];
    va_list ap;
    v->diffs[kind]++;
    if (v->total_diffs++ >= v->max_diffs) {
        return;
    }
    if (v->key != NULL) {
        printf("db %d key \"%s\": ", v->db, esc(k, v->key, v->klen));
    } else {
        printf("function library \"%s\": ", esc(k, v->lib, strlen(v->lib)));
    }
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* ---- talking to the servers ---- */

static int send_args(verify_t *v, side_t *s) {
    if (redisAppendCommandArgv(s->c, v->argc, v->argv, v->argl) !=
        REDIS_OK) {
        fprintf(stderr, "rkbridge: %s: %s\n", s->addr, s->c->errstr);
        return -1;
    }
    return 0;
}

/* The next reply of s; NULL (with the error printed) on a connection
 * error or an error reply. cmd names the command in the message. */
static redisReply *get_reply(side_t *s, const char *cmd) {
    void *r = NULL;
    redisReply *reply;
    if (redisGetReply(s->c, &r) != REDIS_OK || r == NULL) {
        fprintf(stderr, "rkbridge: %s: %s: %s\n", s->addr, cmd,
                s->c->errstr[0] ? s->c->errstr : "no reply");
        return NULL;
    }
    reply = r;
    if (reply->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "rkbridge: %s: %s: %.*s\n", s->addr, cmd,
                (int)reply->len, reply->str);
        freeReplyObject(reply);
        return NULL;
    }
    return reply;
}

/* Sends the built command to one side. */
static redisReply *call1(verify_t *v, side_t *s) {
    if (send_args(v, s)) {
        return NULL;
    }
    return get_reply(s, v->argv[0]);
}

/* Sends the built command to both sides, so that they work at once.
 * @returns 0 with both replies, or -1 with neither. */
static int call2(verify_t *v, redisReply **a, redisReply **b) {
    const char *cmd = v->argv[0];
    *a = *b = NULL;
    if (send_args(v, &v->src) || send_args(v, &v->dst)) {
        return -1;
    }
    *a = get_reply(&v->src, cmd);
    *b = get_reply(&v->dst, cmd);
    if (*a == NULL || *b == NULL) {
        if (*a) {
            freeReplyObject(*a);
        }
        if (*b) {
            freeReplyObject(*b);
        }
        *a = *b = NULL;
        return -1;
    }
    return 0;
}

static void free2(redisReply *a, redisReply *b) {
    if (a) {
        freeReplyObject(a);
    }
    if (b) {
        freeReplyObject(b);
    }
}

static int bad_reply(side_t *s, const char *cmd) {
    fprintf(stderr, "rkbridge: %s: %s: unexpected reply\n", s->addr, cmd);
    return -1;
}

static int is_array(const redisReply *r, size_t min) {
    return r->type == REDIS_REPLY_ARRAY && r->elements >= min;
}

static int is_str(const redisReply *r) {
    return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS;
}

/* Deep equality of two replies (RESP2: doubles arrive as text). */
static int reply_equal(const redisReply *a, const redisReply *b) {
    if (a->type != b->type) {
        return 0;
    }
    switch (a->type) {
    case REDIS_REPLY_INTEGER:
        return a->integer == b->integer;
    case REDIS_REPLY_NIL:
        return 1;
    case REDIS_REPLY_ARRAY:
        if (a->elements != b->elements) {
            return 0;
        }
        for (size_t i = 0; i < a->elements; i++) {
            if (!reply_equal(a->element[i], b->element[i])) {
                return 0;
            }
        }
        return 1;
    default:
        return a->len == b->len &&
               (a->len == 0 || memcmp(a->str, b->str, a->len) == 0);
    }
}

/* The value after the field called name in a flat name/value array. */
static const redisReply *field(const redisReply *r, const char *name) {
    if (r->type != REDIS_REPLY_ARRAY) {
        return NULL;
    }
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *n = r->element[i];
        if (is_str(n) && n->len == strlen(name) &&
            memcmp(n->str, name, n->len) == 0) {
            return r->element[i + 1];
        }
    }
    return NULL;
}

/* Both replies have name (or neither does) and the values are equal. */
static int field_equal(const redisReply *a, const redisReply *b,
                       const char *name) {
    const redisReply *x = field(a, name), *y = field(b, name);
    if (x == NULL || y == NULL) {
        return x == y;
    }
    return reply_equal(x, y);
}

static int connect_side(side_t *s) {
    redisReply *r;
    char err[256];
    switch (rkb_redis_connect(s->host, s->port, s->user, s->password,
                              VERIFY_TIMEOUT_MS, VERIFY_TIMEOUT_MS, &s->c, err,
                              sizeof(err))) {
    case RKB_REDIS_OK:
        break;
    case RKB_REDIS_ECONNECT:
        fprintf(stderr, "rkbridge: cannot connect to %s: %s\n", s->addr, err);
        return -1;
    default:
        fprintf(stderr, "rkbridge: cannot authenticate to %s: %s\n", s->addr,
                err);
        return -1;
    }
    /* Fails here, once and clearly, when a password is needed. */
    r = redisCommand(s->c, "PING");
    if (r == NULL || r->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "rkbridge: cannot use %s: %s\n", s->addr,
                r ? r->str : s->c->errstr);
        if (r) {
            freeReplyObject(r);
        }
        return -1;
    }
    freeReplyObject(r);
    return 0;
}

/* ---- values, one function per type; each returns 0 (equal or the first
 * difference reported) or -1 (error, printed) ---- */

/* Compares the lengths both sides gave for cmd; reports a difference.
 * @returns 1 equal, 0 different, -1 error. */
static int same_length(verify_t *v, const char *cmd, long long *len) {
    redisReply *a, *b;
    int eq;
    argkey(v, cmd);
    if (call2(v, &a, &b)) {
        return -1;
    }
    if (a->type != REDIS_REPLY_INTEGER || b->type != REDIS_REPLY_INTEGER) {
        free2(a, b);
        return bad_reply(&v->src, cmd);
    }
    eq = a->integer == b->integer;
    if (!eq) {
        diff(v, D_VALUE, "value differs: length %lld vs %lld", a->integer,
             b->integer);
    }
    *len = a->integer;
    free2(a, b);
    return eq;
}

/* Strings: the length and the first VERIFY_HEAD bytes come pipelined with
 * the page of keys (cmp_keys); a longer string goes on in chunks. */
static int cmp_string(verify_t *v, redisReply **a, redisReply **b) {
    long long len, off;
    if (a[0]->type != REDIS_REPLY_INTEGER ||
        b[0]->type != REDIS_REPLY_INTEGER) {
        return bad_reply(&v->src, "STRLEN");
    }
    len = a[0]->integer;
    if (len != b[0]->integer) {
        diff(v, D_VALUE, "value differs: length %lld vs %lld", len,
             b[0]->integer);
        return 0;
    }
    if (!reply_equal(a[1], b[1])) {
        diff(v, D_VALUE, "value differs: bytes 0..%lld",
             (len < VERIFY_HEAD ? len : VERIFY_HEAD) - 1);
        return 0;
    }
    for (off = VERIFY_HEAD; off < len; off += VERIFY_CHUNK) {
        char s[32], e[32];
        redisReply *x, *y;
        int eq;
        snprintf(s, sizeof(s), "%lld", off);
        snprintf(e, sizeof(e), "%lld", off + VERIFY_CHUNK - 1);
        argkey(v, "GETRANGE");
        args(v, s);
        args(v, e);
        if (call2(v, &x, &y)) {
            return -1;
        }
        eq = reply_equal(x, y);
        free2(x, y);
        if (!eq) {
            diff(v, D_VALUE, "value differs: bytes %lld..%lld", off,
                 off + VERIFY_CHUNK - 1 < len ? off + VERIFY_CHUNK - 1
                                              : len - 1);
            return 0;
        }
    }
    return 0;
}

static int cmp_list(verify_t *v) {
    long long len, start;
    int rc = same_length(v, "LLEN", &len);
    if (rc <= 0) {
        return rc;
    }
    for (start = 0; start < len; start += VERIFY_BATCH) {
        char s[32], e[32];
        redisReply *a, *b;
        snprintf(s, sizeof(s), "%lld", start);
        snprintf(e, sizeof(e), "%lld", start + VERIFY_BATCH - 1);
        argkey(v, "LRANGE");
        args(v, s);
        args(v, e);
        if (call2(v, &a, &b)) {
            return -1;
        }
        if (!is_array(a, 0) || !is_array(b, 0)) {
            free2(a, b);
            return bad_reply(&v->src, "LRANGE");
        }
        for (size_t i = 0; i < a->elements || i < b->elements; i++) {
            if (i >= a->elements || i >= b->elements ||
                !reply_equal(a->element[i], b->element[i])) {
                diff(v, D_VALUE, "value differs: element %lld",
                     start + (long long)i);
                free2(a, b);
                return 0;
            }
        }
        free2(a, b);
    }
    return 0;
}

typedef enum { SC_SET, SC_ZSET, SC_HASH } scan_kind_t;

/* One source member (with its score or value, NULL for a set) against the
 * target's answer to the lookup. @returns 1 if they differ (reported). */
static int cmp_member(verify_t *v, scan_kind_t kind, const redisReply *m,
                      const redisReply *val, const redisReply *got) {
    char k[ESC_SIZE], x[ESC_SIZE], y[ESC_SIZE] = "?";
    int missing = kind == SC_SET ? got->type != REDIS_REPLY_INTEGER ||
                                       got->integer != 1
                                 : got->type == REDIS_REPLY_NIL;
    if (missing) {
        diff(v, D_VALUE, "value differs: %s \"%s\" missing on target",
             kind == SC_HASH ? "field" : "member", esc(k, m->str, m->len));
        return 1;
    }
    if (kind == SC_ZSET) {
        /* Scores as exact doubles: both texts are parsed, so that only
         * the number counts, never its spelling. */
        if (!is_str(got) || strtod(val->str, NULL) != strtod(got->str, NULL)) {
            if (is_str(got)) {
                esc(y, got->str, got->len);
            }
            diff(v, D_VALUE, "value differs: member \"%s\" score %s vs %s",
                 esc(k, m->str, m->len), esc(x, val->str, val->len), y);
            return 1;
        }
    } else if (kind == SC_HASH && !reply_equal(val, got)) {
        diff(v, D_VALUE, "value differs: field \"%s\"",
             esc(k, m->str, m->len));
        return 1;
    }
    return 0;
}

/* Walks a set, zset or hash of the source with SSCAN, ZSCAN or HSCAN and
 * looks each batch up on the target with SMISMEMBER, ZMSCORE or HMGET.
 * With equal cardinalities, every source member found equal on the
 * target means equal values; neither side is ever loaded whole. */
static int cmp_scanned(verify_t *v, scan_kind_t kind) {
    static const char *const len_cmds[] = {"SCARD", "ZCARD", "HLEN"};
    static const char *const scan_cmds[] = {"SSCAN", "ZSCAN", "HSCAN"};
    static const char *const lookup_cmds[] = {"SMISMEMBER", "ZMSCORE",
                                              "HMGET"};
    size_t step = kind == SC_SET ? 1 : 2;
    char cursor[32] = "0", count[16];
    long long len;
    int rc = same_length(v, len_cmds[kind], &len);
    if (rc <= 0) {
        return rc;
    }
    snprintf(count, sizeof(count), "%d", VERIFY_BATCH / 2);
    do {
        redisReply *a, *b, *items;
        argkey(v, scan_cmds[kind]);
        args(v, cursor);
        args(v, "COUNT");
        args(v, count);
        if ((a = call1(v, &v->src)) == NULL) {
            return -1;
        }
        if (!is_array(a, 2) || !is_str(a->element[0]) ||
            a->element[0]->len >= sizeof(cursor) ||
            !is_array(a->element[1], 0) ||
            a->element[1]->elements % step != 0) {
            freeReplyObject(a);
            return bad_reply(&v->src, scan_cmds[kind]);
        }
        memcpy(cursor, a->element[0]->str, a->element[0]->len);
        cursor[a->element[0]->len] = '\0';
        items = a->element[1];
        /* COUNT is a hint: a small encoding answers whole (which is still
         * small). Look up in slices that fit the argument array. */
        for (size_t off = 0; off < items->elements;) {
            size_t first = off, n = 0;
            argkey(v, lookup_cmds[kind]);
            for (; off < items->elements && n < VERIFY_BATCH;
                 off += step, n++) {
                arg(v, items->element[off]->str, items->element[off]->len);
            }
            if ((b = call1(v, &v->dst)) == NULL) {
                freeReplyObject(a);
                return -1;
            }
            if (!is_array(b, n)) {
                free2(a, b);
                return bad_reply(&v->dst, lookup_cmds[kind]);
            }
            for (size_t i = 0; i < n; i++) {
                size_t at = first + i * step;
                if (cmp_member(v, kind, items->element[at],
                               step == 2 ? items->element[at + 1] : NULL,
                               b->element[i])) {
                    free2(a, b);
                    return 0;
                }
            }
            freeReplyObject(b);
        }
        freeReplyObject(a);
    } while (strcmp(cursor, "0") != 0);
    return 0;
}

/* Entries in XRANGE windows: the same window on both sides, the next one
 * starting after the last id seen. @returns 0 equal, 1 a difference
 * (reported), -1 error. */
static int cmp_stream_entries(verify_t *v) {
    char start[64] = "-", count[16];
    snprintf(count, sizeof(count), "%d", VERIFY_BATCH / 5);
    for (;;) {
        redisReply *a, *b;
        size_t i;
        argkey(v, "XRANGE");
        args(v, start);
        args(v, "+");
        args(v, "COUNT");
        args(v, count);
        if (call2(v, &a, &b)) {
            return -1;
        }
        if (!is_array(a, 0) || !is_array(b, 0)) {
            free2(a, b);
            return bad_reply(&v->src, "XRANGE");
        }
        for (i = 0; i < a->elements || i < b->elements; i++) {
            if (i >= a->elements || i >= b->elements ||
                !reply_equal(a->element[i], b->element[i])) {
                const redisReply *e = i < a->elements ? a->element[i]
                                                      : b->element[i];
                char id[ESC_SIZE] = "?";
                if (is_array(e, 1) && is_str(e->element[0])) {
                    esc(id, e->element[0]->str, e->element[0]->len);
                }
                diff(v, D_VALUE, "value differs: entry %s", id);
                free2(a, b);
                return 1;
            }
        }
        if (a->elements == 0) {
            free2(a, b);
            return 0;
        }
        {
            const redisReply *last = a->element[a->elements - 1];
            if (!is_array(last, 1) || !is_str(last->element[0]) ||
                last->element[0]->len + 2 > sizeof(start)) {
                free2(a, b);
                return bad_reply(&v->src, "XRANGE");
            }
            start[0] = '(';
            memcpy(start + 1, last->element[0]->str, last->element[0]->len);
            start[last->element[0]->len + 1] = '\0';
        }
        free2(a, b);
    }
}

/* Pending entries of a group in XPENDING windows: id, consumer and
 * delivery count (the idle time is the reader's clock, not data).
 * @returns 1 equal, 0 a difference (reported), -1 error. */
static int cmp_pending(verify_t *v, const redisReply *group) {
    char start[64] = "-", count[16], g[ESC_SIZE];
    snprintf(count, sizeof(count), "%d", VERIFY_BATCH);
    for (;;) {
        redisReply *a, *b;
        argkey(v, "XPENDING");
        arg(v, group->str, group->len);
        args(v, start);
        args(v, "+");
        args(v, count);
        if (call2(v, &a, &b)) {
            return -1;
        }
        if (!is_array(a, 0) || !is_array(b, 0)) {
            free2(a, b);
            return bad_reply(&v->src, "XPENDING");
        }
        for (size_t i = 0; i < a->elements || i < b->elements; i++) {
            const redisReply *x, *y;
            if (i >= a->elements || i >= b->elements) {
                diff(v, D_VALUE, "value differs: group \"%s\" pending list",
                     esc(g, group->str, group->len));
                free2(a, b);
                return 0;
            }
            x = a->element[i];
            y = b->element[i];
            if (!is_array(x, 4) || !is_array(y, 4)) {
                free2(a, b);
                return bad_reply(&v->src, "XPENDING");
            }
            if (!reply_equal(x->element[0], y->element[0]) ||
                !reply_equal(x->element[1], y->element[1]) ||
                !reply_equal(x->element[3], y->element[3])) {
                char id[ESC_SIZE];
                diff(v, D_VALUE,
                     "value differs: group \"%s\" pending entry %s",
                     esc(g, group->str, group->len),
                     esc(id, x->element[0]->str, x->element[0]->len));
                free2(a, b);
                return 0;
            }
        }
        if (a->elements == 0) {
            free2(a, b);
            return 1;
        }
        {
            const redisReply *id = a->element[a->elements - 1]->element[0];
            if (!is_str(id) || id->len + 2 > sizeof(start)) {
                free2(a, b);
                return bad_reply(&v->src, "XPENDING");
            }
            start[0] = '(';
            memcpy(start + 1, id->str, id->len);
            start[id->len + 1] = '\0';
        }
        free2(a, b);
    }
}

/* Consumers of a group: names and pending counts (seen/active times are
 * not replicated). Groups and consumers come in name order on both.
 * @returns 1 equal, 0 a difference (reported), -1 error. */
static int cmp_consumers(verify_t *v, const redisReply *group) {
    static const char *const fields[] = {"name", "pending"};
    char g[ESC_SIZE];
    redisReply *a, *b;
    arg_reset(v);
    args(v, "XINFO");
    args(v, "CONSUMERS");
    arg(v, v->key, v->klen);
    arg(v, group->str, group->len);
    if (call2(v, &a, &b)) {
        return -1;
    }
    if (!is_array(a, 0) || !is_array(b, 0)) {
        free2(a, b);
        return bad_reply(&v->src, "XINFO CONSUMERS");
    }
    for (size_t i = 0; i < a->elements || i < b->elements; i++) {
        int eq = i < a->elements && i < b->elements;
        for (size_t f = 0; eq && f < 2; f++) {
            eq = field_equal(a->element[i], b->element[i], fields[f]);
        }
        if (!eq) {
            diff(v, D_VALUE, "value differs: group \"%s\" consumers",
                 esc(g, group->str, group->len));
            free2(a, b);
            return 0;
        }
    }
    free2(a, b);
    return 1;
}

static int cmp_stream(verify_t *v) {
    /* entries-read and lag are left out: Redis 7.0 does not replicate
     * them exactly. */
    static const char *const stream_fields[] = {
        "last-generated-id", "max-deleted-entry-id", "entries-added",
        "recorded-first-entry-id"};
    static const char *const group_fields[] = {"name", "consumers",
                                               "pending",
                                               "last-delivered-id"};
    long long len;
    redisReply *a, *b;
    int rc = same_length(v, "XLEN", &len);
    if (rc <= 0) {
        return rc;
    }
    rc = cmp_stream_entries(v);
    if (rc != 0) {
        return rc < 0 ? -1 : 0;
    }
    arg_reset(v);
    args(v, "XINFO");
    args(v, "STREAM");
    arg(v, v->key, v->klen);
    if (call2(v, &a, &b)) {
        return -1;
    }
    for (size_t f = 0; f < sizeof(stream_fields) / sizeof(*stream_fields);
         f++) {
        if (!field_equal(a, b, stream_fields[f])) {
            diff(v, D_VALUE, "value differs: %s", stream_fields[f]);
            free2(a, b);
            return 0;
        }
    }
    free2(a, b);
    arg_reset(v);
    args(v, "XINFO");
    args(v, "GROUPS");
    arg(v, v->key, v->klen);
    if (call2(v, &a, &b)) {
        return -1;
    }
    if (!is_array(a, 0) || !is_array(b, 0)) {
        free2(a, b);
        return bad_reply(&v->src, "XINFO GROUPS");
    }
    if (a->elements != b->elements) {
        diff(v, D_VALUE, "value differs: %zu groups vs %zu", a->elements,
             b->elements);
        free2(a, b);
        return 0;
    }
    for (size_t i = 0; i < a->elements; i++) {
        const redisReply *name = field(a->element[i], "name");
        char g[ESC_SIZE];
        if (name == NULL || !is_str(name)) {
            free2(a, b);
            return bad_reply(&v->src, "XINFO GROUPS");
        }
        for (size_t f = 0; f < sizeof(group_fields) / sizeof(*group_fields);
             f++) {
            if (!field_equal(a->element[i], b->element[i], group_fields[f])) {
                diff(v, D_VALUE, "value differs: group \"%s\" %s",
                     esc(g, name->str, name->len), group_fields[f]);
                free2(a, b);
                return 0;
            }
        }
        rc = cmp_consumers(v, name);
        if (rc == 1) {
            rc = cmp_pending(v, name);
        }
        if (rc <= 0) {
            free2(a, b);
            return rc;
        }
    }
    free2(a, b);
    return 0;
}

/* ---- keys ---- */

/* Any type but strings (see cmp_keys). */
static int cmp_value(verify_t *v, const char *type) {
    if (strcmp(type, "list") == 0) {
        return cmp_list(v);
    } else if (strcmp(type, "set") == 0) {
        return cmp_scanned(v, SC_SET);
    } else if (strcmp(type, "zset") == 0) {
        return cmp_scanned(v, SC_ZSET);
    } else if (strcmp(type, "hash") == 0) {
        return cmp_scanned(v, SC_HASH);
    } else if (strcmp(type, "stream") == 0) {
        return cmp_stream(v);
    }
    /* A module type: compared by its serialized form, which is small
     * enough in practice and the only generic view of it. */
    {
        redisReply *a, *b;
        argkey(v, "DUMP");
        if (call2(v, &a, &b)) {
            return -1;
        }
        if (!reply_equal(a, b)) {
            diff(v, D_VALUE, "value differs: DUMP of %s", type);
        }
        free2(a, b);
    }
    return 0;
}

static int ignored(const verify_t *v, const char *key, size_t klen) {
    return v->prefix_len > 0 && klen >= v->prefix_len &&
           memcmp(key, v->prefix, v->prefix_len) == 0;
}

static void send_key_cmd(verify_t *v, const char *cmd, const char *x,
                         const char *y) {
    argkey(v, cmd);
    if (x != NULL) {
        args(v, x);
        args(v, y);
    }
}

/* Sends the built command to both sides without waiting. */
static int send2(verify_t *v) {
    return send_args(v, &v->src) || send_args(v, &v->dst) ? -1 : 0;
}

/* Reads the replies of n commands sent with send2 into the slots
 * ra/rb[4i + first]. */
static int read2(verify_t *v, redisReply **ra, redisReply **rb, size_t n,
                 size_t first, const char *cmd) {
    for (size_t i = 0; i < n; i++) {
        ra[4 * i + first] = get_reply(&v->src, cmd);
        rb[4 * i + first] = get_reply(&v->dst, cmd);
        if (ra[4 * i + first] == NULL || rb[4 * i + first] == NULL) {
            return -1;
        }
    }
    return 0;
}

/* Compares the keys of a SCAN page (or one sampled key). Round trips are
 * what a big dataset costs, so the page is pipelined on both sides: TYPE
 * and PEXPIRETIME of every key, then STRLEN and the first bytes of every
 * string. Other values are compared key by key. Replies of key i are in
 * ra/rb[4i .. 4i+3]: TYPE, PEXPIRETIME, STRLEN, GETRANGE. */
static int cmp_keys(verify_t *v, redisReply **keys, size_t n) {
    redisReply **ra = calloc(4 * n + 1, sizeof(*ra));
    redisReply **rb = calloc(4 * n + 1, sizeof(*rb));
    int *str = calloc(n + 1, sizeof(*str));
    int rc = -1;
    size_t i;
    if (ra == NULL || rb == NULL || str == NULL) {
        fprintf(stderr, "rkbridge: out of memory\n");
        goto out;
    }
    for (i = 0; i < n; i++) {
        v->key = keys[i]->str;
        v->klen = keys[i]->len;
        send_key_cmd(v, "TYPE", NULL, NULL);
        if (send2(v)) {
            goto out;
        }
    }
    for (i = 0; i < n; i++) {
        v->key = keys[i]->str;
        v->klen = keys[i]->len;
        send_key_cmd(v, "PEXPIRETIME", NULL, NULL);
        if (send2(v)) {
            goto out;
        }
    }
    if (read2(v, ra, rb, n, 0, "TYPE") ||
        read2(v, ra, rb, n, 1, "PEXPIRETIME")) {
        goto out;
    }
    for (i = 0; i < n; i++) {
        redisReply *ta = ra[4 * i], *tb = rb[4 * i];
        if (!is_str(ta) || !is_str(tb)) {
            bad_reply(&v->src, "TYPE");
            goto out;
        }
        str[i] = strcmp(ta->str, "string") == 0 &&
                 strcmp(tb->str, "string") == 0;
    }
    for (i = 0; i < n; i++) {
        if (!str[i]) {
            continue;
        }
        v->key = keys[i]->str;
        v->klen = keys[i]->len;
        send_key_cmd(v, "STRLEN", NULL, NULL);
        if (send2(v)) {
            goto out;
        }
        send_key_cmd(v, "GETRANGE", "0", VERIFY_HEAD_LAST);
        if (send2(v)) {
            goto out;
        }
    }
    for (i = 0; i < n; i++) {
        if (str[i] && (read2(v, ra + 4 * i, rb + 4 * i, 1, 2, "STRLEN") ||
                       read2(v, ra + 4 * i, rb + 4 * i, 1, 3, "GETRANGE"))) {
            goto out;
        }
    }
    for (i = 0; i < n; i++) {
        redisReply *ta = ra[4 * i], *tb = rb[4 * i];
        redisReply *ea = ra[4 * i + 1], *eb = rb[4 * i + 1];
        v->key = keys[i]->str;
        v->klen = keys[i]->len;
        if (ea->type != REDIS_REPLY_INTEGER ||
            eb->type != REDIS_REPLY_INTEGER) {
            bad_reply(&v->src, "PEXPIRETIME");
            goto out;
        }
        if (strcmp(ta->str, "none") == 0) {
            /* Deleted or expired since SCAN saw it: nothing to compare. */
            continue;
        }
        v->keys++;
        if (strcmp(tb->str, "none") == 0) {
            diff(v, D_MISSING, "missing on target");
            continue;
        }
        if (strcmp(ta->str, tb->str) != 0) {
            diff(v, D_TYPE, "type %s vs %s", ta->str, tb->str);
            continue;
        }
        /* Absolute times in ms, compared exactly: a replica and the
         * bridge carry the master's expiry times unchanged. */
        if (ea->integer != eb->integer) {
            char x[32] = "none", y[32] = "none";
            if (ea->integer >= 0) {
                snprintf(x, sizeof(x), "%lld", ea->integer);
            }
            if (eb->integer >= 0) {
                snprintf(y, sizeof(y), "%lld", eb->integer);
            }
            diff(v, D_EXPIRY, "expiry %s vs %s", x, y);
        }
        if (str[i] ? cmp_string(v, ra + 4 * i + 2, rb + 4 * i + 2)
                   : cmp_value(v, ta->str)) {
            goto out;
        }
    }
    rc = 0;
out:
    for (i = 0; ra != NULL && rb != NULL && i < 4 * n; i++) {
        free2(ra[i], rb[i]);
    }
    free(ra);
    free(rb);
    free(str);
    v->key = NULL;
    return rc;
}

/* Keys of the target that the source lacks, one SCAN page: EXISTS on the
 * source for each, pipelined. */
static int find_extra(verify_t *v, redisReply **keys, size_t n) {
    size_t i;
    int rc = 0;
    for (i = 0; i < n; i++) {
        v->key = keys[i]->str;
        v->klen = keys[i]->len;
        argkey(v, "EXISTS");
        if (send_args(v, &v->src)) {
            return -1;
        }
    }
    for (i = 0; i < n; i++) {
        redisReply *r = get_reply(&v->src, "EXISTS");
        if (r == NULL) {
            /* The connection is unusable now; the rest is not read. */
            v->key = NULL;
            return -1;
        }
        if (r->type == REDIS_REPLY_INTEGER && r->integer == 0) {
            v->key = keys[i]->str;
            v->klen = keys[i]->len;
            v->keys++;
            diff(v, D_EXTRA, "extra on target");
        }
        freeReplyObject(r);
    }
    v->key = NULL;
    return rc;
}

/* SCANs one side's current db, calling fn on each page of keys outside
 * the ignored prefix. */
static int scan_db(verify_t *v, side_t *s,
                   int (*fn)(verify_t *, redisReply **, size_t)) {
    char cursor[32] = "0";
    redisReply **keep = NULL;
    int rc = 0;
    do {
        redisReply *r, *list;
        size_t n = 0;
        arg_reset(v);
        args(v, "SCAN");
        args(v, cursor);
        args(v, "COUNT");
        args(v, VERIFY_SCAN_COUNT);
        if ((r = call1(v, s)) == NULL) {
            return -1;
        }
        if (!is_array(r, 2) || !is_str(r->element[0]) ||
            r->element[0]->len >= sizeof(cursor) ||
            !is_array(r->element[1], 0)) {
            freeReplyObject(r);
            return bad_reply(s, "SCAN");
        }
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        list = r->element[1];
        keep = calloc(list->elements + 1, sizeof(*keep));
        if (keep == NULL) {
            freeReplyObject(r);
            fprintf(stderr, "rkbridge: out of memory\n");
            return -1;
        }
        for (size_t i = 0; i < list->elements; i++) {
            if (is_str(list->element[i]) &&
                !ignored(v, list->element[i]->str, list->element[i]->len)) {
                keep[n++] = list->element[i];
            }
        }
        rc = n ? fn(v, keep, n) : 0;
        free(keep);
        freeReplyObject(r);
    } while (rc == 0 && strcmp(cursor, "0") != 0);
    return rc;
}

/* Samples n keys of the current db with RANDOMKEY on the source. */
static int sample_db(verify_t *v, long long n) {
    long long done = 0, tries = 0;
    while (done < n && tries++ < 3 * n) {
        redisReply *r;
        arg_reset(v);
        args(v, "RANDOMKEY");
        if ((r = call1(v, &v->src)) == NULL) {
            return -1;
        }
        if (r->type == REDIS_REPLY_NIL) {
            freeReplyObject(r);
            return 0;
        }
        if (!is_str(r)) {
            freeReplyObject(r);
            return bad_reply(&v->src, "RANDOMKEY");
        }
        if (!ignored(v, r->str, r->len)) {
            if (cmp_keys(v, &r, 1)) {
                freeReplyObject(r);
                return -1;
            }
            done++;
        }
        freeReplyObject(r);
    }
    return 0;
}

/* Adds keys=N of each "dbN:keys=N,..." line of INFO keyspace to counts. */
struct keyspace_ctx {
    const side_t *s;
    long long *counts;
};

static int count_db(void *arg, long db, long long keys) {
    struct keyspace_ctx *ctx = arg;
    if (db < 0 || db >= VERIFY_MAX_DBS) {
        fprintf(stderr, "rkbridge: %s: db %ld is out of range\n", ctx->s->addr,
                db);
        return -1;
    }
    /* Marked present even when empty of counted keys. */
    ctx->counts[db] += keys + (keys == 0);
    return 0;
}

static int keyspace(verify_t *v, side_t *s, long long *counts) {
    redisReply *r;
    arg_reset(v);
    args(v, "INFO");
    args(v, "keyspace");
    if ((r = call1(v, s)) == NULL) {
        return -1;
    }
    if (r->type != REDIS_REPLY_STRING) {
        freeReplyObject(r);
        return bad_reply(s, "INFO");
    }
    struct keyspace_ctx ctx = {s, counts};
    int rc = rkb_redis_keyspace(r->str, count_db, &ctx);
    freeReplyObject(r);
    return rc ? -1 : 0;
}

static int select_db(verify_t *v, int db) {
    char n[16];
    redisReply *a, *b;
    snprintf(n, sizeof(n), "%d", db);
    arg_reset(v);
    args(v, "SELECT");
    args(v, n);
    if (call2(v, &a, &b)) {
        return -1;
    }
    free2(a, b);
    v->db = db;
    return 0;
}

/* Function libraries: by name on both sides (FUNCTION LIST comes in hash
 * order), each compared by engine and code, which define its functions. */
static int cmp_functions(verify_t *v) {
    redisReply *a, *b;
    size_t i, j;
    arg_reset(v);
    args(v, "FUNCTION");
    args(v, "LIST");
    args(v, "WITHCODE");
    if (call2(v, &a, &b)) {
        return -1;
    }
    if (!is_array(a, 0) || !is_array(b, 0)) {
        free2(a, b);
        return bad_reply(&v->src, "FUNCTION LIST");
    }
    for (int pass = 0; pass < 2; pass++) {
        redisReply *x = pass ? b : a, *y = pass ? a : b;
        for (i = 0; i < x->elements; i++) {
            const redisReply *name = field(x->element[i], "library_name");
            const redisReply *other = NULL;
            if (name == NULL || !is_str(name)) {
                free2(a, b);
                return bad_reply(&v->src, "FUNCTION LIST");
            }
            for (j = 0; j < y->elements && other == NULL; j++) {
                const redisReply *n = field(y->element[j], "library_name");
                if (n != NULL && reply_equal(n, name)) {
                    other = y->element[j];
                }
            }
            v->lib = name->str;
            if (other == NULL) {
                diff(v, pass ? D_EXTRA : D_MISSING, "%s",
                     pass ? "extra on target" : "missing on target");
            } else if (!pass && (!field_equal(x->element[i], other,
                                              "engine") ||
                                 !field_equal(x->element[i], other,
                                              "library_code"))) {
                diff(v, D_VALUE, "value differs: code");
            }
        }
    }
    v->lib = NULL;
    free2(a, b);
    return 0;
}

static int run(verify_t *v) {
    long long *src_keys = calloc(VERIFY_MAX_DBS, sizeof(long long));
    long long *dst_keys = calloc(VERIFY_MAX_DBS, sizeof(long long));
    long long total = 0, cum = 0;
    int rc = -1, ndbs = 0;
    if (src_keys == NULL || dst_keys == NULL) {
        fprintf(stderr, "rkbridge: out of memory\n");
        goto out;
    }
    if (keyspace(v, &v->src, src_keys) || keyspace(v, &v->dst, dst_keys) ||
        cmp_functions(v)) {
        goto out;
    }
    for (int db = 0; db < VERIFY_MAX_DBS; db++) {
        total += src_keys[db];
    }
    for (int db = 0; db < VERIFY_MAX_DBS; db++) {
        if (v->sample > 0) {
            /* Shares proportional to the sizes, rounded on the running
             * sum so that they add up to the sample exactly. */
            long long from = total ? v->sample * cum / total : 0, to;
            cum += src_keys[db];
            to = total ? v->sample * cum / total : 0;
            if (src_keys[db] == 0 || to == from) {
                continue;
            }
            ndbs++;
            if (select_db(v, db) || sample_db(v, to - from)) {
                goto out;
            }
            continue;
        }
        if (src_keys[db] == 0 && dst_keys[db] == 0) {
            continue;
        }
        ndbs++;
        if (select_db(v, db) || scan_db(v, &v->src, cmp_keys) ||
            scan_db(v, &v->dst, find_extra)) {
            goto out;
        }
    }
    if (v->total_diffs > v->max_diffs) {
        printf("... %lld more differences not shown (--max-diffs %lld)\n",
               v->total_diffs - v->max_diffs, v->max_diffs);
    }
    printf("verify: %lld keys compared in %d dbs, %lld differences "
           "(missing on target %lld, extra on target %lld, type %lld, "
           "value %lld, expiry %lld)%s\n",
           v->keys, ndbs, v->total_diffs, v->diffs[D_MISSING],
           v->diffs[D_EXTRA], v->diffs[D_TYPE], v->diffs[D_VALUE],
           v->diffs[D_EXPIRY],
           v->sample > 0 ? "; a random sample of the source's keys, "
                           "extra keys on the target not looked for"
                         : "");
    rc = 0;
out:
    free(src_keys);
    free(dst_keys);
    return rc;
}

/* ---- options ---- */

static int parse_addr(side_t *s, const char *opt, const char *text) {
    const char *colon = strrchr(text, ':'), *h = text;
    size_t hlen;
    char *end;
    long port;
    if (colon == NULL) {
        fprintf(stderr, "rkbridge: %s: '%s' is not HOST:PORT\n", opt, text);
        return -1;
    }
    hlen = (size_t)(colon - text);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++; /* [::1]:6379 */
        hlen -= 2;
    }
    port = strtol(colon + 1, &end, 10);
    if (hlen == 0 || hlen >= sizeof(s->host) || *end || end == colon + 1 ||
        port < 1 || port > 65535) {
        fprintf(stderr, "rkbridge: %s: '%s' is not HOST:PORT\n", opt, text);
        return -1;
    }
    memcpy(s->host, h, hlen);
    s->host[hlen] = '\0';
    s->port = (int)port;
    s->addr = text;
    return 0;
}

static int parse_count(const char *opt, const char *text, long long *out) {
    char *end;
    long long n = strtoll(text, &end, 10);
    if (*end || end == text || n < 0) {
        fprintf(stderr, "rkbridge: %s: '%s' is not a count\n", opt, text);
        return -1;
    }
    *out = n;
    return 0;
}

int tool_verify(int argc, char **argv) {
    static const struct option opts[] = {
        {"source", required_argument, NULL, 's'},
        {"target", required_argument, NULL, 't'},
        {"sample", required_argument, NULL, 'n'},
        {"max-diffs", required_argument, NULL, 'm'},
        {"ignore-prefix", required_argument, NULL, 'i'},
        {"source-user", required_argument, NULL, 'u'},
        {"source-password", required_argument, NULL, 'p'},
        {"target-user", required_argument, NULL, 'U'},
        {"target-password", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    verify_t *v = calloc(1, sizeof(*v));
    const char *src = NULL, *dst = NULL;
    int c, rc = 1;
    if (v == NULL) {
        fprintf(stderr, "rkbridge: out of memory\n");
        return 2;
    }
    v->prefix = "rkbridge:";
    v->max_diffs = 100;
    v->src.password = getenv("RKB_SOURCE_PASSWORD");
    v->dst.password = getenv("RKB_TARGET_PASSWORD");
    /* An empty variable is as good as none (an unset password). */
    if (v->src.password != NULL && v->src.password[0] == '\0') {
        v->src.password = NULL;
    }
    if (v->dst.password != NULL && v->dst.password[0] == '\0') {
        v->dst.password = NULL;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            src = optarg;
            break;
        case 't':
            dst = optarg;
            break;
        case 'n':
            if (parse_count("--sample", optarg, &v->sample)) {
                goto out;
            }
            if (v->sample == 0) {
                fprintf(stderr, "rkbridge: --sample: must be at least 1\n");
                goto out;
            }
            break;
        case 'm':
            if (parse_count("--max-diffs", optarg, &v->max_diffs)) {
                goto out;
            }
            break;
        case 'i':
            v->prefix = optarg;
            break;
        case 'u':
            v->src.user = optarg;
            break;
        case 'p':
            v->src.password = optarg;
            break;
        case 'U':
            v->dst.user = optarg;
            break;
        case 'P':
            v->dst.password = optarg;
            break;
        default:
            goto out;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "rkbridge: verify: unexpected argument '%s'\n",
                argv[optind]);
        goto out;
    }
    if (src == NULL || dst == NULL) {
        fprintf(stderr, "rkbridge: verify: --source and --target are "
                        "required\n");
        goto out;
    }
    if (parse_addr(&v->src, "--source", src) ||
        parse_addr(&v->dst, "--target", dst)) {
        goto out;
    }
    if ((v->src.user && !v->src.password) ||
        (v->dst.user && !v->dst.password)) {
        fprintf(stderr, "rkbridge: verify: a user needs a password "
                        "(option or RKB_*_PASSWORD)\n");
        goto out;
    }
    v->prefix_len = strlen(v->prefix);
    rc = 2;
    if (connect_side(&v->src) || connect_side(&v->dst) || run(v)) {
        goto out;
    }
    rc = v->total_diffs ? 2 : 0;
out:
    fflush(stdout);
    if (v->src.c) {
        redisFree(v->src.c);
    }
    if (v->dst.c) {
        redisFree(v->dst.c);
    }
    free(v);
    return rc;
}
