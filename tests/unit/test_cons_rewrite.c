/* test_cons_rewrite.c -- apply mode's I/O-free parts: the translation of
 * the master's stream into the target's commands (cons_rewrite: link
 * traffic, SELECT tracking, db and key-prefix filters, cross-db and
 * multi-key commands) and the position value kept in the target
 * (cons_pos_format/cons_pos_parse). */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cons_apply.h"
#include "cons_rewrite.h"
#include "rkb_buf.h"
#include "rkb_resp.h"

/* A NULL-terminated argv of C strings. */
#define A(...) ((const char *const[]){__VA_ARGS__, NULL})

#define R40 "0123456789abcdef0123456789abcdef01234567"

/* RESP encoding of argv[0..argc), lens NULL for C strings. Written here
 * rather than with rkb_resp_append_command so that the module under test does
 * not check itself. */
static void enc_lens(rkb_buf_t *b, size_t argc, const char *const *argv,
                     const size_t *lens) {
    char hdr[32];
    int n = snprintf(hdr, sizeof(hdr), "*%zu\r\n", argc);
    rkb_buf_append(b, hdr, (size_t)n);
    for (size_t i = 0; i < argc; i++) {
        size_t len = lens ? lens[i] : strlen(argv[i]);
        n = snprintf(hdr, sizeof(hdr), "$%zu\r\n", len);
        rkb_buf_append(b, hdr, (size_t)n);
        rkb_buf_append(b, argv[i], len);
        rkb_buf_append(b, "\r\n", 2);
    }
}

static size_t count(const char *const *argv) {
    size_t n = 0;
    while (argv[n] != NULL) {
        n++;
    }
    return n;
}

static void enc(rkb_buf_t *b, const char *const *argv) {
    enc_lens(b, count(argv), argv, NULL);
}

typedef struct fx_s {
    cons_filter_t f;
    cons_rewrite_t rw;
    rkb_buf_t out;
    size_t n; /* *n_out, as the applier keeps it */
} fx_t;

static int setup(void **state) {
    fx_t *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    cons_rewrite_init(&fx->rw, &fx->f, -1);
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    fx_t *fx = *state;
    rkb_buf_free(&fx->out);
    free(fx);
    return 0;
}

/* Starts over with the filter as the test has set it. */
static void reinit(fx_t *fx, long src_db) {
    cons_rewrite_init(&fx->rw, &fx->f, src_db);
    rkb_buf_clear(&fx->out);
    fx->n = 0;
}

/* Rewrites one command given as raw RESP bytes, which must parse whole. */
static int run_raw(fx_t *fx, const char *raw, size_t len) {
    rkb_resp_arg_t args[64];
    size_t argc = 0;
    long used = rkb_resp_parse_command(raw, len, args, 64, &argc);
    assert_int_equal(used, (long)len);
    assert_true(argc <= 64);
    return cons_rewrite_command(&fx->rw, raw, len, args, argc, &fx->out,
                                &fx->n);
}

static int run(fx_t *fx, const char *const *argv) {
    rkb_buf_t in = RKB_BUF_INIT;
    enc(&in, argv);
    int rc = run_raw(fx, in.data, in.len);
    rkb_buf_free(&in);
    return rc;
}

/* Asserts that out holds exactly the commands given (NULL-terminated list
 * of argvs) and that *n_out counted each of them, then empties both. */
static void expect(fx_t *fx, ...) {
    rkb_buf_t want = RKB_BUF_INIT;
    size_t n = 0;
    const char *const *argv;
    va_list ap;
    va_start(ap, fx);
    while ((argv = va_arg(ap, const char *const *)) != NULL) {
        enc(&want, argv);
        n++;
    }
    va_end(ap);
    if (want.len != fx->out.len ||
        memcmp(want.data, fx->out.data, want.len) != 0) {
        print_error("want %zu bytes: %.*s\n got %zu bytes: %.*s\n",
                    want.len, (int)want.len, want.data ? want.data : "",
                    fx->out.len, (int)fx->out.len,
                    fx->out.data ? fx->out.data : "");
        fail_msg("output differs");
    }
    assert_int_equal(fx->n, n);
    rkb_buf_free(&want);
    rkb_buf_clear(&fx->out);
    fx->n = 0;
}

static void expect_nothing(fx_t *fx) {
    assert_int_equal(fx->out.len, 0);
    assert_int_equal(fx->n, 0);
}

static void expect_refused(fx_t *fx, const char *const *argv,
                           const char *why) {
    size_t len = fx->out.len, n = fx->n;
    assert_int_equal(run(fx, argv), CONS_RW_REFUSE);
    assert_true(fx->rw.errstr[0] != '\0');
    if (why != NULL && strstr(fx->rw.errstr, why) == NULL) {
        fail_msg("errstr \"%s\" does not say \"%s\"", fx->rw.errstr, why);
    }
    /* the applier rolls its buffer back, but nothing should need it */
    assert_int_equal(fx->out.len, len);
    assert_int_equal(fx->n, n);
}

/* ------------------------------------------------------ stream shape */

