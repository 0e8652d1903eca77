// One webhook POST in progress. It is answered once every event in it has settled:
// 200 when all were committed (or were repeats), 500 when one failed, so that Meta
// sends the notification again; nothing is acknowledged before it is stored.
#pragma once

#include "stats.hpp"

#include <parley/plugin.hpp>

#include <functional>

namespace parley::whatsapp {

class Batch {
public:
    using Answer = std::function<void(parley::HttpResponse)>;
    Batch(Answer answer, Stats& stats) : answer_(std::move(answer)), stats_(stats) {}

    void expect() { ++outstanding_; }
    void settle(bool ok) {
        failed_ = failed_ || !ok;
        --outstanding_;
        answer_when_done();
    }
    // Every event was added: answers now if none is outstanding.
    void seal() {
        sealed_ = true;
        answer_when_done();
    }
    // The channel stops before the batch settled: 503, and Meta sends it again.
    void abandon() {
        if (!answer_) return;
        stats_.add(Counter::webhooks_failed);
        answer_(parley::HttpResponse{503, "application/json", R"({"ok":false})"});
        answer_ = nullptr;
    }

private:
    void answer_when_done() {
        if (!sealed_ || outstanding_ > 0 || !answer_) return;
        stats_.add(failed_ ? Counter::webhooks_failed : Counter::webhooks_ok);
        answer_(failed_ ? parley::HttpResponse{500, "application/json", R"({"ok":false})"}
                        : parley::HttpResponse{200, "application/json", R"({"ok":true})"});
        answer_ = nullptr;
    }

    Answer answer_;
    Stats& stats_;
    int outstanding_ = 0;
    bool sealed_ = false;
    bool failed_ = false;
};

}  // namespace parley::whatsapp
