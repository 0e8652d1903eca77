#include "webhook.hpp"

#include "handshake.hpp"
#include "json_fields.hpp"

#include <boost/json/serialize.hpp>

#include <set>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

bool known_status(const std::string& s) { return s == "sent" || s == "delivered" || s == "read" || s == "failed"; }

parley::HttpResponse json_answer(int status, std::string_view body) {
    return {status, "application/json", std::string(body)};
}

}  // namespace

Webhook::Webhook(parley::Host& host, const Settings& settings, Stats& stats, parley::EngineClient& engine,
                 EarlyStatuses& early, WebhookHooks hooks)
    : host_(host), settings_(settings), stats_(stats), engine_(engine), early_(early), hooks_(std::move(hooks)),
      signer_(settings.app_secret) {}

parley::HttpResponse Webhook::verify(const parley::HttpRequest& req) const {
    return answer_handshake(req.query, settings_.verify_token);
}

// Size first (cheapest), then the signature over the raw bytes, before any parsing.
std::optional<parley::HttpResponse> Webhook::refuse(const parley::HttpRequest& req) const {
    if (req.body.size() > settings_.body_limit) {
        stats_.add(Counter::webhooks_too_large);
        return json_answer(413, R"({"error":"body_too_large"})");
    }
    if (!signer_.matches(req.body, req.header("X-Hub-Signature-256"))) {
        stats_.add(Counter::webhooks_bad_signature);
        host_.warn("webhook refused: missing or wrong X-Hub-Signature-256");
        return json_answer(401, R"({"error":"bad_signature"})");
    }
    return std::nullopt;
}

// On the HTTP I/O thread (or the caller's, in tests): nothing here touches what the
// core thread changes. The request's views die with the call: the events are copies.
void Webhook::receive(const parley::HttpRequest& req, std::shared_ptr<parley::Responder> responder) {
    if (auto refusal = refuse(req)) return responder->send(*refusal);
    auto notification = parse_notification(req.body);
    if (!notification) {
        stats_.add(Counter::webhooks_malformed);
        return responder->send(json_answer(400, R"({"error":"malformed"})"));
    }
    std::vector<Event> events;
    for (auto& change : notification->changes) collect(change, events);
    // If the plugin goes away before this runs, the core answers 503 for it.
    host_.post([this, events = std::move(events), responder = std::move(responder)]() mutable {
        handle(std::move(events), [responder](parley::HttpResponse r) { responder->send(r); });
    });
}

void Webhook::handle(std::vector<Event> events, Batch::Answer reply) {
    if (stopped_) {
        stats_.add(Counter::webhooks_failed);
        return reply(json_answer(503, R"({"ok":false})"));
    }
    auto work = std::make_shared<Work>();
    work->batch = std::make_shared<Batch>(std::move(reply), stats_);
    std::erase_if(batches_, [](auto& b) { return b.expired(); });
    batches_.push_back(work->batch);
    claim(events, *work);
    work->failed.assign(work->events.size(), false);
    fetch_media(work);
    if (work->media_outstanding == 0) submit_all(work);
    work->batch->seal();
}

void Webhook::stop() {
    stopped_ = true;
    for (auto& b : batches_)
        if (auto batch = b.lock()) batch->abandon();
    batches_.clear();
    media_waits_.clear();
}

void Webhook::collect(const Change& change, std::vector<Event>& out) const {
    auto origin = settings_.number_of(change.phone_number_id);
    if (origin.empty()) {
        stats_.add(Counter::unknown_number);
        host_.warn("notification for phone_number_id " + change.phone_number_id + ", which is not configured (" +
                   std::to_string(change.messages.size()) + " messages, " + std::to_string(change.statuses.size()) +
                   " statuses): answered 200 and dropped");
        return;
    }
    for (auto& m : change.messages) {
        out.push_back({m.id.empty() ? "" : "message|" + m.id, inbound_args(m, origin), media_of(m), false,
                       customer_number(m), {}});
        if (!out.back().media) out.back().json = json::serialize(out.back().args);
    }
    for (auto& s : change.statuses) {
        if (!known_status(s.status) || s.id.empty()) {
            stats_.add(Counter::statuses_ignored);
            continue;
        }
        json::object args{{"channel", "whatsapp"}, {"origin", origin}, {"channel_message_id", s.id},
                          {"status", s.status},    {"error", s.error}};
        auto text = json::serialize(args);
        out.push_back({"status|" + s.id + "|" + s.status, std::move(args), std::nullopt, true, {}, std::move(text)});
    }
}

void Webhook::claim(std::vector<Event>& events, Work& work) {
    for (auto& e : events) {
        auto batch = work.batch;
        auto outcome = e.key.empty() ? Claims::Outcome::first  // no id: nothing to know a repeat by
                                     : claims_.claim(e.key, [batch](bool ok) { batch->settle(ok); });
        switch (outcome) {
            case Claims::Outcome::done:
                stats_.add(Counter::duplicates_dropped);
                break;
            case Claims::Outcome::joined:
                stats_.add(Counter::duplicates_dropped);
                batch->expect();
                break;
            case Claims::Outcome::first:
                batch->expect();
                work.events.push_back(std::move(e));
                break;
        }
    }
}

