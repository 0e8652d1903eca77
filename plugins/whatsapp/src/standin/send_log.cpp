#include "send_log.hpp"

#include <boost/json/parse.hpp>

#include <strings.h>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

json::value parsed(std::string_view text) {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    return ec ? json::value(text) : v;
}

json::object headers_without_token(const parley::HttpRequest& request) {
    json::object out;
    for (std::size_t i = 0; i < request.header_count; ++i) {
        auto name = parley::to_view(request.headers[i].name);
        if (name.size() == 13 && strncasecmp(name.data(), "authorization", 13) == 0) continue;
        out[name] = parley::to_view(request.headers[i].value);
    }
    return out;
}

}  // namespace

void SendLog::add(std::string_view kind, const parley::HttpRequest& request, int status, std::string_view answer,
                  std::string_view wamid) {
    json::object entry{{"seq", next_seq_},
                       {"path", request.path},
                       {"headers", headers_without_token(request)},
                       {"body", parsed(request.body)},
                       {"answer", json::object{{"status", status}, {"body", parsed(answer)}}}};
    if (!wamid.empty()) entry["wamid"] = wamid;
    entries_.push_back(Entry{next_seq_++, std::string(kind), std::move(entry)});
    if (entries_.size() > kKept) entries_.pop_front();
}

json::array SendLog::of_kind(std::string_view kind) const {
    json::array out;
    for (const auto& e : entries_)
        if (e.kind == kind) out.push_back(e.json);
    return out;
}

json::array SendLog::sent() const { return of_kind("message"); }
json::array SendLog::mark_reads() const { return of_kind("mark_read"); }
void SendLog::clear() { entries_.clear(); }

}  // namespace parley::whatsapp::standin
