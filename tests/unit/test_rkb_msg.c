#define _POSIX_C_SOURCE 200809L
/* test_rkb_msg.c -- unit tests of the record format v1 codec.
 *
 * The golden vectors in schema/vectors were written by make_vectors.py from
 * FORMAT.md, not by this codec. Here the same records are described again
 * as rkb_msg_t values, by hand, and the codec must turn each into exactly
 * the committed bytes and back. The error tests then damage the vectors one
 * rule of FORMAT.md at a time. Every decode runs on a heap copy of exactly
 * the given length so that ASan catches a read past the record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rkb_msg.h"

#define REPLID_A "8de1c9e4b2f0a7d3c5e6f1029384756a1b2c3d4e"
#define REPLID_B "0123456789abcdef0123456789abcdef01234567"
#define FULL_OFF 1000
#define SYNC_ID UINT64_C(0x1122334455667788)
#define SYNC_ID_EOF UINT64_C(0xF00DFACECAFEBEEF)
#define WALL UINT64_C(1732550400123)
#define FORK_OFF UINT64_C(0x100000007)
#define RDB_CUT 20

/* ----------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */

typedef struct blob_s {
    char *data;
    size_t len;
} blob_t;

static void put_be(char *p, uint64_t v, int n) {
    int i;

    for (i = n - 1; i >= 0; i--) {
        p[i] = (char)(unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static blob_t load_vector(const char *name) {
    const char *dir = getenv("RKB_SOURCE_DIR");
    char path[1024];
    blob_t b = {NULL, 0};
    FILE *fp;
    long n;

    if (dir == NULL) {
        dir = ".";
    }
    snprintf(path, sizeof(path), "%s/schema/vectors/%s.bin", dir, name);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        fail_msg("cannot open %s (is RKB_SOURCE_DIR the project root?)",
                 path);
    }
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n > 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    b.len = (size_t)n;
    b.data = malloc(b.len);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, fp), b.len);
    fclose(fp);
    return b;
}

/* Decodes a private heap copy of exactly len bytes of buf. */
static rkb_msg_err_t decode_copy(const char *buf, size_t len, rkb_msg_t *m,
                                 char *err, size_t errsz) {
    char *copy = malloc(len ? len : 1);
    rkb_msg_err_t rc;

    assert_non_null(copy);
    if (len) {
        memcpy(copy, buf, len);
    }
    rc = rkb_msg_decode(copy, len, m, err, errsz);
    /* Borrowed pointers would dangle; callers only look at scalars. */
    if (rc == RKB_MSG_OK && m->type == RKB_MSG_STREAM_FRAME) {
        m->u.frame.data = NULL;
    } else if (rc == RKB_MSG_OK && m->type == RKB_MSG_SNAPSHOT_CHUNK) {
        m->u.snap_chunk.data = NULL;
    }
    free(copy);
    return rc;
}

/* Asserts decode fails with err and a reason containing needle (if not
 * NULL), and that *m was cleared. */
static void expect_err(const char *buf, size_t len, rkb_msg_err_t want,
                       const char *needle) {
    static const rkb_msg_t zero;
    rkb_msg_t m;
    char err[256];
    rkb_msg_err_t rc;

    memset(&m, 0xA5, sizeof(m));
    rc = decode_copy(buf, len, &m, err, sizeof(err));
    if (rc != want) {
        fail_msg("decode of %zu bytes: got %d (%s), want %d", len, (int)rc,
                 err, (int)want);
    }
    assert_true(err[0] != '\0');
    assert_null(strchr(err, '\n'));
    if (needle != NULL && strstr(err, needle) == NULL) {
        fail_msg("reason \"%s\" lacks \"%s\"", err, needle);
    }
    assert_memory_equal(&m, &zero, sizeof(m));
}

static void expect_ok(const char *buf, size_t len) {
    rkb_msg_t m;
    char err[256];
    rkb_msg_err_t rc = decode_copy(buf, len, &m, err, sizeof(err));

    if (rc != RKB_MSG_OK) {
        fail_msg("decode of %zu bytes failed: %s", len, err);
    }
}