void Webhook::fetch_media(const std::shared_ptr<Work>& work) {
    for (std::size_t i = 0; i < work->events.size(); ++i) {
        auto& e = work->events[i];
        if (!e.media) continue;
        if (!fetcher_) {
            attach_media(e.args, {false, false, {}, {}, {}, 0, "media downloads are not running", {}});
            continue;
        }
        auto id = next_media_++;
        media_waits_[id] = {work, i};
        ++work->media_outstanding;
        // The worker holds plain data only: the result comes back to the core thread by id.
        MediaJob job{*e.media, hooks_.graph_url(), settings_.media_dir};
        fetcher_->fetch(std::move(job), [host = &host_, self = this, id](StoredMedia m) {
            host->post([self, id, m = std::move(m)]() mutable { self->on_media(id, std::move(m)); });
        });
    }
}

void Webhook::on_media(std::uint64_t id, StoredMedia media) {
    auto it = media_waits_.find(id);
    if (it == media_waits_.end()) return;
    auto [work, index] = std::move(it->second);
    media_waits_.erase(it);
    auto& e = work->events[index];
    if (media.ok) {
        stats_.add(Counter::media_stored);
        attach_media(e.args, media);
    } else {
        stats_.add(Counter::media_failed);
        host_.warn("media download failed (" + media.log_reason + ")" +
                   (media.retryable ? "; Meta will send the notification again" : "; the agent sees a note"));
        if (media.retryable) work->failed[index] = true;
        else attach_media(e.args, media);
    }
    if (--work->media_outstanding == 0) submit_all(work);
}

void Webhook::submit_all(const std::shared_ptr<Work>& work) {
    // After a customer's message that could not be taken, their later ones wait for
    // Meta's retry too, so that the conversation keeps its order.
    std::set<std::string> held;
    for (std::size_t i = 0; i < work->events.size(); ++i) {
        auto& e = work->events[i];
        auto batch = work->batch;
        if (e.status) {
            submit_status(text_of(e.args, "channel_message_id"), e.json,
                          [this, key = e.key, batch](bool ok) { settle(key, *batch, ok); });
        } else if (work->failed[i] || held.count(e.customer)) {
            held.insert(e.customer);
            settle(e.key, *batch, false);
        } else {
            submit_message(work, i);
        }
    }
}

// The callback holds the Work (not a copy of the event): it lives until every event settled.
void Webhook::submit_message(const std::shared_ptr<Work>& work, std::size_t index) {
    auto& e = work->events[index];
    if (e.json.empty()) e.json = json::serialize(e.args);  // a media message: now that its media is attached
    engine_.submit("inbound", e.json, [this, work, index](bool ok, std::string_view result) {
        auto& e = work->events[index];
        settle(e.key, *work->batch, message_done(e, ok, result));
    });
}

bool Webhook::message_done(const Event& e, bool ok, std::string_view result) {
    auto answer = parse_object(result);
    if (ok) {
        auto repeat = answer.if_contains("duplicate");
        if (repeat && repeat->is_bool() && repeat->get_bool()) {
            stats_.add(Counter::duplicates_dropped);
            return true;
        }
        stats_.add(Counter::messages_received);
        hooks_.received({text_of(answer, "interaction"), text_of(e.args, "origin"), e.customer,
                         text_of(e.args, "channel_message_id"), integer_of(e.args, "time_ms")});
        return true;
    }
    auto code = text_of(answer, "code");
    if (code == "unknown_entry_point") {
        stats_.add(Counter::unrouted);
        host_.warn("a customer message came to a configured WhatsApp number that is no tenant's entry point: "
                   "answered 200 and dropped");
        return true;
    }
    if (code == "invalid_message") {
        host_.warn("a customer message without a customer number was dropped");
        return true;
    }
    host_.warn("the engine did not take a customer message (" + code + "); Meta will send it again");
    return false;
}

void Webhook::submit_status(const std::string& wamid, const std::string& args, std::function<void(bool)> settled) {
    engine_.submit("message_status", args, [this, wamid, args, settled](bool ok, std::string_view result) {
        status_done(wamid, args, ok, result, settled);
    });
}

void Webhook::status_done(const std::string& wamid, const std::string& args, bool ok, std::string_view result,
                          const std::function<void(bool)>& settled) {
    if (ok) {
        stats_.add(Counter::statuses_received);
        return settled(true);
    }
    auto code = text_of(parse_object(result), "code");
    if (code == "unknown_message") early_.keep(wamid, args);
    else if (code == "unknown_entry_point") stats_.add(Counter::unrouted);
    else if (code == "invalid_status") stats_.add(Counter::statuses_ignored);
    else return settled(false);
    settled(true);
}

void Webhook::settle(const std::string& key, Batch& batch, bool ok) {
    if (!key.empty()) claims_.finish(key, ok);
    batch.settle(ok);
}

}  // namespace parley::whatsapp
