/* rdb2resp.c -- rkbridge rdb2resp: turn an RDB file into the RESP commands
 * that rebuild its dataset, for `rkbridge rdb2resp dump.rdb | redis-cli
 * --pipe`.
 *
 * The file is read in 64 KiB chunks through the streaming parser
 * (bridge/rkb_rdb), so memory stays bounded whatever the size of the file
 * or of a key: each ELEMS batch of the parser becomes one command. Output
 * is collected per key and written when the key is complete, so that on a
 * corrupt file stdout ends with the last complete key (a key whose
 * commands exceed OUT_FLUSH_BYTES is written in pieces, see below). */
#include "rkb_fmacros.h"
#include "rkb_rdb.h"
#include "tool.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)
#define BATCH_ELEMS 512
#define BATCH_BYTES (1024 * 1024)
/* A key's pending commands are written early beyond this size, to keep
 * memory bounded for huge keys. */
#define OUT_FLUSH_BYTES (16 * 1024 * 1024)
/* Temporary consumer group used to create an empty stream. */
#define TMP_GROUP "rkbridge:rdb2resp:tmp"

typedef struct pel_s {
    rkb_rdb_id_t id;
    int64_t delivery_ms;
    uint64_t delivery_count;
} pel_t;

typedef struct conv_s {
    const char *path;
    char *out;              /* commands not yet written */
    size_t out_len, out_cap;
    int64_t cur_db;         /* db selected on the target, -1: none yet */
    /* The key being converted. */
    char *key;
    size_t key_len, key_cap;
    rkb_rdb_type_t obj_type;
    int64_t expire_ms;
    int has_elems;          /* an element was emitted for the key */
    /* The current stream group and its pending entries, which the
     * consumers' pending lists (ids only) refer to. */
    char *group;
    size_t group_len, group_cap;
    char *consumer;
    size_t consumer_len, consumer_cap;
    pel_t *pel;
    size_t npel, pel_cap;
    int oom;
    int write_err;
} conv_t;

/* ---- output ---- */

static void *xrealloc(conv_t *c, void *p, size_t n) {
    void *q = realloc(p, n);
    if (q == NULL) {
        c->oom = 1;
    }
    return q;
}

static void out_append(conv_t *c, const char *p, size_t len) {
    if (c->oom) {
        return;
    }
    if (c->out_len + len > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 65536;
        while (cap < c->out_len + len) {
            cap *= 2;
        }
        char *n = xrealloc(c, c->out, cap);
        if (n == NULL) {
            return;
        }
        c->out = n;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, len);
    c->out_len += len;
}

/* Writes the pending commands to stdout. */
static int out_flush(conv_t *c) {
    size_t off = 0;
    while (off < c->out_len && !c->write_err) {
        ssize_t n = write(STDOUT_FILENO, c->out + off, c->out_len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "rkbridge: writing to stdout: %s\n",
                    n < 0 ? strerror(errno) : "short write");
            c->write_err = 1;
            break;
        }
        off += (size_t)n;
    }
    c->out_len = 0;
    return c->write_err ? -1 : 0;
}

static void cmd_begin(conv_t *c, size_t argc) {
    char hdr[32];
    int n = snprintf(hdr, sizeof(hdr), "*%zu\r\n", argc);
    out_append(c, hdr, (size_t)n);
}

static void arg(conv_t *c, const char *p, size_t len) {
    char hdr[32];
    int n = snprintf(hdr, sizeof(hdr), "$%zu\r\n", len);
    out_append(c, hdr, (size_t)n);
    out_append(c, p, len);
    out_append(c, "\r\n", 2);
}

static void arg_str(conv_t *c, const char *s) { arg(c, s, strlen(s)); }

static void arg_i64(conv_t *c, int64_t v) {
    char b[32];
    int n = snprintf(b, sizeof(b), "%" PRId64, v);
    arg(c, b, (size_t)n);
}

static void arg_u64(conv_t *c, uint64_t v) {
    char b[32];
    int n = snprintf(b, sizeof(b), "%" PRIu64, v);
    arg(c, b, (size_t)n);
}

static void arg_id(conv_t *c, rkb_rdb_id_t id) {
    char b[48];
    int n = snprintf(b, sizeof(b), "%" PRIu64 "-%" PRIu64, id.ms, id.seq);
    arg(c, b, (size_t)n);
}

