// The bodies the Graph API's /{phone_number_id}/messages endpoint takes.
#pragma once

#include <string>

namespace parley::whatsapp {

// graph_url is {base}/{version}.
std::string messages_url(const std::string& graph_url, const std::string& phone_number_id);

// The "to" of a customer number: "+16505551234" -> "16505551234"; a user_id as is.
std::string recipient_of(const std::string& customer_number);

// A text; `reply_to` (a wamid, or "") quotes the message it answers.
std::string text_request(const std::string& to, const std::string& text, const std::string& reply_to);
std::string template_request(const std::string& to, const std::string& name, const std::string& language);
std::string read_request(const std::string& wamid);

}  // namespace parley::whatsapp
