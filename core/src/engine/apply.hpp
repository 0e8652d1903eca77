// Events -> state. The same code runs live (right after a command emits an event)
// and on replay, so what the store holds always rebuilds the same state.
#pragma once

#include "parley/core/engine_state.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace parley::engine {

struct Applier {
    State& state;
    // Applies one event; unknown types are ignored (a newer writer's events).
    void apply(const std::string& tenant, std::string_view type, std::int64_t time_ms, const boost::json::object& data);

private:
    void created(const std::string& tenant, std::int64_t t, const boost::json::object& d);
    void message(const boost::json::object& d, std::int64_t t);
    void message_status(const boost::json::object& d);
    void offered(const std::string& tenant, std::int64_t t, const boost::json::object& d);
    void timed_out(const std::string& tenant, std::int64_t t, const boost::json::object& d);
    void accepted(std::int64_t t, const boost::json::object& d);
    void ended(const std::string& tenant, std::int64_t t, const boost::json::object& d);
    void interrupted(std::int64_t t, const boost::json::object& d);
    void presence(const std::string& tenant, std::int64_t t, const boost::json::object& d);

    void leg_done(Interaction& i, Leg& leg, std::int64_t t);
    void unqueue(const Interaction& i);
};

}  // namespace parley::engine