/* %.17g reads back as the same double; Redis parses inf and -inf. */
static void arg_score(conv_t *c, double d) {
    char b[48];
    int n;
    if (isinf(d)) {
        n = snprintf(b, sizeof(b), "%s", d > 0 ? "inf" : "-inf");
    } else {
        n = snprintf(b, sizeof(b), "%.17g", d);
    }
    arg(c, b, (size_t)n);
}

static void arg_key(conv_t *c) { arg(c, c->key, c->key_len); }

/* After each command: a huge key is written in pieces of whole commands. */
static int cmd_end(conv_t *c) {
    if (c->out_len >= OUT_FLUSH_BYTES) {
        return out_flush(c);
    }
    return 0;
}

static int save_str(conv_t *c, char **dst, size_t *len, size_t *cap,
                    rkb_rdb_str_t s) {
    if (s.len + 1 > *cap) {
        char *n = xrealloc(c, *dst, s.len + 1);
        if (n == NULL) {
            return -1;
        }
        *dst = n;
        *cap = s.len + 1;
    }
    if (s.len) {
        memcpy(*dst, s.ptr, s.len);
    }
    *len = s.len;
    return 0;
}

/* ---- events ---- */

/* The current key for a one-line message: binary bytes escaped, cut. */
static const char *key_repr(const conv_t *c, char *buf, size_t size) {
    size_t i, o = 0;
    for (i = 0; i < c->key_len && o + 5 < size; i++) {
        unsigned char ch = (unsigned char)c->key[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
            buf[o++] = (char)ch;
        } else {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
        }
    }
    buf[o] = '\0';
    return buf;
}

static int fail_at(conv_t *c, const rkb_rdb_event_t *ev, const char *why) {
    char k[256];
    fprintf(stderr, "rkbridge: %s: RDB offset %" PRIu64 ", key \"%s\": %s\n",
            c->path, ev->offset, key_repr(c, k, sizeof(k)), why);
    return -1;
}

static int on_key_begin(conv_t *c, const rkb_rdb_event_t *ev) {
    if (save_str(c, &c->key, &c->key_len, &c->key_cap, ev->key) < 0) {
        return -1;
    }
    c->obj_type = ev->obj_type;
    c->expire_ms = ev->expire_ms;
    c->has_elems = 0;
    if ((int64_t)ev->db != c->cur_db) {
        cmd_begin(c, 2);
        arg_str(c, "SELECT");
        arg_u64(c, ev->db);
        c->cur_db = (int64_t)ev->db;
    }
    return 0;
}

static const char *type_cmd(rkb_rdb_type_t t) {
    switch (t) {
    case RKB_RDB_STRING: return "SET";
    case RKB_RDB_LIST: return "RPUSH";
    case RKB_RDB_SET: return "SADD";
    case RKB_RDB_ZSET: return "ZADD";
    case RKB_RDB_HASH: return "HSET";
    default: return NULL;
    }
}

/* XADD per entry: consecutive elems with the same id are one entry. */
static int on_stream_elems(conv_t *c, const rkb_rdb_event_t *ev) {
    size_t i = 0;
    while (i < ev->nelems) {
        rkb_rdb_id_t id = ev->elems[i].id;
        size_t j = i;
        while (j < ev->nelems && ev->elems[j].id.ms == id.ms &&
               ev->elems[j].id.seq == id.seq) {
            j++;
        }
        cmd_begin(c, 3 + 2 * (j - i));
        arg_str(c, "XADD");
        arg_key(c);
        arg_id(c, id);
        for (; i < j; i++) {
            arg(c, ev->elems[i].str.ptr, ev->elems[i].str.len);
            arg(c, ev->elems[i].value.ptr, ev->elems[i].value.len);
        }
        if (cmd_end(c) < 0) {
            return -1;
        }
    }
    c->has_elems = 1;
    return 0;
}

