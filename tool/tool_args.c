/* tool_args.c -- option parsing shared by the tool's subcommands. */
#include "rkb_fmacros.h"
#include "tool_args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



int tool_parse_args(int argc, char **argv, args_t *a) {
    static const struct option opts[] = {
        {"brokers", required_argument, NULL, 'b'},
        {"topic", required_argument, NULL, 't'},
        {"partition", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},
        {"count", required_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},
        {"replid", required_argument, NULL, 'r'},
        {"sync-id", required_argument, NULL, 's'},
        {"property", required_argument, NULL, 'X'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int c;
    memset(a, 0, sizeof(*a));
    a->count = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:t:p:f:n:o:r:s:X:", opts, NULL)) !=
           -1) {
        switch (c) {
        case 'b':
            a->brokers = optarg;
            break;
        case 't':
            a->topic = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'r':
            a->replid = optarg;
            break;
        case 'p':
        case 'f':
        case 'n': {
            long long v = strtoll(optarg, &end, 10);
            if (*end || end == optarg) {
                fprintf(stderr, "rkbridge: --%s: '%s' is not an integer\n",
                        c == 'p' ? "partition" : c == 'f' ? "from" : "count",
                        optarg);
                return -1;
            }
            if (c == 'p') {
                a->partition = (int32_t)v;
            } else if (c == 'f') {
                a->from = v;
                a->has_from = 1;
            } else {
                a->count = v;
            }
            break;
        }
        case 's':
            a->sync_id = strtoull(optarg, &end, 16);
            if (*end || end == optarg) {
                fprintf(stderr, "rkbridge: --sync-id: '%s' is not hex\n",
                        optarg);
                return -1;
            }
            a->has_sync_id = 1;
            break;
        case 'X':
            if (a->n_props == MAX_PROPS) {
                fprintf(stderr, "rkbridge: too many --property options\n");
                return -1;
            }
            a->props[a->n_props].text = optarg;
            a->props[a->n_props++].where = "--property";
            break;
        default:
            return -1;
        }
    }
    if (a->brokers == NULL || a->topic == NULL) {
        fprintf(stderr, "rkbridge: --brokers and --topic are required\n");
        return -1;
    }
    return 0;
}

rkb_kafka_reader_t *tool_open_reader(const args_t *a, int64_t *low,
                                       int64_t *high) {
    char errstr[512];
    rkb_kafka_reader_t *rd = rkb_kafka_reader_new(a->brokers, a->props,
                                                  a->n_props, errstr,
                                                  sizeof(errstr));
    if (rd == NULL) {
        fprintf(stderr, "rkbridge: %s\n", errstr);
        return NULL;
    }
    if (rkb_kafka_reader_watermarks(rd, a->topic, a->partition, low, high,
                                    TOOL_TIMEOUT_MS, errstr, sizeof(errstr))) {
        fprintf(stderr, "rkbridge: %s\n", errstr);
        rkb_kafka_reader_destroy(rd);
        return NULL;
    }
    return rd;
}

