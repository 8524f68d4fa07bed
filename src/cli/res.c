/* Generic resource operations: see res.h. */
#include "cli/res.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/buf.h"
#include "cli/resolve.h"
#include "lib/jsonutil.h"

const struct args_opt res_list_opts[] = {
    {"--field", "-F", ARGS_VALUE, "FIELD",
     "only this attribute (repeatable; sets the columns)"},
    {"--project", "--tenant-id", ARGS_VALUE, "PROJECT",
     "only resources of this project (id)"},
    {"--sort-key", NULL, ARGS_VALUE, "KEY",
     "sort by this attribute (repeatable)"},
    {"--sort-dir", NULL, ARGS_VALUE, "asc|desc",
     "sort direction (repeatable, one per --sort-key)"},
    {"--limit", NULL, ARGS_VALUE, "N",
     "page size of the requests (all pages are fetched)"},
    {0},
};

const struct args_opt res_project_opts[] = {
    {"--tenant-id", "--project", ARGS_VALUE, "PROJECT",
     "owner project of the new resource (admin only)"},
    {0},
};

int res_call(struct cli *c, const char *method, const char *path,
             const json_t *body, struct http_reply *r)
{
    int rc = http_request(c->http, method, path, body, r);

    if (rc < 0)
        cli_fail("%s", http_error(c->http));
    return rc;
}

char *res_error_message(const struct http_reply *r)
{
    const json_t *ne = json_object_get(r->body, "NeutronError");
    const char *m = ju_str(ne, "message");
    struct buf b = BUF_INIT;

    if (!m)
        m = json_string_value(ne); /* older Neutron: a plain string */
    if (!m)
        m = ju_str(r->body, "message");
    if (m && *m) {
        buf_add(&b, m);
    } else {
        size_t n = r->raw ? strlen(r->raw) : 0;
        buf_addf(&b, "HTTP %ld", r->status);
        if (n)
            buf_addf(&b, ": %.*s", (int)(n > 500 ? 500 : n), r->raw);
    }
    return buf_steal(&b);
}

int res_expect(struct cli *c, const char *method, const char *path,
               const json_t *body, json_t **out)
{
    struct http_reply r;
    int rc = res_call(c, method, path, body, &r);

    if (rc < 0)
        return rc;
    if (r.status < 200 || r.status > 299) {
        char *m = res_error_message(&r);
        cli_fail("%s", m);
        free(m);
        http_reply_clear(&r);
        return -EPROTO;
    }
    if (out) {
        *out = r.body;
        r.body = NULL;
    }
    http_reply_clear(&r);
    return 0;
}

char *res_item_path(const struct res_type *t, const char *id)
{
    char *esc = http_escape(id);
    struct buf b = BUF_INIT;

    buf_addf(&b, "%s/%s", t->path, esc);
    free(esc);
    return buf_steal(&b);
}

/* Takes the object under 'key' out of reply 'body' (consumed) into *obj
 * (caller json_decref()s). */
static int unwrap(json_t *body, const char *key, json_t **obj)
{
    json_t *o = json_object_get(body, key);

    if (!json_is_object(o) && !json_is_array(o)) {
        json_decref(body);
        cli_fail("Unexpected reply from the server: no '%s' in it", key);
        return -EPROTO;
    }
    *obj = json_incref(o);
    json_decref(body);
    return 0;
}

int res_get(struct cli *c, const struct res_type *t, const char *id,
            json_t **obj)
{
    char *path = res_item_path(t, id);
    json_t *body;
    int rc = res_expect(c, "GET", path, NULL, &body);

    free(path);
    return rc < 0 ? rc : unwrap(body, t->singular, obj);
}

int res_create(struct cli *c, const struct res_type *t, json_t *inner,
               json_t **obj)
{
    json_t *req = json_pack("{s:o}", t->singular, inner), *body;
    int rc = res_expect(c, "POST", t->path, req, &body);

    json_decref(req);
    return rc < 0 ? rc : unwrap(body, t->singular, obj);
}

