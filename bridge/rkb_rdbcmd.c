/* rkb_rdbcmd.c -- RDB -> RESP commands (see rkb_rdbcmd.h).
 *
 * Each parser event becomes commands in the current key's buffer (kbuf),
 * which moves to the caller's output when the key is complete, so output
 * ends with whole keys whatever happens. kbuf starts with the key's SELECT
 * (and DEL), so that a key can still switch to RESTORE at its end.
 *
 * For RESTORE the value's bytes are taken from the chunks we are fed: the
 * parser copies its input and drops what it consumed, so `raw` keeps the
 * fed bytes from where a value may start (the parser's offset between
 * keys, the value's first byte inside one) to the end of the input. */
#include "rkb_fmacros.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_rdb.h"
#include "rkb_resp.h"
#include "rkb_rdbcmd.h"

#define BATCH_ELEMS 512
#define BATCH_BYTES (1024 * 1024)
/* Temporary consumer group used to create an empty stream. */
#define TMP_GROUP "rkbridge:rdb2resp:tmp"
/* DUMP payload: type byte, then the value, then version and CRC. */
#define PAYLOAD_EXTRA (1 + 2 + 8)

typedef struct pel_s {
    rkb_rdb_id_t id;
    int64_t delivery_ms;
    uint64_t delivery_count;
} pel_t;

struct rkb_rdbcmd_s {
    rkb_rdbcmd_opts_t o;
    size_t hold_max; /* plain commands held while a value may be restored */
    rkb_rdb_t *rdb;
    rkb_err_t err;
    char errstr[400];
    int version;
    int restore_ok; /* the file's version allows RESTORE */
    int done;
    uint64_t ncmds, nkeys, nrestored;
    int64_t cur_db; /* db selected on the target, -1: none yet */

    /* Fed bytes [raw_base, raw_base + raw.len), kept only while RESTORE
     * is possible; `fed` is the offset of the end of the input. */
    rkb_buf_t raw;
    uint64_t raw_base, fed;

    /* The key being converted (the last one begun, for messages). */
    rkb_buf_t key;
    int in_key, skip; /* skip: map_key left it out */
    rkb_rdb_type_t obj_type;
    int rdb_type;
    int64_t expire_ms;
    int has_elems; /* an element was emitted for the key */
    int capture;   /* the value's bytes are kept for RESTORE */
    uint64_t value_off;
    /* The key's commands not yet in the output; the first sel_len bytes
     * (sel_cmds commands) are its SELECT, if any. */
    rkb_buf_t kbuf;
    uint64_t kbuf_cmds;
    size_t sel_len;
    uint64_t sel_cmds;

    /* The current stream group and its pending entries, which the
     * consumers' pending lists (ids only) refer to. */
    rkb_buf_t group, consumer;
    pel_t *pel;
    size_t npel, pel_cap;
};

/* ------------------------------------------------------------------------
 * Errors
 * --------------------------------------------------------------------- */

/* The current key for a one-line message: binary bytes escaped, cut. */
static const char *key_repr(const rkb_rdbcmd_t *c, char *buf, size_t size) {
    size_t i, o = 0;
    for (i = 0; i < c->key.len && o + 5 < size; i++) {
        unsigned char ch = (unsigned char)c->key.data[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
            buf[o++] = (char)ch;
        } else {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
        }
    }
    buf[o] = '\0';
    return buf;
}

static rkb_err_t fail_at(rkb_rdbcmd_t *c, rkb_err_t err,
                         const rkb_rdb_event_t *ev, const char *why) {
    char k[256];
    snprintf(c->errstr, sizeof(c->errstr),
             "RDB offset %" PRIu64 ", key \"%s\": %s", ev->offset,
             key_repr(c, k, sizeof(k)), why);
    c->err = err;
    return err;
}

/* ------------------------------------------------------------------------
 * Commands
 * --------------------------------------------------------------------- */

static void cmd_begin(rkb_rdbcmd_t *c, size_t argc) {
    rkb_resp_append_array(&c->kbuf, argc);
}

