/* SPDX-License-Identifier: Apache-2.0 */
/* Keeps docs/query-functions.md true: every example line in its ```sql blocks
 * ("SELECT ...; -- result") is run on a connection with every function group registered and
 * must give exactly the documented result, and the page's "### name[, alias]" headings must
 * name exactly the functions the groups register (one entry per function, none missing, none
 * stale). */
#include "query_func_test.h"

#define DOC_PATH RP_DATA_DIR "/../docs/query-functions.md"

static char *read_doc(void)
{
    FILE *f = fopen(DOC_PATH, "rb");
    if (!f) fail_msg("cannot open %s", DOC_PATH);
    char *buf = NULL;
    size_t len = 0, cap = 0, n = 0;
    char chunk[4096];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    assert_non_null(buf);
    buf[len] = '\0';
    return buf;
}

static void test_docs_examples(void **state)
{
    (void)state;
    char *doc = read_doc();
    bool in_sql = false;
    int lineno = 0, examples = 0;
    for (char *line = doc; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        lineno++;
        if (strncmp(line, "```", 3) == 0) {
            in_sql = !in_sql && strcmp(line, "```sql") == 0;
        } else if (in_sql && strncmp(line, "SELECT ", 7) == 0) {
            char *sep = NULL;
            for (char *p = strstr(line, " -- "); p; p = strstr(p + 1, " -- ")) sep = p;
            if (!sep) fail_msg("%s:%d: example without ' -- result'", DOC_PATH, lineno);
            *sep = '\0';
            const char *want = sep + 4;
            qft_expect(DOC_PATH, lineno, line, want, false);
            examples++;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(doc);
    assert_int_equal(examples, 78); /* one per entry: 82 functions, 4 are aliases */
}

/* ",a,b," of the non-built-in functions of db; free with sqlite3_free. */
static char *function_names(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT ',' || coalesce(group_concat(name, ','), '') || ',' FROM (SELECT "
                      "DISTINCT name FROM pragma_function_list WHERE builtin = 0 ORDER BY name)";
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *names = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_non_null(names);
    return names;
}

/* The names the groups add to a plain connection (extensions such as fts5 left out), as one
 * ",name," list. */
static char *registered_names(void)
{
    sqlite3 *plain = NULL;
    assert_int_equal(sqlite3_open(":memory:", &plain), SQLITE_OK);
    char *base = function_names(plain);
    sqlite3_close(plain);
    char *all = function_names(qft_db);
    char *out = calloc(1, strlen(all) + 2);
    assert_non_null(out);
    size_t o = 0;
    out[o++] = ',';
    for (const char *p = all + 1; *p;) {
        size_t len = strcspn(p, ",");
        char key[128];
        snprintf(key, sizeof key, ",%.*s,", (int)len, p);
        if (len > 0 && !strstr(base, key)) {
            memcpy(out + o, p, len + 1); /* the name and its ',' */
            o += len + 1;
        }
        p += len + (p[len] == ',');
    }
    sqlite3_free(base);
    sqlite3_free(all);
    return out;
}

/* Mark name (in the ",a,b," list names) as documented; false when it is not registered. */
static bool mark(char *names, const char *name, size_t len)
{
    char key[128];
    snprintf(key, sizeof key, ",%.*s,", (int)len, name);
    char *at = strstr(names, key);
    if (!at) return false;
    at[1] = '*';
    return true;
}

static void test_docs_cover_every_function(void **state)
{
    (void)state;
    char *doc = read_doc();
    char *names = registered_names();
    size_t documented = 0;
    for (char *line = doc; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (strncmp(line, "### ", 4) == 0) {
            const char *p = line + 4;
            while (*p) {
                size_t len = strcspn(p, ", ");
                if (len > 0) {
                    if (!mark(names, p, len))
                        fail_msg("documented function '%.*s' is not registered", (int)len, p);
                    documented++;
                }
                p += len;
                p += strspn(p, ", ");
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, ",");
        if (len > 0 && p[0] != '*')
            fail_msg("registered function '%.*s' has no entry in %s", (int)len, p, DOC_PATH);
        p += len;
        p += strspn(p, ",");
    }
    assert_int_equal(documented, 82);
    free(names);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_examples),
        cmocka_unit_test(test_docs_cover_every_function),
    };
    return cmocka_run_group_tests_name("query_func_docs", tests, qft_setup, qft_teardown);
}
