#include "outbound.hpp"

#include "graph_requests.hpp"
#include "json_fields.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTextCharacters = 4096;

std::string key_of(const std::string& interaction, const std::string& message) { return interaction + "/" + message; }

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace

Outbound::Outbound(parley::Host& host, const Settings& settings, Stats& stats, parley::EngineClient& engine,
                   OutboundHooks hooks)
    : host_(host), settings_(settings), stats_(stats), engine_(engine), hooks_(std::move(hooks)) {}

Outbound::~Outbound() { stop(); }

void Outbound::start(SenderOptions options) {
    // The sender's thread holds plain data only and hands results to the core thread.
    sender_ = std::make_unique<Sender>(std::move(options), [host = &host_, self = this](SendResult r) {
        host->post([self, r = std::move(r)] { self->sent(r); });
    });
}

void Outbound::stop() {
    if (!sender_) return;
    auto unsent = sender_->stop();
    sender_.reset();
    for (auto& job : unsent)
        if (!job.message.empty())
            fail(job.interaction, job.message, "not sent: the WhatsApp channel stopped first; send it again");
}

void Outbound::send(std::string_view payload) {
    auto p = parse_object(payload);
    auto interaction = text_of(p, "interaction"), message = text_of(p, "message");
    if (message.empty() || once_.claim(key_of(interaction, message), {}) != Claims::Outcome::first) return;
    auto number_id = settings_.phone_number_id_of(text_of(p, "origin"));
    if (number_id.empty())
        return fail(interaction, message, "this WhatsApp number is no longer configured; nothing was sent");
    if (!sender_) return fail(interaction, message, "the WhatsApp sender is not running; nothing was sent");
    auto to = recipient_of(text_of(p, "to"));
    std::string body;
    if (auto name = text_of(p, "template"); !name.empty()) {
        auto t = settings_.find_template(name, text_of(p, "language"));
        if (!t) return fail(interaction, message, "'" + name + "' is not an approved template of this number");
        body = template_request(to, t->name, t->language);
    } else {
        auto text = text_of(p, "text");
        if (utf8_length(text) > kMaxTextCharacters)
            return fail(interaction, message, "longer than WhatsApp's 4096 characters; nothing was sent");
        body = text_request(to, text, text_of(p, "reply_to_channel_message_id"));
    }
    auto url = messages_url(hooks_.graph_url(), number_id);
    sender_->enqueue({std::move(url), std::move(body), number_id, to, interaction, message});
}

void Outbound::engine_event(std::string_view payload) {
    auto envelope = parse_object(payload);
    auto type = text_of(envelope, "type");
    auto interaction = text_of(object_of(envelope, "data"), "interaction");
    if (type == "offer.accepted") {
        if (auto mark = reads_.opened(interaction)) queue_read(*mark);
    } else if (type == "interaction.ended") {
        reads_.ended(interaction);
    }
}

void Outbound::received(const std::string& interaction, const std::string& origin, const std::string& wamid,
                        std::int64_t time_ms) {
    if (auto mark = reads_.received(interaction, origin, wamid, time_ms)) queue_read(*mark);
}

void Outbound::queue_read(const ReadMark& mark) {
    auto number_id = settings_.phone_number_id_of(mark.origin);
    if (number_id.empty() || !sender_) return;
    sender_->enqueue({messages_url(hooks_.graph_url(), number_id), read_request(mark.wamid), number_id, {}, {}, {}});
}

void Outbound::fail(const std::string& interaction, const std::string& message, const std::string& error) {
    stats_.add(Counter::send_failed);
    once_.finish(key_of(interaction, message), true);
    json::object args{{"interaction", interaction}, {"message", message}, {"status", "failed"}, {"error", error}};
    engine_.submit("message_status", json::serialize(args), [](bool, std::string_view) {});
}

void Outbound::sent(const SendResult& r) {
    stats_.add(Counter::send_retries, static_cast<std::uint64_t>(std::max(0, r.attempts - 1)));
    if (r.job.message.empty()) {
        if (r.ok) stats_.add(Counter::reads_sent);
        else host_.warn("read receipt not sent (error " + std::to_string(r.code) + ")");
        return;
    }
    if (!r.ok) {
        host_.warn("message not sent after " + std::to_string(r.attempts) + " attempts (error " +
                   std::to_string(r.code) + ")");
        return fail(r.job.interaction, r.job.message, r.error);
    }
    stats_.add(Counter::sent);
    once_.finish(key_of(r.job.interaction, r.job.message), true);
    json::object args{{"interaction", r.job.interaction}, {"message", r.job.message}, {"status", "sent"},
                      {"channel_message_id", r.wamid}};
    engine_.submit("message_status", json::serialize(args), [this, wamid = r.wamid](bool ok, std::string_view) {
        if (ok && !wamid.empty()) hooks_.recorded(wamid);
    });
}

}  // namespace parley::whatsapp
