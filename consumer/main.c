/* rkbridge-consumer -- serves the journal in Kafka to a region. In relay
 * mode (the default) it is the master of the region's replicas, which run
 * REPLICAOF to it; in apply mode it writes the journal into a target Redis
 * as a client. main only parses argv, loads the configuration, wires the
 * modules and runs the loop. */
#include "rkb_fmacros.h"
#include "cons_apply.h"
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
    cons_apply_t *apply;
    int apply_done[2]; /* the applier's thread writes here when it fails */
    rkb_metrics_t *metrics;
    /* apply mode: the filters, parsed from the configuration */
    long *dbs;
    cons_db_pair_t *map;
    cons_filter_t filter;
} cons_ctx_t;

static void apply_failed(rkb_ev_t *ev, int fd, void *arg, int mask) {
    (void)fd;
    (void)arg;
    (void)mask;
    rkb_ev_stop(ev);
}

static void write_metrics(void *arg, rkb_buf_t *out) {
    cons_ctx_t *ctx = arg;
    if (ctx->apply) {
        cons_apply_metrics(ctx->apply, out);
    } else {
        cons_relay_metrics(ctx->relay, out);
    }
}

static int healthy(void *arg) {
    cons_ctx_t *ctx = arg;
    return ctx->apply ? cons_apply_ready(ctx->apply)
                      : cons_relay_ready(ctx->relay);
}

/* apply.dbs and apply.db_map as the filter takes them (the table checked
 * their syntax). */
static void build_filter(cons_ctx_t *ctx) {
    const cons_conf_t *c = &ctx->cfg;
    cons_filter_t *f = &ctx->filter;
    ctx->dbs = rkb_calloc(c->apply_dbs.n + 1, sizeof(*ctx->dbs));
    for (size_t i = 0; i < c->apply_dbs.n; i++) {
        cons_conf_parse_db(c->apply_dbs.v[i], &ctx->dbs[i]);
    }
    ctx->map = rkb_calloc(c->apply_db_map.n + 1, sizeof(*ctx->map));
    for (size_t i = 0; i < c->apply_db_map.n; i++) {
        cons_conf_parse_db_pair(c->apply_db_map.v[i], &ctx->map[i].src,
                                &ctx->map[i].dst);
    }
    f->dbs = ctx->dbs;
    f->n_dbs = c->apply_dbs.n;
    f->map = ctx->map;
    f->n_map = c->apply_db_map.n;
    f->include = (const char *const *)c->apply_include_prefixes.v;
    f->n_include = c->apply_include_prefixes.n;
    f->exclude = (const char *const *)c->apply_exclude_prefixes.v;
    f->n_exclude = c->apply_exclude_prefixes.n;
}

static int start_apply(cons_ctx_t *ctx, const rkb_kafka_prop_t *props,
                       char *err, size_t errsz) {
    const cons_conf_t *c = &ctx->cfg;
    cons_apply_opts_t o = {
        .brokers = c->kafka_brokers, .topic = c->kafka_topic,
        .snapshot_topic = c->kafka_snapshot_topic, .group = c->kafka_group,
        .props = props, .n_props = c->kafka_properties.n,
        .host = c->target_host, .port = (int)c->target_port,
        .user = c->target_user, .password = c->target_password,
        .flush = c->apply_flush, .load = c->apply_load,
        .on_error_log = strcmp(c->apply_on_error, "log") == 0,
        .key_prefix = c->apply_key_prefix, .filter = &ctx->filter,
        .batch_commands = (size_t)c->apply_batch_commands,
    };
    build_filter(ctx);
    ctx->apply = cons_apply_new(&o, err, errsz);
    if (ctx->apply == NULL) {
        return -1;
    }
    if (pipe(ctx->apply_done) < 0 ||
        cons_apply_start(ctx->apply, ctx->apply_done[1]) < 0) {
        snprintf(err, errsz, "cannot start the applier: %s",
                 strerror(errno));
        return -1;
    }
    rkb_ev_add(ctx->ev, ctx->apply_done[0], RKB_EV_READ, apply_failed, ctx);
    return 0;
}

static int run(cons_ctx_t *ctx) {
    char err[512];
    const cons_conf_t *c = &ctx->cfg;
    rkb_kafka_prop_t *props = rkb_conf_kafka_props(&c->kafka_properties);
    int failed;
    if (strcmp(c->mode, "apply") == 0) {
        failed = start_apply(ctx, props, err, sizeof(err));
    } else {
        cons_relay_opts_t ropts = {
            c->relay_listen, c->relay_password,       c->kafka_brokers,
            c->kafka_topic,  c->kafka_snapshot_topic, c->kafka_group,
            props,           c->kafka_properties.n,
        };
        ctx->relay = cons_relay_new(ctx->ev, &ropts, err, sizeof(err));
        failed = ctx->relay == NULL;
    }
    free(props);
    if (failed) {
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
    if (rkb_daemon_stop_signal()) {
        rkb_log(RKB_LOG_NOTICE, "main", "signal %d: stopping",
                (int)rkb_daemon_stop_signal());
    }
    return ctx->apply ? cons_apply_stop(ctx->apply) : 0;
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

    ctx.ev = rkb_daemon_loop('C', ctx.cfg.log_level);
    if (ctx.ev == NULL) {
        cons_conf_free(&ctx.cfg);
        return RKB_EXIT_FATAL;
    }
    rkb_log(RKB_LOG_NOTICE, "main",
            "rkbridge-consumer starting: %s mode, topics '%s' and '%s' "
            "on %s, group '%s'",
            ctx.cfg.mode, ctx.cfg.kafka_topic, ctx.cfg.kafka_snapshot_topic,
            ctx.cfg.kafka_brokers, ctx.cfg.kafka_group);
    rc = run(&ctx);

    rkb_metrics_destroy(ctx.metrics);
    cons_relay_destroy(ctx.relay);
    cons_apply_destroy(ctx.apply);
    if (ctx.apply_done[0] > 0) {
        close(ctx.apply_done[0]);
        close(ctx.apply_done[1]);
    }
    free(ctx.dbs);
    free(ctx.map);
    rkb_ev_destroy(ctx.ev);
    cons_conf_free(&ctx.cfg);
    return rc;
}
