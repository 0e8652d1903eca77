// libFuzzer target over the configuration parser (what `parley serve` and `parley check`
// read first), linked to toml++ as the server is (tests/fuzz/run.sh, docs/config.md):
// any text gives a document or diagnostics. Invariants:
//  - no crash, no exception, no undefined behaviour (ASan/UBSan);
//  - every diagnostic points into the file: its name, a line and a column (a TOML typo
//    is reported as file:line:col).
#include "parley/core/config.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto result = parley::config::parse_text(text, "fuzz.toml");
    for (const auto& d : result.errors) {
        if (d.where.file != "fuzz.toml" || d.where.line < 1 || d.where.column < 1) {
            std::fprintf(stderr, "invariant broken: a diagnostic without file:line:col: %s\n", d.to_string().c_str());
            std::abort();
        }
    }
    return 0;
}
