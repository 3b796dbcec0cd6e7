/* rkb_mem.h -- allocation wrappers that abort on OOM (as Redis zmalloc does),
 * so callers never handle malloc failure. Parsers must therefore enforce
 * explicit size limits on peer input before allocating.
 * Memory from these is released with plain free(3), so a buffer may be handed
 * to librdkafka with RD_KAFKA_MSG_F_FREE. */
#ifndef RKB_MEM_H
#define RKB_MEM_H
#include <stddef.h>

void *rkb_malloc(size_t size);
void *rkb_calloc(size_t nmemb, size_t size);
void *rkb_realloc(void *ptr, size_t size);
char *rkb_strdup(const char *s);
char *rkb_strndup(const char *s, size_t n);

/** Invariant check that stays on in release builds (never for peer input). */
#define RKB_ASSERT(cond)                                                       \
    ((cond) ? (void)0 : rkb_assert_fail(#cond, __FILE__, __LINE__))
void rkb_assert_fail(const char *expr, const char *file, int line)
    __attribute__((noreturn));

#endif