static void assert_msg_equal(const rkb_msg_t *a, const rkb_msg_t *b) {
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->db, b->db);
    assert_string_equal(a->replid, b->replid);
    assert_true(a->start_offset == b->start_offset);
    assert_true(a->end_offset == b->end_offset);
    switch (a->type) {
    case RKB_MSG_STREAM_FRAME:
        assert_int_equal(a->u.frame.len, b->u.frame.len);
        assert_memory_equal(a->u.frame.data, b->u.frame.data,
                            a->u.frame.len);
        break;
    case RKB_MSG_HEARTBEAT:
        assert_true(a->u.heartbeat.wall_clock_ms ==
                    b->u.heartbeat.wall_clock_ms);
        break;
    case RKB_MSG_SNAPSHOT_BEGIN:
        assert_true(a->u.snap_begin.sync_id == b->u.snap_begin.sync_id);
        assert_true(a->u.snap_begin.wall_clock_ms ==
                    b->u.snap_begin.wall_clock_ms);
        assert_int_equal(a->u.snap_begin.framing, b->u.snap_begin.framing);
        assert_true(a->u.snap_begin.expected_size ==
                    b->u.snap_begin.expected_size);
        break;
    case RKB_MSG_SNAPSHOT_CHUNK:
        assert_true(a->u.snap_chunk.sync_id == b->u.snap_chunk.sync_id);
        assert_true(a->u.snap_chunk.rdb_pos == b->u.snap_chunk.rdb_pos);
        assert_int_equal(a->u.snap_chunk.len, b->u.snap_chunk.len);
        assert_memory_equal(a->u.snap_chunk.data, b->u.snap_chunk.data,
                            a->u.snap_chunk.len);
        break;
    case RKB_MSG_SNAPSHOT_END:
        assert_true(a->u.snap_end.sync_id == b->u.snap_end.sync_id);
        assert_true(a->u.snap_end.rdb_size == b->u.snap_end.rdb_size);
        assert_true(a->u.snap_end.crc64 == b->u.snap_end.crc64);
        assert_true(a->u.snap_end.chunk_count ==
                    b->u.snap_end.chunk_count);
        break;
    case RKB_MSG_RESYNC:
        assert_true(a->u.resync.sync_id == b->u.resync.sync_id);
        assert_int_equal(a->u.resync.partition, b->u.resync.partition);
        assert_true(a->u.resync.begin_offset == b->u.resync.begin_offset);
        assert_true(a->u.resync.end_offset == b->u.resync.end_offset);
        break;
    case RKB_MSG_REPLID_CHANGE:
        assert_string_equal(a->u.replid_change.old_replid,
                            b->u.replid_change.old_replid);
        break;
    }
}

/* Encodes m, decodes the bytes and asserts both directions agree. */
static void roundtrip(const rkb_msg_t *m) {
    size_t n = rkb_msg_encoded_size(m);
    char *buf = malloc(n);
    rkb_msg_t d;
    char err[256];

    assert_non_null(buf);
    assert_int_equal(rkb_msg_encode(m, buf), n);
    if (rkb_msg_decode(buf, n, &d, err, sizeof(err)) != RKB_MSG_OK) {
        fail_msg("round trip of a %s failed: %s", rkb_msg_type2str(m->type),
                 err);
    }
    assert_msg_equal(m, &d);
    free(buf);
}

/* ----------------------------------------------------------------------------
 * The golden vectors, described by hand
 * ------------------------------------------------------------------------- */

/* "SELECT 0" then "SET foo bar", as the master sends them. */
static const char payload_select_set[] =
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
    "*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n";
/* The first 47 bytes of MULTI, INCR ctr, INCR ctr, EXEC. */
static const char payload_multi_cut[] =
    "*1\r\n$5\r\nMULTI\r\n"
    "*2\r\n$4\r\nINCR\r\n$3\r\nctr\r\n"
    "*2\r\n$4\r\nI";
static const char binary_prefix[] =
    "*3\r\n$3\r\nSET\r\n$3\r\nbin\r\n$256\r\n";
/* A small RDB; the hex escapes are split so none swallows a letter. */
static const char rdb_body[] =
    "REDIS0011"
    "\xfa" "\x09" "redis-ver" "\x05" "7.2.4"
    "\xfe" "\x00" "\xfb" "\x01" "\x00"
    "\x00" "\x03" "foo" "\x03" "bar"
    "\xff";

static char payload_binary[sizeof(binary_prefix) - 1 + 256 + 2];
static char rdb[sizeof(rdb_body) - 1 + 8];

/* Builds the buffers that are not plain literals. The RDB ends with its
 * own CRC-64, little-endian, as Redis writes it; that byte sequence is in
 * the python-made vectors, so matching it also checks rkb_crc64. */
static void init_payloads(void) {
    size_t n = sizeof(binary_prefix) - 1;
    uint64_t crc;
    int i;

    memcpy(payload_binary, binary_prefix, n);
    for (i = 0; i < 256; i++) {
        payload_binary[n + (size_t)i] = (char)(unsigned char)i;
    }
    memcpy(payload_binary + n + 256, "\r\n", 2);

    n = sizeof(rdb_body) - 1;
    memcpy(rdb, rdb_body, n);
    crc = rkb_crc64(0, rdb_body, n);
    for (i = 0; i < 8; i++) {
        rdb[n + (size_t)i] = (char)(unsigned char)(crc >> (8 * i));
    }
}

static void set_hdr(rkb_msg_t *m, rkb_msg_type_t type, uint8_t flags,
                    uint16_t db, const char *replid, uint64_t start,
                    uint64_t end) {
    memset(m, 0, sizeof(*m));
    m->type = type;
    m->flags = flags;
    m->db = db;
    memcpy(m->replid, replid, RKB_MSG_REPLID_LEN + 1);
    m->start_offset = start;
    m->end_offset = end;
}

static void set_frame(rkb_msg_t *m, uint8_t flags, uint16_t db,
                      const char *replid, uint64_t start, const char *data,
                      size_t len) {
    set_hdr(m, RKB_MSG_STREAM_FRAME, flags, db, replid, start, start + len);
    m->u.frame.data = data;
    m->u.frame.len = len;
}

