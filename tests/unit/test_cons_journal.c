/* test_cons_journal.c -- the relay's journal index (which Kafka offset
 * serves a PSYNC) and per-replica stream follower (exact bytes from a
 * position; duplicates after a producer restart dropped; CONTINUED chains
 * held until complete, abandoned ones discarded, see FORMAT.md 5.1). */
#include "rkb_fmacros.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cons_journal.h"

#define R "0123456789abcdef0123456789abcdef01234567"
#define S "89abcdef0123456789abcdef0123456789abcdef"

/* Stream bytes: byte at offset o is DATA[o % 26]; a frame [a, b) carries
 * DATA + a % 26 ... so any cut can be checked against the alphabet. */
static char stream[1024];

static rkb_msg_t frame(const char *replid, uint64_t a, uint64_t b,
                       int continued) {
    rkb_msg_t m;
    memset(&m, 0, sizeof(m));
    m.type = RKB_MSG_STREAM_FRAME;
    m.flags = continued ? RKB_MSG_F_CONTINUED : 0;
    m.db = RKB_MSG_DB_NONE;
    memcpy(m.replid, replid, 41);
    m.start_offset = a;
    m.end_offset = b;
    m.u.frame.data = stream + a;
    m.u.frame.len = (size_t)(b - a);
    return m;
}

static rkb_msg_t point(rkb_msg_type_t type, const char *replid, uint64_t o) {
    rkb_msg_t m;
    memset(&m, 0, sizeof(m));
    m.type = type;
    m.db = RKB_MSG_DB_NONE;
    memcpy(m.replid, replid, 41);
    m.start_offset = m.end_offset = o;
    if (type == RKB_MSG_RESYNC) {
        m.u.resync.sync_id = 7;
        m.u.resync.begin_offset = 0;
        m.u.resync.end_offset = 3;
    }
    return m;
}

static rkb_msg_t change(const char *from, const char *to, uint64_t o) {
    rkb_msg_t m = point(RKB_MSG_REPLID_CHANGE, to, o);
    memcpy(m.u.replid_change.old_replid, from, 41);
    return m;
}

static int setup(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(stream); i++) {
        stream[i] = (char)('a' + i % 26);
    }
    return 0;
}

/* out must hold exactly stream[a, b). */
static void assert_bytes(const rkb_buf_t *out, uint64_t a, uint64_t b) {
    assert_int_equal(out->len, b - a);
    assert_memory_equal(out->data, stream + a, (size_t)(b - a));
}

static void test_feed_plain_and_mid_frame(void **state) {
    cons_feed_t f;
    rkb_buf_t out = RKB_BUF_INIT;
    (void)state;
    cons_feed_init(&f, R, 105);
    rkb_msg_t m1 = frame(R, 100, 110, 0), m2 = frame(R, 110, 130, 0);
    assert_int_equal(cons_feed_record(&f, &m1, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &m2, &out), CONS_FEED_OK);
    assert_bytes(&out, 105, 130);
    assert_int_equal(f.pos, 130);
    /* a producer restart repeats the last frame: nothing is sent twice */
    assert_int_equal(cons_feed_record(&f, &m2, &out), CONS_FEED_OK);
    rkb_msg_t hb = point(RKB_MSG_HEARTBEAT, R, 130);
    assert_int_equal(cons_feed_record(&f, &hb, &out), CONS_FEED_OK);
    assert_bytes(&out, 105, 130);
    /* bytes missing: never bridged */
    rkb_msg_t m3 = frame(R, 131, 140, 0);
    assert_int_equal(cons_feed_record(&f, &m3, &out), CONS_FEED_GAP);
    assert_non_null(strstr(f.errstr, "missing"));
    cons_feed_free(&f);
    rkb_buf_free(&out);
}

