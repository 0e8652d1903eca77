// A stand-in for the core's "parley.engine" service: records every submit and
// answers like the engine does (repeats of a channel_message_id are duplicates,
// unknown business numbers are refused, statuses need a known wamid). With
// `defer`, answers wait for release(), as a commit that has not happened yet.
#pragma once

#include <parley/engine.h>
#include <parley/testing/fake_host.hpp>

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace wa_test {

namespace json = boost::json;

class FakeEngine {
public:
    struct Submit {
        std::string command;
        json::object args;
    };

    std::vector<Submit> submits;  // every command but the channel's start-up "channel_numbers"
    std::vector<std::string> announced_numbers;
    std::set<std::string> entry_numbers{"+15550783881"};
    bool defer = false;
    bool fail_inbound = false;  // answers every inbound with an error (a failed commit)

    void provide(parley::testing::FakeHost& host) {
        host.provide_service(PARLEY_ENGINE_SERVICE, parley_service{&table_, this, PARLEY_ENGINE_SERVICE_VERSION});
    }

    // Runs the answers held back by `defer`; returns how many.
    int release() {
        auto held = std::move(held_);
        held_.clear();
        for (auto& f : held) f();
        return static_cast<int>(held.size());
    }

    std::vector<Submit> of(const std::string& command) const {
        std::vector<Submit> out;
        for (auto& s : submits)
            if (s.command == command) out.push_back(s);
        return out;
    }

    // Forgets the answers held back by `defer` without running them: the engine never
    // answers (it stopped, or the plugin went away first).
    void drop() { held_.clear(); }

    // Makes a wamid known, as a committed "sent" status would.
    void know(const std::string& wamid) { known_wamids_.insert(wamid); }

private:
    static std::string text(const json::object& o, const char* key) {
        auto p = o.if_contains(key);
        return p && p->is_string() ? std::string(p->get_string()) : std::string();
    }

    std::pair<bool, std::string> answer(const Submit& s) {
        if (s.command == "inbound") return inbound(s.args);
        if (s.command == "message_status") return status(s.args);
        return {false, R"({"code":"unknown_command","message":"no"})"};
    }

    std::pair<bool, std::string> inbound(const json::object& a) {
        if (fail_inbound) return {false, R"({"code":"store_failed","message":"disk full"})"};
        if (!entry_numbers.count(text(a, "origin")))
            return {false, R"({"code":"unknown_entry_point","message":"no entry point"})"};
        auto id = text(a, "channel_message_id");
        auto interaction = "i-" + text(a, "customer_number");
        if (seen_.count(id))
            return {true, json::serialize(json::object{{"interaction", interaction}, {"message", seen_[id]}, {"duplicate", true}})};
        seen_[id] = "m-" + std::to_string(++next_message_);
        return {true, json::serialize(json::object{{"interaction", interaction}, {"message", seen_[id]}})};
    }

    std::pair<bool, std::string> status(const json::object& a) {
        auto wamid = text(a, "channel_message_id");
        if (!text(a, "interaction").empty()) {
            if (!wamid.empty()) known_wamids_.insert(wamid);
            return {true, R"({"changed":true})"};
        }
        if (!entry_numbers.count(text(a, "origin")))
            return {false, R"({"code":"unknown_entry_point","message":"no entry point"})"};
        if (!known_wamids_.count(wamid)) return {false, R"({"code":"unknown_message","message":"no such message"})"};
        return {true, R"({"changed":true})"};
    }

    static parley_status submit(void* user, parley_host*, parley_str command, parley_str args,
                                parley_engine_done_fn done, void* ctx) noexcept {
        auto* self = static_cast<FakeEngine*>(user);
        Submit s{std::string(command.data, command.size), json::parse(std::string_view(args.data, args.size)).as_object()};
        if (s.command == "channel_numbers") {
            for (auto& n : s.args.at("numbers").as_array()) self->announced_numbers.emplace_back(n.as_string());
            std::string ok = R"({"numbers":0})";
            done(ctx, PARLEY_OK, {ok.data(), ok.size()});
            return PARLEY_OK;
        }
        self->submits.push_back(s);
        auto run = [self, s, done, ctx] {
            auto [ok, result] = self->answer(s);
            done(ctx, ok ? PARLEY_OK : PARLEY_ERR_INVALID, {result.data(), result.size()});
        };
        if (self->defer) self->held_.push_back(run);
        else run();
        return PARLEY_OK;
    }

    parley_engine_service table_{sizeof(parley_engine_service), &FakeEngine::submit};
    std::map<std::string, std::string> seen_;
    std::set<std::string> known_wamids_;
    int next_message_ = 0;
    std::vector<std::function<void()>> held_;
};

}  // namespace wa_test
