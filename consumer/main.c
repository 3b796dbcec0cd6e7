/* rkbridge-consumer -- serves the journal in Kafka to a region. In relay
 * mode (the default) it is the master of the region's replicas, which run
 * REPLICAOF to it. main only parses argv, loads the configuration, wires
 * the modules and runs the loop. */
#include "rkb_fmacros.h"
#include "cons_conf.h"
#include "cons_relay.h"
#include "rkb_conf.h"
#include "rkb_ev.h"
#include "rkb_log.h"
#include "rkb_mem.h"
#include "rkb_metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_CONFIG 1
#define EXIT_FATAL 2

static volatile sig_atomic_t stop_requested;
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig) {
    int saved = errno;
    stop_requested = sig;
    if (write(signal_pipe[1], "s", 1) == -1) {
        /* The flag alone is enough; the pipe only wakes the loop. */
    }
    errno = saved;
}

static void usage(FILE *fp) {
    fprintf(fp,
            "usage: rkbridge-consumer -c FILE [-o path=value]... [-t]\n"
            "  -c FILE         configuration file (libconfig syntax)\n"
            "  -o path=value   override a key, e.g. -o relay.listen=:6380\n"
            "  -t              check the configuration and exit (0 ok, 1 not)\n"
            "  --dump-config   print the effective configuration and exit\n"
            "  --config-doc    print the key reference (markdown) and exit\n"
            "Exit status: 0 clean stop, 1 usage or configuration error, "
            "2 fatal runtime error.\n");
}

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
    if (stop_requested) {
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
    rkb_kafka_prop_t *props =
        rkb_calloc(c->kafka_properties.n + 1, sizeof(*props));
    for (size_t i = 0; i < c->kafka_properties.n; i++) {
        props[i].text = c->kafka_properties.v[i];
        props[i].where = c->kafka_properties.origin[i];
    }
    cons_relay_opts_t ropts = {
        c->relay_listen, c->relay_password,       c->kafka_brokers,
        c->kafka_topic,  c->kafka_snapshot_topic, c->kafka_group,
        props,           c->kafka_properties.n,
    };
    ctx->relay = cons_relay_new(ctx->ev, &ropts, err, sizeof(err));
    free(props);
    if (ctx->relay == NULL) {
        rkb_log(RKB_LOG_ERR, "main", "%s", err);
        return EXIT_FATAL;
    }
    if (c->metrics_listen) {
        ctx->metrics = rkb_metrics_new(ctx->ev, c->metrics_listen,
                                       write_metrics, healthy, ctx, err,
                                       sizeof(err));
        if (ctx->metrics == NULL) {
            rkb_log(RKB_LOG_ERR, "main", "metrics.listen: %s", err);
            return EXIT_FATAL;
        }
    }
    rkb_ev_run(ctx->ev);
    rkb_log(RKB_LOG_NOTICE, "main", "signal %d: stopping",
            (int)stop_requested);
    return 0;
}

int main(int argc, char **argv) {
    const char *path = NULL;
    const char **overrides = rkb_calloc((size_t)argc, sizeof(char *));
    size_t n_overrides = 0;
    int test_only = 0, dump = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "-c") == 0 || strcmp(a, "-o") == 0) && i + 1 < argc) {
            if (a[1] == 'c') {
                path = argv[++i];
            } else {
                overrides[n_overrides++] = argv[++i];
            }
        } else if (strcmp(a, "-t") == 0 || strcmp(a, "--test-config") == 0) {
            test_only = 1;
        } else if (strcmp(a, "--dump-config") == 0) {
            dump = 1;
        } else if (strcmp(a, "--config-doc") == 0) {
            cons_conf_doc(stdout);
            free(overrides);
            return 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(overrides);
            return 0;
        } else {
            fprintf(stderr, "rkbridge-consumer: unknown argument '%s'\n", a);
            usage(stderr);
            free(overrides);
            return EXIT_CONFIG;
        }
    }

    cons_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    int bad = cons_conf_load(&ctx.cfg, path, overrides, n_overrides, &errs);
    free(overrides);
    if (bad) {
        rkb_conf_errors_print(&errs, stderr);
        rkb_conf_errors_free(&errs);
        cons_conf_free(&ctx.cfg);
        return EXIT_CONFIG;
    }
    if (dump) {
        cons_conf_dump(&ctx.cfg, stdout);
    }
    if (test_only || dump) {
        if (test_only) {
            printf("config '%s' is ok\n", path ? path : "(none)");
        }
        cons_conf_free(&ctx.cfg);
        return 0;
    }
    if (strcmp(ctx.cfg.mode, "relay") != 0) {
        fprintf(stderr, "rkbridge-consumer: mode \"%s\" is not implemented "
                        "yet (only \"relay\")\n",
                ctx.cfg.mode);
        cons_conf_free(&ctx.cfg);
        return EXIT_CONFIG;
    }

    rkb_log_init('C', rkb_log_level_parse(ctx.cfg.log_level));
    if (pipe(signal_pipe) == -1) {
        perror("pipe");
        return EXIT_FATAL;
    }
    fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    ctx.ev = rkb_ev_new();
    rkb_ev_add(ctx.ev, signal_pipe[0], RKB_EV_READ, signal_readable, &ctx);
    rkb_log(RKB_LOG_NOTICE, "main",
            "rkbridge-consumer starting: relay mode, topics '%s' and '%s' "
            "on %s, group '%s'",
            ctx.cfg.kafka_topic, ctx.cfg.kafka_snapshot_topic,
            ctx.cfg.kafka_brokers, ctx.cfg.kafka_group);
    int rc = run(&ctx);

    rkb_metrics_destroy(ctx.metrics);
    cons_relay_destroy(ctx.relay);
    rkb_ev_destroy(ctx.ev);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    cons_conf_free(&ctx.cfg);
    return rc;
}
