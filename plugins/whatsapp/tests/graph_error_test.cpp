#include "test_support.hpp"

#include "graph_error.hpp"

#include <gtest/gtest.h>

using namespace parley::whatsapp;

namespace {

GraphError code(int http, long c) { return {http, c, "m", ""}; }

}  // namespace

TEST(GraphError, RetryClassification) {
    struct Row {
        int http;
        long code;
        bool retry;
    };
    const Row table[] = {
        {0, 0, true},         // no answer: connection refused, timeout
        {500, 0, true},       {502, 0, true},         {503, 0, true}, {429, 0, true},
        {400, 130429, true},  {400, 131000, true},    {500, 131000, true},
        {503, 131016, true},  {400, 131056, true},
        {400, 100, false},    {400, 131008, false},   {400, 131009, false},
        {400, 131026, false}, {401, 190, false},      {400, 131047, false},
        {500, 131026, false},  // a request error stays one whatever the HTTP status
        {400, 0, false},      {404, 0, false},        {403, 200, false},
        {500, 1, true},        // an unknown code with a 5xx is Meta's trouble
    };
    for (auto& r : table) EXPECT_EQ(retryable(code(r.http, r.code)), r.retry) << r.http << " " << r.code;
}

TEST(GraphError, ReadsMetasErrorBodiesAndDescribesThem) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads at " << wa_test::reference_dir();
    auto e = parse_graph_error(400, wa_test::reference("12_send_error_131047_400.json"));
    EXPECT_EQ(e.code, 131047);
    EXPECT_FALSE(retryable(e));
    EXPECT_NE(describe(e).find("131047: more than 24 hours"), std::string::npos) << describe(e);
    auto token = parse_graph_error(401, wa_test::reference("13_send_error_190_token_expired.json"));
    EXPECT_EQ(token.code, 190);
    EXPECT_FALSE(retryable(token));
    EXPECT_NE(describe(token).find("190: the access token"), std::string::npos);
}

TEST(GraphError, DescribesAnswersWithoutAnErrorBody) {
    EXPECT_EQ(describe(parse_graph_error(0, "")), "no answer from the WhatsApp Cloud API");
    EXPECT_EQ(describe(parse_graph_error(502, "<html>")), "the WhatsApp Cloud API answered HTTP 502");
    EXPECT_EQ(describe(parse_graph_error(400, R"({"error":{"code":999,"message":"Odd"}})")), "999: Odd");
}
