// A fake host for plugin unit tests: implements parley_host_api in memory, so a
// plugin can be created, driven and inspected without the core. Single-threaded;
// timers fire only when the test calls fire_timers(). It defines the opaque handles
// of abi.h itself, so never include it in a binary that links parley-core.
// Concurrent routes (register_route_concurrent) run in request() on the test's thread,
// like any route; as in the core, host calls that are for the core thread only are
// refused during such a call (PARLEY_ERR_REFUSED), and counted (refused_calls()).
//
//   parley::testing::FakeHost host;
//   host.set("enabled", true);
//   auto plugin = host.create(parley_plugin_entry_masking());   // static build
//   host.publish("topic", "{}");
//   EXPECT_EQ(host.call("command", "{}"), "...");
#pragma once

#include <parley/abi.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct parley_host {
    void* fake;
};
struct parley_buffer {
    std::string data;
};
struct parley_config {
    void* fake;
};

namespace parley::testing {

class FakeHost {
public:
    using Value = std::variant<std::string, std::int64_t, double, bool, std::vector<std::string>>;

    struct LogLine {
        parley_log_level level;
        std::string text;
    };
    struct HttpResult {
        int status = 0;
        std::string content_type;
        std::string body;
        std::string file;  // a file answer's path (Responder::send_file); body is then empty
    };

    FakeHost() {
        handle_.fake = this;
        config_.fake = this;
    }
    ~FakeHost() { destroy(); }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    void set_tenant(std::string tenant) { tenant_ = std::move(tenant); }
    void set_server_url(std::string url) { server_url_ = std::move(url); }
    void set(const std::string& key, Value v) { values_[key] = std::move(v); }

    // Fills unset keys with the descriptor's defaults (a small TOML subset), then
    // creates and starts the plugin. Throws with the plugin's message on failure.
    void create(const parley_plugin_descriptor* d) {
        if (!d || d->magic != PARLEY_ABI_MAGIC) throw std::runtime_error("not a Parley plugin descriptor");
        descriptor_ = d;
        plugin_id_ = d->id;
        for (size_t i = 0; i < d->config_count; ++i) fill_default(d->config[i]);
        parley_error err{};
        if (d->create(&api_, &handle_, &config_, &instance_, &err) != PARLEY_OK)
            throw std::runtime_error(std::string("create failed: ") + err.message);
        if (d->start && d->start(instance_, &err) != PARLEY_OK)
            throw std::runtime_error(std::string("start failed: ") + err.message);
    }

    void destroy() {
        if (!instance_) return;
        if (descriptor_->stop) descriptor_->stop(instance_);
        subscribers_.clear();
        filters_.clear();
        commands_.clear();
        routes_.clear();
        timers_.clear();
        descriptor_->destroy(instance_);
        instance_ = nullptr;
    }

    // Delivers to the plugin's listeners; returns how many ran.
    int publish(std::string_view topic, std::string_view payload) {
        published_.emplace_back(std::string(topic), std::string(payload));
        int n = 0;
        for (auto& s : subscribers_) {
            if (s.topic != topic) continue;
            parley_error err{};
            if (s.fn(s.user, str(topic), str(payload), &err) != PARLEY_OK) throw std::runtime_error(err.message);
            ++n;
        }
        return n;
    }

    // Runs the plugin's filters; std::nullopt when vetoed.
    std::optional<std::string> filter(std::string_view topic, std::string payload) {
        for (auto& f : filters_) {
            if (f.topic != topic) continue;
            parley_buffer out;
            int veto = 0;
            parley_error err{};
            if (f.fn(f.user, str(topic), str(payload), &out, &veto, &err) != PARLEY_OK)
                throw std::runtime_error(err.message);
            if (!out.data.empty()) payload = out.data;
            if (veto) return std::nullopt;
        }
        return payload;
    }

    std::string call(const std::string& command, std::string_view args) {
        auto it = commands_.find(command);
        if (it == commands_.end()) throw std::runtime_error("no command " + command);
        parley_buffer out;
        parley_error err{};
        if (it->second.fn(it->second.user, str(args), &out, &err) != PARLEY_OK) throw std::runtime_error(err.message);
        return out.data;
    }

