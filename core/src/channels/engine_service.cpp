#include "parley/core/engine_service.hpp"

#include "parley/core/engine.hpp"
#include "parley/core/plugin_host.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace parley {

namespace json = boost::json;

EngineService::EngineService(engine::Engine& engine, plugins::PluginHost& host) : engine_(engine) {
    table_.struct_size = sizeof(table_);
    table_.submit = &EngineService::submit;
    host.provide_service(PARLEY_ENGINE_SERVICE, PARLEY_ENGINE_SERVICE_VERSION, &table_, this);
}

namespace {

// Only what a channel may ask; agent commands come through the agent API.
bool channel_command(std::string_view name) {
    return name == "inbound" || name == "message_status" || name == "channel_numbers";
}

void answer(parley_engine_done_fn done, void* ctx, parley_status status, const std::string& json_text) {
    done(ctx, status, {json_text.data(), json_text.size()});
}

}  // namespace

parley_status EngineService::submit(void* user, parley_host* caller, parley_str command, parley_str args,
                                    parley_engine_done_fn done, void* ctx) noexcept {
    try {
        auto* self = static_cast<EngineService*>(user);
        std::string name(command.data, command.size);
        if (!self || !done || !channel_command(name)) return PARLEY_ERR_INVALID;
        json::error_code ec;
        auto parsed = json::parse(std::string_view(args.data, args.size), ec);
        if (ec || !parsed.is_object()) {
            answer(done, ctx, PARLEY_ERR_INVALID, R"({"code":"malformed","message":"args must be a JSON object"})");
            return PARLEY_OK;
        }
        engine::Command c{{}, name, std::move(parsed.as_object())};
        auto alive = plugins::PluginHost::alive_token(caller);
        self->engine_.submit(std::move(c), [alive, done, ctx](engine::Result r) {
            if (!*alive) return;  // the plugin that asked is gone
            if (r.ok) return answer(done, ctx, PARLEY_OK, json::serialize(r.value));
            answer(done, ctx, PARLEY_ERR_INVALID, json::serialize(json::object{{"code", r.code}, {"message", r.message}}));
        });
        return PARLEY_OK;
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

}  // namespace parley
