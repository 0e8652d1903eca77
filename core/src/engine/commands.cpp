// Commands: validated against the state, turned into events.
#include "engine_impl.hpp"

#include "parley/core/bus.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace parley::engine {

namespace {

std::string arg(const json::object& o, std::string_view key) {
    auto p = o.if_contains(key);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
}

Result ok(json::object value = {}) { return Result{true, "", "", std::move(value)}; }

int status_rank(const std::string& s) {
    if (s == "pending") return 0;
    if (s == "sent") return 1;
    if (s == "delivered") return 2;
    if (s == "read") return 3;
    if (s == "failed") return 4;
    return -1;
}

}  // namespace

Result Engine::Impl::handle(const Command& c) {
    if (c.name == "accept") return accept(c);
    if (c.name == "send") return send(c);
    if (c.name == "end") return end(c);
    if (c.name == "set_state") return set_state(c);
    if (c.name == "inbound") return inbound(c);
    if (c.name == "message_status") return message_status(c);
    if (c.name == "offer_timeout") return offer_timeout(c);
    if (c.name == "channel_numbers") return channel_numbers(c);
    return Result::error("unknown_command", "unknown command '" + c.name + "'");
}

const TenantModel* Engine::Impl::tenant_of(const Actor& a, Result& err) const {
    auto t = model.tenant(a.tenant);
    if (!t) err = Result::error("unknown_tenant", "unknown tenant '" + a.tenant + "'");
    else if (!a.agent.empty() && !t->agent(a.agent))
        err = Result::error("unknown_agent", "unknown agent '" + a.agent + "'"), t = nullptr;
    return t;
}

// The interaction named in args, only if the acting agent has a leg on it. Another
// tenant's interaction is answered exactly like one that does not exist.
Interaction* Engine::Impl::interaction_of(const Command& c, Result& err) {
    auto id = arg(c.args, "interaction");
    auto i = state.find(id);
    if (!i || i->tenant != c.actor.tenant) {
        err = Result::error("unknown_interaction", "there is no interaction '" + id + "'");
        return nullptr;
    }
    if (!i->live_leg(c.actor.agent)) {
        auto leg = i->leg(c.actor.agent);
        if (i->ended && leg && leg->connected_at > 0) err = Result::error("ended", "this conversation has ended");
        else err = Result::error("not_your_interaction", "interaction '" + id + "' is not assigned to you");
        return nullptr;
    }
    return i;
}

Result Engine::Impl::accept(const Command& c) {
    Result err;
    if (!tenant_of(c.actor, err)) return err;
    auto i = interaction_of(c, err);
    if (!i) return err;
    if (i->live_leg(c.actor.agent)->state != LegState::offered)
        return Result::error("invalid_state", "interaction '" + i->id + "' is already accepted");
    emit(i->tenant, "offer.accepted", {{"interaction", i->id}, {"agent", c.actor.agent}});
    cancel_offer_timer(i->id, c.actor.agent);
    return ok({{"interaction", i->id}});
}

Result Engine::Impl::send(const Command& c) {
    Result err;
    if (!tenant_of(c.actor, err)) return err;
    auto i = interaction_of(c, err);
    if (!i) return err;
    // A repeated command answers with the message it already sent, whatever happened since.
    auto client_id = arg(c.args, "client_id");
    if (!client_id.empty())
        for (auto& m : i->messages)
            if (m.client_id == client_id && m.author == c.actor.agent) return ok({{"message", m.id}});
    if (i->interrupted)
        return Result::error("interrupted", "this conversation was interrupted (" + i->interrupted_reason +
                                                "); you can only end it");
    if (i->live_leg(c.actor.agent)->state != LegState::connected)
        return Result::error("invalid_state", "accept the conversation before you reply");
    auto text = arg(c.args, "text");
    auto template_name = arg(c.args, "template");
    if (!template_name.empty()) text = "Template: " + template_name;
    if (text.empty()) return Result::error("empty_message", "the message is empty");
    auto length = utf8_length(text);
    if (length > options.max_text_characters)
        return Result::error("too_long", "the message has " + std::to_string(length) + " characters; the limit is " +
                                             std::to_string(options.max_text_characters) + "; nothing was sent");
    json::object out{{"tenant", i->tenant}, {"interaction", i->id}, {"origin", i->origin},
                     {"to", i->customer_number}, {"text", text}};
    const auto reply_to = arg(c.args, "reply_to");  // a message of this conversation, quoted by the channel
    if (!reply_to.empty()) {
        auto quoted = std::find_if(i->messages.begin(), i->messages.end(), [&](auto& m) { return m.id == reply_to; });
        if (quoted == i->messages.end())
            return Result::error("unknown_message", "there is no message '" + reply_to + "' to reply to");
        out["reply_to_channel_message_id"] = quoted->channel_message_id;
    }
    if (!template_name.empty()) {
        out["template"] = template_name;
        out["language"] = arg(c.args, "language");
    }
    if (auto refused = refused_by_channel(*i, out)) return *refused;
    auto id = "m-" + std::to_string(state.next_message);
    out["message"] = id;
    json::object added{{"interaction", i->id}, {"id", id}, {"direction", "out"}, {"author", c.actor.agent},
                       {"text", text}, {"client_id", client_id}, {"status", "pending"},
                       {"kind", template_name.empty() ? "text" : "template"}};
    if (!reply_to.empty()) added["reply_to"] = reply_to;
    emit(i->tenant, "message.added", std::move(added));
    after_commit.push_back([this, topic = outbound_topic_prefix + i->channel, payload = json::serialize(out)] {
        bus.publish(topic, payload);
    });
    return ok({{"message", id}});
}