static void build_stream_frame(rkb_msg_t *m) {
    set_frame(m, 0, RKB_MSG_DB_NONE, REPLID_A, FULL_OFF, payload_select_set,
              sizeof(payload_select_set) - 1);
}

static void build_heartbeat(rkb_msg_t *m) {
    uint64_t off = FULL_OFF + sizeof(payload_select_set) - 1;

    set_hdr(m, RKB_MSG_HEARTBEAT, 0, 0, REPLID_A, off, off);
    m->u.heartbeat.wall_clock_ms = WALL + 1000;
}

static void build_stream_frame_continued(rkb_msg_t *m) {
    set_frame(m, RKB_MSG_F_CONTINUED, 0, REPLID_A,
              FULL_OFF + sizeof(payload_select_set) - 1, payload_multi_cut,
              sizeof(payload_multi_cut) - 1);
}

static void build_stream_frame_binary(rkb_msg_t *m) {
    set_frame(m, 0, 15, REPLID_B, FORK_OFF, payload_binary,
              sizeof(payload_binary));
}

static void build_heartbeat_db_none(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_HEARTBEAT, 0, RKB_MSG_DB_NONE, REPLID_A, FULL_OFF,
            FULL_OFF);
    m->u.heartbeat.wall_clock_ms = WALL + 500;
}

static void build_snapshot_begin(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_SNAPSHOT_BEGIN, 0, RKB_MSG_DB_NONE, REPLID_A,
            FULL_OFF, FULL_OFF);
    m->u.snap_begin.sync_id = SYNC_ID;
    m->u.snap_begin.wall_clock_ms = WALL;
    m->u.snap_begin.framing = RKB_MSG_FRAMING_DISK;
    m->u.snap_begin.expected_size = sizeof(rdb);
}

static void build_snapshot_begin_eof(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_SNAPSHOT_BEGIN, 0, RKB_MSG_DB_NONE, REPLID_A,
            FULL_OFF, FULL_OFF);
    m->u.snap_begin.sync_id = SYNC_ID_EOF;
    m->u.snap_begin.wall_clock_ms = WALL + 1;
    m->u.snap_begin.framing = RKB_MSG_FRAMING_EOF;
    m->u.snap_begin.expected_size = UINT64_MAX;
}

static void build_snapshot_chunk(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_SNAPSHOT_CHUNK, 0, RKB_MSG_DB_NONE, REPLID_A,
            FULL_OFF, FULL_OFF);
    m->u.snap_chunk.sync_id = SYNC_ID;
    m->u.snap_chunk.rdb_pos = 0;
    m->u.snap_chunk.data = rdb;
    m->u.snap_chunk.len = RDB_CUT;
}

static void build_snapshot_chunk_2(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_SNAPSHOT_CHUNK, 0, RKB_MSG_DB_NONE, REPLID_A,
            FULL_OFF, FULL_OFF);
    m->u.snap_chunk.sync_id = SYNC_ID;
    m->u.snap_chunk.rdb_pos = RDB_CUT;
    m->u.snap_chunk.data = rdb + RDB_CUT;
    m->u.snap_chunk.len = sizeof(rdb) - RDB_CUT;
}

static void build_snapshot_end(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_SNAPSHOT_END, 0, RKB_MSG_DB_NONE, REPLID_A, FULL_OFF,
            FULL_OFF);
    m->u.snap_end.sync_id = SYNC_ID;
    m->u.snap_end.rdb_size = sizeof(rdb);
    m->u.snap_end.crc64 = rkb_crc64(0, rdb, sizeof(rdb));
    m->u.snap_end.chunk_count = 2;
}

static void build_resync(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_RESYNC, 0, RKB_MSG_DB_NONE, REPLID_A, FULL_OFF,
            FULL_OFF);
    m->u.resync.sync_id = SYNC_ID;
    m->u.resync.partition = 0;
    m->u.resync.begin_offset = 41;
    m->u.resync.end_offset = 44;
}

static void build_replid_change(rkb_msg_t *m) {
    set_hdr(m, RKB_MSG_REPLID_CHANGE, 0, RKB_MSG_DB_NONE, REPLID_B,
            FORK_OFF, FORK_OFF);
    memcpy(m->u.replid_change.old_replid, REPLID_A, RKB_MSG_REPLID_LEN + 1);
}

typedef struct vector_s {
    const char *name;
    void (*build)(rkb_msg_t *m);
} vector_t;

#define VEC(n) static vector_t vec_##n = {#n, build_##n}
VEC(stream_frame);
VEC(stream_frame_continued);
VEC(stream_frame_binary);
VEC(heartbeat);
VEC(heartbeat_db_none);
VEC(snapshot_begin);
VEC(snapshot_begin_eof);
VEC(snapshot_chunk);
VEC(snapshot_chunk_2);
VEC(snapshot_end);
VEC(resync);
VEC(replid_change);
#undef VEC

