// Header-only C++ wrapper over parley/abi.h, compiled into each plugin.
//
// A plugin is a class with a constructor `Plugin(parley::Host&, const parley::Config&)`
// and optional `void start()` / `void stop()`. PARLEY_PLUGIN(...) builds the static
// descriptor and the one exported entry symbol. Every call from the core goes through
// a noexcept trampoline here that turns exceptions into PARLEY_ERR_EXCEPTION plus the
// exception's message, so no exception ever crosses the boundary.
#pragma once

#include <parley/abi.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <strings.h>
#include <unordered_set>
#include <vector>

namespace parley {

inline parley_str to_c(std::string_view s) noexcept { return parley_str{s.data(), s.size()}; }
inline std::string_view to_view(parley_str s) noexcept { return {s.data ? s.data : "", s.size}; }

inline void set_error(parley_error* err, std::string_view message) noexcept {
    if (!err) return;
    const size_t n = std::min(message.size(), sizeof(err->message) - 1);
    std::memcpy(err->message, message.data(), n);
    err->message[n] = '\0';
}

// Runs `body`; exceptions become PARLEY_ERR_EXCEPTION with their message.
template <class Body>
parley_status guarded(parley_error* err, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::exception& e) {
        set_error(err, e.what());
    } catch (...) {
        set_error(err, "unknown exception");
    }
    return PARLEY_ERR_EXCEPTION;
}

// Thrown by wrapper calls whose C call failed.
struct Error : std::runtime_error {
    parley_status status;
    Error(parley_status s, const std::string& what) : std::runtime_error(what), status(s) {}
};

// A core-owned buffer seen from the plugin.
class Buffer {
public:
    Buffer(const parley_host_api* api, parley_buffer* buffer) : api_(api), buffer_(buffer) {}
    void write(std::string_view bytes) const { api_->buffer_write(buffer_, to_c(bytes)); }

private:
    const parley_host_api* api_;
    parley_buffer* buffer_;
};

// The validated config of this instance, readable during the constructor only.
class Config {
public:
    Config(const parley_host_api* api, const parley_config* config) : api_(api), config_(config) {}

    std::string string(std::string_view key) const {
        parley_str out{};
        check(api_->config_string(config_, to_c(key), &out), key);
        return std::string(to_view(out));
    }
    std::int64_t integer(std::string_view key) const {
        std::int64_t out = 0;
        check(api_->config_int(config_, to_c(key), &out), key);
        return out;
    }
    double number(std::string_view key) const {
        double out = 0;
        check(api_->config_double(config_, to_c(key), &out), key);
        return out;
    }
    bool boolean(std::string_view key) const {
        int out = 0;
        check(api_->config_bool(config_, to_c(key), &out), key);
        return out != 0;
    }
    std::vector<std::string> strings(std::string_view key) const {
        size_t n = 0;
        check(api_->config_array_size(config_, to_c(key), &n), key);
        std::vector<std::string> out;
        for (size_t i = 0; i < n; ++i) {
            parley_str s{};
            check(api_->config_array_string(config_, to_c(key), i, &s), key);
            out.emplace_back(to_view(s));
        }
        return out;
    }

private:
    static void check(parley_status s, std::string_view key) {
        if (s != PARLEY_OK) throw Error(s, "config key '" + std::string(key) + "' is not available");
    }
    const parley_host_api* api_;
    const parley_config* config_;
};

struct HttpRequest {
    std::string_view method, target, path, query, body;
    const parley_http_header* headers = nullptr;
    size_t header_count = 0;
    // Case-insensitive header lookup.
    std::optional<std::string_view> header(std::string_view name) const {
        for (size_t i = 0; i < header_count; ++i) {
            auto n = to_view(headers[i].name);
            if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0)
                return to_view(headers[i].value);
        }
        return std::nullopt;
    }
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

// A file as the answer (ABI 1.2), sent by the core from disk as the client takes it: for
// media and downloads, which need not be in memory. 404 if it cannot be opened then.
struct FileResponse {
    std::string content_type;
    std::string path;
};

