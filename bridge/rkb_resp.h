/* rkb_resp.h -- I/O-free parsing of one RESP command (an array of bulk
 * strings) from a buffer that holds whole commands, as journaled frames
 * do, and the encoding of commands. For the byte-at-a-time master link see
 * producer/prod_stream. */
#ifndef RKB_RESP_H
#define RKB_RESP_H
#include <stddef.h>
#include "rkb_buf.h"

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

/** Appends "*<n>\r\n", the header of a command of n arguments. */
void rkb_resp_append_array(rkb_buf_t *out, size_t n);
/** Appends "$<len>\r\n": the caller appends the len bytes and "\r\n". */
void rkb_resp_append_bulk_header(rkb_buf_t *out, size_t len);
/** Appends one argument: "$<len>\r\n<bytes>\r\n". */
void rkb_resp_append_bulk(rkb_buf_t *out, const void *p, size_t len);
/** Appends a whole command; lens NULL: the arguments are C strings. */
void rkb_resp_append_command(rkb_buf_t *out, size_t argc,
                             const char *const *argv, const size_t *lens);

#endif
