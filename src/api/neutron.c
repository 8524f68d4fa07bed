/* Neutron v2.0 request bodies (see neutron.h): envelopes, bulk forms,
 * attribute checks and conversions, tenant_id/project_id.  Messages are
 * Neutron's own (neutron/api/v2/base.py, neutron_lib/api/attributes.py and
 * validators) so that clients and scripts see what Neutron would say. */
#include "api/neutron.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"

#define REPR_MAX 256   /* characters of a value quoted in a message */

/* ---- messages ---- */

/* A bounded string builder that truncates silently. */
struct sbuf {
    char *p;
    size_t size;
    size_t len;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + 1 >= b->size) {
        return;
    }
    size_t room = b->size - 1 - b->len;
    if (n > room) {
        n = room;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* Python's repr() of a str: single quotes unless the text holds a single
 * quote and no double quote. */
static void
repr_pystr(struct sbuf *b, const char *s)
{
    char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';

    sb_add(b, &q, 1);
    for (; *s; s++) {
        if (*s == q || *s == '\\') {
            sb_add(b, "\\", 1);
        }
        sb_add(b, s, 1);
    }
    sb_add(b, &q, 1);
}

/* The shortest "%g" form that reads back as 'd' (Python's float repr). */
static void
repr_real(struct sbuf *b, double d)
{
    char tmp[40];

    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) {
            break;
        }
    }
    sb_str(b, tmp);
    if (isfinite(d) && !strpbrk(tmp, ".e")) {
        sb_str(b, ".0");
    }
}

static void repr_value(struct sbuf *b, const json_t *v, bool top);

static void
repr_container(struct sbuf *b, const json_t *v)
{
    size_t i;
    const char *key;
    json_t *item;
    bool first = true;

    if (json_is_array(v)) {
        sb_str(b, "[");
        json_array_foreach((json_t *)v, i, item) {
            sb_str(b, first ? "" : ", ");
            repr_value(b, item, false);
            first = false;
        }
        sb_str(b, "]");
        return;
    }
    sb_str(b, "{");
    json_object_foreach((json_t *)v, key, item) {
        sb_str(b, first ? "" : ", ");
        repr_pystr(b, key);
        sb_str(b, ": ");
        repr_value(b, item, false);
        first = false;
    }
    sb_str(b, "}");
}

static void
repr_value(struct sbuf *b, const json_t *v, bool top)
{
    char tmp[32];

    switch (json_typeof(v)) {
    case JSON_STRING:
        if (top) {
            sb_str(b, json_string_value(v));
        } else {
            repr_pystr(b, json_string_value(v));
        }
        break;
    case JSON_INTEGER:
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        sb_str(b, tmp);
        break;
    case JSON_REAL:
        repr_real(b, json_real_value(v));
        break;
    case JSON_TRUE:
        sb_str(b, "True");
        break;
    case JSON_FALSE:
        sb_str(b, "False");
        break;
    case JSON_NULL:
        sb_str(b, "None");
        break;
    default:
        repr_container(b, v);
        break;
    }
}

void
neutron_repr(const json_t *v, char *buf, size_t size)
{
    struct sbuf b = {buf, size, 0};

    if (!size) {
        return;
    }
    buf[0] = '\0';
    if (v) {
        repr_value(&b, v, true);
    } else {
        sb_str(&b, "None");
    }
}

bool
neutron_is_project_key(const struct api_resource *res, const char *name)
{
    return res->has_project
           && (!strcmp(name, "tenant_id") || !strcmp(name, "project_id"));
}

const struct api_attr *
neutron_find_attr(const struct api_resource *res, const char *name)
{
    for (size_t i = 0; i < res->n_attrs; i++) {
        if (!strcmp(res->attrs[i].name, name)) {
            return &res->attrs[i];
        }
    }
    return NULL;
}

const char *
neutron_project_column(const struct api_resource *res)
{
    const struct api_attr *a = neutron_find_attr(res, "project_id");

    return a && a->column ? a->column : "project_id";
}