static void test_feed_chains(void **state) {
    cons_feed_t f;
    rkb_buf_t out = RKB_BUF_INIT;
    (void)state;
    cons_feed_init(&f, R, 100);
    rkb_msg_t c1 = frame(R, 100, 110, 1), c2 = frame(R, 110, 120, 1);
    rkb_msg_t c3 = frame(R, 120, 125, 0);
    /* complete chain: nothing before its last frame */
    assert_int_equal(cons_feed_record(&f, &c1, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &c2, &out), CONS_FEED_OK);
    assert_int_equal(out.len, 0);
    assert_int_equal(cons_feed_record(&f, &c3, &out), CONS_FEED_OK);
    assert_bytes(&out, 100, 125);

    /* abandoned by a heartbeat, then by a restart at the safe point */
    rkb_msg_t d1 = frame(R, 125, 140, 1);
    rkb_msg_t hb = point(RKB_MSG_HEARTBEAT, R, 125);
    assert_int_equal(cons_feed_record(&f, &d1, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &hb, &out), CONS_FEED_OK);
    assert_int_equal(f.abandoned, 1);
    rkb_msg_t d2 = frame(R, 125, 135, 1);
    rkb_msg_t d3 = frame(R, 125, 150, 0); /* restart: starts at 125 */
    assert_int_equal(cons_feed_record(&f, &d2, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &d3, &out), CONS_FEED_OK);
    assert_int_equal(f.abandoned, 2);
    assert_bytes(&out, 100, 150);
    assert_int_equal(f.pos, 150);
    cons_feed_free(&f);
    rkb_buf_free(&out);
}

/* A replica mid-chain (it took the complete copy earlier) gets the rest
 * of the complete copy, not the abandoned bytes. */
static void test_feed_start_inside_chain(void **state) {
    cons_feed_t f;
    rkb_buf_t out = RKB_BUF_INIT;
    (void)state;
    cons_feed_init(&f, R, 115);
    rkb_msg_t a1 = frame(R, 110, 120, 1), b1 = frame(R, 110, 120, 1);
    rkb_msg_t b2 = frame(R, 120, 140, 0);
    assert_int_equal(cons_feed_record(&f, &a1, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &b1, &out), CONS_FEED_OK);
    assert_int_equal(cons_feed_record(&f, &b2, &out), CONS_FEED_OK);
    assert_int_equal(f.abandoned, 1);
    assert_bytes(&out, 115, 140);
    cons_feed_free(&f);
    rkb_buf_free(&out);
}

static void test_feed_markers(void **state) {
    cons_feed_t f;
    rkb_buf_t out = RKB_BUF_INIT;
    (void)state;
    cons_feed_init(&f, R, 100);
    rkb_msg_t wrong = change(S, R, 100);
    assert_int_equal(cons_feed_record(&f, &wrong, &out), CONS_FEED_GAP);
    rkb_msg_t ch = change(R, S, 100);
    assert_int_equal(cons_feed_record(&f, &ch, &out), CONS_FEED_REPLID);
    assert_string_equal(f.replid, S);
    rkb_msg_t old = frame(R, 100, 110, 0);
    assert_int_equal(cons_feed_record(&f, &old, &out), CONS_FEED_GAP);
    rkb_msg_t next = frame(S, 100, 110, 0);
    assert_int_equal(cons_feed_record(&f, &next, &out), CONS_FEED_OK);
    assert_bytes(&out, 100, 110);
    rkb_msg_t rs = point(RKB_MSG_RESYNC, R, 500);
    assert_int_equal(cons_feed_record(&f, &rs, &out), CONS_FEED_RESYNC);
    cons_feed_free(&f);
    rkb_buf_free(&out);
}

/* Kafka offsets:  0 frame of an older history, 5 RESYNC R@100,
 * 6 [100,110), 7 [110,120)C, 8 [120,130), 9 HEARTBEAT 130,
 * 10 REPLID_CHANGE R->S @130, 11 [130,140) under S. */
