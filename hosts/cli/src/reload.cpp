// parley reload: validate the config here, then ask the running server to reload it.
#include "common.hpp"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <iostream>
#include <memory>

namespace parley::cli {

namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

}  // namespace

int reload(const CommonOptions& options, const std::string& url_override) {
    auto parsed = load_config(options);
    if (!parsed.ok()) {
        print_diagnostics(parsed.errors);
        return exit_config;
    }
    auto& s = parsed.document.server;
    std::string host = s.listen == "0.0.0.0" ? "127.0.0.1" : s.listen == "::" ? "[::1]" : s.listen;
    auto url = url_override.empty() ? "http://" + host + ":" + std::to_string(s.port) : url_override;
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    std::string body;
    curl_easy_setopt(curl.get(), CURLOPT_URL, (url + "/admin/reload").c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    if (auto rc = curl_easy_perform(curl.get()); rc != CURLE_OK) {
        std::cerr << "parley: no server answered at " << url << ": " << curl_easy_strerror(rc) << "\n";
        return exit_internal;
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status == 200) {
        std::cout << "reloaded\n";
        return exit_ok;
    }
    boost::system::error_code ec;
    auto answer = boost::json::parse(body, ec);
    if (!ec && answer.is_object() && answer.as_object().contains("errors")) {
        for (auto& e : answer.at("errors").as_array()) std::cerr << e.as_string().c_str() << "\n";
        std::cerr << "the server kept its running configuration\n";
        return exit_config;
    }
    std::cerr << "parley: the server answered " << status << ": " << body << "\n";
    return exit_internal;
}

}  // namespace parley::cli
