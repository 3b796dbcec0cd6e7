/* fuzz_rkb_rdb.c -- libFuzzer target for the streaming RDB parser.
 *
 * Input: a config byte (batch limits), a split position, then RDB bytes.
 * The bytes are fed whole, split in two, and byte by byte; the three runs
 * must produce the same events and the same result, errors must be sticky
 * and come with a message, and nothing may follow EOF. */
#include "rkb_fmacros.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_buf.h"
#include "rkb_rdb.h"

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

typedef struct {
    rkb_buf_t dump;
    rkb_err_t rc;
    int eof;
} run_t;

static void put_str(rkb_buf_t *b, rkb_rdb_str_t s) {
    uint64_t n = s.len;
    rkb_buf_append(b, &n, sizeof(n));
    if (s.len > 0) {
        CHECK(s.ptr != NULL);
        rkb_buf_append(b, s.ptr, s.len);
    }
}

static void dump(rkb_buf_t *b, const rkb_rdb_event_t *ev) {
    rkb_buf_append(b, &ev->type, sizeof(ev->type));
    rkb_buf_append(b, &ev->offset, sizeof(ev->offset));
    put_str(b, ev->name);
    put_str(b, ev->value);
    put_str(b, ev->key);
    rkb_buf_append(b, &ev->db, sizeof(ev->db));
    rkb_buf_append(b, &ev->expire_ms, sizeof(ev->expire_ms));
    if (ev->type == RKB_RDB_EV_ELEMS) {
        CHECK(ev->nelems > 0);
        for (size_t i = 0; i < ev->nelems; i++) {
            put_str(b, ev->elems[i].str);
            put_str(b, ev->elems[i].value);
            rkb_buf_append(b, &ev->elems[i].expire_ms, sizeof(int64_t));
        }
    }
}

static void feed(run_t *r, rkb_rdb_t *rdb, const uint8_t *p, size_t n) {
    rkb_rdb_event_t ev;
    rkb_err_t rc = rkb_rdb_feed(rdb, (const char *)p, n);
    if (rc != RKB_OK) {
        CHECK(rc == r->rc);
        return;
    }
    while ((rc = rkb_rdb_next(rdb, &ev)) == RKB_OK) {
        CHECK(!r->eof);
        r->eof = ev.type == RKB_RDB_EV_EOF;
        dump(&r->dump, &ev);
    }
    r->rc = rc;
    if (rc != RKB_EAGAIN) {
        CHECK(rc == RKB_ECORRUPT || rc == RKB_EVERSION ||
              rc == RKB_EUNSUPPORTED || rc == RKB_ELIMIT);
        CHECK(rkb_rdb_errstr(rdb)[0] != '\0');
        CHECK(rkb_rdb_next(rdb, &ev) == rc);
    }
}

static void run(run_t *r, const rkb_rdb_limits_t *lim, const uint8_t *p,
                size_t n, size_t step, size_t cut) {
    rkb_rdb_t *rdb = rkb_rdb_new(lim);
    r->rc = RKB_EAGAIN;
    if (cut > 0 && cut < n) {
        feed(r, rdb, p, cut);
        feed(r, rdb, p + cut, n - cut);
    } else if (step > 0) {
        for (size_t i = 0; i < n; i += step) {
            feed(r, rdb, p + i, n - i < step ? n - i : step);
        }
    } else {
        feed(r, rdb, p, n);
    }
    rkb_rdb_destroy(rdb);
}

static void same(const run_t *a, const run_t *b) {
    CHECK(a->rc == b->rc);
    CHECK(a->eof == b->eof);
    CHECK(a->dump.len == b->dump.len);
    CHECK(a->dump.len == 0 || !memcmp(a->dump.data, b->dump.data,
                                      a->dump.len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    run_t whole = {0}, split = {0}, bytes = {0};
    if (size < 2 || size > 65536) {
        return 0;
    }
    rkb_rdb_limits_t lim = {(size_t)1 + (data[0] & 7), (data[0] & 8) ? 16 : 0,
                            (data[0] & 16) ? 64 : 1 << 20};
    const uint8_t *p = data + 2;
    size_t n = size - 2;
    size_t cut = n * data[1] / 256;

    run(&whole, &lim, p, n, 0, 0);
    run(&split, &lim, p, n, 0, cut);
    run(&bytes, &lim, p, n, 1, 0);
    same(&whole, &split);
    same(&whole, &bytes);
    rkb_buf_free(&whole.dump);
    rkb_buf_free(&split.dump);
    rkb_buf_free(&bytes.dump);
    return 0;
}
