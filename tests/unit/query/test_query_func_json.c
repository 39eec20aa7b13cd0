/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "json" function group (query_func_json.c) through SQL on an in-memory
 * connection: Presto JSONPath forms and errors, json_extract_scalar (numbers as written,
 * strings unquoted, NULL for containers and JSON null), json_extract overriding SQLite's,
 * the array helpers, json_format/json_parse/is_json_scalar, rp_field's case-insensitive walk
 * and its result types, the one-document cache, and rp_decompress on zstd frames (known and
 * unknown size, damaged, plain). Also the registry: every group named, summarised, unique. */
#include <zstd.h>

#include "query_func_test.h"

static void test_json_extract_scalar(void **state)
{
    (void)state;
    EXPECT("SELECT json_extract_scalar('{\"a\":{\"b\":\"x\"}}', '$.a.b')", "'x'");
    EXPECT("SELECT json_extract_scalar('{\"a\": 1.50}', '$.a')", "'1.50'");
    EXPECT("SELECT json_extract_scalar('{\"a\": -0}', '$.a')", "'-0'");
    EXPECT("SELECT json_extract_scalar('{\"a\": 1E5}', '$.a')", "'1E5'");
    EXPECT("SELECT json_extract_scalar('{\"a\":18446744073709551615}', '$.a')",
           "'18446744073709551615'");
    EXPECT("SELECT json_extract_scalar('{\"a\":true,\"b\":false}', '$.a'), "
           "json_extract_scalar('{\"a\":true,\"b\":false}', '$.b')",
           "'true'|'false'");
    EXPECT("SELECT json_extract_scalar('{\"a\":null}', '$.a')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"a\":{\"b\":1}}', '$.a')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"a\":[1]}', '$.a')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"a\":1}', '$.b')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"a\":1', '$.a')", "NULL"); /* invalid JSON */
    EXPECT("SELECT json_extract_scalar(NULL, '$.a'), json_extract_scalar('{}', NULL)", "NULL|NULL");
    /* escapes decoded, keys case-sensitive, first of a repeated key */
    EXPECT("SELECT json_extract_scalar('{\"a\":\"x\\\"y\\u00e9\"}', '$.a')", "'x\"y\xc3\xa9'");
    EXPECT("SELECT json_extract_scalar('{\"A\":1}', '$.a')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"a\":1,\"a\":2}', '$.a')", "'1'");
    /* bracket forms, indexes, chains, nesting after earlier members */
    EXPECT("SELECT json_extract_scalar('{\"a b\":{\"c.d\":7}}', '$[\"a b\"][''c.d'']')", "'7'");
    EXPECT("SELECT json_extract_scalar('[10, 20.5, 30]', '$[1]')", "'20.5'");
    EXPECT("SELECT json_extract_scalar('[10, 20]', '$[2]')", "NULL");
    EXPECT("SELECT json_extract_scalar('{\"x\":[1,{\"y\":[0, 2.25e1]}]}', '$.x[1].y[1]')",
           "'2.25e1'");
    EXPECT("SELECT json_extract_scalar('{\"s\":\"[1,{\\\"k\\\":2}]\", \"n\" : { \"a\" : [ 1 , "
           "{ \"k\" : -3.0 } ] } }', '$.n.a[1].k')",
           "'-3.0'");
    EXPECT("SELECT json_extract_scalar('{\"0\":\"zero\"}', '$[0]')", "'zero'");
    EXPECT("SELECT json_extract_scalar('[\"a\",\"b\"]', '$.1')", "'b'");
    EXPECT("SELECT json_extract_scalar('\"top\"', '$')", "'top'");
    EXPECT("SELECT json_extract_scalar('{\"a\":5}', '$.a') + 1", "6");
}

static void test_json_path_errors(void **state)
{
    (void)state;
    EXPECT_ERR("SELECT json_extract_scalar('{}', 'a.b')",
               "json_extract_scalar: invalid JSON path 'a.b'");
    EXPECT_ERR("SELECT json_extract('{}', '$.a[')", "json_extract: invalid JSON path '$.a['");
    EXPECT_ERR("SELECT json_extract('{}', '$..a')", "json_extract: invalid JSON path '$..a'");
    EXPECT_ERR("SELECT json_extract('{}', '$.*')", "json_extract: invalid JSON path '$.*'");
    EXPECT_ERR("SELECT json_size('{}', '$[\"a]')", "json_size: invalid JSON path '$[\"a]'");
    EXPECT_ERR("SELECT json_size('{}', '')", "json_size: invalid JSON path ''");
    /* a path in a column is compiled per row */
    EXPECT("SELECT group_concat(json_extract_scalar('{\"a\":1,\"b\":2}', p), ',') FROM "
           "(SELECT '$.a' AS p UNION ALL SELECT '$.b' UNION ALL SELECT '$.c')",
           "'1,2'");
}

