// Small helpers of the stand-in's routes: JSON answers, query parameters, the bearer
// token, phone numbers.
#pragma once

#include <parley/plugin.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::whatsapp::standin {

parley::HttpResponse json_answer(int status, const boost::json::value& body);
// {"error": message} with the status; the stand-in's own errors (not Graph ones).
parley::HttpResponse plain_error(int status, std::string_view message);
// The decoded value of `name` in a query string ("a=1&b=%2B44"); '+' decodes to a space.
std::optional<std::string> query_param(std::string_view query, std::string_view name);
// Percent-encodes everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view s);
// "Authorization: Bearer <token>" carries exactly `token`.
bool has_bearer(const parley::HttpRequest& request, std::string_view token);
// The wa_id (digits) of "+447700900123", "447700900123" or " 447700900123" (a '+'
// decoded from a query); std::nullopt unless 7 to 15 digits, the first not 0.
std::optional<std::string> wa_id_of(std::string_view number);
// Unix time now: seconds as a string (webhook timestamps), and milliseconds.
std::string unix_seconds();
std::int64_t unix_ms();

}  // namespace parley::whatsapp::standin