static void test_link_traffic_dropped(void **state) {
    fx_t *fx = *state;
    /* before any SELECT too: none of these needs a db */
    assert_int_equal(run(fx, A("PING")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("ping")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("REPLCONF", "GETACK", "*")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("replconf", "ACK", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("RePlCoNf", "GETACK", "*")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("MULTI")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("exec")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("MULTI")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("EXEC")), CONS_RW_DROP);
    expect(fx, A("SELECT", "0"), A("SET", "k", "v"), NULL);
    /* a name that merely starts like one is not one */
    assert_int_equal(run(fx, A("PINGX")), CONS_RW_APPLY);
    expect(fx, A("PINGX"), NULL);
}

static void test_select_tracked(void **state) {
    fx_t *fx = *state;
    assert_int_equal(fx->rw.src_db, -1);
    assert_int_equal(fx->rw.out_db, -1);
    assert_int_equal(run(fx, A("SELECT", "3")), CONS_RW_DROP);
    assert_int_equal(fx->rw.src_db, 3);
    assert_int_equal(run(fx, A("select", "5")), CONS_RW_DROP);
    assert_int_equal(fx->rw.src_db, 5);
    expect_nothing(fx);
    assert_int_equal(fx->rw.out_db, -1);

    /* the first applied command selects, later ones in that db do not */
    assert_int_equal(run(fx, A("SET", "a", "1")), CONS_RW_APPLY);
    assert_int_equal(fx->rw.out_db, 5);
    assert_int_equal(run(fx, A("SET", "b", "2")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "5"), A("SET", "a", "1"), A("SET", "b", "2"),
           NULL);

    /* the master selecting the same db again changes nothing */
    assert_int_equal(run(fx, A("SELECT", "5")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("INCR", "c")), CONS_RW_APPLY);
    expect(fx, A("INCR", "c"), NULL);

    /* a db selected and left with no command in it is never sent */
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SELECT", "5")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "a")), CONS_RW_APPLY);
    expect(fx, A("DEL", "a"), NULL);

    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "a")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "b")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "2"), A("DEL", "a"), A("SELECT", "0"),
           A("DEL", "b"), NULL);
    assert_int_equal(fx->rw.out_db, 0);

    /* the applier resets out_db when its own commands select a db */
    fx->rw.out_db = 7;
    assert_int_equal(run(fx, A("DEL", "b")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("DEL", "b"), NULL);
}

static void test_select_bad(void **state) {
    fx_t *fx = *state;
    assert_int_equal(run(fx, A("SELECT", "4")), CONS_RW_DROP);
    expect_refused(fx, A("SELECT"), "SELECT");
    expect_refused(fx, A("SELECT", "x"), "SELECT");
    expect_refused(fx, A("SELECT", "1x"), "SELECT");
    expect_refused(fx, A("SELECT", ""), "SELECT");
    expect_refused(fx, A("SELECT", "-1"), "SELECT");
    expect_refused(fx, A("SELECT", "1", "2"), "SELECT");
    expect_refused(fx, A("SELECT", "123456789012345678901234567890"),
                   "SELECT");
    /* a refused SELECT leaves the tracked db alone */
    assert_int_equal(fx->rw.src_db, 4);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "4"), A("SET", "k", "v"), NULL);
}

static void test_keyed_before_select(void **state) {
    fx_t *fx = *state;
    expect_refused(fx, A("SET", "k", "v"), "SELECT");
    expect_refused(fx, A("FLUSHDB"), "SELECT");
    expect_refused(fx, A("MOVE", "k", "1"), "SELECT");
    expect_refused(fx, A("UNKNOWNCMD", "x"), "SELECT");
    assert_int_equal(fx->rw.out_db, -1);

    /* a stream picked up mid-way starts in the db its position says */
    reinit(fx, 2);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "2"), A("SET", "k", "v"), NULL);
}

static void test_empty_command(void **state) {
    fx_t *fx = *state;
    rkb_resp_arg_t none[1] = {{"", 0}};
    assert_int_equal(cons_rewrite_command(&fx->rw, "*0\r\n", 4, none, 0,
                                          &fx->out, &fx->n),
                     CONS_RW_REFUSE);
    assert_true(fx->rw.errstr[0] != '\0');
    expect_nothing(fx);
}

/* The bytes of an applied command go out as they came, not re-encoded. */
static void test_raw_passthrough(void **state) {
    fx_t *fx = *state;
    /* lower case, a zero-padded length and binary bytes in the value */
    static const char raw[] = "*3\r\n$3\r\nset\r\n$01\r\nk\r\n"
                              "$6\r\n\0\r\n\xff\"\\\r\n";
    const size_t len = sizeof(raw) - 1;
    assert_int_equal(run(fx, A("SELECT", "1")), CONS_RW_DROP);
    assert_int_equal(run_raw(fx, raw, len), CONS_RW_APPLY);
    assert_int_equal(fx->n, 2);
    const char sel[] = "*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n";
    assert_int_equal(fx->out.len, sizeof(sel) - 1 + len);
    assert_memory_equal(fx->out.data, sel, sizeof(sel) - 1);
    assert_memory_equal(fx->out.data + sizeof(sel) - 1, raw, len);

    /* appended after what out holds already; *n_out adds up */
    assert_int_equal(run_raw(fx, raw, len), CONS_RW_APPLY);
    assert_int_equal(fx->n, 3);
    assert_int_equal(fx->out.len, sizeof(sel) - 1 + 2 * len);
    assert_memory_equal(fx->out.data + sizeof(sel) - 1 + len, raw, len);

    /* a key with NUL and CR LF bytes, through the key filters as well */
    static const char *const ex[] = {"x:"};
    fx->f.exclude = ex;
    fx->f.n_exclude = 1;
    reinit(fx, 0);
    const char *argv[3] = {"DEL", "a\0\r\nb", "x:\0"};
    const size_t lens[3] = {3, 5, 3};
    rkb_buf_t in = RKB_BUF_INIT;
    enc_lens(&in, 2, argv, lens);
    assert_int_equal(run_raw(fx, in.data, in.len), CONS_RW_APPLY);
    assert_int_equal(fx->n, 2);
    assert_memory_equal(fx->out.data + fx->out.len - in.len, in.data,
                        in.len);
    rkb_buf_clear(&in);
    rkb_buf_clear(&fx->out);
    enc_lens(&in, 3, argv, lens);
    assert_int_equal(run_raw(fx, in.data, in.len), CONS_RW_REFUSE);
    rkb_buf_free(&in);
}

