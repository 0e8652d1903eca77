#include "parley/core/views.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/http.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>

namespace parley::views {

namespace json = boost::json;
using namespace parley::engine;

namespace {

std::string customer_title(const Interaction& i) {
    return i.customer_name.empty() ? i.customer_number : i.customer_name;
}

// "Ana Ruiz" -> "AR"; "+4479..." -> "+4" stays unreadable, so digits give "#".
std::string initials(const std::string& name) {
    std::string out;
    bool start = true;
    for (unsigned char c : name) {
        if (c == ' ') {
            start = true;
            continue;
        }
        if (start && out.size() < 2) {
            if (std::isdigit(c) || c == '+') return "#";
            out += static_cast<char>(std::toupper(c));
        }
        start = false;
    }
    return out.empty() ? "?" : out;
}

std::string queue_name(const Engine& e, const Interaction& i) {
    auto t = e.model().tenant(i.tenant);
    auto q = t ? t->queue(i.queue) : nullptr;
    return q ? q->name : i.queue;
}

}  // namespace

json::object Views::display(const std::string& tenant, const char* surface, json::object view) const {
    if (!bus_.has_filters(display_filter_topic)) return view;
    json::object envelope{{"tenant", tenant}, {"surface", surface}, {"view", std::move(view)}};
    auto text = json::serialize(envelope);
    if (!bus_.filter(display_filter_topic, text)) return {{"hidden", true}};
    json::error_code ec;
    auto out = json::parse(text, ec);
    // A filter that broke the JSON must not leak the original: show nothing.
    if (ec || !out.is_object() || !out.as_object().contains("view") || !out.at("view").is_object())
        return {{"hidden", true}};
    return std::move(out.at("view").as_object());
}

json::object Views::offer(const Interaction& i, const std::string& agent) const {
    auto leg = i.leg(agent);
    return display(i.tenant, "offer",
                   {{"interaction", i.id},
                    {"channel", i.channel},
                    {"customer_name", i.customer_name},
                    {"customer_number", i.customer_number},
                    {"origin", i.origin},
                    {"queue", i.queue},
                    {"queue_name", queue_name(engine_, i)},
                    {"offered_at", leg ? leg->offered_at : 0},
                    {"expires_at", leg ? leg->expires_at : 0}});
}

json::object Views::notification(const Interaction& i) const {
    return display(i.tenant, "notification",
                   {{"interaction", i.id},
                    {"title", "New " + i.channel + " conversation"},
                    {"customer", customer_title(i)},
                    {"business_number", i.origin}});
}

json::object Views::task(const Interaction& i, const std::string& agent) const {
    auto leg = i.leg(agent);
    std::string preview = i.messages.empty() ? "" : i.messages.back().text;
    if (preview.size() > 120) preview = preview.substr(0, 120);  // the client trims at a character boundary
    return display(i.tenant, "task_list",
                   {{"interaction", i.id},
                    {"title", customer_title(i)},
                    {"contact_origin", i.customer_number},
                    {"preview", preview},
                    {"channel", i.channel},
                    {"queue_name", queue_name(engine_, i)},
                    {"state", leg ? leg_state_name(leg->state) : "done"},
                    {"interrupted", i.interrupted},
                    {"updated_at", i.messages.empty() ? i.created_at : i.messages.back().time_ms}});
}

json::object Views::panel(const Interaction& i) const {
    json::object cad{{"contact_origin", i.customer_number}, {"business_number", i.origin}};
    for (auto& [k, v] : i.cad) cad[k] = v;
    json::object view{{"interaction", i.id},
                      {"title", customer_title(i)},
                      {"customer_name", i.customer_name},
                      {"customer_number", i.customer_number},
                      {"origin", i.origin},
                      {"queue_name", queue_name(engine_, i)},
                      {"channel", i.channel},
                      {"ended", i.ended},
                      {"interrupted", i.interrupted},
                      {"cad", std::move(cad)}};
    if (i.interrupted)
        view["alert"] = "This conversation was interrupted: " + i.interrupted_reason + ". You can only end it.";
    return display(i.tenant, "interaction_panel", std::move(view));
}

json::object Views::message_raw(const Interaction& i, const Message& m) const {
    std::string signature = customer_title(i);
    if (m.direction == Direction::outbound) {
        auto t = engine_.model().tenant(i.tenant);
        auto a = t ? t->agent(m.author) : nullptr;
        signature = a ? a->name : m.author;
    }
    return {{"interaction", i.id},
            {"id", m.id},
            {"direction", m.direction == Direction::inbound ? "in" : "out"},
            {"author", m.author},
            {"signature", signature},
            {"initials", initials(signature)},
            {"text", m.text},
            {"time_ms", m.time_ms},
            {"status", m.status},
            {"error", m.error},
            {"kind", m.kind},
            {"reply_to", m.reply_to.empty() ? json::value(nullptr) : json::value(m.reply_to)},
            {"attachment", attachment(m)}};
}

json::value Views::attachment(const Message& m) const {
    if (m.attachment.empty()) return nullptr;
    json::value a = json::parse(m.attachment);
    auto* url = a.is_object() ? a.as_object().if_contains("url") : nullptr;
    if (links_ && url && url->is_string() && links_->covers(url->as_string())) {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
        *url = links_->sign(url->as_string(), now.count());
    }
    return a;
}

json::object Views::message(const Interaction& i, const Message& m) const {
    return display(i.tenant, "conversation", message_raw(i, m));
}

json::object Views::conversation(const Interaction& i, const std::string& agent) const {
    json::array messages;
    for (auto& m : i.messages) messages.push_back(message_raw(i, m));
    auto leg = i.live_leg(agent);
    bool can_send = leg && leg->state == LegState::connected && !i.interrupted && !i.ended;
    return display(i.tenant, "conversation",
                   {{"interaction", i.id},
                    {"messages", std::move(messages)},
                    {"composer", {{"placeholder", "Reply to " + customer_title(i)},
                                  {"max_length", 4096},
                                  {"enabled", can_send}}}});
}

json::object Views::history(const Interaction& i) const {
    json::array past;
    for (auto& id : engine_.state().interactions_of(i.tenant, i.customer_number)) {
        auto other = engine_.state().find(id);
        if (!other || id == i.id) continue;
        past.push_back({{"interaction", id},
                        {"started_at", other->created_at},
                        {"ended", other->ended},
                        {"preview", other->messages.empty() ? "" : other->messages.back().text}});
    }
    return display(i.tenant, "history", {{"interaction", i.id}, {"customer", customer_title(i)}, {"past", std::move(past)}});
}

json::object Views::presence(const std::string& tenant, const std::string& agent) const {
    auto s = engine_.state().find_agent(tenant, agent);
    return {{"agent", agent},
            {"state", s ? presence_name(s->presence) : "offline"},
            {"reason", s ? s->reason : ""},
            {"since", s ? s->since : 0}};
}

json::object Views::snapshot(const std::string& tenant, const std::string& agent) const {
    auto t = engine_.model().tenant(tenant);
    auto a = t ? t->agent(agent) : nullptr;
    json::array tasks, offers, interactions, reasons;
    for (auto& id : engine_.state().work_of(tenant, agent)) {
        auto i = engine_.state().find(id);
        if (!i) continue;
        tasks.push_back(task(*i, agent));
        auto leg = i->live_leg(agent);
        if (leg && leg->state == LegState::offered) offers.push_back(offer(*i, agent));
        else interactions.push_back({{"panel", panel(*i)}, {"conversation", conversation(*i, agent)}});
    }
    if (t)
        for (auto& r : t->idle_reasons) reasons.push_back(json::string(r));
    return {{"agent", {{"id", agent}, {"name", a ? a->name : agent}, {"tenant", tenant}}},
            {"presence", presence(tenant, agent)},
            {"idle_reasons", std::move(reasons)},
            {"tasks", std::move(tasks)},
            {"offers", std::move(offers)},
            {"interactions", std::move(interactions)}};
}

}  // namespace parley::views
