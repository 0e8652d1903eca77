#include "graph_error.hpp"

#include "json_fields.hpp"

#include <boost/json/parse.hpp>

#include <map>
#include <set>

namespace parley::whatsapp {

namespace json = boost::json;

namespace {

// Meta's codes an agent or admin may meet, in words that say what to do.
const std::map<long, std::string_view>& reasons() {
    static const std::map<long, std::string_view> r = {
        {100, "invalid parameter in the request"},
        {190, "the access token has expired or is invalid; an admin must renew it"},
        {368, "the business number is temporarily blocked for policy violations"},
        {130429, "throughput limit reached; retried later"},
        {131000, "WhatsApp had an internal error"},
        {131005, "permission denied for this business number"},
        {131008, "a required parameter is missing"},
        {131009, "a parameter value is not valid"},
        {131016, "WhatsApp is temporarily unavailable"},
        {131021, "the recipient is this business number itself"},
        {131026, "the message could not be delivered (the customer may not use WhatsApp or must accept new terms)"},
        {131031, "the business account is locked"},
        {131042, "a payment problem on the business account"},
        {131045, "the business number is not registered"},
        {131047, "more than 24 hours have passed since the customer last wrote; send a template"},
        {131051, "this message type is not supported"},
        {131052, "the customer's media could not be downloaded"},
        {131053, "the media could not be uploaded"},
        {131056, "too many messages to this customer in a short time; retried later"},
        {132000, "the template's parameters do not match"},
        {132001, "the template does not exist in this language"},
        {132005, "the template's text is too long once filled in"},
        {132007, "the template breaks a format policy"},
        {132012, "the template's parameters have the wrong format"},
        {132015, "the template is paused for low quality"},
        {132016, "the template is disabled"},
        {133010, "the business number is not registered on the Cloud API"},
    };
    return r;
}

}  // namespace

GraphError parse_graph_error(int http_status, std::string_view body) {
    GraphError e{http_status, 0, {}, {}};
    json::error_code ec;
    auto parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return e;
    auto& error = object_of(parsed.get_object(), "error");
    e.code = static_cast<long>(integer_of(error, "code"));
    e.message = text_of(error, "message");
    e.details = text_of(object_of(error, "error_data"), "details");
    return e;
}

bool retryable(const GraphError& e) {
    static const std::set<long> transient = {130429, 131000, 131016, 131056};
    // Errors in the request, the token or the recipient fail again, whatever the HTTP status.
    static const std::set<long> permanent = {100, 190, 131008, 131009, 131026, 131047, 131051, 132000, 132001};
    if (transient.count(e.code)) return true;
    if (permanent.count(e.code)) return false;
    return e.http_status == 0 || e.http_status == 429 || e.http_status >= 500;
}

std::string describe(const GraphError& e) {
    if (e.code == 0) {
        if (e.http_status == 0) return "no answer from the WhatsApp Cloud API";
        return "the WhatsApp Cloud API answered HTTP " + std::to_string(e.http_status);
    }
    auto it = reasons().find(e.code);
    std::string out = std::to_string(e.code) + ": ";
    out += it != reasons().end() ? std::string(it->second) : (e.message.empty() ? "unknown error" : e.message);
    if (!e.details.empty()) out += " (" + e.details + ")";
    return out;
}

}  // namespace parley::whatsapp
