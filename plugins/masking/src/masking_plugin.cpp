// PCI/PII masking, per tenant: a "before display" filter on every view, the
// parley.masker service (hosts and plugins mask text and log lines with it), and
// the policy each tenant sets in [tenants.T.plugins.masking].
#include "detect/detect.hpp"
#include "policy.hpp"
#include "view_filter.hpp"

#include <parley/masker.h>
#include <parley/plugin.hpp>

#include <boost/json.hpp>

#include <string>

namespace {

using namespace parley::masking;

const parley_config_entry kConfig[] = {
    {PARLEY_CONFIG_BOOL, "enabled", "false", "Mask sensitive customer data for this tenant"},
    {PARLEY_CONFIG_STRING_ARRAY, "entities", "[\"card\", \"iban\", \"ssn\", \"email\", \"phone\"]",
     "What to mask: card, iban, ssn, email, phone"},
    {PARLEY_CONFIG_STRING, "mask_char", "\"*\"", "The character that replaces masked characters"},
    {PARLEY_CONFIG_STRING_ARRAY, "surfaces",
     "[\"offer\", \"notification\", \"task_list\", \"interaction_panel\", \"conversation\", \"history\", \"logs\"]",
     "Where to mask: offer, notification, task_list, interaction_panel, conversation, history, logs"},
};

// Shared by the instances of this library: the defaults instance serves every
// tenant that has no instance of its own.
Policies& policies() {
    static Policies p;
    return p;
}

std::string_view view(parley_str s) { return {s.data ? s.data : "", s.size}; }

parley_status service_mask(void*, parley_str tenant, parley_str surface, parley_str text, parley_buffer* out) noexcept;
parley_status service_detect(void*, parley_str entities, parley_str mask_char, parley_str text,
                             parley_buffer* out) noexcept;
parley_status service_mask_with(void*, parley_str entities, parley_str mask_char, parley_str text,
                                parley_buffer* out) noexcept;

const parley_host_api* service_api = nullptr;  // set by the defaults instance; used to write buffers
const parley_masker_service kService{sizeof(parley_masker_service), &service_mask, &service_detect,
                                     &service_mask_with};

void write(parley_buffer* out, std::string_view s) { service_api->buffer_write(out, {s.data(), s.size()}); }

parley_status service_mask(void*, parley_str tenant, parley_str surface, parley_str text, parley_buffer* out) noexcept {
    try {
        auto policy = policies().get(std::string(view(tenant)));
        // Logs are masked with every entity whatever the tenant chose: no customer data in logs, ever.
        const bool logs = view(surface) == "logs";
        if (!logs && !policy.masks(std::string(view(surface)))) return write(out, view(text)), PARLEY_OK;
        thread_local std::string masked;
        const bool changed = mask_into(view(text), masked, logs ? all_entities : policy.entities, policy.mask_char);
        write(out, changed ? std::string_view(masked) : view(text));
        return PARLEY_OK;
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

std::uint32_t parse_entities(std::string_view list) {
    if (list.empty()) return all_entities;
    std::uint32_t bits = 0;
    while (!list.empty()) {
        auto comma = list.find(',');
        auto name = list.substr(0, comma);
        auto e = entity_from_name(name);
        if (!e) throw std::invalid_argument("unknown entity '" + std::string(name) + "'");
        bits |= 1u << static_cast<unsigned>(*e);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return bits;
}

parley_status service_detect(void*, parley_str entities, parley_str mask_char, parley_str text,
                             parley_buffer* out) noexcept {
    std::uint32_t wanted = 0;
    try {
        wanted = parse_entities(view(entities));
    } catch (...) {
        return PARLEY_ERR_INVALID;
    }
    try {
        auto spans = detect(view(text), wanted);
        auto mc = view(mask_char).empty() ? std::string_view("*") : view(mask_char);
        // Written directly rather than through a boost::json::object (a third of the time of
        // `parley mask --json`): the masked text is the one string that needs escaping.
        std::string json = R"({"masked":)" + boost::json::serialize(boost::json::string_view(mask(view(text), spans, mc)));
        json += R"(,"spans":[)";
        for (std::size_t k = 0; k < spans.size(); ++k) {
            if (k) json += ',';
            json += R"({"entity":")";
            json += entity_name(spans[k].entity);
            json += R"(","start":)" + std::to_string(spans[k].begin) + R"(,"end":)" + std::to_string(spans[k].end) + "}";
        }
        json += "]}";
        write(out, json);
        return PARLEY_OK;
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

parley_status service_mask_with(void*, parley_str entities, parley_str mask_char, parley_str text,
                                parley_buffer* out) noexcept {
    std::uint32_t wanted = 0;
    const auto mc = view(mask_char).empty() ? std::string_view("*") : view(mask_char);
    try {
        wanted = parse_entities(view(entities));
    } catch (...) {
        return PARLEY_ERR_INVALID;
    }
    if (!valid_mask_char(mc)) return PARLEY_ERR_INVALID;
    try {
        thread_local std::string masked;
        const bool changed = mask_into(view(text), masked, wanted, mc);
        write(out, changed ? std::string_view(masked) : view(text));
        return PARLEY_OK;
    } catch (...) {
        return PARLEY_ERR_FAILED;
    }
}

class MaskingPlugin {
public:
    MaskingPlugin(parley::Host& host, const parley::Config& config)
        : host_(host), tenant_(host.tenant_id()) {
        auto policy = make_policy(config.boolean("enabled"), config.strings("entities"), config.string("mask_char"),
                                  config.strings("surfaces"));
        enabled_ = policy.enabled;
        policies().set(tenant_, std::move(policy));
        if (!tenant_.empty()) return;
        service_api = host.api();
        host.register_service(PARLEY_MASKER_SERVICE, PARLEY_MASKER_SERVICE_VERSION, &kService, nullptr);
        // Early in the filter chain, so later filters never see unmasked text.
        host.add_filter("view.before_display", [](std::string_view, std::string_view payload, bool&) {
            return mask_view(payload, policies());
        }, -100);
    }
    ~MaskingPlugin() { policies().erase(tenant_); }

    void start() {
        host_.info(std::string(enabled_ ? "masking enabled" : "masking disabled") +
                   (tenant_.empty() ? "" : " for tenant " + tenant_));
    }

private:
    parley::Host& host_;
    std::string tenant_;
    bool enabled_ = false;
};

}  // namespace

PARLEY_PLUGIN(masking, MaskingPlugin, "0.1.0", PARLEY_KIND_FEATURE, "PCI/PII detection and masking, per tenant",
              nullptr, kConfig)
