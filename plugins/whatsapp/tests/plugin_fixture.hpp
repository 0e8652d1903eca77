// The whole plugin (static build) on the SDK's fake host.
#pragma once

#include "fakes_fixture.hpp"

extern "C" const parley_plugin_descriptor* parley_plugin_entry_whatsapp(void);

namespace wa_test {

class PluginTest : public FakesTest {
protected:
    void TearDown() override {
        host.run_posted();
        host.destroy();
        FakesTest::TearDown();
    }

    void create() { host.create(parley_plugin_entry_whatsapp()); }
};

}  // namespace wa_test
