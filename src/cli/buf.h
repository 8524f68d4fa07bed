/* A growable, always NUL-terminated byte buffer. */
#ifndef L2GW_CLI_BUF_H
#define L2GW_CLI_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
};

#define BUF_INIT                                                               \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Appends 'n' bytes of 's'.  Aborts on memory exhaustion. */
void buf_addn(struct buf *b, const char *s, size_t n);

/* Appends the C string 's'. */
void buf_add(struct buf *b, const char *s);

/* Appends one byte. */
void buf_addc(struct buf *b, char c);

/* Appends printf-formatted text. */
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns the contents ("" when empty) and resets 'b'.  Caller frees. */
char *buf_steal(struct buf *b);

/* Frees the contents; 'b' may be reused. */
void buf_free(struct buf *b);

#endif
