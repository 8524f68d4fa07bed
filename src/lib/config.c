/* Configuration: the table of every option (section, name, type, field,
 * default), the value parsers, and the inih glue.
 *
 * inih is driven through ini_parse_stream() with our own line reader over
 * the whole text, so that we know the line number of each value (the
 * library's handler does not get one), can refuse over-long lines instead
 * of having them split, and can join continuation lines as oslo.config
 * does (inih hands each continuation line over as a new value of the same
 * option). */
#include "lib/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "config"
#include "lib/log.h"

/* Longest physical line of a configuration file, newline included. */
#define CONFIG_LINE_MAX 65536
/* Largest configuration file read. */
#define CONFIG_FILE_MAX (16 * 1024 * 1024)
/* Longest part of a bad value quoted in an error message. */
#define SHOWN_VALUE_MAX 128
/* Highest VXLAN network identifier (24 bits). */
#define VNI_MAX 16777215LL

enum opt_type {
    OPT_STRING,  /* char *; an empty value means the default */
    OPT_INT,     /* int within [min, max] */
    OPT_LLONG,   /* long long within [min, max] */
    OPT_BOOL,    /* bool: true/false, yes/no, on/off, 1/0, any case */
    OPT_ENUM,    /* an enum (int sized): index of the value in 'choices' */
    OPT_CHOICE,  /* char *, one of 'choices' */
    OPT_VNIS,    /* char *, VNI ranges checked by config_parse_vni_ranges */
    OPT_IGNORED, /* known to networking-l2gw or Neutron, unused here */
};

struct opt {
    const char *section;
    const char *name; /* NULL: every option of the section */
    enum opt_type type;
    size_t offset;              /* of the field in struct config */
    const char *def;            /* default, as it would be written; NULL */
    long long min, max;         /* OPT_INT, OPT_LLONG */
    const char *const *choices; /* OPT_ENUM, OPT_CHOICE; NULL-terminated */
};

_Static_assert(sizeof(enum config_auth) == sizeof(int),
               "OPT_ENUM fields are stored as int");

static const char *const auth_choices[] = {"noauth", "token", "keystone", NULL};
static const char *const replication_choices[] = {"source_node", "service_node",
                                                  NULL};

/* clang-format off */
#define F(FIELD) offsetof(struct config, FIELD)
#define STR(SEC, NAME, FIELD, DEF) \
    {SEC, NAME, OPT_STRING, F(FIELD), DEF, 0, 0, NULL}
#define INT(SEC, NAME, FIELD, DEF, MIN, MAX) \
    {SEC, NAME, OPT_INT, F(FIELD), DEF, MIN, MAX, NULL}
#define LLONG(SEC, NAME, FIELD, DEF, MIN, MAX) \
    {SEC, NAME, OPT_LLONG, F(FIELD), DEF, MIN, MAX, NULL}
#define BOOL(SEC, NAME, FIELD, DEF) \
    {SEC, NAME, OPT_BOOL, F(FIELD), DEF, 0, 0, NULL}
#define IGNORED(SEC, NAME) {SEC, NAME, OPT_IGNORED, 0, NULL, 0, 0, NULL}