    // status -1: the handler answers later (PARLEY_PENDING) and has not yet; its answer
    // can still be given (the response lives in the fake host) and read with late_answer().
    HttpResult request(const std::string& method, const std::string& path, std::string_view body = {},
                       std::vector<std::pair<std::string, std::string>> headers = {}, std::string query = {}) {
        auto it = find_route(method, path);
        if (it == routes_.end()) return {404, "", "", ""};
        std::vector<parley_http_header> h;
        for (auto& [k, v] : headers) h.push_back({str(k), str(v)});
        std::string target = query.empty() ? path : path + "?" + query;
        parley_http_request req{sizeof req, str(method), str(target), str(path), str(query), str(body), h.data(), h.size()};
        exchanges_.push_back(std::make_unique<Exchange>());
        auto& x = *exchanges_.back();
        parley_error err{};
        completed_ = false;
        in_concurrent_ = it->second.concurrent;
        auto s = it->second.fn(it->second.user, &req, &x.response, &err);
        in_concurrent_ = false;
        HttpResult result{x.response.status, x.content_type.data, x.body.data, x.file.data};
        if (s == PARLEY_PENDING && !completed_) return {-1, "", "", ""};  // x stays for the late answer
        exchanges_.pop_back();
        if (s != PARLEY_OK && s != PARLEY_PENDING) return {500, "", err.message, ""};
        return result;
    }

    // The answer to the latest request() that was answered later (status -1: not yet;
    // 0: there was none).
    HttpResult late_answer() const {
        if (exchanges_.empty()) return {0, "", "", ""};
        auto& x = *exchanges_.back();
        if (!x.done) return {-1, "", "", ""};
        return {x.response.status, x.content_type.data, x.body.data, x.file.data};
    }

    // Fires every timer once (repeating ones stay registered).
    int fire_timers() {
        auto due = timers_;
        for (auto& [id, t] : due) {
            if (!t.repeat) timers_.erase(id);
            t.fn(t.user, id);
        }
        return static_cast<int>(due.size());
    }

    // Runs what the plugin posted from its threads; returns how many ran.
    int run_posted() {
        std::vector<std::pair<void (*)(void*), void*>> tasks;
        {
            std::lock_guard lock(posted_mutex_);
            tasks.swap(posted_);
        }
        for (auto& [fn, user] : tasks) fn(user);
        return static_cast<int>(tasks.size());
    }

    // Forgets what the plugin posted without running it, as the core does for a plugin
    // that is going away or once the server stopped; returns how many.
    int drop_posted() {
        std::lock_guard lock(posted_mutex_);
        auto n = static_cast<int>(posted_.size());
        posted_.clear();
        return n;
    }

    const parley_service* service(const std::string& name) const {
        auto it = services_.find(name);
        return it == services_.end() ? nullptr : &it->second;
    }
    void provide_service(const std::string& name, parley_service s) { services_[name] = s; }

    const std::vector<LogLine>& logs() const { return logs_; }
    const std::vector<std::pair<std::string, std::string>>& published() const { return published_; }
    bool has_command(const std::string& name) const { return commands_.count(name) > 0; }
    bool has_route(const std::string& method, const std::string& path) const {
        return routes_.count(method + " " + path) > 0;
    }
    // Registered with register_route_concurrent (runs on the server's I/O threads).
    bool is_concurrent_route(const std::string& method, const std::string& path) const {
        auto it = routes_.find(method + " " + path);
        return it != routes_.end() && it->second.concurrent;
    }
    // Core-thread-only host calls the plugin made from inside a concurrent route.
    int refused_calls() const { return refused_calls_; }

private:
    static parley_str str(std::string_view s) { return {s.data(), s.size()}; }
    static std::string_view view(parley_str s) { return {s.data ? s.data : "", s.size}; }
    static FakeHost& self(parley_host* h) { return *static_cast<FakeHost*>(h->fake); }
    static FakeHost& self(const parley_config* c) { return *static_cast<FakeHost*>(c->fake); }
    // True (and counted) when a core-thread-only call comes from inside a concurrent route.
    static bool refused(parley_host* h) {
        auto& me = self(h);
        if (!me.in_concurrent_) return false;
        ++me.refused_calls_;
        return true;
    }

    void fill_default(const parley_config_entry& e) {
        if (values_.count(e.key) || !e.default_value) return;
        std::string d = e.default_value;
        switch (e.type) {
            case PARLEY_CONFIG_STRING: values_[e.key] = d.size() >= 2 ? d.substr(1, d.size() - 2) : d; break;
            case PARLEY_CONFIG_INT: values_[e.key] = static_cast<std::int64_t>(std::stoll(d)); break;
            case PARLEY_CONFIG_DOUBLE: values_[e.key] = std::stod(d); break;
            case PARLEY_CONFIG_BOOL: values_[e.key] = d == "true"; break;
            case PARLEY_CONFIG_STRING_ARRAY: values_[e.key] = parse_array(d); break;
        }
    }
    static std::vector<std::string> parse_array(const std::string& d) {
        std::vector<std::string> out;
        for (size_t i = d.find('"'); i != std::string::npos; i = d.find('"', i)) {
            auto end = d.find('"', i + 1);
            out.push_back(d.substr(i + 1, end - i - 1));
            i = end + 1;
        }
        return out;
    }