Result Engine::Impl::end(const Command& c) {
    Result err;
    if (!tenant_of(c.actor, err)) return err;
    auto i = interaction_of(c, err);
    if (!i) return err;
    if (i->live_leg(c.actor.agent)->state != LegState::connected)
        return Result::error("invalid_state", "accept the conversation before you end it");
    emit(i->tenant, "interaction.ended", {{"interaction", i->id}, {"agent", c.actor.agent}});
    touched_tenants.insert(i->tenant);
    return ok({{"interaction", i->id}});
}

Result Engine::Impl::set_state(const Command& c) {
    Result err;
    auto t = tenant_of(c.actor, err);
    if (!t) return err;
    auto wanted = arg(c.args, "state");
    auto reason = arg(c.args, "reason");
    if (wanted == "rona")
        return Result::error("invalid_state", "RONA is set by the system when an offer is not answered");
    if (wanted != "available" && wanted != "idle" && wanted != "offline")
        return Result::error("invalid_state", "state must be available, idle or offline");
    if (wanted == "idle" && std::find(t->idle_reasons.begin(), t->idle_reasons.end(), reason) == t->idle_reasons.end())
        return Result::error("invalid_reason", "'" + reason + "' is not an idle reason of this tenant");
    if (wanted != "idle") reason.clear();
    auto current = state.find_agent(t->id, c.actor.agent);
    if (current && wanted == presence_name(current->presence) && reason == current->reason)
        return ok({{"state", wanted}});
    emit(t->id, "agent.presence", {{"agent", c.actor.agent}, {"presence", wanted}, {"reason", reason}});
    touched_tenants.insert(t->id);
    return ok({{"state", wanted}});
}

// A customer message from a channel plugin: to the customer's live interaction on
// that business number, or to a new one on the entry point's queue.
Result Engine::Impl::inbound(const Command& c) {
    auto channel = arg(c.args, "channel");
    auto origin = arg(c.args, "origin");
    auto customer = arg(c.args, "customer_number");
    auto text = arg(c.args, "text");
    auto it = model.numbers.find({channel, origin});
    if (it == model.numbers.end())
        return Result::error("unknown_entry_point", "no entry point for " + channel + " number " + origin);
    if (customer.empty()) return Result::error("invalid_message", "the message has no customer number");
    auto& [tenant, entry] = it->second;
    auto channel_message_id = arg(c.args, "channel_message_id");
    if (!channel_message_id.empty()) {
        auto seen = state.by_channel_message_id.find(State::customer_key(tenant, channel, "", channel_message_id));
        if (seen != state.by_channel_message_id.end())
            return ok({{"interaction", seen->second.first}, {"message", seen->second.second}, {"duplicate", true}});
    }
    auto live = state.live_by_customer.find(State::customer_key(tenant, channel, origin, customer));
    Interaction* i = live == state.live_by_customer.end() ? nullptr : state.find(live->second);
    if (!i) {
        auto& ep = model.tenants.at(tenant).entry_points.at(entry);
        json::object cad;
        for (auto& [k, v] : ep.cad) cad[k] = v;
        auto id = "i-" + std::to_string(state.next_interaction);
        emit(tenant, "interaction.created",
             {{"id", id}, {"channel", channel}, {"entry_point", entry}, {"queue", ep.queue},
              {"customer_name", arg(c.args, "customer_name")}, {"customer_number", customer}, {"origin", origin},
              {"cad", std::move(cad)}});
        i = state.find(id);
        touched_tenants.insert(tenant);
    }
    auto mid = "m-" + std::to_string(state.next_message);
    json::object m{{"interaction", i->id}, {"id", mid}, {"direction", "in"}, {"author", "customer"}, {"text", text},
                   {"channel_message_id", channel_message_id}, {"customer_name", arg(c.args, "customer_name")},
                   {"status", "received"}};
    if (auto kind = arg(c.args, "kind"); !kind.empty()) m["kind"] = kind;
    if (auto a = c.args.if_contains("attachment"); a && a->is_object()) m["attachment"] = *a;
    if (auto t = c.args.if_contains("time_ms"); t && t->is_int64()) m["sent_at"] = t->get_int64();
    emit(tenant, "message.added", std::move(m));
    return ok({{"interaction", i->id}, {"message", mid}});
}

