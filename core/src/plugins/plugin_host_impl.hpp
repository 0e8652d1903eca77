// PluginHost's state. Private to plugins/*.cpp.
#pragma once

#include "host_context.hpp"
#include "module.hpp"
#include "parley/core/http.hpp"
#include "parley/core/plugin_host.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace parley::plugins {

struct PluginHost::Impl {
    HostServices services;
    std::vector<std::string> search_path;
    std::map<std::string, std::unique_ptr<Module>> modules;  // by id
    std::vector<Module*> start_order;                        // modules started, in order
    std::vector<std::shared_ptr<parley_host>> instances;     // in creation order
    std::function<std::string(const std::string&, std::string_view)> redactor;
    std::string server_url;  // set once the HTTP server listens

    struct Service {
        std::uint32_t version;
        const void* table;
        void* user;
        std::uint64_t owner;
    };
    struct Command {
        parley_command_fn fn;
        void* user;
        std::shared_ptr<parley_host> host;
    };
    using Key = std::pair<std::string, std::string>;  // (tenant, name)
    std::map<Key, Service> services_by_name;
    std::map<Key, Command> commands;
    std::multimap<std::uint64_t, std::uint64_t> timers;  // owner -> runtime timer id
    // Responses a route handler will complete later (PARLEY_PENDING), by address.
    // Guarded by pending_mutex: concurrent routes add and complete them on I/O threads
    // while the core strand completes, abandons and forgets others. Replies are sent
    // after the lock is released.
    struct PendingResponse {
        parley_buffer content_type;
        parley_buffer body;
        parley_buffer file;
        parley_http_response response{sizeof(parley_http_response), 200, &content_type, &body, &file};
        http::Reply reply;
        std::uint64_t owner = 0;
        bool abandoned = false;  // answered 503 when the plugin went away
    };
    std::map<parley_http_response*, std::unique_ptr<PendingResponse>> pending_http;
    std::mutex pending_mutex;
    std::uint64_t next_owner = 1;

    std::string redact(const std::string& tenant, std::string_view message) const {
        return redactor ? redactor(tenant, message) : std::string(message);
    }

    // Host API, called by plugins through the C table.
    parley_status subscribe(parley_host& h, std::string_view topic, int prio, parley_event_fn fn, void* user,
                            std::uint64_t* id);
    parley_status add_filter(parley_host& h, std::string_view topic, int prio, parley_filter_fn fn, void* user,
                             std::uint64_t* id);
    parley_status unsubscribe(parley_host& h, std::uint64_t id);
    parley_status publish(parley_host& h, std::string_view topic, std::string_view payload);
    parley_status filter(parley_host& h, std::string_view topic, std::string_view payload, parley_buffer* out,
                         int* vetoed);
    parley_status register_service(parley_host& h, std::string_view name, std::uint32_t version, const void* table,
                                   void* user);
    parley_status find_service(const std::string& tenant, std::string_view name, std::uint32_t min_version,
                               parley_service* out) const;
    parley_status register_command(parley_host& h, std::string_view name, parley_command_fn fn, void* user);
    parley_status timer_start(parley_host& h, std::uint64_t delay, std::uint64_t repeat, parley_timer_fn fn,
                              void* user, std::uint64_t* id);
    parley_status timer_cancel(parley_host& h, std::uint64_t id);
    parley_status register_route(parley_host& h, std::string_view method, std::string_view path, parley_http_fn fn,
                                 void* user);
    parley_status register_route_concurrent(parley_host& h, std::string_view method, std::string_view path,
                                            parley_http_fn fn, void* user);
    parley_status http_complete(parley_host& h, parley_http_response* response);
    // Pending-response bookkeeping of a route call (any thread).
    PendingResponse* add_pending(std::uint64_t owner, http::Reply reply);
    std::unique_ptr<PendingResponse> take_pending(parley_http_response* response);
    parley_status post(std::shared_ptr<std::atomic<bool>> alive, void (*fn)(void*), void* user);
    parley_status count(parley_host& h, std::string_view name, std::string_view help, std::string_view labels,
                        std::int64_t delta);
    void abandon_pending_http(std::uint64_t owner);
    void forget_pending_http(std::uint64_t owner);

    // Lifecycle.
    std::shared_ptr<parley_host> find_host(std::uint64_t owner) const;
    // Checks the status a plugin returned; an exception isolates the plugin.
    // `what` and `name` say which handler it was ("topic", "test.ping"); the sentence
    // is only built on failure, this runs on every delivery.
    void after_call(parley_host& h, parley_status s, const parley_error& err, const char* what, std::string_view name);
    void isolate(Module& m, Refusal why, const std::string& reason);
    void remove_registrations(parley_host& h);
    // No concurrent route call of `h` starts after this, and none is running when it returns.
    void close_concurrent_routes(parley_host& h);
    void stop_module(Module& m);
    void destroy_instances(Module& m);
    std::vector<config::Diagnostic> prepare(const config::Document& doc, const std::vector<std::string>& extra,
                                            std::vector<Module*>& order);
    void create_and_start(Module& m, const config::Document& doc);
};

}  // namespace parley::plugins