static void arg(rkb_rdbcmd_t *c, const char *p, size_t len) {
    rkb_resp_append_bulk(&c->kbuf, p, len);
}

static void arg_str(rkb_rdbcmd_t *c, const char *s) {
    arg(c, s, strlen(s));
}

static void arg_i64(rkb_rdbcmd_t *c, int64_t v) {
    char b[32];
    int n = snprintf(b, sizeof(b), "%" PRId64, v);
    arg(c, b, (size_t)n);
}

static void arg_u64(rkb_rdbcmd_t *c, uint64_t v) {
    char b[32];
    int n = snprintf(b, sizeof(b), "%" PRIu64, v);
    arg(c, b, (size_t)n);
}

static void arg_id(rkb_rdbcmd_t *c, rkb_rdb_id_t id) {
    char b[48];
    int n = snprintf(b, sizeof(b), "%" PRIu64 "-%" PRIu64, id.ms, id.seq);
    arg(c, b, (size_t)n);
}

/* %.17g reads back as the same double; Redis parses inf and -inf. */
static void arg_score(rkb_rdbcmd_t *c, double d) {
    char b[48];
    int n;
    if (isinf(d)) {
        n = snprintf(b, sizeof(b), "%s", d > 0 ? "inf" : "-inf");
    } else {
        n = snprintf(b, sizeof(b), "%.17g", d);
    }
    arg(c, b, (size_t)n);
}

static void arg_key(rkb_rdbcmd_t *c) {
    arg(c, c->key.data, c->key.len);
}

static void arg_buf(rkb_rdbcmd_t *c, const rkb_buf_t *b) {
    arg(c, b->data, b->len);
}

/* Moves the key's pending commands to the output. */
static void kbuf_flush(rkb_rdbcmd_t *c, rkb_buf_t *out) {
    if (c->kbuf.len > 0) {
        rkb_buf_append(out, c->kbuf.data, c->kbuf.len);
    }
    c->ncmds += c->kbuf_cmds;
    rkb_buf_clear(&c->kbuf);
    c->kbuf_cmds = 0;
    c->sel_len = 0;
    c->sel_cmds = 0;
}

/* Keeps only the key's SELECT: its other commands are replaced. */
static void kbuf_keep_select(rkb_rdbcmd_t *c) {
    c->kbuf.len = c->sel_len;
    c->kbuf_cmds = c->sel_cmds;
}

/* After each command of a key: a huge key goes out in pieces of whole
 * commands. While the value may still be restored its commands are held,
 * up to hold_max; beyond, the key is loaded with them. */
static void cmd_end(rkb_rdbcmd_t *c, rkb_buf_t *out) {
    c->kbuf_cmds++;
    if (c->capture && c->kbuf.len > c->hold_max) {
        c->capture = 0;
    }
    if (!c->capture && c->kbuf.len >= RKB_RDBCMD_PIECE_BYTES) {
        kbuf_flush(c, out);
    }
}

/* ------------------------------------------------------------------------
 * Events
 * --------------------------------------------------------------------- */

static void save(rkb_buf_t *dst, rkb_rdb_str_t s) {
    rkb_buf_clear(dst);
    rkb_buf_append(dst, s.ptr, s.len);
}

static void on_key_begin(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev) {
    int64_t db = (int64_t)ev->db;
    save(&c->key, ev->key);
    c->in_key = 1;
    c->obj_type = ev->obj_type;
    c->rdb_type = ev->rdb_type;
    c->expire_ms = ev->expire_ms;
    c->has_elems = 0;
    c->value_off = ev->value_offset;
    if (c->o.map_key != NULL) {
        db = c->o.map_key(c->o.map_arg, ev->db, c->key.data, c->key.len);
    }
    c->skip = db < 0;
    c->capture = c->restore_ok && !c->skip;
    if (c->skip) {
        return;
    }
    if (db != c->cur_db) {
        cmd_begin(c, 2);
        arg_str(c, "SELECT");
        arg_i64(c, db);
        c->kbuf_cmds++;
        c->cur_db = db;
    }
    c->sel_len = c->kbuf.len;
    c->sel_cmds = c->kbuf_cmds;
    if (c->o.replace && c->obj_type != RKB_RDB_STRING) {
        /* SET replaces a string by itself; other types would merge. */
        cmd_begin(c, 2);
        arg_str(c, "DEL");
        arg_key(c);
        c->kbuf_cmds++;
    }
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
static void on_stream_elems(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                            rkb_buf_t *out) {
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
        cmd_end(c, out);
    }
    c->has_elems = 1;
}