static void test_json_extract(void **state)
{
    (void)state;
    EXPECT_J("SELECT json_extract('{\"a\":\"x\"}', '$.a')", "J'\"x\"'");
    EXPECT_J("SELECT json_extract('{\"a\": { \"b\" : [1, 2.50, true, null] } }', '$.a')",
             "J'{\"b\":[1,2.5,true,null]}'");
    EXPECT_J("SELECT json_extract('{\"a\":null}', '$.a')", "J'null'");
    EXPECT("SELECT json_extract('{\"a\":1}', '$.b'), json_extract('nope', '$')", "NULL|NULL");
    EXPECT_J("SELECT json_extract('[1,[2,3]]', '$[1]')", "J'[2,3]'");
    /* overrides SQLite's 2-argument json_extract; its other arities stay SQLite's */
    EXPECT("SELECT json_extract('{\"a\":\"x\",\"b\":2}', '$.a', '$.b')", "'[\"x\",2]'");
    EXPECT("SELECT '{\"a\":\"x\"}' ->> '$.a', '{\"a\":\"x\"}' -> '$.a'", "'x'|'\"x\"'");
    /* the JSON subtype lets SQLite's json functions embed the value */
    EXPECT("SELECT json_array(json_extract('{\"a\":{\"b\":1}}', '$.a'))", "'[{\"b\":1}]'");
}

static void test_json_array_functions(void **state)
{
    (void)state;
    EXPECT("SELECT json_array_length('[1,2,[3]]'), json_array_length('{}'), "
           "json_array_length('x'), json_array_length(NULL)",
           "3|NULL|NULL|NULL");
    EXPECT("SELECT json_array_length('[1,2]', '$')", "2"); /* SQLite's 2-argument form */
    EXPECT_J("SELECT json_array_get('[\"a\",[3,9],\"c\"]', 0), "
             "json_array_get('[\"a\",[3,9],\"c\"]', 1), json_array_get('[\"a\",[3,9],\"c\"]', -1)",
             "J'\"a\"'|J'[3,9]'|J'\"c\"'");
    EXPECT("SELECT json_array_get('[1]', 1), json_array_get('[1]', -2), "
           "json_array_get('{\"a\":1}', 0), json_array_get('[1]', NULL)",
           "NULL|NULL|NULL|NULL");
    EXPECT("SELECT json_array_contains('[1,2.5,\"x\",true]', 2.5), "
           "json_array_contains('[1,2]', 2.0), json_array_contains('[1,2]', 3), "
           "json_array_contains('[\"x\"]', 'x'), json_array_contains('[\"1\"]', 1), "
           "json_array_contains('[true]', 1), json_array_contains('{}', 1), "
           "json_array_contains('[1]', NULL)",
           "1|1|0|1|0|1|NULL|NULL");
    EXPECT("SELECT json_size('{\"x\":{\"a\":1,\"b\":2}}', '$.x'), json_size('{\"x\":[1,2,3]}', "
           "'$.x'), json_size('{\"x\":1}', '$.x'), json_size('{\"x\":1}', '$.y')",
           "2|3|0|NULL");
}

static void test_json_format_parse(void **state)
{
    (void)state;
    EXPECT_J("SELECT json_format('{ \"a\" : [1, 2.50, \"\\u0041\"] }')", "'{\"a\":[1,2.5,\"A\"]}'");
    EXPECT_J("SELECT json_parse(' [1, {\"b\" : null}] ')", "J'[1,{\"b\":null}]'");
    EXPECT("SELECT json_parse('[1,'), json_format('nope'), json_parse(NULL)", "NULL|NULL|NULL");
    EXPECT("SELECT json_parse('\"\\u00e9\\n\"')", "'\"\xc3\xa9\\n\"'");
    EXPECT("SELECT is_json_scalar('1'), is_json_scalar('\"s\"'), is_json_scalar('null'), "
           "is_json_scalar('[1]'), is_json_scalar('{}'), is_json_scalar('{'), "
           "is_json_scalar(NULL)",
           "1|1|1|0|0|NULL|NULL");
}

