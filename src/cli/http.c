/* The client's HTTP transport over libcurl: see http.h. */
#include "cli/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "cli"
#include "cli/buf.h"
#include "l2gw-config.h"
#include "lib/log.h"

struct http {
    CURL *curl;
    struct curl_slist *headers;
    char *base;
    char curl_err[CURL_ERROR_SIZE];
    char msg[1024];
};

/* A reply being received: its body, capped at HTTP_MAX_REPLY_BYTES. */
struct sink {
    struct buf body;
    bool too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;

    if (s->body.len + len > (size_t)HTTP_MAX_REPLY_BYTES) {
        s->too_big = true;
        return 0;
    }
    buf_addn(&s->body, p, len);
    return len;
}

/* The base URL without trailing '/' and without a "/v2.0" suffix (the
 * Keystone catalog's network endpoint has none; people add it).  Caller
 * frees. */
static char *normalize_base(const char *url)
{
    size_t n = strlen(url);

    while (n && url[n - 1] == '/')
        n--;
    if (n >= 5 && !strncmp(url + n - 5, "/v2.0", 5))
        n -= 5;
    while (n && url[n - 1] == '/')
        n--;
    return strndup(url, n);
}

/* The request headers.  Caller frees with curl_slist_free_all(). */
static struct curl_slist *make_headers(const char *token)
{
    struct curl_slist *h = NULL;

    h = curl_slist_append(h, "Accept: application/json");
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    if (token && *token) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "X-Auth-Token: %s", token);
        h = curl_slist_append(h, b.data);
        buf_free(&b);
    }
    return h;
}

static void set_options(struct http *h, const struct http_opts *o)
{
    CURL *c = h->curl;

    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "l2gw/" L2GW_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curl_err);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (o->cacert)
        curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
    if (o->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

struct http *http_create(const struct http_opts *o, char *err, size_t errlen)
{
    struct http *h = calloc(1, sizeof *h);

    if (!h || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        !(h->curl = curl_easy_init())) {
        snprintf(err, errlen, "cannot initialise libcurl");
        free(h);
        return NULL;
    }
    h->base = normalize_base(o->url);
    h->headers = make_headers(o->token);
    set_options(h, o);
    return h;
}

void http_destroy(struct http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    free(h->base);
    free(h);
    curl_global_cleanup();
}

const char *http_base_url(const struct http *h)
{
    return h->base;
}

const char *http_error(const struct http *h)
{
    return h->msg;
}

/* Sets method and body of the next request on the reused handle. */
static void set_method(CURL *c, const char *method, const char *data)
{
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    if (data) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(data));
        curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, data);
    }
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
                     strcmp(method, "GET") ? method : NULL);
}

static void fail_message(struct http *h, CURLcode rc, const char *url,
                         const struct sink *s)
{
    long os_errno = 0;
    const char *detail = h->curl_err[0] ? h->curl_err : curl_easy_strerror(rc);

    curl_easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &os_errno);
    if (s->too_big)
        snprintf(h->msg, sizeof h->msg,
                 "Reply from %s is larger than %ld bytes", url,
                 HTTP_MAX_REPLY_BYTES);
    else if (rc == CURLE_COULDNT_CONNECT && os_errno)
        snprintf(h->msg, sizeof h->msg,
                 "Unable to establish connection to %s: %s", url,
                 strerror((int)os_errno));
    else
        snprintf(h->msg, sizeof h->msg,
                 "Unable to establish connection to %s: %s", url, detail);
}

int http_request(struct http *h, const char *method, const char *path,
                 const json_t *body, struct http_reply *r)
{
    struct sink s = {BUF_INIT, false};
    char *data = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct buf url = BUF_INIT;
    CURLcode rc;

    memset(r, 0, sizeof *r);
    buf_addf(&url, "%s%s", h->base, path);
    h->curl_err[0] = '\0';
    curl_easy_setopt(h->curl, CURLOPT_URL, url.data);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &s);
    set_method(h->curl, method, data);
    log_dbg("REQ: %s %s%s%s", method, url.data, data ? "\n" : "",
            data ? data : "");
    rc = curl_easy_perform(h->curl);
    if (rc != CURLE_OK) {
        char *q = strchr(url.data, '?');
        if (q)
            *q = '\0';
        fail_message(h, rc, url.data, &s);
        buf_free(&s.body);
        buf_free(&url);
        free(data);
        return -EIO;
    }
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
    r->raw = buf_steal(&s.body);
    r->body = *r->raw ? json_loads(r->raw, JSON_DECODE_ANY, NULL) : NULL;
    log_dbg("RESP: %ld%s%s", r->status, *r->raw ? "\n" : "", r->raw);
    buf_free(&url);
    free(data);
    return 0;
}

char *http_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf b = BUF_INIT;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c)) {
            buf_addc(&b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_addn(&b, e, 3);
        }
    }
    return buf_steal(&b);
}

void http_reply_clear(struct http_reply *r)
{
    json_decref(r->body);
    free(r->raw);
    memset(r, 0, sizeof *r);
}
