/* tool_args.h -- options shared by the tool's subcommands. */
#ifndef RKB_TOOL_ARGS_H
#define RKB_TOOL_ARGS_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_kafka.h"

#define TOOL_TIMEOUT_MS 10000
#define MAX_PROPS 64

typedef struct args_s {
    const char *brokers, *topic, *output, *replid;
    int32_t partition;
    int64_t from, count;
    int has_from;
    uint64_t sync_id;
    int has_sync_id;
    rkb_kafka_prop_t props[MAX_PROPS];
    size_t n_props;
} args_t;

/** Parses the options after the subcommand name; prints what is wrong.
 *  @returns 0 or -1. */
int tool_parse_args(int argc, char **argv, args_t *a);
/** A reader on a->brokers with the topic's watermarks; prints errors.
 *  @returns NULL on error. */
rkb_kafka_reader_t *tool_open_reader(const args_t *a, int64_t *low,
                                     int64_t *high);

#endif