// Answers an HTTP request later (see Host::route_async and Host::route_concurrent).
// The first send() wins; a Responder dropped without sending answers 500. send() is
// for the core thread, or for the thread running the concurrent route handler that
// got it; hand it to the core thread with Host::post(), never to two threads at once.
class Responder {
public:
    Responder(const parley_host_api* api, parley_host* host, parley_http_response* response)
        : api_(api), host_(host), response_(response) {}
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    ~Responder() {
        if (response_) send({500, "text/plain", "the plugin did not answer\n"});
    }
    void send(const HttpResponse& r) {
        if (!response_) return;
        response_->status = r.status;
        api_->buffer_write(response_->content_type, to_c(r.content_type));
        api_->buffer_write(response_->body, to_c(r.body));
        api_->http_complete(host_, response_);
        response_ = nullptr;
    }
    void send_file(const FileResponse& r) {
        if (!response_) return;
        response_->status = 200;
        api_->buffer_write(response_->content_type, to_c(r.content_type));
        api_->buffer_write(response_->file, to_c(r.path));
        api_->http_complete(host_, response_);
        response_ = nullptr;
    }

private:
    const parley_host_api* api_;
    parley_host* host_;
    parley_http_response* response_;
};

// The host as a plugin instance sees it. Handlers are owned here and live as long as
// the instance; the core removes every registration before destroying the instance.
class Host {
public:
    using EventHandler = std::function<void(std::string_view topic, std::string_view payload)>;
    // Return a replacement payload, or std::nullopt to keep it; set veto to stop delivery.
    using FilterHandler =
        std::function<std::optional<std::string>(std::string_view topic, std::string_view payload, bool& veto)>;
    using CommandHandler = std::function<std::string(std::string_view args)>;
    using TimerHandler = std::function<void()>;
    using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
    // The request views are valid during the call only: copy what the answer needs.
    using AsyncHttpHandler = std::function<void(const HttpRequest&, std::shared_ptr<Responder>)>;

    Host(const parley_host_api* api, parley_host* host) : api_(api), host_(host) {}
    ~Host() {
        for (auto* task : posted_) delete task;
    }
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    const parley_host_api* api() const { return api_; }
    parley_host* handle() const { return host_; }
    std::string_view plugin_id() const { return to_view(api_->plugin_id(host_)); }
    std::string_view tenant_id() const { return to_view(api_->tenant_id(host_)); }
    // Where `parley serve` listens ("http://127.0.0.1:8080"); empty before it listens.
    std::string server_url() const { return std::string(to_view(api_->server_url(host_))); }

    void log(parley_log_level level, std::string_view message) const {
        api_->log(host_, level, to_c(message));
    }
    void info(std::string_view m) const { log(PARLEY_LOG_INFO, m); }
    void warn(std::string_view m) const { log(PARLEY_LOG_WARN, m); }
    void error(std::string_view m) const { log(PARLEY_LOG_ERROR, m); }

    std::uint64_t subscribe(std::string_view topic, EventHandler fn, std::int32_t priority = 0) {
        auto& slot = keep(std::move(fn), events_);
        std::uint64_t id = 0;
        check(api_->subscribe(host_, to_c(topic), priority, &on_event, &slot, &id), "subscribe");
        return id;
    }
    std::uint64_t add_filter(std::string_view topic, FilterHandler fn, std::int32_t priority = 0) {
        auto& slot = keep(std::move(fn), filters_);
        std::uint64_t id = 0;
        check(api_->add_filter(host_, to_c(topic), priority, &on_filter, &slot, &id), "add_filter");
        return id;
    }
    void unsubscribe(std::uint64_t id) { api_->unsubscribe(host_, id); }
    void publish(std::string_view topic, std::string_view payload) {
        check(api_->publish(host_, to_c(topic), to_c(payload)), "publish");
    }

    // Runs the "before" filters of `topic` (masking sits there) over `payload`:
    // the filtered payload, or std::nullopt when a filter vetoed it.
    std::optional<std::string> filter(std::string_view topic, std::string_view payload) const {
        std::unique_ptr<parley_buffer, void (*)(parley_buffer*)> out(api_->buffer_create(), api_->buffer_destroy);
        int vetoed = 0;
        check(api_->filter(host_, to_c(topic), to_c(payload), out.get(), &vetoed), "filter");
        if (vetoed) return std::nullopt;
        return std::string(to_view(api_->buffer_view(out.get())));
    }

