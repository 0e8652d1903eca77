#include "backoff.hpp"

#include <algorithm>

namespace parley::whatsapp {

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base, double random01) {
    double d = static_cast<double>(base.count());
    for (int i = 1; i < retry && d < kMaxBackoff.count(); ++i) d *= 2;
    d = std::min(d, static_cast<double>(kMaxBackoff.count()));
    random01 = std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(d / 2 + random01 * d / 2));
}

}  // namespace parley::whatsapp
