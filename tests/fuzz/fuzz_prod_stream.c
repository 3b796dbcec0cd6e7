/* fuzz_prod_stream.c -- libFuzzer target for the replication stream parser.
 *
 * Input: a config byte, two split positions, then the bytes the master
 * sends. The payload is fed whole, in three pieces and byte by byte, with
 * small limits. Each run must keep frames contiguous and within frame_max
 * and errors sticky. Unless an $EOF: RDB was seen (its end is found at feed
 * boundaries, as in Redis), all runs must agree on everything but how the
 * stream is cut into frames, and the byte-by-byte cut must refine the
 * others. Scanning the emitted stream again must reach the same offset and
 * db. */
#include "rkb_fmacros.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prod_stream.h"
#include "rkb_buf.h"
#include "rkb_mem.h"

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

#define CONTINUE_OFFSET 1000 /* where the stream starts after +CONTINUE */
#define CONTINUE_DB     0

typedef struct run_s {
    prod_stream_limits_t lim;
    rkb_buf_t events;    /* non-frame events, serialised */
    rkb_buf_t rdb;       /* RDB_DATA concatenated */
    rkb_buf_t stream;    /* FRAME data concatenated */
    rkb_buf_t ends;      /* uint64_t end of each frame */
    rkb_buf_t hard_ends; /* ends of continued or GETACK frames */
    uint64_t first;      /* offset of the first stream byte */
    int first_db;
    uint64_t next; /* where the next frame must start */
    int started;   /* stream mode entered */
    int in_rdb;
    int saw_eof_rdb;
    rkb_err_t err;   /* RKB_EAGAIN until an error */
    uint64_t offset; /* prod_stream_offset() at the end */
    int db;
} run_t;

static void put_u64(rkb_buf_t *b, uint64_t v) {
    rkb_buf_append(b, &v, sizeof(v));
}

static void put_event(run_t *r, int type, const void *p, size_t n) {
    unsigned char t = (unsigned char)type;
    rkb_buf_append(&r->events, &t, 1);
    put_u64(&r->events, n);
    rkb_buf_append(&r->events, p, n);
}

static void start_stream(run_t *r, uint64_t offset, int db) {
    r->started = 1;
    r->first = r->next = offset;
    r->first_db = db;
}

static void on_frame(run_t *r, prod_stream_t *ps, const prod_ev_t *ev) {
    CHECK(r->started && !r->in_rdb);
    CHECK(ev->data != NULL && ev->len > 0 && ev->len <= r->lim.frame_max);
    CHECK(ev->start == r->next);
    CHECK(ev->end - ev->start == ev->len);
    CHECK(!ev->continued || ev->len == r->lim.frame_max || ev->has_getack);
    CHECK(!ev->has_getack || ev->getack_offset < ev->end);
    CHECK(prod_stream_offset(ps) == ev->end);
    r->next = ev->end;
    rkb_buf_append(&r->stream, ev->data, ev->len);
    put_u64(&r->ends, ev->end);
    if (ev->continued || ev->has_getack) {
        put_u64(&r->hard_ends, ev->end);
        put_u64(&r->hard_ends, ((uint64_t)ev->continued << 1) | ev->has_getack);
        put_u64(&r->hard_ends, ev->has_getack ? ev->getack_offset : 0);
    }
}

