#include "faults.hpp"

namespace parley::whatsapp::standin {

void Faults::apply(const ControlChange& c) {
    if (c.reset) *this = Faults{};
    if (c.duplicate) duplicate_ = *c.duplicate;
    if (c.reorder) reorder_ = *c.reorder;
    if (c.delay_ms) delay_ms_ = *c.delay_ms;
    if (c.http_5xx) http_5xx_ = *c.http_5xx;
    if (c.error) error_ = c.error->count > 0 ? c.error : std::nullopt;
    if (c.auto_read) auto_read_ = *c.auto_read;
}

std::optional<SendFault> Faults::take_send_fault() {
    if (http_5xx_ > 0) {
        --http_5xx_;
        return SendFault{SendFault::Kind::server_error, 0, served_5xx_++};
    }
    if (!error_) return std::nullopt;
    SendFault f{error_->after_accept ? SendFault::Kind::failed_after_accept : SendFault::Kind::graph_error,
                error_->code, 0};
    if (--error_->count == 0) error_.reset();
    return f;
}

int Faults::take_copies() {
    if (duplicate_ == 0) return 1;
    --duplicate_;
    return 2;
}

boost::json::object Faults::to_json() const {
    boost::json::object out{{"duplicate", duplicate_}, {"reorder", reorder_}, {"delay_ms", delay_ms_},
                            {"http_5xx", http_5xx_}, {"auto_read", auto_read_}};
    if (error_)
        out["error"] = boost::json::object{
            {"code", error_->code}, {"count", error_->count}, {"after_accept", error_->after_accept}};
    else
        out["error"] = nullptr;
    return out;
}

}  // namespace parley::whatsapp::standin