int res_print_one(struct cli *c, const struct res_type *t, const json_t *obj)
{
    char err[1024];

    const struct out_column *cols =
        t->show_columns ? t->show_columns : t->columns;

    if (out_show(c->fp, &c->out, cols, obj, err, sizeof err) < 0)
        return cli_fail("%s", err);
    return CLI_EXIT_OK;
}

int res_print_list(struct cli *c, const struct res_type *t, const json_t *rows,
                   const char *const *fields, size_t n_fields)
{
    char err[1024];

    if (out_list(c->fp, &c->out, t->columns, rows, fields, n_fields, err,
                 sizeof err) < 0)
        return cli_fail("%s", err);
    return CLI_EXIT_OK;
}

int res_cmd_create(struct cli *c, const struct res_type *t, json_t *inner)
{
    json_t *obj;
    int rc;

    if (res_create(c, t, inner, &obj) < 0)
        return CLI_EXIT_FAIL;
    rc = res_print_one(c, t, obj);
    json_decref(obj);
    return rc;
}

int res_cmd_show(struct cli *c, const struct res_type *t, const struct args *a)
{
    char *id;
    json_t *obj;
    int rc;

    if (resolve_or_print(c, t, a->pos[0], &id) < 0)
        return CLI_EXIT_FAIL;
    rc = res_get(c, t, id, &obj);
    free(id);
    if (rc < 0)
        return CLI_EXIT_FAIL;
    rc = res_print_one(c, t, obj);
    json_decref(obj);
    return rc;
}

void res_query_add(struct buf *q, const char *key, const char *value)
{
    char *esc = http_escape(value);

    buf_addf(q, "%s%s=%s", q->len ? "&" : "", key, esc);
    free(esc);
}

/* The query string of the list options of 'a'. */
static void list_query(struct buf *q, const struct args *a)
{
    static const char *const map[][2] = {
        {"--field", "fields"},      {"--sort-key", "sort_key"},
        {"--sort-dir", "sort_dir"}, {"--project", "tenant_id"},
        {"--limit", "limit"},
    };

    for (size_t m = 0; m < sizeof map / sizeof map[0]; m++)
        for (size_t i = 0; i < args_count(a, map[m][0]); i++)
            res_query_add(q, map[m][1], args_nth(a, map[m][0], i));
    /* As neutronclient: a --sort-key without its --sort-dir sorts up
     * (Neutron wants as many directions as keys). */
    for (size_t i = args_count(a, "--sort-dir");
         i < args_count(a, "--sort-key"); i++)
        res_query_add(q, "sort_dir", "asc");
}

/* The path (from "/v2.0" on) of the "next" link of a list reply, or NULL.
 * Caller frees. */
static char *next_link(const json_t *body, const char *plural)
{
    char key[128];
    const json_t *links, *l;
    size_t i;

    snprintf(key, sizeof key, "%s_links", plural);
    links = json_object_get(body, key);
    json_array_foreach (links, i, l) {
        const char *rel = ju_str(l, "rel");
        const char *href = ju_str(l, "href");
        const char *p = href ? strstr(href, "/v2.0/") : NULL;
        if (rel && p && !strcmp(rel, "next"))
            return strdup(p);
    }
    return NULL;
}

/* GETs 'path' (consumed) and every next page, appending the resources
 * to 'all'; the first reply, without its list, goes to *meta. */
static int fetch_all(struct cli *c, const struct res_type *t, char *path,
                     json_t *all, json_t **meta)
{
    for (int page = 0; path && page < RES_MAX_PAGES; page++) {
        json_t *body;
        int rc = res_expect(c, "GET", path, NULL, &body);

        free(path);
        if (rc < 0)
            return rc;
        json_t *items = json_object_get(body, t->plural);
        if (!json_is_array(items)) {
            json_decref(body);
            cli_fail("Unexpected reply from the server: no '%s' list",
                     t->plural);
            return -EPROTO;
        }
        json_array_extend(all, items);
        path = json_array_size(items) ? next_link(body, t->plural) : NULL;
        if (page == 0 && meta) {
            json_object_del(body, t->plural);
            *meta = json_incref(body);
        }
        json_decref(body);
    }
    free(path);
    return 0;
}

