/* export.c -- rkbridge export-rdb / export-stream: rebuild the bytes the
 * master sent from the journal, checking that none is missing. */
#include "rkb_fmacros.h"
#include "rkb_kafka.h"
#include "rkb_msg.h"
#include "tool.h"
#include "tool_args.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- export-rdb ---- */

typedef struct rdb_export_s {
    const args_t *a;
    char tmp_path[4096];
    int fd;                 /* temp file of the snapshot being collected */
    uint64_t sync_id, size, crc;
    int collecting, found, errors;
    rkb_msg_t found_end;
} rdb_export_t;

static int bad_record(const rd_kafka_message_t *msg, const char *why) {
    fprintf(stderr, "rkbridge: topic '%s' partition %d offset %" PRId64
                    ": %s\n",
            rd_kafka_topic_name(msg->rkt), (int)msg->partition, msg->offset,
            why);
    return 1;
}

static int rdb_record(const rd_kafka_message_t *msg, void *arg) {
    rdb_export_t *x = arg;
    rkb_msg_t m;
    char why[200];
    if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
        x->errors++;
        return bad_record(msg, why);
    }
    switch (m.type) {
    case RKB_MSG_SNAPSHOT_BEGIN:
        if (x->a->has_sync_id && m.u.snap_begin.sync_id != x->a->sync_id) {
            x->collecting = 0;
            return 0;
        }
        /* A newer snapshot abandons an unfinished one. */
        if (ftruncate(x->fd, 0) || lseek(x->fd, 0, SEEK_SET)) {
            x->errors++;
            return bad_record(msg, strerror(errno));
        }
        x->collecting = 1;
        x->sync_id = m.u.snap_begin.sync_id;
        x->size = x->crc = 0;
        return 0;
    case RKB_MSG_SNAPSHOT_CHUNK:
        if (!x->collecting || m.u.snap_chunk.sync_id != x->sync_id) {
            return 0;
        }
        if (m.u.snap_chunk.rdb_pos != x->size) {
            snprintf(why, sizeof(why),
                     "snapshot %016" PRIx64 " chunk at RDB byte %" PRIu64
                     " but %" PRIu64 " bytes were read",
                     x->sync_id, m.u.snap_chunk.rdb_pos, x->size);
            x->collecting = 0;
            x->errors++;
            return bad_record(msg, why);
        }
        if (write(x->fd, m.u.snap_chunk.data, m.u.snap_chunk.len) !=
            (ssize_t)m.u.snap_chunk.len) {
            x->errors++;
            return bad_record(msg, strerror(errno));
        }
        x->size += m.u.snap_chunk.len;
        x->crc = rkb_crc64(x->crc, m.u.snap_chunk.data, m.u.snap_chunk.len);
        return 0;
    case RKB_MSG_SNAPSHOT_END:
        if (!x->collecting || m.u.snap_end.sync_id != x->sync_id) {
            return 0;
        }
        x->collecting = 0;
        if (m.u.snap_end.rdb_size != x->size || m.u.snap_end.crc64 != x->crc) {
            snprintf(why, sizeof(why),
                     "snapshot %016" PRIx64 " ends with size %" PRIu64
                     " crc64 %016" PRIx64 " but the chunks give %" PRIu64
                     " bytes, crc64 %016" PRIx64,
                     x->sync_id, m.u.snap_end.rdb_size, m.u.snap_end.crc64,
                     x->size, x->crc);
            x->errors++;
            return bad_record(msg, why);
        }
        if (fsync(x->fd) || rename(x->tmp_path, x->a->output)) {
            x->errors++;
            return bad_record(msg, strerror(errno));
        }
        /* Keep collecting into a fresh temp file for a newer snapshot. */
        close(x->fd);
        x->fd = open(x->tmp_path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
        x->found = 1;
        x->found_end = m;
        return x->fd == -1;
    default:
        return 0;
    }
}

int tool_export_rdb(int argc, char **argv) {
    args_t a;
    int64_t low, high;
    char errstr[512];
    if (tool_parse_args(argc, argv, &a)) {
        return 1;
    }
    if (a.output == NULL) {
        fprintf(stderr, "rkbridge: --output is required\n");
        return 1;
    }
    rkb_kafka_reader_t *rd = tool_open_reader(&a, &low, &high);
    if (rd == NULL) {
        return 2;
    }
    rdb_export_t x = {0};
    x.a = &a;
    snprintf(x.tmp_path, sizeof(x.tmp_path), "%s.tmp", a.output);
    x.fd = open(x.tmp_path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (x.fd == -1) {
        fprintf(stderr, "rkbridge: %s: %s\n", x.tmp_path, strerror(errno));
        rkb_kafka_reader_destroy(rd);
        return 2;
    }
    rkb_err_t err =
        rkb_kafka_reader_read(rd, a.topic, a.partition, low, high,
                              TOOL_TIMEOUT_MS, rdb_record, &x, errstr,
                              sizeof(errstr));
    rkb_kafka_reader_destroy(rd);
    if (x.fd != -1) {
        close(x.fd);
    }
    unlink(x.tmp_path);
    if (err) {
        fprintf(stderr, "rkbridge: %s\n", errstr);
        return 2;
    }
    if (!x.found) {
        fprintf(stderr, "rkbridge: topic '%s' holds no complete snapshot%s\n",
                a.topic, a.has_sync_id ? " with that sync id" : "");
        return 2;
    }
    printf("sync=%016" PRIx64 " replid=%s offset=%" PRIu64 " size=%" PRIu64
           " crc64=%016" PRIx64 "\n",
           x.found_end.u.snap_end.sync_id, x.found_end.replid,
           x.found_end.end_offset, x.found_end.u.snap_end.rdb_size,
           x.found_end.u.snap_end.crc64);
    return x.errors ? 2 : 0;
}

/* ---- export-stream ---- */

typedef struct stream_export_s {
    char replid[RKB_MSG_REPLID_LEN + 1];
    int fd;
    int started, errors;
    uint64_t first, end;     /* offsets written: [first, end) */
    uint64_t safe_end;       /* end of the last frame on a safe point */
    uint64_t records, restarts;
} stream_export_t;

static int last_replid(const rd_kafka_message_t *msg, void *arg) {
    stream_export_t *x = arg;
    rkb_msg_t m;
    char why[200];
    if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
        x->errors++;
        return bad_record(msg, why);
    }
    memcpy(x->replid, m.replid, sizeof(x->replid));
    return 0;
}