static vector_t *const all_vectors[] = {
    &vec_stream_frame, &vec_stream_frame_continued, &vec_stream_frame_binary,
    &vec_heartbeat, &vec_heartbeat_db_none, &vec_snapshot_begin,
    &vec_snapshot_begin_eof, &vec_snapshot_chunk, &vec_snapshot_chunk_2,
    &vec_snapshot_end, &vec_resync, &vec_replid_change,
};
#define NVECTORS (sizeof(all_vectors) / sizeof(all_vectors[0]))

/* ----------------------------------------------------------------------------
 * Vector tests
 * ------------------------------------------------------------------------- */

static void test_vector(void **state) {
    const vector_t *v = *state;
    blob_t file = load_vector(v->name);
    rkb_msg_t want, got;
    char *out, *again;
    char err[256];
    size_t n;

    v->build(&want);

    /* Encode reproduces the committed bytes exactly. */
    n = rkb_msg_encoded_size(&want);
    assert_int_equal(n, file.len);
    out = malloc(n);
    assert_non_null(out);
    assert_int_equal(rkb_msg_encode(&want, out), n);
    assert_memory_equal(out, file.data, n);

    /* Decode gives back the same record... */
    if (rkb_msg_decode(file.data, file.len, &got, err, sizeof(err)) !=
        RKB_MSG_OK) {
        fail_msg("%s: %s", v->name, err);
    }
    assert_msg_equal(&want, &got);
    /* ...borrowing its data from the buffer rather than copying it. */
    if (got.type == RKB_MSG_STREAM_FRAME) {
        assert_ptr_equal(got.u.frame.data, file.data + RKB_MSG_HDR_SIZE);
    } else if (got.type == RKB_MSG_SNAPSHOT_CHUNK) {
        assert_ptr_equal(got.u.snap_chunk.data,
                         file.data + RKB_MSG_HDR_SIZE + 16);
    }

    /* And re-encoding the decoded record round-trips. */
    assert_int_equal(rkb_msg_encoded_size(&got), n);
    again = malloc(n);
    assert_non_null(again);
    assert_int_equal(rkb_msg_encode(&got, again), n);
    assert_memory_equal(again, file.data, n);

    free(again);
    free(out);
    free(file.data);
}

/* The two chunks and END describe one RDB consistently. */
static void test_vectors_snapshot_story(void **state) {
    rkb_msg_t begin, c1, c2, end;

    (void)state;
    build_snapshot_begin(&begin);
    build_snapshot_chunk(&c1);
    build_snapshot_chunk_2(&c2);
    build_snapshot_end(&end);
    assert_true(c2.u.snap_chunk.rdb_pos ==
                c1.u.snap_chunk.rdb_pos + c1.u.snap_chunk.len);
    assert_true(end.u.snap_end.rdb_size ==
                c2.u.snap_chunk.rdb_pos + c2.u.snap_chunk.len);
    assert_true(end.u.snap_end.rdb_size == begin.u.snap_begin.expected_size);
    assert_true(end.u.snap_end.crc64 ==
                rkb_crc64(rkb_crc64(0, c1.u.snap_chunk.data,
                                    c1.u.snap_chunk.len),
                          c2.u.snap_chunk.data, c2.u.snap_chunk.len));
}

/* ----------------------------------------------------------------------------
 * Error tests
 * ------------------------------------------------------------------------- */

static void test_truncated_every_length(void **state) {
    size_t i, cut;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);
        int type = (unsigned char)b.data[3];

        for (cut = 0; cut < b.len; cut++) {
            if (cut < RKB_MSG_HDR_SIZE) {
                expect_err(b.data, cut, RKB_MSG_ETRUNCATED, "header");
            } else if (type == RKB_MSG_STREAM_FRAME) {
                /* A short frame cannot be told from one with wrong
                 * offsets: both are a size/offset inconsistency. */
                expect_err(b.data, cut, RKB_MSG_ECORRUPT, NULL);
            } else if (type == RKB_MSG_SNAPSHOT_CHUNK) {
                if (cut < RKB_MSG_HDR_SIZE + 16) {
                    expect_err(b.data, cut, RKB_MSG_ETRUNCATED, NULL);
                } else if (cut == RKB_MSG_HDR_SIZE + 16) {
                    expect_err(b.data, cut, RKB_MSG_ECORRUPT, "no RDB");
                } else {
                    /* Still a valid, shorter chunk. */
                    expect_ok(b.data, cut);
                }
            } else {
                expect_err(b.data, cut, RKB_MSG_ETRUNCATED, "body is");
            }
        }
        free(b.data);
    }
}

static void test_bad_magic(void **state) {
    blob_t b = load_vector("heartbeat");

    (void)state;
    b.data[0] = 'X';
    expect_err(b.data, b.len, RKB_MSG_EMAGIC, "not an rkbridge record");
    expect_err(b.data, 1, RKB_MSG_EMAGIC, "0x58");
    b.data[0] = 'R';
    b.data[1] = 'k';
    expect_err(b.data, b.len, RKB_MSG_EMAGIC, "0x526b");
    expect_err(b.data, 2, RKB_MSG_EMAGIC, NULL);
    b.data[1] = 'K';
    expect_err(b.data, 1, RKB_MSG_ETRUNCATED, NULL);
    expect_err("{\"k\":1}", 7, RKB_MSG_EMAGIC, NULL);
    free(b.data);
}