/* Every option l2gw knows.  Defaults are those documented in config.h. */
static const struct opt opts[] = {
    STR("DEFAULT", "bind_host", bind_host, "127.0.0.1"),
    INT("DEFAULT", "bind_port", bind_port, "9696", 0, 65535),
    {"DEFAULT", "auth_strategy", OPT_ENUM, F(auth_strategy), "noauth", 0, 0,
     auth_choices},
    STR("DEFAULT", "auth_token_file", auth_token_file, NULL),
    LLONG("DEFAULT", "api_max_body_bytes", api_max_body_bytes, "1048576", 1,
          1LL << 30),
    STR("DEFAULT", "log_file", log_file, NULL),
    BOOL("DEFAULT", "debug", debug, "false"),
    STR("DEFAULT", "state_path", state_path, "/var/lib/l2gw"),
    STR("DEFAULT", "control_socket", control_socket, NULL),

    STR("database", "connection", db_connection,
        "sqlite:///var/lib/l2gw/l2gw.db"),

    STR("ovsdb", "ovsdb_hosts", ovsdb_hosts, NULL),
    BOOL("ovsdb", "enable_manager", enable_manager, "false"),
    INT("ovsdb", "manager_table_listening_port", manager_table_listening_port,
        "6632", 1, 65535),
    INT("ovsdb", "socket_timeout", socket_timeout, "30", 1, 86400),
    INT("ovsdb", "probe_interval", probe_interval, "5", 0, 86400),
    STR("ovsdb", "l2_gw_agent_priv_key_base_path",
        l2_gw_agent_priv_key_base_path, NULL),
    STR("ovsdb", "l2_gw_agent_cert_base_path", l2_gw_agent_cert_base_path,
        NULL),
    STR("ovsdb", "l2_gw_agent_ca_cert_base_path",
        l2_gw_agent_ca_cert_base_path, NULL),
    STR("ovsdb", "listener_private_key", listener_private_key, NULL),
    STR("ovsdb", "listener_certificate", listener_certificate, NULL),
    STR("ovsdb", "listener_ca_cert", listener_ca_cert, NULL),
    BOOL("ovsdb", "durable_commit", durable_commit, "false"),
    {"ovsdb", "replication_mode", OPT_CHOICE, F(replication_mode),
     "source_node", 0, 0, replication_choices},
    STR("ovsdb", "service_node_ips", service_node_ips, NULL),
    BOOL("ovsdb", "adopt_existing_logical_switches",
         adopt_existing_logical_switches, "true"),
    STR("ovsdb", "per_locator_key_switches", per_locator_key_switches, NULL),
    LLONG("ovsdb", "max_message_bytes", max_message_bytes, "268435456", 4096,
          1LL << 32),
    LLONG("ovsdb", "max_learned_macs", max_learned_macs, "300000", 1,
          100000000),

    {"l2gw", "vni_ranges", OPT_VNIS, F(vni_ranges), "1:16777215", 0, 0, NULL},

    LLONG("QUOTAS", "quota_l2_gateway_connection",
          quota_l2_gateway_connection, "-1", -1, LLONG_MAX),

    STR("cluster", "node_id", cluster_node_id, NULL),
    INT("cluster", "takeover_timeout", cluster_takeover_timeout, "10", 2, 3600),
    INT("cluster", "heartbeat_interval", cluster_heartbeat_interval, "1", 1,
        600),

    /* networking-l2gw's l2gw_plugin.ini and common/config.py. */
    IGNORED("DEFAULT", "default_interface_name"),
    IGNORED("DEFAULT", "default_device_name"),
    IGNORED("DEFAULT", "quota_l2_gateway"),
    IGNORED("DEFAULT", "periodic_monitoring_interval"),
    IGNORED("DEFAULT", "l2gw_callback_class"),
    IGNORED("QUOTAS", "quota_l2_gateway"),
    IGNORED("service_providers", NULL),
    /* networking-l2gw's l2gateway_agent.ini. */
    IGNORED("ovsdb", "periodic_interval"),
    IGNORED("ovsdb", "max_connection_retries"),
    /* Neutron's, often found in the same files. */
    IGNORED("DEFAULT", "api_extensions_path"),
    IGNORED("DEFAULT", "core_plugin"),
    IGNORED("DEFAULT", "service_plugins"),
    IGNORED("DEFAULT", "host"),
    IGNORED("DEFAULT", "verbose"),
    IGNORED("DEFAULT", "log_dir"),
    IGNORED("DEFAULT", "use_syslog"),
    IGNORED("DEFAULT", "use_stderr"),
    IGNORED("DEFAULT", "transport_url"),
};

#undef F
#undef STR
#undef INT
#undef LLONG
#undef BOOL
#undef IGNORED

/* clang-format on */

#define N_OPTS (sizeof opts / sizeof opts[0])

/* The state of one parse. */
struct parse {
    struct config *cfg;
    const char *name; /* file name for messages */
    const char *text; /* what is parsed, 'len' bytes */
    size_t len;
    size_t pos;         /* start of the next line in 'text' */
    int lineno;         /* line last handed to inih */
    bool indented;      /* that line starts with blank space */
    char *prev_section; /* option of the previous handler call */
    char *prev_name;
    char *value; /* its value, continuation lines joined */
    int err;     /* first error (negative errno) or 0 */
    char *errbuf;
    size_t errlen;
};

/* Records the first error of 'p': logs it and copies it to the caller's
 * buffer. */
static void __attribute__((format(printf, 3, 4)))
parse_fail(struct parse *p, int err, const char *fmt, ...)
{
    char msg[1024];
    va_list args;

    if (p->err) {
        return;
    }
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    log_err("%s", msg);
    if (p->errbuf && p->errlen) {
        snprintf(p->errbuf, p->errlen, "%s", msg);
    }
    p->err = err;
}

