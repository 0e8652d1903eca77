// The signal bus (Boost.Signals2, kept in bus/*.cpp).
//
// A topic has "before" filters, run in priority order, that may rewrite or veto a
// payload (masking sits there), and "after" listeners that are notified. Payloads
// are JSON text at the boundary; typed topics add a C++ type on top for the core.
// Every registration has an owner (0 = core, else a plugin instance) so the core
// can remove all of a plugin's registrations at once.
#pragma once

#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/parse.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bus {

using Owner = std::uint64_t;
constexpr Owner core_owner = 0;

using Listener = std::function<void(std::string_view topic, std::string_view payload)>;
// Rewrites `payload` in place; sets `veto` to stop the event.
using Filter = std::function<void(std::string_view topic, std::string& payload, bool& veto)>;
// Called when a listener or filter throws; the bus goes on with the next one.
using ErrorSink = std::function<void(Owner owner, std::string_view topic, std::string_view what)>;

// A topic whose payload is T (T converts to and from JSON with Boost.JSON).
template <class T>
struct Topic {
    std::string_view name;
};

class Bus {
public:
    Bus();
    ~Bus();
    Bus(const Bus&) = delete;
    Bus& operator=(const Bus&) = delete;

    // Lower priority runs first. Returns the registration id.
    std::uint64_t subscribe(std::string_view topic, int priority, Listener fn, Owner owner = core_owner);
    std::uint64_t add_filter(std::string_view topic, int priority, Filter fn, Owner owner = core_owner);
    // Only the owner may remove its registration.
    bool unsubscribe(std::uint64_t id, Owner owner = core_owner);
    void remove_owner(Owner owner);
    std::size_t registrations(Owner owner) const;
    // True when `topic` has at least one "before" filter (lets callers skip building payloads).
    bool has_filters(std::string_view topic) const;
    // Topics on which `owner` has filters.
    std::vector<std::string> filter_topics(Owner owner) const;
    // From now on filter(topic) vetoes everything: used when a filter's owner failed,
    // so text it should have masked is hidden rather than shown (fail closed).
    void poison(std::string_view topic);

    void publish(std::string_view topic, std::string_view payload);
    // Runs the "before" filters; false when one vetoed.
    bool filter(std::string_view topic, std::string& payload);

    void on_error(ErrorSink sink);

    template <class T>
    void publish(const Topic<T>& topic, const T& value) {
        publish(topic.name, boost::json::serialize(boost::json::value_from(value)));
    }
    template <class T>
    std::uint64_t subscribe(const Topic<T>& topic, std::function<void(const T&)> fn, int priority = 0,
                            Owner owner = core_owner) {
        return subscribe(topic.name, priority,
                         [fn = std::move(fn)](std::string_view, std::string_view payload) {
                             fn(boost::json::value_to<T>(boost::json::parse(payload)));
                         },
                         owner);
    }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley::bus