static void drain(run_t *r, prod_stream_t *ps) {
    prod_ev_t ev;
    rkb_err_t rc;

    while ((rc = prod_stream_next(ps, &ev)) == RKB_OK) {
        switch (ev.type) {
        case PROD_EV_REPLY:
            CHECK(ev.len > 0 && ev.is_error == (ev.data[0] == '-'));
            put_event(r, ev.type, ev.data, ev.len);
            break;
        case PROD_EV_FULLRESYNC:
            CHECK(strlen(ev.replid) == PROD_REPLID_LEN);
            put_event(r, ev.type, ev.replid, PROD_REPLID_LEN);
            put_u64(&r->events, ev.offset);
            start_stream(r, ev.offset, PROD_DB_UNKNOWN);
            r->started = 0; /* after the RDB */
            break;
        case PROD_EV_CONTINUE:
            put_event(r, ev.type, ev.replid, strlen(ev.replid));
            CHECK(prod_stream_next(ps, &ev) == RKB_EAGAIN);
            prod_stream_start_stream(ps, CONTINUE_OFFSET, CONTINUE_DB);
            start_stream(r, CONTINUE_OFFSET, CONTINUE_DB);
            break;
        case PROD_EV_RDB_BEGIN:
            CHECK(!r->in_rdb);
            r->in_rdb = 1;
            r->saw_eof_rdb |= ev.rdb_size == PROD_RDB_SIZE_UNKNOWN;
            put_event(r, ev.type, NULL, 0);
            put_u64(&r->events, ev.rdb_size);
            break;
        case PROD_EV_RDB_DATA:
            CHECK(r->in_rdb && ev.data != NULL && ev.len > 0);
            rkb_buf_append(&r->rdb, ev.data, ev.len);
            break;
        case PROD_EV_RDB_END:
            CHECK(r->in_rdb);
            r->in_rdb = 0;
            r->started = 1;
            put_event(r, ev.type, NULL, 0);
            break;
        case PROD_EV_FRAME:
            on_frame(r, ps, &ev);
            break;
        }
    }
    if (rc != RKB_EAGAIN) {
        CHECK(rc == RKB_EPROTO || rc == RKB_ELIMIT);
        CHECK(prod_stream_errstr(ps)[0] != '\0');
        CHECK(prod_stream_next(ps, &ev) == rc);
        r->err = rc;
    }
}

typedef enum { START_REPLY, START_PSYNC, START_STREAM } start_t;

/* Feeds p[0..n) cut at cuts[0..ncuts) (ascending). */
static void run(run_t *r, start_t start, const uint8_t *p, size_t n,
                const size_t *cuts, size_t ncuts) {
    prod_stream_t *ps = prod_stream_new(&r->lim);
    size_t from = 0;

    r->err = RKB_EAGAIN;
    if (start == START_PSYNC) {
        prod_stream_expect_psync(ps);
    } else if (start == START_STREAM) {
        prod_stream_start_stream(ps, 0, PROD_DB_UNKNOWN);
        start_stream(r, 0, PROD_DB_UNKNOWN);
    }
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : n;
        if (to <= from) {
            continue;
        }
        rkb_err_t rc = prod_stream_feed(ps, (const char *)p + from, to - from);
        CHECK(rc == (r->err == RKB_EAGAIN ? RKB_OK : r->err));
        if (rc == RKB_OK) {
            drain(r, ps);
        }
        from = to;
    }
    r->offset = prod_stream_offset(ps);
    r->db = prod_stream_db(ps);
    if (start == START_STREAM) {
        /* Every byte fed is a stream byte. */
        CHECK(r->stream.len <= n);
        CHECK(r->stream.len == 0 || !memcmp(r->stream.data, p, r->stream.len));
    }
    prod_stream_destroy(ps);
}

static void free_run(run_t *r) {
    rkb_buf_free(&r->events);
    rkb_buf_free(&r->rdb);
    rkb_buf_free(&r->stream);
    rkb_buf_free(&r->ends);
    rkb_buf_free(&r->hard_ends);
}

static int same_buf(const rkb_buf_t *a, const rkb_buf_t *b) {
    return a->len == b->len &&
           (a->len == 0 || !memcmp(a->data, b->data, a->len));
}