/* Writes at most SHOWN_VALUE_MAX bytes of 'v' into 'buf' for a message. */
static const char *shown(const char *v, char buf[SHOWN_VALUE_MAX + 4])
{
    size_t n = strlen(v);

    if (n <= SHOWN_VALUE_MAX) {
        return v;
    }
    memcpy(buf, v, SHOWN_VALUE_MAX);
    memcpy(buf + SHOWN_VALUE_MAX, "...", 4);
    return buf;
}

/* Reports a bad 'value' of option 'o'; 'what' and 'expected' describe it:
 * "file:12: [DEFAULT] bind_port: invalid integer 'abc' (expected 0..65535)".
 */
static void bad_value(struct parse *p, const struct opt *o, const char *what,
                      const char *value, const char *expected)
{
    char buf[SHOWN_VALUE_MAX + 4];

    parse_fail(p, -EINVAL, "%s:%d: [%s] %s: invalid %s '%s' (expected %s)",
               p->name, p->lineno, o->section, o->name, what, shown(value, buf),
               expected);
}

static void *field(struct config *cfg, const struct opt *o)
{
    return (char *)cfg + o->offset;
}

/* Parses a decimal integer with optional sign, nothing else. */
static bool parse_ll(const char *s, long long *out)
{
    char *end;

    if (!*s || !strchr("+-0123456789", *s)) {
        return false;
    }
    errno = 0;
    *out = strtoll(s, &end, 10);
    return !*end && errno != ERANGE && end != s;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
            *out = !strcasecmp(s, yes[i]);
            return true;
        }
    }
    return false;
}

/* Returns the index of 's' in 'choices', or -1. */
static int find_choice(const char *const *choices, const char *s)
{
    for (int i = 0; choices[i]; i++) {
        if (!strcmp(choices[i], s)) {
            return i;
        }
    }
    return -1;
}

/* Replaces the string field of 'o' by a copy of 'v' (NULL if 'v' is NULL
 * or empty). */
static int set_string(struct parse *p, const struct opt *o, const char *v)
{
    char **fp = field(p->cfg, o);
    char *copy = NULL;

    if (v && *v) {
        copy = strdup(v);
        if (!copy) {
            parse_fail(p, -ENOMEM, "%s:%d: out of memory", p->name, p->lineno);
            return -ENOMEM;
        }
    }
    free(*fp);
    *fp = copy;
    return 0;
}

static int set_integer(struct parse *p, const struct opt *o, const char *v)
{
    char expected[64];
    long long n;

    if (!parse_ll(v, &n) || n < o->min || n > o->max) {
        if (o->max == LLONG_MAX) {
            snprintf(expected, sizeof expected, "an integer >= %lld", o->min);
        } else {
            snprintf(expected, sizeof expected, "%lld..%lld", o->min, o->max);
        }
        bad_value(p, o, "integer", v, expected);
        return -EINVAL;
    }
    if (o->type == OPT_INT) {
        *(int *)field(p->cfg, o) = (int)n;
    } else {
        *(long long *)field(p->cfg, o) = n;
    }
    return 0;
}

/* "a|b|c" from a choice list. */
static void join_choices(const char *const *choices, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int i = 0; choices[i] && n < size; i++) {
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "|" : "",
                              choices[i]);
    }
}

static int set_choice(struct parse *p, const struct opt *o, const char *v)
{
    int i = find_choice(o->choices, v);

    if (i < 0) {
        char expected[128];
        join_choices(o->choices, expected, sizeof expected);
        bad_value(p, o, "value", v, expected);
        return -EINVAL;
    }
    if (o->type == OPT_ENUM) {
        *(int *)field(p->cfg, o) = i;
        return 0;
    }
    return set_string(p, o, v);
}

/* Sets option 'o' from the text 'v' (already unquoted). */
static int set_value(struct parse *p, const struct opt *o, const char *v)
{
    bool b;

    if (!*v && o->def) {
        v = o->def; /* empty value: back to the default */
    }
    switch (o->type) {
    case OPT_STRING:
        return set_string(p, o, v);
    case OPT_INT:
    case OPT_LLONG:
        return set_integer(p, o, v);
    case OPT_BOOL:
        if (!parse_bool(v, &b)) {
            bad_value(p, o, "boolean", v, "true/false, yes/no, on/off, 1/0");
            return -EINVAL;
        }
        *(bool *)field(p->cfg, o) = b;
        return 0;
    case OPT_ENUM:
    case OPT_CHOICE:
        return set_choice(p, o, v);
    case OPT_VNIS:
        if (config_parse_vni_ranges(v, NULL, CONFIG_VNI_RANGES_MAX) < 0) {
            bad_value(p, o, "VNI ranges", v,
                      "a:b[,c:d...] with 1 <= a <= b <= 16777215");
            return -EINVAL;
        }
        return set_string(p, o, v);
    case OPT_IGNORED:
        return 0;
    }
    return 0;
}

