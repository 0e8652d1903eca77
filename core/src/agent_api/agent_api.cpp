#include "parley/core/agent_api.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/http.hpp"
#include "parley/core/log.hpp"
#include "parley/core/password.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"
#include "parley/core/views.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <map>
#include <set>

namespace parley {

namespace json = boost::json;

namespace {

// Commands the core itself answers; plugins add theirs (capabilities).
const char* const core_commands[] = {"accept", "send", "end", "set_state", "snapshot", "ping"};

std::string reply_ok(const json::value& re, json::value result) {
    return json::serialize(json::object{{"re", re}, {"ok", true}, {"result", std::move(result)}});
}

std::string reply_error(const json::value& re, const std::string& code, const std::string& message) {
    return json::serialize(
        json::object{{"re", re}, {"ok", false}, {"error", {{"code", code}, {"message", message}}}});
}

std::string event_frame(const char* name, std::uint64_t seq, json::object data) {
    return json::serialize(json::object{{"event", name}, {"seq", seq}, {"data", std::move(data)}});
}

std::string text_of(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
}

}  // namespace

struct Session {
    std::shared_ptr<http::WebSocketConnection> connection;
    std::string tenant;
    std::string agent;
    bool logged_in = false;
    bool login_pending = false;
    // The seq the last snapshot was taken at: it already shows the events up to it
    // (committed or about to be), so those are not pushed again.
    std::uint64_t snapshot_seq = 0;

    void send(std::string frame) { connection->send(std::move(frame)); }
};

struct AgentApi::Impl : std::enable_shared_from_this<AgentApi::Impl> {
    Runtime& runtime;
    engine::Engine& engine;
    bus::Bus& bus;
    plugins::PluginHost& plugins;
    views::Views& views;
    std::multimap<std::pair<std::string, std::string>, std::shared_ptr<Session>> by_agent;  // logged in
    std::uint64_t subscription = 0;
    std::uint64_t rebuilt_subscription = 0;

    Impl(Runtime& r, engine::Engine& e, bus::Bus& b, plugins::PluginHost& p, views::Views& v)
        : runtime(r), engine(e), bus(b), plugins(p), views(v) {}

