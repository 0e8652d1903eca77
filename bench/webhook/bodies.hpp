// The requests of the bench, serialized once before the clock starts: signed webhooks
// (one customer message each, every one from its own customer, every wamid unique) and
// the ceiling's GET /healthz.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bench {

struct Business {
    std::string phone_number_id;  // "106540352242922"
    std::string number;           // "+15550783881"
};

// n HTTP/1.1 keep-alive POSTs of /webhooks/whatsapp with X-Hub-Signature-256.
std::vector<std::string> webhook_requests(std::size_t n, const Business& business, const std::string& app_secret,
                                          std::size_t first_customer);
// One HTTP/1.1 keep-alive GET.
std::string get_request(const std::string& path);

}  // namespace bench
