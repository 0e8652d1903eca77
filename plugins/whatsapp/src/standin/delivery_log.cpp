#include "delivery_log.hpp"

#include <boost/json/parse.hpp>

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

json::value body_json(const std::string& body) {
    json::error_code ec;
    json::value v = json::parse(body, ec);
    return ec ? json::value(body) : v;
}

}  // namespace

void DeliveryLog::queued(std::uint64_t seq, std::string kind, std::string body, int copies) {
    std::lock_guard lock(mutex_);
    records_.push_back(Record{seq, std::move(kind), std::move(body), copies, {}, 0});
    if (records_.size() > kKept) records_.pop_front();
}

void DeliveryLog::attempt(std::uint64_t seq, int copy, const HttpAnswer& answer, bool ok) {
    std::lock_guard lock(mutex_);
    Record* r = find(seq);
    if (!r) return;
    r->attempts.push_back(Attempt{copy, answer.status, answer.error});
    if (ok) ++r->delivered;
}

DeliveryLog::Record* DeliveryLog::find(std::uint64_t seq) {
    for (auto& r : records_)
        if (r.seq == seq) return &r;
    return nullptr;
}

json::array DeliveryLog::to_json() const {
    std::lock_guard lock(mutex_);
    json::array out;
    for (const auto& r : records_) {
        json::array attempts;
        for (const auto& a : r.attempts)
            attempts.push_back(json::object{{"copy", a.copy}, {"status", a.status}, {"error", a.error}});
        out.push_back(json::object{{"seq", r.seq},
                                   {"kind", r.kind},
                                   {"copies", r.copies},
                                   {"body", body_json(r.body)},
                                   {"attempts", std::move(attempts)},
                                   {"delivered", r.delivered == r.copies}});
    }
    return out;
}

void DeliveryLog::clear() {
    std::lock_guard lock(mutex_);
    records_.clear();
}

}  // namespace parley::whatsapp::standin