/* ----------------------------------------------------- db filters */

static void test_filter_db(void **state) {
    fx_t *fx = *state;
    cons_filter_t *f = &fx->f;
    /* no filter: every db is itself */
    assert_int_equal(cons_filter_db(f, 0), 0);
    assert_int_equal(cons_filter_db(f, 15), 15);
    assert_int_equal(cons_filter_db(f, -1), -1);

    static const cons_db_pair_t map[] = {{1, 5}, {3, 0}};
    f->map = map;
    f->n_map = 2;
    assert_int_equal(cons_filter_db(f, 0), 0);
    assert_int_equal(cons_filter_db(f, 1), 5);
    assert_int_equal(cons_filter_db(f, 3), 0);
    assert_int_equal(cons_filter_db(f, 5), 5);
    assert_int_equal(cons_filter_db(f, -1), -1);

    static const long dbs[] = {0, 1};
    f->dbs = dbs;
    f->n_dbs = 2;
    assert_int_equal(cons_filter_db(f, 0), 0);
    assert_int_equal(cons_filter_db(f, 1), 5);
    /* mapped but not listed: not applied */
    assert_int_equal(cons_filter_db(f, 3), -1);
    assert_int_equal(cons_filter_db(f, 5), -1);
    assert_int_equal(cons_filter_db(f, -1), -1);
}

static void test_dbs_and_map(void **state) {
    fx_t *fx = *state;
    static const long dbs[] = {0, 2};
    static const cons_db_pair_t map[] = {{2, 9}};
    fx->f.dbs = dbs;
    fx->f.n_dbs = 2;
    reinit(fx, -1);

    assert_int_equal(run(fx, A("SELECT", "1")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("FLUSHDB")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("UNKNOWNCMD", "k")), CONS_RW_DROP);
    expect_nothing(fx);
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("FLUSHDB")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "2"), A("SET", "k", "v"), A("FLUSHDB"), NULL);

    /* mapped: the target's SELECT names the mapped db */
    fx->f.map = map;
    fx->f.n_map = 1;
    reinit(fx, -1);
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(fx->rw.src_db, 2);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(fx->rw.out_db, 9);
    assert_int_equal(run(fx, A("FLUSHDB", "ASYNC")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "k")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("SELECT", "1")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "k")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("DEL", "k")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "9"), A("SET", "k", "v"), A("FLUSHDB", "ASYNC"),
           A("SELECT", "0"), A("DEL", "k"), A("SELECT", "9"), A("DEL", "k"),
           NULL);

    /* a map without apply.dbs: every db applied, the mapped one moved */
    fx->f.n_dbs = 0;
    reinit(fx, 5);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "5"), A("SET", "k", "v"), A("SELECT", "9"),
           A("SET", "k", "v"), NULL);
}

static void test_flushall(void **state) {
    fx_t *fx = *state;
    static const long dbs[] = {0, 2};
    static const cons_db_pair_t map[] = {{2, 9}};

    /* without apply.dbs the whole target is the master's: as it came,
     * whatever db is selected (none yet, here) */
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    expect(fx, A("FLUSHALL"), NULL);
    assert_int_equal(run(fx, A("flushall", "ASYNC")), CONS_RW_APPLY);
    expect(fx, A("flushall", "ASYNC"), NULL);
    fx->f.map = map;
    fx->f.n_map = 1;
    reinit(fx, 2);
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    expect(fx, A("FLUSHALL"), NULL);

    /* with it, one FLUSHDB per applied db, mapped */
    fx->f.dbs = dbs;
    fx->f.n_dbs = 2;
    reinit(fx, -1);
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("FLUSHDB"), A("SELECT", "9"),
           A("FLUSHDB"), NULL);
    assert_int_equal(fx->rw.out_db, 9);
    assert_int_equal(fx->rw.src_db, -1);

    /* the SELECTs it sends count for what follows */
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    expect(fx, A("SET", "k", "v"), A("SELECT", "0"), A("FLUSHDB"),
           A("SELECT", "9"), A("FLUSHDB"), A("SET", "k", "v"), NULL);

    /* and an already selected first db is not selected again */
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("SET", "k", "v")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("SET", "k", "v"), A("FLUSHDB"),
           A("SELECT", "9"), A("FLUSHDB"), NULL);

    /* in a db left out, FLUSHALL still flushes the applied ones */
    assert_int_equal(run(fx, A("SELECT", "1")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("FLUSHALL")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("FLUSHDB"), A("SELECT", "9"),
           A("FLUSHDB"), NULL);
}

