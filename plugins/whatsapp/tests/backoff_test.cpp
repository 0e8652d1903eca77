#include "backoff.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace parley::whatsapp;
using std::chrono::milliseconds;

TEST(Backoff, DoublesEachRetryWithinJitterBounds) {
    milliseconds base(500);
    for (int retry = 1; retry <= 7; ++retry) {
        auto full = milliseconds(500LL << (retry - 1));
        EXPECT_EQ(backoff_delay(retry, base, 0.0), full / 2) << retry;
        EXPECT_EQ(backoff_delay(retry, base, 0.5), full * 3 / 4) << retry;
        auto top = backoff_delay(retry, base, 0.999999);
        EXPECT_LE(top, full) << retry;
        EXPECT_GE(top, full - milliseconds(1)) << retry;
    }
}

TEST(Backoff, IsCappedAndRandomIsClamped) {
    EXPECT_EQ(backoff_delay(30, milliseconds(500), 1.0), kMaxBackoff);
    EXPECT_EQ(backoff_delay(30, milliseconds(500), 0.0), kMaxBackoff / 2);
    EXPECT_EQ(backoff_delay(1, milliseconds(500), -3.0), milliseconds(250));
    EXPECT_EQ(backoff_delay(1, milliseconds(500), 7.0), milliseconds(500));
}

TEST(Backoff, JitterSpreadsRetriesThatFailedTogether) {
    std::set<long long> seen;
    for (double r = 0; r < 1; r += 0.1) seen.insert(backoff_delay(3, milliseconds(500), r).count());
    EXPECT_GE(seen.size(), 9u);
    for (auto d : seen) {
        EXPECT_GE(d, 1000);
        EXPECT_LE(d, 2000);
    }
}
