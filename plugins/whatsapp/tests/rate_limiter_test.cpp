#include "rate_limiter.hpp"

#include <gtest/gtest.h>

using namespace parley::whatsapp;
using namespace std::chrono_literals;

TEST(TokenBucket, AllowsABurstThenTheRate) {
    auto t0 = Clock::time_point{} + 1h;
    TokenBucket bucket(80, 80, t0);
    for (int i = 0; i < 80; ++i) {
        ASSERT_EQ(bucket.ready_at(t0), t0) << i;
        bucket.take(t0);
    }
    auto next = bucket.ready_at(t0);
    EXPECT_GT(next, t0);
    EXPECT_LE(next - t0, 12500us + 1us);  // 1/80 s
    EXPECT_GE(next - t0, 12400us);
    bucket.take(next);
    EXPECT_GT(bucket.ready_at(next), next);
    // After a quiet second it is full again, never fuller.
    auto later = next + 10s;
    for (int i = 0; i < 80; ++i) bucket.take(later);
    EXPECT_GT(bucket.ready_at(later), later);
}

TEST(TokenBucket, SustainsItsRateOverTime) {
    auto t = Clock::time_point{} + 1h;
    TokenBucket bucket(10, 1, t);
    int sent = 0;
    auto end = t + 2s;
    while (t < end) {
        t = bucket.ready_at(t);
        if (t >= end) break;
        bucket.take(t);
        ++sent;
    }
    EXPECT_GE(sent, 20);
    EXPECT_LE(sent, 21);
}

TEST(RateLimiter, PacesEachRecipientAndCountsEachNumber) {
    auto t0 = Clock::time_point{} + 1h;
    RateLimiter limiter(2, 1000ms);
    EXPECT_EQ(limiter.ready_at("n1", "alice", t0), t0);
    limiter.take("n1", "alice", t0);
    EXPECT_EQ(limiter.ready_at("n1", "alice", t0), t0 + 1000ms);  // the same customer waits
    EXPECT_EQ(limiter.ready_at("n1", "bob", t0), t0);              // another does not
    limiter.take("n1", "bob", t0);
    EXPECT_EQ(limiter.ready_at("n1", "carol", t0), t0 + 500ms);    // the number's 2/s is used up
    EXPECT_EQ(limiter.ready_at("n2", "carol", t0), t0);            // another number has its own
    EXPECT_EQ(limiter.ready_at("n1", "", t0 + 500ms), t0 + 500ms);  // read receipts: no pacing
}

TEST(RateLimiter, ZeroIntervalMeansNoPacing) {
    auto t0 = Clock::time_point{} + 1h;
    RateLimiter limiter(100, 0ms);
    limiter.take("n1", "alice", t0);
    EXPECT_EQ(limiter.ready_at("n1", "alice", t0), t0);
}
