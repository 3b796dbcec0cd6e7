/* rkbridge-producer -- attaches to a Redis master as a replica and
 * journals its replication stream into Kafka. main only parses argv,
 * loads the configuration, wires the modules and runs the loop. */
#include "rkb_fmacros.h"
#include "prod_conf.h"
#include "prod_publish.h"
#include "prod_repl.h"
#include "rkb_conf.h"
#include "rkb_conf_kafka.h"
#include "rkb_daemon.h"
#include "rkb_ev.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KAFKA_POLL_MS 100
#define SHUTDOWN_FLUSH_MS 30000

typedef struct prod_ctx_s {
    prod_conf_t cfg;
    rkb_ev_t *ev;
    prod_publish_t *pub;
    prod_repl_t *repl;
    rkb_metrics_t *metrics;
} prod_ctx_t;

static void kafka_events(prod_ctx_t *ctx) {
    char err[512];
    if (prod_publish_poll(ctx->pub, err, sizeof(err))) {
        prod_repl_set_fatal(ctx->repl, err);
        return;
    }
    prod_repl_kafka_progress(ctx->repl);
}

static void kafka_readable(rkb_ev_t *ev, int fd, void *arg, int mask) {
    (void)ev;
    (void)fd;
    (void)mask;
    kafka_events(arg);
}

/* The pipe only fires when librdkafka's queue turns non-empty; polling on
 * a timer too keeps logs and stats flowing whatever happens. */
static int64_t kafka_timer(rkb_ev_t *ev, int64_t id, void *arg) {
    (void)ev;
    (void)id;
    kafka_events(arg);
    return KAFKA_POLL_MS;
}

static void write_metrics(void *arg, rkb_buf_t *out) {
    prod_ctx_t *ctx = arg;
    const prod_pos_t *pos = prod_repl_position(ctx->repl);
    const prod_pos_t *durable = prod_publish_durable(ctx->pub);
    const prod_publish_stats_t *st = prod_publish_stats(ctx->pub);
    prod_repl_state_t state = prod_repl_state(ctx->repl);
    rkb_metrics_gauge(out, "rkbridge_producer_streaming",
                      "1 when journaling the command stream",
                      state == PROD_REPL_STREAMING);
    rkb_metrics_gauge(out, "rkbridge_producer_read_offset",
                      "master offset read and published", (double)pos->offset);
    rkb_metrics_gauge(out, "rkbridge_producer_durable_offset",
                      "master offset confirmed by Kafka",
                      (double)durable->offset);
    rkb_metrics_gauge(out, "rkbridge_producer_acked_offset",
                      "offset last sent to the master in REPLCONF ACK",
                      (double)prod_repl_acked_offset(ctx->repl));
    rkb_metrics_gauge(out, "rkbridge_producer_inflight_bytes",
                      "bytes produced but not yet confirmed by Kafka",
                      (double)prod_publish_inflight_bytes(ctx->pub));
    rkb_metrics_counter(out, "rkbridge_producer_records_total",
                        "records produced", (double)st->records);
    rkb_metrics_counter(out, "rkbridge_producer_bytes_total",
                        "record bytes produced", (double)st->bytes);
    rkb_metrics_counter(out, "rkbridge_producer_full_syncs_total",
                        "full syncs journaled", (double)st->full_syncs);
}

static int healthy(void *arg) {
    prod_ctx_t *ctx = arg;
    return prod_repl_state(ctx->repl) == PROD_REPL_STREAMING;
}

/* Retries a start-up step while Kafka is unreachable; a refusal is fatal. */
static int startup_retry(rkb_err_t err, const char *what, const char *errstr,
                         int *backoff_ms) {
    if (err == RKB_OK) {
        return 0;
    }
    if (err != RKB_ETIMEDOUT) {
        rkb_log(RKB_LOG_ERR, "main", "%s: %s", what, errstr);
        return -1;
    }
    rkb_log(RKB_LOG_ERR, "main", "%s: %s; retrying in %d ms", what, errstr,
            *backoff_ms);
    for (int slept = 0; slept < *backoff_ms && !rkb_daemon_stop_signal(); slept += 100) {
        usleep(100 * 1000);
    }
    *backoff_ms = *backoff_ms * 2 > 10000 ? 10000 : *backoff_ms * 2;
    return 1;
}