    void register_service(std::string_view name, std::uint32_t version, const void* table, void* user) {
        check(api_->register_service(host_, to_c(name), version, table, user), "register_service");
    }
    std::optional<parley_service> find_service(std::string_view name, std::uint32_t min_version) const {
        parley_service out{};
        if (api_->get_service(host_, to_c(name), min_version, &out) != PARLEY_OK) return std::nullopt;
        return out;
    }

    void register_command(std::string_view name, CommandHandler fn) {
        auto& slot = keep(std::move(fn), commands_);
        check(api_->register_command(host_, to_c(name), &on_command, &slot), "register_command");
    }

    std::uint64_t start_timer(std::uint64_t delay_ms, std::uint64_t repeat_ms, TimerHandler fn) {
        auto& slot = keep(std::move(fn), timers_);
        std::uint64_t id = 0;
        check(api_->timer_start(host_, delay_ms, repeat_ms, &on_timer, &slot, &id), "timer_start");
        return id;
    }
    void cancel_timer(std::uint64_t id) { api_->timer_cancel(host_, id); }

    // An HTTP route by exact path; a path ending in "/*" takes every path under it that
    // has no exact route (ABI 1.2), and the handler reads which from req.path.
    void route(std::string_view method, std::string_view path, HttpHandler fn) {
        auto& slot = keep(std::move(fn), routes_);
        check(api_->register_route(host_, to_c(method), to_c(path), &on_http, &slot), "register_route");
    }

    // Adds to the counter parley_<name>{plugin="<id>",<labels>} at /metrics.
    void count(std::string_view name, std::string_view help, std::string_view labels = {}, std::int64_t delta = 1) const {
        api_->count(host_, to_c(name), to_c(help), to_c(labels), delta);
    }

    // Runs `fn` on the core thread; callable from any thread (also from a plugin's own
    // threads, where it is the only call allowed). Skipped if the plugin goes away first.
    void post(std::function<void()> fn) const {
        auto* task = new PostedTask{this, std::move(fn)};
        {
            std::lock_guard lock(posted_mutex_);
            posted_.insert(task);
        }
        if (api_->post(host_, &run_posted, task) != PARLEY_OK) delete take_posted(task);
    }

    // A route answered later, on the core thread, through the Responder.
    void route_async(std::string_view method, std::string_view path, AsyncHttpHandler fn) {
        auto& slot = keep(std::move(fn), async_routes_);
        check(api_->register_route(host_, to_c(method), to_c(path), &on_http_async, &slot), "register_route");
    }

    // A route whose handler runs on the HTTP I/O thread that read the request, not on
    // the core thread: several at once, concurrently with the core thread (ABI 1.1; see
    // register_route_concurrent in abi.h). For the work that needs none of the plugin's
    // core-thread state (a signature check, parsing): answer bad requests right there
    // with responder->send(), and post() the rest, with the Responder, to the core thread.
    // Inside the handler only log/info/warn/error, plugin_id, tenant_id, count, post and
    // responder->send/send_file are allowed; read only what does not change after the constructor
    // (or is itself thread-safe); never block. The core waits for running calls before
    // stop(), and starts none afterwards.
    void route_concurrent(std::string_view method, std::string_view path, AsyncHttpHandler fn) {
        // Every host of a 1.1 plugin has this call: a core older than the plugin refuses it.
        auto& slot = keep(std::move(fn), async_routes_);
        check(api_->register_route_concurrent(host_, to_c(method), to_c(path), &on_http_async, &slot),
              "register_route_concurrent");
    }

private:
    template <class Fn>
    struct Slot {
        const parley_host_api* api;
        parley_host* host;
        Fn fn;
    };

    template <class Fn>
    Slot<Fn>& keep(Fn fn, std::deque<Slot<Fn>>& slots) {
        slots.push_back(Slot<Fn>{api_, host_, std::move(fn)});
        return slots.back();
    }