static rkb_err_t on_elems(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                          rkb_buf_t *out) {
    size_t i, per = 1;
    const char *name;
    if (ev->obj_type == RKB_RDB_STREAM) {
        on_stream_elems(c, ev, out);
        return RKB_OK;
    }
    name = type_cmd(ev->obj_type);
    if (name == NULL) {
        return fail_at(c, RKB_EUNSUPPORTED, ev,
                       "module values are not supported");
    }
    if (ev->obj_type == RKB_RDB_ZSET || ev->obj_type == RKB_RDB_HASH) {
        per = 2;
    }
    if (ev->obj_type == RKB_RDB_ZSET) {
        for (i = 0; i < ev->nelems; i++) {
            if (isnan(ev->elems[i].score)) {
                return fail_at(c, RKB_ECORRUPT, ev,
                               "zset score is NaN, which no Redis accepts: "
                               "refusing the file");
            }
        }
    }
    if (ev->obj_type == RKB_RDB_STRING && ev->nelems != 1) {
        return fail_at(c, RKB_ECORRUPT, ev,
                       "string with more than one element");
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
    cmd_end(c, out);
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
            cmd_end(c, out);
        }
    }
    c->has_elems = 1;
    return RKB_OK;
}

static void on_stream_meta(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                           rkb_buf_t *out) {
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
        cmd_end(c, out);
        cmd_begin(c, 4);
        arg_str(c, "XGROUP");
        arg_str(c, "DESTROY");
        arg_key(c);
        arg_str(c, TMP_GROUP);
        cmd_end(c, out);
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
    cmd_end(c, out);
}

static void on_stream_group(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                            rkb_buf_t *out) {
    int known = ev->entries_read != RKB_RDB_UNKNOWN;
    save(&c->group, ev->name);
    c->npel = 0;
    cmd_begin(c, 5 + (known ? 2 : 0));
    arg_str(c, "XGROUP");
    arg_str(c, "CREATE");
    arg_key(c);
    arg_buf(c, &c->group);
    arg_id(c, ev->id);
    if (known) {
        arg_str(c, "ENTRIESREAD");
        arg_u64(c, ev->entries_read);
    }
    cmd_end(c, out);
}

/* The group's pending list, kept until its consumers name their entries. */
static void on_stream_pel(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev) {
    size_t i;
    if (c->npel + ev->nelems > c->pel_cap) {
        size_t cap = c->pel_cap ? c->pel_cap : 64;
        while (cap < c->npel + ev->nelems) {
            cap *= 2;
        }
        c->pel = rkb_realloc(c->pel, cap * sizeof(*c->pel));
        c->pel_cap = cap;
    }
    for (i = 0; i < ev->nelems; i++) {
        pel_t *p = &c->pel[c->npel++];
        p->id = ev->elems[i].id;
        p->delivery_ms = ev->elems[i].delivery_ms;
        p->delivery_count = ev->elems[i].delivery_count;
    }
}

