#include "writer.hpp"

#include "parley/core/log.hpp"

namespace parley::engine {

Writer::Writer(store::Store& store, Finished finished)
    : store_(store), finished_(std::move(finished)), thread_([this] { run(); }) {}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void Writer::write(std::unique_ptr<Round> round) {
    bool was_empty;
    {
        std::lock_guard lock(mutex_);
        was_empty = queue_.empty();
        queue_.push_back(std::move(round));
    }
    if (was_empty) wake_.notify_one();
}

void Writer::run() {
    std::vector<std::unique_ptr<Round>> group;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything is written
            group.swap(queue_);
        }
        commit(group);
        group.clear();
    }
}

void Writer::commit(std::vector<std::unique_ptr<Round>>& group) {
    // Rounds built on a failed one are refused whole: they come first in the group,
    // since a new generation starts only after the engine learned of the failure.
    std::vector<std::unique_ptr<Round>> refused;
    std::size_t first = 0;
    while (first < group.size() && failed_generation_ == group[first]->generation)
        refused.push_back(std::move(group[first++]));
    if (!refused.empty()) finished_(std::move(refused), false);
    if (first == group.size()) return;
    std::vector<std::unique_ptr<Round>> rounds(std::make_move_iterator(group.begin() + first),
                                               std::make_move_iterator(group.end()));

    std::vector<store::Event> all;
    for (auto& r : rounds) std::move(r->events.begin(), r->events.end(), std::back_inserter(all));
    bool committed = true;
    try {
        std::lock_guard lock(store_mutex_);
        store_.append(all);
    } catch (const std::exception& e) {
        log::get("engine")->error("commit of {} events failed: {}; rebuilding state from the store", all.size(),
                                  e.what());
        committed = false;
        failed_generation_ = rounds.front()->generation;
    }
    // The events go back to their rounds, now with their seq.
    auto next = all.begin();
    for (auto& r : rounds)
        for (auto& e : r->events) e = std::move(*next++);
    finished_(std::move(rounds), committed);
}

}  // namespace parley::engine
