/* rkb_rdb.h -- I/O-free streaming parser for Redis RDB files (RDB 1..12).
 *
 * Feed bytes as they arrive, in chunks of any size; pull events. Elements of
 * a key come out in batches bounded by the limits below, so a huge
 * hashtable-encoded key never has to fit in memory. A single string or a
 * single ziplist/listpack/intset/zipmap blob is held whole (capped by
 * string_max). Never blocks, never logs, not thread-safe.
 *
 * Streams (types 15, 19, 21) come out entry by entry with their metadata,
 * consumer groups, pending lists and consumers. Not supported yet, and
 * refused with RKB_EUNSUPPORTED: module values (types 6, 7), MODULE_AUX
 * (247), pre-GA functions (246) and pre-GA hash field TTLs (type 22).
 *
 * Anything the parser does not understand (an unknown type byte or opcode,
 * a module value, a corrupt encoding) is a sticky error with the byte offset
 * and the current key in rkb_rdb_errstr(): it never skips data silently.
 * Empty containers are reported as they are in the file (KEY_BEGIN, KEY_END
 * and no elements); a loader should skip them, as Redis does. */
#ifndef RKB_RDB_H
#define RKB_RDB_H
#include <stddef.h>
#include <stdint.h>

#include "rkb_err.h"

#define RKB_RDB_VERSION_MAX 12

/* Zero fields take the defaults shown. */
typedef struct rkb_rdb_limits_s {
    size_t batch_elems; /* elements per ELEMS event (128) */
    size_t batch_bytes; /* element bytes per ELEMS event, soft (1 MiB) */
    size_t string_max;  /* largest string or blob held whole (512 MiB) */
} rkb_rdb_limits_t;

typedef struct rkb_rdb_s rkb_rdb_t; /* opaque */

typedef enum {
    RKB_RDB_EV_HEADER,    /* version */
    RKB_RDB_EV_AUX,       /* name, value */
    RKB_RDB_EV_SELECTDB,  /* db */
    RKB_RDB_EV_RESIZEDB,  /* db_size, expires_size */
    RKB_RDB_EV_SLOT_INFO, /* slot, slot_size, slot_expires_size */
    RKB_RDB_EV_FUNCTION,  /* value: the library source */
    RKB_RDB_EV_KEY_BEGIN, /* db, obj_type, rdb_type, key, expire_ms, ... */
    RKB_RDB_EV_ELEMS,     /* key, obj_type, elems[0..nelems) */
    RKB_RDB_EV_KEY_END,   /* key, obj_type */
    /* Streams: entries come as ELEMS (one elem per field/value pair, the
     * pairs of one entry share its id and are never split across events),
     * then STREAM_META, then per group STREAM_GROUP, its STREAM_PEL
     * batches, and per consumer STREAM_CONSUMER and its
     * STREAM_CONSUMER_PEL batches (elems carry only the id). */
    RKB_RDB_EV_STREAM_META,  /* length, id (last), first_id,
                              * max_deleted_id, entries_added, count
                              * (groups) */
    RKB_RDB_EV_STREAM_GROUP, /* name, id (last delivered), entries_read,
                              * count (PEL size) */
    RKB_RDB_EV_STREAM_PEL,   /* elems: id, delivery_ms, delivery_count */
    RKB_RDB_EV_STREAM_CONSUMER,     /* name, seen_ms, active_ms, count */
    RKB_RDB_EV_STREAM_CONSUMER_PEL, /* elems: id */
    RKB_RDB_EV_EOF        /* checksum, checksum_checked */
} rkb_rdb_ev_type_t;

/* Logical types: how to read the elements of a key. */
typedef enum {
    RKB_RDB_STRING, /* one element: str */
    RKB_RDB_LIST,   /* str per item, in order */
    RKB_RDB_SET,    /* str per member */
    RKB_RDB_ZSET,   /* str = member, score */
    RKB_RDB_HASH,   /* str = field, value, expire_ms (field TTL or -1) */
    RKB_RDB_STREAM, /* id, str = field, value (see the STREAM_ events) */
    RKB_RDB_MODULE  /* not supported yet: refused with RKB_EUNSUPPORTED */
} rkb_rdb_type_t;

