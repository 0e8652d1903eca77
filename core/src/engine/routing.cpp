// Routing: each queue offers its oldest waiting interaction to the agent of that
// queue who has been ready longest and has free capacity on the channel.
#include "engine_impl.hpp"

#include "parley/core/runtime.hpp"

#include <algorithm>

namespace parley::engine {

const AgentModel* Engine::Impl::pick_agent(const TenantModel& t, const std::string& queue,
                                           const Interaction& i) const {
    const AgentModel* best = nullptr;
    std::int64_t best_since = 0;
    for (auto& [id, a] : t.agents) {
        if (std::find(a.queues.begin(), a.queues.end(), queue) == a.queues.end()) continue;
        auto s = state.find_agent(t.id, id);
        if (!s || s->presence != Presence::available) continue;
        auto cap = a.capacity.find(i.channel);
        if (cap == a.capacity.end() || state.load(t.id, id, i.channel) >= cap->second) continue;
        if (i.live_leg(id)) continue;
        if (!best || s->ready_since < best_since) {
            best = &a;
            best_since = s->ready_since;
        }
    }
    return best;
}

void Engine::Impl::route(const std::string& tenant_id) {
    auto t = model.tenant(tenant_id);
    if (!t) return;
    for (;;) {
        // Among the queues whose head can be served now, the head that arrived first.
        Interaction* next = nullptr;
        const AgentModel* agent = nullptr;
        for (auto& [qid, q] : t->queues) {
            auto w = state.waiting.find({tenant_id, qid});
            if (w == state.waiting.end() || w->second.empty()) continue;
            auto head = state.find(w->second.front());
            if (!head || head->ended || head->interrupted) {
                w->second.pop_front();
                continue;
            }
            auto a = pick_agent(*t, qid, *head);
            if (a && (!next || head->created_at < next->created_at)) {
                next = head;
                agent = a;
            }
        }
        if (!next) return;
        auto offered_at = now();  // one reading: the deadline is exactly the offer time plus the timeout
        auto expires = offered_at + t->offer_timeout_s * 1000LL;
        emit(tenant_id, "offer.made", {{"interaction", next->id}, {"agent", agent->id}, {"expires_at", expires}},
             offered_at);
        after_commit.push_back([this, id = next->id, a = agent->id, expires] { arm_offer_timer(id, a, expires); });
    }
}

void Engine::Impl::arm_offer_timer(const std::string& interaction, const std::string& agent, std::int64_t expires_at) {
    auto delay = std::max<std::int64_t>(0, expires_at - now());
    auto id = runtime.start_timer(std::chrono::milliseconds(delay), std::chrono::milliseconds(0), [this, interaction, agent] {
        Command c{{"", ""}, "offer_timeout", {{"interaction", interaction}, {"agent", agent}}};
        enqueue([this, c] { return offer_timeout(c); }, nullptr);
    });
    offer_timers[{interaction, agent}] = id;
}

void Engine::Impl::cancel_offer_timer(const std::string& interaction, const std::string& agent) {
    auto it = offer_timers.find({interaction, agent});
    if (it == offer_timers.end()) return;
    runtime.cancel_timer(it->second);
    offer_timers.erase(it);
}

}  // namespace parley::engine