static void test_version(void **state) {
    static const struct {
        unsigned char v;
        const char *needle;
    } cases[] = {
        {2, "record version 2 is not supported (this reader knows 1)"},
        {0, "record version 0 is not supported"},
        {255, "record version 255 is not supported"},
    };
    blob_t b = load_vector("stream_frame");
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        b.data[2] = (char)cases[i].v;
        expect_err(b.data, b.len, RKB_MSG_EVERSION, cases[i].needle);
        /* Named even when the rest of the record is missing or does not
         * parse under v1 rules. */
        expect_err(b.data, 3, RKB_MSG_EVERSION, cases[i].needle);
        b.data[5] = 1;
        expect_err(b.data, b.len, RKB_MSG_EVERSION, cases[i].needle);
        b.data[5] = 0;
    }
    free(b.data);
}

static void test_unknown_type(void **state) {
    static const unsigned char types[] = {0, 8, 9, 255};
    blob_t b = load_vector("heartbeat");
    char needle[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(types); i++) {
        b.data[3] = (char)types[i];
        snprintf(needle, sizeof(needle), "record type %u is not defined",
                 (unsigned)types[i]);
        expect_err(b.data, b.len, RKB_MSG_ETYPE, needle);
        expect_err(b.data, 4, RKB_MSG_ETYPE, needle);
    }
    free(b.data);
}

static void test_flags(void **state) {
    size_t i;
    int bit;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);
        unsigned char orig = (unsigned char)b.data[4];
        int is_frame = b.data[3] == RKB_MSG_STREAM_FRAME;

        for (bit = 0; bit < 8; bit++) {
            unsigned char f = (unsigned char)(orig ^ (1u << bit));

            b.data[4] = (char)f;
            if (is_frame && bit == 0) {
                /* CONTINUED is the one defined flag, and only on frames. */
                expect_ok(b.data, b.len);
            } else {
                expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "flags");
            }
        }
        free(b.data);
    }
}

static void test_reserved_byte(void **state) {
    size_t i;
    int bit;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);

        for (bit = 0; bit < 8; bit++) {
            b.data[5] = (char)(unsigned char)(1u << bit);
            expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "reserved");
        }
        free(b.data);
    }
}

static void test_replid_not_hex(void **state) {
    static const char bad[] = {'A', 'F', 'g', 'G', ' ', '\0', '/', ':',
                               '`', (char)0xff};
    static const size_t pos[] = {0, 17, RKB_MSG_REPLID_LEN - 1};
    blob_t b = load_vector("replid_change");
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(bad); i++) {
        for (j = 0; j < sizeof(pos) / sizeof(pos[0]); j++) {
            size_t at = 8 + pos[j];
            char keep = b.data[at];

            b.data[at] = bad[i];
            expect_err(b.data, b.len, RKB_MSG_ECORRUPT,
                       "not a lowercase hex digit");
            b.data[at] = keep;

            /* The old replid of REPLID_CHANGE obeys the same rule. */
            at = RKB_MSG_HDR_SIZE + pos[j];
            keep = b.data[at];
            b.data[at] = bad[i];
            expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "old replid");
            b.data[at] = keep;
        }
    }
    expect_ok(b.data, b.len);
    free(b.data);
}

static void test_frame_body_mismatch(void **state) {
    blob_t b = load_vector("stream_frame");
    rkb_msg_t m;
    char *big;
    size_t body = b.len - RKB_MSG_HDR_SIZE;
    char needle[128];

    (void)state;
    build_stream_frame(&m);

    /* Offsets claim more bytes than the body has, or fewer. */
    put_be(b.data + 56, m.end_offset + 2, 8);
    snprintf(needle, sizeof(needle),
             "stream frame body is %zu bytes but offsets span %zu", body,
             body + 2);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, needle);
    put_be(b.data + 56, m.end_offset - 1, 8);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "offsets span");

    /* A body with one byte too many. */
    put_be(b.data + 56, m.end_offset, 8);
    big = malloc(b.len + 1);
    assert_non_null(big);
    memcpy(big, b.data, b.len);
    big[b.len] = '\n';
    expect_err(big, b.len + 1, RKB_MSG_ECORRUPT, "offsets span");
    free(big);

    /* End before start. */
    put_be(b.data + 56, m.start_offset - 1, 8);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "before its start");

    /* Empty frame: consistent sizes, but frames carry > 0 bytes. */
    put_be(b.data + 56, m.start_offset, 8);
    expect_err(b.data, RKB_MSG_HDR_SIZE, RKB_MSG_ECORRUPT, "empty");

    /* A span that does not fit in size_t on 32-bit hosts. */
    put_be(b.data + 48, 0, 8);
    put_be(b.data + 56, UINT64_MAX, 8);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "offsets span");
    free(b.data);
}

static void test_start_ne_end(void **state) {
    size_t i;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);
        rkb_msg_t m;

        if (b.data[3] == RKB_MSG_STREAM_FRAME) {
            free(b.data);
            continue;
        }
        all_vectors[i]->build(&m);
        put_be(b.data + 56, m.end_offset + 1, 8);
        expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "must be equal");
        put_be(b.data + 56, m.end_offset, 8);
        put_be(b.data + 48, m.start_offset + 1, 8);
        expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "must be equal");
        free(b.data);
    }
}