static void test_swapdb(void **state) {
    fx_t *fx = *state;
    static const long dbs[] = {0, 1, 2};
    static const cons_db_pair_t map[] = {{1, 5}};

    /* no filter: as it came, no SELECT needed, none yet is fine */
    assert_int_equal(run(fx, A("SWAPDB", "0", "1")), CONS_RW_APPLY);
    expect(fx, A("SWAPDB", "0", "1"), NULL);

    fx->f.dbs = dbs;
    fx->f.n_dbs = 3;
    fx->f.map = map;
    fx->f.n_map = 1;
    reinit(fx, -1);
    assert_int_equal(run(fx, A("SWAPDB", "1", "2")), CONS_RW_APPLY);
    expect(fx, A("SWAPDB", "5", "2"), NULL);
    assert_int_equal(run(fx, A("swapdb", "2", "1")), CONS_RW_APPLY);
    expect(fx, A("swapdb", "2", "5"), NULL);
    assert_int_equal(run(fx, A("SWAPDB", "0", "2")), CONS_RW_APPLY);
    expect(fx, A("SWAPDB", "0", "2"), NULL);
    assert_int_equal(fx->rw.out_db, -1);

    /* neither applied */
    assert_int_equal(run(fx, A("SWAPDB", "3", "4")), CONS_RW_DROP);
    expect_nothing(fx);

    /* one of them only: the target lacks the other's data */
    expect_refused(fx, A("SWAPDB", "1", "3"), NULL);
    assert_non_null(strstr(fx->rw.errstr, "db 1"));
    assert_non_null(strstr(fx->rw.errstr, "db 3"));
    expect_refused(fx, A("SWAPDB", "4", "0"), NULL);
    assert_non_null(strstr(fx->rw.errstr, "db 4"));
    assert_non_null(strstr(fx->rw.errstr, "db 0"));

    expect_refused(fx, A("SWAPDB", "1"), NULL);
    expect_refused(fx, A("SWAPDB", "x", "1"), NULL);
    expect_refused(fx, A("SWAPDB", "1", "x"), NULL);
    expect_refused(fx, A("SWAPDB", "1", "-2"), NULL);
    expect_refused(fx, A("SWAPDB", "0", "1", "2"), NULL);
}

static void test_move(void **state) {
    fx_t *fx = *state;
    static const long dbs[] = {0, 1, 2};
    static const cons_db_pair_t map[] = {{1, 5}};
    fx->f.dbs = dbs;
    fx->f.n_dbs = 3;
    fx->f.map = map;
    fx->f.n_map = 1;
    reinit(fx, -1);

    expect_refused(fx, A("MOVE", "k", "1"), "SELECT");
    assert_int_equal(run(fx, A("SELECT", "1")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("MOVE", "k", "2")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "5"), A("MOVE", "k", "2"), NULL);
    assert_int_equal(run(fx, A("SELECT", "2")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("move", "k", "1")), CONS_RW_APPLY);
    assert_int_equal(run(fx, A("MOVE", "k", "0")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "2"), A("move", "k", "5"), A("MOVE", "k", "0"),
           NULL);

    expect_refused(fx, A("MOVE", "k", "3"), NULL);
    assert_non_null(strstr(fx->rw.errstr, "db 2"));
    assert_non_null(strstr(fx->rw.errstr, "db 3"));
    expect_refused(fx, A("MOVE", "k", "x"), NULL);

    assert_int_equal(run(fx, A("SELECT", "3")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("MOVE", "k", "4")), CONS_RW_DROP);
    expect_refused(fx, A("MOVE", "k", "0"), NULL);
    assert_non_null(strstr(fx->rw.errstr, "db 3"));
    assert_non_null(strstr(fx->rw.errstr, "db 0"));
    expect_nothing(fx);
}

static void test_copy_db(void **state) {
    fx_t *fx = *state;
    static const long dbs[] = {0, 1, 2};
    static const cons_db_pair_t map[] = {{1, 5}};
    fx->f.dbs = dbs;
    fx->f.n_dbs = 3;
    fx->f.map = map;
    fx->f.n_map = 1;
    reinit(fx, 1);

    assert_int_equal(run(fx, A("COPY", "a", "b", "DB", "2", "REPLACE")),
                     CONS_RW_APPLY);
    expect(fx, A("SELECT", "5"), A("COPY", "a", "b", "DB", "2", "REPLACE"),
           NULL);
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("COPY", "a", "b", "REPLACE", "db", "1")),
                     CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("COPY", "a", "b", "REPLACE", "db", "5"),
           NULL);
    /* keys named like the option are keys */
    assert_int_equal(run(fx, A("COPY", "DB", "DB", "DB", "1")),
                     CONS_RW_APPLY);
    expect(fx, A("COPY", "DB", "DB", "DB", "5"), NULL);
    /* within the db: as it came */
    assert_int_equal(run(fx, A("COPY", "a", "b")), CONS_RW_APPLY);
    expect(fx, A("COPY", "a", "b"), NULL);

    expect_refused(fx, A("COPY", "a", "b", "DB", "3"), NULL);
    assert_non_null(strstr(fx->rw.errstr, "db 0"));
    assert_non_null(strstr(fx->rw.errstr, "db 3"));
    expect_refused(fx, A("COPY", "a", "b", "DB", "x"), NULL);

    assert_int_equal(run(fx, A("SELECT", "3")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("COPY", "a", "b", "DB", "4")), CONS_RW_DROP);
    assert_int_equal(run(fx, A("COPY", "a", "b")), CONS_RW_DROP);
    expect_refused(fx, A("COPY", "a", "b", "DB", "2"), NULL);
    expect_nothing(fx);
}

/* ------------------------------------------------ key-prefix filters */

