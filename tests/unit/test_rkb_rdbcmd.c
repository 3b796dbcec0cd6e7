/* test_rkb_rdbcmd.c -- tests of the RDB -> commands converter.
 *
 * Hand-made RDBs are compared with the exact RESP expected; every input is
 * also fed byte by byte and split in two at every position, which must give
 * the same output. The RDBs written by redis-server 7.0 (tests/unit/rdb/)
 * check RESTORE payloads against the file's bytes and the fallback to
 * plain commands. */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_buf.h"
#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_rdbcmd.h"
#include "rdb_build.h"

/* ------------------------------------------------------------------------
 * Running the converter
 * --------------------------------------------------------------------- */

typedef struct {
    rkb_buf_t out;
    rkb_err_t rc; /* of the last feed, or of finish */
    char errstr[400];
    uint64_t cmds, keys, restored;
    int done;
} run_t;

/* Feeds p[0..n) in pieces of `step` bytes (0: whole), or split once at
 * `cut` when step is SIZE_MAX; then finish. */
static void run(run_t *r, const rkb_rdbcmd_opts_t *o, const void *p,
                size_t n, size_t step, size_t cut) {
    rkb_rdbcmd_t *c = rkb_rdbcmd_new(o);
    const char *s = p;
    size_t from = 0;
    memset(r, 0, sizeof(*r));
    r->rc = RKB_OK;
    while (from < n && r->rc == RKB_OK) {
        size_t to = step == 0 ? n : step == SIZE_MAX ? (from < cut ? cut : n)
                                                     : from + step;
        if (to > n) {
            to = n;
        }
        r->rc = rkb_rdbcmd_feed(c, s + from, to - from, &r->out);
        from = to;
    }
    if (r->rc == RKB_OK) {
        r->rc = rkb_rdbcmd_finish(c);
    }
    if (r->rc != RKB_OK) {
        /* Sticky. */
        assert_int_equal(rkb_rdbcmd_feed(c, "x", 1, &r->out), r->rc);
    }
    snprintf(r->errstr, sizeof(r->errstr), "%s", rkb_rdbcmd_errstr(c));
    r->cmds = rkb_rdbcmd_commands(c);
    r->keys = rkb_rdbcmd_keys(c);
    r->restored = rkb_rdbcmd_restored(c);
    r->done = rkb_rdbcmd_done(c);
    rkb_rdbcmd_destroy(c);
}

static void assert_same(const run_t *a, const run_t *b) {
    assert_int_equal(a->rc, b->rc);
    assert_string_equal(a->errstr, b->errstr);
    assert_int_equal(a->cmds, b->cmds);
    assert_int_equal(a->keys, b->keys);
    assert_int_equal(a->restored, b->restored);
    assert_int_equal(a->out.len, b->out.len);
    assert_memory_equal(a->out.data, b->out.data, a->out.len);
}

/* Whole, byte by byte, in 7-byte pieces and split at every position (or
 * at a spread of them when n > exhaustive): the same output. */
static void check(run_t *r, const rkb_rdbcmd_opts_t *o, const void *p,
                  size_t n, size_t exhaustive) {
    run_t other;
    size_t stride = n <= exhaustive ? 1 : n / 61 + 1;
    run(r, o, p, n, 0, 0);
    run(&other, o, p, n, 1, 0);
    assert_same(r, &other);
    rkb_buf_free(&other.out);
    run(&other, o, p, n, 7, 0);
    assert_same(r, &other);
    rkb_buf_free(&other.out);
    for (size_t cut = 1; cut < n; cut += stride) {
        run(&other, o, p, n, SIZE_MAX, cut);
        assert_same(r, &other);
        rkb_buf_free(&other.out);
    }
}

/* Number of RESP commands in p[0..n) (the converter's own framing). */
static uint64_t count_cmds(const char *p, size_t n) {
    uint64_t cmds = 0;
    size_t i = 0;
    while (i < n) {
        assert_int_equal(p[i], '*');
        long argc = strtol(p + i + 1, NULL, 10);
        i = (size_t)(strchr(p + i, '\n') - p) + 1;
        for (long a = 0; a < argc; a++) {
            assert_int_equal(p[i], '$');
            long len = strtol(p + i + 1, NULL, 10);
            i = (size_t)(strchr(p + i, '\n') - p) + 1 + (size_t)len + 2;
        }
        cmds++;
    }
    assert_int_equal(i, n);
    return cmds;
}

