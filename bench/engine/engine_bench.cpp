// The engine's three budgets, each measured next to a peer in the same run:
//
//  1. durable commands per second through the whole engine path (queue on the core
//     strand, validate, apply, group commit with synchronous=FULL, publish, reply),
//     next to raw SQLite inserts with the same durability, one commit per row and
//     1,000 rows per commit;
//  2. resident memory per live interaction at 100,000 interactions, next to the raw
//     bytes of the strings those interactions hold;
//  3. replay of 1,000,000 stored events into a fresh engine (Engine::recover), next
//     to a bare store->replay that only reads, and one that also parses the JSON.
//
// A plain program: every figure is one run of a fixed workload, printed as a table.
// Sizes can be shrunk for profiling: bench-engine commands=20000 interactions=10000
// events=100000 only=throughput|memory|replay|inbound|set_state (the last two: one
// throughput workload alone, for a profiler)
#include "raw_sqlite.hpp"

#include "parley/core/bus.hpp"
#include "parley/core/config.hpp"
#include "parley/core/engine.hpp"
#include "parley/core/engine_state.hpp"
#include "parley/core/log.hpp"
#include "parley/core/runtime.hpp"
#include "parley/core/store.hpp"

#include <boost/json.hpp>

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace parley;

// ---- targets (from the issue) -------------------------------------------------

constexpr double target_commands_per_s = 100'000;
constexpr double target_bytes_per_interaction = 2048;
constexpr double target_replay_s = 10;

// ---- sizes ----------------------------------------------------------------------

struct Sizes {
    int commands = 200'000;      // throughput: half inbound, half set_state
    int window = 2'000;          // outstanding commands, split over the producers
    int raw_single = 5'000;      // raw SQLite, one commit per row (slow)
    int raw_batched = 200'000;   // raw SQLite, 1,000 rows per commit
    int interactions = 100'000;  // memory
    int events = 1'000'000;      // replay (10 events per interaction)
    std::string only;            // "", "throughput", "memory", "replay"
};

// ---- small helpers ----------------------------------------------------------------

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::size_t rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Bytes malloc has handed out and not got back, over all arenas.
std::size_t heap_in_use() {
    auto m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

// The calling thread's time on a CPU and waiting for one (runqueue), in seconds.
struct Sched {
    double cpu_s = 0, runqueue_s = 0;
};
Sched thread_sched() {
    std::ifstream f("/proc/thread-self/schedstat");
    unsigned long long run = 0, wait = 0;
    f >> run >> wait;
    return {run / 1e9, wait / 1e9};
}

std::string with_commas(double v) {
    auto digits = std::to_string(static_cast<long long>(v < 0 ? v - 0.5 : v + 0.5));
    std::string out;
    std::size_t first = digits[0] == '-' ? 1 : 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > first && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

struct TempDir {
    fs::path path;
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/parley-bench-engine-XXXXXX";
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

// ---- the tenants -------------------------------------------------------------------
//
// acme: one queue, one test-channel entry point, 100 agents (customers write in here).
// staff: one queue, 500 agents, no entry point (agents toggle presence here, so their
// "available" never turns into offers and every set_state is exactly one event).

constexpr int acme_agents = 100;
constexpr int staff_agents = 500;
constexpr const char* business_number = "+15550000001";
constexpr const char* hash = "$argon2id$v=19$m=65536,t=2,p=1$ZGVtb2RlbW8$ZGVtb2RlbW9kZW1vZGVtbw";

std::string agent_id(const char* prefix, int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s%03d", prefix, n);
    return buf;
}

config::Document bench_config() {
    std::string toml = R"(
[tenants.acme]
name = "Acme Bank"
offer_timeout_s = 30

[tenants.acme.queues.support]
name = "Card support"

[tenants.acme.entry_points.test_line]
channel = "test"
number = "+15550000001"
queue = "support"
cad = { campaign = "spring" }
)";
    for (int a = 0; a < acme_agents; ++a)
        toml += "\n[tenants.acme.agents." + agent_id("a", a) + "]\nname = \"Agent " + std::to_string(a) +
                "\"\npassword_hash = \"" + hash + "\"\nqueues = [\"support\"]\ncapacity = { test = 5 }\n";
    toml += "\n[tenants.staff]\nname = \"Staff\"\n\n[tenants.staff.queues.desk]\n";
    for (int a = 0; a < staff_agents; ++a)
        toml += "\n[tenants.staff.agents." + agent_id("s", a) + "]\npassword_hash = \"" + hash +
                "\"\nqueues = [\"desk\"]\ncapacity = { test = 1 }\n";
    auto parsed = config::parse_text(toml, "bench.toml");
    if (!parsed.ok()) throw std::runtime_error("bench config: " + parsed.errors.front().message);
    return parsed.document;
}

// ---- realistic data -----------------------------------------------------------------

std::string customer_number(int i) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "+49151%08d", i);
    return buf;
}

