#include "graph_errors.hpp"

#include <boost/json/serialize.hpp>

#include <array>

namespace parley::whatsapp::standin {

namespace {

constexpr std::string_view kErrorCodesHref = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

const std::array<ErrorInfo, 7> kCatalog = {{
    {131047, 400, "Re-engagement message", "(#131047) Re-engagement message",
     "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
     false},
    {130429, 400, "Rate limit hit", "(#130429) Rate limit hit", "Cloud API message throughput has been reached.", false},
    {131026, 400, "Message undeliverable", "(#131026) Message undeliverable",
     "Message Undeliverable.", true},
    {131056, 400, "(Business Account, Consumer Account) pair rate limit hit",
     "(#131056) (Business Account, Consumer Account) pair rate limit hit",
     "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
     false},
    {190, 401, "Access token has expired",
     "Error validating access token: Session has expired on Tuesday, 10-Jun-25 09:00:00 PDT.", "", false},
    {131000, 500, "Something went wrong", "(#131000) Something went wrong",
     "Message failed to send due to an unknown error. Please try again.", false},
    {131016, 503, "Service unavailable", "(#131016) Service unavailable",
     "A service is temporarily unavailable. Please retry your request later.", false},
}};

std::string render(const boost::json::object& error) {
    return boost::json::serialize(boost::json::object{{"error", error}});
}

}  // namespace

std::optional<ErrorInfo> error_info(int code) {
    for (const auto& info : kCatalog)
        if (info.code == code) return info;
    return std::nullopt;
}

bool injectable(int code) { return error_info(code) && code != 131000 && code != 131016; }

GraphAnswer graph_error(const ErrorInfo& info, std::string_view fbtrace_id) {
    boost::json::object error{{"message", info.message}, {"type", "OAuthException"}, {"code", info.code}};
    if (info.code == 190) error["error_subcode"] = 463;
    if (!info.details.empty())
        error["error_data"] = boost::json::object{{"messaging_product", "whatsapp"}, {"details", info.details}};
    error["fbtrace_id"] = fbtrace_id;
    return {info.http_status, render(error)};
}

GraphAnswer invalid_token(std::string_view fbtrace_id) {
    return {401, render({{"message", "Invalid OAuth access token - Cannot parse access token"},
                         {"type", "OAuthException"},
                         {"code", 190},
                         {"fbtrace_id", fbtrace_id}})};
}

GraphAnswer invalid_parameter(std::string_view message, std::string_view fbtrace_id) {
    return {400, render({{"message", "(#100) " + std::string(message)},
                         {"type", "OAuthException"},
                         {"code", 100},
                         {"fbtrace_id", fbtrace_id}})};
}

GraphAnswer server_error(int nth, std::string_view fbtrace_id) {
    auto info = *error_info(nth % 2 == 0 ? 131000 : 131016);
    return graph_error(info, fbtrace_id);
}

boost::json::object status_error(const ErrorInfo& info) {
    boost::json::object out{{"code", info.code}, {"title", info.title}, {"message", info.title}};
    if (!info.details.empty()) out["error_data"] = boost::json::object{{"details", info.details}};
    out["href"] = kErrorCodesHref;
    return out;
}

}  // namespace parley::whatsapp::standin