/* ------------------------------------------------------------------------
 * Building RDBs and the expected commands
 * --------------------------------------------------------------------- */

static void b_str(rkb_buf_t *b, const char *s) {
    b_len(b, strlen(s));
    b_raw(b, s, strlen(s));
}

static void b_eof(rkb_buf_t *b) {
    b_u8(b, 0xff);
    b_le(b, rkb_crc64(0, b->data, b->len), 8);
}

/* One RESP command from NULL-terminated arguments. */
static void cmd(rkb_buf_t *b, ...) {
    va_list ap;
    const char *a;
    size_t argc = 0;
    char hdr[32];
    va_start(ap, b);
    while (va_arg(ap, const char *) != NULL) {
        argc++;
    }
    va_end(ap);
    snprintf(hdr, sizeof(hdr), "*%zu\r\n", argc);
    rkb_buf_append(b, hdr, strlen(hdr));
    va_start(ap, b);
    while ((a = va_arg(ap, const char *)) != NULL) {
        snprintf(hdr, sizeof(hdr), "$%zu\r\n", strlen(a));
        rkb_buf_append(b, hdr, strlen(hdr));
        rkb_buf_append(b, a, strlen(a));
        rkb_buf_append(b, "\r\n", 2);
    }
    va_end(ap);
}

/* RESTORE key 0 <type, value, version 10, CRC> [REPLACE]. */
static void restore(rkb_buf_t *b, const char *key, unsigned type,
                    const rkb_buf_t *value, int replace) {
    rkb_buf_t p = RKB_BUF_INIT;
    char hdr[64];
    b_u8(&p, type);
    b_raw(&p, value->data, value->len);
    b_le(&p, 10, 2);
    b_le(&p, rkb_crc64(0, p.data, p.len), 8);
    snprintf(hdr, sizeof(hdr), "*%d\r\n$7\r\nRESTORE\r\n$%zu\r\n",
             replace ? 5 : 4, strlen(key));
    rkb_buf_append(b, hdr, strlen(hdr));
    rkb_buf_append(b, key, strlen(key));
    snprintf(hdr, sizeof(hdr), "\r\n$1\r\n0\r\n$%zu\r\n", p.len);
    rkb_buf_append(b, hdr, strlen(hdr));
    rkb_buf_append(b, p.data, p.len);
    rkb_buf_append(b, "\r\n", 2);
    if (replace) {
        rkb_buf_append(b, "$7\r\nREPLACE\r\n", 13);
    }
    rkb_buf_free(&p);
}

#define LIB "#!lua name=lib\nredis.register_function('f', function() " \
            "return 1 end)"

/* The test dataset, RDB 10. Keys in order: value bytes kept in vals[]. */
enum { K_S, K_L, K_ST, K_Z, K_H, K_SKIP, K_E, K_K2, NKEYS };
static const char *const keys[NKEYS] = {"s", "l", "st", "z", "h", "skip:x",
                                        "e", "k2"};
static const unsigned types[NKEYS] = {0, 1, 2, 5, 4, 2, 2, 0};

static void build(rkb_buf_t *rdb, rkb_buf_t vals[NKEYS]) {
    double score = 1.5;
    uint64_t bits;
    memcpy(&bits, &score, 8);
    memset(vals, 0, NKEYS * sizeof(vals[0]));
    b_str(&vals[K_S], "hello");
    b_len(&vals[K_L], 2);
    b_str(&vals[K_L], "a");
    b_str(&vals[K_L], "b");
    b_len(&vals[K_ST], 1);
    b_str(&vals[K_ST], "m");
    b_len(&vals[K_Z], 1);
    b_str(&vals[K_Z], "m");
    b_le(&vals[K_Z], bits, 8);
    b_len(&vals[K_H], 1);
    b_str(&vals[K_H], "f");
    b_str(&vals[K_H], "v");
    b_len(&vals[K_SKIP], 1);
    b_str(&vals[K_SKIP], "m");
    b_len(&vals[K_E], 0);
    b_str(&vals[K_K2], "v2");

    memset(rdb, 0, sizeof(*rdb));
    b_raw(rdb, "REDIS0010", 9);
    b_u8(rdb, 0xfa); /* aux */
    b_str(rdb, "redis-ver");
    b_str(rdb, "7.0.15");
    b_u8(rdb, 0xf5); /* function */
    b_str(rdb, LIB);
    b_u8(rdb, 0xfe); /* SELECTDB 0 */
    b_len(rdb, 0);
    for (int k = 0; k < NKEYS; k++) {
        if (k == K_K2) {
            b_u8(rdb, 0xfe);
            b_len(rdb, 2);
        }
        if (k == K_S) {
            b_u8(rdb, 0xfc);
            b_le(rdb, 1700000000000ULL, 8);
        }
        b_u8(rdb, types[k]);
        b_str(rdb, keys[k]);
        b_raw(rdb, vals[k].data, vals[k].len);
    }
    b_eof(rdb);
}

