/* cons_journal.c -- index of the journal's current history and the
 * per-replica stream follower. See cons_journal.h. */
#include "rkb_fmacros.h"
#include "cons_journal.h"
#include "rkb_mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- index ---- */

void cons_index_init(cons_index_t *ix) {
    memset(ix, 0, sizeof(*ix));
}

void cons_index_free(cons_index_t *ix) {
    free(ix->ids);
    free(ix->safe);
    memset(ix, 0, sizeof(*ix));
}

static void push_id(cons_index_t *ix, const char *replid, uint64_t from) {
    ix->ids = rkb_realloc(ix->ids, (ix->n_ids + 1) * sizeof(*ix->ids));
    memcpy(ix->ids[ix->n_ids].replid, replid, RKB_MSG_REPLID_LEN + 1);
    ix->ids[ix->n_ids].from = from;
    ix->n_ids++;
}

static void push_safe(cons_index_t *ix, int64_t koff, uint64_t end) {
    if (ix->n_safe == ix->cap_safe) {
        ix->cap_safe = ix->cap_safe ? ix->cap_safe * 2 : 1024;
        ix->safe = rkb_realloc(ix->safe, ix->cap_safe * sizeof(*ix->safe));
    }
    ix->safe[ix->n_safe].koff = koff;
    ix->safe[ix->n_safe].end = end;
    ix->safe[ix->n_safe].id = ix->n_ids - 1;
    ix->n_safe++;
    ix->end = end;
}

static void reset_history(cons_index_t *ix) {
    ix->n_ids = 0;
    ix->n_safe = 0;
    ix->have_history = 0;
    ix->have_resync = 0;
}

void cons_index_add(cons_index_t *ix, int64_t koff, const rkb_msg_t *m) {
    ix->next_koff = koff + 1;
    ix->records++;
    switch (m->type) {
    case RKB_MSG_RESYNC:
        reset_history(ix);
        ix->have_history = ix->have_resync = 1;
        ix->resync = *m;
        ix->resync_koff = koff;
        push_id(ix, m->replid, m->end_offset);
        push_safe(ix, koff, m->end_offset);
        return;
    case RKB_MSG_REPLID_CHANGE:
        if (ix->have_history &&
            strcmp(m->u.replid_change.old_replid, cons_index_replid(ix)) == 0 &&
            m->end_offset == ix->end) {
            push_id(ix, m->replid, m->end_offset);
            push_safe(ix, koff, m->end_offset);
            return;
        }
        /* Not linked to what we hold: a history of its own from here. */
        reset_history(ix);
        ix->have_history = 1;
        push_id(ix, m->replid, m->end_offset);
        push_safe(ix, koff, m->end_offset);
        return;
    case RKB_MSG_STREAM_FRAME:
    case RKB_MSG_HEARTBEAT:
        if (m->type == RKB_MSG_STREAM_FRAME &&
            (m->flags & RKB_MSG_F_CONTINUED)) {
            return;
        }
        if (!ix->have_history) {
            /* Retention removed the start of the history: it starts at
             * the first safe point we hold. */
            ix->have_history = 1;
            push_id(ix, m->replid, m->end_offset);
        } else if (strcmp(m->replid, cons_index_replid(ix)) != 0) {
            /* A history we cannot link (FORMAT.md forbids it): start a
             * new one rather than serve bytes of the wrong history. */
            reset_history(ix);
            ix->have_history = 1;
            push_id(ix, m->replid, m->end_offset);
        }
        if (m->end_offset >= ix->end || ix->n_safe == 0) {
            push_safe(ix, koff, m->end_offset);
        }
        return;
    default:
        return;
    }
}

const char *cons_index_replid(const cons_index_t *ix) {
    return ix->n_ids ? ix->ids[ix->n_ids - 1].replid : "";
}