    static void check(parley_status s, const char* what) {
        if (s != PARLEY_OK) throw Error(s, std::string(what) + " was refused by the host");
    }

    static parley_status on_event(void* user, parley_str topic, parley_str payload, parley_error* err) noexcept {
        return guarded(err, [&] {
            static_cast<Slot<EventHandler>*>(user)->fn(to_view(topic), to_view(payload));
            return PARLEY_OK;
        });
    }
    static parley_status on_filter(void* user, parley_str topic, parley_str payload, parley_buffer* out,
                                   int* veto, parley_error* err) noexcept {
        return guarded(err, [&] {
            auto* slot = static_cast<Slot<FilterHandler>*>(user);
            bool v = false;
            auto replacement = slot->fn(to_view(topic), to_view(payload), v);
            if (replacement) slot->api->buffer_write(out, to_c(*replacement));
            *veto = v ? 1 : 0;
            return PARLEY_OK;
        });
    }
    static parley_status on_command(void* user, parley_str args, parley_buffer* result, parley_error* err) noexcept {
        return guarded(err, [&] {
            auto* slot = static_cast<Slot<CommandHandler>*>(user);
            auto out = slot->fn(to_view(args));
            slot->api->buffer_write(result, to_c(out));
            return PARLEY_OK;
        });
    }
    static void on_timer(void* user, std::uint64_t) noexcept {
        parley_error ignored{};
        // A timer has no caller to report to; an exception is swallowed here and
        // the plugin should log it itself.
        guarded(&ignored, [&] {
            static_cast<Slot<TimerHandler>*>(user)->fn();
            return PARLEY_OK;
        });
    }
    static parley_status on_http(void* user, const parley_http_request* req, parley_http_response* res,
                                 parley_error* err) noexcept {
        return guarded(err, [&] {
            auto* slot = static_cast<Slot<HttpHandler>*>(user);
            HttpRequest r{to_view(req->method), to_view(req->target), to_view(req->path),
                          to_view(req->query),  to_view(req->body),   req->headers,
                          req->header_count};
            HttpResponse out = slot->fn(r);
            res->status = out.status;
            slot->api->buffer_write(res->content_type, to_c(out.content_type));
            slot->api->buffer_write(res->body, to_c(out.body));
            return PARLEY_OK;
        });
    }

    // A task posted and not run yet. The core does not run the tasks of a plugin that is
    // going away (nor any once the server stopped): those are freed with the Host.
    struct PostedTask {
        const Host* host;
        std::function<void()> fn;
    };

    PostedTask* take_posted(PostedTask* task) const {
        std::lock_guard lock(posted_mutex_);
        posted_.erase(task);
        return task;
    }

    static void run_posted(void* user) noexcept {
        auto* raw = static_cast<PostedTask*>(user);
        std::unique_ptr<PostedTask> task(raw->host->take_posted(raw));
        parley_error ignored{};
        guarded(&ignored, [&] {
            task->fn();
            return PARLEY_OK;
        });
    }

    static parley_status on_http_async(void* user, const parley_http_request* req, parley_http_response* res,
                                       parley_error* err) noexcept {
        return guarded(err, [&] {
            auto* slot = static_cast<Slot<AsyncHttpHandler>*>(user);
            HttpRequest r{to_view(req->method), to_view(req->target), to_view(req->path),
                          to_view(req->query),  to_view(req->body),   req->headers,
                          req->header_count};
            slot->fn(r, std::make_shared<Responder>(slot->api, slot->host, res));
            return PARLEY_PENDING;
        });
    }

    const parley_host_api* api_;
    parley_host* host_;
    mutable std::mutex posted_mutex_;
    mutable std::unordered_set<PostedTask*> posted_;
    std::deque<Slot<EventHandler>> events_;
    std::deque<Slot<FilterHandler>> filters_;
    std::deque<Slot<CommandHandler>> commands_;
    std::deque<Slot<TimerHandler>> timers_;
    std::deque<Slot<HttpHandler>> routes_;
    std::deque<Slot<AsyncHttpHandler>> async_routes_;
};

