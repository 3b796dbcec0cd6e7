#include "rkb_fmacros.h"
#include "rkb_net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void tune_socket(int fd) {
    int one = 1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}

static struct addrinfo *resolve(const char *host, int port, int passive,
                                char *errstr, size_t errstr_size) {
    struct addrinfo hints = {0}, *res = NULL;
    char portstr[16];
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    snprintf(portstr, sizeof(portstr), "%d", port);
    int rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        snprintf(errstr, errstr_size, "cannot resolve %s: %s", host,
                 gai_strerror(rc));
        return NULL;
    }
    return res;
}

int rkb_net_connect(const char *host, int port, char *errstr,
                    size_t errstr_size) {
    struct addrinfo *res = resolve(host, port, 0, errstr, errstr_size);
    if (res == NULL) {
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            err = errno;
            continue;
        }
        tune_socket(fd);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
            errno == EINPROGRESS) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd == -1) {
        snprintf(errstr, errstr_size, "cannot connect to %s:%d: %s", host,
                 port, strerror(err));
    }
    return fd;
}

int rkb_net_connect_result(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1) {
        return errno;
    }
    return err;
}

int rkb_net_listen(const char *host, int port, char *errstr,
                   size_t errstr_size) {
    struct addrinfo *res = resolve(host, port, 1, errstr, errstr_size);
    if (res == NULL) {
        return -1;
    }
    int fd = -1, err = 0, one = 1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            listen(fd, 128) == 0) {
            tune_socket(fd);
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd == -1) {
        snprintf(errstr, errstr_size, "cannot listen on %s:%d: %s", host,
                 port, strerror(err));
    }
    return fd;
}

int rkb_net_split_hostport(const char *s, char *host, size_t host_size,
                           int *port) {
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s || (size_t)(colon - s) >= host_size) {
        return -1;
    }
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1 || p < 1 || p > 65535) {
        return -1;
    }
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (int)p;
    return 0;
}