/* Finds the option 'name' of 'section'; sets '*section_known' to whether
 * any option of that section exists. */
static const struct opt *find_opt(const char *section, const char *name,
                                  bool *section_known)
{
    *section_known = false;
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (strcmp(o->section, section)) {
            continue;
        }
        *section_known = true;
        if (!o->name || !strcmp(o->name, name)) {
            return o;
        }
    }
    return NULL;
}

/* Removes one pair of matching quotes around 'v' in place, as oslo.config
 * does ("ovsdb_hosts = 'a:1.2.3.4:6632'"). */
static char *unquote(char *v)
{
    size_t n = strlen(v);

    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v[n - 1] = '\0';
        return v + 1;
    }
    return v;
}

/* Applies the (joined) value of 'section'/'name' held in p->value. */
static int apply(struct parse *p, const char *section, const char *name)
{
    bool section_known;
    const struct opt *o = find_opt(section, name, &section_known);

    if (!*section) {
        parse_fail(p, -EINVAL, "%s:%d: option '%s' outside of any section",
                   p->name, p->lineno, name);
        return -EINVAL;
    }
    if (!o) {
        log_warn("%s:%d: [%s] %s: unknown %s, ignored", p->name, p->lineno,
                 section, name, section_known ? "option" : "section");
        return 0;
    }
    if (o->type == OPT_IGNORED) {
        log_dbg("%s:%d: [%s] %s: not used by l2gw, ignored", p->name, p->lineno,
                section, name);
        return 0;
    }
    return set_value(p, o, unquote(p->value));
}

/* Makes 'value' the value of a new option, or appends it to the previous
 * one when inih hands over a continuation line. */
static int collect_value(struct parse *p, const char *section, const char *name,
                         const char *value)
{
    bool cont = p->indented && p->prev_name && !strcmp(p->prev_name, name) &&
                !strcmp(p->prev_section, section);

    if (cont) {
        size_t a = strlen(p->value), b = strlen(value);
        char *joined = realloc(p->value, a + b + 2);
        if (!joined) {
            return -ENOMEM;
        }
        joined[a] = '\n';
        memcpy(joined + a + 1, value, b + 1);
        p->value = joined;
        return 0;
    }
    free(p->prev_section);
    free(p->prev_name);
    free(p->value);
    p->prev_section = strdup(section);
    p->prev_name = strdup(name);
    p->value = strdup(value);
    return p->prev_section && p->prev_name && p->value ? 0 : -ENOMEM;
}

/* inih's handler: nonzero to go on. */
static int on_value(void *user, const char *section, const char *name,
                    const char *value)
{
    struct parse *p = user;

    if (collect_value(p, section, name, value)) {
        parse_fail(p, -ENOMEM, "%s:%d: out of memory", p->name, p->lineno);
        return 0;
    }
    return apply(p, section, name) == 0;
}

/* inih's line reader (fgets-like): copies the next line of p->text into
 * 'buf' of 'size' bytes.  Returns NULL at the end, or after recording an
 * error for a line that does not fit or holds a NUL byte. */