/* The plain commands of key k (without SELECT), with DEL for replace. */
static void plain(rkb_buf_t *b, int k, int replace) {
    if (replace && types[k] != 0 && k != K_E) {
        cmd(b, "DEL", keys[k], NULL);
    }
    switch (k) {
    case K_S:
        cmd(b, "SET", "s", "hello", NULL);
        cmd(b, "PEXPIREAT", "s", "1700000000000", NULL);
        break;
    case K_L: cmd(b, "RPUSH", "l", "a", "b", NULL); break;
    case K_ST: cmd(b, "SADD", "st", "m", NULL); break;
    case K_Z: cmd(b, "ZADD", "z", "1.5", "m", NULL); break;
    case K_H: cmd(b, "HSET", "h", "f", "v", NULL); break;
    case K_SKIP: cmd(b, "SADD", "skip:x", "m", NULL); break;
    case K_K2: cmd(b, "SET", "k2", "v2", NULL); break;
    default: break;
    }
}

/* What the converter should write: restore_max 0 means no RESTORE. */
static void expected(rkb_buf_t *b, const rkb_buf_t vals[NKEYS],
                     size_t restore_max, int replace, int mapped) {
    memset(b, 0, sizeof(*b));
    cmd(b, "FUNCTION", "LOAD", "REPLACE", LIB, NULL);
    cmd(b, "SELECT", "0", NULL);
    for (int k = 0; k < NKEYS; k++) {
        if (mapped && k == K_SKIP) {
            continue;
        }
        if (k == K_K2) {
            cmd(b, "SELECT", mapped ? "5" : "2", NULL);
        }
        if (k != K_E && vals[k].len + 11 <= restore_max) {
            restore(b, keys[k], types[k], &vals[k], replace);
            if (k == K_S) {
                cmd(b, "PEXPIREAT", "s", "1700000000000", NULL);
            }
        } else {
            plain(b, k, replace);
        }
    }
    /* NUL-terminated past its length, for strstr. */
    rkb_buf_append(b, "", 1);
    b->len--;
}

static int64_t map_key(void *arg, uint64_t db, const char *key, size_t len) {
    (*(int *)arg)++;
    if (len > 5 && !memcmp(key, "skip:", 5)) {
        return -1;
    }
    return db == 2 ? 5 : (int64_t)db;
}

static void check_output(const rkb_rdbcmd_opts_t *o, const rkb_buf_t *rdb,
                           const rkb_buf_t *want, uint64_t keys_want) {
    run_t r;
    check(&r, o, rdb->data, rdb->len, SIZE_MAX);
    if (r.rc != RKB_OK) {
        fail_msg("%s", r.errstr);
    }
    assert_true(r.done);
    assert_int_equal(r.keys, keys_want);
    assert_int_equal(r.cmds, count_cmds(want->data, want->len));
    assert_int_equal(r.out.len, want->len);
    assert_memory_equal(r.out.data, want->data, want->len);
    rkb_buf_free(&r.out);
}

/* ------------------------------------------------------------------------
 * Tests
 * --------------------------------------------------------------------- */

static void test_plain(void **state) {
    (void)state;
    rkb_buf_t rdb, vals[NKEYS], want;
    rkb_rdbcmd_opts_t o = {0};
    build(&rdb, vals);
    o.functions = 1;
    expected(&want, vals, 0, 0, 0);
    check_output(&o, &rdb, &want, NKEYS - 1);
    rkb_buf_free(&want);
    /* A target older than the file: plain commands too. */
    o.restore_version = 9;
    expected(&want, vals, 0, 0, 0);
    check_output(&o, &rdb, &want, NKEYS - 1);
    rkb_buf_free(&want);
    /* Without functions: the same minus FUNCTION LOAD. */
    o.functions = 0;
    run_t r;
    run(&r, &o, rdb.data, rdb.len, 0, 0);
    expected(&want, vals, 0, 0, 0);
    assert_true(r.out.len < want.len);
    assert_memory_equal(r.out.data, strstr(want.data, "*2\r\n$6\r\nSELECT"),
                        r.out.len);
    rkb_buf_free(&r.out);
    rkb_buf_free(&want);
    rkb_buf_free(&rdb);
    for (int k = 0; k < NKEYS; k++) {
        rkb_buf_free(&vals[k]);
    }
}

