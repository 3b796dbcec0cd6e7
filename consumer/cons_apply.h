/* cons_apply.h -- apply mode: the consumer writes the journal into a
 * target Redis as an ordinary client, exactly once.
 *
 * The newest complete snapshot is loaded first (bridge/rkb_rdbcmd: RESTORE
 * payloads or plain commands), then the stream follows (cons_rewrite),
 * in MULTI/EXEC transactions that also set the consumer's position, a key
 * of the target: whatever instant the consumer dies at, the target holds
 * either a whole transaction and the position after it, or neither, and a
 * restart goes on from the position it finds there.
 *
 * Runs on a thread of its own (hiredis and librdkafka calls block there);
 * the daemon's event loop thread only starts, watches and stops it. */
#ifndef CONS_APPLY_H
#define CONS_APPLY_H
#include <stddef.h>
#include "rkb_buf.h"
#include "rkb_kafka.h"
#include "cons_rewrite.h"

typedef struct cons_apply_opts_s {
    const char *brokers, *topic, *snapshot_topic, *group;
    const rkb_kafka_prop_t *props; /* borrowed during cons_apply_new */
    size_t n_props;
    const char *host; /* the target */
    int port;
    const char *user, *password; /* NULL: none */
    int flush;          /* may flush the target before a full load */
    const char *load;   /* "auto", "restore" or "commands" */
    int on_error_log;   /* log error replies and go on (else stop) */
    const char *key_prefix;
    const cons_filter_t *filter; /* borrowed: must outlive the applier */
    size_t batch_commands;
} cons_apply_opts_t;

typedef struct cons_apply_s cons_apply_t;

/** Checks the options and creates the Kafka handle. @returns NULL with
 *  errstr set. */
cons_apply_t *cons_apply_new(const cons_apply_opts_t *o, char *errstr,
                             size_t errstr_size);

/** Starts the applier's thread; when it ends by itself (a fatal error) it
 *  writes one byte to done_fd. @returns 0, or -1 with errno set. */
int cons_apply_start(cons_apply_t *a, int done_fd);

/** Asks the thread to stop after the transaction in flight, joins it.
 *  @returns the exit code: 0, or RKB_EXIT_FATAL after a fatal error. */
int cons_apply_stop(cons_apply_t *a);

void cons_apply_destroy(cons_apply_t *a); /* NULL is a no-op */

/** For /metrics and /health (any thread). */
void cons_apply_metrics(cons_apply_t *a, rkb_buf_t *out);
int cons_apply_ready(cons_apply_t *a);

/* ---- the position key's value, I/O-free (exposed for tests) ---- */

typedef enum { CONS_POS_NONE, CONS_POS_LOAD, CONS_POS_STREAM } cons_pos_state_t;

typedef struct cons_pos_s {
    cons_pos_state_t state;
    char topic[256];
    int64_t koff;       /* LOAD: the RESYNC record; STREAM: next record */
    char replid[41];    /* STREAM */
    uint64_t offset;    /* STREAM: stream bytes applied up to here */
    long db;            /* STREAM: the stream's selected db, -1: none */
} cons_pos_t;

/** "v1 load <topic> <koff>" or "v1 stream <topic> <koff> <replid>
 *  <offset> <db>". @returns the length written (< size), or -1 when buf
 *  is too small. */
int cons_pos_format(const cons_pos_t *p, char *buf, size_t size);
/** Fields are single spaces apart, decimal, in range; the replid is 40
 *  lower-case hex digits; db is -1 or 0..65535.
 *  @returns 0, or -1 when s is not a position this version writes. */
int cons_pos_parse(const char *s, size_t len, cons_pos_t *p);

#endif
