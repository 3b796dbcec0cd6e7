/* test_rkb_rdb.c -- tests of the streaming RDB parser.
 *
 * Every input is turned into a text dump of its events. Each case is fed
 * whole, byte by byte and (for small inputs) split in two at every
 * position, and all dumps must be identical (hiredis test_reply_reader).
 * Every truncation must end in RKB_EAGAIN with a prefix of the full dump.
 * Inputs: hand-crafted bytes for the legacy encodings, RDBs written by
 * redis-server 7.0 (tests/unit/rdb/), and the shared fixtures when present
 * (compared with their expected.jsonl). */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_buf.h"
#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_rdb.h"
#include "rdb_build.h"

/* ------------------------------------------------------------------------
 * Event dumps
 * --------------------------------------------------------------------- */

static void put(rkb_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(rkb_buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *tmp = rkb_malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rkb_buf_append(b, tmp, (size_t)n);
    free(tmp);
}

static void put_esc(rkb_buf_t *b, rkb_rdb_str_t s) {
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c > 0x20 && c < 0x7f && c != '\\') {
            rkb_buf_append(b, &c, 1);
        } else {
            put(b, "\\x%02x", c);
        }
    }
}

static void dump_event(rkb_buf_t *b, const rkb_rdb_event_t *ev) {
    switch (ev->type) {
    case RKB_RDB_EV_HEADER:
        put(b, "HEADER %d\n", ev->version);
        break;
    case RKB_RDB_EV_AUX:
        put(b, "AUX ");
        put_esc(b, ev->name);
        put(b, "=");
        put_esc(b, ev->value);
        put(b, "\n");
        break;
    case RKB_RDB_EV_SELECTDB:
        put(b, "SELECTDB %llu\n", (unsigned long long)ev->db);
        break;
    case RKB_RDB_EV_RESIZEDB:
        put(b, "RESIZEDB %llu %llu\n", (unsigned long long)ev->db_size,
            (unsigned long long)ev->expires_size);
        break;
    case RKB_RDB_EV_SLOT_INFO:
        put(b, "SLOT %llu\n", (unsigned long long)ev->slot);
        break;
    case RKB_RDB_EV_FUNCTION:
        put(b, "FUNCTION ");
        put_esc(b, ev->value);
        put(b, "\n");
        break;
    case RKB_RDB_EV_KEY_BEGIN:
        put(b, "KEY db=%llu t=%d/%d ", (unsigned long long)ev->db,
            (int)ev->obj_type, ev->rdb_type);
        put_esc(b, ev->key);
        put(b, " exp=%lld idle=%lld freq=%d\n", (long long)ev->expire_ms,
            (long long)ev->lru_idle, ev->lfu_freq);
        break;
    case RKB_RDB_EV_ELEMS:
        put(b, "ELEMS %zu\n", ev->nelems);
        for (size_t i = 0; i < ev->nelems; i++) {
            const rkb_rdb_elem_t *e = &ev->elems[i];
            put(b, "  ");
            if (ev->obj_type == RKB_RDB_STREAM) {
                put(b, "%llu-%llu ", (unsigned long long)e->id.ms,
                    (unsigned long long)e->id.seq);
            }
            put_esc(b, e->str);
            if (ev->obj_type == RKB_RDB_ZSET) {
                put(b, " : %.17g", e->score);
            } else if (ev->obj_type == RKB_RDB_HASH ||
                       ev->obj_type == RKB_RDB_STREAM) {
                put(b, " = ");
                put_esc(b, e->value);
                if (e->expire_ms != -1) {
                    put(b, " @%lld", (long long)e->expire_ms);
                }
            }
            put(b, "\n");
        }
        break;
    case RKB_RDB_EV_KEY_END:
        put(b, "END\n");
        break;
    case RKB_RDB_EV_STREAM_META:
        put(b, "META %llu %llu-%llu %llu-%llu %llu-%llu %llu %llu\n",
            (unsigned long long)ev->length, (unsigned long long)ev->id.ms,
            (unsigned long long)ev->id.seq,
            (unsigned long long)ev->first_id.ms,
            (unsigned long long)ev->first_id.seq,
            (unsigned long long)ev->max_deleted_id.ms,
            (unsigned long long)ev->max_deleted_id.seq,
            (unsigned long long)ev->entries_added,
            (unsigned long long)ev->count);
        break;
    case RKB_RDB_EV_STREAM_GROUP:
        put(b, "GROUP ");
        put_esc(b, ev->name);
        put(b, " %llu-%llu %lld %llu\n", (unsigned long long)ev->id.ms,
            (unsigned long long)ev->id.seq, (long long)ev->entries_read,
            (unsigned long long)ev->count);
        break;
    case RKB_RDB_EV_STREAM_CONSUMER:
        put(b, "CONSUMER ");
        put_esc(b, ev->name);
        put(b, " %lld %lld %llu\n", (long long)ev->seen_ms,
            (long long)ev->active_ms, (unsigned long long)ev->count);
        break;
    case RKB_RDB_EV_STREAM_PEL:
    case RKB_RDB_EV_STREAM_CONSUMER_PEL:
        put(b, "%s %zu\n", ev->type == RKB_RDB_EV_STREAM_PEL ? "PEL" : "CPEL",
            ev->nelems);
        for (size_t i = 0; i < ev->nelems; i++) {
            const rkb_rdb_elem_t *e = &ev->elems[i];
            put(b, "  %llu-%llu %lld %llu\n", (unsigned long long)e->id.ms,
                (unsigned long long)e->id.seq, (long long)e->delivery_ms,
                (unsigned long long)e->delivery_count);
        }
        break;
    case RKB_RDB_EV_EOF:
        put(b, "EOF %d\n", ev->checksum_checked);
        break;
    }
}

typedef struct {
    rkb_buf_t dump;
    rkb_err_t rc; /* last result: RKB_EAGAIN or an error */
    char errstr[320];
    int eof;
} run_t;

static void drain(rkb_rdb_t *rdb, run_t *r) {
    rkb_rdb_event_t ev;
    rkb_err_t rc;
    while ((rc = rkb_rdb_next(rdb, &ev)) == RKB_OK) {
        assert_false(r->eof); /* nothing after EOF */
        dump_event(&r->dump, &ev);
        r->eof = ev.type == RKB_RDB_EV_EOF;
    }
    r->rc = rc;
    if (rc != RKB_EAGAIN) {
        assert_int_equal(rkb_rdb_next(rdb, &ev), rc); /* sticky */
        assert_true(rkb_rdb_errstr(rdb)[0] != '\0');
        snprintf(r->errstr, sizeof(r->errstr), "%s", rkb_rdb_errstr(rdb));
    }
}

/* Feeds p[0..n) in pieces of `step` bytes (0: whole), or split once at
 * `cut` when step is SIZE_MAX. */
static void run(run_t *r, const rkb_rdb_limits_t *lim, const void *p,
                size_t n, size_t step, size_t cut) {
    rkb_rdb_t *rdb = rkb_rdb_new(lim);
    const char *c = p;
    size_t from = 0;
    memset(r, 0, sizeof(*r));
    r->rc = RKB_EAGAIN;
    while (from < n && r->rc == RKB_EAGAIN) {
        size_t to = step == 0 ? n : step == SIZE_MAX ? (from < cut ? cut : n)
                                                     : from + step;
        if (to > n) {
            to = n;
        }
        assert_int_equal(rkb_rdb_feed(rdb, c + from, to - from), RKB_OK);
        drain(rdb, r);
        from = to;
    }
    rkb_rdb_destroy(rdb);
}

static void free_run(run_t *r) {
    rkb_buf_free(&r->dump);
}

