/* Authentication strategies (see auth.h): noauth headers and a token file
 * reloaded on change. */
#include "api/auth.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#define LOG_MODULE "auth"
#include "api/http.h"
#include "core/error.h"
#include "lib/config.h"
#include "lib/log.h"

#define AUTH_MAX_TOKENS 10000     /* entries of a token file */
#define AUTH_MAX_LINE 4096        /* bytes of one token file line */
#define AUTH_DEFAULT_PROJECT "admin"
#define AUTH_DEFAULT_ROLES "admin"

struct token {
    char *token;
    char project[sizeof ((struct api_caller *)0)->project_id];
    bool is_admin;
};

struct auth {
    enum config_auth strategy;
    const char *path;       /* token file (borrowed from the config) */
    struct token *tokens;
    size_t n_tokens;
    struct stat loaded;     /* identity and mtime of what was loaded */
    bool have_loaded;
};

bool
auth_roles_admin(const char *roles)
{
    const char *p = roles;

    while (p && *p) {
        size_t len = strcspn(p, ",");
        const char *s = p, *e = p + len;
        while (s < e && isspace((unsigned char)*s)) {
            s++;
        }
        while (e > s && isspace((unsigned char)e[-1])) {
            e--;
        }
        if (e - s == 5 && !strncasecmp(s, "admin", 5)) {
            return true;
        }
        p += len + (p[len] == ',');
    }
    return false;
}

static void
free_tokens(struct token *tokens, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(tokens[i].token);
    }
    free(tokens);
}

/* True if 's' is valid UTF-8 without control characters (it becomes the
 * project of what the caller creates). */
static bool
printable_utf8(const char *s)
{
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return false;
        }
    }
    json_t *v = json_string(s);   /* jansson checks UTF-8 */
    json_decref(v);
    return v != NULL;
}

/* Parses one line of the token file into 't'.  Returns 1 for an entry, 0 for
 * a blank or comment line, -EINVAL for a bad line, -ENOMEM. */
static int
parse_token_line(char *line, struct token *t)
{
    char *save = NULL;
    char *hash = strchr(line, '#');
    if (hash) {
        *hash = '\0';
    }
    char *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok) {
        return 0;
    }
    char *project = strtok_r(NULL, " \t\r\n", &save);
    char *roles = strtok_r(NULL, " \t\r\n", &save);
    if (!project || strlen(project) >= sizeof t->project
        || !printable_utf8(project) || strtok_r(NULL, " \t\r\n", &save)) {
        return -EINVAL;
    }
    t->token = strdup(tok);
    if (!t->token) {
        return -ENOMEM;
    }
    strcpy(t->project, project);
    t->is_admin = auth_roles_admin(roles);
    return 1;
}

/* Makes room for one more entry in '*tokens'.  Returns 0 or -ENOMEM. */
static int
grow_tokens(struct token **tokens, size_t n, size_t *cap)
{
    if (n < *cap) {
        return 0;
    }
    size_t new_cap = *cap ? *cap * 2 : 16;
    struct token *p = realloc(*tokens, new_cap * sizeof *p);
    if (!p) {
        return -ENOMEM;
    }
    *tokens = p;
    *cap = new_cap;
    return 0;
}

/* Reads every entry of 'f' (at most AUTH_MAX_TOKENS) into a new array.  Bad
 * lines are skipped with a warning naming the line.  Returns 0 or
 * -ENOMEM. */
static int
read_tokens(FILE *f, const char *path, struct token **out, size_t *n_out)
{
    struct token *tokens = NULL;
    char line[AUTH_MAX_LINE];
    size_t n = 0, cap = 0;
    int lineno = 0;

    while (n < AUTH_MAX_TOKENS && fgets(line, sizeof line, f)) {
        lineno++;
        int rc = grow_tokens(&tokens, n, &cap);
        if (!rc) {
            rc = parse_token_line(line, &tokens[n]);
        }
        if (rc == -ENOMEM) {
            free_tokens(tokens, n);
            return rc;
        }
        if (rc < 0) {
            log_warn("%s:%d: expected \"TOKEN PROJECT ROLE[,ROLE]\"; line "
                     "ignored", path, lineno);
        }
        n += rc > 0;
    }
    *out = tokens;
    *n_out = n;
    return 0;
}

/* Loads the token file if it changed since the last load.  On a failure the
 * previous tokens are dropped (nobody is authenticated). */
