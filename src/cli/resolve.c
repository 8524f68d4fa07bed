/* Name-or-id resolution: see resolve.h. */
#include "cli/resolve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/buf.h"
#include "lib/jsonutil.h"

/* printf of two strings into a new string.  Caller frees. */
static char *fmt_msg(const char *fmt, const char *a, const char *b)
{
    struct buf m = BUF_INIT;

    buf_addf(&m, fmt, a, b);
    return buf_steal(&m);
}

/* GET <collection>/<arg>: 1 found (*id set), 0 a clean 404, or a
 * negative errno with *msg. */
static int by_id(struct cli *c, const struct res_type *t, const char *arg,
                 char **id, char **msg)
{
    char *path = res_item_path(t, arg);
    struct http_reply r;
    int rc = http_request(c->http, "GET", path, NULL, &r);

    free(path);
    if (rc < 0) {
        *msg = strdup(http_error(c->http));
        return -EIO;
    }
    const char *got = ju_str(json_object_get(r.body, t->singular), "id");
    if (r.status == 200 && got) {
        *id = strdup(got);
        rc = 1;
    } else if (r.status == 404) {
        *msg = res_error_message(&r);
        rc = 0;
    } else {
        *msg = res_error_message(&r);
        rc = -EPROTO;
    }
    http_reply_clear(&r);
    return rc;
}

/* The ids of the objects of 'list' whose name is exactly 'name' (the
 * server's filter is not trusted alone).  Caller json_decref()s. */
static json_t *matching_ids(const json_t *list, const char *name)
{
    json_t *ids = json_array(), *o;
    size_t i;

    json_array_foreach (list, i, o) {
        const char *n = ju_str(o, "name");
        json_t *id = json_object_get(o, "id");
        if (n && !strcmp(n, name) && json_is_string(id))
            json_array_append(ids, id);
    }
    return ids;
}

/* The message listing the ids of an ambiguous name.  Caller frees. */
static char *ambiguous_msg(const struct res_type *t, const char *arg,
                           const json_t *ids)
{
    struct buf m = BUF_INIT;
    json_t *id;
    size_t i;

    buf_addf(&m,
             "Multiple %s matches found for name '%s', use an ID to be more "
             "specific:",
             t->singular, arg);
    json_array_foreach (ids, i, id)
        buf_addf(&m, "%s%s", i ? ", " : " ", json_string_value(id));
    return buf_steal(&m);
}

/* GET <collection>?name=<arg>: exactly one match or an error. */
static int by_name(struct cli *c, const struct res_type *t, const char *arg,
                   char **id, char **msg)
{
    char *esc = http_escape(arg);
    struct buf path = BUF_INIT;
    struct http_reply r;
    int rc;

    buf_addf(&path, "%s?name=%s&fields=id&fields=name", t->path, esc);
    free(esc);
    rc = http_request(c->http, "GET", path.data, NULL, &r);
    buf_free(&path);
    if (rc < 0) {
        *msg = strdup(http_error(c->http));
        return -EIO;
    }
    if (r.status != 200) {
        *msg = res_error_message(&r);
        http_reply_clear(&r);
        return -EPROTO;
    }
    json_t *ids = matching_ids(json_object_get(r.body, t->plural), arg);
    if (json_array_size(ids) == 1) {
        *id = strdup(json_string_value(json_array_get(ids, 0)));
        rc = 0;
    } else if (json_array_size(ids) == 0) {
        *msg =
            fmt_msg("Unable to find %s with name or id '%s'", t->singular, arg);
        rc = -ENOENT;
    } else {
        *msg = ambiguous_msg(t, arg, ids);
        rc = -EEXIST;
    }
    json_decref(ids);
    http_reply_clear(&r);
    return rc;
}

int resolve_id(struct cli *c, const struct res_type *t, const char *arg,
               char **id, char **msg)
{
    int rc;

    *id = NULL;
    *msg = NULL;
    if (!*arg) {
        *msg = fmt_msg("Unable to find %s with an empty name or id%s",
                       t->singular, "");
        return -ENOENT;
    }
    rc = by_id(c, t, arg, id, msg);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (!t->named)
        return -ENOENT; /* *msg: the server's 404 message */
    free(*msg);
    *msg = NULL;
    return by_name(c, t, arg, id, msg);
}

int resolve_or_print(struct cli *c, const struct res_type *t, const char *arg,
                     char **id)
{
    char *msg;
    int rc = resolve_id(c, t, arg, id, &msg);

    if (rc < 0)
        cli_fail("%s", msg);
    free(msg);
    return rc;
}
