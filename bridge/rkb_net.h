/* rkb_net.h -- small anet-style TCP helpers. Blocking name resolution;
 * sockets are returned non-blocking and close-on-exec. */
#ifndef RKB_NET_H
#define RKB_NET_H
#include <stddef.h>

/** Starts a non-blocking connect (the fd becomes writable when done; then
 *  check rkb_net_connect_result). @returns the fd, or -1 with errstr set. */
int rkb_net_connect(const char *host, int port, char *errstr,
                    size_t errstr_size);
/** @returns 0 when the connect succeeded, else the errno of the failure. */
int rkb_net_connect_result(int fd);
/** Listens on host:port (backlog 128, SO_REUSEADDR). @returns fd or -1. */
int rkb_net_listen(const char *host, int port, char *errstr,
                   size_t errstr_size);
/** Splits "host:port" (the last ':' separates). @returns 0 or -1. */
int rkb_net_split_hostport(const char *s, char *host, size_t host_size,
                           int *port);

#endif