static int
reload_tokens(struct auth *a)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60 * 1000);
    struct stat st;

    if (stat(a->path, &st)) {
        int err = errno;
        log_err_rl(&rl, "token file %s: %s", a->path, strerror(err));
        free_tokens(a->tokens, a->n_tokens);
        a->tokens = NULL;
        a->n_tokens = 0;
        a->have_loaded = false;
        return -err;
    }
    if (a->have_loaded && st.st_ino == a->loaded.st_ino
        && st.st_size == a->loaded.st_size
        && st.st_mtim.tv_sec == a->loaded.st_mtim.tv_sec
        && st.st_mtim.tv_nsec == a->loaded.st_mtim.tv_nsec) {
        return 0;
    }
    FILE *f = fopen(a->path, "r");
    if (!f) {
        int err = errno;
        log_err_rl(&rl, "token file %s: %s", a->path, strerror(err));
        return -err;
    }
    struct token *tokens;
    size_t n;
    int rc = read_tokens(f, a->path, &tokens, &n);
    fclose(f);
    if (rc) {
        return rc;
    }
    free_tokens(a->tokens, a->n_tokens);
    a->tokens = tokens;
    a->n_tokens = n;
    a->loaded = st;
    a->have_loaded = true;
    log_info("token file %s: %zu tokens", a->path, n);
    return 0;
}

int
auth_create(const struct config *cfg, struct auth **out)
{
    if (cfg->auth_strategy == CONFIG_AUTH_KEYSTONE) {
        log_err("auth_strategy = keystone is not implemented yet; use "
                "noauth or token");
        return -ENOTSUP;
    }
    struct auth *a = calloc(1, sizeof *a);
    if (!a) {
        return -ENOMEM;
    }
    a->strategy = cfg->auth_strategy;
    if (a->strategy == CONFIG_AUTH_TOKEN) {
        a->path = cfg->auth_token_file;
        if (!a->path || !*a->path) {
            log_err("auth_strategy = token needs [DEFAULT] auth_token_file");
            free(a);
            return -EINVAL;
        }
        int rc = reload_tokens(a);
        if (rc) {
            log_err("cannot load token file %s: %s", a->path, strerror(-rc));
            auth_destroy(a);
            return rc;
        }
    }
    *out = a;
    return 0;
}

void
auth_destroy(struct auth *a)
{
    if (a) {
        free_tokens(a->tokens, a->n_tokens);
        free(a);
    }
}

/* Compares two NUL-terminated strings in time independent of where they
 * differ (for secrets). */
static bool
secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;

    for (size_t i = 0; i < la; i++) {
        diff |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
    }
    return !diff && la == lb;
}

static int
identify_token(struct auth *a, const struct http_request *req,
               struct api_caller *caller, struct core_err *err)
{
    const char *token = http_request_header(req, "X-Auth-Token");

    reload_tokens(a);
    for (size_t i = 0; token && *token && i < a->n_tokens; i++) {
        if (secret_equal(token, a->tokens[i].token)) {
            strcpy(caller->project_id, a->tokens[i].project);
            caller->is_admin = a->tokens[i].is_admin;
            return 0;
        }
    }
    core_fail(err, CE_UNAUTHORIZED, "Authentication required");
    return -EACCES;
}

static int
identify_noauth(const struct http_request *req, struct api_caller *caller,
                struct core_err *err)
{
    const char *project = http_request_header(req, "X-Project-Id");
    if (!project || !*project) {
        project = http_request_header(req, "X-Tenant-Id");
    }
    if (!project || !*project) {
        project = AUTH_DEFAULT_PROJECT;
    }
    if (strlen(project) >= sizeof caller->project_id
        || !printable_utf8(project)) {
        core_fail(err, CE_BAD_REQUEST,
                  "X-Project-Id must be printable UTF-8 of at most %zu bytes",
                  sizeof caller->project_id - 1);
        return -EACCES;
    }
    const char *roles = http_request_header(req, "X-Roles");
    strcpy(caller->project_id, project);
    caller->is_admin = auth_roles_admin(roles ? roles : AUTH_DEFAULT_ROLES);
    return 0;
}

int
auth_identify(struct auth *a, const struct http_request *req,
              struct api_caller *caller, struct core_err *err)
{
    if (a->strategy == CONFIG_AUTH_TOKEN) {
        return identify_token(a, req, caller, err);
    }
    return identify_noauth(req, caller, err);
}
