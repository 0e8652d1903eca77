// C++ wrapper of the engine service (parley/engine.h) for channel plugins.
#pragma once

#include <parley/engine.h>
#include <parley/plugin.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace parley {

class EngineClient {
public:
    // ok: the result JSON; !ok: {"code","message"}.
    using Done = std::function<void(bool ok, std::string_view json)>;

    // Throws when the core offers no engine service (a host without the engine).
    explicit EngineClient(Host& host) : host_(host) {
        auto s = host.find_service(PARLEY_ENGINE_SERVICE, PARLEY_ENGINE_SERVICE_VERSION);
        if (!s) throw std::runtime_error("this host has no engine service (parley.engine)");
        table_ = static_cast<const parley_engine_service*>(s->table);
        user_ = s->user;
    }

    // `done` runs on the core thread after the command is committed or refused.
    void submit(std::string_view command, std::string_view args_json, Done done) {
        auto* ctx = new Done(std::move(done));
        auto s = table_->submit(user_, host_.handle(), to_c(command), to_c(args_json), &on_done, ctx);
        if (s != PARLEY_OK) {
            std::unique_ptr<Done> owned(ctx);
            (*owned)(false, R"({"code":"refused","message":"the engine refused the command"})");
        }
    }

private:
    static void on_done(void* ctx, parley_status status, parley_str result) noexcept {
        std::unique_ptr<Done> done(static_cast<Done*>(ctx));
        try {
            (*done)(status == PARLEY_OK, to_view(result));
        } catch (...) {
            // Nowhere to report to: the command itself is already committed.
        }
    }

    Host& host_;
    const parley_engine_service* table_ = nullptr;
    void* user_ = nullptr;
};

}  // namespace parley
