#include "rkb_fmacros.h"
#include "rkb_daemon.h"
#include "rkb_log.h"
#include "rkb_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig) {
    int saved = errno;
    stop_signal = sig;
    if (write(signal_pipe[1], "s", 1) == -1) {
        /* The flag alone is enough; the pipe only wakes the loop. */
    }
    errno = saved;
}

/* Installs SIGTERM and SIGINT handlers and ignores SIGPIPE. @returns the
 * read end of a non-blocking pipe that turns readable on a stop signal, or
 * -1 with errno set. */
static int daemon_signals(void) {
    if (pipe(signal_pipe) == -1) {
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(signal_pipe[i], F_SETFL, O_NONBLOCK);
        fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return signal_pipe[0];
}

int rkb_daemon_stop_signal(void) {
    return stop_signal;
}

void rkb_daemon_usage(FILE *fp, const char *prog, const char *example) {
    fprintf(fp,
            "usage: %s -c FILE [-o path=value]... [-t]\n"
            "  -c FILE         configuration file (libconfig syntax)\n"
            "  -o path=value   override a key, e.g. -o %s\n"
            "  -t              check the configuration and exit (0 ok, 1 not)\n"
            "  --dump-config   print the effective configuration and exit\n"
            "  --config-doc    print the key reference (markdown) and exit\n"
            "Exit status: 0 clean stop, 1 usage or configuration error, "
            "2 fatal runtime error.\n",
            prog, example);
}

int rkb_daemon_parse_args(int argc, char **argv, const char *prog,
                          const char *example, rkb_daemon_args_t *a) {
    memset(a, 0, sizeof(*a));
    a->overrides = rkb_calloc((size_t)argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-c") == 0 && i + 1 < argc) {
            a->config_path = argv[++i];
        } else if (strcmp(s, "-o") == 0 && i + 1 < argc) {
            a->overrides[a->n_overrides++] = argv[++i];
        } else if (strcmp(s, "-t") == 0 || strcmp(s, "--test-config") == 0) {
            a->test_only = 1;
        } else if (strcmp(s, "--dump-config") == 0) {
            a->dump_config = 1;
        } else if (strcmp(s, "--config-doc") == 0) {
            a->config_doc = 1;
        } else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            a->help = 1;
        } else {
            fprintf(stderr, "%s: unknown argument '%s'\n", prog, s);
            rkb_daemon_usage(stderr, prog, example);
            return -1;
        }
    }
    return 0;
}

void rkb_daemon_args_free(rkb_daemon_args_t *a) {
    free(a->overrides);
    a->overrides = NULL;
    a->n_overrides = 0;
}

int rkb_daemon_configure(const rkb_daemon_args_t *a, const char *prog,
                         const char *example, const rkb_conf_entry_t *table,
                         rkb_conf_post_f *post, void *cfg) {
    if (a->help) {
        rkb_daemon_usage(stdout, prog, example);
        return 0;
    }
    if (a->config_doc) {
        rkb_conf_doc(table, stdout);
        return 0;
    }
    rkb_conf_errors_t errs = RKB_CONF_ERRORS_INIT;
    if (rkb_conf_load(table, cfg, a->config_path, a->overrides,
                      a->n_overrides, post, &errs)) {
        rkb_conf_errors_print(&errs, stderr);
        rkb_conf_errors_free(&errs);
        rkb_conf_free(table, cfg);
        return RKB_EXIT_CONFIG;
    }
    if (!a->test_only && !a->dump_config) {
        return -1;
    }
    if (a->dump_config) {
        rkb_conf_dump(table, cfg, stdout);
    }
    if (a->test_only) {
        printf("config '%s' is ok\n",
               a->config_path ? a->config_path : "(none)");
    }
    rkb_conf_free(table, cfg);
    return 0;
}

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

rkb_ev_t *rkb_daemon_loop(char role, const char *log_level) {
    rkb_log_init(role, rkb_log_level_parse(log_level));
    int signal_fd = daemon_signals();
    if (signal_fd == -1) {
        rkb_log(RKB_LOG_ERR, "main", "signal pipe: %s", strerror(errno));
        return NULL;
    }
    rkb_ev_t *ev = rkb_ev_new();
    rkb_ev_add(ev, signal_fd, RKB_EV_READ, signal_readable, NULL);
    return ev;
}
