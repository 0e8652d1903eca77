// /webhooks/whatsapp: the GET handshake, and notifications (POST) checked, taken
// apart, handed to the engine event by event, and answered once all are committed.
//
// Threads: the POST route is a concurrent one. receive() runs on the HTTP I/O thread
// that read the request, several at once: the size and signature checks, the parse and
// the extraction of the events need only the request and what never changes after the
// constructor (settings), plus thread-safe calls (stats are atomic; log, count, post).
// Everything that needs the channel's state (claims, batches, media waits, the engine)
// runs on the core thread, where receive() posts it.
#pragma once

#include "batch.hpp"
#include "claims.hpp"
#include "early_statuses.hpp"
#include "inbound.hpp"
#include "media_fetcher.hpp"
#include "notification.hpp"
#include "settings.hpp"
#include "signature.hpp"
#include "stats.hpp"

#include <parley/engine.hpp>
#include <parley/plugin.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace parley::whatsapp {

// A customer message the engine committed.
struct Received {
    std::string interaction;
    std::string origin;
    std::string customer;
    std::string wamid;
    std::int64_t time_ms = 0;
};

struct WebhookHooks {
    std::function<std::string()> graph_url;           // {base}/{version}, asked on the core thread
    std::function<void(const Received&)> received;    // after each new customer message
};

class Webhook {
public:
    Webhook(parley::Host& host, const Settings& settings, Stats& stats, parley::EngineClient& engine,
            EarlyStatuses& early, WebhookHooks hooks);

    parley::HttpResponse verify(const parley::HttpRequest& req) const;
    // Any thread (the POST route's handler): refusals (413, 401, 400) are answered here;
    // a notification's events go to the core thread (Host::post), answered from there.
    void receive(const parley::HttpRequest& req, std::shared_ptr<parley::Responder> responder);
    void set_fetcher(MediaFetcher* fetcher) { fetcher_ = fetcher; }
    // Answers what is still pending (503), while the host can still take answers; a
    // notification that reaches the core thread afterwards is answered 503 too.
    void stop();
    // Hands a status to the engine (also one that waited for its wamid to be known).
    void submit_status(const std::string& wamid, const std::string& args, std::function<void(bool ok)> settled);

private:
    struct Event {
        std::string key;  // what repeats are recognised by
        boost::json::object args;
        std::optional<MediaRef> media;
        bool status = false;
        std::string customer;
        // `args` as JSON: made with the event, off the core thread, unless media is still
        // to be attached (then made on the core thread, when the message is submitted).
        std::string json;
    };
    // The events of one notification that this delivery works on, in order.
    struct Work {
        std::shared_ptr<Batch> batch;
        std::vector<Event> events;
        int media_outstanding = 0;
        std::vector<bool> failed;
    };

    // Core thread: claims the events, fetches media, submits, answers once all settled.
    void handle(std::vector<Event> events, Batch::Answer reply);
    // Any thread.
    std::optional<parley::HttpResponse> refuse(const parley::HttpRequest& req) const;
    void collect(const Change& change, std::vector<Event>& out) const;
    void claim(std::vector<Event>& events, Work& work);
    void fetch_media(const std::shared_ptr<Work>& work);
    void on_media(std::uint64_t id, StoredMedia media);
    void submit_all(const std::shared_ptr<Work>& work);
    void submit_message(const std::shared_ptr<Work>& work, std::size_t index);
    // Whether the event is taken care of (committed, a repeat, or never deliverable).
    bool message_done(const Event& e, bool ok, std::string_view result);
    void status_done(const std::string& wamid, const std::string& args, bool ok, std::string_view result,
                     const std::function<void(bool)>& settled);
    void settle(const std::string& key, Batch& batch, bool ok);

    parley::Host& host_;
    const Settings& settings_;
    Stats& stats_;
    parley::EngineClient& engine_;
    EarlyStatuses& early_;
    WebhookHooks hooks_;
    mutable Signer signer_;  // used by the I/O threads, several at once
    MediaFetcher* fetcher_ = nullptr;
    bool stopped_ = false;
    Claims claims_;
    std::uint64_t next_media_ = 0;
    std::map<std::uint64_t, std::pair<std::shared_ptr<Work>, std::size_t>> media_waits_;
    std::vector<std::weak_ptr<Batch>> batches_;  // unanswered ones, for stop()
};

}  // namespace parley::whatsapp
