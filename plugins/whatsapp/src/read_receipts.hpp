// Blue ticks: the customer's messages are marked read when an agent opens the
// conversation (accepts it), and, while it stays open, as they arrive.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::whatsapp {

struct ReadMark {
    std::string origin;  // the business number the message came to
    std::string wamid;
};

class ReadReceipts {
public:
    // A customer message committed to `interaction`: the mark to send now if it is open.
    std::optional<ReadMark> received(const std::string& interaction, const std::string& origin,
                                     const std::string& wamid, std::int64_t time_ms);
    // An agent accepted: mark the customer's latest message.
    std::optional<ReadMark> opened(const std::string& interaction);
    void ended(const std::string& interaction);

private:
    struct Latest {
        ReadMark mark;
        std::int64_t time_ms = 0;
    };
    // Open addressing: an entry per live interaction, looked up at every customer message.
    boost::unordered_flat_map<std::string, Latest> latest_;
    boost::unordered_flat_set<std::string> open_;
};

}  // namespace parley::whatsapp
