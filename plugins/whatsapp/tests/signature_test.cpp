#include "test_support.hpp"

#include "signature.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace parley::whatsapp;

TEST(Signature, MatchesThePublishedVectorOverTheExactBytes) {
    if (!wa_test::have_references()) GTEST_SKIP() << "no reference payloads at " << wa_test::reference_dir();
    auto body = wa_test::reference("01_inbound_text_message.json");
    EXPECT_EQ(hmac_sha256_hex("test_app_secret", body),
              "1c041e1c07f50386213ac582d2e17d24d70f1ed42949a6e5a5607057b805b5fc");
    EXPECT_TRUE(signature_matches(
        "test_app_secret", body, "sha256=1c041e1c07f50386213ac582d2e17d24d70f1ed42949a6e5a5607057b805b5fc"));
    // One byte more (a re-serialised body would differ far more) no longer matches.
    EXPECT_FALSE(signature_matches(
        "test_app_secret", body + "\n", "sha256=1c041e1c07f50386213ac582d2e17d24d70f1ed42949a6e5a5607057b805b5fc"));
}

// The webhook's Signer keeps keyed contexts between requests: the same answers as the
// one-shot check, for its own secret only, from several threads at once.
TEST(Signature, SignerAgreesWithTheOneShotCheckAcrossThreads) {
    Signer signer(wa_test::kSecret);
    Signer other("another secret");
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::string body = R"({"object":"whatsapp_business_account","n":)" + std::to_string(t * 1000 + i) + "}";
                auto good = wa_test::sign(body);
                if (!signer.matches(body, good) || other.matches(body, good)) ++wrong;
                if (signer.matches(body + " ", good) || signer.matches(body, std::nullopt)) ++wrong;
                if (signer.matches(body, good.substr(0, good.size() - 1) + (good.back() == '0' ? "1" : "0"))) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wrong, 0);
    // RFC 4231 test case 6: a key longer than SHA-256's block.
    const std::string long_key(131, '\xaa');
    const std::string data = "Test Using Larger Than Block-Size Key - Hash Key First";
    EXPECT_TRUE(Signer(long_key).matches(data, "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
}

TEST(Signature, RefusesMissingMalformedAndWrongHeaders) {
    std::string body = R"({"object":"whatsapp_business_account","entry":[]})";
    auto good = wa_test::sign(body);
    EXPECT_TRUE(signature_matches(wa_test::kSecret, body, good));
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, std::nullopt));
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, ""));
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, good.substr(7)));                // no "sha256="
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, "sha1=" + good.substr(7)));      // another algorithm
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, good.substr(0, good.size() - 2)));  // short
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, good + "00"));                   // long
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, wa_test::sign(body, "another secret")));
    auto not_hex = good;
    not_hex.back() = 'g';
    EXPECT_FALSE(signature_matches(wa_test::kSecret, body, not_hex));
    auto upper = good;
    for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
    EXPECT_TRUE(signature_matches(wa_test::kSecret, body, upper));  // hex is hex in either case
}

TEST(Signature, SecretsCompareWholeValues) {
    EXPECT_TRUE(secrets_equal("token", "token"));
    EXPECT_FALSE(secrets_equal("token", "token2"));
    EXPECT_FALSE(secrets_equal("token", "toke"));
    EXPECT_FALSE(secrets_equal("token", ""));
}
