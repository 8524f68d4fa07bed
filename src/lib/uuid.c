/* Version 4 UUIDs from getrandom(2), and checks of their text form. */
#include "lib/uuid.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

/* Fills 'buf' with 'len' random bytes.  getrandom(2) only fails this way on
 * a kernel without it (before Linux 3.17), which l2gw does not support. */
static void random_bytes(uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("getrandom");
            abort();
        }
        buf += n;
        len -= (size_t)n;
    }
}

void uuid_generate(char out[UUID_STRLEN + 1])
{
    uint8_t b[16];

    random_bytes(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant RFC 4122 */
    snprintf(out, UUID_STRLEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

/* True at the offsets of the dashes in 8-4-4-4-12. */
static bool is_dash_pos(int i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

bool uuid_is_valid(const char *s)
{
    if (!s) {
        return false;
    }
    for (int i = 0; i < UUID_STRLEN; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_dash_pos(i) ? c != '-' : !isxdigit(c)) {
            return false; /* also stops at a NUL before the end */
        }
    }
    return s[UUID_STRLEN] == '\0';
}

int uuid_normalize(const char *s, char out[UUID_STRLEN + 1])
{
    if (!uuid_is_valid(s)) {
        return -EINVAL;
    }
    for (int i = 0; i < UUID_STRLEN; i++) {
        out[i] = (char)tolower((unsigned char)s[i]);
    }
    out[UUID_STRLEN] = '\0';
    return 0;
}
