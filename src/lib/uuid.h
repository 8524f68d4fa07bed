/* UUIDs as canonical lower-case strings "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
#ifndef L2GW_UUID_H
#define L2GW_UUID_H

#include <stdbool.h>

#define UUID_STRLEN 36

/* Writes a random (version 4) UUID and its NUL into 'out'. */
void uuid_generate(char out[UUID_STRLEN + 1]);

/* True if 's' is a UUID in 8-4-4-4-12 hex form (either case). */
bool uuid_is_valid(const char *s);

/* Copies 's' in lower case into 'out'; returns 0, or -EINVAL if 's' is not
 * a UUID. */
int uuid_normalize(const char *s, char out[UUID_STRLEN + 1]);

#endif
