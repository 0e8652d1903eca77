#include "curl_transport.hpp"

#include <curl/curl.h>

#include <memory>

namespace parley::whatsapp::standin {

namespace {

constexpr long kConnectTimeoutMs = 2'000;
constexpr long kTimeoutMs = 10'000;

size_t append(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Headers header_list(const OutgoingRequest& request) {
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    for (const auto& [name, value] : request.headers) list = curl_slist_append(list, (name + ": " + value).c_str());
    return Headers(list, &curl_slist_free_all);
}

void configure(CURL* curl, const OutgoingRequest& request, curl_slist* headers, std::string* body,
               const std::atomic<bool>* stopping) {
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    if (request.method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stopping));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "facebookexternalua");
}

}  // namespace

void init_curl() {
    static const CURLcode once = curl_global_init(CURL_GLOBAL_DEFAULT);
    (void)once;
}

HttpAnswer curl_send(const OutgoingRequest& request, const std::atomic<bool>& stopping) {
    Easy curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return {0, "", "curl_easy_init failed"};
    Headers headers = header_list(request);
    HttpAnswer answer;
    configure(curl.get(), request, headers.get(), &answer.body, &stopping);
    CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) return {0, "", curl_easy_strerror(rc)};
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    return answer;
}

}  // namespace parley::whatsapp::standin