static void assert_same(const run_t *a, const run_t *b) {
    assert_int_equal(a->rc, b->rc);
    assert_string_equal(a->errstr, b->errstr);
    assert_int_equal(a->dump.len, b->dump.len);
    assert_memory_equal(a->dump.data, b->dump.data, a->dump.len);
}

/* Runs every feeding pattern and truncation; leaves the whole run in *out.
 * Splits at every position and truncations at every length only when n is
 * at most `exhaustive`; otherwise at a spread of positions. */
static void check_input(run_t *out, const rkb_rdb_limits_t *lim,
                        const void *p, size_t n, size_t exhaustive) {
    run_t other;
    size_t stride = n <= exhaustive ? 1 : n / 97 + 1;

    run(out, lim, p, n, 0, 0);
    run(&other, lim, p, n, 1, 0);
    assert_same(out, &other);
    free_run(&other);
    run(&other, lim, p, n, 7, 0);
    assert_same(out, &other);
    free_run(&other);
    for (size_t cut = 1; cut < n; cut += stride) {
        run(&other, lim, p, n, SIZE_MAX, cut);
        assert_same(out, &other);
        free_run(&other);
    }
    /* Truncated input: never an error nor an event that the whole input
     * does not produce, unless the whole input fails before the cut. */
    for (size_t len = 0; len < n; len += stride) {
        run(&other, lim, p, len, 0, 0);
        if (other.rc != RKB_EAGAIN) {
            assert_int_equal(other.rc, out->rc);
            assert_string_equal(other.errstr, out->errstr);
        }
        assert_true(other.dump.len <= out->dump.len);
        assert_true(other.dump.len == 0 ||
                    !memcmp(other.dump.data, out->dump.data, other.dump.len));
        assert_false(other.eof);
        free_run(&other);
    }
}

static void check_ok(const rkb_rdb_limits_t *lim, const void *p, size_t n,
                     const char *expected) {
    run_t r;
    check_input(&r, lim, p, n, 4096);
    if (r.rc != RKB_EAGAIN || !r.eof) {
        fail_msg("parse failed: %s", r.errstr);
    }
    if (expected != NULL) {
        rkb_buf_append(&r.dump, "", 1);
        assert_string_equal(r.dump.data, expected);
    }
    free_run(&r);
}

/* ------------------------------------------------------------------------
 * Building RDBs by hand
 * --------------------------------------------------------------------- */

#define B(b, lit) b_raw((b), (lit), sizeof(lit) - 1)

static void b_str(rkb_buf_t *b, const char *s, size_t n) {
    b_len(b, n);
    b_raw(b, s, n);
}
#define BS(b, lit) b_str((b), (lit), sizeof(lit) - 1)

static void b_header(rkb_buf_t *b, int version) {
    char h[10];
    snprintf(h, sizeof(h), "REDIS%04d", version);
    b_raw(b, h, 9);
}

static void b_eof(rkb_buf_t *b, int version) {
    b_u8(b, 0xff);
    if (version >= 5) {
        b_le(b, rkb_crc64(0, b->data, b->len), 8);
    }
}

/* A ziplist from entries given as encoding+data, prevlen filled in. */
typedef struct {
    const char *enc;
    size_t n;
} zl_entry_t;

static void b_ziplist(rkb_buf_t *out, const zl_entry_t *e, size_t count) {
    rkb_buf_t zl = {0};
    size_t prev = 0, tail = 10;
    b_le(&zl, 0, 4);
    b_le(&zl, 0, 4);
    b_le(&zl, count, 2);
    for (size_t i = 0; i < count; i++) {
        size_t start = zl.len;
        tail = start;
        if (prev < 254) {
            b_u8(&zl, (unsigned)prev);
        } else {
            b_u8(&zl, 0xfe);
            b_le(&zl, prev, 4);
        }
        b_raw(&zl, e[i].enc, e[i].n);
        prev = zl.len - start;
    }
    b_u8(&zl, 0xff);
    for (int i = 0; i < 4; i++) {
        zl.data[i] = (char)((zl.len >> (8 * i)) & 0xff);
        zl.data[4 + i] = (char)((tail >> (8 * i)) & 0xff);
    }
    b_str(out, zl.data, zl.len);
    rkb_buf_free(&zl);
}
#define ZE(lit) {(lit), sizeof(lit) - 1}

/* A listpack from elements given as encoding+data; backlen added. */
static void b_listpack(rkb_buf_t *out, const zl_entry_t *e, size_t count) {
    rkb_buf_t lp = {0};
    b_le(&lp, 0, 4);
    b_le(&lp, count, 2);
    for (size_t i = 0; i < count; i++) {
        b_raw(&lp, e[i].enc, e[i].n);
        RKB_ASSERT(e[i].n <= 127);
        b_u8(&lp, (unsigned)e[i].n);
    }
    b_u8(&lp, 0xff);
    for (int i = 0; i < 4; i++) {
        lp.data[i] = (char)((lp.len >> (8 * i)) & 0xff);
    }
    b_str(out, lp.data, lp.len);
    rkb_buf_free(&lp);
}

/* ------------------------------------------------------------------------
 * Hand-crafted cases
 * --------------------------------------------------------------------- */

/* RDB 1: no checksum, EXPIRETIME seconds, linked list, hashtable set and
 * hash, zset with text doubles including the inf/nan markers, LZF. */
static void test_rdb1_plain_types(void **state) {
    (void)state;
    rkb_buf_t b = {0};
    b_header(&b, 1);
    B(&b, "\xfe\x00");                      /* SELECTDB 0 */
    B(&b, "\xfd\x10\x00\x00\x00");         /* EXPIRETIME 16 s */
    B(&b, "\x00");
    BS(&b, "k");
    BS(&b, "v");
    B(&b, "\x00");                          /* expiry applies to one key */
    BS(&b, "ints");
    B(&b, "\xc0\x85");                      /* INT8 -123 */
    B(&b, "\x00");
    BS(&b, "i16");
    B(&b, "\xc1\x00\x80");                  /* INT16 -32768 */
    B(&b, "\x00");
    BS(&b, "i32");
    B(&b, "\xc2\x01\x02\x03\x04");         /* INT32 */
    B(&b, "\x00");
    BS(&b, "lzf"); /* "a" then a 9-byte back-reference at distance 1 */
    B(&b, "\xc3\x05\x0a\x00\x61\xe0\x00\x00");
    B(&b, "\x01");
    BS(&b, "list");
    b_len(&b, 2);
    BS(&b, "x");
    B(&b, "\xc0\x07");
    B(&b, "\x02");
    BS(&b, "set");
    b_len(&b, 1);
    BS(&b, "m");
    B(&b, "\x03");
    BS(&b, "zs");
    b_len(&b, 4);
    BS(&b, "a");
    B(&b, "\x03" "1.5");
    BS(&b, "b");
    B(&b, "\xfe");
    BS(&b, "c");
    B(&b, "\xff");
    BS(&b, "d");
    B(&b, "\xfd");
    B(&b, "\x04");
    BS(&b, "h");
    b_len(&b, 1);
    BS(&b, "f");
    BS(&b, "");
    b_eof(&b, 1);
    check_ok(NULL, b.data, b.len,
             "HEADER 1\nSELECTDB 0\n"
             "KEY db=0 t=0/0 k exp=16000 idle=-1 freq=-1\nELEMS 1\n  v\nEND\n"
             "KEY db=0 t=0/0 ints exp=-1 idle=-1 freq=-1\nELEMS 1\n"
             "  -123\nEND\n"
             "KEY db=0 t=0/0 i16 exp=-1 idle=-1 freq=-1\nELEMS 1\n"
             "  -32768\nEND\n"
             "KEY db=0 t=0/0 i32 exp=-1 idle=-1 freq=-1\nELEMS 1\n"
             "  67305985\nEND\n"
             "KEY db=0 t=0/0 lzf exp=-1 idle=-1 freq=-1\nELEMS 1\n"
             "  aaaaaaaaaa\nEND\n"
             "KEY db=0 t=1/1 list exp=-1 idle=-1 freq=-1\nELEMS 2\n  x\n  7\n"
             "END\n"
             "KEY db=0 t=2/2 set exp=-1 idle=-1 freq=-1\nELEMS 1\n  m\nEND\n"
             "KEY db=0 t=3/3 zs exp=-1 idle=-1 freq=-1\nELEMS 4\n"
             "  a : 1.5\n  b : inf\n  c : -inf\n  d : nan\nEND\n"
             "KEY db=0 t=4/4 h exp=-1 idle=-1 freq=-1\nELEMS 1\n  f = \nEND\n"
             "EOF 0\n");
    rkb_buf_free(&b);
}

