/* TEMPORARY placeholder so that lib builds; being replaced by the real
 * table-driven parser (lib engineer). */
#include "lib/config.h"

#include <errno.h>
#include <string.h>

void
config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
}

int
config_load_file(struct config *cfg, const char *path, char *errbuf,
                 size_t errlen)
{
    return -ENOSYS;
}

int
config_load_string(struct config *cfg, const char *name, const char *text,
                   char *errbuf, size_t errlen)
{
    return -ENOSYS;
}

void
config_destroy(struct config *cfg)
{
}

int
config_parse_vni_ranges(const char *text, long long (*out)[2], int max)
{
    return -ENOSYS;
}