static int run(prod_ctx_t *ctx) {
    char err[512];
    const prod_conf_t *c = &ctx->cfg;
    rkb_kafka_prop_t *props = rkb_conf_kafka_props(&c->kafka_properties);
    prod_publish_opts_t popts = {
        c->kafka_brokers,     c->kafka_topic,
        c->kafka_snapshot_topic, props,
        c->kafka_properties.n, (int)c->kafka_replication_factor,
        (size_t)c->producer_chunk_bytes, (size_t)c->producer_max_inflight_bytes,
    };
    ctx->pub = prod_publish_new(&popts, err, sizeof(err));
    free(props);
    if (ctx->pub == NULL) {
        rkb_log(RKB_LOG_ERR, "main", "%s", err);
        return RKB_EXIT_CONFIG;
    }

    int backoff = 500, rc;
    do {
        rc = startup_retry(prod_publish_check_topics(ctx->pub, 5000, err,
                                                     sizeof(err)),
                           "kafka", err, &backoff);
    } while (rc > 0 && !rkb_daemon_stop_signal());
    if (rc < 0) {
        return RKB_EXIT_FATAL;
    }
    if (rkb_daemon_stop_signal()) {
        return 0;
    }
    prod_pos_t start;
    backoff = 500;
    do {
        rc = startup_retry(prod_publish_recover(ctx->pub, &start, err,
                                                sizeof(err)),
                           "reading the journal's position", err, &backoff);
    } while (rc > 0 && !rkb_daemon_stop_signal());
    if (rc < 0) {
        return RKB_EXIT_FATAL;
    }
    if (rkb_daemon_stop_signal()) {
        return 0;
    }

    prod_repl_opts_t ropts = {
        c->source_host,
        (int)c->source_port,
        c->source_user,
        c->source_password,
        (int)c->source_announce_port,
        (int)c->source_connect_timeout_ms,
        (int)c->source_repl_timeout_ms,
        (size_t)c->producer_frame_bytes,
        (int)c->producer_heartbeat_ms,
    };
    ctx->repl = prod_repl_new(ctx->ev, ctx->pub, &ropts, &start);
    if (c->metrics_listen) {
        ctx->metrics = rkb_metrics_new(ctx->ev, c->metrics_listen,
                                       write_metrics, healthy, ctx, err,
                                       sizeof(err));
        if (ctx->metrics == NULL) {
            rkb_log(RKB_LOG_ERR, "main", "metrics.listen: %s", err);
            return RKB_EXIT_FATAL;
        }
    }
    rkb_ev_add(ctx->ev, prod_publish_fd(ctx->pub), RKB_EV_READ,
               kafka_readable, ctx);
    rkb_ev_timer_add(ctx->ev, KAFKA_POLL_MS, kafka_timer, ctx);
    prod_repl_start(ctx->repl);
    rkb_ev_run(ctx->ev);

    const char *why;
    if (prod_repl_fatal(ctx->repl, &why)) {
        rkb_log(RKB_LOG_ERR, "main", "%s", why);
        prod_publish_flush(ctx->pub, 5000);
        return RKB_EXIT_FATAL;
    }
    rkb_log(RKB_LOG_NOTICE, "main", "signal %d: flushing and stopping",
            (int)rkb_daemon_stop_signal());
    prod_repl_shutdown(ctx->repl, SHUTDOWN_FLUSH_MS);
    return 0;
}

int main(int argc, char **argv) {
    static const char prog[] = "rkbridge-producer";
    static const char example[] = "source.port=6380";
    rkb_daemon_args_t args;
    prod_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    int rc = rkb_daemon_parse_args(argc, argv, prog, example, &args)
                 ? RKB_EXIT_CONFIG
                 : rkb_daemon_configure(&args, prog, example, prod_conf_table,
                                        prod_conf_post, &ctx.cfg);
    rkb_daemon_args_free(&args);
    if (rc >= 0) {
        return rc;
    }

    ctx.ev = rkb_daemon_loop('P', ctx.cfg.log_level);
    if (ctx.ev == NULL) {
        prod_conf_free(&ctx.cfg);
        return RKB_EXIT_FATAL;
    }
    rkb_log(RKB_LOG_NOTICE, "main",
            "rkbridge-producer starting: master %s:%lld -> topics '%s' and "
            "'%s' on %s",
            ctx.cfg.source_host, ctx.cfg.source_port, ctx.cfg.kafka_topic,
            ctx.cfg.kafka_snapshot_topic, ctx.cfg.kafka_brokers);
    rc = run(&ctx);

    rkb_metrics_destroy(ctx.metrics);
    prod_repl_destroy(ctx.repl);
    prod_publish_destroy(ctx.pub);
    rkb_ev_destroy(ctx.ev);
    prod_conf_free(&ctx.cfg);
    return rc;
}
