#include "channel.hpp"

#include "json_fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

constexpr const char* kWebhookPath = "/webhooks/whatsapp";

}  // namespace

Channel::Channel(parley::Host& host, Settings settings)
    : host_(host),
      settings_(std::move(settings)),
      engine_(host),
      media_routes_(host, settings_.media_dir),
      webhook_(host, settings_, stats_, engine_, early_,
               {[this] { return graph_url(); },
                [this](const Received& r) {
                    last_seen_.saw(r.origin, r.customer, r.time_ms);
                    outbound_.received(r.interaction, r.origin, r.wamid, r.time_ms);
                }}),
      outbound_(host, settings_, stats_, engine_,
                {[this] { return graph_url(); },
                 [this](const std::string& wamid) {
                     for (auto& args : early_.take(wamid)) webhook_.submit_status(wamid, args, [](bool) {});
                 }}) {
    stats_.set_sink([this](const std::string& metric, std::string_view help, std::uint64_t delta) {
        host_.count(metric, help, {}, static_cast<std::int64_t>(delta));
    });
    register_routes();
    register_topics();
    start_sandbox();
}

Channel::~Channel() { stop(); }

void Channel::start() {
    fetcher_ = std::make_unique<MediaFetcher>(settings_.access_token);
    webhook_.set_fetcher(fetcher_.get());
    outbound_.start({settings_.access_token, settings_.send_rate_per_number, settings_.recipient_min_interval,
                     settings_.max_retries, settings_.retry_base, {}});
    media_routes_.serve();
    announce_numbers();
    if (!settings_.sandbox && settings_.verify_token.empty())
        host_.warn("no webhook verify token in the environment: Meta's subscription handshake will be refused");
    if (!settings_.sandbox && settings_.access_token.empty())
        host_.warn(settings_.access_token_env + " is not set: sending will fail");
    auto numbers = std::to_string(settings_.numbers.size()) + " business number(s)";
    if (settings_.sandbox) host_.info("sandbox mode (no app secret in the environment): " + numbers);
    else host_.info("channel ready: " + numbers + ", Graph API " + graph_url());
}

// The engine interrupts live conversations on numbers this channel no longer serves
// (a number removed from phone_numbers by a reload).
void Channel::announce_numbers() {
    json::array numbers;
    for (auto& [id, number] : settings_.numbers) numbers.push_back(json::string(number));
    auto args = json::serialize(json::object{{"channel", "whatsapp"}, {"numbers", std::move(numbers)}});
    engine_.submit("channel_numbers", args, [this](bool ok, std::string_view answer) {
        if (!ok) host_.warn("the engine did not take the channel's numbers: " + std::string(answer));
    });
}

void Channel::stop() {
    webhook_.stop();
    webhook_.set_fetcher(nullptr);
    if (fetcher_) fetcher_->stop();
    outbound_.stop();
}

// The sandbox's stand-in listens on our own server, whose address is known only
// once it listens: asked each time, on the core thread.
std::string Channel::graph_url() const {
    auto base = settings_.sandbox ? host_.server_url() + "/sandbox/graph" : settings_.graph_base_url;
    return base + "/" + settings_.api_version;
}

void Channel::register_routes() {
    host_.route("GET", kWebhookPath, [this](const parley::HttpRequest& req) { return webhook_.verify(req); });
    // Concurrent: the signature check and the parse of each webhook run on the HTTP I/O
    // thread that read it, off the core thread (see Webhook::receive).
    host_.route_concurrent("POST", kWebhookPath, [this](const parley::HttpRequest& req, auto responder) {
        receive(req, std::move(responder));
    });
    host_.route("GET", std::string(kWebhookPath) + "/stats", [this](const parley::HttpRequest&) {
        return parley::HttpResponse{200, "application/json", stats_.to_json()};
    });
}

// The type of an engine event, read without parsing the envelope
// ({"seq":..,"tenant":..,"type":"..",..,"data":{..}}): its "type" comes before the data,
// and a quote inside a JSON string is escaped, so the first "type":" is the envelope's.
std::string_view Channel::event_type(std::string_view envelope) {
    constexpr std::string_view key = "\"type\":\"";
    auto at = envelope.find(key);
    if (at == envelope.npos) return {};
    auto begin = at + key.size();
    auto end = envelope.find('"', begin);
    return end == envelope.npos ? std::string_view{} : envelope.substr(begin, end - begin);
}

void Channel::register_topics() {
    host_.subscribe("channel.outbound.whatsapp", [this](std::string_view, std::string_view p) { outbound_.send(p); });
    host_.subscribe("engine.event", [this](std::string_view, std::string_view p) {
        // Every event of every tenant comes here: parse only the two that matter.
        auto type = event_type(p);
        if (type == "offer.accepted" || type == "interaction.ended") outbound_.engine_event(p);
    });
    host_.add_filter("channel.before_send.whatsapp",
                     [this](std::string_view, std::string_view p, bool& veto) { return filter_send(p, veto); });
    host_.register_command("whatsapp.templates", [this](std::string_view) { return templates(); });
}

std::optional<std::string> Channel::filter_send(std::string_view payload, bool& veto) {
    auto refusal = check_send(parse_object(payload), settings_, last_seen_);
    if (!refusal) return std::nullopt;
    if (refusal->code == "outside_window") stats_.add(Counter::refused_outside_window);
    veto = true;
    return json::serialize(json::object{{"code", refusal->code}, {"message", refusal->message}});
}

std::string Channel::templates() const {
    json::array list;
    for (auto& t : settings_.templates) list.push_back(json::object{{"name", t.name}, {"language", t.language}});
    return json::serialize(json::object{{"templates", std::move(list)}});
}

void Channel::start_sandbox() {
    if (!settings_.sandbox) return;
#ifdef PARLEY_WHATSAPP_HAS_STANDIN
    auto& [id, number] = *settings_.numbers.begin();
    standin_ = std::make_unique<StandIn>(
        host_, StandInOptions{settings_.app_secret, settings_.verify_token, id, number, settings_.api_version});
#else
    host_.warn("sandbox mode, but this build has no Cloud API stand-in: nothing answers at /sandbox/graph");
#endif
}

}  // namespace parley::whatsapp
