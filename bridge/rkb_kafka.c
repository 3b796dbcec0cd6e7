#include "rkb_fmacros.h"
#include "rkb_kafka.h"
#include "rkb_log.h"
#include "rkb_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rkb_kafka_reader_s {
    rd_kafka_t *rk;
};

static void log_cb(const rd_kafka_t *rk, int level, const char *fac,
                   const char *buf) {
    char module[64];
    (void)rk;
    snprintf(module, sizeof(module), "kafka/%s", fac);
    /* librdkafka uses syslog levels too; its errors are often transient
     * (a broker restarting), so cap them at WARN: the layer that decides
     * logs the error once. */
    rkb_log(level < RKB_LOG_WARN ? RKB_LOG_WARN : level, module, "%s", buf);
}

/* Errors that mean "Kafka is not reachable right now": retry later. */
static int transient(rd_kafka_resp_err_t kr) {
    return kr == RD_KAFKA_RESP_ERR__TIMED_OUT ||
           kr == RD_KAFKA_RESP_ERR__TRANSPORT ||
           kr == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
           kr == RD_KAFKA_RESP_ERR__RESOLVE;
}

static int conf_set(rd_kafka_conf_t *conf, const char *name,
                    const char *value, const char *where, char *errstr,
                    size_t errstr_size) {
    char kerr[256];
    if (rd_kafka_conf_set(conf, name, value, kerr, sizeof(kerr)) !=
        RD_KAFKA_CONF_OK) {
        snprintf(errstr, errstr_size, "%s: kafka.properties: %s", where, kerr);
        return -1;
    }
    return 0;
}

rd_kafka_conf_t *rkb_kafka_conf_new(const char *brokers,
                                    const char *const *defaults,
                                    const rkb_kafka_prop_t *props,
                                    size_t n_props, char *errstr,
                                    size_t errstr_size) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, log_cb);
    if (conf_set(conf, "bootstrap.servers", brokers, "kafka.brokers", errstr,
                 errstr_size) ||
        conf_set(conf, "log.queue", "true", "built-in", errstr,
                 errstr_size) ||
        conf_set(conf, "allow.auto.create.topics", "false", "built-in",
                 errstr, errstr_size) ||
        /* Records are small and latency matters: Nagle plus the broker's
         * delayed ACK would hold a request for up to 40 ms. */
        conf_set(conf, "socket.nagle.disable", "true", "built-in", errstr,
                 errstr_size)) {
        goto err;
    }
    for (size_t i = 0; defaults && defaults[i]; i += 2) {
        if (conf_set(conf, defaults[i], defaults[i + 1], "built-in", errstr,
                     errstr_size)) {
            goto err;
        }
    }
    for (size_t i = 0; i < n_props; i++) {
        const char *eq = strchr(props[i].text, '=');
        if (eq == NULL || eq == props[i].text) {
            snprintf(errstr, errstr_size,
                     "%s: kafka.properties: \"%s\" is not name=value",
                     props[i].where, props[i].text);
            goto err;
        }
        char *name = rkb_strndup(props[i].text, (size_t)(eq - props[i].text));
        int rc = conf_set(conf, name, eq + 1, props[i].where, errstr,
                          errstr_size);
        free(name);
        if (rc) {
            goto err;
        }
    }
    return conf;
err:
    rd_kafka_conf_destroy(conf);
    return NULL;
}

void rkb_kafka_route_logs(rd_kafka_t *rk) {
    rd_kafka_set_log_queue(rk, NULL);
}