static int stream_record(const rd_kafka_message_t *msg, void *arg) {
    stream_export_t *x = arg;
    rkb_msg_t m;
    char why[200];
    if (rkb_msg_decode(msg->payload, msg->len, &m, why, sizeof(why))) {
        x->errors++;
        return bad_record(msg, why);
    }
    if (m.type != RKB_MSG_STREAM_FRAME || strcmp(m.replid, x->replid) != 0) {
        return 0;
    }
    if (!x->started) {
        x->started = 1;
        x->first = x->end = x->safe_end = m.start_offset;
    }
    if (m.start_offset != x->end) {
        /* A producer that restarted resumes at its last safe point,
         * abandoning an unfinished block: drop that block's bytes. */
        if (m.start_offset == x->safe_end && x->safe_end < x->end) {
            if (ftruncate(x->fd, (off_t)(x->safe_end - x->first)) ||
                lseek(x->fd, 0, SEEK_END) < 0) {
                x->errors++;
                return bad_record(msg, strerror(errno));
            }
            x->end = x->safe_end;
            x->restarts++;
        } else {
            snprintf(why, sizeof(why),
                     "frame starts at offset %" PRIu64 " but the stream "
                     "so far ends at %" PRIu64 " (%s)",
                     m.start_offset, x->end,
                     m.start_offset > x->end ? "bytes missing" : "overlap");
            x->errors++;
            return bad_record(msg, why);
        }
    }
    if (write(x->fd, m.u.frame.data, m.u.frame.len) !=
        (ssize_t)m.u.frame.len) {
        x->errors++;
        return bad_record(msg, strerror(errno));
    }
    x->end = m.end_offset;
    if (!(m.flags & RKB_MSG_F_CONTINUED)) {
        x->safe_end = x->end;
    }
    x->records++;
    return 0;
}

int tool_export_stream(int argc, char **argv) {
    args_t a;
    int64_t low, high;
    char errstr[512];
    if (tool_parse_args(argc, argv, &a)) {
        return 1;
    }
    if (a.output == NULL) {
        fprintf(stderr, "rkbridge: --output is required\n");
        return 1;
    }
    rkb_kafka_reader_t *rd = tool_open_reader(&a, &low, &high);
    if (rd == NULL) {
        return 2;
    }
    stream_export_t x = {0};
    rkb_err_t err = RKB_OK;
    if (a.replid) {
        snprintf(x.replid, sizeof(x.replid), "%s", a.replid);
    } else if (high > low) {
        err = rkb_kafka_reader_read(rd, a.topic, a.partition, high - 1, high,
                                    TOOL_TIMEOUT_MS, last_replid, &x, errstr,
                                    sizeof(errstr));
    }
    x.fd = open(a.output, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (x.fd == -1) {
        fprintf(stderr, "rkbridge: %s: %s\n", a.output, strerror(errno));
        rkb_kafka_reader_destroy(rd);
        return 2;
    }
    if (!err && !x.errors) {
        err = rkb_kafka_reader_read(rd, a.topic, a.partition, low, high,
                                    TOOL_TIMEOUT_MS, stream_record, &x, errstr,
                                    sizeof(errstr));
    }
    rkb_kafka_reader_destroy(rd);
    /* An unfinished block at the end is not part of the stream yet. */
    if (!x.errors && x.safe_end < x.end &&
        ftruncate(x.fd, (off_t)(x.safe_end - x.first)) == 0) {
        x.end = x.safe_end;
    }
    close(x.fd);
    if (err) {
        fprintf(stderr, "rkbridge: %s\n", errstr);
        return 2;
    }
    printf("replid=%s first=%" PRIu64 " end=%" PRIu64 " bytes=%" PRIu64
           " records=%" PRIu64 " restarts=%" PRIu64 "\n",
           x.replid[0] ? x.replid : "-", x.first, x.end, x.end - x.first,
           x.records, x.restarts);
    return x.errors ? 2 : 0;
}