static void test_filter_key(void **state) {
    fx_t *fx = *state;
    cons_filter_t *f = &fx->f;
    static const char *const inc[] = {"a:", "b:"};
    static const char *const exc[] = {"a:secret", "x"};

    assert_int_equal(cons_filter_has_prefixes(f), 0);
    assert_int_equal(cons_filter_key(f, "anything", 8), 1);
    assert_int_equal(cons_filter_key(f, "", 0), 1);

    f->include = inc;
    f->n_include = 2;
    assert_int_equal(cons_filter_has_prefixes(f), 1);
    assert_int_equal(cons_filter_key(f, "a:1", 3), 1);
    assert_int_equal(cons_filter_key(f, "b:", 2), 1);
    assert_int_equal(cons_filter_key(f, "c:1", 3), 0);
    assert_int_equal(cons_filter_key(f, "a", 1), 0);
    assert_int_equal(cons_filter_key(f, "", 0), 0);
    assert_int_equal(cons_filter_key(f, "A:1", 3), 0);
    /* the length counts, not a NUL */
    assert_int_equal(cons_filter_key(f, "a:1", 1), 0);
    assert_int_equal(cons_filter_key(f, "b:\0z", 4), 1);
    assert_int_equal(cons_filter_key(f, "\0a:", 3), 0);

    f->exclude = exc;
    f->n_exclude = 2;
    assert_int_equal(cons_filter_key(f, "a:1", 3), 1);
    assert_int_equal(cons_filter_key(f, "a:secret", 8), 0);
    assert_int_equal(cons_filter_key(f, "a:secrets", 9), 0);
    assert_int_equal(cons_filter_key(f, "a:secre", 7), 1);

    f->n_include = 0;
    assert_int_equal(cons_filter_has_prefixes(f), 1);
    assert_int_equal(cons_filter_key(f, "c:1", 3), 1);
    assert_int_equal(cons_filter_key(f, "", 0), 1);
    assert_int_equal(cons_filter_key(f, "xyz", 3), 0);
    assert_int_equal(cons_filter_key(f, "a:secret:1", 10), 0);
}

static void use_prefixes(fx_t *fx) {
    static const char *const inc[] = {"a:", "b:"};
    static const char *const exc[] = {"a:secret"};
    fx->f.include = inc;
    fx->f.n_include = 2;
    fx->f.exclude = exc;
    fx->f.n_exclude = 1;
    reinit(fx, 0);
    fx->rw.out_db = 0;
}

/* Applies argv as it came, or drops it, or refuses it. */
static void expect_kept(fx_t *fx, const char *const *argv) {
    assert_int_equal(run(fx, argv), CONS_RW_APPLY);
    expect(fx, argv, NULL);
}

static void expect_dropped(fx_t *fx, const char *const *argv) {
    assert_int_equal(run(fx, argv), CONS_RW_DROP);
    expect_nothing(fx);
}

static void test_single_key(void **state) {
    fx_t *fx = *state;
    use_prefixes(fx);
    expect_kept(fx, A("SET", "a:1", "v"));
    expect_kept(fx, A("set", "b:1", "c:value"));
    expect_kept(fx, A("HSET", "b:h", "f", "v"));
    expect_kept(fx, A("PEXPIREAT", "a:1", "123"));
    expect_kept(fx, A("XADD", "a:s", "*", "f", "v"));
    expect_dropped(fx, A("SET", "c:1", "a:value"));
    expect_dropped(fx, A("SET", "a:secret", "v"));
    expect_dropped(fx, A("LPUSH", "a:secret:list", "a:1"));
    expect_dropped(fx, A("INCR", "other"));
    /* a key-less shape cannot be told */
    expect_refused(fx, A("SET"), NULL);
}

