#include <parley/core/password.hpp>

#include <gtest/gtest.h>

#include <string>

using parley::auth::hash_password;
using parley::auth::verify_password;

TEST(Password, HashThenVerify) {
    const std::string hash = hash_password("correct horse");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_EQ(hash.find('\n'), std::string::npos);
    EXPECT_TRUE(verify_password(hash, "correct horse"));
}

TEST(Password, WrongPasswordIsFalse) {
    const std::string hash = hash_password("correct horse");
    EXPECT_FALSE(verify_password(hash, "correct horsf"));
    EXPECT_FALSE(verify_password(hash, ""));
}

TEST(Password, SaltedSoTwoHashesDiffer) {
    EXPECT_NE(hash_password("same"), hash_password("same"));
}

TEST(Password, GarbageHashIsFalse) {
    EXPECT_FALSE(verify_password("", "x"));
    EXPECT_FALSE(verify_password("not a hash", "x"));
    EXPECT_FALSE(verify_password("$argon2id$v=19$m=65536,t=2,p=1$garbage", "x"));
    EXPECT_FALSE(verify_password(std::string(300, '$'), "x"));
    // argon2i is a valid libsodium string, but not the argon2id the config requires.
    EXPECT_FALSE(verify_password("$argon2i$v=19$m=32768,t=4,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                 "x"));
}

TEST(Password, EmbeddedNulAndLongPasswords) {
    const std::string with_nul("a\0b", 3);
    const std::string hash = hash_password(with_nul);
    EXPECT_TRUE(verify_password(hash, with_nul));
    EXPECT_FALSE(verify_password(hash, "a"));
    const std::string long_password(4096, 'p');
    EXPECT_TRUE(verify_password(hash_password(long_password), long_password));
}
