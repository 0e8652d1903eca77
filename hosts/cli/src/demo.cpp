// parley demo: a whole conversation, scripted, run in-process on the real engine
// with a test channel: offer, RONA, re-offer, accept, messages both ways, end.
#include "common.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/log.hpp"
#include "parley/core/runtime.hpp"
#include "parley/core/store.hpp"
#include "parley/core/views.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>

namespace parley::cli {

namespace {

namespace json = boost::json;

constexpr const char* demo_config = R"(
[tenants.demo]
name = "Demo Bank"
offer_timeout_s = 1

[tenants.demo.queues.support]
name = "Card support"

[tenants.demo.entry_points.test_line]
channel = "test"
number = "+15550000001"
queue = "support"
cad = { campaign = "demo" }

[tenants.demo.agents.ana]
name = "Ana Ruiz"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$ZGVtb2RlbW8$ZGVtb2RlbW9kZW1vZGVtbw"
queues = ["support"]
capacity = { test = 1 }

[tenants.demo.agents.ben]
name = "Ben Okafor"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$ZGVtb2RlbW8$ZGVtb2RlbW9kZW1vZGVtbw"
queues = ["support"]
capacity = { test = 1 }
)";

std::string str(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
}

class Demo {
public:
    int run() {
        auto parsed = config::parse_text(demo_config, "(demo)");
        if (!parsed.ok()) {
            print_diagnostics(parsed.errors);
            return exit_internal;
        }
        store_ = store::open_sqlite(":memory:");
        engine_ = std::make_unique<engine::Engine>(runtime_, *store_, bus_);
        views_ = std::make_unique<views::Views>(*engine_, bus_);
        bus_.subscribe(engine::event_topic, 0, [this](auto, std::string_view p) { on_event(p); });
        bus_.subscribe("channel.outbound.test", 0, [this](auto, std::string_view p) { on_outbound(p); });
        engine_->configure(parsed.document);
        engine_->recover();
        runtime_.post([this] { start(); });
        runtime_.start_timer(std::chrono::seconds(15), std::chrono::milliseconds(0), [this] {
            say("the demo did not finish in 15 s");
            failed_ = true;
            runtime_.stop();
        });
        runtime_.run(1);
        return failed_ ? exit_internal : exit_ok;
    }

private:
    void say(const std::string& text) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0_).count();
        std::printf("[%5.2fs] %s\n", ms / 1000.0, text.c_str());
        std::fflush(stdout);
    }

    void command(const std::string& agent, const std::string& name, json::object args) {
        engine_->submit({{"demo", agent}, name, std::move(args)}, [this, name](engine::Result r) {
            if (r.ok) return;
            say("command " + name + " refused: " + r.message);
            failed_ = true;
            runtime_.stop();
        });
    }

    void customer_writes(const std::string& text) {
        say("Maria (+447700900123) writes to +15550000001: \"" + text + "\"");
        json::object args{{"channel", "test"}, {"origin", "+15550000001"}, {"customer_number", "+447700900123"},
                          {"customer_name", "Maria Lopez"}, {"text", text},
                          {"channel_message_id", "demo-" + std::to_string(++inbound_)}};
        engine_->submit({{}, "inbound", std::move(args)}, nullptr);
    }

    void start() {
        say("== parley demo: tenant 'Demo Bank', queue 'Card support', agents Ana and Ben (offer timeout 1 s)");
        command("ana", "set_state", {{"state", "available"}});
        runtime_.start_timer(std::chrono::milliseconds(20), std::chrono::milliseconds(0), [this] {
            command("ben", "set_state", {{"state", "available"}});
            runtime_.start_timer(std::chrono::milliseconds(20), std::chrono::milliseconds(0),
                                 [this] { customer_writes("Hi! My card was charged twice."); });
        });
    }

    void after(int ms, std::function<void()> fn) {
        runtime_.start_timer(std::chrono::milliseconds(ms), std::chrono::milliseconds(0), std::move(fn));
    }

    void on_event(std::string_view payload) {
        auto e = json::parse(payload).as_object();
        auto type = str(e, "type");
        auto& d = e.at("data").as_object();
        auto agent = str(d, "agent");
        if (type == "agent.presence") return on_presence(agent, str(d, "presence"));
        auto i = engine_->state().find(type == "interaction.created" ? str(d, "id") : str(d, "interaction"));
        if (!i) return;
        if (type == "interaction.created") say("interaction " + i->id + " waits in queue 'Card support'");
        if (type == "offer.made") return on_offer(*i, agent);
        if (type == "offer.timed_out") say(name(agent) + " did not accept within 1 s: " + name(agent) + " is now in RONA");
        if (type == "offer.accepted") {
            say(name(agent) + " accepts; the conversation opens");
            after(200, [this, id = i->id] {
                command("ben", "send", {{"interaction", id}, {"text", "Hello Maria, I can see the double charge. I am refunding it now."}});
            });
        }
        if (type == "message.added" && str(d, "direction") == "out")
            say(name(str(d, "author")) + " replies: \"" + str(d, "text") + "\"");
        if (type == "message.status") on_status(*i, str(d, "status"));
        if (type == "message.added" && str(d, "direction") == "in" && inbound_ == 2)
            after(200, [this, id = i->id] { command("ben", "end", {{"interaction", id}}); });
        if (type == "interaction.ended") {
            say(name(agent) + " ends the conversation; " + name(agent) + "'s capacity is free again");
            after(100, [this] { command("ana", "set_state", {{"state", "available"}}); });
        }
    }

    void on_offer(const engine::Interaction& i, const std::string& agent) {
        auto offer = views_->offer(i, agent);
        say("offer to " + name(agent) + ": " + str(offer, "customer_name") + " (" + str(offer, "customer_number") +
            ") on " + str(offer, "origin") + ", queue '" + str(offer, "queue_name") + "'");
        if (agent == "ben") after(300, [this, id = i.id] { command("ben", "accept", {{"interaction", id}}); });
    }

    void on_status(const engine::Interaction&, const std::string& status) {
        say("the channel reports the reply " + status);
        if (status == "delivered" && inbound_ == 1) after(200, [this] { customer_writes("Thank you, that was quick!"); });
    }

    void on_presence(const std::string& agent, const std::string& presence) {
        say(name(agent) + " is " + presence);
        if (agent == "ana" && presence == "available" && ++ana_available_ == 2) {
            say("== done: offer, RONA, re-offer, accept, messages both ways, end");
            runtime_.stop();
        }
    }

    void on_outbound(std::string_view payload) {
        auto o = json::parse(payload).as_object();
        say("test channel sends to " + str(o, "to") + ": \"" + str(o, "text") + "\"");
        for (const char* status : {"sent", "delivered"})
            engine_->submit({{}, "message_status",
                             {{"interaction", str(o, "interaction")}, {"message", str(o, "message")}, {"status", status}}},
                            nullptr);
    }

    std::string name(const std::string& agent) const { return agent == "ana" ? "Ana" : agent == "ben" ? "Ben" : agent; }

    Runtime runtime_;
    bus::Bus bus_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<engine::Engine> engine_;
    std::unique_ptr<views::Views> views_;
    std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
    int inbound_ = 0;
    int ana_available_ = 0;
    bool failed_ = false;
};

}  // namespace

int demo() {
    log::init({"text", "warn", ""});
    return Demo().run();
}

}  // namespace parley::cli