static void test_rp_field(void **state)
{
    (void)state;
    const char *doc = "'{\"type\":\"IAMUser\",\"sessionContext\":{\"attributes\":"
                      "{\"mfaAuthenticated\":\"false\",\"n\":3,\"r\":1.5,\"b\":true,"
                      "\"z\":null,\"big\":18446744073709551615},\"arr\":[1,\"a\"]}}'";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT rp_field(%s, 'type'), rp_field(%s, "
             "'sessioncontext.attributes.mfaauthenticated'), rp_field(%s, "
             "'SESSIONCONTEXT.ATTRIBUTES.N'), rp_field(%s, 'sessioncontext.attributes.r')",
             doc, doc, doc, doc);
    EXPECT(sql, "'IAMUser'|'false'|3|1.5");
    snprintf(sql, sizeof sql,
             "SELECT rp_field(%s, 'sessioncontext.attributes.b'), rp_field(%s, "
             "'sessioncontext.attributes.z'), rp_field(%s, 'sessioncontext.nope'), "
             "rp_field(%s, 'sessioncontext.attributes.big')",
             doc, doc, doc, doc);
    EXPECT(sql, "'true'|NULL|NULL|1.84467440737096e+19");
    snprintf(sql, sizeof sql, "SELECT rp_field(%s, 'sessioncontext.arr'), rp_field(%s, 'type.x')",
             doc, doc);
    EXPECT_J(sql, "J'[1,\"a\"]'|NULL");
    EXPECT("SELECT typeof(rp_field('{\"a\":1}', 'a')), typeof(rp_field('{\"a\":1.0}', 'a'))",
           "'integer'|'real'");
    /* an exact match wins over an earlier case-insensitive one */
    EXPECT("SELECT rp_field('{\"Key\":1,\"key\":2}', 'key'), "
           "rp_field('{\"Key\":1,\"KEY\":2}', 'key')",
           "2|1");
    EXPECT_J("SELECT rp_field('{\"a\":1}', '')", "J'{\"a\":1}'");
    EXPECT("SELECT rp_field('nope', 'a'), rp_field(NULL, 'a'), rp_field('{}', NULL), "
           "rp_field('{\"a\":{\"\":5}}', 'a.')",
           "NULL|NULL|NULL|5");
}

/* The one-document cache: alternating documents and paths over many rows stay right. */
static void test_json_doc_cache(void **state)
{
    (void)state;
    EXPECT("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100), "
           "d AS (SELECT i, '{\"k\":' || (i % 3) || ',\"s\":\"v' || i || '\"}' AS j FROM c) "
           "SELECT sum(json_extract_scalar(j, '$.k')), sum(rp_field(j, 'K')), "
           "count(DISTINCT json_extract_scalar(j, '$.s')), sum(json_size(j, '$')) FROM d",
           "100|100|100|200");
    /* an invalid document cached, then a valid one of the same length */
    EXPECT("SELECT group_concat(coalesce(json_extract_scalar(x, '$.a'), 'N'), ',') FROM "
           "(SELECT '{\"a\":12' AS x UNION ALL SELECT '{\"a\":2}' UNION ALL SELECT '{\"a\":2}')",
           "'N,2,2'");
}

static void bind_and_expect(const void *blob, int n, const char *want)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(qft_db,
                                        "SELECT rp_decompress(?1), typeof(rp_decompress(?1))", -1,
                                        &st, NULL),
                     SQLITE_OK);
    if (blob)
        sqlite3_bind_blob(st, 1, blob, n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 1);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char got[4096];
    qft_render(st, got, sizeof got, false);
    sqlite3_finalize(st);
    assert_string_equal(got, want);
}

