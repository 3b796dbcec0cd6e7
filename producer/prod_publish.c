#include "rkb_fmacros.h"
#include "prod_publish.h"
#include "prod_stream.h"
#include "rkb_ev.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Record kinds whose confirmation matters beyond the durable position. */
enum { REC_PLAIN, REC_SNAP_BEGIN, REC_SNAP_END, REC_RESYNC };

typedef struct inflight_s {
    size_t bytes;
    int delivered;
    int kind;
    int has_pos;     /* confirming it moves the durable position to pos */
    prod_pos_t pos;
} inflight_t;

struct prod_publish_s {
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt_stream, *rkt_snap;
    char *brokers, *topic, *snapshot_topic;
    rkb_kafka_prop_t *props;
    size_t n_props;
    int replication_factor;
    size_t chunk_bytes, max_inflight_bytes;
    int io_pipe[2]; /* librdkafka writes a byte when its queue has events */

    /* In-flight records in production order: a ring indexed by sequence. */
    inflight_t *ring;
    size_t ring_cap;
    uint64_t head_seq, next_seq; /* [head_seq, next_seq) are in flight */
    size_t inflight_bytes;
    prod_pos_t durable;

    /* The snapshot being published. */
    int snap_state; /* 0 none, 1 open, 2 ended, 3 marker sent, 4 done */
    prod_pos_t snap_pos;
    uint64_t sync_id, snap_size, snap_crc, snap_chunks;
    int64_t snap_begin_koff, snap_end_koff;
    rkb_buf_t chunk;

    int fatal;
    char fatal_str[256];
    prod_publish_stats_t stats;
};

static void pos_set(prod_pos_t *p, const char *replid, uint64_t offset,
                    int db) {
    snprintf(p->replid, sizeof(p->replid), "%s", replid);
    p->offset = offset;
    p->db = db;
}