std::string customer_name(int i) { return "Customer " + std::to_string(i); }

// 60 to 100 characters, different per i.
std::string customer_text(int i) {
    static const char* const templates[] = {
        "Hi, my card was charged twice for order #%d, can you refund one of them?",
        "Hello! I still have not received parcel %d, it was due last Friday. Any news?",
        "Good morning, please change the delivery address for order %d to my office.",
        "My app says payment %d failed but the money left my account. What happened?",
        "Can I pay invoice %d in two parts? Money is a bit tight this month, thanks",
        "I'd like to cancel subscription %d, I am moving abroad next month.",
        "The PIN for card ending %d is blocked after three tries, how do I reset it please?",
        "Is there a fee if I transfer %d EUR to a friend in Spain today?",
    };
    char buf[160];
    std::snprintf(buf, sizeof buf, templates[static_cast<unsigned>(i) % 8], 10000 + i % 90000);
    return buf;
}

std::string agent_text(int i) {
    static const char* const templates[] = {
        "Thanks for writing in, I can see case %d here. Give me a minute to check it for you.",
        "I have refunded the duplicate payment (ref %d); it shows up within 3 working days.",
        "Done: ticket %d is updated. Is there anything else I can help you with today?",
    };
    char buf[160];
    std::snprintf(buf, sizeof buf, templates[static_cast<unsigned>(i) % 3], 100000 + i % 900000);
    return buf;
}

engine::Command inbound_command(int i) {
    return {{},
            "inbound",
            {{"channel", "test"},
             {"origin", business_number},
             {"customer_number", customer_number(i)},
             {"customer_name", customer_name(i)},
             {"text", customer_text(i)},
             {"channel_message_id", "wamid." + std::to_string(7000000 + i)}}};
}

// Agent j % 500 of tenant staff, alternating available and idle (Break): every
// command changes the agent's presence, so every command is one event.
engine::Command set_state_command(int j) {
    bool idle = (j / staff_agents) % 2 == 1;
    json::object args{{"state", idle ? "idle" : "available"}};
    if (idle) args["reason"] = "Break";
    return {{"staff", agent_id("s", j % staff_agents)}, "set_state", std::move(args)};
}

// ---- an engine on its own core thread ------------------------------------------------

struct Host {
    Runtime runtime;
    bus::Bus bus;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<engine::Engine> engine;
    std::thread thread;

    Host(const std::string& path, const config::Document& doc) {
        store = store::open_sqlite(path, "full");
        engine = std::make_unique<engine::Engine>(runtime, *store, bus);
        engine->configure(doc);
        engine->recover();
    }
    void start() {
        thread = std::thread([this] { runtime.run(1); });
    }
    // Runs fn on the core strand and waits for its result.
    template <class F>
    auto on_core(F fn) -> decltype(fn()) {
        std::promise<decltype(fn())> p;
        runtime.post([&] { p.set_value(fn()); });
        return p.get_future().get();
    }
    ~Host() {
        if (thread.joinable()) {
            runtime.stop();
            thread.join();
        }
        engine.reset();
        store.reset();
    }
};

// One producer thread: `count` commands, at most `window` outstanding. The done
// callbacks (on the core strand, after the commit) count answers; the producer refills
// in steps of `window / 8`, so the core thread wakes it a few times per round rather
// than once per reply (a futex wake per command would be harness cost on the core thread).
struct Producer {
    std::atomic<std::uint64_t> answered{0};
    std::atomic<std::uint64_t> refused{0};
    std::mutex mutex;
    std::string first_refusal;
    std::thread thread;

