// Transfer and conference. Foundation stage: the module loads and declares what a
// tenant chooses when a transfer target does not answer.
#include <parley/plugin.hpp>

#include <stdexcept>
#include <string>

namespace {

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_STRING, "on_no_answer", "\"abandon\"",
     "When the target agent does not accept: \"abandon\" the transfer or \"requeue\" the conversation"},
};

class TransferPlugin {
public:
    TransferPlugin(parley::Host& host, const parley::Config& config)
        : host_(host), on_no_answer_(config.string("on_no_answer")) {
        if (on_no_answer_ != "abandon" && on_no_answer_ != "requeue")
            throw std::invalid_argument("on_no_answer must be \"abandon\" or \"requeue\", not \"" + on_no_answer_ + "\"");
    }

    void start() { host_.info("transfer ready, on no answer: " + on_no_answer_); }

private:
    parley::Host& host_;
    std::string on_no_answer_;
};

}  // namespace

PARLEY_PLUGIN(transfer, TransferPlugin, "0.1.0", PARLEY_KIND_FEATURE, "Transfer and conference", nullptr, kConfig)
