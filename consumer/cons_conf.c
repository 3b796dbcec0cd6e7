/* cons_conf.c -- the consumer's configuration table and cross-field
 * checks. The doc texts below are the consumer's part of docs/CONFIG.md. */
#include "rkb_fmacros.h"
#include "cons_conf.h"
#include "rkb_conf_kafka.h"
#include "rkb_mem.h"

#include <stdlib.h>
#include <string.h>


static const char *const modes[] = {"relay", "apply", NULL};

/* One librdkafka property. The value is not shown: it may be a secret. */
static int check_property(const rkb_conf_value_t *v, char *err, size_t errsz) {
    const char *s = v->str;
    size_t nlen = rkb_conf_property_name(s, err, errsz);
    if (nlen == 0) {
        return -1;
    }
    /* kafka.brokers and kafka.group are the one way to set these, so that
     * -t and --dump-config show what is actually used */
    static const char *const fixed[] = {
        "bootstrap.servers", "metadata.broker.list", "group.id", NULL};
    if (rkb_conf_property_is(s, nlen, fixed)) {
        snprintf(err, errsz, "%.*s: set it with kafka.brokers or kafka.group",
                 (int)nlen, s);
        return -1;
    }
    return 0;
}

#define OFF(f) offsetof(cons_conf_t, f)

/* clang-format off */
const rkb_conf_entry_t cons_conf_table[] = {
    {.key = "mode", .type = RKB_CONF_ENUM, .def_str = "relay",
     .values = modes, .offset = OFF(mode),
     .doc = "`relay`: replicas run REPLICAOF to this consumer; `apply`: "
            "the consumer writes to a target (not implemented yet)."},
    {.key = "kafka.brokers", .type = RKB_CONF_BROKERS,
     .flags = RKB_CONF_REQUIRED, .offset = OFF(kafka_brokers),
     .doc = "Kafka bootstrap brokers, `host:port[,host:port...]`."},
    {.key = "kafka.topic", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_REQUIRED, .check = rkb_conf_check_topic,
     .offset = OFF(kafka_topic),
     .doc = "Stream topic the producer writes (one partition)."},
    {.key = "kafka.snapshot_topic", .type = RKB_CONF_STRING,
     .check = rkb_conf_check_topic, .offset = OFF(kafka_snapshot_topic),
     .def_doc = "`<kafka.topic>.snapshot`",
     .doc = "Snapshot topic the producer writes. Must differ from "
            "`kafka.topic`."},
    {.key = "kafka.group", .type = RKB_CONF_STRING,
     .def_str = "rkbridge-consumer", .offset = OFF(kafka_group),
     .doc = "Consumer group of this region: the relay commits to it the "
            "stream-topic offset all its replicas acknowledged."},
    {.key = "kafka.properties", .type = RKB_CONF_STRLIST,
     .check = check_property, .offset = OFF(kafka_properties),
     .doc = "librdkafka properties as `\"name=value\"` strings; each `-o` "
            "adds one."},
    {.key = "relay.listen", .type = RKB_CONF_HOSTPORT,
     .offset = OFF(relay_listen),
     .def_doc = "none (**required** in relay mode)",
     .doc = "Address replicas connect to with `REPLICAOF host port`."},
    {.key = "relay.password", .type = RKB_CONF_STRING,
     .flags = RKB_CONF_SECRET, .offset = OFF(relay_password),
     .doc = "Password replicas must AUTH with (their `masterauth`); unset: "
            "no AUTH. Never printed."},
    {.key = "metrics.listen", .type = RKB_CONF_HOSTPORT,
     .offset = OFF(metrics_listen),
     .def_doc = "none (no endpoint)",
     .doc = "Address of the HTTP endpoint for Prometheus metrics and the "
            "health check."},
    {.key = "log.level", .type = RKB_CONF_ENUM, .def_str = "notice",
     .values = rkb_conf_log_levels, .offset = OFF(log_level),
     .doc = "Least severe message logged: `err` logs the fewest, `debug` "
            "the most."},
    {.key = NULL},
};
/* clang-format on */

/* Cross-field checks and derived values; runs even after other errors,
 * when a rejected value is still at its default (NULL for topic). */
void cons_conf_post(rkb_conf_ctx_t *ctx, void *out) {
    cons_conf_t *cfg = out;

    if (cfg->mode != NULL && strcmp(cfg->mode, "relay") == 0 &&
        cfg->relay_listen == NULL) {
        rkb_conf_error(ctx, "relay.listen", "required in relay mode");
    }
    rkb_conf_snapshot_topic(ctx, cfg->kafka_topic, &cfg->kafka_snapshot_topic);
}

int cons_conf_load_string(cons_conf_t *cfg, const char *text,
                          const char *const *overrides, size_t n,
                          rkb_conf_errors_t *errs) {
    return rkb_conf_load_string(cons_conf_table, cfg, text, overrides, n,
                                cons_conf_post,
                                errs);
}

void cons_conf_free(cons_conf_t *cfg) {
    rkb_conf_free(cons_conf_table, cfg);
}

void cons_conf_dump(const cons_conf_t *cfg, FILE *fp) {
    rkb_conf_dump(cons_conf_table, cfg, fp);
}

void cons_conf_doc(FILE *fp) {
    rkb_conf_doc(cons_conf_table, fp);
}
