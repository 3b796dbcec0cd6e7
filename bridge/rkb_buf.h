/* rkb_buf.h -- a growable byte buffer (our own; libhiredis already exports
 * sds, so we do not vendor it). Not thread-safe. */
#ifndef RKB_BUF_H
#define RKB_BUF_H
#include <stddef.h>

typedef struct rkb_buf_s {
    char *data; /* owned; NULL while cap == 0 */
    size_t len;
    size_t cap;
} rkb_buf_t;

#define RKB_BUF_INIT {NULL, 0, 0}

void rkb_buf_free(rkb_buf_t *b);                     /* leaves b empty */
void rkb_buf_reserve(rkb_buf_t *b, size_t extra);    /* cap >= len+extra */
void rkb_buf_append(rkb_buf_t *b, const void *p, size_t n);
void rkb_buf_consume(rkb_buf_t *b, size_t n);        /* drop n front bytes */
void rkb_buf_clear(rkb_buf_t *b);                    /* len = 0, keeps cap */
/** Hands the bytes to the caller (free(3) them); b is left empty. */
char *rkb_buf_detach(rkb_buf_t *b, size_t *len);

#endif