static void test_map_and_replace(void **state) {
    (void)state;
    rkb_buf_t rdb, vals[NKEYS], want;
    rkb_rdbcmd_opts_t o = {0};
    int calls = 0;
    build(&rdb, vals);
    o.functions = 1;
    o.map_key = map_key;
    o.map_arg = &calls;
    expected(&want, vals, 0, 0, 1);
    check_output(&o, &rdb, &want, NKEYS - 2);
    assert_true(calls >= NKEYS);
    rkb_buf_free(&want);
    /* Replace: DEL before every non-string key that has elements. */
    o.replace = 1;
    expected(&want, vals, 0, 1, 1);
    check_output(&o, &rdb, &want, NKEYS - 2);
    assert_non_null(strstr(want.data, "DEL\r\n$2\r\nst\r\n"));
    assert_null(strstr(want.data, "DEL\r\n$1\r\ns\r\n"));
    rkb_buf_free(&want);
    rkb_buf_free(&rdb);
    for (int k = 0; k < NKEYS; k++) {
        rkb_buf_free(&vals[k]);
    }
}

static void test_restore(void **state) {
    (void)state;
    rkb_buf_t rdb, vals[NKEYS], want;
    rkb_rdbcmd_opts_t o = {0};
    build(&rdb, vals);
    o.functions = 1;
    o.restore_version = 10;
    /* Every key as RESTORE (the empty set is still skipped). */
    expected(&want, vals, SIZE_MAX, 0, 0);
    check_output(&o, &rdb, &want, NKEYS - 1);
    rkb_buf_free(&want);
    o.replace = 1;
    expected(&want, vals, SIZE_MAX, 1, 0);
    check_output(&o, &rdb, &want, NKEYS - 1);
    assert_null(strstr(want.data, "DEL"));
    rkb_buf_free(&want);
    /* restore_max: at every size, the keys above it get plain commands. */
    o.replace = 0;
    for (size_t max = 1; max < 24; max++) {
        o.restore_max = max;
        expected(&want, vals, max, 0, 0);
        check_output(&o, &rdb, &want, NKEYS - 1);
        rkb_buf_free(&want);
    }
    rkb_buf_free(&rdb);
    for (int k = 0; k < NKEYS; k++) {
        rkb_buf_free(&vals[k]);
    }
}

static void test_errors(void **state) {
    (void)state;
    rkb_buf_t rdb = RKB_BUF_INIT, good = RKB_BUF_INIT;
    run_t r;
    /* A module value after a whole key: that key's commands only. */
    b_raw(&rdb, "REDIS0010", 9);
    b_u8(&rdb, 0);
    b_str(&rdb, "a");
    b_str(&rdb, "1");
    b_u8(&rdb, 7);
    b_str(&rdb, "mod\"x");
    b_len(&rdb, 12345);
    cmd(&good, "SELECT", "0", NULL);
    cmd(&good, "SET", "a", "1", NULL);
    for (size_t step = 0; step < 3; step++) {
        run(&r, NULL, rdb.data, rdb.len, step, 0);
        assert_int_equal(r.rc, RKB_EUNSUPPORTED);
        assert_string_equal(r.errstr, "RDB offset 14, key \"mod\\\"x\": module "
                                      "value (type byte 7) is not "
                                      "supported");
        assert_int_equal(r.out.len, good.len);
        assert_memory_equal(r.out.data, good.data, good.len);
        assert_int_equal(r.cmds, 2);
        rkb_buf_free(&r.out);
    }
    /* Truncated: the offset and the last key. */
    rdb.len = 15;
    run(&r, NULL, rdb.data, rdb.len, 0, 0);
    assert_int_equal(r.rc, RKB_ECORRUPT);
    assert_string_equal(r.errstr, "RDB offset 14, after key \"a\": truncated: "
                                  "the input ends before the RDB's EOF "
                                  "marker");
    rkb_buf_free(&r.out);
    run(&r, NULL, rdb.data, 3, 0, 0);
    assert_string_equal(r.errstr, "RDB offset 0, before any key: truncated: "
                                  "the input ends before the RDB's EOF "
                                  "marker");
    rkb_buf_free(&r.out);
    /* A NaN score is refused, with the key. */
    rdb.len = 0;
    b_raw(&rdb, "REDIS0009", 9);
    b_u8(&rdb, 5);
    b_str(&rdb, "z");
    b_len(&rdb, 1);
    b_str(&rdb, "m");
    b_le(&rdb, 0x7ff8000000000000ULL, 8);
    b_eof(&rdb);
    run(&r, NULL, rdb.data, rdb.len, 0, 0);
    assert_int_equal(r.rc, RKB_ECORRUPT);
    assert_non_null(strstr(r.errstr, "key \"z\": zset score is NaN"));
    assert_int_equal(r.out.len, 0);
    rkb_buf_free(&r.out);
    /* Whatever follows the EOF is ignored. */
    rdb.len = 0;
    b_raw(&rdb, "REDIS0009", 9);
    b_eof(&rdb);
    b_raw(&rdb, "*1\r\n$4\r\nPING\r\n", 14);
    run(&r, NULL, rdb.data, rdb.len, 1, 0);
    assert_int_equal(r.rc, RKB_OK);
    assert_true(r.done);
    assert_int_equal(r.out.len, 0);
    rkb_buf_free(&r.out);
    rkb_buf_free(&rdb);
    rkb_buf_free(&good);
}

