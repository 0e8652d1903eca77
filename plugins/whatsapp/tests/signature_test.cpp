#include "test_support.hpp"

#include "signature.hpp"

#include <gtest/gtest.h>

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

// The keyed context each thread keeps is keyed again when the secret changes (a reload),
// and keys of every length are right: RFC 4231 test cases 1, 2 and 6, in turns.
TEST(Signature, RekeysWhenTheSecretChanges) {
    const std::string key1(20, '\x0b'), key6(131, '\xaa');
    for (int round = 0; round < 2; ++round) {
        EXPECT_EQ(hmac_sha256_hex(key1, "Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
                  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        EXPECT_EQ(hmac_sha256_hex(key6, "Test Using Larger Than Block-Size Key - Hash Key First"),
                  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }
    // The same secret twice in a row: the second body is not hashed after the first.
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
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
