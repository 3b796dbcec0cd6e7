/* rdb2resp.c -- rkbridge rdb2resp: turn an RDB file into the RESP commands
 * that rebuild its dataset, for `rkbridge rdb2resp dump.rdb | redis-cli
 * --pipe`.
 *
 * The conversion is bridge/rkb_rdbcmd's; this reads the file in 64 KiB
 * chunks and writes what each chunk completes, so memory stays bounded
 * and, on a corrupt file, stdout ends with the last complete key. */
#include "rkb_fmacros.h"
#include "rkb_rdbcmd.h"
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)
#define USAGE                                                                  \
    "usage: rkbridge rdb2resp FILE [--restore [--target-version X.Y.Z]]\n"

/* Writes out to stdout and empties it. */
static int out_write(rkb_buf_t *out) {
    size_t off = 0;
    while (off < out->len) {
        ssize_t n = write(STDOUT_FILENO, out->data + off, out->len - off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "rkbridge: writing to stdout: %s\n",
                    n < 0 ? strerror(errno) : "short write");
            return -1;
        }
        off += (size_t)n;
    }
    rkb_buf_clear(out);
    return 0;
}

static int convert(const char *path, FILE *fp, const rkb_rdbcmd_opts_t *o) {
    rkb_rdbcmd_t *c = rkb_rdbcmd_new(o);
    rkb_buf_t out = RKB_BUF_INIT;
    char *buf = malloc(READ_CHUNK);
    int rc = 2;
    if (buf == NULL) {
        fprintf(stderr, "rkbridge: out of memory\n");
        goto out;
    }
    while (!rkb_rdbcmd_done(c)) {
        size_t n = fread(buf, 1, READ_CHUNK, fp);
        rkb_err_t err;
        if (n == 0) {
            if (ferror(fp)) {
                fprintf(stderr, "rkbridge: reading %s: %s\n", path,
                        strerror(errno));
                goto out;
            }
            err = rkb_rdbcmd_finish(c);
        } else {
            err = rkb_rdbcmd_feed(c, buf, n, &out);
        }
        /* What the chunk completed goes out even when the next key is
         * corrupt. */
        if (out_write(&out) < 0) {
            goto out;
        }
        if (err != RKB_OK) {
            fprintf(stderr, "rkbridge: %s: %s\n", path,
                    rkb_rdbcmd_errstr(c));
            goto out;
        }
    }
    rc = 0;
out:
    free(buf);
    rkb_buf_free(&out);
    rkb_rdbcmd_destroy(c);
    return rc;
}

static int usage_err(const char *msg) {
    fprintf(stderr, "rkbridge rdb2resp: %s\n" USAGE, msg);
    return 1;
}

int tool_rdb2resp(int argc, char **argv) {
    const char *path = NULL, *target = NULL;
    rkb_rdbcmd_opts_t o;
    int restore = 0, i, rc;
    FILE *fp;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--restore") == 0) {
            restore = 1;
        } else if (strcmp(argv[i], "--target-version") == 0) {
            if (i + 1 == argc) {
                return usage_err("--target-version needs a value");
            }
            target = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            printf(USAGE);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_err("unknown option");
        } else if (path != NULL) {
            return usage_err("only one FILE");
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        return usage_err("no FILE given");
    }
    memset(&o, 0, sizeof(o));
    o.functions = 1;
    if (target != NULL) {
        if (!restore) {
            return usage_err("--target-version goes with --restore");
        }
        o.restore_version = rkb_rdb_version_of_redis(target);
        if (o.restore_version == 0) {
            return usage_err("--target-version: not a Redis version "
                             "(X.Y.Z)");
        }
    } else if (restore) {
        /* The user asserts that the target takes the file's version. */
        o.restore_version = 0x7fff;
    }
    if (strcmp(path, "-") == 0) {
        fp = stdin;
    } else if ((fp = fopen(path, "rb")) == NULL) {
        fprintf(stderr, "rkbridge: cannot open %s: %s\n", path,
                strerror(errno));
        return 2;
    }
    /* A reader that goes away (redis-cli failing) is a write error, not
     * a silent death. */
    signal(SIGPIPE, SIG_IGN);
    rc = convert(path, fp, &o);
    if (fp != stdin) {
        fclose(fp);
    }
    return rc;
}
