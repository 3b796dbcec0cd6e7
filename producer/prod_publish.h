/* prod_publish.h -- encodes records and produces them to Kafka (acks=all,
 * idempotence on, no message timeout), and turns delivery reports into the
 * durable position: the stream position up to which every record produced
 * so far has been confirmed by Kafka.
 *
 * Records are tracked in production order across both topics, so the
 * durable position only moves past a record once everything produced
 * before it is confirmed. Runs on the producer's single thread: delivery
 * reports are served by prod_publish_poll(). */
#ifndef PROD_PUBLISH_H
#define PROD_PUBLISH_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_err.h"
#include "rkb_kafka.h"
#include "rkb_msg.h"

/* A position in the master's replication history. */
typedef struct prod_pos_s {
    char replid[RKB_MSG_REPLID_LEN + 1]; /* "" = none */
    uint64_t offset;
    int db; /* -1: none selected since the full sync */
} prod_pos_t;

typedef struct prod_publish_opts_s {
    const char *brokers;
    const char *topic;
    const char *snapshot_topic;
    const rkb_kafka_prop_t *props;
    size_t n_props;
    int replication_factor;
    size_t chunk_bytes;
    size_t max_inflight_bytes;
} prod_publish_opts_t;

typedef struct prod_publish_s prod_publish_t;

/** @returns NULL with errstr set on a configuration error. opts strings are
 *  copied. */
prod_publish_t *prod_publish_new(const prod_publish_opts_t *opts, char *errstr,
                                 size_t errstr_size);
void prod_publish_destroy(prod_publish_t *pub); /* NULL is a no-op */

/** Checks both topics, creating missing ones with one partition.
 *  @returns RKB_OK; RKB_ETIMEDOUT when Kafka is unreachable (retry);
 *  RKB_EKAFKA when a topic cannot be created or the stream topic has
 *  several partitions (fatal). */
rkb_err_t prod_publish_check_topics(prod_publish_t *pub, int timeout_ms,
                                    char *errstr, size_t errstr_size);

/** Reads the stream topic's tail and finds the last safe position
 *  published. pos->replid is "" when the topic holds none.
 *  @returns RKB_OK, RKB_ETIMEDOUT (retry) or RKB_ECORRUPT (fatal). */
rkb_err_t prod_publish_recover(prod_publish_t *pub, prod_pos_t *pos,
                               char *errstr, size_t errstr_size);

/** An fd that becomes readable when librdkafka has events for us. */
int prod_publish_fd(const prod_publish_t *pub);
/** Serves delivery reports, logs and errors. @returns RKB_OK, or RKB_EKAFKA
 *  after a fatal error (errstr set): the process must stop publishing. */
rkb_err_t prod_publish_poll(prod_publish_t *pub, char *errstr,
                            size_t errstr_size);

/* Producing. Each returns RKB_OK or RKB_EKAFKA (fatal, errstr set).
 * A frame gives the db selected at its start and at its end.
 * Frames and chunks copy data. */
rkb_err_t prod_publish_frame(prod_publish_t *pub, const char *replid,
                             uint64_t start, uint64_t end, int db,
                             int db_end, int continued, const char *data,
                             size_t len, char *errstr, size_t errstr_size);
rkb_err_t prod_publish_heartbeat(prod_publish_t *pub, const prod_pos_t *pos,
                                 char *errstr, size_t errstr_size);
rkb_err_t prod_publish_replid_change(prod_publish_t *pub,
                                     const prod_pos_t *pos,
                                     const char *old_replid, char *errstr,
                                     size_t errstr_size);
/** A full sync: begin, data (any sizes, cut into chunk_bytes records), end.
 *  After end, prod_publish_snapshot_done() turns true once the snapshot is
 *  durable and the RESYNC marker has been produced and confirmed; until
 *  then the position is not usable. abort forgets an unfinished one. */
rkb_err_t prod_publish_snapshot_begin(prod_publish_t *pub, const char *replid,
                                      uint64_t offset, int eof_framing,
                                      uint64_t expected_size, char *errstr,
                                      size_t errstr_size);
rkb_err_t prod_publish_snapshot_data(prod_publish_t *pub, const char *data,
                                     size_t len, char *errstr,
                                     size_t errstr_size);
rkb_err_t prod_publish_snapshot_end(prod_publish_t *pub, char *errstr,
                                    size_t errstr_size);
int prod_publish_snapshot_done(const prod_publish_t *pub);
void prod_publish_snapshot_abort(prod_publish_t *pub);

/** The durable position (replid "" until the first one). */
const prod_pos_t *prod_publish_durable(const prod_publish_t *pub);
/** Bytes produced but not yet confirmed. */
size_t prod_publish_inflight_bytes(const prod_publish_t *pub);
/** True when the caller should stop reading its source. */
int prod_publish_congested(const prod_publish_t *pub);
/** True when a paused caller may read again (half the cap confirmed). */
int prod_publish_relieved(const prod_publish_t *pub);
/** Waits up to timeout_ms for every produced record to be confirmed.
 *  @returns 0 when all were. */
int prod_publish_flush(prod_publish_t *pub, int timeout_ms);

/* Counters for metrics. */
typedef struct prod_publish_stats_s {
    uint64_t records, bytes, snapshot_bytes, full_syncs;
} prod_publish_stats_t;
const prod_publish_stats_t *prod_publish_stats(const prod_publish_t *pub);

#endif