// The channel may refuse a send before it is recorded (WhatsApp's 24-hour window):
// filters of "channel.before_send.<channel>" see the outbound message plus when the
// customer last wrote, and veto with {"code","message"}.
std::optional<Result> Engine::Impl::refused_by_channel(const Interaction& i, const json::object& out) {
    auto topic = std::string("channel.before_send.") + i.channel;
    if (!bus.has_filters(topic)) return std::nullopt;
    std::int64_t last_customer = 0;
    for (auto& m : i.messages)
        if (m.direction == Direction::inbound) last_customer = std::max(last_customer, m.time_ms);
    auto request = out;
    request["last_customer_message_at"] = last_customer;
    request["now"] = now();
    auto payload = json::serialize(request);
    if (bus.filter(topic, payload)) return std::nullopt;
    json::error_code ec;
    auto answer = json::parse(payload, ec);
    if (!ec && answer.is_object() && answer.as_object().contains("code"))
        return Result::error(arg(answer.as_object(), "code"), arg(answer.as_object(), "message"));
    return Result::error("refused_by_channel", "the " + i.channel + " channel refused this message");
}

// Delivery status from the channel: forward only (sent < delivered < read; failed is final).
// The message is named by (interaction, message), or by the channel's own id plus the
// business number it was sent from (what a status webhook carries).
Result Engine::Impl::message_status(const Command& c) {
    auto interaction_id = arg(c.args, "interaction");
    auto id = arg(c.args, "message");
    if (interaction_id.empty()) {
        auto number = model.numbers.find({arg(c.args, "channel"), arg(c.args, "origin")});
        if (number == model.numbers.end()) return Result::error("unknown_entry_point", "no entry point for that number");
        auto key = State::customer_key(number->second.first, arg(c.args, "channel"), "", arg(c.args, "channel_message_id"));
        auto it = state.by_channel_message_id.find(key);
        if (it == state.by_channel_message_id.end()) return Result::error("unknown_message", "no message with that channel id");
        interaction_id = it->second.first;
        id = it->second.second;
    }
    auto i = state.find(interaction_id);
    if (!i) return Result::error("unknown_interaction", "there is no such interaction");
    auto status = arg(c.args, "status");
    if (status_rank(status) < 0) return Result::error("invalid_status", "unknown status '" + status + "'");
    for (auto& m : i->messages) {
        if (m.id != id) continue;
        if (m.direction == Direction::inbound)
            return Result::error("invalid_status", "message '" + id + "' came from the customer");
        if (status_rank(m.status) >= status_rank(status) || m.status == "failed") return ok({{"changed", false}});
        emit(i->tenant, "message.status",
             {{"interaction", i->id}, {"id", id}, {"status", status},
              {"channel_message_id", arg(c.args, "channel_message_id")}, {"error", arg(c.args, "error")}});
        return ok({{"changed", true}});
    }
    return Result::error("unknown_message", "there is no message '" + id + "'");
}

// A channel plugin tells which business numbers it serves; live conversations on
// its other numbers are interrupted (the number was removed from the channel).
Result Engine::Impl::channel_numbers(const Command& c) {
    auto channel = arg(c.args, "channel");
    if (channel.empty()) return Result::error("invalid_message", "channel_numbers needs a channel");
    auto& numbers = channel_numbers_of[channel];
    numbers.clear();
    if (auto list = c.args.if_contains("numbers"); list && list->is_array())
        for (auto& n : list->get_array())
            if (n.is_string()) numbers.insert(std::string(n.get_string()));
    interrupt_orphans();
    return ok({{"numbers", numbers.size()}});
}

Result Engine::Impl::offer_timeout(const Command& c) {
    auto id = arg(c.args, "interaction");
    auto agent = arg(c.args, "agent");
    offer_timers.erase({id, agent});
    auto i = state.find(id);
    if (!i) return ok();
    auto leg = i->leg(agent);
    if (!leg || leg->state != LegState::offered) return ok();  // accepted or withdrawn meanwhile
    emit(i->tenant, "offer.timed_out", {{"interaction", id}, {"agent", agent}});
    // RONA only from Available: an agent who went Idle or Offline meanwhile keeps that.
    auto a = state.find_agent(i->tenant, agent);
    if (a && a->presence == Presence::available)
        emit(i->tenant, "agent.presence", {{"agent", agent}, {"presence", "rona"}, {"reason", ""}});
    touched_tenants.insert(i->tenant);
    return ok();
}

}  // namespace parley::engine