/* The last safe point at or before pos, or -1. */
static long long last_safe_before(const cons_index_t *ix, uint64_t pos) {
    size_t lo = 0, hi = ix->n_safe; /* answer in [lo-1, hi) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->safe[mid].end <= pos) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return (long long)lo - 1;
}

int cons_index_find(const cons_index_t *ix, const char *replid, uint64_t pos,
                    int64_t *from_koff, char follow[RKB_MSG_REPLID_LEN + 1]) {
    size_t i;
    if (!ix->have_history) {
        return 0;
    }
    for (i = 0; i < ix->n_ids; i++) {
        if (strcmp(ix->ids[i].replid, replid) == 0) {
            break;
        }
    }
    if (i == ix->n_ids) {
        return 0;
    }
    uint64_t upto = i + 1 < ix->n_ids ? ix->ids[i + 1].from : ix->end;
    if (pos < ix->ids[i].from || pos > upto) {
        return 0;
    }
    long long j = last_safe_before(ix, pos);
    if (j < 0 || ix->safe[j].koff + 1 < ix->low_koff) {
        return 0;
    }
    *from_koff = ix->safe[j].koff + 1;
    memcpy(follow, ix->ids[ix->safe[j].id].replid, RKB_MSG_REPLID_LEN + 1);
    return 1;
}

int64_t cons_index_commit_koff(const cons_index_t *ix, uint64_t pos) {
    long long j = last_safe_before(ix, pos);
    return j < 0 ? -1 : ix->safe[j].koff + 1;
}

/* ---- feed ---- */

void cons_feed_init(cons_feed_t *f, const char *replid, uint64_t pos) {
    memset(f, 0, sizeof(*f));
    snprintf(f->replid, sizeof(f->replid), "%s", replid);
    f->pos = pos;
}

void cons_feed_free(cons_feed_t *f) {
    rkb_buf_free(&f->chain);
}

static void drop_chain(cons_feed_t *f) {
    if (f->in_chain) {
        f->abandoned++;
        f->in_chain = 0;
        rkb_buf_clear(&f->chain);
    }
}

static int gap(cons_feed_t *f, const rkb_msg_t *m, const char *why) {
    snprintf(f->errstr, sizeof(f->errstr),
             "%s: record %s %" PRIu64 "..%" PRIu64 ", replica at %s %" PRIu64,
             why, m->replid, m->start_offset, m->end_offset, f->replid,
             f->pos);
    return CONS_FEED_GAP;
}

/* Bytes [start, start+len) of the stream: append what lies after pos. */
static void emit(cons_feed_t *f, uint64_t start, const char *p, size_t len,
                 rkb_buf_t *out) {
    uint64_t end = start + len;
    if (end <= f->pos) {
        return; /* already delivered (a producer restart repeats bytes) */
    }
    rkb_buf_append(out, p + (f->pos - start), (size_t)(end - f->pos));
    f->pos = end;
}

int cons_feed_record(cons_feed_t *f, const rkb_msg_t *m, rkb_buf_t *out) {
    if (m->type != RKB_MSG_STREAM_FRAME) {
        /* Anything but the continuation abandons an unfinished chain. */
        drop_chain(f);
    }
    switch (m->type) {
    case RKB_MSG_STREAM_FRAME:
        break;
    case RKB_MSG_HEARTBEAT:
        return CONS_FEED_OK;
    case RKB_MSG_RESYNC:
        return CONS_FEED_RESYNC;
    case RKB_MSG_REPLID_CHANGE:
        if (strcmp(m->u.replid_change.old_replid, f->replid) != 0 ||
            m->end_offset != f->pos) {
            return gap(f, m, "replid change not linked to the stream");
        }
        memcpy(f->replid, m->replid, sizeof(f->replid));
        return CONS_FEED_REPLID;
    default:
        return gap(f, m, "not a stream-topic record");
    }

    if (f->in_chain) {
        if (strcmp(m->replid, f->replid) == 0 &&
            m->start_offset == f->chain_start + f->chain.len) {
            rkb_buf_append(&f->chain, m->u.frame.data, m->u.frame.len);
            if (!(m->flags & RKB_MSG_F_CONTINUED)) {
                f->in_chain = 0;
                emit(f, f->chain_start, f->chain.data, f->chain.len, out);
                rkb_buf_clear(&f->chain);
            }
            return CONS_FEED_OK;
        }
        drop_chain(f);
    }
    if (strcmp(m->replid, f->replid) != 0) {
        return gap(f, m, "frame of another replid");
    }
    if (m->start_offset > f->pos) {
        return gap(f, m, "stream bytes missing");
    }
    if (m->flags & RKB_MSG_F_CONTINUED) {
        f->in_chain = 1;
        f->chain_start = m->start_offset;
        rkb_buf_append(&f->chain, m->u.frame.data, m->u.frame.len);
        return CONS_FEED_OK;
    }
    emit(f, m->start_offset, m->u.frame.data, m->u.frame.len, out);
    return CONS_FEED_OK;
}