/* RDB 2 zipmap hash, including a 254+ length and free bytes. */
static void test_zipmap(void **state) {
    (void)state;
    rkb_buf_t b = {0}, zm = {0};
    char big[300];
    memset(big, 'z', sizeof(big));
    b_header(&b, 2);
    B(&zm, "\x02");
    B(&zm, "\x02" "f1" "\x02\x01" "v1" "_");
    B(&zm, "\x01" "g" "\xfe\x2c\x01\x00\x00\x00");
    b_raw(&zm, big, sizeof(big));
    B(&zm, "\xff");
    B(&b, "\x09");
    BS(&b, "zm");
    b_str(&b, zm.data, zm.len);
    b_eof(&b, 2);
    run_t r;
    check_input(&r, NULL, b.data, b.len, 4096);
    assert_int_equal(r.rc, RKB_EAGAIN);
    assert_true(r.eof);
    rkb_buf_append(&r.dump, "", 1);
    assert_non_null(strstr(r.dump.data, "KEY db=0 t=4/9 zm"));
    assert_non_null(strstr(r.dump.data, "ELEMS 2\n  f1 = v1\n  g = zzz"));
    free_run(&r);
    rkb_buf_free(&zm);
    rkb_buf_free(&b);
}

/* RDB 6 ziplists with every integer width, intsets, quicklist v1. */
static void test_ziplist_intset_quicklist(void **state) {
    (void)state;
    rkb_buf_t b = {0};
    static const zl_entry_t list[] = {
        ZE("\x02" "ab"),
        ZE("\xc0\xfe\xff"),                 /* int16 -2 */
        ZE("\xd0\x00\x00\x00\x80"),         /* int32 min */
        ZE("\xe0\x01\x00\x00\x00\x00\x00\x00\x80"), /* int64 */
        ZE("\xf0\xc0\xbd\xf0"),             /* int24 -1000000 */
        ZE("\xf0\xff\xff\x7f"),             /* int24 max */
        ZE("\xfe\x9c"),                     /* int8 -100 */
        ZE("\xf1"),                         /* immediate 0 */
        ZE("\xfd"),                         /* immediate 12 */
    };
    static const zl_entry_t zset[] = {
        ZE("\x01" "a"), ZE("\xf6"), ZE("\x01" "b"), ZE("\x03" "1.5"),
    };
    static const zl_entry_t hash[] = {
        ZE("\x01" "f"), ZE("\xc0\x10\x27"),
    };
    char longstr[300];
    memset(longstr, 'L', sizeof(longstr));
    rkb_buf_t long_entry = {0};
    /* A 300-byte string: 14-bit big-endian length; the next entry then
     * needs a 5-byte prevlen. */
    B(&long_entry, "\x41\x2c");
    b_raw(&long_entry, longstr, sizeof(longstr));
    zl_entry_t node2[] = {{long_entry.data, long_entry.len}, ZE("\x01" "z")};

    b_header(&b, 7);
    B(&b, "\xfa");
    BS(&b, "redis-bits");
    B(&b, "\xc0\x40");
    B(&b, "\xfe\x81\x00\x00\x00\x00\x00\x00\x00\x05"); /* 64-bit length */
    B(&b, "\xfb\x02\x00");
    B(&b, "\x0a");
    BS(&b, "zl");
    b_ziplist(&b, list, sizeof(list) / sizeof(list[0]));
    B(&b, "\x0c");
    BS(&b, "zz");
    b_ziplist(&b, zset, 4);
    B(&b, "\x0d");
    BS(&b, "zh");
    b_ziplist(&b, hash, 2);
    B(&b, "\x0b");
    BS(&b, "is16");
    BS(&b, "\x02\x00\x00\x00\x02\x00\x00\x00\xfe\xff\x05\x00");
    B(&b, "\x0b");
    BS(&b, "is32");
    BS(&b, "\x04\x00\x00\x00\x01\x00\x00\x00\xa0\x86\x01\x00");
    B(&b, "\x0b");
    BS(&b, "is64");
    BS(&b, "\x08\x00\x00\x00\x01\x00\x00\x00"
           "\x00\x00\x00\x00\x00\x00\x00\x80");
    B(&b, "\x0e");
    BS(&b, "ql");
    b_len(&b, 2);
    b_ziplist(&b, hash, 2);
    b_ziplist(&b, node2, 2);
    b_eof(&b, 7);

    rkb_buf_t want = {0};
    put(&want, "HEADER 7\nAUX redis-bits=64\nSELECTDB 5\nRESIZEDB 2 0\n"
               "KEY db=5 t=1/10 zl exp=-1 idle=-1 freq=-1\nELEMS 9\n"
               "  ab\n  -2\n  -2147483648\n  -9223372036854775807\n"
               "  -1000000\n  8388607\n  -100\n  0\n  12\nEND\n"
               "KEY db=5 t=3/12 zz exp=-1 idle=-1 freq=-1\nELEMS 2\n"
               "  a : 5\n  b : 1.5\nEND\n"
               "KEY db=5 t=4/13 zh exp=-1 idle=-1 freq=-1\nELEMS 1\n"
               "  f = 10000\nEND\n"
               "KEY db=5 t=2/11 is16 exp=-1 idle=-1 freq=-1\nELEMS 2\n"
               "  -2\n  5\nEND\n"
               "KEY db=5 t=2/11 is32 exp=-1 idle=-1 freq=-1\nELEMS 1\n"
               "  100000\nEND\n"
               "KEY db=5 t=2/11 is64 exp=-1 idle=-1 freq=-1\nELEMS 1\n"
               "  -9223372036854775808\nEND\n"
               "KEY db=5 t=1/14 ql exp=-1 idle=-1 freq=-1\nELEMS 2\n"
               "  f\n  10000\nELEMS 2\n  ");
    b_raw(&want, longstr, sizeof(longstr));
    put(&want, "\n  z\nEND\nEOF 1\n");
    rkb_buf_append(&want, "", 1);
    check_ok(NULL, b.data, b.len, want.data);
    rkb_buf_free(&want);
    rkb_buf_free(&long_entry);
    rkb_buf_free(&b);
}

/* RDB 12 listpacks, quicklist v2 with a plain node, ZSET_2, hashes with
 * field expiration (24, 25), LFU/LRU and ms expiry prefixes, SLOT_INFO,
 * FUNCTION2; small batches. */
