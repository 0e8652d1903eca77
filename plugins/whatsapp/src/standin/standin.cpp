#include "standin.hpp"

#include "crypto.hpp"
#include "graph_errors.hpp"
#include "curl_transport.hpp"
#include "http_util.hpp"
#include "ids.hpp"
#include "impl.hpp"

#include <stdexcept>

namespace parley::whatsapp {

using namespace standin;

namespace {

// entry[].id of every webhook: the sandbox's WhatsApp Business Account.
constexpr std::string_view kSandboxWabaId = "200000000000001";
// A status goes out this long after it happens: after the send's answer has reached
// the sender, as with Meta (whose statuses take longer still).
constexpr int kStatusAfterMs = 50;

StandInOptions checked(StandInOptions o) {
    auto fail = [](const std::string& what) { throw std::invalid_argument("sandbox stand-in: " + what); };
    if (o.app_secret.empty()) fail("an app secret is needed to sign the webhooks");
    if (!wa_id_of(o.display_number)) fail("display number '" + o.display_number + "' is not E.164");
    if (o.phone_number_id.empty() || o.phone_number_id.find_first_not_of("0123456789") != std::string::npos)
        fail("phone number id '" + o.phone_number_id + "' must be digits");
    if (o.api_version.empty() || o.api_version.find('/') != std::string::npos)
        fail("API version '" + o.api_version + "' is not like v21.0");
    return o;
}

Transport curl_transport() {
    init_curl();
    return [](const OutgoingRequest& r, const std::atomic<bool>& stopping) { return curl_send(r, stopping); };
}

}  // namespace

StandIn::Impl::Impl(parley::Host& h, StandInOptions o, Transport transport)
    : host(h),
      options(checked(std::move(o))),
      business{std::string(kSandboxWabaId), *wa_id_of(options.display_number), options.phone_number_id},
      deliverer(std::move(transport), deliveries) {}

void StandIn::Impl::post_webhook(std::string kind, std::string body, int after_ms) {
    verify_subscription();
    std::string url = host.server_url();
    if (url.empty()) return host.warn("sandbox: no server URL yet, a webhook was dropped");
    Delivery d;
    d.seq = next_seq++;
    d.request = {"POST",
                 url + "/webhooks/whatsapp",
                 {{"Content-Type", "application/json"}, {"X-Hub-Signature-256", signature_header(options.app_secret, body)}},
                 body};
    d.copies = faults.take_copies();
    d.delay_ms = faults.delay_ms();
    d.not_before = std::chrono::steady_clock::now() + std::chrono::milliseconds(after_ms);
    deliveries.queued(d.seq, std::move(kind), std::move(body), d.copies);
    deliverer.enqueue(std::move(d));
}

void StandIn::Impl::post_status(const std::string& wamid, const std::string& wa_id, const std::string& status,
                                const std::string& category, int error_code) {
    Chat* chat = conversations.chat(wa_id);
    if (chat && chat->conversation_id.empty()) chat->conversation_id = new_conversation_id();
    StatusUpdate s{wamid, status, unix_seconds(), wa_id, chat ? chat->conversation_id : new_conversation_id(),
                   category, std::nullopt};
    if (auto info = error_info(error_code)) s.error = status_error(*info);
    post_webhook("status", webhook_status_body(business, s), kStatusAfterMs);
}

void StandIn::Impl::verify_subscription() {
    if (verify_queued) return;
    std::string url = host.server_url();
    if (url.empty()) return;
    verify_queued = true;
    std::string challenge = new_challenge();
    Delivery d;
    d.seq = next_seq++;
    d.request = {"GET",
                 url + "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=" + challenge +
                     "&hub.verify_token=" + url_encode(options.verify_token),
                 {},
                 ""};
    d.expect_body = challenge;
    d.attempts = 1;
    deliveries.queued(d.seq, "verify", "", 1);
    deliverer.enqueue(std::move(d));
}

void StandIn::Impl::flush_held() {
    for (auto m = held.rbegin(); m != held.rend(); ++m) {
        if (auto [chat, message] = conversations.find(m->wamid); message) message->status = "sent";
        post_webhook("message", webhook_message_body(business, *m));
    }
    held.clear();
    faults.reorder_done();
}

StandIn::StandIn(parley::Host& host, StandInOptions options)
    : StandIn(host, std::move(options), curl_transport()) {}

StandIn::StandIn(parley::Host& host, StandInOptions options, Transport transport) {
    auto impl = std::make_shared<Impl>(host, std::move(options), std::move(transport));
    impl->self = impl;
    add_graph_routes(*impl);
    add_media_routes(*impl);
    add_customer_routes(*impl);
    add_control_routes(*impl);
    // Timers run once the server listens: the handshake can go out then.
    host.start_timer(0, 0, [self = impl->self] {
        if (auto i = self.lock()) i->verify_subscription();
    });
    impl_ = std::move(impl);
    host.info("sandbox: WhatsApp Cloud API stand-in at /sandbox/graph/" + impl_->options.api_version + "/" +
              impl_->options.phone_number_id + "/messages; customer page at /sandbox/");
}

StandIn::~StandIn() = default;

namespace standin {

void add_route(Impl& impl, std::string_view method, std::string_view path, Handler handler) {
    impl.host.route(method, path, [self = impl.self, handler = std::move(handler)](const parley::HttpRequest& r) {
        auto impl = self.lock();
        if (!impl) return plain_error(503, "the sandbox stand-in has stopped");
        try {
            return handler(*impl, r);
        } catch (const std::exception& e) {
            impl->host.error(std::string("sandbox: ") + e.what());
            return plain_error(500, e.what());
        }
    });
}

}  // namespace standin

}  // namespace parley::whatsapp