    void start(engine::Engine& e, int first, int count, int window, std::function<engine::Command(int)> make) {
        const std::uint64_t step = std::max(1, window / 8);
        const std::uint64_t total = static_cast<std::uint64_t>(count);
        thread = std::thread([this, &e, first, total, window, step, make = std::move(make)] {
            std::uint64_t submitted = 0;
            auto wait_until = [&](std::uint64_t answers) {
                for (auto a = answered.load(); a < answers; a = answered.load()) answered.wait(a);
            };
            while (submitted < total) {
                if (submitted >= static_cast<std::uint64_t>(window)) wait_until(submitted - window + step);
                auto limit = std::min(total, answered.load() + window);
                for (; submitted < limit; ++submitted)
                    e.submit(make(first + static_cast<int>(submitted)), [this, step, total](engine::Result r) {
                        if (!r.ok) {
                            std::lock_guard lock(mutex);
                            if (refused++ == 0) first_refusal = r.code + ": " + r.message;
                        }
                        auto n = answered.fetch_add(1) + 1;
                        if (n % step == 0 || n == total) answered.notify_one();
                    });
            }
            wait_until(total);  // all answered
        });
    }
    void join() { thread.join(); }
};

// ---- 1. durable commands per second ----------------------------------------------------

struct ThroughputResult {
    std::string label;
    double seconds = 0;
    std::uint64_t commands = 0, events = 0, commits = 0, published = 0, refused = 0;
    Sched strand;  // the core thread during the run: on CPU, waiting for a CPU; the rest is blocked (fsync)
    double commands_per_s() const { return commands / seconds; }
    double events_per_s() const { return events / seconds; }
};

// inbound_producers: how many of the 2 producers send inbound (2 = both, 1 = one inbound and one
// set_state, 0 = both set_state, on disjoint agents); the others send set_state.
ThroughputResult run_throughput(const TempDir& dir, const config::Document& doc, const Sizes& sizes,
                                const std::string& label, int inbound_producers) {
    auto path = dir.file("engine-" + std::to_string(inbound_producers) + ".db");
    remove_db(path);
    Producer producers[2];  // outlive the host: done callbacks touch them until the strand stops
    std::atomic<std::uint64_t> published{0};
    Host host(path, doc);
    host.bus.subscribe(engine::event_topic, 0, [&](std::string_view, std::string_view) {
        published.fetch_add(1, std::memory_order_relaxed);
    });
    host.start();
    auto before = host.on_core([&] { return host.engine->stats(); });
    auto sched_before = host.on_core(thread_sched);

    int per_producer = sizes.commands / 2;
    auto t0 = std::chrono::steady_clock::now();
    for (int p = 0; p < 2; ++p) {
        bool inbound = p < inbound_producers;
        std::function<engine::Command(int)> make = inbound ? inbound_command : set_state_command;
        // Distinct customers across both producers; set_state indexes stay per producer
        // and on disjoint agents (producer 0 even agents, 1 odd ones, when both toggle).
        if (!inbound && inbound_producers == 0)
            make = [p](int j) {
                auto c = set_state_command(j);
                int agent = (j % (staff_agents / 2)) * 2 + p;
                bool idle = (j / (staff_agents / 2)) % 2 == 1;
                c.actor.agent = agent_id("s", agent);
                c.args = idle ? json::object{{"state", "idle"}, {"reason", "Break"}} : json::object{{"state", "available"}};
                return c;
            };
        producers[p].start(*host.engine, inbound ? p * per_producer : 0, per_producer, sizes.window / 2, make);
    }
    for (auto& p : producers) p.join();
    ThroughputResult r;
    r.seconds = seconds_since(t0);
    auto sched_after = host.on_core(thread_sched);
    auto after = host.on_core([&] { return host.engine->stats(); });
    r.strand = {sched_after.cpu_s - sched_before.cpu_s, sched_after.runqueue_s - sched_before.runqueue_s};
    r.label = label;
    r.commands = after.commands - before.commands;
    r.events = after.events - before.events;
    r.commits = after.commits - before.commits;
    r.published = published.load();
    for (auto& p : producers) {
        r.refused += p.refused;
        if (p.refused) std::printf("  !! %llu refused, first: %s\n", static_cast<unsigned long long>(p.refused.load()),
                                   p.first_refusal.c_str());
    }
    return r;
}

