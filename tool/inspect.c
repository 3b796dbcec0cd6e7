/* inspect.c -- rkbridge inspect: print journal records one per line. */
#include "rkb_fmacros.h"
#include "rkb_kafka.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_msg.h"
#include "rkb_resp.h"
#include "tool.h"
#include "tool_args.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- inspect ---- */

typedef struct inspect_s {
    int errors;
} inspect_t;

static void print_arg(const rkb_resp_arg_t *arg) {
    char esc[300];
    size_t show = arg->len > 64 ? 64 : arg->len;
    int plain = arg->len > 0;
    for (size_t i = 0; i < arg->len && plain; i++) {
        unsigned char ch = (unsigned char)arg->p[i];
        plain = ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\';
    }
    rkb_escape(esc, sizeof(esc), arg->p, show);
    printf(plain ? "%s" : "\"%s\"", esc);
    if (show < arg->len) {
        printf("...(%zu bytes)", arg->len);
    }
}

static void print_commands(const char *p, size_t len) {
    rkb_resp_arg_t args[8];
    size_t argc, shown = 0, pos = 0;
    while (pos < len) {
        long n = rkb_resp_parse_command(p + pos, len - pos, args, 8, &argc);
        if (n <= 0) {
            printf("%s(%zu bytes %s)", shown ? " | " : "", len - pos,
                   n == 0 ? "of an unfinished command" : "not RESP");
            return;
        }
        if (shown == 20) {
            size_t more = 0;
            while (pos < len) {
                n = rkb_resp_parse_command(p + pos, len - pos, args, 8, &argc);
                if (n <= 0) {
                    break;
                }
                pos += (size_t)n;
                more++;
            }
            printf(" | ... %zu more", more);
            return;
        }
        printf("%s", shown ? " | " : "");
        for (size_t i = 0; i < argc && i < 8; i++) {
            printf(i ? " " : "");
            print_arg(&args[i]);
        }
        if (argc > 8) {
            printf(" ...(%zu args)", argc);
        }
        shown++;
        pos += (size_t)n;
    }
}

static void print_clock(uint64_t ms) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    printf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
           (int)(ms % 1000));
}

static void print_db(uint16_t db) {
    if (db == RKB_MSG_DB_NONE) {
        printf(" db=none");
    } else {
        printf(" db=%u", db);
    }
}

static int inspect_record(const rd_kafka_message_t *msg, void *arg) {
    inspect_t *in = arg;
    rkb_msg_t m;
    char why[200];
    if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
        fprintf(stderr, "rkbridge: topic '%s' partition %d offset %" PRId64
                        ": %s\n",
                rd_kafka_topic_name(msg->rkt), (int)msg->partition,
                msg->offset, why);
        in->errors++;
        return 0;
    }
    printf("%" PRId64 " %s replid=%s", msg->offset, rkb_msg_type2str(m.type),
           m.replid);
    switch (m.type) {
    case RKB_MSG_STREAM_FRAME:
        printf(" start=%" PRIu64 " end=%" PRIu64, m.start_offset,
               m.end_offset);
        print_db(m.db);
        printf(" len=%zu%s: ", m.u.frame.len,
               m.flags & RKB_MSG_F_CONTINUED ? " continued" : "");
        print_commands(m.u.frame.data, m.u.frame.len);
        break;
    case RKB_MSG_HEARTBEAT:
        printf(" offset=%" PRIu64, m.end_offset);
        print_db(m.db);
        printf(" clock=");
        print_clock(m.u.heartbeat.wall_clock_ms);
        break;
    case RKB_MSG_SNAPSHOT_BEGIN:
        printf(" offset=%" PRIu64 " sync=%016" PRIx64 " framing=%s",
               m.end_offset, m.u.snap_begin.sync_id,
               m.u.snap_begin.framing == RKB_MSG_FRAMING_EOF ? "eof" : "disk");
        if (m.u.snap_begin.expected_size == UINT64_MAX) {
            printf(" size=unknown");
        } else {
            printf(" size=%" PRIu64, m.u.snap_begin.expected_size);
        }
        printf(" clock=");
        print_clock(m.u.snap_begin.wall_clock_ms);
        break;
    case RKB_MSG_SNAPSHOT_CHUNK:
        printf(" offset=%" PRIu64 " sync=%016" PRIx64 " pos=%" PRIu64
               " len=%zu",
               m.end_offset, m.u.snap_chunk.sync_id, m.u.snap_chunk.rdb_pos,
               m.u.snap_chunk.len);
        break;
    case RKB_MSG_SNAPSHOT_END:
        printf(" offset=%" PRIu64 " sync=%016" PRIx64 " size=%" PRIu64
               " crc64=%016" PRIx64 " chunks=%" PRIu64,
               m.end_offset, m.u.snap_end.sync_id, m.u.snap_end.rdb_size,
               m.u.snap_end.crc64, m.u.snap_end.chunk_count);
        break;
    case RKB_MSG_RESYNC:
        printf(" offset=%" PRIu64 " sync=%016" PRIx64
               " snapshot=%d:%" PRId64 "..%" PRId64,
               m.end_offset, m.u.resync.sync_id, (int)m.u.resync.partition,
               m.u.resync.begin_offset, m.u.resync.end_offset);
        break;
    case RKB_MSG_REPLID_CHANGE:
        printf(" offset=%" PRIu64, m.end_offset);
        print_db(m.db);
        printf(" old=%s", m.u.replid_change.old_replid);
        break;
    }
    printf("\n");
    return 0;
}

int tool_inspect(int argc, char **argv) {
    args_t a;
    int64_t low, high;
    char errstr[512];
    if (tool_parse_args(argc, argv, &a)) {
        return 1;
    }
    rkb_kafka_reader_t *rd = tool_open_reader(&a, &low, &high);
    if (rd == NULL) {
        return 2;
    }
    /* A negative --from counts back from the end, like tail -n. */
    int64_t from = !a.has_from ? low : a.from < 0 ? high + a.from : a.from;
    if (from < low) {
        from = low;
    }
    int64_t to = a.count >= 0 && from + a.count < high ? from + a.count : high;
    inspect_t in = {0};
    rkb_err_t err = rkb_kafka_reader_read(rd, a.topic, a.partition, from, to,
                                          TOOL_TIMEOUT_MS, inspect_record, &in,
                                          errstr, sizeof(errstr));
    rkb_kafka_reader_destroy(rd);
    fflush(stdout);
    if (err) {
        fprintf(stderr, "rkbridge: %s\n", errstr);
        return 2;
    }
    return in.errors ? 2 : 0;
}
