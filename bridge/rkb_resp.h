/* rkb_resp.h -- I/O-free parsing of one RESP command (an array of bulk
 * strings) from a buffer that holds whole commands, as journaled frames
 * do. For the byte-at-a-time master link see producer/prod_stream. */
#ifndef RKB_RESP_H
#define RKB_RESP_H
#include <stddef.h>

typedef struct rkb_resp_arg_s {
    const char *p; /* borrowed from the buffer */
    size_t len;
} rkb_resp_arg_t;

/** Parses the command at buf[0..len). Up to max_args arguments are stored
 *  in args; *argc gets the real count (which may be larger).
 *  @returns the command's size in bytes, 0 if the buffer ends inside it,
 *  or -1 if the bytes are not a RESP array of bulk strings. */
long rkb_resp_parse_command(const char *buf, size_t len, rkb_resp_arg_t *args,
                            size_t max_args, size_t *argc);

#endif
