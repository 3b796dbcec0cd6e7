/* rkb_conf_kafka.h -- configuration checks both daemons' tables share:
 * Kafka topic names, librdkafka "name=value" properties, the derived
 * snapshot topic, log levels. No I/O, no logging. */
#ifndef RKB_CONF_KAFKA_H
#define RKB_CONF_KAFKA_H
#include <stddef.h>
#include "rkb_conf.h"
#include "rkb_kafka.h"

#define RKB_KAFKA_TOPIC_MAX 249
#define RKB_SNAPSHOT_SUFFIX ".snapshot"

/* The values of log.level, NULL-terminated (an ENUM entry's values). */
extern const char *const rkb_conf_log_levels[];

/** A validator: Kafka accepts [A-Za-z0-9._-]{1,249} except "." and "..". */
int rkb_conf_check_topic(const rkb_conf_value_t *v, char *err, size_t errsz);

/** Checks the "name=value" form of a librdkafka property (the value is
 *  never shown: it may be a secret). @returns the name's length, or 0
 *  with err set. */
size_t rkb_conf_property_name(const char *s, char *err, size_t errsz);

/** @returns 1 if the property name s[0..nlen) is one of names
 *  (NULL-terminated), else 0. */
int rkb_conf_property_is(const char *s, size_t nlen,
                         const char *const *names);

/** Post-hook helper: derives *snapshot_topic from topic ("<topic>.snapshot")
 *  when unset, and checks that the two differ. Errors go to ctx. */
void rkb_conf_snapshot_topic(rkb_conf_ctx_t *ctx, const char *topic,
                             char **snapshot_topic);

/** The kafka.properties list as librdkafka properties, each with where it
 *  was set. @returns an array of l->n entries (free(3) it) borrowing l's
 *  strings. */
rkb_kafka_prop_t *rkb_conf_kafka_props(const rkb_conf_strlist_t *l);

#endif