// ---- 2. memory per live interaction -------------------------------------------------------

struct MemoryResult {
    int interactions = 0;
    std::size_t rss_before = 0, rss_after = 0, heap_before = 0, heap_after = 0;
    std::size_t raw_bytes = 0;  // the strings the interactions hold
    std::size_t live = 0;
    double seconds = 0;
    double per_interaction() const { return double(rss_after - rss_before) / interactions; }
    double heap_per_interaction() const { return double(heap_after - heap_before) / interactions; }
    double raw_per_interaction() const { return double(raw_bytes) / interactions; }
};

std::size_t string_bytes(const engine::Interaction& i) {
    std::size_t n = i.id.size() + i.tenant.size() + i.channel.size() + i.entry_point.size() + i.queue.size() +
                    i.customer_name.size() + i.customer_number.size() + i.origin.size() + i.interrupted_reason.size();
    for (auto& [k, v] : i.cad) n += k.size() + v.size();
    for (auto& l : i.legs) n += l.agent.size();
    for (auto& m : i.messages)
        n += m.id.size() + m.author.size() + m.text.size() + m.channel_message_id.size() + m.client_id.size() +
             m.status.size() + m.error.size();
    return n;
}

MemoryResult run_memory(const TempDir& dir, const config::Document& doc, const Sizes& sizes) {
    auto path = dir.file("memory.db");
    remove_db(path);
    MemoryResult r;
    r.interactions = sizes.interactions;
    Producer producers[2];
    Host host(path, doc);
    host.start();
    host.on_core([] { return 0; });  // the recover round has run
    malloc_trim(0);
    r.rss_before = rss_bytes();
    r.heap_before = heap_in_use();

    auto t0 = std::chrono::steady_clock::now();
    int half = sizes.interactions / 2;
    producers[0].start(*host.engine, 0, half, sizes.window / 2, inbound_command);
    producers[1].start(*host.engine, half, sizes.interactions - half, sizes.window / 2, inbound_command);
    for (auto& p : producers) p.join();
    r.seconds = seconds_since(t0);
    for (auto& p : producers)
        if (p.refused) std::printf("  !! %llu refused, first: %s\n", static_cast<unsigned long long>(p.refused.load()),
                                   p.first_refusal.c_str());

    host.on_core([&] {
        for (auto& [id, i] : host.engine->state().interactions) {
            r.raw_bytes += string_bytes(i);
            r.live += !i.ended && !i.interrupted;
        }
        return 0;
    });
    malloc_trim(0);
    r.rss_after = rss_bytes();
    r.heap_after = heap_in_use();
    return r;
}

// ---- 3. replay ------------------------------------------------------------------------------

struct ReplayResult {
    std::uint64_t events = 0;
    double fill_s = 0;
    double bare_s = 0;
    double parse_s = 0;
    double recover_s = 0;
    std::size_t interactions = 0, messages = 0, live = 0;
    std::size_t rss_growth = 0;
    std::uint64_t data_bytes = 0;
};

// 10 events per interaction, in groups of 100 interactions that run side by side
// (step by step), so waiting queues and agents' work lists hold ~100 entries:
// presence available, created, customer message, offer, accept, agent reply,
// customer message, agent reply, ended, presence idle. The last 10% stay live:
// instead of ended and idle they get a delivery status and one more customer message.
struct EventWriter {
    std::int64_t t = 1'700'000'000'000;
    int messages = 0;

    store::Event event(const char* type, json::object data) {
        return {0, "acme", type, t += 37, json::serialize(data)};
    }

