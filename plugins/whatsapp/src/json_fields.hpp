// Lenient field access over Boost.JSON: a missing field or one of another type reads
// as empty, because webhook payloads grow new fields and omit optional ones.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace parley::whatsapp {

std::string text_of(const boost::json::object& o, std::string_view key);
const boost::json::object& object_of(const boost::json::object& o, std::string_view key);
const boost::json::array& array_of(const boost::json::object& o, std::string_view key);
// The object in `text`, or an empty one when it is not a JSON object.
boost::json::object parse_object(std::string_view text);

// An integer field, also when written as a string ("1749416383", as Meta does).
std::int64_t integer_of(const boost::json::object& o, std::string_view key);

}  // namespace parley::whatsapp