static uint16_t db_field(int db) {
    return db < 0 ? RKB_MSG_DB_NONE : (uint16_t)db;
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *msg,
                  void *opaque) {
    prod_publish_t *pub = opaque;
    uint64_t seq = (uint64_t)(uintptr_t)msg->_private;
    (void)rk;
    RKB_ASSERT(seq >= pub->head_seq && seq < pub->next_seq);
    inflight_t *in = &pub->ring[seq % pub->ring_cap];
    if (msg->err) {
        /* Messages never time out (message.timeout.ms=0), so a failed
         * delivery is permanent: publishing past it would leave a gap. */
        if (!pub->fatal) {
            pub->fatal = 1;
            snprintf(pub->fatal_str, sizeof(pub->fatal_str),
                     "delivery to topic '%s' failed: %s",
                     rd_kafka_topic_name(msg->rkt), rd_kafka_err2str(msg->err));
        }
        return;
    }
    in->delivered = 1;
    if (in->kind == REC_SNAP_BEGIN) {
        pub->snap_begin_koff = msg->offset;
    } else if (in->kind == REC_SNAP_END) {
        pub->snap_end_koff = msg->offset;
    }
    while (pub->head_seq < pub->next_seq) {
        inflight_t *h = &pub->ring[pub->head_seq % pub->ring_cap];
        if (!h->delivered) {
            break;
        }
        pub->inflight_bytes -= h->bytes;
        if (h->has_pos) {
            pub->durable = h->pos;
        }
        if (h->kind == REC_RESYNC && pub->snap_state == 3) {
            pub->snap_state = 4;
        }
        pub->head_seq++;
    }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason,
                     void *opaque) {
    prod_publish_t *pub = opaque;
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char buf[200];
        rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof(buf));
        pub->fatal = 1;
        snprintf(pub->fatal_str, sizeof(pub->fatal_str),
                 "fatal Kafka error: %s: %s", rd_kafka_err2name(orig), buf);
        return;
    }
    /* Transient: librdkafka keeps retrying, and the caller sees the
     * backlog grow and stops reading from the master. */
    rkb_log(RKB_LOG_WARN, "kafka", "%s: %s",
            rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static void ring_grow(prod_publish_t *pub) {
    size_t cap = pub->ring_cap ? pub->ring_cap * 2 : 1024;
    inflight_t *ring = rkb_calloc(cap, sizeof(*ring));
    for (uint64_t s = pub->head_seq; s < pub->next_seq; s++) {
        ring[s % cap] = pub->ring[s % pub->ring_cap];
    }
    free(pub->ring);
    pub->ring = ring;
    pub->ring_cap = cap;
}

prod_publish_t *prod_publish_new(const prod_publish_opts_t *opts, char *errstr,
                                 size_t errstr_size) {
    char kerr[256], queue_kbytes[32];
    /* Our own in-flight cap is what bounds memory; librdkafka's queue only
     * needs room above it (a record is at most 1 MB plus our header).
     * Replicas downstream wait for every record: batch for 1 ms, not
     * librdkafka's 5 ms; under load the producer hands Kafka large frames
     * anyway. The user's kafka.properties may change all of these. */
    snprintf(queue_kbytes, sizeof(queue_kbytes), "%zu",
             (opts->max_inflight_bytes * 2 + 4 * 1048576) / 1024);
    const char *const defaults[] = {
        "linger.ms", "1", "queue.buffering.max.kbytes", queue_kbytes,
        "queue.buffering.max.messages", "1000000", "message.max.bytes",
        "1048576", NULL};
    rd_kafka_conf_t *conf =
        rkb_kafka_conf_new(opts->brokers, defaults, opts->props,
                           opts->n_props, errstr, errstr_size);
    if (conf == NULL) {
        return NULL;
    }
    prod_publish_t *pub = rkb_calloc(1, sizeof(*pub));
    pub->io_pipe[0] = pub->io_pipe[1] = -1;
    /* The journal's guarantees rest on these (prod_conf refuses them as
     * user properties). */
    static const char *const forced[][2] = {
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"message.timeout.ms", "0"},
        {"max.in.flight.requests.per.connection", "5"},
    };
    for (size_t i = 0; i < sizeof(forced) / sizeof(forced[0]); i++) {
        if (rd_kafka_conf_set(conf, forced[i][0], forced[i][1], kerr,
                              sizeof(kerr)) != RD_KAFKA_CONF_OK) {
            snprintf(errstr, errstr_size, "kafka: %s", kerr);
            goto err;
        }
    }
    rd_kafka_conf_set_opaque(conf, pub);
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    rd_kafka_conf_set_error_cb(conf, error_cb);

    pub->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    if (pub->rk == NULL) {
        snprintf(errstr, errstr_size, "kafka: cannot create producer: %s",
                 kerr);
        goto err;
    }
    conf = NULL;
    rkb_kafka_route_logs(pub->rk);
    if (pipe(pub->io_pipe) == -1) {
        snprintf(errstr, errstr_size, "pipe: %s", strerror(errno));
        goto err;
    }
    /* Both ends non-blocking: we drain it from a timer too, and librdkafka
     * must never block writing to it. */
    for (int i = 0; i < 2; i++) {
        fcntl(pub->io_pipe[i], F_SETFL,
              fcntl(pub->io_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(pub->io_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    rd_kafka_queue_t *mainq = rd_kafka_queue_get_main(pub->rk);
    rd_kafka_queue_io_event_enable(mainq, pub->io_pipe[1], "1", 1);
    rd_kafka_queue_destroy(mainq);

    pub->brokers = rkb_strdup(opts->brokers);
    pub->topic = rkb_strdup(opts->topic);
    pub->snapshot_topic = rkb_strdup(opts->snapshot_topic);
    pub->props = rkb_calloc(opts->n_props ? opts->n_props : 1,
                            sizeof(*pub->props));
    for (size_t i = 0; i < opts->n_props; i++) {
        pub->props[i].text = rkb_strdup(opts->props[i].text);
        pub->props[i].where = rkb_strdup(opts->props[i].where);
    }
    pub->n_props = opts->n_props;
    pub->replication_factor = opts->replication_factor;
    pub->chunk_bytes = opts->chunk_bytes;
    pub->max_inflight_bytes = opts->max_inflight_bytes;
    pub->rkt_stream = rd_kafka_topic_new(pub->rk, pub->topic, NULL);
    pub->rkt_snap = rd_kafka_topic_new(pub->rk, pub->snapshot_topic, NULL);
    pub->durable.db = -1;
    ring_grow(pub);
    return pub;
err:
    if (conf) {
        rd_kafka_conf_destroy(conf);
    }
    prod_publish_destroy(pub);
    return NULL;
}

void prod_publish_destroy(prod_publish_t *pub) {
    if (pub == NULL) {
        return;
    }
    if (pub->rkt_stream) {
        rd_kafka_topic_destroy(pub->rkt_stream);
    }
    if (pub->rkt_snap) {
        rd_kafka_topic_destroy(pub->rkt_snap);
    }
    if (pub->rk) {
        rd_kafka_destroy(pub->rk);
    }
    for (int i = 0; i < 2; i++) {
        if (pub->io_pipe[i] != -1) {
            close(pub->io_pipe[i]);
        }
    }
    for (size_t i = 0; i < pub->n_props; i++) {
        free((char *)pub->props[i].text);
        free((char *)pub->props[i].where);
    }
    free(pub->props);
    free(pub->brokers);
    free(pub->topic);
    free(pub->snapshot_topic);
    free(pub->ring);
    rkb_buf_free(&pub->chunk);
    free(pub);
}

rkb_err_t prod_publish_check_topics(prod_publish_t *pub, int timeout_ms,
                                    char *errstr, size_t errstr_size) {
    /* A snapshot must outlive any time-based retention: readers need the
     * newest one however old it is. Operators bound it by size if needed. */
    static const char *const snapshot_configs[] = {"retention.ms", "-1",
                                                   NULL};
    int n = 0;
    rkb_err_t err = rkb_kafka_ensure_topic(pub->rk, pub->topic, 1, 1,
                                           pub->replication_factor, NULL,
                                           timeout_ms, &n, errstr,
                                           errstr_size);
    if (err) {
        return err;
    }
    if (n != 1) {
        snprintf(errstr, errstr_size,
                 "stream topic '%s' has %d partitions; it must have exactly "
                 "one, since the replication stream is totally ordered",
                 pub->topic, n);
        return RKB_EKAFKA;
    }
    return rkb_kafka_ensure_topic(pub->rk, pub->snapshot_topic, 1, 1,
                                  pub->replication_factor, snapshot_configs,
                                  timeout_ms, &n, errstr, errstr_size);
}

int prod_publish_fd(const prod_publish_t *pub) {
    return pub->io_pipe[0];
}

static rkb_err_t check_snapshot_marker(prod_publish_t *pub, char *errstr,
                                       size_t errstr_size);

rkb_err_t prod_publish_poll(prod_publish_t *pub, char *errstr,
                            size_t errstr_size) {
    char drain[256];
    /* The pipe is written only when the queue turns non-empty, so empty it
     * first, then serve everything queued. */
    while (read(pub->io_pipe[0], drain, sizeof(drain)) > 0) {
    }
    while (rd_kafka_poll(pub->rk, 0) > 0) {
    }
    if (!pub->fatal) {
        check_snapshot_marker(pub, errstr, errstr_size);
    }
    if (pub->fatal) {
        snprintf(errstr, errstr_size, "%s", pub->fatal_str);
        return RKB_EKAFKA;
    }
    return RKB_OK;
}

static rkb_err_t produce(prod_publish_t *pub, rd_kafka_topic_t *rkt,
                         const rkb_msg_t *m, int kind, const prod_pos_t *pos,
                         char *errstr, size_t errstr_size) {
    size_t len = rkb_msg_encoded_size(m);
    char *buf = rkb_malloc(len);
    rkb_msg_encode(m, buf);
    if (pub->next_seq - pub->head_seq == pub->ring_cap) {
        ring_grow(pub);
    }
    uint64_t seq = pub->next_seq;
    for (;;) {
        if (rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_FREE, buf, len, NULL, 0,
                             (void *)(uintptr_t)seq) == 0) {
            break;
        }
        rd_kafka_resp_err_t kr = rd_kafka_last_error();
        if (kr != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            free(buf);
            snprintf(errstr, errstr_size, "cannot produce to topic '%s': %s",
                     rd_kafka_topic_name(rkt), rd_kafka_err2str(kr));
            return RKB_EKAFKA;
        }
        /* Our in-flight cap normally stops us long before this; if the
         * queue is full anyway, wait for deliveries rather than drop. */
        rd_kafka_poll(pub->rk, 10);
    }
    inflight_t *in = &pub->ring[seq % pub->ring_cap];
    memset(in, 0, sizeof(*in));
    in->bytes = len;
    in->kind = kind;
    if (pos) {
        in->has_pos = 1;
        in->pos = *pos;
    }
    pub->next_seq++;
    pub->inflight_bytes += len;
    pub->stats.records++;
    pub->stats.bytes += len;
    return RKB_OK;
}

static void msg_init(rkb_msg_t *m, rkb_msg_type_t type, const char *replid,
                     uint64_t start, uint64_t end, int db) {
    memset(m, 0, sizeof(*m));
    m->type = type;
    m->db = db_field(db);
    snprintf(m->replid, sizeof(m->replid), "%s", replid);
    m->start_offset = start;
    m->end_offset = end;
}

rkb_err_t prod_publish_frame(prod_publish_t *pub, const char *replid,
                             uint64_t start, uint64_t end, int db,
                             int db_end, int continued, const char *data,
                             size_t len, char *errstr, size_t errstr_size) {
    rkb_msg_t m;
    msg_init(&m, RKB_MSG_STREAM_FRAME, replid, start, end, db);
    m.flags = continued ? RKB_MSG_F_CONTINUED : 0;
    m.u.frame.data = data;
    m.u.frame.len = len;
    if (continued) {
        return produce(pub, pub->rkt_stream, &m, REC_PLAIN, NULL, errstr,
                       errstr_size);
    }
    prod_pos_t pos;
    pos_set(&pos, replid, end, db_end);
    return produce(pub, pub->rkt_stream, &m, REC_PLAIN, &pos, errstr,
                   errstr_size);
}

rkb_err_t prod_publish_heartbeat(prod_publish_t *pub, const prod_pos_t *pos,
                                 char *errstr, size_t errstr_size) {
    rkb_msg_t m;
    msg_init(&m, RKB_MSG_HEARTBEAT, pos->replid, pos->offset, pos->offset,
             pos->db);
    m.u.heartbeat.wall_clock_ms = (uint64_t)rkb_wall_ms();
    return produce(pub, pub->rkt_stream, &m, REC_PLAIN, pos, errstr,
                   errstr_size);
}

rkb_err_t prod_publish_replid_change(prod_publish_t *pub,
                                     const prod_pos_t *pos,
                                     const char *old_replid, char *errstr,
                                     size_t errstr_size) {
    rkb_msg_t m;
    msg_init(&m, RKB_MSG_REPLID_CHANGE, pos->replid, pos->offset, pos->offset,
             pos->db);
    snprintf(m.u.replid_change.old_replid,
             sizeof(m.u.replid_change.old_replid), "%s", old_replid);
    return produce(pub, pub->rkt_stream, &m, REC_PLAIN, pos, errstr,
                   errstr_size);
}

static uint64_t new_sync_id(void) {
    uint64_t id;
    if (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        id = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
             ((uint64_t)getpid() << 48);
    }
    return id;
}

rkb_err_t prod_publish_snapshot_begin(prod_publish_t *pub, const char *replid,
                                      uint64_t offset, int eof_framing,
                                      uint64_t expected_size, char *errstr,
                                      size_t errstr_size) {
    rkb_msg_t m;
    pos_set(&pub->snap_pos, replid, offset, -1);
    pub->sync_id = new_sync_id();
    pub->snap_size = pub->snap_crc = pub->snap_chunks = 0;
    pub->snap_begin_koff = pub->snap_end_koff = -1;
    rkb_buf_clear(&pub->chunk);
    pub->snap_state = 1;
    pub->stats.full_syncs++;
    msg_init(&m, RKB_MSG_SNAPSHOT_BEGIN, replid, offset, offset, -1);
    m.u.snap_begin.sync_id = pub->sync_id;
    m.u.snap_begin.wall_clock_ms = (uint64_t)rkb_wall_ms();
    m.u.snap_begin.framing =
        eof_framing ? RKB_MSG_FRAMING_EOF : RKB_MSG_FRAMING_DISK;
    m.u.snap_begin.expected_size = expected_size;
    return produce(pub, pub->rkt_snap, &m, REC_SNAP_BEGIN, NULL, errstr,
                   errstr_size);
}

static rkb_err_t flush_chunk(prod_publish_t *pub, char *errstr,
                             size_t errstr_size) {
    rkb_msg_t m;
    if (pub->chunk.len == 0) {
        return RKB_OK;
    }
    msg_init(&m, RKB_MSG_SNAPSHOT_CHUNK, pub->snap_pos.replid,
             pub->snap_pos.offset, pub->snap_pos.offset, -1);
    m.u.snap_chunk.sync_id = pub->sync_id;
    m.u.snap_chunk.rdb_pos = pub->snap_size - pub->chunk.len;
    m.u.snap_chunk.data = pub->chunk.data;
    m.u.snap_chunk.len = pub->chunk.len;
    pub->snap_chunks++;
    pub->stats.snapshot_bytes += pub->chunk.len;
    rkb_err_t err = produce(pub, pub->rkt_snap, &m, REC_PLAIN, NULL, errstr,
                            errstr_size);
    rkb_buf_clear(&pub->chunk);
    return err;
}

rkb_err_t prod_publish_snapshot_data(prod_publish_t *pub, const char *data,
                                     size_t len, char *errstr,
                                     size_t errstr_size) {
    RKB_ASSERT(pub->snap_state == 1);
    pub->snap_crc = rkb_crc64(pub->snap_crc, data, len);
    while (len > 0) {
        size_t room = pub->chunk_bytes - pub->chunk.len;
        size_t n = len < room ? len : room;
        rkb_buf_append(&pub->chunk, data, n);
        pub->snap_size += n;
        data += n;
        len -= n;
        if (pub->chunk.len == pub->chunk_bytes) {
            rkb_err_t err = flush_chunk(pub, errstr, errstr_size);
            if (err) {
                return err;
            }
        }
    }
    return RKB_OK;
}

rkb_err_t prod_publish_snapshot_end(prod_publish_t *pub, char *errstr,
                                    size_t errstr_size) {
    rkb_msg_t m;
    RKB_ASSERT(pub->snap_state == 1);
    rkb_err_t err = flush_chunk(pub, errstr, errstr_size);
    if (err) {
        return err;
    }
    msg_init(&m, RKB_MSG_SNAPSHOT_END, pub->snap_pos.replid,
             pub->snap_pos.offset, pub->snap_pos.offset, -1);
    m.u.snap_end.sync_id = pub->sync_id;
    m.u.snap_end.rdb_size = pub->snap_size;
    m.u.snap_end.crc64 = pub->snap_crc;
    m.u.snap_end.chunk_count = pub->snap_chunks;
    pub->snap_state = 2;
    rkb_buf_free(&pub->chunk); /* no need to hold a chunk's memory idle */
    return produce(pub, pub->rkt_snap, &m, REC_SNAP_END, NULL, errstr,
                   errstr_size);
}

/* Once the snapshot's END is durable, the RESYNC marker points readers to
 * it; the new position becomes usable when the marker is durable. */
static rkb_err_t check_snapshot_marker(prod_publish_t *pub, char *errstr,
                                       size_t errstr_size) {
    if (pub->snap_state != 2 || pub->snap_end_koff < 0 ||
        pub->head_seq != pub->next_seq) {
        return RKB_OK;
    }
    rkb_msg_t m;
    msg_init(&m, RKB_MSG_RESYNC, pub->snap_pos.replid, pub->snap_pos.offset,
             pub->snap_pos.offset, -1);
    m.u.resync.sync_id = pub->sync_id;
    m.u.resync.partition = 0;
    m.u.resync.begin_offset = pub->snap_begin_koff;
    m.u.resync.end_offset = pub->snap_end_koff;
    pub->snap_state = 3;
    rkb_err_t err = produce(pub, pub->rkt_stream, &m, REC_RESYNC,
                            &pub->snap_pos, errstr, errstr_size);
    if (err && !pub->fatal) {
        pub->fatal = 1;
        snprintf(pub->fatal_str, sizeof(pub->fatal_str), "%s", errstr);
    }
    return err;
}

int prod_publish_snapshot_done(const prod_publish_t *pub) {
    return pub->snap_state == 4;
}

void prod_publish_snapshot_abort(prod_publish_t *pub) {
    /* Records already produced stay: a BEGIN without END is abandoned. */
    pub->snap_state = 0;
    rkb_buf_free(&pub->chunk);
}

const prod_pos_t *prod_publish_durable(const prod_publish_t *pub) {
    return &pub->durable;
}

size_t prod_publish_inflight_bytes(const prod_publish_t *pub) {
    return pub->inflight_bytes;
}

int prod_publish_congested(const prod_publish_t *pub) {
    return pub->inflight_bytes >= pub->max_inflight_bytes;
}

int prod_publish_flush(prod_publish_t *pub, int timeout_ms) {
    rd_kafka_flush(pub->rk, timeout_ms);
    while (rd_kafka_poll(pub->rk, 0) > 0) {
    }
    return pub->head_seq == pub->next_seq ? 0 : -1;
}

int prod_publish_relieved(const prod_publish_t *pub) {
    return pub->inflight_bytes * 2 <= pub->max_inflight_bytes;
}

const prod_publish_stats_t *prod_publish_stats(const prod_publish_t *pub) {
    return &pub->stats;
}

/* ---- Recovery: the last safe position in the stream topic ---- */

typedef struct recover_s {
    prod_pos_t found;        /* last safe position seen */
    prod_stream_t *scan;     /* parses the current block to track SELECT */
    int scan_valid;          /* the block's start was seen */
    uint64_t block_end;      /* end offset of the previous frame */
    char block_replid[RKB_MSG_REPLID_LEN + 1];
    const char *topic;
    rkb_err_t err;
    char errstr[256];
} recover_t;

static int recover_record(const rd_kafka_message_t *msg, void *arg) {
    recover_t *rc = arg;
    rkb_msg_t m;
    char why[160];
    if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
        snprintf(rc->errstr, sizeof(rc->errstr),
                 "topic '%s' partition %d offset %lld: %s", rc->topic,
                 (int)msg->partition, (long long)msg->offset, why);
        rc->err = RKB_ECORRUPT;
        return 1;
    }
    int db = m.db == RKB_MSG_DB_NONE ? -1 : m.db;
    if (m.type != RKB_MSG_STREAM_FRAME) {
        rc->scan_valid = 0;
        if (m.type == RKB_MSG_HEARTBEAT || m.type == RKB_MSG_RESYNC ||
            m.type == RKB_MSG_REPLID_CHANGE) {
            pos_set(&rc->found, m.replid, m.end_offset, db);
        }
        return 0;
    }
    /* A frame that does not continue the previous one starts a block. */
    int continues = rc->scan_valid && m.start_offset == rc->block_end &&
                    strcmp(m.replid, rc->block_replid) == 0;
    if (!continues) {
        prod_stream_reset(rc->scan);
        prod_stream_start_stream(rc->scan, m.start_offset, db);
        rc->scan_valid = 1;
        snprintf(rc->block_replid, sizeof(rc->block_replid), "%s", m.replid);
    }
    rc->block_end = m.end_offset;
    prod_ev_t ev;
    rkb_err_t err = prod_stream_feed(rc->scan, m.u.frame.data, m.u.frame.len);
    while (err == RKB_OK) {
        err = prod_stream_next(rc->scan, &ev);
    }
    if (err != RKB_EAGAIN) {
        /* A frame we cannot parse cannot give a db: keep the last good. */
        rc->scan_valid = 0;
        return 0;
    }
    if (!(m.flags & RKB_MSG_F_CONTINUED) &&
        prod_stream_offset(rc->scan) == m.end_offset) {
        pos_set(&rc->found, m.replid, m.end_offset, prod_stream_db(rc->scan));
    }
    return 0;
}

rkb_err_t prod_publish_recover(prod_publish_t *pub, prod_pos_t *pos,
                               char *errstr, size_t errstr_size) {
    int64_t low, high;
    rkb_err_t err;
    memset(pos, 0, sizeof(*pos));
    pos->db = -1;
    rkb_kafka_reader_t *rd = rkb_kafka_reader_new(
        pub->brokers, pub->props, pub->n_props, errstr, errstr_size);
    if (rd == NULL) {
        return RKB_EKAFKA;
    }
    err = rkb_kafka_reader_watermarks(rd, pub->topic, 0, &low, &high, 10000,
                                      errstr, errstr_size);
    if (err) {
        goto out;
    }
    prod_stream_limits_t lim = {1 << 20, 1 << 16, UINT64_MAX, UINT64_MAX};
    recover_t rc = {0};
    rc.scan = prod_stream_new(&lim);
    rc.topic = pub->topic;
    /* Scan windows backwards from the end until one holds a safe point;
     * heartbeats make that the last window almost always. */
    for (int64_t window = 256, to = high; to > low && !rc.found.replid[0];
         window *= 4) {
        int64_t from = to - window < low ? low : to - window;
        err = rkb_kafka_reader_read(rd, pub->topic, 0, from, to, 10000,
                                    recover_record, &rc, errstr, errstr_size);
        if (!err && rc.err) {
            err = rc.err;
            snprintf(errstr, errstr_size, "%s", rc.errstr);
        }
        if (err) {
            break;
        }
        to = from;
    }
    prod_stream_destroy(rc.scan);
    if (!err) {
        *pos = rc.found;
    }
out:
    rkb_kafka_reader_destroy(rd);
    return err;
}