namespace detail {

// What the core creates per scope: the Host wrapper plus the plugin object.
template <class Plugin>
struct Instance {
    Host host;
    std::unique_ptr<Plugin> plugin;
    Instance(const parley_host_api* api, parley_host* h) : host(api, h) {}
};

template <class T>
concept HasStart = requires(T& t) { t.start(); };
template <class T>
concept HasStop = requires(T& t) { t.stop(); };

template <class Plugin>
struct Trampolines {
    static parley_status create(const parley_host_api* api, parley_host* h, const parley_config* cfg,
                                void** out, parley_error* err) noexcept {
        return guarded(err, [&] {
            auto inst = std::make_unique<Instance<Plugin>>(api, h);
            Config config(api, cfg);
            inst->plugin = std::make_unique<Plugin>(inst->host, config);
            *out = inst.release();
            return PARLEY_OK;
        });
    }
    static parley_status start(void* p, parley_error* err) noexcept {
        return guarded(err, [&] {
            if constexpr (HasStart<Plugin>) static_cast<Instance<Plugin>*>(p)->plugin->start();
            return PARLEY_OK;
        });
    }
    static void stop(void* p) noexcept {
        parley_error ignored{};
        guarded(&ignored, [&] {
            if constexpr (HasStop<Plugin>) static_cast<Instance<Plugin>*>(p)->plugin->stop();
            return PARLEY_OK;
        });
    }
    static void destroy(void* p) noexcept { delete static_cast<Instance<Plugin>*>(p); }
};

}  // namespace detail

// Fills a descriptor for Plugin. `dependencies` and `config` must have static storage.
template <class Plugin>
constexpr parley_plugin_descriptor make_descriptor(const char* id, const char* version, parley_plugin_kind kind,
                                                   const char* description, const char* const* dependencies,
                                                   const parley_config_entry* config, size_t config_count) {
    return parley_plugin_descriptor{PARLEY_ABI_MAGIC,
                                    PARLEY_ABI_MAJOR,
                                    PARLEY_ABI_MINOR,
                                    sizeof(parley_plugin_descriptor),
                                    id,
                                    version,
                                    kind,
                                    description,
                                    dependencies,
                                    config,
                                    config_count,
                                    &detail::Trampolines<Plugin>::create,
                                    &detail::Trampolines<Plugin>::start,
                                    &detail::Trampolines<Plugin>::stop,
                                    &detail::Trampolines<Plugin>::destroy};
}

}  // namespace parley

// The entry symbol: `parley_plugin_entry` in a shared module, and
// `parley_plugin_entry_<id>` in the static build so several features link together.
#ifdef PARLEY_STATIC_PLUGIN
#define PARLEY_ENTRY_NAME(id) parley_plugin_entry_##id
#else
#define PARLEY_ENTRY_NAME(id) parley_plugin_entry
#endif

namespace parley::detail {
template <size_t N>
constexpr const parley_config_entry* entries(const parley_config_entry (&config)[N]) { return config; }
constexpr const parley_config_entry* entries(std::nullptr_t) { return nullptr; }
template <size_t N>
constexpr size_t count(const parley_config_entry (&)[N]) { return N; }
constexpr size_t count(std::nullptr_t) { return 0; }
}  // namespace parley::detail

// PARLEY_PLUGIN(ident, Class, "version", kind, "description", dependencies, config)
// `ident` is the plugin id as a C identifier; `dependencies` is a NULL-terminated
// array of ids (or nullptr); `config` a static array of parley_config_entry (or nullptr).
#define PARLEY_PLUGIN(ident, Class, version, kind, description, dependencies, config)                  \
    extern "C" PARLEY_EXPORT const parley_plugin_descriptor* PARLEY_ENTRY_NAME(ident)(void) {         \
        static const parley_plugin_descriptor descriptor = parley::make_descriptor<Class>(             \
            #ident, version, kind, description, dependencies, parley::detail::entries(config),          \
            parley::detail::count(config));                                                            \
        return &descriptor;                                                                            \
    }
