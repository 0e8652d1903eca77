// The load generator: `connections` keep-alive HTTP/1.1 connections to 127.0.0.1 on one
// Asio thread, each sending its next request as soon as the previous answer is read,
// until `count` requests are done or `max_seconds` have passed. Requests are bytes
// serialized beforehand; request i is requests[i % requests.size()].
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bench {

struct LoadOptions {
    std::uint16_t port = 0;
    int connections = 64;
    std::size_t count = 0;
    double max_seconds = 30;
};

struct LoadResult {
    std::size_t ok = 0;            // answered 200
    std::size_t errors = 0;        // another status, or a connection error
    std::map<int, std::size_t> statuses;  // every status seen (0: connection error)
    std::string first_error;       // the first non-200 answer's status line and body, or the error
    double seconds = 0;            // from the first request sent to the last answer read
    std::vector<std::uint32_t> latency_us;  // of the 200s

    double per_second() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
    // The q-quantile (0..1) of the 200s' latency, in milliseconds.
    double quantile_ms(double q) const;
};

LoadResult run_load(const std::vector<std::string>& requests, const LoadOptions& options);

// One request on a connection of its own: the status (0 on a connection error) and body.
std::pair<int, std::string> fetch(std::uint16_t port, const std::string& request);

}  // namespace bench
