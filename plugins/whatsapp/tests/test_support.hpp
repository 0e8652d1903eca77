// Shared by the WhatsApp tests: the reference payloads, signing, a probe plugin that
// hands the tests a real parley::Host of the fake host, and answers to async routes
// that outlive the call (the fake host's own request() only sees answers given
// during the call).
#pragma once

#include "config_schema.hpp"
#include "settings.hpp"
#include "signature.hpp"

#include <parley/plugin.hpp>
#include <parley/testing/fake_host.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace wa_test {

inline constexpr const char* kSecret = "test_app_secret";
inline constexpr const char* kVerifyToken = "test-verify-token";
inline constexpr const char* kAccessToken = "test-access-token";
inline constexpr const char* kNumberEntry = "106540352242922=+15550783881";

inline std::string reference_dir() { return WHATSAPP_REFERENCE_DIR; }
inline bool have_references() { return std::filesystem::is_directory(reference_dir()); }

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string reference(const std::string& name) { return read_file(std::filesystem::path(reference_dir()) / name); }

inline std::vector<std::string> reference_files() {
    std::vector<std::string> out;
    for (auto& e : std::filesystem::directory_iterator(reference_dir()))
        if (e.path().extension() == ".json") out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string sign(std::string_view body, std::string_view secret = kSecret) {
    return "sha256=" + parley::whatsapp::hmac_sha256_hex(secret, body);
}

// The channel's credentials, as an operator puts them in the environment.
inline void set_credentials() {
    ::setenv("WHATSAPP_APP_SECRET", kSecret, 1);
    ::setenv("WHATSAPP_VERIFY_TOKEN", kVerifyToken, 1);
    ::setenv("WHATSAPP_ACCESS_TOKEN", kAccessToken, 1);
}

inline std::string temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wa-test-XXXXXX").string();
    return ::mkdtemp(pattern.data());
}

// Runs what threads posted until `done()` or the time is up.
inline bool drain(parley::testing::FakeHost& host, const std::function<bool()>& done,
                  std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        host.run_posted();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    host.run_posted();
    return done();
}

// A plugin that only keeps its Host and the channel's settings, so tests can build
// the channel's parts on a real parley::Host.
struct Probe {
    static inline Probe* last = nullptr;
    parley::Host& host;
    parley::whatsapp::Settings settings;
    Probe(parley::Host& h, const parley::Config& c) : host(h), settings(parley::whatsapp::read_settings(c)) {
        last = this;
    }
};

inline const parley_plugin_descriptor* probe_descriptor() {
    static const auto d = parley::make_descriptor<Probe>("probe", "1.0.0", PARLEY_KIND_FEATURE, "probe", nullptr,
                                                         parley::whatsapp::kConfigSchema,
                                                         std::size(parley::whatsapp::kConfigSchema));
    return &d;
}

// An HTTP answer the test owns, so it can be given after the handler returned.
class AsyncAnswer {
public:
    explicit AsyncAnswer(parley::Host& host)
        : api_(host.api()), host_(host.handle()), response_{sizeof(parley_http_response), 0, api_->buffer_create(),
                                                           api_->buffer_create(), api_->buffer_create()} {}
    ~AsyncAnswer() {
        api_->buffer_destroy(response_.content_type);
        api_->buffer_destroy(response_.body);
        api_->buffer_destroy(response_.file);
    }
    std::shared_ptr<parley::Responder> responder() {
        return std::make_shared<parley::Responder>(api_, host_, &response_);
    }
    int status() const { return response_.status; }  // 0: not answered yet
    std::string body() const {
        auto v = api_->buffer_view(response_.body);
        return std::string(v.data, v.size);
    }

private:
    const parley_host_api* api_;
    parley_host* host_;
    parley_http_response response_;
};

// A POST to /webhooks/whatsapp as parley::HttpRequest; the strings live in here.
struct Post {
    std::string body;
    std::string signature;
    std::vector<parley_http_header> headers;
    explicit Post(std::string b, std::optional<std::string> sig = std::nullopt)
        : body(std::move(b)), signature(sig ? *sig : sign(body)) {
        static const std::string name = "X-Hub-Signature-256";
        headers.push_back({{name.data(), name.size()}, {signature.data(), signature.size()}});
    }
    parley::HttpRequest request() const {
        return {"POST", "/webhooks/whatsapp", "/webhooks/whatsapp", "", body, headers.data(), headers.size()};
    }
};

}  // namespace wa_test
