/* rkbridge-consumer -- serves the journal in Kafka to a region. In relay
 * mode (the default) it is the master of the region's replicas, which run
 * REPLICAOF to it. main only parses argv, loads the configuration, wires
 * the modules and runs the loop. */
#include "rkb_fmacros.h"
#include "cons_conf.h"
#include "cons_relay.h"
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

typedef struct cons_ctx_s {
    cons_conf_t cfg;
    rkb_ev_t *ev;
    cons_relay_t *relay;
    rkb_metrics_t *metrics;
} cons_ctx_t;

static void signal_readable(rkb_ev_t *ev, int fd, void *arg, int mask) {
    char buf[16];
    (void)arg;
    (void)mask;
    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    if (rkb_daemon_stop_signal()) {
        rkb_ev_stop(ev);
    }
}

static void write_metrics(void *arg, rkb_buf_t *out) {
    cons_ctx_t *ctx = arg;
    cons_relay_metrics(ctx->relay, out);
}

static int healthy(void *arg) {
    cons_ctx_t *ctx = arg;
    return cons_relay_ready(ctx->relay);
}

static int run(cons_ctx_t *ctx) {
    char err[512];
    const cons_conf_t *c = &ctx->cfg;
    rkb_kafka_prop_t *props = rkb_conf_kafka_props(&c->kafka_properties);
    cons_relay_opts_t ropts = {
        c->relay_listen, c->relay_password,       c->kafka_brokers,
        c->kafka_topic,  c->kafka_snapshot_topic, c->kafka_group,
        props,           c->kafka_properties.n,
    };
    ctx->relay = cons_relay_new(ctx->ev, &ropts, err, sizeof(err));
    free(props);
    if (ctx->relay == NULL) {
        rkb_log(RKB_LOG_ERR, "main", "%s", err);
        return RKB_EXIT_FATAL;
    }
    if (c->metrics_listen) {
        ctx->metrics = rkb_metrics_new(ctx->ev, c->metrics_listen,
                                       write_metrics, healthy, ctx, err,
                                       sizeof(err));
        if (ctx->metrics == NULL) {
            rkb_log(RKB_LOG_ERR, "main", "metrics.listen: %s", err);
            return RKB_EXIT_FATAL;
        }
    }
    rkb_ev_run(ctx->ev);
    rkb_log(RKB_LOG_NOTICE, "main", "signal %d: stopping",
            (int)rkb_daemon_stop_signal());
    return 0;
}

int main(int argc, char **argv) {
    static const char prog[] = "rkbridge-consumer";
    static const char example[] = "relay.listen=127.0.0.1:6380";
    rkb_daemon_args_t args;
    cons_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    int rc = rkb_daemon_parse_args(argc, argv, prog, example, &args)
                 ? RKB_EXIT_CONFIG
                 : rkb_daemon_configure(&args, prog, example, cons_conf_table,
                                        cons_conf_post, &ctx.cfg);
    rkb_daemon_args_free(&args);
    if (rc >= 0) {
        return rc;
    }
    if (strcmp(ctx.cfg.mode, "relay") != 0) {
        fprintf(stderr, "rkbridge-consumer: mode \"%s\" is not implemented "
                        "yet (only \"relay\")\n",
                ctx.cfg.mode);
        cons_conf_free(&ctx.cfg);
        return RKB_EXIT_CONFIG;
    }

    rkb_log_init('C', rkb_log_level_parse(ctx.cfg.log_level));
    int signal_fd = rkb_daemon_signals();
    if (signal_fd == -1) {
        rkb_log(RKB_LOG_ERR, "main", "signal pipe: %s", strerror(errno));
        cons_conf_free(&ctx.cfg);
        return RKB_EXIT_FATAL;
    }
    ctx.ev = rkb_ev_new();
    rkb_ev_add(ctx.ev, signal_fd, RKB_EV_READ, signal_readable, &ctx);
    rkb_log(RKB_LOG_NOTICE, "main",
            "rkbridge-consumer starting: relay mode, topics '%s' and '%s' "
            "on %s, group '%s'",
            ctx.cfg.kafka_topic, ctx.cfg.kafka_snapshot_topic,
            ctx.cfg.kafka_brokers, ctx.cfg.kafka_group);
    rc = run(&ctx);

    rkb_metrics_destroy(ctx.metrics);
    cons_relay_destroy(ctx.relay);
    rkb_ev_destroy(ctx.ev);
    cons_conf_free(&ctx.cfg);
    return rc;
}