int res_list_rows(struct cli *c, const struct res_type *t, const struct args *a,
                  const char *query, json_t **rows, json_t **meta)
{
    struct buf q = BUF_INIT, path = BUF_INIT;
    int rc;

    if (meta)
        *meta = NULL;
    list_query(&q, a);
    if (query && *query)
        buf_addf(&q, "%s%s", q.len ? "&" : "", query);
    buf_addf(&path, "%s%s%s", t->path, q.len ? "?" : "", q.len ? q.data : "");
    buf_free(&q);
    *rows = json_array();
    rc = fetch_all(c, t, buf_steal(&path), *rows, meta);
    if (rc < 0) {
        json_decref(*rows);
        *rows = NULL;
        if (meta) {
            json_decref(*meta);
            *meta = NULL;
        }
    }
    return rc;
}

size_t res_fields(const struct args *a, const char **fields)
{
    size_t n = args_count(a, "--field");

    for (size_t i = 0; i < n; i++)
        fields[i] = args_nth(a, "--field", i);
    return n;
}

int res_cmd_list(struct cli *c, const struct res_type *t, const struct args *a,
                 const char *query)
{
    const char *fields[ARGS_MAX_OPTIONS];
    json_t *rows;
    int rc;

    if (res_list_rows(c, t, a, query, &rows, NULL) < 0)
        return CLI_EXIT_FAIL;
    rc = res_print_list(c, t, rows, fields, res_fields(a, fields));
    json_decref(rows);
    return rc;
}

int res_cmd_update(struct cli *c, const struct res_type *t, const char *id,
                   json_t *inner)
{
    json_t *req = json_pack("{s:o}", t->singular, inner), *body, *obj;
    char *path = res_item_path(t, id);
    int rc = res_expect(c, "PUT", path, req, &body);

    free(path);
    json_decref(req);
    if (rc < 0 || unwrap(body, t->singular, &obj) < 0)
        return CLI_EXIT_FAIL;
    rc = res_print_one(c, t, obj);
    json_decref(obj);
    return rc;
}

/* DELETEs resource 'id'; returns 0, or a negative errno with *msg set
 * (caller frees). */
static int delete_id(struct cli *c, const struct res_type *t, const char *id,
                     const char *query, char **msg)
{
    char *path = res_item_path(t, id);
    struct buf p = BUF_INIT;
    struct http_reply r;
    int rc;

    buf_addf(&p, "%s%s%s", path, *query ? "?" : "", query);
    free(path);
    rc = http_request(c->http, "DELETE", p.data, NULL, &r);
    buf_free(&p);
    if (rc < 0) {
        *msg = strdup(http_error(c->http));
        return rc;
    }
    if (r.status < 200 || r.status > 299) {
        *msg = res_error_message(&r);
        rc = -EPROTO;
    }
    http_reply_clear(&r);
    return rc;
}

/* Resolves and deletes one; returns 0 or -1 after printing why not. */
static int delete_one(struct cli *c, const struct res_type *t, const char *arg,
                      const char *query)
{
    char *id = NULL, *msg = NULL;
    int rc = resolve_id(c, t, arg, &id, &msg);

    if (rc == 0)
        rc = delete_id(c, t, id, query, &msg);
    if (rc < 0)
        cli_fail("Failed to delete %s with name or ID '%s': %s", t->label, arg,
                 msg);
    free(id);
    free(msg);
    return rc < 0 ? -1 : 0;
}

int res_cmd_delete(struct cli *c, const struct res_type *t,
                   const struct args *a, const char *query)
{
    size_t fails = 0;

    for (size_t i = 0; i < a->n_pos; i++)
        if (delete_one(c, t, a->pos[i], query ? query : "") < 0)
            fails++;
    if (fails)
        return cli_fail("Failed to delete %zu of %zu %s.", fails, a->n_pos,
                        t->label);
    return CLI_EXIT_OK;
}

json_t *res_number(const char *s)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (*s && *s != '+' && !isspace((unsigned char)*s) && !*end && !errno)
        return json_integer(v);
    return json_string(s);
}

void res_set_project(json_t *inner, const struct args *a)
{
    const char *p = args_get(a, "--tenant-id");

    if (p)
        json_object_set_new(inner, "tenant_id", json_string(p));
}
