/* SPDX-License-Identifier: Apache-2.0 */
/* Java inventory (vuln.h "package inventories"): Maven pom.xml, ecosystem "Maven",
 * packageManager "POM". The <dependency> elements of the project's <dependencies> and
 * <dependencyManagement><dependencies>, in document order: name = artifactId, match_name
 * "groupId:artifactId" (OSV's Maven package names). Versions must be literal, or built from
 * ${property} references that this pom defines in <properties> (resolved recursively) or
 * names itself (project.version, project.groupId, project.parent.version, ..); a version
 * with an undefined property (defined in a parent pom we do not have), none at all (managed
 * by a parent), or a range other than an exact "[1.2.3]" is skipped, as is a dependency
 * without groupId or artifactId.
 * XML through libxml2 (Debian libxml2), with the network and DTD loading off and entities
 * left unexpanded: only an element's own text and CDATA children are read. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

#define ECO "Maven"
#define PM  "POM"
#define VAL 512

static bool named(const xmlNode *x, const char *name)
{
    return x && x->type == XML_ELEMENT_NODE && strcmp((const char *)x->name, name) == 0;
}

static const xmlNode *child(const xmlNode *x, const char *name)
{
    for (const xmlNode *c = x ? x->children : NULL; c; c = c->next)
        if (named(c, name)) return c;
    return NULL;
}

/* The element's own text (text and CDATA children), trimmed, into out[VAL]. */
static bool text(const xmlNode *x, char *out)
{
    size_t o = 0;
    out[0] = '\0';
    if (!x) return false;
    for (const xmlNode *c = x->children; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
            continue;
        size_t l = strlen((const char *)c->content);
        if (o + l >= VAL) return false;
        memcpy(out + o, c->content, l);
        o += l;
    }
    out[o] = '\0';
    struct rp_str t = rp_str_trim((struct rp_str){out, o});
    memmove(out, t.p, t.len);
    out[t.len] = '\0';
    return t.len > 0;
}

struct pom {
    const xmlNode *project, *props;
};

static bool lookup(const struct pom *pm, const char *name, char *out)
{
    static const char *const self[][3] = {
        {"project.version", "version", NULL},
        {"pom.version", "version", NULL},
        {"version", "version", NULL},
        {"project.groupId", "groupId", NULL},
        {"project.artifactId", "artifactId", NULL},
        {"project.parent.version", "parent", "version"},
        {"project.parent.groupId", "parent", "groupId"},
    };
    for (size_t i = 0; i < sizeof self / sizeof self[0]; i++) {
        if (strcmp(name, self[i][0]) != 0) continue;
        const xmlNode *x = child(pm->project, self[i][1]);
        if (self[i][2]) return text(child(x, self[i][2]), out);
        /* a pom without its own version or groupId inherits the parent's */
        if (!x) x = child(child(pm->project, "parent"), self[i][1]);
        return text(x, out);
    }
    const xmlNode *v = child(pm->props, name);
    return v && text(v, out);
}

/* Substitute every ${name} of in into out[VAL]; false when one is undefined or too deep. */
static bool resolve(const struct pom *pm, const char *in, char *out, int depth)
{
    size_t o = 0;
    if (depth > 8) return false;
    while (*in) {
        if (in[0] == '$' && in[1] == '{') {
            const char *end = strchr(in + 2, '}');
            char name[VAL], val[VAL], sub[VAL];
            size_t l = end ? (size_t)(end - in - 2) : 0;
            if (!end || !l || l >= sizeof name) return false;
            memcpy(name, in + 2, l);
            name[l] = '\0';
            if (!lookup(pm, name, val) || !resolve(pm, val, sub, depth + 1)) return false;
            size_t sl = strlen(sub);
            if (o + sl >= VAL) return false;
            memcpy(out + o, sub, sl);
            o += sl;
            in = end + 1;
            continue;
        }
        if (o + 1 >= VAL) return false;
        out[o++] = *in++;
    }
    out[o] = '\0';
    return true;
}