static rkb_err_t create_topic(rd_kafka_t *rk, const char *topic,
                              int partitions, int replication,
                              const char *const *configs, int timeout_ms,
                              char *errstr, size_t errstr_size) {
    char kerr[256];
    rkb_err_t err = RKB_OK;
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(
        topic, partitions, replication, kerr, sizeof(kerr));
    if (nt == NULL) {
        snprintf(errstr, errstr_size, "cannot create topic '%s': %s", topic,
                 kerr);
        return RKB_EKAFKA;
    }
    for (size_t i = 0; configs && configs[i]; i += 2) {
        rd_kafka_NewTopic_set_config(nt, configs[i], configs[i + 1]);
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts =
        rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, kerr,
                                              sizeof(kerr));
    rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, kerr,
                                                sizeof(kerr));
    rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
    rd_kafka_event_t *rkev = rd_kafka_queue_poll(q, timeout_ms + 2000);
    if (rkev == NULL) {
        snprintf(errstr, errstr_size, "creating topic '%s' timed out", topic);
        err = RKB_ETIMEDOUT;
        goto out;
    }
    if (rd_kafka_event_error(rkev)) {
        rd_kafka_resp_err_t kr = rd_kafka_event_error(rkev);
        snprintf(errstr, errstr_size, "cannot create topic '%s': %s", topic,
                 rd_kafka_event_error_string(rkev));
        err = transient(kr) ? RKB_ETIMEDOUT : RKB_EKAFKA;
        goto out;
    }
    size_t n = 0;
    const rd_kafka_CreateTopics_result_t *res =
        rd_kafka_event_CreateTopics_result(rkev);
    const rd_kafka_topic_result_t **tr =
        rd_kafka_CreateTopics_result_topics(res, &n);
    for (size_t i = 0; i < n; i++) {
        rd_kafka_resp_err_t kr = rd_kafka_topic_result_error(tr[i]);
        if (kr && kr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            const char *msg = rd_kafka_topic_result_error_string(tr[i]);
            snprintf(errstr, errstr_size, "cannot create topic '%s': %s", topic,
                     msg ? msg : rd_kafka_err2str(kr));
            err = RKB_EKAFKA;
        }
    }
out:
    if (rkev) {
        rd_kafka_event_destroy(rkev);
    }
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    return err;
}

/* @returns partition count, 0 when the topic does not exist, -1 on error. */
static int topic_partitions(rd_kafka_t *rk, const char *topic, int timeout_ms,
                            char *errstr, size_t errstr_size) {
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t kr = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
    if (kr) {
        snprintf(errstr, errstr_size, "cannot reach Kafka brokers: %s",
                 rd_kafka_err2str(kr));
        return -1;
    }
    int n = 0;
    for (int i = 0; i < md->topic_cnt; i++) {
        if (strcmp(md->topics[i].topic, topic) == 0 && !md->topics[i].err) {
            n = md->topics[i].partition_cnt;
        }
    }
    rd_kafka_metadata_destroy(md);
    return n;
}

rkb_err_t rkb_kafka_ensure_topic(rd_kafka_t *rk, const char *topic,
                                 int create, int partitions, int replication,
                                 const char *const *configs, int timeout_ms,
                                 int *partitions_out,
                                 char *errstr, size_t errstr_size) {
    int n = topic_partitions(rk, topic, timeout_ms, errstr, errstr_size);
    if (n < 0) {
        return RKB_ETIMEDOUT;
    }
    if (n == 0 && create) {
        rkb_err_t err = create_topic(rk, topic, partitions, replication,
                                     configs, timeout_ms, errstr,
                                     errstr_size);
        if (err) {
            return err;
        }
        rkb_log(RKB_LOG_NOTICE, "kafka",
                "created topic '%s' (%d partition%s, replication %d)", topic,
                partitions, partitions == 1 ? "" : "s", replication);
        /* Metadata catches up with a new topic shortly after creation. */
        for (int tries = 0; tries < 50 && n == 0; tries++) {
            n = topic_partitions(rk, topic, timeout_ms, errstr, errstr_size);
            if (n < 0) {
                return RKB_ETIMEDOUT;
            }
        }
    }
    if (n == 0) {
        snprintf(errstr, errstr_size, "topic '%s' does not exist", topic);
        return RKB_EKAFKA;
    }
    *partitions_out = n;
    return RKB_OK;
}

rd_kafka_t *rkb_kafka_consumer_new(const char *brokers, const char *group,
                                   int eof, const char *offset_reset,
                                   const char *const *defaults,
                                   const rkb_kafka_prop_t *props,
                                   size_t n_props, char *errstr,
                                   size_t errstr_size) {
    rd_kafka_conf_t *conf = rkb_kafka_conf_new(brokers, defaults, props,
                                               n_props, errstr, errstr_size);
    char kerr[256];
    if (conf == NULL) {
        return NULL;
    }
    /* Offsets are ours to track: librdkafka neither stores nor commits. */
    rd_kafka_conf_set(conf, "group.id", group ? group : "rkbridge-reader",
                      kerr, sizeof(kerr));
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", kerr, sizeof(kerr));
    rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", kerr,
                      sizeof(kerr));
    rd_kafka_conf_set(conf, "enable.partition.eof", eof ? "true" : "false",
                      kerr, sizeof(kerr));
    if (offset_reset != NULL) {
        rd_kafka_conf_set(conf, "auto.offset.reset", offset_reset, kerr,
                          sizeof(kerr));
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, kerr, sizeof(kerr));
    if (rk == NULL) {
        snprintf(errstr, errstr_size, "cannot create Kafka consumer: %s",
                 kerr);
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rkb_kafka_route_logs(rk);
    return rk;
}

