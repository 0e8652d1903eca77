// A test's config from TOML text; the test fails when the text does not parse.
#pragma once

#include "parley/core/config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::test {

inline config::Document parse(const std::string& text) {
    auto r = config::parse_text(text, "test.toml");
    EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().to_string());
    return r.document;
}

}  // namespace parley::test
