// Agent passwords: libsodium argon2id strings ("$argon2id$v=19$m=65536,t=2,p=1$..."),
// made by `parley passwd` and checked by the server at login.
#pragma once

#include <string>
#include <string_view>

namespace parley::auth {

// A new salted argon2id hash of `password` (interactive limits), one printable line.
// Throws std::runtime_error if libsodium cannot start or runs out of memory.
std::string hash_password(std::string_view password);

// True when `hash` is a valid argon2id string made from `password`; false for a wrong
// password, a malformed hash, or any libsodium failure.
bool verify_password(const std::string& hash, std::string_view password) noexcept;

}  // namespace parley::auth