int rkb_kafka_assign_one(rd_kafka_t *rk, const char *topic, int32_t partition,
                         int64_t koff, char *errstr, size_t errstr_size) {
    rd_kafka_topic_partition_list_t *parts =
        rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, partition)->offset = koff;
    rd_kafka_resp_err_t kr = rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (kr) {
        snprintf(errstr, errstr_size, "cannot read topic '%s': %s", topic,
                 rd_kafka_err2str(kr));
        return -1;
    }
    return 0;
}

rkb_kafka_reader_t *rkb_kafka_reader_new(const char *brokers,
                                         const rkb_kafka_prop_t *props,
                                         size_t n_props, char *errstr,
                                         size_t errstr_size) {
    rd_kafka_t *rk = rkb_kafka_consumer_new(brokers, NULL, 1, NULL, NULL,
                                            props, n_props, errstr,
                                            errstr_size);
    if (rk == NULL) {
        return NULL;
    }
    rkb_kafka_reader_t *rd = rkb_calloc(1, sizeof(*rd));
    rd->rk = rk;
    return rd;
}

void rkb_kafka_reader_destroy(rkb_kafka_reader_t *rd) {
    if (rd == NULL) {
        return;
    }
    rd_kafka_destroy(rd->rk);
    free(rd);
}

rkb_err_t rkb_kafka_watermarks(rd_kafka_t *rk, const char *topic,
                               int32_t partition, int64_t *low, int64_t *high,
                               int timeout_ms, char *errstr,
                               size_t errstr_size) {
    rd_kafka_resp_err_t kr = rd_kafka_query_watermark_offsets(
        rk, topic, partition, low, high, timeout_ms);
    rd_kafka_poll(rk, 0);
    if (kr) {
        snprintf(errstr, errstr_size,
                 "cannot read offsets of topic '%s' partition %d: %s", topic,
                 (int)partition, rd_kafka_err2str(kr));
        return transient(kr) ? RKB_ETIMEDOUT : RKB_EKAFKA;
    }
    return RKB_OK;
}

rkb_err_t rkb_kafka_reader_watermarks(rkb_kafka_reader_t *rd,
                                      const char *topic, int32_t partition,
                                      int64_t *low, int64_t *high,
                                      int timeout_ms, char *errstr,
                                      size_t errstr_size) {
    return rkb_kafka_watermarks(rd->rk, topic, partition, low, high,
                                timeout_ms, errstr, errstr_size);
}

int rkb_kafka_commit_one(rd_kafka_t *rk, const char *topic, int32_t partition,
                         int64_t koff, int async, char *errstr,
                         size_t errstr_size) {
    rd_kafka_topic_partition_list_t *parts =
        rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic, partition)->offset = koff;
    rd_kafka_resp_err_t kr = rd_kafka_commit(rk, parts, async);
    rd_kafka_topic_partition_list_destroy(parts);
    if (kr) {
        snprintf(errstr, errstr_size, "%s", rd_kafka_err2str(kr));
        return -1;
    }
    return 0;
}

rkb_err_t rkb_kafka_reader_read(rkb_kafka_reader_t *rd, const char *topic,
                                int32_t partition, int64_t from, int64_t to,
                                int timeout_ms, rkb_kafka_record_fn *fn,
                                void *arg, char *errstr, size_t errstr_size) {
    rkb_err_t err = RKB_OK;
    if (from >= to) {
        return RKB_OK;
    }
    if (rkb_kafka_assign_one(rd->rk, topic, partition, from, errstr,
                             errstr_size) < 0) {
        return RKB_EKAFKA;
    }
    int64_t next = from;
    while (next < to) {
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(rd->rk, timeout_ms);
        if (msg == NULL) {
            snprintf(errstr, errstr_size,
                     "no record from topic '%s' partition %d offset %lld "
                     "within %d ms",
                     topic, (int)partition, (long long)next, timeout_ms);
            err = RKB_ETIMEDOUT;
            break;
        }
        if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(msg);
            continue;
        }
        if (msg->err) {
            snprintf(errstr, errstr_size,
                     "reading topic '%s' partition %d offset %lld: %s", topic,
                     (int)partition, (long long)next,
                     rd_kafka_message_errstr(msg));
            rd_kafka_message_destroy(msg);
            err = RKB_EKAFKA;
            break;
        }
        next = msg->offset + 1;
        int stop = fn(msg, arg);
        rd_kafka_message_destroy(msg);
        if (stop) {
            break;
        }
    }
    rd_kafka_assign(rd->rk, NULL);
    return err;
}