static rp_err deps(const struct rp_vuln_inv_ctx *cx, const struct pom *pm, const xmlNode *list,
                   rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    for (const xmlNode *d = list ? list->children : NULL; d; d = d->next) {
        if (!named(d, "dependency")) continue;
        char g0[VAL], a0[VAL], v0[VAL], g[VAL], a[VAL], v[VAL], m[2 * VAL + 2];
        if (!text(child(d, "groupId"), g0) || !text(child(d, "artifactId"), a0) ||
            !text(child(d, "version"), v0))
            continue;
        if (!resolve(pm, g0, g, 0) || !resolve(pm, a0, a, 0) || !resolve(pm, v0, v, 0)) continue;
        struct rp_str ver = rp_str_from(v);
        if (ver.len && (ver.p[0] == '[' || ver.p[0] == '(')) {
            /* only the exact "[1.2.3]" pins one version */
            if (ver.p[0] != '[' || !rp_str_has_suffix(ver, "]") || memchr(v, ',', ver.len))
                continue;
            ver = rp_str_trim((struct rp_str){ver.p + 1, ver.len - 2});
        }
        snprintf(m, sizeof m, "%s:%s", g, a);
        rp_err rc = rp_vuln_inv_emit(cx, ECO, rp_str_from(a), rp_str_from(m), ver,
                                     (struct rp_str){0}, PM, fn, ctx, eb);
        if (rc != RP_OK) return rc;
    }
    return RP_OK;
}

/* The first error libxml2 reports (its last one is often a consequence). Installed as the
 * context's own structured handler, so nothing global changes. */
struct first_err {
    bool set;
    int line;
    char msg[160];
};

static void on_error(void *user, xmlErrorPtr e)
{
    xmlParserCtxtPtr xc = user;
    struct first_err *fe = xc ? xc->_private : NULL;
    if (!fe || fe->set || !e || e->level < XML_ERR_ERROR) return;
    struct rp_str m = rp_str_trim(rp_str_from(e->message ? e->message : "not XML"));
    fe->set = true;
    fe->line = e->line > 0 ? e->line : 1;
    snprintf(fe->msg, sizeof fe->msg, "%.*s", (int)m.len, m.p);
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    if (n > INT_MAX) return rp_fail(eb, RP_ELIMIT, "%s:1: pom too large", cx->path);
    xmlParserCtxtPtr xc = xmlNewParserCtxt();
    if (!xc) return rp_fail(eb, RP_ENOMEM, "pom: out of memory");
    struct first_err fe = {0};
    xc->_private = &fe;
    xc->userData = xc;
    if (xc->sax) xc->sax->serror = on_error;
    xmlDocPtr doc = xmlCtxtReadMemory(xc, p, (int)n, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    rp_err rc = RP_OK;
    if (!doc || !xc->wellFormed) {
        rc = rp_fail(eb, RP_EPARSE, "%s:%d: xml: %s", cx->path, fe.set ? fe.line : 1,
                     fe.set ? fe.msg : "not XML");
        if (doc) xmlFreeDoc(doc);
        doc = NULL;
    } else {
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (!named(root, "project")) {
            rc = rp_fail(eb, RP_EPARSE, "%s:%d: not a pom: root element '%s'", cx->path,
                         root ? root->line : 1, root ? (const char *)root->name : "");
        } else {
            struct pom pm = {root, child(root, "properties")};
            for (const xmlNode *c = root->children; rc == RP_OK && c; c = c->next) {
                if (named(c, "dependencies"))
                    rc = deps(cx, &pm, c, fn, ctx, eb);
                else if (named(c, "dependencyManagement"))
                    rc = deps(cx, &pm, child(c, "dependencies"), fn, ctx, eb);
            }
        }
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(xc);
    return rc;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    const char *b = rp_vuln_inv_basename(path);
    size_t l = strlen(b);
    return strcmp(b, "pom.xml") == 0 || (l > 4 && strcmp(b + l - 4, ".pom") == 0);
}

const struct rp_vuln_inventory_format rp_vuln_inv_pom = {
    .name = "pom",
    .detect = detect,
    .parse = parse,
};
