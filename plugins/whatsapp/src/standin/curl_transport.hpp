// The stand-in's HTTP client: one libcurl easy handle per request, so each request
// (and the second copy of a duplicate) has a connection of its own.
#pragma once

#include "standin.hpp"

namespace parley::whatsapp::standin {

// Calls curl_global_init once per process; the first call must be on one thread.
void init_curl();
// Sends the request; gives up within about a second when `stopping` turns true.
HttpAnswer curl_send(const OutgoingRequest& request, const std::atomic<bool>& stopping);

}  // namespace parley::whatsapp::standin