/* ------------------------------------------------------------------------
 * RDBs written by redis-server 7.0
 * --------------------------------------------------------------------- */

static char *read_unit_rdb(const char *name, size_t *n) {
    char path[1024];
    const char *src = getenv("RKB_SOURCE_DIR");
    rkb_buf_t b = RKB_BUF_INIT;
    char tmp[65536];
    size_t got;
    snprintf(path, sizeof(path), "%s/tests/unit/rdb/%s", src ? src : ".",
             name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot read %s (set RKB_SOURCE_DIR)", path);
    }
    while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        rkb_buf_append(&b, tmp, got);
    }
    fclose(f);
    return rkb_buf_detach(&b, n);
}

static const char *find(const void *hay, size_t n, const void *needle,
                        size_t k) {
    const char *h = hay;
    for (size_t i = 0; k <= n && i <= n - k; i++) {
        if (!memcmp(h + i, needle, k)) {
            return h + i;
        }
    }
    return NULL;
}

/* Each file: plain, all RESTORE, and a restore_max that sends the bigger
 * keys to plain commands; each split every way. RESTORE payloads must
 * carry the file's bytes: each one's CRC is checked and its body found in
 * the file. */
static void test_redis7_files(void **state) {
    (void)state;
    static const char *const files[] = {"small7.rdb", "big7.rdb",
                                        "stream7.rdb"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        size_t n;
        char *p = read_unit_rdb(files[f], &n);
        rkb_rdbcmd_opts_t o = {0};
        run_t plain_r, all, some;
        o.functions = 1;
        check(&plain_r, &o, p, n, 0);
        assert_int_equal(plain_r.rc, RKB_OK);
        assert_int_equal(plain_r.restored, 0);
        o.restore_version = 10;
        check(&all, &o, p, n, 0);
        assert_int_equal(all.rc, RKB_OK);
        assert_int_equal(all.restored, all.keys);
        assert_int_equal(all.keys, plain_r.keys);
        o.restore_max = 200;
        check(&some, &o, p, n, 0);
        assert_int_equal(some.rc, RKB_OK);
        assert_int_equal(some.keys, plain_r.keys);
        if (f == 1) {
            assert_true(some.restored > 0 && some.restored < some.keys);
        }
        assert_int_equal(all.cmds, count_cmds(all.out.data, all.out.len));
        assert_int_equal(some.cmds, count_cmds(some.out.data, some.out.len));

        /* Each RESTORE payload: CRC right, version 10, body in the file. */
        size_t npayloads = 0;
        const char *s = all.out.data, *end = all.out.data + all.out.len;
        while ((s = find(s, (size_t)(end - s), "$7\r\nRESTORE\r\n", 13)) !=
               NULL) {
            s += 13;
            size_t klen = strtoul(s + 1, NULL, 10);
            s = strchr(s, '\n') + 1 + klen + 2;
            assert_memory_equal(s, "$1\r\n0\r\n", 7);
            s += 7;
            size_t plen = strtoul(s + 1, NULL, 10);
            s = strchr(s, '\n') + 1;
            const unsigned char *pl = (const unsigned char *)s;
            uint64_t crc = 0;
            for (int i = 0; i < 8; i++) {
                crc |= (uint64_t)pl[plen - 8 + i] << (8 * i);
            }
            assert_true(plen > 11);
            assert_int_equal(crc, rkb_crc64(0, pl, plen - 8));
            assert_int_equal(pl[plen - 10], 10);
            assert_int_equal(pl[plen - 9], 0);
            assert_non_null(find(p, n, pl + 1, plen - 11));
            s += plen + 2;
            npayloads++;
        }
        assert_int_equal(npayloads, all.restored);
        print_message("%s: %llu keys, %llu commands plain, %llu restored "
                      "with restore_max 200\n", files[f],
                      (unsigned long long)plain_r.keys,
                      (unsigned long long)plain_r.cmds,
                      (unsigned long long)some.restored);
        rkb_buf_free(&plain_r.out);
        rkb_buf_free(&all.out);
        rkb_buf_free(&some.out);
        free(p);
    }
}

