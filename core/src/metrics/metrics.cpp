#include "parley/core/metrics.hpp"

#include <sstream>

namespace parley::metrics {

std::atomic<std::int64_t>& Registry::counter(const std::string& name, const std::string& help,
                                             const std::string& labels) {
    return cell(name, help, "counter", labels);
}

std::atomic<std::int64_t>& Registry::gauge(const std::string& name, const std::string& help,
                                           const std::string& labels) {
    return cell(name, help, "gauge", labels);
}

std::atomic<std::int64_t>& Registry::cell(const std::string& name, const std::string& help,
                                          const char* type, const std::string& labels) {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = families_.try_emplace(name);
    Family& family = it->second;
    if (inserted) {
        family.help = help;
        family.type = type;
    }
    auto& slot = family.cells[labels];
    if (!slot) slot = std::make_unique<std::atomic<std::int64_t>>(0);
    // Cells are heap-allocated so the reference stays valid while the map grows.
    return *slot;
}

namespace {

// HELP text escapes only backslash and newline (exposition format 0.0.4).
std::string escape_help(const std::string& help) {
    std::string out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace

std::string Registry::render() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    for (const auto& [name, family] : families_) {
        out << "# HELP " << name << ' ' << escape_help(family.help) << '\n';
        out << "# TYPE " << name << ' ' << family.type << '\n';
        for (const auto& [labels, value] : family.cells) {
            out << name;
            if (!labels.empty()) out << '{' << labels << '}';
            out << ' ' << value->load(std::memory_order_relaxed) << '\n';
        }
    }
    return out.str();
}

}  // namespace parley::metrics
