// A plugin whose constructor throws: create() must fail with the message.
#include <parley/plugin.hpp>

#include <stdexcept>

namespace {
class CreateFails {
public:
    CreateFails(parley::Host&, const parley::Config&) {
        throw std::runtime_error("the database it needs is unreachable");
    }
};
}  // namespace

PARLEY_PLUGIN(create_fails, CreateFails, "1.0.0", PARLEY_KIND_FEATURE, "Its create() fails", nullptr, nullptr)