static void test_rp_decompress(void **state)
{
    (void)state;
    const char *rec = "{\"eventName\":\"ConsoleLogin\",\"eventSource\":\"signin.amazonaws.com\"}";
    size_t n = strlen(rec);
    char z[512];
    size_t zn = ZSTD_compress(z, sizeof z, rec, n, 1);
    assert_false(ZSTD_isError(zn));
    char want[1024];
    snprintf(want, sizeof want, "'%s'|'text'", rec);
    bind_and_expect(z, (int)zn, want);

    /* a frame without its content size (streaming compression) */
    ZSTD_CStream *cs = ZSTD_createCStream();
    ZSTD_initCStream(cs, 1);
    char zs[512];
    ZSTD_outBuffer out = {zs, sizeof zs, 0};
    ZSTD_inBuffer in = {rec, n, 0};
    assert_false(ZSTD_isError(ZSTD_compressStream(cs, &out, &in)));
    assert_int_equal(ZSTD_endStream(cs, &out), 0);
    ZSTD_freeCStream(cs);
    assert_int_equal(ZSTD_getFrameContentSize(zs, out.pos), ZSTD_CONTENTSIZE_UNKNOWN);
    bind_and_expect(zs, (int)out.pos, want);

    /* damaged: truncated, corrupted in the middle; plain input passes through */
    bind_and_expect(z, (int)zn - 3, "NULL|'null'");
    bind_and_expect(zs, (int)out.pos - 3, "NULL|'null'");
    memcpy(z + zn, "\x01\x02", 2); /* trailing bytes that are no frame */
    bind_and_expect(z, (int)zn + 2, "NULL|'null'");
    z[4] = (char)0xff; /* a reserved bit of the frame header */
    bind_and_expect(z, (int)zn, "NULL|'null'");
    bind_and_expect(rec, (int)n, want);
    bind_and_expect(NULL, 0, "NULL|'null'");
    bind_and_expect("\x28\xb5\x2f\xfd", 4, "NULL|'null'");
}

static void test_registry_groups(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t i = 0; rp_query_func_groups[i]; i++, n++) {
        const struct rp_query_funcs *g = rp_query_func_groups[i];
        assert_non_null(g->name);
        assert_non_null(g->summary);
        assert_non_null(g->register_fn);
        assert_true(strlen(g->summary) > 10);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(rp_query_func_groups[k]->name, g->name);
    }
    assert_int_equal(n, 6);
    /* no function (name and argument count) is defined by two groups: a later group would
     * silently replace it. Each group alone on a fresh connection lists its own (pass 0: none, the
     * baseline). */
    char seen[8192] = ",", ext[4096] = ",";
    for (size_t i = 0; i == 0 || rp_query_func_groups[i - 1]; i++) {
        sqlite3 *one = NULL;
        sqlite3_stmt *fl = NULL;
        assert_int_equal(sqlite3_open(":memory:", &one), SQLITE_OK);
        if (i > 0) assert_int_equal(rp_query_func_groups[i - 1]->register_fn(one), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(one,
                                            "SELECT DISTINCT name || '/' || narg FROM "
                                            "pragma_function_list WHERE builtin = 0",
                                            -1, &fl, NULL),
                         SQLITE_OK);
        char mine[4096] = ",";
        while (sqlite3_step(fl) == SQLITE_ROW) {
            char key[128];
            snprintf(key, sizeof key, ",%s,", sqlite3_column_text(fl, 0));
            if (strstr(ext, key)) continue; /* SQLite's extensions (fts5, rtree) */
            if (strstr(seen, key)) fail_msg("'%s' is registered by two groups", key);
            strncat(mine, key + 1, sizeof mine - strlen(mine) - 1);
        }
        sqlite3_finalize(fl);
        sqlite3_close(one);
        /* pass 0 is a plain connection: what it lists is not the groups' */
        strncat(i == 0 ? ext : seen, mine + 1,
                (i == 0 ? sizeof ext - strlen(ext) : sizeof seen - strlen(seen)) - 1);
    }
    /* 82 names beyond those of a connection without them (extensions like fts5 are there) */
    sqlite3 *plain = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(":memory:", &plain), SQLITE_OK);
    const char *count = "SELECT count(DISTINCT name) FROM pragma_function_list WHERE builtin = 0";
    assert_int_equal(sqlite3_prepare_v2(plain, count, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int base = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(plain);
    assert_int_equal(sqlite3_prepare_v2(qft_db, count, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0) - base, 82);
    sqlite3_finalize(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_extract_scalar), cmocka_unit_test(test_json_path_errors),
        cmocka_unit_test(test_json_extract),        cmocka_unit_test(test_json_array_functions),
        cmocka_unit_test(test_json_format_parse),   cmocka_unit_test(test_rp_field),
        cmocka_unit_test(test_json_doc_cache),      cmocka_unit_test(test_rp_decompress),
        cmocka_unit_test(test_registry_groups),
    };
    return cmocka_run_group_tests_name("query_func_json", tests, qft_setup, qft_teardown);
}
