#include "apply.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace parley::engine {

namespace {

namespace json = boost::json;

std::string str(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
}

std::int64_t num(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_int64() ? p->get_int64() : 0;
}

// "i-7" -> 7, so counters continue after a replay.
std::uint64_t number_of(const std::string& id) {
    auto dash = id.rfind('-');
    std::uint64_t n = 0;
    if (dash != std::string::npos) std::from_chars(id.data() + dash + 1, id.data() + id.size(), n);
    return n;
}

Presence presence_of(const std::string& s) {
    if (s == "available") return Presence::available;
    if (s == "idle") return Presence::idle;
    if (s == "rona") return Presence::rona;
    return Presence::offline;
}

}  // namespace

void Applier::apply(const std::string& tenant, std::string_view type, std::int64_t t, const json::object& d) {
    if (type == "message.added") message(d, t);
    else if (type == "message.status") message_status(d);
    else if (type == "interaction.created") created(tenant, t, d);
    else if (type == "offer.made") offered(tenant, t, d);
    else if (type == "offer.accepted") accepted(t, d);
    else if (type == "offer.timed_out") timed_out(tenant, t, d);
    else if (type == "interaction.ended") ended(tenant, t, d);
    else if (type == "interaction.interrupted") interrupted(t, d);
    else if (type == "agent.presence") presence(tenant, t, d);
}

void Applier::created(const std::string& tenant, std::int64_t t, const json::object& d) {
    Interaction i;
    i.id = str(d, "id");
    i.tenant = tenant;
    i.channel = str(d, "channel");
    i.entry_point = str(d, "entry_point");
    i.queue = str(d, "queue");
    i.customer_name = str(d, "customer_name");
    i.customer_number = str(d, "customer_number");
    i.origin = str(d, "origin");
    i.created_at = t;
    if (auto cad = d.if_contains("cad"); cad && cad->is_object())
        for (auto& [k, v] : cad->get_object())
            if (v.is_string()) i.cad.emplace(std::string(k), std::string(v.get_string()));
    state.next_interaction = std::max(state.next_interaction, number_of(i.id) + 1);
    state.live_by_customer[State::customer_key(tenant, i.channel, i.origin, i.customer_number)] = i.id;
    state.waiting[{tenant, i.queue}].push_back(i.id);
    state.by_customer_number_[{tenant, i.customer_number}].push_back(i.id);
    auto id = i.id;
    state.interactions.emplace(id, std::move(i));
}

void Applier::message(const json::object& d, std::int64_t t) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    Message m;
    m.id = str(d, "id");
    m.direction = str(d, "direction") == "out" ? Direction::outbound : Direction::inbound;
    m.author = str(d, "author");
    m.text = str(d, "text");
    m.time_ms = d.contains("sent_at") ? num(d, "sent_at") : t;
    m.channel_message_id = str(d, "channel_message_id");
    m.client_id = str(d, "client_id");
    m.status = str(d, "status");
    m.reply_to = str(d, "reply_to");
    if (auto k = str(d, "kind"); !k.empty()) m.kind = k;
    if (auto a = d.if_contains("attachment"); a && a->is_object() && !a->get_object().empty())
        m.attachment = json::serialize(*a);
    if (m.direction == Direction::inbound) {
        auto name = str(d, "customer_name");
        if (!name.empty()) i->customer_name = name;
        if (!m.channel_message_id.empty())
            state.by_channel_message_id[State::customer_key(i->tenant, i->channel, "", m.channel_message_id)] = {i->id, m.id};
    }
    state.next_message = std::max(state.next_message, number_of(m.id) + 1);
    // Customer messages take their place by their own timestamp (a channel may deliver
    // them out of order); everything else is appended.
    auto at = i->messages.end();
    if (m.direction == Direction::inbound)
        while (at != i->messages.begin() && std::prev(at)->time_ms > m.time_ms) --at;
    i->messages.insert(at, std::move(m));
}

void Applier::message_status(const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    auto id = str(d, "id");
    for (auto& m : i->messages) {
        if (m.id != id) continue;
        m.status = str(d, "status");
        if (auto cid = str(d, "channel_message_id"); !cid.empty()) {
            m.channel_message_id = cid;
            // Later statuses from the channel name the message by this id only.
            state.by_channel_message_id[State::customer_key(i->tenant, i->channel, "", cid)] = {i->id, m.id};
        }
        m.error = str(d, "error");
    }
}

void Applier::unqueue(const Interaction& i) {
    auto it = state.waiting.find({i.tenant, i.queue});
    if (it == state.waiting.end()) return;
    auto& q = it->second;
    q.erase(std::remove(q.begin(), q.end(), i.id), q.end());
}

void Applier::offered(const std::string& tenant, std::int64_t t, const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    auto agent = str(d, "agent");
    i->legs.push_back(Leg{agent, LegState::offered, Role::owner, t, num(d, "expires_at"), 0});
    unqueue(*i);
    state.work_[{tenant, agent}].push_back(i->id);
    state.agent(tenant, agent).ready_since = t;
}

void Applier::leg_done(Interaction& i, Leg& leg, std::int64_t t) {
    leg.state = LegState::done;
    auto& work = state.work_[{i.tenant, leg.agent}];
    work.erase(std::remove(work.begin(), work.end(), i.id), work.end());
    state.agent(i.tenant, leg.agent).ready_since = t;
}

void Applier::timed_out(const std::string& tenant, std::int64_t t, const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    auto agent = str(d, "agent");
    if (auto leg = i->leg(agent); leg && leg->state == LegState::offered) leg_done(*i, *leg, t);
    // The agent's RONA is an agent.presence event of its own, emitted with this one.
    // Back at the head of its queue: it keeps its place in arrival order.
    if (!i->ended) state.waiting[{tenant, i->queue}].push_front(i->id);
}

void Applier::accepted(std::int64_t t, const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    if (auto leg = i->leg(str(d, "agent")); leg && leg->state == LegState::offered) {
        leg->state = LegState::connected;
        leg->connected_at = t;
    }
}

void Applier::ended(const std::string& tenant, std::int64_t t, const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    i->ended = true;
    for (auto& leg : i->legs)
        if (leg.state != LegState::done) leg_done(*i, leg, t);
    unqueue(*i);
    auto key = State::customer_key(tenant, i->channel, i->origin, i->customer_number);
    if (auto it = state.live_by_customer.find(key); it != state.live_by_customer.end() && it->second == i->id)
        state.live_by_customer.erase(it);
}

void Applier::interrupted(std::int64_t t, const json::object& d) {
    auto i = state.find(str(d, "interaction"));
    if (!i) return;
    i->interrupted = true;
    i->interrupted_reason = str(d, "reason");
    unqueue(*i);
    // An offer nobody accepted yet is withdrawn; a connected agent keeps the
    // conversation so it can see the alert and end it.
    for (auto& leg : i->legs)
        if (leg.state == LegState::offered) leg_done(*i, leg, t);
}

void Applier::presence(const std::string& tenant, std::int64_t t, const json::object& d) {
    auto& a = state.agent(tenant, str(d, "agent"));
    auto p = presence_of(str(d, "presence"));
    if (p == Presence::available && a.presence != Presence::available) a.ready_since = t;
    a.presence = p;
    a.reason = str(d, "reason");
    a.since = t;
}

}  // namespace parley::engine
