/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart events`: AWS CloudTrail LookupEvents over the store, with the AWS CLI's option
 * syntax (--lookup-attributes AttributeKey=K,AttributeValue=V, --start-time, --end-time,
 * --max-results) plus one flag per attribute and --category. The query itself lives in
 * src/ingest/ingest_ct_lookup.c; this file parses options and writes the results: a table or
 * CSV through rp_out, or for --format json exactly the shape of `aws cloudtrail lookup-events`
 * ({"Events":[{"EventId", .., "CloudTrailEvent": "<record>"}]}), streamed event by event.
 *
 * The store is opened read-only: a missing database is an error, never an empty answer. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB               "events"
#define EVENTS_DEFAULT_MAX 100 /* events shown without --max-results */
#define JSON_OPEN          "{\"Events\":["
#define JSON_CLOSE         "]}\n"

const char rp_cmd_events_usage[] =
    "rampart events [--lookup-attributes AttributeKey=KEY,AttributeValue=VALUE]\n"
    "                      [--event-name NAME] [--username USER] [--event-id ID]\n"
    "                      [--event-source SOURCE] [--access-key-id KEY] [--read-only true|false]\n"
    "                      [--resource-type TYPE] [--resource-name NAME]\n"
    "                      [--start-time TIME] [--end-time TIME] [--category LIST]\n"
    "                      [--max-results N]";

const char rp_cmd_events_help[] =
    "Look up CloudTrail events in the store, newest first, as AWS CloudTrail LookupEvents\n"
    "does (`aws cloudtrail lookup-events`). Events come from `rampart ingest`.\n"
    "\n"
    "Lookup attributes (exact, case-sensitive match, as in AWS):\n"
    "  --lookup-attributes AttributeKey=KEY,AttributeValue=VALUE\n"
    "                        the AWS CLI form (also --lookup-attribute, and the JSON form\n"
    "                        '[{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"X\"}]'); KEY "
    "is\n"
    "                        EventId, EventName, ReadOnly, Username, ResourceType,\n"
    "                        ResourceName, EventSource or AccessKeyId. One attribute, as AWS\n"
    "                        allows.\n"
    "  --event-id ID, --event-name NAME, --username USER, --event-source SOURCE,\n"
    "  --access-key-id KEY, --read-only true|false, --resource-type TYPE, --resource-name NAME\n"
    "                        the same attributes as flags; unlike AWS, several may be given\n"
    "                        and must all match. Username is the user name of an IAM user,\n"
    "                        the session name of an assumed role, 'root' for the root user.\n"
    "                        ResourceName matches a resource's name or its full ARN.\n"
    "\n"
    "Other options:\n"
    "  --start-time TIME     events at or after TIME (alias --since); TIME is ISO 8601\n"
    "                        ('2024-05-01', '2024-05-01T10:00:00Z'), epoch seconds, 'now' or\n"
    "                        a relative time such as 30m, 24h, 7d, 2w\n"
    "  --end-time TIME       events at or before TIME (alias --until)\n"
    "  --category LIST       comma-separated: management (the default, as AWS), insight (as\n"
    "                        AWS's --event-category insight), data and networkactivity (which\n"
    "                        AWS's event history does not keep, but Rampart stores), or all\n"
    "  --max-results N       at most N events (default 100; 0 shows all)\n"
    "\n"
    "Output: a table (or CSV) of EventTime, EventName, Username, EventSource, ReadOnly,\n"
    "AccessKeyId, ResourceType, ResourceName and EventId; with --format json, the output of\n"
    "`aws cloudtrail lookup-events`: {\"Events\":[{\"EventId\", \"EventName\", \"ReadOnly\",\n"
    "\"AccessKeyId\", \"EventTime\", \"EventSource\", \"Username\", \"Resources\",\n"
    "\"CloudTrailEvent\"}]}, where CloudTrailEvent is the original record as a JSON string.\n"
    "\n"
    "Examples:\n"
    "  rampart events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin\n"
    "  rampart events --username root --since 7d\n"
    "  rampart events --category data --resource-type AWS::S3::Object --max-results 20\n"
    "  rampart --format json events --event-source iam.amazonaws.com --read-only false\n";

static const char *db_path(const struct rp_cmd_ctx *ctx)
{
    return ctx->db_path && *ctx->db_path ? ctx->db_path : RP_STORE_DEFAULT_PATH;
}

/* ---- options ----------------------------------------------------------------------------- */

static int set_attr(struct rp_ct_lookup *q, enum rp_ct_attr a, const char *val)
{
    if (q->attrs[a])
        return rp_cmd_usage_error(VERB, "lookup attribute %s given twice", rp_ct_attr_name(a));
    if (a == RP_CT_ATTR_READ_ONLY && strcmp(val, "true") != 0 && strcmp(val, "false") != 0)
        return rp_cmd_usage_error(VERB, "ReadOnly wants 'true' or 'false', not '%s'", val);
    q->attrs[a] = val;
    return RP_EXIT_OK;
}

/* NUL-terminated copy of s, owned by the caller's list (freed at the end of the verb). */
struct strings {
    char *v[4];
    size_t n;
};

static const char *keep(struct strings *ss, struct rp_str s)
{
    if (ss->n == RP_ARRAY_LEN(ss->v)) return NULL;
    char *c = malloc(s.len + 1);
    if (!c) return NULL;
    memcpy(c, s.p, s.len);
    c[s.len] = '\0';
    ss->v[ss->n++] = c;
    return c;
}

/* --lookup-attributes in the AWS CLI shorthand "AttributeKey=K,AttributeValue=V" (either
 * order; a value runs to the next ",AttributeKey=" / ",AttributeValue=" or the end, so it may
 * hold commas) or JSON "[{"AttributeKey": K, "AttributeValue": V}]". */
static int lookup_attribute(struct rp_ct_lookup *q, struct strings *ss, const char *spec)
{
    struct rp_str key = {NULL, 0}, value = {NULL, 0};
    struct rp_str s = rp_str_trim(rp_str_from(spec));
    struct rp_json_parser *jp = NULL;
    int rc = RP_EXIT_OK;
    if (s.len && (s.p[0] == '[' || s.p[0] == '{')) {
        struct rp_json_val root, el;
        jp = rp_json_parser_new();
        if (!jp) return rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
        if (rp_json_parse(jp, s.p, s.len, &root, NULL) != RP_OK) {
            rc = rp_cmd_usage_error(VERB, "--lookup-attributes: not valid JSON");
            goto out;
        }
        el = root;
        if (rp_json_type(root) == RP_JSON_ARRAY) {
            if (rp_json_len(root) != 1) {
                rc = rp_cmd_usage_error(VERB, "--lookup-attributes takes one attribute, as AWS "
                                              "does (the other flags may be added)");
                goto out;
            }
            if (rp_json_arr_at(root, 0, &el) != RP_OK) el = (struct rp_json_val){0};
        }
        if (rp_json_obj_get_str(el, "AttributeKey", &key) != RP_OK ||
            rp_json_obj_get_str(el, "AttributeValue", &value) != RP_OK) {
            rc = rp_cmd_usage_error(VERB, "--lookup-attributes: wants AttributeKey and "
                                          "AttributeValue strings");
            goto out;
        }
    } else {
        static const char *const names[] = {"AttributeKey=", "AttributeValue="};
        size_t i = 0;
        while (i < s.len) {
            int which = -1;
            for (int k = 0; k < 2; k++)
                if (rp_str_has_prefix((struct rp_str){s.p + i, s.len - i}, names[k])) which = k;
            if (which < 0) break;
            size_t start = i + strlen(names[which]), end = start;
            for (; end < s.len; end++) {
                struct rp_str rest = {s.p + end, s.len - end};
                if (rp_str_has_prefix(rest, ",AttributeKey=") ||
                    rp_str_has_prefix(rest, ",AttributeValue="))
                    break;
            }
            struct rp_str v = {s.p + start, end - start};
            if (which == 0)
                key = v;
            else
                value = v;
            i = end < s.len ? end + 1 : end;
        }
        if (i < s.len || !key.p || !value.p) {
            rc = rp_cmd_usage_error(
                VERB,
                "--lookup-attributes wants AttributeKey=KEY,AttributeValue=VALUE, "
                "not '%s'",
                spec);
            goto out;
        }
    }
    enum rp_ct_attr a = rp_ct_attr_find(key);
    if (a == RP_CT_ATTR_COUNT) {
        rc = rp_cmd_usage_error(VERB,
                                "unknown AttributeKey '%.*s' (EventId, EventName, ReadOnly, "
                                "Username, ResourceType, ResourceName, EventSource, AccessKeyId)",
                                (int)key.len, key.p);
        goto out;
    }
    const char *v = keep(ss, value);
    if (!v) {
        rc = rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
        goto out;
    }
    rc = set_attr(q, a, v);
out:
    rp_json_parser_free(jp);
    return rc;
}

static int parse_time(const char *opt, const char *val, int64_t now, int64_t *out)
{
    struct rp_errbuf eb = {0};
    if (rp_time_parse_filter(rp_str_from(val), now, out, &eb) != RP_OK)
        return rp_cmd_usage_error(VERB, "%s: %s", opt, eb.msg);
    return RP_EXIT_OK;
}

/* ---- output ------------------------------------------------------------------------------ */

static const struct rp_out_col cols[] = {
    {"EventTime", 0},    {"EventName", 0},    {"Username", 0},
    {"EventSource", 0},  {"ReadOnly", 0},     {"AccessKeyId", 0},
    {"ResourceType", 0}, {"ResourceName", 0}, {"EventId", 0},
};

struct walk {
    struct rp_cmd_ctx *ctx;
    struct rp_out *o;  /* table and csv */
    size_t max;        /* events to show; one more is fetched to know if there are more */
    size_t n;          /* events shown */
    bool more;         /* an event past max exists */
    bool opened;       /* json: the opening of the document is written */
    struct rp_buf buf; /* scratch */
    rp_err io;         /* a failed write to ctx->out */
};

/* "2024-05-02T08:15:30Z", with milliseconds only when the event has them. */
static void event_time(char *out, size_t outsz, int64_t ms)
{
    rp_err e =
        ms % 1000 ? rp_time_format_iso(ms, out, outsz) : rp_time_format_iso_s(ms, out, outsz);
    if (e) snprintf(out, outsz, "%" PRId64, ms);
}

/* As the AWS CLI prints a timestamp (Python's isoformat in UTC): "2024-05-02T08:15:30+00:00",
 * "2024-05-02T09:10:10.250000+00:00". */
static void aws_time(char *out, size_t outsz, int64_t ms)
{
    char iso[RP_TIME_ISO_BUFSZ];
    if (rp_time_format_iso_s(ms, iso, sizeof iso) != RP_OK) {
        snprintf(out, outsz, "%" PRId64, ms);
        return;
    }
    iso[strlen(iso) - 1] = '\0'; /* the Z */
    int64_t frac = ((ms % 1000) + 1000) % 1000;
    if (frac)
        snprintf(out, outsz, "%s.%03" PRId64 "000+00:00", iso, frac);
    else
        snprintf(out, outsz, "%s+00:00", iso);
}

static rp_err table_row(struct walk *w, const struct rp_ct_event *ev)
{
    char when[RP_TIME_ISO_BUFSZ];
    struct rp_buf *b = &w->buf;
    rp_buf_reset(b);
    event_time(when, sizeof when, ev->time_ms);
    /* both resource lists in one buffer: types, NUL, names */
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < ev->nresources; i++)
        e = rp_buf_printf(b, "%s%s", i ? "," : "",
                          ev->resources[i].type ? ev->resources[i].type : "");
    size_t names = b->len + 1;
    if (!e) e = rp_buf_putc(b, '\0');
    for (size_t i = 0; !e && i < ev->nresources; i++)
        e = rp_buf_printf(b, "%s%s", i ? "," : "",
                          ev->resources[i].name ? ev->resources[i].name : "");
    if (e) return e;
    const char *vals[] = {
        when,
        ev->event_name,
        ev->username,
        ev->event_source,
        ev->read_only < 0 ? NULL
        : ev->read_only   ? "true"
                          : "false",
        ev->access_key_id,
        ev->nresources ? b->data : NULL,
        ev->nresources ? b->data + names : NULL,
        ev->event_id,
    };
    return rp_out_row(w->o, vals);
}

/* One element of "Events", in the key order of the AWS API model; absent values are left
 * out, as AWS leaves them out. */
static rp_err json_event(struct walk *w, const struct rp_ct_event *ev)
{
    struct rp_json_writer jw;
    char when[48];
    rp_buf_reset(&w->buf);
    rp_json_writer_init(&jw, &w->buf);
    aws_time(when, sizeof when, ev->time_ms);
    rp_json_write_obj_begin(&jw);
    if (ev->event_id) rp_json_write_kv_cstr(&jw, "EventId", ev->event_id);
    if (ev->event_name) rp_json_write_kv_cstr(&jw, "EventName", ev->event_name);
    if (ev->read_only >= 0)
        rp_json_write_kv_cstr(&jw, "ReadOnly", ev->read_only ? "true" : "false");
    if (ev->access_key_id) rp_json_write_kv_cstr(&jw, "AccessKeyId", ev->access_key_id);
    rp_json_write_kv_cstr(&jw, "EventTime", when);
    if (ev->event_source) rp_json_write_kv_cstr(&jw, "EventSource", ev->event_source);
    if (ev->username) rp_json_write_kv_cstr(&jw, "Username", ev->username);
    rp_json_write_key(&jw, "Resources", 9);
    rp_json_write_arr_begin(&jw);
    for (size_t i = 0; i < ev->nresources; i++) {
        rp_json_write_obj_begin(&jw);
        if (ev->resources[i].type)
            rp_json_write_kv_cstr(&jw, "ResourceType", ev->resources[i].type);
        if (ev->resources[i].name)
            rp_json_write_kv_cstr(&jw, "ResourceName", ev->resources[i].name);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_arr_end(&jw);
    if (ev->raw) rp_json_write_kv_str(&jw, "CloudTrailEvent", ev->raw, ev->raw_n);
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e) return e;
    bool first = !w->opened;
    w->opened = true;
    if ((first && fputs(JSON_OPEN, w->ctx->out) == EOF) ||
        (w->n && fputc(',', w->ctx->out) == EOF) ||
        fwrite(w->buf.data, 1, w->buf.len, w->ctx->out) != w->buf.len)
        return w->io = RP_EIO;
    return RP_OK;
}

static rp_err on_event(const struct rp_ct_event *ev, void *ctx)
{
    struct walk *w = ctx;
    if (w->max && w->n == w->max) {
        w->more = true;
        return RP_OK; /* the extra event fetched only to know there are more */
    }
    rp_err e = w->o ? table_row(w, ev) : json_event(w, ev);
    if (!e) w->n++;
    return e;
}

/* Open the store, run q and write the result; returns the exit code. */
static int run(struct rp_cmd_ctx *ctx, struct rp_ct_lookup *q, size_t max)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_new(db_path(ctx), RP_STORE_RDONLY, &st, &eb);
    if (e == RP_ENOENT)
        return rp_cmd_error(VERB, "no database at '%s' (run `rampart ingest` first, or pass --db)",
                            db_path(ctx));
    if (e) return rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
    struct walk w = {.ctx = ctx, .max = max};
    rp_buf_init(&w.buf, 0);
    q->max_results = max ? max + 1 : 0;
    q->want_raw = ctx->format == RP_OUT_JSON;
    if (ctx->format != RP_OUT_JSON && !(w.o = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols))))
        e = RP_ENOMEM;
    if (!e) e = rp_ingest_ct_lookup(st, q, on_event, &w, &eb);
    if (!e && w.o) e = rp_out_flush(w.o);
    if (!e && !w.o &&
        ((!w.opened && fputs(JSON_OPEN, ctx->out) == EOF) || fputs(JSON_CLOSE, ctx->out) == EOF))
        e = w.io = RP_EIO;
    if (!e && fflush(ctx->out) != 0) e = w.io = RP_EIO;
    int rc = RP_EXIT_OK;
    if (e == RP_ENOENT)
        rc = rp_cmd_error(VERB,
                          "the database at '%s' has no CloudTrail table yet (run `rampart ingest`)",
                          db_path(ctx));
    else if (e && w.io)
        rc = rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    else if (e)
        rc = rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
    /* on stderr, so piped json/csv stays clean */
    if (!rc && w.more && ctx->verbosity >= 0)
        fprintf(stderr,
                "rampart: events: showing the newest %zu event%s (--max-results 0 shows all)\n",
                w.n, w.n == 1 ? "" : "s");
    rp_out_free(w.o);
    rp_buf_release(&w.buf);
    rp_store_free(st);
    return rc;
}

/* ---- the verb ---------------------------------------------------------------------------- */

int rp_cmd_events(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    static const struct {
        const char *flag;
        enum rp_ct_attr attr;
    } flags[] = {
        {"--event-id", RP_CT_ATTR_EVENT_ID},
        {"--event-name", RP_CT_ATTR_EVENT_NAME},
        {"--read-only", RP_CT_ATTR_READ_ONLY},
        {"--username", RP_CT_ATTR_USERNAME},
        {"--resource-type", RP_CT_ATTR_RESOURCE_TYPE},
        {"--resource-name", RP_CT_ATTR_RESOURCE_NAME},
        {"--event-source", RP_CT_ATTR_EVENT_SOURCE},
        {"--access-key-id", RP_CT_ATTR_ACCESS_KEY_ID},
    };
    struct rp_ct_lookup q;
    struct strings ss = {.n = 0};
    int64_t now = rp_time_now_ms();
    size_t max = EVENTS_DEFAULT_MAX;
    bool seen_lookup = false;
    int rc = RP_EXIT_OK;
    rp_ct_lookup_init(&q);

    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        const char *a = argv[i];
        int m = 0;
        size_t f = 0;
        for (; f < RP_ARRAY_LEN(flags); f++)
            if ((m = rp_cmd_opt_value(flags[f].flag, argc, argv, &i, &val))) break;
        if (m < 0) {
            rc = rp_cmd_usage_error(VERB, "%s needs a value", a);
        } else if (m > 0) {
            rc = set_attr(&q, flags[f].attr, val);
        } else if ((m = rp_cmd_opt_value("--lookup-attributes", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--lookup-attribute", argc, argv, &i, &val))) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "%s needs a value", a);
            else if (seen_lookup)
                rc = rp_cmd_usage_error(VERB, "--lookup-attributes takes one attribute, as AWS "
                                              "does (the other flags may be added)");
            else
                rc = lookup_attribute(&q, &ss, val);
            seen_lookup = true;
        } else if ((m = rp_cmd_opt_value("--start-time", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--since", argc, argv, &i, &val))) {
            rc = m < 0 ? rp_cmd_usage_error(VERB, "%s needs a time", a)
                       : parse_time(a, val, now, &q.start_ms);
        } else if ((m = rp_cmd_opt_value("--end-time", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--until", argc, argv, &i, &val))) {
            rc = m < 0 ? rp_cmd_usage_error(VERB, "%s needs a time", a)
                       : parse_time(a, val, now, &q.end_ms);
        } else if ((m = rp_cmd_opt_value("--category", argc, argv, &i, &val))) {
            struct rp_errbuf eb = {0};
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--category needs a list");
            else if (rp_ct_category_parse(rp_str_from(val), &q.categories, &eb) != RP_OK)
                rc = rp_cmd_usage_error(VERB, "--category: %s", eb.msg);
        } else if ((m = rp_cmd_opt_value("--max-results", argc, argv, &i, &val))) {
            uint64_t n = 0;
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--max-results needs a number");
            else if (rp_str_to_u64(rp_str_from(val), &n) != RP_OK || n > SIZE_MAX - 1)
                rc = rp_cmd_usage_error(VERB, "--max-results wants a number, not '%s'", val);
            else
                max = (size_t)n;
        } else if (a[0] == '-') {
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", a);
        } else {
            rc = rp_cmd_usage_error(VERB, "unexpected argument '%s'", a);
        }
    }
    if (!rc && q.start_ms > q.end_ms)
        rc = rp_cmd_usage_error(VERB, "--start-time is after --end-time");
    if (!rc) rc = run(ctx, &q, max);
    for (size_t k = 0; k < ss.n; k++) free(ss.v[k]);
    return rc;
}
