#include "parley/core/engine_state.hpp"

#include <algorithm>

namespace parley::engine {

const AgentModel* TenantModel::agent(const std::string& id) const {
    auto it = agents.find(id);
    return it == agents.end() ? nullptr : &it->second;
}

const QueueModel* TenantModel::queue(const std::string& id) const {
    auto it = queues.find(id);
    return it == queues.end() ? nullptr : &it->second;
}

const TenantModel* Model::tenant(const std::string& id) const {
    auto it = tenants.find(id);
    return it == tenants.end() ? nullptr : &it->second;
}

const char* presence_name(Presence p) {
    switch (p) {
        case Presence::available: return "available";
        case Presence::idle: return "idle";
        case Presence::rona: return "rona";
        case Presence::offline: return "offline";
    }
    return "offline";
}

const char* leg_state_name(LegState s) {
    switch (s) {
        case LegState::offered: return "offered";
        case LegState::connected: return "connected";
        case LegState::wrapping: return "wrapping";
        case LegState::done: return "done";
    }
    return "done";
}

Leg* Interaction::leg(const std::string& agent) {
    for (auto it = legs.rbegin(); it != legs.rend(); ++it)
        if (it->agent == agent) return &*it;
    return nullptr;
}

const Leg* Interaction::leg(const std::string& agent) const {
    return const_cast<Interaction*>(this)->leg(agent);
}

const Leg* Interaction::live_leg(const std::string& agent) const {
    auto l = leg(agent);
    return l && l->state != LegState::done ? l : nullptr;
}

Interaction* State::find(const std::string& id) {
    auto it = interactions.find(id);
    return it == interactions.end() ? nullptr : &it->second;
}

const Interaction* State::find(const std::string& id) const { return const_cast<State*>(this)->find(id); }

AgentState& State::agent(const std::string& tenant, const std::string& id) {
    auto& a = agents[{tenant, id}];
    a.tenant = tenant;
    a.id = id;
    return a;
}

const AgentState* State::find_agent(const std::string& tenant, const std::string& id) const {
    auto it = agents.find({tenant, id});
    return it == agents.end() ? nullptr : &it->second;
}

const std::vector<std::string>& State::work_of(const std::string& tenant, const std::string& agent) const {
    static const std::vector<std::string> none;
    auto it = work_.find({tenant, agent});
    return it == work_.end() ? none : it->second;
}

const std::vector<std::string>& State::interactions_of(const std::string& tenant,
                                                       const std::string& customer_number) const {
    static const std::vector<std::string> none;
    auto it = by_customer_number_.find({tenant, customer_number});
    return it == by_customer_number_.end() ? none : it->second;
}

int State::load(const std::string& tenant, const std::string& agent, const std::string& channel) const {
    int n = 0;
    for (auto& id : work_of(tenant, agent)) {
        auto i = find(id);
        if (i && i->channel == channel && i->live_leg(agent)) ++n;
    }
    return n;
}

std::string State::customer_key(const std::string& tenant, const std::string& channel, const std::string& origin,
                                const std::string& customer) {
    return tenant + '\x1f' + channel + '\x1f' + origin + '\x1f' + customer;
}

}  // namespace parley::engine
