// POST /sandbox/control: the body, parsed. Every key is optional; several may be
// combined in one body. Parsing is pure, so tests check it without a server.
//
//   {"duplicate": n}        deliver the next n webhooks twice, the copy concurrently
//   {"reorder": n | true}   hold the next n (true: 2) customer messages, deliver them reversed
//   {"delay_ms": n}         wait n ms before each webhook delivery (0: none)
//   {"http_5xx": n}         the next n sends answer 500 (131000) / 503 (131016), alternating
//   {"error": code, "count": n, "after_accept": bool}
//                           the next n sends fail with that Graph error (131047, 130429,
//                           190, 131026, 131056): in the answer, or, after_accept, as a
//                           200 followed by a "failed" status webhook
//   {"auto_read": bool}     the customer reads each reply at once (default: when the
//                           customer page shows it)
//   {"reset": true}         back to no faults (applied before the other keys)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace parley::whatsapp::standin {

struct InjectedError {
    int code = 0;
    int count = 1;
    bool after_accept = false;
};

struct ControlChange {
    bool reset = false;
    std::optional<int> duplicate;
    std::optional<int> reorder;
    std::optional<int> delay_ms;
    std::optional<int> http_5xx;
    std::optional<InjectedError> error;
    std::optional<bool> auto_read;
};

// The change, or a sentence saying what is wrong with the body.
std::variant<ControlChange, std::string> parse_control(std::string_view body);

}  // namespace parley::whatsapp::standin
