// The channel's settings: the validated config plus the secrets read from the
// environment (or the sandbox's when no app secret is set).
#pragma once

#include <parley/plugin.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parley::whatsapp {

struct Template {
    std::string name;
    std::string language;
};

struct Settings {
    std::string graph_base_url;
    std::string api_version;
    std::string app_secret;
    std::string verify_token;
    std::string access_token;
    std::string access_token_env;  // named in warnings; the token itself never is
    bool sandbox = false;
    std::map<std::string, std::string> numbers;  // phone_number_id -> "+E164"
    std::size_t body_limit = 262144;
    int send_rate_per_number = 80;
    std::chrono::milliseconds recipient_min_interval{1000};
    int max_retries = 5;
    std::chrono::milliseconds retry_base{500};
    std::vector<Template> templates;
    std::string media_dir;
    std::chrono::hours window{24};

    // "" when the number is not configured.
    std::string number_of(const std::string& phone_number_id) const;
    std::string phone_number_id_of(const std::string& e164) const;
    const Template* find_template(const std::string& name, const std::string& language) const;
};

inline constexpr const char* kSandboxAppSecret = "sandbox-app-secret";
inline constexpr const char* kSandboxVerifyToken = "sandbox-verify-token";
inline constexpr const char* kSandboxAccessToken = "sandbox-access-token";
inline constexpr const char* kSandboxNumber = "100000000000001=+15550000000";

// Throws std::invalid_argument with a sentence naming the key on a bad value.
Settings read_settings(const parley::Config& config);

// "106540352242922=+15550001111" -> {id, "+15550001111"}; throws on another shape.
std::pair<std::string, std::string> parse_number(const std::string& entry);
// "hello_world:en_US" -> {name, language}; throws on another shape.
Template parse_template(const std::string& entry);

}  // namespace parley::whatsapp
