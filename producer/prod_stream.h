/* prod_stream.h -- I/O-free parser of everything a Redis master sends to a
 * replica: handshake reply lines, the PSYNC reply, the RDB transfer (disk
 * "$<len>" and diskless "$EOF:<mark>" framings, keepalive newlines) and the
 * command stream, which it cuts into frames that end on safe points.
 *
 * A safe point is a command boundary outside MULTI ... EXEC: the offset a
 * replica could stop at and resume from with PSYNC.
 *
 * Feed bytes as they arrive, then pull events until RKB_EAGAIN.
 * Never blocks, never logs, not thread-safe. */
#ifndef PROD_STREAM_H
#define PROD_STREAM_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_err.h"

#define PROD_RDB_SIZE_UNKNOWN UINT64_MAX /* $EOF: framing */
#define PROD_DB_UNKNOWN (-1)             /* no SELECT seen since the sync */
#define PROD_REPLID_LEN 40

typedef struct prod_stream_limits_s {
    size_t frame_max;      /* max payload bytes of one frame, >= 64 */
    size_t line_max;       /* max reply or header line, without CRLF */
    uint64_t bulk_max;     /* max RESP bulk length in the stream */
    uint64_t argc_max;     /* max RESP array length in the stream */
} prod_stream_limits_t;

typedef enum {
    PROD_EV_REPLY,      /* a handshake reply line (see expect_reply) */
    PROD_EV_FULLRESYNC, /* +FULLRESYNC <replid> <offset>; RDB follows */
    PROD_EV_CONTINUE,   /* +CONTINUE [<replid>]; call start_stream next */
    PROD_EV_RDB_BEGIN,  /* rdb_size set (PROD_RDB_SIZE_UNKNOWN for $EOF) */
    PROD_EV_RDB_DATA,   /* data/len: RDB bytes, borrowed */
    PROD_EV_RDB_END,    /* the whole RDB was delivered; stream follows */
    PROD_EV_FRAME,      /* data/len: stream bytes [start, end), borrowed */
} prod_ev_type_t;

typedef struct prod_ev_s {
    prod_ev_type_t type;
    /* REPLY: the line without CRLF, including its first char ('+' or '-').
     * PSYNC errors are REPLY events with is_error set. */
    int is_error;
    const char *data; /* REPLY, RDB_DATA, FRAME; borrowed until next call */
    size_t len;
    char replid[PROD_REPLID_LEN + 1]; /* FULLRESYNC, CONTINUE ("" if bare) */
    uint64_t offset;                  /* FULLRESYNC: master offset */
    uint64_t rdb_size;                /* RDB_BEGIN */
    uint64_t start, end;              /* FRAME: master offsets, end-start=len */
    int db;            /* FRAME: db selected at start, or PROD_DB_UNKNOWN */
    int continued;     /* FRAME: does not end on a safe point */
    int has_getack;    /* FRAME: ends with REPLCONF GETACK */
    uint64_t getack_offset; /* FRAME: offset just before that GETACK */
} prod_ev_t;

typedef struct prod_stream_s prod_stream_t; /* opaque */

/** @returns a parser expecting a handshake reply line. lim is copied. */
prod_stream_t *prod_stream_new(const prod_stream_limits_t *lim);
void prod_stream_destroy(prod_stream_t *ps); /* NULL is a no-op */

/** For a new connection: drops buffered bytes, clears the sticky error,
 *  and expects a handshake reply line. */
void prod_stream_reset(prod_stream_t *ps);
/** The next line is the reply to a handshake command: "+..." or "-...".
 *  Anything else is RKB_EPROTO ("not a Redis server?"). */
void prod_stream_expect_reply(prod_stream_t *ps);
/** The next reply is PSYNC's: keepalive "\n" are skipped; +FULLRESYNC is
 *  followed by the RDB (keepalives, then "$<len>" or "$EOF:<mark>", a "-"
 *  line there is a REPLY error event); +CONTINUE waits for start_stream. */
void prod_stream_expect_psync(prod_stream_t *ps);
/** Parse the command stream from master offset `offset` with `db` selected
 *  (PROD_DB_UNKNOWN if none). Used after +CONTINUE and to scan a journaled
 *  frame again on recovery. */
void prod_stream_start_stream(prod_stream_t *ps, uint64_t offset, int db);

/** Copies buf. @returns RKB_OK, or the sticky error. */
rkb_err_t prod_stream_feed(prod_stream_t *ps, const char *buf, size_t len);
/** @returns RKB_OK with *ev set, RKB_EAGAIN if more bytes are needed, else a
 *  sticky error (RKB_EPROTO, RKB_ELIMIT) described by prod_stream_errstr. */
rkb_err_t prod_stream_next(prod_stream_t *ps, prod_ev_t *ev);
const char *prod_stream_errstr(const prod_stream_t *ps);

/** Master offset after the last byte emitted in a FRAME event. */
uint64_t prod_stream_offset(const prod_stream_t *ps);
/** Db selected at prod_stream_offset(), or PROD_DB_UNKNOWN. */
int prod_stream_db(const prod_stream_t *ps);

#endif
