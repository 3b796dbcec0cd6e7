/* cons_rewrite.c -- see cons_rewrite.h. */
#include "rkb_fmacros.h"
#include "cons_rewrite.h"
#include "rkb_resp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- filters */

long cons_filter_db(const cons_filter_t *f, long src) {
    size_t i;
    if (src < 0) {
        return -1;
    }
    if (f->n_dbs > 0) {
        for (i = 0; i < f->n_dbs && f->dbs[i] != src; i++) {
        }
        if (i == f->n_dbs) {
            return -1;
        }
    }
    for (i = 0; i < f->n_map; i++) {
        if (f->map[i].src == src) {
            return f->map[i].dst;
        }
    }
    return src;
}

static int has_prefix(const char *key, size_t len, const char *const *pfx,
                      size_t n) {
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(pfx[i]);
        if (pl <= len && memcmp(key, pfx[i], pl) == 0) {
            return 1;
        }
    }
    return 0;
}

int cons_filter_key(const cons_filter_t *f, const char *key, size_t len) {
    if (f->n_include > 0 && !has_prefix(key, len, f->include, f->n_include)) {
        return 0;
    }
    return !has_prefix(key, len, f->exclude, f->n_exclude);
}

int cons_filter_has_prefixes(const cons_filter_t *f) {
    return f->n_include > 0 || f->n_exclude > 0;
}

/* ------------------------------------------------------------ key specs */

/* Where a write command's keys are, for the prefix filters: arguments
 * first..last (negative: counted from the end) every step, plus the
 * special shapes below. Only commands a master replicates are listed; any
 * other one is refused while prefix filters are set, since applying or
 * dropping it blind could not be right. */
typedef enum {
    KS_RANGE,    /* first, last, step */
    KS_NUMKEYS,  /* dest at first (0: none), count at argv[first+1] */
    KS_EVAL,     /* numkeys at argv[2], keys from argv[3] */
    KS_STORE,    /* key at 1, and the argument after STORE/STOREDIST */
    KS_SUBKEY    /* XGROUP/OBJECT-like: the key is argv[2] */
} ks_kind_t;

typedef struct keyspec_s {
    const char *name;
    ks_kind_t kind;
    int first, last, step;
} keyspec_t;

