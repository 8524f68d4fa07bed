/* switchbench's helpers: output and figures, naming, REST calls (see
 * switchbench.h). */
#include "switchbench.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb_http.h"
#include "sb_proc.h"

/* ---- output ---- */

void sb_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void sb_loadavg(char out[64])
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a = 0, b = 0, c = 0;

    if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3) {
        snprintf(out, 64, "?");
    } else {
        snprintf(out, 64, "%.2f %.2f %.2f", a, b, c);
    }
    if (f) {
        fclose(f);
    }
}

void sb_cpu_start(const struct bench *b, struct sb_cpu *c)
{
    c->l2gwd = proc_cpu_ns(b->d.pid);
    c->server = proc_cpu_ns(b->sw[0].pid);
    c->self = proc_cpu_ns(getpid());
    c->wall = proc_mono_ns();
}

void sb_cpu_say(const struct bench *b, const struct sb_cpu *c)
{
    struct sb_cpu now;

    sb_cpu_start(b, &now);
    sb_say("  CPU used in these %.0f ms: l2gwd %.0f ms, ovsdb-server of sw1 "
           "%.0f ms, switchbench %.0f ms",
           (now.wall - c->wall) / 1e6, (now.l2gwd - c->l2gwd) / 1e6,
           (now.server - c->server) / 1e6, (now.self - c->self) / 1e6);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double sb_pct(double *v, size_t n, double p)
{
    if (!n) {
        return NAN;
    }
    qsort(v, n, sizeof *v, cmp_double);
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    return v[rank ? rank - 1 : 0];
}

void sb_figure(struct bench *b, const char *name, double value,
               const char *unit, double target, bool at_most,
               const char *reference)
{
    if (b->n_fig >= SB_MAX_FIGURES) {
        return;
    }
    struct sb_figure *f = &b->fig[b->n_fig++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->value = value;
    f->unit = unit;
    f->target = target;
    f->at_most = at_most;
    if (target >= 0) {
        snprintf(f->target_text, sizeof f->target_text, "%s %g %s",
                 at_most ? "<=" : ">=", target, unit);
    } else {
        snprintf(f->target_text, sizeof f->target_text, "-");
    }
    snprintf(f->reference, sizeof f->reference, "%s",
             reference ? reference : "");
}

static const char *verdict(const struct sb_figure *f)
{
    if (f->target < 0) {
        return "info";
    }
    if (isnan(f->value)) {
        return "n/a";
    }
    return (f->at_most ? f->value <= f->target : f->value >= f->target)
               ? "PASS"
               : "MISS";
}

void sb_summary(const struct bench *b)
{
    char load[64];

    sb_loadavg(load);
    sb_say("\n== summary (load average now %s, %ld CPUs) ==", load,
           sysconf(_SC_NPROCESSORS_ONLN));
    sb_say("%-58s %15s  %-15s %-7s %s", "figure", "measured", "target",
           "verdict", "networking-l2gw");
    for (size_t i = 0; i < b->n_fig; i++) {
        const struct sb_figure *f = &b->fig[i];
        char v[32];
        snprintf(v, sizeof v, "%.*f %s", fabs(f->value) < 10 ? 2 : 1, f->value,
                 f->unit);
        sb_say("%-58s %15s  %-15s %-7s %s", f->name, v, f->target_text,
               verdict(f), f->reference);
    }
}

/* ---- naming ---- */

void sb_mac(char out[18], int net, int i)
{
    snprintf(out, 18, "02:%02x:%02x:%02x:%02x:%02x", net & 0xff,
             (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
}

void sb_ip(char out[16], int net, int i)
{
    snprintf(out, 16, "10.%d.%d.%d", net & 0xff, (i >> 8) & 0xff, i & 0xff);
}

/* ---- REST ---- */

static void show_error(const char *what, int rc, int status, const json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

    fprintf(stderr, "switchbench: %s: %s%d %.300s\n", what,
            rc ? strerror(-rc) : "HTTP ", rc ? 0 : status, text ? text : "");
    free(text);
}

int sb_create(struct bench *b, const char *collection, const char *member,
              json_t *attrs, char id[SB_ID_LEN])
{
    char path[128];
    json_t *req = json_pack("{s:o}", member, attrs), *body = NULL;
    int status = 0, rc;

    snprintf(path, sizeof path, "/v2.0/%s", collection);
    rc = req ? http_call(b->api, "POST", path, req, &status, &body) : -ENOMEM;
    json_decref(req);
    if (rc || status != 201) {
        show_error(path, rc, status, body);
        json_decref(body);
        return -1;
    }
    const char *s =
        json_string_value(json_object_get(json_object_get(body, member), "id"));
    if (id) {
        snprintf(id, SB_ID_LEN, "%s", s ? s : "");
    }
    json_decref(body);
    return s ? 0 : -1;
}

int sb_delete(struct bench *b, const char *collection, const char *id)
{
    char path[160];
    json_t *body = NULL;
    int status = 0, rc;

    snprintf(path, sizeof path, "/v2.0/%s/%s", collection, id);
    rc = http_call(b->api, "DELETE", path, NULL, &status, &body);
    if (rc || status != 204) {
        show_error(path, rc, status, body);
        json_decref(body);
        return -1;
    }
    json_decref(body);
    return 0;
}

json_t *sb_get(struct bench *b, const char *path)
{
    json_t *body = NULL;
    int status = 0, rc = http_call(b->api, "GET", path, NULL, &status, &body);

    if (rc || status != 200) {
        show_error(path, rc, status, body);
        json_decref(body);
        return NULL;
    }
    return body;
}

int sb_network(struct bench *b, int net, int vni, char id[SB_ID_LEN])
{
    char name[32];

    snprintf(name, sizeof name, "sbnet-%d", net);
    return sb_create(b, "networks", "network",
                     json_pack("{s:s,s:s,s:i}", "name", name,
                               "provider:network_type", "vxlan",
                               "provider:segmentation_id", vni),
                     id);
}

json_t *sb_port_attrs(const struct bench *b, const char *net_id, int net, int i)
{
    char mac[18], ip[16], host[32];

    sb_mac(mac, net, i);
    sb_ip(ip, net, i);
    snprintf(host, sizeof host, "host-%d", i % b->o.hosts + 1);
    return json_pack("{s:s,s:s,s:s,s:[{s:s}]}", "network_id", net_id,
                     "mac_address", mac, "binding:host_id", host, "fixed_ips",
                     "ip_address", ip);
}

int sb_ports(struct bench *b, const char *net_id, int net, int from, int n,
             bool say)
{
    long long t0 = proc_mono_ns();

    for (int i = from; i < from + n; i++) {
        if (sb_create(b, "ports", "port", sb_port_attrs(b, net_id, net, i),
                      NULL)) {
            return -1;
        }
    }
    double s = (double)(proc_mono_ns() - t0) / 1e9;
    if (say && n) {
        sb_say("  (setup: %d ports created in %.1f s, %.0f/s)", n, s, n / s);
    }
    return 0;
}

json_t *sb_conn_attrs(const char *gw, const char *net_id, int seg)
{
    return json_pack("{s:s,s:s,s:i}", "l2_gateway_id", gw, "network_id", net_id,
                     "segmentation_id", seg);
}