static void test_body_size(void **state) {
    size_t i;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);
        int type = (unsigned char)b.data[3];
        char *big;

        if (type == RKB_MSG_STREAM_FRAME) {
            free(b.data); /* covered by test_frame_body_mismatch */
            continue;
        }
        big = malloc(b.len + 1);
        assert_non_null(big);
        memcpy(big, b.data, b.len);
        big[b.len] = 0;
        if (type == RKB_MSG_SNAPSHOT_CHUNK) {
            /* RDB bytes are variable; one more is a bigger chunk. */
            expect_ok(big, b.len + 1);
            expect_err(b.data, RKB_MSG_HDR_SIZE + 15, RKB_MSG_ETRUNCATED,
                       "fixed part");
        } else {
            expect_err(big, b.len + 1, RKB_MSG_ECORRUPT, "body is");
            expect_err(b.data, b.len - 1, RKB_MSG_ETRUNCATED, "body is");
        }
        free(big);
        free(b.data);
    }
}

static void test_db_rules(void **state) {
    static const uint16_t dbs[] = {0, 1, 15, 16, 0x7fff, 0xfffe};
    size_t i, j;

    (void)state;
    for (i = 0; i < NVECTORS; i++) {
        blob_t b = load_vector(all_vectors[i]->name);
        int type = (unsigned char)b.data[3];

        for (j = 0; j < sizeof(dbs) / sizeof(dbs[0]); j++) {
            put_be(b.data + 6, dbs[j], 2);
            if (type == RKB_MSG_STREAM_FRAME || type == RKB_MSG_HEARTBEAT) {
                expect_ok(b.data, b.len);
            } else {
                expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "db");
            }
        }
        /* DB_NONE is valid everywhere. */
        put_be(b.data + 6, RKB_MSG_DB_NONE, 2);
        expect_ok(b.data, b.len);
        free(b.data);
    }
}

static void test_snapshot_begin_rules(void **state) {
    blob_t disk = load_vector("snapshot_begin");
    blob_t eof = load_vector("snapshot_begin_eof");
    char *body = disk.data + RKB_MSG_HDR_SIZE;

    (void)state;
    body[16] = 2;
    expect_err(disk.data, disk.len, RKB_MSG_ECORRUPT, "framing is 2");
    body[16] = (char)0xff;
    expect_err(disk.data, disk.len, RKB_MSG_ECORRUPT, "framing is 255");

    /* Disk framing always states the size... */
    body[16] = RKB_MSG_FRAMING_DISK;
    put_be(body + 17, UINT64_MAX, 8);
    expect_err(disk.data, disk.len, RKB_MSG_ECORRUPT, "unknown");
    put_be(body + 17, 0, 8);
    expect_ok(disk.data, disk.len);

    /* ...and diskless framing never does. */
    body = eof.data + RKB_MSG_HDR_SIZE;
    put_be(body + 17, 1234, 8);
    expect_err(eof.data, eof.len, RKB_MSG_ECORRUPT, "diskless");
    free(disk.data);
    free(eof.data);
}

static void test_snapshot_chunk_rules(void **state) {
    blob_t b = load_vector("snapshot_chunk");
    char *body = b.data + RKB_MSG_HDR_SIZE;
    uint64_t dlen = b.len - RKB_MSG_HDR_SIZE - 16;

    (void)state;
    put_be(body + 8, UINT64_MAX - dlen, 8);
    expect_ok(b.data, b.len);
    put_be(body + 8, UINT64_MAX - dlen + 1, 8);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "past 2^64");
    put_be(body + 8, UINT64_MAX, 8);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "past 2^64");
    free(b.data);
}

static void test_snapshot_end_rules(void **state) {
    static const struct {
        uint64_t size, count;
        int ok;
    } cases[] = {
        {1, 1, 1}, {100, 1, 1}, {100, 100, 1}, {0, 0, 1},
        {UINT64_MAX, UINT64_MAX, 1},
        {100, 101, 0}, {100, 0, 0}, {0, 1, 0},
    };
    blob_t b = load_vector("snapshot_end");
    char *body = b.data + RKB_MSG_HDR_SIZE;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        put_be(body + 8, cases[i].size, 8);
        put_be(body + 24, cases[i].count, 8);
        if (cases[i].ok) {
            expect_ok(b.data, b.len);
        } else {
            expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "chunks for");
        }
    }
    free(b.data);
}

static void test_resync_rules(void **state) {
    static const struct {
        uint32_t part;
        uint64_t begin, end;
        int ok;
    } cases[] = {
        {0, 0, 1, 1},
        {0x7fffffff, 0, UINT64_C(0x7fffffffffffffff), 1},
        {0xffffffff, 41, 44, 0},
        {0x80000000, 41, 44, 0},
        {0, UINT64_MAX, 44, 0},
        {0, 44, 44, 0},
        {0, 44, 41, 0},
        {0, 41, UINT64_C(0x8000000000000000), 0},
    };
    blob_t b = load_vector("resync");
    char *body = b.data + RKB_MSG_HDR_SIZE;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        put_be(body + 8, cases[i].part, 4);
        put_be(body + 12, cases[i].begin, 8);
        put_be(body + 20, cases[i].end, 8);
        if (cases[i].ok) {
            expect_ok(b.data, b.len);
        } else {
            expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "resync snapshot");
        }
    }
    free(b.data);
}