    template <class T>
    static parley_status get(const parley_config* c, parley_str key, T* out) {
        auto& vals = self(c).values_;
        auto it = vals.find(std::string(view(key)));
        if (it == vals.end()) return PARLEY_ERR_NOT_FOUND;
        auto v = std::get_if<T>(&it->second);
        if (!v) return PARLEY_ERR_TYPE;
        *out = *v;
        return PARLEY_OK;
    }

    struct Subscriber {
        std::string topic;
        parley_event_fn fn;
        void* user;
    };
    struct Filter {
        std::string topic;
        parley_filter_fn fn;
        void* user;
    };
    struct Command {
        parley_command_fn fn;
        void* user;
    };
    // A request whose handler may answer after request() returned.
    struct Exchange {
        parley_buffer content_type;
        parley_buffer body;
        parley_buffer file;
        parley_http_response response{sizeof(parley_http_response), 200, &content_type, &body, &file};
        bool done = false;
    };
    struct Route {
        parley_http_fn fn;
        void* user;
        bool concurrent = false;
    };
    struct Timer {
        parley_timer_fn fn;
        void* user;
        bool repeat;
    };

    // The route for a path: exact, else the longest prefix route ("/media/*") above it.
    std::map<std::string, Route>::const_iterator find_route(const std::string& method, const std::string& path) const {
        auto it = routes_.find(method + " " + path);
        if (it != routes_.end()) return it;
        std::size_t longest = 0;
        for (auto r = routes_.begin(); r != routes_.end(); ++r) {
            const std::string& key = r->first;  // "GET /media/*"
            if (!key.ends_with("/*") || key.compare(0, method.size() + 1, method + " ") != 0) continue;
            const std::string prefix = key.substr(method.size() + 1, key.size() - method.size() - 2);
            if (path.starts_with(prefix) && prefix.size() >= longest) {
                longest = prefix.size();
                it = r;
            }
        }
        return it;
    }

    static parley_status add_route(parley_host* h, parley_str m, parley_str p, parley_http_fn fn, void* user,
                                   bool concurrent) noexcept {
        if (refused(h)) return PARLEY_ERR_REFUSED;
        auto key = std::string(view(m)) + " " + std::string(view(p));
        auto [it, ok] = self(h).routes_.emplace(key, Route{fn, user, concurrent});
        return ok ? PARLEY_OK : PARLEY_ERR_EXISTS;
    }

