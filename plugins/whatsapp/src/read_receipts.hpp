// Blue ticks: the customer's messages are marked read when an agent opens the
// conversation (accepts it), and, while it stays open, as they arrive.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
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
    std::map<std::string, Latest> latest_;
    std::set<std::string> open_;
};

}  // namespace parley::whatsapp
