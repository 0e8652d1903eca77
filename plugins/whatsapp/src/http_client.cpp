#include "http_client.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <mutex>

namespace parley::whatsapp {

namespace {

constexpr long kConnectTimeoutMs = 5'000;
constexpr long kRequestTimeoutMs = 30'000;
constexpr long kDownloadTimeoutMs = 120'000;

struct Sink {
    std::string* memory = nullptr;
    std::FILE* file = nullptr;
    std::size_t written = 0;
    std::size_t max = 0;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    size_t n = size * count;
    sink->written += n;
    if (sink->max && sink->written > sink->max) return 0;  // makes curl fail the transfer
    if (sink->file) return std::fwrite(data, 1, n, sink->file);
    sink->memory->append(data, n);
    return n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

}  // namespace

void init_http() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct HttpClient::Impl {
    CURL* curl = nullptr;
    const std::atomic<bool>* cancel = nullptr;

    HttpResult perform(const std::string& url, const std::string& bearer, const std::string* post_body, Sink& sink,
                       long timeout_ms);
};

HttpClient::HttpClient(const std::atomic<bool>* cancel) : impl_(std::make_unique<Impl>()) {
    init_http();
    impl_->curl = curl_easy_init();
    impl_->cancel = cancel;
}

HttpClient::~HttpClient() {
    if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

HttpResult HttpClient::Impl::perform(const std::string& url, const std::string& bearer, const std::string* post_body,
                                     Sink& sink, long timeout_ms) {
    HttpResult result;
    if (!curl) return {0, {}, {}, "libcurl could not start", false};
    curl_easy_reset(curl);
    curl_slist* headers = nullptr;
    auto auth = "Authorization: Bearer " + bearer;
    headers = curl_slist_append(headers, auth.c_str());
    if (post_body) headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, cancel);
    if (post_body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
    }
    auto code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
        result.error = curl_easy_strerror(code);
        return result;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type) result.content_type = type;
    return result;
}

HttpResult HttpClient::post_json(const std::string& url, const std::string& bearer, const std::string& body) {
    std::string out;
    Sink sink{&out, nullptr, 0, 0};
    auto r = impl_->perform(url, bearer, &body, sink, kRequestTimeoutMs);
    r.body = std::move(out);
    return r;
}

HttpResult HttpClient::get(const std::string& url, const std::string& bearer) {
    std::string out;
    Sink sink{&out, nullptr, 0, 0};
    auto r = impl_->perform(url, bearer, nullptr, sink, kRequestTimeoutMs);
    r.body = std::move(out);
    return r;
}

HttpResult HttpClient::download(const std::string& url, const std::string& bearer, const std::string& path,
                                std::size_t max_bytes) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return {0, {}, {}, "cannot write the media file", false};
    Sink sink{nullptr, file, 0, max_bytes};
    auto r = impl_->perform(url, bearer, nullptr, sink, kDownloadTimeoutMs);
    std::fclose(file);
    r.too_large = sink.written > max_bytes;
    if (r.status != 0 && (r.status < 200 || r.status > 299)) {
        std::FILE* in = std::fopen(path.c_str(), "rb");
        char buf[4096];
        size_t n = in ? std::fread(buf, 1, sizeof buf, in) : 0;
        if (in) std::fclose(in);
        r.body.assign(buf, n);
    }
    return r;
}

}  // namespace parley::whatsapp
