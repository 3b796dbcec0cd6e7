/* prod_repl.h -- the producer's link to the master: the replica handshake
 * as an explicit state machine (a timeout in every state), the full sync,
 * the command stream, REPLCONF ACK / GETACK, reconnection with backoff and
 * backpressure. Everything read is handed to prod_publish.
 * Runs on the producer's single thread, driven by an rkb_ev loop. */
#ifndef PROD_REPL_H
#define PROD_REPL_H
#include <stddef.h>
#include "prod_publish.h"
#include "rkb_ev.h"

/* States; the order matters: >= PROD_REPL_CONNECTING means a socket. */
typedef enum {
    PROD_REPL_IDLE,             /* waiting to (re)connect */
    PROD_REPL_CONNECTING,       /* TCP connect in progress */
    PROD_REPL_RECEIVE_PONG,     /* PING sent */
    PROD_REPL_RECEIVE_REPLIES,  /* AUTH / REPLCONF sent, replies pending */
    PROD_REPL_RECEIVE_PSYNC,    /* PSYNC sent */
    PROD_REPL_TRANSFER,         /* receiving the RDB */
    PROD_REPL_SNAPSHOT_FLUSH,   /* RDB read; waiting for Kafka to hold it */
    PROD_REPL_STREAMING,        /* journaling the command stream */
} prod_repl_state_t;

typedef struct prod_repl_opts_s {
    const char *host;
    int port;
    const char *user;     /* NULL: AUTH <password> */
    const char *password; /* NULL: no AUTH */
    int announce_port;
    int connect_timeout_ms;
    int repl_timeout_ms;
    size_t frame_bytes;
    int heartbeat_ms;
} prod_repl_opts_t;

typedef struct prod_repl_s prod_repl_t;

/** start is the position recovered from Kafka (replid "" for none).
 *  opts strings are copied. ev and pub are borrowed. */
prod_repl_t *prod_repl_new(rkb_ev_t *ev, prod_publish_t *pub,
                           const prod_repl_opts_t *opts,
                           const prod_pos_t *start);
void prod_repl_destroy(prod_repl_t *r); /* NULL is a no-op; closes the link */

/** Starts connecting and arms the 100 ms cron. */
void prod_repl_start(prod_repl_t *r);
/** Call after prod_publish_poll(): acts on newly durable offsets (ACKs,
 *  GETACK answers, the end of a full sync, resuming reads). */
void prod_repl_kafka_progress(prod_repl_t *r);
/** Stops reading, waits up to timeout_ms for Kafka to confirm everything
 *  read, sends a last ACK. @returns 0 if everything was confirmed. */
int prod_repl_shutdown(prod_repl_t *r, int timeout_ms);

/** Non-zero after an error that retrying cannot fix (bad credentials,
 *  no PSYNC, a fatal Kafka error); the message is in errstr. */
int prod_repl_fatal(const prod_repl_t *r, const char **errstr);
/** Stops the link for an error found elsewhere (e.g. a fatal Kafka error)
 *  and stops the event loop. */
void prod_repl_set_fatal(prod_repl_t *r, const char *errstr);

prod_repl_state_t prod_repl_state(const prod_repl_t *r);
/** The position published so far (a safe point). */
const prod_pos_t *prod_repl_position(const prod_repl_t *r);
/** The last offset ACKed to the master. */
uint64_t prod_repl_acked_offset(const prod_repl_t *r);

#endif
