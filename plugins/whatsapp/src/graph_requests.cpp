#include "graph_requests.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

json::object addressed(const std::string& to, const char* type) {
    return {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}, {"type", type}};
}

}  // namespace

std::string messages_url(const std::string& graph_url, const std::string& phone_number_id) {
    return graph_url + "/" + phone_number_id + "/messages";
}

std::string recipient_of(const std::string& customer_number) {
    return !customer_number.empty() && customer_number[0] == '+' ? customer_number.substr(1) : customer_number;
}

std::string text_request(const std::string& to, const std::string& text, const std::string& reply_to) {
    auto body = addressed(to, "text");
    if (!reply_to.empty()) body["context"] = {{"message_id", reply_to}};
    body["text"] = {{"preview_url", false}, {"body", text}};
    return json::serialize(body);
}

std::string template_request(const std::string& to, const std::string& name, const std::string& language) {
    auto body = addressed(to, "template");
    body["template"] = {{"name", name}, {"language", {{"policy", "deterministic"}, {"code", language}}}};
    return json::serialize(body);
}

std::string read_request(const std::string& wamid) {
    return json::serialize(json::object{{"messaging_product", "whatsapp"}, {"status", "read"}, {"message_id", wamid}});
}

}  // namespace parley::whatsapp