static int on_elems(conv_t *c, const rkb_rdb_event_t *ev) {
    size_t i, per = 1;
    const char *name;
    if (ev->obj_type == RKB_RDB_STREAM) {
        return on_stream_elems(c, ev);
    }
    name = type_cmd(ev->obj_type);
    if (name == NULL) {
        return fail_at(c, ev, "module values are not supported");
    }
    if (ev->obj_type == RKB_RDB_ZSET || ev->obj_type == RKB_RDB_HASH) {
        per = 2;
    }
    if (ev->obj_type == RKB_RDB_ZSET) {
        for (i = 0; i < ev->nelems; i++) {
            if (isnan(ev->elems[i].score)) {
                return fail_at(c, ev, "zset score is NaN, which no Redis "
                                      "accepts: refusing the file");
            }
        }
    }
    if (ev->obj_type == RKB_RDB_STRING && ev->nelems != 1) {
        return fail_at(c, ev, "string with more than one element");
    }
    cmd_begin(c, 2 + per * ev->nelems);
    arg_str(c, name);
    arg_key(c);
    for (i = 0; i < ev->nelems; i++) {
        const rkb_rdb_elem_t *e = &ev->elems[i];
        if (ev->obj_type == RKB_RDB_ZSET) {
            arg_score(c, e->score);
        }
        arg(c, e->str.ptr, e->str.len);
        if (ev->obj_type == RKB_RDB_HASH) {
            arg(c, e->value.ptr, e->value.len);
        }
    }
    if (cmd_end(c) < 0) {
        return -1;
    }
    /* Hash field expiration (Redis 7.4+): one command per field that has
     * one; older targets reject HPEXPIREAT. */
    if (ev->obj_type == RKB_RDB_HASH) {
        for (i = 0; i < ev->nelems; i++) {
            const rkb_rdb_elem_t *e = &ev->elems[i];
            if (e->expire_ms < 0) {
                continue;
            }
            cmd_begin(c, 6);
            arg_str(c, "HPEXPIREAT");
            arg_key(c);
            arg_i64(c, e->expire_ms);
            arg_str(c, "FIELDS");
            arg_str(c, "1");
            arg(c, e->str.ptr, e->str.len);
            if (cmd_end(c) < 0) {
                return -1;
            }
        }
    }
    c->has_elems = 1;
    return 0;
}

static int on_stream_meta(conv_t *c, const rkb_rdb_event_t *ev) {
    if (!c->has_elems) {
        /* No entry to XADD: create the empty stream through a temporary
         * group, as XSETID needs an existing key. */
        cmd_begin(c, 6);
        arg_str(c, "XGROUP");
        arg_str(c, "CREATE");
        arg_key(c);
        arg_str(c, TMP_GROUP);
        arg_str(c, "0");
        arg_str(c, "MKSTREAM");
        cmd_begin(c, 4);
        arg_str(c, "XGROUP");
        arg_str(c, "DESTROY");
        arg_key(c);
        arg_str(c, TMP_GROUP);
        c->has_elems = 1;
    }
    cmd_begin(c, 3 + (ev->entries_added != RKB_RDB_UNKNOWN ? 2 : 0) + 2);
    arg_str(c, "XSETID");
    arg_key(c);
    arg_id(c, ev->id);
    if (ev->entries_added != RKB_RDB_UNKNOWN) {
        arg_str(c, "ENTRIESADDED");
        arg_u64(c, ev->entries_added);
    }
    arg_str(c, "MAXDELETEDID");
    arg_id(c, ev->max_deleted_id);
    return cmd_end(c);
}

static int on_stream_group(conv_t *c, const rkb_rdb_event_t *ev) {
    int known = ev->entries_read != RKB_RDB_UNKNOWN;
    if (save_str(c, &c->group, &c->group_len, &c->group_cap, ev->name) < 0) {
        return -1;
    }
    c->npel = 0;
    cmd_begin(c, 5 + (known ? 2 : 0));
    arg_str(c, "XGROUP");
    arg_str(c, "CREATE");
    arg_key(c);
    arg(c, c->group, c->group_len);
    arg_id(c, ev->id);
    if (known) {
        arg_str(c, "ENTRIESREAD");
        arg_u64(c, ev->entries_read);
    }
    return cmd_end(c);
}

