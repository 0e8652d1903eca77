#include "claims.hpp"

namespace parley::whatsapp {

Claims::Outcome Claims::claim(const std::string& key, Waiter waiter) {
    if (done_.count(key)) return Outcome::done;
    auto it = in_flight_.find(key);
    if (it != in_flight_.end()) {
        it->second.push_back(std::move(waiter));
        return Outcome::joined;
    }
    in_flight_.emplace(key, std::vector<Waiter>{});
    return Outcome::first;
}

void Claims::finish(const std::string& key, bool ok) {
    auto it = in_flight_.find(key);
    if (it == in_flight_.end()) return;
    auto waiters = std::move(it->second);
    in_flight_.erase(it);
    if (ok) remember(key);
    for (auto& w : waiters)
        if (w) w(ok);
}

// The engine drops repeats forever; this bounded memory only spares the work
// (media downloads) of a repeat that comes soon.
void Claims::remember(const std::string& key) {
    if (!done_.insert(key).second) return;
    done_order_.push_back(key);
    if (done_order_.size() <= remembered_) return;
    done_.erase(done_order_.front());
    done_order_.pop_front();
}

}  // namespace parley::whatsapp
