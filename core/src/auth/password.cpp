#include <parley/core/password.hpp>

#include <sodium.h>

#include <stdexcept>

namespace parley::auth {
namespace {

// sodium_init is thread-safe and idempotent; this runs it once per process.
bool sodium_ready() noexcept {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

}  // namespace

std::string hash_password(std::string_view password) {
    if (!sodium_ready()) throw std::runtime_error("libsodium could not be initialised");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing failed (out of memory?)");
    return hash;
}

bool verify_password(const std::string& hash, std::string_view password) noexcept {
    // A valid string is shorter than crypto_pwhash_STRBYTES, NUL included.
    if (!sodium_ready() || hash.size() >= crypto_pwhash_STRBYTES || hash.rfind("$argon2id$", 0) != 0)
        return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace parley::auth
