// C++ wrapper of the engine service (parley/engine.h) for channel plugins.
#pragma once

#include <parley/engine.h>
#include <parley/plugin.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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
        auto id = next_id_++;
        Call* call = &pending_.try_emplace(id, Call{this, id, std::move(done)}).first->second;
        auto s = table_->submit(user_, host_.handle(), to_c(command), to_c(args_json), &on_done, call);
        if (s != PARLEY_OK) {
            Done refused = take(id);
            refused(false, R"({"code":"refused","message":"the engine refused the command"})");
        }
    }

private:
    // A command the engine has not answered yet. The client owns it: the engine does not
    // answer a plugin that is going away (nor anyone, once the server stopped), and what
    // it never answers is freed with the client.
    struct Call {
        EngineClient* client;
        std::uint64_t id;
        Done done;
    };

    Done take(std::uint64_t id) {
        auto node = pending_.extract(id);
        return std::move(node.mapped().done);
    }

    static void on_done(void* ctx, parley_status status, parley_str result) noexcept {
        auto* call = static_cast<Call*>(ctx);
        try {
            Done done = call->client->take(call->id);
            done(status == PARLEY_OK, to_view(result));
        } catch (...) {
            // Nowhere to report to: the command itself is already committed.
        }
    }

    Host& host_;
    const parley_engine_service* table_ = nullptr;
    void* user_ = nullptr;
    std::uint64_t next_id_ = 0;
    std::unordered_map<std::uint64_t, Call> pending_;  // node-based: a Call's address is stable
};

}  // namespace parley
