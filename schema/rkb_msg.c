#define _POSIX_C_SOURCE 200809L
/* rkb_msg.c -- codec for rkbridge record format v1.
 *
 * FORMAT.md is the authority; this file follows its section on decoder
 * checks one by one, in the same order, so a reader of both can tick them
 * off. Every multi-byte integer is assembled byte by byte, which makes the
 * code independent of host endianness and of buffer alignment. */
#include "rkb_msg.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define RKB_MSG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RKB_MSG_PRINTF(f, a)
#endif

/* Header field offsets. */
#define OFF_MAGIC 0
#define OFF_VERSION 2
#define OFF_TYPE 3
#define OFF_FLAGS 4
#define OFF_RESERVED 5
#define OFF_DB 6
#define OFF_REPLID 8
#define OFF_START 48
#define OFF_END 56

#define MAGIC0 0x52 /* 'R' */
#define MAGIC1 0x4B /* 'K' */

/* Body sizes. A chunk's is the fixed part before the RDB bytes. */
#define BODY_HEARTBEAT 8
#define BODY_SNAP_BEGIN 25
#define BODY_SNAP_CHUNK 16
#define BODY_SNAP_END 32
#define BODY_RESYNC 28
#define BODY_REPLID_CHANGE RKB_MSG_REPLID_LEN

#define TYPE_MAX RKB_MSG_REPLID_CHANGE

/* ----------------------------------------------------------------------------
 * Big-endian helpers
 * ------------------------------------------------------------------------- */

static void put_u16(unsigned char *p, uint16_t v) {
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_u64(unsigned char *p, uint64_t v) {
    put_u32(p, (uint32_t)(v >> 32));
    put_u32(p + 4, (uint32_t)v);
}

static uint16_t get_u16(const unsigned char *p) {
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t get_u64(const unsigned char *p) {
    return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

/* Two's complement reinterpretation without the implementation-defined
 * conversion of an out-of-range unsigned value to a signed type. */
static int32_t u32_to_i32(uint32_t u) {
    if (u <= INT32_MAX) {
        return (int32_t)u;
    }
    return -(int32_t)(UINT32_MAX - u) - 1;
}

static int64_t u64_to_i64(uint64_t u) {
    if (u <= INT64_MAX) {
        return (int64_t)u;
    }
    return -(int64_t)(UINT64_MAX - u) - 1;
}

/* ----------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------- */

const char *rkb_msg_type2str(rkb_msg_type_t type) {
    switch (type) {
    case RKB_MSG_STREAM_FRAME: return "frame";
    case RKB_MSG_HEARTBEAT: return "heartbeat";
    case RKB_MSG_SNAPSHOT_BEGIN: return "snapshot-begin";
    case RKB_MSG_SNAPSHOT_CHUNK: return "snapshot-chunk";
    case RKB_MSG_SNAPSHOT_END: return "snapshot-end";
    case RKB_MSG_RESYNC: return "resync";
    case RKB_MSG_REPLID_CHANGE: return "replid-change";
    }
    return "unknown";
}

/* ----------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------- */

/* Body size of a record of type t; for frames and chunks without the
 * variable part. 0 for a type v1 does not define. */
static size_t fixed_body_size(int t) {
    switch (t) {
    case RKB_MSG_STREAM_FRAME: return 0;
    case RKB_MSG_HEARTBEAT: return BODY_HEARTBEAT;
    case RKB_MSG_SNAPSHOT_BEGIN: return BODY_SNAP_BEGIN;
    case RKB_MSG_SNAPSHOT_CHUNK: return BODY_SNAP_CHUNK;
    case RKB_MSG_SNAPSHOT_END: return BODY_SNAP_END;
    case RKB_MSG_RESYNC: return BODY_RESYNC;
    case RKB_MSG_REPLID_CHANGE: return BODY_REPLID_CHANGE;
    }
    return 0;
}

size_t rkb_msg_encoded_size(const rkb_msg_t *m) {
    size_t n = RKB_MSG_HDR_SIZE + fixed_body_size((int)m->type);

    if (m->type == RKB_MSG_STREAM_FRAME) {
        n += m->u.frame.len;
    } else if (m->type == RKB_MSG_SNAPSHOT_CHUNK) {
        n += m->u.snap_chunk.len;
    }
    return n;
}

size_t rkb_msg_encode(const rkb_msg_t *m, char *out) {
    unsigned char *p = (unsigned char *)out;
    unsigned char *b = p + RKB_MSG_HDR_SIZE;

    p[OFF_MAGIC] = MAGIC0;
    p[OFF_MAGIC + 1] = MAGIC1;
    p[OFF_VERSION] = RKB_MSG_VERSION;
    p[OFF_TYPE] = (unsigned char)m->type;
    p[OFF_FLAGS] = m->flags;
    p[OFF_RESERVED] = 0;
    put_u16(p + OFF_DB, m->db);
    memcpy(p + OFF_REPLID, m->replid, RKB_MSG_REPLID_LEN);
    put_u64(p + OFF_START, m->start_offset);
    put_u64(p + OFF_END, m->end_offset);

    switch (m->type) {
    case RKB_MSG_STREAM_FRAME:
        /* len 0 is invalid anyway, but memcpy wants a non-NULL source
         * even then, and an invalid m must not crash the encoder. */
        if (m->u.frame.len) {
            memcpy(b, m->u.frame.data, m->u.frame.len);
        }
        break;
    case RKB_MSG_HEARTBEAT:
        put_u64(b, m->u.heartbeat.wall_clock_ms);
        break;
    case RKB_MSG_SNAPSHOT_BEGIN:
        put_u64(b, m->u.snap_begin.sync_id);
        put_u64(b + 8, m->u.snap_begin.wall_clock_ms);
        b[16] = m->u.snap_begin.framing;
        put_u64(b + 17, m->u.snap_begin.expected_size);
        break;
    case RKB_MSG_SNAPSHOT_CHUNK:
        put_u64(b, m->u.snap_chunk.sync_id);
        put_u64(b + 8, m->u.snap_chunk.rdb_pos);
        if (m->u.snap_chunk.len) {
            memcpy(b + BODY_SNAP_CHUNK, m->u.snap_chunk.data,
                   m->u.snap_chunk.len);
        }
        break;
    case RKB_MSG_SNAPSHOT_END:
        put_u64(b, m->u.snap_end.sync_id);
        put_u64(b + 8, m->u.snap_end.rdb_size);
        put_u64(b + 16, m->u.snap_end.crc64);
        put_u64(b + 24, m->u.snap_end.chunk_count);
        break;
    case RKB_MSG_RESYNC:
        put_u64(b, m->u.resync.sync_id);
        put_u32(b + 8, (uint32_t)m->u.resync.partition);
        put_u64(b + 12, (uint64_t)m->u.resync.begin_offset);
        put_u64(b + 20, (uint64_t)m->u.resync.end_offset);
        break;
    case RKB_MSG_REPLID_CHANGE:
        memcpy(b, m->u.replid_change.old_replid, RKB_MSG_REPLID_LEN);
        break;
    }
    return rkb_msg_encoded_size(m);
}

/* ----------------------------------------------------------------------------
 * Decoding
 * ------------------------------------------------------------------------- */

/* Clears *m so a failed decode never leaves a half-filled record that a
 * careless caller could act on, and formats the reason. */
static rkb_msg_err_t fail(rkb_msg_t *m, char *errstr, size_t errstr_size,
                          rkb_msg_err_t err, const char *fmt, ...)
    RKB_MSG_PRINTF(5, 6);

static rkb_msg_err_t fail(rkb_msg_t *m, char *errstr, size_t errstr_size,
                          rkb_msg_err_t err, const char *fmt, ...) {
    va_list ap;

    memset(m, 0, sizeof(*m));
    if (errstr != NULL && errstr_size > 0) {
        va_start(ap, fmt);
        vsnprintf(errstr, errstr_size, fmt, ap);
        va_end(ap);
    }
    return err;
}

/* @returns the index of the first byte of s[0..n) that is not a lowercase
 * hex digit, or n. Uppercase is rejected so that every replid has exactly
 * one spelling and readers can compare them with memcmp. */
static size_t hex_span(const unsigned char *s, size_t n) {
    size_t i;

    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            break;
        }
    }
    return i;
}

/* Fixed-size bodies: short is truncation, long is corruption, because a
 * record that was cut can only have lost bytes. */
#define CHECK_BODY(want)                                                      \
    do {                                                                      \
        if (blen != (want)) {                                                 \
            return fail(m, errstr, errstr_size,                               \
                        blen < (want) ? RKB_MSG_ETRUNCATED                    \
                                      : RKB_MSG_ECORRUPT,                     \
                        "%s body is %zu bytes, expected %d", name, blen,      \
                        (int)(want));                                         \
        }                                                                     \
    } while (0)

rkb_msg_err_t rkb_msg_decode(const char *buf, size_t len, rkb_msg_t *m,
                             char *errstr, size_t errstr_size) {
    const unsigned char *p = (const unsigned char *)buf;
    const unsigned char *b;
    size_t blen, bad;
    unsigned type, flags;
    uint16_t db;
    uint64_t start, end;
    const char *name;

    memset(m, 0, sizeof(*m));
    if (errstr != NULL && errstr_size > 0) {
        errstr[0] = '\0';
    }

    /* Identify before measuring: a short value that is not ours at all, or
     * is from a newer producer, is reported as that rather than as a
     * truncated record, which would send the operator the wrong way. */
    if ((len >= 1 && p[0] != MAGIC0) || (len >= 2 && p[1] != MAGIC1)) {
        if (len == 1) {
            return fail(m, errstr, errstr_size, RKB_MSG_EMAGIC,
                        "not an rkbridge record (first byte 0x%02x, "
                        "expected 0x52)", p[0]);
        }
        return fail(m, errstr, errstr_size, RKB_MSG_EMAGIC,
                    "not an rkbridge record (magic 0x%02x%02x, expected "
                    "0x524b \"RK\")", p[0], p[1]);
    }
    if (len > OFF_VERSION && p[OFF_VERSION] != RKB_MSG_VERSION) {
        return fail(m, errstr, errstr_size, RKB_MSG_EVERSION,
                    "record version %u is not supported (this reader "
                    "knows %d)", (unsigned)p[OFF_VERSION], RKB_MSG_VERSION);
    }
    if (len > OFF_TYPE &&
        (p[OFF_TYPE] < RKB_MSG_STREAM_FRAME || p[OFF_TYPE] > TYPE_MAX)) {
        return fail(m, errstr, errstr_size, RKB_MSG_ETYPE,
                    "record type %u is not defined in version %d",
                    (unsigned)p[OFF_TYPE], RKB_MSG_VERSION);
    }
    if (len < RKB_MSG_HDR_SIZE) {
        return fail(m, errstr, errstr_size, RKB_MSG_ETRUNCATED,
                    "record is %zu bytes, shorter than the %d-byte header",
                    len, RKB_MSG_HDR_SIZE);
    }

    type = p[OFF_TYPE];
    name = rkb_msg_type2str((rkb_msg_type_t)type);
    flags = p[OFF_FLAGS];
    db = get_u16(p + OFF_DB);
    start = get_u64(p + OFF_START);
    end = get_u64(p + OFF_END);
    b = p + RKB_MSG_HDR_SIZE;
    blen = len - RKB_MSG_HDR_SIZE;

    if (type == RKB_MSG_STREAM_FRAME) {
        if (flags & ~(unsigned)RKB_MSG_F_CONTINUED) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "frame has flags 0x%02x, only 0x%02x is defined",
                        flags, RKB_MSG_F_CONTINUED);
        }
    } else if (flags != 0) {
        return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                    "%s record has flags 0x%02x, must be 0", name, flags);
    }
    if (p[OFF_RESERVED] != 0) {
        return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                    "reserved header byte is 0x%02x, must be 0",
                    (unsigned)p[OFF_RESERVED]);
    }
    bad = hex_span(p + OFF_REPLID, RKB_MSG_REPLID_LEN);
    if (bad != RKB_MSG_REPLID_LEN) {
        return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                    "replid byte %zu is 0x%02x, not a lowercase hex digit",
                    bad, (unsigned)p[OFF_REPLID + bad]);
    }

    if (type == RKB_MSG_STREAM_FRAME) {
        if (end < start) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "frame end offset %" PRIu64 " is before its start "
                        "offset %" PRIu64, end, start);
        }
        /* Compare in uint64_t: the span may not fit a 32-bit size_t. */
        if ((uint64_t)blen != end - start) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "stream frame body is %zu bytes but offsets "
                        "span %" PRIu64, blen, end - start);
        }
        if (blen == 0) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "stream frame at offset %" PRIu64 " is empty",
                        start);
        }
    } else {
        if (start != end) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "%s record has start offset %" PRIu64 " but end "
                        "offset %" PRIu64 ", must be equal", name, start,
                        end);
        }
        if (type != RKB_MSG_HEARTBEAT && db != RKB_MSG_DB_NONE) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "%s record has db %u, must be %u (none)", name,
                        (unsigned)db, (unsigned)RKB_MSG_DB_NONE);
        }
    }

    switch (type) {
    case RKB_MSG_STREAM_FRAME:
        m->u.frame.data = (const char *)b;
        m->u.frame.len = blen;
        break;

    case RKB_MSG_HEARTBEAT:
        CHECK_BODY(BODY_HEARTBEAT);
        m->u.heartbeat.wall_clock_ms = get_u64(b);
        break;

    case RKB_MSG_SNAPSHOT_BEGIN: {
        uint64_t expected;
        unsigned framing;

        CHECK_BODY(BODY_SNAP_BEGIN);
        framing = b[16];
        expected = get_u64(b + 17);
        if (framing != RKB_MSG_FRAMING_DISK &&
            framing != RKB_MSG_FRAMING_EOF) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-begin framing is %u, must be %d (disk) or "
                        "%d (diskless)", framing, RKB_MSG_FRAMING_DISK,
                        RKB_MSG_FRAMING_EOF);
        }
        /* "$<len>" always states the size and "$EOF:" never does, so the
         * two fields must agree. */
        if (framing == RKB_MSG_FRAMING_EOF && expected != UINT64_MAX) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-begin has diskless framing but expected "
                        "size %" PRIu64 ", must be unknown (2^64-1)",
                        expected);
        }
        if (framing == RKB_MSG_FRAMING_DISK && expected == UINT64_MAX) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-begin has disk framing but unknown "
                        "expected size");
        }
        m->u.snap_begin.sync_id = get_u64(b);
        m->u.snap_begin.wall_clock_ms = get_u64(b + 8);
        m->u.snap_begin.framing = (uint8_t)framing;
        m->u.snap_begin.expected_size = expected;
        break;
    }

    case RKB_MSG_SNAPSHOT_CHUNK: {
        uint64_t pos;
        size_t dlen;

        if (blen < BODY_SNAP_CHUNK) {
            return fail(m, errstr, errstr_size, RKB_MSG_ETRUNCATED,
                        "snapshot-chunk body is %zu bytes, shorter than its "
                        "%d-byte fixed part", blen, BODY_SNAP_CHUNK);
        }
        dlen = blen - BODY_SNAP_CHUNK;
        pos = get_u64(b + 8);
        if (dlen == 0) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-chunk at RDB position %" PRIu64 " has no "
                        "RDB bytes", pos);
        }
        if ((uint64_t)dlen > UINT64_MAX - pos) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-chunk of %zu bytes at RDB position "
                        "%" PRIu64 " ends past 2^64", dlen, pos);
        }
        m->u.snap_chunk.sync_id = get_u64(b);
        m->u.snap_chunk.rdb_pos = pos;
        m->u.snap_chunk.data = (const char *)(b + BODY_SNAP_CHUNK);
        m->u.snap_chunk.len = dlen;
        break;
    }

    case RKB_MSG_SNAPSHOT_END: {
        uint64_t size, count;

        CHECK_BODY(BODY_SNAP_END);
        size = get_u64(b + 8);
        count = get_u64(b + 24);
        /* Every chunk holds at least one byte, and bytes need a chunk. */
        if (count > size || (count == 0 && size != 0)) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "snapshot-end counts %" PRIu64 " chunks for "
                        "%" PRIu64 " RDB bytes", count, size);
        }
        m->u.snap_end.sync_id = get_u64(b);
        m->u.snap_end.rdb_size = size;
        m->u.snap_end.crc64 = get_u64(b + 16);
        m->u.snap_end.chunk_count = count;
        break;
    }

    case RKB_MSG_RESYNC: {
        int32_t part;
        int64_t kbegin, kend;

        CHECK_BODY(BODY_RESYNC);
        part = u32_to_i32(get_u32(b + 8));
        kbegin = u64_to_i64(get_u64(b + 12));
        kend = u64_to_i64(get_u64(b + 20));
        if (part < 0) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "resync snapshot partition is %" PRId32
                        ", must not be negative", part);
        }
        /* END is produced after BEGIN into the same partition. */
        if (kbegin < 0 || kend <= kbegin) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "resync snapshot offsets %" PRId64 "..%" PRId64
                        " are not 0 <= begin < end", kbegin, kend);
        }
        m->u.resync.sync_id = get_u64(b);
        m->u.resync.partition = part;
        m->u.resync.begin_offset = kbegin;
        m->u.resync.end_offset = kend;
        break;
    }

    case RKB_MSG_REPLID_CHANGE:
        CHECK_BODY(BODY_REPLID_CHANGE);
        bad = hex_span(b, RKB_MSG_REPLID_LEN);
        if (bad != RKB_MSG_REPLID_LEN) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "old replid byte %zu is 0x%02x, not a lowercase hex "
                        "digit", bad, (unsigned)b[bad]);
        }
        if (memcmp(b, p + OFF_REPLID, RKB_MSG_REPLID_LEN) == 0) {
            return fail(m, errstr, errstr_size, RKB_MSG_ECORRUPT,
                        "replid-change has the same old and new replid");
        }
        memcpy(m->u.replid_change.old_replid, b, RKB_MSG_REPLID_LEN);
        m->u.replid_change.old_replid[RKB_MSG_REPLID_LEN] = '\0';
        break;
    }

    m->type = (rkb_msg_type_t)type;
    m->flags = (uint8_t)flags;
    m->db = db;
    memcpy(m->replid, p + OFF_REPLID, RKB_MSG_REPLID_LEN);
    m->replid[RKB_MSG_REPLID_LEN] = '\0';
    m->start_offset = start;
    m->end_offset = end;
    return RKB_MSG_OK;
}

