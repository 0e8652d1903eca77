// A customer's WhatsApp message as the engine's "inbound" command: kind, a text the
// agent reads, and an attachment the desktop shows. Types this channel cannot show
// become a visible placeholder, never a silent drop.
#pragma once

#include "notification.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::whatsapp {

// A media object to fetch with the two-step Graph download.
struct MediaRef {
    std::string id;
    std::string kind;  // image, video, audio, document, sticker
    std::string mime_type;
};

// What became of the download: a URL the desktop can open, or why there is none.
struct StoredMedia {
    bool ok = false;
    bool retryable = false;  // a transient failure: better answer 500 and let Meta retry
    std::string file;  // its name under media_dir
    std::string url;   // where the desktop opens it
    std::string mime_type;
    std::int64_t size = 0;
    std::string error;       // for the agent
    std::string log_reason;  // for the log: codes only, nothing the customer sent
};

// "+16505551234" from the wa_id; the user_id when there is no wa_id; "" when neither.
std::string customer_number(const CustomerMessage& m);

// The engine's inbound args for a message that came to business number `origin`.
boost::json::object inbound_args(const CustomerMessage& m, const std::string& origin);

std::optional<MediaRef> media_of(const CustomerMessage& m);

// Adds the stored file (or a visible note that it could not be fetched) to the args.
void attach_media(boost::json::object& args, const StoredMedia& media);

}  // namespace parley::whatsapp