static void test_listpack_and_hfe(void **state) {
    (void)state;
    rkb_buf_t b = {0};
    static const zl_entry_t lp[] = {
        ZE("\x81" "a"),          /* 1-char string */
        ZE("\x05"),              /* 7-bit uint */
        ZE("\xdf\xff"),          /* 13-bit -1 */
        ZE("\xe0\x01" "x"),      /* 12-bit length string */
        ZE("\xf1\x00\x80"),      /* int16 min */
        ZE("\xf2\x00\x00\x80"),  /* int24 min */
        ZE("\xf3\xff\xff\xff\xff"), /* int32 -1 */
        ZE("\xf4\x00\x00\x00\x00\x00\x00\x00\x80"), /* int64 min */
        ZE("\xf0\x01\x00\x00\x00" "y"), /* 32-bit length string */
    };
    static const zl_entry_t hx[] = {
        ZE("\x81" "f"),
        ZE("\x81" "v"),
        ZE("\xf4\x00\x10\x00\x00\x00\x00\x00\x00"), /* expiry 4096 */
        ZE("\x81" "g"), ZE("\x81" "w"), ZE("\x00"),
    };
    b_header(&b, 12);
    B(&b, "\xf5");
    BS(&b, "#!lua name=l\nreturn 1");
    B(&b, "\xfe\x00\xf4\x81\x00\x00\x00\x00\x00\x00\x00\x07\x01\x00");
    B(&b, "\xf9\x05\x14");            /* FREQ 5 */
    BS(&b, "lp");
    b_listpack(&b, lp, 9);
    B(&b, "\xf8\x0a\x10");            /* IDLE 10 */
    BS(&b, "lph");
    b_listpack(&b, hx, 4);
    B(&b, "\xfc\x01\x02\x00\x00\x00\x00\x00\x00\x12"); /* EXPIRETIME_MS */
    BS(&b, "ql2");
    b_len(&b, 2);
    b_len(&b, 1);
    BS(&b, "plain");
    b_len(&b, 2);
    b_listpack(&b, lp, 2);
    B(&b, "\x05");
    BS(&b, "z2");
    b_len(&b, 1);
    BS(&b, "m");
    b_le(&b, 0x3ff8000000000000ULL, 8); /* 1.5 */
    B(&b, "\x19");
    BS(&b, "hx");
    b_le(&b, 0x1000, 8);
    b_listpack(&b, hx, 6);
    B(&b, "\x18");
    BS(&b, "hm");
    b_le(&b, 1000, 8);
    b_len(&b, 3);
    b_len(&b, 0);
    BS(&b, "a");
    BS(&b, "1");
    b_len(&b, 5);
    BS(&b, "b");
    BS(&b, "2");
    b_len(&b, 1);
    BS(&b, "c");
    BS(&b, "3");
    b_eof(&b, 12);
    rkb_rdb_limits_t lim = {2, 0, 0};
    check_ok(&lim, b.data, b.len,
             "HEADER 12\nFUNCTION #!lua\\x20name=l\\x0areturn\\x201\n"
             "SELECTDB 0\nSLOT 7\n"
             "KEY db=0 t=2/20 lp exp=-1 idle=-1 freq=5\n"
             "ELEMS 2\n  a\n  5\nELEMS 2\n  -1\n  x\n"
             "ELEMS 2\n  -32768\n  -8388608\n"
             "ELEMS 2\n  -1\n  -9223372036854775808\nELEMS 1\n  y\nEND\n"
             "KEY db=0 t=4/16 lph exp=-1 idle=10 freq=-1\n"
             "ELEMS 2\n  f = v\n  4096 = g\nEND\n"
             "KEY db=0 t=1/18 ql2 exp=513 idle=-1 freq=-1\n"
             "ELEMS 1\n  plain\nELEMS 2\n  a\n  5\nEND\n"
             "KEY db=0 t=3/5 z2 exp=-1 idle=-1 freq=-1\nELEMS 1\n"
             "  m : 1.5\nEND\n"
             "KEY db=0 t=4/25 hx exp=-1 idle=-1 freq=-1\n"
             "ELEMS 2\n  f = v @4096\n  g = w\nEND\n"
             "KEY db=0 t=4/24 hm exp=-1 idle=-1 freq=-1\n"
             "ELEMS 2\n  a = 1\n  b = 2 @1004\nELEMS 1\n  c = 3 @1000\nEND\n"
             "EOF 1\n");
    rkb_buf_free(&b);
}

/* Refusals and corruption: each with its error, offset and key. */
static void expect_error(const void *p, size_t n, rkb_err_t err,
                         const char *msg) {
    run_t r;
    check_input(&r, NULL, p, n, 4096);
    assert_int_equal(r.rc, err);
    if (strstr(r.errstr, msg) == NULL) {
        fail_msg("errstr \"%s\" lacks \"%s\"", r.errstr, msg);
    }
    free_run(&r);
}

static void test_errors(void **state) {
    (void)state;
    rkb_buf_t b = {0};

    expect_error("REDIS0013", 9, RKB_EVERSION, "RDB version 13");
    expect_error("RADIS0009", 9, RKB_ECORRUPT, "RDB offset 0: not an RDB");
    expect_error("REDIS0009\xc8\x01k", 12, RKB_ECORRUPT,
                 "RDB offset 9: unknown type byte 200");
    expect_error("REDIS0009\x07\x03mod\x81", 15, RKB_EUNSUPPORTED,
                 "RDB offset 9, key \"mod\": module value (type byte 7)");
    expect_error("REDIS0012\x16\x02s\n", 13, RKB_EUNSUPPORTED,
                 "key \"s\\x0a\": pre-GA hash with field TTLs (type "
                 "byte 22)");
    expect_error("REDIS0009\xf7\x81", 11, RKB_EUNSUPPORTED, "opcode 247");
    expect_error("REDIS0009\x00\x01k\xc4", 13, RKB_ECORRUPT,
                 "RDB offset 12, key \"k\": unknown string encoding 4");
    expect_error("REDIS0009\x00\x01k\x9f", 13, RKB_ECORRUPT,
                 "invalid length byte 0x9f");
    /* A bad LZF back-reference distance. */
    expect_error("REDIS0009\x00\x01k\xc3\x02\x05\xe0\x05", 17, RKB_ECORRUPT,
                 "key \"k\": corrupt LZF string");
    /* A ziplist whose zlbytes is wrong. */
    expect_error("REDIS0009\x0a\x01l\x05xxxxx", 18, RKB_ECORRUPT,
                 "RDB offset 12, key \"l\": corrupt ziplist");
    /* A listpack with a bad encoding byte. */
    expect_error("REDIS0011\x14\x01s\x08\x08\x00\x00\x00\x01\x00\xf7\xff", 21,
                 RKB_ECORRUPT, "corrupt listpack at byte 6 of 8");
    /* An intset with a duplicate member. */
    expect_error("REDIS0009\x0b\x01s\x0c\x02\x00\x00\x00\x02\x00\x00\x00"
                 "\x05\x00\x05\x00", 25, RKB_ECORRUPT,
                 "key \"s\": corrupt intset at byte 10 of 12: members not");
    /* Checksum. */
    b_header(&b, 9);
    B(&b, "\x00\x01k\x01v");
    b_eof(&b, 9);
    b.data[b.len - 1] ^= 1;
    expect_error(b.data, b.len, RKB_ECORRUPT, "RDB offset 15: checksum");
    /* A zero checksum is not checked. */
    memset(b.data + b.len - 8, 0, 8);
    check_ok(NULL, b.data, b.len, NULL);
    rkb_buf_free(&b);

    /* The string limit. */
    rkb_rdb_limits_t lim = {0, 0, 3};
    run_t r;
    run(&r, &lim, "REDIS0009\x00\x01k\x04vvvv", 17, 0, 0);
    assert_int_equal(r.rc, RKB_ELIMIT);
    free_run(&r);
}

