// The C host API table: each function checks its arguments, finds the instance's
// context and forwards to PluginHost::Impl. None of them throws.
//
// Threads: log, plugin_id, tenant_id, buffer_*, count, post and http_complete are safe
// from any thread (a concurrent route handler runs on an HTTP I/O thread). Every other
// call touches core state and is for the core thread: from inside a concurrent route
// handler it is refused (guard_core).
#include "host_context.hpp"
#include "plugin_host_impl.hpp"

#include "parley/core/log.hpp"

namespace parley::plugins {

namespace {

std::string_view view(parley_str s) { return {s.data ? s.data : "", s.data ? s.size : 0}; }
parley_str cstr(const std::string& s) { return {s.data(), s.size()}; }

template <class T>
const T* config_value(const parley_config* c, parley_str key) {
    if (!c || !c->section) return nullptr;
    auto v = c->section->find(std::string(view(key)));
    return v ? std::get_if<T>(v) : nullptr;
}

template <class T>
parley_status status_of(const parley_config* c, parley_str key) {
    if (!c || !c->section || !c->section->find(std::string(view(key)))) return PARLEY_ERR_NOT_FOUND;
    return PARLEY_ERR_TYPE;
}

void api_log(parley_host* h, parley_log_level level, parley_str message) noexcept {
    if (!h) return;
    try {
        auto logger = log::get(h->plugin_id);
        auto lvl = static_cast<spdlog::level::level_enum>(std::clamp<int>(level, 0, 4));
        if (h->tenant.empty()) logger->log(lvl, "{}", h->core->redact(h->tenant, view(message)));
        else logger->log(lvl, "[tenant {}] {}", h->tenant, h->core->redact(h->tenant, view(message)));
    } catch (...) {
    }
}

parley_str api_plugin_id(parley_host* h) noexcept { return h ? cstr(h->plugin_id) : parley_str{"", 0}; }
parley_str api_tenant_id(parley_host* h) noexcept { return h ? cstr(h->tenant) : parley_str{"", 0}; }

parley_status api_config_string(const parley_config* c, parley_str key, parley_str* out) noexcept {
    auto v = config_value<std::string>(c, key);
    if (!v || !out) return status_of<std::string>(c, key);
    *out = cstr(*v);
    return PARLEY_OK;
}
parley_status api_config_int(const parley_config* c, parley_str key, int64_t* out) noexcept {
    auto v = config_value<std::int64_t>(c, key);
    if (!v || !out) return status_of<std::int64_t>(c, key);
    *out = *v;
    return PARLEY_OK;
}
parley_status api_config_double(const parley_config* c, parley_str key, double* out) noexcept {
    auto v = config_value<double>(c, key);
    if (!v || !out) return status_of<double>(c, key);
    *out = *v;
    return PARLEY_OK;
}
parley_status api_config_bool(const parley_config* c, parley_str key, int* out) noexcept {
    auto v = config_value<bool>(c, key);
    if (!v || !out) return status_of<bool>(c, key);
    *out = *v ? 1 : 0;
    return PARLEY_OK;
}
parley_status api_config_array_size(const parley_config* c, parley_str key, size_t* out) noexcept {
    auto v = config_value<std::vector<std::string>>(c, key);
    if (!v || !out) return status_of<std::vector<std::string>>(c, key);
    *out = v->size();
    return PARLEY_OK;
}
parley_status api_config_array_string(const parley_config* c, parley_str key, size_t i, parley_str* out) noexcept {
    auto v = config_value<std::vector<std::string>>(c, key);
    if (!v || !out) return status_of<std::vector<std::string>>(c, key);
    if (i >= v->size()) return PARLEY_ERR_INVALID;
    *out = cstr((*v)[i]);
    return PARLEY_OK;
}

void api_buffer_write(parley_buffer* b, parley_str bytes) noexcept {
    if (!b || !bytes.data) return;
    try {
        b->data.append(bytes.data, bytes.size);
    } catch (...) {
    }
}

parley_buffer* api_buffer_create() noexcept {
    try {
        return new parley_buffer;
    } catch (...) {
        return nullptr;
    }
}
parley_str api_buffer_view(const parley_buffer* b) noexcept { return b ? cstr(b->data) : parley_str{"", 0}; }
void api_buffer_destroy(parley_buffer* b) noexcept { delete b; }

// Every entry into Impl is wrapped: a core-side failure becomes a status code.
// For the calls that are safe from any thread.
template <class Body>
parley_status guard(parley_host* h, Body&& body) noexcept {
    if (!h || !h->core) return PARLEY_ERR_INVALID;
    try {
        return body(*h->core);
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

// For the calls that are for the core thread only: refused inside a concurrent route
// handler, whose thread runs alongside the core strand.
template <class Body>
parley_status guard_core(parley_host* h, Body&& body) noexcept {
    if (concurrent_caller) return PARLEY_ERR_REFUSED;
    return guard(h, std::forward<Body>(body));
}

parley_status api_subscribe(parley_host* h, parley_str topic, int32_t prio, parley_event_fn fn, void* user,
                            uint64_t* id) noexcept {
    return guard_core(h, [&](auto& core) { return core.subscribe(*h, view(topic), prio, fn, user, id); });
}
parley_status api_add_filter(parley_host* h, parley_str topic, int32_t prio, parley_filter_fn fn, void* user,
                             uint64_t* id) noexcept {
    return guard_core(h, [&](auto& core) { return core.add_filter(*h, view(topic), prio, fn, user, id); });
}
parley_status api_unsubscribe(parley_host* h, uint64_t id) noexcept {
    return guard_core(h, [&](auto& core) { return core.unsubscribe(*h, id); });
}
parley_status api_publish(parley_host* h, parley_str topic, parley_str payload) noexcept {
    return guard_core(h, [&](auto& core) { return core.publish(*h, view(topic), view(payload)); });
}
parley_status api_filter(parley_host* h, parley_str topic, parley_str payload, parley_buffer* out,
                         int* vetoed) noexcept {
    return guard_core(h, [&](auto& core) { return core.filter(*h, view(topic), view(payload), out, vetoed); });
}
parley_status api_register_service(parley_host* h, parley_str name, uint32_t version, const void* table,
                                   void* user) noexcept {
    return guard_core(h, [&](auto& core) { return core.register_service(*h, view(name), version, table, user); });
}
parley_status api_get_service(parley_host* h, parley_str name, uint32_t min_version, parley_service* out) noexcept {
    return guard_core(h, [&](auto& core) { return core.find_service(h->tenant, view(name), min_version, out); });
}
parley_status api_register_command(parley_host* h, parley_str name, parley_command_fn fn, void* user) noexcept {
    return guard_core(h, [&](auto& core) { return core.register_command(*h, view(name), fn, user); });
}
parley_status api_timer_start(parley_host* h, uint64_t delay, uint64_t repeat, parley_timer_fn fn, void* user,
                              uint64_t* id) noexcept {
    return guard_core(h, [&](auto& core) { return core.timer_start(*h, delay, repeat, fn, user, id); });
}
parley_status api_timer_cancel(parley_host* h, uint64_t id) noexcept {
    return guard_core(h, [&](auto& core) { return core.timer_cancel(*h, id); });
}
parley_status api_register_route(parley_host* h, parley_str method, parley_str path, parley_http_fn fn,
                                 void* user) noexcept {
    return guard_core(h, [&](auto& core) { return core.register_route(*h, view(method), view(path), fn, user); });
}

parley_status api_register_route_concurrent(parley_host* h, parley_str method, parley_str path, parley_http_fn fn,
                                            void* user) noexcept {
    return guard_core(
        h, [&](auto& core) { return core.register_route_concurrent(*h, view(method), view(path), fn, user); });
}

// Any thread: the pending answers are behind a mutex.
parley_status api_http_complete(parley_host* h, parley_http_response* response) noexcept {
    return guard(h, [&](auto& core) { return core.http_complete(*h, response); });
}

// Safe from any thread: it touches only the runtime's queue and the alive flag.
parley_status api_post(parley_host* h, void (*fn)(void*), void* user) noexcept {
    if (!h || !h->core || !fn) return PARLEY_ERR_INVALID;
    try {
        return h->core->post(h->alive, fn, user);
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

parley_str api_server_url(parley_host* h) noexcept {
    if (!h || !h->core || concurrent_caller) return {"", 0};
    return cstr(h->core->server_url);
}

// Any thread: the metrics registry locks.
parley_status api_count(parley_host* h, parley_str name, parley_str help, parley_str labels, int64_t delta) noexcept {
    return guard(h, [&](auto& core) { return core.count(*h, view(name), view(help), view(labels), delta); });
}

const parley_host_api table = {
    sizeof(parley_host_api),
    PARLEY_ABI_MAJOR,
    PARLEY_ABI_MINOR,
    api_log,
    api_plugin_id,
    api_tenant_id,
    api_config_string,
    api_config_int,
    api_config_double,
    api_config_bool,
    api_config_array_size,
    api_config_array_string,
    api_buffer_write,
    api_buffer_create,
    api_buffer_view,
    api_buffer_destroy,
    api_subscribe,
    api_add_filter,
    api_unsubscribe,
    api_publish,
    api_filter,
    api_register_service,
    api_get_service,
    api_register_command,
    api_timer_start,
    api_timer_cancel,
    api_register_route,
    api_http_complete,
    api_post,
    api_server_url,
    api_count,
    api_register_route_concurrent,
};

}  // namespace

const parley_host_api* PluginHost::host_api() { return &table; }

}  // namespace parley::plugins