/* The group's pending list, kept until its consumers name their entries. */
static int on_stream_pel(conv_t *c, const rkb_rdb_event_t *ev) {
    size_t i;
    if (c->npel + ev->nelems > c->pel_cap) {
        size_t cap = c->pel_cap ? c->pel_cap : 64;
        while (cap < c->npel + ev->nelems) {
            cap *= 2;
        }
        pel_t *n = xrealloc(c, c->pel, cap * sizeof(*n));
        if (n == NULL) {
            return -1;
        }
        c->pel = n;
        c->pel_cap = cap;
    }
    for (i = 0; i < ev->nelems; i++) {
        pel_t *p = &c->pel[c->npel++];
        p->id = ev->elems[i].id;
        p->delivery_ms = ev->elems[i].delivery_ms;
        p->delivery_count = ev->elems[i].delivery_count;
    }
    return 0;
}

static int on_stream_consumer(conv_t *c, const rkb_rdb_event_t *ev) {
    if (save_str(c, &c->consumer, &c->consumer_len, &c->consumer_cap,
                 ev->name) < 0) {
        return -1;
    }
    cmd_begin(c, 5);
    arg_str(c, "XGROUP");
    arg_str(c, "CREATECONSUMER");
    arg_key(c);
    arg(c, c->group, c->group_len);
    arg(c, c->consumer, c->consumer_len);
    return cmd_end(c);
}

static int id_cmp(rkb_rdb_id_t a, rkb_rdb_id_t b) {
    if (a.ms != b.ms) {
        return a.ms < b.ms ? -1 : 1;
    }
    if (a.seq != b.seq) {
        return a.seq < b.seq ? -1 : 1;
    }
    return 0;
}