/* ------------------------------------------------------------------------
 * RDBs written by redis-server 7.0
 * --------------------------------------------------------------------- */

static char *read_path(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    rkb_buf_t b = {0};
    char tmp[65536];
    size_t got;
    if (f == NULL) {
        return NULL;
    }
    while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        rkb_buf_append(&b, tmp, got);
    }
    fclose(f);
    rkb_buf_append(&b, "", 1);
    return rkb_buf_detach(&b, n);
}

static char *read_unit_rdb(const char *name, size_t *n) {
    char path[1024];
    const char *src = getenv("RKB_SOURCE_DIR");
    snprintf(path, sizeof(path), "%s/tests/unit/rdb/%s", src ? src : ".",
             name);
    char *p = read_path(path, n);
    if (p == NULL) {
        fail_msg("cannot read %s (set RKB_SOURCE_DIR)", path);
    }
    (*n)--;
    return p;
}

static void test_redis7_small(void **state) {
    (void)state;
    size_t n;
    char *p = read_unit_rdb("small7.rdb", &n);
    run_t r;
    check_input(&r, NULL, p, n, 4096);
    assert_int_equal(r.rc, RKB_EAGAIN);
    assert_true(r.eof);
    rkb_buf_append(&r.dump, "", 1);
    const char *d = r.dump.data;
    assert_non_null(strstr(d, "HEADER 10\n"));
    assert_non_null(strstr(d, "FUNCTION #!lua\\x20name=mylib"));
    assert_non_null(strstr(d, "t=0/0 ttl exp=4102444800123"));
    assert_non_null(strstr(d, "t=0/0 big exp=-1 idle=-1 freq=-1\nELEMS 1\n"
                              "  3000000000\n"));
    assert_non_null(strstr(d, "t=0/0 lzf exp=-1 idle=-1 freq=-1\nELEMS 1\n"
                              "  abcabcabc"));
    assert_non_null(strstr(d, "t=1/18 list exp=-1 idle=-1 freq=-1\n"
                              "ELEMS 6\n  a\n  b\n  1\n  -2\n  300\n"
                              "  70000\nEND\n"));
    assert_non_null(strstr(d, "t=2/11 iset"));
    assert_non_null(strstr(d, "  -3\n  1\n  2\nEND"));
    assert_non_null(strstr(d, "t=3/17 zs exp=-1 idle=-1 freq=-1\nELEMS 3\n"
                              "  c : -inf\n  a : 1\n  b : 2.5\nEND\n"));
    assert_non_null(strstr(d, "t=4/16 h exp=-1 idle=-1 freq=-1\nELEMS 2\n"
                              "  f1 = v1\n  f2 = 22\nEND\n"));
    assert_non_null(strstr(d, "SELECTDB 3\n"));
    assert_non_null(strstr(d, "EOF 1\n"));
    free_run(&r);
    free(p);
}

static size_t count(const char *hay, const char *needle) {
    size_t c = 0;
    for (const char *s = hay; (s = strstr(s, needle)) != NULL; s++) {
        c++;
    }
    return c;
}

static void test_redis7_big(void **state) {
    (void)state;
    size_t n;
    char *p = read_unit_rdb("big7.rdb", &n);
    rkb_rdb_limits_t lim = {50, 1000, 0};
    run_t r;
    check_input(&r, &lim, p, n, 0);
    assert_int_equal(r.rc, RKB_EAGAIN);
    assert_true(r.eof);
    rkb_buf_append(&r.dump, "", 1);
    const char *d = r.dump.data;
    /* Hashtable set/hash/zset (types 2, 4, 5), quicklist v2 with many
     * nodes, intsets of every width, a 5000-byte LZF string. */
    assert_non_null(strstr(d, "t=2/2 bigset"));
    assert_non_null(strstr(d, "t=4/16 bighash"));
    assert_non_null(strstr(d, "t=3/5 bigzset"));
    assert_non_null(strstr(d, "t=1/18 biglist"));
    assert_non_null(strstr(d, "t=2/2 bigint"));
    assert_non_null(strstr(d, "  9000000000\n"));
    assert_non_null(strstr(d, "  100000\n"));
    assert_non_null(strstr(d, "  m300\n"));
    assert_non_null(strstr(d, "  f300 = v300\n"));
    assert_non_null(strstr(d, "  z300 : 300.5\n"));
    assert_non_null(strstr(d, "  e1\n  e2\n  e3\n  e4\nELEMS 4\n  e5\n"));
    assert_null(strstr(d, "ELEMS 51"));
    assert_int_equal(count(d, "\n  m"), 300);
    assert_int_equal(count(d, "\n  f"), 300);
    assert_int_equal(count(d, "\n  e"), 300);
    assert_int_equal(count(d, "\n  z"), 300);
    free_run(&r);
    free(p);
}

static void test_redis7_stream(void **state) {
    (void)state;
    size_t n;
    char *p = read_unit_rdb("stream7.rdb", &n);
    run_t r;
    check_input(&r, NULL, p, n, 4096);
    assert_int_equal(r.rc, RKB_EAGAIN);
    assert_true(r.eof);
    rkb_buf_append(&r.dump, "", 1);
    /* Stream v2 with a deleted entry (1-2), two groups, a PEL and a
     * consumer; keys carry FREQ (allkeys-lfu). Delivery times vary. */
    const char *d = strstr(r.dump.data, "KEY db=0 t=5/19 st");
    assert_non_null(strstr(r.dump.data, "t=0/0 lfukey exp=-1 idle=-1 freq=5"));
    assert_non_null(d);
    assert_non_null(strstr(d, "ELEMS 3\n  1-1 f = v\n  2-0 f = y\n"
                              "  3-0 f = z\nMETA 3 3-0 1-1 1-2 4 2\n"
                              "GROUP empty 3-0 -1 0\nGROUP grp 2-0 -1 2\n"
                              "PEL 2\n  1-1 1"));
    assert_non_null(strstr(d, "CONSUMER alice 1"));
    assert_non_null(strstr(d, " -1 2\nCPEL 2\n  1-1 0 0\n  2-0 0 0\nEND\n"
                              "EOF 1\n"));
    free_run(&r);
    free(p);
}

/* A corrupted byte in a real RDB: the error carries the offset. */
static void test_redis7_corrupt_byte(void **state) {
    (void)state;
    size_t n;
    char *p = read_unit_rdb("small7.rdb", &n);
    size_t type_off = 0;
    for (size_t i = 1; i + 5 <= n && type_off == 0; i++) {
        if (!memcmp(p + i, "\x04" "list", 5)) {
            type_off = i - 1;
        }
    }
    assert_true(type_off > 0);
    assert_int_equal((unsigned char)p[type_off], 18);
    p[type_off] = (char)200;
    char want[64];
    snprintf(want, sizeof(want), "RDB offset %zu: unknown type byte 200",
             type_off);
    expect_error(p, n, RKB_ECORRUPT, want);
    /* Any other flipped byte (not in the checksum) is an error too. */
    p[type_off] = 18;
    p[type_off + 3] ^= 0x40;
    run_t r;
    run(&r, NULL, p, n, 0, 0);
    assert_int_not_equal(r.rc, RKB_EAGAIN);
    free_run(&r);
    free(p);
}

/* ------------------------------------------------------------------------
 * Value offsets: the bytes a DUMP payload is made of
 * --------------------------------------------------------------------- */

/* value_offset/end_offset of every key, as "db key value_offset end_offset
 * type" lines, feeding p[0..n) in pieces of `step` bytes (0: whole). */
