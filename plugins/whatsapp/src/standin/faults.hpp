// The faults the controls have armed, consumed one by one by sends and deliveries.
// Core thread only.
#pragma once

#include "control.hpp"

#include <boost/json/object.hpp>

#include <optional>

namespace parley::whatsapp::standin {

// What the next send meets.
struct SendFault {
    enum class Kind { server_error, graph_error, failed_after_accept } kind;
    int code = 0;  // the Graph error code (graph_error, failed_after_accept)
    int nth = 0;   // server_error: how many 5xx were injected before this one
};

class Faults {
public:
    void apply(const ControlChange& change);

    // Consumes one armed send fault, 5xx first; std::nullopt: the send goes through.
    std::optional<SendFault> take_send_fault();
    // Copies of the next webhook: 2 while a duplicate is armed (consumes it), else 1.
    int take_copies();
    // How many customer messages to hold and reverse; 0 when reordering is off.
    int reorder_batch() const { return reorder_; }
    // Called when a held batch is delivered.
    void reorder_done() { reorder_ = 0; }
    int delay_ms() const { return delay_ms_; }
    bool auto_read() const { return auto_read_; }

    boost::json::object to_json() const;

private:
    int duplicate_ = 0;
    int reorder_ = 0;
    int delay_ms_ = 0;
    int http_5xx_ = 0;
    int served_5xx_ = 0;
    std::optional<InjectedError> error_;
    bool auto_read_ = false;
};

}  // namespace parley::whatsapp::standin
