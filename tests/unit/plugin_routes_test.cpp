// Concurrent plugin routes (register_route_concurrent, ABI 1.1) against a real module
// and a real core strand: the handler runs on the thread that calls the route (an HTTP
// I/O thread in `parley serve`), not on the core strand, several at once; its answers
// arrive from that thread or from the core's; unloading waits for running calls,
// answers what is pending with 503 and calls the plugin no more.
#include "test_config.hpp"

#include "../plugins/test_gate.h"

#include "parley/core/bus.hpp"
#include "parley/core/http.hpp"
#include "parley/core/plugin_host.hpp"
#include "parley/core/runtime.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace parley;
using namespace std::chrono_literals;
using plugins::Refusal;

namespace {

using test::parse;

std::string text(parley_str s) { return s.data ? std::string(s.data, s.size) : std::string(); }

// The test's side of "test.gate": records every step of the plugin ("enter:wait");
// holds a call at "enter" for query "wait" until open(); a call with query "pair" waits
// at "enter" until a second one is inside too (counted in paired()).
class Gate {
public:
    const parley_test_gate table{sizeof(parley_test_gate), &Gate::on_pass};

    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }
    bool wait_for(const std::string& step, std::chrono::milliseconds limit = 5s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, limit, [&] { return index_locked(step) >= 0; });
    }
    // Position of the first `step`, -1 when it did not happen.
    int index(const std::string& step) const {
        std::lock_guard lock(mutex_);
        return index_locked(step);
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return steps_.size();
    }
    int paired() const {
        std::lock_guard lock(mutex_);
        return paired_;
    }

private:
    static void on_pass(void* user, parley_str step, parley_str query) {
        static_cast<Gate*>(user)->pass(text(step) + ":" + text(query));
    }
    void pass(const std::string& step) {
        std::unique_lock lock(mutex_);
        steps_.push_back(step);
        changed_.notify_all();
        if (step == "enter:wait") changed_.wait(lock, [&] { return open_; });
        if (step == "enter:pair") {
            ++pairs_;
            changed_.notify_all();
            if (changed_.wait_for(lock, 5s, [&] { return pairs_ >= 2; })) ++paired_;
        }
    }
    int index_locked(const std::string& step) const {
        auto it = std::find(steps_.begin(), steps_.end(), step);
        return it == steps_.end() ? -1 : static_cast<int>(it - steps_.begin());
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> steps_;
    bool open_ = false;
    int pairs_ = 0;
    int paired_ = 0;
};

// Holds the core strand busy until release() or the end of the scope.
class BusyStrand {
public:
    explicit BusyStrand(Runtime& runtime) {
        auto entered = std::make_shared<std::promise<void>>();
        auto entered_f = entered->get_future();
        runtime.post([entered, released = released_.get_future().share()] {
            entered->set_value();
            released.wait();
        });
        entered_f.wait();
    }
    ~BusyStrand() { release(); }
    void release() {
        if (done_) return;
        done_ = true;
        released_.set_value();
    }

private:
    std::promise<void> released_;
    bool done_ = false;
};

http::Request post_request(const std::string& query, const std::string& body = "hi") {
    return http::Request{"POST", "/test/concurrent?" + query, "/test/concurrent", query, body, {}, "127.0.0.1:1"};
}

struct ConcurrentRoutes : ::testing::Test {
    Runtime runtime;
    bus::Bus bus;
    http::Router router;
    Gate gate;
    plugins::PluginHost host{{&bus, &router, &runtime, nullptr}};
    std::thread loop;

    void SetUp() override {
        host.discover({PARLEY_TEST_PLUGIN_DIR});
        host.provide_service(PARLEY_TEST_GATE_SERVICE, 1, &gate.table, &gate);
        loop = std::thread([this] { runtime.run(1); });
        on_core([&] { host.start(parse("[plugins.echo]\n[plugins.concurrent_route]\n")); });
        ASSERT_TRUE(host.running("concurrent_route")) << host.find("concurrent_route")->reason;
    }
    void TearDown() override {
        on_core([&] { host.shutdown(); });
        runtime.stop();
        loop.join();
    }

    // Runs `fn` on the core strand and waits for it.
    template <class Fn>
    void on_core(Fn fn) {
        auto done = std::make_shared<std::promise<void>>();
        auto f = done->get_future();
        runtime.post([fn, done] {
            fn();
            done->set_value();
        });
        f.wait();
    }

    // Calls a route on this thread, as an HTTP I/O thread does; the answer may come
    // from any thread, later.
    std::future<http::Response> call(const std::string& method, const std::string& path, http::Request req) {
        auto answer = std::make_shared<std::promise<http::Response>>();
        auto f = answer->get_future();
        bool known = false;
        auto handler = router.find(method, path, &known);
        if (!handler) {
            answer->set_value({404, "text/plain", "no route\n", {}, {}});
            return f;
        }
        auto answered = std::make_shared<std::atomic<bool>>(false);
        handler(req, [answer, answered](http::Response r) {
            if (answered->exchange(true)) {
                ADD_FAILURE() << "a request was answered twice";
                return;
            }
            answer->set_value(std::move(r));
        });
        return f;
    }
    std::future<http::Response> call(const std::string& query) {
        return call("POST", "/test/concurrent", post_request(query));
    }
};

}  // namespace

