// The masking plugin through the SDK's fake host: the per-tenant policy, the view
// filter, and the parley.masker service.
#include <parley/masker.h>
#include <parley/testing/fake_host.hpp>

#include <gtest/gtest.h>

extern "C" const parley_plugin_descriptor* parley_plugin_entry_masking(void);

namespace {

const char* kView =
    R"({"tenant":"acme","surface":"task_list","view":{"title":"+447966197542","preview":"card 4111 1111 1111 1111","updated_at":17}})";

std::string mask_through_service(parley::testing::FakeHost& host, std::string_view tenant, std::string_view surface,
                                 std::string_view text) {
    auto* s = host.service(PARLEY_MASKER_SERVICE);
    EXPECT_NE(s, nullptr);
    auto* table = static_cast<const parley_masker_service*>(s->table);
    parley_buffer out;
    EXPECT_EQ(table->mask(s->user, {tenant.data(), tenant.size()}, {surface.data(), surface.size()},
                          {text.data(), text.size()}, &out),
              PARLEY_OK);
    return out.data;
}

}  // namespace

TEST(MaskingPlugin, OffUnlessTheTenantTurnsItOn) {
    parley::testing::FakeHost off;
    off.create(parley_plugin_entry_masking());
    EXPECT_EQ(off.logs().back().text, "masking disabled");
    EXPECT_EQ(off.filter("view.before_display", kView), kView);  // unchanged

    parley::testing::FakeHost on;
    on.set_tenant("acme");
    on.set("enabled", true);
    on.create(parley_plugin_entry_masking());
    EXPECT_EQ(on.logs().back().text, "masking enabled for tenant acme");
}

TEST(MaskingPlugin, TheViewFilterMasksEveryStringOfACoveredSurface) {
    parley::testing::FakeHost host;
    host.set("enabled", true);
    host.create(parley_plugin_entry_masking());
    auto out = host.filter("view.before_display", kView);
    ASSERT_TRUE(out);
    EXPECT_EQ(*out,
              R"({"tenant":"acme","surface":"task_list","view":{"title":"*********7542","preview":"card ************1111","updated_at":17}})");
}

TEST(MaskingPlugin, SurfacesAndEntitiesFollowThePolicy) {
    parley::testing::FakeHost host;
    host.set("enabled", true);
    host.set("entities", std::vector<std::string>{"card"});
    host.set("surfaces", std::vector<std::string>{"conversation"});
    host.set("mask_char", std::string("#"));
    host.create(parley_plugin_entry_masking());
    EXPECT_EQ(host.filter("view.before_display", kView), kView);  // task_list is not covered
    EXPECT_EQ(mask_through_service(host, "", "conversation", "+447966197542 4111 1111 1111 1111"),
              "+447966197542 ############1111");
    // Logs are masked with every entity whatever the policy says.
    EXPECT_EQ(mask_through_service(host, "", "logs", "+447966197542"), "#########7542");
}

TEST(MaskingPlugin, RefusesABadPolicyWithASentence) {
    for (auto [key, value] : {std::pair{"mask_char", "**"}, std::pair{"mask_char", "7"}}) {
        parley::testing::FakeHost host;
        host.set(key, std::string(value));
        EXPECT_THROW(host.create(parley_plugin_entry_masking()), std::runtime_error) << key << "=" << value;
    }
    parley::testing::FakeHost host;
    host.set("entities", std::vector<std::string>{"cards"});
    try {
        host.create(parley_plugin_entry_masking());
        FAIL();
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("unknown entity 'cards'"), std::string::npos) << e.what();
    }
}

TEST(MaskingPlugin, MaskWithTakesItsOwnEntitiesAndMaskCharacterWhateverTheTenantSays) {
    parley::testing::FakeHost host;  // masking off for the defaults: mask_with does not ask
    host.create(parley_plugin_entry_masking());
    auto* s = host.service(PARLEY_MASKER_SERVICE);
    ASSERT_NE(s, nullptr);
    ASSERT_GE(s->version, 2u);
    auto* table = static_cast<const parley_masker_service*>(s->table);
    auto mask_with = [&](std::string_view entities, std::string_view mask_char, std::string_view text,
                         parley_status want = PARLEY_OK) {
        parley_buffer out;
        EXPECT_EQ(table->mask_with(s->user, {entities.data(), entities.size()}, {mask_char.data(), mask_char.size()},
                                   {text.data(), text.size()}, &out),
                  want)
            << entities << " " << mask_char;
        return out.data;
    };
    const std::string_view text = "melissa@gmail.com 4111 1111 1111 1111 +447966197542";
    EXPECT_EQ(mask_with("", "", text), "m******@gmail.com ************1111 *********7542");
    EXPECT_EQ(mask_with("card", "#", text), "melissa@gmail.com ############1111 +447966197542");
    EXPECT_EQ(mask_with("email,phone", "\xE2\x80\xA2", "melissa@gmail.com"),
              "m\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2@gmail.com");
    EXPECT_EQ(mask_with("", "", "nothing here"), "nothing here");
    mask_with("cards", "", text, PARLEY_ERR_INVALID);
    mask_with("", "7", text, PARLEY_ERR_INVALID);
    mask_with("", "**", text, PARLEY_ERR_INVALID);
}
