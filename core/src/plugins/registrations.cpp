// What plugins register through the host API. The slots are core lambdas that
// hold only C pointers; each checks that its instance is still alive, calls the
// plugin, and hands the returned status to after_call().
#include "plugin_host_impl.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/http.hpp"
#include "parley/core/metrics.hpp"
#include "parley/core/runtime.hpp"

#include <cctype>
#include <chrono>

namespace parley::plugins {

namespace {

parley_str cstr(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

parley_status PluginHost::Impl::subscribe(parley_host& h, std::string_view topic, int prio, parley_event_fn fn,
                                          void* user, std::uint64_t* id) {
    if (!fn || !*h.alive) return !fn ? PARLEY_ERR_INVALID : PARLEY_ERR_REFUSED;
    auto slot = [this, hp = &h, alive = h.alive, fn, user](std::string_view t, std::string_view payload) {
        if (!*alive) return;
        parley_error err;
        err.message[0] = '\0';  // not err{}: zeroing 512 bytes per delivery shows in bench/bus
        after_call(*hp, fn(user, cstr(t), cstr(payload), &err), err, "topic", t);
    };
    auto rid = services.bus->subscribe(topic, prio, std::move(slot), h.owner);
    if (id) *id = rid;
    return PARLEY_OK;
}

parley_status PluginHost::Impl::add_filter(parley_host& h, std::string_view topic, int prio, parley_filter_fn fn,
                                           void* user, std::uint64_t* id) {
    if (!fn || !*h.alive) return !fn ? PARLEY_ERR_INVALID : PARLEY_ERR_REFUSED;
    auto slot = [this, hp = &h, alive = h.alive, fn, user](std::string_view t, std::string& payload, bool& veto) {
        if (!*alive) return;
        parley_error err;
        err.message[0] = '\0';  // not err{}: zeroing 512 bytes per delivery shows in bench/bus
        parley_buffer out;
        int v = 0;
        auto s = fn(user, cstr(t), cstr(payload), &out, &v, &err);
        after_call(*hp, s, err, "filter", t);
        if (s != PARLEY_OK) {
            veto = true;  // fail closed: a filter that failed must not let the payload through as it was
            return;
        }
        if (!out.data.empty()) payload = std::move(out.data);
        veto = v != 0;
    };
    auto rid = services.bus->add_filter(topic, prio, std::move(slot), h.owner);
    if (id) *id = rid;
    return PARLEY_OK;
}

parley_status PluginHost::Impl::unsubscribe(parley_host& h, std::uint64_t id) {
    return services.bus->unsubscribe(id, h.owner) ? PARLEY_OK : PARLEY_ERR_NOT_FOUND;
}

parley_status PluginHost::Impl::publish(parley_host& h, std::string_view topic, std::string_view payload) {
    if (!*h.alive) return PARLEY_ERR_REFUSED;
    services.bus->publish(topic, payload);
    return PARLEY_OK;
}

parley_status PluginHost::Impl::filter(parley_host& h, std::string_view topic, std::string_view payload,
                                       parley_buffer* out, int* vetoed) {
    if (!*h.alive) return PARLEY_ERR_REFUSED;
    std::string text(payload);
    bool passed = services.bus->filter(topic, text);
    if (out) out->data = std::move(text);
    if (vetoed) *vetoed = passed ? 0 : 1;
    return PARLEY_OK;
}

parley_status PluginHost::Impl::register_service(parley_host& h, std::string_view name, std::uint32_t version,
                                                 const void* table, void* user) {
    if (!table || name.empty()) return PARLEY_ERR_INVALID;
    auto [it, inserted] = services_by_name.emplace(Key{h.tenant, std::string(name)}, Service{version, table, user, h.owner});
    return inserted ? PARLEY_OK : PARLEY_ERR_EXISTS;
}

parley_status PluginHost::Impl::find_service(const std::string& tenant, std::string_view name,
                                             std::uint32_t min_version, parley_service* out) const {
    auto it = services_by_name.find(Key{tenant, std::string(name)});
    if (it == services_by_name.end()) it = services_by_name.find(Key{"", std::string(name)});
    if (it == services_by_name.end()) return PARLEY_ERR_NOT_FOUND;
    if (it->second.version < min_version) return PARLEY_ERR_VERSION;
    if (out) *out = parley_service{it->second.table, it->second.user, it->second.version};
    return PARLEY_OK;
}

parley_status PluginHost::Impl::register_command(parley_host& h, std::string_view name, parley_command_fn fn,
                                                 void* user) {
    if (!fn || name.empty()) return PARLEY_ERR_INVALID;
    auto self = find_host(h.owner);
    auto [it, inserted] = commands.emplace(Key{h.tenant, std::string(name)}, Command{fn, user, self});
    return inserted ? PARLEY_OK : PARLEY_ERR_EXISTS;
}

parley_status PluginHost::Impl::timer_start(parley_host& h, std::uint64_t delay, std::uint64_t repeat,
                                            parley_timer_fn fn, void* user, std::uint64_t* id) {
    if (!services.runtime) return PARLEY_ERR_REFUSED;
    if (!fn) return PARLEY_ERR_INVALID;
    auto holder = std::make_shared<std::uint64_t>(0);
    auto owner = h.owner;
    auto fire = [this, alive = h.alive, fn, user, holder, owner, once = repeat == 0] {
        if (!*alive) return;
        if (once) {  // a one-shot timer forgets itself before it runs
            auto range = timers.equal_range(owner);
            for (auto it = range.first; it != range.second; ++it)
                if (it->second == *holder) {
                    timers.erase(it);
                    break;
                }
        }
        fn(user, *holder);
    };
    *holder = services.runtime->start_timer(std::chrono::milliseconds(delay), std::chrono::milliseconds(repeat), fire);
    timers.emplace(h.owner, *holder);
    if (id) *id = *holder;
    return PARLEY_OK;
}

parley_status PluginHost::Impl::timer_cancel(parley_host& h, std::uint64_t id) {
    auto range = timers.equal_range(h.owner);
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second != id) continue;
        timers.erase(it);
        services.runtime->cancel_timer(id);
        return PARLEY_OK;
    }
    return PARLEY_ERR_NOT_FOUND;
}

namespace {

http::Response to_response(const parley_http_response& r, std::string body) {
    auto& ct = r.content_type->data;
    return {r.status, ct.empty() ? "application/json" : ct, std::move(body), {}, r.file->data};
}

http::Response unavailable() { return {503, "text/plain; charset=utf-8", "plugin unavailable\n", {}, {}}; }
http::Response internal_error() { return {500, "text/plain; charset=utf-8", "internal error\n", {}, {}}; }

// The C view of a request; the strings stay in the http::Request.
struct CRequest {
    std::vector<parley_http_header> headers;
    parley_http_request c;
    explicit CRequest(const http::Request& req) {
        headers.reserve(req.headers.size());
        for (auto& [k, v] : req.headers) headers.push_back({cstr(k), cstr(v)});
        c = {sizeof(parley_http_request), cstr(req.method), cstr(req.target), cstr(req.path),
             cstr(req.query),             cstr(req.body),   headers.data(),   headers.size()};
    }
    CRequest(const CRequest&) = delete;
    CRequest& operator=(const CRequest&) = delete;
};

// On the core strand.
void call_route(PluginHost::Impl& core, parley_host& h, parley_http_fn fn, void* user, const http::Request& req,
                http::Reply reply) {
    CRequest creq(req);
    // Registered before the call: a handler that returns PARLEY_PENDING may also
    // complete the answer before it returns.
    auto* pending = core.add_pending(h.owner, std::move(reply));
    parley_error err;
    err.message[0] = '\0';
    auto s = fn(user, &creq.c, &pending->response, &err);
    if (s == PARLEY_PENDING) return;
    auto done = core.take_pending(&pending->response);  // null: answered with http_complete already
    core.after_call(h, s, err, "route", req.method + " " + req.path);
    if (!done || done->abandoned) return;
    if (s != PARLEY_OK) return done->reply(internal_error());
    done->reply(to_response(done->response, std::move(done->body.data)));
}

// On the HTTP I/O thread that read the request, concurrently with the core strand and
// with other calls. Impl is only touched between enter() and leave(): once the gate is
// closed (stop, isolate, shutdown) the core may go away, and `self` keeps the handle.
void call_concurrent(PluginHost::Impl& core, const std::shared_ptr<parley_host>& self, parley_http_fn fn,
                     void* user, const http::Request& req, http::Reply reply) {
    parley_host& h = *self;
    if (!h.concurrent_calls.enter()) return reply(unavailable());
    parley_error err;
    err.message[0] = '\0';
    parley_status s = PARLEY_OK;
    std::unique_ptr<PluginHost::Impl::PendingResponse> done;
    bool report_here = false;
    {
        struct Leave {
            CallGate& gate;
            ~Leave() { gate.leave(); }
        } leave{h.concurrent_calls};
        CRequest creq(req);
        auto* pending = core.add_pending(h.owner, std::move(reply));
        concurrent_caller = &h;
        s = fn(user, &creq.c, &pending->response, &err);
        concurrent_caller = nullptr;
        if (s == PARLEY_PENDING) return;
        // Still inside the gate: the entry cannot have been forgotten (and its address reused).
        done = core.take_pending(&pending->response);  // null: answered with http_complete already
        if (s != PARLEY_OK) {
            // after_call may isolate the plugin, which closes this gate and waits for the
            // calls in it: it runs on the core strand, never in here.
            if (Runtime* runtime = core.services.runtime) {
                runtime->post([&core, self, s, name = req.method + " " + req.path, message = std::string(err.message)] {
                    if (!*self->alive) return;  // removed meanwhile: nothing left to isolate
                    parley_error e{};
                    message.copy(e.message, sizeof e.message - 1);
                    core.after_call(*self, s, e, "route", name);
                });
            } else {
                report_here = true;  // a host without a core strand (tests): the caller's thread is the core's
            }
        }
    }
    if (report_here) core.after_call(h, s, err, "route", req.method + " " + req.path);
    if (!done || done->abandoned) return;
    if (s != PARLEY_OK) return done->reply(internal_error());
    done->reply(to_response(done->response, std::move(done->body.data)));
}

}  // namespace

PluginHost::Impl::PendingResponse* PluginHost::Impl::add_pending(std::uint64_t owner, http::Reply reply) {
    auto owned = std::make_unique<PendingResponse>();
    auto* pending = owned.get();
    pending->owner = owner;
    pending->reply = std::move(reply);
    std::lock_guard lock(pending_mutex);
    pending_http.emplace(&pending->response, std::move(owned));
    return pending;
}

std::unique_ptr<PluginHost::Impl::PendingResponse> PluginHost::Impl::take_pending(parley_http_response* response) {
    std::lock_guard lock(pending_mutex);
    auto it = pending_http.find(response);
    if (it == pending_http.end()) return nullptr;
    auto out = std::move(it->second);
    pending_http.erase(it);
    return out;
}

namespace {

bool metric_name(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

parley_status PluginHost::Impl::count(parley_host& h, std::string_view name, std::string_view help,
                                      std::string_view labels, std::int64_t delta) {
    if (!services.metrics) return PARLEY_OK;  // a host without /metrics
    if (!metric_name(name)) return PARLEY_ERR_INVALID;
    // Appended piece by piece: `"x" + std::string` trips GCC 12's -Wrestrict at -O3.
    std::string all = "plugin=\"";
    all += h.plugin_id;
    all += '"';
    if (!labels.empty()) {
        all += ',';
        all += labels;
    }
    services.metrics->counter("parley_" + std::string(name), std::string(help), all) += delta;
    return PARLEY_OK;
}

parley_status PluginHost::Impl::post(std::shared_ptr<std::atomic<bool>> alive, void (*fn)(void*), void* user) {
    if (!*alive) return PARLEY_ERR_REFUSED;
    auto run = [alive = std::move(alive), fn, user] {
        if (*alive) fn(user);  // a plugin that went away meanwhile is not called
    };
    if (services.runtime) services.runtime->post(std::move(run));
    else run();
    return PARLEY_OK;
}

// Any thread: a concurrent route answers from its I/O thread, others from the core strand.
parley_status PluginHost::Impl::http_complete(parley_host& h, parley_http_response* response) {
    std::unique_ptr<PendingResponse> pending;
    {
        std::lock_guard lock(pending_mutex);
        auto it = pending_http.find(response);
        if (it == pending_http.end() || it->second->owner != h.owner) return PARLEY_ERR_NOT_FOUND;
        pending = std::move(it->second);
        pending_http.erase(it);
    }
    if (!pending->abandoned) pending->reply(to_response(pending->response, std::move(pending->body.data)));
    return PARLEY_OK;
}

// A plugin that goes away answers what it still owed with 503. The buffers stay
// until its instances are destroyed: a Responder may still write into them. Runs after
// the instance's concurrent routes are closed, so no new entry of it appears meanwhile.
void PluginHost::Impl::abandon_pending_http(std::uint64_t owner) {
    std::vector<http::Reply> owed;
    {
        std::lock_guard lock(pending_mutex);
        for (auto& [key, pending] : pending_http) {
            if (pending->owner != owner || pending->abandoned) continue;
            owed.push_back(std::move(pending->reply));
            pending->abandoned = true;
        }
    }
    for (auto& reply : owed) reply(unavailable());
}

void PluginHost::Impl::forget_pending_http(std::uint64_t owner) {
    std::vector<std::unique_ptr<PendingResponse>> gone;  // destroyed after the lock is released
    std::lock_guard lock(pending_mutex);
    for (auto it = pending_http.begin(); it != pending_http.end();) {
        if (it->second->owner != owner) {
            ++it;
            continue;
        }
        gone.push_back(std::move(it->second));
        it = pending_http.erase(it);
    }
}

parley_status PluginHost::Impl::register_route(parley_host& h, std::string_view method, std::string_view path,
                                               parley_http_fn fn, void* user) {
    if (!fn || path.empty() || path.front() != '/') return PARLEY_ERR_INVALID;
    if (!services.router) return PARLEY_OK;  // a host that serves no HTTP (parley mask) ignores routes
    auto self = find_host(h.owner);
    Runtime* runtime = services.runtime;
    auto handler = [this, self, fn, user, runtime](const http::Request& req, http::Reply reply) {
        // Plugin code runs on the core strand, one call at a time.
        auto run = [this, self, fn, user, req, reply = std::move(reply)] {
            if (!*self->alive) return reply(unavailable());
            call_route(*this, *self, fn, user, req, std::move(reply));
        };
        if (runtime) runtime->post(std::move(run));
        else run();
    };
    return services.router->add(std::string(method), std::string(path), std::move(handler), h.owner) ? PARLEY_OK
                                                                                                     : PARLEY_ERR_EXISTS;
}

// The handler runs on the I/O thread that read the request (call_concurrent); the
// instance's CallGate keeps it from running during stop() or after destroy.
parley_status PluginHost::Impl::register_route_concurrent(parley_host& h, std::string_view method,
                                                          std::string_view path, parley_http_fn fn, void* user) {
    if (!fn || path.empty() || path.front() != '/') return PARLEY_ERR_INVALID;
    if (!services.router) return PARLEY_OK;  // a host that serves no HTTP (parley mask) ignores routes
    auto self = find_host(h.owner);
    if (!self) return PARLEY_ERR_INVALID;
    auto handler = [this, self, fn, user](const http::Request& req, http::Reply reply) {
        call_concurrent(*this, self, fn, user, req, std::move(reply));
    };
    return services.router->add(std::string(method), std::string(path), std::move(handler), h.owner) ? PARLEY_OK
                                                                                                     : PARLEY_ERR_EXISTS;
}

void PluginHost::Impl::close_concurrent_routes(parley_host& h) { h.concurrent_calls.close(); }

}  // namespace parley::plugins