/* clang-format off */
static const keyspec_t keyspecs[] = {
    /* strings */
    {"SET", KS_RANGE, 1, 1, 1}, {"SETNX", KS_RANGE, 1, 1, 1},
    {"SETEX", KS_RANGE, 1, 1, 1}, {"PSETEX", KS_RANGE, 1, 1, 1},
    {"APPEND", KS_RANGE, 1, 1, 1}, {"SETRANGE", KS_RANGE, 1, 1, 1},
    {"INCR", KS_RANGE, 1, 1, 1}, {"DECR", KS_RANGE, 1, 1, 1},
    {"INCRBY", KS_RANGE, 1, 1, 1}, {"DECRBY", KS_RANGE, 1, 1, 1},
    {"INCRBYFLOAT", KS_RANGE, 1, 1, 1}, {"GETSET", KS_RANGE, 1, 1, 1},
    {"GETDEL", KS_RANGE, 1, 1, 1}, {"GETEX", KS_RANGE, 1, 1, 1},
    {"SETBIT", KS_RANGE, 1, 1, 1}, {"BITFIELD", KS_RANGE, 1, 1, 1},
    {"BITOP", KS_RANGE, 2, -1, 1}, {"MSET", KS_RANGE, 1, -1, 2},
    {"MSETNX", KS_RANGE, 1, -1, 2},
    /* generic */
    {"DEL", KS_RANGE, 1, -1, 1}, {"UNLINK", KS_RANGE, 1, -1, 1},
    {"EXPIRE", KS_RANGE, 1, 1, 1}, {"PEXPIRE", KS_RANGE, 1, 1, 1},
    {"EXPIREAT", KS_RANGE, 1, 1, 1}, {"PEXPIREAT", KS_RANGE, 1, 1, 1},
    {"PERSIST", KS_RANGE, 1, 1, 1}, {"RENAME", KS_RANGE, 1, 2, 1},
    {"RENAMENX", KS_RANGE, 1, 2, 1}, {"RESTORE", KS_RANGE, 1, 1, 1},
    {"RESTORE-ASKING", KS_RANGE, 1, 1, 1}, {"TOUCH", KS_RANGE, 1, -1, 1},
    {"SORT", KS_STORE, 1, 1, 1}, {"MOVE", KS_RANGE, 1, 1, 1},
    {"COPY", KS_RANGE, 1, 2, 1},
    /* lists */
    {"LPUSH", KS_RANGE, 1, 1, 1}, {"RPUSH", KS_RANGE, 1, 1, 1},
    {"LPUSHX", KS_RANGE, 1, 1, 1}, {"RPUSHX", KS_RANGE, 1, 1, 1},
    {"LPOP", KS_RANGE, 1, 1, 1}, {"RPOP", KS_RANGE, 1, 1, 1},
    {"LINSERT", KS_RANGE, 1, 1, 1}, {"LSET", KS_RANGE, 1, 1, 1},
    {"LREM", KS_RANGE, 1, 1, 1}, {"LTRIM", KS_RANGE, 1, 1, 1},
    {"RPOPLPUSH", KS_RANGE, 1, 2, 1}, {"LMOVE", KS_RANGE, 1, 2, 1},
    /* sets */
    {"SADD", KS_RANGE, 1, 1, 1}, {"SREM", KS_RANGE, 1, 1, 1},
    {"SPOP", KS_RANGE, 1, 1, 1}, {"SMOVE", KS_RANGE, 1, 2, 1},
    {"SINTERSTORE", KS_RANGE, 1, -1, 1}, {"SUNIONSTORE", KS_RANGE, 1, -1, 1},
    {"SDIFFSTORE", KS_RANGE, 1, -1, 1},
    /* sorted sets */
    {"ZADD", KS_RANGE, 1, 1, 1}, {"ZINCRBY", KS_RANGE, 1, 1, 1},
    {"ZREM", KS_RANGE, 1, 1, 1}, {"ZREMRANGEBYSCORE", KS_RANGE, 1, 1, 1},
    {"ZREMRANGEBYRANK", KS_RANGE, 1, 1, 1},
    {"ZREMRANGEBYLEX", KS_RANGE, 1, 1, 1}, {"ZPOPMIN", KS_RANGE, 1, 1, 1},
    {"ZPOPMAX", KS_RANGE, 1, 1, 1}, {"ZRANGESTORE", KS_RANGE, 1, 2, 1},
    {"ZUNIONSTORE", KS_NUMKEYS, 1, 0, 0}, {"ZINTERSTORE", KS_NUMKEYS, 1, 0, 0},
    {"ZDIFFSTORE", KS_NUMKEYS, 1, 0, 0},
    /* hashes */
    {"HSET", KS_RANGE, 1, 1, 1}, {"HSETNX", KS_RANGE, 1, 1, 1},
    {"HMSET", KS_RANGE, 1, 1, 1}, {"HDEL", KS_RANGE, 1, 1, 1},
    {"HINCRBY", KS_RANGE, 1, 1, 1}, {"HINCRBYFLOAT", KS_RANGE, 1, 1, 1},
    {"HEXPIRE", KS_RANGE, 1, 1, 1}, {"HPEXPIRE", KS_RANGE, 1, 1, 1},
    {"HEXPIREAT", KS_RANGE, 1, 1, 1}, {"HPEXPIREAT", KS_RANGE, 1, 1, 1},
    {"HPERSIST", KS_RANGE, 1, 1, 1},
    /* streams */
    {"XADD", KS_RANGE, 1, 1, 1}, {"XDEL", KS_RANGE, 1, 1, 1},
    {"XTRIM", KS_RANGE, 1, 1, 1}, {"XACK", KS_RANGE, 1, 1, 1},
    {"XCLAIM", KS_RANGE, 1, 1, 1}, {"XAUTOCLAIM", KS_RANGE, 1, 1, 1},
    {"XSETID", KS_RANGE, 1, 1, 1}, {"XGROUP", KS_SUBKEY, 2, 2, 1},
    /* others */
    {"PFADD", KS_RANGE, 1, 1, 1}, {"PFMERGE", KS_RANGE, 1, -1, 1},
    {"PFCOUNT", KS_RANGE, 1, -1, 1}, {"GEOADD", KS_RANGE, 1, 1, 1},
    {"GEOSEARCHSTORE", KS_RANGE, 1, 2, 1}, {"GEORADIUS", KS_STORE, 1, 1, 1},
    {"GEORADIUSBYMEMBER", KS_STORE, 1, 1, 1},
    {"EVAL", KS_EVAL, 0, 0, 0}, {"EVALSHA", KS_EVAL, 0, 0, 0},
    {"FCALL", KS_EVAL, 0, 0, 0},
    {NULL, KS_RANGE, 0, 0, 0},
};
/* clang-format on */