    static const parley_host_api* table() {
        static const parley_host_api api = {
            sizeof(parley_host_api),
            PARLEY_ABI_MAJOR,
            PARLEY_ABI_MINOR,
            [](parley_host* h, parley_log_level l, parley_str m) noexcept {
                self(h).logs_.push_back({l, std::string(view(m))});
            },
            [](parley_host* h) noexcept { return str(self(h).plugin_id_); },
            [](parley_host* h) noexcept { return str(self(h).tenant_); },
            [](const parley_config* c, parley_str k, parley_str* out) noexcept {
                auto& vals = self(c).values_;
                auto it = vals.find(std::string(view(k)));
                if (it == vals.end()) return PARLEY_ERR_NOT_FOUND;
                auto v = std::get_if<std::string>(&it->second);
                if (!v) return PARLEY_ERR_TYPE;
                *out = str(*v);
                return PARLEY_OK;
            },
            [](const parley_config* c, parley_str k, int64_t* out) noexcept { return get(c, k, out); },
            [](const parley_config* c, parley_str k, double* out) noexcept { return get(c, k, out); },
            [](const parley_config* c, parley_str k, int* out) noexcept {
                bool b = false;
                auto s = get(c, k, &b);
                *out = b;
                return s;
            },
            [](const parley_config* c, parley_str k, size_t* out) noexcept {
                std::vector<std::string> v;
                auto s = get(c, k, &v);
                *out = v.size();
                return s;
            },
            [](const parley_config* c, parley_str k, size_t i, parley_str* out) noexcept {
                auto& vals = self(c).values_;
                auto it = vals.find(std::string(view(k)));
                if (it == vals.end()) return PARLEY_ERR_NOT_FOUND;
                auto v = std::get_if<std::vector<std::string>>(&it->second);
                if (!v) return PARLEY_ERR_TYPE;
                if (i >= v->size()) return PARLEY_ERR_INVALID;
                *out = str((*v)[i]);
                return PARLEY_OK;
            },
            [](parley_buffer* b, parley_str bytes) noexcept { b->data.append(bytes.data, bytes.size); },
            []() noexcept { return new parley_buffer; },
            [](const parley_buffer* b) noexcept { return str(b->data); },
            [](parley_buffer* b) noexcept { delete b; },
            [](parley_host* h, parley_str t, int32_t, parley_event_fn fn, void* user, uint64_t* id) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                self(h).subscribers_.push_back({std::string(view(t)), fn, user});
                if (id) *id = self(h).subscribers_.size();
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str t, int32_t, parley_filter_fn fn, void* user, uint64_t* id) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                self(h).filters_.push_back({std::string(view(t)), fn, user});
                if (id) *id = self(h).filters_.size();
                return PARLEY_OK;
            },
            [](parley_host* h, uint64_t) noexcept { return refused(h) ? PARLEY_ERR_REFUSED : PARLEY_ERR_NOT_FOUND; },
            [](parley_host* h, parley_str t, parley_str p) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                self(h).published_.emplace_back(std::string(view(t)), std::string(view(p)));
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str t, parley_str p, parley_buffer* out, int* vetoed) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                auto r = self(h).filter(view(t), std::string(view(p)));
                if (out && r) out->data = *r;
                if (vetoed) *vetoed = r ? 0 : 1;
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str n, uint32_t v, const void* table, void* user) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                self(h).services_[std::string(view(n))] = parley_service{table, user, v};
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str n, uint32_t min, parley_service* out) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                auto s = self(h).service(std::string(view(n)));
                if (!s) return PARLEY_ERR_NOT_FOUND;
                if (s->version < min) return PARLEY_ERR_VERSION;
                *out = *s;
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str n, parley_command_fn fn, void* user) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                auto [it, ok] = self(h).commands_.emplace(std::string(view(n)), Command{fn, user});
                return ok ? PARLEY_OK : PARLEY_ERR_EXISTS;
            },
            [](parley_host* h, uint64_t, uint64_t repeat, parley_timer_fn fn, void* user, uint64_t* id) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                auto& me = self(h);
                auto tid = ++me.next_timer_;
                me.timers_[tid] = Timer{fn, user, repeat != 0};
                if (id) *id = tid;
                return PARLEY_OK;
            },
            [](parley_host* h, uint64_t id) noexcept {
                if (refused(h)) return PARLEY_ERR_REFUSED;
                return self(h).timers_.erase(id) ? PARLEY_OK : PARLEY_ERR_NOT_FOUND;
            },
            [](parley_host* h, parley_str m, parley_str p, parley_http_fn fn, void* user) noexcept {
                return add_route(h, m, p, fn, user, false);
            },
            // Answers completed during the handler call are seen by request(); later
            // ones by late_answer().
            [](parley_host* h, parley_http_response* r) noexcept {
                auto& me = self(h);
                me.completed_ = true;
                for (auto& x : me.exchanges_)
                    if (&x->response == r) x->done = true;
                return PARLEY_OK;
            },
            // Queued; run_posted() runs them, as the core thread would.
            [](parley_host* h, void (*fn)(void*), void* user) noexcept {
                std::lock_guard lock(self(h).posted_mutex_);
                self(h).posted_.emplace_back(fn, user);
                return PARLEY_OK;
            },
            [](parley_host* h) noexcept { return refused(h) ? str("") : str(self(h).server_url_); },
            [](parley_host* h, parley_str n, parley_str, parley_str labels, int64_t delta) noexcept {
                auto key = std::string(view(n)) + "{" + std::string(view(labels)) + "}";
                self(h).counters_[key] += delta;
                return PARLEY_OK;
            },
            [](parley_host* h, parley_str m, parley_str p, parley_http_fn fn, void* user) noexcept {
                return add_route(h, m, p, fn, user, true);
            },
        };
        return &api;
    }

    const parley_host_api& api_ = *table();
    parley_host handle_{};
    parley_config config_{};
    const parley_plugin_descriptor* descriptor_ = nullptr;
    void* instance_ = nullptr;
    std::string plugin_id_;
    std::string tenant_;
    std::map<std::string, Value> values_;
    std::vector<Subscriber> subscribers_;
    std::vector<Filter> filters_;
    std::map<std::string, Command> commands_;
    std::map<std::string, Route> routes_;
    std::map<std::string, parley_service> services_;
    std::map<std::uint64_t, Timer> timers_;
    std::uint64_t next_timer_ = 0;
    bool completed_ = false;
    std::vector<std::unique_ptr<Exchange>> exchanges_;  // requests answered later; outlive the instance
    bool in_concurrent_ = false;
    int refused_calls_ = 0;
    std::string server_url_;
    std::map<std::string, std::int64_t> counters_;

public:
    // Counters the plugin added to, as "name{labels}".
    std::int64_t counter(const std::string& key) const {
        auto it = counters_.find(key);
        return it == counters_.end() ? 0 : it->second;
    }

private:
    std::mutex posted_mutex_;
    std::vector<std::pair<void (*)(void*), void*>> posted_;
    std::vector<LogLine> logs_;
    std::vector<std::pair<std::string, std::string>> published_;
};

}  // namespace parley::testing