/* The group PEL is in id order in the file (a radix tree dump). */
static const pel_t *pel_find(const conv_t *c, rkb_rdb_id_t id) {
    size_t lo = 0, hi = c->npel;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = id_cmp(c->pel[mid].id, id);
        if (r == 0) {
            return &c->pel[mid];
        }
        if (r < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* XCLAIM ... FORCE JUSTID puts the entry in the consumer's PEL with the
 * delivery time and count of the file, without touching the group. */
static int on_consumer_pel(conv_t *c, const rkb_rdb_event_t *ev) {
    size_t i;
    for (i = 0; i < ev->nelems; i++) {
        const pel_t *p = pel_find(c, ev->elems[i].id);
        if (p == NULL) {
            return fail_at(c, ev, "consumer pending entry missing from its "
                                  "group's pending list");
        }
        cmd_begin(c, 12);
        arg_str(c, "XCLAIM");
        arg_key(c);
        arg(c, c->group, c->group_len);
        arg(c, c->consumer, c->consumer_len);
        arg_str(c, "0");
        arg_id(c, p->id);
        arg_str(c, "TIME");
        arg_i64(c, p->delivery_ms);
        arg_str(c, "RETRYCOUNT");
        arg_u64(c, p->delivery_count);
        arg_str(c, "FORCE");
        arg_str(c, "JUSTID");
        if (cmd_end(c) < 0) {
            return -1;
        }
    }
    return 0;
}

static int on_key_end(conv_t *c) {
    if (!c->has_elems) {
        /* An empty container: Redis skips it on load, so do we. The
         * SELECT queued before it is harmless. */
        return out_flush(c);
    }
    if (c->expire_ms >= 0) {
        /* Emitted even when already in the past: the target then
         * deletes the key itself. */
        cmd_begin(c, 3);
        arg_str(c, "PEXPIREAT");
        arg_key(c);
        arg_i64(c, c->expire_ms);
    }
    return out_flush(c);
}

static int on_event(conv_t *c, const rkb_rdb_event_t *ev) {
    int r = 0;
    switch (ev->type) {
    case RKB_RDB_EV_FUNCTION:
        cmd_begin(c, 4);
        arg_str(c, "FUNCTION");
        arg_str(c, "LOAD");
        arg_str(c, "REPLACE");
        arg(c, ev->value.ptr, ev->value.len);
        r = out_flush(c);
        break;
    case RKB_RDB_EV_KEY_BEGIN: r = on_key_begin(c, ev); break;
    case RKB_RDB_EV_ELEMS: r = on_elems(c, ev); break;
    case RKB_RDB_EV_KEY_END: r = on_key_end(c); break;
    case RKB_RDB_EV_STREAM_META: r = on_stream_meta(c, ev); break;
    case RKB_RDB_EV_STREAM_GROUP: r = on_stream_group(c, ev); break;
    case RKB_RDB_EV_STREAM_PEL: r = on_stream_pel(c, ev); break;
    case RKB_RDB_EV_STREAM_CONSUMER: r = on_stream_consumer(c, ev); break;
    case RKB_RDB_EV_STREAM_CONSUMER_PEL: r = on_consumer_pel(c, ev); break;
    case RKB_RDB_EV_EOF: r = out_flush(c); break;
    default:
        /* Header, aux fields, SELECTDB (a SELECT goes with the first key
         * of a db), RESIZEDB and slot info change nothing on the target. */
        break;
    }
    if (c->oom) {
        fprintf(stderr, "rkbridge: %s: out of memory\n", c->path);
        return -1;
    }
    return r;
}

/* ---- the command ---- */

static int usage_err(const char *msg) {
    fprintf(stderr, "rkbridge rdb2resp: %s\n"
                    "usage: rkbridge rdb2resp FILE [--restore]\n", msg);
    return 1;
}

static int convert(conv_t *c, FILE *fp) {
    rkb_rdb_limits_t lim = {BATCH_ELEMS, BATCH_BYTES, 0};
    rkb_rdb_t *rdb = rkb_rdb_new(&lim);
    char *buf = malloc(READ_CHUNK);
    int rc = 2, done = 0;
    if (rdb == NULL || buf == NULL) {
        fprintf(stderr, "rkbridge: out of memory\n");
        goto out;
    }
    while (!done) {
        size_t n = fread(buf, 1, READ_CHUNK, fp);
        rkb_rdb_event_t ev;
        rkb_err_t err;
        if (n == 0) {
            if (ferror(fp)) {
                fprintf(stderr, "rkbridge: reading %s: %s\n", c->path,
                        strerror(errno));
            } else {
                char k[256];
                fprintf(stderr, "rkbridge: %s: RDB offset %" PRIu64
                                ", %s%s%s: truncated: the file ends before "
                                "the RDB's EOF marker\n",
                        c->path, rkb_rdb_offset(rdb),
                        c->key ? "after key \"" : "before any key",
                        c->key ? key_repr(c, k, sizeof(k)) : "",
                        c->key ? "\"" : "");
            }
            goto out;
        }
        err = rkb_rdb_feed(rdb, buf, n);
        while (err == RKB_OK) {
            err = rkb_rdb_next(rdb, &ev);
            if (err != RKB_OK) {
                break;
            }
            if (on_event(c, &ev) < 0) {
                goto out;
            }
            if (ev.type == RKB_RDB_EV_EOF) {
                /* Whatever follows the RDB (an AOF tail) is not ours. */
                done = 1;
                break;
            }
        }
        if (!done && err != RKB_EAGAIN) {
            fprintf(stderr, "rkbridge: %s: %s\n", c->path,
                    rkb_rdb_errstr(rdb)[0] ? rkb_rdb_errstr(rdb)
                                           : rkb_err2str(err));
            goto out;
        }
    }
    rc = 0;
out:
    free(buf);
    rkb_rdb_destroy(rdb);
    return rc;
}

int tool_rdb2resp(int argc, char **argv) {
    const char *path = NULL;
    int restore = 0, i, rc;
    conv_t c;
    FILE *fp;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--restore") == 0) {
            restore = 1;
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            printf("usage: rkbridge rdb2resp FILE [--restore]\n");
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_err("unknown option");
        } else if (path != NULL) {
            return usage_err("only one FILE");
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        return usage_err("no FILE given");
    }
    if (restore) {
        /* RESTORE needs each value's bytes as stored in the file, which
         * the parser does not hand out. */
        fprintf(stderr, "rkbridge rdb2resp: --restore is not implemented "
                        "yet; run without it to get plain commands\n");
        return 1;
    }
    if (strcmp(path, "-") == 0) {
        fp = stdin;
    } else if ((fp = fopen(path, "rb")) == NULL) {
        fprintf(stderr, "rkbridge: cannot open %s: %s\n", path,
                strerror(errno));
        return 2;
    }
    /* A reader that goes away (redis-cli failing) is a write error, not
     * a silent death. */
    signal(SIGPIPE, SIG_IGN);
    memset(&c, 0, sizeof(c));
    c.path = path;
    c.cur_db = -1;
    rc = convert(&c, fp);
    if (fp != stdin) {
        fclose(fp);
    }
    free(c.out);
    free(c.key);
    free(c.group);
    free(c.consumer);
    free(c.pel);
    return rc;
}
