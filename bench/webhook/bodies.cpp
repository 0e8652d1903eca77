#include "bodies.hpp"

#include "standin/crypto.hpp"
#include "standin/ids.hpp"
#include "standin/webhook_body.hpp"

#include <chrono>

namespace bench {

namespace standin = parley::whatsapp::standin;

namespace {

std::string post(const std::string& path, const std::string& body, const std::string& signature) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: facebookexternalua\r\n" +
           "Content-Type: application/json\r\nX-Hub-Signature-256: " + signature +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string now_seconds() {
    using namespace std::chrono;
    return std::to_string(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

std::vector<std::string> webhook_requests(std::size_t n, const Business& business, const std::string& app_secret,
                                          std::size_t first_customer) {
    standin::Business b{"102290129340398", business.number.substr(1), business.phone_number_id};
    std::vector<std::string> out;
    out.reserve(n);
    std::string ts = now_seconds();
    for (std::size_t i = 0; i < n; ++i) {
        std::string from = std::to_string(16'500'000'000ULL + first_customer + i);  // +1 650 ...: one customer each
        standin::InboundMessage m{standin::new_wamid(from), from, "Customer " + std::to_string(first_customer + i), ts,
                                  "text", {{"body", "Does it come in another color?"}}, std::nullopt};
        std::string body = standin::webhook_message_body(b, m);
        out.push_back(post("/webhooks/whatsapp", body, standin::signature_header(app_secret, body)));
    }
    return out;
}

std::string get_request(const std::string& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

}  // namespace bench