static void on_stream_consumer(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                               rkb_buf_t *out) {
    save(&c->consumer, ev->name);
    cmd_begin(c, 5);
    arg_str(c, "XGROUP");
    arg_str(c, "CREATECONSUMER");
    arg_key(c);
    arg_buf(c, &c->group);
    arg_buf(c, &c->consumer);
    cmd_end(c, out);
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
static const pel_t *pel_find(const rkb_rdbcmd_t *c, rkb_rdb_id_t id) {
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
static rkb_err_t on_consumer_pel(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                                 rkb_buf_t *out) {
    size_t i;
    for (i = 0; i < ev->nelems; i++) {
        const pel_t *p = pel_find(c, ev->elems[i].id);
        if (p == NULL) {
            return fail_at(c, RKB_ECORRUPT, ev,
                           "consumer pending entry missing from its "
                           "group's pending list");
        }
        cmd_begin(c, 12);
        arg_str(c, "XCLAIM");
        arg_key(c);
        arg_buf(c, &c->group);
        arg_buf(c, &c->consumer);
        arg_str(c, "0");
        arg_id(c, p->id);
        arg_str(c, "TIME");
        arg_i64(c, p->delivery_ms);
        arg_str(c, "RETRYCOUNT");
        arg_u64(c, p->delivery_count);
        arg_str(c, "FORCE");
        arg_str(c, "JUSTID");
        cmd_end(c, out);
    }
    return RKB_OK;
}

static void le_bytes(unsigned char *b, uint64_t v, int n) {
    for (int i = 0; i < n; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
}

/* RESTORE key 0 <payload> [REPLACE]: the value's bytes as the file stores
 * them, framed as DUMP does (reference 4.1). The TTL goes in a PEXPIREAT,
 * as ABSTTL needs Redis 5.0. */
static void restore_cmd(rkb_rdbcmd_t *c, const char *value, size_t len) {
    unsigned char type = (unsigned char)c->rdb_type, footer[10];
    uint64_t crc;

    cmd_begin(c, c->o.replace ? 5 : 4);
    arg_str(c, "RESTORE");
    arg_key(c);
    arg_str(c, "0");
    /* the payload is built in place, after its bulk header */
    rkb_buf_reserve(&c->kbuf, PAYLOAD_EXTRA + len + 32);
    rkb_resp_append_bulk_header(&c->kbuf, PAYLOAD_EXTRA + len);
    rkb_buf_append(&c->kbuf, &type, 1);
    rkb_buf_append(&c->kbuf, value, len);
    le_bytes(footer, (uint64_t)c->version, 2);
    crc = rkb_crc64(0, &type, 1);
    crc = rkb_crc64(crc, value, len);
    crc = rkb_crc64(crc, footer, 2);
    le_bytes(footer + 2, crc, 8);
    rkb_buf_append(&c->kbuf, footer, sizeof(footer));
    rkb_buf_append(&c->kbuf, "\r\n", 2);
    if (c->o.replace) {
        arg_str(c, "REPLACE");
    }
    c->kbuf_cmds++;
}

static void on_key_end(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                       rkb_buf_t *out) {
    c->in_key = 0;
    if (c->skip) {
        c->capture = 0;
        return;
    }
    if (!c->has_elems) {
        /* An empty container: Redis skips it on load, so do we (and
         * RESTORE would refuse it). The SELECT before it is harmless. */
        kbuf_keep_select(c);
        c->capture = 0;
        kbuf_flush(c, out);
        return;
    }
    if (c->capture &&
        ev->end_offset - c->value_off + PAYLOAD_EXTRA <= c->o.restore_max) {
        RKB_ASSERT(c->value_off >= c->raw_base &&
                   ev->end_offset <= c->raw_base + c->raw.len);
        kbuf_keep_select(c);
        restore_cmd(c, c->raw.data + (c->value_off - c->raw_base),
                    (size_t)(ev->end_offset - c->value_off));
        c->nrestored++;
    }
    c->capture = 0;
    if (c->expire_ms >= 0) {
        /* Emitted even when already in the past: the target then
         * deletes the key itself. */
        cmd_begin(c, 3);
        arg_str(c, "PEXPIREAT");
        arg_key(c);
        arg_i64(c, c->expire_ms);
        c->kbuf_cmds++;
    }
    c->nkeys++;
    kbuf_flush(c, out);
}

static rkb_err_t on_event(rkb_rdbcmd_t *c, const rkb_rdb_event_t *ev,
                          rkb_buf_t *out) {
    if (c->in_key && c->skip && ev->type != RKB_RDB_EV_KEY_END) {
        return RKB_OK; /* every event of a key left out */
    }
    switch (ev->type) {
    case RKB_RDB_EV_HEADER:
        c->version = ev->version;
        c->restore_ok = c->o.restore_version > 0 &&
                        ev->version <= c->o.restore_version;
        break;
    case RKB_RDB_EV_FUNCTION:
        if (c->o.functions) {
            cmd_begin(c, 4);
            arg_str(c, "FUNCTION");
            arg_str(c, "LOAD");
            arg_str(c, "REPLACE");
            arg(c, ev->value.ptr, ev->value.len);
            c->kbuf_cmds++;
            kbuf_flush(c, out);
        }
        break;
    case RKB_RDB_EV_KEY_BEGIN: on_key_begin(c, ev); break;
    case RKB_RDB_EV_ELEMS: return on_elems(c, ev, out);
    case RKB_RDB_EV_KEY_END: on_key_end(c, ev, out); break;
    case RKB_RDB_EV_STREAM_META: on_stream_meta(c, ev, out); break;
    case RKB_RDB_EV_STREAM_GROUP: on_stream_group(c, ev, out); break;
    case RKB_RDB_EV_STREAM_PEL: on_stream_pel(c, ev); break;
    case RKB_RDB_EV_STREAM_CONSUMER: on_stream_consumer(c, ev, out); break;
    case RKB_RDB_EV_STREAM_CONSUMER_PEL: return on_consumer_pel(c, ev, out);
    case RKB_RDB_EV_EOF:
        c->done = 1;
        kbuf_flush(c, out);
        break;
    default:
        /* Aux fields, SELECTDB (a SELECT goes with the first key of a
         * db), RESIZEDB and slot info change nothing on the target. */
        break;
    }
    return RKB_OK;
}

/* ------------------------------------------------------------------------
 * API
 * --------------------------------------------------------------------- */

rkb_rdbcmd_t *rkb_rdbcmd_new(const rkb_rdbcmd_opts_t *o) {
    rkb_rdb_limits_t lim = {BATCH_ELEMS, BATCH_BYTES, 0};
    rkb_rdbcmd_t *c = rkb_calloc(1, sizeof(*c));
    if (o != NULL) {
        c->o = *o;
    }
    if (c->o.restore_max == 0) {
        c->o.restore_max = RKB_RDBCMD_RESTORE_MAX;
    }
    c->hold_max = c->o.restore_max > SIZE_MAX / 2 ? SIZE_MAX
                                                   : 2 * c->o.restore_max;
    if (c->hold_max < RKB_RDBCMD_PIECE_BYTES) {
        c->hold_max = RKB_RDBCMD_PIECE_BYTES;
    }
    c->rdb = rkb_rdb_new(&lim);
    c->cur_db = -1;
    return c;
}

void rkb_rdbcmd_destroy(rkb_rdbcmd_t *c) {
    if (c == NULL) {
        return;
    }
    rkb_rdb_destroy(c->rdb);
    rkb_buf_free(&c->raw);
    rkb_buf_free(&c->key);
    rkb_buf_free(&c->kbuf);
    rkb_buf_free(&c->group);
    rkb_buf_free(&c->consumer);
    free(c->pel);
    free(c);
}

/* Drops the fed bytes no RESTORE can need any more. */
static void raw_trim(rkb_rdbcmd_t *c) {
    uint64_t keep;
    if (c->capture && c->fed - c->value_off + PAYLOAD_EXTRA >
                          c->o.restore_max) {
        /* Inside a key every fed byte belongs to its value (the parser
         * wants more of it), so the payload is already too big. */
        c->capture = 0;
    }
    keep = c->capture ? c->value_off : rkb_rdb_offset(c->rdb);
    if (keep > c->raw_base) {
        uint64_t n = keep - c->raw_base;
        rkb_buf_consume(&c->raw, n < c->raw.len ? (size_t)n : c->raw.len);
        c->raw_base = keep;
    }
}

rkb_err_t rkb_rdbcmd_feed(rkb_rdbcmd_t *c, const char *buf, size_t len,
                          rkb_buf_t *out) {
    rkb_rdb_event_t ev;
    rkb_err_t err;

    if (c->err != RKB_OK) {
        return c->err;
    }
    if (c->done) {
        return RKB_OK; /* an AOF tail, or whatever follows: not ours */
    }
    /* Before the header the version is unknown: keep the bytes. */
    if (c->o.restore_version > 0 && (c->version == 0 || c->restore_ok)) {
        rkb_buf_append(&c->raw, buf, len);
    } else {
        rkb_buf_clear(&c->raw);
        c->raw_base = c->fed + len;
    }
    c->fed += len;
    err = rkb_rdb_feed(c->rdb, buf, len);
    while (err == RKB_OK) {
        err = rkb_rdb_next(c->rdb, &ev);
        if (err != RKB_OK) {
            break;
        }
        err = on_event(c, &ev, out);
        if (err != RKB_OK) {
            return err;
        }
        if (c->done) {
            rkb_buf_free(&c->raw);
            return RKB_OK;
        }
    }
    if (err != RKB_EAGAIN) {
        const char *s = rkb_rdb_errstr(c->rdb);
        snprintf(c->errstr, sizeof(c->errstr), "%s",
                 s[0] ? s : rkb_err2str(err));
        c->err = err;
        return err;
    }
    if (c->raw.len > 0) {
        raw_trim(c);
    }
    return RKB_OK;
}

rkb_err_t rkb_rdbcmd_finish(rkb_rdbcmd_t *c) {
    char k[256];
    if (c->err != RKB_OK || c->done) {
        return c->err;
    }
    snprintf(c->errstr, sizeof(c->errstr),
             "RDB offset %" PRIu64 ", %s%s%s: truncated: the input ends "
             "before the RDB's EOF marker",
             rkb_rdb_offset(c->rdb),
             c->key.data != NULL ? "after key \"" : "before any key",
             c->key.data != NULL ? key_repr(c, k, sizeof(k)) : "",
             c->key.data != NULL ? "\"" : "");
    c->err = RKB_ECORRUPT;
    return c->err;
}

int rkb_rdbcmd_done(const rkb_rdbcmd_t *c) {
    return c->done;
}

uint64_t rkb_rdbcmd_commands(const rkb_rdbcmd_t *c) {
    return c->ncmds;
}

uint64_t rkb_rdbcmd_keys(const rkb_rdbcmd_t *c) {
    return c->nkeys;
}

uint64_t rkb_rdbcmd_restored(const rkb_rdbcmd_t *c) {
    return c->nrestored;
}

int rkb_rdbcmd_version(const rkb_rdbcmd_t *c) {
    return c->version;
}

const char *rkb_rdbcmd_errstr(const rkb_rdbcmd_t *c) {
    return c->errstr;
}

/* Release -> RDB_VERSION of its rdb.h. */
int rkb_rdb_version_of_redis(const char *redis_version) {
    long major, minor;
    char *end;
    if (redis_version[0] < '0' || redis_version[0] > '9') {
        return 0;
    }
    major = strtol(redis_version, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9') {
        return 0;
    }
    minor = strtol(end + 1, &end, 10);
    if ((*end != '.' && *end != '\0') || major > 1000 || minor > 1000) {
        return 0;
    }
    minor += major * 1000;
    if (minor >= 7004) {
        return 12;
    }
    if (minor >= 7002) {
        return 11;
    }
    if (minor >= 7000) {
        return 10;
    }
    if (minor >= 5000) {
        return 9;
    }
    if (minor >= 4000) {
        return 8;
    }
    if (minor >= 3002) {
        return 7;
    }
    return 6;
}