/* ---- request bodies ---- */

#define MSG_INVALID_PROJECT                                                  \
    "Specifying 'project_id' or 'tenant_id' other than the authenticated "  \
    "project in request requires admin or advsvc privileges"

/* Fails with HTTPBadRequest "Invalid input for <attr>. Reason: '<v>'
 * <what>." */
static int
fail_value(struct core_err *err, const char *attr, const json_t *v,
           const char *what)
{
    char repr[REPR_MAX];

    neutron_repr(v, repr, sizeof repr);
    return core_fail(err, CE_BAD_REQUEST,
                     "Invalid input for %s. Reason: '%s' %s.", attr, repr,
                     what);
}

/* Interprets 'v' as Neutron's convert_to_boolean() does: JSON booleans,
 * "true"/"false" in any case, "1"/"0" and the integers 1/0. */
static bool
as_boolean(const json_t *v, bool *out)
{
    const char *s = json_string_value(v);

    if (ju_as_bool(v, out)) {
        return true;
    }
    if ((s && !strcmp(s, "1")) || (json_is_integer(v)
                                   && json_integer_value(v) == 1)) {
        *out = true;
        return true;
    }
    if ((s && !strcmp(s, "0")) || (json_is_integer(v)
                                   && json_integer_value(v) == 0)) {
        *out = false;
        return true;
    }
    return false;
}

/* Checks and converts the value 'v' of attribute 'a'.  Returns 0 with
 * '*out' a new reference to the value to pass on, or -EINVAL. */
static int
convert_value(const struct api_attr *a, json_t *v, json_t **out,
              struct core_err *err)
{
    char uuid[UUID_STRLEN + 1];
    long long n;
    bool b;

    if (a->type == API_T_ANY || (json_is_null(v) && (a->flags & API_A_NULL))) {
        *out = json_incref(v);
        return 0;
    }
    switch (a->type) {
    case API_T_STRING:
        if (!json_is_string(v)) {
            return fail_value(err, a->name, v, "is not a valid string");
        }
        *out = json_incref(v);
        return 0;
    case API_T_UUID:
        if (!json_is_string(v)
            || uuid_normalize(json_string_value(v), uuid)) {
            return fail_value(err, a->name, v, "is not a valid UUID");
        }
        *out = json_string(uuid);
        break;
    case API_T_INT:
        if (!ju_as_int(v, &n)) {
            return fail_value(err, a->name, v, "is not an integer");
        }
        *out = json_integer(n);
        break;
    case API_T_BOOL:
        if (!as_boolean(v, &b)) {
            return fail_value(err, a->name, v, "is not a valid boolean value");
        }
        *out = json_boolean(b);
        break;
    default:
        *out = json_incref(v);
        break;
    }
    return *out ? 0 : -ENOMEM;
}

/* Compares two strings for qsort(). */
static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rejects attributes 'res' does not declare, all named in one message,
 * sorted. */
static int
check_unknown(const struct api_resource *res, const json_t *member,
              struct core_err *err)
{
    const char *names[64];
    size_t n = 0;
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)member, key, v) {
        if (!neutron_find_attr(res, key) && strcmp(key, "id")
            && !neutron_is_project_key(res, key)
            && n < sizeof names / sizeof *names) {
            names[n++] = key;
        }
    }
    if (!n) {
        return 0;
    }
    qsort(names, n, sizeof *names, cmp_str);
    char list[sizeof err->msg];
    struct sbuf b = {list, sizeof list, 0};
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        sb_str(&b, i ? ", " : "");
        sb_str(&b, names[i]);
    }
    return core_fail(err, CE_BAD_REQUEST, "Unrecognized attribute(s) '%s'",
                     list);
}

/* tenant_id/project_id rules common to POST and PUT: equal when both are
 * given; another project than the caller's only for an admin.  Sets
 * '*given' to the value given (borrowed) or NULL. */