static void key_offsets(rkb_buf_t *o, const char *p, size_t n, size_t step) {
    rkb_rdb_t *rdb = rkb_rdb_new(NULL);
    rkb_rdb_event_t ev;
    rkb_err_t rc;
    size_t from = 0;
    uint64_t begin = 0;
    do {
        size_t to = step == 0 || from + step > n ? n : from + step;
        assert_int_equal(rkb_rdb_feed(rdb, p + from, to - from), RKB_OK);
        from = to;
        while ((rc = rkb_rdb_next(rdb, &ev)) == RKB_OK) {
            if (ev.type == RKB_RDB_EV_KEY_BEGIN) {
                begin = ev.value_offset;
                put(o, "%llu ", (unsigned long long)ev.db);
                put_esc(o, ev.key);
                put(o, " %llu", (unsigned long long)begin);
                /* The value follows the type byte and the key. */
                assert_true(begin > ev.offset + ev.key.len);
                assert_int_equal((unsigned char)p[ev.offset], ev.rdb_type);
            } else if (ev.type == RKB_RDB_EV_KEY_END) {
                assert_true(ev.end_offset > begin);
                assert_int_equal(ev.end_offset, rkb_rdb_offset(rdb));
                put(o, " %llu\n", (unsigned long long)ev.end_offset);
            }
        }
        assert_int_equal(rc, RKB_EAGAIN);
    } while (from < n);
    rkb_rdb_destroy(rdb);
}

static void test_value_offsets(void **state) {
    (void)state;
    /* SELECTDB 0, string "k" = "vv" with an expiry, list "l" ["a"]. */
    static const char rdb[] = "REDIS0009\xfe\x00"
                              "\xfc\x01\x02\x03\x04\x05\x06\x07\x08"
                              "\x00\x01k\x02vv"
                              "\x01\x01l\x01\x01" "a"
                              "\xff";
    rkb_buf_t whole = {0}, bytes = {0};
    key_offsets(&whole, rdb, sizeof(rdb) - 1, 0);
    rkb_buf_append(&whole, "", 1);
    assert_string_equal(whole.data, "0 k 23 26\n0 l 29 32\n");
    key_offsets(&bytes, rdb, sizeof(rdb) - 1, 1);
    rkb_buf_append(&bytes, "", 1);
    assert_string_equal(whole.data, bytes.data);
    rkb_buf_free(&whole);
    rkb_buf_free(&bytes);
}

static void hex(rkb_buf_t *b, const void *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        put(b, "%02x", ((const unsigned char *)p)[i]);
    }
}

/* The type byte, [value_offset, end_offset), the RDB version and the CRC
 * are what DUMP returns: tests/unit/rdb/dump7.txt holds DUMP of every key
 * of the 7.0 RDBs, taken from a redis-server 7.0.15 that loaded them. */
static void test_redis7_dump_payloads(void **state) {
    (void)state;
    static const char *const files[] = {"small7.rdb", "big7.rdb",
                                        "stream7.rdb"};
    size_t dn, want = 0, matched = 0, reordered = 0;
    char *dumps = read_unit_rdb("dump7.txt", &dn);
    for (const char *l = dumps; (l = strchr(l, '\n')) != NULL; l++) {
        want += l[1] != '#' && l[1] != '\0';
    }
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        size_t n;
        char *p = read_unit_rdb(files[f], &n);
        rkb_rdb_t *rdb = rkb_rdb_new(NULL);
        rkb_rdb_event_t ev;
        rkb_buf_t line = {0};
        int type = -1, version = 0;
        uint64_t begin = 0;
        assert_int_equal(rkb_rdb_feed(rdb, p, n), RKB_OK);
        while (rkb_rdb_next(rdb, &ev) == RKB_OK) {
            if (ev.type == RKB_RDB_EV_HEADER) {
                version = ev.version;
            } else if (ev.type == RKB_RDB_EV_KEY_BEGIN) {
                rkb_buf_clear(&line);
                put(&line, "\n%s %llu ", files[f], (unsigned long long)ev.db);
                hex(&line, ev.key.ptr, ev.key.len);
                put(&line, " ");
                type = ev.rdb_type;
                begin = ev.value_offset;
            } else if (ev.type == RKB_RDB_EV_KEY_END) {
                unsigned char t = (unsigned char)type, foot[10];
                size_t len = (size_t)(ev.end_offset - begin);
                uint64_t crc = rkb_crc64(0, &t, 1);
                crc = rkb_crc64(crc, p + begin, len);
                foot[0] = (unsigned char)version;
                foot[1] = 0;
                crc = rkb_crc64(crc, foot, 2);
                for (int i = 0; i < 8; i++) {
                    foot[2 + i] = (unsigned char)(crc >> (8 * i));
                }
                size_t prefix = line.len;
                hex(&line, &t, 1);
                hex(&line, p + begin, len);
                hex(&line, foot, sizeof(foot));
                put(&line, "\n");
                rkb_buf_append(&line, "", 1);
                matched++;
                if (strstr(dumps, line.data) != NULL) {
                    continue;
                }
                /* A hashtable-encoded set, zset or hash is dumped in the
                 * order of the loading server's table, not of the file:
                 * only its size is compared. */
                const char *d;
                line.data[prefix] = '\0';
                d = strstr(dumps, line.data);
                if (d == NULL || (type < 2 || type > 5) ||
                    strcspn(d + prefix, "\n") != line.len - 2 - prefix) {
                    line.data[prefix] = '0';
                    fail_msg("no DUMP equal to %s", line.data + 1);
                }
                reordered++;
            }
        }
        rkb_buf_free(&line);
        rkb_rdb_destroy(rdb);
        free(p);
    }
    assert_int_equal(matched, want);
    assert_true(reordered * 2 < matched);
    print_message("%zu DUMP payloads equal, %zu of the same size (hashtable "
                  "order)\n", matched - reordered, reordered);
    free(dumps);
}

/* ------------------------------------------------------------------------
 * Shared fixtures, compared with expected.jsonl
 * --------------------------------------------------------------------- */

/* A minimal JSON reader: enough for the fixture oracles. */
typedef struct jv_s {
    char t; /* 's' string, 'n' number, 'a' array, 'o' object, 'z' null */
    char *s;
    double n;
    struct jv_s **items;
    char **keys;
    size_t len;
} jv_t;

static char *detach(rkb_buf_t *b) {
    size_t n;
    return rkb_buf_detach(b, &n);
}

static void jv_free(jv_t *v) {
    if (v == NULL) {
        return;
    }
    for (size_t i = 0; i < v->len; i++) {
        jv_free(v->items[i]);
        if (v->keys != NULL) {
            free(v->keys[i]);
        }
    }
    free(v->items);
    free(v->keys);
    free(v->s);
    free(v);
}

static const char *ws(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
        p++;
    }
    return p;
}

static char *jstring(const char **pp) {
    const char *p = *pp + 1;
    rkb_buf_t b = {0};
    while (*p != '"' && *p != '\0') {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        }
        rkb_buf_append(&b, p++, 1);
    }
    rkb_buf_append(&b, "", 1);
    *pp = *p ? p + 1 : p;
    return detach(&b);
}