    void interaction_step(std::vector<store::Event>& out, int k, int step, bool stays_live) {
        auto id = "i-" + std::to_string(k + 1);
        auto agent = agent_id("a", k % acme_agents);
        auto message_id = [&] { return "m-" + std::to_string(++messages); };
        auto customer_says = [&](int n) {
            return event("message.added", {{"interaction", id}, {"id", message_id()}, {"direction", "in"},
                                           {"author", "customer"}, {"text", customer_text(k * 7 + n)},
                                           {"channel_message_id", "wamid." + std::to_string(k * 10 + n)},
                                           {"customer_name", customer_name(k)}, {"status", "received"}});
        };
        auto agent_says = [&](int n) {
            return event("message.added", {{"interaction", id}, {"id", message_id()}, {"direction", "out"},
                                           {"author", agent}, {"text", agent_text(k * 3 + n)},
                                           {"client_id", "c-" + std::to_string(k * 10 + n)}, {"status", "pending"}});
        };
        switch (step) {
            case 0: out.push_back(event("agent.presence", {{"agent", agent}, {"presence", "available"}, {"reason", ""}})); break;
            case 1:
                out.push_back(event("interaction.created",
                                    {{"id", id}, {"channel", "test"}, {"entry_point", "test_line"}, {"queue", "support"},
                                     {"customer_name", customer_name(k)}, {"customer_number", customer_number(k)},
                                     {"origin", business_number}, {"cad", {{"campaign", "spring"}}}}));
                break;
            case 2: out.push_back(customer_says(0)); break;
            case 3:
                out.push_back(event("offer.made", {{"interaction", id}, {"agent", agent}, {"expires_at", t + 30'000}}));
                break;
            case 4: out.push_back(event("offer.accepted", {{"interaction", id}, {"agent", agent}})); break;
            case 5: out.push_back(agent_says(0)); break;
            case 6: out.push_back(customer_says(1)); break;
            case 7: out.push_back(agent_says(1)); break;
            case 8:
                if (stays_live)
                    out.push_back(event("message.status", {{"interaction", id}, {"id", "m-" + std::to_string(messages)},
                                                           {"status", "delivered"}, {"channel_message_id", "wamid.x"},
                                                           {"error", ""}}));
                else
                    out.push_back(event("interaction.ended", {{"interaction", id}, {"agent", agent}}));
                break;
            case 9:
                if (stays_live) out.push_back(customer_says(2));
                else out.push_back(event("agent.presence", {{"agent", agent}, {"presence", "idle"}, {"reason", "Break"}}));
                break;
        }
    }
};

ReplayResult run_replay(const TempDir& dir, const config::Document& doc, const Sizes& sizes) {
    auto path = dir.file("replay.db");
    remove_db(path);
    ReplayResult r;
    int interactions = sizes.events / 10;
    int live_from = interactions - interactions / 10;
    constexpr int group = 100;
    constexpr std::size_t batch_size = 10'000;
    {
        auto store = store::open_sqlite(path, "full");
        EventWriter w;
        std::vector<store::Event> batch;
        batch.reserve(batch_size);
        auto t0 = std::chrono::steady_clock::now();
        for (int g = 0; g < interactions; g += group)
            for (int step = 0; step < 10; ++step)
                for (int k = g; k < std::min(g + group, interactions); ++k) {
                    w.interaction_step(batch, k, step, k >= live_from);
                    if (batch.size() == batch_size) {
                        store->append(batch);
                        batch.clear();
                    }
                }
        if (!batch.empty()) store->append(batch);
        r.fill_s = seconds_since(t0);
        r.events = store->last_seq();
    }

    {  // peer: read every event, nothing else
        auto store = store::open_sqlite(path, "full");
        std::uint64_t n = 0, bytes = 0;
        auto t0 = std::chrono::steady_clock::now();
        store->replay(0, [&](const store::Event& e) {
            ++n;
            bytes += e.data.size();
        });
        r.bare_s = seconds_since(t0);
        if (n != r.events) throw std::runtime_error("bare replay read " + std::to_string(n) + " events");
        r.data_bytes = bytes;
    }
    {  // peer: read and parse the JSON (the part of recover that is not the engine's own)
        auto store = store::open_sqlite(path, "full");
        std::uint64_t n = 0;
        auto t0 = std::chrono::steady_clock::now();
        store->replay(0, [&](const store::Event& e) { n += json::parse(e.data).as_object().size(); });
        r.parse_s = seconds_since(t0);
        if (n == 0) throw std::runtime_error("nothing parsed");
    }
    {  // the engine: a fresh one over the reopened store
        malloc_trim(0);
        auto rss0 = rss_bytes();
        Runtime runtime;
        bus::Bus bus;
        auto store = store::open_sqlite(path, "full");
        engine::Engine e(runtime, *store, bus);
        e.configure(doc);
        auto t0 = std::chrono::steady_clock::now();
        e.recover();
        r.recover_s = seconds_since(t0);
        r.rss_growth = rss_bytes() - rss0;
        // Safe without the strand: the runtime is not running, this thread is the only one.
        for (auto& [id, i] : e.state().interactions) {
            r.messages += i.messages.size();
            r.live += !i.ended;
        }
        r.interactions = e.state().interactions.size();
    }
    return r;
}

// ---- output -----------------------------------------------------------------------------------

void rule() { std::printf("%s\n", std::string(100, '-').c_str()); }

const char* verdict(bool pass) { return pass ? "PASS" : "FAIL"; }

Sizes parse_args(int argc, char** argv) {
    Sizes s;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto eq = a.find('=');
        if (eq == std::string::npos) throw std::runtime_error("arguments are key=value: " + a);
        auto key = a.substr(0, eq), value = a.substr(eq + 1);
        if (key == "only") s.only = value;
        else if (key == "commands") s.commands = std::stoi(value);
        else if (key == "window") s.window = std::stoi(value);
        else if (key == "interactions") s.interactions = std::stoi(value);
        else if (key == "events") s.events = std::stoi(value);
        else if (key == "raw_single") s.raw_single = std::stoi(value);
        else if (key == "raw_batched") s.raw_batched = std::stoi(value);
        else throw std::runtime_error("unknown argument " + key);
    }
    return s;
}

void print_throughput(const ThroughputResult& t) {
    std::printf("  %-34s %9s cmd/s %10s ev/s  %7.2f s  %6.1f cmd/commit %6.1f ev/commit  %s commits\n",
                t.label.c_str(), with_commas(t.commands_per_s()).c_str(), with_commas(t.events_per_s()).c_str(),
                t.seconds, double(t.commands) / std::max<std::uint64_t>(t.commits, 1),
                double(t.events) / std::max<std::uint64_t>(t.commits, 1), with_commas(double(t.commits)).c_str());
    double blocked = std::max(0.0, t.seconds - t.strand.cpu_s - t.strand.runqueue_s);
    std::printf("  %-34s core thread: %.2f s on CPU (%.1f us/cmd), %.2f s waiting for a CPU, %.2f s blocked "
                "(fsync); with a CPU to itself: ~%s cmd/s\n",
                "", t.strand.cpu_s, t.strand.cpu_s * 1e6 / std::max<std::uint64_t>(t.commands, 1), t.strand.runqueue_s,
                blocked, with_commas(t.commands / (t.strand.cpu_s + blocked)).c_str());
}

}  // namespace

int main(int argc, char** argv) try {
    auto sizes = parse_args(argc, argv);
    log::init({"text", "warn", ""});
    auto doc = bench_config();
    TempDir dir;
    auto run_start = std::chrono::steady_clock::now();
    std::printf("bench-engine: %u hardware threads, files in %s (synchronous=FULL, WAL)\n",
                std::thread::hardware_concurrency(), dir.path.c_str());

    bool all = sizes.only.empty();

    // Memory first: a fresh heap, so the RSS delta is not flattered by memory the
    // other runs freed.
    MemoryResult mem;
    bool have_mem = all || sizes.only == "memory";
    if (have_mem) mem = run_memory(dir, doc, sizes);

    std::vector<ThroughputResult> tp;
    double raw_single = 0, raw_batched = 0;
    if (sizes.only == "inbound" || sizes.only == "set_state") {  // one workload alone, for profiling
        auto t = run_throughput(dir, doc, sizes, sizes.only + " only", sizes.only == "inbound" ? 2 : 0);
        print_throughput(t);
        return 0;
    }
    bool have_tp = all || sizes.only == "throughput";
    if (have_tp) {
        rule();
        std::printf("1. durable commands/s: %s commands from 2 producer threads, %d outstanding, file store, "
                    "synchronous=FULL\n",
                    with_commas(sizes.commands).c_str(), sizes.window);
        rule();
        tp.push_back(run_throughput(dir, doc, sizes, "mixed: inbound + set_state", 1));
        print_throughput(tp.back());
        tp.push_back(run_throughput(dir, doc, sizes, "inbound only (2 events each)", 2));
        print_throughput(tp.back());
        tp.push_back(run_throughput(dir, doc, sizes, "set_state only (1 event each)", 0));
        print_throughput(tp.back());
        for (auto& t : tp)
            if (t.published != t.events)
                std::printf("  !! %s: %llu events committed but %llu published\n", t.label.c_str(),
                            static_cast<unsigned long long>(t.events), static_cast<unsigned long long>(t.published));
        raw_single = raw_sqlite_inserts_per_second(dir.file("raw-single.db"), 1, sizes.raw_single, true);
        raw_batched = raw_sqlite_inserts_per_second(dir.file("raw-batched.db"), 1000, sizes.raw_batched, true);
        std::printf("  %-34s %9s rows/s (%s rows)\n", "peer: raw SQLite, 1 row/commit", with_commas(raw_single).c_str(),
                    with_commas(sizes.raw_single).c_str());
        std::printf("  %-34s %9s rows/s (%s rows)\n", "peer: raw SQLite, 1000 rows/commit",
                    with_commas(raw_batched).c_str(), with_commas(sizes.raw_batched).c_str());
        auto& m = tp.front();
        std::printf("  mixed: engine/raw_single = %.2fx (cmd) %.2fx (events); engine/raw_batched = %.3fx (cmd) %.3fx "
                    "(events)\n",
                    m.commands_per_s() / raw_single, m.events_per_s() / raw_single, m.commands_per_s() / raw_batched,
                    m.events_per_s() / raw_batched);
        std::printf("  target >= %s commands/s: %s\n", with_commas(target_commands_per_s).c_str(),
                    verdict(m.commands_per_s() >= target_commands_per_s));
    }

    if (have_mem) {
        rule();
        std::printf("2. memory per live interaction: %s interactions created by inbound (one 60-100 char message each)\n",
                    with_commas(mem.interactions).c_str());
        rule();
        std::printf("  created in %.2f s; %s live interactions in state\n", mem.seconds, with_commas(double(mem.live)).c_str());
        std::printf("  RSS  %s -> %s bytes: %.0f bytes/interaction (after malloc_trim; includes SQLite's page cache, "
                    "<= ~2 MB = ~%.0f B/interaction)\n",
                    with_commas(double(mem.rss_before)).c_str(), with_commas(double(mem.rss_after)).c_str(),
                    mem.per_interaction(), 2048.0 * 1024 / mem.interactions);
        std::printf("  heap in use (mallinfo2) grew %s bytes: %.0f bytes/interaction\n",
                    with_commas(double(mem.heap_after - mem.heap_before)).c_str(), mem.heap_per_interaction());
        std::printf("  sizeof: Interaction %zu, Message %zu, Leg %zu, std::string %zu (the state keeps each interaction in an "
                    "unordered_map node, its message in a vector, plus live_by_customer and waiting entries)\n",
                    sizeof(engine::Interaction), sizeof(engine::Message), sizeof(engine::Leg), sizeof(std::string));
        std::printf("  peer: raw string bytes held %.0f bytes/interaction; overhead RSS/raw = %.2fx\n",
                    mem.raw_per_interaction(), mem.per_interaction() / mem.raw_per_interaction());
        std::printf("  target <= %.0f bytes/interaction: %s\n", target_bytes_per_interaction,
                    verdict(mem.per_interaction() <= target_bytes_per_interaction));
    }

    ReplayResult rp;
    bool have_rp = all || sizes.only == "replay";
    if (have_rp) {
        rule();
        std::printf("3. replay: %s events (%d interactions, 10 events each, last 10%% live)\n",
                    with_commas(sizes.events).c_str(), sizes.events / 10);
        rule();
        rp = run_replay(dir, doc, sizes);
        std::printf("  fill: %s events (%s bytes of JSON data) appended in batches of 10,000 in %.2f s (%s ev/s)\n",
                    with_commas(double(rp.events)).c_str(), with_commas(double(rp.data_bytes)).c_str(), rp.fill_s,
                    with_commas(rp.events / rp.fill_s).c_str());
        std::printf("  %-40s %7.2f s  %10s ev/s\n", "peer: bare store->replay (count only)", rp.bare_s,
                    with_commas(rp.events / rp.bare_s).c_str());
        std::printf("  %-40s %7.2f s  %10s ev/s\n", "peer: replay + json::parse", rp.parse_s,
                    with_commas(rp.events / rp.parse_s).c_str());
        std::printf("  %-40s %7.2f s  %10s ev/s\n", "engine: Engine::recover()", rp.recover_s,
                    with_commas(rp.events / rp.recover_s).c_str());
        std::printf("  recovered %s interactions (%s live), %s messages; RSS grew %s bytes\n",
                    with_commas(double(rp.interactions)).c_str(), with_commas(double(rp.live)).c_str(),
                    with_commas(double(rp.messages)).c_str(), with_commas(double(rp.rss_growth)).c_str());
        std::printf("  recover/bare = %.2fx, recover/parse = %.2fx; target < %.0f s: %s\n", rp.recover_s / rp.bare_s,
                    rp.recover_s / rp.parse_s, target_replay_s, verdict(rp.recover_s < target_replay_s));
    }

    rule();
    std::printf("summary (one run, %.0f s)\n", seconds_since(run_start));
    rule();
    std::printf("%-38s %16s %14s %22s %10s %s\n", "figure", "measured", "target", "peer", "ratio", "");
    if (have_tp) {
        auto& m = tp.front();
        std::printf("%-38s %16s %14s %22s %9.2fx %s\n", "durable commands/s (mixed)", with_commas(m.commands_per_s()).c_str(),
                    ">= 100,000", ("raw 1/commit " + with_commas(raw_single)).c_str(), m.commands_per_s() / raw_single,
                    verdict(m.commands_per_s() >= target_commands_per_s));
        std::printf("%-38s %16s %14s %22s %9.3fx\n", "", "", "",
                    ("raw 1000/commit " + with_commas(raw_batched)).c_str(), m.commands_per_s() / raw_batched);
        std::printf("%-38s %16s %14s %22s %9.3fx\n", "durable events/s (mixed)", with_commas(m.events_per_s()).c_str(),
                    "", "raw 1000/commit", m.events_per_s() / raw_batched);
        for (std::size_t i = 1; i < tp.size(); ++i)
            std::printf("%-38s %16s %14s %22s %9.3fx\n", ("commands/s, " + tp[i].label).c_str(),
                        with_commas(tp[i].commands_per_s()).c_str(), "", "raw 1000/commit",
                        tp[i].commands_per_s() / raw_batched);
    }
    if (have_mem)
        std::printf("%-38s %16.0f %14s %22s %9.2fx %s\n", "bytes/live interaction (RSS)", mem.per_interaction(),
                    "<= 2,048", ("raw strings " + std::to_string(static_cast<int>(mem.raw_per_interaction()))).c_str(),
                    mem.per_interaction() / mem.raw_per_interaction(),
                    verdict(mem.per_interaction() <= target_bytes_per_interaction));
    if (have_rp) {
        char measured[32];
        std::snprintf(measured, sizeof measured, "%.2f s", rp.recover_s);
        char bare[40];
        std::snprintf(bare, sizeof bare, "bare replay %.2f s", rp.bare_s);
        char parse[40];
        std::snprintf(parse, sizeof parse, "replay+parse %.2f s", rp.parse_s);
        std::printf("%-38s %16s %14s %22s %9.2fx %s\n", "replay 1M events (recover)", measured, "< 10 s", bare,
                    rp.recover_s / rp.bare_s, verdict(rp.recover_s < target_replay_s));
        std::printf("%-38s %16s %14s %22s %9.2fx\n", "", "", "", parse, rp.recover_s / rp.parse_s);
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench-engine: %s\n", e.what());
    return 1;
}