static int
check_project(const struct api_resource *res, const json_t *member,
              const struct api_caller *caller, const json_t **given,
              struct core_err *err)
{
    json_t *t = json_object_get(member, "tenant_id");
    json_t *p = json_object_get(member, "project_id");

    *given = NULL;
    if (!res->has_project) {
        return 0;
    }
    if (t && p && !json_equal(t, p)) {
        return core_fail(err, CE_BAD_REQUEST,
                         "'project_id' and 'tenant_id' do not match");
    }
    *given = p ? p : t;
    if (*given && !caller->is_admin
        && (!json_is_string(*given)
            || strcmp(json_string_value(*given), caller->project_id))) {
        return core_fail(err, CE_BAD_REQUEST, MSG_INVALID_PROJECT);
    }
    return 0;
}

/* POST: 'id' and attributes without API_A_POST are refused, required ones
 * must be there; checked in table order (an undeclared 'id' first). */
static int
check_create(const struct api_resource *res, const json_t *member,
             struct core_err *err)
{
    const struct api_attr *id = neutron_find_attr(res, "id");

    if (!id && json_object_get(member, "id")) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Attribute 'id' not allowed in POST");
    }
    for (size_t i = 0; i < res->n_attrs; i++) {
        const struct api_attr *a = &res->attrs[i];
        bool present = json_object_get(member, a->name) != NULL;
        if (neutron_is_project_key(res, a->name)) {
            continue;
        }
        if (present && !(a->flags & API_A_POST)) {
            return core_fail(err, CE_BAD_REQUEST,
                             "Attribute '%s' not allowed in POST", a->name);
        }
        if (!present && (a->flags & API_A_REQUIRED)) {
            return core_fail(err, CE_BAD_REQUEST,
                             "Failed to parse request. Required attribute "
                             "'%s' not specified", a->name);
        }
    }
    return 0;
}

/* PUT: attributes without API_A_PUT (and id, tenant_id, project_id) are
 * read-only. */
static int
check_update(const struct api_resource *res, const json_t *member,
             struct core_err *err)
{
    static const char *const fixed[] = {"id", "tenant_id", "project_id"};

    for (size_t i = 0; i < res->n_attrs; i++) {
        const struct api_attr *a = &res->attrs[i];
        if (!neutron_is_project_key(res, a->name) && !(a->flags & API_A_PUT)
            && json_object_get(member, a->name)) {
            return core_fail(err, CE_BAD_REQUEST,
                             "Cannot update read-only attribute %s", a->name);
        }
    }
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        const char *name = fixed[i];
        if (json_object_get(member, name)
            && (neutron_is_project_key(res, name)
                || !neutron_find_attr(res, name))) {
            return core_fail(err, CE_BAD_REQUEST,
                             "Cannot update read-only attribute %s", name);
        }
    }
    return 0;
}

/* Copies the declared attributes of 'member' into 'out', converted. */
static int
convert_all(const struct api_resource *res, const json_t *member, json_t *out,
            struct core_err *err)
{
    for (size_t i = 0; i < res->n_attrs; i++) {
        const struct api_attr *a = &res->attrs[i];
        json_t *v = json_object_get(member, a->name);
        json_t *conv;
        if (!v || neutron_is_project_key(res, a->name)) {
            continue;
        }
        int rc = convert_value(a, v, &conv, err);
        if (rc) {
            return rc;
        }
        if (json_object_set_new(out, a->name, conv)) {
            return -ENOMEM;
        }
    }
    return 0;
}

/* Sets tenant_id and project_id of a new member: 'given' or the caller's. */
static int
set_project(json_t *out, const json_t *member, const json_t *given,
            const struct api_caller *caller, struct core_err *err)
{
    const char *project = caller->project_id;

    if (given) {
        if (!json_is_string(given)) {
            return fail_value(err, json_object_get(member, "project_id")
                                       ? "project_id" : "tenant_id",
                              given, "is not a valid string");
        }
        project = json_string_value(given);
    }
    if (json_object_set_new(out, "tenant_id", json_string(project))
        || json_object_set_new(out, "project_id", json_string(project))) {
        return -ENOMEM;
    }
    return 0;
}