static void build(cons_index_t *ix) {
    rkb_msg_t m;
    cons_index_init(ix);
    m = frame(S, 10, 20, 0);
    cons_index_add(ix, 0, &m);
    m = point(RKB_MSG_RESYNC, R, 100);
    cons_index_add(ix, 5, &m);
    m = frame(R, 100, 110, 0);
    cons_index_add(ix, 6, &m);
    m = frame(R, 110, 120, 1);
    cons_index_add(ix, 7, &m);
    m = frame(R, 120, 130, 0);
    cons_index_add(ix, 8, &m);
    m = point(RKB_MSG_HEARTBEAT, R, 130);
    cons_index_add(ix, 9, &m);
    m = change(R, S, 130);
    cons_index_add(ix, 10, &m);
    m = frame(S, 130, 140, 0);
    cons_index_add(ix, 11, &m);
}

static void test_index_find(void **state) {
    cons_index_t ix;
    int64_t k;
    char follow[41];
    (void)state;
    build(&ix);
    assert_true(ix.have_resync);
    assert_int_equal(ix.resync_koff, 5);
    assert_int_equal(ix.resync.end_offset, 100);
    assert_string_equal(cons_index_replid(&ix), S);
    assert_int_equal(ix.end, 140);
    assert_int_equal(ix.next_koff, 12);

    static const struct {
        const char *replid;
        uint64_t pos;
        int found;
        int64_t koff;
        const char *follow;
    } want[] = {
        {R, 100, 1, 6, R},  {R, 105, 1, 6, R},  {R, 110, 1, 7, R},
        {R, 115, 1, 7, R},  {R, 125, 1, 7, R},  {R, 130, 1, 11, S},
        {R, 131, 0, 0, ""}, {R, 99, 0, 0, ""},  {S, 130, 1, 11, S},
        {S, 135, 1, 11, S}, {S, 140, 1, 12, S}, {S, 141, 0, 0, ""},
        {S, 15, 0, 0, ""}, /* the older history is gone after RESYNC */
        {"?", 100, 0, 0, ""},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        k = -7;
        int found = cons_index_find(&ix, want[i].replid, want[i].pos, &k,
                                    follow);
        if (found != want[i].found ||
            (found && (k != want[i].koff ||
                       strcmp(follow, want[i].follow) != 0))) {
            fail_msg("find(%.8s, %llu): found %d koff %lld, want %d %lld",
                     want[i].replid, (unsigned long long)want[i].pos, found,
                     (long long)k, want[i].found, (long long)want[i].koff);
        }
    }
    /* retention deleted records up to Kafka offset 6 */
    ix.low_koff = 7;
    assert_int_equal(cons_index_find(&ix, R, 105, &k, follow), 0);
    assert_int_equal(cons_index_find(&ix, R, 115, &k, follow), 1);
    assert_int_equal(k, 7);
    ix.low_koff = 0;
    assert_int_equal(cons_index_commit_koff(&ix, 125), 7);
    assert_int_equal(cons_index_commit_koff(&ix, 50), -1);
    cons_index_free(&ix);
}

/* Without a RESYNC (retention removed it) the history starts at the first
 * safe point held, and no full sync can be served. */
static void test_index_no_resync(void **state) {
    cons_index_t ix;
    int64_t k;
    char follow[41];
    rkb_msg_t m;
    (void)state;
    cons_index_init(&ix);
    m = frame(R, 110, 120, 1); /* the tail of a chain: not a safe point */
    cons_index_add(&ix, 40, &m);
    m = frame(R, 120, 130, 0);
    cons_index_add(&ix, 41, &m);
    m = frame(R, 130, 140, 0);
    cons_index_add(&ix, 42, &m);
    assert_false(ix.have_resync);
    assert_int_equal(cons_index_find(&ix, R, 125, &k, follow), 0);
    assert_int_equal(cons_index_find(&ix, R, 130, &k, follow), 1);
    assert_int_equal(k, 42);
    assert_int_equal(cons_index_find(&ix, R, 140, &k, follow), 1);
    assert_int_equal(k, 43);
    cons_index_free(&ix);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_plain_and_mid_frame),
        cmocka_unit_test(test_feed_chains),
        cmocka_unit_test(test_feed_start_inside_chain),
        cmocka_unit_test(test_feed_markers),
        cmocka_unit_test(test_index_find),
        cmocka_unit_test(test_index_no_resync),
    };
    return cmocka_run_group_tests_name("cons_journal", tests, setup, NULL);
}