/* A key whose commands pass 16 MiB comes out in pieces of whole commands
 * before it ends, with or without RESTORE allowed (too big for it). */
static void test_huge_key(void **state) {
    (void)state;
    rkb_buf_t rdb = RKB_BUF_INIT;
    const size_t members = 300000;
    char m[80];
    b_raw(&rdb, "REDIS0010", 9);
    b_u8(&rdb, 2);
    b_str(&rdb, "big");
    b_len(&rdb, members);
    for (size_t i = 0; i < members; i++) {
        snprintf(m, sizeof(m), "member-%054zu", i);
        b_str(&rdb, m);
    }
    b_eof(&rdb);
    for (int restore_ok = 0; restore_ok < 2; restore_ok++) {
        rkb_rdbcmd_opts_t o = {0};
        rkb_rdbcmd_t *c;
        rkb_buf_t out = RKB_BUF_INIT;
        size_t first_piece = 0, chunk = 65536;
        o.restore_version = restore_ok ? 10 : 0;
        o.restore_max = 1 << 20;
        c = rkb_rdbcmd_new(&o);
        for (size_t from = 0; from < rdb.len; from += chunk) {
            size_t len = rdb.len - from < chunk ? rdb.len - from : chunk;
            assert_int_equal(rkb_rdbcmd_feed(c, rdb.data + from, len, &out),
                             RKB_OK);
            if (first_piece == 0 && out.len > 0 && !rkb_rdbcmd_done(c)) {
                first_piece = out.len;
                assert_true(first_piece >= RKB_RDBCMD_PIECE_BYTES);
                count_cmds(out.data, out.len); /* whole commands */
            }
        }
        assert_true(rkb_rdbcmd_done(c));
        assert_true(first_piece > 0 && first_piece < out.len);
        assert_int_equal(rkb_rdbcmd_restored(c), 0);
        assert_int_equal(rkb_rdbcmd_keys(c), 1);
        assert_int_equal(rkb_rdbcmd_commands(c),
                         count_cmds(out.data, out.len));
        /* SELECT, then SADDs of 512 members. */
        assert_int_equal(rkb_rdbcmd_commands(c),
                         1 + (members + 511) / 512);
        rkb_rdbcmd_destroy(c);
        rkb_buf_free(&out);
    }
    rkb_buf_free(&rdb);
}

static void test_version_of_redis(void **state) {
    (void)state;
    static const struct {
        const char *v;
        int rdb;
    } t[] = {
        {"7.0.15", 10}, {"7.0.0", 10}, {"7.2.4", 11},  {"7.2", 11},
        {"7.4.0", 12},  {"8.0.2", 12}, {"8.2.1", 12},  {"6.2.14", 9},
        {"6.0.0", 9},   {"5.0.7", 9},  {"4.0.14", 8},  {"3.2.12", 7},
        {"3.0.7", 6},   {"2.8.24", 6}, {"2.6.0", 6},   {"", 0},
        {"7", 0},       {"x.y", 0},    {"7.x", 0},     {"7.0a", 0},
        {"7.0.15-rc1", 10},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (rkb_rdb_version_of_redis(t[i].v) != t[i].rdb) {
            fail_msg("\"%s\": %d, want %d", t[i].v,
                     rkb_rdb_version_of_redis(t[i].v), t[i].rdb);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_map_and_replace),
        cmocka_unit_test(test_restore),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_redis7_files),
        cmocka_unit_test(test_huge_key),
        cmocka_unit_test(test_version_of_redis),
    };
    return cmocka_run_group_tests_name("rkb_rdbcmd", tests, NULL, NULL);
}