    // Everything below runs on the core strand.
    void on_frame(const std::shared_ptr<Session>& s, const json::value& id, const std::string& cmd,
                  json::object args);
    void login(const std::shared_ptr<Session>& s, const json::value& id, json::object args);
    void finish_login(const std::shared_ptr<Session>& s, const json::value& id, bool ok, std::string tenant,
                      std::string agent);
    void run_engine_command(const std::shared_ptr<Session>& s, const json::value& id, const std::string& cmd,
                            json::object args);
    void run_plugin_command(const std::shared_ptr<Session>& s, const json::value& id, const std::string& cmd,
                            json::object args);
    json::array capabilities(const std::string& tenant) const;
    void forget(const std::shared_ptr<Session>& s);
    void on_engine_event(std::string_view payload);
    // The frame of the event at `seq` to the agent's sessions whose snapshot is older.
    void send_to(const std::string& tenant, const std::string& agent, std::uint64_t seq, const std::string& frame);
    void send_snapshot(const std::shared_ptr<Session>& s);
    void push_interaction(const std::string& type, std::uint64_t seq, const engine::Interaction& i,
                          const json::object& data);
};

AgentApi::AgentApi(Runtime& runtime, engine::Engine& engine, bus::Bus& bus, plugins::PluginHost& plugins,
                   views::Views& views)
    : impl_(std::make_shared<Impl>(runtime, engine, bus, plugins, views)) {
    auto* impl = impl_.get();
    impl_->subscription =
        bus.subscribe(engine::event_topic, 100, [impl](std::string_view, std::string_view p) { impl->on_engine_event(p); });
    // After a failed commit the state was rebuilt: what agents were shown may not have been saved.
    impl_->rebuilt_subscription =
        bus.subscribe(engine::rebuilt_topic, 100, [impl](std::string_view, std::string_view) {
            for (auto& [key, s] : impl->by_agent) impl->send_snapshot(s);
        });
}

AgentApi::~AgentApi() {
    impl_->bus.unsubscribe(impl_->subscription);
    impl_->bus.unsubscribe(impl_->rebuilt_subscription);
}

std::size_t AgentApi::sessions() const { return impl_->by_agent.size(); }

void AgentApi::attach(http::Router& router) {
    std::weak_ptr<Impl> weak = impl_;
    router.add_websocket("/agent/ws", [weak](std::shared_ptr<http::WebSocketConnection> c, const http::Request&) {
        auto session = std::make_shared<Session>();
        session->connection = std::move(c);
        http::WebSocketHandler h;
        h.on_message = [weak, session](std::string_view text) {
            auto impl = weak.lock();
            if (!impl) return;
            json::error_code ec;
            auto frame = json::parse(text, ec);
            if (ec || !frame.is_object()) {
                session->send(reply_error(nullptr, "malformed_frame", "a frame must be a JSON object"));
                return;
            }
            auto& o = frame.as_object();
            json::value id = o.contains("id") ? o.at("id") : json::value(nullptr);
            auto cmd = text_of(o, "cmd");
            auto args_value = o.contains("args") ? o.at("args") : json::value(json::object{});
            if (cmd.empty() || !args_value.is_object()) {
                session->send(reply_error(id, "malformed_frame", "a command needs \"cmd\" and an object \"args\""));
                return;
            }
            impl->runtime.post([impl, session, id, cmd, args = std::move(args_value.as_object())]() mutable {
                impl->on_frame(session, id, cmd, std::move(args));
            });
        };
        h.on_close = [weak, session] {
            if (auto impl = weak.lock()) impl->runtime.post([impl, session] { impl->forget(session); });
        };
        return h;
    });
}

void AgentApi::Impl::on_frame(const std::shared_ptr<Session>& s, const json::value& id, const std::string& cmd,
                              json::object args) {
    if (cmd == "login") return login(s, id, std::move(args));
    if (!s->logged_in) return s->send(reply_error(id, "not_logged_in", "log in first"));
    if (cmd == "ping") return s->send(reply_ok(id, {{"pong", true}}));
    if (cmd == "snapshot") {
        auto snap = views.snapshot(s->tenant, s->agent);
        s->snapshot_seq = engine.last_seq();
        snap["seq"] = s->snapshot_seq;
        return s->send(reply_ok(id, std::move(snap)));
    }
    if (cmd == "accept" || cmd == "send" || cmd == "end" || cmd == "set_state")
        return run_engine_command(s, id, cmd, std::move(args));
    run_plugin_command(s, id, cmd, std::move(args));
}

// The password check is slow on purpose (argon2id), so it runs off the core strand.
void AgentApi::Impl::login(const std::shared_ptr<Session>& s, const json::value& id, json::object args) {
    if (s->logged_in || s->login_pending)
        return s->send(reply_error(id, "already_logged_in", "this connection is already logged in"));
    auto tenant = text_of(args, "tenant"), agent = text_of(args, "agent"), password = text_of(args, "password");
    auto t = engine.model().tenant(tenant);
    auto a = t ? t->agent(agent) : nullptr;
    std::string hash = a ? a->password_hash : std::string();
    s->login_pending = true;
    auto self = shared_from_this();
    boost::asio::post(runtime.io(), [self, s, id, tenant, agent, hash, password] {
        bool ok = !hash.empty() && auth::verify_password(hash, password);
        self->runtime.post([self, s, id, ok, tenant, agent] { self->finish_login(s, id, ok, tenant, agent); });
    });
}

void AgentApi::Impl::finish_login(const std::shared_ptr<Session>& s, const json::value& id, bool ok,
                                  std::string tenant, std::string agent) {
    s->login_pending = false;
    if (!ok) {
        log::get("agent-api")->warn("failed login for agent '{}' of tenant '{}'", agent, tenant);
        return s->send(reply_error(id, "bad_credentials", "unknown tenant or agent, or wrong password"));
    }
    s->tenant = std::move(tenant);
    s->agent = std::move(agent);
    s->logged_in = true;
    by_agent.emplace(std::pair{s->tenant, s->agent}, s);
    auto t = engine.model().tenant(s->tenant);
    s->send(reply_ok(id, {{"tenant", s->tenant},
                          {"agent", s->agent},
                          {"name", t && t->agent(s->agent) ? t->agent(s->agent)->name : s->agent},
                          {"capabilities", capabilities(s->tenant)}}));
    send_snapshot(s);
}

void AgentApi::Impl::send_snapshot(const std::shared_ptr<Session>& s) {
    s->snapshot_seq = engine.last_seq();
    s->send(event_frame("snapshot", s->snapshot_seq, views.snapshot(s->tenant, s->agent)));
}

json::array AgentApi::Impl::capabilities(const std::string& tenant) const {
    json::array out;
    for (auto* c : core_commands) out.push_back(json::string(c));
    for (auto& c : plugins.commands(tenant)) out.push_back(json::string(c));
    return out;
}

void AgentApi::Impl::run_engine_command(const std::shared_ptr<Session>& s, const json::value& id,
                                        const std::string& cmd, json::object args) {
    engine::Command c{{s->tenant, s->agent}, cmd, std::move(args)};
    engine.submit(std::move(c), [s, id](engine::Result r) {
        if (r.ok) s->send(reply_ok(id, std::move(r.value)));
        else s->send(reply_error(id, r.code, r.message));
    });
}

// A plugin's command gets the acting agent in args.actor, set by the core.
void AgentApi::Impl::run_plugin_command(const std::shared_ptr<Session>& s, const json::value& id,
                                        const std::string& cmd, json::object args) {
    args["actor"] = {{"tenant", s->tenant}, {"agent", s->agent}};
    auto r = plugins.call_command(s->tenant, cmd, json::serialize(args));
    if (!r.found) return s->send(reply_error(id, "unknown_command", "unknown command '" + cmd + "'"));
    if (!r.ok) return s->send(reply_error(id, "command_failed", r.body));
    json::error_code ec;
    auto value = json::parse(r.body, ec);
    s->send(reply_ok(id, ec ? json::value(json::string(r.body)) : std::move(value)));
}

void AgentApi::Impl::forget(const std::shared_ptr<Session>& s) {
    for (auto it = by_agent.begin(); it != by_agent.end();) {
        if (it->second == s) it = by_agent.erase(it);
        else ++it;
    }
}

void AgentApi::Impl::send_to(const std::string& tenant, const std::string& agent, std::uint64_t seq,
                              const std::string& frame) {
    auto range = by_agent.equal_range({tenant, agent});
    for (auto it = range.first; it != range.second; ++it)
        if (it->second->snapshot_seq < seq) it->second->send(frame);
}

// Turns a committed engine event into the view events its agents receive.
void AgentApi::Impl::on_engine_event(std::string_view payload) {
    if (by_agent.empty()) return;
    auto event = json::parse(payload).as_object();
    auto tenant = text_of(event, "tenant");
    auto type = text_of(event, "type");
    auto seq = event.at("seq").to_number<std::uint64_t>();
    auto& data = event.at("data").as_object();
    if (type == "agent.presence") {
        auto agent = text_of(data, "agent");
        return send_to(tenant, agent, seq, event_frame("presence", seq, views.presence(tenant, agent)));
    }
    auto i = engine.state().find(text_of(data, "interaction"));
    if (!i) return;
    push_interaction(type, seq, *i, data);
}

void AgentApi::Impl::push_interaction(const std::string& type, std::uint64_t seq, const engine::Interaction& i,
                                      const json::object& data) {
    auto agent = text_of(data, "agent");
    if (type == "offer.made") {
        send_to(i.tenant, agent, seq, event_frame("offer", seq, {{"offer", views.offer(i, agent)},
                                                            {"notification", views.notification(i)},
                                                            {"task", views.task(i, agent)}}));
        return;
    }
    if (type == "offer.timed_out") {
        send_to(i.tenant, agent, seq,
                event_frame("offer_withdrawn", seq, {{"interaction", i.id}, {"reason", "timeout"}}));
        return;
    }
    // Everyone with a leg that was live up to this event.
    std::set<std::string> agents;
    for (auto& leg : i.legs)
        if (leg.state != engine::LegState::done || type == "interaction.ended" || type == "interaction.interrupted")
            agents.insert(leg.agent);
    for (auto& a : agents) {
        if (type == "offer.accepted" && a == agent) {
            send_to(i.tenant, a, seq, event_frame("interaction", seq, {{"panel", views.panel(i)},
                                                                  {"conversation", views.conversation(i, a)},
                                                                  {"history", views.history(i)},
                                                                  {"task", views.task(i, a)}}));
        } else if (type == "message.added" || type == "message.status") {
            auto id = text_of(data, "id");
            for (auto& m : i.messages)
                if (m.id == id)
                    send_to(i.tenant, a, seq, event_frame("message", seq, {{"message", views.message(i, m)},
                                                                      {"task", views.task(i, a)}}));
        } else if (type == "interaction.interrupted" && i.legs.size() && !i.live_leg(a)) {
            send_to(i.tenant, a, seq,
                    event_frame("offer_withdrawn", seq, {{"interaction", i.id}, {"reason", "interrupted"}}));
        } else if (type == "interaction.interrupted") {
            send_to(i.tenant, a, seq, event_frame("alert", seq, {{"panel", views.panel(i)},
                                                            {"conversation", views.conversation(i, a)},
                                                            {"task", views.task(i, a)}}));
        } else if (type == "interaction.ended") {
            send_to(i.tenant, a, seq, event_frame("task_removed", seq, {{"interaction", i.id}}));
        }
    }
}

}  // namespace parley
