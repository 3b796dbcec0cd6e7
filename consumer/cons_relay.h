/* cons_relay.h -- relay mode: the consumer is the master of its region's
 * replicas. It listens on relay.listen, speaks the master side of the
 * replication protocol (cons_proto parses what replicas send), indexes the
 * stream topic (cons_index) and serves each replica from its own Kafka
 * reader: the newest complete snapshot and the stream after it
 * (+FULLRESYNC), or the stream from the replica's position (+CONTINUE).
 * Answers INFO replication and ROLE as a master would.
 * Runs on the daemon's event loop thread; librdkafka runs its own threads.
 */
#ifndef CONS_RELAY_H
#define CONS_RELAY_H
#include <stddef.h>
#include "rkb_buf.h"
#include "rkb_ev.h"
#include "rkb_kafka.h"

/* Output bytes queued for one replica above which its Kafka reader pauses
 * (backpressure: a slow replica costs this much memory, not more). */
#define CONS_RELAY_OUT_MAX (8 * 1024 * 1024)

typedef struct cons_relay_opts_s {
    const char *listen;  /* "host:port" */
    const char *password; /* NULL: no AUTH */
    const char *brokers;
    const char *topic;
    const char *snapshot_topic;
    const char *group;
    const rkb_kafka_prop_t *props; /* borrowed during cons_relay_new */
    size_t n_props;
} cons_relay_opts_t;

typedef struct cons_relay_s cons_relay_t;

/** Listens and starts indexing the stream topic. @returns NULL with errstr
 *  set. The relay keeps copies of what it needs from opts. */
cons_relay_t *cons_relay_new(rkb_ev_t *ev, const cons_relay_opts_t *opts,
                             char *errstr, size_t errstr_size);
/** Closes every connection and Kafka handle. NULL is a no-op. */
void cons_relay_destroy(cons_relay_t *r);

/** For metrics: connected replicas, replicas streaming, journal end. */
void cons_relay_metrics(cons_relay_t *r, rkb_buf_t *out);
/** Non-zero once the stream topic has been indexed up to its end. */
int cons_relay_ready(const cons_relay_t *r);

#endif