static int arg_is(const rkb_resp_arg_t *a, const char *s) {
    size_t n = strlen(s);
    return a->len == n && strncasecmp(a->p, s, n) == 0;
}

static const keyspec_t *keyspec_find(const rkb_resp_arg_t *name) {
    for (const keyspec_t *k = keyspecs; k->name; k++) {
        if (arg_is(name, k->name)) {
            return k;
        }
    }
    return NULL;
}

static int parse_count(const rkb_resp_arg_t *a, long *out) {
    char buf[24];
    char *end;
    if (a->len == 0 || a->len >= sizeof(buf)) {
        return -1;
    }
    memcpy(buf, a->p, a->len);
    buf[a->len] = '\0';
    *out = strtol(buf, &end, 10);
    return (*end != '\0' || *out < 0) ? -1 : 0;
}

/* Counts the command's keys that pass the prefix filters.
 * @returns 0 with *kept and *total set, or -1 when the keys cannot be
 * told (unknown command or a malformed one). */
static int count_kept(const cons_filter_t *f, const rkb_resp_arg_t *argv,
                      size_t argc, size_t *kept, size_t *total) {
    const keyspec_t *ks = keyspec_find(&argv[0]);
    long n;
    size_t i;
    *kept = *total = 0;
#define KEY(j)                                                           \
    do {                                                                 \
        (*total)++;                                                      \
        *kept += (size_t)cons_filter_key(f, argv[j].p, argv[j].len);     \
    } while (0)
    if (ks == NULL) {
        return -1;
    }
    switch (ks->kind) {
    case KS_RANGE:
    case KS_SUBKEY: {
        long last = ks->last < 0 ? (long)argc + ks->last : ks->last;
        for (long j = ks->first; j <= last && j < (long)argc; j += ks->step) {
            KEY(j);
        }
        break;
    }
    case KS_NUMKEYS:
        if (argc < 3 || parse_count(&argv[2], &n) < 0 ||
            (size_t)n > argc - 3) {
            return -1;
        }
        KEY(1);
        for (i = 0; i < (size_t)n; i++) {
            KEY(3 + i);
        }
        break;
    case KS_EVAL:
        if (argc < 3 || parse_count(&argv[2], &n) < 0 ||
            (size_t)n > argc - 3) {
            return -1;
        }
        for (i = 0; i < (size_t)n; i++) {
            KEY(3 + i);
        }
        break;
    case KS_STORE:
        if (argc < 2) {
            return -1;
        }
        KEY(1);
        for (i = 2; i + 1 < argc; i++) {
            if (arg_is(&argv[i], "STORE") || arg_is(&argv[i], "STOREDIST")) {
                KEY(i + 1);
                i++;
            }
        }
        break;
    }
#undef KEY
    return *total > 0 ? 0 : -1;
}

/* ------------------------------------------------------------- output */

static void append_db_cmd(rkb_buf_t *out, const char *name, long db) {
    char num[24];
    snprintf(num, sizeof(num), "%ld", db);
    const char *argv[2] = {name, num};
    rkb_resp_append_command(out, 2, argv, NULL);
}

/* Selects db on the target unless it is selected already. */
static void select_db(cons_rewrite_t *rw, long db, rkb_buf_t *out,
                      size_t *n_out) {
    if (rw->out_db != db) {
        append_db_cmd(out, "SELECT", db);
        rw->out_db = db;
        (*n_out)++;
    }
}