static jv_t *jparse(const char **pp) {
    jv_t *v = rkb_calloc(1, sizeof(*v));
    const char *p = ws(*pp);
    if (*p == '"') {
        v->t = 's';
        v->s = jstring(&p);
    } else if (*p == '[' || *p == '{') {
        char close = *p == '[' ? ']' : '}';
        v->t = *p == '[' ? 'a' : 'o';
        p = ws(p + 1);
        while (*p != close && *p != '\0') {
            v->items = rkb_realloc(v->items, (v->len + 1) * sizeof(jv_t *));
            if (v->t == 'o') {
                v->keys = rkb_realloc(v->keys, (v->len + 1) * sizeof(char *));
                v->keys[v->len] = jstring(&p);
                p = ws(p);
                p = *p == ':' ? p + 1 : p;
            }
            v->items[v->len++] = jparse(&p);
            p = ws(p);
            p = *p == ',' ? ws(p + 1) : p;
        }
        p = *p ? p + 1 : p;
    } else if (*p == 'n') {
        v->t = 'z';
        p += 4;
    } else {
        char *end;
        v->t = 'n';
        v->n = strtod(p, &end);
        p = end > p ? end : p + 1;
    }
    *pp = p;
    return v;
}

static const jv_t *jget(const jv_t *o, const char *key) {
    for (size_t i = 0; o != NULL && o->t == 'o' && i < o->len; i++) {
        if (!strcmp(o->keys[i], key)) {
            return o->items[i];
        }
    }
    return NULL;
}

static void b64(rkb_buf_t *out, const char *p, size_t n) {
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        v |= i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0;
        v |= i + 2 < n ? s[i + 2] : 0;
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63],
                     i + 1 < n ? tab[(v >> 6) & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        rkb_buf_append(out, q, 4);
    }
}

/* Canonical text of one key: "db key type exp n" and sorted elements (in
 * order for lists). Both sides build the same text. */
typedef struct {
    char **elems;
    size_t len, cap;
} strv_t;

