/* rkb_daemon.h -- what both daemons' main() share: the command line
 * (-c FILE, -o path=value, -t, --dump-config, --config-doc, -h) and the
 * stop signals, which set a flag and wake the event loop through a pipe.
 * Holds the process's only global: the signal flag. */
#ifndef RKB_DAEMON_H
#define RKB_DAEMON_H
#include <stddef.h>
#include <stdio.h>
#include "rkb_conf.h"
#include "rkb_ev.h"

#define RKB_EXIT_CONFIG 1 /* usage or configuration error */
#define RKB_EXIT_FATAL 2  /* fatal runtime error */

typedef struct rkb_daemon_args_s {
    const char *config_path;  /* -c FILE, or NULL */
    const char **overrides;   /* the -o values, borrowed from argv */
    size_t n_overrides;
    int test_only;            /* -t */
    int dump_config;          /* --dump-config */
    int config_doc;           /* --config-doc */
    int help;                 /* -h */
} rkb_daemon_args_t;

/** Parses argv. @returns 0, or -1 after printing the problem and the usage
 *  to stderr. Free with rkb_daemon_args_free() either way. */
int rkb_daemon_parse_args(int argc, char **argv, const char *prog,
                          const char *example, rkb_daemon_args_t *a);
void rkb_daemon_args_free(rkb_daemon_args_t *a);
/** example: an -o override shown in the usage, e.g. "source.port=6380". */
void rkb_daemon_usage(FILE *fp, const char *prog, const char *example);

/** The configuration phase both daemons share. -h and --config-doc print
 *  and return 0. Otherwise loads the configuration into cfg (the daemon's
 *  table and cross-field hook), prints every error (returns 1), and with
 *  -t or --dump-config prints and returns 0.
 *  @returns -1 when the daemon should run (cfg holds the configuration;
 *  free it with rkb_conf_free), else the exit code (cfg already freed). */
int rkb_daemon_configure(const rkb_daemon_args_t *a, const char *prog,
                         const char *example, const rkb_conf_entry_t *table,
                         rkb_conf_post_f *post, void *cfg);

/** What both daemons do once configured: logging at log_level with role
 *  ('P', 'C'), the stop signals, and an event loop that they stop.
 *  @returns the loop, or NULL after logging why. */
rkb_ev_t *rkb_daemon_loop(char role, const char *log_level);

/** The signal that asked to stop, or 0. */
int rkb_daemon_stop_signal(void);

#endif
