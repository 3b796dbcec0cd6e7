/* cons_journal.h -- the relay's view of the journal, I/O-free:
 *
 * - cons_index: fed every stream-topic record in Kafka order, it keeps the
 *   current history (since the newest RESYNC: its snapshot, the replids
 *   that REPLID_CHANGE records link to it, and every safe point with its
 *   Kafka offset), so that a PSYNC can be answered without reading Kafka:
 *   is this (replid, offset) held, and from which Kafka offset must the
 *   stream be read to serve it?
 * - cons_feed: one per replica, fed the stream-topic records from that
 *   Kafka offset on; it appends exactly the stream bytes the replica needs
 *   next, holding CONTINUED chains until they are complete and dropping
 *   abandoned ones (schema/FORMAT.md 5.1).
 *
 * Never blocks, never logs, not thread-safe. */
#ifndef CONS_JOURNAL_H
#define CONS_JOURNAL_H
#include <stddef.h>
#include <stdint.h>
#include "rkb_buf.h"
#include "rkb_msg.h"

/* ---- index ---- */

typedef struct cons_safe_s {
    int64_t koff; /* Kafka offset of the safe record */
    uint64_t end; /* its end_offset: a safe point */
    size_t id;    /* index in ids[] of the replid in force after it */
} cons_safe_t;

typedef struct cons_replid_s {
    char replid[RKB_MSG_REPLID_LEN + 1];
    uint64_t from; /* offset where this replid starts */
} cons_replid_t;

typedef struct cons_index_s {
    int have_history;   /* a safe record (or RESYNC) was seen */
    int have_resync;    /* the history starts at a RESYNC we hold */
    rkb_msg_t resync;   /* the newest RESYNC (body fields are plain) */
    int64_t resync_koff;
    cons_replid_t *ids; /* the replids of the history, oldest first */
    size_t n_ids;
    cons_safe_t *safe; /* safe points, end non-decreasing */
    size_t n_safe, cap_safe;
    uint64_t end;      /* newest safe point */
    int64_t next_koff; /* Kafka offset after the last record added */
    int64_t low_koff;  /* oldest Kafka offset the topic still holds
                        * (retention), set by the caller; 0 if unknown */
    uint64_t records;  /* records added */
} cons_index_t;

void cons_index_init(cons_index_t *ix);
void cons_index_free(cons_index_t *ix);

/** Adds the decoded stream-topic record m read at Kafka offset koff. */
void cons_index_add(cons_index_t *ix, int64_t koff, const rkb_msg_t *m);

/** The replid the history has now ("" before any). */
const char *cons_index_replid(const cons_index_t *ix);

/** Can a replica at (replid, pos) -- it holds the stream bytes up to
 *  offset pos -- continue from the journal (and are the records from
 *  there on still in the topic, per low_koff)? @returns 1 with *from_koff
 *  (the Kafka offset to read the stream topic from) and follow (the replid
 *  of the records found there) set, or 0 (a full sync is needed). */
int cons_index_find(const cons_index_t *ix, const char *replid, uint64_t pos,
                    int64_t *from_koff, char follow[RKB_MSG_REPLID_LEN + 1]);

/** The Kafka offset from which a replica that has acknowledged pos would
 *  be served on a reconnect (for committing to the consumer group), or -1
 *  when pos is not in the history. */
int64_t cons_index_commit_koff(const cons_index_t *ix, uint64_t pos);

/* ---- feed ---- */

typedef enum {
    CONS_FEED_OK = 0,
    CONS_FEED_REPLID = 1,  /* followed a REPLID_CHANGE: replid changed */
    CONS_FEED_RESYNC = -1, /* a RESYNC: the replica needs a full sync */
    CONS_FEED_GAP = -2     /* records do not continue the replica's bytes */
} cons_feed_rc_t;

typedef struct cons_feed_s {
    char replid[RKB_MSG_REPLID_LEN + 1]; /* the history followed */
    uint64_t pos;        /* stream bytes delivered up to this offset */
    rkb_buf_t chain;     /* bytes of an unfinished CONTINUED chain */
    uint64_t chain_start;
    int in_chain;
    uint64_t abandoned;  /* chains dropped (for logs and tests) */
    char errstr[256];    /* why CONS_FEED_GAP */
} cons_feed_t;

/** Starts following replid at pos (the replica holds bytes up to pos). */
void cons_feed_init(cons_feed_t *f, const char *replid, uint64_t pos);
void cons_feed_free(cons_feed_t *f);

/** Feeds the next stream-topic record; appends the stream bytes after
 *  f->pos that it completes to out. @returns a cons_feed_rc_t. */
int cons_feed_record(cons_feed_t *f, const rkb_msg_t *m, rkb_buf_t *out);

#endif