const char *cons_command_repr(const rkb_resp_arg_t *argv, size_t argc,
                              char *buf, size_t size) {
    size_t o = 0, i, j;
    buf[0] = '\0';
    for (i = 0; i < argc && o + 8 < size; i++) {
        if (i > 0) {
            buf[o++] = ' ';
        }
        for (j = 0; j < argv[i].len && o + 8 < size; j++) {
            unsigned char c = (unsigned char)argv[i].p[j];
            if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
                buf[o++] = (char)c;
            } else {
                o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
            }
        }
        if (j < argv[i].len) {
            break;
        }
    }
    /* mark a cut only: a whole command can end in the room kept for it */
    if (i < argc) {
        snprintf(buf + o, size - o, "...");
    } else {
        buf[o] = '\0';
    }
    return buf;
}

/* ------------------------------------------------------------ commands */

void cons_rewrite_init(cons_rewrite_t *rw, const cons_filter_t *f,
                       long src_db) {
    memset(rw, 0, sizeof(*rw));
    rw->filter = f;
    rw->src_db = src_db;
    rw->out_db = -1;
}

static int refuse_dbs(cons_rewrite_t *rw, long a, long b) {
    snprintf(rw->errstr, sizeof(rw->errstr),
             "moves data between db %ld and db %ld, and only one of them is "
             "applied",
             a, b);
    return CONS_RW_REFUSE;
}

static int parse_db_arg(const rkb_resp_arg_t *a, long *db) {
    return parse_count(a, db);
}

/* FLUSHALL: with apply.dbs only the applied dbs are the master's to
 * flush; the target may hold others. */
static int rewrite_flushall(cons_rewrite_t *rw, const char *raw,
                            size_t raw_len, rkb_buf_t *out, size_t *n_out) {
    const cons_filter_t *f = rw->filter;
    if (f->n_dbs == 0) {
        rkb_buf_append(out, raw, raw_len);
        (*n_out)++;
        return CONS_RW_APPLY;
    }
    for (size_t i = 0; i < f->n_dbs; i++) {
        select_db(rw, cons_filter_db(f, f->dbs[i]), out, n_out);
        const char *argv[1] = {"FLUSHDB"};
        rkb_resp_append_command(out, 1, argv, NULL);
        (*n_out)++;
    }
    return CONS_RW_APPLY;
}

/* SWAPDB a b, MOVE key db, COPY src dst DB db: both dbs applied (mapped),
 * or neither; one of each would need data the target does not have. */
static int rewrite_two_dbs(cons_rewrite_t *rw, const rkb_resp_arg_t *argv,
                           size_t argc, size_t db_arg, long src,
                           rkb_buf_t *out, size_t *n_out) {
    int swapdb = arg_is(&argv[0], "SWAPDB");
    long other, a, b;
    if (parse_db_arg(&argv[db_arg], &other) < 0) {
        snprintf(rw->errstr, sizeof(rw->errstr), "bad db argument");
        return CONS_RW_REFUSE;
    }
    a = cons_filter_db(rw->filter, src);
    b = cons_filter_db(rw->filter, other);
    if (a < 0 && b < 0) {
        return CONS_RW_DROP;
    }
    if (a < 0 || b < 0) {
        return refuse_dbs(rw, src, other);
    }
    if (!swapdb && cons_filter_has_prefixes(rw->filter)) {
        size_t kept, total;
        if (count_kept(rw->filter, argv, argc, &kept, &total) < 0) {
            snprintf(rw->errstr, sizeof(rw->errstr), "bad arguments");
            return CONS_RW_REFUSE;
        }
        if (kept == 0) {
            return CONS_RW_DROP;
        }
        if (kept < total) {
            snprintf(rw->errstr, sizeof(rw->errstr),
                     "has keys both kept and left out by the prefix "
                     "filters");
            return CONS_RW_REFUSE;
        }
    }
    const char *args[8];
    size_t lens[8];
    char num[2][24];
    if (argc > 8) {
        snprintf(rw->errstr, sizeof(rw->errstr), "too many arguments");
        return CONS_RW_REFUSE;
    }
    for (size_t i = 0; i < argc; i++) {
        args[i] = argv[i].p;
        lens[i] = argv[i].len;
    }
    if (swapdb) {
        /* SWAPDB a b: both arguments are dbs */
        lens[1] = (size_t)snprintf(num[0], sizeof(num[0]), "%ld", a);
        args[1] = num[0];
    } else {
        select_db(rw, a, out, n_out);
    }
    lens[db_arg] = (size_t)snprintf(num[1], sizeof(num[1]), "%ld", b);
    args[db_arg] = num[1];
    rkb_resp_append_command(out, argc, args, lens);
    (*n_out)++;
    return CONS_RW_APPLY;
}

