// The view layer: everything a host shows an agent is built here, and only here,
// from engine state. Each view passes through the bus's "before display" filters
// (topic view.before_display) before it leaves, which is where masking acts:
//   payload {"tenant":"acme","surface":"task_list","view":{...}}
// Surfaces: offer, notification, task_list, interaction_panel, conversation, history.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace parley {
namespace bus {
class Bus;
}
namespace http {
class SignedLinks;
}
namespace engine {
class Engine;
struct Interaction;
struct Message;
}  // namespace engine
}  // namespace parley

namespace parley::views {

constexpr const char* display_filter_topic = "view.before_display";

class Views {
public:
    Views(const engine::Engine& engine, bus::Bus& bus) : engine_(engine), bus_(bus) {}

    // Attachment URLs these cover (stored media) are handed out signed, valid for a while.
    void set_signed_links(const http::SignedLinks* links) { links_ = links; }

    // The offer pop-up: customer name and number, origin number, queue, times.
    boost::json::object offer(const engine::Interaction& i, const std::string& agent) const;
    // A desktop notification of an offer: customer and business number.
    boost::json::object notification(const engine::Interaction& i) const;
    // A task list entry: title, contact origin, message preview, state.
    boost::json::object task(const engine::Interaction& i, const std::string& agent) const;
    // The interaction panel: title, state, alert when interrupted, CAD variables.
    boost::json::object panel(const engine::Interaction& i) const;
    // One conversation bubble: signature, initials, text, status.
    boost::json::object message(const engine::Interaction& i, const engine::Message& m) const;
    // All bubbles and the composer (placeholder, limit, whether sending is allowed).
    boost::json::object conversation(const engine::Interaction& i, const std::string& agent) const;
    // Earlier interactions of the same customer with this tenant.
    boost::json::object history(const engine::Interaction& i) const;
    // The agent's presence.
    boost::json::object presence(const std::string& tenant, const std::string& agent) const;
    // Everything an agent's desktop needs on connect.
    boost::json::object snapshot(const std::string& tenant, const std::string& agent) const;

private:
    boost::json::object display(const std::string& tenant, const char* surface, boost::json::object view) const;
    boost::json::object message_raw(const engine::Interaction& i, const engine::Message& m) const;
    boost::json::value attachment(const engine::Message& m) const;
    const engine::Engine& engine_;
    bus::Bus& bus_;
    const http::SignedLinks* links_ = nullptr;
};

}  // namespace parley::views