static char *read_line(char *buf, int size, void *stream)
{
    struct parse *p = stream;

    if (p->err || p->pos >= p->len) {
        return NULL;
    }
    const char *line = p->text + p->pos;
    const char *nl = memchr(line, '\n', p->len - p->pos);
    size_t n = nl ? (size_t)(nl - line) + 1 : p->len - p->pos;

    p->pos += n;
    p->lineno++;
    if (n >= (size_t)size) {
        parse_fail(p, -EINVAL, "%s:%d: line too long (over %d bytes)", p->name,
                   p->lineno, size - 1);
        return NULL;
    }
    if (memchr(line, '\0', n)) {
        parse_fail(p, -EINVAL, "%s:%d: NUL byte in line", p->name, p->lineno);
        return NULL;
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    p->indented = n > 0 && (line[0] == ' ' || line[0] == '\t');
    return buf;
}

/* Sets inih's process-wide options for our parses. */
static void ini_setup(void)
{
    static char inline_comments[] = ";#";

    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_initial_alloc = CONFIG_LINE_MAX;
    ini_max_line = CONFIG_LINE_MAX;
    ini_stop_on_first_error = true;
    ini_allow_multiline = true;
    ini_allow_no_value = false;
    ini_allow_bom = true;
    ini_allow_inline_comments = true;
    ini_inline_comment_prefixes = inline_comments;
}

/* Parses 'len' bytes of 'text' into 'cfg'; 'name' names it in messages. */
static int parse_text(struct config *cfg, const char *name, const char *text,
                      size_t len, char *errbuf, size_t errlen)
{
    struct parse p = {.cfg = cfg,
                      .name = name,
                      .text = text,
                      .len = len,
                      .errbuf = errbuf,
                      .errlen = errlen};

    ini_setup();
    int line = ini_parse_stream(read_line, &p, on_value, &p);
    if (line > 0 && !p.err) {
        parse_fail(&p, -EINVAL,
                   "%s:%d: syntax error (expected '[section]' or "
                   "'option = value')",
                   name, line);
    } else if (line < 0 && !p.err) {
        parse_fail(&p, -ENOMEM, "%s: out of memory", name);
    }
    free(p.prev_section);
    free(p.prev_name);
    free(p.value);
    return p.err;
}

void config_init(struct config *cfg)
{
    struct parse p = {.cfg = cfg, .name = "<defaults>"};

    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->type != OPT_IGNORED && set_value(&p, o, o->def ? o->def : "")) {
            abort(); /* out of memory, or a bad default in the table */
        }
    }
}

int config_load_string(struct config *cfg, const char *name, const char *text,
                       char *errbuf, size_t errlen)
{
    return parse_text(cfg, name, text, strlen(text), errbuf, errlen);
}

/* Reads all of 'f' into a buffer the caller frees; stores its length. */
static int read_all(FILE *f, char **out, size_t *lenp)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);

    for (;;) {
        if (!buf) {
            return -ENOMEM;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) {
            break;
        }
        if (cap >= CONFIG_FILE_MAX) {
            free(buf);
            return -EFBIG;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
        }
        buf = bigger;
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        return -EIO;
    }
    *out = buf;
    *lenp = len;
    return 0;
}

int config_load_file(struct config *cfg, const char *path, char *errbuf,
                     size_t errlen)
{
    struct parse p = {.name = path, .errbuf = errbuf, .errlen = errlen};
    FILE *f = fopen(path, "re");
    char *text;
    size_t len;

    if (!f) {
        int err = -errno;
        parse_fail(&p, err, "%s: cannot open: %s", path, strerror(-err));
        return err;
    }
    int err = read_all(f, &text, &len);
    fclose(f);
    if (err) {
        parse_fail(&p, err, "%s: cannot read: %s", path, strerror(-err));
        return err;
    }
    err = parse_text(cfg, path, text, len, errbuf, errlen);
    free(text);
    return err;
}

void config_destroy(struct config *cfg)
{
    if (!cfg) {
        return;
    }
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->type == OPT_STRING || o->type == OPT_CHOICE ||
            o->type == OPT_VNIS) {
            char **fp = field(cfg, o);
            free(*fp);
            *fp = NULL;
        }
    }
}

int config_control_socket(const struct config *cfg, char *buf, size_t size)
{
    int n;

    if (cfg->control_socket) {
        n = snprintf(buf, size, "%s", cfg->control_socket);
    } else {
        n = snprintf(buf, size, "%s/l2gwd.ctl",
                     cfg->state_path ? cfg->state_path : "/var/lib/l2gw");
    }
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Parses a VNI "  123 " (blank space around it allowed) from 's' up to
 * 'end'. */
static bool parse_vni(const char *s, const char *end, long long *out)
{
    char buf[32];

    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
    }
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n')) {
        end--;
    }
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf || strspn(s, "0123456789") < n) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtoll(buf, NULL, 10);
    return *out >= 1 && *out <= VNI_MAX;
}

int config_parse_vni_ranges(const char *text, long long (*out)[2], int max)
{
    int n = 0;

    if (!text) {
        return -EINVAL;
    }
    for (const char *s = text;; s++) {
        const char *comma = strchr(s, ',');
        const char *end = comma ? comma : s + strlen(s);
        const char *colon = memchr(s, ':', (size_t)(end - s));
        long long a, b;

        if (!colon || !parse_vni(s, colon, &a) ||
            !parse_vni(colon + 1, end, &b) || a > b) {
            return -EINVAL;
        }
        if (n >= max) {
            return -E2BIG;
        }
        if (out) {
            out[n][0] = a;
            out[n][1] = b;
        }
        n++;
        if (!comma) {
            return n;
        }
        s = comma;
    }
}
