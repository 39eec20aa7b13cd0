/* SPDX-License-Identifier: Apache-2.0 */
/* bench_json_raw: the reference for bench/json.sh. Raw simdjson, no Rampart code: load a
 * CloudTrail file, parse it, walk Records[] and read every eventName, then print
 * "<records> <fnv1a-64 of the names>" so the script can check that every program saw the same
 * thing.
 *
 *     bench_json_raw [--ondemand] FILE
 *
 * The default is the DOM API, which is what rp_json wraps (the ratio that matters); --ondemand
 * uses the On-Demand API, the fastest simdjson can go, as an extra reference line. */
#include <simdjson.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

struct tally {
    uint64_t count = 0;
    uint64_t hash = 14695981039346656037ull; /* FNV-1a 64 over each name and a '\n' */
    void add(std::string_view s)
    {
        for (unsigned char c : s) hash = (hash ^ c) * 1099511628211ull;
        hash = (hash ^ '\n') * 1099511628211ull;
        count++;
    }
};

int fail(const char *what, simdjson::error_code e)
{
    std::fprintf(stderr, "bench_json_raw: %s: %s\n", what, simdjson::error_message(e));
    return 1;
}

int run_dom(const simdjson::padded_string &json, tally &t)
{
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::dom::array records;
    auto e = parser.parse(json).get(doc);
    if (e) return fail("parse", e);
    if ((e = doc["Records"].get_array().get(records))) return fail("Records", e);
    for (simdjson::dom::element rec : records) {
        std::string_view name;
        if (rec["eventName"].get_string().get(name) == simdjson::SUCCESS) t.add(name);
    }
    return 0;
}

int run_ondemand(const simdjson::padded_string &json, tally &t)
{
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::array records;
    auto e = parser.iterate(json).get(doc);
    if (e) return fail("parse", e);
    if ((e = doc["Records"].get_array().get(records))) return fail("Records", e);
    for (auto rec : records) {
        simdjson::ondemand::object obj;
        std::string_view name;
        if ((e = rec.get_object().get(obj))) return fail("record", e);
        if (obj["eventName"].get_string().get(name) == simdjson::SUCCESS) t.add(name);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    bool ondemand = argc == 3 && std::strcmp(argv[1], "--ondemand") == 0;
    if (argc != 2 && !ondemand) {
        std::fprintf(stderr, "usage: bench_json_raw [--ondemand] FILE\n");
        return 2;
    }
    simdjson::padded_string json;
    auto e = simdjson::padded_string::load(argv[argc - 1]).get(json);
    if (e) return fail(argv[argc - 1], e);
    tally t;
    int rc = ondemand ? run_ondemand(json, t) : run_dom(json, t);
    if (rc) return rc;
    std::printf("%" PRIu64 " %016" PRIx64 "\n", t.count, t.hash);
    return 0;
}