/* Is every frame end of `coarse` also one of `fine`? Both ascending. */
static int refines(const run_t *fine, const run_t *coarse) {
    const uint64_t *f = (const uint64_t *)(const void *)fine->ends.data;
    const uint64_t *c = (const uint64_t *)(const void *)coarse->ends.data;
    size_t nf = fine->ends.len / sizeof(uint64_t);
    size_t nc = coarse->ends.len / sizeof(uint64_t);
    size_t j = 0;
    for (size_t i = 0; i < nc; i++) {
        uint64_t end;
        memcpy(&end, &c[i], sizeof(end));
        for (;;) {
            uint64_t e;
            if (j == nf) {
                return 0;
            }
            memcpy(&e, &f[j++], sizeof(e));
            if (e == end) {
                break;
            }
        }
    }
    return 1;
}

static void compare(const run_t *a, const run_t *b) {
    CHECK(a->err == b->err);
    CHECK(same_buf(&a->events, &b->events));
    CHECK(same_buf(&a->rdb, &b->rdb));
    CHECK(same_buf(&a->stream, &b->stream));
    CHECK(same_buf(&a->hard_ends, &b->hard_ends));
    CHECK(a->offset == b->offset);
    CHECK(a->db == b->db);
}

/* Scans the stream a run emitted once more, as recovery does with a
 * journaled frame: it must end at the same offset with the same db. */
static void rescan(const run_t *r) {
    run_t again = {.lim = r->lim};
    if (!r->started) {
        return;
    }
    prod_stream_t *ps = prod_stream_new(&r->lim);
    prod_stream_start_stream(ps, r->first, r->first_db);
    start_stream(&again, r->first, r->first_db);
    again.err = RKB_EAGAIN;
    if (r->stream.len > 0) {
        CHECK(prod_stream_feed(ps, r->stream.data, r->stream.len) == RKB_OK);
        drain(&again, ps);
    }
    CHECK(again.err == RKB_EAGAIN);
    CHECK(same_buf(&again.stream, &r->stream));
    CHECK(same_buf(&again.hard_ends, &r->hard_ends));
    CHECK(prod_stream_offset(ps) == r->offset);
    CHECK(prod_stream_db(ps) == r->db);
    prod_stream_destroy(ps);
    free_run(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const uint64_t bulk_max[] = {1, 16, 300, UINT64_MAX};
    run_t whole = {0}, split = {0}, bytes = {0};
    size_t cuts[2];

    if (size < 3 || size > 16384) {
        return 0;
    }
    uint8_t cfg = data[0];
    start_t start = (cfg & 3) == 0   ? START_REPLY
                    : (cfg & 3) == 1 ? START_PSYNC
                                     : START_STREAM;
    prod_stream_limits_t lim = {
        (size_t)64 << ((cfg >> 2) & 3),
        (cfg & 0x10) ? 200 : 64,
        bulk_max[(cfg >> 5) & 3],
        (cfg & 0x80) ? 3 : 1u << 20,
    };
    const uint8_t *p = data + 3;
    size_t n = size - 3;
    cuts[0] = n * data[1] / 256;
    cuts[1] = n * data[2] / 256;
    if (cuts[0] > cuts[1]) {
        size_t t = cuts[0];
        cuts[0] = cuts[1];
        cuts[1] = t;
    }

    whole.lim = split.lim = bytes.lim = lim;
    run(&whole, start, p, n, NULL, 0);
    run(&split, start, p, n, cuts, 2);
    if (n > 1) {
        size_t *all = rkb_malloc((n - 1) * sizeof(size_t));
        for (size_t i = 0; i < n - 1; i++) {
            all[i] = i + 1;
        }
        run(&bytes, start, p, n, all, n - 1);
        free(all);
    } else {
        run(&bytes, start, p, n, NULL, 0);
    }

    if (!whole.saw_eof_rdb && !split.saw_eof_rdb && !bytes.saw_eof_rdb) {
        compare(&whole, &split);
        compare(&whole, &bytes);
        CHECK(refines(&bytes, &whole));
        CHECK(refines(&bytes, &split));
    }
    rescan(&whole);
    rescan(&split);

    free_run(&whole);
    free_run(&split);
    free_run(&bytes);
    return 0;
}
