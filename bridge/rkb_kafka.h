/* rkb_kafka.h -- librdkafka helpers both daemons and the tool share:
 * configuration from our config, log routing, topic checks and creation,
 * and reading records at given offsets. All calls block for at most the
 * timeout they are given and run on the caller's thread. */
#ifndef RKB_KAFKA_H
#define RKB_KAFKA_H
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "rkb_err.h"

/** One "name=value" librdkafka property and where it was configured
 *  ("producer.conf:12" or "-o"), for error messages. */
typedef struct rkb_kafka_prop_s {
    const char *text;
    const char *where;
} rkb_kafka_prop_t;

/** Builds a librdkafka configuration: bootstrap.servers = brokers, our
 *  logging routed through rkb_log ("kafka/<fac>", delivered by
 *  rd_kafka_poll on the caller's thread), the caller's defaults
 *  (NULL-terminated name, value pairs; may be NULL), then the user's
 *  properties, which override everything before them. @returns NULL with errstr set
 *  ("producer.conf:12: kafka.properties: No such configuration property:
 *  \"linger.mss\""). The caller owns the result. */
rd_kafka_conf_t *rkb_kafka_conf_new(const char *brokers,
                                    const char *const *defaults,
                                    const rkb_kafka_prop_t *props,
                                    size_t n_props, char *errstr,
                                    size_t errstr_size);

/** Call once after rd_kafka_new so library logs arrive on our thread. */
void rkb_kafka_route_logs(rd_kafka_t *rk);

/** Looks the topic up; when missing and create is set, creates it with
 *  `partitions` partitions, replication factor `replication` (-1 =
 *  broker default) and the topic configs in `configs` (NULL-terminated
 *  name, value pairs; may be NULL) through the Admin API. *partitions_out gets the
 *  topic's partition count. @returns RKB_OK; RKB_ETIMEDOUT when the
 *  brokers cannot be reached (retry later); RKB_EKAFKA for a refusal
 *  (errstr says what). */
rkb_err_t rkb_kafka_ensure_topic(rd_kafka_t *rk, const char *topic,
                                 int create, int partitions, int replication,
                                 const char *const *configs, int timeout_ms,
                                 int *partitions_out,
                                 char *errstr, size_t errstr_size);

/** A consumer handle that reads partitions at explicit offsets (assign, no
 *  subscription) and never commits by itself: the caller commits to group
 *  (NULL: a fixed name, for handles that never commit). eof: deliver an
 *  end-of-partition event; offset_reset: "auto.offset.reset" (NULL: the
 *  librdkafka default). defaults as for rkb_kafka_conf_new. @returns NULL
 *  with errstr set. */
rd_kafka_t *rkb_kafka_consumer_new(const char *brokers, const char *group,
                                   int eof, const char *offset_reset,
                                   const char *const *defaults,
                                   const rkb_kafka_prop_t *props,
                                   size_t n_props, char *errstr,
                                   size_t errstr_size);

/** Makes topic/partition from koff on the handle's only assignment.
 *  @returns 0, or -1 with errstr set. */
int rkb_kafka_assign_one(rd_kafka_t *rk, const char *topic, int32_t partition,
                         int64_t koff, char *errstr, size_t errstr_size);

/** Low and high watermarks of a partition (high = offset of the next
 *  record). @returns RKB_OK, RKB_ETIMEDOUT (brokers unreachable: retry) or
 *  RKB_EKAFKA, with errstr set. */
rkb_err_t rkb_kafka_watermarks(rd_kafka_t *rk, const char *topic,
                               int32_t partition, int64_t *low, int64_t *high,
                               int timeout_ms, char *errstr,
                               size_t errstr_size);

/** Commits koff (the next offset to read) of topic/partition to the
 *  handle's group; async: do not wait for the broker. @returns 0, or -1
 *  with errstr set. */
int rkb_kafka_commit_one(rd_kafka_t *rk, const char *topic, int32_t partition,
                         int64_t koff, int async, char *errstr,
                         size_t errstr_size);

/** A reader of a partition at explicit offsets, with no group and no
 *  commits. */
typedef struct rkb_kafka_reader_s rkb_kafka_reader_t;

rkb_kafka_reader_t *rkb_kafka_reader_new(const char *brokers,
                                         const rkb_kafka_prop_t *props,
                                         size_t n_props, char *errstr,
                                         size_t errstr_size);
void rkb_kafka_reader_destroy(rkb_kafka_reader_t *rd); /* NULL: no-op */

/** Low and high watermarks (high = offset of the next record). */
rkb_err_t rkb_kafka_reader_watermarks(rkb_kafka_reader_t *rd,
                                      const char *topic, int32_t partition,
                                      int64_t *low, int64_t *high,
                                      int timeout_ms, char *errstr,
                                      size_t errstr_size);

/** Called per record; return 0 to go on, non-zero to stop. The message is
 *  borrowed for the duration of the call. */
typedef int rkb_kafka_record_fn(const rd_kafka_message_t *msg, void *arg);

/** Delivers records from..to-1 of topic/partition in order, stopping early
 *  when fn returns non-zero. @returns RKB_OK, RKB_ETIMEDOUT when no record
 *  arrived for timeout_ms, or RKB_EKAFKA. */
rkb_err_t rkb_kafka_reader_read(rkb_kafka_reader_t *rd, const char *topic,
                                int32_t partition, int64_t from, int64_t to,
                                int timeout_ms, rkb_kafka_record_fn *fn,
                                void *arg, char *errstr, size_t errstr_size);

#endif