typedef struct rkb_rdb_str_s {
    const char *ptr;
    size_t len;
} rkb_rdb_str_t;

/* A stream ID. */
typedef struct rkb_rdb_id_s {
    uint64_t ms, seq;
} rkb_rdb_id_t;

/* Stream counters that the file marks as unknown (entries_read). */
#define RKB_RDB_UNKNOWN UINT64_MAX

typedef struct rkb_rdb_elem_s {
    rkb_rdb_str_t str;   /* string value, list item, member or hash field */
    rkb_rdb_str_t value; /* hash value */
    double score;        /* zset score */
    int64_t expire_ms;   /* hash field absolute expiry in ms, -1: none */
    rkb_rdb_id_t id;     /* stream entry or PEL id */
    int64_t delivery_ms; /* stream PEL: last delivery time */
    uint64_t delivery_count;
} rkb_rdb_elem_t;

/* Every pointer is borrowed: valid until the next call on the parser. */
typedef struct rkb_rdb_event_s {
    rkb_rdb_ev_type_t type;
    uint64_t offset; /* byte offset in the RDB where the item starts */
    int version;     /* HEADER */
    rkb_rdb_str_t name, value;          /* AUX name/value, FUNCTION value */
    uint64_t db;                        /* SELECTDB, KEY_BEGIN */
    uint64_t db_size, expires_size;     /* RESIZEDB, SLOT_INFO */
    uint64_t slot;                      /* SLOT_INFO */
    rkb_rdb_type_t obj_type;            /* KEY_BEGIN, ELEMS, KEY_END */
    int rdb_type;                       /* KEY_BEGIN: the type byte */
    rkb_rdb_str_t key;                  /* KEY_BEGIN, ELEMS, KEY_END */
    /* KEY_BEGIN: offset of the value's first byte (right after the key);
     * KEY_END: offset just after its last byte. The type byte and the
     * bytes in between are what DUMP serializes (reference 4.1). */
    uint64_t value_offset, end_offset;
    int64_t expire_ms;                  /* KEY_BEGIN: absolute, -1: none */
    int64_t lru_idle;                   /* KEY_BEGIN: seconds, -1: none */
    int lfu_freq;                       /* KEY_BEGIN: 0..255, -1: none */
    const rkb_rdb_elem_t *elems;        /* ELEMS */
    size_t nelems;                      /* ELEMS: >= 1 */
    rkb_rdb_id_t id, first_id, max_deleted_id; /* streams, see above */
    uint64_t length, entries_added, entries_read, count; /* streams */
    int64_t seen_ms, active_ms;         /* STREAM_CONSUMER, -1: absent */
    uint64_t checksum;                  /* EOF: stored CRC-64, 0 if none */
    int checksum_checked;               /* EOF: 1 when it was verified */
} rkb_rdb_event_t;

/** @returns a new parser; lim may be NULL for the defaults. */
rkb_rdb_t *rkb_rdb_new(const rkb_rdb_limits_t *lim);
void rkb_rdb_destroy(rkb_rdb_t *rdb); /* NULL is a no-op */

/** Copies buf[0..len) into the parser.
 *  @returns RKB_OK, or the sticky error if one happened. */
rkb_err_t rkb_rdb_feed(rkb_rdb_t *rdb, const char *buf, size_t len);

/** @returns RKB_OK with *ev set, RKB_EAGAIN when more input is needed (also
 *  forever after the EOF event), or a sticky error: RKB_ECORRUPT,
 *  RKB_EVERSION, RKB_EUNSUPPORTED or RKB_ELIMIT. */
rkb_err_t rkb_rdb_next(rkb_rdb_t *rdb, rkb_rdb_event_t *ev);

/** One line describing the sticky error, "" if none. */
const char *rkb_rdb_errstr(const rkb_rdb_t *rdb);

/** Bytes consumed so far; after EOF, where the RDB ended in the input. */
uint64_t rkb_rdb_offset(const rkb_rdb_t *rdb);

#endif
