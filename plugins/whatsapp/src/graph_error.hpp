// A failed Graph API call: what went wrong, whether trying again can help, and the
// sentence an agent sees next to a failed message.
#pragma once

#include <string>
#include <string_view>

namespace parley::whatsapp {

struct GraphError {
    int http_status = 0;  // 0: no answer at all (connection refused, timeout)
    long code = 0;        // Meta's error.code, 0 when the body had none
    std::string message;  // Meta's error.message
    std::string details;  // Meta's error.error_data.details
};

GraphError parse_graph_error(int http_status, std::string_view body);

// Transient: no answer, 5xx, 130429 (throughput), 131000 (something went wrong),
// 131016 (service unavailable), 131056 (pair rate limit), HTTP 429. Never 100, 190,
// 131008, 131009, 131026 and other request errors: they would fail again.
bool retryable(const GraphError& e);

// "131047: more than 24 hours have passed since the customer last wrote; send a template"
std::string describe(const GraphError& e);

}  // namespace parley::whatsapp
