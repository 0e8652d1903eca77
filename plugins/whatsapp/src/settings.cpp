#include "settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace parley::whatsapp {

namespace {

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool name_chars(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// "v21.0": a 'v', digits, and optionally a dot and digits.
bool version_like(std::string_view s) {
    if (s.size() < 2 || s[0] != 'v') return false;
    auto dot = s.find('.');
    if (dot == std::string_view::npos) return digits(s.substr(1));
    return digits(s.substr(1, dot - 1)) && digits(s.substr(dot + 1));
}

std::string env(const std::string& name) {
    const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
    return v ? v : "";
}

int in_range(const parley::Config& config, const char* key, std::int64_t low, std::int64_t high) {
    auto v = config.integer(key);
    if (v < low || v > high)
        throw std::invalid_argument(std::string("plugins.whatsapp.") + key + ": must be between " +
                                    std::to_string(low) + " and " + std::to_string(high) + ", got " +
                                    std::to_string(v));
    return static_cast<int>(v);
}

void read_secrets(const parley::Config& config, Settings& s) {
    s.access_token_env = config.string("access_token_env");
    s.app_secret = env(config.string("app_secret_env"));
    s.sandbox = s.app_secret.empty();
    if (s.sandbox) {
        s.app_secret = kSandboxAppSecret;
        s.verify_token = kSandboxVerifyToken;
        s.access_token = kSandboxAccessToken;
        return;
    }
    s.verify_token = env(config.string("verify_token_env"));
    s.access_token = env(s.access_token_env);
}

void read_numbers(const parley::Config& config, Settings& s) {
    auto entries = config.strings("phone_numbers");
    if (entries.empty() && s.sandbox) entries.push_back(kSandboxNumber);
    for (auto& e : entries) {
        auto [id, number] = parse_number(e);
        if (!s.numbers.emplace(id, number).second)
            throw std::invalid_argument("plugins.whatsapp.phone_numbers: phone_number_id " + id + " is listed twice");
        if (std::count_if(s.numbers.begin(), s.numbers.end(), [&](auto& n) { return n.second == number; }) > 1)
            throw std::invalid_argument("plugins.whatsapp.phone_numbers: " + number + " is listed twice");
    }
}

}  // namespace

std::pair<std::string, std::string> parse_number(const std::string& entry) {
    auto eq = entry.find('=');
    auto id = entry.substr(0, eq);
    auto number = eq == std::string::npos ? std::string() : entry.substr(eq + 1);
    if (!digits(id) || number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0' ||
        !digits(std::string_view(number).substr(1)))
        throw std::invalid_argument("plugins.whatsapp.phone_numbers: '" + entry +
                                    "' is not \"phone_number_id=+E164\", e.g. \"106540352242922=+15550001111\"");
    return {id, number};
}

Template parse_template(const std::string& entry) {
    auto colon = entry.find(':');
    Template t{entry.substr(0, colon), colon == std::string::npos ? std::string() : entry.substr(colon + 1)};
    if (!name_chars(t.name) || !name_chars(t.language))
        throw std::invalid_argument("plugins.whatsapp.templates: '" + entry +
                                    "' is not \"name:language\", e.g. \"hello_world:en_US\"");
    return t;
}

Settings read_settings(const parley::Config& config) {
    Settings s;
    s.graph_base_url = config.string("graph_base_url");
    while (!s.graph_base_url.empty() && s.graph_base_url.back() == '/') s.graph_base_url.pop_back();
    if (s.graph_base_url.rfind("http://", 0) != 0 && s.graph_base_url.rfind("https://", 0) != 0)
        throw std::invalid_argument("plugins.whatsapp.graph_base_url: must start with http:// or https://");
    s.api_version = config.string("api_version");
    if (!version_like(s.api_version))
        throw std::invalid_argument("plugins.whatsapp.api_version: expected a version such as \"v21.0\"");
    read_secrets(config, s);
    read_numbers(config, s);
    s.body_limit = static_cast<std::size_t>(in_range(config, "body_limit", 1, 1 << 30));
    s.send_rate_per_number = in_range(config, "send_rate_per_number", 1, 1000);
    s.recipient_min_interval = std::chrono::milliseconds(in_range(config, "recipient_min_interval_ms", 0, 3'600'000));
    s.max_retries = in_range(config, "max_retries", 0, 20);
    s.retry_base = std::chrono::milliseconds(in_range(config, "retry_base_ms", 1, 600'000));
    for (auto& t : config.strings("templates")) s.templates.push_back(parse_template(t));
    s.media_dir = config.string("media_dir");
    if (s.media_dir.empty()) throw std::invalid_argument("plugins.whatsapp.media_dir: must not be empty");
    s.window = std::chrono::hours(in_range(config, "window_hours", 1, 168));
    return s;
}

std::string Settings::number_of(const std::string& phone_number_id) const {
    auto it = numbers.find(phone_number_id);
    return it == numbers.end() ? std::string() : it->second;
}

std::string Settings::phone_number_id_of(const std::string& e164) const {
    for (auto& [id, number] : numbers)
        if (number == e164) return id;
    return {};
}

const Template* Settings::find_template(const std::string& name, const std::string& language) const {
    for (auto& t : templates)
        if (t.name == name && (language.empty() || t.language == language)) return &t;
    return nullptr;
}

}  // namespace parley::whatsapp