static void test_multi_key(void **state) {
    fx_t *fx = *state;
    use_prefixes(fx);

    expect_kept(fx, A("DEL", "a:1", "b:2", "a:3"));
    expect_kept(fx, A("unlink", "a:1"));
    expect_dropped(fx, A("DEL", "c:1", "a:secret"));
    expect_refused(fx, A("DEL", "a:1", "c:1"), "1 of its 2 keys");
    expect_refused(fx, A("DEL", "c:1", "b:1", "d"), "2 of its 3 keys");

    /* values are not keys */
    expect_kept(fx, A("MSET", "a:1", "c:v", "b:1", "c:w"));
    expect_dropped(fx, A("MSET", "c:1", "a:v", "d:1", "b:w"));
    expect_refused(fx, A("MSET", "a:1", "v", "c:1", "v"), NULL);
    expect_refused(fx, A("MSETNX", "c:1", "v", "a:1", "v"), NULL);

    expect_kept(fx, A("RENAME", "a:1", "b:1"));
    expect_dropped(fx, A("RENAME", "c:1", "d:1"));
    expect_refused(fx, A("RENAME", "a:1", "c:1"), NULL);
    expect_refused(fx, A("RENAMENX", "c:1", "a:1"), NULL);

    /* dest, numkeys, keys, then options that are not keys */
    expect_kept(fx, A("ZUNIONSTORE", "a:d", "2", "a:x", "b:y"));
    expect_kept(fx, A("ZINTERSTORE", "a:d", "1", "a:x", "WEIGHTS", "c:2"));
    expect_dropped(fx, A("ZUNIONSTORE", "c:d", "2", "c:x", "d:y"));
    expect_refused(fx, A("ZUNIONSTORE", "a:d", "2", "a:x", "c:y"), NULL);
    expect_refused(fx, A("ZUNIONSTORE", "c:d", "2", "a:x", "b:y"), NULL);
    expect_refused(fx, A("ZUNIONSTORE", "a:d", "3", "a:x", "b:y"), NULL);
    expect_refused(fx, A("ZUNIONSTORE", "a:d", "x", "a:x"), NULL);
    expect_refused(fx, A("ZDIFFSTORE", "a:d", "-1", "a:x"), NULL);
    expect_refused(fx, A("ZUNIONSTORE", "a:d"), NULL);

    /* script, numkeys, keys, then arguments that are not keys */
    expect_kept(fx, A("EVAL", "return 1", "2", "a:1", "b:1", "c:arg"));
    expect_kept(fx, A("evalsha", R40, "1", "a:1"));
    expect_kept(fx, A("FCALL", "fn", "1", "b:1", "c:arg"));
    expect_dropped(fx, A("EVAL", "return 1", "2", "c:1", "d", "a:arg"));
    expect_refused(fx, A("EVAL", "return 1", "2", "a:1", "c:1"), NULL);
    expect_refused(fx, A("EVAL", "return 1", "3", "a:1", "b:1"), NULL);
    /* no declared key: what it touches cannot be told */
    expect_refused(fx, A("EVAL", "return 1", "0", "a:arg"), NULL);

    expect_kept(fx, A("SORT", "a:1", "STORE", "b:2"));
    expect_kept(fx, A("SORT", "a:1", "LIMIT", "0", "5", "store", "a:2"));
    expect_kept(fx, A("SORT", "a:1", "ALPHA"));
    expect_dropped(fx, A("SORT", "c:1", "STORE", "d:2"));
    expect_refused(fx, A("SORT", "a:1", "STORE", "c:2"), NULL);
    expect_refused(fx, A("SORT", "c:1", "STORE", "a:2"), NULL);

    /* the operation is not a key */
    expect_kept(fx, A("BITOP", "AND", "a:d", "a:x", "b:y"));
    expect_dropped(fx, A("BITOP", "AND", "c:d", "c:x"));
    expect_refused(fx, A("BITOP", "OR", "a:d", "c:x"), NULL);
    expect_refused(fx, A("BITOP", "NOT", "c:d", "a:x"), NULL);

    /* the key comes after the subcommand; the group is no key */
    expect_kept(fx, A("XGROUP", "CREATE", "a:s", "c:g", "$"));
    expect_kept(fx, A("xgroup", "SETID", "b:s", "g", "0"));
    expect_dropped(fx, A("XGROUP", "CREATE", "c:s", "a:g", "$"));
    expect_dropped(fx, A("XGROUP", "DESTROY", "a:secret", "g"));
}

/* Were "AND" taken for a key, an exclude filter on it would split
 * BITOP AND's keys; the same goes for numkeys and SORT's options. */
static void test_non_keys_ignored(void **state) {
    fx_t *fx = *state;
    static const char *const exc[] = {"AND", "2", "STORE", "CREATE"};
    fx->f.exclude = exc;
    fx->f.n_exclude = 4;
    reinit(fx, 0);
    fx->rw.out_db = 0;
    expect_kept(fx, A("BITOP", "AND", "k", "x", "y"));
    expect_kept(fx, A("ZUNIONSTORE", "d", "2", "x", "y"));
    expect_kept(fx, A("EVAL", "s", "2", "x", "y"));
    expect_kept(fx, A("SORT", "k", "STORE", "d"));
    expect_kept(fx, A("XGROUP", "CREATE", "s", "g", "$"));
    /* while STORE's argument is one */
    expect_refused(fx, A("SORT", "k", "STORE", "STORE1"), NULL);
}

static void test_unknown_and_global(void **state) {
    fx_t *fx = *state;

    /* without prefix filters an unknown command goes as it came */
    reinit(fx, 0);
    assert_int_equal(run(fx, A("NEWFANGLED", "a:1")), CONS_RW_APPLY);
    expect(fx, A("SELECT", "0"), A("NEWFANGLED", "a:1"), NULL);

    /* with them its keys cannot be told */
    use_prefixes(fx);
    expect_refused(fx, A("NEWFANGLED", "a:1"), "prefix");
    expect_refused(fx, A("NEWFANGLED"), "prefix");

    /* the whole server's, whatever the filters and the db */
    expect_kept(fx, A("PUBLISH", "c:chan", "msg"));
    expect_kept(fx, A("SPUBLISH", "c:chan", "msg"));
    expect_kept(fx, A("FUNCTION", "LOAD", "#!lua name=x\n"));
    expect_kept(fx, A("function", "FLUSH"));
    expect_kept(fx, A("SCRIPT", "LOAD", "return 1"));
    /* FLUSHDB holds no key and flushes the db */
    expect_kept(fx, A("FLUSHDB"));

    static const long dbs[] = {1};
    fx->f.dbs = dbs;
    fx->f.n_dbs = 1;
    reinit(fx, -1);
    expect_kept(fx, A("PUBLISH", "c:chan", "msg"));
    assert_int_equal(run(fx, A("SELECT", "0")), CONS_RW_DROP);
    expect_kept(fx, A("PUBLISH", "c:chan", "msg"));
    expect_kept(fx, A("FUNCTION", "DELETE", "lib"));
    /* a db left out is dropped before its keys are looked at */
    expect_dropped(fx, A("NEWFANGLED", "a:1"));
    expect_dropped(fx, A("SET", "a:1", "v"));
}

