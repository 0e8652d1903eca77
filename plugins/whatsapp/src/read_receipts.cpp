#include "read_receipts.hpp"

namespace parley::whatsapp {

std::optional<ReadMark> ReadReceipts::received(const std::string& interaction, const std::string& origin,
                                               const std::string& wamid, std::int64_t time_ms) {
    auto& latest = latest_[interaction];
    // Marking a message read marks the earlier ones too: keep the customer's newest.
    if (time_ms >= latest.time_ms) latest = {{origin, wamid}, time_ms};
    if (!open_.count(interaction)) return std::nullopt;
    return ReadMark{origin, wamid};
}

std::optional<ReadMark> ReadReceipts::opened(const std::string& interaction) {
    open_.insert(interaction);
    auto it = latest_.find(interaction);
    if (it == latest_.end()) return std::nullopt;
    return it->second.mark;
}

void ReadReceipts::ended(const std::string& interaction) {
    open_.erase(interaction);
    latest_.erase(interaction);
}

}  // namespace parley::whatsapp