int
neutron_check_member(const struct api_resource *res, enum neutron_op op,
                     const json_t *member, const struct api_caller *caller,
                     json_t **out, struct core_err *err)
{
    const json_t *given;
    int rc = check_project(res, member, caller, &given, err);

    if (!rc) {
        rc = check_unknown(res, member, err);
    }
    if (!rc) {
        rc = op == NEUTRON_CREATE ? check_create(res, member, err)
                                  : check_update(res, member, err);
    }
    if (rc) {
        return rc;
    }
    json_t *obj = json_object();
    if (!obj) {
        return -ENOMEM;
    }
    rc = convert_all(res, member, obj, err);
    if (!rc && op == NEUTRON_CREATE && res->has_project) {
        rc = set_project(obj, member, given, caller, err);
    }
    if (rc) {
        json_decref(obj);
        return rc;
    }
    *out = obj;
    return 0;
}

/* Bulk create: {"<collection>": [member, {"<member>": member}, ...]}. */
static int
parse_bulk(const struct api_resource *res, const json_t *items,
           const struct api_caller *caller, json_t **out, struct core_err *err)
{
    size_t i;
    json_t *item;

    if (!json_is_array(items) || !json_array_size(items)) {
        return core_fail(err, CE_BAD_REQUEST, json_is_array(items)
                             ? "Resources required"
                             : "Body contains invalid data");
    }
    size_t max = res->max_bulk ? res->max_bulk : NEUTRON_MAX_BULK;
    if (json_array_size(items) > max) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Bulk request holds more than %zu resources", max);
    }
    json_t *list = json_array();
    if (!list) {
        return -ENOMEM;
    }
    json_array_foreach((json_t *)items, i, item) {
        json_t *m = json_object_get(item, res->member);
        json_t *checked;
        m = m ? m : item;
        int rc = json_is_object(m)
                     ? neutron_check_member(res, NEUTRON_CREATE, m, caller,
                                            &checked, err)
                     : core_fail(err, CE_BAD_REQUEST,
                                 "Object '%s' contains invalid data",
                                 res->member);
        if (!rc && json_array_append_new(list, checked)) {
            rc = -ENOMEM;
        }
        if (rc) {
            json_decref(list);
            return rc;
        }
    }
    *out = list;
    return 0;
}

/* Dispatches a parsed, non-empty body object 'doc'. */
static int
parse_doc(const struct api_resource *res, enum neutron_op op,
          const json_t *doc, const struct api_caller *caller, json_t **out,
          bool *bulk, struct core_err *err)
{
    json_t *items = json_object_get(doc, res->collection);

    if (items) {
        if (op != NEUTRON_CREATE || !res->allow_bulk || !res->create_bulk) {
            return core_fail(err, CE_BAD_REQUEST,
                             "Bulk operation not supported");
        }
        *bulk = true;
        return parse_bulk(res, items, caller, out, err);
    }
    json_t *member = json_object_get(doc, res->member);
    if (!member || json_is_null(member)) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Unable to find '%s' in request body", res->member);
    }
    if (!json_is_object(member)) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Object '%s' contains invalid data", res->member);
    }
    return neutron_check_member(res, op, member, caller, out, err);
}

int
neutron_parse_body(const struct api_resource *res, enum neutron_op op,
                   const char *body, size_t len,
                   const struct api_caller *caller, json_t **out, bool *bulk,
                   struct core_err *err)
{
    *bulk = false;
    if (!len) {
        return core_fail(err, CE_BAD_REQUEST, "Resource body required");
    }
    json_t *doc = ju_parse(body, len, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return core_fail(err, CE_BAD_REQUEST, "Body contains invalid data");
    }
    int rc = json_object_size(doc)
                 ? parse_doc(res, op, doc, caller, out, bulk, err)
                 : core_fail(err, CE_BAD_REQUEST, "Resource body required");
    json_decref(doc);
    return rc;
}