static void test_cross_db_with_prefixes(void **state) {
    fx_t *fx = *state;
    use_prefixes(fx);
    assert_int_equal(run(fx, A("MOVE", "a:1", "3")), CONS_RW_APPLY);
    expect(fx, A("MOVE", "a:1", "3"), NULL);
    expect_dropped(fx, A("MOVE", "c:1", "3"));
    assert_int_equal(run(fx, A("COPY", "a:1", "b:1", "DB", "2")),
                     CONS_RW_APPLY);
    expect(fx, A("COPY", "a:1", "b:1", "DB", "2"), NULL);
    expect_dropped(fx, A("COPY", "c:1", "d:1", "DB", "2"));
    expect_refused(fx, A("COPY", "a:1", "c:1", "DB", "2"), NULL);
    /* SWAPDB holds no key */
    assert_int_equal(run(fx, A("SWAPDB", "0", "1")), CONS_RW_APPLY);
    expect(fx, A("SWAPDB", "0", "1"), NULL);
}

/* ------------------------------------------------------------- repr */

static const char *repr(const char *const *argv, size_t size, char *buf) {
    rkb_resp_arg_t args[16];
    size_t argc = count(argv);
    for (size_t i = 0; i < argc; i++) {
        args[i].p = argv[i];
        args[i].len = strlen(argv[i]);
    }
    return cons_command_repr(args, argc, buf, size);
}

static void test_command_repr(void **state) {
    char buf[256];
    (void)state;
    assert_string_equal(repr(A("SET", "k", "v"), sizeof(buf), buf),
                        "SET k v");
    assert_ptr_equal(repr(A("PING"), sizeof(buf), buf), buf);
    assert_string_equal(repr(A("SET", "a b", "say \"hi\"", "c:\\d"),
                             sizeof(buf), buf),
                        "SET a\\x20b say\\x20\\x22hi\\x22 c:\\x5cd");
    assert_string_equal(repr(A("SET", "\r\n\t\x7f\x80\xff", ""),
                             sizeof(buf), buf),
                        "SET \\x0d\\x0a\\x09\\x7f\\x80\\xff ");

    /* a NUL is a byte like any other */
    rkb_resp_arg_t args[2] = {{"SET", 3}, {"a\0b", 3}};
    assert_string_equal(cons_command_repr(args, 2, buf, sizeof(buf)),
                        "SET a\\x00b");

    rkb_resp_arg_t none[1] = {{"", 0}};
    assert_string_equal(cons_command_repr(none, 0, buf, sizeof(buf)), "");
}

