#include "parley/core/bus.hpp"

#include <boost/signals2/signal.hpp>

#include <atomic>
#include <map>
#include <mutex>

namespace parley::bus {

namespace {

struct FilterContext {
    std::string& payload;
    bool veto = false;
};

using AfterSignal = boost::signals2::signal<void(std::string_view, std::string_view)>;
using BeforeSignal = boost::signals2::signal<void(std::string_view, FilterContext&)>;

struct TopicSignals {
    AfterSignal after;
    BeforeSignal before;
    std::atomic<bool> poisoned{false};
};

struct Registration {
    Owner owner;
    boost::signals2::connection connection;
    std::string filter_topic;  // empty for listeners
};

}  // namespace

struct Bus::Impl {
    mutable std::mutex mutex;
    // std::map keeps node addresses stable, so a signal outlives map growth.
    std::map<std::string, std::shared_ptr<TopicSignals>, std::less<>> topics;
    std::map<std::uint64_t, Registration> registrations;
    std::uint64_t next_id = 1;
    ErrorSink error_sink;

    std::shared_ptr<TopicSignals> topic(std::string_view name, bool create) {
        std::lock_guard lock(mutex);
        auto it = topics.find(name);
        if (it != topics.end()) return it->second;
        if (!create) return nullptr;
        return topics.emplace(std::string(name), std::make_shared<TopicSignals>()).first->second;
    }

    std::uint64_t remember(Owner owner, boost::signals2::connection c, std::string filter_topic = {}) {
        std::lock_guard lock(mutex);
        auto id = next_id++;
        registrations.emplace(id, Registration{owner, std::move(c), std::move(filter_topic)});
        return id;
    }

    void report(Owner owner, std::string_view topic, std::string_view what) {
        ErrorSink sink;
        {
            std::lock_guard lock(mutex);
            sink = error_sink;
        }
        if (sink) sink(owner, topic, what);
    }
};

Bus::Bus() : impl_(std::make_unique<Impl>()) {}
Bus::~Bus() = default;

std::uint64_t Bus::subscribe(std::string_view topic, int priority, Listener fn, Owner owner) {
    auto signals = impl_->topic(topic, true);
    Impl* impl = impl_.get();
    auto slot = [impl, owner, fn = std::move(fn)](std::string_view t, std::string_view payload) {
        try {
            fn(t, payload);
        } catch (const std::exception& e) {
            impl->report(owner, t, e.what());
        }
    };
    return impl_->remember(owner, signals->after.connect(priority, std::move(slot)));
}

std::uint64_t Bus::add_filter(std::string_view topic, int priority, Filter fn, Owner owner) {
    auto signals = impl_->topic(topic, true);
    Impl* impl = impl_.get();
    auto slot = [impl, owner, fn = std::move(fn)](std::string_view t, FilterContext& ctx) {
        if (ctx.veto) return;  // signals2 has no early exit; later filters skip a vetoed event
        try {
            fn(t, ctx.payload, ctx.veto);
        } catch (const std::exception& e) {
            impl->report(owner, t, e.what());
        }
    };
    return impl_->remember(owner, signals->before.connect(priority, std::move(slot)), std::string(topic));
}

bool Bus::unsubscribe(std::uint64_t id, Owner owner) {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->registrations.find(id);
    if (it == impl_->registrations.end() || it->second.owner != owner) return false;
    it->second.connection.disconnect();
    impl_->registrations.erase(it);
    return true;
}

void Bus::remove_owner(Owner owner) {
    std::lock_guard lock(impl_->mutex);
    for (auto it = impl_->registrations.begin(); it != impl_->registrations.end();) {
        if (it->second.owner == owner) {
            it->second.connection.disconnect();
            it = impl_->registrations.erase(it);
        } else {
            ++it;
        }
    }
}

std::size_t Bus::registrations(Owner owner) const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& [id, r] : impl_->registrations) n += r.owner == owner;
    return n;
}

bool Bus::has_filters(std::string_view topic) const {
    auto signals = impl_->topic(topic, false);
    return signals && (signals->poisoned || !signals->before.empty());
}

void Bus::publish(std::string_view topic, std::string_view payload) {
    if (auto signals = impl_->topic(topic, false)) signals->after(topic, payload);
}

std::vector<std::string> Bus::filter_topics(Owner owner) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<std::string> out;
    for (auto& [id, r] : impl_->registrations)
        if (r.owner == owner && !r.filter_topic.empty()) out.push_back(r.filter_topic);
    return out;
}

void Bus::poison(std::string_view topic) { impl_->topic(topic, true)->poisoned = true; }

bool Bus::filter(std::string_view topic, std::string& payload) {
    auto signals = impl_->topic(topic, false);
    if (!signals) return true;
    if (signals->poisoned) return false;
    FilterContext ctx{payload};
    signals->before(topic, ctx);
    return !ctx.veto;
}

void Bus::on_error(ErrorSink sink) {
    std::lock_guard lock(impl_->mutex);
    impl_->error_sink = std::move(sink);
}

}  // namespace parley::bus
