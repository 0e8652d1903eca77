#include "ids.hpp"

#include "crypto.hpp"

#include <random>

namespace parley::whatsapp::standin {

namespace {

std::mt19937_64& generator() {
    thread_local std::mt19937_64 g{std::random_device{}()};
    return g;
}

std::string pick(std::string_view alphabet, std::size_t n) {
    std::uniform_int_distribution<std::size_t> index(0, alphabet.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += alphabet[index(generator())];
    return out;
}

}  // namespace

std::string new_wamid(std::string_view wa_id) {
    using namespace std::string_literals;
    std::string raw = "\x1c\x18"s + static_cast<char>(wa_id.size()) + std::string(wa_id) + "\x15\x02\x00\x12\x18\x14"s +
                      pick("0123456789ABCDEF", 20) + "\x00"s;
    return "wamid." + base64(raw);
}

std::string new_media_id() { return pick("123456789", 1) + pick("0123456789", 15); }

std::string new_fbtrace_id() {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 23);
}

std::string new_challenge() { return pick("123456789", 1) + pick("0123456789", 9); }

std::string new_conversation_id() { return pick("0123456789abcdef", 32); }

}  // namespace parley::whatsapp::standin