static void strv_add(strv_t *v, rkb_buf_t *b) {
    if (v->len == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->elems = rkb_realloc(v->elems, v->cap * sizeof(char *));
    }
    rkb_buf_append(b, "", 1);
    v->elems[v->len++] = detach(b);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *canon(unsigned long long db, const char *key_b64,
                   const char *type, long long exp, strv_t *elems) {
    rkb_buf_t b = {0};
    if (strcmp(type, "list") != 0) {
        qsort(elems->elems, elems->len, sizeof(char *), cmp_str);
    }
    put(&b, "%llu %s %s %lld %zu", db, key_b64, type, exp, elems->len);
    for (size_t i = 0; i < elems->len; i++) {
        rkb_buf_append(&b, " ", 1);
        rkb_buf_append(&b, elems->elems[i], strlen(elems->elems[i]));
        free(elems->elems[i]);
    }
    free(elems->elems);
    memset(elems, 0, sizeof(*elems));
    rkb_buf_append(&b, "", 1);
    return detach(&b);
}

static char *canon_expected(const jv_t *line) {
    const jv_t *type = jget(line, "type"), *value = jget(line, "value");
    const jv_t *fexp = jget(line, "field_pexpiretime");
    strv_t ev = {0};
    rkb_buf_t b = {0};
    if (type == NULL || value == NULL) {
        return NULL;
    }
    if (!strcmp(type->s, "stream")) {
        const jv_t *groups = jget(line, "groups");
        for (size_t i = 0; i < value->len; i++) {
            const jv_t *e = value->items[i];
            put(&b, "e:%s:", e->items[0]->s);
            for (size_t j = 0; j < e->items[1]->len; j++) {
                const jv_t *fv = e->items[1]->items[j];
                put(&b, "%s=%s,", fv->items[0]->s, fv->items[1]->s);
            }
            strv_add(&ev, &b);
        }
        put(&b, "last=%s", jget(line, "last_id")->s);
        strv_add(&ev, &b);
        for (size_t i = 0; groups != NULL && i < groups->len; i++) {
            const jv_t *g = groups->items[i], *pel = jget(g, "pel");
            const char *name = jget(g, "name")->s;
            put(&b, "g:%s:%s", name, jget(g, "last_delivered")->s);
            strv_add(&ev, &b);
            for (size_t j = 0; j < pel->len; j++) {
                const jv_t *pe = pel->items[j];
                put(&b, "p:%s:%s:%.0f", name, pe->items[0]->s,
                    pe->items[2]->n);
                strv_add(&ev, &b);
                put(&b, "c:%s:%s:%s", name, pe->items[0]->s, pe->items[1]->s);
                strv_add(&ev, &b);
            }
        }
        value = NULL;
    } else if (value->t == 's') {
        put(&b, "%s", value->s);
        strv_add(&ev, &b);
    }
    for (size_t i = 0; value && value->t == 'a' && i < value->len; i++) {
        const jv_t *e = value->items[i];
        if (e->t == 's') {
            put(&b, "%s", e->s);
        } else if (!strcmp(type->s, "zset")) {
            put(&b, "%s:%.17g", e->items[0]->s, strtod(e->items[1]->s, NULL));
        } else {
            const jv_t *t = jget(fexp, e->items[0]->s);
            put(&b, "%s=%s@%lld", e->items[0]->s, e->items[1]->s,
                t ? (long long)t->n : -1LL);
        }
        strv_add(&ev, &b);
    }
    return canon((unsigned long long)jget(line, "db")->n, jget(line, "key")->s,
                 type->s, (long long)jget(line, "pexpiretime")->n, &ev);
}

typedef struct {
    strv_t expected; /* canonical lines */
    size_t matched, empty, keys, nexpected;
    int check; /* an expected.jsonl exists */
    strv_t cur;
    unsigned long long db;
    char *key_b64, *type;
    long long exp;
    rkb_buf_t entry; /* stream entry being collected */
    rkb_rdb_id_t entry_id;
    char group[128], consumer[128];
    /* The oracle lists at most the first ORACLE_PEL pending entries of a
     * group (its PEL was read with a COUNT), so only those are compared. */
    char pel_ids[10][48];
    size_t npel;
} fixture_t;
#define ORACLE_PEL 10

static void put_id(rkb_buf_t *b, rkb_rdb_id_t id) {
    put(b, "%llu-%llu", (unsigned long long)id.ms,
        (unsigned long long)id.seq);
}

static void flush_entry(fixture_t *fx) {
    if (fx->entry.len > 0) {
        strv_add(&fx->cur, &fx->entry);
    }
}

static void fixture_event(fixture_t *fx, const rkb_rdb_event_t *ev) {
    static const char *const names[] = {"string", "list", "set", "zset",
                                        "hash", "stream", "module"};
    rkb_buf_t b = {0};
    switch (ev->type) {
    case RKB_RDB_EV_KEY_BEGIN:
        b64(&b, ev->key.ptr, ev->key.len);
        rkb_buf_append(&b, "", 1);
        fx->key_b64 = detach(&b);
        fx->db = ev->db;
        fx->type = (char *)names[ev->obj_type];
        fx->exp = ev->expire_ms;
        break;
    case RKB_RDB_EV_ELEMS:
        for (size_t i = 0; i < ev->nelems; i++) {
            const rkb_rdb_elem_t *e = &ev->elems[i];
            if (ev->obj_type == RKB_RDB_STREAM) {
                if (fx->entry.len == 0 || e->id.ms != fx->entry_id.ms ||
                    e->id.seq != fx->entry_id.seq) {
                    flush_entry(fx);
                    put(&fx->entry, "e:");
                    put_id(&fx->entry, e->id);
                    put(&fx->entry, ":");
                    fx->entry_id = e->id;
                }
                b64(&fx->entry, e->str.ptr, e->str.len);
                put(&fx->entry, "=");
                b64(&fx->entry, e->value.ptr, e->value.len);
                put(&fx->entry, ",");
                continue;
            }
            b64(&b, e->str.ptr, e->str.len);
            if (ev->obj_type == RKB_RDB_ZSET) {
                put(&b, ":%.17g", e->score);
            } else if (ev->obj_type == RKB_RDB_HASH) {
                put(&b, "=");
                b64(&b, e->value.ptr, e->value.len);
                put(&b, "@%lld", (long long)e->expire_ms);
            }
            strv_add(&fx->cur, &b);
        }
        break;
    case RKB_RDB_EV_STREAM_META:
        flush_entry(fx);
        put(&b, "last=");
        put_id(&b, ev->id);
        strv_add(&fx->cur, &b);
        break;
    case RKB_RDB_EV_STREAM_GROUP:
        snprintf(fx->group, sizeof(fx->group), "%.*s", (int)ev->name.len,
                 ev->name.ptr);
        put(&b, "g:%s:", fx->group);
        put_id(&b, ev->id);
        strv_add(&fx->cur, &b);
        fx->npel = 0;
        break;
    case RKB_RDB_EV_STREAM_CONSUMER:
        snprintf(fx->consumer, sizeof(fx->consumer), "%.*s",
                 (int)ev->name.len, ev->name.ptr);
        break;
    case RKB_RDB_EV_STREAM_PEL:
    case RKB_RDB_EV_STREAM_CONSUMER_PEL:
        for (size_t i = 0; i < ev->nelems; i++) {
            int group_pel = ev->type == RKB_RDB_EV_STREAM_PEL;
            char id[48];
            size_t j = 0;
            snprintf(id, sizeof(id), "%llu-%llu",
                     (unsigned long long)ev->elems[i].id.ms,
                     (unsigned long long)ev->elems[i].id.seq);
            if (group_pel && fx->npel < ORACLE_PEL) {
                memcpy(fx->pel_ids[fx->npel++], id, sizeof(id));
            }
            while (j < fx->npel && strcmp(fx->pel_ids[j], id) != 0) {
                j++;
            }
            if (j == fx->npel) {
                continue;
            }
            put(&b, "%s:%s:%s", group_pel ? "p" : "c", fx->group, id);
            if (group_pel) {
                put(&b, ":%llu",
                    (unsigned long long)ev->elems[i].delivery_count);
            } else {
                put(&b, ":%s", fx->consumer);
            }
            strv_add(&fx->cur, &b);
        }
        break;
    case RKB_RDB_EV_KEY_END: {
        fx->keys++;
        if (fx->cur.len == 0) {
            fx->empty++; /* Redis skips empty keys on load */
            free(fx->key_b64);
            break;
        }
        char *c = canon(fx->db, fx->key_b64, fx->type, fx->exp, &fx->cur);
        free(fx->key_b64);
        int found = 0;
        for (size_t i = 0; i < fx->expected.len && !found; i++) {
            found = fx->expected.elems[i] && !strcmp(fx->expected.elems[i], c);
        }
        if (!found && fx->check) {
            size_t pre = strlen(c) - strlen(strchr(strchr(c, ' ') + 1, ' '));
            for (size_t i = 0; i < fx->expected.len; i++) {
                if (!strncmp(fx->expected.elems[i], c, pre)) {
                    print_message("expected: %s\n", fx->expected.elems[i]);
                }
            }
            print_message("got:      %s\n", c);
            fail_msg("key not as expected: %.300s", c);
        }
        fx->matched += found;
        free(c);
        break;
    }
    default:
        break;
    }
}

/* Parses fixtures/rdb/NAME.rdb; returns the parser's final result. */
static rkb_err_t check_fixture(const char *dir, const char *name,
                               fixture_t *fx, char *errstr, size_t size) {
    char path[1024];
    size_t n, jn;
    snprintf(path, sizeof(path), "%s/%s.rdb", dir, name);
    char *rdbdata = read_path(path, &n);
    assert_non_null(rdbdata);
    n--;
    snprintf(path, sizeof(path), "%s/%s.expected.jsonl", dir, name);
    char *json = read_path(path, &jn);
    memset(fx, 0, sizeof(*fx));
    rkb_buf_t tmp = {0};
    for (char *line = json; json != NULL && *line != '\0';) {
        char *nl = strchr(line, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        if (*line != '\0') {
            const char *p = line;
            jv_t *v = jparse(&p);
            char *c = canon_expected(v);
            if (c != NULL) {
                put(&tmp, "x");
                strv_add(&fx->expected, &tmp);
                free(fx->expected.elems[fx->expected.len - 1]);
                fx->expected.elems[fx->expected.len - 1] = c;
            }
            jv_free(v);
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
    fx->check = json != NULL;
    fx->nexpected = fx->expected.len;
    free(json);

    rkb_rdb_t *rdb = rkb_rdb_new(NULL);
    rkb_rdb_event_t ev;
    rkb_err_t rc = RKB_EAGAIN;
    /* Fed in 1000-byte pieces, as records would bring it. */
    for (size_t off = 0; off < n && rc == RKB_EAGAIN; off += 1000) {
        rkb_rdb_feed(rdb, rdbdata + off, n - off < 1000 ? n - off : 1000);
        while ((rc = rkb_rdb_next(rdb, &ev)) == RKB_OK) {
            fixture_event(fx, &ev);
        }
    }
    snprintf(errstr, size, "%s", rkb_rdb_errstr(rdb));
    rkb_rdb_destroy(rdb);
    for (size_t i = 0; i < fx->expected.len; i++) {
        free(fx->expected.elems[i]);
    }
    free(fx->expected.elems);
    free(rdbdata);
    return rc;
}

static void test_shared_fixtures(void **state) {
    (void)state;
    static const char *const whole[] = {
        "encodings", "hash-zipmap", "hash-ziplist", "zset-ziplist",
        "list-quicklist", "scriptbackup", "corrupt_empty_keys",
        "rdb10-alltypes", "rdb12-alltypes",
    };
    char dir[1024], errstr[320];
    const char *src = getenv("RKB_SOURCE_DIR");
    fixture_t fx;
    snprintf(dir, sizeof(dir), "%s/../shared/fixtures/rdb", src ? src : ".");
    FILE *probe;
    char readme[1100];
    snprintf(readme, sizeof(readme), "%s/README.md", dir);
    if ((probe = fopen(readme, "r")) == NULL) {
        skip();
    }
    fclose(probe);

    for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
        rkb_err_t rc = check_fixture(dir, whole[i], &fx, errstr,
                                     sizeof(errstr));
        if (rc != RKB_EAGAIN) {
            fail_msg("%s: %s", whole[i], errstr);
        }
        /* Every expected key seen once, nothing else. */
        if (fx.keys - fx.empty != fx.matched ||
            fx.matched != fx.nexpected) {
            fail_msg("%s: %zu keys, %zu matched", whole[i], fx.keys,
                     fx.matched);
        }
        print_message("%s: %zu keys match, %zu empty skipped\n", whole[i],
                      fx.matched, fx.empty);
    }
    assert_int_equal(check_fixture(dir, "corrupt_ziplist", &fx, errstr,
                                   sizeof(errstr)),
                     RKB_ECORRUPT);
    assert_non_null(strstr(errstr, "key \"key:000000000091\""));
    print_message("corrupt_ziplist: %s\n", errstr);


}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rdb1_plain_types),
        cmocka_unit_test(test_zipmap),
        cmocka_unit_test(test_ziplist_intset_quicklist),
        cmocka_unit_test(test_listpack_and_hfe),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_redis7_small),
        cmocka_unit_test(test_redis7_big),
        cmocka_unit_test(test_redis7_stream),
        cmocka_unit_test(test_redis7_corrupt_byte),
        cmocka_unit_test(test_value_offsets),
        cmocka_unit_test(test_redis7_dump_payloads),
        cmocka_unit_test(test_shared_fixtures),
    };
    return cmocka_run_group_tests_name("rkb_rdb", tests, NULL, NULL);
}
