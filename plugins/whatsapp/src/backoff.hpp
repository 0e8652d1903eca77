// Exponential backoff with jitter for retried sends.
#pragma once

#include <chrono>

namespace parley::whatsapp {

inline constexpr std::chrono::milliseconds kMaxBackoff{60'000};

// The wait before retry `retry` (1 for the first): d = base * 2^(retry-1), at most
// kMaxBackoff, then a point in [d/2, d] chosen by `random01` in [0, 1), so that
// sends that failed together do not all come back at once.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base, double random01);

}  // namespace parley::whatsapp
