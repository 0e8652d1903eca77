// A working test plugin that uses every part of the host API.
#include <parley/plugin.hpp>

#include <cctype>
#include <string>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_STRING, "greeting", "\"hello\"", "What GET /test/echo answers"},
    {PARLEY_CONFIG_INT, "repeat", "1", "How many pongs per ping"},
    {PARLEY_CONFIG_BOOL, "loud", "false", "Upper-case the filtered payloads"},
    {PARLEY_CONFIG_DOUBLE, "ratio", "0.5", "A number, to test doubles"},
    {PARLEY_CONFIG_STRING_ARRAY, "words", "[\"a\", \"b\"]", "A list, to test arrays"},
};

struct EchoService {
    int (*add)(void* user, int a, int b);
};

int add(void*, int a, int b) { return a + b; }
const EchoService kService{&add};

class Echo {
public:
    Echo(parley::Host& host, const parley::Config& config)
        : host_(host), greeting_(config.string("greeting")), repeat_(config.integer("repeat")),
          loud_(config.boolean("loud")) {
        auto tag = std::string(host.tenant_id());
        host.subscribe("test.ping", [this, tag](std::string_view, std::string_view payload) {
            for (std::int64_t i = 0; i < repeat_; ++i)
                host_.publish("test.pong", std::string(payload) + (tag.empty() ? "" : "@" + tag));
        });
        host.add_filter("test.before", [this](std::string_view, std::string_view payload, bool& veto) {
            veto = payload == "forbidden";
            std::string out(payload);
            if (loud_)
                for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return std::optional<std::string>(out + "+echo");
        });
        host.register_command("echo", [](std::string_view args) { return std::string(args); });
        host.register_command("echo.filtered", [this](std::string_view args) {
            return host_.filter("test.before", args).value_or("(vetoed)");
        });
        host.register_command("echo.timer", [this](std::string_view) {
            host_.start_timer(10, 0, [this] { host_.publish("test.timer", "fired"); });
            return std::string("{}");
        });
        host.register_service("test.echo", 2, &kService, nullptr);
        if (tag.empty())  // routes are global: only the defaults instance serves one
            host.route("GET", "/test/echo", [this](const parley::HttpRequest& req) {
                return parley::HttpResponse{200, "text/plain", greeting_ + " " + std::string(req.query)};
            });
    }
    void start() { host_.info("echo started: " + greeting_); }
    void stop() { host_.publish("test.stopping", greeting_); }

private:
    parley::Host& host_;
    std::string greeting_;
    std::int64_t repeat_;
    bool loud_;
};

}  // namespace

PARLEY_PLUGIN(echo, Echo, "1.0.0", PARLEY_KIND_FEATURE, "Works: subscribes, filters, commands, a service, timers and a route",
              nullptr, kConfig)
