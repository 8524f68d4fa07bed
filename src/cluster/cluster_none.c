/* cluster.h without libpq: no shared store is possible, so no cluster. */
#include "cluster/cluster.h"

int cluster_create(const struct config *cfg, struct store *st,
                   struct cluster **out)
{
    (void)cfg;
    (void)st;
    *out = NULL;
    return 0;
}

void cluster_destroy(struct cluster *c) { (void)c; }
void cluster_run(struct cluster *c) { (void)c; }
void cluster_wait(struct cluster *c) { (void)c; }
int cluster_declare(struct cluster *c, const char *db)
{
    (void)c;
    (void)db;
    return 0;
}
bool cluster_owns(const struct cluster *c, const char *db)
{
    (void)c;
    (void)db;
    return true;
}
int cluster_claim(struct cluster *c, const char *db)
{
    (void)c;
    (void)db;
    return 0;
}
void cluster_release(struct cluster *c, const char *db)
{
    (void)c;
    (void)db;
}
json_t *cluster_describe(const struct cluster *c)
{
    (void)c;
    return json_null();
}
