/* rkb_msg.h -- codec for rkbridge record format v1 (see schema/FORMAT.md).
 *
 * Every Kafka record value rkbridge writes is a 64-byte header followed by a
 * type-specific body. This module turns an rkb_msg_t into those bytes and
 * back. It is pure: libc only, no I/O, no allocation, no logging, and it is
 * safe to call from any number of threads at once.
 *
 * The decoder is the format's gatekeeper: anything it accepts satisfies
 * every per-record rule of FORMAT.md, and re-encoding it yields the same
 * bytes. Rules that span several records (contiguity, BEGIN/END pairing)
 * are the reader's job. */
#ifndef RKB_MSG_H
#define RKB_MSG_H
#include <stddef.h>
#include <stdint.h>

#define RKB_MSG_VERSION 1
#define RKB_MSG_HDR_SIZE 64
#define RKB_MSG_REPLID_LEN 40
#define RKB_MSG_DB_NONE 0xFFFF      /* no SELECT seen since the full sync */
#define RKB_MSG_F_CONTINUED 0x01    /* STREAM_FRAME: block goes on */

typedef enum {
    RKB_MSG_STREAM_FRAME = 1,   /* stream topic: replication stream bytes */
    RKB_MSG_HEARTBEAT = 2,      /* stream topic: published up to offset */
    RKB_MSG_SNAPSHOT_BEGIN = 3, /* snapshot topic: a full sync starts */
    RKB_MSG_SNAPSHOT_CHUNK = 4, /* snapshot topic: RDB bytes */
    RKB_MSG_SNAPSHOT_END = 5,   /* snapshot topic: RDB complete */
    RKB_MSG_RESYNC = 6,         /* stream topic: stream restarts at a sync */
    RKB_MSG_REPLID_CHANGE = 7   /* stream topic: failover, history forks */
} rkb_msg_type_t;

typedef enum {
    RKB_MSG_OK = 0,
    RKB_MSG_ETRUNCATED = -1, /* shorter than the header or fixed body */
    RKB_MSG_EMAGIC = -2,     /* not an rkbridge record */
    RKB_MSG_EVERSION = -3,   /* a version this reader does not know */
    RKB_MSG_ETYPE = -4,      /* a type this version does not define */
    RKB_MSG_ECORRUPT = -5    /* violates a rule of FORMAT.md */
} rkb_msg_err_t;

/* SNAPSHOT_BEGIN framing: how the master announced the RDB transfer. */
#define RKB_MSG_FRAMING_DISK 0 /* "$<len>": expected_size is <len> */
#define RKB_MSG_FRAMING_EOF 1  /* "$EOF:<mark>": expected_size UINT64_MAX */

typedef struct rkb_msg_s {
    rkb_msg_type_t type;
    uint8_t flags;
    uint16_t db;
    char replid[RKB_MSG_REPLID_LEN + 1]; /* NUL-terminated */
    uint64_t start_offset, end_offset;
    union {
        struct {
            const char *data; /* borrowed */
            size_t len;
        } frame;
        struct {
            uint64_t wall_clock_ms;
        } heartbeat;
        struct {
            uint64_t sync_id, wall_clock_ms;
            uint8_t framing;
            uint64_t expected_size;
        } snap_begin;
        struct {
            uint64_t sync_id, rdb_pos;
            const char *data; /* borrowed */
            size_t len;
        } snap_chunk;
        struct {
            uint64_t sync_id, rdb_size, crc64, chunk_count;
        } snap_end;
        struct {
            uint64_t sync_id;
            int32_t partition;
            int64_t begin_offset, end_offset;
        } resync;
        struct {
            char old_replid[RKB_MSG_REPLID_LEN + 1]; /* NUL-terminated */
        } replid_change;
    } u;
} rkb_msg_t;

/** Bytes rkb_msg_encode() writes for m. */
size_t rkb_msg_encoded_size(const rkb_msg_t *m);

/** Encodes m into out, which holds rkb_msg_encoded_size(m) bytes.
 *  @returns bytes written. m must be valid (caller's invariant): the encoder
 *  checks nothing, so a record the decoder would reject is written as is. */
size_t rkb_msg_encode(const rkb_msg_t *m, char *out);

/** Decodes a record value; data pointers in *m borrow from buf. On error
 *  fills errstr (if errstr_size > 0) with a one-line reason such as "record
 *  version 9 is not supported (this reader knows 1)" or "stream frame body
 *  is 10 bytes but offsets span 12"; callers prefix it with topic, partition
 *  and offset. On error *m is cleared. */
rkb_msg_err_t rkb_msg_decode(const char *buf, size_t len, rkb_msg_t *m,
                             char *errstr, size_t errstr_size);

/** "frame", "heartbeat", "snapshot-begin", "snapshot-chunk", "snapshot-end",
 *  "resync", "replid-change", or "unknown". */
const char *rkb_msg_type2str(rkb_msg_type_t type);

/** CRC-64/Jones (Redis' crc64): crc = rkb_crc64(crc, p, n), start with 0.
 *  Check value: crc of "123456789" is 0xe9c6d914c4b8d9ca. */
uint64_t rkb_crc64(uint64_t crc, const void *p, size_t n);

#endif
