// A status webhook can overtake our own record of the send it is about: the Graph
// API's answer (with the wamid) is still on its way to the engine when Meta reports
// "delivered". Such statuses wait here, a bounded while, until the wamid is known.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace parley::whatsapp {

class EarlyStatuses {
public:
    explicit EarlyStatuses(std::size_t kept = 1000) : kept_(kept) {}

    void keep(const std::string& wamid, std::string args) {
        waiting_[wamid].push_back(std::move(args));
        order_.push_back(wamid);
        if (order_.size() <= kept_) return;
        waiting_.erase(order_.front());
        order_.pop_front();
    }

    // The statuses that waited for `wamid`, oldest first.
    std::vector<std::string> take(const std::string& wamid) {
        auto it = waiting_.find(wamid);
        if (it == waiting_.end()) return {};
        auto out = std::move(it->second);
        waiting_.erase(it);
        return out;
    }

private:
    std::size_t kept_;
    std::map<std::string, std::vector<std::string>> waiting_;
    std::deque<std::string> order_;
};

}  // namespace parley::whatsapp