static void test_replid_change_same(void **state) {
    blob_t b = load_vector("replid_change");

    (void)state;
    memcpy(b.data + RKB_MSG_HDR_SIZE, b.data + 8, RKB_MSG_REPLID_LEN);
    expect_err(b.data, b.len, RKB_MSG_ECORRUPT, "same old and new");
    free(b.data);
}

/* errstr is optional and always NUL-terminated within its size. */
static void test_errstr_handling(void **state) {
    blob_t b = load_vector("heartbeat");
    rkb_msg_t m;
    char small[12];

    (void)state;
    b.data[2] = 9;
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, NULL, 0),
                     RKB_MSG_EVERSION);
    small[0] = 'x';
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, small, 0),
                     RKB_MSG_EVERSION);
    assert_int_equal(small[0], 'x');
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, small, 1),
                     RKB_MSG_EVERSION);
    assert_string_equal(small, "");
    memset(small, 'x', sizeof(small));
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, small,
                                    sizeof(small)),
                     RKB_MSG_EVERSION);
    assert_string_equal(small, "record vers");

    /* Success leaves an empty reason. */
    b.data[2] = RKB_MSG_VERSION;
    small[0] = 'x';
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, small,
                                    sizeof(small)),
                     RKB_MSG_OK);
    assert_string_equal(small, "");
    assert_int_equal(rkb_msg_decode(b.data, b.len, &m, NULL, 0), RKB_MSG_OK);
    free(b.data);
}

static void test_type2str(void **state) {
    (void)state;
    assert_string_equal(rkb_msg_type2str(RKB_MSG_STREAM_FRAME), "frame");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_HEARTBEAT), "heartbeat");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_SNAPSHOT_BEGIN),
                        "snapshot-begin");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_SNAPSHOT_CHUNK),
                        "snapshot-chunk");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_SNAPSHOT_END),
                        "snapshot-end");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_RESYNC), "resync");
    assert_string_equal(rkb_msg_type2str(RKB_MSG_REPLID_CHANGE),
                        "replid-change");
    assert_string_equal(rkb_msg_type2str((rkb_msg_type_t)0), "unknown");
    assert_string_equal(rkb_msg_type2str((rkb_msg_type_t)8), "unknown");
}

/* Extreme field values survive a round trip bit for bit. */
static void test_roundtrip_extremes(void **state) {
    static const char one[] = "\0";
    static const uint64_t u64s[] = {0, 1, 0xff, 0x100, UINT64_C(0x7fffffff),
                                    UINT64_C(0x80000000),
                                    UINT64_C(0x0102030405060708),
                                    UINT64_C(0x8000000000000000),
                                    UINT64_MAX - 1, UINT64_MAX};
    static const uint16_t dbs[] = {0, 1, 0x00ff, 0x0100, 0xfffe,
                                   RKB_MSG_DB_NONE};
    rkb_msg_t m;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++) {
        uint64_t v = u64s[i];

        set_frame(&m, RKB_MSG_F_CONTINUED, dbs[i % 6], REPLID_B,
                  v == UINT64_MAX ? v - 1 : v, one, 1);
        roundtrip(&m);

        set_hdr(&m, RKB_MSG_HEARTBEAT, 0, dbs[i % 6], REPLID_A, v, v);
        m.u.heartbeat.wall_clock_ms = ~v;
        roundtrip(&m);

        set_hdr(&m, RKB_MSG_SNAPSHOT_BEGIN, 0, RKB_MSG_DB_NONE, REPLID_A,
                v, v);
        m.u.snap_begin.sync_id = v;
        m.u.snap_begin.wall_clock_ms = ~v;
        m.u.snap_begin.framing = RKB_MSG_FRAMING_DISK;
        m.u.snap_begin.expected_size = v == UINT64_MAX ? 0 : v;
        roundtrip(&m);

        set_hdr(&m, RKB_MSG_SNAPSHOT_CHUNK, 0, RKB_MSG_DB_NONE, REPLID_A,
                v, v);
        m.u.snap_chunk.sync_id = ~v;
        m.u.snap_chunk.rdb_pos = v == UINT64_MAX ? v - 1 : v;
        m.u.snap_chunk.data = one;
        m.u.snap_chunk.len = 1;
        roundtrip(&m);

        set_hdr(&m, RKB_MSG_SNAPSHOT_END, 0, RKB_MSG_DB_NONE, REPLID_A, v,
                v);
        m.u.snap_end.sync_id = v;
        m.u.snap_end.rdb_size = v;
        m.u.snap_end.crc64 = ~v;
        m.u.snap_end.chunk_count = v ? 1 : 0;
        roundtrip(&m);

        set_hdr(&m, RKB_MSG_RESYNC, 0, RKB_MSG_DB_NONE, REPLID_A, v, v);
        m.u.resync.sync_id = v;
        m.u.resync.partition = (int32_t)(v & 0x7fffffff);
        m.u.resync.begin_offset = (int64_t)(v >> 2);
        m.u.resync.end_offset = (int64_t)(v >> 1) | 1;
        roundtrip(&m);
    }
}

