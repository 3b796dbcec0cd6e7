/* rkb_rdbcmd.h -- I/O-free conversion of an RDB file into the RESP commands
 * that rebuild its dataset on a Redis target (rkbridge rdb2resp, the
 * consumer's apply mode).
 *
 * Feed RDB bytes in chunks of any size; the commands of each completed key
 * are appended to a buffer the caller writes wherever it likes. Plain
 * commands: SELECT, then SET / RPUSH / SADD / ZADD / HSET with at most 512
 * elements each, PEXPIREAT, HPEXPIREAT per field with a TTL, streams with
 * XADD / XSETID / XGROUP / XCLAIM, and FUNCTION LOAD REPLACE. Or, when the
 * target takes the file's RDB version, RESTORE with the value's bytes as
 * the file stores them (reference 4.1) and PEXPIREAT. Empty containers are
 * skipped, as Redis does on load. Module values are refused.
 *
 * Output never depends on how the input was split. Memory stays bounded
 * whatever the size of a key: plain commands of a huge key come out in
 * pieces, and a value is held for RESTORE only up to restore_max.
 * Never blocks, never logs, not thread-safe. */
#ifndef RKB_RDBCMD_H
#define RKB_RDBCMD_H
#include <stddef.h>
#include <stdint.h>

#include "rkb_buf.h"
#include "rkb_err.h"

/* A huge key's plain commands are appended in pieces of whole commands of
 * at least this size. */
#define RKB_RDBCMD_PIECE_BYTES (16 * 1024 * 1024)
/* Default of restore_max. */
#define RKB_RDBCMD_RESTORE_MAX (64 * 1024 * 1024)

/* Zero fields take the defaults shown. */
typedef struct rkb_rdbcmd_opts_s {
    /* RESTORE payloads are used when the file's RDB version <= this (the
     * target's RDB version); 0: always plain commands. */
    int restore_version;
    /* Values whose payload (type byte, value, 10-byte footer) exceeds this
     * are loaded with plain commands even when RESTORE is allowed (0: 64
     * MiB). While a value may still be restored its plain commands are
     * held too, up to max(2 * restore_max, 16 MiB); a value whose commands
     * grow past that is loaded with plain commands as well. */
    size_t restore_max;
    /* Each key's commands replace an existing key of that name: RESTORE ...
     * REPLACE, and a DEL before the commands of non-string types. Lets a
     * load be redone over a partial earlier load without a flush. */
    int replace;
    /* Called at each key: returns the target db for (db, key), or -1 to
     * leave the key out. NULL: every key, same db. key is borrowed for the
     * call only. */
    int64_t (*map_key)(void *arg, uint64_t db, const char *key, size_t len);
    void *map_arg;
    /* Function libraries are loaded too (FUNCTION LOAD REPLACE); 0 leaves
     * them out. */
    int functions;
} rkb_rdbcmd_opts_t;

typedef struct rkb_rdbcmd_s rkb_rdbcmd_t; /* opaque */

/** @returns a new converter; o may be NULL for the defaults (no RESTORE,
 *  no functions). */
rkb_rdbcmd_t *rkb_rdbcmd_new(const rkb_rdbcmd_opts_t *o);
void rkb_rdbcmd_destroy(rkb_rdbcmd_t *c); /* NULL is a no-op */

/** Feeds RDB bytes (any chunk size). Commands of each completed key are
 *  appended to out (a huge key's commands in pieces of whole commands,
 *  >= RKB_RDBCMD_PIECE_BYTES each, so memory stays bounded); out is the
 *  caller's, only appended to. Bytes after the RDB's EOF (an AOF tail) are
 *  ignored.
 *  @returns RKB_OK, or a sticky error (RKB_ECORRUPT, RKB_EVERSION,
 *  RKB_EUNSUPPORTED, RKB_ELIMIT) with rkb_rdbcmd_errstr() = one line with
 *  the RDB offset and the key. out then ends with the last whole key. */
rkb_err_t rkb_rdbcmd_feed(rkb_rdbcmd_t *c, const char *buf, size_t len,
                          rkb_buf_t *out);

/** The input ended: @returns RKB_OK if the EOF was reached, else the sticky
 *  error, setting one (RKB_ECORRUPT, "truncated", with the offset and the
 *  last key) if there was none. */
rkb_err_t rkb_rdbcmd_finish(rkb_rdbcmd_t *c);

int rkb_rdbcmd_done(const rkb_rdbcmd_t *c); /* the EOF (and CRC) was reached */
uint64_t rkb_rdbcmd_commands(const rkb_rdbcmd_t *c); /* appended to out */
/* Keys converted so far (left out and empty ones not counted), and how many
 * of them as RESTORE. */
uint64_t rkb_rdbcmd_keys(const rkb_rdbcmd_t *c);
uint64_t rkb_rdbcmd_restored(const rkb_rdbcmd_t *c);
int rkb_rdbcmd_version(const rkb_rdbcmd_t *c); /* 0 before the header */
/** One line describing the sticky error, "" if none. */
const char *rkb_rdbcmd_errstr(const rkb_rdbcmd_t *c);

/** The RDB version a Redis server writes, from its INFO redis_version
 *  ("7.0.15" -> 10, "7.2.4" -> 11, "7.4.0" and 8.x -> 12, 6.x/5.0 -> 9,
 *  4.0 -> 8, 3.2 -> 7, older -> 6); 0 if unparsable. */
int rkb_rdb_version_of_redis(const char *redis_version);

#endif
