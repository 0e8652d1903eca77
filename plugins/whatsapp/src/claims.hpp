// At most one delivery of an event is worked on at a time. Meta retries and sends
// the same event twice, sometimes at the same moment on two connections: the first
// copy claims the key (a message id, or id + status); a copy that arrives while it
// is in flight waits for its outcome; a copy of one already committed is dropped at
// once. Runs on the core thread only, so the check and the claim are one step.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

namespace parley::whatsapp {

class Claims {
public:
    enum class Outcome { first, joined, done };
    using Waiter = std::function<void(bool ok)>;

    explicit Claims(std::size_t remembered = 50'000) : remembered_(remembered) {}

    // first: the caller does the work and calls finish(). joined: `waiter` (if any) runs
    // when the first copy finishes. done: already committed; nothing to do.
    Outcome claim(const std::string& key, Waiter waiter);
    // Ends the work on `key`: waiters learn `ok`; a failure frees the key for a retry.
    void finish(const std::string& key, bool ok);

private:
    void remember(const std::string& key);
    std::size_t remembered_;
    std::map<std::string, std::vector<Waiter>> in_flight_;
    std::unordered_set<std::string> done_;
    std::deque<std::string> done_order_;
};

}  // namespace parley::whatsapp
