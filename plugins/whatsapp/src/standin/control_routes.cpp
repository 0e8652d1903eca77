// The test and demo controls:
//   POST /sandbox/control   arms faults (control.hpp lists them); answers the faults now armed
//   GET  /sandbox/state     what the stand-in received and delivered
#include "http_util.hpp"
#include "impl.hpp"

namespace parley::whatsapp::standin {

namespace json = boost::json;

namespace {

parley::HttpResponse control(Impl& impl, const parley::HttpRequest& request) {
    auto parsed = parse_control(request.body);
    if (auto* error = std::get_if<std::string>(&parsed)) return plain_error(400, *error);
    const auto& change = std::get<ControlChange>(parsed);
    if (change.reset) {
        impl.flush_held();
        impl.sends.clear();
        impl.deliveries.clear();
    }
    impl.faults.apply(change);
    return json_answer(200, json::object{{"faults", impl.faults.to_json()}});
}

parley::HttpResponse state(Impl& impl, const parley::HttpRequest&) {
    const auto& o = impl.options;
    json::object business{{"waba_id", impl.business.waba_id},
                          {"display_phone_number", impl.business.display_number},
                          {"phone_number_id", o.phone_number_id},
                          {"api_version", o.api_version},
                          {"graph_url", impl.host.server_url() + std::string(kGraphPath) + "/" + o.api_version}};
    return json_answer(200, json::object{{"business", std::move(business)},
                                         {"faults", impl.faults.to_json()},
                                         {"sent", impl.sends.sent()},
                                         {"mark_reads", impl.sends.mark_reads()},
                                         {"deliveries", impl.deliveries.to_json()},
                                         {"customers", impl.conversations.list()}});
}

}  // namespace

void add_control_routes(Impl& impl) {
    add_route(impl, "POST", "/sandbox/control", &control);
    add_route(impl, "GET", "/sandbox/state", &state);
}

}  // namespace parley::whatsapp::standin
