#include "parley/core/log.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <spdlog/details/registry.h>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <vector>

namespace parley::log {

namespace {

// {"ts":"…","level":"info","tag":"whatsapp","msg":"…"}, with JSON escaping.
class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        auto time = std::chrono::system_clock::to_time_t(msg.time);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()) % 1000;
        std::tm tm{};
        gmtime_r(&time, &tm);
        char ts[64];
        std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms.count()));
        auto level = spdlog::level::to_string_view(msg.level);
        std::string line = "{\"ts\":\"";
        line += ts;
        line += "\",\"level\":\"";
        line.append(level.data(), level.size());
        line += "\",\"tag\":";
        line += boost::json::serialize(boost::json::string(msg.logger_name.data(), msg.logger_name.size()));
        line += ",\"msg\":";
        line += boost::json::serialize(boost::json::string(msg.payload.data(), msg.payload.size()));
        line += "}\n";
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

struct State {
    std::mutex mutex;
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_sink_mt>()};
    Options options;
};

State& state() {
    static State s;
    return s;
}

void apply(spdlog::logger& logger, const State& s) {
    logger.sinks() = s.sinks;
    if (s.options.format == "json") {
        logger.set_formatter(std::make_unique<JsonFormatter>());
    } else {
        logger.set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v"));
    }
    logger.set_level(spdlog::level::from_str(s.options.level));
    logger.flush_on(spdlog::level::info);
}

}  // namespace

void init(const Options& options) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.options = options;
    s.sinks = {std::make_shared<spdlog::sinks::stderr_sink_mt>()};
    if (!options.file.empty()) s.sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    spdlog::apply_all([&](std::shared_ptr<spdlog::logger> l) { apply(*l, s); });
}

std::shared_ptr<spdlog::logger> get(const std::string& tag) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (auto existing = spdlog::get(tag)) return existing;
    auto logger = std::make_shared<spdlog::logger>(tag);
    apply(*logger, s);
    spdlog::register_logger(logger);
    return logger;
}

}  // namespace parley::log