static void test_command_repr_cut(void **state) {
    char big[4096], buf[64];
    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';

    /* cut inside an argument, within size, marked */
    repr(A("SET", big, "v"), sizeof(buf), buf);
    size_t n = strlen(buf);
    assert_true(n < sizeof(buf));
    assert_true(n > 16);
    assert_memory_equal(buf, "SET xxx", 7);
    assert_string_equal(buf + n - 3, "...");

    /* escapes never split, nor overflow a small buffer */
    static const char bin[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a";
    for (size_t size = 1; size <= 40; size++) {
        char small[41];
        memset(small, '#', sizeof(small));
        repr(A("SET", bin, bin), size, small);
        n = strlen(small);
        assert_true(n < size);
        assert_int_equal(small[size], '#');
        if (n >= 3 && strcmp(small + n - 3, "...") == 0) {
            n -= 3;
        }
        /* what is left ends on a whole escape or a separator */
        if (n > 4 && small[n - 1] != ' ') {
            assert_int_equal(small[n - 4], '\\');
        }
    }

    /* cut between arguments: marked too */
    repr(A("SET", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
           "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"),
         52, buf);
    n = strlen(buf);
    assert_true(n < 52);
    assert_string_equal(buf + n - 3, "...");
}

/* "..." says something was left out: a command shown whole has none, and
 * a cut one shows less than the whole. */
static void test_command_repr_fits(void **state) {
    char buf[64], want[64];
    (void)state;
    /* from 4: the mark itself needs room */
    for (size_t size = 4; size <= 24; size++) {
        for (size_t len = 0; len < 30; len++) {
            char arg[32];
            memset(arg, 'k', len);
            arg[len] = '\0';
            snprintf(want, sizeof(want), "SET %s", arg);
            repr(A("SET", arg), size, buf);
            size_t n = strlen(buf);
            assert_true(n < size);
            if (strcmp(buf, want) == 0) {
                continue;
            }
            if (n < 3 || strcmp(buf + n - 3, "...") != 0) {
                fail_msg("size %zu: \"%s\" is cut, unmarked", size, buf);
            }
            n -= 3;
            if (n >= strlen(want) || memcmp(buf, want, n) != 0) {
                fail_msg("size %zu: \"%s\" is marked as cut, and is not",
                         size, buf);
            }
        }
    }
    /* whole, though it ends where the room left for a cut begins */
    repr(A("SET", "kkkk"), 16, buf);
    assert_string_equal(buf, "SET kkkk");
}

/* --------------------------------------------------------- position */

static void test_pos_round_trip(void **state) {
    cons_pos_t p, q;
    char buf[512];
    int n;
    (void)state;

    memset(&p, 0, sizeof(p));
    p.state = CONS_POS_LOAD;
    strcpy(p.topic, "rkb.journal-1");
    p.koff = 42;
    n = cons_pos_format(&p, buf, sizeof(buf));
    assert_string_equal(buf, "v1 load rkb.journal-1 42");
    assert_int_equal(n, (int)strlen(buf));
    assert_int_equal(cons_pos_parse(buf, (size_t)n, &q), 0);
    assert_int_equal(q.state, CONS_POS_LOAD);
    assert_string_equal(q.topic, "rkb.journal-1");
    assert_int_equal(q.koff, 42);

    memset(&p, 0, sizeof(p));
    p.state = CONS_POS_STREAM;
    strcpy(p.topic, "t");
    p.koff = 7;
    strcpy(p.replid, R40);
    p.offset = 123456789012ULL;
    p.db = 3;
    n = cons_pos_format(&p, buf, sizeof(buf));
    assert_string_equal(buf, "v1 stream t 7 " R40 " 123456789012 3");
    assert_int_equal(n, (int)strlen(buf));
    assert_int_equal(cons_pos_parse(buf, (size_t)n, &q), 0);
    assert_int_equal(q.state, CONS_POS_STREAM);
    assert_string_equal(q.topic, "t");
    assert_int_equal(q.koff, 7);
    assert_string_equal(q.replid, R40);
    assert_int_equal(q.offset, 123456789012ULL);
    assert_int_equal(q.db, 3);

    /* no SELECT seen yet; the extremes of each number */
    p.db = -1;
    p.koff = INT64_MAX;
    p.offset = UINT64_MAX;
    p.topic[0] = '\0';
    memset(p.topic, 'T', 249); /* Kafka's longest topic name */
    p.topic[249] = '\0';
    n = cons_pos_format(&p, buf, sizeof(buf));
    assert_true(n > 0);
    assert_int_equal(cons_pos_parse(buf, (size_t)n, &q), 0);
    assert_int_equal(q.state, CONS_POS_STREAM);
    assert_string_equal(q.topic, p.topic);
    assert_int_equal(q.koff, INT64_MAX);
    assert_int_equal(q.offset, UINT64_MAX);
    assert_int_equal(q.db, -1);

    p.koff = 0;
    p.offset = 0;
    p.db = 0;
    n = cons_pos_format(&p, buf, sizeof(buf));
    assert_int_equal(cons_pos_parse(buf, (size_t)n, &q), 0);
    assert_int_equal(q.koff, 0);
    assert_int_equal(q.offset, 0);
    assert_int_equal(q.db, 0);

    /* only len bytes are read: no NUL needed */
    memcpy(buf, "v1 load t 5XXXX", 15);
    assert_int_equal(cons_pos_parse(buf, 11, &q), 0);
    assert_int_equal(q.koff, 5);

    /* a buffer too small is refused, not cut */
    strcpy(p.topic, "t");
    assert_true(cons_pos_format(&p, buf, 10) < 0);
}

static void test_pos_rejected(void **state) {
    static const char *const bad[] = {
        "",
        "garbage",
        "v1",
        "v1 load",
        "v1 load t",
        "v1 load t x",
        "v1 load t -1",
        "v2 load t 1",
        "V1 load t 1",
        "v1 LOAD t 1",
        "v1 none t 1",
        "v1 stream t 1",
        "v1 stream t 1 " R40,
        "v1 stream t 1 " R40 " 5",
        "v1 stream t -1 " R40 " 5 0",
        "v1 stream t 1 0123456789abcdef 5 0",
        "v1 stream t 1 " R40 "8 5 0",
        "v1 stream t 1 " R40 " x 0",
        "v1 stream t 1 " R40 " 5 x",
        "v1 stream t 1 " R40 " 5 -2",
        "v2 stream t 1 " R40 " 5 0",
        /* strict fields: no trailing text, signs, wrap-around or
         * overflow, lower-case hex replids only */
        "v1 load t 5x",
        "v1 load t 5 extra",
        "v1 load t +5",
        "v1 load t 9223372036854775808",
        "v1 stream t 1 " R40 " -1 0",
        "v1 stream t 1 " R40 " 18446744073709551616 0",
        "v1 stream t 1 " R40 " 5 0 extra",
        "v1 stream t 1 " R40 " 5 65536",
        "v1 stream t 1 zz23456789abcdef0123456789abcdef01234567 5 0",
        "v1 stream t 1 0123456789ABCDEF0123456789abcdef01234567 5 0",
    };
    cons_pos_t q;
    char big[1024];
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (cons_pos_parse(bad[i], strlen(bad[i]), &q) != -1) {
            fail_msg("accepted \"%s\"", bad[i]);
        }
    }
    /* too long to be ours */
    snprintf(big, sizeof(big), "v1 load %0900d 1", 0);
    assert_int_equal(cons_pos_parse(big, strlen(big), &q), -1);
    memset(big, ' ', sizeof(big));
    memcpy(big, "v1 load t 1", 11);
    assert_int_equal(cons_pos_parse(big, sizeof(big), &q), -1);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_link_traffic_dropped),
        T(test_select_tracked),
        T(test_select_bad),
        T(test_keyed_before_select),
        T(test_empty_command),
        T(test_raw_passthrough),
        T(test_filter_db),
        T(test_dbs_and_map),
        T(test_flushall),
        T(test_swapdb),
        T(test_move),
        T(test_copy_db),
        T(test_filter_key),
        T(test_single_key),
        T(test_multi_key),
        T(test_non_keys_ignored),
        T(test_unknown_and_global),
        T(test_cross_db_with_prefixes),
        cmocka_unit_test(test_command_repr),
        cmocka_unit_test(test_command_repr_cut),
        cmocka_unit_test(test_command_repr_fits),
        cmocka_unit_test(test_pos_round_trip),
        cmocka_unit_test(test_pos_rejected),
    };
#undef T
    return cmocka_run_group_tests_name("cons_rewrite", tests, NULL, NULL);
}