TEST(PluginAbi, TheHostTableHasTheConcurrentRouteCallAndAnOlderMinorPluginStillRuns) {
    auto* api = plugins::PluginHost::host_api();
    EXPECT_EQ(api->abi_minor, PARLEY_ABI_MINOR);
    EXPECT_EQ(api->struct_size, sizeof(parley_host_api));
    EXPECT_NE(api->register_route_concurrent, nullptr);

    bus::Bus bus;
    plugins::PluginHost host({&bus});
    host.discover({PARLEY_TEST_PLUGIN_DIR});
    host.start(parse(""), {"older_minor"});
    ASSERT_NE(host.find("older_minor"), nullptr);
    EXPECT_TRUE(host.running("older_minor")) << host.find("older_minor")->reason;
    EXPECT_EQ(host.find("older_minor")->manifest.abi_minor, 0);
}

TEST_F(ConcurrentRoutes, RunAndAnswerWhileTheCoreStrandIsBusy) {
    BusyStrand busy(runtime);
    auto now = call("");
    ASSERT_EQ(now.wait_for(5s), std::future_status::ready);  // answered by the handler, on this thread
    auto r = now.get();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/plain");
    EXPECT_EQ(r.body, "now hi");
    // A call that is for the core thread only is refused inside the handler.
    auto refused = call("refused");
    ASSERT_EQ(refused.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(refused.get().body, "refused");

    // Answered through post(): that part waits for the core strand, like a plain route.
    auto later = call("later");
    auto plain = call("GET", "/test/echo", http::Request{"GET", "/test/echo", "/test/echo", "", "", {}, ""});
    EXPECT_EQ(later.wait_for(100ms), std::future_status::timeout);
    EXPECT_EQ(plain.wait_for(0ms), std::future_status::timeout);
    busy.release();
    ASSERT_EQ(later.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(later.get().body, "later hi");
    ASSERT_EQ(plain.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(plain.get().status, 200);
}

TEST_F(ConcurrentRoutes, SeveralCallsRunAtTheSameTime) {
    std::future<http::Response> a, b;
    std::thread first([&] { a = call("pair"); });
    std::thread second([&] { b = call("pair"); });
    first.join();
    second.join();
    EXPECT_EQ(gate.paired(), 2);  // each call saw the other one inside the handler
    EXPECT_EQ(a.get().body, "now hi");
    EXPECT_EQ(b.get().body, "now hi");
}

TEST_F(ConcurrentRoutes, UnloadWaitsForRunningCallsAnswersPendingOnes503AndCallsThePluginNoMore) {
    bool known = false;
    auto kept = router.find("POST", "/test/concurrent", &known);  // as a connection holds it
    ASSERT_TRUE(kept);

    auto held = call("hold");  // never answered by the plugin: its Responder waits on the core thread
    ASSERT_TRUE(gate.wait_for("held:hold"));
    std::future<http::Response> running;
    std::thread io([&] { running = call("wait"); });  // inside the handler until gate.open()
    ASSERT_TRUE(gate.wait_for("enter:wait"));

    auto unloaded = std::async(std::launch::async, [&] { on_core([&] { host.unload("concurrent_route"); }); });
    EXPECT_EQ(unloaded.wait_for(200ms), std::future_status::timeout);  // waits for the running call
    EXPECT_EQ(gate.index("stop:"), -1);                                // stop() does not overlap it
    EXPECT_EQ(held.wait_for(0ms), std::future_status::timeout);
    gate.open();
    io.join();
    ASSERT_EQ(unloaded.wait_for(5s), std::future_status::ready);

    EXPECT_EQ(running.get().body, "now hi");  // the running call ended normally
    ASSERT_EQ(held.wait_for(5s), std::future_status::ready);
    auto h = held.get();
    EXPECT_EQ(h.status, 503);
    EXPECT_EQ(h.body, "plugin unavailable\n");
    EXPECT_LT(gate.index("leave:wait"), gate.index("stop:"));
    EXPECT_LT(gate.index("stop:"), gate.index("destroyed:"));

    // The route is gone, and the handler a connection still held answers 503 without
    // entering the (unloaded) plugin.
    auto steps = gate.count();
    EXPECT_FALSE(router.find("POST", "/test/concurrent", &known));
    http::Response after;
    kept(post_request(""), [&](http::Response r) { after = std::move(r); });
    EXPECT_EQ(after.status, 503);
    EXPECT_EQ(gate.count(), steps);
}

TEST_F(ConcurrentRoutes, AHandlerThatThrowsIsAnswered500AndIsolatesItsPluginOnTheCoreStrand) {
    auto r = call("throw");
    ASSERT_EQ(r.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(r.get().status, 500);
    on_core([] {});  // the failure is reported on the core strand, after the call
    plugins::PluginStatus status;
    on_core([&] { status = *host.find("concurrent_route"); });
    EXPECT_EQ(status.state, plugins::State::failed);
    EXPECT_EQ(status.refusal, Refusal::handler_threw);
    EXPECT_NE(status.reason.find("route 'POST /test/concurrent' threw: concurrent boom"), std::string::npos)
        << status.reason;
    EXPECT_EQ(call("").get().status, 404);  // its routes are gone
    EXPECT_TRUE(host.running("echo"));
}