/* ----------------------------------------------------------------------------
 * CRC-64
 * ------------------------------------------------------------------------- */

/* The definition, one bit at a time, to check the sliced tables against. */
static uint64_t crc64_bitwise(uint64_t crc, const unsigned char *p,
                              size_t n) {
    const uint64_t rpoly = UINT64_C(0x95ac9329ac4bc9b5);
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ ((crc & 1) ? rpoly : 0);
        }
    }
    return crc;
}

static void test_crc64_check_value(void **state) {
    (void)state;
    assert_true(rkb_crc64(0, "123456789", 9) ==
                UINT64_C(0xe9c6d914c4b8d9ca));
    assert_true(rkb_crc64(0, "", 0) == 0);
    assert_true(rkb_crc64(UINT64_C(0x1234), "", 0) == UINT64_C(0x1234));
    /* The reflected polynomial is the bit-reversed Jones polynomial. */
    {
        uint64_t p = UINT64_C(0xad93d23594c935a9), r = 0;
        int i;

        for (i = 0; i < 64; i++) {
            r |= ((p >> i) & 1) << (63 - i);
        }
        assert_true(r == UINT64_C(0x95ac9329ac4bc9b5));
    }
}

/* Every entry of every slice table: one 8-byte block with a single nonzero
 * byte selects exactly one entry of one table. */
static void test_crc64_tables(void **state) {
    unsigned char block[8];
    int pos, v;

    (void)state;
    for (pos = 0; pos < 8; pos++) {
        for (v = 0; v < 256; v++) {
            memset(block, 0, sizeof(block));
            block[pos] = (unsigned char)v;
            if (rkb_crc64(0, block, 8) != crc64_bitwise(0, block, 8)) {
                fail_msg("slice table %d entry %d is wrong", 7 - pos, v);
            }
        }
    }
}

/* Any length, any alignment, any split of the input. */
static void test_crc64_random(void **state) {
    enum { N = 4096 };
    unsigned char *buf = malloc(N + 8);
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15), want, got;
    size_t i, len, off, cut;

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < N + 8; i++) {
        /* xorshift64: deterministic, so failures reproduce. */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
    for (len = 0; len <= 80; len++) {
        for (off = 0; off < 8; off++) {
            want = crc64_bitwise(UINT64_C(0xdeadbeef), buf + off, len);
            got = rkb_crc64(UINT64_C(0xdeadbeef), buf + off, len);
            assert_true(want == got);
            for (cut = 0; cut <= len; cut++) {
                got = rkb_crc64(rkb_crc64(UINT64_C(0xdeadbeef), buf + off,
                                          cut),
                                buf + off + cut, len - cut);
                assert_true(want == got);
            }
        }
    }
    assert_true(rkb_crc64(0, buf, N) == crc64_bitwise(0, buf, N));
    free(buf);
}

/* ----------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------- */

#define VECTOR_TEST(n) {"vector_" #n, test_vector, NULL, NULL, &vec_##n}

int main(void) {
    const struct CMUnitTest tests[] = {
        VECTOR_TEST(stream_frame),
        VECTOR_TEST(stream_frame_continued),
        VECTOR_TEST(stream_frame_binary),
        VECTOR_TEST(heartbeat),
        VECTOR_TEST(heartbeat_db_none),
        VECTOR_TEST(snapshot_begin),
        VECTOR_TEST(snapshot_begin_eof),
        VECTOR_TEST(snapshot_chunk),
        VECTOR_TEST(snapshot_chunk_2),
        VECTOR_TEST(snapshot_end),
        VECTOR_TEST(resync),
        VECTOR_TEST(replid_change),
        cmocka_unit_test(test_vectors_snapshot_story),
        cmocka_unit_test(test_truncated_every_length),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_reserved_byte),
        cmocka_unit_test(test_replid_not_hex),
        cmocka_unit_test(test_frame_body_mismatch),
        cmocka_unit_test(test_start_ne_end),
        cmocka_unit_test(test_body_size),
        cmocka_unit_test(test_db_rules),
        cmocka_unit_test(test_snapshot_begin_rules),
        cmocka_unit_test(test_snapshot_chunk_rules),
        cmocka_unit_test(test_snapshot_end_rules),
        cmocka_unit_test(test_resync_rules),
        cmocka_unit_test(test_replid_change_same),
        cmocka_unit_test(test_errstr_handling),
        cmocka_unit_test(test_type2str),
        cmocka_unit_test(test_roundtrip_extremes),
        cmocka_unit_test(test_crc64_check_value),
        cmocka_unit_test(test_crc64_tables),
        cmocka_unit_test(test_crc64_random),
    };

    init_payloads();
    return cmocka_run_group_tests_name("rkb_msg", tests, NULL, NULL);
}