int cons_rewrite_command(cons_rewrite_t *rw, const char *raw, size_t raw_len,
                         const rkb_resp_arg_t *argv, size_t argc,
                         rkb_buf_t *out, size_t *n_out) {
    const cons_filter_t *f = rw->filter;
    const rkb_resp_arg_t *name = &argv[0];
    rw->errstr[0] = '\0';
    if (argc == 0) {
        snprintf(rw->errstr, sizeof(rw->errstr), "empty command");
        return CONS_RW_REFUSE;
    }
    if (arg_is(name, "PING") || arg_is(name, "REPLCONF") ||
        arg_is(name, "MULTI") || arg_is(name, "EXEC")) {
        return CONS_RW_DROP;
    }
    if (arg_is(name, "SELECT")) {
        long db;
        if (argc != 2 || parse_db_arg(&argv[1], &db) < 0) {
            snprintf(rw->errstr, sizeof(rw->errstr), "bad SELECT");
            return CONS_RW_REFUSE;
        }
        rw->src_db = db;
        return CONS_RW_DROP;
    }
    /* Not tied to a db or a key: pub/sub messages and the function and
     * script caches are the whole server's. */
    if (arg_is(name, "PUBLISH") || arg_is(name, "SPUBLISH") ||
        arg_is(name, "FUNCTION") || arg_is(name, "SCRIPT")) {
        rkb_buf_append(out, raw, raw_len);
        (*n_out)++;
        return CONS_RW_APPLY;
    }
    if (arg_is(name, "FLUSHALL")) {
        return rewrite_flushall(rw, raw, raw_len, out, n_out);
    }
    if (arg_is(name, "SWAPDB")) {
        long a;
        if (argc != 3 || parse_db_arg(&argv[1], &a) < 0) {
            snprintf(rw->errstr, sizeof(rw->errstr), "bad SWAPDB");
            return CONS_RW_REFUSE;
        }
        return rewrite_two_dbs(rw, argv, argc, 2, a, out, n_out);
    }

    /* Everything else acts on the selected db. */
    long db = cons_filter_db(f, rw->src_db);
    if (rw->src_db < 0) {
        snprintf(rw->errstr, sizeof(rw->errstr),
                 "a command before any SELECT: its db is unknown");
        return CONS_RW_REFUSE;
    }
    if (arg_is(name, "MOVE") && argc == 3) {
        return rewrite_two_dbs(rw, argv, argc, 2, rw->src_db, out, n_out);
    }
    if (arg_is(name, "COPY")) {
        for (size_t i = 3; i + 1 < argc; i++) {
            if (arg_is(&argv[i], "DB")) {
                return rewrite_two_dbs(rw, argv, argc, i + 1, rw->src_db,
                                       out, n_out);
            }
        }
    }
    if (db < 0) {
        return CONS_RW_DROP;
    }
    if (cons_filter_has_prefixes(f) && !arg_is(name, "FLUSHDB")) {
        size_t kept, total;
        if (count_kept(f, argv, argc, &kept, &total) < 0) {
            snprintf(rw->errstr, sizeof(rw->errstr),
                     "the prefix filters cannot tell this command's keys");
            return CONS_RW_REFUSE;
        }
        if (kept == 0) {
            return CONS_RW_DROP;
        }
        if (kept < total) {
            snprintf(rw->errstr, sizeof(rw->errstr),
                     "%zu of its %zu keys are left out by the prefix "
                     "filters",
                     total - kept, total);
            return CONS_RW_REFUSE;
        }
    }
    select_db(rw, db, out, n_out);
    rkb_buf_append(out, raw, raw_len);
    (*n_out)++;
    return CONS_RW_APPLY;
}
