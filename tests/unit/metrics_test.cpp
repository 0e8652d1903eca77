#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "parley/core/metrics.hpp"

using parley::metrics::Registry;

TEST(Metrics, RendersHelpTypeAndSamples) {
    Registry registry;
    registry.counter("parley_requests_total", "Requests handled.", "code=\"200\"") += 3;
    registry.counter("parley_requests_total", "Requests handled.", "code=\"404\"") += 1;
    registry.gauge("parley_open", "Open things.") = 7;

    EXPECT_EQ(registry.render(),
              "# HELP parley_open Open things.\n"
              "# TYPE parley_open gauge\n"
              "parley_open 7\n"
              "# HELP parley_requests_total Requests handled.\n"
              "# TYPE parley_requests_total counter\n"
              "parley_requests_total{code=\"200\"} 3\n"
              "parley_requests_total{code=\"404\"} 1\n");
}

TEST(Metrics, SameNameAndLabelsGiveTheSameCell) {
    Registry registry;
    auto& a = registry.counter("x_total", "X.", "k=\"v\"");
    auto& b = registry.counter("x_total", "X.", "k=\"v\"");
    auto& other = registry.counter("x_total", "X.", "k=\"w\"");
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &other);
}

TEST(Metrics, FamiliesAreSortedByName) {
    Registry registry;
    registry.gauge("zeta", "Z.");
    registry.counter("alpha_total", "A.");
    registry.gauge("mid", "M.");
    std::string text = registry.render();
    auto alpha = text.find("# HELP alpha_total");
    auto mid = text.find("# HELP mid");
    auto zeta = text.find("# HELP zeta");
    ASSERT_NE(alpha, std::string::npos);
    EXPECT_LT(alpha, mid);
    EXPECT_LT(mid, zeta);
}

TEST(Metrics, HelpEscapesBackslashAndNewline) {
    Registry registry;
    registry.gauge("g", "a\\b\nc");
    EXPECT_NE(registry.render().find("# HELP g a\\\\b\\nc\n"), std::string::npos);
}

TEST(Metrics, EmptyRegistryRendersNothing) { EXPECT_EQ(Registry().render(), ""); }

TEST(Metrics, ConcurrentIncrementsAreCounted) {
    Registry registry;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&registry, t] {
            for (int i = 0; i < 1000; ++i) {
                registry.counter("c_total", "C.", "t=\"" + std::to_string(t % 2) + "\"")++;
                if (i % 100 == 0) (void)registry.render();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(registry.counter("c_total", "C.", "t=\"0\"").load(), 2000);
    EXPECT_EQ(registry.counter("c_total", "C.", "t=\"1\"").load(), 2000);
}
