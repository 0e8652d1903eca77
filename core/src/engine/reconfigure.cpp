// The model from config, and what a reload that deletes resources does to live
// interactions: they are interrupted (and ended when no agent holds them).
#include "engine_impl.hpp"

namespace parley::engine {

namespace {

Model build_model(const config::Document& doc) {
    Model m;
    for (auto& t : doc.tenants) {
        TenantModel tm{t.id, t.name, t.offer_timeout_s, t.idle_reasons, {}, {}, {}};
        for (auto& q : t.queues) tm.queues[q.id] = {q.id, q.name};
        for (auto& e : t.entry_points) {
            tm.entry_points[e.id] = {e.id, e.name, e.channel, e.number, e.queue, e.cad};
            m.numbers[{e.channel, e.number}] = {t.id, e.id};
        }
        for (auto& a : t.agents) tm.agents[a.id] = {a.id, a.name, a.password_hash, a.queues, a.capacity};
        m.tenants[t.id] = std::move(tm);
    }
    return m;
}

// Why a live interaction cannot go on under the current model, or "".
std::string orphan_reason(const Model& model, const std::map<std::string, std::set<std::string>>& served,
                          const Interaction& i) {
    if (auto it = served.find(i.channel); it != served.end() && !it->second.count(i.origin))
        return "its " + i.channel + " number " + i.origin + " was removed from the channel";
    auto t = model.tenant(i.tenant);
    if (!t) return "its tenant was deleted";
    auto ep = t->entry_points.find(i.entry_point);
    if (ep == t->entry_points.end()) return "its entry point '" + i.entry_point + "' was deleted";
    if (ep->second.number != i.origin || ep->second.channel != i.channel)
        return "its " + i.channel + " number " + i.origin + " was removed";
    if (!t->queue(i.queue)) return "its queue '" + i.queue + "' was deleted";
    return "";
}

}  // namespace

void Engine::configure(const config::Document& doc) {
    impl_->model = build_model(doc);
    impl_->queue_reconcile();
}

void Engine::Impl::queue_reconcile() {
    enqueue(
        [this] {
            interrupt_orphans();
            for (auto& [id, t] : model.tenants) touched_tenants.insert(id);
            return Result{};
        },
        nullptr);
}

void Engine::Impl::interrupt_orphans() {
    for (auto& [id, i] : state.interactions) {
        if (i.ended || i.interrupted) continue;
        auto why = orphan_reason(model, channel_numbers_of, i);
        if (why.empty()) continue;
        emit(i.tenant, "interaction.interrupted", {{"interaction", id}, {"reason", why}});
        bool held = std::any_of(i.legs.begin(), i.legs.end(), [](auto& l) { return l.state == LegState::connected; });
        if (!held) emit(i.tenant, "interaction.ended", {{"interaction", id}, {"agent", ""}});
    }
}

}  // namespace parley::engine
