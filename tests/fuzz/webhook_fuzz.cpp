// libFuzzer target over what /webhooks/whatsapp does with a body once its signature
// holds: parse_notification, then each message turned into the engine's inbound args
// (customer number, text, media reference). Anyone holding the app secret, or a change in
// Meta's payloads, can send any JSON, so invariants:
//  - no crash and no exception (ASan/UBSan; an exception would reach the plugin boundary
//    and answer 500 for the whole batch, which Meta would send again forever);
//  - the messages of a change come in the customer's timestamp order;
//  - every message becomes args with a kind and a text (a placeholder for types the
//    channel cannot show, never no message at all).
#include "inbound.hpp"
#include "notification.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using namespace parley::whatsapp;

namespace {

void fail(const char* what) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto notification = parse_notification(body);
    if (!notification) return 0;
    for (const Change& change : notification->changes) {
        for (std::size_t k = 1; k < change.messages.size(); ++k)
            if (change.messages[k - 1].timestamp > change.messages[k].timestamp) fail("messages out of timestamp order");
        for (const CustomerMessage& m : change.messages) {
            (void)customer_number(m);
            (void)media_of(m);
            const auto args = inbound_args(m, "+15550783881");
            const auto* text = args.if_contains("text");
            const auto* kind = args.if_contains("kind");
            if (!text || !text->is_string() || !kind || !kind->is_string() || kind->get_string().empty())
                fail("a message without a kind and a text");
            (void)boost::json::serialize(args);
        }
    }
    return 0;
}
