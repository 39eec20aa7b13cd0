/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/dataid/dataid_validate_cred.c: the credential validators
 * (aws_access_key_id, aws_secret_key, basic_auth, jwt, pem_private_key), reached through the
 * registry by name. Each case is a hand-made value: a well-formed one, then one way to
 * fail. AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY are AWS's
 * documentation examples; every other value is made up here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dataid/dataid.h"

struct vcase {
    const char *text;
    bool want;
};

static void check(const char *name, const struct vcase *c, size_t n)
{
    const struct rp_dataid_validator *v = rp_dataid_validator_find(name);
    assert_non_null(v);
    assert_string_equal(v->name, name);
    assert_non_null(v->summary);
    for (size_t i = 0; i < n; i++) {
        bool got = v->validate(c[i].text, strlen(c[i].text));
        if (got != c[i].want)
            fail_msg("%s(\"%s\") gave %d, want %d", name, c[i].text, got, c[i].want);
    }
}

#define CHECK(name, cases) check(name, cases, sizeof cases / sizeof cases[0])

static void test_aws_access_key_id(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"AKIAIOSFODNN7EXAMPLE", true},   {"ASIAY34FZKBOKMUTVV7A", true},
        {"ABIAY34FZKBOKMUTVV7A", true},   {"ACCAY34FZKBOKMUTVV7A", true},
        {"AIDAIOSFODNN7EXAMPLE", false},  /* IAM user id */
        {"AROAIOSFODNN7EXAMPLE", false},  /* role id */
        {"AKIAIOSFODNN7EXAMPL", false},   /* 19 characters */
        {"AKIAIOSFODNN7EXAMPLEX", false}, /* 21 characters */
        {"AKIAiosfodnn7example", false},  /* lower case */
        {"AKIAIOSFODNN7EXAMP/E", false},
    };
    CHECK("aws_access_key_id", c);
}

static void test_aws_secret_key(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true},
        {"eHMsvKYEIlu7euAf+tdg5J8ee8EvXGtJ0r6EKnIm", true},
        {"da39a3ee5e6b4b0d3255bfef95601890afd80709", false}, /* hex: no upper case */
        {"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", false}, /* no lower case */
        {"wJalrXUtnFEMIaK/MDENGabPxRfiCYEXAMPLEKEY", false}, /* no digit */
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAa1", false}, /* 3 distinct characters */
        {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", false},  /* 39 characters */
        {"wJalrXUtnFEMI-K7MDENG_bPxRfiCYEXAMPLEKEY", false}, /* base64url characters */
    };
    CHECK("aws_secret_key", c);
}

static void test_basic_auth(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"Authorization: Basic dXNlcjpwYXNz", true}, /* user:pass */
        {"authorization:basic\tdXNlcjpwYXNz", true},
        {"Authorization: Basic am9zw6k6Y29udHJhc2XDsWE=", true}, /* UTF-8 user and password */
        {"Authorization: Basic Og==", false},                    /* ":" alone: too short */
        {"Authorization: Basic bm9jb2xvbg==", false},            /* no ':' */
        {"Authorization: Basic dXMBOnB3", false},                /* control byte */
        {"Authorization: Basic dXNlcjpwYXNzZ", false},           /* 4n+1 characters */
        {"Authorization: Basic dXNlc*pwYXNz", false},            /* not base64 */
        {"Authorization: Basic ", false},                        /* nothing */
        {"dXNlcjpwYXNz", false},                                 /* no header */
    };
    CHECK("basic_auth", c);
}

static void test_jwt(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ"
         ".c2lnbmF0dXJl",
         true},
        {"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.", true},
        {"IHsgImFsZyIgOiAiUlMyNTYiIH0g.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2ln",
         true}, /* white space around the header object */
        {"eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2ln",
         false}, /* no "alg" */
        {"WyJhbGciXQ.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2ln",
         false},                                                           /* header is an array */
        {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.InBheWxvYWQi.c2ln", false}, /* payload a string */
        {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ",
         false}, /* two segments */
        {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9=.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ"
         ".c2ln",
         true}, /* padding tolerated */
        {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ"
         ".c2ln",
         false}, /* header cut: no closing brace */
        {"eyJhbGciOi+JIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNzAwMDAwMDAwfQ"
         ".c2ln",
         false}, /* '+' is not base64url */
        {"", false},
    };
    CHECK("jwt", c);
}

static void test_pem_private_key(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"-----BEGIN PRIVATE KEY-----\nMIIE", true},
        {"-----BEGIN PRIVATE KEY-----\r\nMIIE", true},
        {"-----BEGIN PRIVATE KEY-----\\nMC4C", true}, /* escaped, as in JSON */
        {"-----BEGIN PRIVATE KEY-----\\r\\nMC4C", true},
        {"-----BEGIN PRIVATE KEY-----  \nMIIE", true}, /* trailing blanks */
        {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF", true},
        {"-----BEGIN RSA PRIVATE KEY-----\nMIIE", true},
        {"-----BEGIN EC PRIVATE KEY-----\nMHcC", true}, /* short-form length 0x77 */
        {"-----BEGIN DSA PRIVATE KEY-----\nMIIB", true},
        {"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED", true},
        {"-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED", false}, /* PKCS#8 */
        {"-----BEGIN PRIVATE KEY-----\nMAAA", false},                   /* length 0 */
        {"-----BEGIN PRIVATE KEY-----\nMIQA", false},                   /* four length bytes */
        {"-----BEGIN PRIVATE KEY-----\nMIAA", false},                   /* indefinite length */
        {"-----BEGIN PRIVATE KEY-----\nAIIE", false},                   /* not a SEQUENCE */
        {"-----BEGIN PUBLIC KEY-----\nMIIB", false},                    /* public key */
        {"-----BEGIN PRIVATE KEY-----MIIE", false},                     /* no line break */
        {"-----BEGIN PRIVATE KEY-----\nMII", false},                    /* short body */
        {"-----BEGIN PRIVATE KEY-----\nMIIEv", false},                  /* long body */
    };
    CHECK("pem_private_key", c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_access_key_id), cmocka_unit_test(test_aws_secret_key),
        cmocka_unit_test(test_basic_auth),        cmocka_unit_test(test_jwt),
        cmocka_unit_test(test_pem_private_key),
    };
    return cmocka_run_group_tests_name("dataid_validate_cred", tests, NULL, NULL);
}
