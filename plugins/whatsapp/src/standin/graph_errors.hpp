// Graph API errors as Meta writes them: the synchronous answer to a send
// ({"error":{...}} with its HTTP status) and the errors[] entry of a failed status.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace parley::whatsapp::standin {

struct GraphAnswer {
    int status = 200;
    std::string body;  // JSON
};

// What the stand-in knows of an error code.
struct ErrorInfo {
    int code = 0;
    int http_status = 400;
    std::string_view title;    // "Re-engagement message"
    std::string_view message;  // "(#131047) Re-engagement message"
    std::string_view details;  // error_data.details; empty: no error_data
    bool asynchronous = false; // arrives as a failed status webhook unless told otherwise
};

// The catalog: 131047, 130429, 131026, 131056, 190 (expired token), 131000 (500),
// 131016 (503); std::nullopt for any other code.
std::optional<ErrorInfo> error_info(int code);
// Codes a control may inject (the catalog minus the 5xx ones, which http_5xx injects).
bool injectable(int code);

// {"error":{"message","type":"OAuthException","code",...,"fbtrace_id"}} with its status.
GraphAnswer graph_error(const ErrorInfo& info, std::string_view fbtrace_id);
// 401, code 190: no bearer token, or not the stand-in's.
GraphAnswer invalid_token(std::string_view fbtrace_id);
// 400, code 100: a missing or invalid parameter, named in the message.
GraphAnswer invalid_parameter(std::string_view message, std::string_view fbtrace_id);
// The 5xx of the n-th injected server error: 500 (131000) then 503 (131016), alternating.
GraphAnswer server_error(int nth, std::string_view fbtrace_id);
// An entry of a failed status's errors[] array.
boost::json::object status_error(const ErrorInfo& info);

}  // namespace parley::whatsapp::standin
