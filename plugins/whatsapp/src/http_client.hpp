// Blocking HTTP calls with libcurl, for the channel's own worker threads only (never
// the core thread). One client per thread: it keeps its connections open.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace parley::whatsapp {

struct HttpResult {
    int status = 0;         // 0: no HTTP answer (see error)
    std::string body;
    std::string content_type;
    std::string error;      // the transport error, when status is 0
    bool too_large = false;  // a download stopped at its size limit
};

class HttpClient {
public:
    // Calls stop early (as a transport error) once `*cancel` is true.
    explicit HttpClient(const std::atomic<bool>* cancel);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResult post_json(const std::string& url, const std::string& bearer, const std::string& body);
    HttpResult get(const std::string& url, const std::string& bearer);
    // Streams the body into `path`; a body over `max_bytes` fails. The body of a
    // non-2xx answer is returned in the result instead.
    HttpResult download(const std::string& url, const std::string& bearer, const std::string& path,
                        std::size_t max_bytes);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Once per process, before any client; safe to call again.
void init_http();

}  // namespace parley::whatsapp
