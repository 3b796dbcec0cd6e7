#include "rkb_fmacros.h"
#include "rkb_conf_kafka.h"
#include "rkb_mem.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const rkb_conf_log_levels[] = {"err",  "warn",  "notice",
                                           "info", "debug", NULL};

int rkb_conf_check_topic(const rkb_conf_value_t *v, char *err, size_t errsz) {
    const char *s = v->str;
    size_t len = strlen(s);
    if (len > RKB_KAFKA_TOPIC_MAX) {
        snprintf(err, errsz,
                 "a Kafka topic name has at most %d characters, not %zu",
                 RKB_KAFKA_TOPIC_MAX, len);
        return -1;
    }
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        snprintf(err, errsz, "\"%s\" is not a legal Kafka topic name", s);
        return -1;
    }
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '.' || c == '_' || c == '-') {
            continue;
        }
        if (isgraph(c)) {
            snprintf(err, errsz,
                     "'%c' is not allowed in a Kafka topic name "
                     "(only A-Z a-z 0-9 . _ -)",
                     c);
        } else {
            snprintf(err, errsz,
                     "byte 0x%02x is not allowed in a Kafka topic name "
                     "(only A-Z a-z 0-9 . _ -)",
                     c);
        }
        return -1;
    }
    return 0;
}

size_t rkb_conf_property_name(const char *s, char *err, size_t errsz) {
    const char *eq = strchr(s, '=');
    if (eq == NULL || eq == s) {
        snprintf(err, errsz, "expected \"name=value\"");
        return 0;
    }
    for (const char *p = s; p < eq; p++) {
        if (!isgraph((unsigned char)*p)) {
            snprintf(err, errsz,
                     "expected \"name=value\" (no blanks in the name)");
            return 0;
        }
    }
    return (size_t)(eq - s);
}

int rkb_conf_property_is(const char *s, size_t nlen,
                         const char *const *names) {
    for (size_t i = 0; names[i]; i++) {
        if (strlen(names[i]) == nlen && memcmp(s, names[i], nlen) == 0) {
            return 1;
        }
    }
    return 0;
}

void rkb_conf_snapshot_topic(rkb_conf_ctx_t *ctx, const char *topic,
                             char **snapshot_topic) {
    if (topic == NULL) {
        return;
    }
    if (*snapshot_topic != NULL) {
        if (strcmp(*snapshot_topic, topic) == 0) {
            rkb_conf_error(ctx, "kafka.snapshot_topic",
                           "must differ from kafka.topic");
        }
        return;
    }
    size_t tlen = strlen(topic), slen = strlen(RKB_SNAPSHOT_SUFFIX);
    if (tlen + slen > RKB_KAFKA_TOPIC_MAX) {
        rkb_conf_error(ctx, "kafka.topic",
                       "too long to derive kafka.snapshot_topic "
                       "(\"<topic>%s\" would have %zu characters, more "
                       "than %d); set kafka.snapshot_topic",
                       RKB_SNAPSHOT_SUFFIX, tlen + slen, RKB_KAFKA_TOPIC_MAX);
        return;
    }
    *snapshot_topic = rkb_malloc(tlen + slen + 1);
    memcpy(*snapshot_topic, topic, tlen);
    memcpy(*snapshot_topic + tlen, RKB_SNAPSHOT_SUFFIX, slen + 1);
}

rkb_kafka_prop_t *rkb_conf_kafka_props(const rkb_conf_strlist_t *l) {
    rkb_kafka_prop_t *props = rkb_calloc(l->n + 1, sizeof(*props));
    for (size_t i = 0; i < l->n; i++) {
        props[i].text = l->v[i];
        props[i].where = l->origin[i];
    }
    return props;
}
