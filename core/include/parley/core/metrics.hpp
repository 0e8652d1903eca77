// Counters and gauges rendered in the Prometheus text format at /metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace parley::metrics {

class Registry {
public:
    // Returns the same cell for the same (name, labels). `labels` is written as
    // Prometheus writes them, without braces: `plugin="whatsapp",code="401"`.
    std::atomic<std::int64_t>& counter(const std::string& name, const std::string& help,
                                       const std::string& labels = "");
    std::atomic<std::int64_t>& gauge(const std::string& name, const std::string& help,
                                     const std::string& labels = "");
    std::string render() const;

private:
    struct Family {
        std::string help;
        const char* type = "counter";
        std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> cells;
    };
    std::atomic<std::int64_t>& cell(const std::string& name, const std::string& help,
                                    const char* type, const std::string& labels);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

}  // namespace parley::metrics