/* ----------------------------------------------------------------------------
 * CRC-64/Jones
 *
 * Reflected, polynomial 0xad93d23594c935a9 (0x95ac9329ac4bc9b5 reversed),
 * init 0, no final xor: the CRC Redis uses for RDB files. It runs over whole
 * RDBs, so it is sliced by 8: crc64_tab[k][n] is the CRC register after byte
 * n is followed by k zero bytes, which lets one step fold in 8 input bytes
 * with 8 independent lookups. Row 0 is the classic byte table; row k is row
 * k-1 pushed through one more zero byte. The table is constant so there is
 * no lazy initialisation to race on; it was generated from that definition
 * and test_rkb_msg checks it against a bit-at-a-time CRC.
 * ------------------------------------------------------------------------- */

static const uint64_t crc64_tab[8][256] = {
    {
        0x0000000000000000ULL, 0x7ad870c830358979ULL, 0xf5b0e190606b12f2ULL,
        0x8f689158505e9b8bULL, 0xc038e5739841b68fULL, 0xbae095bba8743ff6ULL,
        0x358804e3f82aa47dULL, 0x4f50742bc81f2d04ULL, 0xab28ecb46814fe75ULL,
        0xd1f09c7c5821770cULL, 0x5e980d24087fec87ULL, 0x24407dec384a65feULL,
        0x6b1009c7f05548faULL, 0x11c8790fc060c183ULL, 0x9ea0e857903e5a08ULL,
        0xe478989fa00bd371ULL, 0x7d08ff3b88be6f81ULL, 0x07d08ff3b88be6f8ULL,
        0x88b81eabe8d57d73ULL, 0xf2606e63d8e0f40aULL, 0xbd301a4810ffd90eULL,
        0xc7e86a8020ca5077ULL, 0x4880fbd87094cbfcULL, 0x32588b1040a14285ULL,
        0xd620138fe0aa91f4ULL, 0xacf86347d09f188dULL, 0x2390f21f80c18306ULL,
        0x594882d7b0f40a7fULL, 0x1618f6fc78eb277bULL, 0x6cc0863448deae02ULL,
        0xe3a8176c18803589ULL, 0x997067a428b5bcf0ULL, 0xfa11fe77117cdf02ULL,
        0x80c98ebf2149567bULL, 0x0fa11fe77117cdf0ULL, 0x75796f2f41224489ULL,
        0x3a291b04893d698dULL, 0x40f16bccb908e0f4ULL, 0xcf99fa94e9567b7fULL,
        0xb5418a5cd963f206ULL, 0x513912c379682177ULL, 0x2be1620b495da80eULL,
        0xa489f35319033385ULL, 0xde51839b2936bafcULL, 0x9101f7b0e12997f8ULL,
        0xebd98778d11c1e81ULL, 0x64b116208142850aULL, 0x1e6966e8b1770c73ULL,
        0x8719014c99c2b083ULL, 0xfdc17184a9f739faULL, 0x72a9e0dcf9a9a271ULL,
        0x08719014c99c2b08ULL, 0x4721e43f0183060cULL, 0x3df994f731b68f75ULL,
        0xb29105af61e814feULL, 0xc849756751dd9d87ULL, 0x2c31edf8f1d64ef6ULL,
        0x56e99d30c1e3c78fULL, 0xd9810c6891bd5c04ULL, 0xa3597ca0a188d57dULL,
        0xec09088b6997f879ULL, 0x96d1784359a27100ULL, 0x19b9e91b09fcea8bULL,
        0x636199d339c963f2ULL, 0xdf7adabd7a6e2d6fULL, 0xa5a2aa754a5ba416ULL,
        0x2aca3b2d1a053f9dULL, 0x50124be52a30b6e4ULL, 0x1f423fcee22f9be0ULL,
        0x659a4f06d21a1299ULL, 0xeaf2de5e82448912ULL, 0x902aae96b271006bULL,
        0x74523609127ad31aULL, 0x0e8a46c1224f5a63ULL, 0x81e2d7997211c1e8ULL,
        0xfb3aa75142244891ULL, 0xb46ad37a8a3b6595ULL, 0xceb2a3b2ba0eececULL,
        0x41da32eaea507767ULL, 0x3b024222da65fe1eULL, 0xa2722586f2d042eeULL,
        0xd8aa554ec2e5cb97ULL, 0x57c2c41692bb501cULL, 0x2d1ab4dea28ed965ULL,
        0x624ac0f56a91f461ULL, 0x1892b03d5aa47d18ULL, 0x97fa21650afae693ULL,
        0xed2251ad3acf6feaULL, 0x095ac9329ac4bc9bULL, 0x7382b9faaaf135e2ULL,
        0xfcea28a2faafae69ULL, 0x8632586aca9a2710ULL, 0xc9622c4102850a14ULL,
        0xb3ba5c8932b0836dULL, 0x3cd2cdd162ee18e6ULL, 0x460abd1952db919fULL,
        0x256b24ca6b12f26dULL, 0x5fb354025b277b14ULL, 0xd0dbc55a0b79e09fULL,
        0xaa03b5923b4c69e6ULL, 0xe553c1b9f35344e2ULL, 0x9f8bb171c366cd9bULL,
        0x10e3202993385610ULL, 0x6a3b50e1a30ddf69ULL, 0x8e43c87e03060c18ULL,
        0xf49bb8b633338561ULL, 0x7bf329ee636d1eeaULL, 0x012b592653589793ULL,
        0x4e7b2d0d9b47ba97ULL, 0x34a35dc5ab7233eeULL, 0xbbcbcc9dfb2ca865ULL,
        0xc113bc55cb19211cULL, 0x5863dbf1e3ac9decULL, 0x22bbab39d3991495ULL,
        0xadd33a6183c78f1eULL, 0xd70b4aa9b3f20667ULL, 0x985b3e827bed2b63ULL,
        0xe2834e4a4bd8a21aULL, 0x6debdf121b863991ULL, 0x1733afda2bb3b0e8ULL,
        0xf34b37458bb86399ULL, 0x8993478dbb8deae0ULL, 0x06fbd6d5ebd3716bULL,
        0x7c23a61ddbe6f812ULL, 0x3373d23613f9d516ULL, 0x49aba2fe23cc5c6fULL,
        0xc6c333a67392c7e4ULL, 0xbc1b436e43a74e9dULL, 0x95ac9329ac4bc9b5ULL,
        0xef74e3e19c7e40ccULL, 0x601c72b9cc20db47ULL, 0x1ac40271fc15523eULL,
        0x5594765a340a7f3aULL, 0x2f4c0692043ff643ULL, 0xa02497ca54616dc8ULL,
        0xdafce7026454e4b1ULL, 0x3e847f9dc45f37c0ULL, 0x445c0f55f46abeb9ULL,
        0xcb349e0da4342532ULL, 0xb1eceec59401ac4bULL, 0xfebc9aee5c1e814fULL,
        0x8464ea266c2b0836ULL, 0x0b0c7b7e3c7593bdULL, 0x71d40bb60c401ac4ULL,
        0xe8a46c1224f5a634ULL, 0x927c1cda14c02f4dULL, 0x1d148d82449eb4c6ULL,
        0x67ccfd4a74ab3dbfULL, 0x289c8961bcb410bbULL, 0x5244f9a98c8199c2ULL,
        0xdd2c68f1dcdf0249ULL, 0xa7f41839ecea8b30ULL, 0x438c80a64ce15841ULL,
        0x3954f06e7cd4d138ULL, 0xb63c61362c8a4ab3ULL, 0xcce411fe1cbfc3caULL,
        0x83b465d5d4a0eeceULL, 0xf96c151de49567b7ULL, 0x76048445b4cbfc3cULL,
        0x0cdcf48d84fe7545ULL, 0x6fbd6d5ebd3716b7ULL, 0x15651d968d029fceULL,
        0x9a0d8ccedd5c0445ULL, 0xe0d5fc06ed698d3cULL, 0xaf85882d2576a038ULL,
        0xd55df8e515432941ULL, 0x5a3569bd451db2caULL, 0x20ed197575283bb3ULL,
        0xc49581ead523e8c2ULL, 0xbe4df122e51661bbULL, 0x3125607ab548fa30ULL,
        0x4bfd10b2857d7349ULL, 0x04ad64994d625e4dULL, 0x7e7514517d57d734ULL,
        0xf11d85092d094cbfULL, 0x8bc5f5c11d3cc5c6ULL, 0x12b5926535897936ULL,
        0x686de2ad05bcf04fULL, 0xe70573f555e26bc4ULL, 0x9ddd033d65d7e2bdULL,
        0xd28d7716adc8cfb9ULL, 0xa85507de9dfd46c0ULL, 0x273d9686cda3dd4bULL,
        0x5de5e64efd965432ULL, 0xb99d7ed15d9d8743ULL, 0xc3450e196da80e3aULL,
        0x4c2d9f413df695b1ULL, 0x36f5ef890dc31cc8ULL, 0x79a59ba2c5dc31ccULL,
        0x037deb6af5e9b8b5ULL, 0x8c157a32a5b7233eULL, 0xf6cd0afa9582aa47ULL,
        0x4ad64994d625e4daULL, 0x300e395ce6106da3ULL, 0xbf66a804b64ef628ULL,
        0xc5bed8cc867b7f51ULL, 0x8aeeace74e645255ULL, 0xf036dc2f7e51db2cULL,
        0x7f5e4d772e0f40a7ULL, 0x05863dbf1e3ac9deULL, 0xe1fea520be311aafULL,
        0x9b26d5e88e0493d6ULL, 0x144e44b0de5a085dULL, 0x6e963478ee6f8124ULL,
        0x21c640532670ac20ULL, 0x5b1e309b16452559ULL, 0xd476a1c3461bbed2ULL,
        0xaeaed10b762e37abULL, 0x37deb6af5e9b8b5bULL, 0x4d06c6676eae0222ULL,
        0xc26e573f3ef099a9ULL, 0xb8b627f70ec510d0ULL, 0xf7e653dcc6da3dd4ULL,
        0x8d3e2314f6efb4adULL, 0x0256b24ca6b12f26ULL, 0x788ec2849684a65fULL,
        0x9cf65a1b368f752eULL, 0xe62e2ad306bafc57ULL, 0x6946bb8b56e467dcULL,
        0x139ecb4366d1eea5ULL, 0x5ccebf68aecec3a1ULL, 0x2616cfa09efb4ad8ULL,
        0xa97e5ef8cea5d153ULL, 0xd3a62e30fe90582aULL, 0xb0c7b7e3c7593bd8ULL,
        0xca1fc72bf76cb2a1ULL, 0x45775673a732292aULL, 0x3faf26bb9707a053ULL,
        0x70ff52905f188d57ULL, 0x0a2722586f2d042eULL, 0x854fb3003f739fa5ULL,
        0xff97c3c80f4616dcULL, 0x1bef5b57af4dc5adULL, 0x61372b9f9f784cd4ULL,
        0xee5fbac7cf26d75fULL, 0x9487ca0fff135e26ULL, 0xdbd7be24370c7322ULL,
        0xa10fceec0739fa5bULL, 0x2e675fb4576761d0ULL, 0x54bf2f7c6752e8a9ULL,
        0xcdcf48d84fe75459ULL, 0xb71738107fd2dd20ULL, 0x387fa9482f8c46abULL,
        0x42a7d9801fb9cfd2ULL, 0x0df7adabd7a6e2d6ULL, 0x772fdd63e7936bafULL,
        0xf8474c3bb7cdf024ULL, 0x829f3cf387f8795dULL, 0x66e7a46c27f3aa2cULL,
        0x1c3fd4a417c62355ULL, 0x935745fc4798b8deULL, 0xe98f353477ad31a7ULL,
        0xa6df411fbfb21ca3ULL, 0xdc0731d78f8795daULL, 0x536fa08fdfd90e51ULL,
        0x29b7d047efec8728ULL,
    },
    {
        0x0000000000000000ULL, 0x89e99ffd73bddf69ULL, 0x388a19a9bfec2db9ULL,
        0xb1638654cc51f2d0ULL, 0x711433537fd85b72ULL, 0xf8fdacae0c65841bULL,
        0x499e2afac03476cbULL, 0xc077b507b389a9a2ULL, 0xe22866a6ffb0b6e4ULL,
        0x6bc1f95b8c0d698dULL, 0xdaa27f0f405c9b5dULL, 0x534be0f233e14434ULL,
        0x933c55f58068ed96ULL, 0x1ad5ca08f3d532ffULL, 0xabb64c5c3f84c02fULL,
        0x225fd3a14c391f46ULL, 0xef09eb1ea7f6fea3ULL, 0x66e074e3d44b21caULL,
        0xd783f2b7181ad31aULL, 0x5e6a6d4a6ba70c73ULL, 0x9e1dd84dd82ea5d1ULL,
        0x17f447b0ab937ab8ULL, 0xa697c1e467c28868ULL, 0x2f7e5e19147f5701ULL,
        0x0d218db858464847ULL, 0x84c812452bfb972eULL, 0x35ab9411e7aa65feULL,
        0xbc420bec9417ba97ULL, 0x7c35beeb279e1335ULL, 0xf5dc21165423cc5cULL,
        0x44bfa74298723e8cULL, 0xcd5638bfebcfe1e5ULL, 0xf54af06e177a6e2dULL,
        0x7ca36f9364c7b144ULL, 0xcdc0e9c7a8964394ULL, 0x4429763adb2b9cfdULL,
        0x845ec33d68a2355fULL, 0x0db75cc01b1fea36ULL, 0xbcd4da94d74e18e6ULL,
        0x353d4569a4f3c78fULL, 0x176296c8e8cad8c9ULL, 0x9e8b09359b7707a0ULL,
        0x2fe88f615726f570ULL, 0xa601109c249b2a19ULL, 0x6676a59b971283bbULL,
        0xef9f3a66e4af5cd2ULL, 0x5efcbc3228feae02ULL, 0xd71523cf5b43716bULL,
        0x1a431b70b08c908eULL, 0x93aa848dc3314fe7ULL, 0x22c902d90f60bd37ULL,
        0xab209d247cdd625eULL, 0x6b572823cf54cbfcULL, 0xe2beb7debce91495ULL,
        0x53dd318a70b8e645ULL, 0xda34ae770305392cULL, 0xf86b7dd64f3c266aULL,
        0x7182e22b3c81f903ULL, 0xc0e1647ff0d00bd3ULL, 0x4908fb82836dd4baULL,
        0x897f4e8530e47d18ULL, 0x0096d1784359a271ULL, 0xb1f5572c8f0850a1ULL,
        0x381cc8d1fcb58fc8ULL, 0xc1ccc68f76634f31ULL, 0x4825597205de9058ULL,
        0xf946df26c98f6288ULL, 0x70af40dbba32bde1ULL, 0xb0d8f5dc09bb1443ULL,
        0x39316a217a06cb2aULL, 0x8852ec75b65739faULL, 0x01bb7388c5eae693ULL,
        0x23e4a02989d3f9d5ULL, 0xaa0d3fd4fa6e26bcULL, 0x1b6eb980363fd46cULL,
        0x9287267d45820b05ULL, 0x52f0937af60ba2a7ULL, 0xdb190c8785b67dceULL,
        0x6a7a8ad349e78f1eULL, 0xe393152e3a5a5077ULL, 0x2ec52d91d195b192ULL,
        0xa72cb26ca2286efbULL, 0x164f34386e799c2bULL, 0x9fa6abc51dc44342ULL,
        0x5fd11ec2ae4deae0ULL, 0xd638813fddf03589ULL, 0x675b076b11a1c759ULL,
        0xeeb29896621c1830ULL, 0xcced4b372e250776ULL, 0x4504d4ca5d98d81fULL,
        0xf467529e91c92acfULL, 0x7d8ecd63e274f5a6ULL, 0xbdf9786451fd5c04ULL,
        0x3410e7992240836dULL, 0x857361cdee1171bdULL, 0x0c9afe309dacaed4ULL,
        0x348636e16119211cULL, 0xbd6fa91c12a4fe75ULL, 0x0c0c2f48def50ca5ULL,
        0x85e5b0b5ad48d3ccULL, 0x459205b21ec17a6eULL, 0xcc7b9a4f6d7ca507ULL,
        0x7d181c1ba12d57d7ULL, 0xf4f183e6d29088beULL, 0xd6ae50479ea997f8ULL,
        0x5f47cfbaed144891ULL, 0xee2449ee2145ba41ULL, 0x67cdd61352f86528ULL,
        0xa7ba6314e171cc8aULL, 0x2e53fce992cc13e3ULL, 0x9f307abd5e9de133ULL,
        0x16d9e5402d203e5aULL, 0xdb8fddffc6efdfbfULL, 0x52664202b55200d6ULL,
        0xe305c4567903f206ULL, 0x6aec5bab0abe2d6fULL, 0xaa9beeacb93784cdULL,
        0x23727151ca8a5ba4ULL, 0x9211f70506dba974ULL, 0x1bf868f87566761dULL,
        0x39a7bb59395f695bULL, 0xb04e24a44ae2b632ULL, 0x012da2f086b344e2ULL,
        0x88c43d0df50e9b8bULL, 0x48b3880a46873229ULL, 0xc15a17f7353aed40ULL,
        0x703991a3f96b1f90ULL, 0xf9d00e5e8ad6c0f9ULL, 0xa8c0ab4db4510d09ULL,
        0x212934b0c7ecd260ULL, 0x904ab2e40bbd20b0ULL, 0x19a32d197800ffd9ULL,
        0xd9d4981ecb89567bULL, 0x503d07e3b8348912ULL, 0xe15e81b774657bc2ULL,
        0x68b71e4a07d8a4abULL, 0x4ae8cdeb4be1bbedULL, 0xc3015216385c6484ULL,
        0x7262d442f40d9654ULL, 0xfb8b4bbf87b0493dULL, 0x3bfcfeb83439e09fULL,
        0xb215614547843ff6ULL, 0x0376e7118bd5cd26ULL, 0x8a9f78ecf868124fULL,
        0x47c9405313a7f3aaULL, 0xce20dfae601a2cc3ULL, 0x7f4359faac4bde13ULL,
        0xf6aac607dff6017aULL, 0x36dd73006c7fa8d8ULL, 0xbf34ecfd1fc277b1ULL,
        0x0e576aa9d3938561ULL, 0x87bef554a02e5a08ULL, 0xa5e126f5ec17454eULL,
        0x2c08b9089faa9a27ULL, 0x9d6b3f5c53fb68f7ULL, 0x1482a0a12046b79eULL,
        0xd4f515a693cf1e3cULL, 0x5d1c8a5be072c155ULL, 0xec7f0c0f2c233385ULL,
        0x659693f25f9eececULL, 0x5d8a5b23a32b6324ULL, 0xd463c4ded096bc4dULL,
        0x6500428a1cc74e9dULL, 0xece9dd776f7a91f4ULL, 0x2c9e6870dcf33856ULL,
        0xa577f78daf4ee73fULL, 0x141471d9631f15efULL, 0x9dfdee2410a2ca86ULL,
        0xbfa23d855c9bd5c0ULL, 0x364ba2782f260aa9ULL, 0x8728242ce377f879ULL,
        0x0ec1bbd190ca2710ULL, 0xceb60ed623438eb2ULL, 0x475f912b50fe51dbULL,
        0xf63c177f9cafa30bULL, 0x7fd58882ef127c62ULL, 0xb283b03d04dd9d87ULL,
        0x3b6a2fc0776042eeULL, 0x8a09a994bb31b03eULL, 0x03e03669c88c6f57ULL,
        0xc397836e7b05c6f5ULL, 0x4a7e1c9308b8199cULL, 0xfb1d9ac7c4e9eb4cULL,
        0x72f4053ab7543425ULL, 0x50abd69bfb6d2b63ULL, 0xd942496688d0f40aULL,
        0x6821cf32448106daULL, 0xe1c850cf373cd9b3ULL, 0x21bfe5c884b57011ULL,
        0xa8567a35f708af78ULL, 0x1935fc613b595da8ULL, 0x90dc639c48e482c1ULL,
        0x690c6dc2c2324238ULL, 0xe0e5f23fb18f9d51ULL, 0x5186746b7dde6f81ULL,
        0xd86feb960e63b0e8ULL, 0x18185e91bdea194aULL, 0x91f1c16cce57c623ULL,
        0x20924738020634f3ULL, 0xa97bd8c571bbeb9aULL, 0x8b240b643d82f4dcULL,
        0x02cd94994e3f2bb5ULL, 0xb3ae12cd826ed965ULL, 0x3a478d30f1d3060cULL,
        0xfa303837425aafaeULL, 0x73d9a7ca31e770c7ULL, 0xc2ba219efdb68217ULL,
        0x4b53be638e0b5d7eULL, 0x860586dc65c4bc9bULL, 0x0fec1921167963f2ULL,
        0xbe8f9f75da289122ULL, 0x37660088a9954e4bULL, 0xf711b58f1a1ce7e9ULL,
        0x7ef82a7269a13880ULL, 0xcf9bac26a5f0ca50ULL, 0x467233dbd64d1539ULL,
        0x642de07a9a740a7fULL, 0xedc47f87e9c9d516ULL, 0x5ca7f9d3259827c6ULL,
        0xd54e662e5625f8afULL, 0x1539d329e5ac510dULL, 0x9cd04cd496118e64ULL,
        0x2db3ca805a407cb4ULL, 0xa45a557d29fda3ddULL, 0x9c469dacd5482c15ULL,
        0x15af0251a6f5f37cULL, 0xa4cc84056aa401acULL, 0x2d251bf81919dec5ULL,
        0xed52aeffaa907767ULL, 0x64bb3102d92da80eULL, 0xd5d8b756157c5adeULL,
        0x5c3128ab66c185b7ULL, 0x7e6efb0a2af89af1ULL, 0xf78764f759454598ULL,
        0x46e4e2a39514b748ULL, 0xcf0d7d5ee6a96821ULL, 0x0f7ac8595520c183ULL,
        0x869357a4269d1eeaULL, 0x37f0d1f0eaccec3aULL, 0xbe194e0d99713353ULL,
        0x734f76b272bed2b6ULL, 0xfaa6e94f01030ddfULL, 0x4bc56f1bcd52ff0fULL,
        0xc22cf0e6beef2066ULL, 0x025b45e10d6689c4ULL, 0x8bb2da1c7edb56adULL,
        0x3ad15c48b28aa47dULL, 0xb338c3b5c1377b14ULL, 0x916710148d0e6452ULL,
        0x188e8fe9feb3bb3bULL, 0xa9ed09bd32e249ebULL, 0x20049640415f9682ULL,
        0xe0732347f2d63f20ULL, 0x699abcba816be049ULL, 0xd8f93aee4d3a1299ULL,
        0x5110a5133e87cdf0ULL,
    },
    {
        0x0000000000000000ULL, 0xf4125129ce4038beULL, 0xc37d8400c417e217ULL,
        0x376fd5290a57daa9ULL, 0xada22e52d0b85745ULL, 0x59b07f7b1ef86ffbULL,
        0x6edfaa5214afb552ULL, 0x9acdfb7bdaef8decULL, 0x701d7af6f9e73de1ULL,
        0x840f2bdf37a7055fULL, 0xb360fef63df0dff6ULL, 0x4772afdff3b0e748ULL,
        0xddbf54a4295f6aa4ULL, 0x29ad058de71f521aULL, 0x1ec2d0a4ed4888b3ULL,
        0xead0818d2308b00dULL, 0xe03af5edf3ce7bc2ULL, 0x1428a4c43d8e437cULL,
        0x234771ed37d999d5ULL, 0xd75520c4f999a16bULL, 0x4d98dbbf23762c87ULL,
        0xb98a8a96ed361439ULL, 0x8ee55fbfe761ce90ULL, 0x7af70e962921f62eULL,
        0x90278f1b0a294623ULL, 0x6435de32c4697e9dULL, 0x535a0b1bce3ea434ULL,
        0xa7485a32007e9c8aULL, 0x3d85a149da911166ULL, 0xc997f06014d129d8ULL,
        0xfef825491e86f371ULL, 0x0aea7460d0c6cbcfULL, 0xeb2ccd88bf0b64efULL,
        0x1f3e9ca1714b5c51ULL, 0x285149887b1c86f8ULL, 0xdc4318a1b55cbe46ULL,
        0x468ee3da6fb333aaULL, 0xb29cb2f3a1f30b14ULL, 0x85f367daaba4d1bdULL,
        0x71e136f365e4e903ULL, 0x9b31b77e46ec590eULL, 0x6f23e65788ac61b0ULL,
        0x584c337e82fbbb19ULL, 0xac5e62574cbb83a7ULL, 0x3693992c96540e4bULL,
        0xc281c805581436f5ULL, 0xf5ee1d2c5243ec5cULL, 0x01fc4c059c03d4e2ULL,
        0x0b1638654cc51f2dULL, 0xff04694c82852793ULL, 0xc86bbc6588d2fd3aULL,
        0x3c79ed4c4692c584ULL, 0xa6b416379c7d4868ULL, 0x52a6471e523d70d6ULL,
        0x65c99237586aaa7fULL, 0x91dbc31e962a92c1ULL, 0x7b0b4293b52222ccULL,
        0x8f1913ba7b621a72ULL, 0xb876c6937135c0dbULL, 0x4c6497babf75f865ULL,
        0xd6a96cc1659a7589ULL, 0x22bb3de8abda4d37ULL, 0x15d4e8c1a18d979eULL,
        0xe1c6b9e86fcdaf20ULL, 0xfd00bd4226815ab5ULL, 0x0912ec6be8c1620bULL,
        0x3e7d3942e296b8a2ULL, 0xca6f686b2cd6801cULL, 0x50a29310f6390df0ULL,
        0xa4b0c2393879354eULL, 0x93df1710322eefe7ULL, 0x67cd4639fc6ed759ULL,
        0x8d1dc7b4df666754ULL, 0x790f969d11265feaULL, 0x4e6043b41b718543ULL,
        0xba72129dd531bdfdULL, 0x20bfe9e60fde3011ULL, 0xd4adb8cfc19e08afULL,
        0xe3c26de6cbc9d206ULL, 0x17d03ccf0589eab8ULL, 0x1d3a48afd54f2177ULL,
        0xe92819861b0f19c9ULL, 0xde47ccaf1158c360ULL, 0x2a559d86df18fbdeULL,
        0xb09866fd05f77632ULL, 0x448a37d4cbb74e8cULL, 0x73e5e2fdc1e09425ULL,
        0x87f7b3d40fa0ac9bULL, 0x6d2732592ca81c96ULL, 0x99356370e2e82428ULL,
        0xae5ab659e8bffe81ULL, 0x5a48e77026ffc63fULL, 0xc0851c0bfc104bd3ULL,
        0x34974d223250736dULL, 0x03f8980b3807a9c4ULL, 0xf7eac922f647917aULL,
        0x162c70ca998a3e5aULL, 0xe23e21e357ca06e4ULL, 0xd551f4ca5d9ddc4dULL,
        0x2143a5e393dde4f3ULL, 0xbb8e5e984932691fULL, 0x4f9c0fb1877251a1ULL,
        0x78f3da988d258b08ULL, 0x8ce18bb14365b3b6ULL, 0x66310a3c606d03bbULL,
        0x92235b15ae2d3b05ULL, 0xa54c8e3ca47ae1acULL, 0x515edf156a3ad912ULL,
        0xcb93246eb0d554feULL, 0x3f8175477e956c40ULL, 0x08eea06e74c2b6e9ULL,
        0xfcfcf147ba828e57ULL, 0xf61685276a444598ULL, 0x0204d40ea4047d26ULL,
        0x356b0127ae53a78fULL, 0xc179500e60139f31ULL, 0x5bb4ab75bafc12ddULL,
        0xafa6fa5c74bc2a63ULL, 0x98c92f757eebf0caULL, 0x6cdb7e5cb0abc874ULL,
        0x860bffd193a37879ULL, 0x7219aef85de340c7ULL, 0x45767bd157b49a6eULL,
        0xb1642af899f4a2d0ULL, 0x2ba9d183431b2f3cULL, 0xdfbb80aa8d5b1782ULL,
        0xe8d45583870ccd2bULL, 0x1cc604aa494cf595ULL, 0xd1585cd715952601ULL,
        0x254a0dfedbd51ebfULL, 0x1225d8d7d182c416ULL, 0xe63789fe1fc2fca8ULL,
        0x7cfa7285c52d7144ULL, 0x88e823ac0b6d49faULL, 0xbf87f685013a9353ULL,
        0x4b95a7accf7aabedULL, 0xa1452621ec721be0ULL, 0x555777082232235eULL,
        0x6238a2212865f9f7ULL, 0x962af308e625c149ULL, 0x0ce708733cca4ca5ULL,
        0xf8f5595af28a741bULL, 0xcf9a8c73f8ddaeb2ULL, 0x3b88dd5a369d960cULL,
        0x3162a93ae65b5dc3ULL, 0xc570f813281b657dULL, 0xf21f2d3a224cbfd4ULL,
        0x060d7c13ec0c876aULL, 0x9cc0876836e30a86ULL, 0x68d2d641f8a33238ULL,
        0x5fbd0368f2f4e891ULL, 0xabaf52413cb4d02fULL, 0x417fd3cc1fbc6022ULL,
        0xb56d82e5d1fc589cULL, 0x820257ccdbab8235ULL, 0x761006e515ebba8bULL,
        0xecddfd9ecf043767ULL, 0x18cfacb701440fd9ULL, 0x2fa0799e0b13d570ULL,
        0xdbb228b7c553edceULL, 0x3a74915faa9e42eeULL, 0xce66c07664de7a50ULL,
        0xf909155f6e89a0f9ULL, 0x0d1b4476a0c99847ULL, 0x97d6bf0d7a2615abULL,
        0x63c4ee24b4662d15ULL, 0x54ab3b0dbe31f7bcULL, 0xa0b96a247071cf02ULL,
        0x4a69eba953797f0fULL, 0xbe7bba809d3947b1ULL, 0x89146fa9976e9d18ULL,
        0x7d063e80592ea5a6ULL, 0xe7cbc5fb83c1284aULL, 0x13d994d24d8110f4ULL,
        0x24b641fb47d6ca5dULL, 0xd0a410d28996f2e3ULL, 0xda4e64b25950392cULL,
        0x2e5c359b97100192ULL, 0x1933e0b29d47db3bULL, 0xed21b19b5307e385ULL,
        0x77ec4ae089e86e69ULL, 0x83fe1bc947a856d7ULL, 0xb491cee04dff8c7eULL,
        0x40839fc983bfb4c0ULL, 0xaa531e44a0b704cdULL, 0x5e414f6d6ef73c73ULL,
        0x692e9a4464a0e6daULL, 0x9d3ccb6daae0de64ULL, 0x07f13016700f5388ULL,
        0xf3e3613fbe4f6b36ULL, 0xc48cb416b418b19fULL, 0x309ee53f7a588921ULL,
        0x2c58e19533147cb4ULL, 0xd84ab0bcfd54440aULL, 0xef256595f7039ea3ULL,
        0x1b3734bc3943a61dULL, 0x81facfc7e3ac2bf1ULL, 0x75e89eee2dec134fULL,
        0x42874bc727bbc9e6ULL, 0xb6951aeee9fbf158ULL, 0x5c459b63caf34155ULL,
        0xa857ca4a04b379ebULL, 0x9f381f630ee4a342ULL, 0x6b2a4e4ac0a49bfcULL,
        0xf1e7b5311a4b1610ULL, 0x05f5e418d40b2eaeULL, 0x329a3131de5cf407ULL,
        0xc6886018101cccb9ULL, 0xcc621478c0da0776ULL, 0x387045510e9a3fc8ULL,
        0x0f1f907804cde561ULL, 0xfb0dc151ca8ddddfULL, 0x61c03a2a10625033ULL,
        0x95d26b03de22688dULL, 0xa2bdbe2ad475b224ULL, 0x56afef031a358a9aULL,
        0xbc7f6e8e393d3a97ULL, 0x486d3fa7f77d0229ULL, 0x7f02ea8efd2ad880ULL,
        0x8b10bba7336ae03eULL, 0x11dd40dce9856dd2ULL, 0xe5cf11f527c5556cULL,
        0xd2a0c4dc2d928fc5ULL, 0x26b295f5e3d2b77bULL, 0xc7742c1d8c1f185bULL,
        0x33667d34425f20e5ULL, 0x0409a81d4808fa4cULL, 0xf01bf9348648c2f2ULL,
        0x6ad6024f5ca74f1eULL, 0x9ec4536692e777a0ULL, 0xa9ab864f98b0ad09ULL,
        0x5db9d76656f095b7ULL, 0xb76956eb75f825baULL, 0x437b07c2bbb81d04ULL,
        0x7414d2ebb1efc7adULL, 0x800683c27fafff13ULL, 0x1acb78b9a54072ffULL,
        0xeed929906b004a41ULL, 0xd9b6fcb9615790e8ULL, 0x2da4ad90af17a856ULL,
        0x274ed9f07fd16399ULL, 0xd35c88d9b1915b27ULL, 0xe4335df0bbc6818eULL,
        0x10210cd97586b930ULL, 0x8aecf7a2af6934dcULL, 0x7efea68b61290c62ULL,
        0x499173a26b7ed6cbULL, 0xbd83228ba53eee75ULL, 0x5753a30686365e78ULL,
        0xa341f22f487666c6ULL, 0x942e27064221bc6fULL, 0x603c762f8c6184d1ULL,
        0xfaf18d54568e093dULL, 0x0ee3dc7d98ce3183ULL, 0x398c09549299eb2aULL,
        0xcd9e587d5cd9d394ULL,
    },
    {
        0x0000000000000000ULL, 0x8ce168638c796306ULL, 0x329bf69440655567ULL,
        0xbe7a9ef7cc1c3661ULL, 0x6537ed2880caaaceULL, 0xe9d6854b0cb3c9c8ULL,
        0x57ac1bbcc0afffa9ULL, 0xdb4d73df4cd69cafULL, 0xca6fda510195559cULL,
        0x468eb2328dec369aULL, 0xf8f42cc541f000fbULL, 0x741544a6cd8963fdULL,
        0xaf583779815fff52ULL, 0x23b95f1a0d269c54ULL, 0x9dc3c1edc13aaa35ULL,
        0x1122a98e4d43c933ULL, 0xbf8692f15bbd3853ULL, 0x3367fa92d7c45b55ULL,
        0x8d1d64651bd86d34ULL, 0x01fc0c0697a10e32ULL, 0xdab17fd9db77929dULL,
        0x565017ba570ef19bULL, 0xe82a894d9b12c7faULL, 0x64cbe12e176ba4fcULL,
        0x75e948a05a286dcfULL, 0xf90820c3d6510ec9ULL, 0x4772be341a4d38a8ULL,
        0xcb93d65796345baeULL, 0x10dea588dae2c701ULL, 0x9c3fcdeb569ba407ULL,
        0x2245531c9a879266ULL, 0xaea43b7f16fef160ULL, 0x545403b1efede3cdULL,
        0xd8b56bd2639480cbULL, 0x66cff525af88b6aaULL, 0xea2e9d4623f1d5acULL,
        0x3163ee996f274903ULL, 0xbd8286fae35e2a05ULL, 0x03f8180d2f421c64ULL,
        0x8f19706ea33b7f62ULL, 0x9e3bd9e0ee78b651ULL, 0x12dab1836201d557ULL,
        0xaca02f74ae1de336ULL, 0x2041471722648030ULL, 0xfb0c34c86eb21c9fULL,
        0x77ed5cabe2cb7f99ULL, 0xc997c25c2ed749f8ULL, 0x4576aa3fa2ae2afeULL,
        0xebd29140b450db9eULL, 0x6733f9233829b898ULL, 0xd94967d4f4358ef9ULL,
        0x55a80fb7784cedffULL, 0x8ee57c68349a7150ULL, 0x0204140bb8e31256ULL,
        0xbc7e8afc74ff2437ULL, 0x309fe29ff8864731ULL, 0x21bd4b11b5c58e02ULL,
        0xad5c237239bced04ULL, 0x1326bd85f5a0db65ULL, 0x9fc7d5e679d9b863ULL,
        0x448aa639350f24ccULL, 0xc86bce5ab97647caULL, 0x761150ad756a71abULL,
        0xfaf038cef91312adULL, 0xa8a80763dfdbc79aULL, 0x24496f0053a2a49cULL,
        0x9a33f1f79fbe92fdULL, 0x16d2999413c7f1fbULL, 0xcd9fea4b5f116d54ULL,
        0x417e8228d3680e52ULL, 0xff041cdf1f743833ULL, 0x73e574bc930d5b35ULL,
        0x62c7dd32de4e9206ULL, 0xee26b5515237f100ULL, 0x505c2ba69e2bc761ULL,
        0xdcbd43c51252a467ULL, 0x07f0301a5e8438c8ULL, 0x8b115879d2fd5bceULL,
        0x356bc68e1ee16dafULL, 0xb98aaeed92980ea9ULL, 0x172e95928466ffc9ULL,
        0x9bcffdf1081f9ccfULL, 0x25b56306c403aaaeULL, 0xa9540b65487ac9a8ULL,
        0x721978ba04ac5507ULL, 0xfef810d988d53601ULL, 0x40828e2e44c90060ULL,
        0xcc63e64dc8b06366ULL, 0xdd414fc385f3aa55ULL, 0x51a027a0098ac953ULL,
        0xefdab957c596ff32ULL, 0x633bd13449ef9c34ULL, 0xb876a2eb0539009bULL,
        0x3497ca888940639dULL, 0x8aed547f455c55fcULL, 0x060c3c1cc92536faULL,
        0xfcfc04d230362457ULL, 0x701d6cb1bc4f4751ULL, 0xce67f24670537130ULL,
        0x42869a25fc2a1236ULL, 0x99cbe9fab0fc8e99ULL, 0x152a81993c85ed9fULL,
        0xab501f6ef099dbfeULL, 0x27b1770d7ce0b8f8ULL, 0x3693de8331a371cbULL,
        0xba72b6e0bdda12cdULL, 0x0408281771c624acULL, 0x88e94074fdbf47aaULL,
        0x53a433abb169db05ULL, 0xdf455bc83d10b803ULL, 0x613fc53ff10c8e62ULL,
        0xeddead5c7d75ed64ULL, 0x437a96236b8b1c04ULL, 0xcf9bfe40e7f27f02ULL,
        0x71e160b72bee4963ULL, 0xfd0008d4a7972a65ULL, 0x264d7b0beb41b6caULL,
        0xaaac13686738d5ccULL, 0x14d68d9fab24e3adULL, 0x9837e5fc275d80abULL,
        0x89154c726a1e4998ULL, 0x05f42411e6672a9eULL, 0xbb8ebae62a7b1cffULL,
        0x376fd285a6027ff9ULL, 0xec22a15aead4e356ULL, 0x60c3c93966ad8050ULL,
        0xdeb957ceaab1b631ULL, 0x52583fad26c8d537ULL, 0x7a092894e7201c5fULL,
        0xf6e840f76b597f59ULL, 0x4892de00a7454938ULL, 0xc473b6632b3c2a3eULL,
        0x1f3ec5bc67eab691ULL, 0x93dfaddfeb93d597ULL, 0x2da53328278fe3f6ULL,
        0xa1445b4babf680f0ULL, 0xb066f2c5e6b549c3ULL, 0x3c879aa66acc2ac5ULL,
        0x82fd0451a6d01ca4ULL, 0x0e1c6c322aa97fa2ULL, 0xd5511fed667fe30dULL,
        0x59b0778eea06800bULL, 0xe7cae979261ab66aULL, 0x6b2b811aaa63d56cULL,
        0xc58fba65bc9d240cULL, 0x496ed20630e4470aULL, 0xf7144cf1fcf8716bULL,
        0x7bf524927081126dULL, 0xa0b8574d3c578ec2ULL, 0x2c593f2eb02eedc4ULL,
        0x9223a1d97c32dba5ULL, 0x1ec2c9baf04bb8a3ULL, 0x0fe06034bd087190ULL,
        0x8301085731711296ULL, 0x3d7b96a0fd6d24f7ULL, 0xb19afec3711447f1ULL,
        0x6ad78d1c3dc2db5eULL, 0xe636e57fb1bbb858ULL, 0x584c7b887da78e39ULL,
        0xd4ad13ebf1deed3fULL, 0x2e5d2b2508cdff92ULL, 0xa2bc434684b49c94ULL,
        0x1cc6ddb148a8aaf5ULL, 0x9027b5d2c4d1c9f3ULL, 0x4b6ac60d8807555cULL,
        0xc78bae6e047e365aULL, 0x79f13099c862003bULL, 0xf51058fa441b633dULL,
        0xe432f1740958aa0eULL, 0x68d399178521c908ULL, 0xd6a907e0493dff69ULL,
        0x5a486f83c5449c6fULL, 0x81051c5c899200c0ULL, 0x0de4743f05eb63c6ULL,
        0xb39eeac8c9f755a7ULL, 0x3f7f82ab458e36a1ULL, 0x91dbb9d45370c7c1ULL,
        0x1d3ad1b7df09a4c7ULL, 0xa3404f40131592a6ULL, 0x2fa127239f6cf1a0ULL,
        0xf4ec54fcd3ba6d0fULL, 0x780d3c9f5fc30e09ULL, 0xc677a26893df3868ULL,
        0x4a96ca0b1fa65b6eULL, 0x5bb4638552e5925dULL, 0xd7550be6de9cf15bULL,
        0x692f95111280c73aULL, 0xe5cefd729ef9a43cULL, 0x3e838eadd22f3893ULL,
        0xb262e6ce5e565b95ULL, 0x0c187839924a6df4ULL, 0x80f9105a1e330ef2ULL,
        0xd2a12ff738fbdbc5ULL, 0x5e404794b482b8c3ULL, 0xe03ad963789e8ea2ULL,
        0x6cdbb100f4e7eda4ULL, 0xb796c2dfb831710bULL, 0x3b77aabc3448120dULL,
        0x850d344bf854246cULL, 0x09ec5c28742d476aULL, 0x18cef5a6396e8e59ULL,
        0x942f9dc5b517ed5fULL, 0x2a550332790bdb3eULL, 0xa6b46b51f572b838ULL,
        0x7df9188eb9a42497ULL, 0xf11870ed35dd4791ULL, 0x4f62ee1af9c171f0ULL,
        0xc383867975b812f6ULL, 0x6d27bd066346e396ULL, 0xe1c6d565ef3f8090ULL,
        0x5fbc4b922323b6f1ULL, 0xd35d23f1af5ad5f7ULL, 0x0810502ee38c4958ULL,
        0x84f1384d6ff52a5eULL, 0x3a8ba6baa3e91c3fULL, 0xb66aced92f907f39ULL,
        0xa748675762d3b60aULL, 0x2ba90f34eeaad50cULL, 0x95d391c322b6e36dULL,
        0x1932f9a0aecf806bULL, 0xc27f8a7fe2191cc4ULL, 0x4e9ee21c6e607fc2ULL,
        0xf0e47ceba27c49a3ULL, 0x7c0514882e052aa5ULL, 0x86f52c46d7163808ULL,
        0x0a1444255b6f5b0eULL, 0xb46edad297736d6fULL, 0x388fb2b11b0a0e69ULL,
        0xe3c2c16e57dc92c6ULL, 0x6f23a90ddba5f1c0ULL, 0xd15937fa17b9c7a1ULL,
        0x5db85f999bc0a4a7ULL, 0x4c9af617d6836d94ULL, 0xc07b9e745afa0e92ULL,
        0x7e01008396e638f3ULL, 0xf2e068e01a9f5bf5ULL, 0x29ad1b3f5649c75aULL,
        0xa54c735cda30a45cULL, 0x1b36edab162c923dULL, 0x97d785c89a55f13bULL,
        0x3973beb78cab005bULL, 0xb592d6d400d2635dULL, 0x0be84823ccce553cULL,
        0x8709204040b7363aULL, 0x5c44539f0c61aa95ULL, 0xd0a53bfc8018c993ULL,
        0x6edfa50b4c04fff2ULL, 0xe23ecd68c07d9cf4ULL, 0xf31c64e68d3e55c7ULL,
        0x7ffd0c85014736c1ULL, 0xc1879272cd5b00a0ULL, 0x4d66fa11412263a6ULL,
        0x962b89ce0df4ff09ULL, 0x1acae1ad818d9c0fULL, 0xa4b07f5a4d91aa6eULL,
        0x28511739c1e8c968ULL,
    },
    {
        0x0000000000000000ULL, 0x3504e58b9ba6dd1eULL, 0x6a09cb17374dba3cULL,
        0x5f0d2e9caceb6722ULL, 0xd413962e6e9b7478ULL, 0xe11773a5f53da966ULL,
        0xbe1a5d3959d6ce44ULL, 0x8b1eb8b2c270135aULL, 0x837e0a0f85a17b9bULL,
        0xb67aef841e07a685ULL, 0xe977c118b2ecc1a7ULL, 0xdc732493294a1cb9ULL,
        0x576d9c21eb3a0fe3ULL, 0x626979aa709cd2fdULL, 0x3d645736dc77b5dfULL,
        0x0860b2bd47d168c1ULL, 0x2da5324c53d5645dULL, 0x18a1d7c7c873b943ULL,
        0x47acf95b6498de61ULL, 0x72a81cd0ff3e037fULL, 0xf9b6a4623d4e1025ULL,
        0xccb241e9a6e8cd3bULL, 0x93bf6f750a03aa19ULL, 0xa6bb8afe91a57707ULL,
        0xaedb3843d6741fc6ULL, 0x9bdfddc84dd2c2d8ULL, 0xc4d2f354e139a5faULL,
        0xf1d616df7a9f78e4ULL, 0x7ac8ae6db8ef6bbeULL, 0x4fcc4be62349b6a0ULL,
        0x10c1657a8fa2d182ULL, 0x25c580f114040c9cULL, 0x5b4a6498a7aac8baULL,
        0x6e4e81133c0c15a4ULL, 0x3143af8f90e77286ULL, 0x04474a040b41af98ULL,
        0x8f59f2b6c931bcc2ULL, 0xba5d173d529761dcULL, 0xe55039a1fe7c06feULL,
        0xd054dc2a65dadbe0ULL, 0xd8346e97220bb321ULL, 0xed308b1cb9ad6e3fULL,
        0xb23da5801546091dULL, 0x8739400b8ee0d403ULL, 0x0c27f8b94c90c759ULL,
        0x39231d32d7361a47ULL, 0x662e33ae7bdd7d65ULL, 0x532ad625e07ba07bULL,
        0x76ef56d4f47face7ULL, 0x43ebb35f6fd971f9ULL, 0x1ce69dc3c33216dbULL,
        0x29e278485894cbc5ULL, 0xa2fcc0fa9ae4d89fULL, 0x97f8257101420581ULL,
        0xc8f50bedada962a3ULL, 0xfdf1ee66360fbfbdULL, 0xf5915cdb71ded77cULL,
        0xc095b950ea780a62ULL, 0x9f9897cc46936d40ULL, 0xaa9c7247dd35b05eULL,
        0x2182caf51f45a304ULL, 0x14862f7e84e37e1aULL, 0x4b8b01e228081938ULL,
        0x7e8fe469b3aec426ULL, 0xb694c9314f559174ULL, 0x83902cbad4f34c6aULL,
        0xdc9d022678182b48ULL, 0xe999e7ade3bef656ULL, 0x62875f1f21cee50cULL,
        0x5783ba94ba683812ULL, 0x088e940816835f30ULL, 0x3d8a71838d25822eULL,
        0x35eac33ecaf4eaefULL, 0x00ee26b5515237f1ULL, 0x5fe30829fdb950d3ULL,
        0x6ae7eda2661f8dcdULL, 0xe1f95510a46f9e97ULL, 0xd4fdb09b3fc94389ULL,
        0x8bf09e07932224abULL, 0xbef47b8c0884f9b5ULL, 0x9b31fb7d1c80f529ULL,
        0xae351ef687262837ULL, 0xf138306a2bcd4f15ULL, 0xc43cd5e1b06b920bULL,
        0x4f226d53721b8151ULL, 0x7a2688d8e9bd5c4fULL, 0x252ba64445563b6dULL,
        0x102f43cfdef0e673ULL, 0x184ff17299218eb2ULL, 0x2d4b14f9028753acULL,
        0x72463a65ae6c348eULL, 0x4742dfee35cae990ULL, 0xcc5c675cf7bafacaULL,
        0xf95882d76c1c27d4ULL, 0xa655ac4bc0f740f6ULL, 0x935149c05b519de8ULL,
        0xeddeada9e8ff59ceULL, 0xd8da4822735984d0ULL, 0x87d766bedfb2e3f2ULL,
        0xb2d3833544143eecULL, 0x39cd3b8786642db6ULL, 0x0cc9de0c1dc2f0a8ULL,
        0x53c4f090b129978aULL, 0x66c0151b2a8f4a94ULL, 0x6ea0a7a66d5e2255ULL,
        0x5ba4422df6f8ff4bULL, 0x04a96cb15a139869ULL, 0x31ad893ac1b54577ULL,
        0xbab3318803c5562dULL, 0x8fb7d40398638b33ULL, 0xd0bafa9f3488ec11ULL,
        0xe5be1f14af2e310fULL, 0xc07b9fe5bb2a3d93ULL, 0xf57f7a6e208ce08dULL,
        0xaa7254f28c6787afULL, 0x9f76b17917c15ab1ULL, 0x146809cbd5b149ebULL,
        0x216cec404e1794f5ULL, 0x7e61c2dce2fcf3d7ULL, 0x4b652757795a2ec9ULL,
        0x430595ea3e8b4608ULL, 0x76017061a52d9b16ULL, 0x290c5efd09c6fc34ULL,
        0x1c08bb769260212aULL, 0x971603c450103270ULL, 0xa212e64fcbb6ef6eULL,
        0xfd1fc8d3675d884cULL, 0xc81b2d58fcfb5552ULL, 0x4670b431c63cb183ULL,
        0x737451ba5d9a6c9dULL, 0x2c797f26f1710bbfULL, 0x197d9aad6ad7d6a1ULL,
        0x9263221fa8a7c5fbULL, 0xa767c794330118e5ULL, 0xf86ae9089fea7fc7ULL,
        0xcd6e0c83044ca2d9ULL, 0xc50ebe3e439dca18ULL, 0xf00a5bb5d83b1706ULL,
        0xaf07752974d07024ULL, 0x9a0390a2ef76ad3aULL, 0x111d28102d06be60ULL,
        0x2419cd9bb6a0637eULL, 0x7b14e3071a4b045cULL, 0x4e10068c81edd942ULL,
        0x6bd5867d95e9d5deULL, 0x5ed163f60e4f08c0ULL, 0x01dc4d6aa2a46fe2ULL,
        0x34d8a8e13902b2fcULL, 0xbfc61053fb72a1a6ULL, 0x8ac2f5d860d47cb8ULL,
        0xd5cfdb44cc3f1b9aULL, 0xe0cb3ecf5799c684ULL, 0xe8ab8c721048ae45ULL,
        0xddaf69f98bee735bULL, 0x82a2476527051479ULL, 0xb7a6a2eebca3c967ULL,
        0x3cb81a5c7ed3da3dULL, 0x09bcffd7e5750723ULL, 0x56b1d14b499e6001ULL,
        0x63b534c0d238bd1fULL, 0x1d3ad0a961967939ULL, 0x283e3522fa30a427ULL,
        0x77331bbe56dbc305ULL, 0x4237fe35cd7d1e1bULL, 0xc92946870f0d0d41ULL,
        0xfc2da30c94abd05fULL, 0xa3208d903840b77dULL, 0x9624681ba3e66a63ULL,
        0x9e44daa6e43702a2ULL, 0xab403f2d7f91dfbcULL, 0xf44d11b1d37ab89eULL,
        0xc149f43a48dc6580ULL, 0x4a574c888aac76daULL, 0x7f53a903110aabc4ULL,
        0x205e879fbde1cce6ULL, 0x155a6214264711f8ULL, 0x309fe2e532431d64ULL,
        0x059b076ea9e5c07aULL, 0x5a9629f2050ea758ULL, 0x6f92cc799ea87a46ULL,
        0xe48c74cb5cd8691cULL, 0xd1889140c77eb402ULL, 0x8e85bfdc6b95d320ULL,
        0xbb815a57f0330e3eULL, 0xb3e1e8eab7e266ffULL, 0x86e50d612c44bbe1ULL,
        0xd9e823fd80afdcc3ULL, 0xececc6761b0901ddULL, 0x67f27ec4d9791287ULL,
        0x52f69b4f42dfcf99ULL, 0x0dfbb5d3ee34a8bbULL, 0x38ff5058759275a5ULL,
        0xf0e47d00896920f7ULL, 0xc5e0988b12cffde9ULL, 0x9aedb617be249acbULL,
        0xafe9539c258247d5ULL, 0x24f7eb2ee7f2548fULL, 0x11f30ea57c548991ULL,
        0x4efe2039d0bfeeb3ULL, 0x7bfac5b24b1933adULL, 0x739a770f0cc85b6cULL,
        0x469e9284976e8672ULL, 0x1993bc183b85e150ULL, 0x2c975993a0233c4eULL,
        0xa789e12162532f14ULL, 0x928d04aaf9f5f20aULL, 0xcd802a36551e9528ULL,
        0xf884cfbdceb84836ULL, 0xdd414f4cdabc44aaULL, 0xe845aac7411a99b4ULL,
        0xb748845bedf1fe96ULL, 0x824c61d076572388ULL, 0x0952d962b42730d2ULL,
        0x3c563ce92f81edccULL, 0x635b1275836a8aeeULL, 0x565ff7fe18cc57f0ULL,
        0x5e3f45435f1d3f31ULL, 0x6b3ba0c8c4bbe22fULL, 0x34368e546850850dULL,
        0x01326bdff3f65813ULL, 0x8a2cd36d31864b49ULL, 0xbf2836e6aa209657ULL,
        0xe025187a06cbf175ULL, 0xd521fdf19d6d2c6bULL, 0xabae19982ec3e84dULL,
        0x9eaafc13b5653553ULL, 0xc1a7d28f198e5271ULL, 0xf4a3370482288f6fULL,
        0x7fbd8fb640589c35ULL, 0x4ab96a3ddbfe412bULL, 0x15b444a177152609ULL,
        0x20b0a12aecb3fb17ULL, 0x28d01397ab6293d6ULL, 0x1dd4f61c30c44ec8ULL,
        0x42d9d8809c2f29eaULL, 0x77dd3d0b0789f4f4ULL, 0xfcc385b9c5f9e7aeULL,
        0xc9c760325e5f3ab0ULL, 0x96ca4eaef2b45d92ULL, 0xa3ceab256912808cULL,
        0x860b2bd47d168c10ULL, 0xb30fce5fe6b0510eULL, 0xec02e0c34a5b362cULL,
        0xd9060548d1fdeb32ULL, 0x5218bdfa138df868ULL, 0x671c5871882b2576ULL,
        0x381176ed24c04254ULL, 0x0d159366bf669f4aULL, 0x057521dbf8b7f78bULL,
        0x3071c45063112a95ULL, 0x6f7ceacccffa4db7ULL, 0x5a780f47545c90a9ULL,
        0xd166b7f5962c83f3ULL, 0xe462527e0d8a5eedULL, 0xbb6f7ce2a16139cfULL,
        0x8e6b99693ac7e4d1ULL,
    },
    {
        0x0000000000000000ULL, 0xe39d1389931b9354ULL, 0xec6301407ea0b5c3ULL,
        0x0ffe12c9edbb2697ULL, 0xf39f24d3a5d6f8edULL, 0x1002375a36cd6bb9ULL,
        0x1ffc2593db764d2eULL, 0xfc61361a486dde7aULL, 0xcc676ff4133a62b1ULL,
        0x2ffa7c7d8021f1e5ULL, 0x20046eb46d9ad772ULL, 0xc3997d3dfe814426ULL,
        0x3ff84b27b6ec9a5cULL, 0xdc6558ae25f70908ULL, 0xd39b4a67c84c2f9fULL,
        0x300659ee5b57bccbULL, 0xb397f9bb7ee35609ULL, 0x500aea32edf8c55dULL,
        0x5ff4f8fb0043e3caULL, 0xbc69eb729358709eULL, 0x4008dd68db35aee4ULL,
        0xa395cee1482e3db0ULL, 0xac6bdc28a5951b27ULL, 0x4ff6cfa1368e8873ULL,
        0x7ff0964f6dd934b8ULL, 0x9c6d85c6fec2a7ecULL, 0x9393970f1379817bULL,
        0x700e84868062122fULL, 0x8c6fb29cc80fcc55ULL, 0x6ff2a1155b145f01ULL,
        0x600cb3dcb6af7996ULL, 0x8391a05525b4eac2ULL, 0x4c76d525a5513f79ULL,
        0xafebc6ac364aac2dULL, 0xa015d465dbf18abaULL, 0x4388c7ec48ea19eeULL,
        0xbfe9f1f60087c794ULL, 0x5c74e27f939c54c0ULL, 0x538af0b67e277257ULL,
        0xb017e33fed3ce103ULL, 0x8011bad1b66b5dc8ULL, 0x638ca9582570ce9cULL,
        0x6c72bb91c8cbe80bULL, 0x8fefa8185bd07b5fULL, 0x738e9e0213bda525ULL,
        0x90138d8b80a63671ULL, 0x9fed9f426d1d10e6ULL, 0x7c708ccbfe0683b2ULL,
        0xffe12c9edbb26970ULL, 0x1c7c3f1748a9fa24ULL, 0x13822ddea512dcb3ULL,
        0xf01f3e5736094fe7ULL, 0x0c7e084d7e64919dULL, 0xefe31bc4ed7f02c9ULL,
        0xe01d090d00c4245eULL, 0x03801a8493dfb70aULL, 0x3386436ac8880bc1ULL,
        0xd01b50e35b939895ULL, 0xdfe5422ab628be02ULL, 0x3c7851a325332d56ULL,
        0xc01967b96d5ef32cULL, 0x23847430fe456078ULL, 0x2c7a66f913fe46efULL,
        0xcfe7757080e5d5bbULL, 0x98edaa4b4aa27ef2ULL, 0x7b70b9c2d9b9eda6ULL,
        0x748eab0b3402cb31ULL, 0x9713b882a7195865ULL, 0x6b728e98ef74861fULL,
        0x88ef9d117c6f154bULL, 0x87118fd891d433dcULL, 0x648c9c5102cfa088ULL,
        0x548ac5bf59981c43ULL, 0xb717d636ca838f17ULL, 0xb8e9c4ff2738a980ULL,
        0x5b74d776b4233ad4ULL, 0xa715e16cfc4ee4aeULL, 0x4488f2e56f5577faULL,
        0x4b76e02c82ee516dULL, 0xa8ebf3a511f5c239ULL, 0x2b7a53f0344128fbULL,
        0xc8e74079a75abbafULL, 0xc71952b04ae19d38ULL, 0x24844139d9fa0e6cULL,
        0xd8e577239197d016ULL, 0x3b7864aa028c4342ULL, 0x34867663ef3765d5ULL,
        0xd71b65ea7c2cf681ULL, 0xe71d3c04277b4a4aULL, 0x04802f8db460d91eULL,
        0x0b7e3d4459dbff89ULL, 0xe8e32ecdcac06cddULL, 0x148218d782adb2a7ULL,
        0xf71f0b5e11b621f3ULL, 0xf8e11997fc0d0764ULL, 0x1b7c0a1e6f169430ULL,
        0xd49b7f6eeff3418bULL, 0x37066ce77ce8d2dfULL, 0x38f87e2e9153f448ULL,
        0xdb656da70248671cULL, 0x27045bbd4a25b966ULL, 0xc4994834d93e2a32ULL,
        0xcb675afd34850ca5ULL, 0x28fa4974a79e9ff1ULL, 0x18fc109afcc9233aULL,
        0xfb6103136fd2b06eULL, 0xf49f11da826996f9ULL, 0x17020253117205adULL,
        0xeb633449591fdbd7ULL, 0x08fe27c0ca044883ULL, 0x0700350927bf6e14ULL,
        0xe49d2680b4a4fd40ULL, 0x670c86d591101782ULL, 0x8491955c020b84d6ULL,
        0x8b6f8795efb0a241ULL, 0x68f2941c7cab3115ULL, 0x9493a20634c6ef6fULL,
        0x770eb18fa7dd7c3bULL, 0x78f0a3464a665aacULL, 0x9b6db0cfd97dc9f8ULL,
        0xab6be921822a7533ULL, 0x48f6faa81131e667ULL, 0x4708e861fc8ac0f0ULL,
        0xa495fbe86f9153a4ULL, 0x58f4cdf227fc8ddeULL, 0xbb69de7bb4e71e8aULL,
        0xb497ccb2595c381dULL, 0x570adf3bca47ab49ULL, 0x1a8272c5cdd36e8fULL,
        0xf91f614c5ec8fddbULL, 0xf6e17385b373db4cULL, 0x157c600c20684818ULL,
        0xe91d561668059662ULL, 0x0a80459ffb1e0536ULL, 0x057e575616a523a1ULL,
        0xe6e344df85beb0f5ULL, 0xd6e51d31dee90c3eULL, 0x35780eb84df29f6aULL,
        0x3a861c71a049b9fdULL, 0xd91b0ff833522aa9ULL, 0x257a39e27b3ff4d3ULL,
        0xc6e72a6be8246787ULL, 0xc91938a2059f4110ULL, 0x2a842b2b9684d244ULL,
        0xa9158b7eb3303886ULL, 0x4a8898f7202babd2ULL, 0x45768a3ecd908d45ULL,
        0xa6eb99b75e8b1e11ULL, 0x5a8aafad16e6c06bULL, 0xb917bc2485fd533fULL,
        0xb6e9aeed684675a8ULL, 0x5574bd64fb5de6fcULL, 0x6572e48aa00a5a37ULL,
        0x86eff7033311c963ULL, 0x8911e5cadeaaeff4ULL, 0x6a8cf6434db17ca0ULL,
        0x96edc05905dca2daULL, 0x7570d3d096c7318eULL, 0x7a8ec1197b7c1719ULL,
        0x9913d290e867844dULL, 0x56f4a7e0688251f6ULL, 0xb569b469fb99c2a2ULL,
        0xba97a6a01622e435ULL, 0x590ab52985397761ULL, 0xa56b8333cd54a91bULL,
        0x46f690ba5e4f3a4fULL, 0x49088273b3f41cd8ULL, 0xaa9591fa20ef8f8cULL,
        0x9a93c8147bb83347ULL, 0x790edb9de8a3a013ULL, 0x76f0c95405188684ULL,
        0x956ddadd960315d0ULL, 0x690cecc7de6ecbaaULL, 0x8a91ff4e4d7558feULL,
        0x856fed87a0ce7e69ULL, 0x66f2fe0e33d5ed3dULL, 0xe5635e5b166107ffULL,
        0x06fe4dd2857a94abULL, 0x09005f1b68c1b23cULL, 0xea9d4c92fbda2168ULL,
        0x16fc7a88b3b7ff12ULL, 0xf561690120ac6c46ULL, 0xfa9f7bc8cd174ad1ULL,
        0x190268415e0cd985ULL, 0x290431af055b654eULL, 0xca9922269640f61aULL,
        0xc56730ef7bfbd08dULL, 0x26fa2366e8e043d9ULL, 0xda9b157ca08d9da3ULL,
        0x390606f533960ef7ULL, 0x36f8143cde2d2860ULL, 0xd56507b54d36bb34ULL,
        0x826fd88e8771107dULL, 0x61f2cb07146a8329ULL, 0x6e0cd9cef9d1a5beULL,
        0x8d91ca476aca36eaULL, 0x71f0fc5d22a7e890ULL, 0x926defd4b1bc7bc4ULL,
        0x9d93fd1d5c075d53ULL, 0x7e0eee94cf1cce07ULL, 0x4e08b77a944b72ccULL,
        0xad95a4f30750e198ULL, 0xa26bb63aeaebc70fULL, 0x41f6a5b379f0545bULL,
        0xbd9793a9319d8a21ULL, 0x5e0a8020a2861975ULL, 0x51f492e94f3d3fe2ULL,
        0xb2698160dc26acb6ULL, 0x31f82135f9924674ULL, 0xd26532bc6a89d520ULL,
        0xdd9b20758732f3b7ULL, 0x3e0633fc142960e3ULL, 0xc26705e65c44be99ULL,
        0x21fa166fcf5f2dcdULL, 0x2e0404a622e40b5aULL, 0xcd99172fb1ff980eULL,
        0xfd9f4ec1eaa824c5ULL, 0x1e025d4879b3b791ULL, 0x11fc4f8194089106ULL,
        0xf2615c0807130252ULL, 0x0e006a124f7edc28ULL, 0xed9d799bdc654f7cULL,
        0xe2636b5231de69ebULL, 0x01fe78dba2c5fabfULL, 0xce190dab22202f04ULL,
        0x2d841e22b13bbc50ULL, 0x227a0ceb5c809ac7ULL, 0xc1e71f62cf9b0993ULL,
        0x3d86297887f6d7e9ULL, 0xde1b3af114ed44bdULL, 0xd1e52838f956622aULL,
        0x32783bb16a4df17eULL, 0x027e625f311a4db5ULL, 0xe1e371d6a201dee1ULL,
        0xee1d631f4fbaf876ULL, 0x0d807096dca16b22ULL, 0xf1e1468c94ccb558ULL,
        0x127c550507d7260cULL, 0x1d8247ccea6c009bULL, 0xfe1f5445797793cfULL,
        0x7d8ef4105cc3790dULL, 0x9e13e799cfd8ea59ULL, 0x91edf5502263ccceULL,
        0x7270e6d9b1785f9aULL, 0x8e11d0c3f91581e0ULL, 0x6d8cc34a6a0e12b4ULL,
        0x6272d18387b53423ULL, 0x81efc20a14aea777ULL, 0xb1e99be44ff91bbcULL,
        0x5274886ddce288e8ULL, 0x5d8a9aa43159ae7fULL, 0xbe17892da2423d2bULL,
        0x4276bf37ea2fe351ULL, 0xa1ebacbe79347005ULL, 0xae15be77948f5692ULL,
        0x4d88adfe0794c5c6ULL,
    },
    {
        0x0000000000000000ULL, 0x62a95de6e302eff2ULL, 0xc552bbcdc605dfe4ULL,
        0xa7fbe62b25073016ULL, 0xa1fc51c8d49c2ca3ULL, 0xc3550c2e379ec351ULL,
        0x64aeea051299f347ULL, 0x0607b7e3f19b1cb5ULL, 0x68a185c2f1afca2dULL,
        0x0a08d82412ad25dfULL, 0xadf33e0f37aa15c9ULL, 0xcf5a63e9d4a8fa3bULL,
        0xc95dd40a2533e68eULL, 0xabf489ecc631097cULL, 0x0c0f6fc7e336396aULL,
        0x6ea632210034d698ULL, 0xd1430b85e35f945aULL, 0xb3ea5663005d7ba8ULL,
        0x1411b048255a4bbeULL, 0x76b8edaec658a44cULL, 0x70bf5a4d37c3b8f9ULL,
        0x121607abd4c1570bULL, 0xb5ede180f1c6671dULL, 0xd744bc6612c488efULL,
        0xb9e28e4712f05e77ULL, 0xdb4bd3a1f1f2b185ULL, 0x7cb0358ad4f58193ULL,
        0x1e19686c37f76e61ULL, 0x181edf8fc66c72d4ULL, 0x7ab78269256e9d26ULL,
        0xdd4c64420069ad30ULL, 0xbfe539a4e36b42c2ULL, 0x89df31589e28bbdfULL,
        0xeb766cbe7d2a542dULL, 0x4c8d8a95582d643bULL, 0x2e24d773bb2f8bc9ULL,
        0x282360904ab4977cULL, 0x4a8a3d76a9b6788eULL, 0xed71db5d8cb14898ULL,
        0x8fd886bb6fb3a76aULL, 0xe17eb49a6f8771f2ULL, 0x83d7e97c8c859e00ULL,
        0x242c0f57a982ae16ULL, 0x468552b14a8041e4ULL, 0x4082e552bb1b5d51ULL,
        0x222bb8b45819b2a3ULL, 0x85d05e9f7d1e82b5ULL, 0xe77903799e1c6d47ULL,
        0x589c3add7d772f85ULL, 0x3a35673b9e75c077ULL, 0x9dce8110bb72f061ULL,
        0xff67dcf658701f93ULL, 0xf9606b15a9eb0326ULL, 0x9bc936f34ae9ecd4ULL,
        0x3c32d0d86feedcc2ULL, 0x5e9b8d3e8cec3330ULL, 0x303dbf1f8cd8e5a8ULL,
        0x5294e2f96fda0a5aULL, 0xf56f04d24add3a4cULL, 0x97c65934a9dfd5beULL,
        0x91c1eed75844c90bULL, 0xf368b331bb4626f9ULL, 0x5493551a9e4116efULL,
        0x363a08fc7d43f91dULL, 0x38e744e264c6e4d5ULL, 0x5a4e190487c40b27ULL,
        0xfdb5ff2fa2c33b31ULL, 0x9f1ca2c941c1d4c3ULL, 0x991b152ab05ac876ULL,
        0xfbb248cc53582784ULL, 0x5c49aee7765f1792ULL, 0x3ee0f301955df860ULL,
        0x5046c12095692ef8ULL, 0x32ef9cc6766bc10aULL, 0x95147aed536cf11cULL,
        0xf7bd270bb06e1eeeULL, 0xf1ba90e841f5025bULL, 0x9313cd0ea2f7eda9ULL,
        0x34e82b2587f0ddbfULL, 0x564176c364f2324dULL, 0xe9a44f678799708fULL,
        0x8b0d1281649b9f7dULL, 0x2cf6f4aa419caf6bULL, 0x4e5fa94ca29e4099ULL,
        0x48581eaf53055c2cULL, 0x2af14349b007b3deULL, 0x8d0aa562950083c8ULL,
        0xefa3f88476026c3aULL, 0x8105caa57636baa2ULL, 0xe3ac974395345550ULL,
        0x44577168b0336546ULL, 0x26fe2c8e53318ab4ULL, 0x20f99b6da2aa9601ULL,
        0x4250c68b41a879f3ULL, 0xe5ab20a064af49e5ULL, 0x87027d4687ada617ULL,
        0xb13875bafaee5f0aULL, 0xd391285c19ecb0f8ULL, 0x746ace773ceb80eeULL,
        0x16c39391dfe96f1cULL, 0x10c424722e7273a9ULL, 0x726d7994cd709c5bULL,
        0xd5969fbfe877ac4dULL, 0xb73fc2590b7543bfULL, 0xd999f0780b419527ULL,
        0xbb30ad9ee8437ad5ULL, 0x1ccb4bb5cd444ac3ULL, 0x7e6216532e46a531ULL,
        0x7865a1b0dfddb984ULL, 0x1accfc563cdf5676ULL, 0xbd371a7d19d86660ULL,
        0xdf9e479bfada8992ULL, 0x607b7e3f19b1cb50ULL, 0x02d223d9fab324a2ULL,
        0xa529c5f2dfb414b4ULL, 0xc78098143cb6fb46ULL, 0xc1872ff7cd2de7f3ULL,
        0xa32e72112e2f0801ULL, 0x04d5943a0b283817ULL, 0x667cc9dce82ad7e5ULL,
        0x08dafbfde81e017dULL, 0x6a73a61b0b1cee8fULL, 0xcd8840302e1bde99ULL,
        0xaf211dd6cd19316bULL, 0xa926aa353c822ddeULL, 0xcb8ff7d3df80c22cULL,
        0x6c7411f8fa87f23aULL, 0x0edd4c1e19851dc8ULL, 0x71ce89c4c98dc9aaULL,
        0x1367d4222a8f2658ULL, 0xb49c32090f88164eULL, 0xd6356fefec8af9bcULL,
        0xd032d80c1d11e509ULL, 0xb29b85eafe130afbULL, 0x156063c1db143aedULL,
        0x77c93e273816d51fULL, 0x196f0c0638220387ULL, 0x7bc651e0db20ec75ULL,
        0xdc3db7cbfe27dc63ULL, 0xbe94ea2d1d253391ULL, 0xb8935dceecbe2f24ULL,
        0xda3a00280fbcc0d6ULL, 0x7dc1e6032abbf0c0ULL, 0x1f68bbe5c9b91f32ULL,
        0xa08d82412ad25df0ULL, 0xc224dfa7c9d0b202ULL, 0x65df398cecd78214ULL,
        0x0776646a0fd56de6ULL, 0x0171d389fe4e7153ULL, 0x63d88e6f1d4c9ea1ULL,
        0xc4236844384baeb7ULL, 0xa68a35a2db494145ULL, 0xc82c0783db7d97ddULL,
        0xaa855a65387f782fULL, 0x0d7ebc4e1d784839ULL, 0x6fd7e1a8fe7aa7cbULL,
        0x69d0564b0fe1bb7eULL, 0x0b790badece3548cULL, 0xac82ed86c9e4649aULL,
        0xce2bb0602ae68b68ULL, 0xf811b89c57a57275ULL, 0x9ab8e57ab4a79d87ULL,
        0x3d43035191a0ad91ULL, 0x5fea5eb772a24263ULL, 0x59ede95483395ed6ULL,
        0x3b44b4b2603bb124ULL, 0x9cbf5299453c8132ULL, 0xfe160f7fa63e6ec0ULL,
        0x90b03d5ea60ab858ULL, 0xf21960b8450857aaULL, 0x55e28693600f67bcULL,
        0x374bdb75830d884eULL, 0x314c6c96729694fbULL, 0x53e5317091947b09ULL,
        0xf41ed75bb4934b1fULL, 0x96b78abd5791a4edULL, 0x2952b319b4fae62fULL,
        0x4bfbeeff57f809ddULL, 0xec0008d472ff39cbULL, 0x8ea9553291fdd639ULL,
        0x88aee2d16066ca8cULL, 0xea07bf378364257eULL, 0x4dfc591ca6631568ULL,
        0x2f5504fa4561fa9aULL, 0x41f336db45552c02ULL, 0x235a6b3da657c3f0ULL,
        0x84a18d168350f3e6ULL, 0xe608d0f060521c14ULL, 0xe00f671391c900a1ULL,
        0x82a63af572cbef53ULL, 0x255ddcde57ccdf45ULL, 0x47f48138b4ce30b7ULL,
        0x4929cd26ad4b2d7fULL, 0x2b8090c04e49c28dULL, 0x8c7b76eb6b4ef29bULL,
        0xeed22b0d884c1d69ULL, 0xe8d59cee79d701dcULL, 0x8a7cc1089ad5ee2eULL,
        0x2d872723bfd2de38ULL, 0x4f2e7ac55cd031caULL, 0x218848e45ce4e752ULL,
        0x43211502bfe608a0ULL, 0xe4daf3299ae138b6ULL, 0x8673aecf79e3d744ULL,
        0x8074192c8878cbf1ULL, 0xe2dd44ca6b7a2403ULL, 0x4526a2e14e7d1415ULL,
        0x278fff07ad7ffbe7ULL, 0x986ac6a34e14b925ULL, 0xfac39b45ad1656d7ULL,
        0x5d387d6e881166c1ULL, 0x3f9120886b138933ULL, 0x3996976b9a889586ULL,
        0x5b3fca8d798a7a74ULL, 0xfcc42ca65c8d4a62ULL, 0x9e6d7140bf8fa590ULL,
        0xf0cb4361bfbb7308ULL, 0x92621e875cb99cfaULL, 0x3599f8ac79beacecULL,
        0x5730a54a9abc431eULL, 0x513712a96b275fabULL, 0x339e4f4f8825b059ULL,
        0x9465a964ad22804fULL, 0xf6ccf4824e206fbdULL, 0xc0f6fc7e336396a0ULL,
        0xa25fa198d0617952ULL, 0x05a447b3f5664944ULL, 0x670d1a551664a6b6ULL,
        0x610aadb6e7ffba03ULL, 0x03a3f05004fd55f1ULL, 0xa458167b21fa65e7ULL,
        0xc6f14b9dc2f88a15ULL, 0xa85779bcc2cc5c8dULL, 0xcafe245a21ceb37fULL,
        0x6d05c27104c98369ULL, 0x0fac9f97e7cb6c9bULL, 0x09ab28741650702eULL,
        0x6b027592f5529fdcULL, 0xccf993b9d055afcaULL, 0xae50ce5f33574038ULL,
        0x11b5f7fbd03c02faULL, 0x731caa1d333eed08ULL, 0xd4e74c361639dd1eULL,
        0xb64e11d0f53b32ecULL, 0xb049a63304a02e59ULL, 0xd2e0fbd5e7a2c1abULL,
        0x751b1dfec2a5f1bdULL, 0x17b2401821a71e4fULL, 0x791472392193c8d7ULL,
        0x1bbd2fdfc2912725ULL, 0xbc46c9f4e7961733ULL, 0xdeef94120494f8c1ULL,
        0xd8e823f1f50fe474ULL, 0xba417e17160d0b86ULL, 0x1dba983c330a3b90ULL,
        0x7f13c5dad008d462ULL,
    },
    {
        0x0000000000000000ULL, 0x381d0015c96f4444ULL, 0x703a002b92de8888ULL,
        0x4827003e5bb1ccccULL, 0xe074005725bd1110ULL, 0xd8690042ecd25554ULL,
        0x904e007cb7639998ULL, 0xa85300697e0cdddcULL, 0xebb126fd13edb14bULL,
        0xd3ac26e8da82f50fULL, 0x9b8b26d6813339c3ULL, 0xa39626c3485c7d87ULL,
        0x0bc526aa3650a05bULL, 0x33d826bfff3fe41fULL, 0x7bff2681a48e28d3ULL,
        0x43e226946de16c97ULL, 0xfc3b6ba97f4cf1fdULL, 0xc4266bbcb623b5b9ULL,
        0x8c016b82ed927975ULL, 0xb41c6b9724fd3d31ULL, 0x1c4f6bfe5af1e0edULL,
        0x24526beb939ea4a9ULL, 0x6c756bd5c82f6865ULL, 0x54686bc001402c21ULL,
        0x178a4d546ca140b6ULL, 0x2f974d41a5ce04f2ULL, 0x67b04d7ffe7fc83eULL,
        0x5fad4d6a37108c7aULL, 0xf7fe4d03491c51a6ULL, 0xcfe34d16807315e2ULL,
        0x87c44d28dbc2d92eULL, 0xbfd94d3d12ad9d6aULL, 0xd32ff101a60e7091ULL,
        0xeb32f1146f6134d5ULL, 0xa315f12a34d0f819ULL, 0x9b08f13ffdbfbc5dULL,
        0x335bf15683b36181ULL, 0x0b46f1434adc25c5ULL, 0x4361f17d116de909ULL,
        0x7b7cf168d802ad4dULL, 0x389ed7fcb5e3c1daULL, 0x0083d7e97c8c859eULL,
        0x48a4d7d7273d4952ULL, 0x70b9d7c2ee520d16ULL, 0xd8ead7ab905ed0caULL,
        0xe0f7d7be5931948eULL, 0xa8d0d78002805842ULL, 0x90cdd795cbef1c06ULL,
        0x2f149aa8d942816cULL, 0x17099abd102dc528ULL, 0x5f2e9a834b9c09e4ULL,
        0x67339a9682f34da0ULL, 0xcf609afffcff907cULL, 0xf77d9aea3590d438ULL,
        0xbf5a9ad46e2118f4ULL, 0x87479ac1a74e5cb0ULL, 0xc4a5bc55caaf3027ULL,
        0xfcb8bc4003c07463ULL, 0xb49fbc7e5871b8afULL, 0x8c82bc6b911efcebULL,
        0x24d1bc02ef122137ULL, 0x1cccbc17267d6573ULL, 0x54ebbc297dcca9bfULL,
        0x6cf6bc3cb4a3edfbULL, 0x8d06c450148b7249ULL, 0xb51bc445dde4360dULL,
        0xfd3cc47b8655fac1ULL, 0xc521c46e4f3abe85ULL, 0x6d72c40731366359ULL,
        0x556fc412f859271dULL, 0x1d48c42ca3e8ebd1ULL, 0x2555c4396a87af95ULL,
        0x66b7e2ad0766c302ULL, 0x5eaae2b8ce098746ULL, 0x168de28695b84b8aULL,
        0x2e90e2935cd70fceULL, 0x86c3e2fa22dbd212ULL, 0xbedee2efebb49656ULL,
        0xf6f9e2d1b0055a9aULL, 0xcee4e2c4796a1edeULL, 0x713daff96bc783b4ULL,
        0x4920afeca2a8c7f0ULL, 0x0107afd2f9190b3cULL, 0x391aafc730764f78ULL,
        0x9149afae4e7a92a4ULL, 0xa954afbb8715d6e0ULL, 0xe173af85dca41a2cULL,
        0xd96eaf9015cb5e68ULL, 0x9a8c8904782a32ffULL, 0xa2918911b14576bbULL,
        0xeab6892feaf4ba77ULL, 0xd2ab893a239bfe33ULL, 0x7af889535d9723efULL,
        0x42e5894694f867abULL, 0x0ac28978cf49ab67ULL, 0x32df896d0626ef23ULL,
        0x5e293551b28502d8ULL, 0x663435447bea469cULL, 0x2e13357a205b8a50ULL,
        0x160e356fe934ce14ULL, 0xbe5d3506973813c8ULL, 0x864035135e57578cULL,
        0xce67352d05e69b40ULL, 0xf67a3538cc89df04ULL, 0xb59813aca168b393ULL,
        0x8d8513b96807f7d7ULL, 0xc5a2138733b63b1bULL, 0xfdbf1392fad97f5fULL,
        0x55ec13fb84d5a283ULL, 0x6df113ee4dbae6c7ULL, 0x25d613d0160b2a0bULL,
        0x1dcb13c5df646e4fULL, 0xa2125ef8cdc9f325ULL, 0x9a0f5eed04a6b761ULL,
        0xd2285ed35f177badULL, 0xea355ec696783fe9ULL, 0x42665eafe874e235ULL,
        0x7a7b5eba211ba671ULL, 0x325c5e847aaa6abdULL, 0x0a415e91b3c52ef9ULL,
        0x49a37805de24426eULL, 0x71be7810174b062aULL, 0x3999782e4cfacae6ULL,
        0x0184783b85958ea2ULL, 0xa9d77852fb99537eULL, 0x91ca784732f6173aULL,
        0xd9ed78796947dbf6ULL, 0xe1f0786ca0289fb2ULL, 0x3154aef3718177f9ULL,
        0x0949aee6b8ee33bdULL, 0x416eaed8e35fff71ULL, 0x7973aecd2a30bb35ULL,
        0xd120aea4543c66e9ULL, 0xe93daeb19d5322adULL, 0xa11aae8fc6e2ee61ULL,
        0x9907ae9a0f8daa25ULL, 0xdae5880e626cc6b2ULL, 0xe2f8881bab0382f6ULL,
        0xaadf8825f0b24e3aULL, 0x92c2883039dd0a7eULL, 0x3a91885947d1d7a2ULL,
        0x028c884c8ebe93e6ULL, 0x4aab8872d50f5f2aULL, 0x72b688671c601b6eULL,
        0xcd6fc55a0ecd8604ULL, 0xf572c54fc7a2c240ULL, 0xbd55c5719c130e8cULL,
        0x8548c564557c4ac8ULL, 0x2d1bc50d2b709714ULL, 0x1506c518e21fd350ULL,
        0x5d21c526b9ae1f9cULL, 0x653cc53370c15bd8ULL, 0x26dee3a71d20374fULL,
        0x1ec3e3b2d44f730bULL, 0x56e4e38c8ffebfc7ULL, 0x6ef9e3994691fb83ULL,
        0xc6aae3f0389d265fULL, 0xfeb7e3e5f1f2621bULL, 0xb690e3dbaa43aed7ULL,
        0x8e8de3ce632cea93ULL, 0xe27b5ff2d78f0768ULL, 0xda665fe71ee0432cULL,
        0x92415fd945518fe0ULL, 0xaa5c5fcc8c3ecba4ULL, 0x020f5fa5f2321678ULL,
        0x3a125fb03b5d523cULL, 0x72355f8e60ec9ef0ULL, 0x4a285f9ba983dab4ULL,
        0x09ca790fc462b623ULL, 0x31d7791a0d0df267ULL, 0x79f0792456bc3eabULL,
        0x41ed79319fd37aefULL, 0xe9be7958e1dfa733ULL, 0xd1a3794d28b0e377ULL,
        0x9984797373012fbbULL, 0xa1997966ba6e6bffULL, 0x1e40345ba8c3f695ULL,
        0x265d344e61acb2d1ULL, 0x6e7a34703a1d7e1dULL, 0x56673465f3723a59ULL,
        0xfe34340c8d7ee785ULL, 0xc62934194411a3c1ULL, 0x8e0e34271fa06f0dULL,
        0xb6133432d6cf2b49ULL, 0xf5f112a6bb2e47deULL, 0xcdec12b37241039aULL,
        0x85cb128d29f0cf56ULL, 0xbdd61298e09f8b12ULL, 0x158512f19e9356ceULL,
        0x2d9812e457fc128aULL, 0x65bf12da0c4dde46ULL, 0x5da212cfc5229a02ULL,
        0xbc526aa3650a05b0ULL, 0x844f6ab6ac6541f4ULL, 0xcc686a88f7d48d38ULL,
        0xf4756a9d3ebbc97cULL, 0x5c266af440b714a0ULL, 0x643b6ae189d850e4ULL,
        0x2c1c6adfd2699c28ULL, 0x14016aca1b06d86cULL, 0x57e34c5e76e7b4fbULL,
        0x6ffe4c4bbf88f0bfULL, 0x27d94c75e4393c73ULL, 0x1fc44c602d567837ULL,
        0xb7974c09535aa5ebULL, 0x8f8a4c1c9a35e1afULL, 0xc7ad4c22c1842d63ULL,
        0xffb04c3708eb6927ULL, 0x4069010a1a46f44dULL, 0x7874011fd329b009ULL,
        0x3053012188987cc5ULL, 0x084e013441f73881ULL, 0xa01d015d3ffbe55dULL,
        0x98000148f694a119ULL, 0xd0270176ad256dd5ULL, 0xe83a0163644a2991ULL,
        0xabd827f709ab4506ULL, 0x93c527e2c0c40142ULL, 0xdbe227dc9b75cd8eULL,
        0xe3ff27c9521a89caULL, 0x4bac27a02c165416ULL, 0x73b127b5e5791052ULL,
        0x3b96278bbec8dc9eULL, 0x038b279e77a798daULL, 0x6f7d9ba2c3047521ULL,
        0x57609bb70a6b3165ULL, 0x1f479b8951dafda9ULL, 0x275a9b9c98b5b9edULL,
        0x8f099bf5e6b96431ULL, 0xb7149be02fd62075ULL, 0xff339bde7467ecb9ULL,
        0xc72e9bcbbd08a8fdULL, 0x84ccbd5fd0e9c46aULL, 0xbcd1bd4a1986802eULL,
        0xf4f6bd7442374ce2ULL, 0xccebbd618b5808a6ULL, 0x64b8bd08f554d57aULL,
        0x5ca5bd1d3c3b913eULL, 0x1482bd23678a5df2ULL, 0x2c9fbd36aee519b6ULL,
        0x9346f00bbc4884dcULL, 0xab5bf01e7527c098ULL, 0xe37cf0202e960c54ULL,
        0xdb61f035e7f94810ULL, 0x7332f05c99f595ccULL, 0x4b2ff049509ad188ULL,
        0x0308f0770b2b1d44ULL, 0x3b15f062c2445900ULL, 0x78f7d6f6afa53597ULL,
        0x40ead6e366ca71d3ULL, 0x08cdd6dd3d7bbd1fULL, 0x30d0d6c8f414f95bULL,
        0x9883d6a18a182487ULL, 0xa09ed6b4437760c3ULL, 0xe8b9d68a18c6ac0fULL,
        0xd0a4d69fd1a9e84bULL,
    },
};

uint64_t rkb_crc64(uint64_t crc, const void *p, size_t n) {
    const unsigned char *s = p;

    while (n >= 8) {
        /* Little-endian load: the register is reflected, so the first
         * byte of the input meets its low byte. */
        crc ^= (uint64_t)s[0] | (uint64_t)s[1] << 8 |
               (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24 |
               (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 |
               (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
        crc = crc64_tab[7][crc & 0xff] ^
              crc64_tab[6][(crc >> 8) & 0xff] ^
              crc64_tab[5][(crc >> 16) & 0xff] ^
              crc64_tab[4][(crc >> 24) & 0xff] ^
              crc64_tab[3][(crc >> 32) & 0xff] ^
              crc64_tab[2][(crc >> 40) & 0xff] ^
              crc64_tab[1][(crc >> 48) & 0xff] ^
              crc64_tab[0][crc >> 56];
        s += 8;
        n -= 8;
    }
    while (n > 0) {
        crc = crc64_tab[0][(crc ^ *s) & 0xff] ^ (crc >> 8);
        s++;
        n--;
    }
    return crc;
}
